//! The run's clock: stepping and running (sampling the charts on the way), and moving through
//! time: a rewind replays from time zero to any earlier place (deterministic, so it is the same
//! run), keeping the interventions that lay beyond it as a future that is re-applied as the run
//! passes their places again, until the reader intervenes and the run forks.

use super::Session;
use crate::sim::command::Mark;
use crate::sim::Time;

impl Session {
    /// Process one event (sampling the charts up to it first); false when none was left.
    pub fn step(&mut self) -> bool {
        if !self.future.is_empty() {
            self.apply_due(self.sim.next_time().unwrap_or(Time::NEVER));
        }
        match self.sim.next_time() {
            Some(t) => {
                self.sample_before(t);
                let stepped = self.sim.step();
                self.after_event();
                self.sample_through(self.sim.now());
                stepped
            }
            None => false,
        }
    }

    /// Process every event up to `t` and stand at `t`.
    pub fn run_until(&mut self, t: Time) {
        while self.sim.next_time().is_some_and(|n| n <= t) {
            self.step();
        }
        if !self.future.is_empty() {
            self.apply_due(t);
            if self.sim.next_time().is_some_and(|n| n <= t) {
                return self.run_until(t);
            }
        }
        if !self.sim.is_done() {
            self.sample_through(t);
            self.sim.warp(t);
        }
    }

    /// Run until nothing is left or `max_events` more events ran; true when finished.
    pub fn run_to_end(&mut self, max_events: u64) -> bool {
        let mut n = 0;
        while n < max_events && self.step() {
            n += 1;
        }
        self.sim.is_done()
    }

    /// The furthest time this run has reached, rewinds included (the scrubber's range).
    pub fn reach(&self) -> Time {
        self.reach.max(self.sim.now())
    }

    /// Interventions waiting beyond the playhead after a rewind.
    pub fn future(&self) -> &[crate::sim::command::Timed] {
        &self.future
    }

    /// Move the playhead to simulated time `t`: forward by running, backward by replaying from
    /// time zero (the same run, since it is deterministic; interventions beyond `t` wait as the
    /// future and come back as the run passes them again).
    pub fn scrub(&mut self, t: Time) -> Result<(), String> {
        if t < self.sim.now() {
            self.rewind()?;
        }
        self.run_until(t);
        Ok(())
    }

    /// Go back one event: replay up to the event before the last one processed.
    pub fn step_back(&mut self) -> Result<(), String> {
        let n = self.sim.events();
        if n == 0 {
            return Ok(());
        }
        self.rewind()?;
        while self.sim.events() < n - 1 && self.step() {}
        self.apply_due(self.sim.now());
        Ok(())
    }

    /// Back to time zero of the same run, the interventions kept as the future.
    fn rewind(&mut self) -> Result<(), String> {
        let mut future = self.sim.log().to_vec();
        future.append(&mut self.future);
        let reach = self.reach();
        let sim =
            crate::sim::create(self.sim.spec().name, &self.pairs, self.seed).map_err(|e| e.0)?;
        *self = Session::around(sim, self.rev);
        self.future = future;
        self.reach = reach;
        Ok(())
    }

    /// Re-apply the future interventions placed here (this event count) at or before `limit`.
    fn apply_due(&mut self, limit: Time) {
        while let Some(f) = self.future.first() {
            if f.mark.events != self.sim.events() || f.mark.at > limit {
                return;
            }
            let f = self.future.remove(0);
            self.sample_through(f.mark.at);
            self.sim.warp(f.mark.at);
            if self.sim.apply(&f.cmd).is_err() {
                self.future.clear();
                return;
            }
        }
    }

    /// Go to a place in the run: step to its event count, then move the clock to its time.
    pub fn seek(&mut self, mark: Mark) {
        while self.sim.events() < mark.events && self.step() {}
        if !self.sim.is_done() {
            self.sample_through(mark.at);
        }
        self.sim.warp(mark.at);
    }

    /// Take every sample due before `t` (the state cannot change until the event at `t`).
    fn sample_before(&mut self, t: Time) {
        while self.series.due() < t {
            self.take_sample();
        }
    }

    /// Take every sample due up to and including `t` whose moment is settled: no event at or
    /// before it is still pending (events can share an instant, and a sample shows the state
    /// after all of them).
    pub(super) fn sample_through(&mut self, t: Time) {
        loop {
            let due = self.series.due();
            let settled = self.sim.next_time().is_none_or(|n| n > due);
            if due > t || due == Time::NEVER || !settled {
                return;
            }
            self.take_sample();
        }
    }

    fn take_sample(&mut self) {
        let due = self.series.due();
        self.sim.warp(due);
        let values = self.chart_values();
        self.series.push(values);
    }

    fn after_event(&mut self) {
        if self.sim.is_done() {
            let values = self.chart_values();
            self.series.finish(self.sim.now(), values);
        }
    }

    fn chart_values(&self) -> Vec<f64> {
        let m = self.sim.metrics();
        self.series
            .names
            .iter()
            .map(|n| m.num(n).unwrap_or(0.0))
            .collect()
    }
}
