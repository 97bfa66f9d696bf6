'use strict'
// Shared by the disk benchmarks' one-trial scripts (file-sink.js, file-copy.js and
// their Bun twins file-sink-bun.js, file-copy-bun.js, which Bun loads as CommonJS):
// the measurement (wall time, event-loop delay, peak RSS), temp paths, the check
// of the written file, and the one JSON line a trial prints.

const fs = require('node:fs')
const { parseArgs } = require('./args')
const os = require('node:os')
const path = require('node:path')
const { monitorEventLoopDelay } = require('node:perf_hooks')
const { spawn, spawnSync } = require('node:child_process')

const MiB = 1024 * 1024

/** A fresh path in os.tmpdir() for this trial (removed first if it exists). */
function tmpPath (what) {
  const p = path.join(os.tmpdir(), `sluice-bench-${what}-${process.pid}.bin`)
  rmQuiet(p)
  return p
}

function rmQuiet (p) {
  try { fs.unlinkSync(p) } catch { /* not there */ }
}

const toMs = (ns) => Math.round(ns / 1e4) / 100
const nsToMs3 = (ns) => Math.round(ns / 1e3) / 1e3
const bytesToMiB = (b) => Math.round((b / MiB) * 10) / 10

/**
 * Starts the measurement (resolves when the clock starts): wall clock, event-loop
 * delay (monitorEventLoopDelay with 1 ms resolution: a value is the time between two
 * ticks of a 1 ms timer, so an idle loop shows about 1.0 ms) and RSS (process.memoryUsage.rss() every 20 ms, plus one sample at
 * the end). The sampling interval is unref'd so a stream that never finishes still
 * lets the loop empty (the trial then reports "stuck").
 *
 * `eld: false` skips the loop-delay histogram (used when the work happens in another
 * process, e.g. dd or cp, where this process's loop delay means nothing).
 */
async function startMeasure ({ eld = true } = {}) {
  let h = null
  if (eld) {
    try {
      h = monitorEventLoopDelay({ resolution: 1 })
      h.enable()
    } catch { h = null }
    // The histogram records the time between two ticks of its 1 ms timer, and the
    // first tick only starts the count: let it tick before the work starts, or a loop
    // blocked from the very beginning (writeSync) would not be recorded at all.
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const rssStart = process.memoryUsage.rss()
  let rssPeak = rssStart
  let samples = 1
  const sample = () => {
    const r = process.memoryUsage.rss()
    samples++
    if (r > rssPeak) rssPeak = r
  }
  const timer = setInterval(sample, 20)
  if (timer.unref) timer.unref()
  const t0 = process.hrtime.bigint()
  let t1 = null
  return {
    /** Elapsed ns so far (a lap, e.g. the time to 'finish' before 'close'). */
    lap () { return Number(process.hrtime.bigint() - t0) },
    /** Stops the clock (the end of the timed part); later calls return the same time. */
    stopClock () {
      if (t1 !== null) return Number(t1 - t0) // already stopped (idempotent)
      t1 = process.hrtime.bigint()
      sample()
      clearInterval(timer)
      return Number(t1 - t0)
    },
    /**
     * After stopClock(): lets the loop turn once more (so a delay that was still
     * being accumulated, e.g. a loop blocked by synchronous writes, is recorded by
     * the histogram's timer), then returns the loop/memory figures.
     */
    async finish () {
      if (t1 === null) this.stopClock()
      await new Promise((resolve) => setTimeout(resolve, 5))
      let loopDelay = null
      if (h) {
        h.disable()
        if (h.count > 0) {
          loopDelay = {
            p50: nsToMs3(h.percentile(50)),
            p99: nsToMs3(h.percentile(99)),
            max: nsToMs3(h.max),
            mean: nsToMs3(h.mean),
            count: h.count
          }
        }
      }
      let maxRSS = null
      try { maxRSS = process.resourceUsage().maxRSS * 1024 } catch { /* not available */ }
      return {
        loopDelay,
        rss: {
          startMiB: bytesToMiB(rssStart),
          peakMiB: bytesToMiB(rssPeak),
          samples,
          maxRssMiB: maxRSS === null ? null : bytesToMiB(maxRSS)
        }
      }
    }
  }
}

/**
 * Checks a written file: its size, and (if `expect(offset, length)` is given) 16
 * sampled blocks of up to 64 KiB at spread-out offsets, which must equal what
 * `expect` returns for that range. Throws on a mismatch.
 */
function verifyFile (file, size, expect, what = 'file') {
  let st
  try { st = fs.statSync(file) } catch (err) {
    throw new Error(`${what} missing after the run: ${err.message}`)
  }
  if (st.size !== size) {
    throw new Error(`size mismatch in ${what}: got ${st.size} bytes (${(st.size / MiB).toFixed(3)} MiB), expected ${size} (${size / MiB} MiB); short by ${size - st.size}`)
  }
  if (!expect || size === 0) return
  const fd = fs.openSync(file, 'r')
  try {
    const block = Math.min(64 * 1024, size)
    const got = Buffer.allocUnsafe(block)
    const K = 16
    for (let k = 0; k < K; k++) {
      // first block, last block, and 14 in between at odd (unaligned) offsets
      let off = k === 0 ? 0 : k === K - 1 ? size - block : Math.floor((size - block) * k / (K - 1)) - 37 * k
      if (off < 0) off = 0
      const n = fs.readSync(fd, got, 0, block, off)
      const want = expect(off, n)
      if (n !== block || Buffer.compare(got.subarray(0, n), want) !== 0) {
        let i = 0
        while (i < n && got[i] === want[i]) i++
        throw new Error(`content mismatch in ${what} at byte ${off + i} (block at ${off}, read ${n} of ${block})`)
      }
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** `expect` for a file made of `pattern` repeated from offset 0. */
function repeating (pattern) {
  return (off, len) => {
    const out = Buffer.allocUnsafe(len)
    for (let i = 0; i < len;) {
      const p = (off + i) % pattern.length
      const n = Math.min(pattern.length - p, len - i)
      pattern.copy(out, i, p, p + n)
      i += n
    }
    return out
  }
}

/** Prints the trial's one JSON line and remembers that it did. */
let reported = false
function report (obj) {
  reported = true
  process.stdout.write(JSON.stringify(obj) + '\n')
}

/**
 * Exit hook: if the event loop empties before report() (a 'drain'/'finish'/'close'
 * that never came while nothing kept the process busy), print a "stuck" error (exit 3).
 */
function guardStuck (getStage, fields) {
  process.on('exit', (code) => {
    if (!reported && code === 0) {
      process.stdout.write(JSON.stringify({
        ...fields,
        error: `stuck: event loop emptied during ${getStage()} (a 'drain', 'finish' or 'close' that never came?)`
      }) + '\n')
      process.exitCode = 3
    }
  })
}

function fail (fields, err, exitCode = 1) {
  const msg = String(err && err.message ? err.message : err).split('\n')[0]
  report({ ...fields, error: msg })
  if (err && err.stack) process.stderr.write(err.stack + '\n')
  process.exitCode = exitCode
}

// Tools run in another process (dd, cp): this process only waits.

/** The version of a tool from `cmd --version` ("coreutils 9.1"), or throws if it is missing. */
function tool (cmd) {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) throw new Error(`${cmd} not available: ${r.error ? r.error.message : `exit ${r.status}`}`)
  // "dd (coreutils) 9.1" / "cp (GNU coreutils) 9.1" -> "coreutils 9.1"
  const first = r.stdout.split('\n')[0].trim()
  const mm = /\((?:GNU )?([^)]+)\)\s+(\S+)/.exec(first)
  return mm ? `${mm[1]} ${mm[2]}` : first
}

/**
 * Runs a command to completion (async: this process just waits), under /usr/bin/time
 * when there is one, to get the command's own peak RSS. Rejects on a non-zero exit.
 */
function runTimed (cmd, args) {
  const TIME = '/usr/bin/time'
  const timed = fs.existsSync(TIME)
  const marker = 'SLUICE_BENCH_MAXRSS_KB='
  const argv = timed ? [TIME, '-f', `${marker}%M`, cmd, ...args] : [cmd, ...args]
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    p.stderr.setEncoding('utf8')
    p.stderr.on('data', (d) => { stderr += d })
    p.on('error', reject)
    p.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${cmd} exited ${code}${signal ? ` (${signal})` : ''}: ${stderr.trim().split('\n').slice(-2).join(' / ')}`))
        return
      }
      const line = stderr.split('\n').find((l) => l.startsWith(marker))
      const kb = line ? Number(line.slice(marker.length)) : NaN
      resolve({ stderr, maxRssMiB: Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null })
    })
  })
}

module.exports = {
  tool,
  runTimed,
  MiB,
  parseArgs,
  tmpPath,
  rmQuiet,
  toMs,
  startMeasure,
  verifyFile,
  repeating,
  report,
  guardStuck,
  fail
}
