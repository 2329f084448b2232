//! Inline suppressions written in the copy as HTML comments (they work in
//! HTML, Markdown and plain text alike):
//!
//! ```text
//! <!-- iryolint-disable-next-line RULE -- reason -->
//! <!-- iryolint-disable RULE --> … <!-- iryolint-enable RULE -->
//! <!-- iryolint-disable-file RULE -->
//! ```
//!
//! RULE is a rule id or a category; several may be given (spaces or
//! commas); none means every rule. Anything after `--` is the reason.

use std::ops::Range;

use crate::rules::RuleSet;
use crate::source::{LineIndex, Position};

/// The kinds of directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `iryolint-disable-next-line`.
    NextLine,
    /// `iryolint-disable` (until `iryolint-enable` or the end).
    Disable,
    /// `iryolint-enable`.
    Enable,
    /// `iryolint-disable-file`.
    File,
}

impl DirectiveKind {
    fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::NextLine => "iryolint-disable-next-line",
            DirectiveKind::Disable => "iryolint-disable",
            DirectiveKind::Enable => "iryolint-enable",
            DirectiveKind::File => "iryolint-disable-file",
        }
    }
}

/// One suppression in effect: which rules, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Position of the comment that made it.
    pub at: Position,
    /// The directive as written, for reports.
    pub directive: String,
    /// Rule ids or categories (empty: all).
    pub rules: Vec<String>,
    /// Where it applies: a byte range of the text, or a 1-based line.
    pub scope: Scope,
}

/// Where a suppression applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings that start on this line.
    Line(usize),
    /// Findings that start in this byte range.
    Range(Range<usize>),
}

/// Reads every directive in `text`.
pub fn parse(text: &str, lines: &LineIndex) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut open: Vec<Suppression> = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("<!--").map(|i| from + i) {
        let Some(end) = text[start + 4..].find("-->").map(|i| start + 4 + i + 3) else {
            break;
        };
        from = end;
        let body = text[start + 4..end - 3].trim();
        let Some(rest) = body.strip_prefix("iryolint-") else {
            continue;
        };
        let (kind, rest) = if let Some(r) = rest.strip_prefix("disable-next-line") {
            (DirectiveKind::NextLine, r)
        } else if let Some(r) = rest.strip_prefix("disable-file") {
            (DirectiveKind::File, r)
        } else if let Some(r) = rest.strip_prefix("disable") {
            (DirectiveKind::Disable, r)
        } else if let Some(r) = rest.strip_prefix("enable") {
            (DirectiveKind::Enable, r)
        } else {
            continue;
        };
        if rest.chars().next().is_some_and(|c| !c.is_whitespace()) {
            continue; // iryolint-disabled, say: not a directive
        }
        let names = rest.split("--").next().unwrap_or("");
        let rules: Vec<String> =
            names.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(String::from).collect();
        let at = lines.position(text, start);
        let directive = format!("{} {}", kind.as_str(), rules.join(" ")).trim_end().to_string();
        match kind {
            DirectiveKind::NextLine => {
                let line = lines.position(text, end).line + 1;
                out.push(Suppression { at, directive, rules, scope: Scope::Line(line) });
            }
            DirectiveKind::File => {
                out.push(Suppression { at, directive, rules, scope: Scope::Range(0..text.len()) });
            }
            DirectiveKind::Disable => {
                open.push(Suppression { at, directive, rules, scope: Scope::Range(end..text.len()) });
            }
            DirectiveKind::Enable => {
                let (closing, still_open): (Vec<_>, Vec<_>) =
                    open.drain(..).partition(|s| rules.is_empty() || s.rules.iter().any(|r| rules.contains(r)));
                open = still_open;
                for mut s in closing {
                    if let Scope::Range(r) = &mut s.scope {
                        r.end = start;
                    }
                    out.push(s);
                }
            }
        }
    }
    out.extend(open);
    out
}

/// Whether suppression `s` covers a finding of rule `rule` at `start`.
pub fn covers(s: &Suppression, set: &RuleSet, rule: usize, start: &Position) -> bool {
    let spec = &set.rules[rule];
    let applies = s.rules.is_empty() || s.rules.iter().any(|r| *r == spec.id || r == spec.category.as_str());
    applies
        && match &s.scope {
            Scope::Line(line) => start.line == *line,
            Scope::Range(r) => r.contains(&start.offset),
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(text: &str) -> Vec<(String, Scope)> {
        parse(text, &LineIndex::new(text)).into_iter().map(|s| (s.directive, s.scope)).collect()
    }

    #[test]
    fn reads_all_directive_kinds() {
        let text = "<!-- iryolint-disable-next-line a, b -- 引用のため -->\n行\n<!-- iryolint-disable c -->x<!-- iryolint-enable -->\n<!-- iryolint-disable-file -->\n<!-- iryolint-disabled -->";
        let got = directives(text);
        let x = text.find("-->x").unwrap() + 3;
        assert_eq!(
            got,
            [
                ("iryolint-disable-next-line a b".to_string(), Scope::Line(2)),
                ("iryolint-disable c".to_string(), Scope::Range(x..x + 1)),
                ("iryolint-disable-file".to_string(), Scope::Range(0..text.len())),
            ]
        );
    }

    #[test]
    fn unclosed_disable_runs_to_the_end() {
        let text = "<!-- iryolint-disable -->本文";
        assert_eq!(directives(text), [("iryolint-disable".to_string(), Scope::Range(25..text.len()))]);
    }
}
