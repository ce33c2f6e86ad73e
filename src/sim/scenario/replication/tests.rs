//! Unit tests: parameter checking, partitions, and small runs with known outcomes.

use crate::sim::command::Command;
use crate::sim::scenario::{create, Scenario};

fn run(pairs: &[(&str, &str)], seed: u64) -> Box<dyn Scenario> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("replication", &pairs, seed).unwrap();
    assert!(s.run_to_end(50_000_000), "run did not finish");
    s
}

fn err(pairs: &[(&str, &str)]) -> String {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    create("replication", &pairs, 1)
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
}

#[test]
fn bad_params_name_key_value_and_range() {
    assert_eq!(
        err(&[("r", "4")]),
        "`r=4` is not valid: expected a whole number from 1 to n=3"
    );
    assert!(err(&[("n", "5"), ("w", "6")]).contains("`w=6`"));
    assert!(err(&[("n", "10")]).contains("from 1 to 9"));
    let e = err(&[("partition", "0,1|7")]);
    assert!(
        e.contains("`partition=0,1|7`") && e.contains("numbered 0 to 2"),
        "{e}"
    );
    assert!(err(&[("partition", "0|0,1")]).contains("named twice"));
    assert!(err(&[("partition", "zero")]).contains("replica groups"));
    assert!(err(&[("mode", "ca")]).contains("one of cp, ap"));
}

#[test]
fn defaults_run_and_answer_everything() {
    let s = run(&[], 1);
    let m = s.metrics();
    assert_eq!(m.num("requests"), Some(200.0));
    assert_eq!(m.num("succeeded"), Some(200.0));
    assert_eq!(m.num("availability"), Some(1.0));
    assert_eq!(m.num("stale_reads"), Some(0.0));
    assert_eq!(m.num("divergent_keys"), Some(0.0));
    assert_eq!(m.word_of("linearizable"), Some("yes"));
    assert_eq!(m.num("lost_in_reconcile"), Some(0.0));
    // Version vectors keep concurrent writes as siblings: nothing acknowledged is lost.
    let vv = run(&[("conflict", "vv")], 1);
    assert_eq!(vv.metrics().num("lost_in_reconcile"), Some(0.0));
    assert_eq!(vv.metrics().num("lost_concurrent"), Some(0.0));
}

#[test]
fn partition_param_splits_and_heals_on_schedule() {
    let p = [
        ("partition", "0|1,2"),
        ("partition_at_ms", "500"),
        ("heal_at_ms", "2000"),
        ("anti_entropy_ms", "200"),
    ];
    let pairs: Vec<(String, String)> = p
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("replication", &pairs, 2).unwrap();
    s.run_until(crate::sim::Time::from_ms(1000));
    assert!(
        s.snapshot().nodes.iter().any(|n| n.group != 0),
        "split at 500 ms"
    );
    s.run_until(crate::sim::Time::from_ms(2500));
    assert!(
        s.snapshot().nodes.iter().all(|n| n.group == 0),
        "healed at 2000 ms"
    );
    s.run_to_end(u64::MAX);
    let m = s.metrics();
    assert!(m.num("failed").unwrap() > 0.0);
    assert_eq!(m.num("divergent_keys"), Some(0.0));
    assert!(m.num("convergence_ms").unwrap() >= 0.0);
}

#[test]
fn reader_split_and_live_changes() {
    let mut s = create("replication", &[("mode".into(), "ap".into())], 3).unwrap();
    s.run_until(crate::sim::Time::from_ms(300));
    s.apply(&Command::Split(vec![vec![0, 3], vec![1, 2, 4, 5]]))
        .unwrap();
    s.apply(&Command::Set {
        key: "r".into(),
        value: "1".into(),
    })
    .unwrap();
    let e = s
        .apply(&Command::Set {
            key: "w".into(),
            value: "4".into(),
        })
        .unwrap_err();
    assert!(e.contains("from 1 to n=3"), "{e}");
    let e = s
        .apply(&Command::Set {
            key: "n".into(),
            value: "5".into(),
        })
        .unwrap_err();
    assert!(e.contains("cannot change"), "{e}");
    s.run_until(crate::sim::Time::from_ms(2000));
    s.apply(&Command::Unsplit).unwrap();
    s.run_to_end(u64::MAX);
    let m = s.metrics();
    assert_eq!(m.num("availability"), Some(1.0));
}
