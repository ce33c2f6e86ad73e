//! The sharding widget's panel: the ring (or, for `range`, the ordered key space) with each
//! shard's stretch in its own colour, dash pattern and label, virtual nodes and range boundaries,
//! sampled keys as dots (hollow while moving), the hot key, per-shard bars of keys and requests,
//! and the moved-key count of the last change. Every number is also text.

use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::scenario::sharding::place::key_name;
use crate::sim::scenario::sharding::view::{Arc, Bound, KeyDot, ShardBar, ShardingView};
use yew::prelude::*;

const C: f32 = 160.0;
const R_ARC: f32 = 118.0;
const R_DOT: f32 = 92.0;
const R_MOVING: f32 = 72.0;

/// Colour and dash classes of a shard: 8 colours and 4 dash patterns, combined so that
/// neighbouring shards differ in both and no two of the first 32 share a combination; every
/// drawing also carries the shard's name in text.
fn shard_class(slot: u8) -> String {
    format!("sh-c{} sh-d{}", slot % 8, (slot + slot / 8) % 4)
}

/// Share of the circle each slot owns (all zero without a ring).
fn ring_shares(v: &ShardingView) -> [f32; 256] {
    let mut share = [0f32; 256];
    for a in &v.arcs {
        share[a.slot as usize] += a.to - a.from;
    }
    share
}

fn point(frac: f32, r: f32) -> (f32, f32) {
    let a = std::f32::consts::TAU * frac - std::f32::consts::FRAC_PI_2;
    (C + r * a.cos(), C + r * a.sin())
}

/// Thousands separators: 10000 -> "10,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The panel.
pub fn view(v: &ShardingView) -> Html {
    html! {
        <div class="sharding-panel">
            { change_line(v) }
            <div class="sh-grid">
                { ring(v) }
                { bars(v) }
            </div>
            { hot_line(v) }
        </div>
    }
}

fn change_line(v: &ShardingView) -> Html {
    let text = match &v.last {
        None => "No change yet: add or remove a shard, or switch strategy, and count the keys that move.".to_string(),
        Some(c) => {
            let pct = 100.0 * c.moved as f64 / v.keys.max(1) as f64;
            format!("Last change: {}. {} of {} keys changed shard ({}%).", c.what, thousands(c.moved as u64), thousands(v.keys as u64), Fixed(pct, 1))
        }
    };
    let transit = if v.in_transit > 0 {
        format!(" {} keys still in transit.", thousands(v.in_transit as u64))
    } else {
        String::new()
    };
    html! {
        <p class="sh-change" role="status" aria-live="polite">
            <span data-testid="moved-text">{ text }</span>{ transit }
            <span class="sh-total">{ format!(" Moved in this run: {}.", thousands(v.keys_moved)) }</span>
        </p>
    }
}

fn arc_path(a: &Arc, r: f32) -> String {
    let (x1, y1) = point(a.from, r);
    let span = (a.to - a.from).min(0.9999);
    let (x2, y2) = point(a.from + span, r);
    let large = if span > 0.5 { 1 } else { 0 };
    format!(
        "M{},{} A{},{} 0 {large} 1 {},{}",
        Fixed(f64::from(x1), 1),
        Fixed(f64::from(y1), 1),
        Short(r.into()),
        Short(r.into()),
        Fixed(f64::from(x2), 1),
        Fixed(f64::from(y2), 1)
    )
}

fn ring_caption(v: &ShardingView) -> String {
    match v.strategy {
        "consistent" => format!(
            "Hash ring: {} virtual nodes. A key (dot, placed by its hash) belongs to the next virtual node clockwise.",
            thousands(v.vnodes_total as u64)
        ),
        "range" => "Key space in order, from user:00000 at the top, clockwise. Each shard owns one contiguous range; lines mark where ranges start.".into(),
        "hash" => "Keys placed by their hash. Hash mod N has no ring: each key's shard is hash mod N, so the colours are scattered.".into(),
        _ => "Keys placed by their hash. The directory assigns each key individually; there is no ring or range.".into(),
    }
}

/// Share of the circle owned by each shard, as text.
fn ring_desc(v: &ShardingView) -> String {
    if v.arcs.is_empty() {
        return format!("{} strategy: no ownership ring.", v.strategy);
    }
    let share = ring_shares(v);
    let parts: Vec<String> = v
        .shards
        .iter()
        .map(|b| {
            format!(
                "S{} {}%",
                b.slot,
                Fixed(f64::from(100.0 * share[b.slot as usize]), 1)
            )
        })
        .collect();
    format!("Share of the circle: {}.", parts.join(", "))
}

fn ring(v: &ShardingView) -> Html {
    let desc = ring_desc(v);
    let caption = ring_caption(v);
    html! {
        <figure class="sh-ring-fig">
            <svg class="sh-ring" viewBox="0 0 320 320" role="img" aria-label={format!("{caption} {desc}")}>
                <desc>{ desc.clone() }</desc>
                <circle class="sh-track" cx={Short(C.into()).to_string()} cy={Short(C.into()).to_string()} r={Short(R_ARC.into()).to_string()} />
                <RingLayers arcs={v.arcs.clone()} ticks={v.ticks.clone()} bounds={v.bounds.clone()} />
                { for v.dots.iter().filter(|d| !d.hot).map(dot) }
                { for v.dots.iter().filter(|d| d.hot).map(hot_dot) }
                <text class="sh-center" x={Short(C.into()).to_string()} y={Short((C - 4.0).into()).to_string()}>{ v.strategy }</text>
                <text class="sh-center-sub" x={Short(C.into()).to_string()} y={Short((C + 14.0).into()).to_string()}>
                    { format!("{} keys · {} shards", thousands(v.keys as u64), v.shards.iter().filter(|b| b.active).count()) }
                </text>
            </svg>
            <figcaption>{ caption }{" Dots are a sample of the keys; hollow dots are on their way to the shard of their outline."}</figcaption>
        </figure>
    }
}

/// The ring's layout (arcs, virtual-node ticks, range boundaries, labels): up to a thousand SVG
/// elements that change only when the shards do, so they render only then.
#[derive(Properties, PartialEq)]
struct LayersProps {
    arcs: Vec<Arc>,
    ticks: Vec<(f32, u8)>,
    bounds: Vec<Bound>,
}

#[function_component(RingLayers)]
fn ring_layers(p: &LayersProps) -> Html {
    html! {
        <g class="sh-layers">
                { for p.arcs.iter().map(arc) }
                { for p.ticks.iter().map(|&(pos, slot)| {
                    let (x1, y1) = point(pos, R_ARC - 12.0);
                    let (x2, y2) = point(pos, R_ARC + 12.0);
                    html! { <line class={classes!("sh-tick", shard_class(slot))} x1={Fixed(f64::from(x1), 1).to_string()} y1={Fixed(f64::from(y1), 1).to_string()} x2={Fixed(f64::from(x2), 1).to_string()} y2={Fixed(f64::from(y2), 1).to_string()} /> }
                }) }
                { for p.bounds.iter().map(|b| {
                    let (x1, y1) = point(b.pos, R_MOVING - 10.0);
                    let (x2, y2) = point(b.pos, R_ARC + 14.0);
                    let (tx, ty) = point(b.pos, R_MOVING - 22.0);
                    html! { <g class="sh-bound">
                        <line x1={Fixed(f64::from(x1), 1).to_string()} y1={Fixed(f64::from(y1), 1).to_string()} x2={Fixed(f64::from(x2), 1).to_string()} y2={Fixed(f64::from(y2), 1).to_string()} />
                        <text x={Fixed(f64::from(tx), 1).to_string()} y={Fixed(f64::from(ty), 1).to_string()}>{ format!("{}", b.key) }</text>
                    </g> }
                }) }
                { for p.arcs.iter().filter(|a| a.to - a.from >= 0.045).map(|a| {
                    let (x, y) = point((a.from + a.to) / 2.0, R_ARC + 22.0);
                    html! { <text class="sh-arc-label" x={Fixed(f64::from(x), 1).to_string()} y={Fixed(f64::from(y + 4.0), 1).to_string()}>{ format!("S{}", a.slot) }</text> }
                }) }
        </g>
    }
}

fn arc(a: &Arc) -> Html {
    html! {
        <path class={classes!("sh-arc", shard_class(a.slot))} d={arc_path(a, R_ARC)}>
            <title>{ format!("S{}: {}% of the circle", a.slot, Fixed(f64::from(100.0 * (a.to - a.from)), 1)) }</title>
        </path>
    }
}

fn dot(d: &KeyDot) -> Html {
    if d.moving {
        let (x, y) = point(d.pos, R_MOVING);
        return html! {
            <circle class={classes!("sh-dot", "moving", shard_class(d.to))} cx={Fixed(f64::from(x), 1).to_string()} cy={Fixed(f64::from(y), 1).to_string()} r="4" />
        };
    }
    let (x, y) = point(d.pos, R_DOT);
    html! { <circle class={classes!("sh-dot", shard_class(d.slot))} cx={Fixed(f64::from(x), 1).to_string()} cy={Fixed(f64::from(y), 1).to_string()} r="3" /> }
}

fn hot_dot(d: &KeyDot) -> Html {
    let (x, y) = point(d.pos, R_DOT);
    html! {
        <g class="sh-hot-dot">
            <circle class={classes!("sh-dot", "hot", shard_class(d.slot))} cx={Fixed(f64::from(x), 1).to_string()} cy={Fixed(f64::from(y), 1).to_string()} r="7" />
            <text x={Fixed(f64::from(x), 1).to_string()} y={Fixed(f64::from(y - 10.0), 1).to_string()}>{ format!("HOT → S{}", d.slot) }</text>
        </g>
    }
}

fn bars(v: &ShardingView) -> Html {
    let share = ring_shares(v);
    let ring = !v.arcs.is_empty();
    let max_keys = v.shards.iter().map(|b| b.keys).max().unwrap_or(0).max(1) as f64;
    let max_req = v
        .shards
        .iter()
        .map(|b| b.requests)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    html! {
        <div class="sh-bars" role="table" aria-label="Keys and requests per shard">
            <div class="sh-bar-head" role="row">
                <span role="columnheader">{"shard"}</span>
                <span role="columnheader">{"keys (top) · requests since last change (bottom)"}</span>
            </div>
            { for v.shards.iter().map(|b| bar(b, ring.then_some(share[b.slot as usize]), max_keys, max_req)) }
        </div>
    }
}

fn bar(b: &ShardBar, share: Option<f32>, max_keys: f64, max_req: f64) -> Html {
    let kw = 200.0 * b.keys as f64 / max_keys;
    let rw = 200.0 * b.requests as f64 / max_req;
    let mut text = format!("{} keys", thousands(b.keys as u64));
    if let Some(f) = share {
        text += &format!(" ({}% of circle)", Fixed(f64::from(100.0 * f), 1));
    }
    text += &format!(" · {} req", thousands(b.requests));
    if b.incoming > 0 {
        text += &format!(" · +{} arriving", thousands(b.incoming as u64));
    }
    if b.outgoing > 0 {
        text += &format!(" · −{} leaving", thousands(b.outgoing as u64));
    }
    let row_class = classes!(
        "sh-bar-row",
        b.hot.then_some("hot"),
        (!b.active).then_some("leaving")
    );
    html! {
        <div class={row_class} role="row" data-shard={format!("S{}", b.slot)}>
            <span class="sh-name" role="rowheader">
                <svg class="sh-swatch" viewBox="0 0 28 14" aria-hidden="true">
                    <line class={classes!("sh-arc", shard_class(b.slot))} x1="0" y1="7" x2="28" y2="7" />
                </svg>
                { format!("S{}", b.slot) }
                if b.hot { <strong class="sh-hot-tag">{" HOT"}</strong> }
                if !b.active { <em>{" leaving"}</em> }
            </span>
            <span class="sh-bar-cell" role="cell">
                <svg class="sh-bar" viewBox="0 0 200 18" preserveAspectRatio="none" aria-hidden="true">
                    <rect class={classes!("sh-bar-keys", shard_class(b.slot))} x="0" y="1" width={Fixed(kw, 1).to_string()} height="9" />
                    <rect class="sh-bar-req" x="0" y="12" width={Fixed(rw, 1).to_string()} height="5" />
                </svg>
                <span class="sh-num">{ text }</span>
            </span>
        </div>
    }
}

fn hot_line(v: &ShardingView) -> Html {
    let Some(h) = v.hot else {
        return Html::default();
    };
    let text = if h.requests == 0 {
        format!(
            "Hot key {} lives on S{}; no requests since the last change yet.",
            key_name(h.key),
            h.slot
        )
    } else {
        format!(
            "Hot key {} lives on S{}: it alone drew {}% of the {} requests since the last change.",
            key_name(h.key),
            h.slot,
            Fixed(100.0 * h.share, 1),
            thousands(h.requests)
        )
    };
    html! { <p class="sh-hot" data-testid="hot">{ text }</p> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(10_000), "10,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
