'use strict';
// Lesson "Backpressure", Challenge 2: a "throttled" Transform that limits throughput to N bytes
// per second using backpressure — it delays callback() in _transform until the bytes processed
// so far are due at N bytes/s. A fast producer feeds it and a fast consumer drains it; the
// throttle's full buffer makes write() return false, pipeline() pauses the producer, and the
// whole chain runs at N.

const { scaled, formatBytes, implName, KiB, MiB } = require('../lib');

const title = 'Challenge 2: Throttled Transform';

const DEFAULT_RATE = 1 * MiB; // N, bytes per second
const CHUNK = 16 * KiB;

async function run(impl, opts = {}) {
  const { Readable, Writable, Transform } = impl;
  const pipelinePromise = impl.promises.pipeline;
  const bytesPerSecond = opts.bytesPerSecond || DEFAULT_RATE;
  const total = scaled(64, opts) * CHUNK; // 1 MiB: about one second at 1 MiB/s
  const progress = opts.progress || (() => {});

  class FastProducer extends Readable {
    constructor(totalBytes) {
      super();
      this.remaining = totalBytes;
      this.readCalls = 0;
    }

    _read() {
      this.readCalls++;
      if (this.remaining > 0) {
        const n = Math.min(CHUNK, this.remaining);
        this.remaining -= n;
        this.push(Buffer.alloc(n, 0x61));
      } else {
        this.push(null);
      }
    }
  }

  class Throttle extends Transform {
    constructor(bytesPerSecond) {
      super();
      this.bytesPerSecond = bytesPerSecond;
      this.processed = 0;
      this.start = 0;
      this.calls = 0;
      this.drains = 0;
      this.on('drain', () => this.drains++);
    }

    _transform(chunk, encoding, callback) {
      this.calls++;
      if (this.processed === 0) this.start = performance.now();
      this.processed += chunk.length;
      // The bytes processed so far are due at start + processed / N: wait until then.
      const due = this.start + (this.processed / this.bytesPerSecond) * 1000;
      const wait = Math.max(0, due - performance.now());
      setTimeout(() => callback(null, chunk), wait);
    }
  }

  class FastConsumer extends Writable {
    constructor() {
      super();
      this.bytes = 0;
    }

    _write(chunk, encoding, callback) {
      this.bytes += chunk.length;
      progress(`${implName(impl)}: throttled to ${formatBytes(bytesPerSecond)}/s`, `${formatBytes(this.bytes)} / ${formatBytes(total)}`);
      callback();
    }
  }

  const producer = new FastProducer(total);
  const throttle = new Throttle(bytesPerSecond);
  const consumer = new FastConsumer();

  const start = performance.now();
  await pipelinePromise(producer, throttle, consumer);
  const ms = performance.now() - start;

  const result = {
    bytesPerSecond,
    bytes: consumer.bytes,
    transformCalls: throttle.calls,
    readCalls: producer.readCalls,
    drains: throttle.drains,
    ms: Math.round(ms),
    achieved: Math.round(consumer.bytes / (ms / 1000)),
  };
  if (typeof throttle.stats === 'function') {
    result.stats = { producer: producer.stats(), throttle: throttle.stats(), consumer: consumer.stats() };
  }
  return result;
}

function rows(r) {
  return [
    `Target N: ${r.bytesPerSecond} bytes/s (${formatBytes(r.bytesPerSecond)}/s), ${formatBytes(r.bytes)} in ${formatBytes(CHUNK)} chunks`,
    { label: '  Bytes through:', value: r.bytes, compare: true },
    { label: '  _transform calls:', value: r.transformCalls, compare: true },
    { label: '  Producer _read calls:', value: r.readCalls, compare: true },
    { label: '  Throttle drain events:', value: r.drains, compare: true },
    { label: '  Elapsed:', value: `${r.ms} ms` },
    { label: '  Achieved:', value: `${r.achieved} bytes/s` },
    { label: '  Achieved / N:', value: `${((100 * r.achieved) / r.bytesPerSecond).toFixed(1)}%` },
    '  (the producer waits for the throttle: backpressure sets the pace)',
  ];
}

function explain(r) {
  if (!r.stats) {
    return [`node: _read() was called ${r.readCalls} times for ${r.transformCalls} chunks; the throttle drained ${r.drains} times`];
  }
  const { producer: p, throttle: t } = r.stats;
  return [
    'sluice (stats()):',
    `  producer: push() returned false ${p.pushFalse} of ${p.pushes} times, peak buffered ${p.peakBuffered} bytes`,
    `  throttle: write() returned false ${t.writable.writeFalse} times, ${t.writable.drains} drains, ` +
      `peak buffered ${t.writable.peakBuffered} bytes, ${Math.round(t.writable.pressureMs)} ms under backpressure ` +
      `(${((100 * t.writable.pressureMs) / r.ms).toFixed(0)}% of the run)`,
  ];
}

module.exports = { title, run, rows, explain, DEFAULT_RATE, CHUNK };
if (require.main === module) require('../run').runDirectly(module.exports);
