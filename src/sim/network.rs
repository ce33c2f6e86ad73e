//! The network's live state over a topology: cut links, crashed nodes, partitions, and the
//! shortest-path routes (petgraph Dijkstra over the links that are up) messages follow hop by hop.

use super::rng::SimRng;
use super::topology::{ei, id, ni, LinkId, NodeId, Topology};
use petgraph::algo::dijkstra;
use petgraph::visit::{EdgeFiltered, EdgeRef};

/// What happened to a message crossing one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hop {
    /// It arrives after this many microseconds (and a second copy too, if `duplicate`).
    Arrive { delay_us: u64, duplicate: bool },
    /// The link lost it.
    Lost,
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Random loss on a link.
    Loss,
    /// The link was cut (or partitioned) while the message was on it.
    Cut,
    /// No path to the destination over the links that are up.
    NoRoute,
    /// The node it reached is down.
    Crashed,
}

impl DropReason {
    /// Plain-English reason, for the trace.
    pub fn text(self) -> &'static str {
        match self {
            DropReason::Loss => "lost on the link",
            DropReason::Cut => "link cut while in flight",
            DropReason::NoRoute => "no route",
            DropReason::Crashed => "node down",
        }
    }
}

/// Per node: the next hop towards one destination and the link to it (`None`: unreachable).
type NextHops = Vec<Option<(NodeId, LinkId)>>;

/// Topology plus what is broken right now.
#[derive(Clone, Debug)]
pub struct Network {
    topo: Topology,
    cut: Vec<bool>,
    down: Vec<bool>,
    group: Vec<u16>,
    /// `next[d][v]`: next hop (and the link to it) from v towards destination d, computed lazily
    /// per destination.
    next: Vec<Option<NextHops>>,
    /// Bumped on every change of links, nodes or partitions, so views redraw only what changed.
    version: u64,
}

impl Network {
    /// A network with every link and node up and no partition.
    pub fn new(topo: Topology) -> Network {
        let (n, l) = (topo.node_count(), topo.link_count());
        Network {
            topo,
            cut: vec![false; l],
            down: vec![false; n],
            group: vec![0; n],
            next: vec![None; n],
            version: 0,
        }
    }

    /// The static topology.
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// Mutable link properties: latency and loss changes do not move routes (weights are hops
    /// scaled by mean latency, recomputed here to stay exact).
    pub fn topology_mut(&mut self) -> &mut Topology {
        self.invalidate();
        &mut self.topo
    }

    /// Is the node up?
    pub fn node_up(&self, n: NodeId) -> bool {
        !self.down.get(n.0 as usize).copied().unwrap_or(true)
    }

    /// Has the reader cut this link (independent of partitions)?
    pub fn link_cut(&self, l: LinkId) -> bool {
        self.cut.get(l.0 as usize).copied().unwrap_or(true)
    }

    /// Partition group of a node (0 when there is no partition).
    pub fn group(&self, n: NodeId) -> u16 {
        self.group.get(n.0 as usize).copied().unwrap_or(0)
    }

    /// Can a message cross this link now? Not cut, both ends up, both ends on one side.
    pub fn link_up(&self, l: LinkId) -> bool {
        match self.topo.endpoints(l) {
            Some((a, b)) => {
                !self.link_cut(l)
                    && self.node_up(a)
                    && self.node_up(b)
                    && self.group(a) == self.group(b)
            }
            None => false,
        }
    }

    /// Can `a` and `b` talk at all right now (same side of any partition, both up)?
    pub fn can_reach(&mut self, a: NodeId, b: NodeId) -> bool {
        a == b && self.node_up(a) || self.next_hop(a, b).is_some()
    }

    /// Cut or restore a link. Returns false if the link does not exist.
    pub fn set_cut(&mut self, l: LinkId, cut: bool) -> bool {
        match self.cut.get_mut(l.0 as usize) {
            Some(c) => {
                *c = cut;
                self.invalidate();
                true
            }
            None => false,
        }
    }

    /// Crash or restart a node. Returns false if the node does not exist.
    pub fn set_down(&mut self, n: NodeId, down: bool) -> bool {
        match self.down.get_mut(n.0 as usize) {
            Some(d) => {
                *d = down;
                self.invalidate();
                true
            }
            None => false,
        }
    }

    /// Split nodes into groups (`groups[node]`); links between groups stop carrying messages.
    pub fn set_groups(&mut self, groups: Vec<u16>) {
        self.group = groups;
        self.group.resize(self.topo.node_count(), 0);
        self.invalidate();
    }

    /// Remove any partition.
    pub fn heal_partition(&mut self) {
        self.group.iter_mut().for_each(|g| *g = 0);
        self.invalidate();
    }

    /// True while a partition is in force.
    pub fn partitioned(&self) -> bool {
        self.group
            .iter()
            .any(|&g| g != self.group.first().copied().unwrap_or(0))
    }

    /// Changes so far to links, nodes and partitions (a redraw hint for views).
    pub fn version(&self) -> u64 {
        self.version
    }

    fn invalidate(&mut self) {
        self.version += 1;
        self.next.iter_mut().for_each(|n| *n = None);
    }

    /// Next node on a shortest path (by mean latency) from `from` to `to` over links that are up;
    /// ties go to the lower node id. None when unreachable or when `from == to`.
    pub fn next_hop(&mut self, from: NodeId, to: NodeId) -> Option<NodeId> {
        self.next_link(from, to).map(|(n, _)| n)
    }

    /// Like `next_hop`, with the link that leads there.
    pub fn next_link(&mut self, from: NodeId, to: NodeId) -> Option<(NodeId, LinkId)> {
        let d = to.0 as usize;
        if self.next.get(d)?.is_none() {
            let table = self.routes_to(to);
            if let Some(slot) = self.next.get_mut(d) {
                *slot = Some(table);
            }
        }
        self.next
            .get(d)?
            .as_ref()?
            .get(from.0 as usize)
            .copied()
            .flatten()
    }

    fn routes_to(&self, to: NodeId) -> Vec<Option<(NodeId, LinkId)>> {
        let n = self.topo.node_count();
        let mut table = vec![None; n];
        if !self.node_up(to) {
            return table;
        }
        let g = self.topo.graph();
        let up = EdgeFiltered::from_fn(g, |e| self.link_up(LinkId(e.id().index() as u32)));
        let dist = dijkstra(&up, ni(to), None, |e| e.weight().latency.mean_us.max(1));
        for v in self.topo.node_ids() {
            if v == to || !dist.contains_key(&ni(v)) {
                continue;
            }
            let mut best: Option<(u64, NodeId, LinkId)> = None;
            for e in g.edges(ni(v)) {
                let l = LinkId(e.id().index() as u32);
                let u = id(e.target());
                let (Some(du), true) = (dist.get(&e.target()), self.link_up(l)) else {
                    continue;
                };
                let cost = du + e.weight().latency.mean_us.max(1);
                if best.is_none_or(|(c, b, _)| cost < c || cost == c && u < b) {
                    best = Some((cost, u, l));
                }
            }
            table[v.0 as usize] = best.map(|(_, u, l)| (u, l));
        }
        table
    }

    /// Send across one link: loss and duplication are drawn from `rng`.
    pub fn cross(&self, l: LinkId, rng: &mut SimRng) -> Hop {
        let Some(info) = self.topo.link(l) else {
            return Hop::Lost;
        };
        if rng.chance(info.loss) {
            return Hop::Lost;
        }
        let delay_us = info.latency.sample(rng);
        Hop::Arrive {
            delay_us,
            duplicate: rng.chance(info.duplicate),
        }
    }

    /// The link between two adjacent nodes.
    pub fn link_between(&self, a: NodeId, b: NodeId) -> Option<LinkId> {
        self.topo.link_between(a, b)
    }

    /// Check that a link id exists.
    pub fn has_link(&self, l: LinkId) -> bool {
        self.topo.graph().edge_weight(ei(l)).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dist::{Latency, Spread};
    use crate::sim::topology::{LinkInfo, Role};

    fn ring(n: u32) -> Network {
        let mut t = Topology::default();
        let info = LinkInfo {
            latency: Latency::ms(1.0, Spread::Const),
            loss: 0.0,
            duplicate: 0.0,
        };
        for i in 0..n {
            t.add_node(format!("n{i}"), Role::Router, 0.0, 0.0);
        }
        for i in 0..n {
            t.add_link(NodeId(i), NodeId((i + 1) % n), info);
        }
        Network::new(t)
    }

    #[test]
    fn routes_take_the_short_way_and_reroute_around_cuts() {
        let mut net = ring(5);
        assert_eq!(net.next_hop(NodeId(2), NodeId(0)), Some(NodeId(1)));
        assert_eq!(net.next_hop(NodeId(3), NodeId(0)), Some(NodeId(4)));
        let l01 = net.link_between(NodeId(0), NodeId(1)).map(|l| l.0);
        assert_eq!(l01, Some(0));
        assert!(net.set_cut(LinkId(0), true));
        assert_eq!(net.next_hop(NodeId(2), NodeId(0)), Some(NodeId(3)));
        assert_eq!(net.next_hop(NodeId(1), NodeId(0)), Some(NodeId(2)));
        assert!(net.set_cut(LinkId(4), true)); // 4-0: node 0 is now isolated
        assert_eq!(net.next_hop(NodeId(2), NodeId(0)), None);
        assert!(!net.can_reach(NodeId(2), NodeId(0)));
        assert!(!net.set_cut(LinkId(99), true));
    }

    #[test]
    fn crashes_and_partitions_block_paths() {
        let mut net = ring(4);
        assert!(net.set_down(NodeId(1), true));
        assert_eq!(net.next_hop(NodeId(0), NodeId(2)), Some(NodeId(3)));
        assert_eq!(net.next_hop(NodeId(0), NodeId(1)), None);
        net.set_down(NodeId(1), false);
        net.set_groups(vec![0, 0, 1, 1]);
        assert!(net.partitioned());
        assert!(!net.can_reach(NodeId(0), NodeId(2)));
        assert!(net.can_reach(NodeId(0), NodeId(1)));
        net.heal_partition();
        assert!(net.can_reach(NodeId(0), NodeId(2)));
    }

    #[test]
    fn lossy_links_lose_about_the_right_share() {
        let mut t = Topology::default();
        let a = t.add_node("a", Role::Client, 0.0, 0.0);
        let b = t.add_node("b", Role::Service, 0.0, 0.0);
        let info = LinkInfo {
            latency: Latency::ms(1.0, Spread::Const),
            loss: 0.25,
            duplicate: 0.1,
        };
        let l = t.add_link(a, b, info);
        let net = Network::new(t);
        let mut rng = SimRng::new(1);
        let (mut lost, mut dup) = (0, 0);
        for _ in 0..40_000 {
            match net.cross(l, &mut rng) {
                Hop::Lost => lost += 1,
                Hop::Arrive {
                    delay_us,
                    duplicate,
                } => {
                    assert_eq!(delay_us, 1000);
                    dup += duplicate as u32;
                }
            }
        }
        assert!((9_500..10_500).contains(&lost), "lost {lost}");
        assert!((2_700..3_300).contains(&dup), "dup {dup}");
    }
}
