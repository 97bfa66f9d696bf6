'use strict';

// destroy(): pending callbacks, errors, close, _destroy, emitClose, signal.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

differential('destroy() with pending buffered writes: callbacks get ERR_STREAM_DESTROYED, close is emitted', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('inflight', log.cb('inflight'));
  w.write('b1', log.cb('b1'));
  w.write('b2', log.cb('b2'));
  w.end(log.cb('end'));
  log.snap(w, 'before-destroy');
  log('destroy-is-this', w.destroy() === w);
  log.snap(w, 'after-destroy');
  log.marks('m');
  await log.settle(3);
  log('release-inflight');
  w.$release();
  await log.settle(3);
  log.snap(w, 'final');
}, { expect: ['ERR_STREAM_DESTROYED', "'close'"] });

differential('destroy(err): error then close, errored property holds the error', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.on('close', () => log.snap(w, 'in-close'));
  w.destroy(new Error('boom'));
  log.snap(w, 'after-destroy');
  log.marks('m');
  await log.waitFor(w, 'close');
}, { expect: ["'emit', 'w', 'error'", 'boom'] });

differential('destroy during an in-flight _write; the late callback is ignored', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('x', log.cb('x'));
  w.destroy();
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
  w.$release();
  await log.settle(2);
  log.snap(w, 'after-late-cb');
}, { expect: ["'cb', 'x'"] });

differential('destroy from inside _write (synchronously)', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) {
      log('_write', c);
      this.destroy(new Error('inside'));
      cb();
    },
  });
  log.track(w);
  log('write', w.write('x', log.cb('x')));
  log('write2', w.write('y', log.cb('y')));
  await log.waitFor(w, 'close');
}, { expect: ['inside'] });

differential('write after destroy: ERR_STREAM_DESTROYED to callback and error event, write returns false', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroy();
  log('write', w.write('x', log.cb('x')));
  log.snap(w, 'after-write');
  log.marks('m');
  await log.settle(3);
}, { expect: ['ERR_STREAM_DESTROYED'] });

differential('end(cb) after destroy(): ends silently, the callback is never called (Node 20 quirk)', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroy();
  log('end-is-this', w.end(log.cb('end')) === w);
  log.snap(w, 'after-end');
  await log.settle(3);
  log('end-again-is-this', w.end(log.cb('end-again')) === w);
  await log.settle(3);
}, { expect: ['writableEnded: true'] });

differential('end(chunk, cb) after destroy(): the chunk write fails with ERR_STREAM_DESTROYED', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroy();
  log('end-is-this', w.end('x', log.cb('end')) === w);
  log.snap(w, 'after-end');
  await log.settle(3);
}, { expect: ['ERR_STREAM_DESTROYED'] });

differential('destroy(err, cb): callback receives the error synchronously with default _destroy', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroy(new Error('with-cb'), log.cb('destroy-cb'));
  log('after-destroy-call');
  await log.waitFor(w, 'close');
}, { expect: ["'cb', 'destroy-cb'"] });

differential('destroy twice: second call is a no-op except that its callback is called', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroy(new Error('first'));
  w.destroy(new Error('second'), log.cb('second-cb'));
  log.snap(w, 'after-two');
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['first'] });

differential('custom _destroy with async callback delays close; error passed through', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    destroy(err, cb) {
      log('_destroy', err, this.destroyed, this.closed);
      setImmediate(() => {
        log('_destroy-done');
        cb(err);
      });
    },
  });
  log.track(w);
  w.destroy(new Error('orig'));
  log.snap(w, 'destroying');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ["'_destroy-done'", 'orig'] });

differential('custom _destroy can replace the error (and swallow it)', async (impl, log) => {
  const a = new impl.Writable({
    write(c, e, cb) { cb(); },
    destroy(err, cb) { cb(new Error('replaced')); },
  });
  const b = new impl.Writable({
    write(c, e, cb) { cb(); },
    destroy(err, cb) { cb(null); },
  });
  log.track(a, 'a');
  log.track(b, 'b');
  a.destroy(new Error('orig-a'));
  b.destroy(new Error('orig-b'));
  log.snap(a, 'a');
  log.snap(b, 'b');
  await Promise.all([log.waitFor(a), log.waitFor(b)]);
  log.snap(a, 'a-closed');
  log.snap(b, 'b-closed');
}, { expect: ['replaced'] });

differential('_destroy that throws: the thrown error is emitted', async (impl, log) => {
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    destroy() { throw new Error('destroy threw'); },
  });
  log.track(w);
  log.call('destroy', () => w.destroy() === w);
  await log.waitFor(w, 'close');
}, { expect: ['destroy threw'] });

differential('emitClose: false: no close event after destroy or after finish', async (impl, log) => {
  const a = sink(impl, log, { how: 'sync', emitClose: false, label: 'a' });
  const b = sink(impl, log, { how: 'sync', emitClose: false, label: 'b' });
  a.destroy();
  b.end('x');
  await log.settle(4);
  log.snap(a, 'a');
  log.snap(b, 'b');
}, { expect: ['closed: true'] });

differential('emitClose: false with destroy(err): error is still emitted', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', emitClose: false });
  w.destroy(new Error('quiet'));
  await log.settle(3);
  log.snap(w, 'after');
}, { expect: ['quiet'] });

differential('destroy after finish (autoDestroy: false) emits only close', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', autoDestroy: false });
  w.end();
  await log.waitFor(w, 'finish');
  w.destroy(new Error('after-finish'));
  log.snap(w, 'destroyed');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ["'close'"] });

differential('destroy() before end(cb) completes: end callback gets an error once the in-flight write returns', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('x', log.cb('x'));
  w.end(log.cb('end'));
  w.destroy();
  await log.waitFor(w, 'close');
  await log.settle(2);
  log('releasing');
  w.$release();
  await log.settle(2);
}, { expect: ["'cb', 'end'"] });

differential('destroy() while _final is pending: end callback gets ERR_STREAM_DESTROYED, late final cb ignored', async (impl, log) => {
  let finalCb;
  const w = new impl.Writable({
    write(c, e, cb) { cb(); },
    final(cb) { log('_final'); finalCb = cb; },
  });
  log.track(w);
  w.write('x', log.cb('x'));
  w.end(log.cb('end'));
  await log.settle(1);
  w.destroy();
  await log.waitFor(w, 'close');
  await log.settle(1);
  finalCb();
  await log.settle(2);
  log.snap(w, 'end');
}, { expect: ["'cb', 'end'", 'ERR_STREAM_DESTROYED'] });

differential('destroy(err) with pending buffered writes passes the error to their callbacks', async (impl, log) => {
  const w = sink(impl, log, { how: 'hold' });
  w.write('a', log.cb('a'));
  w.write('b', log.cb('b'));
  w.write('c', log.cb('c'));
  w.destroy(new Error('kill'));
  await log.waitFor(w, 'close');
  await log.settle(2);
  log('releasing');
  w.$release();
  await log.settle(2);
  log.snap(w, 'end');
}, { expect: ["'cb', 'c'", 'kill'] });

differential('destroyed setter toggles the destroyed flag (backwards compat)', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.destroyed = true;
  log.snap(w, 'set-true');
  w.destroyed = false;
  log.snap(w, 'set-false');
  w.end();
  await log.waitFor(w, 'close');
});

differential('signal: AbortController.abort() destroys with an AbortError', async (impl, log) => {
  const ac = new AbortController();
  const w = sink(impl, log, { how: 'hold', signal: ac.signal });
  w.write('x', log.cb('x'));
  w.write('y', log.cb('y'));
  ac.abort();
  log.snap(w, 'after-abort');
  await log.waitFor(w, 'close');
  await log.settle(1);
}, { expect: ['AbortError', 'ABORT_ERR'] });

differential('signal aborted with a reason: AbortError carries the reason as cause', async (impl, log) => {
  const ac = new AbortController();
  const w = sink(impl, log, { how: 'sync', signal: ac.signal });
  ac.abort(new Error('why'));
  await log.waitFor(w, 'close');
}, { expect: ['why'] });

differential('signal already aborted at construction destroys on the next tick', async (impl, log) => {
  const ac = new AbortController();
  ac.abort();
  const w = sink(impl, log, { how: 'sync', signal: ac.signal });
  log.snap(w, 'constructed');
  log.marks('m');
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['AbortError'] });

differential('abort after finish does nothing', async (impl, log) => {
  const ac = new AbortController();
  const w = sink(impl, log, { how: 'sync', signal: ac.signal });
  w.end('x');
  await log.waitFor(w, 'close');
  ac.abort();
  await log.settle(2);
  log.snap(w, 'after-abort');
});
