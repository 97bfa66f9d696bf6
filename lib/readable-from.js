'use strict';
// `Readable.from(iterable | asyncIterable | string | Buffer[, options])`: a stream of the given
// class (`Readable`, or a subclass's) over an iterable, pulling one item per `_read`.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { Buffer } = require('buffer');
const { since } = require('./node-version');
const { ERR_INVALID_ARG_TYPE, ERR_STREAM_NULL_VALUES } = require('./errors');
const { aggregateTwoErrors } = require('./destroy');

function from(Ctor, iterable, opts) {
  if (typeof iterable === 'string' || iterable instanceof Buffer) {
    return new Ctor({
      objectMode: true,
      ...opts,
      read() {
        this.push(iterable);
        this.push(null);
      },
    });
  }
  let isAsync;
  let iterator;
  if (iterable && iterable[Symbol.asyncIterator]) {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && iterable[Symbol.iterator]) {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw new ERR_INVALID_ARG_TYPE('iterable', ['Iterable'], iterable);
  }
  const readable = new Ctor({ objectMode: true, highWaterMark: 1, ...opts });
  // The iteration's state in one object, and the stream's hooks shared by every such stream
  // (own properties, as Node's are): a short stream's making is one allocation here, not a
  // closure per helper.
  readable[kFrom] = new FromState(readable, iterator, isAsync);
  readable._read = fromRead;
  readable._destroy = fromDestroy;
  return readable;
}

const kFrom = Symbol('sluice.fromState');

class FromState {
  constructor(readable, iterator, isAsync) {
    this.readable = readable;
    this.iterator = iterator;
    this.isAsync = isAsync;
    this.reading = false;
    // A sync iterator whose values are not thenables is read with a plain loop: the async
    // function below would make a promise per _read for nothing (with no await it runs to its
    // end synchronously, so the two are the same to an observer). From the first thenable
    // value on, the async path.
    this.asyncValues = isAsync;
    // The stream's own `_destroy` before `from` set its own (Node 24 runs it first).
    this.originalDestroy = readable._destroy;
  }
}

function fromRead() {
  const st = this[kFrom];
  if (!st.reading) {
    st.reading = true;
    if (st.asyncValues) next(st);
    else nextSync(st);
  }
}

function fromDestroy(error, cb) {
  const st = this[kFrom];
  if (!since.FROM_CALLS_DESTROY_OPTION) {
    close(st, error).then(
      () => process.nextTick(cb, error),
      (e) => process.nextTick(cb, e || error),
    );
    return;
  }
  // From Node 24 the stream's own destroy (the `destroy` option, or the prototype's) runs
  // first; the iterator is closed with whichever error came of it, and an error from closing
  // is aggregated with that one.
  st.originalDestroy.call(this, error, (destroyError) => {
    const combined = destroyError || error;
    close(st, combined).then(
      () => process.nextTick(cb, combined),
      (e) => process.nextTick(cb, aggregateTwoErrors(combined, e)),
    );
  });
}

async function close(st, error) {
  const iterator = st.iterator;
  const hadError = error !== undefined && error !== null;
  const hasThrow = typeof iterator.throw === 'function';
  if (hadError && hasThrow) {
    const { value, done } = await iterator.throw(error);
    await value;
    if (done) return;
  }
  if (typeof iterator.return === 'function') {
    const { value } = await iterator.return();
    await value;
  }
}

// Pushes one value: true while the stream wants more now (a null value is an error).
function pushValue(st, value) {
  if (value === null) {
    st.reading = false;
    throw new ERR_STREAM_NULL_VALUES();
  }
  if (st.readable.push(value)) return true;
  st.reading = false;
  return false;
}

function nextSync(st) {
  const readable = st.readable;
  const iterator = st.iterator;
  for (;;) {
    try {
      const { value, done } = iterator.next();
      if (done) {
        readable.push(null);
      } else if (value && typeof value.then === 'function') {
        st.asyncValues = true;
        next(st, value);
      } else if (pushValue(st, value)) {
        continue;
      }
    } catch (err) {
      readable.destroy(err);
    }
    break;
  }
}

// `first`: a thenable value the sync loop met, awaited as this loop's first value.
async function next(st, first) {
  const readable = st.readable;
  const iterator = st.iterator;
  for (;;) {
    try {
      let value;
      let done = false;
      if (first !== undefined) {
        value = first;
        first = undefined;
      } else {
        ({ value, done } = st.isAsync ? await iterator.next() : iterator.next());
      }
      if (done) {
        readable.push(null);
      } else {
        const res = value && typeof value.then === 'function' ? await value : value;
        if (pushValue(st, res)) continue;
      }
    } catch (err) {
      readable.destroy(err);
    }
    break;
  }
}

module.exports = { from };
