//! Encoding detection and decoding.
//!
//! All offsets that iryolint reports are byte offsets into the text as
//! decoded to UTF-8. For a UTF-8 file that is the file's own bytes: a UTF-8
//! byte-order mark is kept in the text (and skipped when counting columns)
//! so that offsets stay those of the file.
//!
//! Copy that cannot be read is never passed on as if it were empty: bytes
//! that are mostly invalid in the encoding chosen are an error
//! ([`DecodeError::Undecodable`]), a few invalid ones a warning, and a
//! declaration that the bytes contradict is reported and overruled.

use encoding_rs::{Encoding, ISO_2022_JP, UTF_16BE, UTF_16LE, UTF_8};

/// The result of decoding one input.
#[derive(Debug)]
pub struct Decoded {
    /// The text as UTF-8.
    pub text: String,
    /// The name of the encoding that was used (`UTF-8`, `Shift_JIS`,
    /// `UTF-16LE`, `UTF-32BE`…).
    pub encoding: &'static str,
    /// 1-based line of the first byte sequence that was not valid in the
    /// encoding (replaced with U+FFFD), if any.
    pub first_invalid_line: Option<usize>,
    /// What a reader should know about how the bytes were read (a
    /// declaration that was overruled), without the file name.
    pub warnings: Vec<String>,
}

impl Decoded {
    /// The warning for bytes replaced with U+FFFD, naming the first such
    /// line of `name` (`lines_before` lines of the file come before this
    /// text), if any were.
    pub fn replaced_bytes_warning(&self, name: &str, lines_before: usize) -> Option<String> {
        self.first_invalid_line.map(|line| {
            format!(
                "{name}:{}: bytes that are not valid {} were replaced with U+FFFD",
                lines_before + line,
                self.encoding
            )
        })
    }
}

/// Why an input could not be decoded at all.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The input looks like a binary file (NUL bytes, and not UTF-16 or
    /// UTF-32 text).
    Binary,
    /// Most of the input is not valid in the encoding chosen: the reason.
    Undecodable(String),
}

/// Looks up an encoding by a WHATWG label (`shift_jis`, `euc-jp`, `utf-8`…).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// A decoded text is refused when more than one character in this many is
/// a replacement for invalid bytes.
const UNDECODABLE_RATIO: usize = 5;

/// How many bytes the detection of BOM-less UTF-16 and UTF-32 looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// The encodings iryolint reads: those of encoding_rs, and UTF-32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Charset {
    Whatwg(&'static Encoding),
    Utf32 { big_endian: bool },
}

impl Charset {
    fn name(self) -> &'static str {
        match self {
            Charset::Whatwg(enc) => enc.name(),
            Charset::Utf32 { big_endian: false } => "UTF-32LE",
            Charset::Utf32 { big_endian: true } => "UTF-32BE",
        }
    }

    /// Decodes `bytes` (without their BOM, but for UTF-8, whose BOM is kept);
    /// returns the text and whether any byte was invalid.
    /// `utf8` is `bytes` as text when they are valid UTF-8, if the caller
    /// has checked already (`None` when it has not, or they are not).
    fn decode(self, bytes: &[u8], utf8: Option<&str>) -> (String, bool) {
        match self {
            Charset::Whatwg(enc) if enc == UTF_8 => match utf8.map(Ok).unwrap_or_else(|| std::str::from_utf8(bytes)) {
                Ok(s) => (s.to_owned(), false),
                Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
            },
            Charset::Whatwg(enc) => {
                let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
                (cow.into_owned(), had_errors)
            }
            Charset::Utf32 { big_endian } => {
                let mut text = String::with_capacity(bytes.len() / 2);
                let mut bad = !bytes.len().is_multiple_of(4);
                for unit in bytes.chunks_exact(4) {
                    let unit: [u8; 4] = unit.try_into().unwrap_or_default();
                    let value = if big_endian { u32::from_be_bytes(unit) } else { u32::from_le_bytes(unit) };
                    text.push(char::from_u32(value).unwrap_or_else(|| {
                        bad = true;
                        '\u{FFFD}'
                    }));
                }
                if !bytes.len().is_multiple_of(4) {
                    text.push('\u{FFFD}');
                }
                (text, bad)
            }
        }
    }
}

/// Decodes `bytes`, detecting the encoding unless `forced` is given.
///
/// Detection order: byte-order mark (UTF-8, UTF-16, UTF-32), BOM-less
/// UTF-16 or UTF-32 recognized by its shape, `<meta charset>` or XML
/// declaration in the first 1024 bytes (unless the bytes contradict it),
/// valid UTF-8, ISO-2022-JP escape sequences, then chardetng's guess with a
/// `.jp` hint.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    let mut warnings = Vec::new();
    // Checked once here, when detection needs it, and not again to decode.
    let mut utf8 = None;
    let (charset, body) = match (bom(bytes), forced) {
        (Some((charset, len)), _) => (charset, if charset == Charset::Whatwg(UTF_8) { bytes } else { &bytes[len..] }),
        (None, Some(enc)) => (Charset::Whatwg(enc), bytes),
        (None, None) => {
            utf8 = std::str::from_utf8(bytes).ok();
            (detect(bytes, utf8.is_some(), &mut warnings)?, bytes)
        }
    };
    let (text, had_errors) = charset.decode(body, utf8);
    let mut first_invalid_line = None;
    if had_errors {
        let replaced = text.matches('\u{FFFD}').count();
        let readable = text.chars().filter(|c| !c.is_whitespace()).count();
        if replaced * UNDECODABLE_RATIO > readable {
            let hint = if forced.is_some() { "check --encoding" } else { "give its encoding with --encoding" };
            return Err(DecodeError::Undecodable(format!(
                "cannot be read as {}: {replaced} of its {readable} characters are invalid bytes ({hint})",
                charset.name()
            )));
        }
        first_invalid_line = Some(first_replacement_line(&text, bytes, charset));
    }
    Ok(Decoded { text, encoding: charset.name(), first_invalid_line, warnings })
}

/// The encoding a byte-order mark announces, and the mark's length.
fn bom(bytes: &[u8]) -> Option<(Charset, usize)> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) && bytes.len().is_multiple_of(4) {
        return Some((Charset::Utf32 { big_endian: false }, 4));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((Charset::Utf32 { big_endian: true }, 4));
    }
    Encoding::for_bom(bytes).map(|(enc, len)| (Charset::Whatwg(enc), len))
}

fn first_replacement_line(text: &str, bytes: &[u8], charset: Charset) -> usize {
    if charset == Charset::Whatwg(UTF_8) {
        // Count in the file's bytes: the first invalid sequence, not a
        // U+FFFD the file itself holds.
        let valid = std::str::from_utf8(bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
        return 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
    }
    let at = text.find('\u{FFFD}').unwrap_or(0);
    1 + text[..at].bytes().filter(|&b| b == b'\n').count()
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// The encoding of `bytes` (`utf8`: whether they are valid UTF-8).
fn detect(bytes: &[u8], utf8: bool, warnings: &mut Vec<String>) -> Result<Charset, DecodeError> {
    if !utf8 || looks_binary(bytes) {
        if let Some(wide) = sniff_wide(bytes) {
            return Ok(wide);
        }
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Some(declared) = prescan_declared_charset(bytes) {
        match check_declaration(bytes, declared, utf8) {
            Ok(charset) => return Ok(charset),
            Err(warning) => warnings.push(warning),
        }
    }
    Ok(Charset::Whatwg(guess(bytes, utf8)))
}

/// The encoding to use for a page that declares `declared`, or why the
/// declaration is overruled.
fn check_declaration(bytes: &[u8], declared: &'static Encoding, utf8: bool) -> Result<Charset, String> {
    let name = declared.name();
    if declared == UTF_16LE || declared == UTF_16BE || declared.name() == "replacement" {
        // The declaration itself was read as ASCII, so the bytes are not
        // UTF-16 (WHATWG reads such a page as UTF-8 too).
        let actual = guess(bytes, utf8);
        return Err(format!("declares {name}, but its bytes are not {name}; read as {}", actual.name()));
    }
    if decodes_cleanly(declared, bytes, utf8) {
        return Ok(Charset::Whatwg(declared));
    }
    // A page that declares one encoding but is valid in another: say so
    // and read what the bytes are. Otherwise keep the declaration (the
    // invalid bytes are reported).
    let actual = guess(bytes, utf8);
    if actual != declared && decodes_cleanly(actual, bytes, utf8) {
        return Err(format!("declares {name}, but its bytes are {}; read as {}", actual.name(), actual.name()));
    }
    Ok(Charset::Whatwg(declared))
}

/// Whether `bytes` hold no invalid sequence in `encoding` (`utf8`: whether
/// they are valid UTF-8, which the caller knows already).
fn decodes_cleanly(encoding: &'static Encoding, bytes: &[u8], utf8: bool) -> bool {
    if encoding == UTF_8 {
        return utf8;
    }
    !Charset::Whatwg(encoding).decode(bytes, None).1
}

/// The encoding of bytes with no BOM and no usable declaration.
fn guess(bytes: &[u8], utf8: bool) -> &'static Encoding {
    if bytes.is_ascii() && bytes.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@") {
        return ISO_2022_JP;
    }
    if utf8 || mostly_utf8(bytes) {
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

/// Recognizes UTF-16 or UTF-32 text without a byte-order mark: code units
/// that are almost all characters of text, with a fair share of ASCII,
/// whitespace, kana or Japanese punctuation. (Shift_JIS read as UTF-16BE
/// is all CJK ideographs, never kana: that share tells them apart.)
fn sniff_wide(bytes: &[u8]) -> Option<Charset> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let candidates = [
        (Charset::Utf32 { big_endian: false }, 4),
        (Charset::Utf32 { big_endian: true }, 4),
        (Charset::Whatwg(UTF_16LE), 2),
        (Charset::Whatwg(UTF_16BE), 2),
    ];
    let mut best: Option<(Charset, usize)> = None;
    for (charset, width) in candidates {
        if !bytes.len().is_multiple_of(width) || sample.len() < 2 * width {
            continue;
        }
        let sample = &sample[..sample.len() - sample.len() % width];
        let big_endian = matches!(charset, Charset::Utf32 { big_endian: true }) || charset == Charset::Whatwg(UTF_16BE);
        let units: Vec<u32> = sample
            .chunks_exact(width)
            .map(|u| {
                let fold = |acc: u32, &b: &u8| (acc << 8) | u32::from(b);
                if big_endian {
                    u.iter().fold(0, fold)
                } else {
                    u.iter().rev().fold(0, fold)
                }
            })
            .collect();
        if let Some(score) = text_score(&units, width == 2) {
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((charset, score));
            }
        }
    }
    best.map(|(charset, _)| charset)
}

/// A score for code units read as text, or None when they are not text:
/// an invalid unit, fewer than 95 % plausible characters, or fewer than
/// 10 % typical ones (ASCII, whitespace, kana, Japanese punctuation).
fn text_score(units: &[u32], utf16: bool) -> Option<usize> {
    let (mut plausible, mut typical) = (0usize, 0usize);
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        i += 1;
        let c = if utf16 && (0xD800..0xDC00).contains(&u) {
            // A surrogate pair: must be followed by a low surrogate.
            match units.get(i) {
                Some(&low) if (0xDC00..0xE000).contains(&low) => {
                    i += 1;
                    plausible += 1;
                    continue;
                }
                // A pair cut by the end of the sample.
                None => continue,
                Some(_) => return None,
            }
        } else {
            char::from_u32(u)?
        };
        match c {
            '\t' | '\n' | '\r' | ' '..='~' | '\u{3000}'..='\u{30FF}' | '\u{FF01}'..='\u{FF9F}' => {
                plausible += 1;
                typical += 1;
            }
            '\u{A0}'..='\u{24F}'
            | '\u{2000}'..='\u{27BF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FEFF}'
            | '\u{FFA0}'..='\u{FFEF}'
            | '\u{10000}'..='\u{10FFFF}' => plausible += 1,
            _ => {}
        }
    }
    let n = units.len();
    (plausible * 100 >= n * 95 && typical * 10 >= n).then_some(plausible + typical)
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
            return Some(enc);
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
            assert_eq!(decoded.encoding, enc.name());
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
        assert_eq!(decode(&bytes, None).unwrap().encoding, "Shift_JIS");
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
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
        assert_eq!(decode(png, None).unwrap_err(), DecodeError::Binary);
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
        text.chars()
            .flat_map(|c| if big_endian { (c as u32).to_be_bytes() } else { (c as u32).to_le_bytes() })
            .collect()
    }

    #[test]
    fn utf32_with_a_bom_is_read() {
        for big_endian in [false, true] {
            let mut bytes = utf32("\u{FEFF}", big_endian);
            bytes.extend(utf32(PAGE, big_endian));
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!(decoded.text, PAGE);
            assert_eq!(decoded.encoding, if big_endian { "UTF-32BE" } else { "UTF-32LE" });
        }
    }

    #[test]
    fn utf16_and_utf32_without_a_bom_are_recognized() {
        let kanji_and_kana = "必ず治ります。副作用はありません";
        let english = "Clinic news: open on Sunday.\n";
        for (text, big_endian, width, name) in [
            (PAGE, false, 2, "UTF-16LE"),
            (PAGE, true, 2, "UTF-16BE"),
            (kanji_and_kana, false, 2, "UTF-16LE"),
            (english, false, 2, "UTF-16LE"),
            (PAGE, false, 4, "UTF-32LE"),
            (PAGE, true, 4, "UTF-32BE"),
        ] {
            let bytes = if width == 2 { utf16(text, big_endian) } else { utf32(text, big_endian) };
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!((decoded.encoding, decoded.text.as_str()), (name, text));
        }
    }

    #[test]
    fn shift_jis_without_ascii_is_not_taken_for_utf16() {
        let (bytes, _, _) = SHIFT_JIS.encode("必ず治ります。副作用はありません。日本一の実績。");
        assert_eq!(decode(&bytes, None).unwrap().encoding, "Shift_JIS");
    }

    #[test]
    fn a_declaration_the_bytes_contradict_is_reported_and_overruled() {
        let page = format!("<?xml version=\"1.0\" encoding=\"utf-16\"?><p>{PAGE}</p>");
        let decoded = decode(page.as_bytes(), None).unwrap();
        assert_eq!((decoded.encoding, decoded.text.as_str()), ("UTF-8", page.as_str()));
        assert_eq!(decoded.warnings, ["declares UTF-16LE, but its bytes are not UTF-16LE; read as UTF-8"]);

        let page = format!("<meta charset=\"euc-jp\"><p>{PAGE}</p>");
        let (bytes, _, _) = SHIFT_JIS.encode(&page);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!((decoded.encoding, decoded.text.as_str()), ("Shift_JIS", page.as_str()));
        assert_eq!(decoded.warnings, ["declares EUC-JP, but its bytes are Shift_JIS; read as Shift_JIS"]);
    }

    #[test]
    fn mostly_invalid_bytes_are_an_error_not_an_empty_page() {
        let (bytes, _, _) = SHIFT_JIS.encode(PAGE);
        let err = decode(&bytes, Some(UTF_8)).unwrap_err();
        assert!(matches!(&err, DecodeError::Undecodable(m) if m.starts_with("cannot be read as UTF-8")), "{err:?}");
    }
}
