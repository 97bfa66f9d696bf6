'use strict'
// Baseline: Node's own stream.Writable (the thing sluice replaces).
const { Writable } = require('node:stream')

exports.name = 'node'
exports.version = () => process.version

exports.makeSink = function makeSink ({ highWaterMark, objectMode } = {}) {
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { cb() }
  })
}
