//! The cache widget's panel: the database load meter, the shared cache's slots (shaded by
//! popularity rank, with the rank as text, evictions and expiries marked), quick policy
//! buttons, and the hit-ratio-vs-capacity curve, computed by really running the scenario at
//! several capacities a slice per animation frame.

use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::cache::store::Policy;
use crate::sim::scenario::cache::view::{CacheView, SlotState, SlotView, Sweep};
use crate::sim::Command;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Events of sweep work per animation frame (a few milliseconds), so the page never freezes.
const SWEEP_SLICE: u64 = 8_000;

/// Props: the snapshot's cache view and the frame's command channel.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: CacheView,
    pub on_cmd: Callback<Command>,
}

/// The panel.
#[function_component(CachePanel)]
pub fn cache_panel(props: &Props) -> Html {
    let v = &props.view;
    let meter_id = super::use_unique_id("db-load-meter");
    html! {
        <div class="cache-panel">
            { db_meter(v, &meter_id) }
            { policy_bar(v, &props.on_cmd) }
            { slots(v) }
            <Curve pairs={v.pairs.clone()} seed={v.seed} keys={v.keys} capacity={v.capacity} />
        </div>
    }
}

fn db_meter(v: &CacheView, id: &str) -> Html {
    let max = v.clients.max(1);
    // A herd: at least 16 reads at once and half the clients (ordinary misses stay below).
    let heavy = v.db_recent_peak >= 16 && v.db_recent_peak * 2 >= max;
    html! {
        <div class={classes!("db-meter", heavy.then_some("heavy"))} data-testid="db-load">
            <label for={id.to_string()}>{"Database load: concurrent reads"}</label>
            <meter id={id.to_string()} min="0" max={max.to_string()} low={(max / 4).max(1).to_string()}
                high={(max / 2).max(2).to_string()} optimum="0" value={v.db_load.to_string()}></meter>
            <p class="db-figures" aria-live="off">
                <strong data-testid="db-load-now">{ format!("{} now", v.db_load) }</strong>
                { format!(" · peak in the last second {} · run peak {} · {} clients · {} workers", v.db_recent_peak, v.db_peak, v.clients, v.db_workers) }
                if heavy { <span class="warn">{" · ⚠ many clients are waiting on the database"}</span> }
            </p>
        </div>
    }
}

fn policy_bar(v: &CacheView, on_cmd: &Callback<Command>) -> Html {
    html! {
        <div class="policy-bar" role="group" aria-label="Eviction policy (changes at once)">
            <span>{"Eviction: "}</span>
            { for Policy::NAMES.iter().map(|&name| {
                let cb = on_cmd.clone();
                let onclick = Callback::from(move |_| cb.emit(Command::Set { key: "policy".into(), value: name.into() }));
                let on = v.policy == name;
                html! { <button class={classes!(on.then_some("on"))} aria-pressed={on.to_string()} data-policy={name} {onclick}>{ name.to_ascii_uppercase() }</button> }
            }) }
        </div>
    }
}

/// Popularity band of a key (key 0 is rank 1): 1, 2-10, 11-100, 101-1000, beyond.
fn band(key: u32) -> &'static str {
    match key + 1 {
        1 => "b0",
        2..=10 => "b1",
        11..=100 => "b2",
        101..=1000 => "b3",
        _ => "b4",
    }
}

fn slot(i: usize, s: &SlotView) -> Html {
    let Some(key) = s.key else {
        return html! { <li class="slot empty" aria-label={format!("slot {}: empty", i + 1)}>{"·"}</li> };
    };
    let rank = key + 1;
    let (state, mark, says) = match s.state {
        SlotState::Replaced => (
            "replaced",
            "↻",
            format!(", just evicted #{}", s.replaced.map_or(0, |k| k + 1)),
        ),
        SlotState::New => ("new", "+", ", just filled".to_string()),
        SlotState::Expired => ("expired", "✕", ", expired".to_string()),
        _ => ("held", "", String::new()),
    };
    html! {
        <li class={classes!("slot", band(key), state)} title={format!("key #{rank} (popularity rank {rank}){says}")}
            aria-label={format!("slot {}: key #{rank}{says}", i + 1)}>
            { format!("{mark}{rank}") }
        </li>
    }
}

fn slots(v: &CacheView) -> Html {
    let shown = v.slots.len() as u32;
    let latest: Vec<String> = v
        .latest
        .iter()
        .map(|(out, inn)| format!("#{} out, #{} in", out + 1, inn + 1))
        .collect();
    html! {
        <section class="cache-slots" aria-label="Shared cache contents">
            <h4>{ format!("Shared cache: {}/{} slots held · policy {} · {} evictions", v.used, v.capacity, v.policy.to_ascii_uppercase(), v.evictions) }</h4>
            <ol class="slots">{ for v.slots.iter().enumerate().map(|(i, s)| slot(i, s)) }</ol>
            if shown < v.capacity {
                <p class="note">{ format!("Showing the first {shown} of {} slots.", v.capacity) }</p>
            }
            <p class="legend">
                {"Each slot shows its key's popularity rank (#1 is the hottest key); darker means more popular: "}
                <span class="slot b0">{"1"}</span><span class="slot b1">{"2–10"}</span><span class="slot b2">{"11–100"}</span>
                <span class="slot b3">{"101–1000"}</span><span class="slot b4">{"1001+"}</span>
                {" · ↻ just replaced an evicted key · + just filled · ✕ expired"}
            </p>
            <p class="evictions" data-testid="latest-evictions">
                { if latest.is_empty() { "No evictions yet.".to_string() } else { format!("Latest evictions: {}", latest.join("; ")) } }
            </p>
            if v.buffered > 0 {
                <p class="buffered">{ format!("Write-behind buffer: {} acknowledged writes not yet in the database.", v.buffered) }</p>
            }
            if v.crashes > 0 {
                <p class="crashes">{ format!("The cache process has crashed {} time(s) and restarted empty.", v.crashes) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CurveProps {
    pairs: Vec<(String, String)>,
    seed: u64,
    keys: u32,
    capacity: u32,
}

#[derive(Default)]
struct SweepState {
    sweep: Option<Sweep>,
    frame: Option<AnimationFrame>,
    /// Settings the sweep ran with.
    of: Vec<(String, String)>,
}

/// Run one slice per animation frame until the sweep is done.
fn pump(state: Rc<RefCell<SweepState>>, redraw: Callback<()>) {
    let st = state.clone();
    let frame = request_animation_frame(move |_| {
        let done = st
            .borrow_mut()
            .sweep
            .as_mut()
            .is_none_or(|s| s.work(SWEEP_SLICE));
        redraw.emit(());
        if done {
            st.borrow_mut().frame = None;
        } else {
            pump(st.clone(), redraw);
        }
    });
    state.borrow_mut().frame = Some(frame);
}

#[function_component(Curve)]
fn curve(p: &CurveProps) -> Html {
    let state = use_mut_ref(SweepState::default);
    let force = use_force_update();
    {
        let state = state.clone();
        use_effect_with((), move |_| move || state.borrow_mut().frame = None);
    }
    let onclick = {
        let (state, pairs, seed, keys, cap) =
            (state.clone(), p.pairs.clone(), p.seed, p.keys, p.capacity);
        let redraw = Callback::from(move |_| force.force_update());
        Callback::from(move |_: MouseEvent| {
            {
                let mut st = state.borrow_mut();
                st.sweep = Some(Sweep::new(&pairs, seed, keys, cap));
                st.of = pairs.clone();
            }
            pump(state.clone(), redraw.clone());
        })
    };
    let st = state.borrow();
    let running = st.sweep.as_ref().is_some_and(|s| !s.done());
    let (points, total, error) = st.sweep.as_ref().map_or((Vec::new(), 0, None), |s| {
        (s.points.clone(), s.capacities().len(), s.error.clone())
    });
    let status = match (&st.sweep, running) {
        (None, _) => {
            "Not computed yet: each point is a full run of this widget's settings at one capacity."
                .to_string()
        }
        (Some(_), true) => format!("Running capacity {} of {total}…", points.len() + 1),
        (Some(_), false) if st.of != p.pairs => {
            "Settings have changed since this sweep; sweep again to update it.".to_string()
        }
        (Some(_), false) => format!("Done: {total} runs."),
    };
    html! {
        <section class="curve" aria-label="Hit ratio against cache capacity">
            <h4>{"Hit ratio vs capacity"}</h4>
            <button data-action="sweep" disabled={running} {onclick}>{ if running { "Sweeping…" } else { "Sweep capacity" } }</button>
            <span class="sweep-status" role="status" data-testid="sweep-status">{ status }</span>
            { for error.map(|e| html! { <p class="error-line">{ e }</p> }) }
            { plot(&points, p.keys, p.capacity) }
        </section>
    }
}

const PW: f64 = 300.0;
const PH: f64 = 150.0;

fn plot(points: &[(u32, f64)], keys: u32, capacity: u32) -> Html {
    let x = |c: u32| 30.0 + (PW - 40.0) * c as f64 / keys.max(1) as f64;
    let y = |h: f64| PH - 20.0 - (PH - 30.0) * h.clamp(0.0, 1.0);
    let line: Vec<String> = points
        .iter()
        .map(|&(c, h)| format!("{},{}", Fixed(x(c), 1), Fixed(y(h), 1)))
        .collect();
    let desc: Vec<String> = points
        .iter()
        .map(|(c, h)| format!("capacity {c}: hit ratio {}", Fixed(*h, 3)))
        .collect();
    let cx = Short(x(capacity.min(keys))).to_string();
    let lx = Short(x(capacity.min(keys)).clamp(50.0, PW - 36.0)).to_string();
    html! {
        <>
        <svg class="curve-plot" viewBox={format!("0 0 {} {}", Short(PW), Short(PH))} role="img"
            aria-label={if desc.is_empty() { "No points yet".to_string() } else { desc.join("; ") }}>
            <line class="axis" x1="30" y1={Short(y(0.0)).to_string()} x2={Short(PW - 10.0).to_string()} y2={Short(y(0.0)).to_string()} />
            <line class="axis" x1="30" y1={Short(y(0.0)).to_string()} x2="30" y2={Short(y(1.0)).to_string()} />
            <text class="tick" x="26" y={Short(y(1.0) + 4.0).to_string()}>{"1"}</text>
            <text class="tick" x="26" y={Short(y(0.0) + 4.0).to_string()}>{"0"}</text>
            <text class="tick mid" x={Short(PW / 2.0).to_string()} y={Short(PH - 4.0).to_string()}>{ format!("capacity (0 to {keys} keys)") }</text>
            <line class="now" x1={cx.clone()} y1={Short(y(0.0)).to_string()} x2={cx.clone()} y2={Short(y(1.0)).to_string()} />
            <text class="tick now-label" x={lx} y={Short(y(1.0) - 2.0).to_string()}>{ format!("now {capacity}") }</text>
            <polyline class="series" points={line.join(" ")} />
            { for points.iter().map(|&(c, h)| html! { <circle class="pt" cx={Fixed(x(c), 1).to_string()} cy={Fixed(y(h), 1).to_string()} r="3.5" /> }) }
        </svg>
        <ol class="curve-points" data-testid="curve-points">
            { for points.iter().map(|(c, h)| html! { <li>{ format!("{c} → {}", Fixed(*h, 3)) }</li> }) }
        </ol>
        </>
    }
}
