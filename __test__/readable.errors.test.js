'use strict';

// Errors: what is thrown vs emitted, error codes, and the state after an error.

const { rdifferential, source } = require('./helpers/rtrace');

rdifferential('a Readable without _read emits ERR_METHOD_NOT_IMPLEMENTED on the first read', async (impl, log) => {
  const r = new impl.Readable();
  log.track(r, 'r');
  log.read(r);
  log.rsnap(r, 'after-read');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['ERR_METHOD_NOT_IMPLEMENTED'] });

rdifferential('_read throwing synchronously: the exception is emitted as error, not thrown from read()', async (impl, log) => {
  const r = new impl.Readable({
    read() {
      log('_read');
      throw new Error('read threw');
    },
  });
  log.track(r, 'r');
  log.read(r);
  log.rsnap(r, 'after-read');
  await log.waitFor(r, 'close');
}, { expect: ['read threw'] });

rdifferential('invalid highWaterMark options throw ERR_INVALID_ARG_VALUE from the constructor', async (impl, log) => {
  for (const hwm of [-1, NaN, 'x', 1.5, Infinity]) {
    try {
      const r = new impl.Readable({ highWaterMark: hwm, read() {} });
      log('ok', hwm, r.readableHighWaterMark);
    } catch (err) {
      log('threw', hwm, err);
    }
  }
  try {
    const r = new impl.Readable({ readableHighWaterMark: 3, read() {} });
    log('readableHighWaterMark-option', r.readableHighWaterMark);
  } catch (err) {
    log('threw', err);
  }
}, { expect: ['ERR_INVALID_ARG_VALUE'] });

rdifferential('an unknown defaultEncoding throws ERR_UNKNOWN_ENCODING from the constructor, after the mark is checked (Node test-stream-readable-default-encoding)', async (impl, log) => {
  for (const enc of ['', 0, false, null, undefined, 'UTF8', 'buffer', 'latin1', 'Hex', 'my invalid encoding']) {
    try {
      const r = new impl.Readable({ read() {}, defaultEncoding: enc });
      log('ok', enc, r._readableState.defaultEncoding);
    } catch (err) {
      log('threw', enc, err);
    }
  }
  for (const options of [{ defaultEncoding: 'bad1', encoding: 'bad2' }, { defaultEncoding: 'bad1', highWaterMark: -1 }]) {
    try {
      new impl.Readable(options);
    } catch (err) {
      log('threw', err);
    }
  }
  try {
    new impl.Duplex({ defaultEncoding: 'bad1' });
  } catch (err) {
    log('duplex threw', err);
  }
}, { expect: ['ERR_UNKNOWN_ENCODING'] });

rdifferential('iterator() with options that are not an object throws Node\'s ERR_INVALID_ARG_TYPE (of type object)', async (impl, log) => {
  for (const options of [42, [], null, () => {}, 'x']) {
    try {
      new impl.Readable({ read() {} }).iterator(options);
      log('ok', typeof options);
    } catch (err) {
      log('threw', err);
    }
  }
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

rdifferential("after an error: no 'end', readable false, read() returns null, errored is the error", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('data', (c) => log('data', c));
  await log.settle(1);
  log.push(r, 'before');
  r.destroy(new Error('mid-stream'));
  log.push(r, null);
  log.read(r);
  log.rsnap(r, 'after-error');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['mid-stream', 'readable: false'] });

rdifferential('destroy(non-Error value) emits that value as the error', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.destroy('just a string');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'emit', 'r', 'error', 'just a string'"] });

rdifferential("an 'error' from a second failure is not emitted twice", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 1);
  log.push(r, 2);
  r.destroy(new Error('third'));
  await log.waitFor(r, 'close');
  await log.settle(2);
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

rdifferential('ERR_STREAM_PUSH_AFTER_EOF while flowing: data before EOF is delivered, then error, no end', async (impl, log) => {
  const r = new impl.Readable({
    read() {
      log('_read');
      log.push(this, 'only');
      log.push(this, null);
      log.push(this, 'extra');
    },
  });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['ERR_STREAM_PUSH_AFTER_EOF'] });

rdifferential('destroy(err) with a callback-style _destroy that swallows the error (cb()): no error event', async (impl, log) => {
  const r = new impl.Readable({
    read() {},
    destroy(err, cb) {
      log('_destroy', err);
      cb();
    },
  });
  log.track(r, 'r');
  r.destroy(new Error('swallowed'));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['swallowed'] });

rdifferential('an error during async iteration is thrown out of for await, stream destroyed', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  setImmediate(() => {
    r.push('first');
    setImmediate(() => r.destroy(new Error('iter-fail')));
  });
  try {
    for await (const c of r) log('iter', c);
    log('loop-ended');
  } catch (err) {
    log('caught', err);
  }
  log.rsnap(r, 'after');
}, { expect: ["'caught', { error: true, name: 'Error', code: undefined, message: 'iter-fail' }"] });
