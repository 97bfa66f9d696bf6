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

/**
 * Gives sluice's class `Cls` Node's `instanceof`: its own instances and its subclasses' (by the
 * prototype chain), and, asked of `Cls` itself, what `also` accepts (a sluice stream told by its
 * state objects) and every instance of node:stream's class `NodeCls`: Node's own sockets, stdio,
 * fs, zlib and http streams, as code that swapped `stream` for sluice still tells them apart.
 */
function defineHasInstance(Cls, NodeCls, also) {
  Object.defineProperty(Cls, Symbol.hasInstance, {
    value: function (object) {
      if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
      if (this !== Cls) return false;
      return !!object && (also(object) || object instanceof NodeCls);
    },
    configurable: true,
  });
}

module.exports = {
  defineHasInstance,
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
