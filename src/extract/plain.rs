//! Plain text: paragraphs, list items and headings from line structure.
//!
//! A blank line ends a paragraph. A line that starts with a bullet or a
//! number (`・`, `•`, `-`, `1.`, `①`…) is a list item of its own, and one
//! that starts with a heading mark (`■`, `【`, `#`…) is a heading, and one
//! that is a table row (`| 痛み | 少なめ |`) is a table cell block. Other
//! lines continue the paragraph above when that paragraph's last line looks
//! hard-wrapped (long, and not ending in sentence punctuation); otherwise
//! they start a new one.

use crate::source::lines_inclusive;
use crate::text::{BlockKind, Extracted};

/// A line at least this many characters long that ends without punctuation
/// is taken as hard-wrapped.
const WRAP_MIN_CHARS: usize = 16;

/// Extracts blocks from plain text.
pub fn extract(source: &str) -> Extracted {
    extract_with(source, true)
}

/// Extracts blocks from text whose every line is a paragraph of its own
/// (the plain-text view of a Word document): lines never join.
pub fn extract_lines(source: &str) -> Extracted {
    extract_with(source, false)
}

fn extract_with(source: &str, join_wrapped: bool) -> Extracted {
    let mut out = Extracted::default();
    let mut open: Option<(BlockKind, usize)> = None;
    let mut prev_wraps = false;
    // Whether the open block is one short line that could caption a list.
    let mut open_is_caption = false;
    for (line_start, line) in lines_inclusive(source) {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        let kind = classify(trimmed);
        let continues = matches!(open, Some((BlockKind::Paragraph, _)))
            && kind == BlockKind::Paragraph
            && prev_wraps
            && !trimmed.is_empty();
        if !continues {
            if let Some((k, from)) = open.take() {
                // A short line that is no sentence, right above a list or a
                // paragraph (「点滴に向いている方」, 「患者様の声」), is their
                // heading: it governs what follows as a heading does.
                let captions = matches!(kind, BlockKind::ListItem | BlockKind::Paragraph | BlockKind::TableCell)
                    && !trimmed.is_empty();
                let k = if k == BlockKind::Paragraph && open_is_caption && captions { BlockKind::Heading } else { k };
                out.end_block(k, from);
            }
            open_is_caption = is_caption(trimmed.trim_end());
        } else {
            open_is_caption = false;
        }
        if trimmed.is_empty() {
            prev_wraps = false;
            continue;
        }
        if open.is_none() {
            open = Some((kind, out.visible.len()));
        }
        out.push_verbatim(line, line_start);
        prev_wraps = join_wrapped && looks_wrapped(trimmed.trim_end());
    }
    if let Some((k, from)) = open {
        out.end_block(k, from);
    }
    out
}

fn classify(line: &str) -> BlockKind {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return BlockKind::Paragraph;
    };
    match first {
        '・' | '•' | '●' | '○' | '◎' | '◯' | '✓' | '✔' | '▶' | '►' | '→' | '※' | '①'..='⑳' => {
            BlockKind::ListItem
        }
        '-' | '*' | '+' | 'ー' if chars.next().is_some_and(char::is_whitespace) => BlockKind::ListItem,
        '■' | '□' | '◆' | '◇' | '【' | '#' | '▼' | '▽' | '★' | '☆' => BlockKind::Heading,
        // A table row (| ダウンタイム | ほとんどなし |: a bar first and at
        // least three in all) is a block of its own: rows never join as
        // wrapped lines, and a row's label and value are one clause. A
        // heading decorated with a bar (｜患者様の声) is no row.
        '|' | '｜' if line.chars().filter(|&c| c == '|' || c == '｜').count() >= 3 => BlockKind::TableCell,
        c if c.is_ascii_digit() || ('０'..='９').contains(&c) => {
            let rest: String =
                line.chars().skip_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).take(1).collect();
            if matches!(rest.as_str(), "." | ")" | "．" | "）" | "、") {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            }
        }
        _ => BlockKind::Paragraph,
    }
}

/// Longest line (characters) read as the caption of the list below it.
const CAPTION_MAX_CHARS: usize = 30;

/// Whether a line could caption a list: short, and not a sentence (no
/// full stop or other sentence end inside or at its end).
fn is_caption(line: &str) -> bool {
    !line.is_empty()
        && line.chars().count() <= CAPTION_MAX_CHARS
        && !line.contains(['。', '！', '!', '？', '?'])
        && classify(line) == BlockKind::Paragraph
}

fn looks_wrapped(line: &str) -> bool {
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    !matches!(last, '。' | '！' | '？' | '!' | '?' | '：' | ':' | '」' | '』' | '）' | ')' | '】')
        && line.chars().count() >= WRAP_MIN_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(source: &str) -> Vec<(BlockKind, String)> {
        let ex = extract(source);
        ex.blocks.iter().map(|b| (b.kind, ex.block_text(source, b).trim().to_string())).collect()
    }

    #[test]
    fn list_items_and_headings_are_their_own_blocks() {
        let got = blocks("■ 当院の特徴\nこのような方に\n・肌のハリ\n・疲れやすい\n\n本文です。\n");
        assert_eq!(
            got,
            [
                (BlockKind::Heading, "■ 当院の特徴".to_string()),
                // A short line right above a list captions it.
                (BlockKind::Heading, "このような方に".to_string()),
                (BlockKind::ListItem, "・肌のハリ".to_string()),
                (BlockKind::ListItem, "・疲れやすい".to_string()),
                (BlockKind::Paragraph, "本文です。".to_string()),
            ]
        );
    }

    #[test]
    fn table_rows_are_blocks_of_their_own_even_when_long() {
        let long = "| ダウンタイム | 施術の直後から赤みが出ることがありますが数日で落ち着いていきます |";
        let source = format!("{long}\n| 料金 | 1回 33,000円 |\n");
        assert_eq!(
            blocks(&source),
            [(BlockKind::TableCell, long.to_string()), (BlockKind::TableCell, "| 料金 | 1回 33,000円 |".to_string())]
        );
    }

    #[test]
    fn a_bar_before_a_heading_makes_no_row_and_a_caption_heads_a_table() {
        assert_eq!(
            blocks("｜患者様の声\n注射のあと痛みが引いていきました。\n"),
            [
                (BlockKind::Heading, "｜患者様の声".to_string()),
                (BlockKind::Paragraph, "注射のあと痛みが引いていきました。".to_string()),
            ]
        );
        assert_eq!(
            blocks("当院のHIFUについて\n| ダウンタイム | ほぼなし |\n"),
            [
                (BlockKind::Heading, "当院のHIFUについて".to_string()),
                (BlockKind::TableCell, "| ダウンタイム | ほぼなし |".to_string()),
            ]
        );
    }

    #[test]
    fn a_short_line_right_above_a_paragraph_heads_it() {
        let got = blocks("患者様の声\n注射のあと痛みが引いていきました。\n\n短い行\n\n本文です。\n");
        assert_eq!(
            got,
            [
                (BlockKind::Heading, "患者様の声".to_string()),
                (BlockKind::Paragraph, "注射のあと痛みが引いていきました。".to_string()),
                // A blank line between: no telling what it heads.
                (BlockKind::Paragraph, "短い行".to_string()),
                (BlockKind::Paragraph, "本文です。".to_string()),
            ]
        );
    }

    #[test]
    fn only_a_short_line_that_is_no_sentence_captions_a_list() {
        let got = blocks(
            "点滴は週に1回です。
・肌のハリ

こちらの点滴は、疲れを感じている方や肌の調子が気になる方に向けたものです
・肌のハリ
",
        );
        assert_eq!(got[0].0, BlockKind::Paragraph, "a sentence");
        assert_eq!(got[2].0, BlockKind::Paragraph, "a long line");
        let got = blocks(
            "向いている方

・肌のハリ
",
        );
        assert_eq!(got[0].0, BlockKind::Paragraph, "a blank line between");
    }

    #[test]
    fn hard_wrapped_lines_join() {
        let got = blocks("エクソソーム点滴を受けた方の多くが必ず\n治ると感じています。\n次の段落\n");
        assert_eq!(got.len(), 2);
        assert!(got[0].1.contains("必ず\n治る"));
    }

    #[test]
    fn cr_only_line_endings_separate_lines() {
        let got = blocks("■ 見出し\r・項目\r\r本文です。\r");
        assert_eq!(
            got,
            [
                (BlockKind::Heading, "■ 見出し".to_string()),
                (BlockKind::ListItem, "・項目".to_string()),
                (BlockKind::Paragraph, "本文です。".to_string()),
            ]
        );
    }

    #[test]
    fn visible_chars_carry_source_offsets() {
        let source = "一\n\n二三\n";
        let ex = extract(source);
        let last = ex.visible.to_vec(source).into_iter().find(|v| v.ch == '三').unwrap();
        assert_eq!(&source[last.start as usize..last.end as usize], "三");
    }
}
