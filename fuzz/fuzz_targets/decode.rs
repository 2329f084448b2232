//! Decoding: the first byte chooses detection or a forced encoding, the
//! rest is the input. No panic; the line of the first invalid byte is a
//! line of the text; the text is linted with exact spans.
#![no_main]

mod common;

use encoding_rs::{EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use iryolint::extract::InputFormat;
use iryolint::lint::lint_format;
use iryolint::source::{decode, DecodeError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let forced = match mode % 8 {
        1 => Some(SHIFT_JIS),
        2 => Some(EUC_JP),
        3 => Some(UTF_8),
        4 => Some(UTF_16LE),
        5 => Some(UTF_16BE),
        6 => Some(ISO_2022_JP),
        _ => None,
    };
    match decode(bytes, forced) {
        Ok(decoded) => {
            if let Some(line) = decoded.first_invalid_line {
                let lines = 1 + decoded.text.matches('\n').count();
                assert!(line >= 1 && line <= lines, "invalid byte on line {line} of {lines}");
            }
            if forced.is_none() && decoded.encoding == "UTF-8" && std::str::from_utf8(bytes).is_ok() {
                assert_eq!(decoded.text.as_bytes(), bytes, "valid UTF-8 is its own text");
            }
            let set = common::rule_set();
            let report = lint_format("page.txt", decoded.text, InputFormat::Text, set);
            common::invariants::check_spans(&report, InputFormat::Text);
        }
        Err(DecodeError::Binary) => assert!(forced.is_none(), "a forced encoding never calls bytes binary"),
        Err(DecodeError::Undecodable(why)) => assert!(why.starts_with("cannot be read as "), "{why}"),
    }
});
