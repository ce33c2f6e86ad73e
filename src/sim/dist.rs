//! Distributions the scenarios draw from: link latency and Zipf key popularity.

use super::rng::SimRng;
use serde::{Deserialize, Serialize};

/// The shape of a latency distribution around its mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spread {
    /// Always exactly the mean.
    Const,
    /// Uniform between half and one and a half times the mean.
    Uniform,
    /// Exponential with the given mean (long tail).
    Exp,
}

impl Spread {
    /// Parameter spelling of each shape.
    pub const NAMES: &'static [&'static str] = &["const", "uniform", "exp"];

    /// Parse a parameter value (one of `NAMES`).
    pub fn parse(s: &str) -> Option<Spread> {
        match s {
            "const" => Some(Spread::Const),
            "uniform" => Some(Spread::Uniform),
            "exp" => Some(Spread::Exp),
            _ => None,
        }
    }
}

/// A latency distribution in integer microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Mean one-way latency in microseconds.
    pub mean_us: u64,
    /// How samples spread around the mean.
    pub spread: Spread,
}

impl Latency {
    /// A latency with the given mean in milliseconds.
    pub fn ms(mean_ms: f64, spread: Spread) -> Latency {
        Latency {
            mean_us: super::time::Time::from_ms_f64(mean_ms).0,
            spread,
        }
    }

    /// One sample, at least one microsecond so that causes precede effects.
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let mean = self.mean_us as f64;
        let v = match self.spread {
            Spread::Const => mean,
            Spread::Uniform => rng.uniform(0.5 * mean, 1.5 * mean),
            Spread::Exp => rng.exp(mean),
        };
        (v as u64).max(1)
    }
}

/// Zipf popularity over keys `0..n`: key k has weight 1/(k+1)^s. Sampling by binary search on
/// the cumulative table (deterministic, O(log n)).
#[derive(Clone, Debug)]
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    /// Popularity over `n` keys (n >= 1) with exponent `s` (0 = uniform).
    pub fn new(n: usize, s: f64) -> Zipf {
        let n = n.max(1);
        let mut cdf = Vec::with_capacity(n);
        let mut total = 0.0;
        for k in 0..n {
            total += 1.0 / libm::pow((k + 1) as f64, s);
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Zipf { cdf }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.cdf.len()
    }

    /// Always false: a Zipf table has at least one key.
    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }

    /// Probability of key `k` (0 outside the range).
    pub fn probability(&self, k: usize) -> f64 {
        match k {
            0 => self.cdf.first().copied().unwrap_or(0.0),
            _ if k < self.cdf.len() => self.cdf[k] - self.cdf[k - 1],
            _ => 0.0,
        }
    }

    /// Draw one key.
    pub fn sample(&self, rng: &mut SimRng) -> usize {
        let u = rng.unit();
        let i = self.cdf.partition_point(|&c| c <= u);
        i.min(self.cdf.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_means_hold() {
        let mut r = SimRng::new(9);
        for spread in [Spread::Const, Spread::Uniform, Spread::Exp] {
            let l = Latency::ms(10.0, spread);
            let n = 100_000;
            let mean = (0..n).map(|_| l.sample(&mut r) as f64).sum::<f64>() / n as f64;
            assert!((mean - 10_000.0).abs() < 150.0, "{spread:?} mean {mean}");
        }
        assert_eq!(Latency::ms(0.0, Spread::Const).sample(&mut r), 1);
        assert_eq!(Spread::parse("exp"), Some(Spread::Exp));
        assert_eq!(Spread::parse("fast"), None);
    }

    #[test]
    fn zipf_matches_its_weights() {
        let z = Zipf::new(100, 1.0);
        let total: f64 = (0..100).map(|k| z.probability(k)).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(z.probability(0) > z.probability(1));
        let mut r = SimRng::new(4);
        let n = 200_000;
        let hits0 = (0..n).filter(|_| z.sample(&mut r) == 0).count() as f64 / n as f64;
        assert!((hits0 - z.probability(0)).abs() < 0.005, "p0 {hits0}");
        let u = Zipf::new(4, 0.0);
        assert!((u.probability(3) - 0.25).abs() < 1e-12);
        assert_eq!(u.probability(9), 0.0);
    }
}
