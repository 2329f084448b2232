//! The hits of one automaton pass (and of the regexes it gates), sorted
//! into what each rule needs.

use std::cell::RefCell;
use std::ops::Range;

use super::spans::Spans;
use crate::rules::compile::{Lex, RegexSlot, Role, LEX_COUNT};
use crate::rules::signature::{self, GateMask};
use crate::rules::Kind;
use crate::rules::RuleSet;
use crate::text::Document;

/// The hits that belong to one rule.
#[derive(Debug, Default)]
pub struct RuleHits {
    /// Candidate phrases, claims or markers.
    pub main: Vec<Range<usize>>,
    /// Claim targets (grammar rules).
    pub targets: Spans,
    /// Claim effects (grammar rules).
    pub effects: Vec<Range<usize>>,
    /// Words of each condition, in the order of the rule's conditions.
    pub conditions: Vec<Spans>,
    /// Benefit claims (evidence-leap).
    pub claims: Spans,
    /// Caveats (evidence-leap).
    pub caveats: Spans,
    /// Triggers (disclosure).
    pub triggers: Spans,
    /// Wording of disclosure elements seen: (element index, where).
    pub elements: Vec<(usize, Range<usize>)>,
    /// Wording that voids a disclosure element: (element index, where).
    pub element_voids: Vec<(usize, Range<usize>)>,
}

/// Everything one document's scan found.
#[derive(Debug)]
pub struct Hits {
    /// Per rule, in rule-set order.
    pub rules: Vec<RuleHits>,
    /// Per engine word class.
    pub lexicon: [Spans; LEX_COUNT],
    /// Alias hits of the products that apply to this document.
    pub products: Spans,
}

/// Hits whose lists hold more than this many bytes are freed rather than
/// kept for the next document ([`Hits::recycle`]): a thread never holds
/// more than this between documents (a web page's hits take tens of KiB).
const RECYCLED_BYTES: usize = 1 << 20;

thread_local! {
    /// Emptied hits of a document this thread checked: their lists keep
    /// their capacity, so that the next document's hits are pushed without
    /// growing them again (reusing them saved 4 % of the instructions of a
    /// site run).
    static SPARE: RefCell<Option<Hits>> = const { RefCell::new(None) };
}

impl RuleHits {
    /// Bytes its lists hold on the heap (their capacities).
    fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let ranges = self.main.capacity() + self.effects.capacity();
        let elements = self.elements.capacity() + self.element_voids.capacity();
        ranges * size_of::<Range<usize>>()
            + elements * size_of::<(usize, Range<usize>)>()
            + self.conditions.capacity() * size_of::<Spans>()
            + [&self.targets, &self.claims, &self.caveats, &self.triggers]
                .into_iter()
                .chain(&self.conditions)
                .map(Spans::heap_bytes)
                .sum::<usize>()
    }

    /// Empties every list, keeping its capacity.
    fn clear(&mut self) {
        self.main.clear();
        self.targets.clear();
        self.effects.clear();
        self.conditions.iter_mut().for_each(Spans::clear);
        self.claims.clear();
        self.caveats.clear();
        self.triggers.clear();
        self.elements.clear();
        self.element_voids.clear();
    }
}

impl Hits {
    /// Empty hits shaped for `set`: this thread's spare ones when they fit
    /// it (a process may check with more than one rule set), else new ones.
    fn empty_for(set: &RuleSet) -> Hits {
        let fits = |hits: &Hits| {
            hits.rules.len() == set.settings.len()
                && hits.rules.iter().zip(&set.settings).all(|(h, s)| h.conditions.len() == s.conditions.len())
        };
        SPARE.with(|spare| spare.borrow_mut().take()).filter(fits).unwrap_or_else(|| Hits {
            rules: set
                .settings
                .iter()
                .map(|s| RuleHits { conditions: vec![Spans::default(); s.conditions.len()], ..RuleHits::default() })
                .collect(),
            lexicon: Default::default(),
            products: Spans::default(),
        })
    }

    /// Bytes its lists hold on the heap (their capacities).
    fn heap_bytes(&self) -> usize {
        self.rules.capacity() * std::mem::size_of::<RuleHits>()
            + self.rules.iter().map(RuleHits::heap_bytes).sum::<usize>()
            + self.lexicon.iter().chain([&self.products]).map(Spans::heap_bytes).sum::<usize>()
    }

    /// Gives these hits, emptied, to this thread for the next document it
    /// checks, unless their lists hold more than [`RECYCLED_BYTES`] (a long
    /// document's): those are freed.
    pub fn recycle(mut self) {
        if self.heap_bytes() > RECYCLED_BYTES {
            return;
        }
        self.rules.iter_mut().for_each(RuleHits::clear);
        self.lexicon.iter_mut().for_each(Spans::clear);
        self.products.clear();
        SPARE.with(|spare| *spare.borrow_mut() = Some(self));
    }

    /// Scans `doc` once and runs the regexes whose anchors hit.
    pub fn collect(doc: &Document, set: &RuleSet) -> Hits {
        let mut hits = Hits::empty_for(set);
        let mut product_hits: Vec<Vec<Range<usize>>> = vec![Vec::new(); set.products.len()];
        let mut product_context = vec![false; set.products.len()];
        // Gated regexes run a batch of blocks at a time, so that what gates
        // them stays as small as a batch: no literal holds a line break
        // (literals are folded, which turns whitespace into spaces), so no
        // hit crosses the `\n` between two blocks, and scanning the blocks
        // one by one finds the hits of one scan of the whole text, in the
        // same order. Batches rather than single blocks: running one regex
        // over many sentences in a row keeps its lazy DFA in the processor's
        // cache (block by block, regex search took 20 % more time).
        let mut gates = Gates::default();
        let mut sentences = SentenceCursor::default();
        let mut batch_start = 0;
        for (block, _) in &doc.blocks {
            let base = block.start;
            set.scan(&doc.text[block.clone()], |range, roles, gate_mask| {
                let range = base + range.start..base + range.end;
                if let Some(mask) = gate_mask {
                    gates.seen(sentences.index(doc, range.start), mask);
                }
                for &role in roles {
                    let r = range.clone();
                    match role {
                        Role::Phrase(i) | Role::Marker(i) => hits.rules[i].main.push(r),
                        Role::Target(i) => hits.rules[i].targets.push(r),
                        Role::Effect(i) => hits.rules[i].effects.push(r),
                        Role::Condition(i, c) => hits.rules[i].conditions[c].push(r),
                        Role::Claim(i) => hits.rules[i].claims.push(r),
                        Role::Caveat(i) => hits.rules[i].caveats.push(r),
                        Role::Trigger(i) => hits.rules[i].triggers.push(r),
                        Role::Element(i, e) => hits.rules[i].elements.push((e, r)),
                        Role::ElementUnless(i, e) => hits.rules[i].element_voids.push((e, r)),
                        Role::Lexicon(lex) => hits.lexicon[lex as usize].push(r),
                        Role::Product(p) => product_hits[p].push(r),
                        Role::ProductContext(p) => product_context[p] = true,
                        Role::Anchor(x) => gates.jobs.push((x, sentences.index(doc, range.start), range.start)),
                        // Gates come as the hit's mask (see RuleSet::scan).
                        Role::Gate(..) => {}
                    }
                }
            });
            if block.end - batch_start >= GATE_BATCH_BYTES {
                gates.run(doc, set, &mut hits.rules, None);
                batch_start = block.end;
                gates.first = doc.sentence_index(batch_start);
            }
        }
        // The whole text is scanned: a rule whose literals already rule out
        // any finding on this page needs none of its regexes run.
        let treatment_seen = !hits.lexicon[Lex::Treatment as usize].is_empty();
        let products_seen = product_hits.iter().any(|p| !p.is_empty());
        let idle: Vec<bool> = (0..set.settings.len())
            .map(|r| skip_idle() && cannot_report(set, r, &hits.rules[r], treatment_seen, products_seen))
            .collect();
        gates.run(doc, set, &mut hits.rules, Some(&idle));
        for (p, ranges) in product_hits.into_iter().enumerate() {
            if set.products[p].needs_document.is_empty() || product_context[p] {
                for r in ranges {
                    hits.products.push(r);
                }
            }
        }
        for rule in &mut hits.rules {
            for spans in rule.conditions.iter_mut().chain([
                &mut rule.targets,
                &mut rule.claims,
                &mut rule.caveats,
                &mut rule.triggers,
            ]) {
                spans.finish();
            }
        }
        for spans in hits.lexicon.iter_mut().chain([&mut hits.products]) {
            spans.finish();
        }
        hits
    }

    /// Hits of an engine word class.
    pub fn lex(&self, lex: Lex) -> &Spans {
        &self.lexicon[lex as usize]
    }
}

#[cfg(not(test))]
/// Whether idle rules' regexes are skipped (always, but in the test that
/// checks the skip changes nothing).
fn skip_idle() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    /// Whether this test thread skips idle rules' regexes.
    static SKIP_IDLE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

#[cfg(test)]
fn skip_idle() -> bool {
    SKIP_IDLE.with(|s| s.get())
}

/// Whether rule `r` can report nothing on a page whose literal hits are all
/// in `own` (and whose treatment words and product names are seen or not):
/// a document-scope condition fails, an evidence leap has no claim, a
/// disclosure no trigger, a claim rule no care. These are the checks the
/// rule kinds make first ([`super::phrase::check`], [`super::evidence::check`],
/// [`super::disclosure::check`]), made before its regexes run.
fn cannot_report(set: &RuleSet, r: usize, own: &RuleHits, treatment_seen: bool, products_seen: bool) -> bool {
    let settings = &set.settings[r];
    !super::phrase::document_conditions_hold(set, own, r)
        || match settings.kind {
            Kind::EvidenceLeap => own.claims.is_empty(),
            Kind::Disclosure => own.triggers.is_empty() && !(settings.trigger_products && products_seen),
            Kind::Claim | Kind::Learned => !treatment_seen && !products_seen,
            Kind::Phrase => false,
        }
}

/// The sentence of a position, remembered between calls: hits come in
/// nearly increasing order, so most lookups need no search.
#[derive(Default)]
struct SentenceCursor {
    index: usize,
}

impl SentenceCursor {
    /// Index of the sentence that contains `pos` (as
    /// [`Document::sentence_index`]).
    fn index(&mut self, doc: &Document, pos: usize) -> usize {
        let current = doc.sentences.get(self.index);
        let inside = current.is_some_and(|s| s.start <= pos && pos < s.end);
        if !inside {
            self.index = doc.sentence_index(pos);
        }
        self.index
    }
}

/// How much text (in bytes of the normalized text) the gated regexes of
/// one batch cover, at least (see [`Hits::collect`]).
const GATE_BATCH_BYTES: usize = 1 << 18;

/// The gated regexes of one batch of blocks: which ran where their anchors
/// hit, and the gate signature of each sentence of the batch.
#[derive(Default)]
struct Gates {
    /// (regex, sentence, where in the text) an anchor of the regex starts.
    jobs: Vec<(usize, usize, usize)>,
    /// The batch's first sentence: every hit of the batch starts in it or
    /// after it (a batch is whole blocks, and a sentence lies in one block).
    first: usize,
    /// Gate signatures of sentences `first..`: the union of the gate masks
    /// of the literals that start in each (see [`crate::rules::signature`]).
    signatures: Vec<GateMask>,
}

impl Gates {
    /// A literal of the gates in `mask` starts in sentence `s`.
    fn seen(&mut self, s: usize, mask: &GateMask) {
        // Sentence indices grow with positions and a sentence lies in one
        // block, so no hit of the batch is in a sentence before `first`;
        // were one, dropping its bits could only let its regexes run.
        debug_assert!(s >= self.first, "sentence {s} before the batch's first, {}", self.first);
        let Some(i) = s.checked_sub(self.first) else { return };
        if i >= self.signatures.len() {
            self.signatures.resize(i + 1, GateMask::default());
        }
        signature::add(&mut self.signatures[i], mask);
    }

    /// Runs the regexes whose anchors hit, on the sentences where every
    /// gate of theirs hit too, but those of `idle` rules, and forgets the
    /// batch.
    fn run(&mut self, doc: &Document, set: &RuleSet, rules: &mut [RuleHits], idle: Option<&[bool]>) {
        one_job_per_sentence(&mut self.jobs);
        for &(x, s, anchor) in &self.jobs {
            let compiled = &set.regexes[x];
            if idle.is_some_and(|idle| idle[compiled.rule]) {
                continue;
            }
            // A sentence where some gate of the regex has no occurrence
            // holds no match: skip it. (A sentence before the batch cannot
            // occur, see `seen`; it would be searched.)
            let signature = s.checked_sub(self.first).map(|i| self.signatures.get(i).copied().unwrap_or_default());
            if signature.is_some_and(|signature| !set.admits(x, &signature)) {
                continue;
            }
            let sentence = doc.sentences[s].clone();
            let shift = |r: Range<usize>| sentence.start + r.start..sentence.start + r.end;
            let haystack = &doc.text[sentence.clone()];
            // (An anchor outside its sentence's text, in whitespace that
            // no sentence holds, bounds nothing.)
            let anchor = anchor.checked_sub(sentence.start).filter(|&a| a < haystack.len()).unwrap_or(0);
            let found: Vec<Range<usize>> = compiled.spans(haystack, anchor).into_iter().map(shift).collect();
            let rule = &mut rules[compiled.rule];
            match compiled.slot {
                RegexSlot::Main => rule.main.extend(found),
                RegexSlot::Element(e) => rule.elements.extend(found.into_iter().map(|r| (e, r))),
            }
        }
        self.jobs.clear();
        self.signatures.clear();
    }
}

/// Keeps one (regex, sentence, anchor) job per regex and sentence, at the
/// sentence's first anchor of the regex (where a search may start, see
/// [`crate::rules::compile::CompiledRegex::spans`]), sorted by regex and
/// sentence.
fn one_job_per_sentence(jobs: &mut Vec<(usize, usize, usize)>) {
    jobs.sort_unstable();
    jobs.dedup_by_key(|&mut (x, s, _)| (x, s));
}

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;

    #[test]
    fn skipping_idle_rules_changes_no_finding_on_any_fixture_page() {
        use crate::extract::{extract, InputFormat};
        use crate::text::Document;
        let set = RuleSet::embedded().expect("build.rs compiled the embedded pack");
        let (mut pages, mut findings) = (0, 0);
        for path in crate::test_support::fixture_files() {
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let doc = Document::build(extract(&source, InputFormat::Text), &source);
            let skipped = crate::engine::check_all(&doc, &set);
            super::SKIP_IDLE.with(|s| s.set(false));
            let all = crate::engine::check_all(&doc, &set);
            super::SKIP_IDLE.with(|s| s.set(true));
            assert_eq!(skipped, all, "{}", path.display());
            pages += 1;
            findings += all.len();
        }
        assert!(pages > 1000 && findings > 5000, "{pages} pages, {findings} findings");
    }

    /// A page's hits, pushed into the emptied lists of the page before
    /// ([`super::Hits::recycle`]), are the hits new lists get, with the
    /// pack or with a rule set of another shape in between.
    #[test]
    fn recycled_hits_are_the_hits_of_new_ones() {
        use super::{Hits, SPARE};
        use crate::extract::{extract, InputFormat};
        use crate::text::Document;
        let set = RuleSet::embedded().unwrap();
        let mut pack = crate::rules::Pack::default();
        pack.add_file("tests/data/test-rules.toml", include_str!("../../tests/data/test-rules.toml")).unwrap();
        pack.validate().unwrap();
        let other = RuleSet::compile(pack, |_| true).unwrap();
        let mut compared = 0;
        for (i, path) in crate::test_support::fixture_files().iter().enumerate().filter(|(i, _)| i % 7 == 0) {
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let source = std::fs::read_to_string(path).unwrap();
            let doc = Document::build(extract(&source, InputFormat::Text), &source);
            let set = if i % 5 == 0 { &other } else { &set };
            let recycled = Hits::collect(&doc, set);
            let recycled_text = format!("{recycled:?}");
            // The spare is in use: this one is new.
            assert!(SPARE.with(|spare| spare.borrow().is_none()));
            let new = Hits::collect(&doc, set);
            assert_eq!(recycled_text, format!("{new:?}"), "{}", path.display());
            recycled.recycle();
            drop(new);
            compared += 1;
        }
        assert!(compared > 100, "{compared} pages");
    }

    /// A thread keeps a page's emptied hits, never a long document's.
    #[test]
    fn only_small_hits_are_kept_for_the_next_document() {
        use super::{Hits, RECYCLED_BYTES, SPARE};
        use crate::extract::{extract, InputFormat};
        use crate::text::Document;
        let set = RuleSet::embedded().unwrap();
        let spare_bytes = || SPARE.with(|spare| spare.borrow().as_ref().map(Hits::heap_bytes));
        let page = "当院の点滴は疲労回復に効果があり、副作用はありません。\n";
        let doc = Document::build(extract(page, InputFormat::Text), page);
        Hits::collect(&doc, &set).recycle();
        assert!(spare_bytes().is_some_and(|b| b > 0 && b <= RECYCLED_BYTES));
        let long = page.repeat(40_000);
        let doc = Document::build(extract(&long, InputFormat::Text), &long);
        let hits = Hits::collect(&doc, &set);
        assert!(hits.heap_bytes() > RECYCLED_BYTES, "{} bytes", hits.heap_bytes());
        hits.recycle();
        assert_eq!(spare_bytes(), None);
    }

    #[test]
    fn a_job_keeps_the_first_anchor_of_its_sentence() {
        let mut jobs = vec![(2, 7, 90), (1, 3, 40), (2, 7, 75), (1, 3, 12), (1, 4, 50), (2, 7, 80)];
        super::one_job_per_sentence(&mut jobs);
        assert_eq!(jobs, [(1, 3, 12), (1, 4, 50), (2, 7, 75)]);
    }

    /// Blocks are scanned one by one (see [`super::Hits::collect`]): that
    /// finds every hit only while no literal holds a line break.
    #[test]
    fn no_literal_holds_a_line_break() {
        let set = RuleSet::embedded().unwrap();
        assert!(set.patterns().iter().all(|p| !p.contains('\n') && !p.contains('\r')));
    }
}
