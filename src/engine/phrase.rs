//! Phrase and claim rules.
//!
//! Candidates are literal hits, gated regex matches and, for claim rules
//! with `target` and `effect`, a target and an effect paired in one clause
//! ([`super::grammar`]). A candidate survives when every condition of its
//! rule holds, it lies in a block of an allowed kind, it is not a quotation
//! in a sentence about wording, and it is said in a voice the rule accepts.
//! Negatable rules drop candidates that a negation follows in the same
//! clause. Claim rules also need a page that advertises care and drop
//! candidates inside a caveat; a hedge in the sentence lowers their
//! severity.

use std::ops::Range;

use super::hits::{Hits, RuleHits};
use super::{grammar, snap, voice, RawFinding};
use crate::rules::compile::Lex;
use crate::rules::schema::{Polarity, Scope};
use crate::rules::{Category, Kind, RuleSet};
use crate::text::{BlockKind, Document};

/// How far (in bytes of normalized text) after a claim a negation may
/// start and still negate it: about a dozen Japanese characters.
const NEGATION_REACH: usize = 36;

/// How many characters of inflection after a claim are read for a
/// negative ending (改善し|ない, 高め|られません).
const ENDING_CHARS: usize = 8;

/// Adds the findings of phrase or claim rule `r` to `out`.
pub fn check(doc: &Document, set: &RuleSet, hits: &Hits, r: usize, out: &mut Vec<RawFinding>) {
    let settings = &set.settings[r];
    let own = &hits.rules[r];
    let has_candidates = !own.main.is_empty() || (settings.grammar && !own.effects.is_empty());
    if !has_candidates
        || !document_applies(set, hits, r)
        || (settings.kind == Kind::Claim && hits.lex(Lex::Treatment).is_empty() && hits.products.is_empty())
    {
        return;
    }
    let rule = &set.rules[r];
    let mut candidates = leftmost_longest(&own.main);
    candidates.retain(|c| !snap::inside_latin_word(&doc.text, c));
    if settings.grammar {
        candidates.extend(grammar::pairs(doc, own, settings));
    }
    for candidate in candidates {
        let sentence = doc.sentence_at(candidate.start);
        // What follows the claim in its sentence; nothing when the claim runs
        // past the sentence's end (a sentence cut by --max-sentence-chars).
        let after = &doc.text[candidate.end..sentence.end.max(candidate.end)];
        if !candidate_kept(doc, set, hits, r, &candidate, &sentence)
            || (settings.negative_endings && has_negative_ending(after))
            || (settings.negatable && is_negated(doc, hits, &sentence, &candidate))
            || (rule.kind == Kind::Claim && hits.lex(Lex::Caveat).any_overlapping(&candidate))
            || (rule.kind == Kind::Claim
                && doc.block_kind_at(candidate.start) != BlockKind::Heading
                && is_question(&doc.text[sentence.clone()]))
            || (rule.kind == Kind::Claim && asks_why(&doc.text[sentence.clone()]))
            || (rule.kind == Kind::Claim && explains_how(after))
            || (rule.kind == Kind::Claim && is_concessive(after))
            || (rule.kind == Kind::Claim
                && names_a_drug_class(&doc.text[candidate.clone()], &doc.text[candidate.end..]))
            || (rule.category != Category::Testimonial && is_quoted_wish(doc, &sentence, &candidate))
            || (rule.agent && !names_its_agent(doc, hits, &sentence, &candidate))
        {
            continue;
        }
        let hedged = settings.hedge_lowers && hits.lex(Lex::Hedge).any_within(&sentence);
        let severity = if hedged { rule.severity.lowered() } else { rule.severity };
        out.push(RawFinding {
            rule: r,
            severity,
            range: candidate,
            related: None,
            missing: Vec::new(),
            confidence: None,
        });
    }
}

/// Whether rule `r` applies to this document at all: its document-scope
/// conditions hold.
pub fn document_applies(set: &RuleSet, hits: &Hits, r: usize) -> bool {
    document_conditions_hold(set, &hits.rules[r], r)
}

/// Whether learned rule `r` reads this page: it advertises care (a
/// `@treatment` word or a product name, as claim rules need) and the
/// rule's document conditions hold.
pub fn learned_rule_applies(set: &RuleSet, hits: &Hits, r: usize) -> bool {
    (!hits.lex(Lex::Treatment).is_empty() || !hits.products.is_empty()) && document_applies(set, hits, r)
}

/// Where the learned rule must not look: the starts of the hits of the
/// engine classes that make a sentence something other than the clinic's
/// efficacy claim — talk about wording (「『必ず治る』という表現は使えません」),
/// an animal or cell study (preclinical extrapolation, the evidence-leap
/// rules' to report), a procedure's risks and aftercare (副作用, かさぶた:
/// risks played down are the safety rules' to report) — sorted. Negations
/// and caveats are not among them: a caveat does not clean a claim in the
/// same sentence (LABELING.md), and the model learned what they do to a
/// sentence (tried as vetoes, they cost as much recall as they bought
/// precision).
pub fn learned_vetoes(hits: &Hits) -> Vec<usize> {
    let mut starts: Vec<usize> = [Lex::Mention, Lex::PreclinicalMarker, Lex::RiskTalk]
        .into_iter()
        .flat_map(|lex| hits.lex(lex).iter().map(|r| r.start))
        .collect();
    starts.sort_unstable();
    starts
}

/// Whether every document-scope condition of rule `r` holds, given its hits
/// `own` (the automaton's, all of which are known once the text is scanned).
pub fn document_conditions_hold(set: &RuleSet, own: &RuleHits, r: usize) -> bool {
    set.settings[r]
        .conditions
        .iter()
        .zip(&own.conditions)
        .all(|(c, spans)| c.scope != Scope::Document || spans.is_empty() != (c.polarity == Polarity::Needs))
}

/// The checks every kind of candidate must pass: each condition of the
/// rule, a block of an allowed kind, a voice the rule accepts, and not a
/// quotation in a sentence about wording.
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
    for (condition, spans) in settings.conditions.iter().zip(&own.conditions) {
        if condition.scope == Scope::Document {
            continue; // checked once per document
        }
        let found = !spans.is_empty()
            && match condition.scope {
                Scope::Overlap => spans.any_overlapping(candidate),
                Scope::Next => {
                    spans.any_starting_at(candidate.end)
                        && ends_in_a_compound(&doc.text[..candidate.end])
                        && doc.adjacent_in_source(candidate.end)
                }
                Scope::Clause => {
                    let clause = doc.clause_at(candidate.start);
                    spans.any_within(&(clause.start..doc.clause_at(candidate.end.saturating_sub(1)).end))
                }
                Scope::Sentence => spans.any_within(sentence),
                Scope::Paragraph => spans.any_within(&doc.block_at(candidate.start)),
                Scope::Heading => spans.any_within(&doc.heading_for(candidate.start)),
                Scope::Nearby => spans.any_within(&doc.char_window(candidate, settings.nearby_chars)),
                Scope::Document => unreachable!("skipped above"),
            };
        if found != (condition.polarity == Polarity::Needs) {
            return false;
        }
    }
    (blocks.is_empty() || blocks.iter().any(|b| b.matches(doc.block_kind_at(candidate.start))))
        && !is_quoted_mention(doc, hits, sentence, candidate)
        && settings.voices.contains(voice::voice_at(doc, hits, candidate))
}

/// Whether text ending here can run on into one compound word with what
/// follows: its last word (its trailing run of word characters,
/// [`snap::in_word`]: 回復, アップ) is a noun, which a service word can
/// extend (回復 + 点滴, アップ + 点滴). Text ending in kana ends in a verb
/// or adjective (取り除く, 効く) or a noun made from one (若返り), and 的
/// makes an adjective (効果的): those qualify the next word instead
/// (取り除く治療, 効果的治療 are claims about the treatment, not its name).
/// And a last word right after a particle (シミを改善, たるみが改善) is the
/// predicate of a clause, not part of a name. All of these are read as not
/// running on, which keeps such candidates.
fn ends_in_a_compound(text: &str) -> bool {
    if !text.chars().next_back().is_some_and(|c| c != '的' && snap::in_word(c)) {
        return false;
    }
    let before = text.trim_end_matches(snap::in_word).chars().next_back();
    !matches!(before, Some('を' | 'が' | 'は' | 'に' | 'も' | 'で' | 'へ'))
}

/// Whether a claim names what does it: the care (a treatment word or a
/// product alias) in its sentence, a list item or heading (whose agent is
/// the page's subject), or the clinic itself, speaking in a humble ending
/// right after the claim (「膝の痛みを解決いたします」).
fn names_its_agent(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    matches!(doc.block_kind_at(candidate.start), BlockKind::ListItem | BlockKind::Heading | BlockKind::TableCell)
        || hits.lex(Lex::Treatment).any_within(sentence)
        || hits.products.any_within(sentence)
        || spoken_by_the_clinic(doc, hits, sentence, candidate)
}

/// Most characters between a claim and the humble ending that makes the
/// clinic its agent (を, して, に導き…).
const HUMBLE_GAP: usize = 4;

/// What in the gap before a humble ending makes the clinic speak of
/// something other than doing the claim: an honorific (むくみ解消を**ご説明**
/// いたします: it explains) or an aim (痛みを取り除く**よう**努力いたします:
/// it tries).
const NOT_DOING: [&str; 6] = ["ご", "お", "御", "よう", "ため", "べく"];

/// Whether a humble ending ([`Lex::ClinicHumble`]) follows the claim within
/// [`HUMBLE_GAP`] characters, with nothing of [`NOT_DOING`] between.
fn spoken_by_the_clinic(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    let after = candidate.end.min(sentence.end)..sentence.end;
    hits.lex(Lex::ClinicHumble).within(&after).next().is_some_and(|h| {
        let gap = &doc.text[after.start..h.start];
        gap.chars().nth(HUMBLE_GAP).is_none() && !NOT_DOING.iter().any(|w| gap.contains(w))
    })
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

/// Whether a sentence asks rather than states (「眼鏡なしで読めるレンズはない
/// のですか?」): a question in a Q&A or a reader's wish is not the clinic's
/// claim. A heading that asks still makes its claim, so the caller does
/// not ask this of headings.
pub(super) fn is_question(sentence: &str) -> bool {
    // A polite question ends in か (ないのですか?, できますか?); a headline
    // that asks (〜って?, 〜に期待?) is a claim in question form.
    // A plain question ends in の (跡は残らないの? 痛くないの?).
    let asked = sentence.trim_end().trim_end_matches(['?', '？']);
    asked.len() < sentence.trim_end().len() && (asked.ends_with('か') || asked.ends_with('の'))
}

/// Whether a sentence asks why (「なぜ近視の進行を抑えることが大切なのか」,
/// 「どうして再発するのでしょうか?」): it introduces an explanation, heading
/// or not; a claim in it is the topic, not the clinic's promise.
fn asks_why(sentence: &str) -> bool {
    // A heading's or list item's mark (■, #, ・) is not part of the question.
    let asked = sentence.trim().trim_start_matches(|c: char| !c.is_alphanumeric()).trim_end_matches(['?', '？', '。']);
    let starts = ["なぜ", "どうして", "何故"].iter().any(|w| asked.starts_with(w));
    starts && ["のか", "のでしょうか", "のですか", "でしょうか"].iter().any(|e| asked.ends_with(e))
}

/// Whether what follows a claim makes it the topic of an explanation
/// (「シミがレーザーで取れるしくみ」, 「多汗症に効くわけ」, 「どのように効くのかを説明
/// します」): how or why a care works, announced as what the text goes on to
/// explain, is no promise of its own, heading or not.
fn explains_how(after: &str) -> bool {
    const HOW: [&str; 7] = ["しくみ", "仕組み", "メカニズム", "わけ", "理由", "方法", "手段"];
    const THEN: [&str; 12] = [
        "を説明",
        "をご説明",
        "を解説",
        "をご紹介",
        "について",
        "とは",
        "は次",
        ":",
        "としては",
        "のひとつ",
        "は、",
        "には",
    ];
    let ends_or_then = |tail: &str| {
        let tail = tail.trim_end_matches(['。', '!', '?', ' ', '\n']);
        tail.is_empty() || THEN.iter().any(|t| tail.starts_with(t))
    };
    // The claim may end inside its verb (取れ|るしくみ): up to two kana of
    // inflection come first, then の, then か (どのように効くのかを説明).
    let mut rest = after;
    for _ in 0..2 {
        match rest.chars().next() {
            Some(c) if c != 'の' && ('ぁ'..='ゖ').contains(&c) && !HOW.iter().any(|w| rest.starts_with(w)) => {
                rest = &rest[c.len_utf8()..];
            }
            _ => break,
        }
    }
    let rest = rest.strip_prefix('の').unwrap_or(rest);
    if let Some(asked) = rest.strip_prefix('か') {
        return ["を説明", "をご説明", "を解説", "について"].iter().any(|w| asked.starts_with(w));
    }
    HOW.iter().any(|w| rest.strip_prefix(w).is_some_and(ends_or_then))
}

/// Whether a claim is conceded rather than asserted (「遠くはくっきり見え
/// ても、手もとはぼやけます」, 「体重が落ちてもリバウンドします」): a claim in a
/// clause of concession (〜ても, 〜でも after a verb) is what the sentence
/// goes on to qualify or deny.
fn is_concessive(after: &str) -> bool {
    // The claim may end inside its verb (見え|ても, 落ち|ても, 改善し|ても,
    // 飲ん|でも): up to two kana of inflection, then て or で and も.
    // で only after a kana (飲ん|でも): right after the claim it is a noun's
    // 「でも」 (even). 〜てもらう asks the clinic to do it, which is no concession.
    let kana: Vec<char> = after.chars().take(5).collect();
    (0..=2).any(|skip| {
        kana.len() >= skip + 2
            && kana[..skip].iter().all(|c| ('ぁ'..='ゖ').contains(c) && !['て', 'で'].contains(c))
            && (kana[skip] == 'て' || (kana[skip] == 'で' && skip > 0))
            && kana[skip + 1] == 'も'
            && kana.get(skip + 2) != Some(&'ら')
            && kana[..skip] != ['と'] // とても (very)
    })
}

/// Whether a claim is the head of a drug class's name (自律神経改善|薬,
/// 脱毛抑制|薬, 血行促進|剤): a compound of kanji that names a kind of drug
/// says what the drug is for, not that it works. `after` is the text
/// after the claim.
fn names_a_drug_class(claim: &str, after: &str) -> bool {
    let is_kanji = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    claim.chars().next_back().is_some_and(is_kanji) && (after.starts_with('薬') || after.starts_with('剤'))
}

/// Whether a claim is a reader's wish in quotation marks
/// (「1回で見違えるほど変わる」と期待される方, 「メガネなしで過ごしたい」という願い):
/// what someone hopes for, quoted, is not what the clinic promises.
fn is_quoted_wish(doc: &Document, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    const WISHES: [&str; 14] = [
        "という願い",
        "という希望",
        "というご希望",
        "というご要望",
        "という要望",
        "という思い",
        "というお気持ち",
        "という気持ち",
        "という期待",
        "という方",
        "というお悩み",
        "という悩み",
        "というご相談",
        "と期待",
    ];
    let Some(quote) = doc.enclosing_quote(sentence, candidate.start) else {
        return false;
    };
    let after = &doc.text[quote.end.min(sentence.end)..sentence.end];
    let after = after.trim_start_matches(['」', '』', '”']);
    WISHES.iter().any(|w| after.starts_with(w))
        || ["と願", "と希望", "とお考え", "と考え", "と思"]
            .iter()
            .any(|w| after.starts_with(w) && !after.starts_with("と思います"))
}

/// A negation (`わけではありません`, `とは限りません`…) that starts shortly
/// after the candidate, in the same sentence and clause.
pub(super) fn is_negated(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    // Negations come by start, so the look ends at the first one out of reach.
    hits.lex(Lex::Negation)
        .within(&(candidate.end..sentence.end))
        .take_while(|n| n.start - candidate.end <= NEGATION_REACH)
        .any(|n| !doc.text[candidate.end..n.start].contains(['、', '。', ',']))
}

/// Whether the inflection that `rest` starts with is negative: the kana
/// right after a claim hold ない, ません, なかっ or ず (改善し|ない, 高め|ません,
/// 効か|ず). Kana only, so a following noun ends the look.
fn has_negative_ending(rest: &str) -> bool {
    let ending: String =
        rest.chars().take_while(|c| ('\u{3041}'..='\u{309F}').contains(c)).take(ENDING_CHARS).collect();
    // 〜ないよう(に) / 〜ないため is a purpose, 〜かねません a likelihood,
    // 〜のではないでしょうか a suggestion and 〜しかない a necessity, not a
    // negated claim; 〜なくな… (to disappear) is a change of state.
    const NOT_NEGATIONS: [&str; 6] = ["ないよう", "ないため", "かね", "ではないでしょ", "ではありませんか", "しかな"];
    if NOT_NEGATIONS.iter().any(|n| ending.contains(n)) {
        return false;
    }
    // 〜にくい / 〜づらい (hard to) deny the favourable change as ない does
    // (効果が長持ち|しにくい); claims whose effect is a denial (副作用が起こり
    // にくい) set negative_endings = false.
    const HARD_TO: [&str; 4] = ["にく", "しにく", "づら", "しづら"];
    ending.contains("ない") && !ending.starts_with("なくな")
        || HARD_TO.iter().any(|h| ending.starts_with(h))
        || ending.contains("ません")
        || ending.contains("なかっ")
        || ending.starts_with('ず')
        || ending.ends_with('ず')
}

/// A candidate inside 「」 or 『』 in a sentence that talks about wording
/// (「『絶対治る』とは表現できません」) is a mention, not a claim.
pub fn is_quoted_mention(doc: &Document, hits: &Hits, sentence: &Range<usize>, candidate: &Range<usize>) -> bool {
    voice::enclosing_quote(doc, sentence, candidate.start).is_some() && hits.lex(Lex::Mention).any_within(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftmost_longest_prefers_the_longer_of_equal_starts() {
        assert_eq!(leftmost_longest(&[3..6, 0..3, 0..6, 5..9, 9..10]), [0..6, 9..10]);
    }

    #[test]
    fn why_questions_ask_heading_or_not() {
        for s in [
            "■なぜ近視の進行を抑えることが大切なのか",
            "なぜ近視の進行を抑えることが大切なのか",
            "どうして再発するのでしょうか?",
            "なぜ効くのですか？",
        ] {
            assert!(asks_why(s), "{s}");
        }
        for s in ["なぜなら代謝が高まるからです。", "なぜか肌が若返ります", "近視の進行を抑えるのはなぜか"]
        {
            assert!(!asks_why(s), "{s}");
        }
    }

    #[test]
    fn drug_class_names_are_not_claims() {
        assert!(names_a_drug_class("自律神経改善", "薬"));
        assert!(names_a_drug_class("脱毛抑制", "剤で"));
        assert!(!names_a_drug_class("痩せる", "薬です"), "a verb before 薬 still claims");
        assert!(!names_a_drug_class("改善", "します"));
    }

    #[test]
    fn concessions_are_not_claims() {
        for after in ["ても、手もとはぼやけます", "てもリバウンド", "しても再発", "んでも効かない", "ても"]
        {
            assert!(is_concessive(after), "{after}");
        }
        for after in ["ます。", "でも実感", "てもらえます", "とても", "て、もう一度"] {
            assert!(!is_concessive(after), "{after}");
        }
    }

    #[test]
    fn explanations_of_how_a_care_works_are_topics() {
        for after in [
            "しくみ",
            "のしくみ",
            "わけ",
            "理由について",
            "のかを説明します。",
            "メカニズムとは",
            "るしくみ",
            "する方法",
            "する方法としては、",
            "する手段のひとつに、",
        ] {
            assert!(explains_how(after), "{after}");
        }
        for after in [
            "ます。",
            "理由があります",
            "ので安心です",
            "わけではありません",
            "を解説します",
            "ますについて",
            "できる方法です",
            "方法です。",
        ] {
            assert!(!explains_how(after), "{after}");
        }
    }

    #[test]
    fn polite_questions_are_questions_and_headline_questions_are_not() {
        for s in [
            "痛みはありますか?",
            "老眼鏡なしで読めるレンズはないのですか？",
            "若返りたいと思いませんか? ",
            "跡は残らないの?",
        ] {
            assert!(is_question(s), "{s}");
        }
        for s in ["たるみ解消に効果的なHIFUって?", "アトピー改善に期待?", "効果があります。", "か"]
        {
            assert!(!is_question(s), "{s}");
        }
    }

    #[test]
    fn negative_endings() {
        for rest in
            ["ない。", "ません", "なかった", "ずに", "られない", "できないこと", "しにくいといわれ", "にくく", "づらい"]
        {
            assert!(has_negative_ending(rest), "{rest}");
        }
        for rest in [
            "ます",
            "ることができます",
            "ないように",
            "なくなります",
            "。ない",
            "効果",
            "かねません",
            "のではないでしょうか",
            "のにくらべ",
        ] {
            assert!(!has_negative_ending(rest), "{rest}");
        }
    }
}
