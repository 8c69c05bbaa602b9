//! `--output-format gitlab`: a GitLab Code Quality report, the JSON array
//! a job publishes with `artifacts: reports: codequality`.
//!
//! Each finding is `{description, check_name, fingerprint, severity,
//! location: {path, lines: {begin}}}`. Code Quality has five severities
//! (info, minor, major, critical, blocker); ours map to three of them:
//! error → `major`, warning → `minor`, info → `info`. `critical` and
//! `blocker` are left for problems worse than mail that bounces. The
//! fingerprint (see `report::fingerprints`) stays the same across runs
//! while the finding's line is unchanged, so GitLab can tell new findings
//! from fixed ones in a merge request.

use super::{fingerprints, repository_path};
use crate::finding::Severity;
use crate::scan::ScanResult;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Code Quality's severity for ours.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn print(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<Issue> = result
        .findings()
        .zip(fingerprints(result))
        .map(|((file, finding), fingerprint)| Issue {
            description: &finding.message,
            check_name: finding.rule.id(),
            fingerprint,
            severity: severity(finding.severity),
            location: Location {
                path: repository_path(&file.path),
                lines: Lines {
                    begin: file.lines.position(&file.source, finding.range.start).line,
                },
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
