//! Property tests for the span maps: whatever the copy looks like (widths,
//! half-width katakana, hard wraps, odd whitespace, a BOM), every finding
//! lands on character boundaries and maps back to exactly the source text
//! it reports, and every normalized range maps back to source text that
//! folds to it (or, where it cuts a kanji spelling folded to kana, to text
//! containing it).

use iryolint::extract::plain;
use iryolint::lint::lint_text;
use iryolint::rules::{Pack, RuleSet};
use iryolint::text::normalize::{fold_str, fold_str_keeping_spellings};
use iryolint::text::Document;
use proptest::prelude::*;

/// Pieces that copy is made of, including the test rules' phrases in
/// several spellings.
const PIECES: &[&str] = &[
    "必ず治ります",
    "必ず\n治ります",
    "必ず　治ります",
    "ﾋﾂｽﾞ",
    "絶対効く",
    "絶対に効く",
    "ｶﾞ",
    "ﾊﾟ",
    "ﾞ",
    "エクソソーム",
    "ｴｸｿｿｰﾑ",
    "Ｎｏ．１",
    "No.1",
    "ＮＭＮ",
    " ",
    "　",
    "\n",
    "\n\n",
    "\r\n",
    "。",
    "、",
    "「",
    "」",
    "・",
    "1. ",
    "■",
    "治療",
    "in vitro",
    "マウス",
    "ー",
    "―",
    "－",
    "a",
    "Ｂ",
    "𠮷",
    "\u{200B}",
    "テスト用情報語",
    // Kanji spellings folded to kana, and kanji that look like them but keep
    // their reading.
    "頂き",
    "出来る",
    "綺麗",
    "する事が",
    "頭頂部",
    "食事が",
    "下さい",
    "綺麗に体操",
    "奇麗に体操",
    "きれいに体操",
    "で綺麗に体操",
];

/// A test rule whose literal is written with a kanji spelling, so that
/// findings on spelled text are checked too.
const SPELLED_RULE: &str = r#"
[[rule]]
id = "test-spelled"
kind = "phrase"
category = "other"
severity = "info"
summary = "test: a literal written with a kanji spelling"
message = { ja = "テスト: 表記", en = "test: spelling" }
basis = "test"
help = { ja = "テスト", en = "test" }
literals = ["綺麗に体操"]
"#;

/// Whether `piece` (normalized text) is what the source characters `src`
/// that it maps to fold to. A kanji spelling folds to kana only beside the
/// characters that fix its reading, and may fold to more kana than it has
/// characters (頂 to いただ): where a range starts, ends or cuts inside one,
/// the source up to three characters wider on each side (the longest
/// spelling and the character after it) folds to text containing it.
fn folds_back(source: &str, src: std::ops::Range<usize>, piece: &str) -> bool {
    if fold_str(&source[src.clone()]) == piece {
        return true;
    }
    // Only where a spelling really folds nearby. Widening stops at a line
    // break, which may end the range's block: a half-width voiced mark
    // that opens a block composes with nothing (く⏎ﾞ is not ぐ).
    let start = source[..src.start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c != '\n')
        .take(3)
        .last()
        .map_or(src.start, |(i, _)| i);
    // Widening stops before a space or a half-width voiced mark, which
    // would join the range's last character to what follows.
    let end = src.end
        + source[src.end..]
            .chars()
            .take(3)
            .take_while(|c| !c.is_whitespace() && !matches!(c, '\u{FF9E}' | '\u{FF9F}'))
            .map(char::len_utf8)
            .sum::<usize>();
    let wide = &source[start..end];
    fold_str(wide) != fold_str_keeping_spellings(wide) && fold_str(wide).contains(piece)
}

fn page() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(prop::sample::select(PIECES), 0..40)).prop_map(|(bom, parts)| {
        let mut s = if bom { "\u{FEFF}".to_string() } else { String::new() };
        s.extend(parts);
        s
    })
}

/// Ranges of the normalized text chosen by `picks` (start, length in
/// characters), on character boundaries, within one block and not starting
/// or ending with a space.
fn pick_ranges(doc: &Document, picks: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let bounds: Vec<usize> = doc.text.char_indices().map(|(i, _)| i).chain([doc.text.len()]).collect();
    if bounds.len() < 2 {
        return Vec::new();
    }
    picks
        .iter()
        .map(|&(a, len)| {
            let k = a % (bounds.len() - 1);
            (bounds[k], bounds[(k + len).min(bounds.len() - 1)])
        })
        .filter(|&(i, j)| {
            let piece = &doc.text[i..j];
            !(piece.contains('\n') || piece.starts_with(' ') || piece.ends_with(' ') || piece.is_empty())
        })
        .collect()
}

fn test_rules() -> RuleSet {
    let mut pack = Pack::default();
    pack.add_file("test-rules.toml", include_str!("data/test-rules.toml")).unwrap();
    pack.add_file("spelled.toml", SPELLED_RULE).unwrap();
    pack.validate().unwrap();
    // Every finding the rules make, so that a retrained precision model
    // changes none of the spans checked here.
    let mut set = RuleSet::compile(pack, |_| true).unwrap();
    set.keep_unlikely = true;
    set
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn findings_map_back_to_exact_source_text(source in page()) {
        let set = test_rules();
        let report = lint_text("p.txt", &source, &set);
        for f in &report.findings {
            let (s, e) = (f.start.offset, f.end.offset);
            prop_assert!(s < e && e <= source.len());
            prop_assert!(source.is_char_boundary(s) && source.is_char_boundary(e));
            prop_assert_eq!(&f.text, &source[s..e]);
            // The reported text folds to what the rule matched, widened at
            // most to the whole word around it.
            let folded = fold_str(&source[s..e]);
            prop_assert!(folded.contains("ぴよぴよ体操") || folded.contains("ふが") || folded.contains("テスト用情報語") || folded.contains("きれいに体操"), "{}", folded);
            // A match on spelled text starts at the spelling's first
            // character, not before it.
            if set.rules[f.rule].id == "test-spelled" {
                prop_assert!(["綺", "奇", "き"].iter().any(|c| source[s..e].starts_with(c)), "{:?}", &source[s..e]);
            }
            // Line and column agree with the offset.
            let before = &source[..s];
            let line = 1 + before.matches('\n').count();
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let mut column = 1 + source[line_start..s].chars().count();
            if line_start == 0 && source.starts_with('\u{FEFF}') { column -= 1; }
            prop_assert_eq!((f.start.line, f.start.column), (line, column));
        }
    }

    #[test]
    fn every_normalized_range_folds_back(source in page(), picks in prop::collection::vec((0usize..1000, 1usize..12), 1..20)) {
        let doc = Document::build(plain::extract(&source), &source);
        for (i, j) in pick_ranges(&doc, &picks) {
            let piece = &doc.text[i..j];
            let src = doc.source_range(&source, i..j);
            prop_assert!(source.is_char_boundary(src.start) && source.is_char_boundary(src.end));
            prop_assert!(folds_back(&source, src.clone(), piece), "{:?} from source {:?}", piece, &source[src]);
        }
    }

    #[test]
    fn nothing_panics_on_arbitrary_text(source in ".{0,200}") {
        let set = test_rules();
        let _ = lint_text("p.txt", &source, &set);
    }

    #[test]
    fn nothing_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let set = test_rules();
        let _ = iryolint::lint::lint_bytes("p.txt", &bytes, Default::default(), &set);
    }
}

/// Pieces of HTML and Markdown, including broken markup.
const MARKUP: &[&str] = &[
    "<p>",
    "</p>",
    "<strong>",
    "</strong>",
    "<br>",
    "<li>",
    "<td>",
    "&amp;",
    "&#x6cbb;",
    "&#27835;",
    "&nbsp;",
    "&bogus;",
    "<!-- ぴよぴよ体操 -->",
    "<script>if(a<b)x='</p>'</script>",
    "<style>p{}</style>",
    "<",
    "&",
    ">",
    "<img alt=\"ぴよぴよ体操\" src=x>",
    "<ruby>若<rt>わか</rt></ruby>",
    "<title>題&amp;</title>",
    "<a href='?a=1&b=2'>",
    "**",
    "*",
    "_",
    "`code`",
    "\n```\nぴよぴよ体操\n```\n",
    "[リンク](https://x.jp/ぴよ)",
    "![ぴよぴよ体操](a.png)",
    "# ",
    "- ",
    "| a | b |\n|---|---|\n| ぴよ | 体操 |\n",
    "\n",
    "\n\n",
    "ぴよぴよ体操",
    "ぴよ",
    "体操",
    "ｶﾞ",
    "Ｎｏ．１",
    " ",
    "　",
    "。",
    "治療",
    "---\ntitle: ぴよぴよ体操\n---\n",
];

fn markup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(MARKUP), 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn markup_ranges_map_to_source_and_fold_back(
        source in markup(),
        html in any::<bool>(),
        picks in prop::collection::vec((0usize..1000, 1usize..12), 1..20),
    ) {
        use iryolint::extract::{extract, InputFormat};
        let format = if html { InputFormat::Html } else { InputFormat::Markdown };
        let doc = Document::build(extract(&source, format), &source);
        for (i, j) in pick_ranges(&doc, &picks) {
            let piece = &doc.text[i..j];
            let src = doc.source_range(&source, i..j);
            prop_assert!(src.start < src.end && src.end <= source.len());
            prop_assert!(source.is_char_boundary(src.start) && source.is_char_boundary(src.end));
            prop_assert_eq!(fold_str(&doc.visible_text(&source, i..j)), piece);
        }
        // Findings are visible text that a rule matched; they never start
        // in code, comments or scripts.
        let set = test_rules();
        let report = iryolint::lint::lint_format("p", source.clone(), format, &set);
        for f in &report.findings {
            let slice = &source[f.start.offset..f.end.offset];
            // The match, widened at most over the kanji that continue its
            // last word.
            let folded = fold_str(&f.text);
            let rest = folded.strip_prefix("ぴよぴよ体操");
            prop_assert!(rest.is_some_and(|r| r.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))), "{:?}", folded);
            prop_assert!(slice.starts_with('ぴ'), "{:?}", slice);
        }
    }
}

/// The plain maps the compact ones stand for: for every byte of the
/// normalized text, the visible character that produced it (built the way
/// `Document::build` folds blocks).
fn plain_origin(ex: &iryolint::text::Extracted, source: &str) -> Vec<u32> {
    let mut text = String::new();
    let mut origin = Vec::new();
    for block in &ex.blocks {
        let chars: Vec<char> = ex.block_text(source, block).chars().collect();
        let start = text.len();
        iryolint::text::normalize::fold_into(&chars, block.chars.start as u32, &mut text, &mut origin, &mut Vec::new());
        if text.len() > start {
            let last = *origin.last().unwrap();
            text.push('\n');
            origin.push(last);
        }
    }
    origin
}

/// Every byte and range of the document maps to what the plain maps say.
fn maps_agree_with_plain_maps(
    source: &str,
    format: iryolint::extract::InputFormat,
    picks: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    use iryolint::extract::extract;
    let ex = extract(source, format);
    let origin = plain_origin(&ex, source);
    let visible = ex.visible.to_vec(source);
    let doc = Document::build(ex, source);
    prop_assert_eq!(origin.len(), doc.text.len());
    for (b, &o) in origin.iter().enumerate() {
        let v = &visible[o as usize];
        prop_assert_eq!(doc.source_range(source, b..b + 1), v.start as usize..v.end as usize, "byte {}", b);
    }
    for &(a, len) in picks {
        if origin.is_empty() {
            break;
        }
        let i = a % origin.len();
        let j = (i + len).min(origin.len());
        let (first, last) = (origin[i] as usize, origin[j - 1] as usize);
        let expected: String =
            if first <= last { visible[first..=last].iter().map(|v| v.ch).collect() } else { String::new() };
        if first <= last {
            prop_assert_eq!(doc.visible_text(source, i..j), expected);
            prop_assert_eq!(doc.source_range(source, i..j), visible[first].start as usize..visible[last].end as usize);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn compact_maps_equal_the_plain_maps_on_text(source in page(), picks in prop::collection::vec((0usize..1000, 1usize..40), 1..20)) {
        maps_agree_with_plain_maps(&source, iryolint::extract::InputFormat::Text, &picks)?;
    }

    #[test]
    fn compact_maps_equal_the_plain_maps_on_markup(source in markup(), html in any::<bool>(), picks in prop::collection::vec((0usize..1000, 1usize..40), 1..20)) {
        use iryolint::extract::InputFormat;
        let format = if html { InputFormat::Html } else { InputFormat::Markdown };
        maps_agree_with_plain_maps(&source, format, &picks)?;
    }

    #[test]
    fn origin_runs_equal_the_plain_origin(
        steps in prop::collection::vec((0u32..4, 0usize..4, any::<bool>()), 0..300),
        cut in 0usize..400,
    ) {
        use iryolint::text::map::OriginMap;
        // Characters of 1 to 4 bytes, from mostly increasing visible
        // characters, with jumps (dropped spaces), repeats (a block's
        // newline) and characters whose last bytes come from the next
        // visible character (a composed voiced mark).
        let mut text = String::new();
        let mut origin = Vec::new();
        let mut at = 0u32;
        for (step, kind, split) in steps {
            at = match step { 0 => at, 3 => at + 7, s => at + s };
            let c = ['a', 'é', 'あ', '𠮷'][kind];
            text.push(c);
            origin.push(at);
            if split && c.len_utf8() > 1 {
                at += 1;
            }
            origin.extend(std::iter::repeat_n(at, c.len_utf8() - 1));
        }
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut map = OriginMap::default();
        map.extend(&text[..cut], &origin[..cut]);
        map.extend(&text[cut..], &origin[cut..]);
        prop_assert_eq!(map.len(), origin.len());
        for (b, &o) in origin.iter().enumerate() {
            prop_assert_eq!(map.get(&text, b), o, "byte {}", b);
        }
    }

    #[test]
    fn visible_segments_equal_the_plain_characters(
        source in "[aあ𠮷\n&;]{0,120}",
        picks in prop::collection::vec((0usize..200, 0usize..4, any::<bool>()), 0..100),
    ) {
        use iryolint::text::map::VisibleMap;
        use iryolint::text::VisChar;
        // Characters taken from the source (in order, skipping some) or
        // standing for a longer range (a character reference).
        let bounds: Vec<usize> = source.char_indices().map(|(i, _)| i).chain([source.len()]).collect();
        let mut visible = Vec::new();
        let mut k = 0;
        for (skip, len, own) in picks {
            k += skip % 3;
            if k + 1 >= bounds.len() {
                break;
            }
            let end_k = (k + 1 + len).min(bounds.len() - 1);
            let (start, end) = (bounds[k] as u32, bounds[if own { k + 1 } else { end_k }] as u32);
            let ch = if own { source[bounds[k]..].chars().next().unwrap() } else { 'る' };
            visible.push(VisChar { ch, start, end });
            k = if own { k + 1 } else { end_k };
        }
        let map = VisibleMap::build(&visible, &source);
        prop_assert_eq!(map.len(), visible.len());
        for (i, v) in visible.iter().enumerate() {
            prop_assert_eq!(map.get(&source, i as u32), *v);
            let rest: Vec<VisChar> = map.iter_from(&source, i as u32).collect();
            prop_assert_eq!(&rest[..], &visible[i..]);
        }
    }
}
