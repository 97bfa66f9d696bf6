'use strict'
// readable-stream: the userland port of node:stream (v4 tracks Node 18+).
// Resolved from bench/node_modules (run `cd bench && npm install`).
const { Writable } = require('readable-stream')

exports.name = 'readable-stream'
exports.version = () => require('../lib/pkg-version')('readable-stream', __dirname)

exports.makeSink = function makeSink ({ highWaterMark, objectMode } = {}) {
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { cb() }
  })
}
