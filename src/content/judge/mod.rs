//! Judging a challenge (`challenge`) on a run's facts (`session::Facts`): each goal holds or not
//! on the metrics (decided only once the run has ended; until then it is the value so far), each
//! kept setting is compared with what the widget and the challenge's start set, each `act` line
//! counts the reader's interventions. "Try N seeds" reruns the same state on the next seeds.

use super::challenge::{Challenge, Keep};
use super::directive::WidgetSpec;
use crate::session::Facts;
use crate::sim::{self, Params};

/// One line's state: does it hold (None: it cannot be read, e.g. an unknown metric), and what
/// the run shows for it now.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub ok: Option<bool>,
    pub now: String,
}

/// A whole challenge judged on one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub goals: Vec<Line>,
    pub keeps: Vec<Line>,
    pub acts: Vec<Line>,
    /// The run has ended, so the goals are decided.
    pub done: bool,
}

impl Verdict {
    /// Every rule kept (whether or not the run has ended).
    pub fn rules_kept(&self) -> bool {
        self.keeps
            .iter()
            .chain(&self.acts)
            .all(|l| l.ok == Some(true))
    }
    /// The run has ended, every goal holds and every rule is kept.
    pub fn met(&self) -> bool {
        self.done && self.rules_kept() && self.goals.iter().all(|l| l.ok == Some(true))
    }
}

impl Challenge {
    /// The settings the challenge starts from: the widget's, with the start's on top.
    pub fn expected(&self, spec: &WidgetSpec) -> Result<Params, String> {
        let pairs = self.start.applied_to(&spec.pairs);
        let s = sim::find(spec.kind).ok_or_else(|| format!("unknown widget `{}`", spec.kind))?;
        Params::parse(s.name, s.params, &pairs).map_err(|e| e.0)
    }

    /// Every key a `keep` line names is a setting of this widget, and every kept value is valid.
    pub fn check_keys(&self, spec: &WidgetSpec) -> Result<(), String> {
        let s = sim::find(spec.kind).ok_or_else(|| format!("unknown widget `{}`", spec.kind))?;
        let names: Vec<&str> = s.params.iter().map(|p| p.name).collect();
        let known = |k: &str| {
            names.contains(&k).then_some(()).ok_or_else(|| {
                format!(
                    "`keep {}`: `{}` has no such setting; settings: {}",
                    sim::params::shorten(k),
                    spec.kind,
                    names.join(", ")
                )
            })
        };
        for k in &self.keeps {
            match k {
                Keep::Key(key) => known(key)?,
                Keep::Value(key, v) => {
                    known(key)?;
                    if let Some(p) = s.params.iter().find(|p| p.name == key) {
                        p.parse(v)?;
                    }
                }
                Keep::AllExcept(keys) => keys.iter().try_for_each(|k| known(k))?,
                Keep::Design(part) => {
                    if spec.kind != "system" {
                        return Err(format!(
                            "`keep design {}`: only a system widget has a design",
                            sim::params::shorten(part)
                        ));
                    }
                    let design = design_of(&self.expected(spec)?)?;
                    crate::builder::design_part(&design, part).map_err(|e| {
                        format!("`keep design {}`: {e}", sim::params::shorten(part))
                    })?;
                }
            }
        }
        self.expected(spec).map(|_| ())
    }

    /// What a `keep` line says, with the value it keeps ("Mode stays cp").
    pub fn keep_text(&self, i: usize, spec: &WidgetSpec) -> String {
        let text = self.keep_text_lower(i, spec);
        let mut chars = text.chars();
        match chars.next() {
            // ASCII only: a keep line starts with a setting's or component's name (both ASCII,
            // checked when the challenge is read) or with our own words, and `char::to_uppercase`
            // would bring the 12 KB Unicode case table into the wasm.
            Some(first) => std::iter::once(first.to_ascii_uppercase())
                .chain(chars)
                .collect(),
            None => text,
        }
    }

    fn keep_text_lower(&self, i: usize, spec: &WidgetSpec) -> String {
        let want = self.expected(spec).ok();
        let value = |k: &str| {
            want.as_ref()
                .and_then(|p| p.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
                .unwrap_or_default()
        };
        let name = |k: &str| k.replace('_', " ");
        match self.keeps.get(i) {
            Some(Keep::Key(k)) => format!("{} stays {}", name(k), value(k)),
            Some(Keep::Value(k, v)) => format!("{} stays {v}", name(k)),
            Some(Keep::AllExcept(keys)) if keys.is_empty() => {
                "every setting stays as it is".to_string()
            }
            Some(Keep::AllExcept(keys)) => {
                let keys: Vec<String> = keys.iter().map(|k| name(k)).collect();
                format!("change only {}", keys.join(" and "))
            }
            Some(Keep::Design(part)) => {
                let design = want
                    .as_ref()
                    .and_then(|p| design_of(p).ok())
                    .unwrap_or_default();
                let v = crate::builder::design_part(&design, part).unwrap_or_default();
                match part.as_str() {
                    "faults" => "the timed faults stay as they are".to_string(),
                    "wires" => "the wires stay as they are".to_string(),
                    p => match p.split_once('.') {
                        Some((c, k)) => format!("the {} of {c} stays {v}", name(k)),
                        None => format!("the {p} line stays as it is"),
                    },
                }
            }
            None => String::new(),
        }
    }

    /// Judge one run.
    pub fn judge(&self, spec: &WidgetSpec, f: &Facts) -> Verdict {
        let goals = self
            .goals
            .iter()
            .map(|g| {
                let mut ok = Some(true);
                let mut now = Vec::new();
                for c in &g.conds {
                    match c.holds(&f.metrics) {
                        Ok(h) => ok = ok.map(|o| o && h),
                        Err(_) => ok = None,
                    }
                    if let Some(v) = c.observed(&f.metrics) {
                        now.push(format!("{} {v}", c.metric.replace('_', " ")));
                    }
                }
                now.dedup();
                Line {
                    ok,
                    now: now.join(", "),
                }
            })
            .collect();
        // The settings the rules compare with: read once per judgement, not once per rule.
        let want = self.expected(spec).ok();
        let keeps = (0..self.keeps.len())
            .map(|i| self.keep_line(i, spec, want.as_ref(), f))
            .collect();
        let cmds: Vec<_> = f.log.iter().map(|t| &t.cmd).collect();
        let acts = self
            .acts
            .iter()
            .map(|a| {
                let (ok, n) = a.holds(cmds.iter().copied());
                Line {
                    ok: Some(ok),
                    now: format!("{n} so far"),
                }
            })
            .collect();
        Verdict {
            goals,
            keeps,
            acts,
            done: f.done,
        }
    }

    fn keep_line(&self, i: usize, spec: &WidgetSpec, want: Option<&Params>, f: &Facts) -> Line {
        let Some(want) = want else {
            return Line {
                ok: None,
                now: "the widget's settings do not parse".into(),
            };
        };
        let now = |k: &str| f.params.iter().find(|(n, _)| *n == k).map(|(_, v)| v);
        let was = |k: &str| want.iter().find(|(n, _)| *n == k).map(|(_, v)| v);
        let changed = |keys: &[&str]| -> Vec<String> {
            keys.iter()
                .filter(|k| now(k) != was(k))
                .map(|k| {
                    let v = now(k).map(|v| v.to_string()).unwrap_or_default();
                    format!("{} is {v}", k.replace('_', " "))
                })
                .collect()
        };
        let bad = match self.keeps.get(i) {
            Some(Keep::Key(k)) => changed(&[k.as_str()]),
            Some(Keep::Value(k, v)) => {
                let p = sim::find(spec.kind).and_then(|s| s.params.iter().find(|p| p.name == k));
                let want = p.and_then(|p| p.parse(v).ok());
                match (now(k), want) {
                    (Some(n), Some(w)) if *n == w => vec![],
                    (n, _) => vec![format!(
                        "{} is {}",
                        k.replace('_', " "),
                        n.map(|v| v.to_string()).unwrap_or_default()
                    )],
                }
            }
            Some(Keep::AllExcept(keys)) => {
                let all: Vec<&str> = want
                    .iter()
                    .map(|(n, _)| *n)
                    .filter(|n| !keys.iter().any(|k| k == n))
                    .collect();
                changed(&all)
            }
            Some(Keep::Design(part)) => {
                let part_of =
                    |p: &Params| design_of(p).and_then(|d| crate::builder::design_part(&d, part));
                match (part_of(&f.params), part_of(want)) {
                    (Ok(n), Ok(w)) if n == w => vec![],
                    (Ok(n), _) if part.contains('.') => {
                        vec![format!("{} is {n}", part.replace('_', " "))]
                    }
                    (Ok(_), _) => vec![format!("the {part} changed")],
                    (Err(e), _) => vec![e],
                }
            }
            None => vec![],
        };
        if bad.is_empty() {
            return Line {
                ok: Some(true),
                now: String::new(),
            };
        }
        Line {
            ok: Some(false),
            now: format!("now {}", bad.join(", ")),
        }
    }

    /// How many seeds "Try N seeds" runs: the challenge's own count, or 5.
    pub fn seeds_to_try(&self) -> u32 {
        if self.seeds > 1 {
            self.seeds
        } else {
            5
        }
    }

    /// The seeds a challenge is judged on, from the run's own.
    pub fn seeds_from(&self, seed: u64, n: u32) -> Vec<u64> {
        (0..n.max(1) as u64).map(|k| seed.wrapping_add(k)).collect()
    }

    /// The reader's state (settings and interventions) on `n` seeds from the run's own, each run
    /// to the end and judged.
    pub fn try_seeds(
        &self,
        spec: &WidgetSpec,
        f: &Facts,
        n: u32,
    ) -> Vec<(u64, Result<Verdict, String>)> {
        self.seeds_from(f.seed, n)
            .into_iter()
            .map(|seed| (seed, f.rerun(seed).map(|r| self.judge(spec, &r))))
            .collect()
    }
}

/// A `system` widget's design text (its design, or its preset's).
fn design_of(p: &Params) -> Result<String, String> {
    crate::sim::scenario::system::design_text(p)
}

#[cfg(test)]
mod tests;
