//! Sorted lists of hit ranges with range queries, so that checking a
//! candidate against the hits of a long document costs a binary search, not
//! a scan of every hit.

use std::ops::Range;

/// Byte ranges sorted by start, with the longest length, for window and
/// overlap queries. Stored as pairs of `u32` (half of `Range<usize>`: a
/// long document holds millions of hits). A document's text is under
/// 4 GiB (`lint` refuses larger inputs).
#[derive(Debug, Default, Clone)]
pub struct Spans {
    items: Vec<(u32, u32)>,
    max_len: usize,
}

fn pack(r: Range<usize>) -> (u32, u32) {
    let narrow = |at: usize| u32::try_from(at).expect("a document's text is under 4 GiB");
    (narrow(r.start), narrow(r.end))
}

fn unpack(&(start, end): &(u32, u32)) -> Range<usize> {
    start as usize..end as usize
}

impl Spans {
    /// Adds a range (call [`Spans::finish`] before querying).
    pub fn push(&mut self, r: Range<usize>) {
        self.max_len = self.max_len.max(r.len());
        self.items.push(pack(r));
    }

    /// Bytes its list holds on the heap (its capacity).
    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<(u32, u32)>()
    }

    /// Empties it, keeping its capacity.
    pub fn clear(&mut self) {
        self.items.clear();
        self.max_len = 0;
    }

    /// Sorts the ranges; queries need this.
    pub fn finish(&mut self) {
        self.items.sort_unstable();
        self.items.dedup();
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All ranges, sorted by start.
    pub fn iter(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.items.iter().map(unpack)
    }

    /// Ranges lying wholly inside `window`.
    pub fn within<'a>(&'a self, window: &Range<usize>) -> impl Iterator<Item = Range<usize>> + 'a {
        let from = self.items.partition_point(|&(s, _)| (s as usize) < window.start);
        let (end, w_end) = (window.end, window.end);
        self.items[from..].iter().map(unpack).take_while(move |r| r.start < end).filter(move |r| r.end <= w_end)
    }

    /// Whether any range lies wholly inside `window`.
    pub fn any_within(&self, window: &Range<usize>) -> bool {
        self.within(window).next().is_some()
    }

    /// Whether any range starts at byte `at`.
    pub fn any_starting_at(&self, at: usize) -> bool {
        let from = self.items.partition_point(|&(s, _)| (s as usize) < at);
        self.items.get(from).is_some_and(|&(s, _)| s as usize == at)
    }

    /// Whether any range shares a byte with `range`.
    pub fn any_overlapping(&self, range: &Range<usize>) -> bool {
        if range.is_empty() {
            return false;
        }
        let lo = range.start.saturating_sub(self.max_len);
        let from = self.items.partition_point(|&(s, _)| (s as usize) < lo);
        self.items[from..].iter().map(unpack).take_while(|r| r.start < range.end).any(|r| r.end > range.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_a_linear_scan() {
        let mut s = Spans::default();
        let ranges = [5..9, 0..3, 2..12, 20..21, 8..10, 15..19, 5..7];
        for r in &ranges {
            s.push(r.clone());
        }
        s.finish();
        for a in 0..25 {
            for b in a..26 {
                let w = a..b;
                let within: Vec<_> = s.within(&w).collect();
                let mut expect: Vec<_> = ranges.iter().filter(|r| r.start >= a && r.end <= b).cloned().collect();
                expect.sort_by_key(|r| (r.start, r.end));
                assert_eq!(within, expect, "{w:?}");
                let overlap = ranges.iter().any(|r| r.start < b && r.end > a);
                assert_eq!(s.any_overlapping(&w), overlap && b > a, "{w:?}");
            }
            assert_eq!(s.any_starting_at(a), ranges.iter().any(|r| r.start == a), "{a}");
        }
    }
}
