//! Record streams: crawls as JSON Lines ([`jsonl`]) or WARC ([`warc`]),
//! checked page by page in constant memory.
//!
//! One thread reads records, a pool of workers checks them, and the caller
//! receives the outcomes in input order ([`run`]). A record takes a token
//! before it is read and gives it back when its outcome has been handed
//! on, so at most `2 × threads + 2` records are in flight however long the
//! stream is, each at most [`MAX_RECORD_BYTES`]. Inputs compressed with
//! gzip (`.warc.gz`, `.jsonl.gz`: any number of gzip members) are
//! recognized by their first bytes and decompressed as they are read.

pub mod http;
pub mod jsonl;
pub mod sections;
pub mod warc;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::sync_channel;
use std::sync::{Mutex, PoisonError};

use encoding_rs::Encoding;

use crate::contain;
use crate::extract::InputFormat;
use crate::limits::{human_size, Limits};
use crate::lint::{self, Finding, Fingerprints, InputError, ReadOptions};
use crate::rules::RuleSet;
use crate::walk::{self, Input};

/// The largest page (or JSON line) read into memory; larger records are
/// reported as errors and skipped without being held.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// A byte count for messages: `16 MiB`, `20.5 MiB`, `300 KiB`, `12 bytes`.
pub(crate) fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b if b >= 1024 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// How the records of a stream are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// One JSON object per line: `id` or `url`, `content`, optional
    /// `format` or `content_type`.
    Jsonl,
    /// Web ARChive files: the HTML responses are the pages.
    Warc,
    /// A plain-text or Markdown file read in sections cut at blank lines
    /// ([`sections`]), each checked as a document of its own.
    Sections,
}

/// The content of a page.
#[derive(Debug)]
pub enum Content {
    /// Text that is already decoded (a JSON string).
    Text(String),
    /// Bytes as served, with the encoding the HTTP header declared (the
    /// page's own `<meta charset>` or a guess otherwise).
    Bytes {
        /// The payload.
        bytes: Vec<u8>,
        /// The charset of the `Content-Type` header, when it named one.
        encoding: Option<&'static Encoding>,
    },
}

/// A page read from a stream.
#[derive(Debug)]
pub struct Page {
    /// Its content.
    pub content: Content,
    /// How to read it.
    pub format: InputFormat,
}

/// One record of a stream.
#[derive(Debug)]
pub struct Record {
    /// The record's `id` (or `url`, or WARC target URI), when it could be read.
    pub id: Option<String>,
    /// Where it is: `FILE:LINE` for JSON Lines, `FILE#N` (the Nth record)
    /// for WARC.
    pub source: String,
    /// The page, or why it could not be read.
    pub page: Result<Page, String>,
}

/// What a reader yields.
#[derive(Debug)]
pub enum Item {
    /// A record (possibly one that could not be read).
    Record(Record),
    /// A section of a large file.
    Section(sections::Section),
    /// An input that could not be opened or read any further.
    InputError(String),
}

/// The outcome of one item, handed to the writer in input order.
#[derive(Debug)]
pub enum Outcome {
    /// A page was checked.
    Checked {
        /// The record's id (the `path` of its findings).
        id: String,
        /// Its findings.
        findings: Vec<Finding>,
        /// Warnings that did not stop the check (invalid bytes).
        warnings: Vec<String>,
    },
    /// A record could not be checked.
    Failed {
        /// Its id, when known.
        id: Option<String>,
        /// Where it is in the input.
        source: String,
        /// Why.
        error: String,
    },
    /// An input could not be opened or read any further.
    InputFailed(String),
}

/// The one-line message for a record that could not be checked: its
/// source and, when it has one, its id (a URL from the crawl may hold line
/// breaks), with line breaks and other control characters escaped.
pub fn record_message(source: &str, id: Option<&str>, error: &str) -> String {
    let (source, error) = (crate::diag::one_line(source), crate::diag::one_line(error));
    match id {
        Some(id) => format!("{source} ({}): {error}", crate::diag::one_line(id)),
        None => format!("{source}: {error}"),
    }
}

/// Checks one record with `set`, within `limits`: `--max-file-size` and
/// `--max-findings` apply to each page as to a file (a record is also
/// bounded by [`MAX_RECORD_BYTES`] as it is read).
pub fn check_record(record: Record, set: &RuleSet, limits: Limits) -> Outcome {
    let Record { id, source, page } = record;
    let page = match page {
        Ok(page) => page,
        Err(error) => return Outcome::Failed { id, source, error },
    };
    let name = id.clone().unwrap_or_else(|| source.clone());
    let report = match page.content {
        Content::Text(text) if text.len() as u64 > limits.max_file_bytes => Err(InputError::Unreadable(format!(
            "the page is larger than {} (the limit; raise it with --max-file-size)",
            human_size(limits.max_file_bytes)
        ))),
        Content::Text(text) => {
            let mut report = lint::lint_format_limited(
                &name,
                text,
                page.format,
                None,
                limits.max_sentence_chars,
                Fingerprints::Skip,
                set,
            );
            lint::cap_findings(&mut report, &name, limits.max_findings_per_file);
            Ok(report)
        }
        Content::Bytes { bytes, encoding } => lint::lint_owned_bytes(
            &name,
            bytes,
            ReadOptions {
                encoding,
                format: Some(page.format),
                limits,
                fingerprints: Fingerprints::Skip,
                ..ReadOptions::default()
            },
            set,
        ),
    };
    match report {
        Ok(report) => Outcome::Checked { id: name, findings: report.findings, warnings: report.warnings },
        Err(InputError::Binary) => Outcome::Failed { id, source, error: "binary content, not a page".to_string() },
        Err(InputError::Unreadable(why)) => Outcome::Failed { id, source, error: why },
    }
}

/// Opens `input` as a stream of records of `format`: gzip is recognized by
/// its magic bytes and decompressed on the fly.
pub fn open(input: &Input, stdin_name: &str, format: RecordFormat) -> Box<dyn Iterator<Item = Item> + Send> {
    let (name, reader): (String, Box<dyn Read + Send>) = match input {
        Input::Stdin => (stdin_name.to_string(), Box::new(std::io::stdin())),
        Input::File(path) => {
            let name = path.display().to_string();
            if path.is_dir() {
                return Box::new(std::iter::once(Item::InputError(format!(
                    "{name}: is a directory (name the record files)"
                ))));
            }
            match File::open(path) {
                Ok(file) => (name, Box::new(file)),
                Err(e) => {
                    return Box::new(std::iter::once(Item::InputError(format!("{name}: {}", walk::io_message(&e)))))
                }
            }
        }
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let gzipped = match reader.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(e) => return Box::new(std::iter::once(Item::InputError(format!("{name}: {e}")))),
    };
    let reader: Box<dyn BufRead + Send> = if gzipped {
        Box::new(BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    };
    match format {
        RecordFormat::Jsonl => Box::new(jsonl::Records::new(reader, name)),
        RecordFormat::Warc => Box::new(warc::Records::new(reader, name)),
        RecordFormat::Sections => {
            let unzipped = name.strip_suffix(".gz").unwrap_or(&name);
            match InputFormat::for_path(unzipped.as_ref()) {
                Some(InputFormat::Html | InputFormat::Docx) => Box::new(std::iter::once(Item::InputError(format!(
                    "{name}: sections are for plain text and Markdown (HTML and Word cannot be cut at blank lines)"
                )))),
                Some(InputFormat::Markdown) => Box::new(sections::Sections::new(reader, name, InputFormat::Markdown)),
                Some(InputFormat::Text) | None => Box::new(sections::Sections::new(reader, name, InputFormat::Text)),
            }
        }
    }
}

/// Checks every item of `items` on `threads` workers and hands the
/// outcomes to `emit` in input order. Stops early when `emit` fails (a
/// closed pipe) and returns that error.
pub fn run(
    items: impl Iterator<Item = Item> + Send,
    threads: usize,
    set: &RuleSet,
    limits: Limits,
    mut emit: impl FnMut(Outcome) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let threads = threads.max(1);
    let window = 2 * threads + 2;
    // A token per record in flight: the reader takes one before it reads
    // a record, the writer gives it back once the record's outcome is out.
    // Nothing else can grow.
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        token_tx.send(()).expect("the channel has room for every token");
    }
    let (work_tx, work_rx) = sync_channel::<(u64, Item)>(window);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = sync_channel::<(u64, Outcome)>(window);
    std::thread::scope(|scope| {
        // Owned here so that an early return (a closed pipe) drops them
        // and wakes the reader and the workers up.
        let (token_tx, done_rx) = (token_tx, done_rx);
        scope.spawn(move || {
            let mut items = items;
            for seq in 0u64.. {
                if token_rx.recv().is_err() {
                    break; // the writer stopped
                }
                let Some(item) = items.next() else { break };
                if work_tx.send((seq, item)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let next = work_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((seq, item)) = next else { break };
                if done_tx.send((seq, outcome_of(item, set, limits))).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        for (seq, outcome) in done_rx {
            pending.insert(seq, outcome);
            while let Some(outcome) = pending.remove(&next) {
                next += 1;
                emit(outcome)?;
                // The reader may have finished and dropped its end.
                let _ = token_tx.send(());
            }
        }
        Ok(())
    })
}

/// The outcome of one item; a panic while checking a record is reported
/// as that record's error (quietly, naming where it happened, as for
/// files) and the stream goes on.
fn outcome_of(item: Item, set: &RuleSet, limits: Limits) -> Outcome {
    match item {
        Item::InputError(message) => Outcome::InputFailed(message),
        Item::Section(section) => {
            let (id, source) = (Some(section.path.clone()), section.source.clone());
            contain::catch(|| sections::check_section(section, set, limits)).unwrap_or_else(|error| Outcome::Failed {
                id,
                source,
                error,
            })
        }
        Item::Record(record) => {
            let (id, source) = (record.id.clone(), record.source.clone());
            contain::catch(|| check_record(record, set, limits)).unwrap_or_else(|error| Outcome::Failed {
                id,
                source,
                error,
            })
        }
    }
}
