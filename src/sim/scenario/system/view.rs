//! What the `system` panel draws: per component, its kind, busy workers of all it has, requests
//! waiting, replicas up of those provisioned, its utilisation so far and its state in words.

use super::comp::Part;
use super::model::SystemModel;
use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::time::Time;

/// One component as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct CompView {
    pub node: u32,
    pub name: String,
    pub kind: &'static str,
    /// Workers busy now, and workers provisioned (0 for components without workers).
    pub busy: u64,
    pub slots: u64,
    /// Requests waiting now (a broker's queue depth).
    pub waiting: u64,
    pub replicas_up: u32,
    pub replicas: u32,
    /// Time-average utilisation so far.
    pub utilization: f64,
    /// Can it be slowed or made to fail (service, cache, database)?
    pub station: bool,
    pub slow: f64,
    pub fail: f64,
    pub up: bool,
    /// Its breaker's state, if it has one.
    pub breaker: Option<&'static str>,
}

impl CompView {
    /// The state in words (colour is never the only signal).
    pub fn state(&self) -> String {
        let mut words = Vec::new();
        if !self.up {
            words.push("down".to_string());
        }
        if self.replicas_up < self.replicas {
            words.push(format!(
                "{} of {} replicas down",
                self.replicas - self.replicas_up,
                self.replicas
            ));
        }
        if let Some(b) = self.breaker.filter(|b| *b != "closed") {
            words.push(format!("breaker {b}"));
        }
        if self.slow != 1.0 {
            words.push(format!("slowed ×{}", crate::sim::num_fmt::Short(self.slow)));
        }
        if self.fail > 0.0 {
            words.push(format!(
                "failing {}%",
                crate::sim::num_fmt::Short((self.fail * 100.0).round())
            ));
        }
        if words.is_empty() {
            "up".to_string()
        } else {
            words.join(", ")
        }
    }
}

/// The panel's view of the whole system.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SystemView {
    pub comps: Vec<CompView>,
}

impl SystemModel {
    /// Fill the panel's view of the snapshot.
    pub fn view(&self, snap: &mut Snapshot) {
        let now = self.windows(snap.now).0;
        let comps = self
            .comps
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let up = snap.nodes.get(i).is_none_or(|n| n.up);
                let mut v = CompView {
                    node: i as u32,
                    name: c.name.clone(),
                    kind: c.kind.name(),
                    busy: 0,
                    slots: 0,
                    waiting: 0,
                    replicas_up: 1,
                    replicas: 1,
                    utilization: 0.0,
                    station: c.kind.is_station(),
                    slow: 1.0,
                    fail: 0.0,
                    up,
                    breaker: c.caller.breaker.as_ref().map(|b| b.word()),
                };
                fill(&mut v, &c.part, now);
                v
            })
            .collect();
        snap.extra = Extra::System(Box::new(SystemView { comps }));
    }
}

fn fill(v: &mut CompView, part: &Part, now: Time) {
    match part {
        Part::Station(s) => {
            let st = &s.st;
            let active = st.active() as u32;
            v.busy = st.busy();
            v.slots = st.workers as u64 * active as u64;
            v.waiting = st.waiting();
            v.replicas = active;
            v.replicas_up = st.replicas.iter().filter(|r| r.active && r.up).count() as u32;
            let (busy, _, act, _) = st.areas(now);
            v.utilization = if act > 0.0 {
                busy / (st.workers as f64 * act)
            } else {
                0.0
            };
            v.slow = st.slow;
            v.fail = st.fail;
        }
        Part::Queue(b) => {
            v.busy = b.in_flight as u64;
            v.slots = b.consumers as u64;
            v.waiting = b.items.len() as u64;
        }
        _ => {}
    }
}
