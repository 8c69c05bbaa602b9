//! Unified diffs of rewritten files, byte-exact (`--- a/PATH`, `+++ b/PATH`),
//! so `git apply` and `patch -p1` accept them even for ISO-8859-1 or CRLF
//! files. Colours, when asked, wrap whole lines and never alter their bytes.

use similar::{ChangeTag, TextDiff};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

const RED: &[u8] = b"\x1b[31m";
const GREEN: &[u8] = b"\x1b[32m";
const CYAN: &[u8] = b"\x1b[36m";
const BOLD: &[u8] = b"\x1b[1m";
const RESET: &[u8] = b"\x1b[0m";

/// How a diff names its files. `patch` and `git apply` refuse `..`, and
/// one diff is applied from one folder: so when any file leaves the
/// current folder (`../content/x.php`) or is absolute (Debian's
/// `/var/lib/wordpress/wp-content`), every file is named by its absolute
/// path, without the leading `/` (`a/var/www/x.php` applies with `-p1` from
/// `/`; `a//var/www/x.php` would not); otherwise by its relative path.
/// `./` parts are dropped either way.
#[derive(Clone, Debug)]
pub struct DiffNames {
    /// The current folder, when names are absolute.
    base: Option<PathBuf>,
}

impl DiffNames {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>) -> DiffNames {
        let outside = paths.into_iter().any(|p| {
            p.is_absolute() || lexical(p).components().next() == Some(Component::ParentDir)
        });
        DiffNames {
            base: outside.then(|| std::env::current_dir().unwrap_or_else(|_| "/".into())),
        }
    }

    /// The name of `path` in the diff's `--- a/` and `+++ b/` lines.
    pub fn name(&self, path: &Path) -> String {
        let full = match &self.base {
            Some(base) => lexical(&base.join(path)),
            None => lexical(path),
        };
        full.to_string_lossy().trim_start_matches('/').to_string()
    }
}

/// `path` without `.` parts and with each `..` taking off the part before
/// it, as far as there is one.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes the diff of `old` → `new` for the file named `path` (a name of
/// `DiffNames`). `new_file` makes the old side `/dev/null`.
pub fn write_diff(
    out: &mut dyn Write,
    path: &str,
    old: &[u8],
    new: &[u8],
    new_file: bool,
    color: bool,
) -> io::Result<()> {
    let diff = TextDiff::configure().diff_lines(old, new);
    let mut header_written = false;
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        if !header_written {
            let old_name = if new_file {
                "/dev/null".to_string()
            } else {
                format!("a/{path}")
            };
            paint(out, color, BOLD, format!("--- {old_name}\n").as_bytes())?;
            paint(out, color, BOLD, format!("+++ b/{path}\n").as_bytes())?;
            header_written = true;
        }
        paint(out, color, CYAN, format!("{}\n", hunk.header()).as_bytes())?;
        for change in hunk.iter_changes() {
            let (tag, style): (&[u8], &[u8]) = match change.tag() {
                ChangeTag::Delete => (b"-", RED),
                ChangeTag::Insert => (b"+", GREEN),
                ChangeTag::Equal => (b" ", b""),
            };
            let value: &[u8] = change.value();
            let mut line = tag.to_vec();
            line.extend_from_slice(value);
            if !value.ends_with(b"\n") {
                line.extend_from_slice(b"\n\\ No newline at end of file\n");
            }
            paint(out, color && !style.is_empty(), style, &line)?;
        }
    }
    Ok(())
}

/// Writes `bytes`, wrapped in `style` when `color`; the reset goes before
/// the final line break so that the bytes of the line stay whole.
fn paint(out: &mut dyn Write, color: bool, style: &[u8], bytes: &[u8]) -> io::Result<()> {
    if !color {
        return out.write_all(bytes);
    }
    let (body, tail) = match bytes.strip_suffix(b"\n") {
        Some(body) => (body, &b"\n"[..]),
        None => (bytes, &b""[..]),
    };
    out.write_all(style)?;
    out.write_all(body)?;
    out.write_all(RESET)?;
    out.write_all(tail)
}

#[cfg(test)]
mod tests {
    #[test]
    fn diff_names_apply_from_one_folder() {
        use super::DiffNames;
        use std::path::Path;
        let names = |paths: &[&str]| {
            let diff = DiffNames::new(paths.iter().map(Path::new));
            paths
                .iter()
                .map(|p| diff.name(Path::new(p)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&["x.php", "./site/x.php", "site/../y.php"]),
            ["x.php", "site/x.php", "y.php"]
        );
        let cwd = std::env::current_dir().unwrap();
        let here = cwd.to_string_lossy().trim_start_matches('/').to_string();
        let parent = cwd.parent().unwrap().to_string_lossy();
        let parent = parent.trim_start_matches('/');
        assert_eq!(
            names(&["./x.php", "./../content/x.php"]),
            [format!("{here}/x.php"), format!("{parent}/content/x.php")]
        );
        assert_eq!(
            names(&["x.php", "/var/lib/wordpress/x.php"]),
            [
                format!("{here}/x.php"),
                "var/lib/wordpress/x.php".to_string()
            ]
        );
    }

    use super::write_diff;

    #[test]
    fn diffs_keep_bytes_and_carriage_returns() {
        let old = b"<?php\r\n$a = '\xe9';\r\nmail($a, $b, $c);\r\n";
        let new = b"<?php\r\n$a = '\xe9';\r\nmail($a, $b, $c, 'From: x@y.fr', '-fx@y.fr');\r\n";
        let mut out = Vec::new();
        write_diff(&mut out, "x.php", old, new, false, false).unwrap();
        let expected: &[u8] = b"--- a/x.php\n+++ b/x.php\n@@ -1,3 +1,3 @@\n <?php\r\n $a = '\xe9';\r\n-mail($a, $b, $c);\r\n+mail($a, $b, $c, 'From: x@y.fr', '-fx@y.fr');\r\n";
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(expected)
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        let mut out = Vec::new();
        write_diff(&mut out, "x.php", b"mail()", b"mail(1)", false, false).unwrap();
        assert!(
            String::from_utf8_lossy(&out)
                .contains("-mail()\n\\ No newline at end of file\n+mail(1)\n")
        );
    }
}
