'use strict';
// highWaterMark validation and defaults, as Node 20 does them.

const NodeStream = require('stream');
const { ERR_INVALID_ARG_VALUE } = require('./errors');

let defaultBytes = 16 * 1024;
let defaultObjects = 16;

function getDefaultHighWaterMark(objectMode) {
  return objectMode ? defaultObjects : defaultBytes;
}

function setDefaultHighWaterMark(objectMode, value) {
  if (!Number.isInteger(value) || value < 0) throw new ERR_INVALID_ARG_VALUE('value', value);
  if (objectMode) defaultObjects = value;
  else defaultBytes = value;
  // Keep node:stream's default in step, so mixed pipelines agree.
  if (typeof NodeStream.setDefaultHighWaterMark === 'function') NodeStream.setDefaultHighWaterMark(objectMode, value);
}

/** The mark from `options.highWaterMark` (or the Duplex side's own key), validated. */
function getHighWaterMark(objectMode, options, duplexKey, isDuplex) {
  const hwm = options.highWaterMark != null ? options.highWaterMark : isDuplex ? options[duplexKey] : null;
  if (hwm != null) {
    if (!Number.isInteger(hwm) || hwm < 0) {
      const name = isDuplex ? `options.${duplexKey}` : 'options.highWaterMark';
      throw new ERR_INVALID_ARG_VALUE(name, hwm);
    }
    return Math.floor(hwm);
  }
  return getDefaultHighWaterMark(objectMode);
}

module.exports = { getHighWaterMark, getDefaultHighWaterMark, setDefaultHighWaterMark };
