//! Sweeps: one real run of a widget's system per value of one setting, drawn as points against
//! utilisation with the queueing theory's curve over them (lesson 9's hockey stick). Written as a
//! fenced block below the widget whose run it repeats:
//!
//! ````md
//! ```sweep Mean latency against how busy the worker is
//! vary users.rate 10 20 30 40 50 60 70 80 85 90 95
//! metric latency_mean_ms
//! theory api
//! expect 90 latency_mean_ms ~ 85 ± 2
//! ```
//! ````
//!
//! - `vary KEY V1 V2 ...`: the setting and its values, 2 to 24 of them; `COMP.KEY` is a key of a
//!   component in the design (`users.rate`), anything else a widget setting (`duration_ms`);
//! - `metric NAME`: what each run gives (a metric of the widget's scenario);
//! - `theory STATION`: draw M/M/c's mean time in STATION (Erlang C; M/M/1 with one worker) and
//!   put the runs at their utilisation ρ = λ / (c·μ); only for `metric latency_mean_ms`;
//! - `set`, `design`, `seed`: as in a try-it step, on top of the widget's directive;
//! - `expect VALUE CONDITION`: a claim about the run at VALUE, held by the lesson tests like a
//!   step's (its number must appear in the prose after the sweep).
//!
//! Everything is checked when the lesson is parsed: every point's run must build, so a bad
//! sweep is an error block, and the static pages refuse to build with one (`bin/pages.rs`).

use super::cond::Cond;
use super::directive::WidgetSpec;
use super::step::parse_step;
use super::theory::{self, Mmc};
use crate::sim::num::parse_f64;
use crate::sim::params::shorten;

/// Most points in one sweep.
pub const MAX_POINTS: usize = 24;

/// A parsed sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub label: String,
    /// The setting varied: a widget setting, or `component.key` in the design.
    pub key: String,
    pub values: Vec<String>,
    /// The block's line of `vary`, for errors found when its points are built.
    pub vary_line: usize,
    pub metric: String,
    /// The station whose M/M/c theory is drawn.
    pub theory: Option<String>,
    pub set: Vec<(String, String)>,
    pub seed: Option<u64>,
    /// Claims: (value, condition on that value's run).
    pub expect: Vec<(String, Cond)>,
}

/// One point of a sweep, resolved against its widget: a whole run, ready to build.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub value: String,
    pub kind: &'static str,
    pub pairs: Vec<(String, String)>,
    pub seed: u64,
    /// Where it sits on the x axis: ρ with a theory, else the value.
    pub x: f64,
    /// The station as theory sees it (with `theory`).
    pub station: Option<Mmc>,
}

const LINES: &str = "vary KEY V1 V2 ..., metric NAME, theory STATION, expect VALUE CONDITION, set key=value ..., design STATEMENT, seed N";

/// Parse a sweep block: its info string (`sweep LABEL`) and body. Errors name the line.
pub fn parse_sweep(info: &str, body: &str) -> Result<Sweep, String> {
    let label = info
        .trim()
        .strip_prefix("sweep")
        .map(str::trim)
        .unwrap_or("");
    if label.is_empty() {
        return Err(
            "a sweep needs a label after `sweep`, e.g. ```sweep Latency against load".into(),
        );
    }
    let mut sw = Sweep {
        label: label.to_string(),
        key: String::new(),
        values: vec![],
        vary_line: 0,
        metric: String::new(),
        theory: None,
        set: vec![],
        seed: None,
        expect: vec![],
    };
    // Lines a step also has go to the step parser, in place, so its errors name the same line.
    let mut shared = String::new();
    for (n, raw) in body.lines().enumerate() {
        let line = raw.trim();
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if matches!(word, "set" | "design" | "seed") {
            shared.push_str(line);
        } else if !line.is_empty() && !line.starts_with('#') {
            if word == "vary" {
                sw.vary_line = n + 1;
            }
            sw.line(word, rest.trim())
                .map_err(|e| format!("line {} (`{}`): {e}", n + 1, shorten(line)))?;
        }
        shared.push('\n');
    }
    let step = parse_step("try sweep", &shared)?;
    (sw.set, sw.seed) = (step.set, step.seed);
    if sw.values.is_empty() {
        return Err("a sweep needs a `vary KEY V1 V2 ...` line".into());
    }
    if sw.metric.is_empty() {
        return Err("a sweep needs a `metric NAME` line, e.g. `metric latency_mean_ms`".into());
    }
    if sw.theory.is_some() && sw.metric != "latency_mean_ms" {
        return Err(format!(
            "`theory` draws the mean time in the station: it needs `metric latency_mean_ms`, not `{}`",
            shorten(&sw.metric)
        ));
    }
    for (v, _) in &sw.expect {
        if !sw.values.contains(v) {
            return Err(format!(
                "`expect {v} ...`: {v} is not among the values of `vary`"
            ));
        }
    }
    Ok(sw)
}

impl Sweep {
    fn line(&mut self, word: &str, rest: &str) -> Result<(), String> {
        match word {
            "vary" => {
                let mut w = rest.split_whitespace();
                let key = w.next().ok_or("`vary` needs a key and its values")?;
                self.key = key.to_string();
                self.values = w.map(str::to_string).collect();
                if !(2..=MAX_POINTS).contains(&self.values.len()) {
                    return Err(format!("`vary {key}` needs 2 to {MAX_POINTS} values"));
                }
            }
            "metric" if !rest.is_empty() => self.metric = rest.to_string(),
            "theory" if !rest.is_empty() => self.theory = Some(rest.to_string()),
            "expect" => {
                let (v, cond) = rest
                    .split_once(char::is_whitespace)
                    .ok_or("`expect` needs a value of `vary` and a condition")?;
                self.expect.push((v.to_string(), Cond::parse(cond)?));
            }
            _ => return Err(format!("unknown line; valid lines: {LINES}")),
        }
        Ok(())
    }

    /// Every point as a run of `base` (the widget above), each checked to build, with its
    /// metric present. Errors name the value and what is wrong.
    pub fn points(&self, base: &WidgetSpec) -> Result<Vec<Point>, String> {
        let mut pairs = base.pairs.clone();
        for (k, v) in &self.set {
            put(&mut pairs, k, v);
        }
        let seed = self.seed.unwrap_or(base.seed);
        let mut out = Vec::with_capacity(self.values.len());
        for value in &self.values {
            let here = |e: String| {
                format!(
                    "line {} (`vary {}`), at {value}: {e}",
                    self.vary_line, self.key
                )
            };
            let mut p = pairs.clone();
            self.apply(&mut p, value).map_err(here)?;
            let sim = crate::sim::create(base.kind, &p, seed).map_err(|e| here(e.0))?;
            if sim.metrics().get(&self.metric).is_none() {
                return Err(format!(
                    "`metric {}`: the {} widget has no such metric",
                    shorten(&self.metric),
                    base.kind
                ));
            }
            let station = match &self.theory {
                Some(name) => Some(
                    theory::station(&design(&p), name)
                        .map_err(|e| format!("`theory {name}`: {e}"))?,
                ),
                None => None,
            };
            let x = match (&station, parse_f64(value)) {
                (Some(s), _) => s.rho(),
                (None, Some(x)) => x,
                (None, None) => {
                    return Err(here("a sweep without theory needs numeric values".into()))
                }
            };
            out.push(Point {
                value: value.clone(),
                kind: base.kind,
                pairs: p,
                seed,
                x,
                station,
            });
        }
        Ok(out)
    }

    /// Set this sweep's key to `value` in `pairs`.
    fn apply(&self, pairs: &mut Vec<(String, String)>, value: &str) -> Result<(), String> {
        match self.key.split_once('.') {
            None => put(pairs, &self.key, value),
            Some((comp, key)) => {
                let d = design(pairs);
                if d.is_empty() {
                    return Err("a `component.key` needs the widget's design".into());
                }
                let d = set_in_design(&d, comp, key, value)?;
                put(pairs, "design", &d);
            }
        }
        Ok(())
    }
}

/// Most events one point may take (a lesson's point takes well under a million).
const MAX_EVENTS: u64 = 50_000_000;

impl Point {
    /// Run this point to its end and read `metric` (natively: the static page's table, the
    /// lesson tests; the browser runs the same point in slices and gets the same number).
    pub fn run(&self, metric: &str) -> Result<crate::sim::metrics::Metrics, String> {
        let mut sim = crate::sim::create(self.kind, &self.pairs, self.seed).map_err(|e| e.0)?;
        if !sim.run_to_end(MAX_EVENTS) {
            return Err(format!(
                "the run at {} does not end within {MAX_EVENTS} events",
                self.value
            ));
        }
        let m = sim.metrics();
        match m.num(metric) {
            Some(_) => Ok(m),
            None => Err(format!(
                "the run at {} has no number `{metric}`",
                self.value
            )),
        }
    }

    /// The theory's mean time in the station, ms (`None`: no theory, or ρ ≥ 1).
    pub fn theory_ms(&self) -> Option<f64> {
        self.station.and_then(|s| s.mean_response_ms())
    }
}

impl Sweep {
    /// The theory's curve, (ρ, ms), at `n` + 1 settings evenly spread between the sweep's lowest
    /// and highest value (numeric values only); settings where it does not apply are left out.
    pub fn curve(&self, base: &WidgetSpec, n: usize) -> Vec<(f64, f64)> {
        let Some(name) = &self.theory else {
            return vec![];
        };
        let nums: Vec<f64> = self.values.iter().filter_map(|v| parse_f64(v)).collect();
        let lo = nums.iter().fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = nums.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        if nums.len() != self.values.len() || hi <= lo {
            return vec![];
        }
        let mut pairs = base.pairs.clone();
        for (k, v) in &self.set {
            put(&mut pairs, k, v);
        }
        (0..=n)
            .filter_map(|i| {
                let v = lo + (hi - lo) * i as f64 / n as f64;
                let mut p = pairs.clone();
                self.apply(&mut p, &crate::sim::num_fmt::Fixed(v, 4).to_string())
                    .ok()?;
                let s = theory::station(&design(&p), name).ok()?;
                Some((s.rho(), s.mean_response_ms()?))
            })
            .collect()
    }
}

fn put(pairs: &mut Vec<(String, String)>, key: &str, value: &str) {
    crate::sim::fixup::put(pairs, key, value.to_string());
}

fn design(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == "design")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The design with `key=value` set on the statement declaring `comp` (replaced or added).
pub fn set_in_design(design: &str, comp: &str, key: &str, value: &str) -> Result<String, String> {
    let mut found = false;
    let lines: Vec<String> = design
        .split(['\n', ';'])
        .map(|line| {
            let Some((name, rest)) = line.split_once(':') else {
                return line.trim().to_string();
            };
            if name.trim() != comp || line.contains("->") || found {
                return line.trim().to_string();
            }
            found = true;
            let mut words: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            let pre = format!("{key}=");
            match words.iter_mut().find(|w| w.starts_with(&pre)) {
                Some(w) => *w = format!("{pre}{value}"),
                None => words.push(format!("{pre}{value}")),
            }
            format!("{}: {}", name.trim(), words.join(" "))
        })
        .filter(|l| !l.is_empty())
        .collect();
    if !found {
        return Err(format!(
            "the design declares no component `{}`",
            shorten(comp)
        ));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests;
