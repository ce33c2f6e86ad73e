//! Try-it steps: a button in the lesson's prose that puts the nearest widget above it into an
//! exact state and optionally runs it, so a reader never hunts for a knob and the order of their
//! clicks never matters. Written as a fenced block:
//!
//! ````md
//! ```try Switch to AP and run it
//! set mode=ap conflict=lww
//! seed 4
//! at 1500 crash:2
//! run end
//! expect availability = 1
//! expect stale_reads > 0
//! ```
//! ````
//!
//! - `set key=value ...`: settings on top of the widget's directive (which stays the base);
//! - `seed N`: the seed (default: the directive's);
//! - `at MS COMMAND`: an intervention at a simulated time, in the permalink form (`cut:3`,
//!   `crash:2`, `split:0|1,2`, `unsplit`, `set:key=value`, `do:name`);
//! - `run end` or `run MS`: where the run stands afterwards (instantly); `play`: start playing
//!   from time zero; neither: stand at time zero;
//! - `expect CONDITION`: a claim about the run where it stands (a `play` step: where it ends; see `cond`). The reader does not
//!   see claims; the lesson tests run every step and check every claim, and check that each
//!   number a claim states appears in the prose after the step, so prose and run cannot drift.

use super::cond::Cond;
use crate::sim::command::Command;
use crate::sim::num::parse_f64;
use crate::sim::params::shorten;
use crate::sim::Time;

/// Where a step leaves the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunTo {
    /// At time zero, paused.
    Start,
    /// At this simulated time, paused.
    Until(Time),
    /// At the end.
    End,
    /// Playing from time zero.
    Play,
}

/// One parsed step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub set: Vec<(String, String)>,
    pub seed: Option<u64>,
    pub at: Vec<(Time, Command)>,
    pub run: RunTo,
    pub expect: Vec<Cond>,
}

const LINES: &str =
    "set key=value ..., design STATEMENT, seed N, at MS COMMAND, run end, run MS, play, expect CONDITION";

impl Step {
    /// `pairs` (a widget's settings) with this step's on top: each `set` key, and its `design`,
    /// replaces the widget's.
    pub fn applied_to(&self, pairs: &[(String, String)]) -> Vec<(String, String)> {
        let mut out = pairs.to_vec();
        for (k, v) in &self.set {
            crate::sim::fixup::put(&mut out, k, v.clone());
        }
        out
    }
}

/// Parse a step block: its info string (`try LABEL`) and body. Errors name the line.
pub fn parse_step(info: &str, body: &str) -> Result<Step, String> {
    let label = info.trim().strip_prefix("try").map(str::trim).unwrap_or("");
    if label.is_empty() {
        return Err("a step needs a label after `try`, e.g. ```try Switch to AP and run".into());
    }
    let mut step = Step {
        label: label.to_string(),
        set: vec![],
        seed: None,
        at: vec![],
        run: RunTo::Start,
        expect: vec![],
    };
    for (n, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        step.line(line)
            .map_err(|e| format!("line {} (`{}`): {e}", n + 1, shorten(line)))?;
    }
    if step.run == RunTo::Play && !step.at.is_empty() {
        return Err("a `play` step cannot also have `at` lines: use `run end` or `run MS`".into());
    }
    let mut last = Time::ZERO;
    for (t, _) in &step.at {
        if *t < last {
            return Err("the `at` lines must be in time order".into());
        }
        last = *t;
    }
    Ok(step)
}

impl Step {
    fn line(&mut self, line: &str) -> Result<(), String> {
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match word {
            "set" => {
                for kv in rest.split_whitespace() {
                    match kv.split_once('=') {
                        Some((k, v)) if !k.is_empty() => {
                            self.set.push((k.to_string(), v.to_string()))
                        }
                        _ => return Err(format!("`{}` should be key=value", shorten(kv))),
                    }
                }
                if self.set.is_empty() {
                    return Err("`set` needs key=value pairs".into());
                }
            }
            "seed" => {
                self.seed = Some(
                    rest.parse()
                        .map_err(|_| "the seed is a whole number".to_string())?,
                )
            }
            "at" => {
                let (ms, cmd) = rest
                    .split_once(char::is_whitespace)
                    .ok_or("`at` needs a time in ms and a command, e.g. `at 1500 crash:2`")?;
                self.at.push((ms_of(ms)?, Command::parse(cmd.trim())?));
            }
            "run" => {
                self.run = match rest {
                    "end" => RunTo::End,
                    ms => RunTo::Until(ms_of(ms)?),
                }
            }
            "play" if rest.is_empty() => self.run = RunTo::Play,
            // A `system` widget's design, one statement per line (they add up, in order).
            "design" if !rest.is_empty() => {
                match self.set.iter_mut().find(|(k, _)| k == "design") {
                    Some((_, v)) => {
                        v.push('\n');
                        v.push_str(rest);
                    }
                    None => self.set.push(("design".into(), rest.to_string())),
                }
            }
            "expect" => self.expect.push(Cond::parse(rest)?),
            _ => return Err(format!("unknown line; valid lines: {LINES}")),
        }
        Ok(())
    }
}

fn ms_of(s: &str) -> Result<Time, String> {
    match parse_f64(s.trim()) {
        Some(ms) if (0.0..=1e9).contains(&ms) => Ok(Time::from_ms_f64(ms)),
        _ => Err(format!(
            "`{}` is not a time: milliseconds from 0 to 1000000000",
            shorten(s)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_step() {
        let s = parse_step(
            "try Switch to AP and run",
            "set mode=ap conflict=vv\nseed 4\nat 1500 crash:2\nat 2000 restart:2\nrun end\nexpect availability = 1\n",
        )
        .unwrap();
        assert_eq!(s.label, "Switch to AP and run");
        assert_eq!(s.set.len(), 2);
        assert_eq!(s.seed, Some(4));
        assert_eq!(s.at[0], (Time::from_ms(1500), Command::Crash(2)));
        assert_eq!(s.run, RunTo::End);
        assert_eq!(s.expect.len(), 1);
        assert_eq!(
            parse_step("try Go", "run 250").unwrap().run,
            RunTo::Until(Time::from_ms(250))
        );
        assert_eq!(parse_step("try Go", "play").unwrap().run, RunTo::Play);
        let d = parse_step(
            "try Add retries",
            "design users: clients rate=50 retry=full-jitter\ndesign api: service workers=2\ndesign users -> api\nrun end",
        )
        .unwrap();
        assert_eq!(
            d.set,
            vec![(
                "design".to_string(),
                "users: clients rate=50 retry=full-jitter\napi: service workers=2\nusers -> api"
                    .to_string()
            )]
        );
    }

    #[test]
    fn mistakes_name_the_line() {
        let cases = [
            ("try", "", "needs a label"),
            (
                "try X",
                "sett mode=ap",
                "line 1 (`sett mode=ap`): unknown line; valid lines",
            ),
            ("try X", "set mode", "`mode` should be key=value"),
            ("try X", "run soon", "`soon` is not a time"),
            ("try X", "at 100 explode:2", "unknown action `explode:2`"),
            ("try X", "at 200 crash:1\nat 100 crash:2", "time order"),
            ("try X", "expect availability", "comes a comparison"),
            ("try X", "seed -3", "whole number"),
            ("try X", "at 5 crash:1\nplay", "cannot also have `at` lines"),
        ];
        for (info, body, want) in cases {
            let e = parse_step(info, body).unwrap_err();
            assert!(e.contains(want), "{body}: {e}");
        }
    }
}
