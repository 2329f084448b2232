//! A finished run, as every output format reads it: the report of each
//! input (findings with their positions and, for the formats and baselines
//! that read them, fingerprints, computed once when the input was checked) and the rule sets that checked them.
//!
//! Each format in [`crate::render`] is one emitter over a [`Run`]; none of
//! them edits findings or computes anything but its own text.

use crate::lint::{FileReport, Finding};
use crate::rules::{RuleSet, RuleSpec};
use crate::Lang;

/// The reports of one run and what is needed to print them.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    /// One report per input checked, in input order.
    pub files: &'a [FileReport],
    /// The rule sets: a report's [`FileReport::set`] indexes this (one set
    /// unless nested config files chose others).
    pub sets: &'a [RuleSet],
    /// The language of messages.
    pub lang: Lang,
}

impl<'a> Run<'a> {
    /// A run over `files` checked with `sets`.
    pub fn new(files: &'a [FileReport], sets: &'a [RuleSet], lang: Lang) -> Run<'a> {
        Run { files, sets, lang }
    }

    /// The rule set that checked `file`.
    pub fn set(&self, file: &FileReport) -> &'a RuleSet {
        &self.sets[self.set_index(file)]
    }

    /// The index in [`Run::sets`] of the rule set that checked `file`.
    pub fn set_index(&self, file: &FileReport) -> usize {
        file.set.min(self.sets.len() - 1)
    }

    /// The rule of finding `f` of `file`.
    pub fn rule(&self, file: &FileReport, f: &Finding) -> &'a RuleSpec {
        &self.set(file).rules[f.rule]
    }

    /// Every finding with its file, in report order.
    pub fn findings(&self) -> impl Iterator<Item = (&'a FileReport, &'a Finding)> + 'a {
        self.files.iter().flat_map(|file| file.findings.iter().map(move |f| (file, f)))
    }

    /// Every rule the run's sets report ([`RuleSet::reports`]), each id
    /// once, in set order: what a format that lists rules (SARIF) lists.
    pub fn rules(&self) -> Vec<&'a RuleSpec> {
        let mut seen = std::collections::HashSet::new();
        let reported = self.sets.iter().flat_map(|s| s.rules.iter().enumerate().filter(|&(r, _)| s.reports(r)));
        reported.map(|(_, rule)| rule).filter(|r| seen.insert(r.id.as_str())).collect()
    }
}
