//! Suppression comments: what `check` and `fix` do with them.

mod common;

use common::{code, json, run, run_in, stdout};

#[test]
fn unused_suppressions_are_listed_on_request() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.php"),
        "<?php\nmail($to, $s, $m); // phpmailfix-ignore\nmail($to, $s, $m, 'From: a@b.fr', '-fa@b.fr'); // phpmailfix-ignore: missing-from-header\n",
    )
    .unwrap();
    let output = run_in(dir.path(), &["check", "--show-unused-suppressions", "."]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.contains("a.php:3:48: unused suppression"), "{text}");
    assert!(!text.contains("a.php:2:"), "{text}");
    assert!(text.contains("(2 suppressed)"), "{text}");
    let output = run_in(dir.path(), &["check", "--output-format", "json", "."]);
    let document = json(&output);
    assert_eq!(document["suppressed"], 2);
    assert_eq!(document["unused_suppressions"][0]["line"], 3);
    assert_eq!(document["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn unknown_rule_names_are_warned_about() {
    let output = run(&[
        "check",
        "--fail-on",
        "never",
        "testdata/check/suppressions.php",
    ]);
    assert_eq!(code(&output), 0);
    assert!(!stdout(&output).contains("is not a rule id"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.php"),
        "<?php\nmail($to, $s, $m); // phpmailfix-ignore: missing-from-headr\n",
    )
    .unwrap();
    let output = run_in(dir.path(), &["check", "."]);
    let text = stdout(&output);
    assert!(
        text.contains("`missing-from-headr` in a phpmailfix-ignore comment is not a rule id"),
        "{text}"
    );
    // A misspelt rule silences nothing.
    assert_eq!(code(&output), 1);
}

#[test]
fn fix_leaves_suppressed_findings_alone() {
    let dir = tempfile::tempdir().unwrap();
    let source = "<?php\nmail($to, $s, $m); // phpmailfix-ignore\n// phpmailfix-ignore: missing-from-header\nmail($to, $s, $m);\n";
    std::fs::write(dir.path().join("a.php"), source).unwrap();
    let output = run_in(
        dir.path(),
        &["fix", "--from", "contact@client.fr", "--yes", "."],
    );
    assert_eq!(code(&output), 0, "{}", common::stderr(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.php")).unwrap(),
        "<?php\nmail($to, $s, $m); // phpmailfix-ignore\n// phpmailfix-ignore: missing-from-header\nmail($to, $s, $m, '', '-fcontact@client.fr');\n"
    );
}
