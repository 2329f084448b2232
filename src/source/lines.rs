//! Byte offsets to line and column.

/// A 1-based line and character column, plus the byte offset it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (characters).
    pub column: usize,
    /// Byte offset into the decoded UTF-8 text.
    pub offset: usize,
}

/// Start offsets of every line of a text, for offset → line/column lookups.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` (lines end at `\n`).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text` (which must be the text this
    /// index was built from, and `offset` a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset);
        let mut start = self.starts[line - 1];
        // A UTF-8 byte-order mark is part of the text but not of line 1.
        if start == 0 && text.starts_with('\u{FEFF}') && offset >= 3 {
            start = 3;
        }
        let column = 1 + text[start..offset].chars().count();
        Position { line, column, offset }
    }

    /// The byte range of 1-based line `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&n| n - 1);
        let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
        start..end
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "一行目\n二行目の治る\n";
        let index = LineIndex::new(text);
        let at = text.find("治る").unwrap();
        assert_eq!(index.position(text, at), Position { line: 2, column: 5, offset: at });
        assert_eq!(&text[index.line_range(text, 2)], "二行目の治る");
    }

    #[test]
    fn bom_does_not_shift_columns() {
        let text = "\u{FEFF}治る";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3).column, 1);
        assert_eq!(index.position(text, 6).column, 2);
    }
}
