'use strict';
// Lesson "Backpressure", section 2: Manual Backpressure.
// Without pipe() you must check write()'s return value and wait for 'drain' yourself.

const { scaled } = require('../lib');

const title = 'Manual Backpressure';

// Without pipe() — you must handle backpressure yourself
async function writeWithBackpressure(writable, items) {
  let backpressureCount = 0;

  for (const item of items) {
    const ok = writable.write(item);
    if (!ok) {
      backpressureCount++;
      await new Promise((resolve) => writable.once('drain', resolve));
    }
  }

  writable.end();
  await new Promise((resolve, reject) => {
    writable.on('finish', resolve);
    writable.on('error', reject);
  });

  return backpressureCount;
}

async function run(impl, opts = {}) {
  const { Writable } = impl;

  class SlowConsumer extends Writable {
    constructor(delayMs) {
      super({ highWaterMark: 32 }); // Small buffer
      this.delayMs = delayMs;
      this.consumed = 0;
      this.drainCount = 0;
    }

    _write(chunk, encoding, callback) {
      this.consumed++;
      setTimeout(callback, this.delayMs);
    }
  }

  const slowWriter = new SlowConsumer(5);
  slowWriter.on('drain', () => slowWriter.drainCount++);

  const items = Array.from({ length: scaled(30, opts) }, (_, i) => `Item ${i}\n`);
  const bpCount = await writeWithBackpressure(slowWriter, items);

  return { items: items.length, pauses: bpCount };
}

function rows(r) {
  return [
    { label: 'Items written:', value: r.items, compare: true },
    { label: 'Backpressure pauses:', value: r.pauses, compare: true },
  ];
}

module.exports = { title, run, rows, writeWithBackpressure };
if (require.main === module) require('../run').runDirectly(module.exports);
