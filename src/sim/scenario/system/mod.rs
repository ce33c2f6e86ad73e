//! `system`: compose your own system from components (clients, balancer, service, cache,
//! database, queue, limiter) in a design text, and run it on the engine like every scenario.
//! Every component is a real queueing station or a real policy, every request has a deadline,
//! and the runs reproduce queueing theory (`tests/theory_system.rs`). Files: `keys.rs` (kinds
//! and their keys), `parse.rs` (the design text), `graph.rs` (wires, loops, layout),
//! `presets.rs`, `comp.rs` (components at run time), `parts.rs` (what each kind adds), `station.rs`, `retry.rs`, `breaker.rs`,
//! `lru.rs`, `slab.rs`, `model.rs` (messages, timers, dispatch), `calls.rs` (caller side),
//! `serve.rs` (callee side), `timeouts.rs` (one sweep timer for every call timeout), `broker.rs`, `ops.rs` (crashes, health, autoscaling, faults),
//! `report.rs` (metrics), `view.rs` (what the panel draws), `intern.rs` (metric names),
//! `wires.rs` (calls counted per wire, their recent rate), `draw.rs` (state lines, bars, pips and
//! wire rates for the drawing).

mod breaker;
mod broker;
mod calls;
pub mod comp;
mod draw;
mod fixup;
mod graph;
mod intern;
pub mod keys;
mod lru;
mod model;
mod ops;
pub mod parse;
mod parts;
pub mod presets;
mod report;
mod retry;
mod serve;
mod slab;
mod station;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_end;
mod timeouts;
mod view;
mod wires;

pub use fixup::fixup;
pub use graph::columns;
pub use model::{Msg, SystemModel, Timer};
pub use view::{CompView, SystemView};

use super::{Model, Scenario, ScenarioSpec, Sim};
use crate::sim::command::Command;
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{param, Kind, ParamError, ParamSpec, Params};
use crate::sim::rng::SimRng;
use crate::sim::scenario::load_balancer::balancer::Balancer;
use crate::sim::snapshot::Snapshot;
use crate::sim::time::Time;
use comp::{Part, ANY};

const PARAMS: &[ParamSpec] = &[
    param("design", "", Kind::Text { hint: "a design: statements such as `api: service workers=4` and `users -> api`, separated by newlines or `;` (see sandbox list)", long: true }, "the system to run, as design text", false),
    param("preset", "none", Kind::Choice(presets::PRESET_CHOICES), "a named design to start from (when design is empty)", false),
    param("duration_ms", "10000", Kind::Float { min: 100.0, max: 3_600_000.0 }, "clients send requests for this long; the run ends when every request has ended", false),
];

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "system",
    title: "Compose a system",
    help: "components, wires and faults from a design text; every component a queue, every request with a deadline",
    params: PARAMS,
    actions: &[],
    charts: &["availability", "offered_rate", "goodput", "latency_p99_ms"],
    focus: &["availability", "goodput", "latency_p99_ms", "attempts_per_request"],
    build,
};

impl Model for SystemModel {
    fn metrics(&self, net: NetStats, now: Time) -> Metrics {
        self.all_metrics(net, now)
    }
    fn finished(&self, now: Time) -> bool {
        SystemModel::finished(self, now)
    }
    fn decorate(&self, snap: &mut Snapshot) {
        self.labels(snap);
        self.view(snap);
    }
    fn take_command(&mut self) -> Option<Command> {
        if self.pending.is_empty() {
            None
        } else {
            Some(self.pending.remove(0))
        }
    }
    fn action(&mut self, name: &str, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        if name.starts_with("spike:") {
            let (c, ms) = self.spike(ctx.now, name)?;
            ctx.timer(None, 0, Timer::Rate(c));
            ctx.timer(None, ms, Timer::Rate(c));
            return Ok(());
        }
        self.act(name)
    }
}

/// Every kind and key of the design text and every preset, as `sandbox list` prints them.
pub fn docs() -> String {
    let mut out = keys::document();
    out += "  presets (preset=NAME):\n";
    for (name, help, _) in presets::PRESETS {
        out += &format!("      {name:<24} {help}\n");
    }
    out
}

/// The design text a run uses: `design`, or the preset's (the first preset when neither is given).
pub fn design_text(p: &Params) -> Result<String, String> {
    let (design, preset) = (p.text("design"), p.text("preset"));
    match (design.trim().is_empty(), preset) {
        (false, "none") => Ok(design.to_string()),
        (false, _) => Err(format!("give design=... or preset={preset}, not both")),
        (true, "none") => Ok(presets::PRESETS[0].2.to_string()),
        (true, name) => presets::preset(name)
            .map(str::to_string)
            .ok_or_else(|| format!("unknown preset `{name}`")),
    }
}

/// Build the model and network for a design text.
pub fn model(text: &str, duration: Time, seed: u64) -> Result<(SystemModel, Network), String> {
    let design = parse::parse(text)?;
    graph::check(&design)?;
    let mut comps = Vec::with_capacity(design.comps.len());
    for (i, d) in design.comps.iter().enumerate() {
        let down: Vec<u16> = design
            .wires
            .iter()
            .filter(|w| w.0 == i)
            .map(|w| w.1 as u16)
            .collect();
        let c =
            comp::build(d, down, SimRng::derive(seed, 0x5157_0000 + i as u64)).map_err(|e| {
                format!(
                    "line {} (`{}`): {e}",
                    d.line,
                    crate::sim::params::shorten(&d.text)
                )
            })?;
        comps.push(c);
    }
    check_keys(&design)?;
    link_targets(&mut comps, seed);
    let max_deadline = comps
        .iter()
        .filter_map(|c| match &c.part {
            Part::Clients(cl) => Some(cl.deadline_us),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let net = Network::new(graph::topology(&design));
    let wires: Vec<(u16, u16)> = design
        .wires
        .iter()
        .map(|&(a, b)| (a as u16, b as u16))
        .collect();
    let name = |c: u16| {
        design
            .comps
            .get(c as usize)
            .map_or("?", |d| d.name.as_str())
    };
    let wire_names: Vec<wires::WireNames> = wires
        .iter()
        .map(|&(a, b)| wires::WireNames::new(name(a), name(b)))
        .collect();
    let mut links = vec![Vec::new(); design.comps.len()];
    for (k, &(a, b)) in wires.iter().enumerate() {
        let l = crate::sim::topology::LinkId(k as u32);
        links[a as usize].push((b, l));
        links[b as usize].push((a, l));
    }
    let m = SystemModel {
        comps,
        jobs: Default::default(),
        calls: Default::default(),
        users: Default::default(),
        stats: Default::default(),
        faults: design.faults,
        wires,
        stop: duration,
        end: duration.plus_us(max_deadline + 1_000_000),
        pending: Vec::new(),
        last_active: Time::ZERO,
        last_work: Time::ZERO,
        timeouts: Default::default(),
        links,
        wire_calls: vec![Default::default(); wire_names.len()],
        wire_names,
        on_wires: 0,
    };
    Ok((m, net))
}

/// Most keys all caches and databases of a design track together (memory per key).
pub const MAX_KEYS: i64 = 1_000_000;

fn check_keys(design: &parse::Design) -> Result<(), String> {
    let total: i64 = design
        .comps
        .iter()
        .filter(|c| matches!(c.kind, keys::CompKind::Cache | keys::CompKind::Database))
        .map(|c| c.params.int("keys"))
        .sum();
    if total > MAX_KEYS {
        return Err(format!(
            "the design's caches and databases track {total} keys together; at most {MAX_KEYS} in all"
        ));
    }
    Ok(())
}

/// Give every balancer its targets: each replica slot of a downstream service, or the
/// downstream component itself.
fn link_targets(comps: &mut [comp::Comp], seed: u64) {
    let slots: Vec<usize> = comps.iter().map(|c| comp::slots(&c.part)).collect();
    for (i, c) in comps.iter_mut().enumerate() {
        let down = c.down.clone();
        if let Part::Balancer(lb) = &mut c.part {
            lb.targets = down
                .iter()
                .flat_map(|&d| match slots.get(d as usize).copied().unwrap_or(0) {
                    0 => vec![(d, ANY)],
                    n => (0..n as u16).map(|r| (d, r)).collect(),
                })
                .collect();
            let weights = vec![1.0; lb.targets.len().max(1)];
            let rng = SimRng::derive(seed, 0x1B_0000 + i as u64);
            lb.bal = Balancer::new(lb.bal.algorithm, &weights, rng);
        }
    }
}

fn build(p: &Params, seed: u64) -> Result<Box<dyn Scenario>, ParamError> {
    let text = design_text(p).map_err(ParamError)?;
    let duration = Time::from_ms_f64(p.float("duration_ms"));
    let (m, net) = model(&text, duration, seed).map_err(ParamError)?;
    Ok(Box::new(Sim::new(&SPEC, p, seed, m, net)))
}
