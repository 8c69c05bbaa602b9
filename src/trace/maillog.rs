//! Postfix's log, read back into messages: which queue id was sent by whom,
//! to which recipients, with which status and remote reply.
//!
//! Only the part after the program tag is read (`postfix/smtp[123]:`,
//! `postfix-out/smtp[…]:`, `postfix/submission/smtp[…]:`, any
//! `syslog_name`), so every timestamp format (`Dec  4`, `Dec 04`, RFC 3339)
//! and host name works; `journalctl -o cat`'s lines, which start with the
//! queue id, are read too.

use super::SCRIPT_HEADER;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What one log line says about one queued message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A delivery attempt (`smtp`, `lmtp`, `local`, `error`, … agents).
    Delivery(Delivery),
    /// `qmgr`: `from=<sender>, size=…`: the envelope sender (`""` for a
    /// bounce notification).
    Sender(String),
    /// `pickup`: `uid=33 from=<www-data>`: who submitted the message, and
    /// the sender sendmail was given (the bare login when no `-f` was).
    Submitted { uid: String, from: String },
    /// `cleanup`: a header logged by a `header_checks` `INFO` or `WARN`
    /// action (`header X-PHP-Originating-Script: 33:contact.php from …`).
    Header { name: String, value: String },
    /// `bounce`: `sender non-delivery notification: ID`: ID is a bounce
    /// Postfix made, not mail a script sent.
    Notification(String),
    /// `qmgr`: `removed`: the message left the queue.
    Removed,
    /// `qmgr`: `from=<…>, status=expired, returned to sender`: the queue
    /// lifetime ran out for the recipients still deferred.
    Expired,
}

/// One delivery attempt to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub to: String,
    pub relay: Option<String>,
    pub dsn: Option<String>,
    /// `sent`, `deferred`, `bounced`, `expired`, …
    pub status: String,
    /// The text in parentheses after the status, as logged.
    pub reason: Option<String>,
}

impl Delivery {
    /// Whether the mail did not reach this recipient (yet).
    pub fn failed(&self) -> bool {
        failed_status(&self.status)
    }
}

/// Statuses that mean the recipient did not get the mail: everything but
/// `sent` and the address verification probes' `deliverable`.
pub fn failed_status(status: &str) -> bool {
    // `deliverable`/`undeliverable` are address verification probes'
    // results, not mail that was sent.
    !matches!(status, "sent" | "deliverable" | "undeliverable")
}

/// A parsed line: the queue id and what happened to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub queue_id: String,
    pub event: Event,
}

/// The program tag (`syslog_name/…/service[pid]:`, where `syslog_name`
/// is `postfix` unless main.cf or master.cf sets another), or nothing at
/// the start of the line (`journalctl -o cat`), then a queue id: short
/// (upper-case hex) or long (digits and consonants, `z` as separator).
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    // `name/…/service` and `[pid]:`, `:` alone, or RFC 5424's ` PID - -`.
    let tag = r"[^\s/\[]+(?:/[^\s/\[:]+)+(?:\[\d+\]:|:|\s+\d+\s+-\s+(?:-|\[[^\]]*\]))\s+";
    let queue_id = r"[0-9A-F]{6,}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}";
    Regex::new(&format!(r"(?:^(?:{tag})?|\s{tag})({queue_id}):\s+(.*)$")).expect("valid regex")
});
static DELIVERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^to=<([^>]*)>,(.*?)\bstatus=([A-Za-z-]+)(?:\s+\((.*)\))?\s*$")
        .expect("valid regex")
});
static RELAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\brelay=([^,\s]+)").expect("valid regex"));
static DSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bdsn=([0-9.]+)").expect("valid regex"));
static SENDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^from=<([^>]*)>, size=").expect("valid regex"));
static EXPIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^from=<[^>]*>, status=(?:force-)?expired\b").expect("valid regex")
});
static UID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^uid=(\d+) from=<([^>]*)>").expect("valid regex"));
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z]+: header ([!-9;-~]+):\s*(.*?) from \S+; from=<").expect("valid regex")
});
static NOTIFICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^sender (?:non-)?delivery(?: status)? notification: ([0-9A-Za-z]+)\s*$")
        .expect("valid regex")
});

/// Reads one log line; `None` when it says nothing about a message.
pub fn parse_line(line: &str) -> Option<LogLine> {
    let line = line.trim_end_matches(['\r', '\n']);
    let found = LINE.captures(line)?;
    let queue_id = found[1].to_string();
    let rest = &found[2];
    let event = if let Some(d) = DELIVERY.captures(rest) {
        let fields = &d[2];
        Event::Delivery(Delivery {
            to: d[1].to_string(),
            relay: RELAY.captures(fields).map(|c| c[1].to_string()),
            dsn: DSN.captures(fields).map(|c| c[1].to_string()),
            status: d[3].to_string(),
            reason: d.get(4).map(|r| r.as_str().to_string()),
        })
    } else if EXPIRED.is_match(rest) {
        Event::Expired
    } else if let Some(s) = SENDER.captures(rest) {
        Event::Sender(s[1].to_string())
    } else if let Some(u) = UID.captures(rest) {
        Event::Submitted {
            uid: u[1].to_string(),
            from: u[2].to_string(),
        }
    } else if let Some(h) = HEADER.captures(rest) {
        Event::Header {
            name: h[1].to_string(),
            value: h[2].to_string(),
        }
    } else if let Some(n) = NOTIFICATION.captures(rest) {
        Event::Notification(n[1].to_string())
    } else if rest.trim_end() == "removed" {
        Event::Removed
    } else {
        return None;
    };
    Some(LogLine { queue_id, event })
}

/// The remote server's own words in a delivery's reason: `host mx[1.2.3.4]
/// said: 554 5.7.1 … (in reply to RCPT TO command)` gives `554 5.7.1 …`;
/// a local reason (`connect to …: Connection refused`) is kept whole.
pub fn remote_reply(reason: &str) -> &str {
    let reply = reason
        .split_once(" said: ")
        .map_or(reason, |(_, reply)| reply);
    match reply.rfind(" (in reply to ") {
        Some(at) if reply.ends_with(" command)") => &reply[..at],
        _ => reply,
    }
}

/// A Gmail reply's last word before `- gsmtp` is an id of its own, and
/// Outlook's replies end with a server name and time or an `MxId`: written
/// `…`, so that one refusal counts once, whichever message it answered.
static REPLY_TOKENS: LazyLock<[(Regex, &'static str); 3]> = LazyLock::new(|| {
    [
        (r"\s\S+ - gsmtp\s*$", " … - gsmtp"),
        (r"\[MxId=[^\]]*\]", "[MxId=…]"),
        (
            r"\[[0-9A-Za-z.-]+\.protection\.outlook\.com[^\]]*\]",
            "[….protection.outlook.com …]",
        ),
    ]
    .map(|(pattern, with)| (Regex::new(pattern).expect("valid regex"), with))
});

/// A reply with the ids receivers add to every answer written `…`.
pub fn without_reply_ids(reply: &str) -> std::borrow::Cow<'_, str> {
    let mut reply = std::borrow::Cow::Borrowed(reply);
    for (pattern, with) in REPLY_TOKENS.iter() {
        if let std::borrow::Cow::Owned(replaced) = pattern.replace_all(&reply, *with) {
            reply = std::borrow::Cow::Owned(replaced);
        }
    }
    reply
}

/// Everything the log says about one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoggedMessage {
    pub queue_id: String,
    /// The envelope sender (qmgr's `from=<…>`), when logged.
    pub sender: Option<String>,
    /// The submitting user's uid (pickup's `uid=…`), when logged.
    pub uid: Option<String>,
    /// Whether pickup logged the bare login as the sender: sendmail was
    /// given no `-f` (the envelope sender is the account's own address).
    pub no_envelope_sender: bool,
    /// `X-PHP-Originating-Script`, when `header_checks` logs it.
    pub originating_script: Option<String>,
    /// A bounce Postfix made itself.
    pub notification: bool,
    /// The last delivery attempt per recipient.
    pub recipients: BTreeMap<String, Delivery>,
}

impl LoggedMessage {
    /// The recipients whose last attempt failed.
    pub fn failures(&self) -> impl Iterator<Item = &Delivery> {
        self.recipients.values().filter(|d| d.failed())
    }
}

/// The messages of one or more logs, by queue id.
#[derive(Debug, Default)]
pub struct MailLog {
    /// The messages still in the queue (or whose end the log did not say).
    pub messages: BTreeMap<String, LoggedMessage>,
    /// Failed messages that left the queue: their queue id may be reused
    /// by a later message (Postfix's short ids are), which starts afresh.
    pub finished: Vec<LoggedMessage>,
    /// Lines read.
    pub lines: usize,
    /// Lines that said something about a queued message.
    pub postfix_lines: usize,
}

impl MailLog {
    /// Adds the lines of `text` (logs are read in the order given: rotate
    /// oldest first, so that a later attempt replaces an earlier one).
    pub fn read(&mut self, text: &str) {
        for line in text.lines() {
            self.read_line(line);
        }
    }

    pub fn read_line(&mut self, line: &str) {
        self.lines += 1;
        if let Some(parsed) = parse_line(line) {
            self.postfix_lines += 1;
            self.add(parsed);
        }
    }

    /// Adds one line's event. A message that leaves the queue with every
    /// recipient reached is forgotten: memory holds the failed and the
    /// unfinished messages only, however long the log.
    pub fn add(&mut self, line: LogLine) {
        match &line.event {
            Event::Notification(id) => self.message(id).notification = true,
            Event::Removed => {
                if let Some(message) = self.messages.remove(&line.queue_id)
                    && message.failures().next().is_some()
                {
                    self.finished.push(message);
                }
                return;
            }
            _ => {}
        }
        let message = self.message(&line.queue_id);
        match line.event {
            Event::Delivery(d) => {
                message.recipients.insert(d.to.clone(), d);
            }
            Event::Sender(s) => {
                message.notification |= s.is_empty();
                message.sender = Some(s);
            }
            Event::Submitted { uid, from } => {
                message.uid = Some(uid);
                message.no_envelope_sender = !from.is_empty() && !from.contains('@');
            }
            Event::Header { name, value } => {
                if name.eq_ignore_ascii_case(SCRIPT_HEADER) {
                    message.originating_script = Some(value);
                }
            }
            Event::Expired => {
                for delivery in message.recipients.values_mut() {
                    if delivery.failed() {
                        delivery.status = "expired".into();
                    }
                }
            }
            Event::Notification(_) | Event::Removed => {}
        }
    }

    fn message(&mut self, queue_id: &str) -> &mut LoggedMessage {
        self.messages
            .entry(queue_id.to_string())
            .or_insert_with(|| LoggedMessage {
                queue_id: queue_id.to_string(),
                ..LoggedMessage::default()
            })
    }

    /// The messages a script sent that did not reach every recipient, in
    /// queue id order.
    pub fn failed(&self) -> impl Iterator<Item = &LoggedMessage> {
        self.all()
            .filter(|m| !m.notification && m.failures().next().is_some())
    }

    /// Every message the log kept: finished ones, then the rest.
    pub fn all(&self) -> impl Iterator<Item = &LoggedMessage> {
        self.finished.iter().chain(self.messages.values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(line: &str) -> Delivery {
        match parse_line(line).expect("a message line").event {
            Event::Delivery(d) => d,
            other => panic!("not a delivery: {other:?}"),
        }
    }

    #[test]
    fn deliveries_are_read_whatever_the_timestamp() {
        let rest = "postfix/smtp[2211]: 3F2A81C0B2: to=<ann@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[142.250.1.26] said: 554 5.7.1 <ann@gmail.com>: Recipient address rejected (in reply to RCPT TO command))";
        for stamp in [
            "Dec  4 10:01:02 web1",
            "Dec 04 10:01:02 web1",
            "2026-12-04T10:01:02.123456+01:00 web1",
            "",
        ] {
            let d = delivery(&format!("{stamp} {rest}"));
            assert_eq!(d.to, "ann@gmail.com");
            assert_eq!(d.status, "bounced");
            assert_eq!(d.dsn.as_deref(), Some("5.7.1"));
            assert_eq!(
                d.relay.as_deref(),
                Some("gmail-smtp-in.l.google.com[142.250.1.26]:25")
            );
            assert_eq!(
                remote_reply(d.reason.as_deref().unwrap()),
                "554 5.7.1 <ann@gmail.com>: Recipient address rejected"
            );
            assert!(d.failed());
        }
    }

    #[test]
    fn instances_services_and_long_queue_ids() {
        let line = "Dec  4 10:01:02 web1 postfix-out/submission/smtp[77]: 4Xb3Kq1zZ9z9vNf: to=<bo@yahoo.fr>, orig_to=<bo@old.example>, relay=none, delay=30, delays=30/0/0/0, dsn=4.4.1, status=deferred (connect to mx.yahoo.fr[1.2.3.4]:25: Connection timed out)";
        let parsed = parse_line(line).unwrap();
        assert_eq!(parsed.queue_id, "4Xb3Kq1zZ9z9vNf");
        let Event::Delivery(d) = parsed.event else {
            panic!("a delivery")
        };
        assert_eq!(d.to, "bo@yahoo.fr");
        assert_eq!(d.relay.as_deref(), Some("none"));
        assert_eq!(d.status, "deferred");
        assert_eq!(
            remote_reply(d.reason.as_deref().unwrap()),
            "connect to mx.yahoo.fr[1.2.3.4]:25: Connection timed out"
        );
    }

    #[test]
    fn sent_is_not_a_failure_and_a_status_may_have_no_reason() {
        let d = delivery(
            "Dec 4 10:00:00 h postfix/local[5]: ABCDEF123: to=<a@b.c>, relay=local, delay=0, dsn=2.0.0, status=sent (delivered to mailbox)",
        );
        assert!(!d.failed());
        let d = delivery(
            "Dec 4 10:00:00 h postfix/smtp[5]: ABCDEF123: to=<a@b.c>, relay=none, status=expired",
        );
        assert_eq!((d.status.as_str(), d.reason), ("expired", None));
    }

    #[test]
    fn senders_uids_headers_and_notifications() {
        let event = |line: &str| parse_line(line).unwrap().event;
        assert_eq!(
            event(
                "Dec  4 10:00:00 h postfix/qmgr[9]: 3F2A81C0B2: from=<www-data@web1.example>, size=1020, nrcpt=1 (queue active)"
            ),
            Event::Sender("www-data@web1.example".into())
        );
        assert_eq!(
            event("Dec  4 10:00:00 h postfix/pickup[9]: 3F2A81C0B2: uid=33 from=<www-data>"),
            Event::Submitted {
                uid: "33".into(),
                from: "www-data".into()
            }
        );
        assert_eq!(
            event(
                "Dec  4 10:00:00 h postfix/cleanup[9]: 3F2A81C0B2: info: header X-PHP-Originating-Script: 33:contact.php from local; from=<www-data@web1.example> to=<ann@gmail.com>"
            ),
            Event::Header {
                name: "X-PHP-Originating-Script".into(),
                value: "33:contact.php".into()
            }
        );
        assert_eq!(
            event(
                "Dec  4 10:00:00 h postfix/bounce[9]: 3F2A81C0B2: sender non-delivery notification: 5B1C21C0B3"
            ),
            Event::Notification("5B1C21C0B3".into())
        );
    }

    #[test]
    fn lines_about_no_message_are_skipped() {
        for line in [
            "Dec  4 10:00:00 h postfix/smtp[9]: connect to mx.example[1.2.3.4]:25: Connection refused",
            "Dec  4 10:00:00 h postfix/smtpd[9]: warning: hostname x does not resolve to address 1.2.3.4",
            "Dec  4 10:00:00 h postfix/smtpd[9]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 5.7.1 Relay access denied",
            "Dec  4 10:00:00 h postfix/cleanup[9]: 3F2A81C0B2: message-id=<x@y>",
            "Dec  4 10:00:00 h dovecot[9]: 3F2A81C0B2: to=<a@b.c>, status=bounced",
            "",
        ] {
            assert_eq!(parse_line(line), None, "{line}");
        }
    }

    #[test]
    fn the_log_keeps_the_last_attempt_per_recipient_and_drops_bounces() {
        let mut log = MailLog::default();
        log.read(concat!(
            "Dec  4 10:00:00 h postfix/pickup[1]: AAAAAA1: uid=33 from=<www-data>\r\n",
            "Dec  4 10:00:00 h postfix/qmgr[1]: AAAAAA1: from=<www-data@h.example>, size=10, nrcpt=2 (queue active)\r\n",
            "Dec  4 10:00:01 h postfix/smtp[2]: AAAAAA1: to=<a@gmail.com>, relay=none, dsn=4.4.1, status=deferred (connect to x: Connection refused)\r\n",
            "Dec  4 10:00:01 h postfix/smtp[2]: AAAAAA1: to=<b@free.fr>, relay=none, dsn=4.4.1, status=deferred (connect to x: Connection refused)\r\n",
            "Dec  4 10:30:01 h postfix/smtp[2]: AAAAAA1: to=<a@gmail.com>, relay=mx, dsn=2.0.0, status=sent (250 ok)\r\n",
            "Dec  4 10:00:00 h postfix/qmgr[1]: BBBBBB2: from=<shop@client.fr>, size=10, nrcpt=1 (queue active)\n",
            "Dec  4 10:00:01 h postfix/smtp[2]: BBBBBB2: to=<c@gmail.com>, relay=mx, dsn=2.0.0, status=sent (250 ok)\n",
            "Dec  4 10:00:01 h postfix/qmgr[1]: BBBBBB2: removed\n",
            "Dec  4 10:00:00 h postfix/bounce[1]: AAAAAA1: sender non-delivery notification: CCCCCC3\n",
            "Dec  4 10:00:00 h postfix/qmgr[1]: CCCCCC3: from=<>, size=10, nrcpt=1 (queue active)\n",
            "Dec  4 10:00:01 h postfix/smtp[2]: CCCCCC3: to=<www-data@h.example>, relay=none, dsn=4.4.1, status=deferred (connect to x: Connection refused)\n",
        ));
        assert_eq!(log.lines, 11);
        assert!(
            !log.messages.contains_key("BBBBBB2"),
            "delivered and removed"
        );
        let failed: Vec<&LoggedMessage> = log.failed().collect();
        assert_eq!(failed.len(), 1);
        let message = failed[0];
        assert_eq!(message.queue_id, "AAAAAA1");
        assert_eq!(message.sender.as_deref(), Some("www-data@h.example"));
        assert_eq!(message.uid.as_deref(), Some("33"));
        assert!(
            message.no_envelope_sender,
            "pickup's from= is the bare login"
        );
        let failures: Vec<&str> = message.failures().map(|d| d.to.as_str()).collect();
        assert_eq!(failures, ["b@free.fr"]);
        assert!(log.messages["CCCCCC3"].notification);
    }

    #[test]
    fn any_syslog_name_and_journalctl_cat_lines() {
        for line in [
            "Dec  4 10:00:00 web1 mta-out/smtp[2142]: 3F2A81C0B2: to=<a@b.c>, relay=none, status=bounced (x)",
            "postfix/smtp[2142]: 3F2A81C0B2: to=<a@b.c>, relay=none, status=bounced (x)",
            "3F2A81C0B2: to=<a@b.c>, relay=none, status=bounced (x)",
        ] {
            let parsed = parse_line(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(parsed.queue_id, "3F2A81C0B2");
        }
        let mut log = MailLog::default();
        log.read("Dec  4 10:00:00 h postfix/pickup[1]: AAAAAA1: uid=1001 from=<shop@client.fr>\n");
        assert!(
            !log.messages["AAAAAA1"].no_envelope_sender,
            "sendmail was given -f"
        );
        assert_eq!((log.lines, log.postfix_lines), (1, 1));
        log.read("Dec  4 10:00:00 h sshd[1]: Accepted publickey for root\n");
        assert_eq!((log.lines, log.postfix_lines), (2, 1));
    }

    #[test]
    fn receivers_ids_in_replies_are_left_out() {
        assert_eq!(
            without_reply_ids(
                "550-5.7.26 Unauthenticated email. https://support.google.com/mail/answer/81126 d2e1a72fcca58-73bd2si123456b3a.12 - gsmtp"
            ),
            "550-5.7.26 Unauthenticated email. https://support.google.com/mail/answer/81126 … - gsmtp"
        );
        assert_eq!(
            without_reply_ids(
                "550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. (S3140). [Name=Protocol Filter Agent][AGT=PFA][MxId=11BA7C3B12345678] [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com 2026-12-04T10:00:00.000Z 08DD1234]"
            ),
            "550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. (S3140). [Name=Protocol Filter Agent][AGT=PFA][MxId=…] [….protection.outlook.com …]"
        );
        assert_eq!(
            without_reply_ids("450 4.7.1 try later"),
            "450 4.7.1 try later"
        );
    }

    #[test]
    fn remote_replies_lose_the_host_and_the_command() {
        assert_eq!(
            remote_reply(
                "host mx.orange.fr[1.2.3.4] said: 550 5.7.1 Service refused (in reply to MAIL FROM command)"
            ),
            "550 5.7.1 Service refused"
        );
        assert_eq!(
            remote_reply("lost connection with mx (in reply to)"),
            "lost connection with mx (in reply to)"
        );
    }
}
