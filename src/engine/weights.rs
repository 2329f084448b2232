//! The two models' weights as tables read in place.
//!
//! A model file (`model/precision.tsv`, `model/claims.tsv`, written by
//! `scripts/train-models.py`) holds a `# threshold T` line, a
//! `# calibration` line and `weight<TAB>feature` lines. `build.rs` reads it
//! with [`parse_tsv`] and embeds [`to_bytes`]: the threshold, the
//! calibration's steps, then an open-addressing hash table of
//! (tag, weight) records at most half full, so that a run parses nothing
//! and looks a feature up in a probe or two ([`Table::weight`]). A record is
//! eight bytes (the high half of the feature's hash as its tag, its weight),
//! so that a table of 50,000 weights stays within a core's cache. Tag 0
//! marks an empty slot.
//! This file depends on nothing of the crate, so that `build.rs` includes it.

/// Bytes of one record: a little-endian `u32` tag and `f32` weight.
const RECORD: usize = 8;

/// Bytes of one calibration step: two little-endian `f32`s.
const STEP: usize = 8;

/// The hash a feature is looked up by.
pub fn feature_hash(feature: &str) -> u64 {
    feature_hash_parts(&[feature])
}

/// Multiplier of [`mix`] (FxHash's).
const K: u64 = 0x517c_c1b7_2722_0a95;

/// Mixes eight bytes into the hash.
fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(K)
}

/// Mixes in the last bytes (fewer than eight, zero-padded) and the length,
/// then spreads every bit over the low bits, which pick the slot.
fn finish(h: u64, word: u64, len: usize) -> u64 {
    let h = mix(h, word ^ ((len as u64) << 56));
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Longest feature hashed from a buffer on the stack; longer ones are
/// hashed a byte at a time, to the same value.
const SHORT: usize = 64;

/// [`feature_hash`] of the concatenation of `parts`, without making it on
/// the heap: the bytes are taken eight at a time, each word mixed in with
/// one multiplication (a byte at a time, as FNV hashes, costs one per byte).
pub fn feature_hash_parts(parts: &[&str]) -> u64 {
    let mut buf = [0u8; SHORT + 8];
    let mut len = 0;
    for part in parts {
        let bytes = part.as_bytes();
        if len + bytes.len() > SHORT {
            return long_hash(parts);
        }
        buf[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    }
    let mut h = 0;
    let full = len / 8 * 8;
    for word in buf[..full].chunks_exact(8) {
        h = mix(h, u64::from_le_bytes(word.try_into().expect("8 bytes")));
    }
    // The bytes after `len` are still zero: the last word is zero-padded.
    finish(h, u64::from_le_bytes(buf[full..full + 8].try_into().expect("8 bytes")), len)
}

/// [`feature_hash_parts`] a byte at a time, for features of any length.
fn long_hash(parts: &[&str]) -> u64 {
    let (mut h, mut word, mut filled, mut len) = (0u64, 0u64, 0u32, 0usize);
    for part in parts {
        for &b in part.as_bytes() {
            word |= u64::from(b) << (8 * filled);
            filled += 1;
            if filled == 8 {
                h = mix(h, word);
                (word, filled) = (0, 0);
            }
            len += 1;
        }
    }
    finish(h, word, len)
}

/// The tag a record of hash `hash` is stored under: the hash's high half,
/// never 0 (the empty slot). The slot comes from the low half. A feature
/// the model never saw can meet a record of its tag in its probe run and
/// take that weight: about one chance in four billion per slot probed.
fn tag(hash: u64) -> u32 {
    ((hash >> 32) as u32).max(1)
}

/// A model file as [`parse_tsv`] reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    /// The probability below which the precision model drops a finding, at
    /// or above which the claim model reports a sentence.
    pub threshold: f32,
    /// The calibration: steps (from, confidence), `from` rising from 0 and
    /// `confidence` never falling; a probability takes the confidence of
    /// the last step it reaches ([`Table::confidence`]).
    pub calibration: Vec<(f32, f32)>,
    /// The (hash, weight) records, sorted by hash, one per feature.
    pub records: Vec<(u64, f32)>,
}

/// Reads a model file; an error names the line.
pub fn parse_tsv(text: &str) -> Result<ModelFile, String> {
    let mut threshold = None;
    let mut calibration = None;
    let mut records = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(t) = line.strip_prefix("# threshold ") {
            let t = t.trim().parse::<f32>().map_err(|e| format!("line {}: threshold: {e}", n + 1))?;
            if !(0.0..=1.0).contains(&t) {
                return Err(format!("line {}: threshold {t} is not a probability", n + 1));
            }
            threshold = Some(t);
        } else if let Some(steps) = line.strip_prefix("# calibration ") {
            calibration = Some(parse_calibration(steps).map_err(|e| format!("line {}: calibration: {e}", n + 1))?);
        } else if !line.starts_with('#') && !line.is_empty() {
            let (w, feature) = line.split_once('\t').ok_or_else(|| format!("line {}: no tab", n + 1))?;
            let w = w.parse::<f32>().map_err(|e| format!("line {}: weight: {e}", n + 1))?;
            if !w.is_finite() {
                return Err(format!("line {}: weight {w} is not finite", n + 1));
            }
            records.push((feature_hash(feature), w));
        }
    }
    let threshold = threshold.ok_or("no `# threshold` line")?;
    let calibration = calibration.ok_or("no `# calibration` line")?;
    if records.is_empty() {
        return Err("no weights".to_string());
    }
    records.sort_by_key(|&(h, _)| h);
    records.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    Ok(ModelFile { threshold, calibration, records })
}

/// The steps of a `# calibration` line: `from:confidence` pairs separated
/// by spaces, the first from 0, froms rising, confidences probabilities
/// that never fall.
fn parse_calibration(steps: &str) -> Result<Vec<(f32, f32)>, String> {
    let mut out: Vec<(f32, f32)> = Vec::new();
    for step in steps.split_whitespace() {
        let (from, confidence) = step.split_once(':').ok_or_else(|| format!("`{step}` is not from:confidence"))?;
        let (Ok(from), Ok(confidence)) = (from.parse::<f32>(), confidence.parse::<f32>()) else {
            return Err(format!("`{step}`: both parts must be probabilities"));
        };
        out.push((from, confidence));
    }
    if out.is_empty() {
        return Err("no steps".to_string());
    }
    match steps_problem(&out) {
        Some(problem) => Err(problem),
        None => Ok(out),
    }
}

/// What is wrong with calibration steps, if anything: both parts of each
/// a probability, the first from 0, froms rising, confidences never
/// falling. The one rule of [`parse_tsv`] and [`Table::from_bytes`].
fn steps_problem(steps: &[(f32, f32)]) -> Option<String> {
    let probability = |x: f32| (0.0..=1.0).contains(&x);
    if let Some(&(from, confidence)) = steps.iter().find(|&&(f, c)| !probability(f) || !probability(c)) {
        return Some(format!("`{from}:{confidence}`: both parts must be probabilities"));
    }
    match steps.first() {
        Some(&(from, _)) if from != 0.0 => return Some(format!("the first step starts at {from}, not 0")),
        _ => {}
    }
    steps.windows(2).find_map(|w| {
        let ((f, c), (from, confidence)) = (w[0], w[1]);
        if from <= f {
            Some(format!("`{from}:{confidence}` does not start after {f}"))
        } else if confidence < c {
            Some(format!("`{from}:{confidence}` falls below {c}"))
        } else {
            None
        }
    })
}

/// The embedded form: threshold (`f32`), the number of calibration steps
/// (`u32`) and each step (two `f32`s), then the slots of a hash table with
/// a power-of-two number of slots, at least twice the records, each record
/// in the first free slot from its hash on.
///
/// # Panics
///
/// When two records of one probe run share a tag (one in four billion for
/// a pair): the table could not tell them apart, and `build.rs` must fail
/// rather than embed a model that is not its file.
pub fn to_bytes(model: &ModelFile) -> Vec<u8> {
    let records = &model.records;
    let slots = (records.len() * 2).next_power_of_two().max(2);
    let mut table = vec![(0u32, 0f32); slots];
    for &(h, w) in records {
        let mut i = h as usize & (slots - 1);
        while table[i].0 != 0 {
            assert!(table[i].0 != tag(h), "two features of the model share the tag {:#x}", tag(h));
            i = (i + 1) & (slots - 1);
        }
        table[i] = (tag(h), w);
    }
    let mut out = Vec::with_capacity(8 + model.calibration.len() * STEP + slots * RECORD);
    out.extend_from_slice(&model.threshold.to_le_bytes());
    let steps = u32::try_from(model.calibration.len()).expect("fewer than 2^32 calibration steps");
    out.extend_from_slice(&steps.to_le_bytes());
    for &(from, confidence) in &model.calibration {
        out.extend_from_slice(&from.to_le_bytes());
        out.extend_from_slice(&confidence.to_le_bytes());
    }
    for (t, w) in table {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// The table in `cell`, read from `bytes` on first use: `None` when the
/// bytes hold no weight (each model's `embedded()`).
pub fn embedded_table(
    cell: &'static std::sync::OnceLock<Option<Table<'static>>>,
    bytes: &'static [u8],
) -> Option<Table<'static>> {
    *cell.get_or_init(|| Table::from_bytes(bytes).filter(|t| !t.is_empty()))
}

/// The logistic function: a model's probability of the sum of its weights.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
}

/// A model's weights, read where they lie.
#[derive(Clone, Copy, Debug)]
pub struct Table<'a> {
    /// The model's threshold: the probability below which the precision
    /// model drops a finding, at or above which the claim model reports a
    /// sentence.
    pub threshold: f32,
    calibration: &'a [u8],
    records: &'a [u8],
}

impl<'a> Table<'a> {
    /// The table of [`to_bytes`] output, if its calibration steps are as
    /// [`parse_tsv`] accepts them (or none) and its size is a power of two
    /// slots with a free one (so that every probe ends).
    pub fn from_bytes(bytes: &'a [u8]) -> Option<Table<'a>> {
        let (head, rest) = bytes.split_first_chunk::<4>()?;
        let (steps, rest) = rest.split_first_chunk::<4>()?;
        let steps = usize::try_from(u32::from_le_bytes(*steps)).ok()?.checked_mul(STEP)?;
        let (calibration, records) = rest.split_at_checked(steps)?;
        let table = Table { threshold: f32::from_le_bytes(*head), calibration, records };
        let steps: Vec<(f32, f32)> = (0..calibration.len() / STEP).map(|i| table.step(i)).collect();
        let calibrated = steps_problem(&steps).is_none();
        let slots = records.len() / RECORD;
        let well_formed = calibrated && records.len().is_multiple_of(RECORD) && slots.is_power_of_two();
        (well_formed && (0..slots).any(|i| table.record(i).0 == 0)).then_some(table)
    }

    /// How many slots there are (at least twice the weights).
    pub fn slots(&self) -> usize {
        self.records.len() / RECORD
    }

    /// Whether it holds no weight.
    pub fn is_empty(&self) -> bool {
        (0..self.slots()).all(|i| self.record(i).0 == 0)
    }

    /// The tag (0: empty) and weight in slot `i`.
    fn record(&self, i: usize) -> (u32, f32) {
        let r: &[u8; RECORD] = self.records[i * RECORD..(i + 1) * RECORD].try_into().expect("a record");
        let [t0, t1, t2, t3, w0, w1, w2, w3] = *r;
        (u32::from_le_bytes([t0, t1, t2, t3]), f32::from_le_bytes([w0, w1, w2, w3]))
    }

    /// The confidence of a probability: the share of the reports of about
    /// this probability that reviewers marked when the model was
    /// cross-validated (the last calibration step at or below it). `None`
    /// for a table without calibration.
    pub fn confidence(&self, probability: f32) -> Option<f32> {
        let reached = (0..self.calibration.len() / STEP).take_while(|&i| self.step(i).0 <= probability).last();
        reached.map(|i| self.step(i).1)
    }

    /// Calibration step `i`: (from, confidence).
    fn step(&self, i: usize) -> (f32, f32) {
        let s: &[u8; STEP] = self.calibration[i * STEP..(i + 1) * STEP].try_into().expect("a step");
        let [f0, f1, f2, f3, c0, c1, c2, c3] = *s;
        (f32::from_le_bytes([f0, f1, f2, f3]), f32::from_le_bytes([c0, c1, c2, c3]))
    }

    /// The weight of the feature of hash `hash` (0 for a feature the model
    /// never saw).
    pub fn weight(&self, hash: u64) -> f32 {
        let mask = self.slots() - 1;
        let wanted = tag(hash);
        let mut i = hash as usize & mask;
        loop {
            match self.record(i) {
                (0, _) => return 0.0,
                (t, w) if t == wanted => return w,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_finds_every_weight_it_was_given() {
        let model =
            parse_tsv("# a comment\n# threshold 0.25\n# calibration 0:0.1 0.5:0.6\n1.5\tb\n-2\tk:heading\n0.5\tb\n")
                .unwrap();
        let bytes = to_bytes(&model);
        let table = Table::from_bytes(&bytes).unwrap();
        assert_eq!(table.threshold, 0.25);
        assert_eq!((model.records.len(), table.slots()), (2, 4), "the two lines of `b` add up");
        assert_eq!(table.weight(feature_hash("b")), 2.0);
        assert_eq!(table.weight(feature_hash("k:heading")), -2.0);
        assert_eq!(table.weight(feature_hash("never seen")), 0.0);
        assert_eq!(feature_hash_parts(&["k:", "head", "ing"]), feature_hash("k:heading"));
    }

    #[test]
    fn a_bad_line_is_an_error_naming_it() {
        let c = "# calibration 0:0\n";
        let err = |text: &str| parse_tsv(text).unwrap_err();
        assert_eq!(err(&format!("# threshold 0.2\n{c}b 1.0\n")), "line 3: no tab");
        assert_eq!(err("# threshold x\n"), "line 1: threshold: invalid float literal");
        assert_eq!(err(&format!("{c}1.0\tb\n")), "no `# threshold` line");
        assert_eq!(err("# threshold 0.2\n1.0\tb\n"), "no `# calibration` line");
        assert_eq!(err(&format!("# threshold 0.2\n{c}")), "no weights");
        assert_eq!(err("# threshold 1.5\n1\tb\n"), "line 1: threshold 1.5 is not a probability");
        assert_eq!(err(&format!("# threshold 0.2\n{c}NaN\tb\n")), "line 3: weight NaN is not finite");
        assert_eq!(err(&format!("# threshold 0.2\n{c}inf\tb\n")), "line 3: weight inf is not finite");
        let calibration = |steps: &str| err(&format!("# threshold 0.2\n# calibration {steps}\n1\tb\n"));
        assert_eq!(calibration("0.1:0.2"), "line 2: calibration: the first step starts at 0.1, not 0");
        assert_eq!(calibration("0:0.2 0.5:0.1"), "line 2: calibration: `0.5:0.1` falls below 0.2");
        assert_eq!(calibration("0:0.2 0.5:0.3 0.5:0.4"), "line 2: calibration: `0.5:0.4` does not start after 0.5");
        assert_eq!(calibration("0:0.2 0.5"), "line 2: calibration: `0.5` is not from:confidence");
        assert_eq!(calibration("0:1.2"), "line 2: calibration: `0:1.2`: both parts must be probabilities");
        assert_eq!(calibration(""), "line 2: calibration: no steps");
        assert!(Table::from_bytes(&[0, 0, 0]).is_none());
        assert!(Table::from_bytes(&[0; 5]).is_none());
        assert!(Table::from_bytes(&[0; 8 + 3 * RECORD]).is_none(), "not a power of two");
        assert!(Table::from_bytes(&[0; 8 + RECORD + 1]).is_none(), "records not a multiple of their size");
        let mut steps = vec![0; 4];
        steps.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(Table::from_bytes(&steps).is_none(), "more steps than bytes");
        let model = ModelFile { threshold: 0.5, calibration: vec![(0.0, 0.2), (0.5, 0.6)], records: vec![(1, 1.0)] };
        assert!(Table::from_bytes(&to_bytes(&model)).is_some());
        for bad in [vec![(0.1, 0.2)], vec![(0.0, 0.6), (0.5, 0.2)], vec![(0.0, 0.2), (0.0, 0.3)], vec![(0.0, f32::NAN)]]
        {
            let bytes = to_bytes(&ModelFile { calibration: bad.clone(), ..model.clone() });
            assert!(Table::from_bytes(&bytes).is_none(), "{bad:?}: not steps parse_tsv accepts");
        }
        let mut full = 0.5f32.to_le_bytes().to_vec();
        full.extend_from_slice(&0u32.to_le_bytes());
        for t in [2u32, 1] {
            full.extend_from_slice(&t.to_le_bytes());
            full.extend_from_slice(&1.0f32.to_le_bytes());
        }
        assert!(Table::from_bytes(&full).is_none(), "no free slot: a probe for 3 would never end");
    }

    #[test]
    fn colliding_hashes_probe_on_and_every_weight_is_found() {
        // Hashes equal modulo the table size land in one slot and move on;
        // their high halves (the tags) tell them apart.
        let records: Vec<(u64, f32)> = (1..=50u64).map(|i| (i << 40 | 7 << 20, i as f32)).collect();
        let bytes = to_bytes(&ModelFile { threshold: 0.1, calibration: vec![(0.0, 0.5)], records: records.clone() });
        let table = Table::from_bytes(&bytes).unwrap();
        assert!(table.slots() >= 100);
        for &(h, w) in &records {
            assert_eq!(table.weight(h), w);
        }
        assert_eq!(table.weight(51 << 40 | 7 << 20), 0.0);
    }

    #[test]
    #[should_panic(expected = "share the tag")]
    fn two_records_of_one_tag_in_one_run_are_refused() {
        to_bytes(&ModelFile {
            threshold: 0.1,
            calibration: vec![],
            records: vec![(1 << 40 | 3, 1.0), (1 << 40 | 7, 2.0)],
        });
    }

    #[test]
    fn a_probability_takes_the_confidence_of_the_last_step_it_reaches() {
        let model = parse_tsv("# threshold 0.5\n# calibration 0:0.05 0.2:0.3 0.9:0.85\n1\tb\n").unwrap();
        assert_eq!(model.calibration, vec![(0.0, 0.05), (0.2, 0.3), (0.9, 0.85)]);
        let bytes = to_bytes(&model);
        let table = Table::from_bytes(&bytes).unwrap();
        let got: Vec<Option<f32>> = [0.0, 0.1999, 0.2, 0.5, 0.9, 1.0, f32::NAN].map(|p| table.confidence(p)).to_vec();
        assert_eq!(got, [Some(0.05), Some(0.05), Some(0.3), Some(0.3), Some(0.85), Some(0.85), None]);
        let uncalibrated = to_bytes(&ModelFile { calibration: vec![], ..model });
        assert_eq!(Table::from_bytes(&uncalibrated).unwrap().confidence(0.5), None);
    }

    #[test]
    fn hashes_of_parts_are_hashes_of_the_whole_and_differ_by_length() {
        let long = "代謝を高める".repeat(8);
        let words = [
            "",
            "b",
            "2:",
            "2:代謝",
            "3:^代謝",
            "tb:代謝|を",
            "exactly8",
            "a longer feature of more than eight bytes",
            &long,
        ];
        for w in words {
            assert_eq!(long_hash(&[w]), feature_hash(w), "{w}: the two ways agree");
            for cut in (0..=w.len()).filter(|&i| w.is_char_boundary(i)) {
                assert_eq!(feature_hash_parts(&[&w[..cut], &w[cut..]]), feature_hash(w), "{w} at {cut}");
            }
        }
        assert!(long.len() > SHORT);
        assert_eq!(feature_hash(&long[..SHORT - 4]), long_hash(&[&long[..SHORT - 4]]));
        let all: std::collections::BTreeSet<u64> = words.iter().map(|w| feature_hash(w)).collect();
        assert_eq!(all.len(), words.len());
        assert_ne!(feature_hash("a"), feature_hash("a\0"), "a trailing zero byte changes the hash");
    }
}
