//! Unit tests of the saga model through its own state: message counts per order in each mode,
//! the durable log after a crash, and the auditor's view of a run.

use super::*;
use crate::sim::scenario::{create, Scenario};

fn run(pairs: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("saga", &pairs, seed).expect("valid settings");
    assert!(s.run_to_end(10_000_000), "the run should finish");
    s
}

fn num(s: &dyn Scenario, name: &str) -> f64 {
    s.metrics().num(name).unwrap_or(f64::NAN)
}

#[test]
fn a_happy_order_costs_nine_messages_orchestrated_four_choreographed_fifteen_in_2pc() {
    for (mode, per) in [("orchestration", 9.0), ("choreography", 4.0), ("2pc", 15.0)] {
        let s = run(&[("mode", mode), ("orders", "20")], 1);
        assert_eq!(num(&*s, "committed"), 20.0, "{mode}");
        assert_eq!(num(&*s, "messages_per_order"), per, "{mode}");
    }
}

#[test]
fn the_view_explains_the_first_broken_invariant() {
    let s = run(
        &[
            ("duplicate_rate", "0.5"),
            ("idempotent", "off"),
            ("fail_rate", "0.3"),
            ("orders", "60"),
        ],
        2,
    );
    assert!(num(&*s, "inconsistent") > 0.0);
    let snap = s.snapshot();
    let crate::sim::snapshot::Extra::Saga(v) = &snap.extra else {
        panic!("saga view expected")
    };
    let broken: Vec<&InvariantView> = v.invariants.iter().filter(|i| i.broken > 0).collect();
    assert!(!broken.is_empty());
    let (order, why) = broken[0].first.clone().expect("an offender");
    assert!(
        why.starts_with(&format!("order #{order} ended with")),
        "{why}"
    );
    assert_eq!(
        v.orders[0].state, "inconsistent",
        "the first inconsistent order is pinned"
    );
    assert!(v.orders.len() <= diagram::KEPT + 1);
}
