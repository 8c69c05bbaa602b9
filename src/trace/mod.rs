//! `phpmailfix trace`: from the mail server's failures back to the PHP file
//! that sent them.
//!
//! The log (`maillog`) says which queue ids failed, to whom, with which
//! remote reply, and usually the envelope sender; the queue (`queue`) says
//! the same of messages still waiting, and their headers name the script
//! (`X-PHP-Originating-Script: UID:BASENAME`, when PHP's
//! `mail.add_x_header` is on). Both are merged by queue id into
//! `FailedMessage`s, grouped by script (or, when no header names one, by
//! envelope sender), and each script name is joined with the files of the
//! scanned tree that bear it and `check`'s findings in them. The log alone
//! names a script only when Postfix logs the header (`header_checks` with
//! an `INFO` action).

pub mod maillog;
pub mod queue;
pub mod report;

use crate::scan::{FileReport, ScanResult};
use crate::walk::{WalkOptions, display_path};
use anyhow::{Context, Result, bail};
use maillog::MailLog;
use queue::{OriginatingScript, Queue};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The header PHP adds when `mail.add_x_header` is on.
pub const SCRIPT_HEADER: &str = "X-PHP-Originating-Script";

/// Local parts of the accounts web servers and PHP run as: an envelope
/// sender like `www-data@host` means `mail()` was given no `-f`.
pub const SYSTEM_USERS: [&str; 16] = [
    "www-data", "apache", "apache2", "nginx", "httpd", "http", "www", "_www", "wwwrun", "nobody",
    "root", "daemon", "lighttpd", "php-fpm", "php", "webapps",
];

/// Whether `address` (`www-data@host`, `Name <www-data@host>`, `www-data`)
/// is a system account's.
pub fn is_system_user(address: &str) -> bool {
    let address = bare_address(address);
    let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
    SYSTEM_USERS
        .iter()
        .any(|user| user.eq_ignore_ascii_case(local))
}

/// The address in `Name <addr>`, or the text itself.
pub fn bare_address(value: &str) -> &str {
    match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => value[open + 1..close].trim(),
        _ => value.trim(),
    }
}

/// The domain of an address, lower-cased (`""` when it has none).
fn domain(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or("", |(_, domain)| domain)
        .to_ascii_lowercase()
}

/// One message that did not reach all its recipients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedMessage {
    pub queue_id: String,
    /// The worst status of its failed recipients: `bounced`, `expired`,
    /// `deferred`, `held`, …
    pub status: String,
    /// The envelope sender, when the log or the queue says it.
    pub sender: Option<String>,
    /// The From header (queued messages always have one).
    pub from_header: Option<String>,
    pub script: Option<OriginatingScript>,
    /// The submitting user's uid (the log's `pickup` line).
    pub uid: Option<String>,
    /// Whether the log shows that sendmail was given no `-f` (pickup's
    /// sender is the bare login).
    pub no_envelope_sender: bool,
    /// Whether the headers were read (from the queue, or logged), so that a
    /// missing script header means `mail.add_x_header` is off.
    pub headers_read: bool,
    /// The failed recipients and the reason each failed.
    pub failures: Vec<(String, Option<String>)>,
}

/// Worse statuses first: the one a message is reported under.
fn status_rank(status: &str) -> u8 {
    match status {
        "bounced" => 0,
        "expired" => 1,
        "undeliverable" => 2,
        "deferred" => 3,
        "held" => 4,
        _ => 5,
    }
}

/// Merges the log's and the queue's failing messages by queue id. The
/// queue adds headers to what the log says; a message only one of them
/// knows is taken as it is. The log's messages count as having their
/// headers read when the log names a script anywhere (Postfix logs the
/// header). Bounce notifications (sender `<>`) are left
/// out: they are Postfix's, not a script's.
pub fn failed_messages(log: &MailLog, queue: Option<&Queue>) -> (Vec<FailedMessage>, usize) {
    let mut notifications = 0;
    let mut messages: BTreeMap<String, FailedMessage> = BTreeMap::new();
    // A log that names one script logs the header (header_checks): a
    // message it names no script for was sent without the header.
    let headers_logged = log.all().any(|m| m.originating_script.is_some());
    // Bounce notifications, counted once whichever source names them.
    let mut notification_ids = BTreeSet::new();
    // Messages that left the queue (their ids may have been reused), then
    // those still in it, which the queue's may complete.
    let mut finished = Vec::new();
    let logged_messages = log
        .finished
        .iter()
        .map(|m| (m, false))
        .chain(log.messages.values().map(|m| (m, true)));
    for (logged, current) in logged_messages {
        if logged.failures().next().is_none() {
            continue;
        }
        if logged.notification {
            notification_ids.insert(logged.queue_id.clone());
            continue;
        }
        let script = logged
            .originating_script
            .as_deref()
            .and_then(OriginatingScript::parse);
        let failures: Vec<_> = logged.failures().collect();
        let status = failures
            .iter()
            .map(|d| d.status.as_str())
            .min_by_key(|s| status_rank(s))
            .unwrap_or("deferred")
            .to_string();
        let message = FailedMessage {
            queue_id: logged.queue_id.clone(),
            status,
            sender: logged.sender.clone(),
            from_header: None,
            // Only mail submitted here (pickup's uid) is PHP's to name.
            headers_read: headers_logged && logged.uid.is_some(),
            uid: logged.uid.clone(),
            no_envelope_sender: logged.no_envelope_sender,
            script,
            failures: failures
                .iter()
                .map(|d| (d.to.clone(), d.reason.clone()))
                .collect(),
        };
        if current {
            messages.insert(logged.queue_id.clone(), message);
        } else {
            finished.push(message);
        }
    }
    for queued in queue.map_or(&[][..], |q| &q.messages[..]) {
        let entry = &queued.entry;
        if entry.sender.is_empty() {
            notification_ids.insert(entry.queue_id.clone());
            continue;
        }
        let headers = queued.headers.clone().unwrap_or_default();
        let message = messages
            .entry(entry.queue_id.clone())
            .or_insert_with(|| FailedMessage {
                queue_id: entry.queue_id.clone(),
                status: entry.status().to_string(),
                sender: None,
                from_header: None,
                script: None,
                uid: None,
                no_envelope_sender: false,
                headers_read: false,
                failures: entry
                    .recipients
                    .iter()
                    .map(|r| (r.address.clone(), r.delay_reason.clone()))
                    .collect(),
            });
        message.sender.get_or_insert_with(|| entry.sender.clone());
        message.headers_read |= queued.headers.as_ref().is_some_and(|h| h.local);
        if message.uid.is_none() {
            message.uid = headers.submitter_uid.map(|uid| uid.to_string());
        }
        // sendmail made the sender from the submitting account's login and
        // myorigin: `-f login@other.domain` is a sender of the script's own.
        if let (Some(login), Some(origin), Some(sender)) = (
            headers.submitter_login.as_deref(),
            queue.and_then(|q| q.origin.as_deref()),
            message.sender.as_deref(),
        ) {
            let made = format!("{login}@{origin}");
            message.no_envelope_sender |= bare_address(sender).eq_ignore_ascii_case(&made);
        }
        message.from_header = headers.from.or(message.from_header.take());
        message.script = headers.originating_script.or(message.script.take());
    }
    notifications += notification_ids.len();
    finished.extend(messages.into_values());
    finished.sort_by(|a, b| a.queue_id.cmp(&b.queue_id));
    (finished, notifications)
}

/// What a group of failed messages is keyed by: the script the header
/// names, or, without one, the envelope sender.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKey {
    Script(String),
    Sender(Option<String>),
}

/// Failed messages from one script (or one sender) and where it is.
#[derive(Debug)]
pub struct Group<'a> {
    pub key: GroupKey,
    pub messages: Vec<FailedMessage>,
    /// The scanned files with the script's name that hold mail calls.
    pub candidates: Vec<&'a FileReport>,
    /// Files with the script's name where no mail call was found (looked
    /// for only when there is no candidate).
    pub other_files: Vec<PathBuf>,
    /// Files with the script's name that the walk skipped (ignored by a
    /// `.gitignore` or hidden), looked for only when there is no other.
    pub skipped_files: Vec<PathBuf>,
}

/// The findings of `file` that explain mail leaving without an envelope
/// sender (warnings and errors): what a failed message is traced to.
pub fn sender_findings(file: &FileReport) -> impl Iterator<Item = &crate::finding::Finding> {
    use crate::rules::Rule;
    file.findings.iter().filter(|f| {
        f.severity >= crate::finding::Severity::Warning
            && matches!(
                f.rule,
                Rule::MissingEnvelopeSender
                    | Rule::DynamicEnvelopeSender
                    | Rule::WordpressEmptySender
                    | Rule::PhpmailerEmptySender
                    | Rule::PhpmailerUnsafePatch
            )
    })
}

/// Whether `file` is PHPMailer itself: the header names it for every
/// message sent through it, so the cause is where it is used.
pub fn is_phpmailer(file: &FileReport) -> bool {
    file.analysis.library.phpmailer.is_some()
}

/// For WordPress core's PHPMailer, the same install's `pluggable.php`
/// (where `wordpress-empty-sender` is reported).
fn wordpress_caller<'a>(file: &FileReport, result: &'a ScanResult) -> Option<&'a FileReport> {
    let mut root = PathBuf::new();
    let mut found = false;
    for component in file.path.components() {
        if component.as_os_str() == "wp-includes" {
            found = true;
            break;
        }
        root.push(component);
    }
    let pluggable = root.join("wp-includes").join("pluggable.php");
    let normal = crate::library::normal;
    found
        .then(|| {
            result
                .files
                .iter()
                .find(|f| normal(&f.path) == normal(&pluggable))
        })
        .flatten()
}

impl Group<'_> {
    /// Whether a candidate has a finding that explains the missing
    /// envelope sender: the failing mail is traced to it.
    pub fn traced(&self) -> bool {
        self.candidates
            .iter()
            .any(|f| sender_findings(f).next().is_some())
    }

    /// Messages per value, most frequent first, then by value.
    fn counted<'m>(
        &'m self,
        values: impl Fn(&'m FailedMessage) -> Vec<String>,
    ) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for message in &self.messages {
            let distinct: BTreeSet<String> = values(message).into_iter().collect();
            for value in distinct {
                *counts.entry(value).or_default() += 1;
            }
        }
        let mut counted: Vec<(String, usize)> = counts.into_iter().collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counted
    }

    pub fn statuses(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for message in &self.messages {
            *counts.entry(message.status.clone()).or_default() += 1;
        }
        counts
    }

    pub fn senders(&self) -> Vec<(String, usize)> {
        self.counted(|m| m.sender.iter().cloned().collect())
    }

    /// Whether `sender` shows that `mail()` was given no `-f`: a system
    /// account's address, or one the log shows sendmail made from the
    /// submitting account's login (a site's own PHP-FPM user).
    pub fn sender_without_f(&self, sender: &str) -> bool {
        is_system_user(sender)
            || self
                .messages
                .iter()
                .any(|m| m.no_envelope_sender && m.sender.as_deref() == Some(sender))
    }

    pub fn from_headers(&self) -> Vec<(String, usize)> {
        self.counted(|m| m.from_header.iter().cloned().collect())
    }

    /// The remote replies (or local reasons), one per distinct text; the
    /// recipient's own address in a reply is written `<recipient>`, so
    /// that one refusal sent to many recipients counts once.
    pub fn replies(&self) -> Vec<(String, usize)> {
        self.counted(|m| {
            m.failures
                .iter()
                .filter_map(|(to, reason)| Some((to, reason.as_deref()?)))
                .map(|(to, reason)| {
                    let reply = maillog::without_reply_ids(maillog::remote_reply(reason));
                    if to.is_empty() {
                        reply.into_owned()
                    } else {
                        reply.replace(&format!("<{to}>"), "<recipient>")
                    }
                })
                .collect()
        })
    }

    pub fn domains(&self) -> Vec<String> {
        let domains: BTreeSet<String> = self
            .messages
            .iter()
            .flat_map(|m| m.failures.iter().map(|(to, _)| domain(to)))
            .filter(|d| !d.is_empty())
            .collect();
        domains.into_iter().collect()
    }

    pub fn uids(&self) -> Vec<String> {
        let uids: BTreeSet<String> = self
            .messages
            .iter()
            .filter_map(|m| {
                m.script
                    .as_ref()
                    .and_then(|s| s.uid.clone())
                    .or(m.uid.clone())
            })
            .collect();
        uids.into_iter().collect()
    }
}

/// The whole trace: groups, worst first, and what the reader must know.
#[derive(Debug)]
pub struct Trace<'a> {
    pub groups: Vec<Group<'a>>,
    /// Bounce notifications left out.
    pub notifications: usize,
    /// Messages whose headers were read and have no script header.
    pub without_header: usize,
    /// Whether only a log was read (it seldom names scripts).
    pub log_only: bool,
    /// Queue messages that left between `postqueue` and `postcat`.
    pub left_queue: usize,
    /// Log lines read (0 without `--maillog`).
    pub log_lines: usize,
    /// Of those, the lines about a queued message.
    pub log_postfix_lines: usize,
    /// Messages `postqueue -j` listed, when the queue was read.
    pub queue_listed: Option<usize>,
}

impl<'a> Trace<'a> {
    /// Merges the log and the queue, groups their failed messages and
    /// joins each script name with the scanned files.
    pub fn build(
        log: &MailLog,
        queue: Option<&Queue>,
        result: &'a ScanResult,
        walk: &WalkOptions,
    ) -> Result<Trace<'a>> {
        let (messages, notifications) = failed_messages(log, queue);
        let without_header = messages
            .iter()
            .filter(|m| m.headers_read && m.script.is_none())
            .count();
        let mut grouped: BTreeMap<GroupKey, Vec<FailedMessage>> = BTreeMap::new();
        for message in messages {
            let key = match &message.script {
                Some(script) => GroupKey::Script(script.name.clone()),
                None => GroupKey::Sender(message.sender.clone()),
            };
            grouped.entry(key).or_default().push(message);
        }
        let mut groups: Vec<Group> = grouped
            .into_iter()
            .map(|(key, messages)| {
                let mut candidates: Vec<&FileReport> = match &key {
                    GroupKey::Script(name) => result
                        .files
                        .iter()
                        .filter(|f| f.path.file_name().is_some_and(|n| n == name.as_str()))
                        .collect(),
                    GroupKey::Sender(_) => Vec::new(),
                };
                // Mail through WordPress names PHPMailer.php: its cause is
                // wp_mail()'s, in pluggable.php.
                let callers: Vec<&FileReport> = candidates
                    .iter()
                    .filter(|f| is_phpmailer(f))
                    .filter_map(|f| wordpress_caller(f, result))
                    .collect();
                for caller in callers {
                    if !candidates.iter().any(|c| std::ptr::eq(*c, caller)) {
                        candidates.push(caller);
                    }
                }
                Group {
                    key,
                    messages,
                    candidates,
                    other_files: Vec::new(),
                    skipped_files: Vec::new(),
                }
            })
            .collect();
        let unmatched: BTreeSet<String> = groups
            .iter()
            .filter(|g| g.candidates.is_empty())
            .filter_map(|g| match &g.key {
                GroupKey::Script(name) => Some(name.clone()),
                GroupKey::Sender(_) => None,
            })
            .collect();
        if !unmatched.is_empty() {
            let mut named = files_named(walk, &unmatched)?;
            // Names no walked file has: perhaps one the walk skipped.
            let unseen: BTreeSet<String> = unmatched
                .into_iter()
                .filter(|n| !named.contains_key(n))
                .collect();
            let mut skipped = BTreeMap::new();
            let scanned_all = walk.no_ignore && walk.hidden;
            if !unseen.is_empty() && !scanned_all {
                let mut wide = walk.clone();
                (wide.no_ignore, wide.hidden) = (true, true);
                // Not the folders that hold no site's code and many files.
                wide.exclude
                    .extend([".git", ".svn", ".hg", "node_modules"].map(String::from));
                skipped = files_named(&wide, &unseen)?;
            }
            for group in &mut groups {
                if let GroupKey::Script(name) = &group.key {
                    group.other_files = named.remove(name).unwrap_or_default();
                    group.skipped_files = skipped.remove(name).unwrap_or_default();
                }
            }
        }
        // Traced groups first, then the most failed messages.
        groups.sort_by(|a, b| {
            b.traced()
                .cmp(&a.traced())
                .then_with(|| b.messages.len().cmp(&a.messages.len()))
                .then_with(|| a.key.cmp(&b.key))
        });
        Ok(Trace {
            groups,
            notifications,
            without_header,
            log_only: queue.is_none(),
            left_queue: queue.map_or(0, |q| q.left),
            log_lines: log.lines,
            log_postfix_lines: log.postfix_lines,
            queue_listed: queue.map(|q| q.listed),
        })
    }

    pub fn failed(&self) -> usize {
        self.groups.iter().map(|g| g.messages.len()).sum()
    }

    pub fn traced(&self) -> usize {
        self.groups
            .iter()
            .filter(|g| g.traced())
            .map(|g| g.messages.len())
            .sum()
    }
}

/// Every file of the walk (any extension) whose name is one of `names`.
fn files_named(
    walk: &WalkOptions,
    names: &BTreeSet<String>,
) -> Result<BTreeMap<String, Vec<PathBuf>>> {
    let found = std::sync::Mutex::new(BTreeMap::<String, Vec<PathBuf>>::new());
    let mut options = walk.clone();
    // The script may not have a PHP extension of the default list.
    options.extensions = names
        .iter()
        .filter_map(|n| Path::new(n).extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .collect();
    crate::walk::walk(
        &options,
        || (),
        |(), path| {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                return;
            };
            if names.contains(name) {
                found
                    .lock()
                    .expect("not poisoned")
                    .entry(name.to_string())
                    .or_default()
                    .push(display_path(path));
            }
        },
    )?;
    let mut found = found.into_inner().expect("not poisoned");
    for paths in found.values_mut() {
        paths.sort();
    }
    Ok(found)
}

/// Reads `--maillog` files (`-` is stdin) into one log, in the order
/// given, line by line: a log of any size is never held whole.
pub fn read_logs(paths: &[PathBuf]) -> Result<MailLog> {
    use std::io::BufRead;
    let mut log = MailLog::default();
    for path in paths {
        let shown = path.display();
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let file = std::fs::File::open(path).with_context(|| format!("cannot read {shown}"))?;
            Box::new(std::io::BufReader::new(file))
        };
        read_log(reader, path, &mut log).with_context(|| format!("cannot read {shown}"))?;
    }
    Ok(log)
}

fn read_log(mut reader: impl std::io::BufRead, path: &Path, log: &mut MailLog) -> Result<()> {
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if std::mem::take(&mut first) {
            let compressed = [
                (&b"\x1f\x8b"[..], "zcat"),
                (&b"BZh"[..], "bzcat"),
                (&b"\xfd7zXZ\x00"[..], "xzcat"),
                (&b"\x28\xb5\x2f\xfd"[..], "zstdcat"),
            ];
            if let Some((_, tool)) = compressed.iter().find(|(magic, _)| line.starts_with(magic)) {
                let file = if path.as_os_str() == "-" {
                    "FILE".into()
                } else {
                    path.display().to_string()
                };
                bail!(
                    "it is compressed: read it with `{tool} {file} | phpmailfix trace --maillog - …`"
                );
            }
            if line.contains(&0) {
                bail!("it is not a text log (it holds NUL bytes)");
            }
        }
        log.read_line(&String::from_utf8_lossy(&line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use queue::{MessageHeaders, QueueEntry, QueueRecipient, QueuedMessage};

    fn queued(id: &str, sender: &str, script: Option<&str>) -> QueuedMessage {
        QueuedMessage {
            entry: QueueEntry {
                queue_name: "deferred".into(),
                queue_id: id.into(),
                arrival_time: None,
                message_size: None,
                sender: sender.into(),
                recipients: vec![QueueRecipient {
                    address: "ann@Gmail.com".into(),
                    delay_reason: Some("host mx said: 450 4.7.1 <ann@Gmail.com>: try later (in reply to RCPT TO command)".into()),
                }],
            },
            headers: Some(MessageHeaders {
                from: Some("www-data <www-data@web1.example>".into()),
                originating_script: script.and_then(OriginatingScript::parse),
                local: true,
                ..MessageHeaders::default()
            }),
        }
    }

    #[test]
    fn the_queue_adds_headers_to_what_the_log_says() {
        let mut log = MailLog::default();
        log.read(concat!(
            "Dec  4 10:00:00 h postfix/pickup[1]: AAAAAA1: uid=33 from=<www-data>\n",
            "Dec  4 10:00:00 h postfix/qmgr[1]: AAAAAA1: from=<www-data@web1.example>, size=10, nrcpt=1 (queue active)\n",
            "Dec  4 10:00:01 h postfix/smtp[2]: AAAAAA1: to=<ann@Gmail.com>, relay=mx, dsn=5.7.1, status=bounced (host mx said: 554 5.7.1 no (in reply to RCPT TO command))\n",
        ));
        let queue = Queue {
            listed: 3,
            messages: vec![
                queued("AAAAAA1", "www-data@web1.example", Some("33:contact.php")),
                queued("BBBBBB2", "www-data@web1.example", None),
                queued("CCCCCC3", "", None),
            ],
            left: 0,
            origin: None,
        };
        let (messages, notifications) = failed_messages(&log, Some(&queue));
        assert_eq!(notifications, 1);
        assert_eq!(messages.len(), 2);
        let first = &messages[0];
        assert_eq!(first.status, "bounced", "the log's status is kept");
        assert_eq!(first.uid.as_deref(), Some("33"));
        assert_eq!(first.script.as_ref().unwrap().name, "contact.php");
        assert!(first.headers_read);
        let second = &messages[1];
        assert_eq!(second.status, "deferred");
        assert_eq!(second.sender.as_deref(), Some("www-data@web1.example"));
        assert!(second.headers_read && second.script.is_none());

        let result = ScanResult::default();
        let empty = tempfile::tempdir().unwrap();
        let walk = WalkOptions {
            paths: vec![empty.path().to_path_buf()],
            ..WalkOptions::default()
        };
        let trace = Trace::build(&log, Some(&queue), &result, &walk).unwrap();
        assert_eq!(
            (trace.failed(), trace.traced(), trace.without_header),
            (2, 0, 1)
        );
        let unnamed = trace
            .groups
            .iter()
            .find(|g| g.key == GroupKey::Sender(Some("www-data@web1.example".into())))
            .unwrap();
        assert_eq!(unnamed.domains(), ["gmail.com"]);
        assert_eq!(
            unnamed.replies(),
            [("450 4.7.1 <recipient>: try later".to_string(), 1)]
        );
    }

    #[test]
    fn a_queued_sender_made_from_the_submitters_login_has_no_f() {
        let mut own = queued("AAAAAA1", "client1@web1.example", None);
        let mut other = queued("BBBBBB2", "shop@client1.fr", None);
        // -f with the login's name at the site's own domain.
        let mut given = queued("CCCCCC3", "client1@client1.fr", None);
        for message in [&mut own, &mut other, &mut given] {
            let headers = message.headers.as_mut().unwrap();
            headers.submitter_uid = Some(1001);
            headers.submitter_login = Some("client1".into());
        }
        let mut queue = Queue {
            listed: 3,
            messages: vec![own, other, given],
            left: 0,
            origin: Some("web1.example".into()),
        };
        let flags = |queue: &Queue| -> Vec<(bool, Option<String>)> {
            failed_messages(&MailLog::default(), Some(queue))
                .0
                .iter()
                .map(|m| (m.no_envelope_sender, m.uid.clone()))
                .collect()
        };
        let uid = Some("1001".to_string());
        assert_eq!(
            flags(&queue),
            [
                (true, uid.clone()),
                (false, uid.clone()),
                (false, uid.clone())
            ]
        );
        // Without myorigin, nothing is claimed.
        queue.origin = None;
        assert!(flags(&queue).iter().all(|(no_f, _)| !no_f));
    }

    #[test]
    fn system_users() {
        for address in [
            "www-data@web1.example",
            "Apache@h",
            "nobody",
            "root <root@h>",
        ] {
            assert!(is_system_user(address), "{address}");
        }
        for address in ["contact@client.fr", "www-data-team@client.fr", ""] {
            assert!(!is_system_user(address), "{address}");
        }
    }
}
