'use strict';

// stream.pipeline / stream/promises pipeline over graphs that mix the
// package's streams with node:stream's and zlib's (gzip -> gunzip round trips
// checked byte for byte), error propagation from a failing middle stage,
// cancellation with an AbortSignal, and stream.finished on Transforms.
//
// zlib does its work on the thread pool, so the zlib scenarios never track
// zlib streams and log only order-independent facts (final bytes, callback
// errors, destroyed flags).

const stream = require('node:stream');
const streamPromises = require('node:stream/promises');
const zlib = require('node:zlib');
const { ddifferential, transform } = require('./helpers/dtrace');
const { source } = require('./helpers/rtrace');
const { sink } = require('./helpers/sinks');

// Deterministic, partly compressible binary data.
function testData(size, seed = 7) {
  const buf = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[i] = i % 3 === 0 ? (x >>> 16) & 0xff : 0x41 + (i % 26);
  }
  return buf;
}

function chunked(buf, size) {
  const out = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

// An untracked Readable pushing `chunks` synchronously from _read (zlib
// scenarios: its events would interleave with thread-pool completions).
function bufferSource(impl, chunks, opts = {}) {
  let i = 0;
  const r = new impl.Readable({
    ...opts,
    read() {
      this.$reads++;
      this.push(i < chunks.length ? chunks[i++] : null);
    },
  });
  r.$reads = 0;
  return r;
}

function collector(impl, opts = {}) {
  const parts = [];
  const w = new impl.Writable({
    ...opts,
    write(c, e, cb) {
      parts.push(Buffer.from(c));
      cb();
    },
  });
  w.$bytes = () => Buffer.concat(parts);
  w.$chunks = parts;
  return w;
}

// ---------------------------------------------------------------------------
// zlib round trips.

ddifferential('pipeline(sluice Readable, gzip, gunzip, sluice Writable) round-trips the bytes exactly', async (impl, log) => {
  const data = testData(40000);
  const r = bufferSource(impl, chunked(data, 1000));
  const w = collector(impl);
  const gz = zlib.createGzip();
  const gunz = zlib.createGunzip();
  await new Promise((resolve) => stream.pipeline(r, gz, gunz, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  const out = w.$bytes();
  log('round-trip', out.length, out.equals(data));
  log('destroyed', r.destroyed, gz.destroyed, gunz.destroyed, w.destroyed);
  log('src', r.readableEnded, r.$reads, 'sink', w.writableFinished);
}, { expect: ["'round-trip', 40000, true", "'pipeline-cb', undefined"] });

ddifferential('pipeline(node Readable.from, sluice PassThrough, gzip, sluice Transform, gunzip, node Writable): exact bytes, sluice stages counted', async (impl, log) => {
  const data = testData(25000, 99);
  let gzBytes = 0;
  let gzChunks = 0;
  const counter = new impl.Transform({
    transform(c, e, cb) {
      gzBytes += c.length;
      gzChunks++;
      cb(null, c);
    },
  });
  const pt = new impl.PassThrough({ highWaterMark: 1024 });
  let received = [];
  const dest = new stream.Writable({
    write(c, e, cb) {
      received.push(c);
      setImmediate(cb);
    },
  });
  const gz = zlib.createGzip({ level: 6 });
  await new Promise((resolve) => impl.pipeline(
    stream.Readable.from(chunked(data, 777)),
    pt,
    gz,
    counter,
    zlib.createGunzip(),
    dest,
    (err) => {
      log('pipeline-cb', err);
      resolve();
    },
  ));
  received = Buffer.concat(received);
  log('round-trip', received.length, received.equals(data));
  const expectedGz = zlib.gzipSync(data, { level: 6 });
  log('gzip-bytes-through-sluice', gzBytes === expectedGz.length, gzChunks > 0);
  log('sluice-stages', pt.destroyed, pt.writableFinished, pt.readableEnded, counter.destroyed, counter.readableEnded);
}, { expect: ["'round-trip', 25000, true", "'gzip-bytes-through-sluice', true, true"] });

ddifferential('stream/promises pipeline with gzip/gunzip, an object-to-bytes sluice Transform and a sluice Writable', async (impl, log) => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `n${i}`, v: (i * 37) % 101 }));
  const r = new impl.Readable({
    objectMode: true,
    highWaterMark: 4,
    read() {
      const row = rows[this.$i++];
      this.push(row === undefined ? null : row);
    },
  });
  r.$i = 0;
  const toLines = new impl.Transform({
    writableObjectMode: true,
    transform(row, e, cb) {
      cb(null, `${JSON.stringify(row)}\n`);
    },
  });
  const w = collector(impl, { highWaterMark: 64 });
  const res = await impl.promises.pipeline(r, toLines, zlib.createGzip(), zlib.createGunzip(), w);
  const text = w.$bytes().toString();
  log('resolved', res);
  log('lines', text.split('\n').length - 1, text === rows.map((x) => `${JSON.stringify(x)}\n`).join(''));
  log('destroyed', r.destroyed, toLines.destroyed, w.destroyed);
}, { expect: ["'lines', 300, true", "'resolved', undefined"] });

ddifferential('pipeline with corrupt gzip input: gunzip error reaches the callback and the sluice stages are destroyed', async (impl, log) => {
  const good = zlib.gzipSync(Buffer.from('some text that will be corrupted '.repeat(20)));
  const bad = Buffer.from(good);
  bad[0] = 0x00; // break the magic header
  const r = bufferSource(impl, chunked(bad, 64));
  const pt = new impl.PassThrough();
  const w = collector(impl);
  await new Promise((resolve) => stream.pipeline(r, pt, zlib.createGunzip(), w, (err) => {
    log('pipeline-cb', err && err.code, err && err.name);
    resolve();
  }));
  await log.settle(3);
  log('destroyed', r.destroyed, pt.destroyed, w.destroyed, w.$chunks.length);
}, { expect: ["'pipeline-cb', 'Z_DATA_ERROR'", "'destroyed', true, true, true, 0"] });

// ---------------------------------------------------------------------------
// Error propagation.

ddifferential('pipeline error in a middle sluice Transform: every stage destroyed, callback gets the error once', async (impl, log) => {
  const r = source(impl, log, { chunks: ['a', 'b', 'c', 'd', 'e'], how: 'nextTick', quiet: true, label: 'src' });
  let n = 0;
  const bad = new impl.Transform({
    transform(c, e, cb) {
      n++;
      if (n === 3) cb(new Error('middle failed'));
      else cb(null, c);
    },
  });
  log.track(bad, 'bad');
  const pt = new stream.PassThrough(); // a node:stream stage between two sluice stages
  log.track(pt, 'npt');
  const w = sink(impl, log, { label: 'w', how: 'sync' });
  let calls = 0;
  await new Promise((resolve) => stream.pipeline(r, bad, pt, w, (err) => {
    calls++;
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(3);
  log('calls', calls, 'destroyed', r.destroyed, bad.destroyed, pt.destroyed, w.destroyed);
  log('errored', r.errored, bad.errored, pt.errored, w.errored);
}, { expect: ["'pipeline-cb', { error: true, name: 'Error', code: undefined, message: 'middle failed' }", "'calls', 1, 'destroyed', true, true, true, true"] });

ddifferential('pipeline error in a middle Transform before gzip: gzip and the sluice stages are destroyed', async (impl, log) => {
  const data = testData(8000, 3);
  const r = bufferSource(impl, chunked(data, 500));
  let n = 0;
  const bad = new impl.Transform({
    transform(c, e, cb) {
      if (++n === 4) setImmediate(cb, new Error('late failure'));
      else cb(null, c);
    },
  });
  const gz = zlib.createGzip();
  const w = collector(impl);
  await new Promise((resolve) => stream.pipeline(r, bad, gz, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(3);
  log('destroyed', r.destroyed, bad.destroyed, gz.destroyed, w.destroyed, w.writableFinished);
}, { expect: ['late failure', "'destroyed', true, true, true, true, false"] });

ddifferential('pipeline error passed to a destination _write callback propagates back to a sluice source', async (impl, log) => {
  const r = source(impl, log, { chunks: ['x1', 'x2', 'x3', 'x4'], quiet: true, label: 'src' });
  const t = transform(impl, log, { quiet: true, label: 't' });
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      cb(c.toString() === 'x2' ? new Error('sink refused') : null);
    },
  });
  log.track(w, 'w');
  await new Promise((resolve) => impl.pipeline(r, t, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
  log('destroyed', r.destroyed, t.destroyed, w.destroyed);
}, { expect: ['sink refused'] });

ddifferential('pipeline with a sluice Duplex in the middle (write side fed, read side drained)', async (impl, log) => {
  const r = source(impl, log, { chunks: ['p', 'q', 'r'], quiet: true, label: 'src' });
  const d = new impl.Duplex({
    read() {},
    write(c, e, cb) {
      this.push(`[${c}]`);
      cb();
    },
    final(cb) {
      this.push(null);
      cb();
    },
  });
  log.track(d, 'd');
  const w = sink(impl, log, { label: 'w' });
  await new Promise((resolve) => stream.pipeline(r, d, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
  log.dsnap(d, 'done');
}, { expect: ["'_write', 'w', 'buf:\"[q]\"'", "'pipeline-cb', undefined"] });

// ---------------------------------------------------------------------------
// AbortSignal.

ddifferential('stream/promises pipeline with an AbortSignal aborted mid-stream rejects with AbortError and destroys every stage', async (impl, log) => {
  const ac = new AbortController();
  const chunks = Array.from({ length: 10 }, (_, i) => `s${i}`);
  const r = source(impl, log, { chunks, how: 'nextTick', quiet: true, label: 'src' });
  const t = transform(impl, log, { quiet: true, label: 't', map: (c) => c.toString().toUpperCase() });
  let seen = 0;
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      if (++seen === 3) {
        log('aborting');
        ac.abort();
      }
      cb();
    },
  });
  log.track(w, 'w');
  try {
    await streamPromises.pipeline(r, t, w, { signal: ac.signal });
    log('resolved');
  } catch (err) {
    log('rejected', err);
  }
  await log.settle(2);
  log('destroyed', r.destroyed, t.destroyed, w.destroyed, 'seen', seen);
}, { expect: ["'rejected', { error: true, name: 'AbortError'", "'destroyed', true, true, true, 'seen', 3"] });

ddifferential('stream/promises pipeline with an already-aborted signal rejects with AbortError before any data moves', async (impl, log) => {
  const r = source(impl, log, { chunks: ['never'], label: 'src' });
  const t = transform(impl, log, {});
  const w = sink(impl, log, {});
  try {
    await impl.promises.pipeline(r, t, w, { signal: AbortSignal.abort() });
    log('resolved');
  } catch (err) {
    log('rejected', err);
  }
  await log.settle(2);
  log('destroyed', r.destroyed, t.destroyed, w.destroyed, t.$calls);
}, { expect: ["'rejected', { error: true, name: 'AbortError'"] });

ddifferential('stream/promises pipeline with gzip and an AbortSignal aborted from a sluice Transform', async (impl, log) => {
  const data = testData(30000, 11);
  const ac = new AbortController();
  const r = bufferSource(impl, chunked(data, 1000));
  let n = 0;
  const tap = new impl.Transform({
    transform(c, e, cb) {
      if (++n === 5) ac.abort(new Error('user cancelled'));
      cb(null, c);
    },
  });
  const w = collector(impl);
  try {
    await impl.promises.pipeline(r, tap, zlib.createGzip(), zlib.createGunzip(), w, { signal: ac.signal });
    log('resolved');
  } catch (err) {
    log('rejected', err.name, err.code, err.cause && err.cause.message);
  }
  await log.settle(3);
  log('destroyed', r.destroyed, tap.destroyed, w.destroyed, 'finished', w.writableFinished);
}, { expect: ["'rejected', 'AbortError', 'ABORT_ERR', 'user cancelled'"] });

// ---------------------------------------------------------------------------
// stream.finished on a Transform.

ddifferential('finished(transform) calls back once both sides are done (after end and finish)', async (impl, log) => {
  const t = transform(impl, log, { map: (c) => c });
  stream.finished(t, (err, ...rest) => log('finished-cb', err, rest.length, t.writableFinished, t.readableEnded));
  log.write(t, 'a');
  log.end(t);
  await log.settle(3);
  log('not-yet-read', t.readableEnded);
  t.resume();
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'finished-cb', undefined, 0, true, true"] });

ddifferential('finished(transform, { readable: false }) fires on finish even while output is unread', async (impl, log) => {
  const t = transform(impl, log, {});
  impl.finished(t, { readable: false }, (err) => log('writable-finished-cb', err, t.writableFinished, t.readableEnded));
  log.end(t, 'unread');
  await log.settle(4);
  log.dsnap(t, 'settled');
  t.destroy();
  await log.waitFor(t, 'close');
}, { expect: ["'writable-finished-cb', undefined, true, false"] });

ddifferential('finished(transform) on destroy() before end: ERR_STREAM_PREMATURE_CLOSE', async (impl, log) => {
  const t = transform(impl, log, {});
  stream.finished(t, (err) => log('finished-cb', err));
  log.write(t, 'x');
  t.destroy();
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ['ERR_STREAM_PREMATURE_CLOSE'] });

ddifferential('finished(transform) when _transform fails: the callback gets that error', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      process.nextTick(cb, new Error('transform failed'));
    },
  });
  log.track(t, 't');
  const p = streamPromises.finished(t).then(() => log('resolved'), (err) => log('rejected', err));
  t.resume();
  log.write(t, 'boom');
  await p;
  await log.settle(2);
}, { expect: ["'rejected', { error: true, name: 'Error', code: undefined, message: 'transform failed' }"] });

ddifferential('finished(transform) with an async _flush: waits for the flush callback and the last data', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
    },
    flush(cb) {
      setImmediate(() => {
        log('flush-done');
        cb(null, 'tail');
      });
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  impl.finished(t, (err) => log('finished-cb', err));
  log.end(t, 'head');
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'flush-done'", "'finished-cb', undefined"] });
