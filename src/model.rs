//! The typed model of a mail-sending call that rules read. Rules never walk
//! the syntax tree themselves: `analyze` builds these values, rules look at
//! them, and fixes are expressed against the byte ranges they carry.

use std::ops::Range;

/// Which builtin is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MailFunction {
    Mail,
    MbSendMail,
}

impl MailFunction {
    pub fn name(self) -> &'static str {
        match self {
            MailFunction::Mail => "mail",
            MailFunction::MbSendMail => "mb_send_mail",
        }
    }

    /// Parses a function name as PHP resolves it: case-insensitively, with
    /// an optional leading `\`.
    pub fn from_name(name: &[u8]) -> Option<Self> {
        let name = name.strip_prefix(b"\\").unwrap_or(name);
        if name.eq_ignore_ascii_case(b"mail") {
            Some(MailFunction::Mail)
        } else if name.eq_ignore_ascii_case(b"mb_send_mail") {
            Some(MailFunction::MbSendMail)
        } else {
            None
        }
    }
}

/// One argument of a call, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    /// The whole argument, including a `name:` prefix.
    pub range: Range<usize>,
    /// The value expression.
    pub value_range: Range<usize>,
    /// The name of a named argument (`additional_params:`), as written.
    pub name: Option<String>,
    /// `...$args`.
    pub spread: bool,
    /// The tree-sitter kind of the value (`string`, `encapsed_string`,
    /// `array_creation_expression`...), so fixes can respect its syntax.
    pub value_kind: &'static str,
}

/// What the 4th argument (`additional_headers`) is known to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Headers {
    Absent,
    /// A constant string (literals and their concatenation), decoded.
    Text(Vec<u8>),
    /// A constant array of `name => value` entries, decoded. Entries without
    /// a string key are not headers for PHP and are left out.
    Array(Vec<(Vec<u8>, Vec<u8>)>),
    /// An array whose keys are all constant strings but some values are not
    /// (`array('Reply-To' => $reply)`): the header names are known. PHP 8
    /// refuses line breaks in array values, so the keys settle whether a
    /// From header is there.
    Keys(Vec<Vec<u8>>),
    Dynamic,
}

impl Headers {
    /// True when the headers are known and contain a `From` header.
    pub fn has_from(&self) -> Option<bool> {
        match self {
            Headers::Absent => Some(false),
            Headers::Text(text) => Some(header_value(text, b"from").is_some()),
            Headers::Array(entries) => Some(
                entries
                    .iter()
                    .any(|(name, _)| name.trim_ascii().eq_ignore_ascii_case(b"from")),
            ),
            Headers::Keys(names) => Some(
                names
                    .iter()
                    .any(|name| name.trim_ascii().eq_ignore_ascii_case(b"from")),
            ),
            Headers::Dynamic => None,
        }
    }
}

/// The value of the first header called `name` (lower case) in a header
/// block, when a line starts with it.
pub fn header_value<'a>(text: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    text.split(|&b| b == b'\n').find_map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let head = line.get(..name.len())?;
        if !head.eq_ignore_ascii_case(name) {
            return None;
        }
        line[name.len()..]
            .trim_ascii_start()
            .strip_prefix(b":")
            .map(<[u8]>::trim_ascii)
    })
}

/// What the 5th argument (`additional_params`) is known to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Params {
    Absent,
    /// A constant string, decoded.
    Text(Vec<u8>),
    Dynamic(DynamicOrigin),
}

/// What can be seen of where a dynamic value comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DynamicOrigin {
    /// The expression contains the recipient argument, written the same way
    /// (`"-f" . $to`, `"-f{$user->email}"` when that is the recipient).
    pub from_recipient: bool,
    /// The expression reads a superglobal (`$_POST`, ...); its name.
    pub superglobal: Option<String>,
}

impl Params {
    /// True when the constant params set an envelope sender (`-f` or `-r`).
    /// `-fADDR`, `-f ADDR`, `-rADDR` or `-r ADDR`; a bare `-f` sets none.
    pub fn sets_sender(text: &[u8]) -> bool {
        let words: Vec<&[u8]> = text
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().enumerate().any(|(i, word)| {
            (word.starts_with(b"-f") || word.starts_with(b"-r"))
                && (word.len() > 2 || words.get(i + 1).is_some_and(|next| !next.starts_with(b"-")))
        })
    }
}

/// A direct call of `mail()` or `mb_send_mail()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailCall {
    pub function: MailFunction,
    /// The name as written (`mail`, `\Mail`), where findings are located.
    pub name_range: Range<usize>,
    /// The whole call expression, name to closing parenthesis.
    pub call_range: Range<usize>,
    /// The argument list, parentheses included.
    pub arguments_range: Range<usize>,
    pub arguments: Vec<Argument>,
    /// True when an argument is `...$args`: the count and values are unknown.
    pub spread: bool,
    pub headers: Headers,
    pub params: Params,
}

impl MailCall {
    /// The argument that fills parameter `index` (0-based), positional or
    /// named.
    pub fn argument(&self, index: usize) -> Option<&Argument> {
        self.argument_index(index).map(|i| &self.arguments[i])
    }

    /// Index in `arguments` of the argument that fills parameter `index`.
    pub fn argument_index(&self, index: usize) -> Option<usize> {
        let name = PARAMETERS[index];
        self.arguments
            .iter()
            .position(|a| {
                a.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .or_else(|| {
                self.arguments
                    .get(index)
                    .filter(|a| a.name.is_none() && !a.spread)
                    .map(|_| index)
            })
    }

    /// True when the call uses named arguments.
    pub fn uses_named_arguments(&self) -> bool {
        self.arguments.iter().any(|a| a.name.is_some())
    }
}

/// mail()'s and mb_send_mail()'s parameter names, in order.
pub const PARAMETERS: [&str; 5] = [
    "to",
    "subject",
    "message",
    "additional_headers",
    "additional_params",
];

/// How a call that cannot be read sends mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum IndirectKind {
    /// `mail(...$args)`.
    Spread,
    /// `call_user_func('mail', …)` / `call_user_func_array('mail', …)`.
    Callback,
    /// `$f = 'mail'; $f(…)`.
    VariableFunction,
    /// `mail(...)`: a first-class callable, called later.
    FirstClassCallable,
}

/// A place where mail may be sent in a way the tool cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndirectCall {
    pub kind: IndirectKind,
    pub function: MailFunction,
    /// Where it is reported: the name or the string naming the function.
    pub range: Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_header_is_found_at_line_starts_only() {
        assert_eq!(
            header_value(b"Reply-To: a@b\r\nfrom : Me <me@x.fr>\r\n", b"from"),
            Some(&b"Me <me@x.fr>"[..])
        );
        assert_eq!(header_value(b"X-Mailer: from: spoof", b"from"), None);
        assert_eq!(header_value(b"Fromage: brie", b"from"), None);
    }

    #[test]
    fn sender_options_are_words_starting_with_f_or_r() {
        assert!(Params::sets_sender(b"-fme@x.fr"));
        assert!(Params::sets_sender(b"-oi -f me@x.fr"));
        assert!(Params::sets_sender(b"-r me@x.fr"));
        assert!(!Params::sets_sender(b"-oi"));
        assert!(!Params::sets_sender(b"-f"));
        assert!(!Params::sets_sender(b"-f -oi"));
        assert!(!Params::sets_sender(b""));
    }
}
