//! Helpers shared by the `fix` tests: run the real binary, copy fixtures
//! into temporary folders, plan through the library, find php.

#![allow(dead_code)]

use phpmailfix::config::ConfigFinder;
use phpmailfix::fix::{Plan, plan};
use phpmailfix::scan::{ScanResult, scan_bytes};
use phpmailfix::sender::{Address, SenderResolver};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The address every fixture is fixed with.
pub const ADDR: &str = "contact@client.fr";

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `phpmailfix ARGS` in `dir`, without a terminal or colours forced.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_phpmailfix"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("not killed by a signal"),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The bytes of `testdata/fix/NAME`.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo_path("testdata/fix").join(name)).expect("fixture exists")
}

/// A temporary folder holding `files` (name, bytes).
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.push((path, target.into_os_string().into_encoded_bytes()));
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Bytes as readable text for snapshots: CR is shown as `␍` (so CRLF files
/// are visible), bytes that are not UTF-8 as `⟨E9⟩`.
pub fn visible(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\r', "␍"));
        for b in chunk.invalid() {
            out.push_str(&format!("⟨{b:02X}⟩"));
        }
    }
    out
}

/// The plan the library makes for one file's bytes with `--from ADDR`,
/// and the scan it came from.
pub fn plan_bytes(path: &Path, bytes: &[u8], from: Option<&str>) -> (ScanResult, Plan) {
    let mut parser = phpmailfix::analyze::new_parser();
    let files = scan_bytes(&mut parser, path, bytes).into_iter().collect();
    let result = ScanResult {
        files,
        ..ScanResult::default()
    };
    let resolver = SenderResolver {
        configs: ConfigFinder::default(),
        from: from.map(|a| Address::parse(a).unwrap()),
    };
    let plan = plan(&result, &resolver, None).expect("no configuration involved");
    (result, plan)
}

/// The php binary. `None` (with a notice) when it is missing, except under
/// CI, where a test that needs php must fail instead of passing silently.
pub fn php() -> Option<PathBuf> {
    match phpmailfix::apply::find_php() {
        Some(php) => Some(php),
        None if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("php is not on PATH and CI is set: install php-cli (scripts/test.sh does)")
        }
        None => {
            eprintln!("notice: php is not on PATH; skipping the part of this test that needs it");
            None
        }
    }
}

/// Runs `php -l` on `path`; panics with PHP's message when it fails.
pub fn php_lint(php: &Path, path: &Path) {
    let output = Command::new(php)
        .arg("-l")
        .arg(path)
        .output()
        .expect("php runs");
    assert!(
        output.status.success(),
        "php -l {}: {}{}",
        path.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether the tests run as root (who may write read-only files).
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // A file we create is owned by our effective uid.
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}
