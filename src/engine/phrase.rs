//! Phrase and claim rules.
//!
//! A candidate (a literal hit or a gated regex match) survives when:
//! no `unless` word is in its sentence, it overlaps no `unless_overlapping`
//! word, a `needs` word (if any) is in its sentence, no negation follows it
//! closely in the same clause (when the rule is negatable), and it is not a
//! quotation inside a sentence that talks about wording. Claim rules also
//! need a page that advertises care, and drop candidates inside a caveat;
//! a hedge in the sentence lowers their severity.

use std::ops::Range;

use super::hits::Hits;
use super::RawFinding;
use crate::rules::compile::Lex;
use crate::rules::{Kind, RuleSet};
use crate::text::Document;

/// How far (in bytes of normalized text) after a claim a negation may
/// start and still negate it: about a dozen Japanese characters.
const NEGATION_REACH: usize = 36;

/// Adds the findings of phrase or claim rule `r` to `out`.
pub fn check(doc: &Document, set: &RuleSet, hits: &Hits, r: usize, out: &mut Vec<RawFinding>) {
    let rule = &set.rules[r];
    let settings = &set.settings[r];
    let own = &hits.rules[r];
    if own.main.is_empty()
        || !document_applies(set, hits, r)
        || (rule.kind == Kind::Claim && hits.lex(Lex::Treatment).is_empty() && hits.products.is_empty())
    {
        return;
    }
    for candidate in leftmost_longest(&own.main) {
        let sentence = doc.sentence_at(candidate.start);
        if !candidate_kept(doc, set, hits, r, &candidate, &sentence)
            || (settings.negatable && is_negated(doc, hits, &sentence, &candidate))
            || (rule.kind == Kind::Claim && hits.lex(Lex::Caveat).any_overlapping(&candidate))
        {
            continue;
        }
        let hedged = settings.hedge_lowers && hits.lex(Lex::Hedge).any_within(&sentence);
        let severity = if hedged { rule.severity.lowered() } else { rule.severity };
        out.push(RawFinding { rule: r, severity, range: candidate, related: None, missing: Vec::new() });
    }
}

/// Whether rule `r` applies to this document at all: a `needs_document`
/// word (if the rule has any) occurs and no `unless_document` word does.
pub fn document_applies(set: &RuleSet, hits: &Hits, r: usize) -> bool {
    let own = &hits.rules[r];
    (!set.settings[r].has_needs_document || own.needs_document) && !own.unless_document
}

/// The conditions every kind of candidate must meet: no `unless` word in
/// its sentence, no `unless_overlapping` word over it, no `unless_nearby`
/// word within reach, a `needs` word in its sentence (if the rule has
/// any), a block of an allowed kind, and not a quotation in a sentence
/// about wording.
pub fn candidate_kept(
    doc: &Document,
    set: &RuleSet,
    hits: &Hits,
    r: usize,
    candidate: &Range<usize>,
    sentence: &Range<usize>,
) -> bool {
    let own = &hits.rules[r];
    let settings = &set.settings[r];
    let blocks = &set.rules[r].blocks;
    let nearby = || {
        let window = doc.char_window(candidate, settings.nearby_chars);
        own.unless_nearby.any_within(&window)
    };
    !own.unless.any_within(sentence)
        && !own.unless_overlapping.any_overlapping(candidate)
        && (!settings.has_needs || own.needs.any_within(sentence))
        && (blocks.is_empty() || blocks.iter().any(|b| b.matches(doc.block_kind_at(candidate.start))))
        && (own.unless_nearby.is_empty() || !nearby())
        && !is_quoted_mention(doc, hits, sentence, candidate)
}

/// Resolves overlapping candidates of one rule: the leftmost wins, and of
/// those starting together, the longest.
pub fn leftmost_longest(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        if kept.last().is_none_or(|k| r.start >= k.end) {
            kept.push(r);
        }
    }
    kept
}

/// A negation (`わけではありません`, `とは限りません`…) that starts shortly
/// after the candidate, in the same sentence and clause.
fn is_negated(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    hits.lex(Lex::Negation).within(&(candidate.end..sentence.end)).any(|n| {
        n.start - candidate.end <= NEGATION_REACH && !doc.text[candidate.end..n.start].contains(['、', '。', ','])
    })
}

/// A candidate inside 「」 or 『』 in a sentence that talks about wording
/// (「『絶対治る』とは表現できません」) is a mention, not a claim.
pub fn is_quoted_mention(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    let mut depth = 0i32;
    for c in doc.text[sentence.start..candidate.start].chars() {
        match c {
            '「' | '『' | '“' => depth += 1,
            '」' | '』' | '”' => depth -= 1,
            _ => {}
        }
    }
    depth > 0 && hits.lex(Lex::Mention).any_within(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftmost_longest_prefers_the_longer_of_equal_starts() {
        assert_eq!(leftmost_longest(&[3..6, 0..3, 0..6, 5..9, 9..10]), [0..6, 9..10]);
    }
}
