'use strict';
// Web streams interop. `fromWeb` builds sluice streams over a WHATWG ReadableStream /
// WritableStream / { readable, writable } pair (reads through its reader, writes through its
// writer, cancel / abort on destroy). `toWeb` hands the sluice stream to node:stream's web
// adapter, which only drives it through its public methods (pause/resume, 'data', write, end,
// destroy, finished) and returns a web stream.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const NodeStream = require('stream');
const { Buffer } = require('buffer');
const kinds = require('./kinds');
const { since } = require('./node-version');
const { ERR_STREAM_PREMATURE_CLOSE } = require('./errors');
const { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, validateObject } = require('./validate');

const destroy = NodeStream.destroy;
const encoder = new TextEncoder();

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw new ERR_INVALID_ARG_TYPE(name, 'boolean', value);
}

/** Before Node 24 the adapters passed name and value the other way round. */
function badEncoding(encoding) {
  return since.WEB_ENCODING_ERROR_NAMED
    ? new ERR_INVALID_ARG_VALUE('options.encoding', encoding)
    : new ERR_INVALID_ARG_VALUE(encoding, 'options.encoding');
}

/** The write hooks of a Writable (or a Duplex's writable side) over a web writer. */
function writeHooks(self, writer, decodeStrings, objectMode) {
  return {
    writev(chunks, callback) {
      const done = (errors) => {
        const failed = [].concat(errors).filter(Boolean);
        settle(self(), callback, failed.length ? failed[0] : undefined);
      };
      writer.ready.then(() => Promise.all(chunks.map((c) => writer.write(c.chunk))).then(() => done([]), done), done);
    },
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) chunk = bytesOf(chunk, encoding);
      const done = (err) => settle(self(), callback, err);
      writer.ready.then(() => writer.write(chunk).then(() => done(), done), done);
    },
  };
}

/** Calls a destroy callback from a promise reaction; what it throws is thrown on a later tick. */
function callBack(callback, error) {
  try {
    callback(error);
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

/** What a web writer takes for a string written in byte mode. */
function bytesOf(chunk, encoding) {
  const enc = String(encoding || 'utf8').toLowerCase();
  if (enc === 'utf8' || enc === 'utf-8') return encoder.encode(chunk);
  const buf = Buffer.from(chunk, encoding);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Calls `callback(error)`, turning a throw into the stream's error (outside the promise job). */
function settle(stream, callback, error) {
  try {
    callback(error);
  } catch (err) {
    process.nextTick(() => destroy(stream, err));
  }
}

/** A sluice function calling node:stream's `Cls[key]` (same name and length). */
function delegate(Cls, key) {
  const fn = function (...args) {
    return Cls[key](...args);
  };
  Object.defineProperty(fn, 'name', { value: Cls[key].name });
  Object.defineProperty(fn, 'length', { value: Cls[key].length });
  return fn;
}

module.exports = function makeWeb({ Readable, Writable, Duplex }) {
  function readableFromWeb(readableStream, options = {}) {
    if (!kinds.isReadableStream(readableStream)) {
      throw new ERR_INVALID_ARG_TYPE('readableStream', 'ReadableStream', readableStream);
    }
    validateObject(options, 'options');
    const { highWaterMark, encoding, objectMode = false, signal } = options;
    if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw badEncoding(encoding);
    validateBoolean(objectMode, 'options.objectMode');
    const reader = readableStream.getReader();
    let closed = false;
    const readable = new Readable({
      objectMode,
      highWaterMark,
      encoding,
      signal,
      read() {
        reader.read().then(
          ({ value, done }) => readable.push(done ? null : value),
          (err) => destroy(readable, err),
        );
      },
      destroy(error, callback) {
        const done = () => callBack(callback, error);
        if (closed) done();
        else reader.cancel(error).then(done, done);
      },
    });
    reader.closed.then(
      () => {
        closed = true;
      },
      (err) => {
        closed = true;
        destroy(readable, err);
      },
    );
    return readable;
  }

  function writableFromWeb(writableStream, options = {}) {
    if (!kinds.isWritableStream(writableStream)) {
      throw new ERR_INVALID_ARG_TYPE('writableStream', 'WritableStream', writableStream);
    }
    validateObject(options, 'options');
    const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
    validateBoolean(objectMode, 'options.objectMode');
    validateBoolean(decodeStrings, 'options.decodeStrings');
    const writer = writableStream.getWriter();
    let closed = false;
    const writable = new Writable({
      highWaterMark,
      objectMode,
      decodeStrings,
      signal,
      ...writeHooks(() => writable, writer, decodeStrings, objectMode),
      destroy(error, callback) {
        const done = () => callBack(callback, error);
        if (closed) done();
        else if (error != null) writer.abort(error).then(done, done);
        else writer.close().then(done, done);
      },
      final(callback) {
        const done = (err) => settle(writable, callback, err);
        if (!closed) writer.close().then(() => done(), done);
      },
    });
    writer.closed.then(
      () => {
        closed = true;
        if (!writable.writableEnded) destroy(writable, new ERR_STREAM_PREMATURE_CLOSE());
      },
      (err) => {
        closed = true;
        destroy(writable, err);
      },
    );
    return writable;
  }

  function duplexFromWeb(pair = {}, options = {}) {
    validateObject(pair, 'pair');
    const { readable: readableStream, writable: writableStream } = pair;
    if (!kinds.isReadableStream(readableStream)) {
      throw new ERR_INVALID_ARG_TYPE('pair.readable', 'ReadableStream', readableStream);
    }
    if (!kinds.isWritableStream(writableStream)) {
      throw new ERR_INVALID_ARG_TYPE('pair.writable', 'WritableStream', writableStream);
    }
    validateObject(options, 'options');
    const { allowHalfOpen = false, objectMode = false, encoding, decodeStrings = true, highWaterMark, signal } = options;
    validateBoolean(objectMode, 'options.objectMode');
    if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw badEncoding(encoding);
    const writer = writableStream.getWriter();
    const reader = readableStream.getReader();
    let writableClosed = false;
    let readableClosed = false;
    const duplex = new Duplex({
      allowHalfOpen,
      highWaterMark,
      objectMode,
      encoding,
      decodeStrings,
      signal,
      ...writeHooks(() => duplex, writer, decodeStrings, objectMode),
      final(callback) {
        const done = (err) => settle(duplex, callback, err);
        if (!writableClosed) writer.close().then(() => done(), done);
      },
      read() {
        reader.read().then(
          ({ value, done }) => duplex.push(done ? null : value),
          (err) => destroy(duplex, err),
        );
      },
      destroy(error, callback) {
        const done = () => callBack(callback, error);
        if (writableClosed && readableClosed) {
          done();
          return;
        }
        Promise.all([
          writableClosed ? undefined : writer.abort(error),
          readableClosed ? undefined : reader.cancel(error),
        ]).then(done, done);
      },
    });
    writer.closed.then(
      () => {
        writableClosed = true;
        if (!duplex.writableEnded) destroy(duplex, new ERR_STREAM_PREMATURE_CLOSE());
      },
      (err) => {
        writableClosed = true;
        readableClosed = true;
        destroy(duplex, err);
      },
    );
    reader.closed.then(
      () => {
        readableClosed = true;
      },
      (err) => {
        writableClosed = true;
        readableClosed = true;
        destroy(duplex, err);
      },
    );
    return duplex;
  }

  return {
    readableFromWeb,
    writableFromWeb,
    duplexFromWeb,
    // The web side is a web stream; Node's adapter drives the sluice stream through its public
    // API. Name and length are the running Node's.
    readableToWeb: delegate(NodeStream.Readable, 'toWeb'),
    writableToWeb: delegate(NodeStream.Writable, 'toWeb'),
    duplexToWeb: delegate(NodeStream.Duplex, 'toWeb'),
  };
};
