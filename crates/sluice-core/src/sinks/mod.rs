//! Native sinks: bytes handed over by the JS thread are written by a task on the process's I/O
//! runtime ([`crate::runtime`]), so a slow disk or peer never blocks JS. No napi here: the binding passes a [`Notify`] callback that
//! carries [`Event`]s back to the JS thread (batched there into one wake-up for many events).
//!
//! Hand-over is double-buffered: JS appends to `pending` under a mutex while the worker writes
//! the buffer it took last time. JS only waits when `pending` reaches the capacity while the
//! worker is still busy, and then one [`Event::Room`] wakes it — a wake-up per capacity's worth
//! of data at most, not per chunk or per `highWaterMark`.

pub mod consumers;

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::io::unix::AsyncFd;
use tokio::sync::Notify as Wake;

pub use consumers::{Consumer, FdConsumer, MemoryConsumer, Mode, NullConsumer, ThrottleConsumer};

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

/// The size of a block of the write queue: JS hands queued bytes over in blocks of this size
/// (its staging block), and smaller hand-overs fill the last block up to it.
const QUEUE_BLOCK: usize = 64 * 1024;

/// The most batches a blocking-pool thread writes for one sink before it hands the sink back
/// to its task (see [`Io::consume_chained`]): 64 batches of up to the sink's capacity (1 MiB by
/// default), ~20 ms of page-cache writes.
const CHAIN_LIMIT: usize = 64;

/// Callback from the worker thread. Must be cheap and must not block.
pub type Notify = Arc<dyn Fn(Event) + Send + Sync>;

/// Waits on `cv` (with `guard` of its mutex) until `done` holds or `deadline` passes; gives the
/// guard back and whether `done` holds.
pub(crate) fn wait_until<'a, T>(
    mut guard: std::sync::MutexGuard<'a, T>,
    cv: &Condvar,
    deadline: Instant,
    done: impl Fn(&T) -> bool,
) -> (std::sync::MutexGuard<'a, T>, bool) {
    while !done(&guard) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (guard, false);
        }
        guard = cv
            .wait_timeout(guard, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    (guard, true)
}

/// What an environment's teardown does with the sinks and sources it created: let each write
/// out (or stop reading) and wait, at most `timeout`, until its task no longer touches the
/// descriptor. Node closes a worker thread's remaining fs descriptors right after its cleanup
/// hooks; a task still writing then would write into whatever file takes the number next.
pub trait Teardown: Send + Sync {
    fn finish_blocking(&self, timeout: Duration);
}

#[derive(Default)]
struct State {
    pending: Vec<u8>,
    /// The sink's write queue: bytes of writes the Writable buffered (counted in
    /// `writableLength`, not acknowledged), oldest first, in the blocks JS handed them over in.
    /// The worker never sees them: [`Sink::promote`] moves them into `pending` when the
    /// Writable hands those writes to the sink, as Node's queue hands its chunks to `_writev`.
    queued: std::collections::VecDeque<Vec<u8>>,
    /// Bytes of `queued[0]` already moved.
    queued_off: usize,
    /// Bytes in `queued` (after `queued_off`).
    queued_len: usize,
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
    /// The worker task has been started.
    started: bool,
    /// Bytes the worker has written.
    written: u64,
    /// The worker reported Idle and nothing arrived since.
    idle_reported: bool,
    /// Bytes were pushed with the wake deferred while the worker was not writing.
    wake_owed: bool,
    /// A native-to-native copy to run after the pending bytes.
    copy: Option<CopyJob>,
    /// Closing because the JS handle was collected: release without closing the resource.
    keep_resource: bool,
    /// The worker task has returned (or will never run): nothing touches the resource any more.
    stopped: bool,
}

impl State {
    /// The worker takes what is pending into `buf` (an empty buffer, which `pending` keeps for
    /// reuse); no wake is owed any more. Returns whether JS waits for room and now has it
    /// (then send [`Event::Room`]).
    fn take_pending(&mut self, buf: &mut Vec<u8>) -> bool {
        self.wake_owed = false;
        std::mem::swap(&mut self.pending, buf);
        let room = self.waiting && !buf.is_empty();
        if room {
            self.waiting = false;
        }
        room
    }
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
    /// Wakes the worker task (a stored permit: a wake before it waits is not lost).
    wake: Wake,
    /// Signalled whenever the worker finishes a batch (for [`Sink::drain_sync`] at exit).
    batch_done: Condvar,
    cap: usize,
}

/// One native sink: a consumer driven by its own task on the I/O runtime.
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
                wake: Wake::new(),
                batch_done: Condvar::new(),
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
        self.push_with(bytes, false)
    }

    /// [`Sink::push`], but with `defer_wake` a parked worker is not woken for these bytes (unless
    /// they fill the buffer): the caller promises a later push without it (or a flush or close)
    /// in the same turn. Waking the worker costs the pushing thread 10-30 µs on average on a
    /// busy 2-core machine (the woken thread often preempts it), and milliseconds now and then;
    /// a producer that hands over a block every few microseconds wakes it once per turn instead
    /// of once per block. A busy worker is never woken: it looks for more before it parks.
    pub fn push_with(self: &Arc<Self>, bytes: &[u8], defer_wake: bool) -> (Push, bool) {
        let mut st = self.lock();
        if let Some((errno, syscall)) = st.failed {
            return (Push::Failed { errno, syscall }, false);
        }
        if st.close_req {
            return (
                Push::Failed {
                    errno: libc::EBADF, // closed
                    syscall: Syscall::Write,
                },
                false,
            );
        }
        if bytes.is_empty() {
            // Only the wake owed for earlier pushes (no bytes: no new busy episode either).
            let wake = st.started && st.wake_owed && !st.busy && !st.pending.is_empty();
            st.wake_owed = false;
            drop(st);
            if wake {
                self.inner.wake.notify_one();
            }
            return (Push::Accepted, false);
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
        // A worker that is writing takes these bytes on its next look, before it parks; one that
        // is not may be parked: wake it, once per wake owed (the wake is a stored permit, so it
        // is never lost between its look and its wait).
        let wake = !st.busy && (full || !defer_wake);
        st.wake_owed = !wake && !st.busy;
        drop(st);
        if start {
            self.start_worker();
        } else if wake {
            self.inner.wake.notify_one();
        }
        (if full { Push::Full } else { Push::Accepted }, was_idle)
    }

    /// Appends `bytes` to the sink's write queue (see [`State::queued`]): writes the Writable
    /// buffered, held here rather than as one JS object per chunk. Nothing is written until
    /// [`Sink::promote`] moves them. Answers [`Push::Failed`] once the sink has failed or is
    /// closing (the bytes are dropped: those writes will fail too), [`Push::Accepted`] otherwise.
    pub fn enqueue(&self, bytes: &[u8]) -> Push {
        let mut st = self.lock();
        if let Some(p) = Self::refused(&st) {
            return p;
        }
        if bytes.is_empty() {
            return Push::Accepted;
        }
        st.queued_len += bytes.len();
        // Small hand-overs (a block cut short at the end of a turn) join the last block while
        // it has room, so the queue stays a few large blocks.
        match st.queued.back_mut() {
            Some(last) if last.len() + bytes.len() <= last.capacity() => {
                last.extend_from_slice(bytes)
            }
            _ => {
                let mut v = Vec::with_capacity(bytes.len().max(QUEUE_BLOCK));
                v.extend_from_slice(bytes);
                st.queued.push_back(v);
            }
        }
        Push::Accepted
    }

    /// The Writable hands the sink `n` bytes of its queue (the oldest): they move from the
    /// write queue to `pending`, where the worker takes them, as far as the capacity allows.
    /// Returns the answer, the bytes of the `n` still queued (more than 0 only with
    /// [`Push::Full`]: move them after [`Event::Room`]) and whether the sink went from idle to
    /// busy (as [`Sink::push`]). A request for more than the queue holds moves what it holds.
    pub fn promote(self: &Arc<Self>, n: usize) -> (Push, usize, bool) {
        let mut st = self.lock();
        if let Some(p) = Self::refused(&st) {
            return (p, 0, false);
        }
        let want = n.min(st.queued_len);
        if want == 0 {
            let full = st.pending.len() >= self.inner.cap;
            st.waiting |= full;
            return (if full { Push::Full } else { Push::Accepted }, 0, false);
        }
        // Up to the capacity, like a batch handed over chunk by chunk: what does not fit stays
        // counted in writableLength until the worker has taken the buffer.
        let room = self.inner.cap.saturating_sub(st.pending.len());
        let mut left = want.min(room);
        let moved = left;
        {
            let State {
                pending,
                queued,
                queued_off,
                ..
            } = &mut *st;
            while left > 0 {
                let Some(front) = queued.front() else {
                    break;
                };
                let flen = front.len();
                let k = left.min(flen - *queued_off);
                pending.extend_from_slice(&front[*queued_off..*queued_off + k]);
                left -= k;
                if *queued_off + k == flen {
                    queued.pop_front();
                    *queued_off = 0;
                } else {
                    *queued_off += k;
                }
            }
        }
        st.queued_len -= moved;
        let remaining = want - moved;
        let full = remaining > 0 || st.pending.len() >= self.inner.cap;
        if full {
            st.waiting = true;
        }
        if moved == 0 {
            // Nothing moved (the buffer is full): the worker will take `pending` and send Room.
            let wake = st.started && !st.busy;
            drop(st);
            if wake {
                self.inner.wake.notify_one();
            }
            return (Push::Full, remaining, false);
        }
        let was_idle = st.idle_reported || !st.started;
        st.idle_reported = false;
        let start = !st.started;
        st.started = true;
        let wake = !st.busy;
        st.wake_owed = false;
        drop(st);
        if start {
            self.start_worker();
        } else if wake {
            self.inner.wake.notify_one();
        }
        (
            if full { Push::Full } else { Push::Accepted },
            remaining,
            was_idle,
        )
    }

    /// Bytes in the write queue.
    pub fn queued_len(&self) -> usize {
        self.lock().queued_len
    }

    /// Why the sink takes no more bytes (failed, or closing), as a push answer.
    fn refused(st: &State) -> Option<Push> {
        if let Some((errno, syscall)) = st.failed {
            return Some(Push::Failed { errno, syscall });
        }
        if st.close_req {
            return Some(Push::Failed {
                errno: libc::EBADF, // closed
                syscall: Syscall::Write,
            });
        }
        None
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
            self.inner.wake.notify_one();
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
            // Queued writes are not the sink's yet: a destroyed Writable fails them.
            st.queued = std::collections::VecDeque::new();
            st.queued_off = 0;
            st.queued_len = 0;
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
    ///
    /// Returns whether this opened a busy episode, as [`Sink::close`] does: the worker had
    /// reported [`Event::Idle`] and will now report [`Event::Closed`], which the binding counts
    /// as the end of one. (Not counted, that `Closed` ended another sink's episode instead: a
    /// collected idle sink let the process exit under a busy one.)
    pub fn dispose(self: &Arc<Self>) -> bool {
        let mut st = self.lock();
        st.keep_resource = true;
        if st.started {
            let opened = st.idle_reported && !st.close_req && !st.stopped;
            st.idle_reported = false;
            st.close_req = true;
            drop(st);
            self.inner.wake.notify_one();
            return opened;
        }
        st.started = true;
        st.close_req = true;
        st.stopped = true;
        drop(st);
        self.consumer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        false
    }

    /// The process is exiting: takes the bytes the worker has not taken yet, after waiting (at
    /// most `timeout`) for the batch it is writing, so the caller can write them itself, in
    /// order, on its own thread. Returns them with the count the worker wrote, or `None` when
    /// the worker is still busy after `timeout` (a peer that does not read).
    pub fn drain_sync(&self, timeout: Duration) -> Option<(Vec<u8>, u64)> {
        self.drain_sync_all(timeout).map(|(p, _, w)| (p, w))
    }

    /// [`Sink::drain_sync`], with the write queue too (the third value, between them the
    /// count written): everything the sink was handed, acknowledged or not, for the caller
    /// to write in order.
    pub fn drain_sync_all(&self, timeout: Duration) -> Option<(Vec<u8>, Vec<u8>, u64)> {
        let deadline = Instant::now() + timeout;
        let mut st = self.lock();
        // From now on the worker takes nothing more: what it had not taken is the caller's.
        st.discard = true;
        let pending = std::mem::take(&mut st.pending);
        let mut queued = Vec::with_capacity(st.queued_len);
        let off = std::mem::take(&mut st.queued_off);
        for (i, b) in std::mem::take(&mut st.queued).iter().enumerate() {
            queued.extend_from_slice(if i == 0 { &b[off..] } else { b });
        }
        st.queued_len = 0;
        let (st, idle) = wait_until(st, &self.inner.batch_done, deadline, |st| !st.busy);
        idle.then(|| (pending, queued, st.written))
    }

    /// Whether the busy episode that the last [`Event::Idle`] ended is still the last one: the
    /// worker is idle (or stopped) and no bytes or request have reached it since. The binding's
    /// JS side keeps a sink's stream alive while it is busy and lets it go on an `Idle` only
    /// when this holds (an `Idle` may arrive after a push that began the next episode).
    pub fn is_idle(&self) -> bool {
        let st = self.lock();
        st.idle_reported || st.stopped
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
        match crate::runtime::handle() {
            Some(rt) => {
                rt.spawn(me.run());
            }
            None => {
                let mut st = self.lock();
                st.failed = Some((libc::EAGAIN, Syscall::Write)); // no runtime thread could start
                drop(st);
                (self.notify)(Event::Failed {
                    errno: libc::EAGAIN,
                    syscall: Syscall::Write,
                });
            }
        }
    }

    async fn run(self: Arc<Self>) {
        let consumer = self
            .consumer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let mut io = Io::new(consumer);
        let mut buf: Vec<u8> = Vec::new();
        loop {
            // Take work, or wait for it. (No lock guard lives across an await: the task may
            // move between runtime threads there.)
            loop {
                let (has_work, idle_reported) = {
                    let st = self.lock();
                    let has_work = (!st.pending.is_empty() && !st.discard && st.failed.is_none())
                        || st.flush_req
                        || st.close_req
                        || st.copy.is_some();
                    (has_work, st.idle_reported)
                };
                if has_work {
                    break;
                }
                if !idle_reported {
                    // Linger briefly before calling the sink idle: a producer that is still
                    // writing will hand over more, and each Idle costs JS a wake-up.
                    let woken =
                        tokio::time::timeout(Duration::from_millis(2), self.inner.wake.notified())
                            .await
                            .is_ok();
                    if !woken && self.mark_idle() {
                        (self.notify)(Event::Idle);
                    }
                    continue;
                }
                self.inner.wake.notified().await;
            }
            let (room, failed) = {
                let mut st = self.lock();
                if st.discard {
                    st.pending.clear();
                }
                let room = st.take_pending(&mut buf);
                st.busy = true;
                (room, st.failed)
            };
            if room {
                (self.notify)(Event::Room);
            }

            let mut result: Result<(), (i32, Syscall)> = Ok(());
            if !buf.is_empty() && failed.is_none() {
                let (b, r) = if io.mode == Mode::Blocking {
                    io.consume_chained(self.clone(), buf).await
                } else {
                    io.consume(buf).await
                };
                buf = b;
                result = r;
            }
            let n = buf.len() as u64;
            buf.clear();
            if buf.capacity() > 4 * self.inner.cap {
                buf.shrink_to(self.inner.cap);
            }

            let failure = {
                let mut st = self.lock();
                st.busy = false;
                self.inner.batch_done.notify_all();
                match result {
                    Ok(()) => {
                        st.written += n;
                        None
                    }
                    Err((errno, syscall)) if st.failed.is_none() => {
                        st.failed = Some((errno, syscall));
                        st.pending.clear();
                        st.waiting = false;
                        Some(Event::Failed { errno, syscall })
                    }
                    Err(_) => None,
                }
            };
            if let Some(e) = failure {
                (self.notify)(e);
            }
            // A copy runs once the bytes pushed before it are written.
            let copy = {
                let mut st = self.lock();
                if st.pending.is_empty() {
                    st.copy.take().map(|job| (job, st.failed))
                } else {
                    None
                }
            };
            if let Some((job, failed)) = copy {
                let (bytes, errno) = match failed {
                    Some((e, _)) => (0, e),
                    None => io.copy_from(job).await,
                };
                self.lock().written += bytes;
                (self.notify)(Event::Copied {
                    bytes: bytes as f64,
                    errno,
                });
            }
            // Flush once nothing more is pending.
            let flush = {
                let mut st = self.lock();
                if st.flush_req && (st.pending.is_empty() || st.failed.is_some() || st.discard) {
                    st.flush_req = false;
                    Some((std::mem::take(&mut st.fsync_req), st.failed))
                } else {
                    None
                }
            };
            if let Some((fsync, failed)) = flush {
                let errno = match failed {
                    Some((e, _)) => e,
                    None => io.flush(fsync).await,
                };
                (self.notify)(Event::Flushed { errno });
            }
            let close = {
                let mut st = self.lock();
                if st.close_req && (st.pending.is_empty() || st.failed.is_some() || st.discard) {
                    st.pending = Vec::new();
                    Some(st.keep_resource)
                } else {
                    None
                }
            };
            if let Some(keep) = close {
                let errno = io.close(keep).await;
                self.lock().stopped = true;
                self.inner.batch_done.notify_all();
                (self.notify)(Event::Closed { errno });
                return;
            }
        }
    }

    /// On the blocking pool, after a batch was written: takes the next batch if plain bytes are
    /// all there is to do (nothing failed, no flush, close, copy or exit asked for), counting
    /// the written one, so a producer that keeps the sink busy costs no round trip through the
    /// task per batch. `false`: back to the task, with `buf` (the written batch) still uncounted.
    fn next_chained(&self, buf: &mut Vec<u8>) -> bool {
        let mut st = self.lock();
        if st.pending.is_empty()
            || st.discard
            || st.failed.is_some()
            || st.flush_req
            || st.close_req
            || st.copy.is_some()
        {
            return false;
        }
        st.written += buf.len() as u64;
        buf.clear();
        // As the task's own take (the worker stays busy, so JS wakes nobody for these bytes).
        let room = st.take_pending(buf);
        // A waiter at exit (drain_sync_all) wants a batch boundary, not idleness: it set
        // `discard`, which ends the chain at the next look.
        self.inner.batch_done.notify_all();
        drop(st);
        if room {
            (self.notify)(Event::Room);
        }
        true
    }

    /// After the linger: the sink is idle if nothing arrived meanwhile (then report it once).
    fn mark_idle(&self) -> bool {
        let mut st = self.lock();
        if st.pending.is_empty() && !st.flush_req && !st.close_req && !st.idle_reported {
            st.idle_reported = true;
            true
        } else {
            false
        }
    }
}

impl Teardown for Sink {
    fn finish_blocking(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut st = self.lock();
        // As a collected handle: write out what was accepted, leave the descriptor to its owner.
        st.keep_resource = true;
        if !st.started {
            st.started = true;
            st.stopped = true;
        }
        st.close_req = true;
        self.inner.wake.notify_one();
        let _ = wait_until(st, &self.inner.batch_done, deadline, |st| st.stopped);
    }
}

/// A descriptor registered with the runtime's reactor (readiness only: it is not owned).
struct Fd(RawFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// A sink's consumer as its task drives it: where each operation runs depends on the
/// consumer's [`Mode`].
struct Io {
    /// `None` once closed (or lost to a panic in the blocking pool).
    consumer: Option<Box<dyn Consumer>>,
    mode: Mode,
}

/// What an operation reports when the consumer is gone.
const EBADF: i32 = libc::EBADF;

impl Io {
    fn new(consumer: Option<Box<dyn Consumer>>) -> Io {
        let mode = consumer.as_ref().map_or(Mode::Inline, |c| c.mode());
        Io { consumer, mode }
    }

    /// Runs `f` on the consumer where its mode says: inline, or on the blocking pool (moving
    /// the consumer there and back).
    async fn run<R: Send + 'static>(
        &mut self,
        f: impl FnOnce(&mut Box<dyn Consumer>) -> R + Send + 'static,
        gone: R,
    ) -> R {
        let Some(mut c) = self.consumer.take() else {
            return gone;
        };
        if self.mode == Mode::Inline {
            let r = f(&mut c);
            self.consumer = Some(c);
            return r;
        }
        match tokio::task::spawn_blocking(move || {
            let r = f(&mut c);
            (c, r)
        })
        .await
        {
            Ok((c, r)) => {
                self.consumer = Some(c);
                r
            }
            // A panic in the consumer: it is gone; the sink fails from here on.
            Err(_) => gone,
        }
    }

    /// Writes the whole batch; hands the buffer back for reuse.
    async fn consume(&mut self, buf: Vec<u8>) -> (Vec<u8>, Result<(), (i32, Syscall)>) {
        let syscall = self
            .consumer
            .as_ref()
            .map_or(Syscall::Write, |c| c.syscall());
        let wait = self
            .consumer
            .as_mut()
            .map_or(Duration::ZERO, |c| c.pace(buf.len()));
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        if let Mode::Ready(fd) = self.mode {
            // Registered for this batch only, and dropped (deregistered) before the batch is
            // acknowledged: a descriptor lent by the user may be closed, and its number reused
            // by another sink's descriptor, once the stream has finished; a registration kept
            // past that would deregister the wrong descriptor.
            // SAFETY: the descriptor stays open while registered: the stream has not finished
            // (its owner must not close it yet), and `close` runs after the last batch.
            let registered =
                unsafe { AsyncFd::register_with_interest(Fd(fd), tokio::io::Interest::WRITABLE) };
            match (registered, self.consumer.as_mut()) {
                (Ok(ready), Some(c)) => {
                    let mut off = 0;
                    while off < buf.len() {
                        let mut guard = match ready.writable().await {
                            Ok(g) => g,
                            Err(e) => return (buf, Err((errno_of(&e), syscall))),
                        };
                        match guard.try_io(|_| c.try_consume(&buf[off..])) {
                            Ok(Ok(n)) => off += n,
                            Ok(Err(e)) => return (buf, Err((errno_of(&e), syscall))),
                            // Not writable after all: readiness was cleared, wait again.
                            Err(_would_block) => {}
                        }
                    }
                    return (buf, Ok(()));
                }
                // The reactor cannot watch it (epoll refuses some descriptors): write it on
                // the blocking pool from now on.
                (Err(_), _) => self.mode = Mode::Blocking,
                (Ok(_), None) => {}
            }
        }
        let gone = (Vec::new(), Err((EBADF, syscall)));
        self.run(
            move |c| {
                let r = c.consume(&buf).map_err(|e| (errno_of(&e), syscall));
                (buf, r)
            },
            gone,
        )
        .await
    }

    /// [`Io::consume`] for a [`Mode::Blocking`] consumer, chained: the pool thread that wrote
    /// the batch goes on with the next one while the producer keeps bytes pending
    /// ([`Sink::next_chained`]). Each hop between the task and the pool is a cross-thread wake
    /// (tens of µs, milliseconds when the machine is busy); one per 1 MiB batch kept the
    /// writer idle half of the time while a fast producer waited for room. A chain gives its
    /// pool thread back after [`CHAIN_LIMIT`] batches, so a sink that never runs dry does not
    /// keep a thread the other sinks' batches need.
    async fn consume_chained(
        &mut self,
        sink: Arc<Sink>,
        buf: Vec<u8>,
    ) -> (Vec<u8>, Result<(), (i32, Syscall)>) {
        let syscall = self
            .consumer
            .as_ref()
            .map_or(Syscall::Write, |c| c.syscall());
        let gone = (Vec::new(), Err((EBADF, syscall)));
        self.run(
            move |c| {
                let mut buf = buf;
                let mut left = CHAIN_LIMIT;
                loop {
                    if let Err(e) = c.consume(&buf) {
                        return (buf, Err((errno_of(&e), syscall)));
                    }
                    left -= 1;
                    // Only a batch this thread will write is taken.
                    if left == 0 || !sink.next_chained(&mut buf) {
                        return (buf, Ok(()));
                    }
                }
            },
            gone,
        )
        .await
    }

    /// A native-to-native copy: `(bytes, errno)`.
    async fn copy_from(&mut self, job: CopyJob) -> (u64, i32) {
        // Always on the blocking pool: copy_file_range and the reads of the source block.
        let mode = std::mem::replace(&mut self.mode, Mode::Blocking);
        let r = self
            .run(
                move |c| match c.copy_from(job) {
                    Ok(n) => (n, 0),
                    Err((n, e)) => (n, errno_of(&e)),
                },
                (0, EBADF),
            )
            .await;
        self.mode = mode;
        r
    }

    /// Flushes (and syncs when asked): the errno, 0 on success.
    async fn flush(&mut self, fsync: bool) -> i32 {
        self.run(
            move |c| match c.flush(fsync) {
                Err(e) => errno_of(&e),
                Ok(()) => 0,
            },
            0,
        )
        .await
    }

    /// Releases the consumer; closes its resource unless `keep` (a collected handle).
    async fn close(&mut self, keep: bool) -> i32 {
        if keep {
            self.consumer = None;
            return 0;
        }
        let r = self
            .run(
                |c| match c.close() {
                    Err(e) => errno_of(&e),
                    Ok(()) => 0,
                },
                0,
            )
            .await;
        self.consumer = None;
        r
    }
}

/// The OS error number of an I/O error (EIO when it has none).
pub fn errno_of(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EIO)
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
    fn deferred_wakes_lose_nothing_and_an_empty_push_wakes_the_worker() {
        let (notify, rx) = collect();
        let sink = Sink::new(Box::new(MemoryConsumer::new(None)), 1 << 20, notify);
        let mut expected = Vec::new();
        // The first push starts the worker; let it write that and park.
        sink.push(b"start");
        expected.extend_from_slice(b"start");
        wait_for(&rx, |e| *e == Event::Idle);
        for i in 0..100u32 {
            let chunk = i.to_le_bytes();
            expected.extend_from_slice(&chunk);
            assert_eq!(sink.push_with(&chunk, true).0, Push::Accepted);
        }
        // The turn's last hand-over: no bytes, only the wake owed; the worker writes them all
        // and goes idle again, with no flush asked.
        assert_eq!(sink.push_with(&[], false), (Push::Accepted, false));
        wait_for(&rx, |e| *e == Event::Idle);
        assert_eq!(sink.written(), expected.len() as u64);
        assert_eq!(sink.collected().unwrap(), expected);
        // A deferred push followed by a flush: the flush's own wake suffices.
        sink.push_with(b"tail", true);
        expected.extend_from_slice(b"tail");
        sink.flush(false);
        wait_for(&rx, |e| matches!(e, Event::Flushed { errno: 0 }));
        assert_eq!(sink.collected().unwrap(), expected);
    }

    #[test]
    fn the_write_queue_is_written_only_once_promoted_in_order_and_within_capacity() {
        let (notify, rx) = collect();
        let sink = Sink::new(Box::new(MemoryConsumer::new(None)), 8, notify);
        assert_eq!(sink.push(b"ab").0, Push::Accepted);
        for part in [&b"cdefg"[..], b"hijklmnopq", b"", b"rs"] {
            assert_eq!(sink.enqueue(part), Push::Accepted);
        }
        assert_eq!(sink.queued_len(), 17);
        sink.flush(false);
        wait_for(&rx, |e| matches!(e, Event::Flushed { errno: 0 }));
        assert_eq!(sink.collected().unwrap(), b"ab", "queued bytes wait");
        // 17 bytes through a buffer of 8: moved as room allows, Room between the steps.
        let mut left = 17;
        while left > 0 {
            let (p, rest, _) = sink.promote(left);
            assert!(rest < left || p == Push::Full);
            if p == Push::Full {
                wait_for(&rx, |e| *e == Event::Room);
            }
            left = rest;
        }
        assert_eq!(sink.queued_len(), 0);
        assert_eq!(sink.promote(5), (Push::Accepted, 0, false), "nothing left");
        sink.flush(false);
        wait_for(&rx, |e| matches!(e, Event::Flushed { errno: 0 }));
        assert_eq!(sink.collected().unwrap(), b"abcdefghijklmnopqrs");
        // At exit the queue comes back after the pending bytes; a close drops it.
        sink.enqueue(b"tu");
        sink.promote(1);
        sink.enqueue(b"vw");
        let (pending, queued, _) = sink.drain_sync_all(Duration::from_secs(5)).unwrap();
        assert_eq!((&pending[..], &queued[..]), (&b"t"[..], &b"uvw"[..]));
        sink.enqueue(b"xy");
        sink.close(true);
        assert_eq!(sink.queued_len(), 0);
        assert!(matches!(sink.enqueue(b"z"), Push::Failed { .. }));
    }

    /// A consumer on the blocking pool that takes its time: the producer refills while a batch
    /// is written, so the pool thread chains batches.
    struct SlowBlocking {
        out: Arc<Mutex<Vec<u8>>>,
        batches: Arc<std::sync::atomic::AtomicUsize>,
    }

    impl Consumer for SlowBlocking {
        fn consume(&mut self, buf: &[u8]) -> io::Result<()> {
            std::thread::sleep(Duration::from_micros(200));
            self.out.lock().unwrap().extend_from_slice(buf);
            self.batches
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        }
        fn mode(&self) -> Mode {
            Mode::Blocking
        }
    }

    #[test]
    fn chained_batches_keep_order_count_and_exit_hand_back() {
        let (notify, rx) = collect();
        let out = Arc::new(Mutex::new(Vec::new()));
        let batches = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let consumer = SlowBlocking {
            out: out.clone(),
            batches: batches.clone(),
        };
        let sink = Sink::new(Box::new(consumer), 64, notify);
        let mut expected = Vec::new();
        for i in 0..3000u32 {
            let chunk = i.to_le_bytes();
            expected.extend_from_slice(&chunk);
            if sink.push_with(&chunk, true).0 == Push::Full {
                wait_for(&rx, |e| *e == Event::Room);
            }
        }
        // A flush in the middle of a chain: after every byte before it.
        sink.flush(false);
        wait_for(&rx, |e| matches!(e, Event::Flushed { errno: 0 }));
        assert_eq!(*out.lock().unwrap(), expected);
        assert_eq!(sink.written(), expected.len() as u64);
        assert!(batches.load(std::sync::atomic::Ordering::Relaxed) > 100);
        // At exit, mid-chain: what the pool thread wrote, then what it hands back, is every
        // byte in order, and the count written matches.
        for i in 0..500u32 {
            let chunk = (i + 7).to_be_bytes();
            expected.extend_from_slice(&chunk);
            if sink.push_with(&chunk, true).0 == Push::Full {
                wait_for(&rx, |e| *e == Event::Room);
            }
        }
        let (pending, queued, written) = sink.drain_sync_all(Duration::from_secs(5)).unwrap();
        let mut got = out.lock().unwrap().clone();
        assert_eq!(written, got.len() as u64);
        got.extend_from_slice(&pending);
        got.extend_from_slice(&queued);
        assert_eq!(got, expected);
        sink.close(true);
        wait_for(&rx, |e| matches!(e, Event::Closed { .. }));
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
                errno: libc::ENOSPC,
                syscall: Syscall::Write
            },
            "ENOSPC"
        );
        sink.close(true);
        wait_for(&rx, |e| matches!(e, Event::Closed { .. }));
    }
}
