'use strict';

// Backpressure: write() return values, writableNeedDrain, 'drain' timing and
// the canonical write()/once('drain') producer loop (seed 000), plus the
// SlowConsumer / MemoryTracker experiments of seed 001.

const { differential } = require('./helpers/trace');
const { sink, makeSlowConsumer, makeMemoryTracker, writeWithBackpressure } = require('./helpers/sinks');

// Seed 000, section 9: the canonical loop. Produces `total` chunks.
function canonicalLoop(log, w, total, mkChunk) {
  let i = 0;
  function write() {
    log('producer-resume', i);
    while (i < total) {
      const ok = w.write(mkChunk(i++));
      log('write', i - 1, ok, w.writableLength, w.writableNeedDrain);
      if (!ok) {
        w.once('drain', write);
        log('paused', i, w.listenerCount('drain'));
        return;
      }
    }
    log('end-returns-this', w.end() === w);
  }
  write();
}

const chunk8 = (i) => `chunk-${String(i).padStart(2, '0')}`; // 8 bytes

for (const how of ['sync', 'nextTick', 'microtask', 'immediate', 1]) {
  const label = typeof how === 'number' ? `setTimeout(${how})` : how;
  differential(`canonical write()/once('drain') loop, _write calls back ${label}`, async (impl, log) => {
    const w = sink(impl, log, { highWaterMark: 16, how });
    canonicalLoop(log, w, 12, chunk8);
    log.snap(w, 'after-sync');
    await log.waitFor(w, 'close');
    log.snap(w, 'closed');
  }, { expect: how === 'sync' ? ["'finish'"] : ["'drain'", "'finish'"] });
}

differential('synchronous _write callback never applies backpressure, even with chunks > highWaterMark', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 4, how: 'sync' });
  for (let i = 0; i < 3; i++) log('write', w.write('0123456789'), w.writableLength, w.writableNeedDrain);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'write', true"] });

differential('write() returns false exactly when writableLength reaches highWaterMark', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 10, how: 'hold' });
  for (let i = 0; i < 5; i++) {
    log('write', i, w.write('abc'), w.writableLength, w.writableNeedDrain);
  }
  log.snap(w, 'full');
  while (w.$pending.length) {
    w.$release();
    log('released', w.writableLength, w.writableNeedDrain);
    await log.settle(1);
  }
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'write', 3, false", "'drain'"] });

differential('drain is emitted once after several writes returned false, only when the buffer is empty', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 4, how: 'nextTick' });
  for (let i = 0; i < 4; i++) log('write', w.write('xyz'), w.writableLength);
  log.marks('m1');
  w.on('drain', () => log.snap(w, 'in-drain'));
  await log.settle(3);
  log('write-after-drain', w.write('q'));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'drain'"] });

differential('no drain when the buffer never reached highWaterMark', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, how: 'nextTick' });
  for (let i = 0; i < 4; i++) log('write', w.write('xyz'));
  log.marks();
  w.end();
  await log.waitFor(w, 'close');
});

differential('highWaterMark 0: every write returns false and drain follows each flush', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 0, how: 'nextTick' });
  log.snap(w, 'fresh');
  log('write', w.write('a'), w.writableNeedDrain);
  await log.settle(1);
  log('write', w.write('b'), w.writableNeedDrain);
  log('write', w.write('c'), w.writableNeedDrain);
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'write', false", "'drain'"] });

differential('no drain is emitted once end() has been called, even if a write returned false', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 2, how: 'nextTick' });
  log('write', w.write('abc'));
  log('needDrain', w.writableNeedDrain);
  w.end();
  log('needDrain-after-end', w.writableNeedDrain);
  await log.waitFor(w, 'close');
}, { expect: ["'write', false", "'finish'"] });

differential('drain listener writing synchronously re-enters the stream correctly', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 5, how: 'nextTick' });
  let rounds = 0;
  w.on('drain', () => {
    rounds++;
    log('drain-handler', rounds, w.writableLength);
    if (rounds < 3) log('write-in-drain', w.write('123456'));
    else w.end();
  });
  log('write', w.write('123456'));
  await log.waitFor(w, 'close');
}, { expect: ["'drain-handler', 3"] });

differential('write callbacks and drain ordering with async callbacks (per-write cb)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 6, how: 'immediate' });
  for (let i = 0; i < 4; i++) log('write', i, w.write(`ab${i}`, log.cb(`w${i}`)));
  w.end(log.cb('end'));
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'w3'", "'cb', 'end'"] });

differential('sync write callbacks are deferred to the next tick and batched before drain', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 3, how: 'sync' });
  const cb = log.cb('shared');
  for (let i = 0; i < 3; i++) log('write', w.write('abcd', cb));
  log('write-other', w.write('x', log.cb('other')));
  log.marks('after-writes');
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'shared'"] });

differential('writableLength observed inside _write (sync completion and buffered flush)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 64, how: 'nextTick' });
  w.write('aaaa');
  w.write('bbbbbbbb');
  w.write(Buffer.alloc(3, 0x63));
  log.snap(w, 'buffered');
  w.end('dd');
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'w', 'buf:\"dd\"'"] });

// --- Seed 001 experiments -------------------------------------------------

differential('seed 001: FastProducer -> SlowConsumer via stream/promises pipeline (drain count, read calls)', async (impl, log) => {
  const { pipeline } = require('node:stream/promises');
  class FastProducer extends impl.Readable {
    constructor(total) {
      super({ highWaterMark: 64 });
      this.total = total;
      this.produced = 0;
      this.readCalls = 0;
    }

    _read() {
      this.readCalls++;
      if (this.produced < this.total) {
        this.produced++;
        this.push(`Chunk ${this.produced}\n`);
      } else {
        this.push(null);
      }
    }
  }
  const producer = new FastProducer(20);
  const consumer = makeSlowConsumer(impl, 1);
  log.track(consumer, 'consumer');
  consumer.on('drain', () => consumer.drainCount++);
  await pipeline(producer, consumer);
  log('produced', producer.produced, 'readCalls', producer.readCalls);
  log('consumed', consumer.consumed, 'drains', consumer.drainCount);
  log.snap(consumer, 'end');
}, { expect: ["'consumed', 20"] });

differential('seed 001: manual writeWithBackpressure of 30 items into SlowConsumer', async (impl, log) => {
  const w = makeSlowConsumer(impl, 1);
  log.track(w, 'slow');
  w.on('drain', () => w.drainCount++);
  const items = Array.from({ length: 30 }, (_, i) => `Item ${i}\n`);
  const bp = await writeWithBackpressure(w, items);
  log('backpressure-pauses', bp, 'drains', w.drainCount, 'consumed', w.consumed);
}, { expect: ["'backpressure-pauses'"] });

differential('seed 001: MemoryTracker WITHOUT backpressure buffers everything (max buffered bytes)', async (impl, log) => {
  const w = makeMemoryTracker(impl, 1);
  log.track(w, 'bad');
  const rets = [];
  for (let i = 0; i < 30; i++) rets.push(w.write(`${'x'.repeat(100)}\n`));
  log('write-returns', rets);
  log.snap(w, 'after-loop');
  w.end();
  await new Promise((resolve) => w.on('finish', resolve));
  log('maxBuffered', w.maxBuffered, 'writeCount', w.writeCount);
}, { expect: ["'maxBuffered', 2929"] });

differential('seed 001: MemoryTracker WITH backpressure stays bounded (max buffered bytes)', async (impl, log) => {
  const w = makeMemoryTracker(impl, 1);
  log.track(w, 'good');
  let drains = 0;
  w.on('drain', () => drains++);
  const items = Array.from({ length: 30 }, () => `${'x'.repeat(100)}\n`);
  const bp = await writeWithBackpressure(w, items);
  log('maxBuffered', w.maxBuffered, 'writeCount', w.writeCount, 'pauses', bp, 'drains', drains);
}, { expect: ["'maxBuffered', 101"] });

differential('seed 001: object-mode producer (hwm 4) -> consumer (hwm 2) with slow _write', async (impl, log) => {
  const { pipeline } = require('node:stream/promises');
  const producer = new impl.Readable({
    objectMode: true,
    highWaterMark: 4,
    read() {
      if (this.current === undefined) this.current = 0;
      if (this.current < 10) {
        this.current++;
        this.push({ id: this.current, data: 'x'.repeat(10) });
      } else {
        this.push(null);
      }
    },
  });
  const consumer = new impl.Writable({
    objectMode: true,
    highWaterMark: 2,
    write(obj, enc, cb) {
      log('_write', obj.id, enc, this.writableLength, this.writableNeedDrain);
      setTimeout(cb, 2);
    },
  });
  log.track(consumer, 'consumer');
  await pipeline(producer, consumer);
  log('produced', producer.current);
  log.snap(consumer, 'end');
}, { expect: ["'_write', 10"] });

differential('seed 001: fast synchronous sink fed by a 1 KiB-chunk Readable (write count, drains)', async (impl, log) => {
  const { pipeline } = require('node:stream/promises');
  let produced = 0;
  const source = new impl.Readable({
    highWaterMark: 1024,
    read() {
      if (produced < 50) {
        produced++;
        this.push(Buffer.alloc(1024, 0x41));
      } else {
        this.push(null);
      }
    },
  });
  let writes = 0;
  let drains = 0;
  let maxLen = 0;
  const sinkW = new impl.Writable({
    highWaterMark: 1024,
    write(chunk, enc, cb) {
      writes++;
      maxLen = Math.max(maxLen, this.writableLength);
      cb();
    },
  });
  sinkW.on('drain', () => drains++);
  await pipeline(source, sinkW);
  log('writes', writes, 'drains', drains, 'maxLen', maxLen, 'finished', sinkW.writableFinished);
}, { expect: ["'writes', 50"] });
