'use strict';

// Web streams: Readable.fromWeb / Writable.fromWeb / Duplex.fromWeb give the module's own
// streams over a WHATWG stream (data, end, errors, cancel / abort on destroy, option checks);
// toWeb of the module's streams gives working web streams.

const { sdifferential, collect, kinds, attempt, delay } = require('./helpers/surface');

const webSource = (chunks, opts = {}) => new ReadableStream({
  start(c) {
    for (const x of chunks) c.enqueue(x);
    if (!opts.open) c.close();
  },
  cancel(reason) {
    if (opts.onCancel) opts.onCancel(reason);
  },
});

sdifferential('Readable.fromWeb: the module\'s Readable over a ReadableStream; cancel on destroy', async (impl, log) => {
  const r = impl.Readable.fromWeb(webSource([new Uint8Array([104, 105]), new Uint8Array([33])]));
  log.track(r, 'r');
  log('kinds', kinds(impl, r), r.readableObjectMode, r.readableHighWaterMark);
  const { ev, out } = await collect(r);
  log('got', ev, Buffer.concat(out).toString());
  const o = impl.Readable.fromWeb(webSource([{ a: 1 }, 'two']), { objectMode: true, highWaterMark: 5 });
  log('obj', o.readableObjectMode, o.readableHighWaterMark, (await collect(o)).out);
  const e = impl.Readable.fromWeb(webSource(['x']), { encoding: 'utf8', objectMode: true });
  log('enc', e.readableEncoding, (await collect(e)).out);
  const cancelled = [];
  const c = impl.Readable.fromWeb(webSource(['keep'], { open: true, onCancel: (why) => cancelled.push(String(why)) }));
  log.track(c, 'c');
  c.destroy(new Error('bye'));
  await log.waitFor(c, ['close']);
  await delay(2);
  log('cancelled', cancelled);
}, { expect: ["'got', 'end', 'hi!'", "'cancelled', [ 'Error: bye' ]"] });

sdifferential('Readable.fromWeb: an erroring ReadableStream destroys the Readable', async (impl, log) => {
  const rs = new ReadableStream({
    pull(c) {
      c.error(new Error('web failed'));
    },
  });
  const r = impl.Readable.fromWeb(rs);
  log.track(r, 'r');
  r.resume();
  await log.waitFor(r, ['close']);
  await log.settle(2);
}, { expect: ['web failed'] });

sdifferential('Writable.fromWeb: writes reach the WritableStream; end closes it; destroy aborts', async (impl, log) => {
  const sunk = [];
  const ws = new WritableStream({
    write(c) {
      sunk.push(c instanceof Uint8Array ? `u8:${Buffer.from(c).toString()}` : c);
    },
    close() {
      sunk.push('closed');
    },
    abort(why) {
      sunk.push(`aborted:${why && why.message}`);
    },
  });
  const w = impl.Writable.fromWeb(ws);
  log.track(w, 'w');
  log('kinds', kinds(impl, w), w.writableObjectMode);
  w.write('str');
  w.write(Buffer.from('buf'));
  w.end();
  await log.waitFor(w, ['close']);
  await delay(2);
  log('sunk', sunk);
  const aborted = [];
  const w2 = impl.Writable.fromWeb(new WritableStream({
    abort(why) {
      aborted.push(why.message);
    },
  }), { objectMode: true });
  log.track(w2, 'w2');
  w2.destroy(new Error('abort it'));
  await log.waitFor(w2, ['close']);
  await delay(2);
  log('aborted', aborted);
}, { expect: ["'sunk', [ 'u8:str', 'u8:buf', 'closed' ]", "'aborted', [ 'abort it' ]"] });

sdifferential('Duplex.fromWeb({ readable, writable }): the module\'s Duplex over a TransformStream', async (impl, log) => {
  const ts = new TransformStream({
    transform(chunk, ctl) {
      ctl.enqueue(Buffer.from(chunk).toString().toUpperCase());
    },
  });
  const d = impl.Duplex.fromWeb(ts, { encoding: 'utf8' });
  log.track(d, 'd');
  log('kinds', kinds(impl, d), d.readableEncoding, d.allowHalfOpen);
  const got = collect(d);
  d.write('abc');
  d.end('def');
  const { ev, out } = await got;
  log('got', ev, out);
  await log.settle(3);
}, { expect: ["'got', 'end', [ 'ABC', 'DEF' ]"] });

sdifferential('fromWeb argument checks', async (impl, log) => {
  await attempt(impl, log, 'readable-not-web', () => impl.Readable.fromWeb({}));
  await attempt(impl, log, 'readable-options', () => impl.Readable.fromWeb(webSource([]), 1));
  await attempt(impl, log, 'readable-encoding', () => impl.Readable.fromWeb(webSource([]), { encoding: 'nope' }));
  await attempt(impl, log, 'readable-objectMode', () => impl.Readable.fromWeb(webSource([]), { objectMode: 1 }));
  await attempt(impl, log, 'writable-not-web', () => impl.Writable.fromWeb(new ReadableStream()));
  await attempt(impl, log, 'writable-decodeStrings', () => impl.Writable.fromWeb(new WritableStream(), { decodeStrings: 'x' }));
  await attempt(impl, log, 'duplex-encoding', () => impl.Duplex.fromWeb(new TransformStream(), { encoding: 'nope' }));
  await attempt(impl, log, 'duplex-objectMode', () => impl.Duplex.fromWeb(new TransformStream(), { objectMode: 'y' }));
  await attempt(impl, log, 'duplex-pair', () => impl.Duplex.fromWeb(1));
  await attempt(impl, log, 'duplex-readable', () => impl.Duplex.fromWeb({ readable: 1, writable: new WritableStream() }));
  await attempt(impl, log, 'duplex-writable', () => impl.Duplex.fromWeb({ readable: new ReadableStream(), writable: {} }));
}, { expect: ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE'] });

sdifferential('toWeb of the module\'s streams: ReadableStream / WritableStream / pair that work', async (impl, log) => {
  const rs = impl.Readable.toWeb(impl.Readable.from(['t1', 't2']));
  const got = [];
  for await (const c of rs) got.push(c);
  log('readable', rs instanceof ReadableStream, got);
  const sunk = [];
  const w = new impl.Writable({
    write(c, e, cb) {
      sunk.push(String(c));
      cb();
    },
  });
  const ws = impl.Writable.toWeb(w);
  const writer = ws.getWriter();
  await writer.write(new TextEncoder().encode('to-node'));
  await writer.close();
  log('writable', ws instanceof WritableStream, sunk, w.writableFinished);
  const pt = new impl.PassThrough();
  const pair = impl.Duplex.toWeb(pt);
  const pw = pair.writable.getWriter();
  pw.write(new TextEncoder().encode('round'));
  pw.close();
  const back = [];
  for await (const c of pair.readable) back.push(Buffer.from(c).toString());
  log('pair', back);
}, { expect: ["'pair', [ 'round' ]"] });
sdifferential('timing: Writable.fromWeb write callbacks and drain', async (impl, log) => {
  const ws = new WritableStream({
    write(c) {
      log('sink-write', String(Buffer.from(c)));
      return new Promise((resolve) => setImmediate(resolve));
    },
    close() { log('sink-close'); },
  }, { highWaterMark: 2 });
  const w = impl.Writable.fromWeb(ws, { highWaterMark: 4 });
  log.track(w, 'w');
  log('w1', w.write('aa', log.cb('cb1')));
  log('w2', w.write('bb', log.cb('cb2')));
  log('w3', w.write('cc', log.cb('cb3')));
  log.marks('m');
  w.end(log.cb('end'));
  await log.waitFor(w, ['close']);
});
sdifferential('timing: Readable.fromWeb reads', async (impl, log) => {
  let n = 0;
  const rs = new ReadableStream({
    pull(c) {
      log('pull', n);
      if (n++ < 3) c.enqueue(`p${n}`);
      else c.close();
    },
  }, { highWaterMark: 0 });
  const r = impl.Readable.fromWeb(rs, { objectMode: true });
  log.track(r, 'r');
  log.marks('m');
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, ['close']);
});
sdifferential('timing: Duplex.fromWeb round trip', async (impl, log) => {
  const ts = new TransformStream();
  const d = impl.Duplex.fromWeb(ts, { objectMode: true });
  log.track(d, 'd');
  d.write('x', log.cb('cbx'));
  d.on('data', (c) => log('data', c));
  d.end('y', log.cb('end'));
  log.marks('m');
  await log.waitFor(d, ['close']);
});

sdifferential('timing: a failing WritableStream write errors the Writable (callback, error, close)', async (impl, log) => {
  const ws = new WritableStream({
    write(c) {
      if (String(Buffer.from(c)) === 'bad') return Promise.reject(new Error('sink refused'));
      return undefined;
    },
  });
  const w = impl.Writable.fromWeb(ws);
  log.track(w, 'w');
  // One write at a time: a batched (writev) failure crashes node:stream's adapter before 24.
  w.write('ok', log.cb('cb-ok'));
  await log.settle(3);
  w.write('bad', log.cb('cb-bad'));
  log.marks('m');
  await log.settle(3);
  w.write('after', log.cb('cb-after'));
  await log.waitFor(w, ['close']);
  await log.settle(3);
}, { expect: ['sink refused'] });

sdifferential('timing: the web side closing first is a premature close of the Writable', async (impl, log) => {
  let ctl;
  const ws = new WritableStream({
    start(c) {
      ctl = c;
    },
  });
  const w = impl.Writable.fromWeb(ws);
  log.track(w, 'w');
  w.write('x');
  await log.settle(2);
  ctl.error(new Error('web side gone'));
  await log.waitFor(w, ['close']);
  await log.settle(3);
}, { expect: ['web side gone'] });
