//! The one I/O runtime of the process: a tokio runtime, started lazily by the first native sink
//! or source, on which every sink and source is a task.
//!
//! Threads, and why: [`WORKERS`] runtime workers run the tasks (hand-over, wake-ups, timers,
//! readiness of pipes and sockets through `AsyncFd`: no thread blocks on a peer), and a blocking
//! pool of at most [`BLOCKING`] threads runs the syscalls that cannot be made non-blocking
//! (regular files, fsync, close, copy_file_range, reads of a blocking descriptor), a whole batch
//! per call. So 10,000 open sinks cost 10,000 small tasks and a bounded number of threads, as
//! Node's fs streams share libuv's pool of 4. As with libuv's pool, a blocking descriptor that
//! never becomes ready (a FIFO nobody writes) holds one pool thread; the pool is larger than
//! libuv's so that a few of those do not stall every file.
//!
//! It is process-wide on purpose: it holds no Node state (events go back through each
//! environment's own channel), so no environment's teardown can break it; its threads end with
//! the process.

use std::sync::OnceLock;
use tokio::runtime::{Builder, Handle, Runtime};

/// Runtime worker threads.
pub const WORKERS: usize = 2;
/// The most threads the blocking pool runs at once.
pub const BLOCKING: usize = 16;

static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();

/// Puts the calling runtime thread under `SCHED_BATCH`: the same share of the CPU as any other
/// thread (nice 0: no starvation when the machine is busy), but no preemption of the running
/// thread when it wakes up. The thread it would preempt is most often the JS thread that just
/// woke it (handing over bytes, on the same core): on a busy 2-core machine a wake cost the JS
/// thread 20-40 µs on average and whole milliseconds at times, which the event loop sees as
/// delay. The runtime's work is throughput work; the JS thread's latency comes first.
fn batch_policy() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: sets this thread's own policy (pid 0 = the calling thread); `param` is a
        // valid sched_param for the call's duration. Failure only leaves the default policy.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
        }
    }
}

/// The runtime's handle, starting it on first use; `None` if no thread could be started.
pub fn handle() -> Option<Handle> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(WORKERS)
                .max_blocking_threads(BLOCKING)
                .thread_name("sluice-io")
                .on_thread_start(batch_policy)
                .enable_time()
                .enable_io()
                .build()
                .ok()
        })
        .as_ref()
        .map(|rt| rt.handle().clone())
}
