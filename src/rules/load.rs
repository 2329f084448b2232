//! Parsing and validating rule files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::schema::{Kind, ProductSpec, RegexSpec, RuleFile, RuleSpec, Window};

/// The rule files embedded in the binary: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Lexicon lists the engine itself reads.
pub const ENGINE_LEXICONS: &[&str] =
    &["negation", "hedge", "caveat", "treatment", "mention", "human-benefit", "preclinical-caveat"];

/// A problem in a rule file, with the file and, where known, the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file (as given, or `rules/NAME` for embedded files).
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RuleError {}

/// A validated rule pack: rules sorted by id, merged lexicon, products.
#[derive(Debug, Default)]
pub struct Pack {
    /// Every rule, sorted by id.
    pub rules: Vec<RuleSpec>,
    /// Named literal lists, merged across files.
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// Unapproved and off-label products.
    pub products: Vec<ProductSpec>,
    /// Where each rule came from (file name, 1-based line), by id.
    pub origins: BTreeMap<String, (String, usize)>,
    /// Whether [`Pack::validate`] also parses the embedded pack's regexes.
    pub check_embedded_regexes: bool,
}

/// Prefix of the names of embedded rule files.
pub const EMBEDDED_PREFIX: &str = "rules/";

impl Pack {
    /// The embedded pack.
    pub fn embedded() -> Result<Pack, RuleError> {
        let mut pack = Pack::default();
        pack.add_embedded()?;
        pack.validate()?;
        Ok(pack)
    }

    /// The embedded pack with every check, regex syntax included.
    pub fn embedded_checked() -> Result<Pack, RuleError> {
        let mut pack = Pack { check_embedded_regexes: true, ..Pack::default() };
        pack.add_embedded()?;
        pack.validate()?;
        Ok(pack)
    }

    /// Adds the embedded rule files.
    pub fn add_embedded(&mut self) -> Result<(), RuleError> {
        for (name, text) in EMBEDDED {
            self.add_file(&format!("{EMBEDDED_PREFIX}{name}"), text)?;
        }
        Ok(())
    }

    /// Parses one rule file and adds what it holds. Call
    /// [`Pack::validate`] after the last file.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        for rule in parsed.rule {
            let line = find_line(text, &format!("\"{}\"", rule.id));
            if let Some((other, _)) = self.origins.get(&rule.id) {
                return Err(RuleError {
                    file: file.to_string(),
                    line,
                    message: format!("rule id `{}` is already defined in {other}", rule.id),
                });
            }
            self.origins.insert(rule.id.clone(), (file.to_string(), line.unwrap_or(1)));
            self.rules.push(rule);
        }
        for (name, words) in parsed.lexicon {
            self.lexicon.entry(name).or_default().extend(words);
        }
        self.products.extend(parsed.product);
        Ok(())
    }

    /// Checks every rule and sorts them by id.
    pub fn validate(&mut self) -> Result<(), RuleError> {
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        for rule in &self.rules {
            self.validate_rule(rule).map_err(|message| {
                let (file, line) = self.origins.get(&rule.id).cloned().unwrap_or_default();
                RuleError { file, line: Some(line), message: format!("rule `{}`: {message}", rule.id) }
            })?;
        }
        let mut seen = BTreeSet::new();
        for product in &self.products {
            if !seen.insert(&product.id) {
                return Err(RuleError {
                    file: "products".into(),
                    line: None,
                    message: format!("product id `{}` is defined twice", product.id),
                });
            }
        }
        Ok(())
    }

    fn validate_rule(&self, rule: &RuleSpec) -> Result<(), String> {
        if !is_kebab(&rule.id) {
            return Err("id must be kebab-case (lower-case words joined by -)".into());
        }
        let lists = [
            &rule.literals,
            &rule.unless,
            &rule.unless_overlapping,
            &rule.needs,
            &rule.markers,
            &rule.triggers,
            &rule.unless_nearby,
            &rule.needs_document,
            &rule.unless_document,
        ];
        for list in lists.into_iter().chain(rule.claims.as_ref()).chain(rule.caveats.as_ref()) {
            self.check_literals(list)?;
        }
        // The embedded pack's regexes are checked by the test suite
        // (`Pack::embedded_checked`); a run pays only for files it was given.
        let embedded = self.origins.get(&rule.id).is_some_and(|(file, _)| file.starts_with(EMBEDDED_PREFIX));
        if !embedded || self.check_embedded_regexes {
            let regexes = rule.regexes.iter().chain(rule.elements.iter().flat_map(|e| &e.regexes));
            for spec in regexes {
                check_regex(spec)?;
            }
        }
        let is_doc_category = !rule.category.elements().is_empty();
        match rule.kind {
            Kind::Phrase | Kind::Claim => {
                if rule.literals.is_empty() && rule.regexes.is_empty() {
                    return Err("a phrase or claim rule needs `literals` or `regexes`".into());
                }
                if is_doc_category {
                    return Err(format!("category {} needs kind = \"disclosure\"", rule.category.as_str()));
                }
            }
            Kind::EvidenceLeap => {
                if rule.markers.is_empty() && rule.regexes.is_empty() {
                    return Err("an evidence-leap rule needs `markers`".into());
                }
                if let Some(Window::Unit(unit)) = &rule.window {
                    if unit != "paragraph" && unit != "sentence" {
                        return Err(format!("window must be \"paragraph\", \"sentence\" or a number, not {unit:?}"));
                    }
                }
            }
            Kind::Disclosure => {
                if !is_doc_category {
                    return Err("a disclosure rule needs a missing-* category".into());
                }
                if rule.triggers.is_empty() && !rule.trigger_products {
                    return Err("a disclosure rule needs `triggers` or `trigger_products = true`".into());
                }
                if rule.elements.is_empty() {
                    return Err("a disclosure rule needs `[[rule.elements]]`".into());
                }
                for element in &rule.elements {
                    if !rule.category.elements().contains(&element.id.as_str()) {
                        return Err(format!(
                            "element `{}` is not one of {}",
                            element.id,
                            rule.category.elements().join(", ")
                        ));
                    }
                    self.check_literals(&element.literals)?;
                }
            }
        }
        Ok(())
    }

    fn check_literals(&self, list: &[String]) -> Result<(), String> {
        for word in list {
            if let Some(name) = word.strip_prefix('@') {
                if !self.lexicon.contains_key(name) && !ENGINE_LEXICONS.contains(&name) {
                    return Err(format!("`{word}` names no lexicon list"));
                }
            } else if crate::text::normalize::fold_str(word).is_empty() {
                return Err(format!("literal {word:?} is empty after normalization"));
            }
        }
        Ok(())
    }

    /// Expands `@name` lexicon references in a list of literals.
    pub fn expand<'a>(&'a self, list: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        list.iter().flat_map(move |word| match word.strip_prefix('@') {
            Some(name) => self.lexicon.get(name).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default(),
            None => vec![word.as_str()],
        })
    }
}

fn check_regex(spec: &RegexSpec) -> Result<(), String> {
    // Parsing checks the syntax without building an automaton: the regex is
    // compiled only when a run first needs it.
    regex_syntax::Parser::new().parse(&spec.regex).map_err(|e| {
        let first = e.to_string().lines().last().unwrap_or("").trim().to_string();
        format!("bad regex {:?}: {first}", spec.regex)
    })?;
    let names = spec.regex.match_indices("(?P<").chain(spec.regex.match_indices("(?<")).map(|(i, m)| {
        let rest = &spec.regex[i + m.len()..];
        &rest[..rest.find('>').unwrap_or(rest.len())]
    });
    if names.into_iter().any(|n| n != "span" && !n.starts_with('=') && !n.starts_with('!')) {
        return Err(format!("regex {:?}: the only named group allowed is `span`", spec.regex));
    }
    if spec.anchors.is_empty() {
        return Err(format!("regex {:?} needs at least one literal anchor", spec.regex));
    }
    Ok(())
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|at| line_of(text, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[rule]]
id = "x"
kind = "phrase"
category = "safety-claim"
severity = "error"
summary = "s"
message = { ja = "j", en = "e" }
basis = "b"
help = { ja = "j", en = "e" }
literals = ["副作用なし"]
"#;

    #[test]
    fn syntax_errors_name_file_and_line() {
        let mut pack = Pack::default();
        let err = pack.add_file("team.toml", "[[rule]]\nid = \"x\"\nkind = \"phras\"\n").unwrap_err();
        assert_eq!(err.file, "team.toml");
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("phras"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let mut pack = Pack::default();
        let err = pack.add_file("t.toml", &RULE.replace("basis", "basis_typo")).unwrap_err();
        assert!(err.to_string().starts_with("t.toml:"), "{err}");
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let mut pack = Pack::default();
        pack.add_file("a.toml", RULE).unwrap();
        let err = pack.add_file("b.toml", RULE).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("already defined in a.toml"), "{err}");
    }

    #[test]
    fn bad_regex_and_id_are_reported_with_the_rule() {
        let mut pack = Pack::default();
        pack.add_file(
            "a.toml",
            &RULE.replace("literals = [\"副作用なし\"]", "regexes = [{ regex = '(', anchors = [\"a\"] }]"),
        )
        .unwrap();
        let err = pack.validate().unwrap_err();
        assert!(err.message.contains("bad regex"), "{err}");
        let mut pack = Pack::default();
        pack.add_file("a.toml", &RULE.replace("id = \"x\"", "id = \"Not_Kebab\"")).unwrap();
        assert!(pack.validate().unwrap_err().message.contains("kebab-case"));
    }

    #[test]
    fn embedded_pack_is_valid() {
        let pack = Pack::embedded_checked().unwrap();
        assert!(!pack.rules.is_empty());
    }
}
