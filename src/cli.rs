//! The `sandbox` command line, as a library module so it can be tested without spawning processes:
//! `list [--json]` shows the scenarios and their parameters; `run <scenario> [key=value ...]
//! [--seed N] [--json]` runs one simulation to completion (`design=@FILE` reads a system design
//! from a file). Every bad invocation is an `Err` with one
//! line naming what is wrong and what is valid (exit status 2); nothing here panics.

use crate::sim::scenario::system;
use crate::sim::{self, metrics::Value, params, ScenarioSpec};
use serde_json::{json, Map, Value as Json};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: sandbox list [--json] | sandbox run <scenario> [key=value ...] [--seed N] [--json] [--quiet]";

/// What `run` was asked to do.
struct RunArgs {
    scenario: String,
    pairs: Vec<(String, String)>,
    seed: u64,
    json: bool,
    quiet: bool,
}

/// Run the CLI on `args` (without the program name): output for stdout, or exit status 2 and a message.
pub fn main(args: &[String]) -> ExitCode {
    match dispatch(args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("sandbox: {msg}");
            ExitCode::from(2)
        }
    }
}

/// What the CLI prints for `args`: `Ok(stdout)` or `Err(one-line message)` (exit status 2).
pub fn dispatch(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("list") => list(&args[1..]),
        Some("run") => run(parse_run(&args[1..])?),
        Some("help" | "--help" | "-h") => Ok(USAGE.to_string()),
        Some(other) => Err(format!(
            "unknown command `{}`; {USAGE}",
            params::shorten(other)
        )),
        None => Err(USAGE.to_string()),
    }
}

fn list(args: &[String]) -> Result<String, String> {
    let json = match args {
        [] => false,
        [flag] if flag == "--json" => true,
        _ => return Err(format!("`list` takes only --json; {USAGE}")),
    };
    let specs = sim::SCENARIOS;
    if json {
        let arr: Vec<Json> = specs.iter().map(|s| spec_json(s)).collect();
        return serde_json::to_string_pretty(&arr).map_err(|e| e.to_string());
    }
    let mut out = String::new();
    for s in specs {
        out += &format!("{}  —  {}\n", s.name, s.help);
        for p in s.params {
            out += &format!(
                "    {:<16} default {:<10} {}; {}\n",
                p.name,
                p.default,
                p.valid(),
                p.help
            );
        }
        if s.name == system::SPEC.name {
            out += &system::docs();
        }
    }
    Ok(out.trim_end().to_string())
}

fn spec_json(s: &ScenarioSpec) -> Json {
    let params: Vec<Json> = s
        .params
        .iter()
        .map(|p| json!({"name": p.name, "default": p.default, "valid": p.valid(), "help": p.help, "live": p.live}))
        .collect();
    let mut v = json!({"scenario": s.name, "title": s.title, "help": s.help, "params": params});
    if s.name == system::SPEC.name {
        let kinds: Vec<Json> = system::keys::KINDS
            .iter()
            .map(|k| {
                let keys: Vec<Json> = k
                    .keys()
                    .iter()
                    .map(|p| json!({"name": p.name, "default": p.default, "valid": p.valid(), "help": p.help}))
                    .collect();
                json!({"kind": k.name(), "help": k.help(), "keys": keys})
            })
            .collect();
        let presets: Vec<Json> = system::presets::PRESETS
            .iter()
            .map(|(name, help, design)| json!({"name": name, "help": help, "design": design}))
            .collect();
        v["kinds"] = json!(kinds);
        v["presets"] = json!(presets);
    }
    v
}

/// `design=@FILE`: the design text read from a file.
fn read_design(pairs: &mut [(String, String)]) -> Result<(), String> {
    for (k, v) in pairs.iter_mut() {
        if let (true, Some(path)) = (k == "design", v.strip_prefix('@')) {
            *v = std::fs::read_to_string(path).map_err(|e| {
                format!(
                    "cannot read the design file `{}`: {e}",
                    params::shorten(path)
                )
            })?;
        }
    }
    Ok(())
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let Some(scenario) = args.first().filter(|a| !a.starts_with("--")) else {
        return Err(format!("`run` needs a scenario name; {USAGE}"));
    };
    let mut r = RunArgs {
        scenario: scenario.clone(),
        pairs: vec![],
        seed: 1,
        json: false,
        quiet: false,
    };
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--json" => r.json = true,
            "--quiet" => r.quiet = true,
            "--seed" => {
                i += 1;
                r.seed = parse_seed(args.get(i).map(String::as_str).unwrap_or(""))?;
            }
            _ if a.starts_with("--seed=") => r.seed = parse_seed(&a["--seed=".len()..])?,
            _ if a.starts_with("--") => {
                return Err(format!("unknown option `{}`; {USAGE}", params::shorten(a)))
            }
            _ => match a.split_once('=') {
                // `design~=1…`, copied from a link, is the design itself (`crate::pack`).
                Some((k, v)) => match crate::pack::problem(k, v) {
                    Some(e) => return Err(format!("`{}` is not valid: {e}", params::shorten(a))),
                    None => r.pairs.push(crate::pack::read_pair(k.into(), v.into())),
                },
                None => return Err(format!("`{}` should be key=value", params::shorten(a))),
            },
        }
        i += 1;
    }
    Ok(r)
}

fn parse_seed(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "`--seed {}` is not valid: expected a whole number from 0 to {}",
            params::shorten(s),
            u64::MAX
        )
    })
}

fn run(mut a: RunArgs) -> Result<String, String> {
    read_design(&mut a.pairs)?;
    let mut s = sim::create(&a.scenario, &a.pairs, a.seed).map_err(|e| e.0)?;
    let started = Instant::now();
    s.run_to_end(u64::MAX);
    let secs = started.elapsed().as_secs_f64();
    if !a.quiet {
        let rate = s.events() as f64 / secs.max(1e-9);
        eprintln!(
            "sandbox: {} events in {:.3} s ({:.1} M events/s)",
            s.events(),
            secs,
            rate / 1e6
        );
    }
    let mut params = Map::new();
    for (k, v) in s.params().iter() {
        params.insert(
            k.to_string(),
            serde_json::to_value(v).map_err(|e| e.to_string())?,
        );
    }
    let mut metrics = Map::new();
    for (k, v) in s.metrics().0 {
        metrics.insert(k.to_string(), metric_json(&v));
    }
    let out = json!({
        "scenario": s.spec().name,
        "seed": a.seed,
        "params": params,
        "events": s.events(),
        "sim_time_ms": s.now().as_ms(),
        "metrics": metrics,
        "trace_hash": format!("{:016x}", s.trace_hash()),
    });
    if a.json {
        return serde_json::to_string_pretty(&out).map_err(|e| e.to_string());
    }
    Ok(table(&out))
}

fn metric_json(v: &Value) -> Json {
    match v {
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Bool(b) => json!(b),
        Value::Word(w) => json!(w),
        Value::List(l) => json!(l.values),
    }
}

fn table(out: &Json) -> String {
    let mut t = String::new();
    let field = |k: &str| out.get(k).map(|v| v.to_string()).unwrap_or_default();
    for k in ["scenario", "seed", "events", "sim_time_ms", "trace_hash"] {
        t += &format!("{k:<22} {}\n", field(k).trim_matches('"'));
    }
    for section in ["params", "metrics"] {
        t += &format!("{section}:\n");
        if let Some(obj) = out.get(section).and_then(Json::as_object) {
            for (k, v) in obj {
                t += &format!("  {k:<20} {}\n", v.to_string().trim_matches('"'));
            }
        }
    }
    t.trim_end().to_string()
}
