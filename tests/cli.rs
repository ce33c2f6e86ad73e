//! The command-line contract: `sandbox list [--json]` and `sandbox run ... --json`, identical
//! output on every run, and exit status 2 with one clear stderr line for every bad invocation.

#![cfg(not(target_arch = "wasm32"))]
use std::process::Command;

fn sandbox(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(args)
        .output()
        .expect("run sandbox");
    let code = out.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn list_json_describes_every_scenario() {
    let (code, out, _) = sandbox(&["list", "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let arr = v.as_array().expect("array");
    let topo = arr
        .iter()
        .find(|s| s["scenario"] == "topology")
        .expect("topology listed");
    let params = topo["params"].as_array().expect("params");
    for p in params {
        assert!(
            p["name"].is_string() && p["default"].is_string() && p["help"].is_string(),
            "{p}"
        );
    }
    assert!(params
        .iter()
        .any(|p| p["name"] == "loss" && p["default"] == "0"));
    let (code, text, _) = sandbox(&["list"]);
    assert_eq!(code, 0);
    assert!(text.contains("topology") && text.contains("latency_ms"));
}

#[test]
fn run_json_has_the_documented_fields_and_is_repeatable() {
    let args = ["run", "topology", "--seed", "3", "--json", "--quiet"];
    let (code, out, err) = sandbox(&args);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["scenario"], "topology");
    assert_eq!(v["seed"], 3);
    assert_eq!(v["params"]["nodes"], 5, "defaults are included as resolved");
    assert_eq!(v["params"]["shape"], "ring");
    assert!(v["events"].as_u64().is_some_and(|e| e > 0));
    assert!(v["sim_time_ms"].as_f64().is_some_and(|t| t > 0.0));
    for m in ["sent", "delivered", "dropped", "latency_mean_ms"] {
        assert!(v["metrics"][m].is_number(), "metric {m} missing");
    }
    let hash = v["trace_hash"].as_str().expect("hash");
    assert_eq!(hash.len(), 16);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    let (_, again, _) = sandbox(&args);
    assert_eq!(out, again, "same command, same output");
    let (_, other, _) = sandbox(&["run", "topology", "--seed=4", "--json", "--quiet"]);
    assert_ne!(json(&other)["trace_hash"], v["trace_hash"]);
}

#[test]
fn params_change_the_run() {
    let (code, out, _) = sandbox(&[
        "run",
        "topology",
        "loss=1",
        "requests=50",
        "--json",
        "--quiet",
    ]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["metrics"]["delivered"], 0);
    assert_eq!(v["params"]["loss"], 1.0);
    let (code, table, _) = sandbox(&["run", "topology", "requests=20", "--quiet"]);
    assert_eq!(code, 0);
    assert!(table.contains("trace_hash") && table.contains("delivered"));
}

#[test]
fn bad_invocations_exit_2_with_one_clear_line() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "usage"),
        (&["fly"], "unknown command `fly`"),
        (&["run"], "needs a scenario name"),
        (
            &["run", "teleport"],
            "unknown scenario `teleport`; valid scenarios: topology",
        ),
        (
            &["run", "topology", "lossy=3"],
            "unknown parameter `lossy` for `topology`; valid parameters:",
        ),
        (
            &["run", "topology", "loss=3"],
            "`loss=3` is not valid: expected a number from 0 to 1",
        ),
        (&["run", "topology", "loss=abc"], "`loss=abc` is not valid"),
        (
            &["run", "topology", "nodes=1"],
            "`nodes=1` is not valid: expected a whole number from 2 to 50",
        ),
        (
            &["run", "topology", "shape=cube"],
            "expected one of ring, mesh, star, line",
        ),
        (&["run", "topology", "nodes"], "`nodes` should be key=value"),
        (&["run", "topology", "--seed"], "`--seed ` is not valid"),
        (
            &["run", "topology", "--seed", "-4"],
            "`--seed -4` is not valid: expected a whole number",
        ),
        (&["run", "topology", "--fast"], "unknown option `--fast`"),
        (&["list", "--yaml"], "`list` takes only --json"),
    ];
    for (args, want) in cases {
        let (code, out, err) = sandbox(args);
        assert_eq!(code, 2, "{args:?} should exit 2");
        assert!(out.is_empty(), "{args:?} printed to stdout: {out}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err}"
        );
        assert!(
            err.contains(want),
            "{args:?}: `{err}` should contain `{want}`"
        );
        assert!(!err.contains("panicked"), "{args:?} panicked");
    }
}

const EXAMPLE_ONE: &str = "users: clients rate=300 deadline_ms=1000
lb: balancer algorithm=p2c
api: service replicas=3 workers=4 service_ms=20
db: database workers=8 service_ms=4
users -> lb -> api -> db";

const EXAMPLE_TWO: &str =
    "users: clients rate=150 deadline_ms=500 retry=full-jitter attempts=3 backoff_ms=50
api: service workers=4 service_ms=20 timeout_ms=200 breaker=on
db: database workers=2 service_ms=10
users -> api -> db
at 3000: crash db
at 8000: restart db";

#[test]
fn the_issues_two_example_designs_run_as_written() {
    for design in [EXAMPLE_ONE, EXAMPLE_TWO] {
        let arg = format!("design={design}");
        let (code, out, err) = sandbox(&["run", "system", &arg, "--json", "--quiet"]);
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        assert!(
            v["metrics"]["offered"].as_u64().is_some_and(|n| n > 1000),
            "{out}"
        );
        for m in [
            "availability",
            "goodput",
            "throughput",
            "latency_p99_ms",
            "attempts_per_request",
            "api.utilization",
            "api.queue_mean",
            "db.wait_mean_ms",
            "api.breaker_open_ms",
            "api.replicas_mean",
        ] {
            assert!(v["metrics"][m].is_number(), "metric {m} missing");
        }
        let file = std::env::temp_dir().join(format!("system-design-{}.txt", design.len()));
        std::fs::write(&file, design).expect("write design");
        let arg = format!("design=@{}", file.display());
        let (code, again, err) = sandbox(&["run", "system", &arg, "--json", "--quiet"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            json(&again)["trace_hash"],
            v["trace_hash"],
            "@FILE runs the same design"
        );
    }
    let one = json(
        &sandbox(&[
            "run",
            "system",
            &format!("design={EXAMPLE_ONE}"),
            "--json",
            "--quiet",
        ])
        .1,
    );
    assert_eq!(
        one["metrics"]["availability"], 1.0,
        "the first design is healthy"
    );
    let two = json(
        &sandbox(&[
            "run",
            "system",
            &format!("design={EXAMPLE_TWO}"),
            "--json",
            "--quiet",
        ])
        .1,
    );
    assert!(
        two["metrics"]["api.breaker_open_ms"]
            .as_f64()
            .is_some_and(|ms| ms > 1000.0),
        "the breaker opened"
    );
}

#[test]
fn system_presets_and_design_errors_on_the_command_line() {
    let (code, text, _) = sandbox(&["list"]);
    assert_eq!(code, 0);
    for word in [
        "kind service",
        "kind clients",
        "breaker_open_ms",
        "metastable",
        "rate-limiter",
        "at MS:",
    ] {
        assert!(text.contains(word), "`sandbox list` documents {word}");
    }
    let (code, _, err) = sandbox(&["run", "system", "preset=metastable", "--quiet"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = sandbox(&[
        "run",
        "system",
        "design=users: clients; api: servce; users -> api",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("line 2") && err.contains("`servce`"), "{err}");
    let (code, _, err) = sandbox(&["run", "system", "design=@/no/such/file"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the design file"), "{err}");
}

#[test]
fn a_compact_design_from_a_link_runs_the_same_design() {
    let packed = systems_sandbox::pack::pack(EXAMPLE_ONE).expect("packs");
    let run = |arg: &str| json(&sandbox(&["run", "system", arg, "--json", "--quiet"]).1);
    let (plain, compact) = (
        run(&format!("design={EXAMPLE_ONE}")),
        run(&format!("design~={packed}")),
    );
    assert_eq!(compact["trace_hash"], plain["trace_hash"]);
    let (code, _, err) = sandbox(&["run", "system", &format!("design~={}", &packed[..9])]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`design~=1") && err.contains("is not valid: the compact value is cut short"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
