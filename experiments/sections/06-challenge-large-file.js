'use strict';
// Lesson "Backpressure", Challenge 1: read a large file and write it to a slow destination
// (a Writable whose _write waits with setTimeout), logging memory every 100 ms to prove that it
// stays bounded — and the same with backpressure ignored (write() in a loop, return value
// dropped), to show that then it does not.
//
// The file (256 MiB by default; `--size 64M`, or `--size 0.25` for a quarter) is made in
// os.tmpdir() and removed at exit; it is read in 256 KiB chunks.

// Why 256 MiB: the chunks a pipeline has finished with are garbage that V8 collects only once
// some tens of MiB of it have piled up, so even with backpressure RSS first rises by ~40 MiB —
// and then stays flat however large the file. A 256 MiB file shows that plateau next to the
// unbounded growth without backpressure; a 64 MiB one would not tell them apart. Every run happens in a child process of its own, so that
// its RSS starts from a clean process instead of from memory the previous run freed (the
// allocator keeps freed memory, and a second run would reuse it and look cheaper).
//
// sluice also runs its native pair: createReadStream (reads on a Rust worker thread) into a
// ThrottleSink (a slow consumer timed in Rust), with and without backpressure.
//
// Sampling: sluice streams through sluice.monitor() (their stats() and RSS); node streams by
// reading writableLength and process.memoryUsage.rss() on a timer.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const { MiB, KiB, formatBytes, implName, asciiChart, sideBySide, writePlot } = require('../lib');

const title = 'Challenge 1: Large File to a Slow Destination';

const DEFAULT_BYTES = 256 * MiB;
const CHUNK = 256 * KiB; // the read streams' highWaterMark
const DELAY_MS = 1; // the slow destination waits this long per chunk: ~1.1 ms, ~200 MiB/s
const THROTTLE_BPS = 200 * MiB; // ThrottleSink's rate, about the same as the setTimeout sink

const VARIANTS = {
  with: 'with backpressure',
  without: 'without backpressure',
  native: 'ThrottleSink, with',
  'native-without': 'ThrottleSink, without',
};

function fileBytesOf(opts) {
  if (opts.fileBytes != null) return Math.max(1, Math.round(opts.fileBytes));
  const size = opts.size != null ? Number(opts.size) : 1;
  return Math.max(64 * KiB, Math.round(DEFAULT_BYTES * size));
}

// The large file: a repeated 1 MiB pattern (the content does not matter, its size does). Made
// once per process and size, removed at exit.
const files = new Map();
function makeFile(bytes) {
  if (files.has(bytes)) return files.get(bytes);
  const file = path.join(os.tmpdir(), `sluice-lab-${process.pid}-${bytes}.bin`);
  if (files.size === 0) process.once('exit', () => { for (const f of files.values()) fs.rmSync(f, { force: true }); });
  files.set(bytes, file);
  const block = Buffer.alloc(Math.min(bytes, MiB));
  for (let i = 0; i < block.length; i++) block[i] = 32 + (i % 95);
  const fd = fs.openSync(file, 'w');
  try {
    for (let done = 0; done < bytes; done += block.length) {
      fs.writeSync(fd, block, 0, Math.min(block.length, bytes - done));
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// One run (in the child process).

async function runVariant(cfg, onProgress) {
  const sluice = require('../..');
  const impl = cfg.impl === 'sluice' ? sluice : require('node:stream');
  const { pipeline, finished } = require('node:stream/promises');
  const { Writable } = impl;

  // The slow destination. write() is wrapped only to count what node:stream does not
  // (sluice's stats() counts the same natively).
  class SlowDestination extends Writable {
    constructor(delayMs) {
      super(); // default highWaterMark: 16 KiB
      this.delayMs = delayMs;
      this.bytes = 0;
      this.chunks = 0;
      this.writeFalse = 0;
      this.drains = 0;
      this.peakBuffered = 0;
      this.inWrite = false;
      this.on('drain', () => this.drains++);
    }

    write(...args) {
      this.inWrite = true;
      const ok = super.write(...args);
      this.inWrite = false;
      if (!ok) this.writeFalse++;
      if (this.writableLength > this.peakBuffered) this.peakBuffered = this.writableLength;
      return ok;
    }

    _write(chunk, encoding, callback) {
      // From Node 26 pipe() hands a chunk to an idle node:stream Writable without calling
      // write(): count what write() would have answered here.
      if (!this.inWrite && this.writableLength === chunk.length) {
        if (this.writableLength >= this.writableHighWaterMark) this.writeFalse++;
        if (this.writableLength > this.peakBuffered) this.peakBuffered = this.writableLength;
      }
      this.chunks++;
      this.bytes += chunk.length;
      setTimeout(callback, this.delayMs); // Simulate a slow destination
    }
  }

  const native = cfg.variant.startsWith('native');
  const dest = native ? new sluice.ThrottleSink({ bytesPerSecond: cfg.bytesPerSecond }) : new SlowDestination(cfg.delayMs);
  const source = () => (native ? sluice.createReadStream : fs.createReadStream)(cfg.file, { highWaterMark: cfg.chunk });
  const done = () => (native ? dest.stats().bytesWritten : dest.bytes);

  // Sample buffered bytes and RSS every intervalMs.
  const samples = [];
  let stop;
  const record = (t, buffered, rss) => {
    samples.push({ t: Math.round(t * 10) / 10, buffered, rss });
    onProgress(done());
  };
  if (cfg.impl === 'sluice') {
    const mon = sluice.monitor([dest], { intervalMs: cfg.intervalMs, onSample: (s) => record(s.t, s.stats[0].buffered, s.rss) });
    stop = () => mon.stop();
  } else {
    const t0 = performance.now();
    const sample = () => record(performance.now() - t0, dest.writableLength, process.memoryUsage.rss());
    sample();
    const timer = setInterval(sample, cfg.intervalMs);
    stop = () => { clearInterval(timer); sample(); };
  }

  const start = performance.now();
  if (cfg.variant === 'with' || cfg.variant === 'native') {
    // GOOD: pipeline() pauses the file while the destination is full.
    await pipeline(source(), dest);
  } else {
    // BAD: a write() loop that ignores the return value — the file is read as fast as the disk
    // allows and everything waits in the destination's buffer.
    for await (const chunk of source()) {
      dest.write(chunk); // Ignoring return value!
    }
    dest.end();
    await finished(dest);
  }
  const ms = performance.now() - start;
  stop();

  const out = {
    impl: cfg.impl,
    variant: cfg.variant,
    ms: Math.round(ms),
    samples,
    rssStart: samples[0].rss,
    rssPeak: Math.max(...samples.map((s) => s.rss)),
  };
  if (cfg.impl === 'sluice') {
    // sluice counts these in Rust: stats() is the source of truth on this side.
    const st = dest.stats();
    Object.assign(out, {
      bytes: st.bytesWritten,
      chunks: st.writes,
      writeFalse: st.writeFalse,
      drains: st.drains,
      peakBuffered: st.peakBuffered,
      pressureMs: Math.round(st.pressureMs),
      longestPressureMs: Math.round(st.longestPressureMs),
      stats: st,
    });
  } else {
    Object.assign(out, {
      bytes: dest.bytes,
      chunks: dest.chunks,
      writeFalse: dest.writeFalse,
      drains: dest.drains,
      peakBuffered: dest.peakBuffered,
    });
  }
  return out;
}

// Start one run in a fresh child process; resolves with its result.
function inChild(cfg, onProgress) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result = null;
    let error = null;
    child.on('message', (m) => {
      if (m.type === 'progress') onProgress(m.bytes);
      else if (m.type === 'result') result = m.result;
      else if (m.type === 'error') error = m.error;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`challenge 1 child (${cfg.impl}, ${cfg.variant}) failed: ${error || `exit ${code}${signal ? ` ${signal}` : ''}`}`));
    });
    child.send({ type: 'run', cfg });
  });
}

function childMain() {
  process.once('message', async (m) => {
    try {
      let last = 0;
      const result = await runVariant(m.cfg, (bytes) => {
        const now = Date.now();
        if (now - last >= 50) { last = now; process.send({ type: 'progress', bytes }); }
      });
      process.send({ type: 'result', result }, () => process.disconnect());
    } catch (err) {
      process.send({ type: 'error', error: err && err.stack ? err.stack : String(err) }, () => process.disconnect());
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The section.

async function run(impl, opts = {}) {
  const name = implName(impl);
  const fileBytes = fileBytesOf(opts);
  const bytesPerSecond = opts.bytesPerSecond || THROTTLE_BPS;
  // Every 100 ms, as the challenge asks — unless the whole run would be over in a few samples
  // (a small --size): then about 20 samples per run, at least 5 ms apart.
  const expectedMs = (fileBytes / bytesPerSecond) * 1000;
  const intervalMs = opts.intervalMs || (expectedMs >= 1000 ? 100 : Math.max(5, Math.round(expectedMs / 20)));
  const progress = opts.progress || (() => {});
  if (!files.has(fileBytes)) progress(`${name}: making a ${formatBytes(fileBytes)} file in ${os.tmpdir()}`, '');
  const file = makeFile(fileBytes);
  const runs = {};
  const variants = name === 'sluice' ? ['with', 'without', 'native', 'native-without'] : ['with', 'without'];
  for (const variant of variants) {
    const step = `${name}: ${VARIANTS[variant]}`;
    progress(step, '');
    runs[variant] = await inChild(
      { impl: name, variant, file, chunk: CHUNK, intervalMs, delayMs: DELAY_MS, bytesPerSecond },
      (bytes) => progress(step, `${formatBytes(bytes)} / ${formatBytes(fileBytes)}`),
    );
  }
  return { impl: name, fileBytes, chunk: CHUNK, intervalMs, delayMs: DELAY_MS, bytesPerSecond, runs };
}

const growth = (x) => `+${formatBytes(x.rssPeak - x.rssStart)}`;

function rows(r) {
  const w = r.runs.with;
  const wo = r.runs.without;
  const nat = r.runs.native;
  const natWo = r.runs['native-without'];
  const na = (x, f) => (x ? f(x) : '—');
  return [
    `File: ${formatBytes(r.fileBytes)} read with fs.createReadStream (${formatBytes(r.chunk)} chunks)`,
    `Slow destination: _write waits ${r.delayMs} ms per chunk; memory sampled every ${r.intervalMs} ms`,
    '',
    'With backpressure (pipeline):',
    { label: '  Bytes written:', value: w.bytes, compare: true },
    { label: '  Chunks written:', value: w.chunks, compare: true },
    { label: '  write() returned false:', value: w.writeFalse, compare: true },
    { label: '  Drain events:', value: w.drains, compare: true },
    { label: '  Max buffered:', value: w.peakBuffered, suffix: 'bytes', compare: true },
    { label: '  RSS growth (peak):', value: growth(w) },
    { label: '  Time:', value: `${w.ms} ms` },
    '  (memory stays bounded: one chunk at a time)',
    '',
    'Without backpressure (write() ignored):',
    { label: '  Bytes written:', value: wo.bytes, compare: true },
    { label: '  Chunks written:', value: wo.chunks, compare: true },
    { label: '  Max buffered:', value: formatBytes(wo.peakBuffered) },
    { label: '  RSS growth (peak):', value: growth(wo) },
    { label: '  Time:', value: `${wo.ms} ms` },
    '  (the file piles up in the destination\'s buffer)',
    '',
    `sluice: createReadStream → ThrottleSink (${formatBytes(r.bytesPerSecond)}/s):`,
    { label: '  With: max buffered:', value: na(nat, (x) => formatBytes(x.peakBuffered)) },
    { label: '  With: RSS growth (peak):', value: na(nat, growth) },
    { label: '  Without: max buffered:', value: na(natWo, (x) => formatBytes(x.peakBuffered)) },
    { label: '  Without: RSS growth (peak):', value: na(natWo, growth) },
  ];
}

// What the counters say, in words. sluice: from stats(); node: from the wrapper around write().
function explain(r) {
  const say = (x) => {
    const parts = [
      `write() returned false ${x.writeFalse} times`,
      `${x.drains} drains`,
      `peak buffered ${x.peakBuffered} bytes (${formatBytes(x.peakBuffered)})`,
    ];
    if (x.pressureMs != null) parts.push(`${x.pressureMs} ms under backpressure (longest ${x.longestPressureMs} ms)`);
    parts.push(`RSS ${formatBytes(x.rssStart)} → peak ${formatBytes(x.rssPeak)}`);
    return parts.join(', ');
  };
  const src = r.impl === 'sluice' ? 'stats()' : 'a wrapper around write() and a drain listener';
  const lines = [`${r.impl} (${src}):`];
  for (const [k, label] of Object.entries(VARIANTS)) {
    if (r.runs[k]) lines.push(`  ${label}: ${say(r.runs[k])}`);
  }
  return lines;
}

// Terminal: buffered and RSS over time, with vs without backpressure, node beside sluice.
function chart(results, { color = false } = {}) {
  const impls = ['node', 'sluice'].filter((n) => results[n]);
  if (!impls.length) return [];
  const tmax = Math.max(...impls.flatMap((n) => ['with', 'without'].flatMap((v) => results[n].runs[v].samples.map((s) => s.t))));
  const block = (n, title, f, zero) =>
    asciiChart(`${n}: ${title}`, ['with', 'without'].map((v) => ({
      name: VARIANTS[v],
      points: results[n].runs[v].samples.map((s) => ({ t: s.t, v: f(s) })),
    })), { unit: 'MiB', color, tmax, zero });
  return [
    ...sideBySide(impls.map((n) => block(n, 'buffered', (s) => s.buffered / MiB, true))),
    '',
    ...sideBySide(impls.map((n) => block(n, 'RSS', (s) => s.rss / MiB, false))),
  ];
}

// The data behind the SVG: one row per sample.
function plotData(results) {
  const values = [];
  for (const n of ['node', 'sluice']) {
    const r = results[n];
    if (!r) continue;
    for (const [k, label] of Object.entries(VARIANTS)) {
      const x = r.runs[k];
      if (!x) continue;
      for (const s of x.samples) {
        values.push({ impl: n, run: label, t: s.t, buffered: s.buffered / MiB, rss: s.rss / MiB });
      }
    }
  }
  return values;
}

// SVG: buffered bytes (top) and RSS (bottom) over time; node's column beside sluice's.
async function plot(results, outDir) {
  const any = results.node || results.sluice;
  if (!any) return [];
  const values = plotData(results);
  const runs = Object.values(VARIANTS).filter((label) => values.some((v) => v.run === label));
  const row = (field, ytitle) => ({
    facet: { column: { field: 'impl', type: 'nominal', title: null, sort: ['node', 'sluice'], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 340,
      height: 170,
      mark: { type: 'line', interpolate: 'linear', strokeWidth: 2, point: false },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (ms)' },
        y: { field, type: 'quantitative', title: ytitle },
        color: { field: 'run', type: 'nominal', title: null, scale: { domain: runs }, legend: { orient: 'bottom', labelLimit: 400 } },
      },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Challenge 1: ${formatBytes(any.fileBytes)} file → slow destination`,
      subtitle: `sampled every ${any.intervalMs} ms; each run in its own process`,
    },
    data: { values },
    vconcat: [row('buffered', "destination's buffered (MiB)"), row('rss', 'RSS (MiB)')],
    config: { view: { stroke: '#ddd' } },
  };
  return [await writePlot(outDir, '06-challenge-1-memory', spec)];
}

function timeoutMs(opts) {
  // A run takes ~1.3 s per 256 MiB, sluice does 4 of them: generous.
  return 30_000 + Math.ceil(fileBytesOf(opts) / (4 * MiB)) * 1000;
}

module.exports = { title, run, rows, explain, chart, plot, plotData, timeoutMs, VARIANTS };
if (require.main === module) {
  if (process.argv[2] === '--child') childMain();
  else require('../run').runDirectly(module.exports);
}
