//! Measures what one animation frame costs the engine for a big widget (50-node mesh, ~500
//! messages in flight): advancing 16 ms of simulated time and building the snapshot.
//! `cargo run --release --example snapshot_cost`
use std::time::Instant;
use systems_sandbox::sim::{self, Time};

fn main() {
    let pairs: Vec<(String, String)> = [("nodes", "50"), ("shape", "mesh"), ("latency_ms", "200"), ("rate", "1250"), ("requests", "100000")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let Ok(mut s) = sim::create("topology", &pairs, 1) else { return };
    s.run_until(Time::from_ms(2_000));
    let frames = 200;
    let (mut adv, mut snap) = (0.0, 0.0);
    let mut flights = 0;
    for _ in 0..frames {
        let t = Instant::now();
        let target = s.now().plus_us(16_667);
        s.run_until(target);
        adv += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let sn = s.snapshot();
        snap += t.elapsed().as_secs_f64();
        flights = sn.flights.len();
    }
    println!("per frame: advance {:.3} ms, snapshot {:.3} ms ({flights} messages in flight, {} links)",
        adv * 1e3 / frames as f64, snap * 1e3 / frames as f64, s.snapshot().links.len());
}
