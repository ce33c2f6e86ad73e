//! The `saga` model's state and its protocol: the shop places orders, the hub (orchestrator,
//! event bus or 2PC coordinator) and the three services react, every message goes through one
//! `send` that may deliver it twice and draws it on the order's diagram, and the auditor
//! re-judges an order whenever a service changes its data after it ended.

use super::audit::{Audit, Class};
use super::config::{Config, Mode, Step, STEPS};
use super::diagram::Diagrams;
use super::hub::Hub;
use super::msg::{Body, Msg, Op, Timer};
use super::service::{Outcome, Rules, Service};
use crate::sim::command::Command;
use crate::sim::engine::{Ctx, Protocol};
use crate::sim::network::DropReason;
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// The shop (client) node.
pub const SHOP: u32 = 0;
/// The hub node: orchestrator, event bus or coordinator.
pub const HUB: u32 = 1;

/// What the shop knows of one order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Order {
    pub placed: Time,
    /// The hub acknowledged it (orchestration, 2PC).
    pub accepted: bool,
    /// The shop learned how it ended.
    pub answered: bool,
}

/// The whole model.
pub struct SagaModel {
    pub cfg: Config,
    pub services: [Service; 3],
    pub hub: Hub,
    pub orders: Vec<Order>,
    pub audit: Audit,
    pub diagrams: Diagrams,
    /// Order to latency (placed to the shop learning the outcome), in microseconds.
    pub latency: Histogram,
    pub next_mid: u32,
    pub hub_messages: u64,
    /// Orders the shop gave up on (the hub never took them).
    pub refused: u64,
    /// Retries of steps, compensations and placements.
    pub retries: u64,
    /// Steps that failed (refused by their service).
    pub failures: u64,
    /// The next message to a service is sent twice (the reader's "duplicate a message").
    pub duplicate_next: bool,
    /// A network change the model scheduled (the `crash` parameter).
    pub pending: Option<Command>,
    pub hub_up: bool,
    /// When the shop's next order is due (None: no arrival pending).
    pub next_arrival: Option<Time>,
}

impl SagaModel {
    /// A model for `cfg`, nothing placed yet.
    pub fn new(cfg: Config) -> SagaModel {
        let n = cfg.orders;
        SagaModel {
            services: STEPS.map(Service::new),
            hub: Hub::default(),
            orders: Vec::with_capacity(n.min(4096) as usize),
            audit: Audit::default(),
            diagrams: Diagrams::default(),
            latency: Histogram::default(),
            next_mid: 0,
            hub_messages: 0,
            refused: 0,
            retries: 0,
            failures: 0,
            duplicate_next: false,
            pending: None,
            hub_up: true,
            next_arrival: None,
            cfg,
        }
    }

    /// Send one message (twice if the network duplicates it), drawing it on its diagram.
    pub fn send(&mut self, ctx: &mut Ctx<Msg, Timer>, from: u32, to: u32, order: u32, body: Body) {
        let to_service = to > HUB;
        let forced = to_service && std::mem::take(&mut self.duplicate_next);
        let twice =
            forced || (self.cfg.duplicate_rate > 0.0 && ctx.rng.chance(self.cfg.duplicate_rate));
        for copy in 0..1 + u32::from(twice) {
            let msg = Msg {
                order,
                mid: self.next_mid,
                body,
            };
            self.next_mid = self.next_mid.wrapping_add(1);
            // The layout is a star around the hub: every message starts or ends there or is
            // relayed by it.
            self.hub_messages += 1;
            self.diagrams.sent(&msg, from, to, ctx.now, copy > 0);
            ctx.send(NodeId(from), NodeId(to), msg);
        }
    }

    /// Does this forward request fail at its service (`fail_step`, or a `fail_rate` draw)?
    fn fails(&self, step: Step, ctx: &mut Ctx<Msg, Timer>) -> bool {
        self.cfg.fail_step == Some(step)
            || (self.cfg.fail_rate > 0.0 && ctx.rng.chance(self.cfg.fail_rate))
    }

    /// A service handles a request: apply the rules, note what happened, re-judge the order if
    /// it had already ended.
    pub fn serve(&mut self, ctx: &mut Ctx<Msg, Timer>, step: Step, order: u32, op: Op) -> Outcome {
        let fails = matches!(op, Op::Do | Op::Prepare) && self.fails(step, ctx);
        let rules = Rules {
            idempotent: self.cfg.idempotent,
            fails,
        };
        let out = self.services[step.index()].handle(order, op, rules, ctx.now);
        if !out.ok && !out.remembered {
            self.failures += 1;
        }
        let (text, bad) = note(step, op, out);
        self.diagrams.note(order, step.node(), ctx.now, text, bad);
        if out.effect && self.audit.ended(order) {
            self.rejudge(order);
        }
        out
    }

    /// The order has ended (from the hub's point of view, or the shop's in choreography).
    pub fn end(&mut self, order: u32) {
        if !self.audit.ended(order) {
            self.rejudge(order);
        }
    }

    fn rejudge(&mut self, order: u32) {
        if self.audit.judge(&self.services, order) == Class::Inconsistent {
            self.diagrams.pin(order);
        }
    }

    /// The shop learned the outcome: the order's latency.
    pub fn answered(&mut self, order: u32, now: Time) {
        if let Some(o) = self.orders.get_mut(order as usize).filter(|o| !o.answered) {
            o.answered = true;
            self.latency.record(now.since(o.placed));
        }
    }

    fn place(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        let order = self.orders.len() as u32;
        if order >= self.cfg.orders {
            return;
        }
        self.orders.push(Order {
            placed: ctx.now,
            ..Order::default()
        });
        self.audit.placed();
        self.hub.placed();
        self.services.iter_mut().for_each(Service::placed);
        self.diagrams.start(order, ctx.now);
        if self.cfg.mode == Mode::Choreography {
            self.send(
                ctx,
                SHOP,
                Step::Inventory.node(),
                order,
                Body::Event(super::msg::Ev::Placed),
            );
        } else {
            self.send(ctx, SHOP, HUB, order, Body::Place);
            ctx.timer(
                Some(NodeId(SHOP)),
                self.cfg.timeout_us,
                Timer::PlaceTimeout { order, attempt: 0 },
            );
        }
        if order + 1 < self.cfg.orders {
            self.arm_arrival(ctx);
        }
    }

    fn arm_arrival(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        self.next_arrival = Some(ctx.now.plus_us(self.cfg.gap_us));
        ctx.timer(Some(NodeId(SHOP)), self.cfg.gap_us, Timer::Arrival);
    }

    /// The shop restarted: its timers died with it. Arm the next order (unless one is still
    /// due) and wait again for the orders nobody acknowledged.
    fn shop_restarted(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        let pending = self.next_arrival.is_some_and(|t| t > ctx.now);
        if !pending && (self.orders.len() as u32) < self.cfg.orders {
            self.arm_arrival(ctx);
        }
        if self.cfg.mode == Mode::Choreography {
            return;
        }
        for order in 0..self.orders.len() as u32 {
            let o = self.orders[order as usize];
            if !o.accepted && !o.answered && !self.audit.ended(order) {
                ctx.timer(
                    Some(NodeId(SHOP)),
                    self.cfg.timeout_us,
                    Timer::PlaceTimeout { order, attempt: 0 },
                );
            }
        }
    }

    /// No word from the hub: place the order again, waiting twice as long each time, or give up.
    fn place_timeout(&mut self, ctx: &mut Ctx<Msg, Timer>, order: u32, attempt: u8) {
        let Some(o) = self.orders.get(order as usize) else {
            return;
        };
        if o.accepted || o.answered {
            return;
        }
        if u32::from(attempt) < self.cfg.retries {
            self.retries += 1;
            self.send(ctx, SHOP, HUB, order, Body::Place);
            let wait = self.cfg.timeout_us << (attempt + 1).min(16);
            ctx.timer(
                Some(NodeId(SHOP)),
                wait,
                Timer::PlaceTimeout {
                    order,
                    attempt: attempt + 1,
                },
            );
        } else if !self.hub.knows(order) {
            self.refused += 1;
            self.diagrams
                .note(order, SHOP, ctx.now, "gave up: nobody took the order", true);
            self.end(order);
            self.answered(order, ctx.now);
        }
    }

    fn at_shop(&mut self, order: u32, body: Body, now: Time) {
        match body {
            Body::Accepted => {
                if let Some(o) = self.orders.get_mut(order as usize) {
                    o.accepted = true;
                }
            }
            Body::Outcome { .. } => self.answered(order, now),
            Body::Event(_) => {
                // Choreography: the last event of an order reaches the shop.
                self.end(order);
                self.answered(order, now);
            }
            _ => {}
        }
    }
}

/// What a service's handling of a request looks like on the diagram.
fn note(step: Step, op: Op, out: Outcome) -> (&'static str, bool) {
    match (op, out.ok, out.effect, out.remembered) {
        (_, _, false, true) => ("duplicate recognised: no effect", false),
        (Op::Do, true, true, _) => (step.verb(), false),
        (Op::Do, false, _, _) => ("refused", true),
        (Op::Undo, _, true, _) => (step.undo_verb(), false),
        (Op::Undo, _, false, _) => ("nothing to undo", false),
        (Op::Prepare, true, _, _) => ("locked, voted yes", false),
        (Op::Prepare, false, _, _) => ("voted no", true),
        (Op::Commit, _, true, _) => ("committed, unlocked", false),
        (Op::Commit | Op::Abort, _, _, _) => ("unlocked", false),
        (Op::Do, true, false, _) => ("no effect", false),
    }
}

impl Protocol for SagaModel {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        if self.cfg.crash_at != Time::NEVER {
            ctx.timer(None, self.cfg.crash_at.0, Timer::Crash);
        }
        self.next_arrival = Some(ctx.now);
        ctx.timer(Some(NodeId(SHOP)), 0, Timer::Arrival);
    }

    fn on_message(&mut self, ctx: &mut Ctx<Msg, Timer>, at: NodeId, _from: NodeId, msg: Msg) {
        self.diagrams.delivered(&msg, ctx.now);
        match (at.0, self.cfg.mode) {
            (SHOP, _) => self.at_shop(msg.order, msg.body, ctx.now),
            (HUB, Mode::Choreography) => {}
            (HUB, _) => super::hub::on_message(self, ctx, msg),
            (node, Mode::Choreography) => super::choreo::on_event(self, ctx, node, msg),
            (node, _) => super::hub::at_service(self, ctx, node, msg),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<Msg, Timer>, _at: Option<NodeId>, timer: Timer) {
        match timer {
            Timer::Arrival => {
                self.next_arrival = None;
                self.place(ctx)
            }
            Timer::PlaceTimeout { order, attempt } => self.place_timeout(ctx, order, attempt),
            Timer::Timeout { order, gen } => super::hub::on_timeout(self, ctx, order, gen),
            Timer::Crash => {
                self.pending = Some(Command::Crash(HUB));
                if self.cfg.recover_at != Time::NEVER {
                    ctx.timer(None, self.cfg.recover_at.since(ctx.now), Timer::Recover);
                }
            }
            Timer::Recover => self.pending = Some(Command::Restart(HUB)),
        }
    }

    fn on_drop(&mut self, now: Time, msg: &Msg, _reason: DropReason) {
        self.diagrams.lost(msg, now);
    }

    fn on_crash(&mut self, ctx: &mut Ctx<Msg, Timer>, node: NodeId, up: bool) {
        match node.0 {
            HUB => {
                self.hub_up = up;
                if up && self.cfg.mode != Mode::Choreography {
                    super::hub::recover(self, ctx);
                }
            }
            SHOP if up => self.shop_restarted(ctx),
            _ => {}
        }
    }
}
