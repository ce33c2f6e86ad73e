//! The engine: a deterministic discrete-event simulator of nodes and links.
//!
//! Nothing in here touches a clock, the network, the DOM or ambient randomness: the same
//! scenario, parameters, seed and commands always produce the same trace, natively and in wasm.

pub mod check;
pub mod command;
pub mod compact;
pub mod dist;
pub mod engine;
pub mod export;
pub mod fixup;
pub mod hash;
pub mod metrics;
pub mod network;
pub mod num;
pub mod num_fmt;
pub mod params;
pub mod queue;
pub mod replay;
pub mod rng;
pub mod scenario;
pub mod snapshot;
pub mod stats;
pub mod time;
pub mod topology;
pub mod trace;

pub use command::Command;
pub use params::{ParamError, Params};
pub use scenario::{create, find, Scenario, ScenarioSpec, SCENARIOS};
pub use time::Time;
