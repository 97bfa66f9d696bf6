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

/// The nice value of the runtime's threads (see [`batch_policy`]).
const NICE: i32 = 10;

/// Puts the calling runtime thread under `SCHED_BATCH` at nice [`NICE`]: its work is throughput
/// work, and the JS thread's latency comes first.
/// - `SCHED_BATCH`: no preemption of the running thread when a runtime thread wakes. The
///   thread it would preempt is most often the JS thread that just woke it (handing over bytes,
///   on the same core).
/// - nice 10: when the JS thread wakes (a Room event, a timer) on the core a runtime thread is
///   writing on, the scheduler lets it run at once instead of after the writer's slice. Measured
///   with `perf sched` on 2 cores (kernel 6.18, EEVDF), 256 MiB of 1 KiB writes: the JS thread
///   waited 10-38 ms in total per run for a sluice thread on its core at nice 0, and 1.2-3.5 ms
///   at nice 10; single waits of 0.5-2 ms (the writer's slice) were loop delay.
/// - Not `SCHED_IDLE` nor nice 19 (a weight of 3 or 15 against 1,024): on a machine whose cores
///   are all busy, the writers would get next to nothing and a logger would fall behind for
///   good. At nice 10 a runtime thread sharing a core with a busy thread still gets ~10% of it
///   (page-cache writes at some 300 MiB/s), and all of a core no one else wants.
fn batch_policy() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: both set the calling thread's own policy and nice value (pid/who 0 = the
        // calling thread on Linux); `param` is a valid sched_param for the call's duration.
        // Failure only leaves the defaults.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
            libc::setpriority(libc::PRIO_PROCESS, 0, NICE);
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
