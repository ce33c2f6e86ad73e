//! The linearizability checker's honesty: an exhausted search is undecided (never
//! "linearizable"), a read of a value nothing wrote is decided without search, evidence stays
//! 1-minimal and contains the failing read when responses tie, and the sentences name
//! operations and values plainly, in milliseconds.

mod common;

use common::{brute, generate, subset, Cfg, Rng};
use systems_sandbox::sim::check::linearizability::{check, check_with_limit, Decision, Op, OpKind};

fn op(client: u32, call: u64, ret: Option<u64>, write: bool, value: u64) -> Op {
    let kind = if write {
        OpKind::Write { value }
    } else {
        OpKind::Read { value }
    };
    Op {
        client,
        key: 0,
        call,
        ret,
        kind,
    }
}

#[test]
fn an_exhausted_search_is_undecided_never_linearizable() {
    for seed in 1..=5 {
        let h = generate(&Cfg::new(4, 300, seed));
        for limit in [1, 5, 20] {
            let v = check_with_limit(&h, limit);
            assert_eq!(v.decision, Decision::Undecided, "seed {seed} limit {limit}");
            assert_ne!(v.decision, Decision::Linearizable);
            assert_eq!(v.decision.word(), "undecided");
            assert!(v.culprits.is_empty() && v.explanation.is_empty());
        }
        assert_eq!(check(&h).decision, Decision::Linearizable, "seed {seed}");
    }
    // A violation on one key decides the history even if another key's search gave up.
    let mut h = generate(&Cfg::new(4, 300, 1));
    h.push(Op {
        key: 7,
        ..op(0, 0, Some(1), true, 1_000_001)
    });
    h.push(Op {
        key: 7,
        ..op(1, 2, Some(3), false, 0)
    });
    let v = check_with_limit(&h, 20);
    assert_eq!(v.decision, Decision::NotLinearizable, "{v:?}");
    assert_eq!(v.culprits, [300, 301]);
}

#[test]
fn a_read_of_a_value_nothing_wrote_is_decided_without_search() {
    for seed in 1..=3 {
        let mut h = generate(&Cfg::new(8, 20_000, seed));
        let reads: Vec<usize> = (0..h.len())
            .filter(|&i| matches!(h[i].kind, OpKind::Read { .. }) && h[i].ret.is_some())
            .collect();
        let bad = reads[reads.len() / 2];
        h[bad].kind = OpKind::Read { value: 987_654_321 };
        let v = check(&h);
        assert_eq!(v.decision, Decision::NotLinearizable);
        assert_eq!(v.failing_op, Some(bad));
        assert_eq!(v.culprits, [bad]);
        assert_eq!(v.explored, 0, "decided without exploring a single state");
        assert!(
            v.explanation
                .contains("no write of 987654321 to that key appears anywhere in the history"),
            "{}",
            v.explanation
        );
    }
    // Written, but only invoked after the read had responded: found by the search instead,
    // which keeps the failing operation the earliest.
    let h = [
        op(1, 0, Some(10), true, 1),
        op(2, 20, Some(30), false, 2),
        op(1, 31, Some(40), true, 2),
    ];
    let v = check(&h);
    assert_eq!(v.culprits, [1]);
    assert!(v.explored > 0);
    // A write invoked before the read responded can explain it.
    let h = [op(2, 20, Some(30), false, 2), op(1, 30, None, true, 2)];
    assert_eq!(check(&h).decision, Decision::Linearizable);
}

/// Is `evidence` (indices into `h`) 1-minimal? Removing any one read makes it linearizable;
/// removing a write does too, together with the evidence reads that returned its value (a read
/// left without its write would be a different contradiction, not a smaller proof).
fn one_minimal(h: &[Op], evidence: &[usize]) -> Result<(), String> {
    for &gone in evidence {
        let value = |i: usize| match h[i].kind {
            OpKind::Write { value } | OpKind::Read { value } => value,
        };
        let write = matches!(h[gone].kind, OpKind::Write { .. });
        let rest: Vec<usize> = evidence
            .iter()
            .copied()
            .filter(|&i| i != gone && !(write && value(i) == value(gone)))
            .collect();
        if !brute(&subset(h, &rest)) {
            return Err(format!("without #{gone} it still fails"));
        }
    }
    Ok(())
}

/// Histories in which another read responds at the same instant as the failing one, itself a
/// violation. Before the fix the evidence kept both (or dropped the failing read's support).
#[test]
fn tied_responses_keep_the_evidence_one_minimal_with_the_failing_read() {
    let tied = [
        // #3 and #5 both respond at 60; #3 (earlier call) comes first and fails.
        vec![
            op(2, 0, Some(20), true, 1),
            op(1, 20, Some(20), true, 2),
            op(2, 20, Some(40), false, 0),
            op(0, 40, Some(60), false, 1),
            op(2, 30, Some(30), false, 2),
            op(2, 50, Some(60), false, 0),
            op(0, 20, Some(20), true, 3),
        ],
        // #0 and #5 both respond at 60.
        vec![
            op(1, 40, Some(60), false, 0),
            op(2, 0, None, true, 1),
            op(1, 20, Some(20), false, 1),
            op(0, 40, Some(40), false, 1),
            op(1, 0, Some(20), false, 0),
            op(1, 50, Some(60), false, 0),
        ],
    ];
    for h in &tied {
        let v = check(h);
        let f = v.failing_op.expect("a violation");
        assert!(v.culprits.contains(&f), "{v:?}");
        assert!(!brute(&subset(h, &v.culprits)), "{v:?}");
        one_minimal(h, &v.culprits).unwrap_or_else(|e| panic!("{e}: {h:?}\n{v:?}"));
    }
    // And over many small random histories with many ties.
    let mut rng = Rng(5);
    let mut violations = 0;
    for _ in 0..40_000 {
        let mut h = Vec::new();
        let mut next = 1;
        for _ in 0..2 + rng.below(6) {
            let call = rng.below(6);
            let ret = (rng.below(8) != 0).then(|| call + rng.below(3));
            let write = rng.below(2) == 0;
            let value = if write { next } else { rng.below(next) };
            next += u64::from(write);
            h.push(op(rng.below(3) as u32, call, ret, write, value));
        }
        let v = check(&h);
        let Some(f) = v.failing_op else { continue };
        violations += 1;
        assert!(v.culprits.contains(&f), "{h:?}\n{v:?}");
        one_minimal(&h, &v.culprits).unwrap_or_else(|e| panic!("{e}: {h:?}\n{v:?}"));
    }
    assert!(violations > 5_000, "{violations}");
}

#[test]
fn sentences_name_operations_and_values_in_milliseconds() {
    // Stale read of an overwritten value (times in µs).
    let h = [
        op(1, 0, Some(10_000), true, 1),
        op(2, 20_000, Some(30_000), true, 2),
        op(3, 40_000, Some(52_500), false, 1),
    ];
    let v = check(&h);
    assert_eq!(
        v.explanation,
        "Operation #2 (read by client 3) returned 1 on key 0, but operation #1 (write of value 2 \
         by client 2) had already completed before the read began, and it started only after \
         operation #0 (write of value 1 by client 1) completed, so 1 had already been \
         overwritten (a stale read)."
    );
    // The generic sentence lists each operation with its interval, in ms (exact to the µs).
    let h = [
        op(2, 500, None, true, 1),
        op(1, 1_500, Some(2_750), false, 1),
        op(0, 500, Some(500), false, 1),
        op(2, 1_000, Some(1_000), true, 2),
    ];
    assert_eq!(
        check(&h).explanation,
        "No order of operation #0 (write of value 1 by client 2, invoked at 0.5 ms, no response), \
         operation #1 (read returning 1 by client 1, 1.5–2.75 ms), operation #2 (read returning 1 \
         by client 0, 0.5–0.5 ms), operation #3 (write of value 2 by client 2, 1–1 ms) respects \
         both real-time order and the register's semantics; the contradiction becomes \
         unavoidable when operation #1 (read by client 1) returned 1 on key 0."
    );
}
