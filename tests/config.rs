//! phpmailfix.toml as `check`, `fix` and `config` read it: where it is
//! found, what wins, and the errors it gives.

mod common;

use common::{code, json, run_in, stderr, stdout};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CALL: &str = "<?php\nmail($to, $s, $m);\ncall_user_func('mail', $to, $s, $m);\n";

fn rules_of(dir: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let mut full = vec!["check", "--output-format", "json", "--fail-on", "never"];
    full.extend_from_slice(args);
    let output = run_in(dir, &full);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    json(&output)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn rules_exclude_and_extensions_apply_and_the_nearest_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "phpmailfix.toml",
        "exclude = [\"cache\"]\nextensions = [\"php\", \"tpl\"]\n[rules]\nmissing-from-header = \"info\"\nunanalyzable-mail-call = \"ignore\"\n",
    );
    write(root, "a.php", CALL);
    write(root, "b.tpl", CALL);
    write(root, "c.inc", CALL);
    write(root, "cache/d.php", CALL);
    write(
        root,
        "strict/phpmailfix.toml",
        "[rules]\nmissing-from-header = \"error\"\n",
    );
    write(root, "strict/e.php", CALL);
    let s = |p: &str, r: &str, sev: &str| (p.to_string(), r.to_string(), sev.to_string());
    assert_eq!(
        rules_of(root, &["."]),
        [
            s("a.php", "missing-envelope-sender", "error"),
            s("a.php", "missing-from-header", "info"),
            s("b.tpl", "missing-envelope-sender", "error"),
            s("b.tpl", "missing-from-header", "info"),
            // The nearest file decides rules; it sets no `ignore`.
            s("strict/e.php", "missing-envelope-sender", "error"),
            s("strict/e.php", "missing-from-header", "error"),
            s("strict/e.php", "unanalyzable-mail-call", "info"),
        ]
    );
    // --ext replaces the configured extensions; --config replaces the files.
    let found = rules_of(root, &["--ext", "inc", "."]);
    assert_eq!(found[0].0, "c.inc", "{found:?}");
    write(
        root,
        "other.toml",
        "[rules]\nmissing-envelope-sender = \"ignore\"\n",
    );
    let found = rules_of(root, &["--config", "other.toml", "strict"]);
    assert_eq!(
        found,
        [
            s("strict/e.php", "missing-from-header", "warning"),
            s("strict/e.php", "unanalyzable-mail-call", "info"),
        ]
    );
}

#[test]
fn invalid_files_stop_the_run_naming_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "phpmailfix.toml", "exclud = [\"cache\"]\n");
    write(dir.path(), "a.php", CALL);
    for command in ["check", "calls", "fix"] {
        let output = run_in(dir.path(), &[command, "."]);
        assert_eq!(code(&output), 2, "{command}");
        let message = stderr(&output);
        assert!(
            message.contains("phpmailfix.toml") && message.contains("exclud"),
            "{command}: {message}"
        );
    }
    write(
        dir.path(),
        "phpmailfix.toml",
        "[rules]\nmissing-from-headers = \"info\"\n",
    );
    let output = run_in(dir.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("unknown rule `missing-from-headers`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn config_prints_the_effective_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_in(dir.path(), &["config"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.contains("defaults apply"), "{text}");
    assert!(
        text.contains("missing-envelope-sender = \"error\"  # default"),
        "{text}"
    );
    write(
        dir.path(),
        "phpmailfix.toml",
        "from = \"web@host.example\"\n[rules]\nmissing-from-header = \"ignore\"\n[[sender]]\npath = \"client1/**\"\nfrom = \"contact@client1.fr\"\n",
    );
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let output = run_in(&dir.path().join("sub"), &["config"]);
    let text = stdout(&output);
    assert!(
        text.contains("# configuration: ") && text.contains("phpmailfix.toml"),
        "{text}"
    );
    assert!(text.contains("from = \"web@host.example\""), "{text}");
    assert!(
        text.contains("missing-from-header = \"ignore\"  # set"),
        "{text}"
    );
    assert!(
        text.contains("[[sender]]\npath = \"client1/**\"\nfrom = \"contact@client1.fr\""),
        "{text}"
    );
    // The output is itself a valid configuration.
    let parsed: Result<toml::Value, _> = toml::from_str(&text);
    assert!(parsed.is_ok(), "{text}");
}
