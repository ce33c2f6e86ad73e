//! Lost updates: acknowledged writes that no version stored now descends from, split by why.
//! A write survives if a stored version is it or was written over it (its causal context
//! included it), directly or through later writes; the surviving writes of a key are the stored
//! versions and their ancestors. A lost write is counted once, as one of:
//!
//! * **to a concurrent write** (`lost_concurrent`): a surviving write on its key overlapped it
//!   in time (invoked no later than it was acknowledged, and answered no earlier than it was
//!   invoked, or never), and it was not written during a partition. Neither write had to see
//!   the other, and last-writer-wins kept one. A single copy may do the same to a blind write
//!   (of two overlapping writes, the one ordered second overwrites the first): the price of
//!   blind writes under LWW, not an anomaly of replication. Version vectors keep both.
//! * **in reconciliation** (`lost_in_reconcile`): every other lost write. Either it was
//!   written while the network was partitioned (its interval meets a partition), so its side's
//!   history was merged with the other side's when the partition healed and LWW discarded it;
//!   or no surviving write overlapped it, so the writes that replaced it came after it and
//!   never saw it: the replicas had diverged (quorums too small to overlap) and read repair,
//!   hinted handoff or anti-entropy, merging with LWW, discarded it. A single copy never does
//!   that.
//!
//! Why no partition with R + W > N loses nothing in reconciliation: take the surviving write
//! `V` with the lowest timestamp among those that beat a lost write `W`. If `V` began after `W`
//! was acknowledged, its context read (R replicas) met a replica of `W`'s write quorum, holding
//! `W`, a descendant of it, or an earlier write that beat it; the first two make `V` descend
//! from `W`, the last contradicts `V` being the earliest. So `V` overlapped `W`.
//! With version vectors a version is discarded only by one whose vector descends from it, which
//! was written over it; the tests check that nothing is lost either way over seed sweeps.

use super::{History, Status};
use crate::sim::check::linearizability::OpKind;

/// Acknowledged writes lost, by reason (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lost {
    /// Discarded by reconciliation: written during a partition, or no surviving write
    /// overlapped it.
    pub in_reconcile: u64,
    /// Beaten by a surviving write that overlapped it in time, outside any partition.
    pub concurrent: u64,
}

impl History {
    /// Which recorded writes a stored version descends from: `stored` lists the values every
    /// replica holds now.
    fn alive(&self, stored: impl Iterator<Item = u64>) -> Vec<bool> {
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
        alive
    }

    /// Acknowledged writes lost, by reason; `stored` lists the values every replica holds now,
    /// `partitions` the partitioned periods so far (start, end; end `u64::MAX` while ongoing).
    pub fn lost(&self, stored: impl Iterator<Item = u64>, partitions: &[(u64, u64)]) -> Lost {
        let alive = self.alive(stored);
        // Per key: surviving writes' (call, end) sorted by call, then the end made a running
        // maximum, so "did one invoked by t end at or after u" is one binary search.
        let mut spans: Vec<Vec<(u64, u64)>> = vec![Vec::new(); self.keys];
        for (o, _) in self.ops.iter().zip(&alive).filter(|(_, &a)| a) {
            if let Some(s) = spans.get_mut(o.key as usize) {
                s.push((o.call, o.ret.unwrap_or(u64::MAX)));
            }
        }
        for s in &mut spans {
            // Operations are recorded in invocation order, so this is nearly always sorted.
            if !s.is_sorted() {
                crate::sim::compact::sort(s);
            }
            let mut end = 0;
            for x in s.iter_mut() {
                end = end.max(x.1);
                x.1 = end;
            }
        }
        let mut lost = Lost::default();
        for (i, o) in self.ops.iter().enumerate() {
            let acked = matches!(o.kind, OpKind::Write { .. })
                && self.meta.get(i).is_some_and(|m| m.status == Status::Ok);
            let (Some(ret), true, false) = (o.ret, acked, alive.get(i).copied().unwrap_or(true))
            else {
                continue;
            };
            let overlapped = spans.get(o.key as usize).is_some_and(|s| {
                let k = s.partition_point(|&(c, _)| c <= ret);
                k > 0 && s.get(k - 1).is_some_and(|&(_, end)| end >= o.call)
            });
            let split = partitions.iter().any(|&(a, b)| a <= ret && o.call <= b);
            if overlapped && !split {
                lost.concurrent += 1;
            } else {
                lost.in_reconcile += 1;
            }
        }
        lost
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::versions::{Sib, Sibs, Vv};
    use super::*;

    fn version(h: &mut History, op: u64, ts: u64, parents: &[u64]) {
        let mut p = Sibs::default();
        for &v in parents {
            p.merge(
                &Sibs::one(Sib {
                    value: v,
                    ts: v,
                    vv: Vv::default(),
                }),
                super::super::super::Conflict::Vv,
            );
        }
        let sib = Sib {
            value: op + 1,
            ts,
            vv: Vv::default(),
        };
        h.versioned(op, &sib, &p);
    }

    /// Writes a (0-10) and b (5-15) overlap; stored: b only.
    #[test]
    fn a_write_beaten_by_an_overlapping_one_is_lost_concurrently() {
        let mut h = History::new(2, 1, 8);
        let a = h.invoke(0, 0, 0, true);
        let b = h.invoke(1, 0, 5, true);
        version(&mut h, a, 1, &[]);
        version(&mut h, b, 6, &[]);
        h.succeed(a, 10, None, false);
        h.succeed(b, 15, None, false);
        let lost = h.lost([b + 1].into_iter(), &[]);
        assert_eq!(
            lost,
            Lost {
                in_reconcile: 0,
                concurrent: 1
            }
        );
        // Written while the network was split (from 8 to 20): merged away when it healed.
        let lost = h.lost([b + 1].into_iter(), &[(8, 20)]);
        assert_eq!(
            lost,
            Lost {
                in_reconcile: 1,
                concurrent: 0
            }
        );
        // A partition that began after it was acknowledged does not count.
        let lost = h.lost([b + 1].into_iter(), &[(11, 20)]);
        assert_eq!(lost.concurrent, 1);
        // Stored as siblings, neither is lost.
        assert_eq!(h.lost([a + 1, b + 1].into_iter(), &[]), Lost::default());
    }

    /// Write a (0-10) is acknowledged; c (20-30) never saw it, d (40-50) was written over c.
    /// Stored: d. A write failed before it ended is not counted.
    #[test]
    fn a_write_a_later_write_never_saw_is_lost_in_reconciliation() {
        let mut h = History::new(2, 1, 8);
        let a = h.invoke(0, 0, 0, true);
        version(&mut h, a, 1, &[]);
        h.succeed(a, 10, None, false);
        let f = h.invoke(0, 0, 12, true);
        h.fail(f, 14);
        let c = h.invoke(1, 0, 20, true);
        version(&mut h, c, 21, &[]);
        h.succeed(c, 30, None, false);
        let d = h.invoke(0, 0, 40, true);
        version(&mut h, d, 41, &[c + 1]);
        h.succeed(d, 50, None, false);
        let lost = h.lost([d + 1].into_iter(), &[]);
        assert_eq!(
            lost,
            Lost {
                in_reconcile: 1,
                concurrent: 0
            }
        );
        // Had d been written over a as well, nothing would be lost.
        let mut h2 = History::new(2, 1, 8);
        let a = h2.invoke(0, 0, 0, true);
        version(&mut h2, a, 1, &[]);
        h2.succeed(a, 10, None, false);
        let d = h2.invoke(0, 0, 40, true);
        version(&mut h2, d, 41, &[a + 1]);
        h2.succeed(d, 50, None, false);
        assert_eq!(h2.lost([d + 1].into_iter(), &[]), Lost::default());
    }
}
