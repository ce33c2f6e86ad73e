//! Messages and timers of the `load-balancer` scenario, kept small (a request is 24 bytes) since
//! millions of them pass through the event queue.

use super::bank::Req;
use crate::sim::engine::Label;

/// Messages between clients, balancers and servers.
#[derive(Clone, Copy, Debug)]
pub enum Msg {
    /// Client to balancer, then balancer to server.
    Request(Req),
    /// Server to balancer, then balancer to client.
    Reply(Req),
    /// Server to balancer: the queue was full, the request was refused.
    Busy(Req),
    /// Balancer to server: are you alive?
    Check(Probe),
    /// Server to balancer: yes.
    CheckOk(Probe),
}

/// A health check: which bank and server, and which round it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    pub bank: u8,
    pub server: u16,
    pub round: u32,
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Request(_) => "request",
            Msg::Reply(_) => "reply",
            Msg::Busy(_) => "busy",
            Msg::Check(_) => "check",
            Msg::CheckOk(_) => "check-ok",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Msg::Request(r) | Msg::Reply(r) | Msg::Busy(r) => r.id as u64,
            Msg::Check(p) | Msg::CheckOk(p) => p.round as u64,
        }
    }
}

/// Timers.
#[derive(Clone, Copy, Debug)]
pub enum Timer {
    /// The next request arrives (environment).
    Arrival,
    /// A server finishes the request at the front of its queue.
    Done { bank: u8, server: u16, epoch: u32 },
    /// A balancer starts a health-check round.
    Tick { bank: u8, gen: u32 },
    /// A round's answers are due: servers that did not answer leave the rotation.
    Deadline { bank: u8, round: u32 },
    /// The `fail` server dies (environment).
    Fail,
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Arrival => "arrival",
            Timer::Done { .. } => "done",
            Timer::Tick { .. } => "health-check",
            Timer::Deadline { .. } => "check-deadline",
            Timer::Fail => "fail",
        }
    }
}
