//! The shared cache node: lookups, fills, coalescing leases, invalidation, write-through, the
//! write-behind buffer and its flushes, crashes, the hot-key expiry and the warm start.

use super::msg::{Msg, Timer};
use super::proto::CacheModel;
use super::store::{Lookup, Store};
use super::{Config, WritePolicy, HOT_KEY};
use crate::sim::compact::VecMap;
use crate::sim::engine::Ctx;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;
use std::collections::BTreeMap;

/// A cache fill in progress: the database read (or the app holding the lease) that will bring
/// the value, and the requests waiting for it. `valid` turns false when a write overtakes it.
#[derive(Clone, Debug)]
pub struct Fill {
    pub key: u32,
    pub waiters: Vec<(NodeId, u64)>,
    pub valid: bool,
}

/// A write-behind batch sent to the database and not yet acknowledged.
#[derive(Clone, Copy, Debug)]
pub struct InFlight {
    /// Acknowledged writes it carries.
    pub count: u32,
    pub sent: Time,
    /// Still on its way (false once the network dropped it: it must be sent again).
    pub transit: bool,
}

/// The shared cache process.
#[derive(Clone, Debug)]
pub struct CacheNode {
    pub store: Store,
    pub fills: VecMap<u64, Fill>,
    pub lease_of: VecMap<u32, u64>,
    /// Write-behind: key -> (newest version, acknowledged writes merged into it).
    pub buffer: BTreeMap<u32, (u64, u32)>,
    pub inflight: VecMap<u64, InFlight>,
    /// Write-through: query tag -> (app, request, key, version).
    pub through: VecMap<u64, (NodeId, u64, u32, u64)>,
    pub epoch: u32,
    pub flush_armed: bool,
    pub crashes: u32,
    pub last_crash: Option<Time>,
    /// Hit (true) or miss of the latest lookups, oldest overwritten first.
    pub recent: Vec<bool>,
    pub recent_at: usize,
}

/// Lookups the "recent hit ratio" covers.
pub const RECENT: usize = 500;
/// Lease / fill give-up time.
pub const LEASE_MS: u64 = 200;

impl CacheNode {
    /// An empty cache for `cfg`.
    pub fn new(cfg: &Config) -> CacheNode {
        CacheNode {
            store: Store::new(cfg.policy, cfg.capacity, cfg.keys),
            fills: VecMap::new(),
            lease_of: VecMap::new(),
            buffer: BTreeMap::new(),
            inflight: VecMap::new(),
            through: VecMap::new(),
            epoch: 1,
            flush_armed: false,
            crashes: 0,
            last_crash: None,
            recent: Vec::with_capacity(RECENT),
            recent_at: 0,
        }
    }

    fn note(&mut self, hit: bool) {
        if self.recent.len() < RECENT {
            self.recent.push(hit);
        } else if let Some(slot) = self.recent.get_mut(self.recent_at) {
            *slot = hit;
        }
        self.recent_at = (self.recent_at + 1) % RECENT;
    }

    /// Hit ratio over the latest lookups.
    pub fn recent_ratio(&self) -> f64 {
        let hits = self.recent.iter().filter(|h| **h).count();
        hits as f64 / self.recent.len().max(1) as f64
    }

    /// Forget a pending fill of `key` (a write overtook it); its waiters are returned.
    fn overtake(&mut self, key: u32) -> Vec<(NodeId, u64)> {
        let Some(tag) = self.lease_of.remove(&key) else {
            return Vec::new();
        };
        match self.fills.get_mut(&tag) {
            Some(f) => {
                f.valid = false;
                std::mem::take(&mut f.waiters)
            }
            None => Vec::new(),
        }
    }
}

impl CacheModel {
    /// Put a value in the shared cache, counting any eviction.
    fn admit(&mut self, ctx: &mut Ctx<Msg, Timer>, key: u32, ver: u64) {
        if key == HOT_KEY {
            self.stats.hot_expired = false;
        }
        let expires = self.expiry(ctx.now, ctx.rng);
        if self
            .cache
            .store
            .put(key, ver, expires, ctx.now, ctx.rng)
            .is_some()
        {
            self.stats.evictions += 1;
        }
    }

    /// Tell every app to drop `key` from its L1 (event-based invalidation).
    fn broadcast(&mut self, ctx: &mut Ctx<Msg, Timer>, key: u32) {
        if self.cfg.l1 > 0 && self.cfg.inval == super::Invalidation::Delete {
            for &a in &self.nodes.apps {
                ctx.send(self.nodes.cache, a, Msg::Invalidate { key });
            }
        }
    }

    pub(super) fn at_cache(&mut self, ctx: &mut Ctx<Msg, Timer>, from: NodeId, msg: Msg) {
        let me = self.nodes.cache;
        match msg {
            Msg::CacheGet { req, key } => self.lookup(ctx, from, req, key),
            Msg::DbValue { tag, ver, .. } => {
                if let Some(f) = self.cache.fills.remove(&tag) {
                    self.complete(ctx, tag, f, ver);
                }
            }
            Msg::Set { key, ver, lease: 0 } => self.admit(ctx, key, ver),
            Msg::Set { ver, lease, .. } => {
                if let Some(f) = self.cache.fills.remove(&lease) {
                    self.complete(ctx, lease, f, ver);
                }
            }
            Msg::Delete { key } => {
                self.cache.store.remove(key);
                for (app, req) in self.cache.overtake(key) {
                    ctx.send(me, app, Msg::Miss { req, lease: 0 });
                }
                self.broadcast(ctx, key);
            }
            Msg::CacheWrite { req, key, ver } => self.cache_write(ctx, from, req, key, ver),
            Msg::DbAck { tag, key, ver } => {
                if let Some((app, req, _, _)) = self.cache.through.remove(&tag) {
                    self.admit(ctx, key, ver);
                    ctx.send(me, app, Msg::CacheAck { req });
                    self.broadcast(ctx, key);
                } else {
                    self.cache.inflight.remove(&tag);
                }
            }
            _ => {}
        }
    }

    /// A fill arrived (database value or leased set): store it if still valid, answer waiters.
    fn complete(&mut self, ctx: &mut Ctx<Msg, Timer>, tag: u64, f: Fill, ver: u64) {
        if self.cache.lease_of.get(&f.key) == Some(&tag) {
            self.cache.lease_of.remove(&f.key);
        }
        if f.valid {
            self.admit(ctx, f.key, ver);
        }
        for (app, req) in f.waiters {
            ctx.send(self.nodes.cache, app, Msg::Hit { req, ver });
        }
    }

    fn lookup(&mut self, ctx: &mut Ctx<Msg, Timer>, app: NodeId, req: u64, key: u32) {
        let me = self.nodes.cache;
        self.stats.lookups += 1;
        let found = match self.cache.store.get(key, ctx.now) {
            Lookup::Hit(v) => Some(v),
            Lookup::Expired => {
                self.stats.expirations += 1;
                if key == HOT_KEY {
                    self.stats.hot_expired = true;
                    self.stats.expiry_db_reads = 0;
                }
                None
            }
            Lookup::Miss => None,
        };
        // Write-behind: a buffered value is still in the cache's memory.
        let found = found.or_else(|| self.cache.buffer.get(&key).map(|b| b.0));
        if let Some(ver) = found {
            if self.cache.store.peek(key).is_none() {
                self.admit(ctx, key, ver);
            }
            self.stats.hits += 1;
            self.cache.note(true);
            ctx.send(me, app, Msg::Hit { req, ver });
            return;
        }
        self.cache.note(false);
        self.miss(ctx, app, req, key);
    }

    fn miss(&mut self, ctx: &mut Ctx<Msg, Timer>, app: NodeId, req: u64, key: u32) {
        let me = self.nodes.cache;
        if self.cfg.coalesce {
            if let Some(f) = self
                .cache
                .lease_of
                .get(&key)
                .and_then(|t| self.cache.fills.get_mut(t))
            {
                f.waiters.push((app, req));
                self.stats.coalesced += 1;
                return;
            }
        }
        let aside = self.cfg.write == WritePolicy::CacheAside;
        if aside && !self.cfg.coalesce {
            ctx.send(me, app, Msg::Miss { req, lease: 0 });
            return;
        }
        let tag = self.fresh();
        let waiters = if aside { Vec::new() } else { vec![(app, req)] };
        self.cache.fills.insert(
            tag,
            Fill {
                key,
                waiters,
                valid: true,
            },
        );
        if self.cfg.coalesce {
            self.cache.lease_of.insert(key, tag);
        }
        ctx.timer(Some(me), LEASE_MS * 1000, Timer::LeaseEnd { tag });
        if aside {
            ctx.send(me, app, Msg::Miss { req, lease: tag });
        } else {
            ctx.send(me, self.nodes.db, Msg::DbRead { tag, key });
            self.note_db_read(key);
        }
    }

    pub(super) fn lease_end(&mut self, ctx: &mut Ctx<Msg, Timer>, tag: u64) {
        let Some(f) = self.cache.fills.remove(&tag) else {
            return;
        };
        if self.cache.lease_of.get(&f.key) == Some(&tag) {
            self.cache.lease_of.remove(&f.key);
        }
        for (app, req) in f.waiters {
            ctx.send(self.nodes.cache, app, Msg::Miss { req, lease: 0 });
        }
    }

    fn cache_write(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        app: NodeId,
        req: u64,
        key: u32,
        ver: u64,
    ) {
        let me = self.nodes.cache;
        // A fill still on its way carries an older value: it must not land after this write.
        let waiters = self.cache.overtake(key);
        if self.cfg.write == WritePolicy::WriteBehind {
            self.admit(ctx, key, ver);
            let e = self.cache.buffer.entry(key).or_insert((0, 0));
            *e = (e.0.max(ver), e.1 + 1);
            if !self.cache.flush_armed {
                self.cache.flush_armed = true;
                ctx.timer(
                    Some(me),
                    self.cfg.flush_us,
                    Timer::Flush {
                        epoch: self.cache.epoch,
                    },
                );
            }
            ctx.send(me, app, Msg::CacheAck { req });
            self.broadcast(ctx, key);
        } else {
            let tag = self.fresh();
            self.cache.through.insert(tag, (app, req, key, ver));
            ctx.send(
                me,
                self.nodes.db,
                Msg::DbWrite {
                    tag,
                    key,
                    ver,
                    count: 1,
                    epoch: 0,
                },
            );
        }
        for (a, r) in waiters {
            ctx.send(me, a, Msg::Miss { req: r, lease: 0 });
        }
    }

    pub(super) fn flush(&mut self, ctx: &mut Ctx<Msg, Timer>, epoch: u32) {
        if epoch != self.cache.epoch {
            return;
        }
        let (me, db, now) = (self.nodes.cache, self.nodes.db, ctx.now);
        self.cache.flush_armed = false;
        let buffer = std::mem::take(&mut self.cache.buffer);
        if !buffer.is_empty() {
            let tag = self.fresh();
            let rows: Vec<(u32, u64, u32)> =
                buffer.into_iter().map(|(k, (v, c))| (k, v, c)).collect();
            let count = rows.iter().map(|r| r.2).sum();
            let n = rows.len() as u32;
            self.batches.insert(tag, rows);
            let f = InFlight {
                count,
                sent: now,
                transit: true,
            };
            self.cache.inflight.insert(tag, f);
            ctx.send(
                me,
                db,
                Msg::DbFlush {
                    tag,
                    rows: n,
                    epoch,
                },
            );
        }
        let resend = self.cfg.flush_us.max(1_000_000);
        for (&tag, f) in self.cache.inflight.iter_mut() {
            if !f.transit || now.since(f.sent) >= resend {
                f.transit = true;
                f.sent = now;
                let rows = self.batches.get(&tag).map_or(0, |b| b.len() as u32).max(1);
                ctx.send(me, db, Msg::DbFlush { tag, rows, epoch });
            }
        }
        if !self.cache.inflight.is_empty() {
            self.cache.flush_armed = true;
            ctx.timer(Some(me), self.cfg.flush_us, Timer::Flush { epoch });
        }
    }

    /// A write-behind batch was lost on the way: resend it later, or count its writes lost if
    /// the cache process that sent it is gone.
    pub(super) fn flush_dropped(&mut self, tag: u64, epoch: u32) {
        if epoch != self.cache.epoch {
            let rows = self.batches.remove(&tag).unwrap_or_default();
            self.stats.lost += rows.iter().map(|r| r.2 as u64).sum::<u64>();
        } else if let Some(f) = self.cache.inflight.get_mut(&tag) {
            f.transit = false;
        }
    }

    /// The cache process dies and restarts empty: contents, counts, leases and every buffered
    /// write it had not handed to the network are gone.
    pub fn crash_cache(&mut self, now: Time) {
        let c = &mut self.cache;
        let buffered: u64 = c.buffer.values().map(|b| b.1 as u64).sum();
        let mut stranded = 0;
        for (tag, f) in c.inflight.iter() {
            if !f.transit {
                stranded += f.count as u64;
                self.batches.remove(tag);
            }
        }
        self.stats.lost += buffered + stranded;
        c.store.clear();
        c.fills.clear();
        c.lease_of.clear();
        c.buffer.clear();
        c.inflight.clear();
        c.through.clear();
        c.flush_armed = false;
        c.epoch += 1;
        c.crashes += 1;
        c.last_crash = Some(now);
    }

    /// The most popular key's TTL runs out now, in the shared cache and every L1.
    pub fn expire_hot_key(&mut self, now: Time) {
        if let Some(slot) = self.cache.store.peek(0).copied() {
            let _ = self.cache.store.expire(0, now.min(slot.expires));
        }
        for a in &mut self.apps {
            a.l1.remove(0);
        }
    }

    /// Fill the shared cache with the `capacity` most popular keys (least popular first).
    pub(super) fn warm_up(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        let n = self.cfg.capacity.min(self.cfg.keys);
        for key in (0..n).rev() {
            self.admit(ctx, key, 0);
        }
    }
}
