//! `load-balancer`: clients send requests (Poisson arrivals) through a load balancer to servers
//! with FIFO queues and random service times. The reader switches the balancing algorithm, kills
//! a server (the health checks notice), slows one down, pushes the arrival rate towards
//! saturation, and can run a second balancer on the very same requests to compare (lockstep).
//!
//! Node layout (ids): bank A's balancer is node 0 and its servers s1..sN are nodes 1..N; with
//! `compare`, bank B's balancer is node N+1 and its servers follow; then up to three client nodes.

mod balancer;
mod bank;
pub mod config;
mod fixup;
mod model;
mod msg;
mod view;

pub use bank::{Req, WINDOWS_KEPT, WINDOW_US};
pub use fixup::fixup;
pub use model::{Msg, Timer, ARRIVALS, BALANCER};
pub use view::{BankView, LbView, ServerView};

use super::{Model, ScenarioSpec, Sim};
use crate::sim::dist::{Latency, Spread};
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{ParamError, Params, Value};
use crate::sim::rng::SimRng;
use crate::sim::snapshot::Snapshot;
use crate::sim::time::Time;
use crate::sim::topology::{LinkInfo, Role, Topology};
use balancer::Balancer;
use bank::Bank;
use config::{Algorithm, Config};
use model::LbModel;

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "load-balancer",
    title: "Load balancing and tail latency",
    help: "a load balancer spreads Poisson arrivals over servers with queues; switch algorithms, kill or slow a server, compare two algorithms on the same requests",
    params: config::PARAMS,
    actions: &[
        ("set:speeds=0.25", "Make s1 slow (¼ speed)"),
        ("set:speeds=1", "All servers at full speed"),
        ("do:kill", "Kill s1 (every bank)"),
        ("do:revive", "Restart dead servers"),
    ],
    charts: &["recent_p99_ms", "errors"],
    focus: &["latency_p99_ms", "latency_mean_ms", "errors", "max_queue"],
    build,
};

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    let cfg = Config::from_params(p)?;
    let algos: Vec<Algorithm> = std::iter::once(cfg.algorithm).chain(cfg.compare).collect();
    let per = cfg.servers as u32 + 1;
    let banks: Vec<Bank> = algos
        .iter()
        .enumerate()
        .map(|(b, &a)| {
            let rng = SimRng::derive(seed, BALANCER + b as u64);
            Bank::new(
                b as u32 * per,
                Balancer::new(a, &cfg.speeds, rng),
                &cfg.speeds,
                cfg.clients,
            )
        })
        .collect();
    let topo = layout(&cfg, banks.len());
    let first_client = banks.len() as u32 * per;
    let model = LbModel::new(cfg, banks, seed, first_client);
    Ok(Box::new(Sim::new(
        &SPEC,
        p,
        seed,
        model,
        Network::new(topo),
    )))
}

/// Vertical position of item `k` of `n` spread over [lo, hi].
fn spread(k: usize, n: usize, lo: f32, hi: f32) -> f32 {
    if n <= 1 {
        (lo + hi) / 2.0
    } else {
        lo + (hi - lo) * k as f32 / (n - 1) as f32
    }
}

/// Clients on the left, each bank's balancer in the middle, its servers on the right (zig-zag
/// over two columns when one would be too crowded); with two banks, bank A on top and bank B below.
fn layout(cfg: &Config, banks: usize) -> Topology {
    let mut t = Topology::default();
    let link = LinkInfo {
        latency: Latency::ms(cfg.link_ms, Spread::Const),
        loss: 0.0,
        duplicate: 0.0,
    };
    let n = cfg.servers;
    let mut lbs = Vec::new();
    for b in 0..banks {
        let (lo, hi) = if banks == 1 {
            (0.08, 0.92)
        } else {
            (0.05 + 0.5 * b as f32, 0.45 + 0.5 * b as f32)
        };
        let (lb_name, prefix) = match (banks, b) {
            (1, _) => ("lb".to_string(), String::new()),
            (_, 0) => ("lb A".to_string(), "A:".to_string()),
            _ => ("lb B".to_string(), "B:".to_string()),
        };
        let lb = t.add_node(lb_name, Role::LoadBalancer, 0.42, (lo + hi) / 2.0);
        // Too close to stack in one column: zig-zag over two.
        let zigzag = n > 1 && (hi - lo) / ((n - 1) as f32) < 0.2;
        for i in 0..n {
            let x = match (zigzag, i % 2) {
                (false, _) => 0.82,
                (true, 0) => 0.72,
                (true, _) => 0.92,
            };
            let s = t.add_node(
                format!("{prefix}s{}", i + 1),
                Role::Service,
                x,
                spread(i, n, lo, hi),
            );
            t.add_link(lb, s, link);
        }
        lbs.push(lb);
    }
    let k = cfg.clients.min(3) as usize;
    for c in 0..k {
        let node = t.add_node(
            format!("c{}", c + 1),
            Role::Client,
            0.08,
            spread(c, k, 0.2, 0.8),
        );
        for &lb in &lbs {
            t.add_link(node, lb, link);
        }
    }
    t
}

/// Metric names of a bank's headline figures; bank B's carry the `compare_` prefix.
const NAMES: [[&str; 11]; 2] = [
    [
        "latency_mean_ms",
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "dropped",
        "errors",
        "max_queue",
        "utilization",
        "share",
        "recent_p99_ms",
        "completed",
    ],
    [
        "compare_latency_mean_ms",
        "compare_latency_p50_ms",
        "compare_latency_p95_ms",
        "compare_latency_p99_ms",
        "compare_dropped",
        "compare_errors",
        "compare_max_queue",
        "compare_utilization",
        "compare_share",
        "compare_recent_p99_ms",
        "compare_completed",
    ],
];

fn bank_metrics(m: &mut Metrics, names: &[&'static str; 11], bank: &Bank, now: Time) {
    let ms = |us: u64| us as f64 / 1000.0;
    let h = &bank.latency;
    let [mean, p50, p95, p99, dropped, errors, max_queue, util, share, recent, completed] = *names;
    m.float(mean, h.mean() / 1000.0)
        .float(p50, ms(h.quantile(0.5)))
        .float(p95, ms(h.quantile(0.95)))
        .float(p99, ms(h.quantile(0.99)))
        .int(dropped, bank.out.dropped as i64)
        .int(errors, bank.out.errors as i64)
        .int(max_queue, bank.max_queue as i64)
        .float(util, bank.utilization(now))
        .list(share, "s", bank.share())
        .float(recent, bank.history.back().map_or(0.0, |w| w.2))
        .int(completed, bank.out.completed as i64);
}

impl Model for LbModel {
    fn metrics(&self, _net: NetStats, now: Time) -> Metrics {
        let mut m = Metrics::default();
        if let Some(a) = self.banks.first() {
            bank_metrics(&mut m, &NAMES[0], a, now);
            m.int("sent", self.issued as i64)
                .int("rejected", a.out.rejected as i64)
                .int("lost", a.out.lost as i64)
                .float("last_error_ms", a.last_error.map_or(0.0, Time::as_ms))
                .float("recent_p50_ms", a.history.back().map_or(0.0, |w| w.1))
                .int("clients_on_several_servers", a.moved_clients as i64);
        }
        if let Some(b) = self.banks.get(1) {
            bank_metrics(&mut m, &NAMES[1], b, now);
        }
        m
    }

    fn decorate(&self, snap: &mut Snapshot) {
        view::decorate(self, snap);
    }

    fn set(&mut self, key: &str, value: &Value, _net: &mut Network) -> Result<(), String> {
        match (key, value) {
            ("algorithm", Value::Word(w)) => {
                let a = Algorithm::parse(w).ok_or_else(|| format!("unknown algorithm `{w}`"))?;
                if let Some(bank) = self.banks.first_mut() {
                    bank.balancer.set_algorithm(a);
                }
                self.cfg.algorithm = a;
            }
            ("speeds", Value::Text(t)) => {
                self.set_speeds(config::parse_speeds(t, self.cfg.servers)?)
            }
            ("rate", _) => self.cfg.mean_gap_us = config::gap_us(number(value)),
            ("queue_limit", _) => self.cfg.queue_limit = number(value).max(0.0) as usize,
            ("health_check_ms", _) => self.cfg.check_us = Time::from_ms_f64(number(value)).0.max(1),
            _ => {
                return Err(format!(
                    "`{key}` cannot change during a run; reset with the new value"
                ))
            }
        }
        Ok(())
    }

    fn action(&mut self, name: &str, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        match name {
            "kill" => self.kill_everywhere(0, ctx.now),
            "revive" => self.revive_all(ctx),
            _ => {
                return Err(format!(
                    "this scenario has no action `{}`; valid: kill, revive",
                    crate::sim::params::shorten(name)
                ))
            }
        }
        Ok(())
    }
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

impl LbModel {
    fn set_speeds(&mut self, speeds: Vec<f64>) {
        for bank in &mut self.banks {
            for (s, &v) in bank.servers.iter_mut().zip(&speeds) {
                s.speed = v;
            }
            bank.balancer.set_weights(&speeds);
        }
        self.cfg.speeds = speeds;
    }
}

#[cfg(test)]
mod tests;
