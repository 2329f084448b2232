//! Compiling a validated pack into one automaton.
//!
//! Every literal the engine may need — rule phrases, regex anchors,
//! exceptions, markers, disclosure wording, lexicon lists and product
//! aliases — is folded like the text and put into a single Aho-Corasick
//! automaton. Each automaton pattern knows every *role* it plays, so one
//! overlapping scan of a document yields everything every rule needs.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};

use super::automaton::Literals;
use super::load::{Pack, RuleError};
use super::schema::{
    Kind, Order, Polarity, ProductSpec, RegexSpec, RuleSpec, Scope, Severity, Voice, Window, CONDITIONS,
};
use crate::text::normalize::fold_str;

/// A word class the engine itself reads (see [`super::load::ENGINE_CLASSES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Words that show an animal or cell study.
    PreclinicalMarker = 5,
    /// Words of a patient's own account (〜でした, 私, 嬉しい) inside quotes.
    PatientSpeech = 6,
    /// Tags that attribute words to a patient (（40代女性）).
    PatientTag = 7,
    /// Headings of testimonial sections (患者様の声, 体験談).
    TestimonialHeading = 8,
    /// A particular patient as a sentence's subject (この患者さんは, Aさんは).
    PatientSubject = 9,
}

/// Number of [`Lex`] classes.
pub const LEX_COUNT: usize = 10;

impl Lex {
    /// Every engine class with its name in the pack.
    pub const ALL: [(Lex, &'static str); LEX_COUNT] = [
        (Lex::Negation, "negation"),
        (Lex::Hedge, "hedge"),
        (Lex::Caveat, "caveat"),
        (Lex::Treatment, "treatment"),
        (Lex::Mention, "mention"),
        (Lex::PreclinicalMarker, "preclinical-marker"),
        (Lex::PatientSpeech, "patient-speech"),
        (Lex::PatientTag, "patient-tag"),
        (Lex::TestimonialHeading, "testimonial-heading"),
        (Lex::PatientSubject, "patient-subject"),
    ];
}

/// Default reach of `unless_nearby`, in characters either side.
pub const DEFAULT_NEARBY_CHARS: usize = 80;

/// Default most characters between a claim's target and its effect.
pub const DEFAULT_GAP: usize = 12;

/// What a literal hit means for one rule or for the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A candidate phrase or claim of rule `.0`.
    Phrase(usize),
    /// An anchor of regex `.0` (index into [`RuleSet::regexes`]).
    Anchor(usize),
    /// A literal of gate `.1` of regex `.0` (see [`super::gates`]).
    Gate(usize, usize),
    /// A word of condition `.1` (index into the rule's
    /// [`RuleSettings::conditions`]) of rule `.0`.
    Condition(usize, usize),
    /// A claim target of rule `.0`.
    Target(usize),
    /// A claim effect of rule `.0`.
    Effect(usize),
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
    /// Wording that voids element `.1` of disclosure rule `.0`.
    ElementUnless(usize, usize),
    /// A word of an engine class.
    Lexicon(Lex),
    /// An alias of product `.0`.
    Product(usize),
    /// A word that product `.0` needs in the document.
    ProductContext(usize),
}

/// What the matches of a regex are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegexSlot {
    /// Candidate phrases (phrase and claim rules) or markers (evidence-leap).
    Main,
    /// Wording of disclosure element `.0`.
    Element(usize),
}

/// Bytes of haystack a regex searches with [`regex_lite`] before the full
/// `regex_automata` meta regex is compiled for it. The meta regex costs
/// ~0.3 ms to compile (its Thompson NFA spells out every bounded repeat of
/// a Unicode class such as `[^。、]{0,12}?` as UTF-8 byte automata, forward
/// and reverse) and searches fast; regex-lite works on characters, compiles
/// in a few microseconds and searches slowly. A page needs a regex on a few
/// sentences, a site on thousands: the first uses go to regex-lite, and
/// once this much text has been searched the compile cost of the meta
/// regex is small against the search time it saves.
pub const LITE_BYTES: usize = 16 * 1024;

/// A compiled regex and whose it is.
#[derive(Debug, Serialize, Deserialize)]
pub struct CompiledRegex {
    /// The rule it belongs to.
    pub rule: usize,
    /// What its matches are.
    pub slot: RegexSlot,
    /// The pattern as written.
    pub pattern: String,
    /// The same regex for [`regex_lite`]: the pattern as `regex-syntax`
    /// reads it, printed back with every class spelled out (`\d`, `\s`
    /// and `.` as the Unicode sets the `regex` crate gives them, where
    /// regex-lite's own would be ASCII), so both engines match alike
    /// (tested on every pattern of the embedded pack and every fixture
    /// page). Empty when there is none.
    lite_pattern: String,
    /// The regex-lite regex, built the first time an anchor hits.
    #[serde(skip)]
    lite: OnceLock<Option<regex_lite::Regex>>,
    /// The full regex, built once [`LITE_BYTES`] have been searched (or
    /// when regex-lite cannot take the pattern): a run that never needs a
    /// regex never pays for compiling it.
    #[serde(skip)]
    regex: OnceLock<Option<Regex>>,
    /// Bytes searched with the regex-lite regex so far.
    #[serde(skip)]
    searched: AtomicUsize,
    /// Whether a named group `span` gives the reported span.
    pub span_group: bool,
    /// How many literal gates the regex has: it runs only on a sentence
    /// where each of them has an occurrence.
    pub gates: usize,
}

impl CompiledRegex {
    /// A regex of rule `rule` with `gates` literal gates.
    pub fn new(rule: usize, slot: RegexSlot, pattern: &str, gates: usize) -> CompiledRegex {
        CompiledRegex {
            rule,
            slot,
            pattern: pattern.to_string(),
            lite_pattern: lite_pattern(pattern).unwrap_or_default(),
            lite: OnceLock::new(),
            regex: OnceLock::new(),
            searched: AtomicUsize::new(0),
            span_group: pattern.contains("(?P<span>") || pattern.contains("(?<span>"),
            gates,
        }
    }

    /// The full regex, compiled on first use. Patterns were compiled once
    /// when their file was validated (the embedded pack's by the test
    /// suite), so `None` — a pattern that does not build — cannot happen in
    /// practice; if it ever does, the regex matches nothing rather than
    /// stopping the run.
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| {
                // Regexes run on one sentence at a time, so literal prefilters
                // and the one-pass/backtracking engines buy little and cost
                // compile time.
                let config = regex_automata::meta::Config::new()
                    .auto_prefilter(false)
                    .onepass(false)
                    .backtrack(false)
                    .nfa_size_limit(Some(super::load::REGEX_SIZE_LIMIT));
                Regex::builder().configure(config).build(&self.pattern).ok()
            })
            .as_ref()
    }

    /// The regex-lite regex, compiled on first use (`None` when regex-lite
    /// cannot take the pattern).
    pub fn lite(&self) -> Option<&regex_lite::Regex> {
        self.lite
            .get_or_init(|| {
                if self.lite_pattern.is_empty() {
                    return None;
                }
                regex_lite::Regex::new(&self.lite_pattern).ok()
            })
            .as_ref()
    }

    /// The reported spans of the regex in `haystack`, empty ones left out:
    /// the `span` group of each match when the pattern has one, else each
    /// match. Searched by regex-lite until [`LITE_BYTES`] have been
    /// searched, then by the full regex.
    pub fn spans(&self, haystack: &str) -> Vec<Range<usize>> {
        if self.regex.get().is_none() && self.searched.load(Ordering::Relaxed) < LITE_BYTES {
            if let Some(lite) = self.lite() {
                self.searched.fetch_add(haystack.len(), Ordering::Relaxed);
                return self.lite_spans(lite, haystack);
            }
        }
        match self.regex() {
            Some(regex) => self.meta_spans(regex, haystack),
            None => Vec::new(),
        }
    }

    /// [`Self::spans`] by the full regex.
    pub fn meta_spans(&self, regex: &Regex, haystack: &str) -> Vec<Range<usize>> {
        if self.span_group {
            regex
                .captures_iter(haystack)
                .filter_map(|c| c.get_group_by_name("span"))
                .filter(|m| !m.is_empty())
                .map(|m| m.range())
                .collect()
        } else {
            regex.find_iter(haystack).filter(|m| !m.is_empty()).map(|m| m.range()).collect()
        }
    }

    /// [`Self::spans`] by regex-lite.
    pub fn lite_spans(&self, lite: &regex_lite::Regex, haystack: &str) -> Vec<Range<usize>> {
        if self.span_group {
            lite.captures_iter(haystack)
                .filter_map(|c| c.name("span"))
                .filter(|m| !m.is_empty())
                .map(|m| m.range())
                .collect()
        } else {
            lite.find_iter(haystack).filter(|m| !m.is_empty()).map(|m| m.range()).collect()
        }
    }
}

/// `pattern` for regex-lite: parsed as the `regex` crate parses it
/// (Unicode classes resolved, case folded) and printed back, so that
/// nothing depends on the syntax where the two crates differ (`\d`, `\s`,
/// `\w`, `(?i)`, `\p{…}`). `None` when the pattern does not parse.
pub fn lite_pattern(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    Some(hir.to_string())
}

/// How an evidence-leap rule measures "near".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Near {
    /// Same sentence.
    Sentence,
    /// Same paragraph (block).
    Paragraph,
    /// Within this many characters either side.
    Chars(usize),
}

/// One condition of one rule, compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Where it looks.
    pub scope: Scope,
    /// What a hit does.
    pub polarity: Polarity,
}

/// The voices a rule accepts, as a small set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voices(u8);

impl Voices {
    /// Every voice.
    pub const ANY: Voices = Voices(0b111);

    /// The set of these voices.
    pub fn of(voices: &[Voice]) -> Voices {
        Voices(voices.iter().fold(0, |acc, v| acc | Voices::bit(*v)))
    }

    fn bit(v: Voice) -> u8 {
        match v {
            Voice::Clinic => 1,
            Voice::Patient => 2,
            Voice::Study => 4,
        }
    }

    /// Whether `v` is in the set.
    pub fn contains(self, v: Voice) -> bool {
        self.0 & Voices::bit(v) != 0
    }
}

/// Per-rule settings resolved at compile time.
#[derive(Debug, Serialize, Deserialize)]
pub struct RuleSettings {
    /// Whether a following negation cancels a candidate.
    pub negatable: bool,
    /// Whether a hedge in the sentence lowers the severity.
    pub hedge_lowers: bool,
    /// Whether a negative ending on a claim cancels it.
    pub negative_endings: bool,
    /// Window for evidence-leap rules.
    pub near: Near,
    /// Reach of `unless_nearby` / `needs_nearby`, in characters either side.
    pub nearby_chars: usize,
    /// The rule's conditions (a [`Role::Condition`] names one by index).
    pub conditions: Vec<Condition>,
    /// The voices the rule reports in.
    pub voices: Voices,
    /// Whether the rule pairs targets with effects.
    pub grammar: bool,
    /// Most characters between target and effect.
    pub gap: usize,
    /// Whether the effect may come before the target.
    pub either_order: bool,
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
    /// Word classes with their summaries and sizes, for `iryolint rules`.
    pub classes: Vec<ClassInfo>,
    automaton: Literals,
    roles: Vec<Vec<Role>>,
    patterns: Vec<String>,
}

/// A word class as `iryolint rules` lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassInfo {
    /// Its name.
    pub name: String,
    /// What it holds.
    pub summary: Option<String>,
    /// Every surface form it matches.
    pub words: Vec<String>,
}

/// A compiled pack without its automaton: rules, resolved settings,
/// regexes with their gates, and every folded literal with its roles.
/// `build.rs` compiles the embedded pack into this at build time, so a run
/// with the embedded pack only deserializes it and builds the automaton
/// ([`RuleSet::embedded`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Tables {
    rules: Vec<RuleSpec>,
    /// Each rule's conditions ([`RuleSpec::conditions`] is not serialized).
    conditions: Vec<Vec<(usize, Vec<String>)>>,
    settings: Vec<RuleSettings>,
    products: Vec<ProductSpec>,
    regexes: Vec<CompiledRegex>,
    classes: Vec<ClassInfo>,
    patterns: Vec<String>,
    roles: Vec<Vec<Role>>,
}

impl RuleSet {
    /// Compiles a validated pack, keeping only the rules `keep` accepts.
    pub fn compile(pack: Pack, keep: impl Fn(&RuleSpec) -> bool) -> Result<RuleSet, RuleError> {
        RuleSet::from_tables(Tables::compile(pack, keep))
    }

    /// Builds the automaton of compiled tables.
    pub fn from_tables(tables: Tables) -> Result<RuleSet, RuleError> {
        let automaton = Literals::build(&tables.patterns);
        Ok(RuleSet::assemble(tables, automaton))
    }

    /// A rule set of compiled tables and their automaton.
    pub fn assemble(tables: Tables, automaton: Literals) -> RuleSet {
        let Tables { mut rules, conditions, settings, products, regexes, classes, patterns, roles } = tables;
        for (rule, conditions) in rules.iter_mut().zip(conditions) {
            rule.conditions = conditions;
        }
        RuleSet { rules, settings, products, regexes, classes, automaton, roles, patterns }
    }
}

impl Tables {
    /// The folded literals, in automaton order.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Compiles a validated pack, keeping only the rules `keep` accepts.
    pub fn compile(pack: Pack, keep: impl Fn(&RuleSpec) -> bool) -> Tables {
        let mut builder = Builder::default();
        for (lex, name) in Lex::ALL {
            for word in pack.class_words(name) {
                builder.add(&word, Role::Lexicon(lex));
            }
        }
        for (p, product) in pack.products.iter().enumerate() {
            for alias in pack.expand(&product.aliases) {
                builder.add(&alias, Role::Product(p));
            }
            for word in pack.expand(&product.needs_document) {
                builder.add(&word, Role::ProductContext(p));
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
            for word in pack.expand(&rule.literals).iter().chain(&pack.expand(&rule.markers)) {
                builder.add(word, main_role(r));
            }
            for word in pack.expand(&rule.target) {
                builder.add(&word, Role::Target(r));
            }
            for word in pack.expand(&rule.effect) {
                builder.add(&word, Role::Effect(r));
            }
            let mut conditions = Vec::new();
            for (c, (index, words)) in rule.conditions.iter().enumerate() {
                let key = &CONDITIONS[*index];
                conditions.push(Condition { scope: key.scope, polarity: key.polarity });
                for word in pack.expand(words) {
                    builder.add(&word, Role::Condition(r, c));
                }
            }
            for word in pack.expand(&rule.triggers) {
                builder.add(&word, Role::Trigger(r));
            }
            if rule.kind == Kind::EvidenceLeap {
                let default_claims = vec!["@human-benefit".to_string()];
                let default_caveats = vec!["@preclinical-caveat".to_string()];
                for word in pack.expand(rule.claims.as_ref().unwrap_or(&default_claims)) {
                    builder.add(&word, Role::Claim(r));
                }
                for word in pack.expand(rule.caveats.as_ref().unwrap_or(&default_caveats)) {
                    builder.add(&word, Role::Caveat(r));
                }
            }
            let mut add_regex = |spec: &RegexSpec, slot: RegexSlot, builder: &mut Builder| {
                let index = regexes.len();
                let gates = super::gates::required_literal_sets(&spec.regex);
                regexes.push(CompiledRegex::new(r, slot, &spec.regex, gates.len()));
                for anchor in &spec.anchors {
                    builder.add(anchor, Role::Anchor(index));
                }
                for (g, gate) in gates.iter().enumerate() {
                    for literal in gate {
                        builder.add(literal, Role::Gate(index, g));
                    }
                }
            };
            for spec in &rule.regexes {
                add_regex(spec, RegexSlot::Main, &mut builder);
            }
            for (e, element) in rule.elements.iter().enumerate() {
                for word in pack.expand(&element.literals) {
                    builder.add(&word, Role::Element(r, e));
                }
                for word in pack.expand(&element.unless) {
                    builder.add(&word, Role::ElementUnless(r, e));
                }
                for spec in &element.regexes {
                    add_regex(spec, RegexSlot::Element(e), &mut builder);
                }
            }
            let default_voices: &[Voice] = if rule.kind == Kind::Claim { &[Voice::Clinic] } else { &[] };
            settings.push(RuleSettings {
                negatable: rule.negatable.unwrap_or(rule.kind == Kind::Claim),
                hedge_lowers: rule.hedge_lowers.unwrap_or(rule.kind == Kind::Claim),
                negative_endings: rule.kind == Kind::Claim && rule.negative_endings.unwrap_or(true),
                near: match &rule.window {
                    None => Near::Paragraph,
                    Some(Window::Unit(u)) if u == "sentence" => Near::Sentence,
                    Some(Window::Unit(_)) => Near::Paragraph,
                    Some(Window::Chars(n)) => Near::Chars(*n),
                },
                nearby_chars: rule.nearby_chars.unwrap_or(DEFAULT_NEARBY_CHARS),
                conditions,
                voices: match rule.voice.as_deref().unwrap_or(default_voices) {
                    [] => Voices::ANY,
                    some => Voices::of(some),
                },
                grammar: !rule.target.is_empty(),
                gap: rule.gap.unwrap_or(DEFAULT_GAP),
                either_order: rule.order == Some(Order::Either),
            });
        }
        let classes = pack
            .classes
            .iter()
            .map(|(name, class)| ClassInfo {
                name: name.clone(),
                summary: class.summary.clone(),
                words: pack.class_words(name),
            })
            .collect();
        let conditions = rules.iter().map(|r| r.conditions.clone()).collect();
        Tables {
            rules,
            conditions,
            settings,
            products: pack.products,
            regexes,
            classes,
            patterns: builder.patterns,
            roles: builder.roles,
        }
    }
}

impl RuleSet {
    /// Calls `found` with every literal hit in `text`, overlapping, and
    /// the roles it plays.
    pub fn scan(&self, text: &str, mut found: impl FnMut(std::ops::Range<usize>, &[Role])) {
        self.automaton.for_each_match(text.as_bytes(), |start, end, id| found(start..end, &self.roles[id]));
    }

    /// The folded literals of the automaton.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
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
