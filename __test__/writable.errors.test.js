'use strict';

// Errors from _write/_final, multiple callbacks, missing _write, bad options.

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const { differential } = require('./helpers/trace');

function erroringWritable(impl, log, how, opts = {}) {
  let n = 0;
  const w = new impl.Writable({
    highWaterMark: 8,
    ...opts,
    write(chunk, enc, cb) {
      n++;
      log('_write', chunk, this.writableLength);
      const err = n === (opts.failAt || 1) ? new Error(`write failed #${n}`) : null;
      if (how === 'sync') cb(err);
      else if (how === 'nextTick') process.nextTick(cb, err);
      else setImmediate(cb, err);
    },
  });
  log.track(w);
  return w;
}

for (const how of ['sync', 'nextTick', 'immediate']) {
  differential(`_write calls back with an error (${how}): write cb, error, close ordering; buffered callbacks get the error`, async (impl, log) => {
    const w = erroringWritable(impl, log, how);
    log('write-a', w.write('aaaa', log.cb('a')));
    log('write-b', w.write('bbbb', log.cb('b')));
    log('write-c', w.write('cccc', log.cb('c')));
    w.end(log.cb('end'));
    log.snap(w, 'after-sync');
    log.marks('m');
    await log.waitFor(w, 'close');
    log.snap(w, 'closed');
    await log.settle(1);
  }, { expect: ['write failed #1', "'cb', 'c'"] });
}

differential('error from a later _write (second chunk) with async callback', async (impl, log) => {
  const w = erroringWritable(impl, log, 'nextTick', { failAt: 2 });
  w.write('one', log.cb('one'));
  w.write('two', log.cb('two'));
  w.write('three', log.cb('three'));
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['write failed #2'] });

differential('write()/end() after a _write error has auto-destroyed the stream: callbacks get ERR_STREAM_DESTROYED', async (impl, log) => {
  const w = erroringWritable(impl, log, 'sync');
  w.write('x', log.cb('x'));
  await log.settle(1);
  log.snap(w, 'errored');
  log('write-after-error', w.write('y', log.cb('y')));
  log('end-after-error', w.end(log.cb('end')) === w);
  await log.settle(3);
}, { expect: ['write failed #1', 'ERR_STREAM_DESTROYED'] });

differential('autoDestroy: false + _write error: error emitted, no close, not destroyed', async (impl, log) => {
  const w = erroringWritable(impl, log, 'nextTick', { autoDestroy: false });
  w.write('x', log.cb('x'));
  w.write('y', log.cb('y'));
  await log.settle(3);
  log.snap(w, 'errored-not-destroyed');
  w.end(log.cb('end'));
  await log.settle(2);
  w.destroy();
  await log.settle(2);
  log.snap(w, 'destroyed');
}, { expect: ['write failed #1', 'destroyed: false'] });

differential('_write throws synchronously: the exception propagates out of write()', async (impl, log) => {
  const w = new impl.Writable({
    write(chunk) {
      log('_write', chunk);
      throw new Error('thrown in _write');
    },
  });
  log.track(w);
  log.call('write', () => w.write('x', log.cb('x')));
  log.snap(w, 'after-throw');
  log.call('write2', () => w.write('y', log.cb('y')));
  log.snap(w, 'after-write2');
  await log.settle(2);
}, { expect: ['thrown in _write'] });

for (const how of ['sync', 'nextTick']) {
  differential(`_final calls back with an error (${how}): end cb gets the error, error then close, no finish`, async (impl, log) => {
    const w = new impl.Writable({
      write(c, e, cb) { cb(); },
      final(cb) {
        log('_final');
        const err = new Error('final failed');
        if (how === 'sync') cb(err);
        else process.nextTick(cb, err);
      },
    });
    log.track(w);
    w.write('x', log.cb('x'));
    w.end(log.cb('end'));
    log.snap(w, 'ended');
    log.marks('m');
    await log.waitFor(w, 'close');
    log.snap(w, 'closed');
  }, { expect: ['final failed', "'cb', 'end'"] });
}

differential('_final throws: treated like an error callback', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    final() { throw new Error('final threw'); },
  });
  log.track(w);
  w.end(log.cb('end'));
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['final threw'] });

differential('_write calling back twice emits ERR_MULTIPLE_CALLBACK', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      cb();
      cb();
    },
  });
  log.track(w);
  log('write', w.write('x', log.cb('x')));
  log.snap(w, 'after-write');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['ERR_MULTIPLE_CALLBACK'] });

differential('_write calling back twice asynchronously emits ERR_MULTIPLE_CALLBACK', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      setImmediate(() => {
        cb();
        cb();
      });
    },
  });
  log.track(w);
  w.write('x', log.cb('x'));
  await log.waitFor(w, 'close');
}, { expect: ['ERR_MULTIPLE_CALLBACK'] });

differential('_final calling back twice emits ERR_MULTIPLE_CALLBACK', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    final(cb) {
      cb();
      cb();
    },
  });
  log.track(w);
  w.end(log.cb('end'));
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['ERR_MULTIPLE_CALLBACK'] });

differential('missing _write: write() throws ERR_METHOD_NOT_IMPLEMENTED', async (impl, log) => {
  const w = new impl.Writable();
  log.track(w);
  log.call('write', () => w.write('x', log.cb('x')));
  log.snap(w, 'after');
  await log.settle(2);
}, { expect: ['ERR_METHOD_NOT_IMPLEMENTED'] });

differential('only _writev implemented: a single write goes through _writev', async (impl, log) => {
  const w = new impl.Writable({
    writev(chunks, cb) {
      log('_writev', chunks.map((c) => [c.chunk, c.encoding]));
      cb();
    },
  });
  log.track(w);
  log('write', w.write('solo', log.cb('solo')));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

for (const [label, hwm] of [['-1', -1], ["'x'", 'x'], ['NaN', NaN], ['1.5', 1.5], ['{}', {}], ['Infinity', Infinity], ["'16'", '16'], ['true', true]]) {
  differential(`highWaterMark ${label} throws ERR_INVALID_ARG_VALUE from the constructor`, async (impl, log) => {
    log.call('ctor', () => new impl.Writable({ highWaterMark: hwm, write(c, e, cb) { cb(); } }).writableHighWaterMark);
    log.call('ctor-objectMode', () => new impl.Writable({ objectMode: true, highWaterMark: hwm, write(c, e, cb) { cb(); } }).writableHighWaterMark);
  }, { expect: ['ERR_INVALID_ARG_VALUE'] });
}

differential('accepted highWaterMark values: null/undefined give defaults, 0 and large integers are kept', async (impl, log) => {
  for (const hwm of [null, undefined, 0, 1, 2 ** 31, -0]) {
    log.call(`hwm-${String(hwm)}`, () => new impl.Writable({ highWaterMark: hwm }).writableHighWaterMark);
    log.call(`hwm-obj-${String(hwm)}`, () => new impl.Writable({ objectMode: true, highWaterMark: hwm }).writableHighWaterMark);
  }
  log.call('no-options', () => new impl.Writable().writableHighWaterMark);
  log.call('empty-options', () => new impl.Writable({}).writableHighWaterMark);
}, { expect: [`'ret', 'hwm-null', ${D}`, "'ret', 'hwm-obj-null', 16"] });

differential('errored property and writable flag across an async _write error', async (impl, log) => {
  const w = erroringWritable(impl, log, 'immediate');
  w.write('x');
  log.snap(w, 'writing');
  w.on('error', () => log.snap(w, 'in-error'));
  w.on('close', () => log.snap(w, 'in-close'));
  await log.waitFor(w, 'close');
}, { expect: ['write failed #1'] });

differential('error listeners (once/prepend) all see the _write error in registration order', async (impl, log) => {
  const w = erroringWritable(impl, log, 'sync');
  w.once('error', (e) => log('once-error', e));
  w.prependListener('error', () => log('prepended-error'));
  w.write('x');
  await log.waitFor(w, 'close');
}, { expect: ["'once-error'"] });
