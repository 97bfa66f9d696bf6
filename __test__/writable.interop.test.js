'use strict';

// A sluice Writable inside a Node stream graph: pipe(), pipeline(),
// stream/promises, finished(), instanceof.

const stream = require('node:stream');
const streamPromises = require('node:stream/promises');
const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

function source(impl, log, chunks, opts = {}) {
  let i = 0;
  const r = new impl.Readable({
    highWaterMark: 16,
    ...opts,
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else this.push(null);
    },
  });
  if (opts.label !== false) log.track(r, opts.label || 'src');
  return r;
}

const DATA = Array.from({ length: 12 }, (_, i) => `line-${String(i).padStart(2, '0')}\n`);

differential('instanceof require("stream").Writable / Stream / EventEmitter', async (impl, log) => {
  const { EventEmitter } = require('node:events');
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log('instanceof stream.Writable', w instanceof stream.Writable);
  log('instanceof stream.Stream', w instanceof stream.Stream);
  log('instanceof EventEmitter', w instanceof EventEmitter);
  log('instanceof stream.Readable', w instanceof stream.Readable);
  log('instanceof stream.Duplex', w instanceof stream.Duplex);
  log('isWritable', stream.isWritable ? stream.isWritable(w) : 'n/a');
  log('isErrored', stream.isErrored ? stream.isErrored(w) : 'n/a');
  log('isDisturbed', stream.isDisturbed ? stream.isDisturbed(w) : 'n/a');
}, { expect: ["'instanceof stream.Writable', true"] });

differential('stream.pipeline(nodeReadable, writable, cb): data complete and in order, cb(undefined)', async (impl, log) => {
  const got = [];
  const w = new impl.Writable({
    highWaterMark: 16,
    write(c, e, cb) {
      got.push(c.toString());
      setImmediate(cb);
    },
  });
  log.track(w);
  const r = source(impl, log, DATA);
  await new Promise((resolve) => {
    const ret = stream.pipeline(r, w, (err, ...rest) => {
      log('pipeline-cb', err, rest.length);
      resolve();
    });
    log('pipeline-returns-dest', ret === w);
  });
  log('data', got.join(''));
  log('complete', got.join('') === DATA.join(''));
  await log.settle(2);
}, { expect: ["'complete', true"] });

differential('stream.pipeline with a destination whose _write fails: cb gets the error, source destroyed', async (impl, log) => {
  let n = 0;
  const w = new impl.Writable({
    write(c, e, cb) {
      n++;
      if (n === 3) cb(new Error('sink broke'));
      else setImmediate(cb);
    },
  });
  log.track(w);
  const r = source(impl, log, DATA);
  await new Promise((resolve) => {
    stream.pipeline(r, w, (err) => {
      log('pipeline-cb', err);
      resolve();
    });
  });
  await log.settle(2);
  log('source-destroyed', r.destroyed);
  log.snap(w, 'dest');
}, { expect: ['sink broke'] });

differential('stream.pipeline where the source errors: destination is destroyed with the error', async (impl, log) => {
  const r = new impl.Readable({
    read() {
      this.push('a');
      this.destroy(new Error('source broke'));
    },
  });
  log.track(r, 'src');
  const w = sink(impl, log, { how: 'immediate' });
  await new Promise((resolve) => stream.pipeline(r, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
  log.snap(w, 'dest');
}, { expect: ['source broke'] });

differential('stream/promises pipeline with a generator source and an async sink', async (impl, log) => {
  const got = [];
  const w = new impl.Writable({
    objectMode: true,
    highWaterMark: 2,
    write(c, e, cb) {
      got.push(c);
      process.nextTick(cb);
    },
  });
  log.track(w);
  let drains = 0;
  w.on('drain', () => drains++);
  const res = await streamPromises.pipeline(async function* () {
    for (let i = 0; i < 10; i++) yield { i };
  }, w);
  log('resolved-with', res);
  log('got', got.map((o) => o.i), 'drains', drains);
}, { expect: ["'got', [ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 ]"] });

differential('stream/promises pipeline rejects when the writable is destroyed mid-stream', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      cb();
      this.destroy(new Error('destroyed mid-stream'));
    },
  });
  log.track(w);
  const r = source(impl, log, DATA);
  await streamPromises.pipeline(r, w).then(() => log('resolved'), (e) => log('rejected', e));
  await log.settle(2);
}, { expect: ['destroyed mid-stream'] });

differential('stream/promises finished resolves after finish', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick' });
  const p = streamPromises.finished(w).then(() => log('finished-resolved', w.writableFinished, w.closed));
  w.write('a');
  w.end('b');
  await p;
  await log.waitFor(w, 'close').then(() => null);
  await log.settle(1);
}, { expect: ["'finished-resolved'"] });

differential('stream/promises finished rejects with the stream error', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  const p = streamPromises.finished(w).then(() => log('resolved'), (e) => log('finished-rejected', e));
  w.destroy(new Error('bad'));
  await p;
  await log.settle(1);
}, { expect: ["'finished-rejected'"] });

differential('stream/promises finished rejects with ERR_STREAM_PREMATURE_CLOSE on destroy() without error', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('x');
  const p = streamPromises.finished(w).then(() => log('resolved'), (e) => log('finished-rejected', e));
  w.destroy();
  await p;
  await log.settle(1);
}, { expect: ['ERR_STREAM_PREMATURE_CLOSE'] });

differential('stream.finished(cb) on an already-finished stream', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end();
  await log.waitFor(w, 'close');
  await new Promise((resolve) => stream.finished(w, (err) => {
    log('finished-cb', err);
    resolve();
  }));
  await log.settle(1);
}, { expect: ["'finished-cb'"] });

differential('nodeReadable.pipe(writable) with a slow (setTimeout 1 ms) destination: complete, in order, same drains/pauses', async (impl, log) => {
  const got = [];
  const w = new impl.Writable({
    highWaterMark: 20,
    write(c, e, cb) {
      got.push(c.toString());
      log('_write', c, this.writableLength, this.writableNeedDrain);
      setTimeout(cb, 1);
    },
  });
  log.track(w);
  let drains = 0;
  w.on('drain', () => drains++);
  const r = source(impl, log, DATA);
  log('pipe-returns-dest', r.pipe(w) === w);
  await log.waitFor(w, 'close');
  log('complete', got.join('') === DATA.join(''), 'drains', drains, 'writes', got.length);
}, { expect: ["'complete', true", "'emit', 'w', 'pipe'", "'emit', 'w', 'unpipe'"] });

differential('pipe() into an object-mode slow destination (hwm 2) with async callbacks', async (impl, log) => {
  const objs = Array.from({ length: 8 }, (_, i) => ({ n: i }));
  const got = [];
  const w = new impl.Writable({
    objectMode: true,
    highWaterMark: 2,
    write(c, e, cb) {
      got.push(c.n);
      setImmediate(cb);
    },
  });
  log.track(w);
  let drains = 0;
  w.on('drain', () => drains++);
  const r = source(impl, log, objs, { objectMode: true, highWaterMark: 2 });
  r.pipe(w);
  await log.waitFor(w, 'close');
  log('got', got, 'drains', drains);
}, { expect: ["'got', [ 0, 1, 2, 3, 4, 5, 6, 7 ]"] });

differential('pipe(dest, { end: false }) leaves the destination open; unpipe() emits unpipe', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  const r = source(impl, log, ['a', 'b']);
  r.pipe(w, { end: false });
  await log.waitFor(r, 'end');
  await log.settle(2);
  log.snap(w, 'still-open');
  const r2 = source(impl, log, ['c'], { label: 'src2' });
  r2.pipe(w);
  r2.unpipe(w);
  await log.settle(3);
  w.end('z');
  await log.waitFor(w, 'close');
}, { expect: ['writableEnded: false'] });

differential('pipe() into a destination that errors: source unpipes and pauses', async (impl, log) => {
  let n = 0;
  const w = new impl.Writable({
    highWaterMark: 4,
    write(c, e, cb) {
      n++;
      if (n === 2) process.nextTick(cb, new Error('pipe dest broke'));
      else process.nextTick(cb);
    },
  });
  log.track(w);
  const r = source(impl, log, DATA);
  r.pipe(w);
  await log.waitFor(w, 'close');
  await log.settle(2);
  log('src-state', r.readableFlowing, r.destroyed);
}, { expect: ['pipe dest broke', "'emit', 'w', 'unpipe'"] });

differential('pipe() with a synchronous fast sink: no backpressure, one _write per chunk', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', highWaterMark: 4 });
  const r = source(impl, log, DATA.slice(0, 5));
  r.pipe(w);
  await log.waitFor(w, 'close');
}, { expect: ["'emit', 'w', 'finish'"] });

differential('Readable.from(array).pipe(writable) with microtask callbacks', async (impl, log) => {
  const got = [];
  const w = new impl.Writable({
    objectMode: true,
    highWaterMark: 3,
    write(c, e, cb) {
      got.push(c);
      queueMicrotask(cb);
    },
  });
  log.track(w);
  const r = impl.Readable.from(['x', 'y', 'z', 'w', 'v']);
  log.track(r, 'src');
  r.pipe(w);
  await log.waitFor(w, 'close');
  log('got', got);
}, { expect: ["'got', [ 'x', 'y', 'z', 'w', 'v' ]"] });

differential('addAbortSignal(signal, writable) from node:stream works on the writable', async (impl, log) => {
  const ac = new AbortController();
  const w = sink(impl, log, { how: 'hold' });
  log('returns-stream', stream.addAbortSignal(ac.signal, w) === w);
  w.write('x', log.cb('x'));
  ac.abort();
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['AbortError'] });

differential('Writable.toWeb(): a WritableStream writer feeds _write', async (impl, log) => {
  if (typeof impl.Writable.toWeb !== 'function') {
    log('toWeb', 'missing');
    return;
  }
  const w = sink(impl, log, { how: 'nextTick' });
  const ws = impl.Writable.toWeb(w);
  const writer = ws.getWriter();
  await writer.write(new Uint8Array([104, 105]));
  await writer.close();
  await log.settle(3);
  log.snap(w, 'after-close');
}, { expect: ['buf:"hi"'] });
