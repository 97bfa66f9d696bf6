'use strict';

// objectMode: highWaterMark counted in objects, arbitrary values, null.

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

differential('object mode defaults to highWaterMark 16 objects; write returns false at the 16th', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, how: 'hold', quiet: true });
  log.snap(w, 'fresh');
  const rets = [];
  for (let i = 0; i < 18; i++) rets.push(w.write({ i }));
  log('rets', rets);
  log.snap(w, 'full');
  while (w.$pending.length) {
    w.$release();
    await log.settle(1);
  }
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['writableHighWaterMark: 16', "'drain'"] });

differential('object mode with a custom highWaterMark of 3', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, highWaterMark: 3, how: 'nextTick' });
  for (let i = 0; i < 5; i++) log('write', i, w.write(`obj${i}`), w.writableLength, w.writableNeedDrain);
  await log.waitFor(w, 'drain');
  log.snap(w, 'drained');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'write', 2, false"] });

differential('object mode passes non-buffer values through unchanged (numbers, objects, arrays, false, 0, empty string, undefined)', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, how: 'sync' });
  const values = [1, 0, false, true, '', 'text', { a: { b: 2 } }, [1, 'x'], Symbol.for('s'), 10n, undefined, Buffer.from('b')];
  for (const v of values) log('write', w.write(v));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'w', undefined"] });

differential('object mode: encoding argument is passed through to _write for strings', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, how: 'sync' });
  log('write', w.write('abc', 'hex'));
  log('write', w.write('abc'));
  log('write', w.write({ x: 1 }, 'latin1', log.cb('obj')));
  w.end();
  await log.waitFor(w, 'close');
});

differential('write(null) throws ERR_STREAM_NULL_VALUES in object mode and leaves state untouched', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, how: 'sync' });
  log.call('write-null', () => w.write(null));
  log.call('write-null-cb', () => w.write(null, log.cb('null-cb')));
  log.snap(w, 'after');
  log.call('end-null', () => w.end(null));
  await log.waitFor(w, 'close');
}, { expect: ['ERR_STREAM_NULL_VALUES'] });

differential('write(null) throws ERR_STREAM_NULL_VALUES in byte mode too', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('write-null', () => w.write(null));
  log.snap(w, 'after');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_STREAM_NULL_VALUES'] });

differential('object mode highWaterMark 0 and writableObjectMode property', async (impl, log) => {
  const w = sink(impl, log, { objectMode: true, highWaterMark: 0, how: 'nextTick' });
  log.snap(w, 'fresh');
  log('write', w.write({}), w.writableLength);
  await log.settle(2);
  w.end({ last: true });
  await log.waitFor(w, 'close');
}, { expect: ['writableObjectMode: true'] });

differential('writableObjectMode option is ignored by a plain Writable (only objectMode counts)', async (impl, log) => {
  const w = sink(impl, log, { writableObjectMode: true, how: 'sync' });
  log.snap(w, 'fresh');
  log.call('write-object', () => w.write({ a: 1 }));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

differential('writableHighWaterMark option is ignored by a plain Writable (the default mark applies)', async (impl, log) => {
  const w = sink(impl, log, { writableHighWaterMark: 5, how: 'nextTick' });
  log.snap(w, 'fresh');
  log('write', w.write('123456'));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: [`writableHighWaterMark: ${D}`] });
