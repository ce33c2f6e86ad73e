//! The cache scenario's protocol: messages and timers, the closed-loop clients, the application
//! servers (with their L1 and their timeouts), and the dispatch to the cache node and database
//! handlers in `node`.

use super::db::Db;
use super::msg::{Msg, Timer};
use super::node::CacheNode;
use super::store::{Policy, Store};
use super::{Config, Nodes};
use crate::sim::compact::VecMap;
use crate::sim::dist::Zipf;
use crate::sim::engine::{Ctx, Protocol};
use crate::sim::network::DropReason;
use crate::sim::rng::SimRng;
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// A closed-loop client and its request in flight.
#[derive(Clone, Debug)]
pub struct User {
    pub node: NodeId,
    pub app: NodeId,
    pub out: Option<Outstanding>,
}

/// A request a client is waiting on; `floor` is the newest version of the key that was
/// acknowledged or committed when the request left (an older answer is a stale read).
#[derive(Clone, Copy, Debug)]
pub struct Outstanding {
    pub req: u64,
    pub key: u32,
    pub write: bool,
    pub sent: Time,
    pub floor: u64,
}

/// Where an app's request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    CacheRead,
    DbRead { lease: u64 },
    CacheWrite,
    DbWrite { direct: bool },
}

/// An app's request in progress.
#[derive(Clone, Copy, Debug)]
pub struct AppReq {
    pub user: u32,
    pub client: NodeId,
    pub key: u32,
    pub ver: u64,
    pub stage: Stage,
    pub since: Time,
    pub started: Time,
}

/// An application server.
#[derive(Clone, Debug)]
pub struct App {
    pub node: NodeId,
    pub l1: Store,
    pub pending: VecMap<u64, AppReq>,
}

/// Counters behind the metrics.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub lookups: u64,
    pub hits: u64,
    pub l1_lookups: u64,
    pub l1_hits: u64,
    pub db_reads: u64,
    pub db_writes: u64,
    pub stale: u64,
    pub lost: u64,
    pub db_peak: u32,
    pub done: u64,
    pub failed: u64,
    pub evictions: u64,
    pub expirations: u64,
    pub coalesced: u64,
    pub latency: Histogram,
    /// Database reads of the hot key sent since its latest expiry in the shared cache (until
    /// it is cached again, then kept until the next expiry).
    pub expiry_db_reads: u64,
    /// The hot key expired and is not cached again yet.
    pub hot_expired: bool,
}

/// The whole system's state.
pub struct CacheModel {
    pub cfg: Config,
    pub nodes: Nodes,
    pub(super) zipf: Zipf,
    pub(super) work: SimRng,
    pub users: Vec<User>,
    pub issued: u64,
    pub(super) next_id: u64,
    pub apps: Vec<App>,
    pub cache: CacheNode,
    pub db: Db,
    /// Per key: newest version acknowledged to a client or committed to the database.
    pub truth: Vec<u64>,
    pub(super) next_ver: u64,
    pub stats: Stats,
    /// Rows of write-behind batches on their way to (or queued at) the database, by tag:
    /// (key, version, acknowledged writes merged into it). The payload of `Msg::DbFlush`.
    pub batches: VecMap<u64, Vec<(u32, u64, u32)>>,
    pub(super) tick_armed: bool,
    pub(super) scratch: Vec<u64>,
    pub pairs: Vec<(String, String)>,
    pub seed: u64,
}

impl CacheModel {
    /// A model ready to start.
    pub fn new(
        cfg: Config,
        nodes: Nodes,
        zipf: Zipf,
        work: SimRng,
        pairs: Vec<(String, String)>,
        seed: u64,
    ) -> CacheModel {
        let k = nodes.clients.len().max(1);
        let users = (0..cfg.clients as usize)
            .filter_map(|u| {
                let node = *nodes.clients.get(u % k)?;
                let app = *nodes.apps.get((u % k) * nodes.apps.len() / k)?;
                Some(User {
                    node,
                    app,
                    out: None,
                })
            })
            .collect();
        let apps = nodes
            .apps
            .iter()
            .map(|&node| App {
                node,
                l1: Store::new(Policy::Lru, cfg.l1, cfg.keys),
                pending: VecMap::new(),
            })
            .collect();
        CacheModel {
            cache: CacheNode::new(&cfg),
            db: Db::new(cfg.keys),
            truth: vec![0; cfg.keys as usize],
            cfg,
            nodes,
            zipf,
            work,
            users,
            issued: 0,
            next_id: 1,
            apps,
            next_ver: 1,
            stats: Stats::default(),
            batches: VecMap::new(),
            tick_armed: false,
            scratch: Vec::new(),
            pairs,
            seed,
        }
    }

    /// A fresh id for a request, query or lease.
    pub fn fresh(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// When an entry stored now should expire (TTL minus a random share of up to `ttl_jitter`).
    pub fn expiry(&self, now: Time, rng: &mut SimRng) -> Time {
        if self.cfg.ttl_us == 0 {
            return Time::NEVER;
        }
        let cut = if self.cfg.jitter > 0.0 {
            self.cfg.jitter * rng.unit()
        } else {
            0.0
        };
        now.plus_us(((self.cfg.ttl_us as f64) * (1.0 - cut)) as u64)
    }

    /// A database read of `key` is being sent: count it against the hot key's expiry.
    pub fn note_db_read(&mut self, key: u32) {
        if key == super::HOT_KEY && self.stats.hot_expired {
            self.stats.expiry_db_reads += 1;
        }
    }

    /// Record a new version as the truth for `key`.
    pub fn witness(&mut self, key: u32, ver: u64) {
        if let Some(t) = self.truth.get_mut(key as usize) {
            *t = (*t).max(ver);
        }
    }
}

impl Protocol for CacheModel {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if self.cfg.warm {
            self.warm_up(ctx);
        }
        for u in 0..self.users.len() {
            let node = self.users.get(u).map(|x| x.node);
            let delay = ctx.rng.below(1000);
            ctx.timer(node, delay, Timer::Start { user: u as u32 });
        }
        if self.cfg.crash_at != Time::NEVER {
            ctx.timer(None, self.cfg.crash_at.0, Timer::CrashAt);
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<Msg, Timer>, at: NodeId, from: NodeId, msg: Msg) {
        if at == self.nodes.cache {
            self.at_cache(ctx, from, msg);
        } else if at == self.nodes.db {
            self.at_db(ctx, from, msg);
        } else if let Some(ai) = self.app_index(at) {
            self.at_app(ctx, ai, from, msg);
        } else if let Msg::Reply { req, user, ver, ok } = msg {
            self.on_reply(ctx, req, user, ver, ok);
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Msg, Timer>, _at: Option<NodeId>, timer: Timer) {
        match timer {
            Timer::Start { user } => self.issue(ctx, user),
            Timer::Tick => self.tick(ctx),
            Timer::DbDone { job, epoch } => self.db_done(ctx, job, epoch),
            Timer::LeaseEnd { tag } => self.lease_end(ctx, tag),
            Timer::Flush { epoch } => self.flush(ctx, epoch),
            Timer::CrashAt => self.crash_cache(ctx.now),
        }
    }

    fn on_drop(&mut self, _now: Time, msg: &Msg, _reason: DropReason) {
        if let Msg::DbFlush { tag, epoch, .. } = *msg {
            self.flush_dropped(tag, epoch);
        }
    }

    fn on_crash(&mut self, ctx: &mut Ctx<Msg, Timer>, node: NodeId, up: bool) {
        if node == self.nodes.cache {
            if !up {
                self.crash_cache(ctx.now);
            }
        } else if node == self.nodes.db {
            if !up {
                self.db.crash();
            }
        } else if let Some(ai) = self.app_index(node) {
            if let Some(app) = self.apps.get_mut(ai).filter(|_| !up) {
                app.pending.clear();
                app.l1.clear();
            }
        } else {
            for u in 0..self.users.len() {
                let Some(user) = self.users.get_mut(u).filter(|x| x.node == node) else {
                    continue;
                };
                user.out = None;
                if up {
                    self.issue(ctx, u as u32);
                }
            }
        }
    }
}
