//! sluice-core: everything of sluice that knows nothing of Node.
//!
//! - [`writable`], [`readable`]: the pure stream state machines (no I/O, no threads); the addon
//!   asks them what to do and JS carries it out.
//! - [`protocol`]: every number JS and Rust share — flag bits, answer codes, op codes, shared-block
//!   offsets, event kinds — defined once here; `lib/protocol.js` is generated from it.
//! - [`sinks`], [`sources`], [`runtime`]: the native I/O workers on one tokio runtime; they report
//!   through a callback the addon passes in, never through napi.

pub mod block;
pub mod lengths;
pub mod protocol;
pub mod readable;
pub mod runtime;
pub mod sinks;
pub mod sources;
pub mod writable;

#[cfg(test)]
mod props;
