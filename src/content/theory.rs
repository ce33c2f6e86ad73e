//! Queueing theory for lessons' sweeps: the mean time in an M/M/c station (Erlang C; with one
//! worker, M/M/1's W = 1 / (μ − λ)), and where a `system` design is such a station. Pure; used
//! at build time to draw the theory curve over a sweep's runs, never as if it were a run.

use crate::sim::params::Params;
use crate::sim::scenario::system::keys::CompKind;
use crate::sim::scenario::system::parse;

/// Erlang C: the probability that an arrival waits in M/M/c with offered load `a` = λ/μ
/// (requires a < c).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let c = c as f64;
    let top = term * a / c * (c / (c - a));
    top / (sum + top)
}

/// An M/M/c station: arrivals per second, services per second per worker, workers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mmc {
    pub lambda: f64,
    pub mu: f64,
    pub c: u32,
}

impl Mmc {
    /// Utilisation ρ = λ / (c·μ).
    pub fn rho(&self) -> f64 {
        self.lambda / (self.c as f64 * self.mu)
    }

    /// Mean time in the station (waiting and work), in ms; `None` when ρ ≥ 1 (no steady state).
    pub fn mean_response_ms(&self) -> Option<f64> {
        if self.rho() >= 1.0 || self.mu <= 0.0 {
            return None;
        }
        let c = self.c as f64;
        let wait = erlang_c(self.c, self.lambda / self.mu) / (c * self.mu - self.lambda);
        Some((wait + 1.0 / self.mu) * 1000.0)
    }

    /// The theory's name for the legend.
    pub fn name(&self) -> String {
        if self.c == 1 {
            "M/M/1: W = 1 / (μ − λ)".into()
        } else {
            format!("Erlang C, M/M/{}", self.c)
        }
    }
}

/// The M/M/c station that `station` is in a `system` design, or why the theory does not apply:
/// it must be a service with one replica, exponential work and an unbounded waiting room, fed
/// by the design's clients (their rates add up) over wires that take no time.
pub fn station(design: &str, station: &str) -> Result<Mmc, String> {
    let d = parse::parse(design)?;
    if d.link_ms != 0.0 {
        return Err("the theory counts waiting and work only: the design needs `link_ms=0`".into());
    }
    let Some(at) = d.comps.iter().position(|c| c.name == station) else {
        let names: Vec<&str> = d.comps.iter().map(|c| c.name.as_str()).collect();
        return Err(format!(
            "no component `{station}` in the design; components: {}",
            names.join(", ")
        ));
    };
    let s = &d.comps[at];
    if s.kind != CompKind::Service {
        return Err(format!("`{station}` is not a service"));
    }
    check_station(&s.params, station)?;
    let direct = d
        .wires
        .iter()
        .all(|&(a, b)| b == at && d.comps.get(a).is_some_and(|c| c.kind == CompKind::Clients));
    if !direct {
        return Err(format!(
            "the theory is for clients wired straight to `{station}`, which calls nothing"
        ));
    }
    let lambda: f64 = d
        .comps
        .iter()
        .filter(|c| c.kind == CompKind::Clients)
        .map(|c| c.params.float("rate"))
        .sum();
    let ms = s.params.float("service_ms");
    if ms <= 0.0 {
        return Err(format!("`{station}` needs service_ms above 0"));
    }
    Ok(Mmc {
        lambda,
        mu: 1000.0 / ms,
        c: s.params.int("workers").max(1) as u32,
    })
}

fn check_station(p: &Params, name: &str) -> Result<(), String> {
    let fits = p.text("dist") == "exp"
        && p.int("replicas") == 1
        && p.text("queue") == "unbounded"
        && p.text("mtbf_ms") == "never"
        && p.text("autoscale") != "on";
    if fits {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not an M/M/c station: the theory needs dist=exp, replicas=1, queue=unbounded, no crashes and no autoscaling"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_worker_is_mm1_and_two_follow_erlang_c() {
        let one = Mmc {
            lambda: 90.0,
            mu: 100.0,
            c: 1,
        };
        assert!((one.mean_response_ms().unwrap() - 100.0).abs() < 1e-9);
        // Two workers of 10 ms at 160/s: C = 0.711, W = 10 + 0.711/40 s = 27.8 ms.
        let two = Mmc {
            lambda: 160.0,
            mu: 100.0,
            c: 2,
        };
        assert!((erlang_c(2, 1.6) - 0.7111).abs() < 1e-4);
        assert!((two.mean_response_ms().unwrap() - 27.78).abs() < 0.01);
        assert_eq!(
            Mmc {
                lambda: 100.0,
                mu: 100.0,
                c: 1
            }
            .mean_response_ms(),
            None
        );
    }

    #[test]
    fn a_design_is_a_station_or_says_why_not() {
        let d =
            "link_ms=0; users: clients rate=80; api: service workers=2 service_ms=5; users -> api";
        let m = station(d, "api").unwrap();
        assert_eq!((m.lambda, m.mu, m.c), (80.0, 200.0, 2));
        assert!(station(d, "db")
            .unwrap_err()
            .contains("components: users, api"));
        assert!(station(&d.replace("link_ms=0", "link_ms=1"), "api")
            .unwrap_err()
            .contains("link_ms=0"));
        let lognormal = d.replace("service_ms=5", "service_ms=5 dist=lognormal");
        assert!(station(&lognormal, "api").unwrap_err().contains("dist=exp"));
        assert!(station(d, "users").unwrap_err().contains("not a service"));
        let db = format!("{d}; db: database; api -> db");
        assert!(station(&db, "api").unwrap_err().contains("calls nothing"));
    }
}
