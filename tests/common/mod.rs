//! Helpers shared by the CLI tests: run the real binary, read its output,
//! and the `expect:` annotations the fixtures carry.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_phpmailfix");
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The rule ids, the public interface the fixtures are annotated with.
pub const RULES: [&str; 7] = [
    "missing-envelope-sender",
    "missing-from-header",
    "dynamic-envelope-sender",
    "unanalyzable-mail-call",
    "wordpress-empty-sender",
    "phpmailer-empty-sender",
    "phpmailer-unsafe-patch",
];

/// Runs `phpmailfix ARGS` in `dir`, with no colour settings inherited.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs")
}

/// Runs `phpmailfix ARGS` in the repository root.
pub fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// Parses stdout as the JSON document.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Replaces the run time in summaries (`in 0.12s`) so snapshots are stable.
pub fn redact_time(text: &str) -> String {
    regex::Regex::new(r"in \d+\.\d\ds\b")
        .expect("valid regex")
        .replace_all(text, "in [TIME]")
        .into_owned()
}

/// Findings per (path, line): the sorted rule ids reported there.
pub type Expectations = BTreeMap<(String, usize), Vec<String>>;

/// What the fixture files under `dir` (relative to the root) expect: on
/// each line that holds `expect:`, the rule ids that follow it. Lines
/// without `expect:`, or with `expect:` and no rule id, expect nothing.
pub fn annotations(dir: &str) -> Expectations {
    let mut out = Expectations::new();
    let mut files = Vec::new();
    collect_files(&Path::new(ROOT).join(dir), &mut files);
    for file in files {
        let bytes = std::fs::read(&file).expect("fixture is readable");
        let shown = file
            .strip_prefix(ROOT)
            .expect("under the root")
            .to_string_lossy()
            .into_owned();
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let Some(at) = line.windows(7).position(|w| w == b"expect:") else {
                continue;
            };
            let mut rules: Vec<String> = String::from_utf8_lossy(&line[at + 7..])
                .split(|c: char| c.is_ascii_whitespace() || c == '*' || c == '/')
                .filter(|w| !w.is_empty())
                .take_while(|w| RULES.contains(w))
                .map(str::to_string)
                .collect();
            rules.sort();
            if !rules.is_empty() {
                out.insert((shown.clone(), index + 1), rules);
            }
        }
    }
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture directory is readable")
        .map(|e| e.expect("readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "php" || e == "phtml" || e == "inc")
        {
            out.push(path);
        }
    }
}

/// The findings of a `check --output-format json` document, as
/// `Expectations`.
pub fn reported(document: &serde_json::Value) -> Expectations {
    let mut out = Expectations::new();
    for finding in document["findings"].as_array().expect("findings array") {
        out.entry((
            finding["path"].as_str().expect("path").to_string(),
            finding["line"].as_u64().expect("line") as usize,
        ))
        .or_default()
        .push(finding["rule"].as_str().expect("rule").to_string());
    }
    for rules in out.values_mut() {
        rules.sort();
    }
    out
}
