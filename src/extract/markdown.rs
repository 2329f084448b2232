//! Markdown: prose, headings, list items, table cells, link text and image
//! alt text, with exact source offsets (pulldown-cmark's offset iterator).
//!
//! Skipped: fenced and indented code, inline code, URLs, HTML comments, and
//! the content of `<script>`, `<style>` and the other raw-text elements.
//! Raw HTML blocks go whole through the HTML extractor, so a comment or a
//! script over several lines is skipped as in a page. Front matter (YAML
//! `---` or TOML `+++`): only the values of text keys are read, by default
//! [`DEFAULT_FRONT_MATTER_KEYS`] (see [`front_matter`]). Emphasis does not
//! split a block, so `**必ず**治ります` is one phrase.

use std::ops::Range;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::{html, Comments, Extraction};
use crate::source::lines_inclusive;
use crate::text::{BlockKind, Extracted};

/// The front-matter keys read when the config names none: the text fields
/// of Hugo's and Jekyll's front matter and of their common themes.
pub const DEFAULT_FRONT_MATTER_KEYS: &[&str] =
    &["title", "linkTitle", "subtitle", "description", "summary", "lead", "excerpt", "keywords"];

/// Extracts the visible text of a Markdown document.
pub fn extract(source: &str) -> Extracted {
    read(source).text
}

/// Extracts the visible text of a Markdown document and the ranges of its
/// HTML comments, reading the default front-matter keys.
pub fn read(source: &str) -> Extraction {
    read_with(source, None)
}

/// [`read`], reading the front-matter keys `front_matter_keys` (compared
/// without regard to ASCII case; `None`: [`DEFAULT_FRONT_MATTER_KEYS`]).
pub fn read_with(source: &str, front_matter_keys: Option<&[String]>) -> Extraction {
    let wanted = |key: &str| match front_matter_keys {
        Some(keys) => keys.iter().any(|k| k.eq_ignore_ascii_case(key)),
        None => DEFAULT_FRONT_MATTER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)),
    };
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
    // Where the last table cell ended: text after it on the row is in cells
    // beyond the header's count, which the parser drops.
    let mut last_cell_end = 0usize;
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
                front_matter(source, range, kind, &wanted, &mut aside);
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
            Event::End(TagEnd::TableCell) => {
                last_cell_end = range.end;
                block.finish(&mut out, BlockKind::Paragraph);
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                // A comment in a cell beyond the header's count (`| a | b |
                // <!-- … -->`) ends the row's line; the renderer drops it
                // and so does the parser, but it is still a comment.
                if last_cell_end > range.start && last_cell_end < range.end {
                    comments.extend(line_comments(source, last_cell_end..range.end));
                }
                block.finish(&mut out, BlockKind::Paragraph);
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
    shifted.shift_source(range.start);
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

/// Reads the values of the keys that `wanted` accepts from YAML or TOML
/// front matter (the metadata block at `range`, fences included).
///
/// A value is taken verbatim from the source, so its span is exact: a
/// quoted value is the text between its quotes (escapes are kept as
/// written); a stray quote with no partner is part of the value; a YAML
/// comment after a plain value is not; a value with text after its closing
/// quote is read as written; a YAML block scalar (`|` or `>`) is its
/// indented lines. A list (`[a, "b"]`, or YAML's `- item` lines) gives one
/// block per item, so that no sentence runs from one keyword into the next.
fn front_matter(
    source: &str,
    range: Range<usize>,
    kind: MetadataBlockKind,
    wanted: &dyn Fn(&str) -> bool,
    aside: &mut Extracted,
) {
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
        if !wanted(key.trim().trim_matches(['"', '\''])) {
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
        } else if yaml && (value.is_empty() || value.starts_with('#')) {
            // A block sequence: `- item` lines below the key, indented or
            // level with it.
            while let Some(&(next_at, next)) = lines.peek() {
                let body = next.trim_end_matches(['\n', '\r']);
                let item = body.trim_start();
                let next_indent = body.len() - item.len();
                let is_item = item == "-" || item.starts_with("- ");
                if (!item.is_empty() && next_indent < indent) || (next_indent == indent && !is_item) {
                    break;
                }
                lines.next();
                if let Some(rest) = item.strip_prefix('-').filter(|_| is_item) {
                    let lead = rest.len() - rest.trim_start().len();
                    let (text, offset) = scalar(rest.trim(), yaml);
                    let from = aside.visible.len();
                    aside.push_verbatim(text, range.start + next_at + next_indent + 1 + lead + offset);
                    aside.end_block(BlockKind::Meta, from);
                }
            }
            continue;
        } else if let Some(items) = flow_sequence(value, yaml) {
            for (offset, item) in items {
                let from = aside.visible.len();
                aside.push_verbatim(item, value_at + offset);
                aside.end_block(BlockKind::Meta, from);
            }
            continue;
        } else {
            let (text, offset) = scalar(value, yaml);
            aside.push_verbatim(text, value_at + offset);
        }
        aside.end_block(BlockKind::Meta, from);
    }
}

/// The items of a one-line list `[a, "b", 'c']` (YAML flow sequence or TOML
/// array), each as its offset in `value` and its text; `None` when `value`
/// is not such a list.
fn flow_sequence(value: &str, yaml: bool) -> Option<Vec<(usize, &str)>> {
    let body = value.strip_prefix('[')?;
    let bytes = body.as_bytes();
    let mut items = Vec::new();
    let (mut start, mut i, mut quote) = (0, 0, None::<u8>);
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b @ (b'"' | b'\'')) => quote = Some(b),
            (None, b',' | b']') => {
                let raw = &body[start..i];
                let lead = raw.len() - raw.trim_start().len();
                if !raw.trim().is_empty() {
                    let (text, offset) = scalar(raw.trim(), yaml);
                    items.push((1 + start + lead + offset, text));
                }
                if bytes[i] == b']' {
                    // Text after the list: not a list after all.
                    let after = body[i + 1..].trim();
                    return (after.is_empty() || (yaml && after.starts_with('#'))).then_some(items);
                }
                start = i + 1;
            }
            (None, _) => {}
        }
        i += 1;
    }
    None
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

/// The `<!-- … -->` comments in `source[range]`, each closed within it.
fn line_comments(source: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = range.start;
    while let Some(open) = source[from..range.end].find("<!--") {
        let start = from + open;
        let Some(close) = source[start + 4..range.end].find("-->") else { break };
        let end = start + 4 + close + 3;
        found.push(start..end);
        from = end;
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
        ex.blocks.iter().map(|b| ex.block_text(source, b)).collect()
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
                let v: Vec<_> = ex.visible.to_vec(source)[b.chars.clone()].to_vec();
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
    fn front_matter_reads_hugo_and_jekyll_text_keys_by_default() {
        let source = "---\nsummary: 症例数日本一\nlinkTitle: \"幹細胞\"\nlayout: post\nkeywords: [再生医療, \"日本一\" , 'No.1']\ntags:\n  - 日本一\nexcerpt: 抜粋\n---\n";
        let pairs = meta_spans(source);
        let texts: Vec<&str> = pairs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["症例数日本一", "幹細胞", "再生医療", "日本一", "No.1", "抜粋"]);
        for (text, span) in &pairs {
            assert_eq!(text, span);
        }
        let ex = extract(source);
        let no1 = ex.visible.to_vec(source).into_iter().find(|v| v.ch == 'N').unwrap();
        assert_eq!(no1.start as usize, source.find("No.1").unwrap());
    }

    #[test]
    fn front_matter_block_sequences_give_one_block_per_item() {
        let source =
            "---\nkeywords:\n  - 再生医療\n  - \"日本一の実績\" # 注\nsubtitle: 副題\nlead:\n- 必ず治る\n---\n本文\n";
        let got = meta_spans(source);
        assert_eq!(
            got.iter().map(|(t, s)| (t.as_str(), s.as_str())).collect::<Vec<_>>(),
            [("再生医療", "再生医療"), ("日本一の実績", "日本一の実績"), ("副題", "副題"), ("必ず治る", "必ず治る")]
        );
        let ex = extract(source);
        let first = ex.visible.to_vec(source).into_iter().find(|v| v.ch == '日').unwrap();
        assert_eq!(first.start as usize, source.find("日本一の実績").unwrap());
    }

    #[test]
    fn front_matter_keys_can_be_chosen() {
        let source = "+++\ntitle = \"題名\"\nseo_title = \"日本一\"\nKeywords = [\"a\", \"b\"]\n+++\n";
        let keys = ["SEO_title".to_string(), "keywords".to_string()];
        let ex = read_with(source, Some(&keys)).text;
        let got: Vec<String> = ex.blocks.iter().map(|b| ex.block_text(source, b)).collect();
        assert_eq!(got, ["日本一", "a", "b"]);
        assert!(read_with(source, Some(&[])).text.visible.is_empty());
    }

    #[test]
    fn a_bracket_that_opens_a_value_is_not_always_a_list() {
        let source = "---\ntitle: [PR] 日本一のクリニック\nkeywords: [a, b] # 注\n---\n";
        let texts: Vec<String> = meta_spans(source).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts, ["[PR] 日本一のクリニック", "a", "b"]);
    }

    #[test]
    fn a_comment_ending_a_table_row_is_a_comment() {
        let source = "| 施術 | 説明 |\n|---|---|\n| 日本一の実績 | 説明 | <!-- iryolint-disable-line a -- 受賞名 -->\n| 必ず | 治る <!-- b --> |\n";
        let Comments::Ranges(ranges) = read(source).comments else { panic!("markdown has comment ranges") };
        let got: Vec<&str> = ranges.iter().map(|r| &source[r.clone()]).collect();
        assert_eq!(got, ["<!-- iryolint-disable-line a -- 受賞名 -->", "<!-- b -->"]);
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
        let first = ex.visible.to_vec(source).into_iter().find(|v| v.ch == '題').unwrap();
        assert_eq!(&source[first.start as usize..first.end as usize], "題");
    }
}
