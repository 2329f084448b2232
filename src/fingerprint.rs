//! Fingerprints: what identifies a finding across runs, computed once per
//! file when it is checked, for runs whose output or baseline reads them
//! ([`crate::lint::Fingerprints`]).
//!
//! A fingerprint hashes the rule, the folded text of the span, the folded
//! text of its line and its rank among the findings of the same rule and
//! text on identical lines (`exact`), or only the rule and the text
//! (`loose`). The path is left out, so that a file renamed with its content
//! unchanged keeps its fingerprints; baselines and CI formats pair a
//! fingerprint with the path themselves.
//!
//! Fingerprinting is linear in the number of findings: each line is folded
//! once, and a line longer than [`LONG_LINE_BYTES`] once folded enters the
//! fingerprint as its own 64-bit digest rather than whole, so that many
//! findings on one huge line do not hash it again and again.

use std::collections::HashMap;

use crate::lint::Finding;
use crate::rules::RuleSet;
use crate::source::LineIndex;
use crate::text::normalize::fold_str_keeping_spellings as fold_str;

/// A folded line longer than this stands in fingerprints for its digest.
pub const LONG_LINE_BYTES: usize = 4096;

/// The two fingerprints of a finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Survives lines moving and the file being renamed; changes when the
    /// finding's line is edited.
    pub exact: u64,
    /// Survives edits of the line too.
    pub loose: u64,
}

impl Fingerprint {
    /// The fingerprint of this finding in the file at `path` (a path
    /// relative to the project root), as 16 hex digits: unique within a
    /// report, for formats that need one string (SARIF, GitLab).
    pub fn in_file(&self, path: &str) -> String {
        hex(fnv1a(&[path, &hex(self.exact)]))
    }
}

/// `value` as 16 lowercase hex digits.
pub fn hex(value: u64) -> String {
    format!("{value:016x}")
}

/// Parses 16 hex digits.
pub fn parse_hex(s: &str) -> Option<u64> {
    (s.len() == 16).then(|| u64::from_str_radix(s, 16).ok()).flatten()
}

/// FNV-1a, 64 bits: small, stable across platforms and releases. Each part
/// is followed by a 0xff byte, which UTF-8 never holds.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// Sets the fingerprint of every finding of a file whose decoded text is
/// `text`; `findings` are in report order.
pub fn stamp(findings: &mut [Finding], text: &str, lines: &LineIndex, set: &RuleSet) {
    // Each line's fingerprint text, folded once per line; identical lines
    // share an id, so that ranks count across them.
    let mut line_ids: HashMap<usize, usize> = HashMap::new();
    let mut ids_by_text: HashMap<String, usize> = HashMap::new();
    let mut line_texts: Vec<String> = Vec::new();
    let mut seen: HashMap<(usize, String, usize), usize> = HashMap::new();
    for f in findings {
        let folded = fold_str(&f.text);
        let line_id = *line_ids.entry(f.start.line).or_insert_with(|| {
            let line = fold_str(&text[lines.line_range(text, f.start.line)]);
            let line = if line.len() > LONG_LINE_BYTES { hex(fnv1a(&[&line])) } else { line };
            *ids_by_text.entry(line).or_insert_with_key(|line| {
                line_texts.push(line.clone());
                line_texts.len() - 1
            })
        });
        let rule = &set.rules[f.rule].id;
        let rank = seen.entry((f.rule, folded.clone(), line_id)).or_insert(0);
        *rank += 1;
        f.fingerprint = Fingerprint {
            exact: fnv1a(&[rule, &folded, &line_texts[line_id], &rank.to_string()]),
            loose: fnv1a(&[rule, &folded]),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint_text;
    use crate::rules::Pack;

    fn test_rules() -> RuleSet {
        let mut pack = Pack::default();
        pack.add_file("tests/data/test-rules.toml", include_str!("../tests/data/test-rules.toml")).unwrap();
        pack.validate().unwrap();
        RuleSet::compile(pack, |_| true).unwrap()
    }

    #[test]
    fn fingerprints_hash_rule_text_line_and_rank_but_not_the_path() {
        let set = test_rules();
        let text = "ぴよぴよ体操。ぴよぴよ体操。\n別の行のぴよぴよ体操。\nぴよぴよ体操。ぴよぴよ体操。\nふがふが体操\n";
        let a = lint_text("a/page.txt", text, &set);
        let b = lint_text("renamed.txt", text, &set);
        let got: Vec<Fingerprint> = a.findings.iter().map(|f| f.fingerprint).collect();
        assert_eq!(got, b.findings.iter().map(|f| f.fingerprint).collect::<Vec<_>>());
        let rule = &set.rules[a.findings[0].rule].id;
        let line = "ぴよぴよ体操。ぴよぴよ体操。";
        let exact = |line: &str, rank: &str| fnv1a(&[rule, "ぴよぴよ体操", line, rank]);
        // Lines 1 and 3 are identical: ranks count across them.
        assert_eq!(got[0].exact, exact(line, "1"));
        assert_eq!(got[1].exact, exact(line, "2"));
        assert_eq!(got[2].exact, exact("別の行のぴよぴよ体操。", "1"));
        assert_eq!(got[3].exact, exact(line, "3"));
        assert!(got[..5].iter().all(|f| f.loose == fnv1a(&[rule, "ぴよぴよ体操"])));
        assert_ne!(got[0].in_file("a/page.txt"), got[0].in_file("renamed.txt"));
    }

    #[test]
    fn a_long_line_enters_as_its_digest() {
        let set = test_rules();
        let text = "ぴよぴよ体操。".repeat(400);
        let report = lint_text("page.txt", &text, &set);
        assert_eq!(report.findings.len(), 400);
        let digest = hex(fnv1a(&[&fold_str(&text)]));
        let rule = &set.rules[report.findings[0].rule].id;
        let exact = |rank: usize| fnv1a(&[rule, "ぴよぴよ体操", &digest, &rank.to_string()]);
        assert_eq!(
            (report.findings[0].fingerprint.exact, report.findings[399].fingerprint.exact),
            (exact(1), exact(400))
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(parse_hex(&hex(0x0123_4567_89ab_cdef)), Some(0x0123_4567_89ab_cdef));
        assert_eq!(parse_hex("xyz"), None);
    }
}
