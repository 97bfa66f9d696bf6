'use strict';

// compose(...streams) and readable.compose(stream): the composed stream is the module's own
// Duplex (readable.compose before Node 24: a Readable over it), data flows through every stage,
// errors and destruction reach every stage, and the argument checks are the running Node's.

const { sdifferential, source, collect, kinds, attempt, delay } = require('./helpers/surface');

const upper = (impl, log, label) => log.track(new impl.Transform({
  transform(c, e, cb) {
    cb(null, String(c).toUpperCase());
  },
}), label);

sdifferential('compose(transform, transform): write in, read out, one Duplex of the module', async (impl, log) => {
  const a = upper(impl, log, 'a');
  const b = log.track(new impl.Transform({
    transform(c, e, cb) {
      cb(null, `${c}!`);
    },
  }), 'b');
  const c = impl.Stream.compose(a, b);
  log.track(c, 'c');
  log('kinds', kinds(impl, c), c.readable, c.writable);
  const got = collect(c);
  c.write('x');
  c.end('y');
  const { ev, out } = await got;
  log('got', ev, out.map(String));
  await log.settle(3);
}, { expect: ["'kinds', { Readable: true, Writable: true, Duplex: true"] });

sdifferential('compose(readable, fn, writable-side fns): functions at either end become Duplex.from stages', async (impl, log) => {
  const c = impl.Stream.compose(
    async function* (src) {
      for await (const x of src) yield `<${x}>`;
    },
    async function* (src) {
      for await (const x of src) yield `${x}.`;
    },
  );
  log.track(c, 'c');
  log('kinds', kinds(impl, c), c.readableObjectMode, c.writableObjectMode);
  const got = collect(c);
  c.write('p');
  c.end('q');
  const { out } = await got;
  log('out', out.map(String));
}, { expect: ["'out', [ '<p>.', '<q>.' ]"] });

sdifferential('compose(readable, transform) is readable-only; compose(transform, writable) writable-only', async (impl, log) => {
  const r = source(impl, log, { chunks: ['r1', 'r2'], how: 'nextTick' });
  const c1 = impl.Stream.compose(r, upper(impl, log, 't1'));
  log.track(c1, 'c1');
  log('c1', kinds(impl, c1), c1.readable, c1.writable);
  const { out } = await collect(c1);
  log('c1-out', out.map(String));
  const sunk = [];
  const w = log.track(new impl.Writable({
    write(c, e, cb) {
      sunk.push(String(c));
      cb();
    },
  }), 'w');
  const c2 = impl.Stream.compose(upper(impl, log, 't2'), w);
  log.track(c2, 'c2');
  log('c2', kinds(impl, c2), c2.readable, c2.writable);
  c2.end('z');
  await log.waitFor(c2, ['finish', 'close']);
  await log.settle(3);
  log('sunk', sunk);
}, { expect: ["'sunk', [ 'Z' ]"] });

sdifferential('an error in a middle stage destroys the composed Duplex and every stage', async (impl, log) => {
  // Only the ends are traced: how a destroyed middle stage's pipe is torn down ('pause' on
  // unpipe; Node 26 changed it) is lib/readable.js's pipe, not compose.
  const a = upper(impl, log, 'a');
  const b = new impl.Transform({
    transform(c, e, cb) {
      cb(new Error('middle failed'));
    },
  });
  const z = new impl.PassThrough();
  const c = impl.Stream.compose(a, b, z);
  log.track(c, 'c');
  c.resume();
  c.write('x');
  await log.waitFor(c, ['close']);
  await log.settle(3);
  log('destroyed', a.destroyed, b.destroyed, z.destroyed);
}, { expect: ['middle failed'] });

sdifferential('destroying the composed Duplex destroys the stages', async (impl, log) => {
  const a = upper(impl, log, 'a');
  const b = upper(impl, log, 'b');
  const c = impl.Stream.compose(a, b);
  log.track(c, 'c');
  c.destroy();
  await log.waitFor(c, ['close']);
  await log.settle(3);
  log('destroyed', a.destroyed, b.destroyed);
});

sdifferential('backpressure: a slow tail reader holds the head (small marks)', async (impl, log) => {
  const a = new impl.PassThrough({ highWaterMark: 2 });
  const b = new impl.PassThrough({ highWaterMark: 2 });
  const c = impl.Stream.compose(a, b);
  const rets = [];
  for (let i = 0; i < 6; i++) rets.push(c.write('xx'));
  log('writes', rets);
  await delay(5);
  const got = collect(c);
  c.end();
  const { out } = await got;
  log('out', Buffer.concat(out).toString());
}, { expect: ["'out', 'xxxxxxxxxxxx'"] });

sdifferential('compose with web streams at the ends', async (impl, log) => {
  const ts = new TransformStream({
    transform(chunk, ctl) {
      ctl.enqueue(String(chunk).toUpperCase());
    },
  });
  const c = impl.Stream.compose(ts, new impl.PassThrough({ objectMode: true }));
  log('kinds', kinds(impl, c));
  const got = collect(c);
  c.end('web');
  const { out } = await got;
  log('out', out.map(String));
  const c2 = impl.Stream.compose(new impl.PassThrough({ objectMode: true }), new TransformStream());
  const got2 = collect(c2);
  c2.end('tail');
  log('out2', (await got2).out.map(String));
}, { expect: ["'out', [ 'WEB' ]"] });

sdifferential('compose argument checks', async (impl, log) => {
  await attempt(impl, log, 'none', () => impl.Stream.compose());
  await attempt(impl, log, 'writable-first', () => impl.Stream.compose(new impl.Writable(), new impl.PassThrough()));
  await attempt(impl, log, 'readable-last', () => impl.Stream.compose(new impl.PassThrough(), new impl.Readable()));
  const one = impl.Stream.compose([1, 2]);
  log('one', kinds(impl, one));
  log('one-out', (await collect(one)).out);
}, { expect: ['ERR_MISSING_ARGS', 'ERR_INVALID_ARG_VALUE'] });

sdifferential('readable.compose(stream): the readable piped into the stream (a Readable before Node 24)', async (impl, log) => {
  const r = impl.Readable.from(['m', 'n']);
  const c = r.compose(new impl.Transform({
    objectMode: true,
    transform(x, e, cb) {
      cb(null, x + x);
    },
  }));
  log('kinds', kinds(impl, c));
  log('out', await c.toArray());
  const fromFn = impl.Readable.from([1, 2]).compose(async function* (src) {
    for await (const x of src) yield x * 3;
  });
  log('fn', await fromFn.toArray());
  await attempt(impl, log, 'not-writable', () => impl.Readable.from([1]).compose(new impl.Readable({ read() {} })));
  await attempt(impl, log, 'options', () => impl.Readable.from([1]).compose(new impl.PassThrough(), 1));
  const ac = new AbortController();
  const pt = new impl.PassThrough({ objectMode: true });
  const s = impl.Readable.from([1, 2, 3]).compose(pt, { signal: ac.signal });
  s.on('error', () => {});
  ac.abort();
  // (Before 24 the Readable over the composed Duplex never closes on the abort, in node:stream too.)
  await delay(20);
  log('aborted', pt.destroyed, s.destroyed === undefined ? 'n/a' : typeof s.destroyed);
}, { expect: ["'out', [ 'mm', 'nn' ]", "'fn', [ 3, 6 ]"] });
