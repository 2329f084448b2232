//! Printing reports: [`human`] (annotated snippets), [`json`] (the
//! documented machine format) and [`jsonl`] (one line per page, for
//! streams), plus the rule listings.

pub mod ci;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod rules;
pub mod sarif;

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
}

impl Summary {
    /// Counts the findings of `reports`.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary { files: reports.len(), ..Summary::default() };
        for f in reports.iter().flat_map(|r| &r.findings) {
            s.findings += 1;
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
