//! Switching iryolint on in a real repository (issue 13): baselines that
//! survive running from a sub-folder and renames, nested and extending
//! configs, values checked, concise output and statistics, and Japanese
//! all the way through. Run against the built binary in temporary
//! project folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-rules.toml")
}

/// Runs iryolint in `dir` with the test rules added.
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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

/// (path, rule, line) of every finding of a JSON report.
fn findings(out: &Output) -> Vec<(String, String, u64)> {
    json(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
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
const CONFIG: &str = "select = [\"test-guarantee\", \"test-mild\"]\n";

fn s(v: &str) -> String {
    v.to_string()
}

// --- Baselines ------------------------------------------------------------

#[test]
fn a_baseline_written_at_the_root_hides_the_same_findings_from_a_sub_folder() {
    let dir = project(&[("iryolint.toml", CONFIG), ("sites/a/page.txt", PAGE), ("sites/b/page.txt", PAGE)]);
    let out = run_in(dir.path(), &["check", "--write-baseline", "base.json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "wrote base.json: 6 findings in 2 files\n");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap()).unwrap();
    assert_eq!(written["version"], 2);
    assert_eq!(written["findings"][0]["path"], "sites/a/page.txt", "relative to the config's folder, no ./");
    let site = dir.path().join("sites/a");
    let out = run_in(&site, &["check", "--format", "json", "--baseline", "../../base.json", "page.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(findings(&out).is_empty(), "{:?}", findings(&out));
    assert_eq!(stderr(&out), "iryolint: note: 3 known findings hidden by the baseline ../../base.json\n");
}

#[test]
fn without_a_config_paths_are_relative_to_the_repository_root() {
    let dir = project(&[("content/page.txt", PAGE)]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let out = run_in(dir.path(), &["check", SELECT, "--write-baseline", "base.json", "content"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(written.contains("\"path\": \"content/page.txt\""), "{written}");
    let out =
        run_in(&dir.path().join("content"), &["check", SELECT, "--format", "json", "--baseline", "../base.json", "."]);
    assert_eq!((findings(&out), out.status.code()), (vec![], Some(0)), "{}", stderr(&out));
}

/// Runs git in `dir`, or None when git cannot be run.
fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .ok()?;
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    Some(out)
}

#[test]
fn a_file_moved_with_git_mv_keeps_its_known_findings_and_only_new_ones_are_reported() {
    let dir = project(&[("content/old-name.md", PAGE)]);
    if git(dir.path(), &["init", "-q"]).is_none() {
        eprintln!("skipped: git cannot be run");
        return;
    }
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "legacy copy"]);
    // No config: paths are relative to the repository root.
    let out = run_in(dir.path(), &["check", SELECT, "--write-baseline", "base.json", "content"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    git(dir.path(), &["mv", "content/old-name.md", "content/name.md"]);
    std::fs::create_dir(dir.path().join("content/new")).unwrap();
    git(dir.path(), &["mv", "content/name.md", "content/new/name.md"]);
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "content"]);
    assert_eq!((findings(&out), out.status.code()), (vec![], Some(0)), "{}", stderr(&out));
    assert_eq!(stderr(&out), "iryolint: note: 3 known findings hidden by the baseline base.json\n");
    // A new copy of the moved file is a new page: its findings are reported,
    // the moved file (whose name is like the recorded one) keeps its own.
    std::fs::write(dir.path().join("content/copy.md"), PAGE).unwrap();
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "content"]);
    let paths: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["content/copy.md"; 3]);
    assert_eq!(out.status.code(), Some(1));
    // A moved file whose line was edited is not the same content: new.
    std::fs::remove_file(dir.path().join("content/copy.md")).unwrap();
    std::fs::write(dir.path().join("content/new/name.md"), PAGE.replace("この施術で", "この施術では")).unwrap();
    let out = run_in(dir.path(), &["check", SELECT, "--format", "json", "--baseline", "base.json", "content"]);
    assert_eq!(findings(&out), [(s("content/new/name.md"), s("test-guarantee"), 1)]);
}

#[test]
fn fixed_entries_are_reported_and_pruned() {
    let dir = project(&[("iryolint.toml", CONFIG), ("page.txt", PAGE)]);
    run_in(dir.path(), &["check", "--write-baseline", "base.json", "page.txt"]);
    std::fs::write(dir.path().join("page.txt"), PAGE.replace("ぴよぴよ体操", "体操")).unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "base.json", "page.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "iryolint: note: 2 known findings hidden by the baseline base.json\n\
         iryolint: note: 1 entry of the baseline base.json no longer found (fixed?); drop them with --prune-baseline\n"
    );
    let out = run_in(dir.path(), &["check", "--baseline", "base.json", "--prune-baseline", "page.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "pruned base.json: dropped 1 fixed entry, kept 2\n");
    let pruned: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap()).unwrap();
    let texts: Vec<&str> = pruned["findings"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["ふがふが体操", "テスト用情報語"]);
    let out = run_in(dir.path(), &["check", "--baseline", "base.json", "page.txt"]);
    assert_eq!(stderr(&out), "iryolint: note: 2 known findings hidden by the baseline base.json\n");
    // A new finding is not added by pruning.
    std::fs::write(dir.path().join("page.txt"), format!("{PAGE}ぴよぴよ体操\n")).unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "base.json", "--prune-baseline", "page.txt"]);
    assert_eq!(stdout(&out), "pruned base.json: dropped 0 fixed entries, kept 2\n");
}

#[test]
fn pruning_from_a_sub_folder_keeps_the_entries_of_files_it_did_not_check() {
    let dir = project(&[("iryolint.toml", CONFIG), ("sites/a/page.txt", PAGE), ("sites/b/page.txt", PAGE)]);
    run_in(dir.path(), &["check", "--write-baseline", "base.json", "."]);
    std::fs::write(dir.path().join("sites/a/page.txt"), "直しました。\n").unwrap();
    std::fs::remove_file(dir.path().join("sites/b/page.txt")).unwrap();
    std::fs::write(dir.path().join("sites/b/other.txt"), "ぴよぴよ体操\n").unwrap();
    let site = dir.path().join("sites/a");
    let out = run_in(&site, &["check", "--baseline", "../../base.json", "--prune-baseline", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // sites/a's three are fixed; sites/b/page.txt is gone, so its three are too.
    assert_eq!(stdout(&out), "pruned ../../base.json: dropped 6 fixed entries, kept 0\n");
    run_in(dir.path(), &["check", "--write-baseline", "base.json", "."]);
    std::fs::write(dir.path().join("sites/a/page.txt"), PAGE).unwrap();
    let out = run_in(&site, &["check", "--baseline", "../../base.json", "--prune-baseline", "."]);
    assert_eq!(stdout(&out), "pruned ../../base.json: dropped 0 fixed entries, kept 1\n", "sites/b was not checked");
}

#[test]
fn a_version_1_baseline_is_an_error_saying_how_to_write_it_again() {
    let dir = project(&[("page.txt", PAGE), ("old.json", "{\"version\": 1, \"findings\": []}\n")]);
    let out = run_in(dir.path(), &["check", SELECT, "--baseline", "old.json", "page.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "iryolint: old.json: a version 1 baseline (its paths are relative to the folder it was written from); \
         write it again with `iryolint check --write-baseline old.json`\n"
    );
}

// --- Output ---------------------------------------------------------------

/// What one-line outputs append to each finding of `page` (three span
/// findings under SELECT): its confidence in percent, ` (WORD N%)`, read
/// from the JSON report, so that the expectations hold whatever the
/// models' last training.
fn confidence_suffixes(dir: &Path, lang: &str, page: &str, word: &str) -> [String; 3] {
    let out = run_in(dir, &["--lang", lang, "check", SELECT, "--format", "json", page]);
    let findings = json(&out)["findings"].as_array().unwrap().clone();
    let suffixes: Vec<String> = findings
        .iter()
        .map(|f| format!(" ({word} {}%)", (f["confidence"].as_f64().unwrap() * 100.0).round()))
        .collect();
    suffixes.try_into().unwrap()
}

#[test]
fn concise_prints_one_line_per_finding() {
    let dir = project(&[("page.txt", PAGE)]);
    let out = run_in(dir.path(), &["--lang", "en", "check", SELECT, "--format", "concise", "page.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let [a, b, c] = confidence_suffixes(dir.path(), "en", "page.txt", "confidence");
    assert_eq!(
        stdout(&out),
        format!(
            "page.txt:1:6: error[test-guarantee] test: guaranteed cure{a}\n\
             page.txt:2:5: error[test-guarantee] test: guaranteed cure{b}\n\
             page.txt:3:1: info[test-mild] test: informational{c}\n\
             checked 1 file: 3 findings (2 error, 0 warning, 1 info)\n"
        )
    );
    assert!(a.starts_with(" (confidence ") && a.ends_with("%)"), "{a}");
}

#[test]
fn statistics_count_by_rule_and_by_category() {
    let dir = project(&[("a.txt", PAGE), ("b.txt", "ぴよぴよ体操\n")]);
    let out = run_in(dir.path(), &["--lang", "en", "check", SELECT, "--statistics", "a.txt", "b.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "findings by rule:\n\
         \x20   3  test-guarantee  unsupported-efficacy\n\
         \x20   1  test-mild       other\n\
         \n\
         findings by category:\n\
         \x20   3  unsupported-efficacy\n\
         \x20   1  other\n\
         \n\
         checked 2 files: 4 findings (3 error, 0 warning, 1 info)\n"
    );
    let out = run_in(dir.path(), &["check", SELECT, "--statistics", "--format", "json", "a.txt", "b.txt"]);
    let stats = json(&out);
    assert_eq!(
        stats["rules"][0],
        serde_json::json!({"rule": "test-guarantee", "category": "unsupported-efficacy", "count": 3})
    );
    assert_eq!(stats["categories"][1], serde_json::json!({"category": "other", "count": 1}));
    assert_eq!(stats["summary"]["findings"], 4);
    let out = run_in(dir.path(), &["check", SELECT, "--statistics", "--format", "sarif", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gitlab_paths_are_relative_to_the_project_root_without_dot_slash() {
    let dir = project(&[("iryolint.toml", CONFIG), ("sites/a/page.txt", PAGE)]);
    let out = run_in(dir.path(), &["check", "--format", "gitlab", "."]);
    let issues = json(&out);
    let paths: Vec<&str> = issues.as_array().unwrap().iter().map(|i| i["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["sites/a/page.txt"; 3]);
    // The same from the site's folder: same paths, same fingerprints.
    let again = json(&run_in(&dir.path().join("sites/a"), &["check", "--format", "gitlab", "page.txt"]));
    assert_eq!(again, issues);
}

// --- Japanese -------------------------------------------------------------

#[test]
fn japanese_mode_leaves_no_english_in_listings_explain_and_ci_messages() {
    let dir = project(&[("page.txt", PAGE)]);
    let out = run_in(dir.path(), &["--lang", "ja", "rules"]);
    let listing = stdout(&out);
    let line = listing.lines().find(|l| l.starts_with("test-guarantee")).unwrap();
    assert!(
        line.contains("根拠のない効果の表現") && line.contains("エラー") && line.ends_with("テスト: 治癒の保証"),
        "{line}"
    );
    assert!(listing.ends_with(" 件のルール\n"), "{listing}");
    let out = run_in(dir.path(), &["--lang", "ja", "explain", "test-guarantee"]);
    let text = stdout(&out);
    assert_eq!(text.lines().next().unwrap(), "test-guarantee: テスト: 治癒の保証");
    assert_eq!(
        text.lines().nth(1).unwrap(),
        "カテゴリ: 根拠のない効果の表現 (unsupported-efficacy)    重大度: エラー    種類: phrase"
    );
    let out = run_in(dir.path(), &["--lang", "ja", "check", SELECT, "--format", "sarif", "page.txt"]);
    let rules = json(&out)["runs"][0]["tool"]["driver"]["rules"].clone();
    assert_eq!(rules[0]["shortDescription"]["text"], "テスト: 治癒の保証");
    assert_eq!(rules[0]["help"]["text"], "テスト\n根拠: test");
    let [first, ..] = confidence_suffixes(dir.path(), "ja", "page.txt", "確度");
    let out = run_in(dir.path(), &["--lang", "ja", "check", SELECT, "--format", "junit", "page.txt"]);
    assert!(
        stdout(&out).contains(&format!(
            r#"<failure type="test-guarantee" message="テスト: 治癒の保証{first}">page.txt:1:6: エラー 「ぴよぴよ体操」 (test)</failure>"#
        )),
        "{}",
        stdout(&out)
    );
    let out = run_in(dir.path(), &["--lang", "ja", "check", SELECT, "--format", "gitlab", "page.txt"]);
    assert_eq!(json(&out)[0]["description"], format!("test-guarantee: 「ぴよぴよ体操」 テスト: 治癒の保証{first}"));
    let out = run_in(dir.path(), &["--lang", "ja", "check", SELECT, "--write-baseline", "b.json", "page.txt"]);
    assert_eq!(stdout(&out), "b.json を書き出しました: 1 ファイルの指摘 3 件\n");
    let out = run_in(dir.path(), &["--lang", "ja", "check", SELECT, "--baseline", "b.json", "page.txt"]);
    assert_eq!(stderr(&out), "iryolint: note: ベースライン b.json にある既知の指摘 3 件を表示していません\n");
    assert_eq!(stdout(&out), "1 ファイルを検査: 指摘 0 件 (error 0, warning 0, info 0)\n");
}

/// A disclosure rule owned by the test, so that which items are missing
/// does not depend on how the embedded pack is tuned.
const DISCLOSURE_RULE: &str = r#"
[[rule]]
id = "test-disclosure"
kind = "disclosure"
category = "missing-free-care-disclosure"
severity = "error"
summary = "test: disclosure"
message = { ja = "テスト: 開示不足", en = "test: missing disclosure" }
basis = "test"
help = { ja = "テスト", en = "test" }
triggers = ["ぴよ療法"]

[[rule.elements]]
id = "free-care-statement"
literals = ["自由診療"]

[[rule.elements]]
id = "cost"
literals = ["費用"]

[[rule.elements]]
id = "risks"
literals = ["副作用"]
"#;

#[test]
fn missing_disclosure_items_are_named_not_given_as_ids_in_japanese() {
    let dir = project(&[("page.txt", "ぴよ療法は自由診療です。\n"), ("disclosure.toml", DISCLOSURE_RULE)]);
    let check = |lang: &str, format: &str| {
        let args =
            ["--rules", "disclosure.toml", "--lang", lang, "check", "--select=test-disclosure", "--format", format];
        run_in(dir.path(), &[&args[..], &["page.txt"]].concat())
    };
    assert_eq!(
        stdout(&check("ja", "concise")),
        "page.txt:1:1: error[test-disclosure] テスト: 開示不足 (不足: 標準的な費用、主なリスク・副作用)\n\
         1 ファイルを検査: 指摘 1 件 (error 1, warning 0, info 0)\n"
    );
    assert_eq!(
        stdout(&check("en", "concise")).lines().next().unwrap(),
        "page.txt:1:1: error[test-disclosure] test: missing disclosure (missing: cost, risks)"
    );
    let human = stdout(&check("ja", "human"));
    assert!(
        human.contains("error[test-disclosure]: テスト: 開示不足 (不足: 標準的な費用、主なリスク・副作用)"),
        "{human}"
    );
    let sarif = json(&check("ja", "sarif"));
    assert_eq!(
        sarif["runs"][0]["results"][0]["message"]["text"],
        "「ぴよ療法」 テスト: 開示不足 (不足: 標準的な費用、主なリスク・副作用)"
    );
    let github = stdout(&check("ja", "github"));
    assert!(github.ends_with("::「ぴよ療法」 テスト: 開示不足 (不足: 標準的な費用、主なリスク・副作用)\n"), "{github}");
    // JSON keeps the ids: it is read by programs.
    assert_eq!(json(&check("ja", "json"))["findings"][0]["missing"], serde_json::json!(["cost", "risks"]));
}

// --- explain --------------------------------------------------------------

#[test]
fn explain_works_for_a_rule_the_config_ignores_and_suggests_a_near_id() {
    let dir = project(&[("iryolint.toml", "ignore = [\"test-mild\"]\n")]);
    let out = run_in(dir.path(), &["--lang", "en", "explain", "test-mild"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().next().unwrap(), "test-mild: test: informational");
    assert_eq!(
        stderr(&out),
        "iryolint: note: test-mild is not checked here: ignore (iryolint.toml:1:11) leaves it out\n"
    );
    let out = run_in(dir.path(), &["--lang", "en", "explain", "test-guarante"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "iryolint: no rule `test-guarante` (see `iryolint rules`); did you mean `test-guarantee`?\n"
    );
    let out = run_in(dir.path(), &["--lang", "en", "explain", "nothing-like-it"]);
    assert_eq!(stderr(&out), "iryolint: no rule `nothing-like-it` (see `iryolint rules`)\n");
    let out = run_in(dir.path(), &["--lang", "en", "--select", "test-guarantee,test-mild", "explain", "other"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("iryolint: `other` is a category, not a rule; its rules: "), "{}", stderr(&out));
    assert!(stderr(&out).contains("test-mild"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["--lang", "ja", "explain", "test-mlid"]);
    assert_eq!(
        stderr(&out),
        "iryolint: ルール `test-mlid` はありません (`iryolint rules` を参照)。`test-mild` のことですか?\n"
    );
}

// --- Config ---------------------------------------------------------------

#[test]
fn an_include_glob_that_matches_nothing_is_an_error_naming_it() {
    let dir = project(&[
        ("iryolint.toml", "select = [\"test-guarantee\"]\ninclude = [\"content/**\", \"public/**/*.html\"]\n"),
        ("content/a.md", PAGE),
        (".gitignore", "public/\n"),
        ("public/index.html", PAGE),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "iryolint: iryolint.toml:2:26: include `public/**/*.html` matches no file (files ignored by .gitignore are not walked)\n"
    );
    assert_eq!(findings(&out).len(), 2, "the files that match are still checked");
    // Checking one sub-folder does not judge the globs of the whole tree.
    let out = run_in(dir.path(), &["check", "--format", "json", "content"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // But a folder none of whose files the globs keep is not "0 files, exit 0".
    std::fs::create_dir(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("other/page.md"), PAGE).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "other"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "iryolint: other: no file here matches the config's include globs\n");
    let out = run_in(dir.path(), &["--lang", "ja", "check", "."]);
    assert_eq!(
        stderr(&out),
        "iryolint: iryolint.toml:2:26: include `public/**/*.html` に当てはまるファイルがありません \
         (.gitignore で除外されたファイルは検査対象になりません)\n"
    );
}

#[test]
fn every_config_value_is_checked_with_its_line() {
    let product = |status: &str| {
        format!("[[products]]\nid = \"p\"\nname = \"P\"\nstatus = \"{status}\"\naliases = [\"ぺぷちど\"]\n")
    };
    for (config, expected) in [
        (product("approved"), "iryolint.toml:4:10: unknown variant `approved`, expected `unapproved` or `off-label`"),
        (product("unaproved"), "iryolint.toml:4:10: unknown variant `unaproved`, expected `unapproved` or `off-label`"),
        (
            "[[products]]\nid = \"p\"\nname = \"P\"\nstatus = \"unapproved\"\naliases = []\n".to_string(),
            "iryolint.toml:1:1: [[products]]: product `p`: aliases is empty (at least one word that names it)",
        ),
        (
            "[[products]]\nid = \"Our Peptide\"\nname = \"P\"\nstatus = \"unapproved\"\naliases = [\"x\"]\n"
                .to_string(),
            "iryolint.toml:1:1: [[products]]: id `Our Peptide` must be kebab-case (a-z, 0-9 and -)",
        ),
        (
            "include = [\"content/[\"]\n".to_string(),
            "iryolint.toml:1:12: include: error parsing glob 'content/[': unclosed character class; missing ']'",
        ),
        ("extend = \"../nowhere.toml\"\n".to_string(), "iryolint.toml:1:10: extend: ../nowhere.toml: no such file"),
        (
            "extend-rules = [\"lint/team.toml\"]\n".to_string(),
            "iryolint.toml:1:17: extend-rules: ./lint/team.toml: no such file",
        ),
    ] {
        let dir = project(&[("iryolint.toml", &config), ("page.txt", PAGE)]);
        let out = run_in(dir.path(), &["check", "page.txt"]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert_eq!(stderr(&out), format!("iryolint: {expected}\n"), "{config}");
    }
}

#[test]
fn a_site_config_extends_the_root_one_and_applies_from_the_root() {
    let dir = project(&[
        ("iryolint.toml", "select = [\"test-guarantee\", \"test-mild\"]\nfail-on = \"error\"\n[severity]\ntest-mild = \"warning\"\n"),
        ("sites/a/iryolint.toml", "extend = \"../../iryolint.toml\"\nextend-ignore = [\"test-guarantee\"]\n[severity]\ntest-mild = \"error\"\n"),
        ("sites/a/page.txt", PAGE),
        ("sites/b/page.txt", PAGE),
    ]);
    let severities = |out: &Output| -> Vec<(String, String, String)> {
        json(out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (s(f["path"].as_str().unwrap()), s(f["rule"].as_str().unwrap()), s(f["severity"].as_str().unwrap()))
            })
            .collect()
    };
    // From the root: site a's own file applies to its pages.
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(
        severities(&out),
        [
            (s("./sites/a/page.txt"), s("test-mild"), s("error")),
            (s("./sites/b/page.txt"), s("test-guarantee"), s("error")),
            (s("./sites/b/page.txt"), s("test-guarantee"), s("error")),
            (s("./sites/b/page.txt"), s("test-mild"), s("warning")),
        ]
    );
    // From inside the site: the same, the root's keys it does not set kept.
    let out = run_in(&dir.path().join("sites/a"), &["check", "--format", "json", "page.txt"]);
    assert_eq!(severities(&out), [(s("page.txt"), s("test-mild"), s("error"))]);
    assert_eq!(out.status.code(), Some(1), "fail-on = error comes from the root file");
    // --config names one file for every input.
    let out = run_in(dir.path(), &["--config", "iryolint.toml", "check", "--format", "json", "sites/a"]);
    assert_eq!(severities(&out).len(), 3);
}

#[test]
fn an_extend_loop_is_an_error() {
    let dir = project(&[
        ("iryolint.toml", "extend = \"sub/iryolint.toml\"\n"),
        ("sub/iryolint.toml", "extend = \"../iryolint.toml\"\n"),
    ]);
    let out = run_in(dir.path(), &["check", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "iryolint: sub/iryolint.toml:1:10: extend: `../iryolint.toml` is already in the chain (a loop)\n"
    );
}

#[test]
fn a_broken_site_config_is_an_error_naming_it_and_other_sites_are_still_checked() {
    let dir = project(&[
        ("iryolint.toml", CONFIG),
        ("sites/a/iryolint.toml", "extend = \"../../iryolint.toml\"\nfail_on = \"error\"\n"),
        ("sites/a/page.txt", PAGE),
        ("sites/a/more.txt", PAGE),
        ("sites/b/page.txt", PAGE),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "iryolint: sites/a/iryolint.toml:2:1: unknown field `fail_on`, expected one of `extend`, `select`, `ignore`, \
         `extend-select`, `extend-ignore`, `severity`, `include`, `exclude`, `extend-exclude`, `extend-rules`, \
         `products`, `fail-on`, `all-findings`, `min-confidence`, `lang`, `max-file-size`, `max-docx-size`, `max-findings`, `max-sentence-chars`, \
         `front-matter-keys`\n",
        "one line, once"
    );
    let paths: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["./sites/b/page.txt"; 3]);
}
