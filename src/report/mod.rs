//! Printers for scan results. Each format is its own module; all of them
//! print the same findings in the same order (path, then position).

pub mod calls;
pub mod json;
pub mod text;

use crate::finding::Finding;
use crate::scan::FileReport;
use crate::source::Position;

/// Where a finding starts and ends (end exclusive), 1-based.
pub fn span(file: &FileReport, finding: &Finding) -> (Position, Position) {
    (
        file.lines.position(&file.source, finding.range.start),
        file.lines.position(&file.source, finding.range.end),
    )
}

/// A path as printed: `/` separators on every platform.
pub fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
