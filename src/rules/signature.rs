//! Gate signatures: the literal gates of every regex (see [`super::gates`])
//! folded into 256 bits, so that filing a literal hit for the gates costs
//! one OR per hit, however many gates the literal belongs to.
//!
//! Gate `g` of regex `x` owns bit [`gate_bit`]`(x, g)`. A literal's mask holds
//! the bits of every gate it belongs to; a sentence's signature is the union
//! of the masks of the literals that start in it; a regex runs on a sentence
//! only when the signature holds every bit of its gates ([`Signatures::admits`]).
//! Gates may share a bit, so a regex may run on a sentence where one of its
//! gates has no literal (it then finds nothing there: every match holds a
//! literal of each gate), never the other way round.

use std::borrow::Cow;

use super::compile::Role;

/// 256 bits: a set of gates.
pub type GateMask = [u64; 4];

/// The bit of gate `g` of regex `x`: a multiplicative hash, so that the
/// gates of one regex and of neighbouring regexes spread over the bits.
pub fn gate_bit(x: usize, g: usize) -> usize {
    let key = ((x as u32) << 6) ^ (g as u32);
    (key.wrapping_mul(0x9E37_79B1) >> 24) as usize
}

/// Adds bit `bit` to `mask`.
fn set(mask: &mut GateMask, bit: usize) {
    mask[bit / 64] |= 1 << (bit % 64);
}

/// The gate masks of a rule set's literals and regexes. The literals'
/// tables are little-endian bytes, so that the embedded pack's are read
/// where they lie: copying them into vectors cost a process a third of a
/// millisecond of page faults.
#[derive(Debug, Default)]
pub struct Signatures {
    /// Per literal, 1 + the index of its mask in `masks`, or 0 for a literal
    /// of no gate: a `u32` each.
    of_literal: Cow<'static, [u8]>,
    /// The masks of the literals that belong to some gate: four `u64`s each.
    masks: Cow<'static, [u8]>,
    /// Per regex, the bits of all its gates.
    of_regex: Vec<GateMask>,
}

/// Bytes of one mask in [`Signatures::masks`].
const MASK_BYTES: usize = 32;

impl Signatures {
    /// Takes the [`Role::Gate`] roles out of every literal's roles
    /// (`roles[starts[i]..starts[i + 1]]` are literal `i`'s) into masks, and
    /// gives each of `gates_per_regex` regexes the bits of its gates.
    pub fn split(roles: &mut Vec<Role>, starts: &mut [u32], gates_per_regex: &[usize]) -> Signatures {
        let (mut of_literal, mut masks) = (Vec::with_capacity(starts.len() * 4), Vec::new());
        let mut count = 0u32;
        let mut kept = 0;
        for i in 0..starts.len().saturating_sub(1) {
            let (from, to) = (starts[i] as usize, starts[i + 1] as usize);
            starts[i] = kept as u32;
            let mut mask = GateMask::default();
            for r in from..to {
                match roles[r] {
                    Role::Gate(x, g) => set(&mut mask, gate_bit(x, g)),
                    role => {
                        roles[kept] = role;
                        kept += 1;
                    }
                }
            }
            if mask == GateMask::default() {
                of_literal.extend(0u32.to_le_bytes());
            } else {
                masks.extend(mask.iter().flat_map(|w| w.to_le_bytes()));
                count += 1;
                of_literal.extend(count.to_le_bytes());
            }
        }
        if let Some(last) = starts.last_mut() {
            *last = kept as u32;
        }
        roles.truncate(kept);
        Signatures {
            of_literal: Cow::Owned(of_literal),
            masks: Cow::Owned(masks),
            of_regex: regex_masks(gates_per_regex),
        }
    }

    /// The literals' tables as bytes, for the embedded pack: the index of
    /// each literal's mask, and the masks.
    pub fn to_bytes(&self) -> (Vec<u8>, Vec<u8>) {
        (self.of_literal.to_vec(), self.masks.to_vec())
    }

    /// The tables of [`Signatures::to_bytes`], read where they lie, for
    /// `gates_per_regex` regexes; `None` when they are not well formed (a
    /// literal names a mask that is not there).
    pub fn from_bytes(
        of_literal: &'static [u8],
        masks: &'static [u8],
        gates_per_regex: &[usize],
    ) -> Option<Signatures> {
        let count = masks.len() / MASK_BYTES;
        let well_formed = of_literal.len().is_multiple_of(4)
            && masks.len().is_multiple_of(MASK_BYTES)
            && of_literal.chunks_exact(4).all(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize <= count);
        well_formed.then(|| Signatures {
            of_literal: Cow::Borrowed(of_literal),
            masks: Cow::Borrowed(masks),
            of_regex: regex_masks(gates_per_regex),
        })
    }

    /// The gate mask of literal `id`, `None` for a literal of no gate.
    #[inline]
    pub fn of_literal(&self, id: usize) -> Option<GateMask> {
        let k = self.of_literal.get(id * 4..id * 4 + 4)?;
        let k = u32::from_le_bytes([k[0], k[1], k[2], k[3]]) as usize;
        let mask = self.masks.get(k.checked_sub(1)? * MASK_BYTES..k * MASK_BYTES)?;
        Some(std::array::from_fn(|w| {
            let b = &mask[w * 8..w * 8 + 8];
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        }))
    }

    /// Whether regex `x` may match in a sentence of signature `signature`.
    #[inline]
    pub fn admits(&self, x: usize, signature: &GateMask) -> bool {
        let need = &self.of_regex[x];
        (0..4).all(|w| signature[w] & need[w] == need[w])
    }
}

/// Per regex, the bits of all its gates.
fn regex_masks(gates_per_regex: &[usize]) -> Vec<GateMask> {
    gates_per_regex
        .iter()
        .enumerate()
        .map(|(x, &gates)| {
            let mut mask = GateMask::default();
            (0..gates).for_each(|g| set(&mut mask, gate_bit(x, g)));
            mask
        })
        .collect()
}

/// Adds `mask` to a sentence's signature.
#[inline]
pub fn add(signature: &mut GateMask, mask: &GateMask) {
    for w in 0..4 {
        signature[w] |= mask[w];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_roles_become_masks_and_other_roles_stay_in_order() {
        // Literal 0: a phrase and gate 0 of regex 1; literal 1: no gate;
        // literal 2: gate 1 of regex 1 and gate 0 of regex 0.
        let mut roles = vec![
            Role::Phrase(3),
            Role::Gate(1, 0),
            Role::Anchor(0),
            Role::Trigger(2),
            Role::Gate(1, 1),
            Role::Gate(0, 0),
        ];
        let mut starts = vec![0, 2, 4, 6];
        let signatures = Signatures::split(&mut roles, &mut starts, &[1, 2]);
        assert_eq!(roles, [Role::Phrase(3), Role::Anchor(0), Role::Trigger(2)]);
        assert_eq!(starts, [0, 1, 3, 3]);
        assert!(signatures.of_literal(1).is_none());
        assert!(signatures.of_literal(3).is_none(), "no such literal");
        let (a, c) = (signatures.of_literal(0).unwrap(), signatures.of_literal(2).unwrap());
        // Regex 1 needs both its gates: literal 0 alone is not enough
        // unless the two gates share a bit.
        let mut sentence = GateMask::default();
        add(&mut sentence, &a);
        assert_eq!(signatures.admits(1, &sentence), gate_bit(1, 0) == gate_bit(1, 1));
        add(&mut sentence, &c);
        assert!(signatures.admits(1, &sentence));
        assert!(signatures.admits(0, &c));
        assert!(!signatures.admits(0, &GateMask::default()));
    }

    #[test]
    fn signatures_survive_their_bytes_and_bad_bytes_are_refused() {
        let mut roles = vec![Role::Gate(0, 0), Role::Phrase(1), Role::Gate(2, 1), Role::Gate(1, 0)];
        let mut starts = vec![0, 2, 2, 4];
        let gates = [1, 1, 2];
        let split = Signatures::split(&mut roles, &mut starts, &gates);
        let (of_literal, masks) = split.to_bytes();
        let leak = |bytes: &[u8]| -> &'static [u8] { Box::leak(bytes.to_vec().into_boxed_slice()) };
        let read = Signatures::from_bytes(leak(&of_literal), leak(&masks), &gates).unwrap();
        for id in 0..4 {
            assert_eq!(split.of_literal(id), read.of_literal(id), "literal {id}");
        }
        assert!(Signatures::from_bytes(leak(&of_literal), leak(&masks[..32]), &gates).is_none(), "a missing mask");
        assert!(Signatures::from_bytes(leak(&of_literal), leak(&masks[..48]), &gates).is_none(), "half a mask");
        assert!(Signatures::from_bytes(leak(&of_literal[..5]), leak(&masks), &gates).is_none(), "a cut index");
    }

    #[test]
    fn the_gates_of_one_regex_spread_over_the_bits() {
        for x in 0..400 {
            let bits: std::collections::HashSet<usize> = (0..4).map(|g| gate_bit(x, g)).collect();
            assert!(bits.len() >= 3, "regex {x}: {bits:?}");
        }
    }
}
