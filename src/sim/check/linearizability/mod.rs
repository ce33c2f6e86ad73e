//! Linearizability checker for the key–value register histories recorded by the
//! Systems Sandbox quorum-replication scenario.
//!
//! The scenario logs every client operation (call time, response time if any, the value
//! written or read). [`check`] decides whether that history is linearizable and, if it is
//! not, returns a small set of operations that proves it plus one plain-English sentence
//! for the learner. Everything is std-only, single-threaded and deterministic, so it runs
//! unchanged in wasm.
//!
//! # Model
//! Every key is an independent read/write register whose initial value is 0.
//! Linearizability is compositional (Herlihy & Wing), so each key is checked on its own.
//! Operation A precedes B in real time iff `A.ret < B.call`; equal times are concurrent.
//! A read without a response carries no information and is ignored. A write without a
//! response may take effect at any instant after its call, or never.
//!
//! # Verdict
//! Three-valued ([`Decision`]): linearizable, not linearizable (with evidence), or undecided when
//! a search reached its effort limit before finding either an order or a contradiction.
//!
//! # Reads that nothing wrote
//! A completed read of a value that no write of its key wrote anywhere in the history, and that
//! is not the initial 0, is decided at once, without search: no order can explain it, so the
//! read alone is 1-minimal evidence. Such a read is its key's failing operation (the earliest
//! such read to respond), even if a search could have found an earlier violation on that key:
//! looking for one would cost what the shortcut saves (a search that can never get past the
//! read explores every order of everything before it, and gives up on long histories). A read of
//! a value whose only writes were invoked after the read responded is just as impossible, but
//! goes through the search, so its failing operation stays the earliest.
//!
//! # Search
//! Wing & Gong's backtracking search with Lowe's just-in-time linearization and memoization,
//! the scheme Porcupine uses. Call and return events are sorted by time (calls first on ties)
//! into a doubly linked list. The search linearizes an operation whose call lies before the
//! first remaining return event, unlinks both of its events, and backtracks when it meets the
//! return event of an operation it has not linearized. Each configuration
//! (set of linearized operations, register value) is explored at most once.
//! Refinements:
//! * Bitset ids follow return order, so the linearized set is nearly always "ids `0..p`
//!   plus a few". The memo key is `p`, the register value and those few ids, so memory
//!   grows with concurrency, not with history length.
//! * A read matching the current value is linearized at once and is not a branch point:
//!   it leaves the state unchanged, and everything that must precede it is already
//!   linearized, so any successful order can be rearranged to take it now.
//! * Writes without a response: if no completed read returned their value, they are
//!   dropped (taking effect can never help). If one is the only write of a value that
//!   completed reads returned, it must come before all of those reads. So it gets the earliest
//!   such read's response time as a synthetic response. Only writes of duplicated values
//!   stay open-ended (response at infinity, as in Porcupine).
//! * All values that no read returned are merged into one "unread" value, since nothing
//!   can tell them apart.
//! * A write is not linearized when the current value has a single source and a read of it
//!   is still waiting: that read could never be satisfied again. To keep step 1 below exact,
//!   this prune is applied only when the waiting read responds no later than the furthest
//!   return event already reached.
//!
//! # Evidence for a violation
//! 1. The search notes the furthest return event it ever reached. That is the earliest
//!    response after which the prefix of the history can no longer be linearized. The prefix
//!    is the operations that have responded, plus writes still in flight, treated as having
//!    no response. This failing operation `F` is always a read: a write that has just responded
//!    can be placed after everything else in the prefix. Responses at the same instant are
//!    ordered by (call time, input order), and the prefix follows that order: a response at
//!    `F`'s instant that comes after `F`'s is not yet in it. (With time alone, a read answered at
//!    the same instant could be a violation of its own, and the evidence would keep `F`
//!    without needing it.)
//! 2. That prefix is shrunk while it stays non-linearizable. Only *relaxing* removals are used:
//!    dropping a read, or dropping a write whose value no remaining read returned. These can
//!    never create a violation, so what remains is genuine evidence. It always contains `F`,
//!    because the prefix without `F`'s response is linearizable. Shrinking works in three
//!    steps. First, keep only the last 16, 32, … operations, because violations are nearly
//!    always local and later checks are then cheap. Next, delta-debug over reads, so the
//!    simplest story wins and a stale read needs no second read. Last, delta-debug over
//!    everything: chunks, then single operations, until nothing more can go. The result is
//!    1-minimal. Typical results: {write, stale read of 0}; {old write, overwriting write,
//!    stale read}; {write, read of the new value, later read of the old value}.
//! 3. Those shapes get a specific sentence; anything else gets a generic one listing the
//!    operations with their time intervals.
//!
//! Across keys, the violation whose failing response comes earliest is reported.

mod explain;
mod items;
mod search;
mod shrink;

use explain::explain;
use items::{prepare, FxBuild, Iv};
use search::{search, Outcome};
use shrink::shrink;
use std::collections::HashSet;

/// One client operation on one key, as recorded by the simulation (times in integer microseconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    /// Which client issued it.
    pub client: u32,
    /// Which key (register) it touched.
    pub key: u32,
    /// Invocation time.
    pub call: u64,
    /// Response time; `None` = no response (failed/timed-out/pending): it may or may not have
    /// taken effect. A response earlier than `call` is treated as equal to `call`.
    pub ret: Option<u64>,
    /// Read or write, with its value.
    pub kind: OpKind,
}

/// What an operation did.
#[derive(Clone, Debug, PartialEq)]
pub enum OpKind {
    /// Values are unique per write in the scenario; 0 is the initial value of every key.
    Write { value: u64 },
    /// The value the read returned (0 = initial).
    Read { value: u64 },
}

/// What the checker decided about a history: three values, because a search with an effort
/// limit can stop before it finds either an order or a contradiction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decision {
    /// An order exists that respects real time and the register's semantics.
    #[default]
    Linearizable,
    /// No such order exists; the verdict carries the evidence.
    NotLinearizable,
    /// Some search hit the effort limit and no violation was found: unknown, not "linearizable".
    Undecided,
}

impl Decision {
    /// The word a report shows: "yes", "no" or "undecided".
    pub fn word(self) -> &'static str {
        match self {
            Decision::Linearizable => "yes",
            Decision::NotLinearizable => "no",
            Decision::Undecided => "undecided",
        }
    }
}

/// The checker's answer, with evidence when the history is not linearizable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    pub decision: Decision,
    /// Indices (into the input slice, ascending) of the operations that prove the violation;
    /// empty unless `NotLinearizable`.
    pub culprits: Vec<usize>,
    /// One plain-English sentence for a learner; empty unless `NotLinearizable`.
    pub explanation: String,
    /// Search effort (states explored, including the re-checks used to shrink the evidence).
    pub explored: u64,
    /// The read whose response first made the history non-linearizable (always a culprit).
    pub failing_op: Option<usize>,
}

/// Effort limit used by [`check`] (a full memo of this size takes roughly 50 MB).
pub const DEFAULT_MAX_EXPLORED: u64 = 1_000_000;

/// Checks every key independently (linearizability is compositional) and combines the results.
pub fn check(history: &[Op]) -> Verdict {
    check_with_limit(history, DEFAULT_MAX_EXPLORED)
}

/// Like [`check`], but each individual search gives up after exploring `max_explored` states.
/// "Each search" means one per key, plus each re-check made while shrinking the evidence.
/// If some key's search gives up and no key has a violation, the decision is `Undecided`.
pub fn check_with_limit(history: &[Op], max_explored: u64) -> Verdict {
    let mut order: Vec<usize> = (0..history.len()).collect();
    crate::sim::compact::sort_by_key(&mut order, |&i| (history[i].key, i)); // keys are unique
    let mut v = Verdict::default();
    let mut gave_up = false;
    let mut best: Option<(u64, usize)> = None; // (failing response time, failing op index)
    for group in order.chunk_by(|&a, &b| history[a].key == history[b].key) {
        let ivs: Vec<Iv> = group
            .iter()
            .filter_map(|&i| Iv::new(i, &history[i]))
            .collect();
        let (src, culprits) = match impossible_read(&ivs) {
            // Decided without search: this read alone is the evidence.
            Some(src) => (src, None),
            None => match search(&prepare(&ivs), max_explored) {
                (Outcome::Linearizable, n) => {
                    v.explored += n;
                    continue;
                }
                (Outcome::GaveUp, n) => {
                    (v.explored, gave_up) = (v.explored + n, true);
                    continue;
                }
                (Outcome::Violation(src), n) => {
                    v.explored += n;
                    (src, Some(()))
                }
            },
        };
        let f = ivs[src];
        let rank = (f.ret.unwrap_or(u64::MAX), f.idx);
        if best.is_some_and(|b| rank >= b) {
            continue; // another key failed earlier: no need to shrink this one's evidence
        }
        let culprits = match culprits {
            Some(()) => {
                let (c, n) = shrink(&ivs, src, max_explored);
                v.explored += n;
                c
            }
            None => vec![f.idx],
        };
        best = Some(rank);
        v.explanation = explain(history, &culprits, f.idx);
        v.culprits = culprits;
        v.failing_op = Some(f.idx);
    }
    v.decision = match (best, gave_up) {
        (Some(_), _) => Decision::NotLinearizable,
        (None, true) => Decision::Undecided,
        (None, false) => Decision::Linearizable,
    };
    v
}

/// A completed read of a value that no write of its key wrote and that is not the initial 0:
/// no order can explain it, whatever else happened, so it is decided without search. Returns
/// the one that responded first (index into `ivs`).
fn impossible_read(ivs: &[Iv]) -> Option<usize> {
    let written: HashSet<u64, FxBuild> = ivs
        .iter()
        .filter(|iv| iv.write)
        .map(|iv| iv.value)
        .collect();
    ivs.iter()
        .enumerate()
        .filter(|(_, iv)| !iv.write && iv.value != 0 && !written.contains(&iv.value))
        .filter_map(|(j, iv)| Some((iv.ret?, iv.call, j)))
        .min()
        .map(|(_, _, j)| j)
}

pub(super) fn value_of(op: &Op) -> (bool, u64) {
    match op.kind {
        OpKind::Write { value } => (true, value),
        OpKind::Read { value } => (false, value),
    }
}
