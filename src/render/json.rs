//! The JSON report: a stable, documented wire format (see README.md).
//!
//! ```text
//! {"version": 1,
//!  "findings": [{"path", "rule", "category", "severity", "message",
//!                "start": {"line", "column", "offset"}, "end": {…},
//!                "text", "missing"?, "related"?, "basis", "help"}],
//!  "summary": {"files", "findings", "errors", "warnings", "infos"}}
//! ```
//! Offsets are byte offsets into the decoded UTF-8 text, `end` exclusive;
//! lines and columns are 1-based, columns in characters.

use serde::Serialize;

use super::Summary;
use crate::lint::{FileReport, Finding};
use crate::report::Run;
use crate::rules::RuleSet;
use crate::source::Position;
use crate::Lang;

/// One finding as it appears in the JSON report (and in the JSON Lines
/// output of record streams and the Python package).
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: &'a str,
    rule: &'a str,
    category: &'static str,
    severity: &'static str,
    message: &'a str,
    start: Position,
    end: Position,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<&'a [&'static str]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<JsonRelated<'a>>,
    basis: &'a str,
    help: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    start: Position,
    end: Position,
    text: &'a str,
}

impl<'a> JsonFinding<'a> {
    /// The wire form of `f`, found in the input named `path`.
    pub fn new(path: &'a str, f: &'a Finding, set: &'a RuleSet, lang: Lang) -> JsonFinding<'a> {
        let rule = &set.rules[f.rule];
        JsonFinding {
            path,
            rule: &rule.id,
            category: f.category.as_str(),
            severity: f.severity.as_str(),
            message: rule.message.get(lang),
            start: f.start,
            end: f.end,
            text: &f.text,
            missing: (!f.missing.is_empty()).then_some(f.missing.as_slice()),
            related: f.related.as_ref().map(|x| JsonRelated { start: x.start, end: x.end, text: &x.text }),
            basis: &rule.basis,
            help: rule.help.get(lang),
        }
    }
}

/// Writes the JSON report of a run.
pub fn write(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    // Streamed one finding at a time: a site with a hundred thousand
    // findings never holds a second copy of them.
    let mut stream = Stream::begin(out)?;
    for r in run.files {
        stream.file(out, r, run.set(r), run.lang)?;
    }
    stream.end(out)
}

/// The JSON report written file by file, as the files are checked (see
/// [`write`]): the run need not hold every report until the end.
#[derive(Debug, Default)]
pub struct Stream {
    first: bool,
    summary: Summary,
}

impl Stream {
    /// Writes the start of the report.
    pub fn begin(out: &mut dyn std::io::Write) -> std::io::Result<Stream> {
        write!(out, "{{\"version\":1,\"findings\":[")?;
        Ok(Stream { first: true, summary: Summary::default() })
    }

    /// Writes the findings of one more checked input.
    pub fn file(
        &mut self,
        out: &mut dyn std::io::Write,
        r: &FileReport,
        set: &RuleSet,
        lang: Lang,
    ) -> std::io::Result<()> {
        // Streamed one finding at a time (a file with many findings is not
        // rendered whole first); the bytes are those of `Rendered`.
        for f in &r.findings {
            if !self.first {
                out.write_all(b",")?;
            }
            self.first = false;
            serde_json::to_writer(&mut *out, &JsonFinding::new(&r.path, f, set, lang))?;
        }
        self.summary.add(r);
        Ok(())
    }

    /// Writes the findings of one more checked input, rendered beforehand
    /// (by the thread that checked it).
    pub fn rendered(&mut self, out: &mut dyn std::io::Write, r: &Rendered) -> std::io::Result<()> {
        if !r.json.is_empty() {
            if !self.first {
                out.write_all(b",")?;
            }
            self.first = false;
            out.write_all(&r.json)?;
        }
        self.summary.files += r.summary.files;
        self.summary.findings += r.summary.findings;
        self.summary.errors += r.summary.errors;
        self.summary.warnings += r.summary.warnings;
        self.summary.infos += r.summary.infos;
        Ok(())
    }

    /// Writes the summary and the end of the report.
    pub fn end(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write!(out, "],\"summary\":")?;
        serde_json::to_writer(&mut *out, &self.summary)?;
        writeln!(out, "}}")
    }
}

/// The findings of one input in the JSON report, rendered (joined by
/// commas), with their counts: what [`Stream::rendered`] writes.
#[derive(Debug, Default)]
pub struct Rendered {
    json: Vec<u8>,
    summary: Summary,
}

impl Rendered {
    /// Renders the findings of `r`.
    pub fn new(r: &FileReport, set: &RuleSet, lang: Lang) -> Rendered {
        let mut json = Vec::new();
        for (i, f) in r.findings.iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            serde_json::to_writer(&mut json, &JsonFinding::new(&r.path, f, set, lang))
                .expect("a finding serializes to memory");
        }
        let mut summary = Summary::default();
        summary.add(r);
        Rendered { json, summary }
    }
}
