//! What the saga widget draws beyond the topology (plain data for `Extra::Saga`): each
//! service's own data, the three invariants with the first order that breaks each and why, and
//! the sequence diagrams of recent orders; plus the node labels on the diagram.

use super::audit::{Audit, Class, INVARIANTS};
use super::config::{Mode, STEPS};
use super::diagram::Diagram;
use super::model::{SagaModel, HUB, SHOP};
use crate::sim::snapshot::{Extra, Snapshot};

/// One service as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceView {
    pub name: &'static str,
    pub node: u32,
    pub verb: &'static str,
    pub undo_verb: &'static str,
    /// Its data in words, e.g. "reserved 40 · released 3".
    pub data: String,
    /// 2PC locks held now.
    pub locks: usize,
    /// This step is set to fail (`fail_step`).
    pub failing: bool,
    pub duplicate_effects: u64,
}

/// One invariant's state.
#[derive(Clone, Debug, PartialEq)]
pub struct InvariantView {
    pub name: &'static str,
    pub rule: &'static str,
    /// Ended orders breaking it.
    pub broken: usize,
    /// The first of them, explained.
    pub first: Option<(u32, String)>,
}

/// A recent order: its diagram and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderView {
    pub diagram: Diagram,
    pub state: &'static str,
}

/// The saga widget's extra view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SagaView {
    pub mode: &'static str,
    /// What node 1 is: orchestrator, event bus or coordinator.
    pub hub: &'static str,
    pub hub_up: bool,
    pub idempotent: bool,
    pub duplicate_next: bool,
    pub services: Vec<ServiceView>,
    pub invariants: Vec<InvariantView>,
    /// Pinned (first inconsistent) order first, then the latest, newest first.
    pub orders: Vec<OrderView>,
    pub now_us: u64,
}

/// A class in words.
pub fn state_word(c: Class) -> &'static str {
    match c {
        Class::InFlight => "in flight",
        Class::Committed => "committed",
        Class::Compensated => "compensated",
        Class::Inconsistent => "inconsistent",
    }
}

fn data_line(m: &SagaModel, i: usize) -> String {
    let s = &m.services[i];
    let (applied, undone) = s.totals();
    let (did, undid) = match s.step {
        super::config::Step::Inventory => ("reserved", "released"),
        super::config::Step::Payment => ("charged", "refunded"),
        super::config::Step::Shipping => ("booked", "cancelled"),
    };
    let mut line = format!("{did} {applied} · {undid} {undone}");
    if m.cfg.mode == Mode::TwoPc {
        line += &format!(" · locks {}", s.locks.len());
    }
    line
}

/// "order #12: stock taken 1, card charged 0, shipments 0".
fn explain(m: &SagaModel, order: u32) -> String {
    let [a, b, c] = Audit::nets(&m.services, order);
    format!("order #{order} ended with stock taken {a}, card charged {b}, shipments {c} (net)")
}

/// Node labels, the extra view.
pub fn decorate(m: &SagaModel, snap: &mut Snapshot) {
    let open = m.audit.counts[Class::InFlight as usize];
    for n in &mut snap.nodes {
        n.label = match n.id {
            SHOP => format!("placed {}/{}", m.orders.len(), m.cfg.orders),
            HUB if m.cfg.mode == Mode::Choreography => format!("relayed {}", m.hub_messages),
            HUB => format!("open {open}"),
            id => STEPS
                .iter()
                .position(|s| s.node() == id)
                .map_or_else(String::new, |i| data_line(m, i)),
        };
    }
    snap.extra = Extra::Saga(Box::new(view(m, snap.now.0)));
}

fn view(m: &SagaModel, now_us: u64) -> SagaView {
    let services = STEPS
        .iter()
        .enumerate()
        .map(|(i, &step)| ServiceView {
            name: step.name(),
            node: step.node(),
            verb: step.verb(),
            undo_verb: step.undo_verb(),
            data: data_line(m, i),
            locks: m.services[i].locks.len(),
            failing: m.cfg.fail_step == Some(step),
            duplicate_effects: m.services[i].duplicate_effects,
        })
        .collect();
    let invariants = INVARIANTS
        .iter()
        .zip(&m.audit.offenders)
        .map(|(&(name, rule), set)| InvariantView {
            name,
            rule,
            broken: set.len(),
            first: set.iter().next().map(|&o| (o, explain(m, o))),
        })
        .collect();
    let orders = m
        .diagrams
        .all()
        .into_iter()
        .map(|d| OrderView {
            state: state_word(m.audit.class(d.order)),
            diagram: d,
        })
        .collect();
    SagaView {
        mode: m.cfg.mode.name(),
        hub: m.cfg.mode.hub(),
        hub_up: m.hub_up,
        idempotent: m.cfg.idempotent,
        duplicate_next: m.duplicate_next,
        services,
        invariants,
        orders,
        now_us,
    }
}
