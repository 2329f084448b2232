//! Extractors: from a decoded source to its visible text in blocks.
//!
//! Each extractor knows one input format and produces [`Extracted`]
//! (see [`crate::text`]): the characters a reader sees, each with its exact
//! source range, cut into blocks that sentences never cross.

pub mod docx;
mod entities;
pub mod html;
pub mod markdown;
pub mod plain;

use std::ops::Range;

use crate::text::Extracted;

/// What an extractor read from a source: its visible text, and where the
/// source holds comments, the only places an inline suppression counts.
#[derive(Debug, Default)]
pub struct Extraction {
    /// The visible text in blocks.
    pub text: Extracted,
    /// Where `<!-- … -->` directives are read.
    pub comments: Comments,
}

/// Where a format's comments are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Comments {
    /// The format has no comment syntax of its own (plain text, the view of
    /// a Word document): a `<!-- … -->` anywhere counts.
    #[default]
    Anywhere,
    /// Byte ranges of the source's real comments, each from `<!--` to after
    /// `-->`, in source order. Text that only looks like a comment (in a
    /// script, an attribute value or a code block) is not one.
    Ranges(Vec<Range<usize>>),
}

/// The formats iryolint can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text (also the fallback for unknown extensions).
    Text,
    /// HTML pages.
    Html,
    /// Markdown.
    Markdown,
    /// Word drafts (.docx): read as a plain-text view, one paragraph per line.
    Docx,
}

impl InputFormat {
    /// The format for a file name, by extension.
    pub fn for_path(path: &std::path::Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(InputFormat::Text),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "md" | "markdown" | "mdx" => Some(InputFormat::Markdown),
            "docx" => Some(InputFormat::Docx),
            _ => None,
        }
    }
}

/// Extracts the visible text of `source` read as `format` (for .docx,
/// `source` is the plain-text view from [`docx::plain_text`]).
pub fn extract(source: &str, format: InputFormat) -> Extracted {
    read(source, format).text
}

/// Extracts the visible text of `source` read as `format`, and where its
/// comments are.
pub fn read(source: &str, format: InputFormat) -> Extraction {
    read_with(source, format, None)
}

/// [`read`], reading the Markdown front-matter keys `front_matter_keys`
/// (`None`: [`markdown::DEFAULT_FRONT_MATTER_KEYS`]).
pub fn read_with(source: &str, format: InputFormat, front_matter_keys: Option<&[String]>) -> Extraction {
    match format {
        InputFormat::Text => Extraction { text: plain::extract(source), comments: Comments::Anywhere },
        InputFormat::Html => html::read(source),
        InputFormat::Markdown => markdown::read_with(source, front_matter_keys),
        InputFormat::Docx => Extraction { text: plain::extract_lines(source), comments: Comments::Anywhere },
    }
}
