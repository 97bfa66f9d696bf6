'use strict';
// Lesson "Backpressure", section 3: What Happens WITHOUT Backpressure.
// Ignoring write()'s return value buffers everything; respecting it keeps the buffer bounded.

const { scaled, runDirectly } = require('../lib');
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
    }

    _write(chunk, encoding, callback) {
      this.writeCount++;
      // Track maximum buffer size
      if (this.writableLength > this.maxBuffered) {
        this.maxBuffered = this.writableLength;
      }
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

  return { withoutMaxBuffered: badWriter.maxBuffered, withMaxBuffered: goodWriter.maxBuffered };
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

module.exports = { title, run, rows };
if (require.main === module) runDirectly(module.exports);
