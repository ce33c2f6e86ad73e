//! The `sharding` protocol: the router issues point lookups and range scans as messages to the
//! shards holding the keys; membership changes re-place keys, and the data then streams from
//! old to new owner in batches (copy, tell the router, release the old copy), paced per shard.

use super::place::{Placement, Strategy};
use super::shard_node;
use crate::sim::dist::Zipf;
use crate::sim::engine::{Ctx, Label, Protocol};
use crate::sim::network::DropReason;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;
use std::collections::VecDeque;

/// Keys per migration batch.
pub const BATCH: usize = 10;
/// A shard sends one batch every this many microseconds.
pub const TICK_US: u64 = 5_000;
/// A batch lost this many times is abandoned (its keys stay where they are).
const MAX_TRIES: u16 = 20;
const ROUTER: NodeId = NodeId(0);

/// Messages between router and shards.
#[derive(Clone, Copy, Debug)]
pub enum Msg {
    /// Read one key.
    Get { id: u64, key: u32 },
    /// Read `len` consecutive keys from `start`.
    Scan { id: u64, start: u32, len: u32 },
    /// A shard's answer.
    Reply { id: u64 },
    /// Old owner -> new owner: the keys of a batch.
    Migrate { batch: u32 },
    /// New owner -> router: the batch landed; route its keys here.
    Moved { batch: u32 },
    /// Router -> old owner: drop your copy.
    Release { batch: u32 },
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Get { .. } => "get",
            Msg::Scan { .. } => "scan",
            Msg::Reply { .. } => "reply",
            Msg::Migrate { .. } => "migrate",
            Msg::Moved { .. } => "moved",
            Msg::Release { .. } => "release",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Msg::Get { id, .. } | Msg::Scan { id, .. } | Msg::Reply { id } => *id,
            Msg::Migrate { batch } | Msg::Moved { batch } | Msg::Release { batch } => *batch as u64,
        }
    }
}

/// Timers: the next request, a shard's migration pacing, the planned membership change.
#[derive(Clone, Copy, Debug)]
pub enum Timer {
    Arrival,
    Tick,
    Rebalance,
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Arrival => "arrival",
            Timer::Tick => "tick",
            Timer::Rebalance => "rebalance",
        }
    }
}

/// A group of keys moving from one shard to another.
#[derive(Clone, Copy, Debug)]
pub struct Batch {
    pub from: u8,
    pub to: u8,
    /// Index of its first key in the plan.
    start: u32,
    len: u32,
    tries: u16,
}

/// The last membership or strategy change, for the view.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub what: String,
    pub moved: u32,
}

/// What `build` hands over.
pub struct Setup {
    pub place: Placement,
    pub slots: u8,
    pub requests: u64,
    pub rate: f64,
    pub zipf: Option<Zipf>,
    pub by_rank: Vec<u32>,
    pub scan_share: f64,
    pub scan_len: u32,
    pub add: u8,
    pub remove: u8,
}

/// The model's state.
pub struct ShardingModel {
    pub(super) place: Placement,
    pub(super) slots: u8,
    /// The router's view: which shard serves each key now.
    pub(super) holder: Vec<u8>,
    /// Keys per slot, by `holder`.
    pub(super) held: Vec<u32>,
    /// Key is part of a batch not yet done.
    pub(super) moving: Vec<bool>,
    plan: Vec<u32>,
    pub(super) batches: Vec<Batch>,
    queues: Vec<VecDeque<u32>>,
    ticking: Vec<bool>,
    in_flight: Vec<u32>,
    pub(super) outstanding: u32,
    abandoned: bool,
    total: u64,
    pub(super) issued: u64,
    mean_gap_us: f64,
    pub(super) zipf: Option<Zipf>,
    pub(super) by_rank: Vec<u32>,
    scan_share: f64,
    scan_len: u32,
    pending: (u8, u8),
    /// Since the last change: requests served per slot, requests and shards they touched, hot-key hits.
    pub(super) hits: Vec<u64>,
    pub(super) window_requests: u64,
    pub(super) fanout_sum: u64,
    pub(super) hot_hits: u64,
    pub(super) scans: u64,
    pub(super) parts: u64,
    pub(super) replies: u64,
    pub(super) keys_moved: u64,
    pub(super) failed_keys: u64,
    pub(super) last: Option<Change>,
    touched: Vec<bool>,
}

impl ShardingModel {
    /// A model with every key in place (loaded) and nothing moving.
    pub fn new(s: Setup) -> ShardingModel {
        let slots = s.slots as usize;
        let holder = s.place.owners().to_vec();
        let mut held = vec![0u32; slots];
        for &h in &holder {
            if let Some(c) = held.get_mut(h as usize) {
                *c += 1;
            }
        }
        ShardingModel {
            moving: vec![false; holder.len()],
            holder,
            held,
            place: s.place,
            slots: s.slots,
            plan: Vec::new(),
            batches: Vec::new(),
            queues: vec![VecDeque::new(); slots],
            ticking: vec![false; slots],
            in_flight: vec![0; slots],
            outstanding: 0,
            abandoned: false,
            total: s.requests,
            issued: 0,
            mean_gap_us: 1e6 / s.rate.max(1e-9),
            zipf: s.zipf,
            by_rank: s.by_rank,
            scan_share: s.scan_share,
            scan_len: s.scan_len.max(1),
            pending: (s.add, s.remove),
            hits: vec![0; slots],
            window_requests: 0,
            fanout_sum: 0,
            hot_hits: 0,
            scans: 0,
            parts: 0,
            replies: 0,
            keys_moved: 0,
            failed_keys: 0,
            last: None,
            touched: vec![false; slots],
        }
    }

    /// The most popular key (only under `zipf`).
    pub fn hot_key(&self) -> Option<u32> {
        self.zipf.as_ref().and(self.by_rank.first().copied())
    }

    /// Keys in batches not yet done.
    pub fn in_transit(&self) -> u32 {
        self.moving.iter().filter(|m| **m).count() as u32
    }

    fn schedule_arrival(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if self.issued < self.total {
            let gap = ctx.rng.exp(self.mean_gap_us) as u64;
            ctx.timer(None, gap, Timer::Arrival);
        }
    }

    /// Set the request rate (live).
    pub fn set_rate(&mut self, rate: f64) {
        self.mean_gap_us = 1e6 / rate.max(1e-9);
    }

    /// Apply a membership or strategy change to the placement and count the keys whose owner
    /// changed (by comparing owners before and after). The data moves once `plan_moves` runs.
    pub fn apply_change(
        &mut self,
        what: String,
        f: impl FnOnce(&mut Placement) -> Result<(), String>,
    ) -> Result<(), String> {
        let before = self.place.owners().to_vec();
        f(&mut self.place)?;
        let moved = before
            .iter()
            .zip(self.place.owners())
            .filter(|(a, b)| a != b)
            .count() as u32;
        self.keys_moved += moved as u64;
        self.last = Some(Change { what, moved });
        self.hits.iter_mut().for_each(|h| *h = 0);
        (self.window_requests, self.fanout_sum, self.hot_hits) = (0, 0, 0);
        self.abandoned = false;
        Ok(())
    }

    /// `apply_change`, then start moving the data.
    pub fn change(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        what: String,
        f: impl FnOnce(&mut Placement) -> Result<(), String>,
    ) -> Result<(), String> {
        self.apply_change(what, f)?;
        self.plan_moves(ctx);
        Ok(())
    }

    /// Add the lowest spare slot.
    pub fn add_shard(&mut self, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        let Some(s) = (0..self.slots).find(|s| !self.place.active().contains(s)) else {
            return Err(format!(
                "no spare shard left: all {} shard nodes are in the cluster",
                self.slots
            ));
        };
        self.change(ctx, format!("S{s} joined"), |p| p.add(s))
    }

    /// Remove the highest-numbered shard.
    pub fn remove_shard(&mut self, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        let s = self.place.active().last().copied().unwrap_or(0);
        self.change(ctx, format!("S{s} left"), |p| p.remove(s))
    }

    /// Plan batches for every key whose data is not where its owner is (and not already moving).
    pub fn plan_moves(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if self.outstanding == 0 {
            self.plan.clear();
            self.batches.clear();
        }
        let mut todo: Vec<(u8, u8, u32)> = (0..self.holder.len() as u32)
            .filter_map(|k| {
                let (h, o) = (self.holder[k as usize], self.place.owner(k));
                (h != o && !self.moving[k as usize]).then_some((h, o, k))
            })
            .collect();
        crate::sim::compact::sort(&mut todo);
        for group in todo.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            for chunk in group.chunks(BATCH) {
                let (from, to) = (chunk[0].0, chunk[0].1);
                let id = self.batches.len() as u32;
                self.batches.push(Batch {
                    from,
                    to,
                    start: self.plan.len() as u32,
                    len: chunk.len() as u32,
                    tries: 0,
                });
                for &(_, _, k) in chunk {
                    self.plan.push(k);
                    self.moving[k as usize] = true;
                }
                self.outstanding += 1;
                if let Some(q) = self.queues.get_mut(from as usize) {
                    q.push_back(id);
                }
            }
        }
        for s in 0..self.slots {
            self.kick(ctx, s);
        }
    }

    /// Start shard `s`'s sending loop if it has work and is not already running.
    fn kick(&mut self, ctx: &mut Ctx<Msg, Timer>, s: u8) {
        let i = s as usize;
        let busy = self.queues.get(i).is_some_and(|q| !q.is_empty())
            || self.in_flight.get(i).is_some_and(|&n| n > 0);
        if busy && !self.ticking[i] && ctx.net.node_up(shard_node(s)) {
            self.ticking[i] = true;
            ctx.timer(Some(shard_node(s)), 0, Timer::Tick);
        }
    }

    fn keys_of(&self, b: u32) -> &[u32] {
        let Some(batch) = self.batches.get(b as usize) else {
            return &[];
        };
        let (a, z) = (batch.start as usize, (batch.start + batch.len) as usize);
        self.plan.get(a..z).unwrap_or(&[])
    }

    /// One pacing tick at shard `s`: send the next batch, keep ticking while work remains.
    fn tick(&mut self, ctx: &mut Ctx<Msg, Timer>, s: u8) {
        let i = s as usize;
        let next = self.queues.get_mut(i).and_then(|q| q.pop_front());
        if let Some(b) = next {
            let to = self.batches.get(b as usize).map_or(s, |x| x.to);
            if !ctx.net.node_up(shard_node(to)) {
                // Park until the destination restarts (`on_crash` kicks us again).
                if let Some(q) = self.queues.get_mut(i) {
                    q.push_front(b);
                }
                self.ticking[i] = false;
                return;
            }
            self.in_flight[i] += 1;
            ctx.send(shard_node(s), shard_node(to), Msg::Migrate { batch: b });
        }
        let busy = self.queues.get(i).is_some_and(|q| !q.is_empty()) || self.in_flight[i] > 0;
        self.ticking[i] = busy;
        if busy {
            ctx.timer(Some(shard_node(s)), TICK_US, Timer::Tick);
        }
    }

    /// The router learns a batch landed: route its keys to the new owner, release the old copy.
    fn moved(&mut self, ctx: &mut Ctx<Msg, Timer>, b: u32) {
        let Some(batch) = self.batches.get(b as usize).copied() else {
            return;
        };
        if batch.tries == u16::MAX {
            return; // already done (a duplicate)
        }
        for i in batch.start..batch.start + batch.len {
            let Some(&k) = self.plan.get(i as usize) else {
                continue;
            };
            let old = self.holder[k as usize] as usize;
            self.held[old] = self.held[old].saturating_sub(1);
            self.holder[k as usize] = batch.to;
            self.held[batch.to as usize] += 1;
            self.moving[k as usize] = false;
        }
        self.finish(b);
        ctx.send(ROUTER, shard_node(batch.from), Msg::Release { batch: b });
        if self.outstanding == 0 && !self.abandoned {
            self.plan_moves(ctx); // keys re-targeted while they were moving
        }
    }

    fn finish(&mut self, b: u32) {
        if let Some(batch) = self.batches.get_mut(b as usize) {
            batch.tries = u16::MAX;
            let f = batch.from as usize;
            self.in_flight[f] = self.in_flight[f].saturating_sub(1);
        }
        self.outstanding = self.outstanding.saturating_sub(1);
    }

    /// A batch message was lost: send it again later, or give up after `MAX_TRIES`.
    fn lost(&mut self, b: u32) {
        let Some(batch) = self.batches.get_mut(b as usize) else {
            return;
        };
        if batch.tries == u16::MAX {
            return;
        }
        batch.tries += 1;
        let (from, tries) = (batch.from as usize, batch.tries);
        if tries < MAX_TRIES {
            self.in_flight[from] = self.in_flight[from].saturating_sub(1);
            if let Some(q) = self.queues.get_mut(from) {
                q.push_front(b);
            }
            return;
        }
        let keys: Vec<u32> = self.keys_of(b).to_vec();
        for k in &keys {
            self.moving[*k as usize] = false;
        }
        self.failed_keys += keys.len() as u64;
        self.abandoned = true;
        self.finish(b);
    }

    /// Issue one request: a point lookup, or a range scan to every shard that may hold its keys.
    fn issue(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        let n = self.holder.len() as u64;
        let rank = match &self.zipf {
            Some(z) => z.sample(ctx.rng) as u64,
            None => ctx.rng.below(n),
        };
        let key = self.by_rank.get(rank as usize).copied().unwrap_or(0);
        let id = self.issued;
        self.issued += 1;
        self.window_requests += 1;
        if Some(key) == self.hot_key() {
            self.hot_hits += 1;
        }
        if !ctx.rng.chance(self.scan_share) {
            let to = self.holder.get(key as usize).copied().unwrap_or(0);
            self.fanout_sum += 1;
            self.parts += 1;
            ctx.send(ROUTER, shard_node(to), Msg::Get { id, key });
            return;
        }
        self.scans += 1;
        let len = self.scan_len.min(n as u32).max(1);
        let start = key.min(n as u32 - len);
        self.mark_touched(start, len);
        for s in 0..self.slots {
            if std::mem::take(&mut self.touched[s as usize]) {
                self.fanout_sum += 1;
                self.parts += 1;
                ctx.send(ROUTER, shard_node(s), Msg::Scan { id, start, len });
            }
        }
    }

    /// Which shards a scan must visit. A range or directory router knows where each key in the
    /// range lives; under hashing the keys of a range are scattered, so it asks every shard.
    fn mark_touched(&mut self, start: u32, len: u32) {
        match self.place.strategy() {
            Strategy::Range | Strategy::Directory => {
                for k in start..start + len {
                    if let Some(&h) = self.holder.get(k as usize) {
                        self.touched[h as usize] = true;
                    }
                }
            }
            Strategy::Hash | Strategy::Consistent => {
                for s in 0..self.slots as usize {
                    self.touched[s] = self.place.active().contains(&(s as u8)) || self.held[s] > 0;
                }
            }
        }
    }

    fn rebalance(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        let (add, rm) = self.pending;
        let mut what = Vec::new();
        let slots = self.slots;
        let _ = self.change(ctx, String::new(), |p| {
            for _ in 0..add {
                if let Some(s) = (0..slots).find(|s| !p.active().contains(s)) {
                    p.add(s)?;
                    what.push(format!("S{s} joined"));
                }
            }
            for _ in 0..rm {
                let s = p.active().last().copied().unwrap_or(0);
                p.remove(s)?;
                what.push(format!("S{s} left"));
            }
            Ok(())
        });
        if let Some(c) = self.last.as_mut() {
            c.what = what.join(", ");
        }
    }
}

impl Protocol for ShardingModel {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if self.pending != (0, 0) {
            ctx.timer(None, 0, Timer::Rebalance);
        }
        self.schedule_arrival(ctx);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Msg, Timer>, at: Option<NodeId>, t: Timer) {
        match (t, at) {
            (Timer::Arrival, _) => {
                if ctx.net.node_up(ROUTER) {
                    self.issue(ctx);
                } else {
                    self.issued += 1;
                }
                self.schedule_arrival(ctx);
            }
            (Timer::Tick, Some(n)) => self.tick(ctx, (n.0.saturating_sub(1)) as u8),
            (Timer::Tick, None) => {}
            (Timer::Rebalance, _) => self.rebalance(ctx),
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<Msg, Timer>, at: NodeId, from: NodeId, msg: Msg) {
        let slot = at.0.saturating_sub(1) as usize;
        match msg {
            Msg::Get { id, .. } | Msg::Scan { id, .. } => {
                if let Some(h) = self.hits.get_mut(slot) {
                    *h += 1;
                }
                ctx.send(at, from, Msg::Reply { id });
            }
            Msg::Reply { .. } => self.replies += 1,
            Msg::Migrate { batch } => ctx.send(at, ROUTER, Msg::Moved { batch }),
            Msg::Moved { batch } => self.moved(ctx, batch),
            Msg::Release { .. } => {}
        }
    }

    fn on_drop(&mut self, _now: Time, msg: &Msg, _reason: DropReason) {
        if let Msg::Migrate { batch } | Msg::Moved { batch } = *msg {
            self.lost(batch);
        }
    }

    fn on_crash(&mut self, ctx: &mut Ctx<Msg, Timer>, node: NodeId, up: bool) {
        let s = node.0.saturating_sub(1) as u8;
        if !up && node != ROUTER {
            if let Some(t) = self.ticking.get_mut(s as usize) {
                *t = false; // its timers died with it
            }
            return;
        }
        for x in 0..self.slots {
            self.kick(ctx, x);
        }
    }
}
