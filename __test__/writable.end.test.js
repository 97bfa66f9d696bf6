'use strict';

// end(), finish, write-after-end, _final.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

differential('write after end: callback gets ERR_STREAM_WRITE_AFTER_END next tick, error emitted, write returns false', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end();
  log.snap(w, 'ended');
  log('write', w.write('late', log.cb('late')));
  log.snap(w, 'after-late-write');
  log.marks('m');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['ERR_STREAM_WRITE_AFTER_END', "'write', false"] });

differential('write after end while the last write is still in flight', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('first', log.cb('first'));
  w.end(log.cb('end'));
  log('late-write', w.write('late', log.cb('late')));
  await log.settle(1);
  log.snap(w, 'before-release');
  w.$release();
  await log.settle(3);
  log.snap(w, 'after-release');
}, { expect: ['ERR_STREAM_WRITE_AFTER_END'] });

differential('end(chunk) after end: the chunk is rejected with ERR_STREAM_WRITE_AFTER_END', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end('a');
  log.call('end-again-with-chunk', () => w.end('b', log.cb('end2')));
  await log.waitFor(w, 'close');
}, { expect: ['ERR_STREAM_WRITE_AFTER_END'] });

differential('end() twice is forgiving: second end() is a no-op and its callback waits for finish', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick' });
  w.write('x');
  log('end1-is-this', w.end(log.cb('end1')) === w);
  log('end2-is-this', w.end(log.cb('end2')) === w);
  log.snap(w, 'ended-twice');
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'end2'"] });

differential('end(cb) after finish gets ERR_STREAM_ALREADY_FINISHED on the next tick', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', autoDestroy: false });
  w.end();
  await log.waitFor(w, 'finish');
  log.snap(w, 'finished');
  log('end-after-finish', w.end(log.cb('late-end')) === w);
  log.marks('m');
  await log.settle(2);
  log.snap(w, 'after');
}, { expect: ['ERR_STREAM_ALREADY_FINISHED'] });

differential('end(cb) after finish and close (autoDestroy) gets ERR_STREAM_ALREADY_FINISHED', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end();
  await log.waitFor(w, 'close');
  w.end(log.cb('late-end'));
  log('write-after-close', w.write('x', log.cb('late-write')));
  await log.settle(2);
}, { expect: ['ERR_STREAM_ALREADY_FINISHED'] });

differential('end() with no writes: prefinish sync, finish next tick, close after; property snapshots per tick', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.snap(w, 'fresh');
  w.on('prefinish', () => log.snap(w, 'in-prefinish'));
  w.on('finish', () => log.snap(w, 'in-finish'));
  w.on('close', () => log.snap(w, 'in-close'));
  w.end(log.cb('end'));
  log.snap(w, 'after-end');
  process.nextTick(() => log.snap(w, 'tick1'));
  await log.waitFor(w, 'close');
}, { expect: ["'emit', 'w', 'prefinish'", "'cb', 'end'"] });

differential('finish waits for pending async writes; end callback runs before the finish event', async (impl, log) => {
  const w = sink(impl, log, { how: 'immediate' });
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.end('c', log.cb('end'));
  log.snap(w, 'ended');
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'end'"] });

differential('_final with synchronous callback: prefinish, then finish on the next tick', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { log('_write', c); cb(); },
    final(cb) {
      log('_final', this.writableLength, this.writableEnded, this.writableFinished);
      cb();
      log('_final-after-cb');
    },
  });
  log.track(w);
  w.write('data');
  w.end(log.cb('end'));
  log.marks('m');
  await log.waitFor(w, 'close');
}, { expect: ["'_final'"] });

differential('_final with asynchronous callback delays finish', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    final(cb) {
      log('_final');
      setImmediate(() => {
        log('_final-done');
        cb();
      });
    },
  });
  log.track(w);
  w.end(log.cb('end'));
  log.snap(w, 'ended');
  await log.settle(1);
  log.snap(w, 'during-final');
  await log.waitFor(w, 'close');
}, { expect: ["'_final-done'"] });

differential('_final is called once, after the last write completes', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w._final = function (cb) {
    log('_final', this.writableLength);
    process.nextTick(cb);
  };
  w.write('a');
  w.end();
  await log.settle(1);
  log('pending-before-release', w.$pending.length);
  w.$release();
  await log.waitFor(w, 'close');
}, { expect: ["'_final', 0"] });

differential('finish listener added after end() still fires; finished streams report writableFinished', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.end();
  w.once('finish', () => log('late-listener', w.writableFinished));
  await log.waitFor(w, 'close');
}, { expect: ["'late-listener', true"] });

differential('end() returns this and writable becomes false immediately', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick' });
  w.write('x');
  log('end-is-this', w.end() === w, w.writable, w.writableEnded, w.writableFinished);
  await log.waitFor(w, 'close');
}, { expect: ["'end-is-this', true, false, true, false"] });

differential('autoDestroy: false: finish without close; destroyed stays false until destroy()', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', autoDestroy: false });
  w.end('x');
  await log.waitFor(w, 'finish');
  await log.settle(2);
  log.snap(w, 'finished-not-destroyed');
  w.destroy();
  log.snap(w, 'destroyed');
  await log.waitFor(w, 'close');
}, { expect: ['destroyed: false', "'close'"] });
