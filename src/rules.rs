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
    WordpressEmptySender,
    PhpmailerEmptySender,
    PhpmailerUnsafePatch,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Rule::MissingEnvelopeSender,
        Rule::MissingFromHeader,
        Rule::DynamicEnvelopeSender,
        Rule::UnanalyzableMailCall,
        Rule::WordpressEmptySender,
        Rule::PhpmailerEmptySender,
        Rule::PhpmailerUnsafePatch,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => "missing-envelope-sender",
            Rule::MissingFromHeader => "missing-from-header",
            Rule::DynamicEnvelopeSender => "dynamic-envelope-sender",
            Rule::UnanalyzableMailCall => "unanalyzable-mail-call",
            Rule::WordpressEmptySender => "wordpress-empty-sender",
            Rule::PhpmailerEmptySender => "phpmailer-empty-sender",
            Rule::PhpmailerUnsafePatch => "phpmailer-unsafe-patch",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::MissingEnvelopeSender
            | Rule::WordpressEmptySender
            | Rule::PhpmailerUnsafePatch => Severity::Error,
            Rule::MissingFromHeader | Rule::DynamicEnvelopeSender | Rule::PhpmailerEmptySender => {
                Severity::Warning
            }
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
            Rule::WordpressEmptySender => {
                "a WordPress install whose wp_mail() leaves PHPMailer's envelope sender empty"
            }
            Rule::PhpmailerEmptySender => {
                "a PHPMailer copy that calls mail() without -f whenever Sender is empty"
            }
            Rule::PhpmailerUnsafePatch => {
                "PHPMailer hand-patched to build -f from an unvalidated value"
            }
        }
    }

    /// The rule's name in CamelCase (SARIF's `reportingDescriptor.name`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => "MissingEnvelopeSender",
            Rule::MissingFromHeader => "MissingFromHeader",
            Rule::DynamicEnvelopeSender => "DynamicEnvelopeSender",
            Rule::UnanalyzableMailCall => "UnanalyzableMailCall",
            Rule::WordpressEmptySender => "WordpressEmptySender",
            Rule::PhpmailerEmptySender => "PhpmailerEmptySender",
            Rule::PhpmailerUnsafePatch => "PhpmailerUnsafePatch",
        }
    }

    /// What the rule detects, in a few sentences of Markdown (only `code`
    /// spans, so that `plain_text` can drop the backticks).
    pub fn description(self) -> &'static str {
        match self {
            Rule::MissingEnvelopeSender => {
                "A call of `mail()` or `mb_send_mail()` with no 5th argument (`additional_params`), or with a constant one that has no `-f` (or `-r`) option, so that no envelope sender is given to sendmail. Also a PHPMailer `->setFrom($address, $name, false)` in application code, in a function that never assigns `->Sender`: it leaves `Sender` empty, so PHPMailer's `mail()` transport passes no `-f` either."
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
            Rule::WordpressEmptySender => {
                "A WordPress install (found by `wp-includes/version.php`) whose `wp_mail()` sets the From address with `$phpmailer->setFrom($from_email, $from_name, false)` (or, in old releases, `$phpmailer->From = ...`), which leaves PHPMailer's `Sender` empty, while no `phpmailer_init` callback in the install (a must-use plugin, plugin or theme) assigns `->Sender`. Reported once per install, at that line of `wp-includes/pluggable.php`."
            }
            Rule::PhpmailerEmptySender => {
                "A copy of PHPMailer outside WordPress core (vendored in an application, `vendor/phpmailer/phpmailer`, a legacy `class.phpmailer.php`), at its `mailPassthru()` (`mail_passthru()` in 5.2.2 to 5.2.6, `MailSend()` before): it calls `mail()` without `-f` whenever `Sender` is empty, which is what `setFrom($address, $name, false)` or setting `From` directly leaves."
            }
            Rule::PhpmailerUnsafePatch => {
                "A PHPMailer `mailSend()` or `mailPassthru()` that was changed by hand to build `-f` from a value that is neither a constant nor PHPMailer's own validated `Sender`, such as the widely copied `$params = \"-f\" . $to`, outside an `if` that checks it with `validateAddress()` and a character check."
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
            Rule::WordpressEmptySender => {
                "Every mail WordPress sends (password resets, notifications, contact forms, WooCommerce orders) then leaves with the system user (`www-data@host`) as its Return-Path, and large receivers reject or defer it. Setting `Sender = From` blindly is not the cure: contact-form plugins set `From` to the visitor's address, which would then fail SPF as the envelope sender (PHPMailer 6.3 did it and 6.4 reverted it), and hosts whose `sendmail_path` already has `-f` would get it twice."
            }
            Rule::PhpmailerEmptySender => {
                "Applications that call `setFrom($address, $name, false)`, or assign `From` directly, send with the system user as the Return-Path, and receivers reject or defer their mail. The fix belongs where the sender is known: the application, or this copy of the library."
            }
            Rule::PhpmailerUnsafePatch => {
                "The 5th argument of `mail()` reaches sendmail's command line. Built from the recipient or user input it lets an attacker inject sendmail options, for example to write a PHP file on the server (CVE-2016-10033, CVE-2016-10045); built from the recipient it also makes each recipient its own envelope sender, so receivers reject the forged Return-Path."
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
            Rule::WordpressEmptySender => {
                "Install the must-use plugin that `phpmailfix mu-plugin WP_ROOT [--from ADDRESS]` generates: on `phpmailer_init` it sets `Sender` when it is empty, to the `--from` address, or else to `From` only when `From` belongs to the site's own domain, and only when the address is valid and shell-safe and `sendmail_path` has no `-f` of its own. Never edit `wp-includes/`: core updates overwrite it."
            }
            Rule::PhpmailerEmptySender => {
                "Set the envelope sender in the code that uses PHPMailer: `$mail->Sender = 'bounce@example.org';`, or `setFrom($address, $name, true)` when `$address` is your own. Or let `phpmailfix fix --from ADDRESS` patch this copy's `mailSend()`: when `Sender` is empty, and `sendmail_path` sets no `-f` of its own, it sets `Sender` to the configured address (`--from`, `phpmailfix.toml`), which the class's own code then passes as `-f`. It never uses `From`, which a contact form sets to the visitor's address."
            }
            Rule::PhpmailerUnsafePatch => {
                "Restore PHPMailer's original `mailSend()` and `mailPassthru()` (reinstall the library), then set the envelope sender the supported way: `$mail->Sender = 'bounce@example.org';` in the code that uses it."
            }
        }
    }

    /// Whether `phpmailfix fix` rewrites the calls this rule reports.
    pub fn fixed_by_fix(self) -> bool {
        matches!(
            self,
            Rule::MissingEnvelopeSender
                | Rule::MissingFromHeader
                | Rule::WordpressEmptySender
                | Rule::PhpmailerEmptySender
        )
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
            Rule::WordpressEmptySender => (
                "// wp-includes/pluggable.php, in wp_mail():\n$phpmailer->setFrom( $from_email, $from_name, false );",
                "// wp-content/mu-plugins/phpmailfix-envelope-sender.php (phpmailfix mu-plugin):\nadd_action('phpmailer_init', 'phpmailfix_envelope_sender', 1000);",
            ),
            Rule::PhpmailerEmptySender => (
                "$mail->setFrom('contact@example.org', 'Example', false);\n$mail->send();",
                "$mail->setFrom('contact@example.org', 'Example', false);\n$mail->Sender = 'contact@example.org';\n$mail->send();",
            ),
            Rule::PhpmailerUnsafePatch => (
                "$params = \"-f\" . $to;",
                "$params = sprintf('-f%s', $this->Sender); // the original; set $mail->Sender instead",
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
        let automatic = match self {
            Rule::WordpressEmptySender => {
                "`phpmailfix fix` proposes the must-use plugin as a new file in its diff, and `phpmailfix mu-plugin` writes it on its own (both write nothing without `--apply` or `--yes`)."
            }
            Rule::PhpmailerEmptySender => {
                "`phpmailfix fix --from ADDRESS` patches `mailSend()` of the supported shapes (2.x, 5.x, 6.x, 7.x: those that build `-f` from `Sender`), marked with a comment so that a second run only updates its address; an unknown shape keeps the finding and gets no patch."
            }
            _ if self.fixed_by_fix() => {
                "`phpmailfix fix --from ADDRESS` rewrites these calls (it prints a diff and writes nothing without `--apply` or `--yes`)."
            }
            _ => "`phpmailfix fix` never rewrites these calls: they need a person's review.",
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
