'use strict'
// streamx: a different stream design (no encodings, byte accounting via a
// byteLength function, writes are batched and flushed on the next tick).
// Resolved from bench/node_modules (run `cd bench && npm install`).
//
// Closest equivalents to the node options:
// - objectMode: streamx has no objectMode flag; counting every item as 1 via
//   byteLength gives node's objectMode accounting (hwm counts items).
// - byte mode: streamx's default byteLength counts anything that is not a
//   typed array (including strings) as 1024 bytes, which would make the str64
//   case hit backpressure every 16 writes. We count strings by their UTF-8
//   byte length instead, like node does. Strings are NOT converted to Buffers
//   (node/sluice/readable-stream do that because decodeStrings defaults to true).
const { Writable } = require('streamx')

exports.name = 'streamx'
exports.version = () => require('../lib/pkg-version')('streamx', __dirname)

const one = () => 1
const bytes = (data) => typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength

exports.makeSink = function makeSink ({ highWaterMark, objectMode } = {}) {
  return new Writable({
    highWaterMark,
    byteLength: objectMode ? one : bytes,
    write (data, cb) { cb() }
  })
}
