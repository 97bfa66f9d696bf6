'use strict'
// minipass: a synchronous, minimal stream (Readable+Writable in one class).
// Resolved from bench/node_modules (run `cd bench && npm install`).
//
// Closest equivalent of "a Writable whose write is a no-op": a Minipass with a
// no-op 'data' listener. The listener puts it in flowing mode, so every
// write() synchronously emits 'data' to the no-op function (the analogue of
// calling _write) and nothing is buffered; write() then returns true.
// Minipass has no highWaterMark: it only signals backpressure when not
// flowing, which never happens here, so the option is ignored.
// Strings are converted to Buffers (no `encoding` option set), like node's
// default decodeStrings: true. 'finish' is emitted synchronously from end()
// (the runner attaches its listener before calling end()).
const { Minipass } = require('minipass')

exports.name = 'minipass'
exports.version = () => require('../lib/pkg-version')('minipass', __dirname)

function noop () {}

// write-hot: no-op 'data' listener. read-hot's pipe case passes onWrite, which
// becomes the 'data' listener instead (counts bytes).
// Minipass has no completion callback to defer (a write is consumed when written).
exports.writeUnsupported = {
  queued: 'no asynchronous write completion: nothing queues behind a write in flight',
  later: 'no asynchronous write completion: nothing queues behind a write in flight'
}

exports.makeSink = function makeSink ({ objectMode, onWrite } = {}) {
  const mp = objectMode ? new Minipass({ objectMode: true }) : new Minipass()
  mp.on('data', onWrite || noop)
  return mp
}

// read-hot source. Minipass has no pull hook (no _read/read(cb)): it is a
// stream you write into. Closest equivalent of "read() pushes until push()
// returns false": a producer that write()s the chunk until write() returns
// false (= Minipass is not flowing, the chunk was buffered), n chunks in all,
// then end(), and that is called again on every 'drain'. Minipass emits
// 'drain' when it starts flowing (resume(): first 'data' listener, pipe(),
// async iteration) and when its buffer empties, so 'drain' plays the role of
// "the consumer wants more" and production starts only once consumption does.
// No highWaterMark (ignored): Minipass buffers only while paused.
exports.makeSource = function makeSource ({ n, chunk } = {}) {
  const mp = new Minipass()
  let i = 0
  let ended = false
  mp.on('drain', function produce () {
    if (ended) return
    while (i < n) {
      i++
      if (!mp.write(chunk)) return
    }
    if (ended) return // a nested 'drain' (emitted from inside write()) already ended it
    ended = true
    mp.end()
  })
  return mp
}
