'use strict'
// readable-stream: the userland port of node:stream (v4 tracks Node 18+).
// Resolved from bench/node_modules (run `cd bench && npm install`).
const { Writable, Readable } = require('readable-stream')

exports.name = 'readable-stream'
exports.version = () => require('../lib/pkg-version')('readable-stream', __dirname)

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

// read-hot: same source as contenders/node.js.
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
