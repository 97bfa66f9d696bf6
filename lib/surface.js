'use strict';
// Everything sluice's classes expose beyond the state machines, attached in one place: the
// Readable operators, `compose`, `wrap`, `Duplex.from`, the web-stream adapters, `duplexPair`,
// `Symbol.asyncDispose`, and the statics Node's classes have. index.js calls `attach` right after
// loading the classes. After it runs, no method or static reachable from a sluice class resolves
// to node:stream's own stream code (the drive-only utilities aside), and what the stream-making
// ones return are sluice streams (checked by __test__/surface.own.test.js).

const NodeStream = require('stream');
const { Buffer } = require('buffer');
const { since } = require('./node-version');
const { operatorMethods } = require('./operators');
const { toAsyncStreamable } = require('./stream-iter');
const { wrap, makeStaticWrap } = require('./wrap');
const makeDuplexify = require('./duplexify');
const makeCompose = require('./compose');
const makeWeb = require('./web');
const makeDuplexPair = require('./duplex-pair');
const { AbortError, ERR_ILLEGAL_CONSTRUCTOR } = require('./validate');

const eos = NodeStream.finished;

function define(target, key, value) {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

/** `readable[Symbol.asyncDispose]()`: destroy (with an AbortError unless ended), await close. */
function readableAsyncDispose() {
  let error;
  if (!this.destroyed) {
    error = this.readableEnded ? null : new AbortError();
    this.destroy(error);
  }
  return new Promise((resolve, reject) => {
    eos(this, (err) => (err && err !== error ? reject(err) : resolve(null)));
  });
}

function writableAsyncDispose() {
  let error;
  if (!this.destroyed) {
    error = this.writableFinished ? null : new AbortError();
    this.destroy(error);
  }
  return new Promise((resolve, reject) => {
    eos(this, (err) => (err && err.name !== 'AbortError' ? reject(err) : resolve(null)));
  });
}

/** Node 22 made them async functions (resolving undefined, one tick later). */
function asyncForm(fn) {
  if (!since.ASYNC_DISPOSE_ASYNC_FUNCTION) return fn;
  return {
    async [Symbol.asyncDispose]() {
      await fn.call(this);
    },
  }[Symbol.asyncDispose];
}

/**
 * Node's `Readable._fromList(n, state)` (an internal for tests): the chunk `read(n)` would take
 * from `state.buffer`. On a sluice state the queue belongs to the core, so this computes the
 * value without consuming it.
 */
function _fromList(n, state) {
  if (!state || state.length === 0) return null;
  const buffered = Array.from(state.buffer || []);
  if (buffered.length === 0) return null;
  if (state.objectMode) return buffered[0];
  const strings = !!state.decoder;
  if (!n || n >= state.length) {
    if (strings) return buffered.join('');
    if (buffered.length === 1) return buffered[0];
    return Buffer.concat(buffered, state.length);
  }
  if (strings) return buffered.join('').slice(0, n);
  return Buffer.concat(buffered).subarray(0, n);
}

/**
 * `Writable.writeKnownBuffer(stream, chunk)` (Node >= 26): a Buffer write on a byte-mode stream
 * with nothing queued or in progress, and not in a sync phase (a fresh stream is, until its first
 * write completes); otherwise `undefined` (the caller writes the ordinary way).
 */
function writeKnownBuffer(stream, chunk) {
  const state = stream?._writableState;
  if (state == null || state.length !== 0 || !(chunk instanceof Buffer)) return undefined;
  const blocked = state.objectMode || state.destroyed || state.errored || state.sync || state.ending ||
    state.ended || state.finished || state.writing || state.corked || state.bufferedRequestCount > 0 ||
    state.needDrain || state.pendingcb > 0 || state.bufferProcessing || state.finalCalled ||
    state.prefinished || state.errorEmitted || state.constructed === false;
  if (blocked) return undefined;
  return stream.write(chunk, 'buffer');
}

/** Own keys of `proto` and of its chain below `stop` (exclusive). */
function chainKeys(obj, stop) {
  const keys = new Set();
  for (let o = obj; o && o !== stop; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) keys.add(k);
  }
  return keys;
}

/** Every function of node:stream's classes, prototypes and module (identity set). */
function nodeStreamFunctions() {
  const fns = new Set();
  const add = (o) => {
    for (const k of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k);
      for (const v of [d.value, d.get, d.set]) if (typeof v === 'function') fns.add(v);
    }
  };
  add(NodeStream);
  for (const name of ['Stream', 'Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']) {
    add(NodeStream[name]);
    add(NodeStream[name].prototype);
  }
  return fns;
}

function attach(sluice) {
  const { Readable, Writable, Duplex, Transform, PassThrough } = sluice;
  const { fromWith } = require('./internals');
  const web = makeWeb({ Readable, Writable, Duplex });
  const { duplexify } = makeDuplexify({ Duplex, Readable, Writable, fromWith });
  const { compose, composeMethod } = makeCompose({ Duplex, Readable });
  const duplexPair = makeDuplexPair(Duplex);

  // --- Readable.prototype: operators, wrap, compose, asyncDispose, toAsyncStreamable.
  const readableMethods = operatorMethods(Readable);
  readableMethods.wrap = wrap;
  readableMethods.compose = since.READABLE_COMPOSE_DIRECT
    ? function compose(stream, options) {
      return composeMethod.call(this, stream, options);
    }
    : Object.defineProperty(function compose(...args) {
      if (new.target) throw new ERR_ILLEGAL_CONSTRUCTOR();
      return composeMethod.apply(this, args);
    }, 'length', { value: 2 });
  readableMethods[Symbol.asyncDispose] = asyncForm(readableAsyncDispose);
  if (since.TO_ASYNC_STREAMABLE) readableMethods[Symbol.for('Stream.toAsyncStreamable')] = toAsyncStreamable;

  // Duplex, Transform and PassThrough carry copies of Readable's methods (lib/duplex.js).
  for (const proto of [Readable.prototype, Duplex.prototype, Transform.prototype, PassThrough.prototype]) {
    for (const key of Reflect.ownKeys(readableMethods)) define(proto, key, readableMethods[key]);
  }
  define(Writable.prototype, Symbol.asyncDispose, asyncForm(writableAsyncDispose));

  // --- Statics.
  define(Readable, 'wrap', makeStaticWrap(Readable));
  define(Readable, '_fromList', _fromList);
  define(Readable, 'fromWeb', function fromWeb(readableStream, options) {
    return web.readableFromWeb(readableStream, options);
  });
  define(Readable, 'toWeb', web.readableToWeb);
  define(Writable, 'fromWeb', function fromWeb(writableStream, options) {
    return web.writableFromWeb(writableStream, options);
  });
  define(Writable, 'toWeb', web.writableToWeb);
  if (since.WRITE_KNOWN_BUFFER) define(Writable, 'writeKnownBuffer', writeKnownBuffer);
  define(Duplex, 'from', function from(body) {
    return duplexify(body, 'body');
  });
  define(Duplex, 'fromWeb', function fromWeb(pair, options) {
    return web.duplexFromWeb(pair, options);
  });
  define(Duplex, 'toWeb', web.duplexToWeb);

  // What Node's classes inherit (Duplex from Readable, Transform from Duplex, ...) comes from the
  // sluice class in the same place, so no lookup falls through to node:stream's.
  const nodeFns = nodeStreamFunctions();
  const pairs = [[Duplex, Readable], [Transform, Duplex], [PassThrough, Transform]];
  for (const [Cls, Parent] of pairs) {
    for (const [target, source, stop] of [
      [Cls, Parent, NodeStream.Stream],
      [Cls.prototype, Parent.prototype, NodeStream.Stream.prototype],
    ]) {
      for (const key of chainKeys(target, stop)) {
        const d = descriptorOf(target, key, stop);
        if (!d || !isNodeFn(d, nodeFns)) continue;
        const own = descriptorOf(source, key, stop);
        if (own && !isNodeFn(own, nodeFns)) Object.defineProperty(target, key, own);
      }
    }
  }

  // --- The module.
  Object.assign(sluice, {
    compose,
    duplexPair,
    isDestroyed: NodeStream.isDestroyed,
    isWritable: NodeStream.isWritable,
    _isArrayBufferView: NodeStream._isArrayBufferView,
  });
  return sluice;
}

function descriptorOf(obj, key, stop) {
  for (let o = obj; o && o !== stop; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

function isNodeFn(d, nodeFns) {
  return [d.value, d.get, d.set].some((v) => typeof v === 'function' && nodeFns.has(v));
}

module.exports = { attach, nodeStreamFunctions };
