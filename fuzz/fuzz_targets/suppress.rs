//! Suppression comments: the first byte chooses the format (plain text,
//! HTML, Markdown), the rest is the page. The indexed matching must agree
//! with matching every suppression against every finding.
#![no_main]

mod common;

use iryolint::extract::{self, InputFormat};
use iryolint::lint::{lint_format, Finding};
use iryolint::source::LineIndex;
use iryolint::suppress::{self, Suppression};
use libfuzzer_sys::fuzz_target;

fn naive(suppressions: &[Suppression], findings: &[Finding]) -> (Vec<Finding>, Vec<Suppression>) {
    let set = common::rule_set();
    let mut used = vec![false; suppressions.len()];
    let kept = findings
        .iter()
        .filter(|f| {
            let mut covered = false;
            for (i, s) in suppressions.iter().enumerate() {
                if suppress::covers(s, set, f.rule, &f.start) {
                    used[i] = true;
                    covered = true;
                }
            }
            !covered
        })
        .cloned()
        .collect();
    (kept, suppressions.iter().zip(used).filter(|(_, u)| !u).map(|(s, _)| s.clone()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(rest) else {
        return;
    };
    let format = [InputFormat::Text, InputFormat::Html, InputFormat::Markdown][mode as usize % 3];
    let set = common::rule_set();
    // Directives defused, same length: every finding, none suppressed.
    let all = lint_format("p", source.replace("iryolint-", "iryolinT-"), format, set).findings;
    let lines = LineIndex::new(source);
    let suppressions = suppress::parse(source, &lines, &extract::read(source, format).comments);
    let (expected_kept, expected_unused) = naive(&suppressions, &all);
    let mut kept = all;
    let unused = suppress::apply(suppressions, &mut kept, set);
    // Findings are compared by rule and span: their text may show the
    // defused directive.
    let key = |f: &Finding| (f.rule, f.start, f.end);
    assert_eq!(kept.iter().map(key).collect::<Vec<_>>(), expected_kept.iter().map(key).collect::<Vec<_>>());
    assert_eq!(unused, expected_unused);
    let report = lint_format("p", source.to_string(), format, set);
    assert_eq!(report.findings.iter().map(key).collect::<Vec<_>>(), kept.iter().map(key).collect::<Vec<_>>());
    common::invariants::check_spans(&report, format);
});
