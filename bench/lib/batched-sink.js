'use strict'
// write-hot's `queued` and `later` cases, for the contenders with node:stream's Writable API
// (node, readable-stream, sluice): each write completes later, so writes queue behind the one in
// flight. `queued` (batched: 'writev'): on the next turn (setImmediate), the queue going on as one
// _writev batch; `later` (batched: 'tick'): on the next tick, without a _writev, each completion
// handing the next queued write to _write (an async sink written one chunk at a time).
module.exports = function batchedSink (Writable, { highWaterMark, objectMode, batched }) {
  if (batched === 'tick') {
    return new Writable({
      highWaterMark,
      objectMode,
      write (chunk, enc, cb) { process.nextTick(cb) }
    })
  }
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { setImmediate(cb) },
    writev (chunks, cb) { setImmediate(cb) }
  })
}
