//! Between the linter's byte offsets and the client's LSP positions, and
//! between `file:` URIs and paths.
//!
//! LSP counts lines ending at `\n`, `\r\n` or `\r`, and characters in the
//! code units of the negotiated position encoding (UTF-16 unless the
//! client offers another): an emoji is two UTF-16 units, four UTF-8 bytes
//! and one UTF-32 unit.

use std::path::{Path, PathBuf};

use lsp_types::{Position, PositionEncodingKind, Range};

/// A position encoding the server can speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Characters are UTF-8 bytes.
    Utf8,
    /// Characters are UTF-16 code units (the LSP default).
    Utf16,
    /// Characters are Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The first encoding of the client's preference list that the server
    /// supports; UTF-16 when the client offers none.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    /// The protocol name of the encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// How many code units `c` takes.
    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The start offsets of the lines of a text, as LSP counts lines.
#[derive(Clone, Debug)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { starts }
    }

    /// The byte range of line `line` (0-based) without its line ending;
    /// `None` past the last line.
    fn content(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && line + 1 < self.starts.len() {
            end -= 1; // \n or \r
            if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        Some(start..end)
    }

    /// The LSP position of byte `offset` of `text` (a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: u32 = text[start..offset].chars().map(|c| enc.units(c)).sum();
        Position { line: line as u32, character }
    }

    /// The LSP range of bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize, enc: Encoding) -> Range {
        Range { start: self.position(text, start, enc), end: self.position(text, end, enc) }
    }

    /// The byte offset of an LSP position in `text`. A character past the
    /// end of its line means the line's end, a line past the last means
    /// the end of the text, and a position inside a character (half of a
    /// surrogate pair) means that character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let Some(line) = self.content(text, pos.line as usize) else {
            return text.len();
        };
        let mut units = 0u32;
        for (i, c) in text[line.clone()].char_indices() {
            let next = units + enc.units(c);
            if next > pos.character {
                return line.start + i;
            }
            units = next;
        }
        line.end
    }
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // file:///path or file://localhost/path
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    // file:///C:/dir on Windows
    #[cfg(windows)]
    let decoded = match decoded.strip_prefix('/') {
        Some(p) if p.as_bytes().get(1) == Some(&b':') => p.to_string(),
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path, percent-encoding what URIs do not
/// allow in a path.
pub fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "🌸当院の施術は副作用は一切ありません。\r\nＡＢＣ😀x\rend";

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn positions_count_units_of_the_encoding() {
        let lines = Lines::new(TEXT);
        let at = TEXT.find("副作用").unwrap();
        assert_eq!(lines.position(TEXT, at, Encoding::Utf16), pos(0, 2 + 6));
        assert_eq!(lines.position(TEXT, at, Encoding::Utf32), pos(0, 1 + 6));
        assert_eq!(lines.position(TEXT, at, Encoding::Utf8), pos(0, at as u32));
        let x = TEXT.find('x').unwrap();
        assert_eq!(lines.position(TEXT, x, Encoding::Utf16), pos(1, 3 + 2));
        assert_eq!(lines.position(TEXT, x, Encoding::Utf32), pos(1, 3 + 1));
        assert_eq!(lines.position(TEXT, x, Encoding::Utf8), pos(1, 9 + 4));
        // A lone \r ends a line too.
        assert_eq!(lines.position(TEXT, TEXT.find("end").unwrap(), Encoding::Utf16), pos(2, 0));
    }

    #[test]
    fn offsets_round_trip_and_clamp() {
        let lines = Lines::new(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (i, _) in TEXT.char_indices() {
                let p = lines.position(TEXT, i, enc);
                if TEXT[..i].ends_with('\r') && TEXT[i..].starts_with('\n') {
                    continue; // inside \r\n: not a position of its own
                }
                assert_eq!(lines.offset(TEXT, p, enc), i, "{enc:?} {p:?}");
            }
        }
        let first_end = TEXT.find('\r').unwrap();
        assert_eq!(lines.offset(TEXT, pos(0, 999), Encoding::Utf16), first_end);
        assert_eq!(lines.offset(TEXT, pos(9, 0), Encoding::Utf16), TEXT.len());
        // Half an emoji means the emoji's start.
        assert_eq!(lines.offset(TEXT, pos(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn encoding_is_the_clients_first_supported_choice() {
        let kinds =
            |names: &[&str]| names.iter().map(|n| PositionEncodingKind::from(n.to_string())).collect::<Vec<_>>();
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&kinds(&["utf-32", "utf-16"]))), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(Some(&kinds(&["latin-1", "utf-8"]))), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&kinds(&["latin-1"]))), Encoding::Utf16);
    }

    #[test]
    fn file_uris_and_paths() {
        let path = Path::new("/tmp/サイト/page 1.md");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/%E3%82%B5%E3%82%A4%E3%83%88/page%201.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_to_path("file://localhost/a/b.txt").as_deref(), Some(Path::new("/a/b.txt")));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
    }
}
