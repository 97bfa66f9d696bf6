'use strict';
// Async iteration of a sluice Readable (`for await`, `readable.iterator()`), as the running
// Node iterates: an async generator up to Node 25, a plain async iterator from 26
// (ITER_NOT_GENERATOR); 'readable' wakes the loop, read() takes, finished() ends it.

const NodeStream = require('stream');
const { since } = require('./node-version');
const { AbortError } = require('./errors');
const { aggregateTwoErrors } = require('./destroy');

const ITER_PRESERVES_HALF_OPEN = since.ITER_PRESERVES_HALF_OPEN;
const ITER_NOT_GENERATOR = since.ITER_NOT_GENERATOR;
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

function nop() {}

// Async iteration: 'readable' wakes the loop, read() takes, finished() ends it.
async function* createAsyncIterator(stream, options) {
  let callback = nop;
  function next(resolve) {
    if (this === stream) {
      callback();
      callback = nop;
    } else {
      callback = resolve;
    }
  }
  stream.on('readable', next);
  let error;
  const cleanup = NodeStream.finished(stream, { writable: false }, (err) => {
    error = err ? aggregateTwoErrors(error, err) : null;
    callback();
    callback = nop;
  });
  try {
    while (true) {
      const chunk = stream.destroyed ? null : stream.read();
      if (chunk !== null) {
        yield chunk;
      } else if (error) {
        throw error;
      } else if (error === null) {
        return;
      } else {
        await new Promise(next);
      }
    }
  } catch (err) {
    error = aggregateTwoErrors(error, err);
    throw error;
  } finally {
    // Node 24–25 leave a Duplex whose readable side ended cleanly open for writing.
    const keepHalfOpen =
      ITER_PRESERVES_HALF_OPEN &&
      error === null &&
      stream.allowHalfOpen === true &&
      stream.writable === true &&
      stream.writableEnded !== true;
    if ((error || (options && options.destroyOnReturn) !== false) && (error === undefined || stream._readableState.autoDestroy) && !keepHalfOpen) {
      destroyer(stream, null);
    } else {
      stream.off('readable', next);
      cleanup();
    }
  }
}

// Node 26's iterator: a plain async iterator whose next() answers from a buffered chunk at
// once (no generator hops); requests made while one waits for data are queued in order.
function createPlainAsyncIterator(stream, options) {
  let wake = nop;
  // undefined: active; null: ended cleanly; else the error.
  let error;
  let started = false;
  let done = false;
  let waiting = false;
  let pending = null;
  let draining = false;
  let detach;

  // The 'readable' listener (this === stream), and the executor of the wait for data.
  function onReadable(resolve) {
    if (this === stream) {
      const w = wake;
      wake = nop;
      w();
    } else {
      wake = resolve;
    }
  }

  function start() {
    started = true;
    stream.on('readable', onReadable);
    detach = NodeStream.finished(stream, { writable: false }, (err) => {
      error = err ? aggregateTwoErrors(error, err) : null;
      const w = wake;
      wake = nop;
      w();
    });
  }

  function finish() {
    done = true;
    if ((error || (options && options.destroyOnReturn) !== false) && (error === undefined || stream._readableState.autoDestroy)) {
      destroyer(stream, null);
    } else {
      stream.off('readable', onReadable);
      detach();
    }
  }

  function fail(err, reject) {
    error = aggregateTwoErrors(error, err);
    finish();
    reject(error);
  }

  function settled() {
    waiting = false;
    if (pending !== null) runPending();
  }

  function runPending() {
    if (draining) return;
    draining = true;
    try {
      while (!waiting && pending.length > 0) {
        const req = pending.shift();
        if (req.kind === 0) {
          if (done) {
            req.resolve({ done: true, value: undefined });
          } else {
            if (!started) start();
            waiting = true;
            attempt(req.resolve, req.reject);
          }
        } else if (req.kind === 1) {
          doReturn(req.value, req.resolve);
        } else {
          doThrow(req.value, req.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  // One try at a chunk while `waiting`; waits for 'readable' or the end and tries again.
  function attempt(resolve, reject) {
    const chunk = stream.destroyed ? null : stream.read();
    if (chunk !== null) {
      const then = chunk?.then;
      if (typeof then === 'function') {
        then.call(
          chunk,
          (value) => {
            waiting = false;
            resolve({ done: false, value });
            if (pending !== null) runPending();
          },
          (err) => {
            waiting = false;
            fail(err, reject);
            if (pending !== null) runPending();
          },
        );
        return;
      }
      waiting = false;
      resolve({ done: false, value: chunk });
      if (pending !== null) runPending();
    } else if (error) {
      waiting = false;
      fail(error, reject);
      if (pending !== null) runPending();
    } else if (error === null) {
      waiting = false;
      finish();
      resolve({ done: true, value: undefined });
      if (pending !== null) runPending();
    } else {
      new Promise(onReadable).then(() => attempt(resolve, reject));
    }
  }

  function doReturn(value, resolve) {
    if (!done) {
      if (started) finish();
      else done = true;
    }
    resolve({ done: true, value });
  }

  function doThrow(err, reject) {
    if (done || !started) {
      done = true;
      reject(err);
      return;
    }
    fail(err, reject);
  }

  function enqueue(kind, value) {
    return new Promise((resolve, reject) => {
      pending ??= [];
      pending.push({ kind, value, resolve, reject });
    });
  }

  return {
    __proto__: AsyncIteratorPrototype,
    next() {
      if (!waiting && !done) {
        if (!started) start();
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) {
          const then = chunk?.then;
          if (typeof then === 'function') {
            waiting = true;
            return then.call(
              chunk,
              (value) => {
                settled();
                return { done: false, value };
              },
              (err) => {
                waiting = false;
                error = aggregateTwoErrors(error, err);
                finish();
                if (pending !== null) runPending();
                throw error;
              },
            );
          }
          return Promise.resolve({ done: false, value: chunk });
        }
        if (error) {
          finish();
          return Promise.reject(error);
        }
        if (error === null) {
          finish();
          return Promise.resolve({ done: true, value: undefined });
        }
        waiting = true;
        return new Promise((resolve, reject) => {
          new Promise(onReadable).then(() => attempt(resolve, reject));
        });
      }
      if (waiting) return enqueue(0);
      return new Promise((resolve) => resolve({ done: true, value: undefined }));
    },
    return(value) {
      if (waiting) return enqueue(1, value);
      return new Promise((resolve) => doReturn(value, resolve));
    },
    throw(err) {
      if (waiting) return enqueue(2, err);
      return new Promise((resolve, reject) => doThrow(err, reject));
    },
  };
}

function destroyer(stream, err) {
  if (!stream || stream.destroyed) return;
  if (!err && !(stream.readableEnded && (!stream._writableState || stream.writableFinished))) err = new AbortError();
  // A stream whose destroy was taken away but that has close() (a non-standard one) is closed.
  if (typeof stream.destroy === 'function') stream.destroy(err);
  else if (typeof stream.close === 'function') stream.close();
}

function streamToAsyncIterator(stream, options) {
  if (typeof stream.read !== 'function') {
    // A stream without read() (a legacy `Stream` given the method): iterated through an object
    // mode Readable.wrap of it, as Node iterates one (its destroy or close is called at the end).
    stream = require('./readable').wrap(stream, { objectMode: true });
  }
  const iter = ITER_NOT_GENERATOR ? createPlainAsyncIterator(stream, options) : createAsyncIterator(stream, options);
  iter.stream = stream;
  return iter;
}

module.exports = { streamToAsyncIterator };
