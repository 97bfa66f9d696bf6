#!/usr/bin/env node
'use strict'
// The event-loop delay a file sink's writer gets, beside what this machine gives a process
// that writes nothing: issue 15's "loop delay p99 <= 2 ms while writing 256 MiB as 1 KiB
// chunks" measured with its controls, alternating, one process per trial.
//
//   node bench/loop-floor.js [--reps 8] [--mib 256] [--tag T]
//
// Contenders, each in a process of its own, measured the same way (bench/lib/file-measure.js:
// monitorEventLoopDelay({ resolution: 1 }) from the start of the work to its end):
//   idle    does nothing for as long as the previous sluice trial took (its loop sleeps)
//   spin    busy turns of 0.2 ms with setImmediate between them, as long (its loop never sleeps)
//   fs      bench/file-sink.js --contender fs --case 1k
//   sluice  bench/file-sink.js --contender sluice --case 1k
//   sluice-before  the same for SLUICE_BEFORE (another built checkout), when set
// Prints a table and writes bench/results/loop-floor-<date>[-tag].{json,md}.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const m = require('./lib/file-measure')

const { parseArgs } = require('./lib/args')

async function control (kind, ms) {
  const measure = await m.startMeasure({ eld: true })
  if (kind === 'idle') {
    await new Promise((resolve) => setTimeout(resolve, ms))
  } else {
    const end = performance.now() + ms
    while (performance.now() < end) {
      const turn = performance.now() + 0.2
      while (performance.now() < turn) { /* busy */ }
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  measure.stopClock()
  const { loopDelay } = await measure.finish()
  console.log(JSON.stringify({ contender: kind, ms, loopDelay }))
}

function trial (args) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...args], { encoding: 'utf8', timeout: 300000 })
  const line = r.stdout.trim().split('\n').pop()
  const out = JSON.parse(line)
  if (out.error) throw new Error(`${args.join(' ')}: ${out.error}`)
  return out
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  if (args.control) return control(args.control, Number(args.ms))
  const reps = args.reps !== undefined ? Number(args.reps) : 8
  const mib = args.mib !== undefined ? Number(args.mib) : 256
  const sink = path.join(__dirname, 'file-sink.js')
  const self = __filename
  const rows = { idle: [], spin: [], fs: [], sluice: [] }
  if (process.env.SLUICE_BEFORE) rows['sluice-before'] = []
  let lastMs = 300
  for (let i = 0; i < reps; i++) {
    const s = trial([sink, '--contender', 'sluice', '--case', '1k', '--mib', String(mib)])
    lastMs = Math.max(50, Math.round(s.ms))
    rows.sluice.push(s)
    rows.idle.push(trial([self, '--control', 'idle', '--ms', String(lastMs)]))
    rows.spin.push(trial([self, '--control', 'spin', '--ms', String(lastMs)]))
    rows.fs.push(trial([sink, '--contender', 'fs', '--case', '1k', '--mib', String(mib)]))
    if (rows['sluice-before']) rows['sluice-before'].push(trial([sink, '--contender', 'sluice-before', '--case', '1k', '--mib', String(mib)]))
    process.stderr.write(`rep ${i + 1}/${reps}: sluice p99 ${s.loopDelay.p99}, idle ${rows.idle[i].loopDelay.p99}, spin ${rows.spin[i].loopDelay.p99}, fs ${rows.fs[i].loopDelay.p99}\n`)
  }
  const date = new Date().toISOString().slice(0, 10)
  const cpu = (os.cpus()[0] || {}).model || 'unknown CPU'
  const lines = [
    `# Loop delay while writing ${mib} MiB as 1 KiB chunks, beside this machine's floor`,
    '',
    `${date}, ${os.cpus().length} × ${cpu}, Node ${process.version}, ${reps} alternating trials, one process each.`,
    '`idle` and `spin` last as long as the sluice trial before them. Loop delay: `monitorEventLoopDelay({ resolution: 1 })`, ms.',
    '',
    '| contender | p99 median | p99 per trial | max median | ms median |',
    '| --- | ---: | --- | ---: | ---: |'
  ]
  for (const [name, rs] of Object.entries(rows)) {
    const p99 = rs.map((r) => r.loopDelay.p99)
    const max = rs.map((r) => r.loopDelay.max)
    lines.push(`| ${name} | ${median(p99).toFixed(2)} | ${p99.map((x) => x.toFixed(2)).join(' ')} | ${median(max).toFixed(2)} | ${median(rs.map((r) => r.ms)).toFixed(0)} |`)
  }
  const md = lines.join('\n') + '\n'
  process.stdout.write(md)
  const base = path.join(__dirname, 'results', `loop-floor-${date}${args.tag ? `-${args.tag}` : ''}`)
  fs.writeFileSync(`${base}.json`, JSON.stringify({ date, cpu, node: process.version, mib, reps, rows }, null, 1))
  fs.writeFileSync(`${base}.md`, md)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
