//! The shape of a rule file (see `rules/README.md`), declared once.
//!
//! [`RULE_KEYS`] is the one list of the keys a `[[rule]]` may have, with
//! the kinds each applies to and what it means: the loader rejects a key
//! that does not apply to a rule's kind, and the README's key table is
//! generated from it ([`key_table_markdown`]). [`CONDITIONS`] is the one
//! list of candidate conditions (`unless`, `needs_clause`…): the compiler
//! and the engine read a rule's conditions as data, never by key name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::classes::ClassSpec;

/// One rule file: rules, word classes and products, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// `[[rule]]` entries, as raw tables (checked against [`RULE_KEYS`]).
    #[serde(default)]
    pub rule: Vec<toml::Spanned<toml::Table>>,
    /// `[class.NAME]`: named word classes.
    #[serde(default)]
    pub class: BTreeMap<String, ClassSpec>,
    /// `[[product]]` entries.
    #[serde(default)]
    pub product: Vec<ProductSpec>,
}

/// What mechanism a rule uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Literal and regex phrases with conditions.
    Phrase,
    /// Claims on pages that advertise care: literal phrases, or a target and
    /// an effect of word classes in one clause; negations cancel, hedges
    /// lower the severity, the voice (clinic, patient, study, case) must match.
    Claim,
    /// A preclinical marker near a claim of benefit for people.
    EvidenceLeap,
    /// Required disclosure elements missing from a document.
    Disclosure,
    /// A sentence that no other rule's finding covers, on a page that
    /// advertises care, which the embedded claim model
    /// ([`crate::engine::learned`]) scores as a claim.
    Learned,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [Kind::Phrase, Kind::Claim, Kind::EvidenceLeap, Kind::Disclosure, Kind::Learned];

    /// The kebab-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Phrase => "phrase",
            Kind::Claim => "claim",
            Kind::EvidenceLeap => "evidence-leap",
            Kind::Disclosure => "disclosure",
            Kind::Learned => "learned",
        }
    }

    /// Parses a kebab-case name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A finding category (see TAXONOMY.md): a public interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Cure, improvement, regeneration… stated without basis.
    UnsupportedEfficacy,
    /// Animal or in-vitro results presented as benefit in people.
    PreclinicalExtrapolation,
    /// Absolute or unqualified safety.
    SafetyClaim,
    /// Superiority over others, best of its kind.
    SuperlativeComparison,
    /// Borrowed authority implying endorsement.
    AuthorityEndorsement,
    /// Patients' accounts of a treatment's effect.
    Testimonial,
    /// Before/after photos or descriptions without explanation.
    BeforeAfter,
    /// Price-led or time-pressure lures.
    Inducement,
    /// Self-paid care advertised without the 限定解除 disclosures.
    MissingFreeCareDisclosure,
    /// Unapproved products advertised without their five disclosures.
    MissingUnapprovedDisclosure,
    /// Anything else the pack flags.
    Other,
}

impl Category {
    /// Every category, in TAXONOMY order.
    pub const ALL: [Category; 11] = [
        Category::UnsupportedEfficacy,
        Category::PreclinicalExtrapolation,
        Category::SafetyClaim,
        Category::SuperlativeComparison,
        Category::AuthorityEndorsement,
        Category::Testimonial,
        Category::BeforeAfter,
        Category::Inducement,
        Category::MissingFreeCareDisclosure,
        Category::MissingUnapprovedDisclosure,
        Category::Other,
    ];

    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::UnsupportedEfficacy => "unsupported-efficacy",
            Category::PreclinicalExtrapolation => "preclinical-extrapolation",
            Category::SafetyClaim => "safety-claim",
            Category::SuperlativeComparison => "superlative-comparison",
            Category::AuthorityEndorsement => "authority-endorsement",
            Category::Testimonial => "testimonial",
            Category::BeforeAfter => "before-after",
            Category::Inducement => "inducement",
            Category::MissingFreeCareDisclosure => "missing-free-care-disclosure",
            Category::MissingUnapprovedDisclosure => "missing-unapproved-disclosure",
            Category::Other => "other",
        }
    }

    /// Parses a kebab-case id.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The disclosure element ids a document-level category may list.
    pub fn elements(self) -> &'static [&'static str] {
        match self {
            Category::MissingFreeCareDisclosure => {
                &["free-care-statement", "treatment-content", "cost", "duration", "risks"]
            }
            Category::MissingUnapprovedDisclosure => &[
                "unapproved-statement",
                "acquisition-route",
                "domestic-alternatives",
                "overseas-safety",
                "relief-system",
            ],
            _ => &[],
        }
    }

    /// How specific a category is when findings of two categories cover the
    /// same words: the voice or evidence a claim rests on (a mouse study, a
    /// patient) says more than the bare claim, and a named comparison or
    /// risk more than "it works". Higher wins.
    pub fn specificity(self) -> u8 {
        match self {
            Category::PreclinicalExtrapolation => 9,
            Category::Testimonial => 8,
            Category::BeforeAfter => 7,
            Category::AuthorityEndorsement => 6,
            Category::SuperlativeComparison => 5,
            Category::SafetyClaim => 4,
            Category::Inducement => 3,
            Category::UnsupportedEfficacy => 2,
            Category::Other => 1,
            Category::MissingFreeCareDisclosure | Category::MissingUnapprovedDisclosure => 0,
        }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One step lower (info stays info).
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

/// A text in Japanese and English.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Ja => &self.ja,
            crate::Lang::En => &self.en,
        }
    }
}

/// A regex with the literal anchors that gate it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegexSpec {
    /// The pattern, written against the normalized view.
    pub regex: String,
    /// Literals, one of which every match contains.
    pub anchors: Vec<String>,
}

/// Where an evidence-leap rule looks for a claim.
///
/// A rule file writes it as a string or a number; the binary tables that
/// `build.rs` writes (postcard, which cannot tell the two apart by
/// looking) tag it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// `"paragraph"` or `"sentence"`.
    Unit(String),
    /// Characters either side of the marker.
    Chars(usize),
}

/// The two forms of [`Window`] on the wire.
mod window_forms {
    use serde::{Deserialize, Serialize};

    /// As a rule file writes it (the name shows in error messages).
    #[derive(Deserialize, Serialize)]
    #[serde(untagged)]
    pub enum Window {
        Unit(String),
        Chars(usize),
    }

    /// Tagged, for binary formats.
    #[derive(Deserialize, Serialize)]
    pub enum Tagged {
        Unit(String),
        Chars(usize),
    }
}

impl Serialize for Window {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use window_forms::{Tagged, Window as Text};
        match (self, serializer.is_human_readable()) {
            (Window::Unit(u), true) => Text::Unit(u.clone()).serialize(serializer),
            (Window::Chars(n), true) => Text::Chars(*n).serialize(serializer),
            (Window::Unit(u), false) => Tagged::Unit(u.clone()).serialize(serializer),
            (Window::Chars(n), false) => Tagged::Chars(*n).serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use window_forms::{Tagged, Window as Text};
        Ok(if deserializer.is_human_readable() {
            match Text::deserialize(deserializer)? {
                Text::Unit(u) => Window::Unit(u),
                Text::Chars(n) => Window::Chars(n),
            }
        } else {
            match Tagged::deserialize(deserializer)? {
                Tagged::Unit(u) => Window::Unit(u),
                Tagged::Chars(n) => Window::Chars(n),
            }
        })
    }
}

/// Examples that must and must not trigger a rule.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Each must produce a finding of the rule (`«…»` marks exact spans).
    #[serde(default)]
    pub bad: Vec<String>,
    /// Each must produce no finding of the rule.
    #[serde(default)]
    pub good: Vec<String>,
}

/// One disclosure element and the wording that shows it is present.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ElementSpec {
    /// A TAXONOMY element id.
    pub id: String,
    /// Literals that show the element.
    #[serde(default)]
    pub literals: Vec<String>,
    /// Regexes that show the element.
    #[serde(default)]
    pub regexes: Vec<RegexSpec>,
    /// Literals that void the element's wording in their sentence (a
    /// sentence that says the period "varies" states no period).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// Who is speaking where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Voice {
    /// The clinic itself (neither of the others).
    Clinic,
    /// A patient: a quoted account, an attributed case, a testimonial section.
    Patient,
    /// A study in animals or cells: its paragraph names one.
    Study,
    /// A particular patient's course, told by the clinic in a case report
    /// (an outcome in the past tense after 症例報告, 患者様について).
    Case,
}

impl Voice {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Clinic => "clinic",
            Voice::Patient => "patient",
            Voice::Study => "study",
            Voice::Case => "case",
        }
    }
}

/// In which order a claim's target and effect may come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// The target, then the effect (代謝を高める, むくみ解消).
    #[default]
    TargetFirst,
    /// Either order (痛みの少ない / 少ない痛み).
    Either,
}

/// The stretch of text a condition looks at, relative to a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Scope {
    /// Words that share a byte with the candidate.
    Overlap,
    /// Words that start right where the candidate ends, running on its last
    /// word (a noun) with nothing between them in the source.
    Next,
    /// The candidate's clause (a sentence cut at 、 after a conjunctive form).
    Clause,
    /// The candidate's sentence.
    Sentence,
    /// The candidate's block (paragraph, list item, heading, cell).
    Paragraph,
    /// The heading that governs the candidate's block (the last heading
    /// before it), or the block itself when it is a heading.
    Heading,
    /// `nearby_chars` characters either side, across blocks.
    Nearby,
    /// Anywhere in the document.
    Document,
}

/// Whether a condition's words keep or drop a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Polarity {
    /// One of the words must occur in the scope.
    Needs,
    /// None of the words may occur in the scope.
    Unless,
}

/// A condition key: its name, scope and polarity.
#[derive(Clone, Copy, Debug)]
pub struct ConditionKey {
    /// The key in a rule file.
    pub key: &'static str,
    /// Where it looks.
    pub scope: Scope,
    /// What a hit does.
    pub polarity: Polarity,
    /// For the README.
    pub meaning: &'static str,
}

impl ConditionKey {
    /// The kinds the condition applies to: document conditions to every
    /// kind, the others to the kinds that have candidates.
    pub fn kinds(&self) -> &'static [Kind] {
        if self.scope == Scope::Document {
            ALL_KINDS
        } else {
            MATCHING
        }
    }
}

/// Every candidate condition a phrase, claim or evidence-leap rule may
/// carry. Each is a list of literals (or `@class` names).
pub const CONDITIONS: &[ConditionKey] = &[
    ConditionKey {
        key: "unless_overlapping",
        scope: Scope::Overlap,
        polarity: Polarity::Unless,
        meaning: "a candidate is dropped when it overlaps one of these (`治療費` protects `治`, `マウスピース` protects `マウス`)",
    },
    ConditionKey {
        key: "needs_overlapping",
        scope: Scope::Overlap,
        polarity: Polarity::Needs,
        meaning: "a candidate is kept only when it overlaps one of these",
    },
    ConditionKey {
        key: "unless_next",
        scope: Scope::Next,
        polarity: Polarity::Unless,
        meaning: "dropped when one starts right where the candidate ends and runs on its last word (予防**外来**, 回復**点滴**: an effect noun naming a service, not a result). Only a candidate ending in a noun runs on: its last word (a run of kanji, katakana, Latin letters or digits) not ending in 的 and not right after a particle を, が, は, に, も, で or へ, and nothing between it and the word in the source (a space or line break that normalization removes still separates: 改善　**施術**時間). A candidate ending in kana (a verb, an adjective or a noun made from one) or in 的 qualifies the next word instead (取り除く**治療**, 効果的**治療** stay claims), and one whose last word follows a particle is a clause's predicate (シミを改善**治療**後も…)",
    },
    ConditionKey {
        key: "needs_next",
        scope: Scope::Next,
        polarity: Polarity::Needs,
        meaning: "kept only when one starts right where the candidate ends and runs on its last word (as `unless_next`)",
    },
    ConditionKey {
        key: "unless_clause",
        scope: Scope::Clause,
        polarity: Polarity::Unless,
        meaning: "dropped when one occurs in the same clause",
    },
    ConditionKey {
        key: "needs_clause",
        scope: Scope::Clause,
        polarity: Polarity::Needs,
        meaning: "kept only when one occurs in the same clause",
    },
    ConditionKey {
        key: "unless",
        scope: Scope::Sentence,
        polarity: Polarity::Unless,
        meaning: "dropped when one occurs in the same sentence",
    },
    ConditionKey {
        key: "needs",
        scope: Scope::Sentence,
        polarity: Polarity::Needs,
        meaning: "kept only when one occurs in the same sentence (`必ず` needs an outcome word)",
    },
    ConditionKey {
        key: "unless_paragraph",
        scope: Scope::Paragraph,
        polarity: Polarity::Unless,
        meaning: "dropped when one occurs in the same block",
    },
    ConditionKey {
        key: "needs_paragraph",
        scope: Scope::Paragraph,
        polarity: Polarity::Needs,
        meaning: "kept only when one occurs in the same block",
    },
    ConditionKey {
        key: "unless_heading",
        scope: Scope::Heading,
        polarity: Polarity::Unless,
        meaning: "dropped when one occurs in the heading that governs the block (a 料金 or リスク section)",
    },
    ConditionKey {
        key: "needs_heading",
        scope: Scope::Heading,
        polarity: Polarity::Needs,
        meaning: "kept only when one occurs in the governing heading (list items under 「〜の効果」)",
    },
    ConditionKey {
        key: "unless_nearby",
        scope: Scope::Nearby,
        polarity: Polarity::Unless,
        meaning: "dropped when one occurs within `nearby_chars` characters either side, across sentences and blocks (a before/after caption with its cost and risks on the next lines)",
    },
    ConditionKey {
        key: "needs_nearby",
        scope: Scope::Nearby,
        polarity: Polarity::Needs,
        meaning: "kept only when one occurs within `nearby_chars` characters either side",
    },
    ConditionKey {
        key: "needs_document",
        scope: Scope::Document,
        polarity: Polarity::Needs,
        meaning: "the rule applies only to documents where one occurs (GLP-1 brand names only on pages that mention ダイエット)",
    },
    ConditionKey {
        key: "unless_document",
        scope: Scope::Document,
        polarity: Polarity::Unless,
        meaning: "the rule does not apply to documents where one occurs (a page that says it offers no such care)",
    },
];

/// One key a `[[rule]]` may have.
#[derive(Clone, Copy, Debug)]
pub struct KeyDoc {
    /// The key.
    pub key: &'static str,
    /// The kinds it applies to.
    pub kinds: &'static [Kind],
    /// Whether every rule of those kinds must have it.
    pub required: bool,
    /// What it means (Markdown, for the README).
    pub meaning: &'static str,
}

const ALL_KINDS: &[Kind] = &Kind::ALL;
const MATCHING: &[Kind] = &[Kind::Phrase, Kind::Claim, Kind::EvidenceLeap];
const PHRASE_CLAIM: &[Kind] = &[Kind::Phrase, Kind::Claim];
const CLAIM: &[Kind] = &[Kind::Claim];
const LEAP: &[Kind] = &[Kind::EvidenceLeap];
const DISCLOSURE: &[Kind] = &[Kind::Disclosure];

/// Every key of a `[[rule]]` but the conditions (see [`CONDITIONS`]).
pub const RULE_KEYS: &[KeyDoc] = &[
    KeyDoc { key: "id", kinds: ALL_KINDS, required: true, meaning: "kebab-case, unique across the pack (`guaranteed-cure`)" },
    KeyDoc { key: "kind", kinds: ALL_KINDS, required: true, meaning: "`phrase`, `claim`, `evidence-leap`, `disclosure` or `learned`; decides which other keys apply. A `learned` rule has no patterns: it reports each sentence of a page that advertises care which no other finding covers and which the claim model embedded in the binary (`model/claims.tsv`, trained by `scripts/train-models.py`) scores at or above its threshold; the span is the sentence. The pack holds at most one" },
    KeyDoc { key: "category", kinds: ALL_KINDS, required: true, meaning: "a category id from TAXONOMY; must match the file's category (`efficacy.toml` holds `unsupported-efficacy`)" },
    KeyDoc { key: "severity", kinds: ALL_KINDS, required: true, meaning: "`error`, `warning` or `info`" },
    KeyDoc { key: "summary", kinds: ALL_KINDS, required: true, meaning: "one English line for `iryolint rules`" },
    KeyDoc { key: "summary_ja", kinds: ALL_KINDS, required: false, meaning: "the same line in Japanese (`iryolint rules --lang ja`)" },
    KeyDoc { key: "message", kinds: ALL_KINDS, required: true, meaning: "`{ ja = \"…\", en = \"…\" }`: what is wrong, shown with each finding" },
    KeyDoc { key: "basis", kinds: ALL_KINDS, required: true, meaning: "the article or guideline section enforced (`医療法 第6条の5第2項第2号; 医療広告ガイドライン 第3の1(3)`)" },
    KeyDoc { key: "help", kinds: ALL_KINDS, required: true, meaning: "`{ ja = \"…\", en = \"…\" }`: how to rewrite, with a compliant example" },
    KeyDoc { key: "description", kinds: ALL_KINDS, required: false, meaning: "`{ ja = \"…\", en = \"…\" }`: longer why, for `iryolint explain`" },
    KeyDoc { key: "literals", kinds: PHRASE_CLAIM, required: false, meaning: "literals (or `@class` names); a hit is a candidate finding" },
    KeyDoc { key: "regexes", kinds: MATCHING, required: false, meaning: "list of `{ regex = '…', anchors = [\"…\"] }`: the regex runs only on sentences where one of its literal `anchors` occurs; every match is a candidate (a marker, for evidence-leap). A named group `(?P<span>…)` makes only that group the reported span. Prefer `target`/`effect`: a regex is for a shape word classes cannot say. A team regex's automaton may take at most 2 MiB, and all team regexes together at most 16 MiB, each counted with 64 KiB more for its search caches (`\\w{0,30}` takes over 1 MiB; `[^。]{0,30}` about 40 KiB)" },
    KeyDoc { key: "target", kinds: CLAIM, required: false, meaning: "word classes (`@body-function`) or literals: what the claim is about. With `effect`, a candidate is a target and an effect in one clause, the effect within `gap` characters after the target (or either side, with `order = \"either\"`); the span runs from one to the other" },
    KeyDoc { key: "effect", kinds: CLAIM, required: false, meaning: "word classes (`@raise`) or literals: what is said of the target" },
    KeyDoc { key: "gap", kinds: CLAIM, required: false, meaning: "most characters between target and effect (default 12)" },
    KeyDoc { key: "target_marked_other", kinds: CLAIM, required: false, meaning: "particles that, right after a target, give it another part in the clause than the one the effect speaks of: a source (脂肪**から**幹細胞を採る), a cause or means (肝斑**で**お困り). A target so marked is not paired with the effect after it; でも and では (シミ**でも**薄く) mark nothing. Matched on folded text, as literals are" },
    KeyDoc { key: "order", kinds: CLAIM, required: false, meaning: "`\"target-first\"` (default) or `\"either\"`" },
    KeyDoc { key: "agent", kinds: CLAIM, required: false, meaning: "bool, default `false`: the claim must name what does it — the care (a `@treatment` word or a product alias) in its sentence, or the clinic itself, by a `@clinic-humble` ending right after the claim (解決**いたします**) — unless it stands in a list item, heading or table cell, whose agent is the page's subject. A sentence about the body's own workings (NK細胞はがん細胞を攻撃する) names none" },
    KeyDoc { key: "voice", kinds: MATCHING, required: false, meaning: "who must be speaking: any of `clinic`, `patient` (a quoted account, an attributed case, a testimonial section), `study` (an animal or cell study in the paragraph), `case` (one patient's course: a sentence ending in the past within about 2,000 characters after a case opener heading a heading or title line, 症例報告, 患者様について, and before a heading of another section, 料金). Default: `[\"clinic\", \"case\"]` for claims (a testimonial rule on the same span wins), any voice for the others" },
    KeyDoc { key: "nearby_chars", kinds: MATCHING, required: false, meaning: "reach of `unless_nearby` and `needs_nearby` (default 80)" },
    KeyDoc { key: "blocks", kinds: MATCHING, required: false, meaning: "limit candidates to blocks of these kinds: `paragraph`, `heading`, `list-item`, `table-cell`, `meta` (alt/title/meta description)" },
    KeyDoc { key: "negatable", kinds: PHRASE_CLAIM, required: false, meaning: "bool, default `true` for claim, `false` for phrase: a `@negation` phrase after the candidate in its clause (改善するわけではありません) cancels it" },
    KeyDoc { key: "negative_endings", kinds: CLAIM, required: false, meaning: "bool, default `true`: a negative ending right on the candidate (改善し**ない**, 高め**られません**) cancels it. `false` for claims whose effect is itself a denial (副作用は**ありません**)" },
    KeyDoc { key: "hedge_lowers", kinds: CLAIM, required: false, meaning: "bool, default `true`: a `@hedge` phrase in the sentence lowers the severity by one step (never cancels)" },
    KeyDoc { key: "markers", kinds: LEAP, required: false, meaning: "literals for the preclinical marker (`マウス`, `in vitro`); the finding is anchored here" },
    KeyDoc { key: "claims", kinds: LEAP, required: false, meaning: "literals: a benefit-for-people claim that must occur within `window` of the marker; shown as the second label. Default: `@human-benefit`" },
    KeyDoc { key: "window", kinds: LEAP, required: false, meaning: "`\"paragraph\"` (default), `\"sentence\"` or a number of characters either side" },
    KeyDoc { key: "caveats", kinds: LEAP, required: false, meaning: "literals: when one occurs within the window, nothing is reported. Default: `@preclinical-caveat`" },
    KeyDoc { key: "triggers", kinds: DISCLOSURE, required: false, meaning: "literals; the first occurrence anchors the finding" },
    KeyDoc { key: "trigger_products", kinds: DISCLOSURE, required: false, meaning: "bool: product aliases are triggers too" },
    KeyDoc { key: "elements", kinds: DISCLOSURE, required: true, meaning: "`[[rule.elements]]`: `id` (a TAXONOMY element id), `literals`, `regexes`, `unless`: the element is present when one of its literals or regexes occurs in a sentence that none of its `unless` words voids" },
    KeyDoc { key: "examples", kinds: ALL_KINDS, required: false, meaning: "`[rule.examples]`: `bad = […]` must each produce a finding of this rule, `good = […]` none; in a bad example `«` `»` mark the exact expected span(s). The test suite runs them; the embedded pack needs at least three of each" },
];

/// One `[[rule]]` as written. Each field is documented in [`RULE_KEYS`]
/// and the README table generated from it.
#[allow(missing_docs)]
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: Kind,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
    #[serde(default)]
    pub summary_ja: Option<String>,
    pub message: Text,
    pub basis: String,
    pub help: Text,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub literals: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<RegexSpec>,
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default)]
    pub effect: Vec<String>,
    #[serde(default)]
    pub gap: Option<usize>,
    #[serde(default)]
    pub target_marked_other: Vec<String>,
    #[serde(default)]
    pub order: Option<Order>,
    #[serde(default)]
    pub agent: bool,
    #[serde(default)]
    pub voice: Option<Vec<Voice>>,
    #[serde(default)]
    pub nearby_chars: Option<usize>,
    #[serde(default)]
    pub blocks: Vec<BlockName>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub hedge_lowers: Option<bool>,
    #[serde(default)]
    pub negative_endings: Option<bool>,
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub claims: Option<Vec<String>>,
    #[serde(default)]
    pub window: Option<Window>,
    #[serde(default)]
    pub caveats: Option<Vec<String>>,
    #[serde(default)]
    pub triggers: Vec<String>,
    #[serde(default)]
    pub trigger_products: bool,
    #[serde(default)]
    pub elements: Vec<ElementSpec>,
    #[serde(default)]
    pub examples: Examples,
    /// Conditions, in [`CONDITIONS`] order: (index into `CONDITIONS`,
    /// words). Filled by the loader from the condition keys.
    #[serde(skip)]
    pub conditions: Vec<(usize, Vec<String>)>,
}

impl RuleSpec {
    /// The words of condition `key`, if the rule has it.
    pub fn condition(&self, key: &str) -> Option<&[String]> {
        let index = CONDITIONS.iter().position(|c| c.key == key)?;
        self.conditions.iter().find(|(i, _)| *i == index).map(|(_, w)| w.as_slice())
    }

    /// The summary in `lang` (English when no Japanese one is written).
    pub fn summary_in(&self, lang: crate::Lang) -> &str {
        match (lang, &self.summary_ja) {
            (crate::Lang::Ja, Some(ja)) => ja,
            _ => &self.summary,
        }
    }
}

/// The kinds a key applies to, or `None` for a key no rule may have.
pub fn key_kinds(key: &str) -> Option<&'static [Kind]> {
    RULE_KEYS
        .iter()
        .find(|k| k.key == key)
        .map(|k| k.kinds)
        .or_else(|| CONDITIONS.iter().find(|c| c.key == key).map(ConditionKey::kinds))
}

/// The README's table of rule keys, generated from [`RULE_KEYS`] and
/// [`CONDITIONS`].
pub fn key_table_markdown() -> String {
    let kinds = |ks: &[Kind]| {
        if ks.len() == Kind::ALL.len() {
            "all".to_string()
        } else {
            ks.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    let mut out = String::from("| key | kinds | required | meaning |\n|---|---|---|---|\n");
    for k in RULE_KEYS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            k.key,
            kinds(k.kinds),
            if k.required { "yes" } else { "" },
            k.meaning
        ));
    }
    for c in CONDITIONS {
        out.push_str(&format!("| `{}` | {} |  | condition: {} |\n", c.key, kinds(c.kinds()), c.meaning));
    }
    out
}

/// A kind of block a rule may be limited to (`blocks = [...]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockName {
    /// Running prose.
    Paragraph,
    /// Headings and titles.
    Heading,
    /// List items.
    ListItem,
    /// Table cells.
    TableCell,
    /// Attribute and metadata text (alt, title, meta description).
    Meta,
}

impl BlockName {
    /// Whether a block of `kind` is of this name.
    pub fn matches(self, kind: crate::text::BlockKind) -> bool {
        use crate::text::BlockKind as K;
        matches!(
            (self, kind),
            (BlockName::Paragraph, K::Paragraph)
                | (BlockName::Heading, K::Heading)
                | (BlockName::ListItem, K::ListItem)
                | (BlockName::TableCell, K::TableCell)
                | (BlockName::Meta, K::Meta)
        )
    }
}

/// Whether a product is unapproved in Japan or approved for another use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductStatus {
    /// Not approved in Japan for any use.
    Unapproved,
    /// Approved, but used beyond its approval.
    OffLabel,
}

/// One `[[product]]`: an unapproved or off-label substance or product.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    /// kebab-case id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `unapproved` or `off-label`.
    pub status: ProductStatus,
    /// Literals that name it.
    pub aliases: Vec<String>,
    /// Literals of which one must occur in the document for an alias to
    /// count (GLP-1 drugs count only on pages about weight loss).
    #[serde(default)]
    pub needs_document: Vec<String>,
}
