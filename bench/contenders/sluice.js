'use strict'
// sluice: the package at the repository root (bench/contenders/../../).
// Loaded lazily so that "not built yet" is reported as n/a by the runner.
const path = require('node:path')

const root = process.env.SLUICE_ROOT || path.resolve(__dirname, '..', '..')
const { Writable, Readable, Transform, PassThrough } = require(root)
const batchedSink = require('../lib/batched-sink')
if (typeof Writable !== 'function') {
  throw new Error(`require(${JSON.stringify(root)}).Writable is ${typeof Writable}, expected a class`)
}

exports.name = 'sluice'
exports.version = () => require(path.join(root, 'package.json')).version

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

// read-hot: same source as contenders/node.js. Checked here rather than at
// load time so that a missing Readable only makes the read suite n/a.
exports.makeSource = function makeSource ({ n, chunk, highWaterMark, makeChunk } = {}) {
  if (typeof Readable !== 'function') {
    throw new Error(`require(${JSON.stringify(root)}).Readable is ${typeof Readable}, expected a class`)
  }
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
