//! What each kind of component adds at run time (clients' arrivals, a balancer's targets, a
//! station with its shedding, autoscaling, cache or database, a broker, a token bucket), and how
//! a station is built from its keys.

use super::comp::{us, UNBOUNDED};
use super::keys::CompKind;
use super::lru::Lru;
use super::parse::CompDef;
use super::slab::Token;
use super::station::{Dist, Station};
use crate::sim::dist::Zipf;
use crate::sim::params::{shorten, Params};
use crate::sim::rng::SimRng;
use crate::sim::scenario::load_balancer::balancer::Balancer;
use crate::sim::scenario::load_balancer::config::Algorithm;
use crate::sim::time::Time;
use std::collections::VecDeque;

/// Clients: open-loop Poisson users.
#[derive(Clone, Debug)]
pub struct Clients {
    pub rate: f64,
    pub spike: (f64, Time, Time),
    pub deadline_us: u64,
    /// Bumped when the rate changes: a pending arrival of an older generation is void.
    pub gen: u64,
}

/// A balancer over (component, replica) targets.
#[derive(Clone, Debug)]
pub struct Lb {
    pub bal: Balancer,
    pub targets: Vec<(u16, u16)>,
    pub health_us: u64,
}

/// Load shedding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shed {
    None,
    Lifo,
    Deadline,
}

/// Autoscaling settings and the integrals at the last look.
#[derive(Clone, Debug)]
pub struct Autoscale {
    pub target: f64,
    pub min: usize,
    pub max: usize,
    pub startup_us: u64,
    pub every_us: u64,
    pub last: (f64, f64),
}

/// A cache's keys.
#[derive(Clone, Debug)]
pub struct CacheState {
    pub lru: Lru,
    pub zipf: Zipf,
    pub ttl_us: Option<u64>,
    pub hits: u64,
    pub misses: u64,
}

/// A database's replicas and staleness.
#[derive(Clone, Debug)]
pub struct Db {
    pub writes: f64,
    pub lag_us: u64,
    pub last_write: Vec<Time>,
    pub replica_reads: u64,
    pub stale: u64,
}

impl Db {
    /// A query ends on node `r` (0: the primary): a write stamps a random key, a read on a
    /// replica is stale if that key was written within the replication lag.
    pub fn query(&mut self, rng: &mut SimRng, now: Time, r: usize, write: bool) {
        let k = rng.below(self.last_write.len() as u64) as usize;
        if write {
            if let Some(w) = self.last_write.get_mut(k) {
                *w = now;
            }
        } else if r > 0 {
            self.replica_reads += 1;
            let last = self.last_write.get(k).copied().unwrap_or(Time::ZERO);
            self.stale += (last != Time::ZERO && last.plus_us(self.lag_us) > now) as u64;
        }
    }
}

/// A service, cache or database.
#[derive(Clone, Debug)]
pub struct StationPart {
    pub st: Station,
    pub shed: Shed,
    pub fallback: bool,
    pub autoscale: Option<Autoscale>,
    pub mtbf_us: Option<f64>,
    pub mttr_us: f64,
    pub cache: Option<CacheState>,
    pub db: Option<Db>,
}

/// A queue broker.
#[derive(Clone, Debug)]
pub struct Broker {
    /// Enqueue times of waiting messages.
    pub items: VecDeque<Time>,
    pub max: usize,
    pub block: bool,
    pub consumers: u32,
    pub in_flight: u32,
    /// Callers held until there is room (backpressure).
    pub blocked: VecDeque<Token>,
    pub last: Time,
    pub depth_area: f64,
    pub busy_area: f64,
    pub drained: u64,
    pub wait_us: u128,
    pub failed: u64,
}

/// A token bucket.
#[derive(Clone, Debug)]
pub struct Bucket {
    pub rate: f64,
    pub burst: f64,
    pub tokens: f64,
    pub last: Time,
}

/// What a kind adds.
#[derive(Clone, Debug)]
pub enum Part {
    Clients(Clients),
    Balancer(Lb),
    Station(Box<StationPart>),
    Queue(Broker),
    Limiter(Bucket),
}

fn waiting_room(p: &Params) -> Result<usize, String> {
    match p.text("queue") {
        "unbounded" => Ok(UNBOUNDED),
        s => match s.parse::<usize>() {
            Ok(n) if n <= UNBOUNDED => Ok(n),
            _ => Err(format!(
                "`queue={}` is not valid: expected unbounded, or a whole number from 0 to {UNBOUNDED}",
                shorten(s)
            )),
        },
    }
}

fn dist(p: &Params) -> Dist {
    match p.text("dist") {
        "const" => Dist::Const,
        "lognormal" => Dist::LogNormal(p.float("cv")),
        _ => Dist::Exp,
    }
}

fn never_or(p: &Params, key: &str) -> Option<f64> {
    Some(p.float(key))
        .filter(|x| x.is_finite())
        .map(|ms| ms * 1000.0)
}

/// Replica slots, replicas provisioned at start, and autoscaling (services only).
type Scaling = (usize, usize, Option<Autoscale>);

fn scaling(d: &CompDef) -> Result<Scaling, String> {
    let p = &d.params;
    match d.kind {
        CompKind::Service if p.text("autoscale") == "on" => {
            let replicas = p.int("replicas") as usize;
            let (min, max) = (
                p.int("min_replicas") as usize,
                p.int("max_replicas") as usize,
            );
            if min > max || replicas < min || replicas > max {
                return Err(format!(
                    "autoscaling needs min_replicas <= replicas <= max_replicas; got {min}, {replicas}, {max}"
                ));
            }
            let a = Autoscale {
                target: p.float("target"),
                min,
                max,
                startup_us: us(p.float("startup_ms")),
                every_us: us(p.float("scale_ms")),
                last: (0.0, 0.0),
            };
            Ok((max, replicas, Some(a)))
        }
        CompKind::Service => {
            let n = p.int("replicas") as usize;
            Ok((n, n, None))
        }
        CompKind::Database => {
            let n = 1 + p.int("read_replicas") as usize;
            Ok((n, n, None))
        }
        _ => Ok((1, 1, None)),
    }
}

pub fn station(d: &CompDef) -> Result<StationPart, String> {
    let p = &d.params;
    let (slots, active, autoscale) = scaling(d)?;
    let mut st = Station::new(
        p.int("workers") as u32,
        waiting_room(p)?,
        dist(p),
        p.float("service_ms") * 1000.0,
        slots,
        active,
    );
    st.fail = p.float("fail");
    let cache = (d.kind == CompKind::Cache).then(|| {
        let keys = p.int("keys") as usize;
        CacheState {
            lru: Lru::new(p.int("capacity") as usize, keys),
            zipf: Zipf::new(keys, p.float("zipf")),
            ttl_us: never_or(p, "ttl_ms").map(|x| x as u64),
            hits: 0,
            misses: 0,
        }
    });
    let db = (d.kind == CompKind::Database).then(|| Db {
        writes: p.float("writes"),
        lag_us: us(p.float("lag_ms")),
        last_write: vec![Time::ZERO; p.int("keys") as usize],
        replica_reads: 0,
        stale: 0,
    });
    Ok(StationPart {
        st,
        shed: match p.text("shed") {
            "lifo" => Shed::Lifo,
            "deadline" => Shed::Deadline,
            _ => Shed::None,
        },
        fallback: p.text("fallback") == "on",
        autoscale,
        mtbf_us: never_or(p, "mtbf_ms"),
        mttr_us: p.float("mttr_ms") * 1000.0,
        cache,
        db,
    })
}

/// What component `d`'s kind adds (a balancer's targets are filled in later).
pub fn part(d: &CompDef, rng: SimRng) -> Result<Part, String> {
    let p = &d.params;
    Ok(match d.kind {
        CompKind::Clients => {
            let spike = (
                p.float("spike_rate"),
                Time::from_ms_f64(p.float("spike_from_ms")),
                Time::from_ms_f64(p.float("spike_to_ms")),
            );
            if spike.0 > 0.0 && spike.2 <= spike.1 {
                return Err("a spike needs spike_to_ms after spike_from_ms".into());
            }
            Part::Clients(Clients {
                rate: p.float("rate"),
                spike,
                deadline_us: us(p.float("deadline_ms")).max(1),
                gen: 0,
            })
        }
        CompKind::Balancer => Part::Balancer(Lb {
            bal: Balancer::new(
                Algorithm::parse(p.text("algorithm")).unwrap_or(Algorithm::RoundRobin),
                &[1.0],
                rng,
            ),
            targets: Vec::new(),
            health_us: us(p.float("health_ms")).max(1),
        }),
        CompKind::Queue => Part::Queue(Broker {
            items: VecDeque::new(),
            max: p.int("max_depth") as usize,
            block: p.text("full") == "block",
            consumers: p.int("consumers") as u32,
            in_flight: 0,
            blocked: VecDeque::new(),
            last: Time::ZERO,
            depth_area: 0.0,
            busy_area: 0.0,
            drained: 0,
            wait_us: 0,
            failed: 0,
        }),
        CompKind::Limiter => Part::Limiter(Bucket {
            rate: p.float("rate"),
            burst: p.float("burst"),
            tokens: p.float("burst"),
            last: Time::ZERO,
        }),
        _ => Part::Station(Box::new(station(d)?)),
    })
}
