//! The project config file, `iryolint.toml` or `.iryolint.toml`, found from
//! the working directory upward (and, when walking, from each file's folder).
//!
//! Every key is optional; unknown keys and bad values are errors that name
//! the file, line and column. Paths inside the file are relative to it. A
//! file may `extend` another (`extend = "../iryolint.toml"`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::limits::ByteSize;
use crate::rules::schema::ProductSpec;
use crate::rules::{Category, Pack, RuleSpec, Severity};
use crate::Lang;

/// File names looked for, in order, in each directory.
pub const FILE_NAMES: [&str; 2] = ["iryolint.toml", ".iryolint.toml"];

/// How many files an `extend` chain may hold.
const MAX_EXTEND_DEPTH: usize = 16;

/// The config file as written: every key optional, so that a file that
/// extends another overrides only the keys it sets.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    extend_ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Severity>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    extend_exclude: Option<Vec<Spanned<String>>>,
    extend_rules: Option<Vec<Spanned<String>>>,
    products: Option<Vec<Spanned<ProductSpec>>>,
    fail_on: Option<Severity>,
    all_findings: Option<bool>,
    min_confidence: Option<Spanned<f32>>,
    lang: Option<Lang>,
    max_file_size: Option<ByteSize>,
    max_docx_size: Option<ByteSize>,
    max_findings: Option<usize>,
    max_sentence_chars: Option<usize>,
    front_matter_keys: Option<Vec<Spanned<String>>>,
}

/// A value from a config file with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The value.
    pub value: String,
    /// `FILE:LINE:COLUMN`, for messages.
    pub at: String,
    /// The folder of the file it was written in (paths and globs are
    /// relative to it).
    pub base: PathBuf,
}

/// The config in effect: a config file with the files it extends merged
/// in (ruff's model: a key the file sets replaces the extended file's,
/// `extend-select`, `extend-ignore` and `extend-exclude` add to it, and
/// `[severity]` merges rule by rule).
#[derive(Debug, Default)]
pub struct Config {
    /// Only these rule ids or categories (all when empty).
    pub select: Vec<Setting>,
    /// Never these rule ids or categories.
    pub ignore: Vec<Setting>,
    /// Severity overrides by rule id or category (a rule id wins).
    pub severity: Vec<(Setting, Severity)>,
    /// Globs of files to check when walking directories (all supported
    /// files when empty), relative to the file that set them.
    pub include: Vec<Setting>,
    /// Globs of files never to check, even when named explicitly.
    pub exclude: Vec<Setting>,
    /// Team rule files loaded after the embedded pack.
    pub extend_rules: Vec<Setting>,
    /// Extra unapproved or off-label products.
    pub products: Vec<ProductSpec>,
    /// Default `--fail-on`.
    pub fail_on: Option<Severity>,
    /// `--all-findings` for every run under this config: keep the span
    /// findings the precision model drops (and never set together with
    /// [`Self::min_confidence`]).
    pub all_findings: Option<bool>,
    /// Default `--min-confidence`: drop the span findings whose confidence
    /// is below this share.
    pub min_confidence: Option<f32>,
    /// Default `--lang`.
    pub lang: Option<Lang>,
    /// Default `--max-file-size`.
    pub max_file_size: Option<ByteSize>,
    /// Default `--max-docx-size`.
    pub max_docx_size: Option<ByteSize>,
    /// Default `--max-findings`.
    pub max_findings: Option<usize>,
    /// Default `--max-sentence-chars`.
    pub max_sentence_chars: Option<usize>,
    /// The Markdown front-matter keys whose values are checked (the
    /// defaults when absent; see [`crate::extract::markdown`]).
    pub front_matter_keys: Option<Vec<String>>,
    /// The file this came from.
    pub path: PathBuf,
    /// The files it extends, nearest first (empty when it extends none).
    pub extends: Vec<PathBuf>,
}

/// Finds the config file for `start`: the first directory from `start`
/// upward that holds one of [`FILE_NAMES`].
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// `path` relative to the working directory when it is under it (so that
/// messages name `iryolint.toml`, not a long absolute path).
pub fn shown(path: PathBuf) -> PathBuf {
    let cwd = std::env::current_dir().ok().and_then(|c| std::fs::canonicalize(&c).ok().or(Some(c)));
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => path,
    }
}

/// The config file in `dir` itself, if any.
pub fn in_dir(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

impl Config {
    /// Reads and parses a config file and the files it extends.
    pub fn load(path: &Path) -> Result<Config, String> {
        let mut seen = Vec::new();
        Config::load_chain(path, &mut seen)
    }

    fn load_chain(path: &Path, seen: &mut Vec<PathBuf>) -> Result<Config, String> {
        let text = crate::input::read_settings_file(path)?;
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        seen.push(key);
        let raw = parse_raw(path, &text)?;
        let mut config = match &raw.extend {
            None => Config::default(),
            Some(extend) => {
                let at = located(path, &text, extend.span().start);
                let parent = joined(path.parent().unwrap_or(Path::new("")), extend.get_ref());
                let canonical = std::fs::canonicalize(&parent).unwrap_or_else(|_| parent.clone());
                if seen.contains(&canonical) {
                    return Err(format!(
                        "{at} extend: `{}` is already in the chain (a loop)",
                        crate::diag::one_line(extend.get_ref())
                    ));
                }
                if seen.len() >= MAX_EXTEND_DEPTH {
                    return Err(format!("{at} extend: more than {MAX_EXTEND_DEPTH} files extend one another"));
                }
                if !parent.is_file() {
                    return Err(format!("{at} extend: {}: no such file", parent.display()));
                }
                let mut parent_config = Config::load_chain(&parent, seen)?;
                parent_config.extends.insert(0, parent_config.path.clone());
                parent_config
            }
        };
        config.overlay(path, &text, raw)?;
        config.path = path.to_path_buf();
        Ok(config)
    }

    /// Parses the text of a config file at `path` that extends none.
    pub fn parse(path: &Path, text: String) -> Result<Config, String> {
        let raw = parse_raw(path, &text)?;
        if let Some(extend) = &raw.extend {
            return Err(format!("{} extend: not allowed here", located(path, &text, extend.span().start)));
        }
        let mut config = Config::default();
        config.overlay(path, &text, raw)?;
        config.path = path.to_path_buf();
        Ok(config)
    }

    /// Sets the keys `raw` (the file at `path`, with `text`) sets.
    fn overlay(&mut self, path: &Path, text: &str, raw: RawConfig) -> Result<(), String> {
        let base = base_of(path).to_path_buf();
        let settings = |list: Vec<Spanned<String>>| -> Vec<Setting> {
            list.into_iter()
                .map(|s| Setting { at: located(path, text, s.span().start), value: s.into_inner(), base: base.clone() })
                .collect()
        };
        if let Some(v) = raw.select {
            self.select = settings(v);
        }
        self.select.extend(settings(raw.extend_select.unwrap_or_default()));
        if let Some(v) = raw.ignore {
            self.ignore = settings(v);
        }
        self.ignore.extend(settings(raw.extend_ignore.unwrap_or_default()));
        if let Some(v) = raw.include {
            self.include = settings(v);
        }
        if let Some(v) = raw.exclude {
            self.exclude = settings(v);
        }
        self.exclude.extend(settings(raw.extend_exclude.unwrap_or_default()));
        if let Some(v) = raw.extend_rules {
            self.extend_rules = settings(v);
            for rules in &self.extend_rules {
                let file = rules.base.join(&rules.value);
                if !file.is_file() {
                    return Err(format!("{} extend-rules: {}: no such file", rules.at, file.display()));
                }
            }
        }
        if let Some(map) = raw.severity {
            for (name, severity) in map {
                let at = located(path, text, name.span().start);
                let name = name.into_inner();
                self.severity.retain(|(s, _)| s.value != name);
                self.severity.push((Setting { value: name, at, base: base.clone() }, severity));
            }
        }
        if let Some(products) = raw.products {
            let mut ids = std::collections::BTreeSet::new();
            for p in &products {
                let at = located(path, text, p.span().start);
                check_product(p.get_ref()).map_err(|why| format!("{at} [[products]]: {why}"))?;
                if !ids.insert(p.get_ref().id.clone()) {
                    return Err(format!("{at} [[products]]: id `{}` is used twice", p.get_ref().id));
                }
            }
            self.products = products.into_iter().map(Spanned::into_inner).collect();
        }
        for (name, globs) in [("include", &self.include), ("exclude", &self.exclude)] {
            for g in globs {
                if let Err(e) = globset::Glob::new(&g.value) {
                    return Err(format!("{} {name}: {}", g.at, crate::diag::one_line(&e.to_string())));
                }
            }
        }
        self.fail_on = raw.fail_on.or(self.fail_on);
        // all-findings = true and min-confidence contradict each other: a
        // file may not set both, and the one a file sets replaces the other
        // an extended file set.
        if let Some(all) = raw.all_findings {
            self.all_findings = Some(all);
            if all {
                self.min_confidence = None;
            }
        }
        if let Some(share) = raw.min_confidence {
            let at = located(path, text, share.span().start);
            let share = share.into_inner();
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("{at} min-confidence: {}", crate::cli::not_a_share(share)));
            }
            if raw.all_findings == Some(true) {
                return Err(format!("{at} min-confidence: cannot be used with all-findings = true"));
            }
            self.min_confidence = Some(share);
            if self.all_findings == Some(true) {
                self.all_findings = None;
            }
        }
        self.lang = raw.lang.or(self.lang);
        self.max_file_size = raw.max_file_size.or(self.max_file_size);
        self.max_docx_size = raw.max_docx_size.or(self.max_docx_size);
        self.max_findings = raw.max_findings.or(self.max_findings);
        self.max_sentence_chars = raw.max_sentence_chars.or(self.max_sentence_chars);
        if let Some(keys) = raw.front_matter_keys {
            for key in &keys {
                let k = key.get_ref();
                if k.is_empty() || k.chars().any(|c| c.is_whitespace() || c == ':' || c == '=') {
                    return Err(format!(
                        "{} `{}` is not a front-matter key (front-matter-keys lists keys such as \"summary\")",
                        located(path, text, key.span().start),
                        k.escape_debug()
                    ));
                }
            }
            self.front_matter_keys = Some(keys.into_iter().map(Spanned::into_inner).collect());
        }
        Ok(())
    }

    /// The Markdown front-matter keys to read, when the config lists them.
    pub fn front_matter_key_names(&self) -> Option<Vec<String>> {
        self.front_matter_keys.clone()
    }

    /// The directory paths in the file are relative to.
    pub fn base(&self) -> &Path {
        base_of(&self.path)
    }

    /// The project root: the folder of the last file of the `extend` chain
    /// (the file's own folder when it extends none). Baselines and GitLab
    /// name files relative to it.
    pub fn root(&self) -> &Path {
        base_of(self.extends.last().unwrap_or(&self.path))
    }

    /// Team rule files, resolved against the folder of the file that
    /// names them.
    pub fn rule_files(&self) -> Vec<PathBuf> {
        self.extend_rules.iter().map(|s| s.base.join(&s.value)).collect()
    }

    /// Checks that every name in `select`, `ignore` and `severity` is one
    /// of the rule ids `ids` or a category.
    pub fn check_names<'a>(&self, ids: impl IntoIterator<Item = &'a str> + Clone) -> Result<(), String> {
        let names = self.select.iter().chain(&self.ignore).chain(self.severity.iter().map(|(s, _)| s));
        for name in names {
            if !names_a_rule_or_category(ids.clone(), &name.value) {
                return Err(format!("{} {}", name.at, not_a_rule_message(&name.value)));
            }
        }
        Ok(())
    }

    /// Applies the severity overrides to the rules of `pack`.
    pub fn apply_severities(&self, pack: &mut Pack) {
        for rule in &mut pack.rules {
            if let Some(s) = self.severity_of(rule) {
                rule.severity = s;
            }
        }
    }

    /// The severity the config gives `rule`, by its id or else its category.
    pub fn severity_of(&self, rule: &RuleSpec) -> Option<Severity> {
        let by_id = self.severity.iter().find(|(k, _)| k.value == rule.id);
        let by_category = self.severity.iter().find(|(k, _)| k.value == rule.category.as_str());
        by_id.or(by_category).map(|&(_, s)| s)
    }
}

/// Parses the text of the config file at `path`.
fn parse_raw(path: &Path, text: &str) -> Result<RawConfig, String> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(String::new(), |s| line_col(text, s.start));
        format!("{}:{at} {}", path.display(), crate::diag::one_line(e.message().trim()))
    })
}

/// `dir` joined with `relative`, its `..` taken off `dir` where it can be
/// (`site` + `../iryolint.toml` is `iryolint.toml`), so messages name
/// files plainly.
fn joined(dir: &Path, relative: &str) -> PathBuf {
    use std::path::Component;
    let mut out = dir.to_path_buf();
    for part in Path::new(relative).components() {
        match part {
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The folder of a config file.
fn base_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `FILE:LINE:COLUMN:` of a byte offset of the file at `path`.
fn located(path: &Path, text: &str, offset: usize) -> String {
    format!("{}:{}", path.display(), line_col(text, offset))
}

/// Why a `[[products]]` entry cannot be used, if it cannot.
fn check_product(p: &ProductSpec) -> Result<(), String> {
    let kebab = !p.id.is_empty()
        && p.id
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    if !kebab {
        return Err(format!("id `{}` must be kebab-case (a-z, 0-9 and -)", crate::diag::one_line(&p.id)));
    }
    if p.name.trim().is_empty() {
        return Err(format!("product `{}`: name is empty", p.id));
    }
    if p.aliases.is_empty() {
        return Err(format!("product `{}`: aliases is empty (at least one word that names it)", p.id));
    }
    if p.aliases.iter().chain(&p.needs_document).any(|a| a.trim().is_empty()) {
        return Err(format!("product `{}`: an empty word in aliases or needs_document", p.id));
    }
    Ok(())
}

/// The error for a selected, ignored or re-rated `name` that is neither a
/// rule id nor a category.
pub fn not_a_rule_message(name: &str) -> String {
    format!("`{}` is neither a rule id nor a category (see `iryolint rules`)", name.escape_debug())
}

/// Whether `name` is one of the rule ids `ids` or a category id.
pub fn names_a_rule_or_category<'a>(ids: impl IntoIterator<Item = &'a str>, name: &str) -> bool {
    Category::parse(name).is_some() || ids.into_iter().any(|id| id == name)
}

/// Whether `rule` passes a selection of ids or categories (`select` empty
/// means all), after removing `ignore`.
pub fn selected<'a>(
    rule: &RuleSpec,
    select: impl IntoIterator<Item = &'a str>,
    ignore: impl IntoIterator<Item = &'a str>,
) -> bool {
    let matches = |name: &str| name == rule.id || name == rule.category.as_str();
    let mut select = select.into_iter().peekable();
    let chosen = select.peek().is_none() || select.any(matches);
    chosen && !ignore.into_iter().any(matches)
}

/// `line:column:` of a byte offset (column in characters).
fn line_col(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
    format!("{line}:{column}:")
}

/// The commented starter file `iryolint init` writes.
pub const STARTER: &str = r#"# iryolint configuration (README.md, "Configuration").
# Every key is optional. Paths are relative to this file.

# A site's own file may extend the root one: the keys it sets replace the
# root's; extend-select, extend-ignore and extend-exclude add to them.
# extend = "../iryolint.toml"

# Language of messages: "ja" or "en".
# lang = "ja"

# Exit with 1 when a finding at or above this severity is reported:
# "error", "warning" or "info".
# fail-on = "warning"

# Report every finding the rules make, also those the precision model finds
# unlikely to be marked by a reviewer (as --all-findings; not together with
# min-confidence).
# all-findings = false

# Drop the span findings whose confidence (the share of such findings that
# reviewers marked when the models were cross-validated) is below this
# (as --min-confidence; on held-out pages 0.6 raised span precision from 0.64
# to 0.76 and lowered recall from 0.60 to 0.46; see ACCURACY.md, "Confidence").
# min-confidence = 0

# Only these rule ids or categories (empty: all rules).
# select = ["unsupported-efficacy", "safety-claim"]

# Never these rule ids or categories.
# ignore = ["inducement"]

# Files to check when walking directories (empty: every .txt, .md, .html, .docx).
# include = ["content/**/*.md", "public/**/*.html"]

# Files never to check, even when named on the command line.
# exclude = ["vendor/**", "drafts/archive/**"]

# Team rule files, in the same format as the embedded pack (rules/README.md).
# extend-rules = ["lint/our-rules.toml"]

# Limits (RELIABILITY.md): the largest input, the largest word/document.xml
# a .docx may inflate to, the most findings reported per file (0: all), and
# the longest sentence rules look at whole (longer text without 。 is cut).
# max-file-size = "32M"
# max-docx-size = "64M"
# max-findings = 10000
# max-sentence-chars = 2000

# Severity overrides, by rule id or category (a rule id wins).
# [severity]
# inducement = "warning"
# superlative-number-one = "error"

# Extra unapproved or off-label products that trigger the 未承認医薬品等 disclosures.
# [[products]]
# id = "our-peptide"
# name = "ペプチド点滴"
# status = "unapproved"
# aliases = ["ペプチド点滴", "peptide drip"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("iryolint.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path).map_err(|e| e.replace(&path.display().to_string(), "iryolint.toml"))
    }

    #[test]
    fn front_matter_keys_are_keys() {
        let config = parse("front-matter-keys = [\"summary\", \"seo_title\"]\n").unwrap();
        assert_eq!(config.front_matter_key_names(), Some(vec!["summary".to_string(), "seo_title".to_string()]));
        assert_eq!(parse("").unwrap().front_matter_key_names(), None);
        let err = parse("front-matter-keys = [\"title\",\n  \"\"]\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:2:3: `` is not a front-matter key"), "{err}");
        let err = parse("front-matter-keys = \"summary\"\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:1:21:"), "{err}");
    }

    #[test]
    fn starter_file_parses() {
        parse(STARTER).unwrap();
    }

    #[test]
    fn unknown_keys_and_bad_values_name_line_and_column() {
        let err = parse("lang = \"ja\"\nfail_on = \"error\"\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:2:1: unknown field `fail_on`"), "{err}");
        let err = parse("fail-on = \"fatal\"\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:1:11:"), "{err}");
    }

    #[test]
    fn an_error_quoting_a_value_with_a_line_break_stays_one_line() {
        let err = parse("[[products]]\nid = \"p\"\nname = \"P\"\nstatus = \"u\\napproved\"\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:4:10: unknown variant `u\\napproved`"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn limits_take_sizes_with_units_or_plain_numbers() {
        let config = parse("max-file-size = \"8M\"\nmax-docx-size = 1048576\nmax-findings = 0\n").unwrap();
        assert_eq!(config.max_file_size, Some(ByteSize(8 << 20)));
        assert_eq!(config.max_docx_size, Some(ByteSize(1 << 20)));
        assert_eq!(config.max_findings, Some(0));
        let err = parse("max-file-size = \"huge\"\n").unwrap_err();
        assert!(err.starts_with("iryolint.toml:1:17: `huge` is not a size"), "{err}");
    }

    #[test]
    fn unknown_rule_names_are_errors() {
        let config = parse("select = [\"safety-claim\",\n  \"no-such-rule\"]\n").unwrap();
        let pack = Pack::embedded().unwrap();
        let err = config.check_names(pack.rules.iter().map(|r| r.id.as_str())).unwrap_err();
        assert!(err.contains("iryolint.toml:2:3: `no-such-rule`"), "{err}");
    }

    #[test]
    fn a_name_with_a_line_break_stays_on_one_line() {
        let config = parse("select = [\"a\\nb\"]\n").unwrap();
        let pack = Pack::embedded().unwrap();
        let err = config.check_names(pack.rules.iter().map(|r| r.id.as_str())).unwrap_err();
        assert!(
            err.ends_with("iryolint.toml:1:11: `a\\nb` is neither a rule id nor a category (see `iryolint rules`)"),
            "{err}"
        );
        assert!(!err.contains('\n'));
    }

    #[test]
    fn selection_by_id_and_category() {
        let pack = Pack::embedded().unwrap();
        let rule = pack.rules.iter().find(|r| r.category == Category::Inducement).unwrap();
        assert!(selected(rule, [], []));
        assert!(selected(rule, ["inducement"], []));
        assert!(!selected(rule, ["safety-claim"], []));
        assert!(!selected(rule, [], [rule.id.as_str()]));
    }

    #[test]
    fn a_file_that_extends_another_overrides_the_keys_it_sets() {
        let dir = tempfile::tempdir().unwrap();
        let root = "select = [\"a\", \"b\"]\nignore = [\"c\"]\nexclude = [\"drafts/**\"]\ninclude = [\"**/*.md\"]\nfail-on = \"error\"\nlang = \"ja\"\nall-findings = true\n[severity]\na = \"info\"\nb = \"info\"\n";
        let site = "extend = \"../iryolint.toml\"\nselect = [\"d\"]\nextend-ignore = [\"e\"]\nextend-exclude = [\"old/**\"]\nfail-on = \"info\"\n[severity]\nb = \"error\"\n";
        std::fs::create_dir(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("iryolint.toml"), root).unwrap();
        std::fs::write(dir.path().join("site/iryolint.toml"), site).unwrap();
        let c = Config::load(&dir.path().join("site/iryolint.toml")).unwrap();
        let values = |v: &[Setting]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        assert_eq!(values(&c.select), ["d"], "a list the file sets replaces the extended one");
        assert_eq!(values(&c.ignore), ["c", "e"], "extend-ignore adds");
        assert_eq!(values(&c.exclude), ["drafts/**", "old/**"]);
        assert_eq!(values(&c.include), ["**/*.md"], "a key it does not set is kept");
        assert_eq!(c.include[0].base, dir.path(), "globs stay relative to the file that wrote them");
        assert_eq!(c.exclude[1].base, dir.path().join("site"));
        let severities: Vec<(String, Severity)> = c.severity.iter().map(|(s, v)| (s.value.clone(), *v)).collect();
        assert_eq!(severities, [(s("a"), Severity::Info), (s("b"), Severity::Error)]);
        assert_eq!((c.fail_on, c.lang), (Some(Severity::Info), Some(Lang::Ja)));
        assert_eq!(c.all_findings, Some(true), "a key it does not set is kept");
        assert_eq!(c.min_confidence, None);
        assert_eq!(c.root(), dir.path());
        assert_eq!(c.extends, [dir.path().join("iryolint.toml")]);
        assert_eq!(joined(Path::new("sites/a"), "../../iryolint.toml"), Path::new("iryolint.toml"));
        assert_eq!(joined(Path::new(""), "../x.toml"), Path::new("../x.toml"));
    }

    #[test]
    fn all_findings_and_min_confidence_replace_each_other_and_never_stand_together() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("site")).unwrap();
        let load = |root: &str, site: &str| {
            std::fs::write(dir.path().join("iryolint.toml"), root).unwrap();
            std::fs::write(dir.path().join("site/iryolint.toml"), format!("extend = \"../iryolint.toml\"\n{site}"))
                .unwrap();
            Config::load(&dir.path().join("site/iryolint.toml")).map(|c| (c.all_findings, c.min_confidence))
        };
        assert_eq!(load("all-findings = true\n", "min-confidence = 0.8\n"), Ok((None, Some(0.8))));
        assert_eq!(load("min-confidence = 0.8\n", "all-findings = true\n"), Ok((Some(true), None)));
        assert_eq!(load("min-confidence = 0.8\n", "all-findings = false\n"), Ok((Some(false), Some(0.8))));
        assert_eq!(load("min-confidence = 1\n", ""), Ok((None, Some(1.0))), "an integer is a share too");
        let err = load("", "lang = \"en\"\nall-findings = true\nmin-confidence = 0.5\n").unwrap_err();
        assert!(
            err.ends_with("site/iryolint.toml:4:18: min-confidence: cannot be used with all-findings = true"),
            "{err}"
        );
        let err = load("", "min-confidence = -0.5\n").unwrap_err();
        assert!(err.ends_with("site/iryolint.toml:2:18: min-confidence: `-0.5` is not a share from 0 to 1"), "{err}");
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn discovery_walks_upward() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover(&deep), None);
        std::fs::write(dir.path().join(".iryolint.toml"), "").unwrap();
        assert_eq!(discover(&deep), Some(dir.path().join(".iryolint.toml")));
    }
}
