//! Checking a document against a compiled rule set.
//!
//! [`check`] is the single entry point: one automaton pass collects every
//! literal hit ([`hits::Hits`]), regexes run only on sentences where one of
//! their anchors hit, and then each rule kind turns hits into findings:
//! [`phrase`] (phrase and claim rules), [`evidence`] (evidence-leap) and
//! [`disclosure`]. Findings of one category that overlap are merged, and
//! the result is sorted by position.

mod disclosure;
mod evidence;
mod hits;
mod phrase;
mod spans;

use std::ops::Range;

use std::collections::BTreeMap;

use crate::rules::{Category, Kind, RuleSet, Severity};
use crate::text::Document;

/// A finding, with ranges into the normalized [`Document::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
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
}

/// Runs every rule of `set` over `doc`.
pub fn check(doc: &Document, set: &RuleSet) -> Vec<RawFinding> {
    let hits = hits::Hits::collect(doc, set);
    let mut findings = Vec::new();
    for (r, rule) in set.rules.iter().enumerate() {
        match rule.kind {
            Kind::Phrase | Kind::Claim => phrase::check(doc, set, &hits, r, &mut findings),
            Kind::EvidenceLeap => evidence::check(doc, set, &hits, r, &mut findings),
            Kind::Disclosure => disclosure::check(set, &hits, r, &mut findings),
        }
    }
    merge_overlapping(set, findings)
}

/// Keeps one finding where findings of the same category overlap: the most
/// severe, then the longest, then the first rule. Document-level findings
/// are never merged.
fn merge_overlapping(set: &RuleSet, mut findings: Vec<RawFinding>) -> Vec<RawFinding> {
    findings.sort_by_key(|f| (std::cmp::Reverse(f.severity), std::cmp::Reverse(f.range.len()), f.rule, f.range.start));
    // Kept spans per category, start -> end; they never overlap each other,
    // so only the last one starting before a candidate's end can clash.
    let mut kept_by_category: BTreeMap<Category, BTreeMap<usize, usize>> = BTreeMap::new();
    let mut kept: Vec<RawFinding> = Vec::with_capacity(findings.len());
    for f in findings {
        if f.missing.is_empty() {
            let spans = kept_by_category.entry(set.rules[f.rule].category).or_default();
            let clash = spans.range(..f.range.end).next_back().is_some_and(|(_, &end)| end > f.range.start);
            if clash {
                continue;
            }
            spans.insert(f.range.start, f.range.end);
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
