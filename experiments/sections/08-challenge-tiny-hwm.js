'use strict';
// Lesson "Backpressure", Challenge 3: what happens with a Transform with a very small
// highWaterMark (1) between a fast producer and a fast consumer? Compared with the default mark
// (16 KiB), on throughput and on how often each stage is called, for two kinds of Transform:
//
// - sync: _transform calls back at once. Node decides write()'s return value after _write has
//   returned, so a stage that completes synchronously never reports backpressure, whatever its
//   mark: the mark changes almost nothing.
// - async: _transform calls back on the next turn of the event loop (setImmediate), as a
//   transform doing I/O or handing work to a thread would. Now with a mark of 1 every write()
//   returns false, pipeline() pauses the producer after every chunk and resumes it on 'drain':
//   the same bytes come out, with one pause/resume round trip per chunk.

const crypto = require('node:crypto');
const { scaled, formatBytes, implName, MiB } = require('../lib');

const title = 'Challenge 3: Tiny highWaterMark Transform';

const CHUNK = 128;
const DEFAULT_MARK = require('node:stream').getDefaultHighWaterMark(false); // 16 KiB to Node 21, 64 KiB from 22
const MARKS = [1, DEFAULT_MARK]; // the very small mark, and the running Node's default
const MODES = ['sync', 'async'];

async function run(impl, opts = {}) {
  const { Readable, Writable, Transform } = impl;
  const pipelinePromise = impl.promises.pipeline;
  const chunks = scaled(32768, opts); // 4 MiB of 128-byte chunks
  const progress = opts.progress || (() => {});

  class FastProducer extends Readable {
    constructor(count) {
      super();
      this.count = count;
      this.produced = 0;
      this.readCalls = 0;
    }

    _read() {
      this.readCalls++;
      if (this.produced < this.count) {
        const chunk = Buffer.alloc(CHUNK, this.produced & 0xff);
        chunk.writeUInt32BE(this.produced, 0);
        this.produced++;
        this.push(chunk);
      } else {
        this.push(null);
      }
    }
  }

  // Flips the case bit of every byte: cheap, and its output depends on every input byte.
  class CaseFlip extends Transform {
    constructor(highWaterMark, mode) {
      super(highWaterMark === undefined ? {} : { highWaterMark });
      this.async = mode === 'async';
      this.calls = 0;
      this.writeFalse = 0;
      this.drains = 0;
      this.on('drain', () => this.drains++);
    }

    write(...args) {
      const ok = super.write(...args);
      if (!ok) this.writeFalse++;
      return ok;
    }

    _transform(chunk, encoding, callback) {
      this.calls++;
      const out = Buffer.allocUnsafe(chunk.length);
      for (let i = 0; i < chunk.length; i++) out[i] = chunk[i] ^ 0x20;
      if (this.async) setImmediate(callback, null, out);
      else callback(null, out);
    }
  }

  class FastConsumer extends Writable {
    constructor() {
      super();
      this.bytes = 0;
      this.writes = 0;
      this.hash = crypto.createHash('sha256');
    }

    _write(chunk, encoding, callback) {
      this.writes++;
      this.bytes += chunk.length;
      this.hash.update(chunk);
      callback();
    }
  }

  async function measure(mode, hwm, count) {
    const producer = new FastProducer(count);
    const transform = new CaseFlip(hwm === DEFAULT_MARK ? undefined : hwm, mode);
    const consumer = new FastConsumer();
    const start = performance.now();
    await pipelinePromise(producer, transform, consumer);
    const ms = performance.now() - start;
    const r = {
      mode,
      hwm: transform.writableHighWaterMark,
      chunks: count,
      bytes: consumer.bytes,
      sha256: consumer.hash.digest('hex'),
      transformCalls: transform.calls,
      readCalls: producer.readCalls,
      consumerWrites: consumer.writes,
      writeFalse: transform.writeFalse,
      drains: transform.drains,
      ms: Math.round(ms * 10) / 10,
      mibPerSec: Math.round((consumer.bytes / MiB / (ms / 1000)) * 10) / 10,
    };
    if (typeof transform.stats === 'function') r.stats = { producer: producer.stats(), transform: transform.stats() };
    return r;
  }

  // Warm up the JIT on every case first, so that none is timed cold.
  for (const mode of MODES) for (const hwm of MARKS) await measure(mode, hwm, Math.min(chunks, 1024));
  const results = [];
  for (const mode of MODES) {
    for (const hwm of MARKS) {
      progress(`${implName(impl)}: ${mode} transform, highWaterMark ${hwm}`, '');
      results.push(await measure(mode, hwm, chunks));
    }
  }
  const sameOutput = results.every((x) => x.sha256 === results[0].sha256 && x.bytes === results[0].bytes);
  return { chunks, chunkBytes: CHUNK, results, sameOutput };
}

const ratio = (r, mode) => {
  const [tiny, dflt] = MARKS.map((hwm) => r.results.find((x) => x.mode === mode && x.hwm === hwm));
  return dflt.mibPerSec / tiny.mibPerSec;
};

function rows(r) {
  const out = [`Fast producer (${r.chunks} x ${formatBytes(r.chunkBytes)}) → Transform → fast consumer`, ''];
  for (const x of r.results) {
    out.push(
      `${x.mode} _transform, highWaterMark ${x.hwm}${x.hwm === DEFAULT_MARK ? ' (default)' : ''}:`,
      { label: '  _transform calls:', value: x.transformCalls, compare: true },
      { label: '  Producer _read calls:', value: x.readCalls, compare: true },
      { label: '  write() returned false:', value: x.writeFalse, compare: true },
      { label: '  Drain events:', value: x.drains, compare: true },
      { label: '  Output sha256:', value: x.sha256.slice(0, 16), compare: true },
      { label: '  Throughput:', value: `${x.mibPerSec} MiB/s (${x.ms.toFixed(0)} ms)` },
      '',
    );
  }
  out.push(
    { label: 'Same output in every case:', value: r.sameOutput ? 'yes' : 'NO', compare: true },
    { label: 'Default mark vs 1, sync:', value: `${ratio(r, 'sync').toFixed(1)}x the throughput` },
    { label: 'Default mark vs 1, async:', value: `${ratio(r, 'async').toFixed(1)}x the throughput` },
    '  (a synchronous stage never signals backpressure, whatever its mark;',
    '   an asynchronous one with mark 1 pauses the producer after every chunk)',
  );
  return out;
}

function explain(r) {
  const lines = [];
  for (const x of r.results) {
    if (x.stats) {
      const { producer: p, transform: t } = x.stats;
      lines.push(
        `sluice, ${x.mode}, mark ${x.hwm} (stats()): the transform's write() returned false ${t.writable.writeFalse} times, ` +
          `${t.writable.drains} drains, peak buffered ${t.writable.peakBuffered} bytes, ` +
          `${Math.round(t.writable.pressureMs)} ms under backpressure; producer _read() ${p.readCalls} calls`,
      );
    }
  }
  return lines;
}

module.exports = { title, run, rows, explain, MARKS, MODES };
if (require.main === module) require('../run').runDirectly(module.exports);
