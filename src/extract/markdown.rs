//! Markdown: prose, headings, list items, table cells, link text and image
//! alt text, with exact source offsets (pulldown-cmark's offset iterator).
//!
//! Skipped: fenced and indented code, inline code, URLs, HTML comments, and
//! the content of `<script>`, `<style>` and the other raw-text elements.
//! Raw HTML blocks go whole through the HTML extractor, so a comment or a
//! script over several lines is skipped as in a page. Front matter (YAML
//! `---` or TOML `+++`): only `title` and `description` are read (see
//! [`front_matter`]). Emphasis does not split a block, so `**必ず**治ります`
//! is one phrase.

use std::ops::Range;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::{html, Comments, Extraction};
use crate::source::lines_inclusive;
use crate::text::{BlockKind, Extracted};

/// Extracts the visible text of a Markdown document.
pub fn extract(source: &str) -> Extracted {
    read(source).text
}

/// Extracts the visible text of a Markdown document and the ranges of its
/// HTML comments.
pub fn read(source: &str) -> Extraction {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = Extracted::default();
    let mut aside = Extracted::default();
    let mut comments = Vec::new();
    let mut block = OpenBlock { start: 0, kind: BlockKind::Paragraph };
    let mut in_code = 0usize;
    let mut in_metadata = false;
    let mut in_html_block = false;
    // The raw-text element (`script`, `style`…) opened by inline HTML whose
    // content is being skipped.
    let mut in_raw_inline: Option<String> = None;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        if let Some(name) = &in_raw_inline {
            match &event {
                Event::InlineHtml(raw) if closes(raw, name) => in_raw_inline = None,
                Event::Start(_) | Event::End(_) => in_raw_inline = None,
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(kind)) => {
                in_metadata = true;
                comments.extend(front_matter_comments(source, range.clone()));
                front_matter(source, range, kind, &mut aside);
            }
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                block.finish(&mut out, BlockKind::Paragraph);
                embedded_html(source, range, &mut aside, &mut comments);
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                block.finish(&mut out, BlockKind::Paragraph);
            }
            Event::Start(tag) => {
                let next = match tag {
                    Tag::Heading { .. } => Some(BlockKind::Heading),
                    Tag::Item => Some(BlockKind::ListItem),
                    Tag::TableCell => Some(BlockKind::TableCell),
                    Tag::Image { .. } => Some(BlockKind::Meta),
                    Tag::Paragraph
                    | Tag::BlockQuote(_)
                    | Tag::Table(_)
                    | Tag::TableRow
                    | Tag::TableHead
                    | Tag::FootnoteDefinition(_)
                    | Tag::List(_)
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition => Some(BlockKind::Paragraph),
                    _ => None,
                };
                if let Some(next) = next {
                    block.finish(&mut out, next);
                }
            }
            Event::End(tag) => {
                let ends_block = !matches!(
                    tag,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                );
                if ends_block {
                    block.finish(&mut out, BlockKind::Paragraph);
                }
            }
            Event::Text(_) if in_metadata || in_code > 0 => {}
            Event::Text(text) => push_aligned(&mut out, source, range, &text),
            Event::SoftBreak => out.push_char('\n', range),
            Event::HardBreak => block.finish(&mut out, block.kind),
            // Read whole at the block's start.
            Event::Html(_) if in_html_block => {}
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let trimmed = raw.trim_start();
                if trimmed.starts_with("<!--") {
                    if raw.trim_end().ends_with("-->") {
                        comments.push(range);
                    }
                    continue;
                }
                if is_line_break_tag(&raw) {
                    block.finish(&mut out, block.kind);
                    continue;
                }
                in_raw_inline = opens_raw_text(trimmed);
                embedded_html(source, range, &mut aside, &mut comments);
            }
            _ => {}
        }
    }
    block.finish(&mut out, BlockKind::Paragraph);
    out.append(aside);
    Extraction { text: out, comments: Comments::Ranges(comments) }
}

/// Reads the raw HTML at `range` of `source` with the HTML extractor: its
/// text as blocks of their own, its comments as comments.
fn embedded_html(source: &str, range: Range<usize>, aside: &mut Extracted, comments: &mut Vec<Range<usize>>) {
    let read = html::read(&source[range.clone()]);
    let mut shifted = read.text;
    for v in &mut shifted.visible {
        v.start += range.start as u32;
        v.end += range.start as u32;
    }
    aside.append(shifted);
    if let Comments::Ranges(found) = read.comments {
        comments.extend(found.into_iter().map(|c| c.start + range.start..c.end + range.start));
    }
}

/// The name of the raw-text element (`script`, `style`…) that inline HTML
/// `raw` opens and does not close itself.
fn opens_raw_text(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('<')?;
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    let raw_text = html::RAW_SKIPPED.contains(&name.as_str()) || matches!(name.as_str(), "textarea" | "title");
    (raw_text && !closes(raw, &name)).then_some(name)
}

/// True when `raw` holds the end tag `</name`.
fn closes(raw: &str, name: &str) -> bool {
    raw.to_ascii_lowercase().contains(&format!("</{name}"))
}

/// The block being collected: where it began and what it is.
struct OpenBlock {
    start: usize,
    kind: BlockKind,
}

impl OpenBlock {
    /// Closes the block and opens one of kind `next`.
    fn finish(&mut self, out: &mut Extracted, next: BlockKind) {
        out.end_block(self.kind, self.start);
        self.start = out.visible.len();
        self.kind = next;
    }
}

fn is_line_break_tag(raw: &str) -> bool {
    let t = raw.trim().to_ascii_lowercase();
    t == "<br>" || t == "<br/>" || t == "<br />"
}

/// Appends a text event, mapping each character to its source bytes. The
/// text equals the source slice except where pulldown-cmark decoded a
/// reference or an escape; then the characters map to the whole range.
fn push_aligned(out: &mut Extracted, source: &str, range: Range<usize>, text: &str) {
    let slice = &source[range.clone()];
    if slice == text {
        out.push_verbatim(text, range.start);
    } else if let Some(at) = slice.find(text) {
        out.push_verbatim(text, range.start + at);
    } else {
        for c in text.chars() {
            out.push_char(c, range.clone());
        }
    }
}

/// Reads `title` and `description` from YAML or TOML front matter (the
/// metadata block at `range`, fences included).
///
/// A value is taken verbatim from the source, so its span is exact: a
/// quoted value is the text between its quotes (escapes are kept as
/// written); a stray quote with no partner is part of the value; a YAML
/// comment after a plain value is not; a value with text after its closing
/// quote is read as written; a YAML block scalar (`|` or `>`) is its
/// indented lines.
fn front_matter(source: &str, range: Range<usize>, kind: MetadataBlockKind, aside: &mut Extracted) {
    let separator = match kind {
        MetadataBlockKind::YamlStyle => ':',
        MetadataBlockKind::PlusesStyle => '=',
    };
    let yaml = separator == ':';
    let mut lines = lines_inclusive(&source[range.clone()]).skip(1).peekable();
    while let Some((at, line)) = lines.next() {
        let line_start = range.start + at;
        let content = line.trim_end_matches(['\n', '\r']);
        let Some((key, value)) = content.split_once(separator) else {
            continue;
        };
        let indent = key.len() - key.trim_start().len();
        if !matches!(key.trim().trim_matches(['"', '\'']), "title" | "description") {
            continue;
        }
        let value_at = line_start + key.len() + separator.len_utf8();
        let lead = value.len() - value.trim_start().len();
        let value = value.trim();
        let value_at = value_at + lead;
        let from = aside.visible.len();
        if yaml && is_block_scalar_header(value) {
            while let Some(&(next_at, next)) = lines.peek() {
                let body = next.trim_end_matches(['\n', '\r']);
                let next_indent = body.len() - body.trim_start().len();
                if !body.trim().is_empty() && next_indent <= indent {
                    break;
                }
                aside.push_verbatim(&next[next_indent.min(body.len())..], range.start + next_at + next_indent);
                lines.next();
            }
        } else {
            let (text, offset) = scalar(value, yaml);
            aside.push_verbatim(text, value_at + offset);
        }
        aside.end_block(BlockKind::Meta, from);
    }
}

/// The `<!-- … -->` written in comment lines (`# …`, YAML and TOML alike)
/// of the front matter at `range`: front matter has no HTML comments, so a
/// directive about a front-matter value goes in one of these.
fn front_matter_comments(source: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for (at, line) in lines_inclusive(&source[range.clone()]) {
        if !line.trim_start().starts_with('#') {
            continue;
        }
        let line_start = range.start + at;
        if let Some(open) = line.find("<!--") {
            if let Some(close) = line[open + 4..].find("-->") {
                found.push(line_start + open..line_start + open + 4 + close + 3);
            }
        }
    }
    found
}

/// `|`, `>`, `|-`, `>+2`…: a YAML block scalar starts on the next line.
fn is_block_scalar_header(value: &str) -> bool {
    let value = value.split(" #").next().unwrap_or("").trim_end();
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// The text of a one-line scalar and its byte offset in `value`.
fn scalar(value: &str, yaml: bool) -> (&str, usize) {
    let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        // A plain value; in YAML, ` #` starts a comment.
        let text = if yaml { value.split(" #").next().unwrap_or("").trim_end() } else { value };
        return (text, 0);
    };
    let body = &value[1..];
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == '"' => i += 2,
            // YAML doubles a quote inside single quotes.
            b'\'' if quote == '\'' && yaml && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote as u8 => {
                let after = body[i + 1..].trim_start();
                if after.is_empty() || (yaml && after.starts_with('#')) {
                    return (&body[..i], 1);
                }
                // Text after the closing quote: not a quoted scalar after
                // all; read the value as written.
                return (value, 0);
            }
            _ => i += 1,
        }
    }
    // No closing quote: the rest of the line.
    (body, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<String> {
        let ex = extract(source);
        ex.blocks.iter().map(|b| ex.visible[b.chars.clone()].iter().map(|v| v.ch).collect()).collect()
    }

    #[test]
    fn prose_headings_items_cells_and_alt_text_are_read() {
        let source = "---\ntitle: \"題名\"\ndescription: 説明\nlayout: post\n---\n# 見出し\n\n**必ず**治ります\n\n- 項目\n\n| a |\n|---|\n| セル |\n\n![代替](x.png) [リンク](https://u.jp)\n";
        assert_eq!(texts(source), ["見出し", "必ず治ります", "項目", "a", "セル", "代替", " リンク", "題名", "説明"]);
    }

    #[test]
    fn code_comments_and_urls_are_skipped() {
        let source =
            "本文\n\n```\nコード\n```\n\n    字下げコード\n\n`インライン` と <!-- 注釈 --> <https://x.jp/隠れ>\n";
        let all = texts(source).join("|");
        assert!(!all.contains("コード") && !all.contains("インライン") && !all.contains("注釈"), "{all}");
        assert!(all.contains("本文"));
    }

    /// Each Meta block's text and the source text its span covers.
    fn meta_spans(source: &str) -> Vec<(String, String)> {
        let ex = extract(source);
        ex.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Meta)
            .map(|b| {
                let v = &ex.visible[b.chars.clone()];
                let text: String = v.iter().map(|c| c.ch).collect();
                let span = source[v[0].start as usize..v[v.len() - 1].end as usize].to_string();
                (text, span)
            })
            .collect()
    }

    #[test]
    fn front_matter_stray_quotes_keep_exact_spans() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
        };
        assert_eq!(
            meta_spans("---\ntitle: 必ず治ります\"\n---\n本文\n"),
            pairs(&[("必ず治ります\"", "必ず治ります\"")])
        );
        assert_eq!(
            meta_spans("---\ntitle: The No.1 clinic\"\n---\n"),
            pairs(&[("The No.1 clinic\"", "The No.1 clinic\"")])
        );
        assert_eq!(meta_spans("---\ntitle: \"必ず治る\n---\n"), pairs(&[("必ず治る", "必ず治る")]));
        assert_eq!(
            meta_spans("---\ntitle: ''必ず治ります''\n---\n"),
            pairs(&[("''必ず治ります''", "''必ず治ります''")])
        );
        assert_eq!(
            meta_spans("---\ntitle: \"a\\\"b\" # c\ndescription: 説明 # 注\n---\n"),
            pairs(&[("a\\\"b", "a\\\"b"), ("説明", "説明")])
        );
        assert_eq!(meta_spans("+++\r\ntitle = 'No.1'\r\n+++\r\n"), pairs(&[("No.1", "No.1")]));
    }

    #[test]
    fn front_matter_block_scalars_are_read() {
        let source = "---\ndescription: >\n  一行目\n  二行目\nlayout: post\n---\n";
        let got = meta_spans(source);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "一行目\n二行目\n");
        assert_eq!(got[0].1, "一行目\n  二行目\n");
    }

    #[test]
    fn multi_line_comments_and_scripts_are_not_read() {
        let source = "本文\n\n<!--\n隠れた文\n-->\n\n<script>\nvar s = \"スクリプト\";\n</script>\n\na <script>インライン</script> b\n";
        let all = texts(source).join("|");
        assert!(!all.contains("隠れた") && !all.contains("スクリプト") && !all.contains("インライン"), "{all}");
        assert!(all.contains("本文") && all.contains(" b"), "{all}");
    }

    #[test]
    fn comments_in_code_are_not_comments() {
        let source = "```\n<!-- a -->\n```\n\n`<!-- b -->` <!-- c -->\n\n<div>\n<!-- d -->\n</div>\n";
        let Comments::Ranges(ranges) = read(source).comments else { panic!("markdown has comment ranges") };
        let got: Vec<&str> = ranges.iter().map(|r| &source[r.clone()]).collect();
        assert_eq!(got, ["<!-- c -->", "<!-- d -->"]);
    }

    #[test]
    fn comment_lines_of_front_matter_hold_directives() {
        let source = "---\n# <!-- iryolint-disable-next-line a -->\ntitle: x <!-- b -->\n---\n<!-- c -->\n";
        let Comments::Ranges(ranges) = read(source).comments else { panic!("markdown has comment ranges") };
        let got: Vec<&str> = ranges.iter().map(|r| &source[r.clone()]).collect();
        assert_eq!(got, ["<!-- iryolint-disable-next-line a -->", "<!-- c -->"]);
    }

    #[test]
    fn front_matter_values_map_to_their_source() {
        let source = "---\ntitle: '題名です'\n---\n本文\n";
        let ex = extract(source);
        let first = ex.visible.iter().find(|v| v.ch == '題').unwrap();
        assert_eq!(&source[first.start as usize..first.end as usize], "題");
    }
}
