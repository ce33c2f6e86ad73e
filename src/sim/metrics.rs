//! Named metric values a scenario reports: numbers, flags, words and small lists, in a fixed order.
//! Lists show as named items (`s1 0.25 · s2 0.25`), never as a raw array.

use super::num_fmt::Short;
use serde::Serialize;

/// One metric's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A count.
    Int(i64),
    /// A measured quantity (ratio, milliseconds, ...).
    Float(f64),
    /// A yes/no fact.
    Bool(bool),
    /// A verdict that is not a number, from a fixed vocabulary (e.g. "yes", "no", "undecided").
    Word(&'static str),
    /// A per-item list (e.g. share of requests per server).
    List(Items),
}

/// One number per item, and the prefix that names the items when shown (`s`: s1, s2, ...).
/// Serialized as a plain array of the numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Items {
    pub prefix: &'static str,
    pub values: Vec<f64>,
}

impl Serialize for Items {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(s)
    }
}

/// Separates the items of a list as shown (a middle dot between spaces).
pub const ITEM_SEP: &str = " \u{b7} ";

impl Value {
    /// The value as a number, if it is one (bools as 0/1; words are not numbers).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Value::Word(_) | Value::List(_) => None,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", Short(round3(*x))),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Word(w) => f.write_str(w),
            Value::List(l) if l.values.is_empty() => write!(f, "none"),
            Value::List(l) => {
                let parts: Vec<String> = l
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, x)| match l.prefix {
                        "" => Short(round3(*x)).to_string(),
                        p => format!("{p}{} {}", i + 1, Short(round3(*x))),
                    })
                    .collect();
                write!(f, "{}", parts.join(ITEM_SEP))
            }
        }
    }
}

/// Round to three decimals for display and JSON, so reports stay readable.
pub fn round3(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}

/// A scenario's metrics, in the order it declares them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics(pub Vec<(&'static str, Value)>);

impl Metrics {
    /// Append a count.
    pub fn int(&mut self, name: &'static str, v: i64) -> &mut Self {
        self.0.push((name, Value::Int(v)));
        self
    }
    /// Append a quantity (rounded to three decimals).
    pub fn float(&mut self, name: &'static str, v: f64) -> &mut Self {
        self.0.push((name, Value::Float(round3(v))));
        self
    }
    /// Append a flag.
    pub fn flag(&mut self, name: &'static str, v: bool) -> &mut Self {
        self.0.push((name, Value::Bool(v)));
        self
    }
    /// Append a word (a verdict from a fixed vocabulary).
    pub fn word(&mut self, name: &'static str, v: &'static str) -> &mut Self {
        self.0.push((name, Value::Word(v)));
        self
    }
    /// Append a list whose items are shown as `prefix` + their number from 1 (`s1 0.25`).
    pub fn list(&mut self, name: &'static str, prefix: &'static str, v: Vec<f64>) -> &mut Self {
        let values = v.into_iter().map(round3).collect();
        self.0.push((name, Value::List(Items { prefix, values })));
        self
    }
    /// Look a metric up by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    /// A metric as a word (missing or not a word: None).
    pub fn word_of(&self, name: &str) -> Option<&'static str> {
        match self.get(name) {
            Some(Value::Word(w)) => Some(w),
            _ => None,
        }
    }
    /// A metric as a number (missing, word or list: None).
    pub fn num(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Value::as_f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_reads() {
        let mut m = Metrics::default();
        m.int("sent", 3)
            .float("ratio", 0.123456)
            .flag("ok", true)
            .word("verdict", "undecided")
            .list("share", "s", vec![0.5, 0.25]);
        assert_eq!(m.num("sent"), Some(3.0));
        assert_eq!(m.num("ratio"), Some(0.123));
        assert_eq!(m.num("ok"), Some(1.0));
        assert_eq!(m.num("share"), None);
        assert_eq!(m.num("verdict"), None);
        assert_eq!(m.word_of("verdict"), Some("undecided"));
        assert_eq!(m.word_of("ok"), None);
        assert_eq!(
            m.get("verdict").map(|v| v.to_string()),
            Some("undecided".into())
        );
        assert_eq!(
            m.get("share").map(|v| v.to_string()),
            Some("s1 0.5 \u{b7} s2 0.25".into())
        );
        m.list("plain", "", vec![0.0, 1.0 / 3.0])
            .list("empty", "s", vec![]);
        assert_eq!(m.get("plain").unwrap().to_string(), "0 \u{b7} 0.333");
        assert_eq!(m.get("empty").unwrap().to_string(), "none");
        assert_eq!(
            serde_json::to_string(m.get("share").unwrap()).unwrap(),
            "[0.5,0.25]",
            "JSON keeps the plain array"
        );
        assert_eq!(round3(f64::NAN), 0.0);
    }
}
