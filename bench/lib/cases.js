'use strict'
// Scenario definitions shared by write-hot.js / read-hot.js (which run one)
// and run.js (which schedules them). hwm values are Node 20's defaults,
// passed explicitly so every contender gets the same limit.

const CASES = {
  buf64: {
    n: 5_000_000,
    describe: '64-byte Buffer per write, byte mode, hwm 16 KiB (never hits backpressure in node)',
    opts: { objectMode: false, highWaterMark: 16 * 1024 },
    chunk: () => Buffer.alloc(64, 0x61)
  },
  buf64cb: {
    n: 5_000_000,
    describe: '64-byte Buffer per write with a callback (the same function each time), byte mode, hwm 16 KiB',
    opts: { objectMode: false, highWaterMark: 16 * 1024 },
    chunk: () => Buffer.alloc(64, 0x61),
    withCallback: true
  },
  str64: {
    n: 5_000_000,
    describe: '64-char ASCII string per write, byte mode, hwm 16 KiB (decodeStrings: string -> Buffer per write in node)',
    opts: { objectMode: false, highWaterMark: 16 * 1024 },
    chunk: () => 'a'.repeat(64)
  },
  buf16k: {
    n: 200_000,
    // chunk == hwm: Node 20 computes write()'s return value after a synchronous
    // _write has completed (length is back to 0), so it returns true and never
    // waits for 'drain'. Implementations that compute it before calling
    // _write (readable-stream 4, streamx) return false on every write and pay
    // one 'drain' round-trip per write. The `drains` field shows which.
    describe: '16 KiB Buffer per write, byte mode, hwm 16 KiB (chunk == hwm: tests the sync-completion backpressure path)',
    opts: { objectMode: false, highWaterMark: 16 * 1024 },
    chunk: () => Buffer.alloc(16 * 1024, 0x61)
  },
  queued: {
    n: 2_000_000,
    describe: '64-byte Buffer per write into a Writable whose write and writev complete on the next turn (setImmediate): writes queue behind the one in flight, byte mode, hwm 64 KiB',
    opts: { objectMode: false, highWaterMark: 64 * 1024, batched: 'writev' },
    chunk: () => Buffer.alloc(64, 0x61)
  },
  later: {
    n: 2_000_000,
    describe: '64-byte Buffer per write into a Writable whose write completes on the next tick (process.nextTick), no writev: each completion hands the next queued write to _write, byte mode, hwm 64 KiB',
    opts: { objectMode: false, highWaterMark: 64 * 1024, batched: 'tick' },
    chunk: () => Buffer.alloc(64, 0x61)
  },
  obj: {
    n: 2_000_000,
    describe: 'small plain object per write, objectMode, hwm 16 items',
    opts: { objectMode: true, highWaterMark: 16 },
    // The same object is written every time so the benchmark measures the
    // stream, not the allocator.
    chunk: () => ({ id: 1, kind: 'event', value: 42 })
  }
}

// read-hot: the same source in every case (a Readable whose read() pushes the
// same 64-byte Buffer until n chunks, then push(null)); the case is how it is
// consumed. n counts chunks pushed by the source.
const READ_CHUNK = () => Buffer.alloc(64, 0x61)
const READ_HWM = 16 * 1024
const READ_CASES = {
  data: {
    n: 5_000_000,
    describe: "flowing mode: a 'data' handler counting bytes, then 'end'",
    opts: { highWaterMark: READ_HWM },
    chunk: READ_CHUNK
  },
  asyncIter: {
    n: 5_000_000,
    describe: 'for await (const chunk of src) counting bytes',
    opts: { highWaterMark: READ_HWM },
    chunk: READ_CHUNK
  },
  pipe: {
    n: 5_000_000,
    describe: "src.pipe(sink) into a no-op Writable of the same implementation (sync callback), until 'finish'",
    opts: { highWaterMark: READ_HWM },
    chunk: READ_CHUNK
  }
}

// transform: Readable -> `depth` stages -> no-op Writable, all of one implementation,
// piped with .pipe(). The source pushes the same 64-byte Buffer (or 64-char string) n
// times; the sink counts bytes and checks the content. n shrinks with the depth so a
// trial takes about the same time. hwm 16 KiB everywhere (Node 20's default).
const TRANSFORM_HWM = 16 * 1024
const TRANSFORM_N = { 1: 1_000_000, 5: 400_000, 20: 100_000 }
const TRANSFORM_CASES = {}
for (const chunkKind of ['buf', 'str']) {
  for (const stage of ['pass', 'upper']) {
    for (const depth of [1, 5, 20]) {
      const name = `${stage}${depth}${chunkKind === 'str' ? '-str' : ''}`
      TRANSFORM_CASES[name] = {
        n: TRANSFORM_N[depth],
        depth,
        stage,
        chunkKind,
        describe: `${depth} ${stage === 'pass' ? 'PassThrough' : 'uppercasing Transform'} stage${depth > 1 ? 's' : ''}, ` +
          `source pushes a 64-${chunkKind === 'str' ? 'char string' : 'byte Buffer'}`,
        opts: { highWaterMark: TRANSFORM_HWM },
        chunk: chunkKind === 'str' ? () => 'a'.repeat(64) : () => Buffer.alloc(64, 0x61)
      }
    }
  }
}

module.exports = { CASES, READ_CASES, TRANSFORM_CASES }
