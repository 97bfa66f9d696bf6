// sluice's additions (issue 9): stats() agree with what is observed from outside; drain
// hysteresis, overflow policies and drained() behave as documented; defaults change nothing.
const test = require('node:test');
const assert = require('node:assert/strict');
const sluice = require('..');
const { Writable, Readable, Duplex } = sluice;

function slowSink(opts = {}) {
  return new Writable({ highWaterMark: 32, ...opts, write(c, e, cb) { setTimeout(cb, 1); } });
}

test('stats() counts writes, false returns and drains exactly as observed from outside', async () => {
  const w = slowSink();
  let falses = 0;
  let drains = 0;
  w.on('drain', () => drains++);
  for (let i = 0; i < 40; i++) {
    if (!w.write(`item ${i}\n`)) {
      falses++;
      await new Promise((r) => w.once('drain', r));
    }
  }
  await new Promise((r) => w.end(r));
  const s = w.stats();
  assert.equal(s.writes, 40);
  assert.equal(s.writeFalse, falses);
  assert.equal(s.drains, drains);
  assert.ok(falses > 0);
  assert.ok(s.peakBuffered >= 32 && s.peakBuffered < 32 + 10);
  assert.ok(s.pressureMs > 0 && s.longestPressureMs <= s.pressureMs);
  assert.equal(s.buffered, 0);
  assert.equal(s.underPressure, false);
});

test('stats() of a Readable: pushes, false returns, _read calls, peak', async () => {
  let reads = 0;
  let falses = 0;
  let n = 0;
  const r = new Readable({
    highWaterMark: 8,
    read() {
      reads++;
      if (n++ < 20) {
        if (!this.push('abcd')) falses++;
      } else this.push(null);
    },
  });
  for await (const _ of r); // eslint-disable-line no-unused-vars
  const s = r.stats();
  assert.equal(s.pushes, 20);
  assert.equal(s.bytesPushed, 80);
  assert.equal(s.readCalls, reads);
  assert.equal(s.pushFalse, falses);
  assert.ok(s.peakBuffered >= 4);
});

test('a Duplex reports both sides', () => {
  const d = new Duplex({ read() {}, write(c, e, cb) { cb(); } });
  d.write('abc');
  d.push('xy');
  const s = d.stats();
  assert.equal(s.writable.writes, 1);
  assert.equal(s.readable.pushes, 1);
});

test('lowWaterMark: drain fires when the buffer falls to the mark, not to zero', async () => {
  const w = new Writable({ highWaterMark: 16, lowWaterMark: 8, write(c, e, cb) { setTimeout(cb, 1); } });
  const seen = [];
  w.on('drain', () => seen.push(w.writableLength));
  for (let i = 0; i < 6; i++) w.write('abcdefgh');
  await new Promise((r) => w.once('drain', r));
  assert.deepEqual(seen, [8]);
  await new Promise((r) => w.end(r));
});

test('without lowWaterMark drain waits for an empty buffer, as Node', async () => {
  const w = new Writable({ highWaterMark: 16, write(c, e, cb) { setTimeout(cb, 1); } });
  const seen = [];
  w.on('drain', () => seen.push(w.writableLength));
  for (let i = 0; i < 6; i++) w.write('abcdefgh');
  await new Promise((r) => w.once('drain', r));
  assert.deepEqual(seen, [0]);
});

test('lowWaterMark must be below highWaterMark', () => {
  assert.throws(() => new Writable({ highWaterMark: 4, lowWaterMark: 4 }), { code: 'ERR_INVALID_ARG_VALUE' });
});

test("overflow 'drop-oldest' keeps memory bounded when backpressure is ignored, with a 'drop' per chunk", async () => {
  const written = [];
  const w = new Writable({ maxBuffered: 40, overflow: 'drop-oldest', write(c, e, cb) { written.push(c.toString()); setTimeout(cb, 1); } });
  const dropped = [];
  w.on('drop', (c) => dropped.push(c.toString()));
  let peak = 0;
  for (let i = 0; i < 100; i++) {
    w.write(`c${String(i).padStart(3, '0')}`);
    peak = Math.max(peak, w.writableLength);
  }
  await new Promise((r) => w.end(r));
  assert.ok(peak <= 40, `peak ${peak}`);
  assert.equal(written.length + dropped.length, 100);
  assert.equal(w.stats().dropped, dropped.length);
  assert.equal(written[written.length - 1], 'c099', 'the newest survive');
});

test("overflow 'drop-newest' drops the incoming chunk and write() returns false", async () => {
  const w = new Writable({ maxBuffered: 8, overflow: 'drop-newest', write(c, e, cb) { setTimeout(cb, 1); } });
  const dropped = [];
  w.on('drop', (c) => dropped.push(c.toString()));
  assert.equal(w.write('abcd'), true);
  w.write('efgh');
  assert.equal(w.write('ijkl'), false);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(dropped, ['ijkl']);
});

test("overflow 'error' errors the stream with ERR_SLUICE_BUFFER_OVERFLOW", async () => {
  const w = new Writable({ maxBuffered: 5, write(c, e, cb) { setTimeout(cb, 1); } });
  w.write('abc');
  const err = await new Promise((resolve) => {
    w.on('error', resolve);
    w.write('abc');
  });
  assert.equal(err.code, 'ERR_SLUICE_BUFFER_OVERFLOW');
});

test('drained() resolves at once without backpressure and after the drain with it', async () => {
  const w = slowSink({ highWaterMark: 4 });
  await w.drained();
  assert.equal(w.write('abcdef'), false);
  let done = false;
  const p = w.drained().then(() => (done = true));
  assert.equal(done, false);
  await p;
  assert.equal(w.writableNeedDrain, false);
  await sluice.drained(w);
  const node = new (require('node:stream').Writable)({ highWaterMark: 1, write(c, e, cb) { setImmediate(cb); } });
  node.write('xx');
  await sluice.drained(node);
});

test('monitor() samples stats over time without keeping the process alive', async () => {
  const w = slowSink();
  const m = sluice.monitor([w], { intervalMs: 5 });
  for (let i = 0; i < 30; i++) if (!w.write('0123456789')) await w.drained();
  await new Promise((r) => w.end(r));
  const samples = m.stop();
  assert.ok(samples.length >= 3);
  assert.ok(samples.some((s) => s.stats[0].buffered > 0));
  assert.ok(samples.every((s) => s.rss > 0));
});

test('stats() of writes that complete at once count one unit each in object mode, their bytes in byte mode', () => {
  const obj = new Writable({ objectMode: true, write(c, e, cb) { cb(); } });
  for (let i = 0; i < 5; i++) obj.write({ i });
  let s = obj.stats();
  assert.deepEqual([s.writes, s.bytesWritten, s.peakBuffered], [5, 5, 1]);
  // A call into the core (a write with a callback, then the queue) folds them the same way.
  obj.write({ i: 5 }, () => {});
  s = obj.stats();
  assert.deepEqual([s.writes, s.bytesWritten, s.peakBuffered], [6, 6, 1]);
  const bytes = new Writable({ write(c, e, cb) { cb(); } });
  for (const n of [3, 9, 4]) bytes.write(Buffer.alloc(n));
  s = bytes.stats();
  assert.deepEqual([s.writes, s.bytesWritten, s.peakBuffered], [3, 16, 9]);
});
