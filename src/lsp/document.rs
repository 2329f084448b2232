//! One document the editor has open: its text as the editor holds it, kept
//! in step with incremental changes, and the findings of its last check.

use std::path::PathBuf;
use std::rc::Rc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::{uri_to_path, Encoding, Lines};
use super::workspace::Loaded;
use crate::extract::InputFormat;
use crate::lint::Finding;

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// Its URI, as the client names it.
    pub uri: Uri,
    /// Its path, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// How to read it; `None` for files that are not copy (a `.toml` file
    /// the editor also syncs), which are never checked.
    pub format: Option<InputFormat>,
    /// The client's version of the text.
    pub version: i32,
    /// The text.
    pub text: String,
    /// Its line starts.
    pub lines: Lines,
    /// The last check, while it matches the text.
    pub checked: Option<Checked>,
}

/// The result of checking a document.
#[derive(Debug)]
pub struct Checked {
    /// The findings, with byte offsets into the document's text.
    pub findings: Vec<Finding>,
    /// The rules (and message language) they were found with.
    pub rules: Rc<Loaded>,
}

impl Document {
    /// A document opened with `text`.
    pub fn new(uri: Uri, language_id: &str, version: i32, text: String) -> Document {
        let path = uri_to_path(uri.as_str());
        let format = format_for(language_id, path.as_deref());
        let lines = Lines::new(&text);
        Document { uri, path, format, version, text, lines, checked: None }
    }

    /// Applies the client's changes in order (ranged ones in `enc`
    /// positions, unranged ones replace the whole text).
    pub fn apply(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start, enc);
                    let end = self.lines.offset(&self.text, range.end, enc).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = Lines::new(&self.text);
        }
        self.version = version;
        self.checked = None;
    }

    /// The name findings are reported under: the path, else the URI.
    pub fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| self.uri.as_str().to_string(), |p| p.display().to_string())
    }
}

/// How to read a document: by the client's language id, else by the file
/// name's extension, else as plain text. `None` for TOML (config and rule
/// files are watched, not checked) and for Word files, which editors do
/// not hold as text.
pub fn format_for(language_id: &str, path: Option<&std::path::Path>) -> Option<InputFormat> {
    let by_extension = path.and_then(InputFormat::for_path);
    let is_toml = path.and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    match language_id {
        "toml" => None,
        _ if is_toml || by_extension == Some(InputFormat::Docx) => None,
        "markdown" | "mdx" => Some(InputFormat::Markdown),
        "html" => Some(InputFormat::Html),
        "plaintext" | "text" => Some(InputFormat::Text),
        _ => Some(by_extension.unwrap_or(InputFormat::Text)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use lsp_types::{Position, Range};

    use super::*;

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l0, c0), (l1, c1))| Range {
                start: Position { line: l0, character: c0 },
                end: Position { line: l1, character: c1 },
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_utf16_units() {
        let uri: Uri = "file:///tmp/a.txt".parse().unwrap();
        let mut doc = Document::new(uri, "plaintext", 1, "😀副作用は\n一切ありません。\n".to_string());
        // Replace 副作用 (UTF-16 2..5 after the emoji) and join the lines.
        doc.apply(2, vec![change(Some(((0, 2), (0, 5))), "痛み"), change(Some(((0, 5), (1, 0))), "")], Encoding::Utf16);
        assert_eq!(doc.text, "😀痛みは一切ありません。\n");
        doc.apply(3, vec![change(None, "新しい本文")], Encoding::Utf16);
        assert_eq!((doc.version, doc.text.as_str()), (3, "新しい本文"));
    }

    #[test]
    fn formats_by_language_then_extension() {
        let p = |s: &'static str| Some(Path::new(s));
        assert_eq!(format_for("markdown", p("/a/b.txt")), Some(InputFormat::Markdown));
        assert_eq!(format_for("html", None), Some(InputFormat::Html));
        assert_eq!(format_for("jinja", p("/a/b.htm")), Some(InputFormat::Html));
        assert_eq!(format_for("", None), Some(InputFormat::Text));
        assert_eq!(format_for("plaintext", p("/a/iryolint.toml")), None);
        assert_eq!(format_for("toml", None), None);
    }
}
