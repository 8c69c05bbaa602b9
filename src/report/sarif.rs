//! `--output-format sarif`: one SARIF 2.1.0 log with one run, the form
//! GitHub code scanning (`github/codeql-action/upload-sarif`) and other
//! SARIF viewers read.
//!
//! Every rule is described in `tool.driver.rules` (from the texts in
//! `rules.rs`), whether or not it fired, so a viewer can show the help of
//! any result. Locations are relative to the repository (`uriBaseId`
//! `%SRCROOT%`) unless an absolute path was scanned; lines and columns are
//! 1-based, columns count code points (`columnKind`), and `endColumn` is
//! exclusive, as SARIF defines it. Read errors are tool execution
//! notifications, so an upload still shows that the run was incomplete.

use super::{fingerprints, repository_path, span};
use crate::finding::Severity;
use crate::rules::{Rule, plain_text};
use crate::scan::ScanResult;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where relative artifact URIs are resolved: the checkout's root.
const SRCROOT: &str = "%SRCROOT%";

/// The key of our own entry in `partialFingerprints` (see
/// `report::fingerprints`); versioned so that a change of recipe can be
/// told apart from a change of code.
const FINGERPRINT_KEY: &str = "phpmailfix/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: MultiformatText,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct MultiformatText {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// SARIF's `level` for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_index(rule: Rule) -> usize {
    Rule::ALL
        .iter()
        .position(|&r| r == rule)
        .expect("every rule is in Rule::ALL")
}

fn descriptor(rule: Rule) -> ReportingDescriptor {
    let markdown = rule.help_markdown();
    ReportingDescriptor {
        id: rule.id(),
        name: rule.name(),
        short_description: Text {
            text: rule.summary().to_string(),
        },
        full_description: Text {
            text: plain_text(rule.description()),
        },
        help: MultiformatText {
            text: plain_text(&markdown),
            markdown,
        },
        default_configuration: Configuration {
            level: level(rule.default_severity()),
        },
    }
}

/// Bytes kept as they are in a URI path: RFC 3986's unreserved characters,
/// sub-delimiters, `@` and `/`. Everything else (spaces, `%`, `#`, `?`,
/// non-ASCII bytes of the UTF-8 form, and `:`, which would read as a scheme
/// in a relative reference) is percent-encoded; only a Windows drive's `C:`
/// stays.
fn keep_in_uri(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte)
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if keep_in_uri(byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A relative path becomes a relative reference resolved against
/// `%SRCROOT%`; an absolute one a `file:` URI of its own.
fn artifact_location(path: &Path) -> ArtifactLocation {
    let printed = repository_path(path);
    // `C:/…` on Windows; elsewhere `a:b` is just a folder's name.
    let windows_drive = cfg!(windows)
        && printed.as_bytes().get(1) == Some(&b':')
        && printed.as_bytes()[0].is_ascii_alphabetic();
    if windows_drive {
        let (drive, rest) = printed.split_at(2);
        ArtifactLocation {
            uri: format!("file:///{drive}{}", percent_encode(rest)),
            uri_base_id: None,
        }
    } else if path.is_absolute() || printed.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(&printed)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(&printed),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn build(result: &ScanResult) -> Log {
    let fingerprints = fingerprints(result);
    let results = result
        .findings()
        .zip(fingerprints)
        .map(|((file, finding), fingerprint)| {
            let (start, end) = span(file, finding);
            SarifResult {
                rule_id: finding.rule.id(),
                rule_index: rule_index(finding.rule),
                level: level(finding.severity),
                message: Text {
                    text: finding.message.clone(),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(&file.path),
                        region: Some(Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                        }),
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            }
        })
        .collect();
    let notifications = result
        .errors
        .iter()
        .map(|error| Notification {
            level: "error",
            message: Text {
                text: error.message.clone(),
            },
            locations: error
                .path
                .iter()
                .map(|path| Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(path),
                        region: None,
                    },
                })
                .collect(),
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "phpmailfix",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: Rule::ALL.into_iter().map(descriptor).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: result.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

pub fn print(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(result))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_relative_references() {
        let location = artifact_location(Path::new("./site/contact form.php"));
        assert_eq!(location.uri, "site/contact%20form.php");
        assert_eq!(location.uri_base_id, Some(SRCROOT));
        let location = artifact_location(Path::new("a:b/100%#1?.php"));
        assert_eq!(location.uri, "a%3Ab/100%25%231%3F.php");
        let location = artifact_location(Path::new("caf\u{e9}/x,y.php"));
        assert_eq!(location.uri, "caf%C3%A9/x,y.php");
    }

    #[test]
    fn absolute_paths_are_file_uris() {
        let location = artifact_location(Path::new("/var/www/a b:c.php"));
        assert_eq!(location.uri, "file:///var/www/a%20b%3Ac.php");
        assert_eq!(location.uri_base_id, None);
    }

    #[cfg(windows)]
    #[test]
    fn windows_drives_keep_their_colon() {
        let location = artifact_location(Path::new("C:\\www\\a b.php"));
        assert_eq!(location.uri, "file:///C:/www/a%20b.php");
    }

    #[test]
    fn rule_indexes_follow_rule_all() {
        for (index, rule) in Rule::ALL.into_iter().enumerate() {
            assert_eq!(rule_index(rule), index);
        }
    }
}
