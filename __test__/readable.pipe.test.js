'use strict';

// pipe() / unpipe(): backpressure against slow destinations, several
// destinations, { end: false }, 'pipe'/'unpipe' events, and real sinks (a Node
// Writable, zlib, fs).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { rdifferential, source } = require('./helpers/rtrace');
const { since } = require('../lib/node-version');
const { sink } = require('./helpers/sinks');

const LINES = Array.from({ length: 8 }, (_, i) => `line-${i}\n`); // 7 bytes each

// Release held _write callbacks of `w` one by one, logging the source state.
async function releaseAll(log, r, ...ws) {
  for (let round = 0; round < 100 && ws.some((w) => w.$pending.length); round++) {
    for (const w of ws) {
      if (w.$pending.length) {
        w.$release();
        log('released', w.writableLength, w.writableNeedDrain, 'src', r.readableLength, r.readableFlowing, r.$reads);
      }
    }
    await log.settle(1);
  }
}

rdifferential("pipe(dest) returns dest, emits 'pipe' on dest with the source, ends dest after the source ends", async (impl, log) => {
  const r = source(impl, log, { chunks: ['ab', 'cd', 'ef'] });
  const w = sink(impl, log, { how: 'sync' });
  log('pipe-returns-dest', r.pipe(w) === w);
  log.rsnap(r, 'after-pipe');
  log.marks('m');
  await log.waitFor(w, 'close');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'pipe-returns-dest', true", "'emit', 'w', 'pipe', 'stream:r'", "'emit', 'w', 'finish'"] });

rdifferential('pipe backpressure: the source pauses while dest.write() returns false and resumes on drain', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 14, chunks: LINES });
  const w = sink(impl, log, { highWaterMark: 10, how: 'hold' });
  r.pipe(w);
  await log.settle(2);
  log.rsnap(r, 'stalled');
  log('dest', w.writableLength, w.writableNeedDrain);
  await releaseAll(log, r, w);
  await log.waitFor(w, 'close');
  log.rsnap(r, 'done');
}, { expect: ["'emit', 'r', 'pause'", "'emit', 'w', 'drain'", 'readableFlowing: false'] });

rdifferential('pipe to two destinations: the source resumes only when both have drained', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, chunks: LINES.slice(0, 6) });
  const fast = sink(impl, log, { label: 'fast', highWaterMark: 8, how: 'hold' });
  const slow = sink(impl, log, { label: 'slow', highWaterMark: 8, how: 'hold' });
  r.pipe(fast);
  r.pipe(slow);
  await log.settle(2);
  log.rsnap(r, 'stalled');
  // Drain the fast one completely first: the source must stay paused.
  while (fast.$pending.length) {
    fast.$release();
    await log.settle(1);
  }
  log.rsnap(r, 'fast-drained-slow-not');
  await releaseAll(log, r, slow, fast);
  await log.waitFor(slow, 'close');
  await log.waitFor(fast, 'close');
}, { expect: ["'rsnap', 'fast-drained-slow-not'", "'emit', 'slow', 'drain'"] });

rdifferential("unpipe(dest): 'unpipe' event, the source stops flowing, dest is not ended, the rest stays buffered", async (impl, log) => {
  const r = source(impl, log, { chunks: ['u1', 'u2', 'u3', 'u4'], how: 'immediate' });
  const w = sink(impl, log, { how: 'sync' });
  r.pipe(w);
  await log.settle(3);
  log('unpipe-is-this', r.unpipe(w) === r);
  log.rsnap(r, 'after-unpipe');
  log.marks('m');
  await log.settle(4);
  log.rsnap(r, 'settled');
  log('dest', w.writableEnded, w.writableFinished);
  r.unpipe(w);
  r.resume();
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'w', 'unpipe', 'stream:r'", "'unpipe-is-this', true"] });

rdifferential('unpipe() without arguments detaches every destination', async (impl, log) => {
  const r = source(impl, log, { chunks: ['v1', 'v2', 'v3'], how: 'immediate' });
  const a = sink(impl, log, { label: 'a' });
  const b = sink(impl, log, { label: 'b' });
  r.pipe(a);
  r.pipe(b);
  await log.settle(2);
  r.unpipe();
  log.rsnap(r, 'after-unpipe-all');
  await log.settle(3);
  log('a', a.writableEnded, 'b', b.writableEnded);
  r.destroy();
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'a', 'unpipe'", "'emit', 'b', 'unpipe'"] });

rdifferential('pipe(dest, { end: false }): dest stays open after the source ends', async (impl, log) => {
  const r = source(impl, log, { chunks: ['e1', 'e2'] });
  const w = sink(impl, log, { how: 'sync' });
  r.pipe(w, { end: false });
  await log.waitFor(r, 'close');
  await log.settle(2);
  log('dest-after-src-end', w.writableEnded, w.writable);
  w.end('tail');
  await log.waitFor(w, 'close');
}, { expect: ["'dest-after-src-end', false, true", "'_write', 'w', 'buf:\"tail\"'"] });

rdifferential('pipe after an explicit pause() resumes the source', async (impl, log) => {
  const r = source(impl, log, { chunks: ['p1', 'p2'] });
  r.pause();
  const w = sink(impl, log);
  r.pipe(w);
  log.rsnap(r, 'after-pipe');
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'w', 'buf:\"p2\"'"] });

rdifferential('pipe into a node:stream Writable with a slow sink keeps backpressure', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 7, chunks: LINES.slice(0, 5) });
  const w = sink({ Writable: impl.NodeWritable }, log, { highWaterMark: 7, how: 'hold', label: 'nodew' });
  r.pipe(w);
  await log.settle(2);
  log.rsnap(r, 'stalled');
  await releaseAll(log, r, w);
  await log.waitFor(w, 'close');
}, { expect: ["'emit', 'nodew', 'drain'", "'emit', 'nodew', 'finish'"] });

rdifferential('pipe into a PassThrough, read back with async iteration', async (impl, log) => {
  const r = source(impl, log, { chunks: ['t1', 't2', 't3'] });
  const pt = new impl.PassThrough();
  log.track(pt, 'pt');
  r.pipe(pt);
  const got = [];
  for await (const c of pt) got.push(c.toString());
  log('got', got.join('|'));
  await log.waitFor(r, 'close');
}, { expect: [since.READ_ONE_CHUNK ? "'got', 't1|t2|t3'" : "'got', 't1t2t3'"] });

rdifferential('destination error: the source unpipes from it and keeps its data', async (impl, log) => {
  const r = source(impl, log, { chunks: ['d1', 'd2', 'd3'], how: 'immediate' });
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      cb(new Error('dest failed'));
    },
  });
  log.track(w, 'w');
  r.pipe(w);
  await log.waitFor(w, 'close');
  await log.settle(3);
  log.rsnap(r, 'after-dest-error');
  r.destroy();
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'w', 'unpipe', 'stream:r'", 'dest failed'] });

rdifferential('destination destroyed (close): the source unpipes', async (impl, log) => {
  const r = source(impl, log, { chunks: ['c1', 'c2', 'c3', 'c4'], how: 'immediate' });
  const w = sink(impl, log, { how: 'sync' });
  r.pipe(w);
  await log.settle(2);
  w.destroy();
  await log.waitFor(w, 'close');
  await log.settle(3);
  log.rsnap(r, 'after-dest-close');
  r.destroy();
  await log.waitFor(r, 'close');
}, { expect: ["'emit', 'w', 'unpipe', 'stream:r'"] });

rdifferential('pipe an objectMode source into an objectMode destination', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, highWaterMark: 2, chunks: [{ a: 1 }, 0, 'x', [2]] });
  const w = sink(impl, log, { objectMode: true, highWaterMark: 1, how: 'nextTick' });
  r.pipe(w);
  await log.waitFor(w, 'close');
}, { expect: ["'_write', 'w', 0"] });

rdifferential('pipe into zlib.createGzip(): gunzipped output equals the input', async (impl, log) => {
  const chunks = LINES.map((l) => l.repeat(3));
  const r = source(impl, log, { chunks, quiet: true });
  const gz = zlib.createGzip();
  const out = [];
  gz.on('data', (c) => out.push(c));
  const done = new Promise((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  log('pipe-returns-gz', r.pipe(gz) === gz);
  await done;
  const plain = zlib.gunzipSync(Buffer.concat(out)).toString();
  log('gunzipped-equal', plain === chunks.join(''), plain.length);
  await log.waitFor(r, 'close');
  log.rsnap(r, 'src-closed');
  log('reads', r.$reads);
}, { expect: ["'gunzipped-equal', true"] });

let tmpSeq = 0;
rdifferential('pipe into fs.createWriteStream(): the file holds exactly the source bytes', async (impl, log) => {
  const file = path.join(os.tmpdir(), `sluice-readable-pipe-${process.pid}-${tmpSeq++}.bin`);
  try {
    const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const chunks = [bin.subarray(0, 100), Buffer.from('€uro'), bin.subarray(100), 'tail\n'];
    const r = source(impl, log, { chunks, quiet: true });
    const ws = fs.createWriteStream(file);
    const done = new Promise((resolve, reject) => {
      ws.on('close', resolve);
      ws.on('error', reject);
    });
    r.pipe(ws);
    await done;
    const bytes = fs.readFileSync(file);
    const expected = Buffer.concat(chunks.map((c) => Buffer.from(c)));
    log('file-equal', bytes.equals(expected), bytes.length);
    log('file-sha', require('node:crypto').createHash('sha256').update(bytes).digest('hex'));
    await log.waitFor(r, 'close');
    log.rsnap(r, 'src-closed');
  } finally {
    fs.rmSync(file, { force: true });
  }
}, { expect: ["'file-equal', true, 267"] });

rdifferential("'pipe' and 'unpipe' events reach listeners on the destination with the source argument", async (impl, log) => {
  const r = source(impl, log, { chunks: ['x'], how: 'manual' });
  const w = sink(impl, log);
  w.on('pipe', (src) => log('on-pipe', src === r));
  w.on('unpipe', (src) => log('on-unpipe', src === r));
  r.pipe(w);
  r.unpipe(w);
  r.unpipe(w);
  log.rsnap(r, 'after');
  await log.settle(2);
  r.destroy();
  await log.waitFor(r, 'close');
}, { expect: ["'on-pipe', true", "'on-unpipe', true"] });
