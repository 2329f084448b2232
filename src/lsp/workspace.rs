//! The rules in effect for a document: the config file the command line
//! would use for it (`--config`, else the nearest `iryolint.toml` from the
//! document's folder upward), with its team rule files and products,
//! compiled once per config file and reloaded when any of those files
//! changes on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

use crate::app;
use crate::cli::GlobalArgs;
use crate::config::{self, Config};
use crate::rules::RuleSet;
use crate::Lang;

/// Rules compiled for one config file.
#[derive(Debug)]
pub struct Loaded {
    /// The compiled rules.
    pub set: RuleSet,
    /// The message language: `--lang`, else the config's, else the locale's.
    pub lang: Lang,
    /// The config's `front-matter-keys` (`None`: the defaults).
    pub front_matter_keys: Option<Vec<String>>,
    /// The files these rules came from, as they were when read.
    stamps: Vec<(PathBuf, Option<Stamp>)>,
}

/// What tells that a file changed: its modification time and length.
type Stamp = (SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Loaded {
    /// Whether every file these rules came from is unchanged.
    fn is_fresh(&self) -> bool {
        self.stamps.iter().all(|(path, was)| stamp(path) == *was)
    }
}

/// Compiled rules per config file.
pub struct Workspace<'a> {
    global: &'a GlobalArgs,
    /// Where to look for a config for documents that have no path.
    root: Option<PathBuf>,
    cache: HashMap<Option<PathBuf>, Rc<Loaded>>,
}

impl<'a> Workspace<'a> {
    /// A workspace rooted at `root` (the client's root folder), using the
    /// command line's `--config`, `--no-config`, `--rules`, `--select`,
    /// `--ignore` and `--lang`.
    pub fn new(global: &'a GlobalArgs, root: Option<PathBuf>) -> Workspace<'a> {
        Workspace { global, root, cache: HashMap::new() }
    }

    /// The rules for a document at `path` (or, without a path, for the
    /// workspace root), reloaded when their files changed since.
    pub fn rules_for(&mut self, path: Option<&Path>) -> Result<Rc<Loaded>, String> {
        let start = match path.and_then(Path::parent) {
            Some(dir) => Some(dir.to_path_buf()),
            None => self.root.clone().or_else(|| std::env::current_dir().ok()),
        };
        let config_path = app::config_path(self.global, start.as_deref());
        if let Some(loaded) = self.cache.get(&config_path).filter(|l| l.is_fresh()) {
            return Ok(loaded.clone());
        }
        self.cache.remove(&config_path);
        let loaded = Rc::new(self.load(config_path.as_deref())?);
        self.cache.insert(config_path, loaded.clone());
        Ok(loaded)
    }

    fn load(&self, config_path: Option<&Path>) -> Result<Loaded, String> {
        // Stamped before reading, so that a write during the load shows as
        // a change next time.
        let config_stamp = config_path.map(|p| (p.to_path_buf(), stamp(p)));
        let config = config_path.map(Config::load).transpose()?;
        let rule_files = config.as_ref().map(Config::rule_files).unwrap_or_default();
        let mut stamps: Vec<(PathBuf, Option<Stamp>)> =
            rule_files.iter().chain(&self.global.rules).map(|p| (p.clone(), stamp(p))).collect();
        stamps.extend(config_stamp);
        // The files it extends: a change to the root config reloads a site's.
        stamps.extend(config.iter().flat_map(|c| &c.extends).map(|p| (p.clone(), stamp(p))));
        let set = app::load_rules(self.global, config.as_ref())?;
        let lang = self.global.lang.or(config.as_ref().and_then(|c| c.lang)).unwrap_or_else(Lang::from_env);
        let front_matter_keys = config.as_ref().and_then(Config::front_matter_key_names);
        Ok(Loaded { set, lang, front_matter_keys, stamps })
    }

    /// Whether a change to `path` may change the rules: a config file by
    /// name, or a file that loaded rules came from.
    pub fn depends_on(&self, path: &Path) -> bool {
        let is_config = path.file_name().is_some_and(|n| config::FILE_NAMES.iter().any(|c| n == *c));
        is_config || self.cache.values().any(|l| l.stamps.iter().any(|(p, _)| p == path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global() -> GlobalArgs {
        GlobalArgs {
            lang: None,
            rules: Vec::new(),
            config: None,
            no_config: false,
            select: Vec::new(),
            ignore: Vec::new(),
            all_findings: false,
            min_confidence: None,
        }
    }

    #[test]
    fn config_is_found_per_folder_and_reloaded_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let page = site.join("page.md");
        let global = global();
        let mut ws = Workspace::new(&global, None);
        let all = ws.rules_for(Some(&page)).unwrap();
        let config = dir.path().join("iryolint.toml");
        std::fs::write(&config, "lang = \"ja\"\nselect = [\"safety-claim\"]\n").unwrap();
        let selected = ws.rules_for(Some(&page)).unwrap();
        // A selection of the embedded pack is a mask over its rules.
        let reported = |set: &RuleSet| (0..set.rules.len()).filter(|&r| set.reports(r)).collect::<Vec<_>>();
        assert!(reported(&selected.set).len() < reported(&all.set).len());
        assert!(reported(&selected.set).iter().all(|&r| selected.set.rules[r].category.as_str() == "safety-claim"));
        assert_eq!(selected.lang, Lang::Ja);
        assert!(Rc::ptr_eq(&selected, &ws.rules_for(Some(&page)).unwrap()), "unchanged: cached");
        assert!(ws.depends_on(&config));
        std::fs::write(&config, "lang = \"en\"\nselect = [\"safety-claim\", \"inducement\"]\n").unwrap();
        let reloaded = ws.rules_for(Some(&page)).unwrap();
        assert_eq!(reloaded.lang, Lang::En);
        assert!(reported(&reloaded.set).len() > reported(&selected.set).len());
        std::fs::write(&config, "select = [\"no-such-rule\"]\n").unwrap();
        let err = ws.rules_for(Some(&page)).unwrap_err();
        assert!(err.contains("iryolint.toml:1:") && err.contains("no-such-rule"), "{err}");
    }
}
