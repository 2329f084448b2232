//! Kanji spellings of grammatical words, folded to kana for matching.
//!
//! Clinic copy writes the same auxiliary words in kanji or in kana:
//! 「効果が期待出来ます」 and 「効果が期待できます」, 「ご満足頂けます」 and
//! 「ご満足いただけます」, 「副作用が無い」 and 「副作用がない」. The rule pack
//! spells these words once, in kana, so matching folds the kanji spelling
//! to kana wherever its reading is certain from the characters around it
//! (頂 before き/く/け is いただ, but 頭頂部 keeps its 頂). Rule literals are
//! folded the same way, so a literal written in either spelling matches
//! both.
//!
//! A context condition needs the neighbouring character to be there: at
//! the edge of a text nothing is folded that a condition guards.

/// One kanji spelling and its kana.
struct Spelling {
    /// The characters as written.
    written: &'static str,
    /// The kana they fold to.
    kana: &'static str,
    /// Characters one of which must follow (empty: anything or nothing).
    before: &'static str,
    /// The character before must be hiragana (「する事が」, not 「食事が」).
    after_hiragana: bool,
}

const fn spelling(written: &'static str, kana: &'static str, before: &'static str, after_hiragana: bool) -> Spelling {
    Spelling { written, kana, before, after_hiragana }
}

/// The spellings, each kanji's entries together.
const SPELLINGS: &[Spelling] = &[
    spelling("出来", "でき", "", false),
    spelling("頂", "いただ", "きくけいこ", false),
    spelling("戴", "いただ", "きくけいこ", false),
    spelling("致", "いた", "しすせさ", false),
    spelling("下さ", "くださ", "いるっれら", false),
    spelling("無", "な", "いくしかけ", false),
    spelling("良", "よ", "くいかけさ", false),
    spelling("貰", "もら", "ういえっわお", false),
    spelling("繋", "つな", "がげぐぎ", false),
    spelling("有", "あ", "るりっ", false),
    spelling("凄", "すご", "いくかさ", false),
    spelling("易", "やす", "いく", true),
    spelling("事", "こと", "がはもをでにな", true),
    spelling("為", "ため", "", true),
    spelling("迄", "まで", "", false),
    spelling("全く", "まったく", "", false),
    spelling("殆ど", "ほとんど", "", false),
    spelling("既に", "すでに", "", false),
    spelling("更に", "さらに", "", true),
    spelling("共に", "ともに", "", true),
    spelling("様々", "さまざま", "", false),
    spelling("色々", "いろいろ", "", false),
    spelling("沢山", "たくさん", "", false),
    spelling("是非", "ぜひ", "", false),
    spelling("綺麗", "きれい", "", false),
    spelling("奇麗", "きれい", "", false),
    spelling("一番", "いちばん", "", false),
    spelling("勿論", "もちろん", "", false),
    spelling("例えば", "たとえば", "", false),
    spelling("予め", "あらかじめ", "", false),
    spelling("但し", "ただし", "", false),
    spelling("宜しく", "よろしく", "", false),
];

/// Whether `c` may start a spelling (a cheap test before the table).
#[inline]
pub fn may_start(c: char) -> bool {
    matches!(
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

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
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
        if s.after_hiragana && !previous.is_some_and(is_hiragana) {
            return None;
        }
        if !s.before.is_empty() && !chars.get(i + len).is_some_and(|c| s.before.contains(*c)) {
            return None;
        }
        Some((len, s.kana))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            match at(&chars, i, out.chars().next_back()) {
                Some((len, kana)) => {
                    out.push_str(kana);
                    i += len;
                }
                None => {
                    out.push(chars[i]);
                    i += 1;
                }
            }
        }
        out
    }

    #[test]
    fn folds_grammatical_words_whose_reading_is_certain() {
        assert_eq!(fold("効果が期待出来ます"), "効果が期待できます");
        assert_eq!(fold("ご満足頂けます"), "ご満足いただけます");
        assert_eq!(fold("副作用が無い"), "副作用がない");
        assert_eq!(fold("予防に繋がる"), "予防につながる");
        assert_eq!(fold("治療する事ができる"), "治療することができる");
        assert_eq!(fold("綺麗に仕上がります"), "きれいに仕上がります");
        assert_eq!(fold("お試し下さい"), "お試しください");
    }

    #[test]
    fn keeps_kanji_whose_reading_differs() {
        for text in ["頭頂部", "食事が大切", "無料", "有無", "良性", "皮下", "天皇陛下", "変更に", "行為", "容易", "全身"] {
            assert_eq!(fold(text), text);
        }
    }

    #[test]
    fn a_condition_needs_its_neighbour() {
        assert_eq!(fold("お声を頂"), "お声を頂", "nothing follows");
        assert_eq!(fold("事が"), "事が", "nothing precedes");
    }
}
