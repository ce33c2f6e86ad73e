//! The `system` scenario's components one by one, against what each promises: an LRU cache's
//! hit ratio follows Che's approximation, a limiter passes its token rate, a broker rejects or
//! holds callers when full, replicas lag, autoscaling waits for its start-up delay, a slowed
//! station is slower by its factor, a cut wire loses calls until it heals.

use systems_sandbox::sim::{self, Command, Scenario, Time};

mod system_common;
use system_common::{build, num, run};

/// Che's approximation of an LRU cache's hit ratio under independent Zipf requests.
fn che_hit_ratio(keys: usize, s: f64, capacity: f64) -> f64 {
    let w: Vec<f64> = (1..=keys).map(|k| 1.0 / (k as f64).powf(s)).collect();
    let total: f64 = w.iter().sum();
    let p: Vec<f64> = w.iter().map(|x| x / total).collect();
    let filled = |t: f64| p.iter().map(|q| 1.0 - (-q * t).exp()).sum::<f64>();
    let (mut lo, mut hi) = (0.0, 1e9);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if filled(mid) < capacity {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    p.iter().map(|q| q * (1.0 - (-q * lo).exp())).sum()
}

#[test]
fn an_lru_cache_hits_what_ches_approximation_says() {
    for (capacity, zipf) in [(100, 0.8), (400, 1.0)] {
        let design = format!(
            "users: clients rate=400 deadline_ms=600000; c: cache workers=64 service_ms=0.1 capacity={capacity} keys=4000 zipf={zipf}; db: database workers=64 service_ms=0.1; users -> c -> db"
        );
        let want = che_hit_ratio(4000, zipf, capacity as f64);
        let got: f64 = (1..=3)
            .map(|seed| num(&run(&design, 200_000, seed), "c.hit_ratio"))
            .sum::<f64>()
            / 3.0;
        eprintln!("che: capacity {capacity} zipf {zipf}: {got:.4} vs {want:.4}");
        assert!(
            (got - want).abs() < 0.015,
            "capacity {capacity}, zipf {zipf}: hit ratio {got:.4}, Che {want:.4}"
        );
    }
}

#[test]
fn a_limiter_passes_its_token_rate_and_rejects_the_rest() {
    let m = run(
        "users: clients rate=400 deadline_ms=1000; lim: limiter rate=150 burst=20; db: database workers=8 service_ms=2; users -> lim -> db",
        60_000,
        2,
    );
    let passed = num(&m, "db.throughput");
    let offered = num(&m, "offered");
    assert!(
        (passed / 150.0 - 1.0).abs() < 0.02,
        "passed {passed}/s, the bucket refills 150/s"
    );
    let share = num(&m, "rejected") / offered;
    assert!(
        (share - 250.0 / 400.0).abs() < 0.02,
        "rejected share {share}"
    );
}

#[test]
fn a_full_broker_rejects_or_holds_its_callers() {
    let design = |full: &str| {
        format!("users: clients rate=200 deadline_ms=2000; q: queue max_depth=50 consumers=1 full={full}; w: service service_ms=10; users -> q -> w")
    };
    let reject = run(&design("reject"), 20_000, 1);
    assert!(
        num(&reject, "q.rejected") > 1_000.0,
        "half the messages find the queue full"
    );
    assert!(num(&reject, "q.queue_mean") <= 50.0);
    let block = run(&design("block"), 20_000, 1);
    assert_eq!(num(&block, "q.rejected"), 0.0, "blocking never rejects");
    assert!(
        num(&block, "timeouts") > 1_000.0,
        "callers wait until their deadline instead"
    );
    let w = num(&block, "w.throughput");
    assert!(
        w > 80.0 && w <= 101.0,
        "the consumer drains at its own pace: {w}/s"
    );
}

#[test]
fn read_replicas_are_stale_only_with_lag() {
    let design = |lag: u32| {
        format!("users: clients rate=500 deadline_ms=1000; db: database workers=4 service_ms=2 read_replicas=2 writes=0.3 keys=50 lag_ms={lag}; users -> db")
    };
    let lagging = run(&design(200), 20_000, 3);
    let fresh = run(&design(0), 20_000, 3);
    assert!(
        num(&lagging, "db.stale_reads") > 500.0,
        "{}",
        num(&lagging, "db.stale_reads")
    );
    assert_eq!(num(&fresh, "db.stale_reads"), 0.0);
    assert_eq!(
        num(&lagging, "db.replicas_mean"),
        3.0,
        "a primary and two replicas"
    );
}

#[test]
fn autoscaling_adds_replicas_only_after_the_startup_delay() {
    let design = "users: clients rate=100 deadline_ms=1000 spike_rate=400 spike_from_ms=2000 spike_to_ms=20000
        api: service replicas=2 workers=2 service_ms=20 autoscale=on target=0.6 min_replicas=2 max_replicas=12 startup_ms=3000 scale_ms=500
        users -> api";
    let mut s = build(design, 20_000, 4);
    let replicas = |s: &mut Box<dyn Scenario>, t: u64| {
        s.run_until(Time::from_ms(t));
        match &s.snapshot().extra {
            sim::snapshot::Extra::System(v) => v.comps[1].replicas,
            _ => panic!("system view"),
        }
    };
    assert_eq!(
        replicas(&mut s, 4_900),
        2,
        "the surge starts at 2 s; nothing is up before 2.5 + 3 s"
    );
    let later = replicas(&mut s, 15_000);
    assert!(
        (6..=12).contains(&later),
        "400/s keeps 8 workers busy: about 7 replicas at 60%: {later}"
    );
}

#[test]
fn slowing_a_station_multiplies_its_service_time() {
    let design = "users: clients rate=20 deadline_ms=60000; api: service workers=64 service_ms=10; users -> api";
    let mut s = build(design, 60_000, 5);
    s.run_until(Time::from_ms(1));
    s.apply(&Command::Do("slow:api:4".into()))
        .expect("a station can be slowed");
    s.run_to_end(u64::MAX);
    let lat = num(&s.metrics(), "api.latency_mean_ms");
    assert!(
        (lat / 40.0 - 1.0).abs() < 0.05,
        "no queueing with 64 workers: {lat} ms, 4 × 10 ms"
    );
}

#[test]
fn a_cut_wire_loses_calls_until_it_heals() {
    let design = "users: clients rate=100 deadline_ms=300; api: service workers=4 service_ms=5; users -> api; at 2000: cut users api; at 4000: heal users api";
    let m = run(design, 8_000, 6);
    let t = num(&m, "timeouts");
    assert!(
        (150.0..=260.0).contains(&t),
        "about 2 s of requests time out: {t}"
    );
    assert_eq!(num(&m, "errors"), 0.0);
    assert!(num(&m, "availability") > 0.7);
}
