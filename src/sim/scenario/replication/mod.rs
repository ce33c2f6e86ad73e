//! `replication`: a replicated key-value store. Clients send reads and writes to a coordinator
//! replica, which talks to the other replicas over links with latency: leaderless quorums
//! (N, R, W) or one leader with asynchronous followers. Partitions, crashes and timeouts decide
//! what each operation sees; a linearizability checker judges the recorded history.
//! The widget of the CAP, quorum and replication lessons.

mod config;
mod coord;
mod history;
mod protocol;
mod timeline;
mod versions;
mod view;

use super::{Model, ScenarioSpec, Sim};
use crate::sim::compact::VecMap;
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::{ParamError, Params, Value};
use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::time::Time;
use crate::sim::topology::NodeId;
use crate::sim::Command;
pub use config::{Config, Mode, ReadFrom, Scheme, PARAMS};
pub use history::RECORD_CAP;
use history::{History, Split};
use protocol::{Msg, Pending, Replica, Timer};
pub use timeline::{Bar, BarStatus, OpLog, CHUNK};
pub use versions::{Conflict, Sib, Sibs, Vv, MAX_N};
pub use view::{ReplicaRow, ReplicationView};

/// Registry entry.
pub static SPEC: ScenarioSpec = ScenarioSpec {
    name: "replication",
    title: "Replicated key-value store",
    help: "clients read and write through coordinator replicas; partition them, tune N/R/W, switch CP/AP, and let a linearizability checker judge the history",
    params: PARAMS,
    actions: &[("unsplit", "Heal the partition")],
    charts: &["availability", "stale_reads", "lost_in_reconcile"],
    focus: &["availability", "stale_reads", "linearizable", "lost_in_reconcile"],
    build,
};

/// A client: its node, its home replica (the coordinator it talks to) and the operation it
/// is waiting for.
#[derive(Clone, Debug)]
pub struct Client {
    pub node: u32,
    pub home: u32,
    pub busy: Option<u64>,
}

/// The model's state.
pub struct Replication {
    cfg: Config,
    replicas: Vec<Replica>,
    clients: Vec<Client>,
    pending: VecMap<u64, Pending>,
    hist: History,
    issued: u64,
    /// A partition change the model scheduled, for the engine to apply.
    net_cmd: Option<Command>,
    partitioned: bool,
    /// Start of the current healed period (0 if there never was a partition).
    healed_at: Option<Time>,
    converged_at: Option<Time>,
    /// Bit k set: replicas disagree on key k.
    divergent: u64,
    /// Periodic timers stop after this time once the workload is over.
    quiet_until: Time,
    /// Anti-entropy was switched on while running: arm the timers at the next event.
    rearm: bool,
    ae_cursor: Vec<u32>,
    /// Partitioned periods and the replicas' groups in each, for lost updates.
    partitions: Vec<Split>,
    /// The most siblings any key held on any replica at any moment of the run.
    siblings_max: usize,
    /// The timeline's shared chunks (for snapshots).
    timeline: timeline::TimelineCache,
}

fn build(p: &Params, seed: u64) -> Result<Box<dyn super::Scenario>, ParamError> {
    let cfg = Config::from_params(p)?;
    let (topo, clients) = config::layout(&cfg);
    let keys = cfg.keys as usize;
    let model = Replication {
        replicas: (0..cfg.n).map(|_| Replica::new(keys)).collect(),
        hist: History::new(clients.len(), keys, cfg.ops as usize),
        clients,
        pending: VecMap::new(),
        issued: 0,
        net_cmd: None,
        partitioned: false,
        healed_at: Some(Time::ZERO),
        converged_at: Some(Time::ZERO),
        divergent: 0,
        quiet_until: Time::ZERO,
        rearm: false,
        ae_cursor: (0..cfg.n).collect(),
        partitions: Vec::new(),
        siblings_max: 1,
        timeline: timeline::TimelineCache::default(),
        cfg,
    };
    Ok(Box::new(Sim::new(
        &SPEC,
        p,
        seed,
        model,
        Network::new(topo),
    )))
}

impl Replication {
    /// Every workload operation has ended.
    fn all_done(&self) -> bool {
        self.issued >= self.cfg.ops && self.hist.ended() as u64 >= self.issued
    }

    /// Values every replica stores now (for lost-update accounting, `history::lost`).
    fn stored(&self) -> impl Iterator<Item = u64> + '_ {
        self.replicas
            .iter()
            .flat_map(|r| r.store.iter())
            .flat_map(|s| s.as_slice().iter().map(|x| x.value))
    }

    fn convergence_ms(&self) -> f64 {
        match (self.healed_at, self.converged_at) {
            (Some(h), Some(c)) if !self.partitioned => c.since(h) as f64 / 1000.0,
            _ => -1.0,
        }
    }

    /// Close the partitioned period in force (if any) and open one for the new groups (if
    /// partitioned): a split while split starts a new period with its own groups.
    fn record_split(&mut self, ctx: &Ctx<Msg, Timer>, was: bool, now: bool) {
        if was {
            if let Some(p) = self.partitions.last_mut() {
                p.end = ctx.now.0;
            }
        }
        if now {
            let mut groups = [0; MAX_N];
            for (i, g) in groups.iter_mut().enumerate().take(self.cfg.n as usize) {
                *g = ctx.net.group(NodeId(i as u32));
            }
            self.partitions.push(Split {
                start: ctx.now.0,
                end: u64::MAX,
                groups,
            });
        }
    }

    fn max_siblings(&self) -> usize {
        self.replicas
            .iter()
            .flat_map(|r| r.store.iter())
            .map(Sibs::len)
            .max()
            .unwrap_or(1)
    }
}

impl Model for Replication {
    fn metrics(&self, net: NetStats, _now: Time) -> Metrics {
        let c = &self.hist.counts;
        let ended = c.succeeded + c.failed;
        let verdict = self.hist.verdict(self.all_done());
        let lost = self.hist.lost(self.stored(), &self.partitions);
        let mut m = Metrics::default();
        m.int("requests", self.issued as i64)
            .int("succeeded", c.succeeded as i64)
            .int("failed", c.failed as i64)
            .float(
                "availability",
                if ended == 0 {
                    1.0
                } else {
                    c.succeeded as f64 / ended as f64
                },
            )
            .int("stale_reads", c.stale as i64)
            .word("linearizable", verdict.decision.word())
            .int("lost_in_reconcile", lost.in_reconcile as i64)
            .int("lost_concurrent", lost.concurrent as i64)
            .int("divergent_keys", self.divergent.count_ones() as i64)
            .float("convergence_ms", self.convergence_ms())
            .int("ryw_violations", c.ryw as i64)
            .int("monotonic_violations", c.monotonic as i64)
            .int("siblings", self.max_siblings() as i64)
            .int("siblings_max", self.siblings_max as i64)
            .float("latency_mean_ms", c.latency.mean() / 1000.0)
            .float("latency_p99_ms", c.latency.quantile(0.99) as f64 / 1000.0)
            .int("messages", net.sent as i64)
            .int("dropped", net.dropped as i64);
        m
    }

    fn decorate(&self, snap: &mut Snapshot) {
        view::label_nodes(self, snap);
        snap.extra = Extra::Replication(Box::new(view::build(self, snap)));
    }

    fn set(&mut self, key: &str, value: &Value, _net: &mut Network) -> Result<(), String> {
        let was_off = self.cfg.ae_us == 0;
        self.cfg.set(key, value)?;
        self.rearm |= was_off && self.cfg.ae_us > 0;
        Ok(())
    }

    fn on_partition(&mut self, ctx: &mut Ctx<Msg, Timer>, partitioned: bool) {
        let was = std::mem::replace(&mut self.partitioned, partitioned);
        self.record_split(ctx, was, partitioned);
        if partitioned {
            self.healed_at = None;
            self.converged_at = None;
        } else {
            self.healed_at = Some(ctx.now);
            self.converged_at = (self.divergent == 0).then_some(ctx.now);
            self.quiet_until = self.quiet_until.max(ctx.now.plus_us(self.grace_us()));
            self.arm_all(ctx);
        }
    }

    fn take_command(&mut self) -> Option<Command> {
        self.net_cmd.take()
    }
}

#[cfg(test)]
mod tests;
