//! Hostile and careless input, and faults: no crash, no hang, no silent
//! miss (issue 9). Each test builds its own small input and runs the built
//! binary with the test rules only (`--select` keeps the embedded pack out
//! of the way), so spans and exit codes are exact.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SELECT: &str = "--select=test-guarantee,test-mild";

fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-rules.toml")
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iryolint"));
    cmd.env("NO_COLOR", "1").env("LANG", "C").arg("--rules").arg(test_rules());
    cmd
}

/// Runs `iryolint check --no-config --select … ARGS` in `dir`.
fn check_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(["check", "--no-config", SELECT]).args(args).stdin(Stdio::null()).output().unwrap()
}

fn check_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(["check", "--no-config", SELECT])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The binary may stop reading early (a size limit): a broken pipe here
    // is expected.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), stderr(out)))
}

/// (path, rule, start offset, end offset, line, column, text) of every finding.
fn findings(out: &Output) -> Vec<(String, String, u64, u64, u64, u64, String)> {
    json(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["start"]["offset"].as_u64().unwrap(),
                f["end"]["offset"].as_u64().unwrap(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (rule, text) of every finding.
fn rules_and_texts(out: &Output) -> Vec<(String, String)> {
    findings(out).into_iter().map(|f| (f.1, f.6)).collect()
}

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

const HIT: &str = "ぴよぴよ体操";

fn hit(text: &str) -> (String, String) {
    ("test-guarantee".to_string(), text.to_string())
}

// --- 1. Markdown front matter ---------------------------------------------

#[test]
fn front_matter_values_with_stray_quotes_map_to_their_exact_source() {
    let pages: [(&str, &str); 4] = [
        ("a.md", "---\ntitle: ぴよぴよ体操\"\n---\n本文\n"),
        ("b.md", "---\ntitle: ''ぴよぴよ体操''\n---\n本文\n"),
        ("c.md", "---\ntitle: The No.1 ぴよぴよ体操\"\n---\n"),
        ("d.md", "---\ndescription: \"ぴよぴよ体操です\" # 注\n---\n"),
    ];
    let files: Vec<(&str, &[u8])> = pages.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let dir = project(&files);
    let out = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Vec<(String, u64, u64, String)> = findings(&out).into_iter().map(|f| (f.0, f.2, f.3, f.6)).collect();
    let expected: Vec<(String, u64, u64, String)> = pages
        .iter()
        .map(|(name, text)| {
            let at = text.find(HIT).unwrap() as u64;
            (format!("./{name}"), at, at + HIT.len() as u64, HIT.to_string())
        })
        .collect();
    assert_eq!(got, expected);
}

// --- 2. Team rule files ------------------------------------------------------

/// A team rule file holding one phrase rule with this regex and anchor.
fn team_rule(regex: &str, anchor: &str) -> String {
    format!(
        "[[rule]]\nid = \"team-regex\"\nkind = \"phrase\"\ncategory = \"other\"\nseverity = \"error\"\n\
         summary = \"s\"\nmessage = {{ ja = \"j\", en = \"e\" }}\nbasis = \"b\"\nhelp = {{ ja = \"j\", en = \"e\" }}\n\
         regexes = [{{ regex = '{regex}', anchors = [\"{anchor}\"] }}]\n"
    )
}

#[test]
fn a_bad_team_regex_is_a_one_line_error_naming_its_file_never_a_panic() {
    // A regex that parses but compiles past the size limit, and one that
    // does not parse, in a file whose path starts like the embedded
    // pack's (`rules/`), with its anchor in the copy.
    for (regex, why) in [("\\w{2500}", "error building NFA"), ("体(", "error parsing")] {
        let rules = team_rule(regex, "体操");
        let dir = project(&[("rules/team.toml", rules.as_bytes()), ("a.txt", "ぴよぴよ体操です。\n".as_bytes())]);
        let out = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .current_dir(dir.path())
            .env("LANG", "C")
            .args(["--rules", "rules/team.toml", "check", "--no-config", "a.txt"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{regex}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("iryolint: rules/team.toml:1: rule `team-regex`: bad regex"), "{err}");
        assert!(err.contains(why), "{regex}: {err}");
    }
}

// --- 3. Walk errors --------------------------------------------------------

#[test]
fn a_path_longer_than_path_max_is_reported_and_the_walk_goes_on() {
    let dir = project(&[("root/z.txt", "ぴよぴよ体操。\n".as_bytes())]);
    // Deeper than PATH_MAX (4096) can name: built one relative step at a
    // time (a shell's `cd` would refuse), so with python3.
    let script = "import os\nos.mkdir('a'); os.chdir('a')\nfor _ in range(25): os.mkdir('d' * 200); os.chdir('d' * 200)\nopen('x.txt', 'w').write('x')\n";
    let Ok(made) = Command::new("python3").current_dir(dir.path().join("root")).args(["-c", script]).status() else {
        eprintln!("skipped: python3 is needed to build a path longer than PATH_MAX");
        return;
    };
    assert!(made.success());
    let out = check_in(dir.path(), &["--format", "json", "root"]);
    assert_eq!(out.status.code(), Some(2), "the long path is an error");
    assert!(stderr(&out).contains("File name too long"), "{}", stderr(&out));
    assert_eq!(rules_and_texts(&out), [hit(HIT)], "root/z.txt is still checked");
    assert_eq!(json(&out)["summary"]["files"], 1);
}

/// Runs `iryolint check …` in `dir` as an unprivileged user: directly when
/// the tests do not run as root, through setpriv when they do. None when
/// neither is possible.
fn check_unprivileged(dir: &Path, args: &[&str]) -> Option<Output> {
    let root = Command::new("id").arg("-u").output().ok().is_some_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let has_setpriv = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
        if !has_setpriv {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_iryolint")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_iryolint"))
    };
    cmd.current_dir(dir).env("NO_COLOR", "1").env("LANG", "C").arg("--rules").arg(test_rules());
    Some(cmd.args(["check", "--no-config", SELECT]).args(args).output().unwrap())
}

#[test]
fn an_unreadable_directory_is_reported_the_walk_goes_on_and_no_baseline_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("site/b/y.txt", "ぴよぴよ体操。\n".as_bytes())]);
    let locked = dir.path().join("site/a_locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("x.txt"), "ぴよぴよ体操。\n").unwrap();
    // Readable for the unprivileged user but for the locked folder.
    let open = |p: &Path| std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
    for p in [dir.path(), &dir.path().join("site"), &dir.path().join("site/b")] {
        open(p);
    }
    std::fs::set_permissions(dir.path().join("site/b/y.txt"), std::fs::Permissions::from_mode(0o644)).unwrap();
    // A good baseline of both files, written while the folder was readable.
    let Some(good) = check_unprivileged(dir.path(), &["--write-baseline", "b.json", "site"]) else {
        eprintln!("skipped: runs as root without setpriv, so no folder can be made unreadable");
        return;
    };
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    let before = std::fs::read(dir.path().join("b.json")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = check_unprivileged(dir.path(), &["--format", "json", "--write-baseline", "b.json", "site"]).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("site/a_locked: permission denied"), "{err}");
    assert!(err.contains("b.json: baseline not written: 1 input could not be checked"), "{err}");
    assert!(out.stdout.is_empty(), "writing a baseline prints no findings");
    assert_eq!(std::fs::read(dir.path().join("b.json")).unwrap(), before, "the good baseline is kept");
}

// --- 4. Atomic writes ------------------------------------------------------

/// Runs iryolint in `dir` with files limited to `max_bytes` (RLIMIT_FSIZE,
/// as a full disk would stop a write half way), or None without prlimit.
fn with_file_size_limit(dir: &Path, max_bytes: u64, args: &[&str]) -> Option<Output> {
    if !Command::new("prlimit").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return None;
    }
    // SIGXFSZ ignored (inherited through exec): the write fails with EFBIG.
    let script = format!("trap '' XFSZ; exec prlimit --fsize={max_bytes} \"$@\"");
    let out = Command::new("sh")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .args(["-c", &script, "sh", env!("CARGO_BIN_EXE_iryolint"), "--rules"])
        .arg(test_rules())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Some(out)
}

#[test]
fn a_baseline_write_that_runs_out_of_space_keeps_the_old_baseline() {
    let many = "ぴよぴよ体操です。\n".repeat(80);
    let dir = project(&[("one.txt", "ぴよぴよ体操。\n".as_bytes()), ("many.txt", many.as_bytes())]);
    let out = check_in(dir.path(), &["--write-baseline", "b.json", "one.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = std::fs::read_to_string(dir.path().join("b.json")).unwrap();
    assert!(before.len() < 1024);
    let args = ["check", "--no-config", SELECT, "--write-baseline", "b.json", "one.txt", "many.txt"];
    let Some(out) = with_file_size_limit(dir.path(), 4096, &args) else {
        eprintln!("skipped: prlimit is not installed");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("b.json:"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("b.json")).unwrap(), before, "the old baseline is intact");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 3, "no temporary file is left behind: {left:?}");
    let out = check_in(dir.path(), &["--format", "json", "--baseline", "b.json", "one.txt"]);
    assert_eq!(out.status.code(), Some(0), "the old baseline still parses: {}", stderr(&out));
}

#[test]
fn init_that_runs_out_of_space_leaves_no_file_and_can_be_retried() {
    let dir = project(&[]);
    let Some(out) = with_file_size_limit(dir.path(), 512, &["init"]) else {
        eprintln!("skipped: prlimit is not installed");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!dir.path().join("iryolint.toml").exists(), "no truncated config is left");
    let out = bin().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read_to_string(dir.path().join("iryolint.toml")).unwrap().contains("# fail-on"));
}

#[test]
fn no_baseline_is_written_when_an_input_fails() {
    let dir = project(&[("a.txt", "ぴよぴよ体操。\n".as_bytes())]);
    std::fs::write(dir.path().join("b.json"), "{\"version\":1,\"findings\":[]}\n").unwrap();
    let out = check_in(dir.path(), &["--write-baseline", "b.json", "a.txt", "missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.txt: no such file or directory"), "{}", stderr(&out));
    assert!(stderr(&out).contains("baseline not written"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("b.json")).unwrap(), "{\"version\":1,\"findings\":[]}\n");
}

// --- 6. Bounded memory: limits, special files --------------------------------

/// A .docx holding `xml` as word/document.xml, deflated.
fn docx(xml: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(xml).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_docx_that_inflates_past_the_limit_is_an_error_and_others_are_checked() {
    let body = "あいうえお。".repeat(80_000) + "ぴよぴよ体操。"; // 1.4 MB of text
    let xml = format!("<w:document><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>");
    let bomb = docx(xml.as_bytes());
    assert!(bomb.len() < 100_000);
    let dir = project(&[("bomb.docx", &bomb), ("ok.txt", "ぴよぴよ体操。\n".as_bytes())]);
    let out = check_in(dir.path(), &["--format", "json", "--max-docx-size", "1M", "bomb.docx", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "iryolint: bomb.docx: word/document.xml inflates to more than 1 MiB (the limit; raise it with --max-docx-size)"
    );
    assert_eq!(rules_and_texts(&out), [hit(HIT)]);
    // Raised, the same file is read.
    let out = check_in(dir.path(), &["--format", "json", "--max-docx-size", "2M", "bomb.docx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(rules_and_texts(&out), [hit(HIT)]);
}

#[test]
fn inputs_over_the_size_limit_are_errors_not_silent_misses() {
    let dir = project(&[("big.txt", "ぴよぴよ体操。\n".repeat(100).as_bytes())]);
    let out = check_in(dir.path(), &["--max-file-size", "1K", "big.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim(), "iryolint: big.txt: larger than 1 KiB (the limit; raise it with --max-file-size, or read plain text or Markdown in sections with --input-format sections)");
    let out = check_stdin(&["--max-file-size", "1K", "-"], "ぴよぴよ体操。\n".repeat(100).as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim(), "iryolint: -: larger than 1 KiB (the limit; raise it with --max-file-size, or read plain text or Markdown in sections with --input-format sections)");
    let dir = project(&[("iryolint.toml", b"max-file-size = \"1K\"\n"), ("big.txt", "あ".repeat(400).as_bytes())]);
    let out = bin().current_dir(dir.path()).args(["check", SELECT, "big.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the config's limit applies");
}

#[test]
fn findings_over_the_limit_are_counted_in_a_warning() {
    let dir = project(&[("a.txt", "ぴよぴよ体操。\n".repeat(5).as_bytes())]);
    let out = check_in(dir.path(), &["--format", "json", "--max-findings", "2", "a.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&out).iter().map(|f| f.4).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        stderr(&out).trim(),
        "iryolint: warning: a.txt: 3 more findings not reported (at most 2 per file; raise it with --max-findings)"
    );
}

#[test]
fn limits_apply_to_each_record_of_a_stream() {
    let page = "ぴよぴよ体操。".repeat(5);
    let big = "あ".repeat(400);
    let lines = [
        serde_json::json!({"id": "a", "content": page, "format": "text"}).to_string(),
        serde_json::json!({"id": "b", "content": big, "format": "text"}).to_string(),
    ];
    let stream = lines.join("\n") + "\n";
    let out =
        check_stdin(&["--input-format", "jsonl", "--max-findings", "2", "--max-file-size", "1K"], stream.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let records: Vec<Value> =
        String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["findings"].as_array().map(Vec::len), Some(2));
    assert_eq!(records[1]["error"], "the page is larger than 1 KiB (the limit; raise it with --max-file-size)");
    assert_eq!(
        stderr(&out),
        "iryolint: warning: a: 3 more findings not reported (at most 2 per file; raise it with --max-findings)\n\
         iryolint: -:2 (b): the page is larger than 1 KiB (the limit; raise it with --max-file-size)\n"
    );
    // Raised, every finding of the page is reported.
    let out = check_stdin(&["--input-format", "jsonl", "--max-findings", "0"], (lines[0].clone() + "\n").as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["findings"].as_array().map(Vec::len), Some(5));
}

/// Waits for `child` at most `limit`; kills it and fails when it takes longer.
fn wait_bounded(mut child: std::process::Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn fifos_and_devices_named_on_the_command_line_are_skipped_with_a_note() {
    let dir = project(&[("ok.txt", "ぴよぴよ体操。\n".as_bytes())]);
    assert!(Command::new("mkfifo").arg(dir.path().join("pipe.txt")).status().unwrap().success());
    let child = bin()
        .current_dir(dir.path())
        .args(["check", "--no-config", SELECT, "--format", "json", "pipe.txt", "/dev/zero", "ok.txt"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_bounded(child, Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "iryolint: note: pipe.txt: named pipe (FIFO) skipped (not a regular file)\n\
         iryolint: note: /dev/zero: character device skipped (not a regular file)\n"
    );
    assert_eq!(rules_and_texts(&out), [hit(HIT)]);
}

#[test]
fn config_rule_and_baseline_files_that_are_devices_or_fifos_are_errors() {
    let dir = project(&[("ok.txt", "ぴよぴよ体操。\n".as_bytes())]);
    assert!(Command::new("mkfifo").arg(dir.path().join("rules.toml")).status().unwrap().success());
    for args in [
        vec!["--config", "/dev/zero", "check", "ok.txt"],
        vec!["--rules", "rules.toml", "check", "--no-config", "ok.txt"],
        vec!["check", "--no-config", "--baseline", "/dev/zero", "ok.txt"],
    ] {
        let child = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .current_dir(dir.path())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_bounded(child, Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("cannot be read (not a regular file)"), "{args:?}: {}", stderr(&out));
    }
}

// --- 7. Silent misses ---------------------------------------------------------

#[test]
fn furigana_left_open_does_not_hide_the_rest_of_the_page() {
    for page in [
        "<p><ruby>漢<rt>かん</ruby></p><p>ぴよぴよ体操です。</p>",
        "<p><ruby>漢<rt/>かん</ruby></p><p>ぴよぴよ体操です。</p>",
        "<p>注<rt>ちゅう</p><p>ぴよぴよ体操です。</p>",
    ] {
        let out = check_stdin(&["--format", "json", "--stdin-filename", "page.html", "-"], page.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{page}");
        let at = page.find(HIT).unwrap() as u64;
        assert_eq!(findings(&out).into_iter().map(|f| (f.2, f.6)).collect::<Vec<_>>(), [(at, HIT.to_string())]);
    }
}

#[test]
fn utf32_bomless_utf16_and_contradicting_declarations_are_read() {
    let text = "当院のぴよぴよ体操です。\n";
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(text.chars().flat_map(|c| (c as u32).to_le_bytes()));
    let declared = format!("<?xml version=\"1.0\" encoding=\"utf-16\"?><p>{text}</p>");
    let dir = project(&[("a.txt", &utf16le), ("b.txt", &utf32), ("c.html", declared.as_bytes())]);
    let out = check_in(dir.path(), &["--format", "json", "a.txt", "b.txt", "c.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Vec<(String, u64, u64, String)> = findings(&out).into_iter().map(|f| (f.0, f.4, f.5, f.6)).collect();
    let column = |page: &str| 1 + page[..page.find(HIT).unwrap()].chars().count() as u64;
    let at = |p: &str, page: &str| (p.to_string(), 1, column(page), HIT.to_string());
    assert_eq!(got, [at("a.txt", text), at("b.txt", text), at("c.html", &declared)]);
    assert_eq!(
        stderr(&out),
        "iryolint: warning: c.html: declares UTF-16LE, but its bytes are not UTF-16LE; read as UTF-8\n"
    );
}

#[test]
fn bytes_that_are_mostly_invalid_are_an_error_not_0_findings() {
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("当院のぴよぴよ体操です。副作用はありません。\n");
    let out = check_stdin(&["--encoding", "utf-8", "-"], &sjis);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("iryolint: -: cannot be read as UTF-8:"), "{}", stderr(&out));
}

#[test]
fn comment_lookalikes_in_scripts_attributes_and_code_suppress_nothing() {
    let cases: [(&str, &str); 4] = [
        ("a.html", "<script>var s=\"<!-- iryolint-disable-file -->\";</script><p>ぴよぴよ体操です。</p>"),
        ("b.html", "<img alt=\"<!-- iryolint-disable-file -->\"><p>ぴよぴよ体操です。</p>"),
        ("c.md", "```\n<!-- iryolint-disable-file -->\n```\n\nぴよぴよ体操です。\n"),
        ("d.md", "`<!-- iryolint-disable-file -->` ぴよぴよ体操です。\n"),
    ];
    let files: Vec<(&str, &[u8])> = cases.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let dir = project(&files);
    let out = check_in(dir.path(), &["--format", "json", "."]);
    let paths: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["./a.html", "./b.html", "./c.md", "./d.md"]);
    // A real comment in each format still suppresses.
    let dir = project(&[
        ("a.html", "<!-- iryolint-disable-file --><p>ぴよぴよ体操です。</p>".as_bytes()),
        ("b.md", "<!--\niryolint-disable-file\n-->\n\nぴよぴよ体操です。\n".as_bytes()),
    ]);
    let out = check_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(findings(&out), []);
}

// --- 8. False alarms ----------------------------------------------------------

#[test]
fn multi_line_comments_and_scripts_in_markdown_are_not_read() {
    let page = "はじめに\n\n<!--\nぴよぴよ体操です。\n-->\n\n<script>\nvar s = \"ぴよぴよ体操\";\n</script>\n\n<style>\n/* ぴよぴよ体操 */\n</style>\n\n終わり\n";
    let out = check_stdin(&["--format", "json", "--stdin-filename", "page.md", "-"], page.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

// --- 9. Output ---------------------------------------------------------------

#[test]
fn junit_is_well_formed_for_any_file_name() {
    let dir = project(&[("names/\u{FFFF}\u{FFFE}&<\u{1b}.txt", "ぴよぴよ体操。\n".as_bytes())]);
    let out = check_in(dir.path(), &["--format", "junit", "names"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let case = doc.descendants().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("name"), Some("names/\u{FFFD}\u{FFFD}&<\u{FFFD}.txt"));
}

#[test]
fn escape_sequences_in_file_names_never_reach_the_terminal() {
    let name = "a\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m.txt";
    let dir = project(&[(name, "ぴよぴよ体操。\n".as_bytes()), ("b\u{1b}[31m.txt", b"\x00\x01binary")]);
    let out = check_in(dir.path(), &[name, "b\u{1b}[31m.txt", "c\u{1b}[1m.txt"]);
    assert_eq!(out.status.code(), Some(2));
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{stream}: {text:?}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" --> a\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\\u{9b}31m.txt:1:1"), "{stdout}");
    let err = stderr(&out);
    assert!(err.contains("note: b\\u{1b}[31m.txt: binary file skipped"), "{err}");
    assert!(err.contains("c\\u{1b}[1m.txt: no such file or directory"), "{err}");
}

#[test]
fn control_characters_in_the_copy_are_not_sent_raw_either() {
    let page = "ぴよぴよ体操\u{9b}2J\u{1b}[31m。\n";
    let out = check_stdin(&["-"], page.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(['\u{1b}', '\u{9b}']), "{stdout:?}");
    assert!(stdout.contains(" --> -:1:1"), "{stdout}");
}

/// A team rule's texts reach the terminal too: a control character written
/// into them (TOML's `\e`, found by the `rules` fuzzer) is escaped like one in
/// the copy, in the human and the concise output.
#[test]
fn control_characters_in_a_team_rules_texts_are_not_sent_raw() {
    let rules = r#"[[rule]]
id = "team-escape"
kind = "phrase"
category = "other"
severity = "error"
summary = "test"
message = { ja = "テスト", en = "red\e[31m line\nbreak" }
basis = "basis\e[2J"
help = { ja = "テスト", en = "help\u009b31m" }
literals = ["ぴよぴよ体操"]
"#;
    let dir = project(&[("team.toml", rules.as_bytes()), ("page.txt", "ぴよぴよ体操。\n".as_bytes())]);
    for format in ["human", "concise"] {
        let out = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .env("NO_COLOR", "1")
            .env("LANG", "C")
            .current_dir(dir.path())
            .args(["check", "--no-config", "--lang", "en", "--rules", "team.toml", "--select", "team-escape"])
            .args(["--format", format, "page.txt"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains(['\u{1b}', '\u{9b}']), "{format}: {stdout:?}");
        assert!(stdout.contains("red\\u{1b}[31m line"), "{format}: {stdout}");
        if format == "concise" {
            assert_eq!(stdout.lines().count(), 2, "one line per finding and the summary: {stdout}");
        }
    }
}

#[test]
fn a_closed_standard_error_is_not_a_crash() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = bin()
        .args(["check", "--no-config", SELECT, "missing.txt"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(out.code(), Some(2), "exit 2 for the missing file, not a panic (101)");
}

#[test]
fn notes_come_in_input_order_on_every_run() {
    let bin_files: Vec<(String, Vec<u8>)> = (0..12).map(|i| (format!("f{i:02}.txt"), vec![0u8, 1, 2, i])).collect();
    let files: Vec<(&str, &[u8])> = bin_files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let dir = project(&files);
    let expected: String = (0..12).map(|i| format!("iryolint: note: ./f{i:02}.txt: binary file skipped\n")).collect();
    for _ in 0..5 {
        let out = check_in(dir.path(), &["."]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stderr(&out), expected);
    }
}

#[test]
fn an_encrypted_docx_is_reported_as_encrypted() {
    let mut bytes = docx(b"<w:document/>");
    for (signature, flags_at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
        let at = bytes.windows(4).position(|w| w == signature).unwrap();
        bytes[at + flags_at] |= 1; // the "encrypted" flag, as ZipCrypto sets it
    }
    let dir = project(&[("secret.docx", &bytes)]);
    let out = check_in(dir.path(), &["secret.docx"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "iryolint: secret.docx: an encrypted .docx (password protected); save it without a password"
    );
}

#[test]
fn cr_only_line_endings_count_lines() {
    let page = "一行目\r二行目のぴよぴよ体操。\r三行目\r\nぴよぴよ体操\r";
    let out = check_stdin(&["--format", "json", "-"], page.as_bytes());
    let got: Vec<(u64, u64)> = findings(&out).into_iter().map(|f| (f.4, f.5)).collect();
    assert_eq!(got, [(2, 5), (4, 1)]);
}

#[test]
fn a_long_line_prints_a_window_with_the_true_column() {
    let page = format!("{}ぴよぴよ体操{}\n", "あ".repeat(5000), "い".repeat(5000));
    let out = check_stdin(&["-"], page.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" --> -:1:5001\n"), "{stdout}");
    assert!(stdout.contains("あぴよぴよ体操い"), "{stdout}");
    assert!(stdout.len() < 2000, "a window, not the whole line: {} bytes", stdout.len());
}

#[test]
fn the_sentence_bound_is_a_flag_and_a_config_key() {
    // With the embedded pack: a target and its effect five characters
    // apart in one sentence pair up, unless the sentence is cut between them.
    let dir = project(&[("a.txt", "当院の施術で、むくみを抑えます。\n".as_bytes())]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .env("NO_COLOR", "1")
            .env("LANG", "C")
            .current_dir(dir.path())
            .args(["check", "--format", "json"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let rules = |out: &Output| -> Vec<String> {
        json(out)["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    };
    let out = run(&["--no-config", "a.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(rules(&out).contains(&"problem-relieved".to_string()), "{:?}", rules(&out));

    let out = run(&["--no-config", "--max-sentence-chars", "5", "a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!rules(&out).contains(&"problem-relieved".to_string()), "{:?}", rules(&out));

    let out = run(&["--no-config", "--max-sentence-chars", "0", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim(), "iryolint: --max-sentence-chars: at least 1 (got 0)");

    std::fs::write(dir.path().join("iryolint.toml"), "max-sentence-chars = 5\n").unwrap();
    let out = run(&["a.txt"]);
    assert_eq!(out.status.code(), Some(0), "the config's bound applies: {}", stderr(&out));
}
