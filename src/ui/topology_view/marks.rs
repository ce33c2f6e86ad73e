//! What a scenario adds to the drawing (`NodeMarks`, `LinkNote`): a node's busy share as a small
//! bar in its box, its replicas as pips under it (up filled, down hollow and crossed, starting
//! dashed, with the words for those not up beside them), a badge over it (a breaker not closed),
//! and a figure on each wire (its recent request rate) with its full sentence in a `<title>`.
//! Each wire's figure is its own component, so a frame only rewrites the texts that changed.

use super::{px, W};
use crate::sim::num_fmt::Fixed;
use crate::sim::snapshot::{replica_words, LinkNote, NodeView, ReplicaMark, Snapshot};
use yew::prelude::*;

/// Most pips drawn under a node; more are counted in words.
const MAX_PIPS: usize = 12;
/// Distance between pips' centres.
const PIP_STEP: f32 = 8.0;

fn at(v: f32) -> String {
    Fixed(f64::from(v), 1).to_string()
}

/// A state line as drawn: one line (`a · b · c`), and in a narrow drawing (where text is
/// larger and neighbours closer) one line per part, stacked under the node, the words for its
/// replicas not up (drawn beside the pips otherwise) as the last line.
pub fn state_lines(n: &NodeView, text: &str, y: f32, x: &str, anchor: &'static str) -> Html {
    let mut parts: Vec<(String, bool)> =
        text.split(" · ").map(|p| (p.to_string(), false)).collect();
    let reps = &n.marks.replicas;
    let words = if n.up {
        replica_words(reps, false)
    } else {
        String::new()
    };
    if !words.is_empty() {
        parts.push((words, reps.contains(&ReplicaMark::Down)));
    }
    let stacked = parts.len() > 1;
    let wide = html! {
        <text class={classes!("state", stacked.then_some("one-line"))} y={at(y)} x={x.to_string()} text-anchor={anchor}>{ text.to_string() }</text>
    };
    if !stacked {
        return wide;
    }
    html! {
        <>
            { wide }
            <text class="state stacked" y={at(y)} x={x.to_string()} text-anchor={anchor} aria-hidden="true">
                { for parts.into_iter().enumerate().map(|(i, (p, bad))| html! {
                    <tspan class={classes!(bad.then_some("bad"))} x={x.to_string()} dy={if i == 0 { "0" } else { "1.1em" }}>{ p }</tspan>
                }) }
            </text>
        </>
    }
}

/// The bar, the pips and the badge of a node drawn `half` wide either side of its centre.
pub fn node_marks(n: &NodeView, half: f32) -> Html {
    if !n.up {
        return Html::default();
    }
    let m = &n.marks;
    let bar = m.load.map(|share| {
        let w = (2.0 * half - 12.0).max(10.0);
        let fill = w * share.clamp(0.0, 1.0);
        html! {
            <g class="load" aria-hidden="true">
                <rect class="track" x={at(-w / 2.0)} y="11" width={at(w)} height="4" rx="2" />
                <rect class="fill" x={at(-w / 2.0)} y="11" width={at(fill)} height="4" rx="2" />
            </g>
        }
    });
    let badge = (!m.badge.is_empty()).then(|| {
        html! {
            <text class="badge" y="-26">{ m.badge.clone() }</text>
        }
    });
    html! { <>{ for bar }{ pips(n, half) }{ for badge }</> }
}

fn pips(n: &NodeView, half: f32) -> Html {
    let reps = &n.marks.replicas;
    if reps.is_empty() {
        return Html::default();
    }
    let shown = reps.len().min(MAX_PIPS);
    let down = reps.contains(&ReplicaMark::Down);
    let mut words = replica_words(reps, false);
    if reps.len() > MAX_PIPS {
        let more = format!("+{} more", reps.len() - MAX_PIPS);
        words = if words.is_empty() {
            more
        } else {
            format!("{more}, {words}")
        };
    }
    // Near the drawing's edges the pips start (or end) at the box's edge, as the state line does,
    // so a long row stays inside the drawing; the words go on the side away from the edge (left
    // otherwise: wires run left to right, and a state line near the right edge reaches left).
    let row = (shown as f32 - 1.0) * PIP_STEP;
    let x = px(n.x, n.y).0;
    let (x0, wx, anchor) = if x < 120.0 {
        let x0 = -half + 4.0;
        (x0, x0 + row + PIP_STEP, "start")
    } else if x > W - 120.0 {
        let x0 = half - 4.0 - row;
        (x0, x0 - PIP_STEP, "end")
    } else {
        (-row / 2.0, -row / 2.0 - PIP_STEP, "end")
    };
    html! {
        <g class="pips">
            { for reps.iter().take(shown).enumerate().map(|(i, r)| {
                let cx = at(x0 + i as f32 * PIP_STEP);
                let class = match r {
                    ReplicaMark::Up => "pip up",
                    ReplicaMark::Down => "pip down",
                    ReplicaMark::Starting => "pip starting",
                };
                html! { <circle class={class} cx={cx} cy="27" r="3" /> }
            }) }
            if !words.is_empty() {
                <text class={classes!("pip-words", down.then_some("bad"))} x={at(wx)} y="30" text-anchor={anchor}>{ words }</text>
            }
        </g>
    }
}

/// Props of one wire's figure.
#[derive(Properties, PartialEq)]
struct NoteProps {
    note: LinkNote,
    x: f32,
    y: f32,
}

#[function_component(NoteItem)]
fn note_item(p: &NoteProps) -> Html {
    html! {
        <text class="link-note" x={at(p.x)} y={at(p.y)}>
            <title>{ p.note.title.clone() }</title>
            { p.note.text.clone() }
        </text>
    }
}

/// Every wire's figure, under the middle of its wire.
pub fn notes(snap: &Snapshot) -> Html {
    if snap.link_notes.is_empty() {
        return Html::default();
    }
    html! {
        <g class="link-notes">{ for snap.link_notes.iter().filter_map(|n| {
            let l = snap.links.get(n.link as usize).filter(|l| l.id == n.link)?;
            let (a, b) = (snap.node(l.a)?, snap.node(l.b)?);
            let ((x1, y1), (x2, y2)) = (px(a.x, a.y), px(b.x, b.y));
            Some(html! {
                <NoteItem key={n.link} note={n.clone()} x={(x1 + x2) / 2.0} y={(y1 + y2) / 2.0 + 14.0} />
            })
        }) }</g>
    }
}
