#!/usr/bin/env node
'use strict'
// Runs every contender x case of a benchmark suite, one child process per
// trial, contenders interleaved, and prints/saves a markdown report per suite.
// Suites (default `all` = the first five, in this order):
//   write      bench/write-hot.js   ns per write()
//   read       bench/read-hot.js    ns per chunk read
//   transform  bench/transform.js   ns per chunk through 1/5/20 PassThrough/Transform stages
//   lifecycle  bench/lifecycle.js   ns per short-lived stream (create, use, end), bytes per live stream
//   slow       bench/slow-consumer.js  slow consumer: peak buffered bytes, peak RSS (lib/memory-suites.js)
//   scaling    bench/scaling.js     time and memory vs data size and number of streams (lib/memory-suites.js)
// and, only when named:
//   overhead   write-hot buf64 vs a reference report (lib/overhead.js)
//   file, copy bench/file-sink.js, bench/file-copy.js (lib/disk-suites.js; slow, GiBs on disk)
// --chart renders results/headline.svg from the latest result files (bench/chart.js).
//
//   node bench/run.js [--suite write|read|transform|slow|scaling|overhead|file|copy|all]
//                     [--reps R] [--quick] [--only a,b] [--case c1,c2] [--timeout SECONDS]
//                     [--tag TAG] [--mib S] [--keep-src] [--no-prewarm] [--ref FILE] [--chart]
//
// See bench/README.md.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { CASES, READ_CASES, TRANSFORM_CASES } = require('./lib/cases')
const { DISK_SUITES, DEFAULT_MIB, runDiskSuite } = require('./lib/disk-suites')
const { MEMORY_SUITES, runMemorySuite } = require('./lib/memory-suites')
const { runOverhead } = require('./lib/overhead')
const { LIFECYCLE_CASES } = require('./lifecycle')

const BENCH_DIR = __dirname
const RESULTS_DIR = path.join(BENCH_DIR, 'results')

// Display order: baseline first, then sluice, then the other peers.
const CONTENDERS = ['node', 'sluice', ...(process.env.SLUICE_BEFORE ? ['sluice-before'] : []), 'readable-stream', 'streamx', 'minipass']
// Contenders that come from bench/node_modules (npm package name).
const PEER_PACKAGES = { 'readable-stream': 'readable-stream', streamx: 'streamx', minipass: 'minipass' }
const BASELINE = 'node'

// Each suite: a one-trial script, its cases, and how its report is worded.
const SUITES = {
  write: {
    benchmark: 'write-hot',
    script: path.join(BENCH_DIR, 'write-hot.js'),
    cases: CASES,
    unit: 'write',
    // progress-line suffix and the third table: 'drain' waits per trial
    progress: (r) => `drains=${r.drains}`,
    extra: {
      field: 'drains',
      title: '`drains` (timed trial) — how often write() returned false and the loop awaited \'drain\':'
    },
    hangHint: "'drain' or 'finish' never emitted"
  },
  read: {
    benchmark: 'read-hot',
    script: path.join(BENCH_DIR, 'read-hot.js'),
    cases: READ_CASES,
    unit: 'chunk pushed',
    progress: (r) => `chunksSeen=${r.chunksSeen}`,
    extra: {
      field: 'chunksSeen',
      title: '`chunksSeen` (timed trial) — how many chunks the consumer got for the n pushed (fewer = the implementation hands out concatenated buffers, e.g. read() in paused mode):'
    },
    hangHint: "'end'/'finish' never emitted, or read() never called again"
  },
  transform: {
    benchmark: 'transform',
    script: path.join(BENCH_DIR, 'transform.js'),
    cases: TRANSFORM_CASES,
    // same-implementation chains: only the implementations that have Transform/PassThrough
    contenders: ['node', 'sluice', ...(process.env.SLUICE_BEFORE ? ['sluice-before'] : []), 'readable-stream'],
    unit: 'chunk (through the whole chain)',
    legend: 'Readable → D stages → no-op Writable, all of one implementation, piped with `.pipe()`, hwm 16 KiB. ' +
      '`passD`: D PassThrough stages; `upperD`: D Transforms doing `cb(null, chunk.toString().toUpperCase())`; ' +
      '`-str`: the source pushes a 64-char string instead of a 64-byte Buffer.',
    progress: (r) => `${String(r.nsPerStage).padStart(7)} ns/stage  chunksSeen=${r.chunksSeen}`,
    // a second table: the medians divided by the number of stages
    perStage: (k) => TRANSFORM_CASES[k].depth,
    extra: {
      field: 'chunksSeen',
      title: '`chunksSeen` (timed trial) — how many chunks reached the sink for the n pushed:'
    },
    hangHint: "the sink's 'finish' never emitted, or a stage stopped reading"
  },
  lifecycle: {
    benchmark: 'lifecycle',
    script: path.join(BENCH_DIR, 'lifecycle.js'),
    cases: LIFECYCLE_CASES,
    contenders: ['node', 'sluice', ...(process.env.SLUICE_BEFORE ? ['sluice-before'] : []), 'readable-stream'],
    unit: 'stream',
    legend: 'Short-lived streams, created in overlapping batches of 1,000: `writable` created, written once (64 B), ended, until ' +
      "'finish'; `passthrough` created, resumed, ended with one chunk, until 'end'; `from3` `Readable.from([a, b, c])` read " +
      "with a 'data' handler until 'end'; `transform` a Transform passing its chunk on, with a 'data' handler, written once, " +
      "ended, until 'end'; `memory` n live unended Writables written once (creation time; RSS per stream below).",
    progress: (r) => r.bytesPerStream !== '' ? `${r.bytesPerStream} B/stream` : '',
    extra: {
      field: 'bytesPerStream',
      title: '`bytesPerStream` (memory case) — growth of RSS per live unended Writable after a full GC, native memory included:'
    },
    hangHint: "a stream's 'finish' or 'end' never came"
  }
}
// `--suite all` (the default): the in-memory suites. overhead compares with a reference
// file, and the disk suites are slow and write GiBs to os.tmpdir(): they run only when named.
const SUITE_ORDER = ['write', 'read', 'transform', 'lifecycle', 'slow', 'scaling']
const OPT_IN_ORDER = ['overhead', 'file', 'copy']
const DISK_ORDER = ['file', 'copy']
const MEMORY_ORDER = ['slow', 'scaling']
const ALL_SUITE_NAMES = [...SUITE_ORDER, ...OPT_IN_ORDER]
const isDisk = (s) => DISK_ORDER.includes(s)
const isMemory = (s) => MEMORY_ORDER.includes(s)
const OVERHEAD = { cases: { buf64: {} }, contenders: ['node', 'sluice'] }
const keyed = (list) => Object.fromEntries(list.map((k) => [k, {}]))
const casesOf = (s) => isDisk(s)
  ? DISK_SUITES[s].cases
  : isMemory(s) ? keyed(MEMORY_SUITES[s].cases) : s === 'overhead' ? OVERHEAD.cases : SUITES[s].cases
const contendersOf = (s) => isDisk(s)
  ? Object.keys(DISK_SUITES[s].contenders)
  : isMemory(s) ? Object.keys(MEMORY_SUITES[s].contenders) : s === 'overhead' ? OVERHEAD.contenders : SUITES[s].contenders || CONTENDERS
const benchmarkOf = (s) => isDisk(s) ? DISK_SUITES[s].benchmark : isMemory(s) ? MEMORY_SUITES[s].benchmark : s === 'overhead' ? 'overhead' : SUITES[s].benchmark
// --mib: which suites take it, and their default / --quick sizes
const mibDefaults = (s) => isDisk(s)
  ? { def: DEFAULT_MIB, quick: Math.max(1, Math.floor(DEFAULT_MIB / 10)) }
  : isMemory(s) ? { def: MEMORY_SUITES[s].defaultMib, quick: MEMORY_SUITES[s].quickMib } : null
const union = (lists) => [...new Set(lists.flat())]
const ALL_CASES = union(ALL_SUITE_NAMES.map((s) => Object.keys(casesOf(s))))
const ALL_CONTENDERS = union(ALL_SUITE_NAMES.map(contendersOf))

function usage (msg) {
  if (msg) process.stderr.write(`run.js: ${msg}\n`)
  process.stderr.write(`usage: node bench/run.js [--suite ${ALL_SUITE_NAMES.join('|')}|all] [--reps R] [--quick]
                        [--only ${ALL_CONTENDERS.join(',')}]
                        [--case ${ALL_CASES.join(',')}] [--timeout SECONDS] [--tag TAG]
                        [--mib S] [--keep-src] [--no-prewarm] [--ref FILE] [--chart]
  --suite all = ${SUITE_ORDER.join(',')}; ${OPT_IN_ORDER.join(', ')} run only when named, e.g. --suite file,copy
  --chart alone renders results/headline.svg from the latest result files; with --suite, after the run
`)
  process.exit(msg ? 2 : 0)
}

function parseArgs (argv) {
  const out = {}
  const flags = new Set(['quick', 'help', 'keep-src', 'no-prewarm', 'chart'])
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-h') { out.help = true; continue }
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`)
    const eq = a.indexOf('=')
    if (eq !== -1) { out[a.slice(2, eq)] = a.slice(eq + 1); continue }
    const key = a.slice(2)
    if (flags.has(key)) { out[key] = true; continue }
    const next = argv[i + 1]
    if (next === undefined) usage(`--${key} needs a value`)
    out[key] = next
    i++
  }
  return out
}

function list (value, valid, what) {
  const items = String(value).split(',').map((s) => s.trim()).filter(Boolean)
  for (const it of items) if (!valid.includes(it)) usage(`unknown ${what} "${it}" (valid: ${valid.join(', ')})`)
  return valid.filter((v) => items.includes(v)) // keep canonical order
}

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function firstLine (s) {
  return String(s || '').trim().split('\n')[0]
}

function lastJsonLine (stdout) {
  const lines = String(stdout || '').trim().split('\n').reverse()
  for (const l of lines) {
    try { return JSON.parse(l) } catch { /* not JSON */ }
  }
  return null
}

function child (suite, args, timeoutMs) {
  const r = spawnSync(process.execPath, ['--expose-gc', suite.script, ...args], {
    cwd: BENCH_DIR,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024
  })
  const json = lastJsonLine(r.stdout)
  if (r.error && r.error.code === 'ETIMEDOUT') {
    return { error: `timed out after ${timeoutMs / 1000}s (hang? e.g. ${suite.hangHint})` }
  }
  if (r.error) return { error: r.error.message }
  if (r.status !== 0 || !json || json.error) {
    const why = (json && json.error) ||
      firstLine(r.stderr.split('\n').find((l) => /Error|error/.test(l)) || r.stderr) ||
      `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`
    return { error: why, na: json && json.na }
  }
  return json
}

function fmtNs (x) {
  if (x == null) return 'n/a'
  return x >= 100 ? x.toFixed(0) : x.toFixed(1)
}

function fmtRatio (r) {
  return r == null ? '' : ` (${r.toFixed(2)}×)`
}

function today () {
  return new Date().toISOString().slice(0, 10)
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) usage()
  // --chart on its own: only the chart, from the result files already there.
  const chartOnly = args.chart && args.suite === undefined &&
    !['reps', 'quick', 'only', 'case', 'mib', 'tag', 'ref', 'timeout'].some((k) => args[k] !== undefined)
  if (chartOnly) {
    await renderChart()
    return
  }

  const quick = !!args.quick
  // Default reps: 5 for the in-memory suites, 3 for the (slow) disk suites; 3 with --quick.
  const repsArg = args.reps !== undefined ? Number(args.reps) : null
  if (repsArg !== null && (!Number.isInteger(repsArg) || repsArg < 1)) usage('--reps must be a positive integer')
  const repsFor = (s) => repsArg !== null ? repsArg : (quick || isDisk(s) || isMemory(s) ? 3 : 5)
  const timeoutMs = (args.timeout !== undefined ? Number(args.timeout) : 300) * 1000
  if (!(timeoutMs > 0)) usage('--timeout must be a positive number of seconds')
  const tag = args.tag ? String(args.tag).replace(/[^\w.-]+/g, '_') : ''
  const suiteArg = args.suite === undefined ? 'all' : String(args.suite)
  const suites = suiteArg === 'all' ? [...SUITE_ORDER] : list(suiteArg, ALL_SUITE_NAMES, 'suite')
  if (!suites.length) usage('nothing to run')
  // --mib S: file/copy: MiB per trial (default 1024); slow: MiB written (100);
  // scaling: the base size (16). --quick: file/copy/slow a tenth, scaling 4.
  let mib = null
  if (args.mib !== undefined) {
    mib = Number(args.mib)
    if (!Number.isInteger(mib) || mib < 1) usage('--mib must be a positive integer')
    if (!suites.some(mibDefaults)) usage('--mib only applies to --suite slow / scaling / file / copy')
  }
  const mibFor = (s) => mib !== null ? mib : (quick ? mibDefaults(s).quick : mibDefaults(s).def)
  // --only / --case names may belong to any of the chosen suites; a suite that none
  // of them belongs to is skipped (so `--case pipe` alone runs just the read suite).
  const contenderNames = args.only ? list(args.only, union(suites.map(contendersOf)), 'contender') : null
  const caseNames = args.case ? list(args.case, union(suites.map((s) => Object.keys(casesOf(s)))), 'case') : null
  const plan = []
  for (const s of suites) {
    const valid = Object.keys(casesOf(s))
    const cases = caseNames ? valid.filter((k) => caseNames.includes(k)) : valid
    const validC = contendersOf(s)
    const contenders = contenderNames ? validC.filter((c) => contenderNames.includes(c)) : [...validC]
    if (cases.length && contenders.length) plan.push([s, cases, contenders])
  }
  if (caseNames) {
    const stray = caseNames.filter((k) => !plan.some(([, cs]) => cs.includes(k)))
    if (stray.length) usage(`case${stray.length > 1 ? 's' : ''} ${stray.join(', ')} not in suite ${suiteArg}${contenderNames ? ' with these contenders' : ''}`)
  }
  if (!plan.length) usage('nothing to run')

  let failed = false
  const written = [] // [suite, [files]]
  for (const [s, cases, contenders] of plan) {
    const reps = repsFor(s)
    if (plan.length > 1) process.stderr.write(`\n=== suite ${s} (${benchmarkOf(s)}) ===\n`)
    let r
    if (isDisk(s)) {
      r = runDiskSuite(s, { reps, quick, mib: mibFor(s), timeoutMs, contenders, cases, tag, keepSrc: !!args['keep-src'], prewarm: !args['no-prewarm'] })
    } else if (isMemory(s)) {
      r = runMemorySuite(s, { reps, quick, mib: mibFor(s), timeoutMs, contenders, cases, tag })
    } else if (s === 'overhead') {
      if (!contenders.includes('node') || !contenders.includes('sluice')) {
        process.stderr.write('overhead: skipped (needs both node and sluice)\n')
        written.push([s, []])
        continue
      }
      r = runOverhead({ reps, quick, timeoutMs, tag, ref: args.ref ? path.resolve(String(args.ref)) : undefined })
    } else {
      r = runSuite(SUITES[s], { reps, quick, timeoutMs, contenders, cases, tag })
    }
    written.push([s, r.files || []])
    if (!r.ok) failed = true
  }
  if (args.chart) await renderChart()
  // Where everything went (each suite also says so after its report).
  process.stdout.write('\nResult files:\n')
  for (const [s, files] of written) {
    process.stdout.write(`  ${s.padEnd(9)} ${files.length ? files.map((f) => path.relative(process.cwd(), f)).join('  ') : '(none: skipped)'}\n`)
  }
  if (!args.chart) process.stdout.write('Headline chart: node bench/run.js --chart  (-> bench/results/headline.svg)\n')
  // Only a broken baseline is a failure of the benchmark itself.
  if (failed) process.exitCode = 1
}

async function renderChart () {
  const { main: chart } = require('./chart')
  try {
    await chart()
  } catch (err) {
    process.stderr.write(`chart: ${err && err.stack ? err.stack : err}\n`)
    process.exitCode = 1
  }
}

// Runs one suite and writes its report; returns { ok, files }, ok false if the baseline failed.
function runSuite (suite, { reps, quick, timeoutMs, contenders, cases, tag }) {
  const CASES = suite.cases
  const nFor = (c) => quick ? Math.max(1, Math.floor(CASES[c].n / 10)) : CASES[c].n

  // --- load checks ---------------------------------------------------------
  const unavailable = {} // contender -> error message
  const versions = {}
  const missingPeers = contenders.filter((c) => PEER_PACKAGES[c] &&
    !fs.existsSync(path.join(BENCH_DIR, 'node_modules', PEER_PACKAGES[c], 'package.json')))
  if (missingPeers.length) {
    process.stderr.write(`\nNOTE: bench/node_modules is missing ${missingPeers.join(', ')}; skipping ${missingPeers.length === 1 ? 'it' : 'them'}.\n` +
      '      To benchmark the peers too, run:  cd bench && npm install\n\n')
    for (const c of missingPeers) unavailable[c] = 'not installed (run `cd bench && npm install`)'
  }
  for (const c of contenders) {
    if (unavailable[c]) continue
    const r = child(suite, ['--contender', c, '--check'], 60_000)
    if (r.error) {
      unavailable[c] = r.error
      process.stderr.write(`${c}: n/a — ${r.error}\n`)
    } else {
      versions[c] = r.version
    }
  }
  const active = contenders.filter((c) => !unavailable[c])

  // --- trials --------------------------------------------------------------
  // Order: rep -> case -> contender, with the contender order rotated each
  // rep so no contender always runs first/last (thermal/noise position bias).
  const samples = {} // case -> contender -> [trial]
  const errors = {} // case -> contender -> [message]
  const unsupported = {} // case -> contender -> reason (the contender can't do this case: n/a)
  for (const k of cases) { samples[k] = {}; errors[k] = {}; unsupported[k] = {} }
  const total = reps * cases.length * active.length
  let done = 0
  const started = Date.now()
  for (let rep = 0; rep < reps; rep++) {
    const order = active.map((_, i) => active[(i + rep) % active.length])
    for (const k of cases) {
      for (const c of order) {
        done++
        const prefix = `[${String(done).padStart(String(total).length)}/${total}] rep ${rep + 1} ${k.padEnd(9)} ${c.padEnd(15)}`
        if (unsupported[k][c]) {
          process.stderr.write(`${prefix} n/a (${unsupported[k][c]})\n`)
          continue
        }
        const r = child(suite, ['--contender', c, '--case', k, '--n', String(nFor(k))], timeoutMs)
        if (r.na) {
          unsupported[k][c] = r.na
          process.stderr.write(`${prefix} n/a (${r.na})\n`)
        } else if (r.error) {
          ;(errors[k][c] ||= []).push(r.error)
          process.stderr.write(`${prefix} ERROR ${r.error}\n`)
        } else {
          ;(samples[k][c] ||= []).push(r)
          process.stderr.write(`${prefix} ${fmtNs(r.nsPerOp).padStart(7)} ns/op  ${String(r.ms).padStart(8)} ms  ${suite.progress(r)}\n`)
        }
      }
    }
  }
  const elapsedS = (Date.now() - started) / 1000

  // --- stats ---------------------------------------------------------------
  const stats = {} // case -> contender -> {...}
  for (const k of cases) {
    stats[k] = {}
    for (const c of contenders) {
      const s = samples[k][c] || []
      if (!s.length) {
        stats[k][c] = { error: unavailable[c] || (unsupported[k][c] && `n/a: ${unsupported[k][c]}`) || (errors[k][c] || ['no sample'])[0] }
        continue
      }
      const ns = s.map((t) => t.nsPerOp)
      stats[k][c] = {
        samples: ns,
        min: Math.min(...ns),
        median: median(ns),
        max: Math.max(...ns),
        [suite.extra.field]: s[0][suite.extra.field],
        failures: (errors[k][c] || []).length
      }
    }
    const base = stats[k][BASELINE]
    for (const c of contenders) {
      const st = stats[k][c]
      if (st.error || !base || base.error) continue
      st.ratioMedian = st.median / base.median
      st.ratioMin = st.min / base.min
      // Per-rep paired ratio (c and node ran back to back in the same rep).
      const baseByRep = samples[k][BASELINE] || []
      const paired = []
      for (let i = 0; i < Math.min(baseByRep.length, samples[k][c].length); i++) {
        paired.push(samples[k][c][i].nsPerOp / baseByRep[i].nsPerOp)
      }
      if (paired.length) st.pairedRatioMedian = median(paired)
    }
  }

  // --- report --------------------------------------------------------------
  const cpus = os.cpus()
  const env = {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus.length ? cpus[0].model.trim() : 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)
  }
  const hasBase = contenders.includes(BASELINE) && !unavailable[BASELINE]

  const md = []
  md.push(`# ${suite.benchmark} benchmark — ${env.date.slice(0, 10)}`)
  md.push('')
  md.push(`- date: ${env.date}`)
  md.push(`- machine: ${env.cores} cores, ${env.cpuModel} (${env.platform}); load average at end ${env.loadavg.join(' / ')}`)
  md.push(`- node: ${env.node}`)
  md.push(`- reps: ${reps}${quick ? ' (--quick: n / 10)' : ''}, one child process per trial, contenders interleaved; wall time ${elapsedS.toFixed(0)} s`)
  md.push(`- contenders: ${contenders.map((c) => `${c} ${versions[c] || '(n/a)'}`).join(', ')}`)
  md.push('')
  md.push(`Median ns per ${suite.unit} (lower is better)${hasBase ? '; in parentheses the ratio to node from this run (>1 = slower than node)' : ''}.`)
  md.push('Only compare ratios within one run: the machine is shared and noisy.')
  if (suite.legend) md.push(suite.legend)
  md.push('')
  const head = ['case', 'n', ...contenders]
  md.push(`| ${head.join(' | ')} |`)
  md.push(`| ${head.map((h, i) => i < 2 ? '---' : '---:').join(' | ')} |`)
  for (const k of cases) {
    const cells = contenders.map((c) => {
      const st = stats[k][c]
      if (st.error) return 'n/a'
      return `${fmtNs(st.median)} ns${fmtRatio(st.ratioMedian)}`
    })
    md.push(`| ${k} | ${nFor(k).toLocaleString('en-US')} | ${cells.join(' | ')} |`)
  }
  md.push('')
  md.push(`Min ns per ${suite.unit} (best of the reps), ratio to node's min:`)
  md.push('')
  md.push(`| ${head.join(' | ')} |`)
  md.push(`| ${head.map((h, i) => i < 2 ? '---' : '---:').join(' | ')} |`)
  for (const k of cases) {
    const cells = contenders.map((c) => {
      const st = stats[k][c]
      if (st.error) return 'n/a'
      return `${fmtNs(st.min)} ns${fmtRatio(st.ratioMin)}`
    })
    md.push(`| ${k} | ${nFor(k).toLocaleString('en-US')} | ${cells.join(' | ')} |`)
  }
  if (suite.perStage) {
    md.push('')
    md.push(`Median ns per chunk per stage (the first table divided by the number of stages), ratio to node:`)
    md.push('')
    md.push(`| ${head.join(' | ')} |`)
    md.push(`| ${head.map((h, i) => i < 2 ? '---' : '---:').join(' | ')} |`)
    for (const k of cases) {
      const cells = contenders.map((c) => {
        const st = stats[k][c]
        if (st.error) return 'n/a'
        return `${fmtNs(st.median / suite.perStage(k))} ns${fmtRatio(st.ratioMedian)}`
      })
      md.push(`| ${k} | ${nFor(k).toLocaleString('en-US')} | ${cells.join(' | ')} |`)
    }
  }
  md.push('')
  md.push(suite.extra.title)
  md.push('')
  md.push(`| case | ${contenders.join(' | ')} |`)
  md.push(`| --- | ${contenders.map(() => '---:').join(' | ')} |`)
  for (const k of cases) {
    md.push(`| ${k} | ${contenders.map((c) => stats[k][c].error ? 'n/a' : String(stats[k][c][suite.extra.field])).join(' | ')} |`)
  }
  const notes = []
  for (const c of contenders) if (unavailable[c]) notes.push(`- **${c}**: n/a — ${unavailable[c]}`)
  for (const k of cases) {
    for (const c of contenders) {
      if (unavailable[c]) continue
      if (unsupported[k][c]) notes.push(`- **${c}** / ${k}: n/a — ${unsupported[k][c]}`)
      const errs = errors[k][c] || []
      if (errs.length) notes.push(`- **${c}** / ${k}: ${errs.length} of ${reps} trials failed — ${errs[0]}`)
    }
  }
  if (!hasBase) notes.push('- node was not run, so no ratios are shown (add it with `--only node,...`).')
  if (notes.length) {
    md.push('')
    md.push('Notes:')
    md.push('')
    md.push(...notes)
  }
  const mdText = md.join('\n') + '\n'

  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  // --quick runs get a -quick suffix so they never overwrite a full run's files.
  const base = `${suite.benchmark}-${today()}${quick ? '-quick' : ''}${tag ? `-${tag}` : ''}`
  const jsonPath = path.join(RESULTS_DIR, `${base}.json`)
  const mdPath = path.join(RESULTS_DIR, `${base}.md`)
  const raw = {
    benchmark: suite.benchmark,
    env,
    options: { reps, quick, contenders, cases, n: Object.fromEntries(cases.map((k) => [k, nFor(k)])), timeoutMs, tag: tag || null },
    versions,
    unavailable,
    stats,
    trials: Object.fromEntries(cases.map((k) => [k, samples[k]])),
    errors,
    unsupported
  }
  fs.writeFileSync(jsonPath, JSON.stringify(raw, null, 2) + '\n')
  fs.writeFileSync(mdPath, mdText)

  process.stdout.write('\n' + mdText)
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}\n`)

  // Only a broken baseline is a failure of the benchmark itself.
  const ok = !(contenders.includes(BASELINE) && (unavailable[BASELINE] || cases.some((k) => stats[k][BASELINE].error)))
  return { ok, files: [jsonPath, mdPath] }
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 1
})
