'use strict';

// Duplex: two independent sides on one object (their own highWaterMarks and
// object modes), allowHalfOpen, readable:false / writable:false, destroy and
// errors on both sides, _construct, 'finish' / 'end' / 'close' order, identity
// (instanceof, callable without new, util.inherits subclasses).

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const stream = require('node:stream');
const util = require('node:util');
const { EventEmitter } = require('node:events');
const { ddifferential, duplex } = require('./helpers/dtrace');
const { sink } = require('./helpers/sinks');
const { source } = require('./helpers/rtrace');

// ---------------------------------------------------------------------------
// Independent sides.

ddifferential('duplex sides are independent: writes reach _write, pushes reach readers, neither touches the other', async (impl, log) => {
  const d = duplex(impl, log, { how: 'sync' });
  log.dsnap(d, 'fresh');
  log.write(d, 'w1');
  log.push(d, 'r1');
  log.dsnap(d, 'after-write-and-push');
  d.on('data', (c) => log('data', c));
  log.write(d, 'w2');
  log.marks('m');
  await log.settle(2);
  log.dsnap(d, 'flowing');
}, { expect: ["'_write', 'd', 'buf:\"w1\"'", "'data', 'buf:\"r1\"'"] });

ddifferential('duplex readableHighWaterMark and writableHighWaterMark are separate thresholds', async (impl, log) => {
  const d = duplex(impl, log, { how: 'hold', readableHighWaterMark: 4, writableHighWaterMark: 10 });
  log('hwm', d.readableHighWaterMark, d.writableHighWaterMark);
  log.write(d, 'aaaaa'); // 5 < 10
  log.write(d, 'bbbbb'); // 10 >= 10 -> false
  log.push(d, 'xyz'); // 3 < 4
  log.push(d, 'q'); // 4 >= 4 -> false
  log.dsnap(d, 'both-full');
  d.$release();
  d.$release();
  await log.settle(2);
  log.dsnap(d, 'write-side-drained');
  log.read(d);
  await log.settle(2);
}, { expect: ["'emit', 'd', 'drain'", "'hwm', 4, 10"] });

ddifferential('duplex highWaterMark option wins over readableHighWaterMark / writableHighWaterMark', async (impl, log) => {
  const a = duplex(impl, log, { label: 'a', highWaterMark: 7, readableHighWaterMark: 2, writableHighWaterMark: 3 });
  const b = duplex(impl, log, { label: 'b', readableHighWaterMark: 2 });
  const c = duplex(impl, log, { label: 'c', readableObjectMode: true });
  log('a', a.readableHighWaterMark, a.writableHighWaterMark);
  log('b', b.readableHighWaterMark, b.writableHighWaterMark);
  log('c', c.readableHighWaterMark, c.writableHighWaterMark);
  a.destroy();
  b.destroy();
  c.destroy();
  await log.settle(2);
}, { expect: ["'a', 7, 7", `'b', 2, ${D}`, `'c', 16, ${D}`] });

ddifferential('duplex readableObjectMode only: the readable side takes objects, the writable side rejects them', async (impl, log) => {
  const d = duplex(impl, log, { readableObjectMode: true });
  log('modes', d.readableObjectMode, d.writableObjectMode);
  log.push(d, { id: 1 });
  log.push(d, 42);
  log.write(d, { id: 2 });
  log.write(d, 'bytes');
  log.read(d);
  log.read(d);
  await log.settle(2);
  log.dsnap(d, 'end');
}, { expect: ['ERR_INVALID_ARG_TYPE', "'modes', true, false"] });

ddifferential('duplex writableObjectMode only: writes take objects, a pushed object errors the readable side', async (impl, log) => {
  const d = duplex(impl, log, { writableObjectMode: true });
  log('modes', d.readableObjectMode, d.writableObjectMode);
  log.write(d, { id: 1 });
  log.write(d, 7);
  log.push(d, 'ok');
  log.push(d, { no: true });
  await log.settle(2);
  log.dsnap(d, 'after');
}, { expect: ["'_write', 'd', { id: 1 }", 'ERR_INVALID_ARG_TYPE'] });

ddifferential('duplex objectMode: true puts both sides in object mode (hwm 16 objects each)', async (impl, log) => {
  const d = duplex(impl, log, { objectMode: true, how: 'hold' });
  const rets = [];
  for (let i = 0; i < 17; i++) rets.push(d.write({ i }));
  log('write-rets', rets.join(','), d.writableLength);
  const prets = [];
  for (let i = 0; i < 17; i++) prets.push(d.push(i));
  log('push-rets', prets.join(','), d.readableLength);
  log.dsnap(d, 'full');
  d.destroy();
  await log.waitFor(d, 'close');
}, { expect: ["'write-rets', 'true,"] });

// ---------------------------------------------------------------------------
// readable: false / writable: false.

ddifferential('duplex readable: false: the readable side starts ended; ending the writable side closes the stream', async (impl, log) => {
  const d = duplex(impl, log, { readable: false });
  log.dsnap(d, 'fresh');
  log.write(d, 'x');
  log.end(d);
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'emit', 'd', 'finish'", "'emit', 'd', 'close'"] });

ddifferential('duplex writable: false: write() calls back with ERR_STREAM_WRITE_AFTER_END and the error destroys the stream', async (impl, log) => {
  const d = duplex(impl, log, { writable: false });
  log.dsnap(d, 'fresh');
  log.write(d, 'nope', log.cb('write-cb'));
  await log.settle(2);
  log.dsnap(d, 'after-write');
}, { expect: ['ERR_STREAM_WRITE_AFTER_END', "'emit', 'd', 'close'"] });

ddifferential('duplex writable: false: the readable side alone ends it', async (impl, log) => {
  const d = duplex(impl, log, { writable: false });
  d.on('data', (c) => log('data', c));
  log.push(d, 'r');
  log.push(d, null);
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'emit', 'd', 'end'", "'emit', 'd', 'close'"] });

// ---------------------------------------------------------------------------
// allowHalfOpen.

ddifferential('duplex allowHalfOpen: false: the readable side ending ends the writable side', async (impl, log) => {
  const d = duplex(impl, log, { allowHalfOpen: false });
  log('allowHalfOpen', d.allowHalfOpen);
  d.on('data', (c) => log('data', c));
  log.write(d, 'w');
  log.push(d, 'r');
  log.push(d, null);
  log.marks('m');
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'allowHalfOpen', false", "'emit', 'd', 'finish'", "'emit', 'd', 'close'"] });

ddifferential('duplex allowHalfOpen: false: ending the writable side does not end the readable side', async (impl, log) => {
  const d = duplex(impl, log, { allowHalfOpen: false });
  d.on('data', (c) => log('data', c));
  log.end(d, 'last');
  await log.settle(3);
  log.dsnap(d, 'writable-finished');
  log.push(d, 'still-readable');
  log.push(d, null);
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'data', 'buf:\"still-readable\"'"] });

ddifferential('duplex allowHalfOpen: false with pending writes: the automatic end waits for them', async (impl, log) => {
  const d = duplex(impl, log, { allowHalfOpen: false, how: 'hold' });
  d.resume();
  log.write(d, 'p1');
  log.write(d, 'p2');
  log.push(d, null);
  await log.settle(3);
  log.dsnap(d, 'readable-ended-writes-pending');
  d.$release();
  await log.settle(1);
  d.$release();
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'emit', 'd', 'end'", "'emit', 'd', 'finish'"] });

ddifferential('duplex allowHalfOpen: true (default): the writable side stays open after end', async (impl, log) => {
  const d = duplex(impl, log);
  log('allowHalfOpen', d.allowHalfOpen);
  d.resume();
  log.push(d, null);
  await log.settle(3);
  log.dsnap(d, 'half-open');
  log.write(d, 'after-end', log.cb('write-cb'));
  log.end(d);
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ["'allowHalfOpen', true", "'write-cb', 1, null"] });

// ---------------------------------------------------------------------------
// finish / end / close order.

ddifferential("duplex event order: writable ended first, then readable: 'finish', 'end', then one 'close'", async (impl, log) => {
  const d = duplex(impl, log);
  d.on('data', (c) => log('data', c));
  log.end(d, 'x', log.cb('end-cb'));
  await log.settle(2);
  log.push(d, 'y');
  log.push(d, null);
  log.marks('m');
  await log.waitFor(d, 'close');
}, { expect: ["'emit', 'd', 'finish'", "'emit', 'd', 'end'"] });

ddifferential("duplex event order: readable ended first, then writable: 'end', 'finish', then one 'close'", async (impl, log) => {
  const d = duplex(impl, log);
  d.resume();
  log.push(d, null);
  await log.settle(2);
  log.dsnap(d, 'after-end');
  log.end(d, log.cb('end-cb'));
  log.marks('m');
  await log.waitFor(d, 'close');
}, { expect: ["'emit', 'd', 'end'", "'emit', 'd', 'finish'"] });

ddifferential("duplex autoDestroy: false: both sides end but no 'close'", async (impl, log) => {
  const d = duplex(impl, log, { autoDestroy: false });
  d.resume();
  log.push(d, null);
  log.end(d);
  await log.settle(4);
  log.dsnap(d, 'ended-not-destroyed');
  d.destroy();
  await log.waitFor(d, 'close');
}, { expect: ["'emit', 'd', 'finish'", "'emit', 'd', 'end'"] });

ddifferential('duplex _final runs before finish; its callback delays finish; _read keeps working', async (impl, log) => {
  const d = new impl.Duplex({
    read(n) {
      log('_read', n);
    },
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
    final(cb) {
      log('_final');
      this.push('from-final');
      setImmediate(() => {
        log('final-cb');
        cb();
      });
    },
  });
  log.track(d, 'd');
  d.on('data', (c) => log('data', c));
  log.end(d, 'z');
  await log.waitFor(d, 'finish');
  log.push(d, null);
  await log.waitFor(d, 'close');
}, { expect: ["'_final'", "'data', 'buf:\"from-final\"'"] });

// ---------------------------------------------------------------------------
// destroy and errors.

ddifferential('duplex destroy(): both sides destroyed, pending write callback gets ERR_STREAM_DESTROYED, one close, no finish/end', async (impl, log) => {
  const d = duplex(impl, log, { how: 'hold' });
  d.on('data', (c) => log('data', c));
  log.write(d, 'a', log.cb('cb-a'));
  log.write(d, 'b', log.cb('cb-b'));
  log.push(d, 'r');
  log('destroy-returns-this', d.destroy() === d);
  log.dsnap(d, 'after-destroy');
  log.marks('m');
  await log.waitFor(d, 'close');
  log.write(d, 'c', log.cb('cb-c'));
  await log.settle(2);
  log.dsnap(d, 'closed');
}, { expect: ['ERR_STREAM_DESTROYED', "'destroy-returns-this', true"] });

ddifferential("duplex destroy(err): 'error' then 'close', errored on both sides, readable side stops", async (impl, log) => {
  const d = duplex(impl, log);
  log.push(d, 'buffered');
  d.destroy(new Error('boom'));
  log.dsnap(d, 'after-destroy');
  log.push(d, 'late');
  log.read(d);
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
  d.destroy(new Error('second'));
  await log.settle(2);
}, { expect: ["'emit', 'd', 'error'", 'boom'] });

ddifferential('duplex _write callback error destroys the whole duplex (readable side too)', async (impl, log) => {
  const d = duplex(impl, log, { how: 'hold' });
  d.on('data', (c) => log('data', c));
  log.write(d, 'x', log.cb('cb-x'));
  log.write(d, 'y', log.cb('cb-y'));
  d.$release(new Error('write failed'));
  log.dsnap(d, 'after-error');
  await log.waitFor(d, 'close');
  log.push(d, 'after-close');
  log.dsnap(d, 'closed');
}, { expect: ['write failed', "'emit', 'd', 'close'"] });

ddifferential('duplex destroy() from inside _read while data is buffered', async (impl, log) => {
  let n = 0;
  const d = new impl.Duplex({
    read() {
      n++;
      log('_read', n);
      if (n === 1) this.push('one');
      else this.destroy(new Error('read-side broke'));
    },
    write(c, e, cb) {
      cb();
    },
  });
  log.track(d, 'd');
  d.on('data', (c) => log('data', c));
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ['read-side broke'] });

ddifferential('duplex custom _destroy gets the error and can replace it', async (impl, log) => {
  const d = new impl.Duplex({
    read() {},
    write(c, e, cb) {
      cb();
    },
    destroy(err, cb) {
      log('_destroy', err);
      setImmediate(() => cb(new Error('replaced')));
    },
  });
  log.track(d, 'd');
  d.destroy(new Error('original'));
  log.dsnap(d, 'destroying');
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ['replaced', "'_destroy'"] });

// ---------------------------------------------------------------------------
// _construct.

ddifferential('duplex _construct: writes and reads wait until its callback', async (impl, log) => {
  class D extends impl.Duplex {
    _construct(cb) {
      log('_construct');
      setImmediate(() => {
        log('construct-done');
        cb();
      });
    }

    _read(n) {
      log('_read', n);
      this.push('R');
      this.push(null);
    }

    _write(c, e, cb) {
      log('_write', c);
      cb();
    }
  }
  const d = new D();
  log.track(d, 'd');
  log.write(d, 'early');
  d.on('data', (c) => log('data', c));
  log.end(d);
  log.dsnap(d, 'constructing');
  await log.waitFor(d, 'close');
}, { expect: ["'construct-done'", "'_write', 'buf:\"early\"'"] });

ddifferential('duplex _construct error: destroyed with the error before any _write/_read', async (impl, log) => {
  const d = new impl.Duplex({
    construct(cb) {
      log('_construct');
      process.nextTick(cb, new Error('construct failed'));
    },
    read() {
      log('_read');
    },
    write(c, e, cb) {
      log('_write');
      cb();
    },
  });
  log.track(d, 'd');
  log.write(d, 'x', log.cb('write-cb'));
  d.resume();
  await log.waitFor(d, 'close');
  log.dsnap(d, 'closed');
}, { expect: ['construct failed'] });

// ---------------------------------------------------------------------------
// Use in a graph.

ddifferential('duplex in the middle of pipes: readable.pipe(duplex) feeds its writable side, duplex.pipe(writable) drains its readable side', async (impl, log) => {
  const r = source(impl, log, { chunks: ['a', 'b'], quiet: true });
  const w = sink(impl, log, { label: 'w' });
  const d = new impl.Duplex({
    read() {},
    write(c, e, cb) {
      log('_write', c);
      this.push(c.toString().toUpperCase());
      cb();
    },
    final(cb) {
      this.push(null);
      cb();
    },
  });
  log.track(d, 'd');
  r.pipe(d).pipe(w);
  await log.waitFor(w, 'close');
  log.dsnap(d, 'd-done');
}, { expect: ["'_write', 'w', 'buf:\"A\"'"] });

ddifferential('duplex cork/uncork batches writes into _writev while pushes are unaffected', async (impl, log) => {
  const d = new impl.Duplex({
    read() {},
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
    writev(chunks, cb) {
      log('_writev', chunks.map((c) => c.chunk));
      cb();
    },
  });
  log.track(d, 'd');
  d.cork();
  log.write(d, 'a');
  log.write(d, 'b');
  log.push(d, 'r');
  log.dsnap(d, 'corked');
  d.uncork();
  log.dsnap(d, 'uncorked');
  await log.settle(2);
  d.destroy();
  await log.waitFor(d, 'close');
}, { expect: ["'_writev'"] });

ddifferential('duplex setEncoding affects only the readable side; decodeStrings: false keeps written strings', async (impl, log) => {
  const d = duplex(impl, log, { decodeStrings: false });
  d.setEncoding('hex');
  log.write(d, 'plain', 'latin1');
  log.push(d, Buffer.from('AB'));
  log.read(d);
  log.dsnap(d, 'after');
  d.destroy();
  await log.waitFor(d, 'close');
}, { expect: ["'_write', 'd', 'plain', 'latin1'", "'4142'"] });

// ---------------------------------------------------------------------------
// Identity.

ddifferential('duplex instanceof: Readable, Writable, Duplex, Stream, EventEmitter of node:stream and of the package', async (impl, log) => {
  const d = new impl.Duplex();
  log('node', d instanceof stream.Readable, d instanceof stream.Writable, d instanceof stream.Duplex,
    d instanceof stream.Stream, d instanceof EventEmitter);
  log('pkg', d instanceof impl.Readable, d instanceof impl.Writable, d instanceof impl.Duplex);
  log('not-transform', d instanceof stream.Transform, d instanceof impl.Transform);
  const r = new impl.Readable();
  const w = new impl.Writable();
  log('readable-is-not-duplex', r instanceof impl.Duplex, r instanceof impl.Writable, r instanceof stream.Duplex);
  log('writable-is-not-duplex', w instanceof impl.Duplex, w instanceof impl.Readable, w instanceof stream.Duplex);
  log('is-helpers', stream.isReadable(d), stream.isWritable(d));
}, { expect: ["'node', true, true, true, true, true", "'pkg', true, true, true"] });

// Found by Node's own tests of http2, fs and diagnostics_channel with stream swapped for sluice:
// code that checks `x instanceof stream.Readable` (a body, a destination) is given Node's own
// streams too.
ddifferential("Node's own streams (fs, zlib, net, node:stream's classes) are instances of the classes they are in Node", async (impl, log) => {
  const fs = require('node:fs');
  const zlib = require('node:zlib');
  const net = require('node:net');
  const os = require('node:os');
  const path = require('node:path');
  const file = path.join(os.tmpdir(), `sluice-instanceof-${process.pid}.txt`);
  const objects = {
    fsRead: fs.createReadStream(__filename),
    fsWrite: fs.createWriteStream(file),
    gzip: zlib.createGzip(),
    socket: new net.Socket(),
    nodeReadable: new stream.Readable({ read() {} }),
    nodeWritable: new stream.Writable({ write(c, e, cb) { cb(); } }),
    nodeDuplex: new stream.Duplex({ read() {}, write(c, e, cb) { cb(); } }),
    nodeTransform: new stream.Transform({ transform(c, e, cb) { cb(null, c); } }),
    nodePassThrough: new stream.PassThrough(),
    plain: { _readableState: {}, _writableState: {} },
  };
  class Sub extends impl.Readable {}
  for (const [name, o] of Object.entries(objects)) {
    log(name, o instanceof impl.Stream, o instanceof impl.Readable, o instanceof impl.Writable, o instanceof impl.Duplex,
      o instanceof impl.Transform, o instanceof impl.PassThrough, o instanceof Sub);
    if (typeof o.destroy === 'function') o.destroy();
  }
  await new Promise((resolve) => objects.fsWrite.on('close', resolve));
  fs.rmSync(file, { force: true });
}, { expect: ["'fsRead', true, true, false, false, false, false, false", "'gzip', true, true, true, true, true, false, false"] });

ddifferential('Duplex is callable without new', async (impl, log) => {
  const { Duplex } = impl;
  const d = Duplex({
    read() {},
    write(c, e, cb) {
      log('_write', c);
      cb();
    },
  });
  log.track(d, 'd');
  log('instanceof', d instanceof Duplex, d instanceof stream.Duplex);
  log.write(d, 'hi');
  log.push(d, null);
  d.resume();
  log.end(d);
  await log.waitFor(d, 'close');
}, { expect: ["'instanceof', true, true", "'_write', 'buf:\"hi\"'"] });

ddifferential('util.inherits + Duplex.call(this, opts) subclass works like a class subclass', async (impl, log) => {
  const { Duplex } = impl;
  function Legacy(opts) {
    if (!(this instanceof Legacy)) return new Legacy(opts);
    Duplex.call(this, opts);
    this.seen = [];
  }
  util.inherits(Legacy, Duplex);
  Legacy.prototype._write = function (c, e, cb) {
    this.seen.push(c.toString());
    this.push(c.toString().split('').reverse().join(''));
    cb();
  };
  Legacy.prototype._read = function () {};
  Legacy.prototype._final = function (cb) {
    this.push(null);
    cb();
  };
  const l = new Legacy({ readableHighWaterMark: 3, allowHalfOpen: false });
  log.track(l, 'legacy');
  log('legacy', l instanceof Legacy, l instanceof Duplex, l instanceof stream.Duplex,
    l.readableHighWaterMark, l.writableHighWaterMark, l.allowHalfOpen);
  l.on('data', (c) => log('data', c));
  log.write(l, 'abc');
  log.end(l, 'xyz');
  await log.waitFor(l, 'close');
  log('seen', l.seen);
  const l2 = Legacy();
  log('without-new', l2 instanceof Legacy);
  l2.destroy();
}, { expect: ["'data', 'buf:\"cba\"'", "'without-new', true"] });
