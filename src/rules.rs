//! The rules: stable ids (the public interface), their default severities,
//! and the checks that turn a `MailCall` into findings.

use crate::analyze::FileAnalysis;
use crate::finding::{Finding, Severity};
use crate::model::{Headers, IndirectKind, MailCall, Params};
use serde::Serialize;

/// Every rule. The ids returned by `id` never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    MissingEnvelopeSender,
    MissingFromHeader,
    DynamicEnvelopeSender,
    UnanalyzableMailCall,
}

impl Rule {
    pub const ALL: [Rule; 4] = [
        Rule::MissingEnvelopeSender,
        Rule::MissingFromHeader,
        Rule::DynamicEnvelopeSender,
        Rule::UnanalyzableMailCall,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => "missing-envelope-sender",
            Rule::MissingFromHeader => "missing-from-header",
            Rule::DynamicEnvelopeSender => "dynamic-envelope-sender",
            Rule::UnanalyzableMailCall => "unanalyzable-mail-call",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::MissingEnvelopeSender => Severity::Error,
            Rule::MissingFromHeader | Rule::DynamicEnvelopeSender => Severity::Warning,
            Rule::UnanalyzableMailCall => Severity::Info,
        }
    }

    /// One line saying what the rule detects.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => {
                "mail() without a -f envelope sender: the Return-Path becomes the system user and receivers reject the mail"
            }
            Rule::MissingFromHeader => "mail() without a From header",
            Rule::DynamicEnvelopeSender => {
                "mail() with a non-constant 5th argument: the envelope sender cannot be verified"
            }
            Rule::UnanalyzableMailCall => "a mail-sending call the tool cannot read",
        }
    }

    /// The rule's name in CamelCase (SARIF's `reportingDescriptor.name`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => "MissingEnvelopeSender",
            Rule::MissingFromHeader => "MissingFromHeader",
            Rule::DynamicEnvelopeSender => "DynamicEnvelopeSender",
            Rule::UnanalyzableMailCall => "UnanalyzableMailCall",
        }
    }

    /// What the rule detects, in a few sentences of Markdown (only `code`
    /// spans, so that `plain_text` can drop the backticks).
    pub fn description(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => {
                "A call of `mail()` or `mb_send_mail()` with no 5th argument (`additional_params`), or with a constant one that has no `-f` (or `-r`) option, so that no envelope sender is given to sendmail."
            }
            Rule::MissingFromHeader => {
                "A call of `mail()` or `mb_send_mail()` with no 4th argument (`additional_headers`), or with a constant string or array of headers that has no `From` header."
            }
            Rule::DynamicEnvelopeSender => {
                "A call of `mail()` or `mb_send_mail()` whose 5th argument (`additional_params`) is not a constant, such as `\"-f\" . $to` or a value read from `$_POST`, so the envelope sender it sets cannot be verified."
            }
            Rule::UnanalyzableMailCall => {
                "A call of `mail()` or `mb_send_mail()` that cannot be read: its arguments are unpacked from an array (`mail(...$args)`), its name is passed to `call_user_func()`, it is called through a variable (`$f = 'mail'; $f(...)`) or taken as a first-class callable (`mail(...)`)."
            }
        }
    }

    /// Why the finding matters, in Markdown.
    pub fn rationale(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => {
                "Without `-f`, sendmail uses the system user that runs PHP as the envelope sender, so the Return-Path becomes `www-data@host`. Large receivers (Gmail, Yahoo, Orange, La Poste) check that address and answer `554 5.7.1 ... Recipient address rejected`, defer the mail or bounce it, often only after a server move."
            }
            Rule::MissingFromHeader => {
                "Without a `From` header the mail gets the server's default (`www-data@host`, or whatever `sendmail_from` says), which receivers check against SPF, DKIM and DMARC and readers do not recognise; such mail is rejected or lands in spam."
            }
            Rule::DynamicEnvelopeSender => {
                "The 5th argument is passed to sendmail's command line. Unvalidated data there lets an attacker inject sendmail options, for example to write files on the server (CVE-2016-10033). The widely copied `\"-f\" . $to` also makes the recipient the envelope sender, so bounces go to the recipient and receivers reject the forged sender."
            }
            Rule::UnanalyzableMailCall => {
                "phpmailfix cannot tell whether such a call passes a From header and a `-f` envelope sender, so its mail may be rejected with `554 5.7.1` like any other call without them."
            }
        }
    }

    /// How to fix a finding by hand, in Markdown.
    pub fn how_to_fix(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => {
                "Pass a constant envelope sender of your own domain as the 5th argument: `mail($to, $subject, $body, 'From: contact@example.org', '-fcontact@example.org')`. Never build it from the recipient or from user input."
            }
            Rule::MissingFromHeader => {
                "Add a `From` header with an address of your own domain: `'From: contact@example.org'` as the 4th argument, inside the existing headers string (separated by `\\r\\n`), or `'From' => 'contact@example.org'` in a headers array."
            }
            Rule::DynamicEnvelopeSender => {
                "Use a constant address of your own domain: `'-fcontact@example.org'`. If the address really must vary, validate it strictly (`filter_var($address, FILTER_VALIDATE_EMAIL)`, and no spaces, quotes or backslashes) and never take the recipient. Do not wrap it in `escapeshellarg()`: `mail()` already runs `escapeshellcmd()` on the 5th argument, and the two together reopen the injection (CVE-2016-10045)."
            }
            Rule::UnanalyzableMailCall => {
                "Check by hand that the call passes a From header and a constant `-f` envelope sender, or rewrite it as a direct `mail(...)` call with explicit arguments so that phpmailfix can check it."
            }
        }
    }

    /// Whether `phpmailfix fix` rewrites the calls this rule reports.
    pub fn fixed_by_fix(self) -> bool {
        matches!(self, Rule::MissingEnvelopeSender | Rule::MissingFromHeader)
    }

    /// A call the rule reports, and the same call once fixed (PHP).
    pub fn example(self) -> (&'static str, &'static str) {
        match self {
            Rule::MissingEnvelopeSender => (
                "mail($to, $subject, $body, 'From: contact@example.org');",
                "mail($to, $subject, $body, 'From: contact@example.org', '-fcontact@example.org');",
            ),
            Rule::MissingFromHeader => (
                "mail($to, $subject, $body, \"Reply-To: help@example.org\", '-fcontact@example.org');",
                "mail($to, $subject, $body, \"From: contact@example.org\\r\\nReply-To: help@example.org\", '-fcontact@example.org');",
            ),
            Rule::DynamicEnvelopeSender => (
                "mail($to, $subject, $body, $headers, '-f' . $to);",
                "mail($to, $subject, $body, $headers, '-fcontact@example.org');",
            ),
            Rule::UnanalyzableMailCall => (
                "call_user_func('mail', $to, $subject, $body);",
                "mail($to, $subject, $body, 'From: contact@example.org', '-fcontact@example.org');",
            ),
        }
    }

    /// The documentation `phpmailfix rule` prints and the README shows, in
    /// Markdown: a heading, the help, the example.
    pub fn reference_markdown(self) -> String {
        let (bad, good) = self.example();
        format!(
            "### `{}` ({})\n\n{}\n\n**Example.**\n\n```php\n{bad}\n```\n\nbecomes\n\n```php\n{good}\n```\n",
            self.id(),
            self.default_severity().as_str(),
            self.help_markdown()
        )
    }

    /// The rule's whole documentation, in Markdown: what it detects, why it
    /// matters, how to fix it, and whether `phpmailfix fix` does.
    pub fn help_markdown(self) -> String {
        let automatic = if self.fixed_by_fix() {
            "`phpmailfix fix --from ADDRESS` rewrites these calls (it prints a diff and writes nothing without `--apply` or `--yes`)."
        } else {
            "`phpmailfix fix` never rewrites these calls: they need a person's review."
        };
        format!(
            "{}\n\n**Why it matters.** {}\n\n**How to fix.** {} {automatic}",
            self.description(),
            self.rationale(),
            self.how_to_fix()
        )
    }
}

/// Markdown from this module without its markup: code spans lose their
/// backticks, `**bold**` its stars.
pub fn plain_text(markdown: &str) -> String {
    markdown.replace("**", "").replace('`', "")
}

/// The findings for one analysed file, in source order.
pub fn check(analysis: &FileAnalysis) -> Vec<Finding> {
    let mut findings = Vec::new();
    for call in analysis.calls.iter().filter(|c| !c.spread) {
        check_call(call, &mut findings);
    }
    for indirect in &analysis.indirect {
        let how = match indirect.kind {
            IndirectKind::Spread => "its arguments are unpacked from an array (`...`)",
            IndirectKind::Callback => {
                "its name is passed to call_user_func() or call_user_func_array()"
            }
            IndirectKind::VariableFunction => "it is called through a variable holding its name",
            IndirectKind::FirstClassCallable => "it is taken as a first-class callable",
        };
        findings.push(Finding {
            rule: Rule::UnanalyzableMailCall,
            severity: Rule::UnanalyzableMailCall.default_severity(),
            range: indirect.range.clone(),
            message: format!(
                "{}() is called here but cannot be analysed: {how}; check by hand that it passes a From header and a -f envelope sender",
                indirect.function.name()
            ),
            function: Some(indirect.function.name()),
            fix: None,
        });
    }
    findings.sort_by_key(|f| (f.range.start, f.rule));
    findings
}

fn check_call(call: &MailCall, findings: &mut Vec<Finding>) {
    let function = call.function.name();
    let mut push = |rule: Rule, message: String| {
        findings.push(Finding {
            rule,
            severity: rule.default_severity(),
            range: call.name_range.clone(),
            message,
            function: Some(function),
            fix: None,
        })
    };
    match &call.params {
        Params::Absent => push(
            Rule::MissingEnvelopeSender,
            format!(
                "{function}() is called without a 5th argument: the envelope sender (Return-Path) will be the system user and receivers may reject the mail; pass '-fADDRESS'"
            ),
        ),
        Params::Text(text) if text.trim_ascii().is_empty() => push(
            Rule::MissingEnvelopeSender,
            format!(
                "{function}()'s 5th argument is empty, so it sets no envelope sender (-f): the Return-Path will be the system user; pass '-fADDRESS'"
            ),
        ),
        Params::Text(text) if !Params::sets_sender(text) => push(
            Rule::MissingEnvelopeSender,
            format!(
                "{function}()'s 5th argument `{}` sets no envelope sender (-f): the Return-Path will be the system user; add '-fADDRESS'",
                String::from_utf8_lossy(text)
            ),
        ),
        Params::Text(_) => {}
        Params::Dynamic(origin) => {
            let mut message = format!(
                "{function}()'s 5th argument is not a constant, so the envelope sender cannot be verified; unvalidated data there lets an attacker inject sendmail options (CVE-2016-10033)"
            );
            if origin.from_recipient {
                message.push_str(
                    "; it is built from the recipient argument, which makes the recipient the envelope sender",
                );
            }
            if let Some(global) = &origin.superglobal {
                let whose = match global.as_str() {
                    "$_SERVER" => {
                        "which mixes server settings with request headers the visitor controls"
                    }
                    "$_ENV" | "$GLOBALS" => "which this tool cannot trace",
                    _ => "which the visitor controls",
                };
                message.push_str(&format!("; it reads {global}, {whose}"));
            }
            push(Rule::DynamicEnvelopeSender, message);
        }
    }
    if call.headers.has_from() == Some(false) {
        let message = match &call.headers {
            Headers::Absent => format!(
                "{function}() is called without a 4th argument: the mail has no From header and gets the server's default"
            ),
            _ => format!("{function}()'s headers set no From header"),
        };
        push(Rule::MissingFromHeader, message);
    }
}
