'use strict';

// The push mailbox holds runs: pushes of one length in a row are one run, so a steady flow of
// one chunk size (a fixed read size; every object-mode push) never fills it and the flowing loop
// makes no call into the core, however long it runs. Before, the mailbox held 32 lengths, and a
// flow of 64-byte chunks made two calls every 32 chunks (a third of its time).
//
// The counts come from the addon's entry points, wrapped before the package loads (this file
// runs in its own process). A count is not a timing.

const { test } = require('node:test');
const assert = require('node:assert');
const native = require('../lib/native');

const calls = new Map();
for (const name of ['rPush', 'rRead', 'rOp']) {
  const f = native[name];
  native[name] = function counted(...args) {
    calls.set(name, (calls.get(name) || 0) + 1);
    return f.apply(this, args);
  };
}
const coreCalls = () => [...calls.values()].reduce((a, b) => a + b, 0);

const { Readable } = require('..');
const { rdifferential } = require('./helpers/rtrace');

function flow(objectMode, sizes, n) {
  let i = 0;
  const r = new Readable({
    objectMode,
    read() {
      while (i < n) {
        const size = sizes[i % sizes.length];
        i++;
        if (!this.push(objectMode ? { i } : Buffer.alloc(size, 97))) return;
      }
      this.push(null);
    },
  });
  return r;
}

async function consume(r) {
  let units = 0;
  let chunks = 0;
  const before = coreCalls();
  r.on('data', (c) => { units += r.readableObjectMode ? 1 : c.length; chunks++; });
  await new Promise((resolve, reject) => { r.on('end', resolve); r.on('error', reject); });
  return { units, chunks, calls: coreCalls() - before };
}

test('a steady flow of one chunk size makes a bounded number of calls into the core, however long', async () => {
  const short = await consume(flow(false, [64], 20_000));
  const long = await consume(flow(false, [64], 200_000));
  assert.strictEqual(short.units, 20_000 * 64);
  assert.strictEqual(long.units, 200_000 * 64);
  // (was 2 per 32 chunks: 1,250 and 12,500)
  assert.ok(long.calls <= short.calls + 4, `calls grew with the length: ${short.calls} for 20,000 chunks, ${long.calls} for 200,000`);
  assert.ok(long.calls < 50, `${long.calls} calls for 200,000 chunks`);
});

test('an object-mode flow makes a bounded number of calls into the core, however long', async () => {
  const short = await consume(flow(true, [1], 20_000));
  const long = await consume(flow(true, [1], 200_000));
  assert.strictEqual(long.chunks, 200_000);
  assert.ok(long.calls <= short.calls + 4, `calls grew with the length: ${short.calls} for 20,000 objects, ${long.calls} for 200,000`);
});

test('stats() counts the pushes still in the mailbox and those folded', async () => {
  const sizes = [3, 3, 3, 5, 7, 7, 1, 2, 2, 2, 9, 4, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const r = new Readable({ highWaterMark: 1 << 20, read() {} });
  let bytes = 0;
  for (let i = 0; i < 3 * sizes.length; i++) {
    r.push(Buffer.alloc(sizes[i % sizes.length]));
    bytes += sizes[i % sizes.length];
    const s = r.stats();
    assert.strictEqual(s.pushes, i + 1);
    assert.strictEqual(s.bytesPushed, bytes);
    assert.strictEqual(s.buffered, bytes);
    assert.strictEqual(s.peakBuffered, bytes);
  }
  // A call folds the mailbox: the counts stay the same.
  const first = r.read(4);
  assert.strictEqual(first.length, 4);
  assert.strictEqual(r.stats().pushes, 3 * sizes.length);
  assert.strictEqual(r.stats().bytesPushed, bytes);
  assert.strictEqual(r.readableLength, bytes - 4);
  assert.strictEqual(r.stats().peakBuffered, bytes);
});

test('stats().peakBuffered is the most ever buffered, noted where the length falls', async () => {
  const r = new Readable({ highWaterMark: 1 << 20, read() {} });
  const peaks = [];
  for (let i = 0; i < 10; i++) r.push(Buffer.alloc(8));
  peaks.push(r.stats().peakBuffered);
  r.read(80); // everything, through the core
  for (let i = 0; i < 3; i++) r.push(Buffer.alloc(8));
  peaks.push(r.stats().peakBuffered);
  for (let i = 0; i < 10; i++) r.push(Buffer.alloc(8));
  peaks.push(r.stats().peakBuffered);
  // Flowing: the facade's own takes, one chunk at a time.
  await new Promise((resolve) => {
    r.on('data', () => {});
    setImmediate(resolve);
  });
  peaks.push(r.stats().peakBuffered, r.readableLength);
  assert.deepStrictEqual(peaks, [80, 80, 104, 104, 0]);
});

// Takes reach past the chunks the core knows into the runs, more runs than the mailbox holds
// start new ones on the ordinary path, and partial reads then cut chunks the core learned as
// runs: the lengths must come out as Node's.
for (const [what, sizes] of [
  ['one size', [64]],
  ['two sizes in turn (a run per push)', [5, 9]],
  ['runs of three', [4, 4, 4, 7, 7, 7, 1, 1, 1]],
  ['twenty sizes', Array.from({ length: 20 }, (_, k) => k + 1)],
]) {
  rdifferential(`a flow of ${what}, paused, then read in pieces: lengths as Node's`, async (impl, log) => {
    let i = 0;
    const r = new impl.Readable({
      highWaterMark: 50,
      read() {
        while (i < 400) {
          const size = sizes[i % sizes.length];
          i++;
          if (!this.push(Buffer.alloc(size, 97 + (i % 26)))) return;
        }
        this.push(null);
      },
    });
    let seen = 0;
    await new Promise((resolve) => {
      r.on('data', (c) => {
        seen++;
        if (seen % 97 === 0) log('data', seen, c.length, r.readableLength);
        if (seen === 300) { r.pause(); resolve(); }
      });
    });
    log('paused', r.readableLength, r.readableFlowing);
    r.removeAllListeners('data');
    await log.settle(2);
    for (let k = 0; k < 6; k++) {
      const c = r.read(7);
      log('read7', c && c.toString(), r.readableLength);
    }
    const rest = r.read();
    log('rest', rest && rest.length, r.readableLength);
    await log.settle(3);
    log('end', r.readableLength, r.readableEnded);
  });
}

// A paused read() without an amount (every `for await` step, a 'readable' handler's read) has a
// standing answer too (PAUSED_READ_READY): `_read`, then everything. It made two calls a read.
test('for await over a Readable makes a bounded number of calls into the core, however long', async () => {
  async function iterate(n) {
    let i = 0;
    const r = new Readable({
      read() {
        while (i < n) {
          i++;
          if (!this.push(Buffer.alloc(64, 98))) return;
        }
        this.push(null);
      },
    });
    const before = coreCalls();
    let bytes = 0;
    for await (const c of r) bytes += c.length;
    assert.strictEqual(bytes, n * 64);
    return coreCalls() - before;
  }
  const short = await iterate(20_000);
  const long = await iterate(200_000);
  // (was 2 per 16 KiB read: 158 and 1,564)
  assert.ok(long <= short + 4, `calls grew with the length: ${short} for 20,000 chunks, ${long} for 200,000`);
});

// (what a nested read() took, for the trace)
let nested = null;
function log2(c) {
  if (nested) nested('nested-read', c && c.toString());
}

for (const [what, body] of [
  ['pushes synchronously until full', (r, st) => { while (st.i < 40) { st.i++; if (!r.push(Buffer.from(`c${st.i};`))) return; } r.push(null); }],
  ['pushes nothing at once, then later', (r, st) => { if (st.i < 6) { st.i++; setImmediate(() => r.push(Buffer.from(`late${st.i};`))); } else r.push(null); }],
  ['pushes one chunk and ends', (r, st) => { st.i++; r.push(Buffer.from('only;')); r.push(null); }],
  ['reads again from inside _read', (r, st) => { st.i++; r.push(Buffer.from(`n${st.i};`)); if (st.i < 4) r.read(0); else if (st.i === 9) r.push(null); }],
  ['pushes, then reads from inside _read (a nested take)', (r, st) => { st.i++; r.push(Buffer.from(`p${st.i};`)); r.push(Buffer.from(`q${st.i};`)); if (st.i < 5) log2(r.read()); else r.push(null); }],
  ['reads from inside _read, then pushes', (r, st) => { st.i++; if (st.i < 5) log2(r.read()); r.push(Buffer.from(`s${st.i};`)); if (st.i >= 5) r.push(null); }],
  ['throws after a push', (r, st) => { st.i++; r.push(Buffer.from('x;')); if (st.i === 2) throw new Error('boom'); if (st.i > 4) r.push(null); }],
]) {
  rdifferential(`a paused read() whose _read ${what}: 'readable', read() and the flags as Node's`, async (impl, log) => {
    const st = { i: 0 };
    nested = log;
    const r = new impl.Readable({ highWaterMark: 16, read() { log('_read', st.i, this.readableLength); body(this, st); } });
    log.track(r, 'r');
    r.on('readable', () => {
      let c;
      while ((c = r.read()) !== null) log('read', c.toString(), r.readableLength, r._readableState.needReadable);
      log('read-null', r.readableLength, r._readableState.needReadable, r._readableState.reading);
    });
    r.on('error', (e) => log('error', e.message));
    await log.settle(12);
    log('end', r.readableLength, r.readableEnded, r.destroyed);
  });
}
