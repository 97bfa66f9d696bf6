'use strict'
// One trial of the file-copy benchmark for the `bun` contender, run by the bun binary:
//
//   bench/node_modules/.bin/bun bench/file-copy-bun.js --src FILE [--mib S]
//   bench/node_modules/.bin/bun bench/file-copy-bun.js --check
//
// `await Bun.write(Bun.file(b), Bun.file(a))`, timed, then the same checks and JSON line
// as file-copy.js (the source is made by `node bench/file-copy.js --prepare`).

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const m = require('./lib/file-measure')
const { DEFAULT_MIB } = require('./lib/file-cases')

const { MiB } = m
let stage = 'loading'

async function main () {
  const args = m.parseArgs(process.argv.slice(2))
  const fields = { contender: 'bun', case: 'copy' }
  m.guardStuck(() => stage, fields)
  if (typeof Bun === 'undefined') return m.fail(fields, new Error('file-copy-bun.js must be run by bun'), 2)
  const version = Bun.version
  if (args.check) {
    m.report({ contender: 'bun', ok: true, version })
    return
  }
  const mib = args.mib !== undefined ? Number(args.mib) : DEFAULT_MIB
  if (!Number.isInteger(mib) || mib <= 0) throw new Error(`--mib must be a positive integer (got ${args.mib})`)
  const size = mib * MiB
  const src = typeof args.src === 'string' ? args.src : path.join(os.tmpdir(), `sluice-bench-copy-src-${mib}MiB.bin`)
  if (!fs.existsSync(src) || fs.statSync(src).size !== size) {
    throw new Error(`source ${src} missing or not ${mib} MiB (run node bench/file-copy.js --prepare first)`)
  }
  const dst = m.tmpPath('copy-bun')
  const srcFd = fs.openSync(src, 'r')
  try {
    stage = 'timed run'
    const measure = await m.startMeasure()
    const written = await Bun.write(Bun.file(dst), Bun.file(src))
    const ns = measure.stopClock()
    const { loopDelay, rss } = await measure.finish()
    stage = 'verification'
    m.verifyFile(dst, size, (off, len) => {
      const b = Buffer.allocUnsafe(len)
      fs.readSync(srcFd, b, 0, len, off)
      return b
    }, "bun's copy")
    const ms = m.toMs(ns)
    m.report({
      contender: 'bun',
      case: 'copy',
      mib,
      ms,
      mibPerSec: Math.round((mib / (ms / 1000)) * 10) / 10,
      loopDelay,
      rss,
      version,
      bytesWritten: written
    })
  } finally {
    fs.closeSync(srcFd)
    m.rmQuiet(dst)
  }
}

main().catch((err) => m.fail({ contender: 'bun', case: 'copy' }, err, 1))
