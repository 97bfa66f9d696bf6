//! The napi layer: adapts the pure cores to JS. Registration only here; one file per class.

pub mod events;
pub mod raw;
pub mod readable;
pub mod sinks;
pub mod writable;

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Registers the raw hot-path functions on the module's exports.
#[napi(module_exports)]
pub fn init(exports: Object) -> Result<()> {
    let env = exports.env();
    let ex = exports.raw();
    unsafe {
        raw::export(env, ex, "wCreate", Some(writable::w_create));
        raw::export(env, ex, "wWrite", Some(writable::w_write));
        raw::export(env, ex, "wOp", Some(writable::w_op));
        raw::export(env, ex, "rCreate", Some(readable::r_create));
        raw::export(env, ex, "rPush", Some(readable::r_push));
        raw::export(env, ex, "rRead", Some(readable::r_read));
        raw::export(env, ex, "rOp", Some(readable::r_op));
        raw::export(env, ex, "nsInit", Some(sinks::ns_init));
        raw::export(env, ex, "nsShutdown", Some(sinks::ns_shutdown));
        raw::export(env, ex, "nsCreate", Some(sinks::ns_create));
        raw::export(env, ex, "nsPush", Some(sinks::ns_push));
        raw::export(env, ex, "nsFlush", Some(sinks::ns_flush));
        raw::export(env, ex, "nsClose", Some(sinks::ns_close));
        raw::export(env, ex, "nsCollected", Some(sinks::ns_collected));
        raw::export(env, ex, "nsCopyFrom", Some(sinks::ns_copy_from));
        raw::export(env, ex, "nsDrainSync", Some(sinks::ns_drain_sync));
        raw::export(env, ex, "srcCreate", Some(sinks::src_create));
        raw::export(env, ex, "srcTake", Some(sinks::src_take));
        raw::export(env, ex, "srcClose", Some(sinks::src_close));
    }
    Ok(())
}

/// The protocol table of this binary (`{ namespace: { NAME: value } }` as JSON), so that a test
/// can compare the addon that loaded with the generated `lib/protocol.js` (cold: read once).
#[napi]
pub fn protocol_json() -> String {
    sluice_core::protocol::render_json()
}

/// The version of the native core, for diagnostics: `version()` of the loaded binding
/// (`lib/native.js`).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
