//! Messages on standard error: one line each, `iryolint: …`.
//!
//! Writing them never fails the run: a closed or full standard error is
//! ignored (the exit code still tells what happened). Control characters
//! from file names or copy are shown escaped, so that a hostile name
//! cannot drive the terminal.

use std::borrow::Cow;
use std::io::Write;

/// Prints `iryolint: {message}`.
pub fn error(message: &str) {
    line("", message);
}

/// Prints `iryolint: warning: {message}`.
pub fn warning(message: &str) {
    line("warning: ", message);
}

/// Prints `iryolint: note: {message}`.
pub fn note(message: &str) {
    line("note: ", message);
}

fn line(kind: &str, message: &str) {
    let text = format!("iryolint: {kind}{}\n", printable(message));
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `s` with every control character but tab and newline (C0, DEL, C1, and
/// the bidirectional overrides) written as `\u{…}`, so that it prints as
/// what it is.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if is_unsafe(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect())
}

/// `s` with every control character, line breaks and tabs included,
/// escaped (`\n`, `\u{1b}`): for text quoted inside a one-line message
/// (a value from a config file, a glob), so the message stays one line.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect())
}

/// Characters that a terminal would act on instead of showing.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}]0;x\u{7}b\tc"), "a\\u{1b}]0;x\\u{7}b\tc");
        assert_eq!(printable("\u{9b}31m\u{202e}"), "\\u{9b}31m\\u{202e}");
        assert!(matches!(printable("普通の名前.txt"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_escapes_line_breaks_too() {
        assert_eq!(one_line("a\nb\r\tc\u{1b}"), "a\\nb\\r\\tc\\u{1b}");
        assert!(matches!(one_line("普通の `値`"), Cow::Borrowed(_)));
    }
}
