'use strict';
// Lesson "Backpressure", section 4: highWaterMark Tuning.
// Pipe 1 MB (1000 x 1 KiB chunks) through a no-op sink at different highWaterMarks and time it.

const { scaled } = require('../lib');

const title = 'highWaterMark Tuning';

async function run(impl, opts = {}) {
  const { Readable, Writable } = impl;
  const pipelinePromise = impl.promises.pipeline;

  async function measureThroughput(hwm, chunkCount) {
    let bytesProcessed = 0;

    const source = new Readable({
      highWaterMark: hwm,
      read() {
        if (bytesProcessed < chunkCount * 1024) {
          this.push(Buffer.alloc(1024, 0x41));
          bytesProcessed += 1024;
        } else {
          this.push(null);
        }
      },
    });

    const sink = new Writable({
      highWaterMark: hwm,
      write(chunk, enc, cb) { cb(); },
    });

    const start = performance.now();
    await pipelinePromise(source, sink);
    const elapsed = performance.now() - start;

    return { hwm, bytes: bytesProcessed, ms: Number(elapsed.toFixed(1)) };
  }

  // Compare different highWaterMark sizes
  const chunkCount = scaled(1000, opts);
  const results = [];
  for (const hwm of [64, 1024, 16384, 65536]) {
    results.push(await measureThroughput(hwm, chunkCount));
  }
  return { chunkCount, results };
}

function rows(r) {
  const mb = (r.chunkCount / 1000).toString();
  return [
    `highWaterMark vs throughput (${mb} MB of data):`,
    // Timings: shown, never compared.
    ...r.results.map((x) => ({ label: `  hwm=${String(x.hwm).padStart(5)}:`, value: `${x.ms.toFixed(1)}ms`, compare: false })),
    '',
    '  Larger buffers = fewer reads/writes = higher throughput',
    '  But also = more memory usage per stream',
  ];
}

module.exports = { title, run, rows };
if (require.main === module) require('../run').runDirectly(module.exports);
