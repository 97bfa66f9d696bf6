#!/usr/bin/env node
'use strict'
// One trial of the stream-lifecycle benchmark, in this process: what short-lived streams
// cost (a Transform per request, one stream per tar entry), and what a live stream holds.
//
//   node --expose-gc bench/lifecycle.js --contender NAME --case C [--n N]
//   node --expose-gc bench/lifecycle.js --contender NAME --check
//
// Cases (ns per stream; n streams, created in batches of 1,000 that overlap as real ones do):
//   writable     new Writable({ write(c, e, cb) { cb() } }), written once, ended, until 'finish'
//   passthrough  new PassThrough(), resumed, ended with one chunk, until 'end'
//   from3        Readable.from([a, b, c]) read with a 'data' handler until 'end'
//   transform    new Transform({ transform(c, e, cb) { cb(null, c) } }) with a 'data' handler,
//                written once, ended, until 'end' (a Transform per request)
//   unended      new Writable({ write(c, e, cb) { cb() } }), written once and dropped, never
//                ended (an aborted request's body), until the write's callback
//   noauto       new Writable({ autoDestroy: false, ... }), written once, ended, until
//                'finish' (finished, never closed: what autoDestroy: false code leaves)
//   memory       n live, unended Writables (written once): creation ns, and `bytesPerStream`,
//                the growth of RSS over n after a full GC (native memory counts too)
// Prints one JSON line {contender, case, n, ms, nsPerOp, bytesPerStream}.

const path = require('node:path')
const { parseArgs } = require('./lib/args')

// Where each contender's stream module is ('node': node:stream).
function dirOf (name) {
  switch (name) {
    case 'node': return null
    case 'sluice': return process.env.SLUICE_ROOT || path.resolve(__dirname, '..')
    case 'sluice-before':
      if (!process.env.SLUICE_BEFORE) throw new Error('set SLUICE_BEFORE to a built sluice checkout')
      return path.resolve(process.env.SLUICE_BEFORE)
    case 'readable-stream': return path.join(__dirname, 'node_modules', 'readable-stream')
    default: throw new Error(`unknown contender ${name}`)
  }
}

const LIFECYCLE_CASES = {
  writable: { n: 200_000 },
  passthrough: { n: 200_000 },
  from3: { n: 100_000 },
  transform: { n: 200_000 },
  unended: { n: 200_000 },
  noauto: { n: 200_000 },
  memory: { n: 50_000 }
}

const CHUNK = Buffer.alloc(64, 0x61)
const BATCH = 1000

// Runs `start(done)` n times, BATCH at a time, and resolves when every one called done().
function batches (n, start) {
  return new Promise((resolve, reject) => {
    let started = 0
    let finished = 0
    const next = () => {
      const end = Math.min(n, started + BATCH)
      for (; started < end; started++) {
        try { start(done) } catch (err) { reject(err); return }
      }
    }
    function done () {
      if (++finished === n) resolve()
      else if (finished === started) setImmediate(next)
    }
    next()
  })
}

const RUN = {
  writable: (S, n) => batches(n, (done) => {
    const w = new S.Writable({ write (c, e, cb) { cb() } })
    w.on('finish', done)
    w.write(CHUNK)
    w.end()
  }),
  passthrough: (S, n) => batches(n, (done) => {
    const p = new S.PassThrough()
    p.on('end', done)
    p.resume()
    p.end(CHUNK)
  }),
  transform: (S, n) => batches(n, (done) => {
    const t = new S.Transform({ transform (c, e, cb) { cb(null, c) } })
    t.on('data', () => {})
    t.on('end', done)
    t.write(CHUNK)
    t.end()
  }),
  unended: (S, n) => batches(n, (done) => {
    const w = new S.Writable({ write (c, e, cb) { cb() } })
    w.write(CHUNK, done)
  }),
  noauto: (S, n) => batches(n, (done) => {
    const w = new S.Writable({ autoDestroy: false, write (c, e, cb) { cb() } })
    w.on('finish', done)
    w.write(CHUNK)
    w.end()
  }),
  from3: (S, n) => batches(n, (done) => {
    const r = S.Readable.from([CHUNK, CHUNK, CHUNK])
    let got = 0
    r.on('data', () => { got++ })
    r.on('end', () => {
      if (got !== 3) throw new Error(`from3 saw ${got} chunks`)
      done()
    })
  })
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const name = args.contender
  let S
  let dir
  try {
    dir = dirOf(name)
    S = dir === null ? require('node:stream') : require(dir)
  } catch (err) {
    console.log(JSON.stringify({ contender: name, error: String(err.message).split('\n')[0] }))
    process.exitCode = 2
    return
  }
  if (args.check) {
    const version = dir === null ? process.version : require(path.join(dir, 'package.json')).version
    console.log(JSON.stringify({ contender: name, ok: true, version }))
    return
  }
  const caseName = args.case
  const spec = LIFECYCLE_CASES[caseName]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(LIFECYCLE_CASES).join(', ')}`)
  const n = args.n !== undefined ? Number(args.n) : spec.n

  if (caseName === 'memory') {
    const keep = new Array(n)
    global.gc()
    global.gc()
    const before = process.memoryUsage().rss
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) {
      const w = new S.Writable({ write (c, e, cb) { cb() } })
      w.write(CHUNK)
      keep[i] = w
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    await new Promise((resolve) => setImmediate(resolve))
    global.gc()
    global.gc()
    const bytesPerStream = Math.round((process.memoryUsage().rss - before) / n)
    if (keep.length !== n) throw new Error('lost a stream')
    console.log(JSON.stringify({ contender: name, case: caseName, n, ms: Math.round(ms * 100) / 100, nsPerOp: (ms * 1e6) / n, bytesPerStream }))
    return
  }

  // Warm-up on a tenth, then the timed run.
  await RUN[caseName](S, Math.ceil(n / 10))
  global.gc()
  const t0 = process.hrtime.bigint()
  await RUN[caseName](S, n)
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  console.log(JSON.stringify({ contender: name, case: caseName, n, ms: Math.round(ms * 100) / 100, nsPerOp: (ms * 1e6) / n, bytesPerStream: '' }))
}

if (require.main === module) main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && err.message ? err.message : err).split('\n')[0] }))
  process.exitCode = 1
})

module.exports = { LIFECYCLE_CASES }
