//! Systems Sandbox: learn distributed-system design by breaking live simulations.
//!
//! `sim` is the deterministic engine (pure Rust, no IO, no web crates), `content` turns the
//! compiled-in markdown lessons into blocks, `route` parses and formats the hash routes. `ui`
//! (wasm32 only) is the yew front end that reads engine snapshots and sends commands.
#![forbid(unsafe_code)]

pub mod builder;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod content;
pub mod fit;
pub mod pack;
#[cfg(not(target_arch = "wasm32"))]
pub mod pages;
pub mod progress;
pub mod route;
pub mod session;
pub mod share;
pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod ui;
