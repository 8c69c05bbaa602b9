//! From a file's bytes to the typed model: parse with tree-sitter-php, run
//! the queries in `queries/`, and decide for each candidate whether it is a
//! call of PHP's builtin `mail()`/`mb_send_mail()` and what its headers and
//! additional params say.

use crate::model::{
    Argument, DynamicOrigin, Headers, IndirectCall, IndirectKind, MailCall, MailFunction, Params,
};
use crate::php_value::{Value, evaluate};
use crate::source::parser_input;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

/// The queries, compiled once and shared by all threads.
pub struct Queries {
    mail_calls: Query,
    indirect_calls: Query,
    namespaces: Query,
}

pub fn language() -> Language {
    tree_sitter_php::LANGUAGE_PHP.into()
}

pub static QUERIES: LazyLock<Queries> = LazyLock::new(|| {
    let language = language();
    let compile = |name: &str, source: &str| {
        Query::new(&language, source).unwrap_or_else(|e| panic!("queries/{name}: {e}"))
    };
    Queries {
        mail_calls: compile("mail_calls.scm", include_str!("../queries/mail_calls.scm")),
        indirect_calls: compile(
            "indirect_calls.scm",
            include_str!("../queries/indirect_calls.scm"),
        ),
        namespaces: compile("namespaces.scm", include_str!("../queries/namespaces.scm")),
    }
});

/// A parser for the PHP grammar. One per thread.
pub fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("tree-sitter-php matches the tree-sitter ABI");
    parser
}

/// What one file holds.
#[derive(Debug, Default)]
pub struct FileAnalysis {
    pub calls: Vec<MailCall>,
    pub indirect: Vec<IndirectCall>,
    /// The grammar found syntax errors; calls in intact parts were still read.
    pub parse_errors: bool,
    /// `// phpmailfix-ignore` comments.
    pub suppressions: Vec<crate::suppress::Suppression>,
    /// PHPMailer and WordPress facts (read only when the file mentions
    /// phpmailer).
    pub library: crate::library::LibraryFacts,
}

/// Parses `src` (the file's original bytes) through its parser-safe copy
/// (see `source::parser_input`): the tree's offsets are those of `src`.
pub fn parse(parser: &mut Parser, src: &[u8]) -> Tree {
    parse_input(parser, &parser_input(src))
}

fn parse_input(parser: &mut Parser, input: &[u8]) -> Tree {
    parser
        .parse(input, None)
        .expect("parsing without timeout or cancellation always yields a tree")
}

/// Finds every mail-sending call in `src`.
pub fn analyze(parser: &mut Parser, src: &[u8]) -> FileAnalysis {
    analyze_with_library(parser, src, false)
}

/// `analyze`, and with `library` the PHPMailer and WordPress facts too.
pub fn analyze_with_library(parser: &mut Parser, src: &[u8], library: bool) -> FileAnalysis {
    let input = parser_input(src);
    let tree = parse_input(parser, &input);
    let mut analysis = analyze_tree(&tree, src, &input);
    if library {
        let hits = crate::prefilter::library_hits(src);
        analysis.library = crate::library::facts(tree.root_node(), src, &input, &hits);
    }
    analysis
}

/// Where a query runs: the whole tree, or only the nodes around the
/// prefilter's hits. A big file has millions of nodes and a handful of hits;
/// every call a rule reports contains a hit.
#[derive(Clone, Copy)]
pub(crate) enum Reach<'a> {
    Everywhere,
    Around(&'a [usize]),
}

/// Calls `each` once per distinct match of `query` within `reach`.
/// `max_depth` limits how deep below the root a match may start.
pub(crate) fn for_each_match<'tree>(
    query: &Query,
    root: Node<'tree>,
    input: &[u8],
    reach: Reach,
    max_depth: Option<u32>,
    mut each: impl FnMut(&tree_sitter::QueryMatch<'_, 'tree>),
) {
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    let mut cursor = QueryCursor::new();
    cursor.set_max_start_depth(max_depth);
    let ranges: Vec<Range<usize>> = match reach {
        Reach::Everywhere => std::iter::once(0..usize::MAX).collect(),
        Reach::Around(hits) => hits.iter().map(|&hit| hit..hit + 1).collect(),
    };
    for range in ranges {
        cursor.set_byte_range(range);
        let mut matches = cursor.matches(query, root, input);
        while let Some(m) = matches.next() {
            let mut key: Vec<usize> = m.captures.iter().map(|c| c.node.id()).collect();
            key.push(m.pattern_index);
            if seen.insert(key) {
                each(m);
            }
        }
    }
}

/// `src` is the file's bytes, `input` the copy the tree was parsed from.
fn analyze_tree(tree: &Tree, src: &[u8], input: &[u8]) -> FileAnalysis {
    let root = tree.root_node();
    let hits: Vec<usize> = crate::prefilter::candidates(src).collect();
    let scopes = Scopes::new(root, input, &hits);
    let mut out = FileAnalysis {
        parse_errors: root.has_error(),
        suppressions: crate::suppress::find(root, src),
        ..FileAnalysis::default()
    };

    // After `__halt_compiler();` the rest of the file is data, not code.
    let halt = halt_compiler_offset(root, input);
    let q = &QUERIES.mail_calls;
    let (name_ix, args_ix, call_ix) = (
        capture(q, "name"),
        capture(q, "arguments"),
        capture(q, "call"),
    );
    // An alias (`use function mail as send;`) makes calls away from the
    // hits builtin calls too.
    let reach = if scopes.has_aliases() {
        Reach::Everywhere
    } else {
        Reach::Around(&hits)
    };
    for_each_match(q, root, input, reach, None, |m| {
        let node_of = |ix| m.captures.iter().find(|c| c.index == ix).map(|c| c.node);
        let (Some(name), Some(args), Some(call)) =
            (node_of(name_ix), node_of(args_ix), node_of(call_ix))
        else {
            return;
        };
        if call.start_byte() >= halt {
            return;
        }
        let Some(function) = scopes.resolve_builtin(name, input) else {
            return;
        };
        if has_child_kind(args, "variadic_placeholder") {
            out.indirect.push(IndirectCall {
                kind: IndirectKind::FirstClassCallable,
                function,
                range: name.byte_range(),
            });
            return;
        }
        let call = read_call(function, name, args, call, src);
        if call.spread {
            out.indirect.push(IndirectCall {
                kind: IndirectKind::Spread,
                function,
                range: name.byte_range(),
            });
        }
        out.calls.push(call);
    });
    out.indirect.extend(
        indirect_calls(root, input, src, &hits)
            .into_iter()
            .filter(|i| i.range.start < halt),
    );
    out.calls.sort_by_key(|c| c.name_range.start);
    out.indirect.sort_by_key(|c| c.range.start);
    out
}

/// Where `__halt_compiler();` (only allowed at the top level) ends the
/// code, or the end of the file.
fn halt_compiler_offset(root: Node, input: &[u8]) -> usize {
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .find(|statement| {
            statement.kind() == "expression_statement"
                && statement.named_child(0).is_some_and(|call| {
                    call.kind() == "function_call_expression"
                        && call.child_by_field_name("function").is_some_and(|f| {
                            input[f.byte_range()].eq_ignore_ascii_case(b"__halt_compiler")
                        })
                })
        })
        .map_or(input.len(), |statement| statement.end_byte())
}

fn capture(query: &Query, name: &str) -> u32 {
    query
        .capture_index_for_name(name)
        .unwrap_or_else(|| panic!("query has no @{name} capture"))
}

fn has_child_kind(node: Node, kind: &str) -> bool {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).any(|c| c.kind() == kind)
}

fn read_call(function: MailFunction, name: Node, args: Node, call: Node, src: &[u8]) -> MailCall {
    let mut arguments = Vec::new();
    let mut values = Vec::new();
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        if arg.kind() != "argument" {
            continue;
        }
        let arg_name = arg.child_by_field_name("name");
        let Some(value) = arg.named_child(arg.named_child_count().saturating_sub(1) as u32) else {
            continue;
        };
        arguments.push(Argument {
            range: arg.byte_range(),
            value_range: value.byte_range(),
            name: arg_name.map(|n| String::from_utf8_lossy(&src[n.byte_range()]).into_owned()),
            spread: value.kind() == "variadic_unpacking",
            value_kind: value.kind(),
        });
        values.push(value);
    }
    let spread = arguments.iter().any(|a| a.spread);
    let mut call = MailCall {
        function,
        name_range: name.byte_range(),
        call_range: call.byte_range(),
        arguments_range: args.byte_range(),
        arguments,
        spread,
        headers: Headers::Absent,
        params: Params::Absent,
    };
    if spread {
        call.headers = Headers::Dynamic;
        call.params = Params::Dynamic(DynamicOrigin::default());
        return call;
    }
    let [recipient, headers, params] =
        [0, 3, 4].map(|index| call.argument_index(index).map(|i| values[i]));
    call.headers = headers.map_or(Headers::Absent, |node| match evaluate(node, src) {
        Some(Value::Text(text)) => Headers::Text(text),
        Some(Value::Null) => Headers::Text(Vec::new()),
        Some(Value::Array(entries)) => Headers::Array(
            entries
                .into_iter()
                .filter_map(|(key, value)| Some((key?, flatten(value))))
                .collect(),
        ),
        None => array_keys(node, src).map_or(Headers::Dynamic, Headers::Keys),
    });
    call.params = params.map_or(Params::Absent, |node| {
        match evaluate(node, src).and_then(Value::into_text) {
            Some(text) => Params::Text(text),
            None => Params::Dynamic(dynamic_origin(node, recipient, src)),
        }
    });
    call
}

/// The keys of an array literal whose keys are all constant strings.
fn array_keys(node: Node, src: &[u8]) -> Option<Vec<Vec<u8>>> {
    if node.kind() != "array_creation_expression" {
        return None;
    }
    let mut keys = Vec::new();
    let mut cursor = node.walk();
    for element in node.named_children(&mut cursor) {
        if element.kind() != "array_element_initializer" {
            continue;
        }
        if element.named_child_count() != 2 {
            return None;
        }
        let key = element.named_child(0)?;
        keys.push(evaluate(key, src)?.into_text()?);
    }
    Some(keys)
}

/// A header value that is an array of lines (`'To' => array(...)`) reads as
/// its lines joined; only the presence of the name matters to the rules.
fn flatten(value: Value) -> Vec<u8> {
    match value {
        Value::Text(t) => t,
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .into_iter()
            .map(|(_, v)| flatten(v))
            .collect::<Vec<_>>()
            .join(&b", "[..]),
    }
}

const SUPERGLOBALS: [&str; 8] = [
    "_GET", "_POST", "_REQUEST", "_COOKIE", "_SERVER", "_FILES", "_ENV", "GLOBALS",
];

/// What can be seen of where the 5th argument's value comes from.
fn dynamic_origin(node: Node, recipient: Option<Node>, src: &[u8]) -> DynamicOrigin {
    let mut variables = HashSet::new();
    collect_variables(node, src, &mut variables);
    let superglobal = SUPERGLOBALS
        .iter()
        .find(|g| variables.contains(**g))
        .map(|g| format!("${g}"));
    // The recipient expression itself must appear: sharing a variable is
    // not enough (`$config['to']` and `$config['from']`).
    DynamicOrigin {
        from_recipient: recipient.is_some_and(|r| {
            evaluate(r, src).is_none() && contains_text(node, &src[r.byte_range()], src)
        }),
        superglobal,
    }
}

/// The variables used in `node`. With a stack, not recursion: a 5th
/// argument can be a concatenation thousands of levels deep.
fn collect_variables(node: Node, src: &[u8], out: &mut HashSet<String>) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if node.kind() == "variable_name" {
            let name = &src[node.byte_range()];
            out.insert(
                String::from_utf8_lossy(name.strip_prefix(b"$").unwrap_or(name)).into_owned(),
            );
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
}

/// True when a descendant of `node` is written exactly as `needle`
/// (`$user->email` used both as recipient and in `-f`).
fn contains_text(node: Node, needle: &[u8], src: &[u8]) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if &src[node.byte_range()] == needle && node.kind() != "string" {
            return true;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// `call_user_func('mail', …)` and `$f = 'mail'; $f(…)`.
fn indirect_calls(root: Node, input: &[u8], src: &[u8], hits: &[usize]) -> Vec<IndirectCall> {
    let q = &QUERIES.indirect_calls;
    let (callback_ix, assigned_var_ix, assigned_name_ix, called_var_ix) = (
        capture(q, "callback_arguments"),
        capture(q, "assigned_var"),
        capture(q, "assigned_name"),
        capture(q, "called_var"),
    );
    let mut out = Vec::new();
    let mut assigned: HashMap<Vec<u8>, Vec<(MailFunction, Range<usize>)>> = HashMap::new();
    let mut called: HashSet<Vec<u8>> = HashSet::new();
    let named = |node: Node| {
        evaluate(node, src)
            .and_then(Value::into_text)
            .and_then(|t| MailFunction::from_name(&t))
    };
    // Callbacks and assignments hold a hit (the quoted name).
    for_each_match(q, root, input, Reach::Around(hits), None, |m| {
        let node_of = |ix| m.captures.iter().find(|c| c.index == ix).map(|c| c.node);
        if let Some(args) = node_of(callback_ix) {
            // The callback is the first argument; comments may precede it.
            let mut c = args.walk();
            let first = args
                .named_children(&mut c)
                .find(|a| a.kind() == "argument")
                .and_then(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32))
                .filter(|v| matches!(v.kind(), "string" | "encapsed_string"));
            if let Some(s) = first
                && let Some(function) = named(s)
            {
                out.push(IndirectCall {
                    kind: IndirectKind::Callback,
                    function,
                    range: s.byte_range(),
                });
            }
        } else if let (Some(var), Some(value)) =
            (node_of(assigned_var_ix), node_of(assigned_name_ix))
            && let Some(function) = named(value)
        {
            assigned
                .entry(src[var.byte_range()].to_vec())
                .or_default()
                .push((function, value.byte_range()));
        }
    });
    // `$f(...)` can be anywhere: look for it only when `$f = 'mail'` exists.
    if !assigned.is_empty() {
        for_each_match(q, root, input, Reach::Everywhere, None, |m| {
            if let Some(var) = m.captures.iter().find(|c| c.index == called_var_ix) {
                called.insert(src[var.node.byte_range()].to_vec());
            }
        });
    }
    for (var, sites) in assigned {
        if called.contains(&var) {
            out.extend(sites.into_iter().map(|(function, range)| IndirectCall {
                kind: IndirectKind::VariableFunction,
                function,
                range,
            }));
        }
    }
    out
}

/// A `use function` import that matters to mail calls: its local name or
/// its target is `mail`/`mb_send_mail`.
struct Import {
    /// Index of the namespace block (`usize::MAX` outside any block).
    block: usize,
    /// Where the `use` statement ends: imports apply after it only.
    after: usize,
    /// The local name, lower case.
    local: Vec<u8>,
    /// The builtin the import names, or `None` for a namespaced function.
    target: Option<MailFunction>,
}

/// Namespace blocks and what shadows the builtin in each.
struct Scopes {
    /// (range, lower-case namespace name) of each namespace block.
    blocks: Vec<(Range<usize>, String)>,
    /// Lower-case namespace names that declare their own mail functions.
    declared: HashSet<(String, MailFunction)>,
    imports: Vec<Import>,
}

impl Scopes {
    fn new<'t>(root: Node<'t>, input: &[u8], hits: &[usize]) -> Scopes {
        let q = &QUERIES.namespaces;
        let (ns_ix, fn_ix, use_ix) = (
            capture(q, "namespace"),
            capture(q, "function_name"),
            capture(q, "use"),
        );
        let mut namespaces = Vec::new();
        let mut functions = Vec::new();
        let mut uses = Vec::new();
        let mut collect = |m: &tree_sitter::QueryMatch<'_, 't>| {
            for c in m.captures {
                if c.index == ns_ix {
                    namespaces.push(c.node);
                } else if c.index == fn_ix {
                    functions.push(c.node);
                } else if c.index == use_ix {
                    uses.push(c.node);
                }
            }
        };
        // Namespaces and imports are top-level statements, or statements of
        // a bracketed namespace (program > namespace > body > use): no need
        // to look deeper. A `function mail` declaration may be nested (in an
        // `if`), but its name is a prefilter hit.
        for_each_match(q, root, input, Reach::Everywhere, Some(3), &mut collect);
        for_each_match(q, root, input, Reach::Around(hits), None, &mut collect);
        for list in [&mut namespaces, &mut functions, &mut uses] {
            list.sort_by_key(|n| (n.start_byte(), n.id()));
            list.dedup_by_key(|n| n.id());
        }
        let mut blocks = Vec::new();
        for (i, ns) in namespaces.iter().enumerate() {
            let name = ns
                .child_by_field_name("name")
                .map(|n| String::from_utf8_lossy(&input[n.byte_range()]).to_ascii_lowercase())
                .unwrap_or_default();
            let end = if ns.child_by_field_name("body").is_some() {
                ns.end_byte()
            } else {
                namespaces
                    .get(i + 1)
                    .map_or(input.len(), |next| next.start_byte())
            };
            blocks.push((ns.start_byte()..end, name));
        }
        let mut scopes = Scopes {
            blocks,
            declared: HashSet::new(),
            imports: Vec::new(),
        };
        for f in functions {
            let block = scopes.block_at(f.start_byte());
            if let (Some(function), Some(ns)) = (
                MailFunction::from_name(&input[f.byte_range()]),
                block.map(|b| scopes.blocks[b].1.clone()),
            ) && !ns.is_empty()
            {
                scopes.declared.insert((ns, function));
            }
        }
        for u in uses {
            let block = scopes.block_at(u.start_byte()).unwrap_or(usize::MAX);
            for (local, target) in imported_functions(u, input) {
                scopes.imports.push(Import {
                    block,
                    after: u.end_byte(),
                    local,
                    target,
                });
            }
        }
        scopes
    }

    /// True when an import gives the builtin another local name.
    fn has_aliases(&self) -> bool {
        self.imports
            .iter()
            .any(|i| i.target.is_some() && MailFunction::from_name(&i.local).is_none())
    }

    fn block_at(&self, offset: usize) -> Option<usize> {
        self.blocks.iter().position(|(r, _)| r.contains(&offset))
    }

    /// The builtin a call name resolves to, if any, as PHP resolves it.
    fn resolve_builtin(&self, name: Node, input: &[u8]) -> Option<MailFunction> {
        let text = &input[name.byte_range()];
        let block = self.block_at(name.start_byte());
        let namespace = block.map_or("", |b| self.blocks[b].1.as_str());
        match name.kind() {
            // `\mail`: always the global function.
            "qualified_name" => {
                let rest = text.strip_prefix(b"\\")?;
                if rest.contains(&b'\\') {
                    return None;
                }
                MailFunction::from_name(rest)
            }
            // `namespace\mail`: the builtin only in the global namespace.
            "relative_name" => {
                if !namespace.is_empty() {
                    return None;
                }
                let last = text.rsplit(|&b| b == b'\\').next()?;
                MailFunction::from_name(last)
            }
            "name" => {
                // An import seen before the call decides (`use function
                // mail as send;` makes `send()` the builtin).
                let lower = text.to_ascii_lowercase();
                let block = block.unwrap_or(usize::MAX);
                if let Some(import) = self
                    .imports
                    .iter()
                    .filter(|i| {
                        i.block == block && i.after <= name.start_byte() && i.local == lower
                    })
                    .max_by_key(|i| i.after)
                {
                    return import.target;
                }
                let function = MailFunction::from_name(text)?;
                let shadowed = !namespace.is_empty()
                    && self.declared.contains(&(namespace.to_string(), function));
                (!shadowed).then_some(function)
            }
            _ => None,
        }
    }
}

/// The function imports of a `use` declaration that concern mail: (local
/// name in lower case, the builtin it names if it names one).
fn imported_functions(decl: Node, input: &[u8]) -> Vec<(Vec<u8>, Option<MailFunction>)> {
    let decl_is_function = has_token(decl, "function");
    // `use function Some\Ns\{mail, other}`: names relative to a prefix.
    let grouped = decl.child_by_field_name("body").is_some();
    let mut out = Vec::new();
    let mut stack = vec![decl];
    while let Some(node) = stack.pop() {
        if node.kind() == "namespace_use_clause" {
            if !(decl_is_function || has_token(node, "function")) {
                continue;
            }
            let mut cursor = node.walk();
            let Some(target) = node
                .named_children(&mut cursor)
                .find(|c| matches!(c.kind(), "name" | "qualified_name"))
            else {
                continue;
            };
            let target_text = &input[target.byte_range()];
            let target_text = target_text.strip_prefix(b"\\").unwrap_or(target_text);
            let last = target_text
                .rsplit(|&b| b == b'\\')
                .next()
                .unwrap_or_default();
            let builtin = if grouped || target_text.contains(&b'\\') {
                None
            } else {
                MailFunction::from_name(target_text)
            };
            let local = match node.child_by_field_name("alias") {
                Some(alias) => &input[alias.byte_range()],
                None => last,
            };
            if builtin.is_some() || MailFunction::from_name(local).is_some() {
                out.push((local.to_ascii_lowercase(), builtin));
            }
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    out
}

/// True when `node` has an anonymous child token `kind`.
fn has_token(node: Node, kind: &str) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, function) of every direct builtin call in `src`.
    fn calls(src: &str) -> Vec<(usize, &'static str)> {
        let analysis = analyze(&mut new_parser(), src.as_bytes());
        analysis
            .calls
            .iter()
            .map(|c| {
                let line = src[..c.name_range.start].matches('\n').count() + 1;
                (line, c.function.name())
            })
            .collect()
    }

    #[test]
    fn imports_resolve_as_php_resolves_them() {
        // Importing the global function keeps it the builtin.
        assert_eq!(
            calls("<?php namespace Foo;\nuse function mail;\nmail($a, $b, $c);"),
            [(3, "mail")]
        );
        // An alias of the builtin is the builtin; an alias named mail is not.
        assert_eq!(
            calls("<?php namespace Foo;\nuse function mb_send_mail as mail;\nmail($a, $b, $c);"),
            [(3, "mb_send_mail")]
        );
        assert_eq!(
            calls("<?php\nuse function mail as send;\nsend($a, $b, $c);"),
            [(3, "mail")]
        );
        assert_eq!(
            calls("<?php\nuse function Foo\\bar as mail;\nmail($a, $b, $c);"),
            []
        );
        // Imports apply after the use statement only.
        assert_eq!(
            calls(
                "<?php namespace Foo;\nmail($a, $b, $c);\nuse function Bar\\mail;\nmail($a, $b, $c);"
            ),
            [(2, "mail")]
        );
        // Group imports name namespaced functions.
        assert_eq!(
            calls("<?php\nuse function Foo\\{mail};\nmail($a, $b, $c);"),
            []
        );
    }

    #[test]
    fn namespaces_that_declare_mail_shadow_it() {
        let src = "<?php\nnamespace A {\n  function mail($a) {}\n  mail(1);\n  \\mail($a, $b, $c);\n}\nnamespace B {\n  mail($a, $b, $c);\n  namespace\\mail(1);\n}\n";
        assert_eq!(calls(src), [(5, "mail"), (8, "mail")]);
    }

    #[test]
    fn nested_declarations_and_far_aliases_are_seen() {
        // A conditional declaration deep in the tree still shadows.
        let src = "<?php\nnamespace A;\nif (!function_exists('A\\mail')) {\n  function mail($a) {}\n}\nmail(1);\n";
        assert_eq!(calls(src), []);
        // An alias's calls hold no prefilter hit of their own.
        let src = format!(
            "<?php\nuse function mail as send;\n{}send($a, $b, $c);\n",
            "$x = 1;\n".repeat(500)
        );
        assert_eq!(calls(&src), [(503, "mail")]);
    }

    #[test]
    fn nothing_after_halt_compiler_is_code() {
        assert_eq!(
            calls("<?php\nmail($a, $b, $c);\n__halt_compiler();\nmail($a, $b, $c);"),
            [(2, "mail")]
        );
    }
}
