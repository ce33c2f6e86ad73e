//! Tests of where a run ends and which window its figures cover: a run ends once the clients
//! have stopped and nothing is left anywhere (not when stale timers run out), per-second
//! figures divide by the active window, time averages are exact (`replicas_mean` of fixed
//! replicas is their number, crashes or not), and calls are counted per wire.

use crate::sim::metrics::Metrics;
use crate::sim::scenario::{create, Scenario};
use crate::sim::time::Time;

fn sim(design: &str, duration_ms: u64, seed: u64) -> Box<dyn Scenario> {
    let pairs = vec![
        ("design".to_string(), design.to_string()),
        ("duration_ms".to_string(), duration_ms.to_string()),
    ];
    create("system", &pairs, seed).unwrap()
}

fn preset(name: &str) -> Box<dyn Scenario> {
    let pairs = vec![("preset".to_string(), name.to_string())];
    create("system", &pairs, 1).unwrap()
}

fn num(m: &Metrics, k: &str) -> f64 {
    m.num(k).unwrap_or_else(|| panic!("no metric {k}"))
}

/// A broker's messages carry a 60 s deadline, and its calls used to arm a sweep timer 60 s
/// ahead that kept the run going for a minute after the backlog was drained.
#[test]
fn a_queue_design_ends_when_its_backlog_is_drained() {
    let mut s = preset("queue-absorbs-spike");
    assert!(s.run_to_end(50_000_000));
    let m = s.metrics();
    let end = s.now().as_ms() / 1000.0;
    // The worker (100 per second) drains the spike's backlog a few seconds after the clients
    // stop at 10 s; the run ends at its last job, so the worker's throughput over the active
    // window is the number it served divided by the run's length.
    assert!(end > 10.0 && end < 15.0, "ended at {end} s");
    let served = num(&m, "worker.throughput") * end;
    assert!((served - num(&m, "offered")).abs() < 1.0, "{served}");
    assert!(s.is_done() && s.next_time().is_none() && !s.step());
}

#[test]
fn a_run_ends_with_its_last_request_not_its_stale_timers() {
    for (name, limit_ms) in [
        ("single-server", 10_100),
        ("redundancy", 10_100),
        ("balancer-three-servers", 10_100),
    ] {
        let mut s = preset(name);
        assert!(s.run_to_end(50_000_000), "{name}");
        assert!(
            s.now() <= Time::from_ms(limit_ms),
            "{name} ended at {:?}",
            s.now()
        );
        assert!(s.snapshot().done, "{name}");
    }
}

/// The api crashes at 9.5 s; calls sent to it afterwards are lost and their users time out
/// 2 s later. The api's throughput counts the 10 s the clients sent for, not that wait.
#[test]
fn per_second_figures_divide_by_the_active_window() {
    let design = "users: clients rate=100 deadline_ms=2000\napi: service workers=4 service_ms=5\nusers -> api\nat 9500: crash api";
    for seed in 1..=3 {
        let mut s = sim(design, 10_000, seed);
        assert!(s.run_to_end(50_000_000));
        let m = s.metrics();
        assert!(
            s.now() > Time::from_ms(11_000),
            "users wait out their deadlines"
        );
        // Every request the api served was answered in time; the few in service at the crash
        // were lost.
        let served = num(&m, "api.throughput") * 10.0;
        let good = num(&m, "goodput") * 10.0;
        assert!(
            served >= good && served - good <= 4.0,
            "seed {seed}: {served} vs {good}"
        );
    }
}

/// Random crashes and repairs used to add replica-time after the metrics window closed, so
/// four fixed replicas averaged 4.012 (and more). Exact now, at every moment of the run.
#[test]
fn replicas_mean_of_fixed_replicas_is_exact_with_random_crashes() {
    let design = "users: clients rate=100 deadline_ms=1000\napi: service replicas=4 workers=4 service_ms=10 mtbf_ms=2000 mttr_ms=500\nusers -> api";
    for seed in 1..=5 {
        let mut s = sim(design, 10_000, seed);
        for ms in (500..=14_000).step_by(500) {
            s.run_until(Time::from_ms(ms));
            let m = s.metrics();
            assert_eq!(num(&m, "api.replicas_mean"), 4.0, "seed {seed} at {ms} ms");
            let up = num(&m, "api.up_share");
            assert!(up > 0.0 && up <= 1.0, "seed {seed} at {ms} ms: {up}");
        }
        assert!(s.is_done());
    }
    // Autoscaling up to four replicas: never more than four on average.
    let scaled = "users: clients rate=300 deadline_ms=1000\napi: service replicas=1 workers=1 service_ms=5 autoscale=on target=0.5 min_replicas=1 max_replicas=4 startup_ms=200 mtbf_ms=1500 mttr_ms=300\nusers -> api";
    for seed in 1..=5 {
        let mut s = sim(scaled, 10_000, seed);
        assert!(s.run_to_end(50_000_000));
        let r = num(&s.metrics(), "api.replicas_mean");
        assert!(r > 1.0 && r <= 4.0, "seed {seed}: {r}");
    }
}

#[test]
fn calls_are_counted_on_their_wire_with_a_recent_rate() {
    let design = "users: clients rate=200 deadline_ms=1000\napi: service workers=8 service_ms=2\ndb: database workers=8 service_ms=2\nusers -> api -> db\nat 3000: crash db";
    let mut s = sim(design, 5_000, 1);
    s.run_until(Time::from_ms(2_000));
    let m = s.metrics();
    let (to_api, to_db) = (num(&m, "users.to.api.calls"), num(&m, "api.to.db.calls"));
    assert_eq!(
        to_api,
        num(&m, "offered"),
        "one call per user request (no retries)"
    );
    assert_eq!(
        to_db,
        to_api - num(&m, "in_flight").min(to_api),
        "every request the api served called the db once"
    );
    let rate = num(&m, "users.to.api.rate");
    assert!((rate - 200.0).abs() < 60.0, "{rate}");
    assert!((num(&m, "api.to.db.rate") - 200.0).abs() < 60.0);
    // The db is down from 3 s: its wire carries nothing (the api's calls are lost before they
    // leave), the clients keep sending; the count stays.
    s.run_until(Time::from_ms(4_500));
    let m = s.metrics();
    assert!((num(&m, "users.to.api.rate") - 200.0).abs() < 60.0);
    assert_eq!(num(&m, "api.to.db.rate"), 0.0);
    assert!(num(&m, "api.to.db.calls") >= to_db);
    assert!(s.run_to_end(50_000_000));
    // The clients stopped at 5 s and their users waited out their deadlines until 6 s: the
    // run's last second carried nothing.
    let m = s.metrics();
    assert!(
        num(&m, "users.to.api.rate") < 20.0,
        "{}",
        num(&m, "users.to.api.rate")
    );
    assert!(num(&m, "users.to.api.calls") > 900.0);
}
