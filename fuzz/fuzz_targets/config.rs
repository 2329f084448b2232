//! The config file: no panic, a one-line error naming the file and its
//! line and column, or a config whose names, globs and severities apply.
#![no_main]

mod common;

use std::path::Path;
use std::sync::OnceLock;

use iryolint::config::Config;
use iryolint::rules::Pack;
use iryolint::walk::FileFilter;
use libfuzzer_sys::fuzz_target;

fn embedded() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::embedded().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(Path::new("iryolint.toml"), text.to_string()) {
        Ok(config) => {
            if let Err(message) = config.check_names(embedded().rules.iter().map(|r| r.id.as_str())) {
                assert!(message.starts_with("iryolint.toml:") && !message.contains('\n'), "{message}");
            }
            if let Err(message) = FileFilter::new(Some(&config)) {
                assert!(message.starts_with("iryolint.toml:") && !message.contains('\n'), "{message}");
            }
            let mut pack = Pack::default();
            pack.add_file("test-rules.toml", include_str!("../../tests/data/test-rules.toml")).unwrap();
            config.apply_severities(&mut pack);
        }
        Err(message) => {
            assert!(message.starts_with("iryolint.toml:"), "{message}");
            assert!(!message.contains('\n'), "not one line: {message}");
        }
    }
});
