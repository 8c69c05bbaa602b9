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
//! - or written as a quoted string (`'mail'`, `"\mail"`, `'mb_send_mail'`)
//!   in the two places the indirect-call rule looks: a call's argument
//!   (`call_user_func('mail', …)`) or the value assigned to a variable that
//!   the file also calls (`$f = 'mail'; … $f(…)`); array keys such as
//!   `$labels['mail']` do not pass;
//! - or followed by `as` (`use function mail as send;` makes `send()` the
//!   builtin).
//!
//! Anything else cannot be a call of the builtin, so rejecting it is safe;
//! the oracle tests check this on real code.

use regex::bytes::Regex;
use std::sync::LazyLock;

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    // The literal first, so the regex engine can use its fast literal
    // search. The branches after `mail` are for `interest`, in the same
    // pass: PHPMailer's API on a variable whose name holds `mail`
    // (`$mail->setFrom`, `$mailer->isSMTP()`, `$phpmailer->Sender`,
    // `->From`, `->Mailer`), and
    // `PHPMailer` (`class PHPMailer`, `phpmailer_init`). Their context is
    // checked in code.
    Regex::new(
        r#"(?i-u)mail(?:[ \t\r\n\f\v]*(?:\(|/[*/]|#)|['"]|[ \t\r\n\f\v]+as\b|[a-z0-9_]*[ \t\r\n\f\v]*\??->[ \t\r\n\f\v]*(?-i:Sender|From|Mailer|[Ss]etFrom|[Ii]sSMTP)\b|er)"#,
    )
    .expect("valid regex")
});

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// True when `bytes` may contain a call a rule reports.
pub fn may_contain_mail_call(bytes: &[u8]) -> bool {
    candidates(bytes).next().is_some()
}

/// The byte offsets of the occurrences of `mail` that pass the filter, in
/// order. Every call a rule reports contains one, so the analysis only
/// needs to look at the syntax around them.
pub fn candidates(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    CANDIDATE
        .find_iter(bytes)
        .filter(|m| {
            let matched = m.as_bytes();
            !is_mailer(matched)
                && !is_library_api(matched)
                && is_candidate(bytes, m.start(), bytes[m.end() - 1])
        })
        .map(|m| m.start())
}

fn is_mailer(matched: &[u8]) -> bool {
    matched.len() == 6 && matched[4..].eq_ignore_ascii_case(b"er")
}

/// What a file may hold, from one pass over its bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interest {
    /// A mail-sending call may be there (see `candidates`).
    pub call: bool,
    /// Something the library rules read: a `class PHPMailer`, a
    /// `phpmailer_init` hook, `new PHPMailer`, `function wp_mail`, or
    /// PHPMailer's API (`->Sender`, `->setFrom`, `->isSMTP`) on a variable
    /// whose name holds `mail`, which a handler or a caller may use without
    /// ever naming PHPMailer. (`$m->setFrom(…)` in a file that never says
    /// mail is not seen: the price of one pass.)
    pub library: bool,
}

/// One pass of the regex: stops as soon as both answers are known.
pub fn interest(bytes: &[u8]) -> Interest {
    let mut found = Interest::default();
    for m in CANDIDATE.find_iter(bytes) {
        let (start, end) = (m.start(), m.end());
        let matched = m.as_bytes();
        if is_library_api(matched) {
            found.library = true;
        } else if is_mailer(matched) {
            found.library |= is_phpmailer_fact(bytes, start, end);
        } else {
            if !found.library && start >= 3 && bytes[start - 3..start].eq_ignore_ascii_case(b"wp_")
            {
                found.library = preceded_by_word(&bytes[..start - 3], b"function");
            }
            found.call = found.call || is_candidate(bytes, start, bytes[end - 1]);
        }
        if found.call && found.library {
            break;
        }
    }
    found
}

/// The offsets of what `interest` counts as library facts: every node the
/// library rules read (a `class PHPMailer`, a `phpmailer_init` hook, `function
/// wp_mail`, an API call or assignment) contains one.
pub fn library_hits(bytes: &[u8]) -> Vec<usize> {
    CANDIDATE
        .find_iter(bytes)
        .filter(|m| {
            let (start, end, matched) = (m.start(), m.end(), m.as_bytes());
            is_library_api(matched)
                || (is_mailer(matched) && is_phpmailer_fact(bytes, start, end))
                || (!is_mailer(matched)
                    && start >= 3
                    && bytes[start - 3..start].eq_ignore_ascii_case(b"wp_")
                    && preceded_by_word(&bytes[..start - 3], b"function"))
        })
        .map(|m| m.start())
        .collect()
}

/// A match of the API branch: `mail…->Sender`, `->setFrom`, `->isSMTP`.
fn is_library_api(matched: &[u8]) -> bool {
    memchr::memmem::find(matched, b"->").is_some()
}

/// `class PHPMailer`, `phpmailer_init` or `new PHPMailer` (the `mailer` at
/// `start..end`).
fn is_phpmailer_fact(bytes: &[u8], start: usize, end: usize) -> bool {
    if start < 3 || !bytes[start - 3..start].eq_ignore_ascii_case(b"php") {
        return false;
    }
    bytes[end..].starts_with(b"_init")
        || preceded_by_word(&bytes[..start - 3], b"class")
        || (is_construction(bytes, start - 3)
            && !bytes
                .get(end)
                .is_some_and(|&b| is_ident_byte(b) || b == b'\\'))
}

/// `new PHPMailer` or `new \PHPMailer\PHPMailer\PHPMailer` (the class
/// name ends at the `php` at `at`).
fn is_construction(bytes: &[u8], at: usize) -> bool {
    let name_start = bytes[..at]
        .iter()
        .rposition(|&b| !(is_ident_byte(b) || b == b'\\'))
        .map_or(0, |i| i + 1);
    preceded_by_word(&bytes[..name_start], b"new")
}

/// Whether the library hit at `hit` is a `phpmailer_init` hook or a `new
/// PHPMailer`: the mailer object then has a name of the code's choosing
/// (`function ($pm) { $pm->Sender = …; }`, `$m = new PHPMailer();
/// $m->setFrom(…)`), so the library query reads the whole file, not only
/// around the hits.
pub fn names_its_own_mailer(bytes: &[u8], hit: usize) -> bool {
    let end = hit + 6;
    end <= bytes.len()
        && is_mailer(&bytes[hit..end])
        && is_phpmailer_fact(bytes, hit, end)
        && !preceded_by_word(&bytes[..hit.saturating_sub(3)], b"class")
}

/// `head` ends with `word` (any case) and white space, after a non-word byte.
fn preceded_by_word(head: &[u8], word: &[u8]) -> bool {
    let trimmed = head.trim_ascii_end();
    trimmed.len() < head.len()
        && trimmed.len() >= word.len()
        && trimmed[trimmed.len() - word.len()..].eq_ignore_ascii_case(word)
        && !trimmed[..trimmed.len() - word.len()]
            .last()
            .is_some_and(|b| is_ident_byte(*b))
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
        // `'mail'`, `'\mail'`, `"\\mail"`, as a first argument or the value
        // of an assignment: `call_user_func('mail', …)`, `$f = 'mail';`.
        // Array keys (`$labels['mail']`, `'mail' => 1`) are not.
        let mut i = start;
        while i > 0 && bytes[i - 1] == b'\\' {
            i -= 1;
        }
        if i == 0 || bytes[i - 1] != next {
            return false;
        }
        // A binary-string prefix (`b'mail'`) stands between the quote and
        // what precedes it.
        let mut quote_at = i - 1;
        if quote_at > 0
            && matches!(bytes[quote_at - 1], b'b' | b'B')
            && !(quote_at > 1 && is_ident_byte(bytes[quote_at - 2]))
        {
            quote_at -= 1;
        }
        let head = bytes[..quote_at].trim_ascii_end();
        let end = start
            + if bytes[start..].len() >= 12
                && bytes[start..start + 12].eq_ignore_ascii_case(b"mb_send_mail")
            {
                12
            } else {
                4
            };
        let after = bytes
            .get(end + 1..)
            .and_then(|rest| rest.trim_ascii_start().first());
        // `?>` ends a statement too, and a comment may follow or precede.
        if !matches!(after, Some(b',' | b')' | b';' | b'?' | b'/' | b'#')) {
            return false;
        }
        return match head.last() {
            // An argument, named or not (`call_user_func(callback: 'mail')`),
            // or after a comment.
            Some(b'(' | b',' | b':' | b'/') => true,
            // `$f = 'mail';` matters only when `$f(` is called somewhere.
            Some(b'=') => {
                assigned_variable(&head[..head.len() - 1]).is_some_and(|var| is_called(bytes, var))
            }
            _ => false,
        };
    }
    match before {
        Some(b) if is_ident_byte(b) || b == b'$' => false,
        _ => !preceded_by_member_access(&bytes[..start]) && !in_comment(bytes, start),
    }
}

/// Bytes that could end a string or switch between PHP and HTML: with none
/// of them between a comment's start and `mail`, the `mail` is in that
/// comment, or in a string that is still open, and so not a call either way.
fn could_leave_comment(between: &[u8]) -> bool {
    between.iter().any(|&b| matches!(b, b'\'' | b'"' | b'`'))
        || memchr::memmem::find(between, b"?>").is_some()
        || memchr::memmem::find(between, b"<?").is_some()
}

/// The line of `at`: (its start, the offset of its first non-blank byte).
fn line_start(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let first = bytes[start..at]
        .iter()
        .position(|&b| b != b' ' && b != b'\t' && b != b'\r')
        .map_or(at, |i| start + i);
    (start, first)
}

/// True when the `mail` at `start` is surely commented out: on a line that
/// begins with `//` or `#` (not a `#[` attribute), or on a docblock line
/// (`*` first) of a `/*` comment opened at a line start, every line since
/// beginning with `*`, with nothing in between that could end a string or
/// the comment (a heredoc's closing line would begin with its label).
fn in_comment(bytes: &[u8], start: usize) -> bool {
    let (_, first) = line_start(bytes, start);
    let line = &bytes[first..start];
    if line.starts_with(b"//") || (line.starts_with(b"#") && !line.starts_with(b"#[")) {
        // `/*` … `// */ mail(…)`: the `//` may sit in a block comment that
        // closes before the call.
        return !could_leave_comment(line) && memchr::memmem::find(line, b"*/").is_none();
    }
    if !line.starts_with(b"*") || line.starts_with(b"*/") {
        return false;
    }
    // Walk up the docblock to its `/*` line.
    let mut line_begin = line_start(bytes, start).0;
    while line_begin > 0 {
        let (prev_start, prev_first) = line_start(bytes, line_begin - 1);
        let prev = &bytes[prev_first..line_begin - 1];
        if prev.starts_with(b"/*") {
            let between = &bytes[prev_first + 2..start];
            return memchr::memmem::find(between, b"*/").is_none() && !could_leave_comment(between);
        }
        if !prev.starts_with(b"*") {
            return false;
        }
        line_begin = prev_start;
    }
    false
}

/// The variable (`$f`) at the end of `head`, the left side of a plain `=`.
fn assigned_variable(head: &[u8]) -> Option<&[u8]> {
    let head = head.trim_ascii_end();
    let name_start = head
        .iter()
        .rposition(|&b| !is_ident_byte(b))
        .map_or(0, |i| i + 1);
    (name_start > 0 && name_start < head.len() && head[name_start - 1] == b'$')
        .then(|| &head[name_start - 1..])
}

/// True when `var(` (whitespace allowed before the parenthesis) occurs.
fn is_called(bytes: &[u8], var: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, var).any(|at| {
        let rest = &bytes[at + var.len()..];
        !rest.first().is_some_and(|&b| is_ident_byte(b))
            && rest.trim_ascii_start().first() == Some(&b'(')
    })
}

/// True when `head` ends in `->` or `::`, ignoring spaces and tabs. A line
/// break ends the look-back: the `::` could close a `// Mailer::` comment.
/// `$i-->mail(` is `$i-- > mail(`: PHP reads `--` first.
fn preceded_by_member_access(head: &[u8]) -> bool {
    let trimmed = head
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(&head[..0], |i| &head[..=i]);
    (trimmed.ends_with(b"->") && !trimmed.ends_with(b"-->")) || trimmed.ends_with(b"::")
}

#[cfg(test)]
mod tests {
    use super::may_contain_mail_call as pass;

    #[test]
    fn library_facts_are_told_apart_from_mentions() {
        let library = |text: &str| super::interest(text.as_bytes()).library;
        for yes in [
            "<?php class PHPMailer {",
            "<?php\nclass  phpmailer extends Base",
            "add_action( 'phpmailer_init', 'f' );",
            "if (!function_exists('wp_mail')) : function wp_mail($to) {",
            "$phpmailer->Sender = $a;",
            "$this->mailer -> Sender = $a;",
            "$mail->setFrom($a, $n, false);",
            "$email->SetFrom($a);",
            "$Mailer->isSMTP();",
            "<?php $m = new PHPMailer();",
            "$m = new \\PHPMailer\\PHPMailer\\PHPMailer(true);",
        ] {
            assert!(library(yes), "{yes}");
        }
        for (text, whole) in [
            ("add_action('phpmailer_init', 'f');", true),
            ("$m = NEW PHPMailer;", true),
            ("$m = new \\PHPMailer\\PHPMailer\\PHPMailer(true);", true),
            ("class PHPMailer {", false),
            ("throw new phpmailerException('x');", false),
            ("$o = new PHPMailerOAuth();", false),
            ("throw new PHPMailer\\PHPMailer\\Exception('x');", false),
            ("$mail->setFrom($a);", false),
        ] {
            let hits = super::library_hits(text.as_bytes());
            let found = hits
                .iter()
                .any(|&h| super::names_its_own_mailer(text.as_bytes(), h));
            assert_eq!(found, whole, "{text}");
        }
        for no in [
            "throw new phpmailerException('x');",
            "$o = new PHPMailerOAuth();",
            "// Uses PHPMailer to send.",
            "$phpmailer->send();",
            "wp_mail($to, $s, $m);",
            "$Sender = 1; $a['Sender']; $mail['Sender'];",
            "Url::getFromRoute('/x'); $mail->setFromArray();",
            "$mailer->isSMTPish(); $mailer->Senders;",
        ] {
            assert!(!library(no), "{no}");
        }
        let both = super::interest(b"<?php mail($a, $b, $c); add_action('phpmailer_init', 'f');");
        assert!(both.call && both.library);
        assert!(!super::interest(b"<?php function wp_mail($to) {}").call);
    }

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
            "$f = \"\\\\mail\"; $f($a);",
            "call_user_func_array( 'mb_send_mail' , $args)",
            "$f = 'mail'; $f($a);",
            "function mail(",
            "Foo\\mail(",
            "// see Mailer::\nmail($to, $s, $b);",
            "# ->\nmail($to, $s, $b);",
            "use function mail as send;",
            "$i-->mail($a, $b, $c);",
            "call_user_func('mail' /* builtin */, $a);",
            "call_user_func(/* c */ 'mail', $a);",
            "call_user_func(callback: \"mail\", $to);",
            "call_user_func(b'mail', $a);",
            "/*\n// */ mail($a, $b, $c);",
            "/*\n# */ mail($a, $b, $c);",
            "$f = 'mail'?><?php $f($a);",
        ] {
            assert!(pass(text.as_bytes()), "should pass: {text}");
        }
    }

    #[test]
    fn comment_skipping_is_conservative() {
        for (text, expected) in [
            ("// send with mail() here\n", false),
            ("  # uses mail( too\n", false),
            ("/**\n * Passed to mail() as is.\n */", false),
            ("#[Attr] mail($a);", true),
            ("// it's \"x\"; mail($a);", true),
            ("// x ?> <?php mail($a);", true),
            ("$s = <<<EOT\n/* x\nEOT;\n * mail($a);", true),
            ("$a = $b\n * mail($a);", true),
            ("/* a */\n * mail($a);", true),
            ("mail($a); // mail()", true),
        ] {
            assert_eq!(pass(text.as_bytes()), expected, "{text}");
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
            "$labels['mail'] = 'Mail';",
            "array('mail' => 1)",
            "$type = 'mail'; send($type);",
            "if ($x == 'mail') {}",
        ] {
            assert!(!pass(text.as_bytes()), "should reject: {text}");
        }
    }
}
