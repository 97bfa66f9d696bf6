//! sluice: Node.js streams whose backpressure state machine runs in Rust.
//!
//! `core` holds the pure state machines (no napi, no I/O, no threads); `binding` adapts them to
//! JS through raw N-API functions.

#![allow(clippy::missing_safety_doc)]

pub mod binding;
pub mod core;
pub mod runtime;
pub mod sinks;
pub mod sources;
