//! Judging a challenge: goals decided at the end, kept settings and design parts, intervention
//! counts, seeds.

use super::*;
use crate::content::{parse_challenge, parse_step};
use crate::session::Session;

fn spec() -> WidgetSpec {
    WidgetSpec::new(
        "topology",
        vec![("requests".into(), "100".into())],
        Some("3"),
    )
    .unwrap()
}

fn run(body: &str) -> Facts {
    let step = parse_step("try X", body).unwrap();
    Session::from_step(&spec(), &step).unwrap().facts()
}

#[test]
fn goals_count_only_at_the_end_and_rules_are_checked() {
    let c = parse_challenge(
        "challenge Cut one link",
        "goal delivered > 0\nkeep all except loss\nkeep nodes=5\nact cut = 1\nsolution S\nat 0 cut:0\nrun end",
    )
    .unwrap();
    let spec = spec();
    c.check_keys(&spec).unwrap();
    let v = c.judge(&spec, &run("at 0 cut:0\nrun end"));
    assert!(v.met(), "{v:?}");
    assert_eq!(c.keep_text(0, &spec), "Change only loss");
    assert_eq!(c.keep_text(1, &spec), "Nodes stays 5");
    // Not ended: the goals are not decided yet.
    let v = c.judge(&spec, &run("at 0 cut:0\nrun 50"));
    assert!(!v.done && !v.met() && v.rules_kept());
    // A setting changed, and no cut.
    let v = c.judge(&spec, &run("set rate=20\nrun end"));
    assert_eq!(v.keeps[0].ok, Some(false));
    assert_eq!(v.keeps[0].now, "now rate is 20");
    assert_eq!(v.keeps[1].ok, Some(true));
    assert_eq!(v.acts[0].ok, Some(false));
    assert!(!v.met());
    // A live change after the start counts as a changed setting too.
    let v = c.judge(&spec, &run("at 10 set:loss=0.5\nat 10 cut:0\nrun end"));
    assert!(v.rules_kept(), "{v:?}");
    let v = c.judge(&spec, &run("at 10 set:rate=30\nat 10 cut:0\nrun end"));
    assert!(!v.rules_kept(), "{v:?}");
}

#[test]
fn unknown_keys_and_metrics_are_named() {
    let c = parse_challenge(
        "challenge T",
        "goal nope = 1\nkeep colour\nsolution S\nrun end",
    )
    .unwrap();
    let e = c.check_keys(&spec()).unwrap_err();
    assert!(
        e.contains("`topology` has no such setting; settings: nodes"),
        "{e}"
    );
    let v = c.judge(&spec(), &run("run end"));
    assert_eq!(v.goals[0].ok, None);
}

#[test]
fn a_design_part_kept_is_judged_on_the_design_the_run_has() {
    let spec = WidgetSpec::new(
        "system",
        vec![(
            "design".into(),
            "users: clients rate=50\napi: service\nusers -> api\nat 500: crash api".into(),
        )],
        Some("1"),
    )
    .unwrap();
    let c = parse_challenge(
        "challenge T",
        "goal availability >= 0\nkeep design users.rate\nkeep design faults\nkeep design api\nsolution S\nrun end",
    )
    .unwrap();
    c.check_keys(&spec).unwrap();
    assert_eq!(c.keep_text(0, &spec), "The rate of users stays 50");
    assert_eq!(c.keep_text(1, &spec), "The timed faults stay as they are");
    let facts = |design: &str| {
        let body: Vec<String> = design.lines().map(|l| format!("design {l}")).collect();
        let step = parse_step("try X", &body.join("\n")).unwrap();
        Session::from_step(&spec, &step).unwrap().facts()
    };
    let v = c.judge(
        &spec,
        &facts("users: clients rate=50\napi: service workers=2\nusers -> api\nat 500: crash api"),
    );
    let kept: Vec<Option<bool>> = v.keeps.iter().map(|l| l.ok).collect();
    assert_eq!(kept, [Some(true), Some(true), Some(false)]);
    assert_eq!(v.keeps[2].now, "now the api changed");
    let v = c.judge(
        &spec,
        &facts("users: clients rate=90\napi: service\nusers -> api"),
    );
    assert_eq!(v.keeps[0].now, "now users.rate is 90");
    assert_eq!(v.keeps[1].ok, Some(false));
    let bad = parse_challenge(
        "challenge T",
        "goal x = 1\nkeep design db\nsolution S\nrun end",
    )
    .unwrap();
    assert!(bad
        .check_keys(&spec)
        .unwrap_err()
        .contains("`db` is not a component"));
    assert!(bad
        .check_keys(&super::tests::spec())
        .unwrap_err()
        .contains("only a system widget"));
}

#[test]
fn seeds_run_on_from_the_runs_own() {
    let c = parse_challenge(
        "challenge T",
        "goal delivered > 0\nseeds 3\nsolution S\nrun end",
    )
    .unwrap();
    let f = run("run end");
    let r = c.try_seeds(&spec(), &f, 3);
    let seeds: Vec<u64> = r.iter().map(|(s, _)| *s).collect();
    assert_eq!(seeds, vec![3, 4, 5]);
    assert!(r.iter().all(|(_, v)| v.as_ref().is_ok_and(|v| v.met())));
    assert_eq!(c.seeds_to_try(), 3);
}
