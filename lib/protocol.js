// Generated from crates/sluice-core/src/protocol.rs by `npm run protocol`. Do not edit:
// `cargo test -p sluice-core` fails when this file is not what the Rust definitions render.
'use strict';

exports.writable = Object.freeze({
  // writable::flag:
  // Named state bits of [`crate::writable::Shared::flags`]. One bit per fact; the facade reads them through the
  // shared typed array, so their values are part of the binding's contract with `lib/`.
  /** Chunks count as 1 each instead of their byte length. */
  OBJECT_MODE: 1,
  /** `end()` has been called: further writes are errors. */
  ENDING: 2,
  /** `end()` has returned (set after its finish check, as Node's `state.ended`). */
  ENDED: 4,
  /** `'finish'` is being / has been emitted. */
  FINISHED: 8,
  /** `destroy()` has been called. */
  DESTROYED: 16,
  /** A `_write`/`_writev` is in flight and its callback has not been called. */
  WRITING: 32,
  /** `_construct` is absent or has called back. */
  CONSTRUCTED: 64,
  /** `'prefinish'` has been emitted (or `_final` has called back successfully). */
  PREFINISHED: 128,
  /** `_final` has been called. */
  FINAL_CALLED: 256,
  /** A `write()` returned false and `'drain'` has not been emitted since. */
  NEED_DRAIN: 512,
  /** An error has been recorded (the facade keeps the error value). */
  ERRORED: 1024,
  /** `'error'` has been emitted (at most once per stream). */
  ERROR_EMITTED: 2048,
  /** `_destroy` has called back. */
  CLOSED: 4096,
  /** The close step has run (`'close'` emitted when `EMIT_CLOSE`). */
  CLOSE_EMITTED: 8192,
  /** Option `emitClose` (default true). */
  EMIT_CLOSE: 16384,
  /** Option `autoDestroy` (default true). */
  AUTO_DESTROY: 32768,
  /** The buffered queue is being handed to `_write` one entry at a time; completions arriving */
  BUFFER_PROCESSING: 65536,
  /** Standing answer for the hot path: the stream is idle (nothing in flight or queued, not */
  FAST: 131072,
  /** `cork()` was called and `uncork()` has not brought the depth back to 0. Writes queue on */
  CORKED: 262144,
  /** Standing answer of `end()` (the core's `end_run`): nothing in flight, queued or */
  END_READY: 524288,
  /** Standing answer of the finish tick (`finish_tick`): the stream is due to finish */
  TICK_FINISHES: 1048576,
  /** The core's queue holds entries (derived, recomputed after every call): a */
  QUEUED: 2097152,
  /** Standing answer of `write()` while a write is in flight (or corked, errored, not */
  QUEUE_READY: 4194304,
  /** An opt-in policy is set (`lowWaterMark` or `maxBuffered` not 0): the standing */
  POLICIES: 8388608,
  /** The bits code may assign through `_writableState` (Node lets code set every one of its */
  ASSIGNABLE: 131070,

  // writable::counter:
  // The counters code may assign through `_writableState` ([`crate::writable::WritableCore::set_counter`]).
  /** `highWaterMark`. */
  C_HWM: 0,
  /** `length`. */
  C_LENGTH: 1,
  /** `pendingcb`. */
  C_PENDING_CB: 2,
  /** `corked` (the cork depth). */
  C_CORKED: 3,
  /** `writelen` (the length of the write in flight). */
  C_WRITELEN: 4,

  // writable::w:
  // What `write()` must do with the chunk, plus its return value.
  /** `write()` returns true. */
  W_RET_TRUE: 1,
  /** Call `_write(chunk)` now. */
  W_DISPATCH: 2,
  /** Keep the chunk in the facade's queue; the core has counted it. */
  W_BUFFERED: 4,
  /** Error `ERR_STREAM_WRITE_AFTER_END`; nothing was counted. */
  W_ERR_END: 8,
  /** Error `ERR_STREAM_DESTROYED('write')`; nothing was counted. */
  W_ERR_DESTROYED: 16,
  /** With [`DISPATCH`]: `write()` returns true if the chunk completed during `_write`. */
  W_RET_IF_DONE: 32,
  /** `maxBuffered` with `overflow: 'error'` would be exceeded: nothing was counted. */
  W_ERR_OVERFLOW: 64,
  /** The chunk was dropped by the overflow policy (counted in `dropped`, nothing else). */
  W_DROPPED: 128,
  /** Shift of the dropped-oldest count in a [`DROPPED`] answer. */
  W_DROPPED_OLDEST_SHIFT: 8,

  // writable::a:
  // What the facade must do with its queue after a completion, `uncork()` or a queue step.
  // The low two bits are the dispatch action; higher bits are flags.
  /** Nothing to dispatch. */
  A_NONE: 0,
  /** Take the oldest queued entry and call `_write` with it. */
  A_ONE: 1,
  /** Take the oldest queued entry and fail it as `ERR_STREAM_DESTROYED('write')` (the stream */
  A_ONE_DESTROYED: 2,
  /** Take every queued entry and call `_writev` with them. */
  A_WRITEV: 3,
  /** Mask of the dispatch action. */
  A_MASK: 3,
  /** The completion was a second call of the same callback: `ERR_MULTIPLE_CALLBACK`. */
  A_MULTIPLE_CB: 4,
  /** The completion carried an error and it is the stream's first: record it as `errored`. */
  A_FIRST_ERROR: 8,

  // writable::f:
  // Steps of the finish sequence.
  /** Not ready to finish. */
  F_NONE: 0,
  /** Call `_final(cb)` now. */
  F_CALL_FINAL: 1,
  /** Emit `'prefinish'` now, then ask [`crate::writable::WritableCore::finish_maybe_tail`]. */
  F_EMIT_PREFINISH: 2,
  /** On the next tick, ask [`crate::writable::WritableCore::finish_tick`]. */
  F_FINISH_TICK: 3,
  /** Emit `'finish'` now (the check after `_construct`, see */
  F_FINISH_NOW: 4,
  /** `_final` failed: fail the `end()` callbacks and error the stream. */
  F_FINAL_ERROR: 5,

  // writable::e:
  // Results of `end()`.
  /** The stream is now ending; the finish sequence runs with `sync = true`, then it is */
  E_ENDING: 1,
  /** `ERR_STREAM_ALREADY_FINISHED('end')`. */
  E_ERR_FINISHED: 2,
  /** `ERR_STREAM_DESTROYED('end')`. */
  E_ERR_DESTROYED: 3,
  /** Nothing to do (already ending or errored, not finished, not destroyed). */
  E_NOTHING: 0,

  // writable::end:
  // Packing of [`super::op::END_RUN`]'s answer: `end()`, and as much of the finish
  // sequence as runs with no user code in between, in one call.
  /** The [`super::e`] result. */
  END_E_MASK: 3,
  /** The [`super::f`] step reached is `(answer / STEP) & STEP_MASK`. */
  END_STEP: 4,
  END_STEP_MASK: 7,
  /** The sequence went through to `mark_ended` (the step is [`super::f::NONE`] or */
  END_MARKED: 32,

  // writable::d:
  // Results of `destroy_begin`.
  /** Already destroyed: only call the callback. */
  D_ALREADY: 1,
  /** The error passed is the stream's first: record it. */
  D_FIRST_ERROR: 2,
  /** The queue or the pending `end()` callbacks must be failed on the next tick. */
  D_ERROR_BUFFER: 4,
  /** `_construct` has not called back: run `_destroy` once it does. */
  D_WAIT_CONSTRUCT: 8,
  /** With [`super::arg::DESTROY_CLOSE_NOW`]: the stream is also marked closed (the */
  D_CLOSED: 16,

  // writable::op:
  // Op codes of `wOp`; `lib/writable.js` mirrors them.
  OP_ONWRITE: 1,
  OP_CLEAR_BUFFER: 2,
  OP_CLEAR_NEXT: 3,
  OP_AFTER_WRITE: 4,
  OP_PENDING_DEC: 5,
  OP_ERROR_BUFFER: 6,
  OP_FINISH_MAYBE: 7,
  OP_FINISH_MAYBE_TAIL: 8,
  OP_FINISH_TICK: 9,
  OP_FINAL_DONE: 10,
  OP_FINISH: 11,
  OP_CORK: 14,
  OP_UNCORK: 15,
  OP_UNCORK_ALL: 16,
  OP_DESTROY_BEGIN: 17,
  OP_SET_ERRORED: 18,
  OP_ERROR_EMIT: 20,
  OP_START_CONSTRUCT: 22,
  OP_CONSTRUCTED: 23,
  OP_FLUSH: 26,
  OP_SET_DESTROYED: 27,
  OP_NOTE_NEED_DRAIN: 28,
  OP_DISABLE: 29,
  OP_STATS_NOW: 30,
  OP_SET_LOW_WATER_MARK: 31,
  OP_SET_MAX_BUFFERED: 32,
  OP_LATE_DISPATCH: 33,
  OP_SET_FLAG: 40,
  OP_SET_COUNTER: 41,
  OP_QUEUE_RESET: 42,
  OP_QUEUE_PUSH: 43,
  OP_UNDESTROY: 44,
  OP_END_PASS: 46,
  /** `end()` with the finish sequence folded in: see [`super::end`]. */
  OP_END_RUN: 47,

  // writable::mask:
  // Named combinations of [`flag`] bits, as streamx names its (`SHOULD_NOT_READ`, ...): a test
  // of several facts reads as the one fact they make.
  /** `write()` answers false once any of these is set, whatever the buffer (Node's */
  WRITE_REFUSED: 1040,
  /** A write queued on the standing answer [`QUEUE_READY`] sets these (the queue holds */
  QUEUE_SETS: 2097152,
  /** ... and clears these (nothing is idle or finishable with an entry queued). */
  QUEUE_CLEARS: 1703936,
  /** `writable` is false once any of these is set. */
  NOT_WRITABLE: 1046,
  /** `writableNeedDrain` is true when, of these, exactly [`NEED_DRAIN`] is set. */
  DRAIN_STATUS: 530,
  /** Standing answer of the close step (`close_emit`), whatever the state: it sets */
  CLOSE_EMIT_SETS: 8192,
  /** See [`CLOSE_EMIT_SETS`]: `'close'` is emitted when this bit is set. */
  CLOSE_EMIT_ANSWER: 16384,
  /** See [`CLOSE_EMIT_SETS`]: the standing answers a closed stream no longer gives. */
  CLOSE_EMIT_CLEARS: 1572864,
  /** The bits the core derives from the rest of its state after every call (the */
  DERIVED: 7995392,
  /** With [`END_READY`] set (and the facade's mailbox empty: no completion deferred, */
  END_CLEARS: 4849664,
  /** See [`END_CLEARS`]: with a `_final`: ending, `_final` called (`pendingcb` one */
  END_FINAL_SETS: 1048834,
  /** See [`END_CLEARS`]: no `_final`, a `'prefinish'` listener: ending, past */
  END_PREFINISH_SETS: 1048962,
  /** See [`END_CLEARS`]: no `_final`, a quiet `'prefinish'`: ending, past `'prefinish'`, */
  END_QUIET_SETS: 1048966,
  /** The tail step of the finish sequence from `end()` (the core's */
  TAIL_SETS: 4,
  /** `_final` called back (the core's `final_done`), the mailbox empty: with an error, */
  FINAL_DONE_SETS: 128,
  /** The finish step after `_final` (the core's `finish`), the mailbox empty: it clears */
  FINISH_CLEARS: 1572864,
  /** With [`TICK_FINISHES`] set (the mailbox empty), the finish tick clears these, */
  FINISH_TICK_CLEARS: 1703936,
  /** See [`FINISH_TICK_CLEARS`]. */
  FINISH_TICK_SETS: 8,
  /** `destroy()` with no error (`destroy_begin_closing`) is a standing answer, the */
  DESTROY_NOW_CLEARS: 5898240,
  /** See [`DESTROY_NOW_CLEARS`]. */
  DESTROY_NOW_BUFFER: 2162688,
  /** See [`DESTROY_NOW_CLEARS`]. */
  DESTROY_NOW_CLOSED_SETS: 4096,
  /** A write dispatched on the standing answer [`FAST`] that is still in flight when */
  LATE_DISPATCH_SETS: 4194336,
  /** See [`LATE_DISPATCH_SETS`]. */
  LATE_DISPATCH_CLEARS: 1703936,
  /** The completion of the write in flight, without error and after `_write` had */
  ONWRITE_IDLE_SETS: 655360,
  /** See [`ONWRITE_IDLE_SETS`]. */
  ONWRITE_IDLE_CLEARS: 7340064,
  /** See [`ONWRITE_IDLE_SETS`]. */
  ONWRITE_IDLE_NEEDS: 96,
  /** See [`ONWRITE_IDLE_SETS`]. */
  ONWRITE_IDLE_MASK: 8728570,
  /** The same completion with entries queued (the mailbox empty but for queued */
  DEQUEUE_SETS: 65536,
  /** See [`DEQUEUE_SETS`]. */
  DEQUEUE_NEEDS: 96,
  /** See [`DEQUEUE_SETS`]. */
  DEQUEUE_MASK: 328816,
  /** See [`DEQUEUE_SETS`]. */
  DEQUEUE_LAST_CLEARS: 2097152,
  /** See [`DEQUEUE_SETS`]. */
  DEQUEUE_DONE_CLEARS: 65536,
  /** Node's `needFinish` (the core's `need_finish`): of these and */
  FINISH_NEEDS: 66,
  /** See [`FINISH_NEEDS`]: any of these stops a finish. */
  FINISH_BLOCKERS: 76856,
  /** The after-write step (`after_write(dec)`) emits no `'drain'` when any of these is */
  AFTER_WRITE_QUIET: 18,
  /** The options word's bits a core is made with as flags. A stocked core (made with */
  MADE_FROM_OPTIONS: 49152,
  /** `_destroy` called back (`set_closed`), whatever the state: it sets this bit and */
  MARK_CLOSED_SETS: 4096,

  // writable::word:
  // Indices of the shared block's 32-bit words (`Uint32Array` over its first 16 bytes);
  // `props::shared_layout` checks them against [`crate::writable::Shared`].
  /** [`crate::writable::Shared::flags`]: bits of [`super::flag`]. */
  U_FLAGS: 0,
  /** `cork()` depth. */
  U_CORKED: 1,
  /** The answer of the last `wWrite`. */
  U_RET: 2,
  /** 32-bit words the facade views. */
  U_COUNT: 4,

  // writable::slot:
  // Indices of the shared block's numbers (`Float64Array` over the whole block); checked
  // against [`crate::writable::Shared`] field by field.
  /** `writableLength`. */
  S_LENGTH: 2,
  /** `writableHighWaterMark`. */
  S_HWM: 3,
  /** `pendingcb`. */
  S_PENDING_CB: 4,
  /** `writableBuffer.length`. */
  S_BUFFERED: 5,
  /** `stats().writes`. */
  S_WRITES: 6,
  /** `stats().bytes`. */
  S_BYTES: 7,
  /** `stats().writeFalse`. */
  S_WRITE_FALSE: 8,
  /** `stats().drains`. */
  S_DRAINS: 9,
  /** `stats().peakBuffered`. */
  S_PEAK: 10,
  /** `stats().pressureMs`. */
  S_PRESSURE_MS: 11,
  /** `stats().longestPressureMs`. */
  S_LONGEST_PRESSURE_MS: 12,
  /** `stats().currentPressureMs` (fresh after [`super::op::STATS_NOW`]). */
  S_CURRENT_PRESSURE_MS: 13,
  /** `stats().dropped`. */
  S_DROPPED: 14,
  /** Mailbox: writes completed on the [`super::flag::FAST`] path since the last call. */
  S_FAST_WRITES: 15,
  /** Mailbox: their bytes. */
  S_FAST_BYTES: 16,
  /** Mailbox: the largest of them. */
  S_FAST_PEAK: 17,
  /** The value of an assignment ([`super::op::SET_COUNTER`]), written before the call. */
  S_ARG: 18,
  /** Mailbox: fast-path writes whose `pendingcb` share is owed until the after-write */
  S_FAST_PENDING: 19,
  /** Mailbox: runs of writes queued on [`super::flag::QUEUE_READY`] since the last call. */
  S_QUEUE_RUNS: 20,
  /** Mailbox: each run's length (`QUEUE_RUN_CAP` of them). */
  S_QUEUE_LENS: 21,
  /** Mailbox: each run's count of writes (`QUEUE_RUN_CAP` of them). */
  S_QUEUE_COUNTS: 23,
  /** `writelen`: the length of the write in flight. */
  S_WRITELEN: 25,
  /** Mailbox: entries taken from the front of the queue on the standing answer */
  S_DEQUEUED: 26,
  /** Runs the mailbox holds (writes of one size make one run; a third size calls in). */
  S_QUEUE_RUN_CAP: 2,
  /** Numbers in the block (its size over 8). */
  S_COUNT: 27,

  // writable::arg:
  // How `wWrite`'s and `wOp`'s number arguments are packed: `len * WRITE_LEN + sync`, where
  // `sync` reports a synchronous completion of the previous write.
  /** The unit of the chunk length in `wWrite`'s packed argument. */
  ARG_WRITE_LEN: 4,
  /** The previous write completed synchronously (its callback is due). */
  ARG_SYNC_DONE: 1,
  /** The previous write completed synchronously and had no user callback. */
  ARG_SYNC_DONE_NO_CB: 2,
  /** [`super::op::ONWRITE`]'s argument bit: the write failed. */
  ARG_ONWRITE_ERROR: 1,
  /** [`super::op::ONWRITE`]'s argument bit: the stream has a `_writev` now. */
  ARG_ONWRITE_HAS_WRITEV: 2,
  /** [`super::op::ONWRITE`]'s argument bit: completed during `_write`, no error, no */
  ARG_ONWRITE_SYNC_NOP: 4,
  /** [`super::op::FINISH_MAYBE`]'s argument bit: called synchronously from `end()`. */
  ARG_FINISH_SYNC: 1,
  /** [`super::op::FINISH_MAYBE`]'s argument bit: the stream has a `_final`. */
  ARG_FINISH_HAS_FINAL: 2,
  /** [`super::op::FINISH_MAYBE_TAIL`]'s argument bit: called synchronously from `end()`. */
  ARG_TAIL_SYNC: 1,
  /** [`super::op::FINISH_MAYBE_TAIL`]'s argument bit: `end()` returns next (mark the */
  ARG_TAIL_MARK_ENDED: 2,
  /** [`super::op::DESTROY_BEGIN`]'s argument bit: `destroy(err)` with an error. */
  ARG_DESTROY_ERROR: 1,
  /** [`super::op::DESTROY_BEGIN`]'s argument bit: `end()` callbacks are pending. */
  ARG_DESTROY_END_CBS: 2,
  /** [`super::op::DESTROY_BEGIN`]'s argument bit: `_destroy` is the default one (it */
  ARG_DESTROY_CLOSE_NOW: 4,
  /** [`super::op::END_RUN`]'s argument bit: the stream has a `_final`. */
  ARG_END_HAS_FINAL: 1,
  /** [`super::op::END_RUN`]'s argument bit: emitting `'prefinish'` now would run no */
  ARG_END_QUIET_PREFINISH: 2,
  /** [`super::op::SET_FLAG`]'s argument: `bit * SET_FLAG_BIT + on`. */
  ARG_SET_FLAG_BIT: 2,
  /** [`super::op::SET_MAX_BUFFERED`]'s argument: `maxBuffered * MAX_BUFFERED + policy` */
  ARG_MAX_BUFFERED: 4,

  // writable::overflow:
  // The `overflow` option's policies, as [`super::op::SET_MAX_BUFFERED`] receives them.
  /** `'error'`: a write past `maxBuffered` fails with `ERR_SLUICE_BUFFER_OVERFLOW`. */
  OVERFLOW_ERROR: 0,
  /** `'drop-newest'`: the write is dropped (acknowledged, not buffered). */
  OVERFLOW_DROP_NEWEST: 1,
  /** `'drop-oldest'`: the oldest buffered writes make room. */
  OVERFLOW_DROP_OLDEST: 2,
});

exports.readable = Object.freeze({
  // readable::flag:
  // Named state bits of [`crate::readable::Shared::flags`].
  /** Chunks count as 1 each. */
  OBJECT_MODE: 1,
  /** `push(null)` has been seen (or the stream ended itself). */
  ENDED: 2,
  /** `'end'` has been emitted. */
  END_EMITTED: 4,
  /** `_read` was called and has not pushed yet. */
  READING: 8,
  /** `_construct` is absent or has called back. */
  CONSTRUCTED: 16,
  /** Inside the synchronous part of `_read` (pushes then buffer instead of emitting). */
  SYNC: 32,
  /** A `'readable'` event is wanted when data arrives. */
  NEED_READABLE: 64,
  /** A `'readable'` event is scheduled or emitted and not yet consumed. */
  EMITTED_READABLE: 128,
  /** There is a `'readable'` listener (paused mode driven by `read()`). */
  READABLE_LISTENING: 256,
  /** A resume step is scheduled. */
  RESUME_SCHEDULED: 512,
  /** An error has been recorded (the facade keeps the value). */
  ERRORED: 1024,
  /** `'error'` has been emitted. */
  ERROR_EMITTED: 2048,
  /** Option `emitClose`. */
  EMIT_CLOSE: 4096,
  /** Option `autoDestroy`. */
  AUTO_DESTROY: 8192,
  /** `destroy()` has been called. */
  DESTROYED: 16384,
  /** `_destroy` has called back. */
  CLOSED: 32768,
  /** The close step has run. */
  CLOSE_EMITTED: 65536,
  /** A read-more step is scheduled. */
  READING_MORE: 131072,
  /** `'data'` has been emitted at least once (`readableDidRead`). */
  DATA_EMITTED: 262144,
  /** `readableFlowing === true`. */
  FLOWING: 524288,
  /** `readableFlowing === false` (neither bit: `null`, never started). */
  FLOWING_FALSE: 1048576,
  /** `pause()` was called last (Node's `kPaused === true`). */
  PAUSED: 2097152,
  /** `resume()` was called last (Node's `kPaused === false`). */
  RESUMED: 4194304,
  /** The end step is scheduled and has not run yet (with [`super::sw::END_ONCE`]). */
  END_SCHEDULED: 8388608,
  /** `push(null)` inside `_read` found nobody observing the stream and skipped the */
  EOF_READABLE_PENDING: 16777216,
  /** A decoder is set (`encoding` option or `setEncoding`). */
  DECODER: 33554432,
  /** Inside the `_read` of the flowing fast loop: the first buffer pushed is parked instead */
  FAST_PUSH: 67108864,
  /** A chunk is parked outside the queue by the flowing fast loop (`fast` holds its length; */
  FAST_CHUNK: 134217728,

  // readable::sw:
  // Behaviour switches, fixed at creation (the facade computes them once from the running
  // Node's version table, `lib/node-version.js`). They come in the low bits of the options word
  // (whose other bits are the option flags `EMIT_CLOSE`, `AUTO_DESTROY`, `DECODER`, which
  // these must not overlap) and are kept in [`crate::readable::ReadableCore::sw`], not in the state flags.
  /** The read-more step is not scheduled while a `_read` is pending. */
  SW_READ_MORE_WAITS_FOR_READ: 1,
  /** `push(null)` inside `_read` schedules `'readable'` only when the stream is flowing, */
  SW_EOF_READABLE_ON_DEMAND: 2,
  /** The end step is scheduled at most once at a time. */
  SW_END_ONCE: 4,
  /** `read()` without a size takes the first chunk only in byte mode without a decoder. */
  SW_READ_ONE_CHUNK: 8,
  /** `pause()` and `resume()` do nothing on a destroyed stream. */
  SW_NO_PAUSE_RESUME_DESTROYED: 16,
  /** The flowing fast loop (the facade's `flowSync`). */
  SW_FLOW_SYNC: 32,
  /** Every switch. */
  SW_ALL: 63,

  // readable::p:
  // Answers of [`crate::readable::ReadableCore::push`].
  /** `push()` returns true. */
  P_RET_TRUE: 1,
  /** Emit `'data'` with the chunk now (flowing, nothing buffered, outside `_read`). */
  P_EMIT_DATA: 2,
  /** Append the chunk to the facade's queue. */
  P_BUFFER_BACK: 4,
  /** Prepend the chunk (unshift). */
  P_BUFFER_FRONT: 8,
  /** Schedule the `'readable'` step on the next tick. */
  P_TICK_READABLE: 16,
  /** Run the `'readable'` step now. */
  P_NOW_READABLE: 32,
  /** Schedule a read-more step on the next tick (never with [`EMIT_DATA`]: then the facade */
  P_TICK_READ_MORE: 64,
  /** `ERR_STREAM_PUSH_AFTER_EOF`. */
  P_ERR_AFTER_EOF: 128,
  /** `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`. */
  P_ERR_UNSHIFT_AFTER_END: 256,

  // readable::k:
  // Kinds of chunk for [`crate::readable::ReadableCore::push`].
  /** A chunk with data (or any object-mode value). */
  K_DATA: 0,
  /** `null`: end of stream. */
  K_EOF: 1,
  /** An empty string or buffer (byte mode): nothing to add, but the read is over. */
  K_EMPTY: 2,

  // readable::r:
  // Answers of the read steps.
  /** Mask of the take action (what to take from the queue). */
  R_TAKE_MASK: 3,
  /** Take nothing: `read()` returns null. */
  R_TAKE_NONE: 0,
  /** Take the first chunk whole (object mode, or a single chunk that is everything). */
  R_TAKE_FIRST: 1,
  /** Take everything (join / concat). */
  R_TAKE_ALL: 2,
  /** Take `n` units from the front, splitting a chunk if needed (`n` in `Shared::n`). */
  R_TAKE_N: 3,
  /** Call `_read(highWaterMark)` now, then [`crate::readable::ReadableCore::read_after`]. */
  R_CALL_READ: 4,
  /** Emit `'data'` with what was taken. */
  R_EMIT_DATA: 8,
  /** Schedule the end step on the next tick. */
  R_TICK_END: 16,
  /** Schedule the `'readable'` step on the next tick. */
  R_TICK_READABLE: 32,
  /** `read(n)` asked for more than 1 GiB: `ERR_OUT_OF_RANGE`. */
  R_ERR_RANGE: 64,
  /** Taking everything found more bytes queued than `length` counts (only after the flowing */
  R_ERR_OVERFLOW: 128,
  /** The amount to read is the first chunk's length, but the queue is empty while `length` */
  R_ERR_NO_CHUNK: 256,
  /** Taking everything, several chunks, and `length` is negative (after a nested */
  R_ERR_NEGATIVE_LENGTH: 512,

  // readable::counter:
  // Counters code may assign ([`crate::readable::ReadableCore::set_counter`]).
  /** `highWaterMark`. */
  RC_HWM: 0,
  /** `length`. */
  RC_LENGTH: 1,

  // readable::op:
  // Op codes of `rOp`; `lib/readable.js` mirrors them.
  OP_READ_AFTER: 1,
  OP_PUSH_SWALLOWED: 2,
  OP_PUSH_TAIL: 3,
  OP_ON_READABLE: 10,
  OP_UPDATE_READABLE_LISTENING: 11,
  OP_SET_FLOWING: 17,
  OP_RESET_QUEUE: 18,
  OP_START_CONSTRUCT: 22,
  OP_CONSTRUCTED: 23,
  OP_SET_DESTROYED: 25,
  OP_SET_ERRORED: 26,
  OP_ERROR_EMIT: 28,
  OP_MAYBE_READ_MORE: 31,
  OP_DISABLE: 32,
  OP_SET_FLAG: 60,
  OP_SET_COUNTER: 61,
  OP_QUEUE_RESET: 62,
  OP_QUEUE_PUSH: 63,
  OP_UNDESTROY: 64,
  OP_FLOW_SYNC_BEGIN: 40,
  OP_FLOW_SYNC_STEP: 41,
  OP_FLOW_SYNC_READ_DONE: 42,
  OP_FAST_PARK: 43,
  OP_FAST_UNPARK: 44,
  OP_FAST_MATERIALIZE: 45,
  OP_PUSH_THREW: 46,
  OP_TAKE_FIXUP: 48,

  // readable::mask:
  // Named combinations of [`flag`] bits.
  /** `readable` is false once any of these is set. */
  NOT_READABLE: 18436,
  /** Standing answer of the flowing fast loop's start (`flow_sync_begin`, Node 26's */
  FLOW_SYNC_NEEDS: 524304,
  /** See [`FLOW_SYNC_NEEDS`]. */
  FLOW_SYNC_BLOCKS: 169886763,
  /** `isPaused()`: `pause()` was called last or `readableFlowing === false`. */
  PAUSED_STATUS: 3145728,
  /** A push while any of these is set is refused by the core, so the facade must not */
  PUSH_REFUSED: 17410,
  /** Standing answer of the close step (`close_emit`), as the Writable's: it sets */
  CLOSE_EMIT_SETS: 65536,
  /** See [`CLOSE_EMIT_SETS`]. */
  CLOSE_EMIT_ANSWER: 4096,
  /** Standing answer of the end step (`end_step`, the tick `read()` schedules at the */
  END_STEP_CLEARS: 8388608,
  /** See [`END_STEP_CLEARS`]. */
  END_STEP_BLOCKS: 66564,
  /** See [`END_STEP_CLEARS`]. */
  END_STEP_SETS: 4,
  /** Standing answer of a turn of the read-more loop (`read_more_turn_or_done`): another */
  READ_MORE_BLOCKS: 10,
  /** See [`READ_MORE_BLOCKS`]. */
  READ_MORE_FLOWING: 524288,
  /** See [`READ_MORE_BLOCKS`]. */
  READ_MORE_DONE_CLEARS: 131072,
  /** Standing answer of the read-more step asked for after `'data'` was emitted for a */
  READ_MORE_AFTER_DATA_SETS: 131072,
  /** Standing answer of `read()` and `read(0)` at the end (with `ENDED`, an empty */
  READ_AT_END_CLEARS: 16777344,
  /** Standing answer of a `'data'` listener added (`on_data`): with `'readable'` */
  ON_DATA_SETS: 256,
  /** See [`ON_DATA_SETS`]. */
  ON_DATA_PAUSED: 1048576,
  /** Standing answer of `resume()` (`resume`): nothing at all when destroyed and the */
  RESUME_FLOWING: 524288,
  /** See [`RESUME_FLOWING`]. */
  RESUME_LISTENING: 256,
  /** See [`RESUME_FLOWING`]. */
  RESUME_SCHEDULED_BIT: 512,
  /** See [`RESUME_FLOWING`]. */
  RESUME_CLEARS: 2097152,
  /** See [`RESUME_FLOWING`]. */
  RESUME_SETS: 4194304,
  /** Standing answer of `pause()` (`pause`, then `mark_paused`): nothing at all when */
  PAUSE_STATUS: 1048576,
  /** See [`PAUSE_STATUS`]. */
  PAUSE_CLEARS: 524288,
  /** See [`PAUSE_STATUS`]. */
  PAUSE_SETS: 1048576,
  /** See [`PAUSE_STATUS`]. */
  MARK_PAUSED_CLEARS: 4194304,
  /** See [`PAUSE_STATUS`]. */
  MARK_PAUSED_SETS: 2097152,
  /** Standing answer of a `'readable'` listener added (`on_readable`) while nothing is */
  ON_READABLE_QUIET: 260,
  /** See [`ON_READABLE_QUIET`]. */
  ON_READABLE_CALLS: 16777216,
  /** See [`ON_READABLE_QUIET`]. */
  ON_READABLE_SETS: 1048896,
  /** See [`ON_READABLE_QUIET`]. */
  ON_READABLE_CLEARS: 524416,
  /** See [`ON_READABLE_QUIET`]. */
  ON_READABLE_READ0_BLOCKS: 8,
  /** Standing answers of the resume step (`resume_step`, `resume_emit`, */
  RESUME_STEP_STATUS: 8,
  /** See [`RESUME_STEP_STATUS`]. */
  RESUME_EMIT_CLEARS: 512,
  /** See [`RESUME_STEP_STATUS`]. */
  RESUME_TAIL_STATUS: 524296,
  /** See [`RESUME_STEP_STATUS`]. */
  RESUME_TAIL_READY: 524288,
  /** A Transform's readable side starts outside any `_read` call (`clear_sync`): these */
  TRANSFORM_START_CLEARS: 32,
  /** The bits that decide the standing answer for a `push()` emitted at once (with */
  FAST_EMIT_STATUS: 101205026,
  /** Standing answer for `push()` outside `_read`: when, of [`FAST_EMIT_STATUS`], */
  FAST_EMIT_READY: 524288,
  /** The bits that decide the standing answer for the end of a read (with */
  FAST_TAKE_STATUS: 168381480,
  /** Standing answer for the end of a read (`read_after` of a `read()` without an */
  FAST_TAKE_READY: 524320,
  /** See [`FAST_TAKE_READY`]: set too when the take leaves nothing buffered and the */
  FAST_TAKE_EMPTIED_SETS: 64,
  /** The bits that decide the standing answer for `read()` at the end (with */
  FAST_READ_END_STATUS: 168364034,
  /** Standing answer for a `read()` without an amount once the stream ended: when, of */
  FAST_READ_END_READY: 524290,
  /** See [`FAST_READ_END_READY`]. */
  FAST_READ_END_PAUSED_READY: 2,
  /** The bits that decide the standing answer for `read()` (with [`FAST_READ_READY`]). */
  FAST_READ_STATUS: 168381498,
  /** Standing answer for a `read()` without an amount: when, of [`FAST_READ_STATUS`], */
  FAST_READ_READY: 524304,
  /** The bits that decide the standing answer for a paused `read()` (with */
  PAUSED_READ_STATUS: 168381499,
  /** Standing answer for a `read()` without an amount when not flowing (every */
  PAUSED_READ_READY: 16,
  /** See [`PAUSED_READ_READY`]. */
  PAUSED_READ_TAKE_SETS: 262208,
  /** The bits that decide the standing answer for a paused `read()` in object mode (with */
  PAUSED_READ_OBJ_STATUS: 168381498,
  /** The options word's bits a core is made with as flags (the rest of the word is */
  MADE_FROM_OPTIONS: 33566720,
  /** Standing answer of a `push()` that is buffered: when none of these is set and */
  PUSH_BUFFER_BLOCKS: 100680706,
  /** See [`PUSH_BUFFER_BLOCKS`]. */
  READ_MORE_TICK_STATUS: 131088,
  /** See [`PUSH_BUFFER_BLOCKS`]. */
  READ_MORE_TICK_READY: 16,
  /** Standing answer of `push(null)` (the end), no decoder, whatever the state: it */
  EOF_QUIET_BLOCKS: 524352,
  /** `read(0)` on a stream not ended is a standing answer, whatever the state: with */
  READ_ZERO_BLOCKS: 17418,
  /** See [`READ_ZERO_BLOCKS`]. */
  READ_ZERO_SETS: 40,
  /** The end of a `_read` called by a `read()` without an amount, once the stream */
  READ_ENDED_SETS: 64,
  /** Standing answer of the `'readable'` step (`readable_step`, with */
  READABLE_STEP_BLOCKS: 17408,
  /** See [`READABLE_STEP_BLOCKS`]. */
  READABLE_STEP_CLEARS: 128,
  /** See [`READABLE_STEP_BLOCKS`]. */
  READABLE_WANT_BLOCKS: 524290,
  /** See [`READABLE_STEP_BLOCKS`]. */
  READABLE_WANT_SETS: 64,
  /** The destroy protocol's marks (`set_destroyed(true)`, `set_closed`), whatever the */
  MARK_DESTROYED_SETS: 16384,
  /** See [`MARK_DESTROYED_SETS`]. */
  MARK_CLOSED_SETS: 32768,

  // readable::o:
  // Answers of [`crate::readable::ReadableCore::on_readable`] (a `'readable'` listener
  // was added), as bits.
  /** Schedule the `'readable'` step. */
  O_TICK_READABLE: 1,
  /** Then schedule a `read(0)` on the next tick. */
  O_TICK_READ0: 2,

  // readable::p_mask:
  // Named combinations of [`p`] answers.
  /** User code ran inside the push (`'data'` or `'readable'` handlers), so the answer */
  P_RAN_USER_CODE: 34,

  // readable::word:
  // Indices of the shared block's 32-bit words; checked against
  // [`crate::readable::Shared`].
  /** [`crate::readable::Shared::flags`]: bits of [`super::flag`]. */
  U_FLAGS: 0,
  /** The answer of the last `rPush` / `rRead`. */
  U_RET: 1,
  /** 32-bit words the facade views. */
  U_COUNT: 4,

  // readable::slot:
  // Indices of the shared block's numbers; checked against [`crate::readable::Shared`].
  /** `readableLength`. */
  S_LENGTH: 2,
  /** `readableHighWaterMark`. */
  S_HWM: 3,
  /** Chunks in the queue. */
  S_BUFFERED: 4,
  /** The unit count of the last take. */
  S_N: 5,
  /** `stats().pushes`. */
  S_PUSHES: 6,
  /** `stats().bytesPushed`. */
  S_BYTES: 7,
  /** `stats().pushFalse`. */
  S_PUSH_FALSE: 8,
  /** `stats().readCalls`. */
  S_READ_CALLS: 9,
  /** `stats().peakBuffered`. */
  S_PEAK: 10,
  /** Mailbox: the runs of pushes carried out on the standing answer since the last */
  S_FAST_RUNS: 11,
  /** Mailbox: each run's length per push, [`super::mailbox::RUN_CAP`] slots from here. */
  S_FAST_LENS: 12,
  /** Mailbox: each run's count of pushes, [`super::mailbox::RUN_CAP`] slots from here. */
  S_FAST_COUNTS: 27,
  /** Mailbox: first chunks taken on the end-of-read answer since the last call. */
  S_FAST_TAKES: 42,
  /** Calls into the core so far. */
  S_CALLS: 43,
  /** Numbers in the block (its size over 8). */
  S_COUNT: 44,

  // readable::mailbox:
  // Sizes of the shared block's mailboxes.
  /** Runs the push mailbox holds; a push that would start one more takes the */
  MAILBOX_RUN_CAP: 15,

  // readable::arg:
  // How `rPush`'s and `rRead`'s arguments are packed.
  /** `rPush(h, len * PUSH_LEN + kind * PUSH_KIND + front, listeners)`: the unit of the */
  ARG_PUSH_LEN: 8,
  /** The unit of the chunk kind ([`super::k`]). */
  ARG_PUSH_KIND: 2,
  /** `unshift()`: the chunk goes to the front. */
  ARG_PUSH_FRONT: 1,
  /** `listeners` bit: the stream has `'data'` listeners. */
  ARG_LISTENS_DATA: 1,
  /** `listeners` bit: the stream has `'readable'` listeners (asked for `push(null)`). */
  ARG_LISTENS_READABLE: 2,
  /** `rRead`'s `n` when `read()` had no amount (or NaN). */
  ARG_READ_NO_SIZE: -1,
  /** `rRead`'s `n` for any negative amount. */
  ARG_READ_NEGATIVE: -2,
});

exports.native = Object.freeze({
  // native::kind:
  // Kinds of event delivered to JS as `dispatch(id, kind, errno, extra)`.
  /** There is room again after a push answered "full". */
  ROOM: 1,
  /** A flush completed (`errno` 0 on success). */
  FLUSHED: 2,
  /** The sink failed (`extra`: the syscall code). */
  FAILED: 3,
  /** The worker has nothing left to do. */
  IDLE: 4,
  /** The worker stopped and released its descriptor. */
  CLOSED: 5,
  /** A source has something for a reader that was told to wait. */
  DATA: 6,
  /** A native-to-native copy finished (`extra`: bytes copied). */
  COPIED: 7,

  // native::push:
  // Answers of `nsPush(handle, buffer)`; a failure is `FAILED + errno * FAILED_ERRNO +`
  // a [`syscall`] code.
  /** Taken into the native buffer: acknowledge now. */
  PUSH_ACCEPTED: 0,
  /** No room: wait for the room event. */
  PUSH_FULL: 1,
  /** The sink has failed (the base of the packed failure). */
  PUSH_FAILED: 2,
  /** The unit of the errno in a packed failure. */
  PUSH_FAILED_ERRNO: 8,

  // native::syscall:
  // The syscall a failure names (`err.syscall`), as push answers and failure events carry
  // it.
  /** `write` (also the write of a file sink's `start` position). */
  SYSCALL_WRITE: 0,
  /** `fsync` (`flush: true`). */
  SYSCALL_FSYNC: 1,
  /** `close`. */
  SYSCALL_CLOSE: 2,
  /** A memory sink's limit (reported as `write`). */
  SYSCALL_LIMIT: 3,
  /** `read` (sources). */
  SYSCALL_READ: 4,

  // native::take:
  // Answers of `srcTake(handle)` besides a chunk; a negative number is `-errno`.
  /** Nothing read yet: wait for the data event. */
  TAKE_PENDING: 0,
  /** End of file. */
  TAKE_EOF: 1,

  // native::sink_kind:
  // Kinds of native sink for `nsCreate(kind, a, b, cap, c)`.
  /** A file descriptor (`a` the fd, `b` 1 to close it at the end). */
  KIND_FD: 0,
  /** Discards (counts) everything. */
  KIND_NULL: 1,
  /** Keeps everything in memory (`a` a byte limit, or -1). */
  KIND_MEMORY: 2,
  /** Consumes at `a` bytes per second after `b` ms of latency. */
  KIND_THROTTLE: 3,
});

exports.addon = Object.freeze({
  // addon::slab:
  // The addon's slabs: a stream's core is an index; its shared block is slot `index %
  // CHUNK` of chunk `index / CHUNK`, an `ArrayBuffer` of `CHUNK` blocks (`slot::COUNT`
  // numbers each) that the facade allocates and lends to the addon (`wAdopt`, `rAdopt`).
  /** Blocks per chunk. */
  SLAB_CHUNK: 256,
  /** `index >>> SHIFT` is the chunk. */
  SLAB_SHIFT: 8,
  /** `index & MASK` is the slot in it. */
  SLAB_MASK: 255,
  /** `wCreate`'s answer when every chunk is full: lend another, then ask again. */
  SLAB_FULL: 4294967295,
  /** `wRetire`'s answer for a core it kept (it holds more than its block). */
  SLAB_NOT_RETIRED: 4294967295,
  /** Bytes per tomb, at most: the memory the facade keeps retired streams' blocks in */
  SLAB_TOMB_BYTES: 32768,
  /** In `wRetire`'s list of tomb blocks: no copy (the block is in a tomb already, */
  SLAB_NO_COPY: 4294967295,
  /** In `wRetire`'s list of tomb blocks, added to a block's number (never with */
  SLAB_RELOCATE: 2147483648,
  /** Cores made at once for the facade's stock (`wStock`, `rStock`): cores made with */
  SLAB_STOCK: 64,

  // addon::duplex:
  // `dOp(writableIndex, readableIndex, op, arg, pendingSyncCompletion)`: one step of a
  // Duplex's destruction taken on both of its cores in one call (the same steps as the
  // cores' own ops, one after the other, with no user code between them).
  /** The writable side's `DESTROY_BEGIN` (its argument and answer), then, unless it */
  DUPLEX_DESTROY_BEGIN: 1,
});
