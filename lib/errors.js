'use strict';
// Node's stream errors: same `code`, same base class (Error / TypeError / RangeError), same
// message, same `toString()` and stack header. The differential tests compare them with the
// errors node:stream throws.

const { inspect } = require('util');

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

module.exports = {
  ERR_INVALID_ARG_TYPE: makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', (name, expected, actual) =>
    `The "${name}" argument must be ${describeExpected(expected)}.${receivedOf(actual)}`),
  ERR_INVALID_ARG_VALUE: makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE', (name, value, reason = 'is invalid') =>
    `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${inspect(value)}`),
  ERR_STREAM_NULL_VALUES: makeNodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
  ERR_STREAM_WRITE_AFTER_END: makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
  ERR_STREAM_DESTROYED: makeNodeError(Error, 'ERR_STREAM_DESTROYED', (name) => `Cannot call ${name} after a stream was destroyed`),
  ERR_STREAM_ALREADY_FINISHED: makeNodeError(Error, 'ERR_STREAM_ALREADY_FINISHED', (name) => `Cannot call ${name} after a stream was finished`),
  ERR_MULTIPLE_CALLBACK: makeNodeError(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
  ERR_METHOD_NOT_IMPLEMENTED: makeNodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', (name) => `The ${name} method is not implemented`),
  ERR_UNKNOWN_ENCODING: makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', (enc) => `Unknown encoding: ${enc}`),
  ERR_STREAM_CANNOT_PIPE: makeNodeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
  ERR_STREAM_PREMATURE_CLOSE: makeNodeError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
  ERR_STREAM_PUSH_AFTER_EOF: makeNodeError(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT: makeNodeError(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event'),
  ERR_SLUICE_BUFFER_OVERFLOW: makeNodeError(RangeError, 'ERR_SLUICE_BUFFER_OVERFLOW', (n) => `Buffered length would reach ${n}, over maxBuffered`),
  ERR_OUT_OF_RANGE: makeNodeError(RangeError, 'ERR_OUT_OF_RANGE', (name, range, value) =>
    `The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`),
};
