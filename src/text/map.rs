//! Compact maps from the normalized text back to the source.
//!
//! A [`Document`](super::Document) needs two maps: from every byte of its
//! normalized text to the visible character that produced it
//! ([`OriginMap`]), and from every visible character to its source bytes
//! ([`VisibleMap`]). Stored plainly they cost 4 bytes per normalized byte
//! and 12 bytes per visible character, several times the size of the
//! input. Both are runs instead:
//!
//! - an [`OriginMap`] run says "from text byte `at` on, the `k`-th
//!   character of the text comes from visible character `vis + k`" (for at
//!   most [`RUN_CHARS`] characters, so a lookup counts at most that many);
//!   a character whose bytes come from two visible characters (a composed
//!   voiced mark) gets byte runs of its own;
//! - a [`VisibleMap`] segment says "visible characters `vis..` are the
//!   source characters from byte `src` on, in order" (at most
//!   [`SEGMENT_CHARS`] of them, so a lookup decodes at most that many
//!   characters); a character that is not its own source bytes (a
//!   decoded character reference) is kept whole.
//!
//! Lookups return exactly what the plain maps held (the property tests in
//! `tests/spans.rs` compare them on every byte).

use super::VisChar;

/// One run of an [`OriginMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// First text byte of the run.
    at: usize,
    /// The visible character of that byte.
    vis: u32,
    /// Bytes per visible character in the run; 0: one visible character
    /// per character of the text (whatever its length in bytes).
    width: u32,
}

/// The most characters of text one character run of an [`OriginMap`]
/// covers: a lookup counts at most this many characters.
pub const RUN_CHARS: u32 = 64;

/// For every byte of the normalized text, the index of the visible
/// character that produced it, as runs.
///
/// Most runs are character runs: the `k`-th character of the text from
/// the run's start comes from visible character `vis + k` (a folded
/// character is one character of the text for one visible character).
/// Where that does not hold (a voiced mark composed into the character
/// before it), byte runs say "byte `at + k` comes from `vis + k / width`".
#[derive(Debug, Default)]
pub struct OriginMap {
    runs: Vec<Run>,
    len: usize,
}

impl OriginMap {
    /// Builds the map of `text`, given `origin` (one entry per byte).
    pub fn from_slice(text: &str, origin: &[u32]) -> OriginMap {
        let mut map = OriginMap::default();
        map.extend(text, origin);
        map
    }

    /// Appends the bytes of `text` (which follows the text already mapped),
    /// given their origin (one entry per byte).
    pub fn extend(&mut self, text: &str, origin: &[u32]) {
        assert_eq!(text.len(), origin.len(), "one origin per byte");
        let bytes = text.as_bytes();
        let mut p = 0;
        while p < origin.len() {
            // A character run, as long as every byte of the k-th character
            // comes from visible character vis + k.
            let vis = origin[p];
            let (mut q, mut k) = (p, 0u32);
            while q < origin.len() && k < RUN_CHARS {
                let len = char_len(bytes[q]).min(origin.len() - q);
                let want = u64::from(vis) + u64::from(k);
                if !origin[q..q + len].iter().all(|&o| u64::from(o) == want) {
                    break;
                }
                q += len;
                k += 1;
            }
            if k > 0 {
                self.runs.push(Run { at: self.len + p, vis, width: 0 });
                p = q;
                continue;
            }
            // A character whose bytes come from several visible
            // characters: one byte run per group of equal origins.
            let end = p + char_len(bytes[p]).min(origin.len() - p);
            while p < end {
                let vis = origin[p];
                let mut q = p + 1;
                while q < end && origin[q] == vis {
                    q += 1;
                }
                self.runs.push(Run { at: self.len + p, vis, width: (q - p) as u32 });
                p = q;
            }
        }
        self.len += origin.len();
    }

    /// Frees the spare capacity of the runs, when there is much.
    pub fn shrink_to_fit(&mut self) {
        if self.runs.capacity() > self.runs.len() + self.runs.len() / 4 + 256 {
            self.runs.shrink_to_fit();
        }
    }

    /// The visible character of byte `at` of `text` (the text the map was
    /// built with; `at` must be mapped).
    pub fn get(&self, text: &str, at: usize) -> u32 {
        assert!(at < self.len, "byte {at} of {} mapped", self.len);
        let run = &self.runs[self.runs.partition_point(|r| r.at <= at) - 1];
        if run.width > 0 {
            return run.vis + ((at - run.at) / run.width as usize) as u32;
        }
        // Characters that start after the run's first byte, up to `at`.
        let starts = text.as_bytes()[run.at + 1..=at].iter().filter(|&&b| (b as i8) >= -0x40).count();
        run.vis + starts as u32
    }

    /// The number of bytes mapped.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte is mapped.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of memory the runs take (for measurements).
    pub fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Run>()
    }
}

/// The length of the UTF-8 character that starts with byte `b` (1 for a
/// byte that starts none).
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The most visible characters one source segment of a [`VisibleMap`]
/// covers: a lookup decodes at most this many characters of the source.
pub const SEGMENT_CHARS: u32 = 32;

/// One segment of a [`VisibleMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    /// The first visible character of the segment.
    vis: u32,
    /// Source byte of that character, or (`explicit`) its index in
    /// [`VisibleMap::explicit`].
    src: u32,
    /// Whether the segment's characters are kept whole.
    explicit: bool,
}

/// Every visible character of a source with its source range, as segments
/// of consecutive source characters.
///
/// Extractors append to it as they read ([`VisibleMap::push_verbatim`],
/// [`VisibleMap::push_explicit`]), so that a large file never holds its
/// visible characters at 12 bytes each.
#[derive(Debug, Default)]
pub struct VisibleMap {
    segments: Vec<Segment>,
    /// The characters that are not their own source bytes.
    explicit: Vec<VisChar>,
    len: usize,
    /// The last segment, when it is verbatim: its length in characters and
    /// the source byte after its last character.
    open: Option<(u32, u32)>,
}

impl VisibleMap {
    /// Builds the map of `visible`, whose ranges are byte ranges of
    /// `source`.
    pub fn build(visible: &[VisChar], source: &str) -> VisibleMap {
        let mut map = VisibleMap::default();
        for v in visible {
            let (start, end) = (v.start as usize, v.end as usize);
            let verbatim =
                end == start + v.ch.len_utf8() && source.get(start..).and_then(|s| s.chars().next()) == Some(v.ch);
            if verbatim {
                map.push_verbatim(v.ch, v.start);
            } else {
                map.push_explicit(*v);
            }
        }
        map
    }

    /// Appends a visible character that is its own source bytes, from
    /// source byte `start` on.
    pub fn push_verbatim(&mut self, ch: char, start: u32) {
        let end = start + ch.len_utf8() as u32;
        match &mut self.open {
            Some((len, seg_end)) if *seg_end == start && *len < SEGMENT_CHARS => {
                *len += 1;
                *seg_end = end;
            }
            _ => {
                self.segments.push(Segment { vis: self.len as u32, src: start, explicit: false });
                self.open = Some((1, end));
            }
        }
        self.len += 1;
    }

    /// Appends a visible character that stands for other source bytes
    /// (a decoded character reference, say).
    pub fn push_explicit(&mut self, v: VisChar) {
        let extends = self.open.is_none() && self.segments.last().is_some_and(|s| s.explicit);
        if !extends {
            self.segments.push(Segment { vis: self.len as u32, src: self.explicit.len() as u32, explicit: true });
        }
        self.open = None;
        self.explicit.push(v);
        self.len += 1;
    }

    /// Appends the characters of `other` after these.
    pub fn append(&mut self, other: VisibleMap) {
        let (vis, explicit) = (self.len as u32, self.explicit.len() as u32);
        self.segments.extend(other.segments.into_iter().map(|s| Segment {
            vis: s.vis + vis,
            src: if s.explicit { s.src + explicit } else { s.src },
            explicit: s.explicit,
        }));
        self.explicit.extend(other.explicit);
        self.len += other.len;
        self.open = other.open;
    }

    /// Moves every source range `by` bytes on (for text read from a slice
    /// that starts `by` bytes into the source).
    pub fn shift_source(&mut self, by: u32) {
        for s in self.segments.iter_mut().filter(|s| !s.explicit) {
            s.src += by;
        }
        for v in &mut self.explicit {
            v.start += by;
            v.end += by;
        }
        if let Some((_, end)) = &mut self.open {
            *end += by;
        }
    }

    /// Visible character `index` (which must exist), its source range from
    /// `source` (the text the map was built with).
    pub fn get(&self, source: &str, index: u32) -> VisChar {
        self.iter_from(source, index).next().expect("a visible character")
    }

    /// The visible characters from `index` on (`index` at most the
    /// number of characters).
    pub fn iter_from<'a>(&'a self, source: &'a str, index: u32) -> VisibleIter<'a> {
        assert!((index as usize) <= self.len, "visible character {index} of {}", self.len);
        let mut iter = VisibleIter { map: self, source, segment: 0, next: index, src: 0 };
        if (index as usize) < self.len {
            iter.segment = self.segments.partition_point(|s| s.vis <= index) - 1;
            let seg = self.segments[iter.segment];
            iter.src = seg.src as usize;
            if !seg.explicit {
                // Skip the characters of the segment before `index`.
                let skip = (index - seg.vis) as usize;
                iter.src += source[iter.src..].chars().take(skip).map(char::len_utf8).sum::<usize>();
            }
        }
        iter
    }

    /// Every visible character, as a plain list (for tests and checks).
    pub fn to_vec(&self, source: &str) -> Vec<VisChar> {
        self.iter_from(source, 0).collect()
    }

    /// The number of visible characters.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Frees the spare capacity of the segments, when there is much.
    pub fn shrink_to_fit(&mut self) {
        if self.segments.capacity() > self.segments.len() + self.segments.len() / 4 + 256 {
            self.segments.shrink_to_fit();
        }
    }

    /// Bytes of memory the map takes (for measurements).
    pub fn heap_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<Segment>()
            + self.explicit.capacity() * std::mem::size_of::<VisChar>()
    }
}

/// The visible characters of a [`VisibleMap`] from one on, in order.
pub struct VisibleIter<'a> {
    map: &'a VisibleMap,
    source: &'a str,
    /// The segment of the next character.
    segment: usize,
    /// The index of the next character.
    next: u32,
    /// In a verbatim segment, the source byte of the next character.
    src: usize,
}

impl Iterator for VisibleIter<'_> {
    type Item = VisChar;

    fn next(&mut self) -> Option<VisChar> {
        if self.next as usize >= self.map.len {
            return None;
        }
        let segments = &self.map.segments;
        if self.segment + 1 < segments.len() && segments[self.segment + 1].vis <= self.next {
            self.segment += 1;
            self.src = segments[self.segment].src as usize;
        }
        let seg = segments[self.segment];
        self.next += 1;
        if seg.explicit {
            return Some(self.map.explicit[seg.src as usize + (self.next - 1 - seg.vis) as usize]);
        }
        let ch = self.source[self.src..].chars().next().expect("a source character");
        let start = self.src as u32;
        self.src += ch.len_utf8();
        Some(VisChar { ch, start, end: self.src as u32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_runs_give_back_every_byte() {
        // あ from 0, b from 1, ガ from 2 and its mark 3, c from 5 (4 was
        // dropped), い from 6, a newline from 6.
        let text = "あbガcい\n";
        let origin = [0, 0, 0, 1, 2, 3, 3, 5, 6, 6, 6, 6];
        let map = OriginMap::from_slice(text, &origin);
        for (i, &o) in origin.iter().enumerate() {
            assert_eq!(map.get(text, i), o, "byte {i}");
        }
        let mut two = OriginMap::default();
        two.extend(&text[..4], &origin[..4]);
        two.extend(&text[4..], &origin[4..]);
        for (i, &o) in origin.iter().enumerate() {
            assert_eq!(two.get(text, i), o, "byte {i}");
        }
    }

    #[test]
    fn mixed_scripts_are_one_run_per_run_chars() {
        let text = "あa1。".repeat(32);
        let origin: Vec<u32> = text.chars().enumerate().flat_map(|(i, c)| vec![i as u32; c.len_utf8()]).collect();
        let map = OriginMap::from_slice(&text, &origin);
        assert_eq!(map.runs.len(), 2);
        for (i, &o) in origin.iter().enumerate() {
            assert_eq!(map.get(&text, i), o, "byte {i}");
        }
    }

    #[test]
    fn visible_characters_come_back_whole() {
        let source = "治&#x308B;\nです𠮷";
        let mut visible = vec![VisChar { ch: '治', start: 0, end: 3 }, VisChar { ch: 'る', start: 3, end: 11 }];
        for (i, ch) in source[11..].char_indices() {
            let start = 11 + i as u32;
            visible.push(VisChar { ch, start, end: start + ch.len_utf8() as u32 });
        }
        let map = VisibleMap::build(&visible, source);
        for (i, v) in visible.iter().enumerate() {
            assert_eq!(map.get(source, i as u32), *v, "character {i}");
        }
        let all: Vec<VisChar> = map.iter_from(source, 0).collect();
        assert_eq!(all, visible);
    }

    #[test]
    fn appended_and_shifted_maps_give_back_every_character() {
        // 「本文」 at 0, then a slice read on its own (at byte 10 of the
        // source): 治, an entity for る, です.
        let source = "本文\n\n治&#x308B;です";
        let mut first = VisibleMap::default();
        for (i, ch) in source[..6].char_indices() {
            first.push_verbatim(ch, i as u32);
        }
        let slice = &source[8..];
        let mut second = VisibleMap::default();
        second.push_verbatim('治', 0);
        second.push_explicit(VisChar { ch: 'る', start: 3, end: 11 });
        for (i, ch) in slice[11..].char_indices() {
            second.push_verbatim(ch, 11 + i as u32);
        }
        second.shift_source(8);
        first.append(second);
        let got: Vec<(char, &str)> =
            first.to_vec(source).iter().map(|v| (v.ch, &source[v.start as usize..v.end as usize])).collect();
        assert_eq!(got, [('本', "本"), ('文', "文"), ('治', "治"), ('る', "&#x308B;"), ('で', "で"), ('す', "す")]);
        assert_eq!(first.get(source, 4).ch, 'で');
        assert_eq!(first.iter_from(source, 6).count(), 0);
    }
}
