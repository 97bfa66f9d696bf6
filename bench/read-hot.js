#!/usr/bin/env node
'use strict'
// One trial of the read hot path, in this process.
//
//   node bench/read-hot.js --contender NAME --case data|asyncIter|pipe [--n N] [--warmup F]
//   node bench/read-hot.js --contender NAME --check
//
// The source is the contender's makeSource({ n, chunk, highWaterMark }): a
// Readable whose read() pushes the same 64-byte Buffer until n chunks, then
// push(null). The case is how it is consumed:
//   data       a 'data' handler counting bytes, until 'end'
//   asyncIter  for await (const chunk of src) counting bytes
//   pipe       src.pipe(sink), sink = the contender's makeSink({ onWrite }) (a
//              Writable whose write counts bytes and calls back synchronously),
//              until the sink's 'finish'
// Runs a warm-up (F * n chunks, default 10%) on a throw-away source, then
// times one consumption of n chunks on a fresh source, checks that exactly
// n * 64 bytes arrived, and prints one JSON line:
//   {"contender","case","n","ms","nsPerOp", ...extra fields}
// Errors are JSON lines with an "error" field and a non-zero exit code:
//   2  the contender cannot be loaded / has no makeSource (run.js: n/a)
//   4  the contender declares the case unsupported ({"na": reason}; run.js: n/a)
//   1  anything else, including a wrong byte count (run.js: failed trial)
//   3  the event loop emptied before the consumption finished (a hang)

const path = require('node:path')
const { parseArgs } = require('./lib/args')
const { READ_CASES } = require('./lib/cases')

function report (obj, exitCode) {
  reported = true
  process.stdout.write(JSON.stringify(obj) + '\n')
  if (exitCode) process.exitCode = exitCode
}

// Builds one source (and for pipe one sink) and returns { tally, run }:
// run() consumes the whole stream and resolves when it is done; tally holds
// the bytes and chunks the consumer saw. Construction is outside the timed
// part, like write-hot's sink.
function setup (contender, caseName, n, chunk, opts) {
  const tally = { bytes: 0, chunks: 0 }
  const src = contender.makeSource({ n, chunk, highWaterMark: opts.highWaterMark })
  let run
  if (caseName === 'data') {
    run = () => new Promise((resolve, reject) => {
      src.once('error', reject)
      src.once('end', resolve) // before 'data': some sources end synchronously
      src.on('data', (c) => { tally.bytes += c.length; tally.chunks++ })
    })
  } else if (caseName === 'asyncIter') {
    run = async () => {
      for await (const c of src) { tally.bytes += c.length; tally.chunks++ }
    }
  } else if (caseName === 'pipe') {
    const sink = contender.makeSink({
      highWaterMark: opts.highWaterMark,
      objectMode: false,
      onWrite: (c) => { tally.bytes += c.length; tally.chunks++ }
    })
    run = () => new Promise((resolve, reject) => {
      src.once('error', reject)
      sink.once('error', reject)
      sink.once('finish', resolve) // before pipe(): some sinks finish synchronously
      src.pipe(sink)
    })
  } else {
    throw new Error(`unknown case ${caseName}`)
  }
  return { tally, run }
}

function checkBytes (tally, n, chunk, what) {
  const expected = n * chunk.length
  if (tally.bytes !== expected) {
    const err = new Error(`byte count mismatch in ${what}: got ${tally.bytes} bytes, expected ${expected} ` +
      `(n=${n} x ${chunk.length}); the consumer saw ${tally.chunks} chunks`)
    err.mismatch = true
    throw err
  }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const name = args.contender
  if (!name || typeof name !== 'string') throw new Error('--contender NAME is required')
  const caseName = args.case

  let contender
  try {
    contender = require(path.join(__dirname, 'contenders', `${name}.js`))
    if (typeof contender.makeSource !== 'function') throw new Error(`contenders/${name}.js exports no makeSource()`)
  } catch (err) {
    const msg = String(err && err.message ? err.message : err).split('\n')[0]
    report({ contender: name, case: caseName || null, error: msg }, 2)
    return
  }
  let version = null
  try { version = contender.version() } catch { /* informational only */ }

  if (args.check) {
    // Load check only (also builds one source and one counting sink to catch
    // constructor errors).
    try {
      contender.makeSource({ n: 1, chunk: Buffer.alloc(64), highWaterMark: 16384 })
      contender.makeSink({ objectMode: false, highWaterMark: 16384, onWrite () {} })
    } catch (err) {
      report({ contender: name, case: null, error: String(err.message).split('\n')[0] }, 2)
      return
    }
    report({ contender: name, ok: true, version })
    return
  }

  const spec = READ_CASES[caseName]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(READ_CASES).join(', ')} (got ${caseName})`)
  const unsupported = contender.readUnsupported && contender.readUnsupported[caseName]
  if (unsupported) {
    report({ contender: name, case: caseName, na: String(unsupported), error: `n/a: ${unsupported}` }, 4)
    return
  }
  const n = args.n !== undefined ? Number(args.n) : spec.n
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--n must be a positive integer (got ${args.n})`)
  const warmupFrac = args.warmup !== undefined ? Number(args.warmup) : 0.1
  const warmupN = Math.ceil(n * warmupFrac)

  const chunk = spec.chunk()

  if (warmupN > 0) {
    stage = 'warm-up'
    const w = setup(contender, caseName, warmupN, chunk, spec.opts)
    await w.run()
    checkBytes(w.tally, warmupN, chunk, 'warm-up')
  }

  const t = setup(contender, caseName, n, chunk, spec.opts)
  if (typeof global.gc === 'function') global.gc()

  stage = 'timed run'
  const t0 = process.hrtime.bigint()
  await t.run()
  const t1 = process.hrtime.bigint()
  stage = 'done'
  checkBytes(t.tally, n, chunk, 'timed run')

  const ns = Number(t1 - t0)
  report({
    contender: name,
    case: caseName,
    n,
    ms: Math.round(ns / 1e4) / 100,
    nsPerOp: Math.round((ns / n) * 100) / 100,
    chunksSeen: t.tally.chunks,
    bytes: t.tally.bytes,
    warmupN,
    version
  })
}

// If the source never ends / the sink never finishes, the event loop empties
// and node exits 0 with the promise still pending: report that.
let stage = 'loading'
let reported = false
process.on('exit', (code) => {
  if (!reported && code === 0) {
    process.stdout.write(JSON.stringify({
      contender: process.argv[process.argv.indexOf('--contender') + 1] || null,
      case: process.argv[process.argv.indexOf('--case') + 1] || null,
      error: `stuck: event loop emptied during ${stage} (an 'end'/'finish' that never came, or a read() that was never called again?)`
    }) + '\n')
    process.exitCode = 3
  }
})

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
  if (!reported) {
    report({
      contender: process.argv[process.argv.indexOf('--contender') + 1] || null,
      case: process.argv[process.argv.indexOf('--case') + 1] || null,
      stage,
      error: `${err && err.mismatch ? '' : `${stage}: `}${String(err && err.message ? err.message : err).split('\n')[0]}`
    })
  }
  process.exitCode = 1
})
