//! iryolint: a linter for Japanese clinic advertising copy.
//!
//! The pipeline, one stage per module:
//!
//! 1. [`source`]: bytes → UTF-8 text (encoding detection) and line index.
//! 2. [`extract`]: text → visible characters in blocks, each character
//!    carrying its exact source byte range (plain text, HTML, Markdown).
//! 3. [`text`]: blocks → one normalized [`text::Document`] (width, case and
//!    dash folding; hard wraps removed) cut into sentences, with a byte map
//!    back to the source.
//! 4. [`rules`]: the TOML rule pack → one compiled [`rules::RuleSet`]: every
//!    literal in one Aho-Corasick automaton.
//! 5. [`engine`]: one scan of the document → findings of the four rule
//!    kinds (phrase, claim, evidence-leap, disclosure); a precision model
//!    ([`engine::likely`]) marks the span findings a reviewer is unlikely
//!    to mark, or less sure than the run's `--min-confidence`, which leave
//!    the report unless the run keeps every finding (`--all-findings`,
//!    [`rules::RuleSet::keep_unlikely`]).
//! 6. [`lint`]: the whole pipeline for one input, findings mapped to
//!    source positions and given their [`fingerprint`]s (when the output
//!    reads them); a [`report::Run`] holds a run's finished findings,
//!    [`baseline`] hides known ones and [`render`] prints them, one emitter
//!    per format, with the strings of [`messages`]; [`project`] picks the
//!    config of each file; [`app`] runs a command line;
//!    [`lsp`] serves the same findings to editors.
//!    [`stream`] checks crawls (JSON Lines, WARC) record by record.
//!
//! ```
//! use iryolint::{lint, rules};
//! let set = rules::RuleSet::compile(rules::Pack::embedded().unwrap(), |_| true).unwrap();
//! let report = lint::lint_text("page.txt", "当院の施術は副作用が一切ありません。", &set);
//! assert!(report.findings.iter().any(|f| f.category == rules::Category::SafetyClaim));
//! ```

#![warn(missing_docs)]

pub mod app;
pub mod atomic;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod contain;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod extract;
pub mod features;
pub mod fingerprint;
pub mod input;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod messages;
pub mod project;
pub mod render;
pub mod report;
pub mod rules;
pub mod serve;
pub mod source;
pub mod stream;
pub mod suppress;
pub mod text;
pub mod walk;

/// The language of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Japanese when the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) is, else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

/// What unit tests of several modules share.
#[cfg(test)]
pub(crate) mod test_support {
    /// Every file under `fixtures/`, sorted: the project's own pages, which
    /// tests of the engine run over.
    pub fn fixture_files() -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut stack = vec![std::path::PathBuf::from("fixtures")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }
}
