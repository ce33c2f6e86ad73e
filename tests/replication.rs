//! Theory the replication scenario must reproduce (the five statements), natively over
//! seed sweeps. Each statement is about every seed ("on every seed") or about at least one seed
//! ("on some seeds"); where a count is asserted to be positive, it is summed over the sweep, so
//! sampling error can only make it larger than the rare-event minimum we need (one).

use systems_sandbox::sim::{create, Scenario};

fn run(args: &str, seed: u64) -> Box<dyn Scenario> {
    let pairs: Vec<(String, String)> = args
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut s = create("replication", &pairs, seed).expect("valid parameters");
    assert!(
        s.run_to_end(20_000_000),
        "{args} seed {seed} did not finish"
    );
    s
}

fn num(s: &dyn Scenario, key: &str) -> f64 {
    s.metrics().num(key).unwrap_or(f64::NAN)
}

/// The checker's verdict: "yes", "no" or "undecided".
fn verdict(s: &dyn Scenario) -> &'static str {
    s.metrics().word_of("linearizable").unwrap_or("missing")
}

const SEEDS: std::ops::Range<u64> = 1..21;

#[test]
fn overlapping_quorums_never_read_stale_and_small_ones_do() {
    // r + w > n, no partition: a read quorum always meets the last acknowledged write's quorum.
    for seed in SEEDS {
        for q in ["r=2 w=2", "r=3 w=1", "r=1 w=3", "n=5 r=3 w=3 clients=5"] {
            let s = run(&format!("{q} latency_dist=exp ops=300"), seed);
            assert_eq!(num(&*s, "stale_reads"), 0.0, "{q} seed {seed}");
        }
    }
    // r + w <= n with replication lag (replica links 10 ms, client links 2 ms).
    let stale: Vec<f64> = SEEDS
        .map(|seed| num(&*run("r=1 w=1", seed), "stale_reads"))
        .collect();
    let some = stale.iter().filter(|&&x| x > 0.0).count();
    assert!(some >= 10, "r=1 w=1 stale reads per seed: {stale:?}");
}

#[test]
fn cp_minority_refuses_and_never_reads_stale() {
    let args = "mode=cp partition=0|1,2 partition_at_ms=200 heal_at_ms=3000";
    let mut concurrent = 0.0;
    for seed in SEEDS {
        let s = run(args, seed);
        let avail = num(&*s, "availability");
        assert!(
            avail < 1.0 && avail > 0.5,
            "seed {seed}: availability {avail}"
        );
        assert_eq!(num(&*s, "stale_reads"), 0.0, "seed {seed}");
        assert_eq!(verdict(&*s), "yes", "seed {seed}");
        // The cut-off replica cannot gather R = 2 context replies, so it creates no version
        // while split and nothing is merged in from across it:
        // what the majority loses, it loses to its own overlapping writes.
        assert_eq!(num(&*s, "lost_in_reconcile"), 0.0, "seed {seed}");
        concurrent += num(&*s, "lost_concurrent");
    }
    assert!(concurrent > 0.0, "majority-side races: {concurrent}");
}

#[test]
fn a_majority_side_race_during_a_partition_is_concurrent() {
    // The CAP lesson's cp run loses write 114 (c1 via r1, 3.764-3.820 s) to write 115 (c2
    // via r2, 3.778-3.825 s): both on the majority side, overlapping, both written over 113.
    let cap =
        "mode=cp partition=0|1,2 partition_at_ms=1000 heal_at_ms=4000 ops=300 keys=5 think_ms=60";
    // The quorums lesson's partition run: write 85 (r1) to write 86 (r2), the same way.
    let quorums = "partition=0|1,2 partition_at_ms=500 heal_at_ms=5000 ops=100 keys=5";
    for (args, seed) in [(cap, 2), (quorums, 3)] {
        let s = run(args, seed);
        assert_eq!(num(&*s, "lost_in_reconcile"), 0.0, "{args} seed {seed}");
        assert_eq!(num(&*s, "lost_concurrent"), 1.0, "{args} seed {seed}");
    }
}

#[test]
fn small_quorums_lose_writes_the_next_writer_never_saw() {
    // R = W = 1, no partition: a write begun after another was acknowledged reads only its
    // own replica, which the other has not reached yet; LWW then discards the older one on
    // every replica. Divergence, not a race: counted in reconciliation.
    let reconcile: f64 = SEEDS
        .map(|seed| num(&*run("r=1 w=1 ops=300", seed), "lost_in_reconcile"))
        .sum();
    assert!(
        reconcile >= 20.0,
        "r=1 w=1 lost in reconciliation: {reconcile}"
    );
}

#[test]
fn refused_writes_stored_on_the_minority_can_win_after_the_heal() {
    // cp with R = 1, W = 2: the cut-off replica reads only itself, so it creates versions for
    // writes it then refuses; after the heal its newer timestamps beat writes the majority
    // acknowledged. With R = 2 it creates none (the cp test above): nothing lost that way.
    let args =
        "mode=cp r=1 w=2 partition=0|1,2 partition_at_ms=200 heal_at_ms=3000 anti_entropy_ms=500";
    let reconcile: f64 = SEEDS
        .map(|seed| num(&*run(args, seed), "lost_in_reconcile"))
        .sum();
    assert!(reconcile > 0.0, "lost to refused writes: {reconcile}");
}

#[test]
fn ap_stays_available_lww_loses_updates_in_reconciliation_vv_keeps_siblings() {
    let args = "mode=ap partition=0|1,2 partition_at_ms=200 heal_at_ms=3000 anti_entropy_ms=500";
    let mut lost_lww = Vec::new();
    for seed in SEEDS {
        let lww = run(args, seed);
        let vv = run(&format!("{args} conflict=vv"), seed);
        for s in [&lww, &vv] {
            // Every client reaches a coordinator on its own side, so nothing is refused.
            assert_eq!(num(&**s, "availability"), 1.0, "seed {seed}");
            assert_eq!(
                num(&**s, "divergent_keys"),
                0.0,
                "seed {seed}: converged after heal"
            );
        }
        for m in ["lost_in_reconcile", "lost_concurrent"] {
            assert_eq!(
                num(&*vv, m),
                0.0,
                "seed {seed}: siblings keep every write ({m})"
            );
        }
        // The evidence of siblings lasts: at least two were held at some point...
        assert!(num(&*vv, "siblings_max") > 1.0, "seed {seed}");
        // ... while LWW never keeps more than one version.
        assert_eq!(num(&*lww, "siblings_max"), 1.0, "seed {seed}");
        lost_lww.push(num(&*lww, "lost_in_reconcile"));
    }
    // Not on every seed: a race on the majority side is concurrent, and the first write
    // after the heal may read both sides' versions and be written over both, keeping both.
    let some = lost_lww.iter().filter(|&&x| x > 0.0).count();
    assert!(
        some >= 5,
        "lww lost in reconciliation per seed: {lost_lww:?}"
    );
}

#[test]
fn without_a_partition_lww_loses_only_to_concurrent_writes() {
    // Overlapping quorums and no partition: a write that begins after another was acknowledged
    // reads it in its context, so LWW only discards writes that overlapped their winner.
    let args = "clients=6 think_ms=5 ops=300 latency_dist=exp";
    let mut concurrent = 0.0;
    for seed in SEEDS {
        let lww = run(args, seed);
        assert_eq!(num(&*lww, "lost_in_reconcile"), 0.0, "seed {seed}");
        concurrent += num(&*lww, "lost_concurrent");
        let vv = run(&format!("{args} conflict=vv"), seed);
        assert_eq!(num(&*vv, "lost_in_reconcile"), 0.0, "vv seed {seed}");
        assert_eq!(num(&*vv, "lost_concurrent"), 0.0, "vv seed {seed}");
    }
    assert!(concurrent >= 20.0, "blind writes overwritten: {concurrent}");
}

#[test]
fn plain_quorums_are_not_linearizable_but_abd_is() {
    // Long-tailed latency and no read repair: a write in flight can be seen by one read and
    // missed by a later one (a new-old inversion), although r + w > n.
    let args = "latency_dist=exp clients=5 ops=600 think_ms=5";
    let plain: Vec<&str> = SEEDS
        .map(|seed| verdict(&*run(&format!("{args} read_repair=off"), seed)))
        .collect();
    assert!(plain.contains(&"no"), "plain quorums: {plain:?}");
    for seed in SEEDS {
        for extra in [" read_repair=off", "", " n=5 r=3 w=3"] {
            let s = run(&format!("{args}{extra} write_back=on"), seed);
            assert_eq!(verdict(&*s), "yes", "ABD{extra} seed {seed}");
        }
    }
}

#[test]
fn follower_reads_break_read_your_writes_and_leader_reads_do_not() {
    let mut follower = Vec::new();
    for seed in SEEDS {
        let f = run("scheme=leader w=1 read_from=follower", seed);
        follower.push(num(&*f, "ryw_violations"));
        let l = run("scheme=leader w=1 read_from=leader", seed);
        assert_eq!(num(&*l, "ryw_violations"), 0.0, "leader reads, seed {seed}");
        assert_eq!(num(&*l, "stale_reads"), 0.0, "leader reads, seed {seed}");
    }
    assert!(
        follower.iter().sum::<f64>() >= 5.0,
        "follower reads: {follower:?}"
    );
}

#[test]
fn a_reader_partition_before_play_matches_the_browser_test() {
    // tests/e2e/replication.test.mjs clicks "cut off a minority" before pressing Play on these
    // widgets and expects exactly these verdicts.
    use systems_sandbox::sim::Command;
    for (mode, avail_one, linearizable) in [("cp", false, true), ("ap", true, false)] {
        let pairs = vec![
            ("mode".to_string(), mode.to_string()),
            ("ops".into(), "150".into()),
        ];
        let mut s = create("replication", &pairs, 2).expect("valid");
        s.apply(&Command::Split(vec![vec![0, 3], vec![1, 2, 4, 5]]))
            .expect("split");
        s.run_to_end(10_000_000);
        assert_eq!(num(&*s, "availability") == 1.0, avail_one, "{mode}");
        assert_eq!(verdict(&*s) == "yes", linearizable, "{mode}");
        if mode == "cp" {
            assert_eq!(num(&*s, "stale_reads"), 0.0);
        }
    }
}
