//! Inline suppressions written in the copy as HTML comments (they work in
//! HTML, Markdown and plain text alike):
//!
//! ```text
//! <!-- iryolint-disable-next-line RULE -- reason -->
//! … <!-- iryolint-disable-line RULE -- reason -->
//! <!-- iryolint-disable RULE --> … <!-- iryolint-enable RULE -->
//! <!-- iryolint-disable-file RULE -->
//! ```
//!
//! RULE is a rule id or a category; several may be given (spaces or
//! commas); none means every rule. Anything after `--` is the reason.
//! `disable-line` covers the line the comment starts on, so it can end a
//! line that must stay one line, such as a Markdown table row.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use crate::extract::Comments;
use crate::lint::Finding;
use crate::rules::RuleSet;
use crate::source::{LineIndex, Position};

/// The kinds of directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `iryolint-disable-next-line`.
    NextLine,
    /// `iryolint-disable-line`: the line the comment is on.
    SameLine,
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
            DirectiveKind::SameLine => "iryolint-disable-line",
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

/// Reads every directive in the comments of `text`.
///
/// Linear in the size of the text and the number of directives: an
/// `iryolint-enable` closes the open ranges it names without looking at the
/// others.
pub fn parse(text: &str, lines: &LineIndex, comments: &Comments) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Open `disable` ranges: each slot is emptied when its range closes;
    // `by_name` lists the open slots of each rule name (a slot may be listed
    // after it closed; it is then skipped).
    let mut open: Vec<Option<Suppression>> = Vec::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    // Every slot opened since the last bare enable.
    let mut since_bare_enable: Vec<usize> = Vec::new();
    for (start, end) in comment_ranges(text, comments) {
        let body = text[start + 4..end - 3].trim();
        let Some(rest) = body.strip_prefix("iryolint-") else {
            continue;
        };
        let (kind, rest) = if let Some(r) = rest.strip_prefix("disable-next-line") {
            (DirectiveKind::NextLine, r)
        } else if let Some(r) = rest.strip_prefix("disable-line") {
            (DirectiveKind::SameLine, r)
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
            DirectiveKind::SameLine => {
                let line = at.line;
                out.push(Suppression { at, directive, rules, scope: Scope::Line(line) });
            }
            DirectiveKind::File => {
                out.push(Suppression { at, directive, rules, scope: Scope::Range(0..text.len()) });
            }
            DirectiveKind::Disable => {
                for name in &rules {
                    by_name.entry(name.clone()).or_default().push(open.len());
                }
                since_bare_enable.push(open.len());
                open.push(Some(Suppression { at, directive, rules, scope: Scope::Range(end..text.len()) }));
            }
            DirectiveKind::Enable => {
                // A bare enable closes every open range; a named one closes
                // the ranges that name one of its rules.
                let slots: Vec<usize> = if rules.is_empty() {
                    by_name.clear();
                    std::mem::take(&mut since_bare_enable)
                } else {
                    rules.iter().filter_map(|r| by_name.remove(r)).flatten().collect()
                };
                let mut closing: Vec<(usize, Suppression)> =
                    slots.into_iter().filter_map(|i| open[i].take().map(|s| (i, s))).collect();
                closing.sort_by_key(|(i, _)| *i);
                for (_, mut s) in closing {
                    if let Scope::Range(r) = &mut s.scope {
                        r.end = start;
                    }
                    out.push(s);
                }
            }
        }
    }
    out.extend(open.into_iter().flatten());
    out
}

/// The closed comments of `text`, as (offset of `<!--`, offset after `-->`).
fn comment_ranges<'a>(text: &'a str, comments: &'a Comments) -> Box<dyn Iterator<Item = (usize, usize)> + 'a> {
    match comments {
        Comments::Ranges(ranges) => Box::new(
            ranges
                .iter()
                .filter(|r| {
                    r.end >= r.start + 7
                        && text.get(r.start..r.end).is_some_and(|c| c.starts_with("<!--") && c.ends_with("-->"))
                })
                .map(|r| (r.start, r.end)),
        ),
        Comments::Anywhere => {
            let mut from = 0;
            Box::new(std::iter::from_fn(move || {
                let start = text[from..].find("<!--").map(|i| from + i)?;
                let end = text[start + 4..].find("-->").map(|i| start + 4 + i + 3)?;
                from = end;
                Some((start, end))
            }))
        }
    }
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

/// The name under which a suppression of every rule is indexed.
const ALL: &str = "";

/// Drops the findings that `suppressions` cover; returns the suppressions
/// that covered none.
///
/// Each finding looks up only the suppressions that name its rule, its
/// category or every rule and are in effect where it starts, so this is
/// linear (up to a logarithm) in findings plus suppressions.
pub fn apply(suppressions: Vec<Suppression>, findings: &mut Vec<Finding>, set: &RuleSet) -> Vec<Suppression> {
    if suppressions.is_empty() {
        return Vec::new();
    }
    let names = |s: &Suppression| -> Vec<String> {
        if s.rules.is_empty() {
            vec![ALL.to_string()]
        } else {
            s.rules.clone()
        }
    };
    let mut used = vec![false; suppressions.len()];
    // Line scopes: (line, name) -> suppressions not yet used.
    let mut line_scopes: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    // Range scopes, by start.
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in suppressions.iter().enumerate() {
        match &s.scope {
            Scope::Line(line) => {
                for name in names(s) {
                    line_scopes.entry((*line, name)).or_default().push(i);
                }
            }
            Scope::Range(r) => ranges.push((r.start, r.end, i)),
        }
    }
    ranges.sort_unstable();
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| findings[i].start.offset);
    // Ranges in effect: how many per name, those not yet used per name, and
    // their ends (to retire them).
    let mut active: HashMap<String, usize> = HashMap::new();
    let mut active_unused: HashMap<String, Vec<usize>> = HashMap::new();
    let mut ends: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut next_range = 0;
    let mut suppressed = vec![false; findings.len()];
    for fi in order {
        let f = &findings[fi];
        let offset = f.start.offset;
        while next_range < ranges.len() && ranges[next_range].0 <= offset {
            let (_, end, i) = ranges[next_range];
            next_range += 1;
            if end <= offset {
                continue;
            }
            ends.push(Reverse((end, i)));
            for name in names(&suppressions[i]) {
                *active.entry(name.clone()).or_default() += 1;
                active_unused.entry(name).or_default().push(i);
            }
        }
        while let Some(&Reverse((end, i))) = ends.peek() {
            if end > offset {
                break;
            }
            ends.pop();
            for name in names(&suppressions[i]) {
                if let Some(n) = active.get_mut(&name) {
                    *n -= 1;
                }
            }
        }
        let spec = &set.rules[f.rule];
        for name in [spec.id.as_str(), spec.category.as_str(), ALL] {
            if let Some(waiting) = line_scopes.get_mut(&(f.start.line, name.to_string())) {
                suppressed[fi] = true;
                for i in waiting.drain(..) {
                    used[i] = true;
                }
            }
            if active.get(name).is_some_and(|&n| n > 0) {
                suppressed[fi] = true;
                for i in active_unused.get_mut(name).map(std::mem::take).unwrap_or_default() {
                    // Retired ranges are dropped here: later findings start
                    // further on, so they can never use them.
                    if matches!(&suppressions[i].scope, Scope::Range(r) if r.contains(&offset)) {
                        used[i] = true;
                    }
                }
            }
        }
    }
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        !suppressed[i - 1]
    });
    suppressions.into_iter().zip(used).filter(|(_, u)| !u).map(|(s, _)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(text: &str) -> Vec<(String, Scope)> {
        parse(text, &LineIndex::new(text), &Comments::Anywhere).into_iter().map(|s| (s.directive, s.scope)).collect()
    }

    #[test]
    fn reads_all_directive_kinds() {
        let text = "<!-- iryolint-disable-next-line a, b -- 引用のため -->\n行\n<!-- iryolint-disable c -->x<!-- iryolint-enable -->\n<!-- iryolint-disable-file -->\n<!-- iryolint-disabled -->\n| 日本一 | <!-- iryolint-disable-line d -- 受賞名 -->";
        let got = directives(text);
        let x = text.find("-->x").unwrap() + 3;
        assert_eq!(
            got,
            [
                ("iryolint-disable-next-line a b".to_string(), Scope::Line(2)),
                ("iryolint-disable c".to_string(), Scope::Range(x..x + 1)),
                ("iryolint-disable-file".to_string(), Scope::Range(0..text.len())),
                ("iryolint-disable-line d".to_string(), Scope::Line(6)),
            ]
        );
    }

    #[test]
    fn unclosed_disable_runs_to_the_end() {
        let text = "<!-- iryolint-disable -->本文";
        assert_eq!(directives(text), [("iryolint-disable".to_string(), Scope::Range(25..text.len()))]);
    }
}
