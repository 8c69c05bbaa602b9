//! Writing rewritten files without ever losing one: the result is checked
//! (tree-sitter re-parse, `php -l` when php is on PATH), then written
//! atomically (temp file in the same folder, fsync, rename) with the
//! original's permission bits (and owner when run as root), never through a
//! symlink, and only when the file still holds the bytes that were read.

use crate::analyze::{new_parser, parse};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Counts the syntax-error nodes of a parse.
fn error_count(src: &[u8]) -> usize {
    let tree = parse(&mut new_parser(), src);
    let mut count = 0;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return count;
            }
        }
    }
}

/// Refuses a rewrite that has more syntax errors than the original.
pub fn check_syntax(original: &[u8], rewritten: &[u8]) -> Result<()> {
    let (before, after) = (error_count(original), error_count(rewritten));
    if after > before {
        bail!(
            "the rewrite would introduce a syntax error ({before} error nodes before, {after} after); file left untouched"
        );
    }
    Ok(())
}

/// The php binary, when one is on PATH.
pub fn find_php() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("php"))
        .find(|p| p.is_file())
}

/// Runs `php -l` on `bytes`. `Ok(None)` when it passes; `Ok(Some(output))`
/// when PHP reports a syntax error.
fn php_lint(php: &Path, bytes: &[u8]) -> Result<Option<String>> {
    let mut file = tempfile::Builder::new()
        .prefix("phpmailfix-lint-")
        .suffix(".php")
        .tempfile()?;
    file.write_all(bytes)?;
    file.flush()?;
    let output = Command::new(php)
        .arg("-n")
        .arg("-l")
        .arg(file.path())
        .output()
        .with_context(|| format!("cannot run {}", php.display()))?;
    if output.status.success() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    let text = text.replace(&file.path().display().to_string(), "the rewritten file");
    Ok(Some(text.trim().to_string()))
}

/// Refuses a rewrite that `php -l` rejects when the original passes it.
pub fn check_lint(php: &Path, original: &[u8], rewritten: &[u8]) -> Result<()> {
    if let Some(message) = php_lint(php, rewritten)?
        && php_lint(php, original)?.is_none()
    {
        bail!("php -l rejects the rewrite, file left untouched: {message}");
    }
    Ok(())
}

/// Writes `new` over `path` if it still holds `original`.
pub fn write_atomic(path: &Path, original: &[u8], new: &[u8], backup: Option<&str>) -> Result<()> {
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("cannot stat {}", path.display()))?;
    if meta.file_type().is_symlink() {
        bail!(
            "{} is a symbolic link; not writing through it (rewrite its target instead)",
            path.display()
        );
    }
    if !meta.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    // A rename would replace a file we may not write: respect its mode.
    if std::fs::OpenOptions::new().write(true).open(path).is_err() {
        bail!(
            "{} is not writable (read-only?); not replacing it",
            path.display()
        );
    }
    let current = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if current != original {
        bail!(
            "{} changed since it was read; skipped (run again)",
            path.display()
        );
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Some(suffix) = backup {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let backup_path = PathBuf::from(name);
        if std::fs::symlink_metadata(&backup_path).is_ok() {
            bail!(
                "backup {} already exists; not overwriting it",
                backup_path.display()
            );
        }
        write_new(dir, &backup_path, original, &meta)?;
    }
    write_new(dir, path, new, &meta)
}

/// Creates `path` with `bytes` (mode 0644), and its folder when missing;
/// fails when something already has that name: it is never replaced.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".phpmailfix-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot create {}", path.display()))?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Temp file in `dir`, same permissions (and owner), fsync, rename.
fn write_new(dir: &Path, target: &Path, bytes: &[u8], like: &std::fs::Metadata) -> Result<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(".phpmailfix-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(bytes)?;
    temp.as_file().set_permissions(like.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; keep the owner when we can.
        let file_meta = temp.as_file().metadata()?;
        if file_meta.uid() != like.uid() || file_meta.gid() != like.gid() {
            let _ = std::os::unix::fs::fchown(temp.as_file(), Some(like.uid()), Some(like.gid()));
        }
    }
    temp.as_file().sync_all()?;
    temp.persist(target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_syntax_errors_are_refused_old_ones_tolerated() {
        assert!(check_syntax(b"<?php mail($a, $b, $c);", b"<?php mail($a, $b, $c, 'x');").is_ok());
        assert!(check_syntax(b"<?php mail($a, $b, $c);", b"<?php mail($a, $b, $c, 'x);").is_err());
        assert!(
            check_syntax(
                b"<?php if ( { mail($a, $b, $c);",
                b"<?php if ( { mail($a, $b, $c, 'x');"
            )
            .is_ok()
        );
    }

    #[test]
    fn writes_keep_permissions_and_refuse_changed_files_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.php");
        std::fs::write(&file, b"old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&file, b"old", b"new", Some(".orig")).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert_eq!(
            std::fs::read(dir.path().join("a.php.orig")).unwrap(),
            b"old"
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert!(
            write_atomic(&file, b"old", b"newer", None).is_err(),
            "changed since read"
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        let link = dir.path().join("link.php");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(write_atomic(&link, b"new", b"x", None).is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".phpmailfix-"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
