//! Findings as LSP diagnostics.

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
};

use super::convert::Encoding;
use super::document::Document;
use super::workspace::Loaded;
use crate::lint::Finding;
use crate::rules::Severity;
use crate::Lang;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "iryolint";

/// The diagnostic of `finding` in `doc`: its range, severity, rule id as
/// `code`, the rule's message (with the missing disclosure elements, or
/// the span finding's confidence in percent) and,
/// for an evidence leap, the claim it rests on as related information.
pub fn of_finding(finding: &Finding, doc: &Document, rules: &Loaded, enc: Encoding) -> Diagnostic {
    let rule = &rules.set.rules[finding.rule];
    let lang = rules.lang;
    let mut message = rule.message.get(lang).to_string();
    if !finding.missing.is_empty() {
        let label = if lang == Lang::Ja { "不足" } else { "missing" };
        message.push_str(&format!(" ({label}: {})", finding.missing.join(", ")));
    }
    message.push_str(&crate::messages::confidence_suffix(finding, lang));
    let related = finding.related.as_ref().map(|r| {
        let label = if lang == Lang::Ja { "ヒトへの効果の主張" } else { "claim of benefit for people" };
        vec![DiagnosticRelatedInformation {
            location: Location {
                uri: doc.uri.clone(),
                range: doc.lines.range(&doc.text, r.start.offset, r.end.offset, enc),
            },
            message: format!("{label}: 「{}」", r.text),
        }]
    });
    Diagnostic {
        range: doc.lines.range(&doc.text, finding.start.offset, finding.end.offset, enc),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(rule.id.clone())),
        source: Some(SOURCE.to_string()),
        message,
        related_information: related,
        ..Diagnostic::default()
    }
}

/// A diagnostic at the start of a document that could not be checked
/// because its config or rule files are broken.
pub fn of_config_error(message: &str) -> Diagnostic {
    Diagnostic {
        range: Range { start: Position::default(), end: Position::default() },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".to_string())),
        source: Some(SOURCE.to_string()),
        message: format!("not checked: {message}"),
        ..Diagnostic::default()
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
