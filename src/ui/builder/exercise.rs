//! "Set an exercise": a teacher builds the system readers start from and marks it, changes it
//! until it meets the target, and gets a link that opens the builder with that start, the target
//! as goals, the parts they chose kept, and their design as the solution (`builder::exercise_block`,
//! hosted by `challenge::Hosted` like a lesson's challenge).

use super::{Builder, Msg};
use crate::builder::{self, Exercise};
use crate::route::{Route, WidgetRoute};
use crate::ui::dom;
use yew::html::Scope;
use yew::prelude::*;

/// The teacher's choices so far.
#[derive(Default)]
pub(super) struct Form {
    /// The start, once marked.
    pub start: Option<String>,
    pub task: String,
    pub keep_faults: bool,
    pub keep_clients: bool,
    pub seeds: u32,
    /// The link written, or why it could not be.
    pub result: Option<Result<String, String>>,
}

/// A change to the form.
pub enum Edit {
    MarkStart,
    Task(String),
    KeepFaults(bool),
    KeepClients(bool),
    Seeds(String),
    Write,
}

impl Form {
    pub fn new() -> Form {
        Form {
            keep_faults: true,
            keep_clients: true,
            seeds: 3,
            ..Form::default()
        }
    }
}

impl Builder {
    pub(super) fn exercise_edit(&mut self, e: Edit) {
        let f = &mut self.exercise;
        match e {
            Edit::MarkStart => {
                f.start = Some(self.ran.clone());
                f.result = None;
                self.status = "Marked the running design as the exercise's start.".into();
            }
            Edit::Task(t) => f.task = t,
            Edit::KeepFaults(b) => f.keep_faults = b,
            Edit::KeepClients(b) => f.keep_clients = b,
            Edit::Seeds(s) => f.seeds = s.parse().unwrap_or(3),
            Edit::Write => {
                let r = self.exercise_link();
                self.exercise.result = Some(r);
            }
        }
    }

    fn exercise_link(&self) -> Result<String, String> {
        let f = &self.exercise;
        let start = f
            .start
            .clone()
            .ok_or("first mark the design readers start from")?;
        let slo = builder::Slo::parse(&self.slo.0, &self.slo.1)?;
        let keep = if f.keep_clients {
            builder::components(&start)
                .into_iter()
                .filter(|n| {
                    builder::settings(&start, n).is_some_and(|s| s.kind.name() == "clients")
                })
                .collect()
        } else {
            vec![]
        };
        let task = if f.task.trim().is_empty() {
            format!(
                "Change the design so that availability stays at least {} and p99 at most {} ms.",
                self.slo.0.trim(),
                self.slo.1.trim()
            )
        } else {
            f.task.clone()
        };
        let ex = Exercise {
            task,
            slo,
            keep_faults: f.keep_faults,
            keep,
            seeds: f.seeds,
        };
        let block = builder::exercise_block(&ex, &start, &self.ran)?;
        let seed = self.last.as_ref().map(|x| x.seed.to_string());
        let route = Route::Build(WidgetRoute {
            kind: "system".into(),
            pairs: vec![("design".into(), start), ("challenge".into(), block)],
            seed,
            ..Default::default()
        });
        Ok(format!("{}{}", dom::page_url(), route.to_hash()))
    }

    pub(super) fn exercise_view(&self, link: &Scope<Self>) -> Html {
        let f = &self.exercise;
        let ex = |e: fn(String) -> Edit| {
            link.callback(move |ev: Event| Msg::Exercise(e(dom::event_value(&ev))))
        };
        let check = |e: fn(bool) -> Edit| {
            link.callback(move |ev: Event| {
                let on = ev
                    .target()
                    .and_then(|t| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()
                    })
                    .is_some_and(|i| i.checked());
                Msg::Exercise(e(on))
            })
        };
        let start = f
            .start
            .as_ref()
            .map(|s| format!("Start marked: {} components.", builder::components(s).len()));
        html! {
            <details class="exercise" data-testid="exercise">
                <summary>{"Set an exercise (for teachers)"}</summary>
                <ol>
                    <li>{"Build the system your readers start from, with its faults, and mark it. "}
                        <button type="button" data-action="exercise-start" disabled={self.running.is_none()}
                            onclick={link.callback(|_| Msg::Exercise(Edit::MarkStart))}>{"This is the start"}</button>
                        if let Some(s) = start { <span class="hint">{" "}{ s }</span> }</li>
                    <li>{"Change it until it meets the target (SLO) above: that design is the solution."}</li>
                    <li>
                        <label for="exercise-task">{"Task, in your words"}</label>
                        <input id="exercise-task" type="text" value={f.task.clone()} onchange={ex(Edit::Task)}
                            placeholder="(empty: the target, in words)" />
                        <label><input id="exercise-keep-faults" type="checkbox" checked={f.keep_faults} onchange={check(Edit::KeepFaults)} />{" the faults stay as they are"}</label>
                        <label><input id="exercise-keep-clients" type="checkbox" checked={f.keep_clients} onchange={check(Edit::KeepClients)} />{" the clients stay as they are"}</label>
                        <label for="exercise-seeds">{"judged on "}
                            <select id="exercise-seeds" onchange={ex(Edit::Seeds)}>
                                { for [1u32, 3, 5].iter().map(|n| html! { <option value={n.to_string()} selected={*n == f.seeds}>{ format!("{n} seed{}", if *n == 1 { "" } else { "s" }) }</option> }) }
                            </select></label>
                    </li>
                </ol>
                <p><button type="button" class="primary" data-action="exercise-write"
                    onclick={link.callback(|_| Msg::Exercise(Edit::Write))}>{"Write the exercise link"}</button></p>
                { match &f.result {
                    Some(Ok(url)) => html! {
                        <div class="copy-field">
                            <label for="exercise-link">{"Exercise link"}</label>
                            <input id="exercise-link" readonly=true value={url.clone()} />
                            <a href={url.clone()} target="_blank" rel="noopener" data-action="exercise-open">{"Open it"}</a>
                        </div>
                    },
                    Some(Err(e)) => html! { <p class="error-line" role="alert" data-testid="exercise-error">{ e.clone() }</p> },
                    None => Html::default(),
                } }
            </details>
        }
    }
}
