'use strict'
// The `overhead` suite of run.js. sluice's stats() counters are always on, so the write
// hot path cannot be measured with and without them in one build. Instead this reruns
// write-hot's buf64 case (64 B Buffer, canonical loop, no-op sink) for node and sluice,
// interleaved, and compares sluice's *ratio to node* with the one recorded in a
// reference report (default results/write-hot-2026-11-22-fast.md, the figure the
// counters' cost is judged against). Raw ns/op are shown too, but only the ratio is
// comparable across runs (see "Rule" in bench/README.md). Skipped if the reference
// file is missing.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const BENCH_DIR = path.resolve(__dirname, '..')
const RESULTS_DIR = path.join(BENCH_DIR, 'results')
const DEFAULT_REF = path.join(RESULTS_DIR, 'write-hot-2026-11-22-fast.md')
const CASE = 'buf64'
const CONTENDERS = ['node', 'sluice']
// The smallest band called noise, whatever the spreads: paired ratios on this shared
// machine move by a few percent from run to run with nothing changed.
const MIN_BAND = 0.05
// A band wider than this says the run was too disturbed to tell anything: the verdict
// is then "inconclusive" rather than a "within noise" that means nothing.
const MAX_BAND = 0.15
// node's own ns/write against the reference's: not a valid basis for a ratio, but on the
// same machine a gauge of how busy it is. Much slower than in the reference = the
// background load distorts the ratio too (in both directions): inconclusive.
const MAX_NODE_SLOWDOWN = 1.3

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const k = s.length >> 1
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2
}
const today = () => new Date().toISOString().slice(0, 10)
const fmtNs = (x) => x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1)
const f3 = (x) => x == null ? 'n/a' : x.toFixed(3)
function lastJsonLine (stdout) {
  for (const l of String(stdout || '').trim().split('\n').reverse()) {
    try { return JSON.parse(l) } catch { /* not JSON */ }
  }
  return null
}

/**
 * The reference: buf64 node/sluice medians (and n) from the markdown's first table,
 * and, if the .json beside it exists, the per-rep samples (for the paired ratios).
 */
function readReference (mdPath) {
  const text = fs.readFileSync(mdPath, 'utf8')
  const lines = text.split('\n')
  const head = lines.find((l) => /^\|\s*case\s*\|/.test(l))
  const row = lines.find((l) => new RegExp(`^\\|\\s*${CASE}\\s*\\|`).test(l)) // the first table = medians
  if (!head || !row) throw new Error(`no ${CASE} row in ${mdPath}`)
  const cols = head.split('|').map((s) => s.trim())
  const cells = row.split('|').map((s) => s.trim())
  const num = (name) => {
    const i = cols.indexOf(name)
    const m = i >= 0 && /^([\d.]+)\s*ns/.exec(cells[i])
    return m ? Number(m[1]) : null
  }
  const ref = {
    file: mdPath,
    n: Number(String(cells[cols.indexOf('n')] || '').replace(/,/g, '')) || null,
    nodeMedian: num('node'),
    sluiceMedian: num('sluice'),
    date: (/- date: (\S+)/.exec(text) || [])[1] || null
  }
  if (ref.nodeMedian == null || ref.sluiceMedian == null) throw new Error(`no node/sluice figures for ${CASE} in ${mdPath}`)
  ref.ratio = ref.sluiceMedian / ref.nodeMedian
  const jsonPath = mdPath.replace(/\.md$/, '.json')
  try {
    const j = JSON.parse(fs.readFileSync(jsonPath, 'utf8'))
    const a = j.stats[CASE].node.samples
    const b = j.stats[CASE].sluice.samples
    ref.json = jsonPath
    ref.paired = a.map((x, i) => b[i] / x).filter(Number.isFinite)
    ref.pairedMedian = median(ref.paired)
    if (!ref.n && j.options && j.options.n) ref.n = j.options.n[CASE]
  } catch { /* the markdown alone is enough */ }
  return ref
}

function child (contender, n, timeoutMs) {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(BENCH_DIR, 'write-hot.js'), '--contender', contender, '--case', CASE, '--n', String(n)], {
    cwd: BENCH_DIR, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024
  })
  const json = lastJsonLine(r.stdout)
  if (r.error) return { error: r.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000}s` : r.error.message }
  if (r.status !== 0 || !json || json.error) return { error: (json && json.error) || String(r.stderr).trim().split('\n')[0] || `exit ${r.status}` }
  return json
}

/** Returns { ok, files, skipped }. */
function runOverhead ({ reps, quick, timeoutMs, tag, ref: refPath = DEFAULT_REF }) {
  const log = (s) => process.stderr.write(s)
  if (!fs.existsSync(refPath)) {
    log(`overhead: skipped — the reference ${path.relative(process.cwd(), refPath)} is missing\n`)
    process.stdout.write(`\noverhead: skipped (no ${path.relative(process.cwd(), refPath)})\n`)
    return { ok: true, files: [], skipped: true }
  }
  const ref = readReference(refPath)
  // The reference's n, even with --quick: a different n is a different measurement
  // (5M writes take ~0.1 s per trial, so this stays cheap).
  const n = ref.n || 5_000_000

  const samples = { node: [], sluice: [] }
  const errors = { node: [], sluice: [] }
  const started = Date.now()
  let done = 0
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 ? [...CONTENDERS].reverse() : CONTENDERS
    const row = {}
    for (const c of order) {
      done++
      const r = child(c, n, timeoutMs)
      const prefix = `[${done}/${reps * 2}] rep ${rep + 1} ${CASE} ${c.padEnd(7)}`
      if (r.error) { errors[c].push(r.error); log(`${prefix} ERROR ${r.error}\n`); continue }
      row[c] = r.nsPerOp
      samples[c].push(r.nsPerOp)
      log(`${prefix} ${fmtNs(r.nsPerOp).padStart(6)} ns/op  ${r.ms} ms\n`)
    }
    if (row.node && row.sluice) (samples.paired ||= []).push(row.sluice / row.node)
  }
  const elapsedS = (Date.now() - started) / 1000
  const ok = samples.node.length > 0
  const now = {
    nodeMedian: samples.node.length ? median(samples.node) : null,
    sluiceMedian: samples.sluice.length ? median(samples.sluice) : null,
    paired: samples.paired || []
  }
  now.ratio = now.nodeMedian && now.sluiceMedian ? now.sluiceMedian / now.nodeMedian : null
  now.pairedMedian = now.paired.length ? median(now.paired) : null

  // Noise band: half the range of the per-rep paired ratios (sluice / node in the same
  // rep), in this run and in the reference, and at least MIN_BAND. With 5 or more reps
  // the lowest and highest ratio are left out first, so that one trial hit by a burst of
  // background load does not decide the band on its own.
  const halfRange = (xs) => {
    if (!xs || xs.length < 2) return 0
    const s = [...xs].sort((a, b) => a - b)
    const t = s.length >= 5 ? s.slice(1, -1) : s
    return (t[t.length - 1] - t[0]) / 2
  }
  const band = Math.max(MIN_BAND, halfRange(now.paired), halfRange(ref.paired))
  const refRatio = ref.pairedMedian != null ? ref.pairedMedian : ref.ratio
  const nowRatio = now.pairedMedian != null ? now.pairedMedian : now.ratio
  let verdict = null
  let verdictShort = null
  let diff = null
  const nodeSlowdown = now.nodeMedian && ref.nodeMedian ? now.nodeMedian / ref.nodeMedian : null
  if (nowRatio != null) {
    diff = nowRatio - refRatio
    if (band > MAX_BAND) {
      verdict = `inconclusive: the run was too noisy (band ±${f3(band)} > ±${MAX_BAND}); rerun with more --reps on a quieter machine`
    } else if (nodeSlowdown > MAX_NODE_SLOWDOWN) {
      verdict = `inconclusive: the machine was much busier than for the reference (node ${fmtNs(now.nodeMedian)} ns/write vs ${fmtNs(ref.nodeMedian)}, ×${nodeSlowdown.toFixed(2)} > ×${MAX_NODE_SLOWDOWN}); rerun when it is quieter`
    } else {
      verdict = Math.abs(diff) <= band
        ? 'within noise'
        : diff > 0 ? 'NOT within noise: slower relative to node than the reference' : 'NOT within noise: faster relative to node than the reference'
    }
    verdictShort = verdict.startsWith('inconclusive') ? 'inconclusive (too noisy)' : verdict.replace(' relative to node than the reference', '').replace(': ', ', ')
  }

  const env = {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpuModel: (os.cpus()[0] || {}).model || 'unknown',
    node: process.version,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)
  }
  const rel = (p) => path.relative(BENCH_DIR, p)
  const md = []
  md.push(`# overhead benchmark — ${env.date.slice(0, 10)}`)
  md.push('')
  md.push(`- date: ${env.date}`)
  md.push(`- machine: ${env.cores} cores, ${env.cpuModel.trim()}; load average at end ${env.loadavg.join(' / ')}`)
  md.push(`- node: ${env.node}`)
  md.push(`- case: write-hot \`${CASE}\` (64 B Buffer, canonical loop, no-op sink), n = ${n.toLocaleString('en-US')} (the reference's n${quick ? ', also with --quick' : ''}); reps: ${reps}, node and sluice alternating; wall time ${elapsedS.toFixed(0)} s`)
  md.push(`- reference: \`${rel(ref.file)}\`${ref.date ? ` (${ref.date})` : ''}${ref.json ? `, per-rep samples from \`${rel(ref.json)}\`` : ''}`)
  md.push('')
  md.push("sluice's `stats()` counters are always on, so the hot path cannot be timed without them in the same build. Instead, sluice's **ratio to node** on the write hot path is compared with the reference report. Only the ratio is comparable across runs; raw ns/op are shown for information.")
  md.push('')
  md.push('| | node ns/write (median) | sluice ns/write (median) | sluice / node (ratio of medians) | sluice / node (median of per-rep ratios) | per-rep ratios |')
  md.push('| --- | ---: | ---: | ---: | ---: | --- |')
  md.push(`| reference | ${fmtNs(ref.nodeMedian)} | ${fmtNs(ref.sluiceMedian)} | ${f3(ref.ratio)} | ${f3(ref.pairedMedian)} | ${ref.paired ? ref.paired.map(f3).join(', ') : 'n/a'} |`)
  md.push(`| this run | ${fmtNs(now.nodeMedian)} | ${fmtNs(now.sluiceMedian)} | ${f3(now.ratio)} | ${f3(now.pairedMedian)} | ${now.paired.map(f3).join(', ')} |`)
  md.push('')
  if (verdict) {
    md.push(`**Verdict: ${verdict}.** Ratio now ${f3(nowRatio)} vs reference ${f3(refRatio)} (difference ${diff >= 0 ? '+' : ''}${f3(diff)}); ` +
      `noise band ±${f3(band)} = the larger of half the range of the per-rep ratios, without the lowest and highest when there are 5 or more (this run: ${f3(halfRange(now.paired))}, reference: ${f3(halfRange(ref.paired))}), and ${MIN_BAND}.`)
  } else {
    md.push('**Verdict: n/a** — no node/sluice pair completed (see Notes).')
  }
  const notes = []
  for (const c of CONTENDERS) if (errors[c].length) notes.push(`- **${c}**: ${errors[c].length} of ${reps} trials failed — ${errors[c][0]}`)
  if (quick) notes.push('- --quick changes only the default reps (3), not n.')
  if (notes.length) { md.push(''); md.push('Notes:'); md.push(''); md.push(...notes) }
  const mdText = md.join('\n') + '\n'

  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const base = `overhead-${today()}${quick ? '-quick' : ''}${tag ? `-${tag}` : ''}`
  const jsonPath = path.join(RESULTS_DIR, `${base}.json`)
  const mdPath = path.join(RESULTS_DIR, `${base}.md`)
  fs.writeFileSync(jsonPath, JSON.stringify({
    benchmark: 'overhead', env, options: { reps, quick, n, case: CASE, tag: tag || null, minBand: MIN_BAND, maxBand: MAX_BAND, maxNodeSlowdown: MAX_NODE_SLOWDOWN },
    reference: ref, now, band, nodeSlowdown, verdict, verdictShort, diff, samples, errors
  }, null, 2) + '\n')
  fs.writeFileSync(mdPath, mdText)
  process.stdout.write('\n' + mdText)
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}\n`)
  return { ok, files: [jsonPath, mdPath] }
}

module.exports = { runOverhead, DEFAULT_REF }
