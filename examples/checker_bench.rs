//! `cargo run --release --example checker_bench`: checker speed on generated quorum-style histories.
#[path = "../tests/common/mod.rs"]
mod common;

use common::{generate, make_stale, Cfg};
use std::time::Instant;
use systems_sandbox::sim::check::linearizability::{check, Op};

fn run(label: &str, h: &[Op]) {
    let t = Instant::now();
    let v = check(h);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{label:<32} ops={:>6} time={ms:>8.2} ms explored={:>8} linearizable={} gave_up={} culprits={:?}",
        h.len(),
        v.explored,
        v.linearizable,
        v.gave_up,
        v.culprits
    );
    if !v.linearizable {
        println!("  {}", v.explanation);
    }
}

fn main() {
    let lin = generate(&Cfg::new(3, 10_000, 1));
    run("10k, 3 clients, linearizable", &lin);
    let mut bad = lin.clone();
    let stale = make_stale(&mut bad, 9_000);
    println!("  (stale read injected: {stale:?} = (read, old write, newer write))");
    run("10k, 3 clients, one stale read", &bad);
    let lin8 = generate(&Cfg::new(8, 1_000, 2));
    run("1k, 8 clients, linearizable", &lin8);
    let mut bad8 = lin8.clone();
    make_stale(&mut bad8, 900);
    run("1k, 8 clients, one stale read", &bad8);
    let mut bad8 = generate(&Cfg::new(8, 10_000, 4));
    run("10k, 8 clients, linearizable", &bad8);
    make_stale(&mut bad8, 9_000);
    run("10k, 8 clients, one stale read", &bad8);
    let timeouts = Cfg {
        clients: 3,
        keys: 1,
        ops: 10_000,
        write_pct: 50,
        timeout_pct: 2,
        seed: 3,
    };
    run("10k, 3 clients, 2% timeouts", &generate(&timeouts));
}
