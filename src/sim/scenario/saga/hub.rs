//! The orchestrator (saga) and the coordinator (two-phase commit), with their durable log: one
//! record per order, updated before each message goes out, so a crash loses only timers and
//! messages in flight. On restart the log says what to do: a saga resumes its current step or
//! compensation; a 2PC transaction without a decision is aborted (presumed abort) and one with
//! a decision has it sent again. Services answer here too (`at_service`).

use super::config::{Mode, Step, STEPS};
use super::model::{SagaModel, HUB, SHOP};
use super::msg::{Body, Msg, Op, Timer};
use crate::sim::engine::Ctx;
use crate::sim::topology::NodeId;

/// Where an order stands in the hub's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Saga: running forward step `i`.
    Forward(u8),
    /// Saga: compensating step `i` (then the ones before it).
    Undo(u8),
    /// 2PC: prepares sent, votes coming in.
    Voting,
    /// 2PC: decision logged (commit or not), acknowledgements coming in.
    Deciding(bool),
    /// Finished: committed, or not.
    Ended(bool),
}

/// The hub's durable record of one order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rec {
    pub phase: Phase,
    /// Attempts of the current request (0 = first).
    pub attempt: u8,
    /// Bumped each time a request goes out; a timeout for an older one is stale.
    pub gen: u32,
    /// 2PC: services that voted yes / acknowledged the decision (bit per step).
    pub votes: u8,
    pub acks: u8,
    /// A step timed out, so it may have taken effect unseen: compensate it too.
    pub uncertain: bool,
}

/// The log.
#[derive(Clone, Debug, Default)]
pub struct Hub {
    log: Vec<Option<Rec>>,
}

const ALL: u8 = 0b111;

impl Hub {
    /// Make room for the next order (placed by the shop, not yet seen here).
    pub fn placed(&mut self) {
        self.log.push(None);
    }
    /// Has the hub taken `order`?
    pub fn knows(&self, order: u32) -> bool {
        self.rec(order).is_some()
    }
    /// The record of `order`.
    pub fn rec(&self, order: u32) -> Option<Rec> {
        self.log.get(order as usize).copied().flatten()
    }
    fn set(&mut self, order: u32, rec: Rec) {
        if let Some(slot) = self.log.get_mut(order as usize) {
            *slot = Some(rec);
        }
    }
    /// Orders not yet ended, in order.
    pub fn open(&self) -> Vec<u32> {
        (0..self.log.len() as u32)
            .filter(|&o| matches!(self.rec(o), Some(r) if !matches!(r.phase, Phase::Ended(_))))
            .collect()
    }
}

fn bit(step: Step) -> u8 {
    1 << step.index()
}

/// A message reached the hub.
pub fn on_message(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, msg: Msg) {
    let order = msg.order;
    match msg.body {
        Body::Place => place(m, ctx, order),
        Body::Reply { step, op, ok } => {
            let Some(rec) = m.hub.rec(order) else { return };
            match (rec.phase, op) {
                (Phase::Forward(i), Op::Do) if STEPS.get(i as usize) == Some(&step) => {
                    forward_reply(m, ctx, order, rec, i, ok)
                }
                (Phase::Undo(i), Op::Undo) if STEPS.get(i as usize) == Some(&step) => {
                    undo_reply(m, ctx, order, i)
                }
                (Phase::Voting, Op::Prepare) => vote(m, ctx, order, rec, step, ok),
                (Phase::Deciding(c), Op::Commit | Op::Abort) => {
                    let acks = rec.acks | bit(step);
                    if acks == ALL {
                        finish(m, ctx, order, c);
                    } else {
                        m.hub.set(order, Rec { acks, ..rec });
                    }
                }
                _ => {} // a late or duplicate reply: the log has moved on
            }
        }
        _ => {}
    }
}

/// A new order (or the shop asking again): log it, acknowledge, start.
fn place(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32) {
    if let Some(rec) = m.hub.rec(order) {
        m.send(ctx, HUB, SHOP, order, Body::Accepted);
        if let Phase::Ended(committed) = rec.phase {
            m.send(ctx, HUB, SHOP, order, Body::Outcome { committed });
        }
        return;
    }
    let phase = match m.cfg.mode {
        Mode::TwoPc => Phase::Voting,
        _ => Phase::Forward(0),
    };
    let rec = Rec {
        phase,
        attempt: 0,
        gen: 0,
        votes: 0,
        acks: 0,
        uncertain: false,
    };
    m.hub.set(order, rec);
    m.send(ctx, HUB, SHOP, order, Body::Accepted);
    dispatch(m, ctx, order, rec);
}

/// Send what the record's phase calls for and arm its timeout.
fn dispatch(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, rec: Rec) {
    let rec = Rec {
        gen: rec.gen.wrapping_add(1),
        ..rec
    };
    m.hub.set(order, rec);
    let attempt = rec.attempt;
    let cmd = |m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, step: Step, op| {
        m.send(
            ctx,
            HUB,
            step.node(),
            order,
            Body::Cmd { step, op, attempt },
        );
    };
    match rec.phase {
        Phase::Forward(i) | Phase::Undo(i) => {
            let Some(&step) = STEPS.get(i as usize) else {
                return;
            };
            let op = if matches!(rec.phase, Phase::Forward(_)) {
                Op::Do
            } else {
                Op::Undo
            };
            cmd(m, ctx, step, op);
        }
        Phase::Voting => {
            for step in STEPS.into_iter().filter(|&s| rec.votes & bit(s) == 0) {
                cmd(m, ctx, step, Op::Prepare);
            }
        }
        Phase::Deciding(c) => {
            let op = if c { Op::Commit } else { Op::Abort };
            for step in STEPS.into_iter().filter(|&s| rec.acks & bit(s) == 0) {
                cmd(m, ctx, step, op);
            }
        }
        Phase::Ended(_) => return,
    }
    ctx.timer(
        Some(NodeId(HUB)),
        m.cfg.timeout_us,
        Timer::Timeout {
            order,
            gen: rec.gen,
        },
    );
}

fn forward_reply(
    m: &mut SagaModel,
    ctx: &mut Ctx<Msg, Timer>,
    order: u32,
    rec: Rec,
    i: u8,
    ok: bool,
) {
    let next = match (ok, i as usize + 1 < STEPS.len()) {
        (true, true) => Phase::Forward(i + 1),
        (true, false) => return finish(m, ctx, order, true),
        // Undo what was done, newest first; the failed step too if an earlier try of it may
        // have taken effect unseen.
        (false, _) if rec.uncertain => Phase::Undo(i),
        (false, _) if i > 0 => Phase::Undo(i - 1),
        (false, _) => return finish(m, ctx, order, false),
    };
    let fresh = Rec {
        phase: next,
        attempt: 0,
        uncertain: false,
        ..rec
    };
    dispatch(m, ctx, order, fresh);
}

fn undo_reply(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, i: u8) {
    let Some(rec) = m.hub.rec(order) else { return };
    if i == 0 {
        return finish(m, ctx, order, false);
    }
    dispatch(
        m,
        ctx,
        order,
        Rec {
            phase: Phase::Undo(i - 1),
            attempt: 0,
            ..rec
        },
    );
}

fn vote(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, rec: Rec, step: Step, yes: bool) {
    let votes = rec.votes | bit(step);
    match (yes, votes == ALL) {
        (false, _) => decide(m, ctx, order, rec, false),
        (true, true) => decide(m, ctx, order, Rec { votes, ..rec }, true),
        (true, false) => m.hub.set(order, Rec { votes, ..rec }),
    }
}

/// Log the 2PC decision, then tell every participant.
fn decide(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, rec: Rec, commit: bool) {
    let rec = Rec {
        phase: Phase::Deciding(commit),
        attempt: 0,
        acks: 0,
        ..rec
    };
    m.diagrams.note(
        order,
        HUB,
        ctx.now,
        if commit {
            "decided: commit"
        } else {
            "decided: abort"
        },
        false,
    );
    dispatch(m, ctx, order, rec);
}

/// Log the end, tell the shop, let the auditor judge the services' data.
fn finish(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, committed: bool) {
    let Some(rec) = m.hub.rec(order) else { return };
    m.hub.set(
        order,
        Rec {
            phase: Phase::Ended(committed),
            ..rec
        },
    );
    m.end(order);
    m.send(ctx, HUB, SHOP, order, Body::Outcome { committed });
}

/// No answer in time: retry, or give up on the request.
pub fn on_timeout(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, order: u32, gen: u32) {
    let Some(rec) = m
        .hub
        .rec(order)
        .filter(|r| r.gen == gen && !matches!(r.phase, Phase::Ended(_)))
    else {
        return;
    };
    if u32::from(rec.attempt) < m.cfg.retries {
        m.retries += 1;
        let uncertain = rec.uncertain || matches!(rec.phase, Phase::Forward(_));
        return dispatch(
            m,
            ctx,
            order,
            Rec {
                attempt: rec.attempt + 1,
                uncertain,
                ..rec
            },
        );
    }
    match rec.phase {
        // A step that never answered may have happened: compensate it with the rest.
        Phase::Forward(i) => {
            m.diagrams
                .note(order, HUB, ctx.now, "no answer: compensate", true);
            dispatch(
                m,
                ctx,
                order,
                Rec {
                    phase: Phase::Undo(i),
                    attempt: 0,
                    ..rec
                },
            );
        }
        // A compensation that never answered: stop and leave it to an operator.
        Phase::Undo(_) => {
            m.diagrams
                .note(order, HUB, ctx.now, "compensation gave up", true);
            finish(m, ctx, order, false);
        }
        Phase::Voting => decide(m, ctx, order, rec, false),
        // The decision stands; participants that did not hear it stay locked until the
        // coordinator restarts and sends it again.
        Phase::Deciding(_) => m
            .diagrams
            .note(order, HUB, ctx.now, "decision unacknowledged", true),
        Phase::Ended(_) => {}
    }
}

/// The hub came back: its log says what every open order needs.
pub fn recover(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>) {
    for order in m.hub.open() {
        let Some(rec) = m.hub.rec(order) else {
            continue;
        };
        m.diagrams
            .note(order, HUB, ctx.now, "recovered from the log", false);
        match rec.phase {
            Phase::Voting => decide(m, ctx, order, rec, false),
            _ => dispatch(m, ctx, order, Rec { attempt: 0, ..rec }),
        }
    }
}

/// A command from the hub reached a service: handle it and reply.
pub fn at_service(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, node: u32, msg: Msg) {
    let Body::Cmd { step, op, .. } = msg.body else {
        return;
    };
    if step.node() != node {
        return;
    }
    let out = m.serve(ctx, step, msg.order, op);
    m.send(
        ctx,
        node,
        HUB,
        msg.order,
        Body::Reply {
            step,
            op,
            ok: out.ok,
        },
    );
}
