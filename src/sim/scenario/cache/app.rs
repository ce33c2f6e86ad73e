//! The closed-loop clients and the application servers: issuing requests, the L1, the
//! cache-aside / read-through / write paths as the app sees them, and every timeout.

use super::msg::{Msg, Timer};
use super::proto::{AppReq, CacheModel, Outstanding, Stage};
use super::store::Lookup;
use super::{Invalidation, WritePolicy};
use crate::sim::engine::Ctx;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// How long an app waits for the cache before going to the database itself.
pub const CACHE_TIMEOUT_MS: u64 = 300;
/// How long an app works on a request before answering "failed".
pub const APP_DEADLINE_MS: u64 = 2_000;
/// How long a client waits for any answer before giving up and moving on.
pub const CLIENT_TIMEOUT_MS: u64 = 3_000;
/// Period of the timeout check.
pub const TICK_MS: u64 = 50;

impl CacheModel {
    pub(super) fn arm_tick(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if !self.tick_armed {
            self.tick_armed = true;
            ctx.timer(None, TICK_MS * 1000, Timer::Tick);
        }
    }

    /// Client `u` sends its next request, if the run wants more and its machine is up.
    pub(super) fn issue(&mut self, ctx: &mut Ctx<Msg, Timer>, u: u32) {
        let Some(user) = self.users.get(u as usize) else {
            return;
        };
        if self.issued >= self.cfg.requests || user.out.is_some() || !ctx.net.node_up(user.node) {
            return;
        }
        let (node, app) = (user.node, user.app);
        let key = self.zipf.sample(&mut self.work) as u32;
        let write = self.work.chance(self.cfg.write_ratio);
        let req = self.fresh();
        self.issued += 1;
        let floor = self.truth.get(key as usize).copied().unwrap_or(0);
        if let Some(user) = self.users.get_mut(u as usize) {
            user.out = Some(Outstanding {
                req,
                key,
                write,
                sent: ctx.now,
                floor,
            });
        }
        let msg = if write {
            Msg::Put { req, key, user: u }
        } else {
            Msg::Get { req, key, user: u }
        };
        ctx.send(node, app, msg);
        self.arm_tick(ctx);
    }

    pub(super) fn on_reply(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        req: u64,
        u: u32,
        ver: u64,
        ok: bool,
    ) {
        let Some(user) = self.users.get_mut(u as usize) else {
            return;
        };
        let Some(out) = user.out.filter(|o| o.req == req) else {
            return;
        };
        user.out = None;
        if ok {
            self.stats.done += 1;
            self.stats.latency.record(ctx.now.since(out.sent));
            if !out.write && ver < out.floor {
                self.stats.stale += 1;
            }
        } else {
            self.stats.failed += 1;
        }
        self.issue(ctx, u);
    }

    pub(super) fn app_index(&self, n: NodeId) -> Option<usize> {
        self.apps.iter().position(|a| a.node == n)
    }

    pub(super) fn on_get(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        ai: usize,
        from: NodeId,
        req: u64,
        key: u32,
        user: u32,
    ) {
        let Some(app) = self.apps.get_mut(ai) else {
            return;
        };
        let me = app.node;
        if self.cfg.l1 > 0 {
            self.stats.l1_lookups += 1;
            if let Lookup::Hit(ver) = app.l1.get(key, ctx.now) {
                self.stats.l1_hits += 1;
                ctx.send(
                    me,
                    from,
                    Msg::Reply {
                        req,
                        user,
                        ver,
                        ok: true,
                    },
                );
                return;
            }
        }
        let r = AppReq {
            user,
            client: from,
            key,
            ver: 0,
            stage: Stage::CacheRead,
            since: ctx.now,
            started: ctx.now,
        };
        app.pending.insert(req, r);
        ctx.send(me, self.nodes.cache, Msg::CacheGet { req, key });
    }

    pub(super) fn on_put(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        ai: usize,
        from: NodeId,
        req: u64,
        key: u32,
        user: u32,
    ) {
        let ver = self.next_ver;
        self.next_ver += 1;
        let via_cache = self.cfg.write.writes_via_cache();
        let (cache, db) = (self.nodes.cache, self.nodes.db);
        let Some(app) = self.apps.get_mut(ai) else {
            return;
        };
        app.l1.remove(key);
        let stage = if via_cache {
            Stage::CacheWrite
        } else {
            Stage::DbWrite { direct: false }
        };
        let r = AppReq {
            user,
            client: from,
            key,
            ver,
            stage,
            since: ctx.now,
            started: ctx.now,
        };
        app.pending.insert(req, r);
        let msg = if via_cache {
            Msg::CacheWrite { req, key, ver }
        } else {
            Msg::DbWrite {
                tag: req,
                key,
                ver,
                count: 1,
                epoch: 0,
            }
        };
        ctx.send(app.node, if via_cache { cache } else { db }, msg);
    }

    /// A read finished at app `ai` with version `ver`: fill the L1 and answer the client.
    pub(super) fn finish(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        ai: usize,
        req: u64,
        ver: u64,
        ok: bool,
    ) {
        let expires = self.expiry(ctx.now, ctx.rng);
        let Some(app) = self.apps.get_mut(ai) else {
            return;
        };
        let Some(r) = app.pending.remove(&req) else {
            return;
        };
        if ok && self.cfg.l1 > 0 && matches!(r.stage, Stage::CacheRead | Stage::DbRead { .. }) {
            let _ = app.l1.put(r.key, ver, expires, ctx.now, ctx.rng);
        }
        ctx.send(
            app.node,
            r.client,
            Msg::Reply {
                req,
                user: r.user,
                ver,
                ok,
            },
        );
    }

    pub(super) fn at_app(&mut self, ctx: &mut Ctx<Msg, Timer>, ai: usize, from: NodeId, msg: Msg) {
        let stage = |m: &Self, req: u64| {
            m.apps
                .get(ai)
                .and_then(|a| a.pending.get(&req))
                .map(|r| (r.stage, r.key, r.ver))
        };
        match msg {
            Msg::Get { req, key, user } => self.on_get(ctx, ai, from, req, key, user),
            Msg::Put { req, key, user } => self.on_put(ctx, ai, from, req, key, user),
            Msg::Hit { req, ver } => {
                if let Some((Stage::CacheRead, ..)) = stage(self, req) {
                    self.finish(ctx, ai, req, ver, true);
                }
            }
            Msg::Miss { req, lease } => {
                if let Some((Stage::CacheRead, key, _)) = stage(self, req) {
                    self.go_to_db(ctx, ai, req, key, lease);
                }
            }
            Msg::DbValue { tag, key, ver } => {
                if let Some((Stage::DbRead { lease }, ..)) = stage(self, tag) {
                    if self.cfg.write == WritePolicy::CacheAside {
                        let me = self.nodes.apps.get(ai).copied().unwrap_or(from);
                        ctx.send(me, self.nodes.cache, Msg::Set { key, ver, lease });
                    }
                    self.finish(ctx, ai, tag, ver, true);
                }
            }
            Msg::DbAck { tag, key, ver } => {
                if let Some((Stage::DbWrite { direct }, ..)) = stage(self, tag) {
                    let delete = direct
                        || (self.cfg.inval == Invalidation::Delete
                            && !self.cfg.write.writes_via_cache());
                    if delete {
                        let me = self.nodes.apps.get(ai).copied().unwrap_or(from);
                        ctx.send(me, self.nodes.cache, Msg::Delete { key });
                    }
                    self.witness(key, ver);
                    self.finish(ctx, ai, tag, ver, true);
                }
            }
            Msg::CacheAck { req } => {
                if let Some((Stage::CacheWrite, key, ver)) = stage(self, req) {
                    self.witness(key, ver);
                    self.finish(ctx, ai, req, ver, true);
                }
            }
            Msg::Invalidate { key } => {
                if let Some(app) = self.apps.get_mut(ai) {
                    app.l1.remove(key);
                }
            }
            _ => {}
        }
    }

    pub(super) fn go_to_db(
        &mut self,
        ctx: &mut Ctx<Msg, Timer>,
        ai: usize,
        req: u64,
        key: u32,
        lease: u64,
    ) {
        let db = self.nodes.db;
        let Some(app) = self.apps.get_mut(ai) else {
            return;
        };
        if let Some(r) = app.pending.get_mut(&req) {
            r.stage = Stage::DbRead { lease };
            r.since = ctx.now;
            ctx.send(app.node, db, Msg::DbRead { tag: req, key });
            self.note_db_read(key);
        }
    }

    /// The timeout check: apps stop waiting for a silent cache, give up on old requests;
    /// clients give up on requests nobody answers.
    pub(super) fn tick(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        self.tick_armed = false;
        let now = ctx.now;
        for ai in 0..self.apps.len() {
            self.app_timeouts(ctx, ai, now);
        }
        for u in 0..self.users.len() {
            let Some(user) = self.users.get_mut(u) else {
                continue;
            };
            let late = user
                .out
                .is_some_and(|o| now.since(o.sent) >= CLIENT_TIMEOUT_MS * 1000);
            if late && ctx.net.node_up(user.node) {
                user.out = None;
                self.stats.failed += 1;
                self.issue(ctx, u as u32);
            }
        }
        let busy = self.users.iter().any(|u| u.out.is_some())
            || self.apps.iter().any(|a| !a.pending.is_empty());
        if busy {
            self.arm_tick(ctx);
        }
    }

    pub(super) fn app_timeouts(&mut self, ctx: &mut Ctx<Msg, Timer>, ai: usize, now: Time) {
        let mut late = std::mem::take(&mut self.scratch);
        late.clear();
        if let Some(app) = self.apps.get(ai).filter(|a| ctx.net.node_up(a.node)) {
            late.extend(app.pending.iter().filter_map(|(req, r)| {
                let waiting = matches!(r.stage, Stage::CacheRead | Stage::CacheWrite);
                let slow = waiting && now.since(r.since) >= CACHE_TIMEOUT_MS * 1000;
                (slow || now.since(r.started) >= APP_DEADLINE_MS * 1000).then_some(*req)
            }));
        }
        for &req in &late {
            let Some(r) = self.apps.get(ai).and_then(|a| a.pending.get(&req)).copied() else {
                continue;
            };
            if now.since(r.started) >= APP_DEADLINE_MS * 1000 {
                self.finish(ctx, ai, req, 0, false);
            } else if r.stage == Stage::CacheRead {
                self.go_to_db(ctx, ai, req, r.key, 0);
            } else if let Some(app) = self.apps.get_mut(ai) {
                // The cache is silent: write the database directly, then delete the cached copy.
                if let Some(p) = app.pending.get_mut(&req) {
                    p.stage = Stage::DbWrite { direct: true };
                    p.since = now;
                }
                let msg = Msg::DbWrite {
                    tag: req,
                    key: r.key,
                    ver: r.ver,
                    count: 1,
                    epoch: 0,
                };
                ctx.send(app.node, self.nodes.db, msg);
            }
        }
        self.scratch = late;
    }
}
