//! What every target shares: the invariants of tests/support/ and one
//! check of a whole input.

#![allow(dead_code)]

#[path = "../../tests/support/invariants.rs"]
pub mod invariants;

use iryolint::extract::InputFormat;
use iryolint::lint::{lint_bytes, ReadOptions};

pub use invariants::rule_set;

/// Lints `data` as the file `name` (read as `format`) with the embedded
/// pack and the test rules; a report must keep every invariant.
pub fn check_input(name: &str, data: &[u8], format: InputFormat) {
    let set = rule_set();
    if let Ok(report) = lint_bytes(name, data, ReadOptions::default(), set) {
        invariants::check_spans(&report, format);
        // One language per input, SARIF for one input in four: rendering
        // is half the cost of an execution.
        let lang = if data.len().is_multiple_of(2) { iryolint::Lang::En } else { iryolint::Lang::Ja };
        invariants::check_outputs_in(&[report], set, lang, data.len() % 4 < 2);
    }
}
