'use strict';
// Native sinks: sluice Writables whose `_write` hands the bytes to a Rust worker thread
// (crates/sluice-core/src/sinks/). The JS thread copies a chunk into the sink's buffer and goes on; the worker
// writes whole batches. A write is acknowledged (its callback called) once the sink has taken
// the bytes; 'finish' (and end()'s callback) waits until every byte is written — with
// `flush: true`, synced too. JS waits only when the native buffer is full, and is woken by one
// event for the whole batch.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const fs = require('fs');
const util = require('util');
const { Buffer } = require('buffer');
const { fileURLToPath } = require('url');
const Writable = require('./writable');
const { writeHeld, HELD } = require('./internals');
const { errorOrDestroy } = require('./destroy');
const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = require('./errors');
const { nsCreate, nsPush, nsFlush, nsClose, nsCollected, nsCopyFrom, nsDrainSync, nsEnqueue, nsPromote, nsIdle } = require('./native');
const { ensureInit, register, hold, release } = require('./native-events');
const { kWords, kW, kSlots, kS, kQueue, kQueueHead, kSyncDone, kKeepCore, kCallbacksThroughCore, kHeldRuns, kHolds } = require('./symbols');

const kH = Symbol('sluice.sinkHandle');
const kId = Symbol('sluice.sinkId');
const kRoomCb = Symbol('sluice.roomCb');
const kFlushCb = Symbol('sluice.flushCb');
const kCloseCb = Symbol('sluice.closeCb');
const kFsync = Symbol('sluice.fsync');
const kDiscard = Symbol('sluice.discardOnClose');
const kOwnFd = Symbol('sluice.ownFd');
const kBacklog = Symbol('sluice.writevBacklog');
const kStage = Symbol('sluice.stage');
const kStaged = Symbol('sluice.staged');
const kFull = Symbol('sluice.nativeFull');
const kFailCode = Symbol('sluice.failCode');
const kBusyHeld = Symbol('sluice.heldWhileBusy');
const kRope = Symbol('sluice.stagedString');
const kRopeMax = Symbol('sluice.stagedStringMaxBytes');
const kRopeEnc = Symbol('sluice.stagedStringEncoding');
const kBytes = Symbol('sluice.bytesWritten');
const kFast = Symbol('sluice.fastWrites');
const kFlags = Symbol('sluice.coreWords');
const kFlagsAt = Symbol('sluice.coreFlagsAt'); // index of the core's flags word in kFlags
const kWakeOwed = Symbol('sluice.wakeOwed');
const kHeldOk = Symbol('sluice.heldWrites');
const kQStage = Symbol('sluice.queueStage');
const kQStaged = Symbol('sluice.queueStaged');
const kRuns = Symbol('sluice.heldRuns');
const kRunsHead = Symbol('sluice.heldRunsHead');
const kPreBlocks = Symbol('sluice.heldBeforeOpen');
const kQGrown = Symbol('sluice.queueStageGrown');

const {
  KIND_FD, KIND_NULL, KIND_MEMORY, KIND_THROTTLE, PUSH_ACCEPTED, PUSH_FULL, PUSH_FAILED,
  PUSH_FAILED_ERRNO, SYSCALL_WRITE, SYSCALL_FSYNC, SYSCALL_CLOSE, SYSCALL_LIMIT, SYSCALL_READ,
} = require('./protocol').native;
const {
  FAST, NEED_DRAIN, U_FLAGS, S_HWM, S_FAST_WRITES, S_FAST_BYTES, S_FAST_PEAK, WRITING, CORKED, CONSTRUCTED,
  ENDING, DESTROYED, ERRORED,
} = require('./protocol').writable;

const SYSCALLS = [];
SYSCALLS[SYSCALL_WRITE] = 'write';
SYSCALLS[SYSCALL_FSYNC] = 'fsync';
SYSCALLS[SYSCALL_CLOSE] = 'close';
SYSCALLS[SYSCALL_LIMIT] = 'write';
SYSCALLS[SYSCALL_READ] = 'read';

/** An error shaped like Node's fs errors: `code`, negative `errno`, `syscall`, `path`. */
function sysError(errno, syscall, path) {
  const entry = util.getSystemErrorMap().get(-errno);
  const code = entry ? entry[0] : 'UNKNOWN';
  const desc = entry ? entry[1] : 'unknown error';
  const err = new Error(`${code}: ${desc}, ${syscall}${path !== undefined ? ` '${path}'` : ''}`);
  err.errno = -errno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}

function errorOfCode(code) {
  const x = code - PUSH_FAILED;
  const errno = Math.floor(x / PUSH_FAILED_ERRNO);
  return sysError(errno, SYSCALLS[x % PUSH_FAILED_ERRNO] || 'write');
}

/** The base of every native sink: a sluice Writable whose consumer is a Rust worker. */
class NativeWritable extends Writable {
  constructor(options) {
    super(options);
    this[kH] = null;
    this[kId] = 0;
    this[kRoomCb] = null;
    this[kFlushCb] = null;
    this[kCloseCb] = null;
    this[kFsync] = false;
    this[kDiscard] = false;
    this[kStage] = null;
    this[kStaged] = 0;
    this[kFull] = false;
    this[kFailCode] = 0;
    this[kRope] = '';
    this[kRopeMax] = 0;
    this[kRopeEnc] = null; // the encoder of the staged strings (utf8Write or latin1Write)
    this[kBytes] = 0;
    // The core's flag words (a fixed view), and whether this sink takes small writes itself
    // (a staging block, byte mode, not full, not failed): the fast path's two checks.
    this[kFlags] = this._writableState[kWords];
    this[kFlagsAt] = this._writableState[kW] + U_FLAGS;
    // (so the state keeps them: see kKeepCore)
    this._writableState[kKeepCore] = true;
    this[kFast] = false;
    this[kWakeOwed] = false;
    // Writes the Writable must buffer keep their bytes in the sink's write queue (see
    // heldWrite) unless an overflow policy may drop queued chunks (those need the chunks).
    this[kHeldOk] = !(options && options.maxBuffered !== undefined && options.maxBuffered !== null);
    this[kQStage] = null;
    this[kQStaged] = 0;
    this[kQGrown] = false;
    // Byte lengths of the runs of held entries in the Writable's queue, oldest first (a run:
    // consecutive held entries, which are always handed to the sink together).
    this[kRuns] = [];
    this[kRunsHead] = 0;
    // Full blocks of held bytes written before the native sink exists (a file still to be
    // opened by _construct): the front of the held bytes, handed to the sink straight from
    // these blocks (not copied to its write queue first), oldest first.
    this[kPreBlocks] = null;
    // Set now, not when first used (the file opens, the first wait, the first held run): each
    // would change the shapes the write paths have seen, mid-run.
    this[kOwnFd] = null;
    this[kHolds] = 0;
    this[kBusyHeld] = false;
    this[kBacklog] = null;
    this._writableState[kHeldRuns] = false;
  }

  /** Bytes handed to the sink so far (as fs.WriteStream's, a plain number; assignable). */
  get bytesWritten() {
    encodeRope(this);
    return this[kBytes];
  }

  set bytesWritten(v) {
    encodeRope(this);
    this[kBytes] = v;
  }

  // The common case of a small write, taken without the Writable's per-chunk path: no callback,
  // a Buffer or a string in an encoding copied straight into the staging block, and the core's
  // standing answer FAST ("call _write now; it completes at once; write() returns true") with
  // no 'drain' owed. Such a write is, to Node's Writable, one whose `_write` calls back
  // synchronously: nothing stays counted in writableLength, write() returns true (the chunk is
  // below the mark), no callback to call, no event. Everything else (callbacks, large chunks,
  // other encodings, cork, end, errors, backpressure, the loop budget spent) goes through the
  // Writable as before.
  write(chunk, encoding, cb) {
    if (
      cb === undefined &&
      this[kFast] &&
      !turnOver &&
      (this[kFlags][this[kFlagsAt]] & (FAST | NEED_DRAIN)) === FAST &&
      // A subclass (or an assignment) that replaces _write must see every chunk, as in Node.
      this._write === nativeWrite
    ) {
      const state = this._writableState;
      let n = -1;
      if (state.fastInFlight) {
        // (a write the Writable took on its own fast path is still in flight)
      } else if (typeof chunk === 'string') {
        n = stageString(this, state, chunk, encoding === undefined ? state.defaultEncoding : encoding);
      } else if (encoding === undefined && chunk instanceof Buffer) {
        n = stageBytes(this, state, chunk);
      }
      if (n >= 0) {
        spend(n);
        return true;
      }
    }
    if (this[kHeldOk]) {
      const state = this._writableState;
      // A write the Writable took on its own fast path and is still in flight (its callback
      // deferred to the next turn) becomes the dispatched write it is, as Writable.write does.
      if (state.fastInFlight && !state.sync) state.reportFast();
      if (heldPossible(this, state)) {
        const r = heldWrite(this, state, chunk, encoding, cb);
        if (r !== undefined) return r;
      }
    }
    return super.write(chunk, encoding, cb);
  }

  /** Attaches the native sink (kind, parameters, buffer capacity in bytes). */
  _attach(kind, a, b, cap, c) {
    ensureInit();
    const [h, id] = nsCreate(kind, a, b, cap, c === undefined ? -1 : c);
    this[kH] = h;
    this[kId] = id;
    register(id, this);
    // A staging block only where it is small beside the native buffer: it adds to what is
    // acknowledged before backpressure, which a small nativeBufferSize is there to bound.
    if (kind !== KIND_THROTTLE && kind !== KIND_NULL && cap >= 4 * STAGE_SIZE) this[kStage] = Buffer.allocUnsafeSlow(STAGE_SIZE);
    this[kFast] = this[kStage] !== null && !this._writableState.objectMode;
  }

  _nativeRoom() {
    this[kFull] = false;
    this[kFast] = this[kStage] !== null && this[kFailCode] === 0 && !this._writableState.objectMode;
    // What was staged while the native buffer was full goes over first: a write waiting for
    // room is acknowledged only once the native side has taken everything before it.
    if (this[kStaged] > 0 || this[kRopeMax] > 0) {
      const code = handOver(this);
      if (code === PUSH_FULL) return;
      if (code !== PUSH_ACCEPTED) {
        const cb = this[kRoomCb];
        this[kRoomCb] = null;
        if (cb) cb(errorOfCode(code));
        return;
      }
    }
    const cb = this[kRoomCb];
    this[kRoomCb] = null;
    if (cb) cb();
  }

  _nativeIdle() {
    // An Idle may arrive after a push that began the next busy episode: let go only when the
    // sink has had nothing since.
    if (this[kBusyHeld] && this[kH] !== null && nsIdle(this[kH])) notBusy(this);
  }

  _nativeFlushed(errno) {
    const cb = this[kFlushCb];
    this[kFlushCb] = null;
    if (cb) cb(errno ? sysError(errno, 'fsync', this.path) : null);
  }

  _nativeFailed(errno, syscall) {
    this[kFast] = false;
    // Node's write errors carry no path (only open errors do).
    const err = sysError(errno, SYSCALLS[syscall] || 'write');
    const roomCb = this[kRoomCb];
    const flushCb = this[kFlushCb];
    this[kRoomCb] = null;
    this[kFlushCb] = null;
    if (roomCb) roomCb(err);
    else if (flushCb) flushCb(err);
    // No write waits: error the stream as Node does for a failing write (destroyed only when
    // it auto-destroys).
    else errorOrDestroy(this, err);
  }

  _nativeClosed(errno) {
    notBusy(this);
    const cb = this[kCloseCb];
    this[kCloseCb] = null;
    if (cb) cb(errno ? sysError(errno, 'close', this.path) : null);
  }

  _nativeCopied(errno, bytes) {
    const cb = this._copyDone;
    this._copyDone = null;
    if (cb) cb(errno, bytes);
  }

  /** Copies `fd` (from `start`, at most `limit` bytes) into this sink, in order after what
   * was written before; `done(errno, bytes)` when finished. */
  _copyFrom(fd, start, limit, done) {
    handOver(this);
    hold(this);
    this._copyDone = done;
    nsCopyFrom(this[kH], fd, start === undefined ? -1 : start, limit === undefined ? -1 : limit);
  }

  _write(chunk, encoding, cb) {
    if (chunk === HELD) {
      pushFrom(this, [nextRun(this)], 0, cb);
      return;
    }
    chunk = bytesOf(chunk, encoding);
    this[kBytes] += chunk.length;
    settle(this, takeAll(this, take(this, chunk)), cb, chunk.length);
  }

  _writev(chunks, cb) {
    // A run of held entries is one segment: the byte count to move from the write queue.
    const bufs = [];
    for (let i = 0; i < chunks.length; i++) {
      const { chunk, encoding } = chunks[i];
      if (chunk !== HELD) bufs.push(bytesOf(chunk, encoding));
      else if (i === 0 || chunks[i - 1].chunk !== HELD) bufs.push(nextRun(this));
    }
    pushFrom(this, bufs, 0, cb);
  }

  _final(cb) {
    if (this[kH] === null) {
      cb();
      return;
    }
    // Staged bytes were acknowledged: they are part of what the flush waits for.
    handOver(this);
    hold(this);
    this[kFlushCb] = cb;
    nsFlush(this[kH], this[kFsync] ? 1 : 0);
  }

  _destroy(err, cb) {
    // Held writes fail with the queue (nsClose drops their bytes), as Node never writes the
    // chunks a destroyed Writable had queued.
    this[kQStaged] = 0;
    this[kRuns] = [];
    this[kRunsHead] = 0;
    this[kPreBlocks] = null;
    const roomCb = this[kRoomCb];
    if (roomCb) {
      this[kRoomCb] = null;
      // The write waiting for room was acknowledged as far as the stream is concerned only
      // when called back; its bytes are in the sink and are written before closing.
      process.nextTick(roomCb);
    }
    if (this[kH] === null) {
      cb(err);
      return;
    }
    // Acknowledged bytes still staged are written before the close, as the native side's are.
    handOver(this);
    hold(this);
    this[kCloseCb] = (closeErr) => {
      // The worker has stopped; the descriptor is closed by fs.close, not natively: Node keeps
      // count of the descriptors fs.open gave a worker thread and closes those still open when
      // the worker exits, so a native close would make that a second close of a number that
      // may belong to another file by then. As Node's fs streams, it is forgotten once closed.
      const fd = this[kOwnFd];
      if (closeErr || typeof fd !== 'number') {
        if (this.fd !== undefined) this.fd = null;
        cb(err || closeErr);
        return;
      }
      this[kOwnFd] = null;
      fs.close(fd, (er) => {
        this.fd = null;
        cb(err || er || null);
      });
    };
    nsClose(this[kH], this[kDiscard] ? 1 : 0);
  }
}

// A sink accounts the callbacks of its writes in the core (its held and staged paths read the
// core's counts): a write with a callback is never taken on the Writable's standing answer.
NativeWritable.prototype[kCallbacksThroughCore] = true;

// The bytes of a chunk. Byte mode only ever hands over Buffers and strings; in object mode any
// value arrives here, and the sinks take what `fs.write` takes (strings, Buffers, TypedArrays,
// DataViews), throwing its ERR_INVALID_ARG_TYPE from inside `_write` for anything else, as an
// objectMode fs.WriteStream does. (A NullSink discards any value without coming here.)
function bytesOf(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  if (Buffer.isBuffer(chunk)) return chunk;
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new ERR_INVALID_ARG_TYPE('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
}

// Hands a batch over chunk by chunk, waiting for room whenever the native buffer is full, so
// a batch (a backlog that built up while backpressure was ignored) never lands in native
// memory all at once: it stays counted in writableLength until the sink can take it.
// A segment may be a number: that many bytes of held writes, moved from the sink's write queue
// as far as its buffer has room (the rest waits for room, still counted in writableLength).
function pushFrom(stream, bufs, i, cb) {
  let n = 0;
  for (; i < bufs.length; i++) {
    const seg = bufs[i];
    let code;
    if (typeof seg === 'number') {
      code = promote(stream, seg);
      if (code < 0) {
        // -code bytes did not fit: the sink is full; the rest moves once there is room.
        stream[kBytes] += seg + code;
        bufs[i] = -code;
        stream[kBacklog] = { bufs, next: i };
        stream[kRoomCb] = (err) => {
          stream[kBacklog] = null;
          if (err) cb(err);
          else pushFrom(stream, bufs, i, cb);
        };
        return;
      }
      stream[kBytes] += seg;
      n += seg;
    } else {
      code = take(stream, seg);
      stream[kBytes] += seg.length;
      n += seg.length;
    }
    if (code === PUSH_ACCEPTED) continue;
    if (code === PUSH_FULL) {
      if (i + 1 === bufs.length) break;
      const next = i + 1;
      // Kept on the stream too, so that an exit can still write it (flushAtExit).
      stream[kBacklog] = { bufs, next };
      stream[kRoomCb] = (err) => {
        stream[kBacklog] = null;
        if (err) cb(err);
        else pushFrom(stream, bufs, next, cb);
      };
      return;
    }
    cb(errorOfCode(code));
    return;
  }
  const code = takeAll(stream, i === bufs.length ? PUSH_ACCEPTED : PUSH_FULL);
  if (code !== PUSH_ACCEPTED && code !== PUSH_FULL) cb(errorOfCode(code));
  else settle(stream, code, cb, n);
}

// Writes the Writable must buffer (a write in flight: the sink is full or the turn's budget is
// spent; corked; not constructed yet) are held by the sink as bytes, not as one JS object (and a
// Buffer per string) each: encoded or copied into a JS block, which goes to the sink's native
// write queue when full, and counted by the core through writeHeld (lib/writable.js: writes
// without a callback share one queue entry per run). The sink writes none of those bytes before the
// Writable hands the writes over (_writev / _write with HELD), as in Node; a destroyed sink
// drops them; an exit writes them (flushAtExit).
function heldPossible(stream, state, write = nativeWrite, writev = nativeWritev) {
  const fl = stream[kFlags][stream[kFlagsAt]];
  return (
    (fl & (ENDING | DESTROYED | ERRORED)) === 0 &&
    ((fl & (WRITING | CORKED)) !== 0 || (fl & CONSTRUCTED) === 0) &&
    stream[kFailCode] === 0 &&
    state[kSyncDone] === 0 &&
    !state.fastInFlight &&
    !state.objectMode &&
    stream._write === write &&
    stream._writev === writev
  );
}

// Bytes a string can take in an encoding (a bound, so it fits the block before it is encoded);
// the encodings are named as Node names them after validation.
const ENC_FACTOR = {
  utf8: 3, 'utf-8': 3, latin1: 1, binary: 1, ascii: 1, ucs2: 2, 'ucs-2': 2, utf16le: 2, 'utf-16le': 2,
  hex: 1, base64: 1, base64url: 1,
};
const STAGE_SIZE = 64 * 1024;

/** Holds a write (see heldPossible); write()'s answer, or undefined to take the Writable's path. */
function heldWrite(stream, state, chunk, encoding, cb) {
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = undefined;
  } else if (cb !== undefined && typeof cb !== 'function') {
    cb = undefined;
  }
  let n;
  if (typeof chunk === 'string') {
    const enc = encoding ? encoding : state.defaultEncoding;
    const f = ENC_FACTOR[enc];
    if (f === undefined) return undefined;
    n = holdString(stream, chunk, enc, f * chunk.length);
  } else if (chunk instanceof Buffer) {
    // Node checks the encoding argument even for a Buffer.
    if (encoding && encoding !== 'buffer' && ENC_FACTOR[encoding] === undefined) return undefined;
    n = holdBytes(stream, chunk);
  } else {
    return undefined;
  }
  return heldCount(stream, state, n, cb);
}

/** Counts a held write of `n` bytes (its bytes already held): write()'s answer. */
function heldCount(stream, state, n, cb) {
  // The run this write joins: the last one when the queue ends with a held entry.
  const q = state[kQueue];
  const runs = stream[kRuns];
  if (q.length > state[kQueueHead] && q[q.length - 1].chunk === HELD && runs.length > stream[kRunsHead]) {
    runs[runs.length - 1] += n;
  } else {
    runs.push(n);
  }
  return writeHeld(stream, n, cb);
}

/** The JS block of held bytes, with room for `need` more (what filled it goes to the sink). */
function qBlock(stream, need) {
  let b = stream[kQStage];
  if (b !== null && need <= b.length - stream[kQStaged]) return b;
  const filled = b !== null;
  if (filled) enqueueStaged(stream);
  b = stream[kQStage];
  if (b === null || (filled && b.length < STAGE_SIZE)) {
    // A stream's first block is about a mark (a producer that respects backpressure holds no
    // more, and a process with many sinks under backpressure holds one small block each); one
    // that filled up is followed by full-size blocks.
    if (filled) stream[kQGrown] = true;
    const small = Math.min(STAGE_SIZE, Math.max(1024, stream.writableHighWaterMark));
    b = stream[kQStage] = Buffer.allocUnsafeSlow(stream[kQGrown] || need > small ? STAGE_SIZE : small);
  }
  return b;
}

/** Moves the JS block of held bytes to the sink's write queue. */
function enqueueStaged(stream) {
  const n = stream[kQStaged];
  if (n === 0) return;
  stream[kQStaged] = 0;
  if (stream[kH] === null) {
    // No sink yet: the block itself waits (a new one takes its place).
    (stream[kPreBlocks] ??= []).push(stream[kQStage].subarray(0, n));
    stream[kQStage] = null;
    return;
  }
  // A failing sink fails these writes when they are handed over; nothing to do here.
  nsEnqueue(stream[kH], stream[kQStage].subarray(0, n));
}

function holdBytes(stream, buf) {
  const n = buf.length;
  if (n > STAGE_SIZE >>> 1) {
    enqueueStaged(stream);
    enqueueLarge(stream, buf);
    return n;
  }
  qBlock(stream, n).set(buf, stream[kQStaged]);
  stream[kQStaged] += n;
  return n;
}

function holdString(stream, str, enc, max) {
  if (max > STAGE_SIZE >>> 1) {
    const buf = Buffer.from(str, enc);
    enqueueStaged(stream);
    enqueueLarge(stream, buf);
    return buf.length;
  }
  const b = qBlock(stream, max);
  const at = stream[kQStaged];
  const n = enc === 'utf8' ? utf8Write.call(b, str, at) : b.write(str, at, b.length - at, enc);
  stream[kQStaged] = at + n;
  return n;
}

// A large chunk goes to the write queue as it is (the sink copies it; before the sink exists it
// waits as a copy of its own, the caller's Buffer being theirs to change).
function enqueueLarge(stream, buf) {
  if (stream[kH] === null) (stream[kPreBlocks] ??= []).push(Buffer.from(buf));
  else nsEnqueue(stream[kH], buf);
}

/** The byte length of the oldest run of held entries not handed over yet. */
function nextRun(stream) {
  const runs = stream[kRuns];
  const h = stream[kRunsHead];
  if (h >= runs.length) return 0;
  const n = runs[h];
  if (h + 1 === runs.length) {
    stream[kRuns] = [];
    stream[kRunsHead] = 0;
  } else {
    stream[kRunsHead] = h + 1;
  }
  return n;
}

/**
 * Moves `n` held bytes into the sink's buffer, after what was staged before them: a push answer,
 * or -k when k of them did not fit (the sink is then full).
 */
function promote(stream, n) {
  const pre = handOver(stream);
  if (pre !== PUSH_ACCEPTED && pre !== PUSH_FULL) return pre;
  const blocks = stream[kPreBlocks];
  if (blocks !== null) {
    // Pushed a part of a block at a time: the sink takes each whole, so what it holds past its
    // capacity is bounded by one block.
    while (n > 0 && blocks.length > 0) {
      const b = blocks[0];
      const k = Math.min(n, b.length);
      if (k === b.length) blocks.shift();
      else blocks[0] = b.subarray(k);
      n -= k;
      const code = answer(stream, nsPush(stream[kH], k === b.length ? b : b.subarray(0, k), 0));
      if (code !== PUSH_ACCEPTED && code !== PUSH_FULL) return code;
      if (code === PUSH_FULL && n > 0) return -n;
      if (n === 0) return code === PUSH_ACCEPTED && pre === PUSH_FULL ? PUSH_FULL : code;
    }
    if (blocks.length === 0) stream[kPreBlocks] = null;
  }
  enqueueStaged(stream);
  const r = nsPromote(stream[kH], n);
  if (r < 0) {
    answer(stream, PUSH_FULL);
    return r;
  }
  const code = answer(stream, r);
  return code === PUSH_ACCEPTED && pre === PUSH_FULL ? PUSH_FULL : code;
}

// A write that reached `_write`/`_writev` (it may have a callback, or have been queued) is
// acknowledged only once its bytes are on the native side: an environment's teardown (a worker
// terminated) writes out what the native sink holds, but cannot reach the JS block. Only the
// fast path's writes, which have no callback, wait in the block for the end of the turn (a
// no-callback write that returned true may be lost to a terminate() in Node too: queued
// behind the write in flight). The hand-over defers the worker's wake to the turn's end.
function takeAll(stream, code) {
  return code === PUSH_ACCEPTED && stream[kStage] !== null ? handOver(stream, true) : code;
}

// The loop keeps turning: a native sink takes bytes into native memory and acknowledges them
// at once, so a producer looping on write() would never see backpressure and never yield (the
// loop held for 100+ ms). So a macrotask acknowledges synchronously at most TICK_BUDGET bytes,
// and for at most TICK_TIME_MS, across all of this environment's sinks; past either, callbacks
// wait for the next turn of the loop. writableLength then reaches the mark, write() returns
// false and 'drain' comes on a later turn, all within Node's semantics (a write may always
// complete asynchronously). A stream has at most one write in flight, so deferring keeps every
// stream's order.
// Why time as well as bytes: the same 1 MiB of 1 KiB writes takes 0.2 ms with optimized code
// and 2-5 ms while the code is still warming up (interpreted, or waiting on the compiler threads
// that share the 2 cores); bytes alone let those turns hold the loop. The clock is read once
// every TICK_CHECK acknowledgements, so it costs nothing measurable per write.
const TICK_BUDGET = 1024 * 1024;
const TICK_TIME_MS = 0.5;
const TICK_CHECK = 128;
let tickBytes = 0; // acknowledged synchronously since the last turn
let tickAcks = 0;
let tickStart = 0;
let turnOver = false; // this macrotask has used up its budget
let turnScheduled = false;
let deferred = [];

function nextTurn() {
  turnScheduled = false;
  turnOver = false;
  tickBytes = 0;
  tickAcks = 0;
  const cbs = deferred;
  deferred = [];
  for (let i = 0; i < cbs.length; i++) cbs[i]();
}

/** Calls `cb` now, or on the next turn once this macrotask has acknowledged its budget. */
function acknowledge(n, cb) {
  if (turnOver) {
    deferred.push(cb);
    return;
  }
  spend(n);
  cb();
}

/** Counts `n` bytes acknowledged synchronously in this macrotask against its budget. */
function spend(n) {
  if (!turnScheduled) {
    turnScheduled = true;
    tickStart = performance.now();
    setImmediate(nextTurn);
  }
  tickBytes += n;
  if (tickBytes > TICK_BUDGET || (++tickAcks % TICK_CHECK === 0 && performance.now() - tickStart > TICK_TIME_MS)) {
    turnOver = true;
  }
}

function settle(stream, code, cb, n) {
  if (code === PUSH_ACCEPTED) acknowledge(n, cb);
  else if (code === PUSH_FULL) stream[kRoomCb] = cb; // take() holds the stream until Room
  else cb(errorOfCode(code));
}

// Small writes are staged: copied into a block on the JS side and handed to the native sink a
// block at a time, so that the mutex the sink's task shares with JS is taken once per block and
// not once per write. (Taken per write, it made the JS thread sleep on a lock whose holder, the
// sink's task, had been preempted on the 2 cores: turns of 3-7 ms.) A staged write is
// acknowledged like one the native side took: the block is the sink's buffer too; it is handed
// over when full, at the next microtask checkpoint after the write that began it, and before
// anything that must come after the bytes (flush, close, a native copy, an exit).
// Order is kept: bytes are [native pending] then [staged], and a chunk goes straight to the
// native side only once the block has been handed over.
let toHandOver = [];
let handOverScheduled = false;

function handOverAll() {
  handOverScheduled = false;
  const list = toHandOver;
  toHandOver = [];
  // A failing sink reports itself through its Failed event; nothing waits on these bytes here.
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s[kStaged] > 0 || s[kRopeMax] > 0) handOver(s);
    else if (s[kWakeOwed] && s[kH] !== null) {
      // Blocks went over during the turn without waking the worker: wake it now.
      s[kWakeOwed] = false;
      nsPush(s[kH], EMPTY, 0);
    }
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Hands the staged block to the native sink; its answer (FULL also while still waiting).
 * `deferWake`: while the producer is still writing in this turn, a parked worker is left
 * parked (see Sink::push_with); the turn's last hand-over (handOverAll) wakes it.
 */
function handOver(stream, deferWake = false) {
  encodeRope(stream);
  const n = stream[kStaged];
  if (n === 0 || stream[kH] === null) return stream[kFull] ? PUSH_FULL : PUSH_ACCEPTED;
  stream[kStaged] = 0;
  if (deferWake) {
    if (!stream[kWakeOwed]) {
      stream[kWakeOwed] = true;
      scheduleHandOver(stream);
    }
  } else {
    stream[kWakeOwed] = false;
  }
  // nsPush copies the bytes before it returns, so the block is free again at once.
  return answer(stream, nsPush(stream[kH], stream[kStage].subarray(0, n), deferWake ? 1 : 0));
}

// Notes a FULL answer (the native side sends one Room per episode, which releases one hold)
// and a failure (every later write fails with it, as the native side answers). Bytes taken
// hold the stream until the sink is idle again (see busy).
function answer(stream, code) {
  if (!stream[kBusyHeld] && (code === PUSH_ACCEPTED || code === PUSH_FULL)) busy(stream);
  if (code === PUSH_ACCEPTED) return stream[kFull] ? PUSH_FULL : code;
  if (code === PUSH_FULL) {
    if (!stream[kFull]) {
      stream[kFull] = true;
      stream[kFast] = false;
      hold(stream);
    }
  } else if (stream[kStage] !== null) {
    stream[kFailCode] = code;
    stream[kFast] = false;
    stream[kStaged] = 0;
  }
  return code;
}

// A sink whose worker has bytes to write is held (strongly reachable) until the worker reports
// itself idle with nothing handed over since: its events (a write that fails, Room) must reach
// the listeners of a stream its user no longer references, as a pending fs request keeps an
// fs.WriteStream alive. (Unheld, a stream whose user awaited only its 'error' was collected
// between the hand-over and the Failed event, which then had nobody to go to: the awaiting
// code never went on.) Once idle it is let go, so a sink dropped unended is still collected.
function busy(stream) {
  stream[kBusyHeld] = true;
  hold(stream);
}

function notBusy(stream) {
  if (stream[kBusyHeld]) {
    stream[kBusyHeld] = false;
    release(stream);
  }
}

/** Takes `buf` into the sink (staged or handed over): a push answer for the write. */
function take(stream, buf) {
  const stage = stream[kStage];
  if (stage === null) return answer(stream, nsPush(stream[kH], buf, 0));
  if (stream[kFailCode] !== 0) return stream[kFailCode];
  encodeRope(stream);
  const n = buf.length;
  let staged = stream[kStaged];
  if (n > STAGE_SIZE - staged) {
    const code = handOver(stream);
    if (code !== PUSH_ACCEPTED && code !== PUSH_FULL) return code;
    staged = 0;
    // Large chunks go over as they are (one copy, not two).
    if (n > STAGE_SIZE >>> 1) return answer(stream, nsPush(stream[kH], buf, 0));
  }
  if (staged === 0) scheduleHandOver(stream);
  stage.set(buf, staged);
  stream[kStaged] = staged + n;
  return stream[kFull] ? PUSH_FULL : PUSH_ACCEPTED;
}

// The fast path's staging (see NativeWritable.write): the bytes staged (for strings, a bound),
// or -1 to take the Writable's path instead. Only chunks below the mark: a write of the mark or
// more returns false in Node even when it completes at once.
function stageBytes(stream, state, buf) {
  const n = buf.length;
  if (n >= state[kSlots][state[kS] + S_HWM] || n > STAGE_SIZE >>> 1) return -1;
  encodeRope(stream);
  let staged = stream[kStaged];
  if (n > STAGE_SIZE - staged) {
    if (handOver(stream, true) !== PUSH_ACCEPTED) return -1; // now full (or failed): the Writable's path
    staged = 0;
  }
  if (staged === 0) scheduleHandOver(stream);
  stream[kStage].set(buf, staged);
  stream[kStaged] = staged + n;
  stream[kBytes] += n;
  countFast(state, n);
  return n;
}

// Strings are not encoded one by one: they are concatenated (a rope, which V8 builds without
// copying) and encoded into the block in one go when it is handed over (or when bytes must
// follow them), with no Buffer per chunk and one encoder call per block. The encodings are the
// ones whose byte count has a cheap bound, so that the rope always fits what is left of the
// block: utf8 (at most 3 bytes per UTF-16 unit) and latin1 (one).
const utf8Write = Buffer.prototype.utf8Write || function (s, off) { return this.write(s, off, 'utf8'); };
const latin1Write = Buffer.prototype.latin1Write || function (s, off) { return this.write(s, off, 'latin1'); };

function stageString(stream, state, str, encoding) {
  let enc;
  let max;
  if (encoding === 'utf8' || encoding === 'utf-8') {
    enc = utf8Write;
    max = str.length * 3;
  } else if (encoding === 'latin1' || encoding === 'binary') {
    enc = latin1Write;
    max = str.length;
  } else {
    return -1;
  }
  if (max >= state[kSlots][state[kS] + S_HWM] || max > STAGE_SIZE >>> 1) return -1;
  if (enc !== stream[kRopeEnc]) {
    encodeRope(stream);
    stream[kRopeEnc] = enc;
  }
  if (max > STAGE_SIZE - stream[kStaged] - stream[kRopeMax]) {
    // The bound is three bytes a unit, ASCII takes one: encode what is staged first, so that a
    // block goes over full (a third as many hand-overs for log lines), not at a third.
    encodeRope(stream);
    if (max > STAGE_SIZE - stream[kStaged] && handOver(stream, true) !== PUSH_ACCEPTED) return -1;
  }
  if (stream[kRopeMax] !== 0 && enc === utf8Write && (str.charCodeAt(0) & 0xfc00) === 0xdc00) {
    // A chunk beginning with a low surrogate after one that may end with a high surrogate:
    // each chunk is encoded on its own in Node (two replacement characters), never as a pair.
    encodeRope(stream);
  }
  if (stream[kRopeMax] === 0) {
    if (stream[kStaged] === 0) scheduleHandOver(stream);
    stream[kRope] = str;
  } else {
    stream[kRope] += str;
  }
  stream[kRopeMax] += max;
  // Counted as the Writable counts a write that completed at once (the bytes when encoded).
  const f = state[kSlots];
  const sAt = state[kS];
  f[sAt + S_FAST_WRITES] += 1;
  if (str.length > f[sAt + S_FAST_PEAK]) f[sAt + S_FAST_PEAK] = str.length;
  return str.length;
}

/** Encodes the staged strings into the block (before any bytes that follow them). */
function encodeRope(stream) {
  if (stream[kRopeMax] === 0) return;
  const rope = stream[kRope];
  const at = stream[kStaged];
  const n = stream[kRopeEnc].call(stream[kStage], rope, at);
  stream[kRope] = '';
  stream[kRopeMax] = 0;
  stream[kStaged] = at + n;
  stream[kBytes] += n;
  stream._writableState[kSlots][stream._writableState[kS] + S_FAST_BYTES] += n;
}

function scheduleHandOver(stream) {
  toHandOver.push(stream);
  if (!handOverScheduled) {
    handOverScheduled = true;
    queueMicrotask(handOverAll);
  }
}

// The Writable's statistics of writes that completed at once (what its own fast path counts).
function countFast(state, n) {
  const f = state[kSlots];
  const sAt = state[kS];
  f[sAt + S_FAST_WRITES] += 1;
  f[sAt + S_FAST_BYTES] += n;
  if (n > f[sAt + S_FAST_PEAK]) f[sAt + S_FAST_PEAK] = n;
}

function capacityOf(options, fallback) {
  const cap = options && options.nativeBufferSize;
  if (cap === undefined) return fallback;
  if (!Number.isInteger(cap) || cap < 1) throw new ERR_OUT_OF_RANGE('options.nativeBufferSize', '>= 1', cap);
  return cap;
}

const MiB = 1024 * 1024;

/** A sink that discards everything (the fastest possible consumer). */
class NullSink extends NativeWritable {
  constructor(options) {
    super(options);
    this[kDiscard] = true;
    this._attach(KIND_NULL, 0, 0, capacityOf(options, Math.max(this.writableHighWaterMark, MiB)));
    this[kFast] = !this._writableState.objectMode;
  }

  // The common case (as NativeWritable.write): no callback, a Buffer or a string below the
  // mark, the core idle with no 'drain' owed: counted, and done. Nothing reaches the Writable.
  write(chunk, encoding, cb) {
    const state = this._writableState;
    if (
      cb === undefined &&
      this[kFast] &&
      !turnOver &&
      (this[kFlags][this[kFlagsAt]] & (FAST | NEED_DRAIN)) === FAST &&
      !state.fastInFlight &&
      this._write === nullWrite
    ) {
      let n = -1;
      if (chunk instanceof Buffer) {
        if (encoding === undefined) n = chunk.length;
      } else if (typeof chunk === 'string') {
        const enc = encoding === undefined ? state.defaultEncoding : encoding;
        if (enc === 'utf8') n = chunk.length < 64 && isAscii(chunk) ? chunk.length : Buffer.byteLength(chunk, 'utf8');
        else if (enc === 'latin1') n = chunk.length;
      }
      if (n >= 0 && n < state[kSlots][state[kS] + S_HWM]) {
        this[kBytes] += n;
        countFast(state, n);
        spend(n);
        return true;
      }
    }
    // A write the Writable must buffer (the turn's budget is spent: a write in flight) is
    // counted by the core with no entry of its own, as a file sink's held write, and nothing
    // of it is kept: its bytes are discarded anyway. (Out of line: this stays small.)
    if (this[kHeldOk] && this._write === nullWrite) {
      const r = nullHeld(this, state, chunk, encoding, cb);
      if (r !== undefined) return r;
    }
    return super.write(chunk, encoding, cb);
  }

  // Discarding needs no worker: a write is counted and acknowledged here, with no call into
  // the addon (the worker only answers flush and close). The loop budget still applies.
  _write(chunk, encoding, cb) {
    // Byte mode hands over Buffers (or strings when not decoding); object mode anything.
    const n = chunk === HELD ? nextRun(this) : chunk instanceof Buffer ? chunk.length : discardedLength(chunk, encoding);
    this[kBytes] += n;
    acknowledge(n, cb);
  }

  _writev(chunks, cb) {
    let n = 0;
    for (let i = 0; i < chunks.length; i++) {
      const { chunk, encoding } = chunks[i];
      if (chunk !== HELD) n += discardedLength(chunk, encoding);
      else if (i === 0 || chunks[i - 1].chunk !== HELD) n += nextRun(this);
    }
    this[kBytes] += n;
    acknowledge(n, cb);
  }
}

/** NullSink's held write (see NullSink.write): write()'s answer, or undefined. */
function nullHeld(stream, state, chunk, encoding, cb) {
  if (state.fastInFlight && !state.sync) state.reportFast();
  if (!heldPossible(stream, state, nullWrite, nullWritev)) return undefined;
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = undefined;
  } else if (cb !== undefined && typeof cb !== 'function') {
    cb = undefined;
  }
  let n = -1;
  if (chunk instanceof Buffer) {
    if (!encoding || encoding === 'buffer') n = chunk.length;
  } else if (typeof chunk === 'string') {
    const enc = encoding ? encoding : state.defaultEncoding;
    // (the encodings whose byteLength is exact: hex and base64 stop at a bad digit)
    if (ENC_FACTOR[enc] !== undefined && enc !== 'hex' && enc !== 'base64' && enc !== 'base64url') {
      n = Buffer.byteLength(chunk, enc);
    }
  }
  return n >= 0 ? heldCount(stream, state, n, cb) : undefined;
}

// Whether every UTF-16 unit of a short string is ASCII (its UTF-8 length is then its length).
function isAscii(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

// The fast paths stand for these `_write`s only.
const nativeWrite = NativeWritable.prototype._write;
const nativeWritev = NativeWritable.prototype._writev;
const nullWrite = NullSink.prototype._write;
const nullWritev = NullSink.prototype._writev;

/** The bytes a discarded chunk carried (object mode: any value; only bytes count). */
function discardedLength(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, encoding);
  return ArrayBuffer.isView(chunk) ? chunk.byteLength : 0;
}

/** A sink that keeps everything; `toBuffer()` gives it back. `limit`: error past this many bytes. */
class MemorySink extends NativeWritable {
  constructor(options) {
    super(options);
    const limit = options && options.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new ERR_OUT_OF_RANGE('options.limit', '>= 0', limit);
    }
    this._attach(KIND_MEMORY, limit === undefined ? -1 : limit, 0, capacityOf(options, Math.max(this.writableHighWaterMark, MiB)));
  }

  /** The bytes written so far, in order (complete once 'finish' has been emitted). */
  toBuffer() {
    return nsCollected(this[kH]) || Buffer.alloc(0);
  }
}

/**
 * A slow consumer, timed in Rust: at most `bytesPerSecond`, and/or `delayMs` per batch. Its
 * native buffer holds one highWaterMark, so a producer feels backpressure as from a slow disk.
 */
class ThrottleSink extends NativeWritable {
  constructor(options) {
    super(options);
    const bps = (options && options.bytesPerSecond) || 0;
    const delay = (options && options.delayMs) || 0;
    if (typeof bps !== 'number' || bps < 0) throw new ERR_OUT_OF_RANGE('options.bytesPerSecond', '>= 0', bps);
    if (typeof delay !== 'number' || delay < 0) throw new ERR_OUT_OF_RANGE('options.delayMs', '>= 0', delay);
    this[kDiscard] = true;
    this._attach(KIND_THROTTLE, bps, delay, capacityOf(options, this.writableHighWaterMark || 1));
  }
}

function toPath(path) {
  if (path instanceof URL || (path && typeof path === 'object' && path.href !== undefined && path.protocol !== undefined)) {
    return fileURLToPath(path);
  }
  return path;
}

/**
 * A drop-in for `fs.WriteStream`: the same options (`flags`, `mode`, `fd`, `start`,
 * `encoding`, `autoClose`, `emitClose`, `flush`, `highWaterMark`), events (`'open'`,
 * `'ready'`, `'close'`) and properties (`bytesWritten`, `path`, `pending`), with the writes
 * done by a Rust worker thread.
 */
// Nothing handed to a file sink is lost at exit. When the process ends (process.exit(), an
// uncaught exception, or the loop running dry with a sink still owed bytes), 'exit' runs
// flushAtExit: for every file sink that has not finished, the bytes its worker has not written
// yet (after the batch it is writing), then the chunks still queued in the Writable, are
// written synchronously on this thread, in order; with `flush: true` they are also fsynced.
// A sink whose file is not open yet is opened synchronously. One 'exit' listener per JS
// environment; streams are held weakly, and leave the set once finished or closed.
const EXIT_WAIT_MS = 5000; // a peer that never reads must not hold the exit for ever
const unfinished = new Set();
let exitHooked = false;

function trackUntilFinished(stream) {
  const ref = new WeakRef(stream);
  unfinished.add(ref);
  const done = () => unfinished.delete(ref);
  stream.once('finish', done);
  stream.once('close', done);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', flushAtExit);
  }
}

function flushAtExit() {
  let wrote = false;
  for (const ref of unfinished) {
    const s = ref.deref();
    if (s !== undefined) {
      try {
        if (s._flushAtExit()) wrote = true;
      } catch {
        // The process is going: a file that cannot be written now is not an error to report.
      }
    }
  }
  unfinished.clear();
  if (wrote) lingerInJs();
}

// Node 26.12 can deadlock at process.exit(): its exit joins V8's worker threads while one of
// them, finishing a background compile, waits for the main thread to collect garbage, which it
// never does again (seen as main thread in node::DisposePlatform → pthread_join, the worker in
// CollectionBarrier::AwaitCollectionBackground). It hit 3 of 16 children that wrote 200,000
// held lines and called process.exit() two turns later (jobs of that hot loop still compiling
// as the flush ended), 0 of 16 once the main thread ran JS (where such a request is served) for
// EXIT_LINGER_MS after the flush. So after writing at exit, JS runs that long before exiting.
const EXIT_LINGER_MS = 20;
function lingerInJs() {
  const until = performance.now() + EXIT_LINGER_MS;
  let spins = 0;
  while (performance.now() < until) spins++;
  return spins;
}

/** Writes all of `buf` to `fd` (at `pos` when a number); returns the next position. */
function writeAllSync(fd, buf, pos) {
  let off = 0;
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off, typeof pos === 'number' ? pos : null);
    off += n;
    if (typeof pos === 'number') pos += n;
  }
  return pos;
}

class WriteStream extends NativeWritable {
  constructor(path, options) {
    if (typeof options === 'string') options = { encoding: options };
    options = { ...options };
    const autoClose = options.autoClose === undefined ? true : !!options.autoClose;
    options.decodeStrings = true;
    options.autoDestroy = autoClose;
    if (options.encoding) options.defaultEncoding = options.encoding;
    const fd = options.fd;
    super(options);
    this.fd = fd === undefined || fd === null ? null : typeof fd === 'object' && typeof fd.fd === 'number' ? fd.fd : fd;
    this.path = this.fd === null ? toPath(path) : undefined;
    if (this.fd === null && typeof this.path !== 'string' && !Buffer.isBuffer(this.path)) {
      throw new ERR_INVALID_ARG_TYPE('path', ['string', 'Buffer', 'URL'], path);
    }
    this.flags = options.flags === undefined ? 'w' : options.flags;
    this.mode = options.mode === undefined ? 0o666 : options.mode;
    this.start = options.start;
    this.autoClose = autoClose;
    this[kFsync] = !!options.flush;
    this.flush = !!options.flush;
    if (this.start !== undefined && (!Number.isInteger(this.start) || this.start < 0)) {
      throw new ERR_OUT_OF_RANGE('start', '>= 0 && <= 9007199254740991', this.start);
    }
    this._cap = capacityOf(options, Math.max(this.writableHighWaterMark, MiB));
    if (this.fd !== null) this._open(this.fd);
    trackUntilFinished(this);
  }

  /**
   * At process exit: writes synchronously what was handed over and is not in the file yet.
   * Returns whether it wrote (or synced) anything.
   */
  _flushAtExit() {
    if (this.writableFinished || this.closed) return false;
    let fd = this.fd;
    if (typeof fd !== 'number') {
      if (this.destroyed) return false;
      // Still opening (the open runs on libuv's pool and will not call back now).
      fd = fs.openSync(this.path, this.flags, this.mode);
    }
    let pos = this.start;
    // The held bytes, oldest first: the blocks from before the sink existed, its write queue,
    // the JS block.
    const held = this[kPreBlocks] !== null ? [...this[kPreBlocks]] : [];
    if (this[kH] !== null) {
      const drained = nsDrainSync(this[kH], EXIT_WAIT_MS);
      if (drained === null) return false;
      const [pending, written, queued] = drained;
      if (typeof pos === 'number') pos += written;
      pos = writeAllSync(fd, pending, pos);
      held.push(queued);
    }
    if (this[kQStaged] > 0) held.push(this[kQStage].subarray(0, this[kQStaged]));
    this[kPreBlocks] = null;
    this[kQStaged] = 0;
    // Written piece by piece (no concatenation, little allocation: the process is exiting, and
    // Node 26 can deadlock at exit when a background thread of V8's needs a collection).
    let piece = 0;
    let at = 0;
    const writeHeldSync = (len) => {
      while (len > 0 && piece < held.length) {
        const b = held[piece];
        const k = Math.min(len, b.length - at);
        pos = writeAllSync(fd, b.subarray(at, at + k), pos);
        len -= k;
        at += k;
        if (at === b.length) {
          piece++;
          at = 0;
        }
      }
    };
    encodeRope(this);
    if (this[kStaged] > 0) pos = writeAllSync(fd, this[kStage].subarray(0, this[kStaged]), pos);
    this[kStaged] = 0;
    const backlog = this[kBacklog];
    if (backlog) {
      for (let i = backlog.next; i < backlog.bufs.length; i++) {
        const seg = backlog.bufs[i];
        if (typeof seg === 'number') writeHeldSync(seg);
        else pos = writeAllSync(fd, seg, pos);
      }
    }
    // The queue itself, not writableBuffer (a copy, with a run of held writes spread out).
    const state = this._writableState;
    const queue = state[kQueue];
    for (let i = state[kQueueHead]; i < queue.length; i++) {
      const { chunk, encoding } = queue[i];
      if (chunk === HELD) {
        if (i === state[kQueueHead] || queue[i - 1].chunk !== HELD) writeHeldSync(nextRun(this));
      } else {
        pos = writeAllSync(fd, typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, pos);
      }
    }
    if (this.flush) fs.fsyncSync(fd);
    return true;
  }

  _open(fd) {
    // The descriptor is closed when the stream is destroyed (as Node's fs streams do); autoClose
    // only decides whether finishing destroys it.
    // The descriptor is the stream's to close, with fs.close once the worker has stopped
    // (see _destroy), never by the worker.
    this[kOwnFd] = fd;
    this._attach(KIND_FD, fd, 0, this._cap, this.start === undefined ? -1 : this.start);
  }

  _construct(callback) {
    if (this.fd !== null) {
      callback();
      return;
    }
    // Opened synchronously (one open(2), as sonic-boom does): an open still running on
    // libuv's pool when the process exits could truncate the file after flushAtExit wrote it.
    // The events keep Node's order ('open', then 'ready', after construction, never during the
    // constructor), and an open error is emitted as Node's fs streams emit it.
    let fd;
    try {
      fd = fs.openSync(this.path, this.flags, this.mode);
    } catch (er) {
      callback(er);
      return;
    }
    this.fd = fd;
    this._open(fd);
    callback();
    this.emit('open', fd);
    this.emit('ready');
  }

  get pending() {
    return this.fd === null;
  }

  /** Node's `WriteStream.close(cb)`: end, then close. */
  close(cb) {
    if (cb) {
      if (this.closed) {
        process.nextTick(cb);
        return;
      }
      this.on('close', cb);
    }
    if (!this.autoClose) this.on('finish', this.destroy);
    this.end();
  }

  destroySoon() {
    return this.end();
  }
}

/** `fs.createWriteStream`'s twin: a WriteStream whose writes run off the JS thread. */
function createWriteStream(path, options) {
  return new WriteStream(path, options);
}

module.exports = {
  toPath,
  NativeWritable,
  NullSink,
  MemorySink,
  ThrottleSink,
  WriteStream,
  createWriteStream,
  sysError,
};
