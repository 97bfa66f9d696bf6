'use strict';

// Writes a native sink must buffer (a write in flight, corked, or the file not open yet) are
// held by the sink as bytes (its native write queue), with no JS object for a write without a
// callback. Checked against node:stream doing the same: a Writable with the same completion
// timing. write()'s answers, writableLength after each write, callbacks, 'drain' and 'finish'
// must be Node's, and the bytes what Buffer.from gives, in order; an error fails what Node
// fails and keeps what was written before it; an exit writes every held byte.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const stream = require('node:stream');
const { spawnSync } = require('node:child_process');
const sluice = require('..');
const { prng } = require('./helpers/prng');
const { runSteps } = require('./helpers/steps');

const ROOT = path.resolve(__dirname, '..');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-held-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Node's peer: keeps the bytes; `later` completes each write (and writev) on a later turn, as a
// sink whose buffer is full does; otherwise at once.
function nodeSink({ later = false, construct = false, ...options } = {}) {
  const parts = [];
  const done = (cb) => (later ? setImmediate(cb) : cb());
  const w = new stream.Writable({
    ...options,
    construct: construct ? (cb) => cb() : undefined,
    write(chunk, encoding, cb) {
      parts.push(Buffer.from(chunk, encoding));
      done(cb);
    },
    writev(chunks, cb) {
      for (const { chunk, encoding } of chunks) parts.push(Buffer.from(chunk, encoding));
      done(cb);
    },
  });
  w.bytes = () => Buffer.concat(parts);
  return w;
}

// Runs `steps` (each [chunk, encoding?, withCallback?] or 'cork'/'uncork', or 'tick': wait for a
// turn of the loop), then waits for 'finish': a trace of answers, writableLength, callbacks and
// events.
async function trace(w, steps) {
  const log = [];
  for (const ev of ['drain', 'finish', 'error']) w.on(ev, () => log.push(ev));
  const finished = new Promise((r) => w.once('finish', r));
  await runSteps(
    w,
    steps,
    log,
    (x) => `${x.writableLength}/${x.writableNeedDrain}/${x.writableBuffer.length}`,
    (x) => `/${x.writableLength}`,
  );
  w.end(Buffer.from('END'));
  log.push(`ended/${w.writableLength}`);
  await finished;
  log.push(`end:${w.writableLength}`);
  return log;
}

// Strings in several encodings, Buffers, empty chunks, with and without callbacks, crossing the
// mark (16 KiB) so that write() answers false and 'drain' is owed.
function steps(first) {
  const s = [];
  if (first) s.push(first);
  const texts = [
    ['x'.repeat(100)],
    ['héllo wörld ✓ 🎉'],
    ['latin1 ÿþ', 'latin1'],
    ['6869', 'hex'],
    ['aGk=', 'base64'],
    ['aGk_', 'base64url'],
    ['hi ✓', 'utf16le'],
    ['ascii', 'ascii'],
    ['\ud83d'],
    ['\ude00'],
    [''],
    [Buffer.alloc(0)],
    [Buffer.from('buffer chunk')],
    [new Uint8Array([1, 2, 3])],
  ];
  for (let i = 0; i < 400; i++) {
    const [chunk, enc] = texts[i % texts.length];
    s.push([chunk, enc, i % 3 === 0]);
  }
  s.push(['y'.repeat(40000)]); // larger than half a block: held as it is
  s.push([Buffer.alloc(40000, 7), undefined, true]);
  s.push(['tail']);
  return s;
}

test('differential: corked writes held by the sink, with and without callbacks, in several encodings', async (t) => {
  for (const [name, make, options] of [
    ['MemorySink', () => new sluice.MemorySink()],
    ['WriteStream', (file) => sluice.createWriteStream(file)],
    ['NullSink', () => new sluice.NullSink()],
    // (a small mark: held bytes start in a small block, then full-size ones)
    ['MemorySink 1 KiB mark', () => new sluice.MemorySink({ highWaterMark: 1024 }), { highWaterMark: 1024 }],
  ]) {
    const file = path.join(tmpdir(t), name);
    const w = make(file);
    if (name === 'WriteStream') await new Promise((r) => w.once('ready', r));
    const all = ['cork', ...steps(), 'uncork', 'cork', ['more'], ['more', undefined, true]];
    const got = await trace(w, all);
    const ref = nodeSink(options);
    const want = await trace(ref, all);
    assert.deepStrictEqual(got, want, name);
    if (name === 'WriteStream') await new Promise((r) => (w.closed ? r() : w.once('close', r)));
    if (name === 'NullSink') assert.strictEqual(w.bytesWritten, ref.bytes().length);
    else assert.deepStrictEqual(name.startsWith('MemorySink') ? w.toBuffer() : fs.readFileSync(file), ref.bytes(), name);
  }
});

test('differential: writes before the file is open are held (pre-open), then written in order', async (t) => {
  const file = path.join(tmpdir(t), 'pre');
  const w = sluice.createWriteStream(file);
  const got = await trace(w, steps());
  const ref = nodeSink({ construct: true });
  const want = await trace(ref, steps());
  assert.deepStrictEqual(got, want);
  await new Promise((r) => (w.closed ? r() : w.once('close', r)));
  assert.deepStrictEqual(fs.readFileSync(file), ref.bytes());
});

test('differential: a full native buffer (a write in flight): later writes held, answers and events as Node', async () => {
  // A native buffer of 4 KiB: the first write fills it and waits for room; everything after it
  // is held until that write completes, then handed over in one batch (as Node's writev).
  const w = new sluice.MemorySink({ nativeBufferSize: 4096 });
  const first = [Buffer.alloc(4096, 1)];
  const got = await trace(w, steps(first));
  const ref = nodeSink({ later: true });
  const want = await trace(ref, steps(first));
  assert.deepStrictEqual(got, want);
  assert.deepStrictEqual(w.toBuffer(), ref.bytes());
});

test('NullSink past the turn budget: held writes counted without entries of their own; bytesWritten exact', async () => {
  const w = new sluice.NullSink();
  const chunk = Buffer.alloc(64, 1);
  let n = 0;
  let held = 0;
  // Written until write() says false, as the canonical loop does; the budget of the turn runs
  // out (1 MiB), and the rest are held.
  for (let i = 0; i < 40000; i++) {
    n += 64;
    if (!w.write(i % 2 ? chunk : 'x'.repeat(64))) {
      held = w.writableBuffer.length;
      break;
    }
  }
  assert.ok(held > 1, `held ${held}`);
  assert.strictEqual(new Set(w.writableBuffer).size, 1);
  await new Promise((r) => w.once('drain', r));
  await new Promise((r) => w.end(r));
  assert.strictEqual(w.bytesWritten, n);
});

test('held writes without callbacks keep no object each: one shared entry', async () => {
  const w = new sluice.MemorySink({ nativeBufferSize: 4096 });
  w.write(Buffer.alloc(4096));
  for (let i = 0; i < 1000; i++) w.write(`line ${i}\n`);
  w.write('with callback', () => {});
  const q = w.writableBuffer;
  assert.strictEqual(q.length, 1001);
  assert.strictEqual(new Set(q.slice(0, 1000)).size, 1, 'one entry object for all callback-less writes');
  assert.notStrictEqual(q[1000], q[0]);
  let want = 4096;
  for (let i = 0; i < 1000; i++) want += `line ${i}\n`.length;
  assert.strictEqual(w.writableLength, want + 'with callback'.length);
  await new Promise((r) => w.end(r));
  assert.strictEqual(w.toBuffer().length, want + 'with callback'.length);
});

test('a backlog of held writes larger than the native buffer goes over as room allows: every byte in order, drain once', async () => {
  const w = new sluice.ThrottleSink({ delayMs: 1, nativeBufferSize: 8192 });
  const m = new sluice.MemorySink({ nativeBufferSize: 8192 });
  let drains = 0;
  m.on('drain', () => drains++);
  const parts = [];
  let falses = 0;
  for (let i = 0; i < 20000; i++) {
    const s = `${i} ${'z'.repeat(i % 50)}\n`;
    parts.push(Buffer.from(s));
    if (!m.write(s)) falses++;
    w.write(s);
  }
  assert.ok(falses > 0);
  // ('drain' only before end(): an ending stream owes none, in Node too)
  if (m.writableNeedDrain) await new Promise((r) => m.once('drain', r));
  await new Promise((r) => m.end(r));
  await new Promise((r) => w.end(r));
  assert.strictEqual(drains, 1);
  assert.deepStrictEqual(m.toBuffer(), Buffer.concat(parts));
  assert.strictEqual(m.bytesWritten, Buffer.concat(parts).length);
});

test('an I/O error mid-queue: the bytes before it are kept; the held writes not yet acknowledged fail with it, in order', async () => {
  // The limit falls inside the first batch: it fails the write in flight; the held ones (with
  // callbacks) then get the error, as queued writes do in Node.
  const w = new sluice.MemorySink({ limit: 5000, nativeBufferSize: 4096 });
  const log = [];
  w.on('error', (e) => log.push(`error:${e.code}`));
  w.on('close', () => log.push('close'));
  w.write(Buffer.alloc(4096, 1), (e) => log.push(`cb0:${e ? e.code : 'ok'}`));
  for (let i = 1; i <= 5; i++) w.write('x'.repeat(1000), (e) => log.push(`cb${i}:${e ? e.code : 'ok'}`));
  for (let i = 0; i < 100; i++) w.write('no callback');
  await new Promise((r) => w.once('close', r));
  // The first write (4096 bytes) was taken; the batch of the held writes is what fails. A held
  // write is acknowledged when its bytes move into the native buffer (on the worker's Room), as
  // every write into that buffer is: whether the failure of the batch reaches JS before or
  // after that Room is the worker's timing, so the held callbacks are some oks (those moved and
  // acknowledged first) and then failures, in order, and never an ok after a failure.
  assert.strictEqual(log[0], 'cb0:ok');
  const held = log.slice(1, 6);
  const oks = held.filter((e) => e.endsWith(':ok')).length;
  assert.deepStrictEqual(held, [1, 2, 3, 4, 5].map((i) => `cb${i}:${i <= oks ? 'ok' : 'ENOBUFS'}`));
  assert.deepStrictEqual(log.slice(6), ['error:ENOBUFS', 'close']);
  const kept = w.toBuffer();
  assert.ok(kept.length <= 5000);
  assert.deepStrictEqual(kept.subarray(0, 4096), Buffer.alloc(4096, 1));
});

test('destroy() with held writes: they fail as queued writes do in Node, and none of their bytes is written', async () => {
  const m = new sluice.MemorySink({ nativeBufferSize: 4096 });
  const n = nodeSink({ later: true });
  const logs = [];
  for (const w of [m, n]) {
    const log = [];
    logs.push(log);
    w.on('error', (e) => log.push(`error:${e.code}`));
    w.on('close', () => log.push('close'));
    w.write(Buffer.alloc(4096, 1), (e) => log.push(`cb0:${e ? e.code : 'ok'}`));
    w.write('held', (e) => log.push(`cb1:${e ? e.code : 'ok'}`));
    w.write('held without callback');
    w.write(Buffer.from('held'), (e) => log.push(`cb2:${e ? e.code : 'ok'}`));
    w.destroy();
    await new Promise((r) => w.once('close', r));
    // (the write in flight completes on its own time: before 'close' for the sink, after it
    // for this peer; compared without 'close')
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }
  const noClose = (log) => log.filter((e) => e !== 'close');
  assert.deepStrictEqual(noClose(logs[0]), noClose(logs[1]));
  assert.deepStrictEqual(noClose(logs[0]), ['cb0:ok', 'cb1:ERR_STREAM_DESTROYED', 'cb2:ERR_STREAM_DESTROYED']);
  assert.deepStrictEqual(m.toBuffer(), Buffer.alloc(4096, 1));
});

// Children that write into a file sink and exit while writes are held.
function child(file, body) {
  const script = `
    const sluice = require(${JSON.stringify(ROOT)});
    const ws = sluice.createWriteStream(${JSON.stringify(file)});
    const line = (i) => 'line ' + i + ' ' + 'x'.repeat(80) + '\\n';
    ${body}
  `;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
}

function lines(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += `line ${i} ${'x'.repeat(80)}\n`;
  return s;
}

for (const [how, body] of [
  ['before the file is open', 'for (let i = 0; i < 200000; i++) ws.write(line(i)); process.exit(0);'],
  [
    'after it is open, past the turn budget, with callbacks and other encodings among them',
    `ws.on('ready', () => {
       for (let i = 0; i < 200000; i++) {
         if (i % 7 === 0) ws.write(Buffer.from(line(i), 'utf8').toString('hex'), 'hex', () => {});
         else if (i % 5 === 0) ws.write(Buffer.from(line(i)));
         else ws.write(line(i));
       }
       process.exit(0);
     });`,
  ],
  [
    'while the held backlog is being handed over',
    `ws.on('ready', () => {
       for (let i = 0; i < 200000; i++) ws.write(line(i));
       setImmediate(() => setImmediate(() => process.exit(0)));
     });`,
  ],
  ['by an uncaught exception', "for (let i = 0; i < 200000; i++) ws.write(line(i)); throw new Error('boom');"],
]) {
  test(`process.exit with held writes (${how}): every line is in the file, in order`, (t) => {
    const file = path.join(tmpdir(t), 'out.log');
    const r = child(file, body);
    assert.ok(r.status === 0 || (how.includes('uncaught') && r.status === 1), r.stderr);
    assert.ok(fs.readFileSync(file, 'utf8') === lines(200000), 'every line, in order');
  });
}

// Random sequences (fixed seeds) of corked and uncorked writes in every encoding, with and
// without callbacks, against Node doing the same: the trace and the bytes must agree.

function randomSteps(rnd) {
  const encs = [undefined, 'utf8', 'latin1', 'hex', 'base64', 'base64url', 'utf16le', 'ascii', 'binary', 'ucs2'];
  const texts = ['', 'a', 'héllo ✓', '\ud83d', '\ude00x', '6869', 'aGk=', 'ÿ', 'z'.repeat(3000), 'w'.repeat(10000)];
  const steps = [];
  let corked = 0;
  for (let i = 0, n = 20 + Math.floor(rnd() * 200); i < n; i++) {
    // A turn of the loop every 20 steps: the sinks' loop budget (1 MiB, or 0.5 ms checked every
    // 128 acknowledgements, per turn) is never reached, so nothing depends on the clock.
    if (i % 20 === 19) steps.push('tick');
    const r = rnd();
    if (r < 0.08) {
      steps.push('cork');
      corked++;
    } else if (r < 0.14 && corked > 0) {
      steps.push('uncork');
      corked--;
    } else if (r < 0.3) {
      steps.push([Buffer.alloc(Math.floor(rnd() * 5000), i & 0xff), undefined, rnd() < 0.4]);
    } else {
      steps.push([texts[Math.floor(rnd() * texts.length)], encs[Math.floor(rnd() * encs.length)], rnd() < 0.4]);
    }
  }
  return steps;
}

test('differential: 60 random corked sequences into MemorySink and NullSink (and a WriteStream before it is open)', async (t) => {
  for (let seed = 1; seed <= 60; seed++) {
    const steps = randomSteps(prng(seed));
    const kind = seed % 3;
    const file = path.join(tmpdir(t), `r${seed}`);
    const w = kind === 0 ? new sluice.MemorySink() : kind === 1 ? new sluice.NullSink() : sluice.createWriteStream(file);
    const got = await trace(w, steps);
    const ref = nodeSink({ construct: kind === 2 });
    const want = await trace(ref, steps);
    assert.deepStrictEqual(got, want, `seed ${seed}`);
    if (kind === 0) assert.deepStrictEqual(w.toBuffer(), ref.bytes(), `seed ${seed}`);
    else if (kind === 1) assert.strictEqual(w.bytesWritten, ref.bytes().length, `seed ${seed}`);
    else {
      await new Promise((r) => (w.closed ? r() : w.once('close', r)));
      assert.deepStrictEqual(fs.readFileSync(file), ref.bytes(), `seed ${seed}`);
    }
  }
});
