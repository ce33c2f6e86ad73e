//! The widget frame every scenario gets: it owns one running scenario, drives its clock from
//! animation frames, and renders the topology, controls, knobs, metrics, charts and trace.
//! `WidgetPage` is the standalone page (`#/widget/<kind>?...`), also the iframe embed target.

use super::controls::{self, Speed, SPEEDS};
use super::{chart, dom, topology_view};
use crate::content::WidgetSpec;
use crate::route::WidgetRoute;
use crate::sim::{self, snapshot::Snapshot, Command, Scenario, Time};
use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// Most events processed in one animation frame, so a fast speed never freezes the page.
const EVENTS_PER_FRAME: u32 = 20_000;
/// Most points kept per chart (older points are thinned, not dropped).
const CHART_POINTS: usize = 240;

/// Props: the checked widget spec.
#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    pub spec: WidgetSpec,
    /// A notice to show above the widget (e.g. a permalink that no longer parses).
    #[prop_or_default]
    pub notice: Option<String>,
}

/// Widget state.
pub struct WidgetFrame {
    sim: Option<Box<dyn Scenario>>,
    pairs: Vec<(String, String)>,
    snap: Snapshot,
    playing: bool,
    speed: usize,
    last_ts: Option<f64>,
    last_paint: f64,
    frame: Option<AnimationFrame>,
    error: Option<String>,
    history: Vec<(f64, Vec<f64>)>,
    reduced_motion: bool,
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
}

impl Component for WidgetFrame {
    type Message = Msg;
    type Properties = FrameProps;

    fn create(ctx: &Context<Self>) -> Self {
        let pairs = ctx.props().spec.pairs.clone();
        let mut w = WidgetFrame {
            sim: None,
            pairs,
            snap: Snapshot::default(),
            playing: false,
            speed: controls::DEFAULT_SPEED,
            last_ts: None,
            last_paint: 0.0,
            frame: None,
            error: None,
            history: Vec::new(),
            reduced_motion: dom::reduced_motion(),
        };
        w.rebuild(ctx);
        w
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &FrameProps) -> bool {
        if ctx.props().spec != old.spec {
            self.pairs = ctx.props().spec.pairs.clone();
            self.rebuild(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(ts) => return self.on_frame(ctx, ts),
            Msg::TogglePlay => self.set_playing(ctx, !self.playing),
            Msg::Step => {
                self.set_playing(ctx, false);
                if let Some(s) = self.sim.as_mut() {
                    s.step();
                }
                self.refresh();
            }
            Msg::Reset => self.rebuild(ctx),
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
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(sim) = self.sim.as_ref() else {
            return super::lesson::error_box(
                &ctx.props().spec.directive(),
                self.error.as_deref().unwrap_or(""),
            );
        };
        let spec = sim.spec();
        let onkeydown = link.callback(Msg::Key);
        html! {
            <section class="widget" tabindex="0" {onkeydown}
                aria-label={format!("{} widget. Space plays or pauses, S steps, R resets.", spec.title)}>
                { for ctx.props().notice.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
                <header class="widget-head">
                    <h3>{ spec.title }</h3>
                    <span class="clock" aria-live="off">{ format!("t = {}", fmt_time(self.snap.now)) }</span>
                </header>
                { controls::bar(&controls::BarState {
                    playing: self.playing,
                    done: self.snap.done,
                    speed: self.speed,
                    events: self.snap.events,
                }, link) }
                <div class="widget-body">
                    <div class="stage">
                        { topology_view::view(&self.snap, link.callback(Msg::Link), link.callback(Msg::Node)) }
                        <p class="hint">{"Click a link to cut or heal it; click a node to crash or restart it."}</p>
                        { super::panels::view(&self.snap.extra, &self.snap, link.callback(Msg::Cmd)) }
                    </div>
                    <aside class="panel">
                        { metrics_grid(&self.snap) }
                        { self.charts(spec) }
                    </aside>
                </div>
                { for self.error.iter().map(|e| html! { <p class="error-line" role="alert">{ e.clone() }</p> }) }
                { controls::actions(spec, link) }
                { controls::knobs(spec, sim.params(), link) }
                <details class="trace">
                    <summary>{"Event log (latest events)"}</summary>
                    <ol>{ for self.snap.recent.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ol>
                </details>
            </section>
        }
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        self.frame = None;
    }
}

impl WidgetFrame {
    fn rebuild(&mut self, ctx: &Context<Self>) {
        let spec = &ctx.props().spec;
        self.frame = None;
        self.playing = false;
        self.last_ts = None;
        self.history.clear();
        match sim::create(spec.kind, &self.pairs, spec.seed) {
            Ok(s) => {
                self.sim = Some(s);
                self.error = None;
            }
            Err(e) => self.error = Some(e.0),
        }
        self.refresh();
    }

    fn refresh(&mut self) {
        let Some(s) = self.sim.as_ref() else { return };
        self.snap = s.snapshot();
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

    fn set_playing(&mut self, ctx: &Context<Self>, on: bool) {
        self.playing = on && !self.snap.done;
        self.last_ts = None;
        if self.playing {
            self.schedule(ctx);
        } else {
            self.frame = None;
        }
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| {
            link.send_message(Msg::Frame(ts))
        }));
    }

    fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        if !self.playing {
            return false;
        }
        let dt = self.last_ts.map_or(0.0, |l| (ts - l).clamp(0.0, 100.0));
        self.last_ts = Some(ts);
        let Speed { factor, .. } = SPEEDS[self.speed.min(SPEEDS.len() - 1)];
        if let Some(s) = self.sim.as_mut() {
            let target = s.now().plus_us((dt * 1000.0 * factor) as u64);
            advance(s.as_mut(), target, EVENTS_PER_FRAME);
            if s.is_done() {
                self.playing = false;
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
        let Some(s) = self.sim.as_ref() else { return };
        let Some(p) = s.spec().params.iter().find(|p| p.name == key) else {
            return;
        };
        if let Err(e) = p.parse(&value) {
            self.error = Some(e);
            return;
        }
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => self.pairs.push((key.to_string(), value.clone())),
        }
        if p.live {
            self.command(Command::Set {
                key: key.to_string(),
                value,
            });
        } else {
            self.rebuild(ctx);
        }
    }

    fn on_key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        use wasm_bindgen::JsCast;
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name());
        if matches!(
            tag.as_deref(),
            Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY" | "g" | "G")
        ) {
            return false;
        }
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
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

/// Step events up to `target` (at most `budget` of them), then stand at `target` if all were done.
fn advance(s: &mut dyn Scenario, target: Time, budget: u32) {
    let mut n = 0;
    while n < budget && s.next_time().is_some_and(|t| t <= target) {
        s.step();
        n += 1;
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
        format!("{ms:.1} ms")
    } else {
        format!("{:.3} s", ms / 1000.0)
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

/// Props of the standalone page: the route as parsed from the URL.
#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub route: WidgetRoute,
}

/// The standalone widget page: checks the URL; a bad parameter falls back to the defaults with a
/// visible notice; an unknown widget says which exist.
#[function_component(WidgetPage)]
pub fn widget_page(props: &PageProps) -> Html {
    let r = &props.route;
    let (spec, notice) = match WidgetSpec::new(&r.kind, r.pairs.clone(), r.seed.as_deref()) {
        Ok(spec) => (spec, None),
        Err(e) => match WidgetSpec::new(&r.kind, vec![], None) {
            Ok(spec) => (spec, Some(format!("This link's settings could not be used ({e}), so the widget opened with its defaults."))),
            Err(e) => return super::app::not_found(&e),
        },
    };
    dom::set_title(&format!("{} widget · Systems Sandbox", spec.kind));
    let open = crate::route::Route::Widget(WidgetRoute {
        embed: false,
        theme: None,
        ..r.clone()
    })
    .to_hash();
    html! {
        <div class="widget-page">
            <WidgetFrame spec={spec} notice={notice} />
            if r.embed {
                <p class="open-full"><a href={open} target="_blank" rel="noopener">{"Open in Systems Sandbox ↗"}</a></p>
            }
        </div>
    }
}
