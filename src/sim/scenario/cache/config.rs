//! The cache scenario's parameters (names and defaults are a contract with the lesson and the
//! CLI) and their parsed form.

use super::store::Policy;
use crate::sim::params::param as p;
use crate::sim::params::{Kind, ParamError, ParamSpec, Params};
use crate::sim::time::Time;

const WRITE_POLICIES: &[&str] = &[
    "cache-aside",
    "read-through",
    "write-through",
    "write-behind",
];
const INVALIDATIONS: &[&str] = &["none", "delete", "ttl"];
const ON_OFF: &[&str] = &["off", "on"];

pub const PARAMS: &[ParamSpec] = &[
    p(
        "policy",
        "lru",
        Kind::Choice(Policy::NAMES),
        "eviction: lru, lfu (exact counts), fifo or random",
        true,
    ),
    p(
        "capacity",
        "100",
        Kind::Int {
            min: 1,
            max: 100_000,
        },
        "entries the shared cache holds",
        false,
    ),
    p(
        "keys",
        "1000",
        Kind::Int {
            min: 1,
            max: 100_000,
        },
        "distinct keys (key #1 is the most popular)",
        false,
    ),
    p(
        "zipf_s",
        "0.8",
        Kind::Float { min: 0.0, max: 3.0 },
        "Zipf popularity exponent (0 = uniform)",
        false,
    ),
    p(
        "requests",
        "20000",
        Kind::Int {
            min: 1,
            max: 10_000_000,
        },
        "client requests in the run",
        false,
    ),
    p(
        "write_ratio",
        "0",
        Kind::Float { min: 0.0, max: 1.0 },
        "share of requests that are writes",
        true,
    ),
    p(
        "write_policy",
        "cache-aside",
        Kind::Choice(WRITE_POLICIES),
        "how reads fill and writes reach the database",
        false,
    ),
    p(
        "invalidation",
        "delete",
        Kind::Choice(INVALIDATIONS),
        "on a write: none, delete the cached copy, or rely on ttl",
        true,
    ),
    p(
        "ttl_ms",
        "0",
        Kind::Float {
            min: 0.0,
            max: 3_600_000.0,
        },
        "entries expire after this long (0 = never)",
        true,
    ),
    p(
        "ttl_jitter",
        "0",
        Kind::Float { min: 0.0, max: 1.0 },
        "random share taken off each TTL (spreads expiries)",
        true,
    ),
    p(
        "flush_ms",
        "1000",
        Kind::Float {
            min: 1.0,
            max: 600_000.0,
        },
        "write-behind: how often buffered writes go to the database",
        true,
    ),
    p(
        "crash_at_ms",
        "never",
        Kind::MsOrNever { max: 1e9 },
        "the shared cache crashes (and restarts empty) at this time",
        false,
    ),
    p(
        "clients",
        "8",
        Kind::Int { min: 1, max: 256 },
        "concurrent clients; each sends its next request when the last is answered",
        false,
    ),
    p(
        "coalesce",
        "off",
        Kind::Choice(ON_OFF),
        "on: concurrent misses for one key wait for a single database read",
        true,
    ),
    p(
        "l1",
        "0",
        Kind::Int {
            min: 0,
            max: 10_000,
        },
        "in-process cache entries per application server (0 = none)",
        false,
    ),
    p(
        "warm",
        "off",
        Kind::Choice(ON_OFF),
        "on: the shared cache starts full of the most popular keys",
        false,
    ),
];

/// How reads fill the cache and writes reach the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePolicy {
    /// The app reads the cache, on a miss reads the database and fills the cache; writes go to
    /// the database.
    CacheAside,
    /// The cache loads misses from the database itself; writes go to the database.
    ReadThrough,
    /// Reads as read-through; writes go to the cache, which writes the database before acking.
    WriteThrough,
    /// Reads as read-through; writes go to the cache, acked at once, flushed every `flush_ms`.
    WriteBehind,
}

impl WritePolicy {
    pub fn parse(s: &str) -> WritePolicy {
        match s {
            "read-through" => WritePolicy::ReadThrough,
            "write-through" => WritePolicy::WriteThrough,
            "write-behind" => WritePolicy::WriteBehind,
            _ => WritePolicy::CacheAside,
        }
    }
    /// Writes go through the cache node.
    pub fn writes_via_cache(self) -> bool {
        matches!(self, WritePolicy::WriteThrough | WritePolicy::WriteBehind)
    }
}

/// What a write does to cached copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalidation {
    None,
    Delete,
    Ttl,
}

impl Invalidation {
    pub fn parse(s: &str) -> Invalidation {
        match s {
            "none" => Invalidation::None,
            "ttl" => Invalidation::Ttl,
            _ => Invalidation::Delete,
        }
    }
}

/// The parameters, parsed.
#[derive(Clone, Debug)]
pub struct Config {
    pub policy: Policy,
    pub capacity: u32,
    pub keys: u32,
    pub requests: u64,
    pub write_ratio: f64,
    pub write: WritePolicy,
    pub inval: Invalidation,
    pub ttl_us: u64,
    pub jitter: f64,
    pub flush_us: u64,
    pub crash_at: Time,
    pub clients: u32,
    pub coalesce: bool,
    pub l1: u32,
    pub warm: bool,
}

pub fn config(p: &Params) -> Result<Config, ParamError> {
    let c = Config {
        policy: Policy::parse(p.text("policy")).unwrap_or(Policy::Lru),
        capacity: p.int("capacity") as u32,
        keys: p.int("keys") as u32,
        requests: p.int("requests") as u64,
        write_ratio: p.float("write_ratio"),
        write: WritePolicy::parse(p.text("write_policy")),
        inval: Invalidation::parse(p.text("invalidation")),
        ttl_us: Time::from_ms_f64(p.float("ttl_ms")).0,
        jitter: p.float("ttl_jitter"),
        flush_us: Time::from_ms_f64(p.float("flush_ms")).0.max(1),
        crash_at: Time::from_ms_f64(p.float("crash_at_ms")),
        clients: p.int("clients") as u32,
        coalesce: p.text("coalesce") == "on",
        l1: p.int("l1") as u32,
        warm: p.text("warm") == "on",
    };
    check_ttl(c.inval, c.ttl_us).map_err(ParamError)?;
    Ok(c)
}

pub fn check_ttl(inval: Invalidation, ttl_us: u64) -> Result<(), String> {
    if inval == Invalidation::Ttl && ttl_us == 0 {
        return Err(
            "`invalidation=ttl` relies on expiry, so it needs `ttl_ms` above 0 (e.g. ttl_ms=300)"
                .into(),
        );
    }
    Ok(())
}
