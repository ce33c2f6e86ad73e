//! One widget's state, the single source of truth for everything its controls show: scenario,
//! setup parameters, seed, the log of interventions and the playhead, plus the running scenario
//! built from them and its chart series. Every control reads from here and every change goes
//! through here, so a control cannot show one thing while the engine runs another, and the Share
//! link is this state printed. Pure (no web crates): the property tests drive it natively.
//!
//! Rules:
//! - A setup change restarts from *all* current values (live changes included) with that one
//!   value replaced; if the result cannot be built, nothing changes and the error says why.
//! - A live change applies at once and is logged, except before the first event of a run, where
//!   it simply becomes part of the setup (so "reset, then pick" never leaves a logged command).
//! - A choice that needs another setting fixes that setting (`fixup`) and says so.

mod clock;
mod facts;
pub mod fixup;
pub mod link;
pub mod series;
pub mod speed;

use crate::content::{RunTo, Step, WidgetSpec};
use crate::share::RunState;
use crate::sim::command::{Mark, Timed};
use crate::sim::{self, Command, Params, Scenario, Time};
pub use facts::{Facts, RERUN_EVENTS};
use series::Series;

/// What became of a change the reader asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Applied; with a sentence when another setting was adjusted to make it work.
    Applied(Option<String>),
    /// Nothing to do: the value was already in force.
    Unchanged,
    /// Refused; nothing changed. The sentence names the problem and what is valid.
    Rejected(String),
}

/// A widget's run: the state and the scenario built from it.
pub struct Session {
    /// Setup parameters of the current run, canonical (non-default values, declaration order).
    pairs: Vec<(String, String)>,
    seed: u64,
    sim: Box<dyn Scenario>,
    series: Series,
    /// Bumped on every change attempt (applied or not), so views re-read every control.
    rev: u64,
    /// Logged interventions past the playhead after a rewind, re-applied as the run passes their
    /// places again; dropped when the reader intervenes (the run forks, as in RaftScope).
    future: Vec<Timed>,
    /// The furthest point this run has reached (the scrubber's range).
    reach: Time,
}

impl Session {
    /// A fresh run at time zero.
    pub fn new(kind: &str, pairs: &[(String, String)], seed: u64) -> Result<Session, String> {
        let sim = sim::create(kind, pairs, seed).map_err(|e| e.0)?;
        Ok(Session::around(sim, 0))
    }

    /// Rebuild a shared run: setup, seed, then each logged command at its place, then the
    /// playhead (or the end). The chart series is rebuilt on the way.
    pub fn replay(
        kind: &str,
        pairs: &[(String, String)],
        seed: u64,
        log: &[Timed],
        at: Option<Mark>,
    ) -> Result<Session, String> {
        let mut s = Session::new(kind, pairs, seed)?;
        for (i, t) in log.iter().enumerate() {
            if t.mark.events < s.sim.events() {
                return Err(format!(
                    "logged action {} ({t}) comes before the one it follows",
                    i + 1
                ));
            }
            s.seek(t.mark);
            s.sim
                .apply(&t.cmd)
                .map_err(|e| format!("logged action {} ({t}): {e}", i + 1))?;
        }
        match at {
            Some(m) => s.seek(m),
            None => {
                s.run_to_end(u64::MAX);
            }
        }
        Ok(s)
    }

    /// When this run would end if left alone from here (at most `max_events` more events; None if
    /// it would not end by then). Runs a copy, so this run is untouched.
    pub fn end_estimate(&self, max_events: u64) -> Option<Time> {
        if self.sim.is_done() {
            return Some(self.sim.now());
        }
        let st = self.run_state();
        let mut copy = Session::replay(st.kind, st.pairs, st.seed, st.log, Some(st.at)).ok()?;
        copy.future = self.future.clone();
        let start = copy.sim.events();
        while copy.sim.events() - start < max_events && copy.step() {}
        copy.sim.is_done().then(|| copy.sim.now())
    }

    /// The state a try-it step describes, on top of a widget's directive: its settings and seed
    /// replaced, its interventions applied at their times, then run where the step says (a
    /// `play` step stands at time zero; the widget starts playing it).
    pub fn from_step(spec: &WidgetSpec, step: &Step) -> Result<Session, String> {
        let pairs = step.applied_to(&spec.pairs);
        let mut s = Session::new(spec.kind, &pairs, step.seed.unwrap_or(spec.seed))?;
        for (t, cmd) in &step.at {
            s.run_until(*t);
            s.apply(cmd)
                .map_err(|e| format!("`{cmd}` at {} ms: {e}", sim::num_fmt::Short(t.as_ms())))?;
        }
        match step.run {
            RunTo::Start | RunTo::Play => {}
            RunTo::Until(t) => s.run_until(t),
            RunTo::End => {
                s.run_to_end(u64::MAX);
            }
        }
        Ok(s)
    }

    fn around(sim: Box<dyn Scenario>, rev: u64) -> Session {
        let pairs = canonical(sim.as_ref());
        let mut s = Session {
            pairs,
            seed: sim.seed(),
            series: Series::new(sim.spec().charts),
            sim,
            rev: rev + 1,
            future: Vec::new(),
            reach: Time::ZERO,
        };
        s.sample_through(Time::ZERO);
        s
    }

    /// The running scenario (read only: changes go through the session).
    pub fn sim(&self) -> &dyn Scenario {
        self.sim.as_ref()
    }
    /// Parameters in force now (live changes included): what every control shows.
    pub fn params(&self) -> &Params {
        self.sim.params()
    }
    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Setup parameters the current run started from.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
    /// Changes with every change attempt.
    pub fn rev(&self) -> u64 {
        self.rev
    }
    /// Charted metrics over simulated time.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// What identifies this run (for Share, Embed and downloads).
    pub fn run_state(&self) -> RunState<'_> {
        RunState {
            kind: self.sim.spec().name,
            pairs: &self.pairs,
            seed: self.seed,
            log: self.sim.log(),
            at: self.sim.mark(),
        }
    }

    /// Nothing has happened yet: no event processed, no intervention.
    pub fn pristine(&self) -> bool {
        self.sim.events() == 0 && self.sim.log().is_empty()
    }

    /// Change one parameter (see the module's rules).
    pub fn set_param(&mut self, key: &str, value: &str) -> Change {
        self.rev += 1;
        let spec = self.sim.spec();
        let Some(p) = spec.params.iter().find(|p| p.name == key) else {
            let names: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            return Change::Rejected(format!(
                "unknown parameter `{}`; valid parameters: {}",
                sim::params::shorten(key),
                names.join(", ")
            ));
        };
        let v = match p.parse(value) {
            Ok(v) => v,
            Err(e) => return Change::Rejected(e),
        };
        if self
            .params()
            .iter()
            .any(|(n, cur)| *n == p.name && *cur == v)
        {
            return Change::Unchanged;
        }
        if p.live && !self.pristine() {
            self.future.clear(); // an intervention forks the run
            let cmd = Command::Set {
                key: p.name.to_string(),
                value: v.to_string(),
            };
            return match self.sim.apply(&cmd) {
                Ok(()) => Change::Applied(None),
                Err(e) => self.live_fixup(p.name, v.to_string(), e),
            };
        }
        let mut pairs = canonical(self.sim.as_ref());
        sim::fixup::put(&mut pairs, p.name, v.to_string());
        let note = fixup::fixup(spec.name, &mut pairs, p.name);
        self.restart(&pairs, self.seed, note)
    }

    /// A live change the model refused because another setting does not allow it: apply the
    /// scenario's fix-up, as live changes when every setting it touches can change while the run
    /// goes on, else by restarting with the fixed settings (and saying so).
    fn live_fixup(&mut self, key: &'static str, value: String, refused: String) -> Change {
        let spec = self.sim.spec();
        let mut pairs = canonical(self.sim.as_ref());
        sim::fixup::put(&mut pairs, key, value.clone());
        let Some(note) = fixup::fixup(spec.name, &mut pairs, key) else {
            return Change::Rejected(refused);
        };
        let others: Vec<(&'static str, String)> = spec
            .params
            .iter()
            .filter(|p| p.name != key)
            .filter_map(|p| {
                let want = pairs
                    .iter()
                    .find(|(k, _)| k == p.name)
                    .map_or(p.default, |(_, v)| v);
                let want = p.parse(want).ok()?;
                let now = self
                    .params()
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, v)| v);
                (now != Some(&want)).then(|| (p.name, want.to_string()))
            })
            .collect();
        let all_live = others
            .iter()
            .all(|(k, _)| spec.params.iter().any(|p| p.name == *k && p.live));
        if !all_live {
            let note = format!(
                "{note} The run restarted, since that setting cannot change while it runs."
            );
            return self.restart(&pairs, self.seed, Some(note));
        }
        for (k, v) in others.into_iter().chain([(key, value)]) {
            let cmd = Command::Set {
                key: k.to_string(),
                value: v,
            };
            if let Err(e) = self.sim.apply(&cmd) {
                return Change::Rejected(e);
            }
        }
        Change::Applied(Some(note))
    }

    /// Start again from time zero with a new seed and the settings in force now.
    pub fn set_seed(&mut self, seed: u64) -> Change {
        self.rev += 1;
        if seed == self.seed && self.pristine() {
            return Change::Unchanged;
        }
        let pairs = canonical(self.sim.as_ref());
        self.restart(&pairs, seed, None)
    }

    /// Start again from time zero with the settings in force now (live changes included) and the
    /// same seed; interventions are dropped.
    pub fn reset(&mut self) {
        self.rev += 1;
        let pairs = canonical(self.sim.as_ref());
        // The current parameters were valid a moment ago, so this cannot fail; if it somehow
        // did, the run is left as it was.
        let _ = self.restart(&pairs, self.seed, None);
    }

    fn restart(&mut self, pairs: &[(String, String)], seed: u64, note: Option<String>) -> Change {
        match sim::create(self.sim.spec().name, pairs, seed) {
            Ok(sim) => {
                *self = Session::around(sim, self.rev);
                Change::Applied(note)
            }
            Err(e) => Change::Rejected(e.0),
        }
    }

    /// Apply an intervention now (logged for replay).
    pub fn apply(&mut self, cmd: &Command) -> Result<(), String> {
        self.rev += 1;
        self.future.clear();
        if let Command::Set { key, value } = cmd {
            return match self.set_param(key, value) {
                Change::Rejected(e) => Err(e),
                _ => Ok(()),
            };
        }
        self.sim.apply(cmd)
    }
}

/// The non-default values in force now, as `key=value` text pairs.
fn canonical(s: &dyn Scenario) -> Vec<(String, String)> {
    s.params()
        .non_default(s.spec().params)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[cfg(test)]
mod tests;
