//! WARC (ISO 28500, WARC/1.0 and 1.1) records, read as a stream.
//!
//! A record is a `WARC/1.x` line, header fields up to a blank line, then
//! exactly `Content-Length` bytes of block and a blank line. The pages are
//! the `response` records whose HTTP response is HTML with a 2xx status,
//! and `resource` records of an HTML type; every other record (requests,
//! metadata, images, redirects) is skipped without being held in memory.
//! The charset comes from the HTTP `Content-Type` header, else from the
//! page itself. A record that cannot be read is reported and the stream
//! goes on; a header block that is not WARC is skipped up to the next
//! `WARC/` line.

use std::io::{BufRead, Read};

use super::http::{self, Head};
use super::jsonl::{read_line_capped, Line};
use super::{size_text, Content, Item, Page, Record, MAX_RECORD_BYTES};
use crate::extract::InputFormat;
use crate::source::encoding_for_label;

/// The records of one WARC input.
pub struct Records<R> {
    reader: R,
    name: String,
    /// Records seen so far (the `#N` of a record's source).
    number: usize,
    pages: usize,
    skipped: usize,
    /// A `WARC/` line found while skipping what was not a record.
    pending_version: bool,
    /// After a bad header: skip to the next `WARC/` line without a
    /// second error.
    resync: bool,
    done: bool,
}

/// What reading one record gave.
enum Next {
    /// The end of the input.
    End,
    /// A record that is not a page.
    Skipped,
    /// A page.
    Page(Record),
}

/// Why a record could not be read.
enum Bad {
    /// This record is bad; the next one can be read.
    Record(Option<String>, String),
    /// The input ended or broke: nothing more can be read.
    Input(Option<String>, String),
}

impl<R: BufRead> Records<R> {
    /// Reads records from `reader`, reported under `name`.
    pub fn new(reader: R, name: String) -> Self {
        Records { reader, name, number: 0, pages: 0, skipped: 0, pending_version: false, resync: false, done: false }
    }

    fn source(&self) -> String {
        format!("{}#{}", self.name, self.number)
    }

    /// Reads up to the next `WARC/` line. `Ok(false)` at the end of the
    /// input; a record error when something else had to be skipped.
    fn find_version_line(&mut self) -> Result<bool, Bad> {
        if std::mem::take(&mut self.pending_version) {
            return Ok(true);
        }
        let quiet = std::mem::take(&mut self.resync);
        let mut buf = Vec::new();
        let mut skipped_lines = 0usize;
        loop {
            buf.clear();
            let line =
                read_line_capped(&mut self.reader, &mut buf, 1024).map_err(|e| Bad::Input(None, e.to_string()))?;
            let found = match line {
                Line::End if skipped_lines > 0 && !quiet => {
                    return Err(Bad::Input(None, format!("{skipped_lines} lines that are not a WARC record")));
                }
                Line::End => return Ok(false),
                Line::TooLong(_) => false,
                Line::Read if buf.trim_ascii().is_empty() => continue,
                Line::Read => buf.starts_with(b"WARC/"),
            };
            if found && (skipped_lines == 0 || quiet) {
                return Ok(true);
            }
            if found {
                self.pending_version = true;
                return Err(Bad::Record(None, format!("{skipped_lines} lines that are not a WARC record skipped")));
            }
            skipped_lines += 1;
        }
    }

    /// Reads one record.
    fn read_record(&mut self) -> Result<Next, Bad> {
        if !self.find_version_line()? {
            return Ok(Next::End);
        }
        self.number += 1;
        let fields = http::read_fields(&mut self.reader).map_err(|e| {
            self.resync = true;
            Bad::Record(None, format!("bad WARC header: {e}"))
        })?;
        let field = |name: &str| fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let id = field("WARC-Target-URI")
            .or_else(|| field("WARC-Record-ID"))
            .map(|v| v.trim_start_matches('<').trim_end_matches('>').to_string());
        let Some(length) = field("Content-Length").and_then(|v| v.parse::<u64>().ok()) else {
            self.resync = true;
            return Err(Bad::Record(id, "the WARC header has no valid Content-Length".to_string()));
        };
        let kind = field("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let block_type = field("Content-Type").unwrap_or("").to_string();
        let mut block = self.reader.by_ref().take(length);
        let page = match kind.as_str() {
            "response" if block_type.is_empty() || block_type.to_ascii_lowercase().starts_with("application/http") => {
                http_page(&mut block)
            }
            "resource" => resource_page(&mut block, &block_type),
            _ => Ok(None),
        };
        // Whatever the page needed, the rest of the block is skipped.
        let drained = std::io::copy(&mut block, &mut std::io::sink());
        let short = block.limit();
        if let Err(e) = drained {
            return Err(Bad::Input(id, e.to_string()));
        }
        if short > 0 {
            return Err(Bad::Input(id, format!("the input ends {short} bytes before the end of this record")));
        }
        match page {
            Ok(Some(page)) => {
                self.pages += 1;
                Ok(Next::Page(Record { id, source: self.source(), page: Ok(page) }))
            }
            Ok(None) => {
                self.skipped += 1;
                Ok(Next::Skipped)
            }
            Err(e) => Err(Bad::Record(id, e)),
        }
    }
}

/// The page of a `response` record, when it is an HTML 2xx response.
fn http_page(block: &mut std::io::Take<impl BufRead>) -> Result<Option<Page>, String> {
    let head = http::read_head(block)?;
    let (media, charset) = http::parse_content_type(head.header("Content-Type").unwrap_or(""));
    if !(200..300).contains(&head.status) || !http::is_html(&media) {
        return Ok(None);
    }
    let raw = read_capped(block)?;
    let bytes = http::payload(raw, &head, MAX_RECORD_BYTES)?;
    Ok(Some(page(bytes, charset.as_deref())))
}

/// The page of a `resource` record of an HTML type.
fn resource_page(block: &mut std::io::Take<impl BufRead>, block_type: &str) -> Result<Option<Page>, String> {
    let (media, charset) = http::parse_content_type(block_type);
    if !http::is_html(&media) {
        return Ok(None);
    }
    let bytes = http::payload(read_capped(block)?, &Head::default(), MAX_RECORD_BYTES)?;
    Ok(Some(page(bytes, charset.as_deref())))
}

fn page(bytes: Vec<u8>, charset: Option<&str>) -> Page {
    // An unknown label is ignored: the page's own declaration or a guess decides.
    let encoding = charset.and_then(encoding_for_label);
    Page { content: Content::Bytes { bytes, encoding }, format: InputFormat::Html }
}

/// The rest of a block, when it is at most [`MAX_RECORD_BYTES`].
fn read_capped(block: &mut std::io::Take<impl BufRead>) -> Result<Vec<u8>, String> {
    if block.limit() > MAX_RECORD_BYTES as u64 {
        return Err(format!(
            "the page is {}, over the {} limit for one record",
            size_text(block.limit()),
            size_text(MAX_RECORD_BYTES as u64)
        ));
    }
    let mut raw = Vec::with_capacity(block.limit() as usize);
    block.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    Ok(raw)
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            match self.read_record() {
                Ok(Next::Page(record)) => return Some(Item::Record(record)),
                Ok(Next::Skipped) => {}
                Ok(Next::End) => self.done = true,
                Err(Bad::Record(id, error)) => {
                    return Some(Item::Record(Record { id, source: self.source(), page: Err(error) }));
                }
                Err(Bad::Input(id, error)) => {
                    self.done = true;
                    return Some(Item::Record(Record { id, source: self.source(), page: Err(error) }));
                }
            }
        }
        if self.skipped > 0 {
            eprintln!(
                "iryolint: note: {}: {} HTML pages read; {} other records (requests, metadata, redirects, non-HTML) skipped",
                self.name, self.pages, self.skipped
            );
            self.skipped = 0;
        }
        None
    }
}
