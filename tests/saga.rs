//! Theory tests of the `saga` scenario (issue 7), natively, over seed sweeps. The auditor judges
//! every order from the three services' own data (net effect per service), so these tests check
//! the services' data, not the coordinator's opinion of it.

use systems_sandbox::sim::time::Time;
use systems_sandbox::sim::{self, Scenario};

const SEEDS: u64 = 20;
const SAGAS: [&str; 2] = ["orchestration", "choreography"];

fn create(pairs: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let p: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    sim::create("saga", &p, seed).expect("valid parameters")
}

fn run(pairs: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let mut s = create(pairs, seed);
    assert!(
        s.run_to_end(50_000_000),
        "{pairs:?} seed {seed} did not finish"
    );
    s
}

fn num(s: &dyn Scenario, k: &str) -> i64 {
    s.metrics()
        .num(k)
        .unwrap_or_else(|| panic!("metric {k} missing")) as i64
}

/// Every order ended whole: all done or all undone, none left half-way.
fn assert_whole(s: &dyn Scenario, what: &str) {
    let orders = num(s, "orders");
    assert_eq!(num(s, "inconsistent"), 0, "{what}: inconsistent orders");
    assert_eq!(num(s, "in_flight"), 0, "{what}: orders left in flight");
    assert_eq!(
        num(s, "committed") + num(s, "compensated"),
        orders,
        "{what}: orders lost"
    );
}

#[test]
fn with_failures_every_saga_order_ends_fully_done_or_fully_undone() {
    for mode in SAGAS {
        for seed in 0..SEEDS {
            for step in ["inventory", "payment", "shipping"] {
                let s = run(&[("mode", mode), ("fail_step", step)], seed);
                let what = format!("{mode} fail_step={step} seed {seed}");
                assert_whole(&*s, &what);
                assert_eq!(num(&*s, "committed"), 0, "{what}: that step always fails");
                assert_eq!(num(&*s, "compensated"), 100, "{what}");
            }
            for rate in ["0.1", "0.3", "0.6"] {
                let s = run(&[("mode", mode), ("fail_rate", rate)], seed);
                let what = format!("{mode} fail_rate={rate} seed {seed}");
                assert_whole(&*s, &what);
                assert!(
                    num(&*s, "compensated") > 0 && num(&*s, "committed") > 0,
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn duplicates_double_effects_only_without_idempotency() {
    for mode in ["orchestration", "choreography", "2pc"] {
        for seed in 0..SEEDS {
            let off = run(
                &[
                    ("mode", mode),
                    ("duplicate_rate", "0.2"),
                    ("idempotent", "off"),
                ],
                seed,
            );
            let what = format!("{mode} seed {seed}");
            assert!(
                num(&*off, "duplicate_effects") > 0,
                "{what}: no duplicate effect"
            );
            assert!(
                num(&*off, "inconsistent") > 0,
                "{what}: the auditor saw nothing"
            );
            let on = run(
                &[
                    ("mode", mode),
                    ("duplicate_rate", "0.2"),
                    ("fail_rate", "0.2"),
                ],
                seed,
            );
            assert_eq!(num(&*on, "duplicate_effects"), 0, "{what}");
            assert_whole(&*on, &format!("{what} idempotent"));
        }
    }
}

#[test]
fn retries_after_timeouts_are_duplicates_too() {
    // A 12 ms timeout is shorter than most round trips (two links of 5-15 ms each): the
    // orchestrator resends steps that were in fact done.
    for seed in 0..SEEDS {
        let fast = [("timeout_ms", "12"), ("retries", "5"), ("fail_rate", "0.1")];
        let on = run(&fast, seed);
        assert!(
            num(&*on, "retries") > 50,
            "seed {seed}: the timeout should fire often"
        );
        assert_whole(&*on, &format!("idempotent seed {seed}"));
        let off = run(&[fast[0], fast[1], fast[2], ("idempotent", "off")], seed);
        assert!(num(&*off, "duplicate_effects") > 0, "seed {seed}");
        assert!(num(&*off, "inconsistent") > 0, "seed {seed}");
    }
}

#[test]
fn an_orchestrator_crash_and_recovery_loses_no_order() {
    for seed in 0..SEEDS {
        let mut caught = 0;
        for crash_ms in [500u64, 1230, 2017, 3333] {
            let recover = (crash_ms + 700).to_string();
            let crash = crash_ms.to_string();
            let pairs = [
                ("crash", "orchestrator"),
                ("crash_at_ms", crash.as_str()),
                ("recover_at_ms", recover.as_str()),
                ("fail_rate", "0.2"),
            ];
            let mut s = create(&pairs, seed);
            s.run_until(Time::from_ms(crash_ms));
            caught += num(&*s, "in_flight");
            assert!(s.run_to_end(50_000_000));
            let what = format!("crash at {crash_ms} ms seed {seed}");
            assert_whole(&*s, &what);
            assert_eq!(
                num(&*s, "refused"),
                0,
                "{what}: the shop gave up on an order"
            );
            assert_eq!(num(&*s, "orders"), 100, "{what}");
        }
        assert!(
            caught >= 2,
            "seed {seed}: the crashes caught only {caught} orders in flight"
        );
    }
}

/// Locks held at the three participants now.
fn locks(s: &dyn Scenario) -> usize {
    match &s.snapshot().extra {
        sim::snapshot::Extra::Saga(v) => v.services.iter().map(|sv| sv.locks).sum(),
        _ => 0,
    }
}

/// Step a 2PC run until some participant holds a lock (it voted yes) after `from_ms`.
fn until_locked(s: &mut Box<dyn Scenario>, from_ms: u64) {
    s.run_until(Time::from_ms(from_ms));
    while locks(&**s) == 0 && s.step() {}
    assert!(locks(&**s) > 0, "no participant ever locked");
}

#[test]
fn two_phase_commit_blocks_while_the_coordinator_is_down_and_a_saga_does_not() {
    use systems_sandbox::sim::Command;
    for seed in 0..SEEDS {
        // The reader crashes the coordinator right after a participant voted yes.
        let mut s = create(&[("mode", "2pc")], seed);
        until_locked(&mut s, 1000);
        let crashed = s.now();
        s.apply(&Command::Crash(1)).expect("node 1 exists");
        s.run_until(crashed.plus_us(400_000));
        let early = num(&*s, "blocked");
        s.run_until(crashed.plus_us(1_500_000));
        let late = num(&*s, "blocked");
        assert!(
            early > 0,
            "seed {seed}: participants that voted yes should be blocked"
        );
        assert_eq!(
            early, late,
            "seed {seed}: nobody can release a lock without the coordinator"
        );
        s.apply(&Command::Restart(1)).expect("node 1 exists");
        assert!(s.run_to_end(50_000_000));
        assert_eq!(
            num(&*s, "blocked"),
            0,
            "seed {seed}: recovery releases every lock"
        );
        assert_whole(&*s, &format!("2pc seed {seed}"));

        // The same through the parameters, without recovery: blocked to the end.
        // Just after the lock was taken (a crash before it would also kill the prepare on its
        // way: a crashed node's links carry nothing).
        let us = crashed.plus_us(1).0;
        let at = format!("{}.{:03}", us / 1000, us % 1000);
        let mut never = create(
            &[
                ("mode", "2pc"),
                ("crash", "coordinator"),
                ("crash_at_ms", &at),
            ],
            seed,
        );
        assert!(never.run_to_end(50_000_000));
        assert!(
            num(&*never, "blocked") >= early,
            "seed {seed}: {} < {early} at {at}",
            num(&*never, "blocked")
        );
        assert!(num(&*never, "in_flight") > 0, "seed {seed}");

        // A saga holds no locks: nobody is blocked while the orchestrator is down.
        let mut saga = create(
            &[
                ("crash", "orchestrator"),
                ("crash_at_ms", &at),
                ("recover_at_ms", "3000"),
            ],
            seed,
        );
        saga.run_until(Time::from_ms(2000));
        assert!(num(&*saga, "in_flight") > 0);
        assert_eq!(num(&*saga, "blocked"), 0);
        assert_eq!(num(&*saga, "lock_held_ms"), 0);
    }
}

#[test]
fn choreography_sends_fewer_messages_through_the_hub_than_orchestration() {
    for seed in 0..SEEDS {
        for extra in [("fail_rate", "0"), ("fail_rate", "0.3")] {
            let o = run(&[extra], seed);
            let c = run(&[("mode", "choreography"), extra], seed);
            let (ho, hc) = (num(&*o, "hub_messages"), num(&*c, "hub_messages"));
            assert!(
                hc * 2 <= ho,
                "seed {seed} {extra:?}: choreography {hc}, orchestration {ho}"
            );
            if seed == 0 {
                println!("{extra:?}: through the hub, orchestration {ho}, choreography {hc} (100 orders)");
            }
        }
    }
}

#[test]
fn two_phase_commit_never_compensates_it_aborts() {
    for seed in 0..SEEDS {
        let s = run(&[("mode", "2pc"), ("fail_rate", "0.2")], seed);
        assert_whole(&*s, &format!("2pc seed {seed}"));
        assert!(num(&*s, "lock_held_ms") > 0);
        // Aborted orders never took effect anywhere: no service undid anything.
        let snap = s.snapshot();
        let sim::snapshot::Extra::Saga(v) = &snap.extra else {
            panic!("saga view")
        };
        assert!(
            v.services
                .iter()
                .all(|sv| sv.data.ends_with(" 0 · locks 0")),
            "{:?}",
            v.services
        );
    }
}
