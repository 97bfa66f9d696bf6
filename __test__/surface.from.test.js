'use strict';

// Duplex.from for every kind of body node:stream takes: what comes back (the body itself or an
// adapter, instanceof the module's own classes), what it reads and writes, its events, and how
// errors and destruction cross between the adapter and what it wraps.

const { sdifferential, source, collect, kinds, attempt, delay } = require('./helpers/surface');

// Collected through 'data' (not for await: how the async iterator joins queued bytes is
// lib/readable.js's business, and Node 26 changed it).
async function drain(log, d, tag = 'out') {
  const { ev, out, err } = await collect(d);
  if (ev === 'error') log(tag, out, 'error', err);
  else log(tag, out);
}

sdifferential('Duplex.from(duplex) is the duplex itself; from(readable) / from(writable) wrap them', async (impl, log) => {
  const pt = new impl.PassThrough();
  log('same', impl.Duplex.from(pt) === pt);
  const r = source(impl, log, { chunks: ['a', 'b'], how: 'nextTick' });
  const dr = impl.Duplex.from(r);
  log.track(dr, 'dr');
  log('dr', kinds(impl, dr), dr.readable, dr.writable);
  await drain(log, dr);
  const got = [];
  const w = log.track(new impl.Writable({
    write(c, e, cb) {
      got.push(String(c));
      cb();
    },
  }), 'w');
  const dw = impl.Duplex.from(w);
  log.track(dw, 'dw');
  log('dw', kinds(impl, dw), dw.readable, dw.writable);
  dw.write('x');
  dw.end('y');
  await log.waitFor(dw, ['close', 'finish']);
  await log.settle(3);
  log('written', got);
}, { expect: ["'same', true", "'written', [ 'x', 'y' ]"] });

sdifferential('Duplex.from(string | array | iterable | async iterable): readable-only, objectMode', async (impl, log) => {
  const bodies = {
    string: 'hello',
    buffer: Buffer.from('buf'),
    uint8array: new Uint8Array([7, 8]),
    array: [1, 2, 3],
    set: new Set(['s1', 's2']),
    gen: (function* () {
      yield 'g1';
      yield 'g2';
    })(),
    asyncGen: (async function* () {
      yield 'a1';
      await delay(1);
      yield 'a2';
    })(),
  };
  for (const [tag, body] of Object.entries(bodies)) {
    const d = impl.Duplex.from(body);
    log(tag, kinds(impl, d), d.readable, d.writable, d.readableObjectMode, d.readableHighWaterMark);
    await drain(log, d, tag);
  }
}, { expect: ["'string', [ 'hello' ]", "'asyncGen', [ 'a1', 'a2' ]"] });

sdifferential('Duplex.from(promise): its value is the one chunk; a rejection destroys the adapter', async (impl, log) => {
  const d = impl.Duplex.from(Promise.resolve('val'));
  log.track(d, 'd');
  log('kinds', kinds(impl, d), d.writable);
  await drain(log, d, 'resolved');
  const n = impl.Duplex.from(Promise.resolve(null));
  await drain(log, n, 'nully');
  const e = impl.Duplex.from(Promise.reject(new Error('nope')));
  log.track(e, 'e');
  await drain(log, e, 'rejected');
}, { expect: ["'resolved', [ 'val' ]", 'nope'] });

sdifferential('Duplex.from(async generator function): a transform of the written chunks', async (impl, log) => {
  const d = impl.Duplex.from(async function* (source, { signal }) {
    log('signal', signal instanceof AbortSignal);
    for await (const chunk of source) yield String(chunk).toUpperCase();
  });
  log.track(d, 'd');
  log('kinds', kinds(impl, d), d.readableObjectMode, d.writableObjectMode);
  log('w1', d.write('ab'));
  log('w2', d.write('cd'));
  d.end();
  await drain(log, d);
  await log.settle(3);
}, { expect: ["'out', [ 'AB', 'CD' ]"] });

sdifferential('Duplex.from(async function): a sink; finish waits for it; a non-null result is ERR_INVALID_RETURN_VALUE', async (impl, log) => {
  const seen = [];
  const d = impl.Duplex.from(async function (source) {
    for await (const c of source) seen.push(c);
    await delay(2);
    log('sink-done', seen);
  });
  log.track(d, 'd');
  log('kinds', kinds(impl, d), d.readable, d.writable);
  d.write('a');
  d.end('b');
  await log.waitFor(d, ['finish', 'error', 'close']);
  await log.settle(3);
  const bad = impl.Duplex.from(async function (source) {
    // eslint-disable-next-line no-unused-vars
    for await (const _ of source);
    return 42;
  });
  log.track(bad, 'bad');
  bad.end('x');
  await log.waitFor(bad, ['close']);
  await log.settle(3);
}, { expect: ["'sink-done', [ 'a', 'b' ]", 'ERR_INVALID_RETURN_VALUE'] });

sdifferential('Duplex.from(async function) that returns before taking all input (destroyed from 24)', async (impl, log) => {
  const d = impl.Duplex.from(async function (source) {
    for await (const c of source) {
      log('took', c);
      return;
    }
  });
  log.track(d, 'd');
  d.write('a');
  await delay(5);
  log('after', d.destroyed, d.writableFinished);
  d.destroy();
  await log.waitFor(d, ['close']);
  await log.settle(3);
});

sdifferential('Duplex.from(function) destroyed while the function waits for input', async (impl, log) => {
  let sig;
  const d = impl.Duplex.from(async function* (source, { signal }) {
    sig = signal;
    for await (const c of source) yield c;
  });
  log.track(d, 'd');
  d.write('a');
  d.resume();
  await delay(2);
  d.destroy(new Error('stop'));
  // Before 24 node:stream never closes it (the generator stays blocked on its input).
  await delay(20);
  log('closed', d.closed, d.destroyed);
  log('signal', sig && sig.aborted, sig && sig.reason);
});

sdifferential('Duplex.from({ readable, writable }): reads from one, writes to the other', async (impl, log) => {
  const r = source(impl, log, { chunks: ['r1', 'r2'], how: 'nextTick' });
  const got = [];
  const w = log.track(new impl.Writable({
    write(c, e, cb) {
      got.push(String(c));
      cb();
    },
  }), 'w');
  const d = impl.Duplex.from({ readable: r, writable: w });
  log.track(d, 'd');
  log('kinds', kinds(impl, d), d.readable, d.writable);
  d.end('w1');
  await drain(log, d);
  await log.settle(3);
  log('written', got);
}, { expect: ["'written', [ 'w1' ]", "'out', [ 'buf:\"r1\"', 'buf:\"r2\"' ]"] });

sdifferential('Duplex.from({ readable }) with an erroring readable destroys the adapter', async (impl, log) => {
  const r = log.track(new impl.Readable({ read() {} }), 'r');
  const d = impl.Duplex.from({ readable: r });
  log.track(d, 'd');
  d.resume();
  r.destroy(new Error('r failed'));
  await log.waitFor(d, ['close']);
  await log.settle(3);
}, { expect: ['r failed'] });

sdifferential('Duplex.from(an old-style stream in { readable }) wraps it', async (impl, log) => {
  const EE = require('node:events');
  const old = new EE();
  old.pipe = () => {};
  const d = impl.Duplex.from({ readable: old });
  log('kinds', kinds(impl, d));
  const p = (async () => {
    const out = [];
    for await (const c of d) out.push(c);
    return out;
  })();
  old.emit('data', 'o1');
  old.emit('data', 'o2');
  old.emit('end');
  log('out', await p);
});

sdifferential('Duplex.from(Blob) / web streams / { readable, writable } web pair', async (impl, log) => {
  const b = impl.Duplex.from(new Blob(['blob-data']));
  log('blob', kinds(impl, b));
  await drain(log, b, 'blob-out');
  const rs = new ReadableStream({
    start(c) {
      c.enqueue('w1');
      c.enqueue('w2');
      c.close();
    },
  });
  const dr = impl.Duplex.from(rs);
  log('rs', kinds(impl, dr), dr.readable, dr.writable);
  await drain(log, dr, 'rs-out');
  const sunk = [];
  const ws = new WritableStream({
    write(c) {
      sunk.push(String(c));
    },
  });
  const dw = impl.Duplex.from(ws);
  log.track(dw, 'dw');
  log('ws', kinds(impl, dw), dw.readable, dw.writable);
  dw.end('to-web');
  await log.waitFor(dw, ['finish', 'close']);
  await delay(2);
  log('sunk', sunk);
  const ts = new TransformStream({
    transform(c, ctl) {
      ctl.enqueue(String(c).toUpperCase());
    },
  });
  const dp = impl.Duplex.from({ readable: ts.readable, writable: ts.writable });
  log('pair', kinds(impl, dp));
  dp.end('pair-in');
  await drain(log, dp, 'pair-out');
}, { expect: ["'sunk', [ 'to-web' ]"] });

sdifferential('Duplex.from rejects what it cannot adapt', async (impl, log) => {
  await attempt(impl, log, 'number', () => impl.Duplex.from(1));
  await attempt(impl, log, 'null', () => impl.Duplex.from(null));
  await attempt(impl, log, 'fn-returns-number', () => impl.Duplex.from(() => 5));
  await attempt(impl, log, 'plain-object', () => impl.Duplex.from({}));
  await attempt(impl, log, 'array-buffer', () => impl.Duplex.from(new ArrayBuffer(2)));
  await attempt(impl, log, 'fn-returns-object', () => impl.Duplex.from(() => ({ a: 1 })));
  await attempt(impl, log, 'fn-returns-null', () => impl.Duplex.from(() => null));
  await attempt(impl, log, 'fn-returns-fn', () => impl.Duplex.from(() => function named() {}));
  await attempt(impl, log, 'Readable.from-of-duplex-kinds', () => impl.Transform.from([1]));
}, { expect: ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_RETURN_VALUE'] });

sdifferential('the adapters run in a pipeline with the module\'s streams', async (impl, log) => {
  const out = [];
  await impl.promises.pipeline(
    impl.Duplex.from(['a', 'b', 'c']),
    impl.Duplex.from(async function* (src) {
      for await (const c of src) yield `${c}!`;
    }),
    new impl.Writable({
      objectMode: true,
      write(c, e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  log('out', out);
}, { expect: ["'out', [ 'a!', 'b!', 'c!' ]"] });

sdifferential('Duplex.from({ readable, writable }): a writable error destroys the readable and the adapter', async (impl, log) => {
  const r = log.track(new impl.Readable({ read() {} }), 'r');
  const w = log.track(new impl.Writable({
    write(c, e, cb) {
      cb(new Error('w failed'));
    },
  }), 'w');
  const d = impl.Duplex.from({ readable: r, writable: w });
  log.track(d, 'd');
  d.write('x', log.cb('write'));
  await log.waitFor(d, ['close']);
  await log.settle(3);
  log('destroyed', r.destroyed, w.destroyed, d.destroyed);
}, { expect: ['w failed'] });

sdifferential('Duplex.from(readable): destroying the adapter destroys the readable (AbortError)', async (impl, log) => {
  const r = log.track(new impl.Readable({ read() {} }), 'r');
  const d = impl.Duplex.from(r);
  log.track(d, 'd');
  d.destroy();
  await log.waitFor(r, ['close']);
  await log.waitFor(d, ['close']);
  await log.settle(3);
}, { expect: ['AbortError'] });

sdifferential('Duplex.from(a node:stream readable) gives the module\'s Duplex too', async (impl, log) => {
  const nodeReadable = impl.NodeReadable.from(['n1', 'n2']);
  const d = impl.Duplex.from(nodeReadable);
  log('kinds', kinds(impl, d));
  log('out', (await collect(d)).out);
}, { expect: ["'out', [ 'n1', 'n2' ]"] });
