//! `trace`'s report: text for people, JSON (version 1) for tools. Both
//! list the groups in the same order: traced to a finding first, then by
//! how many messages failed.

use super::{Group, GroupKey, SCRIPT_HEADER, Trace, is_system_user};
use crate::report::json::{JsonError, JsonFinding};
use crate::report::path_string;
use crate::scan::ScanResult;
use console::Style;
use serde::Serialize;
use std::io::{self, Write};

/// How many distinct replies (and From headers) a group shows in text.
const SHOWN: usize = 3;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the sender says about the cause, for a system user's address.
const SYSTEM_USER_CAUSE: &str =
    "a system user: this is the cause (mail() was given no -f envelope sender)";
/// The same for the address sendmail made from a site account's login.
const LOGIN_CAUSE: &str = "the sending account's own address, made by sendmail: this is the cause \
     (mail() was given no -f envelope sender)";
/// How many recipient domains a group's title names.
const DOMAINS_SHOWN: usize = 6;

/// What to do when headers were read and none names a script.
pub fn header_note(count: usize) -> String {
    format!(
        "{} no {SCRIPT_HEADER} header: PHP adds it only with mail.add_x_header = On \
         (Debian's php.ini ships Off). Set it in the php.ini of the PHP that sends the mail \
         (`php --ini` lists the CLI's; PHP-FPM and Apache read their own, such as \
         /etc/php/*/fpm/php.ini and /etc/php/*/apache2/php.ini) and restart PHP; \
         mail queued before keeps no header",
        if count == 1 {
            "1 failed message has".to_string()
        } else {
            format!("{count} failed messages have")
        }
    )
}

/// What to do when only a log was read.
pub const LOG_ONLY_NOTE: &str = "a mail log does not name the sending script: add --queue to read \
    the headers of the messages still queued, or have Postfix log the header \
    (main.cf: header_checks = regexp:/etc/postfix/header_checks, and in that file: \
    /^X-PHP-Originating-Script:/ INFO), which PHP adds with mail.add_x_header = On";

/// What to say when no line of the log is Postfix's.
fn not_postfix_note(lines: usize) -> String {
    format!(
        "none of the {} read is a Postfix line about a queued message (such as \
         `postfix/smtp[123]: 3F2A81C0B2: to=<…>, status=deferred (…)`): is it Postfix's mail log \
         (/var/log/mail.log, /var/log/maillog, or `journalctl -u postfix`)?",
        plural(lines, "log line", "log lines")
    )
}

/// The notes a trace ends with, in text and JSON alike.
pub fn notes(trace: &Trace) -> Vec<String> {
    let mut notes = Vec::new();
    if trace.log_lines > 0 && trace.log_postfix_lines == 0 {
        notes.push(not_postfix_note(trace.log_lines));
    }
    if trace.without_header > 0 {
        notes.push(header_note(trace.without_header));
    }
    let unnamed = trace
        .groups
        .iter()
        .any(|g| matches!(g.key, GroupKey::Sender(_)));
    if trace.log_only && unnamed && trace.without_header == 0 {
        notes.push(LOG_ONLY_NOTE.to_string());
    }
    if trace.left_queue > 0 {
        notes.push(format!(
            "{} the queue while it was read",
            plural(trace.left_queue, "message left", "messages left")
        ));
    }
    if trace.notifications > 0 {
        notes.push(format!(
            "{} (sender <>) left out: Postfix made them, no script sent them",
            plural(
                trace.notifications,
                "failed bounce notification",
                "failed bounce notifications"
            )
        ));
    }
    notes
}

pub fn print_text(
    trace: &Trace,
    result: &ScanResult,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let style = |s: Style| s.force_styling(color);
    let (bold, dim) = (style(Style::new().bold()), style(Style::new().dim()));
    for group in &trace.groups {
        let title = match &group.key {
            GroupKey::Script(name) => name.clone(),
            GroupKey::Sender(Some(sender)) => format!("<{sender}> (no script named)"),
            GroupKey::Sender(None) => "(no script named)".to_string(),
        };
        let statuses: Vec<String> = group
            .statuses()
            .iter()
            .map(|(status, n)| format!("{status} {n}"))
            .collect();
        let domains = group.domains();
        writeln!(
            out,
            "{}  {} ({}){}",
            bold.apply_to(title),
            plural(group.messages.len(), "failed message", "failed messages"),
            statuses.join(", "),
            match domains.len() {
                0 => String::new(),
                n if n > DOMAINS_SHOWN => format!(
                    " to {} and {} more domains",
                    domains[..DOMAINS_SHOWN - 1].join(", "),
                    n - (DOMAINS_SHOWN - 1)
                ),
                _ => format!(" to {}", domains.join(", ")),
            }
        )?;
        let uids = group.uids();
        if !uids.is_empty() {
            writeln!(out, "  uid {}", uids.join(", "))?;
        }
        for (sender, n) in group.senders() {
            let shown = if sender.is_empty() { "<>" } else { &sender };
            let cause = if is_system_user(&sender) {
                format!(" — {SYSTEM_USER_CAUSE}")
            } else if group.sender_without_f(&sender) {
                format!(" — {LOGIN_CAUSE}")
            } else {
                String::new()
            };
            writeln!(out, "  envelope sender {shown} ({n}){cause}")?;
        }
        let froms = group.from_headers();
        for (from, n) in froms.iter().take(SHOWN) {
            let cause = if is_system_user(from) {
                " — the system user: the script sets no From header"
            } else {
                ""
            };
            writeln!(out, "  From: {from} ({n}){cause}")?;
        }
        if froms.len() > SHOWN {
            writeln!(out, "  … and {} more From headers", froms.len() - SHOWN)?;
        }
        let replies = group.replies();
        for (reply, n) in replies.iter().take(SHOWN) {
            writeln!(out, "  remote reply ({n}): {reply}")?;
        }
        if replies.len() > SHOWN {
            writeln!(out, "  … and {} more replies", replies.len() - SHOWN)?;
        }
        if let GroupKey::Script(name) = &group.key {
            // Mail without -f that no candidate explains: the server may
            // run other code than the scanned copy.
            let unexplained = !group.traced()
                && group
                    .senders()
                    .iter()
                    .any(|(sender, _)| group.sender_without_f(sender));
            if group.candidates.len() > 1 {
                writeln!(
                    out,
                    "  {} files are named {name}; the header does not say which one sent:",
                    group.candidates.len()
                )?;
            }
            let indent = if group.candidates.len() > 1 {
                "    "
            } else {
                "  "
            };
            for file in &group.candidates {
                if super::sender_findings(file).next().is_none() {
                    let why = if super::is_phpmailer(file) {
                        "PHPMailer itself: it sends the mail of the code that uses it, which leaves Sender empty"
                    } else if file.suppressed > 0 {
                        "no finding reported (suppressed by a phpmailfix-ignore comment)"
                    } else if unexplained {
                        "no envelope sender finding: its mail calls set one, yet this mail left \
                         without one: is the scanned copy the one the server runs?"
                    } else {
                        "no envelope sender finding: its mail calls set one"
                    };
                    writeln!(out, "{indent}{}: {why}", path_string(&file.path))?;
                }
                // Its other warnings (a missing From header) are shown too.
                let shown = file
                    .findings
                    .iter()
                    .filter(|f| f.severity >= crate::finding::Severity::Warning);
                for finding in shown {
                    writeln!(
                        out,
                        "{indent}{}",
                        crate::report::text::finding_line(file, finding, color)
                    )?;
                }
            }
            if group.candidates.is_empty() {
                if !group.skipped_files.is_empty() {
                    let paths: Vec<String> =
                        group.skipped_files.iter().map(|p| path_string(p)).collect();
                    writeln!(
                        out,
                        "  no scanned file is named {name}; ignored or hidden files are: {} (--no-ignore --hidden scans them)",
                        paths.join(", ")
                    )?;
                } else if group.other_files.is_empty() {
                    writeln!(out, "  no file named {name} in the scanned tree")?;
                } else {
                    let paths: Vec<String> =
                        group.other_files.iter().map(|p| path_string(p)).collect();
                    writeln!(
                        out,
                        "  no mail call found in the files named {name}: {}",
                        paths.join(", ")
                    )?;
                }
            }
        }
        writeln!(out)?;
    }
    for note in notes(trace) {
        writeln!(out, "{}", dim.apply_to(format!("note: {note}")))?;
    }
    let failed = trace.failed();
    let mut read = Vec::new();
    if trace.log_only || trace.log_lines > 0 {
        read.push(plural(trace.log_lines, "log line", "log lines"));
    }
    if let Some(listed) = trace.queue_listed {
        read.push(plural(listed, "queued message", "queued messages"));
    }
    let found = if failed == 0 {
        "no failed mail".to_string()
    } else {
        format!(
            "{}, {} traced to a finding",
            plural(failed, "failed message", "failed messages"),
            trace.traced()
        )
    };
    writeln!(
        out,
        "{found}; read {}; {} scanned",
        read.join(" and "),
        plural(result.files_scanned, "file", "files")
    )
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    failed_messages: usize,
    traced_messages: usize,
    /// Log lines read (0 without `--maillog`).
    log_lines: usize,
    /// Messages `postqueue -j` listed; `null` without `--queue`.
    queued_messages: Option<usize>,
    files_scanned: usize,
    groups: Vec<JsonGroup<'a>>,
    notes: Vec<String>,
    errors: Vec<JsonError>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    /// The basename the header names; `null` when no header names one.
    script: Option<&'a str>,
    uids: Vec<String>,
    messages: usize,
    statuses: std::collections::BTreeMap<String, usize>,
    recipient_domains: Vec<String>,
    senders: Vec<JsonSender>,
    from_headers: Vec<Counted>,
    replies: Vec<Counted>,
    queue_ids: Vec<&'a str>,
    candidates: Vec<JsonCandidate<'a>>,
    other_files: Vec<String>,
    /// Files of that name the walk skipped (ignored or hidden).
    skipped_files: Vec<String>,
    traced: bool,
}

#[derive(Serialize)]
struct JsonSender {
    address: String,
    messages: usize,
    system_user: bool,
    /// A system user's address, or one sendmail made from the submitting
    /// account's login: `mail()` was given no `-f`.
    without_f: bool,
}

#[derive(Serialize)]
struct Counted {
    text: String,
    messages: usize,
}

#[derive(Serialize)]
struct JsonCandidate<'a> {
    path: String,
    findings: Vec<JsonFinding<'a>>,
}

fn counted(pairs: Vec<(String, usize)>) -> Vec<Counted> {
    pairs
        .into_iter()
        .map(|(text, messages)| Counted { text, messages })
        .collect()
}

fn json_group<'a>(group: &'a Group) -> JsonGroup<'a> {
    JsonGroup {
        script: match &group.key {
            GroupKey::Script(name) => Some(name),
            GroupKey::Sender(_) => None,
        },
        uids: group.uids(),
        messages: group.messages.len(),
        statuses: group.statuses(),
        recipient_domains: group.domains(),
        senders: group
            .senders()
            .into_iter()
            .map(|(address, messages)| JsonSender {
                system_user: is_system_user(&address),
                without_f: group.sender_without_f(&address),
                address,
                messages,
            })
            .collect(),
        from_headers: counted(group.from_headers()),
        replies: counted(group.replies()),
        queue_ids: group.messages.iter().map(|m| m.queue_id.as_str()).collect(),
        candidates: group
            .candidates
            .iter()
            .map(|file| JsonCandidate {
                path: path_string(&file.path),
                findings: file
                    .findings
                    .iter()
                    .map(|f| JsonFinding::new(file, f))
                    .collect(),
            })
            .collect(),
        other_files: group.other_files.iter().map(|p| path_string(p)).collect(),
        skipped_files: group.skipped_files.iter().map(|p| path_string(p)).collect(),
        traced: group.traced(),
    }
}

pub fn print_json(trace: &Trace, result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        failed_messages: trace.failed(),
        traced_messages: trace.traced(),
        log_lines: trace.log_lines,
        queued_messages: trace.queue_listed,
        files_scanned: result.files_scanned,
        groups: trace.groups.iter().map(json_group).collect(),
        notes: notes(trace),
        errors: crate::report::json::errors(result),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
