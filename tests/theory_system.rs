//! The `system` scenario against queueing and reliability theory, over seed sweeps: Erlang C,
//! M/M/c/K blocking, Little's law on every component, Jackson's tandem queues, retries and
//! budgets, the circuit breaker, metastable failure and its cures, availability of one and two
//! replicas, and retry waves without jitter. Each test asserts the number theory gives.

use systems_sandbox::sim::{metrics::Metrics, Scenario, Time};

mod system_common;
use system_common::{build, num, run};

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Erlang C: probability of waiting in M/M/c with offered load a = λ/μ.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let top = term * a / c as f64 * (c as f64 / (c as f64 - a));
    top / (sum + top)
}

/// Mean response time (ms) of M/M/c.
fn mmc_response_ms(c: u32, lam: f64, s_ms: f64) -> f64 {
    let mu = 1000.0 / s_ms;
    let a = lam / mu;
    erlang_c(c, a) / (c as f64 * mu - lam) * 1000.0 + s_ms
}

#[test]
fn erlang_c_mean_response_and_utilisation() {
    let (c, lam, s) = (4, 160.0, 20.0);
    let design = format!(
        "link_ms=0; users: clients rate={lam} deadline_ms=600000; api: service workers={c} service_ms={s}; users -> api"
    );
    let runs: Vec<Metrics> = (1..=4).map(|seed| run(&design, 400_000, seed)).collect();
    let resp = mean(
        &runs
            .iter()
            .map(|m| num(m, "latency_mean_ms"))
            .collect::<Vec<_>>(),
    );
    let want = mmc_response_ms(c, lam, s);
    eprintln!("erlang c: {resp:.3} ms vs {want:.3} ms");
    assert!(
        (resp / want - 1.0).abs() < 0.03,
        "mean response {resp:.2} ms, Erlang C {want:.2} ms"
    );
    let util = mean(
        &runs
            .iter()
            .map(|m| num(m, "api.utilization"))
            .collect::<Vec<_>>(),
    );
    let rho = lam * s / 1000.0 / c as f64;
    assert!(
        (util - rho).abs() < 0.01,
        "utilisation {util}, λs/c = {rho}"
    );
}

#[test]
fn bounded_waiting_room_rejects_the_mmck_share() {
    let (c, waiting, lam, s) = (2u32, 3u32, 150.0f64, 10.0f64);
    let a = lam * s / 1000.0;
    let k = c + waiting;
    let mut terms = Vec::new();
    let mut fact = 1.0;
    for n in 0..=k {
        if n > 0 && n <= c {
            fact *= n as f64;
        }
        let t = if n <= c {
            a.powi(n as i32) / fact
        } else {
            a.powi(n as i32) / (fact * (c as f64).powi((n - c) as i32))
        };
        terms.push(t);
    }
    let p_block = terms[k as usize] / terms.iter().sum::<f64>();
    let design = format!(
        "users: clients rate={lam} deadline_ms=600000; api: service workers={c} service_ms={s} queue={waiting}; users -> api"
    );
    let shares: Vec<f64> = (1..=4)
        .map(|seed| {
            let m = run(&design, 300_000, seed);
            num(&m, "rejected") / num(&m, "offered")
        })
        .collect();
    let got = mean(&shares);
    eprintln!("mmck: {got:.4} vs {p_block:.4}");
    assert!(
        (got / p_block - 1.0).abs() < 0.05,
        "rejected share {got:.4}, M/M/c/K {p_block:.4}"
    );
}

#[test]
fn littles_law_holds_on_every_component() {
    let design = "users: clients rate=250 deadline_ms=600000
        lb: balancer algorithm=least-connections
        api: service replicas=3 workers=2 service_ms=8
        cache: cache capacity=200 keys=2000 zipf=0.9 service_ms=1 workers=2
        db: database workers=3 service_ms=6 read_replicas=1
        q: queue consumers=2
        audit: service workers=1 service_ms=3
        users -> lb -> api -> cache -> db
        api -> q -> audit";
    for seed in 1..=3 {
        let m = run(design, 60_000, seed);
        for name in ["api", "cache", "db", "q", "audit", "lb"] {
            let l = num(&m, &format!("{name}.queue_mean"));
            let x = num(&m, &format!("{name}.throughput"));
            let w = num(&m, &format!("{name}.wait_mean_ms")) / 1000.0;
            assert!(
                (l - x * w).abs() <= 0.01 * l + 0.002,
                "{name} seed {seed}: L {l} vs λW {}",
                x * w
            );
            assert!(x > 0.0, "{name} did work");
        }
        for name in ["api", "cache", "db", "audit"] {
            let x = num(&m, &format!("{name}.throughput"));
            let t = num(&m, &format!("{name}.latency_mean_ms")) / 1000.0;
            let workers = match name {
                "api" => 2.0,
                "cache" => 2.0,
                "db" => 3.0,
                _ => 1.0,
            };
            let in_system = num(&m, &format!("{name}.queue_mean"))
                + num(&m, &format!("{name}.utilization"))
                    * workers
                    * num(&m, &format!("{name}.replicas_mean"));
            assert!(
                (in_system - x * t).abs() <= 0.01 * in_system + 0.003,
                "{name} seed {seed}: N {in_system} vs λT {}",
                x * t
            );
        }
    }
}

#[test]
fn tandem_services_add_their_mm1_responses_jackson() {
    let (lam, s1, s2) = (80.0, 5.0, 8.0);
    let design = format!(
        "link_ms=0; users: clients rate={lam} deadline_ms=600000; a: service service_ms={s1}; b: service service_ms={s2}; users -> a -> b"
    );
    let want = 1000.0 / (1000.0 / s1 - lam) + 1000.0 / (1000.0 / s2 - lam);
    let got = mean(
        &(1..=4)
            .map(|seed| num(&run(&design, 300_000, seed), "latency_mean_ms"))
            .collect::<Vec<_>>(),
    );
    eprintln!("jackson: {got:.3} vs {want:.3}");
    assert!(
        (got / want - 1.0).abs() < 0.03,
        "tandem response {got:.2} ms, Jackson {want:.2} ms"
    );
}

#[test]
fn retries_against_a_dead_dependency_make_n_attempts_and_a_budget_caps_them() {
    for n in [2, 4] {
        let design = format!(
            "users: clients rate=100 deadline_ms=10000 retry=exponential attempts={n} backoff_ms=1; api: service workers=8 service_ms=1 fail=1; users -> api"
        );
        for seed in 1..=3 {
            let m = run(&design, 20_000, seed);
            assert_eq!(
                num(&m, "attempts_per_request"),
                n as f64,
                "attempts={n} seed {seed}"
            );
            assert_eq!(num(&m, "availability"), 0.0);
        }
    }
    let design = "users: clients rate=100 deadline_ms=10000 retry=exponential attempts=4 backoff_ms=1 budget=0.2; api: service workers=8 service_ms=1 fail=1; users -> api";
    for seed in 1..=3 {
        let a = num(&run(design, 20_000, seed), "attempts_per_request");
        eprintln!("budget attempts {a}");
        assert!(a <= 1.2 && a > 1.15, "with a 20% budget: {a}");
    }
}

/// (calls failed, their mean time in ms, calls sent, probes) of `api` at `t`.
fn breaker_counts(s: &mut Box<dyn Scenario>, t: u64) -> (f64, f64, f64, f64, f64) {
    s.run_until(Time::from_ms(t));
    let m = s.metrics();
    (
        num(&m, "api.calls_failed"),
        num(&m, "api.call_fail_ms"),
        num(&m, "api.sent"),
        num(&m, "api.probes"),
        num(&m, "api.breaker_open_ms"),
    )
}

#[test]
fn an_open_breaker_fails_fast_sends_only_probes_and_closes_after_recovery() {
    let design = "users: clients rate=200 deadline_ms=1000
        api: service workers=8 service_ms=5 timeout_ms=300 breaker=on breaker_open_ms=2000
        db: database workers=4 service_ms=5
        users -> api -> db
        at 2000: crash db
        at 9000: restart db";
    for seed in 1..=3 {
        let mut s = build(design, 14_000, seed);
        let a = breaker_counts(&mut s, 3_000);
        let b = breaker_counts(&mut s, 8_500);
        let fails = b.0 - a.0;
        let fail_ms = (b.0 * b.1 - a.0 * a.1) / fails;
        assert!(
            fails > 500.0,
            "seed {seed}: calls kept failing while db was down: {fails}"
        );
        assert!(
            fail_ms < 0.05 * 300.0,
            "seed {seed}: open breaker fails in {fail_ms:.1} ms, not 300"
        );
        let probes = b.3 - a.3;
        assert_eq!(
            b.2 - a.2,
            probes,
            "seed {seed}: only probes reach the dead db"
        );
        eprintln!("breaker seed {seed}: fails {fails} in {fail_ms:.3} ms, probes {probes}");
        assert!(
            (2.0..=3.0).contains(&probes),
            "seed {seed}: one probe per 2 s open + 0.3 s timeout: {probes}"
        );
        let c = breaker_counts(&mut s, 11_500);
        let d = breaker_counts(&mut s, 13_500);
        assert_eq!(d.4, c.4, "seed {seed}: closed after the db came back");
        assert_eq!(d.0, c.0, "seed {seed}: no failed calls once closed");
        assert!(d.2 - c.2 > 300.0, "seed {seed}: calls flow again");
    }
}

/// User requests answered well per second between two instants.
fn goodput_between(s: &mut Box<dyn Scenario>, from: u64, to: u64) -> f64 {
    let good = |s: &mut Box<dyn Scenario>, t: u64| {
        s.run_until(Time::from_ms(t));
        num(&s.metrics(), "goodput") * t as f64 / 1000.0
    };
    let a = good(s, from);
    let b = good(s, to);
    (b - a) / ((to - from) as f64 / 1000.0)
}

#[test]
fn a_spike_with_retries_leaves_a_metastable_failure_that_shedding_a_breaker_or_a_budget_cures() {
    let base = "users: clients rate=70 deadline_ms=1000 timeout_ms=300 retry=exponential attempts=3 backoff_ms=10 spike_rate=150 spike_from_ms=2000 spike_to_ms=4000";
    for seed in 1..=3 {
        let stuck = format!("{base}; api: service service_ms=10; users -> api");
        let mut s = build(&stuck, 30_000, seed);
        let before = goodput_between(&mut s, 500, 2_000);
        let after = goodput_between(&mut s, 15_000, 29_000);
        assert!(
            before > 0.9 * 70.0,
            "seed {seed}: healthy before the spike: {before}"
        );
        eprintln!("metastable seed {seed}: before {before:.1} after {after:.1}");
        assert!(
            after < 0.2 * 70.0,
            "seed {seed}: still failing 11 s after the spike: {after}"
        );
        let cures = [
            "api: service service_ms=10 shed=deadline; users -> api",
            "api: service service_ms=10 shed=lifo; users -> api",
            "gw: service workers=64 service_ms=0 timeout_ms=300 breaker=on breaker_open_ms=1000; api: service service_ms=10; users -> gw -> api",
        ];
        for cure in cures {
            let mut s = build(&format!("{base}; {cure}"), 30_000, seed);
            let after = goodput_between(&mut s, 8_000, 29_000);
            eprintln!("  cure {cure}: {after:.1}");
            assert!(
                after > 0.9 * 70.0,
                "seed {seed} `{cure}`: recovered within 4 s: {after}"
            );
        }
        // A budget of 10% keeps the load under capacity (77/s of 100/s), so the backlog drains:
        // more slowly than shedding it, but it does.
        let budget = format!("{base} budget=0.1; api: service service_ms=10; users -> api");
        let mut s = build(&budget, 30_000, seed);
        let after = goodput_between(&mut s, 15_000, 29_000);
        eprintln!("  budget: {after:.1}");
        assert!(
            after > 0.9 * 70.0,
            "seed {seed} with a retry budget: {after}"
        );
    }
}

#[test]
fn availability_is_mtbf_share_and_two_replicas_approach_one_minus_square() {
    let (mtbf, mttr) = (800.0, 200.0);
    let a = mtbf / (mtbf + mttr);
    let one = format!(
        "users: clients rate=100 deadline_ms=1000; api: service workers=4 service_ms=1 mtbf_ms={mtbf} mttr_ms={mttr}; users -> api"
    );
    let two = format!(
        "users: clients rate=100 deadline_ms=1000; lb: balancer health_ms=5; api: service replicas=2 workers=4 service_ms=1 mtbf_ms={mtbf} mttr_ms={mttr}; users -> lb -> api"
    );
    let ones: Vec<Metrics> = (1..=3).map(|seed| run(&one, 400_000, seed)).collect();
    let up = mean(
        &ones
            .iter()
            .map(|m| num(m, "api.up_share"))
            .collect::<Vec<_>>(),
    );
    let avail = mean(
        &ones
            .iter()
            .map(|m| num(m, "availability"))
            .collect::<Vec<_>>(),
    );
    eprintln!("availability: up {up:.4} avail {avail:.4} vs {a}");
    assert!(
        (up - a).abs() < 0.015,
        "up share {up}, MTBF/(MTBF+MTTR) = {a}"
    );
    assert!(
        (avail - a).abs() < 0.02,
        "availability of one replica {avail}, theory {a}"
    );
    let twos: Vec<f64> = (1..=3)
        .map(|seed| num(&run(&two, 400_000, seed), "availability"))
        .collect();
    let got = mean(&twos);
    let want = 1.0 - (1.0 - a) * (1.0 - a);
    eprintln!("two replicas: {got:.4} vs {want:.4}");
    assert!(
        (got - want).abs() < 0.015,
        "availability of two replicas {got}, 1-(1-a)² = {want}"
    );
}

#[test]
fn without_jitter_retries_return_in_a_wave_twice_as_steep() {
    let design = |retry: &str| {
        format!(
            "users: clients rate=100 deadline_ms=20000 timeout_ms=2000 retry={retry} attempts=8 backoff_ms=200 backoff_cap_ms=5000
             api: service service_ms=5
             users -> api
             at 2000: slow api 50
             at 3000: crash api
             at 3000: slow api 1
             at 4000: restart api"
        )
    };
    for seed in 1..=4 {
        let waves = num(&run(&design("exponential"), 12_000, seed), "api.peak_rate");
        let jitter = num(&run(&design("full-jitter"), 12_000, seed), "api.peak_rate");
        eprintln!("waves seed {seed}: {waves} vs {jitter}");
        assert!(
            waves >= 2.0 * jitter,
            "seed {seed}: peak {waves}/s without jitter, {jitter}/s with"
        );
    }
}
