//! `phpmailfix trace --maillog`: Postfix logs written for these tests
//! (`testdata/trace/*.log`, varied timestamps, two instances, short and long
//! queue ids) against the small site in `testdata/trace/site`.

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

const SITE: &str = "testdata/trace/site";
const LOG: &str = "testdata/trace/maillog.log";

/// The lines of the fixture log that `keep` keeps, in a temporary file.
fn log_lines(keep: impl Fn(&str) -> bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let text = std::fs::read_to_string(std::path::Path::new(ROOT).join(LOG)).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| keep(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("maillog");
    std::fs::write(&log, kept).unwrap();
    (dir, log)
}

#[test]
fn text_report_names_scripts_senders_replies_and_calls() {
    let output = run(&["trace", "--maillog", LOG, SITE]);
    assert_eq!(code(&output), 1, "traced to a finding: {}", stderr(&output));
    assert_eq!(stderr(&output), "");
    insta::assert_snapshot!("trace_text_report", stdout(&output));
}

#[test]
fn json_report_has_a_stable_shape() {
    let output = run(&["trace", "--maillog", LOG, "--output-format", "json", SITE]);
    assert_eq!(code(&output), 1);
    let document = json(&output);
    assert_eq!(document["version"], 1);
    assert_eq!(document["failed_messages"], 7);
    assert_eq!(document["traced_messages"], 4);
    let contact = &document["groups"][0];
    assert_eq!(contact["script"], "contact.php");
    assert_eq!(contact["senders"][0]["system_user"], true);
    assert_eq!(
        contact["candidates"][0]["findings"][0]["rule"],
        "missing-envelope-sender"
    );
    insta::assert_snapshot!("trace_json_report", stdout(&output));
}

#[test]
fn stdin_and_several_logs_are_read_in_order() {
    // The same log split in two, the second half on stdin.
    let text = std::fs::read_to_string(std::path::Path::new(ROOT).join(LOG)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("maillog.1");
    std::fs::write(&first, lines[..12].join("\n")).unwrap();
    let mut child = Command::new(BIN)
        .args(["trace", "--output-format", "json", "--maillog"])
        .arg(&first)
        .args(["--maillog", "-", SITE])
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines[12..].join("\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let whole = json(&run(&[
        "trace",
        "--maillog",
        LOG,
        "--output-format",
        "json",
        SITE,
    ]));
    assert_eq!(json(&output), whole);
}

#[test]
fn mail_that_all_arrived_traces_to_nothing() {
    let output = run(&["trace", "--maillog", "testdata/trace/delivered.log", SITE]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "no failed mail; read 4 log lines; 4 files scanned\n"
    );
}

#[test]
fn failing_mail_from_a_clean_script_exits_0() {
    // Only order.php's bounce (it sets -f: the recipient is unknown).
    let (_dir, log) = log_lines(|l| l.contains("AF74D1C0A7"));
    let output = run(&["trace", "--maillog", log.to_str().unwrap(), SITE]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).contains("order.php  1 failed message (bounced 1) to free.fr"));
}

#[test]
fn a_source_is_required_and_errors_exit_2() {
    let output = run(&["trace", SITE]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--maillog"), "{}", stderr(&output));
    let output = run(&["trace", "--maillog", "testdata/trace/no-such.log", SITE]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("cannot read testdata/trace/no-such.log"));
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("maillog.2.gz");
    std::fs::write(&gz, [0x1f, 0x8b, 8, 0]).unwrap();
    let output = run(&["trace", "--maillog", gz.to_str().unwrap(), SITE]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("maillog.2.gz: it is compressed: read it with `zcat"),
        "{}",
        stderr(&output)
    );
    // Postfix missing, or this configuration folder: an error, before the scan.
    let output = run(&["trace", "--queue", "--postfix-config", "/nonexistent", SITE]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("postqueue"), "{}", stderr(&output));
}

#[test]
fn a_log_that_names_no_script_says_how_to_have_it_named() {
    // The log without the header lines header_checks adds.
    let (_dir, log) = log_lines(|l| !l.contains("header X-PHP-Originating-Script"));
    let output = run(&["trace", "--maillog", log.to_str().unwrap(), SITE]);
    // Nothing is traced to a file: the log does not say which script.
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    insta::assert_snapshot!("trace_log_without_headers", stdout(&output));
}

/// Writes `lines` as a log in a temporary folder.
fn log_of(lines: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    (dir, log)
}

/// Mail sent through WordPress names PHPMailer.php in its header: it is
/// traced to wp_mail()'s wordpress-empty-sender in pluggable.php.
#[test]
fn wordpress_mail_is_traced_to_wp_mail() {
    let (_dir, log) = log_of(&[
        "Dec  4 10:00:00 web1 postfix/pickup[10]: 3F2A81C0B2: uid=33 from=<www-data>",
        "Dec  4 10:00:00 web1 postfix/cleanup[11]: 3F2A81C0B2: info: header X-PHP-Originating-Script: 33:PHPMailer.php from local; from=<www-data@web1.example> to=<ann@gmail.com>",
        "Dec  4 10:00:00 web1 postfix/qmgr[12]: 3F2A81C0B2: from=<www-data@web1.example>, size=900, nrcpt=1 (queue active)",
        "Dec  4 10:00:01 web1 postfix/smtp[13]: 3F2A81C0B2: to=<ann@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[142.250.1.26] said: 550 5.7.1 <ann@gmail.com>: Recipient address rejected (in reply to RCPT TO command))",
        "Dec  4 10:00:01 web1 postfix/qmgr[12]: 3F2A81C0B2: removed",
    ]);
    let output = run(&[
        "trace",
        "--maillog",
        log.to_str().unwrap(),
        "testdata/library/wordpress/6.1",
    ]);
    let text = stdout(&output);
    assert_eq!(code(&output), 1, "{text}{}", stderr(&output));
    assert!(text.contains("PHPMailer itself"), "{text}");
    assert!(
        text.contains("pluggable.php:17:21: error[wordpress-empty-sender]"),
        "{text}"
    );
    assert!(
        text.contains("1 failed message, 1 traced to a finding"),
        "{text}"
    );
}

/// A short queue id that Postfix reuses starts a new message; qmgr's
/// `status=expired` line marks what was still deferred; address
/// verification probes are not failed mail; RFC 5424 syslog and tags
/// without a pid are read.
#[test]
fn reused_ids_expiry_probes_and_syslog_formats() {
    let (_dir, log) = log_of(&[
        "Dec  1 09:00:00 web1 postfix/qmgr[12]: ABCDE12345: from=<www-data@web1.example>, size=900, nrcpt=1 (queue active)",
        "Dec  1 09:00:01 web1 postfix/smtp[13]: ABCDE12345: to=<ann@gmail.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx[1.2.3.4]:25: Connection timed out)",
        "Dec  6 09:00:01 web1 postfix/qmgr[12]: ABCDE12345: from=<www-data@web1.example>, status=expired, returned to sender",
        "Dec  6 09:00:01 web1 postfix/qmgr[12]: ABCDE12345: removed",
        "Dec  8 11:00:00 web1 postfix/qmgr[12]: ABCDE12345: from=<shop@client.example>, size=900, nrcpt=1 (queue active)",
        "Dec  8 11:00:01 web1 postfix/smtp[13]: ABCDE12345: to=<bo@yahoo.fr>, relay=mx[5.6.7.8]:25, delay=1, dsn=2.0.0, status=sent (250 ok)",
        "Dec  8 11:00:01 web1 postfix/qmgr[12]: ABCDE12345: removed",
        "<22>1 2026-12-08T11:05:00.123+01:00 web1 postfix/smtp 2211 - - BCDEF23456: to=<cy@orange.fr>, relay=none, dsn=4.4.1, status=deferred (connect to mx[9.9.9.9]:25: Connection refused)",
        "Dec  8 11:06:00 web1 postfix/smtp: CDEF345678: to=<di@laposte.net>, relay=none, dsn=4.4.1, status=deferred (connect to mx[8.8.8.8]:25: Connection refused)",
        "Dec  8 11:07:00 web1 postfix/smtp[14]: DEF4567890: to=<probe@example.net>, relay=mx[7.7.7.7]:25, dsn=5.1.1, status=undeliverable (host mx said: 550 5.1.1 no such user)",
    ]);
    let output = run(&[
        "trace",
        "--maillog",
        log.to_str().unwrap(),
        "--output-format",
        "json",
        "testdata/trace/site",
    ]);
    let document = json(&output);
    assert_eq!(document["failed_messages"], 3, "{document:#}");
    let statuses: Vec<String> = document["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["statuses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(statuses.contains(&"expired".to_string()), "{statuses:?}");
    let senders = document.to_string();
    assert!(
        !senders.contains("shop@client.example"),
        "the reused id's message was sent"
    );
}

/// A site's own PHP-FPM user (not www-data): pickup logs its bare login
/// as the sender, which shows that no -f was given. Gmail's replies, which
/// end with an id of their own, count as one reply.
#[test]
fn a_site_users_login_sender_and_gmails_reply_ids() {
    let log = "testdata/trace/site-user.log";
    let output = run(&["trace", "--maillog", log, "--color", "never", SITE]);
    let text = stdout(&output);
    assert_eq!(code(&output), 0, "no file to trace to: {text}");
    assert!(
        text.contains(
            "envelope sender client1@web1.example (2) — the sending account's own address, made by sendmail: this is the cause"
        ),
        "{text}"
    );
    assert!(
        text.contains("remote reply (2): 550-5.7.26 Unauthenticated email from web1.example is not accepted due to domain's DMARC policy. 550 5.7.26 https://support.google.com/mail/answer/2451690 … - gsmtp\n"),
        "{text}"
    );
    assert!(
        text.contains("no file named booking.php in the scanned tree\n"),
        "{text}"
    );
    // The same, where the script is in a hidden or ignored folder.
    let dir = tempfile::tempdir().unwrap();
    for folder in [".well-known", "vendor"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(
            dir.path().join(folder).join("booking.php"),
            "<?php\nmail('a@example.org', 's', 'b');\n",
        )
        .unwrap();
    }
    std::fs::write(dir.path().join(".ignore"), "vendor/\n").unwrap();
    let site = dir.path().to_str().unwrap();
    let output = run(&["trace", "--maillog", log, "--color", "never", site]);
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "no scanned file is named booking.php; ignored or hidden files are: {site}/.well-known/booking.php, {site}/vendor/booking.php (--no-ignore --hidden scans them)"
        )),
        "{text}"
    );
    let output = run(&[
        "trace",
        "--maillog",
        log,
        "--color",
        "never",
        "--no-ignore",
        "--hidden",
        site,
    ]);
    assert_eq!(code(&output), 1, "traced once scanned: {}", stdout(&output));
    let document = json(&run(&[
        "trace",
        "--maillog",
        log,
        "--output-format",
        "json",
        SITE,
    ]));
    let sender = &document["groups"][0]["senders"][0];
    assert_eq!(sender["address"], "client1@web1.example");
    assert_eq!(
        (&sender["system_user"], &sender["without_f"]),
        (&serde_json::json!(false), &serde_json::json!(true))
    );
    assert_eq!(
        document["groups"][0]["replies"].as_array().unwrap().len(),
        1
    );
}

/// A file that is not Postfix's log says so instead of "no failed mail"
/// alone.
#[test]
fn a_log_without_postfix_lines_says_so() {
    let (_dir, log) = log_of(&[
        "Dec  4 10:00:00 web1 sshd[100]: Accepted publickey for root from 192.0.2.1 port 50000",
        "Dec  4 10:00:01 web1 CRON[200]: (root) CMD (run-parts /etc/cron.hourly)",
    ]);
    let output = run(&["trace", "--maillog", log.to_str().unwrap(), SITE]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(
        text.contains(
            "note: none of the 2 log lines read is a Postfix line about a queued message"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("no failed mail; read 2 log lines; 4 files scanned\n"),
        "{text}"
    );
}

/// Mail that left without -f from a script whose scanned copy sets one:
/// the report asks whether the server runs the scanned code.
#[test]
fn mail_without_f_from_a_clean_copy_is_questioned() {
    let (_dir, log) = log_of(&[
        "Dec  4 10:00:00 web1 postfix/pickup[10]: 3F2A81C0B2: uid=33 from=<www-data>",
        "Dec  4 10:00:00 web1 postfix/cleanup[11]: 3F2A81C0B2: info: header X-PHP-Originating-Script: 33:order.php from local; from=<www-data@web1.example> to=<ann@gmail.com>",
        "Dec  4 10:00:00 web1 postfix/qmgr[12]: 3F2A81C0B2: from=<www-data@web1.example>, size=900, nrcpt=1 (queue active)",
        "Dec  4 10:00:01 web1 postfix/smtp[13]: 3F2A81C0B2: to=<ann@gmail.com>, relay=mx[142.250.1.26]:25, dsn=5.7.1, status=bounced (host mx[142.250.1.26] said: 550 5.7.1 no (in reply to RCPT TO command))",
    ]);
    let output = run(&["trace", "--maillog", log.to_str().unwrap(), SITE]);
    assert_eq!(code(&output), 0, "nothing to trace to");
    assert!(
        stdout(&output).contains("testdata/trace/site/shop/order.php: no envelope sender finding: its mail calls set one, yet this mail left without one: is the scanned copy the one the server runs?"),
        "{}",
        stdout(&output)
    );
}
