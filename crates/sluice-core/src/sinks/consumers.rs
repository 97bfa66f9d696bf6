//! What a sink's worker does with the bytes: write them to a descriptor, drop them, keep them,
//! or take its time (a slow consumer for experiments).

use std::io;
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

/// The end of a native sink, run on its worker thread.
pub trait Consumer: Send {
    /// Takes a batch of bytes (all of it, or an error).
    fn consume(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Everything consumed so far is durable (`fsync`: synced to the device).
    fn flush(&mut self, _fsync: bool) -> io::Result<()> {
        Ok(())
    }
    /// Releases the resource.
    fn close(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// The collected bytes, for a memory consumer (shared with the sink for `toBuffer()`).
    fn memory(&self) -> Option<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> {
        None
    }
    /// Copies from another descriptor (native-to-native pipe). The default reads into a
    /// buffer and consumes it; descriptors override it with the kernel's copy paths. Returns
    /// the bytes copied, or the bytes copied before the error.
    fn copy_from(&mut self, job: super::CopyJob) -> Result<u64, (u64, io::Error)> {
        copy_through_buffer(job, |b| self.consume(b))
    }
    /// The name a failure of [`Consumer::consume`] is reported under.
    fn syscall(&self) -> super::Syscall {
        super::Syscall::Write
    }
    /// How the sink's task runs this consumer's syscalls.
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    /// How long to wait before a batch of `n` bytes counts as consumed (a throttled consumer
    /// waits on the runtime's timer, not on a thread).
    fn pace(&mut self, _n: usize) -> Duration {
        Duration::ZERO
    }
    /// One attempt at taking bytes without blocking ([`Mode::Ready`]): how many were taken, or
    /// an error of kind `WouldBlock` when the descriptor is not writable now.
    fn try_consume(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.consume(buf).map(|()| buf.len())
    }
}

/// Where a consumer's work runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Cheap and never blocking (memory, null, throttle): on the sink's task itself.
    Inline,
    /// Syscalls that may block (regular files, blocking descriptors): on the runtime's bounded
    /// blocking pool, a whole batch per call.
    Blocking,
    /// A non-blocking pipe, socket or tty: written when the runtime reports it writable
    /// (`AsyncFd`), so no thread waits on a slow peer and nothing spins on `EAGAIN`.
    Ready(RawFd),
}

/// Writes to a file descriptor: a file, a pipe, a socket, stdout.
pub struct FdConsumer {
    fd: RawFd,
    close_fd: bool,
    closed: bool,
    /// Write at this offset (Node's `start`), advancing; `None`: at the descriptor's position.
    pos: Option<u64>,
}

impl FdConsumer {
    /// `close_fd`: close the descriptor on [`Consumer::close`] (Node's `autoClose`).
    pub fn new(fd: RawFd, close_fd: bool) -> Self {
        FdConsumer {
            fd,
            close_fd,
            closed: false,
            pos: None,
        }
    }

    /// Writes from byte `pos` of the file on (positioned writes, as Node's `start` option).
    pub fn at(mut self, pos: u64) -> Self {
        self.pos = Some(pos);
        self
    }
}

fn last_err() -> io::Error {
    io::Error::last_os_error()
}

/// The most one `write(2)` of a batch hands the kernel before the writer yields its core.
///
/// Why: the writer shares the 2 cores with the JS thread, and a JS thread that wakes (its 1 ms
/// timer, a Room event) on the writer's core often does not preempt it (EEVDF: it has used its
/// share); with a 250 Hz tick it then waits for the writer's next tick, up to 4 ms of loop delay.
/// A page-cache write of 128 KiB takes some 20-40 µs, so yielding after each bounds that wait
/// to about as much; yielding with no one waiting costs a syscall.
const WRITE_PIECE: usize = 128 * 1024;

impl Consumer for FdConsumer {
    fn consume(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let len = buf.len().min(WRITE_PIECE);
            // SAFETY: `buf` is a valid slice of at least `len` bytes; the descriptor is owned by
            // this consumer or lent by the user for the stream's life.
            let n = match self.pos {
                Some(pos) => unsafe { libc::pwrite(self.fd, buf.as_ptr().cast(), len, pos as i64) },
                None => unsafe { libc::write(self.fd, buf.as_ptr().cast(), len) },
            };
            if n < 0 {
                let e = last_err();
                match e.raw_os_error() {
                    Some(libc::EINTR) => continue,
                    Some(libc::EAGAIN) => {
                        // EAGAIN on a non-blocking descriptor: wait until it is writable instead
                        // of spinning.
                        wait_writable(self.fd)?;
                        continue;
                    }
                    _ => return Err(e),
                }
            }
            buf = &buf[n as usize..];
            if let Some(pos) = self.pos.as_mut() {
                *pos += n as u64;
            }
            // SAFETY: sched_yield has no arguments and no effect beyond scheduling.
            unsafe { libc::sched_yield() };
        }
        Ok(())
    }

    fn mode(&self) -> Mode {
        if self.pos.is_some() {
            return Mode::Blocking;
        }
        // SAFETY: fstat/fcntl only read the descriptor's metadata into a local.
        let ready = unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            let flags = libc::fcntl(self.fd, libc::F_GETFL);
            libc::fstat(self.fd, &mut st) == 0
                && flags >= 0
                && flags & libc::O_NONBLOCK != 0
                && matches!(
                    st.st_mode & libc::S_IFMT,
                    libc::S_IFIFO | libc::S_IFSOCK | libc::S_IFCHR
                )
        };
        if ready {
            Mode::Ready(self.fd)
        } else {
            Mode::Blocking
        }
    }

    fn try_consume(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: `buf` is a valid slice; the descriptor is owned by this consumer or lent
            // by the user for the stream's life.
            let n = unsafe { libc::write(self.fd, buf.as_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = last_err();
            if e.raw_os_error() != Some(libc::EINTR) {
                return Err(e);
            }
        }
    }

    fn flush(&mut self, fsync: bool) -> io::Result<()> {
        if fsync && unsafe { libc::fsync(self.fd) } != 0 {
            let e = last_err();
            // Pipes, sockets and ttys cannot be synced: that is not a failure of the stream.
            if e.raw_os_error() != Some(libc::EINVAL) {
                return Err(e);
            }
        }
        Ok(())
    }

    fn copy_from(&mut self, job: super::CopyJob) -> Result<u64, (u64, io::Error)> {
        // The kernel copies file to file without the bytes entering user space
        // (copy_file_range); where it cannot (pipes, sockets, other file systems on old
        // kernels), fall back to reading and writing through a buffer.
        let mut done = 0u64;
        let mut in_off: i64 = job.start.map(|s| s as i64).unwrap_or(0);
        loop {
            let want = match job.limit {
                Some(l) => (l - done).min(1 << 30) as usize,
                None => 1 << 30,
            };
            if want == 0 {
                return Ok(done);
            }
            let mut out_off: i64 = self.pos.map(|p| p as i64).unwrap_or(0);
            let n = unsafe {
                libc::copy_file_range(
                    job.from,
                    if job.start.is_some() {
                        &mut in_off
                    } else {
                        std::ptr::null_mut()
                    },
                    self.fd,
                    if self.pos.is_some() {
                        &mut out_off
                    } else {
                        std::ptr::null_mut()
                    },
                    want,
                    0,
                )
            };
            if n > 0 {
                done += n as u64;
                if let Some(p) = self.pos.as_mut() {
                    *p += n as u64;
                }
                continue;
            }
            // A 0 right away may not be the end: some file systems (procfs, sysfs, some network
            // and FUSE ones) report a short or empty copy for files they size as 0, as libuv
            // found. Only reading can tell; copy the rest through a buffer then.
            let fallback = n == 0 && done == 0;
            if n == 0 && !fallback {
                return Ok(done);
            }
            let errno = if fallback {
                None
            } else {
                last_err().raw_os_error()
            };
            match errno {
                Some(libc::EINTR) => continue,
                // Not supported between these descriptors (EXDEV: other file systems on old
                // kernels; ENOSYS, EOPNOTSUPP; EINVAL, EPERM, EBADF: e.g. pipes or an O_APPEND
                // target), or the empty first answer above: copy the rest through a buffer.
                None
                | Some(libc::EXDEV)
                | Some(libc::EINVAL)
                | Some(libc::ENOSYS)
                | Some(libc::EOPNOTSUPP)
                | Some(libc::EPERM)
                | Some(libc::EBADF) => {
                    let rest = super::CopyJob {
                        from: job.from,
                        start: job.start.map(|s| s + done),
                        limit: job.limit.map(|l| l - done),
                    };
                    return match copy_through_buffer(rest, |b| self.consume(b)) {
                        Ok(n) => Ok(done + n),
                        Err((n, e)) => Err((done + n, e)),
                    };
                }
                Some(e) => return Err((done, io::Error::from_raw_os_error(e))),
            }
        }
    }

    fn close(&mut self) -> io::Result<()> {
        if self.close_fd && !self.closed {
            self.closed = true;
            if unsafe { libc::close(self.fd) } != 0 {
                return Err(last_err());
            }
        }
        Ok(())
    }
}

/// Copies `job` by reading into a buffer and handing each piece to `sink`.
fn copy_through_buffer(
    job: super::CopyJob,
    mut sink: impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<u64, (u64, io::Error)> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    let mut pos = job.start;
    loop {
        let want = match job.limit {
            Some(l) => (l - done).min(buf.len() as u64) as usize,
            None => buf.len(),
        };
        if want == 0 {
            return Ok(done);
        }
        let n = read_at(job.from, &mut buf[..want], pos).map_err(|e| (done, e))?;
        if n == 0 {
            return Ok(done);
        }
        sink(&buf[..n]).map_err(|e| (done, e))?;
        done += n as u64;
        if let Some(p) = pos.as_mut() {
            *p += n as u64;
        }
    }
}

fn read_at(fd: RawFd, buf: &mut [u8], pos: Option<u64>) -> io::Result<usize> {
    loop {
        let n = unsafe {
            match pos {
                Some(p) => libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), p as i64),
                None => libc::read(fd, buf.as_mut_ptr().cast(), buf.len()),
            }
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = last_err();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

fn wait_writable(fd: RawFd) -> io::Result<()> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    loop {
        let r = unsafe { libc::poll(&mut p, 1, -1) };
        if r >= 0 {
            return Ok(());
        }
        let e = last_err();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

/// Discards everything.
pub struct NullConsumer;

impl Consumer for NullConsumer {
    fn consume(&mut self, _buf: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// Keeps everything, up to an optional limit.
pub struct MemoryConsumer {
    data: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    limit: Option<usize>,
}

impl MemoryConsumer {
    /// `limit`: fail with `ENOBUFS` once more than this many bytes would be kept.
    pub fn new(limit: Option<usize>) -> Self {
        MemoryConsumer {
            data: Default::default(),
            limit,
        }
    }
}

impl Consumer for MemoryConsumer {
    fn consume(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut d = self.data.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(limit) = self.limit {
            if d.len() + buf.len() > limit {
                return Err(io::Error::from_raw_os_error(libc::ENOBUFS));
            }
        }
        d.extend_from_slice(buf);
        Ok(())
    }
    fn memory(&self) -> Option<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> {
        Some(self.data.clone())
    }
    fn syscall(&self) -> super::Syscall {
        super::Syscall::Limit
    }
}

/// A slow consumer: at most `bytes_per_second`, and/or `delay` per batch handed over.
pub struct ThrottleConsumer {
    bytes_per_second: Option<f64>,
    delay: Duration,
    start: Option<Instant>,
    consumed: u64,
}

impl ThrottleConsumer {
    pub fn new(bytes_per_second: Option<f64>, delay: Duration) -> Self {
        ThrottleConsumer {
            bytes_per_second,
            delay,
            start: None,
            consumed: 0,
        }
    }
}

impl Consumer for ThrottleConsumer {
    fn consume(&mut self, _buf: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn pace(&mut self, n: usize) -> Duration {
        let start = *self.start.get_or_insert_with(Instant::now);
        self.consumed += n as u64;
        let mut wait = self.delay;
        if let Some(rate) = self.bytes_per_second {
            if rate > 0.0 {
                // The rate is kept over the whole life of the sink, the batch delay on top.
                let due = Duration::from_secs_f64(self.consumed as f64 / rate);
                let elapsed = start.elapsed() + self.delay;
                if due > elapsed {
                    wait += due - elapsed;
                }
            }
        }
        wait
    }
}
