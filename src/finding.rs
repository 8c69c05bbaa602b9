//! What rules produce: findings, and the fixes they carry as data (in the
//! spirit of ruff's `Fix`/`Edit`). Rules never write files; `apply` does.

use crate::rules::Rule;
use serde::Serialize;
use std::ops::Range;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected info, warning or error)"
            )),
        }
    }
}

/// One replacement of a byte range of the original file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: Vec<u8>,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<Vec<u8>>) -> Edit {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }
}

/// Whether a fix can be applied without a person's review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    Safe,
    NeedsReview,
}

/// Edits that together fix one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// One problem found in one file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Byte range in the file; the finding is located at its start.
    pub range: Range<usize>,
    pub message: String,
    /// The mail function concerned (`mail`, `mb_send_mail`), when there is one.
    pub function: Option<&'static str>,
    pub fix: Option<Fix>,
}
