//! A component at run time: its kind's own part (clients' arrivals, a balancer, a queueing
//! station, a broker, a token bucket), its policy for the calls it makes downstream (timeout,
//! retries, budget, breaker, bulkhead), and its counters. Built from a checked `CompDef`; the
//! few cross-key rules give errors naming the line and the key.

use super::breaker::{Breaker, BreakerCfg};
use super::intern::Names;
use super::keys::CompKind;
use super::lru::Lru;
use super::parse::CompDef;
use super::retry::{Budget, Policy, Retry};
use super::slab::Token;
use super::station::{Dist, Station};
use crate::sim::dist::Zipf;
use crate::sim::params::{shorten, Params};
use crate::sim::rng::SimRng;
use crate::sim::scenario::load_balancer::balancer::Balancer;
use crate::sim::scenario::load_balancer::config::Algorithm;
use crate::sim::time::Time;
use std::collections::VecDeque;

/// "No particular replica".
pub const ANY: u16 = u16::MAX;

/// The waiting room that stands for "unbounded" (bounded, so memory is).
pub const UNBOUNDED: usize = 100_000;

fn us(ms: f64) -> u64 {
    Time::from_ms_f64(ms).0
}

/// How a component calls downstream.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Per-call timeout (0: the request's deadline).
    pub timeout_us: u64,
    pub retry: Retry,
    pub budget: Option<Budget>,
    pub breaker: Option<Breaker>,
    /// Most calls in flight to each downstream component (0: no limit).
    pub bulkhead: u32,
    /// Calls in flight, per downstream component: (component, count).
    pub outstanding: Vec<(u16, u32)>,
    /// Round-robin cursor over downstream components (clients).
    pub rr: usize,
    pub attempts: u64,
    pub sent: u64,
    pub calls_failed: u64,
    pub call_fail_us: u128,
}

impl Caller {
    /// Calls in flight to `target` now.
    pub fn in_flight(&self, target: u16) -> u32 {
        self.outstanding
            .iter()
            .find(|(t, _)| *t == target)
            .map_or(0, |(_, n)| *n)
    }

    /// One more (`up`) or one fewer call in flight to `target`.
    pub fn count(&mut self, target: u16, up: bool) {
        match self.outstanding.iter_mut().find(|(t, _)| *t == target) {
            Some((_, n)) if up => *n += 1,
            Some((_, n)) => *n = n.saturating_sub(1),
            None if up => self.outstanding.push((target, 1)),
            None => {}
        }
    }
}

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

/// A component.
#[derive(Clone, Debug)]
pub struct Comp {
    pub name: String,
    pub kind: CompKind,
    pub down: Vec<u16>,
    pub caller: Caller,
    pub part: Part,
    pub names: Names,
    /// Calls received, answered (ok or degraded), refused (rejected), failed (errors).
    pub received: u64,
    pub answered: u64,
    pub rejected: u64,
    pub errors: u64,
    pub degraded: u64,
}

fn caller(p: &Params, kind: CompKind) -> Result<Caller, String> {
    let (retry, budget) = match kind {
        CompKind::Clients | CompKind::Service => Retry::from_params(p)?,
        _ => (
            Retry {
                policy: Policy::None,
                attempts: 1,
                base_us: 0,
                cap_us: 0,
            },
            None,
        ),
    };
    let breaker = (p.text("breaker") == "on").then(|| {
        Breaker::new(BreakerCfg {
            min_calls: p.int("breaker_min") as u32,
            errors: p.float("breaker_errors"),
            window_us: us(p.float("breaker_window_ms")),
            open_us: us(p.float("breaker_open_ms")),
        })
    });
    Ok(Caller {
        timeout_us: us(p.float("timeout_ms")),
        retry,
        budget,
        breaker,
        bulkhead: p.int("bulkhead") as u32,
        outstanding: Vec::new(),
        rr: 0,
        attempts: 0,
        sent: 0,
        calls_failed: 0,
        call_fail_us: 0,
    })
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

fn station(d: &CompDef) -> Result<StationPart, String> {
    let p = &d.params;
    let (slots, active, autoscale) = match d.kind {
        CompKind::Service => {
            let replicas = p.int("replicas") as usize;
            if p.text("autoscale") == "on" {
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
                (max, replicas, Some(a))
            } else {
                (replicas, replicas, None)
            }
        }
        CompKind::Database => {
            let n = 1 + p.int("read_replicas") as usize;
            (n, n, None)
        }
        _ => (1, 1, None),
    };
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

/// The replica slots a balancer may pick from on component `c` (ANY for a single target).
pub fn slots(part: &Part) -> usize {
    match part {
        Part::Station(s) if s.db.is_none() && s.cache.is_none() => s.st.replicas.len(),
        _ => 0,
    }
}

/// Build component `i` of a design; `down` lists its downstream components and `comps` the
/// ones built so far are not needed: balancer targets are filled in by `link_targets`.
pub fn build(d: &CompDef, down: Vec<u16>, rng: SimRng) -> Result<Comp, String> {
    let p = &d.params;
    let part = match d.kind {
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
    };
    Ok(Comp {
        names: Names::new(&d.name, d.kind),
        name: d.name.clone(),
        kind: d.kind,
        down,
        caller: caller(p, d.kind)?,
        part,
        received: 0,
        answered: 0,
        rejected: 0,
        errors: 0,
        degraded: 0,
    })
}
