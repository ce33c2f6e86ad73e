//! The trace: one event per simulation step, digested in full (a running hash) and kept in a
//! bounded ring for display, so memory stays flat however long the run.

use super::hash::TraceHasher;
use super::network::DropReason;
use super::num_fmt::Fixed;
use super::time::Time;

/// What one step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TraceKind {
    /// A message left its source.
    Send,
    /// A message reached an intermediate node and went on.
    Forward,
    /// A message reached its destination.
    Deliver,
    /// A message was lost.
    Drop(DropReason),
    /// A timer fired.
    Timer,
    /// The reader (or the scenario's schedule) intervened.
    Command,
}

/// One trace line, plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TraceEvent {
    pub time: Time,
    pub kind: TraceKind,
    /// Where it happened (u32::MAX: the environment, not a node).
    pub node: u32,
    /// The other end: sender, next hop or target (u32::MAX when none).
    pub peer: u32,
    /// Message or timer kind, e.g. "request".
    pub label: &'static str,
    /// Message or operation id (0 when none).
    pub id: u64,
}

/// "No node" in `node`/`peer`.
pub const NOBODY: u32 = u32::MAX;

impl TraceEvent {
    /// A readable line: `12.345 ms  n2 -> n1  request #17 forwarded`.
    pub fn line(&self, name: &dyn Fn(u32) -> String) -> String {
        let who = |n: u32| {
            if n == NOBODY {
                "env".to_string()
            } else {
                name(n)
            }
        };
        let what = match self.kind {
            TraceKind::Send => format!(
                "{} sends {} #{} to {}",
                who(self.node),
                self.label,
                self.id,
                who(self.peer)
            ),
            TraceKind::Forward => format!(
                "{} forwards {} #{} to {}",
                who(self.node),
                self.label,
                self.id,
                who(self.peer)
            ),
            TraceKind::Deliver => format!(
                "{} receives {} #{} from {}",
                who(self.node),
                self.label,
                self.id,
                who(self.peer)
            ),
            TraceKind::Drop(r) => format!(
                "{} #{} dropped at {}: {}",
                self.label,
                self.id,
                who(self.node),
                r.text()
            ),
            TraceKind::Timer => format!("{}: {} timer", who(self.node), self.label),
            TraceKind::Command => format!("intervention: {} {}", self.label, who(self.node)),
        };
        format!("{:>10} ms  {}", Fixed(self.time.as_ms(), 3), what)
    }
}

/// Digest of every event plus the most recent `cap` events (a fixed ring: no allocation after
/// the first `cap` events).
#[derive(Clone, Debug)]
pub struct Trace {
    ring: Vec<TraceEvent>,
    cap: usize,
    hasher: TraceHasher,
    count: u64,
    /// Labels are a handful of `&'static str`s: their digests are cached by address (the address
    /// is only a lookup key; the digest itself comes from the bytes, so it is portable).
    labels: Vec<(usize, usize, u64)>,
}

impl Trace {
    /// A trace that keeps the last `cap` events for display.
    pub fn new(cap: usize) -> Trace {
        Trace {
            ring: Vec::with_capacity(cap),
            cap,
            hasher: TraceHasher::default(),
            count: 0,
            labels: Vec::new(),
        }
    }

    fn label_digest(&mut self, label: &'static str) -> u64 {
        let key = (label.as_ptr() as usize, label.len());
        if let Some(&(_, _, d)) = self.labels.iter().find(|(p, l, _)| (*p, *l) == key) {
            return d;
        }
        let mut h = TraceHasher::default();
        std::hash::Hash::hash(label, &mut h);
        let d = h.digest();
        if self.labels.len() < 32 {
            self.labels.push((key.0, key.1, d));
        }
        d
    }

    /// Record one event: four words into the digest, one slot of the ring.
    #[inline]
    pub fn record(&mut self, e: TraceEvent) {
        let label = self.label_digest(e.label);
        self.hasher.word(e.time.0);
        self.hasher.word(kind_code(e.kind) ^ label);
        self.hasher.word((e.node as u64) << 32 | e.peer as u64);
        self.hasher.word(e.id);
        if self.cap > 0 {
            let i = (self.count % self.cap as u64) as usize;
            match self.ring.get_mut(i) {
                Some(slot) => *slot = e,
                None => self.ring.push(e),
            }
        }
        self.count += 1;
    }

    /// Fold extra data (e.g. a command's argument) into the digest.
    pub fn mix(&mut self, word: u64) {
        self.hasher.word(word);
    }

    /// Events recorded so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The digest of the whole trace so far.
    pub fn digest(&self) -> u64 {
        self.hasher.digest()
    }

    /// The most recent events, oldest first.
    pub fn recent(&self) -> impl ExactSizeIterator<Item = &TraceEvent> {
        let split = if self.ring.len() < self.cap {
            0
        } else {
            (self.count % self.cap.max(1) as u64) as usize
        };
        let (newer, older) = self.ring.split_at(split.min(self.ring.len()));
        older
            .iter()
            .chain(newer.iter())
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// A stable number per kind (and drop reason) for the digest.
fn kind_code(k: TraceKind) -> u64 {
    use super::network::DropReason as R;
    match k {
        TraceKind::Send => 1,
        TraceKind::Forward => 2,
        TraceKind::Deliver => 3,
        TraceKind::Drop(R::Loss) => 4,
        TraceKind::Drop(R::Cut) => 5,
        TraceKind::Drop(R::NoRoute) => 6,
        TraceKind::Drop(R::Crashed) => 7,
        TraceKind::Timer => 8,
        TraceKind::Command => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: u64, id: u64) -> TraceEvent {
        TraceEvent {
            time: Time(t),
            kind: TraceKind::Deliver,
            node: 1,
            peer: 2,
            label: "request",
            id,
        }
    }

    #[test]
    fn ring_is_bounded_and_digest_covers_everything() {
        let mut a = Trace::new(3);
        let mut b = Trace::new(0);
        for i in 0..10 {
            a.record(ev(i, i));
            b.record(ev(i, i));
        }
        assert_eq!(a.recent().count(), 3);
        assert_eq!(a.recent().next().map(|e| e.id), Some(7));
        assert_eq!(a.digest(), b.digest());
        assert_eq!(a.count(), 10);
        let mut c = Trace::new(0);
        for i in 0..10 {
            c.record(ev(i, if i == 4 { 99 } else { i }));
        }
        assert_ne!(c.digest(), b.digest());
        let line = ev(1500, 3).line(&|n| format!("n{n}"));
        assert_eq!(line, "     1.500 ms  n1 receives request #3 from n2");
    }
}
