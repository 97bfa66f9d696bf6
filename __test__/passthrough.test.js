'use strict';

// PassThrough: basics (bytes and objects, read(n), end sequence, tiny
// highWaterMarks) and PassThrough in pipe chains (backpressure through
// several stages, mixed with node:stream's PassThrough, unpipe, { end: false },
// async iteration).

const stream = require('node:stream');
const { ddifferential } = require('./helpers/dtrace');
const { source } = require('./helpers/rtrace');
const { sink } = require('./helpers/sinks');

function pass(impl, log, label = 'p', opts = {}) {
  const p = new impl.PassThrough(opts);
  log.track(p, label);
  return p;
}

ddifferential("passthrough basics: written bytes come out unchanged; 'finish', 'end', 'close' order", async (impl, log) => {
  const p = pass(impl, log);
  log.dsnap(p, 'fresh');
  p.on('data', (c) => log('data', c));
  log.write(p, 'hello ', log.cb('cb-1'));
  log.write(p, Buffer.from([0, 255, 10]), log.cb('cb-2'));
  log.end(p, 'world', log.cb('end-cb'));
  log.marks('m');
  await log.waitFor(p, 'close');
  log.dsnap(p, 'closed');
}, { expect: ["'data', 'buf:hex:00ff0a'", "'emit', 'p', 'finish'", "'emit', 'p', 'end'"] });

ddifferential('passthrough objectMode: objects and falsy values pass unchanged, hwm in objects', async (impl, log) => {
  const p = pass(impl, log, 'p', { objectMode: true, highWaterMark: 2 });
  const vals = [{ a: 1 }, 0, false, '', [1, 2], 'str'];
  for (const v of vals) log.write(p, v);
  log.dsnap(p, 'buffered');
  const got = [];
  p.on('data', (v) => got.push(v));
  log.end(p);
  await log.waitFor(p, 'close');
  log('got', got);
}, { expect: ["'got', [ { a: 1 }, 0, false, '', [ 1, 2 ], 'str' ]"] });

ddifferential("passthrough read(n) in paused mode: partial reads, 'readable' events, readableLength", async (impl, log) => {
  const p = pass(impl, log);
  log.write(p, 'abcdef');
  log.write(p, 'ghij');
  log.dsnap(p, 'buffered');
  log.read(p, 3);
  log.read(p, 5);
  log.read(p, 100);
  log.end(p);
  await log.settle(2);
  log.read(p, 100);
  log.read(p);
  await log.settle(2);
  log.read(p);
  await log.waitFor(p, 'close');
}, { expect: ["'read', [ 3 ], 'buf:\"abc\"', 7", "'emit', 'p', 'end'"] });

ddifferential('passthrough with nobody reading: write() returns false past the hwm and end() does not finish until it is read', async (impl, log) => {
  const p = pass(impl, log, 'p', { highWaterMark: 4 });
  const rets = [];
  for (const c of ['aa', 'bb', 'cc', 'dd']) rets.push(p.write(c, log.cb(`cb-${c}`)));
  log('write-rets', rets.join(','));
  await log.settle(2);
  log.dsnap(p, 'stuck');
  log.end(p);
  await log.settle(3);
  log.dsnap(p, 'end-called');
  p.resume();
  await log.waitFor(p, 'close');
  log.dsnap(p, 'closed');
}, { expect: ["'write-rets', 'true,true,false,false'", "'emit', 'p', 'finish'"] });

ddifferential('passthrough highWaterMark 0: every write waits for a reader', async (impl, log) => {
  const p = pass(impl, log, 'p', { highWaterMark: 0 });
  log('hwm', p.readableHighWaterMark, p.writableHighWaterMark);
  log.write(p, 'one', log.cb('cb-one'));
  log.write(p, 'two', log.cb('cb-two'));
  await log.settle(2);
  log.dsnap(p, 'waiting');
  log.read(p);
  await log.settle(2);
  log.read(p);
  await log.settle(2);
  log.read(p);
  p.destroy();
  await log.waitFor(p, 'close');
}, { expect: ["'hwm', 0, 0", "'cb', 'cb-one', 1, null"] });

ddifferential('passthrough setEncoding: string writes with encodings come out decoded', async (impl, log) => {
  const p = pass(impl, log);
  p.setEncoding('utf8');
  p.on('data', (c) => log('data', c));
  log.write(p, 'c3a9', 'hex');
  log.write(p, Buffer.from([0xe2, 0x82]));
  log.write(p, Buffer.from([0xac]));
  log.end(p, 'AA==', 'base64');
  await log.waitFor(p, 'close');
}, { expect: ["'data', 'é'", "'data', '€'"] });

// ---------------------------------------------------------------------------
// Pipe chains.

ddifferential('passthrough pipe chain: src -> pt -> pt -> sink with a held sink; backpressure reaches the source', async (impl, log) => {
  const chunks = Array.from({ length: 8 }, (_, i) => `chunk${i}`); // 6 bytes each
  const r = source(impl, log, { chunks, highWaterMark: 6, quiet: true, label: 'src' });
  const a = pass(impl, log, 'a', { highWaterMark: 6 });
  const b = pass(impl, log, 'b', { highWaterMark: 6 });
  const w = sink(impl, log, { highWaterMark: 6, how: 'hold', quiet: true });
  r.pipe(a).pipe(b).pipe(w);
  await log.settle(4);
  log('stalled', r.$reads, r.readableLength, a.writableLength, a.readableLength,
    b.writableLength, b.readableLength, w.writableLength);
  let rounds = 0;
  while (!w.writableFinished && rounds++ < 60) {
    while (w.$pending.length) w.$release();
    await log.settle(1);
  }
  await log.waitFor(w, 'close');
  log('done', r.$reads, rounds);
}, { expect: ["'emit', 'a', 'pause'", "'emit', 'w', 'finish'"] });

ddifferential('passthrough chain mixing node:stream PassThrough and the package PassThrough delivers everything in order', async (impl, log) => {
  const chunks = Array.from({ length: 6 }, (_, i) => `m${i};`);
  const r = source(impl, log, { chunks, quiet: true, label: 'src' });
  const n1 = new stream.PassThrough({ highWaterMark: 4 });
  const s1 = pass(impl, log, 's1', { highWaterMark: 4 });
  const n2 = new stream.PassThrough({ highWaterMark: 4 });
  const s2 = pass(impl, log, 's2', { highWaterMark: 4 });
  const got = [];
  const w = new impl.Writable({
    highWaterMark: 4,
    write(c, e, cb) {
      got.push(c.toString());
      setImmediate(cb);
    },
  });
  log.track(w, 'w');
  r.pipe(n1).pipe(s1).pipe(n2).pipe(s2).pipe(w);
  await log.waitFor(w, 'close');
  log('got', got.join(''));
}, { expect: ["'got', 'm0;m1;m2;m3;m4;m5;'"] });

ddifferential('passthrough unpipe mid-chain: downstream stops, upstream keeps buffering, re-pipe resumes', async (impl, log) => {
  const r = source(impl, log, { chunks: ['u1', 'u2', 'u3', 'u4', 'u5'], how: 'immediate', quiet: true, label: 'src' });
  const p = pass(impl, log, 'p', { highWaterMark: 4 });
  const w1 = sink(impl, log, { label: 'w1' });
  const w2 = sink(impl, log, { label: 'w2' });
  r.pipe(p).pipe(w1);
  await log.settle(3);
  p.unpipe(w1);
  log.dsnap(p, 'unpiped');
  await log.settle(4);
  log.dsnap(p, 'buffering');
  p.pipe(w2);
  await log.waitFor(w2, 'close');
  log('w1-ended', w1.writableEnded);
  w1.destroy();
}, { expect: ["'emit', 'w1', 'unpipe', 'stream:p'", "'_write', 'w2'"] });

ddifferential('passthrough pipe with { end: false }: the passthrough stays open after the source ends', async (impl, log) => {
  const r1 = source(impl, log, { chunks: ['first'], quiet: true, label: 'r1' });
  const r2 = source(impl, log, { chunks: ['second'], quiet: true, label: 'r2' });
  const p = pass(impl, log);
  p.on('data', (c) => log('data', c));
  r1.pipe(p, { end: false });
  await log.waitFor(r1, 'close');
  await log.settle(2);
  log.dsnap(p, 'after-r1');
  r2.pipe(p);
  await log.waitFor(p, 'close');
}, { expect: ["'data', 'buf:\"second\"'"] });

ddifferential('passthrough destroyed mid-pipe: the source unpipes but is not destroyed; dest not ended', async (impl, log) => {
  const r = source(impl, log, { chunks: ['d1', 'd2', 'd3'], how: 'immediate', quiet: true, label: 'src' });
  const p = pass(impl, log);
  const w = sink(impl, log, { label: 'w' });
  r.pipe(p).pipe(w);
  await log.settle(2);
  p.destroy(new Error('middle died'));
  await log.waitFor(p, 'close');
  await log.settle(3);
  log('src', r.destroyed, r.readableFlowing, 'dest', w.writableEnded, w.destroyed);
  r.destroy();
  w.destroy();
  await log.settle(2);
}, { expect: ['middle died'] });

ddifferential('passthrough as an async iterator: for await yields chunks; break destroys it', async (impl, log) => {
  const p = pass(impl, log, 'p', { objectMode: true });
  for (let i = 0; i < 5; i++) p.write(i);
  p.end();
  for await (const v of p) {
    log('iter', v);
    if (v === 2) break;
  }
  log.dsnap(p, 'after-break');
  await log.waitFor(p, 'close');
}, { expect: ["'iter', 2"] });
