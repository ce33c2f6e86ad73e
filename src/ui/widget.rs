//! The widget frame every scenario gets: it owns one running scenario, drives its clock from
//! animation frames (only while on screen), and renders the topology, controls, knobs, metrics,
//! charts, the scenario's panel, the trace, and the Share / Embed / Download actions.

use super::controls::{self, Speed, SPEEDS};
use super::sharing::{self, Export};
use super::visibility::Visibility;
use super::{chart, dom, topology_view};
use crate::content::WidgetSpec;
use crate::share::RunState;
use crate::sim::command::{Mark, Timed};
use crate::sim::num_fmt::Fixed;
use crate::sim::{self, export, replay, snapshot::Snapshot, Command, Scenario, Time};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::rc::Rc;
use yew::prelude::*;

/// Most events processed in one animation frame, so a fast speed never freezes the page.
const EVENTS_PER_FRAME: u32 = 20_000;
/// Wall-clock time the simulation may take in one frame (the rest of the 4 ms budget draws).
/// When a fast speed needs more, the run plays slower than asked instead of stuttering.
const STEP_MS_PER_FRAME: f64 = 1.5;
/// The same on a frame that also redraws the scenario's panel.
const STEP_MS_PANEL_FRAME: f64 = 0.3;
/// While playing, the scenario's panel (rings, tables, diagrams: the costly part of a frame)
/// redraws at most this often; the topology and the metrics still move every frame.
const PANEL_EVERY_MS: f64 = 100.0;
/// Most points kept per chart (older points are thinned, not dropped).
const CHART_POINTS: usize = 240;

/// A run to rebuild on first display (from a permalink or an embed's attributes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replay {
    pub log: Vec<Timed>,
    pub at: Option<Mark>,
}

/// Props: the checked widget spec, and optionally a run to replay.
#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    pub spec: WidgetSpec,
    /// A notice to show above the widget (e.g. a permalink that no longer parses).
    #[prop_or_default]
    pub notice: Option<String>,
    #[prop_or_default]
    pub replay: Option<Replay>,
    /// The site's URL (page without hash) for share links; empty: this page's own URL.
    #[prop_or_default]
    pub site: AttrValue,
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
    sim: Option<Box<dyn Scenario>>,
    /// Setup parameters of the current run (live changes are logged commands instead).
    pairs: Vec<(String, String)>,
    snap: Rc<Snapshot>,
    /// The snapshot the scenario's panel shows, and when (animation-frame time) it was taken.
    panel: Rc<Snapshot>,
    panel_at: f64,
    on_cmd: Callback<Command>,
    /// Bumped on every rebuild, so cached layers redraw for a new run.
    generation: u64,
    on_link: Callback<u32>,
    on_node: Callback<u32>,
    on_param: Callback<(&'static str, String)>,
    on_action: Callback<&'static str>,
    /// Unique among the widgets on the page (element ids).
    uid: u32,
    hash: u64,
    playing: bool,
    speed: usize,
    last_ts: Option<f64>,
    last_paint: f64,
    frame: Option<AnimationFrame>,
    error: Option<String>,
    history: Vec<(f64, Vec<f64>)>,
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
}

/// What the reader (or the clock) did.
pub enum Msg {
    Frame(f64),
    TogglePlay,
    Step,
    Reset,
    Speed(usize),
    Link(u32),
    Node(u32),
    Param(&'static str, String),
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
}

impl Component for WidgetFrame {
    type Message = Msg;
    type Properties = FrameProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut w = WidgetFrame {
            sim: None,
            pairs: ctx.props().spec.pairs.clone(),
            snap: Rc::default(),
            panel: Rc::default(),
            panel_at: f64::NEG_INFINITY,
            on_cmd: ctx.link().callback(Msg::Cmd),
            generation: 0,
            on_link: ctx.link().callback(Msg::Link),
            on_param: ctx.link().callback(|(k, v)| Msg::Param(k, v)),
            on_action: ctx.link().callback(Msg::Action),
            uid: next_uid(),
            on_node: ctx.link().callback(Msg::Node),
            hash: 0,
            playing: false,
            speed: controls::DEFAULT_SPEED,
            last_ts: None,
            last_paint: 0.0,
            frame: None,
            error: None,
            history: Vec::new(),
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
        };
        w.rebuild(ctx, ctx.props().replay.as_ref());
        w
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &FrameProps) -> bool {
        if ctx.props().spec != old.spec || ctx.props().replay != old.replay {
            self.pairs = ctx.props().spec.pairs.clone();
            self.rebuild(ctx, ctx.props().replay.as_ref());
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if let Some(canvas) = self.canvas.cast::<web_sys::HtmlCanvasElement>() {
            super::particles::draw(&canvas, &self.snap, topology_view::px);
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
                if let Some(s) = self.sim.as_mut() {
                    s.step();
                }
                self.refresh();
            }
            Msg::Reset => {
                self.keep_settings();
                self.rebuild(ctx, None)
            }
            Msg::Speed(i) => self.speed = i.min(SPEEDS.len() - 1),
            Msg::Link(l) => self.toggle_link(l),
            Msg::Node(n) => self.toggle_node(n),
            Msg::Param(k, v) => self.set_param(ctx, k, v),
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

    fn render(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(sim) = self.sim.as_ref() else {
            return super::lesson::error_box(
                &ctx.props().spec.directive(),
                self.error.as_deref().unwrap_or(""),
            );
        };
        let spec = sim.spec();
        html! {
            <section class="widget" tabindex="0" ref={self.root.clone()} onkeydown={link.callback(Msg::Key)}
                data-widget={spec.name}
                aria-label={format!("{} widget. Space plays or pauses, S steps, R resets.", spec.title)}>
                { for ctx.props().notice.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
                <header class="widget-head">
                    <h3>{ spec.title }</h3>
                    <span class="clock">{ format!("t = {}", fmt_time(self.snap.now)) }</span>
                </header>
                { controls::bar(&controls::BarState { playing: self.playing, done: self.snap.done, speed: self.speed, events: self.snap.events }, link) }
                <div class="widget-body">
                    <div class="stage">
                        if self.as_table {
                            { topology_view::table(&self.snap) }
                        } else {
                            { topology_view::view(&self.snap, self.generation, self.on_link.clone(), self.on_node.clone(), self.canvas.clone()) }
                        }
                        <p class="hint">{"Click a link to cut or heal it; click a node to crash or restart it. "}
                            <button class="linkish" data-action="table" aria-pressed={self.as_table.to_string()}
                                onclick={link.callback(|_| Msg::ToggleTable)}>{ if self.as_table { "Show as diagram" } else { "Show as table" } }</button>
                        </p>
                        <super::panels::Panel snap={self.panel.clone()} on_cmd={self.on_cmd.clone()} />
                    </div>
                    <aside class="panel">
                        { metrics_grid(&self.snap) }
                        { self.charts(spec) }
                    </aside>
                </div>
                { for self.error.iter().map(|e| html! { <p class="error-line" role="alert">{ e.clone() }</p> }) }
                <controls::Actions spec={spec} on_action={self.on_action.clone()} />
                <controls::Knobs spec={spec} params={sim.params().clone()} uid={self.uid} on_param={self.on_param.clone()} />
                <details class="trace" open={self.log_open} ontoggle={link.callback(Msg::LogToggled)}>
                    <summary>{"Event log (latest events)"}</summary>
                    // Only drawn while open: a closed log would still cost 20 text updates a frame.
                    if self.log_open {
                        <ol>{ for self.snap.recent.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ol>
                    }
                </details>
                { sharing::bar(&self.run_state(sim.as_ref()), &self.site(ctx), self.sheet, self.status.as_deref(), link) }
                <p class="sr-only" aria-live="polite" data-testid="announce">{ self.announce.clone() }</p>
                <p class="run-meta">{"Run fingerprint "}<code data-testid="trace-hash">{ format!("{:016x}", self.hash) }</code>
                    { format!(" · seed {}", sim.seed()) }</p>
            </section>
        }
    }
}

impl WidgetFrame {
    /// Reset starts again from time zero with the settings as they are now (live changes
    /// included) and the same seed; only the interventions (cuts, crashes, actions) go.
    fn keep_settings(&mut self) {
        if let Some(s) = self.sim.as_ref() {
            self.pairs = s
                .params()
                .non_default(s.spec().params)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        }
    }

    fn rebuild(&mut self, ctx: &Context<Self>, from: Option<&Replay>) {
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

    fn refresh(&mut self) {
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

    fn run_state<'a>(&'a self, s: &'a dyn Scenario) -> RunState<'a> {
        RunState {
            kind: s.spec().name,
            pairs: &self.pairs,
            seed: s.seed(),
            log: s.log(),
            at: s.mark(),
        }
    }

    fn site(&self, ctx: &Context<Self>) -> String {
        let site = ctx.props().site.to_string();
        if site.is_empty() {
            dom::page_url()
        } else {
            site
        }
    }

    fn set_playing(&mut self, ctx: &Context<Self>, on: bool) {
        self.playing = on && !self.snap.done;
        self.last_ts = None;
        self.frame = None;
        if self.playing && self.visible {
            self.schedule(ctx);
        }
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| {
            link.send_message(Msg::Frame(ts))
        }));
    }

    fn on_visible(&mut self, ctx: &Context<Self>, visible: bool) -> bool {
        self.visible = visible;
        if !visible {
            self.frame = None;
        } else if self.playing && self.frame.is_none() {
            self.last_ts = None;
            self.schedule(ctx);
        }
        false
    }

    fn on_frame(&mut self, ctx: &Context<Self>, ts: f64, step_ms: f64) -> bool {
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

    fn command(&mut self, cmd: Command) {
        let Some(s) = self.sim.as_mut() else { return };
        self.error = s.apply(&cmd).err();
        self.refresh();
        if self.error.is_none() {
            self.announce = describe(&cmd, &self.snap);
        }
    }

    fn toggle_link(&mut self, l: u32) {
        let cut = self
            .snap
            .links
            .iter()
            .find(|x| x.id == l)
            .is_some_and(|x| x.cut);
        self.command(if cut {
            Command::Heal(l)
        } else {
            Command::Cut(l)
        });
    }

    fn toggle_node(&mut self, n: u32) {
        let up = self
            .snap
            .nodes
            .iter()
            .find(|x| x.id == n)
            .is_none_or(|x| x.up);
        self.command(if up {
            Command::Crash(n)
        } else {
            Command::Restart(n)
        });
    }

    fn set_param(&mut self, ctx: &Context<Self>, key: &'static str, value: String) {
        let Some(p) = self
            .sim
            .as_ref()
            .and_then(|s| s.spec().params.iter().find(|p| p.name == key))
        else {
            return;
        };
        if let Err(e) = p.parse(&value) {
            self.error = Some(e);
            return;
        }
        if p.live {
            let current = self.sim.as_ref().and_then(|s| {
                s.params()
                    .iter()
                    .find(|(n, _)| *n == key)
                    .map(|(_, v)| v.clone())
            });
            if p.parse(&value).ok() == current {
                return; // no change: nothing to apply or log
            }
            return self.command(Command::Set {
                key: key.to_string(),
                value,
            });
        }
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.pairs.push((key.to_string(), value)),
        }
        self.rebuild(ctx, None);
    }

    fn on_key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        use wasm_bindgen::JsCast;
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name());
        let typing = matches!(
            tag.as_deref(),
            Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY" | "g" | "G")
        );
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return false;
        }
        let msg = match e.key().as_str() {
            " " | "k" => Msg::TogglePlay,
            "s" | "." => Msg::Step,
            "r" => Msg::Reset,
            _ => return false,
        };
        e.prevent_default();
        Component::update(self, ctx, msg)
    }

    fn export(&mut self, kind: Export) {
        let Some(s) = self.sim.as_ref() else { return };
        let name = s.spec().name;
        let file = match kind {
            Export::Json => Some((
                format!("{name}-run.json"),
                "application/json",
                export::trace_json(s.as_ref()),
            )),
            Export::Csv => Some((
                format!("{name}-metrics.csv"),
                "text/csv",
                export::metrics_csv(s.as_ref()),
            )),
            Export::Svg => self
                .root
                .cast::<web_sys::Element>()
                .and_then(|r| sharing::svg_file(&r))
                .map(|svg| (format!("{name}-topology.svg"), "image/svg+xml", svg)),
        };
        self.status = match file {
            Some((f, mime, body)) if dom::download(&f, mime, &body) => {
                Some(format!("Downloaded {f}."))
            }
            _ => Some("The download could not be started in this browser.".into()),
        };
    }

    fn charts(&self, spec: &sim::ScenarioSpec) -> Html {
        html! {
            <div class="charts">
                { for spec.charts.iter().enumerate().map(|(i, name)| {
                    let pts: Vec<(f64, f64)> = self.history.iter().map(|(t, v)| (*t, v.get(i).copied().unwrap_or(0.0))).collect();
                    chart::sparkline(name, &pts)
                }) }
            </div>
        }
    }
}

/// One sentence for screen readers about an intervention that just took effect.
fn describe(cmd: &Command, snap: &Snapshot) -> String {
    let node = |n: &u32| {
        snap.node(*n)
            .map_or_else(|| format!("node {n}"), |x| x.name.clone())
    };
    let link = |l: &u32| match snap.links.iter().find(|x| x.id == *l) {
        Some(x) => format!("Link between {} and {}", node(&x.a), node(&x.b)),
        None => format!("Link {l}"),
    };
    match cmd {
        Command::Cut(l) => format!("{} cut.", link(l)),
        Command::Heal(l) => format!("{} repaired.", link(l)),
        Command::Crash(n) => format!("{} crashed.", node(n)),
        Command::Restart(n) => format!("{} restarted.", node(n)),
        Command::Split(_) => "Network partitioned.".into(),
        Command::Unsplit => "Partition healed.".into(),
        Command::Set { key, value } => format!("{} set to {value}.", key.replace('_', " ")),
        Command::Do(a) => format!("{} done.", a.replace('-', " ")),
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

/// Step events up to `target` (at most `budget` of them), then stand at `target` if all were done.
/// Step towards `target`, within `budget` events and until the wall clock reads `deadline_ms`
/// (checked every 64 events); the clock moves to `target` only if every event before it ran.
fn advance(s: &mut dyn Scenario, target: Time, budget: u32, deadline_ms: f64) {
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
fn thin(h: &mut Vec<(f64, Vec<f64>)>) {
    let mut i = 0;
    h.retain(|_| {
        i += 1;
        i % 2 == 1
    });
}

fn fmt_time(t: Time) -> String {
    let ms = t.as_ms();
    if ms < 1000.0 {
        format!("{} ms", Fixed(ms, 1))
    } else {
        format!("{} s", Fixed(ms / 1000.0, 3))
    }
}

fn metrics_grid(snap: &Snapshot) -> Html {
    html! {
        <dl class="metrics">
            { for snap.metrics.0.iter().map(|(k, v)| html! {
                <div class="metric" data-metric={*k}>
                    <dt>{ k.replace('_', " ") }</dt>
                    <dd>{ v.to_string() }</dd>
                </div>
            }) }
        </dl>
    }
}
