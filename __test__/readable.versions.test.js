'use strict';

// One differential test per Readable row of the version table (lib/node-version.js), named
// after the behaviour. Each scenario is differential (sluice must match the running Node) and
// its `check` pins what node:stream does on either side of the row, so the table's version
// bounds are tested too: on a Node without the behaviour the check asserts the old one.

const assert = require('node:assert');
const { rdifferential, source } = require('./helpers/rtrace');
const { since } = require('../lib/node-version');

const fmt = (e) => JSON.stringify(e);
/** Index of the first entry whose JSON includes every one of `parts`. */
function at(trace, ...parts) {
  return trace.findIndex((e) => parts.every((p) => fmt(e).includes(p)));
}

rdifferential('read-more waits for a pending _read (READ_MORE_WAITS_FOR_READ)', async (impl, log) => {
  // _read #1 stays pending; an unshift() meanwhile asks for more data. Node 20 schedules the
  // read-more step at once (it then runs after the pending _read's push); from 22 only that
  // push schedules it, a tick later.
  const r = source(impl, log, { highWaterMark: 16, how: 'manual' });
  log.read(r, 0);
  process.nextTick(() => log.push(r, 'y'));
  log.unshift(r, 'x');
  log.marks('m');
  await log.settle(3);
  log.rsnap(r, 'settled');
}, {
  check(trace) {
    const second = trace.findIndex((e, i) => e[0] === '_read' && i > at(trace, '"push",["y"]'));
    const mark = at(trace, '"nextTick","m"');
    assert.ok(second !== -1 && mark !== -1);
    assert.equal(second > mark, since.READ_MORE_WAITS_FOR_READ, `second _read after the mark: ${second} > ${mark}`);
  },
});

rdifferential('read(n) with a decoder takes exactly n characters across chunks (READ_N_STRING_EXACT)', async (impl, log) => {
  const r = new impl.Readable({ read() {}, encoding: 'utf8' });
  log.track(r, 'r');
  log.push(r, 'ab');
  log.push(r, 'cd');
  log.push(r, 'ef');
  // 3 chunks, n = 4 ends exactly at 'cd': Node 20 splits it there, leaving '' queued.
  log.read(r, 4);
  log.rsnap(r, 'after-4');
  log.read(r);
  const s = new impl.Readable({ read() {}, encoding: 'utf8' });
  log.track(s, 's');
  log.push(s, 'ab');
  log.push(s, 'cdef');
  // 2 chunks, n = 4 ends inside 'cdef' with 2 left, and 2 is the list's slot count: Node 20
  // takes 'cdef' whole.
  log.read(s, 4);
  log.rsnap(s, 'after-4');
  log.read(s);
  await log.settle(2);
}, {
  expect: [since.READ_N_STRING_EXACT ? "'read', [ 4 ], 'abcd', 2" : "'read', [ 4 ], 'abcdef', 2"],
});

rdifferential("eof readable on demand: push(null) with nobody observing defers 'readable' to a later listener (EOF_READABLE_ON_DEMAND)", async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  log.track(r, 'r');
  log.push(r, null);
  await log.settle(2);
  log('attach');
  r.on('readable', () => log.read(r));
  await log.waitFor(r, 'close');
}, {
  check(trace) {
    const readable = at(trace, '"emit","r","readable"');
    assert.equal(readable > at(trace, '"attach"'), since.EOF_READABLE_ON_DEMAND);
  },
});

rdifferential("end scheduled once: a second end step is not scheduled while one is pending (END_SCHEDULED_ONCE)", async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  log.track(r, 'r');
  log.push(r, null);
  log.read(r); // schedules the end step (1)
  process.nextTick(() => log.read(r)); // takes the unshifted chunk: schedules the end step again
  log.read(r); // Node 20 schedules a second end step (2) here; 24 does not
  log.unshift(r, 'x'); // end step (1) will find data and skip 'end'
  log.marks('m');
  await log.waitFor(r, 'close');
}, {
  check(trace) {
    // Node 20: step (2) emits 'end' before the marks; 24: the step scheduled by the nextTick read.
    assert.equal(at(trace, '"emit","r","end"') > at(trace, '"nextTick","m"'), since.END_SCHEDULED_ONCE);
  },
});

rdifferential("setEncoding after the end flushes the decoder's tail (SET_ENCODING_FLUSHES_ENDED)", async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  log.track(r, 'r');
  log.push(r, Buffer.from([0x61, 0xe2, 0x82]));
  log.push(r, null);
  r.setEncoding('utf8');
  log.rsnap(r, 'after-setEncoding');
  log.read(r);
  await log.waitFor(r, 'close');
}, {
  expect: [since.SET_ENCODING_FLUSHES_ENDED ? "'read', [], 'a\ufffd', 0" : "'read', [], 'a', 0"],
});

rdifferential('pipe catches a throwing dest.write and destroys the destination with it (PIPE_CATCHES_WRITE_THROW)', async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  log.track(r, 'r');
  const w = new impl.NodeWritable({ write(c, e, cb) { cb(); } });
  log.track(w, 'w');
  w.write = () => {
    throw new Error('write threw');
  };
  r.pipe(w);
  await log.settle(2);
  log.push(r, 'a'); // flowing, nothing buffered: 'data' at once, inside push()
  await log.settle(3);
  log.rsnap(r, 'after');
  log('w', w.destroyed);
}, {
  expect: [since.PIPE_CATCHES_WRITE_THROW ? "'w', true" : "'push-threw', [ 'a' ]"],
});

rdifferential('iterator preserves a half-open duplex after a clean end (ITER_PRESERVES_HALF_OPEN)', async (impl, log) => {
  const d = new impl.Duplex({ read() {}, write(c, e, cb) { cb(); } });
  log.track(d, 'd');
  d.push('a');
  d.push(null);
  for await (const c of d) log('iter', c);
  await log.settle(2);
  log('after-loop', d.destroyed, d.writable);
  d.destroy();
  await log.settle(2);
}, {
  expect: [since.ITER_PRESERVES_HALF_OPEN ? "'after-loop', false, true" : "'after-loop', true, false"],
});

rdifferential('read() takes one chunk in byte mode without a decoder (READ_ONE_CHUNK)', async (impl, log) => {
  const r = new impl.Readable({ read() {} });
  log.track(r, 'r');
  log.push(r, 'ab');
  log.push(r, 'cd');
  log.read(r);
  log.read(r);
  const e = new impl.Readable({ read() {}, encoding: 'utf8' });
  log.track(e, 'e');
  log.push(e, 'ab');
  log.push(e, 'cd');
  log.read(e); // with a decoder: everything, on every version
  await log.settle(2);
}, {
  expect: [
    since.READ_ONE_CHUNK ? "'read', [], 'buf:\"ab\"', 2" : "'read', [], 'buf:\"abcd\"', 0",
    "'read', [], 'abcd', 0",
  ],
});

rdifferential('flow sync: the next _read runs before data, its chunk parked outside the buffer (FLOW_SYNC)', async (impl, log) => {
  let n = 0;
  const r = new impl.Readable({
    highWaterMark: 3,
    read() {
      log('_read', this.readableLength);
      if (n < 4) {
        const ret = this.push(Buffer.from(`c${++n}`));
        log('pushed', n, ret, this.readableLength);
      } else {
        this.push(null);
      }
    },
  });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c, r.readableLength));
  await log.waitFor(r, 'close');
}, {
  // Inside the fast loop the current chunk is out of the count and the pushed one is parked:
  // push() answers for it alone (2 < 3).
  expect: [since.FLOW_SYNC ? "'pushed', 2, true, 2" : "'pushed', 2, false, 4"],
});

rdifferential('flow sync: a single node:stream pipe destination is written without a data event (FLOW_SYNC)', async (impl, log) => {
  // Buffers: the fast loop parks only those.
  const r = source(impl, log, { chunks: ['p1', 'p2', 'p3'].map((c) => Buffer.from(c)), quiet: true });
  const w = new impl.NodeWritable({
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
  });
  log.track(w, 'w');
  r.pipe(w);
  await log.waitFor(w, 'close');
}, {
  check(trace) {
    const dataEvents = trace.filter((e) => e[0] === 'emit' && e[2] === 'data').length;
    assert.equal(dataEvents < 3, since.FLOW_SYNC, `${dataEvents} data events`);
  },
});

rdifferential('iterator timing: next() answers from a buffered chunk at once (ITER_NOT_GENERATOR)', async (impl, log) => {
  const r = new impl.Readable({ objectMode: true, read() {} });
  log.track(r, 'r');
  r.push(1);
  r.push(2);
  const it = r[Symbol.asyncIterator]();
  Promise.resolve()
    .then(() => log('mt1'))
    .then(() => log('mt2'))
    .then(() => log('mt3'))
    .then(() => log('mt4'));
  it.next().then((v) => log('next', v));
  it.next().then((v) => log('next', v));
  await log.settle(2);
  await it.return();
  await log.settle(2);
}, {
  check(trace) {
    const first = at(trace, '"next"');
    assert.equal(first < at(trace, '"mt2"'), since.ITER_NOT_GENERATOR, `first next at ${first}`);
  },
});

rdifferential('pause and resume after destroy do nothing (NO_PAUSE_RESUME_DESTROYED)', async (impl, log) => {
  const r = source(impl, log, { chunks: ['a'] });
  r.destroy();
  r.pause();
  log.rsnap(r, 'after-pause');
  const s = source(impl, log, { chunks: ['b'], label: 's' });
  s.pause();
  s.destroy();
  s.resume();
  log.rsnap(s, 'after-resume');
  await log.settle(3);
}, {
  expect: [since.NO_PAUSE_RESUME_DESTROYED ? "'after-pause', { readable: false" : "'emit', 'r', 'pause'"],
  check(trace) {
    assert.equal(at(trace, '"emit","r","pause"') === -1, since.NO_PAUSE_RESUME_DESTROYED);
    assert.equal(at(trace, '"emit","s","resume"') === -1, since.NO_PAUSE_RESUME_DESTROYED);
  },
});

rdifferential('unpipe releases the drain wait of a destination that failed synchronously (UNPIPE_DRAIN_UNCONDITIONAL)', async (impl, log) => {
  const r = source(impl, log, { chunks: ['u1', 'u2', 'u3'], how: 'immediate', quiet: true });
  // a: its write fails synchronously, so write() returns false without needing a drain.
  const a = new impl.NodeWritable({ write(c, e, cb) { cb(new Error('a failed')); } });
  log.track(a, 'a');
  a.on('error', () => {});
  const b = new impl.NodeWritable({
    write(c, e, cb) {
      log('b got', c);
      cb();
    },
  });
  log.track(b, 'b');
  r.pipe(a);
  r.pipe(b);
  await log.settle(8);
  log('b total', b.writableLength, r.readableFlowing);
  r.destroy();
  b.destroy();
  await log.settle(2);
}, {
  // Before #53185 the source stays paused for ever after the first chunk.
  expect: [since.UNPIPE_DRAIN_UNCONDITIONAL ? "'b got', 'buf:\"u3\"'" : "'b total', 0, false"],
});

rdifferential('flow sync: a _read that throws inside the fast loop drops the chunk it was fetched after (FLOW_SYNC)', async (impl, log) => {
  let n = 0;
  const r = new impl.Readable({
    read() {
      n++;
      if (n === 2) throw new Error('boom');
      this.push(Buffer.from(`c${n}`));
    },
  });
  log.track(r, 'r');
  r.on('data', (c) => log('data', c, r.readableDidRead));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, {
  expect: [since.FLOW_SYNC ? 'readableDidRead: false' : "'data', 'buf:\"c1\"'"],
});

rdifferential('Readable.from(iterable, { destroy }) runs the destroy option before closing the iterator (FROM_CALLS_DESTROY_OPTION)', async (impl, log) => {
  async function* gen() {
    try {
      yield 1;
      yield 2;
      await new Promise(() => {});
    } finally {
      log('generator finally');
    }
  }
  const r = impl.Readable.from(gen(), {
    destroy(err, cb) {
      log('destroy option', err && err.message);
      cb(new Error('from the destroy option'));
    },
  });
  log.track(r, 'r');
  r.once('data', () => r.destroy(new Error('boom')));
  await log.waitFor(r, 'close');
}, {
  check(trace) {
    const opt = at(trace, '"destroy option"');
    assert.equal(opt !== -1, since.FROM_CALLS_DESTROY_OPTION, 'the destroy option ran');
    if (since.FROM_CALLS_DESTROY_OPTION) assert.ok(opt < at(trace, '"generator finally"'), 'before the iterator closed');
  },
});
