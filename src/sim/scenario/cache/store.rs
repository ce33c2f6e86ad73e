//! A bounded key-value store with exact eviction policies: the shared cache node's memory and
//! each application server's in-process L1. Every operation is O(1) (LRU, FIFO, random) or
//! O(log n) (LFU), with no allocation once the slots exist.
//!
//! Slots never move: a key keeps its slot until it leaves, and the key that replaces an evicted
//! one takes the victim's slot, so the view can show slots filling and changing hands.

use crate::sim::rng::SimRng;
use crate::sim::time::Time;
use std::collections::BTreeSet;

/// No slot / no key.
pub const NIL: u32 = u32::MAX;

/// Which entry leaves when a full store admits a new key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Least recently used: hits move an entry to the front; the back leaves.
    Lru,
    /// Least frequently used, with exact per-key request counts kept for every key ever seen
    /// (a "perfect" LFU); ties go to the entry used longest ago.
    Lfu,
    /// First in, first out: hits change nothing; the oldest insertion leaves.
    Fifo,
    /// A uniformly random entry leaves (drawn from `SimRng`).
    Random,
}

impl Policy {
    /// Parameter spellings.
    pub const NAMES: &'static [&'static str] = &["lru", "lfu", "fifo", "random"];

    /// Parse a parameter value.
    pub fn parse(s: &str) -> Option<Policy> {
        match s {
            "lru" => Some(Policy::Lru),
            "lfu" => Some(Policy::Lfu),
            "fifo" => Some(Policy::Fifo),
            "random" => Some(Policy::Random),
            _ => None,
        }
    }

    /// Parameter spelling.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Lru => "lru",
            Policy::Lfu => "lfu",
            Policy::Fifo => "fifo",
            Policy::Random => "random",
        }
    }
}

/// One occupied slot.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub key: u32,
    /// Version of the value held.
    pub ver: u64,
    pub expires: Time,
    /// When this key entered the slot, and which key it pushed out (`NIL`: none).
    pub since: Time,
    pub replaced: u32,
    prev: u32,
    next: u32,
    /// Access sequence number of the last use (LFU tie-break).
    stamp: u64,
    /// The request count this entry is filed under in the LFU order.
    filed: u64,
}

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Hit(u64),
    Miss,
    /// Present but past its expiry: removed, and a miss.
    Expired,
}

/// The store.
#[derive(Clone, Debug)]
pub struct Store {
    policy: Policy,
    cap: u32,
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Key -> slot (`NIL` when absent).
    at: Vec<u32>,
    /// Requests seen per key (exact; kept across evictions, lost on a crash).
    counts: Vec<u64>,
    head: u32,
    tail: u32,
    lfu: BTreeSet<(u64, u64, u32)>,
    seq: u64,
    len: u32,
}

impl Store {
    /// An empty store of `cap` entries over keys `0..keys`.
    pub fn new(policy: Policy, cap: u32, keys: u32) -> Store {
        Store {
            policy,
            cap,
            slots: Vec::with_capacity(cap.min(keys) as usize),
            free: Vec::new(),
            at: vec![NIL; keys as usize],
            counts: vec![0; keys as usize],
            head: NIL,
            tail: NIL,
            lfu: BTreeSet::new(),
            seq: 0,
            len: 0,
        }
    }

    /// Entries held.
    pub fn len(&self) -> u32 {
        self.len
    }
    /// Nothing held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Most entries it can hold.
    pub fn capacity(&self) -> u32 {
        self.cap
    }
    /// The eviction policy in force.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Every slot ever used, in slot order (`None`: free).
    pub fn slots(&self) -> impl Iterator<Item = Option<&Slot>> + '_ {
        self.slots
            .iter()
            .enumerate()
            .map(|(i, s)| (self.at.get(s.key as usize) == Some(&(i as u32))).then_some(s))
    }

    /// The value held for `key`, without counting a use.
    pub fn peek(&self, key: u32) -> Option<&Slot> {
        let s = *self.at.get(key as usize)?;
        self.slots.get(s as usize)
    }

    /// Switch policy; the entries stay, and the new rule applies from now on.
    pub fn set_policy(&mut self, p: Policy) {
        self.policy = p;
        self.lfu.clear();
        if p == Policy::Lfu {
            for (i, s) in self.slots.iter_mut().enumerate() {
                if self.at.get(s.key as usize) == Some(&(i as u32)) {
                    s.filed = self.counts.get(s.key as usize).copied().unwrap_or(0);
                    self.lfu.insert((s.filed, s.stamp, s.key));
                }
            }
        }
    }

    /// Look `key` up at `now`, counting one request for it.
    pub fn get(&mut self, key: u32, now: Time) -> Lookup {
        if let Some(c) = self.counts.get_mut(key as usize) {
            *c += 1;
        }
        let Some(&s) = self.at.get(key as usize) else {
            return Lookup::Miss;
        };
        let Some(slot) = self.slots.get(s as usize).copied() else {
            return Lookup::Miss;
        };
        if now >= slot.expires {
            self.remove(key);
            return Lookup::Expired;
        }
        self.touch(s, key);
        Lookup::Hit(slot.ver)
    }

    /// Store `ver` for `key` (replacing its value, or admitting it and evicting a victim when
    /// full). Returns the evicted key, if any.
    pub fn put(
        &mut self,
        key: u32,
        ver: u64,
        expires: Time,
        now: Time,
        rng: &mut SimRng,
    ) -> Option<u32> {
        if key as usize >= self.at.len() || self.cap == 0 {
            return None;
        }
        if let Some(&s) = self.at.get(key as usize).filter(|s| **s != NIL) {
            if let Some(slot) = self.slots.get_mut(s as usize) {
                slot.ver = ver;
                slot.expires = expires;
            }
            self.touch(s, key);
            return None;
        }
        let mut victim = None;
        if self.len >= self.cap {
            victim = self.victim(rng);
            if let Some(v) = victim {
                self.remove(v);
            }
        }
        let s = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(self.blank());
                self.slots.len() as u32 - 1
            }
        };
        self.seq += 1;
        let stamp = self.seq;
        let filed = self.counts.get(key as usize).copied().unwrap_or(0);
        if let Some(slot) = self.slots.get_mut(s as usize) {
            *slot = Slot {
                key,
                ver,
                expires,
                since: now,
                replaced: victim.unwrap_or(NIL),
                prev: NIL,
                next: NIL,
                stamp,
                filed,
            };
        }
        if let Some(a) = self.at.get_mut(key as usize) {
            *a = s;
        }
        self.push_front(s);
        if self.policy == Policy::Lfu {
            self.lfu.insert((filed, stamp, key));
        }
        self.len += 1;
        victim
    }

    /// Drop `key` if present; true if it was.
    pub fn remove(&mut self, key: u32) -> bool {
        let Some(&s) = self.at.get(key as usize).filter(|s| **s != NIL) else {
            return false;
        };
        self.unlink(s);
        if let Some(slot) = self.slots.get(s as usize) {
            self.lfu.remove(&(slot.filed, slot.stamp, key));
        }
        if let Some(a) = self.at.get_mut(key as usize) {
            *a = NIL;
        }
        self.free.push(s);
        self.len -= 1;
        true
    }

    /// Make `key`'s entry expire at `at` (if present); true if it was present.
    pub fn expire(&mut self, key: u32, at: Time) -> bool {
        let Some(&s) = self.at.get(key as usize).filter(|s| **s != NIL) else {
            return false;
        };
        if let Some(slot) = self.slots.get_mut(s as usize) {
            slot.expires = at;
        }
        true
    }

    /// Forget everything, request counts included (a crash).
    pub fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
        self.at.iter_mut().for_each(|a| *a = NIL);
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.lfu.clear();
        self.head = NIL;
        self.tail = NIL;
        self.len = 0;
    }

    fn blank(&self) -> Slot {
        Slot {
            key: NIL,
            ver: 0,
            expires: Time::NEVER,
            since: Time::ZERO,
            replaced: NIL,
            prev: NIL,
            next: NIL,
            stamp: 0,
            filed: 0,
        }
    }

    fn victim(&mut self, rng: &mut SimRng) -> Option<u32> {
        let s = match self.policy {
            Policy::Lru | Policy::Fifo => self.tail,
            Policy::Lfu => return self.lfu.first().map(|e| e.2),
            Policy::Random => {
                // Only called when full, so every slot is occupied.
                rng.below(self.slots.len() as u64) as u32
            }
        };
        self.slots.get(s as usize).map(|slot| slot.key)
    }

    /// A use of the entry in slot `s`: recency for LRU, count for LFU, nothing for FIFO/random.
    fn touch(&mut self, s: u32, key: u32) {
        self.seq += 1;
        let seq = self.seq;
        let c = self.counts.get(key as usize).copied().unwrap_or(0);
        let Some(slot) = self.slots.get_mut(s as usize) else {
            return;
        };
        let old = (slot.filed, slot.stamp, key);
        slot.stamp = seq;
        match self.policy {
            Policy::Lru => {
                self.unlink(s);
                self.push_front(s);
            }
            Policy::Lfu => {
                slot.filed = c;
                self.lfu.remove(&old);
                self.lfu.insert((c, seq, key));
            }
            Policy::Fifo | Policy::Random => {}
        }
    }

    fn push_front(&mut self, s: u32) {
        let old = self.head;
        if let Some(slot) = self.slots.get_mut(s as usize) {
            slot.prev = NIL;
            slot.next = old;
        }
        match self.slots.get_mut(old as usize) {
            Some(h) => h.prev = s,
            None => self.tail = s,
        }
        self.head = s;
    }

    fn unlink(&mut self, s: u32) {
        let Some(&Slot { prev, next, .. }) = self.slots.get(s as usize) else {
            return;
        };
        match self.slots.get_mut(prev as usize) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match self.slots.get_mut(next as usize) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        if let Some(slot) = self.slots.get_mut(s as usize) {
            slot.prev = NIL;
            slot.next = NIL;
        }
    }
}
