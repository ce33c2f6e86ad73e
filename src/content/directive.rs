//! Widget specs: which scenario, its parameters and seed. Parsed from a lesson directive
//! (`widget topology nodes=5 seed=7`), and by `route` from a URL, and checked against the
//! scenario registry so every problem is reported with the key, the value and what is valid.

use crate::sim::{self, params::shorten, Params};

/// The seed a widget uses when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// A checked widget: the scenario exists and every parameter is valid.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetSpec {
    pub kind: &'static str,
    /// Parameters as written (only the ones given; defaults fill the rest).
    pub pairs: Vec<(String, String)>,
    pub seed: u64,
}

impl WidgetSpec {
    /// Check a scenario name, `key=value` pairs and an optional seed.
    pub fn new(
        kind: &str,
        pairs: Vec<(String, String)>,
        seed: Option<&str>,
    ) -> Result<WidgetSpec, String> {
        let spec = sim::find(kind).ok_or_else(|| {
            let names: Vec<&str> = sim::SCENARIOS.iter().map(|s| s.name).collect();
            format!(
                "unknown widget `{}`; valid widgets: {}",
                shorten(kind),
                names.join(", ")
            )
        })?;
        let seed = match seed {
            None => DEFAULT_SEED,
            Some(s) => s.trim().parse::<u64>().map_err(|_| {
                format!(
                    "`seed={}` is not valid: expected a whole number from 0 to {}",
                    shorten(s),
                    u64::MAX
                )
            })?,
        };
        Params::parse(spec.name, spec.params, &pairs).map_err(|e| e.0)?;
        Ok(WidgetSpec {
            kind: spec.name,
            pairs,
            seed,
        })
    }

    /// The directive that recreates this widget: `widget topology nodes=5 seed=7`.
    pub fn directive(&self) -> String {
        let mut s = format!("widget {}", self.kind);
        for (k, v) in &self.pairs {
            s += &format!(" {k}={v}");
        }
        s + &format!(" seed={}", self.seed)
    }
}

/// Parse a directive's info string: `widget <kind> [key=value ...] [seed=N]`.
pub fn parse_directive(info: &str) -> Result<WidgetSpec, String> {
    let mut words = info.split_whitespace();
    if words.next() != Some("widget") {
        return Err(
            "a widget directive starts with `widget`, e.g. `widget topology nodes=5 seed=7`".into(),
        );
    }
    let Some(kind) = words.next() else {
        let names: Vec<&str> = sim::SCENARIOS.iter().map(|s| s.name).collect();
        return Err(format!(
            "the directive names no widget; valid widgets: {}",
            names.join(", ")
        ));
    };
    let mut pairs = Vec::new();
    let mut seed = None;
    for w in words {
        match w.split_once('=') {
            Some(("seed", v)) if seed.is_none() => seed = Some(v),
            Some(("seed", _)) => return Err("`seed` is given twice; give it once".into()),
            Some((k, v)) if !k.is_empty() => pairs.push((k.to_string(), v.to_string())),
            _ => {
                return Err(format!(
                    "`{}` should be key=value (no spaces around `=`)",
                    shorten(w)
                ))
            }
        }
    }
    WidgetSpec::new(kind, pairs, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_directive() {
        let w = parse_directive("widget topology nodes=6 loss=0.1 seed=7").unwrap();
        assert_eq!(w.kind, "topology");
        assert_eq!(w.seed, 7);
        assert_eq!(
            w.pairs,
            vec![("nodes".into(), "6".into()), ("loss".into(), "0.1".into())]
        );
        assert_eq!(w.directive(), "widget topology nodes=6 loss=0.1 seed=7");
        assert_eq!(
            parse_directive("widget topology").map(|w| w.seed),
            Ok(DEFAULT_SEED)
        );
    }

    #[test]
    fn bad_directives_say_what_is_wrong() {
        let cases = [
            ("widget", "names no widget; valid widgets: topology"),
            (
                "widget teleport",
                "unknown widget `teleport`; valid widgets: topology",
            ),
            ("widget topology nodes", "`nodes` should be key=value"),
            (
                "widget topology nodes=99",
                "`nodes=99` is not valid: expected a whole number from 2 to 50",
            ),
            (
                "widget topology speed=3",
                "unknown parameter `speed` for `topology`",
            ),
            ("widget topology seed=-1", "`seed=-1` is not valid"),
            ("widget topology seed=1 seed=2", "given twice"),
            ("gadget topology", "starts with `widget`"),
        ];
        for (d, want) in cases {
            let e = parse_directive(d).unwrap_err();
            assert!(e.contains(want), "{d}: {e}");
        }
    }
}
