//! Native events: how the sinks' and sources' worker threads reach the JS thread that owns them.
//!
//! One [`Channel`] per Node environment (the main thread and each worker thread), kept in that
//! environment's N-API instance data: nothing process-global, so one environment's teardown
//! (a worker exits or is terminated) cannot break another's delivery. A sink or source captures
//! its environment's channel when it is created, and its events go there and nowhere else.
//!
//! Wake-ups: a worker appends its event to the channel's queue and calls the environment's
//! ThreadsafeFunction only if no call is already on its way, so any number of events from any
//! number of sinks of that environment cost one wake-up of its JS thread per batch.
//!
//! Process lifetime: the ThreadsafeFunction is unreferenced while every sink of the environment
//! is idle, so idle sinks never keep it alive; a sink that has been handed data (or asked to
//! flush or close) counts as busy until its worker reports `Idle` or `Closed`.
//!
//! Teardown: the environment's cleanup hook (and, earlier, the JS `'exit'` event through
//! [`shutdown`]) forgets the function under the channel's call lock; from then on workers drop
//! their events instead of calling into an environment that is going away (that would abort the
//! process in libuv). The workers themselves carry on writing out what their sinks accepted.

use napi::sys;
use sluice_core::sinks::{Event, Notify, Teardown};
use std::ffi::{c_char, c_void};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

pub use sluice_core::protocol::native::kind;

/// One environment's event delivery.
pub struct Channel {
    /// The environment's ThreadsafeFunction; null once the environment is going away.
    tsfn: AtomicPtr<c_void>,
    /// A call of the function is on its way: later events ride along with it.
    scheduled: AtomicBool,
    /// Events not yet delivered, in the order the workers reported them.
    queue: Mutex<Vec<(u32, Event)>>,
    /// Held while a worker calls the function, and while teardown forgets it.
    call_lock: Mutex<()>,
    /// Busy sinks and waits; only this environment's JS thread changes it.
    busy: AtomicU32,
    /// The sinks and sources this environment created, finished at its teardown.
    members: Mutex<Vec<(Weak<dyn Teardown>, Duration)>>,
}

impl Channel {
    fn tsfn(&self) -> sys::napi_threadsafe_function {
        self.tsfn.load(Ordering::Acquire) as sys::napi_threadsafe_function
    }

    /// Forgets the function: no worker calls it afterwards.
    fn forget(&self) {
        let _g = self.call_lock.lock().unwrap_or_else(|e| e.into_inner());
        self.tsfn.store(ptr::null_mut(), Ordering::Release);
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn post(&self, id: u32, event: Event) {
        if self.tsfn().is_null() {
            // Nobody can hear it any more (the environment is gone or exiting).
            return;
        }
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, event));
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            let _g = self.call_lock.lock().unwrap_or_else(|e| e.into_inner());
            let tsfn = self.tsfn();
            if !tsfn.is_null() {
                // SAFETY: the function is alive: teardown nulls it under `call_lock`, which we
                // hold, before Node releases it.
                unsafe {
                    sys::napi_call_threadsafe_function(
                        tsfn,
                        ptr::null_mut(),
                        sys::ThreadsafeFunctionCallMode::nonblocking,
                    );
                }
            }
        }
    }
}

/// The environment's channel, if [`init`] made one.
unsafe fn channel<'a>(env: sys::napi_env) -> Option<&'a Arc<Channel>> {
    let mut p: *mut c_void = ptr::null_mut();
    if sys::napi_get_instance_data(env, &mut p) != sys::Status::napi_ok || p.is_null() {
        return None;
    }
    // SAFETY: the only instance data this addon sets is a `Box<Arc<Channel>>` (in `init`),
    // freed by `drop_instance` when the environment is destroyed.
    Some(&*(p as *const Arc<Channel>))
}

unsafe extern "C" fn drop_instance(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(|| drop(Box::from_raw(data as *mut Arc<Channel>)));
}

unsafe extern "C" fn drop_context(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(|| drop(Arc::from_raw(data as *const Channel)));
}

unsafe extern "C" fn cleanup(arg: *mut c_void) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: `arg` is the `Arc` reference `init` leaked for this hook; taken back here.
        let ch = Arc::from_raw(arg as *const Channel);
        ch.forget();
        // The environment is going (a worker exits or is terminated, or the process ends):
        // its own sinks write out what they accepted and its sources stop, before Node closes
        // the environment's remaining descriptors (its hook for that runs after ours). No
        // other environment's sinks are touched.
        let members = std::mem::take(&mut *ch.members.lock().unwrap_or_else(|e| e.into_inner()));
        for (m, timeout) in members {
            if let Some(m) = m.upgrade() {
                m.finish_blocking(timeout);
            }
        }
    });
}

/// Records a sink or source of this environment, to be finished at its teardown (waiting at
/// most `timeout` for it).
pub unsafe fn adopt(env: sys::napi_env, member: Weak<dyn Teardown>, timeout: Duration) {
    let Some(ch) = channel(env) else { return };
    let mut m = ch.members.lock().unwrap_or_else(|e| e.into_inner());
    // Forget the ones already gone now and then, so the list stays as long as the live set.
    if m.len() >= 64 && m.len().is_power_of_two() {
        m.retain(|(w, _)| w.strong_count() > 0);
    }
    m.push((member, timeout));
}

/// Creates the environment's channel and ThreadsafeFunction (once per environment), with
/// `dispatch` as the JS function that receives the events.
pub unsafe fn init(env: sys::napi_env, dispatch: sys::napi_value) -> Result<(), &'static str> {
    if channel(env).is_some() {
        return Ok(());
    }
    let ch = Arc::new(Channel {
        tsfn: AtomicPtr::new(ptr::null_mut()),
        scheduled: AtomicBool::new(false),
        queue: Mutex::new(Vec::new()),
        call_lock: Mutex::new(()),
        busy: AtomicU32::new(0),
        members: Mutex::new(Vec::new()),
    });
    let mut name = ptr::null_mut();
    let n = "sluice-events";
    sys::napi_create_string_utf8(
        env,
        n.as_ptr() as *const c_char,
        n.len() as isize,
        &mut name,
    );
    let context = Arc::into_raw(ch.clone()) as *mut c_void;
    let mut tsfn = ptr::null_mut();
    let st = sys::napi_create_threadsafe_function(
        env,
        dispatch,
        ptr::null_mut(),
        name,
        0,
        1,
        context,
        Some(drop_context),
        context,
        Some(call_js),
        &mut tsfn,
    );
    if st != sys::Status::napi_ok {
        drop(Arc::from_raw(context as *const Channel));
        return Err("sluice: could not create the event channel");
    }
    sys::napi_unref_threadsafe_function(env, tsfn);
    ch.tsfn.store(tsfn as *mut c_void, Ordering::Release);
    // Registered after the function, so it runs before Node's own cleanup of it.
    sys::napi_add_env_cleanup_hook(env, Some(cleanup), Arc::into_raw(ch.clone()) as *mut c_void);
    let data = Box::into_raw(Box::new(ch)) as *mut c_void;
    sys::napi_set_instance_data(env, data, Some(drop_instance), ptr::null_mut());
    Ok(())
}

/// The JS `'exit'` event: this environment hears no more events (earlier and more certain than
/// the cleanup hook, which stays as a backstop).
pub unsafe fn shutdown(env: sys::napi_env) {
    if let Some(ch) = channel(env) {
        ch.forget();
    }
}

/// The notifier a sink or source with this `id` reports through: its creating environment's.
/// `None` before [`init`].
pub unsafe fn notify_for(env: sys::napi_env, id: u32) -> Option<Notify> {
    let ch = channel(env)?.clone();
    Some(Arc::new(move |event| ch.post(id, event)))
}

/// Changes the environment's busy count, referencing its function while it is above zero.
pub unsafe fn busy_add(env: sys::napi_env, delta: i32) {
    if let Some(ch) = channel(env) {
        ch.busy_add(env, delta);
    }
}

/// The environment's channel, for a handle to keep (its finalizer may run during the
/// environment's teardown, when the instance data may already be gone).
pub unsafe fn channel_of(env: sys::napi_env) -> Option<Arc<Channel>> {
    channel(env).cloned()
}

impl Channel {
    /// [`busy_add`] on this channel; `env` must be its environment, on its JS thread.
    pub unsafe fn busy_add(&self, env: sys::napi_env, delta: i32) {
        let tsfn = self.tsfn();
        if tsfn.is_null() {
            // Gone or going: nothing to keep alive.
            return;
        }
        let before = self.busy.load(Ordering::Relaxed);
        let after = (before as i64 + delta as i64).max(0) as u32;
        self.busy.store(after, Ordering::Relaxed);
        if before == 0 && after > 0 {
            sys::napi_ref_threadsafe_function(env, tsfn);
        } else if before > 0 && after == 0 {
            sys::napi_unref_threadsafe_function(env, tsfn);
        }
    }
}

/// Runs on the environment's JS thread: delivers every queued event.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    js_cb: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    // A panic must not unwind into Node (it would abort the process).
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `context` is the `Arc<Channel>` reference the function owns until its
        // finalizer (`drop_context`), which runs after the last call.
        let ch = &*(context as *const Channel);
        deliver(env, js_cb, ch)
    }));
}

unsafe fn deliver(env: sys::napi_env, js_cb: sys::napi_value, ch: &Channel) {
    if env.is_null() || js_cb.is_null() {
        // The environment is being torn down: drop the events.
        ch.queue.lock().unwrap_or_else(|e| e.into_inner()).clear();
        return;
    }
    ch.scheduled.store(false, Ordering::Release);
    let events = std::mem::take(&mut *ch.queue.lock().unwrap_or_else(|e| e.into_inner()));
    let mut undefined = ptr::null_mut();
    sys::napi_get_undefined(env, &mut undefined);
    for (id, event) in events {
        let (k, errno, extra) = match event {
            Event::Room => (kind::ROOM, 0, 0.0),
            Event::Flushed { errno } => (kind::FLUSHED, errno, 0.0),
            Event::Failed { errno, syscall } => (
                kind::FAILED,
                errno,
                super::sinks::syscall_code(syscall) as f64,
            ),
            Event::Idle => {
                busy_add(env, -1);
                (kind::IDLE, 0, 0.0)
            }
            Event::Data => {
                // Ends the wait that srcTake's Pending began.
                busy_add(env, -1);
                (kind::DATA, 0, 0.0)
            }
            Event::Copied { bytes, errno } => {
                busy_add(env, -1);
                (kind::COPIED, errno, bytes)
            }
            Event::Closed { errno } => {
                // close() always opens a busy episode (or finds one open); Closed ends it.
                busy_add(env, -1);
                (kind::CLOSED, errno, 0.0)
            }
        };
        let mut argv = [ptr::null_mut(); 4];
        sys::napi_create_uint32(env, id, &mut argv[0]);
        sys::napi_create_uint32(env, k, &mut argv[1]);
        sys::napi_create_int32(env, errno, &mut argv[2]);
        sys::napi_create_double(env, extra, &mut argv[3]);
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
