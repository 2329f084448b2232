//! A baseline file: no panic; an error naming the file, or a baseline that
//! removes only findings there are, leaving reports that still render.
#![no_main]

mod common;

use iryolint::baseline::Baseline;
use iryolint::lint::lint_text;
use libfuzzer_sys::fuzz_target;

const PAGES: [(&str, &str); 2] = [
    ("a.txt", "当院のぴよぴよ体操は日本一です。\n副作用はありません。ぴよぴよ体操。\n"),
    ("site/b.txt", "必ず治ります。ふがふが体操で効果抜群。\nテスト用情報語。\n"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let set = common::rule_set();
    match Baseline::parse("b.json", text) {
        Ok(baseline) => {
            let mut reports: Vec<_> = PAGES.iter().map(|(path, page)| lint_text(path, page, set)).collect();
            let total: usize = reports.iter().map(|r| r.findings.len()).sum();
            let removed = baseline.filter(&mut reports).hidden;
            let left: usize = reports.iter().map(|r| r.findings.len()).sum();
            assert_eq!(removed + left, total);
            common::invariants::check_outputs_in(&reports, set, iryolint::Lang::En, text.len() % 4 == 0);
        }
        Err(message) => assert!(message.starts_with("b.json"), "{message}"),
    }
});
