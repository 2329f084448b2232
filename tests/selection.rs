//! A selection (`--select`, `--ignore`, the config's `select` and `ignore`)
//! and the config's severities are laid over the embedded pack's build-time
//! tables ([`RuleSet::select`], [`RuleSet::override_severities`]) instead of
//! compiling the pack at run time. Both ways must report the same findings.

use iryolint::lint::lint_text;
use iryolint::rules::{Category, Pack, RuleSet, RuleSpec, Severity};

/// Rule id, category, severity, byte span and text of one finding.
type Seen = (String, Category, Severity, usize, usize, String);

/// Every third page of the training sets: all kinds of rule fire on them.
fn pages() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    for dir in ["fixtures/labeled", "fixtures/web", "fixtures/compliant"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let pages: Vec<(String, String)> =
        (paths.iter().step_by(3)).map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap())).collect();
    assert!(pages.len() > 300, "{} pages", pages.len());
    pages
}

fn findings(set: &RuleSet, pages: &[(String, String)]) -> Vec<Seen> {
    let mut seen = Vec::new();
    for (path, text) in pages {
        for f in lint_text(path, text, set).findings {
            let id = set.rules[f.rule].id.clone();
            seen.push((id, f.category, f.severity, f.start.offset, f.end.offset, f.text));
        }
    }
    seen
}

/// The selection compiled at run time from the pack as written.
fn compiled(keep: impl Fn(&RuleSpec) -> bool, severity: impl Fn(&RuleSpec) -> Option<Severity>) -> RuleSet {
    let mut pack = Pack::embedded().unwrap();
    for rule in &mut pack.rules {
        if let Some(s) = severity(rule) {
            rule.severity = s;
        }
    }
    RuleSet::compile_selected(pack, keep).unwrap()
}

/// The selection laid over the embedded tables.
fn laid_over(keep: impl Fn(&RuleSpec) -> bool, severity: impl Fn(&RuleSpec) -> Option<Severity>) -> RuleSet {
    let mut set = RuleSet::embedded().unwrap();
    set.override_severities(severity);
    set.select(keep);
    set
}

#[test]
fn a_selection_over_the_embedded_tables_finds_what_the_compiled_selection_finds() {
    let pages = pages();
    let categories = [
        Category::UnsupportedEfficacy,
        Category::SafetyClaim,
        Category::SuperlativeComparison,
        Category::Testimonial,
        Category::MissingFreeCareDisclosure,
    ];
    for category in categories {
        let only = |r: &RuleSpec| r.category == category;
        let without = |r: &RuleSpec| r.category != category;
        for (name, keep) in [("select", &only as &dyn Fn(&RuleSpec) -> bool), ("ignore", &without)] {
            let over = findings(&laid_over(keep, |_| None), &pages);
            assert_eq!(over, findings(&compiled(keep, |_| None), &pages), "{name} {category:?}");
            assert!(!over.is_empty(), "{name} {category:?} finds nothing");
            let kept = kept_categories(keep);
            assert!(over.iter().all(|f| kept.contains(&f.1)), "{name} {category:?}");
        }
    }
}

/// The categories of the rules `keep` keeps (the learned rule reports in
/// unsupported-efficacy).
fn kept_categories(keep: &dyn Fn(&RuleSpec) -> bool) -> Vec<Category> {
    Pack::embedded().unwrap().rules.iter().filter(|r| keep(r)).map(|r| r.category).collect()
}

#[test]
fn severities_over_the_embedded_tables_are_those_compiled_at_run_time() {
    let pages = pages();
    // As the config's table: a rule id before its category.
    let severity = |r: &RuleSpec| match r.category {
        _ if r.id == "claim-like-sentence" => Some(Severity::Error),
        Category::SafetyClaim => Some(Severity::Info),
        Category::UnsupportedEfficacy => Some(Severity::Warning),
        _ => None,
    };
    let over = laid_over(|_| true, severity);
    let seen = findings(&over, &pages);
    assert_eq!(seen, findings(&compiled(|_| true, severity), &pages));
    let of = |category| seen.iter().filter(move |f| f.1 == category).map(|f| (f.0.as_str(), f.2));
    assert!(of(Category::SafetyClaim).all(|(_, s)| s == Severity::Info));
    assert!(of(Category::UnsupportedEfficacy).any(|(id, s)| id == "claim-like-sentence" && s == Severity::Error));
    // The rules as written (`rules`, `explain`, SARIF) show the new severity too.
    let shown = over.full_rules().iter().find(|r| r.category == Category::SafetyClaim).unwrap();
    assert_eq!(shown.severity, Severity::Info);
}

/// Runs the built binary in `dir` (where its config file is found).
fn iryolint_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_config_selection_and_severities_reach_every_output_of_the_embedded_pack() {
    let dir = tempfile::tempdir().unwrap();
    let config = "ignore = [\"superlative-comparison\"]\n[severity]\nsafety-claim = \"info\"\n";
    std::fs::write(dir.path().join("iryolint.toml"), config).unwrap();
    let page = "当院の自由診療です。\n\n当院の施術は痛みがありません。日本一のクリニックです。\n";
    std::fs::write(dir.path().join("page.txt"), page).unwrap();

    let out = iryolint_in(dir.path(), &["check", "--format", "json", "page.txt"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = (report["findings"].as_array().unwrap().iter())
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("free-care-disclosure", "error"), ("painless-claim", "info")]);

    // SARIF lists the rules the run reports, with their new levels, and
    // every result points at its own rule.
    let out = iryolint_in(dir.path(), &["check", "--format", "sarif", "page.txt"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = |id: &str| rules.iter().find(|r| r["id"] == id);
    assert!(listed("superlative-number-one").is_none(), "an ignored rule is not listed");
    assert_eq!(listed("painless-claim").unwrap()["defaultConfiguration"]["level"], "note");
    for result in run["results"].as_array().unwrap() {
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], result["ruleId"]);
    }

    let out = iryolint_in(dir.path(), &["--lang", "en", "explain", "painless-claim"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("severity: info"));
    let out = iryolint_in(dir.path(), &["--lang", "en", "explain", "superlative-number-one"]);
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("not checked here: ignore (iryolint.toml:1:11) leaves it out"), "{note}");

    // A name that is neither a rule nor a category: the config's first,
    // with its place, then the command line's.
    std::fs::write(dir.path().join("iryolint.toml"), "ignore = [\"no-such-rule\"]\n").unwrap();
    let out = iryolint_in(dir.path(), &["check", "--select", "nor-this", "page.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("iryolint.toml:1:11: `no-such-rule` is neither a rule id nor a category"), "{err}");
    std::fs::write(dir.path().join("iryolint.toml"), "").unwrap();
    let out = iryolint_in(dir.path(), &["check", "--select", "nor-this", "page.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`nor-this` is neither a rule id nor a category"), "{err}");
}
