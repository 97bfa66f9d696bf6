#!/usr/bin/env node
'use strict'
// Many sinks at once: N file sinks open together, each written 8 KiB as 1 KiB chunks and
// ended; every byte verified. Reports wall time and the process's peak thread count
// (/proc/self/task, sampled on every turn of the loop), per contender, each in a child process
// of its own so thread counts start from a fresh process.
//
//   node bench/sink-scale.js [--n 10000] [--only fs,sluice,sonic-boom] [--out results/FILE.json]
//   node bench/sink-scale.js --child CONTENDER --n N      (one trial; prints one JSON line)

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? dflt : args[i + 1]
}
const N = Number(opt('n', 10000))
const CONTENDERS = {
  fs: () => (file) => fs.createWriteStream(file),
  sluice: () => {
    const sluice = require('..')
    return (file) => sluice.createWriteStream(file)
  },
  'sonic-boom': () => {
    const SonicBoom = require(require.resolve('sonic-boom', { paths: [path.join(__dirname, 'node_modules')] }))
    return (file) => new SonicBoom({ dest: file, mkdir: false })
  }
}

const threads = () => fs.readdirSync('/proc/self/task').length

async function child (name) {
  const make = CONTENDERS[name]()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-scale-bench-'))
  const body = (i) => Buffer.alloc(8192, 0x41 + (i % 26))
  let peak = threads()
  let sampling = true
  const sample = () => {
    peak = Math.max(peak, threads())
    if (sampling) setImmediate(sample)
  }
  sample()
  const t0 = process.hrtime.bigint()
  const done = []
  for (let i = 0; i < N; i++) {
    const ws = make(path.join(dir, `f${i}`))
    const b = body(i)
    for (let k = 0; k < 8; k++) ws.write(b.subarray(k * 1024, (k + 1) * 1024))
    done.push(new Promise((resolve, reject) => {
      ws.on('error', reject)
      ws.on('close', resolve)
      ws.end()
    }))
  }
  await Promise.all(done)
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  sampling = false
  let bad = 0
  for (let i = 0; i < N; i++) if (!fs.readFileSync(path.join(dir, `f${i}`)).equals(body(i))) bad++
  fs.rmSync(dir, { recursive: true, force: true })
  console.log(JSON.stringify({ contender: name, n: N, ms: Math.round(ms), peakThreads: peak, bad }))
}

function main () {
  const only = opt('only', Object.keys(CONTENDERS).join(',')).split(',')
  const results = []
  for (const name of only) {
    const r = spawnSync(process.execPath, [__filename, '--child', name, '--n', String(N)], { encoding: 'utf8', timeout: 600000 })
    const line = (r.stdout || '').trim().split('\n').pop()
    let res
    try {
      res = JSON.parse(line)
    } catch {
      res = { contender: name, n: N, error: (r.stderr || '').split('\n')[0] || `exit ${r.status}` }
    }
    results.push(res)
    console.error(JSON.stringify(res))
  }
  const out = opt('out', null)
  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, results }
  if (out) fs.writeFileSync(path.resolve(__dirname, out), JSON.stringify(report, null, 2) + '\n')
  console.log('| contender | sinks | wall ms | peak threads | files wrong |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const r of results) console.log(r.error ? `| ${r.contender} | ${r.n} | ${r.error} | | |` : `| ${r.contender} | ${r.n} | ${r.ms} | ${r.peakThreads} | ${r.bad} |`)
}

if (opt('child', null)) child(opt('child')).catch((e) => { console.error(e); process.exit(1) })
else main()
