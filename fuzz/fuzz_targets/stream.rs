//! A crawl stream: the first byte chooses JSON Lines, WARC or a large file
//! read in sections (by its value modulo 3), the rest is the stream. No
//! panic; every record is a page, a record error with a one-line message,
//! or the end of a broken input; every page keeps the span invariants, every
//! section's findings lie in the section, and every JSON line written for
//! it parses.
#![no_main]

mod common;

use std::io::Cursor;

use iryolint::lint::{lint_bytes, lint_format, InputError, ReadOptions};
use iryolint::render;
use iryolint::extract::InputFormat;
use iryolint::limits::Limits;
use iryolint::stream::{jsonl, sections, warc, Content, Item, Outcome};
use libfuzzer_sys::fuzz_target;

/// More records than this are not read: an input of 8 KB holds few pages,
/// and a long run of empty ones would only slow the target.
const MAX_RECORDS: usize = 64;

fn one_json_line(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("JSON Lines output is UTF-8");
    assert_eq!(text.matches('\n').count(), 1, "one line: {text:?}");
    serde_json::from_str::<serde_json::Value>(text).expect("each output line parses");
}

fn one_line_message(message: &str) {
    assert!(!message.contains(['\n', '\r']), "a message is one line: {message:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let reader = Cursor::new(rest);
    let items: Box<dyn Iterator<Item = Item>> = match mode % 3 {
        0 => Box::new(jsonl::Records::new(reader, "crawl.jsonl".to_string())),
        1 => Box::new(warc::Records::new(reader, "crawl.warc".to_string())),
        _ => Box::new(sections::Sections::new(reader, "dump.md".to_string(), InputFormat::Markdown)),
    };
    let set = common::rule_set();
    let lang = if mode & 2 == 0 { iryolint::Lang::En } else { iryolint::Lang::Ja };
    for item in items.take(MAX_RECORDS) {
        let record = match item {
            Item::Record(record) => record,
            Item::InputError(message) => {
                one_line_message(&message);
                continue;
            }
            Item::Section(section) => {
                let (lines_before, offset) = (section.lines_before, section.offset);
                let end = offset + section.text.as_ref().map_or(0, String::len);
                let mut out = Vec::new();
                match sections::check_section(section, set, Limits::default()) {
                    Outcome::Checked { id, findings, .. } => {
                        for f in &findings {
                            assert!(f.start.line > lines_before, "a finding before its section");
                            assert!(offset <= f.start.offset && f.start.offset <= f.end.offset && f.end.offset <= end);
                        }
                        render::jsonl::write_page(&mut out, &id, &findings, set, lang).unwrap();
                        one_json_line(&out);
                    }
                    Outcome::Failed { error, .. } => one_line_message(&error),
                    Outcome::InputFailed(message) => one_line_message(&message),
                }
                continue;
            }
        };
        assert!(!record.source.is_empty());
        let name = record.id.clone().unwrap_or_else(|| record.source.clone());
        let mut out = Vec::new();
        let page = match record.page {
            Ok(page) => page,
            Err(error) => {
                let line = iryolint::stream::record_message(&record.source, record.id.as_deref(), &error);
                one_line_message(&iryolint::diag::printable(&line));
                render::jsonl::write_error(&mut out, record.id.as_deref(), &record.source, &error).unwrap();
                one_json_line(&out);
                continue;
            }
        };
        let report = match page.content {
            Content::Text(text) => Ok(lint_format(&name, text, page.format, set)),
            Content::Bytes { bytes, encoding } => {
                lint_bytes(&name, &bytes, ReadOptions { encoding, format: Some(page.format), ..Default::default() }, set)
            }
        };
        match report {
            Ok(report) => {
                common::invariants::check_spans(&report, page.format);
                render::jsonl::write_page(&mut out, &name, &report.findings, set, lang).unwrap();
                one_json_line(&out);
            }
            Err(InputError::Binary) => {}
            Err(InputError::Unreadable(why)) => one_line_message(&why),
        }
    }
});
