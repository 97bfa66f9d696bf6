'use strict';

// Native sinks failing for real: device full, permissions, missing paths, bad descriptors,
// broken pipes, memory limits, misuse (write after end), destroy() part-way.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const sluice = require('..');
const { prng } = require('./helpers/prng');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sinks-err-'));
  t.after(() => {
    try {
      fs.chmodSync(dir, 0o700);
    } catch {}
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}


function randomBytes(rnd, n) {
  const b = Buffer.allocUnsafe(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) b.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  for (; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

function fdIsOpen(fd) {
  try {
    fs.fstatSync(fd);
    return true;
  } catch (e) {
    if (e.code === 'EBADF') return false;
    throw e;
  }
}

/**
 * Records 'open', 'error', 'finish', 'close' (and write callbacks' errors) until 'close'.
 * Resolves with { events, error }.
 */
function outcome(ws, { timeoutMs = 1500 } = {}) {
  return new Promise((resolve, reject) => {
    const events = [];
    let error = null;
    const timer = setTimeout(() => reject(new Error(`no 'close' within ${timeoutMs} ms; events so far: ${events.join(', ')}`)), timeoutMs);
    ws.on('open', () => events.push('open'));
    ws.on('finish', () => events.push('finish'));
    ws.on('error', (e) => {
      events.push('error');
      if (!error) error = e;
    });
    ws.on('close', () => {
      events.push('close');
      clearTimeout(timer);
      // let any late event show up
      setImmediate(() => resolve({ events, error }));
    });
  });
}

test("/dev/full: 'error' ENOSPC (syscall 'write', errno -28, no path), then 'close'; no 'finish'", async (t) => {
  if (!fs.existsSync('/dev/full')) return t.skip('no /dev/full on this system');
  const ws = sluice.createWriteStream('/dev/full');
  const done = outcome(ws);
  const cbErrors = [];
  ws.write(Buffer.alloc(64 * 1024, 1), (e) => cbErrors.push(e && e.code));
  ws.write('more', (e) => cbErrors.push(e && e.code));
  ws.end();
  const { events, error } = await done;
  assert.ok(error, 'an error was emitted');
  assert.strictEqual(error.code, 'ENOSPC');
  assert.strictEqual(error.syscall, 'write');
  assert.strictEqual(error.errno, -28);
  assert.ok(error instanceof Error);
  assert.strictEqual(error.path, undefined, "write errors carry no path (as Node's)");
  assert.deepStrictEqual(events.filter((e) => e !== 'open'), ['error', 'close']);
  assert.ok(ws.destroyed);
});

test('/dev/full compared with fs.createWriteStream: same error code/syscall/errno, error before close', async (t) => {
  if (!fs.existsSync('/dev/full')) return t.skip('no /dev/full on this system');
  const results = {};
  for (const [name, impl] of [
    ['fs', fs],
    ['sluice', sluice],
  ]) {
    const ws = impl.createWriteStream('/dev/full');
    const done = outcome(ws);
    ws.write('x'.repeat(1000));
    ws.end();
    const { events, error } = await done;
    results[name] = { events, code: error.code, syscall: error.syscall, errno: error.errno, path: error.path };
  }
  assert.deepStrictEqual(results.sluice, results.fs);
});

test('/dev/full through the canonical loop with a large producer: fails fast, does not hang', async (t) => {
  if (!fs.existsSync('/dev/full')) return t.skip('no /dev/full on this system');
  const ws = sluice.createWriteStream('/dev/full', { highWaterMark: 4096 });
  const done = outcome(ws);
  const chunk = Buffer.alloc(4096, 2);
  let n = 0;
  const go = () => {
    while (n < 10000 && !ws.destroyed) {
      n++;
      if (!ws.write(chunk)) return ws.once('drain', go);
    }
    if (!ws.destroyed) ws.end();
  };
  go();
  const { error } = await done;
  assert.strictEqual(error.code, 'ENOSPC');
});

test('read-only directory: open fails with EACCES from fs.open (with path), then close', async (t) => {
  const dir = tmpdir(t);
  const ro = path.join(dir, 'ro');
  fs.mkdirSync(ro);
  fs.chmodSync(ro, 0o500);
  const file = path.join(ro, 'nope.txt');
  // Running as root (or with CAP_DAC_OVERRIDE) the permission bits do not apply.
  try {
    fs.closeSync(fs.openSync(file, 'w'));
    fs.unlinkSync(file);
    return t.skip('permission bits are not enforced for this user (root?): EACCES cannot happen here');
  } catch (e) {
    if (e.code !== 'EACCES') throw e;
  }
  const ws = sluice.createWriteStream(file);
  const done = outcome(ws);
  ws.write('x');
  const { events, error } = await done;
  assert.strictEqual(error.code, 'EACCES');
  assert.strictEqual(error.syscall, 'open');
  assert.strictEqual(error.errno, -13);
  assert.strictEqual(error.path, file);
  assert.deepStrictEqual(events, ['error', 'close']);
});

test('nonexistent directory: ENOENT from open, with path, errno -2; write callback gets the error', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'missing', 'sub', 'f.txt');
  const ws = sluice.createWriteStream(file);
  const done = outcome(ws);
  let cbErr;
  ws.write('x', (e) => (cbErr = e));
  const { events, error } = await done;
  assert.strictEqual(error.code, 'ENOENT');
  assert.strictEqual(error.syscall, 'open');
  assert.strictEqual(error.errno, -2);
  assert.strictEqual(error.path, file);
  assert.deepStrictEqual(events, ['error', 'close']);
  assert.ok(cbErr, 'the pending write is called back with an error');
  assert.strictEqual(ws.pending, true);
});

test('a directory as path: EISDIR from open, with path', async (t) => {
  const dir = tmpdir(t);
  const ws = sluice.createWriteStream(dir);
  const done = outcome(ws);
  ws.end('x');
  const { events, error } = await done;
  assert.strictEqual(error.code, 'EISDIR');
  assert.strictEqual(error.syscall, 'open');
  assert.strictEqual(error.errno, -21);
  assert.strictEqual(error.path, dir);
  assert.deepStrictEqual(events, ['error', 'close']);
});

test('open errors are the very errors fs.createWriteStream reports (message, code, errno, syscall, path)', async (t) => {
  const dir = tmpdir(t);
  fs.writeFileSync(path.join(dir, 'exists'), '');
  for (const [p, opts] of [
    [path.join(dir, 'no', 'such'), {}],
    [dir, {}],
    [path.join(dir, 'exists'), { flags: 'wx' }],
  ]) {
    const got = {};
    for (const [name, impl] of [
      ['fs', fs],
      ['sluice', sluice],
    ]) {
      const ws = impl.createWriteStream(p, opts);
      const { events, error } = await outcome(ws);
      got[name] = { events, message: error.message, code: error.code, errno: error.errno, syscall: error.syscall, path: error.path };
    }
    assert.deepStrictEqual(got.sluice, got.fs, p);
  }
});

test('bad fd (9999): EBADF, then close', async () => {
  const bad = 9999;
  assert.strictEqual(fdIsOpen(bad), false, 'fd 9999 is not open in this process');
  const ws = sluice.createWriteStream(null, { fd: bad });
  const done = outcome(ws);
  ws.end('hello');
  const { events, error } = await done;
  assert.strictEqual(error.code, 'EBADF');
  assert.strictEqual(error.errno, -9);
  assert.ok(['write', 'close'].includes(error.syscall), `syscall ${error.syscall}`);
  assert.deepStrictEqual(events, ['error', 'close']);
});

test('a read-only descriptor as fd: EBADF on write', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'ro.txt');
  fs.writeFileSync(file, 'content');
  const fd = fs.openSync(file, 'r');
  const ws = sluice.createWriteStream(null, { fd });
  const done = outcome(ws);
  ws.end('x');
  const { error } = await done;
  assert.strictEqual(error.code, 'EBADF');
  assert.strictEqual(error.syscall, 'write');
  assert.strictEqual(fdIsOpen(fd), false, 'autoClose closed the descriptor after the error');
  assert.strictEqual(fs.readFileSync(file, 'utf8'), 'content');
});

test('pipe whose reader has exited: EPIPE (errno -32, syscall write), then close', async (t) => {
  // A named pipe gives the test its own write end (child.stdin's descriptor is closed by Node
  // as soon as the child exits). The child opens the read end and exits at once.
  const dir = tmpdir(t);
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(fifo)}, 'r'); process.exit(0)`], {
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r)); // listen now: the child is quick
  // completes once the child has the read end; the stream owns the descriptor (autoClose)
  const fd = await new Promise((resolve, reject) => fs.open(fifo, 'w', (e, d) => (e ? reject(e) : resolve(d))));
  await exited;
  const ws = sluice.createWriteStream(null, { fd });
  const done = outcome(ws);
  const chunk = Buffer.alloc(64 * 1024, 3);
  let n = 0;
  const go = () => {
    while (n < 64 && !ws.destroyed) {
      n++;
      if (!ws.write(chunk)) return ws.once('drain', go);
    }
    if (!ws.destroyed) ws.end();
  };
  go();
  const { events, error } = await done;
  assert.ok(error, 'an error was emitted');
  assert.strictEqual(error.code, 'EPIPE');
  assert.strictEqual(error.errno, -32);
  assert.strictEqual(error.syscall, 'write');
  assert.deepStrictEqual(events, ['error', 'close']);
  assert.strictEqual(fdIsOpen(fd), false, 'the descriptor was closed (autoClose)');
});

test('write error with autoClose: false behaves as fs: error only, not destroyed, fd left open', async (t) => {
  if (!fs.existsSync('/dev/full')) return t.skip('no /dev/full on this system');
  // several ways to meet the error: a write callback pending, end() pending, a big burst
  for (const mode of ['write', 'end', 'burst']) {
    const got = {};
    for (const [name, impl] of [
      ['fs', fs],
      ['sluice', sluice],
    ]) {
      const fd = fs.openSync('/dev/full', 'w');
      const ws = impl.createWriteStream(null, { fd, autoClose: false });
      const log = [];
      ws.on('error', (e) => log.push(['error', e.code, e.syscall]));
      ws.on('finish', () => log.push(['finish']));
      ws.on('close', () => log.push(['close']));
      // (the callback's argument is not compared: sluice acknowledges once the sink has taken
      // the bytes, before the write fails)
      if (mode === 'write') ws.write('x', () => log.push(['cb']));
      else if (mode === 'end') ws.end('x');
      else for (let i = 0; i < 40; i++) ws.write(Buffer.alloc(64 * 1024));
      await new Promise((r) => setTimeout(r, 150));
      log.push(['after', ws.destroyed, fdIsOpen(fd)]);
      got[name] = log.filter((e, i, a) => !(e[0] === 'error' && a.findIndex((x) => x[0] === 'error') !== i)); // first error only
      if (!ws.destroyed) {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.destroy();
        await new Promise((r) => ws.once('close', r));
      }
      if (fdIsOpen(fd)) fs.closeSync(fd);
    }
    assert.deepStrictEqual(got.sluice, got.fs, mode);
  }
});

test('MemorySink limit exceeded: ENOBUFS error; the write after it is called back with an error', async () => {
  const ms = new sluice.MemorySink({ limit: 10 });
  const done = outcome(ms);
  ms.write('0123456789abcdef');
  const { events, error } = await done;
  assert.strictEqual(error.code, 'ENOBUFS');
  assert.strictEqual(error.errno, -105);
  assert.deepStrictEqual(events, ['error', 'close']);
  const err2 = await new Promise((r) => ms.write('more', r));
  assert.ok(err2, 'write after the failure errors');
});

test('write after end: ERR_STREAM_WRITE_AFTER_END as fs.createWriteStream does (callback and error event)', async (t) => {
  const dir = tmpdir(t);
  const results = {};
  for (const [name, impl] of [
    ['fs', fs],
    ['sluice', sluice],
  ]) {
    const file = path.join(dir, name);
    const ws = impl.createWriteStream(file);
    const log = [];
    ws.on('error', (e) => log.push(['error', e.code, e.name]));
    ws.on('finish', () => log.push(['finish']));
    ws.on('close', () => log.push(['close']));
    ws.end('done');
    const ret = ws.write('late', (e) => log.push(['cb', e && e.code]));
    log.push(['write returned', ret]);
    await new Promise((r) => (ws.closed ? r() : ws.once('close', r)));
    await new Promise((r) => setImmediate(r));
    log.push(['content', fs.readFileSync(file, 'utf8')]);
    results[name] = log;
  }
  assert.deepStrictEqual(results.sluice, results.fs);
  assert.ok(results.sluice.some((e) => e[0] === 'error' && e[1] === 'ERR_STREAM_WRITE_AFTER_END'));
});

test('write after end on a MemorySink: ERR_STREAM_WRITE_AFTER_END', async () => {
  const ms = new sluice.MemorySink();
  const errors = [];
  ms.on('error', (e) => errors.push(e.code));
  ms.end('a');
  const cbErr = await new Promise((r) => ms.write('b', r));
  assert.strictEqual(cbErr.code, 'ERR_STREAM_WRITE_AFTER_END');
  await new Promise((r) => (ms.closed ? r() : ms.once('close', r)));
  assert.deepStrictEqual(errors, ['ERR_STREAM_WRITE_AFTER_END']);
});

test('destroy() mid-way: every acknowledged byte is in the file, and the file is a prefix of what was written', async (t) => {
  const dir = tmpdir(t);
  const rnd = prng(2024);
  for (let round = 0; round < 4; round++) {
    const file = path.join(dir, `d${round}`);
    const chunks = [];
    for (let i = 0; i < 400; i++) chunks.push(randomBytes(rnd, 1 + Math.floor(rnd() * 32 * 1024)));
    const all = Buffer.concat(chunks);
    const stopAt = Math.floor(all.length * (0.1 + 0.2 * round));
    const ws = sluice.createWriteStream(file, { highWaterMark: 8 * 1024 });
    let acked = 0;
    let written = 0;
    const done = outcome(ws);
    let i = 0;
    const go = () => {
      while (i < chunks.length && !ws.destroyed) {
        const c = chunks[i++];
        written += c.length;
        const ok = ws.write(c, (err) => {
          if (err) return;
          acked += c.length;
          if (acked >= stopAt && !ws.destroyed) ws.destroy();
        });
        if (!ok) return ws.once('drain', go);
      }
    };
    go();
    const { events, error } = await done;
    assert.strictEqual(error, null, 'destroy() without an error emits no error');
    assert.ok(!events.includes('finish'));
    const got = fs.readFileSync(file);
    assert.ok(got.length >= acked, `round ${round}: file has ${got.length} bytes, ${acked} were acknowledged`);
    assert.ok(got.length <= written, `round ${round}: file has ${got.length} bytes, only ${written} were written`);
    assert.ok(all.subarray(0, got.length).equals(got), `round ${round}: the file is a prefix of the written data`);
  }
});

test('destroy(err): that error is emitted, then close; acknowledged bytes kept', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'e');
  const ws = sluice.createWriteStream(file);
  const done = outcome(ws);
  await new Promise((r) => ws.write('acknowledged', r));
  const boom = new Error('boom');
  ws.destroy(boom);
  const { events, error } = await done;
  assert.strictEqual(error, boom);
  assert.deepStrictEqual(events, ['open', 'error', 'close']);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), 'acknowledged');
});

test('destroy() before open: no error, close, and the descriptor opened later is not leaked', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'early');
  const before = fs.readdirSync('/proc/self/fd').length;
  for (let i = 0; i < 20; i++) {
    const ws = sluice.createWriteStream(file);
    const done = outcome(ws);
    ws.write('x');
    ws.destroy();
    const { error } = await done;
    assert.strictEqual(error, null);
  }
  await new Promise((r) => setTimeout(r, 50));
  const after = fs.readdirSync('/proc/self/fd').length;
  assert.ok(after <= before + 2, `open descriptors: ${before} before, ${after} after`);
});

test('a NullSink in object mode takes any value and discards it (no bare native error)', async () => {
  const n = new sluice.NullSink({ objectMode: true });
  const rets = [{}, 5, 'abc', new Uint16Array(2), [1, 2], Symbol('s')].map((v) => n.write(v));
  assert.deepStrictEqual(rets, [true, true, true, true, true, true]);
  await new Promise((resolve, reject) => n.on('error', reject).end(resolve));
  assert.strictEqual(n.bytesWritten, 7, 'only the string and the TypedArray carry bytes');
});

test("an object-mode file sink rejects a non-byte chunk with fs.WriteStream's ERR_INVALID_ARG_TYPE", async (t) => {
  const dir = tmpdir(t);
  const thrownBy = async (ws) => {
    await new Promise((r) => ws.once('open', r));
    try {
      ws.write({ not: 'bytes' });
    } catch (e) {
      return e;
    } finally {
      ws.destroy();
    }
    return null;
  };
  const node = await thrownBy(fs.createWriteStream(path.join(dir, 'n'), { objectMode: true }));
  const ours = await thrownBy(sluice.createWriteStream(path.join(dir, 's'), { objectMode: true }));
  assert.ok(node && ours, 'both throw from write()');
  assert.strictEqual(ours.code, node.code);
  assert.strictEqual(ours.message, node.message);
  assert.strictEqual(ours.constructor, node.constructor);
  // A MemorySink and a ThrottleSink take the same chunks as a file sink.
  for (const sink of [new sluice.MemorySink({ objectMode: true }), new sluice.ThrottleSink({ objectMode: true })]) {
    assert.throws(() => sink.write(42), { code: 'ERR_INVALID_ARG_TYPE', message: node.message.replace('an instance of Object', 'type number (42)') });
    sink.destroy();
  }
});
