'use strict';

// _construct: sync/async completion, errors, writes/end/destroy before it completes.

const { differential } = require('./helpers/trace');

function constructed(impl, log, how, { fail = false, extra = {} } = {}) {
  const w = new impl.Writable({
    highWaterMark: 4,
    ...extra,
    construct(cb) {
      log('_construct', typeof cb, this.writableLength);
      const err = fail ? new Error('construct failed') : undefined;
      if (how === 'sync') cb(err);
      else if (how === 'nextTick') process.nextTick(cb, err);
      else setImmediate(() => {
        log('_construct-done');
        cb(err);
      });
    },
    write(chunk, enc, cb) {
      log('_write', chunk, this.writableLength);
      process.nextTick(cb);
    },
    final(cb) {
      log('_final');
      cb();
    },
  });
  log.track(w);
  return w;
}

for (const how of ['sync', 'nextTick', 'immediate']) {
  differential(`_construct completing ${how}: writes made before completion are buffered then flushed`, async (impl, log) => {
    const w = constructed(impl, log, how);
    log.snap(w, 'after-ctor');
    log('write-a', w.write('aa', log.cb('a')), w.writableLength);
    log('write-b', w.write('bbb', log.cb('b')), w.writableLength);
    log.marks('m');
    w.end(log.cb('end'));
    await log.waitFor(w, 'close');
  }, { expect: ["'_construct'", "'_write'"] });
}

differential('_construct is called on the next tick, not synchronously in the constructor', async (impl, log) => {
  const w = constructed(impl, log, 'sync');
  log('after-ctor');
  log.marks('m');
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_construct'"] });

for (const how of ['sync', 'immediate']) {
  differential(`_construct error (${how}): buffered write callbacks, end callback, error and close`, async (impl, log) => {
    const w = constructed(impl, log, how, { fail: true });
    w.write('x', log.cb('x'));
    w.end(log.cb('end'));
    await log.waitFor(w, 'close');
    log.snap(w, 'closed');
    await log.settle(2);
  }, { expect: ['construct failed'] });
}

differential('end() before _construct completes: _final runs after construction', async (impl, log) => {
  const w = constructed(impl, log, 'immediate');
  w.end('last', log.cb('end'));
  log.snap(w, 'ended-before-construct');
  await log.waitFor(w, 'close');
}, { expect: ["'_final'"] });

differential('destroy() before _construct completes: _destroy is deferred until construction ends', async (impl, log) => {
  const w = new impl.Writable({
    construct(cb) {
      log('_construct');
      setImmediate(() => {
        log('_construct-done');
        cb();
      });
    },
    write(c, e, cb) { cb(); },
    destroy(err, cb) {
      log('_destroy', err);
      cb(err);
    },
  });
  log.track(w);
  w.write('x', log.cb('x'));
  w.destroy(new Error('early'));
  log.snap(w, 'destroyed-early');
  await log.waitFor(w, 'close');
  await log.settle(2);
}, { expect: ["'_destroy'", 'early'] });

differential('_construct calling back twice emits ERR_MULTIPLE_CALLBACK', async (impl, log) => {
  const w = new impl.Writable({
    construct(cb) {
      cb();
      cb();
    },
    write(c, e, cb) { cb(); },
  });
  log.track(w);
  await log.settle(3);
  log.snap(w, 'after');
}, { expect: ['ERR_MULTIPLE_CALLBACK'] });

differential('_construct throwing synchronously is reported as an error', async (impl, log) => {
  const w = new impl.Writable({
    construct() { throw new Error('construct threw'); },
    write(c, e, cb) { cb(); },
  });
  log.track(w);
  await log.waitFor(w, 'close');
  log.snap(w, 'closed');
}, { expect: ['construct threw'] });

differential('_construct defined on a subclass prototype', async (impl, log) => {
  class C extends impl.Writable {
    _construct(cb) {
      log('_construct', this instanceof C);
      setImmediate(cb);
    }

    _write(chunk, enc, cb) {
      log('_write', chunk);
      cb();
    }
  }
  const w = log.track(new C());
  w.write('x');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_construct', true"] });

differential('corked writes before construction complete are flushed with _writev after uncork', async (impl, log) => {
  const w = new impl.Writable({
    construct(cb) { setImmediate(cb); },
    write(c, e, cb) { log('_write', c); cb(); },
    writev(chunks, cb) { log('_writev', chunks.map((c) => c.chunk)); cb(); },
  });
  log.track(w);
  w.write('a');
  w.write('b');
  w.write('c');
  await log.settle(3);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });
