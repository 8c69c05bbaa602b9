//! Unified diffs of rewritten files, byte-exact (`--- a/PATH`, `+++ b/PATH`),
//! so `git apply` and `patch -p1` accept them even for ISO-8859-1 or CRLF
//! files. Colours, when asked, wrap whole lines and never alter their bytes.

use similar::{ChangeTag, TextDiff};
use std::io::{self, Write};

const RED: &[u8] = b"\x1b[31m";
const GREEN: &[u8] = b"\x1b[32m";
const CYAN: &[u8] = b"\x1b[36m";
const BOLD: &[u8] = b"\x1b[1m";
const RESET: &[u8] = b"\x1b[0m";

/// The name a diff gives `path`: without `./` parts; a path that leaves the
/// current folder (`../content/x.php`) is made absolute, since `patch` and
/// `git apply` refuse `..`; and without the leading `/`, since
/// `a//var/www/x.php` would not apply while `a/var/www/x.php` does with
/// `-p1` from `/`.
fn diff_path(path: &str) -> String {
    use std::path::{Component, Path, PathBuf};
    let given = Path::new(path);
    let leaves = given.components().any(|c| c == Component::ParentDir);
    let full = match (leaves, std::env::current_dir()) {
        (true, Ok(cwd)) if given.is_relative() => cwd.join(given),
        _ => given.to_path_buf(),
    };
    let mut normal = PathBuf::new();
    for component in full.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if leaves && normal.file_name().is_some() => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal.to_string_lossy().trim_start_matches('/').to_string()
}

/// Writes the diff of `old` → `new` for the file shown as `path`.
/// `new_file` makes the old side `/dev/null`.
pub fn write_diff(
    out: &mut dyn Write,
    path: &str,
    old: &[u8],
    new: &[u8],
    new_file: bool,
    color: bool,
) -> io::Result<()> {
    let path = diff_path(path);
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
    fn diff_paths_apply_with_patch_and_git() {
        use super::diff_path;
        assert_eq!(diff_path("x.php"), "x.php");
        assert_eq!(diff_path("./site/x.php"), "site/x.php");
        assert_eq!(
            diff_path("/var/lib/wordpress/x.php"),
            "var/lib/wordpress/x.php"
        );
        let cwd = std::env::current_dir().unwrap();
        let parent = cwd.parent().unwrap().to_string_lossy();
        assert_eq!(
            diff_path("./../content/x.php"),
            format!("{}/content/x.php", parent.trim_start_matches('/'))
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
