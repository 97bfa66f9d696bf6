//! The Readable state machine, with no knowledge of Node.
//!
//! As with the Writable core, the facade holds the chunk values (JS objects) in a queue that
//! mirrors this core's queue of lengths; the core owns the accounting against
//! `highWaterMark`, the flowing / paused / reading / ended / destroyed state, and every decision
//! of when `_read` is called and when `'data'`, `'readable'` and `'end'` are due. Steps that
//! run user code in between (calling `_read`, emitting) are split into separate calls.

use crate::block::Block;
use crate::lengths::Lengths;

pub use crate::protocol::readable::{counter, flag, k, o, p, r, sw};

/// Counters and flags shared with JS (`Float64Array` over the block; the first 16 bytes also
/// as a `Uint32Array`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Shared {
    /// Bits of [`flag`].
    pub flags: u32,
    /// Answer of the last hot-path call.
    pub ret: u32,
    /// Keeps the `f64` fields aligned.
    pub _pad: [u32; 2],
    /// Buffered bytes (or objects; characters once an encoding is set).
    pub length: f64,
    /// `highWaterMark` (raised by large `read(n)` calls, as Node does).
    pub hwm: f64,
    /// Chunks in the queue (the mailbox's pushes and takes join at the fold).
    pub buffered: f64,
    /// The unit count of the last take ([`r::TAKE_N`] and the `'data'` chunk's length).
    pub n: f64,
    /// Statistics (`stream.stats()`), always kept.
    pub st: Stats,
    /// Mailbox: the runs of pushes the facade carried out on the standing answer
    /// ([`crate::protocol::readable::mask::PUSH_BUFFER_BLOCKS`]) since the last call, pushes of
    /// one length in a row making one. The facade has already counted them in `length` and
    /// queued the chunks; the core adds them to its queue of lengths, `buffered` and the
    /// statistics on its next call ([`ReadableCore::fold`]).
    pub fast_runs: f64,
    /// Each run's length per push.
    pub fast_lens: [f64; FAST_RUN_CAP],
    /// Each run's count of pushes.
    pub fast_counts: [f64; FAST_RUN_CAP],
    /// Mailbox: first chunks the facade took on the standing answer for the end of a read
    /// ([`crate::protocol::readable::mask::FAST_TAKE_READY`]) since the last call, already
    /// counted out of `length`; the core drops them from the front of its queue and out of
    /// `buffered` on its next call.
    pub fast_takes: f64,
    /// Calls into the core so far (each [`ReadableCore::fold`] counts one): the facade compares
    /// it across a `_read` to know that nothing but mailbox work happened inside.
    pub calls: f64,
}

/// Runs the push mailbox holds: a push that would start one more takes the ordinary path
/// (which folds first).
pub const FAST_RUN_CAP: usize = crate::protocol::readable::mailbox::RUN_CAP as usize;

/// Statistics of a Readable, visible to JS in the shared block.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// `push()` calls with data.
    pub pushes: f64,
    /// Bytes (or objects) pushed.
    pub bytes: f64,
    /// `push()` calls that returned false.
    pub push_false: f64,
    /// `_read()` calls.
    pub read_calls: f64,
    /// Peak of `readableLength`.
    pub peak: f64,
}

/// Size of [`Shared`] in bytes.
pub const SHARED_BYTES: usize = std::mem::size_of::<Shared>();

const MAX_HWM: f64 = 1073741824.0; // 1 GiB

/// The Readable state machine of one stream.
#[derive(Debug, Clone)]
pub struct ReadableCore {
    /// Flags and counters, visible to JS.
    pub s: Block<Shared>,
    queue: Lengths,
    /// Bits of [`sw`].
    sw: u32,
    /// Length of the chunk parked by the flowing fast loop ([`flag::FAST_CHUNK`]).
    fast: f64,
}

impl ReadableCore {
    /// A new state machine; `hwm` is validated by the facade.
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

    /// Whether the core keeps nothing outside its block that [`ReadableCore::resume_in`]
    /// would not rebuild (no queue, no chunk parked by the fast loop), and then the key to
    /// rebuild it with (its version switches, [`sw`]); see `WritableCore::retire_key`.
    pub fn retire_key(&self) -> Option<u32> {
        (self.queue.is_empty() && self.fast == 0.0).then_some(self.sw)
    }

    /// The core of a block whose core was retired with `key` ([`ReadableCore::retire_key`]),
    /// the block as it stands.
    ///
    /// # Safety
    /// As for [`Block::resumed`].
    pub unsafe fn resume_in(slot: *mut Shared, key: u32) -> Self {
        // SAFETY: the caller's guarantee, passed on.
        Self::with_parts(unsafe { Block::resumed(slot) }, key)
    }

    /// [`ReadableCore::resume_in`] with a block of its own (the property tests).
    pub fn resumed(s: Shared, key: u32) -> Self {
        Self::with_parts(Block::owned(s), key)
    }

    /// A core over `s`, everything outside the block at its start but the switches of `key`.
    fn with_parts(s: Block<Shared>, key: u32) -> Self {
        ReadableCore {
            s,
            queue: Lengths::new(),
            sw: key & sw::ALL,
            fast: 0.0,
        }
    }

    /// The constructor proper, with the shared block placed by `block`.
    fn with_block(
        block: impl FnOnce(Shared) -> Block<Shared>,
        object_mode: bool,
        hwm: f64,
        options: u32,
    ) -> Self {
        let mut flags = options & crate::protocol::readable::mask::MADE_FROM_OPTIONS;
        if object_mode {
            flags |= flag::OBJECT_MODE;
        }
        flags |= flag::CONSTRUCTED | flag::SYNC;
        Self::with_parts(
            block(Shared {
                flags,
                ret: 0,
                _pad: [0; 2],
                length: 0.0,
                hwm,
                buffered: 0.0,
                n: 0.0,
                st: Stats::default(),
                fast_runs: 0.0,
                fast_lens: [0.0; FAST_RUN_CAP],
                fast_counts: [0.0; FAST_RUN_CAP],
                fast_takes: 0.0,
                calls: 0.0,
            }),
            options,
        )
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
    #[inline]
    fn put(&mut self, f: u32, on: bool) {
        if on {
            self.set(f)
        } else {
            self.clear(f)
        }
    }

    /// Current flags.
    pub fn flags(&self) -> u32 {
        self.s.flags
    }

    #[inline]
    fn switch(&self, b: u32) -> bool {
        self.sw & b != 0
    }

    fn flowing(&self) -> bool {
        self.has(flag::FLOWING)
    }

    /// Takes in what the facade did on the standing answers since the last call (first step of
    /// every call): the pushes of the mailbox join the queue of lengths. (The flag bits those
    /// answers change, the facade changed as it carried them out: a later answer may have set
    /// them again, e.g. `reading` for the next `_read`, so nothing here touches them.)
    /// The chunks the facade took at the end of a read join the same way: dropped from the
    /// front, after the pushes (a take never reaches a chunk pushed after it). In a steady flow
    /// both counts grow without a call for as long as it lasts, so the takes are applied to the
    /// queue first and then to the runs' fronts: only the pushes still queued are added.
    /// The mailbox's pushes do not note the peak: the length only grows between two takes, so
    /// its peak is the length where it next falls, noted there (here for the core's takes; the
    /// facade's own takes and `stats()` note it themselves).
    #[inline]
    pub fn fold(&mut self) {
        self.s.calls += 1.0;
        if self.s.length > self.s.st.peak {
            self.s.st.peak = self.s.length;
        }
        let mut t = self.s.fast_takes as usize;
        if t != 0 {
            let q = t.min(self.queue.len());
            self.queue.drop_front(q);
            self.s.buffered -= self.s.fast_takes;
            t -= q;
            self.s.fast_takes = 0.0;
        }
        let runs = self.s.fast_runs as usize;
        if runs != 0 {
            for i in 0..runs.min(FAST_RUN_CAP) {
                let count = self.s.fast_counts[i] as usize;
                let skip = t.min(count);
                t -= skip;
                let len = self.s.fast_lens[i];
                // (the mailbox's pushes are counted here, not per push)
                self.s.st.pushes += count as f64;
                self.s.buffered += count as f64;
                self.s.st.bytes += len * count as f64;
                for _ in skip..count {
                    self.queue.push_back(len);
                }
            }
            self.s.fast_runs = 0.0;
        }
        debug_assert_eq!(t, 0, "a take reached past the pushes");
    }

    /// The length of the first queued chunk (what a flowing `read()` takes), if any.
    pub fn queue_front(&self) -> Option<f64> {
        self.queue.front().copied()
    }

    fn below_mark(&self) -> bool {
        self.s.length < self.s.hwm || self.s.length == 0.0
    }

    /// Node's `emitReadable`: the `'readable'` step is wanted; schedule it unless it already is.
    fn emit_readable(&mut self) -> u32 {
        self.clear(flag::NEED_READABLE);
        if !self.has(flag::EMITTED_READABLE) {
            self.set(flag::EMITTED_READABLE);
            return p::TICK_READABLE;
        }
        0
    }

    /// After `_construct`: schedule a read-more step if data is wanted. True when scheduled.
    pub fn read_more_after_construct(&mut self) -> bool {
        self.has(flag::NEED_READABLE) && self.maybe_read_more() != 0
    }

    fn maybe_read_more(&mut self) -> u32 {
        let blocked = if self.switch(sw::READ_MORE_WAITS_FOR_READ) {
            flag::READING_MORE | flag::READING
        } else {
            flag::READING_MORE
        };
        if self.s.flags & blocked == 0 && self.has(flag::CONSTRUCTED) {
            self.set(flag::READING_MORE);
            return p::TICK_READ_MORE;
        }
        0
    }

    /// A `push(chunk)` (`front == false`) or `unshift(chunk)` (`front == true`) of `len` units
    /// of kind [`k`]. `data_listeners`: the stream has `'data'` listeners now;
    /// `readable_listeners` (given for [`k::EOF`] only): it has `'readable'` listeners.
    pub fn push(
        &mut self,
        len: f64,
        kind: u32,
        front: bool,
        data_listeners: bool,
        readable_listeners: bool,
    ) -> u32 {
        let mut code = 0;
        match kind {
            k::EOF => {
                self.clear(flag::READING);
                code |= self.on_eof(readable_listeners);
            }
            k::EMPTY => {
                if !front {
                    self.clear(flag::READING);
                    code |= self.maybe_read_more();
                }
            }
            _ => {
                if front {
                    if self.has(flag::END_EMITTED) {
                        code |= p::ERR_UNSHIFT_AFTER_END;
                    } else if self.s.flags & (flag::DESTROYED | flag::ERRORED) != 0 {
                        return 0;
                    } else {
                        code |= self.add_chunk(len, true, data_listeners);
                    }
                } else if self.has(flag::ENDED) {
                    code |= p::ERR_AFTER_EOF;
                } else if self.s.flags & (flag::DESTROYED | flag::ERRORED) != 0 {
                    return 0;
                } else {
                    self.clear(flag::READING);
                    code |= self.add_chunk(len, false, data_listeners);
                }
            }
        }
        if !self.has(flag::ENDED) && self.below_mark() {
            code |= p::RET_TRUE;
        }
        if kind == k::DATA && code & (p::EMIT_DATA | p::BUFFER_BACK | p::BUFFER_FRONT) != 0 {
            self.s.st.pushes += 1.0;
            self.s.st.bytes += len;
            if code & p::RET_TRUE == 0 {
                self.s.st.push_false += 1.0;
            }
        }
        code
    }

    /// After the `'data'` emitted for a push ([`p::EMIT_DATA`]): true when the read-more step
    /// must be scheduled. The facade carries it out on its standing answer
    /// (`mask::READ_MORE_AFTER_DATA_SETS`); this is the rule the property test holds it to.
    pub fn read_more_after_data(&mut self) -> bool {
        self.maybe_read_more() != 0
    }

    /// The decoder (`setEncoding`) swallowed a pushed chunk (a partial character): the read is
    /// over but nothing is added.
    pub fn push_swallowed(&mut self) -> u32 {
        self.clear(flag::READING);
        let mut code = self.maybe_read_more();
        if !self.has(flag::ENDED) && self.below_mark() {
            code |= p::RET_TRUE;
        }
        code
    }

    fn add_chunk(&mut self, len: f64, front: bool, data_listeners: bool) -> u32 {
        let mut code;
        if self.flowing() && self.s.length == 0.0 && !self.has(flag::SYNC) && data_listeners {
            // The facade forgets the pipe destinations it awaited 'drain' from, as Node does.
            // The read-more step is decided after the 'data' handlers ran (they may read or
            // push): see [`Self::read_more_after_data`].
            self.set(flag::DATA_EMITTED);
            return p::EMIT_DATA;
        } else {
            self.s.length += len;
            self.s.buffered += 1.0;
            if self.s.length > self.s.st.peak {
                self.s.st.peak = self.s.length;
            }
            if front {
                self.queue.push_front(len);
                code = p::BUFFER_FRONT;
            } else {
                self.queue.push_back(len);
                code = p::BUFFER_BACK;
            }
            if self.has(flag::NEED_READABLE) {
                code |= self.emit_readable();
            }
        }
        code |= self.maybe_read_more();
        code
    }

    fn on_eof(&mut self, readable_listeners: bool) -> u32 {
        if self.has(flag::ENDED) {
            return 0;
        }
        self.set(flag::ENDED);
        if self.has(flag::SYNC) {
            if self.switch(sw::EOF_READABLE_ON_DEMAND)
                && !readable_listeners
                && self.s.flags & (flag::FLOWING | flag::NEED_READABLE) == 0
            {
                // Nobody observes the stream: read() and resume() reach the end by themselves.
                self.set(flag::EOF_READABLE_PENDING);
                return 0;
            }
            self.emit_readable()
        } else {
            self.clear(flag::NEED_READABLE);
            self.set(flag::EMITTED_READABLE);
            p::NOW_READABLE
        }
    }

    /// The decoder's tail at end of stream (`decoder.end()` gave `len` > 0 characters): it joins
    /// the queue before the end is recorded.
    pub fn push_tail(&mut self, len: f64) {
        if self.has(flag::ENDED) {
            return;
        }
        self.queue.push_back(len);
        self.s.length += len;
        self.s.buffered += 1.0;
    }

    fn how_much_to_read(&self, n: f64) -> f64 {
        // -1 stands for "no argument" (NaN in Node), -2 for any negative n.
        if n == 0.0 || n == -2.0 || (self.s.length == 0.0 && self.has(flag::ENDED)) {
            return 0.0;
        }
        if self.has(flag::OBJECT_MODE) {
            return 1.0;
        }
        if n < 0.0 {
            if (self.switch(sw::READ_ONE_CHUNK) && !self.has(flag::DECODER) || self.flowing())
                && self.s.length != 0.0
            {
                // The first chunk's length. None with a nonzero length only after one of
                // Node's miscounts (Node 20's string take, see `take_fixup`): Node then reads
                // `.length` of a missing chunk and throws (NaN tells the caller).
                return self.queue.front().copied().unwrap_or(f64::NAN);
            }
            return self.s.length;
        }
        if n <= self.s.length {
            return n;
        }
        if self.has(flag::ENDED) {
            self.s.length
        } else {
            0.0
        }
    }

    fn end_readable(&mut self) -> u32 {
        if self.switch(sw::END_ONCE) {
            if self.s.flags & (flag::END_EMITTED | flag::END_SCHEDULED) == 0 {
                self.set(flag::ENDED | flag::END_SCHEDULED);
                return r::TICK_END;
            }
            return 0;
        }
        if !self.has(flag::END_EMITTED) {
            self.set(flag::ENDED);
            return r::TICK_END;
        }
        0
    }

    /// `read(n)`; `n == -1` means no argument (NaN), `-2` any negative number. Either the final answer, or [`r::CALL_READ`]: call
    /// `_read(hwm)`, then [`Self::read_after`] with the same `n`.
    pub fn read(&mut self, n: f64) -> u32 {
        if n > self.s.hwm {
            if n > MAX_HWM {
                return r::ERR_RANGE;
            }
            self.s.hwm = next_power_of_two(n);
        }
        if n != 0.0 {
            self.clear(flag::EMITTED_READABLE | flag::EOF_READABLE_PENDING);
        }
        if n == 0.0
            && self.has(flag::NEED_READABLE)
            && ((if self.s.hwm != 0.0 {
                self.s.length >= self.s.hwm
            } else {
                self.s.length > 0.0
            }) || self.has(flag::ENDED))
        {
            if self.s.length == 0.0 && self.has(flag::ENDED) {
                return self.end_readable();
            }
            return if self.emit_readable() != 0 {
                r::TICK_READABLE
            } else {
                0
            };
        }
        let m = self.how_much_to_read(n);
        if m.is_nan() {
            return r::ERR_NO_CHUNK;
        }
        if m == 0.0 && self.has(flag::ENDED) {
            if self.s.length == 0.0 {
                return self.end_readable();
            }
            return 0;
        }
        let mut do_read = self.has(flag::NEED_READABLE);
        if self.s.length == 0.0 || self.s.length - m < self.s.hwm {
            do_read = true;
        }
        if self.s.flags & (flag::ENDED | flag::READING | flag::DESTROYED | flag::ERRORED) != 0
            || !self.has(flag::CONSTRUCTED)
        {
            do_read = false;
        }
        if do_read {
            self.set(flag::READING | flag::SYNC);
            self.s.st.read_calls += 1.0;
            if self.s.length == 0.0 {
                self.set(flag::NEED_READABLE);
            }
            // What this read means to take, decided before the call: it stands unless `_read`
            // pushed synchronously (as in Node, which re-evaluates only then). Handed to the
            // facade (in `n`), which gives it back to `read_after`: a read() nested in `_read`
            // decides its own.
            self.s.n = m;
            return r::CALL_READ;
        }
        self.finish_read(n, m)
    }

    /// After `_read` returned (see [`r::CALL_READ`]); `pending` is what the read decided to
    /// take before it (the `n` published with `CALL_READ`).
    pub fn read_after(&mut self, n: f64, pending: f64) -> u32 {
        self.clear(flag::SYNC);
        // Only a synchronous push (which ends the read) makes Node look at the buffer again:
        // a `_read` that pushed nothing (or only unshifted, or paused the stream from a
        // handler) leaves the amount decided before it.
        let m = if self.has(flag::READING) {
            pending
        } else {
            self.how_much_to_read(n)
        };
        if m.is_nan() {
            return r::ERR_NO_CHUNK;
        }
        self.finish_read(n, m)
    }

    fn finish_read(&mut self, n_orig: f64, m: f64) -> u32 {
        let mut code;
        let mut taken = m;
        if m > 0.0 && self.s.length != 0.0 {
            code = self.take(m);
            if code & (r::ERR_OVERFLOW | r::ERR_NO_CHUNK | r::ERR_NEGATIVE_LENGTH) != 0 {
                return code;
            }
        } else {
            code = r::TAKE_NONE;
        }
        let got = code & r::TAKE_MASK != r::TAKE_NONE;
        if !got {
            // Raised, never cleared here (Node's `|=`): a 'readable' wanted before stays wanted.
            if self.s.length <= self.s.hwm {
                self.set(flag::NEED_READABLE);
            }
            taken = 0.0;
        }
        if self.s.length == 0.0 {
            if !self.has(flag::ENDED) {
                self.set(flag::NEED_READABLE);
            }
            if n_orig != taken && self.has(flag::ENDED) {
                code |= self.end_readable();
            }
        }
        if got && self.s.flags & (flag::ERROR_EMITTED | flag::CLOSE_EMITTED) == 0 {
            self.set(flag::DATA_EMITTED);
            code |= r::EMIT_DATA;
        }
        code
    }

    // Node's `fromList`: what to take for `m` units; updates the accounting.
    fn take(&mut self, m: f64) -> u32 {
        if self.has(flag::OBJECT_MODE) {
            let len = self.queue.pop_front().unwrap_or(0.0);
            self.s.buffered -= 1.0;
            self.s.length -= 1.0;
            self.s.n = 1.0;
            let _ = len;
            return r::TAKE_FIRST;
        }
        if m >= self.s.length {
            // Node copies several chunks into a buffer of `length` bytes: a length a nested
            // read's over-take left negative makes that allocation throw, before anything is
            // taken or counted.
            if !self.has(flag::DECODER) && self.queue.len() > 1 && self.s.length < 0.0 {
                return r::ERR_NEGATIVE_LENGTH;
            }
            if self.switch(sw::FLOW_SYNC)
                && !self.has(flag::DECODER)
                && self.queue.len() > 1
                && self.queue.iter().sum::<f64>() > self.s.length
            {
                return r::ERR_OVERFLOW;
            }
            let all = self.s.length;
            self.queue.clear();
            self.s.buffered = 0.0;
            // Node subtracts what it meant to take: more than is buffered only when a nested
            // read() shrank the buffer under a `_read` (see `read_after`), and then its length
            // goes negative, as here.
            self.s.length -= m;
            self.s.n = all;
            // Everything: the facade joins (strings, with an encoding) or hands over the only
            // chunk as it is.
            return r::TAKE_ALL;
        }
        // Nothing queued while `length` says otherwise (after Node 20's string take): Node's
        // look at the missing first chunk throws before anything is taken.
        if self.queue.is_empty() {
            return r::ERR_NO_CHUNK;
        }
        // Exactly the first chunk (the flowing-mode case): hand it over whole, no copy.
        if self.queue.front() == Some(&m) {
            self.queue.pop_front();
            self.s.buffered -= 1.0;
            self.s.length -= m;
            self.s.n = m;
            return r::TAKE_FIRST;
        }
        // Partial: consume m units from the front, chunk by chunk.
        let mut left = m;
        while left > 0.0 {
            // `length` accounts for the queue; should it not, stop rather than panic.
            let Some(first) = self.queue.front_mut() else {
                break;
            };
            if *first <= left {
                left -= *first;
                self.queue.pop_front();
                self.s.buffered -= 1.0;
            } else {
                *first -= left;
                left = 0.0;
            }
        }
        self.s.length -= m;
        self.s.n = m;
        r::TAKE_N
    }

    /// The `'readable'` step (Node's `emitReadable_`): true when `'readable'` must be emitted;
    /// then [`Self::readable_emitted`]; in both cases the facade then runs `flow`.
    pub fn readable_step(&mut self) -> bool {
        let emit = self.s.flags & (flag::DESTROYED | flag::ERRORED) == 0
            && (self.s.length != 0.0 || self.has(flag::ENDED));
        if !emit {
            self.after_readable();
        }
        emit
    }

    /// `'readable'` was emitted.
    pub fn readable_emitted(&mut self) {
        self.clear(flag::EMITTED_READABLE);
        self.after_readable();
    }

    fn after_readable(&mut self) {
        // Node 20 only ever raises `needReadable` here, never clears it (measured: after a
        // 'readable' step on an ended stream the flag stays up, and a later `read(0)` brings
        // one more 'readable' before 'end').
        if !self.flowing() && !self.has(flag::ENDED) && self.s.length <= self.s.hwm {
            self.set(flag::NEED_READABLE);
        }
    }

    /// One turn of the read-more loop: true while the facade should `read(0)` again.
    pub fn read_more_turn(&self) -> bool {
        self.s.flags & (flag::READING | flag::ENDED) == 0
            && (self.s.length < self.s.hwm || (self.flowing() && self.s.length == 0.0))
    }

    /// The read-more loop is over.
    pub fn read_more_done(&mut self) {
        self.clear(flag::READING_MORE);
    }

    /// [`Self::read_more_turn`], and when it says no, [`Self::read_more_done`] in the same step
    /// (the loop ends there, with no user code in between).
    pub fn read_more_turn_or_done(&mut self) -> bool {
        let more = self.read_more_turn();
        if !more {
            self.read_more_done();
        }
        more
    }

    /// The end step (Node's `endReadableNT`): true when `'end'` must be emitted now.
    pub fn end_step(&mut self) -> bool {
        // The scheduled step is running: a later end_readable may schedule again.
        self.clear(flag::END_SCHEDULED);
        if self.s.flags & (flag::ERRORED | flag::CLOSE_EMITTED | flag::END_EMITTED) == 0
            && self.s.length == 0.0
        {
            self.set(flag::END_EMITTED);
            return true;
        }
        false
    }

    /// A `'data'` listener was added: `true` when the stream must `resume()`.
    pub fn on_data(&mut self, readable_listeners: bool) -> bool {
        // Only ever raised here: a 'readable' listener removed in this tick still counts until
        // the removal is processed on the next tick (Node does the same).
        if readable_listeners {
            self.set(flag::READABLE_LISTENING);
        }
        !self.has(flag::FLOWING_FALSE)
    }

    /// A `'readable'` listener was added. Returns bits of [`o`].
    pub fn on_readable(&mut self) -> u32 {
        if self.has(flag::END_EMITTED) || self.has(flag::READABLE_LISTENING) {
            return 0;
        }
        self.set(flag::READABLE_LISTENING | flag::NEED_READABLE | flag::FLOWING_FALSE);
        self.clear(flag::FLOWING | flag::EMITTED_READABLE);
        if self.s.length != 0.0 {
            return if self.emit_readable() != 0 {
                o::TICK_READABLE
            } else {
                0
            };
        }
        let mut ret = 0;
        if self.has(flag::EOF_READABLE_PENDING) {
            // The end-of-stream 'readable' skipped at push(null) is redeemed now.
            self.clear(flag::EOF_READABLE_PENDING);
            if self.emit_readable() != 0 {
                ret |= o::TICK_READABLE;
            }
        }
        if !self.has(flag::READING) {
            ret |= o::TICK_READ0;
        }
        ret
    }

    /// The `'readable'` listener set changed (a tick after a removal). Returns 1 when the facade
    /// must `resume()`.
    pub fn update_readable_listening(
        &mut self,
        readable_listeners: bool,
        data_listeners: bool,
    ) -> u32 {
        self.put(flag::READABLE_LISTENING, readable_listeners);
        if self.has(flag::RESUME_SCHEDULED) && self.has(flag::RESUMED) {
            self.set(flag::FLOWING);
            self.clear(flag::FLOWING_FALSE);
            0
        } else if data_listeners {
            1
        } else {
            if !readable_listeners {
                self.clear(flag::FLOWING | flag::FLOWING_FALSE);
            }
            0
        }
    }

    /// `resume()`: true when the resume step must be scheduled.
    pub fn resume(&mut self) -> bool {
        if self.switch(sw::NO_PAUSE_RESUME_DESTROYED) && self.has(flag::DESTROYED) {
            return false;
        }
        let mut schedule = false;
        if !self.flowing() {
            let flowing = !self.has(flag::READABLE_LISTENING);
            self.put(flag::FLOWING, flowing);
            self.put(flag::FLOWING_FALSE, !flowing);
            if !self.has(flag::RESUME_SCHEDULED) {
                self.set(flag::RESUME_SCHEDULED);
                schedule = true;
            }
        }
        self.clear(flag::PAUSED);
        self.set(flag::RESUMED);
        schedule
    }

    /// The resume step began: true when the facade must `read(0)` first.
    pub fn resume_step(&mut self) -> bool {
        !self.has(flag::READING)
    }

    /// The resume step: `'resume'` is about to be emitted.
    pub fn resume_emit(&mut self) {
        self.clear(flag::RESUME_SCHEDULED);
    }

    /// After the resume step's flow: true when the facade must `read(0)` again.
    pub fn resume_tail(&self) -> bool {
        self.flowing() && !self.has(flag::READING)
    }

    /// `pause()`: true when `'pause'` must be emitted (the facade's standing answer
    /// `mask::PAUSE_*` / `MARK_PAUSED_*` is held to this and [`Self::mark_paused`]).
    pub fn pause(&mut self) -> bool {
        if self.switch(sw::NO_PAUSE_RESUME_DESTROYED) && self.has(flag::DESTROYED) {
            return false;
        }
        let emit = !self.has(flag::FLOWING_FALSE);
        if emit {
            self.clear(flag::FLOWING);
            self.set(flag::FLOWING_FALSE);
        } else {
            self.mark_paused();
        }
        emit
    }

    /// After `'pause'` was emitted: `pause()` is recorded last (Node marks it after the event,
    /// so a `'pause'` listener that resumes is overridden).
    pub fn mark_paused(&mut self) {
        self.set(flag::PAUSED);
        self.clear(flag::RESUMED);
    }

    /// Sets `readableFlowing` directly (used by `pipe`/`unpipe`): 0 null, 1 true, 2 false.
    pub fn set_flowing(&mut self, v: u32) {
        self.put(flag::FLOWING, v == 1);
        self.put(flag::FLOWING_FALSE, v == 2);
    }

    /// `setEncoding`: the facade re-decoded the queue into one string of `len` characters (or
    /// nothing when `len == 0`).
    pub fn reset_queue(&mut self, len: f64) {
        self.set(flag::DECODER);
        self.queue.clear();
        if len > 0.0 {
            self.queue.push_back(len);
            self.s.buffered = 1.0;
        } else {
            self.s.buffered = 0.0;
        }
        self.s.length = len;
    }

    // The flowing fast loop (with [`sw::FLOW_SYNC`]): in the flowing steady state the next
    // chunk's `_read` runs before `'data'` is emitted for the current one, and the chunk `_read`
    // pushes is parked outside the queue (`length` counts it, `readableBuffer` lists it last)
    // until the next turn takes it. A second push, a non-buffer push or `push(null)` inside that
    // `_read` puts the parked chunk back in the queue first.

    /// May the fast loop run? 0: no (the facade flows as usual); 1: yes, nothing buffered;
    /// 2: yes, and the only buffered chunk is now parked (the facade moves its value).
    pub fn flow_sync_begin(&mut self, data_listeners: bool) -> u32 {
        use crate::protocol::readable::mask::{FLOW_SYNC_BLOCKS, FLOW_SYNC_NEEDS};
        if !self.switch(sw::FLOW_SYNC)
            || !data_listeners
            || self.s.flags & FLOW_SYNC_NEEDS != FLOW_SYNC_NEEDS
            || self.s.flags & FLOW_SYNC_BLOCKS != 0
            || self.s.hwm.is_nan()
            || self.s.hwm <= 0.0
        {
            return 0;
        }
        if self.s.length == 0.0 {
            return 1;
        }
        // Only the one chunk that the previous read left buffered.
        if self.queue.len() != 1 || self.queue.front() != Some(&self.s.length) {
            return 0;
        }
        self.queue.clear();
        self.s.buffered = 0.0;
        self.fast = self.s.length;
        self.set(flag::FAST_CHUNK);
        2
    }

    /// A turn of the fast loop: true when the parked chunk is taken (the facade calls
    /// `_read(hwm)` for the next one, then [`Self::flow_sync_read_done`]).
    pub fn flow_sync_step(&mut self) -> bool {
        const BLOCK: u32 = flag::OBJECT_MODE
            | flag::DECODER
            | flag::ENDED
            | flag::DESTROYED
            | flag::ERRORED
            | flag::PAUSED
            | flag::READING
            | flag::SYNC;
        if !self.flowing() || !self.has(flag::FAST_CHUNK) || self.s.flags & BLOCK != 0 {
            return false;
        }
        // Node's loop zeroes the length here even when a push from a 'data' listener queued
        // more behind the parked chunk; so does this one.
        self.clear(flag::FAST_CHUNK);
        self.s.length = 0.0;
        self.fast = 0.0;
        self.set(flag::READING | flag::SYNC | flag::FAST_PUSH);
        self.s.st.read_calls += 1.0;
        true
    }

    /// The fast loop's `_read` returned, or `threw` (then the facade destroys the stream and
    /// stops; the taken chunk is dropped, as Node drops it). True when the taken chunk must be
    /// delivered as `'data'`.
    pub fn flow_sync_read_done(&mut self, threw: bool) -> bool {
        self.clear(flag::SYNC | flag::FAST_PUSH);
        if !threw && self.s.flags & (flag::ERROR_EMITTED | flag::CLOSE_EMITTED) == 0 {
            self.set(flag::DATA_EMITTED);
            return true;
        }
        false
    }

    /// A push of a non-empty buffer inside the fast loop's `_read` with nothing parked: it is
    /// parked. Returns what `push()` returns.
    pub fn fast_park(&mut self, len: f64) -> bool {
        self.set(flag::FAST_CHUNK);
        self.fast = len;
        self.s.length = len;
        self.clear(flag::READING);
        self.s.st.pushes += 1.0;
        self.s.st.bytes += len;
        if self.s.length > self.s.st.peak {
            self.s.st.peak = self.s.length;
        }
        let more = len < self.s.hwm;
        if !more {
            self.s.st.push_false += 1.0;
        }
        more
    }

    /// Any other push inside the fast loop's `_read`: the fast push is over. True when a chunk
    /// was parked: the facade then pushes it as usual (its length is no longer counted).
    pub fn fast_unpark(&mut self) -> bool {
        self.clear(flag::FAST_PUSH);
        if self.has(flag::FAST_CHUNK) {
            self.clear(flag::FAST_CHUNK);
            self.s.length = 0.0;
            // It is counted again when pushed as usual.
            self.s.st.pushes -= 1.0;
            self.s.st.bytes -= self.fast;
            self.fast = 0.0;
            return true;
        }
        false
    }

    /// Put the parked chunk at the head of the queue (`length` already counts it). True when
    /// there was one: the facade moves its value to the queue's front.
    pub fn fast_materialize(&mut self) -> bool {
        if !self.has(flag::FAST_CHUNK) {
            return false;
        }
        self.clear(flag::FAST_CHUNK);
        self.queue.push_front(self.fast);
        self.s.buffered += 1.0;
        self.fast = 0.0;
        true
    }

    // The destroy protocol, as for the Writable.

    /// `_construct` exists and has not called back yet.
    pub fn start_construct(&mut self) {
        self.clear(flag::CONSTRUCTED);
    }
    /// `_construct` called back.
    pub fn constructed(&mut self) {
        self.set(flag::CONSTRUCTED);
    }
    /// `stream.destroyed = value`.
    pub fn set_destroyed(&mut self, v: bool) {
        self.put(flag::DESTROYED, v);
    }
    /// Records an error: true when it is the first.
    pub fn set_errored(&mut self) -> bool {
        if self.has(flag::ERRORED) {
            return false;
        }
        self.set(flag::ERRORED);
        true
    }
    /// `_destroy` called back.
    pub fn set_closed(&mut self) {
        self.set(flag::CLOSED);
    }
    /// True when `'error'` must be emitted (once).
    pub fn error_emit(&mut self) -> bool {
        if self.has(flag::ERROR_EMITTED) {
            return false;
        }
        self.set(flag::ERROR_EMITTED);
        true
    }
    /// True when `'close'` must be emitted.
    pub fn close_emit(&mut self) -> bool {
        self.set(flag::CLOSE_EMITTED);
        self.has(flag::EMIT_CLOSE)
    }
    /// A `Duplex` created with `readable: false`: the readable side is over from the start.
    pub fn disable(&mut self) {
        self.set(flag::ENDED | flag::END_EMITTED);
    }

    /// Node 20's take of strings, which the facade carried out, differed from the accounting
    /// at the take's last chunk: `how == 1`, that chunk was taken whole (the length still counts
    /// only what was asked for); `how == 2`, it was split at its very end and an empty chunk
    /// stays queued.
    pub fn take_fixup(&mut self, how: u32) {
        if how == 1 {
            if self.queue.pop_front().is_some() {
                self.s.buffered -= 1.0;
            }
        } else if how == 2 {
            self.queue.push_front(0.0);
            self.s.buffered += 1.0;
        }
    }

    /// A push threw in the decoder (object mode with an encoding, a non-string value) after the
    /// read was already counted as over.
    pub fn push_threw(&mut self) {
        self.clear(flag::READING);
    }

    /// A `Transform` pushes from its write side: its pushes are never inside `_read`'s
    /// synchronous part at construction.
    pub fn clear_sync(&mut self) {
        self.clear(flag::SYNC);
    }
}

/// Node raises the mark to the next power of two above a large `read(n)`.
fn next_power_of_two(n: f64) -> f64 {
    let mut v = n as u64;
    if v == 0 {
        return 0.0;
    }
    v -= 1;
    v |= v >> 1;
    v |= v >> 2;
    v |= v >> 4;
    v |= v >> 8;
    v |= v >> 16;
    (v + 1) as f64
}

// Assignments to `_readableState` fields and `_undestroy()` (cold: one call each, nothing on the
// push/read paths). Later steps read these same bits and counters, so what follows an
// assignment behaves as in Node after it.

/// The bits code may assign through `_readableState` (Node lets code set all its state
/// booleans, [`flag::OBJECT_MODE`] too: byline switches a Transform it made to object mode;
/// and [`flag::DECODER`], which follows an assigned `decoder`); `flowing` has its own op.
pub const ASSIGNABLE: u32 = flag::OBJECT_MODE
    | flag::DECODER
    | flag::ENDED
    | flag::END_EMITTED
    | flag::READING
    | flag::CONSTRUCTED
    | flag::SYNC
    | flag::NEED_READABLE
    | flag::EMITTED_READABLE
    | flag::READABLE_LISTENING
    | flag::RESUME_SCHEDULED
    | flag::ERRORED
    | flag::ERROR_EMITTED
    | flag::EMIT_CLOSE
    | flag::AUTO_DESTROY
    | flag::DESTROYED
    | flag::CLOSED
    | flag::CLOSE_EMITTED
    | flag::READING_MORE
    | flag::DATA_EMITTED
    | flag::PAUSED
    | flag::RESUMED;

impl ReadableCore {
    /// `_readableState.<flag> = on` for bits of [`ASSIGNABLE`] (others are ignored).
    pub fn set_flag(&mut self, bits: u32, on: bool) {
        self.put(bits & ASSIGNABLE, on);
    }

    /// `_readableState.<counter> = v` (see [`counter`]).
    pub fn set_counter(&mut self, which: u32, v: f64) {
        match which {
            counter::HWM => self.s.hwm = v,
            counter::LENGTH => self.s.length = v,
            _ => {}
        }
    }

    /// `_readableState.buffer = [...]`: the facade replaced its queue; the lengths start over
    /// and [`Self::queue_push`] gives them one by one (`length` is left alone, as in Node).
    pub fn queue_reset(&mut self) {
        self.queue.clear();
        self.s.buffered = 0.0;
    }

    /// One entry of a replaced queue.
    pub fn queue_push(&mut self, len: f64) {
        self.queue.push_back(len);
        self.s.buffered += 1.0;
    }

    /// `_undestroy()`: usable again after a destruction; a side created with `readable: false`
    /// stays ended.
    pub fn undestroy(&mut self, disabled: bool) {
        self.set(flag::CONSTRUCTED);
        self.clear(
            flag::CLOSED
                | flag::CLOSE_EMITTED
                | flag::DESTROYED
                | flag::ERRORED
                | flag::ERROR_EMITTED
                | flag::READING,
        );
        self.put(flag::ENDED | flag::END_EMITTED, disabled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(hwm: f64) -> ReadableCore {
        ReadableCore::new(false, hwm, flag::EMIT_CLOSE | flag::AUTO_DESTROY)
    }

    #[test]
    fn push_returns_false_at_the_mark() {
        let mut c = core(10.0);
        assert_eq!(
            c.push(4.0, k::DATA, false, false, false) & p::RET_TRUE,
            p::RET_TRUE
        );
        assert_eq!(c.push(6.0, k::DATA, false, false, false) & p::RET_TRUE, 0);
        assert_eq!(c.s.length, 10.0);
        assert_eq!(c.s.buffered, 2.0);
    }

    #[test]
    fn push_after_eof_is_an_error() {
        let mut c = core(10.0);
        c.push(0.0, k::EOF, false, false, false);
        assert!(c.push(1.0, k::DATA, false, false, false) & p::ERR_AFTER_EOF != 0);
    }

    #[test]
    fn read_calls_read_when_empty_and_takes_partial_chunks() {
        let mut c = core(16.0);
        assert_eq!(c.read(-1.0) & r::CALL_READ, r::CALL_READ);
        let pending = c.s.n;
        c.push(5.0, k::DATA, false, false, false);
        c.push(5.0, k::DATA, false, false, false);
        let code = c.read_after(-1.0, pending);
        assert_eq!(code & r::TAKE_MASK, r::TAKE_ALL);
        assert!(code & r::EMIT_DATA != 0);
        assert_eq!(c.s.n, 10.0);
        assert_eq!(c.s.length, 0.0);
        c.push(5.0, k::DATA, false, false, false);
        c.push(5.0, k::DATA, false, false, false);
        // reading again is allowed: the buffer is below the mark
        assert_eq!(c.read(7.0), r::CALL_READ);
        let pending = c.s.n;
        let code = c.read_after(7.0, pending);
        assert_eq!(code & r::TAKE_MASK, r::TAKE_N);
        assert_eq!(c.s.length, 3.0);
        assert_eq!(c.s.buffered, 1.0);
    }

    #[test]
    fn a_large_read_raises_the_mark_to_a_power_of_two() {
        let mut c = core(16.0);
        c.read(100.0);
        assert_eq!(c.s.hwm, 128.0);
        assert_eq!(c.read(2e9), r::ERR_RANGE);
    }

    #[test]
    fn end_is_scheduled_once_the_buffer_is_consumed() {
        let mut c = core(16.0);
        c.push(3.0, k::DATA, false, false, false);
        c.push(0.0, k::EOF, false, false, false);
        let code = c.read(-1.0);
        assert_eq!(code & r::TAKE_MASK, r::TAKE_ALL);
        assert!(code & r::TICK_END != 0);
        assert!(c.end_step());
        assert!(!c.end_step(), "end is emitted once");
    }

    #[test]
    fn switches_do_not_overlap_the_option_flags() {
        assert_eq!(
            sw::ALL & (flag::EMIT_CLOSE | flag::AUTO_DESTROY | flag::DECODER),
            0
        );
        let c = ReadableCore::new(false, 16.0, sw::ALL);
        assert_eq!(c.flags() & !(flag::CONSTRUCTED | flag::SYNC), 0);
    }

    /// `read(n)` with a `_read` that pushes nothing.
    fn read_now(c: &mut ReadableCore, n: f64) -> u32 {
        let code = c.read(n);
        if code & r::CALL_READ != 0 {
            let pending = c.s.n;
            return c.read_after(n, pending);
        }
        code
    }

    fn core_with(hwm: f64, switches: u32) -> ReadableCore {
        ReadableCore::new(false, hwm, flag::EMIT_CLOSE | flag::AUTO_DESTROY | switches)
    }

    #[test]
    fn eof_readable_on_demand_waits_for_a_listener() {
        let mut c = core_with(16.0, sw::EOF_READABLE_ON_DEMAND);
        // Inside the constructor's synchronous part, nobody observing.
        assert_eq!(
            c.push(0.0, k::EOF, false, false, false) & p::TICK_READABLE,
            0
        );
        assert!(c.flags() & flag::EOF_READABLE_PENDING != 0);
        assert_eq!(c.on_readable(), 1 | 2, "'readable' step, then read(0)");
        let mut old = core(16.0);
        assert!(old.push(0.0, k::EOF, false, false, false) & p::TICK_READABLE != 0);
    }

    #[test]
    fn end_once_schedules_a_single_end_step() {
        let mut c = core_with(16.0, sw::END_ONCE);
        c.push(0.0, k::EOF, false, false, false);
        assert!(c.read(-1.0) & r::TICK_END != 0);
        assert_eq!(c.read(-1.0) & r::TICK_END, 0, "already scheduled");
        assert!(c.end_step());
        let mut old = core(16.0);
        old.push(0.0, k::EOF, false, false, false);
        assert!(old.read(-1.0) & r::TICK_END != 0);
        assert!(old.read(-1.0) & r::TICK_END != 0);
    }

    #[test]
    fn read_one_chunk_takes_the_first_chunk_without_a_decoder() {
        let mut c = core_with(16.0, sw::READ_ONE_CHUNK);
        c.s.flags &= !flag::SYNC;
        c.push(2.0, k::DATA, false, false, false);
        c.push(3.0, k::DATA, false, false, false);
        assert_eq!(read_now(&mut c, -1.0) & r::TAKE_MASK, r::TAKE_FIRST);
        assert_eq!(c.s.length, 3.0);
        c.push(2.0, k::DATA, false, false, false);
        c.reset_queue(5.0); // setEncoding: a decoder
        assert_eq!(read_now(&mut c, -1.0) & r::TAKE_MASK, r::TAKE_ALL);
    }

    #[test]
    fn the_fast_loop_parks_one_chunk_outside_the_queue() {
        let mut c = core_with(4.0, sw::FLOW_SYNC);
        c.s.flags &= !flag::SYNC;
        c.resume();
        c.push(2.0, k::DATA, false, false, false);
        assert_eq!(
            c.flow_sync_begin(true),
            2,
            "the only buffered chunk is parked"
        );
        assert!(c.flow_sync_step());
        assert_eq!(c.s.length, 0.0);
        assert!(c.fast_park(2.0), "2 < 4");
        assert_eq!(c.s.length, 2.0);
        assert!(c.flow_sync_read_done(false));
        assert!(c.fast_materialize());
        assert_eq!(c.s.buffered, 1.0);
        assert_eq!(c.s.length, 2.0);
        let mut off = core(4.0);
        off.resume();
        assert_eq!(off.flow_sync_begin(true), 0, "switch off");
    }

    #[test]
    fn node_20_string_take_fixups_keep_the_accounting_in_step() {
        let mut c = core(16.0);
        c.s.flags &= !flag::SYNC;
        c.push(2.0, k::DATA, false, false, false);
        c.push(2.0, k::DATA, false, false, false);
        c.push(2.0, k::DATA, false, false, false);
        assert_eq!(read_now(&mut c, 4.0) & r::TAKE_MASK, r::TAKE_N);
        c.take_fixup(2); // an empty string stays queued
        assert_eq!(c.s.buffered, 2.0);
        assert_eq!(c.s.length, 2.0);
        c.take_fixup(1); // a chunk taken whole: the count keeps its length
        assert_eq!(c.s.buffered, 1.0);
        c.take_fixup(1);
        c.take_fixup(1); // nothing left: no panic, no negative count
        assert_eq!(c.s.buffered, 0.0);
        c.resume();
        assert_eq!(c.read(-1.0), r::ERR_NO_CHUNK);
    }

    #[test]
    fn pause_and_resume_toggle_flowing() {
        let mut c = core(16.0);
        assert!(c.resume());
        assert!(c.flags() & flag::FLOWING != 0);
        assert!(c.pause());
        assert!(!c.pause(), "pause emits once");
        assert!(c.flags() & flag::FLOWING_FALSE != 0);
    }

    #[test]
    fn flowing_push_outside_read_emits_directly() {
        let mut c = core(16.0);
        c.resume();
        c.s.flags &= !flag::SYNC;
        let code = c.push(3.0, k::DATA, false, true, false);
        assert!(code & p::EMIT_DATA != 0);
        assert_eq!(c.s.length, 0.0);
    }
}
