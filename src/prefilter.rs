//! The byte prefilter: decides, without parsing, whether a file can hold a
//! mail-sending call at all. Most PHP files mention mail (`$mail`, `email`,
//! `wp_mail(`, `->mail(`) but few call the builtin, and skipping the parse
//! for the rest is where most of the speed comes from.
//!
//! The filter must never reject a file that holds a call any rule reports.
//! A file passes when some occurrence of `mail` (any case) is
//! - followed, after optional whitespace, by `(` or the start of a comment
//!   (`/*`, `//`, `#`), and not part of a longer identifier, a variable
//!   (`$mail`), or a member or static access (`->mail`, `::mail`); the only
//!   longer identifier allowed is `mb_send_mail`;
//! - or written as a quoted string (`'mail'`, `"\mail"`, `'mb_send_mail'`),
//!   the form indirect calls such as `call_user_func('mail', …)` take.
//!
//! Anything else cannot be a call of the builtin, so rejecting it is safe;
//! the oracle tests check this on real code.

use regex::bytes::Regex;
use std::sync::LazyLock;

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    // Literal first, so the regex engine can use its fast literal search.
    Regex::new(r#"(?i-u)mail(?:[ \t\r\n\f\v]*(?:\(|/[*/]|#)|['"])"#).expect("valid regex")
});

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// True when `bytes` may contain a call a rule reports.
pub fn may_contain_mail_call(bytes: &[u8]) -> bool {
    CANDIDATE
        .find_iter(bytes)
        .any(|m| is_candidate(bytes, m.start(), bytes[m.end() - 1]))
}

/// Checks the context of the `mail` at `start`; `next` is the byte that
/// ended the regex match (a quote for the string form).
fn is_candidate(bytes: &[u8], start: usize, next: u8) -> bool {
    let mut start = start;
    if start >= 8 && bytes[start - 8..start].eq_ignore_ascii_case(b"mb_send_") {
        start -= 8;
    }
    let before = start.checked_sub(1).map(|i| bytes[i]);
    if next == b'\'' || next == b'"' {
        // `'mail'`, `'\mail'`, `"\\mail"`.
        let mut i = start;
        while i > 0 && bytes[i - 1] == b'\\' {
            i -= 1;
        }
        return i > 0 && bytes[i - 1] == next;
    }
    match before {
        Some(b) if is_ident_byte(b) || b == b'$' => false,
        _ => !preceded_by_member_access(&bytes[..start]),
    }
}

/// True when `head` ends in `->` or `::`, ignoring trailing whitespace.
fn preceded_by_member_access(head: &[u8]) -> bool {
    let trimmed = head.trim_ascii_end();
    trimmed.ends_with(b"->") || trimmed.ends_with(b"::")
}

#[cfg(test)]
mod tests {
    use super::may_contain_mail_call as pass;

    #[test]
    fn passes_every_form_of_a_builtin_call() {
        for text in [
            "mail($a)",
            "MAIL ($a)",
            "x = @mail(",
            "\\mail(",
            "mb_send_mail(",
            "Mb_Send_Mail\n(",
            "mail/* c */(",
            "mail // c\n(",
            "mail # c\n(",
            "call_user_func('mail', $a)",
            "$f = \"\\\\mail\";",
            "'mb_send_mail'",
            "function mail(",
            "Foo\\mail(",
        ] {
            assert!(pass(text.as_bytes()), "should pass: {text}");
        }
    }

    #[test]
    fn rejects_what_cannot_be_a_builtin_call() {
        for text in [
            "$mail = 1; $mail->send();",
            "$o->mail($a)",
            "$o?->mail($a)",
            "$o -> mail($a)",
            "Foo::mail($a)",
            "wp_mail($a)",
            "email($a)",
            "mailer($a)",
            "// send mail to the admin",
            "'email'",
            "'mailto'",
            "$mail(",
        ] {
            assert!(!pass(text.as_bytes()), "should reject: {text}");
        }
    }
}
