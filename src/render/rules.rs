//! `iryolint rules` and `iryolint explain`: the rule pack for people and
//! for tools.

use serde::Serialize;

use crate::messages;
use crate::rules::schema::{Examples, Text};
use crate::rules::{RuleSet, RuleSpec};
use crate::Lang;

/// Removes the `«` `»` span markers of a rule example.
pub fn strip_markers(example: &str) -> String {
    example.replace(['«', '»'], "")
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    category: &'static str,
    severity: &'static str,
    kind: &'static str,
    summary: &'a str,
    basis: &'a str,
    message: &'a Text,
    help: &'a Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a Text>,
    examples: Examples,
}

fn json_rule(rule: &RuleSpec) -> JsonRule<'_> {
    JsonRule {
        id: &rule.id,
        category: rule.category.as_str(),
        severity: rule.severity.as_str(),
        kind: rule.kind.as_str(),
        summary: &rule.summary,
        basis: &rule.basis,
        message: &rule.message,
        help: &rule.help,
        description: rule.description.as_ref(),
        examples: Examples {
            bad: rule.examples.bad.iter().map(|e| strip_markers(e)).collect(),
            good: rule.examples.good.clone(),
        },
    }
}

/// The rules a run of `set` reports, as written (a selection may run rules
/// it does not report: [`RuleSet::reported`]).
fn reported_rules(set: &RuleSet) -> impl Iterator<Item = &RuleSpec> {
    set.full_rules().iter().enumerate().filter(|&(r, _)| set.reports(r)).map(|(_, rule)| rule)
}

/// Every rule as the JSON value [`write_json`] prints.
pub fn to_value(set: &RuleSet) -> serde_json::Value {
    let rules: Vec<JsonRule> = reported_rules(set).map(json_rule).collect();
    serde_json::to_value(rules).expect("rules serialize to JSON")
}

/// Writes every rule as a JSON array.
pub fn write_json(out: &mut dyn std::io::Write, set: &RuleSet) -> std::io::Result<()> {
    let rules: Vec<JsonRule> = reported_rules(set).map(json_rule).collect();
    let classes: Vec<JsonClass> = set
        .classes()
        .iter()
        .map(|c| JsonClass { name: &c.name, summary: c.summary.as_deref(), words: &c.words })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &JsonListing { rules, classes })?;
    writeln!(out)
}

/// What `iryolint rules --format json` prints: every rule, and every word
/// class with the surface forms it expands to.
#[derive(serde::Serialize)]
struct JsonListing<'a> {
    rules: Vec<JsonRule<'a>>,
    classes: Vec<JsonClass<'a>>,
}

/// One word class in the listing.
#[derive(serde::Serialize)]
struct JsonClass<'a> {
    name: &'a str,
    summary: Option<&'a str>,
    words: &'a [String],
}

/// Writes one line per rule: id, category, severity, kind, summary (the
/// category, severity and summary in `lang`).
pub fn write_table(out: &mut dyn std::io::Write, set: &RuleSet, lang: Lang) -> std::io::Result<()> {
    let rules: Vec<&RuleSpec> = reported_rules(set).collect();
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let cell = |text: &str, columns: usize| {
        let pad = columns.saturating_sub(display_width(text));
        format!("{text}{}", " ".repeat(pad))
    };
    for r in &rules {
        writeln!(
            out,
            "{:width$}  {}  {}  {:13}  {}",
            r.id,
            cell(messages::category(r.category).get(lang), 28),
            cell(messages::severity(r.severity).get(lang), 7),
            r.kind.as_str(),
            messages::rule_summary(r, lang)
        )?;
    }
    writeln!(out, "{}", messages::RULES_COUNT.fill(lang, &[&rules.len()]))
}

/// Columns a terminal gives `text`: two for wide (CJK) characters.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}') { 2 } else { 1 }).sum()
}

/// The explanation of one rule, as `iryolint explain` prints it.
pub fn explain(rule: &RuleSpec, lang: Lang) -> String {
    let mut out = Vec::new();
    write_explain(&mut out, rule, lang).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the explanation is UTF-8")
}

/// Writes the explanation of one rule, every heading and name in `lang`.
pub fn write_explain(out: &mut dyn std::io::Write, rule: &RuleSpec, lang: Lang) -> std::io::Result<()> {
    use messages::*;
    writeln!(out, "{}: {}", rule.id, rule_summary(rule, lang))?;
    let category = match lang {
        Lang::Ja => format!("{} ({})", category(rule.category).ja, rule.category.as_str()),
        Lang::En => rule.category.as_str().to_string(),
    };
    writeln!(
        out,
        "{}: {}    {}: {}    {}: {}",
        EXPLAIN_CATEGORY.get(lang),
        category,
        EXPLAIN_SEVERITY.get(lang),
        severity(rule.severity).get(lang),
        EXPLAIN_KIND.get(lang),
        rule.kind.as_str()
    )?;
    writeln!(out, "\n{}\n  {}", EXPLAIN_FLAGS.get(lang), rule.message.get(lang))?;
    if let Some(d) = &rule.description {
        writeln!(out, "  {}", d.get(lang))?;
    }
    writeln!(out, "\n{}\n  {}", EXPLAIN_WHY.get(lang), rule.basis)?;
    writeln!(out, "\n{}", EXPLAIN_BAD.get(lang))?;
    for e in &rule.examples.bad {
        writeln!(out, "  ✗ {}", strip_markers(e))?;
    }
    writeln!(out, "\n{}", EXPLAIN_GOOD.get(lang))?;
    for e in &rule.examples.good {
        writeln!(out, "  ✓ {e}")?;
    }
    writeln!(out, "\n{}\n  {}", EXPLAIN_REWRITE.get(lang), rule.help.get(lang))
}
