'use strict';
// `readable[Symbol.for('Stream.toAsyncStreamable')]()` (Node >= 24, behind
// --experimental-stream-iter): the readable as a source of the stream/iter API, an async
// iterator of batches (arrays of Uint8Array), each batch everything buffered at that moment (at
// most 128 chunks). Byte-mode chunks are handed over as they are; object-mode / encoded chunks
// are turned into bytes (strings as UTF-8, ArrayBuffer / views as their bytes, promises awaited,
// iterables flattened). Ending the iteration destroys the stream as `for await` does.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const NodeStream = require('stream');

const MAX_BATCH = 128;
const encoder = new TextEncoder();

function flagGiven() {
  const opts = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS || ''}`;
  return /(^|\s)--experimental-stream-iter(\s|=|$)/.test(opts);
}

function missingFlag() {
  const err = new TypeError('The stream/iter API requires the --experimental-stream-iter flag');
  err.code = 'ERR_STREAM_ITER_MISSING_FLAG';
  return err;
}

async function* bytesOf(value) {
  if (value && typeof value.then === 'function') {
    yield* bytesOf(await value);
  } else if (typeof value === 'string') {
    yield encoder.encode(value);
  } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    yield new Uint8Array(value);
  } else if (ArrayBuffer.isView(value)) {
    yield value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } else if (value != null && (typeof value[Symbol.asyncIterator] === 'function' || typeof value[Symbol.iterator] === 'function')) {
    for await (const inner of value) yield* bytesOf(inner);
  } else {
    throw notBytes(value);
  }
}

/** Node's refusal of a chunk that is no kind of bytes (a plain object, a number, ...). */
function notBytes(value) {
  const { ERR_INVALID_ARG_TYPE } = require('./validate');
  const err = new ERR_INVALID_ARG_TYPE('value', ['string', 'ArrayBuffer', 'ArrayBufferView', 'Iterable', 'AsyncIterable'], value);
  err.message = err.message.replace(
    'or AsyncIterable.', 'or AsyncIterable or one of toStreamable or toAsyncStreamable.');
  return err;
}

async function normalize(batch) {
  const out = [];
  for (const chunk of batch) {
    if (chunk instanceof Uint8Array) out.push(chunk);
    else for await (const b of bytesOf(chunk)) out.push(b);
  }
  return out.length ? out : null;
}

async function* batches(stream, convert) {
  let wake = null;
  let error; // undefined: running, null: ended, else the error
  const poke = () => {
    const w = wake;
    wake = null;
    if (w) w();
  };
  stream.on('readable', poke);
  const cleanup = NodeStream.finished(stream, { writable: false }, (err) => {
    error = err ? (error && error !== err ? new AggregateError([error, err]) : err) : null;
    poke();
  });
  try {
    for (;;) {
      const first = stream.destroyed ? null : stream.read();
      if (first !== null) {
        const batch = [first];
        while (batch.length < MAX_BATCH && stream.readableLength > 0) {
          const more = stream.read();
          if (more === null) break;
          batch.push(more);
        }
        if (convert) {
          const converted = await normalize(batch);
          if (converted !== null) yield converted;
        } else {
          yield batch;
        }
      } else if (error) {
        throw error;
      } else if (error === null) {
        return;
      } else {
        await new Promise((resolve) => {
          wake = resolve;
        });
      }
    }
  } catch (err) {
    error = error || err;
    throw err;
  } finally {
    if (error === undefined || stream._readableState?.autoDestroy) {
      NodeStream.destroy(stream, null);
    } else {
      stream.off('readable', poke);
      cleanup();
    }
  }
}

function toAsyncStreamable() {
  if (!flagGiven()) throw missingFlag();
  const state = this._readableState;
  const iter = batches(this, !!(state && (state.objectMode || state.encoding)));
  iter.stream = this;
  return iter;
}

module.exports = { toAsyncStreamable };
