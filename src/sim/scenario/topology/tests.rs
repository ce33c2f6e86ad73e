//! Unit tests of the topology scenario: delivery, loss, rerouting, duplicates, live settings.

use super::SHAPES;
use crate::sim::command::Command;
use crate::sim::scenario::create;
use crate::sim::time::Time;

fn run(pairs: &[(&str, &str)], seed: u64) -> Box<dyn crate::sim::scenario::Scenario> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("topology", &pairs, seed).unwrap();
    assert!(s.run_to_end(10_000_000));
    s
}

#[test]
fn lossless_network_answers_everything() {
    let s = run(&[("requests", "300")], 1);
    let m = s.metrics();
    assert_eq!(m.num("sent"), Some(300.0));
    assert_eq!(m.num("delivered"), Some(300.0));
    assert_eq!(m.num("dropped"), Some(0.0));
    // ring of 5, server at 0: clients 1 and 4 are 1 hop away, 2 and 3 are 2 hops; 20 ms per hop.
    let mean = m.num("latency_mean_ms").unwrap();
    assert!((55.0..65.0).contains(&mean), "mean RTT {mean}");
}

#[test]
fn loss_drops_about_the_expected_share() {
    // Each round trip crosses 2 or 3 links... per message hop loss p: P(answered) = (1-p)^(2*hops).
    let s = run(
        &[("requests", "20000"), ("loss", "0.1"), ("rate", "1000")],
        2,
    );
    let m = s.metrics();
    let expected = 0.5 * 0.9f64.powi(2) + 0.5 * 0.9f64.powi(4);
    let got = m.num("success_ratio").unwrap();
    assert!(
        (got - expected).abs() < 0.015,
        "success {got} vs {expected}"
    );
}

#[test]
fn cutting_a_link_reroutes_and_crashing_the_server_drops() {
    let mut s = create("topology", &[("requests".into(), "2000".into())], 3).unwrap();
    s.run_until(Time::from_ms(20_000));
    s.apply(&Command::Cut(0)).unwrap(); // server-c1
    s.run_until(Time::from_ms(120_000));
    let before = s.metrics().num("dropped").unwrap();
    let mean_cut = s.metrics().num("latency_mean_ms").unwrap();
    assert!(
        mean_cut > 62.0,
        "rerouting should lengthen paths: {mean_cut}"
    );
    s.apply(&Command::Crash(0)).unwrap();
    s.run_to_end(u64::MAX);
    let m = s.metrics();
    assert!(m.num("dropped").unwrap() > before + 100.0);
    assert!(m.num("delivered").unwrap() < 2000.0);
    assert!(s
        .apply(&Command::Cut(99))
        .unwrap_err()
        .contains("links are numbered 0 to 4"));
    assert!(s
        .apply(&Command::Crash(7))
        .unwrap_err()
        .contains("nodes are numbered 0 to 4"));
}

#[test]
fn duplicates_are_counted_once() {
    let s = run(&[("requests", "2000"), ("duplicate", "0.2")], 4);
    let m = s.metrics();
    assert_eq!(m.num("delivered"), Some(2000.0));
    assert!(m.num("duplicates").unwrap() > 100.0);
}

#[test]
fn live_settings_change_behaviour_and_bad_ones_are_refused() {
    let mut s = create("topology", &[("requests".into(), "100".into())], 5).unwrap();
    s.apply(&Command::Set {
        key: "loss".into(),
        value: "1".into(),
    })
    .unwrap();
    s.run_to_end(u64::MAX);
    assert_eq!(s.metrics().num("delivered"), Some(0.0));
    let e = s
        .apply(&Command::Set {
            key: "nodes".into(),
            value: "9".into(),
        })
        .unwrap_err();
    assert!(e.contains("cannot change during a run"), "{e}");
    let e = s
        .apply(&Command::Set {
            key: "loss".into(),
            value: "3".into(),
        })
        .unwrap_err();
    assert!(e.contains("a number from 0 to 1"), "{e}");
}

#[test]
fn every_shape_connects_everyone() {
    for shape in SHAPES {
        for n in [2, 3, 7] {
            let s = run(
                &[
                    ("shape", shape),
                    ("nodes", &n.to_string()),
                    ("requests", "50"),
                ],
                6,
            );
            assert_eq!(s.metrics().num("delivered"), Some(50.0), "{shape} {n}");
        }
    }
}

fn metric(s: &dyn crate::sim::scenario::Scenario, k: &str) -> f64 {
    s.metrics().num(k).unwrap()
}

#[test]
fn requests_in_flight_are_not_failures() {
    // The welcome lesson's widget at 123 ms: some requests answered, others still on the wire.
    let p: Vec<(String, String)> = [("rate", "25"), ("requests", "400")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("topology", &p, 7).unwrap();
    s.run_until(Time::from_ms(123));
    let s = s.as_ref();
    assert!(metric(s, "in_flight") > 0.0, "{:?}", s.metrics());
    assert!(metric(s, "delivered") > 0.0, "{:?}", s.metrics());
    assert_eq!(metric(s, "lost"), 0.0);
    assert_eq!(metric(s, "success_ratio"), 1.0);
    let sum = metric(s, "delivered") + metric(s, "lost") + metric(s, "in_flight");
    assert_eq!(sum, metric(s, "sent"));
}

#[test]
fn with_loss_the_ratio_counts_finished_requests_only() {
    let p: Vec<(String, String)> = [("requests", "4000"), ("rate", "200"), ("loss", "0.1")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("topology", &p, 8).unwrap();
    s.run_until(Time::from_ms(5_000));
    let (d, l, f, sent) = {
        let s = s.as_ref();
        let m = |k| metric(s, k);
        (m("delivered"), m("lost"), m("in_flight"), m("sent"))
    };
    assert!(l > 0.0 && f > 0.0, "lost {l}, in flight {f}");
    assert_eq!(d + l + f, sent);
    let want = crate::sim::metrics::round3(d / (d + l));
    assert_eq!(metric(s.as_ref(), "success_ratio"), want);
    assert!(
        want > d / sent,
        "in-flight requests must not count as failures"
    );
    // Theory, as in `loss_drops_about_the_expected_share`: half the clients 1 hop, half 2.
    let expected = 0.5 * 0.9f64.powi(2) + 0.5 * 0.9f64.powi(4);
    assert!((want - expected).abs() < 0.03, "{want} vs {expected}");
    assert!(s.run_to_end(u64::MAX));
    let s = s.as_ref();
    assert_eq!(metric(s, "in_flight"), 0.0);
    let ratio = crate::sim::metrics::round3(metric(s, "delivered") / metric(s, "sent"));
    assert_eq!(metric(s, "success_ratio"), ratio);
}

#[test]
fn every_request_finishes_under_loss_duplicates_cuts_and_crashes() {
    let p: Vec<(String, String)> = [
        ("requests", "3000"),
        ("rate", "300"),
        ("loss", "0.05"),
        ("duplicate", "0.3"),
        ("shape", "mesh"),
        ("nodes", "6"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut s = create("topology", &p, 9).unwrap();
    s.run_until(Time::from_ms(2_000));
    s.apply(&Command::Cut(0)).unwrap();
    s.apply(&Command::Crash(3)).unwrap();
    s.run_until(Time::from_ms(4_000));
    s.apply(&Command::Crash(0)).unwrap();
    s.run_until(Time::from_ms(6_000));
    s.apply(&Command::Restart(0)).unwrap();
    assert!(s.run_to_end(u64::MAX));
    let s = s.as_ref();
    let m = |k| metric(s, k);
    assert_eq!(m("in_flight"), 0.0);
    assert_eq!(m("delivered") + m("lost"), 3000.0);
    assert!(
        m("lost") > 100.0 && m("duplicates") > 100.0,
        "{:?}",
        s.metrics()
    );
    assert_eq!(
        m("success_ratio"),
        crate::sim::metrics::round3(m("delivered") / 3000.0)
    );
}
