//! The static shape of a system: nodes with roles and positions, links with latency, loss and
//! duplication, stored in a petgraph undirected graph. Dynamic state (cuts, crashes, partitions)
//! lives in `network`.

use super::dist::Latency;
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use serde::Serialize;

/// A node's index in its topology (dense, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u32);

/// A link's index in its topology (dense, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LinkId(pub u32);

/// What a node is for; the view draws each role with its own shape and label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    Client,
    Router,
    LoadBalancer,
    Service,
    Cache,
    Database,
    Replica,
    Shard,
    Coordinator,
    Bus,
}

impl Role {
    /// Lower-case name, used as a CSS class and in text alternatives.
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Router => "router",
            Role::LoadBalancer => "load balancer",
            Role::Service => "service",
            Role::Cache => "cache",
            Role::Database => "database",
            Role::Replica => "replica",
            Role::Shard => "shard",
            Role::Coordinator => "coordinator",
            Role::Bus => "event bus",
        }
    }
}

/// A node: a name, a role and a position in the unit square (layout for the view).
#[derive(Clone, Debug, Serialize)]
pub struct NodeInfo {
    pub name: String,
    pub role: Role,
    pub x: f32,
    pub y: f32,
}

/// A link's properties.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LinkInfo {
    pub latency: Latency,
    /// Probability that a message crossing the link is lost.
    pub loss: f64,
    /// Probability that a message crossing the link arrives twice.
    pub duplicate: f64,
}

/// Nodes and links.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    graph: UnGraph<NodeInfo, LinkInfo>,
}

impl Topology {
    /// Add a node at (x, y) in the unit square.
    pub fn add_node(&mut self, name: impl Into<String>, role: Role, x: f32, y: f32) -> NodeId {
        NodeId(
            self.graph
                .add_node(NodeInfo {
                    name: name.into(),
                    role,
                    x,
                    y,
                })
                .index() as u32,
        )
    }

    /// Add an undirected link between two nodes.
    pub fn add_link(&mut self, a: NodeId, b: NodeId, info: LinkInfo) -> LinkId {
        LinkId(self.graph.add_edge(ni(a), ni(b), info).index() as u32)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A node's description, if it exists.
    pub fn node(&self, n: NodeId) -> Option<&NodeInfo> {
        self.graph.node_weight(ni(n))
    }

    /// A link's properties, if it exists.
    pub fn link(&self, l: LinkId) -> Option<&LinkInfo> {
        self.graph.edge_weight(ei(l))
    }

    /// A link's properties, mutable (live latency/loss changes).
    pub fn link_mut(&mut self, l: LinkId) -> Option<&mut LinkInfo> {
        self.graph.edge_weight_mut(ei(l))
    }

    /// The two ends of a link.
    pub fn endpoints(&self, l: LinkId) -> Option<(NodeId, NodeId)> {
        self.graph
            .edge_endpoints(ei(l))
            .map(|(a, b)| (id(a), id(b)))
    }

    /// The link joining two nodes directly, if any.
    pub fn link_between(&self, a: NodeId, b: NodeId) -> Option<LinkId> {
        self.graph
            .find_edge(ni(a), ni(b))
            .map(|e| LinkId(e.index() as u32))
    }

    /// All node ids in order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.graph.node_count() as u32).map(NodeId)
    }

    /// All link ids in order.
    pub fn link_ids(&self) -> impl Iterator<Item = LinkId> {
        (0..self.graph.edge_count() as u32).map(LinkId)
    }

    /// The underlying petgraph graph (read-only), for path algorithms.
    pub fn graph(&self) -> &UnGraph<NodeInfo, LinkInfo> {
        &self.graph
    }
}

pub(crate) fn ni(n: NodeId) -> NodeIndex {
    NodeIndex::new(n.0 as usize)
}
pub(crate) fn ei(l: LinkId) -> EdgeIndex {
    EdgeIndex::new(l.0 as usize)
}
pub(crate) fn id(n: NodeIndex) -> NodeId {
    NodeId(n.index() as u32)
}

/// Position of item `i` of `n` on a circle of radius `r` around the centre, starting at the top.
pub fn on_circle(i: usize, n: usize, r: f32) -> (f32, f32) {
    let a = std::f32::consts::TAU * i as f32 / n.max(1) as f32 - std::f32::consts::FRAC_PI_2;
    (0.5 + r * a.cos(), 0.5 + r * a.sin())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dist::Spread;

    #[test]
    fn builds_a_triangle() {
        let mut t = Topology::default();
        let info = LinkInfo {
            latency: Latency::ms(1.0, Spread::Const),
            loss: 0.0,
            duplicate: 0.0,
        };
        let a = t.add_node("a", Role::Client, 0.1, 0.1);
        let b = t.add_node("b", Role::Service, 0.9, 0.1);
        let c = t.add_node("c", Role::Database, 0.5, 0.9);
        let ab = t.add_link(a, b, info);
        t.add_link(b, c, info);
        assert_eq!((t.node_count(), t.link_count()), (3, 2));
        assert_eq!(t.endpoints(ab), Some((a, b)));
        assert_eq!(t.link_between(b, a), Some(ab));
        assert_eq!(t.link_between(a, c), None);
        assert_eq!(t.node(c).map(|n| n.role), Some(Role::Database));
        assert!(t.node(NodeId(9)).is_none());
        let (x, y) = on_circle(0, 4, 0.4);
        assert!((x - 0.5).abs() < 1e-6 && (y - 0.1).abs() < 1e-6);
    }
}
