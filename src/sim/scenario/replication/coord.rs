//! Coordinator and replica behaviour: versioning writes, gathering read and write quorums,
//! write-back (ABD), read repair, what happens at a quorum's deadline (cp refuses, ap answers
//! with what it has and leaves hints), hinted handoff, anti-entropy, leader replication, and
//! tracking which keys the replicas disagree on.

use super::config::{Mode, Scheme};
use super::protocol::{Cx, Hint, Msg, Pending, Phase, Timer, Why, HINT_EVERY_US};
use super::versions::{Sib, Sibs, MAX_N};
use super::Replication;
use crate::sim::topology::NodeId;

fn bit(i: u32) -> u16 {
    1u16.checked_shl(i).unwrap_or(0)
}

impl Replication {
    pub(super) fn on_replica_msg(&mut self, ctx: Cx, me: u32, from: u32, msg: Msg) {
        match msg {
            Msg::Req { op, key, write } => self.on_request(ctx, me, from, op, key, write),
            Msg::Put { op, key, val, why } => {
                self.store(ctx, me, key, &val);
                if why != Why::Repair {
                    ctx.send(NodeId(me), NodeId(from), Msg::Ack { op, key, why });
                }
            }
            Msg::Ack { op, key, why } => self.on_ack(ctx, me, from, op, key, why),
            Msg::Get { op, key } => {
                let val = self.value(me, key);
                ctx.send(NodeId(me), NodeId(from), Msg::Got { op, val });
            }
            Msg::Got { op, val } => self.on_got(ctx, from, op, &val),
            Msg::Sync { store, reply } => {
                for (k, v) in store.iter().enumerate() {
                    self.store(ctx, me, k as u32, v);
                }
                if reply {
                    let mine = self.replicas.get(me as usize).map(|r| r.store.clone());
                    let store = mine.unwrap_or_default();
                    ctx.send(
                        NodeId(me),
                        NodeId(from),
                        Msg::Sync {
                            store,
                            reply: false,
                        },
                    );
                }
            }
            Msg::Resp { .. } => {}
        }
    }

    fn value(&self, r: u32, key: u32) -> Sibs {
        self.replicas
            .get(r as usize)
            .and_then(|x| x.store.get(key as usize))
            .copied()
            .unwrap_or_default()
    }

    /// Merge a version into replica `r`'s store and update the divergence bookkeeping.
    fn store(&mut self, ctx: Cx, r: u32, key: u32, val: &Sibs) {
        let how = self.cfg.conflict;
        let Some(s) = self
            .replicas
            .get_mut(r as usize)
            .and_then(|x| x.store.get_mut(key as usize))
        else {
            return;
        };
        if !s.merge(val, how) {
            return;
        }
        self.siblings_max = self.siblings_max.max(s.len());
        let first = self.value(0, key);
        let agree = (1..self.cfg.n).all(|i| self.value(i, key) == first);
        let b = 1u64.checked_shl(key).unwrap_or(0);
        if agree {
            self.divergent &= !b;
        } else {
            self.divergent |= b;
        }
        if self.divergent == 0 && !self.partitioned && self.converged_at.is_none() {
            self.converged_at = Some(ctx.now);
        }
    }

    /// A new version for a client's write, created at replica `me` over what it holds and
    /// the versions its context read returned (`seen`).
    fn version(&mut self, ctx: Cx, me: u32, op: u64, key: u32, seen: &Sibs) -> Sibs {
        let mut local = self.value(me, key);
        local.merge(seen, super::Conflict::Vv);
        let mut vv = local.context();
        let dot = self
            .replicas
            .get_mut(me as usize)
            .and_then(|r| r.counter.get_mut(key as usize))
            .map_or(0, |c| {
                *c += 1;
                *c
            });
        if let Some(e) = vv.0.get_mut(me as usize) {
            *e = dot;
        }
        let sib = Sib {
            value: op + 1,
            ts: ctx.now.0,
            vv,
        };
        self.hist.versioned(op, me, &sib, &local);
        Sibs::one(sib)
    }

    fn on_request(&mut self, ctx: Cx, me: u32, client: u32, op: u64, key: u32, write: bool) {
        let leader = self.cfg.scheme == Scheme::Leader;
        if leader && !write {
            let val = self.value(me, key);
            ctx.send(NodeId(me), NodeId(client), Msg::Resp { op, ok: true, val });
            return;
        }
        let (phase, val) = match (write, leader) {
            (true, true) => (
                Phase::Write,
                self.version(ctx, me, op, key, &Sibs::default()),
            ),
            (true, false) => (Phase::Context, Sibs::default()),
            (false, _) => (Phase::Read, Sibs::default()),
        };
        let deadline = ctx.now.plus_us(self.cfg.timeout_us);
        let p = Pending {
            coord: me,
            client,
            key,
            phase,
            acks: 0,
            replied: false,
            deadline,
            val,
            fps: [0; MAX_N],
        };
        self.pending.insert(op, p);
        ctx.timer(Some(NodeId(me)), self.cfg.timeout_us, Timer::Deadline(op));
        if leader {
            self.store(ctx, me, key, &val);
            self.on_ack(ctx, me, me, op, key, Why::Replicate);
            for f in (0..self.cfg.n).filter(|&f| f != me) {
                ctx.send(
                    NodeId(me),
                    NodeId(f),
                    Msg::Put {
                        op,
                        key,
                        val,
                        why: Why::Replicate,
                    },
                );
            }
            return;
        }
        for r in 0..self.cfg.n {
            ctx.send(NodeId(me), NodeId(r), Msg::Get { op, key });
        }
    }

    /// The context read is done (or, in ap, out of time): version the write and send it.
    fn start_write(&mut self, ctx: Cx, op: u64) {
        let Some((me, key, seen)) = self.pending.get(&op).map(|p| (p.coord, p.key, p.val)) else {
            return;
        };
        let val = self.version(ctx, me, op, key, &seen);
        if let Some(p) = self.pending.get_mut(&op) {
            (p.phase, p.acks, p.val) = (Phase::Write, 0, val);
        }
        for r in 0..self.cfg.n {
            ctx.send(
                NodeId(me),
                NodeId(r),
                Msg::Put {
                    op,
                    key,
                    val,
                    why: Why::Write,
                },
            );
        }
    }

    fn reply(&mut self, ctx: Cx, op: u64, ok: bool) {
        let Some(p) = self.pending.get_mut(&op) else {
            return;
        };
        if p.replied {
            return;
        }
        p.replied = true;
        let val = if p.phase == Phase::Write {
            Sibs::default()
        } else {
            p.val
        };
        ctx.send(NodeId(p.coord), NodeId(p.client), Msg::Resp { op, ok, val });
    }

    fn on_ack(&mut self, ctx: Cx, me: u32, from: u32, op: u64, key: u32, why: Why) {
        if let Why::Hint(gen) = why {
            if let Some(r) = self.replicas.get_mut(me as usize) {
                r.hints
                    .retain(|h| !(h.target == from && h.key == key && h.gen == gen));
            }
            return;
        }
        let (w, n) = (self.cfg.w, self.cfg.n);
        let Some(p) = self.pending.get_mut(&op) else {
            return;
        };
        let phase_ok = matches!(
            (p.phase, why),
            (Phase::Write, Why::Write | Why::Replicate) | (Phase::WriteBack, Why::WriteBack)
        );
        if !phase_ok {
            return;
        }
        p.acks |= bit(from);
        let count = p.acks.count_ones();
        if count >= w {
            self.reply(ctx, op, true);
        }
        if count >= n {
            self.pending.remove(&op);
        }
    }

    fn on_got(&mut self, ctx: Cx, from: u32, op: u64, val: &Sibs) {
        let (r, n, how) = (self.cfg.r, self.cfg.n, self.cfg.conflict);
        let Some(p) = self.pending.get_mut(&op) else {
            return;
        };
        if p.phase == Phase::Context {
            p.acks |= bit(from);
            p.val.merge(val, super::Conflict::Vv);
            if p.acks.count_ones() >= r {
                self.start_write(ctx, op);
            }
            return;
        }
        if p.phase != Phase::Read {
            return;
        }
        p.acks |= bit(from);
        p.val.merge(val, how);
        if let Some(f) = p.fps.get_mut(from as usize) {
            *f = val.fingerprint();
        }
        let (count, replied) = (p.acks.count_ones(), p.replied);
        if !replied && count >= r {
            if self.cfg.write_back {
                return self.write_back(ctx, op);
            }
            self.reply(ctx, op, true);
            self.repair(ctx, op, u16::MAX);
        } else if replied {
            self.repair(ctx, op, bit(from));
        }
        if count >= n {
            self.pending.remove(&op);
        }
    }

    /// Read repair: send the merged version to the responders in `who` that hold another one.
    fn repair(&mut self, ctx: Cx, op: u64, who: u16) {
        if !self.cfg.read_repair {
            return;
        }
        let Some(p) = self.pending.get(&op) else {
            return;
        };
        let fp = p.val.fingerprint();
        for r in 0..self.cfg.n {
            let behind = p.fps.get(r as usize).is_some_and(|&f| f != fp);
            if p.acks & bit(r) & who != 0 && behind {
                let m = Msg::Put {
                    op,
                    key: p.key,
                    val: p.val,
                    why: Why::Repair,
                };
                ctx.send(NodeId(p.coord), NodeId(r), m);
            }
        }
    }

    fn write_back(&mut self, ctx: Cx, op: u64) {
        let Some(p) = self.pending.get_mut(&op) else {
            return;
        };
        p.phase = Phase::WriteBack;
        p.acks = 0;
        let (coord, key, val) = (p.coord, p.key, p.val);
        for r in 0..self.cfg.n {
            ctx.send(
                NodeId(coord),
                NodeId(r),
                Msg::Put {
                    op,
                    key,
                    val,
                    why: Why::WriteBack,
                },
            );
        }
    }

    /// The quorum's deadline: cp refuses what is still unanswered; ap answers with what it
    /// has and leaves hints for the replicas that did not acknowledge a write.
    pub(super) fn deadline(&mut self, ctx: Cx, op: u64) {
        let Some(p) = self.pending.get(&op).cloned() else {
            return;
        };
        if ctx.now < p.deadline {
            return; // an earlier phase's deadline
        }
        let ap = self.cfg.mode == Mode::Ap;
        if ap && p.phase == Phase::Context {
            // Sloppy: write with the context gathered so far, and give the write its own time.
            self.start_write(ctx, op);
            let deadline = ctx.now.plus_us(self.cfg.timeout_us);
            if let Some(q) = self.pending.get_mut(&op) {
                q.deadline = deadline;
            }
            ctx.timer(
                Some(NodeId(p.coord)),
                self.cfg.timeout_us,
                Timer::Deadline(op),
            );
            return;
        }
        if !p.replied {
            let answered = p.phase == Phase::Write || p.acks != 0;
            self.reply(ctx, op, ap && answered);
        }
        self.pending.remove(&op);
        if !ap || matches!(p.phase, Phase::Read | Phase::Context) {
            return;
        }
        let Some(rep) = self.replicas.get_mut(p.coord as usize) else {
            return;
        };
        for t in (0..self.cfg.n).filter(|&t| p.acks & bit(t) == 0) {
            match rep
                .hints
                .iter_mut()
                .find(|h| h.target == t && h.key == p.key)
            {
                Some(h) => {
                    h.val.merge(&p.val, self.cfg.conflict);
                    h.gen += 1;
                }
                None => rep.hints.push(Hint {
                    target: t,
                    key: p.key,
                    val: p.val,
                    gen: 0,
                }),
            }
        }
        if !rep.hints.is_empty() && !rep.hints_armed {
            rep.hints_armed = true;
            ctx.timer(Some(NodeId(p.coord)), HINT_EVERY_US, Timer::Hints);
        }
    }

    pub(super) fn send_hints(&mut self, ctx: Cx, me: u32) {
        let go = self.keep_running(ctx.now);
        let Some(rep) = self.replicas.get_mut(me as usize) else {
            return;
        };
        for h in &rep.hints {
            let m = Msg::Put {
                op: 0,
                key: h.key,
                val: h.val,
                why: Why::Hint(h.gen),
            };
            ctx.send(NodeId(me), NodeId(h.target), m);
        }
        rep.hints_armed = go && !rep.hints.is_empty();
        if rep.hints_armed {
            ctx.timer(Some(NodeId(me)), HINT_EVERY_US, Timer::Hints);
        }
    }

    pub(super) fn anti_entropy(&mut self, ctx: Cx, me: u32) {
        let (n, ae) = (self.cfg.n, self.cfg.ae_us);
        let go = self.keep_running(ctx.now) && ae > 0;
        if n > 1 {
            let cur = self.ae_cursor.get_mut(me as usize);
            let peer = cur.map_or(me, |c| {
                *c = (*c + 1) % n;
                if *c == me {
                    *c = (*c + 1) % n;
                }
                *c
            });
            let store = self
                .replicas
                .get(me as usize)
                .map(|r| r.store.clone())
                .unwrap_or_default();
            ctx.send(NodeId(me), NodeId(peer), Msg::Sync { store, reply: true });
        }
        if let Some(rep) = self.replicas.get_mut(me as usize) {
            rep.ae_armed = go;
        }
        if go {
            ctx.timer(Some(NodeId(me)), ae, Timer::AntiEntropy);
        }
    }
}
