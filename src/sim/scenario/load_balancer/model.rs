//! The simulation proper: Poisson arrivals from client addresses, the balancer's choice, server
//! FIFO queues with random service times (timers), health checks as real messages, deaths and
//! restarts. With `compare` set, a second bank receives a copy of every request (same id, same
//! client, same work), so the two banks differ by their algorithm alone.

use super::bank::{Bank, Req, NO_SERVER};
use super::config::Config;
pub use super::msg::{Msg, Probe, Timer};
use crate::sim::engine::{Ctx, Protocol};
use crate::sim::network::DropReason;
use crate::sim::rng::SimRng;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;

/// Stream of the arrival process (gaps, client addresses, work): shared by both banks.
pub const ARRIVALS: u64 = 1;
/// Stream of each bank's balancer (random and p2c draws): `BALANCER + bank`.
pub const BALANCER: u64 = 2;

/// Where a node sits.
enum Place {
    Lb(usize),
    Server(usize, usize),
    Client,
}

/// The model's state.
pub struct LbModel {
    pub cfg: Config,
    pub banks: Vec<Bank>,
    arrivals: SimRng,
    pub issued: u64,
    /// Nodes `first_client ..` are clients; address a sends from `first_client + a % client_nodes`.
    pub first_client: u32,
    pub client_nodes: u32,
    /// Generation of each bank's health-check ticker (a restarted balancer starts a new one).
    tick_gen: Vec<u32>,
}

/// Ctx for this protocol.
type C<'a, 'b> = &'a mut Ctx<'b, Msg, Timer>;

impl LbModel {
    /// A model for `cfg` with these banks (already laid out).
    pub fn new(cfg: Config, banks: Vec<Bank>, seed: u64, first_client: u32) -> LbModel {
        let client_nodes = cfg.clients.min(3);
        let n = banks.len();
        LbModel {
            cfg,
            banks,
            arrivals: SimRng::derive(seed, ARRIVALS),
            issued: 0,
            first_client,
            client_nodes,
            tick_gen: vec![0; n],
        }
    }

    fn place(&self, n: NodeId) -> Place {
        let per = self.cfg.servers as u32 + 1;
        let b = (n.0 / per) as usize;
        match n.0 % per {
            _ if b >= self.banks.len() => Place::Client,
            0 => Place::Lb(b),
            k => Place::Server(b, k as usize - 1),
        }
    }

    /// Every request issued and accounted for in every bank.
    pub fn finished(&self) -> bool {
        self.issued >= self.cfg.requests
            && self.banks.iter().all(|b| b.out.settled() >= self.issued)
    }

    /// Health-check timeout: a quarter of the interval, but at least three link crossings.
    fn check_timeout_us(&self) -> u64 {
        let link = Time::from_ms_f64(self.cfg.link_ms).0;
        (self.cfg.check_us / 4).max(3 * link)
    }

    fn issue(&mut self, ctx: C) {
        if self.issued >= self.cfg.requests {
            return;
        }
        let client = self.arrivals.below(self.cfg.clients as u64) as u32;
        let work = if self.cfg.exp_service {
            self.arrivals.exp(self.cfg.service_us)
        } else {
            self.cfg.service_us
        };
        let mut req = Req {
            id: self.issued as u32,
            sent: ctx.now,
            work_us: (work + 0.5).clamp(1.0, u32::MAX as f64) as u32,
            client,
            server: NO_SERVER,
            bank: 0,
        };
        self.issued += 1;
        let from = NodeId(self.first_client + client % self.client_nodes);
        for (b, bank) in self.banks.iter_mut().enumerate() {
            req.bank = b as u8;
            if ctx.net.node_up(from) {
                ctx.send(from, NodeId(bank.lb), Msg::Request(req));
            } else {
                bank.out.lost += 1;
            }
        }
        if self.issued < self.cfg.requests {
            let gap = self.arrivals.exp(self.cfg.mean_gap_us) + 0.5;
            ctx.timer(None, gap as u64, Timer::Arrival);
        }
    }

    fn dispatch(&mut self, ctx: C, b: usize, mut req: Req) {
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        match bank.balancer.pick(req.client) {
            Some(i) => {
                req.server = i as u16;
                bank.note_client(req.client, i);
                ctx.send(
                    NodeId(bank.lb),
                    NodeId(bank.server_node(i)),
                    Msg::Request(req),
                );
            }
            None => bank.out.rejected += 1,
        }
    }

    fn accept(&mut self, ctx: C, b: usize, i: usize, req: Req) {
        let limit = self.cfg.queue_limit;
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        let (lb, node) = (NodeId(bank.lb), NodeId(bank.server_node(i)));
        let Some(s) = bank.servers.get_mut(i) else {
            return;
        };
        if !s.alive {
            return bank.error(1, ctx.now);
        }
        if limit > 0 && s.queue.len() >= limit {
            bank.out.dropped += 1;
            return ctx.send(node, lb, Msg::Busy(req));
        }
        s.queue.push_back(req);
        let len = s.queue.len();
        bank.max_queue = bank.max_queue.max(len);
        if len == 1 {
            self.start(ctx, b, i);
        }
    }

    fn start(&mut self, ctx: C, b: usize, i: usize) {
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        let node = NodeId(bank.server_node(i));
        let Some(s) = bank.servers.get_mut(i) else {
            return;
        };
        let Some(front) = s.queue.front() else { return };
        let us = s.service_us(front);
        s.started = ctx.now;
        let t = Timer::Done {
            bank: b as u8,
            server: i as u16,
            epoch: s.epoch,
        };
        ctx.timer(Some(node), us, t);
    }

    fn complete(&mut self, ctx: C, b: usize, i: usize, epoch: u32) {
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        let (lb, node) = (NodeId(bank.lb), NodeId(bank.server_node(i)));
        let Some(s) = bank.servers.get_mut(i) else {
            return;
        };
        if !s.alive || s.epoch != epoch {
            return;
        }
        let Some(req) = s.queue.pop_front() else {
            return;
        };
        s.served += 1;
        s.busy_us += ctx.now.since(s.started);
        let more = !s.queue.is_empty();
        ctx.send(node, lb, Msg::Reply(req));
        if more {
            self.start(ctx, b, i);
        }
    }

    fn tick(&mut self, ctx: C, b: usize, gen: u32) {
        if self.tick_gen.get(b) != Some(&gen) {
            return;
        }
        let timeout = self.check_timeout_us();
        let (every, done) = (self.cfg.check_us, self.finished());
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        bank.round = bank.round.wrapping_add(1);
        let lb = NodeId(bank.lb);
        for i in 0..bank.servers.len() {
            if let Some(a) = bank.awaiting.get_mut(i) {
                *a = true;
            }
            let p = Probe {
                bank: b as u8,
                server: i as u16,
                round: bank.round,
            };
            ctx.send(lb, NodeId(bank.server_node(i)), Msg::Check(p));
        }
        ctx.timer(
            Some(lb),
            timeout,
            Timer::Deadline {
                bank: b as u8,
                round: bank.round,
            },
        );
        if !done {
            ctx.timer(Some(lb), every, Timer::Tick { bank: b as u8, gen });
        }
    }

    fn deadline(&mut self, b: usize, round: u32) {
        let Some(bank) = self.banks.get_mut(b) else {
            return;
        };
        if bank.round != round {
            return;
        }
        for i in 0..bank.servers.len() {
            if bank.awaiting.get(i) == Some(&true) {
                bank.balancer.set_healthy(i, false);
            }
        }
    }

    fn check_ok(&mut self, p: Probe) {
        let Some(bank) = self.banks.get_mut(p.bank as usize) else {
            return;
        };
        if bank.round == p.round {
            if let Some(a) = bank.awaiting.get_mut(p.server as usize) {
                *a = false;
            }
            bank.balancer.set_healthy(p.server as usize, true);
        }
    }

    /// Start (or restart) bank `b`'s health checks.
    fn start_ticks(&mut self, ctx: C, b: usize) {
        let Some(g) = self.tick_gen.get_mut(b) else {
            return;
        };
        *g = g.wrapping_add(1);
        let (gen, lb) = (*g, self.banks.get(b).map_or(0, |k| k.lb));
        ctx.timer(
            Some(NodeId(lb)),
            self.cfg.check_us,
            Timer::Tick { bank: b as u8, gen },
        );
    }

    /// Kill server `i` in every bank (the `fail` parameter and the kill button).
    pub fn kill_everywhere(&mut self, i: usize, now: Time) {
        for bank in &mut self.banks {
            bank.kill(i, now);
        }
    }

    /// Bring back every dead server whose node is up.
    pub fn revive_all(&mut self, ctx: C) {
        for bank in &mut self.banks {
            for i in 0..bank.servers.len() {
                if ctx.net.node_up(NodeId(bank.server_node(i))) {
                    bank.revive(i);
                }
            }
        }
    }

    fn client_node(&self, client: u32) -> NodeId {
        NodeId(self.first_client + client % self.client_nodes)
    }

    fn at_balancer(&mut self, ctx: C, b: usize, msg: Msg) {
        match msg {
            Msg::Request(r) => self.dispatch(ctx, b, r),
            Msg::Reply(r) => {
                let to = self.client_node(r.client);
                if let Some(bank) = self.banks.get_mut(b) {
                    bank.balancer.finished(r.server as usize);
                    ctx.send(NodeId(bank.lb), to, Msg::Reply(r));
                }
            }
            Msg::Busy(r) => {
                if let Some(bank) = self.banks.get_mut(b) {
                    bank.balancer.finished(r.server as usize);
                }
            }
            Msg::CheckOk(p) => self.check_ok(p),
            Msg::Check(_) => {}
        }
    }

    fn at_server(&mut self, ctx: C, b: usize, i: usize, from: NodeId, msg: Msg) {
        match msg {
            Msg::Request(r) => self.accept(ctx, b, i, r),
            Msg::Check(p) => {
                let alive = self
                    .banks
                    .get(b)
                    .and_then(|k| k.servers.get(i))
                    .is_some_and(|s| s.alive);
                if alive {
                    ctx.send(
                        NodeId(self.banks.get(b).map_or(0, |k| k.server_node(i))),
                        from,
                        Msg::CheckOk(p),
                    );
                }
            }
            _ => {}
        }
    }
}

impl Protocol for LbModel {
    type Msg = Msg;
    type Timer = Timer;

    fn start(&mut self, ctx: C) {
        self.issue(ctx);
        for b in 0..self.banks.len() {
            self.start_ticks(ctx, b);
        }
        if let Some((_, at)) = self.cfg.fail {
            ctx.timer(None, at.0, Timer::Fail);
        }
    }

    fn on_message(&mut self, ctx: C, at: NodeId, from: NodeId, msg: Msg) {
        match (self.place(at), msg) {
            (Place::Lb(b), m) => self.at_balancer(ctx, b, m),
            (Place::Server(b, i), m) => self.at_server(ctx, b, i, from, m),
            (Place::Client, Msg::Reply(r)) => {
                if let Some(bank) = self.banks.get_mut(r.bank as usize) {
                    bank.completed(&r, ctx.now);
                }
            }
            (Place::Client, _) => {}
        }
    }

    fn on_timer(&mut self, ctx: C, _at: Option<NodeId>, timer: Timer) {
        match timer {
            Timer::Arrival => self.issue(ctx),
            Timer::Done {
                bank,
                server,
                epoch,
            } => self.complete(ctx, bank as usize, server as usize, epoch),
            Timer::Tick { bank, gen } => self.tick(ctx, bank as usize, gen),
            Timer::Deadline { bank, round } => self.deadline(bank as usize, round),
            Timer::Fail => {
                if let Some((i, _)) = self.cfg.fail {
                    self.kill_everywhere(i, ctx.now);
                }
            }
        }
    }

    fn on_drop(&mut self, now: Time, msg: &Msg, _reason: DropReason) {
        let (r, assigned) = match msg {
            Msg::Request(r) => (r, r.server != NO_SERVER),
            Msg::Reply(r) => (r, false),
            _ => return,
        };
        let Some(bank) = self.banks.get_mut(r.bank as usize) else {
            return;
        };
        if assigned {
            bank.error(1, now);
        } else {
            bank.out.lost += 1;
        }
    }

    fn on_crash(&mut self, ctx: C, node: NodeId, up: bool) {
        match self.place(node) {
            Place::Server(b, i) => {
                if let Some(bank) = self.banks.get_mut(b) {
                    if up {
                        bank.revive(i);
                    } else {
                        bank.kill(i, ctx.now);
                    }
                }
            }
            Place::Lb(b) if up && !self.finished() => self.start_ticks(ctx, b),
            _ => {}
        }
    }
}
