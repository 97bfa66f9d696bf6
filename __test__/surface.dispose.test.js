'use strict';

// readable[Symbol.asyncDispose]() / writable[...]: destroy with an AbortError unless ended /
// finished, resolve once closed (null from a plain function on Node 20, undefined from an async
// function from 22), reject with another error the stream had.

const { sdifferential, attempt } = require('./helpers/surface');

sdifferential('Readable asyncDispose: destroys an unfinished stream with AbortError, resolves on close', async (impl, log) => {
  const r = log.track(new impl.Readable({ read() {} }), 'r');
  const p = r[Symbol.asyncDispose]();
  log('sync', r.destroyed, p instanceof Promise);
  await attempt(impl, log, 'dispose', () => p);
  log.rsnap(r, 'after');
}, { expect: ['AbortError'] });

sdifferential('Readable asyncDispose of an ended stream: no error', async (impl, log) => {
  const r = log.track(impl.Readable.from(['a']), 'r');
  r.resume();
  await log.waitFor(r, ['end']);
  await attempt(impl, log, 'dispose', () => r[Symbol.asyncDispose]());
  await attempt(impl, log, 'again', () => r[Symbol.asyncDispose]());
});

sdifferential('Readable asyncDispose of a stream that already errored rejects with that error', async (impl, log) => {
  const r = log.track(new impl.Readable({ read() {} }), 'r');
  r.destroy(new Error('earlier'));
  await attempt(impl, log, 'dispose', () => r[Symbol.asyncDispose]());
}, { expect: ['earlier'] });

sdifferential('Writable asyncDispose: unfinished → AbortError (swallowed), finished → clean, errored → rejects', async (impl, log) => {
  const w1 = log.track(new impl.Writable({ write(c, e, cb) { cb(); } }), 'w1');
  w1.write('x');
  await attempt(impl, log, 'unfinished', () => w1[Symbol.asyncDispose]());
  const w2 = log.track(new impl.Writable({ write(c, e, cb) { cb(); } }), 'w2');
  w2.end('y');
  await log.waitFor(w2, ['finish']);
  await attempt(impl, log, 'finished', () => w2[Symbol.asyncDispose]());
  const w3 = log.track(new impl.Writable({ write(c, e, cb) { cb(new Error('write failed')); } }), 'w3');
  w3.write('z');
  await log.settle(2);
  await attempt(impl, log, 'errored', () => w3[Symbol.asyncDispose]());
}, { expect: ['write failed'] });

sdifferential('Duplex / Transform use the Readable dispose', async (impl, log) => {
  const d = log.track(new impl.PassThrough(), 'd');
  log('same', d[Symbol.asyncDispose] === impl.Readable.prototype[Symbol.asyncDispose]);
  await attempt(impl, log, 'dispose', () => d[Symbol.asyncDispose]());
}, { expect: ["'same', true"] });
