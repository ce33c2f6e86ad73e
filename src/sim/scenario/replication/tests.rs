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

fn view(s: &dyn Scenario) -> super::ReplicationView {
    match s.snapshot().extra {
        crate::sim::snapshot::Extra::Replication(v) => *v,
        _ => panic!("replication view expected"),
    }
}

#[test]
fn the_timeline_keeps_every_recorded_operation_and_shares_unchanged_chunks() {
    let pairs = [
        ("ops".to_string(), "1000".to_string()),
        ("partition".into(), "0|1,2".into()),
        ("partition_at_ms".into(), "200".into()),
        ("heal_at_ms".into(), "2000".into()),
    ];
    let mut s = create("replication", &pairs, 4).unwrap();
    s.run_until(crate::sim::Time::from_ms(3000));
    let (a, b) = (view(s.as_ref()), view(s.as_ref()));
    assert_eq!(a.log, b.log, "nothing changed: every chunk shared");
    s.run_to_end(u64::MAX);
    let v = view(s.as_ref());
    assert!(
        a.log.same_chunk(&v.log, 0),
        "a finished chunk is not rebuilt"
    );
    assert_eq!(v.log.len(), 1000);
    let ids: Vec<u64> = v.log.window(0, 30).map(|b| b.id).collect();
    assert_eq!(ids, (0..30).collect::<Vec<u64>>());
    // The failures of the partition are still there at the end, long out of the newest 30.
    let failed: Vec<u64> = v
        .log
        .window(0, 1000)
        .filter(|b| b.status == super::BarStatus::Failed)
        .map(|b| b.id)
        .collect();
    assert!(
        !failed.is_empty() && failed.iter().all(|&id| id < 970),
        "{failed:?}"
    );
    assert!(v.log.get(999).is_some() && v.log.get(1000).is_none());
}

#[test]
fn the_replica_table_counts_the_keys_it_does_not_show() {
    let s = run(&[("keys", "6"), ("ops", "20")], 1);
    let v = view(s.as_ref());
    assert!(v
        .replicas
        .iter()
        .all(|r| r.keys.len() == 4 && r.more_keys == 2));
    let s = run(&[("keys", "3"), ("ops", "20")], 1);
    assert!(view(s.as_ref()).replicas.iter().all(|r| r.more_keys == 0));
}
