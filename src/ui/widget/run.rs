//! The run and its clock: building and resetting the scenario, snapshots, advancing simulated
//! time from animation frames within a per-frame budget, and the runs a frame is handed (a
//! replay from a link, a try-it step).

use super::{Msg, WidgetFrame, EVENTS_PER_FRAME};
use crate::content::{RunTo, Step};
use crate::session::{speed, Change, Session};
use crate::sim::command::{Mark, Timed};
use crate::sim::Time;
use crate::ui::controls::{Speed, SPEEDS};
use crate::ui::dom;
use gloo::render::request_animation_frame;
use std::rc::Rc;
use yew::prelude::*;

/// Most events the end-of-run estimate may simulate (it runs a copy when a run is built).
const HORIZON_EVENTS: u64 = 300_000;
/// Most events one press of "To end" runs, so a huge run never freezes the page.
const END_EVENTS: u64 = 5_000_000;

/// A run to rebuild on first display (from a permalink or an embed's attributes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replay {
    pub log: Vec<Timed>,
    pub at: Option<Mark>,
}

/// A try-it step pressed in the lesson: compared by pointer, so each press is a new drive.
#[derive(Clone, Debug)]
pub struct Drive(pub Rc<crate::content::Step>);

impl PartialEq for Drive {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl WidgetFrame {
    /// Build the run from setup pairs and a seed (and a shared run to replay, if any).
    pub(super) fn rebuild(&mut self, pairs: &[(String, String)], seed: u64, from: Option<&Replay>) {
        let kind = self.kind;
        self.stop();
        self.status = None;
        self.note = None;
        let built = match from {
            Some(r) => Session::replay(kind, pairs, seed, &r.log, r.at).map_err(|e| {
                format!("This link's recorded actions could not be replayed ({e}); the run starts fresh.")
            }),
            None => Session::new(kind, pairs, seed),
        };
        match built {
            Ok(s) => {
                self.session = Some(s);
                self.error = None;
            }
            Err(e) if from.is_some() => {
                self.session = Session::new(kind, pairs, seed).ok();
                self.error = Some(e);
            }
            Err(e) => {
                self.session = None;
                self.error = Some(e);
            }
        }
        self.after_rebuild();
    }

    /// Stop playing; the run is about to change, so a pending `play` step will not settle.
    fn stop(&mut self) {
        self.frame = None;
        self.playing = false;
        self.last_ts = None;
        self.settling = None;
    }

    fn after_rebuild(&mut self) {
        self.generation += 1;
        self.measure();
        self.refresh();
        self.panel = self.snap.clone();
    }

    /// Estimate where the run ends (for the scrubber) and, unless the reader picked a speed,
    /// start at the slowest speed that plays the whole run within 20 s.
    pub(super) fn measure(&mut self) {
        self.horizon = self
            .session
            .as_ref()
            .and_then(|s| s.end_estimate(HORIZON_EVENTS));
        if let (Some(end), false) = (self.horizon, self.speed_chosen) {
            self.speed = speed::watchable(end);
        }
    }

    /// The scrubber moved: go to that moment (back by an exact replay); playing pauses.
    pub(super) fn scrub(&mut self, ms: &str) {
        let Some(ms) = crate::sim::num::parse_f64(ms.trim()) else {
            return;
        };
        self.stop();
        if let Some(s) = self.session.as_mut() {
            if let Err(e) = s.scrub(Time::from_ms_f64(ms)) {
                self.error = Some(e);
            }
        }
        self.refresh();
    }

    /// One event back (an exact replay to the event before).
    pub(super) fn step_back(&mut self) {
        self.stop();
        if let Some(s) = self.session.as_mut() {
            if let Err(e) = s.step_back() {
                self.error = Some(e);
            }
        }
        self.refresh();
    }

    /// Jump to the end at once (at most `END_EVENTS` events per press).
    pub(super) fn run_to_end(&mut self, ctx: &Context<Self>) {
        // Jumping to the end of a playing step's run still ends that run.
        let settling = self.settling.take();
        self.stop();
        if let Some(s) = self.session.as_mut() {
            if !s.run_to_end(END_EVENTS) {
                self.status = Some(format!(
                    "Ran {END_EVENTS} more events; the run goes on: press To end again to continue."
                ));
            }
            self.announce = format!("At the end: {} events.", s.sim().events());
        }
        if let Some(step) = settling {
            self.settled(ctx, &step);
        }
        self.refresh();
    }

    /// A try-it step: rebuild into the step's exact state (whatever was clicked before), play
    /// if it says so, and bring the widget into view if it is off screen.
    pub(super) fn drive(&mut self, ctx: &Context<Self>, step: &Step) {
        self.stop();
        self.status = None;
        self.note = None;
        match Session::from_step(&ctx.props().spec, step) {
            Ok(s) => {
                self.session = Some(s);
                self.error = None;
                self.announce = format!("{}: done.", step.label);
            }
            Err(e) => self.error = Some(format!("This step could not be applied: {e}")),
        }
        self.after_rebuild();
        self.settling = None;
        if step.run == RunTo::Play && self.session.is_some() {
            self.set_playing(ctx, true);
        }
        // The reader pressed a step in the prose: bring its widget into view if it is not (the
        // cached visibility can lag behind the scroll that brought the button into view, and an
        // off-screen widget pauses itself).
        if let Some(el) = self.root.cast::<web_sys::Element>() {
            if !dom::on_screen(&el) {
                el.scroll_into_view();
            }
        }
    }

    /// A driven step's run stands where the step says: tell the page (now, or when a playing
    /// run ends).
    pub(super) fn settled(&mut self, ctx: &Context<Self>, step: &Rc<Step>) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        if step.run == RunTo::Play && !s.sim().is_done() {
            self.settling = Some(step.clone());
            return;
        }
        self.settling = None;
        if let Some(cb) = ctx.props().on_settled.as_ref() {
            cb.emit((step.clone(), s.sim().metrics()));
        }
    }

    /// Reset: time zero, the settings in force now, the same seed; interventions go.
    pub(super) fn reset(&mut self) {
        self.stop();
        self.status = None;
        self.error = None;
        if let Some(s) = self.session.as_mut() {
            s.reset();
        }
        self.after_rebuild();
    }

    /// Restarts with the seed typed in the seed field.
    pub(super) fn set_seed(&mut self, text: &str) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let change = match text.trim().parse::<u64>() {
            Ok(seed) => s.set_seed(seed),
            Err(_) => Change::Rejected(format!(
                "`seed={}` is not valid: expected a whole number from 0 to {}",
                crate::sim::params::shorten(text),
                u64::MAX
            )),
        };
        self.changed_by_reader(change, true);
    }

    /// Show what became of a change: an error (the controls re-read the state, so a refused
    /// value visibly reverts), a note about an adjusted setting, or nothing.
    pub(super) fn changed_by_reader(&mut self, change: Change, restarts: bool) {
        match change {
            Change::Rejected(e) => self.error = Some(e),
            Change::Unchanged => self.error = None,
            Change::Applied(note) => {
                self.error = None;
                if restarts {
                    self.stop();
                    self.status = None;
                    self.generation += 1;
                    self.measure();
                }
                self.announce = note.clone().unwrap_or_default();
                self.note = note;
            }
        }
        self.refresh();
    }

    pub(super) fn refresh(&mut self) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        self.snap = Rc::new(s.sim().snapshot());
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
        if let Some(s) = self.session.as_mut() {
            let target = s.sim().now().plus_us((dt * 1000.0 * factor) as u64);
            advance(s, target, EVENTS_PER_FRAME, dom::now_ms() + step_ms);
            self.playing = !s.sim().is_done();
            if s.sim().is_done() {
                self.announce = format!("Run finished after {} events.", s.sim().events());
            }
        }
        if !self.playing {
            if let Some(step) = self.settling.take() {
                self.settled(ctx, &step);
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

/// Step towards `target`, within `budget` events and until the wall clock reads `deadline_ms`
/// (checked every 64 events); the clock moves to `target` only if every event before it ran.
pub(super) fn advance(s: &mut Session, target: Time, budget: u32, deadline_ms: f64) {
    let mut n = 0;
    while n < budget && s.sim().next_time().is_some_and(|t| t <= target) {
        s.step();
        n += 1;
        if n % 64 == 0 && dom::now_ms() > deadline_ms {
            return;
        }
    }
    if n < budget && !s.sim().is_done() {
        s.run_until(target);
    }
}
