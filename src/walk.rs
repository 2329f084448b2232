//! Finding the inputs: explicit files, and directories walked the way
//! ripgrep walks them (the `ignore` crate: `.gitignore`, `.ignore`, hidden
//! files skipped), in a stable name order, filtered by the config's
//! `include` and `exclude` globs.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::{Config, Setting};
use crate::extract::InputFormat;

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// The config's `include` and `exclude` globs, each matched against paths
/// relative to the folder of the config file that wrote it. The filter
/// remembers which `include` globs matched a walked file, so that a glob
/// that matches nothing can be reported.
#[derive(Debug, Default)]
pub struct FileFilter {
    include: Globs,
    exclude: Globs,
    matched: Vec<AtomicBool>,
}

/// Globs grouped by the folder they are relative to.
#[derive(Debug, Default)]
struct Globs {
    settings: Vec<Setting>,
    /// (canonical base, its globs, their indices in `settings`).
    groups: Vec<(PathBuf, GlobSet, Vec<usize>)>,
}

impl Globs {
    fn new(settings: &[Setting], key: &str) -> Result<Globs, String> {
        let mut groups: Vec<(PathBuf, GlobSetBuilder, Vec<usize>)> = Vec::new();
        for (i, s) in settings.iter().enumerate() {
            let glob = Glob::new(&s.value)
                .map_err(|e| format!("{} {key}: {}", s.at, crate::diag::one_line(&e.to_string())))?;
            let base = std::fs::canonicalize(&s.base).unwrap_or_else(|_| s.base.clone());
            match groups.iter_mut().find(|g| g.0 == base) {
                Some(g) => {
                    g.1.add(glob);
                    g.2.push(i);
                }
                None => {
                    let mut b = GlobSetBuilder::new();
                    b.add(glob);
                    groups.push((base, b, vec![i]));
                }
            }
        }
        let mut built = Vec::new();
        for (base, b, indices) in groups {
            let set = b.build().map_err(|e| format!("{key}: {}", crate::diag::one_line(&e.to_string())))?;
            built.push((base, set, indices));
        }
        Ok(Globs { settings: settings.to_vec(), groups: built })
    }

    fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }

    /// The indices of the globs that match the file at `absolute`.
    fn matches(&self, absolute: &Path) -> Vec<usize> {
        let mut out = Vec::new();
        for (base, set, indices) in &self.groups {
            let relative = absolute.strip_prefix(base).unwrap_or(absolute);
            out.extend(set.matches(relative).into_iter().map(|i| indices[i]));
        }
        out
    }
}

impl FileFilter {
    /// The filter of `config` (none: accept everything).
    pub fn new(config: Option<&Config>) -> Result<FileFilter, String> {
        let Some(c) = config else {
            return Ok(FileFilter::default());
        };
        Ok(FileFilter {
            include: Globs::new(&c.include, "include")?,
            exclude: Globs::new(&c.exclude, "exclude")?,
            matched: c.include.iter().map(|_| AtomicBool::new(false)).collect(),
        })
    }

    fn absolute(path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }

    /// Whether `path` is excluded (applies to explicit files too).
    pub fn excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && !self.exclude.matches(&Self::absolute(path)).is_empty()
    }

    /// Whether a file found by walking is checked.
    pub fn walked_file_wanted(&self, path: &Path) -> bool {
        if InputFormat::for_path(path).is_none() || self.excluded(path) {
            return false;
        }
        if self.include.is_empty() {
            return true;
        }
        let hits = self.include.matches(&Self::absolute(path));
        for &i in &hits {
            self.matched[i].store(true, Ordering::Relaxed);
        }
        !hits.is_empty()
    }

    /// Whether the filter has `include` globs.
    pub fn has_include(&self) -> bool {
        !self.include.is_empty()
    }

    /// The `include` globs that no walked file has matched so far.
    pub fn unmatched_includes(&self) -> Vec<&Setting> {
        self.include
            .settings
            .iter()
            .zip(&self.matched)
            .filter(|(_, m)| !m.load(Ordering::Relaxed))
            .map(|(s, _)| s)
            .collect()
    }
}

/// A readable message for an I/O error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Adds `path` to `inputs`: a file as it is when `wanted(path, false)`, a
/// directory walked recursively, keeping the files for which
/// `wanted(file, true)`. Returns the errors met on the way (a path that
/// does not exist, a folder that cannot be read, a path too long): each is
/// reported, and the walk goes on past it.
pub fn discover(path: &Path, wanted: &mut dyn FnMut(&Path, bool) -> bool, inputs: &mut Vec<Input>) -> Vec<String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return vec![format!("{}: {}", path.display(), io_message(&e))],
    };
    if !meta.is_dir() {
        if wanted(path, false) {
            inputs.push(Input::File(path.to_path_buf()));
        }
        return Vec::new();
    }
    let walker = ignore::WalkBuilder::new(path)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .ignore(true)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    let mut errors = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file()) && wanted(entry.path(), true) {
                    inputs.push(Input::File(entry.into_path()));
                }
            }
            Err(e) => errors.push(walk_error(&e)),
        }
    }
    errors
}

/// `PATH: what went wrong` for an error of the walk.
fn walk_error(e: &ignore::Error) -> String {
    fn describe(e: &ignore::Error, path: Option<&Path>) -> String {
        match e {
            ignore::Error::WithPath { path, err } => describe(err, Some(path)),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => describe(err, path),
            ignore::Error::Io(io) => match path {
                Some(p) => format!("{}: {}", p.display(), io_message(io)),
                None => io_message(io),
            },
            ignore::Error::Loop { ancestor, child } => {
                format!("{}: a symbolic link loop back to {}", child.display(), ancestor.display())
            }
            ignore::Error::Partial(errors) => errors.iter().map(|e| describe(e, path)).collect::<Vec<_>>().join("; "),
            other => match path {
                Some(p) => format!("{}: {other}", p.display()),
                None => other.to_string(),
            },
        }
    }
    describe(e, None)
}
