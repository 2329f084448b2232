//! The two models end to end. The precision model (src/engine/likely.rs):
//! by default the span findings it finds unlikely are dropped,
//! `--all-findings` keeps them, document-level findings are never touched.
//! The claim model (src/engine/learned.rs): the learned rule reports the
//! sentences it scores at or above its threshold that no other finding
//! covers. `iryolint features` lists what both read, and
//! scripts/train-models.py writes models the build accepts, the shipped ones
//! byte for byte.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn iryolint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .args(["--no-config", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

/// (path, rule, start offset, end offset, missing elements) of every finding.
fn findings(args: &[&str]) -> BTreeSet<(String, String, u64, u64, String)> {
    let out = iryolint(args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["offset"].as_u64().unwrap(),
                f["end"]["offset"].as_u64().unwrap(),
                f["missing"].to_string(),
            )
        })
        .collect()
}

#[test]
fn all_findings_keeps_what_the_model_drops_and_disclosures_stay() {
    let filtered = findings(&["check", "--format", "json", "--max-findings", "0", "fixtures/holdout7"]);
    let all = findings(&["check", "--all-findings", "--format", "json", "--max-findings", "0", "fixtures/holdout7"]);
    assert!(filtered.is_subset(&all), "the model only drops findings");
    let dropped: Vec<_> = all.difference(&filtered).collect();
    assert!(!dropped.is_empty(), "the model drops some span findings on 42 real pages");
    assert!(dropped.iter().all(|f| f.4 == "null"), "disclosure findings are never dropped: {dropped:?}");
}

#[test]
fn a_suppression_whose_finding_the_model_drops_is_not_unused() {
    // Find a finding the model drops, then suppress it on its line: the
    // suppression did its job (a retrained model may bring the finding
    // back), so it is not reported unused.
    let all = findings(&["check", "--all-findings", "--format", "json", "--max-findings", "0", "fixtures/holdout7"]);
    let kept = findings(&["check", "--format", "json", "--max-findings", "0", "fixtures/holdout7"]);
    let (path, rule, start, ..) = all
        .difference(&kept)
        .find(|f| f.0.ends_with(".txt"))
        .expect("the model drops a finding on a holdout7 page")
        .clone();
    let text = std::fs::read_to_string(root().join(&path)).unwrap();
    let line_start = text[..start as usize].rfind('\n').map_or(0, |i| i + 1);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let comment = format!("<!-- iryolint-disable-next-line {rule} -- 引用 -->\n");
    std::fs::write(&page, format!("{}{comment}{}", &text[..line_start], &text[line_start..])).unwrap();
    let page = page.to_str().unwrap();
    // The edited page still has the finding, dropped by the model.
    let of_rule = |args: &[&str]| findings(args).into_iter().filter(|f| f.1 == rule).count();
    let without = of_rule(&["check", "--all-findings", "--format", "json", "--max-findings", "0", page]);
    std::fs::write(dir.path().join("bare.txt"), &text).unwrap();
    let bare = dir.path().join("bare.txt");
    let bare = bare.to_str().unwrap();
    assert_eq!(
        of_rule(&["check", "--all-findings", "--format", "json", "--max-findings", "0", bare]),
        without + 1,
        "the comment suppresses one finding of {rule}"
    );
    assert_eq!(
        of_rule(&["check", "--format", "json", "--max-findings", "0", bare]),
        of_rule(&["check", "--format", "json", "--max-findings", "0", page]),
        "the model drops it"
    );
    let out = iryolint(&["check", "--report-unused-suppressions", "--format", "concise", page]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("unused suppression"), "{stderr}");
    // The same suppression on a line the rule does not fire on is unused.
    std::fs::write(dir.path().join("page.txt"), format!("{comment}施術の流れをご説明します。\n")).unwrap();
    let out = iryolint(&["check", "--report-unused-suppressions", "--format", "concise", page]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unused suppression"), "an unused suppression is reported");
}

#[test]
fn the_summary_counts_what_the_model_drops() {
    let page = "fixtures/holdout7";
    let all = findings(&["check", "--all-findings", "--format", "json", "--max-findings", "0", page]);
    let kept = findings(&["check", "--format", "json", "--max-findings", "0", page]);
    let out = iryolint(&["check", "--format", "json", "--max-findings", "0", page]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let dropped = all.len() - kept.len();
    assert!(dropped > 0);
    assert_eq!(report["summary"]["unlikely"].as_u64(), Some(dropped as u64));
    let out = iryolint(&["check", "--format", "concise", "--max-findings", "0", page]);
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    assert!(
        last.ends_with(&format!("; {dropped} more dropped as unlikely to be marked (--all-findings shows them)")),
        "{last}"
    );
    let out = iryolint(&["check", "--all-findings", "--format", "json", "--max-findings", "0", page]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["unlikely"].as_u64(), Some(0));
}

#[test]
fn a_baseline_knows_the_findings_the_model_drops() {
    // Written with the model on, a baseline must know what --all-findings
    // (or a retrained model) shows; written with every finding, it must
    // not call the dropped ones fixed.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::copy(root().join("fixtures/holdout7/bv-03-exosome-iv-dermatology-column.txt"), &page).unwrap();
    let (page, base) = (page.to_str().unwrap(), dir.path().join("base.json"));
    let base = base.to_str().unwrap();
    assert!(iryolint(&["check", "--write-baseline", base, page]).status.success());
    let out = iryolint(&["check", "--all-findings", "--baseline", base, "--format", "json", page]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(findings(&["check", "--all-findings", "--baseline", base, "--format", "json", page]).is_empty());
    assert!(iryolint(&["check", "--all-findings", "--write-baseline", base, page]).status.success());
    let out = iryolint(&["check", "--baseline", base, "--format", "json", page]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no longer found"), "{stderr}");
    assert!(stderr.contains("known finding"), "{stderr}");
}

#[test]
fn a_config_may_ask_for_all_findings() {
    let dir = tempfile::tempdir().unwrap();
    let page = "bv-03-exosome-iv-dermatology-column.txt";
    std::fs::copy(root().join("fixtures/holdout7").join(page), dir.path().join(page)).unwrap();
    let run = |config: &str, flag: bool| {
        std::fs::write(dir.path().join("iryolint.toml"), config).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iryolint"));
        cmd.current_dir(dir.path()).args(["check", "--format", "json", page]);
        if flag {
            cmd.arg("--all-findings");
        }
        let report: Value = serde_json::from_slice(&cmd.output().unwrap().stdout).unwrap();
        report["findings"].as_array().unwrap().len()
    };
    let filtered = run("all-findings = false\n", false);
    let all = run("all-findings = true\n", false);
    assert!(filtered < all, "{filtered} findings filtered, {all} with all-findings = true");
    assert_eq!(all, run("", true), "the key and the flag keep the same findings");
}

/// A finding as [`findings`] keys it.
type Key = (String, String, u64, u64, String);

/// Every finding of a JSON report as [`findings`] keys it, with its
/// confidence, and the report's `summary.unlikely`.
fn with_confidence(args: &[&str]) -> (Vec<(Key, Option<f64>)>, u64) {
    let out = iryolint(args);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let key = (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["offset"].as_u64().unwrap(),
                f["end"]["offset"].as_u64().unwrap(),
                f["missing"].to_string(),
            );
            (key, f.get("confidence").map(|c| c.as_f64().unwrap()))
        })
        .collect();
    (all, report["summary"]["unlikely"].as_u64().unwrap())
}

#[test]
fn every_span_finding_has_a_confidence_and_min_confidence_drops_those_below_it() {
    let run = |extra: &[&str]| {
        with_confidence(
            &[&["check", "--format", "json", "--max-findings", "0"], extra, &["fixtures/holdout7"]].concat(),
        )
    };
    let (default, unlikely) = run(&[]);
    for (f, confidence) in &default {
        match confidence {
            None => assert_ne!(f.4, "null", "a span finding without a confidence: {f:?}"),
            Some(c) => assert!(f.4 == "null" && (0.0..=1.0).contains(c), "{f:?} {c}"),
        }
    }
    // The learned rule's findings carry the claim model's confidences, the
    // others the precision model's: each is a step of its model's file.
    let steps = |file: &str| -> Vec<f64> {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let model = iryolint::engine::weights::parse_tsv(&text).unwrap();
        model.calibration.iter().map(|&(_, c)| c.to_string().parse().unwrap()).collect()
    };
    let (claims, precision) = (steps("model/claims.tsv"), steps("model/precision.tsv"));
    let mut learned = 0;
    for (f, confidence) in default.iter().filter(|(f, _)| f.4 == "null") {
        let c = confidence.unwrap();
        if f.1 == LEARNED_RULE {
            learned += 1;
            assert!(claims.contains(&c), "{f:?}: {c} is no step of the claim model");
        } else {
            assert!(precision.contains(&c), "{f:?}: {c} is no step of the precision model");
        }
    }
    assert!(learned > 0);
    for share in ["0.5", "0.7"] {
        let (strict, strict_unlikely) = run(&["--min-confidence", share]);
        let share: f64 = share.parse().unwrap();
        let expected: Vec<_> = default.iter().filter(|(_, c)| c.is_none_or(|c| c >= share)).cloned().collect();
        assert_eq!(strict, expected, "exactly the span findings below {share} are dropped");
        let dropped = (default.len() - strict.len()) as u64;
        assert!(dropped > 0 && strict.iter().any(|(_, c)| c.is_some()), "{share}: some dropped, some kept");
        assert_eq!(strict_unlikely, unlikely + dropped, "the summary counts them with what the model drops");
        let share = share.to_string();
        let args =
            ["check", "--format", "concise", "--max-findings", "0", "--min-confidence", &share, "fixtures/holdout7"];
        let out = iryolint(&args);
        let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
        let hidden = format!("; {strict_unlikely} more dropped as unlikely to be marked (--all-findings shows them)");
        assert!(last.ends_with(&hidden), "{last}");
    }
    let every = run(&["--all-findings"]);
    assert!(every.0.len() > default.len() && every.1 == 0);
}

#[test]
fn sarif_ranks_are_the_confidences_in_percent() {
    let page = "fixtures/holdout7/bv-03-exosome-iv-dermatology-column.txt";
    // Each finding by rule, line and column, with its confidence in
    // percent; SARIF's results the same way with their rank.
    type Located = (String, u64, u64, Option<f64>);
    let out = iryolint(&["check", "--format", "json", page]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: Vec<Located> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let percent = f.get("confidence").map(|c| (c.as_f64().unwrap() * 1000.0).round() / 10.0);
            let (line, column) = (f["start"]["line"].as_u64().unwrap(), f["start"]["column"].as_u64().unwrap());
            (f["rule"].as_str().unwrap().to_string(), line, column, percent)
        })
        .collect();
    let out = iryolint(&["check", "--format", "sarif", page]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<Located> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            let (line, column) = (region["startLine"].as_u64().unwrap(), region["startColumn"].as_u64().unwrap());
            (r["ruleId"].as_str().unwrap().to_string(), line, column, r.get("rank").map(|x| x.as_f64().unwrap()))
        })
        .collect();
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(got, want);
    assert!(want.iter().any(|f| f.3.is_some()) && want.iter().any(|f| f.3.is_none()), "{want:?}");
}

#[test]
fn min_confidence_is_a_share_in_the_config_and_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let page = "bv-03-exosome-iv-dermatology-column.txt";
    std::fs::copy(root().join("fixtures/holdout7").join(page), dir.path().join(page)).unwrap();
    let run = |config: &str, args: &[&str]| {
        std::fs::write(dir.path().join("iryolint.toml"), config).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .current_dir(dir.path())
            .args(["check", "--format", "json", page])
            .args(args)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (
            out.status.code(),
            report["findings"].as_array().map(Vec::len),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, all, _) = run("", &[]);
    assert_eq!(code, Some(1));
    let all = all.unwrap();
    let (code, strict, _) = run("min-confidence = 0.8\n", &[]);
    assert!(code.is_some_and(|c| c < 2) && strict.unwrap() < all, "{strict:?} {all}");
    assert_eq!(run("", &["--min-confidence", "0.8"]).1, strict, "the key and the flag drop the same findings");
    assert_eq!(run("min-confidence = 0.8\n", &["--min-confidence", "0"]).1, Some(all), "the flag wins over the key");
    // The command line beats the config either way; the two flags together
    // contradict each other.
    let every = run("", &["--all-findings"]).1.unwrap();
    assert!(every > all);
    assert_eq!(run("min-confidence = 0.8\n", &["--all-findings"]).1, Some(every));
    assert_eq!(run("all-findings = true\n", &["--min-confidence", "0.8"]).1, strict);
    assert_eq!(run("all-findings = true\n", &[]).1, Some(every));
    let (code, _, stderr) = run("", &["--all-findings", "--min-confidence", "0.8"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    // Given on two levels (before and after the command), the parser lets
    // them through; the run refuses them all the same.
    for args in
        [["--all-findings", "check", "--min-confidence", "0.5"], ["--min-confidence", "0.5", "check", "--all-findings"]]
    {
        let out =
            Command::new(env!("CARGO_BIN_EXE_iryolint")).current_dir(dir.path()).args(args).arg(page).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim(), "iryolint: --all-findings and --min-confidence cannot be used together: one keeps every finding, the other drops some");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(dir.path())
        .args(["--all-findings", "lsp", "--min-confidence", "0.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the language server refuses them before it starts");
    let (code, _, stderr) = run("lang = \"en\"\nmin-confidence = 1.5\n", &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("iryolint.toml:2") && stderr.contains("min-confidence: `1.5` is not a share from 0 to 1"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let (code, _, stderr) = run("", &["--min-confidence", "2"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`2` is not a share from 0 to 1"), "{stderr}");
}

#[test]
fn features_lists_every_span_finding_with_what_the_model_reads() {
    // Every page of fixtures/labeled (our own), so that some sentence is
    // reported whatever the model's last training made of any one page.
    let mut pages: Vec<String> = std::fs::read_dir(root().join("fixtures/labeled"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    pages.sort();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let out = iryolint(&[&["features"], &pages[..]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (sentences, span_findings): (Vec<&Value>, Vec<&Value>) = lines.iter().partition(|l| l["sentence"] == true);
    let listed: BTreeSet<(String, u64, u64)> = span_findings
        .iter()
        .map(|l| {
            let rule = l["rule"].as_str().unwrap().to_string();
            let features: Vec<&str> = l["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
            assert_eq!(features[..2], ["b".to_string(), format!("r:{rule}")], "{l}");
            assert!(features.iter().any(|f| f.starts_with("k:")) && features.iter().any(|f| f.starts_with("len:")));
            let p = l["probability"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{l}");
            (
                format!("{}:{rule}", l["path"].as_str().unwrap()),
                l["start"].as_u64().unwrap(),
                l["end"].as_u64().unwrap(),
            )
        })
        .collect();
    let checked: BTreeSet<(String, u64, u64)> =
        findings(&[&["check", "--all-findings", "--format", "json"], &pages[..]].concat())
            .into_iter()
            .filter(|f| f.4 == "null")
            .map(|f| (f.0, f.1, f.2, f.3))
            .map(|(path, rule, start, end)| (format!("{path}:{rule}"), start, end))
            .collect();
    let (learned, rules): (BTreeSet<_>, BTreeSet<_>) =
        checked.into_iter().partition(|f| f.0.ends_with(&format!(":{LEARNED_RULE}")));
    assert!(!listed.is_empty());
    assert_eq!(listed, rules, "features lists exactly the span findings of the rules");
    // The sentences: those no rule covers that the claim model scores at or
    // above its threshold are the learned rule's findings, and only those.
    let threshold = claim_threshold();
    let reported: BTreeSet<(String, u64, u64)> = sentences
        .iter()
        .filter(|l| l["covered"] == false && l["probability"].as_f64().unwrap() >= f64::from(threshold))
        .map(|l| {
            let key = format!("{}:{LEARNED_RULE}", l["path"].as_str().unwrap());
            (key, l["start"].as_u64().unwrap(), l["end"].as_u64().unwrap())
        })
        .collect();
    assert!(sentences.len() > 100 && sentences.iter().any(|l| l["covered"] == true), "{} sentences", sentences.len());
    assert!(!reported.is_empty(), "the pages have sentences the claim model reports");
    assert_eq!(reported, learned);
}

/// The id of the pack's learned rule.
const LEARNED_RULE: &str = "claim-like-sentence";

/// The shipped claim model's threshold.
fn claim_threshold() -> f32 {
    let text = std::fs::read_to_string(root().join("model/claims.tsv")).unwrap();
    iryolint::engine::weights::parse_tsv(&text).unwrap().threshold
}

#[test]
fn the_learned_rule_reports_the_same_sentences_under_any_selection() {
    // Which sentences no other rule covers is what the whole pack finds,
    // whatever a run selects: leaving a category out does not hand its
    // claims to the learned rule.
    let learned = |args: &[&str]| -> BTreeSet<(String, String, u64, u64, String)> {
        let pages = ["fixtures/web", "fixtures/labeled", "fixtures/compliant"];
        let all = [&["check", "--format", "json", "--max-findings", "0"], args, &pages[..]].concat();
        findings(&all).into_iter().filter(|f| f.1 == LEARNED_RULE).collect()
    };
    let default = learned(&[]);
    assert!(default.len() > 300, "{} learned findings", default.len());
    for args in [&["--select", LEARNED_RULE][..], &["--ignore", "safety-claim"], &["--select", "unsupported-efficacy"]]
    {
        assert_eq!(learned(args), default, "{args:?}");
    }
}

#[test]
fn a_learned_finding_is_suppressed_in_plain_text_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let page = page.to_str().unwrap();
    let claim = "当院の点滴療法は、体の不調の根本原因にはたらきかけます。";
    let learned_on = |text: String| {
        std::fs::write(page, text).unwrap();
        findings(&["check", "--format", "json", page]).into_iter().filter(|f| f.1 == LEARNED_RULE).count()
    };
    assert_eq!(learned_on(format!("当院の点滴療法は自由診療です。\n\n{claim}\n")), 1);
    let comment = format!("<!-- iryolint-disable-next-line {LEARNED_RULE} -->\n");
    assert_eq!(learned_on(format!("当院の点滴療法は自由診療です。\n\n{comment}{claim}\n")), 0);
    let out = iryolint(&["check", "--report-unused-suppressions", "--format", "concise", page]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("unused suppression"));
}

#[test]
fn the_learned_rule_adds_findings_only_where_no_other_finding_is() {
    // Whole pages of the training sets: every learned finding is a sentence
    // that no other finding touches, and turning the rule off changes
    // nothing else.
    let pages = ["fixtures/web", "fixtures/labeled"];
    let all = findings(&["check", "--all-findings", "--format", "json", pages[0], pages[1]]);
    let without =
        findings(&["check", "--all-findings", "--ignore", LEARNED_RULE, "--format", "json", pages[0], pages[1]]);
    let (learned, rules): (BTreeSet<_>, BTreeSet<_>) = all.into_iter().partition(|f| f.1 == LEARNED_RULE);
    assert_eq!(rules, without);
    assert!(learned.len() > 100, "{} learned findings", learned.len());
    for f in &learned {
        assert!(
            !rules.iter().any(|g| g.0 == f.0 && g.4 == "null" && g.2 < f.3 && f.2 < g.3),
            "{f:?} overlaps another finding"
        );
    }
}

#[test]
fn features_names_a_file_it_cannot_read_and_exits_2() {
    let out = iryolint(&["features", "fixtures/no-such-page.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixtures/no-such-page.txt"), "{stderr}");
}

#[test]
fn the_training_script_writes_a_model_the_build_accepts() {
    if let Some(why) = no_python() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let [precision, claims] = train(dir.path(), &["fixtures/labeled"]);
    for text in [precision, claims] {
        let model = iryolint::engine::weights::parse_tsv(&text).unwrap();
        let (threshold, weights) = (model.threshold, model.records.len());
        assert!((0.0..1.0).contains(&threshold) && weights > 100, "{threshold} {weights}");
        let steps = &model.calibration;
        assert!(
            steps.first().is_some_and(|s| s.0 == 0.0) && steps.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
            "{steps:?}"
        );
    }
    // A holdout is never training data.
    let refused = Command::new("python3")
        .current_dir(root())
        .args(["scripts/train-models.py", "--out-dir"])
        .arg(dir.path())
        .arg("fixtures/holdout7")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("never train on them"));
}

/// Runs the training script with this build on `dirs` (its defaults when
/// none) and returns the two models it wrote to `out_dir`: the precision
/// model and the claim model.
fn train(out_dir: &std::path::Path, dirs: &[&str]) -> [String; 2] {
    let out = Command::new("python3")
        .current_dir(root())
        .arg("scripts/train-models.py")
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_iryolint"))
        .arg("--out-dir")
        .arg(out_dir)
        .args(dirs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    ["precision.tsv", "claims.tsv"].map(|name| std::fs::read_to_string(out_dir.join(name)).unwrap())
}

/// Why the training script cannot run here (it needs Python 3.11+, for
/// tomllib), if it cannot. With `IRYOLINT_REQUIRE_PYTHON` set (`.ci/run`
/// sets it) that is a failure, not a skip.
fn no_python() -> Option<String> {
    let why = match Command::new("python3").args(["-c", "import tomllib"]).output() {
        Ok(out) if out.status.success() => return None,
        Ok(_) => "python3 has no tomllib (3.11+ is needed)".to_string(),
        Err(e) => format!("python3 cannot be run: {e}"),
    };
    assert!(std::env::var_os("IRYOLINT_REQUIRE_PYTHON").is_none(), "IRYOLINT_REQUIRE_PYTHON is set but {why}");
    Some(why)
}

#[test]
fn the_model_file_is_what_the_training_script_writes() {
    // The model is trained on this repository's labeled sets only, so a
    // clean clone retrains it byte for byte; a rule change that changes the
    // findings makes it stale until the script is rerun.
    if let Some(why) = no_python() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let trained = train(dir.path(), &[]);
    for (name, trained) in ["precision.tsv", "claims.tsv"].iter().zip(trained) {
        let shipped = std::fs::read_to_string(root().join("model").join(name)).unwrap();
        assert!(trained == shipped, "model/{name} is stale: rerun python3 scripts/train-models.py");
    }
}
