//! The HTTP API, as plain functions from a request to a [`Reply`]:
//!
//! - `POST /api/check` — the body is the copy; returns exactly the JSON
//!   report `iryolint check --format json` prints for the same bytes and
//!   name (see [`check`]).
//! - `POST /api/open` — a dropped file; returns its text as the page shows
//!   it (see [`open`]).
//! - `GET /api/rules` — exactly `iryolint rules --format json`.
//! - `GET /api/info` — version, default language, config file in use.

use serde::Serialize;

use super::checklist;
use super::State;
use crate::extract::{docx, InputFormat};
use crate::lint::{self, FileReport, Fingerprints, InputError, ReadOptions};
use crate::render;
use crate::source;
use crate::Lang;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 32 << 20;

/// Response header listing the disclosure rules the checked page triggers.
pub const TRIGGERED_HEADER: &str = "Iryolint-Triggered";

/// A response: status, content type, extra headers and body.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// Other headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

const JSON: &str = "application/json; charset=utf-8";

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: Vec<u8>) -> Reply {
        Reply { status, content_type: JSON, headers: Vec::new(), body }
    }

    /// An error as `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Reply {
        let mut body = serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default();
        body.push(b'\n');
        Reply::json(status, body)
    }
}

/// How the body of `/api/check` is read: the query parameters.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckParams {
    /// `name`: reported as `path`; its extension picks the format (default `-`).
    pub name: Option<String>,
    /// `format`: `text`, `html`, `markdown`, `docx`, or `docx-text` (the
    /// plain-text view of a .docx that `/api/open` returns).
    pub format: Option<Format>,
    /// `encoding`: a WHATWG label, as `--encoding`.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// `lang`: `ja` or `en`, as `--lang`.
    pub lang: Option<Lang>,
}

/// The `format` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One of the command line's `--input-format` values.
    Input(InputFormat),
    /// The plain-text view of a .docx (one paragraph per line), already
    /// decoded: checked as the .docx it came from would be.
    DocxText,
}

impl CheckParams {
    /// Parses a query string; unknown parameters and bad values are errors.
    pub fn parse(query: &str) -> Result<CheckParams, String> {
        let mut params = CheckParams::default();
        for (key, value) in parse_query(query)? {
            match key.as_str() {
                "name" => params.name = Some(value),
                "format" => {
                    params.format = Some(match value.as_str() {
                        "text" => Format::Input(InputFormat::Text),
                        "html" => Format::Input(InputFormat::Html),
                        "markdown" => Format::Input(InputFormat::Markdown),
                        "docx" => Format::Input(InputFormat::Docx),
                        "docx-text" => Format::DocxText,
                        other => {
                            return Err(format!("unknown format `{other}` (text, html, markdown, docx, docx-text)"))
                        }
                    })
                }
                "encoding" => {
                    params.encoding =
                        Some(source::encoding_for_label(&value).ok_or_else(|| format!("unknown encoding `{value}`"))?)
                }
                "lang" => {
                    params.lang = Some(match value.as_str() {
                        "ja" => Lang::Ja,
                        "en" => Lang::En,
                        other => return Err(format!("unknown lang `{other}` (ja, en)")),
                    })
                }
                other => return Err(format!("unknown parameter `{other}` (name, format, encoding, lang)")),
            }
        }
        Ok(params)
    }

    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("-")
    }
}

/// `POST /api/check`: the JSON report of the body, byte for byte what
/// `iryolint check --format json` prints for a file of these bytes named
/// `name` (with `--input-format`, `--encoding` and `--lang` as given), plus
/// the [`TRIGGERED_HEADER`] header for the checklist. An input that cannot
/// be read (binary, a corrupt .docx) is a 422 error, not an empty report.
pub fn check(state: &State, query: &str, body: &[u8]) -> Reply {
    let params = match CheckParams::parse(query) {
        Ok(params) => params,
        Err(message) => return Reply::error(400, &message),
    };
    let report = match lint_input(&params, body, state.front_matter_keys.as_deref(), &state.set) {
        Ok(report) => report,
        Err(reply) => return reply,
    };
    let mut json = Vec::with_capacity(1024 + 512 * report.findings.len());
    let lang = params.lang.unwrap_or(state.lang);
    if let Err(e) = render::json::write(
        &mut json,
        &crate::report::Run::new(std::slice::from_ref(&report), std::slice::from_ref(&state.set), lang),
    ) {
        return Reply::error(500, &format!("cannot write the report: {e}"));
    }
    drop(report);
    let triggered = match lint_input(&params, body, state.front_matter_keys.as_deref(), &state.probe) {
        Ok(probed) => checklist::triggered(&state.probe, &probed).join(","),
        Err(reply) => return reply,
    };
    let mut reply = Reply::json(200, json);
    reply.headers.push((TRIGGERED_HEADER, triggered));
    reply
}

/// Reads and checks the body as `params` say, the way the command line does.
fn lint_input(
    params: &CheckParams,
    body: &[u8],
    front_matter_keys: Option<&[String]>,
    set: &crate::rules::RuleSet,
) -> Result<FileReport, Reply> {
    let name = params.name();
    let format = match params.format {
        Some(Format::DocxText) => {
            let text = std::str::from_utf8(body)
                .map_err(|_| Reply::error(400, &format!("{name}: format docx-text needs a UTF-8 body")))?;
            return Ok(lint::lint_format_with(
                name,
                text.to_string(),
                InputFormat::Docx,
                None,
                Fingerprints::Skip,
                set,
            ));
        }
        Some(Format::Input(format)) => Some(format),
        None => None,
    };
    // The page's report carries no fingerprint: none is computed.
    let opts = ReadOptions {
        encoding: params.encoding,
        format,
        front_matter_keys,
        fingerprints: Fingerprints::Skip,
        ..ReadOptions::default()
    };
    lint::lint_bytes(name, body, opts, set).map_err(|e| match e {
        InputError::Binary => Reply::error(422, &format!("{name}: a binary file, not copy")),
        InputError::Unreadable(why) => Reply::error(422, &format!("{name}: {why}")),
    })
}

/// What `/api/open` returns.
#[derive(Debug, Serialize)]
pub struct Opened {
    /// The file name as given.
    pub name: String,
    /// The `format` to check the text with: `text`, `html`, `markdown` or
    /// `docx-text`.
    pub format: &'static str,
    /// The encoding the file was decoded from (`UTF-8` for .docx).
    pub encoding: &'static str,
    /// The text, exactly as `iryolint check` reads the file (for a .docx,
    /// its plain-text view).
    pub text: String,
    /// Problems that did not stop the reading (invalid bytes).
    pub warnings: Vec<String>,
}

/// `POST /api/open?name=FILE[&encoding=LABEL]`: the text of a dropped
/// file, decoded as the command line decodes it, for the page to show and
/// check.
pub fn open(query: &str, body: &[u8]) -> Reply {
    let params = match CheckParams::parse(query) {
        Ok(params) => params,
        Err(message) => return Reply::error(400, &message),
    };
    let name = params.name().to_string();
    let format = match params.format {
        Some(Format::Input(f)) => f,
        Some(Format::DocxText) => return Reply::error(400, "format docx-text is for /api/check"),
        None => InputFormat::for_path(name.as_ref()).unwrap_or(InputFormat::Text),
    };
    let opened = if format == InputFormat::Docx {
        match docx::plain_text(body, crate::limits::DEFAULT_MAX_DOCX_XML_BYTES) {
            Ok(text) => Opened { name, format: "docx-text", encoding: "UTF-8", text, warnings: Vec::new() },
            Err(why) => return Reply::error(422, &format!("{name}: {why}")),
        }
    } else {
        match source::decode(body, params.encoding) {
            Ok(decoded) => {
                // The same warnings `iryolint check` prints for the file.
                let mut warnings: Vec<String> = decoded.warnings.iter().map(|w| format!("{name}: {w}")).collect();
                warnings.extend(decoded.first_invalid_line.map(|line| {
                    format!("{name}:{line}: bytes that are not valid {} were replaced with U+FFFD", decoded.encoding)
                }));
                let format = match format {
                    InputFormat::Html => "html",
                    InputFormat::Markdown => "markdown",
                    _ => "text",
                };
                Opened { name, format, encoding: decoded.encoding, text: decoded.text, warnings }
            }
            Err(source::DecodeError::Binary) => return Reply::error(422, &format!("{name}: a binary file, not copy")),
            Err(source::DecodeError::Undecodable(why)) => return Reply::error(422, &format!("{name}: {why}")),
        }
    };
    let mut body = serde_json::to_vec(&opened).unwrap_or_default();
    body.push(b'\n');
    Reply::json(200, body)
}

/// `GET /api/rules`: exactly what `iryolint rules --format json` prints.
pub fn rules(state: &State) -> Reply {
    let mut body = Vec::new();
    match render::rules::write_json(&mut body, &state.set) {
        Ok(()) => Reply::json(200, body),
        Err(e) => Reply::error(500, &format!("cannot list the rules: {e}")),
    }
}

/// `GET /api/info`: what the page needs to know about the server.
pub fn info(state: &State) -> Reply {
    let body = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "lang": match state.lang { Lang::Ja => "ja", Lang::En => "en" },
        "config": state.config.as_ref().map(|p| p.display().to_string()),
        "rules": (0..state.set.rules.len()).filter(|&r| state.set.reports(r)).count(),
        "max_bytes": MAX_BODY_BYTES,
    });
    let mut body = serde_json::to_vec(&body).unwrap_or_default();
    body.push(b'\n');
    Reply::json(200, body)
}

/// Splits `a=1&b=%E3%81%82` into decoded pairs (`+` is a space).
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or_else(|| format!("bad percent-encoding in `{s}`"))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("query parameter `{s}` is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_decoded_and_checked() {
        let p = CheckParams::parse("name=%E5%8E%9F%E7%A8%BF+1.md&format=html&lang=en&encoding=shift_jis").unwrap();
        assert_eq!(p.name.as_deref(), Some("原稿 1.md"));
        assert_eq!(p.format, Some(Format::Input(InputFormat::Html)));
        assert_eq!(p.lang, Some(Lang::En));
        assert_eq!(p.encoding, Some(encoding_rs::SHIFT_JIS));
        assert_eq!(CheckParams::parse("").unwrap(), CheckParams::default());
        assert!(CheckParams::parse("format=pdf").unwrap_err().contains("unknown format `pdf`"));
        assert!(CheckParams::parse("nmae=a").unwrap_err().contains("unknown parameter `nmae`"));
        assert!(CheckParams::parse("name=%E5%8").unwrap_err().contains("percent-encoding"));
        assert!(CheckParams::parse("name=%FF").unwrap_err().contains("not UTF-8"));
    }
}
