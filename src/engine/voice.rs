//! Who is speaking where a candidate stands: the clinic, a patient, a
//! study in animals or cells, or the clinic telling one patient's case.
//! The same improvement wording is a testimonial in a patient's voice or in
//! a case report's account of one patient's course, preclinical
//! extrapolation when it rests on a mouse study, and the clinic's own
//! efficacy claim otherwise.

use std::ops::Range;

use super::hits::Hits;
use super::learned::trimmed;
use crate::rules::compile::Lex;
use crate::rules::Voice;
use crate::text::{BlockKind, Document};

/// How far (characters) an attribution tag (（40代女性）) reaches from the
/// words it attributes, when they share no block.
const TAG_REACH_CHARS: usize = 40;

/// The voice at `candidate`.
pub fn voice_at(doc: &Document, hits: &Hits, candidate: &Range<usize>) -> Voice {
    if rests_on_study(doc, hits, candidate) {
        Voice::Study
    } else if is_patient_voice(doc, hits, candidate) {
        Voice::Patient
    } else if told_of_a_case(doc, hits, candidate) {
        Voice::Case
    } else {
        Voice::Clinic
    }
}

/// A preclinical marker in the candidate's sentence, earlier in its block,
/// or in the sentence just before it.
fn rests_on_study(doc: &Document, hits: &Hits, candidate: &Range<usize>) -> bool {
    let markers = hits.lex(Lex::PreclinicalMarker);
    if markers.is_empty() {
        return false;
    }
    let s = doc.sentence_index(candidate.start);
    let sentence = &doc.sentences[s];
    let block = doc.block_at(candidate.start);
    if markers.any_within(sentence) || markers.any_within(&(block.start..candidate.start)) {
        return true;
    }
    s > 0 && {
        let previous = &doc.sentences[s - 1];
        doc.block_kind_at(previous.start) != BlockKind::Heading && markers.any_within(previous)
    }
}

/// Inside a quotation that reads as a patient's own words, in a sentence
/// about a particular patient, near a tag that attributes words to a
/// patient, or under a testimonial heading.
fn is_patient_voice(doc: &Document, hits: &Hits, candidate: &Range<usize>) -> bool {
    let sentence = doc.sentence_at(candidate.start);
    if hits.lex(Lex::PatientSubject).any_within(&sentence) {
        return true;
    }
    if let Some(quote) = enclosing_quote(doc, &sentence, candidate.start) {
        if hits.lex(Lex::PatientSpeech).any_within(&quote) && !hits.lex(Lex::Mention).any_within(&sentence) {
            return true;
        }
    }
    let tags = hits.lex(Lex::PatientTag);
    if !tags.is_empty() {
        let block = doc.block_at(candidate.start);
        if tags.any_within(&block)
            || tags.within(&doc.char_window(candidate, TAG_REACH_CHARS)).any(|tag| stands_alone(doc, &tag))
        {
            return true;
        }
    }
    let heading = doc.heading_for(candidate.start);
    !heading.is_empty() && hits.lex(Lex::TestimonialHeading).any_within(&heading)
}

/// Most characters a paragraph that opens a case report may hold: a title
/// line (症例報告 肺癌, 患者様について), not a sentence that mentions cases.
const OPENER_LINE_CHARS: usize = 30;

/// Whether the candidate tells a particular patient's course: a case
/// report is open where it stands ([`case_open_at`]), and its sentence ends
/// in the past ([`Lex::PastTelling`]: 〜が軽くなりました, 〜は消失した). The
/// clinic's present-tense claims on the same page (軟骨ができる) stay its
/// own.
fn told_of_a_case(doc: &Document, hits: &Hits, candidate: &Range<usize>) -> bool {
    case_open_at(doc, hits, candidate.start).is_some() && ends_in_the_past(doc, hits, &doc.sentence_at(candidate.start))
}

/// How far (bytes) a case report runs after its opener: about 2,000
/// Japanese characters, a case's course and its follow-up, not the rest of
/// a long landing page.
const CASE_REACH_BYTES: usize = 6_000;

/// The case opener ([`Lex::CaseOpener`]) whose case report is open at byte
/// `pos`: the last one before it, within [`CASE_REACH_BYTES`], that opens a
/// case ([`opens_a_case`]), with no heading between them that starts
/// another kind of section ([`Lex::CaseCloser`]: 料金, よくあるご質問). Other
/// headings do not close a case: a case report's own sections (治療経過,
/// 検査所見) and short title lines in plain text are headings too.
fn case_open_at(doc: &Document, hits: &Hits, pos: usize) -> Option<Range<usize>> {
    let opener = hits
        .lex(Lex::CaseOpener)
        .within(&(pos.saturating_sub(CASE_REACH_BYTES)..pos))
        .filter(|o| opens_a_case(doc, o))
        .last()?;
    let closers = hits.lex(Lex::CaseCloser);
    let (from, to) = (doc.block_index(opener.start), doc.block_index(pos));
    let closed = !closers.is_empty()
        && doc.blocks[(from + 1).min(to)..=to]
            .iter()
            .any(|(block, kind)| *kind == BlockKind::Heading && closers.any_within(block));
    (!closed).then_some(opener)
}

/// Whether case opener `opener` heads its block as a title: the block is a
/// heading or a paragraph of at most [`OPENER_LINE_CHARS`] characters (not a
/// list of links, a table or page metadata), nothing but marks and numbers
/// comes before the opener (a menu line ホーム | 症例紹介 or a breadcrumb does
/// not open a case), and the line does not end as a sentence does
/// (症例紹介を更新しました is news, not a case).
fn opens_a_case(doc: &Document, opener: &Range<usize>) -> bool {
    let block = doc.block_at(opener.start);
    if block.is_empty() || block.start > opener.start {
        return false;
    }
    let line = &doc.text[trimmed(&doc.text, &block)];
    let titled = match doc.block_kind_at(opener.start) {
        BlockKind::Heading => true,
        BlockKind::Paragraph => line.chars().count() <= OPENER_LINE_CHARS,
        _ => false,
    };
    let lead_in = &doc.text[block.start..opener.start];
    titled && !lead_in.chars().any(char::is_alphabetic) && !matches!(line.chars().last(), Some('す' | 'た' | 'だ'))
}

/// Whether `sentence`, without its closing punctuation and brackets, ends
/// in a past-telling ending (〜ました, 〜った, 〜たとのことです).
fn ends_in_the_past(doc: &Document, hits: &Hits, sentence: &Range<usize>) -> bool {
    let words = trimmed(&doc.text, sentence);
    // The clinic's record (多くの方の腰痛を改善してきました) is not a case.
    let record = ["してきました", "してまいりました", "してきた"].iter().any(|r| doc.text[words.clone()].ends_with(r));
    !record && hits.lex(Lex::PastTelling).within(sentence).any(|h| h.end == words.end)
}

/// Whether an attribution tag is all its block holds (a line `（40代女性）`
/// under or above the words it attributes). A tag that ends a block of
/// other words (「…」（70代女性）) attributes that block, not its neighbours.
fn stands_alone(doc: &Document, tag: &Range<usize>) -> bool {
    let block = doc.block_at(tag.start);
    // Stops at the first letter or digit: a tag inside a long paragraph
    // costs a few characters, not the paragraph.
    let has_words = |r: Range<usize>| doc.text[r].chars().any(char::is_alphanumeric);
    !has_words(block.start..tag.start) && !has_words(tag.end..block.end.max(tag.end))
}

/// The text inside the innermost quotation that holds byte `pos` of
/// `sentence`, if any (see [`Document::enclosing_quote`]: a quotation may
/// run over several sentences).
pub fn enclosing_quote(doc: &Document, sentence: &Range<usize>, pos: usize) -> Option<Range<usize>> {
    doc.enclosing_quote(sentence, pos)
}
