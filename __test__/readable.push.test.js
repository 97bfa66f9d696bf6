'use strict';

// push(): return values against highWaterMark, when _read is called (and with
// which size), push(null) / 'end' timing, push after EOF, invalid chunks, empty
// chunks, synchronous vs asynchronous producers, and the seed-001 "Seeing
// Backpressure" pipeline.

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const { rdifferential, source } = require('./helpers/rtrace');

rdifferential('push() returns true below a custom byte highWaterMark and false once readableLength reaches it', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, how: 'manual' });
  log.rsnap(r, 'fresh');
  log.push(r, 'abc');
  log.push(r, 'def');
  log.push(r, 'gh');
  log.push(r, 'i');
  log.rsnap(r, 'over');
  log.marks('m');
  await log.settle(2);
  log('reads', r.$reads);
}, { expect: ["'push', [ 'def' ], true, 6", "'push', [ 'gh' ], false, 8"] });

rdifferential('default byte highWaterMark (16 KiB to Node 21, 64 KiB from 22): a push one byte short returns true, one more byte returns false', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log('hwm', r.readableHighWaterMark, r.readableObjectMode);
  log('push-short', r.push(Buffer.alloc(D - 1, 0x61)), r.readableLength);
  log('push-1', r.push(Buffer.from('b')), r.readableLength);
  await log.settle(2);
  log('reads', r.$reads);
}, { expect: [`'hwm', ${D}, false`, "'push-short', true", `'push-1', false, ${D}`] });

rdifferential('objectMode default highWaterMark is 16 objects: the 16th push returns false', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, how: 'manual' });
  log('hwm', r.readableHighWaterMark, r.readableObjectMode);
  const rets = [];
  for (let i = 0; i < 17; i++) rets.push(r.push({ i }));
  log('rets', rets, r.readableLength);
  await log.settle(2);
  log('reads', r.$reads);
}, { expect: ["'hwm', 16, true"] });

rdifferential('objectMode custom highWaterMark 3: push returns false from the 3rd object on, regardless of object size', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, highWaterMark: 3, how: 'manual' });
  log.push(r, 'a-very-long-string-that-is-one-object');
  log.push(r, Buffer.alloc(100));
  log.push(r, 1);
  log.push(r, 2);
  log.rsnap(r, 'full');
  await log.settle(2);
}, { expect: ["'push', [ 1 ], false, 3"] });

rdifferential('highWaterMark 0: every push returns false, _read is called once per consumed chunk', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 0, chunks: ['a', 'b', 'c'] });
  log('hwm', r.readableHighWaterMark);
  r.on('data', (c) => log('data', c, r.readableLength));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'hwm', 0", "'push', 'r', 'a', false", "'emit', 'r', 'end'"] });

rdifferential('_read is not called again while a read is pending (no push yet), and called again after an async push', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  log.read(r, 0);
  log.read(r, 0);
  log('reads-after-two-read0', r.$reads);
  await log.settle(2);
  log('reads-after-settle', r.$reads);
  log.push(r, 'a');
  log.marks('after-push');
  await log.settle(2);
  log('reads-after-push', r.$reads);
  log.rsnap(r, 'end');
}, { expect: ["'reads-after-two-read0', 1", "'reads-after-push', 2"] });

rdifferential('_read is not called while readableLength is at or above the highWaterMark, and is once a read() drops it below', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  log.push(r, 'abcd');
  log.read(r, 0);
  await log.settle(2);
  log('reads-at-mark', r.$reads);
  log.read(r, 2);
  log('reads-after-read2', r.$reads);
  await log.settle(2);
  log.rsnap(r, 'end');
}, { expect: ["'reads-at-mark', 0", "'reads-after-read2', 1"] });

rdifferential('push(null) ends the stream, but end is emitted only after the buffer is consumed', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'a');
  log.push(r, 'b');
  log.push(r, null);
  log.rsnap(r, 'after-eof');
  log.marks('m1');
  await log.settle(3);
  log('no-end-yet', r.readableEnded);
  log.read(r, 1);
  log.marks('m2');
  await log.settle(2);
  log('still-no-end', r.readableEnded);
  log.read(r);
  log.marks('m3');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'no-end-yet', false", "'still-no-end', false", "'emit', 'r', 'end'"] });

rdifferential('push(null) on an empty buffer with a data listener: end then close on later ticks', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('data', (c) => log('data', c));
  r.on('end', () => log.rsnap(r, 'in-end'));
  log.push(r, null);
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'r', 'end'", "'emit', 'r', 'close'"] });

rdifferential('push after EOF: returns false and emits ERR_STREAM_PUSH_AFTER_EOF (not thrown), stream destroyed', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'a');
  log.push(r, null);
  log.push(r, 'late');
  log.rsnap(r, 'after-late-push');
  log.marks('m');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['ERR_STREAM_PUSH_AFTER_EOF'] });

rdifferential('push of a number in byte mode emits ERR_INVALID_ARG_TYPE (not thrown) and destroys the stream', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 42);
  log.rsnap(r, 'after-bad-push');
  log.marks('m');
  await log.waitFor(r, 'close');
  log.push(r, 'after-destroy');
  log.rsnap(r, 'closed');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

rdifferential('push of a plain object in byte mode emits ERR_INVALID_ARG_TYPE', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('data', (c) => log('data', c));
  log.push(r, { a: 1 });
  await log.waitFor(r, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

rdifferential('empty string and empty Buffer pushes add nothing, return true and let _read run again', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  log.read(r, 0);
  log.push(r, '');
  log.marks('after-empty-string');
  await log.settle(2);
  log('reads', r.$reads);
  log.push(r, Buffer.alloc(0));
  await log.settle(2);
  log('reads', r.$reads);
  log.push(r, 'x');
  log.push(r, '');
  log.rsnap(r, 'end');
  await log.settle(2);
}, { expect: ["'push', [ '' ], true, 0"] });

rdifferential('empty chunks interleaved in a flowing stream are not emitted as data', async (impl, log) => {
  const r = source(impl, log, { chunks: ['a', '', Buffer.alloc(0), 'b', ''] });
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"b\"'"] });

for (const how of ['sync', 'nextTick', 'microtask', 'immediate']) {
  rdifferential(`flowing source whose _read pushes ${how === 'sync' ? 'synchronously' : `on ${how}`}: _read sizes, push returns, data and end order`, async (impl, log) => {
    const r = source(impl, log, { highWaterMark: 8, how, chunks: ['aa', 'bbb', 'cccc', 'ddddd'] });
    r.on('data', (c) => {
      log('data', c, r.readableLength);
      log.marks(`after-${c}`);
    });
    await log.waitFor(r, 'close');
    log.rsnap(r, 'closed');
  }, { expect: ["'_read', 'r', 8", "'emit', 'r', 'end'"] });

  rdifferential(`paused source whose _read pushes ${how === 'sync' ? 'synchronously' : `on ${how}`}: buffer fills to the mark without a consumer`, async (impl, log) => {
    const r = source(impl, log, { highWaterMark: 8, how, end: false, chunks: ['aaa', 'bbb', 'ccc', 'ddd', 'eee'] });
    log.read(r, 0);
    log.marks('m');
    await log.settle(4);
    log.rsnap(r, 'filled');
    log.read(r, 5);
    await log.settle(4);
    log.rsnap(r, 'refilled');
  }, { expect: ["'rsnap', 'filled'"] });
}

rdifferential('push(string, encoding) decodes to a Buffer in byte mode', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, '616263', 'hex');
  log.push(r, 'ZGVm', 'base64');
  log.push(r, null);
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"abc\"'", "'data', 'buf:\"def\"'"] });

rdifferential('push of a Uint8Array is emitted as a Buffer', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, new Uint8Array([0x68, 0x69]));
  log.push(r, null);
  r.on('data', (c) => log('data', c, Buffer.isBuffer(c)));
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"hi\"', true"] });

rdifferential('push() from outside _read while flowing with an empty buffer emits data synchronously', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  r.on('data', (c) => log('data', c, r.readableLength));
  await log.settle(2);
  log('flowing', r.readableFlowing, 'reads', r.$reads);
  log.push(r, 'abcdefgh');
  log('after-push');
  log.push(r, 'x');
  log.marks('m');
  await log.settle(2);
  log.push(r, null);
  await log.waitFor(r, 'close');
}, { expect: ["'flowing', true"] });

rdifferential('a chunk larger than highWaterMark: push returns false, read() returns it whole', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  log.push(r, '0123456789');
  log.read(r);
  log.rsnap(r, 'drained');
  await log.settle(2);
  log('reads', r.$reads);
}, { expect: ["'push', [ '0123456789' ], false, 10"] });

// Seed 001, "Seeing Backpressure": FastProducer (hwm 64) -> SlowConsumer (hwm 32,
// setTimeout(callback, 1)) through stream/promises pipeline.
rdifferential('seed 001 FastProducer(hwm 64) -> SlowConsumer(hwm 32, setTimeout 1): identical _read and drain counts', async (impl, log) => {
  const { Readable, Writable } = impl;
  const seq = [];
  class FastProducer extends Readable {
    constructor(total) {
      super({ highWaterMark: 64 });
      this.total = total;
      this.produced = 0;
      this.readCalls = 0;
    }

    _read(size) {
      this.readCalls++;
      seq.push(`R${size}/${this.readableLength}`);
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
      super({ highWaterMark: 32 });
      this.delayMs = delayMs;
      this.consumed = 0;
      this.drainCount = 0;
    }

    _write(chunk, encoding, callback) {
      this.consumed++;
      seq.push(`W${chunk.length}/${this.writableLength}`);
      setTimeout(callback, this.delayMs);
    }
  }
  const producer = new FastProducer(20);
  const consumer = new SlowConsumer(1);
  consumer.on('drain', () => {
    consumer.drainCount++;
    seq.push('D');
  });
  producer.on('pause', () => seq.push('P'));
  producer.on('resume', () => seq.push('S'));
  const res = await impl.promises.pipeline(producer, consumer);
  log('resolved', res);
  log('produced', producer.produced, 'readCalls', producer.readCalls);
  log('consumed', consumer.consumed, 'drains', consumer.drainCount);
  log('sequence', seq.join(' '));
  log.rsnap(producer, 'producer');
}, {
  expect: ["'produced', 20", "'consumed', 20"],
  check(trace) {
    const drains = trace.find((e) => e[0] === 'consumed')[3];
    if (!(drains > 0)) throw new Error(`expected backpressure (drains > 0), got ${drains}`);
  },
});
