//! A queueing station: replicas, each with `workers` servers and a waiting room of `cap`
//! places, a service-time distribution, and the time integrals its metrics come from (busy
//! workers, requests waiting, replicas provisioned and up), kept exactly at every change.
//! The station holds job tokens only; the model owns the jobs and decides shedding.

use super::slab::Token;
use crate::sim::rng::SimRng;
use crate::sim::time::Time;
use std::collections::VecDeque;

/// Service-time distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    Exp,
    Const,
    /// Lognormal with this coefficient of variation.
    LogNormal(f64),
}

/// One replica.
#[derive(Clone, Debug, Default)]
pub struct Replica {
    /// Not crashed.
    pub up: bool,
    /// Provisioned (autoscaling adds and retires replicas).
    pub active: bool,
    /// Being started by the autoscaler.
    pub starting: bool,
    pub busy: u32,
    pub queue: VecDeque<Token>,
}

/// Where an arriving job went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// A worker took it: draw its service time.
    Start,
    Queued,
    /// The waiting room is full.
    Full,
}

/// Length of the buckets arrivals are counted in for `peak_rate`.
pub const PEAK_BUCKET_US: u64 = 100_000;

/// A station and its statistics.
#[derive(Clone, Debug)]
pub struct Station {
    pub workers: u32,
    pub cap: usize,
    pub dist: Dist,
    pub mean_us: f64,
    /// Service-time factor (the `slow` intervention).
    pub slow: f64,
    /// Share of jobs that fail after service (the `fail` intervention).
    pub fail: f64,
    pub replicas: Vec<Replica>,
    last: Time,
    busy_now: u64,
    queued_now: u64,
    busy_area: f64,
    queue_area: f64,
    active_area: f64,
    up_area: f64,
    pub arrivals: u64,
    pub served: u64,
    pub left_queue: u64,
    pub wait_us: u128,
    pub sojourn_us: u128,
    pub rejected: u64,
    pub shed: u64,
    bucket: (u64, u64),
    pub peak_per_bucket: u64,
    /// Replicas (provisioned, provisioned and up), kept by `set_state`.
    counts: (u64, u64),
}

impl Station {
    /// A station with `active` of `slots` replicas provisioned and up.
    pub fn new(
        workers: u32,
        cap: usize,
        dist: Dist,
        mean_us: f64,
        slots: usize,
        active: usize,
    ) -> Station {
        let replicas = (0..slots.max(1))
            .map(|i| Replica {
                up: true,
                active: i < active.max(1),
                ..Default::default()
            })
            .collect();
        let mut st = Station {
            workers: workers.max(1),
            cap,
            dist,
            mean_us,
            slow: 1.0,
            fail: 0.0,
            replicas,
            last: Time::ZERO,
            busy_now: 0,
            queued_now: 0,
            busy_area: 0.0,
            queue_area: 0.0,
            active_area: 0.0,
            up_area: 0.0,
            arrivals: 0,
            served: 0,
            left_queue: 0,
            wait_us: 0,
            sojourn_us: 0,
            rejected: 0,
            shed: 0,
            bucket: (0, 0),
            peak_per_bucket: 0,
            counts: (0, 0),
        };
        st.recount();
        st
    }

    fn counts(&self) -> (u64, u64) {
        self.counts
    }

    fn recount(&mut self) {
        let active = self.replicas.iter().filter(|r| r.active).count() as u64;
        let up = self.replicas.iter().filter(|r| r.active && r.up).count() as u64;
        self.counts = (active, up);
    }

    /// Bring the time integrals up to `now` (call before any change).
    pub fn advance(&mut self, now: Time) {
        let dt = now.since(self.last) as f64;
        if dt > 0.0 {
            let (active, up) = self.counts();
            self.busy_area += self.busy_now as f64 * dt;
            self.queue_area += self.queued_now as f64 * dt;
            self.active_area += active as f64 * dt;
            self.up_area += up as f64 * dt;
            self.last = now;
        }
    }

    /// The replica a job should join: `hint` if it is provisioned and up (a balancer chose it),
    /// else the provisioned, up replica with the fewest jobs (lowest number on ties).
    pub fn pick(&self, hint: Option<usize>) -> Option<usize> {
        let ok = |r: &Replica| r.active && r.up;
        if let Some(h) = hint {
            return self.replicas.get(h).filter(|r| ok(r)).map(|_| h);
        }
        self.replicas
            .iter()
            .enumerate()
            .filter(|(_, r)| ok(r))
            .min_by_key(|(i, r)| (r.busy as usize + r.queue.len(), *i))
            .map(|(i, _)| i)
    }

    /// Count an arrival (for the peak rate).
    pub fn arrive(&mut self, now: Time) {
        self.arrivals += 1;
        let b = now.0 / PEAK_BUCKET_US;
        if self.bucket.0 != b {
            self.bucket = (b, 0);
        }
        self.bucket.1 += 1;
        self.peak_per_bucket = self.peak_per_bucket.max(self.bucket.1);
    }

    /// A job arrives at replica `r`.
    pub fn admit(&mut self, now: Time, r: usize, tok: Token) -> Admit {
        self.advance(now);
        let (workers, cap) = (self.workers, self.cap);
        let Some(rep) = self.replicas.get_mut(r) else {
            return Admit::Full;
        };
        if rep.busy < workers {
            rep.busy += 1;
            self.busy_now += 1;
            self.left_queue += 1;
            Admit::Start
        } else if rep.queue.len() < cap {
            rep.queue.push_back(tok);
            self.queued_now += 1;
            Admit::Queued
        } else {
            self.rejected += 1;
            Admit::Full
        }
    }

    /// A worker of `r` finished a job (it is free now).
    pub fn release(&mut self, now: Time, r: usize) {
        self.advance(now);
        if let Some(rep) = self.replicas.get_mut(r) {
            if rep.busy > 0 {
                rep.busy -= 1;
                self.busy_now = self.busy_now.saturating_sub(1);
            }
        }
    }

    /// The next waiting job of `r` (newest first with `lifo`), if a worker is free.
    pub fn next(&mut self, now: Time, r: usize, lifo: bool) -> Option<Token> {
        self.advance(now);
        let workers = self.workers;
        let rep = self.replicas.get_mut(r)?;
        if rep.busy >= workers {
            return None;
        }
        let tok = if lifo {
            rep.queue.pop_back()
        } else {
            rep.queue.pop_front()
        }?;
        self.queued_now = self.queued_now.saturating_sub(1);
        self.left_queue += 1;
        Some(tok)
    }

    /// A job taken by `next` goes into service at `r`.
    pub fn start(&mut self, now: Time, r: usize) {
        self.advance(now);
        if let Some(rep) = self.replicas.get_mut(r) {
            rep.busy += 1;
            self.busy_now += 1;
        }
    }

    /// Replica `r` crashed or was retired empty: its waiting jobs are gone (returned), its
    /// workers idle.
    pub fn purge(&mut self, now: Time, r: usize) -> Vec<Token> {
        self.advance(now);
        let Some(rep) = self.replicas.get_mut(r) else {
            return Vec::new();
        };
        self.busy_now = self.busy_now.saturating_sub(rep.busy as u64);
        self.queued_now = self.queued_now.saturating_sub(rep.queue.len() as u64);
        rep.busy = 0;
        rep.queue.drain(..).collect()
    }

    /// Mark a replica up or down, provisioned or not (integrals first).
    pub fn set_state(&mut self, now: Time, r: usize, up: Option<bool>, active: Option<bool>) {
        self.advance(now);
        if let Some(rep) = self.replicas.get_mut(r) {
            if let Some(u) = up {
                rep.up = u;
            }
            if let Some(a) = active {
                rep.active = a;
                rep.starting = false;
            }
        }
        self.recount();
    }

    /// One service time in microseconds.
    pub fn service_us(&self, rng: &mut SimRng) -> u64 {
        let mean = self.mean_us * self.slow;
        let v = match self.dist {
            Dist::Exp => rng.exp(mean),
            Dist::Const => mean,
            Dist::LogNormal(cv) => {
                let s2 = libm::log(1.0 + cv * cv);
                let mu = libm::log(mean.max(1e-9)) - s2 / 2.0;
                let (u1, u2) = (1.0 - rng.unit(), rng.unit());
                let z =
                    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
                libm::exp(mu + libm::sqrt(s2) * z)
            }
        };
        if v.is_finite() && v > 0.0 {
            v as u64
        } else {
            0
        }
    }

    /// Jobs waiting now, over every replica.
    pub fn waiting(&self) -> u64 {
        self.queued_now
    }

    /// Workers busy now.
    pub fn busy(&self) -> u64 {
        self.busy_now
    }

    /// Replicas provisioned now.
    pub fn active(&self) -> usize {
        self.counts.0 as usize
    }

    /// (busy worker-time, waiting job-time, provisioned replica-time, up replica-time) so far,
    /// in microseconds, as of `now` (without changing the station).
    pub fn areas(&self, now: Time) -> (f64, f64, f64, f64) {
        let dt = now.since(self.last) as f64;
        let (active, up) = self.counts();
        (
            self.busy_area + self.busy_now as f64 * dt,
            self.queue_area + self.queued_now as f64 * dt,
            self.active_area + active as f64 * dt,
            self.up_area + up as f64 * dt,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_then_waiting_room_then_full() {
        let mut s = Station::new(2, 1, Dist::Const, 1000.0, 1, 1);
        let t = Time::from_ms;
        assert_eq!(s.admit(t(0), 0, 1), Admit::Start);
        assert_eq!(s.admit(t(0), 0, 2), Admit::Start);
        assert_eq!(s.admit(t(0), 0, 3), Admit::Queued);
        assert_eq!(s.admit(t(0), 0, 4), Admit::Full);
        s.release(t(10), 0);
        assert_eq!(s.next(t(10), 0, false), Some(3));
        s.start(t(10), 0);
        let (busy, queue, active, up) = s.areas(t(20));
        assert_eq!(
            (busy, queue, active, up),
            (40_000.0, 10_000.0, 20_000.0, 20_000.0)
        );
        assert_eq!(s.purge(t(20), 0), Vec::<Token>::new());
        assert_eq!(s.busy(), 0);
    }

    #[test]
    fn lognormal_keeps_its_mean() {
        let s = Station::new(1, 0, Dist::LogNormal(1.0), 10_000.0, 1, 1);
        let mut rng = SimRng::new(4);
        let n = 200_000;
        let mean = (0..n).map(|_| s.service_us(&mut rng) as f64).sum::<f64>() / n as f64;
        assert!((mean / 10_000.0 - 1.0).abs() < 0.02, "{mean}");
    }
}
