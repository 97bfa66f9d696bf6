'use strict';

// Every method and static reachable from a sluice stream class is sluice's own: a walk over the
// module, every exported stream class and its prototype (own keys, and the keys of node:stream's
// classes and prototypes they sit on, which a lookup would fall through to) fails on any
// function that is node:stream's own stream code. Only the drive-only utilities (they drive
// streams through their public methods) may stay node:stream's, on the module.

const assert = require('node:assert');
const { test } = require('node:test');
const NodeStream = require('node:stream');
const NodePromises = require('node:stream/promises');
const sluice = require('..');

// Module functions allowed to be node:stream's: they only drive streams (or are buffer helpers).
const DRIVE_ONLY = new Set([
  'pipeline', 'finished', 'addAbortSignal', 'destroy',
  'isReadable', 'isErrored', 'isDisturbed', 'isDestroyed', 'isWritable',
  '_isUint8Array', '_uint8ArrayToBuffer', '_isArrayBufferView',
]);

const NODE_CLASSES = ['Stream', 'Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough'].map((n) => NodeStream[n]);
const NODE_PROTOS = new Set(NODE_CLASSES.map((c) => c.prototype));
const NODE_CTORS = new Set(NODE_CLASSES);

/** name of every function node:stream's module, classes and prototypes hold (getters too). */
function nodeFunctions() {
  const fns = new Map();
  const add = (obj, where) => {
    for (const k of Reflect.ownKeys(obj)) {
      const d = Object.getOwnPropertyDescriptor(obj, k);
      for (const [part, v] of [['value', d.value], ['get', d.get], ['set', d.set]]) {
        if (typeof v === 'function' && !fns.has(v)) fns.set(v, `${where}.${String(k)}${part === 'value' ? '' : ` (${part})`}`);
      }
    }
  };
  add(NodeStream, 'stream');
  add(NodePromises, 'stream/promises');
  for (const c of NODE_CLASSES) {
    add(c, `stream.${c.name}`);
    add(c.prototype, `stream.${c.name}.prototype`);
  }
  return fns;
}

/** The resolved descriptor of `key` on `obj` (first along its whole chain). */
function lookup(obj, key) {
  for (let o = obj; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

/**
 * Keys to check on `obj`: its own and its chain's up to (not including) node:stream's classes /
 * prototypes, plus the own keys of those node:stream objects on the chain (what a lookup would
 * inherit), except the legacy Stream's.
 */
function keysToCheck(obj, isProto) {
  const stops = isProto ? NODE_PROTOS : NODE_CTORS;
  const keys = new Set();
  let o = obj;
  for (; o && !stops.has(o) && o !== Function.prototype && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) keys.add(k);
  }
  for (; o && stops.has(o); o = Object.getPrototypeOf(o)) {
    if (o === NodeStream.Stream || o === NodeStream.Stream.prototype) break;
    for (const k of Reflect.ownKeys(o)) keys.add(k);
  }
  return keys;
}

function isStreamClass(v) {
  return typeof v === 'function' && v.prototype && NodeStream.Stream.prototype.isPrototypeOf(v.prototype);
}

function offenders() {
  const nodeFns = nodeFunctions();
  const found = [];
  const check = (label, obj, isProto) => {
    for (const key of keysToCheck(obj, isProto)) {
      if (key === 'constructor' || key === 'prototype') continue;
      const d = lookup(obj, key);
      if (!d) continue;
      for (const v of [d.value, d.get, d.set]) {
        if (typeof v === 'function' && nodeFns.has(v)) found.push(`${label}.${String(key)} is ${nodeFns.get(v)}`);
      }
    }
  };
  // The module itself.
  for (const key of Reflect.ownKeys(sluice)) {
    if (DRIVE_ONLY.has(key) || key === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(sluice, key);
    for (const v of [d.value, d.get, d.set]) {
      if (typeof v === 'function' && nodeFns.has(v)) found.push(`sluice.${String(key)} is ${nodeFns.get(v)}`);
    }
  }
  for (const key of Object.keys(sluice.promises)) {
    if (DRIVE_ONLY.has(key)) continue;
    if (nodeFns.has(sluice.promises[key])) found.push(`sluice.promises.${key}`);
  }
  // Every exported stream class (the legacy Stream's own prototype is node:stream's, by design).
  const classes = Object.keys(sluice).filter((k) => k !== 'Stream' && isStreamClass(sluice[k]));
  for (const name of classes) {
    check(`sluice.${name}`, sluice[name], false);
    check(`sluice.${name}.prototype`, sluice[name].prototype, true);
  }
  return { found, classes };
}

test('no function reachable from a sluice stream class (own or inherited) is node:stream\'s own stream code', () => {
  const { found, classes } = offenders();
  assert.ok(classes.includes('Readable') && classes.includes('Duplex') && classes.includes('PassThrough'), classes.join());
  assert.deepStrictEqual(found, []);
});

test('the own-code check catches a node:stream method, inherited or own (self-test)', () => {
  const saved = Object.getOwnPropertyDescriptor(sluice.Readable.prototype, 'map');
  delete sluice.Readable.prototype.map; // now inherited from node:stream's Readable.prototype
  try {
    assert.ok(offenders().found.some((s) => s.startsWith('sluice.Readable.prototype.map is stream.Readable.prototype.map')));
  } finally {
    Object.defineProperty(sluice.Readable.prototype, 'map', saved);
  }
  const savedFrom = Object.getOwnPropertyDescriptor(sluice.Duplex, 'from');
  Object.defineProperty(sluice.Duplex, 'from', { ...savedFrom, value: NodeStream.Duplex.from });
  try {
    assert.ok(offenders().found.some((s) => s.startsWith('sluice.Duplex.from')));
  } finally {
    Object.defineProperty(sluice.Duplex, 'from', savedFrom);
  }
  assert.deepStrictEqual(offenders().found, []);
});

test('the drive-only utilities on the module are exactly the named ones', () => {
  const nodeFns = nodeFunctions();
  const shared = Reflect.ownKeys(sluice).filter((k) => typeof sluice[k] === 'function' && nodeFns.has(sluice[k]));
  for (const k of shared) assert.ok(DRIVE_ONLY.has(k), `sluice.${String(k)} is node:stream's and not drive-only`);
});
