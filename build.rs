//! Embeds every `rules/**/*.toml` file in the binary, so that a new rule
//! file needs no Rust.

use std::{env, fs, path::Path};

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

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    let mut names = Vec::new();
    toml_files(&root, &root, &mut names);
    names.sort();
    let mut out = String::from("&[\n");
    for name in &names {
        let path = root.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push(']');
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_rules.rs"), out).unwrap();
}
