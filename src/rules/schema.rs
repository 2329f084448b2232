//! The serde mirror of a rule file (see `rules/README.md`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One rule file: rules, lexicon lists and products, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// `[[rule]]` entries.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    /// `[lexicon]`: named literal lists.
    #[serde(default)]
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// `[[product]]` entries.
    #[serde(default)]
    pub product: Vec<ProductSpec>,
}

/// What mechanism a rule uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Literal and regex phrases with exceptions.
    Phrase,
    /// Efficacy claims on pages that advertise care; negations cancel,
    /// hedges lower the severity.
    Claim,
    /// A preclinical marker near a claim of benefit for people.
    EvidenceLeap,
    /// Required disclosure elements missing from a document.
    Disclosure,
}

impl Kind {
    /// The kebab-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Phrase => "phrase",
            Kind::Claim => "claim",
            Kind::EvidenceLeap => "evidence-leap",
            Kind::Disclosure => "disclosure",
        }
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
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Window {
    /// `"paragraph"` or `"sentence"`.
    Unit(String),
    /// Characters either side of the marker.
    Chars(usize),
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
}

/// One `[[rule]]` as written. Each field is documented in `rules/README.md`.
#[allow(missing_docs)]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: Kind,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
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
    pub unless: Vec<String>,
    #[serde(default)]
    pub unless_overlapping: Vec<String>,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub unless_nearby: Vec<String>,
    #[serde(default)]
    pub nearby_chars: Option<usize>,
    #[serde(default)]
    pub needs_document: Vec<String>,
    #[serde(default)]
    pub unless_document: Vec<String>,
    #[serde(default)]
    pub blocks: Vec<BlockName>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub hedge_lowers: Option<bool>,
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

/// One `[[product]]`: an unapproved or off-label substance or product.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    /// kebab-case id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `unapproved` or `off-label`.
    pub status: String,
    /// Literals that name it.
    pub aliases: Vec<String>,
}
