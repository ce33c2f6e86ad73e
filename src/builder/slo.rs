//! A service-level objective for the builder: availability and p99 targets as typed, read with
//! errors that name the field, and judged on a run's metrics ("so far" until the run ends).

use crate::sim::params::shorten;

/// A service-level objective: the share of user requests answered in time, and the p99 latency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slo {
    pub availability: f64,
    pub p99_ms: f64,
}

impl Slo {
    /// Read the two targets as typed; each mistake names the field and what is valid.
    pub fn parse(availability: &str, p99_ms: &str) -> Result<Slo, String> {
        let a = crate::sim::num::parse_f64(availability.trim())
            .filter(|a| (0.0..=1.0).contains(a))
            .ok_or_else(|| {
                format!(
                    "availability target `{}`: expected a share from 0 to 1, e.g. 0.99",
                    shorten(availability)
                )
            })?;
        let p = crate::sim::num::parse_f64(p99_ms.trim())
            .filter(|p| *p > 0.0 && *p <= 3_600_000.0)
            .ok_or_else(|| {
                format!(
                    "p99 target `{}`: expected milliseconds above 0, e.g. 300",
                    shorten(p99_ms)
                )
            })?;
        Ok(Slo {
            availability: a,
            p99_ms: p,
        })
    }

    /// Each target with the run's figure and whether it is met (None: the run has no figure yet).
    pub fn judge(&self, m: &crate::sim::metrics::Metrics) -> [(String, Option<bool>); 2] {
        let get = |k: &str| m.get(k).and_then(|v| v.as_f64());
        let fmt = |v: f64| crate::sim::num_fmt::Short(v).to_string();
        let a = get("availability");
        let p = get("latency_p99_ms");
        [
            (
                format!(
                    "availability {} (target at least {})",
                    a.map_or("–".into(), fmt),
                    fmt(self.availability)
                ),
                a.map(|a| a >= self.availability),
            ),
            (
                format!(
                    "p99 {} ms (target at most {} ms)",
                    p.map_or("–".into(), fmt),
                    fmt(self.p99_ms)
                ),
                p.map(|p| p <= self.p99_ms),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_slo_is_judged_on_the_run_and_bad_targets_are_named() {
        let slo = Slo::parse("0.99", "300").unwrap();
        let mut m = crate::sim::metrics::Metrics::default();
        m.float("availability", 0.995)
            .float("latency_p99_ms", 412.5);
        let [a, p] = slo.judge(&m);
        assert_eq!(
            a,
            (
                "availability 0.995 (target at least 0.99)".into(),
                Some(true)
            )
        );
        assert_eq!(
            p,
            ("p99 412.5 ms (target at most 300 ms)".into(), Some(false))
        );
        assert!(Slo::parse("99%", "300")
            .unwrap_err()
            .contains("availability target `99%`"));
        assert!(Slo::parse("0.9", "-1").unwrap_err().contains("p99 target"));
        let [a, _] = slo.judge(&crate::sim::metrics::Metrics::default());
        assert_eq!(a.1, None);
    }
}
