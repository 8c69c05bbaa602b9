//! `--output-format json`: one document on stdout, version 1.
//!
//! `{"version":1,"files_scanned":N,"findings":[...],"errors":[...]}`; lines
//! and columns are 1-based, `end_column` is exclusive.

use super::{path_string, span};
use crate::finding::Finding;
use crate::scan::{FileReport, ScanResult};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files_scanned: usize,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError>,
    files_with_parse_errors: Vec<String>,
    /// Findings silenced by `phpmailfix-ignore` comments.
    suppressed: usize,
    /// `phpmailfix-ignore` comments that silence nothing.
    unused_suppressions: Vec<JsonPlace>,
}

#[derive(Serialize)]
struct JsonPlace {
    path: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    function: Option<&'static str>,
    fixable: bool,
}

impl<'a> JsonFinding<'a> {
    /// A finding as the JSON formats print it (`check`'s and `trace`'s).
    pub fn new(file: &FileReport, finding: &'a Finding) -> JsonFinding<'a> {
        let (start, end) = span(file, finding);
        JsonFinding {
            path: path_string(&file.path),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            rule: finding.rule.id(),
            severity: finding.severity.as_str(),
            message: &finding.message,
            function: finding.function,
            fixable: finding.fix.is_some(),
        }
    }
}

#[derive(Serialize)]
pub struct JsonError {
    pub path: Option<String>,
    pub message: String,
}

pub fn errors(result: &ScanResult) -> Vec<JsonError> {
    result
        .errors
        .iter()
        .map(|e| JsonError {
            path: e.path.as_deref().map(path_string),
            message: e.message.clone(),
        })
        .collect()
}

pub fn print(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let findings = result
        .findings()
        .map(|(file, finding)| JsonFinding::new(file, finding))
        .collect();
    let document = Document {
        version: 1,
        files_scanned: result.files_scanned,
        findings,
        errors: errors(result),
        files_with_parse_errors: result
            .files
            .iter()
            .filter(|f| f.analysis.parse_errors)
            .map(|f| path_string(&f.path))
            .collect(),
        suppressed: result.files.iter().map(|f| f.suppressed).sum(),
        unused_suppressions: result
            .files
            .iter()
            .flat_map(|f| {
                f.unused_suppressions.iter().map(move |s| {
                    let at = f.lines.position(&f.source, s.range.start);
                    JsonPlace {
                        path: path_string(&f.path),
                        line: at.line,
                        column: at.column,
                    }
                })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
