//! `topology`: clients send requests to one server over a small network; each message travels
//! hop by hop along the current shortest path, so cutting a link reroutes traffic or strands it,
//! and crashing a node drops what reaches it. The welcome lesson's widget.

use super::{Model, ScenarioSpec, Sim};
use crate::sim::dist::{Latency, Spread};
use crate::sim::engine::{Ctx, Label, NetStats, Protocol};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{Kind, ParamError, ParamSpec, Params, Value};
use crate::sim::snapshot::Snapshot;
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use crate::sim::topology::{on_circle, LinkInfo, NodeId, Role, Topology};

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
    issued: u64,
    mean_gap_us: f64,
    answered: Vec<u64>,
    replies: u64,
    duplicates: u64,
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
        issued: 0,
        mean_gap_us: 1e6 / p.float("rate"),
        answered: vec![0; total.div_ceil(64) as usize],
        replies: 0,
        duplicates: 0,
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
        if self.issued < self.total {
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
        let id = self.issued;
        self.issued += 1;
        if let Some(c) = self.per_client.get_mut(client.0 as usize) {
            c.0 += 1;
        }
        if ctx.net.node_up(client) {
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
                let (word, bit) = ((id / 64) as usize, 1u64 << (id % 64));
                let Some(w) = self.answered.get_mut(word) else {
                    return;
                };
                if *w & bit != 0 {
                    self.duplicates += 1;
                    return;
                }
                *w |= bit;
                self.replies += 1;
                self.latency.record(ctx.now.since(sent));
                if let Some(c) = self.per_client.get_mut(at.0 as usize) {
                    c.1 += 1;
                }
            }
        }
    }
}

impl Model for TopologyModel {
    fn metrics(&self, net: NetStats, _now: Time) -> Metrics {
        let mut m = Metrics::default();
        let ms = |us: u64| us as f64 / 1000.0;
        m.int("sent", self.issued as i64)
            .int("delivered", self.replies as i64)
            .int("dropped", net.dropped as i64)
            .int("unanswered", (self.issued - self.replies) as i64)
            .int("duplicates", self.duplicates as i64)
            .int("messages", net.sent as i64)
            .float(
                "success_ratio",
                if self.issued == 0 {
                    1.0
                } else {
                    self.replies as f64 / self.issued as f64
                },
            )
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
mod tests {
    use super::*;
    use crate::sim::command::Command;
    use crate::sim::scenario::create;

    fn run(pairs: &[(&str, &str)], seed: u64) -> Box<dyn super::super::Scenario> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut s = create("topology", &pairs, seed).unwrap();
        assert!(s.run_to_end(10_000_000));
        s
    }

    #[test]
    fn lossless_network_answers_everything() {
        let s = run(&[("requests", "300")], 1);
        let m = s.metrics();
        assert_eq!(m.num("sent"), Some(300.0));
        assert_eq!(m.num("delivered"), Some(300.0));
        assert_eq!(m.num("dropped"), Some(0.0));
        // ring of 5, server at 0: clients 1 and 4 are 1 hop away, 2 and 3 are 2 hops; 20 ms per hop.
        let mean = m.num("latency_mean_ms").unwrap();
        assert!((55.0..65.0).contains(&mean), "mean RTT {mean}");
    }

    #[test]
    fn loss_drops_about_the_expected_share() {
        // Each round trip crosses 2 or 3 links... per message hop loss p: P(answered) = (1-p)^(2*hops).
        let s = run(
            &[("requests", "20000"), ("loss", "0.1"), ("rate", "1000")],
            2,
        );
        let m = s.metrics();
        let expected = 0.5 * 0.9f64.powi(2) + 0.5 * 0.9f64.powi(4);
        let got = m.num("success_ratio").unwrap();
        assert!(
            (got - expected).abs() < 0.015,
            "success {got} vs {expected}"
        );
    }

    #[test]
    fn cutting_a_link_reroutes_and_crashing_the_server_drops() {
        let mut s = create("topology", &[("requests".into(), "2000".into())], 3).unwrap();
        s.run_until(Time::from_ms(20_000));
        s.apply(&Command::Cut(0)).unwrap(); // server-c1
        s.run_until(Time::from_ms(120_000));
        let before = s.metrics().num("dropped").unwrap();
        let mean_cut = s.metrics().num("latency_mean_ms").unwrap();
        assert!(
            mean_cut > 62.0,
            "rerouting should lengthen paths: {mean_cut}"
        );
        s.apply(&Command::Crash(0)).unwrap();
        s.run_to_end(u64::MAX);
        let m = s.metrics();
        assert!(m.num("dropped").unwrap() > before + 100.0);
        assert!(m.num("delivered").unwrap() < 2000.0);
        assert!(s
            .apply(&Command::Cut(99))
            .unwrap_err()
            .contains("links are numbered 0 to 4"));
        assert!(s
            .apply(&Command::Crash(7))
            .unwrap_err()
            .contains("nodes are numbered 0 to 4"));
    }

    #[test]
    fn duplicates_are_counted_once() {
        let s = run(&[("requests", "2000"), ("duplicate", "0.2")], 4);
        let m = s.metrics();
        assert_eq!(m.num("delivered"), Some(2000.0));
        assert!(m.num("duplicates").unwrap() > 100.0);
    }

    #[test]
    fn live_settings_change_behaviour_and_bad_ones_are_refused() {
        let mut s = create("topology", &[("requests".into(), "100".into())], 5).unwrap();
        s.apply(&Command::Set {
            key: "loss".into(),
            value: "1".into(),
        })
        .unwrap();
        s.run_to_end(u64::MAX);
        assert_eq!(s.metrics().num("delivered"), Some(0.0));
        let e = s
            .apply(&Command::Set {
                key: "nodes".into(),
                value: "9".into(),
            })
            .unwrap_err();
        assert!(e.contains("cannot change during a run"), "{e}");
        let e = s
            .apply(&Command::Set {
                key: "loss".into(),
                value: "3".into(),
            })
            .unwrap_err();
        assert!(e.contains("a number from 0 to 1"), "{e}");
    }

    #[test]
    fn every_shape_connects_everyone() {
        for shape in SHAPES {
            for n in [2, 3, 7] {
                let s = run(
                    &[
                        ("shape", shape),
                        ("nodes", &n.to_string()),
                        ("requests", "50"),
                    ],
                    6,
                );
                assert_eq!(s.metrics().num("delivered"), Some(50.0), "{shape} {n}");
            }
        }
    }
}
