//! The precision model end to end (src/engine/likely.rs): by default the
//! span findings it finds unlikely are dropped, `--all-findings` keeps them,
//! document-level findings are never touched, `iryolint features` lists what
//! the model reads, and scripts/train-precision-model.py writes a model the
//! build accepts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn iryolint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["--no-config"])
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

#[test]
fn features_lists_every_span_finding_with_what_the_model_reads() {
    let page = "fixtures/holdout7/bv-03-exosome-iv-dermatology-column.txt";
    let out = iryolint(&["features", page]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let listed: BTreeSet<(String, u64, u64)> = lines
        .iter()
        .map(|l| {
            let rule = l["rule"].as_str().unwrap().to_string();
            let features: Vec<&str> = l["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
            assert_eq!(features[..2], ["b".to_string(), format!("r:{rule}")], "{l}");
            assert!(features.iter().any(|f| f.starts_with("k:")) && features.iter().any(|f| f.starts_with("nf:")));
            let p = l["probability"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{l}");
            (rule, l["start"].as_u64().unwrap(), l["end"].as_u64().unwrap())
        })
        .collect();
    let checked: BTreeSet<(String, u64, u64)> = findings(&["check", "--all-findings", "--format", "json", page])
        .into_iter()
        .filter(|f| f.4 == "null")
        .map(|f| (f.1, f.2, f.3))
        .collect();
    assert!(!listed.is_empty());
    assert_eq!(listed, checked, "features lists exactly the span findings of check --all-findings");
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
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is needed to run scripts/train-precision-model.py");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("precision.tsv");
    let out = Command::new("python3")
        .current_dir(root())
        .arg("scripts/train-precision-model.py")
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_iryolint"))
        .arg("--out")
        .arg(&model)
        .arg("fixtures/labeled")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&model).unwrap();
    let (threshold, records) = iryolint::engine::weights::parse_tsv(&text).unwrap();
    assert!((0.0..1.0).contains(&threshold) && records.len() > 100, "{threshold} {}", records.len());
    // A holdout is never training data.
    let refused = Command::new("python3")
        .current_dir(root())
        .args(["scripts/train-precision-model.py", "--out"])
        .arg(&model)
        .arg("fixtures/holdout7")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("never train on them"));
}

#[test]
fn the_model_file_is_what_the_training_script_writes_on_its_sets() {
    // The model is trained on ../shared/eval/dev too, which a clean clone
    // does not have: there the check is skipped.
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev").is_dir()
        || Command::new("python3").arg("--version").output().is_err()
    {
        eprintln!("skipped: retraining needs ../shared/eval/dev and python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("precision.tsv");
    let out = Command::new("python3")
        .current_dir(root())
        .arg("scripts/train-precision-model.py")
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_iryolint"))
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shipped = std::fs::read_to_string(root().join("model/precision.tsv")).unwrap();
    assert!(std::fs::read_to_string(&model).unwrap() == shipped, "model/precision.tsv is stale: rerun the script");
}
