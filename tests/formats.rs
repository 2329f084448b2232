//! HTML, Markdown and Word versions of one page give the same findings as
//! its plain text, with offsets that cover exactly each finding's source.

use std::path::Path;

use iryolint::lint::{lint_bytes, FileReport, ReadOptions};
use iryolint::rules::{Pack, RuleSet};

fn set() -> RuleSet {
    RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap()
}

fn lint_fixture(set: &RuleSet, name: &str) -> (Vec<u8>, FileReport) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats").join(name);
    let bytes = std::fs::read(&path).unwrap();
    let report = lint_bytes(name, &bytes, ReadOptions::default(), set).unwrap();
    (bytes, report)
}

/// (rule, category, text, missing) of every finding, sorted.
fn summary(set: &RuleSet, report: &FileReport) -> Vec<(String, &'static str, String, Vec<&'static str>)> {
    let mut v: Vec<_> = report
        .findings
        .iter()
        .map(|f| (set.rules[f.rule].id.clone(), f.category.as_str(), f.text.clone(), f.missing.clone()))
        .collect();
    v.sort();
    v
}

/// Removes tags and decodes the numeric references the fixture uses.
fn html_visible(s: &str) -> String {
    let no_tags = regex::Regex::new(r"<[^>]*>").unwrap().replace_all(s, "");
    regex::Regex::new(r"&#x([0-9A-Fa-f]+);")
        .unwrap()
        .replace_all(&no_tags, |c: &regex::Captures| {
            char::from_u32(u32::from_str_radix(&c[1], 16).unwrap()).unwrap().to_string()
        })
        .into_owned()
}

/// Removes the emphasis and link syntax the fixture uses.
fn markdown_visible(s: &str) -> String {
    let no_links = regex::Regex::new(r"\]\([^)]*\)").unwrap().replace_all(s, "");
    no_links.replace(['*', '['], "")
}

#[test]
fn html_gives_the_plain_texts_findings_at_exact_source_spans() {
    let set = set();
    let (_, plain) = lint_fixture(&set, "stem-cell-page.txt");
    let (bytes, html) = lint_fixture(&set, "stem-cell-page.html");
    assert!(plain.findings.len() >= 8, "the fixture should produce findings");
    assert_eq!(summary(&set, &html), summary(&set, &plain));
    let source = std::str::from_utf8(&bytes).unwrap();
    for f in &html.findings {
        let slice = &source[f.start.offset..f.end.offset];
        assert_eq!(html_visible(slice), f.text, "source {slice:?}");
    }
    // A phrase split by inline tags spans the source from first to last
    // character: the safety claim runs across <strong>.
    let split = html.findings.iter().find(|f| f.text.starts_with("副作用は")).unwrap();
    let slice = &source[split.start.offset..split.end.offset];
    assert!(slice.starts_with("副作用は<strong>"), "{slice}");
    // Nothing inside <script>, <style> or the comment is reported.
    let hidden = ["<script>", "<style>", "<!--"].map(|open| {
        let s = source.find(open).unwrap();
        let close = match open {
            "<!--" => "-->",
            "<script>" => "</script>",
            _ => "</style>",
        };
        s..s + source[s..].find(close).unwrap()
    });
    for f in &html.findings {
        assert!(!hidden.iter().any(|h| h.contains(&f.start.offset)), "{} inside hidden markup", f.text);
    }
}

#[test]
fn markdown_gives_the_plain_texts_findings_at_exact_source_spans() {
    let set = set();
    let (_, plain) = lint_fixture(&set, "stem-cell-page.txt");
    let (bytes, md) = lint_fixture(&set, "stem-cell-page.md");
    assert_eq!(summary(&set, &md), summary(&set, &plain));
    let source = std::str::from_utf8(&bytes).unwrap();
    let code = source.find("```text").unwrap()..source.rfind("```").unwrap();
    for f in &md.findings {
        let slice = &source[f.start.offset..f.end.offset];
        assert_eq!(markdown_visible(slice), f.text, "source {slice:?}");
        assert!(!code.contains(&f.start.offset), "{} inside a code block", f.text);
    }
    let link = md.findings.iter().find(|f| f.text.starts_with("マウス")).unwrap();
    assert!(source[link.start.offset..link.end.offset].contains("](https://"), "the span runs through the link");
}

#[test]
fn docx_gives_the_plain_texts_findings_at_the_same_lines_and_columns() {
    let set = set();
    let (_, plain) = lint_fixture(&set, "stem-cell-page.txt");
    let (_, docx) = lint_fixture(&set, "stem-cell-page.docx");
    assert_eq!(summary(&set, &docx), summary(&set, &plain));
    let positions = |r: &FileReport| r.findings.iter().map(|f| (f.rule, f.start, f.end)).collect::<Vec<_>>();
    assert_eq!(positions(&docx), positions(&plain));
}

#[test]
fn corrupt_docx_is_an_error_not_a_panic() {
    let set = set();
    let err = lint_bytes("x.docx", b"PK\x03\x04 not really", ReadOptions::default(), &set).unwrap_err();
    assert!(matches!(err, iryolint::lint::InputError::Unreadable(ref m) if m.contains("not a valid .docx")), "{err:?}");
}
