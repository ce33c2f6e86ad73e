//! The `sharding` widget's extra view as plain data: the ring (or key-space circle) with who owns
//! each stretch, virtual nodes, range boundaries, sampled keys as dots (moving ones marked), one
//! bar per shard (keys held, requests served, keys arriving and leaving), the hot key and the
//! last change with its moved-key count.

use super::model::ShardingModel;
use super::place::{fraction, Strategy};

/// Most ownership arcs drawn; a finer ring is drawn as this many equal segments.
pub const MAX_ARCS: usize = 720;
/// Most virtual-node ticks drawn.
pub const MAX_TICKS: usize = 400;
/// Most keys drawn as dots.
pub const MAX_DOTS: u32 = 200;

/// Everything the sharding panel draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShardingView {
    pub strategy: &'static str,
    pub keys: u32,
    /// Every shard in the cluster, plus any that still hold or receive keys.
    pub shards: Vec<ShardBar>,
    /// Who owns each stretch of the circle (ring or key space), in circle fractions [0, 1].
    pub arcs: Vec<Arc>,
    /// Virtual-node positions (consistent only; empty when there are more than `MAX_TICKS`).
    pub ticks: Vec<(f32, u8)>,
    /// Virtual nodes on the ring in total.
    pub vnodes_total: u32,
    /// Sampled keys.
    pub dots: Vec<KeyDot>,
    /// Range boundaries (range only): where each shard's range starts.
    pub bounds: Vec<Bound>,
    /// The latest change and how many keys it moved.
    pub last: Option<ChangeView>,
    pub keys_moved: u64,
    pub in_transit: u32,
    pub hot: Option<HotKey>,
}

/// One shard's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardBar {
    pub slot: u8,
    /// In the cluster (false: leaving, still handing keys over).
    pub active: bool,
    pub keys: u32,
    /// Requests served since the last change.
    pub requests: u64,
    pub incoming: u32,
    pub outgoing: u32,
    /// Holds the hot key.
    pub hot: bool,
}

/// A stretch of the circle owned by one shard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arc {
    pub from: f32,
    pub to: f32,
    pub slot: u8,
}

/// A key drawn on the circle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyDot {
    pub key: u32,
    pub pos: f32,
    /// The shard serving it now.
    pub slot: u8,
    /// On its way to `to`.
    pub moving: bool,
    pub to: u8,
    pub hot: bool,
}

/// Where a shard's key range starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub pos: f32,
    pub key: u32,
    pub slot: u8,
}

/// The latest change.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeView {
    pub what: String,
    pub moved: u32,
}

/// The most popular key and where it lives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HotKey {
    pub key: u32,
    pub slot: u8,
    /// Its share of requests since the last change.
    pub share: f64,
    /// Requests since the last change.
    pub requests: u64,
}

/// Build the view from the model.
pub fn build(m: &ShardingModel) -> ShardingView {
    let p = &m.place;
    let hot = m.hot_key().map(|key| HotKey {
        key,
        slot: m.holder.get(key as usize).copied().unwrap_or(0),
        share: ratio(m.hot_hits, m.window_requests),
        requests: m.window_requests,
    });
    let (ticks, vnodes_total) = match p.strategy() {
        Strategy::Consistent if p.ring().len() <= MAX_TICKS => (
            p.ring()
                .iter()
                .map(|&(h, s)| (fraction(h) as f32, s))
                .collect(),
            p.ring().len() as u32,
        ),
        _ => (Vec::new(), p.ring().len() as u32),
    };
    ShardingView {
        strategy: p.strategy().name(),
        keys: p.keys(),
        shards: bars(m, hot.map(|h| h.slot)),
        arcs: arcs(m),
        ticks,
        vnodes_total,
        dots: dots(m),
        bounds: bounds(m),
        last: m.last.as_ref().map(|c| ChangeView {
            what: c.what.clone(),
            moved: c.moved,
        }),
        keys_moved: m.keys_moved,
        in_transit: m.in_transit(),
        hot,
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn bars(m: &ShardingModel, hot: Option<u8>) -> Vec<ShardBar> {
    let n = m.slots as usize;
    let (mut inc, mut out) = (vec![0u32; n], vec![0u32; n]);
    for (k, &mv) in m.moving.iter().enumerate() {
        if mv {
            let (h, o) = (m.holder[k] as usize, m.place.owner(k as u32) as usize);
            if let (Some(i), Some(x)) = (inc.get_mut(o), out.get_mut(h)) {
                *i += 1;
                *x += 1;
            }
        }
    }
    (0..m.slots)
        .filter_map(|s| {
            let i = s as usize;
            let active = m.place.active().contains(&s);
            let keys = m.held.get(i).copied().unwrap_or(0);
            (active || keys > 0 || inc[i] > 0).then(|| ShardBar {
                slot: s,
                active,
                keys,
                requests: m.hits.get(i).copied().unwrap_or(0),
                incoming: inc[i],
                outgoing: out[i],
                hot: hot == Some(s),
            })
        })
        .collect()
}

/// Ownership around the circle: exact arcs between virtual nodes (or range boundaries), merged
/// when neighbours share an owner; a ring with more than `MAX_ARCS` arcs is sampled in equal
/// segments. Hash mod N and the directory have no such structure: no arcs.
fn arcs(m: &ShardingModel) -> Vec<Arc> {
    let p = &m.place;
    let raw: Vec<Arc> = match p.strategy() {
        Strategy::Range => {
            let k = p.keys().max(1) as f32;
            (0..p.ranges().len())
                .map(|i| Arc {
                    from: p.ranges()[i].0 as f32 / k,
                    to: p.range_end(i) as f32 / k,
                    slot: p.ranges()[i].1,
                })
                .collect()
        }
        Strategy::Consistent if p.ring().len() <= MAX_ARCS => ring_arcs(p.ring()),
        Strategy::Consistent => (0..MAX_ARCS)
            .map(|i| {
                let (a, b) = (i as f32 / MAX_ARCS as f32, (i + 1) as f32 / MAX_ARCS as f32);
                let mid =
                    ((i as f64 + 0.5) / MAX_ARCS as f64 * 18_446_744_073_709_551_615.0) as u64;
                Arc {
                    from: a,
                    to: b,
                    slot: p.ring_owner(mid),
                }
            })
            .collect(),
        Strategy::Hash | Strategy::Directory => Vec::new(),
    };
    merge(raw)
}

fn ring_arcs(ring: &[(u64, u8)]) -> Vec<Arc> {
    let Some(&(_, first)) = ring.first() else {
        return Vec::new();
    };
    let mut v = Vec::with_capacity(ring.len() + 1);
    let mut prev = 0.0f32;
    for &(h, s) in ring {
        let x = fraction(h) as f32;
        v.push(Arc {
            from: prev,
            to: x,
            slot: s,
        });
        prev = x;
    }
    // Past the last virtual node the ring wraps round to the first one.
    v.push(Arc {
        from: prev,
        to: 1.0,
        slot: first,
    });
    v
}

fn merge(raw: Vec<Arc>) -> Vec<Arc> {
    let mut out: Vec<Arc> = Vec::with_capacity(raw.len());
    for a in raw {
        match out.last_mut() {
            Some(l) if l.slot == a.slot && (l.to - a.from).abs() < 1e-6 => l.to = a.to,
            _ => out.push(a),
        }
    }
    out.retain(|a| a.to > a.from);
    out
}

fn dots(m: &ShardingModel) -> Vec<KeyDot> {
    let k = m.place.keys();
    let step = k.div_ceil(MAX_DOTS).max(1);
    let hot = m.hot_key();
    let sample = (0..k).step_by(step as usize).chain(hot);
    sample
        .map(|key| {
            let slot = m.holder.get(key as usize).copied().unwrap_or(0);
            KeyDot {
                key,
                pos: m.place.position(key) as f32,
                slot,
                moving: m.moving.get(key as usize).copied().unwrap_or(false),
                to: m.place.owner(key),
                hot: Some(key) == hot,
            }
        })
        .collect()
}

fn bounds(m: &ShardingModel) -> Vec<Bound> {
    let p = &m.place;
    let k = p.keys().max(1) as f32;
    p.ranges()
        .iter()
        .map(|&(key, slot)| Bound {
            pos: key as f32 / k,
            key,
            slot,
        })
        .collect()
}
