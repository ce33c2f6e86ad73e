//! The discrete-event engine: pops the earliest event, routes messages hop by hop over the
//! network, hands deliveries and timers to the scenario's protocol, and records the trace.
//!
//! Protocols never schedule anything directly: they write sends and timers into the `Ctx`
//! outbox, which the engine drains after each handler (no allocation once warmed up).

use super::network::{DropReason, Hop, Network};
use super::queue::EventQueue;
use super::rng::SimRng;
use super::snapshot::{Flight, LinkView, NodeView, Snapshot};
use super::time::Time;
use super::topology::{LinkId, NodeId};
use super::trace::{Trace, TraceEvent, TraceKind, NOBODY};
use std::cell::RefCell;
use std::rc::Rc;

/// What the trace and the view need to know about a message or timer.
pub trait Label {
    /// Kind, e.g. "request", "reply", "arrival".
    fn label(&self) -> &'static str;
    /// Id of the message or operation it belongs to (0 if none).
    fn id(&self) -> u64 {
        0
    }
}

/// A scenario's behaviour: what nodes do when messages and timers arrive.
pub trait Protocol {
    type Msg: Clone + Label;
    type Timer: Clone + Label;
    /// Schedule the first events (workload arrivals, periodic timers).
    fn start(&mut self, ctx: &mut Ctx<Self::Msg, Self::Timer>);
    /// A message reached its destination `at`.
    fn on_message(
        &mut self,
        ctx: &mut Ctx<Self::Msg, Self::Timer>,
        at: NodeId,
        from: NodeId,
        msg: Self::Msg,
    );
    /// A timer fired at a node (`None`: the environment, e.g. the workload generator).
    fn on_timer(
        &mut self,
        ctx: &mut Ctx<Self::Msg, Self::Timer>,
        at: Option<NodeId>,
        timer: Self::Timer,
    );
    /// A message was lost (for metrics); default: ignore.
    fn on_drop(&mut self, _now: Time, _msg: &Self::Msg, _reason: DropReason) {}
    /// A link made a second copy of a message (both will arrive or be dropped on their own);
    /// for protocols that track every copy. Default: ignore.
    fn on_duplicate(&mut self, _msg: &Self::Msg) {}
    /// A node crashed (volatile state is gone) or came back.
    fn on_crash(&mut self, _ctx: &mut Ctx<Self::Msg, Self::Timer>, _node: NodeId, _up: bool) {}
}

/// The outbox and the world as a handler sees it.
pub struct Ctx<'a, M, T> {
    pub now: Time,
    pub rng: &'a mut SimRng,
    pub net: &'a Network,
    sends: &'a mut Vec<(NodeId, NodeId, M)>,
    timers: &'a mut Vec<(Option<NodeId>, u64, T)>,
}

impl<M, T> Ctx<'_, M, T> {
    /// Send `msg` from `from` to `to`; it travels hop by hop along the current shortest path.
    pub fn send(&mut self, from: NodeId, to: NodeId, msg: M) {
        self.sends.push((from, to, msg));
    }
    /// Fire `timer` at `node` (or the environment) after `delay_us` microseconds.
    pub fn timer(&mut self, node: Option<NodeId>, delay_us: u64, timer: T) {
        self.timers.push((node, delay_us, timer));
    }
}

struct Envelope<M> {
    src: NodeId,
    dst: NodeId,
    msg: M,
}

enum Event<M, T> {
    /// A message arrives at `at` over `link` from `from`, having left at `departed`.
    Arrive {
        link: Option<LinkId>,
        from: NodeId,
        at: NodeId,
        departed: Time,
        env: Envelope<M>,
    },
    Timer {
        node: Option<NodeId>,
        timer: T,
    },
}

/// Message counters every scenario gets for free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetStats {
    pub sent: u64,
    pub delivered: u64,
    pub dropped: u64,
    pub hops: u64,
}

/// A protocol running on a network.
pub struct Engine<P: Protocol> {
    pub proto: P,
    pub net: Network,
    queue: EventQueue<Event<P::Msg, P::Timer>>,
    now: Time,
    rng: SimRng,
    trace: Trace,
    stats: NetStats,
    processed: u64,
    sends: Vec<(NodeId, NodeId, P::Msg)>,
    timers: Vec<(Option<NodeId>, u64, P::Timer)>,
    /// The links as last drawn, and the network version they show: reused by every snapshot
    /// until the network changes (a 50-node mesh has 1,225 of them).
    links_drawn: RefCell<Option<(u64, Rc<[LinkView]>)>>,
}

impl<P: Protocol> Engine<P> {
    /// A started engine: `proto.start` has scheduled its first events. `trace_cap` bounds the
    /// recent-events ring (the digest always covers everything).
    pub fn new(proto: P, net: Network, seed: u64, trace_cap: usize) -> Engine<P> {
        let mut e = Engine {
            proto,
            net,
            queue: EventQueue::default(),
            now: Time::ZERO,
            rng: SimRng::new(seed),
            trace: Trace::new(trace_cap),
            stats: NetStats::default(),
            processed: 0,
            sends: Vec::new(),
            timers: Vec::new(),
            links_drawn: RefCell::new(None),
        };
        e.with_ctx(|p, ctx| p.start(ctx));
        e
    }

    /// Current simulated time.
    pub fn now(&self) -> Time {
        self.now
    }
    /// The trace.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
    /// Message counters.
    pub fn stats(&self) -> NetStats {
        self.stats
    }
    /// Events taken off the queue so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }
    /// Nothing left to happen.
    pub fn idle(&self) -> bool {
        self.queue.is_empty()
    }
    /// Time of the next event.
    pub fn next_time(&self) -> Option<Time> {
        self.queue.peek_time()
    }

    /// Run a handler with a context, then route what it wrote into the outbox.
    pub fn with_ctx<R>(&mut self, f: impl FnOnce(&mut P, &mut Ctx<P::Msg, P::Timer>) -> R) -> R {
        let mut ctx = Ctx {
            now: self.now,
            rng: &mut self.rng,
            net: &self.net,
            sends: &mut self.sends,
            timers: &mut self.timers,
        };
        let r = f(&mut self.proto, &mut ctx);
        self.flush();
        r
    }

    fn flush(&mut self) {
        let mut timers = std::mem::take(&mut self.timers);
        for (node, delay, timer) in timers.drain(..) {
            self.queue
                .push(self.now.plus_us(delay), Event::Timer { node, timer });
        }
        self.timers = timers;
        let mut sends = std::mem::take(&mut self.sends);
        for (src, dst, msg) in sends.drain(..) {
            self.stats.sent += 1;
            self.record(TraceKind::Send, src.0, dst.0, &msg);
            self.forward(src, Envelope { src, dst, msg });
        }
        self.sends = sends;
    }

    fn record(&mut self, kind: TraceKind, node: u32, peer: u32, l: &impl Label) {
        let e = TraceEvent {
            time: self.now,
            kind,
            node,
            peer,
            label: l.label(),
            id: l.id(),
        };
        self.trace.record(e);
    }

    fn drop_msg(&mut self, at: NodeId, env: Envelope<P::Msg>, reason: DropReason) {
        self.stats.dropped += 1;
        self.record(TraceKind::Drop(reason), at.0, NOBODY, &env.msg);
        self.proto.on_drop(self.now, &env.msg, reason);
    }

    /// Put a message on the next link towards its destination (or deliver it locally).
    fn forward(&mut self, at: NodeId, env: Envelope<P::Msg>) {
        if at == env.dst {
            let ev = Event::Arrive {
                link: None,
                from: at,
                at,
                departed: self.now,
                env,
            };
            self.queue.push(self.now, ev);
            return;
        }
        let Some((next, link)) = self.net.next_link(at, env.dst) else {
            return self.drop_msg(at, env, DropReason::NoRoute);
        };
        match self.net.cross(link, &mut self.rng) {
            Hop::Lost => self.drop_msg(at, env, DropReason::Loss),
            Hop::Arrive {
                delay_us,
                duplicate,
            } => {
                if duplicate {
                    self.proto.on_duplicate(&env.msg);
                    let copy = Envelope {
                        src: env.src,
                        dst: env.dst,
                        msg: env.msg.clone(),
                    };
                    let t = self.now.plus_us(delay_us + 1);
                    self.queue.push(
                        t,
                        Event::Arrive {
                            link: Some(link),
                            from: at,
                            at: next,
                            departed: self.now,
                            env: copy,
                        },
                    );
                }
                let ev = Event::Arrive {
                    link: Some(link),
                    from: at,
                    at: next,
                    departed: self.now,
                    env,
                };
                self.queue.push(self.now.plus_us(delay_us), ev);
            }
        }
    }

    /// Process the next event. False when there is none.
    pub fn step(&mut self) -> bool {
        let Some((t, ev)) = self.queue.pop() else {
            return false;
        };
        self.processed += 1;
        self.now = self.now.max(t);
        match ev {
            Event::Arrive {
                link,
                from,
                at,
                env,
                ..
            } => self.arrive(link, from, at, env),
            Event::Timer { node, timer } => self.fire(node, timer),
        }
        true
    }

    fn arrive(&mut self, link: Option<LinkId>, from: NodeId, at: NodeId, env: Envelope<P::Msg>) {
        if !self.net.node_up(at) {
            return self.drop_msg(at, env, DropReason::Crashed);
        }
        if link.is_some_and(|l| !self.net.link_up(l)) {
            return self.drop_msg(at, env, DropReason::Cut);
        }
        self.stats.hops += link.is_some() as u64;
        if at != env.dst {
            let next = self.net.next_hop(at, env.dst).map_or(NOBODY, |n| n.0);
            self.record(TraceKind::Forward, at.0, next, &env.msg);
            return self.forward(at, env);
        }
        self.stats.delivered += 1;
        self.record(TraceKind::Deliver, at.0, from.0, &env.msg);
        let src = env.src;
        self.with_ctx(|p, ctx| p.on_message(ctx, at, src, env.msg));
    }

    fn fire(&mut self, node: Option<NodeId>, timer: P::Timer) {
        if node.is_some_and(|n| !self.net.node_up(n)) {
            return; // a crashed node's timers die with it
        }
        self.record(
            TraceKind::Timer,
            node.map_or(NOBODY, |n| n.0),
            NOBODY,
            &timer,
        );
        self.with_ctx(|p, ctx| p.on_timer(ctx, node, timer));
    }

    /// Process every event up to and including `t`, then stand at `t`.
    pub fn run_until(&mut self, t: Time) {
        while self.queue.peek_time().is_some_and(|next| next <= t) {
            self.step();
        }
        if t != Time::NEVER {
            self.now = self.now.max(t);
        }
    }

    /// Move the clock to `t` (never backwards) without processing events.
    pub fn warp(&mut self, t: Time) {
        if t != Time::NEVER {
            self.now = self.now.max(t);
        }
    }

    /// Fold a word that describes the run's setup into the digest, before any event.
    pub fn mix_setup(&mut self, word: u64) {
        self.trace.mix(word);
    }

    /// Record an intervention in the trace (its text is folded into the digest).
    pub fn record_command(&mut self, text: &str, node: u32) {
        let mut h = super::hash::TraceHasher::default();
        std::hash::Hash::hash(text, &mut h);
        self.trace.mix(h.digest());
        let e = TraceEvent {
            time: self.now,
            kind: TraceKind::Command,
            node,
            peer: NOBODY,
            label: "command",
            id: 0,
        };
        self.trace.record(e);
    }

    /// Crash or restart a node, telling the protocol.
    pub fn set_node_up(&mut self, n: NodeId, up: bool) -> bool {
        if !self.net.set_down(n, !up) {
            return false;
        }
        self.with_ctx(|p, ctx| p.on_crash(ctx, n, up));
        true
    }

    /// The generic part of a snapshot: nodes, links, messages in flight, recent trace lines.
    /// The links as drawn now: cached per network version.
    fn links_view(&self) -> Rc<[LinkView]> {
        let version = self.net.version();
        if let Some((v, links)) = self.links_drawn.borrow().as_ref() {
            if *v == version {
                return links.clone();
            }
        }
        let topo = self.net.topology();
        let links: Rc<[LinkView]> = topo
            .link_ids()
            .filter_map(|l| {
                let (a, b) = topo.endpoints(l)?;
                let info = topo.link(l)?;
                Some(LinkView {
                    id: l.0,
                    a: a.0,
                    b: b.0,
                    cut: self.net.link_cut(l),
                    up: self.net.link_up(l),
                    latency_ms: info.latency.mean_us as f64 / 1000.0,
                    loss: info.loss,
                })
            })
            .collect();
        *self.links_drawn.borrow_mut() = Some((version, links.clone()));
        links
    }

    pub fn snapshot(&self) -> Snapshot {
        let topo = self.net.topology();
        let nodes = topo
            .node_ids()
            .filter_map(|n| {
                let info = topo.node(n)?;
                Some(NodeView {
                    id: n.0,
                    name: info.name.clone(),
                    role: info.role,
                    x: info.x,
                    y: info.y,
                    up: self.net.node_up(n),
                    group: self.net.group(n),
                    label: String::new(),
                    marks: Default::default(),
                })
            })
            .collect();
        let links = self.links_view();
        let name = |n: u32| {
            topo.node(NodeId(n))
                .map_or_else(|| format!("#{n}"), |i| i.name.clone())
        };
        Snapshot {
            now: self.now,
            done: self.idle(),
            events: self.processed,
            net_version: self.net.version(),
            nodes,
            links,
            flights: self.flights(),
            metrics: Default::default(),
            extra: Default::default(),
            link_notes: Vec::new(),
            recent: self
                .trace
                .recent()
                .skip(self.trace.recent().len().saturating_sub(8))
                .map(|e| e.line(&name))
                .collect(),
        }
    }

    fn flights(&self) -> Vec<Flight> {
        let mut v: Vec<Flight> = self
            .queue
            .iter()
            .filter_map(|(t, ev)| match ev {
                Event::Arrive {
                    link: Some(_),
                    from,
                    at,
                    departed,
                    env,
                } => {
                    let span = t.since(*departed).max(1) as f32;
                    let progress = (self.now.since(*departed) as f32 / span).clamp(0.0, 1.0);
                    Some(Flight {
                        from: from.0,
                        to: at.0,
                        progress,
                        label: env.msg.label(),
                        id: env.msg.id(),
                    })
                }
                _ => None,
            })
            .collect();
        // Unstable is enough (equal keys are copies of one message) and keeps the stable sort's
        // code out of the wasm.
        crate::sim::compact::sort_by(&mut v, |a, b| {
            (a.id, a.from, a.to).cmp(&(b.id, b.from, b.to))
        });
        v
    }
}
