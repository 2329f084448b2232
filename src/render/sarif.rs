//! SARIF 2.1.0, as GitHub code scanning and other tools read it.
//!
//! The run lists every rule (with its help, basis and category) so that a
//! viewer can show them; each result points at its region with 1-based
//! lines and columns counted in Unicode code points (`columnKind`).

use serde_json::{json, Value};

use std::collections::HashMap;

use crate::lint::{FileReport, Finding};
use crate::messages;
use crate::report::Run;
use crate::rules::Severity;

/// The schema this output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: forward slashes, non-ASCII and
/// reserved bytes percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes the SARIF log of `reports`.
///
/// Results are streamed one at a time: a run with hundreds of thousands of
/// findings never holds its whole log in memory.
pub fn write(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    let lang = run.lang;
    let listed = run.rules();
    let index: HashMap<&str, usize> = listed.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let basis = messages::BASIS_TITLE.get(lang);
    let rules: Vec<Value> = listed
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": messages::rule_summary(r, lang) },
                "fullDescription": { "text": r.message.get(lang) },
                "help": {
                    "text": format!("{}\n{basis}: {}", r.help.get(lang), r.basis),
                    "markdown": format!("{}\n\n**{basis}**: {}", r.help.get(lang), r.basis),
                },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "category": r.category.as_str(),
                    "kind": r.kind.as_str(),
                    "basis": r.basis,
                    "tags": [r.category.as_str(), "medical-advertising"],
                },
            })
        })
        .collect();
    // The log without its results, split where they go.
    let skeleton = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "iryolint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": ["RESULTS"],
        }],
    });
    let skeleton = serde_json::to_string_pretty(&skeleton)?;
    let (head, tail) = skeleton.split_once("\"RESULTS\"").expect("the placeholder is in the skeleton");
    out.write_all(head.as_bytes())?;
    let mut first = true;
    for (report, f) in run.findings() {
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        let rule_index = index[run.rule(report, f).id.as_str()];
        serde_json::to_writer(&mut *out, &result(run, report, f, rule_index))?;
    }
    out.write_all(tail.as_bytes())?;
    writeln!(out)
}

/// The SARIF result of one finding.
fn result(run: &Run, report: &FileReport, f: &Finding, rule_index: usize) -> Value {
    let (rule, lang) = (run.rule(report, f), run.lang);
    let text = format!("「{}」 {}{}", f.text, rule.message.get(lang), messages::missing_suffix(&f.missing, lang));
    let mut result = json!({
        "ruleId": rule.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&report.path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": f.start.line,
                    "startColumn": f.start.column,
                    "endLine": f.end.line,
                    "endColumn": f.end.column,
                    "snippet": { "text": f.text },
                },
            },
        }],
        "partialFingerprints": { "iryolint/v2": f.fingerprint.in_file(&report.project_path) },
        "properties": { "category": f.category.as_str() },
    });
    if !f.missing.is_empty() {
        result["properties"]["missing"] = json!(f.missing);
    }
    // SARIF's rank (0 to 100) is the finding's confidence in percent.
    if let Some(confidence) = f.confidence_decimal() {
        result["rank"] = json!((confidence * 1000.0).round() / 10.0);
    }
    if let Some(rel) = &f.related {
        result["relatedLocations"] = json!([{
            "id": 1,
            "message": { "text": rel.text },
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&report.path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": rel.start.line, "startColumn": rel.start.column,
                    "endLine": rel.end.line, "endColumn": rel.end.column,
                },
            },
        }]);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./site/ページ 1.html"), "site/%E3%83%9A%E3%83%BC%E3%82%B8%201.html");
        assert_eq!(uri("a\\b.md"), "a/b.md");
    }
}
