//! Property tests of the robustness invariants on stable Rust, the same
//! ones the fuzz targets check (tests/support/invariants.rs): whatever
//! plain text, HTML or Markdown is made of hostile pieces, nothing panics,
//! every span lies on character boundaries with its true line and column,
//! every `text` is the visible text of its span, and every output format
//! parses. Also: the linear suppression matching agrees with the obvious
//! one, the line index with a naive count, decoding round-trips, and a
//! baseline knows every finding it recorded.

#[path = "support/invariants.rs"]
mod invariants;

use iryolint::baseline::Baseline;
use iryolint::extract::{self, InputFormat};
use iryolint::lint::{lint_bytes, lint_format, Finding, ReadOptions};
use iryolint::source::{decode, LineIndex};
use iryolint::suppress::{self, Suppression};
use proptest::prelude::*;

use invariants::{check_outputs, check_spans, naive_position, rule_set};

/// Words the rules flag, and copy around them.
const TEXT: &[&str] = &[
    "ぴよぴよ体操",
    "ふがふが体操",
    "テスト用情報語",
    "必ず治ります",
    "日本一",
    "副作用はありません",
    "エクソソーム点滴",
    "No.1",
    "。",
    "、",
    "「",
    "」",
    " ",
    "　",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\t",
    "\u{FEFF}",
    "\u{1b}[31m",
    "\u{9b}",
    "\u{FFFF}",
    "𠮷",
    "ｴｸｿｿｰﾑ",
    "a",
];

/// Suppression comments, whole and broken.
const SUPPRESSIONS: &[&str] = &[
    "<!-- iryolint-disable-next-line test-guarantee -->",
    "<!-- iryolint-disable-next-line -->",
    "<!-- iryolint-disable test-guarantee -->",
    "<!-- iryolint-disable unsupported-efficacy, other -->",
    "<!-- iryolint-disable -->",
    "<!-- iryolint-enable test-guarantee -->",
    "<!-- iryolint-enable -->",
    "<!-- iryolint-disable-file test-mild -- 理由 -->",
    "<!-- iryolint-disabled -->",
    "<!--",
    "-->",
];

/// HTML markup, including the shapes that once hid text or panicked.
const HTML: &[&str] = &[
    "<p>",
    "</p>",
    "<li>",
    "<br>",
    "<strong>",
    "</strong>",
    "<ruby>",
    "</ruby>",
    "<rt>",
    "</rt>",
    "<rt/>",
    "<rp>",
    "<script>",
    "</script>",
    "<SCRIPT>",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<img alt=\"",
    "\">",
    "<meta name=\"description\" content=\"",
    "&amp;",
    "&#x6cbb;",
    "&#27835;",
    "&#",
    "&nbsp",
    "<",
    ">",
    "\"",
    "'",
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
    "<meta charset=\"shift_jis\">",
];

/// Markdown structure, including front matter with stray quotes.
const MARKDOWN: &[&str] = &[
    "---\n",
    "+++\n",
    "title: ",
    "description: ",
    "title = ",
    ": >\n  ",
    "# ",
    "- ",
    "1. ",
    "> ",
    "```\n",
    "`",
    "    ",
    "**",
    "_",
    "[リンク](https://x.jp/",
    ")",
    "![",
    "](a.png)",
    "| a | b |\n|---|---|\n| ",
    " |",
    "\\",
    "<!--\n",
    "\n-->\n",
    "<script>\n",
    "\n</script>\n",
    "<div>\n",
];

fn pieces(sets: &'static [&'static [&'static str]]) -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    prop::collection::vec(prop::sample::select(all), 0..60).prop_map(|parts| parts.concat())
}

fn page(format: InputFormat) -> BoxedStrategy<String> {
    match format {
        InputFormat::Html => pieces(&[TEXT, SUPPRESSIONS, HTML]).boxed(),
        InputFormat::Markdown => pieces(&[TEXT, SUPPRESSIONS, MARKDOWN, HTML]).boxed(),
        _ => pieces(&[TEXT, SUPPRESSIONS]).boxed(),
    }
}

fn name_of(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Html => "page.html",
        InputFormat::Markdown => "page.md",
        InputFormat::Docx => "page.docx",
        InputFormat::Text => "page.txt",
    }
}

fn any_format() -> impl Strategy<Value = InputFormat> {
    prop::sample::select(vec![InputFormat::Text, InputFormat::Html, InputFormat::Markdown])
}

/// The same, with suppressions matched the obvious way: every suppression
/// against every finding.
fn apply_naively(suppressions: &[Suppression], findings: &[Finding]) -> (Vec<Finding>, Vec<Suppression>) {
    let set = rule_set();
    let mut used = vec![false; suppressions.len()];
    let kept = findings
        .iter()
        .filter(|f| {
            let mut covered = false;
            for (i, s) in suppressions.iter().enumerate() {
                if suppress::covers(s, set, f.rule, &f.start) {
                    used[i] = true;
                    covered = true;
                }
            }
            !covered
        })
        .cloned()
        .collect();
    let unused = suppressions.iter().zip(used).filter(|(_, u)| !u).map(|(s, _)| s.clone()).collect();
    (kept, unused)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_and_outputs_hold_for_hostile_pages((format, source) in any_format().prop_flat_map(|f| (Just(f), page(f)))) {
        let set = rule_set();
        let report = lint_bytes(name_of(format), source.as_bytes(), ReadOptions::default(), set);
        if let Ok(report) = report {
            check_spans(&report, format);
            check_outputs(&[report], set);
        }
    }

    #[test]
    fn spans_hold_for_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), format in any_format()) {
        let set = rule_set();
        if let Ok(report) = lint_bytes(name_of(format), &bytes, ReadOptions::default(), set) {
            check_spans(&report, format);
            check_outputs(&[report], set);
        }
    }

    #[test]
    fn suppressions_match_the_obvious_algorithm((format, source) in any_format().prop_flat_map(|f| (Just(f), page(f)))) {
        let set = rule_set();
        // The same page with its directives defused (same length, so the
        // same spans): every finding, none suppressed.
        let defused = source.replace("iryolint-", "iryolinT-");
        let all = lint_format("p", defused, format, set).findings;
        let lines = LineIndex::new(&source);
        let comments = extract::read(&source, format).comments;
        let suppressions = suppress::parse(&source, &lines, &comments);
        let (naive_kept, naive_unused) = apply_naively(&suppressions, &all);
        let mut kept = all.clone();
        let unused = suppress::apply(suppressions, &mut kept, set);
        // Findings are compared by rule and span: their text may show the
        // defused directive.
        let key = |f: &Finding| (f.rule, f.start, f.end);
        prop_assert_eq!(kept.iter().map(key).collect::<Vec<_>>(), naive_kept.iter().map(key).collect::<Vec<_>>());
        prop_assert_eq!(&unused, &naive_unused);
        let report = lint_format("p", source, format, set);
        prop_assert_eq!(report.findings.iter().map(key).collect::<Vec<_>>(), kept.iter().map(key).collect::<Vec<_>>());
    }

    #[test]
    fn line_index_agrees_with_a_naive_count(parts in prop::collection::vec(prop::sample::select(vec!["a", "あ", "𠮷", "\n", "\r", "\r\n", "\u{FEFF}", " "]), 0..80)) {
        let text = parts.concat();
        let index = LineIndex::new(&text);
        for offset in text.char_indices().map(|(i, _)| i).chain([text.len()]) {
            prop_assert_eq!(index.position(&text, offset), naive_position(&text, offset));
        }
    }

    #[test]
    fn decoding_round_trips(text in pieces(&[TEXT]), wide in 0u8..5) {
        let text = text.trim_start_matches('\u{FEFF}').to_string();
        let bytes: Vec<u8> = match wide {
            0 => text.clone().into_bytes(),
            1 => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            2 => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
            3 => [0xFF, 0xFE, 0, 0].into_iter().chain(text.chars().flat_map(|c| (c as u32).to_le_bytes())).collect(),
            _ => [0, 0, 0xFE, 0xFF].into_iter().chain(text.chars().flat_map(|c| (c as u32).to_be_bytes())).collect(),
        };
        if wide == 0 && text.contains('\u{1b}') {
            // ASCII escapes may announce ISO-2022-JP; not a round trip.
            return Ok(());
        }
        let decoded = decode(&bytes, None).unwrap();
        prop_assert_eq!(decoded.text, text);
        prop_assert_eq!(decoded.first_invalid_line, None);
    }

    #[test]
    fn a_baseline_knows_every_finding_it_recorded((format, source) in any_format().prop_flat_map(|f| (Just(f), page(f)))) {
        let set = rule_set();
        let Ok(report) = lint_bytes(name_of(format), source.as_bytes(), ReadOptions::default(), set) else {
            return Ok(());
        };
        let recorded = Baseline::record(std::slice::from_ref(&report), set);
        let json = serde_json::to_string(&recorded).unwrap();
        let baseline = Baseline::parse("b.json", &json).unwrap();
        let total = report.findings.len();
        let mut reports = vec![report];
        prop_assert_eq!(baseline.filter(&mut reports, set), total);
        prop_assert!(reports[0].findings.is_empty());
    }
}
