//! Human output: each finding as an annotated snippet of its source lines.
//!
//! A snippet shows at most about [`MAX_SNIPPET_BYTES`] of source around its
//! finding, so a file that is one very long line prints in time linear in
//! its findings. File names and copy are shown with their control
//! characters escaped or replaced, never sent to the terminal raw.

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Summary;
use crate::diag::printable;
use crate::lint::{FileReport, Finding};
use crate::messages;
use crate::report::Run;
use crate::rules::{RuleSet, Severity};
use crate::source::LineIndex;
use crate::Lang;

/// A second label further than this many lines from the finding is shown
/// as a note instead of in the same snippet.
const MAX_SNIPPET_LINES: usize = 6;

/// Lines longer than this (in bytes) are shown as a window around the
/// finding.
pub const MAX_SNIPPET_BYTES: usize = 2048;

/// Characters of context either side of a finding in a window.
const WINDOW_CONTEXT_CHARS: usize = 40;

/// Writes every finding of a run and a summary line.
pub fn write(out: &mut dyn std::io::Write, run: &Run, color: bool) -> std::io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    for report in run.files {
        let lines = LineIndex::new(&report.text);
        for finding in &report.findings {
            writeln!(out, "{}\n", render_one(&renderer, report, &lines, finding, run.set(report), run.lang))?;
        }
    }
    writeln!(out, "{}", Summary::of(run.files).line(run.lang))
}

fn render_one(
    renderer: &Renderer,
    report: &FileReport,
    lines: &LineIndex,
    finding: &Finding,
    set: &RuleSet,
    lang: Lang,
) -> String {
    let rule = &set.rules[finding.rule];
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    // Rule texts come from team files too: escaped like the copy.
    let title = format!("{}{}", printable(rule.message.get(lang)), messages::missing_suffix(&finding.missing, lang));
    let related = finding.related.as_ref();
    let near = related.filter(|r| r.start.line.abs_diff(finding.start.line) < MAX_SNIPPET_LINES);
    let first_line = near.map_or(finding.start.line, |r| r.start.line.min(finding.start.line));
    let last_line = near.map_or(finding.end.line, |r| r.end.line.max(finding.end.line));
    let text = report.text.as_str();
    let from = lines.line_range(text, first_line).start;
    let to = lines.line_range(text, last_line).end.max(finding.end.offset);
    let path = printable(&report.path);
    let primary_label = messages::category(finding.category).get(lang);
    let related_label = messages::RELATED_CLAIM.get(lang);
    let primary = finding.start.offset..finding.end.offset;
    let mut group = Group::with_title(level.primary_title(title).id(rule.id.as_str()));
    let snippet_near;
    let mut location = None;
    if to - from <= MAX_SNIPPET_BYTES {
        let (source, shift) = without_c1_controls(&text[from..to]);
        let mut snippet = Snippet::source(source).line_start(first_line).path(path.as_ref()).annotation(
            AnnotationKind::Primary.span(shift(primary.start - from)..shift(primary.end - from)).label(primary_label),
        );
        if let Some(r) = near {
            let span = shift(r.start.offset - from)..shift(r.end.offset - from);
            snippet = snippet.annotation(AnnotationKind::Context.span(span).label(related_label));
        }
        snippet_near = near;
        group = group.element(snippet);
    } else {
        // A window of the long line(s). annotate-snippets would count the
        // column from the window's start, so the snippet has no path and
        // its `-->` line is added below with the finding's real place.
        let window = window(text, &primary);
        let line = lines.position(text, window.start).line;
        let (source, shift) = without_c1_controls(&text[window.clone()]);
        let clip = |r: &Range<usize>| {
            shift(r.start.clamp(window.start, window.end) - window.start)
                ..shift(r.end.clamp(window.start, window.end) - window.start)
        };
        let mut snippet = Snippet::source(source)
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(clip(&primary)).label(primary_label));
        snippet_near = near.filter(|r| window.start <= r.start.offset && r.end.offset <= window.end);
        if let Some(r) = snippet_near {
            let span = clip(&(r.start.offset..r.end.offset));
            snippet = snippet.annotation(AnnotationKind::Context.span(span).label(related_label));
        }
        let gutter = lines.position(text, window.end).line.to_string().len();
        location = Some(format!("{:gutter$}--> {path}:{}:{}", "", finding.start.line, finding.start.column));
        group = group.element(snippet);
    }
    let far_note;
    if let (Some(r), None) = (related, snippet_near) {
        far_note = format!("{}:{}:{}: 「{}」", path, r.start.line, r.start.column, printable(&r.text));
        group = group.element(Level::NOTE.message(far_note.as_str()));
    }
    let confidence_note;
    if let Some(percent) = finding.confidence_percent() {
        confidence_note = messages::CONFIDENCE_NOTE.fill(lang, &[&percent]);
        group = group.element(Level::NOTE.message(confidence_note.as_str()));
    }
    let basis = format!("{}: {}", messages::BASIS.get(lang), printable(&rule.basis));
    let help = printable(rule.help.get(lang));
    group = group.element(Level::NOTE.message(basis.as_str())).element(Level::HELP.message(help.as_ref()));
    let rendered = renderer.render(&[group]);
    match (location, rendered.split_once('\n')) {
        (Some(location), Some((title, rest))) => format!("{title}\n{location}\n{rest}"),
        _ => rendered,
    }
}

/// The bytes of `text` shown for a finding at `span` on a long line: up to
/// [`WINDOW_CONTEXT_CHARS`] characters either side, and at most
/// [`MAX_SNIPPET_BYTES`] of the finding itself, on character boundaries.
fn window(text: &str, span: &Range<usize>) -> Range<usize> {
    let before =
        text[..span.start].char_indices().rev().take(WINDOW_CONTEXT_CHARS).last().map_or(span.start, |(i, _)| i);
    let mut end = span.end.min(span.start + MAX_SNIPPET_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let after = text[end..].char_indices().nth(WINDOW_CONTEXT_CHARS).map_or(text.len(), |(i, _)| end + i);
    before..after
}

/// `source` with its C1 control characters (U+0080–U+009F, which some
/// terminals obey) replaced by U+FFFD, and a map from byte offsets in
/// `source` to offsets in the result. (annotate-snippets itself shows the
/// C0 controls and bidirectional overrides as symbols.)
fn without_c1_controls(source: &str) -> (Cow<'_, str>, impl Fn(usize) -> usize) {
    let is_c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
    // Each replacement is one byte longer than what it replaces.
    let at: Vec<usize> = source.char_indices().filter(|&(_, c)| is_c1(c)).map(|(i, _)| i).collect();
    let text = if at.is_empty() {
        Cow::Borrowed(source)
    } else {
        Cow::Owned(source.chars().map(|c| if is_c1(c) { '\u{FFFD}' } else { c }).collect())
    };
    (text, move |offset: usize| offset + at.partition_point(|&i| i < offset))
}
