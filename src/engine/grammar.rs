//! Claims as grammar: a target (代謝, むくみ, がん細胞) and an effect
//! (高める, 抑える, 攻撃) of word classes in one clause make a candidate,
//! whatever the words between them. The effect is paired with the nearest
//! target before it (or, for `order = "either"`, after it) within `gap`
//! characters; the candidate spans both.

use std::ops::Range;

use super::hits::RuleHits;
use super::phrase::leftmost_longest;
use super::snap;
use crate::rules::compile::RuleSettings;
use crate::text::Document;

/// The target–effect pairs of one rule.
pub fn pairs(doc: &Document, own: &RuleHits, settings: &RuleSettings) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if own.targets.is_empty() {
        return out;
    }
    let whole = |r: &Range<usize>| !snap::inside_longer_word(&doc.text, r, |at| doc.adjacent_in_source(at));
    let effects: Vec<Range<usize>> = own.effects.iter().filter(|r| whole(r)).cloned().collect();
    for effect in leftmost_longest(&effects) {
        let clause = doc.clause_at(effect.start);
        let before = own
            .targets
            .within(&(clause.start..effect.end))
            .filter(whole)
            .filter(|t| t.start < effect.start || (t.start == effect.start && t.end < effect.end))
            .max_by_key(|t| (t.end.min(effect.start), std::cmp::Reverse(t.start)));
        if let Some(target) = before {
            let term_end = quoted_term_end(doc, &target);
            let term_end = Some(gloss_end(doc, term_end)).filter(|&g| g <= effect.start).unwrap_or(term_end);
            if !is_marked_other(doc, term_end, effect.start, &settings.target_marked_other)
                && (joinable(doc, term_end, effect.start, settings.gap)
                    || is_label_and_value(doc, term_end, effect.start))
            {
                let start = glossed_term_start(doc, own, &target);
                out.push(start..effect.end.max(target.end));
                continue;
            }
        }
        if let Some(target) = topic_before(doc, own, &effect) {
            out.push(target.start..effect.end);
            continue;
        }
        if settings.either_order {
            let after = own
                .targets
                .within(&(effect.start..clause.end))
                .filter(whole)
                .filter(|t| t.start >= effect.end)
                .min_by_key(|t| (t.start, std::cmp::Reverse(t.end)));
            if let Some(target) = after {
                if joinable(doc, effect.end, target.start, settings.gap) {
                    out.push(effect.start..target.end);
                }
            }
        }
    }
    leftmost_longest(&out)
}

/// Words that begin with a particle a rule may list in
/// `target_marked_other` but are other words: でも and では say "even" and
/// "as for" (シミでも薄く is a claim about シミ), not a cause or means.
const NOT_MARKING: [&str; 2] = ["でも", "では"];

/// Whether the target ending at `term_end` is marked, by one of
/// `particles` between it and the effect starting at `effect_start`, as
/// something other than what the effect speaks of (脂肪|から|取り出す: a
/// source; 脂肪|からも: a source too). A particle that the effect itself
/// begins with (肩こり|から解放) marks nothing, nor do [`NOT_MARKING`].
fn is_marked_other(doc: &Document, term_end: usize, effect_start: usize, particles: &[String]) -> bool {
    if term_end >= effect_start {
        return false;
    }
    let between = &doc.text[term_end..effect_start];
    !NOT_MARKING.iter().any(|w| between.starts_with(w)) && particles.iter().any(|p| between.starts_with(p.as_str()))
}

/// Particles that make a target the topic of its sentence when a comma
/// follows them (痛みは、 / 赤みも、 / 腫れについては、): the topic is what the
/// sentence's later predicate speaks of, across the comma.
const TOPIC_MARKERS: [&str; 4] = ["は、", "も、", "には、", "については、"];

/// Most characters between a topic and the effect it pairs with.
const TOPIC_REACH: usize = 24;

/// The nearest target before the effect in its sentence, when that target
/// is the sentence's topic (followed by は、 or も、): no other target of the
/// rule lies between it and the effect.
fn topic_before(doc: &Document, own: &RuleHits, effect: &Range<usize>) -> Option<Range<usize>> {
    let sentence = doc.sentence_at(effect.start);
    let target = own
        .targets
        .within(&(sentence.start..effect.start))
        .filter(|t| t.end <= effect.start)
        .max_by_key(|t| (t.end, std::cmp::Reverse(t.start)))?;
    let rest = &doc.text[target.end..effect.start];
    let is_topic = TOPIC_MARKERS.iter().any(|m| rest.starts_with(m));
    let near = rest.chars().nth(TOPIC_REACH).is_none();
    let plain = !rest.contains(['「', '」', '『', '』', '(', ')', '【', '】', '\n']);
    let whole = !snap::inside_longer_word(&doc.text, &target, |at| doc.adjacent_in_source(at));
    (is_topic && near && plain && whole).then_some(target)
}

/// Where a target ends, counting the closing mark when the target is a
/// whole quoted term that is the object or subject of what follows
/// (「自己治癒力」を引き上げる, 『免疫』が高まる): the quotation marks a term,
/// not a boundary. A quoted term followed by anything else
/// (「細胞」も再生医療) still ends at the mark.
fn quoted_term_end(doc: &Document, target: &Range<usize>) -> usize {
    const PAIRS: [(char, char); 3] = [('「', '」'), ('『', '』'), ('“', '”')];
    let before = doc.text[..target.start].chars().next_back();
    let mut after = doc.text[target.end..].chars();
    let (close, particle) = (after.next(), after.next());
    let quoted = PAIRS.iter().any(|&(open, end)| before == Some(open) && close == Some(end));
    match (quoted, close, particle) {
        (true, Some(close), Some('を' | 'が')) => target.end + close.len_utf8(),
        _ => target.end,
    }
}

/// Most characters inside a parenthetical gloss that a target may carry.
const GLOSS_CHARS: usize = 24;

/// Where a target ends, counting a parenthetical gloss that names it again
/// (FDA(米国食品医薬品局)が承認, PRP(多血小板血漿)が修復を促す): a gloss right
/// after the term, or the target itself being the gloss of the term before
/// it, is part of the name, not a boundary. A gloss is at most
/// [`GLOSS_CHARS`] characters of a name: no other bracket, comma or
/// sentence mark, and no hiragana but の.
fn gloss_end(doc: &Document, end: usize) -> usize {
    let rest = &doc.text[end..];
    if let Some(inside) = rest.strip_prefix('(') {
        return match gloss_close(inside) {
            Some(len) => end + 1 + len + 1,
            None => end,
        };
    }
    if rest.starts_with(')') {
        let opened = doc.text[..end].rfind(['(', ')', '\n', '。']);
        if let Some(open) = opened.filter(|&o| doc.text[o..].starts_with('(')) {
            if gloss_close(&doc.text[open + 1..]) == Some(end - open - 1) {
                return end + 1;
            }
        }
    }
    end
}

/// Where the claim starts when `target` is itself the gloss of a target
/// right before it (FDA(米国食品医薬品局)): at that term, so that the span
/// does not begin inside the brackets.
fn glossed_term_start(doc: &Document, own: &RuleHits, target: &Range<usize>) -> usize {
    let Some(open) = doc.text[..target.start].strip_suffix('(').map(str::len) else {
        return target.start;
    };
    own.targets
        .within(&(doc.clause_at(open).start..open))
        .filter(|t| t.end == open)
        .map(|t| t.start)
        .min()
        .unwrap_or(target.start)
}

/// The byte length of a gloss's inside (`inside` starts right after its
/// opening mark), when it closes within [`GLOSS_CHARS`] characters.
fn gloss_close(inside: &str) -> Option<usize> {
    for (n, (i, c)) in inside.char_indices().enumerate() {
        match c {
            ')' if n > 0 => return Some(i),
            _ if n >= GLOSS_CHARS => return None,
            '(' | ')' | '「' | '」' | '『' | '』' | '。' | '、' | '\n' => return None,
            // A name, not an aside: no kana but の (多くは1〜2日で is an aside).
            'ぁ'..='ゖ' if c != 'の' => return None,
            _ => {}
        }
    }
    None
}

/// Characters that part a target from an effect: a quotation or bracket
/// boundary, a list separator, a comma or a space. 「むくみ、冷えを改善」 still
/// pairs (冷え is the nearest target); 「細胞」も再生医療 does not.
const SEPARATORS: &[char] =
    &['「', '」', '『', '』', '(', ')', '【', '】', '[', ']', '・', '、', ',', '/', '|', ':', ' ', '\n'];

/// Whether a target and the effect after it are a label and its value
/// (ダウンタイム:ほとんどなし, 痛み: 少なめ, a plain-text table row
/// `| 腫れ | ほぼなし |`): only a colon or a cell's bar, with spaces,
/// between them. Both are otherwise separators. Cells of HTML and Markdown
/// tables are blocks of their own and are not paired: a block does not
/// know its row, and a value's own wording (少ないとは言えません) is read
/// with its sentence only.
fn is_label_and_value(doc: &Document, from: usize, to: usize) -> bool {
    to > from && matches!(doc.text[from..to].trim_matches(' '), ":" | "|")
}

/// Whether the text between two byte offsets is short enough (at most
/// `gap` characters) and crosses no separator. Touching or overlapping
/// words always join.
fn joinable(doc: &Document, from: usize, to: usize, gap: usize) -> bool {
    if to <= from {
        return true;
    }
    let between = &doc.text[from..to];
    between.chars().nth(gap).is_none() && !between.contains(SEPARATORS)
}
