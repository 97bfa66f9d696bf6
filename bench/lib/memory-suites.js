'use strict'
// The memory suites of run.js: `slow` (slow-consumer.js) and `scaling` (scaling.js).
// As for the other suites: one child process per trial, one at a time, contenders
// interleaved with the order rotated per rep, ratios only within one run. They report
// memory (peak writableLength, peak RSS) next to time, so each has its own tables.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const BENCH_DIR = path.resolve(__dirname, '..')
const RESULTS_DIR = path.join(BENCH_DIR, 'results')
const BASELINE = 'node'

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const k = s.length >> 1
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2
}
const firstLine = (s) => String(s || '').trim().split('\n')[0]
const today = () => new Date().toISOString().slice(0, 10)
function lastJsonLine (stdout) {
  for (const l of String(stdout || '').trim().split('\n').reverse()) {
    try { return JSON.parse(l) } catch { /* not JSON */ }
  }
  return null
}

const fmtX = (r) => r == null || !Number.isFinite(r) ? '' : ` (${r.toFixed(2)}×)`
const fmtMs = (x) => x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
const fmtMiB = (x) => x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1)
function fmtBytes (b) {
  if (b == null) return 'n/a'
  if (b >= 1024 * 1024) return `${(b / 1024 / 1024).toFixed(b >= 10 * 1024 * 1024 ? 0 : 1)} MiB`
  if (b >= 1024) return `${(b / 1024).toFixed(b >= 10 * 1024 ? 0 : 1)} KiB`
  return `${b} B`
}
const signed = (x) => `${x >= 0 ? '+' : '−'}${fmtMiB(Math.abs(x))}`

// --- suite definitions -------------------------------------------------------
const SLOW_CASE_LABEL = {
  respected: 'respected (canonical loop)',
  ignored: 'ignored (sync loop, then end)',
  'ignored-async': 'ignored-async (yields every 64 KiB)'
}
const SCALING_LABEL = {
  'data-1x': '1 stream, 1× base',
  'data-4x': '1 stream, 4× base',
  'data-16x': '1 stream, 16× base',
  'streams-1': '1 stream, base',
  'streams-100': '100 streams, base / 100 each',
  'streams-1000': '1000 streams, base / 1000 each'
}

const MEMORY_SUITES = {
  slow: {
    benchmark: 'slow',
    script: 'slow-consumer.js',
    cases: ['respected', 'ignored', 'ignored-async'],
    contenders: {
      node: { describe: "`node:stream` Writable, `write (chunk, enc, cb) { setImmediate(cb) }`, hwm 16 KiB (baseline)" },
      sluice: { describe: "sluice's Writable, the same sink" },
      'sluice-bounded': {
        describe: "sluice's Writable with `{ maxBuffered: 1048576, overflow: 'drop-oldest' }` (only the ignored cases)",
        cases: ['ignored', 'ignored-async']
      }
    },
    defaultMib: 100,
    quickMib: 10,
    mibWord: 'MiB written per trial (1 KiB chunks)',
    args: (k, mib) => ['--case', k, '--mib', String(mib)],
    progress: (r) => `${fmtMs(r.ms).padStart(7)} ms  peak writableLength ${fmtBytes(r.peakWritableLength).padStart(9)}  peak RSS ${fmtMiB(r.rss.peakMiB)} MiB${r.dropped ? `  dropped ${r.dropped}` : ''}`,
    hangHint: "'drain' or 'finish' never emitted",
    summarize: (s) => ({
      ms: median(s.map((t) => t.ms)),
      msProduce: median(s.map((t) => t.msProduce)),
      peakWritableLength: median(s.map((t) => t.peakWritableLength)),
      rssStartMiB: median(s.map((t) => t.rss.startMiB)),
      rssPeakMiB: median(s.map((t) => t.rss.peakMiB)),
      rssPeakDeltaMiB: median(s.map((t) => t.rss.peakMiB - t.rss.startMiB)),
      maxRssMiB: s.every((t) => t.rss.maxRssMiB != null) ? median(s.map((t) => t.rss.maxRssMiB)) : null,
      dropped: median(s.map((t) => t.dropped)),
      delivered: median(s.map((t) => t.delivered)),
      statsPeakBuffered: s[0].stats ? median(s.map((t) => t.stats.peakBuffered)) : null
    }),
    ratios: ['ms', 'rssPeakMiB', 'rssPeakDeltaMiB'],
    report: slowReport
  },
  scaling: {
    benchmark: 'scaling',
    script: 'scaling.js',
    cases: ['data-1x', 'data-4x', 'data-16x', 'streams-1', 'streams-100', 'streams-1000'],
    contenders: {
      node: { describe: '`node:stream` Readable → PassThrough → Writable (no-op, sync callback), hwm 16 KiB (baseline)' },
      sluice: { describe: "sluice's Readable → PassThrough → Writable, the same" }
    },
    defaultMib: 16,
    quickMib: 4,
    mibWord: 'MiB base size (1 KiB chunks)',
    args: (k, mib) => ['--case', k, '--mib', String(mib)],
    progress: (r) => `${fmtMs(r.ms).padStart(7)} ms  ${String(r.nsPerKiB).padStart(7)} ns/KiB  peak RSS ${fmtMiB(r.mem.peakRssMiB)} MiB (${signed(r.mem.peakRssMiB - r.mem.startMiB)})`,
    hangHint: "'finish' never emitted",
    summarize: (s) => ({
      streams: s[0].streams,
      bytes: s[0].bytes,
      ms: median(s.map((t) => t.ms)),
      nsPerKiB: median(s.map((t) => t.nsPerKiB)),
      rssStartMiB: median(s.map((t) => t.mem.startMiB)),
      rssPeakMiB: median(s.map((t) => t.mem.peakRssMiB)),
      rssPeakDeltaMiB: median(s.map((t) => t.mem.peakRssMiB - t.mem.startMiB)),
      builtDeltaKiB: median(s.map((t) => t.mem.builtDeltaKiB)),
      heapPeakDeltaMiB: median(s.map((t) => t.mem.peakHeapMiB - t.mem.startHeapMiB)),
      maxRssMiB: s.every((t) => t.mem.maxRssMiB != null) ? median(s.map((t) => t.mem.maxRssMiB)) : null
    }),
    ratios: ['ms', 'rssPeakMiB', 'rssPeakDeltaMiB', 'heapPeakDeltaMiB'],
    report: scalingReport
  }
}

function child (suite, contender, args, timeoutMs) {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(BENCH_DIR, suite.script), '--contender', contender, ...args], {
    cwd: BENCH_DIR,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024
  })
  const json = lastJsonLine(r.stdout)
  if (r.error && r.error.code === 'ETIMEDOUT') return { error: `timed out after ${timeoutMs / 1000}s (hang? e.g. ${suite.hangHint})` }
  if (r.error) return { error: r.error.message }
  if (json && json.na) return { na: json.na }
  if (r.status !== 0 || !json || json.error) {
    const why = (json && json.error) ||
      firstLine(String(r.stderr).split('\n').find((l) => /Error|error/.test(l)) || r.stderr) ||
      `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`
    return { error: why, exit: r.status, signal: r.signal }
  }
  return json
}

/**
 * Runs one memory suite ('slow' or 'scaling') and writes its report. Returns
 * { ok, files }; ok is false only if the node baseline failed.
 */
function runMemorySuite (name, { reps, quick, mib, timeoutMs, contenders, cases, tag }) {
  const suite = MEMORY_SUITES[name]
  const log = (s) => process.stderr.write(s)
  const runsCase = (c, k) => !suite.contenders[c].cases || suite.contenders[c].cases.includes(k)

  const unavailable = {}
  const versions = {}
  for (const c of contenders) {
    const r = child(suite, c, ['--check'], 60_000)
    if (r.error) {
      unavailable[c] = r.error
      log(`${c}: n/a — ${r.error}\n`)
    } else {
      versions[c] = r.version
    }
  }
  const active = contenders.filter((c) => !unavailable[c])

  const samples = {}
  const errors = {}
  for (const k of cases) { samples[k] = {}; errors[k] = {} }
  const total = reps * cases.reduce((n, k) => n + active.filter((c) => runsCase(c, k)).length, 0)
  let done = 0
  const started = Date.now()
  for (let rep = 0; rep < reps; rep++) {
    const order = active.map((_, i) => active[(i + rep) % active.length])
    for (const k of cases) {
      for (const c of order) {
        if (!runsCase(c, k)) continue
        done++
        const prefix = `[${String(done).padStart(String(total).length)}/${total}] rep ${rep + 1} ${k.padEnd(13)} ${c.padEnd(15)}`
        const r = child(suite, c, suite.args(k, mib), timeoutMs)
        if (r.error) {
          ;(errors[k][c] ||= []).push({ rep: rep + 1, error: r.error, exit: r.exit, signal: r.signal })
          log(`${prefix} ERROR ${r.error}\n`)
        } else {
          ;(samples[k][c] ||= []).push({ rep: rep + 1, ...r })
          log(`${prefix} ${suite.progress(r)}\n`)
        }
      }
    }
  }
  const elapsedS = (Date.now() - started) / 1000

  const stats = {}
  for (const k of cases) {
    stats[k] = {}
    for (const c of contenders) {
      if (!runsCase(c, k)) { stats[k][c] = { na: true, error: `n/a: ${c} does not run case ${k}` }; continue }
      const s = samples[k][c] || []
      if (!s.length) { stats[k][c] = { error: unavailable[c] || ((errors[k][c] || [])[0] || {}).error || 'no sample' }; continue }
      stats[k][c] = { ...suite.summarize(s), reps: s.length, failures: (errors[k][c] || []).length }
    }
    const base = stats[k][BASELINE]
    if (base && !base.error) {
      for (const c of contenders) {
        const st = stats[k][c]
        if (st.error) continue
        st.ratio = {}
        for (const f of suite.ratios) if (base[f]) st.ratio[f] = st[f] / base[f]
      }
    }
  }

  const cpus = os.cpus()
  const env = {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus.length ? cpus[0].model.trim() : 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memTotalGiB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)
  }
  const md = []
  md.push(`# ${suite.benchmark} benchmark — ${env.date.slice(0, 10)}`)
  md.push('')
  md.push(`- date: ${env.date}`)
  md.push(`- machine: ${env.cores} cores, ${env.cpuModel} (${env.platform}), ${env.memTotalGiB} GiB RAM; load average at end ${env.loadavg.join(' / ')}`)
  md.push(`- node: ${env.node}`)
  md.push(`- size: ${mib} ${suite.mibWord}${quick ? ' (--quick)' : ''}; reps: ${reps}, one child process per trial, contenders interleaved (order rotated per rep); wall time ${elapsedS.toFixed(0)} s`)
  md.push(`- contenders: ${contenders.map((c) => `${c} ${versions[c] || '(n/a)'}`).join(', ')}`)
  md.push('')
  const ctx = { cases, contenders, stats, mib, md }
  suite.report(ctx)

  const notes = []
  for (const c of contenders) notes.push(`- **${c}**: ${suite.contenders[c].describe}`)
  notes.push('')
  for (const c of contenders) if (unavailable[c]) notes.push(`- **${c}**: n/a — ${unavailable[c]}`)
  for (const k of cases) {
    for (const c of contenders) {
      for (const e of errors[k][c] || []) {
        notes.push(`- **${c}** / ${k}: rep ${e.rep} FAILED — ${e.error}${e.signal ? ` (signal ${e.signal})` : e.exit != null ? ` (exit ${e.exit})` : ''}`)
      }
    }
  }
  if (!contenders.includes(BASELINE) || unavailable[BASELINE]) notes.push('- node was not run, so no ratios are shown.')
  md.push('')
  md.push('Notes:')
  md.push('')
  md.push(...notes)
  const mdText = md.join('\n') + '\n'

  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const sizeTag = mib !== suite.defaultMib && !(quick && mib === suite.quickMib) ? `-${mib}mib` : ''
  const base = `${suite.benchmark}-${today()}${quick ? '-quick' : ''}${sizeTag}${tag ? `-${tag}` : ''}`
  const jsonPath = path.join(RESULTS_DIR, `${base}.json`)
  const mdPath = path.join(RESULTS_DIR, `${base}.md`)
  const raw = {
    benchmark: suite.benchmark,
    env,
    options: { reps, quick, mib, contenders, cases, timeoutMs, tag: tag || null },
    versions,
    unavailable,
    stats,
    trials: Object.fromEntries(cases.map((k) => [k, samples[k]])),
    errors
  }
  fs.writeFileSync(jsonPath, JSON.stringify(raw, null, 2) + '\n')
  fs.writeFileSync(mdPath, mdText)
  process.stdout.write('\n' + mdText)
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}\n`)
  const ok = !(contenders.includes(BASELINE) && (unavailable[BASELINE] || cases.some((k) => stats[k][BASELINE].error)))
  return { ok, files: [jsonPath, mdPath] }
}

// --- reports -------------------------------------------------------------------
function table (ctx, label, cellFn, only) {
  const { cases, stats, md } = ctx
  const contenders = only ? ctx.contenders.filter(only) : ctx.contenders
  md.push(`| case | ${contenders.join(' | ')} |`)
  md.push(`| --- | ${contenders.map(() => '---:').join(' | ')} |`)
  for (const k of cases) {
    md.push(`| ${label(k)} | ${contenders.map((c) => {
      const st = stats[k][c]
      if (st.na) return '–'
      if (st.error) return 'n/a'
      return cellFn(st, k, c)
    }).join(' | ')} |`)
  }
}

function slowReport (ctx) {
  const { md, mib } = ctx
  const label = (k) => SLOW_CASE_LABEL[k] || k
  md.push(`A producer writes ${mib} MiB as 1 KiB chunks (a fresh Buffer each) into a Writable whose \`_write\` calls back after \`setImmediate\` (one chunk per event-loop turn). Medians over the reps; ratios to node from this run. – = not run.`)
  md.push('')
  md.push('Peak buffered bytes (`writableLength` read after every write):')
  md.push('')
  table(ctx, label, (st) => fmtBytes(st.peakWritableLength))
  md.push('')
  md.push('Peak RSS in MiB (sampled after every 1024 writes and every 10 ms), the growth over the RSS at the start in brackets, ratio of peaks to node (>1 = more memory than node):')
  md.push('')
  table(ctx, label, (st) => `${fmtMiB(st.rssPeakMiB)} [${signed(st.rssPeakDeltaMiB)}]${fmtX(st.ratio && st.ratio.rssPeakMiB)}`)
  md.push('')
  md.push("Time from the first write to 'finish', ms (ratio to node, >1 = slower); in brackets the time the producer took to issue every write:")
  md.push('')
  table(ctx, label, (st) => `${fmtMs(st.ms)}${fmtX(st.ratio && st.ratio.ms)} [${fmtMs(st.msProduce)}]`)
  md.push('')
  md.push("sluice's `stats()` at the end: `peakBuffered` · `dropped` (chunks) · bytes that reached `_write`:")
  md.push('')
  table(ctx, label, (st) => st.statsPeakBuffered == null ? 'n/a' : `${fmtBytes(st.statsPeakBuffered)} · ${st.dropped} · ${fmtBytes(st.delivered)}`,
    (c) => c.startsWith('sluice'))
}

function scalingReport (ctx) {
  const { md, mib, stats } = ctx
  const label = (k) => `${k} (${SCALING_LABEL[k] || k})`
  md.push(`Readable → PassThrough → no-op Writable, fresh 1 KiB chunks; base = ${mib} MiB. Medians over the reps; ratios to node from this run (>1 = slower / more memory than node).`)
  md.push('')
  md.push('Time from building the first stream to the last `finish`: ms · ns per KiB (ratio of times to node):')
  md.push('')
  table(ctx, label, (st) => `${fmtMs(st.ms)} · ${st.nsPerKiB.toFixed(0)} ns/KiB${fmtX(st.ratio && st.ratio.ms)}`)
  md.push('')
  md.push('Growth: median time relative to the first case of its group (data-1x / streams-1) for the same contender. Ideal: 1, 4, 16 for data-*; 1, 1, 1 for streams-* (the same bytes spread over more streams).')
  md.push('')
  const groups = { 'data-': 'data-1x', 'streams-': 'streams-1' }
  const ref = (k) => groups[Object.keys(groups).find((g) => k.startsWith(g))]
  table(ctx, label, (st, k, c) => {
    const r = stats[ref(k)] && stats[ref(k)][c]
    return r && !r.error && r.ms ? `${(st.ms / r.ms).toFixed(2)}×` : 'n/a'
  })
  md.push('')
  md.push('Peak RSS in MiB (sampled every 10 ms, once all streams are built, and at the end); in brackets the growth over the RSS at the start; ratio of peaks to node:')
  md.push('')
  table(ctx, label, (st) => `${fmtMiB(st.rssPeakMiB)} [${signed(st.rssPeakDeltaMiB)}]${fmtX(st.ratio && st.ratio.rssPeakMiB)}`)
  md.push('')
  md.push('Memory of the streams themselves: RSS growth once every stream is built, before any data flows (per stream in brackets; RSS moves in pages, so only the 100/1000-stream rows mean much) · peak growth of `heapUsed` in MiB:')
  md.push('')
  table(ctx, label, (st) => `${st.builtDeltaKiB >= 0 ? '+' : '−'}${Math.abs(st.builtDeltaKiB)} KiB [${(st.builtDeltaKiB / st.streams).toFixed(1)} KiB] · ${signed(st.heapPeakDeltaMiB)}`)
}

module.exports = { MEMORY_SUITES, runMemorySuite }
