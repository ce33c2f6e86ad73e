//! Property tests: nothing a reader, an author or an embedding page can type makes anything panic,
//! and every scenario run with random valid parameters and random interventions keeps its metrics
//! inside their valid ranges. CI runs proptest's default case count; for many more:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use systems_sandbox::content::{parse_challenge, parse_directive, WidgetSpec};
use systems_sandbox::route::Route;
use systems_sandbox::sim::command::{Command, Mark, Timed};
use systems_sandbox::sim::params::{Kind, ParamSpec, Params};
use systems_sandbox::sim::{self, metrics::Value, replay};
use systems_sandbox::{cli, share};

/// Strings that look like our inputs, broken in the ways people (and attackers) break them.
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-z_]{0,12}=[-0-9.e|,:@~_a-z]{0,16}",
        "[0-9]{0,25}_[0-9]{0,25}@[a-z]{0,8}:[-0-9,|]{0,12}",
        Just("%".to_string()),
        Just("\u{0}\u{202e}<script>alert(1)</script>".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-0".to_string()),
        Just("18446744073709551616".to_string()),
    ]
}

proptest! {
    #[test]
    fn parsers_never_panic(s in junk(), t in junk()) {
        let _ = parse_directive(&s);
        let _ = parse_directive(&format!("widget topology {s} {t}"));
        let _ = Route::parse(&s).to_hash();
        let _ = Route::parse(&format!("#/widget/{s}?{t}")).to_hash();
        let _ = Command::parse(&s);
        let _ = Timed::parse(&s);
        let _ = Mark::parse(&s);
        let _ = replay::parse_log(&s);
        let _ = share::parse_params_attr(&s);
        let _ = WidgetSpec::new(&s, vec![(s.clone(), t.clone())], Some(&t));
        let _ = parse_challenge(&format!("challenge {s}"), &format!("goal {t}\nkeep {s}\nact {t}\nstart {s}\nsolution {t}\n{s}"));
    }

    #[test]
    fn param_errors_are_one_short_line(k in junk(), v in junk()) {
        for spec in sim::SCENARIOS {
            match Params::parse(spec.name, spec.params, &[(k.clone(), v.clone())]) {
                Ok(p) => prop_assert_eq!(p.iter().count(), spec.params.len()),
                Err(e) => {
                    prop_assert!(!e.0.contains('\n'), "multi-line error: {}", e.0);
                    prop_assert!(e.0.chars().count() < 400, "error too long: {}", e.0);
                }
            }
        }
    }

    #[test]
    fn routes_round_trip(kind in "[a-z-]{1,12}", k in "[a-z_]{1,8}", v in ".{0,12}", seed in any::<u64>()) {
        let r = Route::parse(&format!("#/widget/{kind}?{k}={}&seed={seed}", systems_sandbox::route::encode(&v)));
        prop_assert_eq!(Route::parse(&r.to_hash()), r);
    }

    #[test]
    fn cli_never_panics_and_errors_are_one_line(args in prop::collection::vec(junk(), 0..5)) {
        // Keep runs short: a random but valid `run` would otherwise be allowed to run long.
        let mut args = args;
        if args.first().map(String::as_str) == Some("run") {
            args.push("requests=5".into());
        }
        if let Err(e) = cli::dispatch(&args) {
            prop_assert!(!e.contains('\n'), "multi-line error: {e}");
        }
    }
}

/// A random valid value for a parameter (text parameters keep their default: their shape is
/// scenario-specific and covered by the scenario's own tests).
fn value_for(p: &ParamSpec) -> BoxedStrategy<String> {
    match p.kind {
        Kind::Int { min, max } => (min..=max.min(min.saturating_add(2_000)))
            .prop_map(|v| v.to_string())
            .boxed(),
        Kind::Float { min, max } => (min..=max.min(min + 1_000.0))
            .prop_map(|v| format!("{v}"))
            .boxed(),
        Kind::MsOrNever { max } => prop_oneof![
            Just("never".to_string()),
            (0.0..=max.min(5_000.0)).prop_map(|v| format!("{v}"))
        ]
        .boxed(),
        Kind::Choice(c) => prop::sample::select(c.to_vec())
            .prop_map(|s| s.to_string())
            .boxed(),
        Kind::Text { .. } => Just(p.default.to_string()).boxed(),
    }
}

/// A scenario index, its parameters, a seed and interventions (kind, argument).
type Case = (usize, Vec<(String, String)>, u64, Vec<(u8, u32)>);

fn scenario_case() -> impl Strategy<Value = Case> {
    (0..sim::SCENARIOS.len()).prop_flat_map(|i| {
        let spec = sim::SCENARIOS[i];
        let picks: Vec<BoxedStrategy<Option<(String, String)>>> = spec
            .params
            .iter()
            .map(|p| {
                let name = p.name.to_string();
                prop::option::of(value_for(p).prop_map(move |v| (name.clone(), v))).boxed()
            })
            .collect();
        let cmds = prop::collection::vec((0u8..6, 0u32..12), 0..6);
        (Just(i), picks, any::<u64>(), cmds).prop_map(|(i, picks, seed, cmds)| {
            (i, picks.into_iter().flatten().collect(), seed, cmds)
        })
    })
}

/// Ranges every metric must stay in, whatever the scenario: finite numbers; ratios in [0, 1];
/// counts non-negative (`*_ms` quantities may use -1 for "never").
fn check_metrics(name: &str, m: &sim::metrics::Metrics) -> Result<(), TestCaseError> {
    for (k, v) in &m.0 {
        let ratio = k
            .split('_')
            .any(|w| ["ratio", "availability", "fraction", "utilization", "share"].contains(&w));
        let nums: Vec<f64> = match v {
            Value::Int(i) => vec![*i as f64],
            Value::Float(f) => vec![*f],
            Value::Bool(_) => continue,
            Value::Word(w) => {
                prop_assert!(
                    ["yes", "no", "undecided"].contains(w),
                    "{name}.{k} = {w} is not a verdict word"
                );
                continue;
            }
            Value::List(l) => l.values.clone(),
        };
        for x in nums {
            prop_assert!(x.is_finite(), "{name}.{k} = {x} is not finite");
            if ratio {
                prop_assert!(
                    (0.0..=1.0 + 1e-9).contains(&x),
                    "{name}.{k} = {x} is not a fraction"
                );
            } else if k.ends_with("_ms") {
                prop_assert!(x >= -1.0, "{name}.{k} = {x} is negative");
            } else {
                prop_assert!(x >= 0.0, "{name}.{k} = {x} is negative");
            }
        }
    }
    Ok(())
}

proptest! {
    // 48 cases in CI (each runs a whole scenario); PROPTEST_CASES raises it like the others.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    #[test]
    fn scenarios_survive_random_settings_and_interventions(case in scenario_case()) {
        let (i, pairs, seed, cmds) = case;
        let spec = sim::SCENARIOS[i];
        let Ok(mut s) = sim::create(spec.name, &pairs, seed) else {
            return Ok(()); // a combination the scenario rejects (e.g. r > n) is an error, not a panic
        };
        for (verb, arg) in cmds {
            s.run_to_end(300);
            let cmd = match verb {
                0 => Command::Cut(arg),
                1 => Command::Heal(arg),
                2 => Command::Crash(arg),
                3 => Command::Restart(arg),
                4 => Command::Split(vec![vec![0], vec![arg]]),
                _ => Command::Unsplit,
            };
            let _ = s.apply(&cmd); // out-of-range ids are errors, not panics
            check_metrics(spec.name, &s.metrics())?;
        }
        s.run_to_end(3_000);
        let m = s.metrics();
        check_metrics(spec.name, &m)?;
        if spec.name == "saga" {
            // Every order placed is in exactly one state.
            let n = |k: &str| m.num(k).unwrap_or(f64::NAN);
            let states = n("committed") + n("compensated") + n("inconsistent") + n("in_flight");
            prop_assert_eq!(states, n("orders"), "saga order states do not add up");
        }
        let snap = s.snapshot();
        prop_assert!(snap.flights.iter().all(|f| (0.0..=1.0).contains(&f.progress)));
        // The same run replays to the same digest.
        let again = replay::replay(spec.name, &pairs, seed, s.log(), Some(s.mark()));
        prop_assert_eq!(again.map(|a| a.trace_hash()).ok(), Some(s.trace_hash()));
    }
}
