//! Conditions on a run's metrics, written in lessons: `availability = 0.87`, `stale_reads > 0`,
//! `latency_p99_ms ~ 200 ± 15`, `linearizable = true`. A claim after a try-it step, an answer of
//! a prediction and a challenge's goal are all one of these, parsed natively (so tests run them)
//! and never failing: a bad condition is an error naming the problem and what is valid.
//!
//! A list metric's items are `name.1`, `name.2`, ... (`share.4`: the fourth server's share).
//!
//! `=` compares at the precision written: `0.87` holds for any value that rounds to 0.87, so the
//! prose's own rounding is what is checked; a whole number (`1`, `15`) means exactly that number
//! (use `~` for "about 4 ms"). `~ X ± T` holds within T (default: 10% of X).

use crate::sim::metrics::{Metrics, Value};
use crate::sim::num::parse_f64;
use crate::sim::params::shorten;

/// How a metric is compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    /// Within a tolerance.
    About(f64),
}

/// What a metric is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A number, with the decimals it was written with.
    Num {
        value: f64,
        decimals: u32,
        text: String,
    },
    /// A word: `true`, `false`, or a word-valued metric's value.
    Word(String),
}

/// One condition: `metric op target`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub metric: String,
    pub op: Op,
    pub target: Target,
}

const OPS: &str = "=, <, <=, >, >=, ~ (about, optionally ± tolerance)";

impl Cond {
    /// Parse `metric op value`; spaces around the operator are optional.
    pub fn parse(s: &str) -> Result<Cond, String> {
        let s = s.trim();
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(s.len());
        let (metric, rest) = s.split_at(end);
        if metric.is_empty() {
            return Err(format!(
                "`{}` should be a condition like `availability = 1` or `stale_reads > 0`",
                shorten(s)
            ));
        }
        let rest = rest.trim_start();
        let (op, rest) = split_op(rest).ok_or_else(|| {
            format!(
                "`{}`: after `{metric}` comes a comparison: {OPS}",
                shorten(s)
            )
        })?;
        let (value, tol) = match rest.split_once('±').or_else(|| rest.split_once("+-")) {
            Some((v, t)) => (v.trim(), Some(t.trim())),
            None => (rest.trim(), None),
        };
        let target = parse_target(value).ok_or_else(|| {
            format!(
                "`{}`: `{}` is not a number or a word",
                shorten(s),
                shorten(value)
            )
        })?;
        let op = match (op, tol, &target) {
            (Op::About(_), tol, Target::Num { value: v, .. }) => {
                let t = match tol {
                    Some(t) => parse_f64(t)
                        .filter(|t| t.is_finite() && *t >= 0.0)
                        .ok_or_else(|| {
                            format!(
                                "`{}`: tolerance `{}` is not a number",
                                shorten(s),
                                shorten(t)
                            )
                        })?,
                    None => v.abs() * 0.1,
                };
                Op::About(t)
            }
            (_, Some(_), _) => {
                return Err(format!("`{}`: ± goes with ~ only", shorten(s)));
            }
            (Op::Eq, None, _) | (_, None, Target::Num { .. }) => op,
            _ => return Err(format!("`{}`: words compare with = only", shorten(s))),
        };
        Ok(Cond {
            metric: metric.to_string(),
            op,
            target,
        })
    }

    /// Does the condition hold for these metrics? Errs when the metric does not exist or cannot
    /// be compared this way (the error names the metrics that do exist).
    pub fn holds(&self, m: &Metrics) -> Result<bool, String> {
        let Some(v) = lookup(m, &self.metric) else {
            let names: Vec<&str> = m.0.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "there is no metric `{}`; metrics here: {}",
                shorten(&self.metric),
                names.join(", ")
            ));
        };
        match (&self.target, v) {
            (
                Target::Num {
                    value, decimals, ..
                },
                v,
            ) => match v.as_f64() {
                Some(x) => Ok(compare(self.op, x, *value, *decimals)),
                None => Err(format!("`{}` is not a number", self.metric)),
            },
            (Target::Word(w), v) => Ok(word_of(&v).is_some_and(|have| have == *w)),
        }
    }

    /// The metric's value as the condition would read it (for "the run gave Y").
    pub fn observed(&self, m: &Metrics) -> Option<String> {
        lookup(m, &self.metric).map(|v| match (&self.target, v.as_f64()) {
            (Target::Num { decimals, .. }, Some(x)) if self.op == Op::Eq => {
                crate::sim::num_fmt::Fixed(x, (*decimals).min(9) as u8).to_string()
            }
            _ => v.to_string(),
        })
    }
}

impl std::fmt::Display for Cond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = match &self.target {
            Target::Num { text, .. } => text.clone(),
            Target::Word(w) => w.clone(),
        };
        match self.op {
            Op::Eq => write!(f, "{} = {t}", self.metric),
            Op::Lt => write!(f, "{} < {t}", self.metric),
            Op::Le => write!(f, "{} <= {t}", self.metric),
            Op::Gt => write!(f, "{} > {t}", self.metric),
            Op::Ge => write!(f, "{} >= {t}", self.metric),
            Op::About(tol) => write!(
                f,
                "{} ~ {t} ± {}",
                self.metric,
                crate::sim::num_fmt::Short(tol)
            ),
        }
    }
}

/// A metric by name; `share.4` is the 4th item (from 1) of the list metric `share`.
fn lookup(m: &Metrics, name: &str) -> Option<Value> {
    if let Some(v) = m.get(name) {
        return Some(v.clone());
    }
    let (base, index) = name.rsplit_once('.')?;
    let i: usize = index.parse().ok()?;
    match m.get(base)? {
        Value::List(items) => items
            .values
            .get(i.checked_sub(1)?)
            .map(|x| Value::Float(*x)),
        _ => None,
    }
}

fn split_op(s: &str) -> Option<(Op, &str)> {
    for (text, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("=", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("~", Op::About(0.0)),
    ] {
        if let Some(rest) = s.strip_prefix(text) {
            return Some((op, rest));
        }
    }
    None
}

fn parse_target(v: &str) -> Option<Target> {
    if v.is_empty() || v.contains(char::is_whitespace) {
        return None;
    }
    let clean = v.replace(',', "");
    if let Some(x) = parse_f64(&clean).filter(|x| x.is_finite()) {
        let decimals = clean.split_once('.').map_or(0, |(_, d)| d.len() as u32);
        return Some(Target::Num {
            value: x,
            decimals,
            text: v.to_string(),
        });
    }
    v.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        .then(|| Target::Word(v.to_string()))
}

fn compare(op: Op, x: f64, want: f64, decimals: u32) -> bool {
    match op {
        // A whole number means exactly that number: `availability = 1` must not hold for 0.93.
        Op::Eq if decimals == 0 => (x - want).abs() < 1e-9,
        Op::Eq => {
            let scale = 10f64.powi(decimals as i32);
            (x * scale).round() == (want * scale).round()
        }
        Op::Lt => x < want,
        Op::Le => x <= want,
        Op::Gt => x > want,
        Op::Ge => x >= want,
        Op::About(tol) => (x - want).abs() <= tol + 1e-9,
    }
}

fn word_of(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::List(_) => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> Metrics {
        let mut m = Metrics::default();
        m.float("availability", 0.8734)
            .int("stale_reads", 15)
            .flag("linearizable", false)
            .float("latency_p99_ms", 203.4)
            .list("share", "s", vec![0.25, 0.5]);
        m
    }

    #[test]
    fn list_items_by_position() {
        let holds = |s: &str| Cond::parse(s).and_then(|c| c.holds(&m()));
        assert_eq!(holds("share.2 = 0.5"), Ok(true));
        assert_eq!(holds("share.1 < 0.3"), Ok(true));
        assert!(holds("share.3 = 0").is_err());
        assert!(holds("share.0 = 0").is_err());
        let c = Cond::parse("share.2 = 0.4").unwrap();
        assert_eq!(c.observed(&m()).as_deref(), Some("0.5"));
    }

    #[test]
    fn equality_is_at_the_precision_written() {
        let holds = |s: &str| Cond::parse(s).and_then(|c| c.holds(&m()));
        assert_eq!(holds("availability = 0.87"), Ok(true));
        assert_eq!(holds("availability = 0.873"), Ok(true));
        assert_eq!(holds("availability = 0.874"), Ok(false));
        assert_eq!(holds("availability=0.9"), Ok(true));
        assert_eq!(
            holds("availability = 1"),
            Ok(false),
            "a whole number is exact"
        );
        assert_eq!(holds("stale_reads = 15"), Ok(true));
        assert_eq!(holds("stale_reads > 14"), Ok(true));
        assert_eq!(holds("stale_reads <= 14"), Ok(false));
        assert_eq!(holds("linearizable = false"), Ok(true));
        assert_eq!(holds("linearizable = true"), Ok(false));
        assert_eq!(holds("latency_p99_ms ~ 200"), Ok(true));
        assert_eq!(holds("latency_p99_ms ~ 200 ± 3"), Ok(false));
        assert_eq!(holds("latency_p99_ms ~ 200 +- 5"), Ok(true));
    }

    #[test]
    fn mistakes_are_named() {
        let e = Cond::parse("availability is 1").unwrap_err();
        assert!(e.contains("comes a comparison"), "{e}");
        let e = Cond::parse("= 3").unwrap_err();
        assert!(e.contains("should be a condition"), "{e}");
        let e = Cond::parse("x > true").unwrap_err();
        assert!(e.contains("words compare with = only"), "{e}");
        let e = Cond::parse("x = 3 ± 1").unwrap_err();
        assert!(e.contains("± goes with ~"), "{e}");
        let e = Cond::parse("nope = 1").unwrap().holds(&m()).unwrap_err();
        assert!(
            e.contains("no metric `nope`; metrics here: availability"),
            "{e}"
        );
    }

    #[test]
    fn observed_uses_the_written_precision() {
        let c = Cond::parse("availability = 0.87").unwrap();
        assert_eq!(c.observed(&m()).as_deref(), Some("0.87"));
        assert_eq!(c.to_string(), "availability = 0.87");
    }
}
