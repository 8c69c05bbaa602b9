//! Property test of the rewrites: random PHP files built from mail() call
//! shapes, comments, strings and HTML, with LF or CRLF line breaks and
//! ISO-8859-1 bytes. For each: the rewrite adds no parse error, bytes
//! outside the calls are unchanged, every fixable call is fixed, and a
//! second plan of the rewritten file changes nothing.

mod fix_common;

use fix_common::*;
use phpmailfix::apply::check_syntax;
use phpmailfix::model::Params;
use phpmailfix::rewrite::{Needs, apply_edits};
use proptest::prelude::*;
use std::ops::Range;
use std::path::Path;

/// 4th arguments, as PHP source (`{nl}` is the file's line break).
const HEADERS: &[&str] = &[
    "'X-Mailer: gen/1.0'",
    r#""Reply-To: r@example.org\r\nX-A: 1""#,
    r#""X-A: 1\n""#,
    r#"'X-A: 1' . "\r\n" . 'X-B: 2'"#,
    "''",
    r#""""#,
    "null",
    "array('X-A' => '1')",
    "['X-A' => '1', 'X-B' => '2']",
    "array()",
    "[]",
    "[{nl}        'X-A' => '1',{nl}        'X-B' => '2',{nl}    ]",
    "array ({nl}    'Reply-To' => 'r@example.org'{nl})",
    "$headers",
    r#""From: $from""#,
    "'From: Me <me@example.org>'",
    r#""From: me@example.org\r\nX-A: 1""#,
    "<<<EOT{nl}X-A: 1{nl}X-B: 2{nl}EOT",
    "<<<'EOT'{nl}X-A: 1{nl}EOT",
    "'From: Soci\u{e9}t\u{e9} <s@example.org>'",
    "array('From' => 'me@example.org')",
    "('X-A: 1')",
];

/// 5th arguments.
const PARAMS: &[&str] = &[
    "'-oi'",
    r#""""#,
    "''",
    "'-o' . 'i'",
    r#""-oi -odb""#,
    "null",
    "'-fme@example.org'",
    "'-f' . $sender",
    "$params",
    "<<<'EOT'{nl}-oi{nl}EOT",
];

/// 3rd arguments.
const MESSAGES: &[&str] = &[
    "$body",
    r#""Hello\n""#,
    "'Caf\u{e9}'",
    "<<<TXT{nl}Hi $name,{nl}see you.{nl}TXT",
];

const NAMES: &[&str] = &["mail", "\\mail", "MAIL", "Mail", "mb_send_mail"];

/// Where the call stands.
const CONTEXTS: usize = 5;

#[derive(Clone, Debug)]
struct CallShape {
    name: usize,
    at: bool,
    message: usize,
    headers: Option<usize>,
    params: Option<usize>,
    /// Arguments from this index on are named.
    named_from: usize,
    reverse_named: bool,
    multiline: bool,
    comments: bool,
    trailing_comma: bool,
    context: usize,
}

#[derive(Clone, Debug)]
enum Piece {
    Call(CallShape),
    Html(usize),
    Comment(usize),
    Str(usize),
}

const HTML: &[&str] = &[
    "<p>Write to us: mail(form) below.</p>{nl}",
    "<div class=\"caf\u{e9}\">{nl}  <a href=\"mailto:x@example.org\">mail</a>{nl}</div>{nl}",
    "{nl}",
    "<script>var mail = function (a, b, c) {};{nl}mail(1, 2, 3);</script>{nl}",
];

const COMMENTS: &[&str] = &[
    "// mail($to, $subject, $body);",
    "/* mail($to, 'x', 'y') is called below */",
    "# mail() without -f loses mail",
    "/**{nl} * Sends mail($a, $b, $c).{nl} */",
];

const STRINGS: &[&str] = &[
    "$s = 'mail($to, $subject, $body)';",
    "$t = \"mail(\\$to) caf\u{e9}\";",
    "$u = <<<EOT{nl}mail($to, $subject, $body);{nl}EOT;",
    "$abonn\u{e9} = 'x@example.org';",
];

fn call_shape() -> impl Strategy<Value = CallShape> {
    (
        (0..NAMES.len(), any::<bool>(), 0..MESSAGES.len()),
        (
            prop::option::of(0..HEADERS.len()),
            prop::option::of(0..PARAMS.len()),
        ),
        (
            prop_oneof![6 => Just(9usize), 1 => 0..5usize],
            any::<bool>(),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), 0..CONTEXTS),
    )
        .prop_map(
            |(
                (name, at, message),
                (headers, params),
                (named_from, reverse_named),
                (multiline, comments, trailing_comma, context),
            )| CallShape {
                name,
                at,
                message,
                headers,
                params,
                named_from,
                reverse_named,
                multiline,
                comments,
                trailing_comma,
                context,
            },
        )
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => call_shape().prop_map(Piece::Call),
        1 => (0..HTML.len()).prop_map(Piece::Html),
        1 => (0..COMMENTS.len()).prop_map(Piece::Comment),
        1 => (0..STRINGS.len()).prop_map(Piece::Str),
    ]
}

/// Source text in the file's encoding: `{nl}` becomes the line break, and
/// in a Latin-1 file `é` becomes the single byte 0xE9.
fn encode(text: &str, nl: &str, latin1: bool) -> Vec<u8> {
    let text = text.replace("{nl}", nl);
    if latin1 {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
            .collect()
    } else {
        text.into_bytes()
    }
}

/// A generated file and where its calls are (name to closing parenthesis).
struct Generated {
    bytes: Vec<u8>,
    calls: Vec<Range<usize>>,
}

fn call_text(shape: &CallShape, nl: &str) -> String {
    let mut headers = shape.headers.map(|i| HEADERS[i]);
    if headers.is_none() && shape.params.is_some() && shape.named_from > 3 {
        // Positionally the 5th argument needs a 4th.
        headers = Some("''");
    }
    let mut args: Vec<(&str, String)> = vec![
        ("to", "$to".into()),
        ("subject", "'Subject'".into()),
        ("message", MESSAGES[shape.message].into()),
    ];
    if let Some(h) = headers {
        args.push(("additional_headers", h.into()));
    }
    if let Some(p) = shape.params {
        args.push(("additional_params", PARAMS[p].into()));
    }
    let named_from = shape.named_from.min(args.len());
    let mut rendered: Vec<String> = args
        .iter()
        .enumerate()
        .map(|(i, (name, value))| {
            if i >= named_from {
                format!("{name}: {value}")
            } else {
                value.clone()
            }
        })
        .collect();
    if shape.reverse_named {
        rendered[named_from..].reverse();
    }
    let indent = if shape.multiline { "    " } else { "" };
    let mut out = format!("{}(", NAMES[shape.name]);
    let count = rendered.len();
    for (i, arg) in rendered.iter().enumerate() {
        if shape.multiline {
            out.push_str(nl);
            out.push_str(indent);
        } else if i > 0 {
            out.push(' ');
        }
        if shape.comments && i % 2 == 1 {
            out.push_str("/* arg */ ");
        }
        out.push_str(arg);
        let is_doc = arg.contains("<<<");
        if is_doc {
            // A closing marker ends its line (PHP < 7.3).
            out.push_str(nl);
        }
        if i + 1 < count || shape.trailing_comma {
            out.push(',');
            if shape.multiline && shape.comments && i == 0 {
                out.push_str(" // first");
            }
        }
    }
    if shape.multiline {
        out.push_str(nl);
    }
    out.push(')');
    out
}

fn generate(pieces: &[Piece], crlf: bool, latin1: bool, bom: bool) -> Generated {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut bytes: Vec<u8> = if bom && !latin1 {
        b"\xef\xbb\xbf".to_vec()
    } else {
        Vec::new()
    };
    let mut calls = Vec::new();
    let mut in_php = false;
    let mut functions = 0;
    let push = |bytes: &mut Vec<u8>, text: &str| bytes.extend(encode(text, nl, latin1));
    for piece in pieces {
        let enter_php = |bytes: &mut Vec<u8>, in_php: &mut bool| {
            if !*in_php {
                push(bytes, "<?php{nl}");
                *in_php = true;
            }
        };
        match piece {
            Piece::Html(i) => {
                if in_php {
                    push(&mut bytes, "?>{nl}");
                    in_php = false;
                }
                push(&mut bytes, HTML[*i]);
            }
            Piece::Comment(i) => {
                enter_php(&mut bytes, &mut in_php);
                push(&mut bytes, COMMENTS[*i]);
                push(&mut bytes, "{nl}");
            }
            Piece::Str(i) => {
                enter_php(&mut bytes, &mut in_php);
                push(&mut bytes, STRINGS[*i]);
                push(&mut bytes, "{nl}");
            }
            Piece::Call(shape) => {
                let at = if shape.at { "@" } else { "" };
                let (before, after): (String, &str) = match shape.context {
                    0 => (at.to_string(), ";{nl}"),
                    1 => (format!("if (!{at}"), ") {{nl}    echo 'failed';{nl}}{nl}"),
                    2 => (format!("$ok = {at}"), ";{nl}"),
                    3 => {
                        functions += 1;
                        (
                            format!("function send{functions}($to, $body)")
                                + "{nl}{{nl}    return "
                                + at,
                            ";{nl}}{nl}",
                        )
                    }
                    _ => (at.to_string(), " ? 'sent' : 'not sent' ?>{nl}"),
                };
                if shape.context == 4 {
                    // <?= CALL ?> in a template.
                    if in_php {
                        push(&mut bytes, "?>{nl}");
                    }
                    push(&mut bytes, "<p><?= ");
                    in_php = false;
                } else {
                    enter_php(&mut bytes, &mut in_php);
                }
                push(&mut bytes, &before);
                let start = bytes.len();
                push(&mut bytes, &call_text(shape, "{nl}"));
                calls.push(start..bytes.len());
                push(&mut bytes, after);
            }
        }
    }
    Generated { bytes, calls }
}

fn check(pieces: &[Piece], crlf: bool, latin1: bool, bom: bool) -> Result<(), TestCaseError> {
    let generated = generate(pieces, crlf, latin1, bom);
    let source = &generated.bytes;
    let path = Path::new("/nonexistent-phpmailfix-proptest/gen.php");
    let shown = visible(source);

    let mut parser = phpmailfix::analyze::new_parser();
    let analysis = phpmailfix::analyze::analyze(&mut parser, source);
    prop_assert!(
        !analysis.parse_errors,
        "the generator made invalid PHP:\n{shown}"
    );
    prop_assert_eq!(
        analysis.calls.len(),
        generated.calls.len(),
        "every generated call is found, nothing else:\n{}",
        shown
    );

    let (_, plan) = plan_bytes(path, source, Some(ADDR));
    let edits: Vec<_> = match plan.files.first() {
        None => Vec::new(),
        Some(file) => {
            prop_assert!(file.refused.is_none(), "{:?}\n{}", file.refused, shown);
            file.changes.iter().flat_map(|c| c.edits.clone()).collect()
        }
    };
    let rewritten = apply_edits(source, &edits);
    let shown_new = visible(&rewritten);
    prop_assert!(
        check_syntax(source, &rewritten).is_ok(),
        "new parse errors:\n{}",
        shown_new
    );

    // Bytes outside the calls are unchanged: each stretch between calls
    // sits in the rewritten file, shifted by what the edits before it added.
    let mut edits_sorted = edits.clone();
    edits_sorted.sort_by_key(|e| e.range.start);
    for edit in &edits_sorted {
        prop_assert!(
            generated
                .calls
                .iter()
                .any(|c| c.start < edit.range.start && edit.range.end < c.end),
            "edit {:?} outside the calls of\n{}",
            edit,
            shown
        );
    }
    let mut boundaries = vec![0];
    for call in &generated.calls {
        boundaries.push(call.start);
        boundaries.push(call.end);
    }
    boundaries.push(source.len());
    let shift_before = |offset: usize| -> isize {
        edits_sorted
            .iter()
            .filter(|e| e.range.end <= offset)
            .map(|e| e.replacement.len() as isize - e.range.len() as isize)
            .sum()
    };
    for outside in boundaries.chunks(2) {
        let (start, end) = (outside[0], outside[1]);
        let shift = shift_before(start);
        let new_start = (start as isize + shift) as usize;
        let new_end = new_start + (end - start);
        prop_assert!(
            rewritten.get(new_start..new_end) == Some(&source[start..end]),
            "bytes {}..{} changed:\n{}",
            start,
            end,
            shown_new
        );
    }

    // Every call is fixed, except those with a dynamic 5th argument.
    let again = phpmailfix::analyze::analyze(&mut parser, &rewritten);
    prop_assert_eq!(again.calls.len(), generated.calls.len());
    for call in &again.calls {
        if !matches!(call.params, Params::Dynamic(_)) {
            prop_assert!(
                !Needs::of(call).any(),
                "a call still needs {:?}:\n{}",
                Needs::of(call),
                shown_new
            );
        }
    }

    // Idempotent: a second plan changes nothing.
    let (_, replan) = plan_bytes(path, &rewritten, Some(ADDR));
    prop_assert_eq!(
        replan.change_count(),
        0,
        "second run changes:\n{}",
        shown_new
    );
    prop_assert!(replan.files.is_empty());
    prop_assert_eq!(replan.unfixed.len(), plan.unfixed.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn rewrites_keep_files_valid_minimal_and_idempotent(
        pieces in prop::collection::vec(piece(), 1..12),
        crlf in any::<bool>(),
        latin1 in any::<bool>(),
        bom in any::<bool>(),
    ) {
        check(&pieces, crlf, latin1, bom)?;
    }
}

#[test]
fn every_header_param_and_message_shape_is_rewritten_alone() {
    // The property test draws at random; this walks each shape once.
    let base = CallShape {
        name: 0,
        at: false,
        message: 0,
        headers: None,
        params: None,
        named_from: 9,
        reverse_named: false,
        multiline: false,
        comments: false,
        trailing_comma: false,
        context: 0,
    };
    let mut shapes = Vec::new();
    for h in 0..HEADERS.len() {
        for multiline in [false, true] {
            shapes.push(CallShape {
                headers: Some(h),
                multiline,
                ..base.clone()
            });
        }
    }
    for p in 0..PARAMS.len() {
        shapes.push(CallShape {
            headers: Some(0),
            params: Some(p),
            ..base.clone()
        });
        shapes.push(CallShape {
            params: Some(p),
            named_from: 3,
            reverse_named: true,
            ..base.clone()
        });
    }
    for m in 0..MESSAGES.len() {
        for multiline in [false, true] {
            shapes.push(CallShape {
                message: m,
                multiline,
                trailing_comma: multiline,
                ..base.clone()
            });
        }
    }
    for name in 0..NAMES.len() {
        for context in 0..CONTEXTS {
            shapes.push(CallShape {
                name,
                context,
                at: context % 2 == 0,
                ..base.clone()
            });
        }
    }
    for shape in shapes {
        for crlf in [false, true] {
            let pieces = [Piece::Call(shape.clone())];
            if let Err(err) = check(&pieces, crlf, false, false) {
                panic!("{shape:?} (crlf: {crlf}): {err}");
            }
        }
    }
}
