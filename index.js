'use strict';
// sluice: drop-in node:stream classes whose backpressure state machines run in Rust.
//
// The module has node:stream's shape: it is itself the legacy `Stream` constructor, with the
// classes and utilities as properties, so `require('stream')` → `require('sluice')` keeps
// working, including `class X extends require('stream')`.
//
// Writable, Readable, Duplex, Transform and PassThrough are sluice's own (state machines in
// crates/sluice-core/src/), and so is everything they expose: the operators, compose, Duplex.from, wrap, the
// web adapters, duplexPair (lib/surface.js). The drive-only utilities (pipeline, finished,
// promises, addAbortSignal, destroy, isReadable/isErrored/isDisturbed/isDestroyed/isWritable)
// are node:stream's: they drive streams through their public methods and the
// `_readableState`/`_writableState` fields, which sluice's classes provide.

const NodeStream = require('stream');
const Writable = require('./lib/writable');
const Readable = require('./lib/readable');
const { Duplex, Transform, PassThrough } = require('./lib/duplex');
const { getDefaultHighWaterMark, setDefaultHighWaterMark } = require('./lib/hwm');
const promises = require('./promises');
const sinks = require('./lib/sinks');
const sources = require('./lib/sources');
const { monitor } = require('./lib/monitor');
const surface = require('./lib/surface');

/** The legacy base class, as `require('stream')` is: every sluice stream is an instance. */
function Stream(opts) {
  NodeStream.Stream.call(this, opts);
}
Stream.prototype = NodeStream.Stream.prototype;
Object.setPrototypeOf(Stream, Object.getPrototypeOf(NodeStream.Stream));

Object.assign(Stream, {
  Stream,
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  pipeline: NodeStream.pipeline,
  finished: NodeStream.finished,
  addAbortSignal: NodeStream.addAbortSignal,
  destroy: NodeStream.destroy,
  isReadable: NodeStream.isReadable,
  isErrored: NodeStream.isErrored,
  isDisturbed: NodeStream.isDisturbed,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
  // Backpressure you can see: stats() on every stream, sampled over time; drained() promise.
  monitor,
  drained: require('./lib/internals').drainedOf,
  // Native sinks (crates/sluice-core/src/sinks/): writes run on a Rust worker thread.
  createWriteStream: sinks.createWriteStream,
  createReadStream: sources.createReadStream,
  ReadStream: sources.ReadStream,
  WriteStream: sinks.WriteStream,
  NullSink: sinks.NullSink,
  MemorySink: sinks.MemorySink,
  ThrottleSink: sinks.ThrottleSink,
  _isUint8Array: NodeStream._isUint8Array,
  _uint8ArrayToBuffer: NodeStream._uint8ArrayToBuffer,
});
// compose, duplexPair, Duplex.from, the operators, wrap, the web adapters, asyncDispose, and the
// rest of node:stream's module shape (lib/surface.js).
surface.attach(Stream);
Object.defineProperty(Stream, 'promises', {
  get() {
    return promises;
  },
  enumerable: true,
  configurable: true,
});

module.exports = Stream;
