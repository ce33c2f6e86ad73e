//! Determinism: every scenario gives the same trace twice over a seed sweep, different seeds give
//! different traces, and the golden digests (shared with the browser test) still hold.

use systems_sandbox::sim::{self, replay};

const GOLDEN: &str = include_str!("golden/traces.txt");

fn cases() -> Vec<(String, String)> {
    GOLDEN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(" => ")
                .map(|(d, h)| (d.trim().to_string(), h.trim().to_string()))
        })
        .collect()
}

#[test]
fn each_scenario_twice_gives_the_same_trace() {
    for spec in sim::SCENARIOS {
        let mut digests = Vec::new();
        for seed in 0..20u64 {
            let run = |s| {
                let mut sc = sim::create(spec.name, &[], s).expect("defaults are valid");
                sc.run_to_end(u64::MAX);
                (sc.trace_hash(), sc.metrics(), sc.events())
            };
            let (a, b) = (run(seed), run(seed));
            assert_eq!(a, b, "{} seed {seed} is not deterministic", spec.name);
            assert!(a.2 > 0, "{} seed {seed} processed no events", spec.name);
            digests.push(a.0);
        }
        digests.sort_unstable();
        digests.dedup();
        assert_eq!(
            digests.len(),
            20,
            "{}: different seeds should give different traces",
            spec.name
        );
    }
}

#[test]
fn golden_traces_hold() {
    let cases = cases();
    assert!(cases.len() >= 3, "golden file has too few cases");
    let mut updated = String::new();
    let mut wrong = Vec::new();
    for (desc, want) in &cases {
        let got = format!(
            "{:016x}",
            replay::run_line(desc)
                .expect("golden case runs")
                .trace_hash()
        );
        let again = format!(
            "{:016x}",
            replay::run_line(desc)
                .expect("golden case runs")
                .trace_hash()
        );
        assert_eq!(got, again, "{desc} is not deterministic");
        if &got != want {
            wrong.push(format!("{desc}: golden {want}, got {got}"));
        }
        updated += &format!("{desc} => {got}\n");
    }
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        let header: String = GOLDEN
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/traces.txt"),
            header + &updated,
        )
        .expect("write golden file");
        return;
    }
    assert!(
        wrong.is_empty(),
        "trace digests changed:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_system_design_is_one_run_on_lines_with_semicolons_and_through_a_url() {
    use systems_sandbox::route::{decode, encode};
    let lines = "users: clients rate=200 deadline_ms=500\n  api: service workers=2 service_ms=5\n\nusers -> api\nat 2000: slow api 3";
    let semis = "users: clients rate=200 deadline_ms=500; api: service workers=2 service_ms=5; users -> api; at 2000: slow api 3";
    let run = |design: &str| {
        let pairs = vec![("design".to_string(), design.to_string())];
        let mut s = sim::create("system", &pairs, 4).expect("valid design");
        s.run_to_end(u64::MAX);
        (s.trace_hash(), s.params().text("design").to_string())
    };
    let (a, kept) = run(lines);
    assert_eq!(
        kept, semis,
        "a design is kept on one line with `; ` between statements"
    );
    assert_eq!(run(semis).0, a);
    let through_url = decode(&encode(&kept));
    assert_eq!(run(&through_url), (a, kept), "the design survives a URL");
}
