'use strict';
// `sluice.monitor(streams, { intervalMs })`: samples `stats()` (and RSS) over time, for plots
// and dashboards. The timer is unreferenced: monitoring never keeps the process alive.
// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');

/**
 * Starts sampling; returns `{ samples, stop() }`. Each sample is `{ t, rss, stats: [...] }`
 * with `t` in ms since the start and one entry per stream (`stats()` for sluice streams, the
 * public lengths for others).
 */
function monitor(streams, options = {}) {
  const list = Array.isArray(streams) ? streams : [streams];
  const intervalMs = options.intervalMs === undefined ? 100 : options.intervalMs;
  const onSample = options.onSample;
  const samples = [];
  const t0 = performance.now();
  const sample = () => {
    const s = {
      t: performance.now() - t0,
      rss: process.memoryUsage.rss(),
      stats: list.map((x) =>
        typeof x.stats === 'function'
          ? x.stats()
          : { buffered: x.writableLength ?? x.readableLength ?? 0, highWaterMark: x.writableHighWaterMark ?? x.readableHighWaterMark },
      ),
    };
    samples.push(s);
    if (onSample) onSample(s);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    samples,
    stop() {
      clearInterval(timer);
      sample();
      return samples;
    },
  };
}

module.exports = { monitor };

