//! History unit tests: the record cap, and late answers to forgotten operations.

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
            0,
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
    assert_eq!(
        v.decision,
        Decision::Linearizable,
        "no stale read among the first 8 operations"
    );
    assert_eq!(small.checked(), 8);
    assert_eq!(full.verdict(true).decision, Decision::NotLinearizable);
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
