//! Encoding detection and decoding.
//!
//! All offsets that iryolint reports are byte offsets into the text as
//! decoded to UTF-8. For a UTF-8 file that is the file's own bytes: a UTF-8
//! byte-order mark is kept in the text (and skipped when counting columns)
//! so that offsets stay those of the file.

use encoding_rs::{Encoding, ISO_2022_JP, UTF_8};

/// The result of decoding one input.
#[derive(Debug)]
pub struct Decoded {
    /// The text as UTF-8.
    pub text: String,
    /// The encoding that was used.
    pub encoding: &'static Encoding,
    /// 1-based line of the first byte sequence that was not valid in the
    /// encoding (replaced with U+FFFD), if any.
    pub first_invalid_line: Option<usize>,
}

/// Why an input could not be decoded at all.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The input looks like a binary file (NUL bytes, no UTF-16 BOM).
    Binary,
}

/// Looks up an encoding by a WHATWG label (`shift_jis`, `euc-jp`, `utf-8`…).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes`, detecting the encoding unless `forced` is given.
///
/// Detection order: byte-order mark, `<meta charset>` or XML declaration in
/// the first 1024 bytes, valid UTF-8, ISO-2022-JP escape sequences, then
/// chardetng's guess with a `.jp` hint.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(bytes);
    let encoding = match (forced, bom) {
        (_, Some((enc, _))) => enc,
        (Some(enc), None) => enc,
        (None, None) => {
            if looks_binary(bytes) {
                return Err(DecodeError::Binary);
            }
            detect(bytes)
        }
    };
    let (text, first_invalid_line) = if encoding == UTF_8 {
        decode_utf8_keeping_bom(bytes)
    } else {
        let (cow, _, had_errors) = encoding.decode(bytes);
        let text = cow.into_owned();
        let line = had_errors.then(|| first_replacement_line(&text));
        (text, line)
    };
    Ok(Decoded { text, encoding, first_invalid_line })
}

fn decode_utf8_keeping_bom(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let valid = e.valid_up_to();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
            (String::from_utf8_lossy(bytes).into_owned(), Some(line))
        }
    }
}

fn first_replacement_line(text: &str) -> usize {
    let at = text.find('\u{FFFD}').unwrap_or(0);
    1 + text[..at].bytes().filter(|&b| b == b'\n').count()
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some(enc) = prescan_declared_charset(bytes) {
        // A page that declares UTF-8 but is not valid UTF-8 is still
        // decoded as declared: the invalid bytes are reported.
        return enc;
    }
    if bytes.is_ascii() && bytes.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@") {
        return ISO_2022_JP;
    }
    if mostly_utf8(bytes) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(Some(b"jp"), chardetng::Utf8Detection::Allow)
}

/// True when `bytes` is UTF-8 but for a few damaged sequences: at least
/// ten well-formed non-ASCII characters for each bad one. Legacy Japanese
/// encodings read as UTF-8 are almost all bad sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    bad == 0 || good >= 10 * bad
}

/// Finds `charset=…` in a `<meta>` tag or `encoding="…"` in an XML
/// declaration within the first 1024 bytes.
fn prescan_declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let find_value_after = |key: &[u8]| -> Option<&'static Encoding> {
        let mut from = 0;
        while let Some(pos) = find(&lower[from..], key) {
            let start = from + pos + key.len();
            let rest = &lower[start..];
            let rest =
                rest.iter().position(|&b| !matches!(b, b' ' | b'=' | b'"' | b'\'')).map(|i| &rest[i..]).unwrap_or(&[]);
            let end =
                rest.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..end]) {
                return Some(enc);
            }
            from = start;
        }
        None
    };
    if find(&lower, b"<meta").is_some() {
        if let Some(enc) = find_value_after(b"charset") {
            // WHATWG: a declared UTF-16 in a meta tag means UTF-8.
            return Some(if enc.is_single_byte() || enc.output_encoding() == UTF_8 {
                enc.output_encoding()
            } else {
                enc
            });
        }
    }
    if lower.starts_with(b"<?xml") {
        return find_value_after(b"encoding");
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_JP, SHIFT_JIS};

    const PAGE: &str = "エクソソーム点滴で必ず治ります。\n副作用はありません。\n";

    #[test]
    fn detects_legacy_japanese_encodings() {
        for enc in [SHIFT_JIS, EUC_JP, ISO_2022_JP] {
            let (bytes, _, _) = enc.encode(PAGE);
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!(decoded.encoding, enc, "{}", enc.name());
            assert_eq!(decoded.text, PAGE);
            assert_eq!(decoded.first_invalid_line, None);
        }
    }

    #[test]
    fn utf8_bom_is_kept_so_offsets_are_the_files() {
        let bytes = [b"\xEF\xBB\xBF".as_slice(), PAGE.as_bytes()].concat();
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text.as_bytes(), &bytes[..]);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in PAGE.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, PAGE);
    }

    #[test]
    fn meta_charset_wins_over_guessing() {
        let html = "<html><head><meta charset=\"Shift_JIS\"></head><body>治療</body>";
        let (bytes, _, _) = SHIFT_JIS.encode(html);
        assert_eq!(decode(&bytes, None).unwrap().encoding, SHIFT_JIS);
    }

    #[test]
    fn invalid_utf8_reports_its_line() {
        let bytes = b"ok\nstill ok\nbad \xff here\n";
        let decoded = decode(bytes, None).unwrap();
        assert_eq!(decoded.first_invalid_line, Some(3));
        assert!(decoded.text.contains('\u{FFFD}'));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"\x7fELF\0\0\x01", None).unwrap_err(), DecodeError::Binary);
    }
}
