//! Evidence-leap rules: a preclinical marker (マウス, in vitro…) near a
//! claim of benefit for people, with no caveat that human efficacy is
//! unproven. The finding points at the marker; the claim is its second
//! label.

use std::ops::Range;

use super::hits::Hits;
use super::phrase::{is_quoted_mention, leftmost_longest};
use super::{overlaps, RawFinding};
use crate::rules::compile::Near;
use crate::rules::RuleSet;
use crate::text::Document;

/// Adds the findings of evidence-leap rule `r` to `out`.
pub fn check(doc: &Document, set: &RuleSet, hits: &Hits, r: usize, out: &mut Vec<RawFinding>) {
    let own = &hits.rules[r];
    if own.main.is_empty() || own.claims.is_empty() {
        return;
    }
    for marker in leftmost_longest(&own.main) {
        let sentence = doc.sentence_at(marker.start);
        let in_sentence = |x: &Range<usize>| x.start >= sentence.start && x.end <= sentence.end;
        if own.unless.iter().any(in_sentence)
            || own.unless_overlapping.iter().any(|u| overlaps(u, &marker))
            || is_quoted_mention(doc, hits, &sentence, &marker)
        {
            continue;
        }
        let window = match set.settings[r].near {
            Near::Sentence => sentence.clone(),
            Near::Paragraph => doc.block_at(marker.start),
            Near::Chars(n) => char_window(&doc.text, &marker, n),
        };
        let inside = |x: &&Range<usize>| x.start >= window.start && x.end <= window.end;
        if own.caveats.iter().any(|c| inside(&c)) {
            continue;
        }
        let claim = own
            .claims
            .iter()
            .filter(inside)
            .filter(|c| !overlaps(c, &marker))
            .min_by_key(|c| c.start.abs_diff(marker.start));
        if let Some(claim) = claim {
            out.push(RawFinding {
                rule: r,
                severity: set.rules[r].severity,
                range: marker.clone(),
                related: Some(claim.clone()),
                missing: Vec::new(),
            });
        }
    }
}

/// The range reaching `n` characters either side of `range`, within its
/// line of the normalized text.
fn char_window(text: &str, range: &Range<usize>, n: usize) -> Range<usize> {
    let before = &text[..range.start];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c != '\n')
        .take(n)
        .last()
        .map_or(range.start, |(i, _)| i);
    let after = &text[range.end..];
    let end = range.end
        + after
            .char_indices()
            .take_while(|&(_, c)| c != '\n')
            .take(n)
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_window_counts_characters_and_stops_at_blocks() {
        let text = "前\nあいうマウスえおか\n後";
        let at = text.find("マウス").unwrap();
        let w = char_window(text, &(at..at + "マウス".len()), 2);
        assert_eq!(&text[w], "いうマウスえお");
        let w = char_window(text, &(at..at + "マウス".len()), 20);
        assert_eq!(&text[w], "あいうマウスえおか");
    }
}
