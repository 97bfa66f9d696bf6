'use strict';

// Invalid chunks and argument handling of write()/end().

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

const INVALID = {
  number: 42,
  object: {},
  undefined: undefined,
  boolean: true,
  array: [1, 2],
  function: function f() {},
  symbol: Symbol('s'),
};

for (const [kind, value] of Object.entries(INVALID)) {
  differential(`write(${kind}) throws ERR_INVALID_ARG_TYPE synchronously and changes nothing`, async (impl, log) => {
    const w = sink(impl, log, { how: 'sync' });
    log.call(`write-${kind}`, () => w.write(value, log.cb('never')));
    log.snap(w, 'after');
    log('still-writes', w.write('ok'));
    w.end();
    await log.waitFor(w, 'close');
  }, { expect: ['ERR_INVALID_ARG_TYPE'] });
}

differential('write() with no arguments throws ERR_INVALID_ARG_TYPE', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('write-none', () => w.write());
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

differential('end(invalid chunk) throws ERR_INVALID_ARG_TYPE and does not end the stream', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('end-number', () => w.end(1, log.cb('end-cb')));
  log.snap(w, 'after-bad-end');
  log.call('end-ok', () => w.end());
  await log.waitFor(w, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

differential('invalid chunk after end() throws ERR_INVALID_ARG_TYPE before the write-after-end check', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end();
  log.call('write-number-after-end', () => w.write(5));
  await log.waitFor(w, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

differential('Uint8Array chunk becomes a Buffer in _write', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.write(new Uint8Array([104, 105]), (err) => log('cb', err));
  const u8 = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 5);
  w.write(u8);
  w.on('finish', () => log('finish-len', w.writableLength));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['buf:hex:020304'] });

differential('other ArrayBufferViews (Uint16Array, Float32Array, DataView) become Buffers over the same bytes', async (impl, log) => {
  const seen = [];
  const w = new impl.Writable({
    write(chunk, enc, cb) {
      seen.push([Buffer.isBuffer(chunk), chunk.length, chunk.toString('hex'), enc]);
      cb();
    },
  });
  log.track(w);
  w.write(new Uint16Array([1, 0x0203]));
  w.write(new Float32Array([1.5]));
  w.write(new DataView(new ArrayBuffer(3)));
  log('len-during', w.writableLength);
  w.end();
  await log.waitFor(w, 'close');
  log('seen', seen);
}, { expect: ['000000'] });

differential('ArrayBuffer (not a view) is rejected with ERR_INVALID_ARG_TYPE', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('write-arraybuffer', () => w.write(new ArrayBuffer(2)));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_INVALID_ARG_TYPE'] });

differential('write(chunk, cb) form: function in the encoding slot is the callback', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick' });
  log('write', w.write('a', log.cb('as-encoding')));
  log('write', w.write('b', null, log.cb('null-encoding')));
  log('write', w.write('c', undefined, log.cb('undefined-encoding')));
  log('write', w.write('d', 'utf8', 'not-a-function'));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'null-encoding'"] });

differential('end() argument forms: end(cb), end(chunk, cb), end(chunk, encoding, cb)', async (impl, log) => {
  const a = sink(impl, log, { how: 'sync', label: 'a' });
  const b = sink(impl, log, { how: 'sync', label: 'b' });
  const c = sink(impl, log, { how: 'sync', label: 'c' });
  a.end(log.cb('a-end'));
  b.end('bee', log.cb('b-end'));
  c.end('6363', 'hex', log.cb('c-end'));
  await Promise.all([log.waitFor(a), log.waitFor(b), log.waitFor(c)]);
}, { expect: ["'cb', 'c-end'", 'buf:"cc"'] });

differential('Writable.prototype.pipe emits ERR_STREAM_CANNOT_PIPE', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('pipe', () => w.pipe(sink(impl, log, { label: 'other' })));
  await log.settle(2);
  log.snap(w, 'after');
}, { expect: ['ERR_STREAM_CANNOT_PIPE'] });
