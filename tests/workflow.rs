//! The team workflow: config files, inline suppressions, walking, CI
//! formats and baselines, run against the built binary in temporary
//! project folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-rules.toml")
}

/// Runs iryolint in `dir` with the test rules and only them selected
/// (`--select` keeps the embedded pack out of the way).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .arg("--rules")
        .arg(test_rules())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

/// (path, rule, line, text) of every finding.
fn findings(out: &Output) -> Vec<(String, String, u64, String)> {
    json(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const PAGE: &str = "この施術でぴよぴよ体操。\n効き目はふがふが体操と評判です。\nテスト用情報語。\n";
const SELECT: &str = "--select=test-guarantee,test-mild";

fn s(v: &str) -> String {
    v.to_string()
}

#[test]
fn config_selects_ignores_and_overrides_severity() {
    let dir = project(&[
        ("page.txt", PAGE),
        ("iryolint.toml", "select = [\"test-guarantee\", \"test-mild\"]\nignore = [\"test-mild\"]\n"),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json", "page.txt"]);
    let rules: Vec<String> = findings(&out).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["test-guarantee", "test-guarantee"]);

    let dir = project(&[
        ("page.txt", PAGE),
        ("iryolint.toml", "select = [\"test-guarantee\", \"other\"]\nfail-on = \"error\"\n[severity]\ntest-guarantee = \"warning\"\nother = \"error\"\n"),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json", "page.txt"]);
    let severities: Vec<(String, String)> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["severity"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        severities,
        [(s("test-guarantee"), s("warning")), (s("test-guarantee"), s("warning")), (s("test-mild"), s("error"))]
    );
    assert_eq!(out.status.code(), Some(1), "the info rule raised to error fails at fail-on = error");
}

#[test]
fn config_is_found_upward_and_fail_on_and_lang_apply() {
    let dir = project(&[
        ("sub/deeper/page.txt", "テスト用情報語。\n"),
        (".iryolint.toml", "fail-on = \"info\"\nlang = \"ja\"\n"),
    ]);
    let out = run_in(&dir.path().join("sub/deeper"), &["check", SELECT, "page.txt"]);
    assert_eq!(out.status.code(), Some(1), "fail-on = info from the parent folder's config");
    assert!(String::from_utf8_lossy(&out.stdout).contains("テスト: 情報"), "lang = ja");
    let out = run_in(&dir.path().join("sub/deeper"), &["check", SELECT, "--no-config", "page.txt"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn config_errors_name_file_line_and_column() {
    let dir = project(&[("page.txt", PAGE), ("iryolint.toml", "lang = \"ja\"\nfail-on = \"sometimes\"\n")]);
    let out = run_in(dir.path(), &["check", "page.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("iryolint.toml:2:11:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
    let dir = project(&[("iryolint.toml", "selects = []\n")]);
    let stderr = String::from_utf8_lossy(&run_in(dir.path(), &["check", "-"]).stderr).into_owned();
    assert!(stderr.contains("iryolint.toml:1:1: unknown field `selects`"), "{stderr}");
    let dir = project(&[("iryolint.toml", "ignore = [\"no-such-rule\"]\n")]);
    let out = run_in(dir.path(), &["check", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("iryolint.toml:1:11: `no-such-rule`"));
}

#[test]
fn config_include_exclude_extend_rules_and_products() {
    let team = "[[rule]]\nid = \"team-word\"\nkind = \"phrase\"\ncategory = \"other\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = { ja = \"j\", en = \"e\" }\nbasis = \"b\"\nhelp = { ja = \"j\", en = \"e\" }\nliterals = [\"チーム禁止語\"]\n";
    let dir = project(&[
        ("content/a.md", "チーム禁止語です。\n"),
        ("content/drafts/b.md", "チーム禁止語です。\n"),
        ("other/c.txt", "チーム禁止語です。\n"),
        ("lint/team.toml", team),
        (
            "iryolint.toml",
            "select = [\"team-word\", \"unapproved-disclosure\"]\ninclude = [\"content/**\"]\nexclude = [\"**/drafts/**\"]\nextend-rules = [\"lint/team.toml\"]\n[[products]]\nid = \"team-peptide\"\nname = \"ペプチド\"\nstatus = \"unapproved\"\naliases = [\"ぺぷちど点滴\"]\n",
        ),
        ("content/p.md", "当院のぺぷちど点滴です。\n"),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    let got: Vec<(String, String)> = findings(&out).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, [(s("./content/a.md"), s("team-word")), (s("./content/p.md"), s("unapproved-disclosure"))]);
    // An explicitly named file still honours exclude.
    let out = run_in(dir.path(), &["check", "--format", "json", "content/drafts/b.md"]);
    assert!(findings(&out).is_empty());
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = project(&[]);
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("iryolint.toml")).unwrap();
    assert!(text.contains("# fail-on = \"warning\""));
    let out = run_in(dir.path(), &["check", SELECT, "-"]);
    assert_eq!(out.status.code(), Some(0), "the starter file is a valid config");
    assert_eq!(run_in(dir.path(), &["init"]).status.code(), Some(2), "never overwrites");
}

#[test]
fn inline_suppressions() {
    let page = "\
<!-- iryolint-disable-next-line test-guarantee -- 引用のため -->
ぴよぴよ体操を紹介します。
ぴよぴよ体操を紹介します。
<!-- iryolint-disable unsupported-efficacy -->
ふがふが体操です。
<!-- iryolint-enable unsupported-efficacy -->
ふがふが体操です。
<!-- iryolint-disable-next-line test-mild -->
ぴよぴよ体操です。
";
    let dir = project(&[("page.md", page), ("file.txt", "<!-- iryolint-disable-file -->\nぴよぴよ体操\n")]);
    let out = run_in(
        dir.path(),
        &["check", SELECT, "--format", "json", "--report-unused-suppressions", "page.md", "file.txt"],
    );
    let lines: Vec<u64> = findings(&out).into_iter().map(|f| f.2).collect();
    assert_eq!(lines, [3, 7, 9]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("page.md:8:1: unused suppression `iryolint-disable-next-line test-mild`"), "{stderr}");
    assert_eq!(stderr.matches("unused suppression").count(), 1, "{stderr}");
}

#[test]
fn walking_respects_gitignore_and_skips_hidden() {
    let dir = project(&[
        (".gitignore", "build/\n*.tmp.md\n"),
        (".ignore", "private.txt\n"),
        ("build/page.txt", PAGE),
        ("x.tmp.md", PAGE),
        ("private.txt", PAGE),
        (".hidden/page.txt", PAGE),
        ("b.txt", PAGE),
        ("a/page.html", PAGE),
    ]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "."]);
    let mut paths: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    paths.dedup();
    assert_eq!(paths, ["./a/page.html", "./b.txt"]);
}

#[test]
fn github_annotations() {
    let dir = project(&[("p,1.txt", PAGE)]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "github", "p,1.txt"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap();
    // The message ends with the finding's confidence in percent, its `%`
    // escaped as a workflow command's data must be.
    let report = json(&run_in(dir.path(), &["check", SELECT, "--format", "json", "p,1.txt"]));
    let percent = (report["findings"][0]["confidence"].as_f64().unwrap() * 100.0).round();
    assert_eq!(
        first,
        format!("::error file=p%2C1.txt,line=1,col=6,endLine=1,endColumn=12,title=test-guarantee (unsupported-efficacy)::「ぴよぴよ体操」 test: guaranteed cure (confidence {percent}%25)")
    );
    assert!(stdout.lines().any(|l| l.starts_with("::notice file=p%2C1.txt,line=3,col=1,")), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn sarif_log_has_rules_results_and_regions() {
    let dir = project(&[("site/ページ.txt", PAGE)]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "sarif", "site/ページ.txt"]);
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    let result = &run["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], result["ruleId"]);
    assert_eq!(result["ruleId"], "test-guarantee");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "site/%E3%83%9A%E3%83%BC%E3%82%B8.txt");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 6);
    assert_eq!(loc["region"]["endColumn"], 12);
    assert!(result["partialFingerprints"]["iryolint/v2"].as_str().unwrap().len() == 16);
    // Fingerprints are given when the report reads them (a run writing
    // JSON or text skips them): two findings never share one.
    let fingerprint = |i: usize| run["results"][i]["partialFingerprints"]["iryolint/v2"].clone();
    assert_ne!(fingerprint(0), fingerprint(1));
    assert!(rules[index]["help"]["text"].as_str().unwrap().contains("test"));
    assert_eq!(rules[index]["properties"]["category"], "unsupported-efficacy");
}

#[test]
fn gitlab_and_junit_reports() {
    let dir = project(&[("a.txt", PAGE), ("clean.txt", "晴天です。\n")]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "gitlab", "a.txt", "clean.txt"]);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 3);
    assert_eq!(issues[0]["check_name"], "test-guarantee");
    assert_eq!(issues[0]["severity"], "major");
    assert_eq!(issues[0]["location"]["path"], "a.txt");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "junit", "a.txt", "clean.txt"]);
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.contains(r#"<testsuite name="iryolint" tests="2" failures="1">"#), "{xml}");
    assert!(xml.contains(r#"<testcase classname="iryolint" name="clean.txt"/>"#), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 3);
}

#[test]
fn baseline_reports_only_new_findings_and_survives_line_shifts() {
    let dir = project(&[("page.txt", PAGE)]);
    let out = run_in(dir.path(), &["check", SELECT, "--write-baseline", "base.json", "page.txt"]);
    assert_eq!(out.status.code(), Some(0), "writing a baseline is not a failing check");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "wrote base.json: 3 findings in 1 file\n");
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "page.txt"]);
    assert!(findings(&out).is_empty());
    assert_eq!(out.status.code(), Some(0));
    // Lines added above, and one new finding: only the new one is reported.
    let edited = format!("新しい見出し\n\n追記です。ぴよぴよ体操の二回目。\n{PAGE}");
    std::fs::write(dir.path().join("page.txt"), edited).unwrap();
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "page.txt"]);
    assert_eq!(findings(&out), [(s("page.txt"), s("test-guarantee"), 3, s("ぴよぴよ体操"))]);
    assert_eq!(out.status.code(), Some(1));
    // Editing the line of a known finding keeps it known.
    let reworded = PAGE.replace("この施術で", "この施術では、");
    std::fs::write(dir.path().join("page.txt"), reworded).unwrap();
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "page.txt"]);
    assert!(findings(&out).is_empty(), "{:?}", findings(&out));
    let out = run_in(dir.path(), &["check", "--baseline", "missing.json", "page.txt"]);
    assert_eq!(out.status.code(), Some(2));
}
