//! The metrics contract: system-wide figures of the user requests, then eight figures per
//! component prefixed by its name (plus a few per kind), then two per wire.

use super::comp::{Comp, Part};
use super::keys::CompKind;
use super::model::SystemModel;
use crate::sim::engine::NetStats;
use crate::sim::metrics::Metrics;
use crate::sim::time::Time;

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// The eight contract figures of one component.
struct Eight {
    utilization: f64,
    queue_mean: f64,
    wait_mean_ms: f64,
    latency_mean_ms: f64,
    throughput: f64,
    replicas_mean: f64,
}

fn eight(c: &Comp, now: Time, secs: f64) -> Eight {
    let t = now.0 as f64;
    match &c.part {
        Part::Station(s) => {
            let st = &s.st;
            let (busy, queue, active, _) = st.areas(now);
            Eight {
                utilization: ratio(busy, st.workers as f64 * active),
                queue_mean: ratio(queue, t),
                wait_mean_ms: ratio(st.wait_us as f64, st.left_queue as f64) / 1000.0,
                latency_mean_ms: ratio(st.sojourn_us as f64, st.served as f64) / 1000.0,
                throughput: ratio(st.served as f64, secs),
                replicas_mean: if t > 0.0 {
                    active / t
                } else {
                    st.active() as f64
                },
            }
        }
        Part::Queue(b) => {
            let dt = now.since(b.last) as f64;
            let depth = b.depth_area + b.items.len() as f64 * dt;
            let busy = b.busy_area + b.in_flight as f64 * dt;
            let wait = ratio(b.wait_us as f64, b.drained as f64) / 1000.0;
            Eight {
                utilization: ratio(busy, b.consumers as f64 * t),
                queue_mean: ratio(depth, t),
                wait_mean_ms: wait,
                latency_mean_ms: wait,
                throughput: ratio(b.drained as f64, secs),
                replicas_mean: 1.0,
            }
        }
        _ => Eight {
            utilization: 0.0,
            queue_mean: 0.0,
            wait_mean_ms: 0.0,
            latency_mean_ms: 0.0,
            throughput: ratio(c.answered as f64, secs),
            replicas_mean: 1.0,
        },
    }
}

impl SystemModel {
    fn system_metrics(&self, now: Time, m: &mut Metrics) {
        let s = &self.stats;
        let secs = now.min(self.stop).as_ms() / 1000.0;
        let finished = s.good + s.late + s.timeouts + s.rejected + s.errors;
        let attempts: u64 = self
            .comps
            .iter()
            .filter(|c| c.kind == CompKind::Clients)
            .map(|c| c.caller.attempts)
            .sum();
        let ms = |us: u64| us as f64 / 1000.0;
        m.int("offered", s.offered as i64)
            .float(
                "availability",
                if finished == 0 {
                    1.0
                } else {
                    s.good as f64 / finished as f64
                },
            )
            .float("offered_rate", ratio(s.offered as f64, secs))
            .float("goodput", ratio(s.good as f64, secs))
            .float("throughput", ratio(s.replies_ok as f64, secs))
            .float("latency_mean_ms", s.latency.mean() / 1000.0)
            .float("latency_p50_ms", ms(s.latency.quantile(0.5)))
            .float("latency_p99_ms", ms(s.latency.quantile(0.99)))
            .float(
                "attempts_per_request",
                ratio(attempts as f64, s.offered as f64),
            )
            .int("timeouts", s.timeouts as i64)
            .int("rejected", s.rejected as i64)
            .int("errors", s.errors as i64)
            .int("late", s.late as i64)
            .int("degraded", s.degraded as i64)
            .int("in_flight", self.users.len() as i64);
    }

    fn comp_metrics(c: &Comp, now: Time, secs: f64, m: &mut Metrics) {
        let e = eight(c, now, secs);
        let n = &c.names;
        let open_ms = c
            .caller
            .breaker
            .as_ref()
            .map_or(0.0, |b| b.open_us(now) as f64 / 1000.0);
        m.float(n.utilization, e.utilization)
            .float(n.queue_mean, e.queue_mean)
            .float(n.wait_mean_ms, e.wait_mean_ms)
            .float(n.latency_mean_ms, e.latency_mean_ms)
            .float(n.throughput, e.throughput)
            .int(n.rejected, c.rejected as i64)
            .float(n.breaker_open_ms, open_ms)
            .float(n.replicas_mean, e.replicas_mean);
        for &(suffix, name) in &n.extra {
            let v = Self::extra(c, suffix, now);
            m.float(name, v);
        }
    }

    fn extra(c: &Comp, suffix: &str, now: Time) -> f64 {
        let k = &c.caller;
        let station = match &c.part {
            Part::Station(s) => Some(s),
            _ => None,
        };
        match suffix {
            "attempts" => k.attempts as f64,
            "sent" => k.sent as f64,
            "calls_failed" => k.calls_failed as f64,
            "call_fail_ms" => ratio(k.call_fail_us as f64, k.calls_failed as f64) / 1000.0,
            "probes" => k.breaker.as_ref().map_or(0.0, |b| b.probes as f64),
            "errors" => c.errors as f64,
            "degraded" => c.degraded as f64,
            "up_share" => station.map_or(1.0, |s| {
                let (_, _, active, up) = s.st.areas(now);
                if active > 0.0 {
                    up / active
                } else {
                    1.0
                }
            }),
            "peak_rate" => station.map_or(0.0, |s| {
                s.st.peak_per_bucket as f64 * 1e6 / super::station::PEAK_BUCKET_US as f64
            }),
            "shed" => station.map_or(0.0, |s| s.st.shed as f64),
            "hit_ratio" => station.and_then(|s| s.cache.as_ref()).map_or(0.0, |ch| {
                ratio(ch.hits as f64, (ch.hits + ch.misses) as f64)
            }),
            "stale_reads" => station
                .and_then(|s| s.db.as_ref())
                .map_or(0.0, |d| d.stale as f64),
            "depth" => match &c.part {
                Part::Queue(b) => b.items.len() as f64,
                _ => 0.0,
            },
            _ => 0.0,
        }
    }

    /// The metrics window's end, where time averages are taken (the latest change, at least
    /// the clients' stop, at most `now`), and the active window's length in seconds, which
    /// per-second figures divide by (up to the latest work, at least the clients' stop: callers
    /// waiting out deadlines after the last work do not dilute them).
    pub fn windows(&self, now: Time) -> (Time, f64) {
        let stop = self.stop.min(now);
        let end = now.min(self.last_active.max(stop));
        let active = end.min(self.last_work.max(stop));
        (end, active.as_ms() / 1000.0)
    }

    /// Every metric, system first, then per component, then per wire.
    pub fn all_metrics(&self, _net: NetStats, now: Time) -> Metrics {
        let (now, secs) = self.windows(now);
        let mut m = Metrics::default();
        self.system_metrics(now, &mut m);
        for c in &self.comps {
            Self::comp_metrics(c, now, secs, &mut m);
        }
        for (w, n) in self.wire_calls.iter().zip(&self.wire_names) {
            m.int(n.calls, w.total as i64).float(n.rate, w.recent(now));
        }
        m
    }
}
