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
