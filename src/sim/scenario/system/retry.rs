//! Retry policies: how long to wait before attempt k + 1 (none, at once, exponential backoff,
//! and backoff with full, equal or decorrelated jitter, as in the AWS Architecture Blog's
//! "Exponential Backoff and Jitter"), and a retry budget: a token bucket filled by a share of
//! every first attempt and emptied by one per retry, so retries stay below that share.

use crate::sim::params::{shorten, Params};
use crate::sim::rng::SimRng;
use crate::sim::time::Time;

/// Which policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    None,
    Immediate,
    Exponential,
    FullJitter,
    EqualJitter,
    Decorrelated,
}

impl Policy {
    /// Parse a `retry=` word (one of `keys::RETRIES`).
    pub fn parse(s: &str) -> Option<Policy> {
        Some(match s {
            "none" => Policy::None,
            "immediate" => Policy::Immediate,
            "exponential" => Policy::Exponential,
            "full-jitter" => Policy::FullJitter,
            "equal-jitter" => Policy::EqualJitter,
            "decorrelated-jitter" => Policy::Decorrelated,
            _ => return None,
        })
    }
}

/// A caller's retry settings.
#[derive(Clone, Debug)]
pub struct Retry {
    pub policy: Policy,
    /// Most attempts per call, the first included.
    pub attempts: u32,
    pub base_us: u64,
    pub cap_us: u64,
}

impl Retry {
    /// Attempts allowed (1 without a policy).
    pub fn max_attempts(&self) -> u32 {
        if self.policy == Policy::None {
            1
        } else {
            self.attempts.max(1)
        }
    }

    /// The wait before retry number `k` (1 for the first retry), given the previous wait
    /// (decorrelated jitter's state).
    pub fn delay_us(&self, k: u32, prev_us: u64, rng: &mut SimRng) -> u64 {
        let exp = || {
            let shift = k.saturating_sub(1).min(40);
            self.base_us.saturating_mul(1u64 << shift).min(self.cap_us)
        };
        match self.policy {
            Policy::None | Policy::Immediate => 0,
            Policy::Exponential => exp(),
            Policy::FullJitter => (rng.unit() * exp() as f64) as u64,
            Policy::EqualJitter => {
                let e = exp();
                e / 2 + (rng.unit() * (e - e / 2) as f64) as u64
            }
            Policy::Decorrelated => {
                let hi = prev_us.max(self.base_us).saturating_mul(3);
                let v = rng.uniform(self.base_us as f64, hi as f64) as u64;
                v.min(self.cap_us)
            }
        }
    }
}

/// A retry budget.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Tokens a first attempt adds.
    share: f64,
    tokens: f64,
}

/// Most tokens a budget saves up (a burst of retries after a quiet spell).
const BUDGET_CAP: f64 = 100.0;

impl Budget {
    /// A budget allowing retries up to `share` of first attempts.
    pub fn new(share: f64) -> Budget {
        Budget { share, tokens: 0.0 }
    }

    /// A first attempt was made.
    pub fn deposit(&mut self) {
        self.tokens = (self.tokens + self.share).min(BUDGET_CAP.max(self.share));
    }

    /// May a retry go out now? Takes a token if so.
    pub fn withdraw(&mut self) -> bool {
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Retry {
    /// A caller's retry policy and budget from its keys.
    pub fn from_params(p: &Params) -> Result<(Retry, Option<Budget>), String> {
        let policy = Policy::parse(p.text("retry")).unwrap_or(Policy::None);
        let budget = parse_budget(p.text("budget")).ok_or_else(|| {
            format!(
                "`budget={}` is not valid: expected none, or a share from 0 to 10",
                shorten(p.text("budget"))
            )
        })?;
        let r = Retry {
            policy,
            attempts: p.int("attempts") as u32,
            base_us: Time::from_ms_f64(p.float("backoff_ms")).0,
            cap_us: Time::from_ms_f64(p.float("backoff_cap_ms")).0,
        };
        Ok((r, budget.map(Budget::new)))
    }
}

/// Parse `budget=none|SHARE`.
pub fn parse_budget(s: &str) -> Option<Option<f64>> {
    match s {
        "none" => Some(None),
        _ => crate::sim::num::parse_f64(s)
            .filter(|x| x.is_finite() && (0.0..=10.0).contains(x))
            .map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(policy: Policy) -> Retry {
        Retry {
            policy,
            attempts: 5,
            base_us: 100,
            cap_us: 1000,
        }
    }

    #[test]
    fn backoffs_grow_and_stay_in_their_ranges() {
        let mut rng = SimRng::new(1);
        let e: Vec<u64> = (1..6)
            .map(|k| r(Policy::Exponential).delay_us(k, 0, &mut rng))
            .collect();
        assert_eq!(e, vec![100, 200, 400, 800, 1000]);
        for k in 1..6 {
            let cap = e[k as usize - 1];
            let f = r(Policy::FullJitter).delay_us(k, 0, &mut rng);
            assert!(f <= cap);
            let q = r(Policy::EqualJitter).delay_us(k, 0, &mut rng);
            assert!(q >= cap / 2 && q <= cap, "{q} {cap}");
            let d = r(Policy::Decorrelated).delay_us(k, 300, &mut rng);
            assert!((100..=900).contains(&d), "{d}");
        }
        assert_eq!(r(Policy::None).max_attempts(), 1);
    }

    #[test]
    fn a_budget_keeps_retries_below_its_share() {
        let mut b = Budget::new(0.2);
        let mut retries = 0;
        for _ in 0..1000 {
            b.deposit();
            retries += b.withdraw() as u32;
        }
        assert!((199..=200).contains(&retries), "{retries}");
        assert_eq!(parse_budget("none"), Some(None));
        assert_eq!(parse_budget("0.1"), Some(Some(0.1)));
        assert_eq!(parse_budget("x"), None);
    }
}
