//! JS entry points of the Readable core: `rCreate` (cold), `rPush` and `rRead` (hot: one call
//! per `push()` / `read()`, answers left in the shared block), and `rOp` for every other step.

use super::raw::*;
use super::slab::{self, args_slabs};
use napi::sys;

use sluice_core::protocol::readable::{arg, op};

/// `rCreate`, `rAdopt`, `rFree`: this environment's slab of readable cores
/// (see [`super::slab`]).
pub unsafe extern "C" fn r_create(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::create(env, info, |s| &mut s.r)
}

/// See [`r_create`].
pub unsafe extern "C" fn r_adopt(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::adopt(env, info, |s| &mut s.r)
}

/// See [`r_create`].
pub unsafe extern "C" fn r_retire(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::retire(env, info, |s| &mut s.r)
}

/// See [`r_create`].
pub unsafe extern "C" fn r_stock(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::stock(env, info, |s| &mut s.r)
}

/// See [`r_create`].
pub unsafe extern "C" fn r_resume(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::resume(env, info, |s| &mut s.r)
}

/// See [`r_create`].
pub unsafe extern "C" fn r_free(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::free(env, info, |s| &mut s.r)
}

/// `rPush(handle, len * 8 + kind * 2 + front, listeners)`: answer in the shared `ret` word.
/// `listeners`: bit 0 `'data'` listeners, bit 1 `'readable'` listeners (for `push(null)`).
pub unsafe extern "C" fn r_push(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let ([h, x, dl], slabs) = args_slabs::<3>(env, info);
        let Some(c) = slabs.r.get(u32_arg(env, h)) else {
            return throw(env, "sluice: not a Readable handle");
        };
        c.fold();
        let x = f64_arg(env, x);
        let unit = arg::PUSH_LEN as f64;
        let low = (x % unit) as u32;
        let len = (x / unit).floor();
        let dl = u32_arg(env, dl);
        c.s.ret = c.push(
            len,
            low / arg::PUSH_KIND,
            low & arg::PUSH_FRONT != 0,
            dl & arg::LISTENS_DATA != 0,
            dl & arg::LISTENS_READABLE != 0,
        );
        std::ptr::null_mut()
    })
}

/// `rRead(handle, n)`: `n` as in `ReadableCore::read`; answer in the shared `ret` word.
pub unsafe extern "C" fn r_read(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let ([h, n], slabs) = args_slabs::<2>(env, info);
        let Some(c) = slabs.r.get(u32_arg(env, h)) else {
            return throw(env, "sluice: not a Readable handle");
        };
        c.fold();
        c.s.ret = c.read(f64_arg(env, n));
        std::ptr::null_mut()
    })
}

/// `rOp(handle, op, a, b) -> number`
pub unsafe extern "C" fn r_op(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let ([h, o, a, b], slabs) = args_slabs::<4>(env, info);
        let Some(c) = slabs.r.get(u32_arg(env, h)) else {
            return throw(env, "sluice: not a Readable handle");
        };
        c.fold();
        let x = f64_arg(env, a);
        let y = f64_arg(env, b);
        let t = |v: bool| v as u32;
        let r = match u32_arg(env, o) {
            op::READ_AFTER => c.read_after(x, y),
            op::PUSH_SWALLOWED => c.push_swallowed(),
            op::PUSH_TAIL => {
                c.push_tail(x);
                0
            }
            op::ON_READABLE => c.on_readable(),
            op::UPDATE_READABLE_LISTENING => c.update_readable_listening(x != 0.0, y != 0.0),
            op::SET_FLOWING => {
                c.set_flowing(x as u32);
                0
            }
            op::RESET_QUEUE => {
                c.reset_queue(x);
                0
            }
            op::START_CONSTRUCT => {
                c.start_construct();
                0
            }
            op::CONSTRUCTED => {
                c.constructed();
                0
            }
            op::SET_DESTROYED => {
                c.set_destroyed(x != 0.0);
                0
            }
            op::SET_ERRORED => t(c.set_errored()),
            op::ERROR_EMIT => t(c.error_emit()),
            op::MAYBE_READ_MORE => t(c.read_more_after_construct()),
            op::DISABLE => {
                c.disable();
                0
            }
            op::SET_FLAG => {
                c.set_flag(x as u32, y != 0.0);
                0
            }
            op::SET_COUNTER => {
                c.set_counter(x as u32, y);
                0
            }
            op::QUEUE_RESET => {
                c.queue_reset();
                0
            }
            op::QUEUE_PUSH => {
                c.queue_push(x);
                0
            }
            op::UNDESTROY => {
                c.undestroy(x != 0.0);
                0
            }
            op::FLOW_SYNC_BEGIN => c.flow_sync_begin(x != 0.0),
            op::FLOW_SYNC_STEP => t(c.flow_sync_step()),
            op::FLOW_SYNC_READ_DONE => t(c.flow_sync_read_done(x != 0.0)),
            op::FAST_PARK => t(c.fast_park(x)),
            op::FAST_UNPARK => t(c.fast_unpark()),
            op::FAST_MATERIALIZE => t(c.fast_materialize()),
            op::TAKE_FIXUP => {
                c.take_fixup(x as u32);
                0
            }
            op::PUSH_THREW => {
                c.push_threw();
                0
            }
            _ => return throw(env, "sluice: unknown op"),
        };
        ret_u32(env, r)
    })
}
