//! `phpmailfix fix`: turn findings into changes (one per call), show them as
//! a unified diff, and write them only with `--yes` or after a yes at the
//! interactive prompt. Nothing else in the program writes files.

use crate::apply::{check_lint, check_syntax, create_new, write_atomic};
use crate::diff::write_diff;
use crate::finding::Edit;
use crate::model::{MailCall, Params};
use crate::report::path_string;
use crate::rewrite::{Addresses, Needs, apply_edits, rewrite};
use crate::rules::Rule;
use crate::scan::{FileReport, ScanResult};
use crate::sender::SenderResolver;
use anyhow::Result;
use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One call's rewrite.
#[derive(Clone, Debug)]
pub struct Change {
    /// 1-based line of the call's name.
    pub line: usize,
    pub edits: Vec<Edit>,
    /// What the change does, in a few words.
    pub title: String,
}

/// The changes proposed for one file.
#[derive(Debug)]
pub struct FilePlan {
    pub path: PathBuf,
    pub source: Vec<u8>,
    pub changes: Vec<Change>,
    /// Why the file's rewrite was refused, when it was.
    pub refused: Option<String>,
    /// A new file (the WordPress must-use plugin): `source` is empty and
    /// the file is created, never replaced.
    pub create: bool,
}

/// A finding `fix` does not change, and why.
#[derive(Clone, Debug)]
pub struct Unfixed {
    pub path: PathBuf,
    pub line: usize,
    pub rule: Rule,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FilePlan>,
    pub unfixed: Vec<Unfixed>,
}

impl Plan {
    pub fn change_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.refused.is_none())
            .map(|f| f.changes.len())
            .sum()
    }
}

fn describe(needs: Needs, address: &str) -> String {
    match (needs.from_header, needs.envelope_sender) {
        (true, true) => format!("add From: {address} and -f{address}"),
        (true, false) => format!("add From: {address}"),
        _ => format!("add -f{address}"),
    }
}

fn plan_call(
    file: &FileReport,
    call: &MailCall,
    resolver: &SenderResolver,
    unfixed: &mut Vec<Unfixed>,
) -> Result<Option<Change>> {
    // What the call lacks, less what a suppression comment silenced.
    let reported = |rule: Rule| {
        file.findings
            .iter()
            .any(|f| f.rule == rule && f.range.start == call.name_range.start)
    };
    let mut needs = Needs::of(call);
    needs.envelope_sender &= reported(Rule::MissingEnvelopeSender);
    needs.from_header &= reported(Rule::MissingFromHeader);
    let line = file
        .lines
        .position(&file.source, call.name_range.start)
        .line;
    let mut skip = |rule: Rule, reason: String| {
        unfixed.push(Unfixed {
            path: file.path.clone(),
            line,
            rule,
            reason,
        })
    };
    if !needs.any() {
        return Ok(None);
    }
    if matches!(call.params, Params::Dynamic(_)) {
        // Its dynamic-envelope-sender finding is listed: the whole call is
        // left for a person to review, its headers included.
        skip(
            Rule::MissingFromHeader,
            "the 5th argument is not a constant, so this call is left for review".into(),
        );
        return Ok(None);
    }
    let first_rule = if needs.envelope_sender {
        Rule::MissingEnvelopeSender
    } else {
        Rule::MissingFromHeader
    };
    let own = crate::sender::own_from_address(&call.headers);
    let configured = resolver.for_path(&file.path)?.map(|(a, _)| a);
    // The From header needs a configured address; -f can use the call's own.
    let from = configured.clone();
    let sender = own.or(configured);
    let (Some(sender), from) = (sender, from) else {
        skip(
            first_rule,
            "no sender address; pass --from or add a [[sender]] entry to phpmailfix.toml".into(),
        );
        return Ok(None);
    };
    let from = match (needs.from_header, from) {
        (true, None) => {
            skip(
                Rule::MissingFromHeader,
                "no sender address for the From header; pass --from or add a [[sender]] entry to phpmailfix.toml".into(),
            );
            return Ok(None);
        }
        (_, from) => from.unwrap_or_else(|| sender.clone()),
    };
    let addresses = Addresses {
        from: &from,
        sender: &sender,
    };
    match rewrite(call, &file.source, needs, &addresses) {
        Some(edits) => Ok(Some(Change {
            line,
            edits,
            title: describe(needs, sender.as_str()),
        })),
        None => {
            skip(
                first_rule,
                "this call's shape is not one fix rewrites".into(),
            );
            Ok(None)
        }
    }
}

/// Why `fix` leaves WordPress core alone: core updates overwrite it.
const CORE_REASON: &str = "WordPress core (wp-includes/, wp-admin/) is never rewritten: core updates overwrite it; its mail goes through PHPMailer, fixed by an envelope sender set in a phpmailer_init hook";

/// The must-use plugin for the WordPress install whose `pluggable.php` is
/// `file`, as a new file (or an update of phpmailfix's own older one).
fn plan_plugin(
    file: &FileReport,
    line: usize,
    resolver: &SenderResolver,
    plan: &mut Plan,
) -> Result<()> {
    use crate::wordpress::{Existing, existing, locate, plugin_source, shell_safe_problem};
    let root = file
        .path
        .parent()
        .and_then(Path::parent)
        .filter(|r| !r.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut skip = |reason: String| {
        plan.unfixed.push(Unfixed {
            path: file.path.clone(),
            line,
            rule: Rule::WordpressEmptySender,
            reason,
        })
    };
    let site = match locate(root, None) {
        Ok(site) => site,
        Err(err) => {
            skip(format!("{err:#}"));
            return Ok(());
        }
    };
    // A file inside the root: its nearest phpmailfix.toml and `[[sender]]`.
    let from = resolver.for_path(&root.join("index.php"))?.map(|(a, _)| a);
    if let Some(problem) = from.as_ref().and_then(shell_safe_problem) {
        skip(problem);
        return Ok(());
    }
    let path = site.plugin_path();
    let old = match existing(&path) {
        Ok(Existing::None) => None,
        Ok(Existing::Ours(bytes)) => Some(bytes),
        Ok(Existing::Foreign) => {
            skip(format!(
                "{} exists and was not generated by phpmailfix; not touching it",
                path_string(&path)
            ));
            return Ok(());
        }
        Err(err) => {
            skip(format!("{err:#}"));
            return Ok(());
        }
    };
    let new = plugin_source(from.as_ref()).into_bytes();
    let source = old.clone().unwrap_or_default();
    if source == new || plan.files.iter().any(|f| f.path == path) {
        return Ok(());
    }
    let mut title = match &from {
        Some(a) => format!("add the must-use plugin {PLUGIN} (envelope sender {a})"),
        None => format!(
            "add the must-use plugin {PLUGIN} (envelope sender: From, when it is the site's own)"
        ),
    };
    for note in &site.notes {
        title.push_str(&format!("; note: {note}"));
    }
    plan.files.push(FilePlan {
        path,
        changes: vec![Change {
            line: 1,
            edits: vec![Edit {
                range: 0..source.len(),
                replacement: new,
            }],
            title,
        }],
        source,
        refused: None,
        create: old.is_none(),
    });
    Ok(())
}

const PLUGIN: &str = crate::wordpress::PLUGIN_FILE;

/// The patch of a vendored PHPMailer's `mailSend()`.
fn plan_phpmailer(
    file: &FileReport,
    resolver: &SenderResolver,
    unfixed: &mut Vec<Unfixed>,
) -> Result<Option<Change>> {
    let Some(class) = &file.analysis.library.phpmailer else {
        return Ok(None);
    };
    let Some(finding) = file
        .findings
        .iter()
        .find(|f| f.rule == Rule::PhpmailerEmptySender)
    else {
        return Ok(None);
    };
    let line = file.lines.position(&file.source, finding.range.start).line;
    let Some(anchor) = &class.anchor else {
        unfixed.push(Unfixed {
            path: file.path.clone(),
            line,
            rule: Rule::PhpmailerEmptySender,
            reason: "this PHPMailer's mailSend() has a shape phpmailfix does not patch; set $mail->Sender in the code that uses it".into(),
        });
        return Ok(None);
    };
    let mut skip = |reason: String| {
        unfixed.push(Unfixed {
            path: file.path.clone(),
            line,
            rule: Rule::PhpmailerEmptySender,
            reason,
        })
    };
    // Never From: an application's From may be a contact form visitor's.
    let Some((sender, _)) = resolver.for_path(&file.path)? else {
        skip("no sender address; pass --from or add a [[sender]] entry to phpmailfix.toml (From is never used: a contact form's From is the visitor's)".into());
        return Ok(None);
    };
    if let Some(problem) = crate::wordpress::shell_safe_problem(&sender) {
        skip(problem);
        return Ok(None);
    }
    let eol = crate::rewrite::line_break_at(&file.source, anchor.at);
    let edit = crate::library::phpmailer_patch(anchor, &sender, eol);
    let at_line = file.lines.position(&file.source, anchor.at).line;
    Ok(Some(Change {
        line: at_line,
        edits: vec![edit],
        title: format!("patch mailSend(): Sender {sender} when it is empty"),
    }))
}

/// A PHPMailer that phpmailfix patched with another address than the one
/// configured now: the patch's address is updated.
fn plan_patched_phpmailer(file: &FileReport, resolver: &SenderResolver) -> Result<Option<Change>> {
    let Some((old, range)) = file
        .analysis
        .library
        .phpmailer
        .as_ref()
        .and_then(|c| c.patched_sender.clone())
    else {
        return Ok(None);
    };
    let Some((sender, _)) = resolver.for_path(&file.path)? else {
        return Ok(None);
    };
    if sender.as_str() == old || crate::wordpress::shell_safe_problem(&sender).is_some() {
        return Ok(None);
    }
    Ok(Some(Change {
        line: file.lines.position(&file.source, range.start).line,
        title: format!("update the PHPMailer patch: Sender {sender} (was {old})"),
        edits: vec![Edit {
            range,
            replacement: sender.as_str().as_bytes().to_vec(),
        }],
    }))
}

/// Plans the changes for every finding in `result`. Fails only when a
/// configuration file is invalid: then nothing must be written.
pub fn plan(result: &ScanResult, resolver: &SenderResolver, lint: Option<&Path>) -> Result<Plan> {
    let mut plan = Plan::default();
    for file in &result.files {
        let line_of = |finding: &crate::finding::Finding| {
            file.lines.position(&file.source, finding.range.start).line
        };
        for finding in file
            .findings
            .iter()
            .filter(|f| f.rule == Rule::WordpressEmptySender)
        {
            plan_plugin(file, line_of(finding), resolver, &mut plan)?;
        }
        let library_reason = |rule: Rule| match rule {
            Rule::PhpmailerUnsafePatch => Some(
                "a hand-patched PHPMailer is never rewritten: restore its original mailSend() and mailPassthru()",
            ),
            Rule::MissingEnvelopeSender | Rule::MissingFromHeader
                if file.analysis.library.phpmailer.is_some() =>
            {
                Some("PHPMailer's own file: only its mailSend() is patched")
            }
            _ => None,
        };
        if crate::library::is_wordpress_core(&file.path) {
            for finding in file.findings.iter().filter(|f| {
                f.severity > crate::finding::Severity::Info && f.rule != Rule::WordpressEmptySender
            }) {
                plan.unfixed.push(Unfixed {
                    path: file.path.clone(),
                    line: line_of(finding),
                    rule: finding.rule,
                    reason: CORE_REASON.into(),
                });
            }
            continue;
        }
        if file.analysis.library.phpmailer.is_none() && named_like_phpmailer(&file.path) {
            for finding in file
                .findings
                .iter()
                .filter(|f| f.severity > crate::finding::Severity::Info)
            {
                plan.unfixed.push(Unfixed {
                    path: file.path.clone(),
                    line: line_of(finding),
                    rule: finding.rule,
                    reason: "PHPMailer's own mail() calls are not rewritten: set the envelope sender with $mail->Sender or setFrom($address, $name, true) in the code that uses it".into(),
                });
            }
            continue;
        }
        if file.analysis.library.phpmailer.is_some() {
            for finding in &file.findings {
                if let Some(reason) = library_reason(finding.rule) {
                    plan.unfixed.push(Unfixed {
                        path: file.path.clone(),
                        line: line_of(finding),
                        rule: finding.rule,
                        reason: reason.into(),
                    });
                }
            }
            let change = match plan_phpmailer(file, resolver, &mut plan.unfixed)? {
                Some(change) => Some(change),
                None => plan_patched_phpmailer(file, resolver)?,
            };
            if let Some(change) = change {
                push_file(&mut plan, file, vec![change]);
            }
            continue;
        }
        let mut changes = Vec::new();
        for call in &file.analysis.calls {
            if let Some(change) = plan_call(file, call, resolver, &mut plan.unfixed)? {
                changes.push(change);
            }
        }
        for finding in &file.findings {
            let reason = match finding.rule {
                Rule::DynamicEnvelopeSender => {
                    "a non-constant -f is never rewritten automatically: check by hand that it is validated"
                }
                Rule::UnanalyzableMailCall => {
                    "a call fix cannot read is never rewritten: check by hand that it passes a From header and a -f envelope sender"
                }
                Rule::MissingEnvelopeSender if finding.function.is_none() => {
                    "PHPMailer's setFrom(..., false) is not rewritten: set the same object's ->Sender = 'bounce@your-domain' in this function by hand"
                }
                _ => continue,
            };
            plan.unfixed.push(Unfixed {
                path: file.path.clone(),
                line: file.lines.position(&file.source, finding.range.start).line,
                rule: finding.rule,
                reason: reason.into(),
            });
        }
        if !changes.is_empty() {
            push_file(&mut plan, file, changes);
        }
    }
    plan.files.par_iter_mut().for_each(|file| {
        let edits: Vec<Edit> = file.changes.iter().flat_map(|c| c.edits.clone()).collect();
        if file.refused.is_none() {
            file.refused = verify(&file.source, &apply_edits(&file.source, &edits), lint).err();
        }
    });
    plan.unfixed
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(plan)
}

/// A file named as PHPMailer's are (`class.phpmailer.php`,
/// `src/PHPMailer.php`...): never rewritten call by call, even when its
/// class could not be read.
fn named_like_phpmailer(path: &Path) -> bool {
    let components: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase())
        .collect();
    let name = components.last().map(String::as_str).unwrap_or_default();
    let parent = components
        .iter()
        .rev()
        .nth(1)
        .map(String::as_str)
        .unwrap_or_default();
    name == "class.phpmailer.php"
        || name == "class-phpmailer.php"
        || (name == "phpmailer.php" && (parent == "src" || parent == "phpmailer"))
}

fn push_file(plan: &mut Plan, file: &FileReport, changes: Vec<Change>) {
    let is_link = std::fs::symlink_metadata(&file.path).is_ok_and(|m| m.file_type().is_symlink());
    plan.files.push(FilePlan {
        path: file.path.clone(),
        source: file.source.clone(),
        changes,
        // Its diff would patch the target, maybe twice with -L.
        refused: is_link.then(|| {
            "a symbolic link; not writing through it (rewrite its target instead)".to_string()
        }),
        create: false,
    });
}

/// Checks a rewrite before it can be shown as valid or written.
fn verify(original: &[u8], rewritten: &[u8], lint: Option<&Path>) -> Result<(), String> {
    check_syntax(original, rewritten).map_err(|e| e.to_string())?;
    if let Some(php) = lint {
        check_lint(php, original, rewritten).map_err(|e| format!("{e:#}"))?;
    }
    Ok(())
}

/// An answer at the interactive prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// This change and every one after it.
    All,
    /// Stop: write what was accepted so far, nothing else.
    Quit,
}

/// Asks about one change. The terminal implementation reads a key; tests
/// give scripted answers.
pub trait Prompter {
    fn ask(&mut self, question: &str) -> io::Result<Answer>;
}

/// How `execute` proceeds.
pub enum Mode<'a> {
    /// Show the diff, write nothing.
    DryRun,
    /// Write every change.
    Yes,
    /// Ask change by change.
    Interactive(&'a mut dyn Prompter),
}

pub struct ExecuteOptions<'a> {
    pub backup: Option<&'a str>,
    pub lint: Option<&'a Path>,
    pub color: bool,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Outcome {
    pub proposed: usize,
    pub written_files: usize,
    pub written_changes: usize,
    pub declined: usize,
    pub errors: Vec<String>,
}

/// Shows and (depending on `mode`) writes the plan.
pub fn execute(
    plan: &Plan,
    mut mode: Mode,
    options: &ExecuteOptions,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let mut outcome = Outcome::default();
    let mut accept_all = false;
    let mut quit = false;
    // The files whose diff is printed: refused ones are not.
    let names = crate::diff::DiffNames::new(
        plan.files
            .iter()
            .filter(|f| f.refused.is_none())
            .map(|f| f.path.as_path()),
    );
    for file in &plan.files {
        let shown = path_string(&file.path);
        let name = names.name(&file.path);
        if let Some(reason) = &file.refused {
            outcome.errors.push(format!("{shown}: {reason}"));
            continue;
        }
        if quit {
            outcome.declined += file.changes.len();
            continue;
        }
        let accepted: Vec<&Change> = match &mut mode {
            Mode::DryRun | Mode::Yes => file.changes.iter().collect(),
            Mode::Interactive(prompter) => {
                let mut accepted = Vec::new();
                for change in &file.changes {
                    if quit {
                        outcome.declined += 1;
                        continue;
                    }
                    if accept_all {
                        accepted.push(change);
                        continue;
                    }
                    let single = apply_edits(&file.source, &change.edits);
                    writeln!(out, "{shown}:{}: {}", change.line, change.title)?;
                    write_diff(
                        out,
                        &name,
                        &file.source,
                        &single,
                        file.create,
                        options.color,
                    )?;
                    out.flush()?;
                    match prompter.ask("Apply this change? [y]es [n]o [a]ll [q]uit")? {
                        Answer::Yes => accepted.push(change),
                        Answer::No => outcome.declined += 1,
                        Answer::All => {
                            accept_all = true;
                            accepted.push(change);
                        }
                        Answer::Quit => {
                            quit = true;
                            outcome.declined += 1;
                        }
                    }
                }
                accepted
            }
        };
        if accepted.is_empty() {
            continue;
        }
        let edits: Vec<Edit> = accepted.iter().flat_map(|c| c.edits.clone()).collect();
        let new = apply_edits(&file.source, &edits);
        outcome.proposed += accepted.len();
        match mode {
            Mode::DryRun => {
                write_diff(out, &name, &file.source, &new, file.create, options.color)?;
                continue;
            }
            Mode::Yes => write_diff(out, &name, &file.source, &new, file.create, options.color)?,
            Mode::Interactive(_) => {}
        }
        let result = if accepted.len() == file.changes.len() {
            Ok(())
        } else {
            verify(&file.source, &new, options.lint)
        }
        .map_err(anyhow::Error::msg)
        .and_then(|()| {
            if file.create {
                create_new(&file.path, &new)
            } else {
                write_atomic(&file.path, &file.source, &new, options.backup)
            }
        });
        match result {
            Ok(()) => {
                outcome.written_files += 1;
                outcome.written_changes += accepted.len();
            }
            Err(err) => outcome.errors.push(format!("{shown}: {err:#}")),
        }
    }
    Ok(outcome)
}
