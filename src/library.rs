//! PHPMailer and WordPress: the library-level cause of mail without an
//! envelope sender. Most mail on a PHP server leaves through PHPMailer,
//! whose `mail()` transport passes `-f` only when `Sender` is set, and
//! WordPress's `wp_mail()` calls `setFrom($from, $name, false)`, which
//! leaves it empty. This module reads, per file, the facts that decide
//! it (the `queries/library.scm` matches), and turns them into findings:
//! per file (`file_findings`) and per WordPress install (`tree_findings`).

use crate::finding::{Edit, Finding, Severity};
use crate::php_value::evaluate;
use crate::rules::Rule;
use crate::sender::Address;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use tree_sitter::{Node, Query};

/// The comment that marks phpmailfix's patch of PHPMailer: a second run
/// sees it and proposes nothing.
pub const PATCH_MARKER: &str = "phpmailfix: envelope sender when Sender is empty";

/// Where the patch is explained.
const PATCH_DOCS: &str = "https://github.com/phpmailfix/phpmailfix#phpmailer-outside-wordpress";

static QUERY: LazyLock<Query> = LazyLock::new(|| {
    Query::new(
        &crate::analyze::language(),
        include_str!("../queries/library.scm"),
    )
    .unwrap_or_else(|e| panic!("queries/library.scm: {e}"))
});

/// What one file holds that matters at the library level.
#[derive(Clone, Debug, Default)]
pub struct LibraryFacts {
    /// A `class PHPMailer` declared here.
    pub phpmailer: Option<PhpMailerClass>,
    /// WordPress's `wp_mail()` declared here (`wp-includes/pluggable.php`).
    pub wp_mail: Option<WpMail>,
    /// `$wp_version` of `wp-includes/version.php`.
    pub wp_version: Option<WpVersion>,
    /// `add_action('phpmailer_init', …)` registrations.
    pub init_hooks: Vec<InitHook>,
    /// Lower-cased names of the functions and methods declared here that
    /// give PHPMailer an envelope sender (assign `->Sender`, or switch it
    /// to SMTP, where `From` is the envelope sender).
    pub handlers: Vec<String>,
    /// `->setFrom($address, $name, false)` calls in functions that do not
    /// assign `->Sender` themselves.
    pub set_from_false: Vec<Range<usize>>,
}

impl LibraryFacts {
    pub fn is_empty(&self) -> bool {
        self.phpmailer.is_none()
            && self.wp_mail.is_none()
            && self.wp_version.is_none()
            && self.init_hooks.is_empty()
            && self.handlers.is_empty()
            && self.set_from_false.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct WpVersion {
    pub version: String,
    pub range: Range<usize>,
}

/// How `wp_mail()` sets the From address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WpMailForm {
    /// `$phpmailer->setFrom($from_email, $from_name, false)` (WordPress 5.5+).
    SetFrom,
    /// `$phpmailer->From = …` (older WordPress).
    FromProperty,
}

#[derive(Clone, Debug)]
pub struct WpMail {
    /// Where the From address is set: the finding's place.
    pub site: Range<usize>,
    pub form: WpMailForm,
    /// `wp_mail()` assigns `->Sender` itself.
    pub sets_sender: bool,
}

/// What a `phpmailer_init` callback is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callback {
    /// A closure that gives an envelope sender.
    Handles,
    /// A closure that does not.
    Ignores,
    /// A function by name (lower case).
    Function(String),
    /// A method by name (lower case): `array($this, 'm')`, `'Class::m'`.
    Method(String),
    /// A variable or anything else this tool cannot follow.
    Unknown,
}

#[derive(Clone, Debug)]
pub struct InitHook {
    pub range: Range<usize>,
    pub callback: Callback,
}

/// A PHPMailer class.
#[derive(Clone, Debug)]
pub struct PhpMailerClass {
    pub range: Range<usize>,
    /// `const VERSION` (6.x, 7.x) or `public $Version` (5.2.x).
    pub version: Option<String>,
    /// The method that calls `mail()`: `mailPassthru` (5.2.7+),
    /// `mail_passthru` (5.2.2 to 5.2.6) or `MailSend` (5.2.0, 5.2.1), as
    /// written, and the range of its name.
    pub send_method: Option<(String, Range<usize>)>,
    /// phpmailfix's patch is already there.
    pub patched: bool,
    /// The address that patch sets, and the range of its string literal.
    pub patched_sender: Option<(String, Range<usize>)>,
    /// Where the patch goes, when the shape is one phpmailfix knows.
    pub anchor: Option<PatchAnchor>,
    /// `-f` built from something other than `Sender`, unvalidated.
    pub unsafe_patches: Vec<Range<usize>>,
}

/// The place of the patch: the start of `mailSend()`'s body, which builds
/// `-f` from `Sender` in every supported shape.
#[derive(Clone, Debug)]
pub struct PatchAnchor {
    /// Start of the line of the body's first statement.
    pub at: usize,
    /// That statement's indentation.
    pub indent: String,
    /// One level of indentation, as the file writes it.
    pub unit: String,
}

fn text<'a>(node: Node, src: &'a [u8]) -> &'a [u8] {
    &src[node.byte_range()]
}

fn lower(node: Node, src: &[u8]) -> String {
    String::from_utf8_lossy(text(node, src)).to_ascii_lowercase()
}

/// The innermost function, method or closure around `node`.
fn enclosing_function(node: Node) -> Option<Node> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(
            n.kind(),
            "function_definition" | "method_declaration" | "anonymous_function" | "arrow_function"
        ) {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The value of the `index`th positional argument of an `arguments` node.
fn argument(args: Node, index: usize) -> Option<Node> {
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|a| a.kind() == "argument" && a.child_by_field_name("name").is_none())
        .nth(index)
        .and_then(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32))
}

/// `setFrom()`'s third argument, `$auto`: positional or named.
fn auto_argument<'t>(args: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let mut cursor = args.walk();
    let named = args
        .named_children(&mut cursor)
        .filter(|a| a.kind() == "argument")
        .find(|a| {
            a.child_by_field_name("name")
                .is_some_and(|n| text(n, src) == b"auto")
        })
        .and_then(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32));
    named.or_else(|| argument(args, 2))
}

fn constant_text(node: Node, src: &[u8]) -> Option<String> {
    evaluate(node, src)
        .and_then(crate::php_value::Value::into_text)
        .map(|t| String::from_utf8_lossy(&t).into_owned())
}

/// Reads the library facts of a parsed file. `input` is the parser's copy;
/// `hits` the offsets of `prefilter::library_hits`: the query runs only
/// around them, as every node it reads contains one, unless one of them is
/// a `phpmailer_init` hook or a `new PHPMailer`, whose mailer variable may
/// have any name: then it reads the whole file.
pub fn facts(root: Node, src: &[u8], input: &[u8], hits: &[usize]) -> LibraryFacts {
    let q = &*QUERY;
    let ix = |name: &str| {
        q.capture_index_for_name(name)
            .unwrap_or_else(|| panic!("queries/library.scm has no @{name}"))
    };
    let (class_name, class_body) = (ix("class_name"), ix("class_body"));
    let (method, method_call) = (ix("method"), ix("method_call"));
    let (property, property_assignment) = (ix("property"), ix("property_assignment"));
    let (hook_arguments, wp_mail) = (ix("hook_arguments"), ix("wp_mail"));

    let mut classes = Vec::new();
    let mut set_froms = Vec::new();
    // Nodes that give PHPMailer an envelope sender, and `->From =`.
    let mut handling = Vec::new();
    let mut sender_assignments = Vec::new();
    let mut from_assignments = Vec::new();
    let mut hooks = Vec::new();
    let mut wp_mails = Vec::new();
    use crate::analyze::{Reach, for_each_match};
    let reach = if hits
        .iter()
        .any(|&hit| crate::prefilter::names_its_own_mailer(input, hit))
    {
        Reach::Everywhere
    } else {
        Reach::Around(hits)
    };
    for_each_match(q, root, input, reach, None, |m| {
        let node = |i| m.captures.iter().find(|c| c.index == i).map(|c| c.node);
        if let (Some(_), Some(body)) = (node(class_name), node(class_body)) {
            classes.push(body.parent().unwrap_or(body));
        } else if let (Some(name), Some(call)) = (node(method), node(method_call))
            && let Some(args) = call.child_by_field_name("arguments")
        {
            if lower(name, src) == "issmtp" {
                handling.push(call);
            } else if auto_argument(args, src).is_some_and(|a| {
                let value = text(a, src);
                // false, \false or 0: PHP casts the argument to bool.
                value.eq_ignore_ascii_case(b"false")
                    || value.eq_ignore_ascii_case(b"\\false")
                    || value == b"0"
            }) {
                set_froms.push(name);
            }
        } else if let (Some(name), Some(assignment)) = (node(property), node(property_assignment))
            && let Some(value) = assignment.child_by_field_name("right")
        {
            match text(name, src) {
                // `->Sender = ''` gives no envelope sender.
                b"Sender" if constant_text(value, src).is_none_or(|v| !v.is_empty()) => {
                    handling.push(assignment);
                    sender_assignments.push(assignment);
                }
                b"Sender" => {}
                b"Mailer" => {
                    if constant_text(value, src).is_some_and(|v| v.eq_ignore_ascii_case("smtp")) {
                        handling.push(assignment);
                    }
                }
                _ => from_assignments.push(assignment),
            }
        } else if let Some(args) = node(hook_arguments) {
            let is_init = argument(args, 0)
                .and_then(|a| constant_text(a, src))
                .is_some_and(|hook| hook == "phpmailer_init");
            if let (true, Some(callback)) = (is_init, argument(args, 1)) {
                hooks.push((args.parent().unwrap_or(args), callback));
            }
        } else if let Some(definition) = node(wp_mail) {
            wp_mails.push(definition);
        }
    });

    let mut out = LibraryFacts::default();
    let mut handling_closures = Vec::new();
    for node in &handling {
        match enclosing_function(*node) {
            Some(f) if matches!(f.kind(), "function_definition" | "method_declaration") => {
                if let Some(name) = f.child_by_field_name("name") {
                    out.handlers.push(lower(name, src));
                }
            }
            Some(closure) => handling_closures.push(closure.byte_range()),
            None => {}
        }
    }
    out.handlers.sort();
    out.handlers.dedup();
    for (call, callback) in hooks {
        let callback = match callback.kind() {
            "anonymous_function" | "arrow_function" => {
                let range = callback.byte_range();
                if handling_closures.iter().any(|c| contains(&range, c)) {
                    Callback::Handles
                } else {
                    Callback::Ignores
                }
            }
            "array_creation_expression" => {
                let mut c = callback.walk();
                let last = callback
                    .named_children(&mut c)
                    .filter(|e| e.kind() == "array_element_initializer")
                    .last()
                    .and_then(|e| e.named_child(0))
                    .and_then(|v| constant_text(v, src));
                last.map_or(Callback::Unknown, |m| {
                    Callback::Method(m.to_ascii_lowercase())
                })
            }
            _ => match constant_text(callback, src) {
                Some(name) => match name.rsplit_once("::") {
                    Some((_, m)) => Callback::Method(m.to_ascii_lowercase()),
                    None => Callback::Function(
                        name.rsplit('\\')
                            .next()
                            .unwrap_or_default()
                            .to_ascii_lowercase(),
                    ),
                },
                None => Callback::Unknown,
            },
        };
        out.init_hooks.push(InitHook {
            range: call.byte_range(),
            callback,
        });
    }

    if let Some(definition) = wp_mails.first() {
        let range = definition.byte_range();
        let inside = |n: &Node| contains(&range, &n.byte_range());
        let site = set_froms
            .iter()
            .find(|n| inside(n))
            .map(|n| (n.byte_range(), WpMailForm::SetFrom))
            .or_else(|| {
                from_assignments
                    .iter()
                    .find(|n| inside(n))
                    .map(|n| (n.byte_range(), WpMailForm::FromProperty))
            });
        if let Some((site, form)) = site {
            out.wp_mail = Some(WpMail {
                site,
                form,
                sets_sender: sender_assignments.iter().any(inside),
            });
        }
    }

    for body in &classes {
        out.phpmailer = Some(phpmailer_class(*body, src));
    }
    let in_library = |n: &Node| {
        let r = n.byte_range();
        wp_mails.iter().any(|d| contains(&d.byte_range(), &r))
            || classes.iter().any(|c| contains(&c.byte_range(), &r))
    };
    for name in set_froms.iter().filter(|n| !in_library(n)) {
        let scope = enclosing_function(*name).map(|f| f.id());
        let assigned = sender_assignments
            .iter()
            .any(|a| enclosing_function(*a).map(|f| f.id()) == scope);
        if !assigned {
            out.set_from_false.push(name.byte_range());
        }
    }
    out
}

/// Reads a PHPMailer class declaration.
fn phpmailer_class(class: Node, src: &[u8]) -> PhpMailerClass {
    static VERSION: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(
            r#"(?i)(?:const\s+VERSION|(?:public|var)\s+\$Version)\s*=\s*['"]([0-9][0-9A-Za-z.\-]*)['"]"#,
        )
        .expect("valid regex")
    });
    let body_text = text(class, src);
    let version = VERSION
        .captures(body_text)
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned());
    let mut methods = Vec::new();
    if let Some(body) = class.child_by_field_name("body") {
        let mut cursor = body.walk();
        for m in body.named_children(&mut cursor) {
            if m.kind() == "method_declaration"
                && let Some(name) = m.child_by_field_name("name")
            {
                methods.push((lower(name, src), name, m));
            }
        }
    }
    let find = |n: &str| methods.iter().find(|(name, _, _)| name == n);
    let send_method = ["mailpassthru", "mail_passthru", "mailsend"]
        .iter()
        .find_map(|n| find(n))
        .map(|(_, name, _)| {
            (
                String::from_utf8_lossy(text(*name, src)).into_owned(),
                name.byte_range(),
            )
        });
    let anchor = find("mailsend").and_then(|(_, _, m)| patch_anchor(*m, src));
    let mut unsafe_patches = Vec::new();
    for (name, _, m) in &methods {
        if matches!(name.as_str(), "mailsend" | "mailpassthru" | "mail_passthru") {
            find_unsafe_params(*m, src, &mut unsafe_patches);
        }
    }
    PhpMailerClass {
        range: class.byte_range(),
        version,
        send_method,
        patched: memchr::memmem::find(body_text, PATCH_MARKER.as_bytes()).is_some(),
        patched_sender: patched_sender(class, src),
        anchor,
        unsafe_patches,
    }
}

/// Where the patch goes in `mailSend()`: before its first statement, when
/// the method builds `-f` from `$this->Sender` (so that setting `Sender`
/// gives the mail an envelope sender through the class's own checks) and
/// its body starts on a line of its own.
fn patch_anchor(method: Node, src: &[u8]) -> Option<PatchAnchor> {
    let body = method.child_by_field_name("body")?;
    let mut from_sender = false;
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.kind() == "assignment_expression"
            && let Some(right) = n.child_by_field_name("right")
        {
            let value = text(right, src);
            from_sender |= memchr::memmem::find(value, b"-f").is_some()
                && memchr::memmem::find(value, b"$this->Sender").is_some();
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    if !from_sender {
        return None;
    }
    let first = body.named_child(0)?;
    let indent_of = |offset: usize| {
        let line_start = src[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let indent = &src[line_start..offset];
        indent
            .iter()
            .all(|b| *b == b' ' || *b == b'\t')
            .then(|| (line_start, String::from_utf8_lossy(indent).into_owned()))
    };
    let (at, indent) = indent_of(first.start_byte())?;
    let (_, outer) = indent_of(method.start_byte()).unwrap_or_default();
    let unit = match indent.strip_prefix(&outer) {
        Some(unit) if !unit.is_empty() => unit.to_string(),
        _ => "    ".to_string(),
    };
    Some(PatchAnchor { at, indent, unit })
}

/// The address of phpmailfix's own patch in this class, if it is there.
fn patched_sender(class: Node, src: &[u8]) -> Option<(String, Range<usize>)> {
    static SENDER: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"\$this->Sender = '([A-Za-z0-9@._+-]*)';").expect("valid regex")
    });
    let range = class.byte_range();
    let marker = memchr::memmem::find(&src[range.clone()], PATCH_MARKER.as_bytes())? + range.start;
    let window = &src[marker..range.end.min(marker + 400)];
    let literal = SENDER.captures(window)?.get(1)?;
    Some((
        String::from_utf8_lossy(literal.as_bytes()).into_owned(),
        marker + literal.start()..marker + literal.end(),
    ))
}

/// Values in a mail-sending method that build `-f` from something that is
/// neither constant nor `$this->Sender`, outside an `if` that validates
/// it: hand patches such as `$params = "-f" . $to` (CVE-2016-10033). Only
/// what is assigned or passed as `mail()`'s 5th argument counts.
fn find_unsafe_params(method: Node, src: &[u8], out: &mut Vec<Range<usize>>) {
    let is_mail_call = |n: Node| {
        n.kind() == "function_call_expression"
            && n.child_by_field_name("function").is_some_and(|f| {
                let name = text(f, src);
                name.eq_ignore_ascii_case(b"mail") || name.eq_ignore_ascii_case(b"\\mail")
            })
    };
    let mut stack = vec![method];
    while let Some(n) = stack.pop() {
        let value = match n.kind() {
            // `$ok = (bool) @mail(…)`: the call's own argument is read
            // where the walk reaches the call.
            "assignment_expression" => n
                .child_by_field_name("right")
                .filter(|right| !holds(*right, &is_mail_call)),
            "function_call_expression" if is_mail_call(n) => n
                .child_by_field_name("arguments")
                .and_then(|args| argument(args, 4)),
            _ => None,
        };
        if let Some(value) = value {
            let t = text(value, src);
            let find = |needle: &[u8]| memchr::memmem::find(t, needle).is_some();
            if value.kind() != "variable_name"
                && find(b"-f")
                && !find(b"$this->Sender")
                && !find(b"$phpmailfix_sender")
                && evaluate(value, src).is_none()
                && !validated(value, src)
            {
                out.push(value.byte_range());
            }
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out.sort_by_key(|r| r.start);
    out.dedup();
}

/// An enclosing `if` checks the address with `validateAddress()` and a
/// character check (`isShellSafe()` or `preg_match()`).
/// Whether `node` or a node inside it is one `is` accepts.
fn holds(node: Node, is: &dyn Fn(Node) -> bool) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if is(n) {
            return true;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

fn validated(node: Node, src: &[u8]) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "if_statement"
            && let Some(condition) = n.child_by_field_name("condition")
        {
            let c = String::from_utf8_lossy(text(condition, src)).to_ascii_lowercase();
            if c.contains("validateaddress")
                && (c.contains("isshellsafe") || c.contains("preg_match"))
            {
                return true;
            }
        }
        if n.kind() == "method_declaration" {
            break;
        }
        current = n.parent();
    }
    false
}

/// `$wp_version = '6.1.9';` in a `wp-includes/version.php`.
pub fn wp_version(path: &Path, src: &[u8]) -> Option<WpVersion> {
    static VERSION: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?m)^\s*\$wp_version\s*=\s*['"]([^'"\r\n]+)['"]"#)
            .expect("valid regex")
    });
    let mut components = path.components().rev();
    let is_version = components
        .next()
        .is_some_and(|c| c.as_os_str() == "version.php")
        && components
            .next()
            .is_some_and(|c| c.as_os_str() == "wp-includes");
    if !is_version {
        return None;
    }
    let captures = VERSION.captures(src)?;
    let whole = captures.get(0)?;
    let start = whole.start()
        + whole
            .as_bytes()
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    Some(WpVersion {
        version: String::from_utf8_lossy(&captures[1]).into_owned(),
        range: start..whole.end(),
    })
}

/// WordPress core: `wp-includes/` and `wp-admin/`, which core updates
/// overwrite.
pub fn is_wordpress_core(path: &Path) -> bool {
    path.components().any(|c| {
        let c = c.as_os_str();
        c.eq_ignore_ascii_case("wp-includes") || c.eq_ignore_ascii_case("wp-admin")
    })
}

/// Rule ids of the call-level checks that the library rules replace inside
/// a PHPMailer class: its internal `mail()` calls are not the cause.
fn replaced_inside_phpmailer(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::MissingEnvelopeSender | Rule::MissingFromHeader | Rule::DynamicEnvelopeSender
    )
}

/// Adds the per-file library findings of `facts` to `findings`, and drops
/// the call-level findings inside a PHPMailer class.
pub fn file_findings(path: &Path, facts: &LibraryFacts, findings: &mut Vec<Finding>) {
    let core = is_wordpress_core(path);
    if let Some(class) = &facts.phpmailer {
        let class_range = class.range.clone();
        findings
            .retain(|f| !(replaced_inside_phpmailer(f.rule) && contains(&class_range, &f.range)));
    }
    let mut push = |rule: Rule, range: Range<usize>, message: String| {
        findings.push(Finding {
            rule,
            severity: rule.default_severity(),
            range,
            message,
            function: None,
            fix: None,
        })
    };
    if let Some(class) = &facts.phpmailer {
        for range in &class.unsafe_patches {
            push(
                Rule::PhpmailerUnsafePatch,
                range.clone(),
                "PHPMailer was patched to build -f from a value that is not validated: it may be the recipient or user input, which lets an attacker inject sendmail options (CVE-2016-10033); restore the original code and set Sender instead".into(),
            );
        }
        // A hand patch passes -f always (wrongly): its own finding says so.
        let hand_patched = !class.unsafe_patches.is_empty();
        if let (false, false, false, Some((method, range))) =
            (core, class.patched, hand_patched, &class.send_method)
        {
            let version = class
                .version
                .as_deref()
                .map_or_else(|| "PHPMailer".to_string(), |v| format!("PHPMailer {v}"));
            let mut message = format!(
                "{version} calls mail() in {method}() without -f whenever Sender is empty (setFrom($address, $name, false), or From set directly): the Return-Path becomes the system user and receivers may reject the mail"
            );
            if class.anchor.is_none() {
                message.push_str("; this copy's mailSend() has a shape phpmailfix does not patch: set $mail->Sender in the code that uses it");
            }
            if class.version.as_deref().is_some_and(vulnerable_version) {
                message.push_str("; this version is older than 5.2.20, which fixed CVE-2016-10033 and CVE-2016-10045 (sendmail argument injection): upgrade");
            }
            push(Rule::PhpmailerEmptySender, range.clone(), message);
        }
    }
    if !core && facts.phpmailer.is_none() {
        for range in &facts.set_from_false {
            push(
                Rule::MissingEnvelopeSender,
                range.clone(),
                "setFrom($address, $name, false) leaves PHPMailer's Sender empty, so its mail() transport sends without -f and the Return-Path becomes the system user; set the same object's ->Sender = 'bounce@your-domain' in this function (or pass true when the From address is your own)".into(),
            );
        }
    }
    findings.sort_by_key(|f| (f.range.start, f.rule));
}

/// PHPMailer releases before 5.2.20 pass a Sender to sendmail that an
/// attacker can shape (CVE-2016-10033 fixed in 5.2.18, CVE-2016-10045 in
/// 5.2.20).
fn vulnerable_version(version: &str) -> bool {
    let parts: Vec<u32> = version
        .split(['.', '-'])
        .map_while(|p| p.parse().ok())
        .collect();
    matches!(parts.as_slice(), [5, 2, patch, ..] if *patch < 20)
        || matches!(parts.as_slice(), [major, ..] if *major < 5)
        || matches!(parts.as_slice(), [5, minor, ..] if *minor < 2)
}

/// The PHP that phpmailfix inserts at the start of `mailSend()`: when
/// `Sender` is empty and `sendmail_path` sets no envelope sender itself,
/// `Sender` becomes the configured address, so that the class's own code
/// passes it as `-f` (with its own `validateAddress()` and `isShellSafe()`
/// checks, where the release has them). The address is validated and
/// shell-safe (`sender::Address`, `wordpress::shell_safe_problem`) before
/// it gets here. From is never used: a contact form's From is a visitor's.
pub fn phpmailer_patch(anchor: &PatchAnchor, sender: &Address, eol: &str) -> Edit {
    let (i, u) = (&anchor.indent, &anchor.unit);
    let lines = [
        format!(
            "{i}// {PATCH_MARKER} (added by phpmailfix {}; {PATCH_DOCS})",
            env!("CARGO_PKG_VERSION"),
        ),
        format!(
            "{i}if (empty($this->Sender) && !preg_match('{SENDMAIL_SETS_SENDER}', (string) ini_get('sendmail_path'))) {{"
        ),
        format!("{i}{u}$this->Sender = '{}';", sender.as_str()),
        format!("{i}}}"),
    ];
    let mut text = String::new();
    for line in lines {
        text.push_str(&line);
        text.push_str(eol);
    }
    Edit::insert(anchor.at, text)
}

/// The PHP regex that tells a `sendmail_path` which already sets the
/// envelope sender: `-f`, `-r` (sendmail's old alias) or msmtp's `--from`.
pub const SENDMAIL_SETS_SENDER: &str = "/(^|\\s)(-f|-r|--from)/";

/// One WordPress install found in a scan.
#[derive(Clone, Debug)]
pub struct Install {
    pub root: PathBuf,
    pub version: String,
}

/// The `phpmailer_init` callbacks of a set of files, and whether one of
/// them gives PHPMailer an envelope sender.
pub fn sets_envelope<'a>(facts: impl IntoIterator<Item = &'a LibraryFacts> + Clone) -> bool {
    let handlers: Vec<&String> = facts
        .clone()
        .into_iter()
        .flat_map(|f| f.handlers.iter())
        .collect();
    facts
        .into_iter()
        .flat_map(|f| &f.init_hooks)
        .any(|hook| match &hook.callback {
            Callback::Handles => true,
            Callback::Function(name) | Callback::Method(name) => handlers.contains(&name),
            Callback::Ignores | Callback::Unknown => false,
        })
}

/// The finding for a WordPress install whose mail leaves without an
/// envelope sender, placed at `wp_mail()`'s From (or at `$wp_version`
/// when `pluggable.php` was not scanned). `root` is as shown to the user.
pub fn wordpress_finding(
    version: &str,
    root: &Path,
    wp_mail: Option<&WpMail>,
    version_range: Range<usize>,
) -> Finding {
    let how = match wp_mail.map(|w| w.form) {
        Some(WpMailForm::SetFrom) => {
            "wp_mail() calls $phpmailer->setFrom($from_email, $from_name, false), which leaves PHPMailer's Sender empty"
        }
        Some(WpMailForm::FromProperty) => "wp_mail() sets $phpmailer->From and never Sender",
        None => "wp_mail() leaves PHPMailer's Sender empty",
    };
    let shown = crate::report::path_string(root);
    let shown = if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    };
    Finding {
        rule: Rule::WordpressEmptySender,
        severity: Severity::Error,
        range: wp_mail.map_or(version_range, |w| w.site.clone()),
        message: format!(
            "WordPress {version}: {how}, so its mail leaves without -f and the Return-Path becomes the system user; no phpmailer_init callback in this install sets ->Sender. Run `phpmailfix mu-plugin {shown}`"
        ),
        function: None,
        fix: None,
    }
}

/// A path without its `.` components: `./wp-includes/x.php` and
/// `wp-includes/x.php` name the same file.
pub(crate) fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// The install root of a `wp-includes/version.php` path (normalised; empty
/// for `wp-includes/version.php` itself).
fn install_root(version_php: &Path) -> PathBuf {
    normal(version_php)
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The root as the user can type it.
fn usable(root: &Path) -> &Path {
    if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    }
}

/// The tree-level rule: for each WordPress install in `result`, reports
/// `wordpress-empty-sender` unless a `phpmailer_init` callback of the
/// install gives PHPMailer an envelope sender. The install's callbacks are
/// those of its files (not those of an install nested in it) and of its
/// content folder's must-use plugins, plugins and themes, read from disk
/// when `wp-config.php` puts them outside the scanned paths.
pub fn wordpress_pass(result: &mut crate::scan::ScanResult, options: &crate::walk::WalkOptions) {
    let installs: Vec<(PathBuf, String, Range<usize>)> = result
        .files
        .iter()
        .filter_map(|f| {
            let v = f.analysis.library.wp_version.as_ref()?;
            Some((install_root(&f.path), v.version.clone(), v.range.clone()))
        })
        .collect();
    let roots: Vec<&PathBuf> = installs.iter().map(|(r, _, _)| r).collect();
    // Each file belongs to the deepest install that holds it.
    let owner = |path: &Path| {
        let path = normal(path);
        roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
            .map(|r| (*r).clone())
    };
    let owners: Vec<Option<PathBuf>> = result.files.iter().map(|f| owner(&f.path)).collect();
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let scanned: Vec<PathBuf> = options.paths.iter().filter_map(|p| canonical(p)).collect();
    let mut findings = Vec::new();
    for (root, version, version_range) in &installs {
        let mut facts: Vec<LibraryFacts> = result
            .files
            .iter()
            .zip(&owners)
            .filter(|(_, owner)| owner.as_ref() == Some(root))
            .map(|(f, _)| f.analysis.library.clone())
            .collect();
        match crate::wordpress::locate(usable(root), None) {
            Err(err) => result.notes.push(format!(
                "WordPress at {}: its content folder was not read for phpmailer_init callbacks: {err:#}",
                crate::report::path_string(usable(root)),
            )),
            Ok(site) => {
            let content: Vec<PathBuf> = [
                site.mu_plugin_dir.clone(),
                site.content_dir.join("plugins"),
                site.content_dir.join("themes"),
            ]
            .iter()
            .filter_map(|d| canonical(d))
            .filter(|d| canonical(usable(root)).is_none_or(|r| !d.starts_with(r)))
            .collect();
            // Scanned, but outside the root.
            facts.extend(
                result
                    .files
                    .iter()
                    .filter(|f| {
                        canonical(&f.path).is_some_and(|p| content.iter().any(|d| p.starts_with(d)))
                    })
                    .map(|f| f.analysis.library.clone()),
            );
            let unscanned: Vec<PathBuf> = content
                .into_iter()
                .filter(|d| !scanned.iter().any(|s| d.starts_with(s)))
                .collect();
            if !unscanned.is_empty() {
                result.notes.push(format!(
                    "WordPress at {} keeps its content in {} (from {}); its must-use plugins, plugins and themes were read for phpmailer_init callbacks; scan that folder too to check their own mail() calls",
                    crate::report::path_string(usable(root)),
                    crate::report::path_string(&site.content_dir),
                    site.source
                ));
                facts.extend(content_facts(unscanned));
            }
            }
        }
        if sets_envelope(facts.iter()) {
            continue;
        }
        let pluggable = root.join("wp-includes").join("pluggable.php");
        let wp_mail = result
            .files
            .iter()
            .find(|f| normal(&f.path) == pluggable)
            .and_then(|f| f.analysis.library.wp_mail.clone());
        if wp_mail.as_ref().is_some_and(|w| w.sets_sender) {
            continue;
        }
        let finding = wordpress_finding(
            version,
            usable(root),
            wp_mail.as_ref(),
            version_range.clone(),
        );
        let target = if wp_mail.is_some() {
            pluggable
        } else {
            root.join("wp-includes").join("version.php")
        };
        findings.push((target, finding));
    }
    for (target, finding) in findings {
        if let Some(file) = result.files.iter_mut().find(|f| normal(&f.path) == target) {
            file.findings.push(finding);
            file.findings.sort_by_key(|f| (f.range.start, f.rule));
        }
    }
}

/// The library facts of the files under `dirs`, read from disk.
fn content_facts(dirs: Vec<PathBuf>) -> Vec<LibraryFacts> {
    let walk = crate::walk::WalkOptions {
        paths: dirs,
        ..crate::walk::WalkOptions::default()
    };
    crate::scan::scan_files(&walk, &crate::scan::Progress::default())
        .map(|scanned| {
            scanned
                .files
                .into_iter()
                .map(|f| f.analysis.library)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(src: &str) -> LibraryFacts {
        let mut parser = crate::analyze::new_parser();
        let tree = parser.parse(src, None).unwrap();
        let hits = crate::prefilter::library_hits(src.as_bytes());
        facts(tree.root_node(), src.as_bytes(), src.as_bytes(), &hits)
    }

    #[test]
    fn hooks_resolve_closures_functions_and_methods() {
        let f = facts_of(
            "<?php
add_action('phpmailer_init', function ($mail) { $mail->Sender = 'a@b.fr'; });
add_action('phpmailer_init', function ($mail) { $mail->From = 'a@b.fr'; });
add_action( 'phpmailer_init', 'my_sender', 99 );
add_action('phpmailer_init', array($this, 'Configure'));
add_action('phpmailer_init', $callback);
add_action('init', 'other');
function my_sender($phpmailer) { $phpmailer->Sender = 'x@y.fr'; }
class A { function configure($mailer) { $mailer->isSMTP(); } }
",
        );
        let callbacks: Vec<Callback> = f.init_hooks.iter().map(|h| h.callback.clone()).collect();
        assert_eq!(
            callbacks,
            vec![
                Callback::Handles,
                Callback::Ignores,
                Callback::Function("my_sender".into()),
                Callback::Method("configure".into()),
                Callback::Unknown,
            ]
        );
        assert_eq!(
            f.handlers,
            vec!["configure".to_string(), "my_sender".to_string()]
        );
        assert!(sets_envelope([&f]));
    }

    #[test]
    fn set_from_false_counts_only_without_sender_in_the_same_function() {
        let f = facts_of(
            "<?php
function a($mail) { $mail->setFrom('a@b.fr', 'A', false); }
function b($mail) { $mail->setFrom('a@b.fr', 'A', false); $mail->Sender = 'a@b.fr'; }
function c($mail) { $mail->setFrom('a@b.fr', 'A'); $mail->SetFrom('a@b.fr', 'A', true); }
function d($mail) { $mail?->setFrom('a@b.fr', auto: \\false); $mail->Sender = ''; }
$mail->SetFrom('a@b.fr', 'A', FALSE);
",
        );
        assert_eq!(f.set_from_false.len(), 3);
    }

    #[test]
    fn a_hand_patch_is_one_finding_at_its_argument() {
        let src = "<?php\nclass PHPMailer {\n    public $Version = '5.2.14';\n    private function mailPassthru($to, $subject, $body, $header, $params) {\n        $result = @mail($to, $subject, $body, $header, \"-f\" . $to);\n        $ok = (bool) mail($to, $subject, $body, $header, '-f' . $subject);\n        return $result;\n    }\n}\n";
        let class = facts_of(src).phpmailer.unwrap();
        let patches: Vec<&str> = class
            .unsafe_patches
            .iter()
            .map(|r| &src[r.clone()])
            .collect();
        assert_eq!(patches, ["\"-f\" . $to", "'-f' . $subject"]);
    }

    #[test]
    fn versions_before_5_2_18_are_vulnerable() {
        assert!(vulnerable_version("5.2.14"));
        assert!(vulnerable_version("5.2.18"));
        assert!(!vulnerable_version("5.2.20"));
        assert!(!vulnerable_version("6.6.3"));
        assert!(vulnerable_version("2.0.4"));
    }
}
