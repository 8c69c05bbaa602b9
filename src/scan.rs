//! The pipeline of `check` and `calls`: walk, prefilter, parse, analyze,
//! rules. Each worker thread owns its parser; queries are shared.

use crate::analyze::{FileAnalysis, analyze_with_library, new_parser};
use crate::config::{ConfigFinder, RuleSetting};
use crate::finding::Finding;
use crate::prefilter::interest;
use crate::rules::check;
use crate::source::LineIndex;
use crate::suppress::Suppression;
use crate::walk::{WalkOptions, WalkProblem, display_path, walk};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What was found in one file that has anything to report.
#[derive(Debug)]
pub struct FileReport {
    /// As the user would type it (see `walk::display_path`).
    pub path: PathBuf,
    pub source: Vec<u8>,
    pub lines: LineIndex,
    pub analysis: FileAnalysis,
    /// The findings left after suppression comments.
    pub findings: Vec<Finding>,
    /// How many findings suppression comments silenced.
    pub suppressed: usize,
    /// The suppression comments that silenced nothing.
    pub unused_suppressions: Vec<Suppression>,
}

/// A file that could not be read.
#[derive(Clone, Debug)]
pub struct ScanError {
    pub path: Option<PathBuf>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ScanResult {
    pub files_scanned: usize,
    /// Files with calls, findings or parse errors, sorted by path.
    pub files: Vec<FileReport>,
    /// Files or directories that could not be read (the run fails).
    pub errors: Vec<ScanError>,
    /// Problems that do not fail the run (symlink loops).
    pub warnings: Vec<ScanError>,
    /// What the user should know about how the scan went (a WordPress
    /// content folder read outside the scanned paths).
    pub notes: Vec<String>,
    pub elapsed: Duration,
}

impl ScanResult {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |finding| (f, finding)))
    }
}

/// Analyses one file's bytes: prefilter, then parse and rules.
pub fn scan_bytes(
    parser: &mut tree_sitter::Parser,
    path: &Path,
    source: &[u8],
) -> Option<FileReport> {
    let interest = interest(source);
    let wp_version = crate::library::wp_version(path, source);
    let analysis = if interest.call || interest.library {
        let mut analysis = analyze_with_library(parser, source, interest.library);
        analysis.library.wp_version = wp_version;
        analysis
    } else if wp_version.is_some() {
        // `wp-includes/version.php` needs no parse: one assignment.
        let mut analysis = FileAnalysis::default();
        analysis.library.wp_version = wp_version;
        analysis
    } else {
        return None;
    };
    if analysis.calls.is_empty()
        && analysis.indirect.is_empty()
        && !analysis.parse_errors
        && analysis.library.is_empty()
    {
        return None;
    }
    let mut all = check(&analysis);
    crate::library::file_findings(path, &analysis.library, &mut all);
    let total = all.len();
    let (findings, used) = crate::suppress::apply(all, &analysis.suppressions, source);
    let unused_suppressions = analysis
        .suppressions
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(s, _)| s.clone())
        .collect();
    Some(FileReport {
        path: path.to_path_buf(),
        lines: LineIndex::new(source),
        suppressed: total - findings.len(),
        unused_suppressions,
        // Copied only for the few files that have something to report.
        source: source.to_vec(),
        analysis,
        findings,
    })
}

/// Applies each file's `[rules]` settings (its nearest phpmailfix.toml):
/// a severity replaces the rule's default, `ignore` drops its findings.
pub fn apply_rule_settings(result: &mut ScanResult, configs: &ConfigFinder) -> Result<()> {
    for file in &mut result.files {
        let Some(config) = configs.for_file(&file.path)? else {
            continue;
        };
        if config.rules.is_empty() {
            continue;
        }
        file.findings
            .retain_mut(|finding| match config.rule_setting(finding.rule) {
                Some(RuleSetting::Ignore) => false,
                Some(RuleSetting::Severity(severity)) => {
                    finding.severity = severity;
                    true
                }
                None => true,
            });
    }
    Ok(())
}

/// Scans every file under `options.paths`.
pub fn scan(options: &WalkOptions) -> Result<ScanResult> {
    scan_with_progress(options, &Progress::default())
}

/// Counters a progress display reads while the scan runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicUsize,
    pub findings: AtomicUsize,
}

/// `scan`, counting files and findings into `progress` as it goes.
pub fn scan_with_progress(options: &WalkOptions, progress: &Progress) -> Result<ScanResult> {
    let started = Instant::now();
    let mut result = scan_files(options, progress)?;
    crate::library::wordpress_pass(&mut result, options);
    result.elapsed = started.elapsed();
    Ok(result)
}

/// The per-file part of the scan: every file's report, no tree-level rule.
pub fn scan_files(options: &WalkOptions, progress: &Progress) -> Result<ScanResult> {
    let started = Instant::now();
    let scanned = &progress.files;
    let reports = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    // Each worker keeps its parser and one read buffer: most files are read,
    // found not to mention a call, and dropped without an allocation.
    let init = || (new_parser(), Vec::new());
    let problems = walk(options, init, |(parser, buffer), path| {
        scanned.fetch_add(1, Ordering::Relaxed);
        let shown = display_path(path);
        buffer.clear();
        let read = std::fs::File::open(path).and_then(|mut f| {
            use std::io::Read;
            f.read_to_end(buffer)
        });
        match read {
            Ok(_) => {
                if let Some(report) = scan_bytes(parser, &shown, buffer) {
                    progress
                        .findings
                        .fetch_add(report.findings.len(), Ordering::Relaxed);
                    reports.lock().expect("not poisoned").push(report);
                }
            }
            Err(err) => errors.lock().expect("not poisoned").push(ScanError {
                path: Some(shown),
                message: err.to_string(),
            }),
        }
    })?;
    let mut files = reports.into_inner().expect("not poisoned");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // `x.php ./x.php .` names one file three times: report (and fix) it once.
    // So does `x.php /abs/x.php`: compare the files, not their names. A
    // symlink (walked with --follow) keeps its own name: fix refuses it,
    // and its target must not be dropped in its favour.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| {
        let is_link = std::fs::symlink_metadata(&f.path).is_ok_and(|m| m.file_type().is_symlink());
        let key = if is_link {
            f.path.clone()
        } else {
            std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())
        };
        seen.insert(key)
    });
    let mut errors = errors.into_inner().expect("not poisoned");
    let mut warnings = Vec::new();
    for WalkProblem {
        path,
        message,
        fatal,
    } in problems
    {
        let error = ScanError { path, message };
        if fatal {
            errors.push(error);
        } else {
            warnings.push(error);
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ScanResult {
        files_scanned: scanned.load(Ordering::Relaxed),
        files,
        errors,
        warnings,
        notes: Vec::new(),
        elapsed: started.elapsed(),
    })
}
