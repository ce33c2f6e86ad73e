//! The system model: components on the topology exchanging calls and replies as messages
//! along their wires, hop by hop like every scenario. Requests (`Job`s at a component, `User`
//! requests at clients) and the calls between them live in generational slabs; every timer is
//! the environment's and names its component, so a crashed component's clean-up is explicit
//! (`ops.rs`) and stale timers find nothing. Caller side in `calls.rs`, callee side in
//! `serve.rs`, faults, crashes, health checks and autoscaling in `ops.rs`, metrics in `report.rs`.

use super::comp::{Comp, Part};
use super::parse::Fault;
use super::slab::{Slab, Token};
use crate::sim::command::Command;
use crate::sim::engine::{Ctx, Label, Protocol};
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use crate::sim::topology::{LinkId, NodeId};

/// The handler context of this model.
pub type Ctx2<'a> = Ctx<'a, Msg, Timer>;

/// How a call ended, as its reply says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Answered from a fallback after a downstream failure.
    Degraded,
    Error,
    /// Refused: a full waiting room, a limiter, a breaker or bulkhead failing fast, shedding.
    Rejected,
    /// No answer in time (never sent on the wire: the caller's own verdict).
    Timeout,
}

impl Status {
    /// A success (degraded answers included).
    pub fn ok(self) -> bool {
        matches!(self, Status::Ok | Status::Degraded)
    }
}

/// A message on a wire.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A call: the caller's token, the replica a balancer chose, the request's deadline.
    Call {
        tok: Token,
        replica: u16,
        deadline: Time,
    },
    Reply {
        tok: Token,
        status: Status,
    },
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Call { .. } => "request",
            Msg::Reply { status, .. } => match status {
                Status::Ok => "reply",
                Status::Degraded => "degraded reply",
                Status::Error => "error",
                Status::Rejected => "rejected",
                Status::Timeout => "timeout",
            },
        }
    }
    fn id(&self) -> u64 {
        match self {
            Msg::Call { tok, .. } | Msg::Reply { tok, .. } => *tok,
        }
    }
}

/// Who a call is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parent {
    User(Token),
    Job(Token),
    /// A message a queue broker hands to its consumer.
    Item,
}

/// A timer (all fire in the environment; each names its component).
#[derive(Clone, Debug)]
pub enum Timer {
    Arrive {
        comp: u16,
        gen: u64,
    },
    /// The rate of clients changes (a spike starts or ends).
    Rate(u16),
    Done(Token),
    /// The earliest pending call timeout is due (`timeouts.rs`).
    Sweep,
    /// Clients stop starting requests (the run ends here if nothing is left to do).
    Stop,
    Retry {
        comp: u16,
        parent: Parent,
        target: u16,
        attempt: u32,
        prev_us: u64,
    },
    Health(u16),
    Scale(u16),
    Crash(u16, u16),
    Repair(u16, u16),
    Ready(u16, u16),
    Fault(u16),
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Arrive { .. } => "arrival",
            Timer::Rate(_) => "rate change",
            Timer::Done(_) => "served",
            Timer::Sweep => "timeouts due",
            Timer::Stop => "clients stop",
            Timer::Retry { .. } => "retry",
            Timer::Health(_) => "health check",
            Timer::Scale(_) => "autoscale",
            Timer::Crash(..) => "replica crash",
            Timer::Repair(..) => "replica repaired",
            Timer::Ready(..) => "replica started",
            Timer::Fault(_) => "fault",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Timer::Done(t) => *t,
            _ => 0,
        }
    }
}

/// A request being handled at a component.
#[derive(Clone, Debug)]
pub struct Job {
    pub comp: u16,
    /// Replica (stations) or target index (balancers).
    pub replica: u16,
    pub from: NodeId,
    /// The caller's token, echoed in the reply.
    pub token: Token,
    pub deadline: Time,
    pub arrived: Time,
    /// Downstream calls still out.
    pub pending: u16,
    pub failed: Option<Status>,
    /// In service at its replica (not waiting).
    pub serving: bool,
    pub key: u32,
}

/// A user request at clients.
#[derive(Clone, Debug)]
pub struct User {
    pub comp: u16,
    pub started: Time,
    pub deadline: Time,
}

/// A call in flight from a caller.
#[derive(Clone, Debug)]
pub struct Call {
    pub caller: u16,
    pub target: u16,
    pub parent: Parent,
    pub attempt: u32,
    pub prev_us: u64,
    pub started: Time,
    pub probe: bool,
}

/// Outcomes of user requests.
#[derive(Clone, Debug, Default)]
pub struct Users {
    pub offered: u64,
    pub good: u64,
    pub late: u64,
    pub degraded: u64,
    pub timeouts: u64,
    pub rejected: u64,
    pub errors: u64,
    /// Successful replies that reached clients, late ones included.
    pub replies_ok: u64,
    pub latency: Histogram,
}

/// The whole system.
pub struct SystemModel {
    pub comps: Vec<Comp>,
    pub jobs: Slab<Job>,
    pub calls: Slab<Call>,
    pub users: Slab<User>,
    pub stats: Users,
    pub faults: Vec<Fault>,
    /// Link id of each wire, with its ends.
    pub wires: Vec<(u16, u16)>,
    /// Clients stop starting requests here.
    pub stop: Time,
    /// Periodic timers stop here (every request has ended by then).
    pub end: Time,
    pub pending: Vec<Command>,
    pub timeouts: super::timeouts::Timeouts,
    /// Per component, its wires: (the component at the other end, the link).
    pub links: Vec<Vec<(u16, LinkId)>>,
    /// The latest event that changed something (stale timeouts and health checks do not):
    /// time averages are taken up to here. Every change to a station's or broker's time
    /// integrals happens at an active event, so they are exact up to here.
    pub last_active: Time,
    /// The latest moment a component worked (a request arrived, a message was delivered, a job
    /// was served, a retry went out; callers timing out do not count): per-second figures are
    /// taken over the active window, up to the later of this and the clients' stop.
    pub last_work: Time,
    /// Calls sent along each wire (link `k` is wire `k`), and their metric names.
    pub wire_calls: Vec<super::wires::WireCount>,
    pub wire_names: Vec<super::wires::WireNames>,
    /// Messages on the wires now (sent or copied, not yet delivered or dropped).
    pub on_wires: u64,
}

impl SystemModel {
    /// A component (components are never removed, so `c` from a timer or node id is valid or
    /// simply finds nothing).
    pub fn comp(&mut self, c: u16) -> Option<&mut Comp> {
        self.comps.get_mut(c as usize)
    }

    /// Is the wire between `a` and `b` carrying messages now?
    pub fn wire_up(&self, ctx: &Ctx2, a: u16, b: u16) -> bool {
        self.links
            .get(a as usize)
            .and_then(|l| l.iter().find(|(peer, _)| *peer == b))
            .is_some_and(|&(_, l)| ctx.net.link_up(l))
    }

    /// Send a message along the wire from `a` to `b` if it is up; lost otherwise (the
    /// receiver never hears of it and the caller finds out by its timeout). The wire, when sent.
    pub fn send(&mut self, ctx: &mut Ctx2, a: u16, b: u16, msg: Msg) -> Option<LinkId> {
        let &(_, l) = self
            .links
            .get(a as usize)?
            .iter()
            .find(|(peer, _)| *peer == b)?;
        if !ctx.net.link_up(l) {
            return None;
        }
        self.on_wires += 1;
        ctx.send(NodeId(a as u32), NodeId(b as u32), msg);
        Some(l)
    }

    /// Nothing is left to do: the clients have stopped and no request, call or message is
    /// anywhere (a reply on its way to clients still counts). The run ends here; timers still pending (stale timeouts, health checks, the
    /// next random crash) would only stretch its idle tail.
    pub fn finished(&self, now: Time) -> bool {
        now >= self.stop
            && self.on_wires == 0
            && self.users.is_empty()
            && self.jobs.is_empty()
            && self.calls.is_empty()
            && self.comps.iter().all(|c| match &c.part {
                Part::Queue(b) => b.items.is_empty() && b.in_flight == 0 && b.blocked.is_empty(),
                _ => true,
            })
    }

    fn start_comp(&mut self, ctx: &mut Ctx2, c: u16) {
        let Some(comp) = self.comps.get(c as usize) else {
            return;
        };
        match &comp.part {
            Part::Clients(cl) => {
                let spike = cl.spike;
                self.schedule_arrival(ctx, c);
                if spike.0 > 0.0 {
                    ctx.timer(None, spike.1 .0, Timer::Rate(c));
                    ctx.timer(None, spike.2 .0, Timer::Rate(c));
                }
            }
            Part::Balancer(lb) => {
                let every = lb.health_us;
                self.check_health(ctx, c);
                ctx.timer(None, every, Timer::Health(c));
            }
            Part::Station(s) => {
                if let Some(a) = &s.autoscale {
                    ctx.timer(None, a.every_us, Timer::Scale(c));
                }
                if let Some(mtbf) = s.mtbf_us {
                    for r in 0..s.st.replicas.len() {
                        let t = ctx.rng.exp(mtbf) as u64;
                        ctx.timer(None, t, Timer::Crash(c, r as u16));
                    }
                }
            }
            Part::Queue(_) | Part::Limiter(_) => {}
        }
    }
}

impl Protocol for SystemModel {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: &mut Ctx2) {
        for c in 0..self.comps.len() {
            self.start_comp(ctx, c as u16);
        }
        for (i, f) in self.faults.iter().enumerate() {
            ctx.timer(None, f.at.0, Timer::Fault(i as u16));
        }
        ctx.timer(None, self.stop.0, Timer::Stop);
    }

    fn on_message(&mut self, ctx: &mut Ctx2, at: NodeId, from: NodeId, msg: Msg) {
        let c = at.0 as u16;
        self.on_wires = self.on_wires.saturating_sub(1);
        self.last_active = ctx.now;
        self.last_work = ctx.now;
        match msg {
            Msg::Call {
                tok,
                replica,
                deadline,
            } => self.on_call(ctx, c, from, tok, replica, deadline),
            Msg::Reply { tok, status } => self.on_reply(ctx, c, tok, status),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx2, _at: Option<NodeId>, timer: Timer) {
        // Replica crashes, repairs and autoscaling change the stations' integrals, so they are
        // active; health checks and sweeps change nothing by themselves (a sweep that times a
        // call out marks itself).
        let (active, work) = match &timer {
            Timer::Done(t) => {
                let served = self.jobs.get(*t).is_some();
                (served, served)
            }
            Timer::Arrive { .. } | Timer::Retry { .. } => (true, true),
            Timer::Health(_) | Timer::Sweep | Timer::Stop => (false, false),
            _ => (true, false),
        };
        if active {
            self.last_active = ctx.now;
        }
        if work {
            self.last_work = ctx.now;
        }
        match timer {
            Timer::Arrive { comp, gen } => self.on_arrival(ctx, comp, gen),
            Timer::Rate(c) => self.on_rate(ctx, c),
            Timer::Done(j) => self.on_done(ctx, j),
            Timer::Sweep => self.on_sweep(ctx),
            Timer::Stop => {}
            Timer::Retry {
                comp,
                parent,
                target,
                attempt,
                prev_us,
            } => self.on_retry(ctx, comp, parent, target, attempt, prev_us),
            Timer::Health(c) => self.on_health(ctx, c),
            Timer::Scale(c) => self.on_scale(ctx, c),
            Timer::Crash(c, r) => self.on_replica_crash(ctx, c, r),
            Timer::Repair(c, r) => self.on_replica_repair(ctx, c, r),
            Timer::Ready(c, r) => self.on_replica_ready(ctx, c, r),
            Timer::Fault(i) => self.on_fault(ctx, i),
        }
    }

    fn on_drop(&mut self, _now: Time, _msg: &Msg, _reason: crate::sim::network::DropReason) {
        self.on_wires = self.on_wires.saturating_sub(1);
    }

    fn on_duplicate(&mut self, _msg: &Msg) {
        self.on_wires += 1;
    }

    fn on_crash(&mut self, ctx: &mut Ctx2, node: NodeId, up: bool) {
        self.last_active = self.last_active.max(ctx.now);
        if !up {
            self.crash_comp(ctx, node.0 as u16);
        }
    }
}
