//! Size-lean ordered containers: a sorted-vector map and set, and one small sort.
//!
//! Why they exist: every `BTreeMap<K, V>` instantiation costs about 5 KB of wasm, and every
//! `sort_unstable*` call site about 3.7 KB (pattern-defeating quicksort, its pivot code and its
//! small-sorts), because the standard versions are generic and monomorphised per key, value and
//! comparator. The app ships under a size budget (issue 9), and the maps replaced here hold a
//! handful to a few hundred entries (requests in flight, locks held), keyed mostly by ids that
//! grow, so a sorted `Vec` with binary search is as fast and a few hundred bytes per instance.
//! Iteration is in key order, exactly like `BTreeMap`, so traces do not change.
//!
//! Large maps with random-position inserts (the LFU index, the write-behind buffer) keep
//! `BTreeMap`/`BTreeSet`: a sorted `Vec` would move O(n) entries per insert there.

use std::cmp::Ordering;

/// An ordered map on a sorted `Vec<(K, V)>`: O(log n) lookups, O(n) inserts and removals that
/// are cheap for the small maps it is used for (and O(1) when keys arrive in increasing order).
#[derive(Clone, Debug, PartialEq)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<K: Ord + Copy, V> VecMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, k: &K) -> Result<usize, usize> {
        // Fast path: ids mostly grow, so a new key usually belongs at the end.
        match self.items.last() {
            Some((last, _)) if *last < *k => Err(self.items.len()),
            None => Err(0),
            _ => self.items.binary_search_by(|(x, _)| x.cmp(k)),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Inserts or replaces; returns the value replaced, as `BTreeMap::insert` does.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, v)),
            Err(i) => {
                self.items.insert(i, (k, v));
                None
            }
        }
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        self.find(k).ok().map(|i| &self.items[i].1)
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        match self.find(k) {
            Ok(i) => Some(&mut self.items[i].1),
            Err(_) => None,
        }
    }

    pub fn contains_key(&self, k: &K) -> bool {
        self.find(k).is_ok()
    }

    pub fn remove(&mut self, k: &K) -> Option<V> {
        self.find(k).ok().map(|i| self.items.remove(i).1)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.items.first().map(|(k, v)| (k, v))
    }
}

/// An ordered set on a sorted `Vec<K>`; see [`VecMap`] for when it is the right choice.
#[derive(Clone, Debug, PartialEq)]
pub struct VecSet<K> {
    items: Vec<K>,
}

impl<K> Default for VecSet<K> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<K: Ord + Copy> VecSet<K> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, k: &K) -> Result<usize, usize> {
        match self.items.last() {
            Some(last) if *last < *k => Err(self.items.len()),
            None => Err(0),
            _ => self.items.binary_search(k),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Returns whether the key was new, as `BTreeSet::insert` does.
    pub fn insert(&mut self, k: K) -> bool {
        match self.find(&k) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, k);
                true
            }
        }
    }

    pub fn remove(&mut self, k: &K) -> bool {
        match self.find(k) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    pub fn contains(&self, k: &K) -> bool {
        self.find(k).is_ok()
    }

    pub fn first(&self) -> Option<&K> {
        self.items.first()
    }

    /// Keys in order.
    pub fn iter(&self) -> std::slice::Iter<'_, K> {
        self.items.iter()
    }
}

/// Sorts in place by `cmp` with heapsort: O(n log n), no allocation, unstable, and a few hundred
/// bytes of wasm per call site instead of the standard sort's ~3.7 KB. Deterministic: native and
/// wasm run the same steps, so even equal keys end in the same order on both.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    for start in (0..n / 2).rev() {
        sift_down(v, start, n, &mut cmp);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

/// [`sort_by`] on the natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// [`sort_by`] on a key.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

fn sift_down<T>(
    v: &mut [T],
    mut root: usize,
    end: usize,
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && cmp(&v[child], &v[child + 1]) == Ordering::Less {
            child += 1;
        }
        if cmp(&v[root], &v[child]) != Ordering::Less {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::SimRng as Rng;

    #[test]
    fn sort_agrees_with_std_on_random_and_edge_inputs() {
        let mut rng = Rng::new(7);
        for n in [0usize, 1, 2, 3, 7, 64, 1000] {
            for range in [3u64, 1_000_000] {
                let mut v: Vec<u64> = (0..n).map(|_| rng.below(range)).collect();
                let mut want = v.clone();
                want.sort();
                sort(&mut v);
                assert_eq!(v, want, "n={n} range={range}");
            }
        }
        let mut desc: Vec<u32> = (0..500).rev().collect();
        sort_by_key(&mut desc, |&x| x);
        assert!(desc.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn vec_map_behaves_like_btree_map() {
        let mut rng = Rng::new(3);
        let mut ours = VecMap::new();
        let mut std_map = std::collections::BTreeMap::new();
        for step in 0..5_000u64 {
            let k = rng.below(200);
            match rng.below(4) {
                0 | 1 => assert_eq!(ours.insert(k, step), std_map.insert(k, step)),
                2 => assert_eq!(ours.remove(&k), std_map.remove(&k)),
                _ => {
                    if let (Some(a), Some(b)) = (ours.get_mut(&k), std_map.get_mut(&k)) {
                        *a += 1;
                        *b += 1;
                    }
                }
            }
            assert_eq!(ours.len(), std_map.len());
            assert_eq!(ours.contains_key(&k), std_map.contains_key(&k));
        }
        let a: Vec<(u64, u64)> = ours.iter().map(|(k, v)| (*k, *v)).collect();
        let b: Vec<(u64, u64)> = std_map.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(a, b);
        ours.retain(|k, _| k % 2 == 0);
        std_map.retain(|k, _| k % 2 == 0);
        assert!(ours.keys().copied().eq(std_map.keys().copied()));
    }

    #[test]
    fn vec_set_behaves_like_btree_set() {
        let mut rng = Rng::new(5);
        let mut ours = VecSet::new();
        let mut std_set = std::collections::BTreeSet::new();
        for _ in 0..5_000 {
            let k = rng.below(300) as u32;
            if rng.below(3) == 0 {
                assert_eq!(ours.remove(&k), std_set.remove(&k));
            } else {
                assert_eq!(ours.insert(k), std_set.insert(k));
            }
            assert_eq!(ours.first(), std_set.first());
        }
        assert!(ours.iter().eq(std_set.iter()));
    }
}
