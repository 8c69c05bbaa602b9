//! Shell completions and the man page come from the clap definitions.

mod common;

use common::{code, run, stdout};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn bash_completion_is_valid_bash_and_knows_the_commands() {
    let output = run(&["completions", "bash"]);
    assert_eq!(code(&output), 0);
    let script = stdout(&output);
    for word in [
        "check",
        "calls",
        "fix",
        "config",
        "--output-format",
        "--fail-on",
        "--from",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(bash.wait().unwrap().success(), "bash -n rejects the script");
}

#[test]
fn zsh_and_fish_completions_name_the_program() {
    let zsh = stdout(&run(&["completions", "zsh"]));
    assert!(
        zsh.starts_with("#compdef phpmailfix"),
        "{}",
        &zsh[..40.min(zsh.len())]
    );
    let fish = stdout(&run(&["completions", "fish"]));
    assert!(fish.contains("complete -c phpmailfix"), "{fish}");
    assert_eq!(
        code(&run(&["completions", "tcsh"])),
        2,
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_man_page_documents_every_subcommand_and_its_options() {
    let output = run(&["man"]);
    assert_eq!(code(&output), 0);
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie") || page.contains(".TH phpmailfix"),
        "{}",
        &page[..80]
    );
    for section in [
        "PHPMAILFIX CHECK",
        "PHPMAILFIX CALLS",
        "PHPMAILFIX FIX",
        "PHPMAILFIX CONFIG",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    for option in [
        "output\\-format",
        "fail\\-on",
        "backup",
        "no\\-lint",
        "show\\-unused\\-suppressions",
    ] {
        assert!(page.contains(option), "{option} missing");
    }
}
