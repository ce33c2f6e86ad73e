//! The recorded history of client operations and the judgements made over it: stale reads,
//! read-your-writes and monotonic-read violations (as each read returns), lost updates (from
//! each write's ancestry), and linearizability (the checker, re-run as the history grows and
//! cached, since a violation in a prefix can never be undone).

use super::versions::{Sib, Sibs, Vv};
use crate::sim::check::linearizability::{check, Op, OpKind, Verdict};
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
        } else {
            self.unrecorded.remove(&id);
        }
    }

    /// A coordinator created the version of write `op`, replacing the versions in `parents`.
    pub fn versioned(&mut self, op: u64, sib: &Sib, parents: &Sibs) {
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
mod tests {
    use super::*;

    fn sibs(value: u64, ts: u64) -> Sibs {
        Sibs::one(Sib {
            value,
            ts,
            vv: Vv::default(),
        })
    }

    /// One client writes then reads key 0, `n` times; every fifth read returns the initial
    /// value (stale). Writes get increasing timestamps.
    fn run(h: &mut History, n: u64) {
        for k in 0..n {
            let w = h.invoke(0, 0, 10 * k, true);
            h.versioned(
                w,
                &Sib {
                    value: w + 1,
                    ts: 10 * k + 1,
                    vv: Vv::default(),
                },
                &sibs(0, 0),
            );
            h.succeed(w, 10 * k + 2, None, false);
            let r = h.invoke(0, 0, 10 * k + 3, false);
            let back = if k % 5 == 4 {
                sibs(0, 0)
            } else {
                sibs(w + 1, 10 * k + 1)
            };
            h.succeed(r, 10 * k + 4, Some(&back), false);
        }
    }

    #[test]
    fn past_the_cap_operations_are_judged_then_forgotten() {
        let mut small = History::capped(1, 1, 0, 8);
        let mut full = History::capped(1, 1, 0, usize::MAX);
        run(&mut small, 50);
        run(&mut full, 50);
        // Memory: only the first 8 kept, nothing left in flight.
        assert_eq!((small.ops.len(), small.meta.len()), (8, 8));
        assert!(small.unrecorded.is_empty());
        // Every operation still counted and judged, exactly as with no cap.
        assert_eq!(small.ended(), 100);
        assert_eq!(small.counts.succeeded, full.counts.succeeded);
        assert_eq!(small.counts.stale, 10);
        assert_eq!(small.counts.stale, full.counts.stale);
        assert_eq!(small.counts.ryw, full.counts.ryw);
        assert_eq!(small.counts.latency.count(), 100);
        // The verdict covers the recorded prefix and says so; the full history is caught.
        let v = small.verdict(true);
        assert!(v.linearizable, "no stale read among the first 8 operations");
        assert_eq!(small.checked(), 8);
        assert!(!full.verdict(true).linearizable);
        assert_eq!(full.checked(), 100);
    }

    #[test]
    fn a_late_answer_to_a_forgotten_operation_is_ignored() {
        let mut h = History::capped(1, 1, 0, 0);
        let r = h.invoke(0, 0, 0, false);
        h.fail(r, 5);
        h.succeed(r, 9, Some(&sibs(0, 0)), false);
        assert_eq!((h.counts.failed, h.counts.succeeded, h.ended()), (1, 0, 1));
    }
}
