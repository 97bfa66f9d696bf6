//! The napi layer: adapts the pure cores to JS. Registration only here; one file per class.

pub mod events;
pub mod raw;
pub mod readable;
pub mod sinks;
pub mod slab;
pub mod writable;

use napi::bindgen_prelude::*;

/// A raw N-API callback.
type RawFn = unsafe extern "C" fn(
    napi::sys::napi_env,
    napi::sys::napi_callback_info,
) -> napi::sys::napi_value;
use napi_derive::napi;

/// Registers the raw hot-path functions on the module's exports.
#[napi(module_exports)]
pub fn init(exports: Object) -> Result<()> {
    let env = exports.env();
    let ex = exports.raw();
    unsafe {
        // This environment's slabs of cores, reached through the functions' data pointer (no
        // process-wide state: each worker thread gets its own), dropped at its teardown.
        let slabs = Box::into_raw(Box::<slab::Slabs>::default()) as *mut std::ffi::c_void;
        napi::sys::napi_add_env_cleanup_hook(env, Some(slab::drop_slabs), slabs);
        for (name, f) in [
            ("wCreate", writable::w_create as RawFn),
            ("wWrite", writable::w_write),
            ("wOp", writable::w_op),
            ("wAdopt", writable::w_adopt),
            ("wFree", writable::w_free),
            ("wRetire", writable::w_retire),
            ("wResume", writable::w_resume),
            ("wStock", writable::w_stock),
            ("rCreate", readable::r_create),
            ("rPush", readable::r_push),
            ("rRead", readable::r_read),
            ("rOp", readable::r_op),
            ("rAdopt", readable::r_adopt),
            ("rFree", readable::r_free),
            ("rRetire", readable::r_retire),
            ("rResume", readable::r_resume),
            ("rStock", readable::r_stock),
            ("dOp", slab::d_op),
        ] {
            raw::export_with(env, ex, name, Some(f), slabs);
        }
        raw::export(env, ex, "nsInit", Some(sinks::ns_init));
        raw::export(env, ex, "nsShutdown", Some(sinks::ns_shutdown));
        raw::export(env, ex, "nsCreate", Some(sinks::ns_create));
        raw::export(env, ex, "nsPush", Some(sinks::ns_push));
        raw::export(env, ex, "nsEnqueue", Some(sinks::ns_enqueue));
        raw::export(env, ex, "nsPromote", Some(sinks::ns_promote));
        raw::export(env, ex, "nsFlush", Some(sinks::ns_flush));
        raw::export(env, ex, "nsClose", Some(sinks::ns_close));
        raw::export(env, ex, "nsCollected", Some(sinks::ns_collected));
        raw::export(env, ex, "nsIdle", Some(sinks::ns_idle));
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
