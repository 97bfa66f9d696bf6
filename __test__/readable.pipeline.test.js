'use strict';

// The Readable as a source of stream.pipeline / stream/promises and under
// finished(); identity checks (instanceof, construction styles).

const stream = require('node:stream');
const streamPromises = require('node:stream/promises');
const util = require('node:util');
const { EventEmitter } = require('node:events');
const { rdifferential, source } = require('./helpers/rtrace');
const { sink } = require('./helpers/sinks');

const DATA = Array.from({ length: 6 }, (_, i) => `row-${i}\n`);

rdifferential("node's stream.pipeline(readable, writable, cb): data in order, cb(undefined), both closed", async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 8, chunks: DATA });
  const w = sink(impl, log, { highWaterMark: 8, how: 'immediate' });
  await new Promise((resolve) => {
    const ret = stream.pipeline(r, w, (err, ...rest) => {
      log('pipeline-cb', err, rest.length);
      resolve();
    });
    log('returns-dest', ret === w);
  });
  await log.settle(2);
  log.rsnap(r, 'src');
}, { expect: ["'pipeline-cb', undefined", "'returns-dest', true"] });

rdifferential("the package's own pipeline export with the Readable as source", async (impl, log) => {
  const r = source(impl, log, { chunks: DATA.slice(0, 3) });
  const w = sink(impl, log, { how: 'sync' });
  await new Promise((resolve) => impl.pipeline(r, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
}, { expect: ["'pipeline-cb', undefined"] });

rdifferential('stream/promises pipeline(readable, Transform, writable) resolves after everything finished', async (impl, log) => {
  const r = source(impl, log, { chunks: DATA });
  const upper = new impl.Transform({
    transform(c, e, cb) {
      cb(null, c.toString().toUpperCase());
    },
  });
  log.track(upper, 't');
  const got = [];
  const w = new impl.Writable({
    write(c, e, cb) {
      got.push(c.toString());
      process.nextTick(cb);
    },
  });
  log.track(w, 'w');
  const res = await streamPromises.pipeline(r, upper, w);
  log('resolved', res, got.join(''));
  log.rsnap(r, 'src');
}, { expect: ["'resolved', undefined, 'ROW-0"] });

rdifferential('stream/promises pipeline(readable, async generator transform, writable)', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, chunks: [1, 2, 3] });
  const w = sink(impl, log, { objectMode: true, how: 'nextTick' });
  await impl.promises.pipeline(r, async function* (src) {
    for await (const n of src) yield n * 10;
  }, w);
  log('done');
  await log.settle(2);
}, { expect: ["'_write', 'w', 30"] });

rdifferential('pipeline where the source is destroyed before end: ERR_STREAM_PREMATURE_CLOSE, destination destroyed', async (impl, log) => {
  const r = source(impl, log, { chunks: DATA, how: 'immediate' });
  const w = sink(impl, log, { how: 'sync' });
  let n = 0;
  r.on('data', () => {
    if (++n === 2) r.destroy();
  });
  await new Promise((resolve) => stream.pipeline(r, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
  log('dest-destroyed', w.destroyed);
}, { expect: ['ERR_STREAM_PREMATURE_CLOSE'] });

rdifferential('pipeline where the source errors: the callback gets the error and the destination is destroyed', async (impl, log) => {
  let calls = 0;
  const r = new impl.Readable({
    read() {
      if (++calls > 1) return;
      this.push('a');
      process.nextTick(() => this.destroy(new Error('source broke')));
    },
  });
  log.track(r, 'r');
  const w = sink(impl, log, { how: 'immediate' });
  await new Promise((resolve) => stream.pipeline(r, w, (err) => {
    log('pipeline-cb', err);
    resolve();
  }));
  await log.settle(2);
  log.snap(w, 'dest');
}, { expect: ['source broke'] });

rdifferential('finished(readable, cb) after a normal end calls back with undefined', async (impl, log) => {
  const r = source(impl, log, { chunks: ['f'] });
  stream.finished(r, (err, ...rest) => log('finished-cb', err, rest.length, r.readableEnded));
  r.resume();
  await log.waitFor(r, 'close');
  await log.settle(2);
}, { expect: ["'finished-cb', undefined, 0, true"] });

rdifferential('finished(readable) on destroy() before end: ERR_STREAM_PREMATURE_CLOSE', async (impl, log) => {
  const r = source(impl, log, { chunks: ['f1', 'f2'], how: 'manual' });
  impl.finished(r, (err) => log('finished-cb', err));
  r.destroy();
  await log.waitFor(r, 'close');
  await log.settle(2);
}, { expect: ['ERR_STREAM_PREMATURE_CLOSE'] });

rdifferential('stream/promises finished rejects on premature close and resolves on end', async (impl, log) => {
  const a = source(impl, log, { how: 'manual', label: 'a' });
  const pa = impl.promises.finished(a).then((v) => log('a-resolved', v), (e) => log('a-rejected', e));
  a.push('x');
  a.destroy();
  await pa;
  const b = source(impl, log, { chunks: ['y'], label: 'b' });
  b.resume();
  await streamPromises.finished(b).then((v) => log('b-resolved', v), (e) => log('b-rejected', e));
}, { expect: ["'a-rejected'", "'b-resolved', undefined"] });

rdifferential('finished(readable, { readable: true }) with an error: callback gets the error', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  stream.finished(r, { readable: true }, (err) => log('finished-cb', err));
  r.destroy(new Error('fin-err'));
  await log.waitFor(r, 'close');
  await log.settle(2);
}, { expect: ['fin-err'] });

rdifferential('instanceof require("stream").Readable / Stream / EventEmitter, and stream.is* helpers', async (impl, log) => {
  const r = source(impl, log, { chunks: ['x'] });
  log('instanceof stream.Readable', r instanceof stream.Readable);
  log('instanceof stream.Stream', r instanceof stream.Stream);
  log('instanceof EventEmitter', r instanceof EventEmitter);
  log('instanceof stream.Writable', r instanceof stream.Writable);
  log('instanceof stream.Duplex', r instanceof stream.Duplex);
  log('isReadable', stream.isReadable(r), 'isDisturbed', stream.isDisturbed(r), 'isErrored', stream.isErrored(r));
  r.read();
  log('isDisturbed-after-read', stream.isDisturbed(r));
  r.destroy(new Error('x'));
  log('isErrored-after-destroy', stream.isErrored(r), 'isReadable', stream.isReadable(r));
  const t = new impl.Transform();
  log('transform instanceof stream.Readable', t instanceof stream.Readable);
  log('transform instanceof impl.Readable', t instanceof impl.Readable);
  await log.waitFor(r, 'close');
}, { expect: ["'instanceof stream.Readable', true", "'transform instanceof impl.Readable', true"] });

rdifferential('construction styles: without new, subclass, util.inherits + Readable.call(this)', async (impl, log) => {
  const { Readable } = impl;
  let a;
  try {
    a = Readable({ read() { this.push('A'); this.push(null); } });
    log('without-new', a instanceof Readable);
  } catch (err) {
    log('without-new-threw', err);
  }
  function Legacy(opts) {
    Readable.call(this, opts);
  }
  util.inherits(Legacy, Readable);
  Legacy.prototype._read = function () {
    this.push('L');
    this.push(null);
  };
  const l = new Legacy({ highWaterMark: 3 });
  log.track(l, 'legacy');
  log('legacy', l instanceof Readable, l.readableHighWaterMark);
  l.on('data', (c) => log('legacy-data', c));
  await log.waitFor(l, 'close');
  if (a) {
    log.track(a, 'a');
    a.on('data', (c) => log('a-data', c));
    await log.waitFor(a, 'close');
  }
}, { expect: ["'legacy-data', 'buf:\"L\"'"] });

rdifferential('addAbortSignal(signal, readable) destroys the readable with an AbortError on abort', async (impl, log) => {
  const ac = new AbortController();
  const r = source(impl, log, { how: 'manual' });
  log('returns-stream', stream.addAbortSignal(ac.signal, r) === r);
  log.push(r, 'x');
  ac.abort();
  log.rsnap(r, 'after-abort');
  await log.waitFor(r, 'close');
}, { expect: ['AbortError'] });
