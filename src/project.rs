//! The project a run checks: its root folder, and the config file (with
//! its rule set and file filter) in effect for each file.
//!
//! The config in effect at the working directory (or `--config`) applies
//! to every input; when walking without `--config` or `--no-config`, a file
//! under a folder with its own config file is checked with that file
//! instead (the nearest one upward from the file, as ruff does), so that a
//! site's `iryolint.toml` applies to its pages when the repository root is
//! checked. Output settings (format, language, `fail-on`, limits) come
//! from the config at the working directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cli::GlobalArgs;
use crate::config::{self, Config};
use crate::rules::RuleSet;
use crate::walk::FileFilter;

/// One config file in use, with what it compiles to.
pub struct Scope {
    /// The config (none: `--no-config`, or none found).
    pub config: Option<Config>,
    /// Its file filter.
    pub filter: FileFilter,
}

/// The configs in use and the root the project's paths are relative to.
pub struct Project {
    /// The scopes: 0 is the config at the working directory.
    pub scopes: Vec<Scope>,
    /// Their rule sets, in the same order.
    pub sets: Vec<RuleSet>,
    /// The canonical project root.
    pub root: PathBuf,
    /// Whether files look for their own config.
    nested: bool,
    /// Nearest scope by folder (canonical), `Err` for a config that could
    /// not be loaded (its message already returned once).
    by_dir: HashMap<PathBuf, Result<usize, ()>>,
    /// The canonical path of scope 0's config file.
    top_file: Option<PathBuf>,
}

/// The folder a run's paths are relative to when there is no config: the
/// repository's root (a folder holding `.git`) at or above `cwd`, else
/// `cwd`.
pub fn repository_root(cwd: &Path) -> PathBuf {
    cwd.ancestors().find(|d| d.join(".git").exists()).unwrap_or(cwd).to_path_buf()
}

impl Project {
    /// The project of a run whose config at the working directory is
    /// `config`, compiled to `set`.
    pub fn new(global: &GlobalArgs, config: Option<Config>, set: RuleSet) -> Result<Project, String> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let root = match &config {
            Some(c) => c.root().to_path_buf(),
            None => repository_root(&cwd),
        };
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let top_file = config.as_ref().map(|c| std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone()));
        let filter = FileFilter::new(config.as_ref())?;
        Ok(Project {
            scopes: vec![Scope { config, filter }],
            sets: vec![set],
            root,
            nested: global.config.is_none() && !global.no_config,
            by_dir: HashMap::new(),
            top_file,
        })
    }

    /// The scope of the file at `path`, loading its config the first time
    /// it is needed. `Err` carries the message of a config that cannot be
    /// loaded, the first time only (`Err(None)` after that).
    pub fn scope_of(&mut self, global: &GlobalArgs, path: &Path) -> Result<usize, Option<String>> {
        if !self.nested {
            return Ok(0);
        }
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let Some(dir) = absolute.parent() else {
            return Ok(0);
        };
        self.scope_of_dir(global, dir)
    }

    fn scope_of_dir(&mut self, global: &GlobalArgs, dir: &Path) -> Result<usize, Option<String>> {
        if let Some(known) = self.by_dir.get(dir) {
            return known.map_err(|()| None);
        }
        let found = match config::in_dir(dir) {
            Some(file) => {
                let canonical = std::fs::canonicalize(&file).unwrap_or(file.clone());
                if Some(&canonical) == self.top_file.as_ref() {
                    Ok(0)
                } else {
                    self.load(global, &config::shown(file))
                }
            }
            None => match dir.parent() {
                Some(parent) => self.scope_of_dir(global, parent),
                None => Ok(0),
            },
        };
        self.by_dir.insert(dir.to_path_buf(), found.as_ref().map(|&i| i).map_err(|_| ()));
        found
    }

    fn load(&mut self, global: &GlobalArgs, file: &Path) -> Result<usize, Option<String>> {
        let config = Config::load(file)?;
        let set = crate::app::load_rules(global, Some(&config))?;
        let filter = FileFilter::new(Some(&config))?;
        self.scopes.push(Scope { config: Some(config), filter });
        self.sets.push(set);
        Ok(self.scopes.len() - 1)
    }

    /// `path` relative to the project root, with forward slashes (the path
    /// as given, cleaned, when it is outside the root).
    pub fn relative(&self, path: &Path) -> String {
        let absolute = std::fs::canonicalize(path).ok().or_else(|| {
            let cwd = std::env::current_dir().ok()?;
            Some(std::fs::canonicalize(&cwd).unwrap_or(cwd).join(path))
        });
        match absolute.as_deref().and_then(|a| a.strip_prefix(&self.root).ok()) {
            Some(relative) => crate::lint::project_path(&relative.to_string_lossy()),
            None => crate::lint::project_path(&path.to_string_lossy()),
        }
    }

    /// The messages for the `include` globs of configs whose folder is
    /// inside one of the walked `roots` that matched no walked file, each
    /// once.
    pub fn unmatched_includes(&self, roots: &[PathBuf], lang: crate::Lang) -> Vec<String> {
        let roots: Vec<PathBuf> = roots.iter().filter_map(|r| std::fs::canonicalize(r).ok()).collect();
        let matched_somewhere = |at: &str| {
            self.scopes.iter().any(|s| {
                s.config.as_ref().is_some_and(|c| c.include.iter().any(|g| g.at == at))
                    && !s.filter.unmatched_includes().iter().any(|g| g.at == at)
            })
        };
        let mut out: Vec<String> = Vec::new();
        for scope in &self.scopes {
            let Some(c) = &scope.config else { continue };
            let base = std::fs::canonicalize(c.base()).unwrap_or_else(|_| c.base().to_path_buf());
            if !roots.iter().any(|r| base.starts_with(r)) {
                continue;
            }
            for glob in scope.filter.unmatched_includes() {
                let value = crate::diag::one_line(&glob.value);
                let message = crate::messages::INCLUDE_UNMATCHED.fill(lang, &[&glob.at, &value]);
                if !matched_somewhere(&glob.at) && !out.contains(&message) {
                    out.push(message);
                }
            }
        }
        out
    }
}
