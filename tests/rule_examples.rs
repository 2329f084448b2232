//! Every example of every rule in the embedded pack, run with only that
//! rule enabled: each `bad` example must produce a finding of the rule (at
//! exactly the `«…»` spans when it marks any), each `good` example none.
//! Also the pack's invariants: coverage of every category and kind, and
//! complete documentation for every rule.

use std::collections::BTreeSet;

use iryolint::lint::lint_text;
use iryolint::rules::{Category, Kind, Pack, RuleSet};

/// Strips `«` `»` markers, returning the text and the marked byte spans.
fn parse_example(example: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut open = None;
    for c in example.chars() {
        match c {
            '«' => open = Some(text.len()),
            '»' => spans.push((open.take().expect("» without «"), text.len())),
            c => text.push(c),
        }
    }
    assert!(open.is_none(), "« without »: {example}");
    (text, spans)
}

#[test]
fn every_rule_example_behaves() {
    let ids: Vec<String> = Pack::embedded_checked().unwrap().rules.iter().map(|r| r.id.clone()).collect();
    let mut failures = Vec::new();
    for id in &ids {
        let set = RuleSet::compile(Pack::embedded().unwrap(), |r| &r.id == id).unwrap();
        let rule = &set.rules[0];
        for example in &rule.examples.bad {
            let (text, expected) = parse_example(example);
            let report = lint_text("example.txt", &text, &set);
            let got: Vec<(usize, usize)> = report.findings.iter().map(|f| (f.start.offset, f.end.offset)).collect();
            if got.is_empty() {
                failures.push(format!("{id}: bad example not flagged: {text}"));
            } else if !expected.is_empty() && got != expected {
                let show = |v: &[(usize, usize)]| {
                    v.iter().map(|&(s, e)| format!("«{}»", &text[s..e])).collect::<Vec<_>>().join(" ")
                };
                failures.push(format!(
                    "{id}: spans differ in {text}\n    expected {}\n    got      {}",
                    show(&expected),
                    show(&got)
                ));
            }
        }
        for example in &rule.examples.good {
            let report = lint_text("example.txt", example, &set);
            for f in &report.findings {
                failures.push(format!("{id}: good example flagged at «{}»: {example}", f.text));
            }
        }
    }
    assert!(failures.is_empty(), "{} example failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn pack_covers_every_category_and_kind_with_documented_rules() {
    let pack = Pack::embedded().unwrap();
    let categories: BTreeSet<Category> = pack.rules.iter().map(|r| r.category).collect();
    for c in Category::ALL {
        assert!(categories.contains(&c), "no rule of category {}", c.as_str());
    }
    for kind in [Kind::Phrase, Kind::Claim, Kind::EvidenceLeap, Kind::Disclosure] {
        assert!(pack.rules.iter().any(|r| r.kind == kind), "no rule of kind {}", kind.as_str());
    }
    let mut problems = Vec::new();
    for r in &pack.rules {
        let texts = [&r.summary, &r.basis, &r.message.ja, &r.message.en, &r.help.ja, &r.help.en];
        if texts.iter().any(|t| t.trim().is_empty()) {
            problems.push(format!("{}: empty summary, basis, message or help", r.id));
        }
        if r.examples.bad.len() < 3 || r.examples.good.len() < 3 {
            problems.push(format!("{}: needs at least 3 bad and 3 good examples", r.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(pack.rules.len() >= 60, "only {} rules", pack.rules.len());
}

#[test]
fn products_have_aliases_that_fold_to_something() {
    let pack = Pack::embedded().unwrap();
    assert!(!pack.products.is_empty());
    for p in &pack.products {
        assert!(!p.aliases.is_empty(), "{}", p.id);
    }
}
