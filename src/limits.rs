//! Limits that keep one run's time and memory bounded on hostile input.
//!
//! Each has a default that no real page or draft comes near, and can be
//! raised (or lowered) on the command line or in the config file; see
//! RELIABILITY.md. An input over a limit is an error that names the file
//! and the limit, never a silent "0 findings".

use std::fmt;

/// The limits of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input checked, in bytes: a file, standard input, or the
    /// plain-text view of a .docx.
    pub max_file_bytes: u64,
    /// Largest `word/document.xml` a .docx may inflate to, in bytes.
    pub max_docx_xml_bytes: u64,
    /// Most findings reported for one file (`0`: no limit); the rest are
    /// counted in a warning.
    pub max_findings_per_file: usize,
    /// Longest sentence, in characters, that rules look at whole: a longer
    /// run of text without 。 is cut into pieces of this length, so that
    /// what looks at a candidate's sentence or clause stays bounded.
    pub max_sentence_chars: usize,
}

/// The largest `--max-file-size` (and `--max-docx-size`) accepted: 2 GiB.
/// Source offsets are 32-bit inside the text model, and decoding may grow
/// a text by half (Shift_JIS and UTF-16 to UTF-8).
pub const MAX_ALLOWED_BYTES: u64 = 2 << 30;

/// Default largest input: 32 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 32 << 20;
/// Default largest inflated `word/document.xml`: 64 MiB.
pub const DEFAULT_MAX_DOCX_XML_BYTES: u64 = 64 << 20;
/// Default most findings per file.
pub const DEFAULT_MAX_FINDINGS_PER_FILE: usize = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_docx_xml_bytes: DEFAULT_MAX_DOCX_XML_BYTES,
            max_findings_per_file: DEFAULT_MAX_FINDINGS_PER_FILE,
            max_sentence_chars: crate::text::MAX_SENTENCE_CHARS,
        }
    }
}

impl Limits {
    /// Checks that the limits are ones iryolint can keep.
    pub fn validate(&self) -> Result<(), String> {
        for (flag, value) in [("--max-file-size", self.max_file_bytes), ("--max-docx-size", self.max_docx_xml_bytes)] {
            if value > MAX_ALLOWED_BYTES {
                return Err(format!("{flag}: at most {} (got {})", human_size(MAX_ALLOWED_BYTES), human_size(value)));
            }
        }
        if self.max_sentence_chars == 0 {
            return Err("--max-sentence-chars: at least 1 (got 0)".to_string());
        }
        Ok(())
    }
}

/// A size in bytes as given on the command line or in the config:
/// `1048576`, `512K`, `64M`, `64MiB`, `2G` (binary multiples).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl std::str::FromStr for ByteSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(digits);
        let number: u64 = number.parse().map_err(|_| format!("`{s}` is not a size (say 64M or 1048576)"))?;
        let shift = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 0,
            "k" | "kb" | "kib" => 10,
            "m" | "mb" | "mib" => 20,
            "g" | "gb" | "gib" => 30,
            _ => return Err(format!("`{s}`: unknown unit `{unit}` (use K, M or G)")),
        };
        number.checked_mul(1 << shift).map(ByteSize).ok_or_else(|| format!("`{s}` is too large"))
    }
}

impl<'de> serde::Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Ok(ByteSize(n)),
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&human_size(self.0))
    }
}

/// A byte count for messages: `64 MiB`, `512 KiB`, `1000 bytes`.
pub fn human_size(bytes: u64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        let parse = |s: &str| s.parse::<ByteSize>().map(|b| b.0);
        assert_eq!(parse("1048576"), Ok(1 << 20));
        assert_eq!(parse("512K"), Ok(512 << 10));
        assert_eq!(parse("64MiB"), Ok(64 << 20));
        assert_eq!(parse(" 2 g "), Ok(2 << 30));
        assert!(parse("lots").is_err());
        assert!(parse("3X").unwrap_err().contains("unknown unit"));
        assert!(parse("99999999999999999999G").is_err());
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[test]
    fn limits_stay_within_32_bit_offsets() {
        assert_eq!(Limits::default().validate(), Ok(()));
        let huge = Limits { max_file_bytes: 3 << 30, ..Limits::default() };
        assert_eq!(huge.validate(), Err("--max-file-size: at most 2 GiB (got 3 GiB)".to_string()));
    }
}
