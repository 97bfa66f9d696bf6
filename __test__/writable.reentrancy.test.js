'use strict';

// Re-entrant use: writing/ending/destroying from inside _write, callbacks and
// event listeners; long buffers; error precedence; public property surface.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

differential('write() called from inside _write (synchronous callback) is processed after the current chunk', async (impl, log) => {
  let n = 0;
  const w = new impl.Writable({
    highWaterMark: 4,
    write(chunk, enc, cb) {
      n++;
      log('_write-enter', chunk, this.writableLength);
      if (n === 1) log('inner-write', this.write('inner', log.cb('inner')));
      cb();
      log('_write-exit', chunk, this.writableLength);
    },
  });
  log.track(w);
  log('outer-write', w.write('outer', log.cb('outer')));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'inner-write'", "'cb', 'inner'"] });

differential('end() called from inside _write before its callback', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      this.end('tail', log.cb('end'));
      log.snap(this, 'in-write-after-end');
      process.nextTick(cb);
    },
  });
  log.track(w);
  log('write', w.write('head', log.cb('head')));
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'end'"] });

differential('write from a finish listener fails with ERR_STREAM_WRITE_AFTER_END', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.on('finish', () => log('write-in-finish', w.write('late', log.cb('late'))));
  w.end('x');
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['ERR_STREAM_WRITE_AFTER_END'] });

differential('destroy() from a drain listener', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 2, how: 'nextTick' });
  w.on('drain', () => {
    log('destroy-in-drain');
    w.destroy();
  });
  w.write('abc', log.cb('abc'));
  await log.waitFor(w, 'close');
  log('write-after', w.write('x', log.cb('x')));
  await log.settle(2);
}, { expect: ["'destroy-in-drain'"] });

differential('write callbacks chaining further writes keep order and drain semantics', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 3, how: 'immediate' });
  let i = 0;
  function next(err) {
    log('cb', i, err);
    if (i < 4) log('write', i, w.write(`c${i++}`, next));
    else w.end();
  }
  log('write', i, w.write(`c${i++}`, next));
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 4"] });

differential('uncork() from inside a write callback flushes the corked tail', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 100, writev: true, how: 'nextTick' });
  w.write('first', () => {
    log('first-cb', w.writableCorked, w.writableLength);
    w.uncork();
  });
  w.cork();
  w.write('a');
  w.write('b');
  await log.settle(3);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

differential('cork() then destroy(): corked writes get ERR_STREAM_DESTROYED', async (impl, log) => {
  const w = sink(impl, log, { writev: true, how: 'sync' });
  w.cork();
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.destroy();
  log.snap(w, 'destroyed');
  await log.waitFor(w, 'close');
  await log.settle(2);
}, { expect: ['ERR_STREAM_DESTROYED'] });

differential('300 buffered writes behind one slow write are flushed in order (buffer compaction path)', async (impl, log) => {
  let first = true;
  let held;
  const order = [];
  const w = new impl.Writable({
    highWaterMark: 64,
    write(chunk, enc, cb) {
      order.push(chunk.toString());
      if (first) {
        first = false;
        held = cb;
      } else if (order.length % 50 === 0) {
        setImmediate(cb);
      } else {
        cb();
      }
    },
  });
  log.track(w);
  const rets = [];
  let cbs = 0;
  for (let i = 0; i < 300; i++) rets.push(w.write(`${i},`, () => cbs++));
  log('falses', rets.filter((r) => !r).length, 'len', w.writableLength);
  held();
  await log.waitFor(w, 'drain');
  log('after-drain', order.length, cbs, w.writableLength);
  w.end();
  await log.waitFor(w, 'close');
  const expected = Array.from({ length: 300 }, (_, i) => `${i},`).join('');
  log('in-order', order.join('') === expected, order.length, cbs);
}, { expect: ["'in-order', true, 300, 300"] });

differential('destroy(err2) after a _write error keeps the first error as errored; error emitted once', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) { process.nextTick(cb, new Error('first')); },
  });
  log.track(w);
  w.write('x', log.cb('x'));
  await log.settle(1);
  w.destroy(new Error('second'), log.cb('destroy-cb'));
  log.snap(w, 'after-second');
  await log.settle(3);
}, { expect: ['first'] });

differential('destroy(err) while errored-but-not-yet-emitted: only the first error is emitted', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) { cb(new Error('first-sync')); },
  });
  log.track(w);
  w.write('x', log.cb('x'));
  w.destroy(new Error('second'));
  log.snap(w, 'after');
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['first-sync'] });

differential('_writev batch where only some writes have callbacks', async (impl, log) => {
  const w = sink(impl, log, { writev: true, how: 'nextTick' });
  w.cork();
  w.write('a');
  w.write('b', log.cb('b'));
  w.write('c');
  w.write('d', log.cb('d'));
  w.uncork();
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'd'"] });

differential('public writable* property surface on the prototype chain (names and values)', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  const names = new Set();
  for (let p = w; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (/^writable|^(closed|destroyed|errored)$/.test(k)) names.add(k);
  }
  const sorted = [...names].sort();
  log('names', sorted);
  log('values', sorted.map((k) => [k, w[k]]));
}, { expect: ['writableNeedDrain'] });

differential('own enumerable keys of a fresh instance (visible to util.inspect / console.log)', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log('own-keys', Object.keys(w));
  log('own-symbols', Object.getOwnPropertySymbols(w).length);
});

differential('listener bookkeeping: no listeners are left behind by write/end/finish (except the harness error listener)', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick', highWaterMark: 2 });
  const counts = () => ['close', 'finish', 'drain', 'error', 'prefinish', 'unpipe'].map((e) => [e, w.listenerCount(e)]);
  log('fresh', counts());
  w.write('abc');
  w.end();
  log('ended', counts());
  await log.waitFor(w, 'close');
  log('closed', counts());
});

// ---------------------------------------------------------------------------
// end() from inside _write (fuzz class 6). Node's end() runs its finish check at once: with the
// current write still in flight nothing happens then, and the completion of that write (sync or
// not) is what emits 'prefinish' -- before write() returns when the callback is synchronous --
// and schedules 'finish'.

differential("end() inside _write with a synchronous callback: 'prefinish' before write() returns, then 'finish'", async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      w.end();
      log.snap(w, 'in-write-after-end');
      cb();
      log('after-cb');
    },
  });
  log.track(w);
  log.marks('m');
  log('write', w.write('b'));
  log.snap(w, 'after-write');
  await log.waitFor(w, 'close');
}, { expect: ["'emit', 'w', 'prefinish' ]\n[ 'after-cb' ]", "'emit', 'w', 'finish'"] });

differential('end(chunk, cb) inside _write with a synchronous callback: the tail is written after the current chunk', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      if (String(chunk) === 'b') log('end-is-this', w.end('tail', log.cb('end')) === w);
      cb();
      log('after-cb', chunk);
    },
  });
  log.track(w);
  log.marks('m');
  log('write', w.write('b', log.cb('b')));
  log.snap(w, 'after-write');
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'buf:\"tail\"'", "'cb', 'end', 1, null"] });

for (const how of ['nextTick', 'microtask', 'immediate']) {
  differential(`end(cb) inside _write, write callback on a later ${how}`, async (impl, log) => {
    const w = new impl.Writable({
      write(chunk, enc, cb) {
        log('_write', chunk);
        w.end(log.cb('end'));
        log.snap(w, 'in-write-after-end');
        if (how === 'nextTick') process.nextTick(cb);
        else if (how === 'microtask') queueMicrotask(cb);
        else setImmediate(cb);
      },
    });
    log.track(w);
    log.marks('m');
    log('write', w.write('b', log.cb('b')));
    log.snap(w, 'after-write');
    await log.waitFor(w, 'close');
  }, { expect: ["'cb', 'b', 1, null", "'cb', 'end', 1, null"] });
}

for (const how of ['sync', 'nextTick']) {
  differential(`end(cb) inside _write on a stream with a ${how} _final`, async (impl, log) => {
    const w = new impl.Writable({
      write(chunk, enc, cb) {
        log('_write', chunk);
        w.end(log.cb('end'));
        cb();
      },
      final(cb) {
        log('_final');
        if (how === 'sync') cb();
        else process.nextTick(cb);
      },
    });
    log.track(w);
    log.marks('m');
    log('write', w.write('b', log.cb('b')));
    log.snap(w, 'after-write');
    await log.waitFor(w, 'close');
  }, { expect: ["'_final'", "'cb', 'end', 1, null"] });
}

differential('end() inside the second of three buffered writes: the third is still written, then finish', async (impl, log) => {
  let n = 0;
  let held;
  const w = new impl.Writable({
    highWaterMark: 2,
    write(chunk, enc, cb) {
      log('_write', chunk);
      n++;
      if (n === 1) {
        held = cb;
        return;
      }
      if (n === 2) w.end('z', log.cb('end'));
      cb();
    },
  });
  log.track(w);
  log.marks('m');
  log('w1', w.write('a', log.cb('a')));
  log('w2', w.write('b', log.cb('b')));
  log('w3', w.write('c', log.cb('c')));
  held();
  log.snap(w, 'after-held');
  await log.waitFor(w, 'close');
  await log.settle(2);
}, { expect: ["'_write', 'buf:\"z\"'"] });

differential('end(cb) inside _writev with a synchronous callback', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) { log('_write', chunk); cb(); },
    writev(chunks, cb) {
      log('_writev', chunks.length);
      w.end(log.cb('end'));
      cb();
    },
  });
  log.track(w);
  log.marks('m');
  w.cork();
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.uncork();
  log.snap(w, 'after-uncork');
  await log.waitFor(w, 'close');
}, { expect: ["'_writev', 2", "'cb', 'end', 1, null"] });

differential('end() inside _write, then a write after end and a synchronous callback error', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      w.end(log.cb('end'));
      log('late-write', w.write('x', log.cb('x')));
      cb(new Error('boom'));
    },
  });
  log.track(w);
  log.marks('m');
  log('write', w.write('b', log.cb('b')));
  log.snap(w, 'after-write');
  await log.waitFor(w, 'close');
  await log.settle(2);
}, { expect: ['ERR_STREAM_WRITE_AFTER_END', 'boom'] });

differential("end() inside _write with objectMode and highWaterMark 0; a 'prefinish' listener writing", async (impl, log) => {
  const w = new impl.Writable({
    objectMode: true,
    highWaterMark: 0,
    write(chunk, enc, cb) {
      log('_write', chunk);
      w.end();
      cb();
    },
  });
  log.track(w);
  log.marks('m');
  w.on('prefinish', () => log('write-in-prefinish', w.write({ late: 1 }, log.cb('late'))));
  log('write', w.write({ a: 1 }, log.cb('a')));
  log.snap(w, 'after-write');
  await log.waitFor(w, 'close');
  await log.settle(2);
}, { expect: ["'write-in-prefinish', false"] });

// Node hands a batch to _writev and then resets its list: a write queued meanwhile (here behind
// a _write still in flight) is never written, stays counted, and the batch's callback, which
// walks the list, calls it back with no error. sluice follows (fuzz writable seeds 63028872,
// 63033916: the write came from an 'error' listener of a callback called twice).
differential('a write queued while _writev runs is dropped with the batch and called back with it', async (impl, log) => {
  let first = true;
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      setTimeout(cb, 1);
    },
    writev(chunks, cb) {
      log('_writev', chunks.map((c) => c.chunk));
      cb();
      if (first) {
        first = false;
        log('inner', w.write('inner', log.cb('inner')), w.write('queued', log.cb('queued')));
      }
    },
  });
  log.track(w);
  w.cork();
  log('write', w.write('a', log.cb('a')));
  log('write', w.write('b'));
  w.uncork();
  log.snap(w, 'after-uncork');
  await log.sleep(20);
  log.snap(w, 'later');
  log('buffered', w.writableBuffer.length);
}, { expect: ["'cb', 'queued'", "'buffered', 0"] });

differential('a write from inside _writev before its callback is dropped with the batch and called back with it', async (impl, log) => {
  let first = true;
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      log('_write', chunk);
      cb();
    },
    writev(chunks, cb) {
      log('_writev', chunks.map((c) => c.chunk));
      if (first) {
        first = false;
        log('inner', w.write('inner', log.cb('inner')));
      }
      cb();
    },
  });
  log.track(w);
  w.cork();
  log('write', w.write('a', log.cb('a')));
  log('write', w.write('b', log.cb('b')));
  w.uncork();
  await log.sleep(10);
  log.snap(w, 'later');
  w.end();
  await log.sleep(10);
  log.snap(w, 'after-end');
}, { expect: ["'cb', 'inner'"] });
