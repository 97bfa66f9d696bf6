#!/usr/bin/env node
'use strict'
// One trial of the file-sink benchmark, in this process: write S MiB to a new file in
// os.tmpdir() as C-byte chunks, wait until the file is complete (and closed), check
// its size (and 16 sampled blocks of content), delete it, print one JSON line:
//   {contender, case, mib, chunk, hwm, ms, mibPerSec, loopDelay{p50,p99,max}, rss{...}, ...}
//
//   node bench/file-sink.js --contender NAME --case CASE [--mib S]
//   node bench/file-sink.js --contender NAME --check
//
// Contenders (see lib/file-cases.js): fs, sluice, sonic-boom, sonic-boom-4k, writeSync,
// dd. The bun contender is file-sink-bun.js, run by the bun binary (run.js does that).
// Timed: from creating the stream (so the open is included) to 'finish' and 'close'.
// Exit codes: 0 ok, 1 failed (size/content mismatch, error), 2 can't load / n/a,
// 3 stuck (the loop emptied before the end).

const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { once } = require('node:events')
const m = require('./lib/file-measure')
const { DEFAULT_MIB, FILE_CASES, FILE_CONTENDERS } = require('./lib/file-cases')

const ROOT = path.resolve(__dirname, '..')
const { MiB } = m

// --- contenders ------------------------------------------------------------
// Each loader returns { version, run(file, { chunk, n, hwm, measure }) -> extra fields }.

// The canonical backpressure loop, without a promise per write: write until write()
// returns false, then wait for one 'drain'.
async function pump (w, chunk, n) {
  let i = 0
  let drains = 0
  while (i < n) {
    let ok = true
    while (ok && i < n) {
      ok = w.write(chunk)
      i++
    }
    if (!ok) {
      drains++
      await once(w, 'drain')
    }
  }
  return drains
}

// fs.WriteStream and its drop-in: loop, end(), wait for 'finish' and then 'close'.
function fsLike (create) {
  return async (file, { chunk, n, hwm, measure }) => {
    const w = create(file, hwm === undefined ? undefined : { highWaterMark: hwm })
    let streamError = null
    w.on('error', (err) => { streamError = streamError || err })
    const drains = await pump(w, chunk, n)
    let tFinish = null
    const finished = once(w, 'finish').then(() => { tFinish = measure.lap() })
    const closed = once(w, 'close')
    w.end()
    await Promise.all([finished, closed])
    if (streamError) throw streamError
    return {
      hwm: w.writableHighWaterMark,
      drains,
      msFinish: m.toMs(tFinish),
      bytesWritten: w.bytesWritten
    }
  }
}

// sonic-boom: write()/'drain' like a stream (write() returns false once ~16 KiB are
// buffered: its hwm is max(minLength, 16387)). Its end() fsyncs the file before closing
// it, which no other contender does, so the headline time stops when every byte has
// been written (its buffer empty and no write in flight: flush() without a callback,
// which does not fsync, then 'drain'), and msClose (the end() -> 'close' time,
// including that fsync) is reported beside it.
function sonic (minLength) {
  return async (file, { chunk, n, measure }) => {
    const SonicBoom = require('sonic-boom')
    const sb = new SonicBoom({ dest: file, minLength, sync: false, contentMode: 'buffer', append: false })
    let streamError = null
    sb.on('error', (err) => { streamError = streamError || err })
    const drains = await pump(sb, chunk, n)
    // Push out what is still buffered (below minLength, or queued behind a write in
    // flight) without fsync. 'drain' comes when a write completes with nothing left
    // above minLength, so loop until the buffer is really empty.
    while (sb._writing || sb._len > 0) {
      const d = once(sb, 'drain')
      if (!sb._writing) sb.flush()
      await d
    }
    const written = measure.stopClock()
    const finished = once(sb, 'finish')
    const closed = once(sb, 'close')
    sb.end()
    await Promise.all([finished, closed])
    if (streamError) throw streamError
    return {
      hwm: sb._hwm,
      drains,
      msWritten: m.toMs(written),
      msClose: m.toMs(measure.lap()),
      note: 'ms = until every byte was written (before the fsync that end() does); msClose includes end() -> fsync -> close'
    }
  }
}

const LOADERS = {
  fs: () => ({ version: process.version, run: fsLike(fs.createWriteStream) }),
  sluice: () => {
    const sluice = require(ROOT)
    if (typeof sluice.createWriteStream !== 'function') {
      throw new Error(`require(${JSON.stringify(ROOT)}).createWriteStream is ${typeof sluice.createWriteStream}, expected a function`)
    }
    return { version: require(path.join(ROOT, 'package.json')).version, run: fsLike(sluice.createWriteStream) }
  },
  'sluice-before': () => {
    const root = path.resolve(process.env.SLUICE_BEFORE || '')
    const before = require(root)
    return { version: `${require(path.join(root, 'package.json')).version} (${root})`, run: fsLike(before.createWriteStream) }
  },
  'sonic-boom': () => {
    require('sonic-boom')
    return { version: require('./lib/pkg-version')('sonic-boom', __dirname), run: sonic(0) }
  },
  'sonic-boom-4k': () => {
    require('sonic-boom')
    return { version: require('./lib/pkg-version')('sonic-boom', __dirname), run: sonic(4096) }
  },
  // The practical limit for a JS writer: one synchronous write(2) per MiB.
  writeSync: () => ({
    version: process.version,
    run: async (file, { pattern, mib }) => {
      const buf = Buffer.allocUnsafe(MiB)
      for (let i = 0; i < MiB; i += pattern.length) pattern.copy(buf, i)
      const fd = fs.openSync(file, 'w')
      try {
        for (let i = 0; i < mib; i++) {
          let off = 0
          while (off < MiB) off += fs.writeSync(fd, buf, off, MiB - off)
        }
      } finally {
        fs.closeSync(fd)
      }
      return { chunk: MiB, hwm: null, writes: mib }
    }
  }),
  // dd in another process (this process only waits): the time from spawn to exit.
  dd: () => ({
    version: m.tool('dd'),
    eld: false,
    zeros: true,
    run: async (file, { mib }) => {
      const r = await m.runTimed('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`])
      const stat = r.stderr.split('\n').find((l) => /copied/.test(l))
      return { chunk: MiB, hwm: null, tool: { name: 'dd', maxRssMiB: r.maxRssMiB, stats: stat ? stat.trim() : null } }
    }
  })
}

// --- main ------------------------------------------------------------------

let stage = 'loading'

async function main () {
  const args = m.parseArgs(process.argv.slice(2))
  const name = args.contender
  if (!name || typeof name !== 'string') throw new Error('--contender NAME is required')
  const fields = { contender: name, case: args.case || null }
  m.guardStuck(() => stage, fields)

  if (!LOADERS[name]) {
    const hint = FILE_CONTENDERS[name] && FILE_CONTENDERS[name].runtime === 'bun' ? ' (run file-sink-bun.js with bun)' : ''
    return m.fail(fields, new Error(`unknown contender ${name}${hint}`), 2)
  }
  let impl
  try {
    impl = LOADERS[name]()
  } catch (err) {
    return m.fail(fields, err, 2)
  }
  if (args.check) {
    m.report({ contender: name, ok: true, version: impl.version })
    return
  }

  const spec = FILE_CASES[args.case]
  if (!spec) throw new Error(`--case must be one of ${Object.keys(FILE_CASES).join(', ')} (got ${args.case})`)
  const allowed = FILE_CONTENDERS[name].cases
  if (allowed && !allowed.includes(args.case)) {
    m.report({ ...fields, na: `${name} has no highWaterMark option` })
    process.exitCode = 2
    return
  }
  const mib = args.mib !== undefined ? Number(args.mib) : DEFAULT_MIB
  if (!Number.isInteger(mib) || mib <= 0) throw new Error(`--mib must be a positive integer (got ${args.mib})`)
  const size = mib * MiB
  const n = size / spec.chunk
  // Random bytes, repeated: every chunk is the same Buffer object, so the allocator is
  // not measured; the sampled content check still sees misplaced bytes within a chunk.
  const chunk = crypto.randomFillSync(Buffer.allocUnsafe(spec.chunk))

  const file = m.tmpPath(`sink-${name}`)
  try {
    if (typeof global.gc === 'function') global.gc()
    stage = 'timed run'
    const measure = await m.startMeasure({ eld: impl.eld !== false })
    const extra = await impl.run(file, { chunk, pattern: chunk, n, hwm: spec.hwm, mib, measure })
    const ns = measure.stopClock() // no-op if the contender stopped it itself
    const ms = extra.msWritten !== undefined ? extra.msWritten : m.toMs(ns)
    const { loopDelay, rss } = await measure.finish()
    stage = 'verification'
    m.verifyFile(file, size, impl.zeros ? m.repeating(Buffer.alloc(1)) : m.repeating(chunk), `${name}'s file`)
    const out = {
      contender: name,
      case: args.case,
      mib,
      chunk: spec.chunk,
      hwm: spec.hwm === undefined ? null : spec.hwm,
      ms,
      mibPerSec: Math.round((mib / (ms / 1000)) * 10) / 10,
      loopDelay,
      rss,
      version: impl.version,
      ...extra
    }
    if (extra.bytesWritten !== undefined && extra.bytesWritten !== size) {
      out.warning = `bytesWritten is ${extra.bytesWritten} after 'close', expected ${size}`
    }
    if (extra.chunk !== undefined) out.chunk = extra.chunk
    if (extra.hwm !== undefined) out.hwm = extra.hwm
    if (extra.tool && extra.tool.maxRssMiB != null) {
      // dd ran in another process: its peak RSS is the one that matters.
      out.rss = { ...rss, peakMiB: extra.tool.maxRssMiB, maxRssMiB: extra.tool.maxRssMiB, of: `${extra.tool.name} (via /usr/bin/time)` }
    }
    m.report(out)
  } finally {
    m.rmQuiet(file)
  }
}

main().catch((err) => {
  const args = process.argv
  m.fail({ contender: args[args.indexOf('--contender') + 1] || null, case: args.includes('--case') ? args[args.indexOf('--case') + 1] : null }, err, 1)
})
