//! The topology drawn as SVG: links (cut ones dashed and labelled), nodes by role (crashed ones
//! crossed out and labelled), and messages in flight. Links and nodes are keyboard buttons: a link
//! cuts or heals, a node opens the inspector; a click elsewhere on the drawing picks a message.
//! Boxes grow to their names and long text is cut with an ellipsis (`crate::fit`), the full text
//! then in a `<title>`. A scenario's marks (busy bars, replica pips, badges, figures on wires)
//! are drawn by `marks.rs`.

mod marks;

use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::snapshot::{LinkView, NodeView, Snapshot};
use std::rc::Rc;
use yew::prelude::*;

const W: f32 = 640.0;
const H: f32 = 380.0;

/// From the unit square to SVG (and canvas) coordinates.
pub fn px(x: f32, y: f32) -> (f32, f32) {
    (40.0 + x * (W - 80.0), 34.0 + y * (H - 80.0))
}

fn activate(cb: Callback<u32>, id: u32) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let click = {
        let cb = cb.clone();
        Callback::from(move |_| cb.emit(id))
    };
    let key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            cb.emit(id);
        }
    });
    (click, key)
}

/// Props of the links layer: it redraws only when the network changed (`version`) or the widget
/// was rebuilt (`generation`), not on every animation frame.
#[derive(Properties)]
pub struct LinksProps {
    pub snap: Rc<Snapshot>,
    pub generation: u64,
    /// A link pressed: by a click (with where, in SVG coordinates) or by the keyboard.
    pub on_link: Callback<(u32, Option<(f32, f32)>)>,
}

impl PartialEq for LinksProps {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation && self.snap.net_version == other.snap.net_version
    }
}

/// All links; with 1,225 links in a 50-node mesh, skipping this on frames where nothing about
/// the links changed is what keeps the frame budget.
#[function_component(LinksLayer)]
fn links_layer(p: &LinksProps) -> Html {
    html! { <g class="links">{ for p.snap.links.iter().map(|l| link(&p.snap, l, &p.on_link)) }</g> }
}

/// Props of the whole diagram: the snapshot it draws (compared by pointer: the frame hands it a
/// new one at most ten times a second while playing), the run's generation and its callbacks.
#[derive(Properties)]
pub struct DiagramProps {
    pub snap: Rc<Snapshot>,
    pub generation: u64,
    /// A link pressed: by a click (with where, in SVG coordinates) or by the keyboard.
    pub on_link: Callback<(u32, Option<(f32, f32)>)>,
    pub on_node: Callback<u32>,
    /// A click on the drawing away from nodes and links, in SVG coordinates (to pick a message).
    pub on_point: Callback<(f32, f32)>,
    pub canvas: NodeRef,
}

impl PartialEq for DiagramProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snap, &other.snap)
            && self.generation == other.generation
            && self.on_link == other.on_link
            && self.on_node == other.on_node
            && self.on_point == other.on_point
            && self.canvas == other.canvas
    }
}

/// The diagram as a component: frames that only move messages (on the canvas) skip it entirely.
#[function_component(Diagram)]
pub fn diagram(p: &DiagramProps) -> Html {
    view(
        &p.snap,
        p.generation,
        p.on_link.clone(),
        p.on_node.clone(),
        backdrop_click(p.on_point.clone()),
        p.canvas.clone(),
    )
}

/// A click on the backdrop, in SVG coordinates.
fn backdrop_click(cb: Callback<(f32, f32)>) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        if let Some(at) = svg_point(&e) {
            cb.emit(at);
        }
    })
}

/// Where a click landed, in the drawing's coordinates (from the `<svg>` it landed in).
fn svg_point(e: &MouseEvent) -> Option<(f32, f32)> {
    use wasm_bindgen::JsCast;
    let el = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())?
        .closest("svg")
        .ok()??;
    let r = el.get_bounding_client_rect();
    if r.width() <= 0.0 || r.height() <= 0.0 {
        return None;
    }
    let x = (f64::from(e.client_x()) - r.left()) * f64::from(W) / r.width();
    let y = (f64::from(e.client_y()) - r.top()) * f64::from(H) / r.height();
    Some((x as f32, y as f32))
}

/// The whole diagram: SVG for links and nodes, a canvas on top for the messages in flight.
fn view(
    snap: &Rc<Snapshot>,
    generation: u64,
    on_link: Callback<(u32, Option<(f32, f32)>)>,
    on_node: Callback<u32>,
    on_backdrop: Callback<MouseEvent>,
    canvas: NodeRef,
) -> Html {
    let cut = snap.links.iter().filter(|l| l.cut).count();
    let down = snap.nodes.iter().filter(|n| !n.up).count();
    let desc = format!(
        "{} nodes and {} links; {cut} links cut, {down} nodes down, {} messages in flight.",
        snap.nodes.len(),
        snap.links.len(),
        snap.flights.len()
    );
    html! {
        <div class="diagram">
        <svg class="topology" viewBox={format!("0 0 {} {}", Short(W.into()), Short(H.into()))} role="group" aria-label={format!("Network diagram: {desc}")}>
            <desc>{ desc }</desc>
            <rect class="backdrop" width={Short(W.into()).to_string()} height={Short(H.into()).to_string()} onclick={on_backdrop} />
            <LinksLayer snap={snap.clone()} {generation} {on_link} />
            { marks::notes(snap) }
            <g class="nodes">{ for snap.nodes.iter().map(|n| html! {
                <NodeItem key={n.id} node={n.clone()} on_node={on_node.clone()} />
            }) }</g>
        </svg>
        <canvas ref={canvas} class="particles" aria-hidden="true"
            width={Short(W as f64 * super::particles::SCALE).to_string()} height={Short(H as f64 * super::particles::SCALE).to_string()} />
        </div>
    }
}

fn link(snap: &Snapshot, l: &LinkView, cb: &Callback<(u32, Option<(f32, f32)>)>) -> Html {
    let (Some(a), Some(b)) = (snap.node(l.a), snap.node(l.b)) else {
        return Html::default();
    };
    let ((x1, y1), (x2, y2)) = (px(a.x, a.y), px(b.x, b.y));
    let state = l.state();
    let id = l.id;
    let onclick = {
        let cb = cb.clone();
        Callback::from(move |e: MouseEvent| cb.emit((id, svg_point(&e))))
    };
    let onkeydown = activate(cb.reform(|id| (id, None)), id).1;
    let action = if l.cut { "heal it" } else { "cut it" };
    let label = format!(
        "Link {} between {} and {}: {state}, {} ms. Press to {action}.",
        l.id,
        a.name,
        b.name,
        Fixed(l.latency_ms, 0)
    );
    let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let at = |v: f32| Fixed(f64::from(v), 1).to_string();
    let (x1, y1, x2, y2) = (at(x1), at(y1), at(x2), at(y2));
    html! {
        <g class={classes!("link", state)} role="button" tabindex="0" aria-label={label} {onclick} {onkeydown} data-link={l.id.to_string()}>
            <line class="hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="wire" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            if l.cut {
                <text class="cut-mark" x={at(mx)} y={at(my - 6.0)}>{"✂ cut"}</text>
            }
        </g>
    }
}

/// One node; a component so that only nodes whose state changed are rebuilt on a frame
/// (50 nodes a frame cost about 1 ms of formatting and diffing otherwise).
#[derive(Properties, PartialEq)]
struct NodeProps {
    node: NodeView,
    on_node: Callback<u32>,
}

#[function_component(NodeItem)]
fn node_item(p: &NodeProps) -> Html {
    node(&p.node, &p.on_node)
}

fn node(n: &NodeView, cb: &Callback<u32>) -> Html {
    let (x, y) = px(n.x, n.y);
    let (onclick, onkeydown) = activate(cb.clone(), n.id);
    let state = if n.up { "up" } else { "down" };
    let label = format!(
        "{} ({}), {state}; {}. Press to inspect it.",
        n.name,
        n.role.name(),
        n.label
    );
    let role_class = format!("role-{}", n.role.name().replace(' ', "-"));
    let pips = n.up && !n.marks.replicas.is_empty();
    let circle = n.role == crate::sim::topology::Role::Client;
    let drawn = if n.marks.short.is_empty() {
        n.label.as_str()
    } else {
        n.marks.short.as_str()
    };
    let state_text = if n.up { drawn } else { "✕ down" };
    let fit = crate::fit::node(&n.name, state_text, circle);
    // The full state goes in a <title> whenever the drawing shows less of it.
    let full = fit.clipped || (n.up && drawn != n.label);
    let full_state = if n.up { n.label.as_str() } else { "✕ down" };
    let half = Fixed(f64::from(fit.size / 2.0), 1).to_string();
    // A node near the drawing's left or right edge keeps its state line inside the drawing: the
    // line starts (or ends) at the box's edge instead of being centred under it (its text grows
    // in a narrow drawing, see style.css).
    let anchor = if x > W - 120.0 {
        ("end", half.clone())
    } else if x < 120.0 {
        ("start", format!("-{half}"))
    } else {
        ("middle", "0".to_string())
    };
    html! {
        <g class={classes!("node", state, role_class, pips.then_some("has-pips"))} role="button" tabindex="0" aria-label={label} {onclick} {onkeydown}
            data-node={n.id.to_string()} transform={format!("translate({},{})", Fixed(f64::from(x), 1), Fixed(f64::from(y), 1))}>
            if full {
                <title>{ format!("{}: {full_state}", n.name) }</title>
            }
            if circle {
                <circle class="shape" r={half} />
            } else {
                <rect class="shape" x={format!("-{half}")} y="-20" width={Fixed(f64::from(fit.size), 1).to_string()} height="40" rx="6" />
            }
            <text class="name" y="5">{ fit.name }</text>
            if !n.up {
                <path class="crossed" d="M-16,-16 L16,16 M16,-16 L-16,16" />
            }
            { marks::node_marks(n, fit.size / 2.0) }
            { marks::state_lines(n, &fit.state, if pips { 44.0 } else { 36.0 }, &anchor.1, anchor.0) }
        </g>
    }
}

/// The same state as the diagram, as tables (for screen readers and for reading exact values).
pub fn table(snap: &Snapshot) -> Html {
    let name = |id: u32| {
        snap.node(id)
            .map_or_else(|| format!("#{id}"), |n| n.name.clone())
    };
    // A scenario's figure on each link (a wire's request rate), in its full sentence.
    let notes = !snap.link_notes.is_empty();
    let note = |id: u32| {
        snap.link_notes
            .iter()
            .find(|n| n.link == id)
            .map_or(String::new(), |n| n.title.clone())
    };
    html! {
        <div class="state-tables">
            <table>
                <caption>{"Nodes"}</caption>
                <thead><tr><th scope="col">{"node"}</th><th scope="col">{"role"}</th><th scope="col">{"state"}</th><th scope="col">{"detail"}</th></tr></thead>
                <tbody>{ for snap.nodes.iter().map(|n| html! {
                    <tr><th scope="row">{ n.name.clone() }</th><td>{ n.role.name() }</td>
                        <td>{ if n.up { "up" } else { "down" } }</td><td>{ n.label.clone() }</td></tr>
                }) }</tbody>
            </table>
            <table>
                <caption>{"Links"}</caption>
                <thead><tr><th scope="col">{"link"}</th><th scope="col">{"between"}</th><th scope="col">{"state"}</th><th scope="col">{"latency"}</th><th scope="col">{"loss"}</th>
                    if notes { <th scope="col">{"traffic"}</th> }</tr></thead>
                <tbody>{ for snap.links.iter().map(|l| html! {
                    <tr><th scope="row">{ l.id }</th><td>{ format!("{} – {}", name(l.a), name(l.b)) }</td>
                        <td>{ l.state() }</td>
                        <td>{ format!("{} ms", Fixed(l.latency_ms, 1)) }</td><td>{ Fixed(l.loss, 2).to_string() }</td>
                        if notes { <td>{ note(l.id) }</td> }</tr>
                }) }</tbody>
            </table>
            <table class="flights">
                <caption>{ format!("{} messages in flight", snap.flights.len()) }</caption>
                <thead><tr><th scope="col">{"message"}</th><th scope="col">{"kind"}</th><th scope="col">{"from"}</th><th scope="col">{"to"}</th><th scope="col">{"of the way"}</th></tr></thead>
                <tbody>{ for snap.flights.iter().take(50).map(|f| html! {
                    <tr data-flight={f.id.to_string()}><th scope="row">{ format!("#{}", f.id) }</th><td>{ f.label }</td>
                        <td>{ name(f.from) }</td><td>{ name(f.to) }</td>
                        <td data-progress={Fixed(f64::from(f.progress), 3).to_string()}>{ format!("{}%", Fixed(f64::from(f.progress) * 100.0, 0)) }</td></tr>
                }) }</tbody>
            </table>
        </div>
    }
}
