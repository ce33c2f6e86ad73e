//! The `saga` scenario's parameters (names and meanings are a contract, see issue 7), the closed
//! sets of modes, steps and crash targets, and the checks on combinations that make no sense
//! (crashing an orchestrator that the chosen mode does not have).

use crate::sim::params::param as spec;
use crate::sim::params::{Kind, ParamError, ParamSpec, Params};
use crate::sim::time::Time;

/// How the three services are coordinated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A saga run by an orchestrator with a durable log: commands out, replies back.
    Orchestration,
    /// A saga without a coordinator: each service reacts to the previous one's event (over a bus).
    Choreography,
    /// Two-phase commit: prepare (vote, hold locks), then commit or abort.
    TwoPc,
}

impl Mode {
    /// Parameter spelling.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Orchestration => "orchestration",
            Mode::Choreography => "choreography",
            Mode::TwoPc => "2pc",
        }
    }
    fn parse(s: &str) -> Mode {
        match s {
            "choreography" => Mode::Choreography,
            "2pc" => Mode::TwoPc,
            _ => Mode::Orchestration,
        }
    }
    /// What the hub node (node 1) is called in this mode.
    pub fn hub(self) -> &'static str {
        match self {
            Mode::Orchestration => "orchestrator",
            Mode::Choreography => "event bus",
            Mode::TwoPc => "coordinator",
        }
    }
}

/// The three steps of an order, in forward order; compensations run in reverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Inventory,
    Payment,
    Shipping,
}

/// Every step, in forward order.
pub const STEPS: [Step; 3] = [Step::Inventory, Step::Payment, Step::Shipping];

impl Step {
    /// Parameter spelling (and the service's name).
    pub fn name(self) -> &'static str {
        match self {
            Step::Inventory => "inventory",
            Step::Payment => "payment",
            Step::Shipping => "shipping",
        }
    }
    /// What the step does, in words.
    pub fn verb(self) -> &'static str {
        match self {
            Step::Inventory => "reserve stock",
            Step::Payment => "charge card",
            Step::Shipping => "book shipment",
        }
    }
    /// What its compensation does, in words.
    pub fn undo_verb(self) -> &'static str {
        match self {
            Step::Inventory => "release stock",
            Step::Payment => "refund card",
            Step::Shipping => "cancel shipment",
        }
    }
    /// Position in `STEPS`.
    pub fn index(self) -> usize {
        self as usize
    }
    /// The service node that owns this step.
    pub fn node(self) -> u32 {
        2 + self as u32
    }
    /// Parse a `fail_step` value (`none` gives None).
    pub fn parse(s: &str) -> Option<Step> {
        STEPS.iter().copied().find(|st| st.name() == s)
    }
}

/// `fail_step` values.
pub const FAIL_STEPS: &[&str] = &["none", "inventory", "payment", "shipping"];
/// `crash` values.
pub const CRASH: &[&str] = &["none", "orchestrator", "coordinator"];

/// The parameters (a contract: names and meanings come from the issue).
pub const PARAMS: &[ParamSpec] = &[
    spec(
        "mode",
        "orchestration",
        Kind::Choice(&["orchestration", "choreography", "2pc"]),
        "saga with an orchestrator, saga by events (choreography), or two-phase commit",
        false,
    ),
    spec(
        "orders",
        "100",
        Kind::Int {
            min: 1,
            max: 1_000_000,
        },
        "orders placed",
        false,
    ),
    spec(
        "fail_step",
        "none",
        Kind::Choice(FAIL_STEPS),
        "a step that always fails (its service refuses it)",
        true,
    ),
    spec(
        "fail_rate",
        "0",
        Kind::Float { min: 0.0, max: 1.0 },
        "probability that any step fails",
        true,
    ),
    spec(
        "duplicate_rate",
        "0",
        Kind::Float { min: 0.0, max: 1.0 },
        "probability that a message is delivered twice",
        true,
    ),
    spec(
        "idempotent",
        "on",
        Kind::Choice(&["on", "off"]),
        "on: services remember request ids and apply each request once",
        true,
    ),
    spec(
        "crash",
        "none",
        Kind::Choice(CRASH),
        "what crashes at crash_at_ms: the orchestrator (saga) or the coordinator (2pc)",
        false,
    ),
    spec(
        "crash_at_ms",
        "never",
        Kind::MsOrNever { max: 1e9 },
        "when `crash` goes down",
        false,
    ),
    spec(
        "recover_at_ms",
        "never",
        Kind::MsOrNever { max: 1e9 },
        "when it comes back (its durable log survives the crash)",
        false,
    ),
    spec(
        "retries",
        "3",
        Kind::Int { min: 0, max: 20 },
        "retries of a step or compensation that timed out",
        true,
    ),
    spec(
        "timeout_ms",
        "200",
        Kind::Float {
            min: 1.0,
            max: 60_000.0,
        },
        "how long to wait for a reply before retrying",
        true,
    ),
    spec(
        "order_gap_ms",
        "40",
        Kind::Float {
            min: 1.0,
            max: 60_000.0,
        },
        "time between two orders",
        false,
    ),
    spec(
        "link_ms",
        "10",
        Kind::Float {
            min: 0.1,
            max: 1_000.0,
        },
        "mean one-way latency of every link (uniform between half and one and a half times)",
        false,
    ),
];

/// The parsed settings a run starts with (the live ones change through `Model::set`).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub mode: Mode,
    pub orders: u32,
    pub fail_step: Option<Step>,
    pub fail_rate: f64,
    pub duplicate_rate: f64,
    pub idempotent: bool,
    /// When node 1 crashes and comes back (`Time::NEVER`: not at all).
    pub crash_at: Time,
    pub recover_at: Time,
    pub retries: u32,
    pub timeout_us: u64,
    pub gap_us: u64,
    pub link_ms: f64,
}

impl Config {
    /// Resolve parsed parameters; a crash target the mode does not have is an error.
    pub fn from_params(p: &Params) -> Result<Config, ParamError> {
        let mode = Mode::parse(p.text("mode"));
        let crash = p.text("crash");
        match (crash, mode) {
            ("orchestrator", Mode::TwoPc) | ("coordinator", Mode::Orchestration) => {
                return Err(ParamError(format!(
                    "`crash={crash}` does not fit `mode={}`: valid are crash=orchestrator with mode=orchestration, crash=coordinator with mode=2pc",
                    mode.name()
                )))
            }
            ("orchestrator" | "coordinator", Mode::Choreography) => {
                return Err(ParamError(format!(
                    "`crash={crash}` does not fit `mode=choreography`, which has no central node; valid: crash=none (click the event bus to crash it)"
                )))
            }
            _ => {}
        }
        let at = |name: &str| match p.float(name) {
            x if x.is_finite() => Time::from_ms_f64(x),
            _ => Time::NEVER,
        };
        let (crash_at, recover_at) = if crash == "none" {
            (Time::NEVER, Time::NEVER)
        } else {
            (at("crash_at_ms"), at("recover_at_ms"))
        };
        Ok(Config {
            mode,
            orders: p.int("orders").clamp(1, 1_000_000) as u32,
            fail_step: Step::parse(p.text("fail_step")),
            fail_rate: p.float("fail_rate"),
            duplicate_rate: p.float("duplicate_rate"),
            idempotent: p.text("idempotent") != "off",
            crash_at,
            recover_at,
            retries: p.int("retries").clamp(0, 20) as u32,
            timeout_us: Time::from_ms_f64(p.float("timeout_ms")).0.max(1),
            gap_us: Time::from_ms_f64(p.float("order_gap_ms")).0.max(1),
            link_ms: p.float("link_ms"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ParamError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_params(&Params::parse("saga", PARAMS, &pairs)?)
    }

    #[test]
    fn defaults_resolve() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.mode, Mode::Orchestration);
        assert_eq!((c.orders, c.retries, c.timeout_us), (100, 3, 200_000));
        assert_eq!((c.fail_step, c.idempotent), (None, true));
        assert_eq!((c.crash_at, c.recover_at), (Time::NEVER, Time::NEVER));
    }

    #[test]
    fn crash_targets_must_fit_the_mode() {
        let e = cfg(&[("mode", "2pc"), ("crash", "orchestrator")])
            .unwrap_err()
            .0;
        assert!(e.contains("crash=coordinator with mode=2pc"), "{e}");
        let e = cfg(&[("mode", "choreography"), ("crash", "orchestrator")])
            .unwrap_err()
            .0;
        assert!(e.contains("no central node"), "{e}");
        let c = cfg(&[
            ("crash", "orchestrator"),
            ("crash_at_ms", "300"),
            ("recover_at_ms", "900"),
        ])
        .unwrap();
        assert_eq!(
            (c.crash_at, c.recover_at),
            (Time::from_ms(300), Time::from_ms(900))
        );
        // A crash time without a crash target does nothing.
        let c = cfg(&[("crash_at_ms", "300")]).unwrap();
        assert_eq!(c.crash_at, Time::NEVER);
    }

    #[test]
    fn steps_round_trip_and_own_their_nodes() {
        for s in STEPS {
            assert_eq!(Step::parse(s.name()), Some(s));
            assert_eq!(s.node(), 2 + s.index() as u32);
        }
        assert_eq!(Step::parse("none"), None);
        assert_eq!(&FAIL_STEPS[1..], &["inventory", "payment", "shipping"]);
    }
}
