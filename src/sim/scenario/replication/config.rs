//! The replication scenario's parameters (names are the contract for the CLI, directives and
//! URLs), their checked, typed form, and the network they describe: replicas in a full mesh,
//! each client linked to its home replica.

use super::versions::{Conflict, MAX_N};
use super::Client;
use crate::sim::command::parse_groups;
use crate::sim::dist::{Latency, Spread};
use crate::sim::params::param as p;
use crate::sim::params::{Kind, ParamError, ParamSpec, Params, Value};
use crate::sim::topology::{on_circle, LinkInfo, NodeId, Role, Topology};

const ON_OFF: &[&str] = &["on", "off"];

/// The parameters, in the order the knobs show them.
pub const PARAMS: &[ParamSpec] = &[
    p("n", "3", Kind::Int { min: 1, max: 9 }, "replicas", false),
    p("r", "2", Kind::Int { min: 1, max: 9 }, "read quorum: replies a read waits for (at most n)", true),
    p("w", "2", Kind::Int { min: 1, max: 9 }, "write quorum: acknowledgements a write waits for (at most n; the leader counts)", true),
    p("mode", "cp", Kind::Choice(&["cp", "ap"]), "cp: an operation that cannot reach its quorum fails; ap: it is served by the replicas it can reach (hinted handoff)", true),
    p("partition", "none", Kind::Text { hint: "none, or replica groups such as 0,1|2,3,4", long: false }, "replica groups the network splits into; clients stay with their home replica", false),
    p("partition_at_ms", "0", Kind::Float { min: 0.0, max: 10_000_000.0 }, "when the partition starts", false),
    p("heal_at_ms", "never", Kind::MsOrNever { max: 10_000_000.0 }, "when the partition ends", false),
    p("ops", "200", Kind::Int { min: 1, max: 10_000_000 }, "client operations in the run (the first 100,000 are recorded for the checker)", false),
    p("write_ratio", "0.5", Kind::Float { min: 0.0, max: 1.0 }, "share of operations that are writes", true),
    p("keys", "1", Kind::Int { min: 1, max: 64 }, "distinct keys", false),
    p("clients", "3", Kind::Int { min: 1, max: 8 }, "concurrent clients, each one operation at a time", false),
    p("write_back", "off", Kind::Choice(ON_OFF), "on: a read writes what it returns back to a write quorum before answering (ABD)", true),
    p("read_repair", "on", Kind::Choice(ON_OFF), "a read sends the newest version to replicas that answered with an older one", true),
    p("anti_entropy_ms", "0", Kind::Int { min: 0, max: 600_000 }, "every this many ms each replica swaps its whole store with a peer (0 = off)", true),
    p("conflict", "lww", Kind::Choice(&["lww", "vv"]), "reconciling concurrent versions: lww keeps the newest timestamp, vv keeps siblings", false),
    p("scheme", "quorum", Kind::Choice(&["quorum", "leader"]), "quorum: leaderless; leader: replica r0 takes every write and replicates asynchronously", false),
    p("read_from", "leader", Kind::Choice(&["leader", "follower", "any"]), "with scheme=leader: where reads go", true),
    p("latency_ms", "10", Kind::Float { min: 0.1, max: 1000.0 }, "mean one-way latency of each link (uniform 0.5x-1.5x)", false),
    p("latency_dist", "uniform", Kind::Choice(Spread::NAMES), "latency spread between replicas: const, uniform (0.5x-1.5x) or exp (long tail)", false),
    p("client_latency_ms", "2", Kind::Float { min: 0.1, max: 1000.0 }, "mean one-way latency between a client and its home replica", false),
    p("timeout_ms", "100", Kind::Float { min: 1.0, max: 100_000.0 }, "how long a coordinator waits for its quorum", false),
    p("think_ms", "30", Kind::Float { min: 0.0, max: 100_000.0 }, "mean pause between a client's operations (exponential)", false),
];

/// What an operation does when its quorum is out of reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Cp,
    Ap,
}

/// Leaderless quorums or a single leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Quorum,
    Leader,
}

/// Where reads go with a leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    Leader,
    Follower,
    Any,
}

/// The parameters, checked and typed.
#[derive(Clone, Debug)]
pub struct Config {
    pub n: u32,
    pub r: u32,
    pub w: u32,
    pub mode: Mode,
    pub groups: Option<Vec<Vec<u32>>>,
    pub partition_at_us: u64,
    pub heal_at_us: Option<u64>,
    pub ops: u64,
    pub write_ratio: f64,
    pub keys: u32,
    pub clients: u32,
    pub write_back: bool,
    pub read_repair: bool,
    pub ae_us: u64,
    pub conflict: Conflict,
    pub scheme: Scheme,
    pub read_from: ReadFrom,
    pub latency_us: u64,
    pub client_latency_us: u64,
    pub spread: Spread,
    pub timeout_us: u64,
    pub think_us: f64,
}

fn us(ms: f64) -> u64 {
    (ms * 1000.0) as u64
}

fn quorum_error(key: &str, v: i64, n: u32) -> String {
    format!("`{key}={v}` is not valid: expected a whole number from 1 to n={n}")
}

impl Config {
    /// Check the parameters together (quorums within n, partition groups naming replicas).
    pub fn from_params(p: &Params) -> Result<Config, ParamError> {
        let n = p.int("n") as u32;
        for key in ["r", "w"] {
            if p.int(key) > n as i64 {
                return Err(ParamError(quorum_error(key, p.int(key), n)));
            }
        }
        let heal = p.float("heal_at_ms");
        Ok(Config {
            n,
            r: p.int("r") as u32,
            w: p.int("w") as u32,
            mode: if p.text("mode") == "ap" {
                Mode::Ap
            } else {
                Mode::Cp
            },
            groups: parse_partition(p.text("partition"), n).map_err(ParamError)?,
            partition_at_us: us(p.float("partition_at_ms")),
            heal_at_us: heal.is_finite().then(|| us(heal)),
            ops: p.int("ops") as u64,
            write_ratio: p.float("write_ratio"),
            keys: p.int("keys") as u32,
            clients: p.int("clients") as u32,
            write_back: p.text("write_back") == "on",
            read_repair: p.text("read_repair") == "on",
            ae_us: p.int("anti_entropy_ms") as u64 * 1000,
            conflict: if p.text("conflict") == "vv" {
                Conflict::Vv
            } else {
                Conflict::Lww
            },
            scheme: if p.text("scheme") == "leader" {
                Scheme::Leader
            } else {
                Scheme::Quorum
            },
            read_from: match p.text("read_from") {
                "follower" => ReadFrom::Follower,
                "any" => ReadFrom::Any,
                _ => ReadFrom::Leader,
            },
            latency_us: us(p.float("latency_ms")),
            client_latency_us: us(p.float("client_latency_ms")),
            spread: Spread::parse(p.text("latency_dist")).unwrap_or(Spread::Uniform),
            timeout_us: us(p.float("timeout_ms")),
            think_us: p.float("think_ms") * 1000.0,
        })
    }

    /// Apply a live change (already range-checked against its own spec).
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), String> {
        let word = |v: &Value| match v {
            Value::Word(w) => *w,
            _ => "",
        };
        let int = match v {
            Value::Int(i) => *i,
            _ => 0,
        };
        match key {
            "r" | "w" if int > self.n as i64 => return Err(quorum_error(key, int, self.n)),
            "r" => self.r = int as u32,
            "w" => self.w = int as u32,
            "mode" => self.mode = if word(v) == "ap" { Mode::Ap } else { Mode::Cp },
            "write_back" => self.write_back = word(v) == "on",
            "read_repair" => self.read_repair = word(v) == "on",
            "anti_entropy_ms" => self.ae_us = int.max(0) as u64 * 1000,
            "write_ratio" => {
                self.write_ratio = if let Value::Float(f) = v {
                    *f
                } else {
                    int as f64
                }
            }
            "read_from" => {
                self.read_from = match word(v) {
                    "follower" => ReadFrom::Follower,
                    "any" => ReadFrom::Any,
                    _ => ReadFrom::Leader,
                }
            }
            _ => {
                return Err(format!(
                    "`{key}` cannot change during a run; reset with the new value"
                ))
            }
        }
        Ok(())
    }

    /// The client's wait before giving up: two coordinator timeouts plus four slow hops.
    pub fn client_timeout_us(&self) -> u64 {
        2 * self.timeout_us + 4 * self.latency_us + 4 * self.client_latency_us
    }

    /// The whole network's groups for the `partition` parameter: each client joins its home's.
    pub fn split_command(&self, clients: &[Client]) -> Option<Vec<Vec<u32>>> {
        let mut groups = self.groups.clone()?;
        for c in clients {
            if let Some(g) = groups.iter_mut().find(|g| g.contains(&c.home)) {
                g.push(c.node);
            }
        }
        Some(groups)
    }
}

/// `none` or groups of replica numbers below `n`, each named once; replicas not named join
/// the first group.
pub fn parse_partition(s: &str, n: u32) -> Result<Option<Vec<Vec<u32>>>, String> {
    if s.trim() == "none" {
        return Ok(None);
    }
    let bad = |why: String| {
        format!(
            "`partition={}` is not valid: {why}",
            crate::sim::params::shorten(s)
        )
    };
    let mut groups =
        parse_groups(s).map_err(|_| bad("expected none, or replica groups like 0,1|2".into()))?;
    let mut seen = [false; MAX_N];
    for &r in groups.iter().flatten() {
        match seen.get_mut(r as usize) {
            Some(x) if r < n && !*x => *x = true,
            Some(_) if r < n => return Err(bad(format!("replica {r} is named twice"))),
            _ => {
                return Err(bad(format!(
                    "replicas are numbered 0 to {}",
                    n.saturating_sub(1)
                )))
            }
        }
    }
    let rest = (0..n).filter(|&r| !seen.get(r as usize).copied().unwrap_or(true));
    if let Some(first) = groups.first_mut() {
        first.extend(rest);
    }
    Ok(Some(groups))
}

/// Replicas `r0..` on an inner circle in a full mesh; clients `c0..` outside, each linked to
/// its home replica (spread over the partition's groups when there is one).
pub fn layout(cfg: &Config) -> (Topology, Vec<Client>) {
    let mut t = Topology::default();
    let info = LinkInfo {
        latency: Latency::ms(cfg.latency_us as f64 / 1000.0, cfg.spread),
        loss: 0.0,
        duplicate: 0.0,
    };
    let near = LinkInfo {
        latency: Latency::ms(cfg.client_latency_us as f64 / 1000.0, Spread::Uniform),
        loss: 0.0,
        duplicate: 0.0,
    };
    let n = cfg.n as usize;
    for i in 0..n {
        let (x, y) = on_circle(i, n, if n == 1 { 0.0 } else { 0.27 });
        let role = if cfg.scheme == Scheme::Leader && i == 0 {
            Role::Coordinator
        } else {
            Role::Replica
        };
        t.add_node(format!("r{i}"), role, x, y);
    }
    for a in 0..cfg.n {
        for b in a + 1..cfg.n {
            t.add_link(NodeId(a), NodeId(b), info);
        }
    }
    let homes = homes(cfg);
    let mut clients = Vec::new();
    for (i, &home) in homes.iter().enumerate() {
        let same: Vec<usize> = (0..i).filter(|&j| homes.get(j) == Some(&home)).collect();
        let slot = home as f32 + 0.3 * same.len() as f32 - 0.15;
        let a = std::f32::consts::TAU * slot / n as f32 - std::f32::consts::FRAC_PI_2;
        let (x, y) = (0.5 + 0.45 * a.cos(), 0.5 + 0.45 * a.sin());
        let node = t.add_node(format!("c{i}"), Role::Client, x, y);
        t.add_link(node, NodeId(home), near);
        clients.push(Client {
            node: node.0,
            home,
            busy: None,
        });
    }
    (t, clients)
}

/// Client `i`'s home replica is `r(i mod n)`, as a reader expects, unless that leaves a group of
/// the `partition` parameter without a client. Then, for each such group in order, the
/// highest-numbered client whose group has another client moves to the group's first replica,
/// as long as there is one to spare.
pub fn homes(cfg: &Config) -> Vec<u32> {
    let mut homes: Vec<u32> = (0..cfg.clients).map(|i| i % cfg.n.max(1)).collect();
    let Some(groups) = &cfg.groups else {
        return homes;
    };
    let group_of = |r: u32| groups.iter().position(|g| g.contains(&r));
    for g in groups {
        let Some(&first) = g.first() else { continue };
        if homes.iter().any(|h| g.contains(h)) {
            continue;
        }
        let shared = |i: usize| {
            let mine = homes.get(i).map(|&h| group_of(h));
            homes.iter().filter(|&&h| Some(group_of(h)) == mine).count() > 1
        };
        match (0..homes.len()).rev().find(|&i| shared(i)) {
            Some(i) => {
                if let Some(h) = homes.get_mut(i) {
                    *h = first;
                }
            }
            None => break,
        }
    }
    homes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::params::Params;

    fn homes_of(pairs: &[(&str, &str)]) -> Vec<u32> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let p = Params::parse("replication", PARAMS, &pairs).unwrap();
        homes(&Config::from_params(&p).unwrap())
    }

    #[test]
    fn clients_spread_round_robin_and_every_group_gets_one() {
        assert_eq!(homes_of(&[]), [0, 1, 2]);
        // The CAP lesson: only c0 is cut off with r0.
        assert_eq!(homes_of(&[("partition", "0|1,2")]), [0, 1, 2]);
        assert_eq!(
            homes_of(&[("partition", "0|1,2"), ("clients", "5")]),
            [0, 1, 2, 0, 1]
        );
        // Round robin would leave the second group empty: the last client moves there.
        let five = [("n", "5"), ("clients", "2"), ("partition", "0,1|2,3,4")];
        assert_eq!(homes_of(&five), [0, 2]);
        let three = [("n", "5"), ("clients", "3"), ("partition", "3|4|0,1,2")];
        assert_eq!(homes_of(&three), [0, 4, 3]);
        // More groups than clients: as many groups as there are clients get one.
        let one = [("n", "3"), ("clients", "1"), ("partition", "1|2|0")];
        assert_eq!(homes_of(&one), [0]);
    }
}
