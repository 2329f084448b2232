//! The HTTP responses inside WARC records: status line, headers, and the
//! payload with its transfer and content encodings undone.

use std::io::{BufRead, Read};

use super::jsonl::{read_line_capped, Line};

/// The longest header line read.
const MAX_HEADER_LINE: usize = 64 << 10;
/// The most header lines read.
const MAX_HEADERS: usize = 512;

/// The status line and headers of a response.
#[derive(Debug, Default)]
pub struct Head {
    /// The status code (200, 404…).
    pub status: u16,
    /// Header names (as sent) and values (trimmed), in order.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads header lines up to the blank line that ends them: `Name: value`,
/// with folded continuation lines joined. Returns the lines' fields.
pub fn read_fields(reader: &mut impl BufRead) -> Result<Vec<(String, String)>, String> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match read_line_capped(reader, &mut buf, MAX_HEADER_LINE).map_err(|e| e.to_string())? {
            Line::End => return Err("the headers end before their blank line".to_string()),
            Line::TooLong(_) => return Err(format!("a header line is longer than {} KiB", MAX_HEADER_LINE >> 10)),
            Line::Read => {}
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            return Ok(fields);
        }
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                    continue;
                }
                None => return Err(format!("a continuation line before any header: `{}`", clip(line))),
            }
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("not a header line: `{}`", clip(line)));
        };
        if fields.len() == MAX_HEADERS {
            return Err(format!("more than {MAX_HEADERS} header lines"));
        }
        fields.push((name.trim().to_string(), value.trim().to_string()));
    }
}

/// Reads an HTTP response's status line and headers.
pub fn read_head(reader: &mut impl BufRead) -> Result<Head, String> {
    let mut buf = Vec::new();
    match read_line_capped(reader, &mut buf, MAX_HEADER_LINE).map_err(|e| e.to_string())? {
        Line::Read => {}
        _ => return Err("no HTTP status line".to_string()),
    }
    let line = String::from_utf8_lossy(&buf);
    let line = line.trim_end();
    let mut parts = line.split_ascii_whitespace();
    let status = match (parts.next(), parts.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/") => code.parse::<u16>().ok(),
        _ => None,
    };
    let Some(status) = status else {
        return Err(format!("not an HTTP status line: `{}`", clip(line)));
    };
    Ok(Head { status, headers: read_fields(reader)? })
}

/// The media type (lowercased) and charset of a `Content-Type` value.
pub fn parse_content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']).to_string())
    });
    (media, charset.filter(|c| !c.is_empty()))
}

/// Whether a media type is HTML.
pub fn is_html(media: &str) -> bool {
    media == "text/html" || media == "application/xhtml+xml"
}

/// The payload of a response whose raw body is `raw`: chunked transfer
/// coding removed, then gzip or deflate content coding, holding at most
/// `limit` bytes.
///
/// Crawlers differ in what they store: some keep the bytes as they came,
/// others store the decoded payload but keep the headers. A body that
/// does not parse as chunked, or does not start like gzip, is taken as
/// already decoded.
pub fn payload(raw: Vec<u8>, head: &Head, limit: usize) -> Result<Vec<u8>, String> {
    let chunked = head.header("Transfer-Encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked { dechunk(&raw).unwrap_or(raw) } else { raw };
    let coding = head.header("Content-Encoding").unwrap_or("").trim().to_ascii_lowercase();
    match coding.as_str() {
        "" | "identity" => Ok(body),
        "gzip" | "x-gzip" if !body.starts_with(&[0x1f, 0x8b]) => Ok(body),
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(body.as_slice()), limit),
        "deflate" => {
            // Servers send either zlib-wrapped or raw deflate.
            inflate(flate2::read::ZlibDecoder::new(body.as_slice()), limit)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(body.as_slice()), limit))
        }
        other => Err(format!("unsupported Content-Encoding `{other}`")),
    }
}

fn inflate(decoder: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder.take(limit as u64 + 1).read_to_end(&mut out).map_err(|e| format!("cannot decompress the payload: {e}"))?;
    if out.len() > limit {
        return Err(format!("the page is over the {} limit once decompressed", super::size_text(limit as u64)));
    }
    Ok(out)
}

/// Removes chunked transfer coding; `None` when `raw` is not chunked.
fn dechunk(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    loop {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..end]).ok()?.trim();
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[end + 1..];
        if size == 0 {
            return Some(out); // trailers, if any, are not payload
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = &rest[size..];
        rest = rest.strip_prefix(b"\r\n").or_else(|| rest.strip_prefix(b"\n"))?;
    }
}

fn clip(line: &str) -> String {
    line.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn head_with_folded_headers() {
        let mut input: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=Shift_JIS\r\nX: 1\r\n\r\nbody";
        let head = read_head(&mut input).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-type"), Some("text/html; charset=Shift_JIS"));
        assert_eq!(input, b"body");
        let (media, charset) = parse_content_type(head.header("Content-Type").unwrap());
        assert_eq!((media.as_str(), charset.as_deref()), ("text/html", Some("Shift_JIS")));
    }

    #[test]
    fn bad_heads_are_errors() {
        assert!(read_head(&mut &b"<html>\r\n\r\n"[..]).unwrap_err().starts_with("not an HTTP status line"));
        assert_eq!(
            read_head(&mut &b"HTTP/1.1 200 OK\r\nA: b\r\n"[..]).unwrap_err(),
            "the headers end before their blank line"
        );
        assert!(read_head(&mut &b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n"[..])
            .unwrap_err()
            .starts_with("not a header line"));
    }

    #[test]
    fn quoted_charset() {
        assert_eq!(parse_content_type("Text/HTML; Charset=\"EUC-JP\"").1.as_deref(), Some("EUC-JP"));
        assert_eq!(parse_content_type("text/html").1, None);
    }

    fn head(headers: &[(&str, &str)]) -> Head {
        Head { status: 200, headers: headers.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect() }
    }

    #[test]
    fn chunked_and_gzip_payloads() {
        let page = "<p>当院の治療</p>".as_bytes();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(page).unwrap();
        let gz = gz.finish().unwrap();
        let mut chunked = format!("{:x}\r\n", 5).into_bytes();
        chunked.extend_from_slice(&gz[..5]);
        chunked.extend_from_slice(format!("\r\n{:x};ext=1\r\n", gz.len() - 5).as_bytes());
        chunked.extend_from_slice(&gz[5..]);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let h = head(&[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]);
        assert_eq!(payload(chunked, &h, 1 << 20).unwrap(), page);
        // Stored decoded although the headers say otherwise.
        assert_eq!(payload(page.to_vec(), &h, 1 << 20).unwrap(), page);
        // Decompression is capped.
        let err = payload(gz, &head(&[("Content-Encoding", "gzip")]), 4).unwrap_err();
        assert_eq!(err, "the page is over the 4 bytes limit once decompressed");
        let err = payload(page.to_vec(), &head(&[("Content-Encoding", "br")]), 1 << 20).unwrap_err();
        assert_eq!(err, "unsupported Content-Encoding `br`");
    }
}
