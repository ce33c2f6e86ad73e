//! One bank: a load balancer in front of its servers, with each server's FIFO queue and the
//! bank's outcome counters and latency statistics (bounded memory: two histograms and a ring of
//! per-window percentiles, whatever the number of requests).

use super::balancer::Balancer;
use crate::sim::stats::Histogram;
use crate::sim::time::Time;
use std::collections::VecDeque;

/// A request as it travels: who sent it, when, how much work it is, where it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Req {
    pub sent: Time,
    /// Request number (requests are at most 10^8, so 32 bits keep messages small).
    pub id: u32,
    /// Service time at speed 1, in microseconds (drawn once per request, shared by both banks).
    pub work_us: u32,
    /// Client address.
    pub client: u32,
    /// Server index the balancer chose (`NO_SERVER` on the way to the balancer).
    pub server: u16,
    pub bank: u8,
}

/// `Req::server` before the balancer has chosen.
pub const NO_SERVER: u16 = u16::MAX;

/// One server: a FIFO queue whose front is in service.
#[derive(Clone, Debug)]
pub struct Server {
    pub queue: VecDeque<Req>,
    pub speed: f64,
    /// False once dead (crashed by the reader, or `fail`), until restarted.
    pub alive: bool,
    /// Bumped at each death, so a completion scheduled before it is recognised as stale.
    pub epoch: u32,
    pub served: u64,
    pub busy_us: u64,
    pub started: Time,
}

impl Server {
    fn new(speed: f64) -> Server {
        Server {
            queue: VecDeque::new(),
            speed,
            alive: true,
            epoch: 0,
            served: 0,
            busy_us: 0,
            started: Time::ZERO,
        }
    }

    /// Service time of `r` at this server's speed (at least 1 µs).
    pub fn service_us(&self, r: &Req) -> u64 {
        ((r.work_us as f64 / self.speed.max(1e-9)) as u64).max(1)
    }
}

/// Latency percentiles are also kept per window of this much simulated time (the chart).
pub const WINDOW_US: u64 = 1_000_000;
/// Windows kept for the chart.
pub const WINDOWS_KEPT: usize = 120;

/// How each request ended, counted per bank.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub completed: u64,
    /// Refused by a full server queue (`queue_limit`).
    pub dropped: u64,
    /// No server in rotation.
    pub rejected: u64,
    /// Sent to a server that could not serve it: dead, unreachable, or died with it queued.
    pub errors: u64,
    /// Lost elsewhere (balancer or client down, a reply on a cut link).
    pub lost: u64,
}

impl Outcomes {
    /// Requests whose fate is known.
    pub fn settled(&self) -> u64 {
        self.completed + self.dropped + self.rejected + self.errors + self.lost
    }
}

/// A balancer, its servers and what happened to their requests.
#[derive(Clone, Debug)]
pub struct Bank {
    /// Node id of the balancer; server i is node `lb + 1 + i`.
    pub lb: u32,
    pub balancer: Balancer,
    pub servers: Vec<Server>,
    pub out: Outcomes,
    pub max_queue: usize,
    pub last_error: Option<Time>,
    pub latency: Histogram,
    window: Histogram,
    window_end: Time,
    /// (window end ms, p50 ms, p99 ms), oldest first, at most `WINDOWS_KEPT`.
    pub history: VecDeque<(f64, f64, f64)>,
    /// Health checks: the current round, and which servers still owe an answer to it.
    pub round: u32,
    pub awaiting: Vec<bool>,
    /// First server each client address was sent to, and whether it was ever sent elsewhere.
    first_server: Vec<u16>,
    pub moved_clients: u64,
}

impl Bank {
    /// A bank whose balancer is node `lb`, with servers at these speeds.
    pub fn new(lb: u32, balancer: Balancer, speeds: &[f64], clients: u32) -> Bank {
        Bank {
            lb,
            balancer,
            servers: speeds.iter().map(|&s| Server::new(s)).collect(),
            out: Outcomes::default(),
            max_queue: 0,
            last_error: None,
            latency: Histogram::default(),
            window: Histogram::default(),
            window_end: Time(WINDOW_US),
            history: VecDeque::with_capacity(WINDOWS_KEPT),
            round: 0,
            awaiting: vec![false; speeds.len()],
            first_server: vec![NO_SERVER; clients as usize],
            moved_clients: 0,
        }
    }

    /// Node id of server `i`.
    pub fn server_node(&self, i: usize) -> u32 {
        self.lb + 1 + i as u32
    }

    /// Count errors (requests a server could not serve).
    pub fn error(&mut self, n: u64, now: Time) {
        if n > 0 {
            self.out.errors += n;
            self.last_error = Some(now);
        }
    }

    /// Note which server a client's request went to (for stickiness).
    pub fn note_client(&mut self, client: u32, server: usize) {
        if let Some(f) = self.first_server.get_mut(client as usize) {
            if *f == NO_SERVER {
                *f = server as u16;
            } else if *f != server as u16 && *f != NO_SERVER - 1 {
                *f = NO_SERVER - 1; // marked: this client has been on two servers
                self.moved_clients += 1;
            }
        }
    }

    /// A reply reached its client at `now`.
    pub fn completed(&mut self, r: &Req, now: Time) {
        self.out.completed += 1;
        let us = now.since(r.sent);
        self.latency.record(us);
        if now >= self.window_end {
            self.close_window(now);
        }
        self.window.record(us);
    }

    fn close_window(&mut self, now: Time) {
        if self.window.count() > 0 {
            if self.history.len() == WINDOWS_KEPT {
                self.history.pop_front();
            }
            let ms = |us: u64| us as f64 / 1000.0;
            self.history.push_back((
                self.window_end.as_ms(),
                ms(self.window.quantile(0.5)),
                ms(self.window.quantile(0.99)),
            ));
            self.window.clear();
        }
        let behind = now.since(self.window_end) / WINDOW_US;
        self.window_end = self.window_end.plus_us((behind + 1) * WINDOW_US);
    }

    /// A server died: its queue is lost (those requests are errors) and pending completions
    /// become stale.
    pub fn kill(&mut self, i: usize, now: Time) {
        let Some(s) = self.servers.get_mut(i) else {
            return;
        };
        if !s.alive {
            return;
        }
        s.alive = false;
        s.epoch = s.epoch.wrapping_add(1);
        let lost = s.queue.len() as u64;
        if lost > 0 {
            s.busy_us += now.since(s.started);
        }
        s.queue.clear();
        self.error(lost, now);
    }

    /// A server came back, empty.
    pub fn revive(&mut self, i: usize) {
        if let Some(s) = self.servers.get_mut(i) {
            s.alive = true;
        }
    }

    /// Fraction of server-time spent serving, up to `now`.
    pub fn utilization(&self, now: Time) -> f64 {
        let busy: u64 = self
            .servers
            .iter()
            .map(|s| {
                let current = if s.alive && !s.queue.is_empty() {
                    now.since(s.started)
                } else {
                    0
                };
                s.busy_us + current
            })
            .sum();
        let total = now.0 as f64 * self.servers.len() as f64;
        if total > 0.0 {
            busy as f64 / total
        } else {
            0.0
        }
    }

    /// Fraction of completed requests each server handled.
    pub fn share(&self) -> Vec<f64> {
        let total: u64 = self.servers.iter().map(|s| s.served).sum();
        self.servers
            .iter()
            .map(|s| {
                if total == 0 {
                    0.0
                } else {
                    s.served as f64 / total as f64
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::SimRng;
    use crate::sim::scenario::load_balancer::config::Algorithm;

    fn bank() -> Bank {
        let b = Balancer::new(Algorithm::RoundRobin, &[1.0, 1.0], SimRng::new(1));
        Bank::new(0, b, &[1.0, 0.5], 4)
    }

    #[test]
    fn windows_close_and_stay_bounded() {
        let mut b = bank();
        for k in 0..300u64 {
            let r = Req {
                id: k as u32,
                sent: Time(k * 500_000),
                work_us: 1,
                client: 0,
                server: 0,
                bank: 0,
            };
            b.completed(&r, Time(k * 500_000 + 1000 + k));
        }
        assert_eq!(b.history.len(), WINDOWS_KEPT);
        assert_eq!(b.out.completed, 300);
        assert!(
            b.history.iter().all(|w| w.1 >= 1.0 && w.2 <= 1.4),
            "{:?}",
            b.history.back()
        );
    }

    #[test]
    fn killing_a_server_turns_its_queue_into_errors() {
        let mut b = bank();
        let r = Req {
            id: 1,
            sent: Time(0),
            work_us: 1000,
            client: 0,
            server: 1,
            bank: 0,
        };
        assert_eq!(b.servers[1].service_us(&r), 2000);
        b.servers[1].queue.push_back(r);
        b.servers[1].queue.push_back(r);
        b.kill(1, Time(500));
        assert_eq!(b.out.errors, 2);
        assert_eq!(b.last_error, Some(Time(500)));
        b.kill(1, Time(900));
        assert_eq!(b.out.errors, 2, "dying twice loses nothing more");
        b.note_client(3, 0);
        b.note_client(3, 0);
        assert_eq!(b.moved_clients, 0);
        b.note_client(3, 1);
        b.note_client(3, 0);
        assert_eq!(b.moved_clients, 1);
    }
}
