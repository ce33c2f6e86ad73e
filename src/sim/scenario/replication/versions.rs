//! Versioned values as replicas store them: a value with its write timestamp and version vector,
//! and a small fixed-size set of siblings. Reconciliation is either last-writer-wins (keep the
//! sibling with the highest timestamp) or version vectors (keep every sibling no other one
//! descends from). Fixed-size arrays: no allocation when a value is copied into a message.

/// Most replicas a run can have (the `n` parameter's maximum).
pub const MAX_N: usize = 9;

/// How concurrent versions are reconciled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Last writer wins: the highest (timestamp, value) survives, the rest are discarded.
    Lww,
    /// Version vectors: concurrent versions are all kept as siblings.
    Vv,
}

/// A version vector: per replica, how many of its writes (to this key) are in the causal past.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Vv(pub [u32; MAX_N]);

impl Vv {
    /// Entry-wise maximum.
    pub fn join(&mut self, o: &Vv) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a = (*a).max(*b);
        }
    }
    /// Every entry at least the other's: `self` has seen everything `o` has.
    pub fn descends(&self, o: &Vv) -> bool {
        self.0.iter().zip(o.0.iter()).all(|(a, b)| a >= b)
    }
    /// Entry for replica `i` (0 if out of range).
    pub fn get(&self, i: usize) -> u32 {
        self.0.get(i).copied().unwrap_or(0)
    }
}

/// One version of a key's value. Value 0 with timestamp 0 is the initial value of every key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sib {
    /// Unique per write (the operation id plus one).
    pub value: u64,
    /// Coordinator's clock when the write was created (µs); ties broken by value.
    pub ts: u64,
    /// The write's causal context including its own dot.
    pub vv: Vv,
}

impl Sib {
    fn rank(&self) -> (u64, u64) {
        (self.ts, self.value)
    }
}

/// Stable sort by rank of at most `MAX_N` siblings: a few lines instead of the standard
/// library's stable sort, whose code would otherwise ship in the wasm for this one use.
fn insertion_sort(s: &mut [Sib]) {
    for i in 1..s.len() {
        let mut j = i;
        while j > 0 && s[j - 1].rank() > s[j].rank() {
            s.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A key's state on one replica: one version (LWW) or several concurrent siblings (VV), kept
/// sorted by (timestamp, value) so equal states compare equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sibs {
    len: u8,
    s: [Sib; MAX_N],
}

impl Default for Sibs {
    fn default() -> Sibs {
        Sibs::one(Sib::default())
    }
}

impl Sibs {
    /// A single version.
    pub fn one(s: Sib) -> Sibs {
        let mut out = Sibs {
            len: 1,
            s: [Sib::default(); MAX_N],
        };
        out.s[0] = s;
        out
    }
    /// The versions, oldest first.
    pub fn as_slice(&self) -> &[Sib] {
        self.s.get(..self.len as usize).unwrap_or(&[])
    }
    /// How many siblings.
    pub fn len(&self) -> usize {
        self.len as usize
    }
    /// Never empty (the initial value counts), but clippy likes the pair.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The version with the highest (timestamp, value): what a reader that must pick one picks.
    pub fn newest(&self) -> Sib {
        self.as_slice().last().copied().unwrap_or_default()
    }
    /// Join of every sibling's vector: the causal context a new write at this replica gets.
    pub fn context(&self) -> Vv {
        let mut v = Vv::default();
        self.as_slice().iter().for_each(|s| v.join(&s.vv));
        v
    }
    /// Does some sibling include the write with this value and vector (itself or a descendant)?
    pub fn covers(&self, value: u64, vv: &Vv) -> bool {
        self.as_slice()
            .iter()
            .any(|s| s.value == value || s.vv.descends(vv) && s.vv != *vv)
    }
    /// A short fingerprint of the state (values are unique, so they identify it).
    pub fn fingerprint(&self) -> u64 {
        self.as_slice().iter().fold(0xcbf2_9ce4_8422_2325, |h, s| {
            (h ^ s.value).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Merge `o` into `self`; true if `self` changed.
    pub fn merge(&mut self, o: &Sibs, how: Conflict) -> bool {
        let before = *self;
        match how {
            Conflict::Lww => {
                if o.newest().rank() > self.newest().rank() {
                    *self = Sibs::one(o.newest());
                }
            }
            Conflict::Vv => o.as_slice().iter().for_each(|s| self.add(*s)),
        }
        *self != before
    }

    /// Add one version under version-vector rules.
    fn add(&mut self, new: Sib) {
        let dominated = |a: &Sib, b: &Sib| b.vv.descends(&a.vv) && b.vv != a.vv;
        let all = self.as_slice();
        if all
            .iter()
            .any(|s| s.value == new.value || dominated(&new, s))
        {
            return;
        }
        let mut keep = [Sib::default(); MAX_N];
        let mut k = 0;
        for s in all.iter().filter(|s| !dominated(s, &new)) {
            if let Some(slot) = keep.get_mut(k) {
                *slot = *s;
                k += 1;
            }
        }
        // Full (cannot happen with one writer per replica): the oldest sibling makes room.
        if k == MAX_N {
            keep.copy_within(1.., 0);
            k -= 1;
        }
        if let Some(slot) = keep.get_mut(k) {
            *slot = new;
            k += 1;
        }
        let slice = keep.get_mut(..k).unwrap_or(&mut []);
        insertion_sort(slice);
        self.s = keep;
        self.len = k as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sib(value: u64, ts: u64, vv: &[u32]) -> Sib {
        let mut v = Vv::default();
        v.0[..vv.len()].copy_from_slice(vv);
        Sib { value, ts, vv: v }
    }

    #[test]
    fn lww_keeps_the_newest_and_vv_keeps_concurrent_siblings() {
        let a = Sibs::one(sib(1, 10, &[1, 0]));
        let b = Sibs::one(sib(2, 20, &[0, 1]));
        let mut l = a;
        assert!(l.merge(&b, Conflict::Lww));
        assert_eq!(l.as_slice(), &[sib(2, 20, &[0, 1])]);
        assert!(!l.merge(&a, Conflict::Lww));
        let mut v = a;
        assert!(v.merge(&b, Conflict::Vv));
        assert_eq!(v.len(), 2);
        assert_eq!(v.newest().value, 2);
        // A write that saw both replaces both.
        let c = Sibs::one(sib(3, 30, &[2, 1]));
        assert!(v.merge(&c, Conflict::Vv));
        assert_eq!(v.as_slice(), c.as_slice());
        assert!(
            !v.merge(&a, Conflict::Vv),
            "an older version changes nothing"
        );
        assert!(v.covers(1, &sib(1, 10, &[1, 0]).vv));
        assert!(!Sibs::default().covers(1, &sib(1, 10, &[1, 0]).vv));
    }

    #[test]
    fn initial_value_gives_way_and_merge_is_order_independent() {
        let x = Sibs::one(sib(5, 5, &[0, 0, 1]));
        let y = Sibs::one(sib(6, 6, &[1, 0, 0]));
        let (mut p, mut q) = (Sibs::default(), Sibs::default());
        p.merge(&x, Conflict::Vv);
        p.merge(&y, Conflict::Vv);
        q.merge(&y, Conflict::Vv);
        q.merge(&x, Conflict::Vv);
        assert_eq!(p, q);
        assert_eq!(p.fingerprint(), q.fingerprint());
        assert_eq!(p.context().0[..3], [1, 0, 1]);
    }
}
