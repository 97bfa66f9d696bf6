'use strict';

// The smaller statics and keys: Readable._fromList, Writable.writeKnownBuffer (Node 26),
// Readable.prototype[Symbol.for('Stream.toAsyncStreamable')] (Node 24, behind a flag), the
// inherited statics of Duplex / Transform / PassThrough, and the module's drive-only utilities
// on the module's streams.

const { sdifferential, kinds, attempt } = require('./helpers/surface');

sdifferential('Readable._fromList(n, state): what read(n) would take from the buffer', async (impl, log) => {
  const mk = (opts) => {
    const r = new impl.Readable({ read() {}, ...opts });
    r.push('ab');
    r.push('cd');
    return r;
  };
  log('all', impl.Readable._fromList(0, mk()._readableState));
  log('three', impl.Readable._fromList(3, mk()._readableState));
  log('one', impl.Readable._fromList(1, mk()._readableState));
  log('strings', impl.Readable._fromList(3, mk({ encoding: 'utf8' })._readableState));
  log('object', impl.Readable._fromList(5, mk({ objectMode: true })._readableState));
  log('empty', impl.Readable._fromList(1, new impl.Readable({ read() {} })._readableState));
}, { expect: ["'three', 'buf:\"abc\"'"] });

sdifferential('Writable.writeKnownBuffer(stream, chunk) where the running Node has it', async (impl, log) => {
  const W = impl.Writable;
  log('has', typeof W.writeKnownBuffer);
  if (typeof W.writeKnownBuffer !== 'function') return;
  const got = [];
  const w = log.track(new W({
    highWaterMark: 4,
    write(c, e, cb) {
      got.push([String(c), e]);
      process.nextTick(cb);
    },
  }), 'w');
  log('fresh', W.writeKnownBuffer(w, Buffer.from('ab')), w.writableLength); // sync phase: undefined
  w.write('w1');
  log('writing', W.writeKnownBuffer(w, Buffer.from('x')), w.writableLength);
  await log.settle(3);
  log('idle', W.writeKnownBuffer(w, Buffer.from('abcdef')), w.writableLength, w.writableNeedDrain);
  log('queued', W.writeKnownBuffer(w, Buffer.from('x')), w.writableLength);
  log('string', W.writeKnownBuffer(new W({ write(c, e, cb) { cb(); } }), 'str'));
  await log.waitFor(w, ['drain']);
  await log.settle(3);
  log('after-drain', W.writeKnownBuffer(w, Buffer.from('yz')), got);
  w.cork();
  log('corked', W.writeKnownBuffer(w, Buffer.from('c')));
  w.uncork();
  w.end();
  await log.waitFor(w, ['close']);
  log('ended', W.writeKnownBuffer(w, Buffer.from('e')));
});

sdifferential('toAsyncStreamable where the running Node has it: refuses without --experimental-stream-iter', async (impl, log) => {
  const key = Symbol.for('Stream.toAsyncStreamable');
  const r = impl.Readable.from(['a']);
  log('has', typeof r[key]);
  if (typeof r[key] === 'function') await attempt(impl, log, 'call', () => r[key]());
  r.destroy();
});

sdifferential('inherited statics: Transform.from / PassThrough.from are Duplex.from; Duplex.wrap is Readable.wrap', async (impl, log) => {
  log('transform-from', impl.Transform.from === impl.Duplex.from, impl.PassThrough.fromWeb === impl.Duplex.fromWeb);
  log('duplex-wrap', impl.Duplex.wrap === impl.Readable.wrap, impl.Duplex.ReadableState === impl.Readable.ReadableState);
  const t = impl.Transform.from(['q']);
  log('kinds', kinds(impl, t), await t.toArray());
  log('duplex-readable-from', impl.Duplex.prototype.map === impl.Readable.prototype.map);
});

sdifferential('the module\'s drive-only utilities on the module\'s streams', async (impl, log) => {
  const S = impl.Stream;
  const r = impl.Readable.from(['a']);
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log('fresh', S.isReadable(r), S.isWritable(w), S.isDestroyed(r), S.isDisturbed(r), S.isErrored(r));
  await r.toArray();
  log('read', S.isReadable(r), S.isDisturbed(r), S.isDestroyed(r));
  S.destroy(w, new Error('x'));
  w.on('error', () => {});
  await new Promise((resolve) => setImmediate(resolve));
  log('destroyed', S.isWritable(w), S.isDestroyed(w), S.isErrored(w));
  log('buffers', S._isArrayBufferView(new Uint16Array(1)), S._isUint8Array(Buffer.alloc(1)));
});

const { test } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { since } = require('../lib/node-version');

test('toAsyncStreamable under --experimental-stream-iter yields what node:stream\'s yields', {
  skip: !since.TO_ASYNC_STREAMABLE && 'the running Node has no toAsyncStreamable',
}, () => {
  const run = (mod) => JSON.parse(execFileSync(process.execPath,
    ['--no-warnings', '--experimental-stream-iter', path.join(__dirname, 'fixtures', 'stream-iter.js'), mod],
    { encoding: 'utf8' }));
  const node = run('stream');
  assert.deepStrictEqual(run(path.join(__dirname, '..')), node);
  assert.ok(node.bytes.length >= 2 && node.errors.length === 2, JSON.stringify(node));
});
