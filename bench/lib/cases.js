'use strict'
// Scenario definitions shared by write-hot.js (which runs one) and run.js
// (which schedules them). hwm values are Node 20's defaults, passed
// explicitly so every contender gets the same limit.

const CASES = {
  buf64: {
    n: 5_000_000,
    describe: '64-byte Buffer per write, byte mode, hwm 16 KiB (never hits backpressure in node)',
    opts: { objectMode: false, highWaterMark: 16 * 1024 },
    chunk: () => Buffer.alloc(64, 0x61)
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
  obj: {
    n: 2_000_000,
    describe: 'small plain object per write, objectMode, hwm 16 items',
    opts: { objectMode: true, highWaterMark: 16 },
    // The same object is written every time so the benchmark measures the
    // stream, not the allocator.
    chunk: () => ({ id: 1, kind: 'event', value: 42 })
  }
}

module.exports = { CASES }
