//! The load balancer's decision: which server gets the next request. Each algorithm picks in
//! O(1) or O(log servers): round robin walks a cursor, random and power-of-two-choices draw from
//! the list of servers in rotation, least connections and weighted round robin read the minimum
//! of a small tournament tree (updated in O(log servers) when a count or a pass changes), and
//! ip-hash hashes the client address onto the server list, stepping past servers out of rotation.

use super::config::Algorithm;
use crate::sim::rng::SimRng;

/// A tournament tree over at most 64 leaves: the minimum key and its leaf in O(1), updates in
/// O(log n). Keys of `u64::MAX` mean "not eligible".
#[derive(Clone, Debug)]
struct MinTree {
    size: usize,
    nodes: Vec<(u64, u16)>,
}

const NONE_KEY: (u64, u16) = (u64::MAX, u16::MAX);

impl MinTree {
    fn new(n: usize) -> MinTree {
        let size = n.max(1).next_power_of_two();
        MinTree {
            size,
            nodes: vec![NONE_KEY; 2 * size],
        }
    }

    fn set(&mut self, leaf: usize, key: u64) {
        let mut p = self.size + leaf;
        if let Some(slot) = self.nodes.get_mut(p) {
            *slot = (key, leaf as u16);
        }
        while p > 1 {
            p /= 2;
            let l = self.nodes.get(2 * p).copied().unwrap_or(NONE_KEY);
            let r = self.nodes.get(2 * p + 1).copied().unwrap_or(NONE_KEY);
            if let Some(slot) = self.nodes.get_mut(p) {
                *slot = l.min(r);
            }
        }
    }

    fn min(&self) -> Option<usize> {
        match self.nodes.get(1) {
            Some(&(k, i)) if k != u64::MAX => Some(i as usize),
            _ => None,
        }
    }
}

/// Low bits of a least-connections key: when counts tie, the server picked longest ago wins,
/// so ties rotate instead of always favouring s1.
const TIE_BITS: u32 = 40;
const TIE_MASK: u64 = (1 << TIE_BITS) - 1;

/// One load balancer's state.
#[derive(Clone, Debug)]
pub struct Balancer {
    pub algorithm: Algorithm,
    /// In rotation (the health checks' verdict), per server.
    pub healthy: Vec<bool>,
    /// Requests sent to each server and not yet answered (its "connections").
    pub outstanding: Vec<u32>,
    live: Vec<u16>,
    stride: Vec<u64>,
    pass: Vec<u64>,
    last_pick: Vec<u64>,
    picks: u64,
    cursor: usize,
    tree: MinTree,
    rng: SimRng,
}

/// Stride of weighted round robin for a weight: the server's pass grows by this per pick.
fn stride(weight: f64) -> u64 {
    (1e6 / weight.max(1e-6)) as u64
}

/// A portable mix of a client address (SplitMix64's finaliser).
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Balancer {
    /// A balancer over servers with these weights, all in rotation; random draws from `rng`.
    pub fn new(algorithm: Algorithm, weights: &[f64], rng: SimRng) -> Balancer {
        let n = weights.len();
        let mut b = Balancer {
            algorithm,
            healthy: vec![true; n],
            outstanding: vec![0; n],
            live: (0..n as u16).collect(),
            stride: weights.iter().map(|&w| stride(w)).collect(),
            pass: vec![0; n],
            last_pick: vec![0; n],
            picks: 0,
            cursor: 0,
            tree: MinTree::new(n),
            rng,
        };
        b.rebuild();
        b
    }

    /// Switch algorithm mid-run (counts carry over; weighted passes restart level).
    pub fn set_algorithm(&mut self, a: Algorithm) {
        self.algorithm = a;
        self.pass.iter_mut().for_each(|p| *p = 0);
        self.rebuild();
    }

    /// New weights (live `speeds`).
    pub fn set_weights(&mut self, weights: &[f64]) {
        for (s, &w) in self.stride.iter_mut().zip(weights) {
            *s = stride(w);
        }
    }

    /// Take a server out of rotation or put it back. Taking it out forgets its connections
    /// (they died with it); putting it back starts its weighted pass level with the others.
    pub fn set_healthy(&mut self, i: usize, up: bool) {
        let Some(h) = self.healthy.get_mut(i) else {
            return;
        };
        if *h == up {
            return;
        }
        *h = up;
        if let Some(o) = self.outstanding.get_mut(i) {
            *o = 0;
        }
        let level = self.level();
        if let Some(p) = self.pass.get_mut(i) {
            *p = (*p).max(level);
        }
        self.live = (0..self.healthy.len() as u16)
            .filter(|&s| self.healthy.get(s as usize) == Some(&true))
            .collect();
        self.touch(i);
    }

    /// Lowest pass among servers in rotation (weighted round robin's virtual time).
    fn level(&self) -> u64 {
        self.live
            .iter()
            .filter_map(|&s| self.pass.get(s as usize))
            .min()
            .copied()
            .unwrap_or(0)
    }

    fn rebuild(&mut self) {
        for i in 0..self.healthy.len() {
            self.touch(i);
        }
    }

    /// Recompute one server's key in the tree (only the tree algorithms use it).
    fn touch(&mut self, i: usize) {
        let key = if self.healthy.get(i) != Some(&true) {
            u64::MAX
        } else {
            match self.algorithm {
                Algorithm::LeastConnections => {
                    let o = self.outstanding.get(i).copied().unwrap_or(0) as u64;
                    let last = self.last_pick.get(i).copied().unwrap_or(0) & TIE_MASK;
                    (o << TIE_BITS) | last
                }
                Algorithm::WeightedRoundRobin => self.pass.get(i).copied().unwrap_or(0),
                _ => return,
            }
        };
        self.tree.set(i, key.min(u64::MAX - 1));
    }

    /// Pick a server for a request from `client` and count it as in progress there; None when
    /// no server is in rotation.
    pub fn pick(&mut self, client: u32) -> Option<usize> {
        if self.live.is_empty() {
            return None;
        }
        let i = match self.algorithm {
            Algorithm::RoundRobin => self.next_in_turn(),
            Algorithm::WeightedRoundRobin | Algorithm::LeastConnections => self.tree.min()?,
            Algorithm::Random => self.draw(),
            Algorithm::PowerOfTwo => self.two_choices(),
            Algorithm::IpHash => self.hashed(client),
        };
        self.picks += 1;
        if let Some(o) = self.outstanding.get_mut(i) {
            *o += 1;
        }
        if let Some(l) = self.last_pick.get_mut(i) {
            *l = self.picks;
        }
        if let (Some(p), Some(s)) = (self.pass.get_mut(i), self.stride.get(i)) {
            *p = p.saturating_add(*s);
        }
        self.touch(i);
        Some(i)
    }

    /// A request sent to `i` was answered (or refused): one connection fewer.
    pub fn finished(&mut self, i: usize) {
        if let Some(o) = self.outstanding.get_mut(i) {
            *o = o.saturating_sub(1);
        }
        self.touch(i);
    }

    fn next_in_turn(&mut self) -> usize {
        let n = self.healthy.len();
        for _ in 0..n {
            let i = self.cursor % n;
            self.cursor = (i + 1) % n;
            if self.healthy.get(i) == Some(&true) {
                return i;
            }
        }
        0
    }

    fn draw(&mut self) -> usize {
        let k = self.rng.below(self.live.len() as u64) as usize;
        self.live.get(k).copied().unwrap_or(0) as usize
    }

    fn two_choices(&mut self) -> usize {
        let n = self.live.len() as u64;
        let a = self.rng.below(n);
        if n < 2 {
            return self.live.first().copied().unwrap_or(0) as usize;
        }
        let mut b = self.rng.below(n - 1);
        if b >= a {
            b += 1;
        }
        let a = self.live.get(a as usize).copied().unwrap_or(0) as usize;
        let b = self.live.get(b as usize).copied().unwrap_or(0) as usize;
        let load = |i: usize| self.outstanding.get(i).copied().unwrap_or(0);
        if load(b) < load(a) {
            b
        } else {
            a
        }
    }

    fn hashed(&self, client: u32) -> usize {
        let n = self.healthy.len();
        let start = (mix(client as u64) % n as u64) as usize;
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.healthy.get(i) == Some(&true))
            .unwrap_or(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(b: &mut Balancer, n: usize) -> Vec<usize> {
        (0..n).map(|c| b.pick(c as u32).unwrap()).collect()
    }

    #[test]
    fn round_robin_skips_servers_out_of_rotation() {
        let mut b = Balancer::new(Algorithm::RoundRobin, &[1.0; 3], SimRng::new(1));
        assert_eq!(picks(&mut b, 4), vec![0, 1, 2, 0]);
        b.set_healthy(1, false);
        assert_eq!(picks(&mut b, 4), vec![2, 0, 2, 0]);
        for i in 0..3 {
            b.set_healthy(i, false);
        }
        assert_eq!(b.pick(0), None);
    }

    #[test]
    fn weighted_round_robin_follows_weights_smoothly() {
        let mut b = Balancer::new(Algorithm::WeightedRoundRobin, &[3.0, 1.0], SimRng::new(1));
        let p = picks(&mut b, 8);
        assert_eq!(p.iter().filter(|&&i| i == 0).count(), 6, "{p:?}");
        assert!(p.windows(4).all(|w| w.contains(&0)), "interleaved: {p:?}");
    }

    #[test]
    fn least_connections_picks_the_idlest_and_rotates_ties() {
        let mut b = Balancer::new(Algorithm::LeastConnections, &[1.0; 3], SimRng::new(1));
        assert_eq!(picks(&mut b, 3), vec![0, 1, 2]);
        b.finished(1);
        assert_eq!(b.pick(0), Some(1));
        b.finished(2);
        b.finished(0);
        assert_eq!(
            b.pick(0),
            Some(0),
            "0 and 2 tie at zero; 0 was picked longer ago"
        );
    }

    #[test]
    fn p2c_prefers_the_less_loaded_of_two() {
        let mut b = Balancer::new(Algorithm::PowerOfTwo, &[1.0; 2], SimRng::new(3));
        for _ in 0..10 {
            b.pick(0);
            b.finished(1);
        }
        // With two servers p2c always compares both: the load stays balanced.
        let (a, c) = (b.outstanding[0], b.outstanding[1]);
        assert!(a.abs_diff(c) <= 1, "{a} vs {c}");
    }

    #[test]
    fn ip_hash_is_sticky_and_fails_over() {
        let mut b = Balancer::new(Algorithm::IpHash, &[1.0; 5], SimRng::new(1));
        let first: Vec<usize> = (0..50).map(|c| b.pick(c).unwrap()).collect();
        let again: Vec<usize> = (0..50).map(|c| b.pick(c).unwrap()).collect();
        assert_eq!(first, again);
        let mut used = first.clone();
        crate::sim::compact::sort(&mut used);
        used.dedup();
        assert_eq!(used.len(), 5, "50 clients spread over every server");
        b.set_healthy(first[0], false);
        let moved: Vec<usize> = (0..50).map(|c| b.pick(c).unwrap()).collect();
        for c in 0..50 {
            assert!(
                moved[c] == first[c] || first[c] == first[0],
                "client {c} moved needlessly"
            );
        }
        assert_ne!(moved[0], first[0]);
    }
}
