//! Simulated time: integer microseconds since the start of a run. Never wall-clock time.

use super::num_fmt::Fixed;
use serde::{Deserialize, Serialize};

/// An instant of simulated time, in whole microseconds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Time(pub u64);

impl Time {
    /// The start of every run.
    pub const ZERO: Time = Time(0);
    /// A time that never comes ("heal never").
    pub const NEVER: Time = Time(u64::MAX);

    /// Whole milliseconds.
    pub fn from_ms(ms: u64) -> Time {
        Time(ms.saturating_mul(1000))
    }

    /// Fractional milliseconds, rounded to the microsecond; negatives clamp to zero.
    pub fn from_ms_f64(ms: f64) -> Time {
        if ms.is_nan() || ms <= 0.0 {
            Time::ZERO
        } else if ms >= (u64::MAX / 1000) as f64 {
            Time::NEVER
        } else {
            Time((ms * 1000.0 + 0.5) as u64)
        }
    }

    /// This instant in (fractional) milliseconds.
    pub fn as_ms(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// This instant plus a duration in microseconds, saturating at `NEVER`.
    pub fn plus_us(self, us: u64) -> Time {
        Time(self.0.saturating_add(us))
    }

    /// Microseconds from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == Time::NEVER {
            write!(f, "never")
        } else {
            write!(f, "{} ms", Fixed(self.as_ms(), 3))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        assert_eq!(Time::from_ms(3), Time(3000));
        assert_eq!(Time::from_ms_f64(1.2345), Time(1235));
        assert_eq!(Time::from_ms_f64(-4.0), Time::ZERO);
        assert_eq!(Time::from_ms_f64(f64::NAN), Time::ZERO);
        assert_eq!(Time::from_ms_f64(1e30), Time::NEVER);
        assert_eq!(Time(2500).as_ms(), 2.5);
        assert_eq!(Time::NEVER.plus_us(5), Time::NEVER);
        assert_eq!(Time(10).since(Time(30)), 0);
        assert_eq!(Time::NEVER.to_string(), "never");
    }
}
