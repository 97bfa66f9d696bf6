'use strict'
// The disk suites of run.js: `file` (file-sink.js / file-sink-bun.js) and `copy`
// (file-copy.js / file-copy-bun.js). Like the write/read suites: one child process
// per trial, one at a time, contenders interleaved with the order rotated per rep;
// but they report throughput (MiB/s, ratio to fs, higher = better), event-loop delay
// and peak RSS, and their trials write S MiB files to os.tmpdir().

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { DEFAULT_MIB, FILE_CASES, FILE_CONTENDERS, COPY_CASES, COPY_CONTENDERS } = require('./file-cases')

const BENCH_DIR = path.resolve(__dirname, '..')
const RESULTS_DIR = path.join(BENCH_DIR, 'results')

// Contenders that come from bench/node_modules (npm package name).
const PEERS = { 'sonic-boom': 'sonic-boom', 'sonic-boom-4k': 'sonic-boom', bun: 'bun' }

const DISK_SUITES = {
  file: {
    benchmark: 'file-sink',
    title: 'file-sink',
    script: 'file-sink.js',
    bunScript: 'file-sink-bun.js',
    cases: FILE_CASES,
    contenders: FILE_CONTENDERS,
    baselines: ['fs'],
    caseLabel: (k) => {
      const c = FILE_CASES[k]
      return `${k} (chunk ${c.chunk >= 1024 ? `${c.chunk / 1024} KiB` : `${c.chunk} B`}, hwm ${c.hwm ? `${c.hwm / 1024} KiB` : 'default'})`
    },
    hangHint: "'drain', 'finish' or 'close' never emitted"
  },
  copy: {
    benchmark: 'file-copy',
    title: 'file-copy',
    script: 'file-copy.js',
    bunScript: 'file-copy-bun.js',
    cases: COPY_CASES,
    contenders: COPY_CONTENDERS,
    baselines: ['fs', 'cp'],
    caseLabel: () => 'copy',
    hangHint: "the copy's 'finish'/'close' never came"
  }
}

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const k = s.length >> 1
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2
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

function today () {
  return new Date().toISOString().slice(0, 10)
}

/** The bun binary from bench/node_modules/bun, or null. */
function bunBinary () {
  try {
    const dir = path.join(BENCH_DIR, 'node_modules', 'bun')
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
    const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin && pkg.bin.bun
    const bin = rel && path.join(dir, rel)
    return bin && fs.existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

function child (suite, contender, args, timeoutMs) {
  const isBun = suite.contenders[contender].runtime === 'bun'
  const cmd = isBun ? bunBinary() : process.execPath
  const argv = isBun
    ? [path.join(BENCH_DIR, suite.bunScript), ...args]
    : ['--expose-gc', path.join(BENCH_DIR, suite.script), '--contender', contender, ...args]
  if (!cmd) return { error: 'bun binary not found (run `cd bench && npm install`)' }
  const r = spawnSync(cmd, argv, {
    cwd: BENCH_DIR,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024
  })
  const json = lastJsonLine(r.stdout)
  if (r.error && r.error.code === 'ETIMEDOUT') {
    return { error: `timed out after ${timeoutMs / 1000}s (hang? e.g. ${suite.hangHint})` }
  }
  if (r.error) return { error: r.error.message }
  if (r.status !== 0 || !json || json.error) {
    const why = (json && json.error) ||
      firstLine(String(r.stderr).split('\n').find((l) => /Error|error/.test(l)) || r.stderr) ||
      `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`
    return { error: why, na: json && json.na, exit: r.status, signal: r.signal, stderr: String(r.stderr || '').trim().split('\n').slice(-6).join('\n') }
  }
  return json
}

/**
 * Pre-warm (before every trial, untimed): write S MiB of zeros to a scratch file in
 * os.tmpdir() with 1 MiB writeSync calls, then delete it. On this machine (a sandboxed
 * VM) the first GiB written into the page cache after other work often crawls (a plain
 * writeSync loop: 25 ms per 128 MiB normally, ~290 ms per 128 MiB in such a phase),
 * and which trial gets hit depended on which contender ran before it. Writing and
 * freeing S MiB right before each trial leaves every trial the same memory state.
 * Returns the pre-warm's MiB/s (a gauge of that state), or null if it failed.
 */
const PREWARM_BUF = Buffer.alloc(1024 * 1024)
function prewarm (mib) {
  const file = path.join(os.tmpdir(), `sluice-bench-prewarm-${process.pid}.bin`)
  const t0 = process.hrtime.bigint()
  try {
    const fd = fs.openSync(file, 'w')
    try {
      for (let i = 0; i < mib; i++) fs.writeSync(fd, PREWARM_BUF)
    } finally {
      fs.closeSync(fd)
    }
    return Math.round(mib / (Number(process.hrtime.bigint() - t0) / 1e9))
  } catch {
    return null
  } finally {
    try { fs.unlinkSync(file) } catch { /* gone */ }
  }
}

const fmtRate = (x) => x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1)
const fmtX = (r) => r == null ? '' : `${r.toFixed(2)}×`
const fmtMs = (x) => x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)

/**
 * What sluice was benchmarked: the git commit, whether the files that make up the
 * package (lib/, src/, index.*) had uncommitted changes, and a hash of the native
 * binary. Taken before and after the trials: the repository may be rebuilt meanwhile.
 */
function sluiceBuild () {
  const root = path.resolve(BENCH_DIR, '..')
  const git = (...a) => {
    const r = spawnSync('git', ['-C', root, ...a], { encoding: 'utf8' })
    return r.status === 0 ? r.stdout.trimEnd() : null // not trim(): porcelain lines start with a space
  }
  const out = { commit: git('rev-parse', '--short', 'HEAD') }
  if (out.commit) out.commit = out.commit.trim()
  const dirty = git('status', '--porcelain', '--', 'lib', 'src', 'index.js', 'index.mjs', 'binding.js')
  out.uncommitted = dirty === null ? null : dirty.split('\n').filter(Boolean).map((l) => l.slice(3))
  try {
    const bin = fs.readdirSync(root).find((f) => /^sluice\..*\.node$/.test(f))
    if (bin) {
      const file = path.join(root, bin)
      out.binary = bin
      out.binarySha256 = require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16)
      out.binaryMtime = fs.statSync(file).mtime.toISOString()
    }
  } catch { /* informational */ }
  return out
}

function machine () {
  const cpus = os.cpus()
  let disk = null
  try {
    const r = spawnSync('df', ['-T', '-h', os.tmpdir()], { encoding: 'utf8' })
    const line = r.stdout.trim().split('\n')[1]
    if (line) {
      const [dev, type, size, , avail] = line.split(/\s+/)
      disk = `${dev} ${type}, ${size} (${avail} free)`
    }
  } catch { /* informational */ }
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus.length ? cpus[0].model.trim() : 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memTotalGiB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    memFreeGiB: Math.round(os.freemem() / 2 ** 30 * 10) / 10,
    tmpdir: os.tmpdir(),
    disk,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)
  }
}

/**
 * Runs one disk suite ('file' or 'copy') and writes its report. Returns { ok, files };
 * ok is false only if the fs baseline failed.
 */
function runDiskSuite (name, { reps, quick, mib, timeoutMs, contenders, cases, tag, keepSrc, prewarm: doPrewarm = true }) {
  const suite = DISK_SUITES[name]
  const log = (s) => process.stderr.write(s)

  const buildBefore = contenders.some((c) => c.startsWith('sluice')) ? sluiceBuild() : null

  // --- load checks ---------------------------------------------------------
  const unavailable = {}
  const versions = {}
  for (const c of contenders) {
    const peer = PEERS[c]
    if (peer && !fs.existsSync(path.join(BENCH_DIR, 'node_modules', peer, 'package.json'))) {
      unavailable[c] = `not installed (run \`cd bench && npm install\`): ${peer}`
    } else if (suite.contenders[c].runtime === 'bun' && !bunBinary()) {
      unavailable[c] = 'bun binary not found in bench/node_modules/bun (run `cd bench && npm install`)'
    }
    if (unavailable[c]) {
      log(`${c}: n/a — ${unavailable[c]}\n`)
      continue
    }
    const r = child(suite, c, ['--check'], 60_000)
    if (r.error) {
      unavailable[c] = r.error
      log(`${c}: n/a — ${r.error}\n`)
    } else {
      versions[c] = r.version
    }
  }
  const active = contenders.filter((c) => !unavailable[c])
  const runsCase = (c, k) => !suite.contenders[c].cases || suite.contenders[c].cases.includes(k)

  // --- copy: the source file, made once ------------------------------------
  let src = null
  let srcInfo = null
  if (name === 'copy') {
    log(`preparing the ${mib} MiB source file...\n`)
    const r = spawnSync(process.execPath, [path.join(BENCH_DIR, 'file-copy.js'), '--prepare', '--mib', String(mib)], {
      cwd: BENCH_DIR, encoding: 'utf8', timeout: timeoutMs
    })
    srcInfo = lastJsonLine(r.stdout)
    if (r.status !== 0 || !srcInfo || !srcInfo.src) {
      throw new Error(`could not create the copy source: ${firstLine(r.stderr) || `exit ${r.status}`}`)
    }
    src = srcInfo.src
    log(`source: ${src}${srcInfo.created ? ` (created in ${srcInfo.ms} ms)` : ' (already there)'}\n`)
  }

  // --- trials --------------------------------------------------------------
  const samples = {}
  const errors = {}
  for (const k of cases) { samples[k] = {}; errors[k] = {} }
  const total = reps * cases.reduce((n, k) => n + active.filter((c) => runsCase(c, k)).length, 0)
  let done = 0
  const started = Date.now()
  try {
    for (let rep = 0; rep < reps; rep++) {
      const order = active.map((_, i) => active[(i + rep) % active.length])
      for (const k of cases) {
        for (const c of order) {
          if (!runsCase(c, k)) continue
          done++
          const prefix = `[${String(done).padStart(String(total).length)}/${total}] rep ${rep + 1} ${k.padEnd(10)} ${c.padEnd(14)}`
          const args = name === 'copy'
            ? ['--mib', String(mib), '--src', src]
            : ['--case', k, '--mib', String(mib)]
          const warm = doPrewarm ? prewarm(mib) : null
          const at = new Date().toISOString() // to match trials with a rebuild of sluice
          const r = child(suite, c, args, timeoutMs)
          r.at = at
          if (warm !== null && !r.error) r.prewarmMiBPerSec = warm
          if (r.error) {
            ;(errors[k][c] ||= []).push({ rep: rep + 1, at, error: r.error, exit: r.exit, signal: r.signal, stderr: r.stderr })
            log(`${prefix} ERROR ${r.error}\n`)
          } else {
            ;(samples[k][c] ||= []).push({ rep: rep + 1, ...r })
            const ld = r.loopDelay ? `p99 ${fmtMs(r.loopDelay.p99)} ms` : 'p99 n/a'
            log(`${prefix} ${fmtRate(r.mibPerSec).padStart(6)} MiB/s ${String(r.ms).padStart(9)} ms  ${ld}  rss ${r.rss.peakMiB} MiB${warm !== null ? `  (pre-warm ${warm} MiB/s)` : ''}\n`)
          }
        }
      }
    }
  } finally {
    if (name === 'copy' && src && !keepSrc) {
      try { fs.unlinkSync(src) } catch { /* gone */ }
    }
  }
  const elapsedS = (Date.now() - started) / 1000
  const buildAfter = buildBefore ? sluiceBuild() : null
  const buildChanged = buildBefore && JSON.stringify(buildBefore) !== JSON.stringify(buildAfter)

  // --- stats ---------------------------------------------------------------
  const stats = {}
  for (const k of cases) {
    stats[k] = {}
    for (const c of contenders) {
      if (!runsCase(c, k)) { stats[k][c] = { na: true, error: `n/a: ${c} does not run case ${k}` }; continue }
      const s = samples[k][c] || []
      if (!s.length) {
        stats[k][c] = { error: unavailable[c] || ((errors[k][c] || [])[0] || {}).error || 'no sample' }
        continue
      }
      const rates = s.map((t) => t.mibPerSec)
      const p99s = s.filter((t) => t.loopDelay).map((t) => t.loopDelay.p99)
      const maxes = s.filter((t) => t.loopDelay).map((t) => t.loopDelay.max)
      const p50s = s.filter((t) => t.loopDelay).map((t) => t.loopDelay.p50)
      const st = {
        mibPerSec: rates,
        min: Math.min(...rates),
        median: median(rates),
        max: Math.max(...rates),
        msMedian: median(s.map((t) => t.ms)),
        loopP50: p50s.length ? median(p50s) : null,
        loopP99: p99s.length ? median(p99s) : null,
        loopMax: maxes.length ? Math.max(...maxes) : null,
        rssPeakMiB: median(s.map((t) => t.rss.peakMiB)),
        maxRssMiB: s.every((t) => t.rss.maxRssMiB != null) ? median(s.map((t) => t.rss.maxRssMiB)) : null,
        failures: (errors[k][c] || []).length
      }
      for (const f of ['drains', 'flushes', 'awaited', 'hwm', 'chunk']) if (s[0][f] !== undefined) st[f] = s[0][f]
      if (s[0].msClose !== undefined) {
        st.msCloseMedian = median(s.map((t) => t.msClose))
        st.mibPerSecWithClose = Math.round(mib / (st.msCloseMedian / 1000) * 10) / 10
      }
      stats[k][c] = st
    }
    for (const b of suite.baselines) {
      const base = stats[k][b]
      if (!base || base.error) continue
      for (const c of contenders) {
        const st = stats[k][c]
        if (st.error) continue
        st.ratio = st.ratio || {}
        st.ratio[b] = {
          median: st.median / base.median,
          best: st.max / base.max
        }
        // per-rep paired ratio (c and the baseline ran in the same rep)
        const paired = []
        for (const t of samples[k][c]) {
          const bt = samples[k][b].find((x) => x.rep === t.rep)
          if (bt) paired.push(t.mibPerSec / bt.mibPerSec)
        }
        if (paired.length) st.ratio[b].pairedMedian = median(paired)
      }
    }
  }

  // --- report --------------------------------------------------------------
  const env = machine()
  const ran = (b) => contenders.includes(b) && !unavailable[b]
  const bases = suite.baselines.filter(ran)
  const md = []
  md.push(`# ${suite.title} benchmark — ${env.date.slice(0, 10)}`)
  md.push('')
  md.push(`- date: ${env.date}`)
  md.push(`- machine: ${env.cores} cores, ${env.cpuModel} (${env.platform}), ${env.memTotalGiB} GiB RAM (${env.memFreeGiB} GiB free at end); load average at end ${env.loadavg.join(' / ')}`)
  md.push(`- files in ${env.tmpdir}${env.disk ? ` on ${env.disk}` : ''}; no fsync (the page cache takes the writes) except where noted`)
  md.push(`- node: ${env.node}`)
  md.push(`- size: ${mib} MiB per trial${quick ? ' (--quick)' : ''}; reps: ${reps}, one child process per trial, contenders interleaved (order rotated per rep); wall time ${elapsedS.toFixed(0)} s`)
  md.push(doPrewarm
    ? `- pre-warm: before each trial, ${mib} MiB written to a scratch file and deleted (untimed), so every trial starts from the same page-cache state; its MiB/s is in the JSON (prewarmMiBPerSec)`
    : '- pre-warm: off (--no-prewarm)')
  md.push(`- contenders: ${contenders.map((c) => `${c} ${versions[c] || '(n/a)'}`).join(', ')}`)
  if (buildBefore) {
    const b = buildBefore
    md.push(`- sluice build: commit ${b.commit}${b.uncommitted && b.uncommitted.length ? ` + uncommitted changes in ${b.uncommitted.join(', ')}` : ''}; ${b.binary || 'no binary'} sha256 ${b.binarySha256 || '?'} (${b.binaryMtime || '?'})${buildChanged ? ' — **CHANGED during the run** (see the JSON: build.after)' : ''}`)
  }
  if (srcInfo) md.push(`- source: ${srcInfo.src} (${srcInfo.created ? `created for this run in ${srcInfo.ms} ms` : 'reused'}; in the page cache, so reads hit memory)`)
  md.push('')

  const head = ['case', ...contenders]
  const sep = `| ${head.map((h, i) => i < 1 ? '---' : '---:').join(' | ')} |`
  const cell = (k, c, f) => {
    const st = stats[k][c]
    if (st.error) return 'n/a'
    return f(st)
  }
  const ratioText = (st, which) => {
    const parts = bases.filter((b) => st.ratio && st.ratio[b]).map((b) => `${fmtX(st.ratio[b][which])}${bases.length > 1 ? ` ${b}` : ''}`)
    return parts.length ? ` (${parts.join(', ')})` : ''
  }
  const baseWords = bases.length ? ` ratio to ${bases.join(' / ')} from this run in parentheses (>1 = faster)` : ''

  md.push(`Median MiB/s over the reps (higher is better);${baseWords}.`)
  md.push('Only compare ratios within one run: the disk and the CPUs are shared and noisy.')
  md.push('')
  md.push(`| ${head.join(' | ')} |`)
  md.push(sep)
  for (const k of cases) md.push(`| ${suite.caseLabel(k)} | ${contenders.map((c) => cell(k, c, (st) => `${fmtRate(st.median)}${ratioText(st, 'median')}`)).join(' | ')} |`)
  md.push('')
  md.push(`Best MiB/s (fastest of the reps); ratio of bests:`)
  md.push('')
  md.push(`| ${head.join(' | ')} |`)
  md.push(sep)
  for (const k of cases) md.push(`| ${suite.caseLabel(k)} | ${contenders.map((c) => cell(k, c, (st) => `${fmtRate(st.max)}${ratioText(st, 'best')}`)).join(' | ')} |`)
  md.push('')
  md.push('Event-loop delay of the process doing the writes, in ms: p99 (median over the reps) · max (over all reps). ' +
    'monitorEventLoopDelay({ resolution: 1 }); node\'s values are the time between two ticks of its 1 ms timer (an idle loop shows ≈ 1.0), ' +
    'Bun\'s exclude the period (idle ≈ 0.1). n/a for tools in another process.')
  md.push('')
  md.push(`| ${head.join(' | ')} |`)
  md.push(sep)
  for (const k of cases) md.push(`| ${suite.caseLabel(k)} | ${contenders.map((c) => cell(k, c, (st) => st.loopP99 == null ? 'n/a' : `${fmtMs(st.loopP99)} · ${fmtMs(st.loopMax)}`)).join(' | ')} |`)
  md.push('')
  md.push('Peak RSS in MiB (median over the reps): sampled every 20 ms + at the end · `process.resourceUsage().maxRSS`. For dd/cp: the tool\'s own max RSS (`/usr/bin/time %M`).')
  md.push('')
  md.push(`| ${head.join(' | ')} |`)
  md.push(sep)
  for (const k of cases) md.push(`| ${suite.caseLabel(k)} | ${contenders.map((c) => cell(k, c, (st) => `${st.rssPeakMiB} · ${st.maxRssMiB == null ? 'n/a' : st.maxRssMiB}`)).join(' | ')} |`)

  if (name === 'file') {
    md.push('')
    md.push("Waits per trial: `drains` = how often write() returned false and the loop awaited 'drain' (fs, sluice, sonic-boom); bun: flush() calls (none returned a promise unless noted); the effective highWaterMark in brackets.")
    md.push('')
    md.push(`| ${head.join(' | ')} |`)
    md.push(sep)
    for (const k of cases) {
      md.push(`| ${k} | ${contenders.map((c) => cell(k, c, (st) => {
        const hwm = st.hwm ? ` [${st.hwm}]` : ''
        if (st.drains !== undefined) return `${st.drains}${hwm}`
        if (st.flushes !== undefined) return `${st.flushes} flush${st.awaited ? `, ${st.awaited} awaited` : ''}${hwm}`
        return '–'
      })).join(' | ')} |`)
    }
  }

  const notes = []
  for (const c of contenders) notes.push(`- **${c}**: ${suite.contenders[c].describe}`)
  notes.push('')
  for (const c of contenders) if (unavailable[c]) notes.push(`- **${c}**: n/a — ${unavailable[c]}`)
  for (const k of cases) {
    for (const c of contenders) {
      const st = stats[k][c]
      if (st.msCloseMedian !== undefined) {
        notes.push(`- **${c}** / ${k}: the MiB/s above stop when every byte is written; sonic-boom's end() then fsyncs before closing: median ${st.msCloseMedian} ms to 'close' = ${fmtRate(st.mibPerSecWithClose)} MiB/s including that fsync.`)
      }
      const warned = (samples[k][c] || []).filter((t) => t.warning)
      if (warned.length) notes.push(`- **${c}** / ${k}: ${warned.length} of ${warned.length + (samples[k][c].length - warned.length)} trials: ${warned[0].warning} (the file itself was complete and correct)`)
      for (const e of errors[k][c] || []) {
        notes.push(`- **${c}** / ${k}: rep ${e.rep} FAILED — ${e.error}${e.signal ? ` (signal ${e.signal})` : e.exit != null ? ` (exit ${e.exit})` : ''}`)
      }
    }
  }
  if (!bases.length) notes.push(`- ${suite.baselines.join('/')} not run, so no ratios are shown.`)
  md.push('')
  md.push('Notes:')
  md.push('')
  md.push(...notes)
  const mdText = md.join('\n') + '\n'

  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const sizeTag = mib !== DEFAULT_MIB && !(quick && mib === Math.max(1, Math.floor(DEFAULT_MIB / 10))) ? `-${mib}mib` : ''
  const base = `${suite.benchmark}-${today()}${quick ? '-quick' : ''}${sizeTag}${tag ? `-${tag}` : ''}`
  const jsonPath = path.join(RESULTS_DIR, `${base}.json`)
  const mdPath = path.join(RESULTS_DIR, `${base}.md`)
  const raw = {
    benchmark: suite.benchmark,
    env,
    options: { reps, quick, mib, contenders, cases, timeoutMs, tag: tag || null, prewarm: doPrewarm },
    source: srcInfo,
    build: buildBefore ? { before: buildBefore, after: buildAfter, changed: !!buildChanged } : null,
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

  const ok = !(contenders.includes('fs') && (unavailable.fs || cases.some((k) => stats[k].fs.error)))
  return { ok, files: [jsonPath, mdPath] }
}

module.exports = { DISK_SUITES, DEFAULT_MIB, runDiskSuite }
