//! Every human-facing string of the command line that is not in the rule
//! pack, in English and Japanese, in one table.
//!
//! A [`Pair`] holds both; [`Pair::fill`] puts its arguments in place of
//! the `{}` markers, in order. Rule messages, help and summaries come from
//! the rule pack itself ([`crate::rules::schema::Text`]).

use std::fmt::Display;

use crate::rules::{Category, RuleSpec, Severity};
use crate::Lang;

/// One message in English and Japanese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// English.
    pub en: &'static str,
    /// Japanese.
    pub ja: &'static str,
}

impl Pair {
    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }

    /// The message in `lang` with each `{}` replaced by the next argument
    /// and each `{N}` by argument N (so that a language may leave one out
    /// or change the order).
    pub fn fill(&self, lang: Lang, args: &[&dyn Display]) -> String {
        let template = self.get(lang);
        let mut out = String::with_capacity(template.len() + 16);
        let mut next = 0;
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let index = match &after[..close] {
                "" => {
                    next += 1;
                    next - 1
                }
                n => n.parse().unwrap_or(usize::MAX),
            };
            if let Some(arg) = args.get(index) {
                out.push_str(&arg.to_string());
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

const fn pair(en: &'static str, ja: &'static str) -> Pair {
    Pair { en, ja }
}

// --- Findings -----------------------------------------------------------

/// Label before the missing disclosure items of a finding.
pub const MISSING: Pair = pair("missing", "不足");
/// Label before a rule's legal basis.
pub const BASIS: Pair = pair("basis", "根拠");
/// The same, capitalized (SARIF help).
pub const BASIS_TITLE: Pair = pair("Basis", "根拠");
/// The second label of an evidence-leap finding.
pub const RELATED_CLAIM: Pair = pair("claim of benefit for people", "ヒトへの効果の主張");

// --- Summaries ----------------------------------------------------------

/// The last line of human and concise output: files, its plural `s`,
/// findings, its plural `s`, errors, warnings, infos.
pub const CHECKED: Pair = pair(
    "checked {0} file{1}: {2} finding{3} ({4} error, {5} warning, {6} info)",
    "{0} ファイルを検査: 指摘 {2} 件 (error {4}, warning {5}, info {6})",
);
/// Appended to [`CHECKED`] when span findings were dropped, below the
/// precision model's threshold or the run's `--min-confidence`: how many.
pub const UNLIKELY_HIDDEN: Pair = pair(
    "; {0} more dropped as unlikely to be marked (--all-findings shows them)",
    "; ほかに指摘される可能性が低いとして除いた指摘 {0} 件 (--all-findings で表示)",
);
/// A span finding's confidence in percent, as a note of the human output.
pub const CONFIDENCE_NOTE: Pair = pair(
    "confidence {0}%: the share of such findings that reviewers marked",
    "確度 {0}%: 同種の指摘のうちレビュアーが問題とした割合",
);
/// A span finding's confidence in percent, after a one-line message
/// (concise, GitHub, GitLab, JUnit, editor diagnostics).
pub const CONFIDENCE_SUFFIX: Pair = pair(" (confidence {0}%)", " (確度 {0}%)");
/// `--statistics`: heading of the table by rule.
pub const STATS_BY_RULE: Pair = pair("findings by rule", "ルール別の指摘数");
/// `--statistics`: heading of the table by category.
pub const STATS_BY_CATEGORY: Pair = pair("findings by category", "カテゴリ別の指摘数");

// --- Baselines ----------------------------------------------------------

/// How many known findings a baseline hid: count, plural `s`, baseline.
pub const BASELINE_HIDDEN: Pair = pair(
    "{0} known finding{1} hidden by the baseline {2}",
    "ベースライン {2} にある既知の指摘 {0} 件を表示していません",
);
/// Baseline entries no finding matches any more: count, `y` or `ies`,
/// baseline.
pub const BASELINE_STALE: Pair = pair(
    "{0} entr{1} of the baseline {2} no longer found (fixed?); drop them with --prune-baseline",
    "ベースライン {2} の {0} 件はもう見つかりません (修正済み?); --prune-baseline で削除できます",
);
/// `--write-baseline`: baseline, findings, plural `s`, files, plural `s`.
pub const BASELINE_WRITTEN: Pair =
    pair("wrote {0}: {1} finding{2} in {3} file{4}", "{0} を書き出しました: {3} ファイルの指摘 {1} 件");
/// `--prune-baseline`: baseline, dropped, `y` or `ies`, kept.
pub const BASELINE_PRUNED: Pair = pair(
    "pruned {0}: dropped {1} fixed entr{2}, kept {3}",
    "{0} を整理しました: 修正済みの {1} 件を削除し、{3} 件を残しました",
);

/// A baseline not written: baseline, inputs that failed, plural `s`.
pub const BASELINE_NOT_WRITTEN: Pair = pair(
    "{0}: baseline not written: {1} input{2} could not be checked",
    "{0}: ベースラインを書き出していません: {1} 件の入力を検査できませんでした",
);
/// An inline suppression that suppressed nothing: place, directive.
pub const UNUSED_SUPPRESSION: Pair = pair("{}: unused suppression `{}`", "{}: 何も抑制していない抑制コメント `{}`");
/// `--statistics` with a format it cannot be printed in.
pub const STATS_FORMAT: Pair = pair(
    "--statistics is printed as text (--format human or concise) or as JSON (--format json)",
    "--statistics はテキスト (--format human または concise) か JSON (--format json) で出力します",
);

// --- Config ---------------------------------------------------------------

/// An `include` glob that matched no walked file: its place, the glob.
pub const INCLUDE_UNMATCHED: Pair = pair(
    "{} include `{}` matches no file (files ignored by .gitignore are not walked)",
    "{} include `{}` に当てはまるファイルがありません (.gitignore で除外されたファイルは検査対象になりません)",
);
/// A walked folder whose files the `include` globs all leave out.
pub const INCLUDE_LEAVES_ALL_OUT: Pair = pair(
    "{}: no file here matches the config's include globs",
    "{}: 設定の include に当てはまるファイルがこのフォルダーにありません",
);

// --- explain ------------------------------------------------------------

/// `explain` of a rule the selection leaves out.
pub const EXPLAIN_IGNORED: Pair =
    pair("{} is not checked here: {} leaves it out", "{} はこの設定では検査されません ({} で除外されています)");
/// `explain` of an unknown rule.
pub const EXPLAIN_NO_RULE: Pair =
    pair("no rule `{}` (see `iryolint rules`)", "ルール `{}` はありません (`iryolint rules` を参照)");
/// `explain` of a category: the category, its rules.
pub const EXPLAIN_CATEGORY_NOT_RULE: Pair = pair(
    "`{}` is a category, not a rule; its rules: {}",
    "`{}` はルールではなくカテゴリです。このカテゴリのルール: {}",
);
/// The suggestion after an unknown rule.
pub const DID_YOU_MEAN: Pair = pair("; did you mean `{}`?", "。`{}` のことですか?");
/// Headings of `explain`.
pub const EXPLAIN_CATEGORY: Pair = pair("category", "カテゴリ");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_SEVERITY: Pair = pair("severity", "重大度");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_KIND: Pair = pair("kind", "種類");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_FLAGS: Pair = pair("What it flags", "■ 何を指摘するか");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_WHY: Pair = pair("Why (legal basis)", "■ 根拠");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_BAD: Pair = pair("Examples that trigger it", "■ 指摘される例");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_GOOD: Pair = pair("Examples that don't", "■ 指摘されない例");
/// See [`EXPLAIN_CATEGORY`].
pub const EXPLAIN_REWRITE: Pair = pair("How to rewrite", "■ 書き換え方");
/// The last line of `rules`.
pub const RULES_COUNT: Pair = pair("{} rules", "{} 件のルール");

// --- Names --------------------------------------------------------------

/// The name of a severity.
pub fn severity(s: Severity) -> Pair {
    match s {
        Severity::Error => pair("error", "エラー"),
        Severity::Warning => pair("warning", "警告"),
        Severity::Info => pair("info", "情報"),
    }
}

/// The name of a category: its id in English (as rule files write it),
/// its Japanese name in Japanese.
pub fn category(c: Category) -> Pair {
    let ja = match c {
        Category::UnsupportedEfficacy => "根拠のない効果の表現",
        Category::PreclinicalExtrapolation => "動物・細胞実験のヒトへの当てはめ",
        Category::SafetyClaim => "安全性の断定",
        Category::SuperlativeComparison => "比較優良・最上級表現",
        Category::AuthorityEndorsement => "権威づけ",
        Category::Testimonial => "体験談",
        Category::BeforeAfter => "術前術後の写真・記述",
        Category::Inducement => "費用の強調・誘引",
        Category::MissingFreeCareDisclosure => "自由診療の限定解除要件の不足",
        Category::MissingUnapprovedDisclosure => "未承認医薬品等の限定解除要件の不足",
        Category::Other => "その他",
    };
    pair(c.as_str(), ja)
}

/// The name of a disclosure element (TAXONOMY.md): its id in English, the
/// guideline's wording in Japanese. An id the table does not know is
/// shown as it is.
pub fn element(id: &'static str) -> Pair {
    let ja = match id {
        "free-care-statement" => "自由診療である旨",
        "treatment-content" => "治療等の内容",
        "cost" => "標準的な費用",
        "duration" => "治療期間及び回数",
        "risks" => "主なリスク・副作用",
        "unapproved-statement" => "未承認医薬品等であること",
        "acquisition-route" => "入手経路等",
        "domestic-alternatives" => "国内の承認医薬品等の有無",
        "overseas-safety" => "諸外国における安全性等に係る情報",
        "relief-system" => "医薬品副作用被害救済制度の対象外であること",
        other => other,
    };
    pair(id, ja)
}

/// ` (missing: a, b)` in English, ` (不足: 甲、乙)` in Japanese; empty
/// when nothing is missing.
pub fn missing_suffix(missing: &[&'static str], lang: Lang) -> String {
    if missing.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = missing.iter().map(|id| element(id).get(lang)).collect();
    let sep = if lang == Lang::Ja { "、" } else { ", " };
    format!(" ({}: {})", MISSING.get(lang), names.join(sep))
}

/// What follows a finding's one-line message: the missing elements
/// ([`missing_suffix`]) of a disclosure finding, the confidence in percent
/// ([`CONFIDENCE_SUFFIX`]) of a span finding.
pub fn finding_suffix(f: &crate::lint::Finding, lang: Lang) -> String {
    missing_suffix(&f.missing, lang) + &confidence_suffix(f, lang)
}

/// ` (confidence 77%)` in English, ` (確度 77%)` in Japanese
/// ([`CONFIDENCE_SUFFIX`]); empty for a finding without a confidence.
pub fn confidence_suffix(f: &crate::lint::Finding, lang: Lang) -> String {
    f.confidence_percent().map_or_else(String::new, |percent| CONFIDENCE_SUFFIX.fill(lang, &[&percent]))
}

/// A rule's one-line summary in `lang`: its `summary_ja` in Japanese, else
/// its Japanese message, so that no English is left in a Japanese listing.
pub fn rule_summary(rule: &RuleSpec, lang: Lang) -> &str {
    match (lang, &rule.summary_ja) {
        (Lang::Ja, Some(ja)) => ja,
        (Lang::Ja, None) => &rule.message.ja,
        (Lang::En, _) => &rule.summary,
    }
}

/// `s` when `n` is not 1, for English plurals.
pub fn plural(n: usize, s: &'static str) -> &'static str {
    if n == 1 {
        ""
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_arguments_in_order_or_by_index() {
        let args: [&dyn Display; 5] = [&"b.json", &3, &"s", &1, &""];
        assert_eq!(BASELINE_WRITTEN.fill(Lang::En, &args), "wrote b.json: 3 findings in 1 file");
        assert_eq!(BASELINE_WRITTEN.fill(Lang::Ja, &args), "b.json を書き出しました: 1 ファイルの指摘 3 件");
        assert_eq!(pair("{} and {}", "").fill(Lang::En, &[&1]), "1 and ");
    }

    #[test]
    fn missing_items_are_named_in_japanese() {
        let missing = ["free-care-statement", "cost"];
        assert_eq!(missing_suffix(&missing, Lang::Ja), " (不足: 自由診療である旨、標準的な費用)");
        assert_eq!(missing_suffix(&missing, Lang::En), " (missing: free-care-statement, cost)");
        assert_eq!(missing_suffix(&[], Lang::Ja), "");
    }

    #[test]
    fn every_element_and_category_has_a_japanese_name() {
        for c in Category::ALL {
            assert!(!category(c).ja.is_ascii(), "{c:?}");
            for id in c.elements() {
                assert!(!element(id).ja.is_ascii(), "{id}");
            }
        }
    }
}
