'use strict'
// minipass: a synchronous, minimal stream (Readable+Writable in one class).
// Resolved from bench/node_modules (run `cd bench && npm install`).
//
// Closest equivalent of "a Writable whose write is a no-op": a Minipass with a
// no-op 'data' listener. The listener puts it in flowing mode, so every
// write() synchronously emits 'data' to the no-op function (the analogue of
// calling _write) and nothing is buffered; write() then returns true.
// Minipass has no highWaterMark: it only signals backpressure when not
// flowing, which never happens here, so the option is ignored.
// Strings are converted to Buffers (no `encoding` option set), like node's
// default decodeStrings: true. 'finish' is emitted synchronously from end()
// (the runner attaches its listener before calling end()).
const { Minipass } = require('minipass')

exports.name = 'minipass'
exports.version = () => require('../lib/pkg-version')('minipass', __dirname)

function noop () {}

exports.makeSink = function makeSink ({ highWaterMark, objectMode } = {}) {
  const mp = objectMode ? new Minipass({ objectMode: true }) : new Minipass()
  mp.on('data', noop)
  return mp
}
