//! Replaying a run from its description: scenario, parameters, seed, the logged interventions
//! and a playhead. Permalinks, golden traces and the CLI's `--log` all go through here, so a
//! run shared from the browser replays to the same trace natively and vice versa.

use super::command::{Mark, Timed};
use super::scenario::{create, Scenario};

/// Parse a log: `Timed` commands separated by `~` or whitespace (empty: no commands).
pub fn parse_log(s: &str) -> Result<Vec<Timed>, String> {
    s.split(|c: char| c == '~' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(Timed::parse)
        .collect()
}

/// Format a log for a URL or a file.
pub fn format_log(log: &[Timed]) -> String {
    log.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join("~")
}

/// Step until `mark.events` events have been processed (or nothing is left), then stand at `mark.at`.
pub fn seek(s: &mut dyn Scenario, mark: Mark) {
    while s.events() < mark.events && s.step() {}
    s.warp(mark.at);
}

/// Rebuild a run: create the scenario, apply each logged command at its place, then go to the
/// playhead (or to the end when there is none). Errors name what could not be applied.
pub fn replay(
    kind: &str,
    pairs: &[(String, String)],
    seed: u64,
    log: &[Timed],
    playhead: Option<Mark>,
) -> Result<Box<dyn Scenario>, String> {
    let mut s = create(kind, pairs, seed).map_err(|e| e.0)?;
    for (i, t) in log.iter().enumerate() {
        if t.mark.events < s.events() {
            return Err(format!(
                "logged action {} ({t}) comes before the one it follows",
                i + 1
            ));
        }
        seek(s.as_mut(), t.mark);
        s.apply(&t.cmd)
            .map_err(|e| format!("logged action {} ({t}): {e}", i + 1))?;
    }
    match playhead {
        Some(m) => seek(s.as_mut(), m),
        None => {
            s.run_to_end(u64::MAX);
        }
    }
    Ok(s)
}

/// Run a whole run described in one line, `scenario [key=value ...] [seed=N] [log=A~B]`, to the
/// end. Golden-trace files use this form, natively and in the browser tests.
pub fn run_line(line: &str) -> Result<Box<dyn Scenario>, String> {
    let mut words = line.split_whitespace();
    let kind = words.next().ok_or("an empty run description")?;
    let (mut pairs, mut seed, mut log) = (Vec::new(), 1u64, Vec::new());
    for w in words {
        let (k, v) = w
            .split_once('=')
            .ok_or_else(|| format!("`{w}` should be key=value"))?;
        match k {
            "seed" => {
                seed = v
                    .parse()
                    .map_err(|_| format!("`seed={v}` is not a whole number"))?
            }
            "log" => log = parse_log(v)?,
            _ => pairs.push((k.to_string(), v.to_string())),
        }
    }
    replay(kind, &pairs, seed, &log, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Command;
    use crate::sim::time::Time;

    #[test]
    fn a_live_run_replays_to_the_same_trace() {
        // Drive a run the way the UI does: steps, clock jumps, commands mid-instant.
        let mut live = create("topology", &[("requests".into(), "300".into())], 9).unwrap();
        for _ in 0..37 {
            live.step();
        }
        live.apply(&Command::Cut(1)).unwrap();
        live.run_until(Time::from_ms(4_321));
        live.apply(&Command::Crash(2)).unwrap();
        live.step();
        live.apply(&Command::Set {
            key: "loss".into(),
            value: "0.3".into(),
        })
        .unwrap();
        live.run_until(Time::from_ms(9_000));
        let head = live.mark();
        let log = parse_log(&format_log(live.log())).unwrap();
        assert_eq!(log, live.log());
        let again = replay(
            "topology",
            &[("requests".into(), "300".into())],
            9,
            &log,
            Some(head),
        )
        .unwrap();
        assert_eq!(again.trace_hash(), live.trace_hash());
        assert_eq!(again.metrics(), live.metrics());
        assert_eq!(again.mark(), head);
    }

    #[test]
    fn bad_logs_are_errors() {
        assert!(parse_log("12_3@cut:1 nonsense").is_err());
        assert_eq!(parse_log("  ").map(|l| l.len()), Ok(0));
        let log = parse_log("100_5@cut:99").unwrap();
        let e = replay("topology", &[], 1, &log, None)
            .err()
            .unwrap_or_default();
        assert!(e.contains("there is no link 99"), "{e}");
        let log = parse_log("100_50@cut:1~100_5@cut:2").unwrap();
        let e = replay("topology", &[], 1, &log, None)
            .err()
            .unwrap_or_default();
        assert!(e.contains("comes before"), "{e}");
    }
}
