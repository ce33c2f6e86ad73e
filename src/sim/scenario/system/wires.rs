//! Calls per wire: every call a component sends along a wire is counted there, in total and in
//! ten buckets of 100 ms, so the drawing and the metrics can give a recent rate (calls per second
//! over the last simulated second) that moves when a spike or an outage happens. One counter per
//! wire, no allocation per call: counting is a division, a comparison and two additions.

use crate::sim::time::Time;

/// Length of one bucket.
pub const BUCKET_US: u64 = 100_000;
/// Buckets in the recent window (10 × 100 ms: the last simulated second).
const BUCKETS: u64 = 10;

/// The calls one wire carried.
#[derive(Clone, Debug, Default)]
pub struct WireCount {
    /// Calls sent along the wire so far.
    pub total: u64,
    /// Calls per bucket; bucket `i` (time `i × 100 ms` on) lives at `i % 10`.
    ring: [u32; BUCKETS as usize],
    /// The latest bucket counted into, and where it ends (so most calls need no division).
    head: u64,
    head_end_us: u64,
}

impl WireCount {
    /// One call sent at `now`.
    pub fn count(&mut self, now: Time) {
        if now.0 >= self.head_end_us {
            let b = now.0 / BUCKET_US;
            // Empty the buckets skipped since the latest call (all of them after a long gap).
            let gap = (b - self.head).min(BUCKETS);
            for i in 0..gap {
                self.ring[((b - i) % BUCKETS) as usize] = 0;
            }
            self.head = b;
            self.head_end_us = (b + 1) * BUCKET_US;
        }
        self.total += 1;
        let slot = &mut self.ring[(self.head % BUCKETS) as usize];
        *slot = slot.saturating_add(1);
    }

    /// Calls per second over the window ending at `now`: the bucket `now` falls in and the nine
    /// before it (from 0.9 to 1 s, all of the run when it is shorter). 0 at time 0.
    pub fn recent(&self, now: Time) -> f64 {
        let nb = now.0 / BUCKET_US;
        let lo = nb.saturating_sub(BUCKETS - 1);
        let span_us = now.0 - lo * BUCKET_US;
        if span_us == 0 {
            return 0.0;
        }
        // Buckets still held: head - 9 ..= head; of those, the ones inside lo ..= nb.
        let from = lo.max(self.head.saturating_sub(BUCKETS - 1));
        let to = nb.min(self.head);
        let calls: u64 = if self.total == 0 || from > to {
            0
        } else {
            (from..=to)
                .map(|i| u64::from(self.ring[(i % BUCKETS) as usize]))
                .sum()
        };
        calls as f64 * 1e6 / span_us as f64
    }
}

/// Metric names of one wire: `A.to.B.calls`, `A.to.B.rate` (interned).
#[derive(Clone, Debug, PartialEq)]
pub struct WireNames {
    pub calls: &'static str,
    pub rate: &'static str,
}

impl WireNames {
    /// Names for the wire from `a` to `b`.
    pub fn new(a: &str, b: &str) -> WireNames {
        WireNames {
            calls: super::intern::intern(&format!("{a}.to.{b}.calls"), "wire.calls"),
            rate: super::intern::intern(&format!("{a}.to.{b}.rate"), "wire.rate"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_ms(ms: u64) -> Time {
        Time(ms * 1000)
    }

    #[test]
    fn the_recent_rate_covers_the_last_second_and_forgets_older_calls() {
        let mut w = WireCount::default();
        assert_eq!(w.recent(Time::ZERO), 0.0);
        // 10 calls in the first 500 ms: 20 per second over the half second so far.
        for i in 0..10 {
            w.count(at_ms(i * 50));
        }
        assert_eq!(w.recent(at_ms(500)), 20.0);
        // At 1.55 s the window is 0.6 s ..= 1.55 s (0.95 s): the early calls are out of it.
        assert_eq!(w.recent(at_ms(1550)), 0.0);
        // 19 calls between 1.6 s and 2.5 s: over 1.6 s ..= 2.55 s.
        for i in 0..19 {
            w.count(at_ms(1600 + i * 50));
        }
        let r = w.recent(at_ms(2550));
        assert!((r - 19.0 / 0.95).abs() < 1e-9, "{r}");
        assert_eq!(w.total, 29);
        // Long after, nothing recent; a new call after a long gap starts afresh.
        assert_eq!(w.recent(at_ms(60_000)), 0.0);
        w.count(at_ms(60_000));
        assert_eq!(w.recent(at_ms(60_500)), 1.0 / 0.9);
    }
}
