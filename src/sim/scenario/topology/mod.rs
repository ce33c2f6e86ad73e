//! `topology`: clients send requests to one server over a small network; each message travels
//! hop by hop along the current shortest path, so cutting a link reroutes traffic or strands it,
//! and crashing a node drops what reaches it. The welcome lesson's widget.
//!
//! Files: `ledger` (where each request stands: answered, lost or in flight), `tests`.

mod ledger;

use super::{Model, ScenarioSpec, Sim};
use crate::sim::dist::{Latency, Spread};
use crate::sim::engine::{Ctx, Label, NetStats, Protocol};
use crate::sim::metrics::Metrics;
use crate::sim::network::{DropReason, Network};
use crate::sim::params::{Kind, ParamError, ParamSpec, Params, Value};
use crate::sim::snapshot::Snapshot;
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use crate::sim::topology::{on_circle, LinkInfo, NodeId, Role, Topology};
use ledger::Ledger;

const SHAPES: &[&str] = &["ring", "mesh", "star", "line"];

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "nodes",
        default: "5",
        kind: Kind::Int { min: 2, max: 50 },
        help: "nodes in the network; node 0 is the server, the rest are clients",
        live: false,
    },
    ParamSpec {
        name: "shape",
        default: "ring",
        kind: Kind::Choice(SHAPES),
        help: "how nodes are linked",
        live: false,
    },
    ParamSpec {
        name: "requests",
        default: "200",
        kind: Kind::Int {
            min: 1,
            max: 100_000_000,
        },
        help: "requests in the run",
        live: false,
    },
    ParamSpec {
        name: "rate",
        default: "10",
        kind: Kind::Float {
            min: 0.1,
            max: 10_000_000.0,
        },
        help: "requests per second (Poisson arrivals)",
        live: true,
    },
    ParamSpec {
        name: "latency_ms",
        default: "20",
        kind: Kind::Float {
            min: 0.01,
            max: 1000.0,
        },
        help: "mean one-way latency of each link",
        live: true,
    },
    ParamSpec {
        name: "latency_dist",
        default: "uniform",
        kind: Kind::Choice(Spread::NAMES),
        help: "latency spread: const, uniform (0.5x-1.5x) or exp",
        live: false,
    },
    ParamSpec {
        name: "loss",
        default: "0",
        kind: Kind::Float { min: 0.0, max: 1.0 },
        help: "probability a link loses a message",
        live: true,
    },
    ParamSpec {
        name: "duplicate",
        default: "0",
        kind: Kind::Float { min: 0.0, max: 1.0 },
        help: "probability a link delivers a message twice",
        live: true,
    },
];

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "topology",
    title: "Messages on a network",
    help: "clients send requests hop by hop to a server; cut links, crash nodes, add loss",
    params: PARAMS,
    actions: &[],
    charts: &["success_ratio", "latency_mean_ms"],
    focus: &["success_ratio", "delivered", "lost", "latency_mean_ms"],
    build,
};

/// Messages: a request and its reply carry their id and the time the request left.
#[derive(Clone, Copy, Debug)]
pub enum Msg {
    Request { id: u64, sent: Time },
    Reply { id: u64, sent: Time },
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Request { .. } => "request",
            Msg::Reply { .. } => "reply",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Msg::Request { id, .. } | Msg::Reply { id, .. } => *id,
        }
    }
}

/// The workload generator's timer: the next request arrives.
#[derive(Clone, Copy, Debug)]
pub struct Arrival;

impl Label for Arrival {
    fn label(&self) -> &'static str {
        "arrival"
    }
}

/// The model's state.
pub struct TopologyModel {
    server: NodeId,
    clients: u32,
    total: u64,
    mean_gap_us: f64,
    ledger: Ledger,
    latency: Histogram,
    served: u64,
    per_client: Vec<(u64, u64)>,
}

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    let n = p.int("nodes") as u32;
    let latency = Latency::ms(
        p.float("latency_ms"),
        Spread::parse(p.text("latency_dist")).unwrap_or(Spread::Uniform),
    );
    let info = LinkInfo {
        latency,
        loss: p.float("loss"),
        duplicate: p.float("duplicate"),
    };
    let topo = layout(n, p.text("shape"), info);
    let total = p.int("requests") as u64;
    let model = TopologyModel {
        server: NodeId(0),
        clients: n - 1,
        total,
        mean_gap_us: 1e6 / p.float("rate"),
        ledger: Ledger::default(),
        latency: Histogram::default(),
        served: 0,
        per_client: vec![(0, 0); n as usize],
    };
    Ok(Box::new(Sim::new(
        &SPEC,
        p,
        seed,
        model,
        Network::new(topo),
    )))
}

/// Build the network: node 0 is the server, the others clients, linked in the given shape.
pub fn layout(n: u32, shape: &str, info: LinkInfo) -> Topology {
    let mut t = Topology::default();
    for i in 0..n as usize {
        let (x, y) = match shape {
            "line" => (0.06 + 0.88 * i as f32 / (n - 1).max(1) as f32, 0.5),
            "star" if i == 0 => (0.5, 0.5),
            "star" => on_circle(i - 1, n as usize - 1, 0.4),
            _ => on_circle(i, n as usize, 0.4),
        };
        let (name, role) = if i == 0 {
            ("server".to_string(), Role::Service)
        } else {
            (format!("c{i}"), Role::Client)
        };
        t.add_node(name, role, x, y);
    }
    let pairs: Vec<(u32, u32)> = match shape {
        "mesh" => (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect(),
        "star" => (1..n).map(|i| (0, i)).collect(),
        "line" => (1..n).map(|i| (i - 1, i)).collect(),
        _ if n == 2 => vec![(0, 1)],
        _ => (0..n).map(|i| (i, (i + 1) % n)).collect(),
    };
    for (a, b) in pairs {
        t.add_link(NodeId(a), NodeId(b), info);
    }
    t
}

impl TopologyModel {
    fn schedule_next(&mut self, ctx: &mut Ctx<Msg, Arrival>) {
        if self.ledger.issued() < self.total {
            let gap = ctx.rng.exp(self.mean_gap_us) as u64;
            ctx.timer(None, gap, Arrival);
        }
    }
}

impl Protocol for TopologyModel {
    type Msg = Msg;
    type Timer = Arrival;

    fn start(&mut self, ctx: &mut Ctx<Msg, Arrival>) {
        self.schedule_next(ctx);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Msg, Arrival>, _at: Option<NodeId>, _t: Arrival) {
        let client = NodeId(1 + ctx.rng.below(self.clients as u64) as u32);
        let up = ctx.net.node_up(client);
        let id = self.ledger.issue(up);
        if let Some(c) = self.per_client.get_mut(client.0 as usize) {
            c.0 += 1;
        }
        if up {
            ctx.send(client, self.server, Msg::Request { id, sent: ctx.now });
        }
        self.schedule_next(ctx);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Msg, Arrival>, at: NodeId, from: NodeId, msg: Msg) {
        match msg {
            Msg::Request { id, sent } => {
                self.served += 1;
                ctx.send(at, from, Msg::Reply { id, sent });
            }
            Msg::Reply { id, sent } => {
                if !self.ledger.reply(id) {
                    return;
                }
                self.latency.record(ctx.now.since(sent));
                if let Some(c) = self.per_client.get_mut(at.0 as usize) {
                    c.1 += 1;
                }
            }
        }
    }

    fn on_drop(&mut self, _now: Time, msg: &Msg, _reason: DropReason) {
        self.ledger.dropped(msg.id());
    }

    fn on_duplicate(&mut self, msg: &Msg) {
        self.ledger.duplicated(msg.id());
    }
}

impl Model for TopologyModel {
    fn metrics(&self, net: NetStats, _now: Time) -> Metrics {
        let mut m = Metrics::default();
        let ms = |us: u64| us as f64 / 1000.0;
        let l = &self.ledger;
        m.int("sent", l.issued() as i64)
            .int("delivered", l.answered() as i64)
            .int("lost", l.lost() as i64)
            .int("in_flight", l.in_flight() as i64)
            .float("success_ratio", l.success_ratio())
            .int("dropped", net.dropped as i64)
            .int("duplicates", l.duplicates() as i64)
            .int("messages", net.sent as i64)
            .float("latency_mean_ms", self.latency.mean() / 1000.0)
            .float("latency_p50_ms", ms(self.latency.quantile(0.5)))
            .float("latency_p99_ms", ms(self.latency.quantile(0.99)))
            .float(
                "hops_per_message",
                if net.sent == 0 {
                    0.0
                } else {
                    net.hops as f64 / net.sent as f64
                },
            );
        m
    }

    fn decorate(&self, snap: &mut Snapshot) {
        for n in &mut snap.nodes {
            n.label = if n.id == self.server.0 {
                format!("served {}", self.served)
            } else {
                let (s, a) = self
                    .per_client
                    .get(n.id as usize)
                    .copied()
                    .unwrap_or((0, 0));
                format!("{a}/{s} answered")
            };
        }
    }

    fn set(&mut self, key: &str, value: &Value, net: &mut Network) -> Result<(), String> {
        let v = match value {
            Value::Float(f) => *f,
            Value::Int(i) => *i as f64,
            _ => return Err(format!("`{key}` needs a number")),
        };
        if key == "rate" {
            self.mean_gap_us = 1e6 / v.max(1e-9);
            return Ok(());
        }
        let topo = net.topology_mut();
        let links: Vec<_> = topo.link_ids().collect();
        for l in links {
            let Some(info) = topo.link_mut(l) else {
                continue;
            };
            match key {
                "latency_ms" => info.latency.mean_us = Time::from_ms_f64(v).0,
                "loss" => info.loss = v,
                "duplicate" => info.duplicate = v,
                _ => return Err(format!("`{key}` cannot change during a run")),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
