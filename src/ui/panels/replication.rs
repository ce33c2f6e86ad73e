//! The replication widget's panel: partition buttons (computed from the topology), the quorum
//! rule in words, each replica's versions, a timeline of the latest operations (one lane per
//! client) and the linearizability verdict with the operations that prove a violation.

use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::replication::RECORD_CAP;
use crate::sim::scenario::replication::{Bar, BarStatus, ReplicationView};
use crate::sim::snapshot::Snapshot;
use crate::sim::topology::Role;
use crate::sim::Command;
use yew::prelude::*;

const W: f64 = 640.0;
const LANE: f64 = 26.0;
const LEFT: f64 = 34.0;
const TOP: f64 = 18.0;

/// Groups that cut off a minority of the replicas (the first ⌊(n-1)/2⌋, at least one), each
/// client staying with its home replica. None with fewer than two replicas.
pub fn minority_split(snap: &Snapshot) -> Option<Command> {
    let replicas: Vec<u32> = snap
        .nodes
        .iter()
        .filter(|n| n.role != Role::Client)
        .map(|n| n.id)
        .collect();
    if replicas.len() < 2 {
        return None;
    }
    let k = ((replicas.len() - 1) / 2).max(1);
    let mut a = replicas.get(..k).unwrap_or(&[]).to_vec();
    let mut b = replicas.get(k..).unwrap_or(&[]).to_vec();
    for c in snap.nodes.iter().filter(|n| n.role == Role::Client) {
        let home = snap
            .links
            .iter()
            .find_map(|l| match (l.a == c.id, l.b == c.id) {
                (true, _) => Some(l.b),
                (_, true) => Some(l.a),
                _ => None,
            });
        if home.is_some_and(|h| a.contains(&h)) {
            a.push(c.id);
        } else {
            b.push(c.id);
        }
    }
    Some(Command::Split(vec![a, b]))
}

/// The panel.
pub fn view(v: &ReplicationView, snap: &Snapshot, on_cmd: Callback<Command>) -> Html {
    html! {
        <section class="repl" aria-label="Replicas, operation timeline and consistency verdict">
            { buttons(v, snap, &on_cmd) }
            <p class={classes!("repl-quorum", v.overlap.then_some("overlap"))}>
                <strong>{ v.setting.clone() }</strong>{ " — " }{ v.quorum.clone() }
            </p>
            { replicas(v) }
            { verdict(v) }
            { timeline(v) }
        </section>
    }
}

fn buttons(v: &ReplicationView, snap: &Snapshot, on_cmd: &Callback<Command>) -> Html {
    let split = minority_split(snap);
    let text = split.as_ref().map(|c| c.to_string()).unwrap_or_default();
    let on_split = {
        let cb = on_cmd.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = split.clone() {
                cb.emit(c)
            }
        })
    };
    let on_heal = {
        let cb = on_cmd.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Command::Unsplit))
    };
    html! {
        <div class="repl-actions">
            <button data-cmd="partition-minority" title={text} onclick={on_split} disabled={v.partitioned}>
                {"Partition: cut off a minority"}</button>
            <button data-cmd="heal" onclick={on_heal} disabled={!v.partitioned}>{"Heal"}</button>
            <span class="repl-state" role="status">{ if v.partitioned { "⚡ partitioned" } else { "network whole" } }</span>
        </div>
    }
}

fn replicas(v: &ReplicationView) -> Html {
    html! {
        <table class="repl-replicas">
            <caption>{"What each replica stores (value @ write time; version vectors with conflict=vv)"}</caption>
            <thead><tr><th scope="col">{"replica"}</th><th scope="col">{"state"}</th><th scope="col">{"versions"}</th></tr></thead>
            <tbody>
                { for v.replicas.iter().map(|r| html! {
                    <tr class={classes!((!r.up).then_some("down"))}>
                        <th scope="row">{ format!("{}{}", r.name, if r.leader { " (leader)" } else { "" }) }</th>
                        <td>{ if r.up { "up" } else { "✕ down" } }{ if r.hints > 0 { format!(", {} hints", r.hints) } else { String::new() } }</td>
                        <td><code>{ r.keys.join("; ") }</code></td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn describe(b: &Bar) -> String {
    let what = if b.write {
        format!("write {} to key {}", b.value, b.key)
    } else {
        format!("read of key {} returned {}", b.key, b.value)
    };
    let how = match b.status {
        BarStatus::Ok if b.write => "acknowledged".to_string(),
        BarStatus::Ok if b.siblings > 1 => format!("with {} siblings", b.siblings),
        BarStatus::Ok => String::new(),
        BarStatus::Failed => "failed".into(),
        BarStatus::Pending => "waiting".into(),
    };
    let what = if !b.write && b.status != BarStatus::Ok {
        format!("read of key {}", b.key)
    } else {
        what
    };
    format!(
        "#{} c{} {what} {how} [{}–{} ms]{}",
        b.id,
        b.lane,
        Fixed(b.call_ms, 1),
        Fixed(b.end_ms, 1),
        if b.stale { " — stale" } else { "" }
    )
}

fn verdict(v: &ReplicationView) -> Html {
    let head = if v.linearizable {
        let beyond = if v.ended as usize > RECORD_CAP {
            format!("; the first {RECORD_CAP} are recorded for the checker and the timeline, later ones are only counted")
        } else {
            String::new()
        };
        format!(
            "✓ Linearizable so far (checked {} of {} finished operations{beyond})",
            v.checked, v.ended
        )
    } else {
        "✗ Not linearizable".to_string()
    };
    html! {
        <div class={classes!("repl-verdict", if v.linearizable { "ok" } else { "bad" })} role="status" aria-live="polite" data-linearizable={v.linearizable.to_string()}>
            <p class="repl-verdict-head"><strong>{ head }</strong></p>
            if !v.linearizable {
                <p class="repl-explain">{ v.explanation.clone() }</p>
                <p class="repl-evidence-title">{"The operations that prove it (◆ on the timeline):"}</p>
                <ol class="repl-evidence">
                    { for v.evidence.iter().map(|b| html! { <li data-op={b.id.to_string()}>{ describe(b) }</li> }) }
                </ol>
            }
        </div>
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

fn bar(a: Axis, b: &Bar) -> Html {
    let y = TOP + b.lane as f64 * LANE + 3.0;
    let (x0, x1) = (a.x(b.call_ms), a.x(b.end_ms).max(a.x(b.call_ms) + 3.0));
    let kind = if b.write { "w" } else { "r" };
    let status = match b.status {
        BarStatus::Ok => "ok",
        BarStatus::Failed => "failed",
        BarStatus::Pending => "pending",
    };
    let mark = match (b.culprit, b.status, b.stale) {
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
    html! {
        <g class={classes!("op", kind, status, b.stale.then_some("stale"), b.culprit.then_some("culprit"))} data-op={b.id.to_string()}>
            <title>{ describe(b) }</title>
            <rect x={Fixed(x0, 1).to_string()} y={Fixed(y, 1).to_string()} width={Fixed(x1 - x0, 1).to_string()} height={Short(LANE - 8.0).to_string()} rx="3" />
            <text x={Fixed(x0 + 2.0, 1).to_string()} y={Fixed(y + 13.0, 1).to_string()}>{ text }</text>
        </g>
    }
}

fn lanes(v: &ReplicationView, a: Axis, bars: &[Bar], desc: String, class: &'static str) -> Html {
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
            { for bars.iter().map(|b| bar(a, b)) }
        </svg>
    }
}

fn timeline(v: &ReplicationView) -> Html {
    let culprits = v.bars.iter().filter(|b| b.culprit).count();
    let desc = format!("Timeline of the last {} operations from {} ms to {} ms, one lane per client; {culprits} of them prove a violation.", v.bars.len(), Fixed(v.t0_ms, 0), Fixed(v.t1_ms, 0));
    let live = Axis {
        t0: v.t0_ms,
        t1: v.t1_ms,
    };
    let t0 = v
        .evidence
        .iter()
        .map(|b| b.call_ms)
        .fold(f64::INFINITY, f64::min);
    let t1 = v
        .evidence
        .iter()
        .map(|b| b.end_ms)
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((t1 - t0) * 0.05).max(0.5);
    let proof = Axis {
        t0: t0 - pad,
        t1: t1 + pad,
    };
    let proof_desc = format!(
        "The {} operations that prove the violation, from {} ms to {} ms.",
        v.evidence.len(),
        Fixed(t0, 1),
        Fixed(t1, 1)
    );
    html! {
        <>
            if !v.evidence.is_empty() {
                <figure class="repl-timeline repl-proof">
                    <figcaption>{"The proof, zoomed in: only the operations the checker needs (◆), on their clients' lanes."}</figcaption>
                    { lanes(v, proof, &v.evidence, proof_desc, "proof") }
                </figure>
            }
            <figure class="repl-timeline">
                <figcaption>{ format!("Latest {} operations (bar = invocation to response). W = write, R = read; ✗ failed, ! stale read, ◆ proves a violation. Hover a bar for details.", v.bars.len()) }</figcaption>
                { lanes(v, live, &v.bars, desc, "live") }
            </figure>
        </>
    }
}
