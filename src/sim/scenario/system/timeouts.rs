//! Call timeouts without an engine timer per call. Every call's give-up time goes into one
//! min-heap; a single `Sweep` timer is armed at the earliest give-up of a call still out. When
//! it fires, the calls due time out, answered ones at the top are dropped without an event, and
//! the timer is re-armed for the first call still out. Most calls are answered long before their
//! timeout, so a steady stream of calls costs one wake-up per timeout interval instead of one
//! stale timer event per call, and the engine's event queue stays small.

use super::model::{Ctx2, Status, SystemModel, Timer};
use super::slab::Token;
use crate::sim::time::Time;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Pending give-up times (packed as time << 64 | token, so the heap compares one `u128`) and
/// the earliest sweep armed.
#[derive(Clone, Debug, Default)]
pub struct Timeouts {
    heap: BinaryHeap<Reverse<u128>>,
    armed: Option<Time>,
}

fn pack(at: Time, tok: Token) -> u128 {
    (at.0 as u128) << 64 | tok as u128
}

fn unpack(k: u128) -> (Time, Token) {
    (Time((k >> 64) as u64), k as u64)
}

impl SystemModel {
    fn arm(&mut self, ctx: &mut Ctx2, at: Time) {
        if self.timeouts.armed.is_none_or(|a| at < a) {
            ctx.timer(None, at.since(ctx.now), Timer::Sweep);
            self.timeouts.armed = Some(at);
        }
    }

    /// Call `tok` gives up at `at` unless answered before.
    pub fn give_up_at(&mut self, ctx: &mut Ctx2, at: Time, tok: Token) {
        self.timeouts.heap.push(Reverse(pack(at, tok)));
        self.arm(ctx, at);
        // Answered calls wait in the heap until their give-up time; with long deadlines they
        // could pile up, so the heap is rebuilt from the calls still out once they dominate.
        if self.timeouts.heap.len() > 2 * self.calls.len() + 4096 {
            let calls = &self.calls;
            self.timeouts
                .heap
                .retain(|Reverse(k)| calls.get(unpack(*k).1).is_some());
        }
    }

    /// The sweep timer fired: time out what is due, re-arm for the next call still out.
    pub fn on_sweep(&mut self, ctx: &mut Ctx2) {
        let now = ctx.now;
        if self.timeouts.armed == Some(now) {
            self.timeouts.armed = None;
        }
        while let Some(&Reverse(k)) = self.timeouts.heap.peek() {
            let (t, tok) = unpack(k);
            if t > now {
                break;
            }
            self.timeouts.heap.pop();
            if let Some(call) = self.calls.remove(tok) {
                self.last_active = now;
                self.call_over(ctx, call, Status::Timeout);
            }
        }
        while let Some(&Reverse(k)) = self.timeouts.heap.peek() {
            if self.calls.get(unpack(k).1).is_some() {
                break;
            }
            self.timeouts.heap.pop();
        }
        if let Some(&Reverse(k)) = self.timeouts.heap.peek() {
            self.arm(ctx, unpack(k).0);
        }
    }
}
