//! What the `load-balancer` widget draws beyond the topology: per bank, each server's queue,
//! share, speed and state (alive or dead, in the balancer's rotation or not), and the p50/p99
//! of recent windows; plus node labels on the diagram. Plain data, built from the model.

use super::model::LbModel;
use crate::sim::num_fmt::Short;
use crate::sim::snapshot::{Extra, Snapshot};

/// The whole extra view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LbView {
    /// Bank A, then bank B when comparing.
    pub banks: Vec<BankView>,
    /// Arrival rate now (requests per second).
    pub rate: f64,
    /// What the servers can serve per second at their speeds (the rate at which utilisation
    /// would reach 1): a property of the configuration, shown next to the rate slider.
    pub capacity: f64,
    /// Width of a chart window in milliseconds.
    pub window_ms: f64,
}

/// One balancer and its servers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BankView {
    pub algorithm: &'static str,
    pub lb_node: u32,
    pub servers: Vec<ServerView>,
    /// (window end ms, p50 ms, p99 ms) per recent window, oldest first.
    pub history: Vec<(f64, f64, f64)>,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub completed: u64,
    pub errors: u64,
    pub dropped: u64,
}

/// One server as drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerView {
    pub node: u32,
    pub name: String,
    /// Requests at the server (in service + waiting).
    pub queue: u32,
    pub served: u64,
    pub share: f64,
    pub speed: f64,
    /// Serving (false: crashed or failed).
    pub alive: bool,
    /// In the balancer's rotation (false once a health check has failed).
    pub in_rotation: bool,
    /// Requests the balancer counts as in progress there.
    pub outstanding: u32,
}

impl ServerView {
    /// Its state in words (never colour alone).
    pub fn state(&self) -> String {
        let health = match (self.alive, self.in_rotation) {
            (true, true) => "up",
            (true, false) => "up, not yet back in rotation",
            (false, true) => "down, still in rotation",
            (false, false) => "down, removed",
        };
        if self.speed < 1.0 && self.alive {
            format!("{health}, slow ×{}", Short(self.speed))
        } else if self.speed > 1.0 && self.alive {
            format!("{health}, fast ×{}", Short(self.speed))
        } else {
            health.to_string()
        }
    }
}

/// Fill in node labels, mark failed servers down, and attach the extra view.
pub fn decorate(m: &LbModel, snap: &mut Snapshot) {
    let per = m.cfg.servers as u32 + 1;
    for n in &mut snap.nodes {
        let b = (n.id / per) as usize;
        match (m.banks.get(b), n.id % per) {
            (Some(bank), 0) => n.label = bank.balancer.algorithm.name().to_string(),
            (Some(bank), k) => {
                let i = k as usize - 1;
                let Some(s) = bank.servers.get(i) else {
                    continue;
                };
                n.up &= s.alive;
                let removed = bank.balancer.healthy.get(i) == Some(&false);
                n.label = format!("q {}{}", s.queue.len(), if removed { " · out" } else { "" });
            }
            (None, _) => {
                let c = n.id.saturating_sub(m.first_client);
                let addrs = (m.cfg.clients + m.client_nodes - 1 - c) / m.client_nodes.max(1);
                n.label = format!("{addrs} addresses");
            }
        }
    }
    snap.extra = Extra::LoadBalancer(view(m, snap));
}

fn view(m: &LbModel, snap: &Snapshot) -> LbView {
    let capacity: f64 = m.cfg.speeds.iter().sum::<f64>() * 1e6 / m.cfg.service_us.max(1e-9);
    LbView {
        banks: m.banks.iter().map(|b| bank_view(b, snap)).collect(),
        rate: 1e6 / m.cfg.mean_gap_us.max(1e-9),
        capacity,
        window_ms: super::bank::WINDOW_US as f64 / 1000.0,
    }
}

fn bank_view(bank: &super::bank::Bank, snap: &Snapshot) -> BankView {
    let share = bank.share();
    let ms = |us: u64| us as f64 / 1000.0;
    BankView {
        algorithm: bank.balancer.algorithm.name(),
        lb_node: bank.lb,
        servers: bank
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let node = bank.server_node(i);
                ServerView {
                    node,
                    name: snap
                        .node(node)
                        .map_or_else(|| format!("s{}", i + 1), |n| n.name.clone()),
                    queue: s.queue.len() as u32,
                    served: s.served,
                    share: share.get(i).copied().unwrap_or(0.0),
                    speed: s.speed,
                    alive: s.alive && snap.node(node).is_none_or(|n| n.up),
                    in_rotation: bank.balancer.healthy.get(i) == Some(&true),
                    outstanding: bank.balancer.outstanding.get(i).copied().unwrap_or(0),
                }
            })
            .collect(),
        history: bank.history.iter().copied().collect(),
        mean_ms: bank.latency.mean() / 1000.0,
        p50_ms: ms(bank.latency.quantile(0.5)),
        p99_ms: ms(bank.latency.quantile(0.99)),
        completed: bank.out.completed,
        errors: bank.out.errors,
        dropped: bank.out.dropped,
    }
}
