'use strict';

// objectMode: arbitrary values, falsy values, one object per read().

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const { rdifferential, source } = require('./helpers/rtrace');

rdifferential('objectMode: non-buffer values are emitted as-is (same identity)', async (impl, log) => {
  const values = [{ a: 1 }, [1, 2], 'str', 42, Buffer.from('buf'), new Date(0)];
  const r = source(impl, log, { objectMode: true, chunks: values });
  let i = 0;
  r.on('data', (c) => log('data', c, c === values[i++]));
  await log.waitFor(r, 'close');
}, { expect: ["'data', { a: 1 }, true", "'data', 42, true"] });

rdifferential("objectMode: falsy values 0, '' and false are data, not EOF; null ends", async (impl, log) => {
  const r = source(impl, log, { objectMode: true, chunks: [0, '', false, NaN] });
  r.on('data', (c) => log('data', c, r.readableLength));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'data', 0", "'data', ''", "'data', false"] });

rdifferential('objectMode: push(undefined) is treated the way Node does', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, how: 'manual' });
  log.push(r, undefined);
  log.rsnap(r, 'after-undefined');
  log.push(r, 'next');
  log.read(r);
  log.read(r);
  await log.settle(2);
}, { expect: ["'rsnap', 'after-undefined'"] });

rdifferential('objectMode: read() returns one object at a time, read(n) ignores n', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, how: 'manual' });
  for (const v of ['x', 'y', 'z', 'w']) log.push(r, v);
  log.read(r);
  log.read(r, 100);
  log.read(r, 0);
  log.read(r, 1);
  log.rsnap(r, 'after-reads');
  await log.settle(2);
}, { expect: ["'read', [ 100 ], 'y', 2"] });

rdifferential("objectMode with 'readable': readableLength counts objects", async (impl, log) => {
  const r = source(impl, log, { objectMode: true, highWaterMark: 2, chunks: [{ k: 1 }, { k: 2 }, { k: 3 }], how: 'nextTick' });
  r.on('readable', () => {
    log('readable', r.readableLength);
    let c;
    while ((c = r.read()) !== null) log('obj', c, r.readableLength);
  });
  await log.waitFor(r, 'close');
}, { expect: ["'obj', { k: 3 }"] });

rdifferential('objectMode: readableObjectMode, readableHighWaterMark and _read size for an explicit mark', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, highWaterMark: 5, chunks: [1, 2] });
  log.rsnap(r, 'fresh');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'_read', 'r', 5, 0", 'readableObjectMode: true'] });

rdifferential('readableObjectMode option on a Duplex makes only the readable side object-mode', async (impl, log) => {
  const d = new impl.Duplex({ readableObjectMode: true, read() {}, write(c, e, cb) { cb(); } });
  log.track(d, 'd');
  log('modes', d.readableObjectMode, d.writableObjectMode, d.readableHighWaterMark, d.writableHighWaterMark);
  log.push(d, 7);
  log.read(d);
  await log.settle(2);
}, { expect: [`'modes', true, false, 16, ${D}`] });
