'use strict';
// Node's stream errors: same `code`, same base class (Error / TypeError / RangeError), same
// message, same `toString()` and stack header. The differential tests compare them with the
// errors node:stream throws.

const { inspect, format } = require('util');

// Node fills its '%s' message templates with util.format's '%s' (objects inspected, -0 and
// bigints as written, symbols by description), so do the same instead of string interpolation.
const fmt = (template) => (...args) => format(template, ...args);

function makeNodeError(Base, code, message) {
  // Like Node's: a plain Error/TypeError instance (its `constructor` is the base class) with an
  // own enumerable `code`, a `toString` naming the code, and a stack headed "Name [CODE]: msg".
  return function NodeError(...args) {
    const error = new Base(typeof message === 'function' ? message(...args) : message);
    Object.defineProperty(error, 'toString', {
      value() {
        return `${this.name} [${code}]: ${this.message}`;
      },
      enumerable: false,
      writable: true,
      configurable: true,
    });
    error.name = `${Base.prototype.name} [${code}]`;
    // Node's stack starts at the frame that threw, as here: this constructor's frame is left out.
    Error.captureStackTrace(error, NodeError);
    // eslint-disable-next-line no-unused-expressions
    error.stack; // materialize the stack with the code in its header
    delete error.name;
    error.code = code;
    return error;
  };
}

// "of type string or an instance of Buffer or Uint8Array": lower-case names are types,
// capitalized ones are classes, as Node words it.
function describeExpected(expected) {
  const list = [].concat(expected);
  const types = list.filter((t) => t[0] === t[0].toLowerCase());
  const classes = list.filter((t) => t[0] !== t[0].toLowerCase());
  const join = (xs) => (xs.length > 2 ? `${xs.slice(0, -1).join(', ')}, or ${xs[xs.length - 1]}` : xs.join(' or '));
  const parts = [];
  if (types.length) parts.push(`of type ${join(types)}`);
  if (classes.length) parts.push(`an instance of ${join(classes)}`);
  return parts.join(' or ');
}

function receivedOf(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor?.name) return ` Received an instance of ${value.constructor.name}`;
    return ` Received ${inspect(value, { depth: -1 })}`;
  }
  let inspected = inspect(value, { colors: false });
  if (inspected.length > 28) inspected = `${inspected.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${inspected})`;
}

// Node shows the value of an invalid argument inspected, cut after 128 characters.
function inspectedValue(value) {
  const inspected = inspect(value);
  return inspected.length > 128 ? `${inspected.slice(0, 128)}...` : inspected;
}

// Node groups the digits of large numbers in range errors ("1_099_511_627_776").
function separated(digits) {
  let res = '';
  let i = digits.length;
  const start = digits[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${digits.slice(i - 3, i)}${res}`;
  return `${digits.slice(0, i)}${res}`;
}
function rangeReceived(value) {
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 32) return separated(String(value));
  if (typeof value === 'bigint') {
    const s = String(value);
    return `${value > 2n ** 32n || value < -(2n ** 32n) ? separated(s) : s}n`;
  }
  return inspect(value);
}

/** Node's AbortError (an `Error` named 'AbortError', code 'ABORT_ERR'), as stream aborts raise it. */
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

module.exports = {
  makeNodeError,
  AbortError,
  ERR_INVALID_ARG_TYPE: makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', (name, expected, actual) =>
    `The "${name}" argument must be ${describeExpected(expected)}.${receivedOf(actual)}`),
  ERR_INVALID_ARG_VALUE: makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE', (name, value, reason = 'is invalid') =>
    `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${inspectedValue(value)}`),
  ERR_STREAM_NULL_VALUES: makeNodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
  ERR_STREAM_WRITE_AFTER_END: makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
  ERR_STREAM_DESTROYED: makeNodeError(Error, 'ERR_STREAM_DESTROYED', fmt('Cannot call %s after a stream was destroyed')),
  ERR_STREAM_ALREADY_FINISHED: makeNodeError(Error, 'ERR_STREAM_ALREADY_FINISHED', fmt('Cannot call %s after a stream was finished')),
  ERR_MULTIPLE_CALLBACK: makeNodeError(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
  ERR_METHOD_NOT_IMPLEMENTED: makeNodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', fmt('The %s method is not implemented')),
  ERR_UNKNOWN_ENCODING: makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', fmt('Unknown encoding: %s')),
  ERR_STREAM_CANNOT_PIPE: makeNodeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
  ERR_STREAM_PREMATURE_CLOSE: makeNodeError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
  ERR_STREAM_PUSH_AFTER_EOF: makeNodeError(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT: makeNodeError(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event'),
  ERR_SLUICE_BUFFER_OVERFLOW: makeNodeError(RangeError, 'ERR_SLUICE_BUFFER_OVERFLOW', (n) => `Buffered length would reach ${n}, over maxBuffered`),
  ERR_OUT_OF_RANGE: makeNodeError(RangeError, 'ERR_OUT_OF_RANGE', (name, range, value) =>
    `The value of "${name}" is out of range. It must be ${range}. Received ${rangeReceived(value)}`),
};
