//! What the editor offers on a finding: the rule's explanation on hover,
//! and code actions: insert a suppression comment (with a reason to fill
//! in), or open the rule's explanation.
//!
//! The rule pack has no machine-applicable rewrites (a rule's `help` is
//! advice in prose), so no rewrite edit is offered.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Hover, HoverContents, MarkupContent, MarkupKind,
    TextEdit, WorkspaceEdit,
};

use super::convert::Encoding;
use super::diagnostics;
use super::document::Document;
use crate::extract::InputFormat;
use crate::lint::Finding;
use crate::render;
use crate::Lang;

/// The command that opens a rule's explanation (arguments: the rule id
/// and the document's URI).
pub const EXPLAIN_COMMAND: &str = "iryolint.explain";

/// The explanations of the findings under byte `offset` of `doc`, as
/// `iryolint explain` prints them.
pub fn hover(doc: &Document, offset: usize, enc: Encoding) -> Option<Hover> {
    let checked = doc.checked.as_ref()?;
    let under: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|f| (f.start.offset..f.end.offset).contains(&offset) || f.start.offset == offset)
        .collect();
    let first = under.first()?;
    let mut ids: Vec<usize> = under.iter().map(|f| f.rule).collect();
    ids.dedup();
    let text: Vec<String> =
        ids.iter().map(|&r| render::rules::explain(&checked.rules.set.full_rules()[r], checked.rules.lang)).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::PlainText, value: text.join("\n") }),
        range: Some(doc.lines.range(&doc.text, first.start.offset, first.end.offset, enc)),
    })
}

/// The code actions for the findings that touch bytes `range` of `doc`.
pub fn code_actions(doc: &Document, range: Range<usize>, enc: Encoding) -> Vec<CodeActionOrCommand> {
    let (Some(checked), Some(format)) = (doc.checked.as_ref(), doc.format) else {
        return Vec::new();
    };
    let lang = checked.rules.lang;
    let ja = lang == Lang::Ja;
    let mut actions = Vec::new();
    let mut explained = Vec::new();
    for f in checked.findings.iter().filter(|f| f.start.offset <= range.end && range.start <= f.end.offset) {
        let id = &checked.rules.set.rules[f.rule].id;
        let diagnostic = diagnostics::of_finding(f, doc, &checked.rules, enc);
        let edits = suppression(&doc.text, format, f.start.offset..f.end.offset, id, lang)
            .into_iter()
            .map(|(at, new_text)| {
                let here = doc.lines.position(&doc.text, at, enc);
                TextEdit { range: lsp_types::Range { start: here, end: here }, new_text }
            })
            .collect();
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: if ja {
                format!("「{}」の {id} を抑制するコメントを挿入", f.text)
            } else {
                format!("Suppress {id} for 「{}」 with a comment", f.text)
            },
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                ..Default::default()
            }),
            ..Default::default()
        }));
        if !explained.contains(&f.rule) {
            explained.push(f.rule);
            let title = if ja { format!("{id} の説明を開く") } else { format!("Explain {id}") };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.clone(),
                command: Some(Command {
                    title,
                    command: EXPLAIN_COMMAND.to_string(),
                    arguments: Some(vec![id.as_str().into(), doc.uri.as_str().into()]),
                }),
                ..Default::default()
            }));
        }
    }
    actions
}

/// Writes the explanation `text` of rule `id` to a file of its own in the
/// temporary folder (atomically), for the editor to open.
pub fn explanation_file(id: &str, lang: Lang, text: &str) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join("iryolint-explain");
    std::fs::create_dir_all(&dir)?;
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let lang = if lang == Lang::Ja { "ja" } else { "en" };
    let path = dir.join(format!("{safe}.{lang}.txt"));
    let partial = dir.join(format!(".{safe}.{lang}.{}.tmp", std::process::id()));
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// What to insert (byte offset, text; in text order) to suppress the
/// finding of rule `id` at bytes `span` of `text`.
///
/// The usual form is `<!-- iryolint-disable-next-line ID -- reason -->` on
/// the line before the finding, placed where the format keeps it out of
/// the copy: its own line in plain text and HTML; in Markdown its own line
/// after a blank line or at the start, else the end of the previous line
/// (a line of its own would split a paragraph), and a `#` comment line in
/// front matter. On a row of a Markdown table, where a line before would
/// break the table, `<!-- iryolint-disable-line ID -- reason -->` ends the
/// row instead. Where no line can hold it without changing the page (inside
/// a tag, before a doctype, under a table's delimiter row), the finding is
/// wrapped in `iryolint-disable` / `iryolint-enable` instead: the tag, or a
/// whole `<title>` (where a comment would be shown as text), or the span.
pub fn suppression(text: &str, format: InputFormat, span: Range<usize>, id: &str, lang: Lang) -> Vec<(usize, String)> {
    let reason = if lang == Lang::Ja { "TODO: 理由" } else { "TODO: reason" };
    let next_line = format!("<!-- iryolint-disable-next-line {id} -- {reason} -->");
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = line_start(text, span.start);
    let indent = &text[line..][..text[line..].len() - text[line..].trim_start_matches([' ', '\t']).len()];
    let own_line = vec![(line, format!("{indent}{next_line}{nl}"))];
    let wrap = |around: Range<usize>| {
        vec![
            (around.start, format!("<!-- iryolint-disable {id} -- {reason} -->")),
            (around.end, format!("<!-- iryolint-enable {id} -->")),
        ]
    };
    match format {
        InputFormat::Text | InputFormat::Docx => own_line,
        InputFormat::Html => {
            let prefix = text[line..span.start].to_ascii_lowercase();
            if let Some(element) = raw_text_element_at(text, span.start) {
                wrap(element)
            } else if tag_open_at(text, line).is_none() && !prefix.contains("<!doctype") && !prefix.contains("<?xml") {
                own_line
            } else if let Some(tag) = tag_open_at(text, span.start) {
                let close = text[span.start..].find('>').map_or(text.len(), |i| span.start + i + 1);
                wrap(tag..close)
            } else {
                wrap(span)
            }
        }
        InputFormat::Markdown => {
            if span.start < front_matter_end(text) {
                return vec![(line, format!("{indent}# {next_line}{nl}"))];
            }
            let line_end = text[line..].find(['\n', '\r']).map_or(text.len(), |i| line + i);
            let row = &text[line..line_end];
            if row.trim_start().starts_with('|') && span.end <= line_end && line > front_matter_end(text) {
                let before = text[..line].strip_suffix('\n').unwrap_or(&text[..line]);
                let before = before.strip_suffix('\r').unwrap_or(before);
                let previous = before[line_start(text, before.len())..].trim();
                if previous.starts_with('|') || is_table_delimiter(previous) {
                    let end = line + row.trim_end().len();
                    return vec![(end, format!(" <!-- iryolint-disable-line {id} -- {reason} -->"))];
                }
            }
            if line == 0 || line == front_matter_end(text) {
                return own_line;
            }
            let before = &text[..line];
            let before = before.strip_suffix('\n').unwrap_or(before);
            let prev_end = before.strip_suffix('\r').unwrap_or(before).len();
            let prev_start = line_start(text, prev_end);
            let prev_content = &text[prev_start..prev_end];
            let trimmed = prev_content.trim();
            if trimmed.is_empty() || is_fence_or_rule(trimmed) {
                own_line
            } else if is_table_delimiter(trimmed) {
                wrap(span)
            } else {
                // Before trailing spaces or a backslash (hard breaks).
                let keep = prev_content.trim_end_matches([' ', '\t']).trim_end_matches('\\');
                vec![(prev_start + keep.len(), next_line)]
            }
        }
    }
}

/// The start of the line holding byte `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The `<` of the tag (or comment) that byte `offset` is inside, if any.
fn tag_open_at(text: &str, offset: usize) -> Option<usize> {
    let before = &text[..offset];
    let open = before
        .match_indices('<')
        .rev()
        .map(|(i, _)| i)
        .find(|&i| text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!'))?;
    (!before[open..].contains('>')).then_some(open)
}

/// The whole `<title>` or `<textarea>` element that byte `offset` is in:
/// comments inside them are text, so a suppression must go around them.
fn raw_text_element_at(text: &str, offset: usize) -> Option<Range<usize>> {
    // ASCII lowercasing keeps byte offsets.
    let before = text[..offset].to_ascii_lowercase();
    ["title", "textarea"].into_iter().find_map(|name| {
        let open = before.rfind(&format!("<{name}"))?;
        if before[open..].contains(&format!("</{name}")) {
            return None;
        }
        let close = offset + text[offset..].to_ascii_lowercase().find(&format!("</{name}"))?;
        Some(open..text[close..].find('>').map_or(text.len(), |i| close + i + 1))
    })
}

/// The end of a Markdown front matter block (`---` or `+++` fences), or 0.
fn front_matter_end(text: &str) -> usize {
    let Some(fence) = ["---", "+++"].into_iter().find(|f| text.starts_with(f)) else {
        return 0;
    };
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if n > 0 && line.trim_end() == fence {
            return offset;
        }
    }
    0
}

/// A fence, a thematic break or a setext underline: lines after which a
/// new block starts anyway.
fn is_fence_or_rule(line: &str) -> bool {
    line.starts_with("```")
        || line.starts_with("~~~")
        || (line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | ' ')))
}

/// A table's delimiter row (`|---|:---:|`).
fn is_table_delimiter(line: &str) -> bool {
    line.contains('-') && line.contains('|') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint;
    use crate::rules::{Pack, RuleSet};

    fn rules() -> RuleSet {
        RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap()
    }

    fn apply(text: &str, inserts: &[(usize, String)]) -> String {
        let mut out = text.to_string();
        for (at, s) in inserts.iter().rev() {
            out.insert_str(*at, s);
        }
        out
    }

    fn rule_and_text(findings: &[Finding], set: &RuleSet) -> Vec<(String, String)> {
        let mut v: Vec<_> = findings.iter().map(|f| (set.rules[f.rule].id.clone(), f.text.clone())).collect();
        v.sort();
        v
    }

    /// For every finding of `text`: inserting its suppression removes
    /// exactly that finding and leaves the others as they were.
    fn check_suppressions(text: &str, format: InputFormat) {
        let set = rules();
        let before = lint::lint_format("t", text.to_string(), format, &set);
        assert!(before.findings.len() >= 2, "{format:?}: {:?}", rule_and_text(&before.findings, &set));
        for f in &before.findings {
            let id = &set.rules[f.rule].id;
            let inserts = suppression(text, format, f.start.offset..f.end.offset, id, Lang::En);
            let edited = apply(text, &inserts);
            let after = lint::lint_format("t", edited.clone(), format, &set);
            let mut expected = rule_and_text(&before.findings, &set);
            let gone = expected.iter().position(|(r, t)| r == id && *t == f.text).unwrap();
            expected.remove(gone);
            assert_eq!(rule_and_text(&after.findings, &set), expected, "{format:?} {id} 「{}」:\n{edited}", f.text);
            assert!(after.unused_suppressions.is_empty(), "{edited}");
        }
    }

    #[test]
    fn suppressions_in_plain_text() {
        check_suppressions(
            "当院のご案内\n\n  当院の施術は副作用は一切ありません。\n肌が若返ると評判で、日本一の実績です。\n",
            InputFormat::Text,
        );
    }

    #[test]
    fn suppressions_in_markdown() {
        let text = "---\ntitle: 副作用は一切ありません\n---\n\n# 日本一のクリニック\n\n当院の施術は安全です。\n副作用は一切ありません。  \n\
                    シミが改善します。\n\n- 痛みは一切ありません\n- 日本一の実績\n\n| 施術 | 説明 |\n|---|---|\n| A | 副作用は一切ありません |\n\
                    | B | 日本一の実績 |  \n";
        check_suppressions(text, InputFormat::Markdown);
    }

    #[test]
    fn a_table_row_gets_a_same_line_comment_at_its_end() {
        let md = "| 施術 | 説明 |\n|---|---|\n| A | 説明 |\n| B | 日本一 |  \n";
        let at = md.find("日本一").unwrap();
        let got = suppression(md, InputFormat::Markdown, at..at + 9, "r", Lang::En);
        let end = md.find("日本一 |").unwrap() + "日本一 |".len();
        assert_eq!(got, [(end, " <!-- iryolint-disable-line r -- TODO: reason -->".to_string())]);
    }

    #[test]
    fn suppressions_in_html() {
        let text = "<!DOCTYPE html><html><head><title>副作用は一切ありません</title></head>\n<body>\n  <p>当院の施術は\n  <strong>日本一</strong>です。</p>\n  <img src=\"a.png\"\n    alt=\"副作用は一切ありません\">\n  <textarea>\n日本一</textarea>\n</body></html>\n";
        check_suppressions(text, InputFormat::Html);
    }

    #[test]
    fn next_line_comment_goes_where_the_format_allows() {
        let md = "前の行です。\n副作用は一切ありません。\n";
        let at = md.find("副作用").unwrap();
        let got = suppression(md, InputFormat::Markdown, at..at + 3, "r", Lang::En);
        assert_eq!(
            got,
            [(md.find('\n').unwrap(), "<!-- iryolint-disable-next-line r -- TODO: reason -->".to_string())]
        );
        let html = "<html><head><title>副作用</title></head></html>";
        let at = html.find("副作用").unwrap();
        let got = suppression(html, InputFormat::Html, at..at + 9, "r", Lang::En);
        let (open, close) = (html.find("<title>").unwrap(), html.find("</head>").unwrap());
        assert_eq!(got.iter().map(|(at, _)| *at).collect::<Vec<_>>(), [open, close], "{got:?}");
        let txt = "前の行\n\t副作用\n";
        let at = txt.find("副作用").unwrap();
        let got = suppression(txt, InputFormat::Text, at..at + 3, "r", Lang::Ja);
        assert_eq!(
            got,
            [(txt.find('\t').unwrap(), "\t<!-- iryolint-disable-next-line r -- TODO: 理由 -->\n".to_string())]
        );
    }
}
