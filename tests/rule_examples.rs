//! Every example of every rule in the embedded pack, run with only that
//! rule enabled: each `bad` example must produce a finding of the rule (at
//! exactly the `«…»` spans when it marks any), each `good` example none.
//! Also the pack's invariants: coverage of every category and kind, and
//! complete documentation for every rule.

use std::collections::BTreeSet;

use iryolint::lint::lint_text;
use iryolint::rules::{Category, Kind, Pack, RuleSet};
use iryolint::text::normalize::{fold_str, fold_str_keeping_spellings};

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
        // The examples test the rule, not the precision model after it.
        let mut set = RuleSet::compile_selected(Pack::embedded().unwrap(), |r| &r.id == id).unwrap();
        set.keep_unlikely = true;
        let rule = set.full_rules().iter().find(|r| &r.id == id).expect("the selected rule");
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
    for kind in Kind::ALL {
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

/// The category each rule file holds: a file is named after its claims.
fn category_of_file(file: &str) -> Option<&'static str> {
    let stem = file.strip_prefix("rules/")?.strip_suffix(".toml")?;
    Some(match stem {
        "efficacy" => "unsupported-efficacy",
        "preclinical" => "preclinical-extrapolation",
        "safety" => "safety-claim",
        "superlative" => "superlative-comparison",
        "authority" => "authority-endorsement",
        "testimonial" => "testimonial",
        "before-after" => "before-after",
        "inducement" => "inducement",
        "other" => "other",
        "disclosure" => "missing-*",
        _ => return None,
    })
}

#[test]
fn the_pack_is_tidy() {
    use iryolint::rules::load::ENGINE_CLASSES;
    let pack = Pack::embedded().unwrap();
    let mut problems = Vec::new();
    // Every rule sits in its category's file.
    for r in &pack.rules {
        let origin = &pack.origins[&r.id];
        match category_of_file(&origin.file) {
            Some("missing-*") if r.category.as_str().starts_with("missing-") => {}
            Some(c) if c == r.category.as_str() => {}
            other => {
                problems.push(format!("{}: category {} in {} ({other:?})", r.id, r.category.as_str(), origin.file))
            }
        }
    }
    // The engine's own classes are defined.
    for name in ENGINE_CLASSES {
        if !pack.classes.contains_key(*name) {
            problems.push(format!("engine class `{name}` is not defined"));
        }
    }
    // Word lists are sorted and hold no duplicates (scripts/tidy-rules.py).
    let tidy = |what: String, list: &[String], problems: &mut Vec<String>| {
        let mut sorted = list.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted != list {
            problems.push(format!("{what}: not sorted or has duplicates (run scripts/tidy-rules.py)"));
        }
    };
    for (name, class) in &pack.classes {
        for (key, list) in class.lists() {
            tidy(format!("class {name}.{key}"), list, &mut problems);
        }
    }
    for r in &pack.rules {
        tidy(format!("{}.literals", r.id), &r.literals, &mut problems);
        for (i, words) in &r.conditions {
            tidy(format!("{}.{}", r.id, iryolint::rules::schema::CONDITIONS[*i].key), words, &mut problems);
        }
        // A regex runs only where one of its anchors occurs, so every match
        // it makes on the rule's own examples must hold an anchor.
        let examples: Vec<String> =
            r.examples.bad.iter().chain(&r.examples.good).map(|e| fold_str(&e.replace(['«', '»'], ""))).collect();
        for spec in r.regexes.iter().chain(r.elements.iter().flat_map(|e| &e.regexes)) {
            // Text is folded (full-width digits become ASCII) before any
            // regex runs, so `[0-9]` is every digit a regex can meet; `\d`
            // is Unicode's seventy-odd digit ranges, which make each regex
            // slower to compile for nothing.
            // In a single-quoted TOML string a backslash is taken as it is:
            // `\\.` is a backslash and any character, not a dot.
            if spec.regex.contains("\\\\") {
                problems.push(format!(
                    "{}: {:?} matches a backslash: write one in a single-quoted string",
                    r.id, spec.regex
                ));
            }
            if spec.regex.contains("\\d") {
                problems.push(format!("{}: {:?} uses \\d: write [0-9] (the text is folded)", r.id, spec.regex));
            }
            // Regexes meet folded text, where a kanji spelling of a
            // grammatical word (出来る, 良く) has become kana: a regex that
            // spells one in kanji must also have the kana
            // (src/text/spelling.rs).
            for run in
                spec.regex.split(|c: char| c.is_ascii() || "「」『』（）、。・".contains(c)).filter(|r| !r.is_empty())
            {
                let mut kana = vec![fold_str(run)];
                // A run may end on a one-kanji spelling whose reading the
                // next character fixes: try it before each kana that may follow.
                if run.ends_with(|c: char| "頂戴致無良貰繋有凄易事為迄".contains(c)) {
                    for k in "いくけかさきこしすせるりっがげぐぎうわおえ".chars() {
                        let folded = fold_str(&format!("{run}{k}"));
                        kana.push(folded.strip_suffix(k).unwrap_or(&folded).to_string());
                    }
                }
                for folded in kana {
                    if folded != run && folded != fold_str_keeping_spellings(run) && !spec.regex.contains(&folded) {
                        problems
                            .push(format!("{}: {:?} spells {run:?} in kanji but not as {folded:?}", r.id, spec.regex));
                        break;
                    }
                }
            }
            let regex = regex::Regex::new(&spec.regex).unwrap();
            let anchors: Vec<String> = spec.anchors.iter().map(|a| fold_str(a)).collect();
            for example in &examples {
                for m in regex.find_iter(example) {
                    if !anchors.iter().any(|a| m.as_str().contains(a.as_str())) {
                        problems.push(format!("{}: {:?} matches {:?} without an anchor", r.id, spec.regex, m.as_str()));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_readme_key_table_is_generated_from_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- keys:begin -->\n", "<!-- keys:end -->");
    let start = readme.find(begin).expect("keys:begin marker") + begin.len();
    let stop = readme.find(end).expect("keys:end marker");
    let table = iryolint::rules::schema::key_table_markdown();
    if readme[start..stop] != table {
        if std::env::var_os("UPDATE_README").is_some() {
            std::fs::write(&path, format!("{}{table}{}", &readme[..start], &readme[stop..])).unwrap();
        } else {
            panic!("rules/README.md's key table is out of date: run UPDATE_README=1 cargo test --test rule_examples");
        }
    }
}
