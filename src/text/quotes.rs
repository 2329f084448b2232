//! Where the quotations of a document are: for any position, the
//! innermost 「」, 『』 or “” pair of its sentence that holds it, answered
//! by a binary search instead of a walk over the sentence.
//!
//! Quotes pair up within one sentence as a stack does: a closing mark
//! closes the latest opening mark still open (of any of the three kinds);
//! a closing mark with none open is ignored. Pairs made this way nest, so
//! the positions of a sentence fall into runs that share one innermost
//! pair, and those runs are what is kept. An opening mark left open at the
//! end of its sentence quotes up to the end of the sentence.

use std::ops::Range;

const OPEN: [char; 3] = ['「', '『', '“'];
const CLOSE: [char; 3] = ['」', '』', '”'];

/// The quotation index of one document.
#[derive(Debug, Default)]
pub struct Quotes {
    /// Runs of positions with the same innermost closed pair, by start:
    /// `(run start, index into pairs or NONE)`. A run lasts until the next.
    runs: Vec<(usize, u32)>,
    /// Closed pairs: the text between the marks.
    pairs: Vec<Range<usize>>,
    /// Opening marks left open at the end of their sentence: (where the
    /// quoted text starts, end of the sentence), by start.
    unclosed: Vec<(usize, usize)>,
}

const NONE: u32 = u32::MAX;

impl Quotes {
    /// Indexes the quotations of every sentence of `text` (sentences in
    /// order, not overlapping).
    pub fn build(text: &str, sentences: &[Range<usize>]) -> Quotes {
        let mut quotes = Quotes::default();
        let mut open: Vec<usize> = Vec::new();
        // Pair boundaries: (position, whether the pair opens there, pair).
        let mut events: Vec<(usize, bool, u32)> = Vec::new();
        for sentence in sentences {
            open.clear();
            let first_pair = quotes.pairs.len();
            for (i, c) in text[sentence.clone()].char_indices() {
                let at = sentence.start + i;
                if OPEN.contains(&c) {
                    open.push(at + c.len_utf8());
                } else if CLOSE.contains(&c) {
                    if let Some(start) = open.pop() {
                        quotes.pairs.push(start..at);
                    }
                }
            }
            quotes.unclosed.extend(open.iter().map(|&start| (start, sentence.end)));
            // Pairs nest: sorted by start (outer first on a tie, which
            // cannot happen as marks differ), a sweep with a stack of the
            // pairs still open gives the innermost pair of every run.
            let mut order: Vec<u32> = (first_pair as u32..quotes.pairs.len() as u32).collect();
            order.sort_unstable_by_key(|&p| quotes.pairs[p as usize].start);
            events.clear();
            for p in order {
                let r = &quotes.pairs[p as usize];
                if r.is_empty() {
                    continue; // 「」 holds no position
                }
                events.push((r.start, true, p));
                events.push((r.end, false, p));
            }
            // Ends before starts at the same position: a pair holds
            // `start <= pos < end`.
            events.sort_by_key(|&(at, opens, _)| (at, opens));
            let mut stack: Vec<u32> = Vec::new();
            for &(at, opens, p) in &events {
                if opens {
                    stack.push(p);
                } else if stack.last() == Some(&p) {
                    // Nested pairs close innermost first.
                    stack.pop();
                } else {
                    stack.retain(|&q| q != p);
                }
                let innermost = stack.last().copied().unwrap_or(NONE);
                match quotes.runs.last_mut() {
                    Some(last) if last.0 == at => last.1 = innermost,
                    _ => quotes.runs.push((at, innermost)),
                }
            }
        }
        quotes
    }

    /// The text inside the innermost quotation of its sentence that holds
    /// byte `pos`: a closed pair when one holds it, else the latest
    /// unclosed opening mark of `sentence` before it (up to the end of the
    /// sentence).
    pub fn enclosing(&self, sentence: &Range<usize>, pos: usize) -> Option<Range<usize>> {
        let run = self.runs.partition_point(|&(at, _)| at <= pos);
        if let Some(&(_, p)) = run.checked_sub(1).and_then(|i| self.runs.get(i)) {
            if p != NONE {
                return Some(self.pairs[p as usize].clone());
            }
        }
        let i = self.unclosed.partition_point(|&(start, _)| start <= pos);
        let &(start, end) = self.unclosed.get(i.checked_sub(1)?)?;
        (start >= sentence.start && end == sentence.end).then_some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk over the sentence that the index replaces.
    fn walk(text: &str, sentence: &Range<usize>, pos: usize) -> Option<Range<usize>> {
        let mut open: Vec<usize> = Vec::new();
        for (i, c) in text[sentence.clone()].char_indices() {
            let at = sentence.start + i;
            if OPEN.contains(&c) {
                open.push(at + c.len_utf8());
            } else if CLOSE.contains(&c) {
                if let Some(start) = open.pop() {
                    if start <= pos && pos < at {
                        return Some(start..at);
                    }
                }
            }
        }
        open.into_iter().rev().find(|&start| start <= pos).map(|start| start..sentence.end)
    }

    #[test]
    fn answers_as_the_walk_over_the_sentence_does() {
        let cases = [
            "「治る」と『必ず「効く」』",
            "」「a「b」c",
            "「「「x",
            "a「b」c「d『e”f」g",
            "“x”「」『』",
            "なし",
            "「a」b「c",
        ];
        for text in cases {
            // Two sentences of the same text, to check they stay apart.
            let doubled = format!("{text}{text}");
            let sentences = [0..text.len(), text.len()..doubled.len()];
            let quotes = Quotes::build(&doubled, &sentences);
            for sentence in &sentences {
                for pos in sentence.clone().filter(|&p| doubled.is_char_boundary(p)) {
                    assert_eq!(quotes.enclosing(sentence, pos), walk(&doubled, sentence, pos), "{text:?} at {pos}");
                }
            }
        }
    }
}
