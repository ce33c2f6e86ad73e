//! Key placement for the `sharding` scenario: a portable key hash and the four strategies
//! (key ranges, hash mod N, a consistent-hashing ring with virtual nodes, a directory kept by a
//! rebalancer). Pure data: the scenario asks "which shard owns key k?" and applies membership
//! changes; it counts moved keys itself by comparing owners before and after.

/// How keys are assigned to shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Contiguous key ranges, one per shard; a new shard splits the biggest range.
    Range,
    /// `hash(key) mod N` over the shards in slot order.
    Hash,
    /// A ring of virtual nodes; a key belongs to the first virtual node clockwise of its hash.
    Consistent,
    /// A lookup table, key by key, kept balanced by a rebalancer.
    Directory,
}

impl Strategy {
    /// Parameter spellings, in declaration order.
    pub const NAMES: &'static [&'static str] = &["range", "hash", "consistent", "directory"];

    /// Parse a parameter value.
    pub fn parse(s: &str) -> Option<Strategy> {
        match s {
            "range" => Some(Strategy::Range),
            "hash" => Some(Strategy::Hash),
            "consistent" => Some(Strategy::Consistent),
            "directory" => Some(Strategy::Directory),
            _ => None,
        }
    }

    /// Parameter spelling.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::Hash => "hash",
            Strategy::Consistent => "consistent",
            Strategy::Directory => "directory",
        }
    }
}

/// The SplitMix64 finaliser: spreads every input bit over the whole word.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a over `bytes` (offset basis xored with `salt`), finished with `mix64` so that
/// similar names ("S1#7", "S1#8") land far apart. Integer operations only: the same everywhere.
pub fn hash_bytes(salt: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ salt;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// A short byte string built on the stack (no allocation per key).
struct Name {
    buf: [u8; 32],
    len: usize,
}

impl Name {
    fn new(prefix: &[u8]) -> Name {
        let mut n = Name {
            buf: [0; 32],
            len: 0,
        };
        n.push(prefix);
        n
    }
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }
    /// Decimal digits of `v`, zero-padded to `width`.
    fn num(&mut self, v: u32, width: usize) {
        let mut digits = [b'0'; 10];
        let (mut v, mut i) = (v, digits.len());
        while v > 0 && i > 0 {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        let start = i.min(digits.len().saturating_sub(width.max(1)));
        self.push(digits.get(start..).unwrap_or(&[]));
    }
    fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

/// The hash of key `k`, i.e. of its name `user:00042`.
pub fn key_hash(salt: u64, k: u32) -> u64 {
    let mut n = Name::new(b"user:");
    n.num(k, 5);
    hash_bytes(salt, n.bytes())
}

/// The ring position of virtual node `v` of shard `s`, i.e. the hash of `S3#17`.
pub fn vnode_hash(salt: u64, s: u8, v: u32) -> u64 {
    let mut n = Name::new(b"S");
    n.num(s as u32, 1);
    n.push(b"#");
    n.num(v, 1);
    hash_bytes(salt, n.bytes())
}

/// A key's display name.
pub fn key_name(k: u32) -> String {
    format!("user:{k:05}")
}

/// Where every key lives under one strategy, for one set of shards.
#[derive(Clone, Debug)]
pub struct Placement {
    strategy: Strategy,
    vnodes: u32,
    salt: u64,
    /// Shard slots in the cluster, ascending.
    active: Vec<u8>,
    hashes: Vec<u64>,
    /// `consistent` only: (position, shard), sorted by position.
    ring: Vec<(u64, u8)>,
    /// `range` only: (first key, shard), sorted by first key; the first starts at 0.
    ranges: Vec<(u32, u8)>,
    owner: Vec<u8>,
}

impl Placement {
    /// Lay `keys` keys out over the `active` shard slots (at least one).
    pub fn new(strategy: Strategy, keys: u32, active: &[u8], vnodes: u32, salt: u64) -> Placement {
        let mut act = active.to_vec();
        crate::sim::compact::sort(&mut act);
        act.dedup();
        if act.is_empty() {
            act.push(0);
        }
        let mut p = Placement {
            strategy,
            vnodes: vnodes.max(1),
            salt,
            active: act,
            hashes: (0..keys).map(|k| key_hash(salt, k)).collect(),
            ring: Vec::new(),
            ranges: Vec::new(),
            owner: vec![0; keys as usize],
        };
        p.reset();
        p
    }

    /// The strategy in use.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }
    /// Virtual nodes per shard (used by `consistent`).
    pub fn vnodes(&self) -> u32 {
        self.vnodes
    }
    /// Shard slots in the cluster, ascending.
    pub fn active(&self) -> &[u8] {
        &self.active
    }
    /// Number of keys.
    pub fn keys(&self) -> u32 {
        self.owner.len() as u32
    }
    /// The owner of every key.
    pub fn owners(&self) -> &[u8] {
        &self.owner
    }
    /// The owner of key `k` (0 if out of range).
    pub fn owner(&self, k: u32) -> u8 {
        self.owner.get(k as usize).copied().unwrap_or(0)
    }
    /// The ring (`consistent` only): (position, shard), sorted.
    pub fn ring(&self) -> &[(u64, u8)] {
        &self.ring
    }
    /// The ranges (`range` only): (first key, shard), sorted.
    pub fn ranges(&self) -> &[(u32, u8)] {
        &self.ranges
    }
    /// Where key `k` sits on the drawing's circle, in [0, 1): its hash as a fraction of the
    /// hash space, or for `range` its place in key order.
    pub fn position(&self, k: u32) -> f64 {
        match self.strategy {
            Strategy::Range => k as f64 / self.keys().max(1) as f64,
            _ => fraction(self.hashes.get(k as usize).copied().unwrap_or(0)),
        }
    }
    /// The ring's owner of hash position `h` (first virtual node at or after it, wrapping).
    pub fn ring_owner(&self, h: u64) -> u8 {
        let i = self.ring.partition_point(|&(p, _)| p < h);
        self.ring
            .get(i)
            .or_else(|| self.ring.first())
            .map_or(0, |&(_, s)| s)
    }

    /// Use another strategy: every key is laid out afresh (equal ranges, a round-robin directory).
    pub fn set_strategy(&mut self, s: Strategy) {
        self.strategy = s;
        self.reset();
    }

    /// Use another number of virtual nodes per shard.
    pub fn set_vnodes(&mut self, v: u32) {
        self.vnodes = v.max(1);
        if self.strategy == Strategy::Consistent {
            self.reset();
        }
    }

    /// Shard slot `s` joins the cluster.
    pub fn add(&mut self, s: u8) -> Result<(), String> {
        if self.active.contains(&s) {
            return Err(format!("shard S{s} is already in the cluster"));
        }
        self.active.push(s);
        crate::sim::compact::sort(&mut self.active);
        match self.strategy {
            Strategy::Range => self.split_biggest(s),
            Strategy::Directory => self.take_share(s),
            Strategy::Hash | Strategy::Consistent => self.reset(),
        }
        Ok(())
    }

    /// Shard slot `s` leaves the cluster (never the last one).
    pub fn remove(&mut self, s: u8) -> Result<(), String> {
        if !self.active.contains(&s) {
            return Err(format!("shard S{s} is not in the cluster"));
        }
        if self.active.len() == 1 {
            return Err("the last shard cannot leave: every key needs a home".into());
        }
        self.active.retain(|&a| a != s);
        match self.strategy {
            Strategy::Range => self.merge_away(s),
            Strategy::Directory => self.hand_out(s),
            Strategy::Hash | Strategy::Consistent => self.reset(),
        }
        Ok(())
    }

    fn reset(&mut self) {
        self.ring.clear();
        self.ranges.clear();
        let n = self.active.len().max(1);
        match self.strategy {
            Strategy::Range => {
                let k = self.keys() as u64;
                for (i, &s) in self.active.iter().enumerate() {
                    self.ranges.push(((k * i as u64 / n as u64) as u32, s));
                }
            }
            Strategy::Consistent => {
                for &s in &self.active {
                    for v in 0..self.vnodes {
                        self.ring.push((vnode_hash(self.salt, s, v), s));
                    }
                }
                crate::sim::compact::sort(&mut self.ring);
            }
            Strategy::Hash | Strategy::Directory => {}
        }
        for k in 0..self.owner.len() {
            let h = self.hashes.get(k).copied().unwrap_or(0);
            let o = match self.strategy {
                Strategy::Range => self.range_owner(k as u32),
                Strategy::Hash => self.nth(h % n as u64),
                Strategy::Consistent => self.ring_owner(h),
                Strategy::Directory => self.nth(k as u64 % n as u64),
            };
            if let Some(slot) = self.owner.get_mut(k) {
                *slot = o;
            }
        }
    }

    fn nth(&self, i: u64) -> u8 {
        self.active.get(i as usize).copied().unwrap_or(0)
    }

    fn range_owner(&self, k: u32) -> u8 {
        let i = self.ranges.partition_point(|&(start, _)| start <= k);
        self.ranges.get(i.saturating_sub(1)).map_or(0, |&(_, s)| s)
    }

    /// End (exclusive) of range `i`.
    pub fn range_end(&self, i: usize) -> u32 {
        self.ranges.get(i + 1).map_or(self.keys(), |r| r.0)
    }

    fn relabel_ranges(&mut self) {
        for i in 0..self.ranges.len() {
            let (start, s) = self.ranges[i];
            let end = self.range_end(i);
            for o in self
                .owner
                .iter_mut()
                .take(end as usize)
                .skip(start as usize)
            {
                *o = s;
            }
        }
    }

    /// `range` add: the new shard takes the upper half of the range holding the most keys.
    fn split_biggest(&mut self, s: u8) {
        let best = (0..self.ranges.len())
            .max_by_key(|&i| (self.range_end(i) - self.ranges[i].0, std::cmp::Reverse(i)));
        let Some(i) = best else { return };
        let (start, end) = (self.ranges[i].0, self.range_end(i));
        let mid = start + (end - start).div_ceil(2);
        self.ranges.insert(i + 1, (mid, s));
        self.relabel_ranges();
    }

    /// `range` remove: the leaving shard's range joins the range before it (or after it).
    fn merge_away(&mut self, s: u8) {
        if let Some(i) = self.ranges.iter().position(|r| r.1 == s) {
            self.ranges.remove(i);
            if let Some(first) = self.ranges.first_mut() {
                first.0 = 0;
            }
        }
        self.relabel_ranges();
    }

    fn loads(&self) -> Vec<u32> {
        let mut load = vec![0u32; 256];
        for &o in &self.owner {
            load[o as usize] += 1;
        }
        load
    }

    /// `directory` add: the rebalancer moves keys to the newcomer from shards above the new
    /// fair share until it holds that share; nothing else moves.
    fn take_share(&mut self, s: u8) {
        let mut load = self.loads();
        let fair = self.keys() / self.active.len().max(1) as u32;
        for o in self.owner.iter_mut() {
            if load[s as usize] >= fair {
                break;
            }
            if load[*o as usize] > fair {
                load[*o as usize] -= 1;
                load[s as usize] += 1;
                *o = s;
            }
        }
    }

    /// `directory` remove: each of the leaver's keys goes to the least-loaded remaining shard.
    fn hand_out(&mut self, s: u8) {
        let mut load = self.loads();
        for k in 0..self.owner.len() {
            if self.owner[k] != s {
                continue;
            }
            let to = self
                .active
                .iter()
                .copied()
                .min_by_key(|&a| (load[a as usize], a))
                .unwrap_or(0);
            load[to as usize] += 1;
            self.owner[k] = to;
        }
    }
}

/// A 64-bit hash as a fraction of the hash space.
pub fn fraction(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(a: &[u8], b: &[u8]) -> usize {
        a.iter().zip(b).filter(|(x, y)| x != y).count()
    }

    #[test]
    fn hashes_are_pinned_and_spread() {
        assert_eq!(key_hash(0, 42), hash_bytes(0, b"user:00042"));
        assert_eq!(vnode_hash(7, 3, 17), hash_bytes(7, b"S3#17"));
        assert_eq!(key_hash(0, 123_456), hash_bytes(0, b"user:123456"));
        assert_ne!(key_hash(0, 1), key_hash(1, 1));
        let high = (0..10_000).filter(|&k| key_hash(3, k) >> 63 == 1).count();
        assert!((4_800..5_200).contains(&high), "{high}");
        assert_eq!(key_name(7), "user:00007");
    }

    #[test]
    fn strategies_place_every_key_on_an_active_shard() {
        for s in Strategy::NAMES.iter().filter_map(|n| Strategy::parse(n)) {
            let p = Placement::new(s, 1000, &[0, 1, 2], 10, 5);
            assert!(p.owners().iter().all(|o| *o < 3), "{s:?}");
            assert_eq!(Strategy::parse(s.name()), Some(s));
        }
        assert_eq!(Strategy::parse("modulo"), None);
    }

    #[test]
    fn range_add_splits_one_range_and_remove_merges_it() {
        let mut p = Placement::new(Strategy::Range, 1000, &[0, 1, 2, 3], 1, 0);
        assert_eq!(p.ranges(), &[(0, 0), (250, 1), (500, 2), (750, 3)]);
        let before = p.owners().to_vec();
        p.add(4).unwrap();
        assert_eq!(p.ranges()[1], (125, 4));
        assert_eq!(moved(&before, p.owners()), 125);
        let before = p.owners().to_vec();
        p.remove(2).unwrap();
        assert_eq!(moved(&before, p.owners()), 250);
        assert!(p.owners()[500..750].iter().all(|&o| o == 1));
        assert!(p.remove(9).is_err());
        assert!(p.add(1).is_err());
    }

    #[test]
    fn directory_moves_exactly_the_fair_share() {
        let mut p = Placement::new(Strategy::Directory, 1000, &[0, 1, 2, 3], 1, 0);
        let before = p.owners().to_vec();
        p.add(4).unwrap();
        assert_eq!(moved(&before, p.owners()), 200);
        let before = p.owners().to_vec();
        p.remove(0).unwrap();
        assert_eq!(moved(&before, p.owners()), 200);
        let mut solo = Placement::new(Strategy::Hash, 10, &[0], 1, 0);
        assert!(solo.remove(0).unwrap_err().contains("last shard"));
    }

    #[test]
    fn big_rings_build_quickly() {
        let active: Vec<u8> = (0..64).collect();
        let p = Placement::new(Strategy::Consistent, 10_000, &active, 1000, 1);
        assert_eq!(p.ring().len(), 64_000);
        assert!(p.ring().windows(2).all(|w| w[0] <= w[1]));
    }
}
