//! Record streams end to end: `check --input-format jsonl|warc|sections` against the
//! built binary. Every page of a stream must get exactly the findings the
//! same page gets as a file; bad records are reported in place and the
//! stream goes on.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iryolint"));
    cmd.env("NO_COLOR", "1").env("LANG", "C").arg("--no-config");
    cmd.arg("--rules").arg(root().join("tests/data/test-rules.toml")).args(args);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.unwrap_or_default().to_vec();
    // Written from a thread: the child's output may fill its pipe first.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON lines of standard output.
fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The findings of a page checked as a file named `name`, each with its
/// `path` replaced by `id`.
fn file_findings(dir: &Path, name: &str, bytes: &[u8], id: &str) -> Value {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = run(&["check", "--format", "json", path.to_str().unwrap()], None);
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut findings = report["findings"].clone();
    for f in findings.as_array_mut().unwrap() {
        f["path"] = json!(id);
    }
    findings
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/formats").join(name)).unwrap()
}

const PAGE: &str = "当院のご案内\n\nこの施術でぴよぴよ体操。\n効き目はふがふが体操と評判です。\n";

fn record(id: &str, content: &str, extra: Value) -> String {
    let mut r = json!({"id": id, "content": content});
    for (k, v) in extra.as_object().unwrap() {
        r[k] = v.clone();
    }
    r.to_string() + "\n"
}

#[test]
fn jsonl_pages_get_the_findings_of_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let html = fixture("stem-cell-page.html");
    let md = fixture("stem-cell-page.md");
    let txt = fixture("stem-cell-page.txt");
    let input = [
        record("h", &html, json!({})),
        record("m", &md, json!({"format": "markdown"})),
        json!({"url": "https://clinic.example/t", "content": txt, "content_type": "text/plain; charset=utf-8"})
            .to_string(),
        "\n".to_string(),
        record("p", PAGE, json!({"format": "text"})),
    ]
    .concat();
    let out = run(&["check", "--input-format", "jsonl"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = lines(&out);
    let ids: Vec<&str> = got.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["h", "m", "https://clinic.example/t", "p"]);
    assert_eq!(got[0]["findings"], file_findings(dir.path(), "a.html", html.as_bytes(), "h"));
    assert_eq!(got[1]["findings"], file_findings(dir.path(), "a.md", md.as_bytes(), "m"));
    assert_eq!(got[2]["findings"], file_findings(dir.path(), "a.txt", txt.as_bytes(), "https://clinic.example/t"));
    assert!(got[0]["findings"].as_array().unwrap().len() >= 5, "the HTML fixture has findings: {}", got[0]);
    // Exact spans, pinned by the test rules.
    let at = PAGE.find("ぴよぴよ体操").unwrap();
    let piyo = &got[3]["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "test-guarantee").unwrap();
    assert_eq!(piyo["start"], json!({"line": 3, "column": 6, "offset": at}));
    assert_eq!(piyo["end"], json!({"line": 3, "column": 12, "offset": at + "ぴよぴよ体操".len()}));
    assert_eq!(piyo["path"], "p");
    assert_eq!(piyo["category"], "unsupported-efficacy");
}

#[test]
fn order_is_input_order_on_any_number_of_threads() {
    // Pages of very different sizes, so that workers finish out of order.
    let input: String = (0..400)
        .map(|i| {
            let body = if i % 7 == 0 {
                PAGE.repeat(200)
            } else {
                format!("{i}番目の記事です。ぴよぴよ体操。\n")
            };
            record(&format!("r{i}"), &body, json!({"format": "text"}))
        })
        .collect();
    let one = run(&["check", "--input-format", "jsonl", "--threads", "1"], Some(input.as_bytes()));
    let four = run(&["check", "--input-format", "jsonl", "--threads", "4"], Some(input.as_bytes()));
    assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
    let ids: Vec<String> = lines(&four).iter().map(|l| l["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, (0..400).map(|i| format!("r{i}")).collect::<Vec<_>>());
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(lines(&one)[7]["findings"].as_array().unwrap().len(), 400, "200 copies × 2 phrases");
}

#[test]
fn bad_records_are_reported_in_place_and_the_stream_goes_on() {
    let input = [
        record("ok1", PAGE, json!({"format": "text"})),
        "{\"id\": \"broken\", \"content\": \n".to_string(),
        "{\"id\": \"nocontent\"}\n".to_string(),
        record("pdf", PAGE, json!({"content_type": "application/pdf"})),
        record("ok2", PAGE, json!({"format": "text"})),
    ]
    .concat();
    let out = run(&["check", "--input-format", "jsonl"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got.len(), 5);
    assert_eq!(got[0]["id"], "ok1");
    assert_eq!(got[0]["findings"].as_array().unwrap().len(), 2);
    assert_eq!(
        got[1],
        json!({"id": null, "source": "-:2", "error": "invalid JSON at column 27: EOF while parsing a value"})
    );
    assert_eq!(got[2], json!({"id": "nocontent", "source": "-:3", "error": "the record has no `content`"}));
    assert_eq!(got[3]["error"], "`content_type` `application/pdf` is not HTML, Markdown or plain text");
    assert!(got[1].get("findings").is_none(), "a failed record never looks clean");
    assert_eq!(got[4]["id"], "ok2");
    assert_eq!(got[4]["findings"].as_array().unwrap().len(), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(err.contains("iryolint: -:3 (nocontent): the record has no `content`"), "{err}");
}

#[test]
fn a_record_id_with_line_breaks_stays_on_one_line_of_standard_error() {
    // Found by fuzzing: a crawl's URL field may hold a line break.
    let input = "{\"url\": \"https://c.example/a\\n</html>\\r\\n\"}\n";
    let out = run(&["check", "--input-format", "jsonl"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "iryolint: -:1 (https://c.example/a\\n</html>\\r\\n): the record has no `content`\n");
    assert_eq!(lines(&out)[0]["id"], "https://c.example/a\n</html>\r\n", "the JSON line keeps the id as it is");
}

#[test]
fn a_record_over_the_size_limit_is_skipped_not_held() {
    let huge = "あ".repeat(6 << 20); // 18 MiB of UTF-8
    let input = [record("huge", &huge, json!({})), record("after", PAGE, json!({"format": "text"}))].concat();
    let out = run(&["check", "--input-format", "jsonl"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got[0]["id"], Value::Null);
    assert_eq!(got[0]["error"], "the line is 18.0 MiB, over the 16 MiB limit for one record");
    assert_eq!(got[1]["id"], "after");
    assert_eq!(got[1]["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn files_stdin_gzip_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    std::fs::write(&a, record("a1", PAGE, json!({"format": "text"}))).unwrap();
    // Two gzip members, as concatenated .gz files are.
    let b = dir.path().join("b.jsonl.gz");
    let members = [
        gzip(record("b1", "平凡な文章です。", json!({})).as_bytes()),
        gzip(record("b2", PAGE, json!({"format": "text"})).as_bytes()),
    ]
    .concat();
    std::fs::write(&b, members).unwrap();
    let stdin = record("s1", "テスト用情報語", json!({"format": "text"}));
    let out = run(
        &["check", "--input-format", "jsonl", a.to_str().unwrap(), "-", b.to_str().unwrap()],
        Some(stdin.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids: Vec<String> = lines(&out).iter().map(|l| l["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["a1", "s1", "b1", "b2"]);
    // Clean pages exit 0; info findings stay under the default threshold.
    let out = run(&["check", "--input-format", "jsonl", "-"], Some(stdin.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out)[0]["findings"][0]["rule"], "test-mild");
    // A missing file is an error; the other inputs are still read.
    let missing = dir.path().join("missing.jsonl");
    let out = run(&["check", "--input-format", "jsonl", missing.to_str().unwrap(), a.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.jsonl: no such file or directory"), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 1);
    // Streams are written as JSON Lines only.
    let out = run(&["check", "--input-format", "jsonl", "--format", "sarif", a.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim(), "iryolint: record streams are written as --format jsonl, not sarif");
}

#[test]
fn jsonl_output_for_plain_files() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let out = run(&["check", "--format", "jsonl", page.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], page.to_str().unwrap());
    assert_eq!(got[0]["findings"], file_findings(dir.path(), "page.txt", PAGE.as_bytes(), page.to_str().unwrap()));
}

// --- WARC ---------------------------------------------------------------

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn warc(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let head = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-11-01T00:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    );
    [head.as_bytes(), block, b"\r\n\r\n"].concat()
}

fn response(uri: &str, status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut http = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        http.push_str(h);
        http.push_str("\r\n");
    }
    http.push_str("\r\n");
    warc("response", uri, "application/http; msgtype=response", &[http.as_bytes(), body].concat())
}

fn request(uri: &str) -> Vec<u8> {
    warc("request", uri, "application/http; msgtype=request", b"GET / HTTP/1.1\r\nHost: clinic.example\r\n\r\n")
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in body.chunks(100) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// A crawl of the HTML fixture served in several ways, with the records a
/// crawl also holds around pages.
fn crawl() -> (Vec<Vec<u8>>, String, Vec<u8>) {
    let html = fixture("stem-cell-page.html");
    // Shift_JIS with the charset only in the HTTP header: the page's own
    // meta says utf-8 and must lose.
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&html);
    // EUC-JP declared only by the page.
    let euc_page = html.replace("charset=\"utf-8\"", "charset=\"euc-jp\"");
    let euc = encoding_rs::EUC_JP.encode(&euc_page).0.into_owned();
    let records = vec![
        warc("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
        request("https://clinic.example/utf8"),
        response("https://clinic.example/utf8", "200 OK", &["Content-Type: text/html; charset=utf-8"], html.as_bytes()),
        response("https://clinic.example/sjis", "200 OK", &["Content-Type: text/html; charset=Shift_JIS"], &sjis),
        response("https://clinic.example/euc", "200 OK", &["Content-Type: text/html"], &euc),
        response("https://clinic.example/logo.png", "200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n\0\0"),
        response("https://clinic.example/gone", "404 Not Found", &["Content-Type: text/html"], html.as_bytes()),
        response(
            "https://clinic.example/gz",
            "200 OK",
            &["Content-Type: text/html; charset=UTF-8", "Transfer-Encoding: chunked", "Content-Encoding: gzip"],
            &chunked(&gzip(html.as_bytes())),
        ),
        warc("resource", "file:///saved.html", "text/html; charset=utf-8", html.as_bytes()),
        warc("metadata", "https://clinic.example/utf8", "application/warc-fields", b"outlink: x\r\n"),
    ];
    (records, html, euc)
}

const PAGE_IDS: [&str; 5] = [
    "https://clinic.example/utf8",
    "https://clinic.example/sjis",
    "https://clinic.example/euc",
    "https://clinic.example/gz",
    "file:///saved.html",
];

fn check_crawl(out: &Output, html: &str, euc: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let got = lines(out);
    let ids: Vec<&str> = got.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, PAGE_IDS);
    for line in &got {
        let id = line["id"].as_str().unwrap();
        let source = if id.ends_with("euc") { euc } else { html.as_bytes() };
        assert_eq!(line["findings"], file_findings(dir.path(), "page.html", source, id), "{id}");
    }
    assert!(
        stderr(out).contains("5 HTML pages read; 5 other records (requests, metadata, redirects, non-HTML) skipped"),
        "{}",
        stderr(out)
    );
}

#[test]
fn warc_html_responses_are_the_pages_whatever_their_encoding() {
    let (records, html, euc) = crawl();
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("crawl.warc");
    std::fs::write(&plain, records.concat()).unwrap();
    check_crawl(&run(&["check", "--input-format", "warc", plain.to_str().unwrap()], None), &html, &euc);
    // .warc.gz: one gzip member per record, read from standard input.
    let gz: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    check_crawl(&run(&["check", "--input-format", "warc", "-"], Some(&gz)), &html, &euc);
    // The Shift_JIS page is found at the same positions as the UTF-8 one.
    let out = run(&["check", "--input-format", "warc", plain.to_str().unwrap()], None);
    let got = lines(&out);
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_array_mut().unwrap().iter_mut().for_each(|f| f["path"] = Value::Null);
        v
    };
    assert_eq!(strip(&got[0]["findings"]), strip(&got[1]["findings"]));
}

#[test]
fn broken_warc_records_are_reported_and_the_stream_goes_on() {
    let html = "<p>この施術でぴよぴよ体操。</p>";
    let good =
        |n: u32| response(&format!("https://c.example/{n}"), "200 OK", &["Content-Type: text/html"], html.as_bytes());
    let mut bad_length = good(2);
    let at = bad_length.windows(15).position(|w| w == b"Content-Length:").unwrap();
    bad_length[at..at + 15].copy_from_slice(b"Content-Lungth:");
    let mut truncated = good(5);
    truncated.truncate(truncated.len() - 12);
    let input = [
        good(1),
        bad_length,
        good(3),
        b"garbage that is not WARC\r\nmore garbage\r\n\r\n".to_vec(),
        response("https://c.example/4", "200 OK", &["Content-Type: text/html", "Content-Encoding: br"], b"\x0b\x02"),
        truncated,
    ]
    .concat();
    let out = run(&["check", "--input-format", "warc"], Some(&input));
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    let summary: Vec<(Value, Option<&str>)> =
        got.iter().map(|l| (l["id"].clone(), l["error"].as_str().or(l.get("findings").map(|_| "ok")))).collect();
    assert_eq!(
        summary,
        [
            (json!("https://c.example/1"), Some("ok")),
            (json!("https://c.example/2"), Some("the WARC header has no valid Content-Length")),
            (json!("https://c.example/3"), Some("ok")),
            (Value::Null, Some("2 lines that are not a WARC record skipped")),
            (json!("https://c.example/4"), Some("unsupported Content-Encoding `br`")),
            (json!("https://c.example/5"), Some("the input ends 8 bytes before the end of this record")),
        ]
    );
    assert_eq!(got[0]["findings"][0]["text"], "ぴよぴよ体操");
    assert_eq!(got[1]["source"], "-#2");
    assert_eq!(got[2]["findings"][0]["start"], json!({"line": 1, "column": 9, "offset": 18}));
}

#[test]
fn a_directory_is_not_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["check", "--input-format", "warc", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a directory (name the record files)"), "{}", stderr(&out));
}

/// A Markdown file of `copies` copies of the stem-cell page, each under
/// its own heading.
fn large_markdown(copies: usize) -> String {
    let page = fixture("stem-cell-page.md");
    (0..copies).map(|i| format!("# ページ{i}\n\n{page}\n\n")).collect()
}

#[test]
fn sections_of_a_large_file_get_the_findings_of_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = large_markdown(600 * 1024 / fixture("stem-cell-page.md").len() + 1);
    let path = dir.path().join("large.md");
    std::fs::write(&path, &text).unwrap();
    let path = path.to_str().unwrap();
    let whole = run(&["check", "--format", "json", "--max-findings", "0", path], None);
    let sections = run(&["check", "--input-format", "sections", "--max-findings", "0", path], None);
    assert_eq!(sections.status.code(), whole.status.code(), "{}", stderr(&sections));
    assert_eq!(sections.status.code(), Some(1));
    let got = lines(&sections);
    assert!(got.len() >= 3, "600 KiB is cut into sections of about 256 KiB: {} lines", got.len());
    assert!(got.iter().all(|l| l["id"] == path), "each line names the file");
    let report: Value = serde_json::from_slice(&whole.stdout).unwrap();
    // Spans, rules and places in the file are the same; only the
    // page-level disclosure findings are per section.
    let claims = |findings: Vec<Value>| -> Vec<Value> {
        findings.into_iter().filter(|f| !f["category"].as_str().unwrap().starts_with("missing-")).collect()
    };
    let from_sections = claims(got.iter().flat_map(|l| l["findings"].as_array().unwrap().clone()).collect());
    let from_whole = claims(report["findings"].as_array().unwrap().clone());
    assert!(from_whole.len() > 100, "{}", from_whole.len());
    assert_eq!(from_sections, from_whole);
    // The last finding points into the last copy: absolute line and offset.
    let last = from_sections.last().unwrap();
    let offset = last["start"]["offset"].as_u64().unwrap() as usize;
    assert!(text[offset..].starts_with(last["text"].as_str().unwrap()), "{last}");
    assert_eq!(last["start"]["line"].as_u64().unwrap() as usize, text[..offset].matches('\n').count() + 1);
}

#[test]
fn sections_are_refused_for_html_and_wide_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(&html, fixture("stem-cell-page.html")).unwrap();
    let out = run(&["check", "--input-format", "sections", html.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sections are for plain text and Markdown"), "{}", stderr(&out));
    let wide = dir.path().join("wide.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(PAGE.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&wide, bytes).unwrap();
    let out = run(&["check", "--input-format", "sections", wide.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is UTF-16LE: sections need an encoding"), "{}", stderr(&out));
}

#[test]
fn the_sentence_limit_applies_to_records_as_to_files() {
    // Sentences cut at 4 characters leave claims running past their
    // sentence's end: they must neither crash the check nor be read whole.
    let dir = tempfile::tempdir().unwrap();
    let txt = fixture("stem-cell-page.txt");
    let path = dir.path().join("a.txt");
    std::fs::write(&path, &txt).unwrap();
    let file = |limit: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(limit);
        args.push(path.to_str().unwrap());
        let out = run(&args, None);
        assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"].as_array().unwrap().len()
    };
    let input = record("p", &txt, json!({"format": "text"}));
    let out = run(&["check", "--input-format", "jsonl", "--max-sentence-chars", "4"], Some(input.as_bytes()));
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    assert!(!stderr(&out).contains("internal error"), "{}", stderr(&out));
    let limited = file(&["--max-sentence-chars", "4"]);
    assert_eq!(lines(&out)[0]["findings"].as_array().unwrap().len(), limited);
    assert_ne!(limited, file(&[]), "the limit changes what is found on this page");
}
