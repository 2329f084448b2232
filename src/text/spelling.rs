//! Kanji spellings of grammatical words, folded to kana for matching.
//!
//! Clinic copy writes the same auxiliary words in kanji or in kana:
//! 「効果が期待出来ます」 and 「効果が期待できます」, 「ご満足頂けます」 and
//! 「ご満足いただけます」, 「副作用が無い」 and 「副作用がない」. The rule pack
//! spells these words once, in kana, so matching folds the kanji spelling
//! to kana wherever its reading is certain from the characters around it
//! (頂 before き/く/け is いただ, but 頭頂部 keeps its 頂). Rule literals are
//! folded the same way, so a literal written in either spelling matches
//! both, except at its very end, where the character that fixes the
//! reading is missing: end a literal in kana (「お声をいただ」, not
//! 「お声を頂」).
//!
//! A context condition needs the neighbouring character to be there: at
//! the edge of a text nothing is folded that a condition guards. Looking
//! ahead skips what normalization removes (spaces between Japanese
//! characters, zero-width characters), so 「無 い」 folds as 「無い」 does.

/// One kanji spelling and its kana.
struct Spelling {
    /// The characters as written.
    written: &'static str,
    /// The kana they fold to.
    kana: &'static str,
    /// Characters one of which must come next (empty: anything or nothing).
    followed_by: &'static str,
    /// What the character before must be.
    after: After,
}

/// A condition on the character before a spelling.
#[derive(Clone, Copy)]
enum After {
    /// Anything, or nothing.
    Any,
    /// One of these characters (「する事」, 「大切な事」; not 「悩み事」).
    OneOf(&'static str),
    /// Not a kanji, or nothing (「受けて良かった」 is よかった, 「予後不良か」
    /// is not).
    NoKanji,
    /// None of these characters (「一致」「合致」 are not いた).
    NoneOf(&'static str),
}

const fn spelling(written: &'static str, kana: &'static str, followed_by: &'static str, after: After) -> Spelling {
    Spelling { written, kana, followed_by, after }
}

/// Attributive endings and particles after which 事 reads こと (する事,
/// した事, その事, 大切な事), not ごと as after a verb stem (悩み事, 願い事).
const KOTO_AFTER: &str = "るただうくすつぬぶむぐのな";

/// The spellings, each kanji's entries together.
const SPELLINGS: &[Spelling] = &[
    spelling("出来", "でき", "", After::Any),
    spelling("頂", "いただ", "きくけいこ", After::Any),
    spelling("戴", "いただ", "きくけいこ", After::NoneOf("頂")),
    spelling("致", "いた", "しすせさ", After::NoneOf("一合誘招拉送極筆風")),
    spelling("下さ", "くださ", "いるっ", After::Any),
    spelling("無", "な", "いくしかけ", After::Any),
    spelling("良", "よ", "くいけ", After::Any),
    spelling("良", "よ", "かさ", After::NoKanji),
    spelling("貰", "もら", "ういえっわお", After::Any),
    spelling("繋", "つな", "がげぐぎ", After::Any),
    spelling("有", "あ", "るりっ", After::Any),
    spelling("凄", "すご", "いくかさ", After::Any),
    spelling("易", "やす", "いく", After::OneOf("りきしちにびみいえけせてねべめれ")),
    spelling("事", "こと", "がはもをでにな", After::OneOf(KOTO_AFTER)),
    spelling("為", "ため", "", After::OneOf("のるたな")),
    spelling("迄", "まで", "", After::Any),
    spelling("全く", "まったく", "", After::Any),
    spelling("殆ど", "ほとんど", "", After::Any),
    spelling("既に", "すでに", "", After::Any),
    spelling("更に", "さらに", "", After::NoKanji),
    spelling("共に", "ともに", "", After::OneOf("と")),
    spelling("様々", "さまざま", "", After::Any),
    spelling("色々", "いろいろ", "", After::Any),
    spelling("沢山", "たくさん", "", After::Any),
    spelling("是非", "ぜひ", "", After::Any),
    spelling("綺麗", "きれい", "", After::Any),
    spelling("奇麗", "きれい", "", After::Any),
    spelling("一番", "いちばん", "", After::Any),
    spelling("勿論", "もちろん", "", After::Any),
    spelling("例えば", "たとえば", "", After::Any),
    spelling("予め", "あらかじめ", "", After::Any),
    spelling("但し", "ただし", "", After::Any),
    spelling("宜しく", "よろしく", "", After::Any),
];

/// Whether `c` may start a spelling (a cheap test before the table).
#[inline]
pub fn may_start(c: char) -> bool {
    // Every spelling starts with a CJK ideograph; most text is kana.
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        && matches!(
            c,
            '出' | '頂'
                | '戴'
                | '致'
                | '下'
                | '無'
                | '良'
                | '貰'
                | '繋'
                | '有'
                | '凄'
                | '易'
                | '事'
                | '為'
                | '迄'
                | '全'
                | '殆'
                | '既'
                | '更'
                | '共'
                | '様'
                | '色'
                | '沢'
                | '是'
                | '綺'
                | '奇'
                | '一'
                | '勿'
                | '例'
                | '予'
                | '但'
                | '宜'
        )
}

fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々'
}

/// Characters that normalization drops between Japanese text.
fn is_dropped(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{00AD}')
}

/// The spelling that starts at `chars[i]`, given the character before it
/// (already folded): how many source characters it covers and its kana.
pub fn at(chars: &[char], i: usize, previous: Option<char>) -> Option<(usize, &'static str)> {
    if !may_start(chars[i]) {
        return None;
    }
    SPELLINGS.iter().find_map(|s| {
        let len = s.written.chars().count();
        let written = chars.get(i..i + len)?;
        if !written.iter().copied().eq(s.written.chars()) {
            return None;
        }
        let after_ok = match s.after {
            After::Any => true,
            After::OneOf(set) => previous.is_some_and(|p| set.contains(p)),
            After::NoKanji => previous.is_none_or(|p| !is_kanji(p)),
            After::NoneOf(set) => previous.is_none_or(|p| !set.contains(p)),
        };
        if !after_ok {
            return None;
        }
        if !s.followed_by.is_empty() {
            let next = chars[i + len..].iter().copied().find(|&c| !is_dropped(c));
            if !next.is_some_and(|c| s.followed_by.contains(c)) {
                return None;
            }
        }
        Some((len, s.kana))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folded text, with the spellings of this module folded (widths,
    /// spaces and the like are folded too).
    fn fold(text: &str) -> String {
        crate::text::normalize::fold_str(text)
    }

    #[test]
    fn folds_grammatical_words_whose_reading_is_certain() {
        assert_eq!(fold("効果が期待出来ます"), "効果が期待できます");
        assert_eq!(fold("ご満足頂けます"), "ご満足いただけます");
        assert_eq!(fold("副作用が無い"), "副作用がない");
        assert_eq!(fold("予防に繋がる"), "予防につながる");
        assert_eq!(fold("治療する事ができる"), "治療することができる");
        assert_eq!(fold("綺麗に仕上がります"), "きれいに仕上がります");
        assert_eq!(fold("ご相談下さい"), "ご相談ください");
        assert_eq!(fold("受けて良かった"), "受けてよかった");
        assert_eq!(fold("ご案内致します"), "ご案内いたします");
        assert_eq!(fold("年齢と共に"), "年齢とともに");
    }

    #[test]
    fn keeps_kanji_whose_reading_differs() {
        for text in [
            "頭頂部",
            "食事が大切",
            "無料",
            "有無",
            "良性",
            "皮下",
            "天皇陛下",
            "変更に",
            "行為",
            "容易",
            "全身",
            "ご意見を頂戴いたします",
            "一致しておらず",
            "合致する",
            "免疫力が低下されている",
            "改良されています",
            "予後不良か",
            "お悩み事は",
            "願い事が",
        ] {
            assert_eq!(fold(text), text);
        }
    }

    #[test]
    fn looks_past_what_normalization_drops() {
        assert_eq!(fold("副作用が無 い"), "副作用がない");
        assert_eq!(fold("副作用が無\u{200B}い"), "副作用がない");
    }

    #[test]
    fn a_condition_needs_its_neighbour() {
        assert_eq!(fold("お声を頂"), "お声を頂", "nothing follows");
        assert_eq!(fold("事が"), "事が", "nothing precedes");
    }

    #[test]
    fn every_spelling_starts_with_a_character_may_start_knows() {
        for s in SPELLINGS {
            assert!(may_start(s.written.chars().next().unwrap()), "{}", s.written);
        }
    }
}
