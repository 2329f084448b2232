//! `iryolint lsp` end to end: a JSON-RPC client drives the built binary
//! (initialize → didOpen → publishDiagnostics → didChange → hover →
//! codeAction → shutdown/exit) and every diagnostic is checked against
//! the command line's JSON report on the same text; then Neovim, a real
//! editor, attaches its own LSP client to the server.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_iryolint");
const TIMEOUT: Duration = Duration::from_secs(20);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A language client speaking JSON-RPC to `iryolint lsp` over its stdio.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: VecDeque<Value>,
    /// Requests the server made (answered with null).
    server_requests: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `iryolint ARGS lsp` in `cwd` and initializes it with
    /// `capabilities`.
    fn start(args: &[&str], cwd: &Path, root: &Path, capabilities: Value) -> (Client, Value) {
        let mut child = Command::new(BIN)
            .args(args)
            .arg("lsp")
            .current_dir(cwd)
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client =
            Client { child, stdin, incoming, backlog: VecDeque::new(), server_requests: Vec::new(), next_id: 0 };
        let root_uri = file_uri(root);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities,
                   "workspaceFolders": [{"uri": root_uri, "name": "site"}]}),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result (panics on an error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next message, answering the server's own requests on the way.
    fn next(&mut self, deadline: Instant) -> Value {
        let timeout = deadline.saturating_duration_since(Instant::now());
        let message = self.incoming.recv_timeout(timeout).expect("the server answered in time");
        if message.get("method").is_some() && message.get("id").is_some() {
            self.send(json!({"jsonrpc": "2.0", "id": message["id"], "result": null}));
            self.server_requests.push(message.clone());
        }
        message
    }

    /// Waits for the first message (new or read before) that `wanted`
    /// accepts.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next(deadline);
            if wanted(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> (Option<i64>, Vec<Value>) {
        let m = self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        (m["params"]["version"].as_i64(), m["params"]["diagnostics"].as_array().unwrap().clone())
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.diagnostics(uri).1
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// shutdown, exit, and the exit code.
    fn stop(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.kill().unwrap();
        panic!("the server did not exit after shutdown and exit");
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Character counts in each position encoding.
#[derive(Clone, Copy, Debug)]
enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

/// The LSP position of byte `offset` of `text` (lines end at `\n`).
fn position(text: &str, offset: usize, enc: Enc) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let character = match enc {
        Enc::Utf8 => prefix.len(),
        Enc::Utf16 => prefix.encode_utf16().count(),
        Enc::Utf32 => prefix.chars().count(),
    };
    json!({"line": text[..offset].matches('\n').count(), "character": character})
}

fn range(text: &str, start: &Value, end: &Value, enc: Enc) -> Value {
    let at = |p: &Value| position(text, p["offset"].as_u64().unwrap() as usize, enc);
    json!({"start": at(start), "end": at(end)})
}

/// The byte offset of LSP position `p` in `text`.
fn offset(text: &str, p: &Value, enc: Enc) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= p["character"].as_u64().unwrap() as usize || c == '\n' {
            return start + i;
        }
        units += match enc {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
            Enc::Utf32 => 1,
        };
    }
    text.len()
}

/// `iryolint ARGS check --format json NAME` on `text` in `dir`: the findings.
fn cli_findings(dir: &Path, name: &str, text: &str, args: &[&str]) -> Vec<Value> {
    std::fs::write(dir.join(name), text).unwrap();
    let out = Command::new(BIN)
        .args(args)
        .args(["check", "--format", "json", name])
        .current_dir(dir)
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

/// The diagnostics the server should publish for the CLI's `findings`.
fn expected_diagnostics(text: &str, uri: &str, findings: &[Value], enc: Enc) -> Vec<Value> {
    let severity = |s: &Value| match s.as_str().unwrap() {
        "error" => 1,
        "warning" => 2,
        _ => 3,
    };
    let mut expected: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut message = f["message"].as_str().unwrap().to_string();
            if let Some(missing) = f["missing"].as_array() {
                let names: Vec<&str> = missing.iter().map(|m| m.as_str().unwrap()).collect();
                message.push_str(&format!(" (missing: {})", names.join(", ")));
            }
            if let Some(confidence) = f.get("confidence") {
                message.push_str(&format!(" (confidence {}%)", (confidence.as_f64().unwrap() * 100.0).round()));
            }
            let related = f.get("related").map(|r| {
                json!([{"location": {"uri": uri, "range": range(text, &r["start"], &r["end"], enc)},
                        "message": format!("claim of benefit for people: 「{}」", r["text"].as_str().unwrap())}])
            });
            let mut d = json!({"range": range(text, &f["start"], &f["end"], enc), "severity": severity(&f["severity"]),
                               "code": f["rule"], "source": "iryolint", "message": message});
            if let Some(related) = related {
                d["relatedInformation"] = related;
            }
            d
        })
        .collect();
    expected.sort_by_key(|d| d.to_string());
    expected
}

fn sorted(mut diagnostics: Vec<Value>) -> Vec<Value> {
    diagnostics.sort_by_key(|d| d.to_string());
    diagnostics
}

/// Applies LSP text edits (positions in `enc`) to `text`.
fn apply_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

fn explain(rule: &str) -> String {
    let out = Command::new(BIN).args(["--lang", "en", "explain", rule]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

const PAGE: &str = "🌸当院の施術は副作用は一切ありません。\n\
                    😀マウスの実験で肌の若返りが確認されました。当院の施術でシミが改善します。\n\
                    ＡＢＣ療法は自由診療です。\n";

#[test]
fn session_diagnostics_hover_and_code_actions_match_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt");
    let uri = file_uri(&path);
    let caps = json!({"window": {"showDocument": {"support": true}}});
    let (mut client, init) = Client::start(&["--lang", "en"], dir.path(), dir.path(), caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(init["serverInfo"]["name"], "iryolint");

    // didOpen: every finding of the CLI, in UTF-16 positions.
    let got = sorted(client.open(&uri, "plaintext", PAGE));
    let cli = cli_findings(dir.path(), "page.txt", PAGE, &["--lang", "en"]);
    assert_eq!(got, expected_diagnostics(PAGE, &uri, &cli, Enc::Utf16));
    // The blatant one at its exact span: after 🌸 (two UTF-16 units) and
    // 当院の施術は (six), 副作用は一切ありません.
    let safety = cli.iter().find(|f| f["category"] == "safety-claim").expect("a safety claim");
    let rule = safety["rule"].as_str().unwrap().to_string();
    let d = got.iter().find(|d| d["code"] == rule.as_str()).unwrap();
    assert_eq!(d["range"], json!({"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 19}}));
    assert!(got.iter().any(|d| d.get("relatedInformation").is_some()), "an evidence leap with its claim: {got:#?}");
    assert!(got.iter().any(|d| d["message"].as_str().unwrap().contains("(missing: ")), "a missing disclosure");

    // didChange: an emoji inserted before the claim moves it by two units.
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "👍"}]),
    );
    let text = format!("👍{PAGE}");
    let (version, got) = client.diagnostics(&uri);
    assert_eq!(version, Some(2));
    let cli = cli_findings(dir.path(), "page.txt", &text, &["--lang", "en"]);
    assert_eq!(sorted(got.clone()), expected_diagnostics(&text, &uri, &cli, Enc::Utf16));
    let d = got.iter().find(|d| d["code"] == rule.as_str()).unwrap();
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 10}));

    // Two changes in quick succession are checked once, at the last version.
    client.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "１"}]),
    );
    client.change(
        &uri,
        4,
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 1}}, "text": ""}]),
    );
    let (version, got) = client.diagnostics(&uri);
    assert_eq!(version, Some(4), "debounced: no diagnostics for version 3");
    assert_eq!(sorted(got.clone()), expected_diagnostics(&text, &uri, &cli, Enc::Utf16));

    // Hover inside the claim: the rule's explanation, as `iryolint explain`.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 12}}));
    assert_eq!(hover["contents"]["value"], explain(&rule));
    assert_eq!(hover["range"], d["range"]);
    let nothing = client
        .request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}));
    assert_eq!(nothing, Value::Null);

    // Code actions: a suppression comment that, applied, silences the finding.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions.iter().find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == rule.as_str()).unwrap();
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply_edits(&text, edits, Enc::Utf16);
    assert!(fixed.contains(&format!("<!-- iryolint-disable-next-line {rule} -- TODO: reason -->")), "{fixed}");
    client.change(&uri, 5, json!([{"text": fixed}]));
    let (_, got) = client.diagnostics(&uri);
    let cli = cli_findings(dir.path(), "page.txt", &fixed, &["--lang", "en"]);
    assert!(!got.iter().any(|d| d["code"] == rule.as_str()), "suppressed: {got:#?}");
    assert_eq!(sorted(got), expected_diagnostics(&fixed, &uri, &cli, Enc::Utf16));

    // …and one that opens the explanation, which the server writes to a file
    // and asks the editor to show.
    let open = actions.iter().find(|a| a["command"]["command"] == "iryolint.explain").unwrap();
    assert_eq!(open["command"]["arguments"], json!([rule, uri]));
    client.request("workspace/executeCommand", open["command"].clone());
    let shown = client.server_requests.iter().find(|r| r["method"] == "window/showDocument").expect("showDocument");
    let shown_uri = shown["params"]["uri"].as_str().unwrap();
    let shown_path = shown_uri.strip_prefix("file://").unwrap();
    assert_eq!(std::fs::read_to_string(shown_path).unwrap(), explain(&rule));

    // didClose clears the document's diagnostics.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(client.diagnostics(&uri).1, Vec::<Value>::new());
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn utf8_and_utf32_positions_when_the_client_asks() {
    for (name, enc) in [("utf-8", Enc::Utf8), ("utf-32", Enc::Utf32)] {
        let dir = tempfile::tempdir().unwrap();
        let uri = file_uri(&dir.path().join("page.txt"));
        let caps = json!({"general": {"positionEncodings": [name, "utf-16"]}});
        let (mut client, init) = Client::start(&["--lang", "en"], dir.path(), dir.path(), caps);
        assert_eq!(init["capabilities"]["positionEncoding"], name);
        let got = sorted(client.open(&uri, "plaintext", PAGE));
        let cli = cli_findings(dir.path(), "page.txt", PAGE, &["--lang", "en"]);
        assert_eq!(got, expected_diagnostics(PAGE, &uri, &cli, enc), "{name}");
        // An incremental change in this encoding: delete the first emoji.
        let end = position(PAGE, '🌸'.len_utf8(), enc);
        client.change(&uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": end}, "text": ""}]));
        let text = &PAGE['🌸'.len_utf8()..];
        let cli = cli_findings(dir.path(), "page.txt", text, &["--lang", "en"]);
        assert_eq!(sorted(client.diagnostics(&uri).1), expected_diagnostics(text, &uri, &cli, enc), "{name}");
        assert_eq!(client.stop(), Some(0));
    }
}

#[test]
fn markdown_and_html_pages_match_the_cli() {
    let dir = repo().join("fixtures/lsp");
    let (mut client, _) = Client::start(&["--lang", "en"], &dir, &dir, json!({}));
    for (name, language) in [("clinic-page.md", "markdown"), ("clinic-page.html", "html")] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let uri = file_uri(&dir.join(name));
        let got = sorted(client.open(&uri, language, &text));
        let out = Command::new(BIN)
            .args(["--lang", "en", "check", "--format", "json", name])
            .current_dir(&dir)
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        let cli = cli["findings"].as_array().unwrap();
        assert!(cli.len() >= 5, "{name}: the page has findings");
        assert_eq!(got, expected_diagnostics(&text, &uri, cli, Enc::Utf16), "{name}");
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn workspace_config_with_team_rules_and_products_reloads_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let team = repo().join("tests/data/test-rules.toml");
    let config = dir.path().join("iryolint.toml");
    let write_config = |lang: &str, ignore: &str| {
        let text = format!(
            "lang = \"{lang}\"\nignore = [{ignore}]\nextend-rules = [{:?}]\n\n[[products]]\nid = \"our-peptide\"\nname = \"ペプチド点滴\"\nstatus = \"unapproved\"\naliases = [\"ペプチド点滴\"]\n",
            team.to_str().unwrap()
        );
        std::fs::write(&config, text).unwrap();
    };
    write_config("ja", "");
    let page = "当院のぴよぴよ体操で元気に。\nペプチド点滴を始めました。\n";
    let uri = file_uri(&site.join("page.md"));
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::start(&[], dir.path(), dir.path(), caps);
    let got = sorted(client.open(&uri, "markdown", page));
    let cli = cli_findings(&site, "page.md", page, &[]);
    let rules: Vec<&str> = cli.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"test-guarantee"), "team rule: {rules:?}");
    assert!(cli.iter().any(|f| f["category"] == "missing-unapproved-disclosure"), "config product: {rules:?}");
    let guarantee = got.iter().find(|d| d["code"] == "test-guarantee").unwrap();
    let confidence = cli.iter().find(|f| f["rule"] == "test-guarantee").unwrap()["confidence"].as_f64().unwrap();
    let percent = (confidence * 100.0).round();
    assert_eq!(guarantee["message"], format!("テスト: 治癒の保証 (確度 {percent}%)"), "the config's language");
    // Messages in Japanese: compare the rest of each diagnostic.
    let without_messages = |ds: Vec<Value>| -> Vec<Value> {
        sorted(
            ds.into_iter()
                .map(|mut d| {
                    d["message"] = Value::Null;
                    d["relatedInformation"] = Value::Null;
                    d
                })
                .collect(),
        )
    };
    assert_eq!(without_messages(got), without_messages(expected_diagnostics(page, &uri, &cli, Enc::Utf16)));
    let registered = client.server_requests.iter().find(|r| r["method"] == "client/registerCapability").unwrap();
    assert_eq!(registered["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"], "**/*.toml");

    // The config is edited in the editor and saved: the page is checked again.
    let config_uri = file_uri(&config);
    let config_text = std::fs::read_to_string(&config).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": config_uri, "languageId": "toml", "version": 1, "text": config_text}}),
    );
    write_config("en", "\"test-guarantee\"");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": config_uri}}));
    let (_, got) = client.diagnostics(&uri);
    let cli = cli_findings(&site, "page.md", page, &[]);
    assert!(!cli.iter().any(|f| f["rule"] == "test-guarantee"));
    assert_eq!(sorted(got.clone()), expected_diagnostics(page, &uri, &cli, Enc::Utf16));
    assert!(!client.backlog.iter().any(|m| m["params"]["uri"] == config_uri.as_str()), "the config is not checked");

    // Saving the page checks it too.
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    let (version, again) = client.diagnostics(&uri);
    assert_eq!((version, sorted(again)), (Some(1), sorted(got)));

    // A broken config, reported by the editor's file watcher: the page
    // says why it was not checked.
    std::fs::write(&config, "select = [\"no-such-rule\"]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config_uri, "type": 2}]}));
    let (_, got) = client.diagnostics(&uri);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["code"], "config");
    let message = got[0]["message"].as_str().unwrap();
    assert!(message.contains("iryolint.toml:1:") && message.contains("no-such-rule"), "{message}");
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert!(shown["params"]["message"].as_str().unwrap().contains("no-such-rule"));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::start(&[], dir.path(), dir.path(), json!({}));
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

/// Neovim's diagnostics, as tests/nvim/diagnostics.lua writes them, for
/// the CLI's findings on `text`: 0-based lines, byte columns.
fn nvim_expected(text: &str, findings: &[Value]) -> Vec<Value> {
    let at = |p: &Value| {
        let offset = p["offset"].as_u64().unwrap() as usize;
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        (p["line"].as_u64().unwrap() - 1, offset - line_start)
    };
    let mut expected: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (lnum, col) = at(&f["start"]);
            let (end_lnum, end_col) = at(&f["end"]);
            let mut message = f["message"].as_str().unwrap().to_string();
            if let Some(missing) = f["missing"].as_array() {
                let names: Vec<&str> = missing.iter().map(|m| m.as_str().unwrap()).collect();
                message.push_str(&format!(" (missing: {})", names.join(", ")));
            }
            if let Some(confidence) = f.get("confidence") {
                message.push_str(&format!(" (confidence {}%)", (confidence.as_f64().unwrap() * 100.0).round()));
            }
            let severity = match f["severity"].as_str().unwrap() {
                "error" => 1,
                "warning" => 2,
                _ => 3,
            };
            json!({"lnum": lnum, "col": col, "end_lnum": end_lnum, "end_col": end_col, "code": f["rule"],
                   "source": "iryolint", "message": message, "severity": severity})
        })
        .collect();
    expected.sort_by_key(|d| d.to_string());
    expected
}

#[test]
fn neovim_receives_the_clis_findings() {
    if Command::new("nvim").arg("--version").output().is_err() {
        // .ci/run installs Neovim: in CI a missing editor is a failure.
        assert!(std::env::var_os("CI").is_none(), "nvim not found in CI (.ci/run installs the neovim package)");
        eprintln!("SKIPPED neovim_receives_the_clis_findings: nvim not found (apt-get install neovim; .ci/run does)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("clinic-page.md");
    let original = std::fs::read_to_string(repo().join("fixtures/lsp/clinic-page.md")).unwrap();
    std::fs::write(&page, &original).unwrap();
    let cli = cli_findings(dir.path(), "clinic-page.md", &original, &["--lang", "en"]);
    let safety = cli.iter().find(|f| f["category"] == "safety-claim").expect("the fixture has a safety claim");
    let edit_line = safety["start"]["line"].as_u64().unwrap() - 1;
    let out = dir.path().join("nvim.json");
    let xdg = dir.path().join("xdg");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", repo().join("tests/nvim/diagnostics.lua").display()))
        .env("IRYOLINT_BIN", BIN)
        .env("IRYOLINT_PAGE", &page)
        .env("IRYOLINT_OUT", &out)
        .env("IRYOLINT_EDIT_LINE", edit_line.to_string())
        .env("XDG_STATE_HOME", &xdg)
        .env("XDG_CACHE_HOME", &xdg)
        .env("XDG_DATA_HOME", &xdg)
        .env("XDG_CONFIG_HOME", &xdg)
        .env("LANG", "C")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while nvim.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            nvim.kill().unwrap();
            panic!("Neovim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("Neovim wrote its report")).unwrap();
    assert!(report.get("error").is_none(), "in Neovim: {}", report["error"]);

    let before = sorted(report["before"].as_array().unwrap().clone());
    assert_eq!(before, nvim_expected(&original, &cli));
    let text = report["text"].as_str().unwrap();
    let mut lines: Vec<String> = original.lines().map(String::from).collect();
    lines[edit_line as usize].insert(0, '🎉');
    assert_eq!(text, lines.join("\n") + "\n", "Neovim's buffer after the edit");
    let cli_after = cli_findings(dir.path(), "clinic-page.md", text, &["--lang", "en"]);
    let after = sorted(report["after"].as_array().unwrap().clone());
    assert_eq!(after, nvim_expected(text, &cli_after));

    // The hover Neovim got is the explanation of the finding under the cursor.
    let (line, col) = (report["hover_line"].as_u64().unwrap() + 1, report["hover_col"].as_u64().unwrap());
    let line_start: usize = text.split_inclusive('\n').take(line as usize - 1).map(str::len).sum();
    let hovered = cli_after
        .iter()
        .find(|f| f["start"]["line"] == line && f["start"]["offset"].as_u64().unwrap() == line_start as u64 + col)
        .expect("a finding where the cursor was");
    assert_eq!(report["hover"], explain(hovered["rule"].as_str().unwrap()));
}

#[test]
fn the_workspace_configs_front_matter_keys_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lint")).unwrap();
    std::fs::copy(repo().join("tests/data/test-rules.toml"), dir.path().join("lint/team.toml")).unwrap();
    std::fs::write(
        dir.path().join("iryolint.toml"),
        "extend-rules = [\"lint/team.toml\"]\nselect = [\"test-guarantee\"]\nfront-matter-keys = [\"seo_title\"]\n",
    )
    .unwrap();
    let text = "---\nsummary: ふがふが体操\nseo_title: ぴよぴよ体操\n---\n本文です。\n";
    let cli = cli_findings(dir.path(), "page.md", text, &["--lang", "en"]);
    let texts: Vec<&str> = cli.iter().map(|f| f["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["ぴよぴよ体操"]);
    let (mut client, _) = Client::start(&["--lang", "en"], dir.path(), dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("page.md"));
    let got = sorted(client.open(&uri, "markdown", text));
    assert_eq!(got, expected_diagnostics(text, &uri, &cli, Enc::Utf16));
    assert_eq!(client.stop(), Some(0));
}
