//! `cargo run --release --example checker_bench`: checker speed on generated quorum-style histories.
#[path = "../tests/common/mod.rs"]
mod common;

use common::{generate, make_stale, Cfg};
use std::time::Instant;
use systems_sandbox::sim::check::linearizability::{check, Decision, Op, OpKind};

fn run(label: &str, h: &[Op]) {
    let t = Instant::now();
    let v = check(h);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{label:<32} ops={:>6} time={ms:>8.2} ms explored={:>8} linearizable={} culprits={:?}",
        h.len(),
        v.explored,
        v.decision.word(),
        v.culprits
    );
    if v.decision == Decision::NotLinearizable {
        println!("  {}", v.explanation);
    }
}

/// A 10,000-operation single-key history from the replication scenario itself: the simulation
/// runs first, untimed; the timed part is the first `metrics()` call, which runs the checker
/// over the whole history (plus the cheap counters).
fn scenario(label: &str, args: &[(&str, &str)]) {
    let mut pairs: Vec<(String, String)> = vec![("ops".into(), "10000".into())];
    pairs.extend(args.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let Ok(mut s) = systems_sandbox::sim::create("replication", &pairs, 1) else {
        return println!("{label}: bad parameters");
    };
    s.run_to_end(u64::MAX);
    let t = Instant::now();
    let m = s.metrics();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{label:<32} ops={:>6} time={ms:>8.2} ms linearizable={}",
        m.num("requests").unwrap_or(0.0),
        m.word_of("linearizable").unwrap_or("?")
    );
}

fn main() {
    scenario("scenario r=2 w=2 (default)", &[]);
    scenario(
        "scenario r=2 w=2 write_back, 5 cl",
        &[("clients", "5"), ("write_back", "on")],
    );
    scenario("scenario r=1 w=1", &[("r", "1"), ("w", "1")]);
    scenario(
        "scenario ap, partition 0|1,2",
        &[("mode", "ap"), ("partition", "0|1,2")],
    );
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
    let mut unwritten = generate(&Cfg::new(8, 10_000, 5));
    if let Some(r) = unwritten
        .iter_mut()
        .skip(5_000)
        .find(|o| matches!(o.kind, OpKind::Read { .. }) && o.ret.is_some())
    {
        r.kind = OpKind::Read { value: 999_999_999 };
    }
    run("10k, 8 clients, unwritten value read", &unwritten);
}
