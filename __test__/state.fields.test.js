'use strict';

// `_writableState` / `_readableState` fields (issue #13): every field Node's state objects have
// on the running Node exists on sluice's and is assignable, and the fields code in the wild
// assigns take the effect they have in Node: assign on node:stream and on sluice, run the same
// operations after, compare the traces.

const { test } = require('node:test');
const assert = require('node:assert');
const nodeStream = require('node:stream');
const { rdifferential, loadSluice, rprops } = require('./helpers/rtrace');
const { props } = require('./helpers/trace');

// ---------------------------------------------------------------------------
// Every field of the running Node's state objects.

// Node's field names: own keys plus the prototype accessors (and methods) of its state classes.
function fieldsOf(state) {
  const names = new Map();
  for (const k of Object.keys(state)) names.set(k, 'own');
  for (let p = Object.getPrototypeOf(state); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === 'constructor' || names.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      names.set(k, typeof d.value === 'function' ? 'method' : d.set ? 'accessor' : 'getter');
    }
  }
  return names;
}

// A value of the field's kind other than its current one.
function otherValue(v) {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 3;
  if (v === null) return null;
  if (Array.isArray(v)) return [];
  return v;
}

const SIDES = [
  ['Writable', (m) => new m.Writable({ write(c, e, cb) { cb(); } })._writableState],
  ['Readable', (m) => new m.Readable({ read() {} })._readableState],
  ['Duplex writable side', (m) => new m.Duplex({ read() {}, write(c, e, cb) { cb(); } })._writableState],
  ['Duplex readable side', (m) => new m.Duplex({ read() {}, write(c, e, cb) { cb(); } })._readableState],
];

for (const [side, stateOf] of SIDES) {
  test(`every field of Node ${process.versions.node}'s ${side} state exists on sluice's and is assignable as in Node`, () => {
    const sluice = loadSluice();
    const fields = fieldsOf(stateOf(nodeStream));
    const problems = [];
    for (const [name, kind] of fields) {
      if (kind === 'method') {
        if (typeof stateOf(sluice)[name] !== 'function') problems.push(`${name}: not a method`);
        continue;
      }
      const n = stateOf(nodeStream);
      const s = stateOf(sluice);
      if (!(name in s)) {
        problems.push(`${name}: missing`);
        continue;
      }
      const v = otherValue(n[name]);
      let nodeThrew = false;
      try {
        n[name] = v;
      } catch {
        nodeThrew = true;
      }
      try {
        s[name] = v;
      } catch (err) {
        if (!nodeThrew) problems.push(`${name}: assignment throws (${err.message})`);
        continue;
      }
      if (nodeThrew) continue; // a getter-only field in Node too (pipesCount, bufferedRequestCount)
      try {
        assert.deepStrictEqual(s[name], n[name]);
      } catch {
        problems.push(`${name}: after assigning ${String(v)}, node reads ${String(n[name])}, sluice ${String(s[name])}`);
      }
    }
    assert.deepStrictEqual(problems, [], `${side} state fields:\n  ${problems.join('\n  ')}`);
    assert.ok(fields.size > 20, 'the list of Node fields was found');
  });
}

// ---------------------------------------------------------------------------
// Assignments code in the wild makes, and what follows them.

function wsink(impl, log, opts = {}, label = 'w') {
  const { how = 'sync', quiet = false, ...options } = opts;
  const held = [];
  const w = new impl.Writable({
    ...options,
    write(chunk, enc, cb) {
      if (!quiet) log('_write', label, chunk, this.writableLength);
      if (how === 'hold') held.push(cb);
      else if (how === 'nextTick') process.nextTick(cb);
      else cb();
    },
  });
  log.track(w, label);
  w.$held = held;
  return w;
}
const snap = (log, w, tag) => log('snap', tag, props(w));

rdifferential("_writableState.errorEmitted = false in _destroy (a line-splitting Transform's idiom): 'error' is still emitted", async (impl, log) => {
  const t = new impl.Transform({
    transform(chunk, enc, cb) {
      cb(null, chunk);
    },
  });
  t._destroy = function (err, cb) {
    log('_destroy', err, this._writableState.errorEmitted);
    this._writableState.errorEmitted = false;
    cb(err);
  };
  log.track(t, 't');
  t.destroy(new Error('boom'));
  log('errorEmitted', t._writableState.errorEmitted);
  await log.settle(2);
  log('after', t._writableState.errorEmitted, t._readableState.errorEmitted);
}, { expect: ["'error'"] });

rdifferential('_writableState.errorEmitted = false after an error: a second error is emitted', async (impl, log) => {
  const w = wsink(impl, log, { autoDestroy: false });
  w._write = (c, e, cb) => cb(new Error('w1'));
  w.write('a', log.cb('write1'));
  await log.settle(1);
  w._writableState.errorEmitted = false;
  w._writableState.errored = null;
  snap(log, w, 'reset');
  w.destroy(new Error('second'));
  await log.settle(2);
  snap(log, w, 'end');
});

rdifferential('_writableState.errored = null (autoDestroy: false): the stream is writable again', async (impl, log) => {
  const w = wsink(impl, log, { autoDestroy: false });
  let fail = true;
  w._write = (c, e, cb) => {
    log('_write', c);
    cb(fail ? new Error('once') : null);
  };
  w.write('a', log.cb('write1'));
  await log.settle(1);
  snap(log, w, 'errored');
  fail = false;
  w._writableState.errored = null;
  snap(log, w, 'cleared');
  log('write2', w.write('b', log.cb('write2')));
  w.end(log.cb('end'));
  await log.settle(3);
  snap(log, w, 'end');
  w._writableState.errored = new Error('assigned');
  snap(log, w, 'assigned');
});

rdifferential('_writableState.ended = true (Node test-stream-duplex-end): the Duplex does not end its writable side', async (impl, log) => {
  const d = new impl.Duplex({ read() {}, write(c, e, cb) { cb(); }, allowHalfOpen: false });
  log.track(d, 'd');
  d._writableState.ended = true;
  log('writable', d.writable, d.writableEnded, d._writableState.ended);
  d.resume();
  d.push(null);
  await log.settle(3);
  log('after', d.writableFinished, d.destroyed);
}, { expect: ["'end'"] });

rdifferential('_writableState.ended = true on a Writable: writable is false, writes still go through', async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.ended = true;
  snap(log, w, 'ended');
  log('write', w.write('a', log.cb('write')));
  w.end(log.cb('end'));
  await log.settle(3);
  snap(log, w, 'after');
});

rdifferential('_writableState.ending = true: writes fail as after end(); end() itself does nothing', async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.ending = true;
  snap(log, w, 'ending');
  log('write', w.write('a', log.cb('write')));
  w.end(log.cb('end'));
  await log.settle(3);
  w._writableState.ending = false;
  log('write2', w.write('b', log.cb('write2')));
  await log.settle(3);
  snap(log, w, 'after');
}, { expect: ['ERR_STREAM_WRITE_AFTER_END'] });

rdifferential('_writableState.destroyed = true / false: write fails, destroy() is skipped, then works', async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.destroyed = true;
  snap(log, w, 'destroyed');
  log('write', w.write('a', log.cb('write')));
  w.destroy(null, log.cb('destroy1'));
  await log.settle(2);
  w._writableState.destroyed = false;
  log('write2', w.write('b', log.cb('write2')));
  w.destroy(new Error('real'), log.cb('destroy2'));
  await log.settle(3);
  snap(log, w, 'after');
}, { expect: ['ERR_STREAM_DESTROYED'] });

rdifferential("_writableState.needDrain = true: the next completed write emits 'drain'; false: none", async (impl, log) => {
  const w = wsink(impl, log, { how: 'nextTick', highWaterMark: 2 });
  w._writableState.needDrain = true;
  log('needDrain', w.writableNeedDrain);
  log('write', w.write('a', log.cb('w1')));
  await log.settle(2);
  log('write', w.write('abc', log.cb('w2')));
  w._writableState.needDrain = false;
  await log.settle(2);
  snap(log, w, 'after');
}, { expect: ["'drain'"] });

rdifferential('_writableState.length = 0 while a write is held: writableLength, write() answers, finish', async (impl, log) => {
  const w = wsink(impl, log, { how: 'hold', highWaterMark: 4 });
  log('write', w.write('abcdef', log.cb('w1')));
  w._writableState.length = 0;
  snap(log, w, 'zeroed');
  log('write', w.write('ab', log.cb('w2')));
  w.end(log.cb('end'));
  while (w.$held.length) {
    w.$held.shift()();
    await log.settle(1);
    snap(log, w, 'released');
  }
  await log.settle(3);
});

rdifferential('_writableState.highWaterMark assigned: write() answers against the new mark', async (impl, log) => {
  const w = wsink(impl, log, { how: 'hold' });
  w._writableState.highWaterMark = 3;
  log('hwm', w.writableHighWaterMark);
  log('write', w.write('ab'));
  log('write', w.write('c'));
  w._writableState.highWaterMark = 100;
  log('write', w.write('d'));
  while (w.$held.length) {
    w.$held.shift()();
    await log.settle(1);
  }
  snap(log, w, 'after');
});

rdifferential("_writableState.autoDestroy / emitClose assigned after creation: no destroy after 'finish', no 'close'", async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.autoDestroy = false;
  w.end('x');
  await log.settle(3);
  snap(log, w, 'finished');
  const w2 = wsink(impl, log, {}, 'w2');
  w2._writableState.emitClose = false;
  w2.destroy();
  await log.settle(3);
  snap(log, w2, 'destroyed');
  const w3 = wsink(impl, log, { emitClose: false, autoDestroy: false }, 'w3');
  w3._writableState.emitClose = true;
  w3._writableState.autoDestroy = true;
  w3.end('y');
  await log.settle(3);
}, { expect: ["'finish'"] });

rdifferential('_writableState.closed = true: stream.finished() and the closed property see it', async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.closed = true;
  log('closed', w.closed);
  impl.finished(w, log.cb('finished'));
  await log.settle(3);
  w._writableState.closed = false;
  w.end();
  await log.settle(3);
});

rdifferential('_writableState.constructed = true during _construct: writes go to _write before it calls back', async (impl, log) => {
  let done;
  const w = wsink(impl, log);
  w._construct = undefined;
  const w2 = new impl.Writable({
    construct(cb) {
      done = cb;
    },
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
  });
  log.track(w2, 'w2');
  await log.settle(1);
  w2._writableState.constructed = true;
  log('write', w2.write('a', log.cb('w1')));
  await log.settle(1);
  done();
  await log.settle(2);
  w2.end(log.cb('end'));
  await log.settle(3);
  w.end();
  await log.settle(2);
});

rdifferential('_writableState.writing / corked / pendingcb assigned: what the next operations do', async (impl, log) => {
  const w = wsink(impl, log);
  w._writableState.corked = 1;
  log('write', w.write('a', log.cb('w1')), w.writableCorked, w.writableLength);
  w._writableState.corked = 0;
  log('corked', w.writableCorked);
  w.uncork();
  log('write', w.write('b', log.cb('w2')));
  await log.settle(2);
  const s = w._writableState;
  log('pendingcb', s.pendingcb, s.writing, s.writelen, s.bufferedIndex, s.buffered.length);
  w.end(log.cb('end'));
  await log.settle(3);
});

rdifferential('_writableState.buffered and bufferedIndex read as Node keeps them while writes queue', async (impl, log) => {
  const w = wsink(impl, log, { how: 'hold' });
  w.write('a');
  w.write('b', log.cb('b'));
  w.write('c');
  const s = w._writableState;
  log('buffered', s.buffered.map((e) => e && [e.chunk, e.encoding]), s.bufferedIndex, s.allBuffers, s.allNoop, s.writelen);
  w.$held.shift()();
  log('after1', s.buffered.map((e) => e && [e.chunk, e.encoding]), s.bufferedIndex, s.writing);
  log('getBuffer', s.getBuffer().map((e) => e.chunk), w.writableBuffer.length);
  while (w.$held.length) {
    w.$held.shift()();
    await log.settle(1);
  }
  log('drained', s.buffered.length, s.bufferedIndex, s.allBuffers, s.allNoop);
});

// Readable side.

function rsrc(impl, log, opts = {}, label = 'r') {
  const r = new impl.Readable({
    read(n) {
      log('_read', label, n);
    },
    ...opts,
  });
  log.track(r, label);
  return r;
}

rdifferential('_readableState.reading = false inside a pending _read: read() calls _read again', async (impl, log) => {
  const r = rsrc(impl, log);
  r.read(0);
  log('reading', r._readableState.reading);
  r._readableState.reading = false;
  r.read(0);
  await log.settle(2);
  log('reading', r._readableState.reading);
});

rdifferential('_readableState.flowing = false / true / null: data delivery follows', async (impl, log) => {
  const r = rsrc(impl, log);
  r.on('data', (c) => log('data', c));
  r._readableState.flowing = false;
  r.push('a');
  await log.settle(2);
  log.rsnap(r, 'paused-by-assignment');
  r._readableState.flowing = true;
  r.push('b');
  await log.settle(2);
  r.resume();
  r.push('c');
  await log.settle(2);
  log.rsnap(r, 'end');
});

rdifferential('_readableState.ended = true: push() after it is an error, readableEnded stays false', async (impl, log) => {
  const r = rsrc(impl, log);
  r._readableState.ended = true;
  log.rsnap(r, 'ended');
  log.push(r, 'a');
  await log.settle(2);
  log.rsnap(r, 'after');
});

rdifferential('_readableState.length / highWaterMark assigned: push() answers against them', async (impl, log) => {
  const r = rsrc(impl, log, { highWaterMark: 4 });
  log.push(r, 'ab');
  r._readableState.highWaterMark = 2;
  log.push(r, 'c');
  r._readableState.highWaterMark = 100;
  log.push(r, 'd');
  r._readableState.length = 0;
  log('len', r.readableLength);
  log.push(r, 'e');
  await log.settle(2);
});

rdifferential('_readableState.errorEmitted / errored / destroyed / closed assigned, then destroy()', async (impl, log) => {
  const r = rsrc(impl, log);
  r._destroy = function (err, cb) {
    this._readableState.errorEmitted = false;
    cb(err);
  };
  r.destroy(new Error('one'));
  await log.settle(2);
  log.rsnap(r, 'destroyed');
  r._readableState.destroyed = false;
  r._readableState.closed = false;
  r._readableState.errored = null;
  log.rsnap(r, 'reset');
  r.destroy(new Error('two'));
  await log.settle(2);
  log.rsnap(r, 'again');
}, { expect: ["'error'"] });

rdifferential('_readableState.autoDestroy / emitClose / constructed assigned', async (impl, log) => {
  const r = rsrc(impl, log);
  r._readableState.autoDestroy = false;
  r._readableState.emitClose = false;
  r.resume();
  r.push(null);
  await log.settle(3);
  log.rsnap(r, 'ended');
  r.destroy();
  await log.settle(2);
  let done;
  const r2 = rsrc(impl, log, { construct(cb) { done = cb; } }, 'r2');
  await log.settle(1);
  r2._readableState.constructed = true;
  r2.read(0);
  await log.settle(1);
  done();
  await log.settle(2);
  log.rsnap(r2, 'r2');
});

rdifferential('_readableState.buffer / bufferIndex read as Node keeps them', async (impl, log) => {
  const r = rsrc(impl, log, { highWaterMark: 100 });
  r.push('ab');
  r.push('cd');
  r.push('ef');
  r.read(2);
  const s = r._readableState;
  log('buffer', s.buffer, s.bufferIndex, r.readableBuffer, s.pipesCount, s.paused);
  r.pause();
  log('paused', s.paused);
  r.resume();
  log('resumed', s.paused);
  await log.settle(2);
});

// ---------------------------------------------------------------------------
// _undestroy() (Node's test-stream-writable-destroy.js): the stream is usable again.

rdifferential('Writable _undestroy() after destroy(err): writes, end() and finish work again', async (impl, log) => {
  const w = wsink(impl, log);
  w.destroy(new Error('first'));
  await log.settle(2);
  snap(log, w, 'destroyed');
  w._undestroy();
  snap(log, w, 'undestroyed');
  log('write', w.write('a', log.cb('w1')));
  w.end(log.cb('end'));
  await log.settle(3);
  snap(log, w, 'finished');
}, { expect: ["'finish'"] });

rdifferential('Writable _undestroy() after finish and close: the stream can be ended again', async (impl, log) => {
  const w = wsink(impl, log);
  w.end('x');
  await log.settle(3);
  w._undestroy();
  snap(log, w, 'undestroyed');
  log('write', w.write('y', log.cb('w')));
  w.end(log.cb('end'));
  await log.settle(3);
  snap(log, w, 'again');
}, { expect: ["'close'"] });

rdifferential('Readable _undestroy() after destroy(): reads and end work again', async (impl, log) => {
  const r = rsrc(impl, log);
  r.destroy(new Error('x'));
  await log.settle(2);
  r._undestroy();
  log.rsnap(r, 'undestroyed');
  r.on('data', (c) => log('data', c));
  r.push('a');
  r.push(null);
  await log.settle(3);
  log.rsnap(r, 'ended');
});

rdifferential('Duplex _undestroy() after destroy(): both sides usable; a side created disabled stays over', async (impl, log) => {
  const d = new impl.Duplex({ read() {}, write(c, e, cb) { log('_write', c); cb(); } });
  log.track(d, 'd');
  d.destroy();
  await log.settle(2);
  d._undestroy();
  log('props', d.destroyed, d.writable, d.readable, d.writableEnded, d.readableEnded, d.closed);
  d.write('a', log.cb('w'));
  d.on('data', (c) => log('data', c));
  d.push('b');
  d.push(null);
  d.end();
  await log.settle(3);
  const d2 = new impl.Duplex({ read() {}, write(c, e, cb) { cb(); }, writable: false });
  log.track(d2, 'd2');
  d2.destroy();
  await log.settle(2);
  d2._undestroy();
  log('d2', d2.writable, d2.writableEnded, d2.writableFinished, d2.readable);
}, { expect: ["'close'"] });

void rprops;

rdifferential('_writableState.buffered keeps consumed slots before bufferedIndex, spliced off after a pass past 256', async (impl, log) => {
  const w = wsink(impl, log, { how: 'hold', highWaterMark: 1 << 20, quiet: true }, 'w');
  for (let i = 0; i < 600; i++) w.write('x');
  const s = w._writableState;
  const seen = [];
  let i = 0;
  while (w.$held.length) {
    w.$held.shift()();
    if (i === 100) w.write('y');
    if (i++ % 7 === 0) seen.push([s.buffered.length, s.bufferedIndex]);
  }
  log('shape', seen);
  await log.settle(2);
});

rdifferential('Writable _undestroy() between two end() calls: _final runs again', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
    final(cb) {
      log('_final');
      cb();
    },
  });
  log.track(w, 'w');
  w.end();
  w.destroy();
  w._undestroy();
  w.end(log.cb('end2'));
  await log.settle(3);
  log('state', w.writableFinished, w.destroyed, w.closed);
}, { expect: ["'_final'"] });

// Node's own helpers reached through inherited methods (`wrap` here) work on Node's private
// bitfield of the state: sluice's states give it over the core's bits.
for (const autoDestroy of [true, false]) {
  rdifferential(`an old-style stream's 'error' through wrap() (autoDestroy: ${autoDestroy}): errorEmitted, errored, destroyed as in Node`, async (impl, log) => {
    const old = new impl.Stream();
    old.pause = () => {};
    old.resume = () => {};
    const r = new impl.Readable({ autoDestroy, read() {} }).wrap(old);
    log.track(r, 'r');
    const err = new Error('old');
    r.on('error', (e) => log('in-listener', e === err, r._readableState.errorEmitted, r._readableState.errored === err, r.destroyed));
    old.emit('error', err);
    await log.settle(2);
    log.rsnap(r, 'after');
  }, { expect: ['in-listener'] });
}

rdifferential('_readableState.buffer = [] and length = 0 (dropping buffered data), then push and read', async (impl, log) => {
  const r = rsrc(impl, log, { highWaterMark: 100 });
  r.push('ab');
  r.push('cd');
  const s = r._readableState;
  s.buffer = [];
  s.length = 0;
  log('dropped', s.buffer.length, s.bufferIndex, r.readableLength);
  r.push('ef');
  log.read(r);
  log.read(r);
  r.on('data', (c) => log('data', c));
  r.push('gh');
  r.push(null);
  await log.settle(3);
});

rdifferential('_writableState.buffered = [] (dropping queued writes) while one is in flight', async (impl, log) => {
  const w = wsink(impl, log, { how: 'hold' });
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.write('c', log.cb('c'));
  const s = w._writableState;
  s.buffered = [];
  s.bufferedIndex = 0;
  s.length -= 2;
  s.pendingcb -= 2;
  log('dropped', w.writableLength, w.writableBuffer.length, s.pendingcb);
  w.$held.shift()();
  w.write('d', log.cb('d'));
  await log.settle(2);
  while (w.$held.length) {
    w.$held.shift()();
    await log.settle(1);
  }
  // (Not ended: in Node an assigned array keeps the stream "buffered" until a pass over the
  // queue consumes it, so it never finishes; sluice finishes. Not modelled.)
  log('state', w.writableLength, s.pendingcb, s.buffered.length);
});

// Node empties its list in place: `_readableState.buffer` is the same array for a stream's
// whole life (code that keeps a reference to it sees it emptied and filled again). sluice made
// a new one each time the queue emptied.
test('_readableState.buffer stays the same array through reads, setEncoding and flowing, as in Node', async () => {
  const sluice = loadSluice();
  const run = async (S) => {
    const out = [];
    const scenarios = [
      ['setEncoding', (r) => { r.push(Buffer.from('ab')); r.setEncoding('utf8'); }],
      ['read() of two', (r) => { r.push(Buffer.from('ab')); r.push(Buffer.from('cd')); r.read(); }],
      ['read() of one', (r) => { r.push(Buffer.from('ab')); r.read(); }],
      ['read(n) of all', (r) => { r.push(Buffer.from('ab')); r.push(Buffer.from('cd')); r.read(4); }],
      ['read(n) of part', (r) => { r.push(Buffer.from('ab')); r.push(Buffer.from('cd')); r.read(3); }],
      ['read() in object mode', (r) => { r.push({ a: 1 }); r.push({ b: 2 }); r.read(); r.read(); }, { objectMode: true }],
    ];
    for (const [name, f, options] of scenarios) {
      const r = new S.Readable({ ...options, read() {} });
      const b = r._readableState.buffer;
      f(r);
      out.push([name, b === r._readableState.buffer, r._readableState.buffer.filter((x) => x !== null).length]);
    }
    const r = new S.Readable({ read() {} });
    const b = r._readableState.buffer;
    const got = [];
    r.on('data', (c) => got.push(String(c)));
    r.push(Buffer.from('ab'));
    r.push(Buffer.from('cd'));
    await new Promise((resolve) => setImmediate(resolve));
    r.push(Buffer.from('ef'));
    await new Promise((resolve) => setImmediate(resolve));
    out.push(['flowing', b === r._readableState.buffer, got]);
    return out;
  };
  assert.deepStrictEqual(await run(sluice), await run(nodeStream));
});

// `_readableState.objectMode` assigned after construction: byline makes a byte-mode Transform
// and sets it, then pushes a Buffer per line to a consumer that calls read() in 'readable'.
// Node's reads then take one chunk each; sluice's core kept its creation's mode, so on Node
// 20–24 a read() took `length` (a count of chunks) as bytes and threw Node's RangeError.
rdifferential("_readableState.objectMode = true on a Transform (byline's idiom): read() in 'readable' takes a line at a time", async (impl, log) => {
  const t = new impl.Transform({
    transform(chunk, enc, cb) {
      for (const line of chunk.toString().split('\n')) log('push', this.push(Buffer.from(line)), this.readableLength);
      cb();
    },
  });
  t._readableState.objectMode = true;
  log('readableObjectMode', t.readableObjectMode, t._readableState.objectMode);
  t.on('readable', () => {
    let c;
    while ((c = t.read()) !== null) log('read', String(c), t.readableLength);
  });
  log.track(t, 't');
  t.write('ab\ncde\nf');
  t.write('gh\nij');
  t.end();
  await log.waitFor(t, ['end']);
});

rdifferential('_readableState.objectMode assigned on a Readable, both ways: what read() and read(n) take', async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  r._readableState.objectMode = 'yes';
  log('on', r._readableState.objectMode, r.readableObjectMode);
  log('push', r.push({ x: 1 }), r.push('str'), r.push(Buffer.from('bb')), r.readableLength);
  log.call('read()', () => r.read());
  log.call('read(1)', () => r.read(1));
  log('len', r.readableLength);
  const r2 = new impl.Readable({ objectMode: true, read() {} });
  r2._readableState.objectMode = 0;
  log('off', r2._readableState.objectMode, r2.readableObjectMode);
  log('push', r2.push('abc'), r2.push('de'), r2.readableLength);
  log.call('read(4)', () => r2.read(4));
  log('len', r2.readableLength);
  const r3 = new impl.Readable({ read() {} });
  r3._readableState.objectMode = true;
  log.track(r3, 'r3');
  r3.push('a');
  r3.push({ b: 2 });
  r3.push(null);
  r3.resume();
  await log.waitFor(r3, ['end']);
});

// `decoder` and `encoding` assigned: a falsy value reads back as null (Node's are accessors on
// every supported Node), and a decoder taken away or given changes what a read takes on Node 26
// (one chunk at a time only without a decoder): sluice's core kept its creation's answer.
rdifferential('_readableState.decoder and encoding assigned: read back as Node, and read() takes what Node takes', async (impl, log) => {
  const { StringDecoder } = require('node:string_decoder');
  for (const v of [undefined, 0, '', false, null]) {
    const r = new impl.Readable({ encoding: 'utf8', read() {} });
    r._readableState.decoder = v;
    r._readableState.encoding = v;
    log('falsy', String(v), r._readableState.decoder, r._readableState.encoding, r.readableEncoding);
  }
  const r = new impl.Readable({ encoding: 'utf8', read() {} });
  r._readableState.decoder = null;
  r._readableState.encoding = null;
  log('push', r.push('ab'), r.push(Buffer.from('cd')), r.readableLength);
  log.call('read()', () => r.read());
  log('len', r.readableLength);
  const r2 = new impl.Readable({ read() {} });
  r2._readableState.decoder = new StringDecoder('utf8');
  r2._readableState.encoding = 'utf8';
  log('push', r2.push(Buffer.from('héllo')), r2.push('xy'), r2.readableLength);
  log.call('read()', () => r2.read());
  log('len', r2.readableLength);
  const r3 = new impl.Readable({ read() {} });
  r3.setEncoding('hex');
  r3._readableState.decoder = null;
  r3._readableState.encoding = null;
  log.track(r3, 'r3');
  r3.push(Buffer.from('zz'));
  r3.push('qq');
  r3.push(null);
  r3.resume();
  await log.waitFor(r3, ['end']);
});

rdifferential('_readableState.flowing assigned a value that is not a boolean: null and undefined undecided, others by their truth', async (impl, log) => {
  for (const v of [undefined, null, 0, '', 1, 'x', {}]) {
    const r = new impl.Readable({ read() {} });
    r._readableState.flowing = v;
    log('flowing', String(v), r._readableState.flowing, r.readableFlowing, r.isPaused());
  }
  const r = new impl.Readable({ read() {} });
  r._readableState.flowing = 0;
  log.track(r, 'r');
  r.on('data', () => {});
  r.push('a');
  log('after data listener', r.readableFlowing, r.readableLength);
  await log.settle(2);
});

// The queue changed in place and `length` assigned to match (emptied, a chunk shifted off or
// pushed on): what the next reads take is Node's. On Node 26, which reads one chunk at a time,
// sluice's core still had the old chunks' lengths and threw Node's RangeError on an emptied queue.
rdifferential('_readableState.buffer changed in place with length assigned to match: the next reads take what Node takes', async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  r.push('ab');
  r.push('cd');
  r._readableState.buffer.length = 0;
  r._readableState.length = 0;
  r._readableState.bufferIndex = 0;
  log('emptied', r.push('ef'), r.readableLength);
  log.call('read()', () => r.read());
  log('len', r.readableLength);
  const r2 = new impl.Readable({ objectMode: true, read() {} });
  r2.push(1);
  r2.push(2);
  r2.push(3);
  log('shifted', r2._readableState.buffer.shift(), (r2._readableState.length -= 1));
  log.call('read()', () => r2.read());
  log.call('read()', () => r2.read());
  log.call('read()', () => r2.read());
  const r3 = new impl.Readable({ read() {} });
  r3.push('xy');
  r3._readableState.buffer.push(Buffer.from('zz'));
  r3._readableState.length += 2;
  log.call('read()', () => r3.read());
  log('len', r3.readableLength);
  log.call('read()', () => r3.read());
  await log.settle(1);
});
