//! Unit tests of the cache scenario: parameters, edge cases, interventions, the sweep.

use super::view::{sweep_capacities, Sweep};
use crate::sim::command::Command;
use crate::sim::scenario::{create, Scenario};
use crate::sim::snapshot::Extra;
use crate::sim::time::Time;

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn start(p: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    create("cache", &pairs(p), seed).unwrap()
}

fn run(p: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let mut s = start(p, seed);
    assert!(s.run_to_end(50_000_000));
    s
}

fn num(s: &dyn Scenario, k: &str) -> f64 {
    s.metrics().num(k).unwrap()
}

fn set(s: &mut dyn Scenario, key: &str, value: &str) -> Result<(), String> {
    s.apply(&Command::Set {
        key: key.into(),
        value: value.into(),
    })
}

#[test]
fn defaults_run_and_answer_every_request() {
    let s = run(&[("requests", "3000")], 1);
    assert_eq!(num(s.as_ref(), "requests_done"), 3000.0);
    assert_eq!(num(s.as_ref(), "failed"), 0.0);
    let h = num(s.as_ref(), "hit_ratio");
    assert!(h > 0.2 && h < 0.9, "hit ratio {h}");
    for k in [
        "l1_hit_ratio",
        "db_reads",
        "db_writes",
        "stale_reads",
        "lost_writes",
        "db_peak_concurrency",
        "latency_mean_ms",
        "latency_p99_ms",
    ] {
        assert!(s.metrics().num(k).is_some(), "metric {k}");
    }
}

#[test]
fn bad_parameters_name_key_value_and_range() {
    let err = |p: &[(&str, &str)]| create("cache", &pairs(p), 1).err().unwrap().0;
    assert!(err(&[("policy", "mru")])
        .contains("`policy=mru` is not valid: expected one of lru, lfu, fifo, random"));
    assert!(err(&[("capacity", "0")]).contains("a whole number from 1 to 100000"));
    assert!(err(&[("write_policy", "write-around")])
        .contains("cache-aside, read-through, write-through, write-behind"));
    assert!(err(&[("invalidation", "ttl")]).contains("needs `ttl_ms` above 0"));
    assert!(err(&[("crash_at_ms", "soon")]).contains("or never"));
    let mut s = start(&[("invalidation", "ttl"), ("ttl_ms", "100")], 1);
    assert!(set(s.as_mut(), "ttl_ms", "0")
        .unwrap_err()
        .contains("ttl_ms"));
    assert!(set(s.as_mut(), "keys", "5")
        .unwrap_err()
        .contains("cannot change during a run"));
    let e = s.apply(&Command::Do("teleport".into())).unwrap_err();
    assert!(e.contains("expire-hot-key, crash-cache"), "{e}");
}

#[test]
fn tiny_and_odd_sizes_work() {
    for p in [
        vec![("keys", "1"), ("capacity", "1"), ("requests", "200")],
        vec![
            ("keys", "5"),
            ("capacity", "500"),
            ("requests", "200"),
            ("warm", "on"),
        ],
        vec![("clients", "1"), ("requests", "1"), ("l1", "3")],
        vec![
            ("clients", "200"),
            ("requests", "2000"),
            ("policy", "random"),
        ],
    ] {
        let s = run(&p, 2);
        assert_eq!(num(s.as_ref(), "failed"), 0.0, "{p:?}");
    }
}

#[test]
fn policy_switches_mid_run_and_the_view_follows() {
    let mut s = start(&[("requests", "4000")], 3);
    s.run_until(Time::from_ms(2000));
    set(s.as_mut(), "policy", "lfu").unwrap();
    s.run_until(Time::from_ms(4000));
    set(s.as_mut(), "policy", "random").unwrap();
    s.run_to_end(u64::MAX);
    let Extra::Cache(v) = s.snapshot().extra else {
        panic!("no cache view")
    };
    assert_eq!(v.policy, "random");
    assert_eq!(v.used, 100);
    assert!(v.evictions > 0 && v.slots.iter().all(|x| x.key.is_some()));
    assert!(v.pairs.contains(&("policy".into(), "random".into())));
}

#[test]
fn clicking_the_cache_dead_sends_apps_to_the_database() {
    let mut s = start(&[("requests", "3000")], 4);
    s.run_until(Time::from_ms(500));
    s.apply(&Command::Crash(1)).unwrap();
    let reads = num(s.as_ref(), "db_reads");
    s.run_until(Time::from_ms(2500));
    assert!(
        num(s.as_ref(), "db_reads") > reads + 20.0,
        "apps fall back to the database"
    );
    s.apply(&Command::Restart(1)).unwrap();
    s.run_to_end(u64::MAX);
    assert_eq!(num(s.as_ref(), "failed"), 0.0);
    assert!(
        num(s.as_ref(), "latency_p99_ms") >= 300.0,
        "the cache timeout shows in the tail"
    );
}

#[test]
fn a_dead_database_fails_requests_but_the_run_ends() {
    let mut s = start(&[("requests", "2000")], 5);
    s.run_until(Time::from_ms(300));
    s.apply(&Command::Crash(0)).unwrap();
    s.run_until(Time::from_ms(3000));
    s.apply(&Command::Restart(0)).unwrap();
    assert!(s.run_to_end(50_000_000));
    assert!(num(s.as_ref(), "failed") > 0.0);
    assert_eq!(
        num(s.as_ref(), "requests_done") + num(s.as_ref(), "failed"),
        2000.0
    );
}

#[test]
fn l1_hits_skip_the_shared_cache_and_go_stale_without_invalidation() {
    let base = [("l1", "50"), ("write_ratio", "0.1"), ("requests", "5000")];
    let s = run(&base, 6);
    assert!(num(s.as_ref(), "l1_hit_ratio") > 0.2);
    let mut p = base.to_vec();
    p.push(("invalidation", "none"));
    let none = run(&p, 6);
    assert!(num(none.as_ref(), "stale_reads") > 3.0 * num(s.as_ref(), "stale_reads").max(1.0));
}

#[test]
fn write_behind_merges_writes_and_crash_action_loses_the_buffer() {
    let p = [
        ("write_policy", "write-behind"),
        ("write_ratio", "0.5"),
        ("zipf_s", "1.2"),
        ("requests", "4000"),
    ];
    let s = run(&p, 7);
    assert!(
        num(s.as_ref(), "db_writes") < 0.5 * 4000.0 * 0.8,
        "repeated writes to hot keys merge"
    );
    assert_eq!(num(s.as_ref(), "lost_writes"), 0.0);
    let mut s = start(&p, 7);
    s.run_until(Time::from_ms(1700));
    s.apply(&Command::Do("crash-cache".into())).unwrap();
    s.run_to_end(u64::MAX);
    assert!(num(s.as_ref(), "lost_writes") > 0.0);
}

#[test]
fn read_through_coalescing_and_ttl_expiry() {
    let p = [
        ("write_policy", "read-through"),
        ("coalesce", "on"),
        ("ttl_ms", "200"),
        ("ttl_jitter", "0.5"),
        ("requests", "4000"),
    ];
    let s = run(&p, 8);
    assert!(num(s.as_ref(), "expirations") > 0.0);
    assert!(num(s.as_ref(), "coalesced") > 0.0);
    assert_eq!(num(s.as_ref(), "failed"), 0.0);
}

#[test]
fn the_sweep_really_runs_and_hit_ratio_grows_with_capacity() {
    assert_eq!(
        sweep_capacities(1000, 100),
        vec![10, 20, 50, 100, 200, 300, 500, 750, 1000]
    );
    assert_eq!(sweep_capacities(3, 2), vec![1, 2, 3]);
    let mut sw = Sweep::new(&pairs(&[("keys", "100"), ("requests", "1500")]), 1, 100, 10);
    let mut slices = 0;
    while !sw.work(5_000) {
        slices += 1;
        assert!(slices < 10_000);
    }
    assert!(slices > 5, "work is done in slices");
    let h: Vec<f64> = sw.points.iter().map(|p| p.1).collect();
    assert_eq!(h.len(), sw.capacities().len());
    assert!(h.windows(2).all(|w| w[1] >= w[0] - 0.02), "{h:?}");
    assert!(h.last().unwrap() > &0.85 && h[0] < 0.3, "{h:?}");
}
