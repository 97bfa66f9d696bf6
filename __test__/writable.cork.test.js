'use strict';

// cork()/uncork() and _writev batching.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

differential('cork buffers writes and uncork flushes them in one _writev call (chunk + encoding per entry)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'nextTick' });
  log('cork-ret', w.cork());
  log.snap(w, 'corked');
  log('write', w.write('a'), w.write(Buffer.from('bc')), w.write(new Uint8Array([0x64])));
  log.snap(w, 'buffered');
  log('uncork-ret', w.uncork());
  log.snap(w, 'uncorked');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

differential('corked writes without _writev are flushed through _write one by one on uncork', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, how: 'sync' });
  w.cork();
  for (const s of ['one', 'two', 'three']) log('write', w.write(s, log.cb(s)));
  log.snap(w, 'corked');
  w.uncork();
  log.snap(w, 'uncorked');
  log.marks('after-uncork');
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'three'"] });

differential('nested cork needs as many uncork calls; writableCorked counts', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'sync' });
  w.cork();
  w.cork();
  w.cork();
  log('corked', w.writableCorked);
  w.write('x');
  w.write('y');
  w.uncork();
  log('after-1-uncork', w.writableCorked, w.writableLength);
  w.uncork();
  log('after-2-uncork', w.writableCorked, w.writableLength);
  w.uncork();
  log('after-3-uncork', w.writableCorked, w.writableLength);
  w.uncork();
  log('extra-uncork', w.writableCorked);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'after-3-uncork', 0"] });

differential('end() while corked (even nested) uncorks fully and finishes', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'nextTick' });
  w.cork();
  w.cork();
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  log('end-ret-is-this', w.end('c', log.cb('end')) === w);
  log.snap(w, 'after-end');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ["'_writev'", "'cb', 'end'"] });

differential('uncork in process.nextTick batches all writes from the same tick', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 16, writev: true, how: 'nextTick' });
  w.cork();
  for (let i = 0; i < 5; i++) log('write', i, w.write(`p${i}`));
  process.nextTick(() => {
    log('uncork-in-tick');
    w.uncork();
  });
  log.marks('m');
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

differential('uncork() when not corked is a no-op', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'sync' });
  w.uncork();
  log.snap(w, 'after-uncork');
  w.write('z');
  w.end();
  await log.waitFor(w, 'close');
});

differential('cork while a write is in flight: the buffered tail goes to _writev when the first write completes after uncork', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'hold' });
  w.write('first', log.cb('first'));
  w.cork();
  w.write('second', log.cb('second'));
  w.write('third', log.cb('third'));
  w.uncork();
  log.snap(w, 'uncorked-while-writing');
  w.$release();
  log('released-first', w.$pending.length);
  await log.settle(1);
  w.$release();
  await log.settle(1);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'", "'cb', 'third'"] });

differential('first write completing while still corked does not flush the buffer', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'hold' });
  w.write('first');
  w.cork();
  w.write('second');
  w.write('third');
  w.$release();
  await log.settle(1);
  log.snap(w, 'still-corked');
  w.uncork();
  w.$release();
  await log.settle(1);
  w.end();
  await log.waitFor(w, 'close');
});

differential('_writev receives strings with their encodings when decodeStrings is false', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, decodeStrings: false, how: 'sync' });
  w.cork();
  w.write('abc');
  w.write('616263', 'hex');
  w.write(Buffer.from('buf'));
  w.write('YWJj', 'base64');
  log.snap(w, 'corked');
  w.uncork();
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'hex'"] });

differential('_writev error is delivered to every batched write callback, then error/close', async (impl, log) => {
  const w = new impl.Writable({
    highWaterMark: 100,
    write(chunk, enc, cb) { log('_write', chunk); cb(); },
    writev(chunks, cb) {
      log('_writev', chunks.length);
      process.nextTick(cb, new Error('writev failed'));
    },
  });
  log.track(w);
  w.cork();
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.write('c', log.cb('c'));
  w.uncork();
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['writev failed', "'cb', 'c'"] });

differential('write callbacks after a successful _writev are called in order, then drain', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 4, writev: true, how: 'immediate' });
  w.cork();
  for (let i = 0; i < 4; i++) log('write', w.write(`c${i}`, log.cb(`c${i}`)));
  w.uncork();
  await log.waitFor(w, 'drain');
  log.snap(w, 'after-drain');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'drain'", "'cb', 'c3'"] });

differential('a single buffered chunk is flushed with _write, not _writev', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'sync' });
  w.cork();
  w.write('only');
  w.uncork();
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'w', 'buf:\"only\"'"] });

differential('writes buffered behind an async _write are batched into _writev without cork', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'nextTick' });
  for (let i = 0; i < 4; i++) w.write(`n${i}`, log.cb(`n${i}`));
  log.snap(w, 'queued');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

differential('object-mode _writev receives objects and encodings', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, writev: true, how: 'sync' });
  w.cork();
  w.write({ a: 1 });
  w.write(42);
  w.write('str');
  w.write([1, 2]);
  log.snap(w, 'corked');
  w.uncork();
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });
