//! The `load-balancer` scenario's parameters: their specs (names and ranges are a contract, see
//! issue 6), the closed set of balancing algorithms, and the checks for the free-text ones
//! (`speeds`, `fail`), whose errors name the key, the value and what is valid.

use crate::sim::params::param as spec;
use crate::sim::params::{shorten, Kind, ParamError, ParamSpec, Params};
use crate::sim::time::Time;

/// How the load balancer picks a server for each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Each server in turn.
    RoundRobin,
    /// In turn, but each server's turns in proportion to its weight (its speed).
    WeightedRoundRobin,
    /// The server with the fewest requests in progress.
    LeastConnections,
    /// A server drawn uniformly at random.
    Random,
    /// Two servers drawn at random; the one with fewer requests in progress.
    PowerOfTwo,
    /// A hash of the client address (sticky).
    IpHash,
}

/// Parameter spellings, in the order of `Algorithm`'s variants.
pub const ALGORITHMS: &[&str] = &[
    "round-robin",
    "weighted-round-robin",
    "least-connections",
    "random",
    "p2c",
    "ip-hash",
];

/// `compare` takes `none` or an algorithm.
const COMPARE: &[&str] = &[
    "none",
    "round-robin",
    "weighted-round-robin",
    "least-connections",
    "random",
    "p2c",
    "ip-hash",
];

impl Algorithm {
    /// Parse a parameter value.
    pub fn parse(s: &str) -> Option<Algorithm> {
        Some(match s {
            "round-robin" => Algorithm::RoundRobin,
            "weighted-round-robin" => Algorithm::WeightedRoundRobin,
            "least-connections" => Algorithm::LeastConnections,
            "random" => Algorithm::Random,
            "p2c" => Algorithm::PowerOfTwo,
            "ip-hash" => Algorithm::IpHash,
            _ => return None,
        })
    }

    /// Parameter spelling.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round-robin",
            Algorithm::WeightedRoundRobin => "weighted-round-robin",
            Algorithm::LeastConnections => "least-connections",
            Algorithm::Random => "random",
            Algorithm::PowerOfTwo => "p2c",
            Algorithm::IpHash => "ip-hash",
        }
    }
}

/// Hint shared by the `speeds` spec and its errors.
const SPEEDS_HINT: &str =
    "a comma list of up to `servers` numbers from 0.01 to 100 (missing ones are 1), e.g. 1,1,0.25";
const FAIL_HINT: &str = "none, or a server number from 1 to `servers`";

/// The parameters (a contract: names and meanings come from the issue).
pub const PARAMS: &[ParamSpec] = &[
    spec(
        "algorithm",
        "round-robin",
        Kind::Choice(ALGORITHMS),
        "how the load balancer picks a server",
        true,
    ),
    spec(
        "compare",
        "none",
        Kind::Choice(COMPARE),
        "a second balancer with this algorithm, fed the very same requests (lockstep)",
        false,
    ),
    spec(
        "servers",
        "4",
        Kind::Int { min: 1, max: 64 },
        "number of servers",
        false,
    ),
    spec(
        "speeds",
        "1",
        Kind::Text {
            hint: SPEEDS_HINT,
            long: false,
        },
        "relative capacity of s1, s2, ... (also the weights of weighted round robin)",
        true,
    ),
    spec(
        "rate",
        "300",
        Kind::Float {
            min: 0.1,
            max: 10_000_000.0,
        },
        "requests per second (Poisson arrivals)",
        true,
    ),
    spec(
        "service_ms",
        "10",
        Kind::Float {
            min: 0.01,
            max: 10_000.0,
        },
        "mean service time at speed 1",
        false,
    ),
    spec(
        "service_dist",
        "exp",
        Kind::Choice(&["exp", "const"]),
        "service time: exponential or always the mean",
        false,
    ),
    spec(
        "requests",
        "10000",
        Kind::Int {
            min: 1,
            max: 100_000_000,
        },
        "requests in the run",
        false,
    ),
    spec(
        "clients",
        "100",
        Kind::Int {
            min: 1,
            max: 100_000,
        },
        "distinct client addresses (ip-hash hashes these)",
        false,
    ),
    spec(
        "fail",
        "none",
        Kind::Text {
            hint: FAIL_HINT,
            long: false,
        },
        "a server that dies at fail_at_ms (in every bank)",
        false,
    ),
    spec(
        "fail_at_ms",
        "2000",
        Kind::Float { min: 0.0, max: 1e9 },
        "when the `fail` server dies",
        false,
    ),
    spec(
        "health_check_ms",
        "500",
        Kind::Float {
            min: 10.0,
            max: 60_000.0,
        },
        "health-check interval; a server that misses a check is taken out",
        true,
    ),
    spec(
        "queue_limit",
        "0",
        Kind::Int {
            min: 0,
            max: 1_000_000,
        },
        "requests a server holds (in service + waiting); more are dropped; 0 = no limit",
        true,
    ),
    spec(
        "link_ms",
        "0.5",
        Kind::Float {
            min: 0.001,
            max: 50.0,
        },
        "one-way latency of every link (constant)",
        false,
    ),
];

/// The parsed settings a run starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub algorithm: Algorithm,
    pub compare: Option<Algorithm>,
    pub servers: usize,
    pub speeds: Vec<f64>,
    pub mean_gap_us: f64,
    pub service_us: f64,
    pub exp_service: bool,
    pub requests: u64,
    pub clients: u32,
    /// Server index (0-based) that dies, and when.
    pub fail: Option<(usize, Time)>,
    pub check_us: u64,
    pub queue_limit: usize,
    pub link_ms: f64,
}

impl Config {
    /// Resolve parsed parameters, checking the free-text ones.
    pub fn from_params(p: &Params) -> Result<Config, ParamError> {
        let servers = p.int("servers").clamp(1, 64) as usize;
        let fail = parse_fail(p.text("fail"), servers).map_err(ParamError)?;
        Ok(Config {
            algorithm: Algorithm::parse(p.text("algorithm")).unwrap_or(Algorithm::RoundRobin),
            compare: Algorithm::parse(p.text("compare")),
            servers,
            speeds: parse_speeds(p.text("speeds"), servers).map_err(ParamError)?,
            mean_gap_us: gap_us(p.float("rate")),
            service_us: p.float("service_ms") * 1000.0,
            exp_service: p.text("service_dist") == "exp",
            requests: p.int("requests").max(1) as u64,
            clients: p.int("clients").max(1) as u32,
            fail: fail.map(|i| (i, Time::from_ms_f64(p.float("fail_at_ms")))),
            check_us: Time::from_ms_f64(p.float("health_check_ms")).0.max(1),
            queue_limit: p.int("queue_limit").max(0) as usize,
            link_ms: p.float("link_ms"),
        })
    }
}

/// Mean gap between arrivals in microseconds for a rate per second.
pub fn gap_us(rate: f64) -> f64 {
    1e6 / rate.max(1e-9)
}

/// `speeds=1,1,0.25`: one number per server from s1 on; servers not listed run at speed 1.
pub fn parse_speeds(raw: &str, servers: usize) -> Result<Vec<f64>, String> {
    let bad = || {
        format!(
            "`speeds={}` is not valid: expected {} (servers={servers})",
            shorten(raw),
            SPEEDS_HINT
        )
    };
    let mut v = Vec::with_capacity(servers);
    for part in raw.split(',') {
        let x = crate::sim::num::parse_f64(part.trim()).ok_or_else(bad)?;
        if !(0.01..=100.0).contains(&x) || v.len() == servers {
            return Err(bad());
        }
        v.push(x);
    }
    v.resize(servers, 1.0);
    Ok(v)
}

/// `fail=none` or `fail=N` with N a server number from 1 to `servers`; returns a 0-based index.
pub fn parse_fail(raw: &str, servers: usize) -> Result<Option<usize>, String> {
    if raw.trim() == "none" {
        return Ok(None);
    }
    match raw.trim().parse::<usize>() {
        Ok(n) if (1..=servers).contains(&n) => Ok(Some(n - 1)),
        _ => Err(format!(
            "`fail={}` is not valid: expected none, or a server number from 1 to {servers}",
            shorten(raw)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_fill_with_ones_and_refuse_bad_lists() {
        assert_eq!(parse_speeds("1", 3).unwrap(), vec![1.0, 1.0, 1.0]);
        assert_eq!(parse_speeds("2, 0.5", 3).unwrap(), vec![2.0, 0.5, 1.0]);
        let e = parse_speeds("1,1,1,1,1", 4).unwrap_err();
        assert!(
            e.contains("`speeds=1,1,1,1,1`") && e.contains("servers=4"),
            "{e}"
        );
        let e = parse_speeds("1,0", 4).unwrap_err();
        assert!(e.contains("from 0.01 to 100"), "{e}");
        assert!(parse_speeds("fast", 4).is_err());
        assert!(parse_speeds("", 4).is_err());
    }

    #[test]
    fn fail_is_none_or_a_server_number() {
        assert_eq!(parse_fail("none", 4), Ok(None));
        assert_eq!(parse_fail("1", 4), Ok(Some(0)));
        assert_eq!(parse_fail("4", 4), Ok(Some(3)));
        let e = parse_fail("5", 4).unwrap_err();
        assert_eq!(
            e,
            "`fail=5` is not valid: expected none, or a server number from 1 to 4"
        );
        assert!(parse_fail("0", 4).is_err());
    }

    #[test]
    fn every_algorithm_round_trips() {
        for name in ALGORITHMS {
            assert_eq!(Algorithm::parse(name).map(Algorithm::name), Some(*name));
        }
        assert_eq!(Algorithm::parse("none"), None);
        assert_eq!(&COMPARE[1..], ALGORITHMS);
    }
}
