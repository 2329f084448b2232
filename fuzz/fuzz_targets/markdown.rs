//! Any bytes as a Markdown input (file name `page.md`): no panic, every span
//! exact, every output format well-formed.
#![no_main]

mod common;

use iryolint::extract::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_input("page.md", data, InputFormat::Markdown);
});
