//! Word drafts (.docx): paragraphs and table cells in document order, as a
//! plain-text view with one paragraph per line.
//!
//! Positions in a .docx are given in that view: `line` is the paragraph
//! number (1-based, counting empty paragraphs and each table-cell
//! paragraph), `column` the character in it, and `offset` a byte offset
//! into the view. Tabs become tab characters and manual line breaks inside
//! a paragraph become spaces, so that line and paragraph numbers agree.
//! Deleted revisions, field codes and the fallback copies of text boxes
//! are not read.

use std::io::Read;

use zip::result::ZipError;

/// Reads the plain-text view of a .docx file whose `word/document.xml`
/// inflates to at most `max_xml_bytes` (a larger one is an error, found
/// before anything is inflated when the archive tells the size, and after
/// `max_xml_bytes` when it lies, so memory stays bounded either way).
pub fn plain_text(bytes: &[u8], max_xml_bytes: u64) -> Result<String, String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("an encrypted or legacy (.doc) Word file; save it as an unencrypted .docx".into());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a valid .docx (zip) archive: {e}"))?;
    let entry = archive.by_name("word/document.xml").map_err(|e| match e {
        ZipError::FileNotFound => "not a .docx: word/document.xml is missing".to_string(),
        ZipError::UnsupportedArchive(why) if why == ZipError::PASSWORD_REQUIRED => {
            "an encrypted .docx (password protected); save it without a password".to_string()
        }
        e => format!("cannot read word/document.xml: {e}"),
    })?;
    let too_big = || {
        format!(
            "word/document.xml inflates to more than {} (the limit; raise it with --max-docx-size)",
            crate::limits::human_size(max_xml_bytes)
        )
    };
    if entry.size() > max_xml_bytes {
        return Err(too_big());
    }
    let mut xml = Vec::with_capacity(entry.size() as usize);
    entry.take(max_xml_bytes + 1).read_to_end(&mut xml).map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > max_xml_bytes {
        return Err(too_big());
    }
    let xml = String::from_utf8(xml)
        .map_err(|e| format!("word/document.xml is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))?;
    Ok(view_of_document_xml(&xml))
}

/// Turns WordprocessingML into one line per paragraph.
fn view_of_document_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_text = false;
    let mut skip_depth = 0usize;
    let mut paragraph_open = false;
    let mut i = 0;
    while let Some(lt) = xml[i..].find('<') {
        let at = i + lt;
        if in_text && skip_depth == 0 {
            decode_xml_text(&xml[i..at], &mut out);
        }
        let Some(gt) = xml[at..].find('>') else { break };
        let tag = &xml[at + 1..at + gt];
        i = at + gt + 1;
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        match name {
            "mc:Fallback" | "w:delText" | "w:instrText" => {
                if closing {
                    skip_depth = skip_depth.saturating_sub(1);
                } else if !self_closing {
                    skip_depth += 1;
                }
            }
            "w:t" => in_text = !closing && !self_closing,
            "w:p" if skip_depth == 0 => {
                if closing || self_closing {
                    out.push('\n');
                    paragraph_open = false;
                } else {
                    paragraph_open = true;
                }
            }
            "w:tab" if !closing && skip_depth == 0 && paragraph_open => out.push('\t'),
            "w:br" | "w:cr" if !closing && skip_depth == 0 && paragraph_open => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Appends XML character data with its five entities and numeric
/// references decoded.
fn decode_xml_text(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            out.push_str(&rest[amp..]);
            return;
        };
        let name = &after[..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| name.strip_prefix('#').map(|d| d.parse::<u32>()))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines_and_revisions_are_dropped() {
        let xml = r#"<w:document><w:body>
<w:p><w:r><w:t>必ず</w:t></w:r><w:r><w:t xml:space="preserve">治ります&amp;</w:t></w:r></w:p>
<w:p/>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>費用</w:t><w:tab/><w:t>1万円</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:del><w:r><w:delText>日本一</w:delText></w:r></w:del><w:r><w:t>当院</w:t><w:br/><w:t>&#x6cbb;療</w:t></w:r></w:p>
</w:body></w:document>"#;
        assert_eq!(view_of_document_xml(xml), "必ず治ります&\n\n費用\t1万円\n当院 治療\n");
    }

    const LIMIT: u64 = 1 << 20;

    #[test]
    fn document_xml_past_the_limit_is_an_error() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, "<w:p><w:t>あ</w:t></w:p>".repeat(100_000).as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 100_000, "compressed well below what it unpacks to");
        let default = crate::limits::DEFAULT_MAX_DOCX_XML_BYTES;
        assert_eq!(plain_text(&bytes, default).unwrap().len(), 400_000);
        let err = plain_text(&bytes, LIMIT).unwrap_err();
        assert!(err.contains("inflates to more than 1 MiB"), "{err}");
    }

    #[test]
    fn non_zip_input_is_a_clear_error() {
        assert!(plain_text(b"PK\x03\x04garbage", LIMIT).unwrap_err().contains("not a valid .docx"));
        assert!(plain_text(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], LIMIT).unwrap_err().contains("encrypted"));
    }

    /// A .docx holding `xml` as word/document.xml, deflated.
    fn docx(xml: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(xml).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_document_that_inflates_past_the_limit_is_refused() {
        let body = "必ず治ります".repeat(100_000);
        let xml = format!("<w:document><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>");
        let bytes = docx(xml.as_bytes());
        assert!(bytes.len() < 100_000, "compresses well: {}", bytes.len());
        let err = plain_text(&bytes, LIMIT).unwrap_err();
        assert_eq!(err, "word/document.xml inflates to more than 1 MiB (the limit; raise it with --max-docx-size)");
        assert_eq!(plain_text(&bytes, 4 * LIMIT).unwrap(), format!("{body}\n"));
    }

    #[test]
    fn an_archive_that_understates_the_size_is_still_bounded() {
        let body = "必ず治ります".repeat(100_000);
        let xml = format!("<w:document><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>");
        let mut bytes = docx(xml.as_bytes());
        // Declare 100 bytes in the local header and the central directory.
        for (signature, size_at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let at = bytes.windows(4).position(|w| w == signature).unwrap();
            bytes[at + size_at..at + size_at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        // The zip reader stops at the declared size; `take` would stop at
        // the limit otherwise.
        let err = plain_text(&bytes, LIMIT).unwrap_err();
        assert_eq!(err, "cannot read word/document.xml: File is larger than its declared uncompressed size");
    }

    #[test]
    fn an_encrypted_entry_is_reported_as_encrypted() {
        let mut bytes = docx(b"<w:document/>");
        // Set the "encrypted" flag (bit 0 of the general-purpose flags) in
        // the local header and in the central directory, as ZipCrypto does.
        for (signature, flags_at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
            let at = bytes.windows(4).position(|w| w == signature).unwrap();
            bytes[at + flags_at] |= 1;
        }
        let err = plain_text(&bytes, LIMIT).unwrap_err();
        assert_eq!(err, "an encrypted .docx (password protected); save it without a password");
    }
}
