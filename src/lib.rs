//! sluice, the addon: the raw N-API binding over [`sluice_core`], which holds the state machines,
//! the protocol and the I/O workers and has no napi in its dependency tree.

#![allow(clippy::missing_safety_doc)]

pub mod binding;
