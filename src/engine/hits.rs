//! The hits of one automaton pass (and of the regexes it gates), sorted
//! into what each rule needs.

use std::collections::HashSet;
use std::ops::Range;

use super::spans::Spans;
use crate::rules::compile::{Lex, RegexSlot, Role, LEX_COUNT};
use crate::rules::RuleSet;
use crate::text::Document;

/// The hits that belong to one rule.
#[derive(Debug, Default)]
pub struct RuleHits {
    /// Candidate phrases, claims or markers.
    pub main: Vec<Range<usize>>,
    /// `unless` words.
    pub unless: Spans,
    /// `unless_overlapping` words.
    pub unless_overlapping: Spans,
    /// `needs` words.
    pub needs: Spans,
    /// `unless_nearby` words.
    pub unless_nearby: Spans,
    /// Whether a `needs_document` word occurs.
    pub needs_document: bool,
    /// Whether an `unless_document` word occurs.
    pub unless_document: bool,
    /// Benefit claims (evidence-leap).
    pub claims: Spans,
    /// Caveats (evidence-leap).
    pub caveats: Spans,
    /// Triggers (disclosure).
    pub triggers: Spans,
    /// Disclosure elements seen (element index).
    pub elements: Vec<usize>,
}

/// Everything one document's scan found.
#[derive(Debug)]
pub struct Hits {
    /// Per rule, in rule-set order.
    pub rules: Vec<RuleHits>,
    /// Per engine lexicon list.
    pub lexicon: [Spans; LEX_COUNT],
    /// Product alias hits.
    pub products: Spans,
}

impl Hits {
    /// Scans `doc` once and runs the regexes whose anchors hit.
    pub fn collect(doc: &Document, set: &RuleSet) -> Hits {
        let mut hits = Hits {
            rules: set.rules.iter().map(|_| RuleHits::default()).collect(),
            lexicon: Default::default(),
            products: Spans::default(),
        };
        let mut regex_jobs: HashSet<(usize, usize)> = HashSet::new();
        for (range, roles) in set.scan(&doc.text) {
            for &role in roles {
                let r = range.clone();
                match role {
                    Role::Phrase(i) | Role::Marker(i) => hits.rules[i].main.push(r),
                    Role::Unless(i) => hits.rules[i].unless.push(r),
                    Role::UnlessOverlapping(i) => hits.rules[i].unless_overlapping.push(r),
                    Role::Needs(i) => hits.rules[i].needs.push(r),
                    Role::UnlessNearby(i) => hits.rules[i].unless_nearby.push(r),
                    Role::NeedsDocument(i) => hits.rules[i].needs_document = true,
                    Role::UnlessDocument(i) => hits.rules[i].unless_document = true,
                    Role::Claim(i) => hits.rules[i].claims.push(r),
                    Role::Caveat(i) => hits.rules[i].caveats.push(r),
                    Role::Trigger(i) => hits.rules[i].triggers.push(r),
                    Role::Element(i, e) => hits.rules[i].elements.push(e),
                    Role::Lexicon(lex) => hits.lexicon[lex as usize].push(r),
                    Role::Product(_) => hits.products.push(r),
                    Role::Anchor(x) => {
                        regex_jobs.insert((x, doc.sentence_index(range.start)));
                    }
                }
            }
        }
        let mut jobs: Vec<(usize, usize)> = regex_jobs.into_iter().collect();
        jobs.sort_unstable();
        for (x, s) in jobs {
            let compiled = &set.regexes[x];
            let sentence = doc.sentences[s].clone();
            let haystack = &doc.text[sentence.clone()];
            let shift = |r: Range<usize>| sentence.start + r.start..sentence.start + r.end;
            let found: Vec<Range<usize>> = if compiled.span_group {
                compiled
                    .regex()
                    .captures_iter(haystack)
                    .filter_map(|c| c.get_group_by_name("span"))
                    .filter(|m| !m.is_empty())
                    .map(|m| shift(m.range()))
                    .collect()
            } else {
                compiled.regex().find_iter(haystack).filter(|m| !m.is_empty()).map(|m| shift(m.range())).collect()
            };
            let rule = &mut hits.rules[compiled.rule];
            match compiled.slot {
                RegexSlot::Main => rule.main.extend(found),
                RegexSlot::Element(e) => {
                    if !found.is_empty() {
                        rule.elements.push(e);
                    }
                }
            }
        }
        for rule in &mut hits.rules {
            for spans in [
                &mut rule.unless,
                &mut rule.unless_overlapping,
                &mut rule.needs,
                &mut rule.unless_nearby,
                &mut rule.claims,
                &mut rule.caveats,
                &mut rule.triggers,
            ] {
                spans.finish();
            }
        }
        for spans in hits.lexicon.iter_mut().chain([&mut hits.products]) {
            spans.finish();
        }
        hits
    }

    /// Hits of an engine lexicon list.
    pub fn lex(&self, lex: Lex) -> &Spans {
        &self.lexicon[lex as usize]
    }
}
