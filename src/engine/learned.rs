//! The learned rule: sentences the claim model reads as claims.
//!
//! The rules find the claims whose wording they know; clinics say the same
//! things in many other ways (「肺の機能を強化する作用」, 「腱や靭帯の再生促進」).
//! A logistic model over a sentence's own characters and words — pairs of
//! characters, runs of one script (a kanji word, a katakana word, a kana
//! ending), its last characters, its block kind and length —
//! trained on the labeled pages of `fixtures/web` and `fixtures/labeled` by
//! `scripts/train-models.py`, scores each sentence of a page that
//! advertises care which no other finding covers. A sentence scored at or
//! above the model's threshold is reported under the pack's `learned` rule
//! (kind `learned`), which carries its category, message, basis and help
//! like any rule; its span is the sentence. The model only ever adds
//! findings where the rules found nothing, and it reads nothing but the
//! sentence, so a sentence's fate does not hang on other pages.
//!
//! The features are strings (`2:効果`, `t:促進`, `e2:ます`); [`features`] is
//! the single place they are made, and the training script reads them
//! from `iryolint features`, so training and checking agree.

use std::ops::Range;
use std::sync::OnceLock;

use super::weights::{embedded_table, feature_hash, feature_hash_parts, sigmoid, Table};
use super::RawFinding;
use crate::rules::RuleSet;
use crate::text::{BlockKind, Document};

/// The embedded model: `model/claims.tsv` as `build.rs` tabled it.
const EMBEDDED_MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/claims_model.bin"));

/// Sentences with fewer Japanese characters (kana and kanji) than this,
/// once trimmed, are not read: a label, a number, a fragment of a table, a
/// web address. The model learned Japanese copy.
const MIN_CHARS: usize = 6;

/// The claim model: feature weights and the probability at or above which
/// a sentence is reported.
#[derive(Clone, Copy, Debug)]
pub struct Model {
    table: Table<'static>,
}

impl Model {
    /// The model embedded in the binary (`build.rs` checks and tables
    /// `model/claims.tsv`; a test checks that it did).
    pub fn embedded() -> Option<Model> {
        static TABLE: OnceLock<Option<Table<'static>>> = OnceLock::new();
        embedded_table(&TABLE, EMBEDDED_MODEL).map(|table| Model { table })
    }

    /// The probability that a sentence with these features is a claim
    /// (each feature counted once, summed in the order of
    /// [`Self::probability_of`], so that the two agree to the bit).
    pub fn probability(&self, features: &[String]) -> f32 {
        let mut hashes: Vec<u64> = features.iter().map(|f| feature_hash(f)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        sigmoid(hashes.iter().map(|&h| self.table.weight(h)).sum())
    }

    /// [`Self::probability`] of [`features`] of `span`, hashing each
    /// feature without making it, and counting each once as [`features`]
    /// lists it once. `hashes` is scratch space: the hashes are gathered
    /// first and looked up after, so that the lookups (a sentence makes
    /// dozens, most of them cache misses) do not wait on each other.
    pub fn probability_of(&self, doc: &Document, span: &Range<usize>, hashes: &mut Vec<u64>) -> f32 {
        hashes.clear();
        each_feature(doc, span, &mut |parts| hashes.push(feature_hash_parts(parts)));
        hashes.sort_unstable();
        hashes.dedup();
        sigmoid(hashes.iter().map(|&h| self.table.weight(h)).sum())
    }

    /// Whether a sentence of this probability is reported.
    pub fn reports(&self, probability: f32) -> bool {
        probability >= self.table.threshold
    }

    /// The share of the sentences of about this probability that reviewers
    /// marked as claims when the model was cross-validated
    /// ([`super::weights::Table::confidence`]).
    pub fn confidence(&self, probability: f32) -> Option<f32> {
        self.table.confidence(probability)
    }
}

/// The sentences the learned rule reads, as the spans it would report:
/// each sentence trimmed of spaces and punctuation at its ends, outside
/// HTML attributes (the model never saw them), with at least [`MIN_CHARS`]
/// Japanese characters, that asks nothing, holds none of `vetoes` (sorted
/// starts of talk about wording and of study markers:
/// [`super::phrase::learned_vetoes`]) and that no finding of `findings`
/// covers.
pub fn candidates(doc: &Document, findings: &[RawFinding], vetoes: &[usize]) -> Vec<Range<usize>> {
    sentences(doc, findings, vetoes).into_iter().filter(|(_, covered)| !covered).map(|(span, _)| span).collect()
}

/// The sentences [`candidates`] reads, covered by a span finding of
/// `findings` or not (the training script learns from both).
pub fn sentences(doc: &Document, findings: &[RawFinding], vetoes: &[usize]) -> Vec<(Range<usize>, bool)> {
    let mut spans: Vec<&Range<usize>> = findings.iter().filter(|f| f.missing.is_empty()).map(|f| &f.range).collect();
    spans.sort_by_key(|r| r.start);
    let mut next = 0;
    let mut reach = 0;
    let mut out = Vec::new();
    for sentence in &doc.sentences {
        // Spans that start before the sentence ends; `reach` is the
        // furthest end of those, so one that started long before still covers.
        let mut covered = reach > sentence.start;
        while next < spans.len() && spans[next].start < sentence.end {
            covered |= spans[next].end > sentence.start;
            reach = reach.max(spans[next].end);
            next += 1;
        }
        let span = outside_comments(&doc.text, trimmed(&doc.text, sentence));
        let japanese = doc.text[span.clone()].chars().filter(|&c| (1..=3).contains(&script(c))).count();
        let first_veto = vetoes.partition_point(|&v| v < sentence.start);
        if doc.block_kind_at(sentence.start) == BlockKind::Meta
            || japanese < MIN_CHARS
            || vetoes.get(first_veto).is_some_and(|&v| v < sentence.end)
            || super::phrase::is_question(&doc.text[sentence.clone()])
        {
            continue;
        }
        out.push((span, covered));
    }
    out
}

/// Adds a finding of learned rule `r` for every sentence of
/// [`candidates`] the embedded model scores at or above its threshold.
/// `findings` are the other rules' findings.
pub fn check(
    doc: &Document,
    set: &RuleSet,
    r: usize,
    findings: &[RawFinding],
    vetoes: &[usize],
    out: &mut Vec<RawFinding>,
) {
    let Some(model) = Model::embedded() else { return };
    let severity = set.rules[r].severity;
    let mut hashes = Vec::new();
    for span in candidates(doc, findings, vetoes) {
        let probability = model.probability_of(doc, &span, &mut hashes);
        if model.reports(probability) {
            let confidence = model.confidence(probability);
            out.push(RawFinding { rule: r, severity, range: span, related: None, missing: Vec::new(), confidence });
        }
    }
}

/// Whether rule `r` of `set` is the learned rule.
pub fn is_learned(set: &RuleSet, r: usize) -> bool {
    set.settings[r].kind == crate::rules::Kind::Learned
}

/// The features of sentence span `span`, each once (a pair of characters
/// that recurs, as in a long run of one character, counts once), sorted.
pub fn features(doc: &Document, span: &Range<usize>) -> Vec<String> {
    let mut out = Vec::new();
    each_feature(doc, span, &mut |parts| out.push(parts.concat()));
    out.sort_unstable();
    out.dedup();
    out
}

/// `sentence` without spaces, control characters and punctuation at
/// either end.
pub(super) fn trimmed(text: &str, sentence: &Range<usize>) -> Range<usize> {
    let s = &text[sentence.clone()];
    let start = s.find(|c: char| c.is_alphanumeric()).unwrap_or(s.len());
    let end =
        s.rfind(|c: char| c.is_alphanumeric()).map_or(start, |i| i + s[i..].chars().next().map_or(0, char::len_utf8));
    sentence.start + start..sentence.start + end.max(start)
}

/// `span` without an HTML comment it starts or ends with: in plain text an
/// inline suppression (`<!-- iryolint-disable-next-line … -->`) is text,
/// and a sentence can run from it into the next line. The span starts
/// after the last comment's end and stops at the first comment's start.
fn outside_comments(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let start = s.rfind("-->").map_or(0, |i| i + "-->".len());
    let end = s[start..].find("<!--").map_or(s.len(), |i| start + i);
    if start == 0 && end == s.len() {
        return span;
    }
    trimmed(text, &(span.start + start..span.start + end))
}

/// Small numbers as text, for the length feature.
const DIGITS: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

/// The script class of a character, for words: 1 kanji, 2 katakana, 3
/// hiragana, 4 Latin letters and digits, 0 anything else (a word of its own).
fn script(c: char) -> u8 {
    match c {
        '々' | '〆' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => 1,
        '\u{30A0}'..='\u{30FF}' => 2,
        '\u{3040}'..='\u{309F}' => 3,
        'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '%' => 4,
        _ => 0,
    }
}

/// Calls `emit` with each feature of sentence span `span`, as parts to be
/// joined: [`features`] joins them, [`Model::probability_of`] hashes them
/// unjoined. Character n-grams are slices of the text itself, so nothing
/// is built; an n-gram or word holding a control character or a space is
/// left out (a feature is one line of the model file).
fn each_feature(doc: &Document, span: &Range<usize>, emit: &mut dyn FnMut(&[&str])) {
    let text = &doc.text[span.clone()];
    let kind = match doc.block_kind_at(span.start) {
        BlockKind::Paragraph => "paragraph",
        BlockKind::Heading => "heading",
        BlockKind::ListItem => "list",
        BlockKind::TableCell => "table",
        BlockKind::Meta => "meta",
    };
    emit(&["b"]);
    emit(&["k:", kind]);
    let chars = text.chars().count();
    emit(&["len:", DIGITS[(chars / 10).min(8)]]);
    // Character pairs, with ^ and $ for the sentence's ends. (Triples as
    // well scored no better in cross-validation and cost half as much again.)
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let clean = |a: usize, b: usize| !text[a..b].chars().any(|c| c.is_control() || c.is_whitespace());
    let n = bounds.len() - 1;
    if n >= 1 && clean(0, bounds[1]) {
        emit(&["2:^", &text[..bounds[1]]]);
    }
    for i in 0..n.saturating_sub(1) {
        if clean(bounds[i], bounds[i + 2]) {
            emit(&["2:", &text[bounds[i]..bounds[i + 2]]]);
        }
    }
    if n >= 1 && clean(bounds[n - 1], text.len()) {
        emit(&["2:", &text[bounds[n - 1]..], "$"]);
    }
    // Words: runs of one script; a character of no script is a word alone.
    // (Pairs of words scored no better in cross-validation.)
    let mut i = 0;
    while i < n {
        let c = text[bounds[i]..].chars().next().expect("a character");
        let class = script(c);
        let mut j = i + 1;
        if class != 0 {
            while j < n && script(text[bounds[j]..].chars().next().expect("a character")) == class {
                j += 1;
            }
        }
        if !(c.is_control() || c.is_whitespace()) {
            emit(&["t:", &text[bounds[i]..bounds[j]]]);
        }
        i = j;
    }
    // The ending: the last two and four characters.
    for (prefix, width) in [("e2:", 2usize), ("e4:", 4)] {
        let from = bounds[n.saturating_sub(width)];
        if clean(from, text.len()) {
            emit(&[prefix, &text[from..]]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::weights::{parse_tsv, to_bytes};
    use super::*;

    fn document(page: &str) -> Document {
        Document::build_with_limit(
            crate::extract::read_with(page, crate::extract::InputFormat::Text, None).text,
            page,
            crate::text::MAX_SENTENCE_CHARS,
        )
    }

    #[test]
    fn the_embedded_model_is_the_model_file() {
        let model = Model::embedded().expect("build.rs tabled model/claims.tsv");
        let file = parse_tsv(include_str!("../../model/claims.tsv")).unwrap();
        assert_eq!(to_bytes(&file), EMBEDDED_MODEL);
        assert!(file.records.len() > 1000 && model.table.threshold > 0.0 && model.table.threshold < 1.0);
        for &(from, confidence) in &file.calibration {
            assert_eq!(model.confidence(from), Some(confidence), "each step starts where the file says");
        }
    }

    #[test]
    fn features_made_and_features_hashed_give_one_probability() {
        let model = Model::embedded().unwrap();
        let doc = document("# 当院の点滴で代謝を高めます？\n・むくみを抑え、疲れにくい体へ\n| 料金 | 5,000円 |\n肌のハリが\n戻ります。 NMN 点滴 は 細胞 を\n若返らせる。\n\nmix of 日本語 and English text で 書かれた 文です。");
        let spans = candidates(&doc, &[], &[]);
        assert!(spans.len() >= 4, "{spans:?}");
        for span in &spans {
            let made = features(&doc, span);
            assert!(made.iter().all(|x| !x.contains(['\n', '\t', ' '])), "{made:?}");
            assert_eq!(model.probability(&made), model.probability_of(&doc, span, &mut Vec::new()), "{made:?}");
        }
    }

    #[test]
    fn features_are_pairs_triples_words_and_endings() {
        let doc = document("代謝をアップ！");
        let span = &candidates(&doc, &[], &[])[0];
        assert_eq!(&doc.text[span.clone()], "代謝をアップ");
        let made = features(&doc, span);
        for expected in [
            "b",
            "k:paragraph",
            "len:0",
            "2:^代",
            "2:代謝",
            "2:プ$",
            "t:代謝",
            "t:を",
            "t:アップ",
            "e2:ップ",
            "e4:をアップ",
        ] {
            assert!(made.iter().any(|m| m == expected), "{expected} not in {made:?}");
        }
        assert_eq!(made.len(), 3 + 7 + 3 + 2, "{made:?}");
    }

    #[test]
    fn candidates_are_uncovered_trimmed_sentences_of_six_japanese_characters_or_more() {
        let doc = document("・肌のハリが戻ります！\n短い文。\n代謝を高める点滴です。続く文があります。");
        let all: Vec<&str> = candidates(&doc, &[], &[]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(all, ["肌のハリが戻ります", "代謝を高める点滴です", "続く文があります"]);
        let at = doc.text.find("高める").unwrap();
        let finding = RawFinding {
            rule: 0,
            severity: crate::rules::Severity::Error,
            range: at..at + 3,
            related: None,
            missing: Vec::new(),
            confidence: None,
        };
        let left: Vec<&str> = candidates(&doc, &[finding], &[]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(left, ["肌のハリが戻ります", "続く文があります"]);
    }

    #[test]
    fn questions_and_sentences_holding_a_veto_are_not_read() {
        let doc = document(
            "肌のハリが戻りますか?\n\n効果には個人差があり、肌のハリが戻ります。代謝が上がり体が軽くなります。",
        );
        let veto = doc.text.find("個人差").unwrap();
        let all: Vec<&str> = candidates(&doc, &[], &[veto]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(all, ["代謝が上がり体が軽くなります"]);
        let page = "マウスに投与した実験で毛が増えました。当院の点滴です。";
        let whole = Document::build_with_limit(
            crate::extract::read_with(page, crate::extract::InputFormat::Text, None).text,
            page,
            crate::text::MAX_SENTENCE_CHARS,
        );
        let set = RuleSet::embedded().unwrap();
        let hits = super::super::hits::Hits::collect(&whole, &set);
        let vetoes = super::super::phrase::learned_vetoes(&hits);
        let second = whole.text.find("当院").unwrap();
        assert!(
            !vetoes.is_empty() && vetoes.iter().all(|&v| v < second),
            "the study is a veto, the care is not: {vetoes:?}"
        );
    }

    #[test]
    fn web_addresses_and_latin_text_are_not_read() {
        let doc = document("https://example.com/%E3%81%82%E3%81%84%E3%81%86%E3%81%88\n\nBoost your NAD+ levels today\n\nNMN点滴は自由診療");
        let all: Vec<&str> = candidates(&doc, &[], &[]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(all, ["nmn点滴は自由診療"]);
    }

    #[test]
    fn a_suppression_comment_in_plain_text_is_not_part_of_the_sentence() {
        let doc = document("<!-- iryolint-disable-next-line claim-like-sentence -->\n肌のハリが戻ります\n代謝が上がります <!-- iryolint-disable-line -->");
        let all: Vec<&str> = candidates(&doc, &[], &[]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(all, ["肌のハリが戻ります", "代謝が上がります"]);
    }

    #[test]
    fn a_feature_counts_once_however_often_it_recurs() {
        let model = Model::embedded().unwrap();
        let doc = document("効果効果効果効果効果効果効果効果効果効果");
        let span = &candidates(&doc, &[], &[])[0];
        let made = features(&doc, span);
        assert_eq!(made.iter().filter(|f| *f == "2:効果").count(), 1, "{made:?}");
        assert_eq!(model.probability(&made), model.probability_of(&doc, span, &mut Vec::new()));
    }

    #[test]
    fn a_span_that_runs_over_several_sentences_covers_them_all() {
        let doc = document("一つ目の文があります。二つ目の文があります。三つ目の文があります。");
        let finding = RawFinding {
            rule: 0,
            severity: crate::rules::Severity::Error,
            range: 0..doc.text.find("三つ目").unwrap() - "。".len(),
            related: None,
            missing: Vec::new(),
            confidence: None,
        };
        let left: Vec<&str> = candidates(&doc, &[finding], &[]).iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(left, ["三つ目の文があります"]);
    }
}
