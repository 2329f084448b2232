//! Accuracy measurement on labeled copy (`iryolint eval DIR`).
//!
//! A labeled document is `NAME.txt` plus `NAME.labels.toml` (span labels,
//! gray zones and missing disclosure elements; the format of the project's
//! LABELING guide). Scoring follows the reference scorer exactly: a span
//! label is found when a finding of its category overlaps one of its
//! occurrences; a finding is right when it overlaps a label of its
//! category, ignored when it only overlaps a gray quote, and a false alarm
//! otherwise; disclosure elements are scored one by one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::lint::FileReport;
use crate::rules::{Category, RuleSet};

/// Categories scored as spans, in TAXONOMY (and report) order: every
/// category without disclosure elements.
fn span_cats() -> Vec<Category> {
    Category::ALL.into_iter().filter(|c| c.elements().is_empty()).collect()
}

/// Categories scored element by element: the document-level ones.
fn doc_cats() -> Vec<Category> {
    Category::ALL.into_iter().filter(|c| !c.elements().is_empty()).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelFile {
    #[serde(default)]
    span: Vec<SpanLabel>,
    #[serde(default)]
    gray: Vec<GrayLabel>,
    #[serde(default)]
    missing: Vec<MissingLabel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpanLabel {
    cat: String,
    quote: String,
    #[serde(default)]
    nth: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrayLabel {
    quote: String,
    /// Accepted and, as the reference scorer does, ignored: a gray quote
    /// covers every occurrence.
    #[serde(default)]
    #[allow(dead_code)]
    nth: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissingLabel {
    cat: String,
    #[serde(default)]
    elements: Vec<String>,
}

/// The labels of one document, resolved to byte ranges of its text.
#[derive(Debug)]
pub struct Labels {
    spans: Vec<(Category, Vec<Range<usize>>, String)>,
    grays: Vec<Range<usize>>,
    missing: BTreeMap<Category, BTreeSet<String>>,
}

/// One labeled document.
#[derive(Debug)]
pub struct LabeledDoc {
    /// Path of the `.txt` file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its labels.
    pub labels: Labels,
}

/// Byte ranges of every occurrence of `quote` (overlapping), or only the
/// `nth` (1-based).
fn occurrences(text: &str, quote: &str, nth: Option<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(quote) {
        let at = from + i;
        out.push(at..at + quote.len());
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    match nth {
        Some(n) if n >= 1 && n <= out.len() => vec![out[n - 1].clone()],
        Some(_) => Vec::new(),
        None => out,
    }
}

/// Loads every `NAME.txt` of `dir` (sorted) with its labels.
pub fn load_dir(dir: &Path) -> Result<Vec<LabeledDoc>, String> {
    let mut txts: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    txts.sort();
    if txts.is_empty() {
        return Err(format!("{}: no .txt files", dir.display()));
    }
    txts.into_iter().map(|p| load_doc(&p)).collect()
}

fn load_doc(path: &Path) -> Result<LabeledDoc, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let label_path = path.with_extension("labels.toml");
    let lname = label_path.display();
    let raw = std::fs::read_to_string(&label_path).map_err(|e| format!("{lname}: {e}"))?;
    let file: LabelFile = toml::from_str(&raw).map_err(|e| {
        let line = e.span().map_or(0, |s| 1 + raw[..s.start].matches('\n').count());
        format!("{lname}:{line}: {}", e.message().trim())
    })?;
    let mut spans = Vec::new();
    for label in file.span {
        let cat = Category::parse(&label.cat)
            .filter(|c| c.elements().is_empty())
            .ok_or_else(|| format!("{lname}: unknown span category {:?}", label.cat))?;
        let ranges = occurrences(&text, &label.quote, label.nth);
        if label.quote.is_empty() || ranges.is_empty() {
            return Err(format!("{lname}: quote not found in text: {:?}", label.quote));
        }
        spans.push((cat, ranges, label.quote));
    }
    let mut grays = Vec::new();
    for label in file.gray {
        let ranges = occurrences(&text, &label.quote, None);
        if label.quote.is_empty() || ranges.is_empty() {
            return Err(format!("{lname}: gray quote not found in text: {:?}", label.quote));
        }
        grays.extend(ranges);
    }
    let mut missing = BTreeMap::new();
    for label in file.missing {
        let cat = Category::parse(&label.cat)
            .filter(|c| !c.elements().is_empty())
            .ok_or_else(|| format!("{lname}: unknown document category {:?}", label.cat))?;
        let unknown: Vec<&String> = label.elements.iter().filter(|e| !cat.elements().contains(&e.as_str())).collect();
        if !unknown.is_empty() {
            return Err(format!("{lname}: unknown elements {unknown:?} for {}", cat.as_str()));
        }
        missing.insert(cat, label.elements.into_iter().collect());
    }
    Ok(LabeledDoc { path: path.to_path_buf(), text, labels: Labels { spans, grays, missing } })
}

/// Counts for one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Labels.
    pub labels: usize,
    /// Labels found.
    pub found: usize,
    /// Findings counted.
    pub flags: usize,
    /// Findings that were right.
    pub right: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.labels += o.labels;
        self.found += o.found;
        self.flags += o.flags;
        self.right += o.right;
    }

    /// right / flags (NaN when there are no flags).
    pub fn precision(&self) -> f64 {
        self.right as f64 / self.flags as f64
    }

    /// found / labels (NaN when there are no labels).
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.labels as f64
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    /// Whether precision and recall meet the floors (a figure with nothing
    /// to measure passes, as in the reference scorer).
    pub fn meets(&self, min_precision: f64, min_recall: f64) -> bool {
        let p_ok = (self.flags == 0 && min_precision == 0.0) || self.precision() >= min_precision;
        let r_ok = self.labels == 0 || self.recall() >= min_recall;
        p_ok && r_ok
    }
}

/// The scores of a labeled set.
#[derive(Debug, Default)]
pub struct Scores {
    /// Per category.
    pub by_category: BTreeMap<Category, Counts>,
    /// Labels that any finding overlapped, whatever its category.
    pub located: usize,
    /// Documents scored.
    pub documents: usize,
    /// Labels missed, one line each.
    pub misses: Vec<String>,
    /// False alarms, one line each.
    pub alarms: Vec<String>,
}

impl Scores {
    /// Totals over span categories.
    pub fn spans(&self) -> Counts {
        self.total(&span_cats())
    }

    /// Totals over disclosure elements.
    pub fn disclosures(&self) -> Counts {
        self.total(&doc_cats())
    }

    fn total(&self, cats: &[Category]) -> Counts {
        let mut c = Counts::default();
        for cat in cats {
            c.add(self.by_category.get(cat).copied().unwrap_or_default());
        }
        c
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Scores the reports of `docs` (one report per document, same order).
pub fn score(docs: &[LabeledDoc], reports: &[FileReport], set: &RuleSet) -> Scores {
    let mut s = Scores { documents: docs.len(), ..Scores::default() };
    for (doc, report) in docs.iter().zip(reports) {
        let name = doc.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let spans: Vec<(Category, Range<usize>, &str)> = report
            .findings
            .iter()
            .filter(|f| f.category.elements().is_empty())
            .map(|f| (f.category, f.start.offset..f.end.offset, set.rules[f.rule].id.as_str()))
            .collect();
        for (cat, ranges, quote) in &doc.labels.spans {
            let c = s.by_category.entry(*cat).or_default();
            c.labels += 1;
            let hit = spans.iter().any(|(fc, fr, _)| fc == cat && ranges.iter().any(|r| overlaps(fr, r)));
            c.found += usize::from(hit);
            if hit || spans.iter().any(|(_, fr, _)| ranges.iter().any(|r| overlaps(fr, r))) {
                s.located += 1;
            }
            if !hit {
                s.misses.push(format!("{name}: missed {}: {quote}", cat.as_str()));
            }
        }
        for (cat, range, rule) in &spans {
            let right = doc.labels.spans.iter().any(|(c, rs, _)| c == cat && rs.iter().any(|r| overlaps(range, r)));
            if !right && doc.labels.grays.iter().any(|g| overlaps(range, g)) {
                continue;
            }
            let c = s.by_category.entry(*cat).or_default();
            c.flags += 1;
            c.right += usize::from(right);
            if !right {
                let snippet = String::from_utf8_lossy(&doc.text.as_bytes()[range.clone()]).into_owned();
                s.alarms.push(format!("{name}: false alarm {} ({rule}): {snippet}", cat.as_str()));
            }
        }
        for cat in doc_cats() {
            let elements: BTreeSet<String> = cat.elements().iter().map(|e| e.to_string()).collect();
            let said: BTreeSet<String> = report
                .findings
                .iter()
                .filter(|f| f.category == cat)
                .flat_map(|f| f.missing.iter().map(|e| e.to_string()))
                .filter(|e| elements.contains(e))
                .collect();
            let truth = doc.labels.missing.get(&cat).cloned().unwrap_or_default();
            let found = truth.intersection(&said).count();
            let c = s.by_category.entry(cat).or_default();
            c.labels += truth.len();
            c.found += found;
            c.flags += said.len();
            c.right += found;
            s.located += found;
            s.misses.extend(truth.difference(&said).map(|e| format!("{name}: missed {}/{e}", cat.as_str())));
            s.alarms.extend(said.difference(&truth).map(|e| format!("{name}: false alarm {}/{e}", cat.as_str())));
        }
    }
    s
}

/// A ratio with two decimals, `nan` when undefined (as Python prints it).
fn two_places(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else {
        format!("{x:.2}")
    }
}

/// Renders the scores as the reference scorer prints them.
pub fn render(s: &Scores, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:32} {:>6} {:>6} {:>7} {:>6} {:>6} {:>9}",
        "category", "labels", "found", "recall", "flags", "right", "precision"
    );
    for cat in span_cats().iter().chain(&doc_cats()) {
        let c = s.by_category.get(cat).copied().unwrap_or_default();
        if c.labels > 0 || c.flags > 0 {
            let _ = writeln!(
                out,
                "{:32} {:6} {:6} {:>7} {:6} {:6} {:>9}",
                cat.as_str(),
                c.labels,
                c.found,
                two_places(c.recall()),
                c.flags,
                c.right,
                two_places(c.precision())
            );
        }
    }
    if verbose {
        let _ = writeln!(out, "\n{}\n\n{}", s.misses.join("\n"), s.alarms.join("\n"));
    }
    let figure = |c: Counts| {
        format!(
            "precision {} ({}/{}) recall {} ({}/{}) F1 {:.2}",
            two_places(c.precision()),
            c.right,
            c.flags,
            two_places(c.recall()),
            c.found,
            c.labels,
            c.f1()
        )
    };
    let mut all = s.spans();
    all.add(s.disclosures());
    let _ =
        writeln!(out, "located (any category): {:.2} of {} labels", s.located as f64 / all.labels as f64, all.labels);
    let _ = writeln!(out, "span findings: {}", figure(s.spans()));
    let _ = writeln!(out, "disclosure elements: {}", figure(s.disclosures()));
    let _ = writeln!(out, "overall: {} over {} documents", figure(all), s.documents);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_overlap_and_nth() {
        assert_eq!(occurrences("ああああ", "ああ", None), [0..6, 3..9, 6..12]);
        assert_eq!(occurrences("ああああ", "ああ", Some(2)), vec![3..9]);
        assert!(occurrences("ああ", "ああ", Some(3)).is_empty());
    }
}
