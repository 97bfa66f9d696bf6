'use strict';
// Duplex, Transform and PassThrough: a sluice ReadableState and a sluice WritableState (two Rust
// cores) on one object, with Readable's methods and Writable's write side, as Node composes
// them. Transform's `_write`/`_read`/`_final` are Node's documented protocol over those.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const NodeStream = require('stream');
const Readable = require('./readable');
const internals = require('./internals');
const { pushOnward } = internals;
const Writable = require('./writable');
const destroyImpl = require('./destroy');
const { defineHasInstance } = require('./kinds');
const { getHighWaterMark } = require('./hwm');
const { registerPair, PAIRED } = require('./slab');
const { ERR_METHOD_NOT_IMPLEMENTED } = require('./errors');

const { ReadableState } = Readable;
const { WritableState } = Writable;

/** A drop-in for Node's `stream.Duplex`. */
function Duplex(options) {
  // Subclasses (Transform, PassThrough) chain to node:stream's prototypes, not to this one.
  if (new.target === undefined && !(this instanceof Duplex) && !(this instanceof NodeStream.Duplex)) return new Duplex(options);
  initDuplex.call(this, options);
}

// The constructors' bodies, which Transform and PassThrough call past their own checks: an
// `instanceof` that fails walks the whole prototype chain (Transform's instances do not have
// this Duplex's prototype), ~20 ns each of a short stream's life.
function initDuplex(options) {
  this._events ??= {
    close: undefined,
    error: undefined,
    prefinish: undefined,
    finish: undefined,
    drain: undefined,
    data: undefined,
    end: undefined,
    readable: undefined,
  };

  // Their cores go back together (one FinalizationRegistry entry per Duplex; lib/slab.js).
  this._readableState = new ReadableState(options, this, true, PAIRED);
  this._writableState = new WritableState(options, this, true, PAIRED);
  registerPair(this._writableState, this._readableState);

  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) this._readableState.disable();
    if (options.writable === false) this._writableState.disable();
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) NodeStream.addAbortSignal(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }

  NodeStream.Stream.call(this, options);

  if (typeof this._construct === 'function') {
    this._readableState.startConstruct();
    this._writableState.startConstruct();
    // Node's Duplex registers its readable side's construct callback first (Readable's
    // constructor runs before Writable's), so the readable side resumes first.
    destroyImpl.construct(this, () => {
      internals.readableAfterConstruct(this);
      internals.writableAfterConstruct(this);
    });
  }
}

// Node's Duplex is a Readable with Writable's methods copied on; sluice's is the same over its
// own classes, with node:stream's Duplex.prototype in the chain for `instanceof`.
Object.setPrototypeOf(Duplex.prototype, NodeStream.Duplex.prototype);
Object.setPrototypeOf(Duplex, NodeStream.Duplex);

function copyOwn(from, to, skipExisting) {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'constructor') continue;
    if (skipExisting && Object.prototype.hasOwnProperty.call(to, key)) continue;
    Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(from, key));
  }
}
copyOwn(Readable.prototype, Duplex.prototype, false);
copyOwn(Writable.prototype, Duplex.prototype, true);
// Destroying a Duplex fails its queued writes too, as Writable's destroy does.
Duplex.prototype.destroy = Writable.prototype.destroy;

/** Both sides' statistics. */
Duplex.prototype.stats = function stats() {
  return { readable: Readable.prototype.stats.call(this), writable: Writable.prototype.stats.call(this) };
};

Object.defineProperty(Duplex.prototype, 'destroyed', {
  get() {
    if (this._readableState === undefined || this._writableState === undefined) return false;
    return this._readableState.destroyed && this._writableState.destroyed;
  },
  set(value) {
    if (this._readableState && this._writableState) {
      this._readableState.setDestroyed(value);
      this._writableState.setDestroyed(value);
    }
  },
  enumerable: false,
  configurable: true,
});

defineHasInstance(
  Duplex,
  NodeStream.Duplex,
  (object) => object._readableState instanceof ReadableState && object._writableState instanceof WritableState,
);

const kCallback = Symbol('kCallback');

/** A drop-in for Node's `stream.Transform`. */
function Transform(options) {
  if (new.target === undefined && !(this instanceof Transform) && !(this instanceof NodeStream.Transform)) return new Transform(options);
  initTransform.call(this, options);
}

function initTransform(options) {
  // With a zero readable mark, buffering on both sides would buffer twice: Node turns the
  // writable side's buffering off as well.
  const readableHighWaterMark = options ? getHighWaterMark(false, options, 'readableHighWaterMark', true) : null;
  if (readableHighWaterMark === 0) {
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }

  initDuplex.call(this, options);

  this._readableState.clearSync();
  this[kCallback] = null;

  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }

  this.on('prefinish', prefinish);
}

Object.setPrototypeOf(Transform.prototype, NodeStream.Transform.prototype);
Object.setPrototypeOf(Transform, NodeStream.Transform);
copyOwn(Duplex.prototype, Transform.prototype, false);

// A sluice PassThrough chains to node:stream's PassThrough.prototype, so node:stream's Transform
// decides `instanceof Transform` for it, as for Node's own Transforms (zlib, crypto); no state
// check is needed beside it.
const noState = () => false;
defineHasInstance(Transform, NodeStream.Transform, noState);

function final(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

function prefinish() {
  if (this._final !== final) final.call(this);
}

Transform.prototype._final = final;

Transform.prototype._transform = function (_chunk, _encoding, _callback) {
  throw new ERR_METHOD_NOT_IMPLEMENTED('_transform()');
};

Transform.prototype._write = function (chunk, encoding, callback) {
  const rState = this._readableState;
  const length = rState.length;
  if (this._transform === passThrough) {
    // PassThrough's own _transform (it calls back at once with the chunk): carried out here,
    // with no closure per chunk; nothing observable differs.
    if (chunk != null) pushOnward(this, chunk);
    transformed(this, rState, length, callback);
    return;
  }
  this._transform(chunk, encoding, (err, val) => {
    if (err) {
      callback(err);
      return;
    }
    if (val != null) pushOnward(this, val);
    transformed(this, rState, length, callback);
  });
};

// After a chunk was transformed (and what it gave pushed): when the write completes.
function transformed(stream, rState, length, callback) {
  if (rState.ended) {
    // The transform ended the readable side: let that settle before the write completes.
    process.nextTick(callback);
  } else if (stream._writableState.ended || length === rState.length || rState.length < rState.highWaterMark) {
    callback();
  } else {
    // The readable side is full: hold the write until it is read from (backpressure).
    stream[kCallback] = callback;
  }
}

Transform.prototype._read = function () {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    callback();
  }
};

/** A drop-in for Node's `stream.PassThrough`. */
function PassThrough(options) {
  if (new.target === undefined && !(this instanceof PassThrough) && !(this instanceof NodeStream.PassThrough)) return new PassThrough(options);
  initTransform.call(this, options);
}

Object.setPrototypeOf(PassThrough.prototype, NodeStream.PassThrough.prototype);
Object.setPrototypeOf(PassThrough, NodeStream.PassThrough);
copyOwn(Transform.prototype, PassThrough.prototype, false);

defineHasInstance(PassThrough, NodeStream.PassThrough, noState);

PassThrough.prototype._transform = function (chunk, _encoding, cb) {
  cb(null, chunk);
};
const passThrough = PassThrough.prototype._transform;

module.exports = { Duplex, Transform, PassThrough };
