//! Compact links for long settings: every preset and every lesson design survives the compact
//! form exactly, every link we write is no longer than the plain one (and much shorter for a
//! design), and the plain `design=` still opens the same run. `cargo test --test links --
//! --nocapture` prints the link lengths quoted in README and ARCHITECTURE.
#![cfg(not(target_arch = "wasm32"))]

use systems_sandbox::content::{parse_challenge, parse_directive, parse_step, RawBlock, LESSONS};
use systems_sandbox::pack;
use systems_sandbox::route::{encode, Route, WidgetRoute};
use systems_sandbox::session::link::open;
use systems_sandbox::sim::scenario::system::presets::PRESETS;

/// (where from, design text): the 12 presets, then every design in the lessons (widgets, try-it
/// steps, challenges' starts and solutions).
fn designs() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = PRESETS
        .iter()
        .map(|(name, _, d)| (format!("preset {name}"), d.to_string()))
        .collect();
    for l in LESSONS {
        for (i, b) in l.blocks.iter().enumerate() {
            let sets = match b {
                RawBlock::Widget(d) => vec![parse_directive(d).expect("directives parse").pairs],
                RawBlock::Try(info, body) => vec![parse_step(info, body).expect("steps parse").set],
                RawBlock::Challenge(info, body) => {
                    let c = parse_challenge(info, body).expect("challenges parse");
                    vec![c.start.set, c.solution.set]
                }
                _ => vec![],
            };
            for (k, v) in sets.iter().flatten() {
                if k == "design" {
                    out.push((format!("{} block {i}", l.slug), v.clone()));
                }
            }
        }
    }
    out
}

fn route(design: &str) -> WidgetRoute {
    WidgetRoute {
        kind: "system".into(),
        pairs: vec![("design".into(), design.into())],
        seed: Some("1".into()),
        ..Default::default()
    }
}

/// The link as it was written before compact values: the design percent-encoded.
fn plain_hash(design: &str) -> String {
    format!("#/widget/system?design={}&seed=1", encode(design))
}

#[test]
fn every_preset_and_lesson_design_round_trips_exactly() {
    let all = designs();
    assert!(all.len() >= 28, "{} designs found", all.len());
    for (from, d) in &all {
        let packed = pack::pack(d).unwrap_or_else(|| panic!("{from} does not pack"));
        assert_eq!(pack::unpack(&packed).as_deref(), Ok(d.as_str()), "{from}");
        let w = route(d);
        let hash = Route::Widget(w.clone()).to_hash();
        assert!(hash.contains("design~=1"), "{from}: {hash}");
        assert_eq!(Route::parse(&hash), Route::Widget(w.clone()), "{from}");
        let build = Route::Build(w.clone()).to_hash();
        assert_eq!(Route::parse(&build), Route::Build(w), "{from}");
    }
}

#[test]
fn the_compact_link_opens_the_same_run_as_the_plain_one() {
    for (from, d) in designs().iter().step_by(7) {
        let Route::Widget(compact) = Route::parse(&Route::Widget(route(d)).to_hash()) else {
            panic!("{from}: not a widget route")
        };
        let Route::Widget(plain) = Route::parse(&plain_hash(d)) else {
            panic!("{from}: not a widget route")
        };
        let (a, b) = (open(&compact).unwrap(), open(&plain).unwrap());
        assert!(a.notices.is_empty() && b.notices.is_empty(), "{from}");
        let run = |o: &systems_sandbox::session::link::Opened| {
            let mut s = o.build().unwrap();
            s.run_until(systems_sandbox::sim::Time::from_ms(2000));
            s.sim().trace_hash()
        };
        assert_eq!(run(&a), run(&b), "{from}");
    }
}

#[test]
fn link_lengths_before_and_after() {
    let (mut before, mut after) = (0usize, 0usize);
    let (mut worst, mut best) = (0.0f64, 1.0f64);
    for (from, d) in designs() {
        let (p, c) = (
            plain_hash(&d).len(),
            Route::Widget(route(&d)).to_hash().len(),
        );
        println!(
            "{from:40} {:5} text bytes {p:5} -> {c:4} link chars",
            d.len()
        );
        assert!(c < p, "{from}");
        (before, after) = (before + p, after + c);
        let r = c as f64 / p as f64;
        (worst, best) = (worst.max(r), best.min(r));
    }
    println!(
        "all: {before} -> {after} chars ({:.0}% of before; per link {:.0}% to {:.0}%)",
        100.0 * after as f64 / before as f64,
        100.0 * best,
        100.0 * worst
    );
    assert!(
        after * 2 < before,
        "compact links should be under half as long"
    );
}

#[test]
fn one_character_changes_are_refused_by_the_value_itself() {
    // Every position of every compact design, every other base64url character there: the length,
    // the copies, the end and the 12-bit check let about 1 in 4,096 through, to the design parser.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut total, mut refused) = (0u64, 0u64);
    for (_, d) in designs() {
        let p = pack::pack(&d).unwrap();
        for i in 1..p.len() {
            for c in alphabet.chars().filter(|c| *c != p.as_bytes()[i] as char) {
                let v = format!("{}{c}{}", &p[..i], &p[i + 1..]);
                total += 1;
                refused += u64::from(pack::unpack(&v).is_err());
            }
        }
    }
    println!("one-character changes: {refused} of {total} refused");
    assert!(refused * 1000 >= total * 999, "{refused} of {total}");
}
