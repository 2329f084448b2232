//! The command line end to end: exit codes, formats, stdin, encodings and
//! bad input, run against the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iryolint"));
    cmd.env("NO_COLOR", "1").env("LANG", "C");
    cmd
}

fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-rules.toml")
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin();
    cmd.arg("--rules").arg(test_rules()).args(args);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The findings of one rule as (line, column, offset, end offset, text).
fn of_rule(report: &Value, rule: &str) -> Vec<(u64, u64, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                f["start"]["offset"].as_u64().unwrap(),
                f["end"]["offset"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const PAGE: &str = "当院のご案内\n\nこの施術でぴよぴよ体操。\n効き目はふがふが体操と評判です。\n";

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn finding_has_exact_span_and_exit_code_1() {
    let dir = temp_dir();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = run(&["check", "--format", "json", page.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    let at = PAGE.find("ぴよぴよ体操").unwrap() as u64;
    let at2 = PAGE.find("ふがふが体操").unwrap() as u64;
    assert_eq!(
        of_rule(&report, "test-guarantee"),
        [
            (3, 6, at, at + "ぴよぴよ体操".len() as u64, "ぴよぴよ体操".to_string()),
            (4, 5, at2, at2 + "ふがふが体操".len() as u64, "ふがふが体操".to_string()),
        ]
    );
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "test-guarantee").unwrap();
    assert_eq!(f["category"], "unsupported-efficacy");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], page.to_str().unwrap());
    assert!(f.get("missing").is_none());
    assert_eq!(report["version"], 1);
    assert!(report["summary"]["findings"].as_u64().unwrap() >= 2);
}

#[test]
fn clean_page_exits_0() {
    let out = run(&["check", "--format", "json", "-"], Some("本日は晴天です。\n".as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn fail_on_threshold_decides_exit_code() {
    let text = "テスト用情報語があります。\n".as_bytes();
    let out = run(&["check", "--format", "json", "-"], Some(text));
    assert_eq!(of_rule(&json(&out), "test-mild").len(), 1);
    assert_eq!(out.status.code(), Some(0), "info is below the default threshold (warning)");
    let out = run(&["check", "--fail-on", "info", "-"], Some(text));
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["check", "--fail-on", "error", "-"], Some(PAGE.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_file_exits_2_names_it_and_others_are_still_checked() {
    let dir = temp_dir();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let missing = dir.path().join("nope.txt");
    let out = run(&["check", "--format", "json", missing.to_str().unwrap(), page.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nope.txt") && stderr.contains("no such file"), "{stderr}");
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 2);
}

#[test]
fn stdin_is_named_by_stdin_filename() {
    let out = run(&["check", "--format", "json", "--stdin-filename", "draft.txt", "-"], Some(PAGE.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "test-guarantee").unwrap();
    assert_eq!(f["path"], "draft.txt");
    let out = run(&["check", "--format", "json", "-"], Some(PAGE.as_bytes()));
    assert_eq!(json(&out)["findings"][0]["path"], "-");
}

#[test]
fn same_findings_in_every_encoding() {
    let page = format!("{PAGE}ｴｸｿｿｰﾑ点滴はぴよぴよ体操。\n");
    let dir = temp_dir();
    let mut seen = Vec::new();
    // (ISO-2022-JP cannot carry half-width katakana: it is tested below.)
    for enc in [encoding_rs::UTF_8, encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
        let (bytes, _, unmappable) = enc.encode(&page);
        assert!(!unmappable);
        let path = dir.path().join(format!("page-{}.txt", enc.name()));
        std::fs::write(&path, &bytes).unwrap();
        let out = run(&["check", "--format", "json", path.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1), "{}", enc.name());
        let findings: Vec<(Value, Value, Value, Value, Value)> = json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].clone(),
                    f["start"]["line"].clone(),
                    f["start"]["column"].clone(),
                    f["end"]["column"].clone(),
                    f["text"].clone(),
                )
            })
            .collect();
        assert_eq!(findings.iter().filter(|f| f.0 == "test-guarantee").count(), 3, "{}", enc.name());
        seen.push(findings);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:#?}");
    let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode(PAGE);
    let out = run(&["check", "--format", "json", "-"], Some(&bytes));
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 2);
    // UTF-16 with a BOM, through stdin.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
    let out = run(&["check", "--format", "json", "-"], Some(&bytes));
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 3);
}

#[test]
fn forced_encoding_and_unknown_label() {
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(PAGE);
    let out = run(&["check", "--format", "json", "--encoding", "shift_jis", "-"], Some(&bytes));
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 2);
    let out = run(&["check", "--encoding", "klingon", "-"], Some(&bytes));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("klingon"));
}

#[test]
fn invalid_bytes_warn_with_file_and_line_but_are_checked() {
    let mut bytes = PAGE.as_bytes().to_vec();
    bytes.extend_from_slice(b"broken \xff\xfe byte\n");
    let out = run(&["check", "--format", "json", "--stdin-filename", "bad.txt", "-"], Some(&bytes));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.txt:5:"), "{stderr}");
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 2);
}

#[test]
fn binary_files_are_skipped_with_a_note() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(dir.path().join("page.txt"), PAGE).unwrap();
    let out = run(&["check", "--format", "json", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("image.txt: binary file skipped"));
    assert_eq!(json(&out)["summary"]["files"], 1);
}

#[test]
fn directories_are_walked_in_order_skipping_hidden_and_unknown_files() {
    let dir = temp_dir();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/sub")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    for p in ["b/sub/z.md", "b/a.html", "a.txt", ".hidden/x.txt", "script.js"] {
        std::fs::write(root.join(p), PAGE).unwrap();
    }
    let out = run(&["check", "--format", "json", root.to_str().unwrap()], None);
    let report = json(&out);
    let mut paths: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "test-guarantee")
        .map(|f| f["path"].as_str().unwrap().strip_prefix(root.to_str().unwrap()).unwrap().to_string())
        .collect();
    paths.dedup();
    assert_eq!(paths, ["/a.txt", "/b/a.html", "/b/sub/z.md"]);
}

#[test]
fn bad_rule_file_is_a_one_line_error_with_line_and_exit_2() {
    let dir = temp_dir();
    let rules = dir.path().join("team.toml");
    std::fs::write(&rules, "[[rule]]\nid = \"x\"\nkind = \"sentence\"\n").unwrap();
    let out = bin().args(["--rules", rules.to_str().unwrap(), "check", "-"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("team.toml:3:"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let out = bin().args(["check", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["explain", "no-such-rule"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn human_output_points_at_the_span() {
    let out = run(&["--lang", "en", "check", "--stdin-filename", "draft.txt", "-"], Some(PAGE.as_bytes()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[test-guarantee]: test: guaranteed cure"), "{stdout}");
    assert!(stdout.contains("--> draft.txt:3:6"), "{stdout}");
    // Carets sit under the span: 5 double-width characters precede it.
    assert!(stdout.contains("3 | この施術でぴよぴよ体操。\n  |           ^^^^^^^^^^^^"), "{stdout}");
    assert!(stdout.contains("= help: test"), "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("checked 1 file:"), "{stdout}");
}

#[test]
fn human_output_gives_each_span_finding_its_confidence_in_percent() {
    fn args(format: &str) -> Vec<&str> {
        vec!["--lang", "en", "check", "--format", format, "--stdin-filename", "draft.txt", "-"]
    }
    // The test page, and a line that makes the page advertise self-paid
    // care without its disclosures (a finding with no confidence).
    let page = format!("{PAGE}\n当院では自由診療の点滴療法を行っています。\n");
    let report = json(&run(&args("json"), Some(page.as_bytes())));
    let findings = report["findings"].as_array().unwrap();
    let out = run(&args("human"), Some(page.as_bytes()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let notes: Vec<&str> = stdout.lines().filter(|l| l.contains("= note: confidence")).collect();
    let mut want: Vec<String> = findings
        .iter()
        .filter_map(|f| f.get("confidence"))
        .map(|c| {
            format!(
                "= note: confidence {}%: the share of such findings that reviewers marked",
                (c.as_f64().unwrap() * 100.0).round()
            )
        })
        .collect();
    assert!(!want.is_empty() && findings.iter().any(|f| f.get("confidence").is_none()), "{findings:?}");
    let mut got: Vec<String> = notes.iter().map(|l| l.trim_start().to_string()).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "one note per span finding, none for a missing disclosure");
}

#[test]
fn rules_json_lists_complete_rules() {
    let out = run(&["rules", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(0));
    let listing = json(&out);
    let rule = listing["rules"].as_array().unwrap().iter().find(|r| r["id"] == "test-guarantee").unwrap();
    for key in ["id", "category", "severity", "kind", "basis", "summary"] {
        assert!(rule[key].is_string(), "{key}");
    }
    assert_eq!(rule["message"]["en"], "test: guaranteed cure");
    assert!(rule["examples"]["bad"].is_array() && rule["examples"]["good"].is_array());
    // Word classes are listed with their inflected forms.
    let raise = listing["classes"].as_array().unwrap().iter().find(|c| c["name"] == "raise").unwrap();
    let words: Vec<&str> = raise["words"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(words.contains(&"高め") && words.contains(&"高まり"), "{words:?}");
}

#[test]
fn explain_prints_basis_examples_and_rewrite() {
    let out = run(&["--lang", "en", "explain", "test-guarantee"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for part in ["test-guarantee", "Why (legal basis)", "How to rewrite", "unsupported-efficacy"] {
        assert!(stdout.contains(part), "{part}: {stdout}");
    }
}

#[test]
fn corrupt_docx_exits_2_and_other_files_are_still_checked() {
    let dir = temp_dir();
    let docx = dir.path().join("draft.docx");
    std::fs::write(&docx, b"PK\x03\x04 truncated").unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = run(&["check", "--format", "json", docx.to_str().unwrap(), page.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("draft.docx: not a valid .docx"), "{stderr}");
    assert_eq!(of_rule(&json(&out), "test-guarantee").len(), 2);
}

#[test]
fn stdin_html_by_flag_or_by_name() {
    let html = "<p>この施術で<b>ぴよ</b>ぴよ体操。</p><script>ぴよぴよ体操</script>";
    for args in [&["--input-format", "html"][..], &["--stdin-filename", "page.html"][..]] {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("-");
        let out = run(&all, Some(html.as_bytes()));
        let at = html.find("ぴよ</b>").unwrap() as u64;
        let end = (html.find("体操").unwrap() + "体操".len()) as u64;
        assert_eq!(of_rule(&json(&out), "test-guarantee"), [(1, 12, at, end, "ぴよぴよ体操".to_string())], "{args:?}");
    }
}
