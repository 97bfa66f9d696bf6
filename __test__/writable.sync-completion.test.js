'use strict';

// A write without a callback that completes during `_write`/`_writev`: Node settles it at once
// (`pendingcb` drops now) unless a 'drain' is due now or the stream is in object mode, and then
// it stays counted until one after-write tick (at most one pending; any after-write step clears
// it). This decides when an end() in between finishes. During a pass over the queue, the stream
// is not finished from inside it (the queue counts as buffered until the pass ends), and
// `bufferProcessing` is true inside `_writev` too.

const { differential } = require('./helpers/trace');

for (const objectMode of [false, true]) {
  const chunk = (s) => (objectMode ? { s } : s);
  differential(`a queued write completing synchronously while a 'drain' is owed, then end() (objectMode: ${objectMode})`, async (impl, log) => {
    let n = 0;
    let held;
    const w = new impl.Writable({
      highWaterMark: 2,
      objectMode,
      write(c, e, cb) {
        log('_write', c, this._writableState.pendingcb);
        if (n++ === 0) held = cb;
        else cb();
      },
    });
    log.track(w, 'w');
    log('writes', w.write(chunk('abc')), w.write(chunk('d')), w.write(chunk('e')));
    await log.settle(1);
    held();
    log('pendingcb', w._writableState.pendingcb);
    w.end(log.cb('end'));
    log.marks('m1');
    process.nextTick(() => log.marks('m2'));
    await log.settle(3);
  });

  differential(`several queued writes completing synchronously in one pass, then end() (objectMode: ${objectMode})`, async (impl, log) => {
    let n = 0;
    let held;
    const w = new impl.Writable({
      highWaterMark: 100,
      objectMode,
      write(c, e, cb) {
        log('_write', c, this._writableState.pendingcb, this._writableState.bufferProcessing);
        if (n++ === 0) held = cb;
        else cb();
      },
    });
    log.track(w, 'w');
    w.write(chunk('a'));
    w.write(chunk('b'));
    w.write(chunk('c'), log.cb('c'));
    w.write(chunk('d'));
    await log.settle(1);
    held();
    log('pendingcb', w._writableState.pendingcb);
    w.end(log.cb('end'));
    log.marks('m1');
    process.nextTick(() => log.marks('m2'));
    await log.settle(3);
  });
}

differential('_writev completing synchronously during end(): bufferProcessing inside it, then finish', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
    writev(chunks, cb) {
      log('_writev', chunks.length, this._writableState.bufferProcessing, this._writableState.pendingcb);
      cb();
      log('after-cb', this._writableState.pendingcb, this.writableFinished);
    },
    final(cb) {
      log('_final');
      cb();
    },
  });
  log.track(w, 'w');
  w.cork();
  w.write('a');
  w.write('b');
  w.end(log.cb('end'));
  log('after-end', w._writableState.bufferProcessing, w._writableState.pendingcb);
  log.marks('m1');
  await log.settle(3);
}, { expect: ["'_writev', 2, true"] });

differential("a callback-less write completing synchronously while a callback write's tick is pending is settled at once", async (impl, log) => {
  let n = 0;
  let held;
  const w = new impl.Writable({
    highWaterMark: 2,
    write(c, e, cb) {
      log('_write', c, this._writableState.pendingcb);
      if (n++ === 0) held = cb;
      else cb();
    },
  });
  log.track(w, 'w');
  log('writes', w.write('abc'), w.write('d', log.cb('d')), w.write('e'), w.write('f'));
  await log.settle(1);
  held();
  log('pendingcb', w._writableState.pendingcb);
  w.end(log.cb('end'));
  log.marks('m1');
  process.nextTick(() => log.marks('m2'));
  await log.settle(3);
});

// Node decides write()'s return value after `_write` returns, from the length then: writes made
// from inside `_write` (re-entrant) count.
for (const how of ['sync', 'async']) {
  differential(`write() inside _write (${how} completion): the outer write() answers from the length after _write`, async (impl, log) => {
    let inner = true;
    const w = new impl.Writable({
      highWaterMark: 8,
      write(c, e, cb) {
        log('_write', c, this.writableLength);
        if (inner) {
          inner = false;
          log('inner', this.write('123456789', log.cb('inner')), this.writableLength, this.writableNeedDrain);
        }
        if (how === 'sync') cb();
        else process.nextTick(cb);
      },
    });
    log.track(w, 'w');
    log('outer', w.write('abc', log.cb('outer')), w.writableLength, w.writableNeedDrain);
    log('next', w.write('d'), w.writableLength);
    await log.settle(3);
    w.end();
    await log.settle(2);
  }, { expect: ["'drain'"] });
}
