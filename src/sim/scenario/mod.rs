//! The one seam every widget's simulation plugs into: the `Scenario` trait, the `Model` trait a
//! scenario module implements, the generic `Sim` that joins a model to the engine, and the
//! registry of scenarios with their parameters.

pub mod cache;
pub mod load_balancer;
pub mod replication;
pub mod saga;
pub mod sharding;
pub mod system;
pub mod topology;

use super::command::{Command, Mark, Timed};
use super::engine::{Engine, NetStats, Protocol};
use super::metrics::Metrics;
use super::network::Network;
use super::params::{ParamError, ParamSpec, Params, Value};
use super::snapshot::Snapshot;
use super::time::Time;
use super::topology::{LinkId, NodeId};

/// A running simulation, as the CLI, the UI and the tests drive it.
pub trait Scenario {
    /// Its registry entry (name, parameters, actions).
    fn spec(&self) -> &'static ScenarioSpec;
    /// The seed it was created with.
    fn seed(&self) -> u64;
    /// Its parameters, as currently set (live changes included).
    fn params(&self) -> &Params;
    /// Current simulated time.
    fn now(&self) -> Time;
    /// Events processed so far.
    fn events(&self) -> u64;
    /// Nothing left to simulate.
    fn is_done(&self) -> bool;
    /// Time of the next event, if any.
    fn next_time(&self) -> Option<Time>;
    /// Process one event; false when there was none.
    fn step(&mut self) -> bool;
    /// Process all events up to `t` and stand there.
    fn run_until(&mut self, t: Time);
    /// Move the clock forward to `t` without processing anything (replay only: the caller knows
    /// no event before `t` is pending).
    fn warp(&mut self, t: Time);
    /// Where the run stands: time and events processed.
    fn mark(&self) -> Mark {
        Mark {
            at: self.now(),
            events: self.events(),
        }
    }
    /// Run until nothing is left or `max_events` more events were processed; true if finished.
    fn run_to_end(&mut self, max_events: u64) -> bool;
    /// Apply an intervention now; errors say what was wrong and what is valid.
    fn apply(&mut self, cmd: &Command) -> Result<(), String>;
    /// The interventions applied so far, with their times (for permalinks).
    fn log(&self) -> &[Timed];
    /// What to draw.
    fn snapshot(&self) -> Snapshot;
    /// The scenario's metrics now.
    fn metrics(&self) -> Metrics;
    /// Digest of the full trace so far.
    fn trace_hash(&self) -> u64;
}

/// What a scenario module provides beyond its protocol.
pub trait Model: Protocol + 'static {
    /// Metrics now, given the engine's message counters.
    fn metrics(&self, net: NetStats, now: Time) -> Metrics;
    /// Nothing that matters is left to happen at `now`, though timers may still be pending
    /// (stale timeouts, periodic checks): the run ends here. Default: only when the event queue
    /// is empty.
    fn finished(&self, _now: Time) -> bool {
        false
    }
    /// Fill in per-node labels (and anything else scenario-specific) on a snapshot.
    fn decorate(&self, _snap: &mut Snapshot) {}
    /// Apply a live parameter change (already parsed and range-checked).
    fn set(&mut self, key: &str, _value: &Value, _net: &mut Network) -> Result<(), String> {
        Err(format!(
            "`{key}` cannot change during a run; reset with the new value"
        ))
    }
    /// The network's partition changed (a reader's `split`/`unsplit`, or one the model asked
    /// for through `take_command`); `partitioned` says whether one is now in force.
    fn on_partition(
        &mut self,
        _ctx: &mut super::engine::Ctx<Self::Msg, Self::Timer>,
        _partitioned: bool,
    ) {
    }
    /// An intervention the model schedules itself (e.g. a partition at a parameter's time),
    /// taken after each event and applied at once. Only network changes are honoured: `split`,
    /// `unsplit`, `cut`, `heal`, `crash`, `restart`. Not logged (replays recreate it).
    fn take_command(&mut self) -> Option<Command> {
        None
    }
    /// After a live parameter change was applied by `set`: send messages or start timers it
    /// needs (e.g. data that must now move). Default: nothing.
    fn after_set(&mut self, _key: &str, _ctx: &mut super::engine::Ctx<Self::Msg, Self::Timer>) {}
    /// Run a scenario-specific action (a widget button).
    fn action(
        &mut self,
        name: &str,
        _ctx: &mut super::engine::Ctx<Self::Msg, Self::Timer>,
    ) -> Result<(), String> {
        Err(format!(
            "this scenario has no action `{}`",
            super::params::shorten(name)
        ))
    }
}

/// Builds a scenario from checked parameters and a seed.
pub type Build = fn(&Params, u64) -> Result<Box<dyn Scenario>, ParamError>;

/// A scenario's registry entry.
pub struct ScenarioSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub params: &'static [ParamSpec],
    /// Buttons: (command text such as `do:expire-hot-key`, `split:0,1|2` or `unsplit`, label).
    pub actions: &'static [(&'static str, &'static str)],
    /// Metrics the widget charts over time.
    pub charts: &'static [&'static str],
    /// The metrics a widget shows up front unless its directive picks others (`show=`); the
    /// rest sit under "All metrics". At most four (a test holds every scenario to it).
    pub focus: &'static [&'static str],
    pub build: Build,
}

/// Every scenario, in lesson order.
pub static SCENARIOS: &[&ScenarioSpec] = &[
    &topology::SPEC,
    &replication::SPEC,
    &sharding::SPEC,
    &cache::SPEC,
    &load_balancer::SPEC,
    &saga::SPEC,
    &system::SPEC,
];

/// Look a scenario up by name.
pub fn find(name: &str) -> Option<&'static ScenarioSpec> {
    SCENARIOS.iter().copied().find(|s| s.name == name)
}

/// Create a scenario from `key=value` pairs and a seed.
pub fn create(
    name: &str,
    pairs: &[(String, String)],
    seed: u64,
) -> Result<Box<dyn Scenario>, ParamError> {
    let Some(spec) = find(name) else {
        let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
        return Err(ParamError(format!(
            "unknown scenario `{}`; valid scenarios: {}",
            super::params::shorten(name),
            names.join(", ")
        )));
    };
    let params = Params::parse(spec.name, spec.params, pairs)?;
    (spec.build)(&params, seed)
}

/// A digest of (scenario, every parameter, seed), folded into the trace before the first event.
fn setup_digest(name: &str, params: &Params, seed: u64) -> u64 {
    use std::hash::Hash;
    let mut h = super::hash::TraceHasher::default();
    name.hash(&mut h);
    for (k, v) in params.iter() {
        k.hash(&mut h);
        v.to_string().hash(&mut h);
    }
    seed.hash(&mut h);
    h.digest()
}

/// A model joined to the engine: implements `Scenario` for every model.
pub struct Sim<M: Model> {
    spec: &'static ScenarioSpec,
    params: Params,
    seed: u64,
    engine: Engine<M>,
    log: Vec<Timed>,
}

/// Trace lines kept for display (the digest covers the whole trace regardless).
pub const TRACE_RING: usize = 64;

impl<M: Model> Sim<M> {
    /// Start `model` on `net`.
    pub fn new(
        spec: &'static ScenarioSpec,
        params: &Params,
        seed: u64,
        model: M,
        net: Network,
    ) -> Sim<M> {
        let mut engine = Engine::new(model, net, seed, TRACE_RING);
        // The fingerprint covers the setup, so two runs differ before their first event.
        engine.mix_setup(setup_digest(spec.name, params, seed));
        Sim {
            spec,
            params: params.clone(),
            seed,
            engine,
            log: Vec::new(),
        }
    }

    fn node(&self, n: u32) -> Result<NodeId, String> {
        let count = self.engine.net.topology().node_count() as u32;
        if n < count {
            Ok(NodeId(n))
        } else {
            Err(format!(
                "there is no node {n}; nodes are numbered 0 to {}",
                count.saturating_sub(1)
            ))
        }
    }

    fn link(&self, l: u32) -> Result<LinkId, String> {
        let count = self.engine.net.topology().link_count() as u32;
        if l < count {
            Ok(LinkId(l))
        } else {
            Err(format!(
                "there is no link {l}; links are numbered 0 to {}",
                count.saturating_sub(1)
            ))
        }
    }

    fn split(&mut self, groups: &[Vec<u32>]) -> Result<(), String> {
        let mut side = vec![0u16; self.engine.net.topology().node_count()];
        for (g, members) in groups.iter().enumerate() {
            for &n in members {
                self.node(n)?;
                side[n as usize] = g as u16;
            }
        }
        self.engine.net.set_groups(side);
        Ok(())
    }

    /// Apply an intervention the model scheduled (network changes only), tracing it.
    fn scheduled(&mut self, cmd: &Command) {
        let net_change = !matches!(cmd, Command::Set { .. } | Command::Do(_));
        if net_change {
            if let Ok(node) = self.dispatch(cmd) {
                self.engine.record_command(&cmd.to_string(), node);
            }
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let spec = self
            .spec
            .params
            .iter()
            .find(|p| p.name == key)
            .ok_or_else(|| {
                let live: Vec<&str> = self
                    .spec
                    .params
                    .iter()
                    .filter(|p| p.live)
                    .map(|p| p.name)
                    .collect();
                format!(
                    "unknown parameter `{}`; live parameters: {}",
                    super::params::shorten(key),
                    live.join(", ")
                )
            })?;
        let v = spec.parse(value)?;
        if !spec.live {
            return Err(format!(
                "`{key}` cannot change during a run; reset with the new value"
            ));
        }
        self.engine.proto.set(key, &v, &mut self.engine.net)?;
        self.engine.with_ctx(|m, ctx| m.after_set(spec.name, ctx));
        self.params.set(spec.name, v);
        Ok(())
    }

    fn dispatch(&mut self, cmd: &Command) -> Result<u32, String> {
        match cmd {
            Command::Cut(l) | Command::Heal(l) => {
                let id = self.link(*l)?;
                self.engine.net.set_cut(id, matches!(cmd, Command::Cut(_)));
                Ok(*l)
            }
            Command::Crash(n) | Command::Restart(n) => {
                let id = self.node(*n)?;
                self.engine
                    .set_node_up(id, matches!(cmd, Command::Restart(_)));
                Ok(*n)
            }
            Command::Split(groups) => {
                self.split(groups)?;
                self.engine.with_ctx(|m, ctx| m.on_partition(ctx, true));
                Ok(u32::MAX)
            }
            Command::Unsplit => {
                self.engine.net.heal_partition();
                self.engine.with_ctx(|m, ctx| m.on_partition(ctx, false));
                Ok(u32::MAX)
            }
            Command::Set { key, value } => self.set(key, value).map(|_| u32::MAX),
            Command::Do(name) => self
                .engine
                .with_ctx(|m, ctx| m.action(name, ctx))
                .map(|_| u32::MAX),
        }
    }
}

impl<M: Model> Scenario for Sim<M> {
    fn spec(&self) -> &'static ScenarioSpec {
        self.spec
    }
    fn seed(&self) -> u64 {
        self.seed
    }
    fn params(&self) -> &Params {
        &self.params
    }
    fn now(&self) -> Time {
        self.engine.now()
    }
    fn events(&self) -> u64 {
        self.engine.processed()
    }
    fn is_done(&self) -> bool {
        self.engine.idle() || self.engine.proto.finished(self.engine.now())
    }
    fn next_time(&self) -> Option<Time> {
        if self.engine.proto.finished(self.engine.now()) {
            return None;
        }
        self.engine.next_time()
    }
    fn step(&mut self) -> bool {
        if self.engine.proto.finished(self.engine.now()) {
            return false;
        }
        let stepped = self.engine.step();
        if let Some(cmd) = self.engine.proto.take_command() {
            self.scheduled(&cmd);
        }
        stepped
    }
    fn run_until(&mut self, t: Time) {
        while self.next_time().is_some_and(|next| next <= t) {
            self.step();
        }
        self.engine.warp(t);
    }
    fn warp(&mut self, t: Time) {
        self.engine.warp(t)
    }
    fn run_to_end(&mut self, max_events: u64) -> bool {
        let mut n = 0;
        while n < max_events && self.step() {
            n += 1;
        }
        self.is_done()
    }
    fn apply(&mut self, cmd: &Command) -> Result<(), String> {
        let node = self.dispatch(cmd)?;
        self.engine.record_command(&cmd.to_string(), node);
        let mark = Mark {
            at: self.engine.now(),
            events: self.engine.processed(),
        };
        self.log.push(Timed {
            mark,
            cmd: cmd.clone(),
        });
        Ok(())
    }
    fn log(&self) -> &[Timed] {
        &self.log
    }
    fn snapshot(&self) -> Snapshot {
        let mut s = self.engine.snapshot();
        s.done = self.is_done();
        s.metrics = self.metrics();
        self.engine.proto.decorate(&mut s);
        s
    }
    fn metrics(&self) -> Metrics {
        self.engine
            .proto
            .metrics(self.engine.stats(), self.engine.now())
    }
    fn trace_hash(&self) -> u64 {
        self.engine.trace().digest()
    }
}
