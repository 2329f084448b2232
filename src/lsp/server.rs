//! The server loop: the client's notifications and requests in, diagnostics
//! and answers out.
//!
//! A document is checked when it is opened and saved, and
//! [`DEBOUNCE`] after the last of a burst of changes; a request about a
//! document with changes not yet checked checks it first, so answers always
//! match the text.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, ExecuteCommandOptions, ExecuteCommandParams,
    FileSystemWatcher, GlobPattern, HoverParams, HoverProviderCapability, InitializeParams, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities, ShowDocumentParams,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use super::actions::{self, EXPLAIN_COMMAND};
use super::convert::{path_to_uri, uri_to_path, Encoding};
use super::diagnostics;
use super::document::{Checked, Document};
use super::workspace::Workspace;
use crate::lint;
use crate::render;

/// How long after the last change a document is checked.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What the server offers, with positions in `enc`.
pub fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![EXPLAIN_COMMAND.to_string()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The state of one session.
pub struct Server<'a> {
    conn: &'a Connection,
    enc: Encoding,
    workspace: Workspace<'a>,
    docs: HashMap<Uri, Document>,
    /// Documents changed since their last check, and when to check them.
    due: HashMap<Uri, Instant>,
    /// Config errors already shown in a message.
    shown: HashSet<String>,
    /// Whether the client opens documents the server asks it to.
    show_document: bool,
    /// Whether the client asked the server to shut down.
    shut_down: bool,
    next_request: u32,
}

impl<'a> Server<'a> {
    /// A server for an initialized session.
    pub fn new(conn: &'a Connection, workspace: Workspace<'a>, params: &InitializeParams, enc: Encoding) -> Self {
        let show_document =
            params.capabilities.window.as_ref().and_then(|w| w.show_document.as_ref()).is_some_and(|s| s.support);
        let mut server = Server {
            conn,
            enc,
            workspace,
            docs: HashMap::new(),
            due: HashMap::new(),
            shown: HashSet::new(),
            show_document,
            shut_down: false,
            next_request: 0,
        };
        let watch = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
        if watch.and_then(|w| w.dynamic_registration) == Some(true) {
            server.watch_toml_files();
        }
        server
    }

    /// Serves until the client says `exit` or goes away; returns the exit
    /// code.
    pub fn run(mut self) -> i32 {
        loop {
            let next_due = self.due.values().min().copied();
            let message = match next_due {
                Some(at) => match self.conn.receiver.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(e) if e.is_timeout() => None,
                    Err(_) => return self.exit_code(),
                },
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return self.exit_code(),
                },
            };
            match message {
                None => self.check_due(),
                Some(Message::Request(request)) if self.shut_down => {
                    let error = Response::new_err(request.id, ErrorCode::InvalidRequest as i32, "shut down".into());
                    self.send(error.into());
                }
                Some(Message::Request(request)) if request.method == req::Shutdown::METHOD => {
                    self.shut_down = true;
                    self.send(Response::new_ok(request.id, ()).into());
                }
                Some(Message::Request(request)) => self.on_request(request),
                Some(Message::Notification(n)) if n.method == note::Exit::METHOD => return self.exit_code(),
                Some(Message::Notification(n)) => self.on_notification(n),
                Some(Message::Response(_)) => {} // to our registration and showDocument requests
            }
        }
    }

    /// 0 after a `shutdown` request, else 1 (the protocol's rule).
    fn exit_code(&self) -> i32 {
        if self.shut_down {
            0
        } else {
            1
        }
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Some(p) = parse::<DidOpenTextDocumentParams>(n.params) else { return };
                let d = p.text_document;
                let uri = d.uri.clone();
                self.docs.insert(uri.clone(), Document::new(d.uri, &d.language_id, d.version, d.text));
                self.check(&uri);
            }
            note::DidChangeTextDocument::METHOD => {
                let Some(p) = parse::<DidChangeTextDocumentParams>(n.params) else { return };
                if let Some(doc) = self.docs.get_mut(&p.text_document.uri) {
                    doc.apply(p.text_document.version, p.content_changes, self.enc);
                    self.due.insert(p.text_document.uri, Instant::now() + DEBOUNCE);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let Some(p) = parse::<DidSaveTextDocumentParams>(n.params) else { return };
                let path = uri_to_path(p.text_document.uri.as_str());
                let not_copy = self.docs.get(&p.text_document.uri).is_some_and(|d| d.format.is_none());
                if not_copy || path.is_some_and(|p| self.workspace.depends_on(&p)) {
                    self.check_all();
                } else {
                    self.check(&p.text_document.uri);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                let Some(p) = parse::<DidCloseTextDocumentParams>(n.params) else { return };
                self.docs.remove(&p.text_document.uri);
                self.due.remove(&p.text_document.uri);
                self.publish(p.text_document.uri, Vec::new(), None);
            }
            note::DidChangeWatchedFiles::METHOD => {
                let Some(p) = parse::<DidChangeWatchedFilesParams>(n.params) else { return };
                let relevant =
                    p.changes.iter().filter_map(|c| uri_to_path(c.uri.as_str())).any(|p| self.workspace.depends_on(&p));
                if relevant {
                    self.check_all();
                }
            }
            _ => {} // initialized, $/cancelRequest, didChangeConfiguration…
        }
    }

    fn on_request(&mut self, r: Request) {
        let result = match r.method.as_str() {
            req::HoverRequest::METHOD => parse::<HoverParams>(r.params).map(|p| {
                let at = p.text_document_position_params;
                self.check_if_due(&at.text_document.uri);
                let hover = self
                    .docs
                    .get(&at.text_document.uri)
                    .and_then(|doc| actions::hover(doc, doc.lines.offset(&doc.text, at.position, self.enc), self.enc));
                serde_json::to_value(hover)
            }),
            req::CodeActionRequest::METHOD => parse::<CodeActionParams>(r.params).map(|p| {
                self.check_if_due(&p.text_document.uri);
                let actions = self.docs.get(&p.text_document.uri).map(|doc| {
                    let start = doc.lines.offset(&doc.text, p.range.start, self.enc);
                    let end = doc.lines.offset(&doc.text, p.range.end, self.enc);
                    actions::code_actions(doc, start..end.max(start), self.enc)
                });
                serde_json::to_value(actions.unwrap_or_default())
            }),
            req::ExecuteCommand::METHOD => parse::<ExecuteCommandParams>(r.params).map(|p| {
                if p.command == EXPLAIN_COMMAND {
                    self.explain(&p.arguments);
                }
                Ok(Value::Null)
            }),
            _ => {
                let error =
                    Response::new_err(r.id, ErrorCode::MethodNotFound as i32, format!("no method {}", r.method));
                self.send(error.into());
                return;
            }
        };
        let response = match result {
            Some(Ok(value)) => Response::new_ok(r.id, value),
            _ => Response::new_err(r.id, ErrorCode::InvalidParams as i32, format!("bad parameters for {}", r.method)),
        };
        self.send(response.into());
    }

    /// Checks `uri` now and publishes its diagnostics.
    fn check(&mut self, uri: &Uri) {
        self.due.remove(uri);
        let Some(doc) = self.docs.get_mut(uri) else { return };
        let Some(format) = doc.format else { return };
        let (diagnostics, error) = match self.workspace.rules_for(doc.path.as_deref()) {
            Ok(rules) => {
                let keys = rules.front_matter_keys.as_deref();
                let report = lint::lint_format_with(
                    &doc.name(),
                    doc.text.clone(),
                    format,
                    keys,
                    lint::Fingerprints::Skip,
                    &rules.set,
                );
                let diagnostics =
                    report.findings.iter().map(|f| diagnostics::of_finding(f, doc, &rules, self.enc)).collect();
                doc.checked = Some(Checked { findings: report.findings, rules });
                (diagnostics, None)
            }
            Err(message) => {
                doc.checked = None;
                (vec![diagnostics::of_config_error(&message)], Some(message))
            }
        };
        let version = doc.version;
        if let Some(message) = error {
            self.show_once(message);
        }
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    fn check_if_due(&mut self, uri: &Uri) {
        if self.due.contains_key(uri) {
            self.check(uri);
        }
    }

    fn check_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self.due.iter().filter(|(_, &at)| at <= now).map(|(u, _)| u.clone()).collect();
        for uri in due {
            self.check(&uri);
        }
    }

    /// Checks every open document again (the rules may have changed).
    fn check_all(&mut self) {
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.check(&uri);
        }
    }

    /// `iryolint.explain RULE URI`: opens the rule's explanation in the
    /// editor (as a file), or shows it as a message when the client cannot
    /// open documents.
    fn explain(&mut self, arguments: &[Value]) {
        let id = arguments.first().and_then(Value::as_str).unwrap_or_default();
        let uri = arguments.get(1).and_then(Value::as_str).and_then(|u| u.parse::<Uri>().ok());
        let rules = match uri.as_ref().and_then(|u| self.docs.get(u)).and_then(|d| d.checked.as_ref()) {
            Some(checked) => Ok(checked.rules.clone()),
            None => self.workspace.rules_for(uri.as_ref().and_then(|u| uri_to_path(u.as_str())).as_deref()),
        };
        let Ok(rules) = rules else { return };
        let Some(index) = rules.set.index_of(id).filter(|&r| rules.set.reports(r)) else {
            self.show(MessageType::ERROR, format!("iryolint: no rule `{id}`"));
            return;
        };
        let text = render::rules::explain(&rules.set.full_rules()[index], rules.lang);
        let file = if self.show_document { actions::explanation_file(id, rules.lang, &text).ok() } else { None };
        match file.and_then(|f| path_to_uri(&f).parse::<Uri>().ok()) {
            Some(uri) => {
                let params = ShowDocumentParams { uri, external: Some(false), take_focus: Some(true), selection: None };
                self.request(req::ShowDocument::METHOD, params);
            }
            None => self.show(MessageType::INFO, text),
        }
    }

    /// Asks the client to tell the server when TOML files change (configs
    /// and team rule files).
    fn watch_toml_files(&mut self) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.toml".to_string()),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "iryolint-watch-toml".to_string(),
            method: note::DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.request(req::RegisterCapability::METHOD, RegistrationParams { registrations: vec![registration] });
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.send(Notification::new(note::PublishDiagnostics::METHOD.to_string(), params).into());
    }

    fn show_once(&mut self, message: String) {
        if self.shown.insert(message.clone()) {
            self.show(MessageType::ERROR, format!("iryolint: {message}"));
        }
    }

    fn show(&self, typ: MessageType, message: String) {
        let params = ShowMessageParams { typ, message };
        self.send(Notification::new(note::ShowMessage::METHOD.to_string(), params).into());
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_request += 1;
        let id = RequestId::from(format!("iryolint-{}", self.next_request));
        self.send(Request::new(id, method.to_string(), params).into());
    }

    fn send(&self, message: Message) {
        // Fails only once the client is gone; the loop then ends on its own.
        let _ = self.conn.sender.send(message);
    }
}

/// The parameters of a message, or `None` when they are malformed.
fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Option<T> {
    serde_json::from_value(params).ok()
}
