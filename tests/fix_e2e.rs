//! End to end with real PHP: each script in `testdata/e2e/` sends one mail
//! through `tests/e2e/sendmail-capture.sh` (standing in for sendmail) before
//! and after `phpmailfix fix --yes`. Before, sendmail gets no -f; after, it
//! gets `-fADDR`, the message has a From header, and everything else in the
//! message is unchanged.
//!
//! php is required under CI; elsewhere the test prints a notice and passes.

mod fix_common;

use fix_common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `fix` must do to a script.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// `-fSENDER` added; `adds_from`: a `From: contact@client.fr` header too.
    Fixed {
        sender: &'static str,
        adds_from: bool,
    },
    /// Left exactly as it was.
    Unchanged,
}

const FIXED: Expect = Expect::Fixed {
    sender: ADDR,
    adds_from: true,
};

const CASES: &[(&str, Expect)] = &[
    ("three_arguments", FIXED),
    ("headers_single_quoted", FIXED),
    ("headers_double_quoted", FIXED),
    ("headers_heredoc", FIXED),
    ("headers_nowdoc", FIXED),
    ("headers_concatenation", FIXED),
    ("headers_empty", FIXED),
    ("headers_null", FIXED),
    ("headers_array", FIXED),
    ("headers_array_multiline", FIXED),
    (
        "headers_dynamic",
        Expect::Fixed {
            sender: ADDR,
            adds_from: false,
        },
    ),
    ("params_constant", FIXED),
    ("named_arguments", FIXED),
    ("multiline_comments_trailing_comma", FIXED),
    ("error_suppression", FIXED),
    ("fully_qualified", FIXED),
    ("mb_send_mail", FIXED),
    ("template", FIXED),
    (
        "own_from_header",
        Expect::Fixed {
            sender: "sales@client.fr",
            adds_from: false,
        },
    ),
    ("heredoc_message", FIXED),
    ("crlf", FIXED),
    ("latin1", FIXED),
    ("dynamic_envelope_sender", Expect::Unchanged),
];

/// One message as sendmail received it.
#[derive(Debug, PartialEq, Eq)]
struct Captured {
    argv: Vec<String>,
    message: Vec<u8>,
}

/// Runs `script` (in `site`) with the capture script as sendmail and
/// returns the messages it sent. PHP must print nothing on stderr; with
/// `deprecations` false, deprecation notices (`mail($to, $s, $m, null)` on
/// PHP 8.1+) are tolerated: the scripts before the fix may have them.
fn send(
    php: &Path,
    site: &Path,
    script: &str,
    capture: &Path,
    deprecations: bool,
) -> Vec<Captured> {
    let capture_script = repo_path("tests/e2e/sendmail-capture.sh");
    let sendmail = format!("sh '{}' '{}'", capture_script.display(), capture.display());
    let output = Command::new(php)
        .args(["-d", &format!("sendmail_path={sendmail}")])
        .args(["-d", "mail.add_x_header=0"])
        .args(["-d", "display_errors=stderr"])
        // E_ALL, or E_ALL & ~E_DEPRECATED.
        .args([
            "-d",
            if deprecations {
                "error_reporting=-1"
            } else {
                "error_reporting=24575"
            },
        ])
        .arg(script)
        .current_dir(site)
        .output()
        .expect("php runs");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "php {script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut sent = Vec::new();
    for n in 1.. {
        let argv = capture.join(format!("argv-{n}"));
        if !argv.exists() {
            break;
        }
        sent.push(Captured {
            argv: fs::read_to_string(argv)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect(),
            message: fs::read(capture.join(format!("message-{n}"))).unwrap(),
        });
    }
    sent
}

/// The header block of a message (before the first empty line).
fn header_lines(message: &[u8]) -> Vec<&[u8]> {
    message
        .split_inclusive(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\n").unwrap_or(l))
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .take_while(|l| !l.is_empty())
        .collect()
}

fn has_from_header(message: &[u8]) -> bool {
    header_lines(message)
        .iter()
        .any(|l| l.len() >= 5 && l[..5].eq_ignore_ascii_case(b"from:"))
}

/// `message` without its one `From: ADDR` header line.
fn without_added_from(message: &[u8]) -> Vec<u8> {
    let added = format!("From: {ADDR}");
    let lines: Vec<&[u8]> = message.split_inclusive(|&b| b == b'\n').collect();
    let headers = header_lines(message).len();
    let at: Vec<usize> = (0..headers)
        .filter(|&i| lines[i].trim_ascii_end() == added.as_bytes())
        .collect();
    assert_eq!(
        at.len(),
        1,
        "exactly one added From header in:\n{}",
        visible(message)
    );
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at[0])
        .flat_map(|(_, l)| l.iter().copied())
        .collect()
}

fn has_mbstring(php: &Path) -> bool {
    Command::new(php)
        .args(["-r", "exit(function_exists('mb_send_mail') ? 0 : 1);"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn every_e2e_script_has_a_case() {
    for entry in fs::read_dir(repo_path("testdata/e2e")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".php").unwrap_or(&name);
        assert!(
            CASES.iter().any(|(case, _)| *case == stem),
            "testdata/e2e/{name} has no case"
        );
    }
}

#[test]
fn mail_sent_by_fixed_scripts_has_an_envelope_sender_and_a_from_header() {
    let Some(php) = php() else { return };
    let mut cases: Vec<(&str, Expect)> = CASES.to_vec();
    if !has_mbstring(&php) {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "php has no mbstring and CI is set: install php-mbstring (scripts/test.sh does)"
        );
        eprintln!("notice: php has no mbstring; skipping mb_send_mail.php");
        cases.retain(|(name, _)| *name != "mb_send_mail");
    }
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    fs::create_dir(&site).unwrap();
    for (name, _) in &cases {
        let file = format!("{name}.php");
        fs::copy(repo_path("testdata/e2e").join(&file), site.join(&file)).unwrap();
    }
    let capture = |phase: &str, name: &str| -> PathBuf { work.path().join(phase).join(name) };

    let mut before = Vec::new();
    for (name, expect) in &cases {
        let script = format!("{name}.php");
        let sent = send(&php, &site, &script, &capture("before", name), false);
        assert_eq!(sent.len(), 1, "{script} sends one mail");
        if let Expect::Fixed { .. } = expect {
            assert!(
                !sent[0].argv.iter().any(|a| a.starts_with("-f")),
                "{script}: no -f before the fix: {:?}",
                sent[0].argv
            );
        }
        before.push(sent.into_iter().next().unwrap());
    }
    let originals: Vec<Vec<u8>> = cases
        .iter()
        .map(|(name, _)| fs::read(site.join(format!("{name}.php"))).unwrap())
        .collect();

    let fixed = run(work.path(), &["fix", "--yes", "--from", ADDR, "site"]);
    assert_eq!(
        fixed.code, 1,
        "one call is left for review: {}",
        fixed.stderr
    );
    for line in fixed.stderr.lines().filter(|l| l.starts_with("not fixed:")) {
        assert!(line.contains("dynamic_envelope_sender.php"), "{line}");
    }
    assert!(!fixed.stderr.contains("error"), "{}", fixed.stderr);

    for (((name, expect), before), original) in cases.iter().zip(&before).zip(&originals) {
        let script = format!("{name}.php");
        php_lint(&php, &site.join(&script));
        let rewritten = fs::read(site.join(&script)).unwrap();
        let after = send(&php, &site, &script, &capture("after", name), true);
        assert_eq!(after.len(), 1, "{script} sends one mail");
        let after = &after[0];
        match *expect {
            Expect::Unchanged => {
                assert!(&rewritten == original, "{script} must not be changed");
                assert_eq!(after, before, "{script}");
            }
            Expect::Fixed { sender, adds_from } => {
                assert!(&rewritten != original, "{script} was rewritten");
                let flag = format!("-f{sender}");
                assert!(
                    after.argv.contains(&flag),
                    "{script}: {flag} in {:?}",
                    after.argv
                );
                let others: Vec<&String> = after.argv.iter().filter(|a| **a != flag).collect();
                assert_eq!(
                    others,
                    before.argv.iter().collect::<Vec<_>>(),
                    "{script}: the other sendmail arguments are kept"
                );
                assert!(
                    has_from_header(&after.message),
                    "{script}: a From header in\n{}",
                    visible(&after.message)
                );
                let rest = if adds_from {
                    without_added_from(&after.message)
                } else {
                    after.message.clone()
                };
                assert_eq!(
                    visible(&rest),
                    visible(&before.message),
                    "{script}: body and other headers unchanged"
                );
            }
        }
    }
}
