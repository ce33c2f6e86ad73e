//! Measures what one animation frame costs the engine natively: advancing one frame's worth of
//! simulated time and building the snapshot the UI draws.
//! `cargo run --release --example snapshot_cost` (the 50-node mesh with ~500 messages in flight), or
//! `cargo run --release --example snapshot_cost -- SCENARIO SPEED [key=value ...]` (SPEED: simulated
//! time per unit of wall time, e.g. 0.05 or 100).
use std::time::Instant;
use systems_sandbox::sim::{self, Time};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, speed, rest): (&str, f64, Vec<String>) = match args.as_slice() {
        [k, sp, rest @ ..] => (k, sp.parse().unwrap_or(1.0), rest.to_vec()),
        _ => (
            "topology",
            1.0,
            [
                "nodes=50",
                "shape=mesh",
                "latency_ms=200",
                "rate=1250",
                "requests=100000",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
    };
    let pairs: Vec<(String, String)> = rest
        .iter()
        .filter_map(|a| a.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = match sim::create(kind, &pairs, 1) {
        Ok(s) => s,
        Err(e) => return eprintln!("{e}"),
    };
    s.run_until(Time::from_ms(200));
    let step_us = (16_667.0 * speed) as u64;
    let (mut adv, mut snap, mut frames) = (0.0, 0.0, 0u32);
    let mut flights = 0;
    while frames < 200 && !s.is_done() {
        let t = Instant::now();
        let target = s.now().plus_us(step_us);
        s.run_until(target);
        adv += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let sn = s.snapshot();
        snap += t.elapsed().as_secs_f64();
        flights = sn.flights.len();
        frames += 1;
    }
    let f = f64::from(frames.max(1));
    println!("{kind} at {speed}x, {frames} frames: advance {:.3} ms, snapshot {:.3} ms per frame ({flights} messages in flight)",
        adv * 1e3 / f, snap * 1e3 / f);
}
