//! The callee's side: a call arrives and becomes a job. A balancer forwards it to the replica
//! its algorithm picks, a limiter forwards it while tokens last, a queue broker answers on
//! enqueue and hands messages to its consumer, and a station (service, cache, database) queues
//! it for a worker, serves it, calls downstream if it must, and answers.

use super::comp::{Part, Shed, ANY};
use super::keys::CompKind;
use super::model::{Ctx2, Job, Msg, Parent, Status, SystemModel, Timer};
use super::slab::Token;
use super::station::Admit;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// Most requests alive at components (and user requests at clients) at once.
pub const MAX_LIVE: usize = 1_000_000;

impl SystemModel {
    /// A call reached component `c`.
    pub fn on_call(
        &mut self,
        ctx: &mut Ctx2,
        c: u16,
        from: NodeId,
        tok: Token,
        replica: u16,
        deadline: Time,
    ) {
        let now = ctx.now;
        let Some(comp) = self.comps.get_mut(c as usize) else {
            return;
        };
        if comp.kind == CompKind::Clients {
            return;
        }
        comp.received += 1;
        if self.jobs.len() >= MAX_LIVE {
            // More requests in the system than the simulator holds: refused, so memory stays bounded.
            comp.rejected += 1;
            let msg = Msg::Reply {
                tok,
                status: Status::Rejected,
            };
            self.send(ctx, c, from.0 as u16, msg);
            return;
        }
        let j = self.jobs.insert(Job {
            comp: c,
            replica,
            from,
            token: tok,
            deadline,
            arrived: now,
            pending: 0,
            failed: None,
            serving: false,
            key: 0,
        });
        match comp.kind {
            CompKind::Balancer => self.balance(ctx, c, j),
            CompKind::Limiter => self.limit(ctx, c, j),
            CompKind::Queue => self.enqueue(ctx, c, j),
            _ => self.admit(ctx, c, j),
        }
    }

    /// Answer job `j` and forget it (a timeout downstream answers as an error).
    pub fn answer(&mut self, ctx: &mut Ctx2, j: Token, status: Status) {
        let Some(job) = self.jobs.remove(j) else {
            return;
        };
        let status = if status == Status::Timeout {
            Status::Error
        } else {
            status
        };
        if let Some(comp) = self.comp(job.comp) {
            match status {
                Status::Ok => comp.answered += 1,
                Status::Degraded => {
                    comp.answered += 1;
                    comp.degraded += 1;
                }
                Status::Rejected => comp.rejected += 1,
                Status::Error | Status::Timeout => comp.errors += 1,
            }
        }
        let msg = Msg::Reply {
            tok: job.token,
            status,
        };
        self.send(ctx, job.comp, job.from.0 as u16, msg);
    }

    fn forward(&mut self, ctx: &mut Ctx2, c: u16, j: Token, target: u16, replica: u16) {
        if let Some(job) = self.jobs.get_mut(j) {
            job.pending = 1;
        }
        self.start_call(ctx, c, Parent::Job(j), target, replica, 1, 0);
    }

    fn balance(&mut self, ctx: &mut Ctx2, c: u16, j: Token) {
        let from = self.jobs.get(j).map_or(0, |x| x.from.0);
        let Some(Part::Balancer(lb)) = self.comp(c).map(|x| &mut x.part) else {
            return;
        };
        let Some(i) = lb.bal.pick(from) else {
            return self.answer(ctx, j, Status::Error);
        };
        let (tc, tr) = lb.targets.get(i).copied().unwrap_or((0, ANY));
        if let Some(job) = self.jobs.get_mut(j) {
            job.replica = i as u16;
        }
        self.forward(ctx, c, j, tc, tr);
    }

    fn limit(&mut self, ctx: &mut Ctx2, c: u16, j: Token) {
        let now = ctx.now;
        let Some(comp) = self.comp(c) else {
            return;
        };
        let target = comp.down.first().copied().unwrap_or(0);
        let Part::Limiter(b) = &mut comp.part else {
            return;
        };
        b.tokens = (b.tokens + b.rate * now.since(b.last) as f64 / 1e6).min(b.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            self.forward(ctx, c, j, target, ANY);
        } else {
            self.answer(ctx, j, Status::Rejected);
        }
    }

    fn admit(&mut self, ctx: &mut Ctx2, c: u16, j: Token) {
        let now = ctx.now;
        let hint = self.jobs.get(j).map_or(ANY, |x| x.replica);
        let Some(comp) = self.comps.get_mut(c as usize) else {
            return;
        };
        let service = comp.kind == CompKind::Service;
        let Part::Station(s) = &mut comp.part else {
            return;
        };
        s.st.arrive(now);
        let hint = match &s.db {
            Some(db) if ctx.rng.chance(db.writes) => Some(0),
            _ if service && hint != ANY => Some(hint as usize),
            _ => None,
        };
        let write = s.db.is_some() && hint == Some(0) && !service;
        let Some(r) = s.st.pick(hint) else {
            return self.answer(ctx, j, Status::Error);
        };
        if let Some(job) = self.jobs.get_mut(j) {
            job.replica = r as u16;
            job.key = write as u32;
        }
        match s.st.admit(now, r, j) {
            Admit::Start => self.begin_service(ctx, c, j),
            Admit::Queued => {}
            Admit::Full => self.answer(ctx, j, Status::Rejected),
        }
    }

    fn begin_service(&mut self, ctx: &mut Ctx2, c: u16, j: Token) {
        let now = ctx.now;
        let Some(job) = self.jobs.get_mut(j) else {
            return;
        };
        job.serving = true;
        let waited = now.since(job.arrived);
        let Some(Part::Station(s)) = self.comps.get_mut(c as usize).map(|x| &mut x.part) else {
            return;
        };
        s.st.wait_us += waited as u128;
        let d = s.st.service_us(ctx.rng);
        ctx.timer(None, d, Timer::Done(j));
    }

    /// The next waiting job of replica `r` goes to the free worker (expired ones are shed
    /// first when the station sheds by deadline).
    fn serve_next(&mut self, ctx: &mut Ctx2, c: u16, r: usize) {
        let now = ctx.now;
        loop {
            let Some(Part::Station(s)) = self.comps.get_mut(c as usize).map(|x| &mut x.part) else {
                return;
            };
            let Some(tok) = s.st.next(now, r, s.shed == Shed::Lifo) else {
                return;
            };
            let Some(job) = self.jobs.get(tok) else {
                continue;
            };
            if s.shed == Shed::Deadline && job.deadline < now {
                s.st.shed += 1;
                s.st.wait_us += now.since(job.arrived) as u128;
                self.answer(ctx, tok, Status::Rejected);
                continue;
            }
            s.st.start(now, r);
            return self.begin_service(ctx, c, tok);
        }
    }

    /// A job's service ended: the worker takes the next waiting job, and this one fails, calls
    /// downstream or is answered.
    pub fn on_done(&mut self, ctx: &mut Ctx2, j: Token) {
        let Some((c, r, fanout, fail)) = self.end_service(ctx, j) else {
            return;
        };
        self.serve_next(ctx, c, r);
        let Some(job) = self.jobs.get_mut(j) else {
            return;
        };
        if fail {
            job.failed = Some(Status::Error);
        }
        if fanout == 0 {
            return self.finish_job(ctx, j);
        }
        job.pending = fanout as u16;
        for k in 0..fanout {
            let d = self
                .comps
                .get(c as usize)
                .and_then(|x| x.down.get(k).copied());
            if let Some(d) = d {
                self.start_call(ctx, c, Parent::Job(j), d, ANY, 1, 0);
            }
        }
    }

    /// Free the worker, count the job served, draw whether it fails, and let a cache or database
    /// do its part: (component, replica, downstream calls to make, failed).
    fn end_service(&mut self, ctx: &mut Ctx2, j: Token) -> Option<(u16, usize, usize, bool)> {
        let now = ctx.now;
        let job = self.jobs.get_mut(j)?;
        job.serving = false;
        let (c, r, arrived, write) = (job.comp, job.replica as usize, job.arrived, job.key == 1);
        let comp = self.comps.get_mut(c as usize)?;
        let fanout = comp.down.len();
        let Part::Station(s) = &mut comp.part else {
            return None;
        };
        s.st.release(now, r);
        s.st.served += 1;
        s.st.sojourn_us += now.since(arrived) as u128;
        let fail = ctx.rng.chance(s.st.fail);
        let mut calls = if fail { 0 } else { fanout };
        if let Some(cache) = s.cache.as_mut() {
            let key = cache.zipf.sample(ctx.rng);
            job.key = key as u32;
            if cache.lru.hit(key, now) {
                cache.hits += 1;
                calls = 0;
            } else {
                cache.misses += 1;
            }
        }
        if let Some(db) = s.db.as_mut() {
            db.query(ctx.rng, now, r, write);
        }
        Some((c, r, calls, fail))
    }

    /// Every downstream call of job `j` ended: answer it.
    pub fn finish_job(&mut self, ctx: &mut Ctx2, j: Token) {
        let now = ctx.now;
        let Some(job) = self.jobs.get(j) else {
            return;
        };
        let (c, i, failed, key) = (job.comp, job.replica, job.failed, job.key);
        let Some(comp) = self.comp(c) else {
            return;
        };
        let status = match (failed, &mut comp.part) {
            (None, Part::Station(s)) => {
                if let Some(cache) = s.cache.as_mut() {
                    let until = cache.ttl_us.map_or(Time::NEVER, |t| now.plus_us(t));
                    cache.lru.insert(key as usize, until);
                }
                Status::Ok
            }
            (Some(Status::Degraded), _) => Status::Degraded,
            (Some(_), Part::Station(s)) if s.fallback => Status::Degraded,
            (Some(Status::Rejected), Part::Balancer(_) | Part::Limiter(_)) => Status::Rejected,
            (Some(_), _) => Status::Error,
            (None, _) => Status::Ok,
        };
        if let Part::Balancer(lb) = &mut comp.part {
            lb.bal.finished(i as usize);
        }
        self.answer(ctx, j, status);
    }
}
