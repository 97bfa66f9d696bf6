//! The Writable state machine, with no knowledge of Node.
//!
//! The JS facade owns the chunk values and the user's callbacks (they are JS objects); this core
//! owns everything that decides: the queue of buffered entries (their lengths), the length
//! accounting against `highWaterMark`, `needDrain`, and the writing / corked / ending / finished /
//! destroyed / errored state. Each operation is one step of a request/response protocol: the
//! facade reports what happened (a `write()`, a completion, an `end()`), the core updates its
//! state and answers with a small code saying what the facade must do next (call `_write` now,
//! buffer the chunk, emit `'drain'`, call `_final`, finish on the next tick, ...). User code runs
//! between steps, so decisions that depend on what user code did are separate steps.
//!
//! The counters live in [`Shared`], a `#[repr(C)]` block the binding exposes to JS as a typed
//! array, so property getters (`writableLength`, `writableNeedDrain`, ...) read the core's own
//! values without a call into native code.

use crate::block::Block;
use std::collections::VecDeque;

pub use crate::protocol::writable::{a, counter, d, e, end, f, flag, mask, w};

/// Counters and flags shared with JS as one typed array (`Float64Array` over the whole block;
/// `flags`, `corked` and `ret` are read through a `Uint32Array` over the first 16 bytes).
///
/// Lengths are `f64` because that is what JS reads without a conversion; they hold integers
/// exactly up to 2^53, far beyond any buffer.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Shared {
    /// Bits of [`flag`].
    pub flags: u32,
    /// Nesting depth of `cork()`.
    pub corked: u32,
    /// The answer of the last hot-path call, left here so the binding need not allocate a JS
    /// number for it (the facade reads it from the shared block).
    pub ret: u32,
    /// Keeps the `f64` fields 8-byte aligned.
    pub _pad: u32,
    /// Bytes (or objects) written and not yet completed: queued plus in flight.
    pub length: f64,
    /// `highWaterMark`.
    pub hwm: f64,
    /// Callbacks owed to the user (writes not yet called back, `_final`, the finish step).
    pub pending_cb: f64,
    /// Entries in the queue (`writableBuffer.length`).
    pub buffered: f64,
    /// Statistics (`stream.stats()`), kept always: a few additions per write, and a clock read
    /// only when backpressure starts or ends.
    pub st: Stats,
    /// Mailbox written by the facade: writes it completed on the [`flag::FAST`] path since the
    /// last call, their bytes, and the largest (those two in byte mode only: in object mode each
    /// is one unit). Folded into the statistics on the next call.
    pub fast_writes: f64,
    /// See [`Shared::fast_writes`].
    pub fast_bytes: f64,
    /// See [`Shared::fast_writes`].
    pub fast_peak: f64,
    /// The value of an assignment ([`WritableCore::set_counter`]): written by the facade before
    /// the call, so the op's single argument can name the counter.
    pub arg: f64,
    /// Mailbox: fast-path writes (object mode) whose share of `pendingcb` is still owed, settled
    /// on the after-write tick the facade scheduled; folded into `pending_cb`.
    pub fast_pending: f64,
    /// Mailbox written by the facade: writes it queued on the standing answer
    /// [`flag::QUEUE_READY`] since the last call, as runs of equal lengths (`queue_runs` of
    /// them, oldest first). Everything else such a write changes (`length`, `pending_cb`,
    /// `buffered`, the statistics) the facade changes in the block at once; the fold appends
    /// the lengths to [`WritableCore`]'s queue.
    pub queue_runs: f64,
    /// See [`Shared::queue_runs`]: each run's length.
    pub queue_lens: [f64; QUEUE_RUN_CAP],
    /// See [`Shared::queue_runs`]: each run's count of writes.
    pub queue_counts: [f64; QUEUE_RUN_CAP],
    /// Length of the write in flight (a single chunk, or a whole `_writev` batch; 0 when none).
    /// In the block so that the facade can carry out a completion on its standing answer
    /// (it takes this off `length`) and a late dispatch (it sets it) without a call.
    pub writelen: f64,
    /// Mailbox written by the facade: entries it took from the front of the queue (core's
    /// queue, then the queued-writes mailbox) on the standing answer of an asynchronous
    /// completion ([`crate::protocol::writable::mask::DEQUEUE_NEEDS`]), having done the rest
    /// in the block (`length`, `writelen`, the flags; `buffered` once the pass it opened is
    /// over). The fold drops them.
    pub dequeued: f64,
}

/// Runs the queued-writes mailbox holds ([`Shared::queue_runs`]).
pub const QUEUE_RUN_CAP: usize = crate::protocol::writable::slot::QUEUE_RUN_CAP as usize;

/// Backpressure statistics of a Writable, visible to JS in the shared block.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// `write()` calls counted (accepted chunks).
    pub writes: f64,
    /// Bytes (or objects) written.
    pub bytes: f64,
    /// `write()` calls that returned false.
    pub write_false: f64,
    /// `'drain'` events.
    pub drains: f64,
    /// Peak of `writableLength`.
    pub peak: f64,
    /// Total time under backpressure (from the first false return to `'drain'`), ms.
    pub pressure_ms: f64,
    /// Longest single episode, ms.
    pub longest_pressure_ms: f64,
    /// The current episode so far, ms (updated on request).
    pub current_pressure_ms: f64,
    /// Chunks dropped by the overflow policy.
    pub dropped: f64,
}

/// Size of [`Shared`] in bytes, for the binding's typed array.
pub const SHARED_BYTES: usize = std::mem::size_of::<Shared>();

/// The Writable state machine of one stream.
#[derive(Debug)]
pub struct WritableCore {
    /// Flags and counters, visible to JS.
    pub s: Block<Shared>,
    /// Lengths of the buffered entries, oldest first. The facade holds the values in the same
    /// order.
    queue: VecDeque<f64>,
    /// Entries the current queue pass has taken from the queue: still counted in
    /// `buffered` until the pass ends, as Node's `bufferedRequestCount`
    /// (`buffered.length - bufferedIndex`, the index moved once the pass is over) counts them
    /// while their `_write` or `_writev` runs.
    pass_taken: f64,
    /// Opt-in drain hysteresis: `'drain'` when the length falls to this (0: Node's behaviour).
    low_water_mark: f64,
    /// Opt-in bound on `writableLength` (0: none, Node's behaviour) and what to do past it.
    max_buffered: f64,
    overflow: Overflow,
    /// When the current backpressure episode began.
    pressure_since: Option<std::time::Instant>,
}

/// What `write()` does past `maxBuffered`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Overflow {
    /// Fail the write with an error (the stream errors).
    Error,
    /// Drop the chunk being written.
    DropNewest,
    /// Drop the oldest queued chunks to make room.
    DropOldest,
}

impl WritableCore {
    /// A new state machine. `hwm` is already validated by the facade (Node validates it in JS
    /// terms: integers >= 0).
    /// A new state machine whose shared block is `slot` (lent by the addon, see
    /// [`Block::lent`]).
    ///
    /// # Safety
    /// As for [`Block::lent`]: `slot` valid, aligned and unaliased for the core's life.
    pub unsafe fn new_in(slot: *mut Shared, object_mode: bool, hwm: f64, options: u32) -> Self {
        // SAFETY: the caller's guarantee, passed on.
        Self::with_block(
            |s| unsafe { Block::lent(slot, s) },
            object_mode,
            hwm,
            options,
        )
    }

    pub fn new(object_mode: bool, hwm: f64, options: u32) -> Self {
        Self::with_block(Block::owned, object_mode, hwm, options)
    }

    /// Whether the core keeps nothing outside its block that [`WritableCore::resume_in`]
    /// would not rebuild (no queue, no write in flight, no opt-in policy, no backpressure
    /// episode), and then the key to rebuild it with: the core can be dropped and its block
    /// kept alone (the facade retires the cores of closed streams this way, see
    /// `lib/slab.js`).
    pub fn retire_key(&self) -> Option<u32> {
        let plain = self.queue.is_empty()
            && self.pass_taken == 0.0
            && self.s.writelen == 0.0
            && self.low_water_mark == 0.0
            && self.max_buffered == 0.0
            && self.overflow == Overflow::Error
            && self.pressure_since.is_none();
        plain.then_some(0)
    }

    /// The core of a block whose core was retired with `key` ([`WritableCore::retire_key`]),
    /// the block as it stands (JS may have changed it since, as it may between any two calls).
    ///
    /// # Safety
    /// As for [`Block::resumed`].
    pub unsafe fn resume_in(slot: *mut Shared, key: u32) -> Self {
        // SAFETY: the caller's guarantee, passed on.
        Self::with_parts(unsafe { Block::resumed(slot) }, key)
    }

    /// [`WritableCore::resume_in`] with a block of its own (the property tests).
    pub fn resumed(s: Shared, key: u32) -> Self {
        Self::with_parts(Block::owned(s), key)
    }

    /// A core over `s`, everything outside the block at its start (a Writable's key is 0).
    fn with_parts(s: Block<Shared>, _key: u32) -> Self {
        WritableCore {
            s,
            queue: VecDeque::new(),
            pass_taken: 0.0,
            low_water_mark: 0.0,
            max_buffered: 0.0,
            overflow: Overflow::Error,
            pressure_since: None,
        }
    }

    /// The constructor proper, with the shared block placed by `block`.
    fn with_block(
        block: impl FnOnce(Shared) -> Block<Shared>,
        object_mode: bool,
        hwm: f64,
        options: u32,
    ) -> Self {
        let mut flags = options & mask::MADE_FROM_OPTIONS;
        if object_mode {
            flags |= flag::OBJECT_MODE;
        }
        flags |= flag::CONSTRUCTED;
        let mut c = Self::with_parts(
            block(Shared {
                flags,
                corked: 0,
                ret: 0,
                _pad: 0,
                length: 0.0,
                hwm,
                pending_cb: 0.0,
                buffered: 0.0,
                st: Stats::default(),
                fast_writes: 0.0,
                fast_bytes: 0.0,
                fast_peak: 0.0,
                arg: 0.0,
                fast_pending: 0.0,
                queue_runs: 0.0,
                queue_lens: [0.0; QUEUE_RUN_CAP],
                queue_counts: [0.0; QUEUE_RUN_CAP],
                writelen: 0.0,
                dequeued: 0.0,
            }),
            0,
        );
        c.refresh_standing();
        c
    }

    /// Opt-in policies (none of them changes anything at their defaults).
    pub fn set_policies(&mut self, low_water_mark: f64, max_buffered: f64, overflow: Overflow) {
        self.low_water_mark = low_water_mark.max(0.0);
        self.max_buffered = max_buffered.max(0.0);
        self.overflow = overflow;
        if self.low_water_mark != 0.0 || self.max_buffered != 0.0 {
            self.set(flag::POLICIES);
        } else {
            self.clear(flag::POLICIES);
        }
    }

    /// Folds the facade's fast-path writes into the statistics (first step of every call).
    /// In object mode the facade counts the writes alone: each is one unit.
    #[inline]
    pub fn fold(&mut self) {
        if self.s.fast_writes != 0.0 {
            self.s.st.writes += self.s.fast_writes;
            if self.s.flags & flag::OBJECT_MODE != 0 {
                self.s.st.bytes += self.s.fast_writes;
                self.s.st.peak = self.s.st.peak.max(1.0);
            } else {
                self.s.st.bytes += self.s.fast_bytes;
                if self.s.fast_peak > self.s.st.peak {
                    self.s.st.peak = self.s.fast_peak;
                }
            }
            self.s.fast_writes = 0.0;
            self.s.fast_bytes = 0.0;
            self.s.fast_peak = 0.0;
            self.s.pending_cb += self.s.fast_pending;
            self.s.fast_pending = 0.0;
        }
        let runs = self.s.queue_runs as usize;
        if runs != 0 {
            for i in 0..runs.min(QUEUE_RUN_CAP) {
                let len = self.s.queue_lens[i];
                for _ in 0..self.s.queue_counts[i] as usize {
                    self.queue.push_back(len);
                }
                self.s.queue_lens[i] = 0.0;
                self.s.queue_counts[i] = 0.0;
            }
            self.s.queue_runs = 0.0;
        }
        // After the runs: the facade's dequeues take from the front of the queue those runs
        // joined (it may have taken entries that were still in the mailbox). Each opened a
        // pass and, but the last while the pass it opened is still under way, ended it (taking
        // its entry off `buffered` itself); that one stays counted until the pass ends.
        if self.s.dequeued != 0.0 {
            for _ in 0..self.s.dequeued as usize {
                self.queue.pop_front();
            }
            self.s.dequeued = 0.0;
            if self.has(flag::BUFFER_PROCESSING) {
                self.pass_taken += 1.0;
            }
        }
    }

    /// Entries the queue pass under way took, still in `buffered` (for the property tests).
    #[cfg(test)]
    pub(crate) fn pass_taken(&self) -> f64 {
        self.pass_taken
    }

    /// The queued entries' lengths, oldest first (for the property tests).
    #[cfg(test)]
    pub(crate) fn queue_lens(&self) -> Vec<f64> {
        self.queue.iter().copied().collect()
    }

    /// Recomputes the standing answers ([`flag::FAST`], [`flag::END_READY`],
    /// [`flag::TICK_FINISHES`]) and [`flag::QUEUED`]: the last step of every call.
    #[inline]
    pub fn refresh_standing(&mut self) {
        let fl = self.s.flags & !mask::DERIVED;
        let queued = !self.queue.is_empty();
        let empty = !queued && self.s.length == 0.0;
        let mut derived = if queued { flag::QUEUED } else { 0 };
        let idle = fl
            & (flag::WRITING
                | flag::ENDING
                | flag::DESTROYED
                | flag::ERRORED
                | flag::NEED_DRAIN
                | flag::BUFFER_PROCESSING
                | flag::CORKED)
            == 0
            && fl & flag::CONSTRUCTED != 0
            && empty
            && self.max_buffered == 0.0;
        if idle {
            derived |= flag::FAST;
        }
        // `write()` would queue the chunk (see `write`): the facade may do it itself.
        if fl & (flag::ENDING | flag::DESTROYED) == 0
            && (fl & (flag::WRITING | flag::ERRORED | flag::CORKED) != 0
                || fl & flag::CONSTRUCTED == 0)
            && self.max_buffered == 0.0
        {
            derived |= flag::QUEUE_READY;
        }
        // Node's `needFinish` but for the ending bit (see [`Self::need_finish`]).
        let finishable = fl & flag::CONSTRUCTED != 0 && fl & mask::FINISH_BLOCKERS == 0 && empty;
        if finishable && fl & flag::ENDING != 0 {
            derived |= flag::TICK_FINISHES;
        }
        // `end_run(false, true)`: ending, then `'prefinish'` (quiet) and the tail step.
        if finishable && fl & (flag::ENDING | flag::PREFINISHED | flag::FINAL_CALLED) == 0 {
            derived |= flag::END_READY;
        }
        self.s.flags = fl | derived;
    }

    /// A write the facade started on the [`flag::FAST`] path is still in flight (or user code
    /// inside `_write` needs the true state): account it as the dispatched write it is.
    pub fn late_dispatch(&mut self, len: f64) {
        self.s.pending_cb += 1.0;
        self.s.length += len;
        self.s.st.writes += 1.0;
        self.s.st.bytes += len;
        if self.s.length > self.s.st.peak {
            self.s.st.peak = self.s.length;
        }
        self.s.writelen = len;
        self.s.flags |= flag::WRITING;
    }

    /// Current `maxBuffered` and overflow policy.
    pub fn policies(&self) -> (f64, Overflow) {
        (self.max_buffered, self.overflow)
    }

    /// Current `lowWaterMark`.
    pub fn low_water_mark(&self) -> f64 {
        self.low_water_mark
    }

    fn pressure_on(&mut self) {
        self.s.st.write_false += 1.0;
        if self.pressure_since.is_none() {
            self.pressure_since = Some(std::time::Instant::now());
        }
    }

    fn pressure_off(&mut self) {
        self.s.st.drains += 1.0;
        if let Some(t) = self.pressure_since.take() {
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            self.s.st.pressure_ms += ms;
            if ms > self.s.st.longest_pressure_ms {
                self.s.st.longest_pressure_ms = ms;
            }
        }
        self.s.st.current_pressure_ms = 0.0;
    }

    /// Refreshes `current_pressure_ms` for a `stats()` call.
    pub fn stats_now(&mut self) {
        self.s.st.current_pressure_ms = self
            .pressure_since
            .map(|t| t.elapsed().as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
    }

    #[inline]
    fn has(&self, f: u32) -> bool {
        self.s.flags & f != 0
    }
    #[inline]
    fn set(&mut self, f: u32) {
        self.s.flags |= f;
    }
    #[inline]
    fn clear(&mut self, f: u32) {
        self.s.flags &= !f;
    }

    /// Current flags.
    pub fn flags(&self) -> u32 {
        self.s.flags
    }

    /// `_construct` exists and has not called back yet.
    pub fn start_construct(&mut self) {
        self.clear(flag::CONSTRUCTED);
    }

    /// `_construct` called back.
    pub fn constructed(&mut self) {
        self.set(flag::CONSTRUCTED);
    }

    /// A `write()` of `len` bytes (1 in object mode, the facade passes it): count it and decide
    /// whether `_write` runs now or the chunk waits in the queue.
    ///
    /// Node decides `write()`'s return value after `_write` has returned: a sink that calls back
    /// synchronously has already taken the chunk off the count. So for a dispatched chunk the
    /// core answers for both outcomes: [`w::RET_TRUE`] if the write is still in flight when
    /// `_write` returns, [`w::RET_IF_DONE`] if it completed during `_write`. `needDrain` is set
    /// here only when both outcomes return false; in the other case the facade reports it with
    /// [`Self::note_need_drain`] (once per backpressure episode, not per write).
    #[inline]
    pub fn write(&mut self, len: f64) -> u32 {
        let fl = self.s.flags;
        if fl & flag::ENDING != 0 {
            return w::ERR_END;
        }
        if fl & flag::DESTROYED != 0 {
            return w::ERR_DESTROYED;
        }
        let mut dropped_oldest = 0u32;
        if self.max_buffered != 0.0 && self.s.length + len > self.max_buffered {
            match self.overflow {
                Overflow::Error => return w::ERR_OVERFLOW,
                Overflow::DropNewest => {
                    self.s.st.dropped += 1.0;
                    return w::DROPPED;
                }
                Overflow::DropOldest => {
                    // Drop queued entries (never the one in flight) until the chunk fits.
                    let mut n = 0u32;
                    while self.s.length + len > self.max_buffered {
                        match self.queue.pop_front() {
                            Some(old) => {
                                self.s.length -= old;
                                self.s.buffered -= 1.0;
                                self.s.pending_cb -= 1.0;
                                n += 1;
                            }
                            None => break,
                        }
                    }
                    self.s.st.dropped += n as f64;
                    if self.s.length + len > self.max_buffered {
                        self.s.st.dropped += 1.0;
                        return w::DROPPED | (n << w::DROPPED_OLDEST_SHIFT);
                    }
                    dropped_oldest = n;
                }
            }
        }
        self.s.pending_cb += 1.0;
        let l0 = self.s.length;
        let l1 = l0 + len;
        self.s.length = l1;
        self.s.st.writes += 1.0;
        self.s.st.bytes += len;
        if l1 > self.s.st.peak {
            self.s.st.peak = l1;
        }
        let ok1 = l1 < self.s.hwm || l1 == 0.0;
        if fl & (flag::WRITING | flag::ERRORED) != 0
            || fl & flag::CORKED != 0
            || fl & flag::CONSTRUCTED == 0
        {
            self.queue.push_back(len);
            self.s.buffered += 1.0;
            if !ok1 {
                self.s.flags |= flag::NEED_DRAIN;
                self.pressure_on();
            }
            return w::BUFFERED
                | if ok1 { w::RET_TRUE } else { 0 }
                | (dropped_oldest << w::DROPPED_OLDEST_SHIFT);
        }
        self.s.writelen = len;
        self.s.flags |= flag::WRITING;
        let ok0 = l0 < self.s.hwm || l0 == 0.0;
        if !ok0 {
            self.s.flags |= flag::NEED_DRAIN;
            self.pressure_on();
        }
        w::DISPATCH | if ok1 { w::RET_TRUE } else { 0 } | if ok0 { w::RET_IF_DONE } else { 0 }
    }

    /// `write()` returns false because its chunk is still in flight: drain is now needed.
    pub fn note_need_drain(&mut self) {
        self.set(flag::NEED_DRAIN);
        self.pressure_on();
    }

    /// The write in flight completed synchronously without error while the queue was empty; the
    /// facade reports it lazily, with its next call (it is not observable before: every path that
    /// reads or changes state applies it first). Returns false if no write was in flight.
    ///
    /// `nop`: the write had no user callback. Node 20 settles such a write's share of
    /// `pendingcb` at once rather than on the after-write tick, which decides whether an
    /// `end()` called before that tick finishes on the next tick or one later.
    #[inline]
    pub fn complete_sync_ok(&mut self, nop: bool) -> bool {
        if self.s.flags & flag::WRITING == 0 {
            return false;
        }
        if nop {
            self.s.pending_cb -= 1.0;
        }
        self.s.flags &= !flag::WRITING;
        self.s.length -= self.s.writelen;
        self.s.writelen = 0.0;
        true
    }

    /// The callback of the write in flight was called, with an error or not. Answers with the
    /// dispatch action for the queue (see [`a`]) and flags. `has_writev`: the stream has a
    /// `_writev` now (user code may assign hooks at any time, so the facade tells each time).
    /// `sync_nop`: completed during `_write` without error and without a user callback (see
    /// [`Self::complete_sync_ok`]).
    pub fn onwrite(&mut self, errored: bool, has_writev: bool, sync_nop: bool) -> u32 {
        if !self.has(flag::WRITING) {
            return a::MULTIPLE_CB;
        }
        if sync_nop && !errored {
            self.s.pending_cb -= 1.0;
        }
        self.clear(flag::WRITING);
        self.s.length -= self.s.writelen;
        self.s.writelen = 0.0;
        if errored {
            if self.has(flag::ERRORED) {
                return a::NONE;
            }
            self.set(flag::ERRORED);
            return a::FIRST_ERROR;
        }
        if self.queue.is_empty() {
            a::NONE
        } else {
            self.clear_buffer(has_writev)
        }
    }

    /// Start handing the queue to the sink, if nothing prevents it.
    pub fn clear_buffer(&mut self, has_writev: bool) -> u32 {
        let fl = self.s.flags;
        if fl & (flag::CORKED | flag::BUFFER_PROCESSING | flag::DESTROYED) != 0
            || fl & flag::CONSTRUCTED == 0
            || self.queue.is_empty()
        {
            return a::NONE;
        }
        if self.queue.len() > 1 && has_writev {
            // One `_writev` takes everything; its single callback stands for all of them.
            let n = self.queue.len() as f64;
            self.s.pending_cb -= n - 1.0;
            self.s.writelen = self.s.length;
            self.queue.clear();
            // (counted in `buffered` until `_writev` returns)
            self.pass_taken += n;
            // The pass lasts while `_writev` runs (Node's `bufferProcessing`, visible to it):
            // ended by [`Self::end_pass`] when `_writev` returns.
            self.set(flag::WRITING | flag::BUFFER_PROCESSING);
            return a::WRITEV;
        }
        self.set(flag::BUFFER_PROCESSING);
        self.next_one()
    }

    /// Take the next entry of a queue pass, or end the pass.
    fn next_one(&mut self) -> u32 {
        if self.has(flag::WRITING) {
            self.pass_over();
            return a::NONE;
        }
        match self.queue.pop_front() {
            Some(len) => {
                self.pass_taken += 1.0;
                self.s.writelen = len;
                self.set(flag::WRITING);
                if self.has(flag::DESTROYED) {
                    a::ONE_DESTROYED
                } else {
                    a::ONE
                }
            }
            None => {
                self.pass_over();
                a::NONE
            }
        }
    }

    /// A queue pass is over: the entries it took leave `buffered`.
    fn pass_over(&mut self) {
        self.clear(flag::BUFFER_PROCESSING);
        self.s.buffered -= self.pass_taken;
        self.pass_taken = 0.0;
    }

    /// `_writev` of a queue pass returned: the pass is over. The `dropped` entries queued while
    /// it ran (the facade's late writes) leave the queue, as Node's reset of its buffer list
    /// after `_writev` drops them: their bytes and callback shares stay counted (Node's
    /// `length` and `pendingcb` keep them, so such a stream never finishes), and the batch's
    /// callback, which walks that list, calls theirs.
    pub fn end_pass(&mut self, dropped: u32) {
        self.pass_over();
        for _ in 0..dropped {
            if self.queue.pop_back().is_none() {
                break;
            }
            self.s.buffered -= 1.0;
        }
    }

    /// After the facade dispatched one entry of a queue pass: the next one, if the sink is free.
    pub fn clear_next(&mut self) -> u32 {
        self.next_one()
    }

    /// The after-write step for `count` completions (deferred to a tick when they were
    /// synchronous): decides `'drain'`. Returns true when `'drain'` must be emitted now; then the
    /// facade accounts the callbacks after the event (its listeners may look at the count).
    /// Otherwise `dec` callbacks about to be called are accounted here, saving a step.
    pub fn after_write(&mut self, dec: f64) -> bool {
        let drain = self.s.flags & (flag::ENDING | flag::DESTROYED) == 0
            && self.s.length <= self.low_water_mark
            && self.has(flag::NEED_DRAIN);
        if drain {
            self.clear(flag::NEED_DRAIN);
            self.pressure_off();
        } else {
            self.s.pending_cb -= dec;
        }
        drain
    }

    /// One more user callback is about to be called.
    pub fn pending_dec(&mut self, n: f64) {
        self.s.pending_cb -= n;
    }

    /// The stream is destroyed (or errored): drop the queued entries. Returns true when the
    /// facade must fail its queued callbacks and its pending `end()` callbacks; false while a
    /// write is still in flight (its completion will do it).
    pub fn error_buffer(&mut self) -> bool {
        if self.has(flag::WRITING) {
            return false;
        }
        for len in self.queue.drain(..) {
            self.s.length -= len;
        }
        self.s.buffered = 0.0;
        self.pass_taken = 0.0;
        true
    }

    /// Everything needed before `'finish'`: ended, nothing buffered or in flight, no pass over
    /// the queue under way (as Node, where the queue counts as buffered until its pass ends), not
    /// errored or destroyed, not already finished.
    pub fn need_finish(&self) -> bool {
        let fl = self.s.flags;
        fl & (mask::FINISH_NEEDS | mask::FINISH_BLOCKERS) == mask::FINISH_NEEDS
            && self.s.length == 0.0
            && self.queue.is_empty()
    }

    /// The finish check (Node's `finishMaybe`): the first step of the finish sequence.
    pub fn finish_maybe(&mut self, sync: bool, has_final: bool) -> u32 {
        if !self.need_finish() {
            return f::NONE;
        }
        if !self.has(flag::PREFINISHED) && !self.has(flag::FINAL_CALLED) {
            if has_final && !self.has(flag::DESTROYED) {
                self.set(flag::FINAL_CALLED);
                self.s.pending_cb += 1.0;
                return f::CALL_FINAL;
            }
            // Node marks `finalCalled` even when there is no `_final` to call.
            self.set(flag::PREFINISHED | flag::FINAL_CALLED);
            return f::EMIT_PREFINISH;
        }
        self.finish_maybe_tail(sync)
    }

    /// The second step of the finish check, after `_final` was called or `'prefinish'` emitted.
    /// Node emits `'finish'` on a later tick when the check runs from a completion, `end()` or
    /// the after-write step (`sync`: [`f::FINISH_TICK`]); only the check after `_construct` has
    /// called back finishes at once ([`f::FINISH_NOW`]), if a `'prefinish'` listener left it due.
    pub fn finish_maybe_tail(&mut self, sync: bool) -> u32 {
        if self.s.pending_cb != 0.0 {
            return f::NONE;
        }
        if sync {
            self.s.pending_cb += 1.0;
            return f::FINISH_TICK;
        }
        if !self.need_finish() {
            return f::NONE;
        }
        self.s.pending_cb += 1.0;
        f::FINISH_NOW
    }

    /// The tick scheduled by [`f::FINISH_TICK`]: finish if still due (then `'finish'` is
    /// emitted now: [`Self::finish`] is done in the same step, there being no user code between).
    pub fn finish_tick(&mut self) -> bool {
        if self.need_finish() {
            self.finish();
            true
        } else {
            self.s.pending_cb -= 1.0;
            false
        }
    }

    /// `_final` called back. With an error: [`f::FINAL_ERROR`]. Otherwise `'prefinish'` is due now
    /// and `'finish'` on the next tick ([`f::FINISH_TICK`], unconditional) if still needed.
    pub fn final_done(&mut self, errored: bool) -> u32 {
        self.s.pending_cb -= 1.0;
        if errored {
            return f::FINAL_ERROR;
        }
        if self.need_finish() {
            self.set(flag::PREFINISHED);
            self.s.pending_cb += 1.0;
            return f::FINISH_TICK;
        }
        f::NONE
    }

    /// `'finish'` is emitted now.
    pub fn finish(&mut self) {
        self.s.pending_cb -= 1.0;
        self.set(flag::FINISHED);
    }

    /// `end()` after its optional chunk: see [`e`]. A corked stream must be fully uncorked by the
    /// facade first ([`Self::uncork_all`]).
    pub fn end(&mut self) -> u32 {
        if !self.has(flag::ERRORED) && !self.has(flag::ENDING) {
            self.set(flag::ENDING);
            e::ENDING
        } else if self.has(flag::FINISHED) {
            e::ERR_FINISHED
        } else if self.has(flag::DESTROYED) {
            e::ERR_DESTROYED
        } else {
            e::NOTHING
        }
    }

    /// `end()` has returned.
    pub fn mark_ended(&mut self) {
        self.set(flag::ENDED);
    }

    /// `end()`, then the finish sequence as far as it goes with no user code (see
    /// [`crate::protocol::writable::end`]): what one `end()` costs a stream with no `_final`
    /// and no `'prefinish'` listener is then one call, not three or four.
    pub fn end_run(&mut self, has_final: bool, quiet_prefinish: bool) -> u32 {
        let r = self.end();
        if r != e::ENDING {
            return r;
        }
        let mut step = self.finish_maybe(true, has_final);
        if step == f::EMIT_PREFINISH && quiet_prefinish {
            step = self.finish_maybe_tail(true);
        }
        if step == f::CALL_FINAL || step == f::EMIT_PREFINISH {
            return r | (step * end::STEP);
        }
        self.mark_ended();
        r | (step * end::STEP) | end::MARKED
    }

    /// A `Duplex` created with `writable: false`: the writable side is over from the start.
    pub fn disable(&mut self) {
        self.set(flag::ENDING | flag::ENDED | flag::FINISHED);
    }

    /// `cork()`.
    pub fn cork(&mut self) {
        self.set(flag::CORKED);
        self.s.corked += 1;
    }

    /// `uncork()`: returns the dispatch action for the queue.
    pub fn uncork(&mut self, has_writev: bool) -> u32 {
        if self.s.corked == 0 {
            return a::NONE;
        }
        self.s.corked -= 1;
        if self.s.corked == 0 {
            self.clear(flag::CORKED);
        }
        if self.has(flag::WRITING) {
            return a::NONE;
        }
        self.clear_buffer(has_writev)
    }

    /// `end()` uncorks fully: as if `uncork()` were called once with the depth set to one.
    pub fn uncork_all(&mut self, has_writev: bool) -> u32 {
        if !self.has(flag::CORKED) {
            return a::NONE;
        }
        self.s.corked = 1;
        self.uncork(has_writev)
    }

    /// `destroy(err)`: see [`d`]. `pending_end_cbs` says whether the facade holds `end()`
    /// callbacks that the destruction must fail.
    pub fn destroy_begin(&mut self, has_error: bool, pending_end_cbs: bool) -> u32 {
        self.destroy_begin_closing(has_error, pending_end_cbs, false)
    }

    /// [`Self::destroy_begin`]; with `close_now` (the default `_destroy`, no error) the stream
    /// is marked closed in the same step ([`d::CLOSED`]) unless `_destroy` must wait for
    /// `_construct`.
    pub fn destroy_begin_closing(
        &mut self,
        has_error: bool,
        pending_end_cbs: bool,
        close_now: bool,
    ) -> u32 {
        if self.has(flag::DESTROYED) {
            return d::ALREADY;
        }
        let mut code = 0;
        // Node's "something is buffered": entries queued, or a queue pass under way (Node
        // empties its buffer only once the pass has handed out its last entry, so a destroy()
        // from inside that entry's `_write` still fails the `end()` callbacks on a tick of
        // their own, before 'close').
        if !self.queue.is_empty() || self.has(flag::BUFFER_PROCESSING) || pending_end_cbs {
            code |= d::ERROR_BUFFER;
        }
        if has_error && !self.has(flag::ERRORED) {
            self.set(flag::ERRORED);
            code |= d::FIRST_ERROR;
        }
        self.set(flag::DESTROYED);
        if !self.has(flag::CONSTRUCTED) {
            code |= d::WAIT_CONSTRUCT;
        } else if close_now && !has_error {
            self.set_closed();
            code |= d::CLOSED;
        }
        code
    }

    /// Record an error (from `errorOrDestroy` without auto-destroy, or from `_destroy`'s callback).
    /// Returns true when it is the stream's first error.
    pub fn set_errored(&mut self) -> bool {
        if self.has(flag::ERRORED) {
            return false;
        }
        self.set(flag::ERRORED);
        true
    }

    /// `stream.destroyed = value`: Node lets code set the flag directly.
    pub fn set_destroyed(&mut self, value: bool) {
        if value {
            self.set(flag::DESTROYED);
        } else {
            self.clear(flag::DESTROYED);
        }
    }

    /// `_destroy` called back.
    pub fn set_closed(&mut self) {
        self.set(flag::CLOSED);
    }

    /// The error step of destruction: true when `'error'` must be emitted (only once).
    pub fn error_emit(&mut self) -> bool {
        if self.has(flag::ERROR_EMITTED) {
            return false;
        }
        self.set(flag::ERROR_EMITTED);
        true
    }

    /// The close step of destruction: true when `'close'` must be emitted.
    pub fn close_emit(&mut self) -> bool {
        self.set(flag::CLOSE_EMITTED);
        self.has(flag::EMIT_CLOSE)
    }

    // Assignments to `_writableState` fields. They are rare (code that resets a stream, or marks
    // it ended or not errored): one call each, nothing on the write path. What follows behaves
    // as in Node after the same assignment because every later step reads these same bits and
    // counters.

    /// `_writableState.<flag> = on` for a bit of [`flag::ASSIGNABLE`] (others are ignored).
    pub fn set_flag(&mut self, bit: u32, on: bool) {
        let bit = bit & flag::ASSIGNABLE;
        if on {
            self.set(bit);
        } else {
            self.clear(bit);
        }
    }

    /// `_writableState.<counter> = v` (see [`counter`]). A cork depth is a whole number >= 0
    /// here (Node would keep any number; code assigns 0 or a depth).
    pub fn set_counter(&mut self, which: u32, v: f64) {
        match which {
            counter::HWM => self.s.hwm = v,
            counter::LENGTH => self.s.length = v,
            counter::PENDING_CB => self.s.pending_cb = v,
            counter::CORKED => {
                self.s.corked = if v.is_finite() && v > 0.0 {
                    v as u32
                } else {
                    0
                }
            }
            counter::WRITELEN => self.s.writelen = v,
            _ => {}
        }
    }

    /// `_writableState.buffered = [...]`: the facade replaced its queue; the core's lengths start
    /// over and [`Self::queue_push`] gives them one by one. The length count is not touched
    /// (Node's assignment leaves `length` alone too).
    pub fn queue_reset(&mut self) {
        self.queue.clear();
        self.s.buffered = 0.0;
        self.pass_taken = 0.0;
    }

    /// One entry of a replaced queue (see [`Self::queue_reset`]).
    pub fn queue_push(&mut self, len: f64) {
        self.queue.push_back(len);
        self.s.buffered += 1.0;
    }

    /// `_undestroy()`: the stream can be used again after a destruction. The destruction and
    /// finish facts are cleared; a side created with `writable: false` stays over.
    pub fn undestroy(&mut self, disabled: bool) {
        self.set(flag::CONSTRUCTED);
        self.clear(
            flag::DESTROYED
                | flag::CLOSED
                | flag::CLOSE_EMITTED
                | flag::ERRORED
                | flag::ERROR_EMITTED
                | flag::FINAL_CALLED
                | flag::PREFINISHED,
        );
        let over = flag::ENDED | flag::ENDING | flag::FINISHED;
        if disabled {
            self.set(over);
        } else {
            self.clear(over);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(hwm: f64) -> WritableCore {
        WritableCore::new(false, hwm, flag::EMIT_CLOSE | flag::AUTO_DESTROY)
    }

    #[test]
    fn write_returns_false_once_length_reaches_the_mark() {
        let mut c = core(10.0);
        let r = c.write(4.0);
        assert_eq!(r, w::DISPATCH | w::RET_TRUE | w::RET_IF_DONE);
        let r = c.write(6.0);
        assert_eq!(r, w::BUFFERED, "4 + 6 = 10 >= 10");
        assert!(c.flags() & flag::NEED_DRAIN != 0);
        assert_eq!(c.s.length, 10.0);
        assert_eq!(c.s.buffered, 1.0);
    }

    #[test]
    fn a_chunk_over_the_mark_returns_true_only_if_it_completes_during_write() {
        let mut c = core(4.0);
        let r = c.write(10.0);
        assert_eq!(r, w::DISPATCH | w::RET_IF_DONE);
        assert!(
            c.flags() & flag::NEED_DRAIN == 0,
            "decided after _write returns"
        );
        c.note_need_drain();
        assert!(c.flags() & flag::NEED_DRAIN != 0);
    }

    #[test]
    fn the_fast_path_is_offered_only_when_idle() {
        let mut c = core(16.0);
        c.refresh_standing();
        assert!(c.flags() & flag::FAST != 0);
        c.write(4.0);
        c.refresh_standing();
        assert!(c.flags() & flag::FAST == 0, "a write in flight");
        c.complete_sync_ok(true);
        c.refresh_standing();
        assert!(c.flags() & flag::FAST != 0);
        c.cork();
        c.refresh_standing();
        assert!(c.flags() & flag::FAST == 0, "corked");
        c.uncork(false);
        c.s.fast_writes = 3.0;
        c.s.fast_bytes = 30.0;
        c.s.fast_peak = 10.0;
        c.fold();
        assert_eq!(c.s.st.writes, 4.0);
        assert_eq!(c.s.st.bytes, 34.0);
        c.late_dispatch(5.0);
        assert_eq!(c.s.length, 5.0);
        assert_eq!(c.onwrite(false, false, false), a::NONE);
        assert_eq!(c.s.length, 0.0);
    }

    #[test]
    fn hysteresis_drains_at_the_low_water_mark() {
        let mut c = core(10.0);
        c.set_policies(4.0, 0.0, Overflow::Error);
        c.write(6.0);
        c.write(6.0);
        assert!(c.flags() & flag::NEED_DRAIN != 0);
        c.onwrite(false, false, false); // 6 left
        assert!(!c.after_write(0.0));
        c.onwrite(false, false, false); // 0 left... but hysteresis would have fired at <= 4
        assert!(c.after_write(0.0));
        assert_eq!(c.s.st.drains, 1.0);
        assert!(c.s.st.write_false >= 1.0);
    }

    #[test]
    fn overflow_drop_oldest_keeps_the_newest_within_bounds() {
        let mut c = core(4.0);
        c.set_policies(0.0, 10.0, Overflow::DropOldest);
        c.write(4.0); // in flight
        c.write(4.0); // queued
        let r = c.write(4.0); // 12 > 10: the queued 4 goes
        assert_eq!(r & w::BUFFERED, w::BUFFERED);
        assert_eq!(r >> w::DROPPED_OLDEST_SHIFT, 1);
        assert_eq!(c.s.length, 8.0);
        assert_eq!(c.s.st.dropped, 1.0);
        c.set_policies(0.0, 10.0, Overflow::DropNewest);
        assert_eq!(c.write(4.0), w::DROPPED);
        c.set_policies(0.0, 10.0, Overflow::Error);
        assert_eq!(c.write(4.0), w::ERR_OVERFLOW);
    }

    #[test]
    fn stats_count_writes_and_peak() {
        let mut c = core(100.0);
        c.write(30.0);
        c.write(50.0);
        assert_eq!(c.s.st.writes, 2.0);
        assert_eq!(c.s.st.bytes, 80.0);
        assert_eq!(c.s.st.peak, 80.0);
    }

    #[test]
    fn a_zero_mark_still_accepts_empty_writes() {
        let mut c = core(0.0);
        assert_eq!(c.write(0.0), w::DISPATCH | w::RET_TRUE | w::RET_IF_DONE);
    }

    #[test]
    fn sync_completion_then_next_write_dispatches_again() {
        let mut c = core(16.0);
        assert_eq!(c.write(8.0) & w::DISPATCH, w::DISPATCH);
        assert!(c.complete_sync_ok(false));
        assert_eq!(c.s.length, 0.0);
        assert_eq!(c.write(8.0) & w::DISPATCH, w::DISPATCH);
        assert!(!c.complete_sync_ok(false) || c.s.length == 0.0);
    }

    #[test]
    fn completion_hands_out_the_queue_one_by_one_without_writev() {
        let mut c = core(100.0);
        c.write(1.0);
        c.write(2.0);
        c.write(3.0);
        assert_eq!(c.s.length, 6.0);
        assert_eq!(c.onwrite(false, false, false), a::ONE);
        assert_eq!(c.s.length, 5.0);
        assert!(c.flags() & flag::BUFFER_PROCESSING != 0);
        // the sink is busy: the pass ends
        assert_eq!(c.clear_next(), a::NONE);
        assert!(c.flags() & flag::BUFFER_PROCESSING == 0);
        assert_eq!(c.onwrite(false, false, false), a::ONE);
        assert_eq!(c.s.length, 3.0);
        assert_eq!(c.onwrite(false, false, false), a::NONE);
        assert_eq!(c.s.length, 0.0);
    }

    #[test]
    fn uncork_with_writev_takes_everything_in_one_call() {
        let mut c = core(100.0);
        c.cork();
        c.write(1.0);
        c.write(2.0);
        assert_eq!(c.s.pending_cb, 2.0);
        assert_eq!(c.uncork(true), a::WRITEV);
        assert_eq!(c.s.pending_cb, 1.0);
        assert_eq!(c.onwrite(false, false, false), a::NONE);
        assert_eq!(c.s.length, 0.0);
    }

    #[test]
    fn second_callback_is_reported() {
        let mut c = core(100.0);
        c.write(1.0);
        assert_eq!(c.onwrite(false, false, false), a::NONE);
        assert_eq!(c.onwrite(false, false, false), a::MULTIPLE_CB);
    }

    #[test]
    fn drain_only_when_empty_and_needed() {
        let mut c = core(2.0);
        c.write(2.0);
        c.note_need_drain(); // write() returned false: the chunk is still in flight
        assert!(!c.after_write(0.0), "still in flight");
        c.onwrite(false, false, false);
        assert!(c.after_write(1.0));
        assert_eq!(c.s.pending_cb, 1.0, "accounted after the event");
        assert!(!c.after_write(0.0), "drain is emitted once");
    }

    #[test]
    fn write_after_end_is_an_error_and_counts_nothing() {
        let mut c = core(2.0);
        assert_eq!(c.end(), e::ENDING);
        assert_eq!(c.write(1.0), w::ERR_END);
        assert_eq!(c.s.length, 0.0);
    }

    #[test]
    fn finish_sequence_without_final_waits_a_tick() {
        let mut c = core(2.0);
        assert_eq!(c.end(), e::ENDING);
        assert_eq!(c.finish_maybe(true, false), f::EMIT_PREFINISH);
        assert_eq!(c.finish_maybe_tail(true), f::FINISH_TICK);
        assert_eq!(
            c.finish_maybe(false, false),
            f::NONE,
            "the finish tick is owed"
        );
        assert!(c.finish_tick(), "the tick finishes (and marks it)");
        assert_eq!(c.s.pending_cb, 0.0);
        assert!(c.flags() & flag::FINISHED != 0);
        assert_eq!(c.end(), e::ERR_FINISHED);
    }

    #[test]
    fn end_run_goes_as_far_as_no_user_code_runs() {
        // No _final, no 'prefinish' listener: end, prefinish, the finish tick owed, ended.
        let mut c = core(2.0);
        let r = c.end_run(false, true);
        assert_eq!(r & end::E_MASK, e::ENDING);
        assert_eq!((r / end::STEP) & end::STEP_MASK, f::FINISH_TICK);
        assert!(r & end::MARKED != 0);
        assert!(c.flags() & (flag::ENDED | flag::PREFINISHED) == flag::ENDED | flag::PREFINISHED);
        assert_eq!(c.s.pending_cb, 1.0);
        // A 'prefinish' listener: the facade emits it and goes on itself.
        let mut c = core(2.0);
        let r = c.end_run(false, false);
        assert_eq!((r / end::STEP) & end::STEP_MASK, f::EMIT_PREFINISH);
        assert!(r & end::MARKED == 0 && c.flags() & flag::ENDED == 0);
        // A _final: called by the facade, not yet ended.
        let mut c = core(2.0);
        let r = c.end_run(true, true);
        assert_eq!((r / end::STEP) & end::STEP_MASK, f::CALL_FINAL);
        assert!(r & end::MARKED == 0);
        // A write in flight: ending, nothing due, ended.
        let mut c = core(2.0);
        c.write(1.0);
        let r = c.end_run(false, true);
        assert_eq!(r, e::ENDING | end::MARKED);
        assert_eq!(c.end_run(false, true), e::NOTHING);
    }

    #[test]
    fn destroy_closing_marks_closed_unless_constructing_or_errored() {
        let mut c = core(2.0);
        let r = c.destroy_begin_closing(false, false, true);
        assert!(r & d::CLOSED != 0 && c.flags() & flag::CLOSED != 0);
        let mut c = core(2.0);
        let r = c.destroy_begin_closing(true, false, true);
        assert!(r & d::CLOSED == 0 && c.flags() & flag::CLOSED == 0);
    }

    #[test]
    fn final_is_called_once_and_its_error_is_reported() {
        let mut c = core(2.0);
        c.end();
        assert_eq!(c.finish_maybe(true, true), f::CALL_FINAL);
        assert_eq!(c.finish_maybe_tail(true), f::NONE, "final pending");
        assert_eq!(c.finish_maybe(false, true), f::NONE, "final already called");
        assert_eq!(c.final_done(true), f::FINAL_ERROR);
    }

    #[test]
    fn destroy_fails_the_queue_after_the_write_in_flight() {
        let mut c = core(100.0);
        c.write(1.0);
        c.write(2.0);
        let r = c.destroy_begin(false, false);
        assert_eq!(r, d::ERROR_BUFFER);
        assert!(!c.error_buffer(), "a write is in flight");
        assert_eq!(
            c.onwrite(false, false, false),
            a::NONE,
            "no dispatch after destroy"
        );
        assert!(c.error_buffer());
        assert_eq!(c.s.length, 0.0);
        assert_eq!(c.destroy_begin(true, false), d::ALREADY);
    }

    #[test]
    fn writes_wait_for_construct() {
        let mut c = core(100.0);
        c.start_construct();
        assert_eq!(c.write(1.0), w::BUFFERED | w::RET_TRUE);
        assert!(!c.need_finish());
        c.constructed();
        assert_eq!(c.clear_buffer(false), a::ONE);
    }

    #[test]
    fn assignments_reach_the_state_and_undestroy_resets_it() {
        let mut c = core(4.0);
        c.set_flag(flag::ENDING | flag::FAST | flag::OBJECT_MODE, true);
        assert!(c.flags() & flag::ENDING != 0);
        assert!(c.flags() & flag::OBJECT_MODE == 0, "not assignable");
        assert_eq!(c.write(1.0), w::ERR_END, "marked ending: writes are errors");
        c.set_flag(flag::ENDING, false);
        c.set_counter(counter::HWM, 1.0);
        assert_eq!(c.write(1.0), w::DISPATCH | w::RET_IF_DONE);
        c.set_counter(counter::CORKED, -3.0);
        assert_eq!(c.s.corked, 0);
        c.destroy_begin(true, false);
        c.set_closed();
        c.undestroy(false);
        assert!(c.flags() & (flag::DESTROYED | flag::ERRORED | flag::CLOSED) == 0);
        assert!(c.flags() & flag::CONSTRUCTED != 0);
        c.undestroy(true);
        assert!(c.flags() & flag::FINISHED != 0);
        c.queue_reset();
        c.queue_push(2.0);
        assert_eq!(c.s.buffered, 1.0);
    }

    #[test]
    fn object_mode_counts_entries() {
        let mut c = WritableCore::new(true, 2.0, 0);
        assert_eq!(c.write(1.0), w::DISPATCH | w::RET_TRUE | w::RET_IF_DONE);
        assert_eq!(c.write(1.0), w::BUFFERED);
    }
}
