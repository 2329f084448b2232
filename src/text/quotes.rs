//! Where the quotations of a document are: for any position, the
//! innermost 「」, 『』 or “” pair of its sentence that holds it, answered
//! by a binary search instead of a walk over the sentence.
//!
//! Quotes pair up within one sentence as a stack does: a closing mark
//! closes the latest opening mark still open (of any of the three kinds);
//! a closing mark with none open is ignored. Pairs made this way nest, so
//! the positions of a sentence fall into runs that share one innermost
//! pair, and those runs are what is kept. An opening mark left open at the
//! end of its sentence quotes up to the end of the sentence, or, when a
//! later sentence close by, in a block of the same kind, has a closing mark
//! with none open before any mark of its own is left open, up to that mark:
//! a patient's words often run over several lines (「…うれしいの。⏎…快適よ。」).
//! A heading neither opens nor closes such a quotation.

use std::ops::Range;

use super::BlockKind;

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
    /// Quotations over several sentences: from an opening mark left open
    /// to a closing mark of a later sentence (see the module doc), by start.
    spanning: Vec<Range<usize>>,
}

const NONE: u32 = u32::MAX;

/// Most sentences after its own that a quotation left open may close in.
const MAX_SPANNED: usize = 8;

impl Quotes {
    /// Indexes the quotations of every sentence of `text` (sentences in
    /// order, not overlapping; `kinds`, the kind of each one's block).
    pub fn build(text: &str, sentences: &[Range<usize>], kinds: &[BlockKind]) -> Quotes {
        let mut quotes = Quotes::default();
        let mut open: Vec<usize> = Vec::new();
        // Pair boundaries: (position, whether the pair opens there, pair).
        let mut events: Vec<(usize, bool, u32)> = Vec::new();
        // Per sentence: its first closing mark with none open, and its last
        // opening mark left open.
        let mut stray_close: Vec<Option<usize>> = Vec::with_capacity(sentences.len());
        let mut left_open: Vec<Option<usize>> = Vec::with_capacity(sentences.len());
        for sentence in sentences {
            open.clear();
            let mut stray = None;
            let first_pair = quotes.pairs.len();
            for (i, c) in text[sentence.clone()].char_indices() {
                let at = sentence.start + i;
                if OPEN.contains(&c) {
                    open.push(at + c.len_utf8());
                } else if CLOSE.contains(&c) {
                    match open.pop() {
                        Some(start) => quotes.pairs.push(start..at),
                        None => stray = stray.or(Some(at)),
                    }
                }
            }
            stray_close.push(stray);
            left_open.push(open.last().copied());
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
        let kind = |i: usize| kinds.get(i).copied().unwrap_or(BlockKind::Paragraph);
        for (i, start) in left_open.iter().enumerate().filter_map(|(i, o)| o.map(|start| (i, start))) {
            if kind(i) == BlockKind::Heading {
                continue;
            }
            for j in i + 1..sentences.len().min(i + 1 + MAX_SPANNED) {
                if kind(j) != kind(i) {
                    break;
                }
                if let Some(end) = stray_close[j] {
                    quotes.spanning.push(start..end);
                    break;
                }
                if left_open[j].is_some() {
                    break;
                }
            }
        }
        quotes
    }

    /// The quotation over several sentences that holds byte `pos`, if any.
    fn spanning_at(&self, pos: usize) -> Option<Range<usize>> {
        let i = self.spanning.partition_point(|r| r.start <= pos);
        self.spanning.get(i.checked_sub(1)?).filter(|r| pos < r.end).cloned()
    }

    /// The text inside the innermost quotation that holds byte `pos`: a
    /// closed pair of its sentence when one holds it, else a quotation over
    /// several sentences, else the latest unclosed opening mark of
    /// `sentence` before it (up to the end of the sentence).
    pub fn enclosing(&self, sentence: &Range<usize>, pos: usize) -> Option<Range<usize>> {
        let run = self.runs.partition_point(|&(at, _)| at <= pos);
        if let Some(&(_, p)) = run.checked_sub(1).and_then(|i| self.runs.get(i)) {
            if p != NONE {
                return Some(self.pairs[p as usize].clone());
            }
        }
        if let Some(spanning) = self.spanning_at(pos) {
            return Some(spanning);
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
            let quotes = Quotes::build(&doubled, &sentences, &[]);
            for sentence in &sentences {
                // (A quotation over both sentences answers otherwise: below.)
                for pos in sentence.clone().filter(|&p| doubled.is_char_boundary(p) && quotes.spanning_at(p).is_none())
                {
                    assert_eq!(quotes.enclosing(sentence, pos), walk(&doubled, sentence, pos), "{text:?} at {pos}");
                }
            }
        }
    }

    /// The sentences of `text`, each ending after a 。.
    fn sentences_of(text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices().filter(|&(_, c)| c == '。') {
            out.push(start..i + c.len_utf8());
            start = i + c.len_utf8();
        }
        if start < text.len() {
            out.push(start..text.len());
        }
        out
    }

    #[test]
    fn a_quotation_runs_over_sentences_to_a_closing_mark_with_none_open() {
        let text = "こうおっしゃいました。「食べられて、うれしいの。入れ歯も快適よ。」と笑顔でした。";
        let sentences = sentences_of(text);
        let quotes = Quotes::build(text, &sentences, &[]);
        let quoted = text.find('食').unwrap()..text.find('」').unwrap();
        for pos in [text.find("うれしい").unwrap(), text.find("快適").unwrap()] {
            let sentence = sentences.iter().find(|s| s.contains(&pos)).unwrap();
            assert_eq!(quotes.enclosing(sentence, pos), Some(quoted.clone()), "at {pos}");
        }
        let after = text.find("笑顔").unwrap();
        assert_eq!(quotes.enclosing(sentences.last().unwrap(), after), None);
        // A sentence that leaves a mark of its own open before any closing
        // mark, or a closing mark too far on, ends no earlier quotation.
        let text = "「一つ目。「二つ目。三つ目」。";
        let sentences = sentences_of(text);
        let quotes = Quotes::build(text, &sentences, &[]);
        let first = text.find("一つ目").unwrap();
        assert_eq!(quotes.enclosing(&sentences[0], first), Some(first..sentences[0].end));
        let far = format!("「始まり。{}終わり」。", "文。".repeat(MAX_SPANNED));
        let sentences = sentences_of(&far);
        let quotes = Quotes::build(&far, &sentences, &[]);
        assert!(quotes.spanning.is_empty());
    }

    /// A document of `page` (plain text: a line that ends in 。 ends its
    /// block, one that starts with `#` is a heading).
    fn document(page: &str) -> crate::text::Document {
        let text = crate::extract::read_with(page, crate::extract::InputFormat::Text, None).text;
        crate::text::Document::build_with_limit(text, page, crate::text::MAX_SENTENCE_CHARS)
    }

    #[test]
    fn in_a_document_a_quotation_runs_over_lines_but_not_into_or_out_of_a_heading() {
        let doc =
            document("こうおっしゃいました。\n「先生、食べられて、うれしいの。\n入れ歯も快適よ。」\n\n笑顔でした。\n");
        let at = doc.text.find("快適").unwrap();
        let sentence = doc.sentence_at(at);
        assert!(!doc.text[sentence.clone()].contains('「'), "the quotation opens in an earlier sentence");
        let quote = doc.enclosing_quote(&sentence, at).expect("inside the quotation");
        assert_eq!(&doc.text[quote], "先生、食べられて、うれしいの。\n入れ歯も快適よ。");
        let doc = document("# 「ハイフについて\n\n当院のハイフでたるみが改善しました。\n\nよくある質問」はこちら。\n");
        let at = doc.text.find("改善").unwrap();
        assert_eq!(doc.enclosing_quote(&doc.sentence_at(at), at), None, "a heading opens no quotation");
        let doc = document("「当院のハイフでたるみが改善しました。\n\n# よくある質問」\n");
        let at = doc.text.find("改善").unwrap();
        let quote = doc.enclosing_quote(&doc.sentence_at(at), at).unwrap();
        assert!(!doc.text[quote].contains("よくある"), "a heading closes none");
    }
}
