//! Constant evaluation of PHP expressions: string literals (single, double
//! without variables, heredoc, nowdoc), their concatenation, `null`, and
//! arrays of those. Anything else is not constant. Values are decoded from
//! the original bytes with PHP's own escape rules.

use tree_sitter::Node;

/// A constant value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(Vec<u8>),
    /// `array(...)` or `[...]`: entries with string keys, in order. Entries
    /// without a key are kept with `None`.
    Array(Vec<(Option<Vec<u8>>, Value)>),
    Null,
}

/// Deepest nesting of parentheses and arrays evaluated. Real code nests a
/// few levels; a file nesting thousands (generated or hostile) must not
/// overflow the stack, and its value simply counts as not constant.
const MAX_DEPTH: usize = 64;

/// The constant value of `node`, or `None` when it is not constant.
pub fn evaluate(node: Node, src: &[u8]) -> Option<Value> {
    evaluate_nested(node, src, 0)
}

fn evaluate_nested(node: Node, src: &[u8], depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    // Every evaluation below is of a part, one level deeper.
    let evaluate = |node: Node, src: &[u8]| evaluate_nested(node, src, depth + 1);
    match node.kind() {
        "string" => Some(Value::Text(single_quoted(node, src))),
        "encapsed_string" => double_quoted(node, src).map(Value::Text),
        "heredoc" => heredoc(node, src).map(Value::Text),
        "nowdoc" => nowdoc(node, src).map(Value::Text),
        "parenthesized_expression" => evaluate(node.named_child(0)?, src),
        "null" => Some(Value::Null),
        // PHP_EOL is "\n" on the Unix servers this tool is for.
        "name" if &src[node.byte_range()] == b"PHP_EOL" => Some(Value::Text(b"\n".to_vec())),
        "binary_expression" => {
            // `a . b . c` nests to the left, as deep as the chain is long:
            // walk that spine in a loop, so that a long generated chain
            // cannot overflow the stack.
            let mut rights = Vec::new();
            let mut left = node;
            while left.kind() == "binary_expression" {
                if left.child_by_field_name("operator")?.kind() != "." {
                    return None;
                }
                rights.push(left.child_by_field_name("right")?);
                left = left.child_by_field_name("left")?;
            }
            let mut text = evaluate(left, src)?.into_text()?;
            for right in rights.into_iter().rev() {
                text.extend(evaluate(right, src)?.into_text()?);
            }
            Some(Value::Text(text))
        }
        "array_creation_expression" => {
            let mut entries = Vec::new();
            let mut cursor = node.walk();
            for element in node.named_children(&mut cursor) {
                if element.kind() != "array_element_initializer" {
                    continue;
                }
                let mut c = element.walk();
                let parts: Vec<Node> = element.named_children(&mut c).collect();
                match parts.as_slice() {
                    [value] if value.kind() != "variadic_unpacking" => {
                        entries.push((None, evaluate(*value, src)?));
                    }
                    [key, value] if key.kind() != "by_ref" && value.kind() != "by_ref" => {
                        let key = evaluate(*key, src)?.into_text()?;
                        entries.push((Some(key), evaluate(*value, src)?));
                    }
                    _ => return None,
                }
            }
            Some(Value::Array(entries))
        }
        _ => None,
    }
}

impl Value {
    /// The value as a string, as PHP would convert it; arrays are not.
    pub fn into_text(self) -> Option<Vec<u8>> {
        match self {
            Value::Text(text) => Some(text),
            Value::Null => Some(Vec::new()),
            Value::Array(_) => None,
        }
    }
}

fn text<'a>(node: Node, src: &'a [u8]) -> &'a [u8] {
    &src[node.byte_range()]
}

/// `'...'` or `b'...'`: only `\\` and `\'` are escapes.
fn single_quoted(node: Node, src: &[u8]) -> Vec<u8> {
    let raw = text(node, src);
    let start = raw.iter().position(|&b| b == b'\'').map_or(0, |i| i + 1);
    let end = raw.len().saturating_sub(1).max(start);
    let inner = &raw[start..end];
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && matches!(inner.get(i + 1), Some(b'\\' | b'\'')) {
            out.push(inner[i + 1]);
            i += 2;
        } else {
            out.push(inner[i]);
            i += 1;
        }
    }
    out
}

/// True when every named child is literal text.
fn all_literal(node: Node) -> bool {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .all(|c| matches!(c.kind(), "string_content" | "escape_sequence"))
}

/// `"..."` without interpolation.
fn double_quoted(node: Node, src: &[u8]) -> Option<Vec<u8>> {
    if !all_literal(node) {
        return None;
    }
    let raw = text(node, src);
    let start = raw.iter().position(|&b| b == b'"')? + 1;
    let end = raw.len().saturating_sub(1).max(start);
    Some(unescape_double(&raw[start..end], true))
}

/// The body lines of a heredoc/nowdoc with the closing marker's indentation
/// removed (PHP 7.3 flexible syntax), joined without the final line break.
fn doc_body(node: Node, src: &[u8]) -> Option<Vec<u8>> {
    let end_tag = node.child_by_field_name("end_tag")?;
    let line_start = src[..end_tag.start_byte()]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let indent = end_tag.start_byte() - line_start;
    let body_start = node
        .child_by_field_name("identifier")
        .map(|id| id.end_byte())?;
    let body_start = src[body_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| body_start + i + 1)?;
    // Body ends at the line break before the closing marker's line.
    let body_end = line_start.saturating_sub(1).max(body_start);
    let body = &src[body_start..body_end];
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let mut out = Vec::with_capacity(body.len());
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let strip = line
            .iter()
            .take(indent)
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        out.extend_from_slice(&line[strip..]);
    }
    Some(out)
}

fn heredoc(node: Node, src: &[u8]) -> Option<Vec<u8>> {
    if let Some(body) = node.child_by_field_name("value")
        && !all_literal(body)
    {
        return None;
    }
    doc_body(node, src).map(|body| unescape_double(&body, false))
}

fn nowdoc(node: Node, src: &[u8]) -> Option<Vec<u8>> {
    doc_body(node, src)
}

/// Decodes PHP's double-quote escapes. `\"` is an escape only inside double
/// quotes, not in heredocs.
fn unescape_double(raw: &[u8], in_quotes: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b != b'\\' || i + 1 == raw.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let next = raw[i + 1];
        let simple = match next {
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'e' => Some(0x1b),
            b'f' => Some(0x0c),
            b'\\' => Some(b'\\'),
            b'$' => Some(b'$'),
            b'"' if in_quotes => Some(b'"'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            i += 2;
            continue;
        }
        if next.is_ascii_digit() && next < b'8' {
            let digits = raw[i + 1..]
                .iter()
                .take(3)
                .take_while(|d| (b'0'..b'8').contains(d))
                .count();
            let value = raw[i + 1..i + 1 + digits]
                .iter()
                .fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
            out.push(value as u8);
            i += 1 + digits;
            continue;
        }
        if next == b'x' {
            let digits = raw[i + 2..]
                .iter()
                .take(2)
                .take_while(|d| d.is_ascii_hexdigit())
                .count();
            if digits > 0 {
                let hex = std::str::from_utf8(&raw[i + 2..i + 2 + digits]).unwrap_or("0");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 2 + digits;
                continue;
            }
        }
        if next == b'u'
            && raw.get(i + 2) == Some(&b'{')
            && let Some(close) = raw[i + 3..].iter().position(|&c| c == b'}')
        {
            let hex = std::str::from_utf8(&raw[i + 3..i + 3 + close]).unwrap_or("");
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 4 + close;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unescape_double;

    #[test]
    fn double_quote_escapes_follow_php() {
        assert_eq!(
            unescape_double(br"a\r\nb\t\x41\101\$\\\q", true),
            b"a\r\nb\tAA$\\\\q"
        );
        assert_eq!(
            unescape_double(br#"\"x\u{e9}"#, true),
            "\"x\u{e9}".as_bytes()
        );
        assert_eq!(unescape_double(br#"\""#, false), br#"\""#);
    }
}
