'use strict';

// Constructor options (write/writev/final/destroy/construct), subclassing,
// default property values.

const { differential, WRITABLE_PROPS } = require('./helpers/trace');

const EXTRA_PROPS = [...WRITABLE_PROPS, 'writableAborted'];
const bufferShape = (w) => (Array.isArray(w.writableBuffer) ? w.writableBuffer.map((b) => [b.chunk, b.encoding]) : ['not-an-array', w.writableBuffer]);

differential('options write/writev/final/destroy/construct are all used with `this` bound to the stream', async (impl, log) => {
  let self;
  const w = new impl.Writable({
    construct(cb) { log('construct', this === self); cb(); },
    write(c, e, cb) { log('write', this === self, c, e); cb(); },
    writev(chunks, cb) { log('writev', this === self, chunks.length); cb(); },
    final(cb) { log('final', this === self); cb(); },
    destroy(err, cb) { log('destroy', this === self, err); cb(err); },
  });
  self = w;
  log.track(w);
  log('own-methods', typeof w._write, typeof w._writev, typeof w._final, typeof w._destroy, typeof w._construct);
  w.write('a');
  w.cork();
  w.write('b');
  w.write('c');
  process.nextTick(() => w.uncork());
  await log.settle(2);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'construct', true", "'writev', true, 3", "'final', true", "'destroy', true"] });

differential('non-function option values for write/final are ignored', async (impl, log) => {
  const w = new impl.Writable({ write: 'nope', final: 42 });
  log.track(w);
  log.call('write', () => w.write('x'));
  await log.settle(2);
});

differential('subclass with class syntax: _write/_final/_destroy on the prototype, instance fields, properties', async (impl, log) => {
  class Upper extends impl.Writable {
    constructor(opts) {
      super({ highWaterMark: 8, ...opts });
      this.out = [];
    }

    _write(chunk, enc, cb) {
      this.out.push(chunk.toString().toUpperCase());
      log('_write', chunk, enc, this.writableLength);
      setImmediate(cb);
    }

    _final(cb) {
      log('_final', this.out.join(''));
      cb();
    }

    _destroy(err, cb) {
      log('_destroy', err);
      cb(err);
    }
  }
  const w = log.track(new Upper());
  log('instanceof', w instanceof Upper, w instanceof impl.Writable, Object.getPrototypeOf(w) === Upper.prototype);
  log('write', w.write('hello '), w.write('world'));
  log.snap(w, 'after-writes');
  w.end('!');
  await log.waitFor(w, 'close');
  log('out', w.out);
}, { expect: ['HELLO WORLD!'] });

differential('subclass overriding _writev only', async (impl, log) => {
  class Batch extends impl.Writable {
    _writev(chunks, cb) {
      log('_writev', chunks.map((c) => [c.chunk, c.encoding]));
      process.nextTick(cb);
    }
  }
  const w = log.track(new Batch({ decodeStrings: false }));
  w.write('a');
  w.write('b', 'latin1');
  w.write('c');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'_writev'"] });

differential('default property values of a fresh stream (including writableAborted and writableBuffer)', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log.track(w);
  log.snap(w, 'fresh', EXTRA_PROPS);
  log('writableBuffer', bufferShape(w));
  const o = new impl.Writable({ objectMode: true });
  log.track(o, 'o');
  log.snap(o, 'fresh-object-mode', EXTRA_PROPS);
}, { expect: ['writableAborted: false'] });

differential('exposes a _writableState object (relied upon by ecosystem code and stream internals)', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log('_writableState-is-object', typeof w._writableState, w._writableState !== null);
});

differential('writableBuffer lists buffered chunks; writableAborted after destroy mid-write', async (impl, log) => {
  const w = new impl.Writable({ highWaterMark: 100, write(c, e, cb) { setImmediate(cb); } });
  log.track(w);
  w.write('one');
  w.write('two');
  w.write('three');
  log('writableBuffer', bufferShape(w));
  w.destroy();
  log.snap(w, 'destroyed', EXTRA_PROPS);
  log('writableBuffer', bufferShape(w));
  await log.waitFor(w, 'close');
  await log.settle(1);
  log.snap(w, 'closed', EXTRA_PROPS);
  log('writableBuffer', bufferShape(w));
}, { expect: ['writableAborted: true'] });

differential('calling Writable without new returns an instance (function-style constructor)', async (impl, log) => {
  log.call('call-without-new', () => {
    const w = impl.Writable({ write(c, e, cb) { cb(); } });
    return [typeof w, w instanceof impl.Writable];
  });
});

differential('Writable.call(this) old-style inheritance via util.inherits', async (impl, log) => {
  const util = require('node:util');
  function Legacy(opts) {
    impl.Writable.call(this, opts);
    this.got = [];
  }
  util.inherits(Legacy, impl.Writable);
  Legacy.prototype._write = function (chunk, enc, cb) {
    this.got.push(chunk.toString());
    cb();
  };
  log.call('legacy', () => {
    const w = new Legacy({ highWaterMark: 2 });
    log.track(w, 'legacy');
    w.write('ab');
    w.end('cd');
    return w.got;
  });
  await log.settle(3);
});

differential('EventEmitter API on the stream: listenerCount, once, removeListener, setMaxListeners', async (impl, log) => {
  const { EventEmitter } = require('node:events');
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  log.track(w);
  log('is-EventEmitter', w instanceof EventEmitter);
  log('listeners-error', w.listenerCount('error'));
  const h = () => log('finish-listener');
  w.on('finish', h);
  w.removeListener('finish', h);
  w.once('finish', () => log('once-finish'));
  log('setMaxListeners-is-this', w.setMaxListeners(5) === w);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'once-finish'"] });

differential('Symbol.asyncDispose destroys an unfinished stream with AbortError', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { setImmediate(cb); } });
  log.track(w);
  w.write('x', log.cb('x'));
  log('has-asyncDispose', typeof w[Symbol.asyncDispose]);
  if (typeof w[Symbol.asyncDispose] === 'function') {
    await w[Symbol.asyncDispose]().then(() => log('disposed'), (e) => log('dispose-rejected', e));
  }
  await log.settle(2);
}, { expect: ['AbortError'], skip: typeof Symbol.asyncDispose !== 'symbol' && 'Symbol.asyncDispose not available' });
