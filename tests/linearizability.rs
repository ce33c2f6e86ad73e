//! The linearizability checker (`sim::check::linearizability`): hand-made histories with known
//! verdicts and evidence, agreement with brute force on small random histories, and speed on
//! 10,000-operation generated histories.

mod common;

use common::{brute, generate, make_stale, subset, Cfg, Rng};
use systems_sandbox::sim::check::linearizability::{
    check, check_with_limit, Decision, Op, OpKind, Verdict,
};

fn w(client: u32, call: u64, ret: Option<u64>, value: u64) -> Op {
    Op {
        client,
        key: 0,
        call,
        ret,
        kind: OpKind::Write { value },
    }
}
fn r(client: u32, call: u64, ret: Option<u64>, value: u64) -> Op {
    Op {
        client,
        key: 0,
        call,
        ret,
        kind: OpKind::Read { value },
    }
}
fn on(key: u32, mut op: Op) -> Op {
    op.key = key;
    op
}

fn assert_ok(h: &[Op]) -> Verdict {
    let v = check(h);
    assert_eq!(v.decision, Decision::Linearizable, "{v:?}");
    assert!(v.culprits.is_empty() && v.explanation.is_empty() && v.failing_op.is_none());
    v
}
fn assert_bad(h: &[Op], culprits: &[usize]) -> Verdict {
    let v = check(h);
    assert_eq!(v.decision, Decision::NotLinearizable, "{v:?}");
    assert_eq!(v.culprits, culprits, "{}", v.explanation);
    assert!(v.failing_op.is_some_and(|f| v.culprits.contains(&f)));
    assert!(
        v.explanation.starts_with("Operation #"),
        "{}",
        v.explanation
    );
    v
}

#[test]
fn sequential_history_is_linearizable() {
    assert_ok(&[
        w(1, 0, Some(10), 1),
        r(2, 20, Some(30), 1),
        w(2, 40, Some(50), 2),
        r(1, 60, Some(70), 2),
    ]);
    assert_ok(&[
        r(1, 0, Some(5), 0),
        w(1, 6, Some(9), 3),
        r(1, 10, Some(12), 3),
    ]);
}

#[test]
fn stale_read_of_initial_value() {
    let v = assert_bad(&[w(1, 0, Some(10), 7), r(2, 20, Some(30), 0)], &[0, 1]);
    assert_eq!(v.failing_op, Some(1));
    assert!(
        v.explanation
            .contains("operation #0 (write of value 7 by client 1) had already completed"),
        "{}",
        v.explanation
    );
}

#[test]
fn stale_read_of_overwritten_value_names_both_writes() {
    let h = [
        w(1, 0, Some(10), 1),
        r(3, 11, Some(12), 1),
        w(2, 20, Some(30), 2),
        w(3, 31, Some(35), 3), // concurrent with the read below: not needed as evidence
        r(1, 33, Some(50), 1),
    ];
    let v = assert_bad(&h, &[0, 2, 4]);
    assert!(v.explanation.contains("overwritten"), "{}", v.explanation);
}

#[test]
fn concurrent_write_and_read_may_see_either_value() {
    assert_ok(&[w(1, 0, Some(100), 1), r(2, 10, Some(20), 0)]);
    assert_ok(&[w(1, 0, Some(100), 1), r(2, 10, Some(20), 1)]);
    // Equal timestamps are concurrent, not ordered.
    assert_ok(&[w(1, 0, Some(10), 1), r(2, 10, Some(20), 0)]);
    assert_bad(&[w(1, 0, Some(10), 1), r(2, 11, Some(20), 0)], &[0, 1]);
}

#[test]
fn new_old_inversion() {
    let h = [
        w(1, 0, Some(100), 1),
        r(2, 10, Some(20), 1),
        r(3, 30, Some(40), 0),
    ];
    let v = assert_bad(&h, &[0, 1, 2]);
    assert_eq!(v.failing_op, Some(2));
    assert!(
        v.explanation.contains("new-old inversion"),
        "{}",
        v.explanation
    );
    // Here "newer" comes from the first read: it saw 1 after the write of 2 had completed.
    let h = [
        w(1, 0, Some(100), 1),
        w(2, 0, Some(100), 2),
        r(2, 110, Some(120), 1),
        r(3, 130, Some(140), 2),
        r(1, 150, Some(160), 1),
    ];
    let v = assert_bad(&h, &[0, 1, 2, 3]);
    assert!(
        v.explanation.contains("1 is newer than 2"),
        "{}",
        v.explanation
    );
    // Overlapping reads may observe the values in either order.
    assert_ok(&[
        w(1, 0, Some(100), 1),
        r(2, 10, Some(30), 1),
        r(3, 20, Some(40), 0),
    ]);
}

#[test]
fn read_of_value_never_written() {
    let v = assert_bad(
        &[
            w(1, 0, Some(10), 1),
            r(2, 20, Some(30), 1),
            r(2, 40, Some(50), 9),
        ],
        &[2],
    );
    assert!(v.explanation.contains("no write of 9"), "{}", v.explanation);
    // Written only after the read completed.
    let v = assert_bad(&[r(2, 0, Some(5), 4), w(1, 6, Some(10), 4)], &[0]);
    assert!(
        v.explanation
            .contains("operation #1 (write of value 4 by client 1) was only invoked afterwards"),
        "{}",
        v.explanation
    );
}

#[test]
fn pending_write_that_takes_effect() {
    // The write never responds but is observed long after its call.
    assert_ok(&[
        w(1, 0, None, 5),
        r(2, 50, Some(60), 5),
        r(3, 70, Some(80), 5),
    ]);
    // ... and may be observed after a completed write that overwrote the initial value.
    assert_ok(&[
        w(1, 0, None, 5),
        w(2, 10, Some(20), 6),
        r(3, 30, Some(40), 6),
        r(3, 50, Some(60), 5),
    ]);
    // But once observed, it cannot be un-observed.
    let v = assert_bad(
        &[
            w(1, 0, None, 5),
            r(2, 50, Some(60), 5),
            r(3, 70, Some(80), 0),
        ],
        &[0, 1, 2],
    );
    assert!(
        v.explanation.contains("never got a response"),
        "{}",
        v.explanation
    );
    // A pending write cannot take effect before it was invoked.
    assert_bad(&[r(2, 0, Some(10), 5), w(1, 20, None, 5)], &[0]);
}

#[test]
fn pending_write_that_never_takes_effect() {
    assert_ok(&[
        w(1, 0, None, 5),
        r(2, 50, Some(60), 0),
        r(3, 70, Some(80), 0),
    ]);
    assert_ok(&[
        w(1, 0, Some(5), 1),
        w(2, 10, None, 2),
        r(3, 70, Some(80), 1),
    ]);
    // Reads without a response are ignored whatever they claim to have returned.
    assert_ok(&[w(1, 0, Some(5), 1), r(3, 70, None, 12345)]);
    // Duplicate values (outside the scenario's guarantee) are still handled correctly.
    let dup = [
        w(1, 0, None, 5),
        w(2, 10, None, 5),
        r(3, 20, Some(30), 5),
        w(1, 40, Some(50), 6),
        r(3, 60, Some(70), 5),
    ];
    assert_ok(&dup); // both pending writes of 5 must take effect, one before and one after 6
    let without_second = [
        dup[0].clone(),
        dup[2].clone(),
        dup[3].clone(),
        dup[4].clone(),
    ];
    assert_eq!(check(&without_second).decision, Decision::NotLinearizable);
    assert_ok(&[w(1, 0, None, 0), w(2, 1, Some(2), 3), r(3, 20, Some(30), 0)]);
}

#[test]
fn keys_are_independent() {
    let h = [
        on(1, w(1, 0, Some(10), 1)),
        on(2, r(2, 20, Some(30), 0)), // key 2 never written: 0 is right
        on(2, w(2, 40, Some(50), 2)),
        on(1, r(3, 60, Some(70), 1)),
        on(2, r(3, 80, Some(90), 2)),
    ];
    assert_ok(&h);
    let mut bad = h.to_vec();
    bad.push(on(2, r(1, 100, Some(110), 0))); // stale on key 2 only
    bad.push(on(1, r(1, 120, Some(130), 1)));
    let v = assert_bad(&bad, &[2, 5]);
    assert!(v.explanation.contains("on key 2"), "{}", v.explanation);
    // With violations on two keys, the one whose failing response comes first is reported.
    bad.push(on(3, w(1, 0, Some(1), 8)));
    bad.push(on(3, r(1, 2, Some(3), 0)));
    assert_bad(&bad, &[7, 8]);
}

#[test]
fn effort_limit_gives_up() {
    let h = generate(&Cfg::new(3, 200, 1));
    let v = check_with_limit(&h, 10);
    assert_eq!(v.decision, Decision::Undecided, "{v:?}");
    assert!(v.explored <= 10 && v.culprits.is_empty() && v.failing_op.is_none());
    assert_eq!(v.decision.word(), "undecided");
    assert_eq!(
        check_with_limit(&h, 1_000_000).decision,
        Decision::Linearizable
    );
}

#[test]
fn matches_brute_force_on_small_random_histories() {
    let mut rng = Rng(42);
    let (mut bad, mut total) = (0, 0);
    for _ in 0..3000 {
        let n = 2 + rng.below(6) as usize;
        let mut h = Vec::new();
        let mut next_value = 1;
        for _ in 0..n {
            let call = rng.below(12);
            let ret = if rng.below(6) == 0 {
                None
            } else {
                Some(call + rng.below(6))
            };
            let client = rng.below(3) as u32;
            if rng.below(2) == 0 {
                h.push(w(client, call, ret, next_value));
                next_value += 1;
            } else {
                h.push(r(client, call, ret, rng.below(next_value)));
            }
        }
        total += 1;
        let v = check(&h);
        let ok = v.decision == Decision::Linearizable;
        assert_eq!(ok, brute(&h), "{h:?}\n{v:?}");
        assert_ne!(v.decision, Decision::Undecided);
        if !ok {
            bad += 1;
            let f = v.failing_op.unwrap();
            assert!(
                matches!(h[f].kind, OpKind::Read { .. }) && v.culprits.contains(&f),
                "{h:?}\n{v:?}"
            );
            assert!(
                !brute(&subset(&h, &v.culprits)),
                "culprits are not evidence: {h:?}\n{v:?}"
            );
            // Earliest: everything that responded strictly before the failing read is fine
            // (writes still in flight then may or may not take effect; reads in flight are dropped).
            let t = h[f].ret.unwrap();
            let prefix: Vec<Op> = h
                .iter()
                .filter(|o| {
                    o.call <= t
                        && (o.ret.is_some_and(|x| x < t) || matches!(o.kind, OpKind::Write { .. }))
                })
                .map(|o| Op {
                    ret: o.ret.filter(|&x| x < t),
                    ..o.clone()
                })
                .collect();
            assert!(
                brute(&prefix),
                "failing op is not the earliest: {h:?}\n{v:?}"
            );
        }
    }
    assert!(
        bad > total / 5 && bad < total * 4 / 5,
        "{bad}/{total}: generator should mix both outcomes"
    );
}

/// The response of `failing_op` is the earliest one after which the history prefix is no
/// longer linearizable (prefix at t: ops that responded by t; writes in flight at t have no
/// response yet; reads in flight are dropped).
#[test]
fn failing_op_is_earliest_on_medium_random_histories() {
    let mut rng = Rng(7);
    let mut bad = 0;
    for seed in 0..300 {
        let mut h = generate(&Cfg {
            clients: 4,
            keys: 1,
            ops: 40,
            write_pct: 40,
            timeout_pct: 10,
            seed,
        });
        for _ in 0..rng.below(3) {
            let i = rng.below(h.len() as u64) as usize;
            if let OpKind::Read { value } = &mut h[i].kind {
                *value = value.saturating_sub(1 + rng.below(3));
            }
        }
        let prefix = |t: u64| -> Vec<Op> {
            h.iter()
                .filter(|o| {
                    o.call <= t
                        && (o.ret.is_some_and(|x| x <= t) || matches!(o.kind, OpKind::Write { .. }))
                })
                .map(|o| Op {
                    ret: o.ret.filter(|&x| x <= t),
                    ..o.clone()
                })
                .collect()
        };
        let mut times: Vec<u64> = h
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Read { .. }))
            .filter_map(|o| o.ret)
            .collect();
        times.sort();
        let bad_at = |t: u64| check(&prefix(t)).decision == Decision::NotLinearizable;
        let first_bad = times.into_iter().find(|&t| bad_at(t));
        let v = check(&h);
        assert_eq!(
            v.decision == Decision::Linearizable,
            first_bad.is_none(),
            "seed {seed}"
        );
        if let Some(t) = first_bad {
            bad += 1;
            assert_eq!(h[v.failing_op.unwrap()].ret, Some(t), "seed {seed}: {v:?}");
            let evidence = check(&subset(&h, &v.culprits));
            assert_eq!(evidence.decision, Decision::NotLinearizable, "seed {seed}");
        }
    }
    assert!(bad > 50, "{bad}");
}

#[test]
fn deterministic() {
    let mut h = generate(&Cfg::new(4, 2000, 9));
    make_stale(&mut h, 1000).unwrap();
    assert_eq!(check(&h), check(&h));
}

#[test]
fn generated_10k_linearizable() {
    for seed in 1..=3 {
        let h = generate(&Cfg::new(3, 10_000, seed));
        let v = assert_ok(&h);
        assert!(v.explored < 3 * h.len() as u64, "explored {}", v.explored);
    }
}

#[test]
fn generated_with_timeouts_and_keys_linearizable() {
    for seed in 1..=3 {
        let h = generate(&Cfg {
            clients: 5,
            keys: 3,
            ops: 5_000,
            write_pct: 50,
            timeout_pct: 5,
            seed,
        });
        assert!(h.iter().filter(|o| o.ret.is_none()).count() > 100);
        assert_ok(&h);
    }
}

#[test]
fn generated_8_clients_linearizable() {
    assert_ok(&generate(&Cfg::new(8, 1_000, 5)));
}

#[test]
fn generated_10k_with_one_stale_read() {
    for seed in 1..=3 {
        let mut h = generate(&Cfg::new(3, 10_000, seed));
        let (read, old, new) = make_stale(&mut h, 5_000).unwrap();
        let v = check(&h);
        assert_eq!(v.decision, Decision::NotLinearizable);
        assert_eq!(v.failing_op, Some(read), "{}", v.explanation);
        assert!(
            v.culprits.contains(&read) && v.culprits.contains(&old),
            "{v:?}"
        );
        assert!(v.culprits.len() <= 3, "{v:?}");
        // The evidence is self-contained: the culprits alone are not linearizable.
        let evidence = check(&subset(&h, &v.culprits));
        assert_eq!(evidence.decision, Decision::NotLinearizable);
        if v.culprits == [old, new, read] {
            assert!(v.explanation.contains("overwritten"), "{}", v.explanation);
        }
    }
}

#[test]
fn generated_stale_read_with_timeouts_and_8_clients() {
    let mut h = generate(&Cfg {
        clients: 8,
        keys: 2,
        ops: 2_000,
        write_pct: 50,
        timeout_pct: 3,
        seed: 11,
    });
    let (read, old, _) = make_stale(&mut h, 1_000).unwrap();
    let v = check(&h);
    assert_eq!(v.decision, Decision::NotLinearizable);
    assert_eq!(v.failing_op, Some(read));
    assert!(v.culprits.contains(&old) && v.culprits.len() <= 4, "{v:?}");
    let evidence = check(&subset(&h, &v.culprits));
    assert_eq!(evidence.decision, Decision::NotLinearizable);
}
