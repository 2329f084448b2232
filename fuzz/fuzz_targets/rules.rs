//! A team rule file, through the loader's public API: parse, validate,
//! compile, then lint the file's own text (where its literals and regex
//! anchors occur). No panic; every span exact.
#![no_main]

mod common;

use iryolint::extract::InputFormat;
use iryolint::lint::lint_format;
use iryolint::rules::{Pack, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut pack = Pack::default();
    if pack.add_file("team.toml", text).is_err() || pack.validate().is_err() {
        return;
    }
    let Ok(set) = RuleSet::compile(pack, |_| true) else {
        return;
    };
    let report = lint_format("page.txt", text.to_string(), InputFormat::Text, &set);
    common::invariants::check_spans(&report, InputFormat::Text);
    common::invariants::check_outputs_in(&[report], &set, iryolint::Lang::En, true);
});
