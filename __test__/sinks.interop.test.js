'use strict';

// Native sinks inside real Node I/O: pipeline with zlib, a throttled consumer, HTTP downloads,
// a child process's stdin pipe, a TCP socket, and process lifetime.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const http = require('node:http');
const net = require('node:net');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { pipeline, Readable } = require('node:stream');
const { promisify } = require('node:util');
const sluice = require('..');
const { prng } = require('./helpers/prng');

const pipelineP = promisify(pipeline);
const ROOT = path.resolve(__dirname, '..');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sinks-interop-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}


function randomBytes(rnd, n) {
  const b = Buffer.allocUnsafe(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) b.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  for (; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

/** Somewhat compressible random data (so gzip has work to do), `n` bytes. */
function textish(seed, n) {
  const rnd = prng(seed);
  const words = Array.from({ length: 200 }, () => randomBytes(rnd, 1 + Math.floor(rnd() * 12)).toString('hex'));
  const parts = [];
  let len = 0;
  while (len < n) {
    const w = words[Math.floor(rnd() * words.length)] + (rnd() < 0.1 ? '\n' : ' ');
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

function chunksOf(buf, rnd, max = 256 * 1024) {
  const out = [];
  let off = 0;
  while (off < buf.length) {
    const n = Math.max(1, Math.floor(Math.exp(rnd() * Math.log(max))));
    out.push(buf.subarray(off, off + n));
    off += n;
  }
  return out;
}

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

function assertSameBytes(actual, expected, what) {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < Math.min(actual.length, expected.length) && actual[i] === expected[i]) i++;
  assert.fail(`${what}: ${actual.length} bytes, expected ${expected.length}; first difference at byte ${i}`);
}

/** Canonical write()/drain loop, then end(); resolves on 'finish'. */
function writeAll(ws, chunks) {
  return new Promise((resolve, reject) => {
    let i = 0;
    ws.once('error', reject);
    ws.once('finish', resolve);
    const go = () => {
      while (i < chunks.length) {
        if (!ws.write(chunks[i++])) return ws.once('drain', go);
      }
      ws.end();
    };
    go();
  });
}

/** Runs a node script in a child process; resolves with { code, signal, stdout, stderr, ms }. */
function runNode(script, { cwd, timeoutMs = 15000, args = [] } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
  });
}

// ---------------------------------------------------------------------------------------------

test('pipeline(fs.createReadStream, createGzip, sluice.createWriteStream): gunzip gives the original', async (t) => {
  const dir = tmpdir(t);
  const src = path.join(dir, 'src.txt');
  const gz = path.join(dir, 'src.txt.gz');
  const data = textish(1, 3 * 1024 * 1024 + 123);
  fs.writeFileSync(src, data);
  const ws = sluice.createWriteStream(gz);
  await pipelineP(fs.createReadStream(src), zlib.createGzip(), ws);
  assert.ok(ws.destroyed, 'pipeline ends with the sink closed');
  assert.strictEqual(ws.bytesWritten, fs.statSync(gz).size);
  const back = zlib.gunzipSync(fs.readFileSync(gz));
  assertSameBytes(back, data, 'gunzipped');
});

test('pipeline(Readable.from(random chunks), sluice.createWriteStream): every byte, with callback API', async (t) => {
  const dir = tmpdir(t);
  const out = path.join(dir, 'out.bin');
  const rnd = prng(8);
  const data = randomBytes(rnd, 4 * 1024 * 1024);
  const chunks = chunksOf(data, rnd);
  await new Promise((resolve, reject) =>
    pipeline(Readable.from(chunks), sluice.createWriteStream(out), (err) => (err ? reject(err) : resolve()))
  );
  assertSameBytes(fs.readFileSync(out), data, 'output');
});

test('pipeline into ThrottleSink({ bytesPerSecond: 200000 }): takes at least ~half the ideal time, and pushes back', async () => {
  const total = 160 * 1024; // ideal 0.82 s
  const chunk = Buffer.alloc(4096, 5);
  const chunks = new Array(total / chunk.length).fill(chunk);
  // A small native buffer and mark, so that the pushback does not depend on how fast this
  // (possibly loaded) process produces: 160 KiB cannot fit in 4 KiB + 8 KiB.
  const ts = new sluice.ThrottleSink({ bytesPerSecond: 200000, nativeBufferSize: 4096, highWaterMark: 8192 });
  const rets = [];
  const origWrite = ts.write;
  ts.write = function (...args) {
    const r = origWrite.apply(this, args);
    rets.push(r);
    return r;
  };
  const t0 = process.hrtime.bigint();
  await pipelineP(Readable.from(chunks), ts);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ideal = (total / 200000) * 1000;
  assert.ok(ms >= 0.5 * ideal, `took ${ms.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms`);
  assert.ok(rets.includes(false), 'write() returned false at some point (backpressure)');
  assert.strictEqual(ts.bytesWritten, total);
});

test('canonical loop into ThrottleSink: write() returns false and drain comes only as the consumer catches up', async () => {
  const ts = new sluice.ThrottleSink({ bytesPerSecond: 200000, highWaterMark: 8192 });
  const chunk = Buffer.alloc(1024, 1);
  let falses = 0;
  let i = 0;
  const n = 60; // 60 KiB, ideal ~0.3 s
  const t0 = Date.now();
  await new Promise((resolve, reject) => {
    ts.on('error', reject);
    ts.on('finish', resolve);
    const go = () => {
      while (i < n) {
        i++;
        if (!ts.write(chunk)) {
          falses++;
          return ts.once('drain', go);
        }
      }
      ts.end();
    };
    go();
  });
  const ms = Date.now() - t0;
  assert.ok(falses >= 2, `write() returned false ${falses} times`);
  assert.ok(ms >= 0.5 * ((n * 1024) / 200000) * 1000, `took ${ms} ms`);
});

test('http: download a served file into sluice.createWriteStream via res.pipe(ws)', async (t) => {
  const dir = tmpdir(t);
  const src = path.join(dir, 'served.bin');
  const out = path.join(dir, 'downloaded.bin');
  const data = randomBytes(prng(77), 5 * 1024 * 1024 + 17);
  fs.writeFileSync(src, data);
  const server = http.createServer((req, res) => fs.createReadStream(src).pipe(res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${server.address().port}/file`;
  const ws = sluice.createWriteStream(out);
  await new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', resolve);
    http.get(url, (res) => {
      assert.strictEqual(res.statusCode, 200);
      res.pipe(ws);
    }).on('error', reject);
  });
  assertSameBytes(fs.readFileSync(out), data, 'downloaded');
  assert.strictEqual(ws.bytesWritten, data.length);
});

test("a real pipe: 8 MiB into a child's stdin descriptor; the child's sha256 and length match", async () => {
  const script = `
    const h = require('crypto').createHash('sha256'); let n = 0;
    process.stdin.on('data', (d) => { h.update(d); n += d.length; });
    process.stdin.on('end', () => { process.stdout.write(JSON.stringify({ n, sha: h.digest('hex') })); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((r) => child.on('close', r));
  const fd = child.stdin._handle.fd;
  assert.ok(Number.isInteger(fd) && fd > 2, `child.stdin descriptor ${fd}`);
  const data = randomBytes(prng(2718), 8 * 1024 * 1024);
  const chunks = chunksOf(data, prng(3));
  // autoClose false: the descriptor belongs to child.stdin, which closes it on end() (the stream
  // is not destroyed: destroy() closes the descriptor, as fs streams do).
  // flush: true also checks that fsync on a pipe/socket (EINVAL) is not an error.
  const ws = sluice.createWriteStream(null, { fd, autoClose: false, flush: true });
  await writeAll(ws, chunks);
  child.stdin.end();
  await exited;
  const got = JSON.parse(stdout);
  assert.strictEqual(got.n, data.length);
  assert.strictEqual(got.sha, sha256(data));
});

test('a named pipe (FIFO) owned by the stream: 8 MiB to a child reading it; sha256 and length match', async (t) => {
  const dir = tmpdir(t);
  const fifo = path.join(dir, 'fifo');
  require('node:child_process').execFileSync('mkfifo', [fifo]);
  const script = `
    const h = require('crypto').createHash('sha256'); let n = 0;
    const r = require('fs').createReadStream(${JSON.stringify(fifo)});
    r.on('data', (d) => { h.update(d); n += d.length; });
    r.on('end', () => { process.stdout.write(JSON.stringify({ n, sha: h.digest('hex') })); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((r) => child.on('close', r));
  const fd = await new Promise((resolve, reject) => fs.open(fifo, 'w', (e, d) => (e ? reject(e) : resolve(d))));
  const data = randomBytes(prng(31415), 8 * 1024 * 1024);
  const ws = sluice.createWriteStream(null, { fd });
  await writeAll(ws, chunksOf(data, prng(5)));
  await new Promise((r) => (ws.closed ? r() : ws.once('close', r))); // closing gives the reader EOF
  await exited;
  const got = JSON.parse(stdout);
  assert.strictEqual(got.n, data.length);
  assert.strictEqual(got.sha, sha256(data));
});

test('a TCP socket on 127.0.0.1: 8 MiB through the client socket descriptor; the server hashes the same bytes', async (t) => {
  const received = new Promise((resolve, reject) => {
    const server = net.createServer((conn) => {
      const h = crypto.createHash('sha256');
      let n = 0;
      conn.on('data', (d) => {
        h.update(d);
        n += d.length;
      });
      conn.on('end', () => {
        conn.end();
        resolve({ n, sha: h.digest('hex') });
      });
      conn.on('error', reject);
    });
    t.after(() => server.close());
    server.listen(0, '127.0.0.1', () => {
      const client = net.connect(server.address().port, '127.0.0.1', async () => {
        try {
          const fd = client._handle.fd;
          assert.ok(Number.isInteger(fd) && fd > 2, `client socket descriptor ${fd}`);
          // autoClose false and no destroy(): the descriptor stays the socket's
          const ws = sluice.createWriteStream(null, { fd, autoClose: false });
          await writeAll(ws, chunksOf(DATA, prng(4)));
          client.end(); // our socket: half-close it ourselves
        } catch (e) {
          reject(e);
        }
      });
      client.on('error', reject);
      client.resume();
    });
  });
  const DATA = randomBytes(prng(1414), 8 * 1024 * 1024);
  const got = await received;
  assert.strictEqual(got.n, DATA.length);
  assert.strictEqual(got.sha, sha256(DATA));
});

// ---------------------------------------------------------------------------------------------
// process lifetime

test('process lifetime: 1 MiB written without end() and without waiting is all in the file at exit', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'unended.bin');
  const script = `
    const { createWriteStream } = require(${JSON.stringify(ROOT)});
    const crypto = require('crypto');
    let seed = 12345;
    const data = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < data.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; data[i] = seed >>> 24; }
    const ws = createWriteStream(${JSON.stringify(file)});
    // varied chunk sizes, no end(), no waiting for drain
    for (let off = 0, k = 1; off < data.length; k = (k * 7) % 65521) { const n = 1 + (k % 50000); ws.write(data.subarray(off, off + n)); off += n; }
    process.stdout.write(crypto.createHash('sha256').update(data).digest('hex'));
  `;
  const r = await runNode(script);
  const got = fs.readFileSync(file);
  assert.strictEqual(got.length, 1024 * 1024, `file has ${got.length} bytes at exit`);
  assert.strictEqual(sha256(got), r.stdout, 'file content');
  assert.deepStrictEqual(
    { code: r.code, signal: r.signal },
    { code: 0, signal: null },
    `the writer exits cleanly (stderr: ${r.stderr.trim().slice(0, 300)})`
  );
});

test('process lifetime: 1 MiB into a sluice WriteStream over a given fd, no end(): all bytes at exit', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'unended-fd.bin');
  const script = `
    const fs = require('fs');
    const { createWriteStream } = require(${JSON.stringify(ROOT)});
    const ws = createWriteStream(null, { fd: fs.openSync(${JSON.stringify(file)}, 'w') });
    for (let i = 0; i < 256; i++) ws.write(Buffer.alloc(4096, i));
  `;
  const r = await runNode(script);
  const got = fs.readFileSync(file);
  assert.strictEqual(got.length, 1024 * 1024, `file has ${got.length} bytes at exit`);
  for (let i = 0; i < 256; i++) assert.strictEqual(got[i * 4096 + 4095], i, `block ${i}`);
  assert.deepStrictEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `clean exit (stderr: ${r.stderr.trim().slice(0, 300)})`);
});

test('process lifetime: an idle NullSink does not keep the process alive (exits promptly and cleanly)', async () => {
  const script = `
    const { NullSink } = require(${JSON.stringify(ROOT)});
    globalThis.keep = new NullSink();
  `;
  const r = await runNode(script, { timeoutMs: 10000 });
  assert.ok(r.ms < 10000, `exited after ${r.ms.toFixed(0)} ms`);
  assert.deepStrictEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `clean exit (stderr: ${r.stderr.trim().slice(0, 300)})`);
});

test('process lifetime: a NullSink that was written to and went idle does not keep the process alive', async () => {
  const script = `
    const { NullSink } = require(${JSON.stringify(ROOT)});
    const ns = new NullSink();
    ns.write(Buffer.alloc(1 << 20), () => { globalThis.acked = true; });
    process.on('exit', () => { if (!globalThis.acked) process.exitCode = 3; });
  `;
  const r = await runNode(script, { timeoutMs: 10000 });
  assert.ok(r.ms < 10000, `exited after ${r.ms.toFixed(0)} ms`);
  assert.deepStrictEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `clean exit (stderr: ${r.stderr.trim().slice(0, 300)})`);
});

test('process lifetime: ended and closed sinks let the process exit cleanly', async () => {
  const script = `
    const { NullSink, MemorySink } = require(${JSON.stringify(ROOT)});
    const a = new NullSink(); a.end('x');
    const b = new MemorySink(); b.end('y', () => process.stdout.write(b.toBuffer().toString()));
  `;
  const r = await runNode(script, { timeoutMs: 10000 });
  assert.strictEqual(r.stdout, 'y');
  assert.deepStrictEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `clean exit (stderr: ${r.stderr.trim().slice(0, 300)})`);
});
