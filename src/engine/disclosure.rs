//! Disclosure rules: document-level checks that every required element
//! appears once a trigger (self-paid care, an unapproved product) does.

use super::hits::Hits;
use super::RawFinding;
use crate::rules::RuleSet;
use crate::text::Document;

/// Adds the finding of disclosure rule `r` to `out`, if elements are missing.
pub fn check(doc: &Document, set: &RuleSet, hits: &Hits, r: usize, out: &mut Vec<RawFinding>) {
    let own = &hits.rules[r];
    if !super::phrase::document_applies(set, hits, r) {
        return;
    }
    let trigger_products = set.settings[r].trigger_products;
    let products = hits.products.iter().filter(|_| trigger_products);
    // A trigger that a negation follows in its clause (「未承認医薬品は使用
    // しておりません」) says the page does not use what it names.
    let affirmed = |t: &std::ops::Range<usize>| !super::phrase::is_negated(doc, hits, &doc.sentence_at(t.start), t);
    let Some(first) =
        own.triggers.iter().filter(affirmed).chain(products).min_by_key(|t| (t.start, std::cmp::Reverse(t.end)))
    else {
        return;
    };
    let rule = &set.rules[r];
    // An element is present when some wording of it occurs in a sentence
    // that none of its `unless` words voids (「期間は症状により異なります」
    // states no period).
    let voided = |e: usize, at: &std::ops::Range<usize>| {
        let sentence = doc.sentence_at(at.start);
        own.element_voids.iter().any(|(v, r)| *v == e && sentence.start <= r.start && r.end <= sentence.end)
    };
    let present = |id: &str| own.elements.iter().any(|(e, at)| rule.elements[*e].id == id && !voided(*e, at));
    let missing: Vec<&'static str> = rule
        .category
        .elements()
        .iter()
        .copied()
        .filter(|id| rule.elements.iter().any(|e| e.id == *id) && !present(id))
        .collect();
    if !missing.is_empty() {
        out.push(RawFinding {
            rule: r,
            severity: rule.severity,
            range: first,
            related: None,
            missing,
            confidence: None,
        });
    }
}
