//! Markdown: prose, headings, list items, table cells, link text and image
//! alt text, with exact source offsets (pulldown-cmark's offset iterator).
//!
//! Skipped: fenced and indented code, inline code, URLs, HTML comments.
//! Raw HTML blocks go through the HTML extractor. Front matter (YAML `---`
//! or TOML `+++`): only `title` and `description` are read. Emphasis does
//! not split a block, so `**必ず**治ります` is one phrase.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html;
use crate::text::{BlockKind, Extracted};

/// Extracts the visible text of a Markdown document.
pub fn extract(source: &str) -> Extracted {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = Extracted::default();
    let mut aside = Extracted::default();
    let mut block = OpenBlock { start: 0, kind: BlockKind::Paragraph };
    let mut in_code = 0usize;
    let mut in_metadata = false;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
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
            Event::Text(text) if in_metadata => front_matter(source, range, &text, &mut aside),
            Event::Text(_) if in_code > 0 => {}
            Event::Text(text) => push_aligned(&mut out, source, range, &text),
            Event::SoftBreak => out.push_char('\n', range),
            Event::HardBreak => block.finish(&mut out, block.kind),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if raw.trim_start().starts_with("<!--") {
                    continue;
                }
                if is_line_break_tag(&raw) {
                    block.finish(&mut out, block.kind);
                    continue;
                }
                let mut shifted = html::extract(&source[range.clone()]);
                for v in &mut shifted.visible {
                    v.start += range.start as u32;
                    v.end += range.start as u32;
                }
                aside.append(shifted);
            }
            _ => {}
        }
    }
    block.finish(&mut out, BlockKind::Paragraph);
    out.append(aside);
    out
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

/// Reads `title` and `description` from YAML or TOML front matter.
fn front_matter(source: &str, range: Range<usize>, text: &str, aside: &mut Extracted) {
    let block = &source[range.clone()];
    // The event text is the block's content; find where it sits.
    let base = range.start + block.find(text.lines().next().unwrap_or("")).unwrap_or(0);
    let mut offset = base;
    for line in source[base..range.end].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let Some((key, value)) = line.split_once([':', '=']) else {
            continue;
        };
        if !matches!(key.trim(), "title" | "description") {
            continue;
        }
        let value_at = line_start + key.len() + 1;
        let trimmed = value.trim_end_matches(['\n', '\r']).trim();
        let lead = value.find(trimmed).unwrap_or(0);
        let unquoted = trimmed.trim_matches(['"', '\'']);
        let quote = usize::from(unquoted.len() != trimmed.len() && !trimmed.is_empty());
        let from = aside.visible.len();
        aside.push_verbatim(unquoted, value_at + lead + quote);
        aside.end_block(BlockKind::Meta, from);
    }
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

    #[test]
    fn front_matter_values_map_to_their_source() {
        let source = "---\ntitle: '題名です'\n---\n本文\n";
        let ex = extract(source);
        let first = ex.visible.iter().find(|v| v.ch == '題').unwrap();
        assert_eq!(&source[first.start as usize..first.end as usize], "題");
    }
}
