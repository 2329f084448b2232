//! Sorted lists of hit ranges with range queries, so that checking a
//! candidate against the hits of a long document costs a binary search, not
//! a scan of every hit.

use std::ops::Range;

/// Byte ranges sorted by start, with the longest length, for window and
/// overlap queries.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    items: Vec<Range<usize>>,
    max_len: usize,
}

impl Spans {
    /// Adds a range (call [`Spans::finish`] before querying).
    pub fn push(&mut self, r: Range<usize>) {
        self.max_len = self.max_len.max(r.len());
        self.items.push(r);
    }

    /// Sorts the ranges; queries need this.
    pub fn finish(&mut self) {
        self.items.sort_unstable_by_key(|r| (r.start, r.end));
        self.items.dedup();
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All ranges, sorted by start.
    pub fn as_slice(&self) -> &[Range<usize>] {
        &self.items
    }

    /// Ranges lying wholly inside `window`.
    pub fn within<'a>(&'a self, window: &Range<usize>) -> impl Iterator<Item = &'a Range<usize>> + 'a {
        let from = self.items.partition_point(|r| r.start < window.start);
        let (end, w_end) = (window.end, window.end);
        self.items[from..].iter().take_while(move |r| r.start < end).filter(move |r| r.end <= w_end)
    }

    /// Whether any range lies wholly inside `window`.
    pub fn any_within(&self, window: &Range<usize>) -> bool {
        self.within(window).next().is_some()
    }

    /// Whether any range shares a byte with `range`.
    pub fn any_overlapping(&self, range: &Range<usize>) -> bool {
        if range.is_empty() {
            return false;
        }
        let lo = range.start.saturating_sub(self.max_len);
        let from = self.items.partition_point(|r| r.start < lo);
        self.items[from..].iter().take_while(|r| r.start < range.end).any(|r| r.end > range.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_a_linear_scan() {
        let mut s = Spans::default();
        let ranges = [5..9, 0..3, 2..12, 20..21, 8..10, 15..19];
        for r in &ranges {
            s.push(r.clone());
        }
        s.finish();
        for a in 0..25 {
            for b in a..26 {
                let w = a..b;
                let within: Vec<_> = s.within(&w).cloned().collect();
                let mut expect: Vec<_> = ranges.iter().filter(|r| r.start >= a && r.end <= b).cloned().collect();
                expect.sort_by_key(|r| (r.start, r.end));
                assert_eq!(within, expect, "{w:?}");
                let overlap = ranges.iter().any(|r| r.start < b && r.end > a);
                assert_eq!(s.any_overlapping(&w), overlap && b > a, "{w:?}");
            }
        }
    }
}
