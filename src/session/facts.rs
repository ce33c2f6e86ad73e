//! What a judge needs to know about a run, as plain data: the settings in force, the reader's
//! interventions, the metrics, whether the run has ended. A challenge (`content::challenge`) is
//! judged on these; the widget hands them to its page after every redraw. `rerun` plays the same
//! settings and interventions on another seed (interventions at their simulated times, since the
//! event counts of one seed mean nothing on another), synchronously, for "try N seeds".

use super::Session;
use crate::sim::command::Timed;
use crate::sim::metrics::Metrics;
// `Short` prints what `{}` does without core's float formatting (about 12 KB of wasm).
use crate::sim::num_fmt::Short;
use crate::sim::{Params, Time};

/// Most events a rerun may take, so a huge run never freezes the page.
pub const RERUN_EVENTS: u64 = 5_000_000;

/// One run as a judge sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub kind: &'static str,
    /// Setup parameters the run started from (live changes are in `log`).
    pub pairs: Vec<(String, String)>,
    pub seed: u64,
    /// The reader's interventions, at their places (those still ahead after a rewind included).
    pub log: Vec<Timed>,
    /// Every parameter in force now (live changes included).
    pub params: Params,
    pub metrics: Metrics,
    /// The run has ended: nothing is left to happen.
    pub done: bool,
    pub now: Time,
}

impl Session {
    /// This run's facts.
    pub fn facts(&self) -> Facts {
        self.facts_with(self.sim.metrics())
    }

    /// This run's facts, with its metrics already at hand (a snapshot's).
    pub fn facts_with(&self, metrics: Metrics) -> Facts {
        Facts {
            kind: self.sim.spec().name,
            pairs: self.pairs.clone(),
            seed: self.seed,
            // After a rewind, the interventions still ahead are the reader's too.
            log: self.sim.log().iter().chain(&self.future).cloned().collect(),
            params: self.sim.params().clone(),
            metrics,
            done: self.sim.is_done(),
            now: self.sim.now(),
        }
    }
}

impl Facts {
    /// The same settings and interventions on `seed`, run to the end (its own seed: an exact
    /// replay; another: each intervention at its simulated time).
    pub fn rerun(&self, seed: u64) -> Result<Facts, String> {
        let mut s = if seed == self.seed {
            Session::replay(self.kind, &self.pairs, seed, &self.log, None)?
        } else {
            let mut s = Session::new(self.kind, &self.pairs, seed)?;
            for t in &self.log {
                s.run_until(t.mark.at);
                s.apply(&t.cmd)
                    .map_err(|e| format!("`{}` at {} ms: {e}", t.cmd, Short(t.mark.at.as_ms())))?;
            }
            s
        };
        s.run_to_end(RERUN_EVENTS);
        Ok(s.facts())
    }
}
