//! Literal gates for regexes: sets of literals of which every match of a
//! regex must hold one.
//!
//! A regex runs only on sentences where one of its anchors occurs; most of
//! those sentences cannot match (`今なら` without any price or gift word
//! after it). Each part of a regex's top-level concatenation that starts
//! with a finite set of literals (`(?:円|%|無料…)`), and the set every
//! match ends with, is a *gate*: the automaton's one scan finds their
//! occurrences too, and a regex runs only on a sentence where every gate
//! has one. This skips work, never a match: a sentence where a gate has no
//! occurrence holds no match of the regex.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, HirKind};

use crate::text::normalize::fold_str;

/// Most literals in one gate: a longer list costs the scan more than it
/// saves.
const MAX_GATE_LITERALS: usize = 64;

/// Shortest literal (in bytes) worth a gate: one ASCII digit or letter
/// occurs everywhere.
const MIN_LITERAL_BYTES: usize = 3;

/// Longest literal of kana and marks alone (が, の, ます, って) that is still
/// too common to gate on: it occurs in nearly every sentence, so it skips
/// no work, and its hits cost every scan (one hit a particle, once per
/// gate that holds it).
const COMMON_KANA_CHARS: usize = 2;

/// Most gates per regex.
const MAX_GATES: usize = 4;

/// The gates of `pattern`, each a set of literals that are their own
/// folded form (the automaton folds its literals, so a literal that folding
/// would change could not stand for itself). Empty when the pattern does
/// not parse or has no usable gate.
pub fn required_literal_sets(pattern: &str) -> Vec<Vec<String>> {
    let Ok(hir) = regex_automata::util::syntax::parse(pattern) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    concatenation_parts(&hir, &mut parts);
    let prefix = Extractor::new();
    let mut suffix = Extractor::new();
    suffix.kind(ExtractKind::Suffix);
    let mut gates: Vec<Vec<String>> = Vec::new();
    let seqs = parts.iter().map(|part| prefix.extract(part)).chain(std::iter::once(suffix.extract(&hir)));
    for seq in seqs {
        if let Some(mut gate) = usable(&seq) {
            gate.sort();
            gate.dedup();
            if !gates.contains(&gate) {
                gates.push(gate);
            }
        }
    }
    // The most selective gates first: fewer and longer literals occur less.
    gates.sort_by_key(|g| (g.len(), std::cmp::Reverse(g.iter().map(String::len).min().unwrap_or(0))));
    gates.truncate(MAX_GATES);
    gates
}

/// The parts every match of `hir` passes through in order: the items of
/// a concatenation, looking through capture groups.
fn concatenation_parts<'a>(hir: &'a Hir, out: &mut Vec<&'a Hir>) {
    match hir.kind() {
        HirKind::Concat(items) => items.iter().for_each(|h| concatenation_parts(h, out)),
        HirKind::Capture(capture) => concatenation_parts(&capture.sub, out),
        _ => out.push(hir),
    }
}

/// The literals of a finite sequence, when each is long enough, valid
/// UTF-8 and unchanged by folding.
fn usable(seq: &Seq) -> Option<Vec<String>> {
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_GATE_LITERALS {
        return None;
    }
    literals
        .iter()
        .map(|lit| {
            let s = std::str::from_utf8(lit.as_bytes()).ok()?;
            (s.len() >= MIN_LITERAL_BYTES && fold_str(s) == s && !too_common(s)).then(|| s.to_string())
        })
        .collect()
}

/// Whether a literal is a particle, an ending or a mark (が, ます, 、, ー):
/// kana and punctuation alone, at most [`COMMON_KANA_CHARS`] long.
fn too_common(s: &str) -> bool {
    let kana_or_mark = |c: char| ('\u{3001}'..='\u{30FF}').contains(&c) && !('\u{30A1}'..='\u{30FA}').contains(&c);
    s.chars().count() <= COMMON_KANA_CHARS && s.chars().all(kana_or_mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_come_from_literal_parts_and_the_suffix() {
        let gates = required_literal_sets("(?:今なら|今だけ)[^。]{0,40}?(?:円|無料)");
        assert!(gates.contains(&vec!["今だけ".to_string(), "今なら".to_string()]), "{gates:?}");
        assert!(gates.contains(&vec!["円".to_string(), "無料".to_string()]), "{gates:?}");
    }

    #[test]
    fn parts_that_may_be_empty_or_unbounded_are_no_gates() {
        assert!(required_literal_sets("(?:様)?[^。]{0,4}").is_empty());
        assert!(required_literal_sets(r"\d+\s*回").iter().all(|g| g == &vec!["回".to_string()]));
        // A single ASCII digit is too common to gate on; folding changes
        // upper-case letters.
        assert!(required_literal_sets("[0-9]%").is_empty());
        assert!(required_literal_sets("ABC").is_empty());
        // A particle or an ending is in nearly every sentence.
        assert!(required_literal_sets("(?:が|も)[^。]{0,4}治る").iter().all(|g| g == &vec!["治る".to_string()]));
        assert!(required_literal_sets("(?:ます|です)").is_empty());
        assert_eq!(required_literal_sets("(?:円|回)"), [["円".to_string(), "回".to_string()]]);
    }

    #[test]
    fn a_capture_group_is_looked_through() {
        let gates = required_literal_sets("前に(?P<span>当院[^。]{0,9}治る)");
        assert!(gates.contains(&vec!["当院".to_string()]), "{gates:?}");
        assert!(gates.contains(&vec!["治る".to_string()]), "{gates:?}");
    }
}
