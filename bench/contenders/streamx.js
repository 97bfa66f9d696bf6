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
const { Writable, Readable } = require('streamx')

exports.name = 'streamx'
exports.version = () => require('../lib/pkg-version')('streamx', __dirname)

const one = () => 1
const bytes = (data) => typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength

// write-hot: a no-op sink. read-hot's pipe case passes onWrite (counts bytes).
exports.makeSink = function makeSink ({ highWaterMark, objectMode, onWrite, batched } = {}) {
  if (batched === 'tick') {
    // write-hot's later case (see lib/batched-sink.js): no batch hook.
    return new Writable({
      highWaterMark,
      byteLength: objectMode ? one : bytes,
      write (data, cb) { process.nextTick(cb) }
    })
  }
  if (batched) {
    // write-hot's queued case (see lib/batched-sink.js): streamx's batch hook is writev.
    return new Writable({
      highWaterMark,
      byteLength: objectMode ? one : bytes,
      write (data, cb) { setImmediate(cb) },
      writev (batch, cb) { setImmediate(cb) }
    })
  }
  if (onWrite) {
    return new Writable({
      highWaterMark,
      byteLength: objectMode ? one : bytes,
      write (data, cb) { onWrite(data); cb() }
    })
  }
  return new Writable({
    highWaterMark,
    byteLength: objectMode ? one : bytes,
    write (data, cb) { cb() }
  })
}

// read-hot: streamx's own Readable. Its read(cb) is the analogue of _read():
// push until push() returns false (buffered >= highWaterMark), n chunks in
// all, then push(null); cb(null) says this read is done. Buffers are counted
// by byteLength (streamx's default), so hwm 16 KiB means the same as in node.
// Its pipe() goes into the streamx Writable from makeSink.
exports.makeSource = function makeSource ({ n, chunk, highWaterMark } = {}) {
  let i = 0
  return new Readable({
    highWaterMark,
    read (cb) {
      while (i < n) {
        i++
        if (!this.push(chunk)) return cb(null)
      }
      this.push(null)
      cb(null)
    }
  })
}
