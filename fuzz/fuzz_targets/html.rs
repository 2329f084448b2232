//! Any bytes as an HTML input (file name `page.html`): no panic, every span
//! exact, every output format well-formed.
#![no_main]

mod common;

use iryolint::extract::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_input("page.html", data, InputFormat::Html);
});
