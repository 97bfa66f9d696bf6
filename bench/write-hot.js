#!/usr/bin/env node
'use strict'
// One trial of the write hot path, in this process.
//
//   node bench/write-hot.js --contender NAME --case CASE [--n N] [--warmup F]
//   node bench/write-hot.js --contender NAME --check
//
// Runs a warm-up (F * n writes, default 10%) on a throw-away sink, then times
// n writes + end() + 'finish' on a fresh sink with the canonical backpressure
// loop, and prints one JSON line:
//   {"contender","case","n","ms","nsPerOp", ...extra fields}
// If the contender cannot be loaded it prints {"contender","case","error"}
// and exits with code 2 (run.js reports it as n/a); a case the contender declares unsupported
// (its writeUnsupported) prints {"contender","case","na"} and exits with code 4.

const path = require('node:path')
const { parseArgs } = require('./lib/args')
const { once } = require('node:events')
const { CASES } = require('./lib/cases')

// The canonical loop:
//   while (i < n) { if (!w.write(chunk)) await once(w, 'drain') }
// written so that the synchronous path allocates no promise per write: the
// inner loop writes until write() returns false, and only then awaits 'drain'.
async function pump (w, chunk, n, withCallback) {
  let i = 0
  let drains = 0
  let calls = 0
  const cb = () => { calls++ }
  while (i < n) {
    let ok = true
    if (withCallback) {
      while (ok && i < n) {
        ok = w.write(chunk, cb)
        i++
      }
    } else {
      while (ok && i < n) {
        ok = w.write(chunk)
        i++
      }
    }
    if (!ok) {
      drains++
      await once(w, 'drain')
    }
  }
  const finished = once(w, 'finish') // attached before end(): some sinks finish synchronously
  w.end()
  await finished
  if (withCallback && calls !== n) throw new Error(`${calls} write callbacks for ${n} writes`)
  return drains
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const name = args.contender
  if (!name || typeof name !== 'string') throw new Error('--contender NAME is required')
  const caseName = args.case

  let contender
  try {
    contender = require(path.join(__dirname, 'contenders', `${name}.js`))
  } catch (err) {
    const msg = String(err && err.message ? err.message : err).split('\n')[0]
    reported = true
    process.stdout.write(JSON.stringify({ contender: name, case: caseName || null, error: msg }) + '\n')
    process.exitCode = 2
    return
  }
  let version = null
  try { version = contender.version() } catch { /* informational only */ }

  if (args.check) {
    // Load check only (also builds one sink to catch constructor errors).
    try {
      contender.makeSink({ objectMode: false, highWaterMark: 16384 })
      contender.makeSink({ objectMode: true, highWaterMark: 16 })
    } catch (err) {
      reported = true
      process.stdout.write(JSON.stringify({ contender: name, case: null, error: String(err.message).split('\n')[0] }) + '\n')
      process.exitCode = 2
      return
    }
    reported = true
    process.stdout.write(JSON.stringify({ contender: name, ok: true, version }) + '\n')
    return
  }

  const spec = CASES[caseName]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(CASES).join(', ')} (got ${caseName})`)
  const unsupported = contender.writeUnsupported && contender.writeUnsupported[caseName]
  if (unsupported) {
    reported = true
    process.stdout.write(JSON.stringify({ contender: name, case: caseName, na: String(unsupported), error: `n/a: ${unsupported}` }) + '\n')
    process.exitCode = 4
    return
  }
  const n = args.n !== undefined ? Number(args.n) : spec.n
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--n must be a positive integer (got ${args.n})`)
  const warmupFrac = args.warmup !== undefined ? Number(args.warmup) : 0.1
  const warmupN = Math.ceil(n * warmupFrac)

  const chunk = spec.chunk()

  stage = 'warm-up'
  if (warmupN > 0) await pump(contender.makeSink(spec.opts), chunk, warmupN, spec.withCallback)

  const w = contender.makeSink(spec.opts)
  if (typeof global.gc === 'function') global.gc()

  stage = 'timed run'
  const t0 = process.hrtime.bigint()
  const drains = await pump(w, chunk, n, spec.withCallback)
  const t1 = process.hrtime.bigint()

  reported = true
  const ns = Number(t1 - t0)
  process.stdout.write(JSON.stringify({
    contender: name,
    case: caseName,
    n,
    ms: Math.round(ns / 1e4) / 100,
    nsPerOp: Math.round((ns / n) * 100) / 100,
    drains,
    warmupN,
    version
  }) + '\n')
}

// If the sink never calls back / never emits 'drain' or 'finish', the event
// loop empties and node exits 0 with the promise still pending: report that.
let stage = 'loading'
let reported = false
process.on('exit', (code) => {
  if (!reported && code === 0) {
    process.stdout.write(JSON.stringify({
      contender: process.argv[process.argv.indexOf('--contender') + 1] || null,
      error: `stuck: event loop emptied during ${stage} (a 'drain' or 'finish' that never came?)`
    }) + '\n')
    process.exitCode = 3
  }
})

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 1
})
