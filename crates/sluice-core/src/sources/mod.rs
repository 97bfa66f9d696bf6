//! Native sources: a task on the process's I/O runtime reads a file ahead of the consumer — never more than one
//! `highWaterMark` ahead — so the JS thread never waits on the disk. No napi here; events go
//! back through the [`Notify`] callback the binding supplies.

use crate::sinks::{errno_of, Event, Notify, Teardown};
use std::collections::VecDeque;
use std::io;
use std::os::fd::RawFd;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify as Wake;

/// What a reader gets from [`Source::take`].
#[derive(Debug, PartialEq)]
pub enum Take {
    /// A chunk.
    Chunk(Vec<u8>),
    /// Nothing yet: an [`Event::Data`] follows when there is.
    Pending,
    /// End of file (or of the requested range).
    Eof,
    /// The read failed with this errno.
    Failed(i32),
}

struct State {
    ready: VecDeque<Vec<u8>>,
    ready_bytes: usize,
    eof: bool,
    failed: Option<i32>,
    waiting: bool,
    close_req: bool,
    started: bool,
    /// Bytes read so far.
    read: u64,
    /// Closing because the JS handle was collected: leave the descriptor open.
    keep_fd: bool,
    /// The read-ahead task has returned (or will never run).
    stopped: bool,
}

struct Inner {
    m: Mutex<State>,
    /// Wakes the read-ahead task (a stored permit: a wake before it waits is not lost).
    wake: Wake,
    /// Signalled when the task returns (for [`Teardown::finish_blocking`]).
    done: Condvar,
}

/// A file (or any readable descriptor) read ahead by a task; reads run on the blocking pool.
pub struct Source {
    inner: Arc<Inner>,
    fd: RawFd,
    close_fd: bool,
    start: Option<u64>,
    /// Bytes to read at most (Node's `end - start + 1`), `None`: to end of file.
    limit: Option<u64>,
    chunk: usize,
    notify: Notify,
}

impl Source {
    /// Reads `fd` from `start` (or its current position) for at most `limit` bytes, in chunks
    /// of `chunk` bytes, one chunk ahead of the reader.
    pub fn new(
        fd: RawFd,
        close_fd: bool,
        start: Option<u64>,
        limit: Option<u64>,
        chunk: usize,
        notify: Notify,
    ) -> Arc<Source> {
        Arc::new(Source {
            inner: Arc::new(Inner {
                m: Mutex::new(State {
                    ready: VecDeque::new(),
                    ready_bytes: 0,
                    eof: false,
                    failed: None,
                    waiting: false,
                    close_req: false,
                    started: false,
                    read: 0,
                    keep_fd: false,
                    stopped: false,
                }),
                wake: Wake::new(),
                done: Condvar::new(),
            }),
            fd,
            close_fd,
            start,
            limit,
            chunk: chunk.max(1),
            notify,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.m.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next chunk, or what to expect instead. Starts the worker on first use.
    pub fn take(self: &Arc<Self>) -> Take {
        let mut st = self.lock();
        if !st.started {
            st.started = true;
            st.waiting = true;
            drop(st);
            self.start_worker();
            return Take::Pending;
        }
        if let Some(c) = st.ready.pop_front() {
            st.ready_bytes -= c.len();
            drop(st);
            // There is room to read ahead again.
            self.inner.wake.notify_one();
            return Take::Chunk(c);
        }
        if let Some(e) = st.failed {
            return Take::Failed(e);
        }
        if st.eof {
            return Take::Eof;
        }
        st.waiting = true;
        Take::Pending
    }

    /// Stops the worker and releases the descriptor (if owned); [`Event::Closed`] follows.
    pub fn close(self: &Arc<Self>) {
        let mut st = self.lock();
        st.close_req = true;
        let started = st.started;
        st.started = true;
        drop(st);
        if started {
            self.inner.wake.notify_one();
        } else {
            self.start_worker();
        }
    }

    /// The JS handle is gone: stop; a source that never started is released here without a
    /// thread (this may run during process exit).
    ///
    /// The descriptor is left open, as for a collected sink (see `Sink::dispose`).
    ///
    /// Returns whether the worker will now report an [`Event::Closed`] that no [`Source::close`]
    /// asked for: the binding counts it busy until then, as for a close (uncounted, that
    /// `Closed` would end another stream's wait and let the process exit under it).
    pub fn dispose(self: &Arc<Self>) -> bool {
        let mut st = self.lock();
        st.keep_fd = true;
        if st.started {
            let opened = !st.close_req && !st.stopped;
            st.close_req = true;
            drop(st);
            self.inner.wake.notify_one();
            return opened;
        }
        st.started = true;
        st.close_req = true;
        st.keep_fd = true;
        st.stopped = true;
        false
    }

    fn start_worker(self: &Arc<Self>) {
        match crate::runtime::handle() {
            Some(rt) => {
                rt.spawn(self.clone().run());
            }
            None => {
                self.lock().failed = Some(libc::EAGAIN);
                (self.notify)(Event::Data);
            }
        }
    }

    async fn run(self: Arc<Self>) {
        let mut pos = self.start;
        let mut left = self.limit;
        loop {
            // Wait until there is room to read ahead (or a close). No guard across an await.
            loop {
                let (close, full) = {
                    let st = self.lock();
                    (
                        st.close_req,
                        st.eof || st.failed.is_some() || st.ready_bytes >= self.chunk,
                    )
                };
                if close || !full {
                    break;
                }
                self.inner.wake.notified().await;
            }
            let closing = {
                let mut st = self.lock();
                // A reader still waiting is released (its JS side counts on one Data per wait).
                st.close_req
                    .then(|| (std::mem::take(&mut st.waiting), st.keep_fd))
            };
            if let Some((waiting, keep)) = closing {
                if waiting {
                    (self.notify)(Event::Data);
                }
                let fd = self.fd;
                let close = self.close_fd && !keep;
                let errno = tokio::task::spawn_blocking(move || {
                    // SAFETY: the descriptor is this source's own (autoClose) and nothing reads it now.
                    if close && unsafe { libc::close(fd) } != 0 {
                        errno_of(&io::Error::last_os_error())
                    } else {
                        0
                    }
                })
                .await
                .unwrap_or(libc::EIO);
                self.lock().stopped = true;
                self.inner.done.notify_all();
                (self.notify)(Event::Closed { errno });
                return;
            }
            let want = match left {
                Some(l) => (l.min(self.chunk as u64)) as usize,
                None => self.chunk,
            };
            let fd = self.fd;
            let read = pos;
            let (buf, result) = if want == 0 {
                (Vec::new(), Ok(0))
            } else {
                tokio::task::spawn_blocking(move || {
                    let mut buf = vec![0u8; want];
                    let r = read_once(fd, &mut buf, read);
                    (buf, r)
                })
                .await
                .unwrap_or_else(|_| (Vec::new(), Err(io::Error::from_raw_os_error(libc::EIO))))
            };
            let wake = {
                let mut st = self.lock();
                match result {
                    Ok(0) => st.eof = true,
                    Ok(n) => {
                        let mut buf = buf;
                        buf.truncate(n);
                        st.read += n as u64;
                        st.ready_bytes += n;
                        st.ready.push_back(buf);
                        if let Some(p) = pos.as_mut() {
                            *p += n as u64;
                        }
                        if let Some(l) = left.as_mut() {
                            *l -= n as u64;
                            if *l == 0 {
                                st.eof = true;
                            }
                        }
                    }
                    Err(e) => st.failed = Some(errno_of(&e)),
                }
                std::mem::take(&mut st.waiting)
            };
            if wake {
                (self.notify)(Event::Data);
            }
        }
    }
}

impl Teardown for Source {
    fn finish_blocking(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut st = self.lock();
        st.keep_fd = true;
        if !st.started {
            st.started = true;
            st.stopped = true;
        }
        st.close_req = true;
        self.inner.wake.notify_one();
        let _ = crate::sinks::wait_until(st, &self.inner.done, deadline, |st| st.stopped);
    }
}

fn read_once(fd: RawFd, buf: &mut [u8], pos: Option<u64>) -> io::Result<usize> {
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
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::IntoRawFd;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn reads_a_file_in_order_and_never_more_than_a_chunk_ahead() {
        let path = std::env::temp_dir().join(format!("sluice-src-{}", std::process::id()));
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::File::create(&path)
            .unwrap()
            .write_all(&data)
            .unwrap();
        let fd = std::fs::File::open(&path).unwrap().into_raw_fd();
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let src = Source::new(
            fd,
            true,
            Some(0),
            None,
            4096,
            Arc::new(move |e| {
                let _ = tx.lock().unwrap().send(e);
            }),
        );
        let mut got = Vec::new();
        loop {
            match src.take() {
                Take::Chunk(c) => {
                    assert!(c.len() <= 4096);
                    got.extend_from_slice(&c);
                    // Read-ahead is bounded: at most one chunk ready beyond what was taken.
                    assert!(src.lock().ready_bytes <= 4096);
                }
                Take::Pending => {
                    rx.recv_timeout(Duration::from_secs(5)).unwrap();
                }
                Take::Eof => break,
                Take::Failed(e) => panic!("errno {e}"),
            }
        }
        assert_eq!(got, data);
        src.close();
        std::fs::remove_file(&path).unwrap();
    }
}
