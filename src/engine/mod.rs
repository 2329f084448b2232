//! Checking a document against a compiled rule set.
//!
//! [`check_all`] runs the rules: one automaton pass collects every literal
//! hit ([`hits::Hits`]), regexes run only on sentences where one of their
//! anchors hit, and then each rule kind turns hits into findings:
//! [`phrase`] (phrase and claim rules), [`evidence`] (evidence-leap) and
//! [`disclosure`]. Spans are widened to whole words ([`snap`]), one
//! finding is kept per span (the most specific), the learned rule
//! ([`learned`]) reports the sentences none of them covers that its claim
//! model reads as claims, and the result is sorted by position.
//! [`likely::judge`] then gives each span finding its confidence and says
//! which the run drops: those the precision model finds unlikely or that
//! are less sure than the run's `--min-confidence`, unless the rule set
//! keeps them; [`crate::lint`] lets inline suppressions meet every finding
//! before the drop.

mod disclosure;
mod evidence;
mod grammar;
mod hits;
pub mod learned;
pub mod likely;
mod phrase;
pub(crate) mod snap;
mod spans;
mod voice;
pub mod weights;

use std::ops::Range;

use std::collections::BTreeMap;

use crate::rules::{Category, Kind, RuleSet, Severity};
use crate::text::Document;

/// A finding, with ranges into the normalized [`Document::text`].
#[derive(Clone, Debug, PartialEq)]
pub struct RawFinding {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// The severity after hedging adjustments.
    pub severity: Severity,
    /// The span in the normalized text.
    pub range: Range<usize>,
    /// A second span (the claim that an evidence leap rests on).
    pub related: Option<Range<usize>>,
    /// Missing disclosure element ids (disclosure rules only).
    pub missing: Vec<&'static str>,
    /// The learned rule's findings: the claim model's confidence
    /// ([`learned::Model::confidence`]); [`likely::judge`] gives the other
    /// span findings theirs.
    pub confidence: Option<f32>,
}

/// Every finding the rules keep, then the learned rule's on the sentences
/// none of them covers ([`learned`]); [`likely::judge`] then says which
/// the run drops. Note that the model judges what this kept: where two
/// findings of different categories share a span, the less specific one
/// was already merged away and is not shown when the model drops the
/// other. Under a selection that runs rules it does not
/// report ([`RuleSet::reported`]), those rules' findings decide what is
/// covered and are then left out.
pub fn check_all(doc: &Document, set: &RuleSet) -> Vec<RawFinding> {
    let (findings, learned_rule) = rule_findings(doc, set);
    let learned_reported = learned_rule.as_ref().is_some_and(|&(r, _)| set.reports(r));
    let (coverage, mut kept) = match &set.reported {
        None => (None, one_per_span(set, findings)),
        Some(_) => {
            let reported = findings.iter().filter(|f| set.reports(f.rule)).cloned().collect();
            let coverage = learned_reported.then(|| one_per_span(set, findings));
            (coverage, one_per_span(set, reported))
        }
    };
    if let Some((r, vetoes)) = learned_rule.filter(|_| learned_reported) {
        let mut learned = Vec::new();
        learned::check(doc, set, r, coverage.as_ref().unwrap_or(&kept), &vetoes, &mut learned);
        if !learned.is_empty() {
            kept.extend(learned);
            kept.sort_by_key(|f| (f.range.start, f.range.end, f.rule));
        }
    }
    kept
}

/// The findings of every rule but the learned one, spans widened to whole
/// words, not yet merged; and the learned rule with its vetoes
/// ([`phrase::learned_vetoes`]) when the page is one it reads.
fn rule_findings(doc: &Document, set: &RuleSet) -> (Vec<RawFinding>, Option<(usize, Vec<usize>)>) {
    let hits = hits::Hits::collect(doc, set);
    let mut findings = Vec::new();
    // By the kind in the settings: a rule is read (for the embedded pack,
    // decoded) only once it has candidates.
    let mut learned_rule = None;
    for (r, settings) in set.settings.iter().enumerate() {
        match settings.kind {
            Kind::Phrase | Kind::Claim => phrase::check(doc, set, &hits, r, &mut findings),
            Kind::EvidenceLeap => evidence::check(doc, set, &hits, r, &mut findings),
            Kind::Disclosure => disclosure::check(doc, set, &hits, r, &mut findings),
            Kind::Learned => {
                learned_rule = Some(r)
                    .filter(|&r| phrase::learned_rule_applies(set, &hits, r))
                    .map(|r| (r, phrase::learned_vetoes(&hits)))
            }
        }
    }
    // The hits of a long document are its largest item: not held while the
    // findings are sorted and merged (a page's, emptied, serve the next page).
    hits.recycle();
    for f in &mut findings {
        if f.missing.is_empty() {
            f.range = snap::to_words(&doc.text, f.range.clone(), |at| doc.adjacent_in_source(at));
        }
    }
    (findings, learned_rule)
}

/// The sentences the learned rule of `set` reads on `doc` (none when the
/// set has no learned rule or does not report it, or when the page
/// advertises no care), each with whether a finding of the other rules
/// covers it: the examples `iryolint features` gives the training script.
pub fn learned_sentences(doc: &Document, set: &RuleSet) -> Vec<(Range<usize>, bool)> {
    let (findings, learned_rule) = rule_findings(doc, set);
    match learned_rule {
        Some((r, vetoes)) if set.reports(r) => learned::sentences(doc, &one_per_span(set, findings), &vetoes),
        _ => Vec::new(),
    }
}

/// Keeps one finding per span. Of findings of one category, one that lies
/// inside another is dropped (the same claim, found twice); of findings of
/// different categories, one that shares more than half of its length with
/// a more specific one is dropped (one claim, one label). Findings on other
/// spans are never hidden, even where they overlap. Among equals the most
/// severe, then the longest, then the first rule wins. Document-level
/// findings are never merged.
fn one_per_span(set: &RuleSet, mut findings: Vec<RawFinding>) -> Vec<RawFinding> {
    let category = |f: &RawFinding| set.rules[f.rule].category;
    findings.sort_by_key(|f| {
        (
            std::cmp::Reverse(category(f).specificity()),
            std::cmp::Reverse(f.severity),
            std::cmp::Reverse(f.range.len()),
            f.rule,
            f.range.start,
        )
    });
    // Kept spans sorted by start; the longest kept span bounds how far back
    // a clash can start, so each check is a short range query.
    let mut kept_spans: BTreeMap<(usize, usize), Category> = BTreeMap::new();
    let mut longest = 0usize;
    let mut kept: Vec<RawFinding> = Vec::with_capacity(findings.len());
    for f in findings {
        if f.missing.is_empty() {
            let (start, end) = (f.range.start, f.range.end);
            let lo = start.saturating_sub(longest);
            let clash = kept_spans.range((lo, 0)..(end, 0)).any(|(&(ks, ke), &kc)| {
                let shared = ke.min(end).saturating_sub(ks.max(start));
                if kc == category(&f) {
                    ks <= start && end <= ke
                } else {
                    shared * 2 > end - start
                }
            });
            if clash {
                continue;
            }
            kept_spans.insert((start, end), category(&f));
            longest = longest.max(end - start);
        }
        kept.push(f);
    }
    kept.sort_by_key(|f| (f.range.start, f.range.end, f.rule));
    kept
}

/// True when the two ranges share a byte.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}
