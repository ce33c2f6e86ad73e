//! A lesson's sweep in the browser (`figure[data-sweep]`, written by `pages::sweep`): runs
//! every point's simulation, in slices of at most about 8 ms per animation frame, and places
//! each point on the chart when its run ends. The page already carries everything else (axes,
//! the theory's curve, each point's settings and seed, the build's figure for it), so this side
//! only runs and plots, and says whether each run gave the build's figure (same seed: it must).
//! Starts when the chart comes into view, or from its Run button. `data-state` on the figure:
//! `static` (no wasm), `idle`, `running`, `done`, `error`.

use super::dom;
use super::visibility::Visibility;
use crate::sim::num_fmt::Fixed;
use crate::sim::Scenario;
use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Wall-clock time one frame may spend running simulations.
const SLICE_MS: f64 = 8.0;

/// One sweep on the page and the run in progress.
struct Sweep {
    fig: Element,
    points: Vec<Element>,
    button: Option<Element>,
    status: Option<Element>,
    kind: String,
    seed: u64,
    metric: String,
    /// Value to SVG y: y = base − v·k, never above `top`.
    scale: (f64, f64, f64),
    next: usize,
    same: usize,
    sim: Option<Box<dyn Scenario>>,
    frame: Option<AnimationFrame>,
    _seen: Option<Visibility>,
}

/// Wire every sweep on the page.
pub fn mount_all() {
    for fig in dom::all("figure[data-sweep]") {
        mount(fig);
    }
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn num(el: &Element, name: &str) -> f64 {
    crate::sim::num::parse_f64(&attr(el, name)).unwrap_or(0.0)
}

fn mount(fig: Element) {
    let points = fig
        .query_selector_all("g.runs circle.run")
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.get(i)?.dyn_into::<Element>().ok())
                .collect()
        })
        .unwrap_or_default();
    let runs = fig.query_selector("g.runs").ok().flatten();
    let scale = runs.map_or((0.0, 0.0, 0.0), |g| {
        (
            num(&g, "data-ybase"),
            num(&g, "data-yk"),
            num(&g, "data-ytop"),
        )
    });
    let button = fig.query_selector("button[data-sweep-run]").ok().flatten();
    let st = Rc::new(RefCell::new(Sweep {
        kind: attr(&fig, "data-kind"),
        seed: attr(&fig, "data-seed").parse().unwrap_or(1),
        metric: attr(&fig, "data-metric"),
        status: fig.query_selector(".sweep-status").ok().flatten(),
        button: button.clone(),
        fig: fig.clone(),
        points,
        scale,
        next: 0,
        same: 0,
        sim: None,
        frame: None,
        _seen: None,
    }));
    st.borrow_mut()
        .state("idle", "Runs when the chart comes into view.");
    if let Some(b) = &button {
        let _ = b.remove_attribute("disabled");
        let st = st.clone();
        EventListener::new(b, "click", move |_| start(&st)).forget();
    }
    let on_view = {
        let st = st.clone();
        yew::Callback::from(move |visible: bool| {
            if visible && attr(&st.borrow().fig, "data-state") == "idle" {
                start(&st);
            }
        })
    };
    let seen = Visibility::watch(&fig, on_view);
    st.borrow_mut()._seen = seen;
}

/// Start (or restart) the sweep from its first point; a press while it runs does nothing.
fn start(st: &Rc<RefCell<Sweep>>) {
    {
        let mut s = st.borrow_mut();
        if attr(&s.fig, "data-state") == "running" {
            return;
        }
        for p in &s.points {
            let _ = p.remove_attribute("data-v");
            let _ = p.remove_attribute("data-same");
        }
        (s.next, s.same, s.sim) = (0, 0, None);
        s.state("running", "");
        s.progress();
        if let Some(b) = &s.button {
            let _ = b.set_attribute("aria-disabled", "true");
        }
    }
    tick(st);
}

/// One frame's slice: run points until the slice is used up, then ask for the next frame (its
/// script time goes to `window.__sandboxPerf` on a benchmark page, as widgets' frames do).
fn tick(st: &Rc<RefCell<Sweep>>) {
    let t0 = dom::now_ms();
    slice(st, t0 + SLICE_MS);
    if dom::perf_enabled() {
        dom::perf_record(dom::now_ms() - t0);
    }
}

fn slice(st: &Rc<RefCell<Sweep>>, deadline: f64) {
    let mut s = st.borrow_mut();
    while dom::now_ms() < deadline {
        if s.next >= s.points.len() {
            s.finish();
            return;
        }
        if s.sim.is_none() {
            match s.build() {
                Ok(sim) => s.sim = Some(sim),
                Err(e) => return s.state("error", &format!("This run could not start: {e}")),
            }
        }
        let done = s.sim.as_mut().is_some_and(|sim| sim.run_to_end(1024));
        if done {
            s.plot();
        }
    }
    let again = st.clone();
    s.frame = Some(request_animation_frame(move |_| tick(&again)));
}

impl Sweep {
    fn state(&mut self, state: &str, text: &str) {
        let _ = self.fig.set_attribute("data-state", state);
        if let (Some(el), false) = (&self.status, text.is_empty()) {
            el.set_text_content(Some(text));
        }
    }

    fn progress(&self) {
        if let Some(el) = &self.status {
            el.set_text_content(Some(&format!(
                "Running {} of {}…",
                (self.next + 1).min(self.points.len()),
                self.points.len()
            )));
        }
    }

    /// The simulation of the next point, from its settings on the page.
    fn build(&self) -> Result<Box<dyn Scenario>, String> {
        let p = self.points.get(self.next).ok_or("no such point")?;
        let pairs: Vec<(String, String)> = attr(p, "data-pairs")
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        crate::sim::create(&self.kind, &pairs, self.seed).map_err(|e| e.0)
    }

    /// The current point's run has ended: place it, and move on.
    fn plot(&mut self) {
        let Some(sim) = self.sim.take() else { return };
        let Some(p) = self.points.get(self.next) else {
            return;
        };
        let v = sim.metrics().num(&self.metric).unwrap_or(0.0);
        let (base, k, top) = self.scale;
        let y = (base - v * k).max(top);
        let text = Fixed(v, 1).to_string();
        let same = text == attr(p, "data-expect");
        self.same += usize::from(same);
        let _ = p.set_attribute("cy", &Fixed(y, 1).to_string());
        let _ = p.set_attribute("data-v", &text);
        let _ = p.set_attribute("data-same", if same { "yes" } else { "no" });
        if let Some(t) = p.first_element_child() {
            let unit = if self.metric.ends_with("_ms") {
                " ms"
            } else {
                ""
            };
            t.set_text_content(Some(&format!("{}: {text}{unit} (run)", attr(p, "data-at"))));
        }
        self.next += 1;
        self.progress();
    }

    fn finish(&mut self) {
        let n = self.points.len();
        let text = if self.same == n {
            format!(
                "{n} runs, seed {}: the same figures as the table.",
                self.seed
            )
        } else {
            format!(
                "{n} runs, seed {}: {} differ from the table.",
                self.seed,
                n - self.same
            )
        };
        self.state("done", &text);
        if let Some(b) = &self.button {
            let _ = b.remove_attribute("aria-disabled");
            b.set_text_content(Some("Run the sweep again"));
        }
        self.frame = None;
    }
}
