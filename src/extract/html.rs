//! HTML: the text a reader sees, with exact source offsets.
//!
//! A small forgiving tokenizer, in the spirit of the WHATWG one: it never
//! fails, reads a stray `<` as text, runs an unclosed comment or raw-text
//! element to the end of the input, and decodes character references
//! (`&amp;`, `&#x6cbb;`, `&#27835;`) into single visible characters whose
//! source range is the whole reference.
//!
//! What is read: text content, `alt` and `title` attributes, `<title>`, and
//! the `content` of `<meta name="description">` and of `og:title`,
//! `og:description` (and `twitter:` ones). What is skipped: `script`,
//! `style`, `noscript`, `template`, comments, and furigana (`rt`, `rp`:
//! up to `</rt>`, `</rp>`, the next `<rt>`, `</ruby>` or a block tag, as
//! browsers close them; `<rt/>` opens one like `<rt>`).
//! Block elements (`p`, `li`, `h1`…, `td`, `div`, `br`…) end a block, and
//! so a sentence; inline elements (`strong`, `span`, `a`…) do not, so
//! `<strong>必ず</strong>治ります` is one phrase.

use std::ops::Range;

use super::entities::decode_reference;
use super::{Comments, Extraction};
use crate::text::{BlockKind, Extracted};

/// Elements whose content is raw text, never shown as page text.
pub(super) const RAW_SKIPPED: &[&str] =
    &["script", "style", "noscript", "template", "xmp", "iframe", "noembed", "noframes"];

/// Elements that end a block when they open or close.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "button",
    "select",
    "textarea",
    "img",
    "video",
    "audio",
    "canvas",
    "svg",
];

/// Extracts the visible text of an HTML page.
pub fn extract(source: &str) -> Extracted {
    read(source).text
}

/// Extracts the visible text of an HTML page and the ranges of its
/// comments.
pub fn read(source: &str) -> Extraction {
    let mut x = Extractor {
        src: source,
        out: Extracted::default(),
        block_start: 0,
        kind: BlockKind::Paragraph,
        in_furigana: false,
        attributes: Extracted::default(),
        comments: Vec::new(),
    };
    x.run();
    x.finish_block(BlockKind::Paragraph);
    let mut out = x.out;
    out.append(x.attributes);
    Extraction { text: out, comments: Comments::Ranges(x.comments) }
}

struct Extractor<'a> {
    src: &'a str,
    out: Extracted,
    /// Index in `out.visible` where the current block began.
    block_start: usize,
    /// Kind of the current block.
    kind: BlockKind,
    /// Inside `rt`/`rp` (furigana), whose text is skipped.
    in_furigana: bool,
    /// Attribute texts (alt, title, meta content), appended after the page
    /// text as blocks of their own.
    attributes: Extracted,
    /// Ranges of the comments that are closed.
    comments: Vec<Range<usize>>,
}

/// A parsed tag.
struct Tag<'a> {
    name: String,
    end: bool,
    attrs: Vec<Attr<'a>>,
}

/// A parsed attribute: lower-case name, raw value and its source offset.
struct Attr<'a> {
    name: String,
    value: &'a str,
    at: usize,
}

impl<'a> Extractor<'a> {
    fn run(&mut self) {
        let bytes = self.src.as_bytes();
        let mut i = 0;
        let mut text_start = 0;
        while i < bytes.len() {
            if bytes[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &self.src[i..];
            let markup_end = if let Some(body) = rest.strip_prefix("<!--") {
                let end = body.find("-->").map(|e| i + 4 + e + 3);
                if let Some(end) = end {
                    self.comments.push(i..end);
                }
                Some(end.unwrap_or(self.src.len()))
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                Some(rest.find('>').map_or(self.src.len(), |e| i + e + 1))
            } else if starts_tag(rest) {
                None
            } else {
                i += 1;
                continue;
            };
            self.text(text_start, i);
            if let Some(end) = markup_end {
                i = end;
                text_start = i;
                continue;
            }
            let (tag, end) = parse_tag(self.src, i);
            i = end;
            text_start = i;
            if !tag.end && RAW_SKIPPED.contains(&tag.name.as_str()) {
                i = find_end_tag(self.src, i, &tag.name);
                text_start = i;
                continue;
            }
            self.tag(&tag);
            if !tag.end && tag.name == "title" {
                // RCDATA: text with references, no tags, until </title>.
                let close = find_close_start(self.src, i, "title");
                self.finish_block(BlockKind::Paragraph);
                self.kind = BlockKind::Heading;
                self.text(i, close);
                self.finish_block(BlockKind::Paragraph);
                i = find_end_tag(self.src, i, "title");
                text_start = i;
            } else if !tag.end && tag.name == "textarea" {
                i = find_end_tag(self.src, i, "textarea");
                text_start = i;
            }
        }
        self.text(text_start, self.src.len());
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        if matches!(name, "rt" | "rp") {
            // Not nested: a second `<rt>` closes the first, and a
            // self-closing `<rt/>` is an opening tag (HTML ignores the slash).
            self.in_furigana = !tag.end;
            return;
        }
        if name == "ruby" || BLOCK.contains(&name) {
            // `</ruby>` closes an open `rt`; so does any block boundary, so
            // that a stray one never hides the rest of the page.
            self.in_furigana = false;
        }
        if name == "br" {
            // A line break ends the sentence but not the list item or cell.
            self.finish_block(self.kind);
            return;
        }
        if BLOCK.contains(&name) {
            self.finish_block(BlockKind::Paragraph);
            if !tag.end {
                self.kind = match name {
                    "li" | "dt" | "dd" | "option" => BlockKind::ListItem,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "caption" | "summary" | "legend" => BlockKind::Heading,
                    "td" | "th" => BlockKind::TableCell,
                    _ => BlockKind::Paragraph,
                };
            }
        }
        if tag.end {
            return;
        }
        let attr = |n: &str| tag.attrs.iter().find(|a| a.name == n);
        if name == "meta" {
            let key = attr("name").or_else(|| attr("property")).map(|a| a.value.to_ascii_lowercase());
            let wanted = matches!(
                key.as_deref(),
                Some("description" | "og:title" | "og:description" | "twitter:title" | "twitter:description")
            );
            if let (true, Some(content)) = (wanted, attr("content")) {
                self.attribute_block(content);
            }
            return;
        }
        for a in &tag.attrs {
            if a.name == "alt" || a.name == "title" {
                self.attribute_block(a);
            }
        }
    }

    /// An attribute value is a block of its own, kept aside so that the
    /// text block around the tag stays whole.
    fn attribute_block(&mut self, a: &Attr) {
        let from = self.attributes.visible.len();
        push_decoded(&mut self.attributes, a.value, a.at);
        self.attributes.end_block(BlockKind::Meta, from);
    }

    fn text(&mut self, from: usize, to: usize) {
        if from < to && !self.in_furigana {
            push_decoded(&mut self.out, &self.src[from..to], from);
        }
    }

    fn finish_block(&mut self, next: BlockKind) {
        self.out.end_block(self.kind, self.block_start);
        self.block_start = self.out.visible.len();
        self.kind = next;
    }
}

/// Appends `raw` (from source offset `at`) with character references
/// decoded.
fn push_decoded(out: &mut Extracted, raw: &str, at: usize) {
    let mut i = 0;
    let mut plain = 0;
    while let Some(amp) = raw[i..].find('&') {
        let p = i + amp;
        match decode_reference(&raw[p..]) {
            Some((ch, len)) => {
                out.push_verbatim(&raw[plain..p], at + plain);
                out.push_char(ch, at + p..at + p + len);
                i = p + len;
                plain = i;
            }
            None => i = p + 1,
        }
    }
    out.push_verbatim(&raw[plain..], at + plain);
}

fn starts_tag(rest: &str) -> bool {
    let b = rest.as_bytes();
    match b.get(1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(b'/') => b.get(2).is_some_and(|c| c.is_ascii_alphabetic()),
        _ => false,
    }
}

/// Parses the tag at `at` (which starts with `<` and a letter or `</`),
/// returning it and the offset after its `>` (or the end of input).
fn parse_tag(src: &str, at: usize) -> (Tag<'_>, usize) {
    let b = src.as_bytes();
    let mut i = at + 1;
    let end = b.get(i) == Some(&b'/');
    if end {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = src[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (Tag { name, end, attrs }, b.len());
        }
        if b[i] == b'>' {
            return (Tag { name, end, attrs }, i + 1);
        }
        let n0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        if i == n0 {
            i += 1;
            continue;
        }
        let attr_name = src[n0..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = ("", i);
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v0 = i + 1;
                    let v1 = src[v0..].find(q as char).map_or(src.len(), |e| v0 + e);
                    value = (&src[v0..v1], v0);
                    i = (v1 + 1).min(src.len());
                }
                _ => {
                    let v0 = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = (&src[v0..i], v0);
                }
            }
        }
        attrs.push(Attr { name: attr_name, value: value.0, at: value.1 });
    }
}

/// Offset of the `</name` that closes a raw-text element (or the end).
/// Reads only as far as that tag, so a page of many short elements is
/// read in linear time.
fn find_close_start(src: &str, from: usize, name: &str) -> usize {
    let b = src.as_bytes();
    let mut search = from;
    while let Some(p) = src[search..].find("</") {
        let at = search + p;
        let name_end = at + 2 + name.len();
        if b.get(at + 2..name_end).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(name_end).is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
        {
            return at;
        }
        search = at + 2;
    }
    src.len()
}

/// Offset after the end tag that closes a raw-text element (or the end).
fn find_end_tag(src: &str, from: usize, name: &str) -> usize {
    let close = find_close_start(src, from, name);
    src[close..].find('>').map_or(src.len(), |e| close + e + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(source: &str) -> Vec<(BlockKind, String)> {
        let ex = extract(source);
        ex.blocks.iter().map(|b| (b.kind, ex.block_text(source, b))).collect()
    }

    #[test]
    fn inline_tags_join_and_block_tags_split() {
        let got = blocks("<p>必ず<strong>治</strong>ります</p><li>一つ目<br>二つ目</li><h2>見出し</h2>");
        assert_eq!(
            got,
            [
                (BlockKind::Paragraph, "必ず治ります".to_string()),
                (BlockKind::ListItem, "一つ目".to_string()),
                (BlockKind::ListItem, "二つ目".to_string()),
                (BlockKind::Heading, "見出し".to_string()),
            ]
        );
    }

    #[test]
    fn hidden_content_is_skipped_and_attributes_read() {
        let source = r#"<head><title>題名</title><meta name="description" content="説明文"><meta name="viewport" content="x">
<script>var s = "<p>隠れ</p>";</script><style>p{}</style></head>
<body><!-- コメント --><p>本文<ruby>漢<rt>かん</rt></ruby><img alt="代替" title="補足"></p><template><p>型</p></template><noscript>無</noscript></body>"#;
        let texts: Vec<String> = blocks(source).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["題名", "本文漢", "説明文", "代替", "補足"]);
    }

    #[test]
    fn references_are_decoded_with_their_whole_source_range() {
        let source = "<p>&#x6cbb;る&amp;A &bogus; a < b</p>";
        let ex = extract(source);
        let visible = ex.visible.to_vec(source);
        let text: String = visible.iter().map(|v| v.ch).collect();
        assert_eq!(text, "治る&A &bogus; a < b");
        assert_eq!(&source[visible[0].start as usize..visible[0].end as usize], "&#x6cbb;");
    }

    #[test]
    fn furigana_ends_at_ruby_end_or_a_block_even_when_rt_is_not_closed() {
        let texts = |s: &str| blocks(s).into_iter().map(|(_, t)| t).collect::<Vec<_>>();
        assert_eq!(texts("<p><ruby>漢<rt>かん</ruby>字です</p><p>次</p>"), ["漢字です", "次"]);
        assert_eq!(texts("<p><ruby>漢<rt/>かん</ruby>字</p><p>次</p>"), ["漢字", "次"]);
        assert_eq!(texts("<p><ruby>漢<rp>(</rp><rt>かん<rp>)</rp></ruby>字</p>"), ["漢字"]);
        assert_eq!(texts("<p>a<rt>ルビ</p><p>本文</p>"), ["a", "本文"]);
    }

    #[test]
    fn comments_are_only_real_comments() {
        let source = "<script>var s=\"<!-- a -->\";</script><img alt=\"<!-- b -->\"><textarea><!-- c --></textarea><!-- d --><p>x</p><!-- open";
        let Comments::Ranges(ranges) = read(source).comments else { panic!("html has comment ranges") };
        let got: Vec<&str> = ranges.iter().map(|r| &source[r.clone()]).collect();
        assert_eq!(got, ["<!-- d -->"]);
    }

    #[test]
    fn raw_text_end_tags_match_case_insensitively_and_whole() {
        let texts = |s: &str| blocks(s).into_iter().map(|(_, t)| t).collect::<Vec<_>>();
        assert_eq!(texts("<script>a</scripts>b</SCRIPT ><p>本文</p>"), ["本文"]);
        assert_eq!(texts("<title>題</TITLE><p>本文</p>"), ["題", "本文"]);
    }

    #[test]
    fn broken_markup_never_panics_and_keeps_text() {
        for source in ["<p>未閉じ", "<!-- 終わらない", "<script>永遠", "<a href='x", "<", "&#", "<p\n>本文</p>", "</>"]
        {
            let _ = extract(source);
        }
        assert_eq!(blocks("<p\n>本文</p>"), [(BlockKind::Paragraph, "本文".to_string())]);
    }
}
