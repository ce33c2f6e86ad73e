//! The recorded history of client operations and the judgements made over it: stale reads,
//! read-your-writes and monotonic-read violations (as each read returns), lost updates (from
//! each write's ancestry, in `lost`), and linearizability (the checker, re-run as the history
//! grows and cached, since a violation in a prefix can never be undone).

mod lost;

pub use lost::Split;

use super::timeline::CHUNK;
use super::versions::{Sib, Sibs, Vv};
use crate::sim::check::linearizability::{check, Decision, Op, OpKind, Verdict};
use crate::sim::compact::VecMap;
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
    /// Writes: the replica that coordinated it (created its version).
    pub coord: u8,
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
pub const LIVE_CHECK_CAP: usize = 2_000;

/// Operations recorded in full (for the checker, lost updates and the timeline). Later ones
/// are still judged as they end (stale, read-your-writes, monotonic reads, latency) and then
/// forgotten, so a run of millions of operations keeps bounded memory; the verdict says how
/// many operations it covers.
pub const RECORD_CAP: usize = 100_000;

#[derive(Default)]
struct Cache {
    checked: usize,
    verdict: Option<Verdict>,
}

/// The operations of the run, in invocation order (index = operation id): the first
/// `RECORD_CAP` kept for good, later ones only while in flight.
pub struct History {
    pub ops: Vec<Op>,
    pub meta: Vec<Meta>,
    /// Operations past `cap` that have not ended yet (at most one per client).
    unrecorded: VecMap<u64, (Op, Meta)>,
    /// How many operations are recorded in full (`RECORD_CAP` outside tests).
    cap: usize,
    invoked: u64,
    pub counts: Counts,
    ended: usize,
    /// Ended operations among the recorded ones (what a verdict can cover).
    ended_recorded: usize,
    /// Per timeline chunk of recorded operations: how many have ended.
    ended_chunks: Vec<u32>,
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
        History::capped(clients, keys, capacity, RECORD_CAP)
    }

    /// The same, recording at most `cap` operations in full.
    fn capped(clients: usize, keys: usize, capacity: usize, cap: usize) -> History {
        History {
            ops: Vec::with_capacity(capacity.min(cap).min(1 << 16)),
            meta: Vec::with_capacity(capacity.min(cap).min(1 << 16)),
            unrecorded: VecMap::new(),
            cap,
            invoked: 0,
            counts: Counts::default(),
            ended: 0,
            ended_recorded: 0,
            ended_chunks: Vec::new(),
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
        let id = self.invoked;
        self.invoked += 1;
        let kind = if write {
            OpKind::Write { value: id + 1 }
        } else {
            OpKind::Read { value: 0 }
        };
        let op = Op {
            client,
            key,
            call,
            ret: None,
            kind,
        };
        let floor = self.floor.get(key as usize).copied().unwrap_or(0);
        let meta = Meta {
            status: Status::Pending,
            end: 0,
            ts: 0,
            vv: Vv::default(),
            floor,
            stale: false,
            ryw: false,
            monotonic: false,
            siblings: 1,
            coord: 0,
            par_start: 0,
            par_len: 0,
        };
        if self.ops.len() < self.cap {
            self.ops.push(op);
            self.meta.push(meta);
        } else {
            self.unrecorded.insert(id, (op, meta));
        }
        id
    }

    /// Operation `id` as invoked, recorded or still in flight.
    pub fn op(&self, id: u64) -> Option<&Op> {
        match self.ops.get(id as usize) {
            Some(o) => Some(o),
            None => self.unrecorded.get(&id).map(|(o, _)| o),
        }
    }

    fn entry_mut(&mut self, id: u64) -> Option<(&mut Op, &mut Meta)> {
        entry(&mut self.ops, &mut self.meta, &mut self.unrecorded, id)
    }

    /// Operation `id` ended: count it, and forget it if it was not recorded.
    fn ended_op(&mut self, id: u64) {
        self.ended += 1;
        if (id as usize) < self.ops.len() {
            self.ended_recorded += 1;
            let c = id as usize / CHUNK;
            if self.ended_chunks.len() <= c {
                self.ended_chunks.resize(c + 1, 0);
            }
            if let Some(n) = self.ended_chunks.get_mut(c) {
                *n += 1;
            }
        } else {
            self.unrecorded.remove(&id);
        }
    }

    /// Replica `coord` created the version of write `op`, replacing the versions in `parents`.
    pub fn versioned(&mut self, op: u64, coord: u32, sib: &Sib, parents: &Sibs) {
        if op as usize >= self.ops.len() {
            // Not recorded: its version matters only until it ends (floor, own writes).
            if let Some((_, m)) = self.unrecorded.get_mut(&op) {
                (m.ts, m.vv) = (sib.ts, sib.vv);
            }
            return;
        }
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
            m.coord = coord.min(u8::MAX as u32) as u8;
        }
    }

    fn slot(&self, op: &Op) -> usize {
        op.client as usize * self.keys + op.key as usize
    }

    /// Operation `op` failed (refused or timed out): it has no response.
    pub fn fail(&mut self, op: u64, now: u64) {
        let Some((_, m)) = self.entry_mut(op) else {
            return;
        };
        if m.status == Status::Pending {
            m.status = Status::Failed;
            m.end = now;
            self.counts.failed += 1;
            self.ended_op(op);
        }
    }

    /// Operation `op` succeeded at `now`; reads carry what they returned.
    pub fn succeed(&mut self, op: u64, now: u64, read: Option<&Sibs>, vv_mode: bool) {
        let Some((o, m)) = self.entry_mut(op) else {
            return;
        };
        if m.status != Status::Pending {
            return;
        }
        o.ret = Some(now);
        m.end = now;
        let o = o.clone();
        let slot = self.slot(&o);
        self.counts.succeeded += 1;
        self.counts.latency.record(now.saturating_sub(o.call));
        match read {
            None => self.acked_write(op, o.key as usize, slot),
            Some(sibs) => self.returned(op, slot, sibs, vv_mode),
        }
        self.ended_op(op);
    }

    fn acked_write(&mut self, op: u64, key: usize, slot: usize) {
        let Some((_, m)) = entry(&mut self.ops, &mut self.meta, &mut self.unrecorded, op) else {
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
        let Some((o, m)) = entry(&mut self.ops, &mut self.meta, &mut self.unrecorded, op) else {
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

    /// Recorded operations in timeline chunk `c` that have ended.
    pub fn ended_in_chunk(&self, c: usize) -> u32 {
        self.ended_chunks.get(c).copied().unwrap_or(0)
    }

    /// The checker's verdict over the whole history so far. A violation is final (no later
    /// operation can explain it away), so it is cached for good; otherwise (linearizable or
    /// undecided so far) the check is re-run when the history has grown by a quarter (amortised
    /// linear work, and rare enough that a frame seldom pays for it) or when `all_done`.
    pub fn verdict(&self, all_done: bool) -> Verdict {
        let mut c = self.cache.borrow_mut();
        let stale = match &c.verdict {
            Some(v) if v.decision == Decision::NotLinearizable => false,
            // Live view of a long run: stop re-checking (the final check comes when all end).
            Some(_) if !all_done && self.ended_recorded > LIVE_CHECK_CAP => false,
            Some(_) => {
                let grown = self.ended_recorded.saturating_sub(c.checked);
                grown > 0 && (all_done || grown >= (c.checked / 4).max(1))
            }
            None => true,
        };
        if stale {
            c.verdict = Some(check(&self.ops));
            c.checked = self.ended_recorded;
        }
        c.verdict.clone().unwrap_or_default()
    }
}

/// Operation `id` in the recorded vectors or among the unrecorded ones in flight (a free
/// function, so callers can borrow the history's other fields at the same time).
fn entry<'a>(
    ops: &'a mut [Op],
    meta: &'a mut [Meta],
    unrecorded: &'a mut VecMap<u64, (Op, Meta)>,
    id: u64,
) -> Option<(&'a mut Op, &'a mut Meta)> {
    let i = id as usize;
    if i < ops.len() {
        ops.get_mut(i).zip(meta.get_mut(i))
    } else {
        unrecorded.get_mut(&id).map(|(o, m)| (o, m))
    }
}

#[cfg(test)]
mod tests;
