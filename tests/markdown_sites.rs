//! Markdown sites (Hugo, Jekyll) as the command line sees them: front
//! matter read by key, configurable in iryolint.toml, and suppressions that
//! fit on a table row. Exact spans throughout, with the test rules of
//! tests/data/test-rules.toml.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs iryolint in `dir` with the test rules, and only them, selected.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iryolint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .arg("--rules")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-rules.toml"))
        .arg("--select=test-guarantee,test-mild")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// (rule, line, column, offset, end offset, text) of every finding.
fn spans(out: &Output) -> Vec<(String, u64, u64, u64, u64, String)> {
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                f["start"]["offset"].as_u64().unwrap(),
                f["end"]["offset"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The expected span of the `nth` (0-based) occurrence of `needle` in
/// `source`: (rule, line, column, offset, end offset, text).
fn at(source: &str, needle: &str, nth: usize, rule: &str) -> (String, u64, u64, u64, u64, String) {
    let offset = source.match_indices(needle).nth(nth).unwrap().0;
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (rule.to_string(), line as u64, column as u64, offset as u64, (offset + needle.len()) as u64, needle.to_string())
}

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const TABLE: &str = "# 実績\n\n| 施術 | 説明 |\n|---|---|\n| ぴよぴよ体操 | 受賞名 | <!-- iryolint-disable-line test-guarantee -- 受賞歴の正式名称 -->\n| ふがふが体操 | 説明 |\n| ぴよぴよ体操 | 説明 <!-- iryolint-disable-line unsupported-efficacy --> |\n| テスト用情報語 | <!-- iryolint-disable-line test-guarantee --> |\n";

#[test]
fn a_comment_at_the_end_of_a_table_row_suppresses_that_row_only() {
    let dir = site(&[("table.md", TABLE)]);
    let out = run_in(dir.path(), &["check", "--format", "json", "--report-unused-suppressions", "table.md"]);
    assert_eq!(
        spans(&out),
        [at(TABLE, "ふがふが体操", 0, "test-guarantee"), at(TABLE, "テスト用情報語", 0, "test-mild")]
    );
    // The last row's suppression names another rule: reported as unused.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let unused: Vec<&str> = stderr.lines().filter(|l| l.contains("unused suppression")).collect();
    assert_eq!(unused.len(), 1, "{stderr}");
    let comment = at(TABLE, "<!-- iryolint-disable-line test-guarantee -->", 0, "");
    assert!(
        unused[0].contains(&format!(
            "table.md:{}:{}: unused suppression `iryolint-disable-line test-guarantee`",
            comment.1, comment.2
        )),
        "{stderr}"
    );

    // Without the directives, both rows with the phrase are reported.
    let plain = TABLE.replace("iryolint-disable-line", "note");
    let dir = site(&[("table.md", &plain)]);
    let out = run_in(dir.path(), &["check", "--format", "json", "table.md"]);
    assert_eq!(
        spans(&out),
        [
            at(&plain, "ぴよぴよ体操", 0, "test-guarantee"),
            at(&plain, "ふがふが体操", 0, "test-guarantee"),
            at(&plain, "ぴよぴよ体操", 1, "test-guarantee"),
            at(&plain, "テスト用情報語", 0, "test-mild"),
        ]
    );
}

#[test]
fn the_same_line_form_works_in_html_and_plain_text() {
    let html = "<p>ぴよぴよ体操</p> <!-- iryolint-disable-line -->\n<p>ふがふが体操</p>\n";
    let text = "ぴよぴよ体操です。<!-- iryolint-disable-line test-guarantee -->\nふがふが体操です。\n";
    let dir = site(&[("page.html", html), ("page.txt", text)]);
    let out = run_in(dir.path(), &["check", "--format", "json", "page.html"]);
    assert_eq!(spans(&out), [at(html, "ふがふが体操", 0, "test-guarantee")]);
    let out = run_in(dir.path(), &["check", "--format", "json", "page.txt"]);
    assert_eq!(spans(&out), [at(text, "ふがふが体操", 0, "test-guarantee")]);
}

const HUGO_PAGE: &str = "---\ntitle: 院長紹介\nsummary: ぴよぴよ体操で若返る\nkeywords: [美容, \"ふがふが体操\"]\ntags:\n  - テスト用情報語\nseo_title: ふが体操\n---\n本文です。\n";

#[test]
fn front_matter_summary_and_keywords_are_read_by_default() {
    let dir = site(&[("content/about.md", HUGO_PAGE)]);
    let out = run_in(dir.path(), &["check", "--format", "json", "content/"]);
    assert_eq!(
        spans(&out),
        [at(HUGO_PAGE, "ぴよぴよ体操", 0, "test-guarantee"), at(HUGO_PAGE, "ふがふが体操", 0, "test-guarantee")]
    );
    assert_eq!(out.status.code(), Some(1));

    let toml = "+++\ntitle = \"院長紹介\"\nsummary = \"\"\"ぴよぴよ\"\"\"\nlead = 'ぴよぴよ体操'\n+++\n";
    let dir = site(&[("content/toml.md", toml)]);
    let out = run_in(dir.path(), &["check", "--format", "json", "content/"]);
    assert_eq!(spans(&out), [at(toml, "ぴよぴよ体操", 0, "test-guarantee")]);
}

#[test]
fn front_matter_keys_come_from_the_config() {
    let dir =
        site(&[("content/about.md", HUGO_PAGE), ("iryolint.toml", "front-matter-keys = [\"seo_title\", \"Tags\"]\n")]);
    let out = run_in(dir.path(), &["check", "--format", "json", "content/"]);
    assert_eq!(
        spans(&out),
        [at(HUGO_PAGE, "テスト用情報語", 0, "test-mild"), at(HUGO_PAGE, "ふが体操", 1, "test-guarantee")]
    );

    let dir = site(&[("content/about.md", HUGO_PAGE), ("iryolint.toml", "front-matter-keys = []\n")]);
    let out = run_in(dir.path(), &["check", "--format", "json", "content/"]);
    assert_eq!(spans(&out), []);
    assert_eq!(out.status.code(), Some(0));

    let dir = site(&[("content/about.md", HUGO_PAGE), ("iryolint.toml", "front-matter-keys = [\"summary\", \" \"]\n")]);
    let out = run_in(dir.path(), &["check", "content/"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("iryolint.toml:1:33: ` ` is not a front-matter key"), "{stderr}");
}
