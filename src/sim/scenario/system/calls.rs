//! The caller's side of a call: clients' Poisson arrivals, starting an attempt (deadline,
//! timeout, breaker, bulkhead), its reply or timeout, retries with backoff within the budget and
//! the deadline, and handing the outcome to whoever the call was for (a user request, a job
//! waiting on its downstream calls, or a broker's message).

use super::breaker::Verdict;
use super::comp::{Caller, Part, ANY};
use super::model::{Call, Ctx2, Msg, Parent, Status, SystemModel, Timer, User};
use super::slab::Token;
use crate::sim::time::Time;

/// How long a queue broker's message may take downstream.
const ITEM_DEADLINE_US: u64 = 60_000_000;

impl Caller {
    /// Count an attempt and decide whether it may go out: `Some(status)` when it fails at once
    /// (its time is already up, the breaker is open, the bulkhead is full).
    fn gate(&mut self, now: Time, give_up: Time, target: u16, call: &mut Call) -> Option<Status> {
        self.attempts += 1;
        if call.attempt == 1 {
            if let Some(b) = self.budget.as_mut() {
                b.deposit();
            }
        }
        if give_up <= now {
            return Some(Status::Timeout);
        }
        if let Some(b) = self.breaker.as_mut() {
            match b.allow(now) {
                Verdict::Deny => return Some(Status::Rejected),
                Verdict::Probe => call.probe = true,
                Verdict::Allow => {}
            }
        }
        if self.bulkhead > 0 && self.in_flight(target) >= self.bulkhead {
            return Some(Status::Rejected);
        }
        None
    }
}

impl SystemModel {
    /// Draw the next arrival of clients `c` at their current rate (none after `stop`).
    pub fn schedule_arrival(&mut self, ctx: &mut Ctx2, c: u16) {
        let now = ctx.now;
        let Some(Part::Clients(cl)) = self.comps.get(c as usize).map(|x| &x.part) else {
            return;
        };
        let (rate, from, to) = cl.spike;
        let rate = if rate > 0.0 && now >= from && now < to {
            rate
        } else {
            cl.rate
        };
        if rate <= 0.0 {
            return;
        }
        let gen = cl.gen;
        let delay = ctx.rng.exp(1e6 / rate) as u64;
        if now.plus_us(delay) < self.stop {
            ctx.timer(None, delay, Timer::Arrive { comp: c, gen });
        }
    }

    /// A user request starts.
    pub fn on_arrival(&mut self, ctx: &mut Ctx2, c: u16, gen: u64) {
        let now = ctx.now;
        let Some(comp) = self.comps.get_mut(c as usize) else {
            return;
        };
        let Part::Clients(cl) = &comp.part else {
            return;
        };
        if cl.gen != gen || !ctx.net.node_up(crate::sim::topology::NodeId(c as u32)) {
            if cl.gen == gen {
                self.schedule_arrival(ctx, c);
            }
            return;
        }
        let deadline = now.plus_us(cl.deadline_us);
        if self.users.len() >= super::serve::MAX_LIVE {
            // As many user requests waiting as the simulator holds: this one fails at once.
            self.stats.offered += 1;
            self.stats.rejected += 1;
            return self.schedule_arrival(ctx, c);
        }
        let n = comp.down.len().max(1);
        let target = comp.down.get(comp.caller.rr % n).copied().unwrap_or(0);
        comp.caller.rr = (comp.caller.rr + 1) % n;
        let u = self.users.insert(User {
            comp: c,
            started: now,
            deadline,
        });
        self.stats.offered += 1;
        self.start_call(ctx, c, Parent::User(u), target, ANY, 1, 0);
        self.schedule_arrival(ctx, c);
    }

    /// A spike starts or ends: the pending arrival is void, the next is drawn at the new rate.
    pub fn on_rate(&mut self, ctx: &mut Ctx2, c: u16) {
        if let Some(Part::Clients(cl)) = self.comp(c).map(|x| &mut x.part) {
            cl.gen += 1;
        }
        self.schedule_arrival(ctx, c);
    }

    /// The deadline of what a call is for; None when that is gone.
    fn parent_deadline(&self, now: Time, parent: Parent) -> Option<Time> {
        match parent {
            Parent::User(u) => self.users.get(u).map(|u| u.deadline),
            Parent::Job(j) => self.jobs.get(j).map(|j| j.deadline),
            Parent::Item => Some(now.plus_us(ITEM_DEADLINE_US)),
        }
    }

    /// Make attempt `attempt` of a call from `c` to `target` for `parent`.
    #[allow(clippy::too_many_arguments)]
    pub fn start_call(
        &mut self,
        ctx: &mut Ctx2,
        c: u16,
        parent: Parent,
        target: u16,
        replica: u16,
        attempt: u32,
        prev_us: u64,
    ) {
        let now = ctx.now;
        let Some(deadline) = self.parent_deadline(now, parent) else {
            return;
        };
        let Some(comp) = self.comps.get_mut(c as usize) else {
            return;
        };
        let clients = matches!(comp.part, Part::Clients(_));
        let caller = &mut comp.caller;
        let give_up = match caller.timeout_us {
            0 => deadline,
            t => deadline.min(now.plus_us(t)),
        };
        let mut call = Call {
            caller: c,
            target,
            parent,
            attempt,
            prev_us,
            started: now,
            probe: false,
        };
        if let Some(status) = caller.gate(now, give_up, target, &mut call) {
            return self.call_failed(ctx, call, status);
        }
        caller.count(target, true);
        caller.sent += 1;
        let tok = self.calls.insert(call);
        let sent_deadline = if clients { give_up } else { deadline };
        let msg = Msg::Call {
            tok,
            replica,
            deadline: sent_deadline,
        };
        // A call is counted on the wire it goes out on.
        if let Some(l) = self.send(ctx, c, target, msg) {
            if let Some(w) = self.wire_calls.get_mut(l.0 as usize) {
                w.count(now);
            }
        }
        self.give_up_at(ctx, give_up, tok);
    }

    /// A reply reached `c`.
    pub fn on_reply(&mut self, ctx: &mut Ctx2, c: u16, tok: Token, status: Status) {
        if let Some(comp) = self.comps.get_mut(c as usize) {
            if status.ok() && matches!(comp.part, Part::Clients(_)) {
                self.stats.replies_ok += 1;
                comp.answered += 1;
            }
        }
        if self.calls.get(tok).is_none_or(|call| call.caller != c) {
            return;
        }
        if let Some(call) = self.calls.remove(tok) {
            self.call_over(ctx, call, status);
        }
    }

    /// A call that was out ended (reply, timeout, or the callee crashed).
    pub fn call_over(&mut self, ctx: &mut Ctx2, call: Call, status: Status) {
        if let Some(comp) = self.comp(call.caller) {
            comp.caller.count(call.target, false);
            if let Some(b) = comp.caller.breaker.as_mut() {
                b.record(ctx.now, status.ok(), call.probe);
            }
        }
        if status.ok() {
            self.parent_done(ctx, call.caller, call.parent, status);
        } else {
            self.call_failed(ctx, call, status);
        }
    }

    /// A call failed: retry it if the policy, the budget and the deadline allow, else fail
    /// what it was for.
    fn call_failed(&mut self, ctx: &mut Ctx2, call: Call, status: Status) {
        let now = ctx.now;
        let deadline = self.parent_deadline(now, call.parent);
        let Some(comp) = self.comps.get_mut(call.caller as usize) else {
            return;
        };
        let caller = &mut comp.caller;
        caller.calls_failed += 1;
        caller.call_fail_us += now.since(call.started) as u128;
        if let Some(deadline) = deadline {
            if call.attempt < caller.retry.max_attempts() {
                let delay = caller.retry.delay_us(call.attempt, call.prev_us, ctx.rng);
                let in_time = now.plus_us(delay) < deadline;
                if in_time && caller.budget.as_mut().is_none_or(|b| b.withdraw()) {
                    let t = Timer::Retry {
                        comp: call.caller,
                        parent: call.parent,
                        target: call.target,
                        attempt: call.attempt + 1,
                        prev_us: delay,
                    };
                    ctx.timer(None, delay, t);
                    return;
                }
            }
        }
        self.parent_done(ctx, call.caller, call.parent, status);
    }

    /// A backoff ended: the next attempt, if what it is for still waits.
    pub fn on_retry(
        &mut self,
        ctx: &mut Ctx2,
        c: u16,
        parent: Parent,
        target: u16,
        attempt: u32,
        prev_us: u64,
    ) {
        self.start_call(ctx, c, parent, target, ANY, attempt, prev_us);
    }

    /// The outcome of a call (after any retries) for what it was made for.
    fn parent_done(&mut self, ctx: &mut Ctx2, c: u16, parent: Parent, status: Status) {
        let now = ctx.now;
        match parent {
            Parent::User(u) => {
                let Some(user) = self.users.remove(u) else {
                    return;
                };
                let s = &mut self.stats;
                match status {
                    Status::Ok | Status::Degraded if now <= user.deadline => {
                        s.good += 1;
                        s.degraded += (status == Status::Degraded) as u64;
                        s.latency.record(now.since(user.started));
                    }
                    Status::Ok | Status::Degraded => s.late += 1,
                    Status::Timeout => s.timeouts += 1,
                    Status::Rejected => s.rejected += 1,
                    Status::Error => s.errors += 1,
                }
            }
            Parent::Job(j) => {
                let Some(job) = self.jobs.get_mut(j) else {
                    return;
                };
                job.pending = job.pending.saturating_sub(1);
                if status != Status::Ok && job.failed.is_none_or(|f| f == Status::Degraded) {
                    job.failed = Some(status);
                }
                if job.pending == 0 {
                    self.finish_job(ctx, j);
                }
            }
            Parent::Item => self.item_done(ctx, c, status),
        }
    }
}
