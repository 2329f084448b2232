//! Character folding for matching.
//!
//! Clinic copy spells the same word many ways: `Ｎｏ．１` and `No.1`,
//! `ｴｸｿｿｰﾑ` and `エクソソーム`, `NMN` and `nmn`, a sentence hard-wrapped in
//! the middle of a word. Matching sees one folded form:
//!
//! - full-width ASCII to ASCII, U+3000 to a space;
//! - half-width katakana to full-width (voiced marks composed);
//! - Latin letters lower-cased;
//! - dash and long-vowel variants to `ー`, wave dashes to `〜`;
//! - whitespace between two Japanese characters removed, other runs of
//!   whitespace collapsed to one space, none at either end of a block;
//! - kanji spellings of grammatical words to kana (`出来る` to `できる`,
//!   see [`super::spelling`]).
//!
//! [`fold_str`] applies the same folding to rule literals.

use super::spelling;
use unicode_normalization::char::compose;
use unicode_normalization::UnicodeNormalization;

/// How one source character folds.
enum Folded {
    /// Contributes nothing (zero-width characters, byte-order marks).
    Nothing,
    /// Is whitespace (handled as a run).
    Space,
    /// A half-width voiced or semi-voiced mark to compose with the previous
    /// character.
    Mark(char),
    /// Becomes this character.
    Char(char),
}

fn fold_char(c: char) -> Folded {
    match c {
        // Fast paths: kana (but the long-vowel mark) and kanji, ASCII.
        '\u{3041}'..='\u{30FB}' | '\u{30FD}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' => Folded::Char(c),
        'a'..='z' | '0'..='9' => Folded::Char(c),
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{00AD}' => Folded::Nothing,
        c if c.is_whitespace() => Folded::Space,
        '\u{FF0D}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF70}' | '\u{30FC}' => Folded::Char('ー'),
        '\u{FF5E}' | '\u{301C}' => Folded::Char('〜'),
        '\u{FF9E}' => Folded::Mark('\u{3099}'),
        '\u{FF9F}' => Folded::Mark('\u{309A}'),
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            Folded::Char(ascii.to_ascii_lowercase())
        }
        '\u{FF61}'..='\u{FF9D}' => Folded::Char(std::iter::once(c).nfkc().next().unwrap_or(c)),
        'A'..='Z' => Folded::Char(c.to_ascii_lowercase()),
        c if !c.is_ascii() && (c as u32) < 0x2000 && c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Folded::Char(l),
                _ => Folded::Char(c),
            }
        }
        c => Folded::Char(c),
    }
}

/// True for characters of Japanese script and punctuation, between which
/// whitespace carries no meaning.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0x20000..=0x2FFFF)
}

/// Appends the folded form of `chars` to `out`; for every byte written,
/// pushes the index (offset by `base`) of the character that produced it.
/// `origin` may hold one entry per byte of `out` or start empty with this
/// call (one entry per byte written). Where whitespace between two
/// characters is removed, pushes to `gaps` the offset in `out` of the
/// character after it: the two were apart in the source.
pub fn fold_into(chars: &[char], base: u32, out: &mut String, origin: &mut Vec<u32>, gaps: &mut Vec<u32>) {
    fold_chars(chars, base, out, origin, true, Some(gaps));
}

/// [`fold_into`], with or without the kanji spellings, recording the gaps
/// when asked.
fn fold_chars(
    chars: &[char],
    base: u32,
    out: &mut String,
    origin: &mut impl Origins,
    spellings: bool,
    mut gaps: Option<&mut Vec<u32>>,
) {
    let block_start = out.len();
    // Where byte `b` of `out` has its entry in `origin`.
    let shift = out.len() - origin.len();
    let mut i = 0;
    while i < chars.len() {
        if spellings && spelling::may_start(chars[i]) {
            if let Some((len, kana)) = spelling::at(chars, i, out[block_start..].chars().next_back()) {
                // Each kana maps to the source character in the same
                // place, the last one taking the rest (綺麗 to きれい).
                for (k, c) in kana.chars().enumerate() {
                    push(out, origin, c, base + (i + k.min(len - 1)) as u32);
                }
                i += len;
                continue;
            }
        }
        match fold_char(chars[i]) {
            Folded::Nothing => i += 1,
            Folded::Space => {
                let first = i;
                while i < chars.len() && matches!(fold_char(chars[i]), Folded::Space | Folded::Nothing) {
                    i += 1;
                }
                let prev = out[block_start..].chars().next_back();
                let next = chars.get(i).map(|&c| match fold_char(c) {
                    Folded::Char(f) | Folded::Mark(f) => f,
                    Folded::Space | Folded::Nothing => unreachable!("the run was skipped"),
                });
                let keep = match (prev, next) {
                    (Some(p), Some(n)) => !(is_japanese(p) && is_japanese(n)),
                    _ => false,
                };
                if keep {
                    out.push(' ');
                    origin.push(base + first as u32);
                } else if let (Some(gaps), Some(p), Some(&c)) = (gaps.as_deref_mut(), prev, chars.get(i)) {
                    // A voiced mark that composes with the character before
                    // the run joins it into one character: no gap.
                    let joins = matches!(fold_char(c), Folded::Mark(m) if compose(p, m).is_some());
                    if !joins {
                        gaps.push(u32::try_from(out.len()).expect("a document's text is under 4 GiB"));
                    }
                }
            }
            Folded::Mark(mark) => {
                let prev = out[block_start..].chars().next_back();
                match prev.and_then(|p| compose(p, mark)) {
                    Some(composed) => {
                        let prev = prev.unwrap_or_default();
                        let at = out.len() - prev.len_utf8();
                        let prev_origin = origin.at(at - shift);
                        out.truncate(at);
                        origin.truncate(at - shift);
                        out.push(composed);
                        origin.push(prev_origin);
                        origin.push_n(base + i as u32, composed.len_utf8() - 1);
                    }
                    None => push(out, origin, mark, base + i as u32),
                }
                i += 1;
            }
            Folded::Char(f) => {
                push(out, origin, f, base + i as u32);
                i += 1;
            }
        }
    }
}

fn push(out: &mut String, origin: &mut impl Origins, c: char, from: u32) {
    out.push(c);
    origin.push_n(from, c.len_utf8());
}

/// Where folded bytes come from: one source index per byte for a
/// document's text, nothing for a string folded only to be compared.
trait Origins {
    /// How many entries there are.
    fn len(&self) -> usize;
    /// The entry at `i`.
    fn at(&self, i: usize) -> u32;
    /// Appends `n` entries `from`.
    fn push_n(&mut self, from: u32, n: usize);
    /// Appends one entry.
    fn push(&mut self, from: u32) {
        self.push_n(from, 1);
    }
    /// Keeps the first `len` entries.
    fn truncate(&mut self, len: usize);
}

impl Origins for Vec<u32> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn at(&self, i: usize) -> u32 {
        self[i]
    }
    fn push_n(&mut self, from: u32, n: usize) {
        self.extend(std::iter::repeat_n(from, n));
    }
    fn truncate(&mut self, len: usize) {
        Vec::truncate(self, len);
    }
}

/// No origins: [`fold_str`] keeps none. As long as the text it stands
/// beside, so that positions in the text are positions here.
struct Untracked(usize);

impl Origins for Untracked {
    fn len(&self) -> usize {
        self.0
    }
    fn at(&self, _: usize) -> u32 {
        0
    }
    fn push_n(&mut self, _: u32, n: usize) {
        self.0 += n;
    }
    fn truncate(&mut self, len: usize) {
        self.0 = len;
    }
}

/// Folds a whole string the way text is folded for matching.
pub fn fold_str(s: &str) -> String {
    fold_whole(s, true)
}

/// Folds widths, case, dashes and spaces but keeps kanji spellings: the
/// form finding fingerprints are taken from, unchanged since baselines
/// were first written.
pub fn fold_str_keeping_spellings(s: &str) -> String {
    fold_whole(s, false)
}

fn fold_whole(s: &str, spellings: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    fold_chars(&chars, 0, &mut out, &mut Untracked(0), spellings, None);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_widths_case_and_dashes() {
        assert_eq!(fold_str("Ｎｏ．１ １００％"), "no.1 100%");
        assert_eq!(fold_str("ｴｸｿｿｰﾑ"), "エクソソーム");
        assert_eq!(fold_str("ｶﾞﾝ"), "ガン");
        assert_eq!(fold_str("NMN点滴"), "nmn点滴");
        assert_eq!(fold_str("エクソソ―ム"), "エクソソーム");
    }

    #[test]
    fn drops_spaces_between_japanese_only() {
        assert_eq!(fold_str("必ず\n治ります"), "必ず治ります");
        assert_eq!(fold_str("必ず　治ります"), "必ず治ります");
        assert_eq!(fold_str("in  vitro\nの結果"), "in vitro の結果");
        assert_eq!(fold_str("  前後の空白  "), "前後の空白");
    }

    #[test]
    fn origin_points_at_source_characters() {
        let chars: Vec<char> = "ｶﾞ 治る".chars().collect();
        let (mut out, mut origin) = (String::new(), Vec::new());
        fold_into(&chars, 0, &mut out, &mut origin, &mut Vec::new());
        assert_eq!(out, "ガ治る");
        assert_eq!(origin.len(), out.len());
        assert_eq!(origin[0], 0);
        assert_eq!(origin[2], 1); // last byte of ガ comes from the mark
        assert_eq!(origin[3], 3); // 治
    }

    #[test]
    fn spelled_kana_point_into_their_kanji() {
        // (text, where the spelling starts, how many characters it covers)
        for (text, at, len) in
            [("期待出来る", 2, 2), ("満足頂ける", 2, 1), ("とても綺麗に", 3, 2), ("相談下さい", 2, 2)]
        {
            let chars: Vec<char> = text.chars().collect();
            let (mut out, mut origin) = (String::new(), Vec::new());
            fold_into(&chars, 0, &mut out, &mut origin, &mut Vec::new());
            assert_eq!(origin.len(), out.len(), "{text}");
            assert!(origin.windows(2).all(|w| w[0] <= w[1]), "{text}: {origin:?}");
            let spelled: Vec<u32> =
                origin.iter().copied().filter(|&o| (at..at + len).contains(&(o as usize))).collect();
            let kana_bytes = out.len() - (chars.len() - len) * 3;
            assert_eq!(spelled.len(), kana_bytes, "{text}: every kana byte maps into the kanji");
            assert_eq!(spelled.first(), Some(&(at as u32)), "{text}");
            assert_eq!(spelled.last(), Some(&((at + len - 1) as u32)), "{text}");
        }
    }
}
