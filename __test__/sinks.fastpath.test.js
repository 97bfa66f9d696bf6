'use strict';

// The native sinks' own path for small writes (NativeWritable.write / NullSink.write: staged or
// counted without the Writable's per-chunk path), checked against node:stream doing the
// equivalent: a Writable whose _write calls back at once. Return values, 'drain', writableLength,
// callbacks and event order must be Node's; the bytes must be what Buffer.from would give.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const stream = require('node:stream');
const { spawnSync } = require('node:child_process');
const sluice = require('..');
const { runSteps } = require('./helpers/steps');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-fastpath-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Node's equivalent of a sink that takes every chunk at once, keeping the bytes.
function nodeSink(options) {
  const parts = [];
  const w = new stream.Writable({
    ...options,
    write(chunk, encoding, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  w.bytes = () => Buffer.concat(parts);
  return w;
}

// Runs `steps` (each: [chunk, encoding?, withCallback?] or 'cork' / 'uncork') on `w`, recording
// write()'s answers, writableLength after each, callbacks and events in one trace.
async function trace(w, steps) {
  const log = [];
  for (const ev of ['drain', 'finish', 'close', 'error']) w.on(ev, () => log.push(ev));
  await runSteps(w, steps, log, (x) => x.writableLength);
  await new Promise((r) => w.end(r));
  await new Promise((r) => setImmediate(r));
  log.push(`end:${w.writableLength}`);
  return log;
}

const SMALL = 'x'.repeat(100);
const STEPS = [
  [Buffer.from('a')],
  [SMALL],
  ['héllo wörld ✓ 🎉'],
  [Buffer.alloc(300, 1)],
  [SMALL, undefined, true], // a callback: the Writable's path, callback on the next tick
  [SMALL],
  'tick',
  [Buffer.alloc(20000, 2)], // the mark or more: false, then 'drain'
  [SMALL],
  'tick',
  [SMALL, 'latin1'],
  ['6869', 'hex'],
  ['aGk=', 'base64'],
  ['hi', 'utf16le'],
  'cork',
  [SMALL],
  [Buffer.from('corked')],
  'uncork',
  [''],
  [Buffer.alloc(0)],
  'tick',
  [SMALL, undefined, true],
  [SMALL],
];

for (const [name, make] of [
  ['MemorySink', () => new sluice.MemorySink()],
  ['WriteStream', (file) => sluice.createWriteStream(file)],
]) {
  test(`differential (${name}): small writes with and without callbacks: answers, writableLength, 'drain', callbacks, bytes`, async (t) => {
    const file = path.join(tmpdir(t), 'out');
    const w = make(file);
    if (name === 'WriteStream') await new Promise((r) => w.once('ready', r));
    const ref = nodeSink();
    const got = await trace(w, STEPS);
    const want = await trace(ref, STEPS);
    // fs-like streams emit 'close' after 'finish'; compare what both have.
    assert.deepStrictEqual(got.filter((e) => e !== 'close'), want.filter((e) => e !== 'close'));
    if (name === 'WriteStream') await new Promise((r) => (w.closed ? r() : w.once('close', r)));
    const bytes = name === 'MemorySink' ? w.toBuffer() : fs.readFileSync(file);
    assert.deepStrictEqual(bytes, ref.bytes());
    assert.strictEqual(w.bytesWritten, ref.bytes().length);
  });
}

test('differential (NullSink): answers, writableLength, events and bytesWritten as a no-op Writable', async () => {
  const w = new sluice.NullSink();
  const ref = nodeSink();
  const got = await trace(w, STEPS);
  const want = await trace(ref, STEPS);
  assert.deepStrictEqual(got.filter((e) => e !== 'close'), want.filter((e) => e !== 'close'));
  assert.strictEqual(w.bytesWritten, ref.bytes().length);
});

test('strings in every encoding, as chunks and as the default encoding, staged or not: the bytes Buffer.from gives', async (t) => {
  const dir = tmpdir(t);
  const samples = ['plain ascii', 'héllo wörld', '✓ 🎉 ∑', '\ud83d', '\ude00', '\ud83d\ude00', 'ÿþ\u00ff', '6869zz', 'aGk=', 'a'.repeat(5000)];
  for (const enc of ['utf8', 'utf-8', 'latin1', 'binary', 'ascii', 'hex', 'base64', 'base64url', 'ucs2', 'utf16le']) {
    const file = path.join(dir, enc);
    const ws = sluice.createWriteStream(file, { encoding: enc });
    const expected = [];
    for (const s of samples) {
      ws.write(s); // the default encoding
      expected.push(Buffer.from(s, enc));
      ws.write(s, enc);
      expected.push(Buffer.from(s, enc));
    }
    await new Promise((r) => ws.end(r));
    assert.deepStrictEqual(fs.readFileSync(file), Buffer.concat(expected), enc);
    assert.strictEqual(ws.bytesWritten, Buffer.concat(expected).length, `${enc} bytesWritten`);
  }
});

test('a surrogate pair split across two writes is two replacement characters, as Node encodes each chunk', async (t) => {
  const file = path.join(tmpdir(t), 'pair');
  const ws = sluice.createWriteStream(file);
  ws.write('a\ud83d');
  ws.write('\ude00b');
  await new Promise((r) => ws.end(r));
  assert.deepStrictEqual(fs.readFileSync(file), Buffer.concat([Buffer.from('a\ud83d'), Buffer.from('\ude00b')]));
});

test('staged strings and Buffers interleaved over many blocks keep their order', async (t) => {
  const file = path.join(tmpdir(t), 'mix');
  const ws = sluice.createWriteStream(file);
  const expected = [];
  for (let i = 0; i < 20000; i++) {
    const s = `line ${i} ${'é'.repeat(i % 7)}\n`;
    const c = i % 3 === 0 ? Buffer.from(s) : s;
    expected.push(Buffer.from(s));
    if (!ws.write(c)) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((r) => ws.end(r));
  assert.deepStrictEqual(fs.readFileSync(file), Buffer.concat(expected));
});

for (const [what, options] of [
  ['the default options', undefined],
  ['an overflow policy and a 1 MiB mark (every write through _write)', { highWaterMark: 1 << 20, maxBuffered: 1e9 }],
]) test(`writes with callbacks, staged across many blocks beside fast-path writes, land in order: ${what}`, async (t) => {
  // Writes with a callback take the Writable's path; with an overflow policy each reaches
  // _write and is staged there, and a block that fills is handed over and the next one lent
  // within one write. Sizes cycle so that block ends fall inside chunks, beside large chunks
  // that go over on their own.
  const file = path.join(tmpdir(t), 'cb');
  const ws = sluice.createWriteStream(file, options);
  const expected = [];
  let called = 0;
  for (let i = 0; i < 6000; i++) {
    const size = i % 97 === 0 ? 40000 : 100 + ((i * 7919) % 1900);
    const b = Buffer.alloc(size, (i % 251) + 1);
    b.writeUInt32LE(i, 0);
    expected.push(b);
    const ok = i % 2 === 0 ? ws.write(b, () => called++) : ws.write(b);
    if (!ok) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((r) => ws.end(r));
  assert.strictEqual(called, 3000);
  const got = fs.readFileSync(file);
  const want = Buffer.concat(expected);
  assert.strictEqual(got.length, want.length);
  assert.ok(got.equals(want), 'the file holds every chunk, in order');
});

test('process.exit() right after staged writes in the same turn: every line is in the file', (t) => {
  const file = path.join(tmpdir(t), 'exit');
  const code = `
    const sluice = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const ws = sluice.createWriteStream(${JSON.stringify(file)});
    ws.on('ready', () => {
      for (let i = 0; i < 5000; i++) ws.write('line ' + i + '\\n');
      ws.write(Buffer.from('last\\n'));
      process.exit(0);
    });`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.strictEqual(lines.length, 5002);
  for (let i = 0; i < 5000; i++) assert.strictEqual(lines[i], `line ${i}`);
  assert.strictEqual(lines[5000], 'last');
});

test('a subclass that overrides _write (or a _write assigned later) sees every chunk: no fast path around it', async (t) => {
  const dir = tmpdir(t);
  class Upper extends sluice.WriteStream {
    _write(chunk, encoding, cb) {
      super._write(Buffer.from(chunk.toString('latin1').toUpperCase(), 'latin1'), 'buffer', cb);
    }
  }
  const a = new Upper(path.join(dir, 'a'));
  // (before 'ready' writes are queued, and a queue goes to _writev, in Node's fs streams too)
  await new Promise((r) => a.once('ready', r));
  a.write('abc');
  a.write(Buffer.from('def'));
  await new Promise((r) => a.end(r));
  assert.strictEqual(fs.readFileSync(path.join(dir, 'a'), 'latin1'), 'ABCDEF');

  const seen = [];
  const n = new sluice.NullSink();
  const own = n._write;
  n._write = function (chunk, encoding, cb) {
    seen.push(String(chunk));
    own.call(this, chunk, encoding, cb);
  };
  n.write('x');
  n.write(Buffer.from('y'));
  await new Promise((r) => n.end(r));
  assert.deepStrictEqual(seen, ['x', 'y']);
});
