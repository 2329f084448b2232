//! JSON Lines records: one JSON object per line.
//!
//! ```text
//! {"id": "page-1", "content": "<html>…", "format": "html"}
//! {"url": "https://clinic.example/", "content": "…", "content_type": "text/html; charset=utf-8"}
//! ```
//! `id` (a string or a number) or else `url` names the record; `content`
//! is the page as a JSON string; `format` (`html`, `markdown`, `text`) or
//! else the media type of `content_type` says how to read it, HTML when
//! neither is given. Other keys are ignored. Blank lines are skipped.

use std::io::{BufRead, Read};

use serde::Deserialize;
use serde_json::Value;

use super::{size_text, Content, Item, Page, Record, MAX_RECORD_BYTES};
use crate::extract::InputFormat;

/// The records of one JSON Lines input.
pub struct Records<R> {
    reader: R,
    name: String,
    line: usize,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// Reads records from `reader`, reported under `name`.
    pub fn new(reader: R, name: String) -> Self {
        Records { reader, name, line: 0, done: false }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let mut buf = Vec::new();
        while !self.done {
            buf.clear();
            let read = read_line_capped(&mut self.reader, &mut buf, MAX_RECORD_BYTES);
            self.line += 1;
            let source = format!("{}:{}", self.name, self.line);
            match read {
                Ok(Line::End) => self.done = true,
                Ok(Line::TooLong(len)) => {
                    let error = format!(
                        "the line is {}, over the {} limit for one record",
                        size_text(len as u64),
                        size_text(MAX_RECORD_BYTES as u64)
                    );
                    return Some(Item::Record(Record { id: None, source, page: Err(error) }));
                }
                Ok(Line::Read) => {
                    let mut bytes = buf.trim_ascii_end();
                    if self.line == 1 {
                        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Item::Record(parse(bytes, source)));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Item::InputError(format!("{source}: {e}")));
                }
            }
        }
        None
    }
}

/// What [`read_line_capped`] read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line (with its `\n`, unless it is the last one).
    Read,
    /// A line longer than the cap, of this many bytes; it was skipped.
    TooLong(usize),
    /// End of input.
    End,
}

/// Reads one line into `buf`, holding at most `cap + 1` bytes: a longer
/// line is skipped to its end and reported with its length.
pub(crate) fn read_line_capped(reader: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> std::io::Result<Line> {
    let read = Read::take(&mut *reader, cap as u64 + 1).read_until(b'\n', buf)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if buf.len() > cap && buf.last() != Some(&b'\n') {
        let rest = reader.skip_until(b'\n')?;
        buf.clear();
        buf.shrink_to(1 << 16);
        return Ok(Line::TooLong(read + rest));
    }
    Ok(Line::Read)
}

/// The keys iryolint reads; values are checked one by one so that a bad
/// value is named and the id still reported.
#[derive(Deserialize)]
struct RawRecord {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    url: Value,
    #[serde(default)]
    content: Value,
    #[serde(default)]
    format: Value,
    #[serde(default)]
    content_type: Value,
}

/// Parses one line into a record.
fn parse(line: &[u8], source: String) -> Record {
    let raw: RawRecord = match serde_json::from_slice(line) {
        // serde also reads a struct from an array: `[id, url, …]` is not a record.
        Ok(_) if line.trim_ascii_start().first() != Some(&b'{') => {
            return Record { id: None, source, page: Err("not a JSON object".to_string()) }
        }
        Ok(raw) => raw,
        Err(e) => return Record { id: None, source, page: Err(json_error(&e)) },
    };
    let id = match (&raw.id, &raw.url) {
        (Value::String(s), _) => Ok(s.clone()),
        (Value::Number(n), _) => Ok(n.to_string()),
        (Value::Null, Value::String(url)) => Ok(url.clone()),
        (Value::Null, Value::Null) => Err("the record has neither `id` nor `url`".to_string()),
        (Value::Null, _) => Err("`url` must be a string".to_string()),
        _ => Err("`id` must be a string or a number".to_string()),
    };
    let (id, page) = match id {
        Ok(id) => (Some(id), page_of(raw)),
        Err(e) => (None, Err(e)),
    };
    Record { id, source, page }
}

fn page_of(raw: RawRecord) -> Result<Page, String> {
    let format = match (&raw.format, &raw.content_type) {
        (Value::String(f), _) => format_named(f)?,
        (Value::Null, Value::String(t)) => format_of_media_type(t)?,
        (Value::Null, Value::Null) => InputFormat::Html,
        (Value::Null, _) => return Err("`content_type` must be a string".to_string()),
        _ => return Err("`format` must be a string".to_string()),
    };
    match raw.content {
        Value::String(text) => Ok(Page { content: Content::Text(text), format }),
        Value::Null => Err("the record has no `content`".to_string()),
        _ => Err("`content` must be a string".to_string()),
    }
}

/// The format a record's `format` names.
fn format_named(name: &str) -> Result<InputFormat, String> {
    match name.to_ascii_lowercase().as_str() {
        "html" => Ok(InputFormat::Html),
        "markdown" | "md" => Ok(InputFormat::Markdown),
        "text" | "txt" => Ok(InputFormat::Text),
        _ => Err(format!("unknown `format` `{name}` (html, markdown or text)")),
    }
}

/// The format of a `Content-Type` value.
pub fn format_of_media_type(content_type: &str) -> Result<InputFormat, String> {
    let (media, _) = super::http::parse_content_type(content_type);
    match media.as_str() {
        "text/html" | "application/xhtml+xml" => Ok(InputFormat::Html),
        "text/markdown" | "text/x-markdown" => Ok(InputFormat::Markdown),
        "text/plain" => Ok(InputFormat::Text),
        _ => Err(format!("`content_type` `{content_type}` is not HTML, Markdown or plain text")),
    }
}

/// A JSON error without serde's "at line 1", which is always line 1 here.
fn json_error(e: &serde_json::Error) -> String {
    if e.is_data() {
        let message = e.to_string();
        let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
        return if message.starts_with("invalid type") { "not a JSON object".to_string() } else { message.to_string() };
    }
    let message = e.to_string();
    let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
    format!("invalid JSON at column {}: {message}", e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(input: &str) -> Vec<Item> {
        Records::new(input.as_bytes(), "in.jsonl".to_string()).collect()
    }

    fn record(item: &Item) -> &Record {
        match item {
            Item::Record(r) => r,
            Item::InputError(e) => panic!("{e}"),
            Item::Section(s) => panic!("a section from a JSON Lines reader: {s:?}"),
        }
    }

    #[test]
    fn reads_ids_urls_formats_and_skips_blank_lines() {
        let items = records(concat!(
            "{\"id\":\"a\",\"content\":\"<p>x</p>\"}\n",
            "\n",
            "{\"id\":7,\"content\":\"x\",\"format\":\"markdown\",\"extra\":[1]}\r\n",
            "{\"url\":\"https://c.example/\",\"content\":\"x\",\"content_type\":\"text/plain; charset=utf-8\"}",
        ));
        assert_eq!(items.len(), 3);
        let got: Vec<(Option<&str>, &str, InputFormat)> = items
            .iter()
            .map(record)
            .map(|r| (r.id.as_deref(), r.source.as_str(), r.page.as_ref().unwrap().format))
            .collect();
        assert_eq!(
            got,
            [
                (Some("a"), "in.jsonl:1", InputFormat::Html),
                (Some("7"), "in.jsonl:3", InputFormat::Markdown),
                (Some("https://c.example/"), "in.jsonl:4", InputFormat::Text),
            ]
        );
    }

    #[test]
    fn bad_records_say_why_and_keep_their_id() {
        let items = records(concat!(
            "{\"id\":\"a\",\"content\":\n",
            "[1,2]\n",
            "{\"id\":\"c\"}\n",
            "{\"id\":\"d\",\"content\":3}\n",
            "{\"id\":\"e\",\"content\":\"x\",\"format\":\"pdf\"}\n",
            "{\"id\":\"f\",\"content\":\"x\",\"content_type\":\"image/png\"}\n",
            "{\"content\":\"x\"}\n",
            "{\"id\":[1],\"content\":\"x\"}\n",
        ));
        let got: Vec<(Option<&str>, String)> =
            items.iter().map(record).map(|r| (r.id.as_deref(), r.page.as_ref().unwrap_err().clone())).collect();
        assert_eq!(got[0].0, None);
        assert!(got[0].1.starts_with("invalid JSON at column "), "{}", got[0].1);
        assert_eq!(got[1], (None, "not a JSON object".to_string()));
        assert_eq!(got[2], (Some("c"), "the record has no `content`".to_string()));
        assert_eq!(got[3], (Some("d"), "`content` must be a string".to_string()));
        assert_eq!(got[4], (Some("e"), "unknown `format` `pdf` (html, markdown or text)".to_string()));
        assert_eq!(got[5], (Some("f"), "`content_type` `image/png` is not HTML, Markdown or plain text".to_string()));
        assert_eq!(got[6], (None, "the record has neither `id` nor `url`".to_string()));
        assert_eq!(got[7], (None, "`id` must be a string or a number".to_string()));
    }

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let long = "x".repeat(100);
        let input = format!("{long}\nshort\nlast");
        let mut reader = input.as_bytes();
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::TooLong(101));
        assert!(buf.is_empty());
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(buf, b"short\n");
        buf.clear();
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::End);
    }
}
