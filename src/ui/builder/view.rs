//! The builder's markup: the edit column (palette, wire and remove forms, the component
//! inspector, the text view, presets) and the run column (the SLO and the running widget).

use super::{Builder, Msg};
use crate::builder::{self, Direction};
use crate::sim::params::ParamSpec;
use crate::sim::scenario::system::presets::PRESETS;
use crate::ui::controls::knob_input;
use crate::ui::dom;
use crate::ui::widget::WidgetFrame;
use yew::html::Scope;
use yew::prelude::*;

/// Settings shown before the inspector's fold: those the declaration writes, then the kind's
/// first few.
const UP_FRONT: usize = 4;

impl Builder {
    pub(super) fn page(&self, link: &Scope<Self>) -> Html {
        html! {
            <section class="builder">
                <h1>{"Build a system"}</h1>
                <p class="lead">{"Add components, wire them, and run traffic through them. Every component is a real queue and every request has a deadline; the numbers come from the run. Click a component in the drawing to edit it, crash it, slow it or make it fail."}</p>
                <div class="builder-grid">
                    <div class="builder-edit">
                        { self.forms(link) }
                        { self.inspector(link) }
                        { self.text_view(link) }
                        if self.hosted.is_none() { { self.exercise_view(link) } }
                    </div>
                    <div class="builder-run">
                        if let Some(h) = &self.hosted {
                            { h.view(link.callback(|_| Msg::ChallengeStart), link.callback(|_| Msg::ChallengeSolution)) }
                        }
                        if let Some((spec, replay)) = &self.running {
                            if self.hosted.is_none() { { self.slo_view(link) } }
                            <div class="builder-drawing"
                                onpointerdown={link.callback(Msg::PointerDown)}
                                onpointermove={link.callback(Msg::PointerMove)}
                                onpointerup={link.callback(Msg::PointerUp)}
                                onpointercancel={link.callback(Msg::PointerUp)}
                                onkeydown={link.callback(Msg::DrawingKey)}>
                                <WidgetFrame spec={spec.clone()} replay={replay.clone()} notice={self.notice.clone()}
                                    drive={self.drive.clone()}
                                    on_facts={Some(self.on_facts.clone())} on_inspect={Some(self.on_inspect.clone())} />
                            </div>
                        } else {
                            if let Some(n) = &self.notice {
                                <p class="notice" role="status" data-testid="builder-notice">{ n.clone() }</p>
                            }
                            <p class="builder-empty">{"Nothing runs yet: add clients and a service and wire them, or start from a preset."}</p>
                        }
                    </div>
                </div>
            </section>
        }
    }

    /// A select of the design's components; `fallback` picks the shown one when `value` is empty.
    fn select(
        &self,
        id: &'static str,
        label: &'static str,
        value: &str,
        cb: Callback<Event>,
        fallback: usize,
    ) -> Html {
        let names = builder::components(&self.text);
        let chosen = if value.is_empty() {
            names.get(fallback).cloned().unwrap_or_default()
        } else {
            value.to_string()
        };
        html! {
            <label for={id}>{ label }
                <select id={id} onchange={cb}>
                    { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == chosen}>{ n.clone() }</option> }) }
                </select>
            </label>
        }
    }

    fn forms(&self, link: &Scope<Self>) -> Html {
        let n = builder::components(&self.text).len();
        html! {
            <>
                <div class="palette" role="group" aria-label="Add a component">
                    { for builder::kinds().map(|k| html! {
                        <button data-add={k} onclick={link.callback(move |_| Msg::Add(k))}>{ format!("+ {k}") }</button>
                    }) }
                </div>
                <div class="wire-form" role="group" aria-label="Wire two components">
                    { self.select("wire-from", "from ", &self.from, link.callback(|e: Event| Msg::From(dom::event_value(&e))), 0) }
                    { self.select("wire-to", " to ", &self.to, link.callback(|e: Event| Msg::To(dom::event_value(&e))), 1) }
                    <button data-action="wire" disabled={n < 2} onclick={link.callback(|_| Msg::Wire)}>{"Wire them"}</button>
                </div>
                <div class="wire-form" role="group" aria-label="Remove a component">
                    { self.select("remove-which", "remove ", &self.remove, link.callback(|e: Event| Msg::Remove(dom::event_value(&e))), 0) }
                    <button data-action="remove" disabled={n == 0} onclick={link.callback(|_| Msg::DoRemove)}>{"Remove it and its wires"}</button>
                </div>
                <div class="wire-form" role="group" aria-label="History and layout">
                    <button data-action="undo" disabled={self.history.is_empty()} onclick={link.callback(|_| Msg::Undo)}>{"Undo"}</button>
                    <button data-action="redo" disabled={self.future.is_empty()} onclick={link.callback(|_| Msg::Redo)}>{"Redo"}</button>
                    <button data-action="arrange" disabled={n < 3} title="Reorder each column of the drawing so that fewer wires cross"
                        onclick={link.callback(|_| Msg::Arrange)}>{"Arrange"}</button>
                </div>
            </>
        }
    }

    /// The selected component's settings, with the same inputs as every widget's knobs.
    fn inspector(&self, link: &Scope<Self>) -> Html {
        let Some(s) = builder::settings(&self.text, &self.selected) else {
            return html! {
                <fieldset class="component-settings" data-testid="component-settings">
                    <legend>{"Component"}</legend>
                    <p class="hint">{"Add a component, or click one in the drawing, to edit its settings here."}</p>
                </fieldset>
            };
        };
        let name = self.selected.clone();
        let keys = s.kind.keys();
        let written = |p: &&ParamSpec| s.written.iter().any(|(k, _)| k == p.name);
        let mut front: Vec<&ParamSpec> = keys.iter().filter(written).collect();
        for p in keys.iter().filter(|p| !written(p)).take(UP_FRONT) {
            front.push(p);
        }
        let rest: Vec<&ParamSpec> = keys
            .iter()
            .filter(|p| !front.iter().any(|f| f.name == p.name))
            .collect();
        let knob = |p: &ParamSpec| {
            let key = p.name;
            let value = s.value(key).unwrap_or_default();
            let onchange = link.callback(move |e: Event| Msg::SetKey(key, dom::event_value(&e)));
            let id = format!("set-{key}");
            html! {
                <div class="knob">
                    <label for={id.clone()} title={p.valid()}>{ key.replace('_', " ") }</label>
                    { knob_input(p, id, &value, onchange) }
                    <output>{ value.clone() }</output>
                </div>
            }
        };
        html! {
            <fieldset class="component-settings" data-testid="component-settings" data-component={name.clone()}>
                <legend>{ format!("{name} · {}", s.kind.name()) }</legend>
                <div class="wire-form">
                    { self.select("selected", "edit ", &self.selected, link.callback(|e: Event| Msg::Select(dom::event_value(&e))), 0) }
                    <button data-action="move-up" aria-label={format!("Move {name} up its column")}
                        onclick={link.callback(|_| Msg::Move(Direction::Up))}>{"↑ Up"}</button>
                    <button data-action="move-down" aria-label={format!("Move {name} down its column")}
                        onclick={link.callback(|_| Msg::Move(Direction::Down))}>{"↓ Down"}</button>
                    <button data-action="wire-from" aria-pressed={self.wiring.is_some().to_string()}
                        title="Then click the component it calls, or press Enter on it (on the drawing, W on a component does the same)"
                        onclick={link.callback(|_| Msg::WireFrom)}>{ format!("Wire {name} to…") }</button>
                </div>
                <p class="hint">{ s.kind.help() }</p>
                // Keyed by the text and the edits: after any change, or a refused value, every
                // input shows what the text says.
                <div class="comp-knobs" key={format!("{}\u{1}{}", self.edits, self.text)}>
                    { for front.iter().map(|p| knob(p)) }
                    if !rest.is_empty() {
                        <details class="more-settings">
                            <summary>{ format!("All settings of {name} ({} more)", rest.len()) }</summary>
                            { for rest.iter().map(|p| knob(p)) }
                        </details>
                    }
                </div>
            </fieldset>
        }
    }

    fn text_view(&self, link: &Scope<Self>) -> Html {
        html! {
            <>
                <label for="design-text" class="design-label">{"design"}</label>
                <textarea id="design-text" aria-describedby="design-help" spellcheck="false" rows="10"
                    value={self.text.clone()}
                    oninput={link.callback(|e: InputEvent| Msg::Text(dom::input_value(&e)))}
                    onkeydown={link.callback(Msg::Key)} />
                <p id="design-help" class="hint">{"One statement per line: NAME: KIND key=value …, A -> B, at MS: crash NAME. Ctrl+Enter runs it."}</p>
                <p class="builder-actions">
                    <button class="primary" data-action="apply-design" onclick={link.callback(|_| Msg::Run)}>{"Run this design"}</button>
                    <label for="preset">{"or start from "}
                        <select id="preset" data-action="preset" onchange={link.callback(|e: Event| Msg::Preset(dom::event_value(&e)))}>
                            <option value="" selected=true>{"a preset…"}</option>
                            { for PRESETS.iter().map(|(name, what, _)| html! { <option value={*name} title={*what}>{ *name }</option> }) }
                        </select>
                    </label>
                </p>
                if let Some(e) = &self.error {
                    <p class="error-line" role="alert" data-testid="design-error">{ e.clone() }
                        if self.running.is_some() { {" The last design that ran keeps running."} }</p>
                }
                <p class="sr-only" aria-live="polite" data-testid="builder-status">{ self.status.clone() }</p>
            </>
        }
    }

    fn slo_view(&self, link: &Scope<Self>) -> Html {
        let word = |ok: Option<bool>| match (ok, self.done) {
            (Some(true), true) => "✓ met",
            (Some(false), true) => "✗ missed",
            (Some(true), false) => "✓ so far",
            (Some(false), false) => "✗ so far",
            (None, _) => "",
        };
        html! {
            <fieldset class="slo" data-testid="slo">
                <legend>{"Target (SLO)"}</legend>
                <label for="slo-availability">{"availability at least "}
                    <input id="slo-availability" type="text" inputmode="decimal" value={self.slo.0.clone()}
                        onchange={link.callback(|e: Event| Msg::SloAvailability(dom::event_value(&e)))} /></label>
                <label for="slo-p99">{" p99 at most (ms) "}
                    <input id="slo-p99" type="text" inputmode="decimal" value={self.slo.1.clone()}
                        onchange={link.callback(|e: Event| Msg::SloP99(dom::event_value(&e)))} /></label>
                <ul class="slo-verdict" aria-live="polite">
                    { for self.verdict.iter().map(|(t, ok)| html! {
                        <li data-met={ok.map(|b| b.to_string())}>{ format!("{} {t}", word(*ok)) }</li>
                    }) }
                </ul>
            </fieldset>
        }
    }
}
