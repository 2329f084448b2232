//! The JSON report: a stable, documented wire format (see README.md).
//!
//! ```text
//! {"version": 1,
//!  "findings": [{"path", "rule", "category", "severity", "message",
//!                "start": {"line", "column", "offset"}, "end": {…},
//!                "text", "missing"?, "related"?, "confidence"?, "basis",
//!                "help"}],
//!  "summary": {"files", "findings", "errors", "warnings", "infos", "unlikely"}}
//! ```
//! Offsets are byte offsets into the decoded UTF-8 text, `end` exclusive;
//! lines and columns are 1-based, columns in characters.

use std::io::Write;
use std::sync::OnceLock;

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
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f32>,
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
            confidence: f.confidence,
            basis: &rule.basis,
            help: rule.help.get(lang),
        }
    }
}

/// The message, basis and help of each rule of a rule set as JSON strings
/// (quoted and escaped), each escaped the first time a finding of its rule
/// is written and then shared by every thread that renders: a report
/// repeats them with every finding (most of a large site's report), and
/// escaping them again for each finding was about a twentieth of a site
/// benchmark's work.
pub struct RuleTexts {
    lang: Lang,
    escaped: Vec<OnceLock<[String; 3]>>,
}

impl RuleTexts {
    /// No texts escaped yet, for the rules of `set` in `lang`.
    pub fn new(set: &RuleSet, lang: Lang) -> RuleTexts {
        RuleTexts { lang, escaped: (0..set.rules.len()).map(|_| OnceLock::new()).collect() }
    }

    /// The escaped message, basis and help of rule `r` of `set`.
    fn of(&self, set: &RuleSet, r: usize) -> &[String; 3] {
        debug_assert_eq!(self.escaped.len(), set.rules.len(), "the texts of another rule set");
        self.escaped[r].get_or_init(|| {
            let rule = &set.rules[r];
            let escape = |text: &str| serde_json::to_string(text).expect("a string serializes");
            [escape(rule.message.get(self.lang)), escape(&rule.basis), escape(rule.help.get(self.lang))]
        })
    }
}

/// Writes finding `f` of the input named `path` exactly as serializing its
/// [`JsonFinding`] does, with the rule's texts from `texts`.
fn write_finding(
    out: &mut dyn Write,
    path: &str,
    f: &Finding,
    set: &RuleSet,
    texts: &RuleTexts,
) -> std::io::Result<()> {
    let [message, basis, help] = texts.of(set, f.rule);
    out.write_all(b"{\"path\":")?;
    serde_json::to_writer(&mut *out, path)?;
    out.write_all(b",\"rule\":")?;
    serde_json::to_writer(&mut *out, &set.rules[f.rule].id)?;
    out.write_all(b",\"category\":")?;
    serde_json::to_writer(&mut *out, f.category.as_str())?;
    out.write_all(b",\"severity\":")?;
    serde_json::to_writer(&mut *out, f.severity.as_str())?;
    out.write_all(b",\"message\":")?;
    out.write_all(message.as_bytes())?;
    out.write_all(b",\"start\":")?;
    serde_json::to_writer(&mut *out, &f.start)?;
    out.write_all(b",\"end\":")?;
    serde_json::to_writer(&mut *out, &f.end)?;
    out.write_all(b",\"text\":")?;
    serde_json::to_writer(&mut *out, &f.text)?;
    if !f.missing.is_empty() {
        out.write_all(b",\"missing\":")?;
        serde_json::to_writer(&mut *out, &f.missing)?;
    }
    if let Some(x) = &f.related {
        out.write_all(b",\"related\":")?;
        serde_json::to_writer(&mut *out, &JsonRelated { start: x.start, end: x.end, text: &x.text })?;
    }
    if let Some(confidence) = f.confidence {
        out.write_all(b",\"confidence\":")?;
        serde_json::to_writer(&mut *out, &confidence)?;
    }
    out.write_all(b",\"basis\":")?;
    out.write_all(basis.as_bytes())?;
    out.write_all(b",\"help\":")?;
    out.write_all(help.as_bytes())?;
    out.write_all(b"}")
}

/// Writes the JSON report of a run.
pub fn write(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    // Streamed one finding at a time: a site with a hundred thousand
    // findings never holds a second copy of them.
    let texts: Vec<RuleTexts> = run.sets.iter().map(|set| RuleTexts::new(set, run.lang)).collect();
    let mut stream = Stream::begin(out)?;
    for r in run.files {
        stream.file(out, r, run.set(r), &texts[run.set_index(r)])?;
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
        texts: &RuleTexts,
    ) -> std::io::Result<()> {
        // Streamed one finding at a time (a file with many findings is not
        // rendered whole first); the bytes are those of `Rendered`.
        for f in &r.findings {
            if !self.first {
                out.write_all(b",")?;
            }
            self.first = false;
            write_finding(out, &r.path, f, set, texts)?;
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
        self.summary.merge(&r.summary);
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
    /// Renders the findings of `r`, checked with `set` (whose rules' texts
    /// `texts` holds).
    pub fn new(r: &FileReport, set: &RuleSet, texts: &RuleTexts) -> Rendered {
        let mut json = Vec::new();
        for (i, f) in r.findings.iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            write_finding(&mut json, &r.path, f, set, texts).expect("a finding is written to memory");
        }
        let mut summary = Summary::default();
        summary.add(r);
        Rendered { json, summary }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint_text;

    /// The hand-written finding is byte for byte what serde writes of a
    /// `JsonFinding`, with and without `missing`, `related` and
    /// `confidence`, in both languages.
    #[test]
    fn a_written_finding_is_its_serialized_json_finding() {
        let set = RuleSet::embedded().unwrap();
        let (mut written, mut with_missing, mut with_related, mut with_confidence) = (0, 0, 0, 0);
        for entry in std::fs::read_dir("fixtures/labeled").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let report = lint_text("a \"quoted\" path\\x.txt", &text, &set);
            for lang in [Lang::Ja, Lang::En] {
                let texts = RuleTexts::new(&set, lang);
                for f in &report.findings {
                    let expected = serde_json::to_vec(&JsonFinding::new(&report.path, f, &set, lang)).unwrap();
                    let mut ours = Vec::new();
                    write_finding(&mut ours, &report.path, f, &set, &texts).unwrap();
                    assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(expected).unwrap());
                    written += 1;
                    with_missing += usize::from(!f.missing.is_empty());
                    with_related += usize::from(f.related.is_some());
                    with_confidence += usize::from(f.confidence.is_some());
                }
            }
        }
        let counts = [written, with_missing, with_related, with_confidence];
        assert!(written > 200 && with_missing > 10 && with_related > 2 && with_confidence > 100, "{counts:?}");
    }
}
