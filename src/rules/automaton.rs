//! The literal automaton: every folded literal of a pack in one
//! Aho-Corasick automaton over bytes, kept as flat tables.
//!
//! The tables are plain little-endian `u32`s, so `build.rs` writes the
//! embedded pack's automaton into the binary and a run scans with the
//! tables where they lie in the binary, copying nothing, instead of
//! building it (the `aho-corasick` crate has no
//! serialized form, and building its automaton over ~6,000 literals took
//! longer than checking a page). A scan reports every occurrence of every
//! literal, overlapping, as the standard Aho-Corasick semantics do.
//!
//! States at depth ≤ [`DENSE_DEPTH`] (the root and the first bytes of a
//! character, where most scanning happens) have a full row of 256
//! transitions with the failure links already followed; deeper states keep
//! their few transitions sorted by byte and fall back along failure links;
//! a state with one transition (most of a trie's deep states) keeps it in
//! its own row, so that a step reads one place in memory, not two. A state
//! is four words (16 bytes, four to a cache line): the scan waits on the
//! state table, not on work, so its size is what a step costs.

use std::borrow::Cow;
use std::collections::VecDeque;

/// States this shallow get a dense row.
const DENSE_DEPTH: u32 = 2;

/// No dense row.
const NONE: u32 = u32::MAX;

/// Tag and version of the serialized form.
const MAGIC: u32 = 0x4952_4C03;

/// Words per state in the state table: the start and end of its sparse
/// transitions (or its one transition and [`SINGLE`], or its dense row and
/// [`DENSE`]), its failure link, and the start of its outputs (they end
/// where the next state's start; a last row, reached by no transition,
/// ends the last state's).
const STATE_WORDS: usize = 4;

/// In a state's second word: the first holds its one transition.
const SINGLE: u32 = u32::MAX;

/// In a state's second word: the first is the index of its dense row.
const DENSE: u32 = u32::MAX - 1;

/// A table of little-endian `u32`s: borrowed from the binary (the embedded
/// pack's) or owned (an automaton built by this run).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Words(Cow<'static, [u8]>);

impl Words {
    fn owned(words: &[u32]) -> Words {
        Words(Cow::Owned(words.iter().flat_map(|w| w.to_le_bytes()).collect()))
    }

    /// Word `i`.
    #[inline]
    fn get(&self, i: usize) -> u32 {
        let b = &self.0[i * 4..i * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn len(&self) -> usize {
        self.0.len() / 4
    }

    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// An Aho-Corasick automaton over the bytes of a list of literals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literals {
    /// [`STATE_WORDS`] words per state.
    states: Words,
    /// Dense rows, 256 entries each.
    dense: Words,
    /// Sparse transitions: `(next << 8) | byte`, sorted by byte per state.
    trans: Words,
    /// Literal ids, per state: those ending there, the longest first.
    outputs: Words,
    /// Byte length of each literal.
    lens: Words,
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
        assert!(n < 1 << 24, "too many automaton states for 24-bit links");
        let (mut states, mut trans, mut outputs) = (Vec::with_capacity((n + 1) * STATE_WORDS), Vec::new(), Vec::new());
        for s in 0..n {
            let mut transitions = goto[s].iter().map(|&(b, t)| (t << 8) | b as u32);
            let (first, second) = match (dense_of[s], goto[s].len(), transitions.next()) {
                (row, _, _) if row != NONE => (row, DENSE),
                (_, 1, Some(only)) => (only, SINGLE),
                (_, _, first) => {
                    let start = trans.len() as u32;
                    trans.extend(first.into_iter().chain(transitions));
                    (start, trans.len() as u32)
                }
            };
            states.extend([first, second, fail[s] as u32, outputs.len() as u32]);
            outputs.extend(&outputs_of[s]);
        }
        // The last row: only its start of outputs is read (as the end of
        // the last state's); it is a copy of the root otherwise.
        states.extend([dense_of[0], DENSE, 0, outputs.len() as u32]);
        let lens: Vec<u32> = patterns.iter().map(|p| p.len() as u32).collect();
        Literals {
            states: Words::owned(&states),
            dense: Words::owned(&dense),
            trans: Words::owned(&trans),
            outputs: Words::owned(&outputs),
            lens: Words::owned(&lens),
        }
    }

    /// Word `k` of state `s`.
    #[inline]
    fn state(&self, s: u32, k: usize) -> u32 {
        self.states.get(s as usize * STATE_WORDS + k)
    }

    /// The number of states (the table's last row is not one).
    fn len(&self) -> usize {
        (self.states.len() / STATE_WORDS).saturating_sub(1)
    }

    /// The four words of state `s` (one bounds check for all of them).
    #[inline]
    fn state_row(&self, s: u32) -> [u32; STATE_WORDS] {
        let at = s as usize * STATE_WORDS * 4;
        let bytes: &[u8; STATE_WORDS * 4] = self.states.0[at..at + STATE_WORDS * 4].try_into().expect("a whole state");
        std::array::from_fn(|k| {
            u32::from_le_bytes([bytes[4 * k], bytes[4 * k + 1], bytes[4 * k + 2], bytes[4 * k + 3]])
        })
    }

    /// The range of state `s`'s outputs.
    #[inline]
    fn outputs_of(&self, s: u32) -> std::ops::Range<u32> {
        self.state(s, 3)..self.state(s + 1, 3)
    }

    /// The state after `s` reads byte `b`.
    #[inline]
    fn next(&self, mut s: u32, b: u8) -> u32 {
        loop {
            let [first, second, fail, _] = self.state_row(s);
            if second == DENSE {
                return self.dense.get(first as usize * 256 + b as usize);
            }
            if second == SINGLE {
                if first as u8 == b {
                    return first >> 8;
                }
                s = fail;
                continue;
            }
            for i in first..second {
                let t = self.trans.get(i as usize);
                let tb = t as u8;
                if tb == b {
                    return t >> 8;
                }
                if tb > b {
                    break;
                }
            }
            s = fail;
        }
    }

    /// Calls `found(start, end, id)` for every occurrence of every literal
    /// in `haystack`, in order of their ends.
    pub fn for_each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut s = 0u32;
        for (i, &b) in haystack.iter().enumerate() {
            s = self.next(s, b);
            for o in self.outputs_of(s) {
                let id = self.outputs.get(o as usize) as usize;
                let end = i + 1;
                found(end.saturating_sub(self.lens.get(id) as usize), end, id);
            }
        }
    }

    /// The tables as little-endian `u32`s (what `build.rs` embeds): a
    /// header of [`MAGIC`] and the length of each table, then the tables.
    pub fn to_bytes(&self) -> Vec<u8> {
        let tables = [&self.states, &self.dense, &self.trans, &self.outputs, &self.lens];
        let mut bytes: Vec<u8> = MAGIC.to_le_bytes().to_vec();
        for table in tables {
            bytes.extend((table.len() as u32).to_le_bytes());
        }
        for table in tables {
            bytes.extend_from_slice(&table.0);
        }
        bytes
    }

    /// Reads tables written by [`Literals::to_bytes`] where they lie,
    /// copying nothing; `None` when they are not well formed (every index
    /// is checked, so a scan cannot go out of bounds or loop).
    pub fn from_bytes(bytes: &'static [u8]) -> Option<Literals> {
        let literals = Literals::from_bytes_unchecked(bytes)?;
        literals.is_well_formed().then_some(literals)
    }

    /// [`Literals::from_bytes`] without the check of every index: for the
    /// tables that `build.rs` wrote into this binary (the test suite checks
    /// them). Reading them costs nothing but the header.
    pub fn from_bytes_unchecked(bytes: &'static [u8]) -> Option<Literals> {
        let word = |i: usize| bytes.get(i * 4..i * 4 + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        if word(0)? != MAGIC {
            return None;
        }
        let mut at = 6 * 4;
        let mut table = |i: usize| -> Option<Words> {
            let len = word(i)? as usize * 4;
            let words = Words(Cow::Borrowed(bytes.get(at..at + len)?));
            at += len;
            Some(words)
        };
        let literals =
            Literals { states: table(1)?, dense: table(2)?, trans: table(3)?, outputs: table(4)?, lens: table(5)? };
        (at == bytes.len() && literals.states.len().is_multiple_of(STATE_WORDS)).then_some(literals)
    }

    /// Whether every index in the tables is in bounds and every chain of
    /// failure links ends at a state with a dense row (the root has one).
    pub fn is_well_formed(&self) -> bool {
        let n = self.len();
        let dense_rows = self.dense.len() / 256;
        n > 0
            && self.states.len().is_multiple_of(STATE_WORDS)
            && self.dense.len().is_multiple_of(256)
            && self.state(0, 1) == DENSE
            && self.state(n as u32, 1) == DENSE
            && (self.state(n as u32, 0) as usize) < dense_rows
            && self.dense.iter().all(|t| (t as usize) < n)
            && self.trans.iter().all(|t| ((t >> 8) as usize) < n)
            && self.outputs.iter().all(|id| (id as usize) < self.lens.len())
            && (self.state(n as u32, 3) as usize) <= self.outputs.len()
            && (0..n as u32).all(|s| {
                let [first, second, fail, _] = self.state_row(s);
                let outputs = self.outputs_of(s);
                let transitions_in_bounds = match second {
                    DENSE => (first as usize) < dense_rows,
                    SINGLE => ((first >> 8) as usize) < n,
                    end => first <= end && (end as usize) <= self.trans.len(),
                };
                transitions_in_bounds && (fail as usize) < n && outputs.start <= outputs.end
            })
            && self.failure_chains_end()
    }

    /// Whether following failure links from any state reaches a dense
    /// state (where [`Literals::next`] stops), with no cycle before it.
    fn failure_chains_end(&self) -> bool {
        const UNKNOWN: u8 = 0;
        const ON_PATH: u8 = 1;
        const ENDS: u8 = 2;
        let n = self.len();
        let mut mark = vec![UNKNOWN; n];
        let mut path = Vec::new();
        for start in 0..n as u32 {
            let mut s = start;
            loop {
                match mark[s as usize] {
                    ENDS => break,
                    ON_PATH => return false,
                    _ if self.state(s, 1) == DENSE => break,
                    _ => {
                        mark[s as usize] = ON_PATH;
                        path.push(s);
                        s = self.state(s, 2);
                    }
                }
            }
            for p in path.drain(..) {
                mark[p as usize] = ENDS;
            }
        }
        true
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

    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
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
        assert_eq!(Literals::from_bytes(leak(literals.to_bytes())), Some(literals.clone()));
        let mut bad = literals.to_bytes();
        bad[8] = 0xFF; // the number of states
        assert_eq!(Literals::from_bytes(leak(bad)), None);
        let sparse = (0..literals.len()).find(|&s| literals.state(s as u32, 1) != DENSE).unwrap();
        let mut bad = literals.to_bytes();
        let fail_of_sparse = 6 * 4 + (sparse * STATE_WORDS + 2) * 4;
        bad[fail_of_sparse..fail_of_sparse + 4].copy_from_slice(&(sparse as u32).to_le_bytes());
        assert_eq!(Literals::from_bytes(leak(bad)), None, "a failure link to itself");
        let mut bad = literals.to_bytes();
        let first_state_fail = 6 * 4 + 2 * 4;
        bad[first_state_fail + 3] = 0x7F; // a failure link out of bounds
        assert_eq!(Literals::from_bytes(leak(bad)), None);
        // A state with one transition keeps it in its row: its target must
        // be a state too.
        let single = (0..literals.len())
            .find(|&s| literals.state(s as u32, 1) == SINGLE)
            .expect("the trie of 副作用 has states with one transition");
        let mut bad = literals.to_bytes();
        let transition = 6 * 4 + single * STATE_WORDS * 4;
        bad[transition + 3] = 0x7F; // its target out of bounds
        assert_eq!(Literals::from_bytes(leak(bad)), None, "a single transition out of bounds");
    }
}
