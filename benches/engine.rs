//! Micro-benchmarks of the engine on one page (`cargo bench`): what a
//! pre-commit hook or an editor pays per file once the process runs. The
//! end-to-end figures, process start included, are `scripts/bench.sh`'s
//! (BENCHMARKS.md).

use std::path::Path;

use iryolint::lint::lint_text;
use iryolint::rules::RuleSet;

fn main() {
    divan::main();
}

/// The fixture pages the benchmark reads, named so that adding fixtures
/// does not change what it measures.
const PAGES: [&str; 6] = [
    "a01-kids-ortho-araki",
    "a02-perio-regen-tajime",
    "a03-ceramic-parktown",
    "a04-implant-price-iijima",
    "a05-ceramic-case-kugenuma",
    "a06-home-whitening-honmaru",
];

/// About 13 KB of real clinic copy (near the bench corpus's 11 KB page):
/// [`PAGES`] from fixtures/web, joined.
fn page() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/web");
    let mut page = String::new();
    for name in PAGES {
        page.push_str(&std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("a fixture page"));
        page.push('\n');
    }
    page
}

/// Reading the embedded pack (what every process pays once).
#[divan::bench]
fn load_pack() -> RuleSet {
    RuleSet::embedded().expect("the embedded pack")
}

/// Checking one page with a loaded pack: normalization, the automaton's
/// scan, gated regexes, every rule and the report.
#[divan::bench]
fn check_page(bencher: divan::Bencher) {
    let set = RuleSet::embedded().expect("the embedded pack");
    let page = page();
    bencher.bench_local(|| lint_text("page.txt", divan::black_box(&page), &set));
}

/// The automaton's scan alone over the same page (raw text).
#[divan::bench]
fn scan_page(bencher: divan::Bencher) {
    let set = RuleSet::embedded().expect("the embedded pack");
    let page = page();
    bencher.bench_local(|| {
        let mut hits = 0usize;
        set.scan(divan::black_box(&page), |_, _, _| hits += 1);
        hits
    });
}
