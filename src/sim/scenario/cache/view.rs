//! What the cache widget shows beyond the topology (plain data for `Extra::Cache`), the node
//! labels, the metrics, and the hit-ratio-vs-capacity sweep: real runs of this scenario at
//! several capacities, advanced a bounded number of events at a time so no frame freezes.

use super::proto::CacheModel;
use super::store::NIL;
use super::DB_WORKERS;
use crate::sim::metrics::Metrics;
use crate::sim::scenario::{create, Scenario};
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// Slots drawn at most (the rest are counted).
pub const MAX_SLOTS: usize = 120;
/// How long a slot counts as "just filled" or "just replaced".
pub const FRESH_US: u64 = 150_000;

/// A slot's state as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotState {
    Empty,
    Held,
    /// Filled in the last moments (into a free slot).
    New,
    /// Its previous key was just evicted to make room.
    Replaced,
    /// Past its TTL: the next lookup will miss.
    Expired,
}

/// One cache slot: the key held (0 is the most popular, so popularity rank = key + 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotView {
    pub key: Option<u32>,
    pub state: SlotState,
    /// The key evicted from this slot most recently, if it was just now.
    pub replaced: Option<u32>,
}

/// The cache widget's extra view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CacheView {
    pub policy: &'static str,
    pub capacity: u32,
    pub keys: u32,
    pub used: u32,
    pub slots: Vec<SlotView>,
    pub db_load: u32,
    pub db_recent_peak: u32,
    pub db_peak: u32,
    pub db_workers: u32,
    pub clients: u32,
    pub evictions: u64,
    pub buffered: u32,
    pub crashes: u32,
    /// Latest evictions, newest first: (evicted key, key that took its place).
    pub latest: Vec<(u32, u32)>,
    /// Settings and seed of this run, for the capacity sweep.
    pub pairs: Vec<(String, String)>,
    pub seed: u64,
}

impl CacheModel {
    /// The metrics (contract names first).
    pub fn report(&self) -> Metrics {
        let s = &self.stats;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mut m = Metrics::default();
        m.float("hit_ratio", ratio(s.hits, s.lookups))
            .float("l1_hit_ratio", ratio(s.l1_hits, s.l1_lookups))
            .int("db_reads", s.db_reads as i64)
            .int("db_writes", s.db_writes as i64)
            .int("stale_reads", s.stale as i64)
            .int("lost_writes", s.lost as i64)
            .int("db_peak_concurrency", s.db_peak as i64)
            .int("expiry_db_reads", s.expiry_db_reads as i64)
            .float("latency_mean_ms", s.latency.mean() / 1000.0)
            .float("latency_p99_ms", s.latency.quantile(0.99) as f64 / 1000.0)
            .int("requests_done", s.done as i64)
            .int("failed", s.failed as i64)
            .int("evictions", s.evictions as i64)
            .int("expirations", s.expirations as i64)
            .int("coalesced", s.coalesced as i64)
            .float("hit_ratio_recent", self.cache.recent_ratio())
            .int("db_load", self.db.reads_now as i64);
        m
    }

    /// One short line per node.
    pub fn node_label(&self, n: NodeId) -> String {
        if n == self.nodes.cache {
            let c = &self.cache;
            let mut l = format!("{}/{} held", c.store.len(), c.store.capacity());
            if !c.buffer.is_empty() {
                l += &format!(", {} dirty", c.buffer.len());
            }
            return l;
        }
        if n == self.nodes.db {
            return format!(
                "{} reads now, {} queued",
                self.db.reads_now,
                self.db.queue.len()
            );
        }
        if let Some(a) = self.apps.iter().find(|a| a.node == n) {
            return match self.cfg.l1 {
                0 => format!("{} in progress", a.pending.len()),
                _ => format!(
                    "L1 {}/{}, {} busy",
                    a.l1.len(),
                    a.l1.capacity(),
                    a.pending.len()
                ),
            };
        }
        let users = self.users.iter().filter(|u| u.node == n).count();
        let waiting = self
            .users
            .iter()
            .filter(|u| u.node == n && u.out.is_some())
            .count();
        format!("{waiting}/{users} clients waiting")
    }

    /// The extra view at `now`.
    pub fn view(&self, now: Time) -> CacheView {
        let store = &self.cache.store;
        let fresh = |since: Time| now.since(since) < FRESH_US;
        let slots = store
            .slots()
            .take(MAX_SLOTS)
            .map(|s| match s {
                None => SlotView {
                    key: None,
                    state: SlotState::Empty,
                    replaced: None,
                },
                Some(s) => {
                    let replaced = (s.replaced != NIL && fresh(s.since)).then_some(s.replaced);
                    let state = if now >= s.expires {
                        SlotState::Expired
                    } else if replaced.is_some() {
                        SlotState::Replaced
                    } else if fresh(s.since) {
                        SlotState::New
                    } else {
                        SlotState::Held
                    };
                    SlotView {
                        key: Some(s.key),
                        state,
                        replaced,
                    }
                }
            })
            .collect();
        let mut latest: Vec<(Time, u32, u32)> = store
            .slots()
            .flatten()
            .filter(|s| s.replaced != NIL)
            .map(|s| (s.since, s.replaced, s.key))
            .collect();
        crate::sim::compact::sort_by(&mut latest, |a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        CacheView {
            policy: store.policy().name(),
            capacity: store.capacity(),
            keys: self.cfg.keys,
            used: store.len(),
            slots,
            db_load: self.db.reads_now,
            db_recent_peak: self.db.recent_peak(now),
            db_peak: self.stats.db_peak,
            db_workers: DB_WORKERS,
            clients: self.cfg.clients,
            evictions: self.stats.evictions,
            buffered: self.cache.buffer.values().map(|b| b.1).sum(),
            crashes: self.cache.crashes,
            latest: latest.into_iter().take(5).map(|(_, a, b)| (a, b)).collect(),
            pairs: self.pairs.clone(),
            seed: self.seed,
        }
    }

    /// Keep the settings the sweep reuses in step with live changes.
    pub fn remember(&mut self, key: &str, value: String) {
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.pairs.push((key.to_string(), value)),
        }
    }
}

/// Requests per sweep run at most (a sweep point is a whole run).
pub const SWEEP_REQUESTS: u64 = 20_000;

/// The capacities a sweep visits for `keys` keys, including the current `capacity`.
pub fn sweep_capacities(keys: u32, capacity: u32) -> Vec<u32> {
    let mut caps: Vec<u32> = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0]
        .iter()
        .map(|f| ((keys as f64 * f) as u32).max(1))
        .chain(std::iter::once(capacity.clamp(1, keys.max(1))))
        .collect();
    crate::sim::compact::sort(&mut caps);
    caps.dedup();
    caps
}

/// A hit-ratio-vs-capacity curve in the making: one full run of this scenario per capacity,
/// same settings and seed, advanced by `work` in bounded slices.
pub struct Sweep {
    pairs: Vec<(String, String)>,
    seed: u64,
    caps: Vec<u32>,
    current: Option<Box<dyn Scenario>>,
    /// (capacity, hit ratio) measured so far.
    pub points: Vec<(u32, f64)>,
    /// Why the sweep stopped early, if it did.
    pub error: Option<String>,
}

impl Sweep {
    /// Plan a sweep over the run described by `pairs` and `seed`.
    pub fn new(pairs: &[(String, String)], seed: u64, keys: u32, capacity: u32) -> Sweep {
        let requests = pairs_value(pairs, "requests").unwrap_or(SWEEP_REQUESTS);
        let mut pairs: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "capacity" && k != "requests")
            .cloned()
            .collect();
        pairs.push(("requests".into(), requests.min(SWEEP_REQUESTS).to_string()));
        Sweep {
            pairs,
            seed,
            caps: sweep_capacities(keys, capacity),
            current: None,
            points: Vec::new(),
            error: None,
        }
    }

    /// Capacities in the plan.
    pub fn capacities(&self) -> &[u32] {
        &self.caps
    }

    /// Finished (all points measured, or stopped by an error).
    pub fn done(&self) -> bool {
        self.error.is_some() || self.points.len() >= self.caps.len()
    }

    /// Process at most `budget` events of the current run; true when the whole sweep is done.
    pub fn work(&mut self, budget: u64) -> bool {
        if self.done() {
            return true;
        }
        let Some(&cap) = self.caps.get(self.points.len()) else {
            return true;
        };
        if self.current.is_none() {
            let mut pairs = self.pairs.clone();
            pairs.push(("capacity".into(), cap.to_string()));
            match create("cache", &pairs, self.seed) {
                Ok(s) => self.current = Some(s),
                Err(e) => {
                    self.error = Some(e.0);
                    return true;
                }
            }
        }
        if let Some(s) = self.current.as_mut() {
            if s.run_to_end(budget) {
                let h = s.metrics().num("hit_ratio").unwrap_or(0.0);
                self.points.push((cap, h));
                self.current = None;
            }
        }
        self.done()
    }
}

fn pairs_value(pairs: &[(String, String)], key: &str) -> Option<u64> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
}
