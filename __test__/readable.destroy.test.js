'use strict';

// destroy() / destroy(err), _destroy, _construct, signal, readableAborted,
// 'close' ordering, emitClose: false, autoDestroy: false.

const { rdifferential, source } = require('./helpers/rtrace');

rdifferential("destroy() while flowing: no more data, no 'end', 'close' on the next tick, readableAborted true", async (impl, log) => {
  const r = source(impl, log, { chunks: ['a', 'b', 'c', 'd'], how: 'nextTick' });
  r.on('data', (c) => {
    log('data', c);
    if (c.toString() === 'b') {
      log('destroy-is-this', r.destroy() === r);
      log.rsnap(r, 'after-destroy');
      log.marks('m');
    }
  });
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
  await log.settle(2);
}, { expect: ["'destroy-is-this', true", 'readableAborted: true', "'emit', 'r', 'close'"] });

rdifferential("destroy(err) while paused: 'error' then 'close', errored holds the error", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.pause();
  log.push(r, 'buffered');
  r.on('close', () => log.rsnap(r, 'in-close'));
  r.destroy(new Error('boom'));
  log.rsnap(r, 'after-destroy');
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'r', 'error'", 'boom'] });

rdifferential('destroy() with buffered data: the data is never emitted, read() returns null', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'one');
  log.push(r, 'two');
  r.destroy();
  log.rsnap(r, 'after-destroy');
  log.read(r);
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
  log.push(r, 'late');
  await log.settle(2);
}, { expect: ["'emit', 'r', 'close'"] });

rdifferential('destroy() synchronously inside _read: a push after it returns false and is dropped', async (impl, log) => {
  const r = new impl.Readable({
    read(size) {
      log('_read', size);
      this.destroy();
      log.push(this, 'after-destroy');
    },
  });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'push', [ 'after-destroy' ], false"] });

rdifferential('destroy() while an asynchronous _read is pending: the late push is ignored', async (impl, log) => {
  const r = source(impl, log, { how: 'immediate', chunks: ['late'] });
  log.read(r, 0);
  r.destroy();
  await log.waitFor(r, 'close');
  await log.settle(3);
  log.rsnap(r, 'after-late-push');
}, { expect: ["'push', 'r', 'late', false"] });

rdifferential('_destroy(err, cb) receives the error and may replace it; called once', async (impl, log) => {
  const r = new impl.Readable({
    read() {},
    destroy(err, cb) {
      log('_destroy', err);
      setImmediate(() => cb(new Error('replaced')));
    },
  });
  log.track(r, 'r');
  r.destroy(new Error('original'));
  r.destroy(new Error('second'));
  log.rsnap(r, 'after-destroy');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'_destroy', { error: true, name: 'Error', code: undefined, message: 'original' }", 'replaced'] });

rdifferential('_destroy(null, cb) for a plain destroy(); cb() without an error emits only close', async (impl, log) => {
  class R extends impl.Readable {
    _read() {}

    _destroy(err, cb) {
      log('_destroy', err, arguments.length);
      process.nextTick(cb);
    }
  }
  const r = new R();
  log.track(r, 'r');
  r.destroy();
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'_destroy', null, 2"] });

rdifferential('_construct (sync callback): _read waits for it; read() before it returns null', async (impl, log) => {
  const r = new impl.Readable({
    construct(cb) {
      log('_construct');
      cb();
    },
    read(size) {
      log('_read', size);
      this.push('x');
      this.push(null);
    },
  });
  log.track(r, 'r');
  log.read(r);
  log.rsnap(r, 'after-first-read');
  r.on('data', (c) => log('data', c));
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'_construct'", "'data', 'buf:\"x\"'"] });

rdifferential('_construct (async callback): _read waits for the callback, data pushed before it still flows', async (impl, log) => {
  let done;
  const r = new impl.Readable({
    highWaterMark: 4,
    construct(cb) {
      log('_construct');
      done = cb;
    },
    read(size) {
      log('_read', size, this.readableLength);
      this.push(null);
    },
  });
  log.track(r, 'r');
  log.push(r, 'pre');
  log.read(r, 0);
  r.on('data', (c) => log('data', c));
  await log.settle(3);
  log.rsnap(r, 'before-construct-cb');
  done();
  log.marks('after-cb');
  await log.waitFor(r, 'close');
}, { expect: ["'rsnap', 'before-construct-cb'", "'data', 'buf:\"pre\"'"] });

rdifferential("_construct calling back with an error: 'error' then 'close', _read never called", async (impl, log) => {
  const r = new impl.Readable({
    construct(cb) {
      log('_construct');
      setImmediate(() => cb(new Error('construct failed')));
    },
    read() {
      log('_read');
    },
  });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['construct failed'] });

rdifferential('signal aborted while flowing: AbortError, then close; readableAborted true', async (impl, log) => {
  const ac = new AbortController();
  const r = source(impl, log, { signal: ac.signal, how: 'nextTick', chunks: ['s1', 's2', 's3', 's4'] });
  r.on('data', (c) => {
    log('data', c);
    if (c.toString() === 's2') {
      ac.abort();
      log.rsnap(r, 'after-abort');
    }
  });
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['AbortError', 'ABORT_ERR'] });

rdifferential('a signal that is already aborted destroys the stream at construction', async (impl, log) => {
  const r = source(impl, log, { signal: AbortSignal.abort(), chunks: ['never'] });
  log.rsnap(r, 'constructed');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log('reads', r.$reads);
}, { expect: ['AbortError'] });

rdifferential("readableAborted: false after a normal end, true after destroy() before 'end'", async (impl, log) => {
  const a = source(impl, log, { chunks: ['x'], label: 'a' });
  a.resume();
  await log.waitFor(a, 'close');
  log('a.readableAborted', a.readableAborted);
  const b = source(impl, log, { chunks: ['x'], label: 'b' });
  b.push('y');
  b.push(null);
  b.destroy();
  await log.waitFor(b, 'close');
  log('b.readableAborted', b.readableAborted, b.readableEnded);
}, { expect: ["'a.readableAborted', false", "'b.readableAborted', true"] });

rdifferential("'close' ordering with autoDestroy: 'end' then 'close' on the next tick, with tick markers", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('data', (c) => log('data', c));
  r.on('end', () => {
    log.rsnap(r, 'in-end');
    log.marks('in-end');
  });
  r.on('close', () => log.rsnap(r, 'in-close'));
  await log.settle(1);
  log.push(r, 'last');
  log.push(r, null);
  log.marks('after-eof');
  await log.waitFor(r, 'close');
  await log.settle(2);
}, { expect: ["'rsnap', 'in-end'", "'rsnap', 'in-close'"] });

rdifferential("emitClose: false: no 'close' event after end or destroy, but closed/destroyed are set", async (impl, log) => {
  const a = source(impl, log, { emitClose: false, chunks: ['x'], label: 'a' });
  a.resume();
  await log.waitFor(a, 'end');
  await log.settle(3);
  log.rsnap(a, 'a-after-end');
  const b = source(impl, log, { emitClose: false, how: 'manual', label: 'b' });
  b.destroy(new Error('b-err'));
  await log.settle(3);
  log.rsnap(b, 'b-after-destroy');
}, { expect: ["'rsnap', 'a-after-end'", 'b-err'] });

rdifferential("autoDestroy: false: after 'end' the stream is not destroyed and no 'close' until destroy()", async (impl, log) => {
  const r = source(impl, log, { autoDestroy: false, chunks: ['x'] });
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'end');
  await log.settle(3);
  log.rsnap(r, 'after-end');
  r.destroy();
  await log.waitFor(r, 'close');
  log.rsnap(r, 'after-destroy');
}, { expect: ['destroyed: false', "'emit', 'r', 'close'"] });

rdifferential("autoDestroy: false: an emitted error (push after EOF) does not destroy the stream", async (impl, log) => {
  const r = source(impl, log, { autoDestroy: false, how: 'manual' });
  log.push(r, null);
  log.push(r, 'late');
  await log.settle(3);
  log.rsnap(r, 'after-error');
}, { expect: ['ERR_STREAM_PUSH_AFTER_EOF'] });

rdifferential('destroy() twice: the second call is a no-op returning this; destroy(err) after destroy() emits no error', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log('first', r.destroy() === r);
  log('second', r.destroy() === r);
  log('third-with-error', r.destroy(new Error('ignored')) === r);
  log.rsnap(r, 'after');
  await log.waitFor(r, 'close');
  await log.settle(2);
  log.rsnap(r, 'closed');
}, { expect: ["'second', true"] });

rdifferential("destroy() before the scheduled resume: no 'resume', no data, no _read", async (impl, log) => {
  const r = source(impl, log, { chunks: ['x'] });
  r.on('data', (c) => log('data', c));
  r.destroy();
  log.marks('m');
  await log.waitFor(r, 'close');
  log('reads', r.$reads);
}, { expect: ["'reads', 0"] });

rdifferential("destroy(err) inside a 'data' handler: no further data, errored set before 'error' listeners run", async (impl, log) => {
  const r = source(impl, log, { chunks: ['a', 'b', 'c'] });
  r.on('data', (c) => {
    log('data', c);
    r.destroy(new Error('stop'));
  });
  r.on('error', (e) => log('error-listener', e.message, r.errored === e, r.destroyed));
  await log.waitFor(r, 'close');
}, { expect: ["'error-listener', 'stop', true, true"] });
