//! The builder page (`#/build`): the reader composes a `system` design and runs it like any
//! widget. The design text is the one state: the palette (`button[data-add=KIND]`), the wire
//! form, the component inspector (a selected component's settings, with the same inputs as every
//! widget's knobs), moving a component in its column and "Arrange" all rewrite it, and the text
//! view (`textarea` labelled "design") edits it directly; "Run this design" (or Ctrl+Enter) runs
//! it. A text that does not run shows its error, naming the line, while the last design that did
//! keeps running; nothing typed is lost. The address follows the run (design, seed, the reader's
//! interventions, the SLO), so the page itself is the share link. The pure text operations are
//! `crate::builder`; `view` holds the markup.

mod challenge;
mod drag;
mod edits;
mod exercise;
mod follow;
mod open;
mod view;

use super::widget::{Drive, Replay};
use crate::builder::{self, Direction};
use crate::content::WidgetSpec;
use crate::route::WidgetRoute;
use crate::session::Facts;
use crate::sim::scenario::system::presets::PRESETS;
use std::rc::Rc;
use yew::prelude::*;

/// What the builder's run shows up front: offered load against goodput, the SLO's two figures and
/// how many attempts each request took.
const SHOW: [&str; 5] = [
    "offered_rate",
    "goodput",
    "availability",
    "latency_p99_ms",
    "attempts_per_request",
];

/// A spec for the builder's frame: its own metrics up front (its settings are the inspector's).
fn shown(mut spec: WidgetSpec) -> WidgetSpec {
    spec.focus.metrics = SHOW.iter().map(|m| m.to_string()).collect();
    spec.focus.knobs.clear();
    spec
}

/// What the address was written for: the run's settings, seed and interventions, and the SLO.
type Followed = (
    Vec<(String, String)>,
    u64,
    Vec<crate::sim::command::Timed>,
    (String, String),
);

/// The SLO when the address names none.
const SLO_DEFAULT: (&str, &str) = ("0.99", "300");

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub route: WidgetRoute,
}

pub enum Msg {
    Text(String),
    Key(KeyboardEvent),
    Run,
    Add(&'static str),
    From(String),
    To(String),
    Wire,
    Preset(String),
    Remove(String),
    DoRemove,
    Undo,
    Redo,
    /// A component picked in the inspector's list or on the drawing.
    Select(String),
    /// The selected component's setting changed in the inspector.
    SetKey(&'static str, String),
    Move(Direction),
    Arrange,
    /// Start a wire from the selected component: the next component picked is its callee.
    WireFrom,
    /// A key pressed on the drawing: W wires from the focused component, Delete removes it,
    /// Escape cancels a wire.
    DrawingKey(KeyboardEvent),
    /// Dragging a node on the drawing up or down its column.
    PointerDown(PointerEvent),
    PointerMove(PointerEvent),
    PointerUp(PointerEvent),
    SloAvailability(String),
    SloP99(String),
    /// The teacher's exercise form.
    Exercise(exercise::Edit),
    /// The hosted challenge: start again from its design, or apply its solution.
    ChallengeStart,
    ChallengeSolution,
    /// The running widget's latest facts (after each of its redraws).
    Facts(Rc<Facts>),
}

pub struct Builder {
    text: String,
    /// The design running now, with the run to replay on first display (from the address).
    running: Option<(WidgetSpec, Option<Replay>)>,
    error: Option<String>,
    notice: Option<String>,
    from: String,
    to: String,
    /// What the last action did, read out politely.
    status: String,
    /// The component the remove form names.
    remove: String,
    /// The component the inspector edits (empty: none), and a count of its edits (so after a
    /// refused value its inputs are drawn afresh from the text).
    selected: String,
    edits: u32,
    /// Texts before each structured change (Undo), and those undone (Redo).
    history: Vec<String>,
    future: Vec<String>,
    /// The target as typed (availability, p99 ms) and the verdict lines last shown.
    slo: (String, String),
    verdict: Vec<(String, Option<bool>)>,
    done: bool,
    last: Option<Rc<Facts>>,
    /// The teacher's exercise, as chosen so far.
    exercise: exercise::Form,
    /// A wire waiting for its callee (the component it starts from).
    wiring: Option<String>,
    /// The node being dragged on the drawing.
    drag: Option<drag::Drag>,
    /// A challenge opened from the link, judged on every run.
    hosted: Option<challenge::Hosted>,
    /// The latest run handed to the widget as a step (a hosted challenge's runs).
    drive: Option<Drive>,
    /// The text of the design running now, as the reader wrote it (the address carries it so).
    ran: String,
    /// What the address was last written for (settings, seed, interventions, SLO).
    followed: Option<Followed>,
    /// The address last written, so it is rewritten only when the run's identity changes.
    address: String,
    /// Made once, so handing them to the widget on every render never changes its props.
    on_facts: Callback<Rc<Facts>>,
    on_inspect: Callback<String>,
}

impl Component for Builder {
    type Message = Msg;
    type Properties = BuilderProps;

    fn create(ctx: &Context<Self>) -> Self {
        Builder::open(ctx)
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Text(t) => {
                self.text = t;
                self.error = None;
            }
            Msg::Key(e) => {
                if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                    e.prevent_default();
                    self.run();
                } else {
                    return false;
                }
            }
            Msg::Run => self.run(),
            Msg::Add(kind) => match builder::add_component(&self.text, kind) {
                Ok((t, name)) => {
                    self.apply(t, format!("Added {name}, a {kind}."));
                    self.selected = name;
                }
                Err(e) => self.error = Some(e),
            },
            Msg::From(v) => self.from = v,
            Msg::To(v) => self.to = v,
            Msg::Wire => self.wire(),
            Msg::Preset(name) => {
                if let Some((_, _, design)) = PRESETS.iter().find(|p| p.0 == name) {
                    self.edit(design.to_string());
                    self.selected = builder::components(&self.text)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    self.status = format!("Opened the preset {name}.");
                    self.run();
                }
            }
            Msg::Remove(v) => self.remove = v,
            Msg::DoRemove => self.remove(),
            Msg::Select(name) => {
                if let Some(from) = self.wiring.take() {
                    self.from = from;
                    self.to.clone_from(&name);
                    self.wire();
                    self.from.clear();
                    self.to.clear();
                    return true;
                }
                if builder::components(&self.text).contains(&name) && name != self.selected {
                    self.status = format!("Selected {name}: its settings are in the inspector.");
                    self.selected = name;
                } else {
                    return false;
                }
            }
            Msg::SetKey(key, value) => {
                self.edits += 1;
                match builder::set_key(&self.text, &self.selected, key, &value) {
                    Ok(t) => self.apply(t, format!("Set {}'s {key} to {value}.", self.selected)),
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::Move(dir) => match builder::move_component(&self.text, &self.selected, dir) {
                Ok(t) => {
                    let way = if dir == Direction::Up { "up" } else { "down" };
                    self.apply(t, format!("Moved {} {way} its column.", self.selected));
                }
                Err(e) => self.status = e,
            },
            Msg::WireFrom => self.update_wiring(),
            Msg::Exercise(e) => self.exercise_edit(e),
            Msg::DrawingKey(e) => return self.drawing_key(&e),
            Msg::PointerDown(e) => {
                self.drag = drag::start(&e);
                return false;
            }
            Msg::PointerMove(e) => {
                if let Some(d) = &self.drag {
                    d.follow(&e);
                }
                return false;
            }
            Msg::PointerUp(e) => return self.drop(&e),
            Msg::Arrange => match builder::arrange(&self.text) {
                Ok((_, 0, _)) => self.status = "Already tidy: no wires cross.".into(),
                Ok((_, before, after)) if after == before => {
                    self.status = format!("{before} wire crossings; reordering cannot remove them.")
                }
                Ok((t, before, after)) => {
                    self.apply(t, format!("Arranged: wire crossings {before} → {after}."))
                }
                Err(e) => self.error = Some(e),
            },
            Msg::SloAvailability(v) => {
                self.slo.0 = v;
                self.slo_changed();
            }
            Msg::SloP99(v) => {
                self.slo.1 = v;
                self.slo_changed();
            }
            Msg::Facts(f) => return self.facts(f),
            Msg::ChallengeStart => self.challenge_start(),
            Msg::ChallengeSolution => self.challenge_solution(),
            Msg::Undo => {
                if let Some(t) = self.history.pop() {
                    self.future.push(std::mem::replace(&mut self.text, t));
                    self.status = "Undone.".into();
                    self.run_if_valid();
                }
            }
            Msg::Redo => {
                if let Some(t) = self.future.pop() {
                    self.history.push(std::mem::replace(&mut self.text, t));
                    self.status = "Redone.".into();
                    self.run_if_valid();
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.page(ctx.link())
    }
}

impl Builder {
    /// A structured change: undoable, announced, and run once the text runs.
    fn apply(&mut self, text: String, status: String) {
        self.edit(text);
        self.status = status;
        self.run_if_valid();
    }

    /// Replace the text by a structured change (palette, wire, remove, preset, inspector,
    /// move, arrange): undoable.
    fn edit(&mut self, text: String) {
        self.history.push(std::mem::replace(&mut self.text, text));
        self.future.clear();
    }

    /// Run the text if it runs; otherwise show why, and keep the last design running.
    fn run(&mut self) {
        match builder::check(&self.text) {
            Ok(()) => self.start(),
            Err(e) => self.error = Some(e),
        }
    }

    /// After a structured change: run the text once it runs, and say nothing before (a design
    /// under construction is not an error).
    fn run_if_valid(&mut self) {
        self.error = None;
        if builder::check(&self.text).is_ok() {
            self.start();
        }
    }

    fn start(&mut self) {
        if let Some(h) = &self.hosted {
            let seed = self.last.as_ref().map_or(h.spec.seed, |f| f.seed);
            self.drive = Some(Drive(Rc::new(h.step(&self.text, seed))));
            self.running = Some((shown(h.spec.clone()), None));
            self.error = None;
            return;
        }
        // The run's other settings and its seed carry over to the new design.
        let mut pairs: Vec<(String, String)> = self
            .last
            .as_ref()
            .map(|f| {
                f.pairs
                    .iter()
                    .filter(|(k, _)| k != "design" && k != "preset")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        pairs.insert(0, ("design".to_string(), self.text.clone()));
        let seed = self.last.as_ref().map(|f| f.seed.to_string());
        match WidgetSpec::new("system", pairs, seed.as_deref()) {
            Ok(spec) => {
                self.ran.clone_from(&self.text);
                self.running = Some((shown(spec), None));
                self.error = None;
                self.notice = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}
