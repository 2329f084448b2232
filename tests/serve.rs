//! `iryolint serve` over real HTTP: the API returns the command line's
//! JSON byte for byte (config, team rules and products included), and the
//! Host, Origin and size checks refuse what they must.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `iryolint serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(dir)
            .env("LANG", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, port }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Sends one request; returns status, headers (lower-cased names) and body.
    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before reading all of a large body.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&raw)
    }

    fn post(&self, target: &str, body: &[u8]) -> Reply {
        self.request("POST", target, &[], body)
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[], b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let body = raw[split + 4..].to_vec();
        assert!(
            !headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
            "responses have a Content-Length"
        );
        Reply { status, headers, body }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn cli(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out =
        Command::new(env!("CARGO_BIN_EXE_iryolint")).args(args).current_dir(dir).env("LANG", "C").output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

const PAGE: &str = "当院のヒカリ点滴は、長年のひざの痛みも必ず治ります。\n副作用は一切ありません。\n\
                    県内No.1の実績です。今だけ初回半額！\nぴよぴよ体操もおすすめです。\n";

/// A project folder with a config that changes what is found: a team rule
/// file, an extra product, a severity override and a language.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("lint")).unwrap();
    std::fs::copy(root.join("tests/data/test-rules.toml"), dir.path().join("lint/team.toml")).unwrap();
    std::fs::write(
        dir.path().join("iryolint.toml"),
        "extend-rules = [\"lint/team.toml\"]\nlang = \"en\"\n\n[severity]\ninducement = \"error\"\n\n\
         [[products]]\nid = \"hikari-drip\"\nname = \"ヒカリ点滴\"\nstatus = \"unapproved\"\naliases = [\"ヒカリ点滴\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("page.txt"), PAGE).unwrap();
    let html = format!("<!doctype html><title>ご案内</title><p>{}</p>", PAGE.replace('\n', "</p>\n<p>"));
    std::fs::write(dir.path().join("page.html"), html).unwrap();
    std::fs::write(dir.path().join("page.md"), format!("# ご案内\n\n{}", PAGE.replace('\n', "\n\n"))).unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(PAGE);
    std::fs::write(dir.path().join("sjis.txt"), &sjis).unwrap();
    std::fs::copy(root.join("fixtures/formats/stem-cell-page.docx"), dir.path().join("draft.docx")).unwrap();
    dir
}

#[test]
fn api_check_is_the_cli_json_byte_for_byte() {
    let dir = project();
    let server = Server::start(dir.path(), &[]);
    for name in ["page.txt", "page.html", "page.md", "sjis.txt", "draft.docx"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        for lang in [None, Some("ja"), Some("en")] {
            let mut args = vec!["check", "--format", "json"];
            let mut query = format!("/api/check?name={name}");
            if let Some(lang) = lang {
                args.extend(["--lang", lang]);
                query.push_str(&format!("&lang={lang}"));
            }
            args.push(name);
            let expected = cli(dir.path(), &args);
            let reply = server.post(&query, &bytes);
            assert_eq!(reply.status, 200, "{name}: {}", reply.text());
            assert_eq!(reply.header("content-type"), Some("application/json; charset=utf-8"));
            assert_eq!(reply.text(), String::from_utf8(expected).unwrap(), "{name} lang {lang:?}");
        }
    }
    // The config is in effect: team rule, product, severity, language.
    let reply = server.post("/api/check?name=page.txt", PAGE.as_bytes());
    let report: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let rule = |id: &str| findings.iter().find(|f| f["rule"] == id).unwrap_or_else(|| panic!("no {id}: {findings:?}"));
    assert_eq!(rule("test-guarantee")["text"], "ぴよぴよ体操");
    assert_eq!(rule("unapproved-disclosure")["text"], "ヒカリ点滴");
    assert_eq!(rule("time-limited-offer")["severity"], "error");
    assert_eq!(rule("test-guarantee")["message"], "test: guaranteed cure");
}

#[test]
fn format_encoding_and_stdin_name_match_the_cli_flags() {
    let dir = project();
    let server = Server::start(dir.path(), &["--lang", "ja"]);
    let html = std::fs::read(dir.path().join("page.html")).unwrap();
    // Without a name: what `check -` prints for standard input.
    let cases: [(&str, &[&str], &[u8]); 3] = [
        ("/api/check", &["check", "--format", "json", "--lang", "ja", "-"], PAGE.as_bytes()),
        (
            "/api/check?format=html&encoding=utf-8",
            &["check", "--format", "json", "--lang", "ja", "--input-format", "html", "--encoding", "utf-8", "-"],
            &html,
        ),
        (
            "/api/check?name=%E5%8E%9F%E7%A8%BF.md",
            &["check", "--format", "json", "--lang", "ja", "--stdin-filename", "原稿.md", "-"],
            b"# \xE5\xBD\x93\xE9\x99\xA2\n\n\xE5\xBF\x85\xE3\x81\x9A\xE6\xB2\xBB\xE3\x82\x8A\xE3\x81\xBE\xE3\x81\x99\xE3\x80\x82\n",
        ),
    ];
    for (target, args, body) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_iryolint"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                child.stdin.take().unwrap().write_all(body)?;
                child.wait_with_output()
            })
            .unwrap();
        let reply = server.post(target, body);
        assert_eq!(reply.status, 200, "{target}: {}", reply.text());
        assert_eq!(reply.text(), String::from_utf8(out.stdout).unwrap(), "{target}");
    }
}

#[test]
fn a_docx_opens_as_its_text_view_and_checks_as_the_docx() {
    let dir = project();
    let server = Server::start(dir.path(), &[]);
    let docx = std::fs::read(dir.path().join("draft.docx")).unwrap();
    let opened = server.post("/api/open?name=draft.docx", &docx);
    assert_eq!(opened.status, 200, "{}", opened.text());
    let opened: serde_json::Value = serde_json::from_slice(&opened.body).unwrap();
    assert_eq!(opened["format"], "docx-text");
    let text = opened["text"].as_str().unwrap();
    assert_eq!(text, iryolint::extract::docx::plain_text(&docx, iryolint::limits::DEFAULT_MAX_DOCX_XML_BYTES).unwrap());
    let reply = server.post("/api/check?name=draft.docx&format=docx-text", text.as_bytes());
    let expected = cli(dir.path(), &["check", "--format", "json", "draft.docx"]);
    assert_eq!(reply.text(), String::from_utf8(expected).unwrap());

    // Other files open decoded as the CLI decodes them.
    let sjis = std::fs::read(dir.path().join("sjis.txt")).unwrap();
    let opened: serde_json::Value =
        serde_json::from_slice(&server.post("/api/open?name=sjis.txt", &sjis).body).unwrap();
    assert_eq!((opened["text"].as_str(), opened["encoding"].as_str()), (Some(PAGE), Some("Shift_JIS")));
    assert_eq!(opened["format"], "text");
    let html = server.post("/api/open?name=a.HTML", b"<p>x</p>");
    assert!(html.text().contains("\"format\":\"html\""), "{}", html.text());
}

#[test]
fn rules_api_is_the_cli_listing_and_the_checklist_header_tells_what_applies() {
    let dir = project();
    let server = Server::start(dir.path(), &[]);
    assert_eq!(server.get("/api/rules").body, cli(dir.path(), &["rules", "--format", "json"]));

    let complete =
        "本治療は保険適用外の自由診療です。治療内容：ご本人の血液を採取し、遠心分離したPRPを膝関節へ注射します。\
                    費用：1回55,000円（税込）。治療期間・回数：4週間おきに3回が目安です。\
                    主なリスク・副作用：注射部位の痛み、腫れ、内出血が数日続くことがあります。";
    let cases = [
        // The config's product triggers the unapproved rule only.
        (PAGE, "unapproved-disclosure"),
        ("エクソソーム点滴で肌のハリを取り戻しましょう。", "free-care-disclosure,unapproved-disclosure"),
        (complete, "free-care-disclosure"),
        ("当院は保険診療の内科です。風邪と高血圧の診療を行っています。", ""),
    ];
    for (text, triggered) in cases {
        let reply = server.post("/api/check?name=a.txt", text.as_bytes());
        assert_eq!(reply.header("iryolint-triggered"), Some(triggered), "{text}");
    }
    let reply = server.post("/api/check?name=a.txt", complete.as_bytes());
    let report: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "complete: the rule applies and nothing is missing");
}

#[test]
fn host_origin_and_size_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-config"]);
    let host = server.host();
    let own_origin = format!("http://{host}");
    let post =
        |headers: &[(&str, &str)]| server.request("POST", "/api/check?name=a.txt", headers, "必ず治ります".as_bytes());

    assert_eq!(post(&[("Origin", &own_origin)]).status, 200, "the page itself");
    assert_eq!(post(&[]).status, 200, "a client without Origin (curl)");
    let localhost = format!("localhost:{}", server.port);
    assert_eq!(post(&[("Host", &localhost), ("Origin", &format!("http://{localhost}"))]).status, 200);

    let rebinding = format!("rebind.example:{}", server.port);
    let refused = [
        post(&[("Origin", "http://evil.example")]),
        post(&[("Origin", "null")]),
        post(&[("Origin", "http://127.0.0.1:1")]),
        post(&[("Sec-Fetch-Site", "cross-site")]),
        post(&[("Host", &rebinding), ("Origin", &format!("http://{rebinding}"))]),
        server.request("GET", "/", &[("Host", &rebinding)], b""),
        server.request("GET", "/api/rules", &[("Host", "127.0.0.1:1")], b""),
    ];
    for reply in refused {
        assert_eq!(reply.status, 403, "{}", reply.text());
        assert!(reply.text().contains("\"error\""), "{}", reply.text());
    }

    let big = vec![b'a'; (32 << 20) + 1];
    assert_eq!(server.post("/api/check", &big).status, 413);
    let claimed = server.request("POST", "/api/check", &[("Content-Length", "999999999")], b"");
    assert_eq!(claimed.status, 413);
    assert_eq!(server.post("/api/check", &[0, 159, 146, 150, 0, 0]).status, 422, "binary is an error, not 0 findings");
    let corrupt = server.post("/api/check?name=x.docx", b"PK\x03\x04not a zip");
    assert_eq!(corrupt.status, 422);
    assert!(corrupt.text().contains("x.docx: not a valid .docx"), "{}", corrupt.text());
    assert_eq!(server.post("/api/check?format=pdf", b"x").status, 400);
    assert_eq!(server.get("/api/check").status, 405);
    assert_eq!(server.get("/etc/passwd").status, 404);
    assert_eq!(server.get("/../Cargo.toml").status, 404);
    // Still serving after all that.
    assert_eq!(post(&[]).status, 200);
}

#[test]
fn the_page_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-config"]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(page.text().contains("<html lang=\"ja\">"));
    for asset in ["/", "/app.js", "/style.css", "/favicon.svg"] {
        let reply = server.get(asset);
        assert_eq!(reply.status, 200, "{asset}");
        let text = reply.text();
        // Nothing from the network: no absolute URLs at all, bar the SVG namespace.
        let urls = text.matches("http://").count() + text.matches("https://").count();
        let namespace = text.matches("http://www.w3.org/2000/svg").count();
        assert_eq!(urls, namespace, "{asset} refers to the network");
    }
    let info: serde_json::Value = serde_json::from_slice(&server.get("/api/info").body).unwrap();
    assert_eq!(info["lang"], "ja", "Japanese unless --lang or the config says otherwise");
    assert_eq!(info["config"], serde_json::Value::Null);
}

#[test]
fn a_wider_host_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &["--no-config", "--host", "0.0.0.0"]);
    let _ = server.child.kill();
    let mut stderr = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains("warning: listening on 0.0.0.0:"), "{stderr}");
    assert!(stderr.contains("other machines on the network can reach this page"), "{stderr}");
}

#[test]
fn the_config_front_matter_keys_apply_to_the_page_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("lint")).unwrap();
    std::fs::copy(root.join("tests/data/test-rules.toml"), dir.path().join("lint/team.toml")).unwrap();
    std::fs::write(
        dir.path().join("iryolint.toml"),
        "lang = \"en\"\nextend-rules = [\"lint/team.toml\"]\nselect = [\"test-guarantee\"]\nfront-matter-keys = [\"seo_title\"]\n",
    )
    .unwrap();
    let page = "---\nsummary: ふがふが体操\nseo_title: ぴよぴよ体操\n---\n本文です。\n";
    std::fs::write(dir.path().join("page.md"), page).unwrap();
    let server = Server::start(dir.path(), &[]);
    let expected = cli(dir.path(), &["check", "--format", "json", "page.md"]);
    let reply = server.post("/api/check?name=page.md", page.as_bytes());
    assert_eq!(reply.text(), String::from_utf8(expected).unwrap());
    let report: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    let texts: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["ぴよぴよ体操"]);
    assert_eq!(report["findings"][0]["start"]["offset"], page.find("ぴよぴよ体操").unwrap());
}
