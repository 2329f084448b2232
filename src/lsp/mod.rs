//! `iryolint lsp`: a language server over standard input and output.
//!
//! Editors get the command line's findings as diagnostics while copy is
//! written (plain text, Markdown and HTML), the rule's explanation on
//! hover, and code actions to suppress a finding or open its explanation.
//! The rules are the ones `iryolint check` would use for the file: the
//! nearest `iryolint.toml` with its team rules and products, reloaded when
//! they change.
//!
//! One job per module: [`server`] runs the session, [`document`] holds open
//! documents, [`workspace`] loads rules per config file, [`convert`] maps
//! byte offsets to LSP positions, [`diagnostics`] turns findings into
//! diagnostics and [`actions`] answers hovers and code actions.

pub mod actions;
pub mod convert;
pub mod diagnostics;
pub mod document;
pub mod server;
pub mod workspace;

use lsp_server::Connection;
use lsp_types::{InitializeParams, InitializeResult, ServerInfo};

use crate::app::EXIT_ERROR;
use crate::cli::GlobalArgs;

/// Runs a session over standard input and output and returns the exit
/// code: 0 after `shutdown`, 1 when the client said `exit` or went away
/// without it, 2 when the protocol broke.
pub fn run(global: &GlobalArgs) -> i32 {
    let (conn, io) = Connection::stdio();
    let code = match session(&conn, global) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("iryolint: lsp: {message}");
            EXIT_ERROR
        }
    };
    drop(conn);
    match io.join() {
        // A client that closed its end first is gone, not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("iryolint: lsp: {e}");
            EXIT_ERROR
        }
        _ => code,
    }
}

fn session(conn: &Connection, global: &GlobalArgs) -> Result<i32, String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize parameters: {e}"))?;
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref());
    let enc = convert::Encoding::negotiate(offered);
    let result = InitializeResult {
        capabilities: server::capabilities(enc),
        server_info: Some(ServerInfo {
            name: "iryolint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    conn.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let workspace = workspace::Workspace::new(global, root_folder(&params));
    Ok(server::Server::new(conn, workspace, &params, enc).run())
}

/// The client's first workspace folder (or its root URI), as a path.
fn root_folder(params: &InitializeParams) -> Option<std::path::PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first()).map(|f| f.uri.clone());
    #[allow(deprecated)]
    let root = folder.or_else(|| params.root_uri.clone());
    root.and_then(|u| convert::uri_to_path(u.as_str()))
}
