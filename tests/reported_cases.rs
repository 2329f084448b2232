//! Every false alarm, wrong message and miss reported against the pack in
//! issue 8, checked with the whole embedded pack as a user runs it: each
//! case names the rule (or category) it must or must not produce.

use iryolint::lint::{lint_text, FileReport};
use iryolint::rules::{Pack, RuleSet};

fn set() -> RuleSet {
    RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap()
}

/// (rule id, category, visible text) of every span finding.
fn findings(set: &RuleSet, text: &str) -> Vec<(String, String, String)> {
    let report: FileReport = lint_text("case.txt", text, set);
    report
        .findings
        .iter()
        .filter(|f| f.missing.is_empty())
        .map(|f| (set.rules[f.rule].id.clone(), f.category.as_str().to_string(), f.text.clone()))
        .collect()
}

fn has_category(found: &[(String, String, String)], category: &str) -> bool {
    found.iter().any(|(_, c, _)| c == category)
}

#[test]
fn caveats_operational_notices_and_free_consultations_are_not_lures_or_claims() {
    let set = set();
    let quiet = [
        "当院のピコレーザーでは、1回で満足のいく変化が得られないこともあります。",
        "当院ではモニター募集は行っておりません。",
        "当院の料金\nカウンセリング：無料\nピコトーニング：1回 15,000円（税込）\n",
        "| メニュー | 料金 |\n|---|---|\n| カウンセリング | 無料 |\n| 医療脱毛 全身 | 99,000円 |\n",
        "お知らせ：期間限定で、第2駐車場が工事のため使えません。当院へは公共交通機関でお越しください。",
        "医療広告ガイドラインでは、患者様の体験談を治療の効果の説明として掲載することは認められていません。そのため当院では体験談を掲載していません。",
    ];
    for text in quiet {
        let found = findings(&set, text);
        let lures: Vec<_> = found
            .iter()
            .filter(|(_, c, _)| matches!(c.as_str(), "inducement" | "testimonial" | "unsupported-efficacy"))
            .collect();
        assert!(lures.is_empty(), "{text}\n  {lures:?}");
    }
}

#[test]
fn the_most_specific_rule_reports_each_claim() {
    let set = set();
    let mice = findings(
        &set,
        "老齢マウスにNMNを投与した研究では、筋力が若いマウスと同じレベルまで回復しました。当院のNMN点滴です。",
    );
    assert!(has_category(&mice, "preclinical-extrapolation"), "{mice:?}");
    assert!(!has_category(&mice, "testimonial") && !has_category(&mice, "unsupported-efficacy"), "{mice:?}");

    let none = findings(&set, "当院の施術は副作用は一切ありません。");
    assert!(none.iter().any(|(r, _, t)| r == "no-side-effects-claim" && t.contains("一切")), "{none:?}");

    let model = findings(&set, "有名モデルも通うクリニックです。当院の施術をご予約ください。");
    assert!(
        model.iter().any(|(r, c, _)| c == "authority-endorsement" && r != "famous-institution-vouching"),
        "{model:?}"
    );
}

#[test]
fn evidence_leaps_point_at_the_human_claim_not_inside_other_words() {
    let set = set();
    let report = lint_text(
        "case.txt",
        "若いマウスの血液を老齢マウスに投与すると、副作用もなく、肌が若返ることが確認されています。当院の点滴療法です。",
        &set,
    );
    for f in report.findings.iter().filter(|f| f.related.is_some()) {
        let related = &f.related.as_ref().unwrap().text;
        assert!(related != "作用" && related != "若い", "second label on {related:?}");
    }
}

#[test]
fn spans_take_whole_words() {
    let set = set();
    for (text, word) in [
        ("マウス実験の結果、肌の弾力が改善しました。当院の注射です。", "マウス実験"),
        ("当院のハイフで見た目が5歳若く見えます。", "5歳若く"),
        ("今なら初回50%オフ！当院の医療脱毛。", "50%"),
    ] {
        let found = findings(&set, text);
        assert!(found.iter().any(|(_, _, t)| t.contains(word)), "{text}: {found:?}");
        for (_, _, t) in &found {
            for cut in ["マウス実", "歳若く", "初回50"] {
                if t.ends_with(cut) || t.starts_with(cut) {
                    assert!(t.contains(word) || !word.contains(cut), "{text}: cut span {t:?}");
                }
            }
        }
    }
}

#[test]
fn reported_misses_are_found() {
    let set = set();
    let cases = [
        ("有名モデルや女優さんも定期的に通われています。当院の施術です。", "authority-endorsement"),
        ("培養皿の実験では、エクソソームを加えた皮膚細胞のコラーゲン産生が2倍に増加しました。当院のエクソソーム点滴です。", "preclinical-extrapolation"),
        ("当院の点滴をするだけで、疲れた肌がよみがえります。", "unsupported-efficacy"),
        ("通常1回198,000円のところ、49,800円でご提供します。当院のハイフです。", "inducement"),
        ("当院のNMN点滴は、糖尿病の予防に効果があります。", "unsupported-efficacy"),
        ("当院の点滴で血糖の数値が下がり、糖尿病の予防につながります。", "unsupported-efficacy"),
    ];
    for (text, category) in cases {
        let found = findings(&set, text);
        assert!(has_category(&found, category), "{text}: no {category} in {found:?}");
    }
}

#[test]
fn findings_on_other_spans_are_never_hidden() {
    let set = set();
    let found = findings(&set, "当院の点滴は日本一の実績で、副作用は一切ありません。");
    assert!(has_category(&found, "superlative-comparison") && has_category(&found, "safety-claim"), "{found:?}");
}

/// Element ids a page's free-care disclosure finding says are missing.
fn missing_free_care(set: &RuleSet, text: &str) -> Vec<String> {
    let report: FileReport = lint_text("case.html", text, set);
    report
        .findings
        .iter()
        .filter(|f| set.rules[f.rule].id == "free-care-disclosure")
        .flat_map(|f| f.missing.iter().map(|m| m.to_string()))
        .collect()
}

#[test]
fn a_period_is_stated_only_with_a_figure_or_as_a_field_label() {
    let set = set();
    let base = "本治療は保険適用外の自由診療です。治療内容：ご本人の血液を採取し、遠心分離したPRPを膝関節へ注射します。\
                費用：1回55,000円（税込）。主なリスク・副作用：注射部位の痛み、腫れ、内出血が数日続くことがあります。";
    let unstated = format!("{base}治療期間中は激しい運動をお控えください。");
    assert_eq!(missing_free_care(&set, &unstated), ["duration"]);
    for stated in [
        format!("{base}治療期間：4週間おきに3回が目安です。"),
        format!("{base}通院回数は数回です。"),
        format!("<p>{base}</p><ul><li>通院回数:</li><li>6回前後</li></ul>"),
    ] {
        assert!(missing_free_care(&set, &stated).is_empty(), "{stated}");
    }
}

#[test]
fn an_attribution_tag_that_ends_a_quote_does_not_reach_the_next_line() {
    let set = set();
    let text = "当院の幹細胞治療\n「半年で杖なしで歩けるようになりました」（70代女性）\n再発しにくい治療です。\n";
    let found = findings(&set, text);
    assert!(found.iter().any(|(_, c, t)| c == "testimonial" && t.contains("杖なしで")), "{found:?}");
    assert!(found.iter().any(|(_, c, t)| c == "unsupported-efficacy" && t == "再発しにくい"), "{found:?}");
    // A tag on a line of its own still attributes the words above it.
    let alone = "当院の幹細胞治療\n半年で杖なしで歩けるようになりました。\n（70代女性）\n";
    assert!(has_category(&findings(&set, alone), "testimonial"), "{:?}", findings(&set, alone));
}
