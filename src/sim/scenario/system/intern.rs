//! Per-component metric names (`api.utilization`, ...). `Metrics` names are `&'static str`, so a
//! design's names are interned: each distinct name is leaked once and reused by every later run
//! of any design that uses it. The table is bounded: past `MAX_NAMES` names (only hostile
//! input gets there) new names share one placeholder per metric instead of growing it.

use super::keys::CompKind;
use std::cell::RefCell;

/// Most distinct names ever interned in one process.
pub const MAX_NAMES: usize = 20_000;

thread_local! {
    /// Sorted, so a lookup is a binary search (a `BTreeSet` would cost about 5 KB of wasm).
    static NAMES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// The interned copy of `s` (or `fallback` once the table is full).
pub fn intern(s: &str, fallback: &'static str) -> &'static str {
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        match n.binary_search(&s) {
            Ok(i) => n.get(i).copied().unwrap_or(fallback),
            Err(_) if n.len() >= MAX_NAMES => fallback,
            Err(i) => {
                let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
                n.insert(i, leaked);
                leaked
            }
        }
    })
}

/// The metric names of one component.
#[derive(Clone, Debug, PartialEq)]
pub struct Names {
    pub utilization: &'static str,
    pub queue_mean: &'static str,
    pub wait_mean_ms: &'static str,
    pub latency_mean_ms: &'static str,
    pub throughput: &'static str,
    pub rejected: &'static str,
    pub breaker_open_ms: &'static str,
    pub replicas_mean: &'static str,
    /// Kind-specific extras, (suffix, full name).
    pub extra: Vec<(&'static str, &'static str)>,
}

/// Extra metrics per kind (beyond the contract's eight).
fn extras(kind: CompKind) -> &'static [&'static str] {
    match kind {
        CompKind::Clients => &["attempts", "calls_failed", "call_fail_ms"],
        CompKind::Service => &[
            "up_share",
            "peak_rate",
            "shed",
            "errors",
            "sent",
            "calls_failed",
            "call_fail_ms",
            "probes",
            "degraded",
        ],
        CompKind::Cache => &["hit_ratio", "up_share", "peak_rate", "errors"],
        CompKind::Database => &["stale_reads", "up_share", "peak_rate", "errors"],
        CompKind::Queue => &["depth", "errors"],
        CompKind::Balancer | CompKind::Limiter => &["errors"],
    }
}

impl Names {
    /// Names for component `name` of `kind`.
    pub fn new(name: &str, kind: CompKind) -> Names {
        let n = |suffix: &'static str, fallback: &'static str| {
            intern(&format!("{name}.{suffix}"), fallback)
        };
        Names {
            utilization: n("utilization", "component.utilization"),
            queue_mean: n("queue_mean", "component.queue_mean"),
            wait_mean_ms: n("wait_mean_ms", "component.wait_mean_ms"),
            latency_mean_ms: n("latency_mean_ms", "component.latency_mean_ms"),
            throughput: n("throughput", "component.throughput"),
            rejected: n("rejected", "component.rejected"),
            breaker_open_ms: n("breaker_open_ms", "component.breaker_open_ms"),
            replicas_mean: n("replicas_mean", "component.replicas_mean"),
            extra: extras(kind)
                .iter()
                .map(|s| (*s, n(s, "component.other")))
                .collect(),
        }
    }

    /// The full name of an extra metric.
    pub fn extra(&self, suffix: &str) -> &'static str {
        self.extra
            .iter()
            .find(|(s, _)| *s == suffix)
            .map_or("component.other", |(_, n)| *n)
    }
}
