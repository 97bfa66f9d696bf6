'use strict';
// The Writable facade: Node's argument handling, callback timing and event emission around the
// Rust state machine (crates/sluice-core/src/writable.rs). Every decision — count the chunk, call `_write`
// now or queue it, return true or false, emit 'drain', call `_final`, finish — is the core's;
// this file carries out what the core answers, on the tick Node would.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const EE = require('events');
const NodeStream = require('stream');
const { Buffer } = require('buffer');
const { isArrayBufferView } = require('util').types;
const native = require('./native');
const internals = require('./internals');
const { defineHasInstance } = require('./kinds');
const {
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_STREAM_NULL_VALUES,
  ERR_STREAM_WRITE_AFTER_END,
  ERR_STREAM_DESTROYED,
  ERR_STREAM_ALREADY_FINISHED,
  ERR_MULTIPLE_CALLBACK,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_UNKNOWN_ENCODING,
  ERR_STREAM_CANNOT_PIPE,
  ERR_STREAM_PREMATURE_CLOSE,
  ERR_SLUICE_BUFFER_OVERFLOW,
} = require('./errors');
const {
  kOnFinished,
  errorOrDestroy,
  destroyWith,
  construct,
  recordError,
  destroy: destroyImpl,
  defineNodeStateBits,
  emitCloseNT,
} = require('./destroy');
const { getHighWaterMark, getDefaultHighWaterMark } = require('./hwm');
const { since } = require('./node-version');

const { wWrite, wOp, dOp } = native;
const { DUPLEX_DESTROY_BEGIN } = require('./protocol').addon;

// The protocol with the core (flag bits, answers, op codes, counters, shared-block offsets),
// generated from crates/sluice-core/src/protocol.rs (`writable`).
const {
  ENDING, ENDED, FINISHED, DESTROYED, WRITING, CONSTRUCTED, PREFINISHED, FINAL_CALLED, NEED_DRAIN,
  ERRORED, ERROR_EMITTED, CLOSED, CLOSE_EMITTED, EMIT_CLOSE, AUTO_DESTROY, BUFFER_PROCESSING, FAST,
  CORKED, W_RET_TRUE, W_DISPATCH, W_BUFFERED, W_ERR_END, W_RET_IF_DONE, W_ERR_OVERFLOW, W_DROPPED,
  W_DROPPED_OLDEST_SHIFT, A_MASK, A_ONE_DESTROYED, A_WRITEV, A_MULTIPLE_CB, A_FIRST_ERROR,
  F_NONE, F_CALL_FINAL, F_EMIT_PREFINISH, F_FINISH_TICK, F_FINISH_NOW, F_FINAL_ERROR, E_ENDING,
  E_ERR_FINISHED, E_ERR_DESTROYED, D_ALREADY, D_FIRST_ERROR, D_ERROR_BUFFER, D_WAIT_CONSTRUCT,
  D_CLOSED, END_E_MASK, END_STEP, END_STEP_MASK, END_MARKED, OP_END_RUN, ARG_END_HAS_FINAL,
  ARG_END_QUIET_PREFINISH, ARG_DESTROY_CLOSE_NOW, ARG_TAIL_SYNC, ARG_TAIL_MARK_ENDED,
  CLOSE_EMIT_SETS, CLOSE_EMIT_ANSWER, CLOSE_EMIT_CLEARS, END_READY, END_CLEARS, END_FINAL_SETS,
  END_PREFINISH_SETS, END_QUIET_SETS, TAIL_SETS, FINAL_DONE_SETS, FINISH_CLEARS,
  TICK_FINISHES, FINISH_TICK_SETS, FINISH_TICK_CLEARS, DESTROY_NOW_CLEARS, DESTROY_NOW_BUFFER,
  DESTROY_NOW_CLOSED_SETS, MARK_CLOSED_SETS,
  OP_ONWRITE, OP_CLEAR_BUFFER, OP_CLEAR_NEXT, OP_AFTER_WRITE, OP_PENDING_DEC, OP_ERROR_BUFFER,
  OP_FINISH_MAYBE, OP_FINISH_MAYBE_TAIL, OP_FINISH_TICK, OP_FINAL_DONE, OP_FINISH,
  OP_CORK, OP_UNCORK, OP_UNCORK_ALL, OP_DESTROY_BEGIN, OP_SET_ERRORED,
  OP_ERROR_EMIT, OP_START_CONSTRUCT, OP_CONSTRUCTED, OP_FLUSH, OP_SET_DESTROYED,
  OP_NOTE_NEED_DRAIN, OP_DISABLE, OP_STATS_NOW, OP_SET_LOW_WATER_MARK, OP_SET_MAX_BUFFERED,
  OP_LATE_DISPATCH, OP_SET_FLAG, OP_SET_COUNTER, OP_QUEUE_RESET, OP_QUEUE_PUSH, OP_UNDESTROY,
  OP_END_PASS, C_HWM, C_LENGTH, C_PENDING_CB, C_CORKED, C_WRITELEN, U_FLAGS,
  U_CORKED, U_RET, S_LENGTH, S_HWM, S_PENDING_CB, S_BUFFERED, S_WRITES, S_BYTES, S_WRITE_FALSE,
  S_DRAINS, S_PEAK, S_PRESSURE_MS, S_LONGEST_PRESSURE_MS, S_CURRENT_PRESSURE_MS, S_DROPPED,
  S_FAST_WRITES, S_FAST_BYTES, S_FAST_PEAK, S_ARG, S_FAST_PENDING, ARG_WRITE_LEN, ARG_SYNC_DONE,
  ARG_SYNC_DONE_NO_CB, ARG_SET_FLAG_BIT, ARG_MAX_BUFFERED, ARG_ONWRITE_ERROR,
  ARG_ONWRITE_HAS_WRITEV, ARG_FINISH_SYNC, ARG_FINISH_HAS_FINAL, ARG_DESTROY_ERROR,
  ARG_DESTROY_END_CBS, OVERFLOW_ERROR, OVERFLOW_DROP_NEWEST, OVERFLOW_DROP_OLDEST, WRITE_REFUSED,
  NOT_WRITABLE, DRAIN_STATUS, QUEUE_READY, QUEUE_SETS, QUEUE_CLEARS, S_QUEUE_RUNS, S_QUEUE_LENS,
  S_QUEUE_COUNTS, S_QUEUE_RUN_CAP, S_WRITELEN, S_DEQUEUED, POLICIES, LATE_DISPATCH_SETS,
  LATE_DISPATCH_CLEARS, ONWRITE_IDLE_SETS, ONWRITE_IDLE_CLEARS, ONWRITE_IDLE_NEEDS, ONWRITE_IDLE_MASK,
  DEQUEUE_SETS, DEQUEUE_NEEDS, DEQUEUE_MASK, DEQUEUE_LAST_CLEARS, DEQUEUE_DONE_CLEARS,
  AFTER_WRITE_QUIET, FINISH_NEEDS, FINISH_BLOCKERS,
} = require('./protocol').writable;
const { kHandle, kWords, kW, kSlots, kS, kQueue, kQueueHead, kSyncDone, kCallbacksThroughCore, kHeldRuns } = require('./symbols');
const { attachWritable, writableCore, readableCore } = require('./slab');

function nop() {}

// Set on a state whose queue ever held a run of writes held by a native sink (see writeHeld):
// only such states carry it (no field on every Writable).

const EE_EMIT = EE.prototype.emit;

// The empty queue and the empty list of end() callbacks, shared (frozen) until a stream has
// something to put in them: most streams never buffer a write or take an end() callback, and
// two arrays are 64 B of every stream.
const NO_ENTRIES = Object.freeze([]);

/** The end() callbacks, taken (the list is empty again). */
function takeOnFinished(state) {
  const cbs = state[kOnFinished];
  state[kOnFinished] = NO_ENTRIES;
  return cbs;
}

/**
 * The per-stream state: the native handle, the typed-array view of the core's counters, and
 * the JS values the core cannot hold (chunks, callbacks, the error). Its accessors give Node's
 * `_writableState` fields, which `stream.finished`, `pipeline` and user code read and assign.
 */
class WritableState {
  // Declared as fields (own data properties) because the prototype chain below holds Node's
  // WritableState accessors of the same names.
  objectMode = false;
  decodeStrings = true;
  defaultEncoding = 'utf8';
  sync = true;
  writecb = null;
  afterWriteTickInfo = null;
  // An after-write tick for callback-less writes is pending (Node's kAfterWritePending).
  afterWritePending = false;
  // Node's: every queued chunk is a Buffer / has no callback (kept as Node keeps them: cleared
  // when such a chunk is queued, set again when the queue empties).
  allBuffers = true;
  allNoop = true;

  constructor(options, stream, isDuplex, paired = undefined) {
    let objectMode = !!(options && options.objectMode);
    if (isDuplex) objectMode = objectMode || !!(options && options.writableObjectMode);
    const hwm = options
      ? getHighWaterMark(objectMode, options, 'writableHighWaterMark', isDuplex)
      : getDefaultHighWaterMark(objectMode);
    let opts = 0;
    if (!options || options.emitClose !== false) opts |= EMIT_CLOSE;
    if (!options || options.autoDestroy !== false) opts |= AUTO_DESTROY;
    // The core, its handle (an index) and the views of its shared block (lib/slab.js).
    attachWritable(this, objectMode, hwm, opts, paired);
    this.objectMode = objectMode;
    this.decodeStrings = !(options && options.decodeStrings === false);
    const defaultEncoding = options ? options.defaultEncoding : undefined;
    if (defaultEncoding == null || defaultEncoding === 'utf8' || defaultEncoding === 'utf-8') {
      this.defaultEncoding = 'utf8';
    } else if (Buffer.isEncoding(defaultEncoding)) {
      this.defaultEncoding = defaultEncoding;
    } else {
      throw new ERR_UNKNOWN_ENCODING(defaultEncoding);
    }
    /** Buffered entries `{ chunk, encoding, callback }`, oldest at `qh`; lengths are the core's. */
    this[kQueue] = NO_ENTRIES;
    this[kQueueHead] = 0;
    /** 1 when the write in flight completed synchronously and the core has not been told. */
    this[kSyncDone] = 0;
    /** A write taken on the core's FAST answer is inside `_write` (length in `fastLen`). */
    this.fastInFlight = false;
    this.fastLen = 0;
    /** True while `_write`/`_writev`/`_final` is being called (completion timing). */
    this.sync = true;
    /** The callback of the write in flight. */
    this.writecb = null;
    this.afterWriteTickInfo = null;
    this.erroredValue = null;
    this[kOnFinished] = NO_ENTRIES;
    if (options) applyPolicies(this, options);
    this.writableFlag = undefined;
    this.onwrite = onwrite.bind(undefined, stream);
  }

  /**
   * Calls a core step, first telling it of a deferred synchronous completion, and of a
   * fast-path write still inside `_write` (user code there is about to look at, or change, the
   * true state).
   */
  op(code, arg) {
    if (this.fastInFlight) this.reportFast();
    const pend = this[kSyncDone];
    this[kSyncDone] = 0;
    return wOp(writableCore(this), code, arg, pend);
  }

  /**
   * A step of a Duplex's destruction on this core and the readable side's `rs` in one call
   * (protocol `DUPLEX_*`), told first of what `op` would tell it.
   */
  pairOp(rs, code, arg) {
    if (this.fastInFlight) this.reportFast();
    const pend = this[kSyncDone];
    this[kSyncDone] = 0;
    return dOp(writableCore(this), readableCore(rs), code, arg, pend);
  }

  reportFast() {
    this.fastInFlight = false;
    const words = this[kWords];
    const at = this[kW] + U_FLAGS;
    if ((words[at] & FAST) !== 0) {
      // The core's standing answer (protocol LATE_DISPATCH_SETS): nothing has reached it since
      // it answered FAST, so the write is counted as dispatched in the block, as it would.
      const f = this[kSlots];
      const sAt = this[kS];
      const len = this.fastLen;
      const l = f[sAt + S_LENGTH] + len;
      f[sAt + S_LENGTH] = l;
      f[sAt + S_PENDING_CB] += 1;
      f[sAt + S_WRITES] += 1;
      f[sAt + S_BYTES] += len;
      if (l > f[sAt + S_PEAK]) f[sAt + S_PEAK] = l;
      f[sAt + S_WRITELEN] = len;
      words[at] = (words[at] & ~LATE_DISPATCH_CLEARS) | LATE_DISPATCH_SETS;
      return;
    }
    wOp(writableCore(this), OP_LATE_DISPATCH, this.fastLen, 0);
  }

  flags() {
    if (this[kSyncDone] || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this[kWords][this[kW] + U_FLAGS];
  }

  // Node's fields, readable and assignable (code in the wild assigns them: `errorEmitted =
  // false` in a `_destroy`, `ended = true`, `length = 0`, ...). An assignment is one call into
  // the core, which then decides as Node does after the same assignment; nothing here is on the
  // write path.
  get length() {
    if (this[kSyncDone] || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this[kSlots][this[kS] + S_LENGTH];
  }
  set length(v) {
    this.setCounter(C_LENGTH, v);
  }
  get highWaterMark() {
    return this[kSlots][this[kS] + S_HWM];
  }
  set highWaterMark(v) {
    this.setCounter(C_HWM, v);
  }
  get pendingcb() {
    if (this[kSyncDone] || this.fastInFlight || this[kSlots][this[kS] + S_FAST_PENDING]) this.op(OP_FLUSH, 0);
    return this[kSlots][this[kS] + S_PENDING_CB];
  }
  set pendingcb(v) {
    this.setCounter(C_PENDING_CB, v);
  }
  get corked() {
    return this[kWords][this[kW] + U_CORKED];
  }
  set corked(v) {
    this.setCounter(C_CORKED, v);
  }
  get writelen() {
    if (this[kSyncDone] || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this[kSlots][this[kS] + S_WRITELEN];
  }
  set writelen(v) {
    this.setCounter(C_WRITELEN, v);
  }
  get bufferedRequestCount() {
    return this[kSlots][this[kS] + S_BUFFERED];
  }
  get bufferedIndex() {
    return this[kQueueHead];
  }
  set bufferedIndex(v) {
    this[kQueueHead] = v;
  }
  get buffered() {
    if (this[kQueue] === NO_ENTRIES) this[kQueue] = [];
    return this[kQueue];
  }
  set buffered(v) {
    // A replaced queue: the core learns the new entries' lengths (Node keeps `length` as is).
    this[kQueue] = v || [];
    this[kQueueHead] = 0;
    this.op(OP_QUEUE_RESET, 0);
    for (const entry of this[kQueue]) {
      if (entry) this.op(OP_QUEUE_PUSH, this.objectMode ? 1 : entry.chunk?.length ?? 0);
    }
    this.allBuffers = true;
    this.allNoop = true;
  }
  get errored() {
    return this.erroredValue;
  }
  set errored(v) {
    // As Node: a truthy value is the error; a falsy one clears the errored state.
    this.erroredValue = v || null;
    this.setFlag(ERRORED, !!v);
  }
  get writable() {
    return this.writableFlag;
  }
  set writable(v) {
    this.writableFlag = v;
  }
  getBuffer() {
    const q = this[kQueue].slice(this[kQueueHead]);
    return this[kHeldRuns] === true ? expandHeld(q) : q;
  }

  setFlag(bit, on) {
    this.op(OP_SET_FLAG, bit * ARG_SET_FLAG_BIT + (on ? 1 : 0));
  }
  setCounter(which, v) {
    this.op(OP_FLUSH, 0);
    this[kSlots][this[kS] + S_ARG] = v;
    this.op(OP_SET_COUNTER, which);
  }

  // The destroy protocol shared with the readable side (lib/destroy.js).
  recordError(err) {
    if (this.op(OP_SET_ERRORED, 0)) this.erroredValue = err;
  }
  markClosed() {
    // The mark's standing answer (protocol MARK_CLOSED_SETS): no call.
    this[kWords][this[kW] + U_FLAGS] |= MARK_CLOSED_SETS;
  }
  markErrorEmitted() {
    return this.op(OP_ERROR_EMIT, 0) !== 0;
  }
  markCloseEmitted() {
    // The close step's standing answer (protocol CLOSE_EMIT_SETS, CLOSE_EMIT_ANSWER): no call.
    const words = this[kWords];
    const at = this[kW] + U_FLAGS;
    const fl = words[at];
    words[at] = (fl & ~CLOSE_EMIT_CLEARS) | CLOSE_EMIT_SETS;
    return (fl & CLOSE_EMIT_ANSWER) !== 0;
  }
  /**
   * Whether the core's block is all there is to its state: no completion deferred to the next
   * call, no fast-path write in flight or owing its `pendingcb` share. The finish sequence's
   * standing answers (protocol `END_READY`, `TICK_FINISHES`, `TAIL_SETS`, `FINAL_DONE_*`,
   * `FINISH_CLEARS`, `DESTROY_NOW_*`) hold only then.
   */
  settled() {
    return this[kSyncDone] === 0 && !this.fastInFlight && this[kSlots][this[kS] + S_FAST_PENDING] === 0;
  }
  markConstructed() {
    this.op(OP_CONSTRUCTED, 0);
  }
  markDestroyed() {
    this.op(OP_SET_DESTROYED, 1);
  }
  setDestroyed(v) {
    this.op(OP_SET_DESTROYED, v ? 1 : 0);
  }
  startConstruct() {
    this.op(OP_START_CONSTRUCT, 0);
  }
  /** `_undestroy()` (lib/destroy.js). */
  undestroy() {
    this.erroredValue = null;
    this.op(OP_UNDESTROY, this.writableFlag === false ? 1 : 0);
  }
  /** `writable: false` on a Duplex. */
  disable() {
    this.writableFlag = false;
    this.op(OP_DISABLE, 0);
  }
}

// Node's boolean state fields on the core's bits: read from the shared flags, assigned with one
// core call. `writing` first applies a deferred synchronous completion (it ends the write).
for (const [name, bit, flush] of [
  ['ending', ENDING],
  ['ended', ENDED],
  ['finished', FINISHED],
  ['destroyed', DESTROYED],
  ['writing', WRITING, true],
  ['constructed', CONSTRUCTED],
  ['prefinished', PREFINISHED],
  ['finalCalled', FINAL_CALLED],
  ['needDrain', NEED_DRAIN],
  ['errorEmitted', ERROR_EMITTED],
  ['closed', CLOSED],
  ['closeEmitted', CLOSE_EMITTED],
  ['emitClose', EMIT_CLOSE],
  ['autoDestroy', AUTO_DESTROY],
  ['bufferProcessing', BUFFER_PROCESSING],
]) {
  Object.defineProperty(WritableState.prototype, name, {
    get: flush
      ? function () {
          return (this.flags() & bit) !== 0;
        }
      : function () {
          return (this[kWords][this[kW] + U_FLAGS] & bit) !== 0;
        },
    set(v) {
      this.setFlag(bit, !!v);
    },
    enumerable: false,
    configurable: true,
  });
}

// Node's private bitfield over the same bits (lib/destroy.js). Bit 9 is Node's writable `kSync`,
// reported always set: Node 26's pipe fast path (`writeKnownBuffer`) would otherwise drive the
// state through Node's own layout; with it set, it declines and the pipe calls write().
defineNodeStateBits(
  WritableState.prototype,
  {
    errorEmitted: ERROR_EMITTED,
    autoDestroy: AUTO_DESTROY,
    emitClose: EMIT_CLOSE,
    destroyed: DESTROYED,
    closed: CLOSED,
    closeEmitted: CLOSE_EMITTED,
    errored: ERRORED,
    constructed: CONSTRUCTED,
  },
  1 << 9,
  (state, bit, on) => state.setFlag(bit, on),
);

// sluice's opt-in backpressure policies (none changes Node's behaviour at its default):
// `lowWaterMark` (drain hysteresis), `maxBuffered` + `overflow` (bound memory even when
// backpressure is ignored).
const OVERFLOWS = { error: OVERFLOW_ERROR, 'drop-newest': OVERFLOW_DROP_NEWEST, 'drop-oldest': OVERFLOW_DROP_OLDEST };
function applyPolicies(state, options) {
  const lwm = options.lowWaterMark;
  if (lwm !== undefined && lwm !== null) {
    if (!Number.isInteger(lwm) || lwm < 0 || lwm >= state[kSlots][state[kS] + S_HWM]) {
      throw new ERR_INVALID_ARG_VALUE('options.lowWaterMark', lwm, 'must be an integer >= 0 and below highWaterMark');
    }
    state.op(OP_SET_LOW_WATER_MARK, lwm);
  }
  const max = options.maxBuffered;
  if (max !== undefined && max !== null) {
    if (!Number.isInteger(max) || max < 1) throw new ERR_INVALID_ARG_VALUE('options.maxBuffered', max, 'must be an integer >= 1');
    const overflow = options.overflow === undefined ? 'error' : options.overflow;
    if (!(overflow in OVERFLOWS)) {
      throw new ERR_INVALID_ARG_VALUE('options.overflow', overflow, "must be 'error', 'drop-newest' or 'drop-oldest'");
    }
    state.op(OP_SET_MAX_BUFFERED, max * ARG_MAX_BUFFERED + OVERFLOWS[overflow]);
  }
}

// A chunk dropped by the overflow policy: 'drop' is emitted at once (so the chunk is not kept
// alive while a producer that ignores backpressure keeps writing), its callback on the next
// tick as any write's.
function dropChunk(stream, chunk, cb) {
  if (stream.listenerCount('drop') > 0) stream.emit('drop', chunk);
  if (cb !== nop) process.nextTick(cb, null);
}

/**
 * A drop-in for Node's `stream.Writable`, callable with or without `new`, and usable through
 * `Writable.call(this, options)` in old-style subclasses.
 */
function Writable(options) {
  // `new Writable()` itself makes no Duplex (no prototype walk: ~35 ns of a short life).
  const isDuplex = new.target !== Writable && this instanceof NodeStream.Duplex;
  if (!isDuplex && new.target === undefined && !Function.prototype[Symbol.hasInstance].call(Writable, this)) return new Writable(options);

  // The same pre-shaped listener table Node 20 gives its streams (also what inspect shows).
  this._events ??= {
    close: undefined,
    error: undefined,
    prefinish: undefined,
    finish: undefined,
    drain: undefined,
  };

  this._writableState = new WritableState(options, this, isDuplex);

  if (options) {
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) NodeStream.addAbortSignal(options.signal, this);
  }

  NodeStream.Stream.call(this, options);

  if (typeof this._construct === 'function') {
    this._writableState.op(OP_START_CONSTRUCT, 0);
    construct(this, () => afterConstruct(this));
  }
}

// Once `_construct` has called back: flush what was written meanwhile, finish if ended (at once:
// the one finish check Node makes outside a completion).
function afterConstruct(stream) {
  const state = stream._writableState;
  if (!(state.flags() & WRITING)) clearBuffer(stream, state);
  finishMaybe(stream, state, false);
}

// Inherit from Node's Writable so `instanceof stream.Writable` holds and code that checks the
// prototype chain accepts sluice streams; every method a stream uses is overridden below.
Object.setPrototypeOf(Writable.prototype, NodeStream.Writable.prototype);
Object.setPrototypeOf(Writable, NodeStream.Writable);

defineHasInstance(Writable, NodeStream.Writable, (object) => object._writableState instanceof WritableState);

// A sluice state is also an instance of Node's WritableState: Node's `instanceof Writable`
// accepts any object whose `_writableState` is one, which is how a Duplex passes it.
Object.setPrototypeOf(WritableState.prototype, NodeStream.Writable.WritableState.prototype);

Writable.WritableState = WritableState;

// Node's argument checks, in Node's order. Returns the chunk as `_write` must see it and leaves
// its encoding in `lastEncoding` (saves an allocation per write).
let lastEncoding = 'buffer';
const STRING_BUFFER_THROWS = since.WRITE_STRING_BUFFER_ENCODING_THROWS;
function normalizeChunk(state, chunk, encoding) {
  if (chunk === null) throw new ERR_STREAM_NULL_VALUES();
  if (state.objectMode) {
    // Object mode passes the encoding argument through untouched.
    lastEncoding = encoding;
    return chunk;
  }
  if (!encoding) encoding = state.defaultEncoding;
  else if (encoding !== 'buffer' && !Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
  if (typeof chunk === 'string') {
    // 'buffer' names no string encoding (Buffer.from rejects it when decoding anyway).
    if (encoding === 'buffer' && STRING_BUFFER_THROWS) throw new ERR_UNKNOWN_ENCODING(encoding);
    if (state.decodeStrings) {
      lastEncoding = 'buffer';
      return Buffer.from(chunk, encoding);
    }
    lastEncoding = encoding;
    return chunk;
  }
  if (chunk instanceof Buffer) {
    lastEncoding = 'buffer';
    return chunk;
  }
  if (isArrayBufferView(chunk)) {
    lastEncoding = 'buffer';
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
}

// The body of write() and of end(chunk): returns true, false, or the error for end().
function writeImpl(stream, chunk, encoding, cb) {
  const state = stream._writableState;
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  } else if (typeof cb !== 'function') {
    cb = nop;
  }
  chunk = normalizeChunk(state, chunk, encoding);
  encoding = lastEncoding;

  if (!state.fastInFlight && (state[kWords][state[kW] + U_FLAGS] & FAST) !== 0 && (cb === nop || stream[kCallbacksThroughCore] !== true)) {
    // The core's standing answer, as in write() (e.g. end(chunk), a write with a callback):
    // call _write now, no call. (A callback's pendingcb share goes through the mailbox: see
    // onwrite.)
    state.fastInFlight = true;
    state.fastLen = state.objectMode ? 1 : chunk.length;
    return dispatchWrite(stream, state, chunk, encoding, cb, W_RET_IF_DONE);
  }
  if (queueOnAnswer(state, chunk, encoding, cb)) {
    // false once errored or destroyed, to break synchronous write loops.
    return (state[kWords][state[kW] + U_FLAGS] & WRITE_REFUSED) === 0;
  }
  if (state.fastInFlight) state.reportFast();
  const pend = state[kSyncDone];
  state[kSyncDone] = 0;
  wWrite(writableCore(state), (state.objectMode ? 1 : chunk.length) * ARG_WRITE_LEN + pend);
  return afterCode(stream, state, state[kWords][state[kW] + U_RET], chunk, encoding, cb);
}

/**
 * A write queued on the core's standing answer QUEUE_READY (a write in flight, corked, errored
 * or not constructed yet; nothing pending for the core: no deferred completion, no fast-path
 * write in flight): counted in the block as the core counts it, its length left in the mailbox
 * for the core's queue (runs of equal lengths), the entry queued. Only while the length stays
 * under the mark (write() returns true: no 'drain' owed, no backpressure episode begins) and
 * the mailbox has room; false otherwise (the caller then asks the core). No call.
 */
function queueOnAnswer(state, chunk, encoding, cb) {
  if (state[kSyncDone] !== 0 || state.fastInFlight || (state[kWords][state[kW] + U_FLAGS] & QUEUE_READY) === 0) return false;
  const f = state[kSlots];
  const sAt = state[kS];
  const len = state.objectMode ? 1 : chunk.length;
  const l1 = f[sAt + S_LENGTH] + len;
  if (!(l1 < f[sAt + S_HWM] || l1 === 0)) return false;
  const k = f[sAt + S_QUEUE_RUNS];
  if (k !== 0 && f[sAt + S_QUEUE_LENS + k - 1] === len) {
    f[sAt + S_QUEUE_COUNTS + k - 1] += 1;
  } else if (k < S_QUEUE_RUN_CAP) {
    f[sAt + S_QUEUE_LENS + k] = len;
    f[sAt + S_QUEUE_COUNTS + k] = 1;
    f[sAt + S_QUEUE_RUNS] = k + 1;
  } else {
    return false;
  }
  f[sAt + S_LENGTH] = l1;
  f[sAt + S_PENDING_CB] += 1;
  f[sAt + S_BUFFERED] += 1;
  f[sAt + S_WRITES] += 1;
  f[sAt + S_BYTES] += len;
  if (l1 > f[sAt + S_PEAK]) f[sAt + S_PEAK] = l1;
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  words[at] = (words[at] & ~QUEUE_CLEARS) | QUEUE_SETS;
  queueEntry(state, chunk, encoding, cb);
  return true;
}

/** Appends a write to the facade's queue (the core counted it, or its standing answer did). */
function queueEntry(state, chunk, encoding, cb) {
  if (state[kQueue] === NO_ENTRIES) state[kQueue] = [];
  state[kQueue].push({ chunk, encoding, callback: cb });
  if (encoding !== 'buffer') state.allBuffers = false;
  if (cb !== nop) state.allNoop = false;
}

// write()'s answer once `_write` has returned, as Node computes it: from the length now (user
// code inside `_write` may have written more, or the write may have completed). `code` is the
// core's answer for the write (for a fast-path write: empty stream, so W_RET_IF_DONE).
function retAfterDispatch(state, code) {
  let ret;
  if (state.writecb === null && state[kSyncDone] !== 0) {
    // Completed during `_write` and nothing has reached the core since: its answer holds.
    ret = (code & W_RET_IF_DONE) !== 0;
  } else {
    // The core's length is current (a pending fast-path write is reported first).
    if (state.fastInFlight) state.reportFast();
    const len = state[kSlots][state[kS] + S_LENGTH];
    ret = len < state[kSlots][state[kS] + S_HWM] || len === 0;
    // The core set needDrain itself only when even a completed write would return false.
    if (!ret && code & W_RET_IF_DONE) state.op(OP_NOTE_NEED_DRAIN, 0);
  }
  // false once errored or destroyed, to break synchronous write loops.
  return ret && (state[kWords][state[kW] + U_FLAGS] & WRITE_REFUSED) === 0;
}

// Calls `_write` now, as the core answered (`W_DISPATCH`, or its standing answer `FAST`), and
// gives write()'s answer once it returns. The one place a write() reaches `_write`.
function dispatchWrite(stream, state, chunk, encoding, cb, code) {
  state.writecb = cb;
  state.sync = true;
  stream._write(chunk, encoding, state.onwrite);
  state.sync = false;
  // Completed at once on the fast path, nothing since: the standing answer FAST still holds,
  // so nothing is counted or refused (the common case, answered without the slots).
  if (!state.fastInFlight && (state[kWords][state[kW] + U_FLAGS] & FAST) !== 0) return true;
  return retAfterDispatch(state, code);
}

// Carries out the core's answer to a write (see core `w`).
function afterCode(stream, state, code, chunk, encoding, cb) {
  let ret;
  if (code & W_DISPATCH) {
    return dispatchWrite(stream, state, chunk, encoding, cb, code);
  } else if (code & W_BUFFERED) {
    if (code >>> W_DROPPED_OLDEST_SHIFT) dropOldest(stream, state, code >>> W_DROPPED_OLDEST_SHIFT);
    queueEntry(state, chunk, encoding, cb);
    ret = (code & W_RET_TRUE) !== 0;
  } else if (code & W_DROPPED) {
    if (code >>> W_DROPPED_OLDEST_SHIFT) dropOldest(stream, state, code >>> W_DROPPED_OLDEST_SHIFT);
    dropChunk(stream, chunk, cb);
    return false;
  } else if (code & W_ERR_OVERFLOW) {
    const err = new ERR_SLUICE_BUFFER_OVERFLOW(state[kSlots][state[kS] + S_LENGTH] + (state.objectMode ? 1 : chunk.length));
    process.nextTick(cb, err);
    errorOrDestroy(stream, err, true);
    return err;
  } else {
    const err = code & W_ERR_END ? new ERR_STREAM_WRITE_AFTER_END() : new ERR_STREAM_DESTROYED('write');
    process.nextTick(cb, err);
    errorOrDestroy(stream, err, true);
    return err;
  }
  // false once errored or destroyed, to break synchronous write loops.
  return ret && (state[kWords][state[kW] + U_FLAGS] & WRITE_REFUSED) === 0;
}

Writable.prototype.write = function write(chunk, encoding, cb) {
  const state = this._writableState;
  // The common cases first: no encoding, no callback, and the core says "call _write now" (its
  // standing answer FAST). Everything else in writeMore, so that write() is small enough to
  // be inlined into a producer's loop.
  if (encoding === undefined && cb === undefined && (state[kWords][state[kW] + U_FLAGS] & FAST) !== 0 && !state.fastInFlight) {
    if (state.objectMode) {
      if (chunk !== null) {
        // The same standing answer in object mode: one unit, the encoding argument passed
        // through.
        state.fastInFlight = true;
        state.fastLen = 1;
        return dispatchWrite(this, state, chunk, undefined, nop, W_RET_IF_DONE);
      }
    } else if (chunk instanceof Buffer) {
      // No call into native code: the completion is counted in the shared mailbox.
      state.fastInFlight = true;
      state.fastLen = chunk.length;
      return dispatchWrite(this, state, chunk, 'buffer', nop, W_RET_IF_DONE);
    }
  }
  return writeMore(this, state, chunk, encoding, cb);
};

// write() past its common cases.
function writeMore(stream, state, chunk, encoding, cb) {
  if (encoding === undefined && cb === undefined) {
    if (!state.objectMode) {
      if (typeof chunk === 'string' && state.decodeStrings && (state[kWords][state[kW] + U_FLAGS] & FAST) !== 0 && !state.fastInFlight) {
        chunk = Buffer.from(chunk, state.defaultEncoding);
      }
      if (chunk instanceof Buffer) {
        if ((state[kWords][state[kW] + U_FLAGS] & FAST) !== 0 && !state.fastInFlight) {
          // The core's standing answer (flag FAST): call _write now; if it completes during
          // _write, write() returns true (nothing stays counted). No call into native code:
          // the completion is counted in the shared mailbox.
          state.fastInFlight = true;
          state.fastLen = chunk.length;
          return dispatchWrite(stream, state, chunk, 'buffer', nop, W_RET_IF_DONE);
        }
        if (queueOnAnswer(state, chunk, 'buffer', nop)) {
          // The core's standing answer QUEUE_READY: queued, no call.
          return (state[kWords][state[kW] + U_FLAGS] & WRITE_REFUSED) === 0;
        }
        if (state.fastInFlight) state.reportFast();
        const pend = state[kSyncDone];
        state[kSyncDone] = 0;
        wWrite(writableCore(state), chunk.length * ARG_WRITE_LEN + pend);
        const code = state[kWords][state[kW] + U_RET];
        if (code & W_DISPATCH) return dispatchWrite(stream, state, chunk, 'buffer', nop, code);
        return afterCode(stream, state, code, chunk, 'buffer', nop) === true;
      }
    }
  }
  return writeImpl(stream, chunk, encoding, cb) === true;
}

// The core dropped the `n` oldest queued writes (overflow: 'drop-oldest').
function dropOldest(stream, state, n) {
  for (let i = 0; i < n; i++) {
    const entry = state[kQueue][state[kQueueHead]];
    state[kQueue][state[kQueueHead]++] = null;
    dropChunk(stream, entry.chunk, entry.callback);
  }
  if (state[kQueueHead] === state[kQueue].length) {
    state[kQueue] = NO_ENTRIES;
    state[kQueueHead] = 0;
  }
}

// The completion callback handed to `_write`/`_writev`.
function onwrite(stream, er) {
  const state = stream._writableState;
  if (state.fastInFlight) {
    if (!er && state.sync && state[kQueueHead] === state[kQueue].length) {
      // A fast-path write completed during _write: to the core it never happened except in
      // its statistics (a callback-less write settles at once, as in Node), ...
      state.fastInFlight = false;
      const cb = state.writecb;
      state.writecb = null;
      const f = state[kSlots];
      const sAt = state[kS];
      f[sAt + S_FAST_WRITES] += 1;
      // (in object mode each is one unit, which the core counts at the fold)
      const objectMode = state.objectMode;
      if (!objectMode) {
        f[sAt + S_FAST_BYTES] += state.fastLen;
        if (state.fastLen > f[sAt + S_FAST_PEAK]) f[sAt + S_FAST_PEAK] = state.fastLen;
      }
      if (cb !== nop) {
        // ... except that a callback is owed, on the after-write tick, and until then its
        // pendingcb share: owed through the mailbox, which the core folds first and from which
        // the after-write step takes it back when the core has not folded it yet.
        f[sAt + S_FAST_PENDING] += 1;
        scheduleAfterWrite(stream, state, cb);
        return;
      }
      if (objectMode && !state.afterWritePending) {
        // ... except the first of a tick in object mode, whose pendingcb share waits for the
        // after-write tick (as below): owed through the mailbox, which the core folds first.
        f[sAt + S_FAST_PENDING] += 1;
        scheduleAfterWriteNop(stream, state);
      }
      return;
    }
    state.reportFast();
  }
  onwriteGeneral(stream, state, er);
}

// onwrite() past the fast path's completion (kept apart so that onwrite() is small enough to
// be inlined into `_write`'s call of its callback).
function onwriteGeneral(stream, state, er) {
  const sync = state.sync;
  const cb = state.writecb;
  if (!er && sync && cb !== null && state[kSyncDone] === 0 && state[kQueueHead] === state[kQueue].length) {
    // The common case: completed during `_write` with nothing queued. The core hears of it with
    // the next call; the callback and any 'drain' come on the next tick, as in Node.
    state.writecb = null;
    if (cb === nop) {
      // Nothing is left counted (the queue is empty), so a 'drain' owed is due now.
      if ((state.objectMode || (state[kWords][state[kW] + U_FLAGS] & NEED_DRAIN) !== 0) && !state.afterWritePending) {
        state[kSyncDone] = ARG_SYNC_DONE;
        scheduleAfterWriteNop(stream, state);
      } else {
        // Settled at once (see core `complete_sync_ok`).
        state[kSyncDone] = ARG_SYNC_DONE_NO_CB;
        if (state[kWords][state[kW] + U_FLAGS] & ENDING) finishMaybe(stream, state, true);
      }
      return;
    }
    state[kSyncDone] = ARG_SYNC_DONE;
    scheduleAfterWrite(stream, state, cb);
    return;
  }
  state.writecb = null;
  if (!er && !sync && cb !== null && completeOnAnswer(stream, state)) {
    afterWrite(stream, state, 1, cb);
    return;
  }
  const r = state.op(OP_ONWRITE, (er ? ARG_ONWRITE_ERROR : 0) | (typeof stream._writev === 'function' ? ARG_ONWRITE_HAS_WRITEV : 0));
  if (r & A_MULTIPLE_CB) {
    errorOrDestroy(stream, new ERR_MULTIPLE_CALLBACK());
    return;
  }
  if (er) {
    // eslint-disable-next-line no-unused-expressions
    er.stack;
    if (r & A_FIRST_ERROR) state.erroredValue = er;
    const rs = stream._readableState;
    if (rs && !rs.errored && typeof rs.recordError === 'function') rs.recordError(er);
    else if (rs && !rs.errored) rs.errored = er;
    if (sync) process.nextTick(onwriteError, stream, state, er, cb);
    else onwriteError(stream, state, er, cb);
    return;
  }
  if ((r & A_MASK) !== 0) runQueue(stream, state, r);
  if (!sync) {
    afterWrite(stream, state, 1, cb);
  } else if (cb !== nop) {
    scheduleAfterWrite(stream, state, cb);
  } else if ((state.objectMode || (state[kWords][state[kW] + U_FLAGS] & NEED_DRAIN && state.length === 0)) && !state.afterWritePending) {
    // Node's rule for a callback-less write that completed during `_write`: it waits, still
    // counted in `pendingcb`, for an after-write tick when a 'drain' is due now (decided after
    // the queued writes it let through: none is owed while some remain counted) or in object
    // mode, unless such a tick is already pending; otherwise it is settled at once.
    scheduleAfterWriteNop(stream, state);
  } else {
    state.op(OP_PENDING_DEC, 1);
    if (state[kWords][state[kW] + U_FLAGS] & ENDING) finishMaybe(stream, state, true);
  }
}

/**
 * The completion of the write in flight after `_write` returned, without error, on the core's
 * standing answers (nothing pending for the core: no deferred completion): with nothing queued,
 * the stream idle again (protocol ONWRITE_IDLE_*); with entries queued, the oldest handed to
 * `_write` (DEQUEUE_*), and the pass ended if it is still in flight when `_write` returns. No
 * call; false when neither applies (the caller then asks the core).
 */
function completeOnAnswer(stream, state) {
  if (state[kSyncDone] !== 0 || state.fastInFlight) return false;
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  const fl = words[at];
  const f = state[kSlots];
  const sAt = state[kS];
  const q = state[kQueue];
  const head = state[kQueueHead];
  const left = q.length - head;
  if (left === 0) {
    if ((fl & ONWRITE_IDLE_MASK) !== ONWRITE_IDLE_NEEDS || f[sAt + S_LENGTH] !== f[sAt + S_WRITELEN]) return false;
    f[sAt + S_LENGTH] = 0;
    f[sAt + S_WRITELEN] = 0;
    words[at] = (fl & ~ONWRITE_IDLE_CLEARS) | ONWRITE_IDLE_SETS;
    return true;
  }
  // (a native sink's entries may be held writes, whose chunk is not their bytes: a sink's state
  // carries kHeldRuns, and its entries go through the core)
  if ((fl & DEQUEUE_MASK) !== DEQUEUE_NEEDS || state[kHeldRuns] !== undefined || (left > 1 && typeof stream._writev === 'function')) return false;
  const entry = q[head];
  f[sAt + S_LENGTH] -= f[sAt + S_WRITELEN];
  f[sAt + S_WRITELEN] = state.objectMode ? 1 : entry.chunk.length;
  // (the entry stays in `buffered` while the pass it opens is under way, as Node's)
  const dequeued = f[sAt + S_DEQUEUED] + 1;
  f[sAt + S_DEQUEUED] = dequeued;
  words[at] = left === 1 ? (fl | DEQUEUE_SETS) & ~DEQUEUE_LAST_CLEARS : fl | DEQUEUE_SETS;
  // (the head moves once the pass is over, as in runQueue)
  q[head] = null;
  state.writecb = entry.callback;
  state.sync = true;
  stream._write(entry.chunk, entry.encoding, state.onwrite);
  state.sync = false;
  const after = state[kWords][state[kW] + U_FLAGS];
  const g = state[kSlots];
  const gAt = state[kS];
  if (state.writecb !== null && state[kSyncDone] === 0 && !state.fastInFlight && g[gAt + S_DEQUEUED] === dequeued && (after & (WRITING | BUFFER_PROCESSING)) === (WRITING | BUFFER_PROCESSING)) {
    // Still in flight, and nothing reached the core meanwhile (its mailbox is as left): the
    // pass ends (the core's next step would answer NONE), and its entry leaves `buffered`.
    state[kWords][state[kW] + U_FLAGS] = after & ~DEQUEUE_DONE_CLEARS;
    g[gAt + S_BUFFERED] -= 1;
    passOver(state, q, head + 1);
  } else {
    runQueue(stream, state, state.op(OP_CLEAR_NEXT, 0), q, head + 1);
  }
  return true;
}

// The after-write tick of callback-less writes: at most one pending (Node's flag, cleared by
// any after-write step).
function scheduleAfterWriteNop(stream, state) {
  state.afterWritePending = true;
  process.nextTick(afterWrite, stream, state, 1, nop);
}

function scheduleAfterWrite(stream, state, cb) {
  const info = state.afterWriteTickInfo;
  if (info !== null && info.cb === cb) {
    info.count++;
  } else {
    state.afterWriteTickInfo = { count: 1, cb, stream, state };
    // Also the pending after-write tick of callback-less writes (Node shares the flag).
    state.afterWritePending = true;
    process.nextTick(afterWriteTick, state.afterWriteTickInfo);
  }
}

function onwriteError(stream, state, er, cb) {
  state.op(OP_PENDING_DEC, 1);
  cb(er);
  errorBuffer(state);
  errorOrDestroy(stream, er);
}

function afterWriteTick(info) {
  info.state.afterWriteTickInfo = null;
  afterWrite(info.stream, info.state, info.count, info.cb);
}

// Node's after-write step: 'drain' if due, then the callbacks of `count` completions (all with
// callback `cb`), then the buffer and finish checks.
function afterWrite(stream, state, count, cb) {
  state.afterWritePending = false;
  const allNop = cb === nop;
  const dec = allNop ? count : 1;
  const w0 = state[kWords][state[kW] + U_FLAGS];
  if ((w0 & NEED_DRAIN) === 0 || (w0 & AFTER_WRITE_QUIET) !== 0 || ((w0 & POLICIES) === 0 && state[kSyncDone] === 0 && state[kSlots][state[kS] + S_LENGTH] > 0)) {
    // No 'drain' can be due (protocol AFTER_WRITE_QUIET): the core's step would only count the
    // shares (the first callback's, or every callback-less completion's).
    for (let i = 0; i < dec; i++) settleShare(state);
  } else if (state.op(OP_AFTER_WRITE, dec)) {
    stream.emit('drain');
    if (dec) state.op(OP_PENDING_DEC, dec);
  }
  if (!allNop) {
    cb(null);
    for (let i = 1; i < count; i++) {
      settleShare(state);
      cb(null);
    }
  }
  const fl = state.flags();
  if (fl & DESTROYED) errorBuffer(state);
  if (fl & ENDING) finishMaybe(stream, state, true);
}

// Settles one callback's pendingcb share, about to be called: taken back from the mailbox while
// the core has not folded the fast-path writes' shares, else from the core's count. A plain
// decrement changes no standing answer (the core derives none from the count), so with nothing
// deferred to the next call it is made in the block, as the core's own step would (e.g. a batch
// of callbacks after an end() in the same tick, which folded the mailbox).
function settleShare(state) {
  const f = state[kSlots];
  const sAt = state[kS];
  if (f[sAt + S_FAST_PENDING] !== 0) f[sAt + S_FAST_PENDING] -= 1;
  else if (state[kSyncDone] === 0 && !state.fastInFlight) f[sAt + S_PENDING_CB] -= 1;
  else state.op(OP_PENDING_DEC, 1);
}

// Hands queued entries to the sink as the core directs, starting with action `r`.
//
// A pass over the queue takes its entries as Node's does: each slot is nulled as its entry goes
// to `_write`, and the queue's head (`bufferedIndex`) moves, or the queue is emptied, once the
// pass is over; until then `writableBuffer`, `bufferedIndex` and `buffered` show what Node's
// show inside `_write`. `pq`, `i`: the queue a pass begun by the caller is taking from, and its
// next entry (null: the pass starts here, at the head).
function runQueue(stream, state, r, pq = null, i = 0) {
  for (;;) {
    const act = r & A_MASK;
    if (act === 0) {
      if (pq !== null) passOver(state, pq, i);
      else compactQueue(state);
      return;
    }
    const q = state[kQueue];
    if (act === A_WRITEV) {
      const head = state[kQueueHead];
      const n0 = q.length;
      // Node hands `_writev` its list itself when no write has a callback and none was taken,
      // a copy otherwise; its list stays the state's (`writableBuffer` shows it) until
      // `_writev` returns, and is reset then.
      const chunks = state.allNoop && head === 0 ? q : q.slice(head);
      const count = n0 - head;
      let allNoop = true;
      let allBuffers = true;
      for (let i = 0; i < count; i++) {
        if (chunks[i].callback !== nop) allNoop = false;
        if (chunks[i].encoding !== 'buffer') allBuffers = false;
      }
      chunks.allBuffers = allBuffers;
      // Writes queued while `_writev` runs (a write from inside it, or from a listener it set
      // off) join the batch's list in Node, which is then reset: they are never written, their
      // bytes stay counted, and the batch's callback (it walks the list when called) calls
      // theirs too, with the batch's error (none when every entry of the batch had none).
      let late = null;
      state.writecb = allNoop
        ? nop
        : (err) => {
            for (let i = 0; i < count; i++) chunks[i].callback(err);
            if (late !== null) for (let i = 0; i < late.length; i++) late[i].callback(err);
          };
      state.sync = true;
      stream._writev(chunks, state.onwrite);
      state.sync = false;
      const lq = state[kQueue];
      if (lq === q) {
        if (q.length > n0) late = q.slice(n0);
      } else if (lq !== NO_ENTRIES && lq.length > state[kQueueHead]) {
        // (the list was replaced meanwhile: an assignment to `buffered`)
        late = lq.slice(state[kQueueHead]);
      }
      state[kQueue] = NO_ENTRIES;
      state[kQueueHead] = 0;
      state.allBuffers = true;
      state.allNoop = true;
      // (the core queued each write: a held run is as many)
      let dropped = 0;
      if (late !== null) for (let i = 0; i < late.length; i++) dropped += late[i] instanceof HeldRun ? late[i].count : 1;
      state.op(OP_END_PASS, dropped);
      return;
    }
    if (pq !== q) {
      // (the queue was replaced meanwhile: an assignment to `buffered`)
      pq = q;
      i = state[kQueueHead];
    }
    const entry = q[i];
    q[i++] = null;
    state.writecb = entry.callback;
    state.sync = true;
    if (act === A_ONE_DESTROYED) state.onwrite(new ERR_STREAM_DESTROYED('write'));
    else stream._write(entry.chunk, entry.encoding, state.onwrite);
    state.sync = false;
    r = state.op(OP_CLEAR_NEXT, 0);
  }
}

/** A pass that took the entries of `q` before `i` is over: the head moves past them, or the queue is emptied. */
function passOver(state, q, i) {
  if (state[kQueue] !== q) return;
  if (i >= q.length) {
    state[kQueue] = NO_ENTRIES;
    state[kQueueHead] = 0;
    state.allBuffers = true;
    state.allNoop = true;
  } else {
    state[kQueueHead] = i;
    compactQueue(state);
  }
}

// After a pass over the queue: drop the consumed slots once there are many (Node keeps them as
// nulls before `bufferedIndex` until then; `_writableState.buffered` shows them).
function compactQueue(state) {
  const qh = state[kQueueHead];
  if (qh > 256 && (!COMPACT_HALF || qh * 2 >= state[kQueue].length)) {
    state[kQueue].splice(0, qh);
    state[kQueueHead] = 0;
  }
}
const COMPACT_HALF = since.WRITABLE_QUEUE_COMPACTS_HALF;

function clearBuffer(stream, state) {
  const r = state.op(OP_CLEAR_BUFFER, typeof stream._writev === 'function' ? 1 : 0);
  if ((r & A_MASK) !== 0) runQueue(stream, state, r);
}

// Fails every queued write and pending end() callback (the stream is destroyed or errored).
function errorBuffer(state) {
  if (!state.op(OP_ERROR_BUFFER, 0)) return;
  const q = state[kQueue];
  const from = state[kQueueHead];
  state[kQueue] = NO_ENTRIES;
  state[kQueueHead] = 0;
  state.allBuffers = true;
  state.allNoop = true;
  for (let i = from; i < q.length; i++) {
    // (a slot a pass under way took is null)
    if (q[i] !== null) q[i].callback(state.erroredValue ?? new ERR_STREAM_DESTROYED('write'));
  }
  const onfinishCallbacks = takeOnFinished(state);
  for (let i = 0; i < onfinishCallbacks.length; i++) {
    onfinishCallbacks[i](state.erroredValue ?? new ERR_STREAM_DESTROYED('end'));
  }
}

function finishMaybe(stream, state, sync) {
  if (state.settled()) {
    // Not due (protocol FINISH_NEEDS, FINISH_BLOCKERS; something counted or queued): the
    // core's check would answer NONE and change nothing. No call.
    const fl = state[kWords][state[kW] + U_FLAGS];
    if ((fl & (FINISH_NEEDS | FINISH_BLOCKERS)) !== FINISH_NEEDS || state[kSlots][state[kS] + S_LENGTH] !== 0 || state[kQueueHead] !== state[kQueue].length) return;
  }
  finishStep(stream, state, sync, state.op(OP_FINISH_MAYBE, (sync ? ARG_FINISH_SYNC : 0) | (typeof stream._final === 'function' ? ARG_FINISH_HAS_FINAL : 0)), 0);
}

/**
 * Carries out a step of the finish sequence (the core's answer to FINISH_MAYBE); `markEnded`
 * (ARG_TAIL_MARK_ENDED from end()) has the tail step mark the stream ended too.
 */
function finishStep(stream, state, sync, step, markEnded) {
  if (step === F_CALL_FINAL) {
    callFinal(stream, state);
    step = tailStep(state, sync, markEnded);
  } else if (step === F_EMIT_PREFINISH) {
    stream.emit('prefinish');
    step = tailStep(state, sync, markEnded);
  }
  if (step === F_FINISH_TICK) process.nextTick(finishTick, stream, state);
  else if (step === F_FINISH_NOW) finish(stream, state);
}

/** The finish sequence's tail step (the core's FINISH_MAYBE_TAIL). */
function tailStep(state, sync, markEnded) {
  if (sync && state.settled()) {
    // Its standing answer (protocol TAIL_SETS): no call.
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    if (markEnded) words[at] |= TAIL_SETS;
    const f = state[kSlots];
    const pAt = state[kS] + S_PENDING_CB;
    if (f[pAt] !== 0) return F_NONE;
    f[pAt] = 1;
    return F_FINISH_TICK;
  }
  return state.op(OP_FINISH_MAYBE_TAIL, (sync ? ARG_TAIL_SYNC : 0) | markEnded);
}

function finishTick(stream, state) {
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  if ((words[at] & TICK_FINISHES) !== 0 && state.settled()) {
    // The core's standing answer (TICK_FINISHES): finished now, no call.
    words[at] = (words[at] & ~FINISH_TICK_CLEARS) | FINISH_TICK_SETS;
    state[kSlots][state[kS] + S_PENDING_CB] -= 1;
    finished(stream, state);
    return;
  }
  // The core marks the stream finished in the same step when it is still due.
  if (state.op(OP_FINISH_TICK, 0)) finished(stream, state);
}

function callFinal(stream, state) {
  let called = false;
  function onFinish(err) {
    if (called) {
      errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    const step = finalDone(state, !!err);
    if (step === F_FINAL_ERROR) {
      const onfinishCallbacks = takeOnFinished(state);
      for (let i = 0; i < onfinishCallbacks.length; i++) onfinishCallbacks[i](err);
      errorOrDestroy(stream, err, state.sync);
    } else if (step === F_FINISH_TICK) {
      stream.emit('prefinish');
      process.nextTick(finish, stream, state);
    }
  }
  state.sync = true;
  try {
    stream._final(onFinish);
  } catch (err) {
    onFinish(err);
  }
  state.sync = false;
}

/** `_final` called back (the core's FINAL_DONE): the step it answers. */
function finalDone(state, errored) {
  if (!state.settled()) return state.op(OP_FINAL_DONE, errored ? 1 : 0);
  // Its standing answer (protocol FINAL_DONE_*): no call.
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  if (!errored && (words[at] & TICK_FINISHES) !== 0) {
    words[at] |= FINAL_DONE_SETS;
    return F_FINISH_TICK;
  }
  state[kSlots][state[kS] + S_PENDING_CB] -= 1;
  return errored ? F_FINAL_ERROR : F_NONE;
}

function finish(stream, state) {
  if (state.settled()) {
    // The finish step's standing answer (protocol FINISH_CLEARS): no call.
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    words[at] = (words[at] & ~FINISH_CLEARS) | FINISH_TICK_SETS;
    state[kSlots][state[kS] + S_PENDING_CB] -= 1;
  } else {
    state.op(OP_FINISH, 0);
  }
  finished(stream, state);
}

/** `'finish'` and what follows it, the core having marked the stream finished. */
function finished(stream, state) {
  const onfinishCallbacks = takeOnFinished(state);
  for (let i = 0; i < onfinishCallbacks.length; i++) onfinishCallbacks[i](null);
  stream.emit('finish');
  if (state.autoDestroy) {
    // A Duplex destroys itself only once its readable side is done too.
    const rState = stream._readableState;
    const autoDestroy = !rState || (rState.autoDestroy && (rState.endEmitted || rState.readable === false));
    if (autoDestroy) stream.destroy();
  }
}

Writable.prototype._write = function (chunk, encoding, cb) {
  if (this._writev) {
    this._writev([{ chunk, encoding }], cb);
  } else {
    throw new ERR_METHOD_NOT_IMPLEMENTED('_write()');
  }
};

Writable.prototype._writev = null;

Writable.prototype.pipe = function () {
  errorOrDestroy(this, new ERR_STREAM_CANNOT_PIPE());
};

Writable.prototype.cork = function () {
  this._writableState.op(OP_CORK, 0);
};

Writable.prototype.uncork = function () {
  const state = this._writableState;
  const r = state.op(OP_UNCORK, typeof this._writev === 'function' ? 1 : 0);
  if ((r & A_MASK) !== 0) runQueue(this, state, r);
};

Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
  if (typeof encoding === 'string') encoding = encoding.toLowerCase();
  if (!Buffer.isEncoding(encoding)) throw new ERR_UNKNOWN_ENCODING(encoding);
  // Node keeps UTF-8 under one name.
  this._writableState.defaultEncoding = encoding === 'utf-8' ? 'utf8' : encoding;
  return this;
};

Writable.prototype.end = function end(chunk, encoding, cb) {
  const state = this._writableState;
  if (typeof chunk === 'function') {
    cb = chunk;
    chunk = null;
    encoding = null;
  } else if (typeof encoding === 'function') {
    cb = encoding;
    encoding = null;
  }

  let err;
  if (chunk !== null && chunk !== undefined) {
    const ret = writeImpl(this, chunk, encoding);
    if (ret instanceof Error) err = ret;
  }

  // end() uncorks fully (a corked stream: the core's CORKED bit, not the assignable depth).
  if (state[kWords][state[kW] + U_FLAGS] & CORKED) {
    const r = state.op(OP_UNCORK_ALL, typeof this._writev === 'function' ? 1 : 0);
    if ((r & A_MASK) !== 0) runQueue(this, state, r);
  }

  if (!err) {
    // The core runs the finish sequence as far as no user code runs in it: with no _final and
    // no 'prefinish' listener to call, one call.
    let bits = typeof this._final === 'function' ? ARG_END_HAS_FINAL : 0;
    if (this.emit === EE_EMIT && this.listenerCount('prefinish') === 0) bits |= ARG_END_QUIET_PREFINISH;
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    let run;
    if ((words[at] & END_READY) !== 0 && state.settled()) {
      // The core's standing answer (END_READY): the finish sequence's first step, no call.
      const f = state[kSlots];
      const pAt = state[kS] + S_PENDING_CB;
      if (bits & ARG_END_HAS_FINAL) {
        words[at] = (words[at] & ~END_CLEARS) | END_FINAL_SETS;
        f[pAt] += 1;
        run = E_ENDING | F_CALL_FINAL * END_STEP;
      } else if (bits === 0) {
        words[at] = (words[at] & ~END_CLEARS) | END_PREFINISH_SETS;
        run = E_ENDING | F_EMIT_PREFINISH * END_STEP;
      } else {
        words[at] = (words[at] & ~END_CLEARS) | END_QUIET_SETS;
        run = E_ENDING | END_MARKED;
        if (f[pAt] === 0) {
          f[pAt] = 1;
          run |= F_FINISH_TICK * END_STEP;
        }
      }
    } else {
      run = state.op(OP_END_RUN, bits);
    }
    const r = run & END_E_MASK;
    if (r === E_ENDING) {
      const step = Math.floor(run / END_STEP) & END_STEP_MASK;
      if (run & END_MARKED) {
        if (step === F_FINISH_TICK) process.nextTick(finishTick, this, state);
      } else {
        // _final or 'prefinish' (user code) runs, then the tail step, which marks it ended.
        finishStep(this, state, true, step, ARG_TAIL_MARK_ENDED);
      }
    } else if (r === E_ERR_FINISHED) {
      err = new ERR_STREAM_ALREADY_FINISHED('end');
    } else if (r === E_ERR_DESTROYED) {
      err = new ERR_STREAM_DESTROYED('end');
    }
  }

  if (typeof cb === 'function') {
    if (err || state.finished) process.nextTick(cb, err);
    // Errored during this end() (a synchronous _final failure): Node calls back on the next tick.
    else if (state.erroredValue) process.nextTick(cb, state.erroredValue);
    else if (state[kOnFinished] === NO_ENTRIES) state[kOnFinished] = [cb];
    else state[kOnFinished].push(cb);
  }
  return this;
};

Writable.prototype.destroy = function destroy(err, cb) {
  const state = this._writableState;
  const rs = this._readableState;
  if (rs && rs.destroyed && !state.destroyed) return destroyImpl.call(this, err, cb);
  // The default _destroy calls back at once with no error, and no user code runs in between:
  // the core marks the stream closed in the same call, and 'close' follows on the next tick.
  // (A callback of destroy() may throw, which Node's _destroy step swallows: the full path.)
  const closeNow = !err && !rs && cb === undefined && this._destroy === defaultDestroy;
  // A sluice Duplex with no error: both sides marked destroyed in one call.
  const paired = !err && !!rs && rs[kHandle] !== undefined;
  let r;
  if (!err && (paired || !rs) && state.settled()) {
    // The core's standing answer (protocol DESTROY_NOW_*): no call; a Duplex's readable side
    // marked destroyed too (protocol MARK_DESTROYED_SETS), as the paired step does.
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    const fl = words[at];
    if (fl & DESTROYED) {
      r = D_ALREADY;
    } else {
      let next = (fl & ~DESTROY_NOW_CLEARS) | DESTROYED;
      r = (fl & DESTROY_NOW_BUFFER) !== 0 || state[kOnFinished].length ? D_ERROR_BUFFER : 0;
      if ((fl & CONSTRUCTED) === 0) r |= D_WAIT_CONSTRUCT;
      else if (closeNow) {
        next |= DESTROY_NOW_CLOSED_SETS;
        r |= D_CLOSED;
      }
      words[at] = next;
      if (paired) rs.markDestroyed();
    }
  } else {
    const bits = (err ? ARG_DESTROY_ERROR : 0) | (state[kOnFinished].length ? ARG_DESTROY_END_CBS : 0);
    r = paired
      ? state.pairOp(rs, DUPLEX_DESTROY_BEGIN, bits)
      : state.op(OP_DESTROY_BEGIN, bits | (closeNow ? ARG_DESTROY_CLOSE_NOW : 0));
  }
  if (r & D_ALREADY) {
    if (typeof cb === 'function') cb();
    return this;
  }
  if (r & D_CLOSED) {
    if (r & D_ERROR_BUFFER) process.nextTick(errorBuffer, state);
    process.nextTick(emitCloseNT, this);
    return this;
  }
  // Queued writes and end() callbacks fail on the next tick.
  if (r & D_ERROR_BUFFER) process.nextTick(errorBuffer, state);
  if (err) {
    // eslint-disable-next-line no-unused-expressions
    err.stack;
    if (r & D_FIRST_ERROR) state.erroredValue = err;
    recordError(rs, err);
  }
  if (rs && !paired) rs.markDestroyed();
  destroyWith(this, err, cb, (r & D_WAIT_CONSTRUCT) !== 0);
  return this;
};

/**
 * Backpressure statistics, counted by the core as it works (always on): writes, bytes,
 * `write()` calls that returned false, `'drain'` events, peak buffered length, time under
 * backpressure (total, longest, current), chunks dropped by the overflow policy.
 */
Writable.prototype.stats = function stats() {
  const state = this._writableState;
  state.op(OP_STATS_NOW, 0);
  const f = state[kSlots];
  const sAt = state[kS];
  return {
    writes: f[sAt + S_WRITES],
    bytesWritten: f[sAt + S_BYTES],
    writeFalse: f[sAt + S_WRITE_FALSE],
    drains: f[sAt + S_DRAINS],
    peakBuffered: f[sAt + S_PEAK],
    pressureMs: f[sAt + S_PRESSURE_MS] + f[sAt + S_CURRENT_PRESSURE_MS],
    longestPressureMs: Math.max(f[sAt + S_LONGEST_PRESSURE_MS], f[sAt + S_CURRENT_PRESSURE_MS]),
    underPressure: (state[kWords][state[kW] + U_FLAGS] & NEED_DRAIN) !== 0,
    dropped: f[sAt + S_DROPPED],
    buffered: f[sAt + S_LENGTH],
    highWaterMark: f[sAt + S_HWM],
  };
};

/** Resolves at once when no drain is needed, else on the next `'drain'` (rejects on error or close). */
Writable.prototype.drained = function drained() {
  return drainedOf(this);
};

function drainedOf(w) {
  if (!w.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      w.removeListener('drain', onDrain);
      w.removeListener('error', onError);
      w.removeListener('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new ERR_STREAM_PREMATURE_CLOSE());
    };
    w.once('drain', onDrain);
    w.once('error', onError);
    w.once('close', onClose);
  });
}

Writable.prototype._undestroy = require('./destroy').undestroy;

Writable.prototype._destroy = function (err, cb) {
  cb(err);
};
const defaultDestroy = Writable.prototype._destroy;

Writable.prototype[EE.captureRejectionSymbol] = function (err) {
  this.destroy(err);
};

function getter(name, get, set) {
  Object.defineProperty(Writable.prototype, name, { get, set, enumerable: false, configurable: true });
}

getter(
  'closed',
  function () {
    return this._writableState ? this._writableState.closed : false;
  },
);
getter(
  'destroyed',
  function () {
    return this._writableState ? this._writableState.destroyed : false;
  },
  function (value) {
    // Node lets code mark a stream destroyed (or not) by assignment.
    if (this._writableState) this._writableState.op(OP_SET_DESTROYED, value ? 1 : 0);
  },
);
getter(
  'writable',
  function () {
    const w = this._writableState;
    return !!w && w.writableFlag !== false && !(w[kWords][w[kW] + U_FLAGS] & NOT_WRITABLE);
  },
  function (val) {
    if (this._writableState) this._writableState.writableFlag = !!val;
  },
);
getter('writableFinished', function () {
  return this._writableState ? this._writableState.finished : false;
});
getter('writableObjectMode', function () {
  return this._writableState ? this._writableState.objectMode : false;
});
getter('writableBuffer', function () {
  return this._writableState && this._writableState.getBuffer();
});
getter('writableEnded', function () {
  return this._writableState ? this._writableState.ending : false;
});
getter('writableNeedDrain', function () {
  const w = this._writableState;
  if (!w) return false;
  return (w[kWords][w[kW] + U_FLAGS] & DRAIN_STATUS) === NEED_DRAIN;
});
getter('writableHighWaterMark', function () {
  return this._writableState && this._writableState.highWaterMark;
});
getter('writableCorked', function () {
  return this._writableState ? this._writableState.corked : 0;
});
getter('writableLength', function () {
  return this._writableState && this._writableState.length;
});
getter('errored', function () {
  return this._writableState ? this._writableState.erroredValue : null;
});
getter('writableAborted', function () {
  const w = this._writableState;
  return !!(w.writableFlag !== false && (w.destroyed || w.erroredValue) && !w.finished);
});

// Writes whose bytes a native sink holds itself (lib/sinks.js): such a write is counted by the
// core as any write of its length, and queued as an entry whose chunk is HELD (its bytes are in
// the sink's write queue, in order). Consecutive writes without a callback share one entry (a
// HeldRun), so a backlog of them costs no JS object or array slot each. The core still decides the answer,
// writableLength, needDrain and 'drain'; only the bytes are elsewhere.
const HELD = Buffer.alloc(0);

// Consecutive held writes without a callback share one queue entry, which counts them: the
// core still has an entry per write (its queue, bufferedRequestCount), and the facade only
// ever hands such a run to `_writev` whole (the sink has one), or alone when it is the only
// write queued (a run of one). writableBuffer lists each write (the run's entry once per write).
class HeldRun {
  chunk = HELD;
  encoding = 'buffer';
  callback = nop;
  count = 1;
}

function expandHeld(q) {
  let n = 0;
  for (let i = 0; i < q.length; i++) n += q[i] instanceof HeldRun ? q[i].count : 1;
  if (n === q.length) return q;
  const out = new Array(n);
  let k = 0;
  for (let i = 0; i < q.length; i++) {
    const e = q[i];
    if (e instanceof HeldRun) for (let j = 0; j < e.count; j++) out[k++] = e;
    else out[k++] = e;
  }
  return out;
}

/**
 * Counts a write of `len` bytes held by the sink (`cb` a function or undefined) and queues it,
 * or hands it to `_write` as HELD when the core says to call it now. The caller checked that
 * the core takes the write (not ending, destroyed or errored; no overflow policy) and that
 * nothing is pending for it (no deferred completion, no fast-path write in flight).
 * Returns write()'s answer.
 */
function writeHeld(stream, len, cb) {
  const state = stream._writableState;
  wWrite(writableCore(state), len * ARG_WRITE_LEN);
  const code = state[kWords][state[kW] + U_RET];
  if (code & W_DISPATCH) return dispatchWrite(stream, state, HELD, 'buffer', cb === undefined ? nop : cb, code);
  if (state[kQueue] === NO_ENTRIES) state[kQueue] = [];
  if (cb === undefined) {
    const q = state[kQueue];
    const tail = q.length > state[kQueueHead] ? q[q.length - 1] : null;
    if (tail instanceof HeldRun) {
      tail.count++;
    } else {
      q.push(new HeldRun());
      state[kHeldRuns] = true;
    }
  } else {
    state[kQueue].push({ chunk: HELD, encoding: 'buffer', callback: cb });
    state.allNoop = false;
  }
  return (code & W_RET_TRUE) !== 0 && (state[kWords][state[kW] + U_FLAGS] & WRITE_REFUSED) === 0;
}

module.exports = Writable;
internals.writableAfterConstruct = afterConstruct;
internals.writeHeld = writeHeld;
internals.HELD = HELD;
internals.drainedOf = drainedOf;
