//! The rule pack: loading, validating and compiling rules.
//!
//! Rules are data (`rules/*.toml`, embedded at build time, plus files given
//! with `--rules`). [`load::Pack`] parses and validates them;
//! [`compile::RuleSet`] turns every literal of every rule, lexicon list and
//! product into one Aho-Corasick automaton, built once per process.

pub mod automaton;
pub mod backtrack;
pub mod classes;
pub mod compile;
pub mod gates;
pub mod load;
pub mod schema;
pub mod signature;

pub use compile::RuleSet;

/// The embedded pack compiled by `build.rs` (postcard; empty when the pack
/// did not compile, and then the run compiles it and reports why).
const EMBEDDED_TABLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded_tables.bin"));

/// The automaton of the embedded pack's literals, built by `build.rs`.
const EMBEDDED_AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded_automaton.bin"));

impl RuleSet {
    /// The embedded pack, compiled at build time, with nothing left out:
    /// the same rule set as `RuleSet::compile(Pack::embedded()?, |_| true)`
    /// without parsing, validating or folding anything. `None` when the
    /// build found the pack invalid.
    pub fn embedded() -> Option<RuleSet> {
        // Checked by the_embedded_automaton_matches_aho_corasick: a run
        // reads the tables in place and checks only their header.
        let automaton = automaton::Literals::from_bytes_unchecked(EMBEDDED_AUTOMATON)?;
        RuleSet::from_embedded(EMBEDDED_TABLES, automaton)
    }
}

/// The rule files embedded in the binary: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
pub use load::{Pack, RuleError};
pub use schema::{Category, Kind, RuleSpec, Severity, Voice};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_compiled_at_build_time_are_those_of_a_run() {
        let built = RuleSet::embedded().expect("build.rs compiled the embedded pack");
        let run = RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap();
        assert_eq!(format!("{:?}", built.rules), format!("{:?}", run.rules));
        assert_eq!(format!("{:?}", built.full_rules()), format!("{:?}", run.full_rules()));
        assert_eq!(format!("{:?}", built.settings), format!("{:?}", run.settings));
        assert_eq!(format!("{:?}", built.products), format!("{:?}", run.products));
        assert_eq!(format!("{:?}", built.regexes), format!("{:?}", run.regexes));
        assert_eq!(format!("{:?}", built.classes()), format!("{:?}", run.classes()));
        assert_eq!(built.patterns(), run.patterns());
        for (i, text) in run.patterns().iter().enumerate() {
            let roles = |set: &RuleSet| {
                let mut found = Vec::new();
                set.scan(text, |r, roles, gate_mask| {
                    if r.len() == text.len() {
                        found.push((roles.to_vec(), gate_mask.copied()));
                    }
                });
                found
            };
            assert_eq!(roles(&built), roles(&run), "pattern {i} {text:?}");
        }
    }

    /// The automaton built at build time reports exactly the overlapping
    /// matches of the `aho-corasick` crate over the embedded pack's
    /// literals, on every fixture page.
    #[test]
    fn the_embedded_automaton_matches_aho_corasick() {
        let set = RuleSet::embedded().expect("build.rs compiled the embedded pack");
        let ours = automaton::Literals::from_bytes(EMBEDDED_AUTOMATON).unwrap();
        let reference = aho_corasick::AhoCorasick::new(set.patterns()).unwrap();
        let mut pages = 0;
        for dir in ["fixtures/pages", "fixtures/labeled", "fixtures/holdout"] {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for entry in entries {
                let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else { continue };
                let mut found = Vec::new();
                ours.for_each_match(text.as_bytes(), |start, end, id| found.push((start, end, id)));
                let mut expected: Vec<_> = reference
                    .find_overlapping_iter(&text)
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                    .collect();
                found.sort();
                expected.sort();
                assert_eq!(found, expected);
                pages += 1;
            }
        }
        assert!(pages > 10, "only {pages} fixture pages read");
    }

    /// Every regex of the embedded pack has a backtracking program, and it
    /// gives the same spans as the full meta regex on every sentence of
    /// every fixture page, read both as the page's format and as plain
    /// text, and on each page's whole text; and wherever a regex matches,
    /// the gate signature of the text admits it.
    #[test]
    fn the_backtracker_matches_the_full_regex_on_every_pattern_and_fixture() {
        use crate::extract::{extract, InputFormat};
        use crate::text::Document;
        let set = RuleSet::embedded().expect("build.rs compiled the embedded pack");
        let mut haystacks: Vec<String> = Vec::new();
        for path in crate::test_support::fixture_files() {
            let Ok(source) = std::fs::read_to_string(&path) else { continue };
            let mut formats = vec![InputFormat::Text];
            formats.extend(InputFormat::for_path(&path).filter(|f| *f != InputFormat::Docx));
            for format in formats {
                let doc = Document::build(extract(&source, format), &source);
                for sentence in &doc.sentences {
                    haystacks.push(doc.text[sentence.clone()].to_string());
                }
                // The whole text too: many sentences and newlines in one
                // haystack ((?m) anchors, matches across sentences).
                haystacks.push(doc.text.clone());
            }
        }
        haystacks.sort();
        haystacks.dedup();
        assert!(haystacks.len() > 5_000, "only {} haystacks", haystacks.len());
        // Where each regex's first anchor starts in each haystack (a search
        // of an anchored regex may start from there: CompiledRegex::spans),
        // and the haystack's gate signature (a regex runs on a sentence
        // only when the signature admits it: engine::hits).
        // The rules with a claim word in the haystack, too.
        type Scanned = (std::collections::HashMap<usize, usize>, signature::GateMask, std::collections::HashSet<usize>);
        let scanned: Vec<Scanned> = haystacks
            .iter()
            .map(|haystack| {
                let mut first = std::collections::HashMap::new();
                let mut gate_signature = signature::GateMask::default();
                let mut claims = std::collections::HashSet::new();
                set.scan(haystack, |range, roles, gate_mask| {
                    if let Some(mask) = gate_mask {
                        signature::add(&mut gate_signature, mask);
                    }
                    for role in roles {
                        match role {
                            compile::Role::Anchor(x) => {
                                let at = first.entry(*x).or_insert(range.start);
                                *at = (*at).min(range.start);
                            }
                            compile::Role::Claim(r) => {
                                claims.insert(*r);
                            }
                            _ => {}
                        }
                    }
                });
                (first, gate_signature, claims)
            })
            .collect();
        let (mut compared, mut windowed, mut claim_gated_checked) = (0usize, 0usize, 0usize);
        for (x, compiled) in set.regexes.iter().enumerate() {
            let full = compiled.regex().unwrap_or_else(|| panic!("regex {x} {:?} does not build", compiled.pattern()));
            let program =
                compiled.program().unwrap_or_else(|| panic!("regex {x} {:?} has no program", compiled.pattern()));
            for (haystack, (first_anchor, gate_signature, claims)) in haystacks.iter().zip(&scanned) {
                let expected = compiled.meta_spans(full, haystack);
                // An evidence leap's claim gate (compile: claim_gate) admits
                // only a sentence with a claim word, where alone it reports.
                let claim_gated = compiled.slot == compile::RegexSlot::Main
                    && set.settings[compiled.rule].kind == Kind::EvidenceLeap
                    && set.settings[compiled.rule].near == compile::Near::Sentence;
                let reportable = !claim_gated || claims.contains(&compiled.rule);
                claim_gated_checked += usize::from(claim_gated && reportable && !expected.is_empty());
                assert!(
                    expected.is_empty() || !reportable || set.admits(x, gate_signature),
                    "regex {x} {:?} matches {haystack:?}, whose gate signature does not admit it",
                    compiled.pattern()
                );
                let found = program.find_all_within(haystack, 0, 1 << 30).expect("a visited set of 128 MiB");
                assert_eq!(
                    compiled.program_spans(found),
                    expected,
                    "regex {x} {:?} on {haystack:?}",
                    compiled.pattern()
                );
                compared += expected.len();
                if let (true, Some(&anchor)) = (compiled.anchored, first_anchor.get(&x)) {
                    assert_eq!(
                        compiled.spans(haystack, anchor),
                        expected,
                        "regex {x} {:?} searched from near its first anchor at {anchor} of {haystack:?}",
                        compiled.pattern()
                    );
                    windowed += expected.len();
                }
            }
        }
        assert!(compared > 1_000, "only {compared} matches compared");
        assert!(windowed > 1_000, "only {windowed} matches found from near an anchor");
        // Claim-gated regexes were checked where they could report, not
        // only skipped (28 haystacks when the gate was made).
        assert!(claim_gated_checked >= 20, "only {claim_gated_checked} claim-gated matches checked");
    }

    /// The backtracker reads patterns as the `regex` crate does: Unicode
    /// `\d`, `\s` and `\w`, `.` and `(?i)`, lazy and greedy repeats.
    #[test]
    fn backtracking_programs_keep_the_regex_crates_meaning() {
        let cases = [
            (r"\d+回", "３回 ٣回 3回"),
            (r"a\sb", "a\u{3000}b a b a\u{85}b"),
            (r"(?i)ǅ", "ǆ Ǆ ǅ"),
            (r"(?m)^x.$", "xé\nxy\r\nx\n"),
            (r"\w+", "漢字 abc_1"),
            (r"(?:^|[^a-z])(?P<span>ab)", "ab xab zab"),
            (r"(ab|c)+?d[\-&~#.\]^]x{2,3}(?:|y)", "ababcd-xxy cd]xx d&xxx"),
            (r"治(った|りました)\.{1,2}[ 　]*$", "治った. 治りました..\u{3000} "),
            (r"(?P<span>[^。]{0,3}?よくな(?:る|り))", "肌がよくなる。"),
        ];
        for (pattern, haystack) in cases {
            let compiled = compile::CompiledRegex::new(0, compile::RegexSlot::Main, pattern, 0, false);
            let expected = compiled.meta_spans(compiled.regex().unwrap(), haystack);
            assert!(!expected.is_empty(), "{pattern}");
            let found = compiled.program().unwrap().find_all(haystack).unwrap();
            assert_eq!(compiled.program_spans(found), expected, "{pattern}");
        }
    }
}
