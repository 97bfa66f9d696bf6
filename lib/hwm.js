'use strict';
// highWaterMark validation and defaults, as the running Node does them.
//
// The defaults are node:stream's own (16 KiB / 16 objects up to Node 21, 64 KiB / 16 from 22):
// reading them from node:stream keeps sluice in step both ways, whether the program sets the
// default through sluice or through node:stream.

const NodeStream = require('stream');
const { ERR_INVALID_ARG_VALUE } = require('./errors');

/** node:stream's current default mark for the mode. */
function getDefaultHighWaterMark(objectMode) {
  return NodeStream.getDefaultHighWaterMark(objectMode);
}

/** Sets node:stream's default mark (so mixed pipelines agree); Node's validation and errors. */
function setDefaultHighWaterMark(objectMode, value) {
  NodeStream.setDefaultHighWaterMark(objectMode, value);
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
  return NodeStream.getDefaultHighWaterMark(objectMode);
}

module.exports = { getHighWaterMark, getDefaultHighWaterMark, setDefaultHighWaterMark };
