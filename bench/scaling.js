#!/usr/bin/env node
'use strict'
// One trial of the scaling scenario, in this process.
//
//   node --expose-gc bench/scaling.js --contender node|sluice --case CASE [--mib BASE]
//   node bench/scaling.js --contender NAME --check
//
// k pipelines Readable -> PassThrough -> no-op Writable (all of one implementation:
// the contender's makeSource / makeStage / makeSink, hwm 16 KiB), started together;
// each source pushes fresh 1 KiB Buffers (copied from a template, like data read from a
// socket, so chunks held anywhere show up in RSS). Timed from building the first stream
// to the last sink's 'finish'. Cases (BASE = --mib, default 16 MiB):
//   data-1x, data-4x, data-16x        one stream carrying 1, 4, 16 × BASE
//   streams-1, streams-100, streams-1000   k streams carrying BASE / k each (rounded
//                                          down to whole KiB chunks, at least one)
// Memory: process.memoryUsage() sampled every 10 ms, once all streams are built, and at
// the end; and the kernel's maxRSS. Warm-up first: 3 single-stream runs of 4 MiB (the
// first runs of a fresh process are ~10× slower per chunk until the JIT has compiled the
// paths; a tenth of a 4 MiB case is not enough), then the case's shape with a tenth of
// the data (at least 1 chunk per stream).
//
// Prints one JSON line: {contender, case, streams, bytes, ms, nsPerKiB, mibPerSec,
// mem: {startMiB, peakRssMiB, builtRssMiB, peakHeapMiB, maxRssMiB}, version}.
// Exit codes: 2 can't load (n/a), 1 failed (wrong byte count), 3 hang.

const path = require('node:path')
const { parseArgs } = require('./lib/args')

const MiB = 1024 * 1024
const CHUNK = 1024
const HWM = 16 * 1024
const CASES = {
  'data-1x': { streams: 1, factor: 1 },
  'data-4x': { streams: 1, factor: 4 },
  'data-16x': { streams: 1, factor: 16 },
  'streams-1': { streams: 1, factor: 1 },
  'streams-100': { streams: 100, factor: 1 },
  'streams-1000': { streams: 1000, factor: 1 }
}
const CONTENDERS = ['node', 'sluice']

function report (obj, exitCode) {
  reported = true
  process.stdout.write(JSON.stringify(obj) + '\n')
  if (exitCode) process.exitCode = exitCode
}

const toMiB = (b) => Math.round((b / MiB) * 10) / 10

function memMeter () {
  const m0 = process.memoryUsage()
  const peak = { rss: m0.rss, heapUsed: m0.heapUsed, arrayBuffers: m0.arrayBuffers }
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peak.rss) peak.rss = m.rss
    if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed
    if (m.arrayBuffers > peak.arrayBuffers) peak.arrayBuffers = m.arrayBuffers
    return m
  }
  const timer = setInterval(sample, 10)
  timer.unref()
  return {
    start: m0,
    peak,
    sample,
    stop () { sample(); clearInterval(timer) }
  }
}

// Builds k pipelines and runs them to the end. Returns { bytes, ns, builtRss }.
async function run (contender, k, chunksPerStream, meter) {
  const template = Buffer.alloc(CHUNK, 0x78)
  const makeChunk = () => Buffer.from(template)
  let bytes = 0
  const t0 = process.hrtime.bigint()
  const done = []
  for (let s = 0; s < k; s++) {
    const src = contender.makeSource({ n: chunksPerStream, highWaterMark: HWM, makeChunk })
    const mid = contender.makeStage({ kind: 'pass', highWaterMark: HWM })
    const sink = contender.makeSink({ highWaterMark: HWM, objectMode: false, onWrite: (c) => { bytes += c.length } })
    done.push(new Promise((resolve, reject) => {
      src.once('error', reject)
      mid.once('error', reject)
      sink.once('error', reject)
      sink.once('finish', resolve)
    }))
    src.pipe(mid).pipe(sink)
  }
  const built = meter ? meter.sample() : null
  await Promise.all(done)
  const ns = Number(process.hrtime.bigint() - t0)
  return { bytes, ns, builtRss: built && built.rss }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const name = args.contender
  if (!CONTENDERS.includes(name)) throw new Error(`--contender must be one of ${CONTENDERS.join(', ')}`)
  const caseName = args.case
  let contender
  let version = null
  try {
    contender = require(path.join(__dirname, 'contenders', `${name}.js`))
    for (const f of ['makeSource', 'makeStage', 'makeSink']) {
      if (typeof contender[f] !== 'function') throw new Error(`contenders/${name}.js exports no ${f}()`)
    }
    contender.makeStage({ kind: 'pass', highWaterMark: HWM })
    version = contender.version()
  } catch (err) {
    report({ contender: name, case: caseName || null, error: String(err && err.message ? err.message : err).split('\n')[0] }, 2)
    return
  }
  if (args.check) { report({ contender: name, ok: true, version }); return }
  const spec = CASES[caseName]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(CASES).join(', ')} (got ${caseName})`)
  const base = args.mib !== undefined ? Number(args.mib) : 16
  if (!(base > 0)) throw new Error('--mib must be positive')

  const totalChunks = Math.round(base * spec.factor * MiB / CHUNK)
  const k = spec.streams
  const perStream = Math.max(1, Math.floor(totalChunks / k))
  const expected = k * perStream * CHUNK

  stage = 'warm-up'
  for (let i = 0; i < 3; i++) await run(contender, 1, 4096, null)
  const w = await run(contender, k, Math.max(1, Math.floor(perStream / 10)), null)
  if (w.bytes !== k * Math.max(1, Math.floor(perStream / 10)) * CHUNK) throw new Error(`warm-up: wrong byte count ${w.bytes}`)

  if (typeof global.gc === 'function') global.gc()
  stage = 'timed run'
  const meter = memMeter()
  const r = await run(contender, k, perStream, meter)
  meter.stop()
  stage = 'done'
  if (r.bytes !== expected) {
    report({ contender: name, case: caseName, error: `byte count mismatch: got ${r.bytes}, expected ${expected} (${k} streams × ${perStream} × ${CHUNK})` }, 1)
    return
  }
  let maxRss = null
  try { maxRss = process.resourceUsage().maxRSS * 1024 } catch { /* n/a */ }
  const kib = expected / 1024
  report({
    contender: name,
    case: caseName,
    streams: k,
    chunksPerStream: perStream,
    baseMiB: base,
    bytes: expected,
    ms: Math.round(r.ns / 1e4) / 100,
    nsPerKiB: Math.round((r.ns / kib) * 10) / 10,
    mibPerSec: Math.round(expected / MiB / (r.ns / 1e9) * 10) / 10,
    mem: {
      startMiB: toMiB(meter.start.rss),
      peakRssMiB: toMiB(meter.peak.rss),
      builtRssMiB: toMiB(r.builtRss),
      builtDeltaKiB: Math.round((r.builtRss - meter.start.rss) / 1024),
      startHeapMiB: toMiB(meter.start.heapUsed),
      peakHeapMiB: toMiB(meter.peak.heapUsed),
      peakArrayBuffersMiB: toMiB(meter.peak.arrayBuffers),
      maxRssMiB: maxRss === null ? null : toMiB(maxRss)
    },
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
      error: `stuck: event loop emptied during ${stage} (a 'finish' that never came?)`
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
      error: `${stage}: ${String(err && err.message ? err.message : err).split('\n')[0]}`
    })
  }
  process.exitCode = 1
})

module.exports = { CASES, CONTENDERS }
