'use strict';
// Lesson "Backpressure", section 1: Seeing Backpressure.
// A fast producer (Readable, hwm 64) piped into a slow consumer (Writable, hwm 32).

const { scaled } = require('../lib');

const title = 'Seeing Backpressure';

async function run(impl, opts = {}) {
  const { Readable, Writable } = impl;
  const pipelinePromise = impl.promises.pipeline;

  // Fast producer, slow consumer
  class FastProducer extends Readable {
    constructor(total) {
      super({ highWaterMark: 64 }); // Small buffer to trigger backpressure quickly
      this.total = total;
      this.produced = 0;
      this.readCalls = 0;
    }

    _read(_size) {
      this.readCalls++;
      if (this.produced < this.total) {
        this.produced++;
        this.push(`Chunk ${this.produced}\n`);
      } else {
        this.push(null);
      }
    }
  }

  class SlowConsumer extends Writable {
    constructor(delayMs) {
      super({ highWaterMark: 32 }); // Small buffer
      this.delayMs = delayMs;
      this.consumed = 0;
      this.drainCount = 0;
    }

    _write(chunk, encoding, callback) {
      this.consumed++;
      // Simulate slow processing
      setTimeout(callback, this.delayMs);
    }
  }

  const producer = new FastProducer(scaled(20, opts));
  const consumer = new SlowConsumer(10);

  // Track drain events
  consumer.on('drain', () => consumer.drainCount++);

  await pipelinePromise(producer, consumer);

  return {
    produced: producer.produced,
    readCalls: producer.readCalls,
    consumed: consumer.consumed,
    drains: consumer.drainCount,
  };
}

// Rows in the lesson's wording. Strings are printed as-is; `compare: true` counts must agree.
function rows(r) {
  return [
    'Producer:',
    { label: '  Total chunks produced:', value: r.produced, compare: true },
    { label: '  Times _read() was called:', value: r.readCalls, compare: true },
    'Consumer:',
    { label: '  Total chunks consumed:', value: r.consumed, compare: true },
    { label: '  Drain events:', value: r.drains, compare: true },
    '  (drain > 0 means backpressure was applied)',
  ];
}

module.exports = { title, run, rows };
if (require.main === module) require('../run').runDirectly(module.exports);
