//! The cheapest safe way into the core: raw N-API functions (no napi-derive marshalling).
//!
//! Each stream's core lives in an `Arc<UnsafeCell<…>>` reached from JS through a napi External
//! (passed as the first argument of every call, so no `this` unwrap or class lookup is needed).
//! A second handle, an external ArrayBuffer over the core's [`Shared`](sluice_core::writable::Shared)
//! block, lets JS read flags and counters without calling in. Each handle owns one `Arc`
//! reference, so the memory lives until both have been garbage-collected, whichever goes first.
//!
//! Threading: these functions run only on the JS thread, and the core never calls back into JS,
//! so the `&mut` handed out by [`core_mut`] is never aliased.

use napi::sys;
use std::cell::UnsafeCell;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

/// A core shared between the External handle and the ArrayBuffer view.
pub struct Cell<T>(pub UnsafeCell<T>);
// SAFETY: only the JS thread touches the inner value (see the module comment).
unsafe impl<T> Sync for Cell<T> {}
unsafe impl<T> Send for Cell<T> {}

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

/// The core behind an External handle, or `None` when `v` is not one (a wrong receiver).
#[inline(always)]
pub unsafe fn core_mut<'a, T>(env: sys::napi_env, v: sys::napi_value) -> Option<&'a mut T> {
    let mut p: *mut c_void = ptr::null_mut();
    if sys::napi_get_value_external(env, v, &mut p) != sys::Status::napi_ok || p.is_null() {
        return None;
    }
    Some(&mut *(*(p as *const Cell<T>)).0.get())
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

unsafe extern "C" fn drop_arc<T>(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        drop(Arc::from_raw(hint as *const Cell<T>))
    }));
}

/// The External's finalizer also gives back the native memory it reported to V8.
unsafe extern "C" fn drop_arc_reported<T>(
    env: sys::napi_env,
    data: *mut c_void,
    hint: *mut c_void,
) {
    if !env.is_null() {
        let mut adjusted = 0i64;
        sys::napi_adjust_external_memory(
            env,
            -(std::mem::size_of::<Cell<T>>() as i64),
            &mut adjusted,
        );
    }
    drop_arc::<T>(env, data, hint);
}

/// Makes the two JS handles of a core: `[external, arrayBuffer over *shared]`. `shared` must
/// point inside `core` (its bytes live as long as the core does).
pub unsafe fn handles<T>(
    env: sys::napi_env,
    core: Arc<Cell<T>>,
    shared: *mut u8,
    shared_len: usize,
) -> sys::napi_value {
    let for_ab = Arc::into_raw(core.clone()) as *mut c_void;
    let for_ext = Arc::into_raw(core) as *mut c_void;
    let mut ext = ptr::null_mut();
    sys::napi_create_external(
        env,
        for_ext,
        Some(drop_arc_reported::<T>),
        for_ext,
        &mut ext,
    );
    // Tell V8 what the core costs, so garbage collection weighs it (issue: pre-allocating per
    // stream once cost hundreds of MB per 100k streams; cores allocate their queues lazily).
    let mut adjusted = 0i64;
    sys::napi_adjust_external_memory(env, std::mem::size_of::<Cell<T>>() as i64, &mut adjusted);
    let mut ab = ptr::null_mut();
    let st = sys::napi_create_external_arraybuffer(
        env,
        shared as *mut c_void,
        shared_len,
        Some(drop_arc::<T>),
        for_ab,
        &mut ab,
    );
    if st != sys::Status::napi_ok {
        // A runtime without external ArrayBuffers (e.g. a V8 sandbox build): sluice reads the
        // core's counters through one, so say so plainly instead of failing later.
        drop(Arc::from_raw(for_ab as *const Cell<T>));
        return throw(
            env,
            "sluice: this runtime does not support external ArrayBuffers",
        );
    }
    let mut arr = ptr::null_mut();
    sys::napi_create_array_with_length(env, 2, &mut arr);
    sys::napi_set_element(env, arr, 0, ext);
    sys::napi_set_element(env, arr, 1, ab);
    arr
}

/// A state-machine constructor's entry point: `(objectMode, hwm, optionFlags) -> [handle,
/// sharedArrayBuffer]`, with `make` building the core and `shared` locating its shared block.
pub unsafe fn create_core<T>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    make: impl FnOnce(bool, f64, u32) -> T,
    shared: impl FnOnce(&mut T) -> *mut u8,
    shared_len: usize,
) -> sys::napi_value {
    let [om, hwm, opts] = args::<3>(env, info);
    let core = Arc::new(Cell(UnsafeCell::new(make(
        u32_arg(env, om) != 0,
        f64_arg(env, hwm),
        u32_arg(env, opts),
    ))));
    let block = shared(&mut *core.0.get());
    handles(env, core, block, shared_len)
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
