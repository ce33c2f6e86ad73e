//! A circuit breaker over a caller's downstream calls, after Hystrix: closed while the recent
//! window (ten buckets) holds fewer than `min_calls` calls or a failed share below `errors`;
//! then open, failing calls at once for `open_us`; then half-open, letting one probe through:
//! its success closes the breaker (with an empty window), its failure opens it again.

use crate::sim::time::Time;

const BUCKETS: usize = 10;

/// Where the breaker stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Closed,
    Open {
        until: Time,
    },
    /// One probe allowed; `probing` while it is out.
    HalfOpen {
        probing: bool,
    },
}

/// What a caller may do with the next call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Allowed as the half-open probe.
    Probe,
    /// Fail it at once.
    Deny,
}

/// Settings.
#[derive(Clone, Copy, Debug)]
pub struct BreakerCfg {
    pub min_calls: u32,
    pub errors: f64,
    pub window_us: u64,
    pub open_us: u64,
}

/// One breaker.
#[derive(Clone, Debug)]
pub struct Breaker {
    cfg: BreakerCfg,
    pub state: State,
    /// (bucket number, calls, failures).
    buckets: [(u64, u32, u32); BUCKETS],
    /// Since when it is not closed (for `breaker_open_ms`).
    since: Time,
    /// Time spent not closed before `since`.
    pub open_total_us: u64,
    pub opens: u64,
    pub probes: u64,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(cfg: BreakerCfg) -> Breaker {
        Breaker {
            cfg,
            state: State::Closed,
            buckets: [(u64::MAX, 0, 0); BUCKETS],
            since: Time::ZERO,
            open_total_us: 0,
            opens: 0,
            probes: 0,
        }
    }

    fn bucket_us(&self) -> u64 {
        (self.cfg.window_us / BUCKETS as u64).max(1)
    }

    /// May a call go out now?
    pub fn allow(&mut self, now: Time) -> Verdict {
        match self.state {
            State::Closed => Verdict::Allow,
            State::Open { until } if now < until => Verdict::Deny,
            State::Open { .. } | State::HalfOpen { probing: false } => {
                self.state = State::HalfOpen { probing: true };
                self.probes += 1;
                Verdict::Probe
            }
            State::HalfOpen { probing: true } => Verdict::Deny,
        }
    }

    /// A call ended (`probe`: it was the half-open probe).
    pub fn record(&mut self, now: Time, ok: bool, probe: bool) {
        if probe {
            if ok {
                self.close(now);
            } else {
                self.open(now);
            }
            return;
        }
        if self.state != State::Closed {
            return;
        }
        let b = now.0 / self.bucket_us();
        let slot = &mut self.buckets[(b % BUCKETS as u64) as usize];
        if slot.0 != b {
            *slot = (b, 0, 0);
        }
        slot.1 += 1;
        slot.2 += !ok as u32;
        let (calls, fails) = self
            .buckets
            .iter()
            .filter(|(n, _, _)| *n != u64::MAX && *n + BUCKETS as u64 > b)
            .fold((0u32, 0u32), |(c, f), s| (c + s.1, f + s.2));
        if calls >= self.cfg.min_calls && fails as f64 >= self.cfg.errors * calls as f64 {
            self.open(now);
        }
    }

    fn open(&mut self, now: Time) {
        if self.state == State::Closed {
            self.since = now;
            self.opens += 1;
        }
        self.state = State::Open {
            until: now.plus_us(self.cfg.open_us),
        };
    }

    fn close(&mut self, now: Time) {
        if self.state != State::Closed {
            self.open_total_us += now.since(self.since);
        }
        self.state = State::Closed;
        self.buckets = [(u64::MAX, 0, 0); BUCKETS];
    }

    /// Time spent open or half-open so far.
    pub fn open_us(&self, now: Time) -> u64 {
        match self.state {
            State::Closed => self.open_total_us,
            _ => self.open_total_us + now.since(self.since),
        }
    }

    /// A short word for the view.
    pub fn word(&self) -> &'static str {
        match self.state {
            State::Closed => "closed",
            State::Open { .. } => "open",
            State::HalfOpen { .. } => "half-open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_fails_fast_probes_and_closes() {
        let cfg = BreakerCfg {
            min_calls: 20,
            errors: 0.5,
            window_us: 10_000_000,
            open_us: 5_000_000,
        };
        let mut b = Breaker::new(cfg);
        let t = |ms: u64| Time::from_ms(ms);
        for i in 0..19 {
            assert_eq!(b.allow(t(i)), Verdict::Allow);
            b.record(t(i), false, false);
        }
        assert_eq!(b.state, State::Closed, "19 calls are below the minimum");
        b.record(t(20), false, false);
        assert!(matches!(b.state, State::Open { .. }));
        assert_eq!(b.allow(t(1000)), Verdict::Deny);
        assert_eq!(b.allow(t(5020)), Verdict::Probe);
        assert_eq!(b.allow(t(5021)), Verdict::Deny, "one probe at a time");
        b.record(t(5100), false, true);
        assert!(matches!(b.state, State::Open { .. }));
        assert_eq!(b.allow(t(10_100)), Verdict::Probe);
        b.record(t(10_200), true, true);
        assert_eq!(b.state, State::Closed);
        assert_eq!(b.open_us(t(20_000)), 10_180_000);
        assert_eq!((b.opens, b.probes), (1, 2));
    }
}
