//! The widget frame every scenario gets: it owns one running scenario, drives its clock from
//! animation frames (only while on screen), and renders the topology, controls, knobs, metrics,
//! charts, the scenario's panel, the trace, and the Share / Embed / Download actions.
//!
//! This file holds the component and its messages; `run` the scenario and its clock, `act` what
//! the reader does to it, `view` the markup.

mod act;
mod inspect;
mod place;
mod run;
mod view;

pub use run::{Drive, Replay};

use super::controls::{self, SPEEDS};
use super::sharing::{self, Export};
use super::visibility::Visibility;
use super::{dom, topology_view};
use crate::content::WidgetSpec;
use crate::session::Session;
use crate::sim::{snapshot::Snapshot, Command, Time};
use gloo::render::AnimationFrame;
use std::rc::Rc;
use yew::prelude::*;

/// Most events processed in one animation frame, so a fast speed never freezes the page.
const EVENTS_PER_FRAME: u32 = 20_000;
/// Wall-clock time the simulation may take in one frame (the rest of the 4 ms budget draws).
/// When a fast speed needs more, the run plays slower than asked instead of stuttering.
const STEP_MS_PER_FRAME: f64 = 1.5;
/// The same on a frame that also redraws the scenario's panel.
const STEP_MS_PANEL_FRAME: f64 = 0.3;
/// While playing, the scenario's panel (rings, tables, diagrams: the costly part of a frame) and
/// the diagram's nodes and links redraw at most this often; messages on the canvas, the clock,
/// the metrics and the charts still move every frame.
const PANEL_EVERY_MS: f64 = 100.0;

/// Props: the checked widget spec, and optionally a run to replay.
#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    pub spec: WidgetSpec,
    /// A notice to show above the widget (e.g. a permalink that no longer parses).
    #[prop_or_default]
    pub notice: Option<String>,
    #[prop_or_default]
    pub replay: Option<Replay>,
    /// The latest try-it step pressed for this widget.
    #[prop_or_default]
    pub drive: Option<Drive>,
    /// Told the metrics when a driven step's run stands where the step says (at once, or for a
    /// `play` step when the run ends): the page decides the predictions that step answers.
    #[prop_or_default]
    pub on_settled: Option<Callback<(Rc<crate::content::Step>, crate::sim::metrics::Metrics)>>,
    /// Told this run's facts after every redraw (settings, interventions, metrics, ended or
    /// not): the page judges the challenges on this widget (`ui::challenge`).
    #[prop_or_default]
    pub on_facts: Option<Callback<Rc<crate::session::Facts>>>,
    /// Told the name of the node the reader inspects (clicks, or presses Enter on): the builder
    /// selects that component for editing.
    #[prop_or_default]
    pub on_inspect: Option<Callback<String>>,
    /// The site's URL (page without hash) for share links; empty: this page's own URL.
    #[prop_or_default]
    pub site: AttrValue,
    /// A lesson widget's session-storage key: its run is saved there when the page is left, so
    /// Back reopens it (`place.rs`).
    #[prop_or_default]
    pub place: Option<AttrValue>,
}

/// Which sheet is open under the widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    None,
    Share,
    Embed,
}

/// Widget state.
pub struct WidgetFrame {
    /// The one state every control reads and every change goes through (None: the settings
    /// could not be built; `error` says why).
    session: Option<Session>,
    /// The scenario's name (from the spec).
    kind: &'static str,
    snap: Rc<Snapshot>,
    /// The snapshot the scenario's panel shows, and when (animation-frame time) it was taken.
    panel: Rc<Snapshot>,
    panel_at: f64,
    on_cmd: Callback<Command>,
    /// Bumped on every rebuild, so cached layers redraw for a new run.
    generation: u64,
    on_link: Callback<(u32, Option<(f32, f32)>)>,
    on_node: Callback<u32>,
    on_param: Callback<(&'static str, String)>,
    on_action: Callback<&'static str>,
    on_seed: Callback<String>,
    /// Unique among the widgets on the page (element ids).
    uid: u32,
    playing: bool,
    speed: usize,
    last_ts: Option<f64>,
    last_paint: f64,
    frame: Option<AnimationFrame>,
    error: Option<String>,
    /// A sentence about a setting the frame adjusted for the reader (e.g. a TTL it had to set).
    note: Option<String>,
    /// When the current run would end if left alone (None: not within the estimate's budget).
    horizon: Option<Time>,
    /// The reader picked a speed: keep it instead of the run's watchable one.
    speed_chosen: bool,
    /// A `play` step whose run is playing: settled (see `on_settled`) when the run ends, dropped
    /// if the reader changes the run before that.
    settling: Option<Rc<crate::content::Step>>,
    reduced_motion: bool,
    sheet: Sheet,
    status: Option<String>,
    root: NodeRef,
    canvas: NodeRef,
    visible: bool,
    watch: Option<Visibility>,
    as_table: bool,
    log_open: bool,
    /// When measuring (`dom::perf_enabled`): when the current animation frame's work began.
    perf: Option<f64>,
    perf_on: bool,
    /// The latest state change, read out politely by screen readers (never per message).
    announce: String,
    /// Saves the run when the page is left (lesson widgets only).
    _place: Option<gloo::events::EventListener>,
    /// The node or message the reader is inspecting.
    inspect: Option<inspect::Inspect>,
    on_point: Callback<(f32, f32)>,
}

/// What the reader (or the clock) did.
pub enum Msg {
    Frame(f64),
    TogglePlay,
    Step,
    Reset,
    Speed(usize),
    /// A link pressed, and where a click landed (to pick a message drawn over it).
    Link(u32, Option<(f32, f32)>),
    Node(u32),
    Param(&'static str, String),
    /// The seed field (text as typed).
    Seed(String),
    /// "New seed": the next seed.
    NewSeed,
    /// The settings could not be built: open with the scenario's defaults instead.
    Defaults,
    /// The scrubber moved (simulated ms, as typed by the slider).
    Scrub(String),
    StepBack,
    RunToEnd,
    Action(&'static str),
    /// A command from a scenario panel (e.g. a partition button).
    Cmd(Command),
    Key(KeyboardEvent),
    Visible(bool),
    Sheet(Sheet),
    Copy(String),
    Export(Export),
    ToggleTable,
    /// The event log was opened or closed.
    LogToggled(Event),
    /// The page is being left: save the run for Back.
    SavePlace,
    /// Open (or close) the inspector.
    Inspect(Option<inspect::Inspect>),
    /// A click on the drawing away from nodes and links (SVG coordinates): pick a message.
    Point((f32, f32)),
    /// The inspector's Crash / Restart button.
    ToggleNode(u32),
}

impl Component for WidgetFrame {
    type Message = Msg;
    type Properties = FrameProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut w = WidgetFrame {
            session: None,
            kind: ctx.props().spec.kind,
            snap: Rc::default(),
            panel: Rc::default(),
            panel_at: f64::NEG_INFINITY,
            on_cmd: ctx.link().callback(Msg::Cmd),
            generation: 0,
            on_link: ctx.link().callback(|(l, at)| Msg::Link(l, at)),
            on_param: ctx.link().callback(|(k, v)| Msg::Param(k, v)),
            on_action: ctx.link().callback(Msg::Action),
            on_seed: ctx.link().callback(Msg::Seed),
            uid: next_uid(),
            on_node: ctx.link().callback(Msg::Node),
            playing: false,
            speed: controls::DEFAULT_SPEED,
            last_ts: None,
            last_paint: 0.0,
            frame: None,
            error: None,
            note: None,
            horizon: None,
            speed_chosen: false,
            settling: None,
            reduced_motion: dom::reduced_motion(),
            sheet: Sheet::None,
            status: None,
            root: NodeRef::default(),
            canvas: NodeRef::default(),
            visible: true,
            watch: None,
            as_table: false,
            log_open: false,
            perf: None,
            perf_on: dom::perf_enabled(),
            announce: String::new(),
            _place: place::listen(ctx),
            inspect: None,
            on_point: ctx.link().callback(Msg::Point),
        };
        let spec = &ctx.props().spec;
        w.rebuild(&spec.pairs, spec.seed, ctx.props().replay.as_ref());
        // A frame made with a step to stand in (the builder's hosted challenge) starts there.
        if let Some(d) = ctx.props().drive.clone() {
            w.drive(ctx, &d.0);
        }
        w
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &FrameProps) -> bool {
        if ctx.props().spec != old.spec || ctx.props().replay != old.replay {
            let spec = &ctx.props().spec;
            self.kind = spec.kind;
            self.rebuild(&spec.pairs, spec.seed, ctx.props().replay.as_ref());
        }
        if ctx.props().drive != old.drive {
            if let Some(d) = ctx.props().drive.clone() {
                self.drive(ctx, &d.0);
                if self.settling.is_none() {
                    self.settled(ctx, &d.0);
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if let Some(canvas) = self.canvas.cast::<web_sys::HtmlCanvasElement>() {
            super::particles::draw(&canvas, &self.snap, topology_view::px);
        }
        if let (Some(cb), Some(s)) = (ctx.props().on_facts.as_ref(), self.session.as_ref()) {
            cb.emit(Rc::new(s.facts_with(self.snap.metrics.clone())));
        }
        if let Some(start) = self.perf.take() {
            dom::perf_record(dom::now_ms() - start);
        }
        if first_render {
            if let Some(el) = self.root.cast::<web_sys::Element>() {
                self.watch = Visibility::watch(&el, ctx.link().callback(Msg::Visible));
            }
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if let Msg::Frame(ts) = msg {
            // A frame that also redraws the panel gives the simulation less time, so that frame
            // stays within budget too (the run plays a little slower, it does not stutter).
            let panel_due = ts - self.panel_at >= PANEL_EVERY_MS;
            let budget = if panel_due {
                STEP_MS_PANEL_FRAME
            } else {
                STEP_MS_PER_FRAME
            };
            let redraw = self.on_frame(ctx, ts, budget);
            if redraw && (!self.playing || panel_due) {
                self.panel = self.snap.clone();
                self.panel_at = ts;
            }
            return redraw;
        }
        let redraw = self.on_message(ctx, msg);
        // Anything the reader did shows in the panel at once.
        self.panel = self.snap.clone();
        redraw
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.render(ctx)
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        self.frame = None;
        self.watch = None;
    }
}

impl WidgetFrame {
    fn on_message(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(ts) => return self.on_frame(ctx, ts, STEP_MS_PER_FRAME),
            Msg::TogglePlay => self.set_playing(ctx, !self.playing),
            Msg::Step => {
                self.set_playing(ctx, false);
                if let Some(s) = self.session.as_mut() {
                    s.step();
                }
                self.refresh();
            }
            Msg::Reset => self.reset(),
            Msg::Seed(text) => self.set_seed(&text),
            Msg::NewSeed => {
                let next = self
                    .session
                    .as_ref()
                    .map_or(1, |s| s.seed().wrapping_add(1));
                self.set_seed(&next.to_string())
            }
            Msg::Defaults => {
                let seed = ctx.props().spec.seed;
                self.rebuild(&[], seed, None);
                self.note = Some("Opened with this widget's default settings.".into());
            }
            Msg::Speed(i) => {
                self.speed = i.min(SPEEDS.len() - 1);
                self.speed_chosen = true;
            }
            Msg::Scrub(ms) => self.scrub(&ms),
            Msg::StepBack => self.step_back(),
            Msg::RunToEnd => self.run_to_end(ctx),
            Msg::Link(l, at) => {
                // While paused, a click on a message drawn over a link inspects the message;
                // while playing, a click on a link always cuts or heals it (messages move).
                let at = at.filter(|_| !self.playing);
                match at.and_then(|(x, y)| inspect::pick_message(&self.snap, x, y)) {
                    Some(m) => self.inspect = Some(inspect::Inspect::Message(m)),
                    None => self.toggle_link(l),
                }
            }
            Msg::Node(n) => {
                self.inspect = Some(inspect::Inspect::Node(n));
                if let (Some(cb), Some(node)) = (&ctx.props().on_inspect, self.snap.node(n)) {
                    cb.emit(node.name.clone());
                }
            }
            Msg::ToggleNode(n) => self.toggle_node(n),
            Msg::Inspect(i) => self.inspect = i,
            Msg::Point((x, y)) => {
                self.inspect =
                    inspect::pick_message(&self.snap, x, y).map(inspect::Inspect::Message)
            }
            Msg::Param(k, v) => self.set_param(k, v),
            // An action is a command's text (`split:0|1`, `unsplit`, `do:expire`) or a bare `do` name.
            Msg::Action(a) => {
                self.command(Command::parse(a).unwrap_or_else(|_| Command::Do(a.to_string())))
            }
            Msg::Cmd(c) => self.command(c),
            Msg::Key(e) => return self.on_key(ctx, e),
            Msg::Visible(v) => return self.on_visible(ctx, v),
            Msg::Sheet(s) => self.sheet = if self.sheet == s { Sheet::None } else { s },
            Msg::Copy(text) => {
                sharing::copy(&text);
                self.status = Some("Copied to the clipboard.".into());
            }
            Msg::Export(kind) => self.export(kind),
            Msg::ToggleTable => self.as_table = !self.as_table,
            Msg::SavePlace => {
                self.save_place(ctx);
                return false;
            }
            Msg::LogToggled(e) => {
                let open = e
                    .target_dyn_into::<web_sys::HtmlDetailsElement>()
                    .is_some_and(|d| d.open());
                if open == self.log_open {
                    return false;
                }
                self.log_open = open;
            }
        }
        true
    }
}

/// A number no other widget on this page has.
fn next_uid() -> u32 {
    thread_local! {
        static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    NEXT.with(|n| {
        n.set(n.get().wrapping_add(1));
        n.get()
    })
}
