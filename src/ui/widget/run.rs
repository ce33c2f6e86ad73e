//! The run and its clock: building and resetting the scenario, snapshots, and advancing
//! simulated time from animation frames within a per-frame budget.

use super::{Msg, Replay, WidgetFrame, CHART_POINTS, EVENTS_PER_FRAME};
use crate::sim::{self, replay, Scenario, Time};
use crate::ui::controls::{Speed, SPEEDS};
use crate::ui::dom;
use gloo::render::request_animation_frame;
use std::rc::Rc;
use yew::prelude::*;

impl WidgetFrame {
    /// Reset starts again from time zero with the settings as they are now (live changes
    /// included) and the same seed; only the interventions (cuts, crashes, actions) go.
    pub(super) fn keep_settings(&mut self) {
        if let Some(s) = self.sim.as_ref() {
            self.pairs = s
                .params()
                .non_default(s.spec().params)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        }
    }

    pub(super) fn rebuild(&mut self, ctx: &Context<Self>, from: Option<&Replay>) {
        let spec = &ctx.props().spec;
        self.frame = None;
        self.playing = false;
        self.last_ts = None;
        self.history.clear();
        self.status = None;
        self.generation += 1;
        let built = match from {
            Some(r) => replay::replay(spec.kind, &self.pairs, spec.seed, &r.log, r.at)
                .map_err(|e| format!("This link's recorded actions could not be replayed ({e}); the run starts fresh.")),
            None => sim::create(spec.kind, &self.pairs, spec.seed).map_err(|e| e.0),
        };
        match built {
            Ok(s) => {
                self.sim = Some(s);
                self.error = None;
            }
            Err(e) if from.is_some() => {
                self.sim = sim::create(spec.kind, &self.pairs, spec.seed).ok();
                self.error = Some(e);
            }
            Err(e) => self.error = Some(e),
        }
        self.refresh();
        self.panel = self.snap.clone();
    }

    pub(super) fn refresh(&mut self) {
        let Some(s) = self.sim.as_ref() else { return };
        self.snap = Rc::new(s.snapshot());
        self.hash = s.trace_hash();
        let t = self.snap.now.as_ms();
        let values: Vec<f64> = s
            .spec()
            .charts
            .iter()
            .map(|m| self.snap.metrics.num(m).unwrap_or(0.0))
            .collect();
        if self.history.last().is_none_or(|(last, _)| t > *last) {
            self.history.push((t, values));
            if self.history.len() > CHART_POINTS {
                thin(&mut self.history);
            }
        }
    }

    pub(super) fn set_playing(&mut self, ctx: &Context<Self>, on: bool) {
        self.playing = on && !self.snap.done;
        self.last_ts = None;
        self.frame = None;
        if self.playing && self.visible {
            self.schedule(ctx);
        }
    }

    pub(super) fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| {
            link.send_message(Msg::Frame(ts))
        }));
    }

    pub(super) fn on_visible(&mut self, ctx: &Context<Self>, visible: bool) -> bool {
        self.visible = visible;
        if !visible {
            self.frame = None;
        } else if self.playing && self.frame.is_none() {
            self.last_ts = None;
            self.schedule(ctx);
        }
        false
    }

    pub(super) fn on_frame(&mut self, ctx: &Context<Self>, ts: f64, step_ms: f64) -> bool {
        self.frame = None;
        if self.perf_on {
            self.perf = Some(dom::now_ms());
        }
        if !self.playing || !self.visible {
            return false;
        }
        let dt = self.last_ts.map_or(0.0, |l| (ts - l).clamp(0.0, 100.0));
        self.last_ts = Some(ts);
        let Speed { factor, .. } = SPEEDS[self.speed.min(SPEEDS.len() - 1)];
        if let Some(s) = self.sim.as_mut() {
            let target = s.now().plus_us((dt * 1000.0 * factor) as u64);
            advance(
                s.as_mut(),
                target,
                EVENTS_PER_FRAME,
                dom::now_ms() + step_ms,
            );
            self.playing = !s.is_done();
            if s.is_done() {
                self.announce = format!("Run finished after {} events.", s.events());
            }
        }
        if self.playing {
            self.schedule(ctx);
        }
        // With reduced motion, repaint four times a second: messages jump instead of gliding.
        if self.reduced_motion && self.playing && ts - self.last_paint < 250.0 {
            return false;
        }
        self.last_paint = ts;
        self.refresh();
        true
    }
}

/// Step events up to `target` (at most `budget` of them), then stand at `target` if all were done.
/// Step towards `target`, within `budget` events and until the wall clock reads `deadline_ms`
/// (checked every 64 events); the clock moves to `target` only if every event before it ran.
pub(super) fn advance(s: &mut dyn Scenario, target: Time, budget: u32, deadline_ms: f64) {
    let mut n = 0;
    while n < budget && s.next_time().is_some_and(|t| t <= target) {
        s.step();
        n += 1;
        if n % 64 == 0 && dom::now_ms() > deadline_ms {
            return;
        }
    }
    if n < budget && !s.is_done() {
        s.run_until(target);
    }
}

/// Halve the history by dropping every other point (keeps the shape, bounds memory).
pub(super) fn thin(h: &mut Vec<(f64, Vec<f64>)>) {
    let mut i = 0;
    h.retain(|_| {
        i += 1;
        i % 2 == 1
    });
}
