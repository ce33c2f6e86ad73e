//! `sharding`: a router spreads keys over shard nodes by one of four strategies (range, hash
//! mod N, a consistent-hashing ring with virtual nodes, a directory kept by a rebalancer). Point
//! lookups and range scans travel as messages; adding or removing a shard re-places the keys,
//! counts how many changed owner, and streams them between shards in batches. Lesson 5's widget.

mod fixup;
mod model;
pub mod place;
mod report;
pub mod view;

use super::{ScenarioSpec, Sim};
use crate::sim::dist::{Latency, Spread, Zipf};
use crate::sim::network::Network;
use crate::sim::params::{Kind, ParamError, ParamSpec, Params};
use crate::sim::rng::SimRng;
use crate::sim::topology::{on_circle, LinkInfo, NodeId, Role, Topology};
pub use fixup::fixup;
pub use model::ShardingModel;
use place::{Placement, Strategy};

/// Most shards a cluster can have (shard slots are `u8`).
pub const MAX_SHARDS: i64 = 64;
/// Spare shard nodes provisioned beyond the planned ones, for the "add a shard" button.
const SPARES: i64 = 3;
/// RNG streams: the hash salt and the popularity ranking are drawn apart from the workload.
const SALT_STREAM: u64 = 0x5A17;
const RANK_STREAM: u64 = 0x4A4B;

const DISTS: &[&str] = &["uniform", "zipf"];

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "strategy",
        default: "consistent",
        kind: Kind::Choice(Strategy::NAMES),
        help: "range, hash (hash mod N), consistent (ring with virtual nodes) or directory",
        live: true,
    },
    ParamSpec {
        name: "shards",
        default: "4",
        kind: Kind::Int {
            min: 1,
            max: MAX_SHARDS,
        },
        help: "shards before any change",
        live: false,
    },
    ParamSpec {
        name: "vnodes",
        default: "100",
        kind: Kind::Int { min: 1, max: 1000 },
        help: "virtual nodes per shard on the consistent-hashing ring",
        live: true,
    },
    ParamSpec {
        name: "keys",
        default: "10000",
        kind: Kind::Int {
            min: 1,
            max: 200_000,
        },
        help: "distinct keys stored",
        live: false,
    },
    ParamSpec {
        name: "key_dist",
        default: "uniform",
        kind: Kind::Choice(DISTS),
        help: "request popularity: uniform or zipf (a few hot keys)",
        live: false,
    },
    ParamSpec {
        name: "zipf_s",
        default: "1",
        kind: Kind::Float { min: 0.0, max: 3.0 },
        help: "Zipf exponent: higher means hotter hot keys",
        live: false,
    },
    ParamSpec {
        name: "requests",
        default: "10000",
        kind: Kind::Int {
            min: 0,
            max: 10_000_000,
        },
        help: "requests routed",
        live: false,
    },
    ParamSpec {
        name: "add_shards",
        default: "0",
        kind: Kind::Int {
            min: 0,
            max: MAX_SHARDS - 1,
        },
        help: "shards added right after loading (one rebalancing)",
        live: false,
    },
    ParamSpec {
        name: "remove_shards",
        default: "0",
        kind: Kind::Int {
            min: 0,
            max: MAX_SHARDS - 1,
        },
        help: "shards removed right after loading (the highest-numbered ones)",
        live: false,
    },
    ParamSpec {
        name: "range_queries",
        default: "0",
        kind: Kind::Float { min: 0.0, max: 1.0 },
        help: "share of requests that are range scans",
        live: false,
    },
    ParamSpec {
        name: "scan_len",
        default: "100",
        kind: Kind::Int { min: 1, max: 1000 },
        help: "consecutive keys a range scan reads",
        live: false,
    },
    ParamSpec {
        name: "rate",
        default: "1000",
        kind: Kind::Float {
            min: 1.0,
            max: 1_000_000.0,
        },
        help: "requests per second (Poisson arrivals)",
        live: true,
    },
];

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "sharding",
    title: "Sharding and rebalancing",
    help: "keys spread over shards by range, hash mod N, consistent hashing or a directory; add or remove shards and count the keys that move",
    params: PARAMS,
    actions: &[
        ("do:add-shard", "Add a shard"),
        ("do:remove-shard", "Remove a shard"),
    ],
    charts: &["keys_in_transit", "request_max_over_mean"],
    focus: &["keys_moved_fraction", "keys_in_transit", "load_max_over_mean", "request_max_over_mean"],
    build,
};

/// Check the combination of parameters the ranges alone cannot.
fn check(p: &Params) -> Result<(), ParamError> {
    let (n, add, rm) = (p.int("shards"), p.int("add_shards"), p.int("remove_shards"));
    if n + add > MAX_SHARDS {
        return Err(ParamError(format!(
            "`add_shards={add}` is too many: shards + add_shards must be at most {MAX_SHARDS} (shards={n})"
        )));
    }
    if rm >= n + add {
        return Err(ParamError(format!(
            "`remove_shards={rm}` is too many: at least one shard must remain (shards={n}, add_shards={add})"
        )));
    }
    Ok(())
}

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    check(p)?;
    let n = p.int("shards");
    let slots = (n + p.int("add_shards") + SPARES).min(MAX_SHARDS) as u8;
    let keys = p.int("keys") as u32;
    let strategy = Strategy::parse(p.text("strategy")).unwrap_or(Strategy::Consistent);
    let salt = SimRng::derive(seed, SALT_STREAM).next_u64();
    let active: Vec<u8> = (0..n as u8).collect();
    let place = Placement::new(strategy, keys, &active, p.int("vnodes") as u32, salt);
    let zipf = (p.text("key_dist") == "zipf").then(|| Zipf::new(keys as usize, p.float("zipf_s")));
    let model = ShardingModel::new(model::Setup {
        place,
        slots,
        requests: p.int("requests") as u64,
        rate: p.float("rate"),
        zipf,
        by_rank: ranking(keys, seed),
        scan_share: p.float("range_queries"),
        scan_len: p.int("scan_len") as u32,
        add: p.int("add_shards") as u8,
        remove: p.int("remove_shards") as u8,
    });
    let net = Network::new(layout(slots));
    Ok(Box::new(Sim::new(&SPEC, p, seed, model, net)))
}

/// Popularity rank -> key: a seeded shuffle, so hot keys are scattered over the key space.
fn ranking(keys: u32, seed: u64) -> Vec<u32> {
    let mut rng = SimRng::derive(seed, RANK_STREAM);
    let mut v: Vec<u32> = (0..keys).collect();
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}

/// The router in the middle (node 0), shard slots around it (node 1 + slot), one link each.
pub fn layout(slots: u8) -> Topology {
    let mut t = Topology::default();
    let router = t.add_node("router", Role::Router, 0.5, 0.5);
    let info = LinkInfo {
        latency: Latency::ms(1.0, Spread::Const),
        loss: 0.0,
        duplicate: 0.0,
    };
    for s in 0..slots {
        let (x, y) = on_circle(s as usize, slots as usize, 0.42);
        let id = t.add_node(format!("S{s}"), Role::Shard, x, y);
        t.add_link(router, id, info);
    }
    t
}

/// The node of shard slot `s`.
pub fn shard_node(s: u8) -> NodeId {
    NodeId(1 + s as u32)
}

#[cfg(test)]
mod tests {
    use crate::sim::command::Command;
    use crate::sim::scenario::create;

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn bad_combinations_name_the_key_and_the_limit() {
        let e = create(
            "sharding",
            &pairs(&[("shards", "60"), ("add_shards", "5")]),
            1,
        )
        .err()
        .unwrap()
        .0;
        assert!(
            e.contains("add_shards=5") && e.contains("at most 64"),
            "{e}"
        );
        let e = create(
            "sharding",
            &pairs(&[("shards", "3"), ("remove_shards", "3")]),
            1,
        )
        .err()
        .unwrap()
        .0;
        assert!(
            e.contains("remove_shards=3") && e.contains("at least one"),
            "{e}"
        );
        let e = create("sharding", &pairs(&[("vnodes", "0")]), 1)
            .err()
            .unwrap()
            .0;
        assert!(e.contains("vnodes=0") && e.contains("1 to 1000"), "{e}");
        let e = create("sharding", &pairs(&[("strategy", "modulo")]), 1)
            .err()
            .unwrap()
            .0;
        assert!(
            e.contains("one of range, hash, consistent, directory"),
            "{e}"
        );
    }

    #[test]
    fn a_run_answers_every_request_and_counts_moves() {
        let mut s = create(
            "sharding",
            &pairs(&[
                ("requests", "500"),
                ("add_shards", "1"),
                ("range_queries", "0.2"),
            ]),
            2,
        )
        .unwrap();
        assert!(s.run_to_end(10_000_000));
        let m = s.metrics();
        assert_eq!(m.num("requests"), Some(500.0));
        assert_eq!(m.num("shards"), Some(5.0));
        assert_eq!(m.num("keys_in_transit"), Some(0.0));
        let moved = m.num("keys_moved").unwrap();
        assert!((1_500.0..2_500.0).contains(&moved), "{moved}");
        assert!(m.num("fanout_mean").unwrap() > 1.0);
        assert_eq!(m.num("unanswered"), Some(0.0));
    }

    #[test]
    fn buttons_add_and_remove_and_the_last_shard_stays() {
        let mut s = create(
            "sharding",
            &pairs(&[("shards", "1"), ("requests", "10")]),
            3,
        )
        .unwrap();
        s.apply(&Command::Do("add-shard".into())).unwrap();
        s.run_to_end(u64::MAX);
        assert_eq!(s.metrics().num("shards"), Some(2.0));
        s.apply(&Command::Do("remove-shard".into())).unwrap();
        let e = s.apply(&Command::Do("remove-shard".into())).unwrap_err();
        assert!(e.contains("last shard"), "{e}");
        for _ in 0..3 {
            s.apply(&Command::Do("add-shard".into())).unwrap();
        }
        let e = s.apply(&Command::Do("add-shard".into())).unwrap_err();
        assert!(e.contains("no spare shard"), "{e}");
        assert!(s.apply(&Command::Do("teleport".into())).is_err());
        s.run_to_end(u64::MAX);
        assert_eq!(s.metrics().num("keys_in_transit"), Some(0.0));
    }

    #[test]
    fn switching_strategy_moves_the_same_keys() {
        let mut s = create("sharding", &pairs(&[("requests", "0")]), 4).unwrap();
        s.apply(&Command::Set {
            key: "strategy".into(),
            value: "range".into(),
        })
        .unwrap();
        s.run_to_end(u64::MAX);
        let m = s.metrics();
        let moved = m.num("keys_moved").unwrap();
        // Independent layouts over 4 shards agree on about a quarter of the keys.
        assert!((6_500.0..8_500.0).contains(&moved), "{moved}");
        assert_eq!(m.num("load_cv"), Some(0.0));
        assert_eq!(s.params().text("strategy"), "range");
    }
}
