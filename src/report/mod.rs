//! Printers for scan results. Each format is its own module; all of them
//! print the same findings in the same order (path, then position).

pub mod calls;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::Finding;
use crate::scan::{FileReport, ScanResult};
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

/// A path for the CI formats (SARIF, GitLab), which want it relative to the
/// repository: as printed, without `./` segments.
pub fn repository_path(path: &std::path::Path) -> String {
    let printed = path_string(path);
    let mut parts: Vec<&str> = printed.split('/').collect();
    let absolute = printed.starts_with('/');
    parts.retain(|part| *part != ".");
    let joined = parts.join("/");
    if absolute && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// FNV-1a, 64 bits: a small hash that, unlike std's `DefaultHasher`, gives
/// the same value on every run, platform and Rust version.
pub struct Fnv1a64(u64);

impl Fnv1a64 {
    pub fn new() -> Fnv1a64 {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) -> &mut Fnv1a64 {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// `bytes` then a 0xFF byte, which no UTF-8 text holds: ("ab", "c")
    /// and ("a", "bc") hash differently.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Fnv1a64 {
        self.write(bytes).write(&[0xff])
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64::new()
    }
}

/// A stable identity for each finding, in report order, for CI systems
/// that track findings across runs (GitLab's `fingerprint`, SARIF's
/// `partialFingerprints`): a hex digest of the rule, the path, the trimmed
/// source line and how many identical (rule, path, line) findings come
/// before it. Moving code to another line keeps it; editing the line
/// changes it.
pub fn fingerprints(result: &ScanResult) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    result
        .findings()
        .map(|(file, finding)| {
            let path = repository_path(&file.path);
            let line = file.lines.line_text(&file.source, finding.range.start);
            let mut hash = Fnv1a64::new();
            hash.field(finding.rule.id().as_bytes())
                .field(path.as_bytes())
                .field(line.trim_ascii());
            let occurrence = seen.entry(hash.finish()).or_default();
            let digest = hash.write(occurrence.to_string().as_bytes()).finish();
            *occurrence += 1;
            format!("{digest:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(Fnv1a64::new().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a64::new().write(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv1a64::new().write(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
        assert_ne!(
            Fnv1a64::new().field(b"ab").field(b"c").finish(),
            Fnv1a64::new().field(b"a").field(b"bc").finish()
        );
    }

    #[test]
    fn repository_paths_drop_dot_segments() {
        assert_eq!(repository_path(Path::new("./a/./b.php")), "a/b.php");
        assert_eq!(repository_path(Path::new("a/b.php")), "a/b.php");
        assert_eq!(repository_path(Path::new("/srv/./a.php")), "/srv/a.php");
        assert_eq!(repository_path(Path::new("../a.php")), "../a.php");
    }
}
