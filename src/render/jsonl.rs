//! JSON Lines output: one line per page, written as soon as the page is
//! checked, so that a crawl of any size streams through in constant memory.
//!
//! ```text
//! {"id": "https://…", "findings": [{…the JSON report's finding…}, …]}
//! {"id": "https://…" | null, "source": "crawl.jsonl:17", "error": "…"}
//! ```
//! A page that could not be checked has an `error` and no `findings`, so
//! it is never mistaken for a clean page.

use std::io::Write;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::json::JsonFinding;
use crate::lint::Finding;
use crate::report::Run;
use crate::rules::RuleSet;
use crate::Lang;

/// The findings of one page, serialized one by one without a second copy.
struct Findings<'a> {
    id: &'a str,
    findings: &'a [Finding],
    set: &'a RuleSet,
    lang: Lang,
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            seq.serialize_element(&JsonFinding::new(self.id, f, self.set, self.lang))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct PageLine<'a> {
    id: &'a str,
    findings: Findings<'a>,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    id: Option<&'a str>,
    source: &'a str,
    error: &'a str,
}

/// Writes the line of a checked page: its id and its findings (each
/// finding's `path` is the id).
pub fn write_page(
    out: &mut dyn Write,
    id: &str,
    findings: &[Finding],
    set: &RuleSet,
    lang: Lang,
) -> std::io::Result<()> {
    let line = PageLine { id, findings: Findings { id, findings, set, lang } };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// Writes the line of a page that could not be checked: its id when it
/// is known, where it was in the input, and why.
pub fn write_error(out: &mut dyn Write, id: Option<&str>, source: &str, error: &str) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &ErrorLine { id, source, error })?;
    out.write_all(b"\n")
}

/// Writes one line per checked file (`id` is the path).
pub fn write(out: &mut dyn Write, run: &Run) -> std::io::Result<()> {
    for r in run.files {
        write_page(out, &r.path, &r.findings, run.set(r), run.lang)?;
    }
    Ok(())
}
