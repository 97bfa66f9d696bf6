'use strict';
// Argument checks and the errors of the stream surface (operators, Duplex.from, compose, web
// adapters): the same `code`, class and message as the running Node's. lib/errors.js holds the
// errors of the cores; this module adds the ones only the surface throws, and words
// "argument" / "property" as Node does (a dotted name is a property).

const { inspect } = require('util');
const { since } = require('./node-version');
const { AbortError, makeNodeError } = require('./errors');

// The surface's errors are made as the cores' are (lib/errors.js).
const nodeError = makeNodeError;

// The words Node prints for the expected kinds: primitive type names (lower case), class names
// (an identifier starting upper case) and free text ("{ readable, writable } pair").
const PRIMITIVE = new Set(['string', 'function', 'number', 'object', 'boolean', 'bigint', 'symbol']);

function listOf(words) {
  if (words.length > 2) return `${words.slice(0, -1).join(', ')}, or ${words[words.length - 1]}`;
  return words.join(' or ');
}

function expectedText(expected) {
  const types = [];
  const classes = [];
  const other = [];
  for (const word of [].concat(expected)) {
    const lower = word.toLowerCase();
    if (PRIMITIVE.has(lower) && (word === lower || word === 'Function' || word === 'Object')) {
      types.push(lower);
    } else if (/^[A-Z][a-zA-Z0-9]*$/.test(word)) {
      classes.push(word);
    } else {
      other.push(word);
    }
  }
  // An `object` type next to class names reads "an instance of ...".
  if (classes.length && types.includes('object')) types.splice(types.indexOf('object'), 1);
  let text = '';
  if (types.length) text += `of type ${listOf(types)}`;
  if (classes.length) text += `${text ? ' or ' : ''}an instance of ${listOf(classes)}`;
  if (other.length) text += `${text ? ' or ' : ''}${listOf(other)}`;
  return text;
}

function received(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor?.name) return ` Received an instance of ${value.constructor.name}`;
    return ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

const ERR_INVALID_ARG_TYPE = nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', (name, expected, actual) => {
  const what = name.endsWith(' argument') ? '' : name.includes('.') ? ' property' : ' argument';
  return `The "${name}"${what} must be ${expectedText(expected)}.${received(actual)}`;
});

const ERR_INVALID_ARG_VALUE = nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', (name, value, reason = 'is invalid') => {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${shown}`;
});

const ERR_OUT_OF_RANGE = nodeError(RangeError, 'ERR_OUT_OF_RANGE', (name, range, value) =>
  `The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`);

const ERR_MISSING_ARGS = nodeError(TypeError, 'ERR_MISSING_ARGS', (...names) =>
  `The ${names.map((n) => `"${n}"`).join(' or ')} argument must be specified`);

/** How Node names a value's kind in a message: "null", "function f", "an instance of X", "type number (5)". */
function specificType(value) {
  if (value == null) return `${value}`;
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor?.name) return `an instance of ${value.constructor.name}`;
    return inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

const ERR_INVALID_RETURN_VALUE = nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', (input, name, value) =>
  `Expected ${input} to be returned from the "${name}" function but got ${specificType(value)}.`);

const ERR_ILLEGAL_CONSTRUCTOR = nodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');

const ERR_INVALID_STATE = nodeError(Error, 'ERR_INVALID_STATE', (msg) => `Invalid state: ${msg}`);

function validateObject(value, name) {
  // Node's default: no null, no array, no function.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ERR_INVALID_ARG_TYPE(name, 'object', value);
  }
}

function validateFunction(value, name) {
  if (typeof value !== 'function') {
    // Node 20 worded it "of type function or an instance of AsyncFunction".
    throw new ERR_INVALID_ARG_TYPE(name, since.VALIDATE_FUNCTION_PLAIN ? 'function' : ['Function', 'AsyncFunction'], value);
  }
}

function isAbortSignal(value) {
  return value !== null && typeof value === 'object' && 'aborted' in value;
}

function validateAbortSignal(value, name) {
  if (value !== undefined && !isAbortSignal(value)) throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', value);
}

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

/** The options object most surface calls take: an object or nullish, with an AbortSignal or none. */
function validateOptions(options) {
  if (options != null) validateObject(options, 'options');
  if (options?.signal != null) validateAbortSignal(options.signal, 'options.signal');
}

/** `new AbortError(undefined, { cause })` with the signal's reason, as Node builds them. */
function abortErrorOf(signal) {
  return new AbortError(undefined, signal ? { cause: signal.reason } : undefined);
}

module.exports = {
  AbortError,
  abortErrorOf,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE,
  ERR_MISSING_ARGS,
  ERR_INVALID_RETURN_VALUE,
  ERR_ILLEGAL_CONSTRUCTOR,
  ERR_INVALID_STATE,
  validateObject,
  validateFunction,
  validateAbortSignal,
  validateInteger,
  validateOptions,
  isAbortSignal,
};
