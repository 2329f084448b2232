//! The text model: what rules see and how it maps back to the source.
//!
//! An extractor (see [`crate::extract`]) turns a decoded source into
//! [`Extracted`]: the *visible* characters, each with the source byte range
//! it came from (an HTML entity is one visible character with a long
//! range), grouped into [`Block`]s (paragraphs, headings, list items…).
//! [`Document::build`] then normalizes every block (see [`normalize`]),
//! joins the blocks into one string for a single automaton pass, and splits
//! it into sentences. Every byte of the normalized string knows which
//! visible character produced it, so any match maps back to an exact
//! source range.

mod document;
pub mod map;
pub mod normalize;
mod quotes;
pub mod spelling;

use map::VisibleMap;

pub use document::{Document, MAX_SENTENCE_CHARS};

/// One visible character and the byte range of the source it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisChar {
    /// The character as a reader sees it (entities decoded).
    pub ch: char,
    /// Start of its source bytes (into the decoded UTF-8 source).
    pub start: u32,
    /// End (exclusive) of its source bytes.
    pub end: u32,
}

/// What kind of unit of text a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// Running prose.
    Paragraph,
    /// A heading or title line.
    Heading,
    /// One item of a bulleted or numbered list.
    ListItem,
    /// A cell of a table.
    TableCell,
    /// An attribute or metadata text (alt, title, meta description…).
    Meta,
}

/// A block: a run of visible characters that no sentence crosses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its characters, as a range of indices into [`Extracted::visible`].
    pub chars: std::ops::Range<usize>,
}

/// The visible text of a source, in reading order, cut into blocks.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Every visible character in reading order, with its source bytes,
    /// as a compact map (a verbatim character costs no memory of its own).
    pub visible: VisibleMap,
    /// The blocks, in reading order, each a range of `visible`.
    pub blocks: Vec<Block>,
    /// The index of the last visible character that is not whitespace.
    last_inked: Option<usize>,
}

impl Extracted {
    /// Appends the characters of `text`, taken verbatim from the source at
    /// byte offset `source_start`.
    pub fn push_verbatim(&mut self, text: &str, source_start: usize) {
        for (i, ch) in text.char_indices() {
            if !ch.is_whitespace() {
                self.last_inked = Some(self.visible.len());
            }
            self.visible.push_verbatim(ch, (source_start + i) as u32);
        }
    }

    /// Appends one character that stands for the source bytes `range`
    /// (a decoded character reference, say).
    pub fn push_char(&mut self, ch: char, range: std::ops::Range<usize>) {
        if !ch.is_whitespace() {
            self.last_inked = Some(self.visible.len());
        }
        self.visible.push_explicit(VisChar { ch, start: range.start as u32, end: range.end as u32 });
    }

    /// Appends the characters and blocks of `other` after these.
    pub fn append(&mut self, other: Extracted) {
        let shift = self.visible.len();
        self.visible.append(other.visible);
        self.blocks.extend(
            other.blocks.into_iter().map(|b| Block { kind: b.kind, chars: b.chars.start + shift..b.chars.end + shift }),
        );
        if let Some(i) = other.last_inked {
            self.last_inked = Some(i + shift);
        }
    }

    /// Moves every source range `by` bytes on (for text read from a slice
    /// that starts `by` bytes into the source).
    pub fn shift_source(&mut self, by: usize) {
        self.visible.shift_source(by as u32);
    }

    /// Closes the block that began at visible index `from`, if it holds any
    /// character that is not whitespace.
    pub fn end_block(&mut self, kind: BlockKind, from: usize) {
        let to = self.visible.len();
        if self.last_inked.is_some_and(|i| i >= from && i < to) {
            self.blocks.push(Block { kind, chars: from..to });
        }
    }

    /// The characters of `block` (whose source is `source`).
    pub fn block_text(&self, source: &str, block: &Block) -> String {
        self.visible.iter_from(source, block.chars.start as u32).take(block.chars.len()).map(|v| v.ch).collect()
    }
}
