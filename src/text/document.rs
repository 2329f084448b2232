//! The normalized document that rules are matched against.

use std::ops::Range;
use std::sync::OnceLock;

use super::map::{OriginMap, VisibleMap};
use super::normalize::fold_into;
use super::quotes::Quotes;
use super::{BlockKind, Extracted};

/// The longest sentence the engine considers, in characters (about 6 KB of
/// Japanese): a longer run of text without a sentence end is cut into
/// sentences of this length. No sentence of real copy comes near it (a
/// long one has 200 characters); the bound keeps the work per candidate,
/// which looks at the candidate's sentence and clause, from growing with
/// the length of a page written without 。. Raise it with
/// [`Document::build_with_limit`].
pub const MAX_SENTENCE_CHARS: usize = 2_000;

/// The normalized, segmented text of one input, with its map to the source.
#[derive(Debug)]
pub struct Document {
    /// Normalized text: every block folded, blocks joined by `\n`.
    pub text: String,
    /// For every byte of `text`, the index in `visible` of the character
    /// that produced it.
    origin: OriginMap,
    /// The visible characters of the source, with their source ranges.
    visible: VisibleMap,
    /// Byte ranges of `text`, one per block, with their kind.
    pub blocks: Vec<(Range<usize>, BlockKind)>,
    /// Byte ranges of `text`, one per sentence, in order.
    pub sentences: Vec<Range<usize>>,
    /// Byte ranges of `text`, one per clause (a sentence cut after a
    /// comma that follows a conjunctive form), in order.
    pub clauses: Vec<Range<usize>>,
    /// For every block, the index of the last heading block at or before
    /// it ([`NO_HEADING`] when there is none).
    heading_of_block: Vec<u32>,
    /// The quotations of every sentence, indexed on first use.
    quotes: OnceLock<Quotes>,
    /// Byte offsets of `text`, ascending, where normalization removed
    /// whitespace of the source (a space or line break between two Japanese
    /// characters): the character at each offset was not next to the one
    /// before it.
    gaps: Vec<u32>,
}

/// No heading precedes the block.
const NO_HEADING: u32 = u32::MAX;

const OPENING: &[char] = &['「', '『', '(', '【', '“', '[', '〔', '《', '〈'];
const CLOSING: &[char] = &['」', '』', ')', '】', '”', ']', '〕', '》', '〉'];
const TERMINAL: &[char] = &['。', '!', '?', '．'];

impl Document {
    /// Normalizes and segments text extracted from `source`, with
    /// sentences of at most [`MAX_SENTENCE_CHARS`] characters.
    pub fn build(extracted: Extracted, source: &str) -> Document {
        Document::build_with_limit(extracted, source, MAX_SENTENCE_CHARS)
    }

    /// Normalizes and segments text extracted from `source`, cutting
    /// sentences longer than `max_sentence_chars` characters (at least 1)
    /// into pieces of that length.
    pub fn build_with_limit(extracted: Extracted, source: &str, max_sentence_chars: usize) -> Document {
        let Extracted { mut visible, blocks: raw_blocks, .. } = extracted;
        let mut text = String::with_capacity(visible.len() * 3);
        let mut origin = OriginMap::default();
        // The origin of one block, byte by byte, before it joins the runs.
        let mut block_origin = Vec::new();
        let mut blocks = Vec::with_capacity(raw_blocks.len());
        let mut chars = Vec::new();
        let mut gaps = Vec::new();
        for block in raw_blocks {
            chars.clear();
            if block.chars.is_empty() {
                continue;
            }
            chars.extend(visible.iter_from(source, block.chars.start as u32).take(block.chars.len()).map(|v| v.ch));
            let start = text.len();
            block_origin.clear();
            fold_into(&chars, block.chars.start as u32, &mut text, &mut block_origin, &mut gaps);
            if text.len() > start {
                blocks.push((start..text.len(), block.kind));
                let last = *block_origin.last().unwrap_or(&0);
                text.push('\n');
                block_origin.push(last);
                origin.extend(&text[start..], &block_origin);
            }
        }
        // Reserved for three bytes a character: give back what ASCII left
        // over, when it is worth a copy.
        if text.capacity() > text.len() + text.len() / 4 + 4096 {
            text.shrink_to_fit();
        }
        origin.shrink_to_fit();
        visible.shrink_to_fit();
        let mut sentences: Vec<Range<usize>> = Vec::new();
        for (r, _) in &blocks {
            for sentence in split_sentences(&text, r.clone()) {
                cut_long(&text, sentence, max_sentence_chars.max(1), &mut sentences);
            }
        }
        let clauses = sentences.iter().flat_map(|s| split_clauses(&text, s.clone())).collect();
        let mut last_heading = NO_HEADING;
        let heading_of_block = blocks
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                if *kind == BlockKind::Heading {
                    last_heading = i as u32;
                }
                last_heading
            })
            .collect();
        gaps.shrink_to_fit();
        Document { text, origin, visible, blocks, sentences, clauses, heading_of_block, quotes: OnceLock::new(), gaps }
    }

    /// Index of the sentence that contains byte `pos` of `text`.
    pub fn sentence_index(&self, pos: usize) -> usize {
        self.sentences.partition_point(|s| s.end <= pos).min(self.sentences.len().saturating_sub(1))
    }

    /// The sentence that contains byte `pos` of `text`.
    pub fn sentence_at(&self, pos: usize) -> Range<usize> {
        self.sentences.get(self.sentence_index(pos)).cloned().unwrap_or(0..0)
    }

    /// The clause that contains byte `pos` of `text`.
    pub fn clause_at(&self, pos: usize) -> Range<usize> {
        let i = self.clauses.partition_point(|c| c.end <= pos).min(self.clauses.len().saturating_sub(1));
        self.clauses.get(i).cloned().unwrap_or(0..0)
    }

    /// Index of the block that contains byte `pos` of `text`.
    pub fn block_index(&self, pos: usize) -> usize {
        self.blocks.partition_point(|(r, _)| r.end <= pos).min(self.blocks.len().saturating_sub(1))
    }

    /// The heading that governs the block containing `pos`: that block
    /// when it is a heading, else the last heading before it (empty when
    /// there is none).
    pub fn heading_for(&self, pos: usize) -> Range<usize> {
        let heading = self.heading_of_block.get(self.block_index(pos)).copied().unwrap_or(NO_HEADING);
        self.blocks.get(heading as usize).map_or(0..0, |(r, _)| r.clone())
    }

    /// The text inside the innermost 「」, 『』 or “” pair that holds byte
    /// `pos` (in `sentence`, the sentence that holds it): a pair of the
    /// sentence, a quotation that runs over several sentences of blocks of
    /// one kind, or an unclosed quote, up to the end of the sentence (see
    /// the `quotes` module).
    pub fn enclosing_quote(&self, sentence: &Range<usize>, pos: usize) -> Option<Range<usize>> {
        self.quotes
            .get_or_init(|| {
                let kinds: Vec<BlockKind> = self.sentences.iter().map(|s| self.block_kind_at(s.start)).collect();
                Quotes::build(&self.text, &self.sentences, &kinds)
            })
            .enclosing(sentence, pos)
    }

    /// The block (paragraph, list item, heading…) that contains byte `pos`.
    pub fn block_at(&self, pos: usize) -> Range<usize> {
        let i = self.blocks.partition_point(|(r, _)| r.end <= pos);
        self.blocks.get(i).map(|(r, _)| r.clone()).unwrap_or(0..0)
    }

    /// The kind of the block that contains byte `pos`.
    pub fn block_kind_at(&self, pos: usize) -> BlockKind {
        let i = self.blocks.partition_point(|(r, _)| r.end <= pos);
        self.blocks.get(i).map_or(BlockKind::Paragraph, |(_, k)| *k)
    }

    /// The range reaching `n` characters either side of `range` (across
    /// block boundaries).
    pub fn char_window(&self, range: &Range<usize>, n: usize) -> Range<usize> {
        let start = self.text[..range.start].char_indices().rev().take(n).last().map_or(range.start, |(i, _)| i);
        let after = &self.text[range.end..];
        let end = range.end + after.char_indices().take(n).last().map_or(0, |(i, c)| i + c.len_utf8());
        start..end
    }

    /// Whether the characters of `text` either side of byte `at` (a
    /// character boundary inside a block) were next to each other in the
    /// source: no space or line break that normalization removed lay
    /// between them (たるみを改善　施術時間 folds to 改善施術, but the two
    /// words were apart). Characters that fold to nothing (a soft hyphen,
    /// a zero-width space) do not part them.
    pub fn adjacent_in_source(&self, at: usize) -> bool {
        u32::try_from(at).map_or(true, |at| self.gaps.binary_search(&at).is_err())
    }

    /// Maps a non-empty range of `text` to the bytes of `source` (the
    /// text the document was built from) it came from: from the first byte
    /// of its first visible character to the last byte of its last.
    pub fn source_range(&self, source: &str, range: Range<usize>) -> Range<usize> {
        let first = self.visible.get(source, self.origin.get(&self.text, range.start));
        let last = self.visible.get(source, self.origin.get(&self.text, range.end - 1));
        first.start as usize..last.end as usize
    }

    /// The visible text (as a reader sees it, markup removed) that a range
    /// of `text` came from (`source`: the text the document was built
    /// from).
    pub fn visible_text(&self, source: &str, range: Range<usize>) -> String {
        let first = self.origin.get(&self.text, range.start);
        let last = self.origin.get(&self.text, range.end - 1);
        self.visible.iter_from(source, first).take((last - first) as usize + 1).map(|v| v.ch).collect()
    }

    /// Bytes of memory the maps back to the source take (for
    /// measurements).
    pub fn map_bytes(&self) -> usize {
        self.origin.heap_bytes() + self.visible.heap_bytes()
    }
}

/// Splits one block into sentences at terminal punctuation outside
/// brackets. Closing brackets and repeated terminals stay with the sentence.
fn split_sentences(text: &str, block: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = block.start;
    let slice = &text[block.clone()];
    let mut iter = slice.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if OPENING.contains(&c) {
            depth += 1;
        } else if CLOSING.contains(&c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && TERMINAL.contains(&c) {
            let mut end = block.start + i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if TERMINAL.contains(&n) || CLOSING.contains(&n) {
                    end = block.start + j + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(start..end);
            start = end;
        }
    }
    if start < block.end {
        out.push(start..block.end);
    }
    out
}

/// Adds `sentence` to `out`, cut into pieces of `max_chars` characters
/// when it is longer.
fn cut_long(text: &str, sentence: Range<usize>, max_chars: usize, out: &mut Vec<Range<usize>>) {
    let mut start = sentence.start;
    let mut count = 0;
    for (i, _) in text[sentence.clone()].char_indices() {
        if count == max_chars {
            out.push(start..sentence.start + i);
            start = sentence.start + i;
            count = 0;
        }
        count += 1;
    }
    out.push(start..sentence.end);
}

/// Characters that end a conjunctive form (〜して、〜ており、〜く、〜ば、)
/// when they stand right before a comma: a clause ends there. A comma after
/// anything else (a noun in a list: むくみ、冷え、疲れ) does not end one.
const CONJUNCTIVE_ENDINGS: &[char] = &[
    'て', 'で', 'し', 'り', 'ば', 'ど', 'が', 'ず', 'め', 'え', 'け', 'せ', 'れ', 'げ', 'べ', 'き', 'ぎ', 'ち', 'く',
    'ら',
];

/// Splits one sentence into clauses after a comma that follows a
/// conjunctive form.
fn split_clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    let mut prev: Option<char> = None;
    for (i, c) in text[sentence.clone()].char_indices() {
        if matches!(c, '、' | ',') && prev.is_some_and(|p| CONJUNCTIVE_ENDINGS.contains(&p)) {
            let end = sentence.start + i + c.len_utf8();
            out.push(start..end);
            start = end;
        }
        prev = Some(c);
    }
    if start < sentence.end || out.is_empty() {
        out.push(start..sentence.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::plain;

    #[test]
    fn sentences_split_outside_brackets() {
        let source = "「治る。」と言えません。次の文です!\n";
        let doc = Document::build(plain::extract(source), source);
        let sentences: Vec<&str> = doc.sentences.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(sentences, ["「治る。」と言えません。", "次の文です!"]);
    }

    #[test]
    fn clauses_end_after_conjunctive_forms_not_after_list_nouns() {
        let source = "代謝を高め、むくみ、冷えを改善し、肌を整えます。";
        let doc = Document::build(plain::extract(source), source);
        let clauses: Vec<&str> = doc.clauses.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(clauses, ["代謝を高め、", "むくみ、冷えを改善し、", "肌を整えます。"]);
    }

    #[test]
    fn a_gap_is_whitespace_the_fold_removed() {
        // The full-width space and the line break are gone from the text but
        // part the words; the soft hyphen folds to nothing and parts nothing;
        // a space beside a Latin word stays a space and is no gap.
        let source = "シミ改善　施術時間。マウス実\u{00AD}験と、肌の\nハリ。ed shock 波";
        let doc = Document::build(plain::extract(source), source);
        assert_eq!(doc.text, "シミ改善施術時間。マウス実験と、肌のハリ。ed shock 波\n");
        let gaps: Vec<&str> = (1..doc.text.len())
            .filter(|&at| doc.text.is_char_boundary(at) && !doc.adjacent_in_source(at))
            .map(|at| &doc.text[at..])
            .map(|rest| &rest[..rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i)])
            .collect();
        assert_eq!(gaps, ["施術", "ハリ"]);
        // A space between a half-width kana and its voiced mark lies inside
        // the one character they compose.
        let source = "ｴｸｿｿｰﾑ ﾎ ﾟｲﾝﾄ";
        let doc = Document::build(plain::extract(source), source);
        assert_eq!(doc.text, "エクソソームポイント\n");
        assert!((1..doc.text.len())
            .filter(|&at| doc.text.is_char_boundary(at))
            .all(|at| at == 18 || doc.adjacent_in_source(at)));
        assert!(!doc.adjacent_in_source(18), "the space before ﾎ");
    }

    #[test]
    fn source_range_round_trips_through_folding() {
        let source = "当院で受けられるｴｸｿｿｰﾑ点滴は\n必ず効く。Ｎｏ．１です。";
        let doc = Document::build(plain::extract(source), source);
        let at = doc.text.find("no.1").unwrap();
        let src = doc.source_range(source, at..at + 4);
        assert_eq!(&source[src], "Ｎｏ．１");
        let needle = "エクソソーム点滴は必ず";
        let at = doc.text.find(needle).unwrap();
        let src = doc.source_range(source, at..at + needle.len());
        assert_eq!(&source[src], "ｴｸｿｿｰﾑ点滴は\n必ず");
    }

    #[test]
    fn sentences_longer_than_the_limit_are_cut() {
        let source = "日本一の実績、日本一。短い。";
        let doc = Document::build_with_limit(plain::extract(source), source, 4);
        let sentences: Vec<&str> = doc.sentences.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(sentences, ["日本一の", "実績、日", "本一。", "短い。"]);
        let whole = Document::build(plain::extract(source), source);
        assert_eq!(whole.sentences.len(), 2);
    }

    #[test]
    fn the_heading_of_a_block_is_the_last_one_before_it() {
        let source = "前文\n\n# 見出し一\n\n本文\n\n## 見出し二\n\n本文二\n";
        let doc = Document::build(crate::extract::markdown::extract(source), source);
        let heading = |needle: &str| {
            let at = doc.text.find(needle).unwrap();
            doc.text[doc.heading_for(at)].to_string()
        };
        assert_eq!(heading("前文"), "");
        assert_eq!(heading("見出し一"), "見出し一");
        assert_eq!(heading("本文"), "見出し一");
        assert_eq!(heading("本文二"), "見出し二");
    }
}
