//! Copy that makes no claim must get no span finding: every page of
//! fixtures/compliant, linted with the whole embedded pack.

use iryolint::lint::lint_text;
use iryolint::rules::{Pack, RuleSet};
use std::path::Path;

#[test]
fn compliant_pages_get_no_span_findings() {
    // The rules themselves must stay quiet here, not only what the
    // precision model lets through.
    let mut set = RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap();
    set.keep_unlikely = true;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/compliant");
    let mut pages = 0;
    let mut alarms = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        pages += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let report = lint_text(&path.display().to_string(), &text, &set);
        for f in report.findings.iter().filter(|f| f.missing.is_empty()) {
            alarms.push(format!(
                "{}: {} «{}»",
                path.file_name().unwrap().to_string_lossy(),
                set.rules[f.rule].id,
                f.text
            ));
        }
    }
    assert!(pages >= 5, "fixtures/compliant holds {pages} pages");
    assert!(alarms.is_empty(), "false alarms on compliant copy:\n{}", alarms.join("\n"));
}
