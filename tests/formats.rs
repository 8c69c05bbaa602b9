//! `check --output-format sarif|github|gitlab` through the real binary: the
//! exact output on the demo (snapshots), paths and messages that need
//! escaping, and the SARIF validated by real validators.
//!
//! The validators are installed by `scripts/test.sh` under `target/tools`
//! (or `$PHPMAILFIX_TOOLS`), never fetched here:
//! - Microsoft's SARIF Multitool (`@microsoft/sarif-multitool` from npm),
//!   `validate` verb;
//! - the SARIF 2.1.0 JSON schema that package ships, checked with Python's
//!   `jsonschema` (with format checks) by `scripts/validate_sarif.py`. On
//!   Linux the Multitool's own SARIF rules (SARIF1xxx) do not load, and it
//!   reports schema violations only when the log does not deserialise, so
//!   the schema check is what catches a wrong level or an unencoded URI.
//!
//! Without them the SARIF validation tests print a notice and pass, except
//! when `CI` is set: then they fail.

mod common;

use common::{ROOT, code, json, run, run_in, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture whose path and message need escaping: a folder with a space,
/// a file name with a comma and a colon, a 5th argument with `%`, CR and LF.
fn odd_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("odd dir");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("a,b:c.php"),
        "<?php\nmail($to, $s, $m, \"From: a@example.org\", \"-oi 100%\\r\\nx\");\n\
         // Caf\u{e9}\n\t/*\u{e9}\u{e9}*/mail($to, $s, $m);\n",
    )
    .expect("write");
    dir
}

#[test]
fn snapshot_sarif_demo() {
    let output = run(&["check", "--output-format", "sarif", "testdata/demo"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    insta::assert_snapshot!("sarif_demo", stdout(&output));
}

#[test]
fn snapshot_github_demo() {
    let output = run(&["check", "--output-format", "github", "testdata/demo"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    insta::assert_snapshot!("github_demo", stdout(&output));
}

#[test]
fn snapshot_gitlab_demo() {
    let output = run(&["check", "--output-format", "gitlab", "testdata/demo"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    insta::assert_snapshot!("gitlab_demo", stdout(&output));
}

#[test]
fn github_escapes_paths_and_messages() {
    let dir = odd_fixture();
    let output = run_in(dir.path(), &["check", "--output-format", "github", "."]);
    insta::assert_snapshot!("github_escaping", stdout(&output));
    let first = stdout(&output).lines().next().unwrap().to_string();
    assert!(
        first.starts_with("::error file=odd dir/a%2Cb%3Ac.php,line=2,col=1,endLine=2,endColumn=5,"),
        "{first}"
    );
    assert!(first.contains("`-oi 100%25%0D%0Ax`"), "{first}");
    // One command per finding: the CR LF in the message did not split it.
    assert_eq!(stdout(&output).lines().count(), 3);
}

#[test]
fn sarif_and_gitlab_paths_of_the_odd_fixture() {
    let dir = odd_fixture();
    let output = run_in(dir.path(), &["check", "--output-format", "sarif", "."]);
    let log = json(&output);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "odd%20dir/a,b%3Ac.php");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // Columns count code points: `\t/*éé*/` is 7, not 9 bytes.
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(region["endColumn"], 12);
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");

    let output = run_in(dir.path(), &["check", "--output-format", "gitlab", "."]);
    let issues = json(&output);
    assert_eq!(issues[0]["location"]["path"], "odd dir/a,b:c.php");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
    assert_eq!(issues[0]["severity"], "major");
}

#[test]
fn absolute_paths_are_file_uris() {
    let dir = odd_fixture();
    let path = dir.path().to_str().unwrap();
    let log = json(&run(&["check", "--output-format", "sarif", path]));
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    let uri = location["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/odd%20dir/a,b%3Ac.php"), "{uri}");
    assert!(location["artifactLocation"].get("uriBaseId").is_none());
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let first = json(&run(&[
        "check",
        "--output-format",
        "gitlab",
        "testdata/demo",
    ]));
    let second = json(&run(&[
        "check",
        "--output-format",
        "gitlab",
        "testdata/demo",
    ]));
    assert_eq!(first, second);
    let mut prints: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    let count = prints.len();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), count, "two findings share a fingerprint");

    // The same finding moved down a line keeps its fingerprint.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.php");
    std::fs::write(&file, "<?php\nmail($to, $s, $m, 'From: a@example.org');\n").unwrap();
    let before = json(&run_in(
        dir.path(),
        &["check", "--output-format", "gitlab", "."],
    ));
    std::fs::write(
        &file,
        "<?php\n\n\nmail($to, $s, $m, 'From: a@example.org');\n",
    )
    .unwrap();
    let after = json(&run_in(
        dir.path(),
        &["check", "--output-format", "gitlab", "."],
    ));
    assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);
    assert_eq!(after[0]["location"]["lines"]["begin"], 4);
}

#[test]
fn sarif_describes_every_rule() {
    let log = json(&run(&[
        "check",
        "--output-format",
        "sarif",
        "testdata/demo",
    ]));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "phpmailfix");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, common::RULES);
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn read_errors_are_tool_notifications() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/nonexistent/phpmailfix", dir.path().join("broken.php")).unwrap();
    let output = run_in(
        dir.path(),
        &["check", "--output-format", "sarif", "-L", "."],
    );
    assert_eq!(code(&output), 2);
    let invocation = &json(&output)["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.php"
    );
}

#[test]
fn calls_rejects_the_check_only_formats() {
    for format in ["sarif", "github", "gitlab"] {
        let output = run(&["calls", "--output-format", format, "testdata/demo"]);
        assert_eq!(code(&output), 2);
        assert!(
            stderr(&output).contains(&format!("invalid value '{format}'")),
            "{}",
            stderr(&output)
        );
    }
}

/// The installed validators, or `None` (with a notice) outside CI.
struct Validators {
    multitool: PathBuf,
    schema: PathBuf,
    jsonschema: PathBuf,
}

fn validators() -> Option<Validators> {
    let tools = std::env::var_os("PHPMAILFIX_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("target/tools"));
    let package = tools.join("sarif-multitool/node_modules/@microsoft/sarif-multitool-linux");
    let found = Validators {
        multitool: package.join("Sarif.Multitool"),
        schema: package.join("sarif-2.1.0.json"),
        jsonschema: tools.join("jsonschema"),
    };
    // scripts/test.sh writes `.installed` after a complete install.
    let missing: Vec<PathBuf> = [
        found.multitool.clone(),
        found.schema.clone(),
        found.jsonschema.join(".installed"),
    ]
    .into_iter()
    .filter(|p| !p.exists())
    .collect();
    if missing.is_empty() {
        return Some(found);
    }
    let message = format!(
        "the SARIF validators are not installed ({}); run `bash scripts/test.sh`",
        missing
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{message}");
    }
    eprintln!("notice: SARIF not validated: {message}");
    None
}

impl Validators {
    /// What `scripts/validate_sarif.py` says about `logs`: empty when valid.
    fn schema_errors(&self, logs: &[PathBuf]) -> String {
        let output = Command::new("python3")
            .arg("-S")
            .arg(Path::new(ROOT).join("scripts/validate_sarif.py"))
            .arg(&self.schema)
            .args(logs)
            .env("PYTHONPATH", &self.jsonschema)
            .output()
            .expect("python3 runs");
        let printed = String::from_utf8_lossy(&output.stdout).into_owned();
        match output.status.code() {
            Some(0) => {
                assert!(printed.is_empty(), "{printed}");
                printed
            }
            Some(1) => printed,
            _ => panic!(
                "the schema validator failed to run:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ),
        }
    }

    /// The Multitool's error and warning results for `logs`, one a line.
    fn multitool_problems(&self, logs: &[PathBuf], out_dir: &Path) -> String {
        let report = out_dir.join("multitool-report.sarif");
        let output = Command::new(&self.multitool)
            .arg("validate")
            .args(logs)
            .arg("--output")
            .arg(&report)
            .args(["--log", "ForceOverwrite", "--quiet"])
            .output()
            .expect("the SARIF Multitool runs");
        assert!(
            output.status.success(),
            "Sarif.Multitool validate failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&report).expect("the Multitool wrote its report"),
        )
        .expect("the Multitool's report is JSON");
        report["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| matches!(r["level"].as_str(), None | Some("error" | "warning")))
            .map(|r| format!("{} {}\n", r["ruleId"], r["message"]))
            .collect()
    }
}

#[test]
fn sarif_passes_the_validators() {
    let Some(validators) = validators() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let odd = odd_fixture();
    let broken = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/nonexistent/x", broken.path().join("broken.php")).unwrap();
    let runs: [(&str, Vec<&str>, &Path); 5] = [
        ("demo", vec!["testdata/demo"], Path::new(ROOT)),
        ("check-fixtures", vec!["testdata/check"], Path::new(ROOT)),
        ("odd", vec!["."], odd.path()),
        (
            "absolute",
            vec![odd.path().to_str().unwrap()],
            Path::new(ROOT),
        ),
        ("read-error", vec!["-L", "."], broken.path()),
    ];
    let mut logs = Vec::new();
    for (name, args, cwd) in runs {
        let mut all = vec!["check", "--output-format", "sarif"];
        all.extend(args);
        let output = run_in(cwd, &all);
        assert!(!output.stdout.is_empty(), "{name}: {}", stderr(&output));
        let path = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&path, &output.stdout).unwrap();
        logs.push(path);
    }
    assert_eq!(validators.schema_errors(&logs), "");
    assert_eq!(validators.multitool_problems(&logs, dir.path()), "");
}

/// The validators are not vacuous: they reject what GitHub would reject.
#[test]
fn the_validators_reject_an_invalid_log() {
    let Some(validators) = validators() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut log = json(&run(&[
        "check",
        "--output-format",
        "sarif",
        "testdata/demo",
    ]));
    let result = &mut log["runs"][0]["results"][0];
    result["level"] = "fatal".into();
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.php".into();
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    let path = dir.path().join("invalid.sarif");
    std::fs::write(&path, serde_json::to_vec(&log).unwrap()).unwrap();
    let errors = validators.schema_errors(std::slice::from_ref(&path));
    for expected in ["level", "uri-reference", "startLine"] {
        assert!(errors.contains(expected), "{expected} not in:\n{errors}");
    }

    // The Multitool checks the schema only when `version` comes before
    // `runs`, as we print them (serde_json's `Value` sorts keys): edit the
    // printed text instead.
    let printed = stdout(&run(&[
        "check",
        "--output-format",
        "sarif",
        "testdata/demo",
    ]));
    let nameless = printed.replacen("\"name\": \"phpmailfix\",", "", 1);
    assert_ne!(nameless, printed);
    std::fs::write(&path, nameless).unwrap();
    let problems = validators.multitool_problems(std::slice::from_ref(&path), dir.path());
    assert!(problems.contains("JSON1002"), "{problems}");
}

/// The README's SARIF excerpt is real output: every line it shows (but the
/// `…` that stand for what it leaves out) is a line of the demo's log.
#[test]
fn readme_sarif_excerpt_is_real_output() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let start = readme
        .find("`testdata/demo` it begins:\n  ```json\n")
        .expect("the README shows a SARIF excerpt");
    let excerpt = &readme[start..];
    let excerpt = &excerpt[excerpt.find("```json\n").unwrap() + 8..];
    let excerpt = &excerpt[..excerpt.find("  ```").unwrap()];
    let output = stdout(&run(&[
        "check",
        "--output-format",
        "sarif",
        "testdata/demo",
    ]));
    let lines: std::collections::HashSet<&str> = output.lines().collect();
    for line in excerpt.lines().filter(|l| !l.contains('…')) {
        let line = line.strip_prefix("  ").unwrap_or(line);
        assert!(lines.contains(line), "not in the output: {line}");
    }
}
