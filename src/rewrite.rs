//! The rewrites of a `mail()` call: which minimal edits give it a From
//! header and a `-fADDR` envelope sender. Everything outside the edits stays
//! byte-identical; inserted code is valid on PHP 5.3 through 8.x (no `[]`,
//! no named arguments unless the call already uses them).

use crate::finding::Edit;
use crate::model::{Argument, Headers, MailCall, Params};
use crate::sender::Address;

/// What a call needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    pub from_header: bool,
    pub envelope_sender: bool,
}

impl Needs {
    /// What `call` lacks. A dynamic 5th argument is never rewritten.
    pub fn of(call: &MailCall) -> Needs {
        if call.spread {
            return Needs::default();
        }
        Needs {
            from_header: call.headers.has_from() == Some(false),
            envelope_sender: match &call.params {
                Params::Absent => true,
                Params::Text(text) => !Params::sets_sender(text),
                Params::Dynamic(_) => false,
            },
        }
    }

    pub fn any(self) -> bool {
        self.from_header || self.envelope_sender
    }
}

/// The addresses to write: `from` goes into a From header, `sender` into
/// `-f`. They differ when the call's own From header gives the sender.
pub struct Addresses<'a> {
    pub from: &'a Address,
    pub sender: &'a Address,
}

/// The line break convention of a file: CRLF when it has any.
pub fn line_break(src: &[u8]) -> &'static str {
    if memchr::memmem::find(src, b"\r\n").is_some() {
        "\r\n"
    } else {
        "\n"
    }
}

/// The line break of the line holding `at` (of the line before, on the
/// last line), so that an insertion in a file with mixed line breaks
/// matches its neighbours; the file's convention when it has one line.
pub fn line_break_at(src: &[u8], at: usize) -> &'static str {
    let at = at.min(src.len());
    let newline = memchr::memchr(b'\n', &src[at..])
        .map(|i| at + i)
        .or_else(|| memchr::memrchr(b'\n', &src[..at]));
    match newline {
        Some(i) if i > 0 && src[i - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        None => line_break(src),
    }
}

/// The edits that give `call` what `needs` says, or `None` when the call's
/// shape is not one this module rewrites.
pub fn rewrite(
    call: &MailCall,
    src: &[u8],
    needs: Needs,
    addresses: &Addresses,
) -> Option<Vec<Edit>> {
    let positional = call
        .arguments
        .iter()
        .take_while(|a| a.name.is_none())
        .count();
    if call.spread || !needs.any() || (positional < 3 && !call.uses_named_arguments()) {
        return None;
    }
    let named = call.uses_named_arguments();
    let mut edits = Vec::new();
    let mut appended: Vec<String> = Vec::new();
    let from_literal = format!("'From: {}'", addresses.from);
    let sender_literal = format!("'-f{}'", addresses.sender);

    if needs.from_header {
        match (&call.headers, call.argument(3)) {
            (Headers::Absent, _) => appended.push(if named {
                format!("additional_headers: {from_literal}")
            } else {
                from_literal.clone()
            }),
            (Headers::Text(text), Some(arg)) => {
                edits.push(prepend_header(arg, text, src, addresses.from)?);
            }
            (Headers::Array(_) | Headers::Keys(_), Some(arg)) => {
                edits.push(add_array_entry(arg, src, addresses.from)?)
            }
            _ => return None,
        }
    }
    if needs.envelope_sender {
        match (&call.params, call.argument(4)) {
            (Params::Absent, _) => {
                // Positionally the 5th argument needs a 4th before it: empty
                // headers when the From header is not wanted (suppressed).
                if !named && call.argument(3).is_none() && !needs.from_header {
                    appended.push("''".to_string());
                }
                appended.push(if named {
                    format!("additional_params: {sender_literal}")
                } else {
                    sender_literal.clone()
                });
            }
            (Params::Text(text), Some(arg)) => {
                edits.push(prepend_param(arg, text, src, addresses.sender)?);
            }
            _ => return None,
        }
    }
    if !appended.is_empty() {
        edits.push(append_arguments(call, src, &appended)?);
    }
    edits.sort_by_key(|e| e.range.start);
    Some(edits)
}

fn is_quoted_literal(arg: &Argument) -> bool {
    matches!(arg.value_kind, "string" | "encapsed_string")
}

/// The offset just after the opening quote of a literal argument.
fn after_opening_quote(arg: &Argument, src: &[u8]) -> Option<usize> {
    let text = &src[arg.value_range.clone()];
    let quote = if arg.value_kind == "string" {
        b'\''
    } else {
        b'"'
    };
    text.iter()
        .position(|&b| b == quote)
        .map(|i| arg.value_range.start + i + 1)
}

/// A From header in front of constant header text.
fn prepend_header(arg: &Argument, text: &[u8], src: &[u8], from: &Address) -> Option<Edit> {
    if text.trim_ascii().is_empty() && (is_quoted_literal(arg) || arg.value_kind == "null") {
        return Some(Edit {
            range: arg.value_range.clone(),
            replacement: format!("'From: {from}'").into_bytes(),
        });
    }
    // Follow the headers' own separator; PHP's documentation asks for CRLF.
    let crlf = memchr::memmem::find(text, b"\r\n").is_some() || !text.contains(&b'\n');
    let separator = if crlf { r"\r\n" } else { r"\n" };
    if arg.value_kind == "encapsed_string" {
        let at = after_opening_quote(arg, src)?;
        return Some(Edit::insert(at, format!("From: {from}{separator}")));
    }
    Some(Edit::insert(
        arg.value_range.start,
        format!("'From: {from}' . \"{separator}\" . "),
    ))
}

/// `-fADDR ` in front of constant additional params.
fn prepend_param(arg: &Argument, text: &[u8], src: &[u8], sender: &Address) -> Option<Edit> {
    // Empty, or a bare `-f` that names no address: replaced whole.
    let bare = matches!(text.trim_ascii(), b"" | b"-f" | b"-r");
    if bare && (is_quoted_literal(arg) || arg.value_kind == "null") {
        return Some(Edit {
            range: arg.value_range.clone(),
            replacement: format!("'-f{sender}'").into_bytes(),
        });
    }
    if is_quoted_literal(arg) {
        let at = after_opening_quote(arg, src)?;
        return Some(Edit::insert(at, format!("-f{sender} ")));
    }
    Some(Edit::insert(
        arg.value_range.start,
        format!("'-f{sender} ' . "),
    ))
}

/// `'From' => 'ADDR'` as the first entry of a constant array.
fn add_array_entry(arg: &Argument, src: &[u8], from: &Address) -> Option<Edit> {
    let value = &src[arg.value_range.clone()];
    let open = if value.first() == Some(&b'[') {
        0
    } else {
        let rest = value.get(5..)?;
        if !value[..5].eq_ignore_ascii_case(b"array") {
            return None;
        }
        5 + rest.iter().position(|b| !b.is_ascii_whitespace())?
    };
    if !matches!(value.get(open), Some(b'[' | b'(')) {
        return None;
    }
    let inner_start = open + 1;
    let inner = &value[inner_start..value.len() - 1];
    let entry = format!("'From' => '{from}'");
    let at = arg.value_range.start + inner_start;
    let first = inner.iter().position(|b| !b.is_ascii_whitespace());
    Some(match first {
        None => Edit::insert(at, entry),
        Some(offset) if inner[..offset].contains(&b'\n') => {
            // One entry per line: a line of its own, same indentation.
            let line_start = inner[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let indent = String::from_utf8_lossy(&inner[line_start..offset]).into_owned();
            let lb = line_break_at(src, at + offset);
            Edit::insert(at + offset, format!("{entry},{lb}{indent}"))
        }
        Some(offset) => Edit::insert(at + offset, format!("{entry}, ")),
    })
}

/// New arguments after the last one, in the call's own layout: on one line,
/// or one per line with the last argument's indentation.
fn append_arguments(call: &MailCall, src: &[u8], new: &[String]) -> Option<Edit> {
    let last = call.arguments.last()?;
    let before_last = call
        .arguments
        .len()
        .checked_sub(2)
        .map_or(call.arguments_range.start + 1, |i| {
            call.arguments[i].range.end
        });
    let gap = &src[before_last..last.range.start];
    let separator = if gap.contains(&b'\n') {
        let line_start = src[..last.range.start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let indent = &src[line_start..last.range.start];
        if indent.iter().all(|b| *b == b' ' || *b == b'\t') {
            format!(
                ",{}{}",
                line_break_at(src, last.range.start),
                String::from_utf8_lossy(indent)
            )
        } else {
            ", ".to_string()
        }
    } else {
        ", ".to_string()
    };
    let marker_ends_line = matches!(src.get(last.range.end), Some(b'\n' | b'\r'));
    let marker = closing_marker_indent(&src[last.range.clone()]).filter(|_| marker_ends_line);
    let text: String = match marker {
        // Before PHP 7.3 a heredoc's closing marker must end its line: the
        // new arguments start on the next one, at the marker's indentation.
        // (`EOT);` on one line is PHP 7.3+ already: no need there.)
        Some(indent) => format!(
            "{}{indent}, {}",
            line_break_at(src, last.range.end),
            new.join(", ")
        ),
        None => new.iter().map(|arg| format!("{separator}{arg}")).collect(),
    };
    Some(Edit::insert(last.range.end, text))
}

/// When `arg` ends with a heredoc or nowdoc closing marker, the marker's
/// indentation. A false positive only costs a line break.
fn closing_marker_indent(arg: &[u8]) -> Option<String> {
    memchr::memmem::find(arg, b"<<<")?;
    let last_line = &arg[memchr::memrchr(b'\n', arg)? + 1..];
    let indent = last_line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let label = &last_line[indent..];
    let is_label = label.first().is_some_and(|b| !b.is_ascii_digit())
        && label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80);
    is_label.then(|| String::from_utf8_lossy(&last_line[..indent]).into_owned())
}

/// `src` with `edits` applied; bytes outside them are copied unchanged.
/// Edits must not overlap.
pub fn apply_edits(src: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = Vec::with_capacity(src.len() + 128);
    let mut at = 0;
    for edit in sorted {
        assert!(edit.range.start >= at, "edits overlap");
        out.extend_from_slice(&src[at..edit.range.start]);
        out.extend_from_slice(&edit.replacement);
        at = edit.range.end;
    }
    out.extend_from_slice(&src[at..]);
    out
}
