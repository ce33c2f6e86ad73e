//! Unit tests of the `load-balancer` scenario: parameters, lifecycle, lockstep, live changes.

use crate::sim::command::Command;
use crate::sim::scenario::{create, Scenario};
use crate::sim::time::Time;

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn run(p: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let mut s = create("load-balancer", &pairs(p), seed).unwrap();
    assert!(s.run_to_end(50_000_000), "run ends");
    s
}

#[test]
fn every_request_is_answered_when_nothing_fails() {
    let s = run(&[("requests", "2000")], 1);
    let m = s.metrics();
    assert_eq!(m.num("sent"), Some(2000.0));
    assert_eq!(m.num("completed"), Some(2000.0));
    for k in ["dropped", "errors", "rejected", "lost"] {
        assert_eq!(m.num(k), Some(0.0), "{k}");
    }
    assert!(m.num("latency_p99_ms").unwrap() > m.num("latency_p50_ms").unwrap());
    assert!(m.num("latency_p95_ms").unwrap() >= m.num("latency_p50_ms").unwrap());
}

#[test]
fn bad_params_name_key_value_and_range() {
    let e = |p: &[(&str, &str)]| create("load-balancer", &pairs(p), 1).err().unwrap().0;
    assert!(e(&[("servers", "65")]).contains("`servers=65`"));
    assert!(e(&[("servers", "65")]).contains("from 1 to 64"));
    assert!(e(&[("algorithm", "fastest")]).contains("one of round-robin, weighted-round-robin"));
    let f = e(&[("fail", "7")]);
    assert!(f.contains("`fail=7`") && f.contains("1 to 4"), "{f}");
    let sp = e(&[("servers", "2"), ("speeds", "1,1,1")]);
    assert!(
        sp.contains("`speeds=1,1,1`") && sp.contains("servers=2"),
        "{sp}"
    );
    assert!(e(&[("service_dist", "pareto")]).contains("exp, const"));
}

#[test]
fn a_queue_limit_drops_and_the_balancer_forgets_refused_requests() {
    let s = run(
        &[
            ("requests", "3000"),
            ("rate", "450"),
            ("queue_limit", "2"),
            ("algorithm", "random"),
        ],
        2,
    );
    let m = s.metrics();
    assert!(m.num("dropped").unwrap() > 50.0, "{m:?}");
    assert!(m.num("max_queue").unwrap() <= 2.0);
    assert_eq!(
        m.num("completed").unwrap() + m.num("dropped").unwrap(),
        3000.0
    );
}

#[test]
fn comparing_does_not_perturb_the_primary_bank() {
    let base = [
        ("requests", "3000"),
        ("algorithm", "random"),
        ("rate", "350"),
    ];
    let alone = run(&base, 4).metrics();
    let mut with = base.to_vec();
    with.push(("compare", "p2c"));
    let both = run(&with, 4).metrics();
    for k in [
        "latency_mean_ms",
        "latency_p99_ms",
        "max_queue",
        "utilization",
    ] {
        assert_eq!(alone.num(k), both.num(k), "{k}");
    }
    assert!(both.num("compare_latency_p99_ms").unwrap() < both.num("latency_p99_ms").unwrap());
    // Same work in both banks: utilisation is the same up to the last in-flight requests.
    let (u, v) = (
        both.num("utilization").unwrap(),
        both.num("compare_utilization").unwrap(),
    );
    assert!((u - v).abs() < 0.01, "{u} vs {v}");
}

#[test]
fn live_changes_apply_and_fixed_ones_are_refused() {
    let mut s = create("load-balancer", &pairs(&[("requests", "4000")]), 5).unwrap();
    s.run_until(Time::from_ms(2000));
    let set = |k: &str, v: &str| Command::Set {
        key: k.into(),
        value: v.into(),
    };
    s.apply(&set("algorithm", "least-connections")).unwrap();
    s.apply(&set("speeds", "0.5,2")).unwrap();
    s.apply(&set("rate", "200")).unwrap();
    s.apply(&set("queue_limit", "50")).unwrap();
    s.apply(&set("health_check_ms", "100")).unwrap();
    assert!(s
        .apply(&set("speeds", "0"))
        .unwrap_err()
        .contains("`speeds=0`"));
    assert!(s
        .apply(&set("servers", "8"))
        .unwrap_err()
        .contains("cannot change during a run"));
    assert!(s
        .apply(&Command::Do("explode".into()))
        .unwrap_err()
        .contains("kill, revive"));
    s.run_to_end(u64::MAX);
    assert_eq!(s.params().text("algorithm"), "least-connections");
    let snap = s.snapshot();
    assert_eq!(snap.node(0).unwrap().label, "least-connections");
    assert_eq!(s.metrics().num("completed"), Some(4000.0));
}

#[test]
fn a_crashed_server_loses_its_queue_is_removed_and_comes_back() {
    let mut s = create(
        "load-balancer",
        &pairs(&[("requests", "6000"), ("rate", "350")]),
        6,
    )
    .unwrap();
    s.run_until(Time::from_ms(3000));
    s.apply(&Command::Crash(2)).unwrap(); // s2
    s.run_until(Time::from_ms(4000));
    let snap = s.snapshot();
    let crate::sim::snapshot::Extra::LoadBalancer(v) = &snap.extra else {
        panic!("no view")
    };
    let s2 = &v.banks[0].servers[1];
    assert!(!s2.alive && !s2.in_rotation, "{s2:?}");
    assert_eq!(s2.state(), "down, removed");
    s.apply(&Command::Restart(2)).unwrap();
    s.run_until(Time::from_ms(5000));
    let snap = s.snapshot();
    let crate::sim::snapshot::Extra::LoadBalancer(v) = &snap.extra else {
        panic!("no view")
    };
    assert!(v.banks[0].servers[1].alive && v.banks[0].servers[1].in_rotation);
    s.run_to_end(u64::MAX);
    let m = s.metrics();
    assert!(m.num("errors").unwrap() >= 1.0);
    let total = ["completed", "errors", "lost", "dropped", "rejected"]
        .iter()
        .map(|k| m.num(k).unwrap())
        .sum::<f64>();
    assert_eq!(total, 6000.0, "every request accounted for: {m:?}");
}

#[test]
fn kill_action_and_fail_param_hit_every_bank() {
    let s = run(
        &[
            ("requests", "3000"),
            ("compare", "p2c"),
            ("fail", "1"),
            ("fail_at_ms", "3000"),
        ],
        7,
    );
    let m = s.metrics();
    assert!(
        m.num("errors").unwrap() > 0.0 && m.num("compare_errors").unwrap() > 0.0,
        "{m:?}"
    );
    let snap = s.snapshot();
    assert!(!snap.node(1).unwrap().up, "s1 of bank A shown down");
    assert!(!snap.node(6).unwrap().up, "s1 of bank B shown down");
    let mut s = create("load-balancer", &pairs(&[("requests", "2000")]), 8).unwrap();
    s.run_until(Time::from_ms(1000));
    s.apply(&Command::Do("kill".into())).unwrap();
    s.run_until(Time::from_ms(2000));
    s.apply(&Command::Do("revive".into())).unwrap();
    s.run_to_end(u64::MAX);
    assert!(s.snapshot().node(1).unwrap().up);
}

#[test]
fn one_server_and_one_client_work() {
    let s = run(
        &[
            ("servers", "1"),
            ("clients", "1"),
            ("requests", "300"),
            ("rate", "50"),
            ("algorithm", "p2c"),
        ],
        9,
    );
    assert_eq!(s.metrics().num("completed"), Some(300.0));
    let s = run(
        &[
            ("servers", "64"),
            ("requests", "3000"),
            ("rate", "3000"),
            ("algorithm", "weighted-round-robin"),
        ],
        9,
    );
    assert_eq!(s.metrics().num("completed"), Some(3000.0));
}

#[test]
fn the_share_metric_reads_as_named_servers_not_an_array() {
    // The metric card shows the value's text: at the start every share is 0.
    let s = create("load-balancer", &pairs(&[]), 1).unwrap();
    let text = |s: &dyn Scenario| s.metrics().get("share").unwrap().to_string();
    assert_eq!(text(s.as_ref()), "s1 0 \u{b7} s2 0 \u{b7} s3 0 \u{b7} s4 0");
    let s = run(&[("requests", "4000"), ("speeds", "1,1,1,0.25")], 2);
    let t = text(s.as_ref());
    assert!(!t.contains('['), "{t}");
    assert_eq!(t.split(" \u{b7} ").count(), 4, "{t}");
    assert!(t.starts_with("s1 0.") && t.contains("s4 0."), "{t}");
}
