//! Chart series sampled by simulated time, not by animation frames: the same run gives the same
//! points at any playback speed, after a replay and natively. Samples sit at multiples of an
//! interval that starts at `FIRST_EVERY` and doubles whenever the series would exceed
//! `MAX_POINTS` (every other point is then dropped, so the survivors are still multiples of the
//! new interval). Which points exist is therefore a function of the run alone.

use crate::sim::Time;

/// First sampling interval, simulated.
pub const FIRST_EVERY: Time = Time(10_000);
/// Most points kept.
pub const MAX_POINTS: usize = 240;

/// Metric values over simulated time: one column per charted metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Metric names, in column order.
    pub names: &'static [&'static str],
    /// (time in ms, one value per name).
    pub points: Vec<(f64, Vec<f64>)>,
    every: Time,
    next: Time,
}

impl Series {
    /// An empty series over `names`; the first sample is due at time zero.
    pub fn new(names: &'static [&'static str]) -> Series {
        Series {
            names,
            points: Vec::new(),
            every: FIRST_EVERY,
            next: Time::ZERO,
        }
    }

    /// When the next sample is due.
    pub fn due(&self) -> Time {
        self.next
    }

    /// Record the values for the due time and move to the next due time.
    pub fn push(&mut self, values: Vec<f64>) {
        self.points.push((self.next.as_ms(), values));
        if self.points.len() > MAX_POINTS {
            let mut i = 0;
            self.points.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every = Time(self.every.0.saturating_mul(2));
        }
        let step = self.every.0.max(1);
        self.next = Time((self.next.0 / step + 1).saturating_mul(step));
    }

    /// Record a last point at `t` (a finished run's end), unless a sample already sits there.
    pub fn finish(&mut self, t: Time, values: Vec<f64>) {
        let ms = t.as_ms();
        if self.points.last().is_none_or(|(last, _)| *last < ms) {
            self.points.push((ms, values));
        }
        self.next = Time::NEVER;
    }

    /// One column as (time, value) pairs.
    pub fn column(&self, i: usize) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .map(|(t, v)| (*t, v.get(i).copied().unwrap_or(0.0)))
            .collect()
    }

    /// The series as CSV: `t_ms` and one column per metric.
    pub fn csv(&self) -> String {
        use crate::sim::num_fmt::Short;
        let mut out = String::from("t_ms");
        for n in self.names {
            out.push(',');
            out.push_str(n);
        }
        out.push('\n');
        for (t, vals) in &self.points {
            out.push_str(&Short(*t).to_string());
            for v in vals {
                out.push(',');
                out.push_str(&Short(crate::sim::metrics::round3(*v)).to_string());
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_multiples_of_the_interval() {
        let mut s = Series::new(&["x"]);
        for i in 0..1000 {
            let t = s.due();
            s.push(vec![i as f64]);
            assert!(s.due() > t);
        }
        assert!(s.points.len() <= MAX_POINTS);
        let every = s.every.as_ms();
        assert!(every > FIRST_EVERY.as_ms());
        for (t, _) in &s.points {
            assert_eq!(t % every, 0.0, "{t} is not a multiple of {every}");
        }
        // Evenly spaced: no gap wider than the interval.
        for w in s.points.windows(2) {
            assert_eq!(w[1].0 - w[0].0, every);
        }
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_point() {
        let mut s = Series::new(&["a", "b"]);
        s.push(vec![1.0, 0.5]);
        s.push(vec![2.0, 0.25]);
        s.finish(Time::from_ms(15), vec![3.0, 0.125]);
        assert_eq!(s.csv(), "t_ms,a,b\n0,1,0.5\n10,2,0.25\n15,3,0.125\n");
    }
}
