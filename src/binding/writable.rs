//! JS entry points of the Writable core: `wCreate` (cold), `wWrite` (the hot path, one call per
//! `write()`), and `wOp` (every other step, dispatched by an op code so the facade needs one
//! crossing per step and no napi-derive marshalling).

use super::raw::*;
use sluice_core::writable::{Overflow, WritableCore, SHARED_BYTES};
use napi::sys;

/// Op codes of `wOp`; `lib/writable.js` mirrors them.
pub mod op {
    pub const ONWRITE: u32 = 1;
    pub const CLEAR_BUFFER: u32 = 2;
    pub const CLEAR_NEXT: u32 = 3;
    pub const AFTER_WRITE: u32 = 4;
    pub const PENDING_DEC: u32 = 5;
    pub const ERROR_BUFFER: u32 = 6;
    pub const FINISH_MAYBE: u32 = 7;
    pub const FINISH_MAYBE_TAIL: u32 = 8;
    pub const FINISH_TICK: u32 = 9;
    pub const FINAL_DONE: u32 = 10;
    pub const FINISH: u32 = 11;
    pub const END: u32 = 12;
    pub const MARK_ENDED: u32 = 13;
    pub const CORK: u32 = 14;
    pub const UNCORK: u32 = 15;
    pub const UNCORK_ALL: u32 = 16;
    pub const DESTROY_BEGIN: u32 = 17;
    pub const SET_ERRORED: u32 = 18;
    pub const SET_CLOSED: u32 = 19;
    pub const ERROR_EMIT: u32 = 20;
    pub const CLOSE_EMIT: u32 = 21;
    pub const START_CONSTRUCT: u32 = 22;
    pub const CONSTRUCTED: u32 = 23;
    pub const FLUSH: u32 = 26;
    pub const SET_DESTROYED: u32 = 27;
    pub const NOTE_NEED_DRAIN: u32 = 28;
    pub const DISABLE: u32 = 29;
    pub const STATS_NOW: u32 = 30;
    pub const SET_LOW_WATER_MARK: u32 = 31;
    pub const SET_MAX_BUFFERED: u32 = 32;
    pub const LATE_DISPATCH: u32 = 33;
    // Assignments to `_writableState` fields (cold).
    pub const SET_FLAG: u32 = 40;
    pub const SET_COUNTER: u32 = 41;
    pub const QUEUE_RESET: u32 = 42;
    pub const QUEUE_PUSH: u32 = 43;
    pub const UNDESTROY: u32 = 44;
    pub const GET_WRITELEN: u32 = 45;
    pub const END_PASS: u32 = 46;
}

/// `wCreate(objectMode, hwm, optionFlags) -> [handle, sharedArrayBuffer]`
pub unsafe extern "C" fn w_create(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        create_core(
            env,
            info,
            WritableCore::new,
            |c| &mut c.s as *mut _ as *mut u8,
            SHARED_BYTES,
        )
    })
}

/// `wWrite(handle, len * 4 + pendingSyncCompletion)`: the answer (see `core::writable::w`) is
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
        let [h, x] = args::<2>(env, info);
        let Some(c) = core_mut::<WritableCore>(env, h) else {
            return throw(env, "sluice: not a Writable handle");
        };
        let x = f64_arg(env, x);
        c.fold();
        let pend = (x % 4.0) as u32;
        if pend != 0 {
            c.complete_sync_ok(pend == 2);
        }
        c.s.ret = c.write((x / 4.0).floor());
        c.refresh_fast();
        std::ptr::null_mut()
    })
}

/// `wOp(handle, op, arg, pendingSyncCompletion) -> number`
pub unsafe extern "C" fn w_op(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, o, arg, pend] = args::<4>(env, info);
        let Some(c) = core_mut::<WritableCore>(env, h) else {
            return throw(env, "sluice: not a Writable handle");
        };
        c.fold();
        match u32_arg(env, pend) {
            0 => {}
            p => {
                c.complete_sync_ok(p == 2);
            }
        }
        let x = f64_arg(env, arg);
        let b = |v: bool| v as u32;
        let r = match u32_arg(env, o) {
            op::ONWRITE => c.onwrite(x as u32 & 1 != 0, x as u32 & 2 != 0, x as u32 & 4 != 0),
            op::CLEAR_BUFFER => c.clear_buffer(x != 0.0),
            op::CLEAR_NEXT => c.clear_next(),
            op::AFTER_WRITE => b(c.after_write(x)),
            op::PENDING_DEC => {
                c.pending_dec(x);
                0
            }
            op::ERROR_BUFFER => b(c.error_buffer()),
            op::FINISH_MAYBE => c.finish_maybe(x as u32 & 1 != 0, x as u32 & 2 != 0),
            op::FINISH_MAYBE_TAIL => c.finish_maybe_tail(x != 0.0),
            op::FINISH_TICK => b(c.finish_tick()),
            op::FINAL_DONE => c.final_done(x != 0.0),
            op::FINISH => {
                c.finish();
                0
            }
            op::END => c.end(),
            op::MARK_ENDED => {
                c.mark_ended();
                0
            }
            op::CORK => {
                c.cork();
                0
            }
            op::UNCORK => c.uncork(x != 0.0),
            op::UNCORK_ALL => c.uncork_all(x != 0.0),
            op::DESTROY_BEGIN => {
                let bits = x as u32;
                c.destroy_begin(bits & 1 != 0, bits & 2 != 0)
            }
            op::SET_ERRORED => b(c.set_errored()),
            op::SET_CLOSED => {
                c.set_closed();
                0
            }
            op::ERROR_EMIT => b(c.error_emit()),
            op::CLOSE_EMIT => b(c.close_emit()),
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
                // arg = maxBuffered * 4 + overflow (0 error, 1 drop-newest, 2 drop-oldest)
                let ovf = match (x % 4.0) as u32 {
                    1 => Overflow::DropNewest,
                    2 => Overflow::DropOldest,
                    _ => Overflow::Error,
                };
                let lwm = c.low_water_mark();
                c.set_policies(lwm, (x / 4.0).floor(), ovf);
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
                // arg = bit * 2 + on
                let bits = x as u32;
                c.set_flag(bits >> 1, bits & 1 != 0);
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
                c.end_pass();
                0
            }
            op::GET_WRITELEN => {
                // Left in the shared `arg` slot (a length need not fit the u32 answer).
                c.s.arg = c.writelen();
                0
            }
            op::UNDESTROY => {
                c.undestroy(x != 0.0);
                0
            }
            _ => return throw(env, "sluice: unknown op"),
        };
        c.refresh_fast();
        ret_u32(env, r)
    })
}
