//! Helpers shared by the `system` scenario's test files (`tests/system.rs`,
//! `tests/theory_system.rs`): build a design, run it to its end, read a metric.
#![allow(dead_code)]

use systems_sandbox::sim::{self, metrics::Metrics, Scenario};

/// The scenario for `design`, clients sending for `duration_ms`.
pub fn build(design: &str, duration_ms: u64, seed: u64) -> Box<dyn Scenario> {
    let pairs = vec![
        ("design".to_string(), design.to_string()),
        ("duration_ms".to_string(), duration_ms.to_string()),
    ];
    sim::create("system", &pairs, seed).expect("design is valid")
}

/// Run `design` to its end and return its metrics.
pub fn run(design: &str, duration_ms: u64, seed: u64) -> Metrics {
    let mut s = build(design, duration_ms, seed);
    assert!(s.run_to_end(u64::MAX));
    s.metrics()
}

/// A metric that must exist.
pub fn num(m: &Metrics, k: &str) -> f64 {
    m.num(k).unwrap_or_else(|| panic!("no metric {k}"))
}
