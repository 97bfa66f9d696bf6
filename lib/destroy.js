'use strict';
// Destruction, construction and error emission, shared by every sluice stream. These steps
// work on `_writableState` and (for a Duplex) `_readableState` through a small protocol the
// state objects implement (`recordError`, `markClosed`, `markErrorEmitted`, `markCloseEmitted`,
// `markConstructed`), so the flags they touch stay in the Rust cores.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { ERR_MULTIPLE_CALLBACK } = require('./errors');
const { kWords, kW } = require('./symbols');
// Word 0 of the shared block is the flags word in both cores (protocol.rs checks it).
const { U_FLAGS } = require('./protocol').writable;

const kConstruct = Symbol('kConstruct');
const kDestroy = Symbol('kDestroy');
const kOnFinished = Symbol('kOnFinished');

function recordError(state, err) {
  if (!state) return;
  if (typeof state.recordError === 'function') state.recordError(err);
  else if (!state.errored) state.errored = err;
}

function aggregateTwoErrors(innerError, outerError) {
  if (innerError && outerError && innerError !== outerError) {
    if (Array.isArray(outerError.errors)) {
      outerError.errors.push(innerError);
      return outerError;
    }
    const err = new AggregateError([outerError, innerError], outerError.message);
    err.code = outerError.code;
    return err;
  }
  return innerError || outerError;
}

/**
 * Node's `destroy(err, cb)` for any sluice stream: record the error on each side, mark each
 * side destroyed, then run `_destroy` (after `_construct` has called back, if it has not).
 */
function destroy(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return this;
  }
  if (err) {
    // eslint-disable-next-line no-unused-expressions
    err.stack;
    recordError(w, err);
    recordError(r, err);
  }
  if (w) w.markDestroyed();
  if (r) r.markDestroyed();
  const s = w || r;
  destroyWith(this, err, cb, !s.constructed);
  return this;
}

/** The part of `destroy()` after the states are marked destroyed: run `_destroy`. */
function destroyWith(stream, err, cb, waitConstruct) {
  if (waitConstruct) {
    stream.once(kDestroy, function (er) {
      runDestroy(this, aggregateTwoErrors(er, err), cb);
    });
  } else {
    runDestroy(stream, err, cb);
  }
}

function runDestroy(self, err, cb) {
  let called = false;
  function onDestroy(err) {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    if (err) {
      // eslint-disable-next-line no-unused-expressions
      err.stack;
      recordError(w, err);
      recordError(r, err);
    }
    // (Each mark a standing answer of its core: no call.)
    if (w) w.markClosed();
    if (r) r.markClosed();
    if (typeof cb === 'function') cb(err);
    if (err) process.nextTick(emitErrorCloseNT, self, err);
    else process.nextTick(emitCloseNT, self);
  }
  try {
    self._destroy(err || null, onDestroy);
  } catch (err) {
    onDestroy(err);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  let emit = false;
  if (w && w.markCloseEmitted()) emit = true;
  if (r && r.markCloseEmitted()) emit = true;
  if (emit) self.emit('close');
}

function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.markErrorEmitted();
  if (r) r.markErrorEmitted();
  self.emit('error', err);
}

/**
 * Node's `_undestroy()`: after a destruction, make the stream usable again (each core clears
 * its destruction and finish facts; a side created disabled stays over). A state that is not a
 * sluice one (a subclass mixing in Node's) is reset field by field, as Node does.
 */
function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    if (typeof r.undestroy === 'function') r.undestroy();
    else resetFields(r, 'readable', ['ended', 'endEmitted'], ['closed', 'closeEmitted', 'destroyed', 'errorEmitted', 'reading']);
  }
  if (w) {
    if (typeof w.undestroy === 'function') w.undestroy();
    else resetFields(w, 'writable', ['ended', 'ending', 'finished'], ['destroyed', 'closed', 'closeEmitted', 'errorEmitted', 'finalCalled', 'prefinished']);
  }
}

function resetFields(state, side, over, cleared) {
  state.constructed = true;
  for (const k of cleared) state[k] = false;
  state.errored = null;
  for (const k of over) state[k] = state[side] === false;
}

// Node's internal stream helpers (its errorOrDestroy and error step, reached through the
// Node prototype methods sluice streams inherit, such as `Readable.prototype.wrap`) read and set
// the state's bitfield under Node's private `kState` symbol, not the named fields. The bits they
// use are shared by both sides and the same in Node 20 to 26: objectMode, errorEmitted,
// autoDestroy, emitClose, destroyed, closed, closeEmitted, errored, constructed (bits 0 to 8).
const NodeStream = require('stream');
const kState = Object.getOwnPropertySymbols(new NodeStream.Readable()._readableState).find(
  (sym) => sym.description === 'kState',
);
const COMMON_BITS = ['objectMode', 'errorEmitted', 'autoDestroy', 'emitClose', 'destroyed', 'closed', 'closeEmitted', 'errored', 'constructed'];

/**
 * Gives a sluice state class Node's `kState` bitfield over the core's flags: `bits` maps each
 * name of COMMON_BITS to the core bit (`objectMode` is read from the state), `always` are
 * bits reported set whatever the state, `setBit(state, coreBit, on)` applies an assignment.
 */
function defineNodeStateBits(proto, bits, always, setBit) {
  if (!kState) return;
  const pairs = COMMON_BITS.map((name, i) => [1 << i, bits[name]]);
  const read = (state) => {
    const fl = state[kWords][state[kW] + U_FLAGS];
    let v = always | (state.objectMode ? 1 : 0);
    for (const [nodeBit, coreBit] of pairs) if (coreBit && fl & coreBit) v |= nodeBit;
    return v;
  };
  Object.defineProperty(proto, kState, {
    get() {
      return read(this);
    },
    set(v) {
      const changed = read(this) ^ v;
      for (const [nodeBit, coreBit] of pairs) if (coreBit && changed & nodeBit) setBit(this, coreBit, (v & nodeBit) !== 0);
    },
    enumerable: false,
    configurable: true,
  });
}

/** Node's `errorOrDestroy`: destroy with the error when auto-destroying, else just emit it. */
function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    // eslint-disable-next-line no-unused-expressions
    err.stack;
    recordError(w, err);
    recordError(r, err);
    if (sync) process.nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}

/** Runs `_construct` on the next tick; `cb` runs once it has called back without error. */
function construct(stream, cb) {
  stream.once(kConstruct, cb);
  if (stream.listenerCount(kConstruct) > 1) return; // a Duplex: both sides wait for one call
  process.nextTick(constructNT, stream);
}

function constructNT(stream) {
  let called = false;
  function onConstruct(err) {
    if (called) {
      errorOrDestroy(stream, err ?? new ERR_MULTIPLE_CALLBACK());
      return;
    }
    called = true;
    const r = stream._readableState;
    const w = stream._writableState;
    const s = w || r;
    if (r) r.markConstructed();
    if (w) w.markConstructed();
    if (s.destroyed) stream.emit(kDestroy, err);
    else if (err) errorOrDestroy(stream, err, true);
    else stream.emit(kConstruct);
  }
  try {
    stream._construct((err) => {
      process.nextTick(onConstruct, err);
    });
  } catch (err) {
    process.nextTick(onConstruct, err);
  }
}

module.exports = {
  kConstruct,
  kDestroy,
  kOnFinished,
  aggregateTwoErrors,
  destroy,
  undestroy,
  defineNodeStateBits,
  destroyWith,
  recordError,
  errorOrDestroy,
  emitErrorNT,
  emitCloseNT,
  construct,
};
