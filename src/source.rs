//! A scanned file's bytes and the two views of them the pipeline needs:
//! a parser-safe copy with identical byte offsets, and line/column lookup.
//!
//! tree-sitter reads its input as UTF-8. PHP files on old servers are often
//! ISO-8859-1, and an invalid UTF-8 sequence inside an identifier
//! (`$abonné` in Latin-1) can make the grammar lose a nearby call. PHP's own
//! lexer treats every byte from 0x80 to 0xFF as an identifier character, just
//! like `_`. So the parser gets a copy in which each such byte is replaced by
//! `_`: the copy is pure ASCII, tokenizes exactly as PHP would tokenize the
//! original, and every byte offset in it is the offset of the same byte in the
//! original. Values (string contents, header text) are always read from the
//! original bytes, never from the copy.

use std::borrow::Cow;
use std::ops::Range;

/// The copy of `bytes` that is given to tree-sitter: bytes >= 0x80 become
/// `_` and NUL becomes a space, offsets unchanged. Borrowed when there is
/// nothing to replace.
pub fn parser_input(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.iter().all(|&b| b != 0 && b < 0x80) {
        return Cow::Borrowed(bytes);
    }
    Cow::Owned(
        bytes
            .iter()
            .map(|&b| match b {
                0 => b' ',
                0x80.. => b'_',
                _ => b,
            })
            .collect(),
    )
}

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A 1-based line and column. The column counts characters (Unicode scalar
/// values) when the line is valid UTF-8, bytes otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Byte offsets of line starts, for turning offsets into positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 0-based line number holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn position(&self, bytes: &[u8], offset: usize) -> Position {
        let offset = offset.min(bytes.len());
        let line = self.line_of(offset);
        let prefix = &bytes[self.starts[line]..offset];
        // A UTF-8 byte order mark is not a character of the first line.
        let prefix = if line == 0 {
            prefix.strip_prefix(BOM).unwrap_or(prefix)
        } else {
            prefix
        };
        let column = match std::str::from_utf8(prefix) {
            Ok(text) => text.chars().count(),
            Err(_) => prefix.len(),
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The bytes of the line holding `offset`, without its line break.
    pub fn line_text<'a>(&self, bytes: &'a [u8], offset: usize) -> &'a [u8] {
        let line = self.line_of(offset.min(bytes.len()));
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(bytes.len(), |&s| s - 1);
        let text = &bytes[start..end.max(start)];
        let text = if line == 0 {
            text.strip_prefix(BOM).unwrap_or(text)
        } else {
            text
        };
        text.strip_suffix(b"\r").unwrap_or(text)
    }

    /// Byte range of the line holding `offset`, line break included.
    pub fn line_range(&self, bytes: &[u8], offset: usize) -> Range<usize> {
        let line = self.line_of(offset.min(bytes.len()));
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(bytes.len());
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_input_keeps_offsets_and_ascii_untouched() {
        let latin1 = b"<?php $abonn\xe9 = 1; mail($a, $b, $c);";
        let copy = parser_input(latin1);
        assert_eq!(copy.len(), latin1.len());
        assert_eq!(&copy[..], b"<?php $abonn_ = 1; mail($a, $b, $c);");
        assert!(matches!(parser_input(b"<?php mail();"), Cow::Borrowed(_)));
    }

    #[test]
    fn positions_count_characters_on_utf8_lines_and_bytes_otherwise() {
        let text = "a\n\u{e9}t\u{e9} mail\r\nz".as_bytes();
        let index = LineIndex::new(text);
        let mail = text.windows(4).position(|w| w == b"mail").unwrap();
        assert_eq!(index.position(text, mail), Position { line: 2, column: 5 });
        assert_eq!(index.line_text(text, mail), "\u{e9}t\u{e9} mail".as_bytes());
        let bom = b"\xef\xbb\xbf<?php mail();";
        let index = LineIndex::new(bom);
        assert_eq!(index.position(bom, 9), Position { line: 1, column: 7 });
        assert_eq!(index.line_text(bom, 9), b"<?php mail();");
        let latin1 = b"x\n\xe9t\xe9 mail";
        let index = LineIndex::new(latin1);
        assert_eq!(index.position(latin1, 7), Position { line: 2, column: 6 });
    }
}
