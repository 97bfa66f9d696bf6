'use strict';
// `Duplex.from(body)`: a sluice Duplex (or the body itself, when it already is a duplex) for every
// kind of body node:stream accepts: a stream (readable, writable or duplex), a web stream or
// { readable, writable } web pair, a Blob, a string / iterable / async iterable, a promise, an
// object { readable, writable } of any of those, or a function taking the written chunks as an
// async iterable and returning an iterable (a transform) or a promise (a sink).
//
// The adapters are sluice Duplexes over the wrapped streams' public methods; ending, errors and
// destruction travel both ways as they do through node:stream's (finished / destroy, which only
// drive streams, are node:stream's).

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const NodeStream = require('stream');
const { since } = require('./node-version');
const kinds = require('./kinds');
const {
  AbortError,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_RETURN_VALUE,
} = require('./validate');

const eos = NodeStream.finished;
const destroyer = NodeStream.destroy;

module.exports = function makeDuplexify({ Duplex, Readable, Writable, fromWith }) {
  /** The Duplex subclass the adapters are (Node calls it Duplexify too). */
  class Duplexify extends Duplex {}

  function duplexify(body, name) {
    if (kinds.isDuplexNodeStream(body)) return body;
    if (kinds.isReadableNodeStream(body)) return pair({ readable: body });
    if (kinds.isWritableNodeStream(body)) return pair({ writable: body });
    if (kinds.isNodeStream(body)) return pair({ readable: false, writable: false });
    if (kinds.isReadableStream(body)) return pair({ readable: Readable.fromWeb(body) });
    if (kinds.isWritableStream(body)) return pair({ writable: Writable.fromWeb(body) });
    if (typeof body === 'function') return fromFunction(body, name);
    if (kinds.isBlob(body)) return duplexify(body.arrayBuffer(), name);
    if (kinds.isIterable(body)) return fromWith(Duplexify, body, { objectMode: true, writable: false });
    if (kinds.isReadableStream(body?.readable) && kinds.isWritableStream(body?.writable)) {
      return Duplexify.fromWeb(body);
    }
    if (typeof body?.writable === 'object' || typeof body?.readable === 'object') {
      const readable = body?.readable
        ? (kinds.isReadableNodeStream(body.readable) ? body.readable : duplexify(body.readable))
        : undefined;
      const writable = body?.writable
        ? (kinds.isWritableNodeStream(body.writable) ? body.writable : duplexify(body.writable))
        : undefined;
      return pair({ readable, writable });
    }
    if (typeof body?.then === 'function') return fromPromise(body);
    throw new ERR_INVALID_ARG_TYPE(name, [
      'Blob', 'ReadableStream', 'WritableStream', 'Stream', 'Iterable', 'AsyncIterable', 'Function',
      '{ readable, writable } pair', 'Promise'], body);
  }

  /** A readable-only Duplex of what the promise resolves to (nothing for null / undefined). */
  function fromPromise(promise) {
    const d = new Duplexify({ objectMode: true, writable: false, read() {} });
    promise.then(
      (value) => {
        if (value != null) d.push(value);
        d.push(null);
      },
      (err) => destroyer(d, err),
    );
    return d;
  }

  /**
   * `fn(source, { signal })`: `source` yields what is written to the Duplex; the result is
   * either the readable side (an iterable) or the completion of a sink (a promise).
   */
  function fromFunction(fn, name) {
    const input = writtenChunks();
    const value = fn(input.source, { signal: input.signal });
    if (kinds.isDuplexNodeStream(value)) return value; // fn was a stream constructor
    if (kinds.isIterable(value)) {
      const d = fromWith(Duplexify, value, {
        objectMode: true,
        write: input.write,
        final: input.final,
        destroy: input.destroy,
      });
      if (since.FROM_CALLS_DESTROY_OPTION) {
        // From 24 Readable.from runs the `destroy` option before closing the iterator (which
        // lets a function waiting for input see the abort). lib/readable.js's `from` does not
        // yet, so the Duplex does it here.
        const closeIterator = d._destroy;
        d._destroy = function (error, cb) {
          input.destroy.call(this, error, (destroyError) => closeIterator.call(this, destroyError || error, cb));
        };
      }
      return d;
    }
    if (typeof value?.then === 'function') {
      let d;
      let finalStarted = false;
      const done = value.then(
        (result) => {
          if (result != null) throw new ERR_INVALID_RETURN_VALUE('nully', 'body', result);
          // Returned before taking all the input: tear down so a pipeline sees it (Node >= 24).
          if (since.DUPLEXIFY_EARLY_RETURN_DESTROYS && !finalStarted) destroyer(d);
        },
        (err) => destroyer(d, err),
      );
      d = new Duplexify({
        objectMode: true,
        readable: false,
        write: input.write,
        final(cb) {
          finalStarted = true;
          input.final(() => {
            done.then(() => process.nextTick(cb, null), (err) => process.nextTick(cb, err));
          });
        },
        destroy: input.destroy,
      });
      return d;
    }
    throw new ERR_INVALID_RETURN_VALUE('Iterable, AsyncIterable or AsyncFunction', name, value);
  }

  /**
   * The written side of a function body: `write`/`final` hand each chunk (then the end) to the
   * async generator `source` the function reads, one at a time; the write callback runs once
   * the function asks for the next chunk.
   */
  function writtenChunks() {
    const ac = new AbortController();
    const signal = ac.signal;
    let handoff = deferred();
    let deliver = handoff.resolve;
    const source = (async function* () {
      for (;;) {
        const current = handoff.promise;
        handoff = null;
        const { chunk, done, cb } = await current;
        process.nextTick(cb);
        if (done) return;
        if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
        handoff = deferred();
        deliver = handoff.resolve;
        yield chunk;
      }
    })();
    const take = () => {
      const d = deliver;
      deliver = null;
      return d;
    };
    return {
      source,
      signal,
      write(chunk, encoding, cb) {
        take()({ chunk, done: false, cb });
      },
      final(cb) {
        take()({ done: true, cb });
      },
      destroy(err, cb) {
        if (since.DUPLEXIFY_EARLY_RETURN_DESTROYS) {
          ac.abort(err);
          // A source waiting for the next chunk learns of the abort by ending.
          if (deliver !== null) take()({ done: true, cb() {} });
        } else {
          ac.abort();
        }
        cb(err);
      },
    };
  }

  function deferred() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  /** A Duplex whose writes go to `writable` and whose reads come from `readable`. */
  function pair({ readable: rIn, writable: w }) {
    const r = rIn && typeof rIn.read !== 'function' ? Readable.wrap(rIn) : rIn;
    let readable = !!NodeStream.isReadable(r);
    let writable = !!NodeStream.isWritable(w);
    let ondrain = null;
    let onfinish = null;
    let onreadable = null;
    let onclose;
    let d;

    const call = (cb) => cb && cb();
    const closed = (err) => {
      const cb = onclose;
      onclose = null;
      if (cb) cb(err);
      else if (err) d.destroy(err);
    };

    d = new Duplexify({
      readableObjectMode: !!r?.readableObjectMode,
      writableObjectMode: !!w?.writableObjectMode,
      readable,
      writable,
    });

    if (writable) {
      eos(w, (err) => {
        writable = false;
        if (err) destroyer(r, err);
        closed(err);
      });
      d._write = function (chunk, encoding, callback) {
        if (w.write(chunk, encoding)) callback();
        else ondrain = callback;
      };
      d._final = function (callback) {
        w.end();
        onfinish = callback;
      };
      w.on('drain', () => {
        const cb = ondrain;
        ondrain = null;
        call(cb);
      });
      w.on('finish', () => {
        const cb = onfinish;
        onfinish = null;
        call(cb);
      });
    }

    if (readable) {
      eos(r, (err) => {
        readable = false;
        // Node before 24 passed the error back to the readable itself.
        if (err) destroyer(since.DUPLEXIFY_EARLY_RETURN_DESTROYS ? w : r, err);
        closed(err);
      });
      r.on('readable', () => {
        const cb = onreadable;
        onreadable = null;
        call(cb);
      });
      r.on('end', () => d.push(null));
      d._read = function () {
        for (;;) {
          const chunk = r.read();
          if (chunk === null) {
            onreadable = d._read;
            return;
          }
          if (!d.push(chunk)) return;
        }
      };
    }

    d._destroy = function (err, callback) {
      if (!err && onclose !== null) err = new AbortError();
      onreadable = null;
      ondrain = null;
      onfinish = null;
      if (onclose === null) {
        callback(err);
      } else {
        onclose = callback;
        destroyer(w, err);
        destroyer(r, err);
      }
    };
    return d;
  }

  return { duplexify, Duplexify, pair };
};
