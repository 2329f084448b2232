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
pub use load::{Pack, RuleError};
pub use schema::{Category, Kind, RuleSpec, Severity, Voice};
