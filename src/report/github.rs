//! `--output-format github`: one GitHub Actions workflow command per
//! finding, which the runner turns into an annotation on the file:
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=phpmailfix (RULE)::MESSAGE`
//!
//! Severity error is `::error`, warning `::warning`, info `::notice`.
//! Values are escaped as `@actions/core` escapes them
//! (`packages/core/src/command.ts`): `%`, CR and LF in the message;
//! `:` and `,` as well in property values.

use super::{repository_path, span};
use crate::finding::Severity;
use crate::scan::ScanResult;
use std::io::{self, Write};

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A command's message (`escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn print(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    for (file, finding) in result.findings() {
        let (start, end) = span(file, finding);
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(finding.severity),
            escape_property(&repository_path(&file.path)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("phpmailfix ({})", finding.rule.id())),
            escape_data(&finding.message),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        // `%` first, so an escape already in the text is not undone.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_escape_colons_and_commas_too() {
        assert_eq!(
            escape_property("C:/site/a,b%\n.php"),
            "C%3A/site/a%2Cb%25%0A.php"
        );
    }
}
