//! JS entry points of the native sinks and the native source. Their workers report through
//! the creating environment's event channel (`events.rs`).

use super::events::{self, busy_add};
use super::raw::*;
use napi::sys;
use sluice_core::protocol::native::{push, sink_kind, syscall, take};
use sluice_core::sinks::{
    FdConsumer, MemoryConsumer, NullConsumer, Push, Sink, Syscall, ThrottleConsumer,
};
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long an environment's teardown waits for one of its sinks to write out what it accepted.
const SINK_TEARDOWN: Duration = Duration::from_secs(5);
/// ... and for one of its sources to stop reading (a read of a pipe may never return).
const SOURCE_TEARDOWN: Duration = Duration::from_millis(500);

/// Ids route events to JS objects; unique across environments (a plain counter nothing tears down).
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// The code JS's `SYSCALLS` table maps back to a syscall name.
pub(super) fn syscall_code(s: Syscall) -> u32 {
    match s {
        Syscall::Write => syscall::WRITE,
        Syscall::Fsync => syscall::FSYNC,
        Syscall::Close => syscall::CLOSE,
        Syscall::Limit => syscall::LIMIT,
        Syscall::Read => syscall::READ,
    }
}

/// `nsShutdown()`: the process is exiting (JS `'exit'`): from now on this environment's workers
/// never call into Node.
pub unsafe extern "C" fn ns_shutdown(
    env: sys::napi_env,
    _info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        events::shutdown(env);
        ptr::null_mut()
    })
}

/// `nsInit(dispatch)`: creates this environment's event channel (once per environment).
pub unsafe extern "C" fn ns_init(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [f] = args::<1>(env, info);
        match events::init(env, f) {
            Ok(()) => ptr::null_mut(),
            Err(msg) => throw(env, msg),
        }
    })
}

/// This environment's notifier for `id`, or a thrown error when `nsInit` was never called.
unsafe fn notify_or_throw(
    env: sys::napi_env,
    id: u32,
) -> Result<sluice_core::sinks::Notify, sys::napi_value> {
    events::notify_for(env, id)
        .ok_or_else(|| throw(env, "sluice: nsInit was not called in this environment"))
}

struct Handle {
    sink: Arc<Sink>,
    /// The creating environment's channel, for the finalizer's busy count.
    channel: Option<Arc<events::Channel>>,
}

unsafe extern "C" fn drop_handle(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let h = Box::from_raw(data as *mut Handle);
        // Collected without being closed: let the worker finish what it has and stop, leaving
        // the descriptor open (see Sink::dispose); nobody hears the events. A sink that never
        // started is released here, without starting a thread (this may run at process exit).
        // The Closed to come ends a busy episode: one it opened when the sink was idle.
        if h.sink.dispose() {
            if let Some(ch) = &h.channel {
                ch.busy_add(env, 1);
            }
        }
    }));
}

/// The value behind an External handle made by [`handle_pair`], or `None` for anything else.
unsafe fn external<'a, T>(env: sys::napi_env, v: sys::napi_value) -> Option<&'a T> {
    let mut p: *mut c_void = ptr::null_mut();
    if sys::napi_get_value_external(env, v, &mut p) != sys::Status::napi_ok || p.is_null() {
        return None;
    }
    Some(&*(p as *const T))
}

unsafe fn sink_of<'a>(env: sys::napi_env, v: sys::napi_value) -> Option<&'a Handle> {
    external::<Handle>(env, v)
}

/// `nsCreate(kind, a, b, cap) -> [handle, id]`. Kinds: 0 descriptor (`a` fd, `b` close it;
/// `c` start position or -1), 1 null, 2 memory (`a` byte limit or -1), 3 throttle (`a` bytes
/// per second or 0, `b` delay in ms per batch).
pub unsafe extern "C" fn ns_create(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [kind, a, b, cap, c] = args::<5>(env, info);
        let kind = u32_arg(env, kind);
        let a = f64_arg(env, a);
        let b = f64_arg(env, b);
        let c = f64_arg(env, c);
        let cap = f64_arg(env, cap).max(1.0) as usize;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let consumer: Box<dyn sluice_core::sinks::Consumer> = match kind {
            sink_kind::FD => {
                let mut fdc = FdConsumer::new(a as i32, b != 0.0);
                if c >= 0.0 {
                    fdc = fdc.at(c as u64);
                }
                Box::new(fdc)
            }
            sink_kind::NULL => Box::new(NullConsumer),
            sink_kind::MEMORY => Box::new(MemoryConsumer::new(if a >= 0.0 {
                Some(a as usize)
            } else {
                None
            })),
            sink_kind::THROTTLE => Box::new(ThrottleConsumer::new(
                if a > 0.0 { Some(a) } else { None },
                Duration::from_secs_f64((b.max(0.0)) / 1000.0),
            )),
            _ => return throw(env, "sluice: unknown sink kind"),
        };
        let notify = match notify_or_throw(env, id) {
            Ok(n) => n,
            Err(e) => return e,
        };
        let sink = Sink::new(consumer, cap, notify);
        let member: Arc<dyn sluice_core::sinks::Teardown> = sink.clone();
        events::adopt(env, Arc::downgrade(&member), SINK_TEARDOWN);
        let h = Box::into_raw(Box::new(Handle {
            sink,
            channel: events::channel_of(env),
        }));
        handle_pair(env, h as *mut c_void, drop_handle, id)
    })
}

/// `[External(data, finalizer), id]`: the JS side keeps the handle and routes events by id.
unsafe fn handle_pair(
    env: sys::napi_env,
    data: *mut c_void,
    finalize: unsafe extern "C" fn(sys::napi_env, *mut c_void, *mut c_void),
    id: u32,
) -> sys::napi_value {
    let mut ext = ptr::null_mut();
    sys::napi_create_external(env, data, Some(finalize), ptr::null_mut(), &mut ext);
    let mut arr = ptr::null_mut();
    sys::napi_create_array_with_length(env, 2, &mut arr);
    sys::napi_set_element(env, arr, 0, ext);
    let mut idv = ptr::null_mut();
    sys::napi_create_uint32(env, id, &mut idv);
    sys::napi_set_element(env, arr, 1, idv);
    arr
}

fn push_code(p: Push) -> f64 {
    match p {
        Push::Accepted => push::ACCEPTED as f64,
        Push::Full => push::FULL as f64,
        Push::Failed { errno, syscall } => {
            push::FAILED as f64
                + (errno as f64) * push::FAILED_ERRNO as f64
                + syscall_code(syscall) as f64
        }
    }
}

unsafe fn bytes_of<'a>(env: sys::napi_env, v: sys::napi_value) -> Option<&'a [u8]> {
    let mut data: *mut c_void = ptr::null_mut();
    let mut len = 0usize;
    if sys::napi_get_buffer_info(env, v, &mut data, &mut len) != sys::Status::napi_ok {
        return None;
    }
    if len == 0 {
        return Some(&[]);
    }
    Some(std::slice::from_raw_parts(data as *const u8, len))
}

/// `nsPush(handle, buffer, deferWake) -> code`: a [`push`] answer. `deferWake` 1: do not wake
/// a parked worker for these bytes (a later push in the same turn will; see `Sink::push_with`).
pub unsafe extern "C" fn ns_push(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, buf, defer] = args::<3>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        let Some(bytes) = bytes_of(env, buf) else {
            return throw(env, "sluice: not a Buffer");
        };
        let (p, became_busy) = h.sink.push_with(bytes, u32_arg(env, defer) != 0);
        if became_busy {
            busy_add(env, 1);
        }
        ret_f64(env, push_code(p))
    })
}

/// `nsEnqueue(handle, buffer) -> code`: appends the bytes of writes the Writable buffered to the
/// sink's write queue (not written until promoted); a [`push`] answer (ACCEPTED or a failure).
pub unsafe extern "C" fn ns_enqueue(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, buf] = args::<2>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        let Some(bytes) = bytes_of(env, buf) else {
            return throw(env, "sluice: not a Buffer");
        };
        ret_f64(env, push_code(h.sink.enqueue(bytes)))
    })
}

/// `nsPromote(handle, n) -> code`: the Writable hands the sink the oldest `n` bytes of its write
/// queue. A failure is a [`push`] failure; ACCEPTED or FULL when all `n` moved (FULL: wait for
/// Room); a negative answer `-k` when `k` of them did not fit (the sink is full: move them
/// after Room).
pub unsafe extern "C" fn ns_promote(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, n] = args::<2>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        let n = f64_arg(env, n).max(0.0) as usize;
        let (p, left, became_busy) = h.sink.promote(n);
        if became_busy {
            busy_add(env, 1);
        }
        let code = match p {
            Push::Failed { .. } => push_code(p),
            _ if left > 0 => -(left as f64),
            _ => push_code(p),
        };
        ret_f64(env, code)
    })
}

/// A request to a sink's worker taking one flag: `f` returns whether the sink was idle (it
/// then counts as busy until Idle or Closed).
unsafe fn sink_request(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    f: impl FnOnce(&Arc<Sink>, u32) -> bool,
) -> sys::napi_value {
    guard(env, || {
        let [h, x] = args::<2>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        if f(&h.sink, u32_arg(env, x)) {
            busy_add(env, 1);
        }
        ptr::null_mut()
    })
}

/// `nsFlush(handle, fsync)`: `Flushed` follows once everything pushed is written.
pub unsafe extern "C" fn ns_flush(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    sink_request(env, info, |sink, x| sink.flush(x != 0))
}

/// `nsClose(handle, discard)`: `Closed` follows once the worker has stopped.
pub unsafe extern "C" fn ns_close(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    sink_request(env, info, |sink, x| sink.close(x != 0))
}

/// A sink function of one argument, the handle: `f` answers with the sink's handle in hand.
unsafe fn with_sink(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    f: impl FnOnce(&Handle) -> sys::napi_value,
) -> sys::napi_value {
    guard(env, || {
        let [h] = args::<1>(env, info);
        match sink_of(env, h) {
            Some(h) => f(h),
            None => throw(env, "sluice: not a sink handle"),
        }
    })
}

/// `nsIdle(handle) -> boolean`: the sink is idle, nothing handed to it since its last `Idle`
/// (see `Sink::is_idle`).
pub unsafe extern "C" fn ns_idle(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    with_sink(env, info, |h| {
        let mut r = ptr::null_mut();
        sys::napi_get_boolean(env, h.sink.is_idle(), &mut r);
        r
    })
}

/// `nsCollected(handle) -> Buffer | undefined` (a memory sink's bytes).
pub unsafe extern "C" fn ns_collected(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    with_sink(env, info, |h| match h.sink.collected() {
        Some(v) => {
            let mut r = ptr::null_mut();
            let mut data = ptr::null_mut();
            sys::napi_create_buffer_copy(
                env,
                v.len(),
                v.as_ptr() as *const c_void,
                &mut data,
                &mut r,
            );
            r
        }
        None => ptr::null_mut(),
    })
}

/// `nsDrainSync(handle, timeoutMs) -> [Buffer, written, queued] | null`: at process exit, the
/// bytes the worker has not taken (after its current batch is written), for JS to write
/// synchronously, then the sink's write queue (`queued`, a Buffer); `null` if the worker is
/// still busy after the timeout.
pub unsafe extern "C" fn ns_drain_sync(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, t] = args::<2>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        let timeout = Duration::from_secs_f64(f64_arg(env, t).max(0.0) / 1000.0);
        let Some((pending, queued, written)) = h.sink.drain_sync_all(timeout) else {
            return ptr::null_mut();
        };
        let copy = |v: &[u8]| {
            let mut buf = ptr::null_mut();
            let mut data = ptr::null_mut();
            sys::napi_create_buffer_copy(
                env,
                v.len(),
                v.as_ptr() as *const c_void,
                &mut data,
                &mut buf,
            );
            buf
        };
        let buf = copy(&pending);
        let q = copy(&queued);
        let n = ret_f64(env, written as f64);
        let mut arr = ptr::null_mut();
        sys::napi_create_array_with_length(env, 3, &mut arr);
        sys::napi_set_element(env, arr, 0, buf);
        sys::napi_set_element(env, arr, 1, n);
        sys::napi_set_element(env, arr, 2, q);
        arr
    })
}

/// `nsCopyFrom(handle, fromFd, start, limit)`: queue a native-to-native copy (`start`/`limit`
/// < 0: none); `Copied` follows.
pub unsafe extern "C" fn ns_copy_from(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h, from, start, limit] = args::<4>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        let start = f64_arg(env, start);
        let limit = f64_arg(env, limit);
        let job = sluice_core::sinks::CopyJob {
            from: f64_arg(env, from) as i32,
            start: if start >= 0.0 {
                Some(start as u64)
            } else {
                None
            },
            limit: if limit >= 0.0 {
                Some(limit as u64)
            } else {
                None
            },
        };
        // One count for the copy itself (released by Copied), one more if this opened a busy
        // episode of the sink (released by Idle or Closed).
        let opened = h.sink.copy_from(job);
        busy_add(env, 1 + opened as i32);
        ptr::null_mut()
    })
}

struct SourceHandle {
    src: Arc<sluice_core::sources::Source>,
    /// The creating environment's channel, for the finalizer's busy count.
    channel: Option<Arc<events::Channel>>,
}

unsafe extern "C" fn drop_source(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let h = Box::from_raw(data as *mut SourceHandle);
        // As for a sink: the Closed a collected source's worker reports is counted, as close()'s.
        if h.src.dispose() {
            if let Some(ch) = &h.channel {
                ch.busy_add(env, 1);
            }
        }
    }));
}

unsafe fn source_of<'a>(env: sys::napi_env, v: sys::napi_value) -> Option<&'a SourceHandle> {
    external::<SourceHandle>(env, v)
}

/// `srcCreate(fd, closeFd, start, limit, chunk) -> [handle, id]` (`start`/`limit` < 0: none).
pub unsafe extern "C" fn src_create(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [fd, close_fd, start, limit, chunk] = args::<5>(env, info);
        let start = f64_arg(env, start);
        let limit = f64_arg(env, limit);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let notify = match notify_or_throw(env, id) {
            Ok(n) => n,
            Err(e) => return e,
        };
        let src = sluice_core::sources::Source::new(
            f64_arg(env, fd) as i32,
            u32_arg(env, close_fd) != 0,
            if start >= 0.0 {
                Some(start as u64)
            } else {
                None
            },
            if limit >= 0.0 {
                Some(limit as u64)
            } else {
                None
            },
            f64_arg(env, chunk).max(1.0) as usize,
            notify,
        );
        let member: Arc<dyn sluice_core::sinks::Teardown> = src.clone();
        events::adopt(env, Arc::downgrade(&member), SOURCE_TEARDOWN);
        let h = Box::into_raw(Box::new(SourceHandle {
            src,
            channel: events::channel_of(env),
        }));
        handle_pair(env, h as *mut c_void, drop_source, id)
    })
}

unsafe extern "C" fn drop_vec(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
    let _ = std::panic::catch_unwind(|| drop(Box::from_raw(hint as *mut Vec<u8>)));
}

/// `srcTake(handle) -> Buffer | number`: a chunk (handed over without a copy), or 0 (wait for
/// the `Data` event), 1 (end of file), or a negative errno.
pub unsafe extern "C" fn src_take(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h] = args::<1>(env, info);
        let Some(h) = source_of(env, h) else {
            return throw(env, "sluice: not a source handle");
        };
        let code = match h.src.take() {
            sluice_core::sources::Take::Chunk(v) => {
                let boxed = Box::new(v);
                let len = boxed.len();
                let data = boxed.as_ptr() as *mut c_void;
                let hint = Box::into_raw(boxed) as *mut c_void;
                let mut r = ptr::null_mut();
                let st =
                    sys::napi_create_external_buffer(env, len, data, Some(drop_vec), hint, &mut r);
                if st != sys::Status::napi_ok {
                    // Runtimes without external buffers: copy instead.
                    let v = Box::from_raw(hint as *mut Vec<u8>);
                    let mut out = ptr::null_mut();
                    sys::napi_create_buffer_copy(
                        env,
                        v.len(),
                        v.as_ptr() as *const c_void,
                        &mut out,
                        &mut r,
                    );
                }
                return r;
            }
            sluice_core::sources::Take::Pending => {
                // The reader waits on the worker: keep the process alive until Data.
                busy_add(env, 1);
                take::PENDING as f64
            }
            sluice_core::sources::Take::Eof => take::EOF as f64,
            sluice_core::sources::Take::Failed(e) => -(e as f64),
        };
        ret_f64(env, code)
    })
}

/// `srcClose(handle)`: `Closed` follows.
pub unsafe extern "C" fn src_close(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h] = args::<1>(env, info);
        let Some(h) = source_of(env, h) else {
            return throw(env, "sluice: not a source handle");
        };
        busy_add(env, 1);
        h.src.close();
        ptr::null_mut()
    })
}
