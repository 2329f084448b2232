//! The README's pre-commit snippets end to end: each `.pre-commit-config.yaml`
//! snippet is taken from the README text, its `repo` pointed at this
//! checkout and its `rev` at the current commit, and run with real
//! pre-commit (installed from PyPI into a virtualenv under target/) in a
//! throwaway git repository, which cannot commit a violating page but can
//! commit a clean one. The `iryolint` hook builds iryolint from this
//! repository's `.pre-commit-hooks.yaml` at HEAD; the `iryolint-system`
//! hook runs the `iryolint` on PATH (the one `cargo test` built).
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

#[path = "support/readme.rs"]
mod readme;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

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

/// The pre-commit virtualenv's `pre-commit`, created once per test run.
fn pre_commit(work: &Path) -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY
        .get_or_init(|| {
            let venv = work.join("venv");
            let pre_commit = venv.join("bin/pre-commit");
            if !pre_commit.exists() {
                ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
                ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]));
            }
            pre_commit
        })
        .clone()
}

/// The README's `.pre-commit-config.yaml` snippet that uses hook `id`.
fn readme_snippet(id: &str) -> readme::CodeBlock {
    let snippets = readme::yaml_blocks(|b| b.body.starts_with("repos:"));
    let mut found = snippets.into_iter().filter(|b| readme::yaml_values(&b.body, "id") == [id]);
    let snippet = found.next().unwrap_or_else(|| panic!("the README has no pre-commit snippet for hook `{id}`"));
    assert!(found.next().is_none(), "two README snippets for hook `{id}`");
    snippet
}

/// Runs the README's snippet for hook `id` in a throwaway repository, with
/// `path` as PATH: a violating page is blocked with iryolint's findings, a
/// clean one commits. The error says what happened instead.
fn run_readme_snippet(id: &str, path: Option<&str>) -> Result<(), String> {
    let root = readme::root();
    let work = root.join("target/precommit");
    std::fs::create_dir_all(&work).unwrap();
    let pre_commit = pre_commit(&work);
    let head = readme::commit_of(&root, "HEAD").expect("the checkout has a HEAD commit");
    let hooks_at_head = sh(git(&root).args(["cat-file", "-e", &format!("{head}:.pre-commit-hooks.yaml")]));
    assert!(hooks_at_head.status.success(), ".pre-commit-hooks.yaml must be committed for pre-commit to use it");

    let snippet = readme_snippet(id);
    let config = readme::set_yaml_value(&snippet.body, "repo", &root.display().to_string());
    let config = readme::set_yaml_value(&config, "rev", &head);
    assert_eq!(readme::yaml_values(&config, "id"), [id], "{config}");

    let site = tempfile::tempdir().unwrap();
    let site = site.path();
    ok(git(site).args(["init", "--quiet"]));
    std::fs::write(site.join(".pre-commit-config.yaml"), &config).unwrap();
    let env = |c: &mut Command| {
        c.env("PRE_COMMIT_HOME", work.join("cache")).env("CARGO_TARGET_DIR", work.join("cargo-target"));
        if let Some(path) = path {
            c.env("PATH", path);
        }
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
    if blocked.status.success() {
        return Err(format!("the commit was not blocked:\n{output}"));
    }
    if !(output.contains("exosome.md") && output.contains("superlative-number-one")) {
        return Err(format!("the commit was blocked without iryolint's findings:\n{output}"));
    }

    ok(git(site).args(["rm", "--cached", "--quiet", "exosome.md"]));
    std::fs::write(site.join("access.md"), "# アクセス\n\n当院は駅から徒歩5分です。診療時間は9時から18時です。\n")
        .unwrap();
    ok(git(site).args(["add", "access.md"]));
    let mut commit = git(site);
    commit.args(["commit", "--quiet", "-m", "clean page"]);
    env(&mut commit);
    ok(&mut commit);
    Ok(())
}

#[test]
fn readme_rust_hook_blocks_a_violating_page_and_passes_a_clean_one() {
    if let Some(reason) = offline_reason() {
        readme::skip("readme_rust_hook_blocks_a_violating_page_and_passes_a_clean_one", &reason);
        return;
    }
    run_readme_snippet("iryolint", None).unwrap();
}

#[test]
fn readme_system_hook_runs_the_iryolint_on_path() {
    if let Some(reason) = offline_reason() {
        readme::skip("readme_system_hook_runs_the_iryolint_on_path", &reason);
        return;
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_iryolint")).parent().unwrap().display().to_string();
    let path = std::env::var("PATH").unwrap_or_default();
    run_readme_snippet("iryolint-system", Some(&format!("{bin_dir}:{path}"))).unwrap();
    // Without iryolint on PATH the hook cannot run: it really is the
    // installed binary, not a build.
    let without: Vec<&str> = path.split(':').filter(|dir| !Path::new(dir).join("iryolint").exists()).collect();
    let err = run_readme_snippet("iryolint-system", Some(&without.join(":"))).unwrap_err();
    assert!(err.contains("Executable `iryolint` not found"), "{err}");
}
