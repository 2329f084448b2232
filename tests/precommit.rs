//! The pre-commit hook end to end: pre-commit, installed from PyPI into a
//! virtualenv under target/, builds iryolint from this repository's
//! `.pre-commit-hooks.yaml` at HEAD, and a throwaway git repository that
//! uses the hook cannot commit a violating page but can commit a clean one.
//!
//! Slow the first time (pre-commit builds the crate); the virtualenv, the
//! pre-commit cache and the cargo target folder are kept under target/.
//!
//! It needs the network (PyPI for pre-commit, crates.io for the hook's
//! build). It is skipped, with a message saying why, when
//! `IRYOLINT_OFFLINE` is set or PyPI cannot be reached, so that
//! `cargo test --release` passes on a machine without a registry.
//! `.ci/run` sets `IRYOLINT_REQUIRE_NETWORK_TESTS=1`, which turns a skip
//! into a failure there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sh(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    out
}

fn ok(cmd: &mut Command) -> Output {
    let out = sh(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com");
    c
}

/// Why the test cannot run here, if it cannot.
fn offline_reason() -> Option<String> {
    if std::env::var_os("IRYOLINT_OFFLINE").is_some_and(|v| !v.is_empty()) {
        return Some("IRYOLINT_OFFLINE is set".to_string());
    }
    // pip's own view of its index (proxy, mirror and certificates
    // included), with a short timeout and no retries.
    let probe = Command::new("python3")
        .args(["-m", "pip", "index", "versions", "pre-commit", "--timeout", "10", "--retries", "0"])
        .output();
    match probe {
        Err(e) => Some(format!("python3 cannot be run: {e}")),
        Ok(out) if !out.status.success() => Some(format!(
            "PyPI is unreachable (`pip index versions pre-commit`: {})",
            String::from_utf8_lossy(&out.stderr).lines().rfind(|l| !l.trim().is_empty()).unwrap_or("failed").trim()
        )),
        Ok(_) => None,
    }
}

#[test]
fn pre_commit_blocks_a_violating_page_and_passes_a_clean_one() {
    if let Some(reason) = offline_reason() {
        let required = std::env::var_os("IRYOLINT_REQUIRE_NETWORK_TESTS").is_some_and(|v| !v.is_empty());
        assert!(!required, "IRYOLINT_REQUIRE_NETWORK_TESTS is set but the pre-commit test cannot run: {reason}");
        eprintln!("skipped pre_commit_blocks_a_violating_page_and_passes_a_clean_one: {reason}");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/precommit");
    std::fs::create_dir_all(&work).unwrap();
    let venv = work.join("venv");
    let pre_commit = venv.join("bin/pre-commit");
    if !pre_commit.exists() {
        ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]));
    }
    let head = ok(git(&root).args(["rev-parse", "HEAD"]));
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let hooks_at_head = sh(git(&root).args(["cat-file", "-e", &format!("{head}:.pre-commit-hooks.yaml")]));
    assert!(hooks_at_head.status.success(), ".pre-commit-hooks.yaml must be committed for pre-commit to use it");

    let site = tempfile::tempdir().unwrap();
    let site = site.path();
    ok(git(site).args(["init", "--quiet"]));
    let config = format!("repos:\n- repo: {}\n  rev: {head}\n  hooks:\n  - id: iryolint\n", root.display());
    std::fs::write(site.join(".pre-commit-config.yaml"), config).unwrap();
    let env = |c: &mut Command| {
        c.env("PRE_COMMIT_HOME", work.join("cache")).env("CARGO_TARGET_DIR", work.join("cargo-target"));
    };
    let mut install = Command::new(&pre_commit);
    install.current_dir(site).arg("install");
    env(&mut install);
    ok(&mut install);
    ok(git(site).args(["add", ".pre-commit-config.yaml"]));

    std::fs::write(site.join("exosome.md"), "# エクソソーム点滴\n\n当院は症例数日本一。副作用は一切ありません。\n")
        .unwrap();
    ok(git(site).args(["add", "exosome.md"]));
    let mut commit = git(site);
    commit.args(["commit", "--quiet", "-m", "violating page"]);
    env(&mut commit);
    let blocked = sh(&mut commit);
    let output = format!("{}{}", String::from_utf8_lossy(&blocked.stdout), String::from_utf8_lossy(&blocked.stderr));
    assert!(!blocked.status.success(), "the commit should be blocked:\n{output}");
    assert!(output.contains("exosome.md") && output.contains("superlative-number-one"), "{output}");

    ok(git(site).args(["rm", "--cached", "--quiet", "exosome.md"]));
    std::fs::write(site.join("access.md"), "# アクセス\n\n当院は駅から徒歩5分です。診療時間は9時から18時です。\n")
        .unwrap();
    ok(git(site).args(["add", "access.md"]));
    let mut commit = git(site);
    commit.args(["commit", "--quiet", "-m", "clean page"]);
    env(&mut commit);
    ok(&mut commit);
}
