//! The page of `iryolint serve` in a real browser: runs
//! `tests/browser/serve_page.py` (Playwright for Python driving Debian's
//! headless Chromium). Skipped, with a message on the terminal, when Python,
//! Playwright or Chromium is missing, unless `IRYOLINT_REQUIRE_BROWSER` is
//! set (as `.ci/run` does after installing them), when missing is a failure.
//! `IRYOLINT_PYTHON` picks the interpreter (default `python3`).

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The script's exit code for "skipped".
const SKIPPED: i32 = 77;

fn skip(why: &str) {
    if std::env::var_os("IRYOLINT_REQUIRE_BROWSER").is_some() {
        panic!("the browser test cannot run but IRYOLINT_REQUIRE_BROWSER is set: {why}");
    }
    // Straight to the terminal: the test harness would hide eprintln! of a passing test.
    let _ = writeln!(std::io::stderr(), "\nSKIPPED serve_browser: {why}\n");
}

#[test]
fn the_page_in_headless_chromium() {
    let python = std::env::var("IRYOLINT_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve_page.py");
    let out = match Command::new(&python).arg(&script).arg("--bin").arg(env!("CARGO_BIN_EXE_iryolint")).output() {
        Ok(out) => out,
        Err(e) => return skip(&format!("cannot run {python}: {e}")),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => assert!(stdout.contains("browser test passed"), "{stdout}"),
        Some(SKIPPED) => skip(stdout.trim().trim_start_matches("SKIP: ")),
        _ => panic!("the browser test failed:\n{stdout}\n{stderr}"),
    }
}
