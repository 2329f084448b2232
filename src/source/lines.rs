//! Byte offsets to line and column.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (old Mac files). Columns count
//! characters; a lookup costs at most [`STRIDE`] bytes of counting, however
//! long the line, so mapping every finding of a file is linear in its size.

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

/// Distance in bytes between two character-count checkpoints.
const STRIDE: usize = 256;

/// Start offsets of every line of a text, for offset → line/column lookups.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars_before[k]`: characters in the first `k * STRIDE` bytes.
    chars_before: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(line_breaks(bytes).map(|(_, next)| next));
        let mut chars_before = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut count = 0;
        chars_before.push(0);
        for chunk in bytes.chunks(STRIDE) {
            count += count_chars(chunk);
            chars_before.push(count);
        }
        LineIndex { starts, chars_before }
    }

    /// Characters in `text[..offset]` (a byte count of lead bytes, so any
    /// offset works).
    fn chars_to(&self, bytes: &[u8], offset: usize) -> usize {
        let offset = offset.min(bytes.len());
        let k = offset / STRIDE;
        self.chars_before[k] + count_chars(&bytes[k * STRIDE..offset])
    }

    /// The position of byte `offset` in `text` (which must be the text this
    /// index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let mut start = self.starts[line - 1];
        // A UTF-8 byte-order mark is part of the text but not of line 1.
        if start == 0 && text.starts_with('\u{FEFF}') && offset >= 3 {
            start = 3;
        }
        let bytes = text.as_bytes();
        let column = 1 + self.chars_to(bytes, offset) - self.chars_to(bytes, start.min(offset));
        Position { line, column, offset }
    }

    /// The number of lines (at least 1).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a text has at least one (maybe empty) line.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The byte range of 1-based line `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let line = line.clamp(1, self.starts.len());
        let start = self.starts[line - 1];
        let Some(&next) = self.starts.get(line) else {
            return start..text.len();
        };
        let bytes = text.as_bytes();
        let mut end = next - 1; // the `\n` or lone `\r`
        if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }
}

/// Each line break of `bytes`: (offset of its first byte, offset after it).
/// A break is `\n`, `\r\n` or a lone `\r`.
pub fn line_breaks(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let at = i + memchr::memchr2(b'\n', b'\r', bytes.get(i..)?)?;
        i = at + 1;
        if bytes[at] == b'\r' && bytes.get(i) == Some(&b'\n') {
            i += 1;
        }
        Some((at, i))
    })
}

/// The lines of `text` with their line endings, each with its byte offset.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut from = 0;
    let mut breaks = line_breaks(text.as_bytes());
    std::iter::from_fn(move || {
        if from >= text.len() {
            return None;
        }
        let start = from;
        from = breaks.next().map_or(text.len(), |(_, next)| next);
        Some((start, &text[start..from]))
    })
}

/// Characters in a byte slice of UTF-8: the bytes that are not continuation
/// bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
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

    /// Every string of up to six bytes over `a`, `\r` and `\n`: the breaks
    /// are those a byte-by-byte reading finds.
    #[test]
    fn line_breaks_match_a_byte_by_byte_reading() {
        fn by_bytes(bytes: &[u8]) -> Vec<(usize, usize)> {
            let (mut out, mut i) = (Vec::new(), 0);
            while i < bytes.len() {
                match bytes[i] {
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                        out.push((i, i + 2));
                        i += 2;
                    }
                    b'\r' | b'\n' => {
                        out.push((i, i + 1));
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
            out
        }
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last: Vec<Vec<u8>> = texts.clone();
        for _ in 0..6 {
            last = last.iter().flat_map(|t| [b'a', b'\r', b'\n'].map(|b| [t.as_slice(), &[b]].concat())).collect();
            texts.extend(last.iter().cloned());
        }
        assert_eq!(texts.len(), 1093);
        for text in &texts {
            assert_eq!(line_breaks(text).collect::<Vec<_>>(), by_bytes(text), "{text:?}");
        }
    }

    #[test]
    fn cr_only_and_crlf_line_endings_count_as_lines() {
        let text = "一\r二\r\n三\n\r四";
        let index = LineIndex::new(text);
        let lines: Vec<&str> = (1..=index.len()).map(|l| &text[index.line_range(text, l)]).collect();
        assert_eq!(lines, ["一", "二", "三", "", "四"]);
        let at = text.find('四').unwrap();
        assert_eq!(index.position(text, at), Position { line: 5, column: 1, offset: at });
        let at = text.find('二').unwrap();
        assert_eq!(index.position(text, at), Position { line: 2, column: 1, offset: at });
        let parts: Vec<(usize, &str)> = lines_inclusive(text).collect();
        assert_eq!(parts, [(0, "一\r"), (4, "二\r\n"), (9, "三\n"), (13, "\r"), (14, "四")]);
    }

    #[test]
    fn columns_far_into_a_long_line_match_a_plain_count() {
        let text = "あa𠮷".repeat(500) + "\n" + &"い".repeat(1000);
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(7) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = 1 + text[line_start..offset].chars().count();
            assert_eq!(index.position(&text, offset).column, expected, "at {offset}");
        }
    }
}
