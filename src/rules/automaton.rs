//! The literal automaton: every folded literal of a pack in one
//! Aho-Corasick automaton over bytes, kept as flat tables.
//!
//! The tables are plain `u32`s, so `build.rs` writes the embedded pack's
//! automaton into the binary and a run reads it back in a fraction of a
//! millisecond instead of building it (the `aho-corasick` crate has no
//! serialized form, and building its automaton over ~6,000 literals took
//! longer than checking a page). A scan reports every occurrence of every
//! literal, overlapping, as the standard Aho-Corasick semantics do.
//!
//! States at depth ≤ [`DENSE_DEPTH`] (the root and the first bytes of a
//! character, where most scanning happens) have a full row of 256
//! transitions with the failure links already followed; deeper states keep
//! their few transitions sorted by byte and fall back along failure links.

use std::collections::VecDeque;

/// States this shallow get a dense row.
const DENSE_DEPTH: u32 = 2;

/// No dense row.
const NONE: u32 = u32::MAX;

/// Tag and version of the serialized form.
const MAGIC: u32 = 0x4952_4C01;

/// One state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct State {
    /// Index of its dense row in [`Literals::dense`], or [`NONE`].
    dense: u32,
    /// Its transitions: `Literals::trans[trans_start..trans_end]`.
    trans_start: u32,
    trans_end: u32,
    /// The state of the longest proper suffix that is a trie state.
    fail: u32,
    /// The literals that end here: `Literals::outputs[out_start..out_end]`.
    out_start: u32,
    out_end: u32,
}

/// An Aho-Corasick automaton over the bytes of a list of literals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Literals {
    states: Vec<State>,
    /// Dense rows, 256 entries each.
    dense: Vec<u32>,
    /// Sparse transitions: `(next << 8) | byte`, sorted by byte per state.
    trans: Vec<u32>,
    /// Literal ids, per state: those ending there, the longest first.
    outputs: Vec<u32>,
    /// Byte length of each literal.
    lens: Vec<u32>,
}

impl Literals {
    /// Builds the automaton of `patterns` (each non-empty; a literal's id
    /// is its index).
    pub fn build(patterns: &[String]) -> Literals {
        // The trie: sorted transitions per state, literals ending there.
        let mut goto: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        let mut depth: Vec<u32> = vec![0];
        for (id, pattern) in patterns.iter().enumerate() {
            let mut s = 0usize;
            for &b in pattern.as_bytes() {
                s = match goto[s].binary_search_by_key(&b, |t| t.0) {
                    Ok(i) => goto[s][i].1 as usize,
                    Err(i) => {
                        let next = goto.len();
                        goto[s].insert(i, (b, next as u32));
                        goto.push(Vec::new());
                        own.push(Vec::new());
                        depth.push(depth[s] + 1);
                        next
                    }
                };
            }
            own[s].push(id as u32);
        }
        let step = |goto: &[Vec<(u8, u32)>], s: usize, b: u8| {
            goto[s].binary_search_by_key(&b, |t| t.0).ok().map(|i| goto[s][i].1 as usize)
        };
        // Failure links, breadth first.
        let n = goto.len();
        let mut fail = vec![0usize; n];
        let mut order = Vec::with_capacity(n);
        let mut queue = VecDeque::from([0usize]);
        while let Some(s) = queue.pop_front() {
            order.push(s);
            for &(b, t) in &goto[s] {
                let t = t as usize;
                queue.push_back(t);
                if s == 0 {
                    continue;
                }
                let mut f = fail[s];
                fail[t] = loop {
                    if let Some(next) = step(&goto, f, b) {
                        break next;
                    }
                    if f == 0 {
                        break 0;
                    }
                    f = fail[f];
                };
            }
        }
        // Outputs (a state's own literals, then its failure state's) and
        // dense rows, in breadth-first order so that a failure state is
        // always done first.
        let mut outputs_of: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut dense_of = vec![NONE; n];
        let mut dense: Vec<u32> = Vec::new();
        for &s in &order {
            let mut out = own[s].clone();
            out.sort_by_key(|&id| std::cmp::Reverse(patterns[id as usize].len()));
            if s != 0 {
                out.extend(outputs_of[fail[s]].iter().copied());
            }
            outputs_of[s] = out;
            if depth[s] <= DENSE_DEPTH {
                let row_start = dense.len();
                for b in 0..=255u8 {
                    let next = match step(&goto, s, b) {
                        Some(next) => next as u32,
                        None if s == 0 => 0,
                        None => dense[dense_of[fail[s]] as usize * 256 + b as usize],
                    };
                    dense.push(next);
                }
                dense_of[s] = (row_start / 256) as u32;
            }
        }
        let mut literals = Literals {
            states: Vec::with_capacity(n),
            dense,
            trans: Vec::new(),
            outputs: Vec::new(),
            lens: patterns.iter().map(|p| p.len() as u32).collect(),
        };
        for s in 0..n {
            let trans_start = literals.trans.len() as u32;
            literals.trans.extend(goto[s].iter().map(|&(b, t)| (t << 8) | b as u32));
            let out_start = literals.outputs.len() as u32;
            literals.outputs.extend(&outputs_of[s]);
            literals.states.push(State {
                dense: dense_of[s],
                trans_start,
                trans_end: literals.trans.len() as u32,
                fail: fail[s] as u32,
                out_start,
                out_end: literals.outputs.len() as u32,
            });
        }
        assert!(n < 1 << 24, "too many automaton states for 24-bit links");
        literals
    }

    /// The state after `s` reads byte `b`.
    #[inline]
    fn next(&self, mut s: u32, b: u8) -> u32 {
        loop {
            let state = &self.states[s as usize];
            if state.dense != NONE {
                return self.dense[state.dense as usize * 256 + b as usize];
            }
            for &t in &self.trans[state.trans_start as usize..state.trans_end as usize] {
                let tb = t as u8;
                if tb == b {
                    return t >> 8;
                }
                if tb > b {
                    break;
                }
            }
            s = state.fail;
        }
    }

    /// Calls `found(start, end, id)` for every occurrence of every literal
    /// in `haystack`, in order of their ends.
    pub fn for_each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut s = 0u32;
        for (i, &b) in haystack.iter().enumerate() {
            s = self.next(s, b);
            let state = &self.states[s as usize];
            for &id in &self.outputs[state.out_start as usize..state.out_end as usize] {
                let end = i + 1;
                found(end.saturating_sub(self.lens[id as usize] as usize), end, id as usize);
            }
        }
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.states.len() * std::mem::size_of::<State>()
            + (self.dense.len() + self.trans.len() + self.outputs.len() + self.lens.len()) * 4
    }

    /// The tables as little-endian `u32`s (what `build.rs` embeds).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut words = vec![
            MAGIC,
            self.states.len() as u32,
            self.dense.len() as u32,
            self.trans.len() as u32,
            self.outputs.len() as u32,
            self.lens.len() as u32,
        ];
        for s in &self.states {
            words.extend([s.dense, s.trans_start, s.trans_end, s.fail, s.out_start, s.out_end]);
        }
        for table in [&self.dense, &self.trans, &self.outputs, &self.lens] {
            words.extend(table.iter().copied());
        }
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// Reads tables written by [`Literals::to_bytes`]; `None` when they are
    /// not well formed (every index is checked, so a scan cannot go out of
    /// bounds).
    pub fn from_bytes(bytes: &[u8]) -> Option<Literals> {
        if bytes.len() % 4 != 0 {
            return None;
        }
        let words: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let (&[magic, states, dense, trans, outputs, lens], rest) = words.split_first_chunk::<6>()?;
        let (states, dense, trans, outputs, lens) =
            (states as usize, dense as usize, trans as usize, outputs as usize, lens as usize);
        if magic != MAGIC || rest.len() != states * 6 + dense + trans + outputs + lens {
            return None;
        }
        let (state_words, rest) = rest.split_at(states * 6);
        let (dense_t, rest) = rest.split_at(dense);
        let (trans_t, rest) = rest.split_at(trans);
        let (outputs_t, lens_t) = rest.split_at(outputs);
        let literals = Literals {
            states: state_words
                .chunks_exact(6)
                .map(|w| State {
                    dense: w[0],
                    trans_start: w[1],
                    trans_end: w[2],
                    fail: w[3],
                    out_start: w[4],
                    out_end: w[5],
                })
                .collect(),
            dense: dense_t.to_vec(),
            trans: trans_t.to_vec(),
            outputs: outputs_t.to_vec(),
            lens: lens_t.to_vec(),
        };
        literals.is_well_formed().then_some(literals)
    }

    fn is_well_formed(&self) -> bool {
        let n = self.states.len();
        n > 0
            && self.dense.len() % 256 == 0
            && self.states[0].dense == 0
            && self.dense.iter().all(|&t| (t as usize) < n)
            && self.trans.iter().all(|&t| ((t >> 8) as usize) < n)
            && self.outputs.iter().all(|&id| (id as usize) < self.lens.len())
            && self.states.iter().all(|s| {
                (s.dense == NONE || (s.dense as usize) < self.dense.len() / 256)
                    && s.trans_start <= s.trans_end
                    && (s.trans_end as usize) <= self.trans.len()
                    && (s.fail as usize) < n
                    && s.out_start <= s.out_end
                    && (s.out_end as usize) <= self.outputs.len()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence of every pattern, by brute force.
    fn naive(patterns: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            for (at, _) in text.match_indices(p.as_str()) {
                out.push((at, at + p.len(), id));
            }
            // match_indices does not overlap: add the overlapping ones.
            let mut from = 0;
            while let Some(at) = text[from..].find(p.as_str()) {
                out.push((from + at, from + at + p.len(), id));
                from += at + text[from + at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn scan(literals: &Literals, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        literals.for_each_match(text.as_bytes(), |s, e, id| out.push((s, e, id)));
        out.sort();
        out
    }

    #[test]
    fn finds_every_overlapping_occurrence() {
        let patterns: Vec<String> = ["治", "治る", "必ず治る", "る", "ああ", "a", "ab", "bab", "治療", "療法"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let literals = Literals::build(&patterns);
        for text in ["必ず治る治療法です", "ああああ", "abababab", "", "治治治る", "xbabx"] {
            assert_eq!(scan(&literals, text), naive(&patterns, text), "{text}");
        }
    }

    #[test]
    fn round_trips_through_bytes() {
        let patterns: Vec<String> = ["副作用", "作用", "用"].iter().map(|s| s.to_string()).collect();
        let literals = Literals::build(&patterns);
        assert_eq!(Literals::from_bytes(&literals.to_bytes()), Some(literals.clone()));
        let mut bad = literals.to_bytes();
        bad[8] = 0xFF; // the number of states
        assert_eq!(Literals::from_bytes(&bad), None);
        let mut bad = literals.to_bytes();
        let first_state_fail = 6 * 4 + 3 * 4;
        bad[first_state_fail + 3] = 0x7F; // a failure link out of bounds
        assert_eq!(Literals::from_bytes(&bad), None);
    }
}
