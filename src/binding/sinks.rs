//! JS entry points of the native sinks, and the one channel that brings worker events back to
//! the JS thread.
//!
//! Wake-ups: all sinks share one ThreadsafeFunction. A worker appends its event to a global
//! queue and calls the function only if no call is already on its way, so any number of events
//! from any number of sinks cost one wake-up of the JS thread per batch.
//!
//! Process lifetime: the ThreadsafeFunction is unreferenced while every sink is idle, so idle
//! sinks never keep Node alive; a sink that has been handed data (or asked to flush or close)
//! counts as busy until its worker reports `Idle` or `Closed`. Busy sinks reference it.

use super::raw::*;
use crate::sinks::{
    Event, FdConsumer, MemoryConsumer, NullConsumer, Push, Sink, Syscall, ThrottleConsumer,
};
use napi::sys;
use std::cell::Cell as StdCell;
use std::ffi::{c_char, c_void};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

static TSFN: AtomicPtr<c_void> = AtomicPtr::new(ptr::null_mut());
static SCHEDULED: AtomicBool = AtomicBool::new(false);
static QUEUE: Mutex<Vec<(u32, Event)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU32 = AtomicU32::new(1);
/// Held while a worker calls the ThreadsafeFunction, and by the environment's cleanup hook
/// while it forgets it: Node destroys the function at teardown, and a worker must never call
/// it after that (it would abort the process in libuv).
static CALL_LOCK: Mutex<()> = Mutex::new(());

thread_local! {
    /// Busy sinks (JS thread only): the ThreadsafeFunction is referenced while this is > 0.
    static BUSY: StdCell<u32> = const { StdCell::new(0) };
}

fn busy_add(env: sys::napi_env, delta: i32) {
    let tsfn = TSFN.load(Ordering::Acquire) as sys::napi_threadsafe_function;
    if tsfn.is_null() {
        return;
    }
    // try_with: at process exit the thread-local may already be gone; then there is nothing
    // left to keep alive.
    let _ = BUSY.try_with(|b| {
        let before = b.get();
        let after = (before as i64 + delta as i64).max(0) as u32;
        b.set(after);
        unsafe {
            if before == 0 && after > 0 {
                sys::napi_ref_threadsafe_function(env, tsfn);
            } else if before > 0 && after == 0 {
                sys::napi_unref_threadsafe_function(env, tsfn);
            }
        }
    });
}

fn notify_for(id: u32) -> crate::sinks::Notify {
    Arc::new(move |event| {
        QUEUE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, event));
        if !SCHEDULED.swap(true, Ordering::AcqRel) {
            let _g = CALL_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            let tsfn = TSFN.load(Ordering::Acquire) as sys::napi_threadsafe_function;
            if !tsfn.is_null() {
                unsafe {
                    sys::napi_call_threadsafe_function(
                        tsfn,
                        ptr::null_mut(),
                        sys::ThreadsafeFunctionCallMode::nonblocking,
                    );
                }
            }
        }
    })
}

fn syscall_code(s: Syscall) -> u32 {
    match s {
        Syscall::Write => 0,
        Syscall::Fsync => 1,
        Syscall::Close => 2,
        Syscall::Limit => 3,
        Syscall::Read => 4,
    }
}

/// Runs on the JS thread: delivers every queued event to the JS dispatcher as
/// `dispatch(id, kind, errno, syscall)`. Kinds: 1 room, 2 flushed, 3 failed, 4 idle, 5 closed.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    js_cb: sys::napi_value,
    _context: *mut c_void,
    _data: *mut c_void,
) {
    // A panic must not unwind into Node (it would abort the process).
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call_js_inner(env, js_cb)));
}

unsafe fn call_js_inner(env: sys::napi_env, js_cb: sys::napi_value) {
    if env.is_null() || js_cb.is_null() {
        // The environment is being torn down: drop the events.
        QUEUE.lock().unwrap_or_else(|e| e.into_inner()).clear();
        return;
    }
    SCHEDULED.store(false, Ordering::Release);
    let events = std::mem::take(&mut *QUEUE.lock().unwrap_or_else(|e| e.into_inner()));
    let mut undefined = ptr::null_mut();
    sys::napi_get_undefined(env, &mut undefined);
    for (id, event) in events {
        let (kind, errno, sc) = match event {
            Event::Room => (1, 0, 0),
            Event::Flushed { errno } => (2, errno, 0),
            Event::Failed { errno, syscall } => (3, errno, syscall_code(syscall)),
            Event::Idle => {
                busy_add(env, -1);
                (4, 0, 0)
            }
            Event::Data => {
                // Ends the wait that srcTake's Pending began.
                busy_add(env, -1);
                (6, 0, 0)
            }
            Event::Copied { bytes, errno } => {
                busy_add(env, -1);
                // `errno` in the third slot, the byte count through `sc` would overflow u32:
                // deliver it as a double in the fourth argument below.
                let mut argv = [ptr::null_mut(); 4];
                sys::napi_create_uint32(env, id, &mut argv[0]);
                sys::napi_create_uint32(env, 7, &mut argv[1]);
                sys::napi_create_int32(env, errno, &mut argv[2]);
                sys::napi_create_double(env, bytes, &mut argv[3]);
                let mut result = ptr::null_mut();
                let status =
                    sys::napi_call_function(env, undefined, js_cb, 4, argv.as_ptr(), &mut result);
                if status == sys::Status::napi_pending_exception {
                    let mut exc = ptr::null_mut();
                    sys::napi_get_and_clear_last_exception(env, &mut exc);
                    sys::napi_fatal_exception(env, exc);
                }
                continue;
            }
            Event::Closed { errno } => {
                // close() always opens a busy episode (or finds one open); Closed ends it.
                busy_add(env, -1);
                (5, errno, 0)
            }
        };
        let mut argv = [ptr::null_mut(); 4];
        sys::napi_create_uint32(env, id, &mut argv[0]);
        sys::napi_create_uint32(env, kind, &mut argv[1]);
        sys::napi_create_int32(env, errno, &mut argv[2]);
        sys::napi_create_uint32(env, sc, &mut argv[3]);
        let mut result = ptr::null_mut();
        let status = sys::napi_call_function(env, undefined, js_cb, 4, argv.as_ptr(), &mut result);
        if status == sys::Status::napi_pending_exception {
            // A throwing event handler: surface it as Node does for any callback.
            let mut exc = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut exc);
            sys::napi_fatal_exception(env, exc);
        }
    }
}

unsafe extern "C" fn forget_tsfn(_arg: *mut c_void) {
    let _g = CALL_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    TSFN.store(ptr::null_mut(), Ordering::Release);
}

/// `nsShutdown()`: the process is exiting (JS `'exit'`): from now on workers never call into
/// Node. Earlier and more certain than the environment cleanup hook, which stays as a backstop.
pub unsafe extern "C" fn ns_shutdown(
    env: sys::napi_env,
    _info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        forget_tsfn(ptr::null_mut());
        ptr::null_mut()
    })
}

/// `nsInit(dispatch)`: creates the shared ThreadsafeFunction (once).
pub unsafe extern "C" fn ns_init(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [f] = args::<1>(env, info);
        if !TSFN.load(Ordering::Acquire).is_null() {
            return ptr::null_mut();
        }
        let mut name = ptr::null_mut();
        let n = "sluice-sinks";
        sys::napi_create_string_utf8(
            env,
            n.as_ptr() as *const c_char,
            n.len() as isize,
            &mut name,
        );
        let mut tsfn = ptr::null_mut();
        let st = sys::napi_create_threadsafe_function(
            env,
            f,
            ptr::null_mut(),
            name,
            0,
            1,
            ptr::null_mut(),
            None,
            ptr::null_mut(),
            Some(call_js),
            &mut tsfn,
        );
        if st != sys::Status::napi_ok {
            return throw(env, "sluice: could not create the sink notifier");
        }
        sys::napi_unref_threadsafe_function(env, tsfn);
        TSFN.store(tsfn as *mut c_void, Ordering::Release);
        // Registered after the function, so it runs before Node's own cleanup of it.
        sys::napi_add_env_cleanup_hook(env, Some(forget_tsfn), ptr::null_mut());
        ptr::null_mut()
    })
}

struct Handle {
    sink: Arc<Sink>,
}

unsafe extern "C" fn drop_handle(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let h = Box::from_raw(data as *mut Handle);
        // Collected without being closed: let the worker finish what it has and stop, leaving
        // the descriptor open (see Sink::dispose); nobody hears the events. A sink that never
        // started is released here, without starting a thread (this may run at process exit).
        h.sink.dispose();
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
        let consumer: Box<dyn crate::sinks::Consumer> = match kind {
            0 => {
                let mut fdc = FdConsumer::new(a as i32, b != 0.0);
                if c >= 0.0 {
                    fdc = fdc.at(c as u64);
                }
                Box::new(fdc)
            }
            1 => Box::new(NullConsumer),
            2 => Box::new(MemoryConsumer::new(if a >= 0.0 {
                Some(a as usize)
            } else {
                None
            })),
            3 => Box::new(ThrottleConsumer::new(
                if a > 0.0 { Some(a) } else { None },
                Duration::from_secs_f64((b.max(0.0)) / 1000.0),
            )),
            _ => return throw(env, "sluice: unknown sink kind"),
        };
        let sink = Sink::new(consumer, cap, notify_for(id));
        let h = Box::into_raw(Box::new(Handle { sink }));
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
        Push::Accepted => 0.0,
        Push::Full => 1.0,
        Push::Failed { errno, syscall } => {
            2.0 + (errno as f64) * 8.0 + syscall_code(syscall) as f64
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

/// `nsPush(handle, buffer) -> code`: 0 accepted, 1 full (wait for room), else
/// `2 + errno * 8 + syscall` (failed).
pub unsafe extern "C" fn ns_push(
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
        let (p, became_busy) = h.sink.push(bytes);
        if became_busy {
            busy_add(env, 1);
        }
        let mut r = ptr::null_mut();
        sys::napi_create_double(env, push_code(p), &mut r);
        r
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

/// `nsCollected(handle) -> Buffer | undefined` (a memory sink's bytes).
pub unsafe extern "C" fn ns_collected(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guard(env, || {
        let [h] = args::<1>(env, info);
        let Some(h) = sink_of(env, h) else {
            return throw(env, "sluice: not a sink handle");
        };
        match h.sink.collected() {
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
        }
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
        let job = crate::sinks::CopyJob {
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
    src: Arc<crate::sources::Source>,
}

unsafe extern "C" fn drop_source(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let h = Box::from_raw(data as *mut SourceHandle);
        h.src.dispose();
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
        let src = crate::sources::Source::new(
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
            notify_for(id),
        );
        let h = Box::into_raw(Box::new(SourceHandle { src }));
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
            crate::sources::Take::Chunk(v) => {
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
            crate::sources::Take::Pending => {
                // The reader waits on the worker: keep the process alive until Data.
                busy_add(env, 1);
                0.0
            }
            crate::sources::Take::Eof => 1.0,
            crate::sources::Take::Failed(e) => -(e as f64),
        };
        let mut r = ptr::null_mut();
        sys::napi_create_double(env, code, &mut r);
        r
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
