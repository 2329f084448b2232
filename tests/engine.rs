//! The rule kinds and their conditions, each pinned with a small rule
//! written here (so the embedded pack's tuning cannot change them).

use iryolint::lint::lint_text;
use iryolint::rules::{Pack, RuleSet, Severity};

const LEXICON: &str = r#"
[lexicon]
negation = ["わけではありません"]
hedge = ["期待でき"]
caveat = ["効果には個人差があります"]
treatment = ["施術"]
mention = ["表現"]
human-benefit = ["改善"]
preclinical-caveat = ["ヒトでの効果は確認されていません"]
"#;

fn rule(kind: &str, body: &str) -> String {
    format!(
        "[[rule]]\nid = \"r\"\nkind = \"{kind}\"\ncategory = \"{}\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = {{ ja = \"j\", en = \"e\" }}\nbasis = \"b\"\nhelp = {{ ja = \"j\", en = \"e\" }}\n{body}\n",
        match kind {
            "evidence-leap" => "preclinical-extrapolation",
            "disclosure" => "missing-free-care-disclosure",
            _ => "unsupported-efficacy",
        }
    )
}

fn set_of(rules: &str) -> RuleSet {
    let mut pack = Pack::default();
    pack.add_file("lexicon.toml", LEXICON).unwrap();
    pack.add_file("test.toml", rules).unwrap();
    pack.validate().unwrap();
    RuleSet::compile(pack, |_| true).unwrap()
}

/// The texts (and severities) the rule set finds in `text`.
fn found(set: &RuleSet, text: &str) -> Vec<(String, Severity)> {
    lint_text("t.txt", text, set).findings.into_iter().map(|f| (f.text, f.severity)).collect()
}

fn texts(set: &RuleSet, text: &str) -> Vec<String> {
    found(set, text).into_iter().map(|f| f.0).collect()
}

#[test]
fn phrase_unless_needs_and_overlap() {
    let set = set_of(&rule(
        "phrase",
        "literals = [\"治る\"]\nunless = [\"場合\"]\nunless_overlapping = [\"治る見込み\"]\nneeds = [\"当院\"]",
    ));
    assert_eq!(texts(&set, "当院で治る。"), ["治る"]);
    assert!(texts(&set, "治る。").is_empty(), "needs 当院 in the sentence");
    assert!(texts(&set, "当院で治る場合も。").is_empty(), "unless in the sentence");
    assert!(texts(&set, "当院で治る見込み。").is_empty(), "unless_overlapping");
    assert_eq!(texts(&set, "当院で治る場合も。当院で治る。"), ["治る"], "unless is per sentence");
}

#[test]
fn regex_span_group_reports_only_the_group() {
    let set = set_of(&rule("phrase", "regexes = [{ regex = '(?:当院の)(?P<span>施術は必ず)', anchors = [\"必ず\"] }]"));
    assert_eq!(texts(&set, "当院の施術は必ず成功。他院の施術は必ず。"), ["施術は必ず"]);
}

#[test]
fn claim_needs_care_negation_cancels_hedge_lowers_caveat_drops() {
    let set = set_of(&rule("claim", "literals = [\"改善\", \"個人差\"]"));
    assert!(texts(&set, "肌が改善します。").is_empty(), "no care offered on the page");
    assert_eq!(found(&set, "この施術で肌が改善します。"), [("改善".to_string(), Severity::Error)]);
    assert!(texts(&set, "この施術で必ず改善するわけではありません。").is_empty());
    assert_eq!(found(&set, "この施術で改善が期待できます。"), [("改善".to_string(), Severity::Warning)]);
    assert!(texts(&set, "この施術の効果には個人差があります。").is_empty(), "inside a caveat");
    assert!(texts(&set, "この施術で「改善」という表現は使えません。").is_empty(), "a quoted mention");
}

#[test]
fn document_conditions_and_block_kinds() {
    let set = set_of(&rule(
        "phrase",
        "literals = [\"口コミ\"]\nblocks = [\"heading\", \"list-item\"]\nneeds_document = [\"クリニック\"]\nunless_document = [\"用語集\"]",
    ));
    assert_eq!(texts(&set, "■口コミ\n当クリニックです。\n"), ["口コミ"]);
    assert!(texts(&set, "■口コミ\n当院です。\n").is_empty(), "needs_document");
    assert!(texts(&set, "■口コミ\nクリニック用語集\n").is_empty(), "unless_document");
    assert!(texts(&set, "口コミを見てクリニックへ。\n").is_empty(), "a paragraph is not a heading");
    assert_eq!(texts(&set, "・口コミ\nクリニック\n"), ["口コミ"]);
}

#[test]
fn unless_nearby_reaches_across_lines() {
    let set = set_of(&rule("phrase", "literals = [\"症例写真\"]\nunless_nearby = [\"費用\"]\nnearby_chars = 20"));
    assert!(texts(&set, "■症例写真\n\n費用：10万円\n").is_empty());
    let far = format!("■症例写真\n\n{}\n費用：10万円\n", "あ".repeat(30));
    assert_eq!(texts(&set, &far), ["症例写真"]);
}

#[test]
fn evidence_leap_needs_a_claim_near_and_no_caveat() {
    let set = set_of(&rule("evidence-leap", "markers = [\"マウス\"]\nunless_overlapping = [\"マウスピース\"]"));
    let report = lint_text("t.txt", "マウスの実験で肌が改善しました。", &set);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].text, "マウス");
    assert_eq!(report.findings[0].related.as_ref().unwrap().text, "改善");
    assert!(texts(&set, "マウスの実験です。\n\n肌が改善しました。").is_empty(), "another paragraph");
    assert!(texts(&set, "マウスで肌が改善しました。ヒトでの効果は確認されていません。").is_empty());
    assert!(texts(&set, "マウスピースで歯並びが改善しました。").is_empty());
    let wide = set_of(&rule("evidence-leap", "markers = [\"マウス\"]\nwindow = 30"));
    assert_eq!(texts(&wide, "マウスの実験です。\n\n肌が改善しました。"), ["マウス"]);
}

#[test]
fn disclosure_lists_missing_elements_at_the_first_trigger() {
    let set = set_of(&rule(
        "disclosure",
        "triggers = [\"自由診療\"]\nunless_document = [\"当院では行っておりません\"]\n[[rule.elements]]\nid = \"cost\"\nregexes = [{ regex = '\\d+円', anchors = [\"円\"] }]\n[[rule.elements]]\nid = \"risks\"\nliterals = [\"副作用\"]",
    ));
    let report = lint_text("t.txt", "本施術は自由診療です。料金は5000円。自由診療のため…", &set);
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!((f.text.as_str(), f.start.column), ("自由診療", 5));
    assert_eq!(f.missing, ["risks"]);
    assert!(texts(&set, "自由診療。5000円。副作用：赤み。").is_empty(), "all present");
    assert!(texts(&set, "自由診療の施術は当院では行っておりません。").is_empty(), "unless_document");
    assert!(texts(&set, "保険診療です。").is_empty(), "no trigger");
}

#[test]
fn one_category_overlapping_findings_merge() {
    let rules = format!(
        "{}\n{}",
        rule("phrase", "literals = [\"必ず治る\"]"),
        rule("phrase", "literals = [\"治る\"]").replace("id = \"r\"", "id = \"s\"")
    );
    let set = set_of(&rules);
    assert_eq!(texts(&set, "必ず治る。"), ["必ず治る"]);
}
