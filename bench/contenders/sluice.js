'use strict'
// sluice: the package at the repository root (bench/contenders/../../).
// Loaded lazily so that "not built yet" is reported as n/a by the runner.
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const { Writable } = require(root)
if (typeof Writable !== 'function') {
  throw new Error(`require(${JSON.stringify(root)}).Writable is ${typeof Writable}, expected a class`)
}

exports.name = 'sluice'
exports.version = () => require(path.join(root, 'package.json')).version

exports.makeSink = function makeSink ({ highWaterMark, objectMode } = {}) {
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { cb() }
  })
}
