#!/usr/bin/env node
'use strict'
// One trial of the file-copy benchmark, in this process: copy a source file of S MiB
// to a new file in os.tmpdir(), check the copy's size (and 16 sampled blocks against
// the source), delete it, print one JSON line:
//   {contender, case: 'copy', mib, ms, mibPerSec, loopDelay{p50,p99,max}, rss{...}, ...}
//
//   node bench/file-copy.js --prepare [--mib S]         create the source once (prints its path)
//   node bench/file-copy.js --contender NAME --src FILE [--mib S]
//   node bench/file-copy.js --contender NAME --check
//   node bench/file-copy.js --cleanup [--mib S]         delete the source
//
// Contenders (see lib/file-cases.js): fs, sluice, sluice-native, cp, copyFileSync. The bun contender is
// file-copy-bun.js, run by the bun binary. Timed: from opening to the copy's 'close'.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { once } = require('node:events')
const { pipeline } = require('node:stream/promises')
const m = require('./lib/file-measure')
const { DEFAULT_MIB } = require('./lib/file-cases')

const ROOT = path.resolve(__dirname, '..')
const { MiB } = m

/** Where the source of S MiB lives (shared by all trials of a run, and by bun's). */
function srcPath (mib) {
  return path.join(os.tmpdir(), `sluice-bench-copy-src-${mib}MiB.bin`)
}

/**
 * Creates the source file if it is not there with the right size: random-ish content
 * (each MiB a different window of a 4 MiB random pool, stamped with its index), so no
 * two MiB are the same and nothing compresses or dedupes.
 */
function prepare (mib) {
  const file = srcPath(mib)
  const size = mib * MiB
  try {
    if (fs.statSync(file).size === size) return { src: file, mib, created: false }
  } catch { /* create it */ }
  const t0 = process.hrtime.bigint()
  const pool = crypto.randomFillSync(Buffer.allocUnsafe(4 * MiB))
  const tmp = `${file}.${process.pid}.part`
  const fd = fs.openSync(tmp, 'w')
  try {
    for (let i = 0; i < mib; i++) {
      const off = ((i * 2654435761) >>> 0) % (3 * MiB)
      const block = Buffer.from(pool.subarray(off, off + MiB))
      block.writeUInt32LE(i, 0)
      let done = 0
      while (done < MiB) done += fs.writeSync(fd, block, done, MiB - done)
    }
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
  return { src: file, mib, created: true, ms: m.toMs(Number(process.hrtime.bigint() - t0)) }
}

// pipeline(fs.createReadStream(a), <writable>(b)), then the writable's 'close' too
// (pipeline resolves on 'finish'; for an fs stream the file is complete at 'close').
function viaPipeline (createWriteStream, createReadStream = fs.createReadStream) {
  return async (src, dst) => {
    const r = createReadStream(src)
    const w = createWriteStream(dst)
    const closed = once(w, 'close')
    await pipeline(r, w)
    await closed
    return { bytesWritten: w.bytesWritten, writeHwm: w.writableHighWaterMark, readHwm: r.readableHighWaterMark }
  }
}

const LOADERS = {
  fs: () => ({ version: process.version, run: viaPipeline(fs.createWriteStream) }),
  sluice: () => {
    const sluice = require(ROOT)
    if (typeof sluice.createWriteStream !== 'function') {
      throw new Error(`require(${JSON.stringify(ROOT)}).createWriteStream is ${typeof sluice.createWriteStream}, expected a function`)
    }
    return { version: require(path.join(ROOT, 'package.json')).version, run: viaPipeline(sluice.createWriteStream) }
  },
  'sluice-native': () => {
    const sluice = require(ROOT)
    for (const f of ['createReadStream', 'createWriteStream']) {
      if (typeof sluice[f] !== 'function') throw new Error(`require(${JSON.stringify(ROOT)}).${f} is ${typeof sluice[f]}, expected a function`)
    }
    const run = viaPipeline(sluice.createWriteStream, sluice.createReadStream)
    return { version: require(path.join(ROOT, 'package.json')).version, run }
  },
  cp: () => ({
    version: m.tool('cp'),
    eld: false,
    run: async (src, dst) => {
      const r = await m.runTimed('cp', [src, dst])
      return { tool: { name: 'cp', maxRssMiB: r.maxRssMiB } }
    }
  }),
  copyFileSync: () => ({
    version: process.version,
    run: async (src, dst) => {
      fs.copyFileSync(src, dst)
      return {}
    }
  })
}

let stage = 'loading'

async function main () {
  const args = m.parseArgs(process.argv.slice(2))
  const mib = args.mib !== undefined ? Number(args.mib) : DEFAULT_MIB
  if (!Number.isInteger(mib) || mib <= 0) throw new Error(`--mib must be a positive integer (got ${args.mib})`)
  if (args.prepare) {
    m.report(prepare(mib))
    return
  }
  if (args.cleanup) {
    m.rmQuiet(srcPath(mib))
    m.report({ cleanup: srcPath(mib) })
    return
  }
  const name = args.contender
  if (!name || typeof name !== 'string') throw new Error('--contender NAME is required')
  const fields = { contender: name, case: 'copy' }
  m.guardStuck(() => stage, fields)
  if (!LOADERS[name]) return m.fail(fields, new Error(`unknown contender ${name}${name === 'bun' ? ' (run file-copy-bun.js with bun)' : ''}`), 2)
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

  const src = typeof args.src === 'string' ? args.src : srcPath(mib)
  const size = mib * MiB
  if (!fs.existsSync(src) || fs.statSync(src).size !== size) {
    throw new Error(`source ${src} missing or not ${mib} MiB (run with --prepare first)`)
  }
  const dst = m.tmpPath(`copy-${name}`)
  const srcFd = fs.openSync(src, 'r')
  try {
    if (typeof global.gc === 'function') global.gc()
    stage = 'timed run'
    const measure = await m.startMeasure({ eld: impl.eld !== false })
    const extra = await impl.run(src, dst)
    const ns = measure.stopClock()
    const { loopDelay, rss } = await measure.finish()
    stage = 'verification'
    m.verifyFile(dst, size, (off, len) => {
      const b = Buffer.allocUnsafe(len)
      fs.readSync(srcFd, b, 0, len, off)
      return b
    }, `${name}'s copy`)
    const ms = m.toMs(ns)
    const out = {
      contender: name,
      case: 'copy',
      mib,
      ms,
      mibPerSec: Math.round((mib / (ms / 1000)) * 10) / 10,
      loopDelay,
      rss,
      version: impl.version,
      ...extra
    }
    if (extra.bytesWritten !== undefined && extra.bytesWritten !== size) {
      // The file itself is right (checked above); a drop-in should still count like fs.
      out.warning = `bytesWritten is ${extra.bytesWritten} after the copy, expected ${size}`
    }
    if (extra.tool && extra.tool.maxRssMiB != null) {
      out.rss = { ...rss, peakMiB: extra.tool.maxRssMiB, maxRssMiB: extra.tool.maxRssMiB, of: `${extra.tool.name} (via /usr/bin/time)` }
    }
    m.report(out)
  } finally {
    fs.closeSync(srcFd)
    m.rmQuiet(dst)
  }
}

main().catch((err) => {
  const a = process.argv
  m.fail({ contender: a.includes('--contender') ? a[a.indexOf('--contender') + 1] : null, case: 'copy' }, err, 1)
})

