//! Inspect a node or a message, as RaftScope does: clicking (or pressing Enter on) a node opens a
//! card with its role, state, links and latest events, and the button that crashes or restarts
//! it; clicking a message in flight opens its kind, ends and progress. Text only, read from the
//! snapshot the diagram draws, so what the card says is what the run holds.

use super::{Msg, WidgetFrame};
use crate::sim::num_fmt::Fixed;
use crate::sim::snapshot::{Extra, Snapshot};
use crate::ui::topology_view::px;
use yew::prelude::*;

/// What the inspector shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inspect {
    Node(u32),
    Message(u64),
}

/// How close (SVG units) a click must land to a message to pick it.
const PICK: f32 = 12.0;

/// The message in flight nearest to (`x`, `y`), if one is within reach.
pub(super) fn pick_message(snap: &Snapshot, x: f32, y: f32) -> Option<u64> {
    let mut best: Option<(f32, u64)> = None;
    for f in &snap.flights {
        let Some((mx, my)) = crate::ui::particles::at(snap, f, px) else {
            continue;
        };
        let d = ((mx - x) * (mx - x) + (my - y) * (my - y)).sqrt();
        if d <= PICK && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, f.id));
        }
    }
    best.map(|(_, id)| id)
}

impl WidgetFrame {
    /// The inspector card, if something is being inspected.
    pub(super) fn inspector(&self, ctx: &Context<Self>) -> Html {
        let Some(what) = self.inspect else {
            return Html::default();
        };
        let close = ctx.link().callback(|_| Msg::Inspect(None));
        let body = match what {
            Inspect::Node(n) => node_card(&self.snap, n, ctx),
            Inspect::Message(id) => message_card(&self.snap, id),
        };
        html! {
            <section class="inspector" aria-label="Inspector" aria-live="polite" data-testid="inspector">
                { body }
                <button class="close" data-action="inspect-close" aria-label="Close the inspector" onclick={close}>{"Close"}</button>
            </section>
        }
    }
}

fn node_card(snap: &Snapshot, n: u32, ctx: &Context<WidgetFrame>) -> Html {
    let Some(node) = snap.node(n) else {
        return html! { <p>{"That node is not in this run."}</p> };
    };
    let links: Vec<String> = snap
        .links
        .iter()
        .filter(|l| l.a == n || l.b == n)
        .map(|l| {
            let other = if l.a == n { l.b } else { l.a };
            let name = snap.node(other).map_or("?", |o| o.name.as_str());
            format!("{name} ({}, {} ms)", l.state(), Fixed(l.latency_ms, 1))
        })
        .collect();
    let word = |line: &str| {
        line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .any(|w| w == node.name)
    };
    let events: Vec<&String> = snap
        .recent
        .iter()
        .filter(|l| word(l))
        .rev()
        .take(5)
        .collect();
    let toggle = ctx.link().callback(move |_| Msg::ToggleNode(n));
    let (verb, state) = if node.up {
        ("Crash", "up")
    } else {
        ("Restart", "down")
    };
    // A `system` component says more than up or down: slowed, failing, replicas down, breaker.
    let state = match &snap.extra {
        Extra::System(v) => v
            .comps
            .iter()
            .find(|c| c.node == n)
            .map_or(state.to_string(), |c| c.state()),
        _ => state.to_string(),
    };
    html! {
        <>
            <h4>{ format!("{} · {}", node.name, node.role.name()) }</h4>
            <p data-testid="inspect-state">{ format!("{state}; {}", node.label) }</p>
            <p>{ format!("Links: {}", if links.is_empty() { "none".to_string() } else { links.join(", ") }) }</p>
            if events.is_empty() {
                <p class="muted">{"No recent event mentions it."}</p>
            } else {
                <p class="muted">{"Its latest events:"}</p>
                <ol class="inspect-events">{ for events.iter().map(|l| html! { <li><code>{ (*l).clone() }</code></li> }) }</ol>
            }
            <p class="inspect-actions">
                <button data-action="inspect-toggle" onclick={toggle}>{ format!("{verb} {}", node.name) }</button>
                { system_faults(snap, n, ctx) }
            </p>
        </>
    }
}

/// A `system` component's other faults (slow it, make it fail part of its requests, or a traffic
/// spike for clients): the same buttons as its row in the scenario's panel.
fn system_faults(snap: &Snapshot, n: u32, ctx: &Context<WidgetFrame>) -> Html {
    let Extra::System(v) = &snap.extra else {
        return Html::default();
    };
    match v.comps.iter().find(|c| c.node == n) {
        Some(c) => crate::ui::panels::system::faults(c, &ctx.link().callback(Msg::Cmd)),
        None => Html::default(),
    }
}

fn message_card(snap: &Snapshot, id: u64) -> Html {
    let Some(f) = snap.flights.iter().find(|f| f.id == id) else {
        return html! {
            <p data-testid="inspect-state">{ format!("Message #{id} is no longer in flight: it arrived, or it was dropped (the event log says which).") }</p>
        };
    };
    let name = |n: u32| {
        snap.node(n)
            .map_or_else(|| format!("#{n}"), |x| x.name.clone())
    };
    html! {
        <>
            <h4>{ format!("Message #{id} · {}", f.label) }</h4>
            <p data-testid="inspect-state">{ format!("{} → {}, {}% of the way across this link",
                name(f.from), name(f.to), Fixed(f64::from(f.progress) * 100.0, 0)) }</p>
        </>
    }
}
