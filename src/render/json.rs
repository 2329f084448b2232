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
use crate::lint::FileReport;
use crate::rules::RuleSet;
use crate::source::Position;
use crate::Lang;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
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

/// Writes the JSON report of `reports`.
pub fn write(out: &mut dyn std::io::Write, reports: &[FileReport], set: &RuleSet, lang: Lang) -> std::io::Result<()> {
    let findings = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .map(|(r, f)| {
            let rule = &set.rules[f.rule];
            JsonFinding {
                path: &r.path,
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
        })
        .collect();
    let report = Report { version: 1, findings, summary: Summary::of(reports) };
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)
}
