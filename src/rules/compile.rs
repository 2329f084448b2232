//! Compiling a validated pack into one automaton.
//!
//! Every literal the engine may need — rule phrases, regex anchors,
//! exceptions, markers, disclosure wording, lexicon lists and product
//! aliases — is folded like the text and put into a single Aho-Corasick
//! automaton. Each automaton pattern knows every *role* it plays, so one
//! overlapping scan of a document yields everything every rule needs.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::meta::Regex;

use super::load::{Pack, RuleError};
use super::schema::{Kind, ProductSpec, RegexSpec, RuleSpec, Severity, Window};
use crate::text::normalize::fold_str;

/// An engine lexicon list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Lex {
    /// Phrases that negate a preceding claim.
    Negation = 0,
    /// Phrases that hedge a claim.
    Hedge = 1,
    /// Whole caveat phrases (効果には個人差があります).
    Caveat = 2,
    /// Words that show a page offers care.
    Treatment = 3,
    /// Words that show a sentence talks about wording.
    Mention = 4,
}

/// Default reach of `unless_nearby`, in characters either side.
pub const DEFAULT_NEARBY_CHARS: usize = 80;

/// Number of [`Lex`] lists.
pub const LEX_COUNT: usize = 5;

/// What a literal hit means for one rule or for the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A candidate phrase or claim of rule `.0`.
    Phrase(usize),
    /// An anchor of regex `.0` (index into [`RuleSet::regexes`]).
    Anchor(usize),
    /// An `unless` word of rule `.0`.
    Unless(usize),
    /// An `unless_overlapping` word of rule `.0`.
    UnlessOverlapping(usize),
    /// A `needs` word of rule `.0`.
    Needs(usize),
    /// An `unless_nearby` word of rule `.0`.
    UnlessNearby(usize),
    /// A `needs_document` word of rule `.0`.
    NeedsDocument(usize),
    /// An `unless_document` word of rule `.0`.
    UnlessDocument(usize),
    /// A preclinical marker of rule `.0`.
    Marker(usize),
    /// A benefit claim that an evidence-leap rule `.0` looks for.
    Claim(usize),
    /// A caveat that silences evidence-leap rule `.0`.
    Caveat(usize),
    /// A trigger of disclosure rule `.0`.
    Trigger(usize),
    /// Wording that shows element `.1` of disclosure rule `.0`.
    Element(usize, usize),
    /// A word of an engine lexicon list.
    Lexicon(Lex),
    /// An alias of product `.0`.
    Product(usize),
}

/// What the matches of a regex are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegexSlot {
    /// Candidate phrases (phrase and claim rules) or markers (evidence-leap).
    Main,
    /// Wording of disclosure element `.0`.
    Element(usize),
}

/// A compiled regex and whose it is.
#[derive(Debug)]
pub struct CompiledRegex {
    /// The rule it belongs to.
    pub rule: usize,
    /// What its matches are.
    pub slot: RegexSlot,
    /// The pattern as written.
    pub pattern: String,
    /// The compiled regex, built the first time an anchor hits: a run that
    /// never needs a regex never pays for compiling it.
    regex: OnceLock<Regex>,
    /// Whether a named group `span` gives the reported span.
    pub span_group: bool,
}

impl CompiledRegex {
    /// The regex, compiled on first use (the pattern was validated when
    /// the pack was loaded).
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // Regexes run on one sentence at a time, so literal prefilters
            // and the one-pass/backtracking engines buy little and cost
            // compile time, which a one-page run pays in full.
            let config = regex_automata::meta::Config::new().auto_prefilter(false).onepass(false).backtrack(false);
            Regex::builder().configure(config).build(&self.pattern).expect("validated when the pack was loaded")
        })
    }
}

/// How an evidence-leap rule measures "near".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Near {
    /// Same sentence.
    Sentence,
    /// Same paragraph (block).
    Paragraph,
    /// Within this many characters either side.
    Chars(usize),
}

/// Per-rule settings resolved at compile time.
#[derive(Debug)]
pub struct RuleSettings {
    /// Whether a following negation cancels a candidate.
    pub negatable: bool,
    /// Whether a hedge in the sentence lowers the severity.
    pub hedge_lowers: bool,
    /// Window for evidence-leap rules.
    pub near: Near,
    /// Whether the rule has `needs` words.
    pub has_needs: bool,
    /// Whether the rule has `needs_document` words.
    pub has_needs_document: bool,
    /// Reach of `unless_nearby`, in characters either side.
    pub nearby_chars: usize,
}

/// A compiled rule pack, built once per process and shared by reference.
#[derive(Debug)]
pub struct RuleSet {
    /// The rules, sorted by id; a rule's index is its position here.
    pub rules: Vec<RuleSpec>,
    /// Settings resolved for each rule (same order as `rules`).
    pub settings: Vec<RuleSettings>,
    /// Products, for display.
    pub products: Vec<ProductSpec>,
    /// All regexes of all rules.
    pub regexes: Vec<CompiledRegex>,
    automaton: AhoCorasick,
    roles: Vec<Vec<Role>>,
}

impl RuleSet {
    /// Compiles a validated pack, keeping only the rules `keep` accepts.
    pub fn compile(pack: Pack, keep: impl Fn(&RuleSpec) -> bool) -> Result<RuleSet, RuleError> {
        let mut builder = Builder::default();
        let lex_lists = [
            ("negation", Lex::Negation),
            ("hedge", Lex::Hedge),
            ("caveat", Lex::Caveat),
            ("treatment", Lex::Treatment),
            ("mention", Lex::Mention),
        ];
        for (name, lex) in lex_lists {
            for word in pack.lexicon.get(name).into_iter().flatten() {
                builder.add(word, Role::Lexicon(lex));
            }
        }
        for (p, product) in pack.products.iter().enumerate() {
            for alias in &product.aliases {
                builder.add(alias, Role::Product(p));
            }
        }
        let rules: Vec<RuleSpec> = pack.rules.iter().filter(|r| keep(r)).cloned().collect();
        let mut regexes = Vec::new();
        let mut settings = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let main_role = match rule.kind {
                Kind::EvidenceLeap => Role::Marker,
                _ => Role::Phrase,
            };
            for word in pack.expand(&rule.literals).chain(pack.expand(&rule.markers)) {
                builder.add(word, main_role(r));
            }
            for word in pack.expand(&rule.unless) {
                builder.add(word, Role::Unless(r));
            }
            for word in pack.expand(&rule.unless_overlapping) {
                builder.add(word, Role::UnlessOverlapping(r));
            }
            for word in pack.expand(&rule.needs) {
                builder.add(word, Role::Needs(r));
            }
            for word in pack.expand(&rule.unless_nearby) {
                builder.add(word, Role::UnlessNearby(r));
            }
            for word in pack.expand(&rule.needs_document) {
                builder.add(word, Role::NeedsDocument(r));
            }
            for word in pack.expand(&rule.unless_document) {
                builder.add(word, Role::UnlessDocument(r));
            }
            for word in pack.expand(&rule.triggers) {
                builder.add(word, Role::Trigger(r));
            }
            if rule.kind == Kind::EvidenceLeap {
                let default_claims = vec!["@human-benefit".to_string()];
                let default_caveats = vec!["@preclinical-caveat".to_string()];
                for word in pack.expand(rule.claims.as_ref().unwrap_or(&default_claims)) {
                    builder.add(word, Role::Claim(r));
                }
                for word in pack.expand(rule.caveats.as_ref().unwrap_or(&default_caveats)) {
                    builder.add(word, Role::Caveat(r));
                }
            }
            let mut add_regex = |spec: &RegexSpec, slot: RegexSlot, builder: &mut Builder| {
                let index = regexes.len();
                let span_group = spec.regex.contains("(?P<span>") || spec.regex.contains("(?<span>");
                regexes.push(CompiledRegex {
                    rule: r,
                    slot,
                    pattern: spec.regex.clone(),
                    regex: OnceLock::new(),
                    span_group,
                });
                for anchor in &spec.anchors {
                    builder.add(anchor, Role::Anchor(index));
                }
            };
            for spec in &rule.regexes {
                add_regex(spec, RegexSlot::Main, &mut builder);
            }
            for (e, element) in rule.elements.iter().enumerate() {
                for word in pack.expand(&element.literals) {
                    builder.add(word, Role::Element(r, e));
                }
                for spec in &element.regexes {
                    add_regex(spec, RegexSlot::Element(e), &mut builder);
                }
            }
            settings.push(RuleSettings {
                negatable: rule.negatable.unwrap_or(rule.kind == Kind::Claim),
                hedge_lowers: rule.hedge_lowers.unwrap_or(rule.kind == Kind::Claim),
                near: match &rule.window {
                    None => Near::Paragraph,
                    Some(Window::Unit(u)) if u == "sentence" => Near::Sentence,
                    Some(Window::Unit(_)) => Near::Paragraph,
                    Some(Window::Chars(n)) => Near::Chars(*n),
                },
                has_needs: !rule.needs.is_empty(),
                has_needs_document: !rule.needs_document.is_empty(),
                nearby_chars: rule.nearby_chars.unwrap_or(DEFAULT_NEARBY_CHARS),
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&builder.patterns)
            .map_err(|e| RuleError { file: "rules".into(), line: None, message: e.to_string() })?;
        Ok(RuleSet { rules, settings, products: pack.products, regexes, automaton, roles: builder.roles })
    }

    /// Every literal hit in `text`, overlapping, with the roles it plays.
    pub fn scan<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (std::ops::Range<usize>, &'a [Role])> + 'a {
        self.automaton
            .find_overlapping_iter(text)
            .map(move |m| (m.range(), self.roles[m.pattern().as_usize()].as_slice()))
    }

    /// The index of the rule with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.binary_search_by(|r| r.id.as_str().cmp(id)).ok()
    }

    /// The highest severity any rule can report (for summaries).
    pub fn severity(&self, rule: usize) -> Severity {
        self.rules[rule].severity
    }
}

/// Collects distinct folded literals and their roles.
#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    roles: Vec<Vec<Role>>,
    ids: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, literal: &str, role: Role) {
        let folded = fold_str(literal);
        if folded.is_empty() {
            return;
        }
        let id = *self.ids.entry(folded.clone()).or_insert_with(|| {
            self.patterns.push(folded);
            self.roles.push(Vec::new());
            self.patterns.len() - 1
        });
        if !self.roles[id].contains(&role) {
            self.roles[id].push(role);
        }
    }
}
