//! The protocol between the JS facade and the Rust core, defined once: every number the two
//! languages share — state flag bits and their named combinations, answer codes, op codes,
//! how arguments are packed, shared-block offsets, native event and sink kinds.
//!
//! Rust uses these modules directly (the cores re-export theirs, the binding dispatches on
//! `op`); JS gets them from `lib/protocol.js`, which [`render_js`] writes (`npm run protocol`,
//! the `protocol_js` example) and which is never edited by hand: the test
//! `generated_js_is_current` fails when the committed file differs from what these definitions
//! render, `shared_layout` checks every offset against the `Shared` structs, and the JS test
//! `protocol.test.js` checks the loaded addon's table and every name `lib/` takes from it.
//!
//! Each group becomes names with a prefix in JS (`w::RET_TRUE` is `W_RET_TRUE`), so the facade
//! reads like the core. The Writable and Readable cores number their flags independently: their
//! JS names live in separate namespaces (`protocol.writable`, `protocol.readable`).

/// One group of named numbers (one Rust module), as JS sees it.
pub struct Group {
    /// The Rust module's name.
    pub module: &'static str,
    /// The prefix of its names in JS.
    pub prefix: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
    /// Its names, in order.
    pub items: &'static [Item],
}

/// One named number.
pub struct Item {
    /// The Rust name (JS: the group's prefix + this).
    pub name: &'static str,
    /// The value (every value is an integer JS represents exactly).
    pub value: f64,
    /// Its doc comment.
    pub doc: &'static str,
}

/// Defines the groups of one namespace as modules of constants and lists them in `GROUPS`.
macro_rules! protocol {
    ($(
        $(#[doc = $gdoc:literal])*
        #[js = $prefix:literal]
        pub mod $m:ident {
            $(use super::$src:ident::*;)?
            $(
                $(#[doc = $doc:literal])*
                pub const $name:ident: $t:ty = $val:expr;
            )*
        }
    )*) => {
        $(
            $(#[doc = $gdoc])*
            pub mod $m {
                $(use super::$src::*;)?
                $( $(#[doc = $doc])* pub const $name: $t = $val; )*
            }
        )*
        /// This namespace's groups, in order (rendered into `lib/protocol.js`).
        pub const GROUPS: &[$crate::protocol::Group] = &[$(
            $crate::protocol::Group {
                module: stringify!($m),
                prefix: $prefix,
                doc: concat!($($gdoc, "\n",)*),
                items: &[$(
                    $crate::protocol::Item {
                        name: stringify!($name),
                        value: $m::$name as f64,
                        doc: concat!($($doc, "\n",)*),
                    },
                )*],
            },
        )*];
    };
}

pub mod writable {
    //! The Writable core (`crate::writable`), its binding (`wCreate`, `wWrite`, `wOp`) and
    //! `lib/writable.js`.
    protocol! {
        /// Named state bits of [`crate::writable::Shared::flags`]. One bit per fact; the facade reads them through the
        /// shared typed array, so their values are part of the binding's contract with `lib/`.
        #[js = ""]
        pub mod flag {
            /// Chunks count as 1 each instead of their byte length.
            pub const OBJECT_MODE: u32 = 1 << 0;
            /// `end()` has been called: further writes are errors.
            pub const ENDING: u32 = 1 << 1;
            /// `end()` has returned (set after its finish check, as Node's `state.ended`).
            pub const ENDED: u32 = 1 << 2;
            /// `'finish'` is being / has been emitted.
            pub const FINISHED: u32 = 1 << 3;
            /// `destroy()` has been called.
            pub const DESTROYED: u32 = 1 << 4;
            /// A `_write`/`_writev` is in flight and its callback has not been called.
            pub const WRITING: u32 = 1 << 5;
            /// `_construct` is absent or has called back.
            pub const CONSTRUCTED: u32 = 1 << 6;
            /// `'prefinish'` has been emitted (or `_final` has called back successfully).
            pub const PREFINISHED: u32 = 1 << 7;
            /// `_final` has been called.
            pub const FINAL_CALLED: u32 = 1 << 8;
            /// A `write()` returned false and `'drain'` has not been emitted since.
            pub const NEED_DRAIN: u32 = 1 << 9;
            /// An error has been recorded (the facade keeps the error value).
            pub const ERRORED: u32 = 1 << 10;
            /// `'error'` has been emitted (at most once per stream).
            pub const ERROR_EMITTED: u32 = 1 << 11;
            /// `_destroy` has called back.
            pub const CLOSED: u32 = 1 << 12;
            /// The close step has run (`'close'` emitted when `EMIT_CLOSE`).
            pub const CLOSE_EMITTED: u32 = 1 << 13;
            /// Option `emitClose` (default true).
            pub const EMIT_CLOSE: u32 = 1 << 14;
            /// Option `autoDestroy` (default true).
            pub const AUTO_DESTROY: u32 = 1 << 15;
            /// The buffered queue is being handed to `_write` one entry at a time; completions arriving
            /// meanwhile must not start a second pass.
            pub const BUFFER_PROCESSING: u32 = 1 << 16;
            /// Standing answer for the hot path: the stream is idle (nothing in flight or queued, not
            /// corked, ending, destroyed, errored or waiting for a drain, no overflow policy), so a
            /// callback-less `write()` (a Buffer in byte mode, any value but `null` in object mode)
            /// gets "call `_write` now, return true". The facade may act on it without calling in, and reports such writes
            /// through the mailbox ([`crate::writable::Shared::fast_writes`]) or, if one is still in flight when
            /// `_write` returns, with [`crate::writable::WritableCore::late_dispatch`]. Recomputed after every call.
            pub const FAST: u32 = 1 << 17;
            /// `cork()` was called and `uncork()` has not brought the depth back to 0. Writes queue on
            /// this bit, not on the depth: code may assign `corked` (the depth) without corking, as in
            /// Node, where only `cork()`/`uncork()`/`end()` move the bit.
            pub const CORKED: u32 = 1 << 18;
            /// Standing answer of `end()` (the core's `end_run`): nothing in flight, queued or
            /// buffered, not ending, neither `_final` called nor `'prefinish'` emitted, nothing
            /// that stops a finish; `end()` then reaches the finish sequence's first step, and the
            /// facade carries it out itself ([`super::mask::END_CLEARS`] and, as the stream has a
            /// `_final`, a `'prefinish'` listener or neither, [`super::mask::END_FINAL_SETS`],
            /// [`super::mask::END_PREFINISH_SETS`] or [`super::mask::END_QUIET_SETS`]).
            /// Recomputed after every call.
            pub const END_READY: u32 = 1 << 19;
            /// Standing answer of the finish tick (`finish_tick`): the stream is due to finish
            /// (Node's `needFinish`); the facade marks it finished itself
            /// ([`super::mask::FINISH_TICK_SETS`], `pendingcb` less one). Recomputed after every
            /// call.
            pub const TICK_FINISHES: u32 = 1 << 20;
            /// The core's queue holds entries (derived, recomputed after every call): a
            /// destruction must fail them ([`super::mask::DESTROY_NOW_BUFFER`]).
            pub const QUEUED: u32 = 1 << 21;
            /// Standing answer of `write()` while a write is in flight (or corked, errored, not
            /// constructed yet), recomputed after every call: not ending or destroyed, no
            /// overflow policy, so a write is queued. When the facade has nothing pending for
            /// the core (no deferred completion, no fast-path write in flight) and the chunk
            /// keeps the length under the mark (write() returns true, no `'drain'` owed, no
            /// backpressure episode begins), it queues the write itself, as the core would:
            /// `length`, `pendingcb`, the queue's count and the statistics in the block, the
            /// length in the mailbox (`S_QUEUE_*`), [`super::mask::QUEUE_CLEARS`] cleared and
            /// [`super::mask::QUEUE_SETS`] set.
            pub const QUEUE_READY: u32 = 1 << 22;
            /// An opt-in policy is set (`lowWaterMark` or `maxBuffered` not 0): the standing
            /// answers that assume Node's rules (`'drain'` at length 0, no bound) do not apply.
            /// Set by the policies' ops alone.
            pub const POLICIES: u32 = 1 << 23;

            /// The bits code may assign through `_writableState` (Node lets code set every one of its
            /// state booleans, and code in the wild does: `errorEmitted = false`, `ended = true`, ...).
            /// [`OBJECT_MODE`] is fixed at creation and [`FAST`] is the core's own derived answer.
            pub const ASSIGNABLE: u32 = ENDING
                | ENDED
                | FINISHED
                | DESTROYED
                | WRITING
                | CONSTRUCTED
                | PREFINISHED
                | FINAL_CALLED
                | NEED_DRAIN
                | ERRORED
                | ERROR_EMITTED
                | CLOSED
                | CLOSE_EMITTED
                | EMIT_CLOSE
                | AUTO_DESTROY
                | BUFFER_PROCESSING;
        }
        /// The counters code may assign through `_writableState` ([`crate::writable::WritableCore::set_counter`]).
        #[js = "C_"]
        pub mod counter {
            /// `highWaterMark`.
            pub const HWM: u32 = 0;
            /// `length`.
            pub const LENGTH: u32 = 1;
            /// `pendingcb`.
            pub const PENDING_CB: u32 = 2;
            /// `corked` (the cork depth).
            pub const CORKED: u32 = 3;
            /// `writelen` (the length of the write in flight).
            pub const WRITELEN: u32 = 4;
        }
        /// What `write()` must do with the chunk, plus its return value.
        #[js = "W_"]
        pub mod w {
            /// `write()` returns true.
            pub const RET_TRUE: u32 = 1;
            /// Call `_write(chunk)` now.
            pub const DISPATCH: u32 = 2;
            /// Keep the chunk in the facade's queue; the core has counted it.
            pub const BUFFERED: u32 = 4;
            /// Error `ERR_STREAM_WRITE_AFTER_END`; nothing was counted.
            pub const ERR_END: u32 = 8;
            /// Error `ERR_STREAM_DESTROYED('write')`; nothing was counted.
            pub const ERR_DESTROYED: u32 = 16;
            /// With [`DISPATCH`]: `write()` returns true if the chunk completed during `_write`.
            pub const RET_IF_DONE: u32 = 32;
            /// `maxBuffered` with `overflow: 'error'` would be exceeded: nothing was counted.
            pub const ERR_OVERFLOW: u32 = 64;
            /// The chunk was dropped by the overflow policy (counted in `dropped`, nothing else).
            /// With `drop-oldest`, any answer carries the count of queued entries dropped to make
            /// room in the bits from [`DROPPED_OLDEST_SHIFT`] (the facade drops its oldest values).
            pub const DROPPED: u32 = 128;
            /// Shift of the dropped-oldest count in a [`DROPPED`] answer.
            pub const DROPPED_OLDEST_SHIFT: u32 = 8;
        }
        /// What the facade must do with its queue after a completion, `uncork()` or a queue step.
        /// The low two bits are the dispatch action; higher bits are flags.
        #[js = "A_"]
        pub mod a {
            /// Nothing to dispatch.
            pub const NONE: u32 = 0;
            /// Take the oldest queued entry and call `_write` with it.
            pub const ONE: u32 = 1;
            /// Take the oldest queued entry and fail it as `ERR_STREAM_DESTROYED('write')` (the stream
            /// was destroyed while the queue was being processed).
            pub const ONE_DESTROYED: u32 = 2;
            /// Take every queued entry and call `_writev` with them.
            pub const WRITEV: u32 = 3;
            /// Mask of the dispatch action.
            pub const MASK: u32 = 3;
            /// The completion was a second call of the same callback: `ERR_MULTIPLE_CALLBACK`.
            pub const MULTIPLE_CB: u32 = 4;
            /// The completion carried an error and it is the stream's first: record it as `errored`.
            pub const FIRST_ERROR: u32 = 8;
        }
        /// Steps of the finish sequence.
        #[js = "F_"]
        pub mod f {
            /// Not ready to finish.
            pub const NONE: u32 = 0;
            /// Call `_final(cb)` now.
            pub const CALL_FINAL: u32 = 1;
            /// Emit `'prefinish'` now, then ask [`crate::writable::WritableCore::finish_maybe_tail`].
            pub const EMIT_PREFINISH: u32 = 2;
            /// On the next tick, ask [`crate::writable::WritableCore::finish_tick`].
            pub const FINISH_TICK: u32 = 3;
            /// Emit `'finish'` now (the check after `_construct`, see
            /// [`crate::writable::WritableCore::finish_maybe_tail`]).
            pub const FINISH_NOW: u32 = 4;
            /// `_final` failed: fail the `end()` callbacks and error the stream.
            pub const FINAL_ERROR: u32 = 5;
        }
        /// Results of `end()`.
        #[js = "E_"]
        pub mod e {
            /// The stream is now ending; the finish sequence runs with `sync = true`, then it is
            /// marked ended (see [`super::end`]).
            pub const ENDING: u32 = 1;
            /// `ERR_STREAM_ALREADY_FINISHED('end')`.
            pub const ERR_FINISHED: u32 = 2;
            /// `ERR_STREAM_DESTROYED('end')`.
            pub const ERR_DESTROYED: u32 = 3;
            /// Nothing to do (already ending or errored, not finished, not destroyed).
            pub const NOTHING: u32 = 0;
        }
        /// Packing of [`super::op::END_RUN`]'s answer: `end()`, and as much of the finish
        /// sequence as runs with no user code in between, in one call.
        #[js = "END_"]
        pub mod end {
            /// The [`super::e`] result.
            pub const E_MASK: u32 = 3;
            /// The [`super::f`] step reached is `(answer / STEP) & STEP_MASK`.
            pub const STEP: u32 = 4;
            pub const STEP_MASK: u32 = 7;
            /// The sequence went through to `mark_ended` (the step is [`super::f::NONE`] or
            /// [`super::f::FINISH_TICK`]); otherwise the facade carries out the step (user code:
            /// `_final`, a `'prefinish'` listener) and goes on with `FINISH_MAYBE_TAIL`, which
            /// marks it ended ([`super::arg::TAIL_MARK_ENDED`]).
            pub const MARKED: u32 = 32;
        }
        /// Results of `destroy_begin`.
        #[js = "D_"]
        pub mod d {
            /// Already destroyed: only call the callback.
            pub const ALREADY: u32 = 1;
            /// The error passed is the stream's first: record it.
            pub const FIRST_ERROR: u32 = 2;
            /// The queue or the pending `end()` callbacks must be failed on the next tick.
            pub const ERROR_BUFFER: u32 = 4;
            /// `_construct` has not called back: run `_destroy` once it does.
            pub const WAIT_CONSTRUCT: u32 = 8;
            /// With [`super::arg::DESTROY_CLOSE_NOW`]: the stream is also marked closed (the
            /// default `_destroy`, which calls back at once); `'close'` is due on the next tick.
            pub const CLOSED: u32 = 16;
        }
        /// Op codes of `wOp`; `lib/writable.js` mirrors them.
        #[js = "OP_"]
        pub mod op {
            pub const ONWRITE: u32 = 1;
            pub const CLEAR_BUFFER: u32 = 2;
            pub const CLEAR_NEXT: u32 = 3;
            pub const AFTER_WRITE: u32 = 4;
            pub const PENDING_DEC: u32 = 5;
            pub const ERROR_BUFFER: u32 = 6;
            pub const FINISH_MAYBE: u32 = 7;
            pub const FINISH_MAYBE_TAIL: u32 = 8;
            pub const FINISH_TICK: u32 = 9;
            pub const FINAL_DONE: u32 = 10;
            pub const FINISH: u32 = 11;
            pub const CORK: u32 = 14;
            pub const UNCORK: u32 = 15;
            pub const UNCORK_ALL: u32 = 16;
            pub const DESTROY_BEGIN: u32 = 17;
            pub const SET_ERRORED: u32 = 18;
            // 19: `_destroy` called back, a standing answer now (`mask::MARK_CLOSED_SETS`).
            pub const ERROR_EMIT: u32 = 20;
            pub const START_CONSTRUCT: u32 = 22;
            pub const CONSTRUCTED: u32 = 23;
            pub const FLUSH: u32 = 26;
            pub const SET_DESTROYED: u32 = 27;
            pub const NOTE_NEED_DRAIN: u32 = 28;
            pub const DISABLE: u32 = 29;
            pub const STATS_NOW: u32 = 30;
            pub const SET_LOW_WATER_MARK: u32 = 31;
            pub const SET_MAX_BUFFERED: u32 = 32;
            pub const LATE_DISPATCH: u32 = 33;
            // Assignments to `_writableState` fields (cold).
            pub const SET_FLAG: u32 = 40;
            pub const SET_COUNTER: u32 = 41;
            pub const QUEUE_RESET: u32 = 42;
            pub const QUEUE_PUSH: u32 = 43;
            pub const UNDESTROY: u32 = 44;
            pub const END_PASS: u32 = 46;
            /// `end()` with the finish sequence folded in: see [`super::end`].
            pub const END_RUN: u32 = 47;
        }
        /// Named combinations of [`flag`] bits, as streamx names its (`SHOULD_NOT_READ`, ...): a test
        /// of several facts reads as the one fact they make.
        #[js = ""]
        pub mod mask {
            use super::flag::*;
            /// `write()` answers false once any of these is set, whatever the buffer (Node's
            /// `ret && !errored && !destroyed`), so that synchronous write loops stop.
            pub const WRITE_REFUSED: u32 = ERRORED | DESTROYED;
            /// A write queued on the standing answer [`QUEUE_READY`] sets these (the queue holds
            /// an entry) ...
            pub const QUEUE_SETS: u32 = QUEUED;
            /// ... and clears these (nothing is idle or finishable with an entry queued).
            pub const QUEUE_CLEARS: u32 = FAST | END_READY | TICK_FINISHES;
            /// `writable` is false once any of these is set.
            pub const NOT_WRITABLE: u32 = DESTROYED | ERRORED | ENDING | ENDED;
            /// `writableNeedDrain` is true when, of these, exactly [`NEED_DRAIN`] is set.
            pub const DRAIN_STATUS: u32 = DESTROYED | ENDING | NEED_DRAIN;
            /// Standing answer of the close step (`close_emit`), whatever the state: it sets
            /// these bits and answers whether [`CLOSE_EMIT_ANSWER`] is set; nothing else
            /// changes, so the facade carries it out itself (no call).
            pub const CLOSE_EMIT_SETS: u32 = CLOSE_EMITTED;
            /// See [`CLOSE_EMIT_SETS`]: `'close'` is emitted when this bit is set.
            pub const CLOSE_EMIT_ANSWER: u32 = EMIT_CLOSE;
            /// See [`CLOSE_EMIT_SETS`]: the standing answers a closed stream no longer gives.
            pub const CLOSE_EMIT_CLEARS: u32 = END_READY | TICK_FINISHES;
            /// The bits the core derives from the rest of its state after every call (the
            /// standing answers, and [`QUEUED`]): never assigned by code.
            pub const DERIVED: u32 = FAST | END_READY | TICK_FINISHES | QUEUED | QUEUE_READY;
            /// With [`END_READY`] set (and the facade's mailbox empty: no completion deferred,
            /// no fast write in flight or owing its `pendingcb` share), `end()` clears these, and
            /// sets one of the three masks below.
            pub const END_CLEARS: u32 = FAST | END_READY | QUEUE_READY;
            /// See [`END_CLEARS`]: with a `_final`: ending, `_final` called (`pendingcb` one
            /// more), due to finish; the answer is the step `CALL_FINAL`.
            pub const END_FINAL_SETS: u32 = ENDING | FINAL_CALLED | TICK_FINISHES;
            /// See [`END_CLEARS`]: no `_final`, a `'prefinish'` listener: ending, past
            /// `'prefinish'`, due to finish; the step is `EMIT_PREFINISH`.
            pub const END_PREFINISH_SETS: u32 = ENDING | PREFINISHED | FINAL_CALLED | TICK_FINISHES;
            /// See [`END_CLEARS`]: no `_final`, a quiet `'prefinish'`: ending, past `'prefinish'`,
            /// ended, due to finish, and the tail step taken ([`TAIL_SETS`]: the finish tick
            /// owed when `pendingcb` is 0, which becomes 1).
            pub const END_QUIET_SETS: u32 = ENDING | ENDED | PREFINISHED | FINAL_CALLED | TICK_FINISHES;
            /// The tail step of the finish sequence from `end()` (the core's
            /// `finish_maybe_tail(true)`, marking it ended) is a standing answer with the mailbox
            /// empty: it sets these; when `pendingcb` is 0 it becomes 1 and the finish tick is
            /// owed, otherwise nothing is.
            pub const TAIL_SETS: u32 = ENDED;
            /// `_final` called back (the core's `final_done`), the mailbox empty: with an error,
            /// `pendingcb` less one and `FINAL_ERROR`; otherwise, with [`TICK_FINISHES`] set,
            /// these set and `FINISH_TICK` (`pendingcb` as it was; no standing bit changes:
            /// `TICK_FINISHES` means ending, so `END_READY` is already clear); without it,
            /// `pendingcb` less one and `NONE`.
            pub const FINAL_DONE_SETS: u32 = PREFINISHED;
            /// The finish step after `_final` (the core's `finish`), the mailbox empty: it clears
            /// these, sets [`FINISH_TICK_SETS`], and takes one from `pendingcb`.
            pub const FINISH_CLEARS: u32 = END_READY | TICK_FINISHES;
            /// With [`TICK_FINISHES`] set (the mailbox empty), the finish tick clears these,
            /// sets [`FINISH_TICK_SETS`], takes one from `pendingcb`, and `'finish'` is emitted.
            pub const FINISH_TICK_CLEARS: u32 = FAST | END_READY | TICK_FINISHES;
            /// See [`FINISH_TICK_CLEARS`].
            pub const FINISH_TICK_SETS: u32 = FINISHED;
            /// `destroy()` with no error (`destroy_begin_closing`) is a standing answer, the
            /// mailbox empty: already destroyed, it answers `ALREADY` and changes nothing;
            /// otherwise it clears [`DESTROY_NOW_CLEARS`] and sets [`DESTROYED`]; the queue (and
            /// any `end()` callbacks) fail on the next tick (`ERROR_BUFFER`) when any of
            /// [`DESTROY_NOW_BUFFER`] is set (or there are such callbacks); not constructed, it
            /// answers `WAIT_CONSTRUCT`; otherwise, with the default `_destroy` (which calls back
            /// at once, `close_now`), it also sets [`DESTROY_NOW_CLOSED_SETS`] and answers
            /// `CLOSED` (`'close'` on the next tick).
            pub const DESTROY_NOW_CLEARS: u32 = FAST | END_READY | TICK_FINISHES | QUEUE_READY;
            /// See [`DESTROY_NOW_CLEARS`].
            pub const DESTROY_NOW_BUFFER: u32 = QUEUED | BUFFER_PROCESSING;
            /// See [`DESTROY_NOW_CLEARS`].
            pub const DESTROY_NOW_CLOSED_SETS: u32 = CLOSED;
            /// A write dispatched on the standing answer [`FAST`] that is still in flight when
            /// the facade must tell the core (`late_dispatch`) is a standing answer while
            /// [`FAST`] is still set in the block (nothing has reached the core since): in the
            /// block `pendingcb` one more, `length`, the statistics (`writes`, `bytes`, `peak`)
            /// and `writelen` as the write's, these set and [`LATE_DISPATCH_CLEARS`] cleared.
            pub const LATE_DISPATCH_SETS: u32 = WRITING | QUEUE_READY;
            /// See [`LATE_DISPATCH_SETS`].
            pub const LATE_DISPATCH_CLEARS: u32 = FAST | END_READY | TICK_FINISHES;
            /// The completion of the write in flight, without error and after `_write` had
            /// returned (`onwrite(false, _, false)`), with the mailbox empty, the queue empty,
            /// and `length` less `writelen` 0: a standing answer when, of these bits, exactly
            /// the [`ONWRITE_IDLE_NEEDS`] are set: `length` and `writelen` 0, these set and
            /// [`ONWRITE_IDLE_CLEARS`] cleared (the stream is idle: `write()` is [`FAST`]
            /// again), the answer `NONE`.
            pub const ONWRITE_IDLE_SETS: u32 = FAST | END_READY;
            /// See [`ONWRITE_IDLE_SETS`].
            pub const ONWRITE_IDLE_CLEARS: u32 = WRITING | QUEUE_READY | QUEUED | TICK_FINISHES;
            /// See [`ONWRITE_IDLE_SETS`].
            pub const ONWRITE_IDLE_NEEDS: u32 = WRITING | CONSTRUCTED;
            /// See [`ONWRITE_IDLE_SETS`].
            /// (what stops `FAST` after the completion, and what stops `END_READY`: the finish's
            /// blockers and the finish sequence begun)
            pub const ONWRITE_IDLE_MASK: u32 = ONWRITE_IDLE_NEEDS
                | FINISH_BLOCKERS
                | ENDING
                | NEED_DRAIN
                | CORKED
                | POLICIES
                | PREFINISHED
                | FINAL_CALLED;
            /// The same completion with entries queued (the mailbox empty but for queued
            /// writes), and no `_writev` or a single entry: when, of [`DEQUEUE_MASK`], exactly
            /// [`DEQUEUE_NEEDS`] are set, the core takes the oldest entry and answers `ONE`
            /// (call `_write` with it). The facade does it in the block: `length` less
            /// `writelen`, `writelen` the entry's length, the entry counted in the mailbox
            /// (`S_DEQUEUED`), [`DEQUEUE_SETS`] set while `_write` runs, and [`QUEUED`] cleared
            /// if it was the last (`buffered` still counts it while the pass it opened is under
            /// way, as Node's `bufferedRequestCount`). When `_write` returns with the write still
            /// in flight and nothing has reached the core since, the pass ends
            /// ([`DEQUEUE_DONE_CLEARS`] cleared and `buffered` one less: `clear_next`'s `NONE`);
            /// otherwise the core folds the mailbox (counting the entry in the pass under way)
            /// and is asked.
            pub const DEQUEUE_SETS: u32 = BUFFER_PROCESSING;
            /// See [`DEQUEUE_SETS`].
            pub const DEQUEUE_NEEDS: u32 = WRITING | CONSTRUCTED;
            /// See [`DEQUEUE_SETS`].
            pub const DEQUEUE_MASK: u32 = DEQUEUE_NEEDS | ERRORED | DESTROYED | CORKED | BUFFER_PROCESSING;
            /// See [`DEQUEUE_SETS`].
            pub const DEQUEUE_LAST_CLEARS: u32 = QUEUED;
            /// See [`DEQUEUE_SETS`].
            pub const DEQUEUE_DONE_CLEARS: u32 = BUFFER_PROCESSING;
            /// Node's `needFinish` (the core's `need_finish`): of these and
            /// [`FINISH_BLOCKERS`], exactly these set, and nothing counted or queued. When it
            /// does not hold, the finish check (`finish_maybe`) answers `NONE` and changes
            /// nothing: with the mailbox empty, the facade's answer (no call).
            pub const FINISH_NEEDS: u32 = ENDING | CONSTRUCTED;
            /// See [`FINISH_NEEDS`]: any of these stops a finish.
            pub const FINISH_BLOCKERS: u32 = DESTROYED
                | ERRORED
                | FINISHED
                | WRITING
                | ERROR_EMITTED
                | CLOSE_EMITTED
                | BUFFER_PROCESSING;
            /// The after-write step (`after_write(dec)`) emits no `'drain'` when any of these is
            /// set, or when [`POLICIES`] is clear and `length` is not 0 (Node's `'drain'` waits
            /// for an empty buffer); then it only takes `dec` from `pendingcb` (no call).
            pub const AFTER_WRITE_QUIET: u32 = ENDING | DESTROYED;
            /// The options word's bits a core is made with as flags. A stocked core (made with
            /// none, not in object mode, mark 0) becomes the one these options would make when
            /// the facade sets these bits of the options (and [`OBJECT_MODE`]) in its flags and
            /// writes the mark: nothing else of a new core depends on them.
            pub const MADE_FROM_OPTIONS: u32 = EMIT_CLOSE | AUTO_DESTROY;
            /// `_destroy` called back (`set_closed`), whatever the state: it sets this bit and
            /// changes nothing else (no call).
            pub const MARK_CLOSED_SETS: u32 = CLOSED;
        }
        /// Indices of the shared block's 32-bit words (`Uint32Array` over its first 16 bytes);
        /// `props::shared_layout` checks them against [`crate::writable::Shared`].
        #[js = "U_"]
        pub mod word {
            /// [`crate::writable::Shared::flags`]: bits of [`super::flag`].
            pub const FLAGS: u32 = 0;
            /// `cork()` depth.
            pub const CORKED: u32 = 1;
            /// The answer of the last `wWrite`.
            pub const RET: u32 = 2;
            /// 32-bit words the facade views.
            pub const COUNT: u32 = 4;
        }
        /// Indices of the shared block's numbers (`Float64Array` over the whole block); checked
        /// against [`crate::writable::Shared`] field by field.
        #[js = "S_"]
        pub mod slot {
            /// `writableLength`.
            pub const LENGTH: u32 = 2;
            /// `writableHighWaterMark`.
            pub const HWM: u32 = 3;
            /// `pendingcb`.
            pub const PENDING_CB: u32 = 4;
            /// `writableBuffer.length`.
            pub const BUFFERED: u32 = 5;
            /// `stats().writes`.
            pub const WRITES: u32 = 6;
            /// `stats().bytes`.
            pub const BYTES: u32 = 7;
            /// `stats().writeFalse`.
            pub const WRITE_FALSE: u32 = 8;
            /// `stats().drains`.
            pub const DRAINS: u32 = 9;
            /// `stats().peakBuffered`.
            pub const PEAK: u32 = 10;
            /// `stats().pressureMs`.
            pub const PRESSURE_MS: u32 = 11;
            /// `stats().longestPressureMs`.
            pub const LONGEST_PRESSURE_MS: u32 = 12;
            /// `stats().currentPressureMs` (fresh after [`super::op::STATS_NOW`]).
            pub const CURRENT_PRESSURE_MS: u32 = 13;
            /// `stats().dropped`.
            pub const DROPPED: u32 = 14;
            /// Mailbox: writes completed on the [`super::flag::FAST`] path since the last call.
            pub const FAST_WRITES: u32 = 15;
            /// Mailbox: their bytes.
            pub const FAST_BYTES: u32 = 16;
            /// Mailbox: the largest of them.
            pub const FAST_PEAK: u32 = 17;
            /// The value of an assignment ([`super::op::SET_COUNTER`]), written before the call.
            pub const ARG: u32 = 18;
            /// Mailbox: fast-path writes whose `pendingcb` share is owed until the after-write
            /// tick.
            pub const FAST_PENDING: u32 = 19;
            /// Mailbox: runs of writes queued on [`super::flag::QUEUE_READY`] since the last call.
            pub const QUEUE_RUNS: u32 = 20;
            /// Mailbox: each run's length (`QUEUE_RUN_CAP` of them).
            pub const QUEUE_LENS: u32 = 21;
            /// Mailbox: each run's count of writes (`QUEUE_RUN_CAP` of them).
            pub const QUEUE_COUNTS: u32 = 23;
            /// `writelen`: the length of the write in flight.
            pub const WRITELEN: u32 = 25;
            /// Mailbox: entries taken from the front of the queue on the standing answer
            /// [`super::mask::DEQUEUE_NEEDS`] since the last call.
            pub const DEQUEUED: u32 = 26;
            /// Runs the mailbox holds (writes of one size make one run; a third size calls in).
            /// Kept small: every stream's block carries it.
            pub const QUEUE_RUN_CAP: u32 = 2;
            /// Numbers in the block (its size over 8).
            pub const COUNT: u32 = 27;
        }
        /// How `wWrite`'s and `wOp`'s number arguments are packed: `len * WRITE_LEN + sync`, where
        /// `sync` reports a synchronous completion of the previous write.
        #[js = "ARG_"]
        pub mod arg {
            /// The unit of the chunk length in `wWrite`'s packed argument.
            pub const WRITE_LEN: u32 = 4;
            /// The previous write completed synchronously (its callback is due).
            pub const SYNC_DONE: u32 = 1;
            /// The previous write completed synchronously and had no user callback.
            pub const SYNC_DONE_NO_CB: u32 = 2;
            /// [`super::op::ONWRITE`]'s argument bit: the write failed.
            pub const ONWRITE_ERROR: u32 = 1;
            /// [`super::op::ONWRITE`]'s argument bit: the stream has a `_writev` now.
            pub const ONWRITE_HAS_WRITEV: u32 = 2;
            /// [`super::op::ONWRITE`]'s argument bit: completed during `_write`, no error, no
            /// user callback.
            pub const ONWRITE_SYNC_NOP: u32 = 4;
            /// [`super::op::FINISH_MAYBE`]'s argument bit: called synchronously from `end()`.
            pub const FINISH_SYNC: u32 = 1;
            /// [`super::op::FINISH_MAYBE`]'s argument bit: the stream has a `_final`.
            pub const FINISH_HAS_FINAL: u32 = 2;
            /// [`super::op::FINISH_MAYBE_TAIL`]'s argument bit: called synchronously from `end()`.
            pub const TAIL_SYNC: u32 = 1;
            /// [`super::op::FINISH_MAYBE_TAIL`]'s argument bit: `end()` returns next (mark the
            /// stream ended in the same call).
            pub const TAIL_MARK_ENDED: u32 = 2;
            /// [`super::op::DESTROY_BEGIN`]'s argument bit: `destroy(err)` with an error.
            pub const DESTROY_ERROR: u32 = 1;
            /// [`super::op::DESTROY_BEGIN`]'s argument bit: `end()` callbacks are pending.
            pub const DESTROY_END_CBS: u32 = 2;
            /// [`super::op::DESTROY_BEGIN`]'s argument bit: `_destroy` is the default one (it
            /// calls back at once, with no error and no user code): mark the stream closed in
            /// the same call ([`super::d::CLOSED`]).
            pub const DESTROY_CLOSE_NOW: u32 = 4;
            /// [`super::op::END_RUN`]'s argument bit: the stream has a `_final`.
            pub const END_HAS_FINAL: u32 = 1;
            /// [`super::op::END_RUN`]'s argument bit: emitting `'prefinish'` now would run no
            /// code (no listener, the EventEmitter's own `emit`), so the core may step past it.
            pub const END_QUIET_PREFINISH: u32 = 2;
            /// [`super::op::SET_FLAG`]'s argument: `bit * SET_FLAG_BIT + on`.
            pub const SET_FLAG_BIT: u32 = 2;
            /// [`super::op::SET_MAX_BUFFERED`]'s argument: `maxBuffered * MAX_BUFFERED + policy`
            /// (a [`super::overflow`] value).
            pub const MAX_BUFFERED: u32 = 4;
        }
        /// The `overflow` option's policies, as [`super::op::SET_MAX_BUFFERED`] receives them.
        #[js = "OVERFLOW_"]
        pub mod overflow {
            /// `'error'`: a write past `maxBuffered` fails with `ERR_SLUICE_BUFFER_OVERFLOW`.
            pub const ERROR: u32 = 0;
            /// `'drop-newest'`: the write is dropped (acknowledged, not buffered).
            pub const DROP_NEWEST: u32 = 1;
            /// `'drop-oldest'`: the oldest buffered writes make room.
            pub const DROP_OLDEST: u32 = 2;
        }
    }
}

pub mod readable {
    //! The Readable core (`crate::readable`), its binding (`rCreate`, `rPush`, `rRead`, `rOp`) and
    //! `lib/readable.js`.
    protocol! {
        /// Named state bits of [`crate::readable::Shared::flags`].
        #[js = ""]
        pub mod flag {
            /// Chunks count as 1 each.
            pub const OBJECT_MODE: u32 = 1 << 0;
            /// `push(null)` has been seen (or the stream ended itself).
            pub const ENDED: u32 = 1 << 1;
            /// `'end'` has been emitted.
            pub const END_EMITTED: u32 = 1 << 2;
            /// `_read` was called and has not pushed yet.
            pub const READING: u32 = 1 << 3;
            /// `_construct` is absent or has called back.
            pub const CONSTRUCTED: u32 = 1 << 4;
            /// Inside the synchronous part of `_read` (pushes then buffer instead of emitting).
            pub const SYNC: u32 = 1 << 5;
            /// A `'readable'` event is wanted when data arrives.
            pub const NEED_READABLE: u32 = 1 << 6;
            /// A `'readable'` event is scheduled or emitted and not yet consumed.
            pub const EMITTED_READABLE: u32 = 1 << 7;
            /// There is a `'readable'` listener (paused mode driven by `read()`).
            pub const READABLE_LISTENING: u32 = 1 << 8;
            /// A resume step is scheduled.
            pub const RESUME_SCHEDULED: u32 = 1 << 9;
            /// An error has been recorded (the facade keeps the value).
            pub const ERRORED: u32 = 1 << 10;
            /// `'error'` has been emitted.
            pub const ERROR_EMITTED: u32 = 1 << 11;
            /// Option `emitClose`.
            pub const EMIT_CLOSE: u32 = 1 << 12;
            /// Option `autoDestroy`.
            pub const AUTO_DESTROY: u32 = 1 << 13;
            /// `destroy()` has been called.
            pub const DESTROYED: u32 = 1 << 14;
            /// `_destroy` has called back.
            pub const CLOSED: u32 = 1 << 15;
            /// The close step has run.
            pub const CLOSE_EMITTED: u32 = 1 << 16;
            /// A read-more step is scheduled.
            pub const READING_MORE: u32 = 1 << 17;
            /// `'data'` has been emitted at least once (`readableDidRead`).
            pub const DATA_EMITTED: u32 = 1 << 18;
            /// `readableFlowing === true`.
            pub const FLOWING: u32 = 1 << 19;
            /// `readableFlowing === false` (neither bit: `null`, never started).
            pub const FLOWING_FALSE: u32 = 1 << 20;
            /// `pause()` was called last (Node's `kPaused === true`).
            pub const PAUSED: u32 = 1 << 21;
            /// `resume()` was called last (Node's `kPaused === false`).
            pub const RESUMED: u32 = 1 << 22;
            /// The end step is scheduled and has not run yet (with [`super::sw::END_ONCE`]).
            pub const END_SCHEDULED: u32 = 1 << 23;
            /// `push(null)` inside `_read` found nobody observing the stream and skipped the
            /// `'readable'` step; a `'readable'` listener added later takes it (with
            /// [`super::sw::EOF_READABLE_ON_DEMAND`]).
            pub const EOF_READABLE_PENDING: u32 = 1 << 24;
            /// A decoder is set (`encoding` option or `setEncoding`).
            pub const DECODER: u32 = 1 << 25;
            /// Inside the `_read` of the flowing fast loop: the first buffer pushed is parked instead
            /// of queued (with [`super::sw::FLOW_SYNC`]).
            pub const FAST_PUSH: u32 = 1 << 26;
            /// A chunk is parked outside the queue by the flowing fast loop (`fast` holds its length;
            /// `length` counts it).
            pub const FAST_CHUNK: u32 = 1 << 27;
        }
        /// Behaviour switches, fixed at creation (the facade computes them once from the running
        /// Node's version table, `lib/node-version.js`). They come in the low bits of the options word
        /// (whose other bits are the option flags `EMIT_CLOSE`, `AUTO_DESTROY`, `DECODER`, which
        /// these must not overlap) and are kept in [`crate::readable::ReadableCore::sw`], not in the state flags.
        #[js = "SW_"]
        pub mod sw {
            /// The read-more step is not scheduled while a `_read` is pending.
            pub const READ_MORE_WAITS_FOR_READ: u32 = 1 << 0;
            /// `push(null)` inside `_read` schedules `'readable'` only when the stream is flowing,
            /// wants a `'readable'` or has a `'readable'` listener.
            pub const EOF_READABLE_ON_DEMAND: u32 = 1 << 1;
            /// The end step is scheduled at most once at a time.
            pub const END_ONCE: u32 = 1 << 2;
            /// `read()` without a size takes the first chunk only in byte mode without a decoder.
            pub const READ_ONE_CHUNK: u32 = 1 << 3;
            /// `pause()` and `resume()` do nothing on a destroyed stream.
            pub const NO_PAUSE_RESUME_DESTROYED: u32 = 1 << 4;
            /// The flowing fast loop (the facade's `flowSync`).
            pub const FLOW_SYNC: u32 = 1 << 5;
            /// Every switch.
            pub const ALL: u32 = READ_MORE_WAITS_FOR_READ
                | EOF_READABLE_ON_DEMAND
                | END_ONCE
                | READ_ONE_CHUNK
                | NO_PAUSE_RESUME_DESTROYED
                | FLOW_SYNC;
        }
        /// Answers of [`crate::readable::ReadableCore::push`].
        #[js = "P_"]
        pub mod p {
            /// `push()` returns true.
            pub const RET_TRUE: u32 = 1;
            /// Emit `'data'` with the chunk now (flowing, nothing buffered, outside `_read`).
            pub const EMIT_DATA: u32 = 2;
            /// Append the chunk to the facade's queue.
            pub const BUFFER_BACK: u32 = 4;
            /// Prepend the chunk (unshift).
            pub const BUFFER_FRONT: u32 = 8;
            /// Schedule the `'readable'` step on the next tick.
            pub const TICK_READABLE: u32 = 16;
            /// Run the `'readable'` step now.
            pub const NOW_READABLE: u32 = 32;
            /// Schedule a read-more step on the next tick (never with [`EMIT_DATA`]: then the facade
            /// asks after emitting).
            pub const TICK_READ_MORE: u32 = 64;
            /// `ERR_STREAM_PUSH_AFTER_EOF`.
            pub const ERR_AFTER_EOF: u32 = 128;
            /// `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`.
            pub const ERR_UNSHIFT_AFTER_END: u32 = 256;
        }
        /// Kinds of chunk for [`crate::readable::ReadableCore::push`].
        #[js = "K_"]
        pub mod k {
            /// A chunk with data (or any object-mode value).
            pub const DATA: u32 = 0;
            /// `null`: end of stream.
            pub const EOF: u32 = 1;
            /// An empty string or buffer (byte mode): nothing to add, but the read is over.
            pub const EMPTY: u32 = 2;
        }
        /// Answers of the read steps.
        #[js = "R_"]
        pub mod r {
            /// Mask of the take action (what to take from the queue).
            pub const TAKE_MASK: u32 = 3;
            /// Take nothing: `read()` returns null.
            pub const TAKE_NONE: u32 = 0;
            /// Take the first chunk whole (object mode, or a single chunk that is everything).
            pub const TAKE_FIRST: u32 = 1;
            /// Take everything (join / concat).
            pub const TAKE_ALL: u32 = 2;
            /// Take `n` units from the front, splitting a chunk if needed (`n` in `Shared::n`).
            pub const TAKE_N: u32 = 3;
            /// Call `_read(highWaterMark)` now, then [`crate::readable::ReadableCore::read_after`].
            pub const CALL_READ: u32 = 4;
            /// Emit `'data'` with what was taken.
            pub const EMIT_DATA: u32 = 8;
            /// Schedule the end step on the next tick.
            pub const TICK_END: u32 = 16;
            /// Schedule the `'readable'` step on the next tick.
            pub const TICK_READABLE: u32 = 32;
            /// `read(n)` asked for more than 1 GiB: `ERR_OUT_OF_RANGE`.
            pub const ERR_RANGE: u32 = 64;
            /// Taking everything found more bytes queued than `length` counts (only after the flowing
            /// fast loop zeroed `length` under a queued chunk, as Node's does): Node's copy into a
            /// buffer of `length` bytes throws a `RangeError`; nothing is taken.
            pub const ERR_OVERFLOW: u32 = 128;
            /// The amount to read is the first chunk's length, but the queue is empty while `length`
            /// is not (after Node 20's string take miscounted): Node's `TypeError` on the missing chunk.
            pub const ERR_NO_CHUNK: u32 = 256;
            /// Taking everything, several chunks, and `length` is negative (after a nested
            /// read's over-take): Node's allocation of a buffer of `length` bytes throws its
            /// `ERR_OUT_OF_RANGE`; nothing is taken.
            pub const ERR_NEGATIVE_LENGTH: u32 = 512;
        }
        /// Counters code may assign ([`crate::readable::ReadableCore::set_counter`]).
        #[js = "RC_"]
        pub mod counter {
            /// `highWaterMark`.
            pub const HWM: u32 = 0;
            /// `length`.
            pub const LENGTH: u32 = 1;
        }
        /// Op codes of `rOp`; `lib/readable.js` mirrors them.
        #[js = "OP_"]
        pub mod op {
            pub const READ_AFTER: u32 = 1;
            pub const PUSH_SWALLOWED: u32 = 2;
            pub const PUSH_TAIL: u32 = 3;
            // 4, 5: the `'readable'` step and its second half, a standing answer now
            // (`mask::READABLE_STEP_*`, `mask::READABLE_WANT_*`).
            // 6, 7: the read-more loop's turn and end, standing answers now
            // (`mask::READ_MORE_*`).
            // 8: the end step, a standing answer now (`mask::END_STEP_*`).
            // 9: a `'data'` listener added, a standing answer now (`mask::ON_DATA_*`).
            pub const ON_READABLE: u32 = 10;
            pub const UPDATE_READABLE_LISTENING: u32 = 11;
            // 12: `resume()`, a standing answer now (`mask::RESUME_*`).
            // 13-15: the resume step's three, standing answers now (`mask::RESUME_*`).
            // 16: `pause()`, a standing answer now (`mask::PAUSE_*`).
            pub const SET_FLOWING: u32 = 17;
            pub const RESET_QUEUE: u32 = 18;
            pub const START_CONSTRUCT: u32 = 22;
            pub const CONSTRUCTED: u32 = 23;
            pub const SET_DESTROYED: u32 = 25;
            pub const SET_ERRORED: u32 = 26;
            // 27: `_destroy` called back, a standing answer now (`mask::MARK_CLOSED_SETS`).
            pub const ERROR_EMIT: u32 = 28;
            pub const MAYBE_READ_MORE: u32 = 31;
            pub const DISABLE: u32 = 32;
            // 33: a Transform's start outside `_read`, a standing answer now
            // (`mask::TRANSFORM_START_CLEARS`).
            // 34: `pause()`'s mark after `'pause'`, a standing answer now (`mask::MARK_PAUSED_*`).
            // Assignments to `_readableState` fields and `_undestroy()` (cold).
            pub const SET_FLAG: u32 = 60;
            pub const SET_COUNTER: u32 = 61;
            pub const QUEUE_RESET: u32 = 62;
            pub const QUEUE_PUSH: u32 = 63;
            pub const UNDESTROY: u32 = 64;
            pub const FLOW_SYNC_BEGIN: u32 = 40;
            pub const FLOW_SYNC_STEP: u32 = 41;
            pub const FLOW_SYNC_READ_DONE: u32 = 42;
            pub const FAST_PARK: u32 = 43;
            pub const FAST_UNPARK: u32 = 44;
            pub const FAST_MATERIALIZE: u32 = 45;
            pub const PUSH_THREW: u32 = 46;
            // 47: the read-more step after `'data'`, a standing answer now
            // (`mask::READ_MORE_AFTER_DATA_SETS`).
            pub const TAKE_FIXUP: u32 = 48;
        }
        /// Named combinations of [`flag`] bits.
        #[js = ""]
        pub mod mask {
            use super::flag::*;
            /// `readable` is false once any of these is set.
            pub const NOT_READABLE: u32 = DESTROYED | ERROR_EMITTED | END_EMITTED;
            /// Standing answer of the flowing fast loop's start (`flow_sync_begin`, Node 26's
            /// `flow`): it declines, answering 0 and changing nothing, unless every bit of
            /// [`FLOW_SYNC_NEEDS`] is set and none of [`FLOW_SYNC_BLOCKS`] (object mode, a
            /// decoder, ended, paused, a `_read` pending, ...). The facade makes the call only
            /// when the flags allow the loop.
            pub const FLOW_SYNC_NEEDS: u32 = CONSTRUCTED | FLOWING;
            /// See [`FLOW_SYNC_NEEDS`].
            pub const FLOW_SYNC_BLOCKS: u32 = OBJECT_MODE
                | DECODER
                | ENDED
                | DESTROYED
                | ERRORED
                | PAUSED
                | READING
                | SYNC
                | FAST_CHUNK;
            /// `isPaused()`: `pause()` was called last or `readableFlowing === false`.
            pub const PAUSED_STATUS: u32 = PAUSED | FLOWING_FALSE;
            /// A push while any of these is set is refused by the core, so the facade must not
            /// feed the chunk to the decoder first.
            pub const PUSH_REFUSED: u32 = ENDED | DESTROYED | ERRORED;
            /// Standing answer of the close step (`close_emit`), as the Writable's: it sets
            /// these bits and answers whether [`CLOSE_EMIT_ANSWER`] is set; the facade carries
            /// it out itself.
            pub const CLOSE_EMIT_SETS: u32 = CLOSE_EMITTED;
            /// See [`CLOSE_EMIT_SETS`].
            pub const CLOSE_EMIT_ANSWER: u32 = EMIT_CLOSE;
            /// Standing answer of the end step (`end_step`, the tick `read()` schedules at the
            /// end): it clears [`END_STEP_CLEARS`]; then, when none of [`END_STEP_BLOCKS`] is set
            /// and the buffer is empty, it sets [`END_STEP_SETS`] and `'end'` is emitted;
            /// nothing else changes. The facade carries it out with no call.
            pub const END_STEP_CLEARS: u32 = END_SCHEDULED;
            /// See [`END_STEP_CLEARS`].
            pub const END_STEP_BLOCKS: u32 = ERRORED | CLOSE_EMITTED | END_EMITTED;
            /// See [`END_STEP_CLEARS`].
            pub const END_STEP_SETS: u32 = END_EMITTED;
            /// Standing answer of a turn of the read-more loop (`read_more_turn_or_done`): another
            /// `read(0)` when none of these is set and the buffer is under the mark (or empty
            /// while [`READ_MORE_FLOWING`]); otherwise the loop ends, clearing
            /// [`READ_MORE_DONE_CLEARS`], as it does when a `read(0)` added nothing
            /// (`read_more_done`). The facade carries both out with no call.
            pub const READ_MORE_BLOCKS: u32 = READING | ENDED;
            /// See [`READ_MORE_BLOCKS`].
            pub const READ_MORE_FLOWING: u32 = FLOWING;
            /// See [`READ_MORE_BLOCKS`].
            pub const READ_MORE_DONE_CLEARS: u32 = READING_MORE;
            /// Standing answer of the read-more step asked for after `'data'` was emitted for a
            /// pushed chunk (`read_more_after_data`): with `CONSTRUCTED` set and none of
            /// `READING_MORE` (nor `READING` with the switch `READ_MORE_WAITS_FOR_READ`), it sets
            /// these bits and schedules the step; otherwise it answers no and changes nothing.
            /// The facade carries it out with no call.
            pub const READ_MORE_AFTER_DATA_SETS: u32 = READING_MORE;
            /// Standing answer of `read()` and `read(0)` at the end (with `ENDED`, an empty
            /// buffer): the read answers `null` and changes nothing but these bits (cleared by a
            /// read other than `read(0)`) and the end step's: unless `'end'` is out, it schedules
            /// the end step, once from Node 24 (`END_SCHEDULED` set; none while it is set), per
            /// read before. The facade carries it out with no call (a flowing stream's last
            /// reads, `resume()`'s `read(0)`s); `props.rs` checks it against the core.
            pub const READ_AT_END_CLEARS: u32 = EMITTED_READABLE | EOF_READABLE_PENDING;
            /// Standing answer of a `'data'` listener added (`on_data`): with `'readable'`
            /// listeners it sets [`ON_DATA_SETS`]; then the stream resumes unless
            /// [`ON_DATA_PAUSED`] is set. Nothing else changes; the facade does it with no call.
            pub const ON_DATA_SETS: u32 = READABLE_LISTENING;
            /// See [`ON_DATA_SETS`].
            pub const ON_DATA_PAUSED: u32 = FLOWING_FALSE;
            /// Standing answer of `resume()` (`resume`): nothing at all when destroyed and the
            /// version's switch `NO_PAUSE_RESUME_DESTROYED` is on (from Node 24); otherwise, when
            /// not [`RESUME_FLOWING`], it becomes flowing unless [`RESUME_LISTENING`] is set
            /// (then `FLOWING_FALSE`), and schedules the resume step unless
            /// [`RESUME_SCHEDULED_BIT`] is set already (setting it); then it clears
            /// [`RESUME_CLEARS`] and sets [`RESUME_SETS`]. The facade carries it out with no call.
            pub const RESUME_FLOWING: u32 = FLOWING;
            /// See [`RESUME_FLOWING`].
            pub const RESUME_LISTENING: u32 = READABLE_LISTENING;
            /// See [`RESUME_FLOWING`].
            pub const RESUME_SCHEDULED_BIT: u32 = RESUME_SCHEDULED;
            /// See [`RESUME_FLOWING`].
            pub const RESUME_CLEARS: u32 = PAUSED;
            /// See [`RESUME_FLOWING`].
            pub const RESUME_SETS: u32 = RESUMED;
            /// Standing answer of `pause()` (`pause`, then `mark_paused`): nothing at all when
            /// destroyed and the version's switch `NO_PAUSE_RESUME_DESTROYED` is on (from Node
            /// 24); otherwise, unless [`PAUSE_STATUS`] is set, it clears [`PAUSE_CLEARS`], sets
            /// [`PAUSE_SETS`] and `'pause'` is emitted; then (after the event, whose listeners
            /// may resume) it clears [`MARK_PAUSED_CLEARS`] and sets [`MARK_PAUSED_SETS`]. The
            /// facade carries it out with no call.
            pub const PAUSE_STATUS: u32 = FLOWING_FALSE;
            /// See [`PAUSE_STATUS`].
            pub const PAUSE_CLEARS: u32 = FLOWING;
            /// See [`PAUSE_STATUS`].
            pub const PAUSE_SETS: u32 = FLOWING_FALSE;
            /// See [`PAUSE_STATUS`].
            pub const MARK_PAUSED_CLEARS: u32 = RESUMED;
            /// See [`PAUSE_STATUS`].
            pub const MARK_PAUSED_SETS: u32 = PAUSED;
            /// Standing answer of a `'readable'` listener added (`on_readable`) while nothing is
            /// buffered: nothing at all when any of [`ON_READABLE_QUIET`] is set; otherwise, when
            /// none of [`ON_READABLE_CALLS`] is set either, it sets [`ON_READABLE_SETS`], clears
            /// [`ON_READABLE_CLEARS`] and schedules a `read(0)` unless [`ON_READABLE_READ0_BLOCKS`]
            /// is set. The facade carries that out with no call (with data buffered, or a
            /// `'readable'` owed, it asks the core).
            pub const ON_READABLE_QUIET: u32 = END_EMITTED | READABLE_LISTENING;
            /// See [`ON_READABLE_QUIET`].
            pub const ON_READABLE_CALLS: u32 = EOF_READABLE_PENDING;
            /// See [`ON_READABLE_QUIET`].
            pub const ON_READABLE_SETS: u32 = READABLE_LISTENING | NEED_READABLE | FLOWING_FALSE;
            /// See [`ON_READABLE_QUIET`].
            pub const ON_READABLE_CLEARS: u32 = FLOWING | EMITTED_READABLE;
            /// See [`ON_READABLE_QUIET`].
            pub const ON_READABLE_READ0_BLOCKS: u32 = READING;
            /// Standing answers of the resume step (`resume_step`, `resume_emit`,
            /// `resume_tail`): it begins with `read(0)` when none of these is set, changing
            /// nothing; as `'resume'` is emitted it clears [`RESUME_EMIT_CLEARS`]; after its
            /// flow, `read(0)` again when, of [`RESUME_TAIL_STATUS`], exactly
            /// [`RESUME_TAIL_READY`] is set. The facade carries all three out with no call.
            pub const RESUME_STEP_STATUS: u32 = READING;
            /// See [`RESUME_STEP_STATUS`].
            pub const RESUME_EMIT_CLEARS: u32 = RESUME_SCHEDULED;
            /// See [`RESUME_STEP_STATUS`].
            pub const RESUME_TAIL_STATUS: u32 = FLOWING | READING;
            /// See [`RESUME_STEP_STATUS`].
            pub const RESUME_TAIL_READY: u32 = FLOWING;
            /// A Transform's readable side starts outside any `_read` call (`clear_sync`): these
            /// bits cleared, nothing else; the facade does it with no call.
            pub const TRANSFORM_START_CLEARS: u32 = SYNC;
            /// The bits that decide the standing answer for a `push()` emitted at once (with
            /// [`FAST_EMIT_READY`]).
            pub const FAST_EMIT_STATUS: u32 =
                FLOWING | SYNC | ENDED | DESTROYED | ERRORED | DECODER | FAST_PUSH;
            /// Standing answer for `push()` outside `_read`: when, of [`FAST_EMIT_STATUS`],
            /// exactly these are set (flowing; not in the sync part of `_read`; not ended,
            /// destroyed or errored; no decoder), nothing is buffered and the stream has `'data'`
            /// listeners, a `push()` of a non-empty Buffer (or any value but `null` in object
            /// mode) is emitted as `'data'` now: it ends the read and marks data emitted; the
            /// read-more step and the return value are decided after the handlers, as after any
            /// emitted push. The facade carries that out itself (no mailbox: nothing is queued).
            pub const FAST_EMIT_READY: u32 = FLOWING;
            /// The bits that decide the standing answer for the end of a read (with
            /// [`FAST_TAKE_READY`]).
            pub const FAST_TAKE_STATUS: u32 = FLOWING
                | SYNC
                | READING
                | DESTROYED
                | ERRORED
                | ERROR_EMITTED
                | CLOSE_EMITTED
                | DECODER
                | FAST_CHUNK;
            /// Standing answer for the end of a read (`read_after` of a `read()` without an
            /// amount): when `_read` made no call into the core and a chunk is queued (pushed
            /// on the push answer, the only way `reading` is cleared without a call, or queued
            /// before the stream ended), and of
            /// [`FAST_TAKE_STATUS`] exactly these are set (flowing,
            /// still inside `_read`; a `'readable'` wanted or not), the read takes the first
            /// chunk whole, leaves the sync
            /// part, marks data emitted and emits `'data'`: the facade carries that out and
            /// counts the take in the mailbox (`S_FAST_TAKES`).
            pub const FAST_TAKE_READY: u32 = FLOWING | SYNC;
            /// See [`FAST_TAKE_READY`]: set too when the take leaves nothing buffered and the
            /// stream has not ended; once ended, the end step is scheduled instead, as `read()`
            /// at the end does.
            pub const FAST_TAKE_EMPTIED_SETS: u32 = NEED_READABLE;
            /// The bits that decide the standing answer for `read()` at the end (with
            /// [`FAST_READ_END_READY`]).
            pub const FAST_READ_END_STATUS: u32 =
                FLOWING | ENDED | DECODER | ERROR_EMITTED | CLOSE_EMITTED | FAST_CHUNK;
            /// Standing answer for a `read()` without an amount once the stream ended: when, of
            /// [`FAST_READ_END_STATUS`], exactly these are set (flowing, ended; no decoder, no
            /// error or close emitted, not the fast loop's park) and the first queued chunk is
            /// not more than is buffered (and is all of it only when it is the only one), it
            /// clears [`READ_AT_END_CLEARS`], takes that chunk whole (`S_N` its units), marks
            /// data emitted and emits `'data'`; when nothing stays it schedules the end step as
            /// `read()` at the end does (`END_SCHEDULED` set first from Node 24, unless `'end'`
            /// is out). The facade carries that out and counts the take in the mailbox
            /// (`S_FAST_TAKES`). Where a read takes one chunk ([`super::sw::READ_ONE_CHUNK`])
            /// the same holds when not flowing ([`FAST_READ_END_PAUSED_READY`]).
            pub const FAST_READ_END_READY: u32 = FLOWING | ENDED;
            /// See [`FAST_READ_END_READY`].
            pub const FAST_READ_END_PAUSED_READY: u32 = ENDED;
            /// The bits that decide the standing answer for `read()` (with [`FAST_READ_READY`]).
            pub const FAST_READ_STATUS: u32 = FLOWING
                | CONSTRUCTED
                | SYNC
                | READING
                | ENDED
                | DESTROYED
                | ERRORED
                | ERROR_EMITTED
                | CLOSE_EMITTED
                | DECODER
                | FAST_CHUNK;
            /// Standing answer for a `read()` without an amount: when, of [`FAST_READ_STATUS`],
            /// exactly these are set (flowing, constructed; not inside `_read`, not reading, not
            /// ended, destroyed or errored, no decoder; a `'readable'` wanted or not), it takes the
            /// first queued chunk; when what stays after it is under the mark it first calls
            /// `_read` (reading, in the sync part, `S_N` the chunk's length, one more read call)
            /// and ends as [`FAST_TAKE_READY`] or `READ_AFTER` says. The facade carries out the
            /// call-`_read` case; the others ask the core.
            pub const FAST_READ_READY: u32 = FLOWING | CONSTRUCTED;
            /// The bits that decide the standing answer for a paused `read()` (with
            /// [`PAUSED_READ_READY`]).
            pub const PAUSED_READ_STATUS: u32 = FAST_READ_STATUS | OBJECT_MODE;
            /// Standing answer for a `read()` without an amount when not flowing (every
            /// `for await` step, a `'readable'` handler's read): when, of
            /// [`PAUSED_READ_STATUS`], exactly these are set (constructed; not flowing, not
            /// inside `_read`, not reading, not ended, destroyed or errored, no decoder, byte
            /// mode), the version takes everything at once (not [`super::sw::READ_ONE_CHUNK`]),
            /// and nothing is buffered or the mark is above 0, it calls `_read` as
            /// [`FAST_READ_READY`] does (`S_N` the whole length; with nothing buffered it also
            /// sets [`NEED_READABLE`]). After it, when `_read` made no call into the core, did
            /// not end the stream and is still in its sync part (no nested read ended it): with
            /// something buffered it takes everything
            /// ([`super::r::TAKE_ALL`], `S_N` the length then), leaves the sync part, marks data
            /// emitted and a `'readable'` wanted ([`PAUSED_READ_TAKE_SETS`]) and emits `'data'`;
            /// with nothing (`_read` pushed nothing) it leaves the sync part, wants a
            /// `'readable'` and answers null. Otherwise it ends as `READ_AFTER` says. The facade
            /// carries that out and counts the chunks taken in the mailbox (`S_FAST_TAKES`).
            /// Where a read takes one chunk ([`super::sw::READ_ONE_CHUNK`]), with something
            /// buffered: when a `'readable'` is wanted or what stays after the first chunk is
            /// under the mark, it calls `_read` as [`FAST_READ_READY`] does (`S_N` the first
            /// chunk's length) and ends as [`FAST_TAKE_READY`] does under the same conditions;
            /// otherwise it takes the first chunk at once, as that end does (no `sync` to leave).
            pub const PAUSED_READ_READY: u32 = CONSTRUCTED;
            /// See [`PAUSED_READ_READY`].
            pub const PAUSED_READ_TAKE_SETS: u32 = DATA_EMITTED | NEED_READABLE;
            /// The bits that decide the standing answer for a paused `read()` in object mode (with
            /// [`PAUSED_READ_READY`], [`OBJECT_MODE`] set): a read takes one item on every
            /// version, so with something buffered it answers as the one-chunk read of
            /// [`PAUSED_READ_READY`] does where [`super::sw::READ_ONE_CHUNK`] is on (`S_N` 1).
            pub const PAUSED_READ_OBJ_STATUS: u32 = FAST_READ_STATUS;
            /// The options word's bits a core is made with as flags (the rest of the word is
            /// its version switches). A stocked core (made with the switches alone, not in object
            /// mode, mark 0) becomes the one the options would make when the facade sets these
            /// bits of them (and [`OBJECT_MODE`]) in its flags and writes the mark.
            pub const MADE_FROM_OPTIONS: u32 = EMIT_CLOSE | AUTO_DESTROY | DECODER;
            /// Standing answer of a `push()` that is buffered: when none of these is set and
            /// the chunk is not emitted at once (inside `_read`'s sync part, not flowing,
            /// something buffered, or no `'data'` listener), a non-empty chunk (any value but
            /// `null` in object mode) is queued at the back and ends the read (`READING`
            /// cleared); when [`NEED_READABLE`] is set, it is cleared and the `'readable'` step
            /// scheduled unless [`EMITTED_READABLE`] is set (which it then sets); the read-more
            /// step is scheduled after it (and [`READING_MORE`] set) when, of
            /// [`READ_MORE_TICK_STATUS`], exactly [`READ_MORE_TICK_READY`] is set; `push()`
            /// returns `length < highWaterMark`. The facade carries it out itself and leaves the
            /// length in the mailbox (`S_FAST_RUNS`, `S_FAST_LENS`, `S_FAST_COUNTS`: one more
            /// of the last run when its length is the chunk's).
            pub const PUSH_BUFFER_BLOCKS: u32 = ENDED | DESTROYED | ERRORED | DECODER | FAST_PUSH;
            /// See [`PUSH_BUFFER_BLOCKS`].
            pub const READ_MORE_TICK_STATUS: u32 = READING_MORE | CONSTRUCTED;
            /// See [`PUSH_BUFFER_BLOCKS`].
            pub const READ_MORE_TICK_READY: u32 = CONSTRUCTED;
            /// Standing answer of `push(null)` (the end), no decoder, whatever the state: it
            /// clears `READING`; already ended, nothing else. Otherwise it sets `ENDED`; inside
            /// `_read`'s sync part, when the version switch `EOF_READABLE_ON_DEMAND` is on, no
            /// `'readable'` listener and none of [`EOF_QUIET_BLOCKS`] is set, it sets
            /// [`EOF_READABLE_PENDING`] (nothing scheduled); else it clears [`NEED_READABLE`]
            /// and schedules the `'readable'` step unless [`EMITTED_READABLE`] is set (which it
            /// then sets). Outside the sync part, it clears [`NEED_READABLE`], sets
            /// [`EMITTED_READABLE`] and runs the `'readable'` step now. `push()` returns false.
            pub const EOF_QUIET_BLOCKS: u32 = FLOWING | NEED_READABLE;
            /// `read(0)` on a stream not ended is a standing answer, whatever the state: with
            /// [`NEED_READABLE`] set and the mark reached (anything buffered when the mark is
            /// 0), it clears [`NEED_READABLE`] and schedules the `'readable'` step unless
            /// [`EMITTED_READABLE`] is set (which it then sets); otherwise, when
            /// [`NEED_READABLE`] is set or the length is under the mark (or 0), and none of
            /// [`READ_ZERO_BLOCKS`] is set and `CONSTRUCTED` is, it calls `_read`: sets
            /// [`READ_ZERO_SETS`] (and [`NEED_READABLE`] when nothing is buffered), one more read
            /// call, `S_N` 0; otherwise it sets [`NEED_READABLE`] when the length is at most the
            /// mark. After that `_read` (`read_after(0, 0)`), it clears `SYNC` and sets
            /// [`NEED_READABLE`] when the length is at most the mark. Nothing is taken.
            pub const READ_ZERO_BLOCKS: u32 = ENDED | READING | DESTROYED | ERRORED;
            /// See [`READ_ZERO_BLOCKS`].
            pub const READ_ZERO_SETS: u32 = READING | SYNC;
            /// The end of a `_read` called by a `read()` without an amount, once the stream
            /// ended with nothing buffered (`read_after`), is a standing answer, whatever the
            /// state: it clears `SYNC`, sets [`READ_ENDED_SETS`], takes nothing and schedules the
            /// end step as `read()` at the end does.
            pub const READ_ENDED_SETS: u32 = NEED_READABLE;
            /// Standing answer of the `'readable'` step (`readable_step`, with
            /// `readable_emitted` after it), whatever the state: `'readable'` is due when none of
            /// these is set and something is buffered or the stream ended. When it is due, it
            /// clears [`READABLE_STEP_CLEARS`] (once `'readable'` was emitted, or at once when no
            /// listener can see it); then, due or not, it sets [`READABLE_WANT_SETS`] when none
            /// of [`READABLE_WANT_BLOCKS`] is set and the length is at most the mark. Nothing
            /// else changes: the facade carries it out itself.
            pub const READABLE_STEP_BLOCKS: u32 = DESTROYED | ERRORED;
            /// See [`READABLE_STEP_BLOCKS`].
            pub const READABLE_STEP_CLEARS: u32 = EMITTED_READABLE;
            /// See [`READABLE_STEP_BLOCKS`].
            pub const READABLE_WANT_BLOCKS: u32 = FLOWING | ENDED;
            /// See [`READABLE_STEP_BLOCKS`].
            pub const READABLE_WANT_SETS: u32 = NEED_READABLE;
            /// The destroy protocol's marks (`set_destroyed(true)`, `set_closed`), whatever the
            /// state: each sets its bit and changes nothing else (no call).
            pub const MARK_DESTROYED_SETS: u32 = DESTROYED;
            /// See [`MARK_DESTROYED_SETS`].
            pub const MARK_CLOSED_SETS: u32 = CLOSED;
        }
        /// Answers of [`crate::readable::ReadableCore::on_readable`] (a `'readable'` listener
        /// was added), as bits.
        #[js = "O_"]
        pub mod o {
            /// Schedule the `'readable'` step.
            pub const TICK_READABLE: u32 = 1;
            /// Then schedule a `read(0)` on the next tick.
            pub const TICK_READ0: u32 = 2;
        }
        /// Named combinations of [`p`] answers.
        #[js = "P_"]
        pub mod p_mask {
            use super::p::*;
            /// User code ran inside the push (`'data'` or `'readable'` handlers), so the answer
            /// is computed afresh after it.
            pub const RAN_USER_CODE: u32 = EMIT_DATA | NOW_READABLE;
        }
        /// Indices of the shared block's 32-bit words; checked against
        /// [`crate::readable::Shared`].
        #[js = "U_"]
        pub mod word {
            /// [`crate::readable::Shared::flags`]: bits of [`super::flag`].
            pub const FLAGS: u32 = 0;
            /// The answer of the last `rPush` / `rRead`.
            pub const RET: u32 = 1;
            /// 32-bit words the facade views.
            pub const COUNT: u32 = 4;
        }
        /// Indices of the shared block's numbers; checked against [`crate::readable::Shared`].
        #[js = "S_"]
        pub mod slot {
            /// `readableLength`.
            pub const LENGTH: u32 = 2;
            /// `readableHighWaterMark`.
            pub const HWM: u32 = 3;
            /// Chunks in the queue.
            pub const BUFFERED: u32 = 4;
            /// The unit count of the last take.
            pub const N: u32 = 5;
            /// `stats().pushes`.
            pub const PUSHES: u32 = 6;
            /// `stats().bytesPushed`.
            pub const BYTES: u32 = 7;
            /// `stats().pushFalse`.
            pub const PUSH_FALSE: u32 = 8;
            /// `stats().readCalls`.
            pub const READ_CALLS: u32 = 9;
            /// `stats().peakBuffered`.
            pub const PEAK: u32 = 10;
            /// Mailbox: the runs of pushes carried out on the standing answer since the last
            /// call (pushes of one length in a row are one run).
            pub const FAST_RUNS: u32 = 11;
            /// Mailbox: each run's length per push, [`super::mailbox::RUN_CAP`] slots from here.
            pub const FAST_LENS: u32 = 12;
            /// Mailbox: each run's count of pushes, [`super::mailbox::RUN_CAP`] slots from here.
            pub const FAST_COUNTS: u32 = 12 + super::mailbox::RUN_CAP;
            /// Mailbox: first chunks taken on the end-of-read answer since the last call.
            pub const FAST_TAKES: u32 = 12 + 2 * super::mailbox::RUN_CAP;
            /// Calls into the core so far.
            pub const CALLS: u32 = 13 + 2 * super::mailbox::RUN_CAP;
            /// Numbers in the block (its size over 8).
            pub const COUNT: u32 = 14 + 2 * super::mailbox::RUN_CAP;
        }
        /// Sizes of the shared block's mailboxes.
        #[js = "MAILBOX_"]
        pub mod mailbox {
            /// Runs the push mailbox holds; a push that would start one more takes the
            /// ordinary path. Chunks of one size (the common case: a fixed read size, and every
            /// object-mode push) make one run however many there are, so the mailbox of a
            /// steady flow never fills and the flowing loop makes no call.
            pub const RUN_CAP: u32 = 15;
        }
        /// How `rPush`'s and `rRead`'s arguments are packed.
        #[js = "ARG_"]
        pub mod arg {
            /// `rPush(h, len * PUSH_LEN + kind * PUSH_KIND + front, listeners)`: the unit of the
            /// length.
            pub const PUSH_LEN: u32 = 8;
            /// The unit of the chunk kind ([`super::k`]).
            pub const PUSH_KIND: u32 = 2;
            /// `unshift()`: the chunk goes to the front.
            pub const PUSH_FRONT: u32 = 1;
            /// `listeners` bit: the stream has `'data'` listeners.
            pub const LISTENS_DATA: u32 = 1;
            /// `listeners` bit: the stream has `'readable'` listeners (asked for `push(null)`).
            pub const LISTENS_READABLE: u32 = 2;
            /// `rRead`'s `n` when `read()` had no amount (or NaN).
            pub const READ_NO_SIZE: f64 = -1.0;
            /// `rRead`'s `n` for any negative amount.
            pub const READ_NEGATIVE: f64 = -2.0;
        }
    }
}

pub mod native {
    //! The native sinks and sources: the kinds of event their workers deliver, the kinds of sink.
    protocol! {
        /// Kinds of event delivered to JS as `dispatch(id, kind, errno, extra)`.
        #[js = ""]
        pub mod kind {
            /// There is room again after a push answered "full".
            pub const ROOM: u32 = 1;
            /// A flush completed (`errno` 0 on success).
            pub const FLUSHED: u32 = 2;
            /// The sink failed (`extra`: the syscall code).
            pub const FAILED: u32 = 3;
            /// The worker has nothing left to do.
            pub const IDLE: u32 = 4;
            /// The worker stopped and released its descriptor.
            pub const CLOSED: u32 = 5;
            /// A source has something for a reader that was told to wait.
            pub const DATA: u32 = 6;
            /// A native-to-native copy finished (`extra`: bytes copied).
            pub const COPIED: u32 = 7;
        }
        /// Answers of `nsPush(handle, buffer)`; a failure is `FAILED + errno * FAILED_ERRNO +`
        /// a [`syscall`] code.
        #[js = "PUSH_"]
        pub mod push {
            /// Taken into the native buffer: acknowledge now.
            pub const ACCEPTED: u32 = 0;
            /// No room: wait for the room event.
            pub const FULL: u32 = 1;
            /// The sink has failed (the base of the packed failure).
            pub const FAILED: u32 = 2;
            /// The unit of the errno in a packed failure.
            pub const FAILED_ERRNO: u32 = 8;
        }
        /// The syscall a failure names (`err.syscall`), as push answers and failure events carry
        /// it.
        #[js = "SYSCALL_"]
        pub mod syscall {
            /// `write` (also the write of a file sink's `start` position).
            pub const WRITE: u32 = 0;
            /// `fsync` (`flush: true`).
            pub const FSYNC: u32 = 1;
            /// `close`.
            pub const CLOSE: u32 = 2;
            /// A memory sink's limit (reported as `write`).
            pub const LIMIT: u32 = 3;
            /// `read` (sources).
            pub const READ: u32 = 4;
        }
        /// Answers of `srcTake(handle)` besides a chunk; a negative number is `-errno`.
        #[js = "TAKE_"]
        pub mod take {
            /// Nothing read yet: wait for the data event.
            pub const PENDING: u32 = 0;
            /// End of file.
            pub const EOF: u32 = 1;
        }
        /// Kinds of native sink for `nsCreate(kind, a, b, cap, c)`.
        #[js = "KIND_"]
        pub mod sink_kind {
            /// A file descriptor (`a` the fd, `b` 1 to close it at the end).
            pub const FD: u32 = 0;
            /// Discards (counts) everything.
            pub const NULL: u32 = 1;
            /// Keeps everything in memory (`a` a byte limit, or -1).
            pub const MEMORY: u32 = 2;
            /// Consumes at `a` bytes per second after `b` ms of latency.
            pub const THROTTLE: u32 = 3;
        }
    }
}

pub mod addon {
    //! The addon's own layout, the same for both kinds of core: its slabs of cores.
    protocol! {
        /// The addon's slabs: a stream's core is an index; its shared block is slot `index %
        /// CHUNK` of chunk `index / CHUNK`, an `ArrayBuffer` of `CHUNK` blocks (`slot::COUNT`
        /// numbers each) that the facade allocates and lends to the addon (`wAdopt`, `rAdopt`).
        #[js = "SLAB_"]
        pub mod slab {
            /// Blocks per chunk.
            pub const CHUNK: u32 = 256;
            /// `index >>> SHIFT` is the chunk.
            pub const SHIFT: u32 = 8;
            /// `index & MASK` is the slot in it.
            pub const MASK: u32 = 255;
            /// `wCreate`'s answer when every chunk is full: lend another, then ask again.
            pub const FULL: u32 = u32::MAX;
            /// `wRetire`'s answer for a core it kept (it holds more than its block).
            pub const NOT_RETIRED: u32 = u32::MAX;
            /// Bytes per tomb, at most: the memory the facade keeps retired streams' blocks in
            /// (see `lib/slab.js`), as many blocks as fit; a tomb goes with the last of its
            /// streams. A retirement call copies into one tomb, so it takes at most that many
            /// streams. (An `ArrayBuffer` costs ~2.7 µs to make whatever its size up to here:
            /// ~45 ns a Writable at 64 blocks, 14 ns at 204.)
            pub const TOMB_BYTES: u32 = 32768;
            /// In `wRetire`'s list of tomb blocks: no copy (the block is in a tomb already,
            /// or the core is a stocked one no stream has).
            pub const NO_COPY: u32 = u32::MAX;
            /// In `wRetire`'s list of tomb blocks, added to a block's number (never with
            /// `NO_COPY`): a core that cannot retire moves its block there all the same (its
            /// stream, born in a birth tomb and still open, leaves that tomb for a dense one).
            pub const RELOCATE: u32 = 0x8000_0000;
            /// Cores made at once for the facade's stock (`wStock`, `rStock`): cores made with
            /// the defaults that the facade then gives a stream's options by
            /// writing its block (the `MADE_*` masks), one call per `STOCK` streams.
            pub const STOCK: u32 = 64;
        }
        /// `dOp(writableIndex, readableIndex, op, arg, pendingSyncCompletion)`: one step of a
        /// Duplex's destruction taken on both of its cores in one call (the same steps as the
        /// cores' own ops, one after the other, with no user code between them).
        #[js = "DUPLEX_"]
        pub mod duplex {
            /// The writable side's `DESTROY_BEGIN` (its argument and answer), then, unless it
            /// answers `ALREADY`, the readable side marked destroyed.
            pub const DESTROY_BEGIN: u32 = 1;
            // 2: both sides closed, a standing answer of each core now (`MARK_CLOSED_SETS`).
        }
    }
}

/// Every namespace, in the order of `lib/protocol.js`.
pub const NAMESPACES: &[(&str, &[Group])] = &[
    ("writable", writable::GROUPS),
    ("readable", readable::GROUPS),
    ("native", native::GROUPS),
    ("addon", addon::GROUPS),
];

/// The JS module `lib/protocol.js`: one frozen object of `PREFIX_NAME: value` per namespace.
pub fn render_js() -> String {
    let mut s = String::new();
    s.push_str("// Generated from crates/sluice-core/src/protocol.rs by `npm run protocol`. Do not edit:\n");
    s.push_str("// `cargo test -p sluice-core` fails when this file is not what the Rust definitions render.\n");
    s.push_str("'use strict';\n");
    for (ns, groups) in NAMESPACES {
        s.push_str(&format!("\nexports.{ns} = Object.freeze({{\n"));
        for (i, g) in groups.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&format!("  // {ns}::{}:\n", g.module));
            for line in g.doc.lines().filter(|l| !l.trim().is_empty()) {
                s.push_str(&format!("  //{line}\n"));
            }
            for it in g.items {
                let first = it.doc.lines().next().unwrap_or("").trim();
                if !first.is_empty() {
                    s.push_str(&format!("  /** {} */\n", first.replace("*/", "* /")));
                }
                s.push_str(&format!("  {}{}: {},\n", g.prefix, it.name, it.value));
            }
        }
        s.push_str("});\n");
    }
    s
}

/// The same table as JSON (`{ namespace: { NAME: value } }`), which the addon exports so that a
/// JS test can compare the loaded binary with `lib/protocol.js`.
pub fn render_json() -> String {
    let mut s = String::from("{");
    for (i, (ns, groups)) in NAMESPACES.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("\"{ns}\":{{"));
        let mut first = true;
        for g in *groups {
            for it in g.items {
                if !first {
                    s.push(',');
                }
                first = false;
                s.push_str(&format!("\"{}{}\":{}", g.prefix, it.name, it.value));
            }
        }
        s.push('}');
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::mem::{offset_of, size_of};

    fn js_path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lib/protocol.js")
    }

    #[test]
    fn generated_js_is_current() {
        let committed = std::fs::read_to_string(js_path()).unwrap_or_default();
        assert!(
            committed == render_js(),
            "lib/protocol.js is not what protocol.rs renders: run `npm run protocol`"
        );
    }

    #[test]
    fn js_names_are_unique_per_namespace() {
        for (ns, groups) in NAMESPACES {
            let mut seen = HashSet::new();
            for g in *groups {
                for it in g.items {
                    let n = format!("{}{}", g.prefix, it.name);
                    assert!(seen.insert(n.clone()), "{ns}.{n} defined twice");
                    assert!(it.value.fract() == 0.0 && it.value.abs() < 2f64.powi(53));
                }
            }
        }
    }

    #[test]
    fn flag_bits_are_distinct() {
        for flags in [writable::GROUPS[0].items, readable::GROUPS[0].items] {
            let single: Vec<_> = flags
                .iter()
                .filter(|i| (i.value as u32).is_power_of_two())
                .collect();
            let mut all = 0u32;
            for i in &single {
                assert_eq!(all & i.value as u32, 0, "{} overlaps", i.name);
                all |= i.value as u32;
            }
        }
        // The Readable switches share the options word with these option flags.
        use readable::{flag as rf, sw};
        assert_eq!(
            sw::ALL & (rf::EMIT_CLOSE | rf::AUTO_DESTROY | rf::DECODER),
            0
        );
    }

    #[test]
    fn slab_geometry() {
        use addon::slab::{CHUNK, MASK, SHIFT};
        assert_eq!(CHUNK, 1 << SHIFT);
        assert_eq!(MASK, CHUNK - 1);
    }

    #[test]
    fn shared_layout() {
        use crate::readable::Shared as R;
        use crate::writable::Shared as W;
        let f = |off: usize| (off / 8) as u32;
        let u = |off: usize| (off / 4) as u32;
        {
            use writable::{slot, word};
            assert_eq!(u(offset_of!(W, flags)), word::FLAGS);
            assert_eq!(u(offset_of!(W, corked)), word::CORKED);
            assert_eq!(u(offset_of!(W, ret)), word::RET);
            assert_eq!(offset_of!(W, length), (word::COUNT * 4) as usize);
            assert_eq!(f(offset_of!(W, length)), slot::LENGTH);
            assert_eq!(f(offset_of!(W, hwm)), slot::HWM);
            assert_eq!(f(offset_of!(W, pending_cb)), slot::PENDING_CB);
            assert_eq!(f(offset_of!(W, buffered)), slot::BUFFERED);
            assert_eq!(f(offset_of!(W, st.writes)), slot::WRITES);
            assert_eq!(f(offset_of!(W, st.bytes)), slot::BYTES);
            assert_eq!(f(offset_of!(W, st.write_false)), slot::WRITE_FALSE);
            assert_eq!(f(offset_of!(W, st.drains)), slot::DRAINS);
            assert_eq!(f(offset_of!(W, st.peak)), slot::PEAK);
            assert_eq!(f(offset_of!(W, st.pressure_ms)), slot::PRESSURE_MS);
            assert_eq!(
                f(offset_of!(W, st.longest_pressure_ms)),
                slot::LONGEST_PRESSURE_MS
            );
            assert_eq!(
                f(offset_of!(W, st.current_pressure_ms)),
                slot::CURRENT_PRESSURE_MS
            );
            assert_eq!(f(offset_of!(W, st.dropped)), slot::DROPPED);
            assert_eq!(f(offset_of!(W, fast_writes)), slot::FAST_WRITES);
            assert_eq!(f(offset_of!(W, fast_bytes)), slot::FAST_BYTES);
            assert_eq!(f(offset_of!(W, fast_peak)), slot::FAST_PEAK);
            assert_eq!(f(offset_of!(W, arg)), slot::ARG);
            assert_eq!(f(offset_of!(W, fast_pending)), slot::FAST_PENDING);
            assert_eq!(f(offset_of!(W, queue_runs)), slot::QUEUE_RUNS);
            assert_eq!(f(offset_of!(W, queue_lens)), slot::QUEUE_LENS);
            assert_eq!(f(offset_of!(W, queue_counts)), slot::QUEUE_COUNTS);
            assert_eq!(size_of::<W>(), slot::COUNT as usize * 8);
        }
        {
            use readable::{slot, word};
            assert_eq!(u(offset_of!(R, flags)), word::FLAGS);
            assert_eq!(u(offset_of!(R, ret)), word::RET);
            assert_eq!(offset_of!(R, length), (word::COUNT * 4) as usize);
            assert_eq!(f(offset_of!(R, length)), slot::LENGTH);
            assert_eq!(f(offset_of!(R, hwm)), slot::HWM);
            assert_eq!(f(offset_of!(R, buffered)), slot::BUFFERED);
            assert_eq!(f(offset_of!(R, n)), slot::N);
            assert_eq!(f(offset_of!(R, st.pushes)), slot::PUSHES);
            assert_eq!(f(offset_of!(R, st.bytes)), slot::BYTES);
            assert_eq!(f(offset_of!(R, st.push_false)), slot::PUSH_FALSE);
            assert_eq!(f(offset_of!(R, st.read_calls)), slot::READ_CALLS);
            assert_eq!(f(offset_of!(R, st.peak)), slot::PEAK);
            assert_eq!(f(offset_of!(R, fast_runs)), slot::FAST_RUNS);
            assert_eq!(f(offset_of!(R, fast_lens)), slot::FAST_LENS);
            assert_eq!(f(offset_of!(R, fast_counts)), slot::FAST_COUNTS);
            assert_eq!(f(offset_of!(R, fast_takes)), slot::FAST_TAKES);
            assert_eq!(f(offset_of!(R, calls)), slot::CALLS);
            assert_eq!(size_of::<R>(), slot::COUNT as usize * 8);
        }
        // lib/destroy.js reads either core's flags word by the one index.
        assert_eq!(writable::word::FLAGS, readable::word::FLAGS);
    }
}
