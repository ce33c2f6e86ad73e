//! The lessons' sweeps against the theory they draw: every sweep with a `theory` line, run
//! longer (400 simulated seconds) and over four seeds, must land within 5% of the M/M/c mean
//! (Erlang C) at every point up to ρ = 0.9, so the dashed curve over the runs is the right
//! curve and the runs are real queues. (The lesson's own runs are 60–100 s on one seed, and
//! near ρ = 0.9 one such run can be 15–20% off: the lesson says so.)
#![cfg(not(target_arch = "wasm32"))]

use systems_sandbox::content::{Block, LESSONS};

const SEEDS: u64 = 4;
const DURATION_MS: &str = "400000";
const TOLERANCE: f64 = 0.05;

#[test]
fn every_sweep_with_a_theory_agrees_with_it_up_to_ninety_percent_busy() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for lesson in LESSONS {
        for b in lesson.blocks() {
            let Block::Sweep { sweep, points, .. } = b else {
                continue;
            };
            if sweep.theory.is_none() {
                continue;
            }
            for p in points.iter().filter(|p| p.x <= 0.9 + 1e-9) {
                let want = p.theory_ms().expect("theory below ρ = 1");
                let mut sum = 0.0;
                for seed in 1..=SEEDS {
                    let mut q = p.clone();
                    q.seed = seed;
                    for (k, v) in q.pairs.iter_mut() {
                        if k == "duration_ms" {
                            *v = DURATION_MS.into();
                        }
                    }
                    let m = q.run(&sweep.metric).expect("the point runs");
                    sum += m.num(&sweep.metric).expect("the metric");
                }
                let got = sum / SEEDS as f64;
                let off = got / want - 1.0;
                eprintln!(
                    "{} · {} at {}: ρ {:.2}, runs {got:.2} ms, theory {want:.2} ms ({:+.1}%)",
                    lesson.slug,
                    sweep.key,
                    p.value,
                    p.x,
                    off * 100.0
                );
                if off.abs() > TOLERANCE {
                    problems.push(format!(
                        "{} `{}` at {}: {got:.2} ms against the theory's {want:.2}",
                        lesson.slug, sweep.label, p.value
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 18, "only {checked} points checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
