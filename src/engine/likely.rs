//! How likely a span finding is to be one a reviewer marks.
//!
//! The rules find a claim's wording; whether a reviewer marks it depends on
//! its setting too: a heading or a running sentence, what the sentence goes
//! on to say (a definition, a question, a fee). A logistic model over such
//! features of the finding's own place (never of other findings, so that a
//! finding's fate does not hang on what else the page or the selection of
//! rules holds), trained on the labeled pages of `fixtures/web` and
//! `fixtures/labeled` by `scripts/train-models.py`, scores each
//! span finding; findings below the model's threshold are dropped unless
//! the run keeps them (`--all-findings`). The model only ever drops a
//! finding: every finding reported still names its rule, basis and help.
//! It was trained on plain text: headings, list items, table cells and
//! paragraphs, never HTML attributes (`k:meta` has no weight).
//!
//! Each span finding also gets a confidence ([`Judgement::confidence`]):
//! its probability read through the model file's calibration, the share of
//! findings of about that probability that reviewers marked out of fold
//! when the script cross-validated the model. The learned rule's findings
//! carry the claim model's, made the same way. A run may drop the findings
//! less sure than a share of its choosing (`--min-confidence`).
//!
//! The features are strings (`r:problem-relieved`, `L:を改`, `k:heading`);
//! [`features`] is the single place they are made, and the training script
//! reads them from `iryolint features`, so training and checking agree.

use std::ops::Range;
use std::sync::OnceLock;

use super::weights::{embedded_table, feature_hash, feature_hash_parts, sigmoid, Table};
use super::RawFinding;
use crate::rules::RuleSet;
use crate::text::{BlockKind, Document};

/// The embedded model: `model/precision.tsv` as `build.rs` tabled it.
const EMBEDDED_MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/precision_model.bin"));

/// Characters of context read on each side of a finding, within its block.
const CONTEXT_CHARS: usize = 12;

/// Characters of the finding itself read for its pairs.
const TEXT_CHARS: usize = 24;

/// Words whose presence in the finding's sentence the model weighs: the
/// care or the clinic named, hedges and caveats, causes and mechanisms,
/// fees, cases, approval.
#[rustfmt::skip]
const CUES: [&str; 41] = [
    "当院", "治療", "施術", "注射", "点滴", "効果", "期待", "場合", "副作用", "リスク", "原因", "加齢", "とは", "により", "ことで",
    "ため", "可能性", "個人差", "研究", "報告", "言われ", "ありません", "ません", "症例", "患者", "ご自身", "方", "お悩み", "本来", "もともと",
    "細胞", "承認", "保険", "料金", "円", "がん", "病気", "作用", "働き", "成分", "目的",
];

// One bit per cue in `cues_in`'s answer, and every cue starts in
// `CUE_STARTS` (checked by cues_are_found_as_contains_finds_them).
const _: () = assert!(CUES.len() <= 64);

/// A trained model: feature weights and the probability below which a
/// finding is dropped.
#[derive(Clone, Copy, Debug)]
pub struct Model {
    table: Table<'static>,
}

impl Model {
    /// The model embedded in the binary (`build.rs` checks and tables
    /// `model/precision.tsv`; a test checks that it did).
    pub fn embedded() -> Option<Model> {
        static TABLE: OnceLock<Option<Table<'static>>> = OnceLock::new();
        embedded_table(&TABLE, EMBEDDED_MODEL).map(|table| Model { table })
    }

    /// The probability that a finding with these features is one a
    /// reviewer marks.
    pub fn probability(&self, features: &[String]) -> f32 {
        sigmoid(features.iter().map(|f| self.table.weight(feature_hash(f))).sum())
    }

    /// [`Self::probability`] of [`features`] of span finding `f`, hashing
    /// each feature without making it.
    pub fn probability_of(&self, doc: &Document, set: &RuleSet, f: &RawFinding) -> f32 {
        let mut z = 0.0f32;
        each_feature(doc, set, f, &mut |parts| z += self.table.weight(feature_hash_parts(parts)));
        sigmoid(z)
    }

    /// Whether a finding of this probability is kept.
    pub fn keeps(&self, probability: f32) -> bool {
        probability >= self.table.threshold
    }

    /// The share of the findings of about this probability that reviewers
    /// marked when the model was cross-validated
    /// ([`super::weights::Table::confidence`]).
    pub fn confidence(&self, probability: f32) -> Option<f32> {
        self.table.confidence(probability)
    }
}

/// What the run makes of a finding: its confidence and whether it is shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judgement {
    /// The share of such findings reviewers marked when the models were
    /// cross-validated: the precision model's calibrated probability for a
    /// wording rule's span finding, the claim model's for the learned
    /// rule's; `None` for a document-level finding, or without a model.
    pub confidence: Option<f32>,
    /// Whether the precision model's threshold drops it (whatever the run
    /// keeps): a reason of [`Self::dropped`], and what a caller that lays
    /// its own `--min-confidence` over the run's needs to know.
    pub below_threshold: bool,
    /// Whether the run drops it: below the precision model's threshold, or
    /// below the run's `--min-confidence`; never when the run keeps every
    /// finding (`--all-findings`).
    pub dropped: bool,
}

/// [`Judgement`] of each finding. A document-level finding has no
/// confidence and is always shown; the learned rule's carries the claim
/// model's confidence (the claim model decided already whether to report
/// it); every other span finding is scored by the embedded precision
/// model.
pub fn judge(doc: &Document, set: &RuleSet, findings: &[RawFinding]) -> Vec<Judgement> {
    let model = Model::embedded();
    let below = |confidence: Option<f32>| confidence.is_some_and(|c| c < set.min_confidence);
    findings
        .iter()
        .map(|f| {
            let kept = Judgement { confidence: None, below_threshold: false, dropped: false };
            if !f.missing.is_empty() {
                return kept;
            }
            if super::learned::is_learned(set, f.rule) {
                let dropped = !set.keep_unlikely && below(f.confidence);
                return Judgement { confidence: f.confidence, dropped, ..kept };
            }
            let Some(model) = model else { return kept };
            let probability = model.probability_of(doc, set, f);
            let confidence = model.confidence(probability);
            let below_threshold = !model.keeps(probability);
            let dropped = !set.keep_unlikely && (below_threshold || below(confidence));
            Judgement { confidence, below_threshold, dropped }
        })
        .collect()
}

/// The features of span finding `f`.
pub fn features(doc: &Document, set: &RuleSet, f: &RawFinding) -> Vec<String> {
    let mut out = Vec::new();
    each_feature(doc, set, f, &mut |parts| out.push(parts.concat()));
    out
}

/// Small numbers as text, for the bucketed features.
const DIGITS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "6"];

/// Calls `emit` with each feature of span finding `f`, as parts to be
/// joined: [`features`] joins them, [`filter`] hashes them unjoined.
fn each_feature(doc: &Document, set: &RuleSet, f: &RawFinding, emit: &mut dyn FnMut(&[&str])) {
    let rule = set.rules[f.rule].id.as_str();
    let kind = match doc.block_kind_at(f.range.start) {
        BlockKind::Paragraph => "paragraph",
        BlockKind::Heading => "heading",
        BlockKind::ListItem => "list",
        BlockKind::TableCell => "table",
        BlockKind::Meta => "meta",
    };
    let block = doc.block_at(f.range.start);
    let range = clamp(&f.range, &block);
    let mut left = [' '; CONTEXT_CHARS];
    let left = {
        let mut n = 0;
        for c in doc.text[block.start..range.start].chars().rev().take(CONTEXT_CHARS) {
            n += 1;
            left[CONTEXT_CHARS - n] = plain(c);
        }
        &left[CONTEXT_CHARS - n..]
    };
    let mut right = [' '; CONTEXT_CHARS];
    let right = fill(&mut right, doc.text[range.end..block.end].chars());
    let mut text = [' '; TEXT_CHARS];
    let text = fill(&mut text, doc.text[range.clone()].chars());
    let sentence = &doc.text[doc.sentence_at(f.range.start)];
    emit(&["b"]);
    emit(&["r:", rule]);
    emit(&["k:", kind]);
    emit(&["rk:", rule, ":", kind]);
    pairs(emit, "L:", left);
    pairs(emit, "R:", right);
    pairs(emit, "T:", text);
    let mut buf = [[0u8; 4]; 2];
    if let Some(&c) = left.last() {
        emit(&["L1:", c.encode_utf8(&mut buf[0])]);
    }
    if let Some(&c) = right.first() {
        emit(&["R1:", c.encode_utf8(&mut buf[0])]);
    }
    if let [a, b, ..] = *right {
        let [x, y] = &mut buf;
        emit(&["R2:", a.encode_utf8(x), b.encode_utf8(y)]);
    }
    if sentence.contains('?') {
        emit(&["q"]);
    }
    emit(&["len:", DIGITS[(sentence.chars().count() / 40).min(6)]]);
    let found = cues_in(sentence);
    for (i, cue) in CUES.iter().enumerate() {
        if found & (1 << i) != 0 {
            emit(&["c:", cue]);
        }
    }
}

/// The range of characters cues start with (kana and CJK ideographs).
const CUE_STARTS: std::ops::Range<u32> = 0x3000..0xA000;

/// The first characters of the [`CUES`]: a bit per character of
/// [`CUE_STARTS`], and the cues that start with each.
struct CueStarts {
    bits: Vec<u64>,
    by_first: Vec<(char, u64)>,
}

/// The [`CUES`] in `text`, as bits by index, found in one pass: a character
/// that starts no cue costs one bit test; at one that does, the cues that
/// start with it are compared. (An Aho-Corasick automaton of them cost more
/// to build, once per process, than a page's cues cost to find this way.)
fn cues_in(text: &str) -> u64 {
    static STARTS: OnceLock<CueStarts> = OnceLock::new();
    let starts = STARTS.get_or_init(|| {
        let mut starts = CueStarts { bits: vec![0; CUE_STARTS.len().div_ceil(64)], by_first: Vec::new() };
        for (i, cue) in CUES.iter().enumerate() {
            let first = cue.chars().next().expect("no empty cue");
            let k = first as u32 - CUE_STARTS.start;
            starts.bits[k as usize / 64] |= 1 << (k % 64);
            match starts.by_first.iter_mut().find(|(c, _)| *c == first) {
                Some((_, bits)) => *bits |= 1 << i,
                None => starts.by_first.push((first, 1 << i)),
            }
        }
        starts.by_first.sort_unstable();
        starts
    });
    let mut found = 0u64;
    for (at, c) in text.char_indices() {
        let Some(k) = (c as u32).checked_sub(CUE_STARTS.start).filter(|&k| k < CUE_STARTS.len() as u32) else {
            continue;
        };
        if starts.bits[k as usize / 64] & (1 << (k % 64)) == 0 {
            continue;
        }
        let Ok(j) = starts.by_first.binary_search_by_key(&c, |&(first, _)| first) else { continue };
        let mut candidates = starts.by_first[j].1 & !found;
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if text[at..].starts_with(CUES[i]) {
                found |= 1 << i;
            }
        }
    }
    found
}

/// The first characters of `chars` (as many as `buf` holds) in `buf`.
fn fill(buf: &mut [char], chars: impl Iterator<Item = char>) -> &[char] {
    let mut n = 0;
    for c in chars.take(buf.len()) {
        buf[n] = plain(c);
        n += 1;
    }
    &buf[..n]
}

/// `range` cut to `block`, so that a finding running past its block's end
/// reads no context outside it.
fn clamp(range: &Range<usize>, block: &Range<usize>) -> Range<usize> {
    let start = range.start.clamp(block.start, block.end);
    start..range.end.clamp(start, block.end)
}

/// A control character as a space, so that a feature is one line of the
/// model file.
fn plain(c: char) -> char {
    if c.is_control() {
        ' '
    } else {
        c
    }
}

/// Emits `prefix` + every pair of neighbouring characters of `chars`.
fn pairs(emit: &mut dyn FnMut(&[&str]), prefix: &str, chars: &[char]) {
    let (mut x, mut y) = ([0u8; 4], [0u8; 4]);
    for w in chars.windows(2) {
        emit(&[prefix, w[0].encode_utf8(&mut x), w[1].encode_utf8(&mut y)]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::weights::{parse_tsv, to_bytes};
    use super::*;

    #[test]
    fn the_embedded_model_is_the_model_file() {
        let model = Model::embedded().expect("build.rs tabled model/precision.tsv");
        let file = parse_tsv(include_str!("../../model/precision.tsv")).unwrap();
        assert_eq!(to_bytes(&file), EMBEDDED_MODEL);
        assert!(file.records.len() > 1000 && model.table.threshold > 0.0 && model.table.threshold < 1.0);
        assert!(file.records.iter().all(|&(h, w)| model.table.weight(h) == w || h == 0));
        for &(from, confidence) in &file.calibration {
            assert_eq!(model.confidence(from), Some(confidence), "each step starts where the file says");
        }
    }

    #[test]
    fn features_made_and_features_hashed_give_one_probability() {
        let set = RuleSet::embedded().unwrap();
        let model = Model::embedded().unwrap();
        let mut seen = 0;
        for page in [
            include_str!("../../fixtures/holdout7/bv-03-exosome-iv-dermatology-column.txt"),
            "# 当院の点滴で代謝を高めます？\n・むくみを抑え、疲れにくい体へ\n| 料金 | 5,000円 |\n肌のハリが\n戻ります。",
        ] {
            let doc = Document::build_with_limit(
                crate::extract::read_with(page, crate::extract::InputFormat::Text, None).text,
                page,
                crate::text::MAX_SENTENCE_CHARS,
            );
            let findings = super::super::check_all(&doc, &set);
            for f in findings.iter().filter(|f| f.missing.is_empty()) {
                let made = features(&doc, &set, f);
                assert!(made.iter().all(|x| !x.contains('\n')), "{made:?}");
                assert_eq!(model.probability(&made), model.probability_of(&doc, &set, f), "{made:?}");
                seen += 1;
            }
        }
        assert!(seen >= 5, "{seen} findings");
    }

    #[test]
    fn cues_are_found_as_contains_finds_them() {
        let text = "当院の治療では副作用がありません。効果には個人差があり、料金は5,000円です";
        let expected = CUES.iter().enumerate().filter(|(_, c)| text.contains(*c)).fold(0u64, |b, (i, _)| b | 1 << i);
        assert_eq!(cues_in(text), expected);
        assert!(expected.count_ones() >= 8);
        assert_eq!(cues_in("何もない"), 0);
        for (i, cue) in CUES.iter().enumerate() {
            assert!(CUE_STARTS.contains(&(cue.chars().next().unwrap() as u32)), "{cue}");
            assert_eq!(cues_in(&format!("ab{cue}c")) & (1 << i), 1 << i, "{cue}");
        }
    }

    #[test]
    fn a_model_is_its_weights_and_threshold() {
        let model = parse_tsv("# threshold 0.5\n# calibration 0:0.2 0.7:0.8\n2.0\tb\n-3.0\tk:heading\n").unwrap();
        let bytes: &'static [u8] = Box::leak(to_bytes(&model).into_boxed_slice());
        let model = Model { table: Table::from_bytes(bytes).unwrap() };
        let p = model.probability(&["b".to_string()]);
        assert!((p - 1.0 / (1.0 + (-2.0f32).exp())).abs() < 1e-6);
        assert!(model.keeps(p));
        assert!(!model.keeps(model.probability(&["b".to_string(), "k:heading".to_string()])));
        assert_eq!(model.probability(&["unknown".to_string()]), 0.5);
        assert_eq!((model.confidence(p), model.confidence(0.5)), (Some(0.8), Some(0.2)));
    }
}
