//! Property test of the widget state (the trust issue's mechanism): random sequences of what a
//! reader does (live and setup changes, valid and invalid values, reset, new seeds, cuts, crashes,
//! actions, playing) on every scenario. After every action:
//! - the values the controls show (the session's params) equal a model of what the reader set:
//!   a refused value changes nothing, a setup change keeps every live change, reset keeps all;
//! - the Share permalink, parsed back the way the widget page parses it and replayed, gives the
//!   same parameters, seed, fingerprint, playhead and chart series.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use systems_sandbox::route::Route;
use systems_sandbox::session::{link, Change, Session};
use systems_sandbox::sim::command::Command;
use systems_sandbox::sim::params::{Kind, ParamSpec};
use systems_sandbox::sim::{self, Time};

/// What a reader does; indices are taken modulo what the scenario offers.
#[derive(Clone, Debug)]
enum Act {
    Set {
        param: usize,
        pick: u32,
        bad: bool,
    },
    Reset,
    Seed(u64),
    Run(u64),
    Step(u8),
    Cut(u32),
    Crash(u32),
    Action(usize),
    /// Scrub back to this share (percent) of the current time.
    Scrub(u8),
    StepBack,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (any::<usize>(), any::<u32>(), prop::bool::weighted(0.2))
            .prop_map(|(param, pick, bad)| Act::Set { param, pick, bad }),
        1 => Just(Act::Reset),
        1 => (0u64..50).prop_map(Act::Seed),
        3 => (1u64..400).prop_map(Act::Run),
        1 => (1u8..20).prop_map(Act::Step),
        1 => (0u32..8).prop_map(Act::Cut),
        1 => (0u32..8).prop_map(Act::Crash),
        1 => any::<usize>().prop_map(Act::Action),
        1 => (0u8..100).prop_map(Act::Scrub),
        1 => Just(Act::StepBack),
    ]
}

/// A value for a parameter: valid but small enough to keep runs short, or plainly invalid.
fn value_for(p: &ParamSpec, pick: u32, bad: bool) -> String {
    if bad {
        return ["abc", "-5", "1e999", ""][pick as usize % 4].to_string();
    }
    match p.kind {
        Kind::Int { min, max } => (min + i64::from(pick) % (max - min + 1).min(12)).to_string(),
        Kind::Float { min, max } => {
            let hi = max.min(min + 100.0);
            let x = min + (hi - min) * f64::from(pick % 101) / 100.0;
            format!("{}", (x * 100.0).round() / 100.0)
        }
        Kind::MsOrNever { .. } if pick % 3 == 0 => "never".to_string(),
        Kind::MsOrNever { max } => (u64::from(pick % 3000) as f64).min(max).to_string(),
        Kind::Choice(c) => c[pick as usize % c.len()].to_string(),
        Kind::Text { .. } => p.default.to_string(),
    }
}

fn shown(s: &Session) -> Vec<(&'static str, String)> {
    s.params()
        .iter()
        .map(|(n, v)| (*n, v.to_string()))
        .collect()
}

/// Share the run, open the link as the widget page does, replay it: it must be the same run.
fn check_permalink(s: &Session) -> Result<(), TestCaseError> {
    let url = s.run_state().permalink("https://example.org/sandbox/");
    let hash = url.split_once('#').map(|(_, h)| h).unwrap_or("");
    let Route::Widget(r) = Route::parse(hash) else {
        return Err(TestCaseError::fail(format!("not a widget link: {url}")));
    };
    let o = link::open(&r).map_err(TestCaseError::fail)?;
    prop_assert!(
        o.notices.is_empty(),
        "the link dropped something: {:?}",
        o.notices
    );
    let again = o.build().map_err(TestCaseError::fail)?;
    prop_assert_eq!(shown(&again), shown(s), "{}", url);
    prop_assert_eq!(again.seed(), s.seed());
    prop_assert_eq!(again.sim().mark(), s.sim().mark());
    prop_assert_eq!(again.sim().trace_hash(), s.sim().trace_hash(), "{}", url);
    prop_assert_eq!(again.series(), s.series());
    Ok(())
}

/// Set one parameter and hold the model to what the session says it did.
fn set(
    s: &mut Session,
    p: &ParamSpec,
    v: &str,
    model: &mut Vec<(&'static str, String)>,
) -> Result<(), TestCaseError> {
    match s.set_param(p.name, v) {
        Change::Rejected(e) => {
            prop_assert!(!e.is_empty());
            prop_assert_eq!(
                &shown(s),
                &*model,
                "a refused `{}={}` changed the settings",
                p.name,
                v
            );
        }
        Change::Unchanged => prop_assert_eq!(&shown(s), &*model),
        Change::Applied(note) => {
            let want = p.parse(v).map_err(TestCaseError::fail)?.to_string();
            for slot in model.iter_mut().filter(|(n, _)| *n == p.name) {
                slot.1 = want.clone();
            }
            if note.is_some() {
                // A fix-up adjusted other settings and said so; take them as shown.
                *model = shown(s);
            }
            prop_assert_eq!(&shown(s), &*model, "after `{}={}`", p.name, v);
        }
    }
    Ok(())
}

fn apply(
    s: &mut Session,
    a: &Act,
    model: &mut Vec<(&'static str, String)>,
) -> Result<(), TestCaseError> {
    let spec = s.sim().spec();
    // After a rewind, moving forward re-applies the interventions that lay ahead (live settings
    // among them): the model takes them as the run shows them.
    let replaying = !s.future().is_empty() && matches!(a, Act::Run(_) | Act::Step(_));
    match a {
        Act::Set { param, pick, bad } => {
            let p = &spec.params[param % spec.params.len()];
            set(s, p, &value_for(p, *pick, *bad), model)?;
        }
        Act::Reset => s.reset(),
        Act::Seed(n) => {
            let _ = s.set_seed(*n);
            prop_assert_eq!(s.seed(), *n);
        }
        Act::Run(ms) => s.run_until(s.sim().now().plus_us(ms * 1000)),
        Act::Step(k) => {
            for _ in 0..*k {
                s.step();
            }
        }
        Act::Cut(l) => {
            let _ = s.apply(&Command::Cut(*l));
        }
        Act::Crash(n) => {
            let _ = s.apply(&Command::Crash(*n));
        }
        Act::Action(i) if !spec.actions.is_empty() => {
            let (text, _) = spec.actions[i % spec.actions.len()];
            match Command::parse(text).unwrap_or_else(|_| Command::Do(text.to_string())) {
                // A button that sets a parameter is a parameter change like any other.
                Command::Set { key, value } => match spec.params.iter().find(|p| p.name == key) {
                    Some(p) => set(s, p, &value, model)?,
                    None => {
                        return Err(TestCaseError::fail(format!("button sets unknown `{key}`")))
                    }
                },
                cmd => {
                    let _ = s.apply(&cmd);
                }
            }
        }
        Act::Action(_) => {}
        // Going back in time shows the settings in force then (a live change made later is not
        // in force yet): the model follows what the run shows, and the permalink check below
        // holds the rest.
        Act::Scrub(pct) => {
            let t = Time(s.sim().now().0 / 100 * u64::from(*pct));
            s.scrub(t).map_err(TestCaseError::fail)?;
            prop_assert!(s.sim().now() <= t.max(s.sim().now()));
            *model = shown(s);
        }
        Act::StepBack => {
            let n = s.sim().events();
            s.step_back().map_err(TestCaseError::fail)?;
            prop_assert_eq!(s.sim().events(), n.saturating_sub(1));
            *model = shown(s);
        }
    }
    if replaying {
        *model = shown(s);
    }
    prop_assert_eq!(&shown(s), &*model, "after {:?}", a);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn controls_engine_and_permalink_agree(
        which in 0usize..sim::SCENARIOS.len(),
        seed in 0u64..100,
        acts in prop::collection::vec(act(), 1..10),
    ) {
        let spec = sim::SCENARIOS[which];
        let mut s = Session::new(spec.name, &[], seed).map_err(TestCaseError::fail)?;
        let mut model = shown(&s);
        for a in &acts {
            apply(&mut s, a, &mut model)?;
            prop_assert!(s.sim().now() < Time::from_ms(60_000));
            check_permalink(&s)?;
        }
    }
}

/// 48 cases in CI; `PROPTEST_CASES=N` for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}
