#!/usr/bin/env node
'use strict'
// One trial of the slow-consumer scenario, in this process.
//
//   node --expose-gc bench/slow-consumer.js --contender node|sluice|sluice-bounded
//        --case respected|ignored|ignored-async [--mib S]
//   node bench/slow-consumer.js --contender NAME --check
//
// A producer writes S MiB (default 100) as 1 KiB chunks, a fresh Buffer each (copied
// from a template, like data read from a socket, so buffered chunks cost real memory),
// into a Writable whose _write completes after setImmediate (one chunk per event-loop
// turn: a consumer much slower than the producer). hwm 16 KiB. Cases:
//   respected      the canonical loop: write until write() returns false, await 'drain'
//   ignored        write all chunks in one synchronous loop ignoring write()'s return
//                  value, then end()
//   ignored-async  the same, but the producer yields (setImmediate) every 64 chunks, as
//                  an event-driven producer that ignores backpressure would
//                  (src.on('data', (d) => w.write(d))): the event loop turns while it
//                  produces
// then waits for 'finish'. Measured: the peak of writableLength (read after every
// write), RSS (sampled after every 1024 writes and every 10 ms, plus the kernel's
// maxRSS), time. sluice also reports stats() (peakBuffered, dropped).
// Contender sluice-bounded is sluice with { maxBuffered: 1048576, overflow: 'drop-oldest' }.
//
// Prints one JSON line: {contender, case, mib, chunks, ms, msProduce, peakWritableLength,
// rss: {startMiB, peakMiB, maxRssMiB}, delivered, dropped, stats, version}.
// Exit codes: 2 can't load (n/a), 4 case not run by this contender, 1 failed
// (bytes delivered + dropped != bytes written), 3 hang.

const path = require('node:path')
const { parseArgs } = require('./lib/args')
const { once } = require('node:events')

const MiB = 1024 * 1024
const CHUNK = 1024
const HWM = 16 * 1024
const YIELD_EVERY = 64
const ROOT = path.resolve(__dirname, '..')

const CONTENDERS = {
  node: { load: () => require('node:stream').Writable, version: () => process.version, opts: {} },
  sluice: { load: () => require(ROOT).Writable, version: () => require(path.join(ROOT, 'package.json')).version, opts: {} },
  'sluice-bounded': {
    load: () => require(ROOT).Writable,
    version: () => require(path.join(ROOT, 'package.json')).version,
    opts: { maxBuffered: 1048576, overflow: 'drop-oldest' },
    cases: ['ignored', 'ignored-async']
  }
}
const CASES = ['respected', 'ignored', 'ignored-async']

function report (obj, exitCode) {
  reported = true
  process.stdout.write(JSON.stringify(obj) + '\n')
  if (exitCode) process.exitCode = exitCode
}

const toMiB = (b) => Math.round((b / MiB) * 10) / 10

function makeSink (Writable, extra, tally) {
  return new Writable({
    highWaterMark: HWM,
    ...extra,
    write (chunk, enc, cb) {
      tally.delivered += chunk.length
      setImmediate(cb)
    }
  })
}

// RSS: the max of samples taken by the producer (every 1024 writes; the synchronous
// loop of the ignored case never lets a timer run) and by a 10 ms timer (the drain
// phase). The kernel's maxRSS is reported too.
function rssMeter () {
  let peak = process.memoryUsage.rss()
  const start = peak
  const sample = () => {
    const r = process.memoryUsage.rss()
    if (r > peak) peak = r
  }
  const timer = setInterval(sample, 10)
  timer.unref()
  return {
    sample,
    stop () {
      sample()
      clearInterval(timer)
      let maxRss = null
      try { maxRss = process.resourceUsage().maxRSS * 1024 } catch { /* n/a */ }
      return { startMiB: toMiB(start), peakMiB: toMiB(peak), maxRssMiB: maxRss === null ? null : toMiB(maxRss) }
    }
  }
}

async function produce (w, caseName, chunks, template, m, track) {
  let i = 0
  if (caseName === 'respected') {
    while (i < chunks) {
      let ok = true
      while (ok && i < chunks) {
        ok = w.write(Buffer.from(template))
        track()
        if ((++i & 1023) === 0 && m) m.sample()
      }
      if (!ok) await once(w, 'drain')
    }
  } else if (caseName === 'ignored') {
    while (i < chunks) {
      w.write(Buffer.from(template))
      track()
      if ((++i & 1023) === 0 && m) m.sample()
    }
  } else if (caseName === 'ignored-async') {
    while (i < chunks) {
      w.write(Buffer.from(template))
      track()
      if ((++i & 1023) === 0 && m) m.sample()
      if (i % YIELD_EVERY === 0) await new Promise(setImmediate)
    }
  } else {
    throw new Error(`unknown case ${caseName}`)
  }
}

async function trial (Writable, extra, caseName, chunks, measure) {
  const tally = { delivered: 0 }
  const template = Buffer.alloc(CHUNK, 0x78)
  const w = makeSink(Writable, extra, tally)
  let peakLen = 0
  const track = () => {
    const l = w.writableLength
    if (l > peakLen) peakLen = l
  }
  if (measure && typeof global.gc === 'function') global.gc()
  const m = measure ? rssMeter() : null
  const t0 = process.hrtime.bigint()
  await produce(w, caseName, chunks, template, m, track)
  const tProduced = process.hrtime.bigint()
  const finished = once(w, 'finish')
  w.end()
  await finished
  const t1 = process.hrtime.bigint()
  const rss = m ? m.stop() : null
  const stats = typeof w.stats === 'function' ? w.stats() : null
  return { w, tally, peakLen, rss, stats, ns: Number(t1 - t0), nsProduce: Number(tProduced - t0) }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const name = args.contender
  const c = CONTENDERS[name]
  if (!c) throw new Error(`--contender must be one of ${Object.keys(CONTENDERS).join(', ')}`)
  const caseName = args.case
  let Writable
  let version = null
  try {
    Writable = c.load()
    if (typeof Writable !== 'function') throw new Error(`${name}: Writable is ${typeof Writable}, expected a class`)
    makeSink(Writable, c.opts, { delivered: 0 }) // constructor errors (e.g. unknown options)
    version = c.version()
  } catch (err) {
    report({ contender: name, case: caseName || null, error: String(err && err.message ? err.message : err).split('\n')[0] }, 2)
    return
  }
  if (args.check) { report({ contender: name, ok: true, version }); return }
  if (!CASES.includes(caseName)) throw new Error(`--case must be one of ${CASES.join(', ')} (got ${caseName})`)
  if (c.cases && !c.cases.includes(caseName)) {
    report({ contender: name, case: caseName, na: `${name} runs only ${c.cases.join(', ')}`, error: 'n/a' }, 4)
    return
  }
  const mib = args.mib !== undefined ? Number(args.mib) : 100
  if (!(mib > 0)) throw new Error('--mib must be positive')
  const chunks = Math.max(1, Math.round(mib * MiB / CHUNK))

  stage = 'warm-up' // 1 MiB, backpressure respected: warms the write path, buffers little
  await trial(Writable, c.opts, 'respected', 1024, false)

  stage = 'timed run'
  const r = await trial(Writable, c.opts, caseName, chunks, true)
  stage = 'done'
  const written = chunks * CHUNK
  const dropped = r.stats ? r.stats.dropped : 0
  const out = {
    contender: name,
    case: caseName,
    mib,
    chunks,
    ms: Math.round(r.ns / 1e4) / 100,
    msProduce: Math.round(r.nsProduce / 1e4) / 100,
    mibPerSec: Math.round(written / MiB / (r.ns / 1e9) * 10) / 10,
    peakWritableLength: r.peakLen,
    rss: r.rss,
    delivered: r.tally.delivered,
    dropped,
    stats: r.stats,
    version
  }
  // Every byte written is either delivered to _write or dropped by the policy.
  if (r.tally.delivered + dropped * CHUNK !== written) {
    out.error = `bytes lost: ${r.tally.delivered} delivered + ${dropped} dropped × ${CHUNK} != ${written} written`
    report(out, 1)
    return
  }
  report(out)
}

let stage = 'loading'
let reported = false
process.on('exit', (code) => {
  if (!reported && code === 0) {
    process.stdout.write(JSON.stringify({
      contender: process.argv[process.argv.indexOf('--contender') + 1] || null,
      case: process.argv[process.argv.indexOf('--case') + 1] || null,
      error: `stuck: event loop emptied during ${stage} (a 'drain' or 'finish' that never came?)`
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

module.exports = { CONTENDERS, CASES }
