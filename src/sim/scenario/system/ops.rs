//! What happens to components rather than requests: a component crashing (its requests and
//! calls are gone; calls in progress at it fail at once, as a reset connection), random replica
//! crashes and repairs (MTBF/MTTR), balancers' health checks, autoscaling, the design's timed
//! faults, and the reader's `do:slow:NAME:K` and `do:fail:NAME:SHARE`.

use super::comp::{Part, ANY};
use super::model::{Ctx2, Status, SystemModel, Timer};
use super::parse::FaultAction;
use crate::sim::command::Command;
use crate::sim::params::shorten;
use crate::sim::topology::NodeId;

impl SystemModel {
    /// Component `c` crashed: everything it held is lost.
    pub fn crash_comp(&mut self, ctx: &mut Ctx2, c: u16) {
        let now = ctx.now;
        for j in self.jobs.tokens_where(|j| j.comp == c) {
            if let (Some(job), Some(Part::Balancer(lb))) = (
                self.jobs.remove(j),
                self.comps.get_mut(c as usize).map(|x| &mut x.part),
            ) {
                lb.bal.finished(job.replica as usize);
            }
        }
        for k in self.calls.tokens_where(|k| k.caller == c) {
            self.calls.remove(k);
        }
        let lost = self.users.tokens_where(|u| u.comp == c);
        self.stats.errors += lost.len() as u64;
        for u in lost {
            self.users.remove(u);
        }
        if let Some(comp) = self.comp(c) {
            comp.caller.outstanding.clear();
            match &mut comp.part {
                Part::Station(s) => {
                    for r in 0..s.st.replicas.len() {
                        s.st.purge(now, r);
                    }
                    if let Some(cache) = s.cache.as_mut() {
                        cache.lru.clear();
                    }
                }
                Part::Queue(b) => {
                    b.advance(now);
                    b.items.clear();
                    b.blocked.clear();
                    b.in_flight = 0;
                }
                _ => {}
            }
        }
        // Calls in progress at the crashed component fail at once (connection reset).
        for k in self.calls.tokens_where(|k| k.target == c) {
            if let Some(call) = self.calls.remove(k) {
                self.call_over(ctx, call, Status::Error);
            }
        }
    }

    /// Is target (component, replica) able to serve, as a health check sees it from `c`?
    fn healthy(&self, ctx: &Ctx2, c: u16, tc: u16, tr: u16) -> bool {
        let node_up = ctx.net.node_up(NodeId(tc as u32)) && self.wire_up(ctx, c, tc);
        node_up
            && (tr == ANY
                || match self.comps.get(tc as usize).map(|x| &x.part) {
                    Some(Part::Station(s)) => {
                        s.st.replicas
                            .get(tr as usize)
                            .is_some_and(|r| r.active && r.up)
                    }
                    _ => true,
                })
    }

    /// Balancer `c` checks its targets now.
    pub fn check_health(&mut self, ctx: &Ctx2, c: u16) {
        let Some(Part::Balancer(lb)) = self.comps.get(c as usize).map(|x| &x.part) else {
            return;
        };
        let verdicts: Vec<bool> = lb
            .targets
            .iter()
            .map(|&(tc, tr)| self.healthy(ctx, c, tc, tr))
            .collect();
        if let Some(Part::Balancer(lb)) = self.comp(c).map(|x| &mut x.part) {
            for (i, h) in verdicts.into_iter().enumerate() {
                lb.bal.set_healthy(i, h);
            }
        }
    }

    /// A balancer's periodic health check.
    pub fn on_health(&mut self, ctx: &mut Ctx2, c: u16) {
        self.check_health(ctx, c);
        if let Some(Part::Balancer(lb)) = self.comps.get(c as usize).map(|x| &x.part) {
            if ctx.now < self.end {
                ctx.timer(None, lb.health_us, Timer::Health(c));
            }
        }
    }

    /// The autoscaler of service `c` looks at the utilisation since its last look.
    pub fn on_scale(&mut self, ctx: &mut Ctx2, c: u16) {
        let now = ctx.now;
        let end = self.end;
        let Some(Part::Station(s)) = self.comp(c).map(|x| &mut x.part) else {
            return;
        };
        let Some(a) = s.autoscale.as_mut() else {
            return;
        };
        let (busy, _, active_area, _) = s.st.areas(now);
        let d_active = active_area - a.last.1;
        let util = if d_active > 0.0 {
            (busy - a.last.0) / (s.st.workers as f64 * d_active)
        } else {
            0.0
        };
        a.last = (busy, active_area);
        let active = s.st.active();
        let starting = s.st.replicas.iter().filter(|r| r.starting).count();
        let want = libm::ceil(active as f64 * util / a.target) as usize;
        let want = want.clamp(a.min, a.max);
        let (startup, every) = (a.startup_us, a.every_us);
        if want > active + starting {
            let mut more = want - active - starting;
            for (r, rep) in s.st.replicas.iter_mut().enumerate() {
                if more > 0 && !rep.active && !rep.starting {
                    rep.starting = true;
                    more -= 1;
                    ctx.timer(None, startup, Timer::Ready(c, r as u16));
                }
            }
        } else if want < active {
            let mut fewer = active - want;
            for r in (0..s.st.replicas.len()).rev() {
                if fewer > 0 && s.st.replicas[r].active {
                    s.st.set_state(now, r, None, Some(false));
                    fewer -= 1;
                }
            }
        }
        if now < end {
            ctx.timer(None, every, Timer::Scale(c));
        }
    }

    /// A replica started by the autoscaler is ready.
    pub fn on_replica_ready(&mut self, ctx: &mut Ctx2, c: u16, r: u16) {
        if let Some(Part::Station(s)) = self.comp(c).map(|x| &mut x.part) {
            s.st.set_state(ctx.now, r as usize, None, Some(true));
        }
    }

    /// Replica `r` of `c` crashes at random: its requests fail at once.
    pub fn on_replica_crash(&mut self, ctx: &mut Ctx2, c: u16, r: u16) {
        let now = ctx.now;
        if now >= self.end {
            return;
        }
        for j in self.jobs.tokens_where(|j| j.comp == c && j.replica == r) {
            self.answer(ctx, j, Status::Error);
        }
        let Some(Part::Station(s)) = self.comp(c).map(|x| &mut x.part) else {
            return;
        };
        s.st.purge(now, r as usize);
        s.st.set_state(now, r as usize, Some(false), None);
        let t = ctx.rng.exp(s.mttr_us) as u64;
        ctx.timer(None, t, Timer::Repair(c, r));
    }

    /// Replica `r` of `c` is repaired.
    pub fn on_replica_repair(&mut self, ctx: &mut Ctx2, c: u16, r: u16) {
        let (now, end) = (ctx.now, self.end);
        let Some(Part::Station(s)) = self.comp(c).map(|x| &mut x.part) else {
            return;
        };
        s.st.set_state(now, r as usize, Some(true), None);
        if let Some(mtbf) = s.mtbf_us {
            if now < end {
                let t = ctx.rng.exp(mtbf) as u64;
                ctx.timer(None, t, Timer::Crash(c, r));
            }
        }
    }

    fn wire_id(&self, a: usize, b: usize) -> Option<u32> {
        self.wires
            .iter()
            .position(|&(x, y)| {
                (x as usize, y as usize) == (a, b) || (x as usize, y as usize) == (b, a)
            })
            .map(|k| k as u32)
    }

    /// A timed fault of the design.
    pub fn on_fault(&mut self, _ctx: &mut Ctx2, i: u16) {
        let Some(f) = self.faults.get(i as usize).cloned() else {
            return;
        };
        match f.action {
            FaultAction::Crash(c) => self.pending.push(Command::Crash(c as u32)),
            FaultAction::Restart(c) => self.pending.push(Command::Restart(c as u32)),
            FaultAction::Cut(a, b) | FaultAction::Heal(a, b) => {
                if let Some(l) = self.wire_id(a, b) {
                    let cut = matches!(f.action, FaultAction::Cut(..));
                    self.pending.push(if cut {
                        Command::Cut(l)
                    } else {
                        Command::Heal(l)
                    });
                }
            }
            FaultAction::Slow(c, k) => self.tune(c, Some(k), None),
            FaultAction::Fail(c, s) => self.tune(c, None, Some(s)),
        }
    }

    fn tune(&mut self, c: usize, slow: Option<f64>, fail: Option<f64>) {
        if let Some(Part::Station(s)) = self.comps.get_mut(c).map(|x| &mut x.part) {
            if let Some(k) = slow {
                s.st.slow = k;
            }
            if let Some(f) = fail {
                s.st.fail = f;
            }
        }
    }

    /// `do:spike:NAME:FACTOR:MS`: clients `NAME` send at FACTOR times their rate for MS from
    /// now (replacing any spike of the design). Returns the clients' index and the spike's end.
    pub fn spike(&mut self, now: crate::sim::Time, name: &str) -> Result<(u16, u64), String> {
        let usage = "spike:NAME:FACTOR:MS (clients NAME send FACTOR times their rate, 1 to 100, for MS, 1 to 600000)";
        let parts: Vec<&str> = name.split(':').collect();
        let ["spike", comp, k, ms] = parts.as_slice() else {
            return Err(format!("`{}` is not valid; {usage}", shorten(name)));
        };
        let c = self
            .comps
            .iter()
            .position(|x| x.name == *comp && matches!(x.part, Part::Clients(_)))
            .ok_or_else(|| format!("no clients are called `{}`; {usage}", shorten(comp)))?;
        let num = |x: &str, lo: f64, hi: f64| {
            crate::sim::num::parse_f64(x).filter(|v| v.is_finite() && (lo..=hi).contains(v))
        };
        let (Some(k), Some(ms)) = (num(k, 1.0, 100.0), num(ms, 1.0, 600_000.0)) else {
            return Err(format!("`{}` is not valid; {usage}", shorten(name)));
        };
        let end = now.plus_us(crate::sim::scenario::system::comp::us(ms));
        if let Some(Part::Clients(cl)) = self.comps.get_mut(c).map(|x| &mut x.part) {
            cl.spike = (cl.rate * k, now, end);
        }
        Ok((c as u16, crate::sim::scenario::system::comp::us(ms)))
    }

    /// `do:slow:NAME:K` and `do:fail:NAME:SHARE`.
    pub fn act(&mut self, name: &str) -> Result<(), String> {
        let usage = "valid actions: slow:NAME:FACTOR (0.01 to 1000; 1 restores), fail:NAME:SHARE (0 to 1; 0 restores), spike:NAME:FACTOR:MS";
        let parts: Vec<&str> = name.split(':').collect();
        let [verb @ ("slow" | "fail"), comp, x] = parts.as_slice() else {
            return Err(format!(
                "this scenario has no action `{}`; {usage}",
                shorten(name)
            ));
        };
        let Some(c) = self.comps.iter().position(|k| k.name == *comp) else {
            let names: Vec<&str> = self.comps.iter().map(|k| k.name.as_str()).collect();
            return Err(format!(
                "no component is called `{}`; components: {}",
                shorten(comp),
                names.join(", ")
            ));
        };
        if !self.comps[c].kind.is_station() {
            return Err(format!(
                "`{comp}` is a {}; only a service, cache or database can be slowed or made to fail",
                self.comps[c].kind.name()
            ));
        }
        let (lo, hi) = if *verb == "slow" {
            (0.01, 1000.0)
        } else {
            (0.0, 1.0)
        };
        match crate::sim::num::parse_f64(x) {
            Some(v) if v.is_finite() && (lo..=hi).contains(&v) => {
                if *verb == "slow" {
                    self.tune(c, Some(v), None);
                } else {
                    self.tune(c, None, Some(v));
                }
                Ok(())
            }
            _ => Err(format!("`{}` is not valid for {verb}; {usage}", shorten(x))),
        }
    }
}
