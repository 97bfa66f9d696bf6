'use strict';

// The Readable operators on sluice's own classes: results, the order fn runs and settles in
// under concurrency, how far ahead the source is read (highWaterMark), errors and aborts (the
// source destroyed), argument validation per running Node, and that the stream-returning ones
// return the module's own Readable.

const { since } = require('../lib/node-version');
const { sdifferential, source, kinds, err, attempt, delay } = require('./helpers/surface');

/** Resolves after `n` setImmediate rounds (a deterministic order of settling, unlike timers). */
async function immediates(n) {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const objSource = (impl, log, chunks, extra = {}) =>
  source(impl, log, { objectMode: true, chunks, how: 'nextTick', ...extra });

sdifferential('map: results in source order, a sluice Readable (objectMode, highWaterMark 1)', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3]);
  const m = r.map((x) => x * 10);
  log('kinds', kinds(impl, m), m.readableObjectMode, m.readableHighWaterMark);
  log.track(m, 'm');
  for await (const v of m) log('v', v);
  await log.settle(2);
}, { expect: ["'v', 30", "'kinds', { Readable: true"] });

sdifferential('map with concurrency 3: fn starts in order, results in order though settled out of order', async (impl, log) => {
  // Deterministic: each call's promise is settled by the scenario, in a chosen order.
  const r = objSource(impl, log, ['a', 'b', 'c', 'd', 'e']);
  const pending = new Map();
  const m = r.map((x) => {
    log('start', x, pending.size);
    return new Promise((resolve) => pending.set(x, resolve));
  }, { concurrency: 3 });
  const done = m.toArray();
  for (const x of ['c', 'a', 'b', 'e', 'd']) {
    await log.settle(3);
    log('settling', x, [...pending.keys()]);
    const resolve = pending.get(x);
    if (resolve) {
      pending.delete(x);
      resolve(x.toUpperCase());
    }
  }
  for (let i = 0; i < 3 && pending.size; i++) {
    await log.settle(3);
    for (const [x, resolve] of pending) {
      pending.delete(x);
      resolve(x.toUpperCase());
    }
  }
  log('out', await done);
}, { expect: ["'out', [ 'A', 'B', 'C', 'D', 'E' ]"] });

sdifferential('map concurrency/highWaterMark bound how far the source is read ahead', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4, 5, 6, 7, 8], { quiet: true });
  const pending = [];
  const m = r.map((x) => {
    log('call', x, pending.length, r.$reads);
    return new Promise((resolve) => pending.push(() => resolve(x)));
  }, { concurrency: 2, highWaterMark: 1 });
  const it = m[Symbol.asyncIterator]();
  const first = it.next();
  await log.settle(5);
  log('calls-before-any-settles', pending.length, r.$reads);
  while (pending.length) {
    pending.shift()();
    await log.settle(5);
    log('after-settle', pending.length, r.$reads);
  }
  log('first', await first);
  const rest = [];
  for (;;) {
    const step = it.next();
    await log.settle(5);
    while (pending.length) pending.shift()();
    const { value, done } = await step;
    if (done) break;
    rest.push(value);
  }
  log('rest', rest);
});

sdifferential('map: fn receives { signal } (an AbortSignal); a throwing fn errors the result and destroys the source', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4]);
  const m = r.map((x, opts) => {
    log('fn', x, opts.signal instanceof AbortSignal, opts.signal.aborted);
    if (x === 2) throw new Error('boom');
    return x;
  });
  log.track(m, 'm');
  await attempt(impl, log, 'toArray', () => m.toArray());
  await log.settle(3);
  log.rsnap(r, 'source');
}, { expect: ['boom', 'destroyed: true'] });

sdifferential('map with a signal: aborting mid-way rejects with AbortError and destroys the source', async (impl, log) => {
  const ac = new AbortController();
  const r = objSource(impl, log, [1, 2, 3, 4, 5]);
  const m = r.map(async (x) => {
    if (x === 2) ac.abort();
    return x;
  }, { signal: ac.signal });
  log.track(m, 'm');
  await attempt(impl, log, 'toArray', () => m.toArray());
  await log.settle(3);
  log.rsnap(r, 'source');
}, { expect: ['AbortError'] });

sdifferential('filter / flatMap / drop / take', async (impl, log) => {
  const R = impl.Readable;
  log('filter', await R.from([1, 2, 3, 4, 5, 6]).filter(async (x) => x % 2 === 0).toArray());
  log('flatMap', await R.from([1, 2, 3]).flatMap((x) => [x, x * 10]).toArray());
  log('flatMap-async-gen', await R.from([1, 2]).flatMap(async function* (x) {
    yield x;
    yield -x;
  }).toArray());
  log('drop', await R.from([1, 2, 3, 4]).drop(2).toArray());
  log('drop-NaN', await R.from([1, 2]).drop('x').toArray());
  log('take', await R.from([1, 2, 3, 4]).take(2).toArray());
  log('take-0', await R.from([1, 2, 3, 4]).take(0).toArray());
  log('drop-take', await R.from([1, 2, 3, 4, 5]).drop(1).take(2).toArray());
  for (const op of ['filter', 'flatMap', 'drop', 'take']) {
    const out = R.from([1])[op](op === 'drop' || op === 'take' ? 1 : (x) => [x]);
    log('kinds', op, kinds(impl, out));
    await out.toArray();
  }
}, { expect: ["'drop-take', [ 2, 3 ]", "'flatMap', [ 1, 10, 2, 20, 3, 30 ]"] });

sdifferential('take(n) stops pulling after n and destroys the source', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4, 5, 6]);
  log('take', await r.take(2).toArray());
  await log.settle(3);
  log.rsnap(r, 'source');
}, { expect: ["'take', [ 1, 2 ]"] });

sdifferential('forEach / toArray / some / find / every / reduce', async (impl, log) => {
  const R = impl.Readable;
  const seen = [];
  log('forEach', await R.from([1, 2, 3]).forEach(async (x) => {
    await delay(1);
    seen.push(x);
  }), seen);
  log('forEach-concurrent', await R.from([3, 1, 2]).forEach(async (x) => {
    log('each-start', x);
    await immediates(x * 2);
    log('each', x);
  }, { concurrency: 3 }));
  log('toArray', await R.from(['a', 'b']).toArray());
  log('some', await R.from([1, 2, 3]).some((x) => x > 2), await R.from([1, 2]).some((x) => x > 2));
  log('find', await R.from([1, 2, 3, 4]).find(async (x) => x > 2), await R.from([1]).find((x) => x > 5));
  log('every', await R.from([2, 4]).every((x) => x % 2 === 0), await R.from([2, 3]).every((x) => x % 2 === 0));
  log('reduce', await R.from([1, 2, 3]).reduce((a, b) => a + b), await R.from([1, 2, 3]).reduce(async (a, b) => a + b, 10));
  log('reduce-signal', await R.from([1]).reduce((a, b, opts) => opts.signal instanceof AbortSignal, 0));
  await attempt(impl, log, 'reduce-empty', () => R.from([]).reduce((a, b) => a + b));
  log('reduce-empty-initial', await R.from([]).reduce((a, b) => a + b, 7));
}, { expect: ["'reduce', 6, 16", "'every', true, false"] });

sdifferential('some() stops at the first match and destroys the source', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4, 5]);
  log('some', await r.some((x) => x === 2));
  await log.settle(3);
  log.rsnap(r, 'source');
}, { expect: ["'some', true"] });

sdifferential('byte-mode source: operators see Buffers (or strings with an encoding)', async (impl, log) => {
  // A chunk at a time (setImmediate between pushes): how the async iterator joins queued bytes
  // is lib/readable.js's business, not the operators'.
  const r = source(impl, log, { chunks: ['ab', 'cd'], how: 'immediate' });
  log('buffers', await r.map((c) => c.length).toArray());
  const s = source(impl, log, { chunks: ['ef', 'gh'], how: 'immediate', encoding: 'utf8', label: 's' });
  log('strings', await s.toArray());
});

sdifferential('pre-aborted signals: toArray, reduce, drop, take, map reject with AbortError', async (impl, log) => {
  const R = impl.Readable;
  const signal = AbortSignal.abort(new Error('why'));
  await attempt(impl, log, 'toArray', () => R.from([1, 2]).toArray({ signal }));
  const r = R.from([1, 2]);
  log.track(r, 'r');
  await attempt(impl, log, 'reduce', () => r.reduce((a, b) => a + b, 0, { signal }));
  log.rsnap(r, 'reduced');
  await attempt(impl, log, 'drop', () => R.from([1]).drop(0, { signal }).toArray());
  await attempt(impl, log, 'take', () => R.from([1]).take(1, { signal }).toArray());
  await attempt(impl, log, 'map', () => R.from([1]).map((x) => x, { signal }).toArray());
  await attempt(impl, log, 'forEach', () => R.from([1]).forEach((x) => x, { signal }));
  await log.settle(3);
}, { expect: ['AbortError'] });

sdifferential('argument validation: the running Node\'s codes, classes and messages', async (impl, log) => {
  const R = impl.Readable;
  const r = () => R.from([1, 2, 3]);
  const bad = [
    ['map-fn', () => r().map(1)],
    ['map-options', () => r().map((x) => x, 1)],
    ['map-options-array', () => r().map((x) => x, [])],
    ['map-options-fn', () => r().map((x) => x, () => {})],
    ['map-options-named-fn', () => r().map((x) => x, function opts() {})],
    ['map-signal', () => r().map((x) => x, { signal: 1 })],
    ['map-concurrency-0', () => r().map((x) => x, { concurrency: 0 })],
    ['map-concurrency-NaN', () => r().map((x) => x, { concurrency: 'a' })],
    ['map-concurrency-float', () => r().map((x) => x, { concurrency: 2.5 })],
    ['map-hwm', () => r().map((x) => x, { highWaterMark: -1 })],
    ['filter-fn', () => r().filter('x')],
    ['flatMap-fn', () => r().flatMap(null)],
    ['drop-negative', () => r().drop(-1)],
    ['take-negative', () => r().take(-2)],
    ['drop-options', () => r().drop(1, 'x')],
    ['take-signal', () => r().take(1, { signal: {} })],
    ['forEach-fn', () => r().forEach(1)],
    ['some-fn', () => r().some()],
    ['every-fn', () => r().every({})],
    ['find-fn', () => r().find(2)],
    ['reduce-fn', () => r().reduce(1)],
    ['reduce-options', () => r().reduce((a) => a, 0, 5)],
    ['toArray-options', () => r().toArray(1)],
    ['toArray-options-array', () => r().toArray([])],
    ['toArray-null', () => r().toArray(null)],
    ['toArray-signal', () => r().toArray({ signal: 'no' })],
    ['new-map', () => new (r().map)((x) => x)],
    ['new-toArray', () => new (r().toArray)()],
  ];
  for (const [tag, fn] of bad) await attempt(impl, log, tag, fn);
}, { expect: ['ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_ILLEGAL_CONSTRUCTOR'] });

sdifferential('operators on a Duplex and a Transform read their readable side; results are the module\'s Readable', async (impl, log) => {
  const pt = new impl.PassThrough({ objectMode: true });
  const m = pt.map((x) => x + 1);
  log('kinds', kinds(impl, m));
  pt.write(1);
  pt.end(2);
  log('out', await m.toArray());
  const d = new impl.Duplex({ objectMode: true, read() {}, write(c, e, cb) { cb(); } });
  d.push('a');
  d.push(null);
  log('dup', await d.filter(() => true).toArray());
}, { expect: ["'out', [ 2, 3 ]"] });

sdifferential('asIndexedPairs where the running Node has it (20), absent after', async (impl, log) => {
  const r = impl.Readable.from(['a', 'b']);
  log('has', typeof r.asIndexedPairs);
  if (typeof r.asIndexedPairs === 'function') {
    const onWarning = (w) => log('warning', w.name, w.message, w.code);
    process.on('warning', onWarning);
    const p = r.asIndexedPairs();
    await log.settle(2);
    process.off('warning', onWarning);
    log('kinds', kinds(impl, p));
    log('pairs', await p.toArray());
    await attempt(impl, log, 'options', () => impl.Readable.from([1]).asIndexedPairs(1));
  } else {
    r.destroy();
  }
}, { expect: [since.NO_AS_INDEXED_PAIRS ? "'has', 'undefined'" : "'pairs', [ [ 0, 'a' ], [ 1, 'b' ] ]"] });

sdifferential('an erroring source rejects toArray and errors a map result', async (impl, log) => {
  let n = 0;
  const mk = (label) => log.track(new impl.Readable({
    objectMode: true,
    read() {
      n++;
      if (n % 3 === 0) process.nextTick(() => this.destroy(new Error(`src failed ${label}`)));
      else this.push(n);
    },
  }), label);
  await attempt(impl, log, 'toArray', () => mk('a').toArray());
  const m = mk('b').map((x) => x);
  log.track(m, 'm');
  await attempt(impl, log, 'map', () => m.toArray());
  await log.settle(3);
  log('err-shape', err(new Error('x')));
}, { expect: ['src failed a', 'src failed b'] });

sdifferential('destroying a map result mid-way destroys the source; flatMap over inner streams', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4, 5]);
  const m = r.map((x) => x);
  log.track(m, 'm');
  const it = m[Symbol.asyncIterator]();
  log('first', await it.next());
  m.destroy();
  await log.waitFor(m, ['close']);
  await log.settle(4);
  log.rsnap(r, 'source');
  const inner = (x) => impl.Readable.from([x, x]);
  log('flat-streams', await impl.Readable.from([1, 2]).flatMap(inner).toArray());
}, { expect: ["'flat-streams', [ 1, 1, 2, 2 ]"] });

sdifferential('map: a later synchronous throw while earlier calls are pending (concurrency 3, highWaterMark 0)', async (impl, log) => {
  const r = objSource(impl, log, [1, 2, 3, 4]);
  const m = r.map((x) => {
    log('call', x);
    if (x === 3) throw new Error(`sync ${x}`);
    return immediates(3).then(() => x);
  }, { concurrency: 3, highWaterMark: 0 });
  log.track(m, 'm');
  const out = [];
  try {
    for await (const v of m) out.push(v);
  } catch (e) {
    log('caught', e, out);
  }
  await log.settle(3);
  log.rsnap(r, 'source');
}, { expect: ['sync 3'] });

sdifferential('forEach / reduce with a signal aborted mid-way; some with concurrency', async (impl, log) => {
  const ac = new AbortController();
  const r = objSource(impl, log, [1, 2, 3, 4]);
  await attempt(impl, log, 'forEach', () => r.forEach((x) => {
    log('each', x);
    if (x === 2) ac.abort(new Error('enough'));
  }, { signal: ac.signal }));
  await log.settle(3);
  log.rsnap(r, 'forEach-source');
  const ac2 = new AbortController();
  let reducerSignal;
  const r2 = objSource(impl, log, [1, 2, 3, 4], { label: 'r2' });
  await attempt(impl, log, 'reduce', () => r2.reduce((a, b, { signal }) => {
    reducerSignal = signal;
    if (b === 2) ac2.abort();
    return a + b;
  }, 0, { signal: ac2.signal }));
  log('reducer-signal-aborted', reducerSignal.aborted);
  await log.settle(3);
  log.rsnap(r2, 'reduce-source');
  const seen = [];
  log('some', await impl.Readable.from([5, 1, 3]).some(async (x) => {
    seen.push(x);
    await immediates(x * 2);
    return x === 1;
  }, { concurrency: 3 }), seen);
}, { expect: ['AbortError'] });

sdifferential('map over a source that errors while results are pending', async (impl, log) => {
  const r = log.track(new impl.Readable({ objectMode: true, read() {} }), 'r');
  const m = r.map((x) => new Promise((resolve) => setImmediate(() => resolve(x))), { concurrency: 2 });
  log.track(m, 'm');
  r.push(1);
  r.push(2);
  await log.settle(1);
  r.destroy(new Error('source broke'));
  await attempt(impl, log, 'toArray', () => m.toArray());
  await log.settle(3);
}, { expect: ['source broke'] });
