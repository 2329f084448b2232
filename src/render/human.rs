//! Human output: each finding as an annotated snippet of its source lines.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::Summary;
use crate::lint::{FileReport, Finding};
use crate::rules::{RuleSet, Severity};
use crate::source::LineIndex;
use crate::Lang;

/// A second label further than this many lines from the finding is shown
/// as a note instead of in the same snippet.
const MAX_SNIPPET_LINES: usize = 6;

/// Writes every finding of `reports` and a summary line.
pub fn write(
    out: &mut dyn std::io::Write,
    reports: &[FileReport],
    set: &RuleSet,
    lang: Lang,
    color: bool,
) -> std::io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    for report in reports {
        let lines = LineIndex::new(&report.text);
        for finding in &report.findings {
            writeln!(out, "{}\n", render_one(&renderer, report, &lines, finding, set, lang))?;
        }
    }
    let s = Summary::of(reports);
    match lang {
        Lang::Ja => writeln!(
            out,
            "{} ファイルを検査: 指摘 {} 件 (error {}, warning {}, info {})",
            s.files, s.findings, s.errors, s.warnings, s.infos
        ),
        Lang::En => writeln!(
            out,
            "checked {} file{}: {} finding{} ({} error, {} warning, {} info)",
            s.files,
            if s.files == 1 { "" } else { "s" },
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.errors,
            s.warnings,
            s.infos
        ),
    }
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
    let mut title = rule.message.get(lang).to_string();
    if !finding.missing.is_empty() {
        let label = if lang == Lang::Ja { "不足" } else { "missing" };
        title.push_str(&format!(" ({label}: {})", finding.missing.join(", ")));
    }
    let related = finding.related.as_ref();
    let near = related.filter(|r| r.start.line.abs_diff(finding.start.line) < MAX_SNIPPET_LINES);
    let first_line = near.map_or(finding.start.line, |r| r.start.line.min(finding.start.line));
    let last_line = near.map_or(finding.end.line, |r| r.end.line.max(finding.end.line));
    let from = lines.line_range(&report.text, first_line).start;
    let to = lines.line_range(&report.text, last_line).end.max(finding.end.offset);
    let source = &report.text[from..to];
    let primary_label = if lang == Lang::Ja { category_ja(finding) } else { finding.category.as_str() };
    let mut snippet = Snippet::source(source).line_start(first_line).path(report.path.as_str()).annotation(
        AnnotationKind::Primary.span(finding.start.offset - from..finding.end.offset - from).label(primary_label),
    );
    if let Some(r) = near {
        let label = if lang == Lang::Ja { "ヒトへの効果の主張" } else { "claim of benefit for people" };
        snippet =
            snippet.annotation(AnnotationKind::Context.span(r.start.offset - from..r.end.offset - from).label(label));
    }
    let mut group = level.primary_title(title).id(rule.id.as_str()).element(snippet);
    let far_note;
    if let (Some(r), None) = (related, near) {
        far_note = format!("{}:{}:{}: 「{}」", report.path, r.start.line, r.start.column, r.text);
        group = group.element(Level::NOTE.message(far_note.as_str()));
    }
    let basis = format!("{}: {}", if lang == Lang::Ja { "根拠" } else { "basis" }, rule.basis);
    group = group.element(Level::NOTE.message(basis.as_str())).element(Level::HELP.message(rule.help.get(lang)));
    renderer.render(&[group])
}

fn category_ja(finding: &Finding) -> &'static str {
    use crate::rules::Category::*;
    match finding.category {
        UnsupportedEfficacy => "根拠のない効果の表現",
        PreclinicalExtrapolation => "動物・細胞実験のヒトへの当てはめ",
        SafetyClaim => "安全性の断定",
        SuperlativeComparison => "比較優良・最上級表現",
        AuthorityEndorsement => "権威づけ",
        Testimonial => "体験談",
        BeforeAfter => "術前術後の写真・記述",
        Inducement => "費用の強調・誘引",
        MissingFreeCareDisclosure => "自由診療の限定解除要件の不足",
        MissingUnapprovedDisclosure => "未承認医薬品等の限定解除要件の不足",
        Other => "その他",
    }
}
