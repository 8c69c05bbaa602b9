//! Postfix's queue, read with its own tools: `postqueue -j` lists the
//! messages (one JSON object a line, nothing for an empty queue) and
//! `postcat -hq ID` prints one message's header lines. Both run with the
//! inherited environment (`MAIL_CONFIG` selects an instance) and get
//! `-c DIR` for `--postfix-config DIR`.

use super::SCRIPT_HEADER;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::PathBuf;
use std::process::Command;

/// One message as `postqueue -j` describes it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct QueueEntry {
    pub queue_name: String,
    pub queue_id: String,
    #[serde(default)]
    pub arrival_time: Option<i64>,
    #[serde(default)]
    pub message_size: Option<u64>,
    pub sender: String,
    #[serde(default)]
    pub recipients: Vec<QueueRecipient>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct QueueRecipient {
    pub address: String,
    #[serde(default)]
    pub delay_reason: Option<String>,
}

impl QueueEntry {
    /// Deferred and held messages, and any whose delivery was tried and
    /// failed (a `delay_reason`): the ones that have not left.
    pub fn failing(&self) -> bool {
        matches!(self.queue_name.as_str(), "deferred" | "hold")
            || self.recipients.iter().any(|r| r.delay_reason.is_some())
    }

    /// The word the report uses: `deferred`, `held`, or the queue's name.
    pub fn status(&self) -> &str {
        match self.queue_name.as_str() {
            "hold" => "held",
            other => other,
        }
    }
}

/// Reads `postqueue -j`'s output.
pub fn parse_postqueue(text: &str) -> Result<Vec<QueueEntry>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("postqueue -j, line {}: not a queue entry", n + 1))
        })
        .collect()
}

/// `X-PHP-Originating-Script: UID:BASENAME`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OriginatingScript {
    pub uid: Option<String>,
    pub name: String,
}

impl OriginatingScript {
    /// PHP writes `UID:BASENAME` with no space; a value without a uid is
    /// taken whole.
    pub fn parse(value: &str) -> Option<OriginatingScript> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let (uid, name) = match value.split_once(':') {
            Some((uid, name)) if !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit()) => {
                (Some(uid.to_string()), name.trim())
            }
            _ => (None, value),
        };
        // `contact.php(12) : eval()'d code` is contact.php's; a path (some
        // builds and patches write one) is reduced to its file name.
        let name = match name.find("(") {
            Some(at) if name.ends_with("eval()'d code") => name[..at].trim_end(),
            _ => name,
        };
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
        if name.is_empty() {
            return None;
        }
        Some(OriginatingScript {
            uid,
            name: name.to_string(),
        })
    }
}

/// The headers of a queued message that tell who sent it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageHeaders {
    pub from: Option<String>,
    pub originating_script: Option<OriginatingScript>,
    /// Submitted on this machine (`Received: … (Postfix, from userid N)`),
    /// as PHP's mail() does; relayed mail has no script header to miss.
    pub local: bool,
    /// That `N`: the uid of the account that ran sendmail.
    pub submitter_uid: Option<u32>,
    /// Its login name (read from the passwd file when the queue is read).
    pub submitter_login: Option<String>,
}

/// Reads header lines (`postcat -h`): folded lines unfolded, CRLF or LF,
/// names case-insensitive, the first of each header kept.
pub fn parse_headers(text: &str) -> MessageHeaders {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let first = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.clone())
    };
    let submitter_uid = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Received"))
        .find_map(|(_, value)| {
            let after = &value[value.find("from userid ")? + "from userid ".len()..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        });
    MessageHeaders {
        from: first("From"),
        originating_script: first(SCRIPT_HEADER).and_then(|v| OriginatingScript::parse(&v)),
        local: headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("Received") && value.contains("from userid")
        }),
        submitter_uid,
        submitter_login: None,
    }
}

/// The login names of `/etc/passwd`-format text, by uid.
/// `myorigin`'s domain: the value itself, or the first line of the file a
/// value starting with `/` names.
fn origin_value(value: &str, read: impl Fn(&str) -> Option<String>) -> Option<String> {
    let domain = if value.starts_with('/') {
        read(value)?.lines().next()?.trim().to_string()
    } else {
        value.to_string()
    };
    (!domain.is_empty()).then_some(domain)
}

/// The first name of a uid wins, as with `getpwuid`, which sendmail asks.
pub fn logins(passwd: &str) -> std::collections::HashMap<u32, String> {
    let mut logins = std::collections::HashMap::new();
    for line in passwd.lines() {
        let mut fields = line.split(':');
        let (Some(name), Some(uid)) = (fields.next(), fields.nth(1)) else {
            continue;
        };
        if let Ok(uid) = uid.parse()
            && !name.is_empty()
            && !name.starts_with('#')
        {
            logins.entry(uid).or_insert_with(|| name.to_string());
        }
    }
    logins
}

/// A failing message of the queue and what its headers say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMessage {
    pub entry: QueueEntry,
    /// `None` when `postcat` could not read it (it left meanwhile).
    pub headers: Option<MessageHeaders>,
}

/// The queue as read, with what could not be read.
#[derive(Debug, Default)]
pub struct Queue {
    /// Every message `postqueue -j` listed.
    pub listed: usize,
    /// The failing ones.
    pub messages: Vec<QueuedMessage>,
    /// Messages that left the queue between `postqueue` and `postcat`.
    pub left: usize,
    /// The instance's `myorigin` (`postconf -xh myorigin`): the domain
    /// sendmail gives a bare login, when no `-f` was given.
    pub origin: Option<String>,
}

/// Runs Postfix's queue tools for one instance.
pub struct Postfix {
    /// `--postfix-config DIR`, passed as `-c DIR`.
    pub config: Option<PathBuf>,
}

impl Postfix {
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(find_program(program));
        if let Some(dir) = &self.config {
            command.arg("-c").arg(dir);
        }
        command
    }

    /// Lists the queue, then reads the headers of its failing messages.
    pub fn read(&self) -> Result<Queue> {
        let output = self
            .command("postqueue")
            .arg("-j")
            .output()
            .context("cannot run postqueue (is Postfix installed?)")?;
        if !output.status.success() {
            bail!(
                "postqueue -j failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let entries = parse_postqueue(&String::from_utf8_lossy(&output.stdout))?;
        let listed = entries.len();
        let failing: Vec<QueueEntry> = entries.into_iter().filter(QueueEntry::failing).collect();
        // Who submitted each message: sendmail's sender is the login's
        // own address when mail() was given no -f.
        let logins = logins(&std::fs::read_to_string("/etc/passwd").unwrap_or_default());
        use rayon::prelude::*;
        let read: Vec<Result<QueuedMessage>> = failing
            .into_par_iter()
            .map(|entry| {
                // Bounce notifications (sender <>) are Postfix's own: their
                // headers say nothing of a script.
                if entry.sender.is_empty() {
                    let headers = Some(MessageHeaders::default());
                    return Ok(QueuedMessage { entry, headers });
                }
                let mut headers = self.headers(&entry.queue_id)?;
                if let Some(h) = &mut headers {
                    h.submitter_login = h.submitter_uid.and_then(|uid| logins.get(&uid).cloned());
                }
                Ok(QueuedMessage { entry, headers })
            })
            .collect();
        let mut queue = Queue {
            listed,
            origin: self.myorigin(),
            ..Queue::default()
        };
        for message in read {
            let message = message?;
            if message.headers.is_none() {
                queue.left += 1;
            } else {
                queue.messages.push(message);
            }
        }
        queue
            .messages
            .sort_by(|a, b| a.entry.queue_id.cmp(&b.entry.queue_id));
        Ok(queue)
    }

    /// `postconf -xh myorigin`, or `None` when it cannot be read. A value
    /// that is a path names a file whose first line is the domain
    /// (Debian's `myorigin = /etc/mailname`).
    fn myorigin(&self) -> Option<String> {
        let output = self
            .command("postconf")
            .args(["-x", "-h", "myorigin"])
            .output()
            .ok()?;
        let origin = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if !output.status.success() {
            return None;
        }
        origin_value(&origin, |path| std::fs::read_to_string(path).ok())
    }

    /// `postcat -hq ID`; `None` when the message is no longer queued.
    fn headers(&self, queue_id: &str) -> Result<Option<MessageHeaders>> {
        let output = self
            .command("postcat")
            .arg("-hq")
            .arg(queue_id)
            .output()
            .context("cannot run postcat (is Postfix installed?)")?;
        if output.status.success() {
            return Ok(Some(parse_headers(&String::from_utf8_lossy(
                &output.stdout,
            ))));
        }
        let message = String::from_utf8_lossy(&output.stderr);
        if message.contains("No such file or directory") {
            return Ok(None);
        }
        let hint = if message.contains("Permission denied") {
            " (postcat reads the queue files: run trace --queue as root)"
        } else {
            ""
        };
        bail!("postcat -hq {queue_id} failed: {}{hint}", message.trim())
    }
}

/// `name` on PATH, else in the sbin folders where Postfix lives (often not
/// on a user's PATH), else `name` itself (so the error names it).
fn find_program(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_names_are_reduced_to_the_file_name() {
        let parse = |v: &str| OriginatingScript::parse(v).map(|s| (s.uid, s.name));
        assert_eq!(
            parse("33:contact.php"),
            Some((Some("33".into()), "contact.php".into()))
        );
        assert_eq!(
            parse("33:/var/www/site/contact.php"),
            Some((Some("33".into()), "contact.php".into()))
        );
        assert_eq!(
            parse("1001:contact.php(12) : eval()'d code"),
            Some((Some("1001".into()), "contact.php".into()))
        );
        assert_eq!(parse("form.php"), Some((None, "form.php".into())));
        assert_eq!(parse("  "), None);
    }

    #[test]
    fn local_submissions_are_told_from_relayed_mail() {
        let local = parse_headers(
            "Received: by web1.example (Postfix, from userid 33)\n\tid 3F2A81C0B2; Fri, 4 Dec 2026\nFrom: a@b.example\n\nbody",
        );
        assert!(local.local);
        let relayed = parse_headers(
            "Received: from partner.example (partner.example [1.2.3.4])\n\tby web1.example (Postfix) with ESMTP id X\nFrom: a@b.example\n",
        );
        assert!(!relayed.local);
    }

    use super::*;

    #[test]
    fn postqueue_lines_are_read_and_an_empty_queue_is_empty() {
        let text = concat!(
            r#"{"queue_name": "deferred", "queue_id": "AFED399E1D2", "arrival_time": 1796415566, "message_size": 343, "forced_expire": false, "sender": "www-data@web1.example", "recipients": [{"address": "ann@gmail.com", "delay_reason": "host x said: 450 4.7.1 try later (in reply to RCPT TO command)"}]}"#,
            "\n",
            r#"{"queue_name": "active", "queue_id": "4Xb3Kq1zZ9z9vNf", "arrival_time": 1796415567, "message_size": 10, "forced_expire": false, "sender": "", "recipients": [{"address": "bo@yahoo.fr"}]}"#,
            "\n"
        );
        let entries = parse_postqueue(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].queue_id, "AFED399E1D2");
        assert_eq!(entries[0].sender, "www-data@web1.example");
        assert!(entries[0].failing());
        assert_eq!(entries[0].status(), "deferred");
        assert_eq!(entries[1].recipients[0].delay_reason, None);
        assert!(!entries[1].failing());
        assert!(parse_postqueue("").unwrap().is_empty());
        assert!(parse_postqueue("not json\n").is_err());
    }

    #[test]
    fn held_messages_are_failing() {
        let entry: QueueEntry = serde_json::from_str(
            r#"{"queue_name": "hold", "queue_id": "ABC123", "sender": "a@b.c", "recipients": []}"#,
        )
        .unwrap();
        assert!(entry.failing());
        assert_eq!(entry.status(), "held");
    }

    #[test]
    fn headers_are_unfolded_and_matched_without_case() {
        let text = "Received: by web1.example (Postfix, from userid 33)\r\n\tid AFED399E1D2; Fri,  4 Dec 2026 20:19:26 +0000 (UTC)\r\nTo: ann@gmail.com\r\nx-php-originating-script: 33:contact.php\r\nFROM: Shop\r\n <shop@client.fr>\r\nFrom: second@client.fr\r\n\r\nBody: not a header\r\n";
        let headers = parse_headers(text);
        assert_eq!(headers.from.as_deref(), Some("Shop <shop@client.fr>"));
        assert_eq!(
            headers.originating_script,
            Some(OriginatingScript {
                uid: Some("33".into()),
                name: "contact.php".into()
            })
        );
        assert_eq!(headers.submitter_uid, Some(33));
    }

    #[test]
    fn myorigin_may_name_a_file() {
        let read = |path: &str| (path == "/etc/mailname").then(|| "web1.example\n".to_string());
        assert_eq!(
            origin_value("/etc/mailname", read).as_deref(),
            Some("web1.example")
        );
        assert_eq!(
            origin_value("h.example", read).as_deref(),
            Some("h.example")
        );
        assert_eq!(origin_value("/etc/missing", read), None);
        assert_eq!(origin_value("", read), None);
    }

    #[test]
    fn logins_by_uid() {
        let logins = logins(
            "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nclient1:x:1001:1001::/home/client1:/bin/sh\nclient1-ftp:x:1001:1001::/home/client1:/bin/false\nbroken\n",
        );
        assert_eq!(logins.get(&33).map(String::as_str), Some("www-data"));
        assert_eq!(logins.get(&1001).map(String::as_str), Some("client1"));
        assert_eq!(logins.len(), 3);
    }

    #[test]
    fn a_message_without_the_php_header_has_none() {
        let headers = parse_headers(
            "To: a@b.c\nSubject: Hi\nFrom: www-data@web1.example (www-data)\nMessage-Id: <x@y>\n",
        );
        assert_eq!(headers.originating_script, None);
        assert_eq!(
            headers.from.as_deref(),
            Some("www-data@web1.example (www-data)")
        );
    }

    #[test]
    fn originating_script_values() {
        let parse = |v| OriginatingScript::parse(v);
        assert_eq!(
            parse("0:contact.php"),
            Some(OriginatingScript {
                uid: Some("0".into()),
                name: "contact.php".into()
            })
        );
        assert_eq!(parse("form.php").unwrap().uid, None);
        assert_eq!(parse("x:form.php").unwrap().name, "x:form.php");
        assert_eq!(parse("  "), None);
    }
}
