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
