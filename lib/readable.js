'use strict';
// The Readable facade over the Rust state machine (crates/sluice-core/src/readable.rs). The core decides
// when `_read` runs, what `read()` takes, when 'data', 'readable' and 'end' are due and what
// `push()` returns; this file holds the chunk values, decodes strings, and emits on the tick
// the core asks for. `pipe()` and async iteration are glue over those primitives, as in Node.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const EE = require('events');

const EE_EMIT = EE.prototype.emit;
const EE_LISTENER_COUNT = EE.prototype.listenerCount;

// `stream.listenerCount('data') > 0`, per pushed chunk: with the EventEmitter's own method, read
// from its table directly (a type's entry is a listener, an array of two or more, or absent).
function hasDataListeners(stream) {
  if (stream.listenerCount !== EE_LISTENER_COUNT) return stream.listenerCount('data') > 0;
  const events = stream._events;
  return events !== undefined && events.data !== undefined;
}
const NodeStream = require('stream');
const { Buffer } = require('buffer');
const { StringDecoder } = require('string_decoder');
const { isArrayBufferView } = require('util').types;
const native = require('./native');
const {
  ERR_INVALID_ARG_TYPE,
  ERR_STREAM_PUSH_AFTER_EOF,
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_OUT_OF_RANGE,
  ERR_UNKNOWN_ENCODING,
} = require('./errors');
const destroyImpl = require('./destroy');
const { defineHasInstance } = require('./kinds');
const { getHighWaterMark, getDefaultHighWaterMark } = require('./hwm');
const { since } = require('./node-version');
const internals = require('./internals');
const { streamToAsyncIterator } = require('./readable-iterator');
const { from } = require('./readable-from');
const { pipe, unpipe } = require('./readable-pipe');

const { errorOrDestroy, construct } = destroyImpl;
const { rPush, rRead, rOp } = native;

// The protocol with the core (flag bits, switches, answers, op codes, counters, shared-block
// offsets), generated from crates/sluice-core/src/protocol.rs (`readable`).
const {
  ENDED, END_EMITTED, READING, CONSTRUCTED, SYNC, NEED_READABLE, EMITTED_READABLE,
  OBJECT_MODE, READABLE_LISTENING, RESUME_SCHEDULED, ERRORED, ERROR_EMITTED, EMIT_CLOSE, AUTO_DESTROY, DESTROYED,
  CLOSED, CLOSE_EMITTED, READING_MORE, DATA_EMITTED, FLOWING, FLOWING_FALSE, PAUSED, RESUMED,
  DECODER, FAST_PUSH, FAST_CHUNK, SW_READ_MORE_WAITS_FOR_READ, SW_EOF_READABLE_ON_DEMAND,
  SW_END_ONCE, SW_READ_ONE_CHUNK, SW_NO_PAUSE_RESUME_DESTROYED, SW_FLOW_SYNC, P_RET_TRUE,
  P_EMIT_DATA, P_BUFFER_BACK, P_BUFFER_FRONT, P_TICK_READABLE, P_NOW_READABLE, P_TICK_READ_MORE,
  P_ERR_AFTER_EOF, P_ERR_UNSHIFT_AFTER_END, K_DATA, K_EOF, K_EMPTY, R_TAKE_MASK, R_TAKE_FIRST,
  R_TAKE_ALL, R_CALL_READ, R_EMIT_DATA, R_TICK_END, R_TICK_READABLE, R_ERR_RANGE, R_ERR_OVERFLOW,
  R_ERR_NO_CHUNK, OP_READ_AFTER, OP_PUSH_SWALLOWED, OP_PUSH_TAIL,
  OP_ON_READABLE, OP_UPDATE_READABLE_LISTENING, OP_SET_FLOWING, OP_RESET_QUEUE, OP_START_CONSTRUCT, OP_CONSTRUCTED,
  OP_SET_DESTROYED, OP_SET_ERRORED, OP_ERROR_EMIT, OP_MAYBE_READ_MORE,
  OP_DISABLE, OP_SET_FLAG, OP_SET_COUNTER, OP_QUEUE_RESET,
  OP_QUEUE_PUSH, OP_UNDESTROY, RC_HWM, RC_LENGTH, OP_FLOW_SYNC_BEGIN, OP_FLOW_SYNC_STEP,
  OP_FLOW_SYNC_READ_DONE, OP_FAST_PARK, OP_FAST_UNPARK, OP_FAST_MATERIALIZE, OP_PUSH_THREW,
  READ_MORE_AFTER_DATA_SETS, OP_TAKE_FIXUP, U_FLAGS, U_RET, S_LENGTH, S_HWM, S_N, S_PUSHES, S_BYTES,
  S_PUSH_FALSE, S_READ_CALLS, S_PEAK, ARG_PUSH_LEN, ARG_PUSH_KIND, ARG_PUSH_FRONT, ARG_LISTENS_DATA,
  ARG_LISTENS_READABLE, ARG_READ_NO_SIZE, ARG_READ_NEGATIVE, O_TICK_READABLE, O_TICK_READ0,
  P_RAN_USER_CODE, PUSH_REFUSED, PAUSED_STATUS, NOT_READABLE, FLOW_SYNC_NEEDS, FLOW_SYNC_BLOCKS, S_FAST_RUNS, S_FAST_LENS, S_FAST_COUNTS,
  MAILBOX_RUN_CAP, S_FAST_TAKES, S_CALLS,
  FAST_TAKE_STATUS, FAST_TAKE_READY, FAST_TAKE_EMPTIED_SETS, FAST_READ_END_STATUS, FAST_READ_END_READY,
  FAST_READ_STATUS, FAST_READ_READY, EOF_READABLE_PENDING, PAUSED_READ_STATUS, PAUSED_READ_READY, PAUSED_READ_OBJ_STATUS,
  FAST_READ_END_PAUSED_READY,
  PAUSED_READ_TAKE_SETS,
  FAST_EMIT_STATUS, FAST_EMIT_READY, R_ERR_NEGATIVE_LENGTH,
  CLOSE_EMIT_SETS, CLOSE_EMIT_ANSWER, READABLE_STEP_BLOCKS, READABLE_STEP_CLEARS, READABLE_WANT_BLOCKS,
  READABLE_WANT_SETS, MARK_DESTROYED_SETS, MARK_CLOSED_SETS, PUSH_BUFFER_BLOCKS, READ_MORE_TICK_STATUS,
  READ_MORE_TICK_READY, EOF_QUIET_BLOCKS, READ_ZERO_BLOCKS, READ_ZERO_SETS, READ_ENDED_SETS, END_STEP_CLEARS, END_STEP_BLOCKS, END_STEP_SETS, END_SCHEDULED, READ_MORE_BLOCKS,
  READ_MORE_FLOWING, READ_MORE_DONE_CLEARS, ON_DATA_SETS, ON_DATA_PAUSED, RESUME_FLOWING,
  RESUME_LISTENING, RESUME_SCHEDULED_BIT, RESUME_CLEARS, RESUME_SETS, PAUSE_STATUS, PAUSE_CLEARS, PAUSE_SETS,
  MARK_PAUSED_CLEARS, MARK_PAUSED_SETS, ON_READABLE_QUIET, ON_READABLE_CALLS, ON_READABLE_SETS,
  ON_READABLE_CLEARS, ON_READABLE_READ0_BLOCKS,
  READ_AT_END_CLEARS, TRANSFORM_START_CLEARS, RESUME_STEP_STATUS, RESUME_EMIT_CLEARS, RESUME_TAIL_STATUS, RESUME_TAIL_READY,
} = require('./protocol').readable;
const { kWords, kW, kSlots, kS, kQueue, kQueueHead } = require('./symbols');
// Uint8Array's set(), taken once: called on a Buffer it copies faster than the Buffer's own
// lookup of it on Node 24 (see take).
const u8Set = Uint8Array.prototype.set;
/**
 * A Readable state's `objectMode`, `decoder` and `encoding`, read straight from these fields on
 * the push and read paths (no getter call); the public names are accessors, as Node's, whose
 * assignments tell the core (see the state's class).
 */
const kObjectMode = Symbol('sluice.objectMode');
const kDecoder = Symbol('sluice.decoder');
const kEncoding = Symbol('sluice.encoding');
const { attachReadable, readableCore } = require('./slab');

// Behaviour switches of the core (crates/sluice-core/src/readable.rs `sw`, the options word's low bits),
// fixed for the running Node.
const SWITCHES =
  (since.READ_MORE_WAITS_FOR_READ ? SW_READ_MORE_WAITS_FOR_READ : 0) |
  (since.EOF_READABLE_ON_DEMAND ? SW_EOF_READABLE_ON_DEMAND : 0) |
  (since.END_SCHEDULED_ONCE ? SW_END_ONCE : 0) |
  (since.READ_ONE_CHUNK ? SW_READ_ONE_CHUNK : 0) |
  (since.NO_PAUSE_RESUME_DESTROYED ? SW_NO_PAUSE_RESUME_DESTROYED : 0) |
  (since.FLOW_SYNC ? SW_FLOW_SYNC : 0);
const END_ONCE = Boolean(SWITCHES & SW_END_ONCE);
const EOF_ON_DEMAND = Boolean(SWITCHES & SW_EOF_READABLE_ON_DEMAND);
const NO_RESUME_DESTROYED = Boolean(SWITCHES & SW_NO_PAUSE_RESUME_DESTROYED);
const READ_ONE_CHUNK = Boolean(SWITCHES & SW_READ_ONE_CHUNK);
// What keeps the core from scheduling a read-more step (crates/sluice-core/src/readable.rs `maybe_read_more`):
// one already scheduled, construction pending, and (from 22) a pending _read.
const READ_MORE_BLOCKERS = READING_MORE | CONSTRUCTED | (since.READ_MORE_WAITS_FOR_READ ? READING : 0);
// Facade-side switches (the JS glue that Node changed).
const FLOW_SYNC = since.FLOW_SYNC;
const SET_ENCODING_FLUSHES_ENDED = since.SET_ENCODING_FLUSHES_ENDED;
const READ_N_STRING_EXACT = since.READ_N_STRING_EXACT;
// Only Node 26 exposes it; it writes a buffer to an idle node:stream Writable directly.
const writeKnownBuffer = FLOW_SYNC ? NodeStream.Writable.writeKnownBuffer : undefined;

/**
 * Per-stream state: the native handle, the typed-array view of the core's counters, the queued
 * chunk values (`b`, oldest at `bh`), the decoder, and pipe bookkeeping. Getters give Node's
 * `_readableState` field names.
 */
class ReadableState {
  constructor(options, stream, isDuplex, paired = undefined) {
    let objectMode = !!(options && options.objectMode);
    if (isDuplex) objectMode = objectMode || !!(options && options.readableObjectMode);
    const hwm = options
      ? getHighWaterMark(objectMode, options, 'readableHighWaterMark', isDuplex)
      : getDefaultHighWaterMark(objectMode);
    // Checked before the core is made (nothing to give back on a throw), after the mark as Node
    // checks them.
    const defaultEncoding = options ? options.defaultEncoding : undefined;
    if (defaultEncoding != null && !Buffer.isEncoding(defaultEncoding)) throw new ERR_UNKNOWN_ENCODING(defaultEncoding);
    let opts = 0;
    if (!options || options.emitClose !== false) opts |= EMIT_CLOSE;
    if (!options || options.autoDestroy !== false) opts |= AUTO_DESTROY;
    if (options && options.encoding) opts |= DECODER;
    // The core, its handle (an index) and the views of its shared block (lib/slab.js).
    attachReadable(this, objectMode, hwm, opts | SWITCHES, paired);
    this[kObjectMode] = objectMode;
    this[kQueue] = [];
    this[kQueueHead] = 0;
    this.pipes = [];
    this.awaitDrainWriters = null;
    this.multiAwaitDrain = false;
    this.defaultEncoding = defaultEncoding == null ? 'utf8' : defaultEncoding;
    this[kDecoder] = null;
    this[kEncoding] = null;
    if (options && options.encoding) {
      this[kDecoder] = new StringDecoder(options.encoding);
      this[kEncoding] = options.encoding;
    }
    this.erroredValue = null;
    this.readableFlag = undefined;
    // The flowing fast loop (FLOW_SYNC): the chunk parked outside `b`, and the only pipe
    // destination's handlers, which the loop calls without emitting 'data'. Node 26's own
    // `_readableState` fields of the same names; plain assignable fields on every version.
    this.fastChunk = null;
    this.pipeOnData = null;
    this.pipePause = null;
  }

  op(code, a, b) {
    return rOp(readableCore(this), code, a || 0, b || 0);
  }

  // Node's fields, readable and assignable (code in the wild assigns them); an assignment is
  // one call into the core, which decides what follows as Node does after it. The boolean
  // fields on the core's bits are defined below the class.
  get length() {
    return this[kSlots][this[kS] + S_LENGTH];
  }
  set length(v) {
    // Code that assigns `length` has usually changed the queue itself first (emptied it with
    // `buffer.length = 0`, shifted or pushed a chunk): the core's lengths of the queued chunks
    // follow the array again (Node 26 reads one chunk at a time by its first chunk's length).
    if (FLOW_SYNC) materializeFastChunk(this);
    this.op(OP_SET_COUNTER, RC_LENGTH, v);
    queueLengthsToCore(this);
  }
  get highWaterMark() {
    return this[kSlots][this[kS] + S_HWM];
  }
  set highWaterMark(v) {
    this.op(OP_SET_COUNTER, RC_HWM, v);
  }
  // Assignable, as Node's (byline sets it on a Transform it has made): the core's bit decides
  // how much a read takes, the field what a push counts.
  get objectMode() {
    return this[kObjectMode];
  }
  set objectMode(v) {
    this[kObjectMode] = !!v;
    this.op(OP_SET_FLAG, OBJECT_MODE, v ? 1 : 0);
  }
  // Assignable as Node's: a falsy value reads back as null, and a decoder given or taken away
  // tells the core (it decides how much a read takes by it).
  get decoder() {
    return this[kDecoder];
  }
  set decoder(v) {
    this[kDecoder] = v || null;
    this.op(OP_SET_FLAG, DECODER, v ? 1 : 0);
  }
  get encoding() {
    return this[kEncoding];
  }
  set encoding(v) {
    this[kEncoding] = v || null;
  }
  get flowing() {
    const fl = this[kWords][this[kW] + U_FLAGS];
    return fl & FLOWING ? true : fl & FLOWING_FALSE ? false : null;
  }
  set flowing(v) {
    // As Node: null or undefined undecided, any other value true or false by its truth.
    this.op(OP_SET_FLOWING, v == null ? 0 : v ? 1 : 2);
  }
  get errored() {
    return this.erroredValue;
  }
  set errored(v) {
    // As Node: a truthy value is the error; a falsy one clears the errored state.
    this.erroredValue = v || null;
    this.op(OP_SET_FLAG, ERRORED, v ? 1 : 0);
  }
  get readable() {
    return this.readableFlag;
  }
  set readable(v) {
    this.readableFlag = v;
  }
  get buffer() {
    return this[kQueue];
  }
  set buffer(v) {
    // A replaced queue: the core learns the new entries' lengths (Node keeps `length` as is).
    this[kQueue] = v || [];
    this[kQueueHead] = 0;
    queueLengthsToCore(this);
  }
  get bufferIndex() {
    return this[kQueueHead];
  }
  set bufferIndex(v) {
    this[kQueueHead] = v;
  }
  get pipesCount() {
    return this.pipes.length;
  }
  get paused() {
    return (this[kWords][this[kW] + U_FLAGS] & PAUSED) !== 0;
  }
  set paused(v) {
    // Node's `paused` also records that pause()/resume() has been decided (RESUMED: decided
    // and not paused).
    this.op(OP_SET_FLAG, PAUSED, v ? 1 : 0);
    this.op(OP_SET_FLAG, RESUMED, v ? 0 : 1);
  }

  /** `_undestroy()` (lib/destroy.js). */
  undestroy() {
    this.erroredValue = null;
    if (since.READABLE_STATE_PIPE_FAST_FIELDS) this.fastChunk = null;
    this.op(OP_UNDESTROY, this.readableFlag === false ? 1 : 0);
  }

  // The destroy protocol (lib/destroy.js).
  recordError(err) {
    if (this.op(OP_SET_ERRORED)) this.erroredValue = err;
  }
  markDestroyed() {
    // The mark's standing answer (protocol MARK_DESTROYED_SETS): no call.
    this[kWords][this[kW] + U_FLAGS] |= MARK_DESTROYED_SETS;
  }
  setDestroyed(v) {
    this.op(OP_SET_DESTROYED, v ? 1 : 0);
  }
  startConstruct() {
    this.op(OP_START_CONSTRUCT);
  }
  markClosed() {
    // The mark's standing answer (protocol MARK_CLOSED_SETS): no call.
    this[kWords][this[kW] + U_FLAGS] |= MARK_CLOSED_SETS;
  }
  markErrorEmitted() {
    return this.op(OP_ERROR_EMIT) !== 0;
  }
  markCloseEmitted() {
    // The close step's standing answer (protocol CLOSE_EMIT_SETS, CLOSE_EMIT_ANSWER): no call.
    const words = this[kWords];
    const at = this[kW] + U_FLAGS;
    const fl = words[at];
    words[at] = fl | CLOSE_EMIT_SETS;
    return (fl & CLOSE_EMIT_ANSWER) !== 0;
  }
  markConstructed() {
    this.op(OP_CONSTRUCTED);
  }
  /** `readable: false` on a Duplex. */
  disable() {
    this.readableFlag = false;
    this.op(OP_DISABLE);
  }
  /** A Transform's readable side starts outside any `_read` call. */
  clearSync() {
    this[kWords][this[kW] + U_FLAGS] &= ~TRANSFORM_START_CLEARS;
  }
}

// Node's boolean state fields on the core's bits: read from the shared flags, assigned with one
// core call.
for (const [name, bit] of [
  ['ended', ENDED],
  ['endEmitted', END_EMITTED],
  ['reading', READING],
  ['constructed', CONSTRUCTED],
  ['sync', SYNC],
  ['needReadable', NEED_READABLE],
  ['emittedReadable', EMITTED_READABLE],
  ['readableListening', READABLE_LISTENING],
  ['resumeScheduled', RESUME_SCHEDULED],
  ['errorEmitted', ERROR_EMITTED],
  ['emitClose', EMIT_CLOSE],
  ['autoDestroy', AUTO_DESTROY],
  ['destroyed', DESTROYED],
  ['closed', CLOSED],
  ['closeEmitted', CLOSE_EMITTED],
  ['readingMore', READING_MORE],
  ['dataEmitted', DATA_EMITTED],
]) {
  Object.defineProperty(ReadableState.prototype, name, {
    get() {
      return (this[kWords][this[kW] + U_FLAGS] & bit) !== 0;
    },
    set(v) {
      this.op(OP_SET_FLAG, bit, v ? 1 : 0);
    },
    enumerable: false,
    configurable: true,
  });
}

// Node's private bitfield over the same bits (lib/destroy.js).
destroyImpl.defineNodeStateBits(
  ReadableState.prototype,
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
  0,
  (state, bit, on) => state.op(OP_SET_FLAG, bit, on ? 1 : 0),
);

/** Gives the core the lengths of the queue's chunks as the array holds them (it starts over). */
function queueLengthsToCore(state) {
  state.op(OP_QUEUE_RESET);
  const q = state[kQueue];
  for (let i = state[kQueueHead]; i < q.length; i++) {
    const c = q[i];
    if (c != null) state.op(OP_QUEUE_PUSH, state[kObjectMode] ? 1 : c.length ?? 0);
  }
}

/** A drop-in for Node's `stream.Readable`, callable with or without `new`. */
function Readable(options) {
  // `new Readable()` itself makes no Duplex (no prototype walk).
  const isDuplex = new.target !== Readable && this instanceof NodeStream.Duplex;
  if (!isDuplex && new.target === undefined && !Function.prototype[Symbol.hasInstance].call(Readable, this)) return new Readable(options);

  this._events ??= {
    close: undefined,
    error: undefined,
    data: undefined,
    end: undefined,
    readable: undefined,
  };

  this._readableState = new ReadableState(options, this, isDuplex);

  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal && !isDuplex) NodeStream.addAbortSignal(options.signal, this);
  }

  NodeStream.Stream.call(this, options);

  if (typeof this._construct === 'function') {
    const state = this._readableState;
    state.op(OP_START_CONSTRUCT);
    construct(this, () => maybeReadMore(this, state));
  }
}

Object.setPrototypeOf(Readable.prototype, NodeStream.Readable.prototype);
Object.setPrototypeOf(Readable, NodeStream.Readable);

defineHasInstance(Readable, NodeStream.Readable, (object) => object._readableState instanceof ReadableState);

Readable.ReadableState = ReadableState;

function maybeReadMore(stream, state) {
  if (state.op(OP_MAYBE_READ_MORE)) process.nextTick(maybeReadMore_, stream, state);
}

Readable.prototype.push = function push(chunk, encoding) {
  const state = this._readableState;
  const words = state[kWords];
  const wAt = state[kW];
  // The hot case first: a Buffer pushed inside `_read`'s sync part, byte mode, the buffered
  // push's standing answer with no 'readable' wanted and the read-more step scheduled (the
  // flowing and pumping loops). Everything else below.
  if (
    (words[wAt + U_FLAGS] & (PUSH_BUFFER_BLOCKS | SYNC | NEED_READABLE | READING_MORE)) === (SYNC | READING_MORE) &&
    encoding === undefined &&
    chunk instanceof Buffer &&
    state[kDecoder] === null &&
    !state[kObjectMode]
  ) {
    // (queueBack's work written out: a call here costs the flowing loop ~10% per chunk)
    const len = chunk.length;
    const f = state[kSlots];
    const sAt = state[kS];
    const k = f[sAt + S_FAST_RUNS];
    const last = sAt + k - 1;
    if (len > 0 && (k !== 0 && f[last + S_FAST_LENS] === len ? ++f[last + S_FAST_COUNTS] : k < MAILBOX_RUN_CAP && newRun(f, sAt, k, len))) {
      words[wAt + U_FLAGS] &= ~READING;
      state[kQueue].push(chunk);
      const length = f[sAt + S_LENGTH] + len;
      f[sAt + S_LENGTH] = length;
      if (length < f[sAt + S_HWM]) return true;
      f[sAt + S_PUSH_FALSE] += 1;
      return false;
    }
  }
  return pushGeneral(this, state, words, wAt, chunk, encoding);
};

const readablePush = Readable.prototype.push;

// A new run of the push mailbox, of pushes of `len` units (there is room for it): true.
function newRun(f, sAt, k, len) {
  f[sAt + S_FAST_LENS + k] = len;
  f[sAt + S_FAST_COUNTS + k] = 1;
  f[sAt + S_FAST_RUNS] = k + 1;
  return true;
}

// push() past its hot case (kept out of push() so that push() is small enough to be inlined
// into a `_read` loop: its bytecode was 1.2 KB, past V8's inlining limit).
function pushGeneral(stream, state, words, wAt, chunk, encoding) {
  let fromString = false;
  if (typeof chunk === 'string' && state[kDecoder] === null && !state[kObjectMode]) {
    // A string for a byte-mode queue becomes its bytes here, as readableAddChunk would make
    // it, so that it can take the standing answers below.
    const enc = encoding || state.defaultEncoding;
    if (state[kEncoding] !== enc) {
      chunk = Buffer.from(chunk, enc);
      encoding = undefined;
      fromString = true;
    }
  }
  const fl = words[wAt + U_FLAGS];
  if (chunk === null && state[kDecoder] === null && (fl & FAST_PUSH) === 0) return pushEnd(stream, state);
  if (encoding === undefined && state[kDecoder] === null) {
    let len = -1;
    if (state[kObjectMode]) {
      if (chunk !== null) len = 1;
    } else if (chunk instanceof Buffer && chunk.length > 0) {
      len = chunk.length;
    }
    const f = state[kSlots];
    const sAt = state[kS];
    if (len > 0 && (fl & PUSH_BUFFER_BLOCKS) === 0) {
      const k = f[sAt + S_FAST_RUNS];
      if ((fl & (SYNC | FLOWING)) !== FLOWING || f[sAt + S_LENGTH] !== 0 || !hasDataListeners(stream)) {
        // The core's standing answer (PUSH_BUFFER_BLOCKS): not emitted now, so queued at the
        // back; the read ends, the read-more step is scheduled unless it is, and push()
        // answers length < highWaterMark; no call into native code. The length waits in the
        // mailbox.
        if (k < MAILBOX_RUN_CAP || f[sAt + S_FAST_LENS + k - 1] === len) {
          let next = fl & ~READING;
          if (next & NEED_READABLE) {
            // A 'readable' was wanted: its step is scheduled (unless it is), before the
            // read-more step.
            next &= ~NEED_READABLE;
            if ((next & EMITTED_READABLE) === 0) {
              next |= EMITTED_READABLE;
              process.nextTick(emitReadable_, stream);
            }
          }
          if ((next & READ_MORE_TICK_STATUS) === READ_MORE_TICK_READY) {
            next |= READING_MORE;
            process.nextTick(maybeReadMore_, stream, state);
          }
          words[wAt + U_FLAGS] = next;
          return queueBack(state, chunk, len, k);
        }
      } else {
        // (of FAST_EMIT_STATUS exactly FAST_EMIT_READY is set: no PUSH_BUFFER_BLOCKS)
        return fastEmit(stream, state, chunk, len);
      }
    } else if (len > 0 && (fl & FAST_EMIT_STATUS) === FAST_EMIT_READY && f[sAt + S_LENGTH] === 0 && hasDataListeners(stream)) {
      return fastEmit(stream, state, chunk, len);
    }
  }
  if (FLOW_SYNC) {
    if (words[wAt + U_FLAGS] & FAST_PUSH) {
      // Inside the fast loop's _read: the first non-empty buffer is parked; anything else
      // puts a parked chunk back first and is pushed as usual.
      // (Not a string's bytes: Node 26 queues a pushed string where it hands a Buffer over.)
      if (encoding == null && !fromString && state.fastChunk === null && chunk instanceof Buffer && chunk.length > 0) {
        state.fastChunk = chunk;
        return state.op(OP_FAST_PARK, chunk.length) !== 0;
      }
      if (state.op(OP_FAST_UNPARK)) {
        const first = state.fastChunk;
        state.fastChunk = null;
        readableAddChunk(stream, first, undefined, false);
      }
    }
  }
  return readableAddChunk(stream, chunk, encoding, false);
}

Readable.prototype.unshift = function unshift(chunk, encoding) {
  return readableAddChunk(this, chunk, encoding, true);
};

// The buffered push's standing answer (protocol PUSH_BUFFER_BLOCKS), its flags set by the
// caller: `chunk` (`len` units) queued at the back, its length in the mailbox (one more of the
// last of its `k` runs, or a new run, which the caller made sure there is room for), counted;
// push()'s answer.
function queueBack(state, chunk, len, k) {
  const f = state[kSlots];
  const sAt = state[kS];
  if (k !== 0 && f[sAt + S_FAST_LENS + k - 1] === len) f[sAt + S_FAST_COUNTS + k - 1] += 1;
  else newRun(f, sAt, k, len);
  state[kQueue].push(chunk);
  const length = f[sAt + S_LENGTH] + len;
  f[sAt + S_LENGTH] = length;
  if (length < f[sAt + S_HWM]) return true;
  f[sAt + S_PUSH_FALSE] += 1;
  return false;
}

// push(null), the end's standing answer (protocol EOF_QUIET_BLOCKS): no call.
function pushEnd(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const fl = words[wAt + U_FLAGS];
  let next = fl & ~READING;
  if ((fl & ENDED) === 0) {
    next |= ENDED;
    if (next & SYNC) {
      if (EOF_ON_DEMAND && (next & EOF_QUIET_BLOCKS) === 0 && stream.listenerCount('readable') === 0) {
        words[wAt + U_FLAGS] = next | EOF_READABLE_PENDING;
      } else {
        next &= ~NEED_READABLE;
        const tick = (next & EMITTED_READABLE) === 0;
        words[wAt + U_FLAGS] = next | EMITTED_READABLE;
        if (tick) process.nextTick(emitReadable_, stream);
      }
    } else {
      words[wAt + U_FLAGS] = (next & ~NEED_READABLE) | EMITTED_READABLE;
      emitReadable_(stream);
    }
  } else {
    words[wAt + U_FLAGS] = next;
  }
  return false;
}

// The core's standing answer FAST_EMIT_READY: `chunk` (`len` units) emitted as 'data' now; no
// call.
function fastEmit(stream, state, chunk, len) {
  const f = state[kSlots];
  const sAt = state[kS];
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  words[at] = (words[at] & ~READING) | DATA_EMITTED;
  f[sAt + S_PUSHES] += 1;
  f[sAt + S_BYTES] += len;
  emitPushed(stream, state, chunk);
  return retOf(state);
}

// A pushed chunk emitted as 'data' now, and the read-more step after it.
function emitPushed(stream, state, chunk) {
  releaseAwaitDrain(state);
  stream.emit('data', chunk);
  // Decided after the handlers ran, as Node does (a handler's read() may block it), by the
  // core's standing answer (READ_MORE_AFTER_DATA_SETS): no call.
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  if ((words[at] & READ_MORE_BLOCKERS) === CONSTRUCTED) {
    words[at] |= READ_MORE_AFTER_DATA_SETS;
    process.nextTick(maybeReadMore_, stream, state);
  }
}

/**
 * What a Transform's callback gives, pushed on (as `stream.push(chunk)`, `chunk` not null nor
 * undefined): while flowing with nothing buffered, the standing answer FAST_EMIT_READY carried
 * out without going through push()'s checks for the `_read` loop; else push() itself, or the
 * stream's own push() where a subclass has one.
 */
function pushOnward(stream, chunk) {
  if (stream.push === readablePush) {
    const state = stream._readableState;
    // (the decoder looked at as well as its bit: a setEncoding() that threw while re-encoding
    // the buffer leaves a decoder the core was not told of)
    if ((state[kWords][state[kW] + U_FLAGS] & FAST_EMIT_STATUS) === FAST_EMIT_READY && state[kSlots][state[kS] + S_LENGTH] === 0 && state[kDecoder] === null) {
      if (state[kObjectMode]) {
        if (hasDataListeners(stream)) return fastEmit(stream, state, chunk, 1);
      } else if (chunk instanceof Buffer) {
        if (chunk.length > 0 && hasDataListeners(stream)) return fastEmit(stream, state, chunk, chunk.length);
      } else if (typeof chunk === 'string' && chunk.length > 0 && state[kEncoding] !== state.defaultEncoding && hasDataListeners(stream)) {
        // A string becomes its bytes, as push() makes them (a Transform giving text).
        const bytes = Buffer.from(chunk, state.defaultEncoding);
        if (bytes.length > 0) return fastEmit(stream, state, bytes, bytes.length);
      }
    }
  }
  return stream.push(chunk);
}

// Data went out: the pipe destinations waiting for a 'drain' before more is read are let go,
// as Node lets them go whenever a chunk is handed on.
function releaseAwaitDrain(state) {
  if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
  else state.awaitDrainWriters = null;
}

function retOf(state) {
  const len = state[kSlots][state[kS] + S_LENGTH];
  return (state[kWords][state[kW] + U_FLAGS] & ENDED) === 0 && (len < state[kSlots][state[kS] + S_HWM] || len === 0);
}

function readableAddChunk(stream, chunk, encoding, addToFront) {
  const state = stream._readableState;
  if (!state[kObjectMode]) {
    if (typeof chunk === 'string') {
      encoding = encoding || state.defaultEncoding;
      if (state[kEncoding] !== encoding) {
        if (addToFront && state[kEncoding]) {
          chunk = Buffer.from(chunk, encoding).toString(state[kEncoding]);
        } else {
          chunk = Buffer.from(chunk, encoding);
          encoding = '';
        }
      }
    } else if (chunk instanceof Buffer) {
      encoding = '';
    } else if (isArrayBufferView(chunk)) {
      chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      encoding = '';
    } else if (chunk != null) {
      errorOrDestroy(stream, new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk));
      return false;
    }
  }

  let kind;
  let len;
  if (chunk === null) {
    kind = K_EOF;
    len = 0;
    if (state[kDecoder] && (state[kWords][state[kW] + U_FLAGS] & ENDED) === 0) {
      // The decoder's tail (a dangling partial character) joins the queue before the end.
      const tail = state[kDecoder].end();
      if (tail && tail.length) {
        state[kQueue].push(tail);
        state.op(OP_PUSH_TAIL, state[kObjectMode] ? 1 : tail.length);
      }
    }
  } else if (state[kObjectMode] || (chunk && chunk.length > 0)) {
    kind = K_DATA;
    if (!addToFront && state[kDecoder] && !encoding && (state[kWords][state[kW] + U_FLAGS] & PUSH_REFUSED) === 0) {
      try {
        chunk = state[kDecoder].write(chunk);
      } catch (err) {
        // Node counts the read as over before decoding (class 4): a later read() calls _read.
        state.op(OP_PUSH_THREW);
        throw err;
      }
      if (!state[kObjectMode] && chunk.length === 0) {
        afterPush(stream, state, state.op(OP_PUSH_SWALLOWED), chunk);
        return retOf(state);
      }
    }
    len = state[kObjectMode] ? 1 : chunk.length;
  } else {
    kind = K_EMPTY;
    len = 0;
  }

  let listeners = stream.listenerCount('data') > 0 ? ARG_LISTENS_DATA : 0;
  if (kind === K_EOF && stream.listenerCount('readable') > 0) listeners |= ARG_LISTENS_READABLE;
  rPush(readableCore(state), len * ARG_PUSH_LEN + kind * ARG_PUSH_KIND + (addToFront ? ARG_PUSH_FRONT : 0), listeners);
  const code = state[kWords][state[kW] + U_RET];
  afterPush(stream, state, code, chunk);
  // Node answers after the 'data' handlers ran (they may have pushed or ended the stream).
  return code & P_RAN_USER_CODE ? retOf(state) : (code & P_RET_TRUE) !== 0;
}

function afterPush(stream, state, code, chunk) {
  if (code & P_ERR_AFTER_EOF) errorOrDestroy(stream, new ERR_STREAM_PUSH_AFTER_EOF());
  else if (code & P_ERR_UNSHIFT_AFTER_END) errorOrDestroy(stream, new ERR_STREAM_UNSHIFT_AFTER_END_EVENT());
  if (code & P_EMIT_DATA) {
    emitPushed(stream, state, chunk);
  } else if (code & P_BUFFER_BACK) {
    state[kQueue].push(chunk);
  } else if (code & P_BUFFER_FRONT) {
    if (state[kQueueHead] > 0) state[kQueue][--state[kQueueHead]] = chunk;
    else state[kQueue].unshift(chunk);
  }
  if (code & P_TICK_READABLE) process.nextTick(emitReadable_, stream);
  if (code & P_NOW_READABLE) emitReadable_(stream);
  if (code & P_TICK_READ_MORE) process.nextTick(maybeReadMore_, stream, state);
}

// Takes what the core decided from the chunk queue.
function take(state, how) {
  const b = state[kQueue];
  // With an encoding set, byte-mode reads give strings, even of a Buffer that was unshifted
  // raw (Node joins the queue as strings).
  const strings = state[kDecoder] !== null && !state[kObjectMode];
  if (how === R_TAKE_FIRST) {
    // Exactly the first chunk: handed over as it is (as Node's shift()).
    const c = b[state[kQueueHead]];
    b[state[kQueueHead]++] = null;
    compactQueue(state);
    return c;
  }
  if (how === R_TAKE_ALL) {
    const head = state[kQueueHead];
    if (!strings && b.length - head === 1) {
      const c = b[head];
      emptyQueue(state);
      return c;
    }
    if (strings) {
      const parts = b.slice(head);
      emptyQueue(state);
      return parts.join('');
    }
    // As Node copies: into a buffer of the length counted (more bytes than counted throw
    // its RangeError from the copy). Straight from the list, which is then emptied (no copy
    // of the list: this is every paused read() and every `for await` step).
    // (Uint8Array's own set(), called on the buffer: 64 B chunks, 20–25 ns a chunk on Node 20,
    // 24 and 26, where Buffer.concat takes 27–35 on Node 24 and `all.set()` 21–30)
    const n = state[kSlots][state[kS] + S_N];
    const all = Buffer.allocUnsafe(n);
    let at = 0;
    try {
      for (let i = head; i < b.length; i++) {
        const c = b[i];
        u8Set.call(all, c, at);
        at += c.length;
      }
    } finally {
      emptyQueue(state);
    }
    return all;
  }
  // R_TAKE_N: n units from the front, splitting a chunk when needed.
  let n = state[kSlots][state[kS] + S_N];
  const first = b[state[kQueueHead]];
  if (n < first.length) {
    b[state[kQueueHead]] = first.slice(n);
    return first.slice(0, n);
  }
  let out;
  if (strings || typeof first === 'string') {
    out = '';
    while (n > 0 && state[kQueueHead] < b.length) {
      // A Buffer unshifted raw counts (and is cut) in bytes, and joins as its UTF-8 text, as
      // in Node.
      const c = b[state[kQueueHead]];
      if (c.length < n) {
        out += c;
        n -= c.length;
        b[state[kQueueHead]++] = null;
        continue;
      }
      // The chunk the take ends in. Node 20 compared n with the list's slot count instead of
      // the chunk's length: equal, it took the whole chunk (the length counts only n); else it
      // split even at the chunk's end, leaving an empty string queued.
      if (READ_N_STRING_EXACT ? c.length === n : n === b.length) {
        out += c;
        b[state[kQueueHead]++] = null;
        if (!READ_N_STRING_EXACT && c.length !== n) state.op(OP_TAKE_FIXUP, 1);
      } else {
        out += c.slice(0, n);
        b[state[kQueueHead]] = c.slice(n);
        if (!READ_N_STRING_EXACT && c.length === n) state.op(OP_TAKE_FIXUP, 2);
      }
      n = 0;
    }
  } else {
    out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n && state[kQueueHead] < b.length) {
      const c = b[state[kQueueHead]];
      const want = n - off;
      if (c.length <= want) {
        u8Set.call(out, c, off);
        off += c.length;
        b[state[kQueueHead]++] = null;
      } else {
        u8Set.call(out, c.subarray(0, want), off);
        b[state[kQueueHead]] = c.slice(want);
        off = n;
      }
    }
  }
  compactQueue(state);
  return out;
}

/** Empties the chunk list in place, as Node empties it (the same array stays `buffer`). */
function emptyQueue(state) {
  const q = state[kQueue];
  // (a chunk at a time, the common case of a flowing stream: pop() is inlined, setting the
  // length is a call)
  if (q.length === 1) q.pop();
  else q.length = 0;
  state[kQueueHead] = 0;
}

// The list is compacted as Node's is (its slot count shows through Node 20's string take):
// emptied once everything was taken, its consumed head spliced off past 1024 slots. Emptied in
// place, as Node empties it: `_readableState.buffer` stays the same array (and no new one is
// made per chunk a flowing stream hands on).
function compactQueue(state) {
  if (state[kQueueHead] === state[kQueue].length) {
    emptyQueue(state);
  } else if (state[kQueueHead] > 1024) {
    state[kQueue].splice(0, state[kQueueHead]);
    state[kQueueHead] = 0;
  }
}

Readable.prototype.read = function read(n) {
  const state = this._readableState;
  const words = state[kWords];
  const wAt = state[kW];
  // The flowing loop's read, first (kept small enough to be inlined into it): on the core's
  // standing answer for read() (FAST_READ_READY; not ended, no parked chunk), the first chunk's
  // units, when what stays after it is under the mark: `_read` is called first, its state
  // change (reading, in the sync part, counted) carried out here; no call.
  if (n === undefined && (words[wAt + U_FLAGS] & FAST_READ_STATUS) === FAST_READ_READY && state[kQueueHead] < state[kQueue].length) {
    const f = state[kSlots];
    const sAt = state[kS];
    const first = state[kObjectMode] ? 1 : state[kQueue][state[kQueueHead]].length;
    if (f[sAt + S_LENGTH] - first < f[sAt + S_HWM]) {
      words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~(EMITTED_READABLE | EOF_READABLE_PENDING)) | READING | SYNC;
      f[sAt + S_READ_CALLS] += 1;
      f[sAt + S_N] = first;
      const calls = f[sAt + S_CALLS];
      try {
        this._read(f[sAt + S_HWM]);
      } catch (error) {
        errorOrDestroy(this, error);
      }
      if (f[sAt + S_CALLS] === calls && state[kQueueHead] < state[kQueue].length && (words[wAt + U_FLAGS] & FAST_TAKE_STATUS) === FAST_TAKE_READY) {
        return fastTake(this, state);
      }
      return readAfterRead(this, state, ARG_READ_NO_SIZE, first, calls);
    }
  }
  return readGeneral(this, n);
};

function readGeneral(stream, n) {
  const state = stream._readableState;
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  // A read() nested in the fast loop's 'data' sees the parked chunk.
  if (FLOW_SYNC && words[wAt + U_FLAGS] & FAST_CHUNK) materializeFastChunk(state);
  // The core's standing answer for read() and read(0) at the end (protocol READ_AT_END_CLEARS):
  // null, the end step scheduled unless 'end' is out (once from Node 24); no call.
  if ((n === undefined || n === 0) && (words[wAt + U_FLAGS] & ENDED) !== 0 && f[sAt + S_LENGTH] === 0) {
    if (n !== 0) words[wAt + U_FLAGS] &= ~READ_AT_END_CLEARS;
    const tick = endStepOwed(words, wAt + U_FLAGS);
    // Counted as a call: a read() nested in `_read` is one to the code that called it.
    f[sAt + S_CALLS] += 1;
    if (tick) process.nextTick(endReadableNT, state, stream);
    return null;
  }
  // The core's standing answer for read() once the stream ended (FAST_READ_END_READY): the
  // first chunk, whole; the end step scheduled when nothing stays. No call.
  // (From Node 26, where a read takes one chunk, paused too: FAST_READ_END_PAUSED_READY.)
  const endStatus = words[wAt + U_FLAGS] & FAST_READ_END_STATUS;
  if (
    n === undefined &&
    (endStatus === FAST_READ_END_READY || (READ_ONE_CHUNK && endStatus === FAST_READ_END_PAUSED_READY)) &&
    state[kQueueHead] < state[kQueue].length
  ) {
    const c = readAtEnd(stream, state);
    if (c !== NOT_TAKEN) return c;
  }
  // The core's standing answer for a paused read() (PAUSED_READ_READY): `_read`, then all of it
  // (from Node 26: the first chunk; in object mode, on every version, the first item).
  if (
    n === undefined &&
    f[sAt + S_LENGTH] > 0 &&
    state[kQueueHead] < state[kQueue].length &&
    (state[kObjectMode]
      ? (words[wAt + U_FLAGS] & PAUSED_READ_OBJ_STATUS) === PAUSED_READ_READY
      : READ_ONE_CHUNK && (words[wAt + U_FLAGS] & PAUSED_READ_STATUS) === PAUSED_READ_READY)
  ) {
    return pausedReadOne(stream, state);
  }
  // In object mode with nothing buffered (every for await step over an object stream whose
  // `_read` pushes as it is asked): `_read` first, then the first item.
  if (
    n === undefined &&
    state[kObjectMode] &&
    f[sAt + S_LENGTH] === 0 &&
    state[kQueueHead] === state[kQueue].length &&
    (words[wAt + U_FLAGS] & PAUSED_READ_OBJ_STATUS) === PAUSED_READ_READY
  ) {
    return pausedReadObjectOfNothing(stream, state);
  }
  if (
    n === undefined &&
    !READ_ONE_CHUNK &&
    (words[wAt + U_FLAGS] & PAUSED_READ_STATUS) === PAUSED_READ_READY &&
    (f[sAt + S_LENGTH] === 0 ? state[kQueueHead] === state[kQueue].length : f[sAt + S_HWM] > 0 && state[kQueueHead] < state[kQueue].length)
  ) {
    return pausedRead(stream, state);
  }
  // On the core's standing answer for read() (FAST_READ_READY), the first chunk's units: what
  // a flowing read() takes; -1 when the answer does not apply.
  let first = -1;
  if (n === undefined && (words[wAt + U_FLAGS] & FAST_READ_STATUS) === FAST_READ_READY && state[kQueueHead] < state[kQueue].length) {
    first = state[kObjectMode] ? 1 : state[kQueue][state[kQueueHead]].length;
    // Only the case where what stays is under the mark, so that `_read` is called first.
    if (f[sAt + S_LENGTH] - first >= f[sAt + S_HWM]) first = -1;
  }
  let arg;
  let code;
  if (n === 0 && (words[wAt + U_FLAGS] & ENDED) === 0) {
    // The core's standing answer for read(0) (protocol READ_ZERO_*): no call.
    if (!readZero(stream, state)) return null;
    arg = 0;
    code = R_CALL_READ;
  } else if (first !== -1) {
    // Its state change (reading, in the sync part, counted) is carried out here; no call.
    arg = ARG_READ_NO_SIZE;
    words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~(EMITTED_READABLE | EOF_READABLE_PENDING)) | READING | SYNC;
    f[sAt + S_READ_CALLS] += 1;
    f[sAt + S_N] = first;
    code = R_CALL_READ;
  } else {
    if (n === undefined) n = NaN;
    else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
    // The core's encoding of n: -1 for NaN (no amount), -2 for any negative amount.
    arg = n !== n ? ARG_READ_NO_SIZE : n < 0 ? ARG_READ_NEGATIVE : n;
    rRead(readableCore(state), arg);
    code = words[wAt + U_RET];
    if (code & R_ERR_RANGE) throw new ERR_OUT_OF_RANGE('size', '<= 1GiB', n);
  }
  if (code & R_CALL_READ) {
    // What this read decided to take before `_read` (a read() nested in `_read` decides its own).
    const pending = f[sAt + S_N];
    const calls = f[sAt + S_CALLS];
    try {
      stream._read(f[sAt + S_HWM]);
    } catch (error) {
      errorOrDestroy(stream, error);
    }
    return readAfterRead(stream, state, arg, pending, calls);
  }
  return readFinish(stream, state, code);
}

// A paused read() on its standing answer (PAUSED_READ_READY): `_read` is called, its state
// change carried out here; after it, unless `_read` called into the core or ended the stream,
// everything is taken and emitted, the chunks counted in the mailbox; no call.
function pausedRead(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  const pending = f[sAt + S_LENGTH];
  const fl = words[wAt + U_FLAGS] & ~(EMITTED_READABLE | EOF_READABLE_PENDING);
  if (!readOnAnswer(stream, state, fl | READING | SYNC | (pending === 0 ? NEED_READABLE : 0), pending)) {
    return readAfterRead(stream, state, ARG_READ_NO_SIZE, pending, -1);
  }
  const length = f[sAt + S_LENGTH];
  if (length === 0) {
    // `_read` pushed nothing (yet): null, a 'readable' still wanted (set before `_read`).
    words[wAt + U_FLAGS] &= ~SYNC;
    return null;
  }
  if (length > f[sAt + S_PEAK]) f[sAt + S_PEAK] = length;
  words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~SYNC) | PAUSED_READ_TAKE_SETS;
  f[sAt + S_FAST_TAKES] += state[kQueue].length - state[kQueueHead];
  f[sAt + S_N] = length;
  f[sAt + S_LENGTH] = 0;
  const ret = take(state, R_TAKE_ALL);
  releaseAwaitDrain(state);
  stream.emit('data', ret);
  return ret;
}

// A paused read() on its standing answer where a read takes one chunk (PAUSED_READ_READY with
// READ_ONE_CHUNK; in object mode PAUSED_READ_OBJ_STATUS, on every version): `_read` first when
// a 'readable' is wanted or what stays after the first chunk is under the mark; then the first
// chunk, as the flowing read's end takes it.
function pausedReadOne(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  const first = state[kObjectMode] ? 1 : state[kQueue][state[kQueueHead]].length;
  const fl = words[wAt + U_FLAGS] & ~(EMITTED_READABLE | EOF_READABLE_PENDING);
  if ((fl & NEED_READABLE) === 0 && f[sAt + S_LENGTH] - first >= f[sAt + S_HWM]) {
    words[wAt + U_FLAGS] = fl;
    return fastTake(stream, state);
  }
  if (!readOnAnswer(stream, state, fl | READING | SYNC, first)) {
    return readAfterRead(stream, state, ARG_READ_NO_SIZE, first, -1);
  }
  return fastTake(stream, state);
}

// A paused object-mode read() of an empty stream on its standing answer (PAUSED_READ_OBJ_STATUS):
// `_read` (a 'readable' wanted, as nothing is buffered); after it, unless `_read` called into
// the core or ended the stream, the first item taken as the flowing read's end takes it, or
// null with a 'readable' still wanted when nothing came. No call.
function pausedReadObjectOfNothing(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const fl = words[wAt + U_FLAGS] & ~(EMITTED_READABLE | EOF_READABLE_PENDING);
  if (!readOnAnswer(stream, state, fl | READING | SYNC | NEED_READABLE, 1)) {
    return readAfterRead(stream, state, ARG_READ_NO_SIZE, 1, -1);
  }
  if (state[kQueueHead] === state[kQueue].length) {
    words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~SYNC) | NEED_READABLE;
    return null;
  }
  return fastTake(stream, state);
}

// `_read` called on a paused read's standing answer: the state change (the flags `fl`: reading,
// in the sync part), `n` what the read means to take, one more read call. True when its end's
// answer still holds after it: no call into the core, not ended, still in the sync part. (A
// read() nested in `_read` either calls into the core or ends its own sync part; then the core
// decides, as it must for what the nested read took. Calls -1 to readAfterRead: no flowing
// take to look for.)
function readOnAnswer(stream, state, fl, n) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  words[wAt + U_FLAGS] = fl;
  f[sAt + S_READ_CALLS] += 1;
  f[sAt + S_N] = n;
  const calls = f[sAt + S_CALLS];
  try {
    stream._read(f[sAt + S_HWM]);
  } catch (error) {
    errorOrDestroy(stream, error);
  }
  return f[sAt + S_CALLS] === calls && (words[wAt + U_FLAGS] & (ENDED | SYNC)) === SYNC;
}

// The end of a read that called `_read`: the standing answers for its end, else the core's.
function readAfterRead(stream, state, arg, pending, calls) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  if (
    f[sAt + S_CALLS] === calls &&
    state[kQueueHead] < state[kQueue].length &&
    arg === ARG_READ_NO_SIZE &&
    (words[wAt + U_FLAGS] & FAST_TAKE_STATUS) === FAST_TAKE_READY
  ) {
    return fastTake(stream, state);
  }
  if (arg === 0) {
    // The end of a read(0), its standing answer (protocol READ_ZERO_*): nothing taken (also
    // once `_read` ended the stream: no end step, the read took the nothing it asked for).
    const fl = words[wAt + U_FLAGS] & ~SYNC;
    words[wAt + U_FLAGS] = f[sAt + S_LENGTH] <= f[sAt + S_HWM] ? fl | NEED_READABLE : fl;
    return null;
  }
  if (arg === ARG_READ_NO_SIZE && (words[wAt + U_FLAGS] & ENDED) !== 0 && f[sAt + S_LENGTH] === 0) {
    // The end of a read once ended with nothing buffered, its standing answer (protocol
    // READ_ENDED_SETS): nothing taken, the end step scheduled as read() at the end does.
    words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~SYNC) | READ_ENDED_SETS;
    if (endStepOwed(words, wAt + U_FLAGS)) process.nextTick(endReadableNT, state, stream);
    return null;
  }
  return readFinish(stream, state, state.op(OP_READ_AFTER, arg, pending));
}

// The core's standing answer for the end of a read (FAST_TAKE_READY): `_read` only pushed on
// the push answer, so the first chunk is taken whole and emitted; no call.
function fastTake(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~SYNC) | DATA_EMITTED;
  const q = state[kQueue];
  const c = q[state[kQueueHead]];
  q[state[kQueueHead]++] = null;
  compactQueue(state);
  const m = state[kObjectMode] ? 1 : c.length;
  // (the peak is noted where the length falls, not at every push: see core `fold`)
  const length = f[sAt + S_LENGTH];
  if (length > f[sAt + S_PEAK]) f[sAt + S_PEAK] = length;
  f[sAt + S_LENGTH] = length - m;
  let endTick = false;
  if (f[sAt + S_LENGTH] === 0) {
    // Nothing stays: a 'readable' wanted, or (ended during this `_read`) the end step.
    if ((words[wAt + U_FLAGS] & ENDED) === 0) words[wAt + U_FLAGS] |= FAST_TAKE_EMPTIED_SETS;
    else endTick = endStepOwed(words, wAt + U_FLAGS);
  }
  f[sAt + S_N] = m;
  f[sAt + S_FAST_TAKES] += 1;
  releaseAwaitDrain(state);
  if (endTick) process.nextTick(endReadableNT, state, stream);
  stream.emit('data', c);
  return c;
}

// The last part of a read: what the core answered (`code`) carried out.
function readFinish(stream, state, code) {
  const f = state[kSlots];
  const sAt = state[kS];
  // Node 26's copy into a buffer of `readableLength` bytes, after its fast loop undercounted.
  if (code === R_ERR_OVERFLOW) throw new RangeError('offset is out of bounds');
  // Node's allocation of a negative `readableLength` bytes throws (its own error, from Buffer).
  if (code === R_ERR_NEGATIVE_LENGTH) Buffer.allocUnsafe(f[sAt + S_LENGTH]);
  // Node 20's read of the first chunk's length after its string take miscounted.
  if (code === R_ERR_NO_CHUNK) throw new TypeError("Cannot read properties of undefined (reading 'length')");
  let ret = null;
  const how = code & R_TAKE_MASK;
  if (how !== 0) {
    ret = take(state, how);
    releaseAwaitDrain(state);
  }
  if (code & R_TICK_END) process.nextTick(endReadableNT, state, stream);
  if (code & R_TICK_READABLE) process.nextTick(emitReadable_, stream);
  if (code & R_EMIT_DATA) stream.emit('data', ret);
  return ret;
}

/**
 * The end step owed by a read that reached the end (the core's `end_readable`): whether to
 * schedule it now. It is unless 'end' is out, and from Node 24 only once (END_SCHEDULED, set
 * here in the flags word at `at`).
 */
function endStepOwed(words, at) {
  const fl = words[at];
  if ((fl & END_EMITTED) !== 0) return false;
  if (!END_ONCE) return true;
  if ((fl & END_SCHEDULED) !== 0) return false;
  words[at] = fl | END_SCHEDULED;
  return true;
}

// readAtEnd's answer when its standing answer does not apply (a chunk may be any value).
const NOT_TAKEN = Symbol('sluice.notTaken');

// read() once ended, on FAST_READ_END_READY (see read): the chunk taken, or NOT_TAKEN when
// the answer does not apply.
function readAtEnd(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  const q = state[kQueue];
  const c = q[state[kQueueHead]];
  const m = state[kObjectMode] ? 1 : c.length;
  const rest = f[sAt + S_LENGTH] - m;
  if (rest > 0 || (rest === 0 && q.length - state[kQueueHead] === 1)) {
    words[wAt + U_FLAGS] = (words[wAt + U_FLAGS] & ~READ_AT_END_CLEARS) | DATA_EMITTED;
    const tick = rest === 0 && endStepOwed(words, wAt + U_FLAGS);
    q[state[kQueueHead]++] = null;
    compactQueue(state);
    if (rest + m > f[sAt + S_PEAK]) f[sAt + S_PEAK] = rest + m;
    f[sAt + S_LENGTH] = rest;
    f[sAt + S_N] = m;
    f[sAt + S_FAST_TAKES] += 1;
    // Counted as a call (see above).
    f[sAt + S_CALLS] += 1;
    releaseAwaitDrain(state);
    if (tick) process.nextTick(endReadableNT, state, stream);
    stream.emit('data', c);
    return c;
  }
  return NOT_TAKEN;
}

// read(0) before the end, its standing answer (protocol READ_ZERO_*): true when `_read` is to
// be called (the state marked as the core marks it), false when read() returns null. Counted
// as a call (see read).
function readZero(stream, state) {
  const words = state[kWords];
  const wAt = state[kW];
  const f = state[kSlots];
  const sAt = state[kS];
  f[sAt + S_CALLS] += 1;
  const fl = words[wAt + U_FLAGS];
  const len = f[sAt + S_LENGTH];
  const hwm = f[sAt + S_HWM];
  if ((fl & NEED_READABLE) !== 0 && (hwm !== 0 ? len >= hwm : len > 0)) {
    words[wAt + U_FLAGS] = (fl & ~NEED_READABLE) | EMITTED_READABLE;
    if ((fl & EMITTED_READABLE) === 0) process.nextTick(emitReadable_, stream);
    return false;
  }
  if (((fl & NEED_READABLE) !== 0 || len === 0 || len < hwm) && (fl & READ_ZERO_BLOCKS) === 0 && (fl & CONSTRUCTED) !== 0) {
    words[wAt + U_FLAGS] = fl | READ_ZERO_SETS | (len === 0 ? NEED_READABLE : 0);
    f[sAt + S_READ_CALLS] += 1;
    f[sAt + S_N] = 0;
    return true;
  }
  if (len <= hwm) words[wAt + U_FLAGS] = fl | NEED_READABLE;
  return false;
}

// The 'readable' step, its standing answer (protocol READABLE_STEP_*, READABLE_WANT_*): no call.
function emitReadable_(stream) {
  const state = stream._readableState;
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  if ((words[at] & READABLE_STEP_BLOCKS) === 0 && (state[kSlots][state[kS] + S_LENGTH] !== 0 || (words[at] & ENDED) !== 0)) {
    if (stream.emit !== EE_EMIT || stream.listenerCount('readable') !== 0) stream.emit('readable');
    // (the state as the listeners left it)
    state[kWords][state[kW] + U_FLAGS] &= ~READABLE_STEP_CLEARS;
  }
  readableWanted(state);
  flow(stream);
}

/** The 'readable' step's last part: a 'readable' is wanted again (Node's `needReadable`). */
function readableWanted(state) {
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  const f = state[kSlots];
  const sAt = state[kS];
  if ((words[at] & READABLE_WANT_BLOCKS) === 0 && f[sAt + S_LENGTH] <= f[sAt + S_HWM]) words[at] |= READABLE_WANT_SETS;
}

function flow(stream) {
  const state = stream._readableState;
  if (FLOW_SYNC && flowSync(stream, state)) return;
  while (state[kWords][state[kW] + U_FLAGS] & FLOWING && stream.read() !== null);
}

// The flowing fast loop: true when it ran (it ends with the usual flow loop).
function flowSync(stream, state) {
  // The core's standing answer: it declines while the flags refuse the loop (object mode, a
  // decoder, ended, paused, a _read pending, ...): no call then.
  const fl = state[kWords][state[kW] + U_FLAGS];
  if ((fl & FLOW_SYNC_NEEDS) !== FLOW_SYNC_NEEDS || (fl & FLOW_SYNC_BLOCKS) !== 0) return false;
  const begin = state.op(OP_FLOW_SYNC_BEGIN, stream.listenerCount('data') > 0 ? 1 : 0);
  if (begin === 0) return false;
  if (begin === 2) {
    state.fastChunk = state[kQueue][state[kQueueHead]];
    emptyQueue(state);
  }
  while (state.op(OP_FLOW_SYNC_STEP)) {
    const current = state.fastChunk;
    state.fastChunk = null;
    try {
      stream._read(state[kSlots][state[kS] + S_HWM]);
    } catch (err) {
      state.op(OP_FLOW_SYNC_READ_DONE, 1);
      errorOrDestroy(stream, err);
      break;
    }
    if (state.op(OP_FLOW_SYNC_READ_DONE)) deliverFlowChunk(stream, state, current);
  }
  materializeFastChunk(state);
  while (state[kWords][state[kW] + U_FLAGS] & FLOWING && stream.read() !== null);
  return true;
}

// The only pipe destination, when it is the only 'data' listener, gets the chunk written
// straight (through node:stream's own direct write, which declines a destination it cannot
// take, e.g. a sluice Writable: then 'data' is emitted as usual).
function deliverFlowChunk(stream, state, chunk) {
  const pipeOnData = state.pipeOnData;
  const events = stream._events;
  if (pipeOnData !== null && writeKnownBuffer && events !== undefined && events.data === pipeOnData) {
    const dest = state.pipes[0];
    let ret;
    try {
      ret = isSluiceWritable(dest) ? writeIdleSluice(dest, chunk) : writeKnownBuffer(dest, chunk);
    } catch (error) {
      dest.destroy(error);
      return;
    }
    if (ret === undefined) stream.emit('data', chunk);
    else if (ret === false && state.pipePause !== null) state.pipePause();
    return;
  }
  stream.emit('data', chunk);
}

let SluiceWritableState = null;
function isSluiceWritable(dest) {
  SluiceWritableState ??= require('./writable').WritableState;
  return dest._writableState instanceof SluiceWritableState;
}

// The direct write for a sluice destination, under the conditions node:stream's takes one:
// an idle byte-mode Writable (nothing queued or in flight, not corked, ending, draining or
// failed). undefined when it declines (the chunk then goes through 'data' and pipe's handler).
function writeIdleSluice(dest, chunk) {
  const ws = dest._writableState;
  if (
    !(chunk instanceof Buffer) ||
    ws.length !== 0 ||
    !ws.constructed ||
    ws.sync ||
    ws.objectMode ||
    ws.destroyed ||
    ws.errored ||
    ws.errorEmitted ||
    ws.ending ||
    ws.ended ||
    ws.finished ||
    ws.writing ||
    ws.corked ||
    ws.bufferedRequestCount !== 0 ||
    ws.needDrain ||
    ws.bufferProcessing ||
    ws.finalCalled ||
    ws.prefinished
  ) {
    return undefined;
  }
  return dest.write(chunk);
}

function materializeFastChunk(state) {
  if (!state.op(OP_FAST_MATERIALIZE)) return;
  const chunk = state.fastChunk;
  state.fastChunk = null;
  if (state[kQueueHead] > 0) state[kQueue][--state[kQueueHead]] = chunk;
  else state[kQueue].unshift(chunk);
}

// The read-more loop, on the core's standing answers (protocol READ_MORE_*): no call of its own.
function maybeReadMore_(stream, state) {
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  const f = state[kSlots];
  const sAt = state[kS];
  for (;;) {
    const fl = words[at];
    const len = f[sAt + S_LENGTH];
    if ((fl & READ_MORE_BLOCKS) !== 0 || !(len < f[sAt + S_HWM] || ((fl & READ_MORE_FLOWING) !== 0 && len === 0))) break;
    stream.read(0);
    if (len === f[sAt + S_LENGTH]) break;
  }
  words[at] &= ~READ_MORE_DONE_CLEARS;
}

function endReadableNT(state, stream) {
  // The end step, on the core's standing answer (protocol END_STEP_*): no call. (Node
  // schedules it once per read() at the end before 24.)
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  const fl = words[at] & ~END_STEP_CLEARS;
  const due = (fl & END_STEP_BLOCKS) === 0 && state[kSlots][state[kS] + S_LENGTH] === 0;
  words[at] = due ? fl | END_STEP_SETS : fl;
  if (due) {
    stream.emit('end');
    if (stream.writable && stream.allowHalfOpen === false) {
      process.nextTick(endWritableNT, stream);
    } else if (state.autoDestroy) {
      // A Duplex destroys itself only once its writable side is done too.
      const wState = stream._writableState;
      const autoDestroy = !wState || (wState.autoDestroy && (wState.finished || wState.writable === false));
      if (autoDestroy) stream.destroy();
    }
  }
}

function endWritableNT(stream) {
  const writable = stream.writable && !stream.writableEnded && !stream.destroyed;
  if (writable) stream.end();
}

function nReadingNextTick(self) {
  self.read(0);
}

Readable.prototype._read = function (_n) {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_read()');
};

Readable.prototype.on = function (ev, fn) {
  const res = NodeStream.Stream.prototype.on.call(this, ev, fn);
  const state = this._readableState;
  if (ev === 'data') {
    // On the core's standing answer (protocol ON_DATA_*): no call.
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    if (this.listenerCount('readable') > 0) words[at] |= ON_DATA_SETS;
    if ((words[at] & ON_DATA_PAUSED) === 0) this.resume();
  } else if (ev === 'readable') {
    // Nothing buffered and no 'readable' owed: the core's standing answer (protocol
    // ON_READABLE_*), no call.
    const words = state[kWords];
    const at = state[kW] + U_FLAGS;
    const fl = words[at];
    if ((fl & ON_READABLE_QUIET) !== 0) return res;
    if ((fl & ON_READABLE_CALLS) === 0 && state[kSlots][state[kS] + S_LENGTH] === 0) {
      words[at] = (fl & ~ON_READABLE_CLEARS) | ON_READABLE_SETS;
      if ((fl & ON_READABLE_READ0_BLOCKS) === 0) process.nextTick(nReadingNextTick, this);
      return res;
    }
    const r = state.op(OP_ON_READABLE);
    if (r & O_TICK_READABLE) process.nextTick(emitReadable_, this);
    if (r & O_TICK_READ0) process.nextTick(nReadingNextTick, this);
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function (ev, fn) {
  const res = NodeStream.Stream.prototype.removeListener.call(this, ev, fn);
  if (ev === 'readable') process.nextTick(updateReadableListening, this);
  return res;
};
Readable.prototype.off = Readable.prototype.removeListener;

Readable.prototype.removeAllListeners = function (ev) {
  const res = NodeStream.Stream.prototype.removeAllListeners.apply(this, arguments);
  if (ev === 'readable' || ev === undefined) process.nextTick(updateReadableListening, this);
  return res;
};

function updateReadableListening(self) {
  const state = self._readableState;
  if (state.op(OP_UPDATE_READABLE_LISTENING, self.listenerCount('readable') > 0 ? 1 : 0, self.listenerCount('data') > 0 ? 1 : 0)) {
    self.resume();
  }
}

// On the core's standing answer for resume() (protocol RESUME_*): no call.
Readable.prototype.resume = function () {
  const state = this._readableState;
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  let fl = words[at];
  if (NO_RESUME_DESTROYED && (fl & DESTROYED) !== 0) return this;
  let schedule = false;
  if ((fl & RESUME_FLOWING) === 0) {
    fl = (fl & RESUME_LISTENING) !== 0 ? (fl & ~FLOWING) | FLOWING_FALSE : (fl | FLOWING) & ~FLOWING_FALSE;
    if ((fl & RESUME_SCHEDULED_BIT) === 0) {
      fl |= RESUME_SCHEDULED_BIT;
      schedule = true;
    }
  }
  words[at] = (fl & ~RESUME_CLEARS) | RESUME_SETS;
  if (schedule) process.nextTick(resume_, this, state);
  return this;
};

// The resume step, on the core's standing answers (protocol RESUME_*): no call of its own.
function resume_(stream, state) {
  const words = state[kWords];
  const at = state[kW] + U_FLAGS;
  if ((words[at] & RESUME_STEP_STATUS) === 0) stream.read(0);
  words[at] &= ~RESUME_EMIT_CLEARS;
  stream.emit('resume');
  flow(stream);
  if ((words[at] & RESUME_TAIL_STATUS) === RESUME_TAIL_READY) stream.read(0);
}

// On the core's standing answers (protocol PAUSE_*, MARK_PAUSED_*): no call.
Readable.prototype.pause = function () {
  const state = this._readableState;
  let words = state[kWords];
  let at = state[kW] + U_FLAGS;
  const fl = words[at];
  if (NO_RESUME_DESTROYED && (fl & DESTROYED) !== 0) return this;
  if ((fl & PAUSE_STATUS) === 0) {
    words[at] = (fl & ~PAUSE_CLEARS) | PAUSE_SETS;
    this.emit('pause');
    // (a listener's call may have moved the stream's block: a born stream given its core)
    words = state[kWords];
    at = state[kW] + U_FLAGS;
  }
  words[at] = (words[at] & ~MARK_PAUSED_CLEARS) | MARK_PAUSED_SETS;
  return this;
};

Readable.prototype.isPaused = function () {
  const fl = this._readableState[kWords][this._readableState[kW] + U_FLAGS];
  return (fl & PAUSED_STATUS) !== 0;
};

Readable.prototype.setEncoding = function (enc) {
  const state = this._readableState;
  if (FLOW_SYNC) materializeFastChunk(state);
  const decoder = new StringDecoder(enc);
  // (the core learns of the decoder with the queue's reset below)
  state[kDecoder] = decoder;
  state[kEncoding] = decoder.encoding;
  let content = '';
  for (let i = state[kQueueHead]; i < state[kQueue].length; i++) content += decoder.write(state[kQueue][i]);
  if (SET_ENCODING_FLUSHES_ENDED && state[kWords][state[kW] + U_FLAGS] & ENDED) content += decoder.end();
  emptyQueue(state);
  if (content !== '') state[kQueue].push(content);
  state.op(OP_RESET_QUEUE, content.length);
  return this;
};

Readable.prototype.pipe = pipe;
Readable.prototype.unpipe = unpipe;

Readable.prototype.stats = function stats() {
  const state = this._readableState;
  const f = state[kSlots];
  const sAt = state[kS];
  // The mailbox's pushes are counted when the core folds them (see core `fold`).
  let pushes = f[sAt + S_PUSHES];
  let bytes = f[sAt + S_BYTES];
  for (let i = 0; i < f[sAt + S_FAST_RUNS]; i++) {
    pushes += f[sAt + S_FAST_COUNTS + i];
    bytes += f[sAt + S_FAST_LENS + i] * f[sAt + S_FAST_COUNTS + i];
  }
  return {
    pushes,
    bytesPushed: bytes,
    pushFalse: f[sAt + S_PUSH_FALSE],
    readCalls: f[sAt + S_READ_CALLS],
    peakBuffered: Math.max(f[sAt + S_PEAK], f[sAt + S_LENGTH]),
    buffered: f[sAt + S_LENGTH],
    highWaterMark: f[sAt + S_HWM],
  };
};

Readable.prototype.destroy = destroyImpl.destroy;
Readable.prototype._undestroy = destroyImpl.undestroy;
Readable.prototype._destroy = function (err, cb) {
  cb(err);
};
Readable.prototype[EE.captureRejectionSymbol] = function (err) {
  this.destroy(err);
};

Readable.prototype[Symbol.asyncIterator] = function () {
  return streamToAsyncIterator(this);
};

Readable.prototype.iterator = function (options) {
  // (Node's validateObject: no null, array or function)
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ERR_INVALID_ARG_TYPE('options', 'object', options);
  }
  return streamToAsyncIterator(this, options);
};

/** `Readable.from(iterable | asyncIterable | string | Buffer[, options])`. */
Readable.from = function (iterable, opts) {
  return from(Readable, iterable, opts);
};

function getter(name, get, set) {
  Object.defineProperty(Readable.prototype, name, { get, set, enumerable: false, configurable: true });
}

getter(
  'readable',
  function () {
    const r = this._readableState;
    return !!r && r.readableFlag !== false && (r[kWords][r[kW] + U_FLAGS] & NOT_READABLE) === 0;
  },
  function (val) {
    if (this._readableState) this._readableState.readableFlag = !!val;
  },
);
getter('readableDidRead', function () {
  return (this._readableState[kWords][this._readableState[kW] + U_FLAGS] & DATA_EMITTED) !== 0;
});
getter('readableAborted', function () {
  const r = this._readableState;
  return !!(r.readableFlag !== false && (r.destroyed || r.erroredValue) && !r.endEmitted);
});
getter('readableHighWaterMark', function () {
  return this._readableState.highWaterMark;
});
getter('readableBuffer', function () {
  const state = this._readableState;
  if (!state) return state;
  // The fast loop's parked chunk is listed last, as Node lists it.
  if (FLOW_SYNC && state.fastChunk !== null) {
    if (state[kQueueHead] === state[kQueue].length) return [state.fastChunk];
    const out = state[kQueue].slice(state[kQueueHead]);
    out.push(state.fastChunk);
    return out;
  }
  // Node hands out its list itself, taken slots (null) before the first chunk included.
  return state[kQueue];
});
getter(
  'readableFlowing',
  function () {
    return this._readableState.flowing;
  },
  function (state) {
    if (this._readableState) this._readableState.flowing = state;
  },
);
getter('readableLength', function () {
  return this._readableState.length;
});
getter('readableObjectMode', function () {
  return this._readableState ? this._readableState.objectMode : false;
});
getter('readableEncoding', function () {
  return this._readableState ? this._readableState.encoding : null;
});
getter('errored', function () {
  return this._readableState ? this._readableState.erroredValue : null;
});
getter('closed', function () {
  return this._readableState ? this._readableState.closed : false;
});
getter(
  'destroyed',
  function () {
    return this._readableState ? this._readableState.destroyed : false;
  },
  function (value) {
    if (!this._readableState) return;
    this._readableState.op(OP_SET_DESTROYED, value ? 1 : 0);
  },
);
getter('readableEnded', function () {
  return this._readableState ? this._readableState.endEmitted : false;
});

module.exports = Readable;
internals.fromWith = from;
internals.pushOnward = pushOnward;
internals.readableAfterConstruct = (stream) => maybeReadMore(stream, stream._readableState);
