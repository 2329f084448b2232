//! The precision model's weights as a table read in place.
//!
//! `model/precision.tsv` (written by `scripts/train-models.py`)
//! holds a `# threshold T` line and `weight<TAB>feature` lines. `build.rs`
//! reads it with [`parse_tsv`] and embeds [`to_bytes`]: the threshold, then
//! an open-addressing hash table of (feature hash, weight) records at most
//! half full, so that a run parses nothing and looks a feature up in a probe
//! or two ([`Table::weight`]). Hash 0 marks an empty slot.
//! This file depends on nothing of the crate, so that `build.rs` includes it.

/// Bytes of one record: a little-endian `u64` hash and `f32` weight.
const RECORD: usize = 12;

/// The hash a feature is looked up by (64-bit FNV-1a of its UTF-8).
pub fn feature_hash(feature: &str) -> u64 {
    feature_hash_parts(&[feature])
}

/// [`feature_hash`] of the concatenation of `parts`, without making it.
pub fn feature_hash_parts(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.iter().flat_map(|p| p.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
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
/// record in the first free slot from its hash on. A record of hash 0 (which
/// would read as empty) is left out.
pub fn to_bytes(threshold: f32, records: &[(u64, f32)]) -> Vec<u8> {
    let slots = (records.len() * 2).next_power_of_two().max(2);
    let mut table = vec![(0u64, 0f32); slots];
    for &(h, w) in records.iter().filter(|r| r.0 != 0) {
        let mut i = h as usize & (slots - 1);
        while table[i].0 != 0 {
            i = (i + 1) & (slots - 1);
        }
        table[i] = (h, w);
    }
    let mut out = Vec::with_capacity(4 + slots * RECORD);
    out.extend_from_slice(&threshold.to_le_bytes());
    for (h, w) in table {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// A model's weights, read where they lie.
#[derive(Clone, Copy, Debug)]
pub struct Table<'a> {
    /// The probability below which a finding is dropped.
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
        (well_formed && (0..slots).any(|i| table.key(i) == 0)).then_some(table)
    }

    /// How many slots there are (at least twice the weights).
    pub fn slots(&self) -> usize {
        self.records.len() / RECORD
    }

    /// Whether it holds no weight.
    pub fn is_empty(&self) -> bool {
        (0..self.slots()).all(|i| self.key(i) == 0)
    }

    /// The hash in slot `i` (0: empty).
    fn key(&self, i: usize) -> u64 {
        u64::from_le_bytes(self.records[i * RECORD..i * RECORD + 8].try_into().expect("8 bytes"))
    }

    /// The weight of the feature of hash `hash` (0 for a feature the model
    /// never saw).
    pub fn weight(&self, hash: u64) -> f32 {
        let mask = self.slots() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.key(i) {
                0 => return 0.0,
                k if k == hash => {
                    let at = i * RECORD + 8;
                    return f32::from_le_bytes(self.records[at..at + 4].try_into().expect("4 bytes"));
                }
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
        for h in [2u64, 1] {
            full.extend_from_slice(&h.to_le_bytes());
            full.extend_from_slice(&1.0f32.to_le_bytes());
        }
        assert!(Table::from_bytes(&full).is_none(), "no free slot: a probe for 3 would never end");
    }

    #[test]
    fn colliding_hashes_probe_on_and_every_weight_is_found() {
        // Hashes equal modulo the table size land in one slot and move on.
        let records: Vec<(u64, f32)> = (1..=50u64).map(|i| (i << 20, i as f32)).collect();
        let bytes = to_bytes(0.1, &records);
        let table = Table::from_bytes(&bytes).unwrap();
        assert!(table.slots() >= 100);
        for &(h, w) in &records {
            assert_eq!(table.weight(h), w);
        }
        assert_eq!(table.weight(51 << 20), 0.0);
    }
}
