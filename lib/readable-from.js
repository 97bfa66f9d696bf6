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
  let reading = false;
  // A sync iterator whose values are not thenables is read with a plain loop: the async
  // function below would make a promise per _read for nothing (with no await it runs to its end
  // synchronously, so the two are the same to an observer). From the first thenable value on,
  // the async path.
  let asyncValues = isAsync;
  readable._read = function () {
    if (!reading) {
      reading = true;
      if (asyncValues) next();
      else nextSync();
    }
  };
  const originalDestroy = readable._destroy;
  readable._destroy = function (error, cb) {
    if (!since.FROM_CALLS_DESTROY_OPTION) {
      close(error).then(
        () => process.nextTick(cb, error),
        (e) => process.nextTick(cb, e || error),
      );
      return;
    }
    // From Node 24 the stream's own destroy (the `destroy` option, or the prototype's) runs
    // first; the iterator is closed with whichever error came of it, and an error from closing
    // is aggregated with that one.
    originalDestroy.call(this, error, (destroyError) => {
      const combined = destroyError || error;
      close(combined).then(
        () => process.nextTick(cb, combined),
        (e) => process.nextTick(cb, aggregateTwoErrors(combined, e)),
      );
    });
  };
  async function close(error) {
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
  function pushValue(value) {
    if (value === null) {
      reading = false;
      throw new ERR_STREAM_NULL_VALUES();
    }
    if (readable.push(value)) return true;
    reading = false;
    return false;
  }
  function nextSync() {
    for (;;) {
      try {
        const { value, done } = iterator.next();
        if (done) {
          readable.push(null);
        } else if (value && typeof value.then === 'function') {
          asyncValues = true;
          next(value);
        } else if (pushValue(value)) {
          continue;
        }
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  // `first`: a thenable value the sync loop met, awaited as this loop's first value.
  async function next(first) {
    for (;;) {
      try {
        let value;
        let done = false;
        if (first !== undefined) {
          value = first;
          first = undefined;
        } else {
          ({ value, done } = isAsync ? await iterator.next() : iterator.next());
        }
        if (done) {
          readable.push(null);
        } else {
          const res = value && typeof value.then === 'function' ? await value : value;
          if (pushValue(res)) continue;
        }
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  return readable;
}

module.exports = { from };
