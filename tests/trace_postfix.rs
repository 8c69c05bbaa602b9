//! `trace` against a real Postfix (Debian's package), run by this test as
//! its own instance in a temporary folder: loopback only, no listener of
//! its own, and a relayhost on loopback that this test serves and that
//! defers every recipient (`450 4.7.1`), so nothing is ever delivered or
//! leaves the machine. PHP's `mail()` with `mail.add_x_header=On` queues
//! mail from `testdata/trace/e2e/feedback.php`; `trace --queue` (and
//! `trace --maillog` on the instance's own log, where `header_checks`
//! logs the header) must name the script and its call. The instance is
//! stopped and its queue removed afterwards, even when the test fails.
//!
//! Needs root, postfix and php: under CI (`CI` set) their absence fails the
//! test; elsewhere it prints a notice and passes.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const POSTFIX: &str = "/usr/sbin/postfix";
const SENDMAIL: &str = "/usr/sbin/sendmail";
const SITE: &str = "testdata/trace/e2e";

/// Whether `CI` asks missing dependencies to fail the test.
fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// `None` (with a notice) when the test cannot run here; panics under CI.
fn requirements() -> Option<PathBuf> {
    let missing = if !Path::new(POSTFIX).exists() || !Path::new(SENDMAIL).exists() {
        Some("postfix is not installed (scripts/test.sh installs it)")
    } else if !is_root() {
        Some("the test starts a Postfix instance and must run as root")
    } else {
        None
    };
    let php = phpmailfix::apply::find_php();
    let missing = missing.or(php
        .is_none()
        .then_some("php is not on PATH (scripts/test.sh installs php-cli)"));
    match missing {
        Some(why) if ci() => panic!("{why}, and CI is set"),
        Some(why) => {
            eprintln!("notice: skipping the Postfix end-to-end test: {why}");
            None
        }
        None => php,
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A relayhost that defers every recipient: Postfix gets a remote reply
/// and keeps the mail queued. Serves until the test process ends.
fn deferring_relay() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = serve(stream);
            });
        }
    });
    port
}

fn serve(stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut out = stream.try_clone()?;
    out.write_all(b"220 relay.test ESMTP\r\n")?;
    for line in BufReader::new(stream).lines() {
        let line = line?;
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" | "HELO" => "250 relay.test".to_string(),
            "MAIL" | "RSET" | "NOOP" => "250 2.0.0 Ok".to_string(),
            "RCPT" => {
                let to = line.split_once(':').map_or("", |(_, to)| to.trim());
                format!(
                    "450 4.7.1 {to}: Recipient address rejected: try again later (test relay on loopback)"
                )
            }
            "DATA" => "554 5.5.1 Error: no valid recipients".to_string(),
            "QUIT" => {
                out.write_all(b"221 2.0.0 Bye\r\n")?;
                return Ok(());
            }
            _ => "502 5.5.2 Error: command not recognized".to_string(),
        };
        out.write_all(format!("{reply}\r\n").as_bytes())?;
    }
    Ok(())
}

/// A running Postfix instance; stopped and removed when dropped.
struct Instance {
    dir: tempfile::TempDir,
}

impl Instance {
    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn maillog(&self) -> PathBuf {
        self.dir.path().join("maillog")
    }

    fn start(relay_port: u16) -> Instance {
        use std::os::unix::fs::PermissionsExt;
        // In /tmp, not $TMPDIR: Postfix's daemons run as `postfix` and must
        // reach their folders, which a TMPDIR under /root would forbid.
        let dir = tempfile::Builder::new()
            .prefix("phpmailfix-postfix-")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let instance = Instance { dir };
        let base = instance.dir.path();
        let config = instance.config();
        for sub in ["config", "queue", "data"] {
            std::fs::create_dir(base.join(sub)).unwrap();
        }
        let chown = Command::new("chown")
            .arg("postfix")
            .arg(base.join("data"))
            .status()
            .unwrap();
        assert!(chown.success(), "chown postfix data");
        std::fs::write(
            config.join("main.cf"),
            format!(
                "# A test instance: loopback only, every mail to the test relay.
compatibility_level = 3.6
queue_directory = {base}/queue
data_directory = {base}/data
maillog_file = {base}/maillog
maillog_file_prefixes = {base}
syslog_name = postfix-phpmailfix-test
myhostname = trace-test.invalid
myorigin = $myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost = [127.0.0.1]:{relay_port}
local_transport = error:local delivery is off in this test
alias_maps =
alias_database =
smtp_connect_timeout = 5s
header_checks = regexp:{config}/header_checks
",
                base = base.display(),
                config = config.display(),
            ),
        )
        .unwrap();
        std::fs::write(
            config.join("header_checks"),
            "/^X-PHP-Originating-Script:/ INFO\n",
        )
        .unwrap();
        // No `inet` service at all: the instance listens on no port.
        std::fs::write(
            config.join("master.cf"),
            "pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
",
        )
        .unwrap();
        for action in ["check", "start"] {
            let output = Command::new(POSTFIX)
                .arg("-c")
                .arg(&config)
                .arg(action)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "postfix {action}: {}{}\nlog:\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                std::fs::read_to_string(instance.maillog()).unwrap_or_default()
            );
        }
        instance
    }

    fn postqueue_json(&self) -> Vec<serde_json::Value> {
        let output = Command::new("/usr/sbin/postqueue")
            .arg("-c")
            .arg(self.config())
            .arg("-j")
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let postfix = |action: &str| {
            Command::new(POSTFIX)
                .arg("-c")
                .arg(self.config())
                .arg(action)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        postfix("stop");
        // `status` fails once the master has exited; then the folder goes.
        let until = Instant::now() + Duration::from_secs(10);
        while postfix("status") && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn trace(instance: &Instance, args: &[&str], mail_config: bool) -> std::process::Output {
    let mut command = Command::new(BIN);
    command.arg("trace").args(args).current_dir(ROOT);
    if mail_config {
        command.env("MAIL_CONFIG", instance.config());
    } else {
        command.arg("--postfix-config").arg(instance.config());
    }
    command.output().unwrap()
}

#[test]
fn trace_finds_the_script_of_mail_a_real_postfix_defers() {
    let Some(php) = requirements() else { return };
    let started = Instant::now();
    let instance = Instance::start(deferring_relay());
    let sendmail = format!("{SENDMAIL} -C {} -t -i", instance.config().display());
    let php_run = |x_header: &str, script: &[&str]| {
        let sent = Command::new(&php)
            .args(["-n", "-d", &format!("sendmail_path={sendmail}")])
            .args(["-d", &format!("mail.add_x_header={x_header}")])
            .args(["-d", "display_errors=stderr"])
            .args(script)
            .current_dir(Path::new(ROOT).join(SITE))
            .output()
            .unwrap();
        assert!(
            sent.status.success() && sent.stderr.is_empty(),
            "php: {}",
            String::from_utf8_lossy(&sent.stderr)
        );
    };
    php_run("On", &["feedback.php"]);
    // And one message with the header off, as Debian's php.ini has it.
    php_run(
        "Off",
        &["-r", "mail('carol@orange.fr', 'Hello', \"Hello\\n\");"],
    );
    // The three messages deferred by the relay's reply (a delivery is
    // tried at once; a minute at the most before giving up).
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let queue = instance.postqueue_json();
        let deferred = queue.iter().filter(|m| {
            m["queue_name"] == "deferred"
                && m["recipients"][0]["delay_reason"]
                    .as_str()
                    .is_some_and(|r| r.contains("450 4.7.1"))
        });
        if deferred.count() == 3 {
            break;
        }
        assert!(
            Instant::now() < until,
            "not deferred in time: {queue:?}\nlog:\n{}",
            std::fs::read_to_string(instance.maillog()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let output = trace(
        &instance,
        &["--queue", "--output-format", "json", SITE],
        false,
    );
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let document = json(&output);
    assert_eq!(document["failed_messages"], 3, "{document:#}");
    assert_eq!(document["traced_messages"], 2);
    let group = &document["groups"][0];
    assert_eq!(group["script"], "feedback.php");
    assert_eq!(group["uids"], serde_json::json!(["0"]));
    assert_eq!(group["statuses"], serde_json::json!({"deferred": 2}));
    assert_eq!(
        group["recipient_domains"],
        serde_json::json!(["gmail.com", "yahoo.fr"])
    );
    assert_eq!(group["senders"][0]["address"], "root@trace-test.invalid");
    assert_eq!(group["senders"][0]["system_user"], true);
    assert_eq!(
        group["from_headers"][0]["text"],
        "Feedback <feedback@client.fr>"
    );
    assert!(
        group["replies"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("450 4.7.1 <recipient>: Recipient address rejected"),
        "{group:#}"
    );
    let candidate = &group["candidates"][0];
    assert_eq!(candidate["path"], "testdata/trace/e2e/feedback.php");
    assert_eq!(candidate["findings"][0]["rule"], "missing-envelope-sender");
    assert_eq!(candidate["findings"][0]["line"], 7);
    let unnamed = &document["groups"][1];
    assert_eq!(unnamed["script"], serde_json::Value::Null);
    assert_eq!(unnamed["senders"][0]["address"], "root@trace-test.invalid");
    assert_eq!(
        unnamed["from_headers"][0]["text"],
        "root <root@trace-test.invalid>"
    );
    assert!(
        document["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("1 failed message has no X-PHP-Originating-Script header: PHP adds it only with mail.add_x_header = On"),
        "{document:#}"
    );

    // The text report, as the README shows it; MAIL_CONFIG selects the
    // instance as well as --postfix-config does.
    let output = trace(&instance, &["--queue", "--color", "never", SITE], true);
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let text = stdout(&output);
    eprintln!("trace --queue:\n{text}");
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```\n{text}```\n")),
        "the README's trace report is not this output:\n{text}"
    );
    assert!(
        text.starts_with("feedback.php  2 failed messages (deferred 2) to gmail.com, yahoo.fr\n")
    );
    assert!(text.contains(
        "  envelope sender root@trace-test.invalid (2) — a system user: this is the cause"
    ));
    assert!(text.contains("  remote reply (2): 450 4.7.1 <recipient>: Recipient address rejected"));
    assert!(
        text.contains("  testdata/trace/e2e/feedback.php:7:10: error[missing-envelope-sender]")
    );

    // The instance's own log names the script too: header_checks logs it.
    let log = instance.maillog();
    let output = trace(
        &instance,
        &["--maillog", log.to_str().unwrap(), "--color", "never", SITE],
        false,
    );
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let text = stdout(&output);
    eprintln!("trace --maillog:\n{text}");
    assert!(
        text.starts_with("feedback.php  2 failed messages (deferred 2) to gmail.com, yahoo.fr\n")
    );
    assert!(text.contains("testdata/trace/e2e/feedback.php:7:10: error[missing-envelope-sender]"));

    // Both: the log's uid and the queue's headers on the same messages.
    let output = trace(
        &instance,
        &[
            "--queue",
            "--maillog",
            log.to_str().unwrap(),
            "--output-format",
            "json",
            SITE,
        ],
        false,
    );
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let document = json(&output);
    assert_eq!(document["failed_messages"], 3, "{document:#}");
    assert_eq!(document["queued_messages"], 3);
    assert_eq!(document["groups"][0]["script"], "feedback.php");
    assert_eq!(
        document["groups"][1]["from_headers"][0]["text"],
        "root <root@trace-test.invalid>"
    );

    drop(instance);
    eprintln!("Postfix end-to-end test: {:.1?}", started.elapsed());
}
