//! Playback speeds, and the speed a run starts at: the slowest on offer at which the whole run
//! plays within `WATCH_LIMIT` of wall time, so a lesson run is never "press play and wait".

use crate::sim::Time;

/// A playback speed: simulated time per unit of wall time.
#[derive(Clone, Copy, Debug)]
pub struct Speed {
    pub factor: f64,
    pub label: &'static str,
}

/// The speeds on offer; slow motion first, because messages cross a link in milliseconds.
pub const SPEEDS: &[Speed] = &[
    Speed {
        factor: 0.02,
        label: "1/50",
    },
    Speed {
        factor: 0.05,
        label: "1/20",
    },
    Speed {
        factor: 0.2,
        label: "1/5",
    },
    Speed {
        factor: 1.0,
        label: "real time",
    },
    Speed {
        factor: 10.0,
        label: "10×",
    },
    Speed {
        factor: 100.0,
        label: "100×",
    },
];

/// Index into `SPEEDS` a widget starts at when its run's length is unknown.
pub const DEFAULT_SPEED: usize = 1;

/// Longest a run should take to play at its starting speed, in wall-clock milliseconds.
pub const WATCH_LIMIT_MS: f64 = 20_000.0;

/// The slowest speed at which a run ending at `end` plays within `WATCH_LIMIT_MS` (the fastest
/// if none does).
pub fn watchable(end: Time) -> usize {
    SPEEDS
        .iter()
        .position(|s| end.as_ms() / s.factor <= WATCH_LIMIT_MS)
        .unwrap_or(SPEEDS.len() - 1)
}

/// Wall-clock milliseconds a run ending at `end` takes at speed `i`.
pub fn wall_ms(end: Time, i: usize) -> f64 {
    end.as_ms() / SPEEDS[i.min(SPEEDS.len() - 1)].factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_speed_that_fits() {
        assert_eq!(SPEEDS[watchable(Time::from_ms(300))].label, "1/50");
        assert_eq!(SPEEDS[watchable(Time::from_ms(1_000))].label, "1/20");
        assert_eq!(SPEEDS[watchable(Time::from_ms(6_000))].label, "real time");
        assert_eq!(SPEEDS[watchable(Time::from_ms(67_000))].label, "10×");
        assert_eq!(SPEEDS[watchable(Time::from_ms(10_000_000))].label, "100×");
        assert!(wall_ms(Time::from_ms(6_000), watchable(Time::from_ms(6_000))) <= WATCH_LIMIT_MS);
    }
}
