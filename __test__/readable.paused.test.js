'use strict';

// Paused mode: 'readable', read() / read(0) / read(n), highWaterMark raising,
// read() after end, 'readable' together with 'data', removing 'readable'.

const { rdifferential, source } = require('./helpers/rtrace');
const { since } = require('../lib/node-version');

rdifferential("'readable' listener: emitted once data is buffered; read() returns the whole buffer concatenated", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('readable', () => {
    log.rsnap(r, 'in-readable');
    log.read(r);
  });
  log.rsnap(r, 'after-on-readable');
  log.push(r, 'ab');
  log.push(r, 'cd');
  log.marks('m');
  await log.settle(3);
  log.push(r, null);
  await log.waitFor(r, 'close');
}, { expect: [since.READ_ONE_CHUNK ? "'read', [], 'buf:\"ab\"', 2" : "'read', [], 'buf:\"abcd\"', 0", 'readableFlowing: false'] });

rdifferential('read(0) triggers _read without consuming and returns null', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, chunks: ['abc', 'def'], end: false });
  log.read(r, 0);
  log.rsnap(r, 'after-read0');
  log.read(r, 0);
  log.rsnap(r, 'after-second-read0');
  log.marks('m');
  await log.settle(3);
  log.rsnap(r, 'settled');
}, { expect: ["'read', [ 0 ], null"] });

rdifferential('read(n) smaller than the buffer returns n bytes and leaves the rest', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 16, how: 'manual' });
  log.push(r, 'hello');
  log.push(r, 'world');
  log.read(r, 3);
  log.read(r, 4);
  log.read(r, 3);
  log.rsnap(r, 'after');
  await log.settle(2);
}, { expect: ["'read', [ 3 ], 'buf:\"hel\"', 7", "'read', [ 4 ], 'buf:\"lowo\"', 3"] });

rdifferential('read(n) larger than the buffer returns null before EOF, and the remainder after EOF', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 16, how: 'manual' });
  log.push(r, 'abc');
  log.read(r, 10);
  log.rsnap(r, 'after-short-read');
  log.marks('m');
  await log.settle(2);
  log.push(r, null);
  log.read(r, 10);
  log.read(r, 10);
  log.marks('m2');
  await log.waitFor(r, 'close');
}, { expect: ["'read', [ 10 ], null, 3", "'read', [ 10 ], 'buf:\"abc\"'"] });

rdifferential('read(n) above the highWaterMark raises readableHighWaterMark to the next power of two', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 4, how: 'manual' });
  log.push(r, 'abcdef');
  log.read(r, 5);
  log('hwm', r.readableHighWaterMark);
  log.read(r, 100);
  log('hwm', r.readableHighWaterMark);
  log.read(r, 1000);
  log('hwm', r.readableHighWaterMark);
  log.push(r, null);
  log.read(r, 1000);
  await log.waitFor(r, 'close');
}, { expect: ["'hwm', 8", "'hwm', 128", "'hwm', 1024"] });

rdifferential('read() after end returns null and emits nothing more', async (impl, log) => {
  const r = source(impl, log, { chunks: ['q'] });
  r.on('readable', () => log.read(r));
  await log.waitFor(r, 'close');
  log.read(r);
  log.read(r, 0);
  log.read(r, 5);
  log.rsnap(r, 'after');
  await log.settle(2);
}, { expect: ["'emit', 'r', 'end'", "'read', [ 5 ], null, 0"] });

rdifferential("the canonical while ((chunk = read()) !== null) loop in 'readable'", async (impl, log) => {
  const chunks = Array.from({ length: 8 }, (_, i) => `k${i}`);
  const r = source(impl, log, { highWaterMark: 6, chunks, how: 'nextTick' });
  r.on('readable', () => {
    log('readable', r.readableLength);
    let c;
    while ((c = r.read()) !== null) log('chunk', c);
  });
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'chunk', 'buf:\"k7\"'"] });

rdifferential("'readable' with read(n) loop: reads fixed-size records across chunk boundaries", async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, chunks: ['12', '3456', '789', '0ab', 'c'], how: 'immediate' });
  r.on('readable', () => {
    let c;
    while ((c = r.read(4)) !== null) log('record', c, r.readableLength);
    log('readable-done', r.readableLength);
  });
  await log.waitFor(r, 'close');
}, { expect: ["'record', 'buf:\"5678\"'", "'record', 'buf:\"c\"'"] });

rdifferential("'readable' and 'data' together: 'readable' wins (not flowing), data is emitted by read()", async (impl, log) => {
  const r = source(impl, log, { chunks: ['p', 'q'], how: 'nextTick' });
  r.on('data', (c) => log('data', c));
  r.on('readable', () => {
    log('readable');
    log.read(r);
  });
  log.rsnap(r, 'after-listeners');
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"p\"'", 'readableFlowing: false'] });

rdifferential("removing the 'readable' listener with a 'data' listener present resumes flowing on the next tick", async (impl, log) => {
  const r = source(impl, log, { chunks: ['m1', 'm2', 'm3'], how: 'immediate' });
  const onReadable = () => log('readable', r.readableLength);
  r.on('readable', onReadable);
  r.on('data', (c) => log('data', c));
  await log.settle(2);
  log.rsnap(r, 'before-remove');
  r.removeListener('readable', onReadable);
  log.rsnap(r, 'after-remove');
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'rsnap', 'after-remove'", "'data', 'buf:\"m3\"'"] });

rdifferential("removing the 'readable' listener without 'data' listeners leaves the stream paused", async (impl, log) => {
  const r = source(impl, log, { chunks: ['m1', 'm2'] });
  const onReadable = () => log('readable', r.readableLength);
  r.on('readable', onReadable);
  await log.settle(2);
  r.removeListener('readable', onReadable);
  await log.settle(2);
  log.rsnap(r, 'after-remove');
  log.read(r);
  await log.settle(2);
  log.rsnap(r, 'end');
}, { expect: ["'rsnap', 'after-remove'"] });

rdifferential("'readable' is emitted for EOF too, where read() returns null", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  r.on('readable', () => {
    log('readable', r.readableLength, r.readableEnded);
    log.read(r);
  });
  log.push(r, 'x');
  await log.settle(2);
  log.push(r, null);
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'read', [], null, 0"] });

rdifferential('readableDidRead flips to true on the first read() call, even read(0)', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log('didRead', r.readableDidRead);
  log.push(r, 'a');
  log('didRead', r.readableDidRead);
  log.read(r, 0);
  log('didRead', r.readableDidRead);
  await log.settle(2);
}, { expect: ["'didRead', false"] });

rdifferential('read() on a fresh stream with nothing pushed yet calls _read and returns null', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 5, how: 'immediate', chunks: ['first'] });
  log.read(r);
  log.rsnap(r, 'after-read');
  await log.settle(3);
  log.rsnap(r, 'settled');
  log.read(r);
  await log.settle(3);
  log.read(r);
  await log.waitFor(r, 'close');
}, { expect: ["'read', [], null, 0"] });

rdifferential("a 'readable' listener added after data was buffered fires on the next tick", async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'early');
  await log.settle(2);
  r.on('readable', () => {
    log('readable');
    log.read(r);
  });
  log.marks('m');
  await log.settle(3);
}, { expect: ["'read', [], 'buf:\"early\"'"] });
