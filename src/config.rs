//! The project config file, `iryolint.toml` or `.iryolint.toml`, found from
//! the working directory upward.
//!
//! Every key is optional; unknown keys and bad values are errors that name
//! the file, line and column. Paths inside the file are relative to it.

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

/// The parsed config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Only these rule ids or categories (all when empty).
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    /// Never these rule ids or categories.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Severity overrides by rule id or category (a rule id wins).
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    /// Globs of files to check when walking directories (all supported
    /// files when empty).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files never to check, even when named explicitly.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Team rule files loaded after the embedded pack.
    #[serde(default)]
    pub extend_rules: Vec<PathBuf>,
    /// Extra unapproved or off-label products.
    #[serde(default)]
    pub products: Vec<ProductSpec>,
    /// Default `--fail-on`.
    pub fail_on: Option<Severity>,
    /// Default `--lang`.
    pub lang: Option<Lang>,
    /// Default `--max-file-size`.
    pub max_file_size: Option<ByteSize>,
    /// Default `--max-docx-size`.
    pub max_docx_size: Option<ByteSize>,
    /// Default `--max-findings`.
    pub max_findings: Option<usize>,
    /// The Markdown front-matter keys whose values are checked (the
    /// defaults when absent; see [`crate::extract::markdown`]).
    pub front_matter_keys: Option<Vec<Spanned<String>>>,
    /// The file this came from (set after parsing).
    #[serde(skip)]
    pub path: PathBuf,
    /// Its text, for turning byte spans into line:column.
    #[serde(skip)]
    text: String,
}

/// Finds the config file for `start`: the first directory from `start`
/// upward that holds one of [`FILE_NAMES`].
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

impl Config {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = crate::input::read_settings_file(path)?;
        Config::parse(path, text)
    }

    /// Parses the text of the config file at `path`.
    pub fn parse(path: &Path, text: String) -> Result<Config, String> {
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| line_col(&text, s.start));
            format!("{}:{at} {}", path.display(), crate::diag::one_line(e.message().trim()))
        })?;
        config.path = path.to_path_buf();
        config.text = text;
        config.check_front_matter_keys()?;
        Ok(config)
    }

    /// Every front-matter key must be a key: not empty, no spaces.
    fn check_front_matter_keys(&self) -> Result<(), String> {
        for key in self.front_matter_keys.iter().flatten() {
            let k = key.get_ref();
            if k.is_empty() || k.chars().any(|c| c.is_whitespace() || c == ':' || c == '=') {
                return Err(format!(
                    "{}:{} `{}` is not a front-matter key (front-matter-keys lists keys such as \"summary\")",
                    self.path.display(),
                    line_col(&self.text, key.span().start),
                    k.escape_debug()
                ));
            }
        }
        Ok(())
    }

    /// The Markdown front-matter keys to read, when the file lists them.
    pub fn front_matter_key_names(&self) -> Option<Vec<String>> {
        self.front_matter_keys.as_ref().map(|keys| keys.iter().map(|k| k.get_ref().clone()).collect())
    }

    /// The directory paths in the file are relative to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Team rule files, resolved against the config's directory.
    pub fn rule_files(&self) -> Vec<PathBuf> {
        self.extend_rules.iter().map(|p| self.base().join(p)).collect()
    }

    /// Checks that every name in `select`, `ignore` and `severity` is a
    /// rule id of `pack` or a category.
    pub fn check_names(&self, pack: &Pack) -> Result<(), String> {
        let names = self.select.iter().chain(&self.ignore).chain(self.severity.keys());
        for name in names {
            let n = name.get_ref();
            if !names_a_rule_or_category(pack, n) {
                return Err(format!(
                    "{}:{} `{}` is neither a rule id nor a category (see `iryolint rules`)",
                    self.path.display(),
                    line_col(&self.text, name.span().start),
                    n.escape_debug()
                ));
            }
        }
        Ok(())
    }

    /// Applies the severity overrides to the rules of `pack`.
    pub fn apply_severities(&self, pack: &mut Pack) {
        for rule in &mut pack.rules {
            let by_id = self.severity.iter().find(|(k, _)| k.get_ref() == &rule.id);
            let by_category = self.severity.iter().find(|(k, _)| k.get_ref() == rule.category.as_str());
            if let Some((_, &s)) = by_id.or(by_category) {
                rule.severity = s;
            }
        }
    }
}

/// Whether `name` is a rule id of `pack` or a category id.
pub fn names_a_rule_or_category(pack: &Pack, name: &str) -> bool {
    Category::parse(name).is_some() || pack.rules.iter().any(|r| r.id == name)
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

# Language of messages: "ja" or "en".
# lang = "ja"

# Exit with 1 when a finding at or above this severity is reported:
# "error", "warning" or "info".
# fail-on = "warning"

# Only these rule ids or categories (empty: all rules).
# select = ["unsupported-efficacy", "safety-claim"]

# Never these rule ids or categories.
# ignore = ["inducement"]

# Files to check when walking directories (empty: every .txt, .md, .html, .docx).
# include = ["content/**/*.md", "public/**/*.html"]

# Markdown front-matter keys whose values are checked (this list replaces the
# default, which is shown).
# front-matter-keys = ["title", "linkTitle", "subtitle", "description", "summary", "lead", "excerpt", "keywords"]

# Files never to check, even when named on the command line.
# exclude = ["vendor/**", "drafts/archive/**"]

# Team rule files, in the same format as the embedded pack (rules/README.md).
# extend-rules = ["lint/our-rules.toml"]

# Limits (RELIABILITY.md): the largest input, the largest word/document.xml
# a .docx may inflate to, and the most findings reported per file (0: all).
# max-file-size = "32M"
# max-docx-size = "64M"
# max-findings = 10000

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
    fn unknown_rule_names_are_errors() {
        let config = parse("select = [\"safety-claim\",\n  \"no-such-rule\"]\n").unwrap();
        let pack = Pack::embedded().unwrap();
        let err = config.check_names(&pack).unwrap_err();
        assert!(err.contains("iryolint.toml:2:3: `no-such-rule`"), "{err}");
    }

    #[test]
    fn a_name_with_a_line_break_stays_on_one_line() {
        let config = parse("select = [\"a\\nb\"]\n").unwrap();
        let err = config.check_names(&Pack::embedded().unwrap()).unwrap_err();
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
    fn discovery_walks_upward() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover(&deep), None);
        std::fs::write(dir.path().join(".iryolint.toml"), "").unwrap();
        assert_eq!(discover(&deep), Some(dir.path().join(".iryolint.toml")));
    }
}
