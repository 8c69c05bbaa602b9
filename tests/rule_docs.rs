//! `phpmailfix rule`: its text is the README's rules reference, and its
//! examples do what they say.

mod common;

use common::{code, json, run, run_in, stdout};

#[test]
fn the_readme_reference_is_the_rule_command_output() {
    let output = run(&["rule", "--all", "--markdown"]);
    assert_eq!(code(&output), 0);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        stdout(&output),
        "README's rules reference is stale: replace it with `phpmailfix rule --all --markdown`"
    );
}

#[test]
fn one_rule_or_all_and_unknown_ids_are_errors() {
    let one = stdout(&run(&["rule", "dynamic-envelope-sender"]));
    assert!(
        one.starts_with("dynamic-envelope-sender (warning)"),
        "{one}"
    );
    assert!(one.contains("CVE-2016-10033"), "{one}");
    assert!(!one.contains('`'), "plain text has no Markdown: {one}");
    let all = stdout(&run(&["rule", "--all"]));
    for id in [
        "missing-envelope-sender",
        "missing-from-header",
        "dynamic-envelope-sender",
        "unanalyzable-mail-call",
    ] {
        assert!(all.contains(&format!("{id} (")), "{id}");
    }
    assert!(all.contains("554 5.7.1"));
    assert_eq!(code(&run(&["rule", "missing-sender"])), 2);
    assert_eq!(code(&run(&["rule"])), 2);
}

/// The rules reported for one PHP statement.
fn rules_for(statement: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.php"), format!("<?php\n{statement}\n")).unwrap();
    let output = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--fail-on",
            "never",
            ".",
        ],
    );
    json(&output)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_example_shows_its_rule_and_its_fix() {
    let output = stdout(&run(&["rule", "--all", "--markdown"]));
    let pages: Vec<&str> = output.split("### `").skip(1).collect();
    assert_eq!(pages.len(), 7);
    for page in pages {
        let id = &page[..page.find('`').unwrap()];
        // The library rules describe a whole install or a PHPMailer copy,
        // not one statement: tests/library.rs checks them on fixtures.
        if id.starts_with("wordpress-") || id.starts_with("phpmailer-") {
            continue;
        }
        let blocks: Vec<&str> = page
            .split("```php\n")
            .skip(1)
            .map(|b| &b[..b.find("\n```").unwrap()])
            .collect();
        let [bad, good] = blocks[..] else {
            panic!("{id}: two examples expected")
        };
        assert!(rules_for(bad).contains(&id.to_string()), "{id}: {bad}");
        assert!(
            rules_for(good).is_empty(),
            "{id}: the fixed call is clean: {good}"
        );
        if !page.contains("never rewrites") {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("a.php"), format!("<?php\n{bad}\n")).unwrap();
            let output = run_in(
                dir.path(),
                &["fix", "--from", "contact@example.org", "--yes", "."],
            );
            assert_eq!(code(&output), 0, "{id}");
            let fixed = std::fs::read_to_string(dir.path().join("a.php")).unwrap();
            assert_eq!(
                fixed,
                format!("<?php\n{good}\n"),
                "{id}: fix gives the example"
            );
        }
    }
}
