//! JS entry points of the Writable core: `wCreate` (cold), `wWrite` (the hot path, one call per
//! `write()`), and `wOp` (every other step, dispatched by an op code so the facade needs one
//! crossing per step and no napi-derive marshalling).

use super::raw::*;
use super::slab::{self, args_slabs};
use napi::sys;
use sluice_core::writable::Overflow;

use sluice_core::protocol::writable::{arg, op, overflow};

/// `wCreate`, `wAdopt`, `wFree`: this environment's slab of writable cores
/// (see [`super::slab`]).
pub unsafe extern "C" fn w_create(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::create(env, info, |s| &mut s.w)
}

/// See [`w_create`].
pub unsafe extern "C" fn w_adopt(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::adopt(env, info, |s| &mut s.w)
}

/// See [`w_create`].
pub unsafe extern "C" fn w_retire(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::retire(env, info, |s| &mut s.w)
}

/// See [`w_create`].
pub unsafe extern "C" fn w_stock(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::stock(env, info, |s| &mut s.w)
}

/// See [`w_create`].
pub unsafe extern "C" fn w_resume(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::resume(env, info, |s| &mut s.w)
}

/// See [`w_create`].
pub unsafe extern "C" fn w_free(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    slab::free(env, info, |s| &mut s.w)
}

/// `wWrite(handle, len * arg::WRITE_LEN + pendingSyncCompletion)`: the answer (see
/// `sluice_core::protocol::writable::w`) is
/// left in the shared block's `ret` word rather than returned, and the two inputs travel in one
/// number, to keep the crossing as cheap as it goes (one argument read, no JS value created).
/// The low two bits carry a synchronous completion of the previous write (1; 2 when it had no
/// user callback), so the common path of a sink that calls back synchronously costs one
/// crossing per `write()`.
pub unsafe extern "C" fn w_write(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let ([h, x], slabs) = args_slabs::<2>(env, info);
        let Some(c) = slabs.w.get(u32_arg(env, h)) else {
            return throw(env, "sluice: not a Writable handle");
        };
        let x = f64_arg(env, x);
        c.fold();
        let unit = arg::WRITE_LEN as f64;
        let pend = (x % unit) as u32;
        if pend != 0 {
            c.complete_sync_ok(pend == arg::SYNC_DONE_NO_CB);
        }
        c.s.ret = c.write((x / unit).floor());
        c.refresh_standing();
        std::ptr::null_mut()
    })
}

/// `wOp(handle, op, arg, pendingSyncCompletion) -> number`
pub unsafe extern "C" fn w_op(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let ([h, o, arg, pend], slabs) = args_slabs::<4>(env, info);
        let Some(c) = slabs.w.get(u32_arg(env, h)) else {
            return throw(env, "sluice: not a Writable handle");
        };
        c.fold();
        match u32_arg(env, pend) {
            0 => {}
            p => {
                c.complete_sync_ok(p == arg::SYNC_DONE_NO_CB);
            }
        }
        let x = f64_arg(env, arg);
        let b = |v: bool| v as u32;
        let r = match u32_arg(env, o) {
            op::ONWRITE => {
                let bits = x as u32;
                c.onwrite(
                    bits & arg::ONWRITE_ERROR != 0,
                    bits & arg::ONWRITE_HAS_WRITEV != 0,
                    bits & arg::ONWRITE_SYNC_NOP != 0,
                )
            }
            op::CLEAR_BUFFER => c.clear_buffer(x != 0.0),
            op::CLEAR_NEXT => c.clear_next(),
            op::AFTER_WRITE => b(c.after_write(x)),
            op::PENDING_DEC => {
                c.pending_dec(x);
                0
            }
            op::ERROR_BUFFER => b(c.error_buffer()),
            op::FINISH_MAYBE => {
                let bits = x as u32;
                c.finish_maybe(
                    bits & arg::FINISH_SYNC != 0,
                    bits & arg::FINISH_HAS_FINAL != 0,
                )
            }
            op::FINISH_MAYBE_TAIL => {
                let bits = x as u32;
                let r = c.finish_maybe_tail(bits & arg::TAIL_SYNC != 0);
                if bits & arg::TAIL_MARK_ENDED != 0 {
                    c.mark_ended();
                }
                r
            }
            op::FINISH_TICK => b(c.finish_tick()),
            op::FINAL_DONE => c.final_done(x != 0.0),
            op::FINISH => {
                c.finish();
                0
            }
            op::END_RUN => {
                let bits = x as u32;
                c.end_run(
                    bits & arg::END_HAS_FINAL != 0,
                    bits & arg::END_QUIET_PREFINISH != 0,
                )
            }
            op::CORK => {
                c.cork();
                0
            }
            op::UNCORK => c.uncork(x != 0.0),
            op::UNCORK_ALL => c.uncork_all(x != 0.0),
            op::DESTROY_BEGIN => {
                let bits = x as u32;
                c.destroy_begin_closing(
                    bits & arg::DESTROY_ERROR != 0,
                    bits & arg::DESTROY_END_CBS != 0,
                    bits & arg::DESTROY_CLOSE_NOW != 0,
                )
            }
            op::SET_ERRORED => b(c.set_errored()),
            op::ERROR_EMIT => b(c.error_emit()),
            op::START_CONSTRUCT => {
                c.start_construct();
                0
            }
            op::CONSTRUCTED => {
                c.constructed();
                0
            }
            op::FLUSH => 0,
            op::STATS_NOW => {
                c.stats_now();
                0
            }
            op::SET_LOW_WATER_MARK => {
                let (max, ovf) = c.policies();
                c.set_policies(x, max, ovf);
                0
            }
            op::SET_MAX_BUFFERED => {
                let unit = arg::MAX_BUFFERED as f64;
                let ovf = match (x % unit) as u32 {
                    overflow::DROP_NEWEST => Overflow::DropNewest,
                    overflow::DROP_OLDEST => Overflow::DropOldest,
                    _ => Overflow::Error,
                };
                let lwm = c.low_water_mark();
                c.set_policies(lwm, (x / unit).floor(), ovf);
                0
            }
            op::DISABLE => {
                c.disable();
                0
            }
            op::NOTE_NEED_DRAIN => {
                c.note_need_drain();
                0
            }
            op::SET_DESTROYED => {
                c.set_destroyed(x != 0.0);
                0
            }
            op::LATE_DISPATCH => {
                c.late_dispatch(x);
                0
            }
            op::SET_FLAG => {
                let bits = x as u32;
                c.set_flag(
                    bits / arg::SET_FLAG_BIT,
                    !bits.is_multiple_of(arg::SET_FLAG_BIT),
                );
                0
            }
            op::SET_COUNTER => {
                // arg = which counter; the value is in the shared block's `arg` slot.
                let v = c.s.arg;
                c.set_counter(x as u32, v);
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
            op::END_PASS => {
                c.end_pass(x as u32);
                0
            }
            op::UNDESTROY => {
                c.undestroy(x != 0.0);
                0
            }
            _ => return throw(env, "sluice: unknown op"),
        };
        c.refresh_standing();
        ret_u32(env, r)
    })
}
