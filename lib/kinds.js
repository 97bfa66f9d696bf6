'use strict';
// What kind of thing a value is, as node:stream's adapters (Duplex.from, compose, pipeline) tell
// them apart: by shape (duck typing), so Node's streams, sluice's and userland ones all qualify.

function isNodeStream(obj) {
  return !!obj && !!(obj._readableState || obj._writableState ||
    (typeof obj.write === 'function' && typeof obj.on === 'function') ||
    (typeof obj.pipe === 'function' && typeof obj.on === 'function'));
}

function isReadableNodeStream(obj) {
  return !!obj && typeof obj.pipe === 'function' && typeof obj.on === 'function' &&
    (!obj._writableState || obj._readableState?.readable !== false) &&
    (!obj._writableState || !!obj._readableState);
}

function isWritableNodeStream(obj) {
  return !!obj && typeof obj.write === 'function' && typeof obj.on === 'function' &&
    (!obj._readableState || obj._writableState?.writable !== false);
}

function isDuplexNodeStream(obj) {
  return !!obj && typeof obj.pipe === 'function' && !!obj._readableState &&
    typeof obj.on === 'function' && typeof obj.write === 'function';
}

function isReadableStream(obj) {
  return !!obj && !isNodeStream(obj) && typeof obj.pipeThrough === 'function' &&
    typeof obj.getReader === 'function' && typeof obj.cancel === 'function';
}

function isWritableStream(obj) {
  return !!obj && !isNodeStream(obj) && typeof obj.getWriter === 'function' && typeof obj.abort === 'function';
}

function isTransformStream(obj) {
  return !!obj && !isNodeStream(obj) && typeof obj.readable === 'object' && typeof obj.writable === 'object';
}

function isWebStream(obj) {
  return isReadableStream(obj) || isWritableStream(obj) || isTransformStream(obj);
}

function isIterable(obj) {
  return obj != null && (typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function');
}

function isBlob(obj) {
  return typeof Blob !== 'undefined' && obj instanceof Blob;
}

module.exports = {
  isNodeStream,
  isReadableNodeStream,
  isWritableNodeStream,
  isDuplexNodeStream,
  isReadableStream,
  isWritableStream,
  isTransformStream,
  isWebStream,
  isIterable,
  isBlob,
};
