//! Evidence-leap rules: a preclinical marker (マウス, in vitro…) near a
//! claim of benefit for people, with no caveat that human efficacy is
//! unproven. The finding points at the marker; the claim is its second
//! label.

use super::hits::Hits;
use super::phrase::{candidate_kept, document_applies, leftmost_longest};
use super::{overlaps, RawFinding};
use crate::rules::compile::Near;
use crate::rules::RuleSet;
use crate::text::Document;

/// Adds the findings of evidence-leap rule `r` to `out`.
pub fn check(doc: &Document, set: &RuleSet, hits: &Hits, r: usize, out: &mut Vec<RawFinding>) {
    let own = &hits.rules[r];
    if own.main.is_empty() || own.claims.is_empty() || !document_applies(set, hits, r) {
        return;
    }
    for marker in leftmost_longest(&own.main) {
        let sentence = doc.sentence_at(marker.start);
        if !candidate_kept(doc, set, hits, r, &marker, &sentence) {
            continue;
        }
        let window = match set.settings[r].near {
            Near::Sentence => sentence.clone(),
            Near::Paragraph => doc.block_at(marker.start),
            Near::Chars(n) => doc.char_window(&marker, n),
        };
        if own.caveats.any_within(&window) {
            continue;
        }
        let claim =
            own.claims.within(&window).filter(|c| !overlaps(c, &marker)).min_by_key(|c| c.start.abs_diff(marker.start));
        if let Some(claim) = claim {
            out.push(RawFinding {
                rule: r,
                severity: set.rules[r].severity,
                range: marker.clone(),
                related: Some(claim),
                missing: Vec::new(),
                confidence: None,
            });
        }
    }
}
