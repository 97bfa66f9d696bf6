'use strict';

// Async iteration and Readable.from().

const { rdifferential, source } = require('./helpers/rtrace');
const { since } = require('../lib/node-version');

rdifferential('for await yields every chunk in order; the stream is destroyed and closed afterwards', async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 6, chunks: ['i1', 'i2', 'i3', 'i4'], how: 'nextTick' });
  for await (const c of r) log('iter', c, r.readableLength);
  log('loop-done');
  log.rsnap(r, 'after-loop');
  await log.waitFor(r, 'close');
  // From Node 26 read() takes one buffered chunk (READ_ONE_CHUNK), not all of them.
}, { expect: [since.READ_ONE_CHUNK ? "'iter', 'buf:\"i1\"'" : "'iter', 'buf:\"i1i2i3\"'", "'loop-done'"] });

rdifferential('break out of for await destroys the stream (close, no end, readableAborted)', async (impl, log) => {
  const r = source(impl, log, { chunks: ['b1', 'b2', 'b3'], how: 'immediate' });
  for await (const c of r) {
    log('iter', c);
    break;
  }
  log.rsnap(r, 'after-break');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['destroyed: true'] });

rdifferential('throwing inside the for await body destroys the stream and rethrows', async (impl, log) => {
  const r = source(impl, log, { chunks: ['t1', 't2'], how: 'nextTick' });
  try {
    for await (const c of r) {
      log('iter', c);
      throw new Error('body threw');
    }
  } catch (err) {
    log('caught', err);
  }
  log.rsnap(r, 'after');
  await log.waitFor(r, 'close');
}, { expect: ['body threw'] });

rdifferential('an error emitted by the source rejects the iteration', async (impl, log) => {
  let n = 0;
  const r = new impl.Readable({
    read() {
      n++;
      if (n < 3) this.push(`e${n}`);
      else process.nextTick(() => this.destroy(new Error('source failed')));
    },
  });
  log.track(r, 'r');
  try {
    for await (const c of r) log('iter', c);
  } catch (err) {
    log('caught', err);
  }
  log.rsnap(r, 'after');
}, { expect: ['source failed'] });

rdifferential('iterator({ destroyOnReturn: false }): break keeps the stream alive; a second loop reads the rest', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, highWaterMark: 2, chunks: [1, 2, 3, 4, 5] });
  for await (const c of r.iterator({ destroyOnReturn: false })) {
    log('first-loop', c);
    if (c === 2) break;
  }
  log.rsnap(r, 'after-break');
  await log.settle(2);
  for await (const c of r) log('second-loop', c);
  log.rsnap(r, 'after-second');
}, { expect: ["'second-loop', 5", 'destroyed: false'] });

rdifferential('iterator() default (destroyOnReturn true) destroys on break', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, chunks: [1, 2, 3] });
  const it = r.iterator();
  log('next', await it.next());
  log('return', await it.return());
  log('next-after-return', await it.next());
  log.rsnap(r, 'after');
  await log.waitFor(r, 'close');
  // Node 26's iterator (ITER_NOT_GENERATOR) builds its results as { done, value }.
}, { expect: [since.ITER_NOT_GENERATOR ? "'next', { done: false, value: 1 }" : "'next', { value: 1, done: false }"] });

rdifferential('Readable.from(array): objectMode with highWaterMark 16 by default, each element one chunk', async (impl, log) => {
  const r = impl.Readable.from(['x', 0, { k: 'v' }, false]);
  log.track(r, 'r');
  log('instanceof', r instanceof impl.Readable);
  log.rsnap(r, 'fresh');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'data', 0", "'data', false", 'readableObjectMode: true'] });

rdifferential('Readable.from(generator) pulls lazily, one next() per _read', async (impl, log) => {
  function* gen() {
    for (let i = 0; i < 4; i++) {
      log('gen-yield', i);
      yield `g${i}`;
    }
    log('gen-done');
  }
  const r = impl.Readable.from(gen(), { highWaterMark: 1 });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'gen-done'", "'data', 'g3'"] });

rdifferential('Readable.from(async generator); break runs the generator finally block', async (impl, log) => {
  async function* gen() {
    try {
      for (let i = 0; ; i++) {
        await null;
        yield { i };
      }
    } finally {
      log('gen-finally');
    }
  }
  const r = impl.Readable.from(gen());
  log.track(r, 'r');
  for await (const c of r) {
    log('iter', c);
    if (c.i === 2) break;
  }
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'gen-finally'", "'iter', { i: 2 }"] });

rdifferential('Readable.from(async generator that throws): the error is emitted', async (impl, log) => {
  async function* gen() {
    yield 'ok';
    throw new Error('gen failed');
  }
  const r = impl.Readable.from(gen());
  log.track(r, 'r');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['gen failed'] });

rdifferential('Readable.from(string) and Readable.from(Buffer) emit a single chunk', async (impl, log) => {
  const a = impl.Readable.from('whole string');
  log.track(a, 'a');
  a.on('data', (c) => log('a-data', c));
  await log.waitFor(a, 'close');
  const b = impl.Readable.from(Buffer.from('whole buffer'));
  log.track(b, 'b');
  b.on('data', (c) => log('b-data', c));
  await log.waitFor(b, 'close');
}, { expect: ["'a-data', 'whole string'", "'b-data', 'buf:\"whole buffer\"'"] });

rdifferential('Readable.from(iterable, { objectMode: false }) turns strings into Buffers', async (impl, log) => {
  const r = impl.Readable.from(['ab', 'cd'], { objectMode: false });
  log.track(r, 'r');
  log.rsnap(r, 'fresh');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"ab\"'"] });

rdifferential('readable.toArray() collects everything', async (impl, log) => {
  const r = source(impl, log, { objectMode: true, chunks: [{ n: 1 }, { n: 2 }], how: 'immediate' });
  log('toArray', await r.toArray());
  log.rsnap(r, 'after');
  await log.waitFor(r, 'close');
}, { expect: ["'toArray', [ { n: 1 }, { n: 2 } ]"] });

// Found by Node's own test-stream-readable-async-iterators.js with stream swapped for sluice.
rdifferential("a legacy Stream iterated with Readable's async iterator: through an object-mode wrap, its destroy called at the end", async (impl, log) => {
  const stream = new impl.Stream();
  stream.destroy = () => log('legacy-destroy');
  process.nextTick(() => {
    stream.emit('data', 'hello');
    stream.emit('data', 'world');
    stream.emit('end');
  });
  const iter = impl.Readable.prototype[Symbol.asyncIterator].call(stream);
  log('iter.stream', iter.stream === stream, iter.stream instanceof impl.Readable, iter.stream.readableObjectMode);
  for (;;) {
    const { value, done } = await iter.next();
    if (done) break;
    log('value', value);
  }
  log('done');
  const errored = new impl.Stream();
  errored.close = () => log('legacy-close');
  process.nextTick(() => {
    errored.emit('data', 0);
    errored.emit('error', new Error('asd'));
  });
  try {
    for await (const v of { [Symbol.asyncIterator]: () => impl.Readable.prototype[Symbol.asyncIterator].call(errored) }) log('errored-value', v);
  } catch (err) {
    log('caught', err.message);
  }
}, { expect: ["'value', 'hello'", "'legacy-destroy'", "'caught', 'asd'"] });

rdifferential('leaving for await on a stream whose destroy was taken away calls its close()', async (impl, log) => {
  const r = new impl.Readable({ autoDestroy: false, read() {} });
  r.push('asd');
  r.push('asd');
  r.destroy = null;
  r.close = () => {
    log('close()');
    r.emit('close');
  };
  for await (const d of r) {
    log('got', d);
    break;
  }
  log('after-loop');
}, { expect: ["'close()'"] });
