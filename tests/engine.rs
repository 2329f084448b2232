//! The rule kinds and their conditions, each pinned with a small rule
//! written here (so the embedded pack's tuning cannot change them).

use iryolint::lint::lint_text;
use iryolint::rules::{Pack, RuleSet, Severity};

const LEXICON: &str = r#"
[class.negation]
words = ["わけではありません"]
[class.hedge]
words = ["期待でき"]
[class.caveat]
words = ["効果には個人差があります"]
[class.treatment]
words = ["施術"]
[class.mention]
words = ["表現"]
[class.human-benefit]
words = ["改善"]
[class.preclinical-caveat]
words = ["ヒトでの効果は確認されていません"]
[class.preclinical-marker]
words = ["マウスに", "マウスの"]
[class.patient-speech]
words = ["ました", "私"]
[class.patient-tag]
words = ["代女性)"]
[class.testimonial-heading]
words = ["患者様の声"]
[class.body-function]
words = ["代謝", "免疫力"]
[class.problem]
words = ["むくみ", "シミ"]
[class.raise]
ichidan = ["高める"]
godan = ["高まる"]
words = ["アップ"]
[class.lower]
ichidan = ["抑える"]
suru = ["解消"]
[class.clinic-humble]
words = ["いたします"]
[class.case-opener]
words = ["症例報告", "患者様について"]
[class.past-telling]
words = ["した", "った"]
[class.case-closer]
words = ["料金"]
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

/// A rule like [`rule`]'s, with id `t` and category testimonial.
fn testimonial(kind: &str, body: &str) -> String {
    rule(kind, body).replace("id = \"r\"", "id = \"t\"").replace("unsupported-efficacy", "testimonial")
}

fn set_of(rules: &str) -> RuleSet {
    let mut pack = Pack::default();
    pack.add_file("lexicon.toml", LEXICON).unwrap();
    pack.add_file("test.toml", rules).unwrap();
    pack.validate().unwrap();
    let mut set = RuleSet::compile(pack, |_| true).unwrap();
    // The engine under test, not the precision model trained on the pack.
    set.keep_unlikely = true;
    set
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
fn next_words_run_on_a_noun_only() {
    let set = set_of(&rule("phrase", "literals = [\"改善\", \"効く\"]\nunless_next = [\"点滴\", \"治療\"]"));
    assert!(texts(&set, "シミ改善点滴のご案内。").is_empty(), "a noun runs on into the name");
    assert_eq!(texts(&set, "肩こりに効く点滴です。"), ["効く"], "a verb qualifies the next word");
    assert_eq!(texts(&set, "シミを改善治療後すぐ。"), ["改善治療後"], "a predicate after a particle");
    assert_eq!(texts(&set, "シミ改善　治療時間は10分。"), ["改善"], "a space in the source separates");
    assert_eq!(texts(&set, "シミ改善\n治療時間は10分。"), ["改善"], "so does a line break");
    let set = set_of(&rule("phrase", "literals = [\"美白\"]\nneeds_next = [\"コース\"]"));
    assert_eq!(texts(&set, "美白コースのご案内。"), ["美白"]);
    assert!(texts(&set, "美白になります。").is_empty(), "needs_next");
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
fn a_finding_inside_another_of_its_category_merges() {
    let rules = format!(
        "{}\n{}",
        rule("phrase", "literals = [\"必ず治る\"]"),
        rule("phrase", "literals = [\"治る\"]").replace("id = \"r\"", "id = \"s\"")
    );
    let set = set_of(&rules);
    assert_eq!(texts(&set, "必ず治る。"), ["必ず治る"]);
}

#[test]
fn a_target_and_an_effect_in_one_clause_make_a_claim() {
    let set = set_of(&rule("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]"));
    assert_eq!(texts(&set, "この施術は代謝を高めます。"), ["代謝を高め"]);
    assert_eq!(texts(&set, "施術で代謝が高まり、免疫力もアップ。"), ["代謝が高まり", "免疫力もアップ"]);
    assert_eq!(texts(&set, "・免疫力アップ\n当院の施術\n"), ["免疫力アップ"], "a list item is a clause");
    assert!(texts(&set, "施術で代謝を高めません。").is_empty(), "a negative ending cancels");
    assert!(texts(&set, "施術で代謝を高めるわけではありません。").is_empty(), "a negation cancels");
    assert!(texts(&set, "施術の後は代謝が落ち、体が冷えて、気分を高めます。").is_empty(), "target in another clause");
    let far = format!("施術で代謝{}を高めます。", "の".repeat(13));
    assert!(texts(&set, &far).is_empty(), "further than the gap");
}

#[test]
fn a_claim_that_needs_its_agent_takes_the_clinic_speaking_humbly_as_one() {
    let set = set_of(&rule("claim", "target = [\"@problem\"]\neffect = [\"@lower\"]\nagent = true"));
    // 施術 (a treatment word) is the agent; without one, a plain sentence
    // may be about the body's own workings.
    assert_eq!(texts(&set, "今日は施術です。\n\n施術でむくみを解消します。"), ["むくみを解消"]);
    assert!(texts(&set, "今日は施術です。\n\n寝ている間にむくみを解消します。").is_empty());
    // A humble ending right after the claim: the clinic says it does it.
    assert_eq!(texts(&set, "今日は施術です。\n\nつらいむくみを解消いたします。"), ["むくみを解消"]);
    // Further on, or after an honorific, the humble verb is about
    // something else; in the next sentence, it is another sentence's.
    assert!(texts(&set, "今日は施術です。\n\nむくみを解消する体操をご紹介いたします。").is_empty());
    assert!(texts(&set, "今日は施術です。\n\nむくみ解消をご説明いたします。").is_empty());
    assert!(texts(&set, "今日は施術です。\n\nむくみを解消するよういたします。").is_empty(), "an aim");
    assert!(texts(&set, "今日は施術です。\n\nむくみを解消。いたします。").is_empty());
    // Four characters between may stand; five may not.
    assert_eq!(texts(&set, "今日は施術です。\n\nむくみを解消しあいういたします。"), ["むくみを解消"]);
    assert!(texts(&set, "今日は施術です。\n\nむくみを解消しあいうえいたします。").is_empty());
}

#[test]
fn a_target_marked_as_something_else_pairs_with_no_effect() {
    let words = "target = [\"脂肪\", \"肩こり\", \"シミ\"]\neffect = [\"取り出\", \"から解放\", \"薄く\"]";
    let plain = set_of(&rule("claim", words));
    let marked = set_of(&rule("claim", &format!("{words}\ntarget_marked_other = [\"から\", \"で\"]")));
    let source = "施術には脂肪から取り出した細胞を使います。";
    assert_eq!(texts(&plain, source), ["脂肪から取り出"]);
    assert!(texts(&marked, source).is_empty(), "a source");
    assert!(texts(&marked, "シミで薄く見える。").is_empty(), "a cause");
    assert_eq!(texts(&marked, "施術で脂肪を取り出します。"), ["脂肪を取り出"]);
    assert_eq!(texts(&marked, "施術で肩こりから解放されます。"), ["肩こりから解放"], "the effect's own から");
    assert_eq!(texts(&marked, "施術でシミでも薄くなります。"), ["シミでも薄く"], "でも marks nothing");
    assert_eq!(texts(&marked, "施術でシミでは薄くなる例が多いです。"), ["シミでは薄く"], "では marks nothing");
    assert!(texts(&marked, "施術には脂肪からも取り出した細胞を使います。").is_empty(), "からも is a source too");
    // The key's words are folded as literals are (a full-width space trimmed).
    let spaced = set_of(&rule("claim", &format!("{words}\ntarget_marked_other = [\"\u{3000}から\"]")));
    assert!(texts(&spaced, source).is_empty(), "a folded particle");
}

#[test]
fn either_order_pairs_an_effect_before_its_target() {
    let set = set_of(&rule("claim", "target = [\"@problem\"]\neffect = [\"@lower\"]\norder = \"either\""));
    assert_eq!(texts(&set, "施術でむくみを抑えます。"), ["むくみを抑え"]);
    assert_eq!(texts(&set, "施術で抑えるシミ。"), ["抑えるシミ"]);
    let one_way = set_of(&rule("claim", "target = [\"@problem\"]\neffect = [\"@lower\"]"));
    assert!(texts(&one_way, "施術で抑えるシミ。").is_empty());
}

#[test]
fn the_voice_decides_which_rule_reports_a_claim() {
    let clinic = set_of(&rule("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]"));
    let patient = set_of(&rule("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]\nvoice = [\"patient\"]"));
    let study = set_of(&rule("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]\nvoice = [\"study\"]"));
    let quoted = "「施術を受けて代謝が高まりました」と話します。";
    assert!(texts(&clinic, quoted).is_empty());
    assert_eq!(texts(&patient, quoted), ["代謝が高まり"]);
    let tagged = "施術で代謝が高まった。(40代女性)";
    assert_eq!(texts(&patient, tagged), ["代謝が高まっ"]);
    let section = "■患者様の声\n施術のあと代謝が高まった気がする。\n";
    assert_eq!(texts(&patient, section), ["代謝が高まっ"]);
    assert!(texts(&clinic, section).is_empty());
    let mice = "マウスに投与した施術の実験では、代謝が高まりました。";
    assert_eq!(texts(&study, mice), ["代謝が高まり"]);
    assert!(texts(&clinic, mice).is_empty());
    assert_eq!(texts(&clinic, "当院の施術で代謝を高めます。"), ["代謝を高め"]);
}

#[test]
fn a_case_report_tells_a_patients_course_in_the_past() {
    let efficacy = rule("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]");
    let set = set_of(&format!(
        "{efficacy}\n{}",
        testimonial("claim", "target = [\"@body-function\"]\neffect = [\"@raise\"]\nvoice = [\"case\"]")
    ));
    let rules = |text: &str| -> Vec<(String, String)> {
        lint_text("t.txt", text, &set).findings.into_iter().map(|f| (set.rules[f.rule].id.clone(), f.text)).collect()
    };
    let pair = |r: &str, t: &str| (r.to_string(), t.to_string());
    let far = format!("症例報告\n{}\n施術で代謝が高まりました。", "施術の説明です。".repeat(260));
    let near = format!("症例報告\n{}\n施術で代謝が高まりました。", "施術の説明です。".repeat(200));
    let (clinic, case) = (pair("r", "代謝が高まり"), pair("t", "代謝が高まり"));
    let cases = [
        // In an open case report, an outcome whose sentence ends in the past
        // is the patient's course (the testimonial rule wins the span); the
        // clinic's present-tense claim on the same page stays the clinic's.
        (
            "a case",
            "症例報告\n70代の方です。施術を3回受け、代謝が高まりました。\n当院の施術は代謝を高めます。",
            vec![case.clone(), pair("r", "代謝を高め")],
        ),
        (
            "the past ends the sentence",
            "症例報告\n施術で代謝が高まり、お一人おひとりに合った施術をご提案しています。",
            vec![clinic.clone()],
        ),
        ("before the opener", "施術で代謝が高まりました。\n患者様について\n70代の方です。", vec![clinic.clone()]),
        // Case words in a sentence, a list of links, a menu line, a
        // breadcrumb or a news line open nothing; a case runs about 2,000
        // characters.
        (
            "in a sentence",
            "当院は症例報告を学会で数多く発表してきました。施術で代謝が高まりました。",
            vec![clinic.clone()],
        ),
        ("in a list", "・症例報告\n・料金表\n\n施術で代謝が高まりました。", vec![clinic.clone()]),
        ("a menu line", "ホーム | 症例報告 | 料金表\n施術で代謝が高まりました。", vec![clinic.clone()]),
        ("a breadcrumb", "ホーム > 症例報告 > 肩こり\n施術で代謝が高まりました。", vec![clinic.clone()]),
        ("news", "症例報告を更新しました\n施術で代謝が高まりました。", vec![clinic.clone()]),
        ("far", far.as_str(), vec![clinic.clone()]),
        ("near", near.as_str(), vec![case.clone()]),
        // A heading of another kind of section closes the case; the case's
        // own sub-headings do not.
        ("closed", "■症例報告\n70代の方です。\n■料金\n施術で代謝が高まりました。", vec![clinic.clone()]),
        ("its own sub-heading", "■症例報告\n70代の方です。\n■治療の経過\n施術で代謝が高まりました。", vec![case]),
        // The clinic's record is not one patient's course.
        (
            "a record",
            "症例報告\n開院以来、当院の施術で多くの方の代謝アップを実現してきました。",
            vec![pair("r", "代謝アップ")],
        ),
    ];
    for (what, page, expected) in cases {
        assert_eq!(rules(page), expected, "{what}");
    }
}

#[test]
fn heading_and_clause_conditions() {
    let set = set_of(&rule("phrase", "literals = [\"むくみ\"]\nblocks = [\"list-item\"]\nneeds_heading = [\"効果\"]"));
    assert_eq!(texts(&set, "■施術の効果\n・むくみ\n"), ["むくみ"]);
    assert!(texts(&set, "■料金\n・むくみ\n").is_empty());
    let set = set_of(&rule("phrase", "literals = [\"むくみ\"]\nunless_clause = [\"ません\"]"));
    assert!(texts(&set, "むくみは出ません。").is_empty());
    assert_eq!(texts(&set, "むくみが出て、痛みはありません。"), ["むくみ"]);
}

#[test]
fn findings_of_two_categories_on_one_span_keep_the_more_specific() {
    let efficacy = rule("phrase", "literals = [\"若返\"]");
    let set = set_of(&format!("{efficacy}\n{}", testimonial("phrase", "literals = [\"肌が若返\"]")));
    let report = lint_text("t.txt", "肌が若返った。", &set);
    let rules: Vec<&str> = report.findings.iter().map(|f| set.rules[f.rule].id.as_str()).collect();
    assert_eq!(rules, ["t"]);
    let report = lint_text("t.txt", "肌が若返った。顔も若返った。", &set);
    let rules: Vec<&str> = report.findings.iter().map(|f| set.rules[f.rule].id.as_str()).collect();
    assert_eq!(rules, ["t", "r"], "a finding on another span is never hidden");
}

#[test]
fn spans_never_cut_a_word() {
    let set = set_of(&rule("phrase", "literals = [\"歳若く\", \"マウス実\"]"));
    assert_eq!(texts(&set, "見た目が5歳若くなる。マウス実験。"), ["5歳若く", "マウス実験"]);
}

#[test]
fn an_element_voided_elsewhere_is_missing() {
    let set = set_of(&rule(
        "disclosure",
        "triggers = [\"自由診療\"]\n[[rule.elements]]\nid = \"duration\"\nliterals = [\"期間\"]\nunless = [\"個人差\"]",
    ));
    assert!(texts(&set, "自由診療。期間は3か月。").is_empty());
    assert!(texts(&set, "自由診療。期間は3か月。効果は個人差があります。").is_empty(), "voids only its sentence");
    let report = lint_text("t.txt", "自由診療。期間は個人差があります。", &set);
    assert_eq!(report.findings[0].missing, ["duration"]);
}
