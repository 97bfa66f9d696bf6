#!/usr/bin/env node
'use strict'
// Headline chart: reads the latest result file of every suite in bench/results/ and
// writes bench/results/headline.svg, a horizontal bar chart of sluice's headline ratios
// (vs node:stream; the disk suites vs fs, cp and Bun), one panel per suite.
//
//   node bench/chart.js [--out FILE] [--results DIR]
//   node bench/run.js --chart            (the same)
//
// Every bar is "how many times better sluice is than the baseline", so that all bars
// read the same way: baseline time / sluice time for ns-per-op suites, sluice MiB/s /
// baseline MiB/s for the disk suites, baseline peak RSS / sluice peak RSS for memory.
// Right of 1 = sluice better, left = worse; log scale. The text at each bar says it in
// words ("1.25× slower", "2.1× less memory").
//
// Which file: for each bar, the newest full run (by the date inside the JSON) that has
// both numbers; only if there is none, the newest --quick run, and the panel title
// then says "quick" (quick numbers are for checking that things work, not for claims).
// Every figure is a ratio from within one run, as bench/README.md requires.
//
// Rendering: vega-lite + vega (SVG renderer, no browser, no canvas), resolved from
// bench/node_modules or the repository root's node_modules.

const fs = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const BENCH_DIR = __dirname
const DEFAULT_RESULTS = path.join(BENCH_DIR, 'results')

// --- reading results ------------------------------------------------------------

/** All result JSONs of one benchmark, best first: full runs newest first, then quick runs (this Node's first). */
function runsOf (dir, benchmark) {
  const re = new RegExp(`^${benchmark.replace(/[-]/g, '\\-')}-(\\d{4}-\\d{2}-\\d{2})(-.*)?\\.json$`)
  const runs = []
  for (const f of fs.readdirSync(dir)) {
    if (!re.test(f)) continue
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))
      if (json.benchmark !== benchmark) continue
      // (runs made under another Node than the one drawing the chart come after: the chart is
      // of one Node's runs, as the README's tables are)
      const other = !!(json.env && json.env.node && json.env.node !== process.version)
      runs.push({ file: f, json, date: (json.env && json.env.date) || '', quick: !!(json.options && json.options.quick), other })
    } catch { /* not a result file */ }
  }
  runs.sort((a, b) => (a.other - b.other) || (a.quick - b.quick) || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
  return runs
}

const ok = (st) => st && !st.error && !st.na
const num = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null

// Getters: json -> the "× better" value for one bar, or null if that run lacks it.
const hot = (k) => (j) => {
  const s = j.stats && j.stats[k]
  return s && ok(s.node) && ok(s.sluice) && num(s.sluice.median) && num(s.node.median) ? s.node.median / s.sluice.median : null
}
const mem = (k, c, field) => (j) => {
  const s = j.stats && j.stats[k]
  return s && ok(s.node) && ok(s[c]) && num(s.node[field]) && num(s[c][field]) ? s.node[field] / s[c][field] : null
}
const rate = (k, c, base) => (j) => {
  const s = j.stats && j.stats[k]
  return s && ok(s[c]) && ok(s[base]) && num(s[c].median) && num(s[base].median) ? s[c].median / s[base].median : null
}

// The headline bars, panel by panel: [label, getter, kind ('speed' | 'memory')].
const PANELS = [
  {
    suite: 'write',
    benchmark: 'write-hot',
    title: 'write: ns per write() vs node:stream',
    bars: [
      ['buf64 (64 B Buffer)', hot('buf64'), 'speed'],
      ['str64 (64-char string)', hot('str64'), 'speed'],
      ['buf16k (chunk = hwm)', hot('buf16k'), 'speed'],
      ['obj (objectMode)', hot('obj'), 'speed']
    ]
  },
  {
    suite: 'read',
    benchmark: 'read-hot',
    title: 'read: ns per chunk vs node:stream',
    bars: [
      ["'data' handler", hot('data'), 'speed'],
      ['for await', hot('asyncIter'), 'speed'],
      ['pipe() into a Writable', hot('pipe'), 'speed']
    ]
  },
  {
    suite: 'transform',
    benchmark: 'transform',
    title: 'transform: ns per chunk through a chain vs node:stream',
    bars: [
      ['1 PassThrough', hot('pass1'), 'speed'],
      ['5 PassThrough', hot('pass5'), 'speed'],
      ['20 PassThrough', hot('pass20'), 'speed'],
      ['1 uppercase Transform', hot('upper1'), 'speed'],
      ['5 uppercase Transforms', hot('upper5'), 'speed'],
      ['20 uppercase Transforms', hot('upper20'), 'speed'],
      ['5 PassThrough, string source', hot('pass5-str'), 'speed'],
      ['5 uppercase, string source', hot('upper5-str'), 'speed']
    ]
  },
  {
    suite: 'slow',
    benchmark: 'slow',
    title: 'slow consumer vs node:stream (bounded = maxBuffered 1 MiB, drop-oldest)',
    bars: [
      ['backpressure respected: time', mem('respected', 'sluice', 'ms'), 'speed'],
      ['respected: peak RSS', mem('respected', 'sluice', 'rssPeakMiB'), 'memory'],
      ['ignored (sync): peak RSS', mem('ignored', 'sluice', 'rssPeakMiB'), 'memory'],
      ['ignored (sync), bounded: peak RSS', mem('ignored', 'sluice-bounded', 'rssPeakMiB'), 'memory'],
      ['ignored (async), bounded: peak RSS', mem('ignored-async', 'sluice-bounded', 'rssPeakMiB'), 'memory']
    ]
  },
  {
    suite: 'scaling',
    benchmark: 'scaling',
    title: 'scaling vs node:stream',
    bars: [
      ['1 stream, 1× data: time', mem('data-1x', 'sluice', 'ms'), 'speed'],
      ['1 stream, 16× data: time', mem('data-16x', 'sluice', 'ms'), 'speed'],
      ['1 stream, 16× data: peak RSS', mem('data-16x', 'sluice', 'rssPeakMiB'), 'memory'],
      ['1000 streams: time', mem('streams-1000', 'sluice', 'ms'), 'speed'],
      ['1000 streams: peak RSS', mem('streams-1000', 'sluice', 'rssPeakMiB'), 'memory']
    ]
  },
  {
    suite: 'file',
    benchmark: 'file-sink',
    title: 'file sink: MiB/s vs fs.createWriteStream and Bun',
    bars: [
      ['1 KiB chunks vs fs', rate('1k', 'sluice', 'fs'), 'speed'],
      ['1 KiB chunks, hwm 64 KiB vs fs', rate('1k-hwm64k', 'sluice', 'fs'), 'speed'],
      ['64 KiB chunks vs fs', rate('64k', 'sluice', 'fs'), 'speed'],
      ['1 KiB chunks vs Bun FileSink', rate('1k', 'sluice', 'bun'), 'speed'],
      ['64 KiB chunks vs Bun FileSink', rate('64k', 'sluice', 'bun'), 'speed']
    ]
  },
  {
    suite: 'copy',
    benchmark: 'file-copy',
    title: 'file copy: MiB/s vs fs pipeline, cp and Bun',
    bars: [
      ['fs read → sluice write vs fs', rate('copy', 'sluice', 'fs'), 'speed'],
      ['sluice → sluice (native) vs fs', rate('copy', 'sluice-native', 'fs'), 'speed'],
      ['sluice → sluice (native) vs cp', rate('copy', 'sluice-native', 'cp'), 'speed'],
      ['sluice → sluice vs Bun.write', rate('copy', 'sluice-native', 'bun'), 'speed']
    ]
  }
]

function words (v, kind) {
  const x = v >= 1 ? v : 1 / v
  const f = x >= 10 ? x.toFixed(0) : x >= 1.995 ? x.toFixed(1) : x.toFixed(2)
  if (Math.abs(x - 1) < 0.005) return kind === 'memory' ? 'same memory' : 'same speed'
  if (kind === 'memory') return `${f}× ${v >= 1 ? 'less' : 'more'} memory`
  return `${f}× ${v >= 1 ? 'faster' : 'slower'}`
}

/** Collects the bars: [{ panel, label, value, kind, text, file, quick }] and the sources. */
function collect (dir) {
  const rows = []
  const sources = []
  for (const p of PANELS) {
    const runs = runsOf(dir, p.benchmark)
    const used = new Map()
    for (const [label, get, kind] of p.bars) {
      for (const r of runs) {
        let v = null
        try { v = get(r.json) } catch { v = null }
        if (v == null) continue
        used.set(r.file, r)
        rows.push({ panelKey: p.suite, label, value: v, kind, text: words(v, kind), file: r.file, quick: r.quick })
        break
      }
    }
    const files = [...used.values()]
    const anyQuick = files.some((r) => r.quick)
    const panel = `${p.title}  [${files.map((r) => r.file.replace(/\.json$/, '')).join(', ') || 'no results'}]${anyQuick ? '  (quick run: noisy)' : ''}`
    for (const row of rows) if (row.panelKey === p.suite) row.panel = panel
    sources.push({ suite: p.suite, files: files.map((r) => r.file), quick: anyQuick, bars: rows.filter((r) => r.panelKey === p.suite).length, of: p.bars.length })
  }
  return { rows, sources }
}

/** The overhead verdict, if an overhead run exists (shown under the title). */
function overheadNote (dir) {
  const r = runsOf(dir, 'overhead')[0]
  if (!r || !r.json.verdict) return null
  const j = r.json
  const f = (x) => x == null ? 'n/a' : x.toFixed(2)
  const now = j.now.pairedMedian != null ? j.now.pairedMedian : j.now.ratio
  const ref = j.reference.pairedMedian != null ? j.reference.pairedMedian : j.reference.ratio
  const v = j.verdictShort || j.verdict
  return `stats() overhead (buf64 sluice/node ${f(now)} vs ${f(ref)} in the reference, ±${f(j.band)}): ${v}  [${r.file.replace(/\.json$/, '')}]`
}

// --- rendering ----------------------------------------------------------------------

async function importFrom (name) {
  const bases = [path.join(BENCH_DIR, 'x.js'), path.join(BENCH_DIR, '..', 'x.js')]
  for (const b of bases) {
    let resolved
    try { resolved = require('node:module').createRequire(b).resolve(name) } catch { continue }
    return import(pathToFileURL(resolved).href)
  }
  throw new Error(`cannot find ${name}: install it (\`cd bench && npm install vega vega-lite\`, or at the repository root)`)
}

function spec (rows, subtitle) {
  const values = rows.map((r, i) => ({ ...r, order: i, better: r.value >= 1 ? 'sluice better' : 'sluice worse' }))
  const lo = Math.min(1, ...values.map((r) => r.value))
  const hi = Math.max(1, ...values.map((r) => r.value))
  // Room for the text beside the bar ends (log scale: a factor on each side).
  const domain = [lo / 3, hi * 3]
  const ticks = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100].filter((t) => t >= domain[0] && t <= domain[1])
  const panels = [...new Set(values.map((r) => r.panel))]
  // One layered bar chart per suite, stacked; every panel has the same x domain.
  const panel = (title, i) => {
    const last = i === panels.length - 1
    const x = {
      field: 'value',
      type: 'quantitative',
      scale: { type: 'log', domain, nice: false },
      axis: {
        title: last ? '× better than the baseline (log scale): right of 1 = sluice faster / less memory, left = slower / more memory' : null,
        values: ticks,
        labelExpr: "datum.value + '×'",
        labelFontSize: 9,
        labelColor: '#777',
        grid: true,
        gridColor: '#e8e8e8'
      }
    }
    const y = { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { title: null, labelLimit: 300, labelFontSize: 11, minExtent: 300, maxExtent: 300 } }
    return {
      title: { text: title, anchor: 'start', fontSize: 12, fontWeight: 'bold', offset: 6 },
      transform: [{ filter: { field: 'panel', equal: title } }],
      width: 540,
      height: { step: 17 },
      layer: [
        {
          mark: { type: 'bar', height: 12 },
          encoding: {
            y,
            x,
            x2: { datum: 1 },
            color: {
              field: 'better',
              type: 'nominal',
              scale: { domain: ['sluice better', 'sluice worse'], range: ['#2a9d8f', '#e76f51'] },
              legend: { title: null, orient: 'top', direction: 'horizontal' }
            },
            opacity: { condition: { test: 'datum.quick', value: 0.5 }, value: 1 }
          }
        },
        {
          mark: { type: 'rule', color: '#333', strokeWidth: 1 },
          encoding: { x: { datum: 1, type: 'quantitative' } }
        },
        {
          transform: [{ filter: 'datum.value >= 1' }],
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 10.5, color: '#222' },
          encoding: { y, x, text: { field: 'text' } }
        },
        {
          transform: [{ filter: 'datum.value < 1' }],
          mark: { type: 'text', align: 'right', dx: -4, fontSize: 10.5, color: '#222' },
          encoding: { y, x, text: { field: 'text' } }
        }
      ]
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'sluice: headline ratios vs node:stream, fs, cp and Bun',
      subtitle,
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 10.5,
      subtitleColor: '#555',
      offset: 10
    },
    data: { values },
    vconcat: panels.map(panel),
    spacing: 14,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config: { view: { stroke: '#ccc' }, font: 'DejaVu Sans, Helvetica, Arial, sans-serif', background: 'white', padding: 12 }
  }
}

async function main (argv = []) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') args.out = argv[++i]
    else if (argv[i] === '--results') args.results = argv[++i]
    else throw new Error(`chart.js: unexpected argument ${argv[i]} (usage: node bench/chart.js [--out FILE] [--results DIR])`)
  }
  const dir = path.resolve(args.results || DEFAULT_RESULTS)
  const out = path.resolve(args.out || path.join(dir, 'headline.svg'))
  const { rows, sources } = collect(dir)
  if (!rows.length) throw new Error(`no result files with sluice and its baseline in ${dir}`)

  const subtitle = [
    'Each bar: how many times better sluice is than the baseline, within one run.',
    'ns/op: baseline ÷ sluice · MiB/s: sluice ÷ baseline · memory: baseline peak RSS ÷ sluice peak RSS.',
    'Panel titles name the result files; faded bars come from --quick runs (noisy). 2-core shared machine.'
  ]
  const oh = overheadNote(dir)
  if (oh) subtitle.push(oh)

  const vl = await importFrom('vega-lite')
  const vega = await importFrom('vega')
  const compiled = vl.compile(spec(rows, subtitle)).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, svg)

  const rel = (p) => path.relative(process.cwd(), p)
  process.stderr.write('chart sources:\n')
  for (const s of sources) {
    process.stderr.write(`  ${s.suite.padEnd(9)} ${s.bars}/${s.of} bars  ${s.files.join(', ') || '(no result file with these figures)'}${s.quick ? '  (quick)' : ''}\n`)
  }
  process.stdout.write(`wrote ${rel(out)} (${rows.length} bars)\n`)
  return { out, rows, sources }
}

module.exports = { main, collect, PANELS }

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
    process.exitCode = 1
  })
}
