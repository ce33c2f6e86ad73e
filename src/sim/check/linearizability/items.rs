//! Search input for the linearizability checker: per-key operation intervals, the resolution of
//! writes without a response, and a deterministic hasher for the memo tables.

use super::{value_of, Op};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash-style hasher: deterministic and fast. Used only for memo membership tests.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);
impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
pub(super) type FxBuild = BuildHasherDefault<Fx>;

/// One operation of one key's (sub-)history; `ret: None` = no response in this (sub-)history.
#[derive(Clone, Copy, Debug)]
pub(super) struct Iv {
    pub(super) idx: usize,
    pub(super) call: u64,
    pub(super) ret: Option<u64>,
    pub(super) write: bool,
    pub(super) value: u64,
}

impl Iv {
    /// Reads without a response carry no information and are dropped here.
    pub(super) fn new(idx: usize, op: &Op) -> Option<Iv> {
        let ((write, value), ret) = (value_of(op), op.ret.map(|r| r.max(op.call)));
        let call = op.call;
        (write || ret.is_some()).then_some(Iv {
            idx,
            call,
            ret,
            write,
            value,
        })
    }
}

/// Search input: an operation with a concrete response time (`u64::MAX` = never responds).
pub(super) struct Item {
    pub(super) call: u64,
    pub(super) ret: u64,
    pub(super) write: bool,
    pub(super) value: u64,
    /// Index into the `Iv` slice this item came from.
    pub(super) src: usize,
}

/// Resolves writes without a response (see the module docs).
pub(super) fn prepare(ivs: &[Iv]) -> Vec<Item> {
    // value -> (number of writes of it, earliest response of a read returning it)
    let mut info: HashMap<u64, (u32, u64), FxBuild> = HashMap::default();
    for iv in ivs {
        let e = info.entry(iv.value).or_insert((0, u64::MAX));
        match (iv.write, iv.ret) {
            (true, _) => e.0 += 1,
            (false, Some(r)) => e.1 = e.1.min(r),
            (false, None) => {}
        }
    }
    // Values no read returned are interchangeable: map them all to one value no read returned,
    // so configurations differing only in which unread value is current share a memo entry.
    let is_read = |v: &u64| info.get(v).is_some_and(|e| e.1 != u64::MAX);
    let mut dead = u64::MAX;
    while is_read(&dead) {
        dead -= 1;
    }
    let mut items = Vec::with_capacity(ivs.len());
    for (src, iv) in ivs.iter().enumerate() {
        let (writes, first_read) = info.get(&iv.value).copied().unwrap_or((0, u64::MAX));
        let ret = match iv.ret {
            Some(r) => r,
            None if !iv.write || first_read == u64::MAX => continue, // never read: leave it out
            None if writes == 1 && iv.value != 0 => first_read.max(iv.call),
            None => u64::MAX,
        };
        let (call, write) = (iv.call, iv.write);
        let value = if write && first_read == u64::MAX {
            dead
        } else {
            iv.value
        };
        items.push(Item {
            call,
            ret,
            write,
            value,
            src,
        });
    }
    items
}
