//! The two models' weights as tables read in place.
//!
//! A model file (`model/precision.tsv`, `model/claims.tsv`, written by
//! `scripts/train-models.py`) holds a `# threshold T` line and
//! `weight<TAB>feature` lines. `build.rs` reads it with [`parse_tsv`] and
//! embeds [`to_bytes`]: the threshold, then an open-addressing hash table of
//! (tag, weight) records at most half full, so that a run parses nothing
//! and looks a feature up in a probe or two ([`Table::weight`]). A record is
//! eight bytes (the high half of the feature's hash as its tag, its weight),
//! so that a table of 50,000 weights stays within a core's cache. Tag 0
//! marks an empty slot.
//! This file depends on nothing of the crate, so that `build.rs` includes it.

/// Bytes of one record: a little-endian `u32` tag and `f32` weight.
const RECORD: usize = 8;

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

/// The threshold and the (hash, weight) records of a model file, sorted by
/// hash; an error names the line.
pub fn parse_tsv(text: &str) -> Result<(f32, Vec<(u64, f32)>), String> {
    let mut threshold = None;
    let mut records = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(t) = line.strip_prefix("# threshold ") {
            let t = t.trim().parse::<f32>().map_err(|e| format!("line {}: threshold: {e}", n + 1))?;
            if !(0.0..=1.0).contains(&t) {
                return Err(format!("line {}: threshold {t} is not a probability", n + 1));
            }
            threshold = Some(t);
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
    Ok((threshold, records))
}

/// The embedded form: threshold (`f32`), then the slots of a hash table
/// with a power-of-two number of slots, at least twice the records, each
/// record in the first free slot from its hash on.
///
/// # Panics
///
/// When two records of one probe run share a tag (one in four billion for
/// a pair): the table could not tell them apart, and `build.rs` must fail
/// rather than embed a model that is not its file.
pub fn to_bytes(threshold: f32, records: &[(u64, f32)]) -> Vec<u8> {
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
    let mut out = Vec::with_capacity(4 + slots * RECORD);
    out.extend_from_slice(&threshold.to_le_bytes());
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
    records: &'a [u8],
}

impl<'a> Table<'a> {
    /// The table of [`to_bytes`] output, if its size is a power of two
    /// slots with a free one (so that every probe ends).
    pub fn from_bytes(bytes: &'a [u8]) -> Option<Table<'a>> {
        let (head, records) = bytes.split_first_chunk::<4>()?;
        let table = Table { threshold: f32::from_le_bytes(*head), records };
        let slots = records.len() / RECORD;
        let well_formed = records.len().is_multiple_of(RECORD) && slots.is_power_of_two();
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
        let (threshold, records) = parse_tsv("# a comment\n# threshold 0.25\n1.5\tb\n-2\tk:heading\n0.5\tb\n").unwrap();
        let bytes = to_bytes(threshold, &records);
        let table = Table::from_bytes(&bytes).unwrap();
        assert_eq!(table.threshold, 0.25);
        assert_eq!((records.len(), table.slots()), (2, 4), "the two lines of `b` add up");
        assert_eq!(table.weight(feature_hash("b")), 2.0);
        assert_eq!(table.weight(feature_hash("k:heading")), -2.0);
        assert_eq!(table.weight(feature_hash("never seen")), 0.0);
        assert_eq!(feature_hash_parts(&["k:", "head", "ing"]), feature_hash("k:heading"));
    }

    #[test]
    fn a_bad_line_is_an_error_naming_it() {
        assert_eq!(parse_tsv("# threshold 0.2\nb 1.0\n").unwrap_err(), "line 2: no tab");
        assert_eq!(parse_tsv("# threshold x\n").unwrap_err(), "line 1: threshold: invalid float literal");
        assert_eq!(parse_tsv("1.0\tb\n").unwrap_err(), "no `# threshold` line");
        assert_eq!(parse_tsv("# threshold 0.2\n").unwrap_err(), "no weights");
        assert_eq!(parse_tsv("# threshold 1.5\n1\tb\n").unwrap_err(), "line 1: threshold 1.5 is not a probability");
        assert_eq!(parse_tsv("# threshold 0.2\nNaN\tb\n").unwrap_err(), "line 2: weight NaN is not finite");
        assert_eq!(parse_tsv("# threshold 0.2\ninf\tb\n").unwrap_err(), "line 2: weight inf is not finite");
        assert!(Table::from_bytes(&[0, 0, 0]).is_none());
        assert!(Table::from_bytes(&[0; 5]).is_none());
        assert!(Table::from_bytes(&[0; 4 + 3 * RECORD]).is_none(), "not a power of two");
        let mut full = 0.5f32.to_le_bytes().to_vec();
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
        let bytes = to_bytes(0.1, &records);
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
        to_bytes(0.1, &[(1 << 40 | 3, 1.0), (1 << 40 | 7, 2.0)]);
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
