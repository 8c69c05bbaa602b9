//! The command line's contract, through the real binary: exit codes, the
//! JSON document, paths as the user typed them, deterministic order, the
//! text report's switches, and which files the walk visits.

mod common;

use common::{code, json, run, run_in, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const CLEAN: &str =
    "<?php\nmail($to, $subject, $body, 'From: a@example.org', '-fa@example.org');\n";
const MISSING_SENDER: &str = "<?php\nmail($to, $subject, $body, 'From: a@example.org');\n";
const MISSING_FROM: &str = "<?php\nmail($to, $subject, $body, '', '-fa@example.org');\n";
const INFO_ONLY: &str = "<?php\ncall_user_func('mail', $to, $subject, $body);\n";

/// A temporary tree: `files` are (relative path, contents).
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    dir
}

/// The set of paths with findings or calls in a JSON document.
fn paths(document: &Value, key: &str) -> BTreeSet<String> {
    document[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn check_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["check", "--output-format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    json(&output)
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

// Exit codes.

#[test]
fn exit_code_is_0_on_a_clean_tree() {
    let dir = tree(&[("a.php", CLEAN), ("b.php", "<?php echo 1;\n")]);
    let output = run_in(dir.path(), &["check", "."]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).starts_with("No findings, 2 files scanned in "));
}

#[test]
fn exit_code_is_1_on_findings_at_or_above_fail_on() {
    let dir = tree(&[
        ("error.php", MISSING_SENDER),
        ("warning.php", MISSING_FROM),
        ("info.php", INFO_ONLY),
    ]);
    let exit = |args: &[&str]| code(&run_in(dir.path(), args));
    // Default threshold: warning.
    assert_eq!(exit(&["check", "error.php"]), 1);
    assert_eq!(exit(&["check", "warning.php"]), 1);
    assert_eq!(exit(&["check", "info.php"]), 0);
    assert_eq!(exit(&["check", "--fail-on", "info", "info.php"]), 1);
    assert_eq!(exit(&["check", "--fail-on", "error", "warning.php"]), 0);
    assert_eq!(exit(&["check", "--fail-on", "error", "error.php"]), 1);
    assert_eq!(exit(&["check", "--fail-on", "never", "."]), 0);
    assert_eq!(
        exit(&[
            "check",
            "--fail-on",
            "never",
            "--output-format",
            "json",
            "."
        ]),
        0
    );
    assert_eq!(exit(&["check", "--output-format", "json", "."]), 1);
    // `calls` lists, it does not judge.
    assert_eq!(exit(&["calls", "."]), 0);
}

#[test]
fn exit_code_is_2_on_a_missing_path() {
    let dir = tree(&[("a.php", MISSING_SENDER)]);
    for command in ["check", "calls"] {
        let output = run_in(dir.path(), &[command, "a.php", "no/such.php"]);
        assert_eq!(code(&output), 2);
        assert!(
            stderr(&output).contains("no/such.php"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn exit_code_is_2_on_a_usage_error() {
    let output = run(&["check", "--fail-on", "sometimes", "."]);
    assert_eq!(code(&output), 2);
    let output = run(&["check", "--exclude", "[", "testdata/demo"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--exclude"), "{}", stderr(&output));
}

/// A file that cannot be read is reported with its path on stderr, the
/// rest is still scanned, and the run exits with 2. (Tests run as root, so
/// permissions do not stop reads: a dangling symlink given explicitly does.)
#[cfg(unix)]
#[test]
fn exit_code_is_2_when_a_file_cannot_be_read() {
    let dir = tree(&[("a.php", MISSING_SENDER)]);
    std::os::unix::fs::symlink("gone.php", dir.path().join("broken.php")).unwrap();
    for format in ["text", "json"] {
        let output = run_in(
            dir.path(),
            &["check", "--output-format", format, "a.php", "broken.php"],
        );
        assert_eq!(code(&output), 2);
        assert!(
            stderr(&output).contains("error: broken.php: "),
            "{}",
            stderr(&output)
        );
        assert!(stdout(&output).contains("a.php"), "the rest is scanned");
        if format == "json" {
            let document = json(&output);
            assert_eq!(document["errors"][0]["path"], "broken.php");
            assert!(document["errors"][0]["message"].is_string());
            assert_eq!(document["findings"].as_array().unwrap().len(), 1);
        }
    }
    let output = run_in(dir.path(), &["calls", "broken.php"]);
    assert_eq!(code(&output), 2);
    // With --follow, a broken link inside a directory cannot be read either.
    let output = run_in(dir.path(), &["check", "--follow", "--quiet", "."]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("broken.php"),
        "{}",
        stderr(&output)
    );
}

// The JSON documents.

#[test]
fn check_json_document_has_the_specified_shape() {
    let output = run(&[
        "check",
        "--output-format",
        "json",
        "testdata/check/calls.php",
    ]);
    assert_eq!(code(&output), 1);
    let document = json(&output);
    assert_eq!(
        keys(&document),
        BTreeSet::from([
            "version",
            "files_scanned",
            "findings",
            "errors",
            // Beyond the specification: where the parser found syntax errors,
            // and what phpmailfix-ignore comments did.
            "files_with_parse_errors",
            "suppressed",
            "unused_suppressions",
        ])
    );
    assert_eq!(document["suppressed"], 0);
    assert_eq!(document["version"], 1);
    assert_eq!(document["files_scanned"], 1);
    assert_eq!(document["errors"], serde_json::json!([]));
    let findings = document["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 7);
    for finding in findings {
        assert_eq!(
            keys(finding),
            BTreeSet::from([
                "path",
                "line",
                "column",
                "end_line",
                "end_column",
                "rule",
                "severity",
                "message",
                "function",
                // Beyond the specification: whether a fix is offered.
                "fixable",
            ])
        );
        assert_eq!(finding["path"], "testdata/check/calls.php");
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(finding[key].as_u64().unwrap() >= 1, "1-based {key}");
        }
        assert!(common::RULES.contains(&finding["rule"].as_str().unwrap()));
        assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap()));
        assert!(!finding["message"].as_str().unwrap().is_empty());
    }
    // The first finding: `mail($to, ...)` at the start of line 4; the span
    // is the name, end column exclusive.
    let first = &findings[0];
    assert_eq!(
        (
            &first["line"],
            &first["column"],
            &first["end_line"],
            &first["end_column"]
        ),
        (
            &Value::from(4),
            &Value::from(1),
            &Value::from(4),
            &Value::from(5)
        )
    );
    assert_eq!(first["rule"], "missing-envelope-sender");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["function"], "mail");
}

#[test]
fn calls_json_document_has_the_specified_shape() {
    let output = run(&[
        "calls",
        "--output-format",
        "json",
        "testdata/check/calls.php",
        "testdata/check/unanalyzable.php",
    ]);
    assert_eq!(code(&output), 0);
    let document = json(&output);
    assert_eq!(
        keys(&document),
        BTreeSet::from(["version", "files_scanned", "calls", "errors"])
    );
    assert_eq!(document["version"], 1);
    assert_eq!(document["files_scanned"], 2);
    let calls = document["calls"].as_array().unwrap();
    for call in calls {
        let names = keys(call);
        for key in [
            "path",
            "line",
            "column",
            "function",
            "arguments",
            "headers",
            "envelope_sender",
        ] {
            assert!(names.contains(key), "{key} missing in {call}");
        }
        for key in ["headers", "envelope_sender"] {
            let kind = call[key]["kind"].as_str().unwrap();
            assert!(
                ["absent", "constant", "dynamic", "unknown"].contains(&kind),
                "{kind}"
            );
            assert_eq!(
                call[key].get("value").is_some(),
                kind == "constant",
                "{call}"
            );
        }
    }
    let at = |line: u64| {
        calls
            .iter()
            .find(|c| c["path"] == "testdata/check/calls.php" && c["line"] == line)
            .unwrap()
    };
    assert_eq!(at(4)["arguments"], 3);
    assert_eq!(at(4)["headers"]["kind"], "absent");
    assert_eq!(at(4)["envelope_sender"]["kind"], "absent");
    assert_eq!(
        at(5)["headers"]["value"],
        "From: a@example.org\r\nReply-To: b@example.org"
    );
    assert_eq!(at(5)["envelope_sender"]["value"], "-fa@example.org");
    assert_eq!(at(6)["function"], "mb_send_mail");
    assert_eq!(at(6)["headers"]["value"]["From"], "a@example.org");
    assert_eq!(at(7)["headers"]["kind"], "dynamic");
    assert_eq!(at(7)["envelope_sender"]["kind"], "dynamic");
    assert_eq!(at(7)["envelope_sender"]["from_recipient"], true);
    assert_eq!(at(8)["envelope_sender"]["superglobal"], "$_POST");
    assert_eq!(at(9)["arguments"], 4);
    assert_eq!(at(9)["envelope_sender"]["value"], "-f a@example.org");
}

#[test]
fn calls_text_lists_every_call() {
    let output = run(&["calls", "testdata/check/calls.php"]);
    assert_eq!(code(&output), 0);
    let text = common::redact_time(&stdout(&output));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert_eq!(
        lines[0],
        "testdata/check/calls.php:4:1: mail(), 3 arguments; headers: absent; envelope sender: absent"
    );
    assert_eq!(
        lines[3],
        "testdata/check/calls.php:7:1: mail(), 5 arguments; headers: dynamic; envelope sender: dynamic"
    );
    assert_eq!(
        lines[6],
        "6 mail-sending calls found, 1 file scanned in [TIME]"
    );
    let quiet = stdout(&run(&["calls", "--quiet", "testdata/check/calls.php"]));
    assert_eq!(quiet.lines().count(), 6);
}

// Order and paths.

#[test]
fn order_is_deterministic_path_then_position() {
    let runs: Vec<Vec<u8>> = ["1", "8", "3"]
        .iter()
        .map(|threads| {
            run(&[
                "check",
                "--output-format",
                "json",
                "-j",
                threads,
                "testdata/check",
            ])
            .stdout
        })
        .collect();
    assert!(runs.windows(2).all(|w| w[0] == w[1]));
    let document: Value = serde_json::from_slice(&runs[0]).unwrap();
    let order: Vec<(String, u64, u64)> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| {
        Path::new(&a.0)
            .cmp(Path::new(&b.0))
            .then((a.1, a.2).cmp(&(b.1, b.2)))
    });
    assert_eq!(order, sorted);
    assert!(order.len() > 100);
}

#[test]
fn paths_are_shown_as_typed() {
    let root = Path::new(common::ROOT);
    let namespaces = root.join("testdata/check/namespaces");
    let shown = |dir: &Path, arg: &str| paths(&check_json(dir, &[arg]), "findings");
    assert_eq!(
        shown(&namespaces, ".").into_iter().next().unwrap(),
        "bracketed.php"
    );
    assert_eq!(
        shown(root, "testdata/check/namespaces")
            .into_iter()
            .next()
            .unwrap(),
        "testdata/check/namespaces/bracketed.php"
    );
    assert_eq!(
        shown(root, "./testdata/check/namespaces")
            .into_iter()
            .next()
            .unwrap(),
        "testdata/check/namespaces/bracketed.php"
    );
    assert_eq!(
        shown(&namespaces, "../calls.php")
            .into_iter()
            .next()
            .unwrap(),
        "../calls.php"
    );
    assert_eq!(
        shown(&namespaces, "bracketed.php")
            .into_iter()
            .next()
            .unwrap(),
        "bracketed.php"
    );
    let absolute = namespaces.to_str().unwrap();
    assert_eq!(
        shown(Path::new("/"), absolute).into_iter().next().unwrap(),
        format!("{absolute}/bracketed.php")
    );
    // The same in the text report and in `calls`.
    let output = run_in(
        &namespaces,
        &["check", "--quiet", "--fail-on", "never", "."],
    );
    assert!(stdout(&output).starts_with("bracketed.php:11:5: "));
    let output = run_in(&namespaces, &["calls", "--quiet", "./bracketed.php"]);
    assert!(stdout(&output).starts_with("bracketed.php:7:5: "));
}

#[test]
fn the_default_path_is_the_current_directory() {
    let dir = tree(&[("sub/a.php", MISSING_SENDER)]);
    let document = check_json(dir.path(), &[]);
    assert_eq!(
        paths(&document, "findings"),
        BTreeSet::from(["sub/a.php".into()])
    );
}

// The text report's switches.

#[test]
fn text_report_shows_the_line_a_caret_and_a_summary() {
    let dir = tree(&[(
        "a.php",
        "<?php\nif (1) {\n\t$ok = @mail($to, $s, $b, '', '-fa@example.org');\n}\n",
    )]);
    let output = run_in(dir.path(), &["check", "a.php"]);
    assert_eq!(code(&output), 1);
    assert_eq!(
        common::redact_time(&stdout(&output)),
        "a.php:3:9: warning[missing-from-header] mail()'s headers set no From header\n  |\n3 | \t$ok = @mail($to, $s, $b, '', '-fa@example.org');\n  | \t       ^^^^\n\n1 finding in 1 file, 1 file scanned in [TIME]\n"
    );
}

#[test]
fn quiet_prints_only_the_findings() {
    let output = run(&["check", "--quiet", "testdata/check/calls.php"]);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("testdata/check/calls.php:"))
    );
    let output = run(&["check", "-q", "testdata/check/bad_input/syntax_errors.php"]);
    assert!(!stdout(&output).contains("note:"));
    let output = run(&[
        "check",
        "-q",
        "testdata/check/namespaces/use_function_alias.php",
    ]);
    assert_eq!(stdout(&output), "");
}

#[test]
fn statistics_count_findings_per_rule() {
    let output = run(&["check", "--statistics", "testdata/check/calls.php"]);
    let text = common::redact_time(&stdout(&output));
    let tail: Vec<&str> = text.lines().rev().take(5).collect();
    assert_eq!(
        tail,
        [
            "7 findings in 1 file, 1 file scanned in [TIME]",
            "",
            "     2  dynamic-envelope-sender      warning",
            "     3  missing-from-header          warning",
            "     2  missing-envelope-sender      error",
        ],
        "{text}"
    );
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let args = |color: &'static str| ["check", "--color", color, "testdata/check/calls.php"];
    let has_escape = |out: &std::process::Output| out.stdout.contains(&0x1b);
    assert!(has_escape(&run(&args("always"))));
    assert!(!has_escape(&run(&args("never"))));
    // Not a terminal: auto means no colour.
    assert!(!has_escape(&run(&args("auto"))));
    assert!(!has_escape(&run(&["check", "testdata/check/calls.php"])));
    // JSON never has colour.
    let output = run(&[
        "check",
        "--color",
        "always",
        "--output-format",
        "json",
        "testdata/check/calls.php",
    ]);
    assert!(!has_escape(&output));
}

/// Under a pseudo-terminal (util-linux `script`), auto colours, and
/// NO_COLOR turns it off. Skipped where `script` is missing.
#[cfg(target_os = "linux")]
#[test]
fn colours_on_a_terminal_unless_no_color() {
    let under_pty = |no_color: bool| {
        let mut command = std::process::Command::new("script");
        command
            .args(["-qec"])
            .arg(format!("{} check testdata/check/calls.php", common::BIN))
            .arg("/dev/null")
            .current_dir(common::ROOT)
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        command.output()
    };
    let Ok(coloured) = under_pty(false) else {
        eprintln!("`script` not available: skipped");
        return;
    };
    if !coloured.status.success() && coloured.stdout.is_empty() {
        eprintln!("`script` cannot open a pseudo-terminal here: skipped");
        return;
    }
    assert!(
        coloured.stdout.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&coloured.stdout)
    );
    let plain = under_pty(true).unwrap();
    assert!(
        !plain.stdout.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&plain.stdout)
    );
    assert!(String::from_utf8_lossy(&plain.stdout).contains("testdata/check/calls.php:4:1:"));
}

#[test]
fn parse_errors_are_noted() {
    let output = run(&["check", "testdata/check/bad_input/syntax_errors.php"]);
    assert!(
        stdout(&output).contains(
            "note: testdata/check/bad_input/syntax_errors.php: the file has syntax errors"
        )
    );
    let document = check_json(Path::new(common::ROOT), &["testdata/check/bad_input"]);
    assert_eq!(
        document["files_with_parse_errors"],
        serde_json::json!(["testdata/check/bad_input/syntax_errors.php"])
    );
}

// Walking.

#[test]
fn default_extensions_and_ext() {
    let mut files = vec![];
    for ext in [
        "php", "php3", "php4", "php5", "php6", "php7", "php8", "phtml", "inc", "PHP",
    ] {
        files.push((format!("a.{ext}"), MISSING_SENDER));
    }
    files.push(("a.txt".into(), MISSING_SENDER));
    files.push(("a.html".into(), MISSING_SENDER));
    files.push(("a.php.bak".into(), MISSING_SENDER));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    let dir = tree(&files);
    let document = check_json(dir.path(), &["."]);
    assert_eq!(document["files_scanned"], 10);
    assert_eq!(
        paths(&document, "findings"),
        [
            "a.PHP", "a.inc", "a.php", "a.php3", "a.php4", "a.php5", "a.php6", "a.php7", "a.php8",
            "a.phtml"
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
    let document = check_json(dir.path(), &["--ext", "inc,.TXT", "."]);
    assert_eq!(
        paths(&document, "findings"),
        BTreeSet::from(["a.inc".into(), "a.txt".into()])
    );
    let document = check_json(dir.path(), &["--ext", "html", "--ext", "php", "."]);
    assert_eq!(
        paths(&document, "findings"),
        BTreeSet::from(["a.html".into(), "a.php".into(), "a.PHP".into()])
    );
    // A file given explicitly is scanned whatever its extension.
    let document = check_json(dir.path(), &["a.txt"]);
    assert_eq!(
        paths(&document, "findings"),
        BTreeSet::from(["a.txt".into()])
    );
}

#[test]
fn exclude_globs_match_names_and_relative_paths() {
    let dir = tree(&[
        ("app/a.php", MISSING_SENDER),
        ("app/cache/b.php", MISSING_SENDER),
        ("app/lib/c.php", MISSING_SENDER),
        ("lib/d.php", MISSING_SENDER),
        ("e.tpl.php", MISSING_SENDER),
    ]);
    let shown = |args: &[&str]| paths(&check_json(dir.path(), args), "findings");
    let all = shown(&["."]);
    assert_eq!(all.len(), 5);
    assert_eq!(
        shown(&["--exclude", "cache", "."]),
        BTreeSet::from([
            "app/a.php".into(),
            "app/lib/c.php".into(),
            "e.tpl.php".into(),
            "lib/d.php".into()
        ])
    );
    assert_eq!(
        shown(&["--exclude", "*.tpl.php", "--exclude", "lib", "."]),
        BTreeSet::from(["app/a.php".into(), "app/cache/b.php".into()])
    );
    // A glob with a `/` matches the path relative to the argument.
    assert_eq!(
        shown(&["--exclude", "app/lib", "."]),
        BTreeSet::from([
            "app/a.php".into(),
            "app/cache/b.php".into(),
            "e.tpl.php".into(),
            "lib/d.php".into()
        ])
    );
    assert_eq!(
        shown(&["--exclude", "app/*.php", "."]),
        BTreeSet::from([
            "app/cache/b.php".into(),
            "app/lib/c.php".into(),
            "e.tpl.php".into(),
            "lib/d.php".into()
        ])
    );
    // Relative to the argument `app`, `app/lib/c.php` is `lib/c.php`.
    assert_eq!(
        shown(&["--exclude", "lib/*.php", "app"]),
        BTreeSet::from(["app/a.php".into(), "app/cache/b.php".into()])
    );
    assert_eq!(
        shown(&["--exclude", "cache/*", "app"]),
        BTreeSet::from(["app/a.php".into(), "app/lib/c.php".into()])
    );
}

#[test]
fn gitignore_is_honoured_in_a_git_repository() {
    let dir = tree(&[
        (".gitignore", "ignored.php\ncache/\n"),
        ("kept.php", MISSING_SENDER),
        ("ignored.php", MISSING_SENDER),
        ("cache/c.php", MISSING_SENDER),
        ("vendor/phpmailer/m.php", MISSING_SENDER),
    ]);
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status();
    if !git.is_ok_and(|s| s.success()) {
        eprintln!("git not available: skipped");
        return;
    }
    let shown = |args: &[&str]| paths(&check_json(dir.path(), args), "findings");
    // vendor/ is not skipped: vendored mailers are what users must see.
    assert_eq!(
        shown(&["."]),
        BTreeSet::from(["kept.php".into(), "vendor/phpmailer/m.php".into()])
    );
    assert_eq!(shown(&["--no-ignore", "."]).len(), 4);
    // A file given explicitly is scanned even when ignored.
    assert_eq!(
        shown(&["ignored.php"]),
        BTreeSet::from(["ignored.php".into()])
    );
}

#[test]
fn dot_ignore_is_honoured_without_git() {
    let dir = tree(&[
        (".ignore", "skipped/\n"),
        ("kept.php", MISSING_SENDER),
        ("skipped/s.php", MISSING_SENDER),
    ]);
    let shown = |args: &[&str]| paths(&check_json(dir.path(), args), "findings");
    assert_eq!(shown(&["."]), BTreeSet::from(["kept.php".into()]));
    assert_eq!(shown(&["--no-ignore", "."]).len(), 2);
}

#[test]
fn hidden_files_are_skipped_unless_hidden() {
    let dir = tree(&[
        ("visible.php", MISSING_SENDER),
        (".hidden.php", MISSING_SENDER),
        (".config/settings.php", MISSING_SENDER),
    ]);
    let shown = |args: &[&str]| paths(&check_json(dir.path(), args), "findings");
    assert_eq!(shown(&["."]), BTreeSet::from(["visible.php".into()]));
    assert_eq!(
        shown(&["--hidden", "."]),
        BTreeSet::from([
            ".config/settings.php".into(),
            ".hidden.php".into(),
            "visible.php".into()
        ])
    );
    // Given explicitly, a hidden file is scanned.
    assert_eq!(
        shown(&[".hidden.php"]),
        BTreeSet::from([".hidden.php".into()])
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_with_follow() {
    let outside = tree(&[
        ("lib/shared.php", MISSING_SENDER),
        ("one.php", MISSING_SENDER),
    ]);
    let dir = tree(&[("site/index.php", MISSING_SENDER)]);
    std::os::unix::fs::symlink(outside.path().join("lib"), dir.path().join("site/lib")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("one.php"),
        dir.path().join("site/one.php"),
    )
    .unwrap();
    let shown = |args: &[&str]| paths(&check_json(dir.path(), args), "findings");
    assert_eq!(shown(&["site"]), BTreeSet::from(["site/index.php".into()]));
    assert_eq!(
        shown(&["--follow", "site"]),
        BTreeSet::from([
            "site/index.php".into(),
            "site/lib/shared.php".into(),
            "site/one.php".into()
        ])
    );
    assert_eq!(shown(&["-L", "site"]).len(), 3);
    // A link given explicitly is scanned.
    assert_eq!(
        shown(&["site/one.php"]),
        BTreeSet::from(["site/one.php".into()])
    );
}

/// With --follow, a directory symlink loop is a warning on stderr, not an
/// error: the exit code still says what was found.
#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_fatal() {
    let dir = tree(&[("site/a.php", CLEAN), ("site/sub/b.php", "<?php echo 1;\n")]);
    std::os::unix::fs::symlink("..", dir.path().join("site/sub/up")).unwrap();
    let output = run_in(dir.path(), &["check", "--follow", "site"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: site/sub/up: symlink loop"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("2 files scanned"),
        "{}",
        stdout(&output)
    );
    fs::write(dir.path().join("site/c.php"), MISSING_SENDER).unwrap();
    let output = run_in(
        dir.path(),
        &["check", "--follow", "--output-format", "json", "site"],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let document = json(&output);
    assert_eq!(document["errors"], serde_json::json!([]));
    assert_eq!(
        paths(&document, "findings"),
        BTreeSet::from(["site/c.php".into()])
    );
    // Without --follow the link is not entered, so there is no loop.
    let output = run_in(dir.path(), &["check", "site"]);
    assert_eq!(stderr(&output), "");
}

#[test]
fn files_scanned_counts_every_visited_file() {
    // Files that the prefilter rejects are scanned too.
    let dir = tree(&[
        ("a.php", "<?php echo 'no call';\n"),
        ("b.php", "<?php $mail->send();\n"),
        ("c.php", MISSING_SENDER),
        ("d.txt", MISSING_SENDER),
    ]);
    let document = check_json(dir.path(), &["."]);
    assert_eq!(document["files_scanned"], 3);
}

/// A finding on a line of megabytes (generated code) shows a window of
/// the line around the name, not the whole line.
#[test]
fn long_lines_are_cut_around_the_finding() {
    let mut source = String::from("<?php ");
    source.push_str(&"$x = 1; ".repeat(100_000));
    source.push_str("mail($a, $b, $c); ");
    source.push_str(&"$y = 2; ".repeat(1_000));
    let dir = tree(&[("long.php", &source)]);
    let output = run_in(dir.path(), &["check", "--color", "never", "long.php"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.len() < 2_000, "{} bytes of output", text.len());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("long.php:1:800007: error[missing-envelope-sender]"));
    let shown = lines[2].strip_prefix("1 | ").unwrap();
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    assert!(shown.contains("mail($a, $b, $c);"), "{shown}");
    let caret = lines[3].strip_prefix("  | ").unwrap();
    assert_eq!(
        shown
            .chars()
            .skip(caret.chars().count() - 4)
            .take(4)
            .collect::<String>(),
        "mail"
    );
    assert!(caret.ends_with("^^^^"));
}
