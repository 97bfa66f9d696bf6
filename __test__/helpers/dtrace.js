'use strict';

// Duplex / Transform helpers for the differential harness, built on
// ./rtrace.js (which runs each scenario against node:stream and against the
// whole sluice package). `ddifferential` is `rdifferential` with a few more
// loggers on `log`:
//   log.dsnap(stream, tag)   both sides' properties (Readable + Writable
//                            props, allowHalfOpen, isPaused()) in one entry
//   log.write(w, ...args)    w.write(...args): return value (or what it threw)
//                            and writableLength / readableLength after
//   log.end(w, ...args)      w.end(...args): logs whether it returned w
// and factories:
//   duplex(impl, log, opts)     a tracked Duplex whose _write logs and calls
//                               back per `how`, whose _read logs its size and
//                               is driven manually by the scenario
//   transform(impl, log, opts)  a tracked Transform that logs its _transform
//                               calls and (optionally) maps the chunk

const trace = require('./trace');
const { rdifferential, READABLE_PROPS } = require('./rtrace');
const { complete } = require('./sinks');

const DUPLEX_PROPS = Array.from(new Set([
  ...READABLE_PROPS,
  ...trace.WRITABLE_PROPS,
  'allowHalfOpen',
]));

function dprops(stream) {
  const out = trace.props(stream, DUPLEX_PROPS);
  try {
    out.isPaused = stream.isPaused();
  } catch (err) {
    out.isPaused = { threw: trace.shape(err) };
  }
  return out;
}

function extendDuplexLog(log) {
  log.dsnap = (stream, tag = '') => log('dsnap', tag, dprops(stream));

  log.write = (w, ...args) => {
    let ret;
    try {
      ret = w.write(...args);
    } catch (err) {
      log('write-threw', args.filter((a) => typeof a !== 'function'), err);
      return undefined;
    }
    log('write', args.filter((a) => typeof a !== 'function'), ret, w.writableLength, w.readableLength);
    return ret;
  };

  log.end = (w, ...args) => {
    let ret;
    try {
      ret = w.end(...args);
    } catch (err) {
      log('end-threw', err);
      return undefined;
    }
    log('end', ret === w);
    return ret;
  };
  return log;
}

// ddifferential(name, scenario[, options]): as rdifferential, with the
// Duplex loggers above.
function ddifferential(name, scenario, options = {}) {
  return rdifferential(name, (impl, log) => scenario(impl, extendDuplexLog(log)), options);
}

// A tracked Duplex.
//   opts: Duplex options (passed through), plus
//     how:    _write completion ('sync' | 'nextTick' | 'immediate' | 'hold' | ms)
//     label:  trace label (default 'd')
//     quiet:  do not log _write/_read calls
function duplex(impl, log, opts = {}) {
  const { how = 'sync', label = 'd', quiet = false, ...options } = opts;
  const pending = [];
  const d = new impl.Duplex({
    ...options,
    write(chunk, encoding, cb) {
      if (!quiet) log('_write', label, chunk, encoding, this.writableLength);
      complete(how, cb, pending);
    },
    read(size) {
      this.$reads++;
      if (!quiet) log('_read', label, size, this.readableLength);
    },
  });
  d.$reads = 0;
  d.$pending = pending;
  d.$release = (err) => {
    const cb = pending.shift();
    if (!cb) throw new Error('nothing pending');
    if (err === undefined) cb();
    else cb(err);
  };
  log.track(d, label);
  return d;
}

// A tracked Transform.
//   opts: Transform options (passed through), plus
//     map:    chunk -> value handed to the callback (default: identity)
//     how:    when the _transform callback runs (as sinks.complete)
//     label:  trace label (default 't')
//     quiet:  do not log _transform calls
function transform(impl, log, opts = {}) {
  const { map = (c) => c, how = 'sync', label = 't', quiet = false, ...options } = opts;
  const pending = [];
  const t = new impl.Transform({
    ...options,
    transform(chunk, encoding, cb) {
      this.$calls++;
      if (!quiet) log('_transform', label, chunk, encoding, this.writableLength, this.readableLength);
      complete(how, () => cb(null, map(chunk)), pending);
    },
  });
  t.$calls = 0;
  t.$pending = pending;
  log.track(t, label);
  return t;
}

module.exports = {
  ddifferential,
  extendDuplexLog,
  duplex,
  transform,
  dprops,
  DUPLEX_PROPS,
};
