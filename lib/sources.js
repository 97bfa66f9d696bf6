'use strict';
// The native file source: a sluice Readable whose bytes are read ahead by a Rust worker
// thread (crates/sluice-core/src/sources/), never more than one highWaterMark ahead of the consumer. Chunks reach
// JS without a copy (external Buffers over the worker's memory).
//
// Native-to-native: piped into a sluice WriteStream before anything was read, the bytes never
// come to JS at all — the sink's worker copies them with copy_file_range (or a buffer when the
// kernel cannot), after whatever was written to the sink before, and the usual events follow.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const fs = require('fs');
const { Buffer } = require('buffer');
const Readable = require('./readable');
const { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } = require('./errors');
const { ensureInit, register, hold } = require('./native-events');
const { toPath, sysError, WriteStream } = require('./sinks');
const { srcCreate, srcTake, srcClose } = require('./native');
const { TAKE_PENDING, TAKE_EOF } = require('./protocol').native;
const { kHolds } = require('./symbols');

const kH = Symbol('sluice.sourceHandle');
const kWaiting = Symbol('sluice.sourceWaiting');
const kCloseCb = Symbol('sluice.sourceCloseCb');
const kNative = Symbol('sluice.nativePipe');

/**
 * A drop-in for `fs.ReadStream`: the same options (`flags`, `mode`, `fd`, `start`, `end`,
 * `highWaterMark` (64 KiB), `encoding`, `autoClose`, `emitClose`, `signal`), events
 * (`'open'`, `'ready'`, `'close'`) and properties (`bytesRead`, `path`, `pending`).
 */
class ReadStream extends Readable {
  constructor(path, options) {
    if (typeof options === 'string') options = { encoding: options };
    options = { ...options };
    if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
    const autoClose = options.autoClose === undefined ? true : !!options.autoClose;
    options.autoDestroy = autoClose;
    const fd = options.fd;
    super(options);
    this.fd = fd === undefined || fd === null ? null : typeof fd === 'object' && typeof fd.fd === 'number' ? fd.fd : fd;
    this.path = this.fd === null ? toPath(path) : undefined;
    if (this.fd === null && typeof this.path !== 'string' && !Buffer.isBuffer(this.path)) {
      throw new ERR_INVALID_ARG_TYPE('path', ['string', 'Buffer', 'URL'], path);
    }
    this.flags = options.flags === undefined ? 'r' : options.flags;
    this.mode = options.mode === undefined ? 0o666 : options.mode;
    this.start = options.start;
    this.end = options.end === undefined ? Infinity : options.end;
    if (this.start !== undefined && (!Number.isInteger(this.start) || this.start < 0)) {
      throw new ERR_OUT_OF_RANGE('start', '>= 0 && <= 9007199254740991', this.start);
    }
    if (this.end !== Infinity && (!Number.isInteger(this.end) || this.end < 0)) {
      throw new ERR_OUT_OF_RANGE('end', '>= 0 && <= 9007199254740991', this.end);
    }
    if (this.start !== undefined && this.start > this.end) {
      throw new ERR_OUT_OF_RANGE('start', `<= "end" (here: ${this.end})`, this.start);
    }
    this.autoClose = autoClose;
    this.bytesRead = 0;
    this[kH] = null;
    this[kWaiting] = false;
    this[kHolds] = 0; // (set now: added at the first wait, it would change the stream's shape)
    this[kCloseCb] = null;
    this[kNative] = false;
    if (this.fd !== null) this._attachSource(this.fd);
  }

  _range() {
    const start = this.start === undefined ? (this.end !== Infinity ? 0 : -1) : this.start;
    const limit = this.end === Infinity ? -1 : this.end - Math.max(start, 0) + 1;
    return { start, limit };
  }

  _attachSource(fd) {
    const { start, limit } = this._range();
    // Closed on destroy, as Node's fs streams do (autoClose only decides whether ending destroys).
    // The worker never closes it: fs.close does, once the worker has stopped (see the sinks'
    // _destroy: Node counts a worker thread's fs.open descriptors and closes leftovers at exit).
    // The environment's event channel first: a source may be the first native stream made.
    ensureInit();
    const [h, id] = srcCreate(fd, 0, start, limit, this.readableHighWaterMark || 1);
    this[kH] = h;
    register(id, this);
  }

  _construct(callback) {
    if (this.fd !== null) {
      callback();
      return;
    }
    fs.open(this.path, this.flags, this.mode, (er, fd) => {
      if (er) {
        callback(er);
      } else {
        this.fd = fd;
        this._attachSource(fd);
        callback();
        this.emit('open', fd);
        this.emit('ready');
      }
    });
  }

  _read() {
    if (this[kWaiting] || this[kNative]) return;
    const r = srcTake(this[kH]);
    if (typeof r === 'object') {
      this.bytesRead += r.length;
      this.push(r);
    } else if (r === TAKE_PENDING) {
      hold(this);
      this[kWaiting] = true;
    } else if (r === TAKE_EOF) {
      this.push(null);
    } else {
      this.destroy(sysError(-r, 'read'));
    }
  }

  _nativeData() {
    this[kWaiting] = false;
    if (!this.destroyed) this._read();
  }

  _nativeClosed(errno) {
    const cb = this[kCloseCb];
    this[kCloseCb] = null;
    if (cb) cb(errno ? sysError(errno, 'close', this.path) : null);
  }

  _destroy(err, cb) {
    if (this[kH] === null || this[kNative] === 'copying') {
      // A native copy in flight owns the descriptor until it ends.
      if (this[kNative] === 'copying') this._afterCopy = () => this._destroy(err, cb);
      else cb(err);
      return;
    }
    this[kCloseCb] = (closeErr) => {
      const fd = this.fd;
      if (closeErr || typeof fd !== 'number') {
        this.fd = null;
        cb(err || closeErr);
        return;
      }
      fs.close(fd, (er) => {
        this.fd = null;
        cb(err || er || null);
      });
    };
    hold(this);
    srcClose(this[kH]);
  }

  get pending() {
    return this.fd === null;
  }

  close(cb) {
    if (typeof cb === 'function') require('stream').finished(this, cb);
    this.destroy();
  }

  /**
   * `pipe(dest)`: into a sluice WriteStream, before anything was read, the copy runs natively
   * (no JS per chunk); otherwise Readable's pipe.
   */
  pipe(dest, pipeOpts) {
    if (
      dest instanceof WriteStream &&
      !this[kNative] &&
      this.bytesRead === 0 &&
      this.readableLength === 0 &&
      !this.readableDidRead &&
      this.listenerCount('data') === 0 &&
      this._readableState.pipes.length === 0 &&
      !this.destroyed
    ) {
      return nativePipe(this, dest, pipeOpts);
    }
    return super.pipe(dest, pipeOpts);
  }
}

function nativePipe(src, dest, pipeOpts) {
  src[kNative] = true;
  const doEnd = !pipeOpts || pipeOpts.end !== false;
  let done = false;
  const cleanup = () => {
    dest.removeListener('close', onDestClose);
    dest.removeListener('error', onDestError);
    src.removeListener('close', onSrcClose);
  };
  const finishCopy = (err, bytes) => {
    if (done) return;
    done = true;
    cleanup();
    src[kNative] = 'done';
    src.bytesRead += bytes;
    dest.bytesWritten += bytes;
    const after = src._afterCopy;
    src._afterCopy = null;
    if (err) {
      src.destroy(err);
      dest.destroy(err);
      if (after) after();
      return;
    }
    if (after) {
      after();
      return;
    }
    // The bytes went straight to the sink; the source ends as if they had been read.
    src[kNative] = true;
    src.push(null);
    src.resume();
    if (doEnd) src.once('end', () => dest.end());
  };
  const onDestError = (err) => {
    if (!done) src.destroy(err);
  };
  const onDestClose = () => {
    if (!done && src.unpipe) src.destroy();
  };
  const onSrcClose = () => {};
  dest.on('error', onDestError);
  dest.once('close', onDestClose);
  src.on('close', onSrcClose);
  src._readableState.pipes.push(dest);
  dest.emit('pipe', src);

  const start = () => {
    if (src.destroyed || dest.destroyed) return;
    src[kNative] = 'copying';
    const { start: from, limit } = src._range();
    dest._copyFrom(src.fd, from < 0 ? undefined : from, limit < 0 ? undefined : limit, (errno, bytes) => {
      finishCopy(errno ? sysError(errno, 'copy_file_range') : null, bytes);
    });
  };
  let waiting = 0;
  const ready = () => {
    if (--waiting === 0) start();
  };
  if (src.fd === null || src[kH] === null) {
    waiting++;
    src.once('ready', ready);
  }
  if (dest.fd === null) {
    waiting++;
    dest.once('ready', ready);
  }
  if (waiting === 0) process.nextTick(start);
  return dest;
}

/** `fs.createReadStream`'s twin: a ReadStream read ahead by a Rust worker thread. */
function createReadStream(path, options) {
  return new ReadStream(path, options);
}

module.exports = { ReadStream, createReadStream };
