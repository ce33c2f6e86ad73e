//! The recorded history of client operations and the judgements made over it: stale reads,
//! read-your-writes and monotonic-read violations (as each read returns), lost updates (from
//! each write's ancestry), and linearizability (the checker, re-run as the history grows and
//! cached, since a violation in a prefix can never be undone).

use super::versions::{Sib, Sibs, Vv};
use crate::sim::check::linearizability::{check, Op, OpKind, Verdict};
use crate::sim::stats::Histogram;
use std::cell::RefCell;

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No answer yet.
    Pending,
    /// Answered successfully.
    Ok,
    /// Refused by its coordinator or timed out at the client.
    Failed,
}

/// What the simulation knows about an operation beyond what its client saw.
#[derive(Clone, Copy, Debug)]
pub struct Meta {
    pub status: Status,
    /// When it ended (µs), for drawing; 0 while pending.
    pub end: u64,
    /// Writes: the version the coordinator gave it. Reads: the newest version returned.
    pub ts: u64,
    /// Writes: the version vector the coordinator gave it.
    pub vv: Vv,
    /// Reads: the highest timestamp of a write acknowledged before the read began.
    pub floor: u64,
    pub stale: bool,
    pub ryw: bool,
    pub monotonic: bool,
    /// Siblings the read returned (1 unless `conflict=vv` kept concurrent versions).
    pub siblings: u8,
    par_start: u32,
    par_len: u8,
}

/// Running counters, kept as operations end.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub succeeded: u64,
    pub failed: u64,
    pub stale: u64,
    pub ryw: u64,
    pub monotonic: u64,
    pub latency: Histogram,
}

/// Beyond this many ended operations the verdict is only recomputed once the run is over, so
/// a long run in the browser never spends a frame re-checking a huge history.
pub const LIVE_CHECK_CAP: usize = 5_000;

#[derive(Default)]
struct Cache {
    checked: usize,
    verdict: Option<Verdict>,
}

/// Every operation of the run, in invocation order (index = operation id).
pub struct History {
    pub ops: Vec<Op>,
    pub meta: Vec<Meta>,
    pub counts: Counts,
    ended: usize,
    keys: usize,
    parents: Vec<u64>,
    /// Per key: highest timestamp of an acknowledged write.
    floor: Vec<u64>,
    /// Per (client, key): the client's last acknowledged write (ts, value, vv).
    own: Vec<Option<(u64, u64, Vv)>>,
    /// Per (client, key): newest timestamp the client's reads have returned.
    seen: Vec<u64>,
    cache: RefCell<Cache>,
}

impl History {
    /// An empty history for `clients` clients and `keys` keys.
    pub fn new(clients: usize, keys: usize, capacity: usize) -> History {
        History {
            ops: Vec::with_capacity(capacity.min(1 << 16)),
            meta: Vec::with_capacity(capacity.min(1 << 16)),
            counts: Counts::default(),
            ended: 0,
            keys,
            parents: Vec::new(),
            floor: vec![0; keys],
            own: vec![None; clients * keys],
            seen: vec![0; clients * keys],
            cache: RefCell::new(Cache::default()),
        }
    }

    /// Record an invocation; returns its operation id.
    pub fn invoke(&mut self, client: u32, key: u32, call: u64, write: bool) -> u64 {
        let id = self.ops.len() as u64;
        let kind = if write {
            OpKind::Write { value: id + 1 }
        } else {
            OpKind::Read { value: 0 }
        };
        self.ops.push(Op {
            client,
            key,
            call,
            ret: None,
            kind,
        });
        let floor = self.floor.get(key as usize).copied().unwrap_or(0);
        self.meta.push(Meta {
            status: Status::Pending,
            end: 0,
            ts: 0,
            vv: Vv::default(),
            floor,
            stale: false,
            ryw: false,
            monotonic: false,
            siblings: 1,
            par_start: 0,
            par_len: 0,
        });
        id
    }

    /// A coordinator created the version of write `op`, replacing the versions in `parents`.
    pub fn versioned(&mut self, op: u64, sib: &Sib, parents: &Sibs) {
        let start = self.parents.len() as u32;
        self.parents.extend(
            parents
                .as_slice()
                .iter()
                .map(|s| s.value)
                .filter(|&v| v != 0),
        );
        let len = (self.parents.len() as u32 - start) as u8;
        if let Some(m) = self.meta.get_mut(op as usize) {
            (m.ts, m.vv, m.par_start, m.par_len) = (sib.ts, sib.vv, start, len);
        }
    }

    fn slot(&self, op: &Op) -> usize {
        op.client as usize * self.keys + op.key as usize
    }

    /// Operation `op` failed (refused or timed out): it has no response.
    pub fn fail(&mut self, op: u64, now: u64) {
        if let Some(m) = self.meta.get_mut(op as usize) {
            if m.status == Status::Pending {
                m.status = Status::Failed;
                m.end = now;
                self.counts.failed += 1;
                self.ended += 1;
            }
        }
    }

    /// Operation `op` succeeded at `now`; reads carry what they returned.
    pub fn succeed(&mut self, op: u64, now: u64, read: Option<&Sibs>, vv_mode: bool) {
        let Some(o) = self.ops.get(op as usize).cloned() else {
            return;
        };
        if self.meta.get(op as usize).map(|m| m.status) != Some(Status::Pending) {
            return;
        }
        let slot = self.slot(&o);
        self.counts.succeeded += 1;
        self.ended += 1;
        self.counts.latency.record(now.saturating_sub(o.call));
        if let Some(x) = self.ops.get_mut(op as usize) {
            x.ret = Some(now);
        }
        if let Some(m) = self.meta.get_mut(op as usize) {
            m.end = now;
        }
        match read {
            None => self.acked_write(op, o.key as usize, slot),
            Some(sibs) => self.returned(op, slot, sibs, vv_mode),
        }
    }

    fn acked_write(&mut self, op: u64, key: usize, slot: usize) {
        let Some(m) = self.meta.get_mut(op as usize) else {
            return;
        };
        m.status = Status::Ok;
        if let Some(f) = self.floor.get_mut(key) {
            *f = (*f).max(m.ts);
        }
        if let Some(own) = self.own.get_mut(slot) {
            *own = Some((m.ts, op + 1, m.vv));
        }
    }

    fn returned(&mut self, op: u64, slot: usize, sibs: &Sibs, vv_mode: bool) {
        let newest = sibs.newest();
        let own = self.own.get(slot).copied().flatten();
        let seen = self.seen.get(slot).copied().unwrap_or(0);
        let (Some(m), Some(o)) = (
            self.meta.get_mut(op as usize),
            self.ops.get_mut(op as usize),
        ) else {
            return;
        };
        o.kind = OpKind::Read {
            value: newest.value,
        };
        m.status = Status::Ok;
        m.ts = newest.ts;
        m.siblings = sibs.len() as u8;
        m.stale = newest.ts < m.floor;
        m.ryw = own.is_some_and(|(ts, value, vv)| {
            if vv_mode {
                !sibs.covers(value, &vv)
            } else {
                newest.ts < ts
            }
        });
        m.monotonic = newest.ts < seen;
        let c = &mut self.counts;
        c.stale += m.stale as u64;
        c.ryw += m.ryw as u64;
        c.monotonic += m.monotonic as u64;
        if let Some(s) = self.seen.get_mut(slot) {
            *s = seen.max(newest.ts);
        }
    }

    /// Operations the cached verdict covers (ended when it was computed).
    pub fn checked(&self) -> usize {
        self.cache.borrow().checked
    }

    /// Operations that have ended (succeeded or failed).
    pub fn ended(&self) -> usize {
        self.ended
    }

    /// Acknowledged writes that no stored version descends from: `stored` lists the values
    /// every replica holds now. A write survives if a stored version is it or was written over
    /// it (directly or through later writes); reconciliation that discards it without that
    /// ancestry loses it.
    pub fn lost_updates(&self, stored: impl Iterator<Item = u64>) -> u64 {
        let mut alive = vec![false; self.ops.len()];
        let mut stack: Vec<u64> = stored.filter(|&v| v != 0).collect();
        while let Some(v) = stack.pop() {
            let i = (v - 1) as usize;
            match alive.get_mut(i) {
                Some(a) if !*a => *a = true,
                _ => continue,
            }
            if let Some(m) = self.meta.get(i) {
                let (s, l) = (m.par_start as usize, m.par_len as usize);
                stack.extend(self.parents.get(s..s + l).unwrap_or(&[]));
            }
        }
        let acked_write = |(i, o): (usize, &Op)| {
            matches!(o.kind, OpKind::Write { .. })
                && self.meta.get(i).is_some_and(|m| m.status == Status::Ok)
                && !alive.get(i).copied().unwrap_or(true)
        };
        self.ops
            .iter()
            .enumerate()
            .filter(|&x| acked_write(x))
            .count() as u64
    }

    /// The checker's verdict over the whole history so far. A violation is final (no later
    /// operation can explain it away), so it is cached for good; otherwise the check is re-run
    /// when the history has grown by a quarter (amortised linear work, and rare enough that a frame seldom pays for it) or when `all_done`.
    pub fn verdict(&self, all_done: bool) -> Verdict {
        let mut c = self.cache.borrow_mut();
        let stale = match &c.verdict {
            Some(v) if !v.linearizable => false,
            // Live view of a long run: stop re-checking (the final check comes when all end).
            Some(_) if !all_done && self.ended > LIVE_CHECK_CAP => false,
            Some(_) => {
                let grown = self.ended.saturating_sub(c.checked);
                grown > 0 && (all_done || grown >= (c.checked / 4).max(1))
            }
            None => true,
        };
        if stale {
            c.verdict = Some(check(&self.ops));
            c.checked = self.ended;
        }
        c.verdict.clone().unwrap_or_default()
    }
}
