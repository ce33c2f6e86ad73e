//! The session's rules, each on the case a reader met.

use super::*;

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn value(s: &Session, key: &str) -> String {
    s.params()
        .iter()
        .find(|(n, _)| *n == key)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

#[test]
fn a_setup_change_keeps_live_changes_made_mid_run() {
    // CAP: mode=ap while it runs, then conflict=vv under Setup: the run must stay AP.
    let pairs = kv(&[("partition", "0|1,2"), ("partition_at_ms", "1000")]);
    let mut s = Session::new("replication", &pairs, 2).unwrap();
    s.run_until(Time::from_ms(500));
    assert_eq!(s.set_param("mode", "ap"), Change::Applied(None));
    assert_eq!(s.sim().log().len(), 1, "a live change mid-run is logged");
    assert!(matches!(s.set_param("conflict", "vv"), Change::Applied(_)));
    assert_eq!(value(&s, "mode"), "ap");
    assert_eq!(value(&s, "conflict"), "vv");
    assert_eq!(s.sim().now(), Time::ZERO, "a setup change restarts the run");
    assert!(s.sim().log().is_empty());
}

#[test]
fn a_live_change_before_the_first_event_is_setup_not_a_logged_command() {
    let mut s = Session::new("replication", &[], 2).unwrap();
    s.reset();
    assert_eq!(s.set_param("mode", "ap"), Change::Applied(None));
    assert!(s.sim().log().is_empty());
    assert!(s.pairs().contains(&("mode".to_string(), "ap".to_string())));
    // ...so a setup change afterwards keeps it too.
    assert!(matches!(
        s.set_param("timeout_ms", "300"),
        Change::Applied(_)
    ));
    assert_eq!(value(&s, "mode"), "ap");
}

#[test]
fn a_rejected_value_changes_nothing_and_says_why() {
    let mut s = Session::new("topology", &kv(&[("nodes", "6")]), 3).unwrap();
    s.run_until(Time::from_ms(50));
    let before = (s.sim().trace_hash(), s.sim().events(), s.params().clone());
    let rev = s.rev();
    match s.set_param("nodes", "500") {
        Change::Rejected(e) => assert!(e.contains("from 2 to 50"), "{e}"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(
        (s.sim().trace_hash(), s.sim().events(), s.params().clone()),
        before
    );
    assert!(
        s.rev() > rev,
        "views must re-read the controls after a rejection"
    );
    assert_eq!(s.set_param("nodes", "6"), Change::Unchanged);
}

#[test]
fn reset_and_new_seed_keep_settings_and_drop_interventions() {
    let mut s = Session::new("topology", &kv(&[("nodes", "6")]), 3).unwrap();
    s.run_until(Time::from_ms(100));
    s.apply(&Command::Cut(0)).unwrap();
    assert_eq!(s.set_param("loss", "0.2"), Change::Applied(None));
    s.reset();
    assert!(s.sim().log().is_empty());
    assert_eq!(value(&s, "loss"), "0.2");
    assert_eq!(value(&s, "nodes"), "6");
    assert!(matches!(s.set_seed(11), Change::Applied(_)));
    assert_eq!((s.seed(), value(&s, "loss")), (11, "0.2".to_string()));
}

#[test]
fn the_fingerprint_differs_between_widgets_before_the_first_event() {
    let a = Session::new("topology", &[], 1).unwrap();
    let b = Session::new("topology", &kv(&[("nodes", "6")]), 1).unwrap();
    let c = Session::new("topology", &[], 2).unwrap();
    let d = Session::new("cache", &[], 1).unwrap();
    let hashes = [a, b, c, d].map(|s| s.sim().trace_hash());
    for i in 0..4 {
        for j in i + 1..4 {
            assert_ne!(
                hashes[i], hashes[j],
                "widgets {i} and {j} share a fingerprint"
            );
        }
    }
}

#[test]
fn charts_are_sampled_by_simulated_time_whatever_the_stepping() {
    let pairs = kv(&[("requests", "300")]);
    let mut whole = Session::new("topology", &pairs, 5).unwrap();
    whole.run_to_end(u64::MAX);
    let mut frames = Session::new("topology", &pairs, 5).unwrap();
    let mut t = 0;
    while !frames.sim().is_done() {
        t += 7; // an odd frame length, in ms
        frames.run_until(Time::from_ms(t));
    }
    let mut single = Session::new("topology", &pairs, 5).unwrap();
    while single.step() {}
    assert!(whole.series().points.len() > 20);
    assert_eq!(whole.series(), frames.series());
    assert_eq!(whole.series(), single.series());
    assert_eq!(whole.sim().trace_hash(), frames.sim().trace_hash());
}

#[test]
fn a_replay_rebuilds_the_charts_and_the_fingerprint() {
    let mut s = Session::new("topology", &kv(&[("requests", "200")]), 4).unwrap();
    s.run_until(Time::from_ms(300));
    s.apply(&Command::Cut(1)).unwrap();
    s.step();
    assert_eq!(s.set_param("loss", "0.1"), Change::Applied(None));
    s.run_until(Time::from_ms(900));
    let st = s.run_state();
    let again = Session::replay(st.kind, st.pairs, st.seed, st.log, Some(st.at)).unwrap();
    assert_eq!(again.sim().trace_hash(), s.sim().trace_hash());
    assert_eq!(again.series(), s.series());
    assert_eq!(again.params(), s.params());
}

#[test]
fn a_choice_that_needs_another_setting_fixes_it_and_says_so() {
    // Caching: choosing ttl invalidation while ttl_ms=0, mid-run (both are live settings).
    let mut s = Session::new("cache", &[], 1).unwrap();
    s.run_until(Time::from_ms(200));
    match s.set_param("invalidation", "ttl") {
        Change::Applied(Some(note)) => assert!(note.contains("300"), "{note}"),
        other => panic!("expected a fix-up, got {other:?}"),
    }
    assert_eq!(value(&s, "invalidation"), "ttl");
    assert_eq!(value(&s, "ttl_ms"), "300");
    assert!(s.sim().now() > Time::ZERO, "live settings: the run goes on");
    // Before the run starts, the same choice is a setup change, fixed up the same way.
    let mut fresh = Session::new("cache", &[], 1).unwrap();
    assert!(matches!(
        fresh.set_param("invalidation", "ttl"),
        Change::Applied(Some(_))
    ));
    assert_eq!(value(&fresh, "ttl_ms"), "300");
    // Replication: r above n is fixed by raising n (a setup setting), which restarts the run.
    let mut r = Session::new("replication", &[], 1).unwrap();
    r.run_until(Time::from_ms(100));
    match r.set_param("r", "5") {
        Change::Applied(Some(note)) => assert!(note.contains("restarted"), "{note}"),
        other => panic!("expected a fix-up, got {other:?}"),
    }
    assert_eq!(
        (value(&r, "r"), value(&r, "n")),
        ("5".to_string(), "5".to_string())
    );
}

#[test]
fn scrubbing_back_and_forth_is_the_same_run_until_the_reader_forks_it() {
    let pairs = kv(&[("requests", "150"), ("loss", "0.05")]);
    let mut s = Session::new("topology", &pairs, 6).unwrap();
    s.run_until(Time::from_ms(800));
    s.apply(&Command::Cut(1)).unwrap();
    s.run_until(Time::from_ms(2_000));
    assert_eq!(s.set_param("loss", "0.2"), Change::Applied(None));
    s.run_to_end(u64::MAX);
    let (hash, log, series, end) = (
        s.sim().trace_hash(),
        s.sim().log().to_vec(),
        s.series().clone(),
        s.sim().now(),
    );
    // Back to 500 ms: both interventions wait in the future; forward again: the same run.
    s.scrub(Time::from_ms(500)).unwrap();
    assert_eq!(s.sim().now(), Time::from_ms(500));
    assert_eq!((s.sim().log().len(), s.future().len()), (0, 2));
    assert_eq!(s.reach(), end);
    s.run_to_end(u64::MAX);
    assert_eq!(s.sim().trace_hash(), hash);
    assert_eq!(s.sim().log(), &log[..]);
    assert_eq!(s.series(), &series);
    // One event back, then forward: the same again.
    let n = s.sim().events();
    s.step_back().unwrap();
    assert_eq!(s.sim().events(), n - 1);
    s.run_to_end(u64::MAX);
    assert_eq!(s.sim().trace_hash(), hash);
    // Back to 1,500 ms and crash a node: the run forks, the later interventions are gone.
    s.scrub(Time::from_ms(1_500)).unwrap();
    assert_eq!((s.sim().log().len(), s.future().len()), (1, 1));
    s.apply(&Command::Crash(2)).unwrap();
    assert!(s.future().is_empty());
    s.run_to_end(u64::MAX);
    assert_ne!(s.sim().trace_hash(), hash);
    assert_eq!(s.sim().log().len(), 2);
}
