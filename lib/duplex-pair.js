'use strict';
// `duplexPair([options])`: two sluice Duplexes joined back to back; what one side writes, the
// other reads. A write completes once the other side asks for more (its `_read`); ending one
// side ends the other's readable side. From Node 24, destroying one side also closes the other
// (ends it, or destroys it without an error when the first was destroyed with one).

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { since } = require('./node-version');

module.exports = function makeDuplexPair(Duplex) {
  const kPeer = Symbol('peer');
  const kWriteDone = Symbol('writeDone');

  class DuplexSide extends Duplex {
    constructor(options) {
      super(options);
      this[kWriteDone] = null;
      this[kPeer] = null;
    }

    _read() {
      const cb = this[kWriteDone];
      if (cb) {
        this[kWriteDone] = null;
        cb();
      }
    }

    _write(chunk, encoding, callback) {
      if (chunk.length === 0) {
        process.nextTick(callback);
        return;
      }
      const peer = this[kPeer];
      peer.push(chunk);
      peer[kWriteDone] = callback;
    }

    _final(callback) {
      const peer = this[kPeer];
      peer.on('end', callback);
      peer.push(null);
    }
  }

  if (since.DUPLEX_PAIR_DESTROY_CLOSES_PEER) {
    DuplexSide.prototype._destroy = function (err, callback) {
      const peer = this[kPeer];
      if (peer !== null && !peer.destroyed) {
        process.nextTick(() => {
          if (peer.destroyed) return;
          if (err) peer.destroy();
          else peer.push(null);
        });
      }
      callback(err);
    };
  }

  return function duplexPair(options) {
    const a = new DuplexSide(options);
    const b = new DuplexSide(options);
    a[kPeer] = b;
    b[kPeer] = a;
    return [a, b];
  };
};
