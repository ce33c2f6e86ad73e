//! Checkers that judge recorded histories: a scenario records what its clients saw, and these
//! decide whether that history satisfies a consistency model, with evidence when it does not.
//!
//! `linearizability`: Wing & Gong / Porcupine-style search over key-value register histories
//! (`cargo run --release --example checker_bench` measures it).

pub mod linearizability;
