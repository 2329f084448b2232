//! `iryolint rules` and `iryolint explain`: the rule pack for people and
//! for tools.

use serde::Serialize;

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

/// Every rule as the JSON value [`write_json`] prints.
pub fn to_value(set: &RuleSet) -> serde_json::Value {
    let rules: Vec<JsonRule> = set.rules.iter().map(json_rule).collect();
    serde_json::to_value(rules).expect("rules serialize to JSON")
}

/// Writes every rule as a JSON array.
pub fn write_json(out: &mut dyn std::io::Write, set: &RuleSet) -> std::io::Result<()> {
    let rules: Vec<JsonRule> = set.rules.iter().map(json_rule).collect();
    let classes: Vec<JsonClass> = set
        .classes
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

/// Writes one line per rule: id, category, severity, kind, summary.
pub fn write_table(out: &mut dyn std::io::Write, set: &RuleSet) -> std::io::Result<()> {
    let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &set.rules {
        writeln!(
            out,
            "{:width$}  {:28}  {:7}  {:13}  {}",
            r.id,
            r.category.as_str(),
            r.severity.as_str(),
            r.kind.as_str(),
            r.summary
        )?;
    }
    writeln!(out, "{} rules", set.rules.len())
}

/// The explanation of one rule, as `iryolint explain` prints it.
pub fn explain(rule: &RuleSpec, lang: Lang) -> String {
    let mut out = Vec::new();
    write_explain(&mut out, rule, lang).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the explanation is UTF-8")
}

/// Writes the explanation of one rule.
pub fn write_explain(out: &mut dyn std::io::Write, rule: &RuleSpec, lang: Lang) -> std::io::Result<()> {
    let ja = lang == Lang::Ja;
    let h = |ja_label: &'static str, en_label: &'static str| if ja { ja_label } else { en_label };
    writeln!(out, "{}: {}", rule.id, rule.summary)?;
    writeln!(
        out,
        "{}: {}    {}: {}    {}: {}",
        h("カテゴリ", "category"),
        rule.category.as_str(),
        h("重大度", "severity"),
        rule.severity.as_str(),
        h("種類", "kind"),
        rule.kind.as_str()
    )?;
    writeln!(out, "\n{}\n  {}", h("■ 何を指摘するか", "What it flags"), rule.message.get(lang))?;
    if let Some(d) = &rule.description {
        writeln!(out, "  {}", d.get(lang))?;
    }
    writeln!(out, "\n{}\n  {}", h("■ 根拠", "Why (legal basis)"), rule.basis)?;
    writeln!(out, "\n{}", h("■ 指摘される例", "Examples that trigger it"))?;
    for e in &rule.examples.bad {
        writeln!(out, "  ✗ {}", strip_markers(e))?;
    }
    writeln!(out, "\n{}", h("■ 指摘されない例", "Examples that don't"))?;
    for e in &rule.examples.good {
        writeln!(out, "  ✓ {e}")?;
    }
    writeln!(out, "\n{}\n  {}", h("■ 書き換え方", "How to rewrite"), rule.help.get(lang))
}
