//! `cache`: clients → application servers (each with an optional in-process L1) → a shared
//! cache node → a database node, on the topology, hop by hop. Closed-loop clients ask for keys
//! with Zipf popularity; the cache evicts by LRU, LFU, FIFO or random, expires entries by TTL,
//! writes by cache-aside, read-through, write-through or write-behind, can crash (losing its
//! contents and buffered writes), and can coalesce concurrent misses. The caching lesson's widget.
//!
//! Files: `config` (parameters), `store` (eviction structures), `msg` (messages, timers),
//! `proto` (state and dispatch), `app` (clients, app servers, timeouts), `node` (the cache
//! node), `db` (the database), `view` (the panel's data, metrics and the capacity sweep),
//! `fixup` (repairing settings the ttl rule would refuse).

mod app;
mod config;
mod db;
mod fixup;
mod msg;
mod node;
mod proto;
pub mod store;
pub mod view;

use super::{Model, ScenarioSpec, Sim};
use crate::sim::dist::{Latency, Spread, Zipf};
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{ParamError, Params, Value};
use crate::sim::rng::SimRng;
use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::time::Time;
use crate::sim::topology::{LinkInfo, NodeId, Role, Topology};
use config::{check_ttl, config};
pub use config::{Config, Invalidation, WritePolicy, PARAMS};
pub use fixup::{fixup, FIX_TTL_MS};
pub use msg::{Msg, Timer};
pub use proto::CacheModel;
use store::Policy;

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "cache",
    title: "A cache in front of a database",
    help: "clients read and write keys through app servers, a shared cache and a slow database",
    params: PARAMS,
    actions: &[
        ("do:expire-hot-key", "Expire the hot key (stampede)"),
        ("do:crash-cache", "Crash the cache"),
    ],
    charts: &["hit_ratio_recent", "db_load"],
    focus: &["hit_ratio", "db_reads", "stale_reads", "latency_mean_ms"],
    build,
};

/// Mean one-way link latencies (ms) and database work per query (ms): the database is the
/// slow part by an order of magnitude.
pub const CLIENT_APP_MS: f64 = 1.0;
pub const APP_CACHE_MS: f64 = 0.5;
pub const APP_DB_MS: f64 = 2.0;
pub const CACHE_DB_MS: f64 = 2.0;
pub const DB_QUERY_MS: f64 = 20.0;
/// Extra database work per row of a write-behind batch (ms).
pub const DB_ROW_MS: f64 = 0.1;
/// Queries the database runs at once; the rest wait in its queue.
pub const DB_WORKERS: u32 = 4;
/// The hot key: key #1, the most popular (the stampede action expires it).
pub const HOT_KEY: u32 = 0;
/// Application servers.
pub const APPS: u32 = 2;
/// Client machines drawn (the clients are spread over them).
pub const CLIENT_NODES: u32 = 6;

/// Node ids of each role.
#[derive(Clone, Debug)]
pub struct Nodes {
    pub db: NodeId,
    pub cache: NodeId,
    pub apps: Vec<NodeId>,
    pub clients: Vec<NodeId>,
}

fn link(ms: f64) -> LinkInfo {
    LinkInfo {
        latency: Latency::ms(ms, Spread::Uniform),
        loss: 0.0,
        duplicate: 0.0,
    }
}

/// Build the topology: database, cache, application servers, client machines.
pub fn layout(clients: u32) -> (Topology, Nodes) {
    let mut t = Topology::default();
    let db = t.add_node("database", Role::Database, 0.94, 0.78);
    let cache = t.add_node("cache", Role::Cache, 0.94, 0.18);
    let apps: Vec<NodeId> = (0..APPS)
        .map(|i| {
            t.add_node(
                format!("app{}", i + 1),
                Role::Service,
                0.5,
                0.22 + 0.56 * i as f32,
            )
        })
        .collect();
    let k = clients.clamp(1, CLIENT_NODES);
    let mut cs = Vec::new();
    for j in 0..k {
        let y = if k == 1 {
            0.5
        } else {
            j as f32 / (k - 1) as f32
        };
        let c = t.add_node(format!("c{}", j + 1), Role::Client, 0.04, y);
        if let Some(&a) = apps.get((j * APPS / k) as usize) {
            t.add_link(c, a, link(CLIENT_APP_MS));
        }
        cs.push(c);
    }
    for &a in &apps {
        t.add_link(a, cache, link(APP_CACHE_MS));
        t.add_link(a, db, link(APP_DB_MS));
    }
    t.add_link(cache, db, link(CACHE_DB_MS));
    let nodes = Nodes {
        db,
        cache,
        apps,
        clients: cs,
    };
    (t, nodes)
}

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    let cfg = config(p)?;
    let (topo, nodes) = layout(cfg.clients);
    let zipf = Zipf::new(cfg.keys as usize, p.float("zipf_s"));
    let pairs = p
        .non_default(PARAMS)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let model = CacheModel::new(cfg, nodes, zipf, SimRng::derive(seed, 1), pairs, seed);
    Ok(Box::new(Sim::new(
        &SPEC,
        p,
        seed,
        model,
        Network::new(topo),
    )))
}

impl Model for CacheModel {
    fn metrics(&self, _net: NetStats, _now: Time) -> Metrics {
        self.report()
    }

    fn decorate(&self, snap: &mut Snapshot) {
        for n in &mut snap.nodes {
            n.label = self.node_label(NodeId(n.id));
        }
        snap.extra = Extra::Cache(self.view(snap.now));
    }

    fn set(&mut self, key: &str, value: &Value, _net: &mut Network) -> Result<(), String> {
        let num = match value {
            Value::Float(f) => *f,
            Value::Int(i) => *i as f64,
            _ => 0.0,
        };
        let word = match value {
            Value::Word(w) => *w,
            _ => "",
        };
        let cfg = &mut self.cfg;
        match key {
            "policy" => {
                let p = Policy::parse(word).ok_or("`policy` needs lru, lfu, fifo or random")?;
                cfg.policy = p;
                self.cache.store.set_policy(p);
            }
            "coalesce" => cfg.coalesce = word == "on",
            "write_ratio" => cfg.write_ratio = num,
            "ttl_jitter" => cfg.jitter = num,
            "flush_ms" => cfg.flush_us = Time::from_ms_f64(num).0.max(1),
            "ttl_ms" => {
                let us = Time::from_ms_f64(num).0;
                check_ttl(cfg.inval, us)?;
                cfg.ttl_us = us;
            }
            "invalidation" => {
                let inv = Invalidation::parse(word);
                check_ttl(inv, cfg.ttl_us)?;
                cfg.inval = inv;
            }
            _ => {
                return Err(format!(
                    "`{key}` cannot change during a run; reset with the new value"
                ))
            }
        }
        self.remember(key, value.to_string());
        Ok(())
    }

    fn action(&mut self, name: &str, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        match name {
            "expire-hot-key" => {
                self.expire_hot_key(ctx.now);
                Ok(())
            }
            "crash-cache" => {
                self.crash_cache(ctx.now);
                Ok(())
            }
            _ => Err(format!(
                "the cache widget has no action `{}`; valid: expire-hot-key, crash-cache",
                crate::sim::params::shorten(name)
            )),
        }
    }
}

#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
