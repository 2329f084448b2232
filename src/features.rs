//! `iryolint features`: what the two models read, for
//! `scripts/train-models.py`: the precision model each span finding of the
//! rules (see [`crate::engine::likely`]), the claim model each sentence the
//! learned rule reads (see [`crate::engine::learned`]).
//!
//! Each plain-text file is checked with every finding the rules keep (the
//! precision model's filter off). Each span finding but the learned rule's
//! is written as one JSON line: its path, rule, category, byte offsets in
//! the file, the embedded precision model's probability and its features.
//! Then each sentence the learned rule reads is written as one line with
//! `"sentence": true`: its path, byte offsets, whether another rule's
//! finding covers it, the embedded claim model's probability and its
//! features.

use std::io::Write;
use std::path::PathBuf;

use crate::engine::{check_all, learned, learned_sentences, likely};
use crate::extract::InputFormat;
use crate::lint::build_document;
use crate::rules::RuleSet;

/// Writes the lines of every file of `paths` (UTF-8 text) to `out`. A file
/// that cannot be read is reported on standard error (one line naming it)
/// and skipped; the second value says whether every file was read.
pub fn write(paths: &[PathBuf], set: &RuleSet, out: &mut dyn Write) -> (std::io::Result<()>, bool) {
    let model = likely::Model::embedded();
    let claims = learned::Model::embedded();
    let mut all_read = true;
    for path in paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                crate::diag::error(&format!("{}: {}", path.display(), crate::walk::io_message(&e)));
                all_read = false;
                continue;
            }
        };
        let (doc, _) = build_document(&text, InputFormat::Text, None, crate::text::MAX_SENTENCE_CHARS);
        let findings = check_all(&doc, set);
        for f in findings.iter().filter(|f| f.missing.is_empty() && !learned::is_learned(set, f.rule)) {
            let features = likely::features(&doc, set, f);
            let source = doc.source_range(&text, f.range.clone());
            let line = serde_json::json!({
                "path": path.display().to_string(),
                "rule": set.rules[f.rule].id,
                "category": set.rules[f.rule].category.as_str(),
                "start": source.start,
                "end": source.end,
                "probability": model.map(|m| m.probability(&features)),
                "features": features,
            });
            if let Err(e) = writeln!(out, "{line}") {
                return (Err(e), all_read);
            }
        }
        for (span, covered) in learned_sentences(&doc, set) {
            let features = learned::features(&doc, &span);
            let source = doc.source_range(&text, span);
            let line = serde_json::json!({
                "path": path.display().to_string(),
                "sentence": true,
                "covered": covered,
                "start": source.start,
                "end": source.end,
                "probability": claims.map(|m| m.probability(&features)),
                "features": features,
            });
            if let Err(e) = writeln!(out, "{line}") {
                return (Err(e), all_read);
            }
        }
    }
    (Ok(()), all_read)
}
