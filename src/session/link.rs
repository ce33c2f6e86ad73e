//! Opening a widget from outside (a URL, an embed's attributes): every part is checked on its
//! own, so one bad parameter drops only itself (with a notice that names it and what would be
//! valid) and the seed and the other settings survive; a compact value (`design~=1…`, `crate::pack`)
//! that does not unpack is one such part. Pure, so it is tested natively.

use crate::content::{directive::DEFAULT_SEED, WidgetSpec};
use crate::route::WidgetRoute;
use crate::sim::command::{Mark, Timed};
use crate::sim::params::shorten;
use crate::sim::replay::parse_log;

/// A widget to open: its checked spec, the run to replay, and what had to be dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub spec: WidgetSpec,
    pub log: Vec<Timed>,
    pub at: Option<Mark>,
    /// One sentence per part that could not be used.
    pub notices: Vec<String>,
}

impl Opened {
    /// Anything to replay (a log or a playhead)?
    pub fn replays(&self) -> bool {
        !self.log.is_empty() || self.at.is_some()
    }

    /// The run this opens, as the widget frame builds it: a replay when there is something to
    /// replay, else a fresh run at time zero.
    pub fn build(&self) -> Result<super::Session, String> {
        let s = &self.spec;
        if self.replays() {
            super::Session::replay(s.kind, &s.pairs, s.seed, &self.log, self.at)
        } else {
            super::Session::new(s.kind, &s.pairs, s.seed)
        }
    }
}

/// Check a widget route part by part. Errs only when the widget itself is unknown.
pub fn open(r: &WidgetRoute) -> Result<Opened, String> {
    let base = WidgetSpec::new(&r.kind, vec![], None)?;
    let mut notices = Vec::new();
    let seed = match r.seed.as_deref() {
        None => DEFAULT_SEED,
        Some(s) => match s.trim().parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                notices.push(format!(
                    "`seed={}` was dropped: expected a whole number from 0 to {}; seed {DEFAULT_SEED} is used.",
                    shorten(s),
                    u64::MAX
                ));
                DEFAULT_SEED
            }
        },
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in &r.pairs {
        if let Some(notice) = crate::pack::dropped(k, v) {
            notices.push(notice);
            continue;
        }
        let (k, v) = &crate::pack::read_pair(k.clone(), v.clone());
        let mut trial = pairs.clone();
        trial.push((k.clone(), v.clone()));
        match WidgetSpec::new(base.kind, trial, None) {
            Ok(_) => pairs.push((k.clone(), v.clone())),
            Err(e) => notices.push(format!("{} was dropped: {e}.", setting(k, v))),
        }
    }
    let spec = WidgetSpec {
        kind: base.kind,
        pairs,
        seed,
        focus: Default::default(),
    };
    let log = match parse_log(r.log.as_deref().unwrap_or("")) {
        Ok(l) => l,
        Err(e) => {
            notices.push(format!(
                "The recorded actions could not be read ({e}), so the run starts fresh."
            ));
            return Ok(Opened {
                spec,
                log: vec![],
                at: None,
                notices,
            });
        }
    };
    let at = match r.at.as_deref().map(Mark::parse).transpose() {
        Ok(at) => at,
        Err(e) => {
            notices.push(format!("The playhead `t` was dropped ({e})."));
            None
        }
    };
    Ok(Opened {
        spec,
        log,
        at,
        notices,
    })
}

fn setting(k: &str, v: &str) -> String {
    format!("`{}={}`", shorten(k), shorten(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Route;

    fn route(h: &str) -> WidgetRoute {
        match Route::parse(h) {
            Route::Widget(w) => w,
            other => panic!("not a widget route: {other:?}"),
        }
    }

    #[test]
    fn one_bad_parameter_drops_only_itself() {
        let o = open(&route("#/widget/topology?nodes=99&loss=0.1&seed=7")).unwrap();
        assert_eq!(o.spec.seed, 7);
        assert_eq!(o.spec.pairs, vec![("loss".to_string(), "0.1".to_string())]);
        assert_eq!(o.notices.len(), 1);
        assert!(
            o.notices[0].contains("`nodes=99` was dropped"),
            "{:?}",
            o.notices
        );
        assert!(o.notices[0].contains("from 2 to 50"), "{:?}", o.notices);
    }

    #[test]
    fn a_bad_seed_keeps_the_settings() {
        let o = open(&route("#/widget/topology?nodes=6&seed=abc")).unwrap();
        assert_eq!(o.spec.seed, DEFAULT_SEED);
        assert_eq!(o.spec.pairs, vec![("nodes".to_string(), "6".to_string())]);
        assert!(o.notices[0].contains("`seed=abc` was dropped"));
    }

    #[test]
    fn unknown_keys_and_repeats_are_named() {
        let o = open(&route("#/widget/topology?colour=red&nodes=4&nodes=5")).unwrap();
        assert_eq!(o.spec.pairs, vec![("nodes".to_string(), "4".to_string())]);
        assert_eq!(o.notices.len(), 2, "{:?}", o.notices);
        assert!(o.notices[0].contains("unknown parameter `colour`"));
        assert!(o.notices[1].contains("given twice"));
    }

    #[test]
    fn a_broken_compact_design_drops_only_itself() {
        let design =
            "users: clients rate=80 deadline_ms=1000\napi: service workers=2\nusers -> api";
        let packed = crate::pack::pack(design).unwrap();
        let cut = &packed[..packed.len() - 4];
        let o = open(&route(&format!(
            "#/widget/system?design~={cut}&duration_ms=3000&seed=5"
        )))
        .unwrap();
        assert_eq!(o.spec.seed, 5);
        assert_eq!(
            o.spec.pairs,
            vec![("duration_ms".to_string(), "3000".to_string())]
        );
        assert_eq!(o.notices.len(), 1, "{:?}", o.notices);
        let n = &o.notices[0];
        assert!(
            n.starts_with("`design~=1") && n.contains("was dropped"),
            "{n}"
        );
        assert!(n.contains("cut short") && n.contains("`design=`"), "{n}");
        // Whole, it opens; and so does a compact pair handed over without the route's reading.
        let o = open(&route(&format!("#/widget/system?design~={packed}"))).unwrap();
        assert_eq!(
            o.spec.pairs,
            vec![("design".to_string(), design.to_string())]
        );
        let w = WidgetRoute {
            kind: "system".into(),
            pairs: vec![("design~".into(), packed)],
            ..Default::default()
        };
        assert_eq!(open(&w).unwrap().spec.pairs, o.spec.pairs);
    }

    #[test]
    fn unknown_widget_is_an_error_and_a_bad_log_a_notice() {
        assert!(open(&route("#/widget/teleport")).is_err());
        let o = open(&route("#/widget/topology?seed=3&log=zzz")).unwrap();
        assert_eq!(o.spec.seed, 3);
        assert!(!o.replays());
        assert!(o.notices[0].contains("recorded actions"));
    }
}
