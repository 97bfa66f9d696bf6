'use strict'
// readable-stream: the userland port of node:stream (v4 tracks Node 18+).
// Resolved from bench/node_modules (run `cd bench && npm install`).
const { Writable, Readable, Transform, PassThrough } = require('readable-stream')
const batchedSink = require('../lib/batched-sink')

exports.name = 'readable-stream'
exports.version = () => require('../lib/pkg-version')('readable-stream', __dirname)

// write-hot: a no-op sink. read-hot's pipe case passes onWrite (counts bytes).
exports.makeSink = function makeSink ({ highWaterMark, objectMode, onWrite, batched } = {}) {
  if (batched) return batchedSink(Writable, { highWaterMark, objectMode, batched })
  if (onWrite) {
    return new Writable({
      highWaterMark,
      objectMode,
      write (chunk, enc, cb) { onWrite(chunk); cb() }
    })
  }
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { cb() }
  })
}

// read-hot: same source as contenders/node.js.
exports.makeSource = function makeSource ({ n, chunk, highWaterMark, makeChunk } = {}) {
  if (makeChunk) return freshSource(Readable, n, makeChunk, highWaterMark)
  let i = 0
  return new Readable({
    highWaterMark,
    read () {
      while (i < n) {
        i++
        if (!this.push(chunk)) return
      }
      this.push(null)
    }
  })
}

// scaling: the same source, but each push is a fresh chunk from makeChunk() (like data
// read from a socket), so memory that holds on to chunks shows up in RSS. A separate
// function so read-hot's loop above stays exactly as it was.
function freshSource (Readable, n, makeChunk, highWaterMark) {
  let i = 0
  return new Readable({
    highWaterMark,
    read () {
      while (i < n) {
        i++
        if (!this.push(makeChunk())) return
      }
      this.push(null)
    }
  })
}

// transform / scaling: one stage of a chain, of the same implementation as the source
// and sink. kind 'pass': a PassThrough; kind 'upper': a Transform that uppercases
// (chunk.toString().toUpperCase(), the usual idiom: a string pushed back into a byte-mode
// readable side, so each stage also encodes it to a Buffer again).
exports.makeStage = function makeStage ({ kind, highWaterMark } = {}) {
  if (kind === 'pass') return new PassThrough({ highWaterMark })
  if (kind === 'upper') {
    return new Transform({
      highWaterMark,
      transform (chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()) }
    })
  }
  throw new Error(`unknown stage kind ${kind}`)
}
