//! The queue broker: the caller is answered as soon as its message is enqueued; up to
//! `consumers` messages at a time are handed to the one downstream component; a full queue
//! rejects the caller, or (`full=block`) holds its answer until there is room: backpressure (a
//! held caller whose deadline passes meanwhile never sends its message).

use super::comp::{Broker, Part, ANY};
use super::model::{Ctx2, Parent, Status, SystemModel};
use super::slab::Token;
use crate::sim::time::Time;

impl Broker {
    /// Bring the depth and busy integrals up to `now`.
    pub fn advance(&mut self, now: Time) {
        let dt = now.since(self.last) as f64;
        self.depth_area += self.items.len() as f64 * dt;
        self.busy_area += self.in_flight as f64 * dt;
        self.last = now;
    }
}

impl SystemModel {
    fn broker(&mut self, c: u16) -> Option<&mut Broker> {
        match self.comp(c).map(|x| &mut x.part) {
            Some(Part::Queue(b)) => Some(b),
            _ => None,
        }
    }

    /// A message arrives at broker `c` (job `j` is its caller's request).
    pub fn enqueue(&mut self, ctx: &mut Ctx2, c: u16, j: Token) {
        let now = ctx.now;
        let Some(b) = self.broker(c) else {
            return;
        };
        b.advance(now);
        if b.items.len() < b.max {
            b.items.push_back(now);
            self.answer(ctx, j, Status::Ok);
            self.pump(ctx, c);
        } else if b.block && b.blocked.len() < super::comp::UNBOUNDED {
            b.blocked.push_back(j);
        } else {
            self.answer(ctx, j, Status::Rejected);
        }
    }

    /// Admit blocked callers while there is room, then hand messages to free consumers.
    fn pump(&mut self, ctx: &mut Ctx2, c: u16) {
        let now = ctx.now;
        let target = self
            .comps
            .get(c as usize)
            .and_then(|x| x.down.first().copied())
            .unwrap_or(0);
        loop {
            let Some(b) = self.broker(c) else {
                return;
            };
            b.advance(now);
            if b.items.len() < b.max {
                if let Some(j) = b.blocked.pop_front() {
                    let expired = self.jobs.get(j).is_some_and(|x| x.deadline < now);
                    if expired {
                        // Its caller stopped waiting: the message is never sent.
                        self.answer(ctx, j, Status::Error);
                    } else if self.jobs.get(j).is_some() {
                        if let Some(b) = self.broker(c) {
                            b.items.push_back(now);
                        }
                        self.answer(ctx, j, Status::Ok);
                    }
                    continue;
                }
            }
            let Some(b) = self.broker(c) else {
                return;
            };
            if b.in_flight >= b.consumers {
                return;
            }
            let Some(t) = b.items.pop_front() else {
                return;
            };
            b.wait_us += now.since(t) as u128;
            b.drained += 1;
            b.in_flight += 1;
            self.start_call(ctx, c, Parent::Item, target, ANY, 1, 0);
        }
    }

    /// A message handed downstream was answered (or failed).
    pub fn item_done(&mut self, ctx: &mut Ctx2, c: u16, status: Status) {
        let now = ctx.now;
        let Some(b) = self.broker(c) else {
            return;
        };
        b.advance(now);
        b.in_flight = b.in_flight.saturating_sub(1);
        b.failed += !status.ok() as u64;
        self.pump(ctx, c);
    }
}
