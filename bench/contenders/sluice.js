'use strict'
// sluice: the package at the repository root (bench/contenders/../../).
// Loaded lazily so that "not built yet" is reported as n/a by the runner.
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const { Writable, Readable } = require(root)
if (typeof Writable !== 'function') {
  throw new Error(`require(${JSON.stringify(root)}).Writable is ${typeof Writable}, expected a class`)
}

exports.name = 'sluice'
exports.version = () => require(path.join(root, 'package.json')).version

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

// read-hot: same source as contenders/node.js. Checked here rather than at
// load time so that a missing Readable only makes the read suite n/a.
exports.makeSource = function makeSource ({ n, chunk, highWaterMark } = {}) {
  if (typeof Readable !== 'function') {
    throw new Error(`require(${JSON.stringify(root)}).Readable is ${typeof Readable}, expected a class`)
  }
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
