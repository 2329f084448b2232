//! `iryolint serve`: a local web page where a writer pastes copy (or drops
//! a file) and sees every finding in place, with an API beside it.
//!
//! The page is plain HTML, CSS and JavaScript embedded in the binary
//! ([`assets`]); it needs nothing from the network. The server is
//! [`tiny_http`]: synchronous, a handful of worker threads, which is all a
//! CPU-bound check for one writer on one machine needs. Requests pass the
//! [`guard`] (Host and Origin checks) and a size limit before any work.

pub mod api;
mod assets;
pub mod checklist;
pub mod guard;

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use crate::cli::ServeArgs;
use crate::rules::RuleSet;
use crate::Lang;
use api::{Reply, MAX_BODY_BYTES};
use guard::Guard;

/// What every request is served from.
#[derive(Debug)]
pub struct State {
    /// The rule set, built from the config as for `check`.
    pub set: RuleSet,
    /// The probe for the checklist ([`checklist::make_probe`]).
    pub probe: RuleSet,
    /// The default language of messages.
    pub lang: Lang,
    /// The config file in use, if any.
    pub config: Option<PathBuf>,
    /// The config's `front-matter-keys` (`None`: the defaults).
    pub front_matter_keys: Option<Vec<String>>,
}

/// Worker threads: checks are quick and there is one writer.
const WORKERS: usize = 4;

/// Listens on `--host`:`--port` and serves until the process is stopped.
pub fn run(args: &ServeArgs, state: &State) -> Result<(), String> {
    let addr = resolve(&args.host, args.port)?;
    let server = tiny_http::Server::http(addr)
        .map_err(|e| format!("cannot listen on {addr}: {e} (choose another port with --port)"))?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let guard = Guard::new(&args.host, port);
    let url = page_url(addr.ip(), port);
    if !addr.ip().is_loopback() {
        eprintln!(
            "iryolint: warning: listening on {}: other machines on the network can reach this page \
             and have copy checked on this machine",
            SocketAddr::new(addr.ip(), port)
        );
    }
    println!("iryolint serve: {url} (Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                while let Ok(request) = server.recv() {
                    serve_one(request, state, &guard);
                }
            });
        }
    });
    Ok(())
}

/// The socket address for `host` (an IP address or a name) and `port`.
fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (bare, port)
        .to_socket_addrs()
        .map_err(|e| format!("--host {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("--host {host}: no address"))
}

/// The address to open in a browser on this machine.
fn page_url(ip: IpAddr, port: u16) -> String {
    match ip {
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{port}/"),
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    match command.arg(url).spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("iryolint: note: cannot open a browser ({e}); open {url} yourself"),
    }
}

/// Answers one request; a panic in a handler becomes a 500, not a dead worker.
fn serve_one(mut request: tiny_http::Request, state: &State, guard: &Guard) {
    let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(&mut request, state, guard)))
        .unwrap_or_else(|_| Reply::error(500, "internal error while checking (please report it)"));
    let mut response =
        tiny_http::Response::from_data(reply.body).with_status_code(reply.status).with_chunked_threshold(usize::MAX);
    let security = [
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    ];
    let extra = reply.headers.iter().map(|(k, v)| (*k, v.as_str()));
    for (name, value) in security.into_iter().chain(extra) {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may have gone away: nothing to do about it.
    let _ = request.respond(response);
}

fn header<'a>(request: &'a tiny_http::Request, name: &'static str) -> Option<&'a str> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str())
}

fn route(request: &mut tiny_http::Request, state: &State, guard: &Guard) -> Reply {
    let method = request.method().as_str().to_string();
    let headers = guard::Headers {
        host: header(request, "Host"),
        origin: header(request, "Origin"),
        sec_fetch_site: header(request, "Sec-Fetch-Site"),
    };
    if let Err(why) = guard.admit(&method, headers) {
        return Reply::error(403, &why);
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let is_get = method == "GET" || method == "HEAD";
    match (path, is_get, method == "POST") {
        ("/api/check", _, true) => match read_body(request) {
            Ok(body) => api::check(state, query, &body),
            Err(reply) => reply,
        },
        ("/api/open", _, true) => match read_body(request) {
            Ok(body) => api::open(query, &body),
            Err(reply) => reply,
        },
        ("/api/rules", true, _) => api::rules(state),
        ("/api/info", true, _) => api::info(state),
        ("/api/check" | "/api/open", _, _) => not_allowed("POST"),
        ("/api/rules" | "/api/info", _, _) => not_allowed("GET, HEAD"),
        _ => match assets::get(path) {
            Some(_) if !is_get => not_allowed("GET, HEAD"),
            Some((content_type, body)) => {
                Reply { status: 200, content_type, headers: Vec::new(), body: body.as_bytes().to_vec() }
            }
            None => Reply::error(404, &format!("no page `{path}`")),
        },
    }
}

fn not_allowed(allow: &'static str) -> Reply {
    let mut reply = Reply::error(405, &format!("method not allowed (allowed: {allow})"));
    reply.headers.push(("Allow", allow.to_string()));
    reply
}

/// The request body, refused past [`MAX_BODY_BYTES`].
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Reply> {
    let too_large = || Reply::error(413, &format!("the request is larger than {} MiB", MAX_BODY_BYTES >> 20));
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(request.body_length().unwrap_or(0));
    request
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Reply::error(400, &format!("cannot read the request: {e}")))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(body)
}
