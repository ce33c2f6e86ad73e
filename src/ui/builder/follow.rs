//! The builder's run as the page follows it: the SLO read from the address and judged on every
//! redraw, a hosted challenge judged, and the address kept on the run (its design as written, seed,
//! the reader's interventions, the SLO), written only when it changes.

use super::{Builder, SLO_DEFAULT};
use crate::builder;
use crate::route::Route;
use crate::session::Facts;
use crate::share::RunState;
use crate::ui::dom;
use std::rc::Rc;

impl Builder {
    /// Read an address's `slo=AVAILABILITY,P99_MS`; a mistake keeps the default and says why.
    pub(super) fn read_slo(&mut self, s: &str) -> Result<(), String> {
        let bad = || {
            format!(
                "The link's target `slo={}` was not used: expected availability and p99 in ms, e.g. slo=0.99,300.",
                crate::sim::params::shorten(s)
            )
        };
        let (a, p) = s.split_once(',').ok_or_else(bad)?;
        builder::Slo::parse(a, p).map_err(|e| format!("{} ({e})", bad()))?;
        self.slo = (a.trim().to_string(), p.trim().to_string());
        Ok(())
    }

    /// The SLO's lines on these metrics, or the mistake in a target.
    fn judge(&self, m: &crate::sim::metrics::Metrics) -> Vec<(String, Option<bool>)> {
        match builder::Slo::parse(&self.slo.0, &self.slo.1) {
            Ok(slo) => slo.judge(m).to_vec(),
            Err(e) => vec![(e, None)],
        }
    }

    pub(super) fn slo_changed(&mut self) {
        if let Some(f) = self.last.clone() {
            self.verdict = self.judge(&f.metrics);
            self.follow(&f);
        }
    }

    /// The widget redrew: judge the SLO and keep the address on the run. Redraw only when what
    /// the verdict says changed (the widget reports every frame).
    pub(super) fn facts(&mut self, f: Rc<Facts>) -> bool {
        let verdict = self.judge(&f.metrics);
        let hosted = self.hosted.as_mut().is_some_and(|h| h.judge(&f));
        if self.hosted.is_none() {
            // A hosted challenge keeps its link: its start is what the rules compare with.
            self.follow(&f);
        }
        self.last = Some(f.clone());
        if verdict == self.verdict && f.done == self.done && !hosted {
            return false;
        }
        self.verdict = verdict;
        self.done = f.done;
        true
    }

    /// Write the address for this run: design, seed, the reader's interventions, the SLO. Only
    /// when one of them changed: a comparison per frame; the link (its design packed) is written
    /// once per change.
    fn follow(&mut self, f: &Facts) {
        let same = self
            .followed
            .as_ref()
            .is_some_and(|(pairs, seed, log, slo)| {
                *pairs == f.pairs && *seed == f.seed && *log == f.log && *slo == self.slo
            });
        if same {
            return;
        }
        self.followed = Some((f.pairs.clone(), f.seed, f.log.clone(), self.slo.clone()));
        let run = RunState {
            kind: f.kind,
            pairs: &f.pairs,
            seed: f.seed,
            log: &f.log,
            at: Default::default(),
        };
        let mut r = run.route(false);
        r.at = None;
        for (k, v) in r.pairs.iter_mut() {
            if k == "design" && crate::sim::params::one_line(&self.ran).as_ref() == Some(v) {
                v.clone_from(&self.ran);
            }
        }
        if self.slo != (SLO_DEFAULT.0.to_string(), SLO_DEFAULT.1.to_string()) {
            r.pairs
                .push(("slo".into(), format!("{},{}", self.slo.0, self.slo.1)));
        }
        let hash = Route::Build(r).to_hash();
        if hash != self.address {
            dom::replace_hash(&hash);
            self.address = hash;
        }
    }
}
