//! HTML character references: `&name;`, `&#NNN;`, `&#xHH;`.
//!
//! Named references cover the ones Japanese web copy uses; an unknown name
//! stays as written, as browsers leave unknown references. Numeric
//! references follow the WHATWG fix-ups (0 and surrogates become U+FFFD,
//! 0x80–0x9F are read as windows-1252).

/// Named references: name (without `&` and `;`) and character.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("shy", '\u{AD}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("yen", '¥'),
    ("times", '×'),
    ("divide", '÷'),
    ("plusmn", '±'),
    ("deg", '°'),
    ("middot", '·'),
    ("bull", '•'),
    ("hellip", '…'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("minus", '−'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("sect", '§'),
    ("para", '¶'),
    ("micro", 'µ'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("sup1", '¹'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("hearts", '♥'),
    ("star", '☆'),
    ("starf", '★'),
    ("check", '✓'),
    ("cent", '¢'),
    ("pound", '£'),
    ("euro", '€'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("prime", '′'),
    ("Prime", '″'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("permil", '‰'),
    ("infin", '∞'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("asymp", '≈'),
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("mu", 'μ'),
    ("pi", 'π'),
    ("sigma", 'σ'),
    ("omega", 'ω'),
    ("Omega", 'Ω'),
    ("loz", '◊'),
    ("bullet", '•'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("eacute", 'é'),
    ("uuml", 'ü'),
    ("ouml", 'ö'),
    ("auml", 'ä'),
];

/// Windows-1252 meanings of 0x80–0x9F in numeric references.
const C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes the reference at the start of `s` (which starts with `&`),
/// returning the character and the reference's length in bytes.
pub fn decode_reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (num, 10, 2),
        };
        let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len.min(8)], radix).unwrap_or(0x110000);
        let semicolon = usize::from(digits[len..].starts_with(';'));
        let ch = match value {
            0x80..=0x9F => C1[(value - 0x80) as usize],
            0 => '\u{FFFD}',
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        return Some((ch, skip + len + semicolon));
    }
    let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &body[..len];
    let &(_, ch) = NAMED.iter().find(|(n, _)| *n == name)?;
    let semicolon = body[len..].starts_with(';');
    // Without a semicolon only the legacy few are references.
    if !semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
        return None;
    }
    Some((ch, 1 + len + usize::from(semicolon)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_and_numeric_references() {
        assert_eq!(decode_reference("&amp;x"), Some(('&', 5)));
        assert_eq!(decode_reference("&#x6cbb;る"), Some(('治', 8)));
        assert_eq!(decode_reference("&#27835;"), Some(('治', 8)));
        assert_eq!(decode_reference("&#150;"), Some(('–', 6)));
        assert_eq!(decode_reference("&amp"), Some(('&', 4)));
        assert_eq!(decode_reference("&unknown;"), None);
        assert_eq!(decode_reference("& "), None);
        assert_eq!(decode_reference("&#;"), None);
        assert_eq!(decode_reference("&#99999999999;"), Some(('\u{FFFD}', 14)));
    }
}
