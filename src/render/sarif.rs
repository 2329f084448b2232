//! SARIF 2.1.0, as GitHub code scanning and other tools read it.
//!
//! The run lists every rule (with its help, basis and category) so that a
//! viewer can show them; each result points at its region with 1-based
//! lines and columns counted in Unicode code points (`columnKind`).

use serde_json::{json, Value};

use crate::lint::{FileReport, Finding};
use crate::rules::{RuleSet, Severity};
use crate::Lang;

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
pub fn write(out: &mut dyn std::io::Write, reports: &[FileReport], set: &RuleSet, lang: Lang) -> std::io::Result<()> {
    let rules: Vec<Value> = set
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.message.get(lang) },
                "help": {
                    "text": format!("{}\n{}: {}", r.help.get(lang), if lang == Lang::Ja { "根拠" } else { "Basis" }, r.basis),
                    "markdown": format!("{}\n\n**{}**: {}", r.help.get(lang), if lang == Lang::Ja { "根拠" } else { "Basis" }, r.basis),
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
    for report in reports {
        let fingerprints = crate::baseline::fingerprints(report, set);
        for (f, fp) in report.findings.iter().zip(fingerprints) {
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            serde_json::to_writer(&mut *out, &result(report, f, &fp.exact, set, lang))?;
        }
    }
    out.write_all(tail.as_bytes())?;
    writeln!(out)
}

/// The SARIF result of one finding.
fn result(report: &FileReport, f: &Finding, fingerprint: &str, set: &RuleSet, lang: Lang) -> Value {
    let rule = &set.rules[f.rule];
    let mut text = format!("「{}」 {}", f.text, rule.message.get(lang));
    if !f.missing.is_empty() {
        text.push_str(&format!(" (missing: {})", f.missing.join(", ")));
    }
    let mut result = json!({
        "ruleId": rule.id,
        "ruleIndex": f.rule,
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
        "partialFingerprints": { "iryolint/v1": fingerprint },
        "properties": { "category": f.category.as_str() },
    });
    if !f.missing.is_empty() {
        result["properties"]["missing"] = json!(f.missing);
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
