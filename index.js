'use strict';
// sluice: drop-in node:stream classes whose backpressure state machine runs in Rust.
//
// Writable and Readable are sluice's own (state machines in src/core/). Until their own Rust
// cores land, Duplex, Transform and PassThrough are node:stream's, so that a program that
// swaps its import keeps working; stream utilities (pipeline, finished, promises,
// addAbortSignal) are node:stream's and work unmodified with sluice streams.

const NodeStream = require('stream');
const Writable = require('./lib/writable');
const Readable = require('./lib/readable');
const { getDefaultHighWaterMark, setDefaultHighWaterMark } = require('./lib/hwm');

module.exports = {
  Writable,
  Readable,
  Duplex: NodeStream.Duplex,
  Transform: NodeStream.Transform,
  PassThrough: NodeStream.PassThrough,
  Stream: NodeStream.Stream,
  pipeline: NodeStream.pipeline,
  finished: NodeStream.finished,
  addAbortSignal: NodeStream.addAbortSignal,
  promises: NodeStream.promises,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
};
