//! Lost updates: acknowledged writes that no version stored now descends from, split by why.
//! A write survives if a stored version is it or was written over it (its causal context
//! included it), directly or through later writes; the surviving writes of a key are the
//! stored versions and their ancestors. Versions rank by (timestamp, value), the timestamp
//! being the simulated clock when a coordinator created the version, so rank is creation
//! order; LWW keeps the higher rank. A lost write `L` was beaten, and its **winner** is the
//! surviving write on its key ranked lowest above it (no survivor descends from `L`, or `L`
//! would survive too). `L` is counted once, as one of:
//!
//! * **to a concurrent write** (`lost_concurrent`): its winner overlapped it in time (invoked
//!   no later than `L` was acknowledged, and answered no earlier than `L` was invoked, or
//!   never), and no partition separated the two writes' coordinators at any moment from the
//!   creation of `L`'s version to the creation of the winner's. The two raced over replicas
//!   that could reach each other, neither had to see the other, and LWW kept the later one,
//!   with or without a partition elsewhere (two writers on the majority side). A single copy
//!   does the same to a blind write (of two overlapping writes, the one ordered second
//!   overwrites the first): the price of blind writes under LWW, not an anomaly of
//!   replication. Version vectors keep both.
//! * **in reconciliation** (`lost_in_reconcile`): its winner reached `L`'s replicas through
//!   divergence. Either a partition separated the two coordinators at some moment from the
//!   creation of `L`'s version to the creation of the winner's (one side wrote what the other
//!   could not see), so the two met only when the network healed and LWW discarded `L`; or
//!   the winner did not overlap `L`: it began after `L` was acknowledged and still never saw
//!   it, because the replicas it read had not received it (quorums too small to overlap, or a
//!   sloppy quorum in ap), and read repair, hinted handoff or anti-entropy later merged the
//!   two with LWW; a single copy never loses a write to one begun after it was acknowledged.
//!   The winner may even be a write its client was told had failed (refused for want of a
//!   quorum after it was stored on the replicas it reached): a refusal does not undo a
//!   version already stored. A lost write with no winner (version vectors dropping the oldest
//!   of a full set of siblings) is counted here too.
//!
//! Why cp with R + W > N loses in reconciliation only across a partition: let `V` be the
//! winner of a lost write `L`. If `V` began after `L` was acknowledged, its context read (cp
//! waits for R replicas before creating a version) met a replica of `L`'s write quorum. Under
//! LWW a replica only ever moves to a higher rank, so that replica held `L` or a version
//! ranked above it: `L` or a descendant of `L` makes `V` descend from `L`, and `L` is not
//! lost; any other version beat `L`, is an ancestor of `V` (so it survives) and ranks below
//! `V`, so `V` is not the winner. Either way a contradiction, so `V` began no later than `L`
//! was acknowledged, and it was created after `L` (it ranks above it), so it answered after
//! `L` was invoked: they overlapped, and without a partition between their coordinators `L`
//! is lost concurrently. With version vectors a version is discarded only by one whose vector
//! descends from it, which was written over it; the tests check that nothing is lost either
//! way over seed sweeps.

use super::super::versions::MAX_N;
use super::{History, Status};
use crate::sim::check::linearizability::OpKind;

/// Acknowledged writes lost, by reason (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lost {
    /// Beaten by a write that reached it through divergence: across a partition, or without
    /// overlapping it in time.
    pub in_reconcile: u64,
    /// Beaten by a write that overlapped it in time, with no partition between them.
    pub concurrent: u64,
}

/// A partitioned period: from `start` to `end` (µs; `u64::MAX` while it lasts), replica `i`
/// in group `groups[i]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub start: u64,
    pub end: u64,
    pub groups: [u16; MAX_N],
}

impl Split {
    /// Were replicas `a` and `b` in different groups at some moment from `from` to `to`?
    fn separates(&self, a: u8, b: u8, from: u64, to: u64) -> bool {
        let g = |r: u8| self.groups.get(r as usize).copied().unwrap_or(0);
        self.start <= to && from < self.end && g(a) != g(b)
    }
}

/// A write's rank under LWW: its timestamp, ties broken by value.
type Rank = (u64, u64);

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

    fn rank(&self, i: usize) -> Rank {
        (self.meta.get(i).map_or(0, |m| m.ts), i as u64 + 1)
    }

    /// Per key: the surviving writes (rank, operation index), sorted by rank.
    fn survivors(&self, alive: &[bool]) -> Vec<Vec<(Rank, usize)>> {
        let mut by_key: Vec<Vec<(Rank, usize)>> = vec![Vec::new(); self.keys];
        for (i, o) in self.ops.iter().enumerate() {
            if alive.get(i).copied().unwrap_or(false) {
                if let Some(s) = by_key.get_mut(o.key as usize) {
                    s.push((self.rank(i), i));
                }
            }
        }
        for s in &mut by_key {
            crate::sim::compact::sort(s);
        }
        by_key
    }

    /// Did lost write `l` lose to `v` concurrently (see the module docs)?
    fn concurrent(&self, l: usize, v: usize, splits: &[Split]) -> bool {
        let (Some(lo), Some(vo), Some(lm), Some(vm)) = (
            self.ops.get(l),
            self.ops.get(v),
            self.meta.get(l),
            self.meta.get(v),
        ) else {
            return false;
        };
        let l_ret = lo.ret.unwrap_or(u64::MAX);
        let overlapped = vo.call <= l_ret && vo.ret.unwrap_or(u64::MAX) >= lo.call;
        let (from, to) = (lm.ts.min(vm.ts), lm.ts.max(vm.ts));
        overlapped
            && !splits
                .iter()
                .any(|p| p.separates(lm.coord, vm.coord, from, to))
    }

    /// Acknowledged writes lost, by reason; `stored` lists the values every replica holds now,
    /// `splits` the partitioned periods so far.
    pub fn lost(&self, stored: impl Iterator<Item = u64>, splits: &[Split]) -> Lost {
        let alive = self.alive(stored);
        let survivors = self.survivors(&alive);
        let mut lost = Lost::default();
        for (i, o) in self.ops.iter().enumerate() {
            let acked = matches!(o.kind, OpKind::Write { .. })
                && self.meta.get(i).is_some_and(|m| m.status == Status::Ok);
            if !acked || alive.get(i).copied().unwrap_or(true) {
                continue;
            }
            let rank = self.rank(i);
            let winner = survivors.get(o.key as usize).and_then(|s| {
                let k = s.partition_point(|&(r, _)| r <= rank);
                s.get(k).map(|&(_, v)| v)
            });
            match winner {
                Some(v) if self.concurrent(i, v, splits) => lost.concurrent += 1,
                _ => lost.in_reconcile += 1,
            }
        }
        lost
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::versions::{Sib, Sibs, Vv};
    use super::*;

    /// Write `op`'s version, created by replica `coord` at `ts` over the writes in `parents`.
    fn version(h: &mut History, op: u64, coord: u32, ts: u64, parents: &[u64]) {
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
        h.versioned(op, coord, &sib, &p);
    }

    /// Replicas 0 | 1, 2 from `start` to `end`.
    fn split(start: u64, end: u64) -> Split {
        let mut groups = [0; MAX_N];
        groups[1] = 1;
        groups[2] = 1;
        Split { start, end, groups }
    }

    fn counts(in_reconcile: u64, concurrent: u64) -> Lost {
        Lost {
            in_reconcile,
            concurrent,
        }
    }

    /// Writes a (0-10, by replica `ca`) and b (5-15, by `cb`) overlap; b's version is newer.
    fn race(ca: u32, cb: u32) -> (History, u64, u64) {
        let mut h = History::new(2, 1, 8);
        let a = h.invoke(0, 0, 0, true);
        let b = h.invoke(1, 0, 5, true);
        version(&mut h, a, ca, 1, &[]);
        version(&mut h, b, cb, 6, &[]);
        h.succeed(a, 10, None, false);
        h.succeed(b, 15, None, false);
        (h, a, b)
    }

    #[test]
    fn a_write_beaten_by_an_overlapping_one_is_lost_concurrently() {
        let (h, a, b) = race(1, 2);
        assert_eq!(h.lost([b + 1].into_iter(), &[]), counts(0, 1));
        // Both coordinators on the majority side of a partition (0 | 1, 2), as in the CAP
        // lesson's cp run: an ordinary race, whatever happens to replica 0.
        assert_eq!(h.lost([b + 1].into_iter(), &[split(0, 20)]), counts(0, 1));
        // Stored as siblings, neither is lost.
        assert_eq!(h.lost([a + 1, b + 1].into_iter(), &[]), Lost::default());
    }

    #[test]
    fn a_write_beaten_from_across_a_partition_is_lost_in_reconciliation() {
        // a by replica 0, b by replica 1: the partition separates them.
        let (h, _, b) = race(0, 1);
        assert_eq!(h.lost([b + 1].into_iter(), &[split(0, 20)]), counts(1, 0));
        // a's version was created while cut off (1 to 3), b's after the heal.
        assert_eq!(h.lost([b + 1].into_iter(), &[split(0, 3)]), counts(1, 0));
        // A partition only after both versions existed does not count...
        assert_eq!(h.lost([b + 1].into_iter(), &[split(7, 20)]), counts(0, 1));
        // ... nor one before (ending as a's version is created).
        assert_eq!(h.lost([b + 1].into_iter(), &[split(0, 1)]), counts(0, 1));
    }

    /// Write a (0-10) is acknowledged; c (20-30) never saw it, d (40-50) was written over c.
    /// Stored: d. A write failed before it ended is not counted.
    #[test]
    fn a_write_a_later_write_never_saw_is_lost_in_reconciliation() {
        let mut h = History::new(2, 1, 8);
        let a = h.invoke(0, 0, 0, true);
        version(&mut h, a, 0, 1, &[]);
        h.succeed(a, 10, None, false);
        let f = h.invoke(0, 0, 12, true);
        h.fail(f, 14);
        let c = h.invoke(1, 0, 20, true);
        version(&mut h, c, 1, 21, &[]);
        h.succeed(c, 30, None, false);
        let d = h.invoke(0, 0, 40, true);
        version(&mut h, d, 0, 41, &[c + 1]);
        h.succeed(d, 50, None, false);
        assert_eq!(h.lost([d + 1].into_iter(), &[]), counts(1, 0));
        // Had d been written over a as well, nothing would be lost.
        let mut h2 = History::new(2, 1, 8);
        let a = h2.invoke(0, 0, 0, true);
        version(&mut h2, a, 0, 1, &[]);
        h2.succeed(a, 10, None, false);
        let d = h2.invoke(0, 0, 40, true);
        version(&mut h2, d, 0, 41, &[a + 1]);
        h2.succeed(d, 50, None, false);
        assert_eq!(h2.lost([d + 1].into_iter(), &[]), Lost::default());
    }

    /// As in the quorums lesson's R = W = 1 run (seed 3, writes 27 to 29): b (15-25) is
    /// overlapped by a (10-18), which it beat; its winner c (30-40) began after b was
    /// acknowledged, on a replica b had not reached yet, and was written over a. Stored: c.
    /// An overlapping survivor that b beat is not what beat b.
    #[test]
    fn the_winner_is_the_lowest_survivor_above_not_any_overlapping_one() {
        let mut h = History::new(3, 1, 8);
        let a = h.invoke(0, 0, 10, true);
        version(&mut h, a, 1, 12, &[]);
        let b = h.invoke(1, 0, 15, true);
        version(&mut h, b, 2, 17, &[]);
        h.succeed(a, 18, None, false);
        h.succeed(b, 25, None, false);
        let c = h.invoke(0, 0, 30, true);
        version(&mut h, c, 1, 32, &[a + 1]);
        h.succeed(c, 40, None, false);
        assert_eq!(h.lost([c + 1].into_iter(), &[]), counts(1, 0));
    }

    /// As with cp, R = 1, W = 2 and replica 0 cut off: a (10-20) is acknowledged on the
    /// majority side; b, written by replica 0 at 30 while cut off, was refused at 40 but
    /// stored there, and won when the network healed at 50. Stored: b.
    #[test]
    fn a_refused_write_from_across_a_partition_can_win_the_reconciliation() {
        let mut h = History::new(2, 1, 8);
        let a = h.invoke(1, 0, 10, true);
        version(&mut h, a, 1, 12, &[]);
        h.succeed(a, 20, None, false);
        let b = h.invoke(0, 0, 15, true);
        version(&mut h, b, 0, 30, &[]);
        h.fail(b, 40);
        assert_eq!(h.lost([b + 1].into_iter(), &[split(5, 50)]), counts(1, 0));
    }
}
