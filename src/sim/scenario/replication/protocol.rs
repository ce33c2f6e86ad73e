//! Messages, timers and the client side of the replication protocol: clients issue one
//! operation at a time to a coordinator and give up after a timeout; the environment schedules
//! the `partition` parameter's split and heal. Coordinator and replica handlers are in `coord`.

use super::config::{ReadFrom, Scheme};
use super::versions::{Sibs, MAX_N};
use super::Replication;
use crate::sim::engine::{Ctx, Label, Protocol};
use crate::sim::time::Time;
use crate::sim::topology::NodeId;
use crate::sim::Command;

/// Why a version is being sent to a replica.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// A client's write (quorum scheme).
    Write,
    /// A read writing back what it will return (ABD).
    WriteBack,
    /// Read repair: no acknowledgement expected.
    Repair,
    /// Hinted handoff of a write the target missed (generation of the hint).
    Hint(u32),
    /// Leader to follower.
    Replicate,
}

/// Messages between clients and replicas.
#[derive(Clone, Debug)]
pub enum Msg {
    /// Client to coordinator.
    Req { op: u64, key: u32, write: bool },
    /// Coordinator to client: the outcome, and for reads the versions returned.
    Resp { op: u64, ok: bool, val: Sibs },
    /// Store this version.
    Put {
        op: u64,
        key: u32,
        val: Sibs,
        why: Why,
    },
    /// Stored.
    Ack { op: u64, key: u32, why: Why },
    /// What do you hold for this key?
    Get { op: u64, key: u32 },
    /// This.
    Got { op: u64, val: Sibs },
    /// Anti-entropy: every key's versions (and whether to answer with one's own).
    Sync { store: Vec<Sibs>, reply: bool },
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Req { write: true, .. } => "write",
            Msg::Req { .. } => "read",
            Msg::Resp { ok: true, .. } => "reply",
            Msg::Resp { .. } => "refused",
            Msg::Put {
                why: Why::Repair, ..
            } => "repair",
            Msg::Put {
                why: Why::Hint(_), ..
            } => "hint",
            Msg::Put {
                why: Why::Replicate,
                ..
            } => "replicate",
            Msg::Put { .. } => "put",
            Msg::Ack { .. } => "ack",
            Msg::Get { .. } => "get",
            Msg::Got { .. } => "value",
            Msg::Sync { .. } => "sync",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Msg::Req { op, .. }
            | Msg::Resp { op, .. }
            | Msg::Put { op, .. }
            | Msg::Ack { op, .. }
            | Msg::Get { op, .. }
            | Msg::Got { op, .. } => *op,
            Msg::Sync { .. } => 0,
        }
    }
}

/// Timers.
#[derive(Clone, Copy, Debug)]
pub enum Timer {
    /// Client `i` issues its next operation.
    Issue(u32),
    /// A client gives up waiting for operation `op`.
    ClientTimeout(u64),
    /// A coordinator stops waiting for operation `op`'s quorum.
    Deadline(u64),
    /// A replica retries its hinted handoffs.
    Hints,
    /// A replica swaps its store with a peer.
    AntiEntropy,
    /// The `partition` parameter's split starts.
    Split,
    /// ... and ends.
    Heal,
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Issue(_) => "issue",
            Timer::ClientTimeout(_) => "client timeout",
            Timer::Deadline(_) => "deadline",
            Timer::Hints => "hints",
            Timer::AntiEntropy => "anti-entropy",
            Timer::Split => "partition",
            Timer::Heal => "heal",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Timer::ClientTimeout(op) | Timer::Deadline(op) => *op,
            _ => 0,
        }
    }
}

/// Phase of an operation at its coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A write asking R replicas for the current version first (its causal context).
    Context,
    Write,
    Read,
    WriteBack,
}

/// An operation its coordinator is working on (volatile: lost if the coordinator crashes).
#[derive(Clone, Debug)]
pub struct Pending {
    pub coord: u32,
    pub client: u32,
    pub key: u32,
    pub phase: Phase,
    /// Replicas that answered in this phase.
    pub acks: u16,
    pub replied: bool,
    /// The current phase gives up at this time.
    pub deadline: Time,
    /// The version written, or the merge of the versions read.
    pub val: Sibs,
    /// Read phase: fingerprint of each responder's version (for read repair).
    pub fps: [u64; MAX_N],
}

/// A hinted handoff: a version `target` missed, kept by the coordinator until acknowledged.
#[derive(Clone, Debug)]
pub struct Hint {
    pub target: u32,
    pub key: u32,
    pub val: Sibs,
    pub gen: u32,
}

/// A replica: its durable store (per key) and per-key write counters; hints are volatile.
#[derive(Clone, Debug)]
pub struct Replica {
    pub store: Vec<Sibs>,
    pub counter: Vec<u32>,
    pub hints: Vec<Hint>,
    pub hints_armed: bool,
    pub ae_armed: bool,
}

impl Replica {
    /// A replica holding the initial value of every key.
    pub fn new(keys: usize) -> Replica {
        Replica {
            store: vec![Sibs::default(); keys],
            counter: vec![0; keys],
            hints: Vec::new(),
            hints_armed: false,
            ae_armed: false,
        }
    }
}

/// Context type of this protocol's handlers.
pub type Cx<'a, 'b> = &'a mut Ctx<'b, Msg, Timer>;

impl Protocol for Replication {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        for i in 0..self.clients.len() as u32 {
            self.schedule_issue(ctx, i);
        }
        if self.cfg.groups.is_some() {
            ctx.timer(None, self.cfg.partition_at_us, Timer::Split);
            if let Some(h) = self.cfg.heal_at_us {
                ctx.timer(None, h.max(self.cfg.partition_at_us), Timer::Heal);
            }
        }
        self.arm_all(ctx);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Msg, Timer>, at: NodeId, from: NodeId, msg: Msg) {
        self.housekeeping(ctx);
        match msg {
            Msg::Resp { op, ok, val } => self.on_resp(ctx, at, op, ok, &val),
            other => self.on_replica_msg(ctx, at.0, from.0, other),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Msg, Timer>, at: Option<NodeId>, timer: Timer) {
        self.housekeeping(ctx);
        let me = at.map_or(u32::MAX, |n| n.0);
        match timer {
            Timer::Issue(i) => self.issue(ctx, i),
            Timer::ClientTimeout(op) => self.client_timeout(ctx, op),
            Timer::Deadline(op) => self.deadline(ctx, op),
            Timer::Hints => self.send_hints(ctx, me),
            Timer::AntiEntropy => self.anti_entropy(ctx, me),
            Timer::Split => {
                self.net_cmd = self.cfg.split_command(&self.clients).map(Command::Split)
            }
            Timer::Heal => self.net_cmd = Some(Command::Unsplit),
        }
    }

    fn on_crash(&mut self, ctx: &mut Ctx<Msg, Timer>, node: NodeId, up: bool) {
        if let Some(rep) = self.replicas.get_mut(node.0 as usize) {
            rep.hints.clear();
            (rep.hints_armed, rep.ae_armed) = (false, false);
            if up {
                self.arm_all(ctx);
            } else {
                self.pending.retain(|_, p| p.coord != node.0);
            }
            return;
        }
        let Some(i) = self.clients.iter().position(|c| c.node == node.0) else {
            return;
        };
        if let Some(op) = self.clients.get_mut(i).and_then(|c| c.busy.take()) {
            self.hist.fail(op, ctx.now.0);
        }
        if up {
            self.schedule_issue(ctx, i as u32);
        }
    }
}

impl Replication {
    fn schedule_issue(&mut self, ctx: Cx, i: u32) {
        if self.issued < self.cfg.ops {
            let node = self.clients.get(i as usize).map(|c| NodeId(c.node));
            let gap = ctx.rng.exp(self.cfg.think_us) as u64;
            ctx.timer(node, gap, Timer::Issue(i));
        }
    }

    /// Where client `c` sends an operation.
    fn target(&self, ctx: Cx, c: &super::Client, write: bool) -> u32 {
        if self.cfg.scheme == Scheme::Quorum {
            return c.home;
        }
        match (write, self.cfg.read_from) {
            (true, _) | (false, ReadFrom::Leader) => 0,
            (false, ReadFrom::Follower) if c.home == 0 => 1.min(self.cfg.n - 1),
            (false, ReadFrom::Follower) => c.home,
            (false, ReadFrom::Any) => ctx.rng.below(self.cfg.n as u64) as u32,
        }
    }

    fn issue(&mut self, ctx: Cx, i: u32) {
        let Some(c) = self.clients.get(i as usize).cloned() else {
            return;
        };
        if self.issued >= self.cfg.ops || c.busy.is_some() {
            return;
        }
        let key = ctx.rng.below(self.cfg.keys as u64) as u32;
        let write = ctx.rng.chance(self.cfg.write_ratio);
        let op = self.hist.invoke(i, key, ctx.now.0, write);
        self.issued += 1;
        let to = self.target(ctx, &c, write);
        ctx.send(NodeId(c.node), NodeId(to), Msg::Req { op, key, write });
        let wait = self.cfg.client_timeout_us();
        ctx.timer(Some(NodeId(c.node)), wait, Timer::ClientTimeout(op));
        if let Some(cl) = self.clients.get_mut(i as usize) {
            cl.busy = Some(op);
        }
    }

    fn finish(&mut self, ctx: Cx, i: usize) {
        if let Some(c) = self.clients.get_mut(i) {
            c.busy = None;
        }
        self.quiet_until = self.quiet_until.max(ctx.now.plus_us(self.grace_us()));
        self.schedule_issue(ctx, i as u32);
    }

    fn on_resp(&mut self, ctx: Cx, at: NodeId, op: u64, ok: bool, val: &Sibs) {
        let Some(i) = self.clients.iter().position(|c| c.node == at.0) else {
            return;
        };
        if self.clients.get(i).and_then(|c| c.busy) != Some(op) {
            return; // a late answer to an operation the client gave up on
        }
        let write = self.hist.op(op).is_some_and(|o| {
            matches!(
                o.kind,
                crate::sim::check::linearizability::OpKind::Write { .. }
            )
        });
        if ok {
            let vv_mode = self.cfg.conflict == super::Conflict::Vv;
            let read = (!write).then_some(val);
            self.hist.succeed(op, ctx.now.0, read, vv_mode);
        } else {
            self.hist.fail(op, ctx.now.0);
        }
        self.finish(ctx, i);
    }

    fn client_timeout(&mut self, ctx: Cx, op: u64) {
        let Some(i) = self.clients.iter().position(|c| c.busy == Some(op)) else {
            return;
        };
        self.hist.fail(op, ctx.now.0);
        self.finish(ctx, i);
    }

    /// How long periodic timers keep going after the last operation or heal.
    pub(super) fn grace_us(&self) -> u64 {
        (5 * self.cfg.ae_us).max(2_000_000)
    }

    /// Keep periodic timers (anti-entropy, hints) running?
    pub(super) fn keep_running(&self, now: Time) -> bool {
        let heal_pending =
            self.cfg.groups.is_some() && self.cfg.heal_at_us.is_some_and(|h| now.0 < h);
        !self.all_done() || heal_pending || now < self.quiet_until
    }

    fn housekeeping(&mut self, ctx: Cx) {
        if self.rearm {
            self.rearm = false;
            self.arm_all(ctx);
        }
    }

    /// Start every up replica's periodic timers that are not running.
    pub(super) fn arm_all(&mut self, ctx: Cx) {
        let ae = self.cfg.ae_us;
        for (i, rep) in self.replicas.iter_mut().enumerate() {
            let node = NodeId(i as u32);
            if !ctx.net.node_up(node) {
                continue;
            }
            if ae > 0 && !rep.ae_armed {
                rep.ae_armed = true;
                let first = ae / 2 + ctx.rng.below(ae.max(1));
                ctx.timer(Some(node), first, Timer::AntiEntropy);
            }
            if !rep.hints.is_empty() && !rep.hints_armed {
                rep.hints_armed = true;
                ctx.timer(Some(node), HINT_EVERY_US, Timer::Hints);
            }
        }
    }
}

/// How often a replica retries its hinted handoffs.
pub const HINT_EVERY_US: u64 = 100_000;
