//! A component at run time: its kind's own part (clients' arrivals, a balancer, a queueing
//! station, a broker, a token bucket), its policy for the calls it makes downstream (timeout,
//! retries, budget, breaker, bulkhead), and its counters. Built from a checked `CompDef`; the
//! few cross-key rules give errors naming the line and the key.

use super::breaker::{Breaker, BreakerCfg};
use super::intern::Names;
use super::keys::CompKind;
use super::parse::CompDef;
pub use super::parts::*;
use super::retry::{Budget, Policy, Retry};
use crate::sim::params::Params;
use crate::sim::rng::SimRng;
use crate::sim::time::Time;

/// "No particular replica".
pub const ANY: u16 = u16::MAX;

/// The waiting room that stands for "unbounded" (bounded, so memory is).
pub const UNBOUNDED: usize = 100_000;

/// Milliseconds as whole microseconds.
pub fn us(ms: f64) -> u64 {
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
    let part = part(d, rng)?;
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
