'use strict';
// Lesson "Backpressure", section 5: Object Mode Backpressure.
// In object mode, highWaterMark is a number of objects, not bytes.

const { scaled } = require('../lib');

const title = 'Object Mode Backpressure';

async function run(impl, opts = {}) {
  const { Readable, Writable } = impl;
  const pipelinePromise = impl.promises.pipeline;

  class ObjectProducer extends Readable {
    constructor(count) {
      super({ objectMode: true, highWaterMark: 4 }); // Buffer up to 4 objects
      this.count = count;
      this.current = 0;
    }

    _read() {
      if (this.current < this.count) {
        this.current++;
        this.push({ id: this.current, data: 'x'.repeat(1000) });
      } else {
        this.push(null);
      }
    }
  }

  class ObjectConsumer extends Writable {
    constructor() {
      super({ objectMode: true, highWaterMark: 2 }); // Buffer up to 2 objects
      this.processed = 0;
    }

    _write(obj, enc, cb) {
      this.processed++;
      setTimeout(cb, 5); // Slow consumer
    }
  }

  const objProducer = new ObjectProducer(scaled(10, opts));
  const objConsumer = new ObjectConsumer();

  await pipelinePromise(objProducer, objConsumer);

  return { produced: objProducer.current, consumed: objConsumer.processed };
}

function rows(r) {
  return [
    'Object mode:',
    { label: '  Produced:', value: r.produced, suffix: 'objects', compare: true },
    { label: '  Consumed:', value: r.consumed, suffix: 'objects', compare: true },
    '  Producer hwm: 4 objects, Consumer hwm: 2 objects',
  ];
}

module.exports = { title, run, rows };
if (require.main === module) require('../run').runDirectly(module.exports);
