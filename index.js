'use strict';
// sluice: drop-in node:stream classes whose backpressure state machine runs in Rust.
//
// Writable, Readable, Duplex, Transform and PassThrough are sluice's own (state machines in
// src/core/); stream utilities (pipeline, finished, promises, addAbortSignal) are node:stream's
// and work unmodified with sluice streams.

const NodeStream = require('stream');
const Writable = require('./lib/writable');
const Readable = require('./lib/readable');
const { Duplex, Transform, PassThrough } = require('./lib/duplex');
const { getDefaultHighWaterMark, setDefaultHighWaterMark } = require('./lib/hwm');

module.exports = {
  Writable,
  Readable,
  Duplex,
  Transform,
  PassThrough,
  Stream: NodeStream.Stream,
  pipeline: NodeStream.pipeline,
  finished: NodeStream.finished,
  addAbortSignal: NodeStream.addAbortSignal,
  promises: NodeStream.promises,
  getDefaultHighWaterMark,
  setDefaultHighWaterMark,
};
