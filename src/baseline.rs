//! Baselines: record today's findings so that only new ones are reported.
//!
//! A finding's fingerprint hashes its path, rule, the folded text of its
//! span and its rank among the findings of the same rule and text in the
//! file, so it survives edits elsewhere in the file (lines shifting) and
//! changes of width or wrapping inside the span.
//!
//! Fingerprinting and filtering are linear in the number of findings: each
//! line is folded once, and a line longer than [`LONG_LINE_BYTES`] once
//! folded enters the exact fingerprint as its own 64-bit digest rather than
//! whole, so that many findings on one huge line do not hash it again and
//! again.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::lint::FileReport;
use crate::rules::RuleSet;
use crate::source::LineIndex;
use crate::text::normalize::fold_str;

/// The baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// Known findings.
    pub findings: Vec<Entry>,
}

/// One known finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path as reported.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// Text of the span, for people reading the file.
    pub text: String,
    /// The exact fingerprint (16 hex digits).
    pub fingerprint: String,
    /// The loose fingerprint (16 hex digits).
    pub loose: String,
}

/// A folded line longer than this stands in fingerprints for its digest.
pub const LONG_LINE_BYTES: usize = 4096;

/// FNV-1a, 64 bits: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// The two fingerprints of a finding: `exact` hashes the path, rule, the
/// folded text of the span, the folded text of its line and its rank among
/// identical ones; `loose` leaves out the line and rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Survives lines moving; changes when the finding's line is edited.
    pub exact: String,
    /// Survives edits of the line too.
    pub loose: String,
}

/// The fingerprints of every finding of `report`, in order.
pub fn fingerprints(report: &FileReport, set: &RuleSet) -> Vec<Fingerprint> {
    let lines = LineIndex::new(&report.text);
    let path = report.path.replace('\\', "/");
    // Each line's fingerprint text, folded once per line; identical lines
    // share an id, so that ranks count across them as they always have.
    let mut line_ids: HashMap<usize, usize> = HashMap::new();
    let mut ids_by_text: HashMap<String, usize> = HashMap::new();
    let mut line_texts: Vec<String> = Vec::new();
    let mut seen: HashMap<(usize, String, usize), usize> = HashMap::new();
    report
        .findings
        .iter()
        .map(|f| {
            let text = fold_str(&f.text);
            let line_id = *line_ids.entry(f.start.line).or_insert_with(|| {
                let folded = fold_str(&report.text[lines.line_range(&report.text, f.start.line)]);
                let text = if folded.len() > LONG_LINE_BYTES { format!("{:016x}", fnv1a(&[&folded])) } else { folded };
                *ids_by_text.entry(text).or_insert_with_key(|text| {
                    line_texts.push(text.clone());
                    line_texts.len() - 1
                })
            });
            let line = &line_texts[line_id];
            let rule = &set.rules[f.rule].id;
            let rank = seen.entry((f.rule, text.clone(), line_id)).or_insert(0);
            *rank += 1;
            Fingerprint {
                exact: format!("{:016x}", fnv1a(&[&path, rule, &text, line, &rank.to_string()])),
                loose: format!("{:016x}", fnv1a(&[&path, rule, &text])),
            }
        })
        .collect()
}

impl Baseline {
    /// Records every finding of `reports`.
    pub fn record(reports: &[FileReport], set: &RuleSet) -> Baseline {
        let mut findings = Vec::new();
        for r in reports {
            for (f, fp) in r.findings.iter().zip(fingerprints(r, set)) {
                findings.push(Entry {
                    path: r.path.clone(),
                    rule: set.rules[f.rule].id.clone(),
                    text: f.text.clone(),
                    fingerprint: fp.exact,
                    loose: fp.loose,
                });
            }
        }
        Baseline { version: 1, findings }
    }

    /// Reads a baseline file.
    pub fn load(path: &std::path::Path) -> Result<Baseline, String> {
        let text = crate::input::read_settings_file(path)?;
        Baseline::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a baseline file named `name` (for messages).
    pub fn parse(name: &str, text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text)
            .map_err(|e| {
                let why = crate::diag::one_line(&e.to_string()).into_owned();
                format!("{name}:{}:{}: not a baseline file: {why}", e.line(), e.column())
            })?;
        if b.version != 1 {
            return Err(format!("{name}: unsupported baseline version {}", b.version));
        }
        Ok(b)
    }

    /// Removes from `reports` every finding the baseline knows; returns how
    /// many were removed. Findings are first matched by exact fingerprint;
    /// those left over are matched by loose fingerprint against the
    /// baseline entries not yet used, so that a finding whose line was
    /// edited is still known, but a second copy of it is new.
    pub fn filter(&self, reports: &mut [FileReport], set: &RuleSet) -> usize {
        let mut exact: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            *exact.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let mut removed = 0;
        let mut leftovers: Vec<(usize, usize, String)> = Vec::new();
        let mut known = vec![Vec::new(); reports.len()];
        for (r, report) in reports.iter().enumerate() {
            for (i, fp) in fingerprints(report, set).into_iter().enumerate() {
                match exact.get_mut(fp.exact.as_str()) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        known[r].push(i);
                    }
                    _ => leftovers.push((r, i, fp.loose)),
                }
            }
        }
        let mut loose: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            if exact.get(e.fingerprint.as_str()).is_some_and(|n| *n > 0) {
                *exact.get_mut(e.fingerprint.as_str()).unwrap() -= 1;
                *loose.entry(e.loose.as_str()).or_default() += 1;
            }
        }
        for (r, i, fp) in leftovers {
            if let Some(n) = loose.get_mut(fp.as_str()).filter(|n| **n > 0) {
                *n -= 1;
                known[r].push(i);
            }
        }
        for (report, known) in reports.iter_mut().zip(known) {
            let mut is_known = vec![false; report.findings.len()];
            for i in known {
                is_known[i] = true;
            }
            let mut i = 0;
            report.findings.retain(|_| {
                let keep = !is_known[i];
                i += 1;
                removed += usize::from(!keep);
                keep
            });
        }
        removed
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

    /// The fingerprints as first defined: every finding hashes its whole
    /// folded line.
    fn reference(report: &FileReport, set: &RuleSet) -> Vec<Fingerprint> {
        let lines = LineIndex::new(&report.text);
        let mut seen: HashMap<(usize, String, String), usize> = HashMap::new();
        report
            .findings
            .iter()
            .map(|f| {
                let text = fold_str(&f.text);
                let line = fold_str(&report.text[lines.line_range(&report.text, f.start.line)]);
                let rule = &set.rules[f.rule].id;
                let rank = seen.entry((f.rule, text.clone(), line.clone())).or_insert(0);
                *rank += 1;
                Fingerprint {
                    exact: format!("{:016x}", fnv1a(&[&report.path, rule, &text, &line, &rank.to_string()])),
                    loose: format!("{:016x}", fnv1a(&[&report.path, rule, &text])),
                }
            })
            .collect()
    }

    #[test]
    fn fingerprints_of_ordinary_lines_are_unchanged() {
        let set = test_rules();
        let text = "ぴよぴよ体操。ぴよぴよ体操。\n別の行のぴよぴよ体操。\nぴよぴよ体操。ぴよぴよ体操。\nふがふが体操\n";
        let report = lint_text("page.txt", text, &set);
        assert_eq!(report.findings.len(), 6);
        assert_eq!(fingerprints(&report, &set), reference(&report, &set));
    }

    #[test]
    fn a_long_line_enters_as_its_digest() {
        let set = test_rules();
        let text = "ぴよぴよ体操。".repeat(400);
        let report = lint_text("page.txt", &text, &set);
        let got = fingerprints(&report, &set);
        assert_eq!(got.len(), 400);
        let digest = format!("{:016x}", fnv1a(&[&fold_str(&text)]));
        let rule = &set.rules[report.findings[0].rule].id;
        let exact =
            |rank: usize| format!("{:016x}", fnv1a(&["page.txt", rule, "ぴよぴよ体操", &digest, &rank.to_string()]));
        assert_eq!((got[0].exact.clone(), got[399].exact.clone()), (exact(1), exact(400)));
        assert_eq!(got[0].loose, reference(&report, &set)[0].loose);
    }
}
