'use strict';
// `readable.wrap(oldStream)` and `Readable.wrap(src, options)`: a sluice Readable fed by an
// old-style stream (one that only emits 'data' / 'end' and may have pause/resume), pausing it
// when the sluice side's buffer is full and resuming it on the next `_read`.

const NodeStream = require('stream');
const { since } = require('./node-version');
const { errorOrDestroy } = require('./destroy');

function wrap(stream) {
  let paused = false;
  stream.on('data', (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on('end', () => this.push(null));
  stream.on('error', (err) => errorOrDestroy(this, err));
  stream.on('close', () => this.destroy());
  stream.on('destroy', () => this.destroy());
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  // The old stream's own methods are reachable on the wrapper (Node before 24 skipped the first
  // own key).
  const keys = Object.keys(stream);
  for (let i = since.WRAP_PROXIES_FIRST_KEY ? 0 : 1; i < keys.length; i++) {
    const key = keys[i];
    if (this[key] === undefined && typeof stream[key] === 'function') this[key] = stream[key].bind(stream);
  }
  return this;
}

function makeStaticWrap(Readable) {
  return function wrap(src, options) {
    return new Readable({
      objectMode: src.readableObjectMode ?? src.objectMode ?? true,
      ...options,
      destroy(err, callback) {
        NodeStream.destroy(src, err);
        callback(err);
      },
    }).wrap(src);
  };
}

module.exports = { wrap, makeStaticWrap };
