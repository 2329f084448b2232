//! Parsing and validating rule files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::classes::ClassSpec;
use super::schema::{key_kinds, Kind, ProductSpec, RegexSpec, RuleFile, RuleSpec, Window, CONDITIONS, RULE_KEYS};

/// Word classes the engine itself reads; the embedded pack defines them
/// and other files may extend them (a pack without one reads it as empty).
pub const ENGINE_CLASSES: &[&str] = &[
    "negation",
    "hedge",
    "caveat",
    "treatment",
    "mention",
    "human-benefit",
    "preclinical-caveat",
    "preclinical-marker",
    "patient-speech",
    "patient-tag",
    "testimonial-heading",
    "patient-subject",
    "clinic-humble",
    "case-opener",
    "past-telling",
    "case-closer",
    "risk-talk",
];

/// Most regex program size a team rule may compile to (the engine's own
/// limit): a pattern over it is an error when the file is loaded, never a
/// failure in the middle of a run.
pub const REGEX_SIZE_LIMIT: usize = 2 * (1 << 20);

/// Most compiled size the regexes of the team rule files of a pack may
/// take together, each counted as what it compiles to plus
/// [`REGEX_RUN_COST`]. Each regex is compiled once per process and kept,
/// with a search cache per thread that grows as it is used; without a
/// total, a few kilobytes of rule file (hundreds of `\w{0,30}`) took over
/// half a gigabyte and seconds to check one page. The embedded pack's
/// regexes are ours and are not counted.
pub const REGEX_TOTAL_LIMIT: usize = 16 * (1 << 20);

/// What a regex costs beyond its compiled size when a run uses it (its
/// search caches, measured at about 50 KiB for small patterns): counted
/// so that thousands of tiny regexes cannot pass the total.
pub const REGEX_RUN_COST: usize = 64 * (1 << 10);

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

/// Where a rule, class or product was defined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file name (`rules/NAME` for embedded files).
    pub file: String,
    /// 1-based line of its header.
    pub line: usize,
    /// Whether the file is part of the embedded pack.
    pub embedded: bool,
}

/// A validated rule pack: rules sorted by id, word classes, products.
#[derive(Debug, Default)]
pub struct Pack {
    /// Every rule, sorted by id.
    pub rules: Vec<RuleSpec>,
    /// Word classes by name, merged across files.
    pub classes: BTreeMap<String, ClassSpec>,
    /// Unapproved and off-label products.
    pub products: Vec<ProductSpec>,
    /// Where each rule came from, by id.
    pub origins: BTreeMap<String, Origin>,
    /// Where each class was first defined, by name.
    pub class_origins: BTreeMap<String, Origin>,
    /// Whether [`Pack::validate`] also compiles the embedded pack's regexes.
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

    /// The embedded pack with every check, regex compilation included.
    pub fn embedded_checked() -> Result<Pack, RuleError> {
        let mut pack = Pack { check_embedded_regexes: true, ..Pack::default() };
        pack.add_embedded()?;
        pack.validate()?;
        Ok(pack)
    }

    /// Adds the embedded rule files.
    pub fn add_embedded(&mut self) -> Result<(), RuleError> {
        for (name, text) in super::EMBEDDED {
            self.add_embedded_file(name, text)?;
        }
        Ok(())
    }

    /// Adds one file of the embedded pack (`build.rs` reads them itself).
    pub fn add_embedded_file(&mut self, name: &str, text: &str) -> Result<(), RuleError> {
        self.add(&format!("{EMBEDDED_PREFIX}{name}"), text, true)
    }

    /// Parses one rule file given at run time and adds what it holds. Call
    /// [`Pack::validate`] after the last file.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        self.add(file, text, false)
    }

    fn add(&mut self, file: &str, text: &str, embedded: bool) -> Result<(), RuleError> {
        let error = |line: Option<usize>, message: String| RuleError { file: file.to_string(), line, message };
        let parsed: RuleFile = toml::from_str(text)
            .map_err(|e| error(e.span().map(|s| line_of(text, s.start)), e.message().trim().to_string()))?;
        // Line starts, found once: a line per rule by binary search, not
        // by counting from the top of the file (a team file of thousands
        // of rules loaded in quadratic time).
        let newlines: Vec<usize> = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect();
        for spanned in parsed.rule {
            let header = spanned.span().start;
            let line = 1 + newlines.partition_point(|&n| n < header.min(text.len()));
            let table = spanned.into_inner();
            let rule = rule_from_table(table, text, header)
                .map_err(|(at, message)| error(Some(at.unwrap_or(line)), message))?;
            if let Some(other) = self.origins.get(&rule.id) {
                return Err(error(Some(line), format!("rule id `{}` is already defined in {}", rule.id, other.file)));
            }
            if let Some(other) = self.rules.iter().find(|r| r.kind == Kind::Learned && rule.kind == Kind::Learned) {
                let file = &self.origins[&other.id].file;
                return Err(error(
                    Some(line),
                    format!(
                        "rule `{}`: {file} already has a learned rule, `{}`; there is one claim model, so at most one learned rule",
                        rule.id, other.id
                    ),
                ));
            }
            self.origins.insert(rule.id.clone(), Origin { file: file.to_string(), line, embedded });
            self.rules.push(rule);
        }
        for (name, class) in parsed.class {
            let line =
                find_line(text, &format!("[class.{name}]")).or_else(|| find_line(text, &format!("class.{name}")));
            self.class_origins.entry(name.clone()).or_insert(Origin {
                file: file.to_string(),
                line: line.unwrap_or(1),
                embedded,
            });
            match self.classes.get_mut(&name) {
                Some(existing) => existing.extend(class),
                None => {
                    self.classes.insert(name, class);
                }
            }
        }
        self.products.extend(parsed.product);
        Ok(())
    }

    /// Checks every class and rule and sorts the rules by id.
    pub fn validate(&mut self) -> Result<(), RuleError> {
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        for (name, class) in &self.classes {
            self.validate_class(name, class).map_err(|message| {
                let origin = self.class_origins.get(name).cloned().unwrap_or_default();
                RuleError { file: origin.file, line: Some(origin.line), message: format!("class `{name}`: {message}") }
            })?;
        }
        let mut regex_memory = 0;
        for rule in &self.rules {
            self.validate_rule(rule, &mut regex_memory).map_err(|message| {
                let origin = self.origins.get(&rule.id).cloned().unwrap_or_default();
                RuleError {
                    file: origin.file,
                    line: Some(origin.line),
                    message: format!("rule `{}`: {message}", rule.id),
                }
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
            self.check_literals(&product.aliases).map_err(|message| RuleError {
                file: "products".into(),
                line: None,
                message: format!("product `{}`: {message}", product.id),
            })?;
        }
        Ok(())
    }

    fn validate_class(&self, name: &str, class: &ClassSpec) -> Result<(), String> {
        if !is_kebab(name) {
            return Err("name must be kebab-case".into());
        }
        class.stems()?;
        for included in class.includes() {
            if !self.classes.contains_key(included) {
                return Err(format!("`@{included}` names no class"));
            }
        }
        // A class that includes itself, directly or not, would never end.
        let mut stack: Vec<&str> = vec![name];
        let mut seen = BTreeSet::new();
        while let Some(current) = stack.pop() {
            for included in self.classes.get(current).into_iter().flat_map(ClassSpec::includes) {
                if included == name {
                    return Err(format!("includes itself through `@{current}`"));
                }
                if seen.insert(included) {
                    stack.push(included);
                }
            }
        }
        for (list, words) in class.lists() {
            for word in words.iter().filter(|w| !w.starts_with('@')) {
                if crate::text::normalize::fold_str(word).is_empty() {
                    return Err(format!("{list}: word {word:?} is empty after normalization"));
                }
            }
        }
        Ok(())
    }

    /// Checks one rule, adding what its team regexes take to
    /// `regex_memory` and stopping at the first that takes the total over
    /// [`REGEX_TOTAL_LIMIT`] (embedded rules' regexes are checked only when
    /// asked, and never counted).
    fn validate_rule(&self, rule: &RuleSpec, regex_memory: &mut usize) -> Result<(), String> {
        if !is_kebab(&rule.id) {
            return Err("id must be kebab-case (lower-case words joined by -)".into());
        }
        let mut lists: Vec<&[String]> = vec![&rule.literals, &rule.markers, &rule.triggers, &rule.target, &rule.effect];
        lists.extend(rule.conditions.iter().map(|(_, words)| words.as_slice()));
        lists.extend(rule.claims.as_deref());
        lists.extend(rule.caveats.as_deref());
        for element in &rule.elements {
            lists.push(&element.literals);
            lists.push(&element.unless);
        }
        for list in lists {
            self.check_literals(list)?;
        }
        for particle in &rule.target_marked_other {
            if particle.starts_with('@') || crate::text::normalize::fold_str(particle).is_empty() {
                return Err(format!("target_marked_other takes particles as written, not {particle:?}"));
            }
        }
        let embedded = self.origins.get(&rule.id).is_some_and(|o| o.embedded);
        if !embedded || self.check_embedded_regexes {
            let regexes = rule.regexes.iter().chain(rule.elements.iter().flat_map(|e| &e.regexes));
            for spec in regexes {
                let size = check_regex(spec)?;
                if !embedded {
                    *regex_memory += size + REGEX_RUN_COST;
                }
                if *regex_memory > REGEX_TOTAL_LIMIT {
                    return Err(format!(
                        "with regex {:?}, the team rule files' regexes take more than {} MiB compiled; use fewer \
                         or narrower patterns (a bounded class of any character but 。, [^。]{{0,30}}, is far \
                         smaller than \\w{{0,30}})",
                        spec.regex,
                        REGEX_TOTAL_LIMIT >> 20
                    ));
                }
            }
        }
        let is_doc_category = !rule.category.elements().is_empty();
        if is_doc_category != (rule.kind == Kind::Disclosure) {
            return Err(format!(
                "category {} {} kind = \"disclosure\"",
                rule.category.as_str(),
                if is_doc_category { "needs" } else { "cannot have" }
            ));
        }
        match rule.kind {
            Kind::Phrase => {
                if rule.literals.is_empty() && rule.regexes.is_empty() {
                    return Err("a phrase rule needs `literals` or `regexes`".into());
                }
            }
            Kind::Claim => {
                if rule.target.is_empty() != rule.effect.is_empty() {
                    return Err("`target` and `effect` go together".into());
                }
                if rule.literals.is_empty() && rule.regexes.is_empty() && rule.target.is_empty() {
                    return Err("a claim rule needs `literals`, `regexes` or `target` with `effect`".into());
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
            Kind::Learned => {}
            Kind::Disclosure => {
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
                }
            }
        }
        Ok(())
    }

    fn check_literals(&self, list: &[String]) -> Result<(), String> {
        for word in list {
            if let Some(name) = word.strip_prefix('@') {
                if !self.classes.contains_key(name) {
                    return Err(format!("`{word}` names no word class"));
                }
            } else if crate::text::normalize::fold_str(word).is_empty() {
                return Err(format!("literal {word:?} is empty after normalization"));
            }
        }
        Ok(())
    }

    /// Every surface form of a list of literals and `@class` names (class
    /// words inflected, included classes followed).
    pub fn expand(&self, list: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for word in list {
            match word.strip_prefix('@') {
                Some(name) => self.expand_class(name, &mut out, &mut BTreeSet::new()),
                None => out.push(word.clone()),
            }
        }
        out
    }

    /// The surface forms of class `name` (empty for an unknown class).
    pub fn class_words(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.expand_class(name, &mut out, &mut BTreeSet::new());
        out
    }

    fn expand_class<'a>(&'a self, name: &'a str, out: &mut Vec<String>, seen: &mut BTreeSet<&'a str>) {
        if !seen.insert(name) {
            return;
        }
        let Some(class) = self.classes.get(name) else { return };
        out.extend(class.stems().unwrap_or_default());
        for included in class.includes() {
            self.expand_class(included, out, seen);
        }
    }
}

/// Builds a [`RuleSpec`] from a raw `[[rule]]` table: every key must be one
/// of [`RULE_KEYS`] or [`CONDITIONS`] and apply to the rule's kind.
/// Errors carry the line of the offending key when it can be found.
fn rule_from_table(mut table: toml::Table, text: &str, header: usize) -> Result<RuleSpec, (Option<usize>, String)> {
    let id = table.get("id").and_then(|v| v.as_str()).unwrap_or("?").to_string();
    let key_line = |key: &str| find_key_line(text, header, key);
    let kind = match table.get("kind").and_then(|v| v.as_str()) {
        Some(k) => Kind::parse(k).ok_or_else(|| {
            (key_line("kind"), format!("rule `{id}`: unknown kind {k:?} (phrase, claim, evidence-leap or disclosure)"))
        })?,
        None => return Err((None, format!("rule `{id}`: missing key `kind`"))),
    };
    for key in table.keys() {
        match key_kinds(key) {
            None => return Err((key_line(key), format!("rule `{id}`: unknown key `{key}`"))),
            Some(kinds) if !kinds.contains(&kind) => {
                return Err((
                    key_line(key),
                    format!("rule `{id}`: key `{key}` does not apply to kind {}", kind.as_str()),
                ))
            }
            Some(_) => {}
        }
    }
    for required in RULE_KEYS.iter().filter(|k| k.required && k.kinds.contains(&kind)) {
        if !table.contains_key(required.key) {
            return Err((None, format!("rule `{id}`: missing key `{}`", required.key)));
        }
    }
    let mut conditions = Vec::new();
    for (index, condition) in CONDITIONS.iter().enumerate() {
        if let Some(value) = table.remove(condition.key) {
            let words: Vec<String> = value.try_into().map_err(|e: toml::de::Error| {
                (
                    key_line(condition.key),
                    format!("rule `{id}`: `{}` must be a list of strings: {}", condition.key, e.message().trim()),
                )
            })?;
            conditions.push((index, words));
        }
    }
    let mut rule: RuleSpec = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| (None, format!("rule `{id}`: {}", e.message().trim())))?;
    rule.conditions = conditions;
    Ok(rule)
}

/// How every rule regex is compiled: regexes run on one sentence at a
/// time, so literal prefilters and the one-pass and backtracking engines
/// buy little and cost compile time and memory.
pub fn regex_config() -> regex_automata::meta::Config {
    regex_automata::meta::Config::new()
        .auto_prefilter(false)
        .onepass(false)
        .backtrack(false)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
}

/// Checks a team regex; returns the memory it takes compiled as a run
/// compiles it.
fn check_regex(spec: &RegexSpec) -> Result<usize, String> {
    let regex = regex_automata::meta::Regex::builder()
        .syntax(regex_automata::util::syntax::Config::new())
        .configure(regex_config())
        .build(&spec.regex)
        .map_err(|e| {
            let detail = e.to_string();
            let first = detail.lines().last().unwrap_or("").trim().to_string();
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
    Ok(regex.memory_usage())
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

/// The line of `key = …` inside the rule whose header starts at `header`.
fn find_key_line(text: &str, header: usize, key: &str) -> Option<usize> {
    let body = &text[header.min(text.len())..];
    let end = body[1..].find("\n[[").map_or(body.len(), |i| i + 1);
    let mut offset = header;
    for line in body[..end].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
            return Some(line_of(text, offset));
        }
        offset += line.len();
    }
    None
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
[rule.examples]
bad = ["副作用なし"]
"#;

    fn pack_with(text: &str) -> Result<Pack, RuleError> {
        let mut pack = Pack::default();
        pack.add_embedded()?;
        pack.add_file("team.toml", text)?;
        pack.validate()?;
        Ok(pack)
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let mut pack = Pack::default();
        let err = pack.add_file("team.toml", "[[rule]]\nid = \"x\"\nkind = \"phras\"\n").unwrap_err();
        assert_eq!(err.file, "team.toml");
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("phras"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let err = pack_with(&RULE.replace("basis =", "basis_typo =")).unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("team.toml", Some(9)), "{err}");
        assert!(err.message.contains("unknown key `basis_typo`"), "{err}");
    }

    #[test]
    fn keys_of_another_kind_are_errors() {
        let err = pack_with(&RULE.replace("literals =", "markers = [\"a\"]\nliterals =")).unwrap_err();
        assert_eq!(err.line, Some(11), "{err}");
        assert!(err.message.contains("`markers` does not apply to kind phrase"), "{err}");
        let err = pack_with(&RULE.replace("literals =", "target = [\"a\"]\nliterals =")).unwrap_err();
        assert!(err.message.contains("`target` does not apply to kind phrase"), "{err}");
    }

    #[test]
    fn a_pack_holds_at_most_one_learned_rule() {
        let learned = RULE
            .replace("id = \"x\"", "id = \"team-claim-model\"")
            .replace("kind = \"phrase\"", "kind = \"learned\"")
            .replace("category = \"safety-claim\"", "category = \"unsupported-efficacy\"");
        let learned: String =
            learned.lines().filter(|l| !l.starts_with("literals")).map(|l| format!("{l}\n")).collect();
        let err = pack_with(&learned).unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("team.toml", Some(2)), "{err}");
        assert!(err.message.contains("at most one learned rule"), "{err}");
        // A learned rule has no patterns and no conditions but document ones.
        for key in ["literals = [\"a\"]", "needs = [\"a\"]", "target = [\"a\"]"] {
            let err = pack_with(&learned.replace("[[rule]]\nid", &format!("[[rule]]\n{key}\nid"))).unwrap_err();
            let name = key.split(' ').next().unwrap();
            assert!(err.message.contains(&format!("`{name}` does not apply to kind learned")), "{err}");
        }
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let mut pack = Pack::default();
        pack.add_file("a.toml", RULE).unwrap();
        let err = pack.add_file("b.toml", RULE).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("already defined in a.toml"), "{err}");
    }

    #[test]
    fn bad_regex_and_id_are_reported_with_the_rule() {
        let err =
            pack_with(&RULE.replace("literals = [\"副作用なし\"]", "regexes = [{ regex = '(', anchors = [\"a\"] }]"))
                .unwrap_err();
        assert!(err.message.contains("bad regex"), "{err}");
        let err = pack_with(&RULE.replace("id = \"x\"", "id = \"Not_Kebab\"")).unwrap_err();
        assert!(err.message.contains("kebab-case"), "{err}");
    }

    #[test]
    fn a_regex_over_the_size_limit_is_an_error_at_load_time() {
        let huge = "regexes = [{ regex = '(\\w{50}){50}[^。]{0,200}', anchors = [\"a\"] }]";
        let err = pack_with(&RULE.replace("literals = [\"副作用なし\"]", huge)).unwrap_err();
        assert!(err.message.contains("bad regex"), "{err}");
    }

    #[test]
    fn regexes_over_the_total_budget_are_an_error_at_load_time() {
        // Each of these is well under the size limit; thirty of them are not,
        // and neither are thousands of tiny ones.
        let tiny = "{ regex = 'ab', anchors = [\"a\"] }";
        let many = format!("regexes = [{}]", vec![tiny; 300].join(", "));
        let err = pack_with(&RULE.replace("literals = [\"副作用なし\"]", &many)).unwrap_err();
        assert!(err.message.contains("take more than 16 MiB compiled"), "{err}");
        let one = "{ regex = '\\b\\w{0,20}e', anchors = [\"e\"] }";
        let some = |n: usize| format!("regexes = [{}]", vec![one; n].join(", "));
        assert!(pack_with(&RULE.replace("literals = [\"副作用なし\"]", &some(2))).is_ok());
        let err = pack_with(&RULE.replace("literals = [\"副作用なし\"]", &some(30))).unwrap_err();
        assert!(err.message.contains("take more than 16 MiB compiled"), "{err}");
        assert!(err.message.contains("with regex \"\\\\b\\\\w{0,20}e\""), "names the regex: {err}");
        assert_eq!(err.line, Some(2), "the rule's header: {err}");
    }

    #[test]
    fn a_team_file_under_rules_is_not_taken_for_the_embedded_pack() {
        let mut pack = Pack::default();
        pack.add_embedded().unwrap();
        let bad = RULE.replace("literals = [\"副作用なし\"]", "regexes = [{ regex = '治(', anchors = [\"治\"] }]");
        pack.add_file("rules/team.toml", &bad).unwrap();
        assert!(pack.validate().unwrap_err().message.contains("bad regex"));
    }

    #[test]
    fn unknown_classes_are_errors() {
        let err = pack_with(&RULE.replace("[\"副作用なし\"]", "[\"@no-such-class\"]")).unwrap_err();
        assert!(err.message.contains("`@no-such-class` names no word class"), "{err}");
    }

    #[test]
    fn target_marked_other_takes_only_particles() {
        let claim = RULE.replace("kind = \"phrase\"", "kind = \"claim\"").replace(
            "literals = [\"副作用なし\"]",
            "target = [\"副作用\"]\neffect = [\"なし\"]\ntarget_marked_other = [\"から\"]",
        );
        assert!(pack_with(&claim).is_ok());
        for bad in ["\"\"", "\" \"", "\"@hedge\""] {
            let err = pack_with(&claim.replace("[\"から\"]", &format!("[{bad}]"))).unwrap_err();
            assert!(err.message.contains("target_marked_other takes particles"), "{bad}: {err}");
        }
    }

    #[test]
    fn classes_expand_with_inflection_and_inclusion() {
        let text =
            "[class.up]\nichidan = [\"高める\"]\nsuru = [\"向上\"]\n[class.all-up]\nwords = [\"@up\", \"アップ\"]\n";
        let pack = pack_with(text).unwrap();
        let mut words = pack.class_words("all-up");
        words.sort();
        assert_eq!(words, ["アップ", "向上", "高め"]);
        let err = pack_with("[class.loop]\nwords = [\"@loop\"]\n").unwrap_err();
        assert!(err.message.contains("includes itself"), "{err}");
    }

    #[test]
    fn embedded_pack_is_valid() {
        let pack = Pack::embedded_checked().unwrap();
        assert!(!pack.rules.is_empty());
    }
}
