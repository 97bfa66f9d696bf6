'use strict';

// Property snapshots (writableLength, writableNeedDrain, writableCorked,
// writableEnded, writableFinished, closed, destroyed, errored, ...) at every
// step of complete lifecycles.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

function snapOnEvents(log, w) {
  for (const ev of ['drain', 'prefinish', 'finish', 'error', 'close']) {
    w.on(ev, () => log.snap(w, `on-${ev}`));
  }
}

differential('property snapshots through a full successful lifecycle (cork, write, uncork, drain, end, finish, close)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 6, how: 'hold', writev: true });
  snapOnEvents(log, w);
  log.snap(w, 'fresh');
  w.cork();
  log.snap(w, 'corked');
  w.write('abc');
  log.snap(w, 'write-1');
  w.write('defg');
  log.snap(w, 'write-2');
  w.uncork();
  log.snap(w, 'uncorked');
  w.$release();
  log.snap(w, 'released-writev');
  await log.settle(1);
  log.snap(w, 'after-tick');
  w.write('h');
  log.snap(w, 'write-3');
  w.end();
  log.snap(w, 'ended');
  w.$release();
  log.snap(w, 'released-last');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ["'on-drain'", "'on-finish'", "'on-close'"] });

differential('property snapshots through an error lifecycle (_write error while writes are buffered)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 4, how: 'hold' });
  snapOnEvents(log, w);
  w.write('aaaa', log.cb('a'));
  w.write('bb', log.cb('b'));
  log.snap(w, 'buffered');
  w.$release(new Error('fail'));
  log.snap(w, 'after-error-cb');
  await log.settle(1);
  log.snap(w, 'after-tick');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ["'on-error'", 'fail'] });

differential('property snapshots through destroy(err) with autoDestroy: false and emitClose: false', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold', autoDestroy: false, emitClose: false });
  snapOnEvents(log, w);
  w.write('x', log.cb('x'));
  w.destroy(new Error('gone'));
  log.snap(w, 'destroyed');
  await log.settle(2);
  log.snap(w, 'settled');
  w.$release();
  await log.settle(2);
  log.snap(w, 'released');
}, { expect: ["'on-error'"] });

differential('writableNeedDrain follows the buffer: true after a false write, false once drained or ended', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 3, how: 'hold', quiet: true });
  const nd = (tag) => log(tag, w.writableNeedDrain, w.writableLength);
  nd('fresh');
  w.write('ab');
  nd('under');
  w.write('cd');
  nd('over');
  w.$release();
  nd('partly-flushed');
  await log.settle(1);
  w.$release();
  nd('flushed');
  await log.settle(1);
  nd('after-drain');
  w.write('efgh');
  nd('over-again');
  w.end();
  nd('ended');
  w.$release();
  await log.waitFor(w, 'close');
  nd('closed');
}, { expect: ["'over', true", "'over-again', true, 4"] });

// _writableState is internal, but ecosystem code (end-of-stream, pump,
// readable-stream interop, Node's own stream utilities) reads these fields.
const STATE_FIELDS = [
  'length', 'ending', 'ended', 'finished', 'objectMode', 'highWaterMark', 'needDrain', 'corked',
  'destroyed', 'errored', 'closed', 'errorEmitted', 'closeEmitted', 'constructed', 'writing',
  'pendingcb', 'defaultEncoding', 'decodeStrings', 'emitClose', 'autoDestroy', 'prefinished',
  'finalCalled', 'bufferedRequestCount',
];

function stateSnap(log, w, tag) {
  const s = w._writableState;
  if (!s) {
    log('state', tag, 'no _writableState');
    return;
  }
  const out = {};
  for (const f of STATE_FIELDS) out[f] = log.shape(s[f]);
  out.getBuffer = typeof s.getBuffer === 'function' ? s.getBuffer().map((b) => [log.shape(b.chunk), b.encoding]) : 'missing';
  log('state', tag, out);
}

differential('commonly read _writableState fields across a lifecycle (compat with ecosystem code)', async (impl, log) => {
  const w = sink(impl, log, { highWaterMark: 4, how: 'hold', quiet: true });
  stateSnap(log, w, 'fresh');
  w.write('abc');
  w.write('de');
  stateSnap(log, w, 'writing+buffered');
  w.end();
  stateSnap(log, w, 'ended');
  w.$release();
  stateSnap(log, w, 'released-1');
  await log.settle(1);
  w.$release();
  stateSnap(log, w, 'released-2');
  await log.waitFor(w, 'finish');
  stateSnap(log, w, 'finished');
  await log.waitFor(w, 'close');
  stateSnap(log, w, 'closed');
}, { expect: ['bufferedRequestCount: 1'] });

differential('commonly read _writableState fields after an error and with custom options', async (impl, log) => {
  const w = new impl.Writable({
    objectMode: true,
    highWaterMark: 2,
    decodeStrings: false,
    defaultEncoding: 'latin1',
    emitClose: false,
    autoDestroy: false,
    write(c, e, cb) { process.nextTick(cb, new Error('nope')); },
  });
  log.track(w);
  stateSnap(log, w, 'fresh');
  w.write({ a: 1 });
  await log.settle(2);
  stateSnap(log, w, 'errored');
}, { expect: ["defaultEncoding: 'latin1'"] });
