'use strict';

// MemorySink / NullSink / ThrottleSink: every byte accounted for, the byte limit, options.

const { test } = require('node:test');
const assert = require('node:assert');
const stream = require('node:stream');
const sluice = require('..');
const { prng } = require('./helpers/prng');

const { MemorySink, NullSink, ThrottleSink } = sluice;


function randomBytes(rnd, n) {
  const b = Buffer.allocUnsafe(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) b.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  for (; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

function randomChunks(seed, n, max = 256 * 1024) {
  const rnd = prng(seed);
  const sizes = [1, max];
  while (sizes.length < n) sizes.push(Math.max(1, Math.floor(Math.exp(rnd() * Math.log(max)))));
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  return sizes.map((s) => randomBytes(rnd, s));
}

function writeAll(ws, chunks, { onFinish } = {}) {
  return new Promise((resolve, reject) => {
    let i = 0;
    let falses = 0;
    ws.once('error', reject);
    ws.once('finish', () => {
      try {
        resolve({ atFinish: onFinish ? onFinish() : undefined, falses });
      } catch (e) {
        reject(e);
      }
    });
    const go = () => {
      while (i < chunks.length) {
        if (!ws.write(chunks[i++])) {
          falses++;
          ws.once('drain', go);
          return;
        }
      }
      ws.end();
    };
    go();
  });
}

function firstDiff(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function assertSameBytes(actual, expected, what) {
  if (actual.equals(expected)) return;
  assert.fail(`${what}: ${actual.length} bytes, expected ${expected.length}; first difference at byte ${firstDiff(actual, expected)}`);
}

const closed = (s) => new Promise((r) => (s.closed ? r() : s.once('close', r)));

test('MemorySink: canonical loop, 64 random chunks (1 B..256 KiB): toBuffer() at finish is every byte', async () => {
  const chunks = randomChunks(1234, 64);
  const expected = Buffer.concat(chunks);
  const ms = new MemorySink();
  // (whether write() ever returns false here depends on the worker's speed: not asserted)
  const { atFinish } = await writeAll(ms, chunks, { onFinish: () => ms.toBuffer() });
  assertSameBytes(atFinish, expected, 'toBuffer() at finish');
  assert.strictEqual(ms.bytesWritten, expected.length);
  await closed(ms);
  assertSameBytes(ms.toBuffer(), expected, 'toBuffer() after close');
});

test('MemorySink: tiny native buffer (nativeBufferSize 1): every write waits for room; bytes intact', async () => {
  const chunks = randomChunks(77, 300, 2048);
  const ms = new MemorySink({ nativeBufferSize: 1, highWaterMark: 512 });
  const { atFinish, falses } = await writeAll(ms, chunks, { onFinish: () => ms.toBuffer() });
  assertSameBytes(atFinish, Buffer.concat(chunks), 'toBuffer() at finish');
  assert.ok(falses > 0, 'a full native buffer holds the callback, so write() returns false');
});

test('MemorySink: toBuffer() before finish is always a prefix of what was written', async () => {
  const chunks = randomChunks(55, 40, 64 * 1024);
  const expected = Buffer.concat(chunks);
  const ms = new MemorySink();
  const snaps = [];
  ms.on('drain', () => snaps.push(ms.toBuffer()));
  for (const c of chunks) ms.write(c, () => snaps.push(ms.toBuffer()));
  ms.end();
  await new Promise((r, j) => ms.on('finish', r).on('error', j));
  for (const s of snaps) assert.ok(expected.subarray(0, s.length).equals(s), `snapshot of ${s.length} bytes is a prefix`);
  assertSameBytes(ms.toBuffer(), expected, 'final');
});

test('MemorySink: cork()/uncork() (writev) and mixed strings/Uint8Array in several encodings', async () => {
  const ms = new MemorySink({ highWaterMark: 64 });
  const parts = [
    ['héllo ', 'utf8'],
    ['cafebabe', 'hex'],
    [Buffer.from('base64 text').toString('base64'), 'base64'],
    ['\u00e9\u00ff', 'latin1'],
    ['wide', 'utf16le'],
  ];
  const expected = [];
  ms.cork();
  for (const [s, enc] of parts) {
    ms.write(s, enc);
    expected.push(Buffer.from(s, enc));
  }
  const u8 = new Uint8Array([1, 2, 3, 250]);
  ms.write(u8);
  expected.push(Buffer.from(u8));
  process.nextTick(() => ms.uncork());
  await new Promise((r) => setImmediate(r));
  ms.setDefaultEncoding('hex');
  ms.end('0a0b');
  expected.push(Buffer.from('0a0b', 'hex'));
  await new Promise((r, j) => ms.on('finish', r).on('error', j));
  assertSameBytes(ms.toBuffer(), Buffer.concat(expected), 'memory content');
  assert.strictEqual(ms.bytesWritten, Buffer.concat(expected).length);
});

test('MemorySink: empty stream gives an empty buffer; zero-length writes are harmless', async () => {
  const a = new MemorySink();
  a.end();
  await new Promise((r) => a.on('finish', r));
  assert.strictEqual(a.toBuffer().length, 0);
  const b = new MemorySink();
  b.write(Buffer.alloc(0));
  b.write('');
  b.write('x');
  b.end(Buffer.alloc(0));
  await new Promise((r, j) => b.on('finish', r).on('error', j));
  assert.strictEqual(b.toBuffer().toString(), 'x');
});

test('MemorySink limit: exactly the limit is fine', async () => {
  const ms = new MemorySink({ limit: 1000 });
  ms.write(Buffer.alloc(600, 1));
  ms.end(Buffer.alloc(400, 2));
  await new Promise((r, j) => ms.on('finish', r).on('error', j));
  assert.strictEqual(ms.toBuffer().length, 1000);
});

test('MemorySink limit exceeded: error ENOBUFS (errno -105), then close; kept bytes stay within the limit', async () => {
  const limit = 20 * 1024;
  const chunks = randomChunks(9, 40, 16 * 1024);
  assert.ok(Buffer.concat(chunks).length > limit);
  const ms = new MemorySink({ limit });
  const events = [];
  const err = await new Promise((resolve) => {
    ms.on('error', (e) => {
      events.push('error');
      resolve(e);
    });
    ms.on('close', () => events.push('close'));
    ms.on('finish', () => {
      events.push('finish');
      resolve(null);
    });
    let i = 0;
    const go = () => {
      while (i < chunks.length) if (!ms.write(chunks[i++])) return ms.once('drain', go);
      ms.end();
    };
    go();
  });
  await closed(ms);
  assert.strictEqual(err.code, 'ENOBUFS');
  assert.strictEqual(err.errno, -105);
  assert.strictEqual(typeof err.syscall, 'string');
  assert.deepStrictEqual(events, ['error', 'close']);
  assert.ok(ms.toBuffer().length <= limit, `kept ${ms.toBuffer().length} <= ${limit}`);
  assert.ok(ms.destroyed);
});

test('MemorySink limit 0: the first byte fails; later writes fail too', async () => {
  const ms = new MemorySink({ limit: 0 });
  const err = await new Promise((resolve) => {
    ms.on('error', resolve);
    ms.write('a');
  });
  assert.strictEqual(err.code, 'ENOBUFS');
  await closed(ms);
  const cbErr = await new Promise((r) => ms.write('b', r));
  assert.ok(cbErr, 'write after the failure calls back with an error');
  assert.strictEqual(ms.toBuffer().length, 0);
});

test('MemorySink/ThrottleSink: invalid options throw ERR_OUT_OF_RANGE', () => {
  assert.throws(() => new MemorySink({ limit: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new MemorySink({ limit: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new MemorySink({ nativeBufferSize: 0 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new ThrottleSink({ bytesPerSecond: -5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new ThrottleSink({ delayMs: -1 }), { code: 'ERR_OUT_OF_RANGE' });
});

test('NullSink: 64 MiB through the canonical loop: finish, bytesWritten exact, close', async () => {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const chunks = new Array(1024).fill(chunk);
  const ns = new NullSink();
  const events = [];
  ns.on('finish', () => events.push('finish'));
  ns.on('close', () => events.push('close'));
  await writeAll(ns, chunks);
  await closed(ns);
  assert.strictEqual(ns.bytesWritten, 64 * 1024 * 1024);
  assert.deepStrictEqual(events, ['finish', 'close']);
});

test('NullSink is a node:stream Writable usable by stream.pipeline', async () => {
  const probe = new NullSink();
  assert.ok(probe instanceof stream.Writable);
  probe.destroy(); // every sink is closed before the process exits
  await closed(probe);
  const ns = new NullSink();
  await stream.promises.pipeline(stream.Readable.from(randomChunks(3, 50, 4096)), ns);
  assert.ok(ns.bytesWritten > 0);
});

test('destroy() on a MemorySink mid-way: acknowledged bytes are kept in order', async () => {
  const chunks = randomChunks(66, 200, 8192);
  const expected = Buffer.concat(chunks);
  const ms = new MemorySink({ highWaterMark: 4096, nativeBufferSize: 8192 });
  let acked = 0;
  let i = 0;
  await new Promise((resolve) => {
    ms.on('close', resolve);
    const go = () => {
      while (i < chunks.length) {
        const c = chunks[i++];
        const ok = ms.write(c, (err) => {
          if (!err) acked += c.length;
          if (acked > expected.length / 3 && !ms.destroyed) ms.destroy();
        });
        if (!ok) return ms.once('drain', go);
      }
    };
    go();
  });
  const got = ms.toBuffer();
  assert.ok(got.length >= acked, `kept ${got.length} >= acknowledged ${acked}`);
  assert.ok(expected.subarray(0, got.length).equals(got), 'kept bytes are a prefix of what was written');
});

test('ThrottleSink (delayMs): bytes acknowledged slowly; destroy discards quickly', async () => {
  const ts = new ThrottleSink({ delayMs: 20, highWaterMark: 1024 });
  const t0 = Date.now();
  for (let k = 0; k < 5; k++) {
    ts.write(Buffer.alloc(1024));
    await new Promise((r) => ts.once('drain', r));
  }
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 40, `5 full buffers with 20 ms per batch took ${elapsed} ms`);
  ts.write(Buffer.alloc(1024));
  const t1 = Date.now();
  ts.destroy();
  await closed(ts);
  assert.ok(Date.now() - t1 < 1000, 'destroy does not wait for the throttle indefinitely');
});
