//! Judged challenges: a task in the lesson's words, goals on the run's metrics, what must stay as
//! it is, and a solution, written as a fenced block that drives the nearest widget above it:
//!
//! ````md
//! ```challenge Keep the partition, and end the run with **availability** 1 and nothing lost.
//! goal Every operation succeeds | availability = 1
//! goal No update lost when the sides merge | lost_in_reconcile = 0
//! keep partition
//! keep partition_at_ms
//! seeds 3
//! solution Answer on both sides (AP) and keep concurrent writes as siblings.
//! set mode=ap conflict=vv
//! run end
//! ```
//! ````
//!
//! - `goal [TEXT |] CONDITION[; CONDITION]`: decided on the metrics once the run has ended;
//! - `keep KEY`: the setting stays as the widget (and the start) has it; `keep KEY=VALUE`: it is
//!   VALUE; `keep all`: every setting stays; `keep all except KEY ...`: only those may change;
//!   `keep design PART`: a part of a `system` design stays as the start has it (`faults`,
//!   `wires`, a component `NAME`, or one setting `NAME.KEY`);
//! - `act [TEXT |] VERB OP N`: how many interventions of a kind the run has (`cut`, `heal`,
//!   `crash`, `restart`, `split`, `unsplit`, `set`, `do:NAME`, or `any`), e.g. `act cut = 2`;
//! - `seeds N`: solved only when the goals hold on N seeds (the run's and the next N − 1);
//! - `widget N`: drive the lesson's Nth widget instead of the nearest one above;
//! - `start LINE`: a try-step line (see `step`) for a start other than the widget's own state;
//! - `solution DESCRIPTION`, then try-step lines: a state that meets every goal (the lesson tests
//!   prove it does, on every seed, and that the start does not).

use super::cond::{Cond, Op};
use super::step::{parse_step, Step};
use crate::sim::command::Command;
use crate::sim::params::shorten;

/// A goal: what the reader reads, and the conditions that must all hold at the end.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub text: String,
    pub conds: Vec<Cond>,
}

/// A setting that must stay as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Keep {
    /// As the widget and the start have it.
    Key(String),
    /// Exactly this value.
    Value(String, String),
    /// Every setting but these.
    AllExcept(Vec<String>),
    /// A part of a `system` design (`builder::design_part`): `faults`, `wires`, `NAME` or
    /// `NAME.KEY`, as the start has it.
    Design(String),
}

/// A count of the reader's interventions of one kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Act {
    pub text: String,
    /// `cut`, `crash`, `do:add-shard`, ... or `any`.
    pub verb: String,
    pub op: Op,
    pub n: u32,
}

/// A parsed challenge.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub task: String,
    pub goals: Vec<Goal>,
    pub keeps: Vec<Keep>,
    pub acts: Vec<Act>,
    pub seeds: u32,
    /// The lesson's Nth widget (from 1), when not the nearest above.
    pub widget: Option<usize>,
    pub start: Step,
    /// The solution; its label is its description.
    pub solution: Step,
}

const LINES: &str = "goal, keep, act, seeds, widget, start, solution";
const VERBS: &str = "cut, heal, crash, restart, split, unsplit, set, do:NAME, any";

/// Parse a challenge block: its info string (`challenge TASK`) and body. Errors name the line.
pub fn parse_challenge(info: &str, body: &str) -> Result<Challenge, String> {
    let task = info
        .trim()
        .strip_prefix("challenge")
        .map(str::trim)
        .unwrap_or("");
    if task.is_empty() {
        return Err("a challenge needs its task after `challenge`".into());
    }
    let mut c = Challenge {
        task: task.to_string(),
        goals: vec![],
        keeps: vec![],
        acts: vec![],
        seeds: 1,
        widget: None,
        start: parse_step("try Start the challenge", "")?,
        solution: parse_step("try Apply this solution", "")?,
    };
    let (mut start, mut solution, mut described) = (String::new(), String::new(), None);
    for (n, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let here = |e: String| format!("line {} (`{}`): {e}", n + 1, shorten(line));
        if described.is_some() {
            solution.push_str(line);
            solution.push('\n');
            continue;
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match word {
            "goal" => c.goals.push(goal(rest).map_err(here)?),
            "keep" => c.keeps.push(keep(rest).map_err(here)?),
            "act" => c.acts.push(act(rest).map_err(here)?),
            "seeds" => c.seeds = count(rest, 1, 20).map_err(here)?,
            "widget" => c.widget = Some(count(rest, 1, 99).map_err(here)? as usize),
            "start" => {
                start.push_str(rest);
                start.push('\n');
            }
            "solution" if !rest.is_empty() => described = Some(rest.to_string()),
            "solution" => return Err(here("`solution` needs a description".into())),
            _ => return Err(here(format!("unknown line; valid lines: {LINES}"))),
        }
    }
    if c.goals.is_empty() {
        return Err("a challenge needs at least one `goal` line".into());
    }
    let Some(description) = described else {
        return Err(
            "a challenge carries its solution: `solution DESCRIPTION`, then try-step lines".into(),
        );
    };
    c.start = parse_step("try Start the challenge", &start).map_err(|e| format!("start: {e}"))?;
    c.solution = parse_step(&format!("try {description}"), &solution)
        .map_err(|e| format!("solution: {e}"))?;
    Ok(c)
}

fn goal(rest: &str) -> Result<Goal, String> {
    let (text, conds) = match rest.split_once('|') {
        Some((t, c)) => (t.trim().to_string(), c),
        None => (String::new(), rest),
    };
    let conds = conds
        .split(';')
        .map(Cond::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let text = if text.is_empty() {
        let shown: Vec<String> = conds
            .iter()
            .map(|c| c.to_string().replace('_', " "))
            .collect();
        shown.join(" and ")
    } else {
        text
    };
    Ok(Goal { text, conds })
}

fn keep(rest: &str) -> Result<Keep, String> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    match words.as_slice() {
        ["all"] => Ok(Keep::AllExcept(vec![])),
        ["all", "except", keys @ ..] if !keys.is_empty() => Ok(Keep::AllExcept(
            keys.iter().map(|k| k.to_string()).collect(),
        )),
        ["design", part] => Ok(Keep::Design(part.to_string())),
        [kv] => Ok(match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => Keep::Value(k.into(), v.into()),
            Some(_) => return Err("`keep` takes KEY or KEY=VALUE".into()),
            None => Keep::Key(kv.to_string()),
        }),
        _ => Err(
            "`keep` takes KEY, KEY=VALUE, `all`, `all except KEY ...` or `design PART` (PART: faults, wires, NAME or NAME.KEY)"
                .into(),
        ),
    }
}

fn act(rest: &str) -> Result<Act, String> {
    let (text, count) = match rest.split_once('|') {
        Some((t, c)) => (t.trim().to_string(), c.trim()),
        None => (String::new(), rest),
    };
    let bad = || format!("`act` takes VERB OP N, like `act cut = 2`; verbs: {VERBS}");
    let words: Vec<&str> = count.split_whitespace().collect();
    let [verb, op, n] = words.as_slice() else {
        return Err(bad());
    };
    let op = match *op {
        "=" | "==" => Op::Eq,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => return Err(bad()),
    };
    let n: u32 = n.parse().map_err(|_| bad())?;
    let known = [
        "cut", "heal", "crash", "restart", "split", "unsplit", "set", "any",
    ];
    if !(known.contains(verb) || verb.strip_prefix("do:").is_some_and(|d| !d.is_empty())) {
        return Err(format!(
            "unknown action `{}`; valid: {VERBS}",
            shorten(verb)
        ));
    }
    let text = if text.is_empty() {
        format!("`{verb}` interventions {} {n}", op_text(op))
    } else {
        text
    };
    Ok(Act {
        text,
        verb: verb.to_string(),
        op,
        n,
    })
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq | Op::About(_) => "=",
        Op::Lt => "<",
        Op::Le => "≤",
        Op::Gt => ">",
        Op::Ge => "≥",
    }
}

fn count(s: &str, lo: u32, hi: u32) -> Result<u32, String> {
    s.parse::<u32>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| {
            format!(
                "`{}` should be a whole number from {lo} to {hi}",
                shorten(s)
            )
        })
}

/// The kind of an intervention as `act` lines name it.
pub fn verb_of(cmd: &Command) -> String {
    match cmd {
        Command::Do(name) => format!("do:{name}"),
        other => {
            let text = other.to_string();
            text.split(':').next().unwrap_or("").to_string()
        }
    }
}

impl Act {
    /// Does this count hold for these interventions?
    pub fn holds<'a>(&self, cmds: impl Iterator<Item = &'a Command>) -> (bool, u32) {
        let n = cmds
            .filter(|c| self.verb == "any" || verb_of(c) == self.verb)
            .count() as u32;
        let ok = match self.op {
            Op::Eq | Op::About(_) => n == self.n,
            Op::Lt => n < self.n,
            Op::Le => n <= self.n,
            Op::Gt => n > self.n,
            Op::Ge => n >= self.n,
        };
        (ok, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_challenge() {
        let c = parse_challenge(
            "challenge Cut two links.",
            "goal About half | success_ratio >= 0.4; success_ratio <= 0.6\ngoal dropped > 0\n\
keep all except loss\nkeep nodes=5\nkeep shape\nact cut = 2\nact any <= 2\nseeds 3\nwidget 2\n\
start set rate=30\nsolution Cut 0 and 2.\nat 0 cut:0\nat 0 cut:2\nrun end\n",
        )
        .unwrap();
        assert_eq!(c.task, "Cut two links.");
        assert_eq!(c.goals.len(), 2);
        assert_eq!(c.goals[0].conds.len(), 2);
        assert_eq!(c.goals[1].text, "dropped > 0");
        assert_eq!(c.keeps[0], Keep::AllExcept(vec!["loss".into()]));
        assert_eq!(c.keeps[1], Keep::Value("nodes".into(), "5".into()));
        assert_eq!(c.keeps[2], Keep::Key("shape".into()));
        assert_eq!(c.acts[0].n, 2);
        assert_eq!((c.seeds, c.widget), (3, Some(2)));
        assert_eq!(c.start.set, vec![("rate".to_string(), "30".to_string())]);
        assert_eq!(c.solution.label, "Cut 0 and 2.");
        assert_eq!(c.solution.at.len(), 2);
        let cmds = [Command::Cut(0), Command::Cut(2), Command::Crash(1)];
        assert_eq!(c.acts[0].holds(cmds.iter()), (true, 2));
        assert_eq!(c.acts[1].holds(cmds.iter()), (false, 3));
        assert_eq!(verb_of(&Command::Do("add-shard".into())), "do:add-shard");
        assert_eq!(verb_of(&Command::Unsplit), "unsplit");
    }

    #[test]
    fn mistakes_name_the_line() {
        let sol = "\nsolution S\nrun end";
        let cases = [
            ("challenge", "goal x = 1".to_string(), "needs its task"),
            (
                "challenge T",
                "solution S".to_string(),
                "at least one `goal`",
            ),
            (
                "challenge T",
                "goal x = 1".to_string(),
                "carries its solution",
            ),
            ("challenge T", format!("goal x is 1{sol}"), "line 1"),
            (
                "challenge T",
                format!("goal x = 1\nkeeps a{sol}"),
                "unknown line",
            ),
            (
                "challenge T",
                format!("goal x = 1\nact explode = 1{sol}"),
                "unknown action",
            ),
            (
                "challenge T",
                format!("goal x = 1\nact cut 2{sol}"),
                "VERB OP N",
            ),
            (
                "challenge T",
                format!("goal x = 1\nseeds 0{sol}"),
                "from 1 to 20",
            ),
            (
                "challenge T",
                format!("goal x = 1\nkeep a b{sol}"),
                "`keep` takes",
            ),
            (
                "challenge T",
                format!("goal x = 1\nstart sett a=1{sol}"),
                "start: line 1",
            ),
            (
                "challenge T",
                "goal x = 1\nsolution S\nrun soon".into(),
                "solution: line 1",
            ),
            (
                "challenge T",
                "goal x = 1\nsolution".into(),
                "needs a description",
            ),
        ];
        for (info, body, want) in cases {
            let e = parse_challenge(info, &body).unwrap_err();
            assert!(e.contains(want), "{body}: {e}");
        }
    }
}
