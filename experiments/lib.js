'use strict';
// Small helpers shared by the section files and run.js: scaling, printing, progress lines,
// byte formatting, terminal charts (asciichart) and SVG plots (Vega-Lite rendered by Vega in
// Node, no browser).

const fs = require('node:fs');
const path = require('node:path');

const KiB = 1024;
const MiB = 1024 * KiB;

// Scale one of the lesson's counts by opts.size (a multiplier; default 1 = the lesson's numbers).
function scaled(count, opts) {
  const size = opts && opts.size != null ? Number(opts.size) : 1;
  if (!Number.isFinite(size) || size <= 0) throw new RangeError(`size must be a positive number, got ${opts.size}`);
  return Math.max(1, Math.round(count * size));
}

// '64M', '64MiB', '512k', '1g', '1048576b' -> bytes; a plain number -> null (it is a multiplier).
function parseByteSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)\s*$/i.exec(String(text));
  if (!m) return null;
  const unit = m[2].toLowerCase()[0];
  const mult = unit === 'b' ? 1 : unit === 'k' ? KiB : unit === 'm' ? MiB : 1024 * MiB;
  return Math.max(1, Math.round(Number(m[1]) * mult));
}

// '64 MiB', '16 KiB', '101 bytes'.
function formatBytes(n) {
  if (n == null || !Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (a >= KiB) return `${+(n / KiB).toFixed(1)} KiB`;
  return `${n} bytes`;
}

// Which implementation a section was handed: sluice has monitor(), node:stream does not.
function implName(impl) {
  return typeof impl.monitor === 'function' ? 'sluice' : 'node';
}

// A progress line: on a TTY one line rewritten in place with \r (step and detail); otherwise a
// plain line each time the step changes (details are dropped). `done()` clears the TTY line.
function makeProgress(stream, enabled = true) {
  const tty = !!(stream && stream.isTTY);
  let lastStep = null;
  let lastLen = 0;
  let lastT = 0;
  const update = (step, detail) => {
    if (!enabled || !stream) return;
    if (tty) {
      const now = Date.now();
      if (step === lastStep && now - lastT < 80) return;
      lastT = now;
      const line = `  … ${step}${detail ? ` ${detail}` : ''}`;
      stream.write(`\r${line.padEnd(lastLen)}`);
      lastLen = line.length;
      lastStep = step;
    } else if (step !== lastStep) {
      stream.write(`  … ${step}\n`);
      lastStep = step;
    }
  };
  update.done = () => {
    if (tty && lastLen) stream.write(`\r${' '.repeat(lastLen)}\r`);
    lastLen = 0;
    lastStep = null;
  };
  return update;
}

// ---------------------------------------------------------------------------------------------
// Terminal charts

// Resample a time series [{t, v}] to `width` points over [0, tmax]: each point takes the largest
// sample since the previous point (so that peaks survive), or else the last value before it.
function resample(points, width, tmax) {
  const out = [];
  let j = 0;
  let last = points.length ? points[0].v : 0;
  for (let i = 0; i < width; i++) {
    const g = (tmax * i) / Math.max(1, width - 1);
    let peak = null;
    while (j < points.length && points[j].t <= g) {
      last = points[j++].v;
      peak = peak === null ? last : Math.max(peak, last);
    }
    out.push(peak === null ? last : peak);
  }
  return out;
}

const COLORS = ['red', 'green', 'blue', 'magenta', 'cyan', 'yellow'];

/**
 * One asciichart of several series [{ name, points: [{t, v}] }] on a shared time axis; returns
 * lines: a title, the chart, and a legend. `color`: ANSI colours (for a TTY); `zero`: start the
 * y axis at 0 (else at the smallest value).
 */
function asciiChart(title, series, { width = 32, height = 7, unit = '', color = false, tmax, zero = true } = {}) {
  const asciichart = require('asciichart');
  const end = tmax != null ? tmax : Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.t)));
  const data = series.map((s) => resample(s.points, width, end));
  const lo = zero ? Math.min(0, ...data.flat()) : Math.min(...data.flat());
  const hi = Math.max(...data.flat());
  const labelW = Math.max(6, ...[lo, hi].map((x) => fmtNum(x).length));
  const chart = asciichart.plot(data, {
    height,
    min: lo,
    max: hi > lo ? hi : lo + 1,
    colors: color ? series.map((_, i) => asciichart[COLORS[i % COLORS.length]]) : undefined,
    format: (x) => fmtNum(x).padStart(labelW),
  });
  const legend = series.map((s, i) => (color ? `${asciichart[COLORS[i % COLORS.length]]}──${asciichart.reset} ${s.name}` : `${s.name}`));
  return [
    `${title}${unit ? ` (${unit})` : ''}`,
    ...chart.split('\n'),
    `${' '.repeat(labelW + 2)}0 ms${' '.repeat(Math.max(1, width - 8 - String(Math.round(end)).length))}${Math.round(end)} ms`,
    `${' '.repeat(labelW + 2)}${color ? legend.join('  ') : legend.join(' / ')}`,
  ];
}

function fmtNum(x) {
  if (Math.abs(x) >= 100) return String(Math.round(x));
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

// Lay blocks of lines next to each other (ANSI colour codes do not count towards the width).
function sideBySide(blocks, gap = 4) {
  const visible = (s) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths = blocks.map((b) => Math.max(0, ...b.map(visible)));
  const rows = Math.max(...blocks.map((b) => b.length));
  const out = [];
  for (let i = 0; i < rows; i++) {
    out.push(
      blocks
        .map((b, k) => {
          const s = b[i] || '';
          return k === blocks.length - 1 ? s : s + ' '.repeat(widths[k] - visible(s) + gap);
        })
        .join('')
        .trimEnd(),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SVG plots

// Render a Vega-Lite spec to an SVG string (vega and vega-lite are ES modules: imported lazily).
async function renderSvg(vlSpec) {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const { spec } = vl.compile(vlSpec);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// Render and write `${outDir}/${name}.svg`; returns the file's path.
async function writePlot(outDir, name, vlSpec) {
  const svg = await renderSvg(vlSpec);
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.svg`);
  fs.writeFileSync(file, svg);
  return file;
}

const DEFAULT_OUT = path.join(__dirname, 'out');

module.exports = {
  KiB,
  MiB,
  scaled,
  parseByteSize,
  formatBytes,
  implName,
  makeProgress,
  resample,
  asciiChart,
  sideBySide,
  renderSvg,
  writePlot,
  DEFAULT_OUT,
};
