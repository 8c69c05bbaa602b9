//! Suppression comments, like ruff's `noqa`: `// phpmailfix-ignore` (every
//! rule) or `// phpmailfix-ignore: rule-id, other-id` silences the findings
//! of the call on the comment's line, or of the next line when the comment
//! stands alone on its line. `#` and `/* */` comments work the same way.

use crate::finding::Finding;
use crate::rules::Rule;
use std::ops::Range;
use tree_sitter::Node;

const MARKER: &[u8] = b"phpmailfix-ignore";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub range: Range<usize>,
    /// 0-based lines whose findings it silences.
    pub lines: Range<usize>,
    /// The rules named, or `None` for all of them.
    pub rules: Option<Vec<Rule>>,
    /// Names after the colon that are not rule ids.
    pub unknown: Vec<String>,
}

impl Suppression {
    fn covers(&self, finding: &Finding, line: usize) -> bool {
        self.lines.contains(&line)
            && self
                .rules
                .as_ref()
                .is_none_or(|rules| rules.contains(&finding.rule))
    }
}

fn line_of(src: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &src[..offset]).count()
}

/// Every suppression comment of a parsed file: the marker is searched in
/// the bytes, then kept only where the tree says it is inside a comment.
pub fn find(root: Node, src: &[u8]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(src, MARKER) {
        let Some(comment) = root
            .descendant_for_byte_range(at, at + MARKER.len())
            .filter(|n| n.kind() == "comment")
        else {
            continue;
        };
        let rest = &src[at + MARKER.len()..comment.end_byte()];
        let rest = rest.strip_suffix(b"*/").unwrap_or(rest);
        let (rules, unknown) = match rest.trim_ascii_start().strip_prefix(b":") {
            None => (None, Vec::new()),
            Some(list) => {
                let mut rules = Vec::new();
                let mut unknown = Vec::new();
                // The list ends at the first word that cannot be a rule id,
                // a kebab-case word (`missing-from-header -- the reason`).
                for name in String::from_utf8_lossy(list)
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|n| !n.is_empty())
                    .take_while(|n| {
                        n.starts_with(|c: char| c.is_ascii_lowercase())
                            && n.contains('-')
                            && n.bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    })
                {
                    match Rule::from_id(name) {
                        Some(rule) => rules.push(rule),
                        None => unknown.push(name.to_string()),
                    }
                }
                (Some(rules), unknown)
            }
        };
        let line = line_of(src, comment.start_byte());
        let line_start = src[..comment.start_byte()]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let alone = src[line_start..comment.start_byte()]
            .trim_ascii()
            .is_empty();
        // A comment alone on its line speaks of the next line too.
        let lines = if alone {
            line..line + 2
        } else {
            line..line + 1
        };
        out.push(Suppression {
            range: comment.byte_range(),
            lines,
            rules,
            unknown,
        });
    }
    out
}

/// Removes the findings the suppressions cover. Returns the kept findings
/// and, per suppression, whether it silenced anything.
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    src: &[u8],
) -> (Vec<Finding>, Vec<bool>) {
    let mut used = vec![false; suppressions.len()];
    if suppressions.is_empty() {
        return (findings, used);
    }
    let kept = findings
        .into_iter()
        .filter(|finding| {
            let line = line_of(src, finding.range.start);
            let mut silenced = false;
            for (i, s) in suppressions.iter().enumerate() {
                if s.covers(finding, line) {
                    used[i] = true;
                    silenced = true;
                }
            }
            !silenced
        })
        .collect();
    (kept, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{new_parser, parse};

    fn suppressions(src: &str) -> Vec<Suppression> {
        let tree = parse(&mut new_parser(), src.as_bytes());
        find(tree.root_node(), src.as_bytes())
    }

    #[test]
    fn comments_name_rules_or_all_of_them() {
        let s = suppressions(
            "<?php\nmail($a, $b, $c); // phpmailfix-ignore\n# phpmailfix-ignore: missing-from-header, nope-rule -- why: reasons\nmail($a, $b, $c);\n$x = 'phpmailfix-ignore';\n",
        );
        assert_eq!(s.len(), 2, "the string is not a comment: {s:?}");
        assert_eq!((s[0].lines.clone(), s[0].rules.clone()), (1..2, None));
        assert_eq!(s[1].lines, 2..4);
        assert_eq!(s[1].rules, Some(vec![Rule::MissingFromHeader]));
        assert_eq!(s[1].unknown, ["nope-rule"]);
    }
}
