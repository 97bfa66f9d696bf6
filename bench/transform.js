#!/usr/bin/env node
'use strict'
// One trial of the transform chain, in this process.
//
//   node bench/transform.js --contender NAME --case CASE [--n N] [--warmup F]
//   node bench/transform.js --contender NAME --check
//
// src.pipe(stage 1).pipe(stage 2)…pipe(sink), all of one implementation (the
// contender's makeSource, makeStage and makeSink): a Readable pushing the same 64-byte
// Buffer (cases *-str: the same 64-char string) n times, `depth` PassThrough stages
// (pass*) or uppercasing Transforms (upper*), and a no-op Writable that counts the
// bytes (synchronous callback). Timed from the first pipe() to the sink's 'finish'.
// Checks that n × 64 bytes arrived and that the last chunk is all 'a' (pass) or all
// 'A' (upper), then prints one JSON line:
//   {"contender","case","n","ms","nsPerOp","nsPerStage","chunksSeen","bytes",…}
// nsPerOp is per chunk pushed by the source (through the whole chain).
// Exit codes as in read-hot.js: 2 can't load (n/a), 1 failed (wrong bytes/content),
// 3 the event loop emptied before the sink finished (a hang).

const path = require('node:path')
const { parseArgs } = require('./lib/args')
const { TRANSFORM_CASES } = require('./lib/cases')

function report (obj, exitCode) {
  reported = true
  process.stdout.write(JSON.stringify(obj) + '\n')
  if (exitCode) process.exitCode = exitCode
}

// Builds the chain (not timed) and returns { tally, run }.
function setup (contender, spec, n) {
  const tally = { bytes: 0, chunks: 0, last: null }
  const hwm = spec.opts.highWaterMark
  const src = contender.makeSource({ n, chunk: spec.chunk(), highWaterMark: hwm })
  const stages = []
  for (let i = 0; i < spec.depth; i++) stages.push(contender.makeStage({ kind: spec.stage, highWaterMark: hwm }))
  const sink = contender.makeSink({
    highWaterMark: hwm,
    objectMode: false,
    onWrite: (c) => { tally.bytes += c.length; tally.chunks++; tally.last = c }
  })
  const run = () => new Promise((resolve, reject) => {
    for (const s of [src, ...stages, sink]) s.once('error', reject)
    sink.once('finish', resolve) // before pipe(): some sinks finish synchronously
    let up = src
    for (const s of stages) up = up.pipe(s)
    up.pipe(sink)
  })
  return { tally, run }
}

function check (tally, n, spec, what) {
  const expected = n * 64
  if (tally.bytes !== expected) {
    const err = new Error(`byte count mismatch in ${what}: got ${tally.bytes} bytes, expected ${expected} ` +
      `(n=${n} x 64); the sink saw ${tally.chunks} chunks`)
    err.mismatch = true
    throw err
  }
  const want = spec.stage === 'upper' ? 'A' : 'a'
  const last = tally.last == null ? '' : Buffer.isBuffer(tally.last) ? tally.last.toString('latin1') : String(tally.last)
  if (!/^(.)\1*$/.test(last) || last[0] !== want) {
    const err = new Error(`content mismatch in ${what}: the last chunk is ${JSON.stringify(last.slice(0, 16))}…, expected ${want} × 64`)
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
    for (const f of ['makeSource', 'makeStage', 'makeSink']) {
      if (typeof contender[f] !== 'function') throw new Error(`contenders/${name}.js exports no ${f}()`)
    }
  } catch (err) {
    report({ contender: name, case: caseName || null, error: String(err && err.message ? err.message : err).split('\n')[0] }, 2)
    return
  }
  let version = null
  try { version = contender.version() } catch { /* informational only */ }

  if (args.check) {
    try {
      setup(contender, TRANSFORM_CASES.upper5, 1)
      setup(contender, TRANSFORM_CASES['pass1-str'], 1)
    } catch (err) {
      report({ contender: name, case: null, error: String(err.message).split('\n')[0] }, 2)
      return
    }
    report({ contender: name, ok: true, version })
    return
  }

  const spec = TRANSFORM_CASES[caseName]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(TRANSFORM_CASES).join(', ')} (got ${caseName})`)
  const n = args.n !== undefined ? Number(args.n) : spec.n
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--n must be a positive integer (got ${args.n})`)
  const warmupFrac = args.warmup !== undefined ? Number(args.warmup) : 0.1
  const warmupN = Math.ceil(n * warmupFrac)

  if (warmupN > 0) {
    stage = 'warm-up'
    const w = setup(contender, spec, warmupN)
    await w.run()
    check(w.tally, warmupN, spec, 'warm-up')
  }

  const t = setup(contender, spec, n)
  if (typeof global.gc === 'function') global.gc()

  stage = 'timed run'
  const t0 = process.hrtime.bigint()
  await t.run()
  const t1 = process.hrtime.bigint()
  stage = 'done'
  check(t.tally, n, spec, 'timed run')

  const ns = Number(t1 - t0)
  report({
    contender: name,
    case: caseName,
    n,
    depth: spec.depth,
    ms: Math.round(ns / 1e4) / 100,
    nsPerOp: Math.round((ns / n) * 100) / 100,
    nsPerStage: Math.round((ns / n / spec.depth) * 100) / 100,
    chunksSeen: t.tally.chunks,
    bytes: t.tally.bytes,
    warmupN,
    version
  })
}

let stage = 'loading'
let reported = false
process.on('exit', (code) => {
  if (!reported && code === 0) {
    process.stdout.write(JSON.stringify({
      contender: process.argv[process.argv.indexOf('--contender') + 1] || null,
      case: process.argv[process.argv.indexOf('--case') + 1] || null,
      error: `stuck: event loop emptied during ${stage} (a 'finish' that never came, or a stage that stopped reading?)`
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
