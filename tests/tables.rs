//! A fee-and-risk table or list in plain text: a row's label and its value
//! are one clause, so a risk label with a value that plays it down
//! (ダウンタイム | ほとんどなし, 痛み：少なめ) is a safety claim, with its span
//! running from the label to the value in the source. Rows that state a
//! fee or a risk plainly, a value that denies the claim, and cells of HTML
//! and Markdown tables (blocks of their own, whose rows a block does not
//! know) draw nothing.

use iryolint::extract::InputFormat;
use iryolint::lint::lint_format;
use iryolint::rules::{Category, Pack, RuleSet};

fn set() -> RuleSet {
    RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap()
}

/// The (rule id, category, source text of the span) of each span finding.
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
fn a_plain_text_row_that_plays_a_risk_down_is_a_safety_claim() {
    let set = set();
    let plain = "当院のHIFUについて\n| 項目 | 内容 |\n| ダウンタイム | ほとんどありません |\n| 料金 | 1回 33,000円 |\n| 副作用 | 赤みが出ることがあります |\n";
    assert_eq!(
        claims(plain, InputFormat::Text, &set),
        [("risk-played-down".to_string(), Category::SafetyClaim, "ダウンタイム | ほとんどあり".to_string())]
    );
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

#[test]
fn a_value_that_denies_or_asks_is_no_claim() {
    let set = set();
    for source in [
        "当院のダーマペン\n痛み：少ないとは言えません\n",
        "当院のダーマペン\n| 痛み | 少ないとは限りません |\n",
        "当院のHIFU\nダウンタイム：なし〜3日程度\n",
    ] {
        assert_eq!(claims(source, InputFormat::Text, &set), [], "{source}");
    }
}

#[test]
fn cells_of_markup_tables_are_not_paired_across_rows_or_cells() {
    let set = set();
    // A label in one row and a value in the next must never pair; nor do a
    // header cell and the cell below it. Markup cells are not paired at all.
    let markdown = "# 当院のHIFU\n\n| 項目 | ダウンタイム |\n|---|---|\n| ほとんどありません | x |\n";
    let html =
        "<h1>当院のHIFU</h1><table><tr><th>痛み</th><th>腫れ</th></tr><tr><td>少なめです</td><td>x</td></tr></table>";
    assert_eq!(claims(markdown, InputFormat::Markdown, &set), []);
    assert_eq!(claims(html, InputFormat::Html, &set), []);
}
