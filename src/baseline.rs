//! Baselines: record today's findings so that only new ones are reported.
//!
//! Each entry names its file by its path relative to the project root (the
//! config file's folder, or the repository's), so a run from any folder
//! finds the same entries, and holds the finding's fingerprints
//! ([`crate::fingerprint`]), which leave the path out. A finding is known
//! when an unused entry of the same file has its exact fingerprint, then
//! its loose one (its line was edited), then when an unused entry of any
//! file has its exact fingerprint (the file was renamed, `git mv`, with
//! the same content): the path only breaks ties.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::fingerprint::{hex, parse_hex};
use crate::lint::{FileReport, Finding};
use crate::report::Run;

/// The format version written.
pub const VERSION: u32 = 2;

/// The baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Known findings.
    pub findings: Vec<Entry>,
}

/// One known finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path relative to the project root, with forward slashes.
    pub path: String,
    /// Rule id, for people reading the file.
    pub rule: String,
    /// Text of the span, for people reading the file.
    pub text: String,
    /// The exact fingerprint (16 hex digits).
    pub fingerprint: String,
    /// The loose fingerprint (16 hex digits).
    pub loose: String,
}

/// What matching a baseline against a run found.
#[derive(Debug, Default)]
pub struct Matches {
    /// Findings the baseline knew, removed from the reports.
    pub hidden: usize,
    /// For each entry, the project path of the finding that matched it
    /// (`None`: nothing matched it; the finding was fixed).
    pub matched: Vec<Option<String>>,
    /// For each entry, whether it is fixed (see [`Matches::find_fixed`]).
    pub fixed: Vec<bool>,
}

impl Matches {
    /// Marks as fixed the entries nothing matched whose file was checked
    /// this run (`checked`) or no longer exists (`exists` is false); the
    /// entries of files this run did not look at are kept.
    pub fn find_fixed(&mut self, baseline: &Baseline, checked: &[FileReport], exists: impl Fn(&str) -> bool) {
        let checked: std::collections::HashSet<&str> = checked.iter().map(|r| r.project_path.as_str()).collect();
        self.fixed = baseline
            .findings
            .iter()
            .zip(&self.matched)
            .map(|(e, m)| m.is_none() && (checked.contains(e.path.as_str()) || !exists(&e.path)))
            .collect();
    }

    /// How many entries are fixed.
    pub fn stale(&self) -> usize {
        self.fixed.iter().filter(|f| **f).count()
    }
}

/// Above this many (entry, finding) pairs for one fingerprint, renames are
/// matched in order rather than by path likeness.
const MAX_RENAME_PAIRS: usize = 4096;

/// How alike two paths are: the length of their common start (same folder)
/// plus that of their common end (same file name).
fn likeness(a: &str, b: &str) -> usize {
    let start = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let end = a.bytes().rev().zip(b.bytes().rev()).take_while(|(x, y)| x == y).count();
    (start + end).min(a.len().max(b.len()))
}

/// The first key of a baseline file, read before the rest so that an old
/// file gets a clear message rather than a field error.
#[derive(Deserialize)]
struct Head {
    version: u32,
}

impl Baseline {
    /// Records every finding of `run`, those the precision model dropped
    /// too (a later run that keeps them, or a retrained model, finds them
    /// known), in report order.
    pub fn record(run: &Run) -> Baseline {
        let mut all: Vec<(&FileReport, &Finding)> = Vec::new();
        for file in run.files {
            let start = all.len();
            all.extend(file.findings.iter().chain(&file.unlikely).map(|f| (file, f)));
            all[start..].sort_by_key(|(_, f)| (f.start.offset, f.end.offset, f.rule));
        }
        let findings = all
            .into_iter()
            .map(|(file, f)| Entry {
                path: file.project_path.clone(),
                rule: run.rule(file, f).id.clone(),
                text: f.text.clone(),
                fingerprint: hex(f.fingerprint.exact),
                loose: hex(f.fingerprint.loose),
            })
            .collect();
        Baseline { version: VERSION, findings }
    }

    /// The file's text: pretty JSON with a final line break.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a baseline file.
    pub fn load(path: &std::path::Path) -> Result<Baseline, String> {
        let text = crate::input::read_settings_file(path)?;
        Baseline::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a baseline file named `name` (for messages).
    pub fn parse(name: &str, text: &str) -> Result<Baseline, String> {
        let not_baseline = |e: serde_json::Error| {
            let why = crate::diag::one_line(&e.to_string()).into_owned();
            format!("{name}:{}:{}: not a baseline file: {why}", e.line(), e.column())
        };
        let head: Head = serde_json::from_str(text).map_err(not_baseline)?;
        match head.version {
            VERSION => {}
            1 => {
                return Err(format!(
                    "{name}: a version 1 baseline (its paths are relative to the folder it was written from); \
                     write it again with `iryolint check --write-baseline {name}`"
                ))
            }
            v => return Err(format!("{name}: unsupported baseline version {v} (this iryolint reads {VERSION})")),
        }
        let b: Baseline = serde_json::from_str(text).map_err(not_baseline)?;
        for (i, e) in b.findings.iter().enumerate() {
            if parse_hex(&e.fingerprint).is_none() || parse_hex(&e.loose).is_none() {
                return Err(format!(
                    "{name}: entry {} ({}): fingerprints must be 16 hex digits",
                    i + 1,
                    crate::diag::one_line(&e.path)
                ));
            }
        }
        Ok(b)
    }

    /// Removes from `reports` every finding the baseline knows (see the
    /// module documentation for the order of matching). The findings the
    /// precision model dropped take part in the matching, so that their
    /// entries are not taken for fixed; [`Matches::hidden`] counts only
    /// shown findings.
    pub fn filter(&self, reports: &mut [FileReport]) -> Matches {
        let mut dropped = 0;
        for report in reports.iter_mut() {
            dropped += report.unlikely.len();
            let unlikely = std::mem::take(&mut report.unlikely);
            report.findings.extend(unlikely);
        }
        let mut matches = self.filter_findings(reports);
        for report in reports.iter_mut() {
            let (unlikely, shown) = std::mem::take(&mut report.findings).into_iter().partition(|f| f.unlikely);
            (report.unlikely, report.findings) = (unlikely, shown);
            dropped -= report.unlikely.len();
        }
        matches.hidden -= dropped;
        matches
    }

    /// [`Self::filter`] over the reports' `findings`.
    fn filter_findings(&self, reports: &mut [FileReport]) -> Matches {
        let keys: Vec<(u64, u64)> = self
            .findings
            .iter()
            .map(|e| (parse_hex(&e.fingerprint).unwrap_or_default(), parse_hex(&e.loose).unwrap_or_default()))
            .collect();
        let mut matched: Vec<Option<String>> = vec![None; self.findings.len()];
        // Entries not yet used, newest last, by key.
        let mut by_exact: HashMap<(&str, u64), Vec<usize>> = HashMap::new();
        let mut by_loose: HashMap<(&str, u64), Vec<usize>> = HashMap::new();
        for (i, e) in self.findings.iter().enumerate().rev() {
            by_exact.entry((e.path.as_str(), keys[i].0)).or_default().push(i);
            by_loose.entry((e.path.as_str(), keys[i].1)).or_default().push(i);
        }
        let take = |stack: Option<&mut Vec<usize>>, matched: &mut Vec<Option<String>>, path: &str| {
            let stack = stack?;
            while let Some(i) = stack.pop() {
                if matched[i].is_none() {
                    matched[i] = Some(path.to_string());
                    return Some(i);
                }
            }
            None
        };
        let mut known: Vec<Vec<bool>> = reports.iter().map(|r| vec![false; r.findings.len()]).collect();
        // 1. Same file, same line content.
        for (r, report) in reports.iter().enumerate() {
            for (i, f) in report.findings.iter().enumerate() {
                let key = (report.project_path.as_str(), f.fingerprint.exact);
                known[r][i] = take(by_exact.get_mut(&key), &mut matched, &report.project_path).is_some();
            }
        }
        // 2. Same file, its line edited.
        for (r, report) in reports.iter().enumerate() {
            for (i, f) in report.findings.iter().enumerate() {
                if !known[r][i] {
                    let key = (report.project_path.as_str(), f.fingerprint.loose);
                    known[r][i] = take(by_loose.get_mut(&key), &mut matched, &report.project_path).is_some();
                }
            }
        }
        // 3. Another file's entry, same line content: a rename. When
        // several files could take an entry, the one whose path is most
        // like the entry's takes it.
        let mut leftovers: HashMap<u64, Vec<(usize, usize)>> = HashMap::new();
        for (r, report) in reports.iter().enumerate() {
            for (i, f) in report.findings.iter().enumerate() {
                if !known[r][i] {
                    leftovers.entry(f.fingerprint.exact).or_default().push((r, i));
                }
            }
        }
        let mut unused: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            if matched[i].is_none() {
                unused.entry(key.0).or_default().push(i);
            }
        }
        for (key, entries) in unused {
            let Some(findings) = leftovers.get(&key) else { continue };
            let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
            if entries.len().saturating_mul(findings.len()) <= MAX_RENAME_PAIRS {
                for (f, &(r, _)) in findings.iter().enumerate() {
                    for &e in &entries {
                        pairs.push((likeness(&self.findings[e].path, &reports[r].project_path), f, e));
                    }
                }
                pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            } else {
                pairs.extend(findings.iter().enumerate().zip(&entries).map(|((f, _), &e)| (0, f, e)));
            }
            let mut taken = vec![false; findings.len()];
            for (_, f, e) in pairs {
                let (r, i) = findings[f];
                if !taken[f] && matched[e].is_none() {
                    taken[f] = true;
                    matched[e] = Some(reports[r].project_path.clone());
                    known[r][i] = true;
                }
            }
        }
        let mut hidden = 0;
        for (report, known) in reports.iter_mut().zip(known) {
            let mut known = known.into_iter();
            report.findings.retain(|_| !known.next().unwrap_or(false));
        }
        for m in &matched {
            hidden += usize::from(m.is_some());
        }
        let fixed = matched.iter().map(Option::is_none).collect();
        Matches { hidden, matched, fixed }
    }

    /// The entries but the fixed ones, each matched one under the path it
    /// was found at today.
    pub fn pruned(&self, matches: &Matches) -> Baseline {
        let findings = self
            .findings
            .iter()
            .zip(matches.matched.iter().zip(&matches.fixed))
            .filter(|(_, (_, fixed))| !**fixed)
            .map(|(e, (m, _))| Entry { path: m.clone().unwrap_or_else(|| e.path.clone()), ..e.clone() })
            .collect();
        Baseline { version: VERSION, findings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint_text;
    use crate::rules::{Pack, RuleSet};
    use crate::Lang;

    fn test_rules() -> RuleSet {
        let mut pack = Pack::default();
        pack.add_file("tests/data/test-rules.toml", include_str!("../tests/data/test-rules.toml")).unwrap();
        pack.validate().unwrap();
        RuleSet::compile(pack, |_| true).unwrap()
    }

    fn record(set: &RuleSet, files: &[(&str, &str)]) -> Baseline {
        let reports: Vec<FileReport> = files.iter().map(|(p, t)| lint_text(p, t, set)).collect();
        Baseline::record(&Run::new(&reports, std::slice::from_ref(set), Lang::En))
    }

    fn remaining(b: &Baseline, set: &RuleSet, files: &[(&str, &str)]) -> (Vec<(String, usize)>, Matches) {
        let mut reports: Vec<FileReport> = files.iter().map(|(p, t)| lint_text(p, t, set)).collect();
        let matches = b.filter(&mut reports);
        let left = reports.iter().flat_map(|r| r.findings.iter().map(|f| (r.path.clone(), f.start.line))).collect();
        (left, matches)
    }

    const PAGE: &str = "ぴよぴよ体操。\n別の行のぴよぴよ体操。\n";

    #[test]
    fn a_renamed_file_keeps_its_entries_and_a_copy_does_not() {
        let set = test_rules();
        let b = record(&set, &[("site/a.txt", PAGE)]);
        let (left, m) = remaining(&b, &set, &[("site/renamed.txt", PAGE)]);
        assert_eq!((left, m.hidden), (vec![], 2));
        assert_eq!(b.pruned(&m).findings[0].path, "site/renamed.txt");
        // The original still there: its entries go to it, the copy is new.
        let (left, m) = remaining(&b, &set, &[("site/a.txt", PAGE), ("site/copy.txt", PAGE)]);
        assert_eq!(left, [(s("site/copy.txt"), 1), (s("site/copy.txt"), 2)]);
        assert_eq!(m.hidden, 2);
    }

    #[test]
    fn an_edited_line_is_still_known_in_its_file_but_not_in_another() {
        let set = test_rules();
        let b = record(&set, &[("a.txt", PAGE)]);
        let edited = PAGE.replace("別の行の", "別の行にある");
        let (left, m) = remaining(&b, &set, &[("a.txt", &edited)]);
        assert_eq!((left, m.hidden, m.stale()), (vec![], 2, 0));
        let (left, m) = remaining(&b, &set, &[("b.txt", &edited)]);
        assert_eq!(left, [(s("b.txt"), 2)], "line 1 is unchanged, line 2 is not: a rename matches exactly only");
        assert_eq!((m.hidden, m.stale()), (1, 1));
        assert_eq!(b.pruned(&m).findings.len(), 1);
    }

    #[test]
    fn version_1_files_get_a_message_saying_how_to_regenerate() {
        let err = Baseline::parse("b.json", "{\"version\":1,\"findings\":[]}").unwrap_err();
        assert_eq!(
            err,
            "b.json: a version 1 baseline (its paths are relative to the folder it was written from); \
             write it again with `iryolint check --write-baseline b.json`"
        );
        let err = Baseline::parse("b.json", "{\"version\":3,\"findings\":[]}").unwrap_err();
        assert_eq!(err, "b.json: unsupported baseline version 3 (this iryolint reads 2)");
        let bad = "{\"version\":2,\"findings\":[{\"path\":\"a\",\"rule\":\"r\",\"text\":\"t\",\"fingerprint\":\"zz\",\"loose\":\"00\"}]}";
        assert_eq!(
            Baseline::parse("b.json", bad).unwrap_err(),
            "b.json: entry 1 (a): fingerprints must be 16 hex digits"
        );
    }

    fn s(v: &str) -> String {
        v.to_string()
    }
}
