//! Embeds every `rules/**/*.toml` file in the binary, so that a new rule
//! file needs no Rust, and compiles them once, here, into the tables a run
//! needs (`OUT_DIR/embedded_tables.bin`, postcard parts: see
//! `compile::Tables::to_embedded`): a run with the embedded pack
//! then parses no TOML, expands no class, folds no literal and extracts no
//! regex gate, and reads the automaton (`embedded_automaton.bin`) instead
//! of building it. The loader and compiler are the crate's own modules,
//! included by path, so the build compiles exactly what a run would.

#![allow(dead_code, unused_imports)]

use std::{env, fs, path::Path};

#[path = "src/text/mod.rs"]
mod text;

#[path = "src/rules/automaton.rs"]
mod automaton;
#[path = "src/rules/backtrack.rs"]
mod backtrack;
#[path = "src/rules/classes.rs"]
mod classes;
#[path = "src/rules/compile.rs"]
mod compile;
#[path = "src/rules/gates.rs"]
mod gates;
#[path = "src/rules/load.rs"]
mod load;
#[path = "src/rules/schema.rs"]
mod schema;
#[path = "src/rules/signature.rs"]
mod signature;
#[path = "src/engine/weights.rs"]
mod weights;

/// The rule files `load::Pack::add_embedded` reads; the build passes them
/// explicitly instead (see `main`).
const EMBEDDED: &[(&str, &str)] = &[];

/// The crate's language switch, as the schema's texts need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

/// Every `.toml` file under `dir`, as paths relative to `root`, sorted.
fn toml_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in fs::read_dir(dir).expect("rules/ folder").filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            toml_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push(relative);
        }
    }
}

/// The embedded pack's tables (postcard) and its automaton, or why the pack
/// does not compile.
fn compile_tables(files: &[(String, String)]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut pack = load::Pack::default();
    for (name, text) in files {
        pack.add_embedded_file(name, text).map_err(|e| e.to_string())?;
    }
    pack.validate().map_err(|e| e.to_string())?;
    let tables = compile::Tables::compile(pack, |_| true);
    let automaton = automaton::Literals::build(tables.patterns()).to_bytes();
    Ok((tables.to_embedded().map_err(|e| e.to_string())?, automaton))
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&manifest).join("rules");
    let out_dir = env::var("OUT_DIR").unwrap();
    for source in ["src/rules", "src/text"] {
        println!("cargo:rerun-if-changed={}", Path::new(&manifest).join(source).display());
    }
    let mut names = Vec::new();
    toml_files(&root, &root, &mut names);
    names.sort();
    let mut out = String::from("&[\n");
    let mut files = Vec::new();
    for name in &names {
        let path = root.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", path.display().to_string()));
        files.push((name.clone(), fs::read_to_string(&path).expect("rule file")));
    }
    out.push(']');
    fs::write(Path::new(&out_dir).join("embedded_rules.rs"), out).unwrap();
    // An invalid pack is not a build error: the run compiles the pack
    // itself and reports the problem with its file and line, as before.
    let (tables, automaton) = compile_tables(&files).unwrap_or_else(|message| {
        println!("cargo:warning=embedded rule pack: {message}");
        (Vec::new(), Vec::new())
    });
    fs::write(Path::new(&out_dir).join("embedded_tables.bin"), tables).unwrap();
    fs::write(Path::new(&out_dir).join("embedded_automaton.bin"), automaton).unwrap();
    // The two models (the precision model and the claim model), tabled for
    // lookup in place. An invalid model is a build error: unlike a rule
    // file, a user never edits it.
    for (file, table) in [("model/precision.tsv", "precision_model.bin"), ("model/claims.tsv", "claims_model.bin")] {
        let model_path = Path::new(&manifest).join(file);
        println!("cargo:rerun-if-changed={}", model_path.display());
        let model = fs::read_to_string(&model_path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let model = weights::parse_tsv(&model).unwrap_or_else(|e| panic!("{file}: {e}"));
        fs::write(Path::new(&out_dir).join(table), weights::to_bytes(&model)).unwrap();
    }
}
