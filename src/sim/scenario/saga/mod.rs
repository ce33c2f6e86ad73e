//! `saga`: an order reserves stock (inventory), charges a card (payment) and books a shipment
//! (shipping), each service owning its data. Run it as a saga with an orchestrator, as a saga by
//! choreography over an event bus, or as two-phase commit; make a step fail, crash the
//! orchestrator or coordinator, duplicate messages, turn idempotency off, and watch the auditor
//! judge every ended order from the services' own data.
//!
//! Node layout (ids): 0 the shop (client), 1 the hub (orchestrator, event bus or coordinator),
//! 2 inventory, 3 payment, 4 shipping; a star around the hub.

mod audit;
mod choreo;
pub mod config;
mod diagram;
mod fixup;
mod hub;
mod model;
mod msg;
mod service;
mod view;

pub use audit::{Class, INVARIANTS};
pub use config::{Mode, Step, STEPS};
pub use diagram::{Arrow, Diagram, Note};
pub use fixup::fixup;
pub use model::{HUB, SHOP};
pub use msg::{Msg, Timer};
pub use view::{InvariantView, OrderView, SagaView, ServiceView};

use super::{Model, ScenarioSpec, Sim};
use crate::sim::command::Command;
use crate::sim::dist::{Latency, Spread};
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{shorten, ParamError, Params, Value};
use crate::sim::snapshot::Snapshot;
use crate::sim::time::Time;
use crate::sim::topology::{LinkInfo, Role, Topology};
use config::Config;
use model::SagaModel;

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "saga",
    title: "Sagas and two-phase commit",
    help: "an order crosses inventory, payment and shipping; fail a step, crash the orchestrator or coordinator, duplicate messages, and audit every order",
    params: config::PARAMS,
    actions: &[("do:duplicate-next", "Duplicate the next message to a service")],
    charts: &["in_flight", "inconsistent"],
    focus: &["committed", "compensated", "inconsistent", "in_flight"],
    build,
};

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    let cfg = Config::from_params(p)?;
    let topo = layout(&cfg);
    Ok(Box::new(Sim::new(
        &SPEC,
        p,
        seed,
        SagaModel::new(cfg),
        Network::new(topo),
    )))
}

/// The shop on the left, the hub in the middle, the three services on the right.
fn layout(cfg: &Config) -> Topology {
    let mut t = Topology::default();
    let link = LinkInfo {
        latency: Latency::ms(cfg.link_ms, Spread::Uniform),
        loss: 0.0,
        duplicate: 0.0,
    };
    let shop = t.add_node("shop", Role::Client, 0.08, 0.5);
    let (name, role) = match cfg.mode {
        Mode::Orchestration => ("orchestrator", Role::Coordinator),
        Mode::Choreography => ("event bus", Role::Bus),
        Mode::TwoPc => ("coordinator", Role::Coordinator),
    };
    let hub = t.add_node(name, role, 0.42, 0.5);
    t.add_link(shop, hub, link);
    for (i, step) in STEPS.iter().enumerate() {
        let s = t.add_node(step.name(), Role::Service, 0.86, 0.14 + 0.36 * i as f32);
        t.add_link(hub, s, link);
    }
    t
}

impl Model for SagaModel {
    fn metrics(&self, net: NetStats, now: Time) -> Metrics {
        let [in_flight, committed, compensated, inconsistent] = self.audit.counts;
        let placed = self.orders.len() as u64;
        let patience = self.cfg.timeout_us;
        let blocked: usize = self.services.iter().map(|s| s.blocked(now, patience)).sum();
        let lock_us: u64 = self.services.iter().map(|s| s.lock_held_us(now)).sum();
        let dups: u64 = self.services.iter().map(|s| s.duplicate_effects).sum();
        let per_order = if placed == 0 {
            0.0
        } else {
            net.sent as f64 / placed as f64
        };
        let mut m = Metrics::default();
        m.int("orders", placed as i64)
            .int("committed", committed as i64)
            .int("compensated", compensated as i64)
            .int("inconsistent", inconsistent as i64)
            .int("in_flight", in_flight as i64)
            .int("refused", self.refused as i64)
            .int("blocked", blocked as i64)
            .int("duplicate_effects", dups as i64)
            .int("messages", net.sent as i64)
            .int("hub_messages", self.hub_messages as i64)
            .float("messages_per_order", per_order)
            .float("latency_mean_ms", self.latency.mean() / 1000.0)
            .float(
                "latency_p99_ms",
                self.latency.quantile(0.99) as f64 / 1000.0,
            )
            .float("lock_held_ms", lock_us as f64 / 1000.0)
            .int("retries", self.retries as i64)
            .int("steps_failed", self.failures as i64);
        m
    }

    fn decorate(&self, snap: &mut Snapshot) {
        view::decorate(self, snap);
    }

    fn set(&mut self, key: &str, value: &Value, _net: &mut Network) -> Result<(), String> {
        let num = |v: &Value| match v {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            _ => 0.0,
        };
        match (key, value) {
            ("fail_step", Value::Word(w)) => self.cfg.fail_step = Step::parse(w),
            ("idempotent", Value::Word(w)) => self.cfg.idempotent = *w == "on",
            ("fail_rate", v) => self.cfg.fail_rate = num(v),
            ("duplicate_rate", v) => self.cfg.duplicate_rate = num(v),
            ("retries", v) => self.cfg.retries = num(v).clamp(0.0, 20.0) as u32,
            ("timeout_ms", v) => self.cfg.timeout_us = Time::from_ms_f64(num(v)).0.max(1),
            _ => {
                return Err(format!(
                    "`{key}` cannot change during a run; reset with the new value"
                ))
            }
        }
        Ok(())
    }

    fn take_command(&mut self) -> Option<Command> {
        self.pending.take()
    }

    fn action(&mut self, name: &str, _ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        match name {
            "duplicate-next" => {
                self.duplicate_next = true;
                Ok(())
            }
            _ => Err(format!(
                "this scenario has no action `{}`; valid: duplicate-next",
                shorten(name)
            )),
        }
    }
}

#[cfg(test)]
mod tests;
