#!/usr/bin/env node
'use strict'
// Small writes into native sinks (issue 16): what one write() costs when the chunk is small,
// against the Node stream it replaces, and a logger's burst.
//
//   node bench/small-writes.js [--reps R] [--quick] [--only a,b] [--case c1,c2] [--tag TAG]
//       runs every contender x case, one child process per trial, contenders interleaved, and
//       saves results/small-writes-<date>[-quick][-TAG].{json,md}
//   node bench/small-writes.js --trial --contender NAME --case CASE [--n N]
//       one trial in this process; prints one JSON line
//
// Cases (the canonical loop: write until write() returns false, then wait for one 'drain'):
//   null-buf64   64 B Buffer, no callback, into a sink that discards: sluice NullSink vs
//                new stream.Writable({ write (c, e, cb) { cb() } })
//   null-str64   the same with a 64-char string
//   file-log     ~100-char log lines (4096 distinct strings, cycled) into a file:
//                sluice.createWriteStream vs fs.createWriteStream (and sonic-boom)
//   pino-burst   pino logging 1M lines into the destination without waiting (as pino does):
//                time to 'close', peak RSS, every line checked
// Contenders: node (the node:stream / fs peer), sluice, sonic-boom (file-log, pino-burst), and
// with SLUICE_BEFORE=<a built checkout> sluice-before (that checkout's sluice, in the same run).
// Timed: ns per write (file cases: until 'close', so every byte is in the file).

const fs = require('node:fs')
const { parseArgs } = require('./lib/args')
const os = require('node:os')
const path = require('node:path')
const stream = require('node:stream')
const { once } = require('node:events')
const { spawnSync } = require('node:child_process')

const ROOT = path.resolve(__dirname, '..')
const RESULTS = path.join(__dirname, 'results')

const BEFORE = process.env.SLUICE_BEFORE ? ['sluice-before'] : []
const CASES = {
  'null-buf64': { n: 4e6, contenders: ['node', 'sluice', ...BEFORE] },
  'null-str64': { n: 4e6, contenders: ['node', 'sluice', ...BEFORE] },
  'file-log': { n: 1e6, contenders: ['node', 'sluice', ...BEFORE, 'sonic-boom'] },
  'pino-burst': { n: 1e6, contenders: ['node', 'sluice', ...BEFORE, 'sonic-boom'] }
}

// 4096 distinct lines of about 100 characters, shaped like a JSON logger's.
function logLines () {
  const lines = []
  for (let i = 0; i < 4096; i++) {
    const msg = `request ${i} completed`.padEnd(36 + (i % 9), '.')
    lines.push(`{"level":30,"time":${1733050000000 + i},"pid":4242,"hostname":"bench","msg":"${msg}"}\n`)
  }
  return lines
}

async function pump (w, next, n) {
  let i = 0
  while (i < n) {
    let ok = true
    while (ok && i < n) ok = w.write(next(i++))
    if (!ok) await once(w, 'drain')
  }
}

function sonic (file) {
  const SonicBoom = require(require.resolve('sonic-boom', { paths: [__dirname] }))
  return new SonicBoom({ dest: file, sync: false, append: false })
}

function peakRss () {
  let peak = process.memoryUsage.rss()
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 10)
  t.unref()
  return () => { clearInterval(t); return Math.max(peak, process.memoryUsage.rss()) }
}

async function trial (contender, caseName, n) {
  const sluice = require(contender === 'sluice-before' ? path.resolve(process.env.SLUICE_BEFORE) : ROOT)
  // (sluice-before runs the sluice side of every case)
  const name = contender === 'sluice-before' ? 'sluice' : contender
  const tmp = path.join(os.tmpdir(), `sluice-small-${name}-${process.pid}.log`)
  try { fs.unlinkSync(tmp) } catch {}
  const out = { contender, case: caseName, n }
  if (caseName === 'null-buf64' || caseName === 'null-str64') {
    const chunk = caseName === 'null-buf64' ? Buffer.alloc(64, 0x61) : 'a'.repeat(64)
    const make = () => name === 'sluice' ? new sluice.NullSink() : new stream.Writable({ write (c, e, cb) { cb() } })
    // warm-up on another stream, then the timed one
    await pump(make(), () => chunk, n / 10)
    const w = make()
    const t0 = process.hrtime.bigint()
    await pump(w, () => chunk, n)
    const t1 = process.hrtime.bigint()
    out.nsPerWrite = Number(t1 - t0) / n
  } else if (caseName === 'file-log') {
    const lines = logLines()
    const w = name === 'sluice' ? sluice.createWriteStream(tmp) : name === 'node' ? fs.createWriteStream(tmp) : sonic(tmp)
    const rss = peakRss()
    const t0 = process.hrtime.bigint()
    await pump(w, (i) => lines[i & 4095], n)
    const closed = once(w, 'close')
    w.end()
    await closed
    const t1 = process.hrtime.bigint()
    out.nsPerWrite = Number(t1 - t0) / n
    out.peakRssMiB = Math.round(rss() / 1048576)
    let bytes = 0
    for (let i = 0; i < n; i++) bytes += lines[i & 4095].length
    const size = fs.statSync(tmp).size
    if (size !== bytes) throw new Error(`file has ${size} bytes, expected ${bytes}`)
  } else if (caseName === 'pino-burst') {
    const pino = require(require.resolve('pino', { paths: [ROOT] }))
    const dest = name === 'sluice' ? sluice.createWriteStream(tmp) : name === 'node' ? fs.createWriteStream(tmp) : sonic(tmp)
    const log = pino({ base: null, timestamp: false }, dest)
    const rss = peakRss()
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) log.info({ i }, 'a line of the burst, about one hundred characters long with its fields')
    const closed = once(dest, 'close')
    dest.end()
    await closed
    const t1 = process.hrtime.bigint()
    out.msToClose = Number(t1 - t0) / 1e6
    out.nsPerWrite = Number(t1 - t0) / n
    out.peakRssMiB = Math.round(rss() / 1048576)
    const text = fs.readFileSync(tmp, 'utf8')
    let k = 0
    let at = 0
    for (;;) {
      const nl = text.indexOf('\n', at)
      if (nl === -1) break
      const o = JSON.parse(text.slice(at, nl))
      if (o.i !== k) throw new Error(`line ${k} holds i=${o.i}`)
      k++
      at = nl + 1
    }
    if (k !== n) throw new Error(`${k} lines in the file, expected ${n}`)
  } else {
    throw new Error(`unknown case ${caseName}`)
  }
  try { fs.unlinkSync(tmp) } catch {}
  return out
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1] }

function run (args) {
  const reps = args.reps ? Number(args.reps) : 5
  const quick = !!args.quick
  const only = args.only ? String(args.only).split(',') : null
  const cases = args.case ? String(args.case).split(',') : Object.keys(CASES)
  const rows = []
  for (let rep = 0; rep < reps; rep++) {
    for (const c of cases) {
      for (const who of CASES[c].contenders) {
        if (only && !only.includes(who)) continue
        const n = quick ? CASES[c].n / 10 : CASES[c].n
        const r = spawnSync(process.execPath, [__filename, '--trial', '--contender', who, '--case', c, '--n', String(n)], { encoding: 'utf8', timeout: 300000 })
        const line = (r.stdout || '').trim().split('\n').pop()
        let res
        try { res = JSON.parse(line) } catch { res = { contender: who, case: c, error: (r.stderr || '').trim().split('\n').slice(-1)[0] || `exit ${r.status}` } }
        rows.push(res)
        process.stderr.write(`rep ${rep + 1}/${reps} ${c.padEnd(11)} ${who.padEnd(11)} ${res.error ? 'ERROR ' + res.error : `${res.nsPerWrite.toFixed(1)} ns/write${res.peakRssMiB ? `  peak ${res.peakRssMiB} MiB` : ''}`}\n`)
      }
    }
  }
  const md = [`# small writes into native sinks (${new Date().toISOString().slice(0, 10)})`, '',
    `- ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; reps ${reps}${quick ? ' (--quick: n / 10)' : ''}, one child process per trial, contenders interleaved`,
    '- median ns per write (file cases: until \'close\'), ratio = node\'s / this one (higher is faster); peak RSS median', '',
    '| case | contender | ns/write | vs node | peak RSS MiB | errors |', '| --- | --- | ---: | ---: | ---: | --- |']
  for (const c of cases) {
    const base = median(rows.filter((r) => r.case === c && r.contender === 'node' && !r.error).map((r) => r.nsPerWrite))
    for (const who of CASES[c].contenders) {
      const mine = rows.filter((r) => r.case === c && r.contender === who)
      const ok = mine.filter((r) => !r.error)
      if (!mine.length) continue
      const ns = ok.length ? median(ok.map((r) => r.nsPerWrite)) : null
      const rss = ok.length && ok[0].peakRssMiB !== undefined ? median(ok.map((r) => r.peakRssMiB)) : null
      md.push(`| ${c} | ${who} | ${ns === null ? 'n/a' : ns.toFixed(1)} | ${ns && base ? (base / ns).toFixed(2) + '×' : ''} | ${rss === null ? '' : rss} | ${mine.length - ok.length || ''} |`)
    }
  }
  const text = md.join('\n') + '\n'
  process.stdout.write(text)
  const tag = args.tag ? `-${String(args.tag).replace(/[^\w.-]+/g, '_')}` : ''
  const base = path.join(RESULTS, `small-writes-${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}${tag}`)
  fs.writeFileSync(`${base}.json`, JSON.stringify({ reps, quick, rows }, null, 1) + '\n')
  fs.writeFileSync(`${base}.md`, text)
  process.stderr.write(`saved ${path.relative(process.cwd(), base)}.{json,md}\n`)
}

const args = parseArgs(process.argv.slice(2))
if (args.trial) {
  trial(String(args.contender), String(args.case), Number(args.n) || CASES[args.case].n)
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((err) => { process.stdout.write(JSON.stringify({ contender: args.contender, case: args.case, error: String(err.message) }) + '\n'); process.exitCode = 1 })
} else {
  run(args)
}
