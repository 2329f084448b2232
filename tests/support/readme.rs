//! The README's snippets, for the tests that run them (tests/readme.rs,
//! tests/precommit.rs), so that the README cannot drift from what works;
//! and the rule for tests that need the network.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README's text.
pub fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md is readable")
}

/// One fenced code block of the README.
#[derive(Clone, Debug)]
pub struct CodeBlock {
    /// Its info string (`yaml`, `sh`…).
    pub lang: String,
    /// Its text, with a final line break.
    pub body: String,
    /// The 1-based line of its opening fence.
    pub line: usize,
    /// The last heading above it (`## Install`), `""` before the first.
    pub heading: String,
}

/// Every fenced (```) code block of `text`, in order.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    let mut heading = String::new();
    for (i, line) in text.lines().enumerate() {
        match &mut open {
            Some(block) if line.trim_start().starts_with("```") => {
                blocks.push(block.clone());
                open = None;
            }
            Some(block) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            None if line.starts_with("```") => {
                let lang = line.trim_start_matches('`').trim().to_string();
                open = Some(CodeBlock { lang, body: String::new(), line: i + 1, heading: heading.clone() });
            }
            None if line.starts_with('#') => heading = line.trim().to_string(),
            None => {}
        }
    }
    blocks
}

/// The README's YAML blocks for which `pick` holds.
pub fn yaml_blocks(pick: impl Fn(&CodeBlock) -> bool) -> Vec<CodeBlock> {
    code_blocks(&readme()).into_iter().filter(|b| b.lang == "yaml" && pick(b)).collect()
}

/// Replaces the value of every `key: value` line of `yaml` (at any
/// indentation, after an optional `- `) with `value`, keeping any comment.
pub fn set_yaml_value(yaml: &str, key: &str, value: &str) -> String {
    yaml.lines()
        .map(|line| {
            let body = line.trim_start().trim_start_matches("- ");
            match body.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')) {
                Some(_) => {
                    let lead = &line[..line.len() - body.len()];
                    format!("{lead}{key}: {value}\n")
                }
                None => format!("{line}\n"),
            }
        })
        .collect()
}

/// The values of `key: value` lines of `yaml` (comments dropped).
pub fn yaml_values(yaml: &str, key: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|line| {
            let body = line.trim_start().trim_start_matches("- ");
            let rest = body.strip_prefix(key)?.strip_prefix(':')?;
            Some(rest.split(" #").next().unwrap_or("").trim().to_string())
        })
        .collect()
}

/// A test that needs a tool or the network and cannot have it: skipped
/// with `reason`, unless `IRYOLINT_REQUIRE_NETWORK_TESTS` is set (as
/// `.ci/run` does), where it fails.
pub fn skip(test: &str, reason: &str) {
    let required = std::env::var_os("IRYOLINT_REQUIRE_NETWORK_TESTS").is_some_and(|v| !v.is_empty());
    assert!(!required, "IRYOLINT_REQUIRE_NETWORK_TESTS is set but {test} cannot run: {reason}");
    eprintln!("skipped {test}: {reason}");
}

/// Whether `IRYOLINT_OFFLINE` asks to skip the tests that need the network.
pub fn offline_requested() -> bool {
    std::env::var_os("IRYOLINT_OFFLINE").is_some_and(|v| !v.is_empty())
}

/// The full commit id of `rev` in the repository at `dir`.
pub fn commit_of(dir: &Path, rev: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
