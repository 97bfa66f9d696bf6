'use strict';
// The Writable facade: Node's argument handling, callback timing and event emission around the
// Rust state machine (crates/sluice-core/src/writable.rs). Every decision — count the chunk, call `_write`
// now or queue it, return true or false, emit 'drain', call `_final`, finish — is the core's;
// this file carries out what the core answers, on the tick Node would.

const EE = require('events');
const NodeStream = require('stream');
const { Buffer } = require('buffer');
const { isArrayBufferView } = require('util').types;
const native = require('./native');
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
} = require('./destroy');
const { getHighWaterMark, getDefaultHighWaterMark } = require('./hwm');
const { since } = require('./node-version');

const { wCreate, wWrite, wOp } = native;

// Flag bits of the core (crates/sluice-core/src/writable.rs `flag`).
const ENDING = 1 << 1;
const ENDED = 1 << 2;
const FINISHED = 1 << 3;
const DESTROYED = 1 << 4;
const WRITING = 1 << 5;
const CONSTRUCTED = 1 << 6;
const PREFINISHED = 1 << 7;
const FINAL_CALLED = 1 << 8;
const NEED_DRAIN = 1 << 9;
const ERRORED = 1 << 10;
const ERROR_EMITTED = 1 << 11;
const CLOSED = 1 << 12;
const CLOSE_EMITTED = 1 << 13;
const EMIT_CLOSE = 1 << 14;
const AUTO_DESTROY = 1 << 15;
const BUFFER_PROCESSING = 1 << 16;
const FAST = 1 << 17;
const CORKED = 1 << 18;

// write() answers (core `w`).
const W_RET_TRUE = 1;
const W_DISPATCH = 2;
const W_BUFFERED = 4;
const W_ERR_END = 8;
const W_RET_IF_DONE = 32;
const W_ERR_OVERFLOW = 64;
const W_DROPPED = 128;
const W_DROPPED_OLDEST_SHIFT = 8;

// Queue actions (core `a`).
const A_MASK = 3;
// A_ONE = 1: take one chunk (the default action; no name needed in JS).
const A_ONE_DESTROYED = 2;
const A_WRITEV = 3;
const A_MULTIPLE_CB = 4;
const A_FIRST_ERROR = 8;

// Finish steps (core `f`).
const F_CALL_FINAL = 1;
const F_EMIT_PREFINISH = 2;
const F_FINISH_TICK = 3;
const F_FINISH_NOW = 4;
const F_FINAL_ERROR = 5;

// end() answers (core `e`).
const E_ENDING = 1;
const E_ERR_FINISHED = 2;
const E_ERR_DESTROYED = 3;

// destroy answers (core `d`).
const D_ALREADY = 1;
const D_FIRST_ERROR = 2;
const D_ERROR_BUFFER = 4;
const D_WAIT_CONSTRUCT = 8;

// Op codes (src/binding/writable.rs `op`).
const OP_ONWRITE = 1;
const OP_CLEAR_BUFFER = 2;
const OP_CLEAR_NEXT = 3;
const OP_AFTER_WRITE = 4;
const OP_PENDING_DEC = 5;
const OP_ERROR_BUFFER = 6;
const OP_FINISH_MAYBE = 7;
const OP_FINISH_MAYBE_TAIL = 8;
const OP_FINISH_TICK = 9;
const OP_FINAL_DONE = 10;
const OP_FINISH = 11;
const OP_END = 12;
const OP_MARK_ENDED = 13;
const OP_CORK = 14;
const OP_UNCORK = 15;
const OP_UNCORK_ALL = 16;
const OP_DESTROY_BEGIN = 17;
const OP_SET_ERRORED = 18;
const OP_SET_CLOSED = 19;
const OP_ERROR_EMIT = 20;
const OP_CLOSE_EMIT = 21;
const OP_START_CONSTRUCT = 22;
const OP_CONSTRUCTED = 23;
const OP_FLUSH = 26;
const OP_SET_DESTROYED = 27;
const OP_NOTE_NEED_DRAIN = 28;
const OP_DISABLE = 29;
const OP_STATS_NOW = 30;
const OP_SET_LOW_WATER_MARK = 31;
const OP_SET_MAX_BUFFERED = 32;
const OP_LATE_DISPATCH = 33;
const OP_SET_FLAG = 40;
const OP_SET_COUNTER = 41;
const OP_QUEUE_RESET = 42;
const OP_QUEUE_PUSH = 43;
const OP_UNDESTROY = 44;
const OP_GET_WRITELEN = 45;
const OP_END_PASS = 46;

// Assignable counters (core `counter`).
const C_HWM = 0;
const C_LENGTH = 1;
const C_PENDING_CB = 2;
const C_CORKED = 3;
const C_WRITELEN = 4;

function nop() {}

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

  constructor(options, stream, isDuplex) {
    let objectMode = !!(options && options.objectMode);
    if (isDuplex) objectMode = objectMode || !!(options && options.writableObjectMode);
    const hwm = options
      ? getHighWaterMark(objectMode, options, 'writableHighWaterMark', isDuplex)
      : getDefaultHighWaterMark(objectMode);
    let opts = 0;
    if (!options || options.emitClose !== false) opts |= EMIT_CLOSE;
    if (!options || options.autoDestroy !== false) opts |= AUTO_DESTROY;
    const hs = wCreate(objectMode ? 1 : 0, hwm, opts);
    /** External handle of the Rust core. */
    this.h = hs[0];
    /** Flags (u[0]), cork depth (u[1]), answer of the last wWrite (u[2]). */
    this.u = new Uint32Array(hs[1], 0, 4);
    /** length (f[2]), highWaterMark (f[3]), pendingcb (f[4]), buffered entries (f[5]). */
    this.f = new Float64Array(hs[1]);
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
    this.q = [];
    this.qh = 0;
    /** 1 when the write in flight completed synchronously and the core has not been told. */
    this.pend = 0;
    /** A write taken on the core's FAST answer is inside `_write` (length in `fastLen`). */
    this.fastInFlight = false;
    this.fastLen = 0;
    /** True while `_write`/`_writev`/`_final` is being called (completion timing). */
    this.sync = true;
    /** The callback of the write in flight. */
    this.writecb = null;
    this.afterWriteTickInfo = null;
    this.erroredValue = null;
    this[kOnFinished] = [];
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
    const pend = this.pend;
    this.pend = 0;
    return wOp(this.h, code, arg, pend);
  }

  reportFast() {
    this.fastInFlight = false;
    wOp(this.h, OP_LATE_DISPATCH, this.fastLen, 0);
  }

  flags() {
    if (this.pend || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this.u[0];
  }

  // Node's fields, readable and assignable (code in the wild assigns them: `errorEmitted =
  // false` in a `_destroy`, `ended = true`, `length = 0`, ...). An assignment is one call into
  // the core, which then decides as Node does after the same assignment; nothing here is on the
  // write path.
  get length() {
    if (this.pend || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this.f[2];
  }
  set length(v) {
    this.setCounter(C_LENGTH, v);
  }
  get highWaterMark() {
    return this.f[3];
  }
  set highWaterMark(v) {
    this.setCounter(C_HWM, v);
  }
  get pendingcb() {
    if (this.pend || this.fastInFlight) this.op(OP_FLUSH, 0);
    return this.f[4];
  }
  set pendingcb(v) {
    this.setCounter(C_PENDING_CB, v);
  }
  get corked() {
    return this.u[1];
  }
  set corked(v) {
    this.setCounter(C_CORKED, v);
  }
  get writelen() {
    this.op(OP_GET_WRITELEN, 0);
    return this.f[18];
  }
  set writelen(v) {
    this.setCounter(C_WRITELEN, v);
  }
  get bufferedRequestCount() {
    return this.f[5];
  }
  get bufferedIndex() {
    return this.qh;
  }
  set bufferedIndex(v) {
    this.qh = v;
  }
  get buffered() {
    return this.q;
  }
  set buffered(v) {
    // A replaced queue: the core learns the new entries' lengths (Node keeps `length` as is).
    this.q = v || [];
    this.qh = 0;
    this.op(OP_QUEUE_RESET, 0);
    for (const entry of this.q) {
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
    return this.q.slice(this.qh);
  }

  setFlag(bit, on) {
    this.op(OP_SET_FLAG, bit * 2 + (on ? 1 : 0));
  }
  setCounter(which, v) {
    this.op(OP_FLUSH, 0);
    this.f[18] = v;
    this.op(OP_SET_COUNTER, which);
  }

  // The destroy protocol shared with the readable side (lib/destroy.js).
  recordError(err) {
    if (this.op(OP_SET_ERRORED, 0)) this.erroredValue = err;
  }
  markClosed() {
    this.op(OP_SET_CLOSED, 0);
  }
  markErrorEmitted() {
    return this.op(OP_ERROR_EMIT, 0) !== 0;
  }
  markCloseEmitted() {
    return this.op(OP_CLOSE_EMIT, 0) !== 0;
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
          return (this.u[0] & bit) !== 0;
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
const OVERFLOWS = { error: 0, 'drop-newest': 1, 'drop-oldest': 2 };
function applyPolicies(state, options) {
  const lwm = options.lowWaterMark;
  if (lwm !== undefined && lwm !== null) {
    if (!Number.isInteger(lwm) || lwm < 0 || lwm >= state.f[3]) {
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
    state.op(OP_SET_MAX_BUFFERED, max * 4 + OVERFLOWS[overflow]);
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
  const isDuplex = this instanceof NodeStream.Duplex;
  if (!isDuplex && !Function.prototype[Symbol.hasInstance].call(Writable, this)) return new Writable(options);

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

Object.defineProperty(Writable, Symbol.hasInstance, {
  value: function (object) {
    if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
    if (this !== Writable) return false;
    return !!object && object._writableState instanceof WritableState;
  },
  configurable: true,
});

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

  if (state.fastInFlight) state.reportFast();
  const pend = state.pend;
  state.pend = 0;
  wWrite(state.h, (state.objectMode ? 1 : chunk.length) * 4 + pend);
  return afterCode(stream, state, state.u[2], chunk, encoding, cb);
}

// write()'s answer once `_write` has returned, as Node computes it: from the length now (user
// code inside `_write` may have written more, or the write may have completed). `code` is the
// core's answer for the write (for a fast-path write: empty stream, so W_RET_IF_DONE).
function retAfterDispatch(state, code) {
  let ret;
  if (state.writecb === null && state.pend !== 0) {
    // Completed during `_write` and nothing has reached the core since: its answer holds.
    ret = (code & W_RET_IF_DONE) !== 0;
  } else {
    // The core's length is current (a pending fast-path write is reported first).
    if (state.fastInFlight) state.reportFast();
    const len = state.f[2];
    ret = len < state.f[3] || len === 0;
    // The core set needDrain itself only when even a completed write would return false.
    if (!ret && code & W_RET_IF_DONE) state.op(OP_NOTE_NEED_DRAIN, 0);
  }
  // false once errored or destroyed, to break synchronous write loops.
  return ret && (state.u[0] & (ERRORED | DESTROYED)) === 0;
}

// Carries out the core's answer to a write (see core `w`).
function afterCode(stream, state, code, chunk, encoding, cb) {
  let ret;
  if (code & W_DISPATCH) {
    state.writecb = cb;
    state.sync = true;
    stream._write(chunk, encoding, state.onwrite);
    state.sync = false;
    return retAfterDispatch(state, code);
  } else if (code & W_BUFFERED) {
    if (code >>> W_DROPPED_OLDEST_SHIFT) dropOldest(stream, state, code >>> W_DROPPED_OLDEST_SHIFT);
    state.q.push({ chunk, encoding, callback: cb });
    if (encoding !== 'buffer') state.allBuffers = false;
    if (cb !== nop) state.allNoop = false;
    ret = (code & W_RET_TRUE) !== 0;
  } else if (code & W_DROPPED) {
    if (code >>> W_DROPPED_OLDEST_SHIFT) dropOldest(stream, state, code >>> W_DROPPED_OLDEST_SHIFT);
    dropChunk(stream, chunk, cb);
    return false;
  } else if (code & W_ERR_OVERFLOW) {
    const err = new ERR_SLUICE_BUFFER_OVERFLOW(state.f[2] + (state.objectMode ? 1 : chunk.length));
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
  return ret && (state.u[0] & (ERRORED | DESTROYED)) === 0;
}

Writable.prototype.write = function write(chunk, encoding, cb) {
  const state = this._writableState;
  // The common case inlined: a Buffer, no encoding, no callback, byte mode, and the core says
  // "call _write now". Everything else takes the general path below.
  if (
    encoding === undefined &&
    cb === undefined &&
    typeof chunk === 'string' &&
    state.decodeStrings &&
    (state.u[0] & FAST) !== 0 &&
    !state.fastInFlight
  ) {
    chunk = Buffer.from(chunk, state.defaultEncoding);
  }
  if (encoding === undefined && cb === undefined && chunk instanceof Buffer && !state.objectMode) {
    if ((state.u[0] & FAST) !== 0 && !state.fastInFlight) {
      // The core's standing answer (flag FAST): call _write now; if it completes during
      // _write, write() returns true (nothing stays counted). No call into native code: the
      // completion is counted in the shared mailbox.
      const len = chunk.length;
      state.fastInFlight = true;
      state.fastLen = len;
      state.writecb = nop;
      state.sync = true;
      this._write(chunk, 'buffer', state.onwrite);
      state.sync = false;
      return retAfterDispatch(state, W_RET_IF_DONE);
    }
    if (state.fastInFlight) state.reportFast();
    const pend = state.pend;
    state.pend = 0;
    wWrite(state.h, chunk.length * 4 + pend);
    const code = state.u[2];
    if (code & W_DISPATCH) {
      state.writecb = nop;
      state.sync = true;
      this._write(chunk, 'buffer', state.onwrite);
      state.sync = false;
      return retAfterDispatch(state, code);
    }
    return afterCode(this, state, code, chunk, 'buffer', nop) === true;
  }
  return writeImpl(this, chunk, encoding, cb) === true;
};

// The core dropped the `n` oldest queued writes (overflow: 'drop-oldest').
function dropOldest(stream, state, n) {
  for (let i = 0; i < n; i++) {
    const entry = state.q[state.qh];
    state.q[state.qh++] = null;
    dropChunk(stream, entry.chunk, entry.callback);
  }
  if (state.qh === state.q.length) {
    state.q = [];
    state.qh = 0;
  }
}

// The completion callback handed to `_write`/`_writev`.
function onwrite(stream, er) {
  const state = stream._writableState;
  if (state.fastInFlight) {
    if (!er && state.sync && state.qh === state.q.length) {
      // A fast-path write completed during _write: to the core it never happened except in
      // its statistics (a callback-less byte-mode write settles at once, as in Node).
      state.fastInFlight = false;
      state.writecb = null;
      const f = state.f;
      f[15] += 1;
      f[16] += state.fastLen;
      if (state.fastLen > f[17]) f[17] = state.fastLen;
      return;
    }
    state.reportFast();
  }
  const sync = state.sync;
  const cb = state.writecb;
  if (!er && sync && cb !== null && state.pend === 0 && state.qh === state.q.length) {
    // The common case: completed during `_write` with nothing queued. The core hears of it with
    // the next call; the callback and any 'drain' come on the next tick, as in Node.
    state.writecb = null;
    if (cb === nop) {
      // Nothing is left counted (the queue is empty), so a 'drain' owed is due now.
      if ((state.objectMode || (state.u[0] & NEED_DRAIN) !== 0) && !state.afterWritePending) {
        state.pend = 1;
        scheduleAfterWriteNop(stream, state);
      } else {
        // Settled at once (see core `complete_sync_ok`).
        state.pend = 2;
        if (state.u[0] & ENDING) finishMaybe(stream, state, true);
      }
      return;
    }
    state.pend = 1;
    scheduleAfterWrite(stream, state, cb);
    return;
  }
  state.writecb = null;
  const r = state.op(OP_ONWRITE, (er ? 1 : 0) | (typeof stream._writev === 'function' ? 2 : 0));
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
  } else if ((state.objectMode || (state.u[0] & NEED_DRAIN && state.length === 0)) && !state.afterWritePending) {
    // Node's rule for a callback-less write that completed during `_write`: it waits, still
    // counted in `pendingcb`, for an after-write tick when a 'drain' is due now (decided after
    // the queued writes it let through: none is owed while some remain counted) or in object
    // mode, unless such a tick is already pending; otherwise it is settled at once.
    scheduleAfterWriteNop(stream, state);
  } else {
    state.op(OP_PENDING_DEC, 1);
    if (state.u[0] & ENDING) finishMaybe(stream, state, true);
  }
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
  if (state.op(OP_AFTER_WRITE, dec)) {
    stream.emit('drain');
    if (dec) state.op(OP_PENDING_DEC, dec);
  }
  if (!allNop) {
    cb(null);
    for (let i = 1; i < count; i++) {
      state.op(OP_PENDING_DEC, 1);
      cb(null);
    }
  }
  const fl = state.flags();
  if (fl & DESTROYED) errorBuffer(state);
  if (fl & ENDING) finishMaybe(stream, state, true);
}

// Hands queued entries to the sink as the core directs, starting with action `r`.
function runQueue(stream, state, r) {
  for (;;) {
    const act = r & A_MASK;
    if (act === 0) {
      compactQueue(state);
      return;
    }
    const q = state.q;
    if (act === A_WRITEV) {
      const chunks = state.qh === 0 ? q : q.slice(state.qh);
      let allNoop = true;
      let allBuffers = true;
      for (let i = 0; i < chunks.length; i++) {
        if (chunks[i].callback !== nop) allNoop = false;
        if (chunks[i].encoding !== 'buffer') allBuffers = false;
      }
      chunks.allBuffers = allBuffers;
      state.q = [];
      state.qh = 0;
      state.allBuffers = true;
      state.allNoop = true;
      state.writecb = allNoop
        ? nop
        : (err) => {
            for (let i = 0; i < chunks.length; i++) chunks[i].callback(err);
          };
      state.sync = true;
      stream._writev(chunks, state.onwrite);
      state.sync = false;
      state.op(OP_END_PASS, 0);
      return;
    }
    const entry = q[state.qh];
    q[state.qh++] = null;
    if (state.qh === q.length) {
      state.q = [];
      state.qh = 0;
      state.allBuffers = true;
      state.allNoop = true;
    }
    state.writecb = entry.callback;
    state.sync = true;
    if (act === A_ONE_DESTROYED) state.onwrite(new ERR_STREAM_DESTROYED('write'));
    else stream._write(entry.chunk, entry.encoding, state.onwrite);
    state.sync = false;
    r = state.op(OP_CLEAR_NEXT, 0);
  }
}

// After a pass over the queue: drop the consumed slots once there are many (Node keeps them as
// nulls before `bufferedIndex` until then; `_writableState.buffered` shows them).
function compactQueue(state) {
  const qh = state.qh;
  if (qh > 256 && (!COMPACT_HALF || qh * 2 >= state.q.length)) {
    state.q.splice(0, qh);
    state.qh = 0;
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
  const q = state.q;
  const from = state.qh;
  state.q = [];
  state.qh = 0;
  state.allBuffers = true;
  state.allNoop = true;
  for (let i = from; i < q.length; i++) {
    q[i].callback(state.erroredValue ?? new ERR_STREAM_DESTROYED('write'));
  }
  const onfinishCallbacks = state[kOnFinished].splice(0);
  for (let i = 0; i < onfinishCallbacks.length; i++) {
    onfinishCallbacks[i](state.erroredValue ?? new ERR_STREAM_DESTROYED('end'));
  }
}

function finishMaybe(stream, state, sync) {
  let step = state.op(OP_FINISH_MAYBE, (sync ? 1 : 0) | (typeof stream._final === 'function' ? 2 : 0));
  if (step === F_CALL_FINAL) {
    callFinal(stream, state);
    step = state.op(OP_FINISH_MAYBE_TAIL, sync ? 1 : 0);
  } else if (step === F_EMIT_PREFINISH) {
    stream.emit('prefinish');
    step = state.op(OP_FINISH_MAYBE_TAIL, sync ? 1 : 0);
  }
  if (step === F_FINISH_TICK) process.nextTick(finishTick, stream, state);
  else if (step === F_FINISH_NOW) finish(stream, state);
}

function finishTick(stream, state) {
  if (state.op(OP_FINISH_TICK, 0)) finish(stream, state);
}

function callFinal(stream, state) {
  let called = false;
  function onFinish(err) {
    if (called) {
      errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    const step = state.op(OP_FINAL_DONE, err ? 1 : 0);
    if (step === F_FINAL_ERROR) {
      const onfinishCallbacks = state[kOnFinished].splice(0);
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

function finish(stream, state) {
  state.op(OP_FINISH, 0);
  const onfinishCallbacks = state[kOnFinished].splice(0);
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
  if (state.u[0] & CORKED) {
    const r = state.op(OP_UNCORK_ALL, typeof this._writev === 'function' ? 1 : 0);
    if ((r & A_MASK) !== 0) runQueue(this, state, r);
  }

  if (!err) {
    const r = state.op(OP_END, 0);
    if (r === E_ENDING) {
      finishMaybe(this, state, true);
      state.op(OP_MARK_ENDED, 0);
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
    else state[kOnFinished].push(cb);
  }
  return this;
};

Writable.prototype.destroy = function destroy(err, cb) {
  const state = this._writableState;
  const rs = this._readableState;
  if (rs && rs.destroyed && !state.destroyed) return destroyImpl.call(this, err, cb);
  const r = state.op(OP_DESTROY_BEGIN, (err ? 1 : 0) | (state[kOnFinished].length ? 2 : 0));
  if (r & D_ALREADY) {
    if (typeof cb === 'function') cb();
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
  if (rs) rs.markDestroyed();
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
  const f = state.f;
  return {
    writes: f[6],
    bytesWritten: f[7],
    writeFalse: f[8],
    drains: f[9],
    peakBuffered: f[10],
    pressureMs: f[11] + f[13],
    longestPressureMs: Math.max(f[12], f[13]),
    underPressure: (state.u[0] & NEED_DRAIN) !== 0,
    dropped: f[14],
    buffered: f[2],
    highWaterMark: f[3],
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
    return !!w && w.writableFlag !== false && !(w.u[0] & (DESTROYED | ERRORED | ENDING | ENDED));
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
  return (w.u[0] & (DESTROYED | ENDING | NEED_DRAIN)) === NEED_DRAIN;
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

module.exports = Writable;
module.exports.afterConstruct = afterConstruct;
module.exports.drainedOf = drainedOf;
