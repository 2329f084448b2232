//! A fee-and-risk table: a row's label and its value are one clause, so a
//! risk label with a value that plays it down (ダウンタイム | ほとんどなし)
//! is a safety claim, in plain text, Markdown and HTML alike, with its span
//! running from the label to the value in the source. Rows that state a
//! fee or a risk plainly draw nothing.

use iryolint::extract::InputFormat;
use iryolint::lint::lint_format;
use iryolint::rules::{Category, Pack, RuleSet};

fn set() -> RuleSet {
    RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap()
}

/// The (rule, span text) of each span finding of `source`.
fn claims(source: &str, format: InputFormat, set: &RuleSet) -> Vec<(String, Category, String)> {
    let report = lint_format("page", source.to_string(), format, set);
    report
        .findings
        .iter()
        .filter(|f| f.missing.is_empty())
        .map(|f| (set.rules[f.rule].id.clone(), f.category, source[f.start.offset..f.end.offset].to_string()))
        .collect()
}

#[test]
fn a_risk_row_that_plays_the_risk_down_is_a_safety_claim_in_every_format() {
    let set = set();
    let plain = "当院のHIFUについて\n| 項目 | 内容 |\n| ダウンタイム | ほとんどありません |\n| 料金 | 1回 33,000円 |\n| 副作用 | 赤みが出ることがあります |\n";
    let markdown = "# 当院のHIFU\n\n| 項目 | 内容 |\n|---|---|\n| ダウンタイム | ほとんどありません |\n| 料金 | 1回 33,000円 |\n| 副作用 | 赤みが出ることがあります |\n";
    let html = "<h1>当院のHIFU</h1><table><tr><th>ダウンタイム</th><td>ほとんどありません</td></tr><tr><th>料金</th><td>1回 33,000円</td></tr><tr><th>副作用</th><td>赤みが出ることがあります</td></tr></table>";
    for (source, format, span) in [
        (plain, InputFormat::Text, "ダウンタイム | ほとんどあり"),
        (markdown, InputFormat::Markdown, "ダウンタイム | ほとんどあり"),
        (html, InputFormat::Html, "ダウンタイム</th><td>ほとんどあり"),
    ] {
        let found = claims(source, format, &set);
        assert_eq!(
            found,
            [("risk-played-down".to_string(), Category::SafetyClaim, span.to_string())],
            "{format:?}: {source}"
        );
    }
}

#[test]
fn a_label_and_a_value_after_a_colon_are_one_clause() {
    let set = set();
    let found = claims(
        "当院のダーマペン\nダウンタイム：ほぼなし\n痛み：少なめです\n料金：1回 22,000円\n",
        InputFormat::Text,
        &set,
    );
    let spans: Vec<&str> = found.iter().map(|(_, _, s)| s.as_str()).collect();
    assert_eq!(spans, ["ダウンタイム：ほぼな", "痛み：少なめ"]);
    assert!(found.iter().all(|(_, c, _)| *c == Category::SafetyClaim));
}
