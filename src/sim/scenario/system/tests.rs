//! Unit tests of the system scenario: parser errors, presets, a run's basic bookkeeping.

use super::*;
use crate::sim::scenario::create;
use crate::sim::time::Time;

fn run(design: &str, seed: u64) -> Metrics {
    let pairs = vec![("design".to_string(), design.to_string())];
    let mut s = create("system", &pairs, seed).unwrap();
    assert!(s.run_to_end(50_000_000), "run ends");
    s.metrics()
}

#[test]
fn presets_are_listed_and_run() {
    let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.0).collect();
    assert_eq!(&presets::PRESET_CHOICES[1..], names.as_slice());
    assert!(names.len() >= 10);
    for (name, _, _) in presets::PRESETS {
        let pairs = vec![("preset".to_string(), name.to_string())];
        let mut s = create("system", &pairs, 1).unwrap();
        assert!(s.run_to_end(50_000_000), "{name} ends");
        let m = s.metrics();
        assert!(m.num("offered").unwrap() > 0.0, "{name}");
    }
}

#[test]
fn every_request_is_accounted_for() {
    let m = run(
        "users: clients rate=200\napi: service workers=2 service_ms=5\nusers -> api",
        3,
    );
    let sum: f64 = ["timeouts", "rejected", "errors", "late", "in_flight"]
        .iter()
        .map(|k| m.num(k).unwrap())
        .sum::<f64>()
        + m.num("availability").unwrap() * 0.0;
    let offered = m.num("offered").unwrap();
    let good = m.num("goodput").unwrap() * 10.0;
    assert!(
        (good + sum - offered).abs() < 1.5,
        "{offered} vs {good} + {sum}"
    );
    assert_eq!(m.num("in_flight"), Some(0.0));
    // Offered per second is what the clients sent over their 10 s: about their rate of 200.
    let rate = m.num("offered_rate").unwrap();
    assert_eq!(rate, offered / 10.0);
    assert!((rate - 200.0).abs() < 10.0, "{rate}");
}

fn err(design: &str) -> String {
    let pairs = vec![("design".to_string(), design.to_string())];
    match create("system", &pairs, 1) {
        Err(e) => e.0,
        Ok(_) => panic!("`{design}` should be refused"),
    }
}

#[test]
fn errors_name_the_line_the_word_and_what_is_valid() {
    let e = err("users: clients\napi: servce workers=4\nusers -> api");
    assert!(e.starts_with("line 2 (`api: servce workers=4`)"), "{e}");
    assert!(
        e.contains("`servce`") && e.contains("clients, balancer, service"),
        "{e}"
    );
    let e = err("users: clients; api: service workers=0; users -> api");
    assert!(
        e.contains("line 2") && e.contains("`workers=0`") && e.contains("from 1 to 1024"),
        "{e}"
    );
    let e = err("users: clients; a: service; b: service; users -> a -> b -> a");
    assert!(e.contains("loop: a -> b -> a"), "{e}");
    let e = err("users: clients; a: service; users -> x");
    assert!(
        e.contains("line 3") && e.contains("`x`") && e.contains("components: users, a"),
        "{e}"
    );
    let e = err("users: clients; db: database; users -> db; at 10: slow users 3");
    assert!(e.contains("line 4") && e.contains("only a service"), "{e}");
    let e = err("users: clients; c: cache; users -> c");
    assert!(
        e.contains("line 2") && e.contains("exactly 1 downstream wire"),
        "{e}"
    );
    let e = err("users: clients; api: service queue=lots; users -> api");
    assert!(e.contains("line 2") && e.contains("`queue=lots`"), "{e}");
    let e = err("users: clients; api: service; users -> api; at 5: explode api");
    assert!(e.contains("unknown fault `explode api`"), "{e}");
}

#[test]
fn a_lesson_directive_builds_the_widget_and_its_panel_rows() {
    use crate::sim::snapshot::Extra;
    let spec =
        crate::content::parse_directive("widget system preset=circuit-breaker seed=3").unwrap();
    let mut s = create(spec.kind, &spec.pairs, spec.seed).unwrap();
    s.run_until(Time::from_ms(5_000));
    let snap = s.snapshot();
    let Extra::System(v) = &snap.extra else {
        panic!("the system widget has a panel view")
    };
    let names: Vec<&str> = v.comps.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["users", "api", "db"]);
    assert!(
        !v.comps[2].up && v.comps[2].state().contains("down"),
        "db crashed at 3000"
    );
    assert_eq!(v.comps[1].breaker, Some("open"), "{:?}", v.comps[1]);
    assert_eq!(v.comps[1].slots, 4);
    s.apply(&Command::Do("slow:api:4".into())).unwrap();
    s.apply(&Command::Do("fail:api:0.5".into())).unwrap();
    let snap = s.snapshot();
    let Extra::System(v) = &snap.extra else {
        panic!("still a system view")
    };
    assert!(
        v.comps[1].state().contains("slowed ×4") && v.comps[1].state().contains("failing 50%"),
        "{}",
        v.comps[1].state()
    );
    assert!(s
        .apply(&Command::Do("slow:users:4".into()))
        .unwrap_err()
        .contains("only a service"));
    assert!(s
        .apply(&Command::Do("slow:nobody:4".into()))
        .unwrap_err()
        .contains("components: users, api, db"));
}

/// The reader's spike button (`do:spike:NAME:FACTOR:MS`): the clients send FACTOR times their
/// rate for MS, then return to their rate; the offered count grows by about the extra arrivals
/// (rate × (FACTOR − 1) × MS), and a bad spike names what is valid.
#[test]
fn a_spike_from_the_reader_adds_the_extra_arrivals_and_ends() {
    let design = "users: clients rate=400 deadline_ms=1000\napi: service workers=64 service_ms=1\nusers -> api";
    let pairs = vec![
        ("design".to_string(), design.to_string()),
        ("duration_ms".to_string(), "4000".to_string()),
    ];
    let offered = |spike: bool, seed: u64| {
        let mut s = create("system", &pairs, seed).unwrap();
        s.run_until(Time::from_ms(1000));
        if spike {
            s.apply(&Command::Do("spike:users:3:1000".into())).unwrap();
        }
        assert!(s.run_to_end(50_000_000));
        s.metrics().num("offered").unwrap()
    };
    let (mut base, mut spiked) = (0.0, 0.0);
    for seed in 1..=10 {
        base += offered(false, seed);
        spiked += offered(true, seed);
    }
    // 10 seeds × 400/s × 2 extra × 1 s = 8,000 extra arrivals expected; ± 4 standard deviations.
    let extra = spiked - base;
    assert!(
        (extra - 8000.0).abs() < 4.0 * (2.0 * 16_000f64 + 8000.0).sqrt(),
        "extra {extra}"
    );
    let mut s = create("system", &pairs, 1).unwrap();
    for bad in ["spike:users:0.5:1000", "spike:api:2:1000", "spike:users:2"] {
        let e = s.apply(&Command::Do(bad.into())).unwrap_err();
        assert!(e.contains("spike:NAME:FACTOR:MS"), "{bad}: {e}");
    }
}
