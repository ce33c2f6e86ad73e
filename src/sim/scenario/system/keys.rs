//! The component kinds of a design and every key each kind takes: name, default, valid values
//! and meaning, as `ParamSpec` tables, so a component's keys are checked by the same code (and
//! with the same error sentences) as every scenario parameter, and `sandbox list` and the README
//! document them from one place.

use crate::sim::params::{param, Kind, ParamSpec};
use crate::sim::scenario::load_balancer::config::ALGORITHMS;
use crate::sim::topology::Role;

/// What a component is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    Clients,
    Balancer,
    Service,
    Cache,
    Database,
    Queue,
    Limiter,
}

/// Every kind, in the order `sandbox list` documents them.
pub const KINDS: &[CompKind] = &[
    CompKind::Clients,
    CompKind::Balancer,
    CompKind::Service,
    CompKind::Cache,
    CompKind::Database,
    CompKind::Queue,
    CompKind::Limiter,
];

/// The spellings of `KINDS`, joined, for error messages.
pub const KIND_NAMES: &str = "clients, balancer, service, cache, database, queue, limiter";

/// A key's help: for `sandbox list` and the README only, so the wasm (which never shows it)
/// does not carry the text.
const fn h(text: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        text
    }
}

const MS: Kind = Kind::Float {
    min: 0.0,
    max: 3_600_000.0,
};
const MS_POS: Kind = Kind::Float {
    min: 0.001,
    max: 3_600_000.0,
};
const SHARE: Kind = Kind::Float { min: 0.0, max: 1.0 };
const ON_OFF: Kind = Kind::Choice(&["off", "on"]);
const DIST: Kind = Kind::Choice(&["exp", "const", "lognormal"]);
const QUEUE: Kind = Kind::Text {
    hint: "unbounded, or a whole number of waiting places per replica from 0 to 100000",
    long: false,
};
const BUDGET: Kind = Kind::Text {
    hint: "none, or the largest share of extra attempts from 0 to 10 (0.1: at most 10% retries)",
    long: false,
};

/// Retry policies, in the order of `retry::Policy`'s variants.
pub const RETRIES: &[&str] = &[
    "none",
    "immediate",
    "exponential",
    "full-jitter",
    "equal-jitter",
    "decorrelated-jitter",
];

#[rustfmt::skip]
const RETRY: [ParamSpec; 5] = [
    param("retry", "none", Kind::Choice(RETRIES), h("retry policy for failed calls: none, at once, exponential backoff, or backoff with full, equal or decorrelated jitter"), false),
    param("attempts", "3", Kind::Int { min: 1, max: 10 }, h("most attempts per call, the first included (with a retry policy)"), false),
    param("backoff_ms", "100", MS, h("backoff base: the first retry's delay before jitter"), false),
    param("backoff_cap_ms", "10000", MS, h("longest backoff"), false),
    param("budget", "none", BUDGET, h("retry budget: retries stay below this share of first attempts"), false),
];

#[rustfmt::skip]
const CLIENTS: &[ParamSpec] = &[
    param("rate", "100", Kind::Float { min: 0.0, max: 1_000_000.0, }, h("user requests per second (Poisson arrivals)"), false),
    param("deadline_ms", "1000", MS_POS, h("each user request's deadline: an answer after it is a failure"), false),
    param("timeout_ms", "0", MS, h("how long one attempt waits for its answer (0: until the deadline)"), false),
    RETRY[0],
    RETRY[1],
    RETRY[2],
    RETRY[3],
    RETRY[4],
    param("spike_rate", "0", Kind::Float { min: 0.0, max: 1_000_000.0, }, h("rate during the spike (0: no spike)"), false),
    param("spike_from_ms", "0", MS, h("spike start"), false),
    param("spike_to_ms", "0", MS, h("spike end"), false),
];

#[rustfmt::skip]
const BALANCER: &[ParamSpec] = &[
    param("algorithm", "round-robin", Kind::Choice(ALGORITHMS), h("how a replica is picked (the load-balancer widget's algorithms)"), false),
    param("health_ms", "500", MS_POS, h("health-check period: a replica that is down leaves rotation at the next check"), false),
];

/// Keys of services, caches and databases: the queueing station.
#[rustfmt::skip]
const STATION: [ParamSpec; 7] = [
    param("workers", "1", Kind::Int { min: 1, max: 1024 }, h("requests served at once, per replica"), false),
    param("service_ms", "10", MS, h("mean service time"), false),
    param("dist", "exp", DIST, h("service-time distribution"), false),
    param("cv", "1", Kind::Float { min: 0.1, max: 10.0, }, h("lognormal's coefficient of variation"), false),
    param("queue", "unbounded", QUEUE, h("waiting room per replica; a request finding it full is rejected"), false),
    param("mtbf_ms", "never", Kind::MsOrNever { max: 1e9 }, h("mean time between random crashes, per replica"), false),
    param("mttr_ms", "1000", MS_POS, h("mean time to repair after a random crash"), false),
];

/// Keys of components that call downstream with their own policy (services).
#[rustfmt::skip]
const CALLER: [ParamSpec; 8] = [
    param("timeout_ms", "0", MS, h("timeout of each downstream call (0: the request's deadline)"), false),
    RETRY[0],
    RETRY[1],
    RETRY[2],
    RETRY[3],
    RETRY[4],
    param("bulkhead", "0", Kind::Int { min: 0, max: 100_000, }, h("bulkhead: most calls in flight to each downstream component (0: no limit); more fail at once"), false),
    param("breaker", "off", ON_OFF, h("circuit breaker on downstream calls"), false),
];

#[rustfmt::skip]
const SERVICE: &[ParamSpec] = &[
    param("replicas", "1", Kind::Int { min: 1, max: 64 }, h("replicas, each with its own workers and waiting room"), false),
    STATION[0],
    STATION[1],
    STATION[2],
    STATION[3],
    STATION[4],
    CALLER[0],
    CALLER[1],
    CALLER[2],
    CALLER[3],
    CALLER[4],
    CALLER[5],
    CALLER[6],
    CALLER[7],
    param("breaker_min", "20", Kind::Int { min: 1, max: 100_000, }, h("calls in the window before the breaker may open"), false),
    param("breaker_errors", "0.5", SHARE, h("failed share of the window's calls that opens the breaker"), false),
    param("breaker_window_ms", "1000", MS_POS, h("the breaker's window of recent calls"), false),
    param("breaker_open_ms", "5000", MS_POS, h("how long the breaker stays open before a probe"), false),
    param("shed", "none", Kind::Choice(&["none", "lifo", "deadline"]), h("load shedding: none (FIFO), newest first, or drop requests already past their deadline"), false),
    param("fallback", "off", ON_OFF, h("answer degraded (e.g. stale) when a downstream call fails"), false),
    param("autoscale", "off", ON_OFF, h("add and remove replicas to hold utilisation near the target"), false),
    param("target", "0.6", Kind::Float { min: 0.05, max: 1.0, }, h("autoscaling's target utilisation"), false),
    param("min_replicas", "1", Kind::Int { min: 1, max: 64 }, h("autoscaling's fewest replicas"), false),
    param("max_replicas", "10", Kind::Int { min: 1, max: 64 }, h("autoscaling's most replicas"), false),
    param("startup_ms", "10000", MS, h("how long a new replica takes to start"), false),
    param("scale_ms", "1000", MS_POS, h("how often the autoscaler looks"), false),
    STATION[5],
    STATION[6],
    param("fail", "0", SHARE, h("share of requests that fail after service"), false),
];

#[rustfmt::skip]
const CACHE: &[ParamSpec] = &[
    param("workers", "16", Kind::Int { min: 1, max: 1024 }, h("lookups at once"), false),
    param("service_ms", "1", MS, h("mean lookup time (a hit answers after it)"), false),
    STATION[2],
    STATION[3],
    STATION[4],
    param("capacity", "1000", Kind::Int { min: 1, max: 1_000_000, }, h("keys the cache holds (least recently used out first)"), false),
    param("keys", "10000", Kind::Int { min: 1, max: 1_000_000, }, h("distinct keys requested"), false),
    param("zipf", "1", Kind::Float { min: 0.0, max: 3.0 }, h("Zipf exponent of key popularity (0: uniform)"), false),
    param("ttl_ms", "never", Kind::MsOrNever { max: 1e9 }, h("time to live of a cached key"), false),
    CALLER[0],
    STATION[5],
    STATION[6],
];

#[rustfmt::skip]
const DATABASE: &[ParamSpec] = &[
    param("workers", "8", Kind::Int { min: 1, max: 1024 }, h("queries at once, per node"), false),
    param("service_ms", "5", MS, h("mean query time"), false),
    STATION[2],
    STATION[3],
    STATION[4],
    param("read_replicas", "0", Kind::Int { min: 0, max: 16 }, h("read replicas beside the primary (reads go to the least busy node)"), false),
    param("writes", "0.1", SHARE, h("share of queries that are writes (primary only)"), false),
    param("lag_ms", "100", MS, h("replication lag: a replica read of a key written more recently is stale"), false),
    param("keys", "1000", Kind::Int { min: 1, max: 1_000_000, }, h("distinct keys, for staleness"), false),
    STATION[5],
    STATION[6],
    param("fail", "0", SHARE, h("share of queries that fail after service"), false),
];

#[rustfmt::skip]
const QUEUE_KEYS: &[ParamSpec] = &[
    param("max_depth", "10000", Kind::Int { min: 1, max: 1_000_000, }, h("most messages waiting"), false),
    param("full", "reject", Kind::Choice(&["reject", "block"]), h("when full: reject the caller, or hold its answer until there is room (backpressure)"), false),
    param("consumers", "4", Kind::Int { min: 1, max: 1024 }, h("messages handed downstream at once"), false),
];

#[rustfmt::skip]
const LIMITER: &[ParamSpec] = &[
    param("rate", "100", Kind::Float { min: 0.001, max: 1_000_000.0, }, h("token bucket refill, requests per second"), false),
    param("burst", "10", Kind::Float { min: 1.0, max: 1_000_000.0, }, h("bucket size"), false),
];

impl CompKind {
    /// Parse a kind word.
    pub fn parse(s: &str) -> Option<CompKind> {
        KINDS.iter().copied().find(|k| k.name() == s)
    }

    /// The kind's word in design text.
    pub fn name(self) -> &'static str {
        match self {
            CompKind::Clients => "clients",
            CompKind::Balancer => "balancer",
            CompKind::Service => "service",
            CompKind::Cache => "cache",
            CompKind::Database => "database",
            CompKind::Queue => "queue",
            CompKind::Limiter => "limiter",
        }
    }

    /// Every key the kind takes.
    pub fn keys(self) -> &'static [ParamSpec] {
        match self {
            CompKind::Clients => CLIENTS,
            CompKind::Balancer => BALANCER,
            CompKind::Service => SERVICE,
            CompKind::Cache => CACHE,
            CompKind::Database => DATABASE,
            CompKind::Queue => QUEUE_KEYS,
            CompKind::Limiter => LIMITER,
        }
    }

    /// How the view draws it.
    pub fn role(self) -> Role {
        match self {
            CompKind::Clients => Role::Client,
            CompKind::Balancer => Role::LoadBalancer,
            CompKind::Service => Role::Service,
            CompKind::Cache => Role::Cache,
            CompKind::Database => Role::Database,
            CompKind::Queue => Role::Bus,
            CompKind::Limiter => Role::Router,
        }
    }

    /// What it does, one sentence.
    pub fn help(self) -> &'static str {
        match self {
            CompKind::Clients => "users sending requests with deadlines and a retry policy to their downstream",
            CompKind::Balancer => "spreads calls over the replicas of its downstream components",
            CompKind::Service => "replicas of workers with waiting rooms; after service it calls every downstream component and answers when all have answered",
            CompKind::Cache => "answers hits itself; a miss is fetched from its one downstream and kept",
            CompKind::Database => "a primary and read replicas of workers with waiting rooms; calls nothing",
            CompKind::Queue => "a broker: answers the caller on enqueue; its consumers hand messages to its one downstream",
            CompKind::Limiter => "token bucket: passes calls to its one downstream while tokens last, rejects the rest",
        }
    }

    /// Has waiting rooms and workers (can be slowed, made to fail, crash at random).
    pub fn is_station(self) -> bool {
        matches!(
            self,
            CompKind::Service | CompKind::Cache | CompKind::Database
        )
    }

    /// How many downstream wires it takes: (fewest, most).
    pub fn fan_out(self) -> (usize, usize) {
        match self {
            CompKind::Clients | CompKind::Balancer => (1, 32),
            CompKind::Service => (0, 32),
            CompKind::Cache | CompKind::Queue | CompKind::Limiter => (1, 1),
            CompKind::Database => (0, 0),
        }
    }
}

/// The documentation of every kind and key, as `sandbox list` prints it.
pub fn document() -> String {
    let mut out = String::from("  design text: one statement per line (or separated by `;`):\n");
    out += "    NAME: KIND key=value ...   a component; A -> B -> C   wires (calls flow along them);\n";
    out += "    link_ms=N                  latency of every wire (default 1, 0 allowed);\n";
    out += "    at MS: crash|restart NAME, slow NAME K, fail NAME SHARE, cut|heal A B   timed faults;\n";
    out += "    # ...                      a comment\n";
    out += "  interventions: crash:N, restart:N (N: the component's place among the declarations, from 0),\n";
    out += "    cut:K, heal:K (K: the wire's place among the wires, from 0), do:slow:NAME:FACTOR, do:fail:NAME:SHARE,\n    do:spike:NAME:FACTOR:MS (clients NAME send FACTOR times their rate for MS from now)\n";
    for k in KINDS {
        out += &format!("  kind {}: {}\n", k.name(), k.help());
        for p in k.keys() {
            out += &format!(
                "      {:<18} default {:<11} {}; {}\n",
                p.name,
                p.default,
                p.valid(),
                p.help
            );
        }
    }
    out
}
