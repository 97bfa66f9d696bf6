'use strict'
// One trial of the file-sink benchmark for the `bun` contender, run by the bun binary
// (bench/node_modules/bun, installed by `cd bench && npm install`):
//
//   bench/node_modules/.bin/bun bench/file-sink-bun.js --case CASE [--mib S]
//   bench/node_modules/.bin/bun bench/file-sink-bun.js --check
//
// Same measurement and output as file-sink.js (lib/file-measure.js, loaded as
// CommonJS by Bun): Bun.file(path).writer({ highWaterMark }) (a FileSink), the chunks
// written in a loop, flush() every highWaterMark bytes (64 KiB when the case uses the
// default) awaited only if it returns a promise, then `await writer.end()`.
// For a regular file, Bun 1.4's write() and flush() return numbers (the writes are done
// synchronously, on this thread), so the loop never awaits; the counts of promises
// seen are reported anyway (`awaited`).

const crypto = require('node:crypto')
const m = require('./lib/file-measure')
const { DEFAULT_MIB, FILE_CASES } = require('./lib/file-cases')

const { MiB } = m
const isThenable = (x) => x !== null && typeof x === 'object' && typeof x.then === 'function'

let stage = 'loading'

async function main () {
  const args = m.parseArgs(process.argv.slice(2))
  const fields = { contender: 'bun', case: args.case || null }
  m.guardStuck(() => stage, fields)
  if (typeof Bun === 'undefined') return m.fail(fields, new Error('file-sink-bun.js must be run by bun'), 2)
  const version = Bun.version
  if (args.check) {
    m.report({ contender: 'bun', ok: true, version })
    return
  }
  const spec = FILE_CASES[args.case]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(FILE_CASES).join(', ')} (got ${args.case})`)
  const mib = args.mib !== undefined ? Number(args.mib) : DEFAULT_MIB
  if (!Number.isInteger(mib) || mib <= 0) throw new Error(`--mib must be a positive integer (got ${args.mib})`)
  const size = mib * MiB
  const n = size / spec.chunk
  const chunk = crypto.randomFillSync(Buffer.allocUnsafe(spec.chunk))
  const flushEvery = spec.hwm || 64 * 1024

  const file = m.tmpPath('sink-bun')
  try {
    stage = 'timed run'
    const measure = await m.startMeasure()
    const w = Bun.file(file).writer(spec.hwm === undefined ? undefined : { highWaterMark: spec.hwm })
    let pending = 0
    let flushes = 0
    let awaited = 0
    for (let i = 0; i < n; i++) {
      const r = w.write(chunk)
      if (isThenable(r)) { awaited++; await r }
      pending += spec.chunk
      if (pending >= flushEvery) {
        pending = 0
        flushes++
        const f = w.flush()
        if (isThenable(f)) { awaited++; await f }
      }
    }
    const e = w.end()
    if (isThenable(e)) { awaited++; await e }
    const ns = measure.stopClock()
    const { loopDelay, rss } = await measure.finish()
    stage = 'verification'
    m.verifyFile(file, size, m.repeating(chunk), "bun's file")
    const ms = m.toMs(ns)
    m.report({
      contender: 'bun',
      case: args.case,
      mib,
      chunk: spec.chunk,
      hwm: spec.hwm === undefined ? null : spec.hwm,
      ms,
      mibPerSec: Math.round((mib / (ms / 1000)) * 10) / 10,
      loopDelay,
      rss,
      version,
      flushes,
      awaited
    })
  } finally {
    m.rmQuiet(file)
  }
}

main().catch((err) => m.fail({ contender: 'bun', case: null }, err, 1))
