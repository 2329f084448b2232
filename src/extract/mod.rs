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

use crate::text::Extracted;

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
    match format {
        InputFormat::Text => plain::extract(source),
        InputFormat::Html => html::extract(source),
        InputFormat::Markdown => markdown::extract(source),
        InputFormat::Docx => plain::extract_lines(source),
    }
}
