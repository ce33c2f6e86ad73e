//! Messages and timers of the `saga` scenario. Every message names its order and carries a
//! serial number (`mid`) so the sequence diagram can join a send to its delivery or its loss.

use super::config::Step;
use crate::sim::engine::Label;

/// What a command asks a service to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Saga forward step: apply the effect.
    Do,
    /// Saga compensation: undo the effect.
    Undo,
    /// 2PC phase one: check, lock, vote.
    Prepare,
    /// 2PC phase two: apply and unlock.
    Commit,
    /// 2PC phase two: unlock without applying.
    Abort,
}

/// A choreography event: what just happened to an order, sent to the one service (or the
/// shop) that subscribes to it, through the event bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ev {
    /// Shop to inventory: a new order.
    Placed,
    /// Inventory to payment.
    Reserved,
    /// Payment to shipping.
    Charged,
    /// Shipping to the shop: done.
    Shipped,
    /// Inventory to the shop: no stock reserved, nothing to undo.
    Rejected,
    /// Payment to inventory: release the stock.
    PaymentFailed,
    /// Shipping to payment: refund.
    ShippingFailed,
    /// Payment to inventory, after a refund.
    Refunded,
    /// Inventory to the shop, after the release: the order is undone.
    Released,
}

impl Ev {
    fn label(self) -> &'static str {
        match self {
            Ev::Placed => "order-placed",
            Ev::Reserved => "stock-reserved",
            Ev::Charged => "payment-captured",
            Ev::Shipped => "order-shipped",
            Ev::Rejected => "order-rejected",
            Ev::PaymentFailed => "payment-failed",
            Ev::ShippingFailed => "shipping-failed",
            Ev::Refunded => "payment-refunded",
            Ev::Released => "stock-released",
        }
    }
    /// Does this event undo something (drawn as a compensation)?
    pub fn compensating(self) -> bool {
        matches!(
            self,
            Ev::Refunded | Ev::Released | Ev::PaymentFailed | Ev::ShippingFailed
        )
    }
}

/// The message kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Shop to orchestrator or coordinator: run this order.
    Place,
    /// Orchestrator or coordinator to shop: it is in my durable log.
    Accepted,
    /// Orchestrator or coordinator to shop: how it ended.
    Outcome { committed: bool },
    /// Hub to service.
    Cmd { step: Step, op: Op, attempt: u8 },
    /// Service to hub: `ok` is done / undone / vote yes / acknowledged.
    Reply { step: Step, op: Op, ok: bool },
    /// Choreography.
    Event(Ev),
}

/// A message: which order, its serial number, and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub order: u32,
    pub mid: u32,
    pub body: Body,
}

impl Msg {
    /// Is it part of undoing an order (drawn dashed)?
    pub fn compensating(&self) -> bool {
        match self.body {
            Body::Cmd { op, .. } | Body::Reply { op, .. } => matches!(op, Op::Undo | Op::Abort),
            Body::Event(e) => e.compensating(),
            _ => false,
        }
    }
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self.body {
            Body::Place => "place-order",
            Body::Accepted => "accepted",
            Body::Outcome { committed: true } => "order-done",
            Body::Outcome { committed: false } => "order-undone",
            Body::Cmd { step, op, .. } => match (op, step) {
                (Op::Do, Step::Inventory) => "reserve",
                (Op::Do, Step::Payment) => "charge",
                (Op::Do, Step::Shipping) => "ship",
                (Op::Undo, Step::Inventory) => "release",
                (Op::Undo, Step::Payment) => "refund",
                (Op::Undo, Step::Shipping) => "cancel",
                (Op::Prepare, _) => "prepare",
                (Op::Commit, _) => "commit",
                (Op::Abort, _) => "abort",
            },
            Body::Reply { op, ok, .. } => match (op, ok) {
                (Op::Do, true) => "done",
                (Op::Do, false) => "failed",
                (Op::Undo, _) => "undone",
                (Op::Prepare, true) => "vote-yes",
                (Op::Prepare, false) => "vote-no",
                (Op::Commit | Op::Abort, _) => "ack",
            },
            Body::Event(e) => e.label(),
        }
    }
    fn id(&self) -> u64 {
        u64::from(self.order) + 1
    }
}

/// Timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The shop places the next order (environment).
    Arrival,
    /// The shop heard nothing back for `order` (attempt `attempt`): place it again or give up.
    PlaceTimeout { order: u32, attempt: u8 },
    /// The hub heard nothing back for its current request on `order` (which it still knows by
    /// its `gen` counter): retry, or give up on it.
    Timeout { order: u32, gen: u32 },
    /// `crash` goes down (environment).
    Crash,
    /// And comes back (environment).
    Recover,
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Arrival => "new-order",
            Timer::PlaceTimeout { .. } => "shop-timeout",
            Timer::Timeout { .. } => "timeout",
            Timer::Crash => "crash",
            Timer::Recover => "recover",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Timer::PlaceTimeout { order, .. } | Timer::Timeout { order, .. } => {
                u64::from(*order) + 1
            }
            _ => 0,
        }
    }
}
