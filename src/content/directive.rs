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
    /// What the widget shows up front (a lesson's `show=` and `knobs=`; empty: the defaults).
    pub focus: Focus,
}

/// The metrics and settings a lesson widget shows up front; the rest sit folded under "All
/// metrics" and "More settings". Not part of a run's state, so not in permalinks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// Metric names (`show=a,b`); empty: the scenario's `focus`.
    pub metrics: Vec<String>,
    /// Setting names (`knobs=x,y`, `seed` allowed); empty: none up front.
    pub knobs: Vec<String>,
}

/// The most metrics a widget shows up front (a directive naming more is an error).
pub const MAX_FOCUS: usize = 6;

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
            focus: Focus::default(),
        })
    }

    /// The metrics shown up front: the directive's `show=`, else the scenario's default.
    pub fn focus_metrics(&self) -> Vec<&str> {
        if self.focus.metrics.is_empty() {
            sim::find(self.kind).map_or(vec![], |s| s.focus.to_vec())
        } else {
            self.focus.metrics.iter().map(String::as_str).collect()
        }
    }

    /// Check that the settings build (a design's mistakes are named by line), `show=` against
    /// the metrics this scenario reports with them and `knobs=` against its settings.
    fn check_focus(&self) -> Result<(), String> {
        let Some(spec) = sim::find(self.kind) else {
            return Ok(());
        };
        if self.focus.metrics.len() > MAX_FOCUS {
            return Err(format!(
                "`show=` names {} metrics; a widget shows at most {MAX_FOCUS} up front (the rest are under \"All metrics\")",
                self.focus.metrics.len()
            ));
        }
        // A lesson's settings must build (a `system` design is checked here, line by line).
        let sim = sim::create(self.kind, &self.pairs, self.seed).map_err(|e| e.0)?;
        {
            let m = sim.metrics();
            let names: Vec<&str> = m.0.iter().map(|(k, _)| *k).collect();
            if let Some(bad) = self
                .focus
                .metrics
                .iter()
                .find(|n| !names.contains(&n.as_str()))
            {
                return Err(format!(
                    "`show=` names `{}`, which `{}` does not report; valid metrics: {}",
                    shorten(bad),
                    self.kind,
                    names.join(", ")
                ));
            }
        }
        let known = |k: &str| k == "seed" || spec.params.iter().any(|p| p.name == k);
        if let Some(bad) = self.focus.knobs.iter().find(|k| !known(k)) {
            let names: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            return Err(format!(
                "`knobs=` names `{}`, which is not a setting of `{}`; valid: seed, {}",
                shorten(bad),
                self.kind,
                names.join(", ")
            ));
        }
        Ok(())
    }

    /// The directive that recreates this widget: `widget topology nodes=5 seed=7` (a design with
    /// spaces goes on the lines after it, as in a lesson's fenced block).
    pub fn directive(&self) -> String {
        let mut s = format!("widget {}", self.kind);
        let mut body = String::new();
        for (k, v) in &self.pairs {
            if k == DESIGN && v.contains(char::is_whitespace) {
                body = v.clone();
            } else {
                s += &format!(" {k}={v}");
            }
        }
        s += &format!(" seed={}", self.seed);
        if !self.focus.metrics.is_empty() {
            s += &format!(" show={}", self.focus.metrics.join(","));
        }
        if !self.focus.knobs.is_empty() {
            s += &format!(" knobs={}", self.focus.knobs.join(","));
        }
        if !body.is_empty() {
            s += &format!("\n{body}");
        }
        s
    }
}

/// Parse a directive: its info string `widget <kind> [key=value ...] [seed=N] [show=METRIC,...]
/// [knobs=SETTING,...]`, then optionally a newline and the fenced block's body, which is the
/// `design` of a scenario that takes one (the `system` widget).
pub fn parse_directive(directive: &str) -> Result<WidgetSpec, String> {
    let (info, body) = directive.split_once('\n').unwrap_or((directive, ""));
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
    let mut focus = Focus::default();
    for w in words {
        match w.split_once('=') {
            Some(("seed", v)) if seed.is_none() => seed = Some(v),
            Some(("seed", _)) => return Err("`seed` is given twice; give it once".into()),
            Some(("show", v)) => focus.metrics = list(v),
            Some(("knobs", v)) => focus.knobs = list(v),
            Some((k, v)) if !k.is_empty() => pairs.push((k.to_string(), v.to_string())),
            _ => {
                return Err(format!(
                    "`{}` should be key=value (no spaces around `=`)",
                    shorten(w)
                ))
            }
        }
    }
    add_body(kind, body, &mut pairs)?;
    let mut spec = WidgetSpec::new(kind, pairs, seed)?;
    spec.focus = focus;
    spec.check_focus()?;
    Ok(spec)
}

/// A fenced block's body is the `design` of a scenario that has one; any other widget takes none.
fn add_body(kind: &str, body: &str, pairs: &mut Vec<(String, String)>) -> Result<(), String> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(());
    }
    let takes = sim::find(kind).is_some_and(|s| s.params.iter().any(|p| p.name == DESIGN));
    if !takes {
        return Err(format!(
            "`widget {}` takes no lines in its block (only a widget with a `{DESIGN}` takes its design there)",
            shorten(kind)
        ));
    }
    if pairs.iter().any(|(k, _)| k == DESIGN) {
        return Err(format!(
            "the design is given twice: as `{DESIGN}=` and in the block; give it once"
        ));
    }
    pairs.push((DESIGN.into(), body.to_string()));
    Ok(())
}

/// The parameter a widget's block body sets.
const DESIGN: &str = "design";

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
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
        let f = parse_directive("widget topology seed=7 show=lost,sent knobs=loss,seed").unwrap();
        assert_eq!(f.focus_metrics(), vec!["lost", "sent"]);
        assert_eq!(f.focus.knobs, vec!["loss", "seed"]);
        assert_eq!(
            f.directive(),
            "widget topology seed=7 show=lost,sent knobs=loss,seed"
        );
        assert_eq!(
            parse_directive("widget topology").unwrap().focus_metrics(),
            sim::find("topology").unwrap().focus.to_vec()
        );
        assert_eq!(
            parse_directive("widget topology").map(|w| w.seed),
            Ok(DEFAULT_SEED)
        );
    }

    #[test]
    fn a_system_widget_takes_its_design_from_the_block() {
        let d = "widget system seed=4\nusers: clients rate=50\napi: service workers=2 service_ms=10\nusers -> api";
        let w = parse_directive(d).unwrap();
        assert_eq!(w.seed, 4);
        assert!(w
            .pairs
            .iter()
            .any(|(k, v)| k == "design" && v.contains("users -> api")));
        assert_eq!(parse_directive(&w.directive()).unwrap(), w);
        let e = parse_directive("widget topology\nusers -> api").unwrap_err();
        assert!(e.contains("takes no lines in its block"), "{e}");
        let e = parse_directive("widget system\nusers: clients rate=abc").unwrap_err();
        assert!(e.contains("rate"), "{e}");
    }

    #[test]
    fn every_scenario_focuses_on_at_most_four_metrics_it_reports() {
        for spec in sim::SCENARIOS {
            assert!(
                !spec.focus.is_empty() && spec.focus.len() <= 4,
                "{}",
                spec.name
            );
            let d = format!("widget {} show={}", spec.name, spec.focus.join(","));
            assert!(parse_directive(&d).is_ok(), "{d}");
        }
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
            (
                "widget topology show=delivered,speed",
                "`show=` names `speed`, which `topology` does not report; valid metrics: sent",
            ),
            (
                "widget topology knobs=nodes,warp",
                "`knobs=` names `warp`, which is not a setting of `topology`; valid: seed, nodes",
            ),
            ("widget topology show=a,b,c,d,e,f,g", "at most 6 up front"),
        ];
        for (d, want) in cases {
            let e = parse_directive(d).unwrap_err();
            assert!(e.contains(want), "{d}: {e}");
        }
    }
}
