//! The cheapest safe way into the core: raw N-API functions (no napi-derive marshalling), and
//! the small helpers they share (argument reads, throwing, the panic guard, exports). Where the
//! cores live and how a call finds one: [`super::slab`].
//!
//! Threading: these functions run only on the JS thread, and the core never calls back into JS.

use napi::sys;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// Reads up to `N` arguments; missing ones are `undefined`.
#[inline(always)]
pub unsafe fn args<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> [sys::napi_value; N] {
    let mut argv = [ptr::null_mut(); N];
    let mut argc = N;
    sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        argv.as_mut_ptr(),
        ptr::null_mut(),
        ptr::null_mut(),
    );
    argv
}

#[inline(always)]
pub unsafe fn f64_arg(env: sys::napi_env, v: sys::napi_value) -> f64 {
    let mut x = 0.0;
    sys::napi_get_value_double(env, v, &mut x);
    x
}

#[inline(always)]
pub unsafe fn u32_arg(env: sys::napi_env, v: sys::napi_value) -> u32 {
    let mut x = 0u32;
    sys::napi_get_value_uint32(env, v, &mut x);
    x
}

#[inline(always)]
pub unsafe fn ret_u32(env: sys::napi_env, x: u32) -> sys::napi_value {
    let mut r = ptr::null_mut();
    sys::napi_create_uint32(env, x, &mut r);
    r
}

/// A JS number (answers that need a sign or more than 32 bits).
pub unsafe fn ret_f64(env: sys::napi_env, x: f64) -> sys::napi_value {
    let mut r = ptr::null_mut();
    sys::napi_create_double(env, x, &mut r);
    r
}

pub unsafe fn throw(env: sys::napi_env, msg: &str) -> sys::napi_value {
    let mut m = msg.as_bytes().to_vec();
    m.push(0);
    sys::napi_throw_error(env, ptr::null(), m.as_ptr() as *const c_char);
    ptr::null_mut()
}

/// Runs `f`, turning a Rust panic into a thrown JS error: a panic must never unwind into Node.
#[inline(always)]
pub unsafe fn guard(env: sys::napi_env, f: impl FnOnce() -> sys::napi_value) -> sys::napi_value {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => throw(env, "sluice: internal error (a Rust panic was caught)"),
    }
}

/// Sets `exports[name] = fn`.
pub unsafe fn export(
    env: sys::napi_env,
    exports: sys::napi_value,
    name: &str,
    cb: sys::napi_callback,
) {
    export_with(env, exports, name, cb, ptr::null_mut())
}

/// Sets `exports[name] = fn`, with `data` as the function's data pointer.
pub unsafe fn export_with(
    env: sys::napi_env,
    exports: sys::napi_value,
    name: &str,
    cb: sys::napi_callback,
    data: *mut c_void,
) {
    let mut f = ptr::null_mut();
    sys::napi_create_function(
        env,
        name.as_ptr() as *const c_char,
        name.len() as isize,
        cb,
        data,
        &mut f,
    );
    let mut n = name.as_bytes().to_vec();
    n.push(0);
    sys::napi_set_named_property(env, exports, n.as_ptr() as *const c_char, f);
}
