//! Invariants that every report and every output must keep, whatever the
//! input. Shared by the property tests (tests/properties.rs) and the fuzz
//! targets (fuzz/fuzz_targets/), which include this file by path.
//!
//! - every span lies on character boundaries of the source, and its line
//!   and column are those of its offset;
//! - a finding's `text` is the visible text of its span: the run of visible
//!   characters (as the extractor reads the source) from the one that starts
//!   the span to the one that ends it;
//! - every output format parses: JSON and GitLab as JSON, SARIF as JSON with
//!   the structure viewers rely on, JUnit as well-formed XML; human output
//!   holds no raw escape or C1 control character.

#![allow(dead_code)]

use std::collections::HashMap;

use iryolint::extract::{self, InputFormat};
use iryolint::lint::FileReport;
use iryolint::render;
use iryolint::rules::{Pack, RuleSet};
use iryolint::source::Position;
use iryolint::text::VisChar;
use iryolint::Lang;

/// The embedded pack plus the test rules, compiled once per process.
pub fn rule_set() -> &'static RuleSet {
    static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut pack = Pack::default();
        pack.add_embedded().expect("the embedded pack loads");
        pack.add_file("test-rules.toml", include_str!("../data/test-rules.toml")).expect("the test rules load");
        pack.validate().expect("the pack is valid");
        RuleSet::compile(pack, |_| true).expect("the pack compiles")
    })
}

/// The position of byte `offset` of `text`, counted the slow, obvious way:
/// lines end at `\n`, `\r\n` or a lone `\r`; columns count characters; a
/// byte-order mark at the start is not part of line 1's columns.
pub fn naive_position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    let mut column = 1 + text[line_start..offset].chars().count();
    if line_start == 0 && text.starts_with('\u{FEFF}') && offset >= 3 {
        column -= 1;
    }
    Position { line, column, offset }
}

/// Checks every span of `report`, whose `text` is its source read as
/// `format` (for .docx, the plain-text view).
pub fn check_spans(report: &FileReport, format: InputFormat) {
    let source = report.text.as_str();
    let visible = extract::read(source, format).text.visible.to_vec(source);
    let mut by_start: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, v) in visible.iter().enumerate() {
        by_start.entry(v.start).or_default().push(i);
    }
    let mut previous = (0, 0, 0);
    for f in &report.findings {
        check_span(source, &visible, &by_start, f.start, f.end, &f.text, "finding");
        if let Some(r) = &f.related {
            check_span(source, &visible, &by_start, r.start, r.end, &r.text, "related span");
        }
        let key = (f.start.offset, f.end.offset, f.rule);
        assert!(key >= previous, "findings out of order: {previous:?} then {key:?}");
        previous = key;
    }
}

fn check_span(
    source: &str,
    visible: &[VisChar],
    by_start: &HashMap<u32, Vec<usize>>,
    start: Position,
    end: Position,
    text: &str,
    what: &str,
) {
    let (s, e) = (start.offset, end.offset);
    assert!(s < e && e <= source.len(), "{what} {s}..{e} outside the source ({} bytes)", source.len());
    assert!(source.is_char_boundary(s) && source.is_char_boundary(e), "{what} {s}..{e} not on char boundaries");
    assert_eq!(start, naive_position(source, s), "{what} start");
    assert_eq!(end, naive_position(source, e), "{what} end");
    assert!(!text.is_empty(), "{what} {s}..{e} has no text");
    let wanted: Vec<char> = text.chars().collect();
    let found = by_start.get(&(s as u32)).is_some_and(|firsts| {
        firsts.iter().any(|&i| {
            let run = &visible[i..(i + wanted.len()).min(visible.len())];
            run.len() == wanted.len()
                && run.iter().map(|v| v.ch).eq(wanted.iter().copied())
                && run.last().is_some_and(|v| v.end as usize == e)
        })
    });
    assert!(found, "{what} {s}..{e}: {text:?} is not the visible text of {:?}", &source[s..e]);
}

/// Renders `reports` in every format and language and checks that each
/// parses and holds every finding.
pub fn check_outputs(reports: &[FileReport], set: &RuleSet) {
    for lang in [Lang::En, Lang::Ja] {
        check_outputs_in(reports, set, lang, true);
    }
}

/// Renders `reports` in every format in `lang` (SARIF only when `sarif`:
/// its rule list makes it the slowest) and checks that each parses and
/// holds every finding.
pub fn check_outputs_in(reports: &[FileReport], set: &RuleSet, lang: Lang, sarif: bool) {
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    let run = &iryolint::report::Run::new(reports, std::slice::from_ref(set), lang);
    {
        let json = render_to(|out| render::json::write(out, run));
        let value: serde_json::Value = serde_json::from_slice(&json).expect("JSON output parses");
        let findings = value["findings"].as_array().expect("JSON has findings");
        assert_eq!(findings.len(), total);
        let offsets: Vec<(u64, u64)> = findings
            .iter()
            .map(|f| (f["start"]["offset"].as_u64().unwrap(), f["end"]["offset"].as_u64().unwrap()))
            .collect();
        let expected: Vec<(u64, u64)> =
            reports.iter().flat_map(|r| &r.findings).map(|f| (f.start.offset as u64, f.end.offset as u64)).collect();
        assert_eq!(offsets, expected, "JSON offsets");

        if sarif {
            let log = render_to(|out| render::sarif::write(out, run));
            check_sarif(&log, set, total);
        }

        let gitlab = render_to(|out| render::ci::write_gitlab(out, run));
        let issues: serde_json::Value = serde_json::from_slice(&gitlab).expect("GitLab output parses");
        assert_eq!(issues.as_array().map(Vec::len), Some(total), "GitLab issues");

        let junit = render_to(|out| render::ci::write_junit(out, run));
        let junit = String::from_utf8(junit).expect("JUnit is UTF-8");
        let doc = roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("JUnit is not XML: {e}\n{junit}"));
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("failure")).count(), total, "JUnit failures");
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("testcase")).count(), reports.len());

        let github = render_to(|out| render::ci::write_github(out, run));
        let github = String::from_utf8(github).expect("GitHub output is UTF-8");
        assert_eq!(github.lines().count(), total, "one workflow command per finding");
        assert!(github.lines().all(|l| l.starts_with("::")), "{github}");

        let human = render_to(|out| render::human::write(out, run, false));
        let human = String::from_utf8(human).expect("human output is UTF-8");
        let concise = String::from_utf8(render_to(|out| render::concise::write(out, run))).expect("concise is UTF-8");
        assert_eq!(concise.lines().count(), total + 1, "one line per finding and the summary");
        assert!(
            !concise.contains(|c: char| c == '\u{1b}' || ('\u{80}'..='\u{9f}').contains(&c)),
            "raw control characters in concise output"
        );
        assert!(
            !human.contains(|c: char| c == '\u{1b}' || ('\u{80}'..='\u{9f}').contains(&c)),
            "raw control characters in human output"
        );
    }
}

/// Checks a SARIF log's structure: the fields GitHub code scanning reads.
fn check_sarif(bytes: &[u8], set: &RuleSet, total: usize) {
    let log: serde_json::Value = serde_json::from_slice(bytes).expect("SARIF parses");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("SARIF rules");
    assert_eq!(rules.len(), set.rules.len());
    let results = run["results"].as_array().expect("SARIF results");
    assert_eq!(results.len(), total);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(r["ruleId"], rules[index]["id"]);
        assert!(matches!(r["level"].as_str(), Some("error" | "warning" | "note")));
        assert!(r["message"]["text"].is_string());
        let location = &r["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string());
        let region = &location["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or_else(|| panic!("region.{k}"));
        assert!(n("startLine") >= 1 && n("startColumn") >= 1 && n("endLine") >= n("startLine"));
        assert!(n("endLine") > n("startLine") || n("endColumn") > n("startColumn"), "empty region");
        assert!(r["partialFingerprints"]["iryolint/v2"].as_str().is_some_and(|f| f.len() == 16));
    }
}

fn render_to(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out).expect("rendering to memory cannot fail");
    out
}
