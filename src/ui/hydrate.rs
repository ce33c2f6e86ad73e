//! The wasm side of a static lesson page (`lessons/<slug>.html`, written by `bin/pages.rs`):
//! mount a widget frame into every placeholder from its `data-directive`, and make every try-it
//! button (`data-step-info`, `data-step`) drive its widget (`aria-controls`). Both are parsed with
//! the same never-failing parsers as before; a bad one shows the same error box in its place.

use super::dom;
use super::lesson::ErrorBox;
use super::widget::{Drive, FrameProps, WidgetFrame};
use crate::content::{parse_directive, parse_step, Step, WidgetSpec};
use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Element;

/// A mounted lesson widget: its placeholder's id, its spec and the handle that re-renders it.
struct Mounted {
    id: String,
    /// Its session-storage key (`place_key`).
    place: yew::AttrValue,
    spec: WidgetSpec,
    site: String,
    /// Set when a challenge judges this widget's runs.
    on_facts: Option<yew::Callback<Rc<crate::session::Facts>>>,
    handle: yew::AppHandle<WidgetFrame>,
}

thread_local! {
    /// The page's widgets, for the step buttons (a lesson page lives as long as the document).
    static WIDGETS: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    /// The step last pressed for each widget and its block number, to decide the predictions it
    /// answers once its run has settled.
    static PRESSED: RefCell<Vec<(Rc<Step>, usize)>> = const { RefCell::new(Vec::new()) };
}

/// A widget's driven step has settled: decide the predictions that step answers.
fn on_settled() -> yew::Callback<(Rc<Step>, crate::sim::metrics::Metrics)> {
    yew::Callback::from(
        |(step, metrics): (Rc<Step>, crate::sim::metrics::Metrics)| {
            let block = PRESSED.with(|p| {
                p.borrow()
                    .iter()
                    .find(|(s, _)| Rc::ptr_eq(s, &step))
                    .map(|(_, b)| *b)
            });
            if let Some(b) = block {
                super::predict::decide(b, &metrics);
            }
        },
    )
}

/// Mount every widget and wire every step on this lesson page. `site` is the URL of the site's
/// `index.html`, the base of the widgets' permalinks and embed snippets. `back`: the reader came
/// back to this page (Back, or a reload), so each widget reopens the run it was left at.
pub fn mount_lesson(site: String, back: bool) {
    dom::install_panic_hook();
    let judged = super::challenge::judged_widgets();
    for el in dom::all("[data-directive]") {
        let report = judged.contains(&el.id());
        mount(el, &site, back, report);
    }
    for button in dom::all("button[data-try]") {
        wire(button);
    }
    super::sweep::mount_all();
    super::predict::enable_all();
    super::predict::restore();
    super::challenge::wire_all(|id| {
        WIDGETS.with(|w| {
            w.borrow()
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.spec.clone())
        })
    });
}

fn mount(el: Element, site: &str, back: bool, report: bool) {
    let directive = el.get_attribute("data-directive").unwrap_or_default();
    match parse_directive(&directive) {
        Ok(spec) => {
            let id = el.id();
            let on_facts = report.then(|| {
                let id = id.clone();
                yew::Callback::from(move |f| super::challenge::on_facts(&id, f))
            });
            let place = yew::AttrValue::from(place_key(&id));
            let (run, replay) = match back.then(|| saved(&place, &spec)).flatten() {
                Some((run, replay)) => (run, Some(replay)),
                None => (spec.clone(), None),
            };
            let props = yew::props!(FrameProps {
                spec: run,
                site: site.to_string(),
                on_settled: Some(on_settled()),
                on_facts: on_facts.clone(),
                place: Some(place.clone()),
                replay,
            });
            let handle = yew::Renderer::<WidgetFrame>::with_root_and_props(el, props).render();
            let site = site.to_string();
            WIDGETS.with(|w| {
                w.borrow_mut().push(Mounted {
                    id,
                    place,
                    spec,
                    site,
                    on_facts,
                    handle,
                })
            });
        }
        Err(message) => show_error(el, directive, message),
    }
}

/// The session-storage key of the widget in placeholder `id` on this page.
fn place_key(id: &str) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    format!("sandbox-place:{path}#{id}")
}

/// The run saved under `key` when the reader left, if it is still a run of this widget's kind:
/// its spec (keeping the directive's focus) and the interventions and playhead to replay.
/// Anything that no longer parses is ignored (the widget starts as its directive says).
fn saved(key: &str, directive: &WidgetSpec) -> Option<(WidgetSpec, super::widget::Replay)> {
    let hash = dom::session_stored(key)?;
    let crate::route::Route::Widget(r) = crate::route::Route::parse(&hash) else {
        return None;
    };
    let (mut spec, replay, notice) = super::widget_page::resolve(&r).ok()?;
    if spec.kind != directive.kind || notice.is_some() {
        return None;
    }
    spec.focus = directive.focus.clone();
    Some((spec, replay.unwrap_or_default()))
}

fn show_error(el: Element, directive: String, message: String) {
    let props = yew::props!(super::lesson::ErrorProps { directive, message });
    // The error box lives as long as the page.
    std::mem::forget(yew::Renderer::<ErrorBox>::with_root_and_props(el, props).render());
}

fn wire(button: Element) {
    let info = button.get_attribute("data-step-info").unwrap_or_default();
    let body = button.get_attribute("data-step").unwrap_or_default();
    let target = button.get_attribute("aria-controls").unwrap_or_default();
    let step = match parse_step(&info, &body) {
        Ok(s) => s,
        Err(message) => {
            let host = button.parent_element().unwrap_or(button);
            return show_error(host, format!("{info}\n{body}"), message);
        }
    };
    if !WIDGETS.with(|w| w.borrow().iter().any(|m| m.id == target)) {
        return; // its widget did not mount: the button stays disabled
    }
    let _ = button.remove_attribute("disabled");
    let block: usize = button
        .get_attribute("data-try")
        .and_then(|b| b.parse().ok())
        .unwrap_or(usize::MAX);
    EventListener::new(&button, "click", move |_| drive(&target, &step, block)).forget();
}

/// Put widget `id` into the state `step` describes (a new `Rc` each press, so pressing the same
/// step again re-applies it). The widget brings itself into view if it is off screen
/// (`WidgetFrame::drive`). `block` is the step's block number (`usize::MAX`: a challenge's
/// start or solution, which decides no prediction).
pub(super) fn drive(id: &str, step: &Step, block: usize) {
    WIDGETS.with(|w| {
        if let Some(m) = w.borrow_mut().iter_mut().find(|m| m.id == id) {
            let step = Rc::new(step.clone());
            PRESSED.with(|p| {
                let mut p = p.borrow_mut();
                p.retain(|(s, _)| Rc::strong_count(s) > 1);
                p.push((step.clone(), block));
            });
            let props = yew::props!(FrameProps {
                spec: m.spec.clone(),
                site: m.site.clone(),
                drive: Some(Drive(step)),
                on_settled: Some(on_settled()),
                on_facts: m.on_facts.clone(),
                place: Some(m.place.clone()),
            });
            m.handle.update(props);
        }
    });
}
