'use strict'
// Baseline: Node's own stream.Writable / stream.Readable (the things sluice replaces).
const { Writable, Readable } = require('node:stream')

exports.name = 'node'
exports.version = () => process.version

// write-hot: a no-op sink. read-hot's pipe case passes onWrite (counts bytes).
exports.makeSink = function makeSink ({ highWaterMark, objectMode, onWrite } = {}) {
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

// read-hot: read() pushes `chunk` until push() returns false (the documented
// _read contract), n chunks in all, then push(null).
exports.makeSource = function makeSource ({ n, chunk, highWaterMark } = {}) {
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
