'use strict';

// Writes with a callback that complete during `_write`, taken on the core's standing answer
// (no call into the core: the callback's `pendingcb` share waits in the shared mailbox until the
// after-write tick takes it back). Node batches the same callback into one after-write tick,
// counts every share in `pendingcb` until its callback runs, and decides 'drain' and 'finish'
// from those counts; callbacks that look at the state, write, end or destroy from inside see
// what Node's do.

const { differential } = require('./helpers/trace');

for (const objectMode of [false, true]) {
  const chunk = (s) => (objectMode ? { s } : s);
  const mode = `objectMode: ${objectMode}`;

  differential(`the same callback for many synchronous writes: one batch, pendingcb counted until each call (${mode})`, async (impl, log) => {
    const w = new impl.Writable({ objectMode, highWaterMark: 4, write(c, e, cb) { cb(); } });
    log.track(w, 'w');
    let calls = 0;
    const cb = (err) => log('cb', ++calls, err, w._writableState.pendingcb, w.writableLength, w.writableNeedDrain);
    for (let i = 0; i < 6; i++) log('write', i, w.write(chunk(`c${i}`), cb), w._writableState.pendingcb);
    log('sync', w._writableState.pendingcb);
    await log.settle(2);
    log('after', w._writableState.pendingcb, w.writableFinished);
    w.end(log.cb('end'));
    await log.settle(3);
  });

  differential(`different callbacks, mixed with callback-less writes, then end() in one of them (${mode})`, async (impl, log) => {
    const w = new impl.Writable({ objectMode, write(c, e, cb) { cb(); } });
    log.track(w, 'w');
    log('w1', w.write(chunk('a'), log.cb('a')));
    log('w2', w.write(chunk('b')));
    log('w3', w.write(chunk('c'), () => {
      log('in c', w._writableState.pendingcb, w.writableLength);
      w.end(chunk('tail'), log.cb('end'));
      log('ended', w._writableState.pendingcb, w.writableFinished);
    }));
    log('w4', w.write(chunk('d'), 'utf8', log.cb('d')));
    log('w5', w.write(chunk('e'), null, log.cb('e')));
    await log.settle(4);
  });

  differential(`a callback that writes again, and one that destroys (${mode})`, async (impl, log) => {
    const w = new impl.Writable({ objectMode, highWaterMark: 2, write(c, e, cb) { log('_write', c); cb(); } });
    log.track(w, 'w');
    let again = 3;
    const cb = (err) => {
      log('cb', err, w._writableState.pendingcb);
      if (again-- > 0) log('rewrite', w.write(chunk(`r${again}`), cb));
    };
    log('first', w.write(chunk('x'), cb));
    await log.settle(3);
    log('before destroy', w.write(chunk('y'), (err) => { log('y cb', err); w.destroy(); }), w.write(chunk('z'), log.cb('z')));
    await log.settle(4);
  });

  differential(`a 'drain' owed when callbacks complete synchronously behind a slow write (${mode})`, async (impl, log) => {
    let held = null;
    const w = new impl.Writable({
      objectMode,
      highWaterMark: 2,
      write(c, e, cb) {
        log('_write', c, this._writableState.pendingcb);
        if (held === null) held = cb;
        else cb();
      },
    });
    log.track(w, 'w');
    log('writes', w.write(chunk('slow'), log.cb('slow')), w.write(chunk('q1'), log.cb('q1')), w.write(chunk('q2'), log.cb('q2')));
    await log.settle(1);
    held();
    log('released', w._writableState.pendingcb, w.writableNeedDrain);
    await log.settle(2);
    log('next', w.write(chunk('n'), log.cb('n')), w._writableState.pendingcb);
    await log.settle(2);
    w.end();
    await log.settle(3);
  });

  differential(`writes with one callback and end() in the same tick: pendingcb seen by each callback (${mode})`, async (impl, log) => {
    const w = new impl.Writable({ objectMode, write(c, e, cb) { cb(); } });
    log.track(w, 'w');
    const cb = (err) => log('cb', err, w._writableState.pendingcb, w.writableFinished);
    for (let i = 0; i < 5; i++) w.write(chunk(`c${i}`), cb);
    w.end(log.cb('end'));
    log('ended', w._writableState.pendingcb);
    await log.settle(4);
  });

  differential(`a synchronous error from _write with a callback (${mode})`, async (impl, log) => {
    let n = 0;
    const w = new impl.Writable({ objectMode, write(c, e, cb) { cb(n++ === 1 ? new Error('boom') : null); } });
    log.track(w, 'w');
    log('w1', w.write(chunk('ok'), log.cb('ok')));
    log('w2', w.write(chunk('bad'), log.cb('bad')));
    log('w3', w.write(chunk('late'), log.cb('late')));
    await log.settle(4);
  });
}
