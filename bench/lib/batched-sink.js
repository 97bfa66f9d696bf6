'use strict'
// write-hot's `queued` case, for the contenders with node:stream's Writable API (node,
// readable-stream, sluice): each write or batch completes on the next turn, so writes queue
// behind the one in flight and go on as one _writev batch.
module.exports = function batchedSink (Writable, { highWaterMark, objectMode }) {
  return new Writable({
    highWaterMark,
    objectMode,
    write (chunk, enc, cb) { setImmediate(cb) },
    writev (chunks, cb) { setImmediate(cb) }
  })
}
