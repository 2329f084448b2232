//! The rule pack: loading, validating and compiling rules.
//!
//! Rules are data (`rules/*.toml`, embedded at build time, plus files given
//! with `--rules`). [`load::Pack`] parses and validates them;
//! [`compile::RuleSet`] turns every literal of every rule, lexicon list and
//! product into one Aho-Corasick automaton, built once per process.

pub mod classes;
pub mod compile;
pub mod gates;
pub mod load;
pub mod schema;

pub use compile::RuleSet;

/// The embedded pack compiled by `build.rs` (JSON; empty when the pack
/// did not compile, and then the run compiles it and reports why).
const EMBEDDED_TABLES: &str = include_str!(concat!(env!("OUT_DIR"), "/embedded_tables.json"));

impl RuleSet {
    /// The embedded pack, compiled at build time, with nothing left out:
    /// the same rule set as `RuleSet::compile(Pack::embedded()?, |_| true)`
    /// without parsing, validating or folding anything. `None` when the
    /// build found the pack invalid.
    pub fn embedded() -> Option<RuleSet> {
        let tables: compile::Tables = serde_json::from_str(EMBEDDED_TABLES).ok()?;
        RuleSet::from_tables(tables).ok()
    }
}

/// The rule files embedded in the binary: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
pub use load::{Pack, RuleError};
pub use schema::{Category, Kind, RuleSpec, Severity, Voice};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_compiled_at_build_time_are_those_of_a_run() {
        let built = RuleSet::embedded().expect("build.rs compiled the embedded pack");
        let run = RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap();
        assert_eq!(format!("{:?}", built.rules), format!("{:?}", run.rules));
        assert_eq!(format!("{:?}", built.settings), format!("{:?}", run.settings));
        assert_eq!(format!("{:?}", built.products), format!("{:?}", run.products));
        assert_eq!(format!("{:?}", built.regexes), format!("{:?}", run.regexes));
        assert_eq!(format!("{:?}", built.classes), format!("{:?}", run.classes));
        assert_eq!(built.patterns(), run.patterns());
        for (i, text) in run.patterns().iter().enumerate() {
            let roles = |set: &RuleSet| {
                set.scan(text)
                    .filter(|(r, _)| r.len() == text.len())
                    .map(|(_, roles)| roles.to_vec())
                    .collect::<Vec<_>>()
            };
            assert_eq!(roles(&built), roles(&run), "pattern {i} {text:?}");
        }
    }
}
