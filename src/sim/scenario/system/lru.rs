//! The cache's memory: at most `capacity` keys, least recently used out first, each with an
//! expiry time. An intrusive doubly linked list over arrays indexed by key: O(1) per lookup,
//! insert and eviction, memory proportional to the number of distinct keys.

use crate::sim::time::Time;

const NIL: u32 = u32::MAX;

/// An LRU set of keys `0..keys` with expiries.
#[derive(Clone, Debug)]
pub struct Lru {
    capacity: usize,
    len: usize,
    prev: Vec<u32>,
    next: Vec<u32>,
    expires: Vec<Time>,
    present: Vec<bool>,
    /// Most recently used.
    head: u32,
    /// Least recently used.
    tail: u32,
    pub evictions: u64,
}

impl Lru {
    /// An empty cache over `keys` keys.
    pub fn new(capacity: usize, keys: usize) -> Lru {
        Lru {
            capacity: capacity.max(1),
            len: 0,
            prev: vec![NIL; keys],
            next: vec![NIL; keys],
            expires: vec![Time::ZERO; keys],
            present: vec![false; keys],
            head: NIL,
            tail: NIL,
            evictions: 0,
        }
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn unlink(&mut self, k: u32) {
        let (p, n) = (self.prev[k as usize], self.next[k as usize]);
        match p {
            NIL => self.head = n,
            p => self.next[p as usize] = n,
        }
        match n {
            NIL => self.tail = p,
            n => self.prev[n as usize] = p,
        }
    }

    fn push_front(&mut self, k: u32) {
        self.prev[k as usize] = NIL;
        self.next[k as usize] = self.head;
        if self.head != NIL {
            self.prev[self.head as usize] = k;
        }
        self.head = k;
        if self.tail == NIL {
            self.tail = k;
        }
    }

    fn drop_key(&mut self, k: u32) {
        self.unlink(k);
        self.present[k as usize] = false;
        self.len -= 1;
    }

    /// A hit (the key is held and fresh): it becomes most recently used. An expired key is
    /// dropped and misses.
    pub fn hit(&mut self, k: usize, now: Time) -> bool {
        if !self.present.get(k).copied().unwrap_or(false) {
            return false;
        }
        let k = k as u32;
        if self.expires[k as usize] <= now {
            self.drop_key(k);
            return false;
        }
        self.unlink(k);
        self.push_front(k);
        true
    }

    /// Store a key until `expires`, evicting the least recently used when full.
    pub fn insert(&mut self, k: usize, expires: Time) {
        if k >= self.present.len() {
            return;
        }
        let k32 = k as u32;
        if self.present[k] {
            self.unlink(k32);
        } else {
            if self.len == self.capacity && self.tail != NIL {
                let t = self.tail;
                self.drop_key(t);
                self.evictions += 1;
            }
            self.present[k] = true;
            self.len += 1;
        }
        self.expires[k] = expires;
        self.push_front(k32);
    }

    /// Forget everything (a crash).
    pub fn clear(&mut self) {
        while self.head != NIL {
            let h = self.head;
            self.drop_key(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_and_expires() {
        let mut c = Lru::new(2, 10);
        let t = Time::from_ms;
        c.insert(1, Time::NEVER);
        c.insert(2, Time::NEVER);
        assert!(c.hit(1, t(1)));
        c.insert(3, t(5));
        assert!(!c.hit(2, t(2)), "2 was least recently used");
        assert!(c.hit(1, t(2)) && c.hit(3, t(2)));
        assert!(!c.hit(3, t(5)), "expired");
        assert_eq!((c.len(), c.evictions), (1, 1));
        c.clear();
        assert!(c.is_empty());
    }
}
