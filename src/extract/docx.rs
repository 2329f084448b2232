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

/// The most of `word/document.xml` read, uncompressed: far above any real
/// draft, and a bound on what a crafted archive (a zip bomb) can take.
pub const MAX_DOCUMENT_XML_BYTES: u64 = 256 << 20;

/// Reads the plain-text view of a .docx file.
pub fn plain_text(bytes: &[u8]) -> Result<String, String> {
    plain_text_limited(bytes, MAX_DOCUMENT_XML_BYTES)
}

fn plain_text_limited(bytes: &[u8], limit: u64) -> Result<String, String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("an encrypted or legacy (.doc) Word file; save it as an unencrypted .docx".into());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a valid .docx (zip) archive: {e}"))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "not a .docx: word/document.xml is missing".to_string())?
        .take(limit + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > limit {
        return Err(format!("word/document.xml is larger than {} MiB uncompressed", limit >> 20));
    }
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

    #[test]
    fn document_xml_past_the_limit_is_an_error() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, "<w:p><w:t>あ</w:t></w:p>".repeat(100_000).as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 100_000, "compressed well below what it unpacks to");
        assert_eq!(plain_text(&bytes).unwrap().len(), 400_000);
        let err = plain_text_limited(&bytes, 1 << 20).unwrap_err();
        assert!(err.contains("larger than 1 MiB uncompressed"), "{err}");
    }

    #[test]
    fn non_zip_input_is_a_clear_error() {
        assert!(plain_text(b"PK\x03\x04garbage").unwrap_err().contains("not a valid .docx"));
        assert!(plain_text(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err().contains("encrypted"));
    }
}
