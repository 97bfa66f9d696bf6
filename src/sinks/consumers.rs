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
    /// The name a failure of [`Consumer::consume`] is reported under.
    fn syscall(&self) -> super::Syscall {
        super::Syscall::Write
    }
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

impl Consumer for FdConsumer {
    fn consume(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            // SAFETY: `buf` is a valid slice; the descriptor is owned by this consumer or lent
            // by the user for the stream's life.
            let n = match self.pos {
                Some(pos) => unsafe { libc_pwrite(self.fd, buf.as_ptr(), buf.len(), pos as i64) },
                None => unsafe { libc_write(self.fd, buf.as_ptr(), buf.len()) },
            };
            if n < 0 {
                let e = last_err();
                match e.raw_os_error() {
                    Some(4) => continue, // EINTR
                    Some(11) => {
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
        }
        Ok(())
    }

    fn flush(&mut self, fsync: bool) -> io::Result<()> {
        if fsync && unsafe { libc_fsync(self.fd) } != 0 {
            let e = last_err();
            // Pipes, sockets and ttys cannot be synced: that is not a failure of the stream.
            if e.raw_os_error() != Some(22) {
                return Err(e);
            }
        }
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        if self.close_fd && !self.closed {
            self.closed = true;
            if unsafe { libc_close(self.fd) } != 0 {
                return Err(last_err());
            }
        }
        Ok(())
    }
}

fn wait_writable(fd: RawFd) -> io::Result<()> {
    let mut p = PollFd {
        fd,
        events: 4, /* POLLOUT */
        revents: 0,
    };
    loop {
        let r = unsafe { libc_poll(&mut p, 1, -1) };
        if r >= 0 {
            return Ok(());
        }
        let e = last_err();
        if e.raw_os_error() != Some(4) {
            return Err(e);
        }
    }
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

extern "C" {
    #[link_name = "write"]
    fn libc_write(fd: i32, buf: *const u8, n: usize) -> isize;
    #[link_name = "pwrite"]
    fn libc_pwrite(fd: i32, buf: *const u8, n: usize, off: i64) -> isize;
    #[link_name = "fsync"]
    fn libc_fsync(fd: i32) -> i32;
    #[link_name = "close"]
    fn libc_close(fd: i32) -> i32;
    #[link_name = "poll"]
    fn libc_poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
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
                return Err(io::Error::from_raw_os_error(105)); // ENOBUFS
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
    fn consume(&mut self, buf: &[u8]) -> io::Result<()> {
        let start = *self.start.get_or_insert_with(Instant::now);
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        self.consumed += buf.len() as u64;
        if let Some(rate) = self.bytes_per_second {
            if rate > 0.0 {
                let due = Duration::from_secs_f64(self.consumed as f64 / rate);
                let elapsed = start.elapsed();
                if due > elapsed {
                    std::thread::sleep(due - elapsed);
                }
            }
        }
        Ok(())
    }
}
