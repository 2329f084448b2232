//! Compact maps from the normalized text back to the source.
//!
//! A [`Document`](super::Document) needs two maps: from every byte of its
//! normalized text to the visible character that produced it
//! ([`OriginMap`]), and from every visible character to its source bytes
//! ([`VisibleMap`]). Stored plainly they cost 4 bytes per normalized byte
//! and 12 bytes per visible character, several times the size of the
//! input. Both are runs instead:
//!
//! - an [`OriginMap`] run says "from text byte `at` on, byte `at + k`
//!   comes from visible character `vis + k / width`": a run of Japanese
//!   text is one run of width 3, a run of ASCII one of width 1;
//! - a [`VisibleMap`] segment says "visible characters `vis..` are the
//!   source characters from byte `src` on, in order" (at most
//!   [`SEGMENT_CHARS`] of them, so a lookup decodes at most that many
//!   characters); a character that is not its own source bytes (a
//!   decoded character reference) is kept whole.
//!
//! Lookups return exactly what the plain maps held (the property tests in
//! `tests/spans.rs` compare them on every byte).

use super::VisChar;

/// One arithmetic run of an [`OriginMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// First text byte of the run.
    at: usize,
    /// The visible character of that byte.
    vis: u32,
    /// Bytes per visible character in the run (at least 1).
    width: u32,
}

/// For every byte of the normalized text, the index of the visible
/// character that produced it, as arithmetic runs.
#[derive(Debug, Default)]
pub struct OriginMap {
    runs: Vec<Run>,
    len: usize,
}

impl OriginMap {
    /// Builds the map of `origin` (one entry per byte).
    pub fn from_slice(origin: &[u32]) -> OriginMap {
        let mut map = OriginMap::default();
        map.extend(origin);
        map
    }

    /// Appends the bytes of `origin` (one entry per byte, following the
    /// bytes already mapped).
    pub fn extend(&mut self, origin: &[u32]) {
        let mut p = 0;
        while p < origin.len() {
            let vis = origin[p];
            let mut q = p + 1;
            while q < origin.len() && origin[q] == vis {
                q += 1;
            }
            let width = (q - p) as u32;
            while q < origin.len() && u64::from(origin[q]) == u64::from(vis) + ((q - p) as u64 / u64::from(width)) {
                q += 1;
            }
            self.runs.push(Run { at: self.len + p, vis, width });
            p = q;
        }
        self.len += origin.len();
    }

    /// The visible character of text byte `at` (which must be mapped).
    pub fn get(&self, at: usize) -> u32 {
        assert!(at < self.len, "byte {at} of {} mapped", self.len);
        let run = &self.runs[self.runs.partition_point(|r| r.at <= at) - 1];
        run.vis + ((at - run.at) / run.width as usize) as u32
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
#[derive(Debug, Default)]
pub struct VisibleMap {
    segments: Vec<Segment>,
    /// The characters that are not their own source bytes.
    explicit: Vec<VisChar>,
    len: usize,
}

impl VisibleMap {
    /// Builds the map of `visible`, whose ranges are byte ranges of
    /// `source`.
    pub fn build(visible: &[VisChar], source: &str) -> VisibleMap {
        let mut segments: Vec<Segment> = Vec::new();
        let mut explicit: Vec<VisChar> = Vec::new();
        // The current segment: verbatim (with its length and end), or
        // explicit.
        let mut open: Option<(bool, u32, u32)> = None;
        for (i, v) in visible.iter().enumerate() {
            let (start, end) = (v.start as usize, v.end as usize);
            let verbatim = end == start + v.ch.len_utf8()
                && source.get(start..).and_then(|s| s.chars().next()) == Some(v.ch);
            let extends = match open {
                Some((true, len, seg_end)) => verbatim && seg_end == v.start && len < SEGMENT_CHARS,
                Some((false, _, _)) => !verbatim,
                None => false,
            };
            if !extends {
                let src = if verbatim { v.start } else { explicit.len() as u32 };
                segments.push(Segment { vis: i as u32, src, explicit: !verbatim });
                open = Some((verbatim, 0, v.start));
            }
            if !verbatim {
                explicit.push(*v);
            }
            if let Some((_, len, seg_end)) = &mut open {
                *len += 1;
                *seg_end = v.end;
            }
        }
        VisibleMap { segments, explicit, len: visible.len() }
    }

    /// Visible character `index` (which must exist), its source range from
    /// `source` (the text the map was built with).
    pub fn get(&self, source: &str, index: u32) -> VisChar {
        self.iter_from(source, index).next().expect("a visible character")
    }

    /// The visible characters from `index` on.
    pub fn iter_from<'a>(&'a self, source: &'a str, index: u32) -> impl Iterator<Item = VisChar> + 'a {
        assert!((index as usize) < self.len, "visible character {index} of {}", self.len);
        let first = self.segments.partition_point(|s| s.vis <= index) - 1;
        let skip = (index - self.segments[first].vis) as usize;
        self.segments[first..]
            .iter()
            .enumerate()
            .flat_map(move |(k, seg)| {
                let next = self.segments.get(first + k + 1).map_or(self.len as u32, |s| s.vis);
                let count = (next - seg.vis) as usize;
                let chars: Box<dyn Iterator<Item = VisChar> + 'a> = if seg.explicit {
                    let at = seg.src as usize;
                    Box::new(self.explicit[at..at + count].iter().copied())
                } else {
                    let at = seg.src as usize;
                    Box::new(source[at..].char_indices().take(count).map(move |(i, ch)| {
                        let start = (at + i) as u32;
                        VisChar { ch, start, end: start + ch.len_utf8() as u32 }
                    }))
                };
                chars
            })
            .skip(skip)
    }

    /// The number of visible characters.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of memory the map takes (for measurements).
    pub fn heap_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<Segment>()
            + self.explicit.capacity() * std::mem::size_of::<VisChar>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_runs_give_back_every_byte() {
        let origin = [0, 0, 0, 1, 1, 1, 2, 3, 4, 4, 4, 9, 5, 5, 7, 7, 7, 7, 8];
        let map = OriginMap::from_slice(&origin);
        for (i, &o) in origin.iter().enumerate() {
            assert_eq!(map.get(i), o, "byte {i}");
        }
        let mut two = OriginMap::default();
        two.extend(&origin[..7]);
        two.extend(&origin[7..]);
        for (i, &o) in origin.iter().enumerate() {
            assert_eq!(two.get(i), o, "byte {i}");
        }
    }

    #[test]
    fn japanese_text_is_one_run() {
        let origin: Vec<u32> = (0..300u32).flat_map(|c| [c, c, c]).collect();
        let map = OriginMap::from_slice(&origin);
        assert_eq!(map.runs.len(), 1);
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
}
