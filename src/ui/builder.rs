//! The builder page (`#/build`): the reader composes a `system` design and runs it like any
//! widget. The design text is the one state: the palette (`button[data-add=KIND]`) and the wire
//! form append statements to it, the text view (`textarea` labelled "design") edits it directly,
//! and "Run this design" (or Ctrl+Enter) runs it. A text that does not run shows its error, naming
//! the line, while the last design that did keeps running; nothing typed is lost. The address
//! follows the running design (`#/build?design=...`), so the page itself is the share link.
//! The pure text operations are `crate::builder`.

use super::dom;
use super::widget::{Replay, WidgetFrame};
use crate::builder;
use crate::content::WidgetSpec;
use crate::route::{Route, WidgetRoute};
use crate::session::Facts;
use crate::sim::scenario::system::presets::PRESETS;
use std::rc::Rc;
use yew::prelude::*;

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
    SloAvailability(String),
    SloP99(String),
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
    /// What the last palette or wire action did, read out politely.
    status: String,
    /// The component the remove form names.
    remove: String,
    /// Texts before each palette, wire, remove, preset or run (Undo), and those undone (Redo).
    history: Vec<String>,
    future: Vec<String>,
    /// The target as typed (availability, p99 ms) and the verdict lines last shown.
    slo: (String, String),
    verdict: Vec<(String, Option<bool>)>,
    done: bool,
    last: Option<Rc<Facts>>,
    /// Made once, so handing it to the widget on every render never changes its props.
    on_facts: Callback<Rc<Facts>>,
}

impl Component for Builder {
    type Message = Msg;
    type Properties = BuilderProps;

    fn create(ctx: &Context<Self>) -> Self {
        dom::set_title("Builder · Systems Sandbox");
        let r = &ctx.props().route;
        let text = r
            .pairs
            .iter()
            .find(|(k, _)| k == "design")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let mut b = Builder {
            text,
            running: None,
            error: None,
            notice: None,
            from: String::new(),
            to: String::new(),
            status: String::new(),
            remove: String::new(),
            history: Vec::new(),
            future: Vec::new(),
            slo: ("0.99".into(), "300".into()),
            verdict: Vec::new(),
            done: false,
            last: None,
            on_facts: ctx.link().callback(Msg::Facts),
        };
        if !b.text.trim().is_empty() {
            match builder::check(&b.text).and_then(|()| super::widget_page::resolve(r)) {
                Ok((spec, replay, notice)) => {
                    b.running = Some((spec, replay));
                    b.notice = notice;
                }
                Err(e) => b.error = Some(e),
            }
        } else {
            // A compact design that does not unpack (a damaged link) is named, not ignored.
            b.error = r.pairs.iter().find_map(|(k, v)| crate::pack::dropped(k, v));
        }
        b
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
                    self.edit(t);
                    self.status = format!("Added {name}, a {kind}.");
                    self.run_if_valid();
                }
                Err(e) => self.error = Some(e),
            },
            Msg::From(v) => self.from = v,
            Msg::To(v) => self.to = v,
            Msg::Wire => {
                let names = builder::components(&self.text);
                let pick = |v: &str, i: usize| {
                    if v.is_empty() {
                        names.get(i).cloned().unwrap_or_default()
                    } else {
                        v.to_string()
                    }
                };
                let (from, to) = (pick(&self.from, 0), pick(&self.to, 1));
                match builder::add_wire(&self.text, &from, &to) {
                    Ok(t) => {
                        self.edit(t);
                        self.status = format!("Wired {from} to {to}.");
                        self.run_if_valid();
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::Preset(name) => {
                if let Some((_, _, design)) = PRESETS.iter().find(|p| p.0 == name) {
                    self.edit(design.to_string());
                    self.status = format!("Opened the preset {name}.");
                    self.run();
                }
            }
            Msg::Remove(v) => self.remove = v,
            Msg::DoRemove => {
                let names = builder::components(&self.text);
                let name = if self.remove.is_empty() {
                    names.first().cloned().unwrap_or_default()
                } else {
                    self.remove.clone()
                };
                match builder::remove_component(&self.text, &name) {
                    Ok(t) => {
                        self.edit(t);
                        self.remove.clear();
                        self.status = format!("Removed {name} and its wires.");
                        self.run_if_valid();
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::SloAvailability(v) => {
                self.slo.0 = v;
                self.rejudge();
            }
            Msg::SloP99(v) => {
                self.slo.1 = v;
                self.rejudge();
            }
            Msg::Facts(f) => {
                let verdict = self.judge(&f.metrics);
                self.last = Some(f.clone());
                // Redraw only when what the verdict says changed (the widget reports every frame).
                if verdict == self.verdict && f.done == self.done {
                    return false;
                }
                self.verdict = verdict;
                self.done = f.done;
            }
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
        let link = ctx.link();
        let names = builder::components(&self.text);
        let select = |id: &'static str,
                      label: &'static str,
                      value: &str,
                      cb: Callback<Event>,
                      fallback: usize| {
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
        };
        html! {
            <section class="builder">
                <h1>{"Build a system"}</h1>
                <p class="lead">{"Add components, wire them, and run traffic through them. Every component is a real queue and every request has a deadline; the numbers come from the run. Crash, slow or fail a component from its row or by clicking it."}</p>
                <div class="builder-grid">
                    <div class="builder-edit">
                        <div class="palette" role="group" aria-label="Add a component">
                            { for builder::kinds().map(|k| html! {
                                <button data-add={k} onclick={link.callback(move |_| Msg::Add(k))}>{ format!("+ {k}") }</button>
                            }) }
                        </div>
                        <div class="wire-form" role="group" aria-label="Wire two components">
                            { select("wire-from", "from ", &self.from, link.callback(|e: Event| Msg::From(dom::event_value(&e))), 0) }
                            { select("wire-to", " to ", &self.to, link.callback(|e: Event| Msg::To(dom::event_value(&e))), 1) }
                            <button data-action="wire" disabled={names.len() < 2} onclick={link.callback(|_| Msg::Wire)}>{"Wire them"}</button>
                        </div>
                        <div class="wire-form" role="group" aria-label="Remove a component">
                            { select("remove-which", "remove ", &self.remove, link.callback(|e: Event| Msg::Remove(dom::event_value(&e))), 0) }
                            <button data-action="remove" disabled={names.is_empty()} onclick={link.callback(|_| Msg::DoRemove)}>{"Remove it and its wires"}</button>
                            <button data-action="undo" disabled={self.history.is_empty()} onclick={link.callback(|_| Msg::Undo)}>{"Undo"}</button>
                            <button data-action="redo" disabled={self.future.is_empty()} onclick={link.callback(|_| Msg::Redo)}>{"Redo"}</button>
                        </div>
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
                        <p class="sr-only" aria-live="polite">{ self.status.clone() }</p>
                    </div>
                    <div class="builder-run">
                        if let Some((spec, replay)) = &self.running {
                            { self.slo_view(link) }
                            <WidgetFrame spec={spec.clone()} replay={replay.clone()} notice={self.notice.clone()}
                                on_facts={Some(self.on_facts.clone())} />
                        } else {
                            <p class="builder-empty">{"Nothing runs yet: add clients and a service and wire them, or start from a preset."}</p>
                        }
                    </div>
                </div>
            </section>
        }
    }
}

impl Builder {
    /// The SLO's lines on these metrics, or the mistake in a target.
    fn judge(&self, m: &crate::sim::metrics::Metrics) -> Vec<(String, Option<bool>)> {
        match builder::Slo::parse(&self.slo.0, &self.slo.1) {
            Ok(slo) => slo.judge(m).to_vec(),
            Err(e) => vec![(e, None)],
        }
    }

    fn rejudge(&mut self) {
        if let Some(f) = self.last.clone() {
            self.verdict = self.judge(&f.metrics);
        }
    }

    fn slo_view(&self, link: &yew::html::Scope<Self>) -> Html {
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

    /// Replace the text by a structured change (palette, wire, remove, preset): undoable.
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

    /// After a palette or wire action: run the text once it runs, and say nothing before (a
    /// design under construction is not an error).
    fn run_if_valid(&mut self) {
        self.error = None;
        if builder::check(&self.text).is_ok() {
            self.start();
        }
    }

    fn start(&mut self) {
        let pairs = vec![("design".to_string(), self.text.clone())];
        match WidgetSpec::new("system", pairs, None) {
            Ok(spec) => {
                let route = Route::Build(WidgetRoute {
                    kind: "system".into(),
                    pairs: spec.pairs.clone(),
                    seed: Some(spec.seed.to_string()),
                    ..Default::default()
                });
                dom::replace_hash(&route.to_hash());
                self.running = Some((spec, None));
                self.error = None;
                self.notice = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}
