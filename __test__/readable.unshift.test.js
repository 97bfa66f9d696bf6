'use strict';

// unshift(): putting data back at the front of the buffer.

const { rdifferential, source } = require('./helpers/rtrace');
const { since } = require('../lib/node-version');

rdifferential('unshift() puts a chunk back at the front; the next read() returns it first', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, how: 'manual' });
  log.push(r, 'body');
  log.unshift(r, 'head');
  log.rsnap(r, 'after-unshift');
  log.read(r, 4);
  log.read(r);
  log.unshift(r, Buffer.from('again'));
  log.read(r, 2);
  log.read(r);
  await log.settle(2);
}, { expect: ["'read', [ 4 ], 'buf:\"head\"'", "'read', [ 2 ], 'buf:\"ag\"'"] });

rdifferential("header parser: read() in 'readable', unshift the bytes after the separator", async (impl, log) => {
  const r = source(impl, log, { chunks: ['HEAD', 'ER\n\nbo', 'dy-1', '-body-2'], how: 'nextTick' });
  let header = '';
  const onReadable = () => {
    let c;
    while ((c = r.read()) !== null) {
      const s = c.toString();
      const at = s.indexOf('\n\n');
      if (at === -1) {
        header += s;
        continue;
      }
      header += s.slice(0, at);
      r.removeListener('readable', onReadable);
      log('header', header);
      log.unshift(r, Buffer.from(s.slice(at + 2)));
      r.on('data', (d) => log('body', d));
      return;
    }
  };
  r.on('readable', onReadable);
  await log.waitFor(r, 'close');
}, { expect: ["'header', 'HEADER'", "'body', 'buf:\"bo\"'"] });

rdifferential('unshift() while flowing emits the chunk before buffered data', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, how: 'manual' });
  let first = true;
  r.on('data', (c) => {
    log('data', c);
    if (first) {
      first = false;
      log.unshift(r, 'U');
    }
  });
  await log.settle(1);
  log.push(r, 'A');
  log.push(r, 'B');
  await log.settle(2);
  log.push(r, null);
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"U\"'"] });

rdifferential("unshift() after the 'end' event emits ERR_STREAM_UNSHIFT_AFTER_END_EVENT", async (impl, log) => {
  const r = source(impl, log, { chunks: ['z'], autoDestroy: false });
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'end');
  await log.settle(1);
  log.unshift(r, 'late');
  log.rsnap(r, 'after-unshift');
  log.marks('m');
  await log.settle(3);
}, { expect: ['ERR_STREAM_UNSHIFT_AFTER_END_EVENT'] });

rdifferential('unshift() after push(null) but before end is emitted is allowed', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'tail');
  log.push(r, null);
  log.unshift(r, 'front-');
  log.rsnap(r, 'after-unshift');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"front-\"'"] });

rdifferential('unshift() of an empty chunk and of a string with an encoding', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, 'x');
  log.unshift(r, '');
  log.unshift(r, '7a', 'hex');
  log.read(r);
  await log.settle(2);
}, { expect: [since.READ_ONE_CHUNK ? "'read', [], 'buf:\"z\"'" : "'read', [], 'buf:\"zx\"'"] });

rdifferential('unshift() in objectMode puts the object back', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, how: 'manual' });
  log.push(r, { n: 1 });
  log.push(r, { n: 2 });
  const first = log.read(r);
  log.unshift(r, first);
  log.unshift(r, 0);
  log.read(r);
  log.read(r);
  log.read(r);
  await log.settle(2);
}, { expect: ["'read', [], 0"] });

rdifferential('unshift() of an invalid chunk in byte mode emits ERR_INVALID_ARG_TYPE', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.unshift(r, 5);
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });
