//! The replication panel's timelines: the proof (only the operations the checker needs, zoomed
//! in) and a window of `WINDOW` operations over the whole recorded history, newest by default,
//! paged with Earlier / Later / Newest buttons or a slider. The page is this component's own
//! state: the snapshot carries every recorded operation in shared chunks, so paging needs no
//! command and costs the simulation nothing. Marks, not colour alone: ✗ failed, ! stale,
//! ◆ proves a violation.

use super::describe;
use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::replication::{Bar, BarStatus, ReplicationView};
use yew::prelude::*;

const W: f64 = 640.0;
const LANE: f64 = 26.0;
const LEFT: f64 = 34.0;
const TOP: f64 = 18.0;
/// Operations drawn at once.
const WINDOW: usize = 30;

/// Props: the snapshot's view.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: ReplicationView,
}

/// Where the window stands: `None` follows the newest operations.
fn window_start(anchor: Option<usize>, len: usize) -> usize {
    let last = len.saturating_sub(WINDOW);
    anchor.map_or(last, |a| a.min(last))
}

/// A window starting at `start` follows the newest operations again once it reaches the end.
fn anchor_for(start: usize, len: usize) -> Option<usize> {
    (start + WINDOW < len).then_some(start)
}

/// Both timelines, with the pager.
#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    let v = &props.view;
    let anchor = use_state(|| None::<usize>);
    let len = v.log.len();
    let start = window_start(*anchor, len);
    let end = (start + WINDOW).min(len);
    let bars: Vec<&Bar> = v.log.window(start, end).collect();
    let culprit = |b: &Bar| v.evidence.iter().any(|e| e.id == b.id);
    let t0 = bars.first().map_or(0.0, |b| b.call_ms);
    let t1 = if anchor.is_none() {
        v.now_ms
    } else {
        bars.iter().map(|b| end_of(b, v.now_ms)).fold(t0, f64::max)
    };
    let axis = Axis {
        t0,
        t1: t1.max(t0 + 1.0),
    };
    let marked = bars.iter().filter(|b| culprit(b)).count();
    let desc = format!(
        "Timeline of operations #{start} to #{} of {len} recorded, from {} ms to {} ms, one lane per client; {marked} of them prove a violation.",
        end.saturating_sub(1),
        Fixed(axis.t0, 0),
        Fixed(axis.t1, 0)
    );
    html! {
        <>
            { proof(v) }
            <figure class="repl-timeline">
                <figcaption>{ format!("Operations #{start}–#{} of {len} recorded{} (bar = invocation to response). W = write, R = read; ✗ failed, ! stale read, ◆ proves a violation. Hover a bar for details.", end.saturating_sub(1), if anchor.is_none() { ", the newest" } else { "" }) }</figcaption>
                { pager(v, *anchor, start, &anchor) }
                { lanes(v, axis, &bars, &culprit, desc, "live") }
            </figure>
        </>
    }
}

fn pager(
    v: &ReplicationView,
    anchor: Option<usize>,
    start: usize,
    set: &UseStateHandle<Option<usize>>,
) -> Html {
    let len = v.log.len();
    let go = |to: Option<usize>| {
        let set = set.clone();
        Callback::from(move |_: MouseEvent| set.set(to))
    };
    let earlier = go(Some(start.saturating_sub(WINDOW)));
    let later = go(anchor_for(start + WINDOW, len));
    let newest = go(None);
    let oninput = {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            let raw = crate::ui::dom::event_value(&e);
            if let Some(x) = crate::sim::num::parse_f64(&raw) {
                set.set(anchor_for(x.max(0.0) as usize, len));
            }
        })
    };
    let last = len.saturating_sub(WINDOW);
    let pending = if v.invoked as usize > len {
        format!(
            " ({} more invoked beyond the record)",
            v.invoked as usize - len
        )
    } else {
        String::new()
    };
    html! {
        <div class="repl-pager">
            <button data-page="earlier" onclick={earlier} disabled={start == 0}>{"◀ Earlier"}</button>
            <button data-page="later" onclick={later} disabled={anchor.is_none()}>{"Later ▶"}</button>
            <button data-page="newest" onclick={newest} disabled={anchor.is_none()}>{"Newest ⏭"}</button>
            <label>{"First operation shown "}
                <input type="range" min="0" max={last.to_string()} step="1" value={start.to_string()}
                    {oninput} disabled={last == 0} data-page="slider"
                    aria-valuetext={format!("operation #{start} of {len}")} />
            </label>
            <span class="repl-pager-state" aria-live="polite">{ if anchor.is_none() { format!("following the newest{pending}") } else { "held here; Newest follows new operations again".to_string() } }</span>
        </div>
    }
}

/// The evidence on its own axis, when there is any.
fn proof(v: &ReplicationView) -> Html {
    if v.evidence.is_empty() {
        return Html::default();
    }
    let bars: Vec<&Bar> = v.evidence.iter().collect();
    let t0 = bars.iter().map(|b| b.call_ms).fold(f64::INFINITY, f64::min);
    let t1 = bars
        .iter()
        .map(|b| end_of(b, v.now_ms))
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((t1 - t0) * 0.05).max(0.5);
    let axis = Axis {
        t0: t0 - pad,
        t1: t1 + pad,
    };
    let desc = format!(
        "The {} operations that prove the violation, from {} ms to {} ms.",
        bars.len(),
        Fixed(t0, 1),
        Fixed(t1, 1)
    );
    html! {
        <figure class="repl-timeline repl-proof">
            <figcaption>{"The proof, zoomed in: only the operations the checker needs (◆), on their clients' lanes."}</figcaption>
            { lanes(v, axis, &bars, &|_| true, desc, "proof") }
        </figure>
    }
}

fn end_of(b: &Bar, now_ms: f64) -> f64 {
    if b.status == BarStatus::Pending {
        now_ms
    } else {
        b.end_ms
    }
}

/// Time axis of one drawing: `t0..t1` ms onto the lane area.
#[derive(Clone, Copy)]
struct Axis {
    t0: f64,
    t1: f64,
}

impl Axis {
    fn x(&self, t: f64) -> f64 {
        let span = (self.t1 - self.t0).max(1e-6);
        LEFT + (t - self.t0).clamp(0.0, span) / span * (W - LEFT - 8.0)
    }
}

fn bar(a: Axis, b: &Bar, culprit: bool, now_ms: f64) -> Html {
    let y = TOP + b.lane as f64 * LANE + 3.0;
    let x0 = a.x(b.call_ms);
    let x1 = a.x(end_of(b, now_ms)).max(x0 + 3.0);
    let kind = if b.write { "w" } else { "r" };
    let status = match b.status {
        BarStatus::Ok => "ok",
        BarStatus::Failed => "failed",
        BarStatus::Pending => "pending",
    };
    let mark = match (culprit, b.status, b.stale) {
        (true, _, _) => "◆",
        (_, BarStatus::Failed, _) => "✗",
        (_, _, true) => "!",
        _ => "",
    };
    let label = if b.write {
        format!("W{}", b.value)
    } else if b.status == BarStatus::Ok {
        format!("R{}", b.value)
    } else {
        "R".into()
    };
    // Labels only where they fit; the mark always shows (and the title has everything).
    let text = if x1 - x0 >= 8.0 + 6.0 * (label.len() + mark.chars().count()) as f64 {
        format!("{mark}{label}")
    } else {
        mark.to_string()
    };
    let title = format!(
        "{}{}",
        describe(b, now_ms),
        if culprit {
            " — proves the violation"
        } else {
            ""
        }
    );
    html! {
        <g class={classes!("op", kind, status, b.stale.then_some("stale"), culprit.then_some("culprit"))} data-op={b.id.to_string()}>
            <title>{ title }</title>
            <rect x={Fixed(x0, 1).to_string()} y={Fixed(y, 1).to_string()} width={Fixed(x1 - x0, 1).to_string()} height={Short(LANE - 8.0).to_string()} rx="3" />
            <text x={Fixed(x0 + 2.0, 1).to_string()} y={Fixed(y + 13.0, 1).to_string()}>{ text }</text>
        </g>
    }
}

fn lanes(
    v: &ReplicationView,
    a: Axis,
    bars: &[&Bar],
    culprit: &dyn Fn(&Bar) -> bool,
    desc: String,
    class: &'static str,
) -> Html {
    let h = TOP + v.lanes.len() as f64 * LANE + 6.0;
    html! {
        <svg class={class} viewBox={format!("0 0 {} {}", Short(W), Fixed(h, 0))} role="img" aria-label={desc.clone()}>
            <desc>{ desc }</desc>
            <text class="axis" x={Short(LEFT).to_string()} y="12">{ format!("{} ms", Fixed(a.t0, 1)) }</text>
            <text class="axis end" x={Short(W - 8.0).to_string()} y="12">{ format!("{} ms", Fixed(a.t1, 1)) }</text>
            { for v.lanes.iter().enumerate().map(|(i, name)| {
                let y = TOP + i as f64 * LANE;
                html! {
                    <g class="lane">
                        <line x1={Short(LEFT).to_string()} x2={Short(W).to_string()} y1={Fixed(y + LANE - 2.0, 1).to_string()} y2={Fixed(y + LANE - 2.0, 1).to_string()} />
                        <text x="2" y={Fixed(y + 16.0, 1).to_string()}>{ name.clone() }</text>
                    </g>
                }
            }) }
            { for bars.iter().map(|b| bar(a, b, culprit(b), v.now_ms)) }
        </svg>
    }
}
