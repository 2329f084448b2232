//! Printing reports: one emitter per format over a finished
//! [`crate::report::Run`]: [`human`] (annotated snippets), [`concise`] (one
//! line per finding), [`json`] (the documented machine format), [`jsonl`]
//! (one line per page, for streams), [`sarif`], [`ci`] (GitHub, GitLab,
//! JUnit) and [`statistics`], plus the rule listings.

pub mod ci;
pub mod concise;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod rules;
pub mod sarif;
pub mod statistics;

use crate::lint::FileReport;
use crate::rules::Severity;

/// Counts over a whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Inputs checked.
    pub files: usize,
    /// Findings reported.
    pub findings: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Span findings the precision model dropped, or less sure than the
    /// run's `--min-confidence` (shown with `--all-findings`).
    pub unlikely: usize,
}

impl Summary {
    /// The last line of human and concise output.
    pub fn line(&self, lang: crate::Lang) -> String {
        use crate::messages::{plural, CHECKED, UNLIKELY_HIDDEN};
        let mut line = CHECKED.fill(
            lang,
            &[
                &self.files,
                &plural(self.files, "s"),
                &self.findings,
                &plural(self.findings, "s"),
                &self.errors,
                &self.warnings,
                &self.infos,
            ],
        );
        if self.unlikely > 0 {
            line.push_str(&UNLIKELY_HIDDEN.fill(lang, &[&self.unlikely]));
        }
        line
    }

    /// Counts the findings of `reports`.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for r in reports {
            s.add(r);
        }
        s
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Summary) {
        let Summary { files, findings, errors, warnings, infos, unlikely } = *other;
        self.files += files;
        self.findings += findings;
        self.errors += errors;
        self.warnings += warnings;
        self.infos += infos;
        self.unlikely += unlikely;
    }

    /// Counts one more input and its findings.
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        self.unlikely += report.unlikely.len();
        for f in &report.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}
