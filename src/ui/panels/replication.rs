//! The replication widget's panel: partition buttons (computed from the topology), the quorum
//! rule in words, each replica's versions, the linearizability verdict (linearizable, not
//! linearizable with the operations that prove it, or undecided) and a timeline of every
//! recorded operation, one lane per client, paged by the panel itself (`timeline` module).

mod timeline;

use crate::sim::check::linearizability::Decision;
use crate::sim::num_fmt::Fixed;
use crate::sim::scenario::replication::RECORD_CAP;
use crate::sim::scenario::replication::{Bar, BarStatus, ReplicationView};
use crate::sim::snapshot::Snapshot;
use crate::sim::topology::Role;
use crate::sim::Command;
use yew::prelude::*;

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
    html! { <ReplPanel view={v.clone()} split={minority_split(snap)} {on_cmd} /> }
}

/// Props: the snapshot's view, the minority split for the current topology, the command channel.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: ReplicationView,
    pub split: Option<Command>,
    pub on_cmd: Callback<Command>,
}

/// The panel as a component, so the timeline's page survives new snapshots.
#[function_component(ReplPanel)]
pub fn repl_panel(props: &Props) -> Html {
    let v = &props.view;
    html! {
        <section class="repl" aria-label="Replicas, operation timeline and consistency verdict">
            { buttons(v, props.split.clone(), &props.on_cmd) }
            <p class={classes!("repl-quorum", v.overlap.then_some("overlap"))}>
                <strong>{ v.setting.clone() }</strong>{ " — " }{ v.quorum.clone() }
            </p>
            { replicas(v) }
            { verdict(v) }
            <timeline::Timeline view={v.clone()} />
        </section>
    }
}

fn buttons(v: &ReplicationView, split: Option<Command>, on_cmd: &Callback<Command>) -> Html {
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
                        <td><code>{ r.keys.join("; ") }</code>{ more_keys(r.more_keys) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn more_keys(n: u32) -> Html {
    match n {
        0 => Html::default(),
        1 => html! { <span class="repl-more">{ " …and 1 more key" }</span> },
        n => html! { <span class="repl-more">{ format!(" …and {n} more keys") }</span> },
    }
}

/// One operation in words; `now_ms` ends a pending one.
pub(super) fn describe(b: &Bar, now_ms: f64) -> String {
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
    let end = if b.status == BarStatus::Pending {
        now_ms
    } else {
        b.end_ms
    };
    format!(
        "#{} c{} {what} {how} [{}–{} ms]{}",
        b.id,
        b.lane,
        Fixed(b.call_ms, 1),
        Fixed(end, 1),
        if b.stale { " — stale" } else { "" }
    )
}

fn verdict(v: &ReplicationView) -> Html {
    let covered = format!("checked {} of {} finished operations", v.checked, v.ended);
    let beyond = if v.ended as usize > RECORD_CAP {
        format!("; the first {RECORD_CAP} are recorded for the checker and the timeline, later ones are only counted")
    } else {
        String::new()
    };
    let (head, class) = match v.decision {
        Decision::Linearizable => (
            format!("✓ Linearizable so far ({covered}{beyond})"),
            "ok",
        ),
        Decision::NotLinearizable => ("✗ Not linearizable".to_string(), "bad"),
        Decision::Undecided => (
            format!("? Undecided ({covered}{beyond}): the checker stopped after exploring {} states without finding either an order that explains every answer or a contradiction", v.explored),
            "undecided",
        ),
    };
    let data = match v.decision {
        Decision::Linearizable => "true",
        Decision::NotLinearizable => "false",
        Decision::Undecided => "undecided",
    };
    let bad = v.decision == Decision::NotLinearizable;
    html! {
        <div class={classes!("repl-verdict", class)} role="status" aria-live="polite" data-linearizable={data} data-verdict={v.decision.word()}>
            <p class="repl-verdict-head"><strong>{ head }</strong></p>
            if bad {
                <p class="repl-explain">{ v.explanation.clone() }</p>
                <p class="repl-evidence-title">{"The operations that prove it (◆ on the timeline):"}</p>
                <ol class="repl-evidence">
                    { for v.evidence.iter().map(|b| html! { <li data-op={b.id.to_string()}>{ describe(b, v.now_ms) }</li> }) }
                </ol>
            }
        </div>
    }
}
