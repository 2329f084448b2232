//! Sections: a plain-text or Markdown file too large to hold, read as a
//! stream of sections and checked in constant memory.
//!
//! The file is cut at blank lines (outside fenced code) once a section
//! holds [`SECTION_BYTES`], and each section is checked as a document of
//! its own: a disclosure finding names what its section lacks, a claim
//! needs a treatment named in its section, and a heading governs only its
//! section. Line numbers and offsets count from the start of the file.
//! The encoding is detected once, from the file's first 64 KiB; it must
//! keep line feeds as single bytes (UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP),
//! so UTF-16 and UTF-32 files are refused with an error.

use std::io::BufRead;

use encoding_rs::Encoding;

use super::jsonl::{read_line_capped, Line};
use super::{size_text, Item, Outcome, MAX_RECORD_BYTES};
use crate::extract::InputFormat;
use crate::limits::{human_size, Limits};
use crate::lint::{self, Fingerprints};
use crate::rules::RuleSet;
use crate::source::{self, lines_inclusive, DecodeError, Position};

/// A section is cut at the first blank line after this many bytes.
pub const SECTION_BYTES: usize = 256 << 10;

/// One section of a file.
#[derive(Debug)]
pub struct Section {
    /// The file's name: the `path` of its findings.
    pub path: String,
    /// Where the section starts: `FILE:LINE`.
    pub source: String,
    /// How many lines of the file come before it.
    pub lines_before: usize,
    /// How many bytes of the decoded file come before it.
    pub offset: usize,
    /// Its text, or why it could not be decoded.
    pub text: Result<String, String>,
    /// How to read it.
    pub format: InputFormat,
    /// What a reader should know (bytes replaced with U+FFFD).
    pub warnings: Vec<String>,
}

/// The sections of one file, in order.
pub struct Sections<R> {
    reader: R,
    name: String,
    format: InputFormat,
    encoding: Option<&'static Encoding>,
    /// A section is cut at the first blank line after this many bytes.
    section_bytes: usize,
    /// Lines and decoded bytes of the file already handed out.
    lines: usize,
    offset: usize,
    /// A line read but left for the next section (the one that would
    /// have taken a section over [`MAX_RECORD_BYTES`]).
    carry: Vec<u8>,
    in_fence: bool,
    started: bool,
    done: bool,
}

impl<R: BufRead> Sections<R> {
    /// Reads `reader` (the file `name`) as sections of `format`.
    pub fn new(reader: R, name: String, format: InputFormat) -> Self {
        Self::with_size(reader, name, format, SECTION_BYTES)
    }

    /// [`Sections::new`], cutting at the first blank line after
    /// `section_bytes`.
    fn with_size(reader: R, name: String, format: InputFormat, section_bytes: usize) -> Self {
        Sections {
            reader,
            name,
            format,
            encoding: None,
            section_bytes,
            lines: 0,
            offset: 0,
            carry: Vec::new(),
            in_fence: false,
            started: false,
            done: false,
        }
    }

    /// Detects the file's encoding from its first bytes (those the reader
    /// holds), cut at their last line feed.
    fn detect_encoding(&mut self) -> Result<&'static Encoding, String> {
        let head = self.reader.fill_buf().map_err(|e| e.to_string())?;
        let whole = head.iter().rposition(|&b| b == b'\n').map_or(head, |end| &head[..=end]);
        let decoded = match source::decode(whole, None) {
            Ok(decoded) => decoded,
            Err(DecodeError::Binary) => return Err("a binary file, not text".to_string()),
            Err(DecodeError::Undecodable(why)) => return Err(why),
        };
        match source::encoding_for_label(decoded.encoding) {
            Some(encoding) if encoding.is_ascii_compatible() || encoding == encoding_rs::ISO_2022_JP => Ok(encoding),
            _ => Err(format!(
                "is {}: sections need an encoding that keeps line feeds as single bytes (convert it to UTF-8)",
                decoded.encoding
            )),
        }
    }

    /// Reads the bytes of the next section: lines up to the first blank
    /// one outside fenced code after [`SECTION_BYTES`], or up to
    /// [`MAX_RECORD_BYTES`] at a line end.
    fn read_section(&mut self) -> Result<Vec<u8>, String> {
        let mut section = std::mem::take(&mut self.carry);
        let mut line = Vec::new();
        loop {
            line.clear();
            match read_line_capped(&mut self.reader, &mut line, MAX_RECORD_BYTES).map_err(|e| e.to_string())? {
                Line::End => {
                    self.done = true;
                    return Ok(section);
                }
                Line::TooLong(len) => {
                    return Err(format!(
                        "a line of {} (over {}): sections are cut at line breaks",
                        size_text(len as u64),
                        size_text(MAX_RECORD_BYTES as u64)
                    ))
                }
                Line::Read => {}
            }
            let trimmed = line.trim_ascii();
            if trimmed.starts_with(b"```") || trimmed.starts_with(b"~~~") {
                self.in_fence = !self.in_fence;
            }
            if section.len() + line.len() > MAX_RECORD_BYTES {
                // No blank line for 16 MiB: this line starts the next section.
                self.carry = line;
                return Ok(section);
            }
            let blank = trimmed.is_empty();
            section.extend_from_slice(&line);
            if blank && !self.in_fence && section.len() >= self.section_bytes {
                return Ok(section);
            }
        }
    }

    /// Decodes a section's bytes; the lines and decoded bytes it spans.
    fn decode(&self, bytes: &[u8], encoding: &'static Encoding) -> (Result<String, String>, Vec<String>, usize, usize) {
        match source::decode(bytes, Some(encoding)) {
            Ok(decoded) => {
                let warnings = decoded.replaced_bytes_warning(&self.name, self.lines).into_iter().collect();
                let (lines, len) = (lines_inclusive(&decoded.text).count(), decoded.text.len());
                (Ok(decoded.text), warnings, lines, len)
            }
            Err(error) => {
                // Counted as read, so that later sections keep their places.
                let (text, _, _) = encoding.decode(bytes);
                let why = match error {
                    DecodeError::Binary => "binary content, not text".to_string(),
                    DecodeError::Undecodable(why) => why,
                };
                (Err(why), Vec::new(), lines_inclusive(&text).count(), text.len())
            }
        }
    }
}

impl<R: BufRead> Iterator for Sections<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done && self.carry.is_empty() {
            return None;
        }
        let encoding = match self.encoding {
            Some(encoding) => encoding,
            None => match self.detect_encoding() {
                Ok(encoding) => *self.encoding.insert(encoding),
                Err(why) => {
                    self.done = true;
                    return Some(Item::InputError(format!("{}: {why}", self.name)));
                }
            },
        };
        let source = format!("{}:{}", self.name, self.lines + 1);
        let bytes = match self.read_section() {
            Ok(bytes) => bytes,
            Err(why) => {
                self.done = true;
                return Some(Item::InputError(format!("{source}: {why}")));
            }
        };
        if bytes.is_empty() && self.started {
            return None;
        }
        self.started = true;
        let (text, warnings, lines, len) = self.decode(&bytes, encoding);
        let section = Section {
            path: self.name.clone(),
            source,
            lines_before: self.lines,
            offset: self.offset,
            text,
            format: self.format,
            warnings,
        };
        self.lines += lines;
        self.offset += len;
        Some(Item::Section(section))
    }
}

/// Checks one section with `set`, within `limits`, and moves its
/// findings to their places in the file.
pub fn check_section(section: Section, set: &RuleSet, limits: Limits) -> Outcome {
    let Section { path, source, lines_before, offset, text, format, mut warnings } = section;
    let text = match text {
        Ok(text) if text.len() as u64 > limits.max_file_bytes => {
            let error = format!(
                "the section is larger than {} (the limit; raise it with --max-file-size)",
                human_size(limits.max_file_bytes)
            );
            return Outcome::Failed { id: Some(path), source, error };
        }
        Ok(text) => text,
        Err(error) => return Outcome::Failed { id: Some(path), source, error },
    };
    let mut report =
        lint::lint_format_limited(&path, text, format, None, limits.max_sentence_chars, Fingerprints::Skip, set);
    lint::cap_findings(&mut report, &source, limits.max_findings_per_file);
    let place = |p: &mut Position| {
        p.line += lines_before;
        p.offset += offset;
    };
    for f in &mut report.findings {
        place(&mut f.start);
        place(&mut f.end);
        if let Some(related) = &mut f.related {
            place(&mut related.start);
            place(&mut related.end);
        }
    }
    warnings.extend(report.warnings);
    Outcome::Checked { id: path, findings: report.findings, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(bytes: &[u8], format: InputFormat, size: usize) -> Vec<Section> {
        Sections::with_size(bytes, "big.txt".to_string(), format, size)
            .map(|item| match item {
                Item::Section(section) => section,
                other => panic!("not a section: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn cuts_at_the_first_blank_line_after_the_size_and_counts_lines_and_bytes() {
        let text = "一行目\n二行目\n\n三行目\n\n四行目\n";
        let got = sections(text.as_bytes(), InputFormat::Text, 8);
        let texts: Vec<&str> = got.iter().map(|s| s.text.as_deref().unwrap()).collect();
        assert_eq!(texts, ["一行目\n二行目\n\n", "三行目\n\n", "四行目\n"]);
        assert_eq!(got.iter().map(|s| s.lines_before).collect::<Vec<_>>(), [0, 3, 5]);
        let (first, second) = ("一行目\n二行目\n\n".len(), "三行目\n\n".len());
        assert_eq!(got.iter().map(|s| s.offset).collect::<Vec<_>>(), [0, first, first + second]);
        assert_eq!(got.iter().map(|s| s.source.as_str()).collect::<Vec<_>>(), ["big.txt:1", "big.txt:4", "big.txt:6"]);
    }

    #[test]
    fn never_cuts_inside_fenced_code() {
        let text = "本文\n\n```\nコード\n\nコード\n```\n\n後\n";
        let got = sections(text.as_bytes(), InputFormat::Markdown, 1);
        let texts: Vec<&str> = got.iter().map(|s| s.text.as_deref().unwrap()).collect();
        assert_eq!(texts, ["本文\n\n", "```\nコード\n\nコード\n```\n\n", "後\n"]);
    }

    #[test]
    fn offsets_count_decoded_bytes_of_a_shift_jis_file() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("当院の点滴です。\n\n二つ目の段落です。\n");
        let got = sections(&bytes, InputFormat::Text, 1);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].text.as_deref(), Ok("二つ目の段落です。\n"));
        assert_eq!(got[1].offset, "当院の点滴です。\n\n".len());
    }

    #[test]
    fn an_empty_file_is_one_empty_section() {
        let got = sections(b"", InputFormat::Text, 8);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text.as_deref(), Ok(""));
    }

    #[test]
    fn utf16_is_refused_with_a_reason() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "当院の点滴です。\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let items: Vec<Item> = Sections::new(&bytes[..], "wide.txt".to_string(), InputFormat::Text).collect();
        match &items[..] {
            [Item::InputError(message)] => assert!(message.starts_with("wide.txt: is UTF-16LE"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
