//! The `load-balancer` panel: an arrival-rate slider (drag it towards capacity), then per bank
//! (two side by side when comparing) the headline percentiles, a table of servers with live
//! queue bars, share of requests, state in words and kill/slow buttons, and a chart of p50 and
//! p99 per window of simulated time. Every figure is also text; no inline styles.

use crate::sim::metrics::round3;
use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::load_balancer::{BankView, LbView, ServerView};
use crate::sim::snapshot::Snapshot;
use crate::sim::Command;
use yew::prelude::*;

/// Render the load balancer's extra view.
pub fn view(v: &LbView, _snap: &Snapshot, on_cmd: Callback<Command>) -> Html {
    let y_max = v
        .banks
        .iter()
        .flat_map(|b| b.history.iter().map(|w| w.2))
        .fold(1.0f64, f64::max);
    let q_max = v
        .banks
        .iter()
        .flat_map(|b| b.servers.iter().map(|s| s.queue))
        .fold(8, u32::max);
    let speeds: Vec<f64> = v
        .banks
        .first()
        .map_or_else(Vec::new, |b| b.servers.iter().map(|s| s.speed).collect());
    let two = v.banks.len() > 1;
    html! {
        <section class="lb-panel" aria-label="Load balancer: servers, queues and latency">
            <RateSlider rate={v.rate} capacity={v.capacity} on_cmd={on_cmd.clone()} />
            <div class={classes!("lb-banks", two.then_some("lb-two"))}>
                { for v.banks.iter().enumerate().map(|(k, b)| bank(b, k, two, q_max, y_max, &speeds, &on_cmd)) }
            </div>
        </section>
    }
}

/// Props of the rate slider.
#[derive(Properties, PartialEq)]
struct RateProps {
    rate: f64,
    capacity: f64,
    on_cmd: Callback<Command>,
}

/// The arrival-rate slider; a component so its ids stay unique on a page with several
/// load-balancer widgets, and stable from one render to the next.
#[function_component(RateSlider)]
fn rate_slider(p: &RateProps) -> Html {
    let id = super::use_unique_id("lb-rate");
    let out = format!("{id}-out");
    let max = (p.capacity * 1.25).max(p.rate).ceil();
    let cb = p.on_cmd.clone();
    let onchange = Callback::from(move |e: Event| {
        let raw = crate::ui::dom::event_value(&e);
        if let Some(x) = crate::sim::num::parse_f64(&raw) {
            cb.emit(Command::Set {
                key: "rate".into(),
                value: Short(x.round().max(1.0)).to_string(),
            });
        }
    });
    html! {
        <div class="lb-rate">
            <label for={id.clone()}>{"Arrival rate"}</label>
            <input {id} type="range" min="10" max={Short(max).to_string()} step="1"
                value={Short(p.rate.round()).to_string()} {onchange} data-param="lb-rate"
                aria-describedby={out.clone()} />
            <output id={out}>{ format!("{} requests/s; the servers can serve {} requests/s at their speeds", Short(round3(p.rate)), Short(round3(p.capacity))) }</output>
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn bank(
    b: &BankView,
    k: usize,
    two: bool,
    q_max: u32,
    y_max: f64,
    speeds: &[f64],
    on_cmd: &Callback<Command>,
) -> Html {
    let title = if two {
        format!("Bank {}: {}", if k == 0 { "A" } else { "B" }, b.algorithm)
    } else {
        b.algorithm.to_string()
    };
    html! {
        <div class="lb-bank" data-bank={k.to_string()}>
            <h4>{ title }</h4>
            <p class="lb-figures" data-testid={format!("lb-figures-{k}")}>
                { format!("p50 {} ms · p99 {} ms · mean {} ms · {} done · {} errors · {} dropped",
                    Short(round3(b.p50_ms)), Short(round3(b.p99_ms)), Short(round3(b.mean_ms)), b.completed, b.errors, b.dropped) }
            </p>
            <div class="lb-table-wrap">
            <table class="lb-servers">
                <caption class="sr-only">{ format!("Servers behind {}", b.algorithm) }</caption>
                <thead><tr><th scope="col">{"server"}</th><th scope="col">{"queue"}</th><th scope="col">{"share"}</th><th scope="col">{"state"}</th><th scope="col">{"actions"}</th></tr></thead>
                <tbody>{ for b.servers.iter().enumerate().map(|(i, s)| server_row(s, i, q_max, speeds, on_cmd)) }</tbody>
            </table>
            </div>
            { chart(b, y_max) }
        </div>
    }
}

fn server_row(
    s: &ServerView,
    i: usize,
    q_max: u32,
    speeds: &[f64],
    on_cmd: &Callback<Command>,
) -> Html {
    let qw = 100.0 * s.queue as f64 / q_max as f64;
    let sw = 100.0 * s.share;
    let node = s.node;
    let alive = s.alive;
    let kill = {
        let cb = on_cmd.clone();
        Callback::from(move |_: MouseEvent| {
            cb.emit(if alive {
                Command::Crash(node)
            } else {
                Command::Restart(node)
            })
        })
    };
    let slow = s.speed < 1.0;
    let new_speeds: Vec<String> = speeds
        .iter()
        .enumerate()
        .map(|(j, &x)| {
            if j == i {
                if slow {
                    "1".into()
                } else {
                    "0.25".into()
                }
            } else {
                Short(x).to_string()
            }
        })
        .collect();
    let toggle = {
        let cb = on_cmd.clone();
        let value = new_speeds.join(",");
        Callback::from(move |_: MouseEvent| {
            cb.emit(Command::Set {
                key: "speeds".into(),
                value: value.clone(),
            })
        })
    };
    let state_class = if !s.alive {
        "down"
    } else if !s.in_rotation {
        "out"
    } else if slow {
        "slow"
    } else {
        "up"
    };
    html! {
        <tr class={classes!("lb-server", format!("lb-{state_class}"))} data-server={s.name.clone()}>
            <th scope="row">{ s.name.clone() }</th>
            <td class="lb-q">
                <svg class="lb-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                    <rect class="lb-track" x="0" y="0" width="100" height="10" />
                    <rect class="lb-fill" x="0" y="0" width={Fixed(qw, 1).to_string()} height="10" />
                </svg>
                <span class="lb-num" data-testid="queue">{ s.queue }</span>
            </td>
            <td class="lb-share">
                <svg class="lb-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                    <rect class="lb-track" x="0" y="0" width="100" height="10" />
                    <rect class="lb-fill lb-share-fill" x="0" y="0" width={Fixed(sw, 1).to_string()} height="10" />
                </svg>
                <span class="lb-num">{ format!("{}%", Fixed(sw, 1)) }</span>
            </td>
            <td class="lb-state">{ s.state() }</td>
            <td class="lb-try">
                <button type="button" onclick={kill} data-action={format!("kill-{}", s.name)}>{ if alive { "Kill" } else { "Restart" } }</button>
                <button type="button" onclick={toggle} data-action={format!("slow-{}", s.name)}>{ if slow { "Full speed" } else { "Slow" } }</button>
            </td>
        </tr>
    }
}

const CW: f64 = 400.0;
const CH: f64 = 90.0;

fn polyline(b: &BankView, y_max: f64, pick: fn(&(f64, f64, f64)) -> f64) -> String {
    let (t0, t1) = (
        b.history.first().map_or(0.0, |w| w.0),
        b.history.last().map_or(1.0, |w| w.0),
    );
    let span = (t1 - t0).max(1e-9);
    b.history
        .iter()
        .map(|w| {
            let x = if b.history.len() < 2 {
                CW
            } else {
                (w.0 - t0) / span * CW
            };
            format!(
                "{},{}",
                Fixed(x, 1),
                Fixed(CH - 4.0 - pick(w) / y_max * (CH - 14.0), 1)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn chart(b: &BankView, y_max: f64) -> Html {
    let last = b.history.last().copied().unwrap_or((0.0, 0.0, 0.0));
    let desc = format!(
        "p50 and p99 latency per second of simulated time, {} windows; latest p50 {} ms, p99 {} ms; scale up to {} ms",
        b.history.len(), Short(round3(last.1)), Short(round3(last.2)), Short(round3(y_max))
    );
    html! {
        <figure class="lb-chart">
            <figcaption>
                { format!("Latency per second: p50 {} ms, p99 {} ms ", Short(round3(last.1)), Short(round3(last.2))) }
                <span class="lb-key"><span class="lb-key-p50">{"── p50"}</span>{" "}<span class="lb-key-p99">{"- - p99"}</span></span>
            </figcaption>
            <svg viewBox={format!("0 0 {} {}", Short(CW), Short(CH))} role="img" aria-label={desc.clone()}>
                <desc>{ desc }</desc>
                <line class="axis" x1="0" y1={Short(CH - 4.0).to_string()} x2={Short(CW).to_string()} y2={Short(CH - 4.0).to_string()} />
                <text class="lb-ymax" x="2" y="9">{ format!("{} ms", Short(round3(y_max))) }</text>
                <polyline class="lb-p50" points={polyline(b, y_max, |w| w.1)} />
                <polyline class="lb-p99" points={polyline(b, y_max, |w| w.2)} />
            </svg>
        </figure>
    }
}
