//! Widening a span to whole words, so that a finding never cuts a word:
//! 「マウス実」 becomes 「マウス実験」, 「歳若く」 becomes 「5歳若く」, 「初回50」
//! becomes 「初回50%」. A span edge inside a run of kanji, katakana, Latin
//! letters or digits moves out to the end of the run (a few characters at
//! most); a number takes its unit and a unit its number.
//!
//! A run ends where the source had a space or a line break, though the
//! fold removed it between Japanese characters: 「5年間通い放題　月々」
//! stays 「5年間通い放題」, and of lines the fold joined (「徹底解説⏎最新の
//! 美容医療」) a span keeps to its own line. In copy hard-wrapped in the
//! middle of a word (マウス実⏎験) the span stops at the line's end; on the
//! labeled pages every span that reached across a line break took a word
//! of another line, and none completed a wrapped word.

use std::ops::Range;

/// Most characters an edge moves.
const MAX_WIDEN: usize = 6;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Katakana,
    Latin,
    Digit,
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' => Script::Kanji,
        '\u{30A1}'..='\u{30FA}' | 'ー' => Script::Katakana,
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '0'..='9' => Script::Digit,
        _ => Script::Other,
    }
}

/// Whether a character belongs to a run that makes a word: kanji,
/// katakana (with ー), Latin letters or digits.
pub fn in_word(c: char) -> bool {
    script(c) != Script::Other
}

/// Units that belong to the number before them.
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '%' | '円' | '歳' | '才' | '倍' | '割' | '回' | '万' | '千' | '本' | '日' | '年' | '名' | '人' | '件' | '位'
    )
}

/// Whether two neighbours belong to one word.
fn joins(left: char, right: char) -> bool {
    let (l, r) = (script(left), script(right));
    (l == r && l != Script::Other)
        || (l == Script::Digit && (is_unit(right) || right == '.' || right == ','))
        || ((left == '.' || left == ',') && r == Script::Digit)
}

/// Whether a hit of a katakana or Latin word is only part of a longer
/// word (コリ in アセチルコリン, ed in need): such a hit is not the word.
/// `adjacent` is as for [`to_words`]: katakana the source set apart with a
/// space (ダウン　タイム) are two words, though the fold joined them.
pub fn inside_longer_word(text: &str, range: &std::ops::Range<usize>, adjacent: impl Fn(usize) -> bool) -> bool {
    continues_past(text, range, &[Script::Katakana, Script::Latin], adjacent)
}

/// Whether a hit that starts or ends with a Latin letter is only part of
/// a longer Latin word (ed in randomized, nk in think): katakana compounds
/// (ダウンタイム in ノーダウンタイム) are still words of their own.
pub fn inside_latin_word(text: &str, range: &std::ops::Range<usize>) -> bool {
    // The fold keeps the spaces between Latin words: no gap to ask about.
    continues_past(text, range, &[Script::Latin], |_| true)
}

/// Whether the word at an edge of `range`, in one of `scripts`, goes on
/// past that edge (with no gap of the source there, by `adjacent`).
fn continues_past(
    text: &str,
    range: &std::ops::Range<usize>,
    scripts: &[Script],
    adjacent: impl Fn(usize) -> bool,
) -> bool {
    let (Some(first), Some(last)) = (text[range.clone()].chars().next(), text[range.clone()].chars().next_back())
    else {
        return false;
    };
    let continues = |edge: char, neighbour: Option<char>| {
        let s = script(edge);
        scripts.contains(&s) && neighbour.is_some_and(|n| script(n) == s)
    };
    (continues(first, text[..range.start].chars().next_back()) && adjacent(range.start))
        || (continues(last, text[range.end..].chars().next()) && adjacent(range.end))
}

/// `range` of `text` widened to whole words. `adjacent(at)` says whether
/// the characters either side of byte `at` were next to each other in the
/// source: a space or line break that normalization removed between two
/// runs (シミ改善　施術時間) still ends a word.
pub fn to_words(text: &str, range: Range<usize>, adjacent: impl Fn(usize) -> bool) -> Range<usize> {
    if range.is_empty() {
        return range;
    }
    let mut start = range.start;
    for _ in 0..MAX_WIDEN {
        let (Some(prev), Some(first)) = (text[..start].chars().next_back(), text[start..].chars().next()) else {
            break;
        };
        if !joins(prev, first) || !adjacent(start) {
            break;
        }
        start -= prev.len_utf8();
    }
    let mut end = range.end;
    for _ in 0..MAX_WIDEN {
        let (Some(last), Some(next)) = (text[..end].chars().next_back(), text[end..].chars().next()) else {
            break;
        };
        if !joins(last, next) || !adjacent(end) {
            break;
        }
        end += next.len_utf8();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widen(text: &str, part: &str) -> String {
        let at = text.find(part).unwrap();
        text[to_words(text, at..at + part.len(), |_| true)].to_string()
    }

    #[test]
    fn latin_hits_inside_longer_latin_words_are_not_words() {
        let text = "a randomized trial, ED治療, think NK細胞";
        let at = |part: &str| {
            let start = text.find(part).unwrap();
            start..start + part.len()
        };
        assert!(inside_latin_word(text, &(text.find("ized").unwrap() - 2..text.find("ized").unwrap())));
        assert!(!inside_latin_word(text, &at("ED")));
        assert!(!inside_latin_word(text, &at("NK")));
        assert!(inside_latin_word(text, &(at("think").start + 3..at("think").end)), "nk in think");
        assert!(!inside_latin_word("ノーダウンタイム", &(6..18)), "katakana compounds are left alone");
    }

    #[test]
    fn katakana_and_latin_hits_inside_longer_words() {
        let text = "アセチルコリンとコリ、needとed";
        let at = |w: &str, nth: usize| {
            let i = text.match_indices(w).nth(nth).unwrap().0;
            i..i + w.len()
        };
        assert!(inside_longer_word(text, &at("コリ", 0), |_| true));
        assert!(!inside_longer_word(text, &at("コリ", 1), |_| true));
        assert!(inside_longer_word(text, &at("ed", 0), |_| true));
        assert!(!inside_longer_word(text, &at("ed", 1), |_| true));
        // 「ダウン　タイム」 folds to ダウンタイム; the source's space after
        // ダウン (byte 9) still ends the word.
        let text = "ダウンタイム";
        assert!(inside_longer_word(text, &(0..9), |_| true));
        assert!(!inside_longer_word(text, &(0..9), |at| at != 9));
        assert!(!inside_longer_word(text, &(9..18), |at| at != 9));
    }

    #[test]
    fn spans_take_whole_words() {
        assert_eq!(widen("マウス実験では", "マウス実"), "マウス実験");
        assert_eq!(widen("見た目が5歳若くなる", "歳若く"), "5歳若く");
        assert_eq!(widen("今なら初回50%オフ", "今なら初回50"), "今なら初回50%");
        assert_eq!(widen("代謝を高めます", "代謝を高め"), "代謝を高め");
        assert_eq!(widen("通常198,000円のところ", "198"), "198,000円");
    }

    #[test]
    fn a_word_ends_where_the_source_had_a_space() {
        // 「シミ改善　施術時間」 folds to シミ改善施術時間; the source's space
        // after 改善 (byte 12 of the folded text) still ends the word.
        let text = "シミ改善施術時間";
        assert_eq!(&text[to_words(text, 0..12, |at| at != 12)], "シミ改善");
        assert_eq!(&text[to_words(text, 3..12, |at| at != 12)], "シミ改善");
        assert_eq!(&text[to_words(text, 12..18, |at| at != 12)], "施術時間");
    }
}
