//! The saga widget's panel: buttons to break things (make a step fail, toggle idempotency, crash
//! or restart the orchestrator / bus / coordinator), the invariants audited from the services'
//! data (with the first offending order, one click away), each service's data, and the sequence
//! diagram of a chosen order: one lifeline per node, forward messages solid, compensations
//! dashed, lost messages ending in a cross, notes where a service changed its data. Every
//! drawing has its text alternative (the order as a list).

use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::saga::{Arrow, Diagram, OrderView, SagaView, HUB, STEPS};
use crate::sim::Command;
use yew::prelude::*;

/// Props: the snapshot's saga view and the frame's command channel.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: SagaView,
    pub on_cmd: Callback<Command>,
}

/// The panel (keeps which order the reader is looking at; none = the newest).
#[function_component(SagaPanel)]
pub fn saga_panel(props: &Props) -> Html {
    let v = &props.view;
    let chosen = use_state(|| None::<u32>);
    let marker = super::use_unique_id("sq-head");
    let pick = {
        let chosen = chosen.clone();
        Callback::from(move |o: Option<u32>| chosen.set(o))
    };
    let shown = chosen
        .and_then(|o| v.orders.iter().find(|ov| ov.diagram.order == o))
        .or_else(|| newest(v));
    html! {
        <div class="saga-panel">
            { break_bar(v, &props.on_cmd) }
            <div class="saga-grid">
                { invariants(v, &pick) }
                { services(v) }
            </div>
            { picker(v, shown.map(|o| o.diagram.order), *chosen, &pick) }
            { shown.map_or_else(|| html! { <p class="saga-empty">{"No order placed yet: press play or step."}</p> }, |o| sequence(v, o, &marker)) }
        </div>
    }
}

/// The newest order with something to show (the pinned one comes first in the list).
fn newest(v: &SagaView) -> Option<&OrderView> {
    let pinned = v
        .orders
        .first()
        .filter(|o| o.state == "inconsistent")
        .map(|o| o.diagram.order);
    v.orders
        .iter()
        .filter(|o| Some(o.diagram.order) != pinned || v.orders.len() == 1)
        .max_by_key(|o| o.diagram.order)
}

fn set(on_cmd: &Callback<Command>, key: &'static str, value: &'static str) -> Callback<MouseEvent> {
    let cb = on_cmd.clone();
    Callback::from(move |_| {
        cb.emit(Command::Set {
            key: key.into(),
            value: value.into(),
        })
    })
}

fn break_bar(v: &SagaView, on_cmd: &Callback<Command>) -> Html {
    let hub = v.hub;
    let crash = {
        let cb = on_cmd.clone();
        let up = v.hub_up;
        Callback::from(move |_| {
            cb.emit(if up {
                Command::Crash(HUB)
            } else {
                Command::Restart(HUB)
            })
        })
    };
    let idem = if v.idempotent { "off" } else { "on" };
    html! {
        <div class="saga-break" role="group" aria-label="Break it">
            <span>{"Make a step fail: "}</span>
            { for v.services.iter().map(|s| {
                let value = if s.failing { "none" } else { s.name };
                html! {
                    <button class={classes!(s.failing.then_some("on"))} aria-pressed={s.failing.to_string()}
                        data-fail={s.name} onclick={set(on_cmd, "fail_step", value)}
                        title={format!("{} refuses to {} from now on", s.name, s.verb)}>
                        { s.name }
                    </button>
                }
            }) }
            <button aria-pressed={v.idempotent.to_string()} class={classes!(v.idempotent.then_some("on"))}
                data-action="idempotent" onclick={set(on_cmd, "idempotent", idem)}>
                { format!("Idempotency {}", if v.idempotent { "on" } else { "off" }) }
            </button>
            <button data-action="crash-hub" onclick={crash} class={classes!((!v.hub_up).then_some("down"))}>
                { if v.hub_up { format!("Crash the {hub}") } else { format!("Restart the {hub}") } }
            </button>
            if v.duplicate_next { <span class="saga-dup-armed">{"· the next message to a service will arrive twice"}</span> }
        </div>
    }
}

fn invariants(v: &SagaView, pick: &Callback<Option<u32>>) -> Html {
    html! {
        <section class="saga-invariants" aria-label="Invariants">
            <h4>{"Invariants, audited from each service's own data"}</h4>
            <ul>
            { for v.invariants.iter().map(|inv| {
                let ok = inv.broken == 0;
                html! {
                    <li class={classes!("inv", if ok { "ok" } else { "broken" })} data-invariant={inv.name}>
                        <span class="inv-mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                        <strong>{ inv.name }</strong>
                        { format!(": {}", if ok { "holds" } else { "BROKEN" }) }
                        <span class="inv-rule">{ format!(" ({})", inv.rule) }</span>
                        if let Some((order, why)) = inv.first.clone() {
                            <span class="inv-why">
                                { format!(" {} order{} break it; first: {why}. ", inv.broken, if inv.broken == 1 { " does" } else { "s" }) }
                                <button class="linkish" onclick={let p = pick.clone(); Callback::from(move |_| p.emit(Some(order)))}>
                                    { format!("Show order #{order}") }
                                </button>
                            </span>
                        }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

fn services(v: &SagaView) -> Html {
    html! {
        <section class="saga-services" aria-label="Services and their data">
            <h4>{ format!("Services ({}; {} {})", v.mode, v.hub, if v.hub_up { "up" } else { "DOWN" }) }</h4>
            <table>
                <thead><tr><th scope="col">{"service"}</th><th scope="col">{"its data"}</th><th scope="col">{"doubled"}</th></tr></thead>
                <tbody>
                { for v.services.iter().map(|s| html! {
                    <tr data-service={s.name}>
                        <th scope="row">{ s.name }{ if s.failing { " (fails)" } else { "" } }</th>
                        <td>{ s.data.clone() }</td>
                        <td>{ s.duplicate_effects }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}

fn picker(
    v: &SagaView,
    shown: Option<u32>,
    chosen: Option<u32>,
    pick: &Callback<Option<u32>>,
) -> Html {
    let mut orders: Vec<&OrderView> = v.orders.iter().collect();
    crate::sim::compact::sort_by_key(&mut orders, |o| o.diagram.order);
    html! {
        <div class="saga-picker" role="group" aria-label="Choose an order to draw">
            <span>{"Order: "}</span>
            <button aria-pressed={chosen.is_none().to_string()} class={classes!(chosen.is_none().then_some("on"))}
                onclick={let p = pick.clone(); Callback::from(move |_| p.emit(None))}>{"newest"}</button>
            { for orders.into_iter().map(|o| {
                let id = o.diagram.order;
                let on = chosen == Some(id) || (chosen.is_none() && shown == Some(id));
                html! {
                    <button class={classes!("st", o.state.replace(' ', "-"), on.then_some("on"))}
                        aria-pressed={(chosen == Some(id)).to_string()} data-order={id.to_string()}
                        title={format!("order #{id}: {}", o.state)} aria-label={format!("order #{id}, {}", o.state)}
                        onclick={let p = pick.clone(); Callback::from(move |_| p.emit(Some(id)))}>
                        { format!("#{id}") }<span class="st-word">{ format!(" {}", short(o.state)) }</span>
                    </button>
                }
            }) }
        </div>
    }
}

fn short(state: &str) -> &'static str {
    match state {
        "committed" => "✓",
        "compensated" => "↺",
        "inconsistent" => "✗",
        _ => "…",
    }
}

const LANE_X0: f32 = 56.0;
const LANE_DX: f32 = 112.0;
const TOP: f32 = 34.0;
const W: f32 = 560.0;

fn lane_x(node: u32) -> f32 {
    LANE_X0 + LANE_DX * node.min(4) as f32
}

fn lanes(v: &SagaView) -> [&'static str; 5] {
    let mut names = ["shop", v.hub, "", "", ""];
    for (i, s) in STEPS.iter().enumerate() {
        names[2 + i] = s.name();
    }
    names
}

/// The time span drawn: from the order's start to its last event (or now, while it runs).
fn span(d: &Diagram, now_us: u64) -> (u64, u64) {
    let last = d
        .arrows
        .iter()
        .flat_map(|a| [Some(a.sent_us), a.recv_us, a.lost_us])
        .flatten()
        .chain(d.notes.iter().map(|n| n.at_us))
        .max()
        .unwrap_or(d.started_us);
    let end = if d
        .arrows
        .iter()
        .any(|a| a.recv_us.is_none() && a.lost_us.is_none())
    {
        now_us.max(last)
    } else {
        last
    };
    (d.started_us, end.max(d.started_us + 1))
}

fn sequence(v: &SagaView, o: &OrderView, marker: &str) -> Html {
    let d = &o.diagram;
    // Unique on the page (several saga widgets can show the same order number).
    let marker = format!("{marker}-{}", d.order);
    let (t0, t1) = span(d, v.now_us);
    let h = (d.arrows.len() as f32 * 22.0).clamp(180.0, 640.0);
    let y = |t: u64| TOP + 8.0 + h * (t.saturating_sub(t0)) as f32 / (t1 - t0) as f32;
    let names = lanes(v);
    let desc = format!(
        "Sequence diagram of order #{} ({}): {} messages between shop, {}, inventory, payment and shipping; the list below gives each one.",
        d.order, o.state, d.arrows.len(), v.hub
    );
    html! {
        <figure class="saga-seq" data-order={d.order.to_string()} data-state={o.state}>
            <figcaption>
                <strong>{ format!("Order #{}: {}", d.order, o.state) }</strong>
                { format!(" · {} ms drawn · solid: forward steps and replies; dashed: compensations; × lost", Fixed((t1 - t0) as f64 / 1000.0, 1)) }
            </figcaption>
            <div class="saga-seq-wrap">
            <svg viewBox={format!("0 0 {} {}", Short(W.into()), Fixed(f64::from(h + TOP + 24.0), 0))} role="img" aria-label={desc}>
                <defs>
                    <marker id={marker.clone()} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="head" />
                    </marker>
                </defs>
                { for names.iter().enumerate().map(|(i, name)| {
                    let x = lane_x(i as u32);
                    html! { <g class="lifeline">
                        <text x={Fixed(f64::from(x), 0).to_string()} y="16">{ *name }</text>
                        <line x1={Fixed(f64::from(x), 0).to_string()} x2={Fixed(f64::from(x), 0).to_string()} y1="22" y2={Fixed(f64::from(h + TOP + 16.0), 0).to_string()} />
                    </g> }
                }) }
                { for d.arrows.iter().map(|a| arrow(a, &y, v.now_us, &marker)) }
                { for d.notes.iter().map(|n| html! {
                    // Notes sit right of their lane, except on the last lane, where they end at it.
                    <text class={classes!("note", n.bad.then_some("bad"), (n.lane >= 4).then_some("left"))}
                        x={Fixed(f64::from(lane_x(n.lane) + if n.lane >= 4 { -4.0 } else { 4.0 }), 0).to_string()} y={Fixed(f64::from(y(n.at_us) - 2.0), 1).to_string()}>
                        { if n.bad { format!("⚠ {}", n.text) } else { n.text.to_string() } }
                    </text>
                }) }
            </svg>
            </div>
            <details class="saga-seq-text">
                <summary>{ format!("Order #{} as text", d.order) }</summary>
                <ol>{ for d.arrows.iter().map(|a| html! { <li>{ arrow_text(a, &names, t0) }</li> }) }</ol>
                <ul>{ for d.notes.iter().map(|n| html! { <li>{ format!("{} ms, {}: {}", Fixed((n.at_us - t0.min(n.at_us)) as f64 / 1000.0, 1), names[n.lane.min(4) as usize], n.text) }</li> }) }</ul>
            </details>
        </figure>
    }
}

fn arrow(a: &Arrow, y: &impl Fn(u64) -> f32, now_us: u64, marker: &str) -> Html {
    let end_us = a.recv_us.or(a.lost_us).unwrap_or(now_us);
    let (x1, x2) = (lane_x(a.from), lane_x(a.to));
    let (y1, y2) = (y(a.sent_us), y(end_us.max(a.sent_us)));
    // A lost message stops part-way: where it was when it was dropped.
    let x2 = if a.lost_us.is_some() {
        x1 + (x2 - x1) * 0.6
    } else {
        x2
    };
    let class = classes!(
        "msg",
        if a.compensating { "comp" } else { "fwd" },
        a.duplicate.then_some("dup"),
        a.lost_us.is_some().then_some("lost"),
        (a.recv_us.is_none() && a.lost_us.is_none()).then_some("flying"),
    );
    let label = if a.duplicate {
        format!("{} (copy)", a.label)
    } else {
        a.label.to_string()
    };
    let head = (a.lost_us.is_none()).then(|| format!("url(#{marker})"));
    html! {
        <g class={class}>
            <line x1={Fixed(f64::from(x1), 1).to_string()} y1={Fixed(f64::from(y1), 1).to_string()} x2={Fixed(f64::from(x2), 1).to_string()} y2={Fixed(f64::from(y2), 1).to_string()} marker-end={head} />
            // A copy's label sits under its line, so it does not cover the original's.
            <text x={Fixed(f64::from((x1 + x2) / 2.0), 1).to_string()} y={Fixed(f64::from((y1 + y2) / 2.0 + if a.duplicate { 11.0 } else { -3.0 }), 1).to_string()}>{ label }</text>
            if a.lost_us.is_some() { <text class="cross" x={Fixed(f64::from(x2), 1).to_string()} y={Fixed(f64::from(y2 + 4.0), 1).to_string()}>{"×"}</text> }
        </g>
    }
}

fn arrow_text(a: &Arrow, names: &[&str; 5], t0: u64) -> String {
    let ms = |t: u64| (t.saturating_sub(t0)) as f64 / 1000.0;
    let fate = match (a.recv_us, a.lost_us) {
        (Some(t), _) => format!("arrived at {} ms", Fixed(ms(t), 1)),
        (_, Some(t)) => format!("LOST at {} ms", Fixed(ms(t), 1)),
        _ => "in flight".to_string(),
    };
    format!(
        "{} ms: {} → {}: {}{}{}; {fate}",
        Fixed(ms(a.sent_us), 1),
        names[a.from.min(4) as usize],
        names[a.to.min(4) as usize],
        a.label,
        if a.compensating {
            " (compensation)"
        } else {
            ""
        },
        if a.duplicate { " (a second copy)" } else { "" }
    )
}
