//! `--statistics`: how many findings each rule and each category has,
//! most first (ties by id), as text or JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Summary;
use crate::messages;
use crate::report::Run;
use crate::rules::Category;

/// The counts of a run.
#[derive(Debug, Serialize)]
pub struct Statistics<'a> {
    /// By rule: id, category, count.
    pub rules: Vec<RuleCount<'a>>,
    /// By category.
    pub categories: Vec<CategoryCount>,
    /// The totals.
    pub summary: Summary,
}

/// The findings of one rule.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RuleCount<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// Its category.
    pub category: &'static str,
    /// How many findings.
    pub count: usize,
}

/// The findings of one category.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CategoryCount {
    /// Category id.
    pub category: &'static str,
    /// How many findings.
    pub count: usize,
}

impl<'a> Statistics<'a> {
    /// Counts the findings of `run`.
    pub fn of(run: &Run<'a>) -> Statistics<'a> {
        let mut by_rule: BTreeMap<&'a str, (Category, usize)> = BTreeMap::new();
        let mut by_category: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (file, f) in run.findings() {
            let rule = run.rule(file, f);
            by_rule.entry(rule.id.as_str()).or_insert((f.category, 0)).1 += 1;
            *by_category.entry(f.category.as_str()).or_default() += 1;
        }
        let mut rules: Vec<RuleCount> = by_rule
            .into_iter()
            .map(|(rule, (category, count))| RuleCount { rule, category: category.as_str(), count })
            .collect();
        rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
        let mut categories: Vec<CategoryCount> =
            by_category.into_iter().map(|(category, count)| CategoryCount { category, count }).collect();
        categories.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(b.category)));
        Statistics { rules, categories, summary: Summary::of(run.files) }
    }
}

/// Writes the counts as two tables and the summary line.
pub fn write_text(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    let stats = Statistics::of(run);
    let lang = run.lang;
    let width = stats.rules.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1).max(5);
    let id_width = stats.rules.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let category_name = |id: &str| {
        let name = Category::parse(id).map(|c| messages::category(c).get(lang)).unwrap_or(id);
        if name == id {
            id.to_string()
        } else {
            format!("{id} ({name})")
        }
    };
    writeln!(out, "{}:", messages::STATS_BY_RULE.get(lang))?;
    for r in &stats.rules {
        writeln!(out, "{:>width$}  {:id_width$}  {}", r.count, r.rule, r.category)?;
    }
    writeln!(out, "\n{}:", messages::STATS_BY_CATEGORY.get(lang))?;
    for c in &stats.categories {
        writeln!(out, "{:>width$}  {}", c.count, category_name(c.category))?;
    }
    writeln!(out, "\n{}", stats.summary.line(lang))
}

/// Writes the counts as one JSON object.
pub fn write_json(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &Statistics::of(run))?;
    writeln!(out)
}
