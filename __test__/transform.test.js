'use strict';

// Transform: callback data vs this.push, several pushes per chunk, _flush
// (sync / async / data / error), _transform errors, object and string modes,
// tiny highWaterMarks between fast producers and consumers, backpressure from
// the readable side, and the throttling transforms of seeds 004 and 001.

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const stream = require('node:stream');
const util = require('node:util');
const { ddifferential, transform } = require('./helpers/dtrace');
const { since } = require('../lib/node-version');
const { source } = require('./helpers/rtrace');
const { sink } = require('./helpers/sinks');

// ---------------------------------------------------------------------------
// Producing output.

ddifferential('transform callback(null, data) emits the data; write callbacks and readable side in order', async (impl, log) => {
  const t = transform(impl, log, { map: (c) => c.toString().toUpperCase() });
  t.on('data', (c) => log('data', c));
  log.write(t, 'abc', log.cb('cb-1'));
  log.write(t, 'def', log.cb('cb-2'));
  log.dsnap(t, 'after-writes');
  log.end(t);
  log.marks('m');
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ["'data', 'buf:\"ABC\"'", "'emit', 't', 'end'"] });

ddifferential('transform this.push() from inside _transform, several pushes per chunk, and callback data after them', async (impl, log) => {
  const t = new impl.Transform({
    transform(chunk, enc, cb) {
      const s = chunk.toString();
      for (const ch of s) log('push-ret', ch, this.push(ch));
      cb(null, `|${s.length}`);
    },
  });
  log.track(t, 't');
  log.write(t, 'xyz');
  log.dsnap(t, 'buffered');
  log.read(t);
  t.on('data', (c) => log('data', c));
  log.write(t, 'pq');
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: [since.READ_ONE_CHUNK ? "'read', [], 'buf:\"x\"'" : "'read', [], 'buf:\"xyz|3\"'", "'data', 'buf:\"|2\"'"] });

ddifferential('transform callback(null, null) / callback(null, undefined) / callback() push nothing; empty string pushes nothing', async (impl, log) => {
  const vals = [null, undefined, 'NOARG', '', 'real'];
  let i = 0;
  const t = new impl.Transform({
    transform(chunk, enc, cb) {
      const v = vals[i++];
      if (v === 'NOARG') cb();
      else cb(null, v);
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  for (let k = 0; k < vals.length; k++) log.write(t, `c${k}`);
  log.end(t);
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ["'data', 'buf:\"real\"'"] });

ddifferential("transform callback data in object mode: false/0/'' are pushed, null and undefined are not", async (impl, log) => {
  const vals = [false, 0, '', null, undefined, { k: 1 }];
  let i = 0;
  const t = new impl.Transform({
    objectMode: true,
    transform(chunk, enc, cb) {
      cb(null, vals[i++]);
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  for (let k = 0; k < vals.length; k++) log.write(t, k);
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'data', false", "'data', { k: 1 }"] });

// ---------------------------------------------------------------------------
// _flush.

ddifferential("transform _flush sync with callback data: 'prefinish', flush data, then 'finish' and 'end'", async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      log('_transform', c);
      cb(null, c);
    },
    flush(cb) {
      log('_flush', this.writableEnded, this.writableFinished, this.readableLength);
      cb(null, 'TAIL');
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  log.end(t, 'body', log.cb('end-cb'));
  log.marks('m');
  await log.waitFor(t, 'close');
}, { expect: ["'data', 'buf:\"TAIL\"'", "'_flush', true, false"] });

ddifferential('transform _flush async: pushes from a later tick, finish waits for its callback', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
    },
    flush(cb) {
      log('_flush');
      setImmediate(() => {
        log('flush-push', this.push('late-1'));
        setImmediate(() => {
          log('flush-push', this.push('late-2'));
          log('flush-cb');
          cb();
        });
      });
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  log.write(t, 'a');
  log.end(t);
  log.dsnap(t, 'ending');
  await log.waitFor(t, 'close');
}, { expect: ["'data', 'buf:\"late-2\"'", "'flush-cb'"] });

ddifferential("transform _flush error (callback(err)): 'error' and 'close', no 'finish' and no 'end'", async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
    },
    flush(cb) {
      log('_flush');
      process.nextTick(cb, new Error('flush failed'));
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  log.end(t, 'x', log.cb('end-cb'));
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['flush failed', "'emit', 't', 'close'"] });

ddifferential('transform _flush that throws synchronously destroys the stream with that error', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
    },
    flush() {
      throw new Error('flush threw');
    },
  });
  log.track(t, 't');
  t.resume();
  log.end(t, 'x', log.cb('end-cb'));
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['flush threw'] });

ddifferential('transform _flush with callback(null, data) after this.push() inside it keeps order', async (impl, log) => {
  const t = new impl.Transform({
    objectMode: true,
    transform(c, e, cb) {
      cb(null, c);
    },
    flush(cb) {
      this.push('f1');
      this.push('f2');
      cb(null, 'f3');
    },
  });
  log.track(t, 't');
  const got = [];
  t.on('data', (c) => got.push(c));
  t.write('w');
  t.end();
  await log.waitFor(t, 'close');
  log('got', got);
}, { expect: ["'got', [ 'w', 'f1', 'f2', 'f3' ]"] });

// ---------------------------------------------------------------------------
// _transform errors.

ddifferential('transform _transform callback(err): write callback and error event get it, stream destroyed, later writes fail', async (impl, log) => {
  let n = 0;
  const t = new impl.Transform({
    transform(c, e, cb) {
      n++;
      log('_transform', c);
      if (n === 2) cb(new Error('bad chunk'));
      else cb(null, c);
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  log.write(t, 'ok', log.cb('cb-ok'));
  log.write(t, 'bad', log.cb('cb-bad'));
  log.dsnap(t, 'after-error');
  log.write(t, 'later', log.cb('cb-later'));
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['bad chunk', "'emit', 't', 'error'"] });

ddifferential('transform _transform callback(err) asynchronously while more writes are buffered', async (impl, log) => {
  let n = 0;
  const t = new impl.Transform({
    transform(c, e, cb) {
      n++;
      log('_transform', c);
      if (n === 2) setImmediate(cb, new Error('async bad'));
      else setImmediate(cb, null, c);
    },
  });
  log.track(t, 't');
  t.resume();
  for (const c of ['a', 'b', 'c', 'd']) log.write(t, c, log.cb(`cb-${c}`));
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['async bad', "'cb', 'cb-d', 1"] });

ddifferential('transform _transform that throws synchronously: the throw escapes write()', async (impl, log) => {
  const t = new impl.Transform({
    transform(c) {
      log('_transform', c);
      throw new Error('transform threw');
    },
  });
  log.track(t, 't');
  log.write(t, 'x', log.cb('cb-x'));
  log.dsnap(t, 'after-throw');
  t.destroy();
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ["'write-threw'", 'transform threw'] });

ddifferential('transform callback called twice: ERR_MULTIPLE_CALLBACK', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
      cb(null, c);
    },
  });
  log.track(t, 't');
  t.resume();
  log.write(t, 'twice', log.cb('cb'));
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['ERR_MULTIPLE_CALLBACK'] });

ddifferential('transform without _transform: first write() throws ERR_METHOD_NOT_IMPLEMENTED synchronously', async (impl, log) => {
  const t = new impl.Transform();
  log.track(t, 't');
  log.write(t, 'x', log.cb('cb'));
  log.dsnap(t, 'after-throw');
  t.destroy();
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ['ERR_METHOD_NOT_IMPLEMENTED'] });

ddifferential('transform destroy() mid-stream: pending transform callback is ignored, no end/finish', async (impl, log) => {
  const t = transform(impl, log, { how: 'hold' });
  t.on('data', (c) => log('data', c));
  log.write(t, 'one', log.cb('cb-one'));
  log.write(t, 'two', log.cb('cb-two'));
  t.destroy();
  log.dsnap(t, 'destroyed');
  await log.waitFor(t, 'close');
  t.$pending.shift()();
  await log.settle(2);
  log.dsnap(t, 'after-late-callback');
}, { expect: ['ERR_STREAM_DESTROYED', "'emit', 't', 'close'"] });

// ---------------------------------------------------------------------------
// Modes and encodings.

ddifferential('object-mode transform maps objects, hwm counts objects on both sides', async (impl, log) => {
  const t = transform(impl, log, {
    objectMode: true,
    highWaterMark: 2,
    map: (o) => ({ ...o, doubled: o.n * 2 }),
  });
  log('hwm', t.readableHighWaterMark, t.writableHighWaterMark);
  for (let n = 1; n <= 4; n++) log.write(t, { n });
  log.dsnap(t, 'stalled');
  t.on('data', (o) => log('data', o));
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'data', { n: 4, doubled: 8 }", "'hwm', 2, 2"] });

ddifferential('readableObjectMode transform: a byte-stream line splitter emitting objects', async (impl, log) => {
  let rest = '';
  const t = new impl.Transform({
    readableObjectMode: true,
    transform(chunk, enc, cb) {
      log('_transform', chunk, enc);
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop();
      for (const p of parts) this.push({ line: p });
      cb();
    },
    flush(cb) {
      if (rest) this.push({ line: rest, last: true });
      cb();
    },
  });
  log.track(t, 't');
  log('modes', t.readableObjectMode, t.writableObjectMode, t.readableHighWaterMark, t.writableHighWaterMark);
  t.on('data', (o) => log('data', o));
  log.write(t, 'al');
  log.write(t, 'pha\nbeta\ngam');
  log.write(t, Buffer.from('ma\ndelta'));
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'data', { line: 'delta', last: true }", `'modes', true, false, 16, ${D}`] });

ddifferential('writableObjectMode transform: objects in, JSON bytes out', async (impl, log) => {
  const t = new impl.Transform({
    writableObjectMode: true,
    transform(obj, enc, cb) {
      log('_transform', obj, enc);
      cb(null, `${JSON.stringify(obj)}\n`);
    },
  });
  log.track(t, 't');
  log.write(t, { a: 1 });
  log.write(t, [1, 2]);
  log.write(t, 'str');
  log.end(t);
  log.read(t);
  await log.settle(2);
  log.dsnap(t, 'after-read');
  t.resume();
  await log.waitFor(t, 'close');
}, { expect: [since.READ_ONE_CHUNK ? "'read', [], 'buf:\"{\\\\\"a\\\\\":1}\\\\n\"'" : "'read', [], 'buf:\"{\\\\\"a\\\\\":1}\\\\n[1,2]\\\\n\\\\\"str\\\\\"\\\\n\"'"] });

ddifferential('string transform: decodeStrings: false hands strings and their encodings to _transform', async (impl, log) => {
  const t = new impl.Transform({
    decodeStrings: false,
    transform(chunk, enc, cb) {
      log('_transform', typeof chunk, chunk, enc);
      cb(null, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, enc));
    },
  });
  log.track(t, 't');
  t.setEncoding('utf8');
  t.on('data', (c) => log('data', c));
  log.write(t, '68c3a9', 'hex');
  log.write(t, 'w6k=', 'base64');
  log.write(t, 'plain');
  log.write(t, Buffer.from('buf'));
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'_transform', 'string', '68c3a9', 'hex'", "'data', 'hé'"] });

ddifferential('string transform: default decodeStrings turns strings into buffers ("buffer" encoding); defaultEncoding applies', async (impl, log) => {
  const t = new impl.Transform({
    defaultEncoding: 'hex',
    transform(chunk, enc, cb) {
      log('_transform', chunk, enc);
      cb(null, chunk);
    },
  });
  log.track(t, 't');
  t.setEncoding('latin1');
  t.on('data', (c) => log('data', c));
  log.write(t, '414243');
  log.write(t, 'xyz', 'utf8');
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'_transform', 'buf:\"ABC\"', 'buffer'", "'data', 'ABC'"] });

ddifferential('string transform with setEncoding("utf8") reassembles a multi-byte character split across transformed chunks', async (impl, log) => {
  const euro = Buffer.from('€'); // e2 82 ac
  const t = transform(impl, log, {});
  t.setEncoding('utf8');
  t.on('data', (c) => log('data', c, c.length));
  log.write(t, Buffer.from([0x61, euro[0]]));
  log.write(t, euro.subarray(1, 2));
  log.write(t, Buffer.concat([euro.subarray(2), Buffer.from('b')]));
  log.end(t);
  await log.waitFor(t, 'close');
}, { expect: ["'data', '€b', 2"] });

// ---------------------------------------------------------------------------
// Tiny highWaterMarks and backpressure.

async function fastThroughTiny(impl, log, hwmOpts) {
  const N = 12;
  const chunks = Array.from({ length: N }, (_, i) => `c${i}`);
  const r = source(impl, log, { chunks, quiet: true, label: 'src' });
  const t = transform(impl, log, { ...hwmOpts, map: (c) => `<${c}>` });
  log('hwm', t.readableHighWaterMark, t.writableHighWaterMark);
  const got = [];
  const w = new impl.Writable({
    write(c, e, cb) {
      got.push(c.toString());
      cb();
    },
  });
  r.pipe(t).pipe(w);
  await new Promise((resolve) => w.on('finish', resolve));
  log('transform-calls', t.$calls, 'src-reads', r.$reads);
  log('in-order', got.join('') === chunks.map((c) => `<${c}>`).join(''), got.length);
}

ddifferential('transform with highWaterMark 1 between a fast producer and a fast consumer: _transform calls, order, events', async (impl, log) => {
  await fastThroughTiny(impl, log, { highWaterMark: 1 });
}, { expect: ["'transform-calls', 12", "'in-order', true"] });

ddifferential('transform with highWaterMark 0 (both sides) between a fast producer and a fast consumer', async (impl, log) => {
  await fastThroughTiny(impl, log, { highWaterMark: 0 });
}, { expect: ["'hwm', 0, 0", "'in-order', true"] });

ddifferential('transform with readableHighWaterMark 0 also makes the writable side 0 unless given', async (impl, log) => {
  const a = new impl.Transform({ readableHighWaterMark: 0, transform(c, e, cb) { cb(null, c); } });
  const b = new impl.Transform({ readableHighWaterMark: 0, writableHighWaterMark: 5, transform(c, e, cb) { cb(null, c); } });
  const c = new impl.Transform({ writableHighWaterMark: 0, transform(x, e, cb) { cb(null, x); } });
  log('a', a.readableHighWaterMark, a.writableHighWaterMark);
  log('b', b.readableHighWaterMark, b.writableHighWaterMark);
  log('c', c.readableHighWaterMark, c.writableHighWaterMark);
  log.track(a, 'a');
  log.write(a, 'x');
  log.write(a, 'y');
  log.dsnap(a, 'a-after-writes');
  a.resume();
  await log.settle(3);
  log.dsnap(a, 'a-flowed');
  a.destroy();
  b.destroy();
  c.destroy();
}, { expect: ["'a', 0, 0", "'b', 0, 5", `'c', ${D}, 0`] });

ddifferential('transform with highWaterMark 0 driven by manual read(): one _transform per read', async (impl, log) => {
  const t = transform(impl, log, { highWaterMark: 0, map: (c) => c.toString().toUpperCase() });
  for (const c of ['a', 'b', 'c']) log.write(t, c, log.cb(`cb-${c}`));
  log.dsnap(t, 'before-read');
  t.on('readable', () => {
    let c;
    while ((c = t.read()) !== null) log('got', c);
  });
  await log.settle(4);
  log.end(t);
  await log.waitFor(t, 'close');
  log('calls', t.$calls);
}, { expect: ["'got', 'buf:\"C\"'", "'calls', 3"] });

ddifferential('transform backpressure: with nobody reading, the readable side fills, _transform stalls and write() returns false', async (impl, log) => {
  const t = transform(impl, log, { highWaterMark: 4 });
  const rets = [];
  for (let i = 0; i < 8; i++) rets.push(t.write(`${i}${i}`, log.cb(`cb-${i}`)));
  log('write-rets', rets.join(','));
  await log.settle(2);
  log.dsnap(t, 'stalled');
  log('calls-while-stalled', t.$calls);
  log.read(t, 2);
  await log.settle(2);
  log.dsnap(t, 'after-one-read');
  t.on('data', (c) => log('data', c));
  await log.waitFor(t, 'drain');
  log.end(t);
  await log.waitFor(t, 'close');
  log('calls', t.$calls);
}, { expect: ["'emit', 't', 'drain'", "'calls', 8"] });

ddifferential("transform backpressure in a pipe: a paused consumer stops the producer via the transform", async (impl, log) => {
  const chunks = Array.from({ length: 10 }, (_, i) => `row${i}`);
  const r = source(impl, log, { chunks, highWaterMark: 8, quiet: true, label: 'src' });
  const t = transform(impl, log, { highWaterMark: 8, quiet: true });
  const w = sink(impl, log, { highWaterMark: 8, how: 'hold', quiet: true });
  r.pipe(t).pipe(w);
  await log.settle(4);
  log('stalled', 'src-reads', r.$reads, 'src-len', r.readableLength, 't-calls', t.$calls,
    't-w', t.writableLength, 't-r', t.readableLength, 'w', w.writableLength, w.$pending.length);
  for (let round = 0; round < 40 && !w.writableFinished; round++) {
    while (w.$pending.length) w.$release();
    await log.settle(1);
  }
  await log.waitFor(w, 'close');
  log('done', 'src-reads', r.$reads, 't-calls', t.$calls);
}, { expect: ["'emit', 'w', 'drain'", "'t-calls', 10"] });

// ---------------------------------------------------------------------------
// Throttling transforms from the seeds.

// Seed 004: "Real-World Example: Throttled Stream" — setTimeout(() => callback(null, chunk), 100)
// in _transform, between a file read stream and a file write stream. Here with a 2 ms delay and
// a tiny file; only deterministic facts are logged.
ddifferential('seed 004 throttler: fs read stream -> delayed-callback Transform -> fs write stream copies the file', async (impl, log) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-throttle-'));
  try {
    const input = path.join(dir, 'data.csv');
    const output = path.join(dir, 'out.csv');
    const rows = Array.from({ length: 12 }, (_, i) => `${i},name-${i},${i * i}\n`).join('');
    fs.writeFileSync(input, rows);
    const seen = [];
    const throttler = new impl.Transform({
      transform(chunk, encoding, callback) {
        seen.push(chunk.length);
        setTimeout(() => callback(null, chunk), 2); // Slow down flow
      },
    });
    const out = fs.createWriteStream(output);
    fs.createReadStream(input, { highWaterMark: 64 })
      .pipe(throttler)
      .pipe(out);
    await new Promise((resolve) => out.on('close', resolve));
    log('chunk-sizes', seen);
    log('copied', fs.readFileSync(output, 'utf8') === rows, rows.length);
    log('throttler', throttler.writableFinished, throttler.readableEnded, throttler.destroyed);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, { expect: ["'copied', true"] });

ddifferential('seed 004 throttler with an in-memory source and sink: every chunk delayed, order kept, events traced', async (impl, log) => {
  const chunks = ['h', 'e', 'l', 'l', 'o'];
  const r = source(impl, log, { chunks, quiet: true, label: 'src' });
  const throttler = new impl.Transform({
    highWaterMark: 2,
    transform(chunk, encoding, callback) {
      log('_transform', chunk, this.writableLength);
      setTimeout(() => callback(null, chunk), 1);
    },
  });
  log.track(throttler, 'thr');
  const w = sink(impl, log, { label: 'out' });
  r.pipe(throttler).pipe(w);
  await log.waitFor(w, 'close');
  log.dsnap(throttler, 'done');
}, { expect: ["'_write', 'out', 'buf:\"o\"'"] });

// Seed 001, challenge 2: a "throttled" transform limiting throughput to N bytes per second by
// delaying the _transform callback according to the bytes processed. The delay is derived from
// byte counts only (not from the clock) so that the trace is deterministic.
ddifferential('seed 001 challenge 2: throttled transform (N bytes/s via delayed callback) under backpressure', async (impl, log) => {
  const N = 4000; // bytes per second -> 8-byte chunks take 2 ms each
  class Throttle extends impl.Transform {
    constructor(bytesPerSecond) {
      super({ highWaterMark: 16 });
      this.bytesPerSecond = bytesPerSecond;
      this.processed = 0;
      this.calls = 0;
    }

    _transform(chunk, encoding, callback) {
      this.calls++;
      this.processed += chunk.length;
      const delay = Math.ceil((chunk.length / this.bytesPerSecond) * 1000);
      log('_transform', this.calls, chunk.length, this.processed, delay, this.writableLength);
      setTimeout(() => callback(null, chunk), delay);
    }
  }
  const items = Array.from({ length: 8 }, (_, i) => `item-${String(i).padStart(2, '0')}`); // 7 bytes
  const thr = new Throttle(N);
  log.track(thr, 'thr');
  const got = [];
  thr.on('data', (c) => got.push(c.toString()));
  let backpressure = 0;
  for (const item of items) {
    if (!thr.write(item)) {
      backpressure++;
      log('backpressure', item, thr.writableLength);
      await new Promise((resolve) => thr.once('drain', resolve));
    }
  }
  thr.end();
  await log.waitFor(thr, 'close');
  log('result', thr.processed, thr.calls, backpressure, got.join('') === items.join(''));
}, { expect: ["'result', 56, 8"] });

// ---------------------------------------------------------------------------
// Ordering of the end sequence, _final override, subclassing.

ddifferential("transform end sequence with data still unread: 'finish' waits for _flush, 'end' waits for a reader", async (impl, log) => {
  const t = transform(impl, log, {
    flush(cb) {
      log('_flush');
      cb(null, 'F');
    },
  });
  log.write(t, 'a');
  log.end(t, log.cb('end-cb'));
  await log.settle(3);
  log.dsnap(t, 'finished-not-ended');
  t.on('data', (c) => log('data', c));
  await log.waitFor(t, 'close');
}, { expect: ["'emit', 't', 'finish'", "'data', 'buf:\"F\"'"] });

ddifferential('transform with a user final(): it runs instead of the built-in flush path and must push(null) itself', async (impl, log) => {
  const t = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c);
    },
    flush(cb) {
      log('_flush');
      cb(null, 'flushed');
    },
    final(cb) {
      log('_final', this.readableEnded);
      this.push('from-final');
      cb();
    },
  });
  log.track(t, 't');
  t.on('data', (c) => log('data', c));
  log.end(t, 'x');
  await log.settle(4);
  log.dsnap(t, 'after-final');
  t.destroy();
  await log.waitFor(t, 'close');
}, { expect: ["'_final'", "'data', 'buf:\"from-final\"'"] });

ddifferential('Transform and PassThrough are callable without new; util.inherits + Transform.call(this) subclass', async (impl, log) => {
  const { Transform, PassThrough } = impl;
  const t = Transform({ transform(c, e, cb) { cb(null, c); } });
  const p = PassThrough();
  log('without-new', t instanceof Transform, p instanceof PassThrough, p instanceof Transform);
  function Upper(opts) {
    Transform.call(this, opts);
  }
  util.inherits(Upper, Transform);
  Upper.prototype._transform = function (c, e, cb) {
    cb(null, c.toString().toUpperCase());
  };
  Upper.prototype._flush = function (cb) {
    cb(null, '!');
  };
  const u = new Upper({ highWaterMark: 3 });
  log.track(u, 'u');
  log('legacy', u instanceof Upper, u instanceof Transform, u instanceof stream.Transform, u.readableHighWaterMark);
  u.on('data', (c) => log('data', c));
  log.end(u, 'shout');
  await log.waitFor(u, 'close');
  t.destroy();
  p.destroy();
}, { expect: ["'data', 'buf:\"SHOUT\"'", "'data', 'buf:\"!\"'"] });

ddifferential('transform instanceof: Transform, Duplex, Readable, Writable of node:stream and of the package', async (impl, log) => {
  const t = new impl.Transform();
  const p = new impl.PassThrough();
  log('t-node', t instanceof stream.Transform, t instanceof stream.Duplex, t instanceof stream.Readable, t instanceof stream.Writable);
  log('t-pkg', t instanceof impl.Transform, t instanceof impl.Duplex, t instanceof impl.Readable, t instanceof impl.Writable);
  log('t-not-passthrough', t instanceof stream.PassThrough, t instanceof impl.PassThrough);
  log('p-node', p instanceof stream.PassThrough, p instanceof stream.Transform, p instanceof stream.Duplex);
  log('p-pkg', p instanceof impl.PassThrough, p instanceof impl.Transform, p instanceof impl.Duplex, p instanceof impl.Readable, p instanceof impl.Writable);
  const d = new impl.Duplex();
  log('duplex-not-transform', d instanceof impl.Transform, d instanceof impl.PassThrough);
  t.destroy();
  p.destroy();
  d.destroy();
}, { expect: ["'t-pkg', true, true, true, true", "'p-pkg', true, true, true, true, true"] });

ddifferential('transform allowHalfOpen: false: readable end after flush also closes; finished state at close', async (impl, log) => {
  const t = transform(impl, log, { allowHalfOpen: false });
  t.resume();
  log.write(t, 'a');
  log.end(t);
  await log.waitFor(t, 'close');
  log.dsnap(t, 'closed');
}, { expect: ["'emit', 't', 'close'"] });

// ---------------------------------------------------------------------------
// end() from a 'data' listener that runs inside _transform (fuzz class 6, transform 1005827):
// the push inside _transform emits 'data' synchronously, so end() arrives while the write is in
// flight; the write's completion emits 'prefinish' (and with it _flush) before write() returns.

ddifferential("end(cb) from a 'data' listener inside a synchronous _transform", async (impl, log) => {
  const t = transform(impl, log);
  t.on('data', (c) => {
    log('data', c);
    t.end(log.cb('end'));
    log('ended', t.writableEnded, t.writableFinished);
  });
  log.marks('m');
  log.write(t, 'b', log.cb('b'));
  log.dsnap(t, 'after-write');
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'cb', 'end', 1, null", "'emit', 't', 'end'"] });

ddifferential("end(chunk, cb) from a 'data' listener after this.push() inside _transform; _flush pushes", async (impl, log) => {
  const t = new impl.Transform({
    transform(chunk, enc, cb) {
      log('_transform', chunk);
      log('push', this.push(chunk));
      cb();
    },
    flush(cb) {
      log('_flush');
      cb(null, 'F');
    },
  });
  log.track(t, 't');
  t.on('data', (c) => {
    log('data', c);
    if (String(c) === 'b') t.end('more', log.cb('end'));
  });
  log.marks('m');
  log.write(t, 'b', log.cb('b'));
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'_flush'", "'data', 'buf:\"F\"'"] });

ddifferential("end(cb) from a once('data') listener of a Transform whose callback comes on the next tick", async (impl, log) => {
  const t = transform(impl, log, { how: 'nextTick' });
  t.once('data', (c) => {
    log('data', c);
    t.end(log.cb('end'));
  });
  log.marks('m');
  log.write(t, 'b', log.cb('b'));
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'cb', 'end', 1, null"] });

ddifferential("end() from a 'data' listener of a PassThrough with highWaterMark 0 that pauses", async (impl, log) => {
  const t = new impl.PassThrough({ highWaterMark: 0 });
  log.track(t, 't');
  t.on('data', (c) => {
    log('data', c);
    t.pause();
    t.end(log.cb('end'));
    setImmediate(() => t.resume());
  });
  log.marks('m');
  log.write(t, 'b', log.cb('b'));
  log.dsnap(t, 'after-write');
  await log.waitFor(t, 'close');
  await log.settle(2);
}, { expect: ["'emit', 't', 'prefinish'", "'cb', 'end', 1, null"] });
