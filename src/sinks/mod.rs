//! Native sinks: bytes handed over by the JS thread are written by a worker thread, so a slow
//! disk or peer never blocks JS. No napi here: the binding passes a [`Notify`] callback that
//! carries [`Event`]s back to the JS thread (batched there into one wake-up for many events).
//!
//! Hand-over is double-buffered: JS appends to `pending` under a mutex while the worker writes
//! the buffer it took last time. JS only waits when `pending` reaches the capacity while the
//! worker is still busy, and then one [`Event::Room`] wakes it — a wake-up per capacity's worth
//! of data at most, not per chunk or per `highWaterMark`.

pub mod consumers;

use std::io;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

pub use consumers::{Consumer, FdConsumer, MemoryConsumer, NullConsumer, ThrottleConsumer};

/// What a worker reports to the JS thread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// JS was told to wait (`push` answered [`Push::Full`]) and there is room again.
    Room,
    /// Everything handed over before `flush()` is written (and synced when asked); `errno` 0 on
    /// success.
    Flushed { errno: i32 },
    /// The sink failed: every later push fails with the same error.
    Failed { errno: i32, syscall: Syscall },
    /// The worker has nothing to do (the process need not stay alive for this sink).
    Idle,
    /// The worker has stopped and released the resource (`close()` completed).
    Closed { errno: i32 },
    /// A source has data (or end of file, or an error) for a reader that was told to wait.
    Data,
    /// A copy job (native-to-native pipe) finished: `bytes` copied, `errno` 0 on success.
    Copied { bytes: f64, errno: i32 },
}

/// The system call that failed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Syscall {
    Write,
    Fsync,
    Close,
    /// Reading (sources).
    Read,
    /// A sink-defined limit (the memory sink's byte limit).
    Limit,
}

/// Answer of [`Sink::push`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Push {
    /// Taken, and there is room for more: acknowledge the write now.
    Accepted,
    /// Taken, but the buffer is full: acknowledge on [`Event::Room`].
    Full,
    /// The sink has failed (or is closed): the error is in the answer.
    Failed { errno: i32, syscall: Syscall },
}

/// Callback from the worker thread. Must be cheap and must not block.
pub type Notify = Arc<dyn Fn(Event) + Send + Sync>;

#[derive(Default)]
struct State {
    pending: Vec<u8>,
    /// Worker is writing a taken buffer.
    busy: bool,
    /// JS is waiting for room.
    waiting: bool,
    flush_req: bool,
    fsync_req: bool,
    close_req: bool,
    /// Drop what is pending instead of writing it (destroy).
    discard: bool,
    failed: Option<(i32, Syscall)>,
    /// The worker thread has been started.
    started: bool,
    /// Bytes the worker has written.
    written: u64,
    /// The worker reported Idle and nothing arrived since.
    idle_reported: bool,
    /// A native-to-native copy to run after the pending bytes.
    copy: Option<CopyJob>,
    /// Closing because the JS handle was collected: release without closing the resource.
    keep_resource: bool,
}

/// Copy bytes from another descriptor into this sink (a native-to-native pipe).
#[derive(Debug, Clone, Copy)]
pub struct CopyJob {
    /// The source descriptor.
    pub from: std::os::fd::RawFd,
    /// Read from this offset (positioned, the source's `start`), or from the current position.
    pub start: Option<u64>,
    /// At most this many bytes, or to end of file.
    pub limit: Option<u64>,
}

struct Inner {
    m: Mutex<State>,
    cv: Condvar,
    cap: usize,
}

/// One native sink: a consumer driven by its own worker thread.
pub struct Sink {
    inner: Arc<Inner>,
    consumer: Mutex<Option<Box<dyn Consumer>>>,
    memory: Option<Arc<Mutex<Vec<u8>>>>,
    notify: Notify,
}

impl Sink {
    /// A sink over `consumer`; JS waits once `cap` bytes are pending.
    pub fn new(consumer: Box<dyn Consumer>, cap: usize, notify: Notify) -> Arc<Sink> {
        let memory = consumer.memory();
        Arc::new(Sink {
            memory,
            inner: Arc::new(Inner {
                m: Mutex::new(State::default()),
                cv: Condvar::new(),
                cap: cap.max(1),
            }),
            consumer: Mutex::new(Some(consumer)),
            notify,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock means a worker panicked; the state is still consistent enough to
        // report failure, so keep going rather than propagate the panic to JS.
        self.inner.m.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands `bytes` to the worker. Returns the answer and whether the sink went from idle to
    /// busy (the binding then keeps the process alive until [`Event::Idle`]).
    pub fn push(self: &Arc<Self>, bytes: &[u8]) -> (Push, bool) {
        let mut st = self.lock();
        if let Some((errno, syscall)) = st.failed {
            return (Push::Failed { errno, syscall }, false);
        }
        if st.close_req {
            return (
                Push::Failed {
                    errno: 9, // EBADF: closed
                    syscall: Syscall::Write,
                },
                false,
            );
        }
        let was_idle = st.idle_reported || !st.started;
        st.idle_reported = false;
        st.pending.extend_from_slice(bytes);
        let full = st.pending.len() >= self.inner.cap;
        if full {
            st.waiting = true;
        }
        let start = !st.started;
        st.started = true;
        let wake = !st.busy;
        drop(st);
        if start {
            self.start_worker();
        } else if wake {
            self.inner.cv.notify_one();
        }
        (if full { Push::Full } else { Push::Accepted }, was_idle)
    }

    /// Records a request for the worker (`f` edits the state), starting or waking it. Returns
    /// whether the sink was idle (the binding then counts it busy until Idle or Closed).
    fn request(self: &Arc<Self>, f: impl FnOnce(&mut State)) -> bool {
        let mut st = self.lock();
        let was_idle = st.idle_reported || !st.started;
        st.idle_reported = false;
        f(&mut st);
        let start = !st.started;
        st.started = true;
        drop(st);
        if start {
            self.start_worker();
        } else {
            self.inner.cv.notify_one();
        }
        was_idle
    }

    /// Asks for [`Event::Flushed`] once everything pushed so far is written (`fsync`: and
    /// synced to the device).
    pub fn flush(self: &Arc<Self>, fsync: bool) -> bool {
        self.request(|st| {
            st.flush_req = true;
            st.fsync_req |= fsync;
        })
    }

    /// Stops the worker: writes what is pending unless `discard`, then releases the consumer
    /// and reports [`Event::Closed`].
    pub fn close(self: &Arc<Self>, discard: bool) -> bool {
        self.request(|st| {
            st.close_req = true;
            st.discard |= discard;
        })
    }

    /// Queues a copy from another descriptor after everything pushed so far; [`Event::Copied`]
    /// reports its end.
    pub fn copy_from(self: &Arc<Self>, job: CopyJob) -> bool {
        self.request(|st| st.copy = Some(job))
    }

    /// The JS handle is gone: finish up without anyone listening. A sink whose worker never
    /// started is released here, on the calling thread, without starting one.
    ///
    /// The descriptor is left open: a collected stream was never destroyed, and the descriptor
    /// may still belong to someone else (a socket Node itself polls; closing it under libuv
    /// aborts the process at exit). Node's fs streams leak it in the same case.
    pub fn dispose(self: &Arc<Self>) {
        let mut st = self.lock();
        st.keep_resource = true;
        if st.started {
            st.close_req = true;
            drop(st);
            self.inner.cv.notify_one();
            return;
        }
        st.started = true;
        st.close_req = true;
        drop(st);
        self.consumer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }

    /// Bytes written so far by the worker.
    pub fn written(&self) -> u64 {
        self.lock().written
    }

    /// Takes what a memory consumer collected (for `MemorySink.toBuffer()`).
    pub fn collected(&self) -> Option<Vec<u8>> {
        self.memory
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn start_worker(self: &Arc<Self>) {
        let me = self.clone();
        let spawned = thread::Builder::new()
            .name("sluice-sink".into())
            .spawn(move || me.run());
        if spawned.is_err() {
            let mut st = self.lock();
            st.failed = Some((11, Syscall::Write)); // EAGAIN: no thread could be started
            drop(st);
            (self.notify)(Event::Failed {
                errno: 11,
                syscall: Syscall::Write,
            });
        }
    }

    fn run(self: Arc<Self>) {
        let mut consumer = self
            .consumer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let mut buf: Vec<u8> = Vec::new();
        loop {
            // Take work, or wait for it.
            let mut st = self.lock();
            loop {
                if !st.pending.is_empty() && !st.discard && st.failed.is_none() {
                    break;
                }
                if st.flush_req || st.close_req || st.copy.is_some() {
                    break;
                }
                if !st.idle_reported {
                    // Linger briefly before calling the sink idle: a producer that is still
                    // writing will hand over more, and each Idle costs JS a wake-up.
                    let (g, timeout) = self
                        .inner
                        .cv
                        .wait_timeout(st, Duration::from_millis(2))
                        .unwrap_or_else(|e| e.into_inner());
                    st = g;
                    if timeout.timed_out()
                        && st.pending.is_empty()
                        && !st.flush_req
                        && !st.close_req
                    {
                        st.idle_reported = true;
                        drop(st);
                        (self.notify)(Event::Idle);
                        st = self.lock();
                    }
                    continue;
                }
                st = self.inner.cv.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            if st.discard {
                st.pending.clear();
            }
            std::mem::swap(&mut st.pending, &mut buf);
            let room = st.waiting && !buf.is_empty();
            if room {
                st.waiting = false;
            }
            st.busy = true;
            let failed = st.failed;
            drop(st);
            if room {
                (self.notify)(Event::Room);
            }

            let mut result: Result<(), (i32, Syscall)> = Ok(());
            if !buf.is_empty() && failed.is_none() {
                if let Some(c) = consumer.as_mut() {
                    let syscall = c.syscall();
                    result = c.consume(&buf).map_err(|e| (errno_of(&e), syscall));
                }
            }
            let n = buf.len() as u64;
            buf.clear();
            if buf.capacity() > 4 * self.inner.cap {
                buf.shrink_to(self.inner.cap);
            }

            let mut st = self.lock();
            st.busy = false;
            match result {
                Ok(()) => st.written += n,
                Err((errno, syscall)) => {
                    if st.failed.is_none() {
                        st.failed = Some((errno, syscall));
                        st.pending.clear();
                        let waiting = st.waiting;
                        st.waiting = false;
                        drop(st);
                        let _ = waiting;
                        (self.notify)(Event::Failed { errno, syscall });
                        st = self.lock();
                    }
                }
            }
            // A copy runs once the bytes pushed before it are written.
            if st.pending.is_empty() && st.copy.is_some() {
                let job = st.copy.take().unwrap();
                let failed = st.failed;
                drop(st);
                let (bytes, errno) = match (failed, consumer.as_mut()) {
                    (Some((e, _)), _) => (0, e),
                    (None, Some(c)) => match c.copy_from(job) {
                        Ok(n) => (n, 0),
                        Err((n, e)) => (n, errno_of(&e)),
                    },
                    (None, None) => (0, 9),
                };
                st = self.lock();
                st.written += bytes;
                drop(st);
                (self.notify)(Event::Copied {
                    bytes: bytes as f64,
                    errno,
                });
                st = self.lock();
            }
            // Flush once nothing more is pending.
            if st.flush_req && (st.pending.is_empty() || st.failed.is_some() || st.discard) {
                st.flush_req = false;
                let fsync = std::mem::take(&mut st.fsync_req);
                let failed = st.failed;
                drop(st);
                let errno = match failed {
                    Some((e, _)) => e,
                    None => match consumer.as_mut().map(|c| c.flush(fsync)) {
                        Some(Err(e)) => errno_of(&e),
                        _ => 0,
                    },
                };
                (self.notify)(Event::Flushed { errno });
                st = self.lock();
            }
            if st.close_req && (st.pending.is_empty() || st.failed.is_some() || st.discard) {
                st.pending = Vec::new();
                drop(st);
                let keep = self.lock().keep_resource;
                let errno = match consumer.take() {
                    Some(mut c) if !keep => match c.close() {
                        Err(e) => errno_of(&e),
                        Ok(()) => 0,
                    },
                    _ => 0,
                };
                (self.notify)(Event::Closed { errno });
                return;
            }
        }
    }
}

/// The OS error number of an I/O error (EIO when it has none).
pub fn errno_of(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn collect() -> (Notify, mpsc::Receiver<Event>) {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        (
            Arc::new(move |e| {
                let _ = tx.lock().unwrap().send(e);
            }),
            rx,
        )
    }

    fn wait_for(rx: &mpsc::Receiver<Event>, want: fn(&Event) -> bool) -> Event {
        loop {
            let e = rx.recv_timeout(Duration::from_secs(5)).expect("event");
            if want(&e) {
                return e;
            }
        }
    }

    #[test]
    fn memory_sink_collects_everything_in_order_before_flushed() {
        let (notify, rx) = collect();
        let sink = Sink::new(Box::new(MemoryConsumer::new(None)), 8, notify);
        let mut expected = Vec::new();
        for i in 0..1000u32 {
            let chunk = i.to_le_bytes();
            expected.extend_from_slice(&chunk);
            let (ans, _) = sink.push(&chunk);
            if ans == Push::Full {
                wait_for(&rx, |e| *e == Event::Room);
            }
        }
        sink.flush(false);
        wait_for(&rx, |e| matches!(e, Event::Flushed { errno: 0 }));
        assert_eq!(sink.collected().unwrap(), expected);
        assert_eq!(sink.written(), expected.len() as u64);
    }

    #[test]
    fn memory_limit_fails_the_sink() {
        let (notify, rx) = collect();
        let sink = Sink::new(Box::new(MemoryConsumer::new(Some(4))), 1024, notify);
        sink.push(b"12345");
        let e = wait_for(&rx, |e| matches!(e, Event::Failed { .. }));
        assert!(matches!(
            e,
            Event::Failed {
                syscall: Syscall::Limit,
                ..
            }
        ));
        assert!(matches!(sink.push(b"x").0, Push::Failed { .. }));
    }

    #[test]
    fn close_reports_closed_once_pending_bytes_are_written() {
        let (notify, rx) = collect();
        let sink = Sink::new(Box::new(MemoryConsumer::new(None)), 1024, notify);
        sink.push(b"abc");
        sink.close(false);
        wait_for(&rx, |e| matches!(e, Event::Closed { errno: 0 }));
        assert_eq!(sink.written(), 3);
    }

    #[test]
    fn a_write_error_is_reported_with_its_errno() {
        let (notify, rx) = collect();
        let f = std::fs::OpenOptions::new().write(true).open("/dev/full");
        let Ok(f) = f else { return };
        use std::os::fd::IntoRawFd;
        let sink = Sink::new(
            Box::new(FdConsumer::new(f.into_raw_fd(), true)),
            1024,
            notify,
        );
        sink.push(b"hello");
        let e = wait_for(&rx, |e| matches!(e, Event::Failed { .. }));
        assert_eq!(
            e,
            Event::Failed {
                errno: 28,
                syscall: Syscall::Write
            },
            "ENOSPC"
        );
        sink.close(true);
        wait_for(&rx, |e| matches!(e, Event::Closed { .. }));
    }
}
