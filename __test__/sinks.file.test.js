'use strict';

// sluice.createWriteStream / WriteStream against real files: every byte verified on 'finish',
// and the observable events/properties compared with fs.createWriteStream for the same scenario.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const sluice = require('..');
const { prng } = require('./helpers/prng');

// ---------------------------------------------------------------------------------------------
// helpers

/** A fresh temp dir for this test, removed when the test ends. */
function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sinks-file-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Seeded PRNG (mulberry32): a function returning floats in [0, 1). */

function randomBytes(rnd, n) {
  const b = Buffer.allocUnsafe(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) b.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  for (; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

/** `n` chunks of random content, sizes log-uniform in [1 B, 256 KiB], both extremes included. */
function randomChunks(seed, n) {
  const rnd = prng(seed);
  const sizes = [1, 256 * 1024];
  while (sizes.length < n) sizes.push(Math.max(1, Math.floor(Math.exp(rnd() * Math.log(256 * 1024)))));
  // shuffle so the extremes are not always first
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  return sizes.map((s) => randomBytes(rnd, s));
}

/**
 * The canonical producer: write() until it returns false, wait for 'drain', go on; then end().
 * Resolves on 'finish' with { atFinish: onFinish() result, falses: how often write() said no }.
 */
function writeAll(ws, chunks, { encoding, onFinish } = {}) {
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
        const ok = encoding ? ws.write(chunks[i++], encoding) : ws.write(chunks[i++]);
        if (!ok) {
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

function waitClose(ws) {
  return new Promise((resolve) => {
    if (ws.closed) resolve();
    else ws.once('close', resolve);
  });
}

/** First index where a and b differ (for readable failure messages), -1 if equal. */
function firstDiff(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function assertSameBytes(actual, expected, what) {
  if (actual.equals(expected)) return;
  assert.fail(
    `${what}: ${actual.length} bytes, expected ${expected.length}; first difference at byte ${firstDiff(actual, expected)}`
  );
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

// ---------------------------------------------------------------------------------------------
// every byte verified

test('canonical write()/drain loop: 48 random chunks (1 B..256 KiB) are all in the file at finish', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.bin');
  const chunks = randomChunks(0xc0ffee, 48);
  const expected = Buffer.concat(chunks);
  const ws = sluice.createWriteStream(file);
  const { atFinish, falses } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assertSameBytes(atFinish, expected, 'file at finish');
  // (whether write() returns false here depends on the worker's speed: not asserted)
  void falses;
  assert.strictEqual(ws.bytesWritten, expected.length);
  await waitClose(ws);
  assertSameBytes(fs.readFileSync(file), expected, 'file after close');
});

test('canonical loop with a small highWaterMark and a tiny native buffer: every byte, in order', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.bin');
  const chunks = randomChunks(7, 200).map((c) => c.subarray(0, 1 + (c.length % 4096)));
  const expected = Buffer.concat(chunks);
  assert.ok(chunks.some((c) => c.length >= 1024));
  const ws = sluice.createWriteStream(file, { highWaterMark: 1024, nativeBufferSize: 1000 });
  const { atFinish, falses } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assertSameBytes(atFinish, expected, 'file at finish');
  assert.ok(falses > 0, 'a full native buffer holds the callback, so write() returns false');
  await waitClose(ws);
});

test('cork()/uncork() batches (_writev): every byte in order', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.bin');
  const chunks = randomChunks(42, 60);
  const expected = Buffer.concat(chunks);
  const ws = sluice.createWriteStream(file);
  const finished = new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('finish', () => resolve(fs.readFileSync(file)));
  });
  // groups of 1..9 chunks written corked, uncorked on the next tick
  const rnd = prng(99);
  let i = 0;
  while (i < chunks.length) {
    const n = 1 + Math.floor(rnd() * 9);
    ws.cork();
    let ok = true;
    for (let k = 0; k < n && i < chunks.length; k++) ok = ws.write(chunks[i++]);
    await new Promise((r) => process.nextTick(r));
    ws.uncork();
    if (!ok || ws.writableNeedDrain) await new Promise((r) => ws.once('drain', r));
  }
  ws.end();
  assertSameBytes(await finished, expected, 'file at finish');
  await waitClose(ws);
});

test('strings in several encodings (per write and as default encoding) become the right bytes', async (t) => {
  const dir = tmpdir(t);
  const text = 'Grüße, 世界! \u{1F600} naïve café ' + 'x'.repeat(100);
  const pieces = [
    [text, 'utf8'],
    [Buffer.from(text).toString('hex'), 'hex'],
    [Buffer.from(text).toString('base64'), 'base64'],
    [Buffer.from(text).toString('base64url'), 'base64url'],
    ['caf\u00e9 latin1 \u00ff', 'latin1'],
    [text, 'utf16le'],
    ['plain ascii', 'ascii'],
    [text, 'ucs2'],
  ];
  const expected = Buffer.concat(pieces.map(([s, enc]) => Buffer.from(s, enc)));

  // per-write encoding
  const f1 = path.join(dir, 'a');
  const ws1 = sluice.createWriteStream(f1);
  for (const [s, enc] of pieces) ws1.write(s, enc);
  ws1.end();
  await new Promise((r, j) => ws1.on('finish', r).on('error', j));
  assertSameBytes(fs.readFileSync(f1), expected, 'per-write encodings');
  assert.strictEqual(ws1.bytesWritten, expected.length);

  // default encoding from options.encoding (as fs.createWriteStream), and the string shorthand
  for (const enc of ['hex', 'base64', 'utf16le', 'latin1']) {
    const s = Buffer.from(text).toString(enc === 'utf16le' || enc === 'latin1' ? 'latin1' : enc);
    const fS = path.join(dir, `s-${enc}`);
    const fN = path.join(dir, `n-${enc}`);
    for (const [impl, f, opts] of [
      [sluice, fS, { encoding: enc }],
      [fs, fN, { encoding: enc }],
    ]) {
      const ws = impl.createWriteStream(f, opts);
      ws.write(s);
      ws.end(s);
      await new Promise((r, j) => ws.on('close', r).on('error', j));
    }
    assertSameBytes(fs.readFileSync(fS), Buffer.concat([Buffer.from(s, enc), Buffer.from(s, enc)]), `encoding option ${enc}`);
    assertSameBytes(fs.readFileSync(fS), fs.readFileSync(fN), `encoding option ${enc} vs fs`);
  }
  const fShort = path.join(dir, 'short');
  const ws2 = sluice.createWriteStream(fShort, 'hex');
  ws2.end('deadbeef');
  await waitClose(ws2);
  assertSameBytes(fs.readFileSync(fShort), Buffer.from('deadbeef', 'hex'), "createWriteStream(path, 'hex')");
});

test("start with flags 'r+': positioned write into an existing file leaves the rest intact", async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'existing.bin');
  const rnd = prng(5);
  const original = randomBytes(rnd, 300 * 1024);
  fs.writeFileSync(file, original);
  const chunks = randomChunks(6, 20).map((c) => c.subarray(0, Math.min(c.length, 20 * 1024)));
  const patch = Buffer.concat(chunks);
  const start = 12345;
  const expected = Buffer.from(original);
  patch.copy(expected, start);
  const expectedLen = Math.max(original.length, start + patch.length);
  const ws = sluice.createWriteStream(file, { flags: 'r+', start });
  const { atFinish } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assert.strictEqual(atFinish.length, expectedLen);
  assertSameBytes(atFinish, expected.subarray(0, expectedLen), 'patched file');

  // past the end: the file grows, with a hole of zeros
  const f2 = path.join(dir, 'grow.bin');
  fs.writeFileSync(f2, Buffer.from('abc'));
  const ws2 = sluice.createWriteStream(f2, { flags: 'r+', start: 10 });
  ws2.end('XYZ');
  await waitClose(ws2);
  assertSameBytes(fs.readFileSync(f2), Buffer.from('abc\0\0\0\0\0\0\0XYZ', 'latin1'), 'write past end');
  await waitClose(ws);
});

test("start with the default flags 'w' truncates, then writes at the offset (as fs does)", async (t) => {
  const dir = tmpdir(t);
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  for (const f of [a, b]) fs.writeFileSync(f, 'hello world, hello world');
  for (const [impl, f] of [[sluice, a], [fs, b]]) {
    const ws = impl.createWriteStream(f, { start: 4 });
    ws.write('AB');
    ws.end('CD');
    await new Promise((r, j) => ws.on('close', r).on('error', j));
  }
  assertSameBytes(fs.readFileSync(a), fs.readFileSync(b), 'start without r+');
});

test("flags 'a' appends to the existing content", async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'log.txt');
  const head = Buffer.from('existing content\n');
  fs.writeFileSync(file, head);
  const chunks = randomChunks(11, 30);
  const ws = sluice.createWriteStream(file, { flags: 'a' });
  const { atFinish } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assertSameBytes(atFinish, Buffer.concat([head, ...chunks]), 'appended file');
  await waitClose(ws);

  // a second appender continues after the first
  const ws2 = sluice.createWriteStream(file, { flags: 'a' });
  ws2.end('tail');
  await waitClose(ws2);
  assertSameBytes(fs.readFileSync(file), Buffer.concat([head, ...chunks, Buffer.from('tail')]), 'second append');
});

test('fd option, autoClose true: bytes written, descriptor closed after close, no open event', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'fd.bin');
  const fd = fs.openSync(file, 'w');
  const chunks = randomChunks(21, 24);
  const ws = sluice.createWriteStream(null, { fd });
  let opened = false;
  ws.on('open', () => (opened = true));
  assert.strictEqual(ws.pending, false);
  assert.strictEqual(ws.fd, fd);
  const { atFinish } = await writeAll(ws, chunks, { onFinish: () => [fs.readFileSync(file), fdIsOpen(fd)] });
  assertSameBytes(atFinish[0], Buffer.concat(chunks), 'file at finish');
  assert.strictEqual(atFinish[1], true, "fd still open in 'finish' (closed only on destroy/close)");
  await waitClose(ws);
  assert.strictEqual(opened, false, "no 'open' for a given fd");
  assert.strictEqual(fdIsOpen(fd), false, 'fd closed by autoClose');
});

test('fd option, autoClose false: bytes written, descriptor still open afterwards', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'fd.bin');
  const fd = fs.openSync(file, 'w');
  t.after(() => {
    if (fdIsOpen(fd)) fs.closeSync(fd);
  });
  const chunks = randomChunks(22, 24);
  const ws = sluice.createWriteStream(null, { fd, autoClose: false });
  const { atFinish } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assertSameBytes(atFinish, Buffer.concat(chunks), 'file at finish');
  await new Promise((r) => setTimeout(r, 50));
  assert.strictEqual(fdIsOpen(fd), true, 'fd left open with autoClose: false');
  // the descriptor is still usable and positioned after our bytes
  fs.writeSync(fd, 'after');
  assertSameBytes(fs.readFileSync(file), Buffer.concat([...chunks, Buffer.from('after')]), 'fd reused');
  ws.destroy();
  await waitClose(ws);
});

test('differential: destroy() and close() on an autoClose:false stream with an fd: is the fd closed?', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    const fd = fs.openSync(file, 'w');
    const ws = impl.createWriteStream(null, { fd, autoClose: false });
    ws.end('abc');
    await new Promise((r) => ws.once('finish', r));
    ws.destroy();
    await closed(ws);
    log.push(['destroy()', fdIsOpen(fd)]);
    if (fdIsOpen(fd)) fs.closeSync(fd);

    const fd2 = fs.openSync(file + '2', 'w');
    const ws2 = impl.createWriteStream(null, { fd: fd2, autoClose: false });
    ws2.write('abc');
    await new Promise((r) => ws2.close(r));
    log.push(['close(cb)', fdIsOpen(fd2), fs.readFileSync(file + '2', 'utf8')]);
    if (fdIsOpen(fd2)) fs.closeSync(fd2);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('fd option given as a FileHandle-like { fd } object', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'fh.bin');
  const fd = fs.openSync(file, 'w');
  const ws = sluice.createWriteStream(null, { fd: { fd } });
  assert.strictEqual(ws.fd, fd);
  ws.end('via handle');
  await waitClose(ws);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), 'via handle');
  assert.strictEqual(fdIsOpen(fd), false, 'closed by autoClose');
});

test('flush: true: every byte in the file at finish (fsync path), same as fs', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'flushed.bin');
  const chunks = randomChunks(31, 16);
  const ws = sluice.createWriteStream(file, { flush: true });
  const { atFinish } = await writeAll(ws, chunks, { onFinish: () => fs.readFileSync(file) });
  assertSameBytes(atFinish, Buffer.concat(chunks), 'file at finish');
  await waitClose(ws);
  // the same through a descriptor given by the caller
  const p = path.join(dir, 'viaFd.bin');
  const fd = fs.openSync(p, 'w');
  const ws2 = sluice.createWriteStream(null, { fd, flush: true });
  ws2.end('x');
  await new Promise((r, j) => ws2.on('close', r).on('error', j));
  assert.strictEqual(fs.readFileSync(p, 'utf8'), 'x');
});

test('end(chunk, cb): cb after finish, with every byte in the file', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'end.bin');
  const chunks = randomChunks(3, 10);
  const ws = sluice.createWriteStream(file);
  for (const c of chunks.slice(0, -1)) ws.write(c);
  let finished = false;
  ws.on('finish', () => (finished = true));
  const content = await new Promise((resolve) => ws.end(chunks[chunks.length - 1], () => resolve(fs.readFileSync(file))));
  assert.ok(finished, "end() callback after 'finish'");
  assertSameBytes(content, Buffer.concat(chunks), 'file in end() callback');
});

// ---------------------------------------------------------------------------------------------
// differential with fs.createWriteStream

/** Runs `scenario` against fs and sluice, returns both logs. */
async function differential(t, scenario) {
  const dir = tmpdir(t);
  const logs = {};
  for (const [name, impl] of [
    ['fs', fs],
    ['sluice', sluice],
  ]) {
    const log = [];
    await scenario(impl, path.join(dir, name), log);
    logs[name] = log;
  }
  return logs;
}

function track(ws, log, events = ['open', 'ready', 'finish', 'close', 'error']) {
  for (const e of events) {
    ws.on(e, (arg) => {
      if (e === 'open') log.push(['open', typeof arg, arg === ws.fd, ws.pending]);
      else if (e === 'error') log.push(['error', arg.code, arg.syscall, arg.errno]);
      else if (e === 'finish') log.push(['finish', ws.bytesWritten, ws.pending]);
      else log.push([e]);
    });
  }
}

function closed(ws) {
  return new Promise((resolve) => ws.once('close', resolve));
}

test('differential: event order, pending, bytesWritten and path for a path string', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    const ws = impl.createWriteStream(file);
    track(ws, log);
    log.push(['pending-before-open', ws.pending, ws.path === file, ws.bytesWritten]);
    log.push(['write', ws.write('hello '), ws.write(Buffer.alloc(20000, 1))]);
    ws.end('world', () => log.push(['end-cb']));
    await new Promise((r) => ws.once('open', r));
    log.push(['pending-after-open', ws.pending, typeof ws.fd]);
    await closed(ws);
    log.push(['final', ws.bytesWritten, fs.readFileSync(file).length]);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('differential: file: URL path (path property is the file path string)', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    const ws = impl.createWriteStream(pathToFileURL(file));
    track(ws, log);
    log.push(['path', typeof ws.path, ws.path === file, ws.pending]);
    ws.end('via url');
    await closed(ws);
    log.push(['content', fs.readFileSync(file, 'utf8'), ws.bytesWritten]);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('Buffer path: writes the file (and path is usable)', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'buf-path');
  const ws = sluice.createWriteStream(Buffer.from(file));
  ws.end('via buffer');
  await closed(ws);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), 'via buffer');
});

test('differential: Buffer path: path property is kept as given (fs keeps the Buffer)', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    const ws = impl.createWriteStream(Buffer.from(file));
    log.push(['path', Buffer.isBuffer(ws.path), String(ws.path) === file]);
    ws.end('x');
    await closed(ws);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('differential: fd option (autoClose true and false): events, pending, path', async (t) => {
  for (const autoClose of [true, false]) {
    const logs = await differential(t, async (impl, file, log) => {
      const fd = fs.openSync(file, 'w');
      const ws = impl.createWriteStream(null, { fd, autoClose });
      track(ws, log);
      log.push(['initial', ws.pending, ws.path, ws.fd === fd]);
      ws.write('abc');
      ws.end('def', () => log.push(['end-cb']));
      await new Promise((r) => ws.once('finish', r));
      await new Promise((r) => setTimeout(r, 30));
      log.push(['after', fdIsOpen(fd), ws.bytesWritten, ws.destroyed]);
      log.push(['content', fs.readFileSync(file, 'utf8')]);
      if (!ws.destroyed) {
        // release the stream (and sluice's native sink); not part of the comparison
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.destroy();
        await closed(ws);
      }
      if (fdIsOpen(fd)) fs.closeSync(fd);
    });
    assert.deepStrictEqual(logs.sluice, logs.fs, `autoClose: ${autoClose}`);
  }
});

test('differential: emitClose false, flags a, empty stream, close(cb)', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    // emitClose: false -> no 'close'
    const a = impl.createWriteStream(file + '-a', { emitClose: false });
    track(a, log);
    a.end('x');
    await new Promise((r) => a.once('finish', r));
    await new Promise((r) => setTimeout(r, 30));
    log.push(['emitClose-false', a.destroyed, a.closed]);

    // append twice
    fs.writeFileSync(file + '-b', 'head;');
    const b = impl.createWriteStream(file + '-b', { flags: 'a' });
    track(b, log);
    b.end('tail');
    await closed(b);
    log.push(['append', fs.readFileSync(file + '-b', 'utf8'), b.bytesWritten]);

    // nothing written: file created empty
    const c = impl.createWriteStream(file + '-c');
    track(c, log);
    c.end();
    await closed(c);
    log.push(['empty', fs.readFileSync(file + '-c').length, c.bytesWritten]);

    // close(cb) = end + close
    const d = impl.createWriteStream(file + '-d');
    track(d, log);
    d.write('closing');
    await new Promise((r) => d.close((err) => { log.push(['close-cb', err == null]); r(); }));
    log.push(['close()', fs.readFileSync(file + '-d', 'utf8'), d.bytesWritten]);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('differential: pending, fd and bytesWritten after close', async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    const ws = impl.createWriteStream(file);
    ws.end('12345');
    await closed(ws);
    log.push(['after-close', ws.pending, ws.fd, ws.bytesWritten]);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test("differential: flags 'wx' on an existing file fails with EEXIST from open, then close", async (t) => {
  const logs = await differential(t, async (impl, file, log) => {
    fs.writeFileSync(file, 'keep');
    const ws = impl.createWriteStream(file, { flags: 'wx' });
    track(ws, log);
    ws.on('error', (e) => log.push(['error-path', e.path === file]));
    ws.write('x', (err) => log.push(['write-cb', err && err.code]));
    await closed(ws);
    log.push(['content', fs.readFileSync(file, 'utf8')]);
  });
  assert.deepStrictEqual(logs.sluice, logs.fs);
});

test('a tight producer running the canonical loop into a native sink lets the loop turn: at most the tick budget is acknowledged per macrotask', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-budget-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'out');
  const ws = sluice.createWriteStream(file);
  const chunk = Buffer.alloc(1024, 0x61);
  const total = 64 * 1024 * 1024;
  let written = 0;
  let turns = 0;
  let largestStretch = 0;
  let atLastTurn = 0;
  // One immediate per turn of the loop, for as long as the producer runs: how many bytes were
  // written between two turns.
  const tick = () => {
    turns++;
    largestStretch = Math.max(largestStretch, written - atLastTurn);
    atLastTurn = written;
    if (written < total) setImmediate(tick);
  };
  setImmediate(tick);
  while (written < total) {
    let ok = true;
    while (ok && written < total) {
      ok = ws.write(chunk);
      written += chunk.length;
    }
    if (!ok) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((r) => ws.end(r));
  // The budget (1 MiB) plus what write() buffers before returning false (the mark), with room
  // for where the observing immediate falls among the turn's own (without the budget: 7+ MiB).
  assert.ok(largestStretch <= 1024 * 1024 + 4 * ws.writableHighWaterMark, `largest stretch ${largestStretch} bytes without a turn`);
  assert.ok(turns >= total / (2 * 1024 * 1024), `the loop turned ${turns} times`);
  assert.strictEqual(fs.statSync(file).size, total);
});

test('small writes (staged on the JS side) and large ones (handed over as they are) interleave in order, with write callbacks in order', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.bin');
  const rnd = prng(0x5a9e);
  // Sizes around the staging block (64 KiB) and its half: staged, spilling, direct.
  const sizes = [1, 100, 40000, 30000, 65536, 32768, 32769, 3, 70000, 64 * 1024 - 1, 2, 200000, 7];
  const chunks = [];
  for (let k = 0; k < 20; k++) for (const n of sizes) chunks.push(randomBytes(rnd, n));
  const expected = Buffer.concat(chunks);
  const ws = sluice.createWriteStream(file);
  const order = [];
  let i = 0;
  while (i < chunks.length) {
    let ok = true;
    while (ok && i < chunks.length) {
      const k = i++;
      ok = ws.write(chunks[k], () => order.push(k));
    }
    if (!ok) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((r) => ws.end(r));
  assertSameBytes(fs.readFileSync(file), expected, 'file at finish');
  assert.deepStrictEqual(order, chunks.map((_, k) => k));
  await waitClose(ws);
});

test('a slow turn is cut short: at most ~TICK_TIME_MS of synchronous acknowledgements per macrotask, whatever the bytes', async (t) => {
  const dir = tmpdir(t);
  const ws = sluice.createWriteStream(path.join(dir, 'out'));
  await new Promise((r) => ws.once('ready', r));
  const chunk = Buffer.alloc(16, 0x61);
  // Each write takes ~0.1 ms here (a slow producer), far below the byte budget per turn: the
  // time budget alone makes write() return false within the turn.
  let n = 0;
  let ok = true;
  while (ok && n < 10000) {
    const until = performance.now() + 0.1;
    while (performance.now() < until);
    ok = ws.write(chunk);
    n++;
  }
  assert.strictEqual(ok, false, 'write() returned false within the turn');
  assert.ok(n * chunk.length < 1024 * 1024, `${n} writes`);
  await new Promise((r) => ws.end(r));
  await waitClose(ws);
});
