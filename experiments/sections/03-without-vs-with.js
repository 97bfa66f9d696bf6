'use strict';
// Lesson "Backpressure", section 3: What Happens WITHOUT Backpressure.
// Ignoring write()'s return value buffers everything; respecting it keeps the buffer bounded.
//
// Besides the lesson's max, the tracker records writableLength over time (after every write()
// and in every _write) for a terminal chart and an SVG plot, node beside sluice. (RSS is not
// plotted here: 10 KB is far below its noise. Challenge 1 plots RSS, with a 256 MiB file.)

const { scaled, asciiChart, sideBySide, writePlot } = require('../lib');
const { writeWithBackpressure } = require('./02-manual-backpressure');

const title = 'What Happens WITHOUT Backpressure';

async function run(impl, opts = {}) {
  const { Writable } = impl;
  const count = scaled(100, opts);

  // Ignoring write() return value — buffer grows unbounded
  class MemoryTracker extends Writable {
    constructor() {
      super({ highWaterMark: 16 }); // 16 byte buffer
      this.maxBuffered = 0;
      this.writeCount = 0;
      this.t0 = performance.now();
      this.timeline = []; // [{ t (ms), buffered (bytes) }], for the plots
    }

    record() {
      this.timeline.push({ t: Math.round((performance.now() - this.t0) * 100) / 100, buffered: this.writableLength });
    }

    write(...args) {
      const ok = super.write(...args);
      this.record();
      return ok;
    }

    _write(chunk, encoding, callback) {
      this.writeCount++;
      // Track maximum buffer size
      if (this.writableLength > this.maxBuffered) {
        this.maxBuffered = this.writableLength;
      }
      this.record();
      // Simulate slow write
      setTimeout(callback, 1);
    }
  }

  // BAD: ignoring backpressure
  const badWriter = new MemoryTracker();
  for (let i = 0; i < count; i++) {
    badWriter.write(`${'x'.repeat(100)}\n`); // Ignoring return value!
  }
  badWriter.end();
  await new Promise((resolve) => badWriter.on('finish', resolve));

  // GOOD: respecting backpressure
  const goodWriter = new MemoryTracker();
  const goodItems = Array.from({ length: count }, () => `${'x'.repeat(100)}\n`);
  await writeWithBackpressure(goodWriter, goodItems);

  return {
    withoutMaxBuffered: badWriter.maxBuffered,
    withMaxBuffered: goodWriter.maxBuffered,
    highWaterMark: goodWriter.writableHighWaterMark,
    timeline: { without: badWriter.timeline, with: goodWriter.timeline },
  };
}

function rows(r) {
  return [
    'Without backpressure:',
    { label: '  Max buffered:', value: r.withoutMaxBuffered, suffix: 'bytes', compare: true },
    '  (entire dataset was buffered in memory)',
    '',
    'With backpressure:',
    { label: '  Max buffered:', value: r.withMaxBuffered, suffix: 'bytes', compare: true },
    '  (bounded by highWaterMark)',
  ];
}

const SERIES = { without: 'without backpressure', with: 'with backpressure' };

// Terminal: buffered bytes over time, without vs with, node beside sluice.
function chart(results, { color = false } = {}) {
  const impls = ['node', 'sluice'].filter((n) => results[n]);
  if (!impls.length) return [];
  const tmax = Math.max(...impls.flatMap((n) => Object.keys(SERIES).flatMap((k) => results[n].timeline[k].map((p) => p.t))));
  return sideBySide(impls.map((n) => asciiChart(
    `${n}: buffered`,
    Object.entries(SERIES).map(([k, name]) => ({ name, points: results[n].timeline[k].map((p) => ({ t: p.t, v: p.buffered })) })),
    { unit: 'bytes', color, tmax },
  )));
}

function plotData(results) {
  const values = [];
  for (const n of ['node', 'sluice']) {
    if (!results[n]) continue;
    for (const [k, name] of Object.entries(SERIES)) {
      for (const p of results[n].timeline[k]) values.push({ impl: n, run: name, t: p.t, buffered: p.buffered });
    }
  }
  return values;
}

// SVG: writableLength over time (step lines), node's panel beside sluice's.
async function plot(results, outDir) {
  const any = results.node || results.sluice;
  if (!any) return [];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'What happens WITHOUT backpressure: buffered bytes over time',
      subtitle: `MemoryTracker (highWaterMark ${any.highWaterMark}), 101-byte writes, each _write takes 1 ms`,
    },
    data: { values: plotData(results) },
    facet: { column: { field: 'impl', type: 'nominal', title: null, sort: ['node', 'sluice'], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 340,
      height: 220,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (ms)' },
        y: { field: 'buffered', type: 'quantitative', title: 'writableLength (bytes)' },
        color: { field: 'run', type: 'nominal', title: null, scale: { domain: Object.values(SERIES) }, legend: { orient: 'bottom', labelLimit: 400 } },
      },
    },
    config: { view: { stroke: '#ddd' } },
  };
  return [await writePlot(outDir, '03-without-vs-with-buffered', spec)];
}

module.exports = { title, run, rows, chart, plot, plotData };
if (require.main === module) require('../run').runDirectly(module.exports);
