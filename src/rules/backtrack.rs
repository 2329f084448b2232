//! A bounded backtracking matcher for the pack's regexes, compiled at build
//! time.
//!
//! A page needs a few dozen of the pack's regexes, each on a few short
//! sentences. Building a regex engine for each at run time (regex-lite's
//! parser and NFA, or the `regex` crate's UTF-8 automata for every bounded
//! repeat of a Unicode class) cost more than searching with it. Here
//! `build.rs` compiles each pattern once, from `regex-syntax`'s parse, into
//! a [`Program`]: a list of instructions over characters (literal strings,
//! classes as sorted character ranges, ordered splits). A run decodes the
//! program of a regex the first time a sentence needs it and searches by
//! backtracking, trying the alternatives of a split in the order the
//! pattern gives them, which is the leftmost-first semantics of the `regex`
//! crate. A visited set of (instruction, position) pairs, kept for the
//! whole search, bounds the work to the program's length times the
//! haystack's, as in `regex-automata`'s bounded backtracker; a search that
//! would need a larger set returns `None` and the caller uses the full
//! regex.
//!
//! What a program cannot say (byte classes, word boundaries, patterns that
//! may match the empty string, loops over something that may be empty) is
//! left to the full regex: [`Program::compile`] returns `None`.

use std::ops::Range;

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use serde::{Deserialize, Serialize};

/// Most bits of visited set one search may use (512 KiB): a longer
/// haystack goes to the full regex.
pub const MAX_VISITED_BITS: usize = 1 << 22;

/// Most instructions a program may have. A repetition copies its body
/// (`x+` is `x` then a loop over `x`, `x{0,n}` is n copies), so nested
/// repetitions grow as a product: `((x+)+)+…` forty-eight deep, from a team
/// rule file a fuzzer wrote, asked for 2^48 instructions and ran a machine
/// out of memory. A longer program could search only sentences of a few
/// dozen bytes within [`MAX_VISITED_BITS`] anyway; such a pattern is left
/// to the full regex, whose size the loader bounds.
pub const MAX_INSTS: usize = 1 << 16;

/// Most characters in [`Program::first_chars`]: a search checks a
/// candidate start against them by binary search.
const MAX_FIRST_CHARS: usize = 256;

/// One instruction of a [`Program`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Inst {
    /// These characters, in order: `text[start..end]`.
    Text(u32, u32),
    /// One of the literals `alts[start..end]` (each a range of `text`),
    /// tried in that order: an alternation of literals in one step.
    Alts(u32, u32),
    /// One character in one of the ranges `ranges[start..end]`
    /// (inclusive `(first, last)` code points, sorted).
    Class(u32, u32),
    /// Try the first instruction, then (when it fails) the second.
    Split(u32, u32),
    /// Go on at this instruction.
    Jump(u32),
    /// Record the position in slot 0 (start of `span`) or 1 (its end).
    Save(u8),
    /// A zero-width assertion.
    Assert(Assertion),
    /// A match ends here.
    Match,
}

/// The zero-width assertions a program can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Assertion {
    /// Start of the haystack (`^`, `\A`).
    Start,
    /// End of the haystack (`$`, `\z`).
    End,
    /// Start of a line (`(?m)^`).
    StartLine,
    /// End of a line (`(?m)$`).
    EndLine,
}

/// A regex compiled for the backtracker (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    insts: Vec<Inst>,
    /// The characters of every `Text`, one after another (one string to
    /// decode, not one per literal).
    text: String,
    /// The literals of every `Alts`, one after another, as ranges of `text`.
    alts: Vec<(u32, u32)>,
    /// The ranges of every `Class`, one after another.
    ranges: Vec<(char, char)>,
    /// Bit `b` is set when a match may start with byte `b`.
    first_bytes: [u64; 4],
    /// Whether the pattern has a `span` group (slots 0 and 1).
    span_group: bool,
    /// The characters a match may start with, sorted, when there are at
    /// most [`MAX_FIRST_CHARS`] (else empty, and only `first_bytes` is
    /// checked).
    first_chars: Vec<char>,
    /// The longest match in bytes, when the pattern bounds it.
    max_len: Option<u32>,
}

/// A match: the whole match and, when the program has one, its `span` group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The whole match.
    pub whole: Range<usize>,
    /// The `span` group, when it took part in the match.
    pub span: Option<Range<usize>>,
}

impl Program {
    /// Compiles `pattern` (parsed as the `regex` crate parses it); `None`
    /// when it does not parse or uses what a program cannot say.
    pub fn compile(pattern: &str) -> Option<Program> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
        if hir.properties().minimum_len().is_none_or(|n| n == 0) {
            return None;
        }
        let mut program = Program {
            insts: Vec::new(),
            text: String::new(),
            alts: Vec::new(),
            ranges: Vec::new(),
            first_bytes: [0; 4],
            span_group: false,
            first_chars: Vec::new(),
            max_len: hir.properties().maximum_len().and_then(|n| u32::try_from(n).ok()),
        };
        program.emit(&hir)?;
        program.insts.push(Inst::Match);
        let first = program.first_ranges()?;
        program.first_bytes = Program::leading_bytes(&first);
        program.first_chars = Program::few_chars(&first);
        Some(program)
    }

    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.insts.len()
    }

    /// Whether the program has no instruction (never: every program ends
    /// in `Match`).
    pub fn is_empty(&self) -> bool {
        self.insts.is_empty()
    }

    fn here(&self) -> u32 {
        self.insts.len() as u32
    }

    /// Appends the instructions of `hir`.
    fn emit(&mut self, hir: &Hir) -> Option<()> {
        match hir.kind() {
            HirKind::Empty => {}
            HirKind::Literal(lit) => {
                let start = self.text.len() as u32;
                self.text.push_str(std::str::from_utf8(&lit.0).ok()?);
                self.insts.push(Inst::Text(start, self.text.len() as u32));
            }
            HirKind::Class(Class::Unicode(class)) => {
                let start = self.ranges.len() as u32;
                self.ranges.extend(class.ranges().iter().map(|r| (r.start(), r.end())));
                self.insts.push(Inst::Class(start, self.ranges.len() as u32));
            }
            HirKind::Class(Class::Bytes(_)) => return None,
            HirKind::Look(look) => self.insts.push(Inst::Assert(match look {
                Look::Start => Assertion::Start,
                Look::End => Assertion::End,
                Look::StartLF => Assertion::StartLine,
                Look::EndLF => Assertion::EndLine,
                _ => return None,
            })),
            HirKind::Capture(cap) => match cap.name.as_deref() {
                Some("span") => {
                    self.span_group = true;
                    self.insts.push(Inst::Save(0));
                    self.emit(&cap.sub)?;
                    self.insts.push(Inst::Save(1));
                }
                _ => self.emit(&cap.sub)?,
            },
            HirKind::Concat(subs) => {
                for sub in subs {
                    self.emit(sub)?;
                }
            }
            HirKind::Alternation(subs) if subs.iter().all(|sub| matches!(sub.kind(), HirKind::Literal(_))) => {
                let start = self.alts.len() as u32;
                for sub in subs {
                    let HirKind::Literal(lit) = sub.kind() else { unreachable!() };
                    let at = self.text.len() as u32;
                    self.text.push_str(std::str::from_utf8(&lit.0).ok()?);
                    self.alts.push((at, self.text.len() as u32));
                }
                self.insts.push(Inst::Alts(start, self.alts.len() as u32));
            }
            HirKind::Alternation(subs) => {
                // Split(this, next) before each alternative but the last; a
                // Jump to the end after each.
                let mut jumps = Vec::new();
                for (i, sub) in subs.iter().enumerate() {
                    let last = i + 1 == subs.len();
                    let split = self.here();
                    if !last {
                        self.insts.push(Inst::Split(split + 1, 0));
                    }
                    self.emit(sub)?;
                    if !last {
                        jumps.push(self.here());
                        self.insts.push(Inst::Jump(0));
                        let next = self.here();
                        self.insts[split as usize] = Inst::Split(split + 1, next);
                    }
                }
                let end = self.here();
                for at in jumps {
                    self.insts[at as usize] = Inst::Jump(end);
                }
            }
            HirKind::Repetition(rep) => {
                let optional = rep.max.map(|max| max - rep.min);
                // A loop or optional part that may match nothing is where
                // backtrackers and the regex crate can part ways: not here.
                if optional != Some(0) && rep.sub.properties().minimum_len().is_none_or(|n| n == 0) {
                    return None;
                }
                for _ in 0..rep.min {
                    self.emit(&rep.sub)?;
                }
                match optional {
                    Some(n) => {
                        // x{0,n}: n nested optional copies, each split
                        // jumping past all of them.
                        let mut splits = Vec::new();
                        for _ in 0..n {
                            splits.push(self.here());
                            self.insts.push(Inst::Split(0, 0));
                            self.emit(&rep.sub)?;
                        }
                        let end = self.here();
                        for at in splits {
                            let (body, out) = (at + 1, end);
                            self.insts[at as usize] =
                                if rep.greedy { Inst::Split(body, out) } else { Inst::Split(out, body) };
                        }
                    }
                    None => {
                        let split = self.here();
                        self.insts.push(Inst::Split(0, 0));
                        self.emit(&rep.sub)?;
                        self.insts.push(Inst::Jump(split));
                        let (body, out) = (split + 1, self.here());
                        self.insts[split as usize] =
                            if rep.greedy { Inst::Split(body, out) } else { Inst::Split(out, body) };
                    }
                }
            }
        }
        // Checked after every part, so a pattern that grows as a product
        // is given up before it has grown far past the bound.
        if self.insts.len() > MAX_INSTS {
            return None;
        }
        Some(())
    }

    /// The characters a match may start with, as ranges, following splits
    /// and zero-width instructions from the start; `None` when a match may
    /// be empty.
    fn first_ranges(&self) -> Option<Vec<(char, char)>> {
        let mut ranges = Vec::new();
        let mut seen = vec![false; self.insts.len()];
        let mut todo = vec![0];
        let first = |at: u32| self.text[at as usize..].chars().next();
        while let Some(pc) = todo.pop() {
            if std::mem::replace(&mut seen[pc], true) {
                continue;
            }
            match &self.insts[pc] {
                Inst::Text(start, _) => ranges.push(first(*start).map(|c| (c, c))?),
                Inst::Alts(start, end) => {
                    for &(at, _) in &self.alts[*start as usize..*end as usize] {
                        ranges.push(first(at).map(|c| (c, c))?);
                    }
                }
                Inst::Class(start, end) => ranges.extend_from_slice(&self.ranges[*start as usize..*end as usize]),
                Inst::Split(a, b) => todo.extend([*a as usize, *b as usize]),
                Inst::Jump(a) => todo.push(*a as usize),
                Inst::Save(_) | Inst::Assert(_) => todo.push(pc + 1),
                Inst::Match => return None,
            }
        }
        Some(ranges)
    }

    /// The first bytes of the characters in `ranges`, as a set.
    fn leading_bytes(ranges: &[(char, char)]) -> [u64; 4] {
        let mut set = [0u64; 4];
        for &(lo, hi) in ranges {
            let mut buf = [0; 4];
            let first = lo.encode_utf8(&mut buf).as_bytes()[0];
            let last = hi.encode_utf8(&mut buf).as_bytes()[0];
            for b in first..=last {
                set[b as usize / 64] |= 1 << (b % 64);
            }
        }
        set
    }

    /// The characters in `ranges`, sorted, when there are at most
    /// [`MAX_FIRST_CHARS`] of them; else empty.
    fn few_chars(ranges: &[(char, char)]) -> Vec<char> {
        let count: usize = ranges.iter().map(|&(lo, hi)| (hi as usize + 1).saturating_sub(lo as usize)).sum();
        if count > MAX_FIRST_CHARS {
            return Vec::new();
        }
        let mut chars: Vec<char> = ranges.iter().flat_map(|&(lo, hi)| lo..=hi).collect();
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    fn may_start_with(&self, b: u8) -> bool {
        self.first_bytes[b as usize / 64] & (1 << (b % 64)) != 0
    }

    /// Every match in `haystack`, left to right, non-overlapping, as the
    /// `regex` crate's `captures_iter` finds them; `None` when the search
    /// would need more than [`MAX_VISITED_BITS`] of visited set.
    pub fn find_all(&self, haystack: &str) -> Option<Vec<Found>> {
        self.find_all_within(haystack, 0, MAX_VISITED_BITS)
    }

    /// Where in `haystack` the first match can start at the earliest, when
    /// every match holds a literal that first occurs at byte `literal`: a
    /// match ends past the start of the literal it holds, so it starts no
    /// further back than its longest length before that (the start of the
    /// haystack when the pattern does not bound its length).
    pub fn earliest_start(&self, haystack: &str, literal: usize) -> usize {
        let Some(max_len) = self.max_len else { return 0 };
        let mut from = (literal.min(haystack.len()) + 1).saturating_sub(max_len as usize);
        while !haystack.is_char_boundary(from) {
            from -= 1;
        }
        from
    }

    /// [`Self::find_all`] for matches that start at or after byte `start`
    /// (a character boundary; assertions still see the whole haystack),
    /// with a visited set of at most `max_bits`.
    pub fn find_all_within(&self, haystack: &str, start: usize, max_bits: usize) -> Option<Vec<Found>> {
        debug_assert!(haystack.is_char_boundary(start), "a search starts on a character boundary");
        let bits = self.insts.len().checked_mul(haystack.len().checked_sub(start)? + 1)?;
        if bits > max_bits {
            return None;
        }
        // The visited set and the stack are this thread's scratch, reused
        // from search to search: a page runs hundreds of searches, and an
        // allocation for each cost more than clearing the bits it needs.
        let (mut visited, stack) = SCRATCH.with(|scratch| std::mem::take(&mut *scratch.borrow_mut()));
        visited.make_room(bits);
        let mut search = Search { program: self, haystack, base: start, visited, stack };
        let mut found = Vec::new();
        let mut from = start;
        while let Some(m) = search.leftmost(from) {
            // Every match is non-empty (compile refuses the others).
            from = m.whole.end;
            found.push(m);
        }
        // A stack that grew past a bound is not kept: one odd search should
        // not hold its memory for the rest of the run.
        let mut stack = search.stack;
        if stack.capacity() > MAX_KEPT_FRAMES {
            stack = Vec::new();
        }
        search.visited.clear();
        SCRATCH.with(|scratch| *scratch.borrow_mut() = (search.visited, stack));
        Some(found)
    }
}

/// Most backtracking frames whose room a thread keeps between searches.
const MAX_KEPT_FRAMES: usize = 1 << 16;

thread_local! {
    /// A visited set and a stack to reuse (see [`Program::find_all_within`]).
    static SCRATCH: std::cell::RefCell<(Visited, Vec<Frame>)> = const { std::cell::RefCell::new((Visited::new(), Vec::new())) };
}

/// A set of (instruction, position) bits that is empty between searches:
/// a search clears only the words it set. (Zeroing the whole set before
/// each search cost more than the search: about 3 KiB a search, 2 GiB over
/// the site benchmark's 680,000 searches.)
#[derive(Default)]
struct Visited {
    words: Vec<u64>,
    /// The indices of the words of `words` that are not zero.
    dirty: Vec<u32>,
}

impl Visited {
    /// An empty set.
    const fn new() -> Visited {
        Visited { words: Vec::new(), dirty: Vec::new() }
    }

    /// Makes room for bits `0..bits` (all clear).
    fn make_room(&mut self, bits: usize) {
        debug_assert!(self.dirty.is_empty(), "the set is empty between searches");
        let words = bits.div_ceil(64);
        if self.words.len() < words {
            self.words.resize(words, 0);
        }
    }

    /// Sets `bit`; false when it was set already.
    fn insert(&mut self, bit: usize) -> bool {
        let index = bit / 64;
        let word = &mut self.words[index];
        if *word == 0 {
            // At most MAX_VISITED_BITS / 64 words in a search the program
            // does (a test searches with 2^30 bits: 2^24 words).
            self.dirty.push(u32::try_from(index).expect("a visited set of under 2^32 words"));
        }
        let mask = 1u64 << (bit % 64);
        let fresh = *word & mask == 0;
        *word |= mask;
        fresh
    }

    /// Clears every bit.
    fn clear(&mut self) {
        for index in self.dirty.drain(..) {
            self.words[index as usize] = 0;
        }
    }
}

/// One search over one haystack: the visited set is shared by every start
/// position and every match, since whether instruction `pc` at position
/// `pos` can reach a match does not depend on where the attempt started.
struct Search<'a> {
    program: &'a Program,
    haystack: &'a str,
    /// The first position a search may visit (bit 0 of `visited`).
    base: usize,
    visited: Visited,
    stack: Vec<Frame>,
}

/// What the backtracker has left to do.
enum Frame {
    /// Run from instruction `.0` at position `.1`.
    Explore(u32, usize),
    /// Put slot `.0` back to `.1` (undoing a `Save` on the way back).
    Restore(u8, Option<usize>),
}

impl Search<'_> {
    /// The leftmost match starting at or after `from`.
    fn leftmost(&mut self, from: usize) -> Option<Found> {
        let program = self.program;
        let bytes = self.haystack.as_bytes();
        for (at, c) in self.haystack[from..].char_indices() {
            let start = from + at;
            if !program.may_start_with(bytes[start])
                || (!program.first_chars.is_empty() && program.first_chars.binary_search(&c).is_err())
            {
                continue;
            }
            if let Some(found) = self.attempt(start) {
                return Some(found);
            }
        }
        None
    }

    /// Marks (pc, pos) visited; false when it already was.
    fn visit(&mut self, pc: u32, pos: usize) -> bool {
        self.visited.insert((pos - self.base) * self.program.insts.len() + pc as usize)
    }

    /// A match starting exactly at `start`, by priority.
    fn attempt(&mut self, start: usize) -> Option<Found> {
        let program = self.program;
        let bytes = self.haystack.as_bytes();
        let mut slots: [Option<usize>; 2] = [None, None];
        self.stack.clear();
        self.stack.push(Frame::Explore(0, start));
        while let Some(frame) = self.stack.pop() {
            let (mut pc, mut pos) = match frame {
                Frame::Explore(pc, pos) => (pc, pos),
                Frame::Restore(slot, value) => {
                    slots[slot as usize] = value;
                    continue;
                }
            };
            loop {
                if !self.visit(pc, pos) {
                    break;
                }
                match &program.insts[pc as usize] {
                    Inst::Text(start, end) => {
                        let text = &program.text.as_bytes()[*start as usize..*end as usize];
                        if !has_prefix(&bytes[pos..], text) {
                            break;
                        }
                        pos += text.len();
                        pc += 1;
                    }
                    Inst::Alts(first, last) => {
                        // The first literal that matches goes on now, the
                        // others are left on the stack in their order.
                        let alts = &program.alts[*first as usize..*last as usize];
                        let text = program.text.as_bytes();
                        let matches = |&&(s, e): &&(u32, u32)| has_prefix(&bytes[pos..], &text[s as usize..e as usize]);
                        let Some(i) = alts.iter().position(|alt| matches(&alt)) else { break };
                        for &(s, e) in alts[i + 1..].iter().rev().filter(matches) {
                            self.stack.push(Frame::Explore(pc + 1, pos + (e - s) as usize));
                        }
                        pos += (alts[i].1 - alts[i].0) as usize;
                        pc += 1;
                    }
                    Inst::Class(lo, hi) => {
                        let Some(c) = self.haystack[pos..].chars().next() else { break };
                        let ranges = &program.ranges[*lo as usize..*hi as usize];
                        let i = ranges.partition_point(|&(_, last)| last < c);
                        if i == ranges.len() || ranges[i].0 > c {
                            break;
                        }
                        pos += c.len_utf8();
                        pc += 1;
                    }
                    Inst::Split(first, second) => {
                        self.stack.push(Frame::Explore(*second, pos));
                        pc = *first;
                    }
                    Inst::Jump(to) => pc = *to,
                    Inst::Save(slot) => {
                        self.stack.push(Frame::Restore(*slot, slots[*slot as usize]));
                        slots[*slot as usize] = Some(pos);
                        pc += 1;
                    }
                    Inst::Assert(assertion) => {
                        let holds = match assertion {
                            Assertion::Start => pos == 0,
                            Assertion::End => pos == bytes.len(),
                            Assertion::StartLine => pos == 0 || bytes[pos - 1] == b'\n',
                            Assertion::EndLine => pos == bytes.len() || bytes[pos] == b'\n',
                        };
                        if !holds {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Match => {
                        let span = match slots {
                            [Some(s), Some(e)] if program.span_group => Some(s..e),
                            _ => None,
                        };
                        return Some(Found { whole: start..pos, span });
                    }
                }
            }
        }
        None
    }
}

/// Whether `haystack` starts with `needle`, compared byte by byte: most
/// literals differ from the text in their first two bytes, where a call to
/// `memcmp` (what `starts_with` becomes) would cost more than the compare.
#[inline]
fn has_prefix(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && needle.iter().zip(haystack).all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matches of the `regex` crate, as `find_all` reports them.
    fn expected(pattern: &str, haystack: &str) -> Vec<Found> {
        let regex = regex::Regex::new(pattern).unwrap();
        regex
            .captures_iter(haystack)
            .map(|c| Found { whole: c.get(0).unwrap().range(), span: c.name("span").map(|m| m.range()) })
            .collect()
    }

    fn check(pattern: &str, haystacks: &[&str]) {
        let program = Program::compile(pattern).unwrap_or_else(|| panic!("{pattern} does not compile"));
        for haystack in haystacks {
            assert_eq!(program.find_all(haystack).unwrap(), expected(pattern, haystack), "{pattern} on {haystack:?}");
        }
    }

    #[test]
    fn alternatives_are_tried_in_the_order_written() {
        check("(効果|効果が)(出)?", &["効果が出る", "効果", "効果が効果出"]);
        check("(a|ab)(c|bcd)", &["abcd", "abc", "xabcdabc"]);
    }

    #[test]
    fn bounded_gaps_are_greedy_or_lazy_as_written() {
        let hay = [
            "必ずきれいに治ります。必ず治る",
            "必ず、治る",
            "必ずああああああああああああああああ治る",
            "必ず治る治る",
        ];
        check("(必ず|絶対)[^。、]{0,12}(治る|治り)", &hay);
        check("(必ず|絶対)[^。、]{0,12}?(治る|治り)", &hay);
        check("必ず[^。]{2,4}る", &hay);
    }

    #[test]
    fn the_span_group_and_line_anchors_are_kept() {
        check(
            r"(?m)(?:^|[^a-zー])(?P<span>[^\s。、]{0,12}(?:アフター|ビフォー))$",
            &["施術アフター\n次の行ビフォー", "aアフター", "ーアフター\n"],
        );
        check(
            r"(?:^|[^a-z])(?P<span>(?:after|アフター) ?[:：] ?[^。\n]{2,40})",
            &["after: 2週間後の様子", "xafter: no"],
        );
        check(r"[0-9]+(\.[0-9]+)?\s*(%|パーセント|割)", &["満足度98.5 %です。9割", "1.2.3%"]);
    }

    proptest::proptest! {
        /// On text made of the patterns' own pieces (where greedy and lazy
        /// gaps, overlapping alternatives and line anchors meet), every
        /// match and span group is the `regex` crate's.
        #[test]
        fn programs_find_what_the_regex_crate_finds(haystack in "(必ず|治る|治り|。|、|あ|a|ab|bcd|c|\n|アフター|前|後|→|1|%| ){0,24}") {
            for pattern in [
                "(必ず|絶対)[^。、]{0,6}(治る|治り)",
                "(必ず|絶対)[^。、]{0,6}?(治る|治り|治)",
                "(a|ab)(c|bcd)?",
                "前 ?(→|後)?[^。、]{0,4}?後",
                r"(?m)(?:^|[^a-zー])(?P<span>[^\s。、]{0,5}(?:アフター|ビフォー))$",
                r"[0-9]+\s*(%|割)|あ+い?",
            ] {
                let program = Program::compile(pattern).unwrap();
                proptest::prop_assert_eq!(program.find_all(&haystack).unwrap(), expected(pattern, &haystack), "{}", pattern);
            }
        }
    }

    proptest::proptest! {
        /// A search that starts no further back than the longest match
        /// before the first occurrence of a literal every match holds finds
        /// every match a search of the whole haystack finds.
        #[test]
        fn a_search_from_before_the_first_anchor_misses_nothing(haystack in r"(必ず|治る|治り|。|、|あ|\(|\)|歳|代|女性|「|」|\n| ){0,40}") {
            for (pattern, anchors) in [
                ("(必ず|絶対)[^。、]{0,6}(治る|治り)", &["必ず", "絶対"][..]),
                (r"[^「」()。\n]{2,8}? ?\((?:歳|代) ?女性\)", &["歳", "代"][..]),
                ("(?m)^[^。]{0,3}治る$", &["治る"][..]),
            ] {
                let program = Program::compile(pattern).unwrap();
                let Some(first) = anchors.iter().filter_map(|a| haystack.find(a)).min() else { continue };
                let from = program.earliest_start(&haystack, first);
                proptest::prop_assert_eq!(
                    program.find_all_within(&haystack, from, MAX_VISITED_BITS).unwrap(),
                    program.find_all(&haystack).unwrap(),
                    "{} from {}", pattern, from
                );
            }
        }
    }

    #[test]
    fn the_earliest_start_is_a_character_boundary_the_longest_match_back() {
        let program = Program::compile("あ{1,2}x").unwrap();
        // The longest match is 7 bytes and ends past the x at 12: it
        // starts at 6 or later.
        assert_eq!(program.earliest_start("ああああx", 12), 6);
        assert_eq!(program.earliest_start("ああああx", 2), 0);
        assert_eq!(Program::compile("あ+x").unwrap().earliest_start("ああああx", 12), 0);
        // One-byte characters: no rounding hides an off-by-one.
        let ascii = Program::compile("a{1,3}x").unwrap();
        assert_eq!(ascii.earliest_start("aaax", 3), 0);
        assert_eq!(ascii.earliest_start("baaax", 4), 1);
        assert_eq!(ascii.find_all_within("baaax", 1, MAX_VISITED_BITS).unwrap(), ascii.find_all("baaax").unwrap());
    }

    #[test]
    fn what_a_program_cannot_say_is_refused() {
        assert!(Program::compile(r"\bword\b").is_none());
        assert!(Program::compile("a*").is_none());
        assert!(Program::compile("(a?)*b").is_none());
        // Nested repetitions grow as a product: given up at the bound, at
        // once, not after exhausting memory.
        let nested = format!("(?:看護{}師|教員)", "+".repeat(48));
        assert!(regex_syntax::ParserBuilder::new().build().parse(&nested).is_ok());
        assert!(Program::compile(&nested).is_none());
        assert!(Program::compile(&format!("看護{}師", "+".repeat(8))).is_some());
        assert!(Program::compile("(?-u:\\xFF)").is_none());
        assert!(Program::compile("(").is_none());
    }

    #[test]
    fn a_search_too_large_for_the_visited_set_is_refused() {
        let program = Program::compile("[^。]{0,40}x").unwrap();
        let haystack = "あ".repeat(MAX_VISITED_BITS / program.len());
        assert!(program.find_all(&haystack).is_none());
        assert!(program.find_all("ああx").is_some());
    }
}
