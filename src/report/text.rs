//! The human report: `path:line:col: severity[rule] message`, the source
//! line with carets under the call's name, and a summary.

use super::{path_string, span};
use crate::finding::{Finding, Severity};
use crate::rules::Rule;
use crate::scan::{FileReport, ScanResult};
use console::Style;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct TextOptions {
    pub color: bool,
    pub quiet: bool,
    pub statistics: bool,
    pub show_unused_suppressions: bool,
}

struct Styles {
    error: Style,
    warning: Style,
    info: Style,
    location: Style,
    gutter: Style,
    note: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        let s = |style: Style| style.force_styling(color);
        Styles {
            error: s(Style::new().red().bold()),
            warning: s(Style::new().yellow().bold()),
            info: s(Style::new().cyan().bold()),
            location: s(Style::new().bold()),
            gutter: s(Style::new().blue().bold()),
            note: s(Style::new().dim()),
        }
    }

    fn severity(&self, severity: Severity) -> &Style {
        match severity {
            Severity::Error => &self.error,
            Severity::Warning => &self.warning,
            Severity::Info => &self.info,
        }
    }
}

/// `path:line:col: severity[rule] message`, as the report's first line
/// of a finding.
fn headline(styles: &Styles, file: &FileReport, finding: &Finding) -> String {
    let (start, _) = span(file, finding);
    format!(
        "{}: {} {}",
        styles.location.apply_to(format!(
            "{}:{}:{}",
            path_string(&file.path),
            start.line,
            start.column
        )),
        styles.severity(finding.severity).apply_to(format!(
            "{}[{}]",
            finding.severity.as_str(),
            finding.rule.id()
        )),
        finding.message
    )
}

/// A finding's first line, for other reports (`trace`'s).
pub fn finding_line(file: &FileReport, finding: &Finding, color: bool) -> String {
    headline(&Styles::new(color), file, finding)
}

pub fn print(result: &ScanResult, options: &TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let styles = Styles::new(options.color);
    for (file, finding) in result.findings() {
        let (start, end) = span(file, finding);
        let severity = styles.severity(finding.severity);
        writeln!(out, "{}", headline(&styles, file, finding))?;
        if options.quiet {
            continue;
        }
        let line = file.lines.line_text(&file.source, finding.range.start);
        let line = String::from_utf8_lossy(line);
        let (line, before) = window(&line, start.column - 1);
        let number = start.line.to_string();
        let pad = " ".repeat(number.len());
        // Carets under the name: keep tabs so they line up.
        let indent: String = line
            .chars()
            .take(before)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = if end.line == start.line {
            end.column.saturating_sub(start.column).max(1)
        } else {
            1
        };
        writeln!(out, "{} {}", pad, styles.gutter.apply_to("|"))?;
        writeln!(
            out,
            "{} {} {}",
            styles.gutter.apply_to(&number),
            styles.gutter.apply_to("|"),
            line.trim_end()
        )?;
        writeln!(
            out,
            "{} {} {}{}",
            pad,
            styles.gutter.apply_to("|"),
            indent,
            severity.apply_to("^".repeat(width))
        )?;
        writeln!(out)?;
    }
    if options.quiet {
        return Ok(());
    }
    for file in result.files.iter().filter(|f| f.analysis.parse_errors) {
        writeln!(
            out,
            "{}",
            styles.note.apply_to(format!(
                "note: {}: the file has syntax errors; calls in its intact parts were still checked",
                path_string(&file.path)
            ))
        )?;
    }
    for file in &result.files {
        let place = |offset: usize| {
            let at = file.lines.position(&file.source, offset);
            format!("{}:{}:{}", path_string(&file.path), at.line, at.column)
        };
        for s in &file.analysis.suppressions {
            for name in &s.unknown {
                let message = format!(
                    "warning: {}: `{name}` in a phpmailfix-ignore comment is not a rule id (see the rules table)",
                    place(s.range.start)
                );
                writeln!(out, "{}", styles.warning.apply_to(message))?;
            }
        }
        if options.show_unused_suppressions {
            for s in &file.unused_suppressions {
                writeln!(
                    out,
                    "{}: unused suppression: this phpmailfix-ignore comment silences no finding",
                    place(s.range.start)
                )?;
            }
        }
    }
    if options.statistics {
        let mut counts: BTreeMap<Rule, usize> = BTreeMap::new();
        for (_, finding) in result.findings() {
            *counts.entry(finding.rule).or_default() += 1;
        }
        for (rule, count) in &counts {
            writeln!(
                out,
                "{count:>6}  {:<28} {}",
                rule.id(),
                rule.default_severity().as_str()
            )?;
        }
        if !counts.is_empty() {
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", summary(result))
}

/// Longest source line shown whole; a longer one (generated or minified
/// code, possibly megabytes) is cut to a window around the finding, each
/// cut marked with `…`.
const MAX_LINE_CHARS: usize = 200;

/// The part of `line` to show, and how many of its characters come before
/// the finding at character `column` (0-based).
fn window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= MAX_LINE_CHARS {
        return (line.to_string(), column);
    }
    let first = column.min(count).saturating_sub(MAX_LINE_CHARS / 4);
    let last = (first + MAX_LINE_CHARS).min(count);
    let mut shown = String::new();
    let mut before = column - first;
    if first > 0 {
        shown.push('…');
        before += 1;
    }
    shown.extend(line.chars().skip(first).take(last - first));
    if last < count {
        shown.push('…');
    }
    (shown, before)
}

/// `N findings in M files, K files scanned in 0.12s`.
pub fn summary(result: &ScanResult) -> String {
    let findings = result.findings().count();
    let files = result
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    let scanned = format!(
        "{} {} scanned in {:.2}s",
        result.files_scanned,
        plural(result.files_scanned, "file", "files"),
        result.elapsed.as_secs_f64()
    );
    let suppressed: usize = result.files.iter().map(|f| f.suppressed).sum();
    let scanned = if suppressed > 0 {
        format!("{scanned} ({suppressed} suppressed)")
    } else {
        scanned
    };
    if findings == 0 {
        format!("No findings, {scanned}")
    } else {
        format!(
            "{findings} {} in {files} {}, {scanned}",
            plural(findings, "finding", "findings"),
            plural(files, "file", "files")
        )
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
