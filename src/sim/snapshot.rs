//! Plain-data pictures of a running scenario: what the UI draws. The UI never reaches into a
//! scenario; it reads these and sends commands.

use super::metrics::Metrics;
use super::time::Time;
use super::topology::Role;

/// Everything a widget shows at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub now: Time,
    pub done: bool,
    pub events: u64,
    /// Changes to links, nodes and partitions so far: equal versions mean equal `links`.
    pub net_version: u64,
    pub nodes: Vec<NodeView>,
    /// Shared with the engine's cache: unchanged links cost nothing to snapshot.
    pub links: std::rc::Rc<[LinkView]>,
    pub flights: Vec<Flight>,
    pub metrics: Metrics,
    /// The latest trace lines, oldest first.
    pub recent: Vec<String>,
    /// Figures a scenario draws on links (e.g. a wire's request rate); empty for most.
    pub link_notes: Vec<LinkNote>,
    /// What this scenario shows beyond the topology (timeline, ring, cache slots, ...).
    pub extra: Extra,
}

/// Scenario-specific views. A new widget adds one variant (its view struct lives in its scenario
/// module) and one match arm in `ui::panels`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Extra {
    /// Nothing beyond the topology.
    #[default]
    None,
    /// `load-balancer`: server queues, shares and states, p50/p99 over time, per bank.
    LoadBalancer(super::scenario::load_balancer::LbView),
    /// Replica versions, the operation timeline and the linearizability verdict.
    Replication(Box<super::scenario::replication::ReplicationView>),
    /// The sharding widget: ring, ranges, keys, per-shard load, moved keys.
    Sharding(Box<super::scenario::sharding::view::ShardingView>),
    /// The cache widget: slots, database load, latest evictions.
    Cache(super::scenario::cache::view::CacheView),
    /// The saga widget: services' data, invariants, sequence diagrams of recent orders.
    Saga(Box<super::scenario::saga::SagaView>),
    /// The system widget: per component, busy workers, waiting requests, replicas, state.
    System(Box<super::scenario::system::SystemView>),
}

/// A node as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: u32,
    pub name: String,
    pub role: Role,
    /// Position in the unit square.
    pub x: f32,
    pub y: f32,
    pub up: bool,
    /// Partition side (0 when not partitioned).
    pub group: u16,
    /// Scenario-specific state, one short line (e.g. "served 12"): in full, for the table view,
    /// the inspector and the node's accessible name.
    pub label: String,
    /// What a scenario adds to the node's drawing (nothing by default).
    pub marks: NodeMarks,
}

/// What a scenario adds to a node's drawing; all empty by default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeMarks {
    /// The state line as drawn, shorter than `label` (empty: `label` is drawn).
    pub short: String,
    /// Share of its workers busy now (0 to 1), drawn as a small bar in the box.
    pub load: Option<f32>,
    /// Its replicas, drawn as pips under the box (empty: none drawn).
    pub replicas: Vec<ReplicaMark>,
    /// A few words over the box (e.g. "breaker open"); empty: none.
    pub badge: String,
}

/// One replica as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaMark {
    Up,
    /// Crashed (not yet repaired).
    Down,
    /// Being started (autoscaling).
    Starting,
}

/// A figure drawn on a link, with its full sentence (the drawing's `<title>`).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkNote {
    pub link: u32,
    pub text: String,
    pub title: String,
}

/// A link as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    pub id: u32,
    pub a: u32,
    pub b: u32,
    /// Cut by the reader.
    pub cut: bool,
    /// Carrying traffic (not cut, both ends up, same partition side).
    pub up: bool,
    pub latency_ms: f64,
    pub loss: f64,
}

impl LinkView {
    /// Its state in one word: `cut` (by the reader), `up`, or `blocked` (an end down, or the
    /// two ends on different sides of a partition).
    pub fn state(&self) -> &'static str {
        if self.cut {
            "cut"
        } else if self.up {
            "up"
        } else {
            "blocked"
        }
    }
}

/// A message on a link right now.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub from: u32,
    pub to: u32,
    /// 0 at departure, 1 at arrival.
    pub progress: f32,
    pub label: &'static str,
    pub id: u64,
}

impl Snapshot {
    /// A node by id.
    pub fn node(&self, id: u32) -> Option<&NodeView> {
        self.nodes.get(id as usize).filter(|n| n.id == id)
    }
}

/// The replicas in words: "3 replicas: 2 up, 1 down" (`all`), or only what is not up ("1
/// down, 1 starting"; empty when all are up).
pub fn replica_words(pips: &[ReplicaMark], all: bool) -> String {
    let count = |m: ReplicaMark| pips.iter().filter(|p| **p == m).count();
    let (up, down, starting) = (
        count(ReplicaMark::Up),
        count(ReplicaMark::Down),
        count(ReplicaMark::Starting),
    );
    let mut parts = Vec::new();
    if all {
        parts.push(format!("{up} up"));
    }
    if down > 0 {
        parts.push(format!("{down} down"));
    }
    if starting > 0 {
        parts.push(format!("{starting} starting"));
    }
    let text = parts.join(", ");
    if all {
        let n = up + down;
        format!("{n} replica{}: {text}", if n == 1 { "" } else { "s" })
    } else {
        text
    }
}
