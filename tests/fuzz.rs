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
use systems_sandbox::sim::scenario::system::keys::CompKind;
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

/// Design text built from the words designs use, shuffled and broken.
fn design_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        prop::sample::select(vec![
            "users",
            "api",
            "db",
            "lb",
            "c",
            "q",
            "x",
            ":",
            "->",
            ";",
            "\n",
            "at",
            "at 100:",
            "crash",
            "restart",
            "slow",
            "fail",
            "cut",
            "heal",
            "clients",
            "balancer",
            "service",
            "cache",
            "database",
            "queue",
            "limiter",
            "link_ms=0",
            "#",
            "=",
            "0",
            "1",
            "-1",
            "1e9",
            "NaN",
            "unbounded",
            "never",
            "on",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,14}=[-0-9.a-z]{0,8}",
        "[a-z]{1,6}",
        ".{0,6}",
    ];
    prop::collection::vec(word, 0..40).prop_map(|w| w.join(" "))
}

/// A valid small design with random keys, so runs get past the parser.
fn valid_design() -> impl Strategy<Value = String> {
    let kind = prop::sample::select(vec![
        "service", "cache", "database", "queue", "limiter", "balancer",
    ]);
    let key = prop::sample::select(vec![
        "workers=3",
        "replicas=2",
        "service_ms=0",
        "service_ms=50",
        "queue=0",
        "queue=2",
        "dist=lognormal",
        "dist=const",
        "timeout_ms=5",
        "retry=decorrelated-jitter",
        "attempts=5",
        "budget=0.5",
        "bulkhead=1",
        "breaker=on",
        "breaker_min=1",
        "shed=lifo",
        "shed=deadline",
        "fallback=on",
        "autoscale=on",
        "max_replicas=64",
        "startup_ms=0",
        "mtbf_ms=50",
        "mttr_ms=10",
        "fail=0.5",
        "capacity=1",
        "keys=1",
        "ttl_ms=1",
        "read_replicas=3",
        "writes=1",
        "max_depth=1",
        "full=block",
        "consumers=1",
        "rate=0.001",
        "burst=1",
        "health_ms=1",
        "algorithm=ip-hash",
    ]);
    (kind, prop::collection::vec(key, 0..6), 1.0f64..2_000.0, prop::sample::select(vec!["none", "immediate", "full-jitter"]))
        .prop_map(|(kind, keys, rate, retry)| {
            let valid = CompKind::parse(kind).map_or(&[][..], |k| k.keys());
            let mut keys: Vec<&str> = keys
                .into_iter()
                .filter(|k| valid.iter().any(|p| k.split('=').next() == Some(p.name)))
                .collect();
            keys.sort_unstable();
            keys.dedup_by(|a, b| a.split('=').next() == b.split('=').next());
            let tail = match kind {
                "service" | "balancer" => "; db: database; mid -> db",
                "cache" | "queue" | "limiter" => "; db: database workers=1; mid -> db",
                _ => "; db: database",
            };
            format!(
                "users: clients rate={rate} deadline_ms=200 retry={retry} attempts=3 backoff_ms=1; mid: {kind} {}; users -> mid{tail}; at 150: crash mid; at 300: restart mid; at 320: slow db 5",
                keys.join(" ")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128)
    ))]

    #[test]
    fn hostile_design_text_never_panics_and_errors_are_one_line(text in design_text()) {
        let pairs = vec![("design".to_string(), text), ("duration_ms".to_string(), "500".to_string())];
        match sim::create("system", &pairs, 1) {
            Ok(mut s) => {
                s.run_to_end(20_000);
                check_metrics("system", &s.metrics())?;
            }
            Err(e) => {
                prop_assert!(!e.0.contains('\n'), "multi-line error: {}", e.0);
                prop_assert!(e.0.chars().count() < 700, "error too long: {}", e.0);
            }
        }
    }

    #[test]
    fn random_valid_designs_run_and_keep_their_metrics_in_range(text in valid_design(), seed in any::<u64>(), acts in prop::collection::vec(0u8..6, 0..4)) {
        let pairs = vec![("design".to_string(), text.clone()), ("duration_ms".to_string(), "600".to_string())];
        let mut s = match sim::create("system", &pairs, seed) {
            Ok(s) => s,
            Err(e) => {
                // Only cross-key rules may refuse a design built from valid keys.
                prop_assert!(e.0.contains("autoscaling") || e.0.contains("downstream"), "{text}: {}", e.0);
                return Ok(());
            }
        };
        for a in acts {
            s.run_to_end(500);
            let cmd = match a {
                0 => "do:slow:db:3",
                1 => "do:fail:db:1",
                2 => "crash:2",
                3 => "restart:2",
                4 => "cut:1",
                _ => "heal:1",
            };
            let _ = s.apply(&Command::parse(cmd).expect("valid command"));
        }
        prop_assert!(s.run_to_end(5_000_000), "{text} ends");
        let m = s.metrics();
        check_metrics("system", &m)?;
        prop_assert_eq!(m.num("in_flight"), Some(0.0), "every request ended: {}", text);
        let again = replay::replay("system", &pairs, seed, s.log(), Some(s.mark()));
        prop_assert_eq!(again.map(|a| a.trace_hash()).ok(), Some(s.trace_hash()));
    }
}
