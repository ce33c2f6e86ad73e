//! Playback controls, scenario actions and parameter knobs, shared by every widget.

use super::dom;
use super::widget::{Msg, WidgetFrame};
use crate::sim::num_fmt::Short;
use crate::sim::params::{Kind, ParamSpec, Params};
use crate::sim::ScenarioSpec;
use yew::html::Scope;
use yew::prelude::*;

pub use crate::session::speed::{Speed, DEFAULT_SPEED, SPEEDS};

/// What the control bar shows.
pub struct BarState {
    pub playing: bool,
    pub done: bool,
    pub speed: usize,
    pub events: u64,
    /// Simulated time now, and the scrubber's end (the run's end if known, else how far it got).
    pub now_ms: f64,
    pub end_ms: f64,
    /// The clock as text, for the scrubber's spoken value.
    pub clock: String,
}

/// Play/pause, step back, step, run to end, reset, speed, and the time scrubber.
pub fn bar(s: &BarState, link: &Scope<WidgetFrame>) -> Html {
    let play_label = if s.done {
        "Finished"
    } else if s.playing {
        "Pause"
    } else {
        "Play"
    };
    let on_speed =
        link.callback(|e: Event| Msg::Speed(dom::event_value(&e).parse().unwrap_or(DEFAULT_SPEED)));
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation controls">
            <button class="primary" data-action="play" disabled={s.done} aria-pressed={s.playing.to_string()}
                title="Play or pause (Space)" onclick={link.callback(|_| Msg::TogglePlay)}>{ play_label }</button>
            <button data-action="step-back" disabled={s.events == 0} title="Go back one event (B)"
                aria-label="Step back" onclick={link.callback(|_| Msg::StepBack)}>{"◀"}<span class="wide-only">{" Back"}</span></button>
            <button data-action="step" disabled={s.done} title="Process one event (S)"
                onclick={link.callback(|_| Msg::Step)}>{"Step"}</button>
            <button data-action="run-to-end" disabled={s.done} title="Jump to the end of the run (E)"
                onclick={link.callback(|_| Msg::RunToEnd)}>{"To end"}</button>
            <button data-action="reset" title="Start again from time zero, same settings and seed (R)"
                onclick={link.callback(|_| Msg::Reset)}>{"Reset"}</button>
            <label class="speed"><span class="wide-only">{"Speed "}</span>
                <select onchange={on_speed} data-action="speed" aria-label="Speed" ~value={s.speed.to_string()}>
                    { for SPEEDS.iter().enumerate().map(|(i, sp)| html! {
                        <option value={i.to_string()} selected={i == s.speed}>{ sp.label }</option>
                    }) }
                </select>
            </label>
            <label class="scrub">
                <span class="wide-only">{"Time"}</span>
                <input type="range" data-action="scrub" aria-label="Time" min="0" max={Short(s.end_ms.max(s.now_ms)).to_string()} step="any"
                    ~value={Short(s.now_ms).to_string()} aria-valuetext={s.clock.clone()}
                    title="Drag to any moment of the run; going back replays it exactly"
                    oninput={link.callback(|e: InputEvent| Msg::Scrub(dom::input_value(&e)))} />
                <span class="events" data-testid="events">{ format!("{} events", s.events) }</span>
            </label>
        </div>
    }
}

/// Props of the actions bar: the scenario (compared by address) and where a click goes.
#[derive(Properties)]
pub struct ActionsProps {
    pub spec: &'static ScenarioSpec,
    pub on_action: Callback<&'static str>,
}

impl PartialEq for ActionsProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.spec, other.spec) && self.on_action == other.on_action
    }
}

/// Buttons for the scenario's own actions (a component: drawn once, not on every frame).
#[function_component(Actions)]
pub fn actions(p: &ActionsProps) -> Html {
    if p.spec.actions.is_empty() {
        return Html::default();
    }
    html! {
        <div class="actions">
            { for p.spec.actions.iter().map(|(name, label)| {
                let name: &'static str = name;
                let cb = p.on_action.clone();
                html! { <button data-action={name} onclick={Callback::from(move |_| cb.emit(name))}>{ *label }</button> }
            }) }
        </div>
    }
}

/// Props of the knobs: the scenario, its parameters and seed now, the session's revision (it
/// changes on every change attempt, so a refused value visibly reverts), the widget's unique
/// number (for element ids) and where changes go.
#[derive(Properties)]
pub struct KnobsProps {
    pub spec: &'static ScenarioSpec,
    pub params: Params,
    pub seed: u64,
    pub rev: u64,
    pub uid: u32,
    /// Settings shown up front (the directive's `knobs=`); the rest sit under "More settings".
    #[prop_or_default]
    pub focus: Vec<String>,
    pub on_param: Callback<(&'static str, String)>,
    pub on_seed: Callback<String>,
    pub on_new_seed: Callback<MouseEvent>,
}

impl PartialEq for KnobsProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.spec, other.spec)
            && self.params == other.params
            && self.seed == other.seed
            && self.rev == other.rev
            && self.uid == other.uid
            && self.focus == other.focus
            && self.on_param == other.on_param
    }
}

/// One input per parameter: live ones apply at once, the others restart the run. A component,
/// so it redraws only when the state changed, not on every animation frame. After each change
/// attempt every input is set from the state (a browser keeps what was typed or picked even when
/// the markup says otherwise), so a control never shows a value the engine is not using.
#[function_component(Knobs)]
pub fn knobs(p: &KnobsProps) -> Html {
    let root = use_node_ref();
    {
        let root = root.clone();
        let values: Vec<(&'static str, String)> =
            p.params.iter().map(|(n, v)| (*n, v.to_string())).collect();
        let seed = p.seed.to_string();
        use_effect_with((p.rev, p.params.clone(), p.seed), move |_| {
            if let Some(el) = root.cast::<web_sys::Element>() {
                dom::sync_inputs(&el, &values, &seed);
            }
        });
    }
    let up_front = |name: &str| p.focus.iter().any(|f| f == name);
    let rest = |live: bool| -> Vec<&ParamSpec> {
        p.spec
            .params
            .iter()
            .filter(|s| s.live == live && !up_front(s.name))
            .collect()
    };
    let (live, setup) = (rest(true), rest(false));
    let hidden = live.len() + setup.len() + usize::from(!up_front("seed"));
    html! {
        <div class="knobs" ref={root}>
            if !p.focus.is_empty() {
                <fieldset class="focus-knobs">
                    <legend>{"Settings"}</legend>
                    { for p.focus.iter().map(|f| focused_knob(f, p)) }
                </fieldset>
            }
            <details class="more-settings" data-more="settings">
                <summary>{ format!("More settings ({hidden})") }</summary>
                if !live.is_empty() {
                    <fieldset>
                        <legend>{"Change while it runs"}</legend>
                        { for live.iter().map(|s| knob(s, p, false)) }
                    </fieldset>
                }
                <fieldset>
                    <legend>{"Setup (changing these restarts the run)"}</legend>
                    if !up_front("seed") { { seed_knob(p) } }
                    { for setup.iter().map(|s| knob(s, p, false)) }
                </fieldset>
            </details>
        </div>
    }
}

/// A setting the directive put up front: a setup one says it restarts the run.
fn focused_knob(name: &str, p: &KnobsProps) -> Html {
    if name == "seed" {
        return seed_knob(p);
    }
    match p.spec.params.iter().find(|s| s.name == name) {
        Some(s) => knob(s, p, true),
        None => Html::default(),
    }
}

fn seed_knob(p: &KnobsProps) -> Html {
    let id = format!("w{}-knob-seed", p.uid);
    let cb = p.on_seed.clone();
    let onchange = Callback::from(move |e: Event| cb.emit(dom::event_value(&e)));
    html! {
        <div class="knob seed">
            <label for={id.clone()} title="a whole number">{"seed"}</label>
            <input id={id} type="number" min="0" step="1" inputmode="numeric" value={p.seed.to_string()}
                {onchange} data-param="seed" />
            <button type="button" data-action="new-seed" onclick={p.on_new_seed.clone()}>{"New seed"}</button>
            <small>{"every random choice in the run follows from it: the same seed gives the same run"}</small>
        </div>
    }
}

/// One setting's control; `up_front` ones that are setup say that changing them restarts the run.
fn knob(p: &ParamSpec, props: &KnobsProps, up_front: bool) -> Html {
    let name: &'static str = p.name;
    let value = props
        .params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let onchange = {
        let cb = props.on_param.clone();
        Callback::from(move |e: Event| cb.emit((name, dom::event_value(&e))))
    };
    // Unique on the page, which may show the same scenario twice.
    let id = format!("w{}-knob-{name}", props.uid);
    let input = knob_input(p, id.clone(), &value, onchange);
    html! {
        <div class="knob">
            <label for={id} title={p.valid()}>{ name.replace('_', " ") }
                if up_front && !p.live { <span class="restarts">{" (restarts the run)"}</span> }</label>
            { input }
            // A long text (a design) is not echoed: its text area already shows it, line by line.
            <output>{ if matches!(p.kind, Kind::Text { long: true, .. }) { String::new() } else { value.clone() } }</output>
            <small>{ p.help }</small>
        </div>
    }
}

/// The input for one setting, by its kind: a select for a choice, a slider for a share, a number
/// for a number, a text area for a long text. Shared by the widget's knobs and the builder's
/// component inspector, so a setting looks and behaves the same everywhere.
pub fn knob_input(p: &ParamSpec, id: String, value: &str, onchange: Callback<Event>) -> Html {
    let name = p.name;
    match p.kind {
        Kind::Choice(options) => html! {
            <select id={id} {onchange} data-param={name}>
                { for options.iter().map(|o| html! { <option value={*o} selected={*o == value}>{ *o }</option> }) }
            </select>
        },
        Kind::Float { min, max } if max <= 1.0 => html! {
            <input id={id} type="range" min={Short(min).to_string()} max={Short(max).to_string()} step="0.01"
                value={value.to_string()} {onchange} data-param={name} />
        },
        Kind::Int { min, max } => html! {
            <input id={id} type="number" min={min.to_string()} max={max.to_string()} step="1"
                value={value.to_string()} {onchange} data-param={name} />
        },
        Kind::Float { min, max } => html! {
            <input id={id} type="number" min={Short(min).to_string()} max={Short(max).to_string()} step="any"
                value={value.to_string()} {onchange} data-param={name} />
        },
        Kind::Text { long: true, .. } => html! {
            <textarea id={id} rows="6" spellcheck="false" value={dom::text_lines(value)} {onchange} data-param={name} />
        },
        Kind::MsOrNever { .. } | Kind::Text { .. } => html! {
            <input id={id} type="text" value={value.to_string()} {onchange} data-param={name} />
        },
    }
}
