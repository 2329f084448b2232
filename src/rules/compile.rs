//! Compiling a validated pack into one automaton.
//!
//! Every literal the engine may need — rule phrases, regex anchors,
//! exceptions, markers, disclosure wording, lexicon lists and product
//! aliases — is folded like the text and put into a single Aho-Corasick
//! automaton. Each automaton pattern knows every *role* it plays, so one
//! overlapping scan of a document yields everything every rule needs.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};

use super::automaton::Literals;
use super::backtrack::{Found, Program, MAX_VISITED_BITS};
use super::load::{Pack, RuleError};
use super::schema::{
    Kind, Order, Polarity, ProductSpec, RegexSpec, RuleSpec, Scope, Severity, Voice, Window, CONDITIONS,
};
use super::signature::{GateMask, Signatures};
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
    /// Humble verb endings by which the clinic speaks of what it does
    /// itself (いたします, させていただきます).
    ClinicHumble = 10,
    /// Words that open one patient's case report (症例報告, 患者様について).
    CaseOpener = 11,
    /// Endings that tell what happened, in the past (〜ました, 〜でした).
    PastTelling = 12,
    /// Heading words of sections that end a case report (料金, よくあるご質問).
    CaseCloser = 13,
    /// Words of a procedure's risks and aftercare (副作用, かさぶた): a
    /// sentence about them is not the clinic's efficacy claim.
    RiskTalk = 14,
}

/// Number of [`Lex`] classes.
pub const LEX_COUNT: usize = 15;

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
        (Lex::ClinicHumble, "clinic-humble"),
        (Lex::CaseOpener, "case-opener"),
        (Lex::PastTelling, "past-telling"),
        (Lex::CaseCloser, "case-closer"),
        (Lex::RiskTalk, "risk-talk"),
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

impl Role {
    /// The role as three words: a variant number and its fields (the
    /// embedded tables keep roles so, read in place without a decoder).
    fn to_words(self) -> [u32; 3] {
        let w = |tag: u32, a: usize, b: usize| [tag, a as u32, b as u32];
        match self {
            Role::Phrase(a) => w(0, a, 0),
            Role::Anchor(a) => w(1, a, 0),
            Role::Gate(a, b) => w(2, a, b),
            Role::Condition(a, b) => w(3, a, b),
            Role::Target(a) => w(4, a, 0),
            Role::Effect(a) => w(5, a, 0),
            Role::Marker(a) => w(6, a, 0),
            Role::Claim(a) => w(7, a, 0),
            Role::Caveat(a) => w(8, a, 0),
            Role::Trigger(a) => w(9, a, 0),
            Role::Element(a, b) => w(10, a, b),
            Role::ElementUnless(a, b) => w(11, a, b),
            Role::Lexicon(lex) => w(12, lex as usize, 0),
            Role::Product(a) => w(13, a, 0),
            Role::ProductContext(a) => w(14, a, 0),
        }
    }

    /// The role of [`Role::to_words`].
    fn from_words([tag, a, b]: [u32; 3]) -> Option<Role> {
        let (a, b) = (a as usize, b as usize);
        Some(match tag {
            0 => Role::Phrase(a),
            1 => Role::Anchor(a),
            2 => Role::Gate(a, b),
            3 => Role::Condition(a, b),
            4 => Role::Target(a),
            5 => Role::Effect(a),
            6 => Role::Marker(a),
            7 => Role::Claim(a),
            8 => Role::Caveat(a),
            9 => Role::Trigger(a),
            10 => Role::Element(a, b),
            11 => Role::ElementUnless(a, b),
            12 => Role::Lexicon(Lex::ALL.get(a)?.0),
            13 => Role::Product(a),
            14 => Role::ProductContext(a),
            _ => return None,
        })
    }
}

/// Little-endian `u32`s of `words`.
fn le_bytes(words: impl IntoIterator<Item = u32>) -> Vec<u8> {
    words.into_iter().flat_map(u32::to_le_bytes).collect()
}

/// The little-endian `u32`s of `bytes`.
fn le_words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// What the matches of a regex are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegexSlot {
    /// Candidate phrases (phrase and claim rules) or markers (evidence-leap).
    Main,
    /// Wording of disclosure element `.0`.
    Element(usize),
}

/// A compiled regex and whose it is.
#[derive(Debug, Serialize, Deserialize)]
pub struct CompiledRegex {
    /// The rule it belongs to.
    pub rule: usize,
    /// What its matches are.
    pub slot: RegexSlot,
    /// The pattern as written and its backtracking program: for the
    /// embedded pack, decoded when the regex is first used.
    #[serde(skip)]
    text: Cold<RegexText>,
    /// The full regex, built only for a search the program cannot do (a
    /// pattern it cannot say, a haystack too long for its visited set): a
    /// run that never needs one never pays for compiling it (~0.3 ms a
    /// regex: its Thompson NFA spells out every bounded repeat of a Unicode
    /// class such as `[^。、]{0,12}?` as UTF-8 byte automata).
    #[serde(skip)]
    regex: OnceLock<Option<Regex>>,
    /// Whether a named group `span` gives the reported span.
    pub span_group: bool,
    /// How many literal gates the regex has: it runs only on a sentence
    /// where each of them has an occurrence. The main regexes of an
    /// evidence leap that looks for its claim in the same sentence have the
    /// claim words as one more gate, the last.
    pub gates: usize,
    /// Whether every match holds one of its anchors (some gate is made of
    /// literals that each hold an anchor): only then may a search start
    /// near the first anchor (see [`Self::spans`]). A pack's anchors say
    /// where the regex runs; a regex may also match without one.
    pub anchored: bool,
}

/// The texts of a regex.
#[derive(Debug, Serialize, Deserialize)]
struct RegexText {
    /// The pattern as written.
    pattern: String,
    /// The pattern compiled for the bounded backtracker (`None` when it
    /// uses what a program cannot say; the full regex then does every
    /// search).
    program: Option<Program>,
}

impl CompiledRegex {
    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.text.get().pattern
    }

    /// A regex of rule `rule` with `gates` literal gates, `anchored` when
    /// every match holds an anchor.
    pub fn new(rule: usize, slot: RegexSlot, pattern: &str, gates: usize, anchored: bool) -> CompiledRegex {
        CompiledRegex {
            anchored,
            rule,
            slot,
            text: Cold::ready(RegexText { pattern: pattern.to_string(), program: Program::compile(pattern) }),
            regex: OnceLock::new(),
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
            .get_or_init(|| Regex::builder().configure(super::load::regex_config()).build(self.pattern()).ok())
            .as_ref()
    }

    /// The backtracking program, when the pattern has one.
    pub fn program(&self) -> Option<&Program> {
        self.text.get().program.as_ref()
    }

    /// The reported spans of the regex in `haystack`, empty ones left out:
    /// the `span` group of each match when the pattern has one, else each
    /// match. The first anchor of `haystack` starts at byte `anchor`: when
    /// every match holds an anchor ([`Self::anchored`]), the backtracking
    /// program (when the pattern has one and the searched part fits its
    /// visited set) starts no further back than its longest match before
    /// it; otherwise, and for the full regex, the whole haystack is
    /// searched.
    pub fn spans(&self, haystack: &str, anchor: usize) -> Vec<Range<usize>> {
        let program = self.program();
        let start = |p: &Program| if self.anchored { p.earliest_start(haystack, anchor) } else { 0 };
        let found = program.and_then(|p| p.find_all_within(haystack, start(p), MAX_VISITED_BITS));
        if let Some(found) = found {
            return self.program_spans(found);
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

    /// [`Self::spans`] from the program's matches.
    pub fn program_spans(&self, found: Vec<Found>) -> Vec<Range<usize>> {
        found
            .into_iter()
            .filter_map(|m| if self.span_group { m.span } else { Some(m.whole) })
            .filter(|span| !span.is_empty())
            .collect()
    }
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
    pub const ANY: Voices = Voices(0b1111);

    /// The set of these voices.
    pub fn of(voices: &[Voice]) -> Voices {
        Voices(voices.iter().fold(0, |acc, v| acc | Voices::bit(*v)))
    }

    fn bit(v: Voice) -> u8 {
        match v {
            Voice::Clinic => 1,
            Voice::Patient => 2,
            Voice::Study => 4,
            Voice::Case => 8,
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
    /// The rule's kind (as [`RuleSpec::kind`], here so that a check reads
    /// only the rules that have candidates).
    pub kind: Kind,
    /// Whether the rule's products trigger it (as
    /// [`RuleSpec::trigger_products`]).
    pub trigger_products: bool,
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
    /// Particles that, right after a target, mark it as not what the
    /// effect speaks of (as [`RuleSpec::target_marked_other`]).
    pub target_marked_other: Vec<String>,
}

/// A compiled rule pack, built once per process and shared by reference.
#[derive(Debug)]
pub struct RuleSet {
    /// The rules, sorted by id; a rule's index is its position here. What
    /// checking needs of each rule (id, kind, category, severity, texts,
    /// element ids): its word lists (`literals`, `target`, `regexes`,
    /// element wording, conditions' words, …) and its `examples` are left
    /// out, compiled into the automaton's roles and the regexes, so that
    /// a run with the embedded pack decodes none of them. [`Self::full_rules`]
    /// has each rule as written. For the embedded pack each rule is decoded
    /// the first time it is read: a check reads only the rules that have
    /// candidates on the page.
    pub rules: Rules,
    /// Settings resolved for each rule (same order as `rules`).
    pub settings: Vec<RuleSettings>,
    /// Products, for display.
    pub products: Vec<ProductSpec>,
    /// All regexes of all rules.
    pub regexes: Vec<CompiledRegex>,
    automaton: Literals,
    /// The roles of every literal but its gates (those are in
    /// `signatures`), literal after literal; literal `i`'s are
    /// `roles[role_starts[i]..role_starts[i + 1]]`.
    roles: Vec<Role>,
    role_starts: Vec<u32>,
    /// The literals' gate roles, as masks (taken out of `roles`).
    signatures: Signatures,
    /// Whether checks keep the span findings that the precision model
    /// ([`crate::engine::likely`]) finds unlikely, and those below
    /// [`Self::min_confidence`] (`--all-findings`).
    pub keep_unlikely: bool,
    /// Span findings whose confidence ([`crate::engine::likely::Judgement`])
    /// is below this are dropped as unlikely (`--min-confidence`; 0: none).
    pub min_confidence: f32,
    /// Under a selection that runs rules it does not report, which rules
    /// the run reports: a selection of the embedded pack is laid over its
    /// tables ([`RuleSet::select`]), and one that keeps the learned rule
    /// runs the others because their findings decide which sentences are
    /// covered, so that the learned rule reports the same sentences under
    /// any selection ([`RuleSet::compile_selected`]). `None`: every rule is
    /// reported.
    pub reported: Option<Vec<bool>>,
    /// The rules as written, conditions' words included.
    full_rules: Cold<RulesAsWritten>,
    /// Severities given to rules of `full_rules` before it was decoded,
    /// applied when it is ([`RuleSet::override_severities`]): a check never
    /// reads the rules as written, so it need not decode them.
    severities_as_written: Vec<(usize, Severity)>,
    /// Word classes with their summaries and sizes, for `iryolint rules`.
    classes: Cold<Vec<ClassInfo>>,
    /// The folded literals (tests and diagnostics).
    patterns: Cold<Vec<String>>,
}

/// The rules of a rule set: indexed and iterated like a slice.
pub struct Rules(Vec<Cold<RuleSpec>>);

impl Rules {
    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Rule `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&RuleSpec> {
        self.0.get(i).map(Cold::get)
    }

    /// The rules in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &RuleSpec> + ExactSizeIterator + Clone + '_ {
        self.0.iter().map(Cold::get)
    }
}

impl std::ops::Index<usize> for Rules {
    type Output = RuleSpec;

    fn index(&self, i: usize) -> &RuleSpec {
        self.0[i].get()
    }
}

impl<'a> IntoIterator for &'a Rules {
    type Item = &'a RuleSpec;
    type IntoIter = RulesIter<'a>;

    fn into_iter(self) -> RulesIter<'a> {
        RulesIter(self.0.iter())
    }
}

/// The rules of [`Rules`] in order.
pub struct RulesIter<'a>(std::slice::Iter<'a, Cold<RuleSpec>>);

impl<'a> Iterator for RulesIter<'a> {
    type Item = &'a RuleSpec;

    fn next(&mut self) -> Option<&'a RuleSpec> {
        self.0.next().map(Cold::get)
    }
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A part of the compiled tables a check does not need (or not yet): for
/// the embedded pack, decoded from the binary the first time it is asked
/// for.
struct Cold<T> {
    bytes: &'static [u8],
    value: OnceLock<T>,
}

impl<T> Default for Cold<T> {
    /// Nothing yet: to be replaced before use (a decoded regex's text).
    fn default() -> Cold<T> {
        Cold { bytes: &[], value: OnceLock::new() }
    }
}

impl<T: serde::de::DeserializeOwned + std::fmt::Debug> std::fmt::Debug for Cold<T> {
    /// The value (decoded if need be), so that a rule set decoded from the
    /// binary prints as one compiled by the run.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: serde::de::DeserializeOwned> Cold<T> {
    fn ready(value: T) -> Cold<T> {
        Cold { bytes: &[], value: OnceLock::from(value) }
    }

    fn lazy(bytes: &'static [u8]) -> Cold<T> {
        Cold { bytes, value: OnceLock::new() }
    }

    fn get(&self) -> &T {
        self.get_fixed(|_| {})
    }

    /// The value, with `fix` applied to it when it is decoded now.
    fn get_fixed(&self, fix: impl FnOnce(&mut T)) -> &T {
        // Written by build.rs with these very types (and decoded by the
        // test suite): it cannot fail short of a build mixing crates.
        self.value.get_or_init(|| {
            let mut value = postcard::from_bytes(self.bytes).expect("embedded rule tables");
            fix(&mut value);
            value
        })
    }

    fn get_mut(&mut self) -> &mut T {
        self.get();
        self.value.get_mut().expect("decoded just now")
    }
}

/// What a check needs of each rule: the rule without its word lists and
/// examples (see [`RuleSet::rules`]).
fn light(rule: &RuleSpec) -> RuleSpec {
    let mut rule = rule.clone();
    rule.literals = Vec::new();
    rule.regexes = Vec::new();
    rule.target = Vec::new();
    rule.effect = Vec::new();
    rule.markers = Vec::new();
    rule.claims = None;
    rule.caveats = None;
    rule.triggers = Vec::new();
    rule.examples = Default::default();
    rule.conditions = Vec::new();
    for element in &mut rule.elements {
        element.literals = Vec::new();
        element.regexes = Vec::new();
        element.unless = Vec::new();
    }
    rule
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
/// with the embedded pack only decodes it ([`RuleSet::embedded`]).
#[derive(Debug)]
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

/// What a check needs of the tables, decoded by every run with the
/// embedded pack.
#[derive(Serialize, Deserialize)]
struct Hot {
    /// Where each rule's postcard record ends in the rules part.
    rule_ends: Vec<u32>,
    settings: Vec<RuleSettings>,
    products: Vec<ProductSpec>,
    regexes: Vec<CompiledRegex>,
    /// Where each regex's [`RegexText`] ends in the regex texts part.
    regex_text_ends: Vec<u32>,
}

/// The rules as written with their conditions' words (the cold part of
/// [`Tables`]).
#[derive(Serialize, Deserialize)]
struct FullRules(Vec<RuleSpec>, Vec<Vec<(usize, Vec<String>)>>);

/// The rules of [`FullRules`] with their conditions put back.
#[derive(Debug, Deserialize)]
#[serde(from = "FullRules")]
struct RulesAsWritten(Vec<RuleSpec>);

impl From<FullRules> for RulesAsWritten {
    fn from(FullRules(mut rules, conditions): FullRules) -> RulesAsWritten {
        for (rule, conditions) in rules.iter_mut().zip(conditions) {
            rule.conditions = conditions;
        }
        RulesAsWritten(rules)
    }
}

impl RuleSet {
    /// Compiles a validated pack, keeping only the rules `keep` accepts.
    pub fn compile(pack: Pack, keep: impl Fn(&RuleSpec) -> bool) -> Result<RuleSet, RuleError> {
        RuleSet::from_tables(Tables::compile(pack, keep))
    }

    /// [`Self::compile`] for a selection of rules (`--select`, `--ignore`,
    /// the config's `select` and `ignore`). A selection that keeps the
    /// learned rule but leaves other rules out compiles the whole pack and
    /// reports only the selection ([`Self::reported`]): the learned rule
    /// reads only the sentences no other rule's finding covers, and which
    /// those are must not depend on what the run reports. The run costs
    /// what a full run costs; other selections compile only what they keep.
    /// (The embedded pack alone is never compiled at run time: see
    /// [`Self::select`].)
    pub fn compile_selected(pack: Pack, keep: impl Fn(&RuleSpec) -> bool) -> Result<RuleSet, RuleError> {
        let partial = pack.rules.iter().any(|r| !keep(r));
        let learned_kept = pack.rules.iter().any(|r| r.kind == Kind::Learned && keep(r));
        if !(partial && learned_kept) {
            return RuleSet::compile(pack, keep);
        }
        // compile() keeps the pack's order, so the mask lines up.
        let reported: Vec<bool> = pack.rules.iter().map(&keep).collect();
        let mut set = RuleSet::compile(pack, |_| true)?;
        set.reported = Some(reported);
        Ok(set)
    }

    /// Reports only the rules `keep` accepts while the whole set still runs,
    /// as [`Self::compile_selected`] does when it keeps the learned rule:
    /// a selection of the embedded pack without compiling at run time. A
    /// rule's findings are merged only with those of the rules reported, so
    /// a finding of a rule left out never hides one that is reported.
    pub fn select(&mut self, keep: impl Fn(&RuleSpec) -> bool) {
        let mask: Vec<bool> = self.rules.iter().map(keep).collect();
        self.reported = mask.contains(&false).then_some(mask);
    }

    /// Gives each rule the severity `severity` names for it, if any (the
    /// config's `severity` table), in the rules a check reads and in the
    /// rules as written that `rules`, `explain` and SARIF show (those of
    /// the embedded pack when they are first decoded).
    pub fn override_severities(&mut self, severity: impl Fn(&RuleSpec) -> Option<Severity>) {
        let changes: Vec<(usize, Severity)> = (self.rules.iter().enumerate())
            .filter_map(|(r, rule)| severity(rule).filter(|&s| s != rule.severity).map(|s| (r, s)))
            .collect();
        for &(r, s) in &changes {
            self.rules.0[r].get_mut().severity = s;
        }
        match self.full_rules.value.get_mut() {
            Some(as_written) => changes.iter().for_each(|&(r, s)| as_written.0[r].severity = s),
            None => self.severities_as_written.extend(changes),
        }
    }

    /// Whether the run reports rule `r` (see [`Self::reported`]).
    pub fn reports(&self, r: usize) -> bool {
        self.reported.as_ref().is_none_or(|mask| mask[r])
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
        let (mut roles, mut role_starts) = flatten(roles);
        let signatures = split_gates(&mut roles, &mut role_starts, &regexes);
        RuleSet {
            rules: Rules(rules.iter().map(|r| Cold::ready(light(r))).collect()),
            settings,
            products,
            regexes,
            automaton,
            roles,
            role_starts,
            signatures,
            keep_unlikely: false,
            min_confidence: 0.0,
            reported: None,
            full_rules: Cold::ready(RulesAsWritten(rules)),
            severities_as_written: Vec::new(),
            classes: Cold::ready(classes),
            patterns: Cold::ready(patterns),
        }
    }

    /// The rule set of tables written by [`Tables::to_embedded`] and their
    /// automaton: only the part a check needs is decoded now, the rest
    /// (rules as written, word classes, literals) when first asked for.
    /// `None` when the bytes are not such tables.
    pub fn from_embedded(bytes: &'static [u8], automaton: Literals) -> Option<RuleSet> {
        let mut parts = [&bytes[..0]; 10];
        let mut rest = bytes;
        for part in &mut parts {
            let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            *part = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
        }
        let [hot, full_rules, classes, patterns, regex_texts, roles, role_starts, light_rules, gate_literals, gate_masks] =
            parts;
        let Hot { rule_ends, settings, products, mut regexes, regex_text_ends } = postcard::from_bytes(hot).ok()?;
        let mut rules = Vec::with_capacity(rule_ends.len());
        let mut start = 0;
        for &end in &rule_ends {
            rules.push(Cold::lazy(light_rules.get(start..end as usize)?));
            start = end as usize;
        }
        let rules = Rules(rules);
        let mut decoded = Vec::with_capacity(roles.len() / 12);
        for w in roles.chunks_exact(12) {
            let word = |i: usize| u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]);
            decoded.push(Role::from_words([word(0), word(4), word(8)])?);
        }
        let roles = decoded;
        let mut starts = Vec::with_capacity(role_starts.len() / 4);
        starts.extend(le_words(role_starts));
        let role_starts = starts;
        let gates: Vec<usize> = regexes.iter().map(|r| r.gates).collect();
        let signatures = Signatures::from_bytes(gate_literals, gate_masks, &gates)?;
        let mut start = 0;
        for (regex, &end) in regexes.iter_mut().zip(&regex_text_ends) {
            regex.text = Cold::lazy(regex_texts.get(start..end as usize)?);
            start = end as usize;
        }
        Some(RuleSet {
            rules,
            settings,
            products,
            regexes,
            automaton,
            roles,
            role_starts,
            signatures,
            keep_unlikely: false,
            min_confidence: 0.0,
            reported: None,
            full_rules: Cold::lazy(full_rules),
            severities_as_written: Vec::new(),
            classes: Cold::lazy(classes),
            patterns: Cold::lazy(patterns),
        })
    }

    /// The rules as written (word lists, conditions and examples included),
    /// in the order of [`Self::rules`].
    pub fn full_rules(&self) -> &[RuleSpec] {
        let overrides = &self.severities_as_written;
        &self.full_rules.get_fixed(|rules| overrides.iter().for_each(|&(r, s)| rules.0[r].severity = s)).0
    }

    /// Word classes with their summaries and words, for `iryolint rules`.
    pub fn classes(&self) -> &[ClassInfo] {
        self.classes.get()
    }
}

/// Takes the gate roles out of `roles` into [`Signatures`].
fn split_gates(roles: &mut Vec<Role>, role_starts: &mut [u32], regexes: &[CompiledRegex]) -> Signatures {
    let gates: Vec<usize> = regexes.iter().map(|r| r.gates).collect();
    Signatures::split(roles, role_starts, &gates)
}

/// Roles per literal as one list and where each literal's start.
fn flatten(roles: Vec<Vec<Role>>) -> (Vec<Role>, Vec<u32>) {
    let mut starts = Vec::with_capacity(roles.len() + 1);
    starts.push(0);
    let mut flat = Vec::new();
    for list in roles {
        flat.extend(list);
        starts.push(flat.len() as u32);
    }
    (flat, starts)
}

impl Tables {
    /// The tables as the binary embeds them (`build.rs`): ten parts, each
    /// after its length (`u32`, little-endian): what a check needs (rules
    /// without word lists, settings, products, regexes without their
    /// texts; postcard), the rules as written, the word classes, the
    /// literals (postcard each), the regexes' texts (one postcard
    /// [`RegexText`] after another, decoded when a regex is first used),
    /// as little-endian `u32`s, the literals' roles but their gates (three
    /// words each, [`Role::to_words`]) and where each literal's roles
    /// start, the rules without word lists (one postcard record after
    /// another, each decoded when the rule is first read), and the
    /// literals' gates as [`Signatures::to_bytes`] gives them (two parts).
    pub fn to_embedded(&self) -> Result<Vec<u8>, postcard::Error> {
        let (mut roles, mut role_starts) = flatten(self.roles.clone());
        let (gate_literals, gate_masks) = split_gates(&mut roles, &mut role_starts, &self.regexes).to_bytes();
        let mut regex_texts = Vec::new();
        let mut regex_text_ends = Vec::new();
        for regex in &self.regexes {
            regex_texts.extend(postcard::to_allocvec(regex.text.get())?);
            regex_text_ends.push(regex_texts.len() as u32);
        }
        let mut full = self.rules.clone();
        for (rule, conditions) in full.iter_mut().zip(&self.conditions) {
            rule.conditions = conditions.clone();
        }
        let mut light_rules = Vec::new();
        let mut rule_ends = Vec::new();
        for rule in &full {
            light_rules.extend(postcard::to_allocvec(&light(rule))?);
            rule_ends.push(light_rules.len() as u32);
        }
        let hot = Hot {
            rule_ends,
            settings: clone_via_postcard(&self.settings)?,
            products: self.products.clone(),
            regexes: clone_via_postcard(&self.regexes)?,
            regex_text_ends,
        };
        let parts = [
            postcard::to_allocvec(&hot)?,
            postcard::to_allocvec(&FullRules(self.rules.clone(), self.conditions.clone()))?,
            postcard::to_allocvec(&self.classes)?,
            postcard::to_allocvec(&self.patterns)?,
            regex_texts,
            le_bytes(roles.iter().flat_map(|r| r.to_words())),
            le_bytes(role_starts),
            light_rules,
            gate_literals,
            gate_masks,
        ];
        let mut out = Vec::new();
        for part in parts {
            out.extend((part.len() as u32).to_le_bytes());
            out.extend(part);
        }
        Ok(out)
    }

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
            // An evidence leap that looks for its claim in the marker's own
            // sentence reports only in a sentence that holds a claim word: its
            // claim words are one more gate of its main regexes.
            let mut claim_gate: Vec<String> = Vec::new();
            if rule.kind == Kind::EvidenceLeap {
                let default_claims = vec!["@human-benefit".to_string()];
                let default_caveats = vec!["@preclinical-caveat".to_string()];
                for word in pack.expand(rule.claims.as_ref().unwrap_or(&default_claims)) {
                    builder.add(&word, Role::Claim(r));
                    if matches!(&rule.window, Some(Window::Unit(u)) if u == "sentence") {
                        claim_gate.push(word);
                    }
                }
                for word in pack.expand(rule.caveats.as_ref().unwrap_or(&default_caveats)) {
                    builder.add(&word, Role::Caveat(r));
                }
            }
            let mut add_regex = |spec: &RegexSpec, slot: RegexSlot, builder: &mut Builder| {
                let index = regexes.len();
                let mut gates = super::gates::required_literal_sets(&spec.regex);
                let anchors: Vec<String> = spec.anchors.iter().map(|a| fold_str(a)).collect();
                let anchored = gates.iter().any(|gate| {
                    gate.iter().all(|literal| anchors.iter().any(|a| !a.is_empty() && literal.contains(a.as_str())))
                });
                if slot == RegexSlot::Main && !claim_gate.is_empty() {
                    gates.push(claim_gate.clone());
                }
                regexes.push(CompiledRegex::new(r, slot, &spec.regex, gates.len(), anchored));
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
            // A claim reports in the clinic's voice and in a case report's
            // (where a testimonial rule on the same span wins: one claim,
            // one label, the more specific category).
            let default_voices: &[Voice] = if rule.kind == Kind::Claim { &[Voice::Clinic, Voice::Case] } else { &[] };
            settings.push(RuleSettings {
                kind: rule.kind,
                trigger_products: rule.trigger_products,
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
                target_marked_other: rule.target_marked_other.iter().map(|p| fold_str(p)).collect(),
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
    /// Calls `found` with every literal hit in `text`, overlapping, the
    /// roles it plays but gates, and the mask of the regex gates it belongs
    /// to (`None` for none; see [`super::signature`]).
    pub fn scan(&self, text: &str, mut found: impl FnMut(std::ops::Range<usize>, &[Role], Option<&GateMask>)) {
        self.automaton.for_each_match(text.as_bytes(), |start, end, id| {
            let roles = &self.roles[self.role_starts[id] as usize..self.role_starts[id + 1] as usize];
            found(start..end, roles, self.signatures.of_literal(id).as_ref())
        });
    }

    /// Whether regex `x` may match in a sentence whose literals' gate masks
    /// add up to `signature`.
    pub fn admits(&self, x: usize, signature: &GateMask) -> bool {
        self.signatures.admits(x, signature)
    }

    /// The folded literals of the automaton.
    pub fn patterns(&self) -> &[String] {
        self.patterns.get()
    }

    /// The index of the rule with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        // A binary search reads (decodes) about log2(n) rules.
        let (mut low, mut high) = (0, self.rules.len());
        while low < high {
            let mid = (low + high) / 2;
            match self.rules[mid].id.as_str().cmp(id) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The highest severity any rule can report (for summaries).
    pub fn severity(&self, rule: usize) -> Severity {
        self.rules[rule].severity
    }
}

/// A copy of a value that is not `Clone` (it holds compiled state), by its
/// serialized form.
fn clone_via_postcard<T: Serialize + serde::de::DeserializeOwned>(value: &T) -> Result<T, postcard::Error> {
    postcard::from_bytes(&postcard::to_allocvec(value)?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_words() {
        let mut roles = vec![
            Role::Phrase(3),
            Role::Anchor(336),
            Role::Gate(7, 2),
            Role::Condition(113, 4),
            Role::Target(1),
            Role::Effect(2),
            Role::Marker(5),
            Role::Claim(6),
            Role::Caveat(8),
            Role::Trigger(9),
            Role::Element(10, 3),
            Role::ElementUnless(11, 1),
            Role::Product(12),
            Role::ProductContext(13),
        ];
        roles.extend(Lex::ALL.iter().map(|&(lex, _)| Role::Lexicon(lex)));
        for role in roles {
            assert_eq!(Role::from_words(role.to_words()), Some(role));
        }
        assert_eq!(Role::from_words([15, 0, 0]), None);
        assert_eq!(Role::from_words([12, LEX_COUNT as u32, 0]), None);
    }
}
