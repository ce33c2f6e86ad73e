//! Scenario parameters: typed, range-checked `key=value` pairs with defaults. Every error names
//! the key, the value and what would be valid.

use super::num_fmt::Short;
use serde::Serialize;

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in [min, max].
    Int { min: i64, max: i64 },
    /// A number in [min, max].
    Float { min: f64, max: f64 },
    /// Milliseconds in [0, max], or `never`.
    MsOrNever { max: f64 },
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// Free text checked by the scenario itself (e.g. partition groups `0,1|2,3`). Short text
    /// is one word of at most 200 printable characters; `long` text (a system design) may hold
    /// spaces and several lines, up to `LONG_TEXT_MAX` bytes, and is kept on one line with `; `
    /// between its lines, so it survives URLs and one-line inputs unchanged.
    Text { hint: &'static str, long: bool },
}

/// One parameter of a scenario.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// Can it change while the simulation runs (otherwise changing it restarts the run)?
    pub live: bool,
}

/// A parameter, for `const` tables of `ParamSpec`s.
pub const fn param(
    name: &'static str,
    default: &'static str,
    kind: Kind,
    help: &'static str,
    live: bool,
) -> ParamSpec {
    ParamSpec {
        name,
        default,
        kind,
        help,
        live,
    }
}

impl ParamSpec {
    /// The valid values, in words: "a whole number from 1 to 9", "one of lru, lfu".
    pub fn valid(&self) -> String {
        match self.kind {
            Kind::Int { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Float { min, max } => {
                format!("a number from {} to {}", Short(min), Short(max))
            }
            Kind::MsOrNever { max } => format!("milliseconds from 0 to {}, or never", Short(max)),
            Kind::Choice(c) => format!("one of {}", c.join(", ")),
            Kind::Text { hint, .. } => hint.to_string(),
        }
    }

    /// Parse and check one value.
    pub fn parse(&self, raw: &str) -> Result<Value, String> {
        let bad = || {
            format!(
                "`{}={}` is not valid: expected {}",
                self.name,
                shorten(raw),
                self.valid()
            )
        };
        match self.kind {
            Kind::Int { min, max } => match raw.trim().parse::<i64>() {
                Ok(v) if (min..=max).contains(&v) => Ok(Value::Int(v)),
                _ => Err(bad()),
            },
            Kind::Float { min, max } => match crate::sim::num::parse_f64(raw.trim()) {
                Some(v) if v.is_finite() && v >= min && v <= max => Ok(Value::Float(v)),
                _ => Err(bad()),
            },
            Kind::MsOrNever { max } => match raw.trim() {
                "never" => Ok(Value::Never),
                s => match crate::sim::num::parse_f64(s) {
                    Some(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(Value::Float(v)),
                    _ => Err(bad()),
                },
            },
            Kind::Choice(c) => match c.iter().find(|w| **w == raw.trim()) {
                Some(w) => Ok(Value::Word(w)),
                None => Err(bad()),
            },
            Kind::Text { long: true, .. } => one_line(raw).map(Value::Text).ok_or_else(bad),
            Kind::Text { .. }
                if raw.len() <= 200 && raw.chars().all(|ch| ch.is_ascii_graphic()) =>
            {
                Ok(Value::Text(raw.to_string()))
            }
            Kind::Text { .. } => Err(bad()),
        }
    }
}

/// Longest `long` text parameter, in bytes.
pub const LONG_TEXT_MAX: usize = 8000;

/// Long text on one line: lines (split at newlines) trimmed, empty ones dropped, joined by `; `.
/// None when it is too long or holds characters other than printable ASCII, spaces and tabs.
pub fn one_line(raw: &str) -> Option<String> {
    let ok = |c: char| c.is_ascii_graphic() || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if raw.len() > LONG_TEXT_MAX || !raw.chars().all(ok) {
        return None;
    }
    let lines: Vec<&str> = raw
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Some(lines.join("; "))
}

/// Keep error messages one short line even for hostile input.
pub fn shorten(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.chars().count() > 40 {
        format!("{}…", clean.chars().take(40).collect::<String>())
    } else {
        clean
    }
}

/// A parsed parameter value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Float(f64),
    Word(&'static str),
    Text(String),
    #[serde(serialize_with = "never")]
    Never,
}

fn never<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("never")
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", Short(*x)),
            Value::Word(w) => write!(f, "{w}"),
            Value::Text(t) => write!(f, "{t}"),
            Value::Never => write!(f, "never"),
        }
    }
}

/// A bad parameter, unknown key or impossible combination.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError(pub String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every parameter of one scenario, resolved (defaults filled in), in declaration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    values: Vec<(&'static str, Value)>,
}

impl Params {
    /// Resolve `pairs` against `specs`: unknown keys, repeated keys and bad values are errors.
    pub fn parse(
        scenario: &str,
        specs: &[ParamSpec],
        pairs: &[(String, String)],
    ) -> Result<Params, ParamError> {
        let mut values = Vec::with_capacity(specs.len());
        for spec in specs {
            values.push((spec.name, spec.parse(spec.default).map_err(ParamError)?));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            let Some(i) = specs.iter().position(|s| s.name == k) else {
                let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(ParamError(format!(
                    "unknown parameter `{}` for `{scenario}`; valid parameters: {}",
                    shorten(k),
                    names.join(", ")
                )));
            };
            if seen.contains(&k.as_str()) {
                return Err(ParamError(format!(
                    "parameter `{}` is given twice; give it once",
                    shorten(k)
                )));
            }
            seen.push(k);
            values[i].1 = specs[i].parse(v).map_err(ParamError)?;
        }
        Ok(Params { values })
    }

    /// All values in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Value)> {
        self.values.iter()
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A whole-number parameter (0 if absent or of another kind).
    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            Some(Value::Int(i)) => *i,
            Some(Value::Float(f)) => *f as i64,
            _ => 0,
        }
    }

    /// A numeric parameter (0.0 if absent; `never` is +infinity).
    pub fn float(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(Value::Int(i)) => *i as f64,
            Some(Value::Float(f)) => *f,
            Some(Value::Never) => f64::INFINITY,
            _ => 0.0,
        }
    }

    /// A word or text parameter ("" if absent).
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(Value::Word(w)) => w,
            Some(Value::Text(t)) => t,
            Some(Value::Never) => "never",
            _ => "",
        }
    }

    /// Replace one value (already checked by the caller with `ParamSpec::parse`).
    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(slot) = self.values.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        }
    }

    /// `key=value` pairs for every value that differs from its default (for URLs and directives).
    pub fn non_default(&self, specs: &[ParamSpec]) -> Vec<(&'static str, String)> {
        self.values
            .iter()
            .filter(|(n, v)| {
                specs
                    .iter()
                    .find(|s| s.name == *n)
                    .and_then(|s| s.parse(s.default).ok())
                    .as_ref()
                    != Some(v)
            })
            .map(|(n, v)| (*n, v.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            name: "n",
            default: "3",
            kind: Kind::Int { min: 1, max: 9 },
            help: "replicas",
            live: false,
        },
        ParamSpec {
            name: "loss",
            default: "0",
            kind: Kind::Float { min: 0.0, max: 1.0 },
            help: "loss",
            live: true,
        },
        ParamSpec {
            name: "mode",
            default: "cp",
            kind: Kind::Choice(&["cp", "ap"]),
            help: "mode",
            live: false,
        },
        ParamSpec {
            name: "heal_at_ms",
            default: "never",
            kind: Kind::MsOrNever { max: 1e9 },
            help: "heal",
            live: false,
        },
    ];

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_overrides() {
        let p = Params::parse("x", SPECS, &pairs(&[("n", "5"), ("mode", "ap")])).unwrap();
        assert_eq!(p.int("n"), 5);
        assert_eq!(p.float("loss"), 0.0);
        assert_eq!(p.text("mode"), "ap");
        assert_eq!(p.float("heal_at_ms"), f64::INFINITY);
        assert_eq!(
            p.non_default(SPECS),
            vec![("n", "5".to_string()), ("mode", "ap".to_string())]
        );
    }

    #[test]
    fn errors_name_key_value_and_valid_range() {
        let e = Params::parse("x", SPECS, &pairs(&[("n", "12")]))
            .unwrap_err()
            .0;
        assert_eq!(
            e,
            "`n=12` is not valid: expected a whole number from 1 to 9"
        );
        let e = Params::parse("x", SPECS, &pairs(&[("loss", "NaN")]))
            .unwrap_err()
            .0;
        assert!(e.contains("a number from 0 to 1"), "{e}");
        let e = Params::parse("x", SPECS, &pairs(&[("mode", "ca")]))
            .unwrap_err()
            .0;
        assert!(e.contains("one of cp, ap"), "{e}");
        let e = Params::parse("x", SPECS, &pairs(&[("colour", "red")]))
            .unwrap_err()
            .0;
        assert_eq!(
            e,
            "unknown parameter `colour` for `x`; valid parameters: n, loss, mode, heal_at_ms"
        );
        let e = Params::parse("x", SPECS, &pairs(&[("n", "2"), ("n", "3")]))
            .unwrap_err()
            .0;
        assert!(e.contains("twice"), "{e}");
        let long = "9".repeat(100);
        let e = Params::parse("x", SPECS, &pairs(&[("n", &long)]))
            .unwrap_err()
            .0;
        assert!(e.len() < 120, "{e}");
    }
}
