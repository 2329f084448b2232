//! Finding the inputs: explicit files, and directories walked the way
//! ripgrep walks them (the `ignore` crate: `.gitignore`, `.ignore`, hidden
//! files skipped), in a stable name order, filtered by the config's
//! `include` and `exclude` globs.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Config;
use crate::extract::InputFormat;

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// The config's `include` and `exclude` globs, matched against paths
/// relative to the config file's directory.
#[derive(Debug, Default)]
pub struct FileFilter {
    base: Option<PathBuf>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

fn glob_set(globs: &[String], config: &Config, key: &str) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("{}: {key}: {}", config.path.display(), crate::diag::one_line(&e.to_string())))?);
    }
    b.build().map(Some).map_err(|e| format!("{}: {key}: {}", config.path.display(), crate::diag::one_line(&e.to_string())))
}

impl FileFilter {
    /// The filter of `config` (none: accept everything).
    pub fn new(config: Option<&Config>) -> Result<FileFilter, String> {
        let Some(c) = config else {
            return Ok(FileFilter::default());
        };
        Ok(FileFilter {
            base: std::fs::canonicalize(c.base()).ok(),
            include: glob_set(&c.include, c, "include")?,
            exclude: glob_set(&c.exclude, c, "exclude")?,
        })
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match &self.base {
            Some(base) => absolute.strip_prefix(base).map(Path::to_path_buf).unwrap_or(absolute),
            None => path.to_path_buf(),
        }
    }

    /// Whether `path` is excluded (applies to explicit files too).
    pub fn excluded(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|set| set.is_match(self.relative(path)))
    }

    /// Whether a file found by walking is checked.
    pub fn walked_file_wanted(&self, path: &Path) -> bool {
        InputFormat::for_path(path).is_some()
            && !self.excluded(path)
            && self.include.as_ref().is_none_or(|set| set.is_match(self.relative(path)))
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

/// Adds `path` to `inputs`: a file as it is (unless excluded), a directory
/// walked recursively. Returns the errors met on the way (a path that does
/// not exist, a folder that cannot be read, a path too long): each is
/// reported, and the walk goes on past it.
pub fn discover(path: &Path, filter: &FileFilter, inputs: &mut Vec<Input>) -> Vec<String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return vec![format!("{}: {}", path.display(), io_message(&e))],
    };
    if !meta.is_dir() {
        if !filter.excluded(path) {
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
                if entry.file_type().is_some_and(|t| t.is_file()) && filter.walked_file_wanted(entry.path()) {
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
