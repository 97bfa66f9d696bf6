'use strict';

// Differential harness for sluice's Readable, built on ./trace.js.
//
// trace.js's `differential` pins the "sluice" side to node:stream's Readable (its
// contract is "a sluice Writable in a Node stream graph"). Here the sluice side
// is the whole package: `require('..')` gives Readable, Writable, Duplex,
// Transform, PassThrough, pipeline, finished and promises, exactly as a program
// that swaps `require('node:stream')` for `require('sluice')` would see them.
// Both runs reuse trace.js's `traceOf` (its logger, shapes, tick markers,
// uncaught-exception capture and timeout).
//
// Environment switches (in addition to trace.js's SLUICE_DIFF_SELF,
// SLUICE_DIFF_TIMEOUT, SLUICE_DIFF_VERBOSE, SLUICE_DIFF_IMPL):
//   SLUICE_READABLE_IMPL=path  take the sluice side's Readable from this module
//                              (a class, or an object with a Readable export),
//                              e.g. lib/readable.js before index.js exports it.
//
// Every impl handed to a scenario also carries NodeWritable / NodeReadable
// (always node:stream's), for scenarios that pin interop with Node's classes.

const path = require('node:path');
const util = require('node:util');
const assert = require('node:assert');
const { test } = require('node:test');
const nodeStream = require('node:stream');
const nodePromises = require('node:stream/promises');
const trace = require('./trace');
const { complete } = require('./sinks');

const SELF = process.env.SLUICE_DIFF_SELF === '1';
const PACKAGE_ROOT = process.env.SLUICE_DIFF_IMPL
  ? path.resolve(process.env.SLUICE_DIFF_IMPL)
  : path.resolve(__dirname, '..', '..');
const READABLE_IMPL = process.env.SLUICE_READABLE_IMPL
  ? path.resolve(process.env.SLUICE_READABLE_IMPL)
  : null;

function implFrom(name, mod, promises) {
  return Object.freeze({
    name,
    Readable: mod.Readable,
    Writable: mod.Writable,
    Duplex: mod.Duplex,
    Transform: mod.Transform,
    PassThrough: mod.PassThrough,
    Stream: mod.Stream,
    pipeline: mod.pipeline,
    finished: mod.finished,
    addAbortSignal: mod.addAbortSignal,
    promises,
    NodeReadable: nodeStream.Readable,
    NodeWritable: nodeStream.Writable,
  });
}

const nodeImpl = implFrom('node', nodeStream, nodePromises);

let sluiceImpl = null;

function loadSluice() {
  if (SELF) return implFrom('sluice(SLUICE_DIFF_SELF=1 -> node:stream)', nodeStream, nodePromises);
  if (sluiceImpl) return sluiceImpl;
  let mod;
  try {
    mod = require(PACKAGE_ROOT);
  } catch (err) {
    throw new Error(
      `failed to load the sluice package root (require(${JSON.stringify(PACKAGE_ROOT)})): ` +
      `${(err && err.stack) || err}`);
  }
  if (!mod || typeof mod.Readable !== 'function') {
    throw new Error(
      'the sluice package root does not export a Readable class; exports: ' +
      util.inspect(mod && Object.keys(mod)));
  }
  let name = 'sluice';
  if (READABLE_IMPL) {
    const r = require(READABLE_IMPL);
    const Readable = typeof r === 'function' ? r : r && r.Readable;
    if (typeof Readable !== 'function') {
      throw new Error(`SLUICE_READABLE_IMPL=${READABLE_IMPL} exports no Readable class`);
    }
    mod = { ...mod, Readable };
    name = `sluice(Readable from ${path.relative(process.cwd(), READABLE_IMPL) || READABLE_IMPL})`;
  }
  sluiceImpl = implFrom(name, mod, mod.promises);
  return sluiceImpl;
}

// ---------------------------------------------------------------------------
// Readable-specific logging, added to trace.js's `log` object.

const READABLE_PROPS = [
  'readable', 'readableLength', 'readableHighWaterMark', 'readableObjectMode',
  'readableEncoding', 'readableEnded', 'readableFlowing', 'readableAborted',
  'readableDidRead', 'destroyed', 'closed', 'errored',
];

function rprops(stream) {
  const out = trace.props(stream, READABLE_PROPS);
  try {
    out.isPaused = stream.isPaused();
  } catch (err) {
    out.isPaused = { threw: trace.shape(err) };
  }
  return out;
}

function extendLog(log) {
  // Snapshot of the Readable properties plus isPaused().
  log.rsnap = (stream, tag = '') => log('rsnap', tag, rprops(stream));

  // r.read(...args): logs the return value (or what it threw) and readableLength after.
  log.read = (r, ...args) => {
    let ret;
    try {
      ret = r.read(...args);
    } catch (err) {
      log('read-threw', args, err);
      return undefined;
    }
    log('read', args, ret, r.readableLength);
    return ret;
  };

  // r.push(...args) / r.unshift(...args): logs the return value (or what it threw).
  log.push = (r, ...args) => {
    let ret;
    try {
      ret = r.push(...args);
    } catch (err) {
      log('push-threw', args, err);
      return undefined;
    }
    log('push', args, ret, r.readableLength);
    return ret;
  };
  log.unshift = (r, ...args) => {
    let ret;
    try {
      ret = r.unshift(...args);
    } catch (err) {
      log('unshift-threw', args, err);
      return undefined;
    }
    log('unshift', args, ret, r.readableLength);
    return ret;
  };
  return log;
}

// ---------------------------------------------------------------------------
// Sources.

// A tracked Readable whose _read logs its size argument and produces the next
// chunk of `chunks` (then null unless end === false).
//   opts: Readable options (passed through), plus
//     chunks:  values to push, in order (default [])
//     how:     when _read pushes: 'sync' | 'nextTick' | 'microtask' |
//              'immediate' | <ms> | 'manual' (never: the scenario pushes;
//              r.$reads counts the calls)
//     end:     push(null) after the chunks (default true)
//     label:   trace label (default 'r')
//     quiet:   do not log _read calls and push results
function source(impl, log, opts = {}) {
  const { chunks = [], how = 'sync', end = true, label = 'r', quiet = false, ...options } = opts;
  let i = 0;
  const streamOpts = {
    ...options,
    read(size) {
      this.$reads++;
      if (!quiet) log('_read', label, size, this.readableLength);
      if (how === 'manual') return;
      complete(how, () => {
        if (i < chunks.length) {
          const c = chunks[i++];
          const ret = this.push(c);
          if (!quiet) log('push', label, c, ret);
        } else if (end) {
          i++;
          const ret = this.push(null);
          if (!quiet) log('push', label, null, ret);
        }
      }, null);
    },
  };
  const r = new impl.Readable(streamOpts);
  r.$reads = 0;
  log.track(r, label);
  return r;
}

// Collect everything a stream emits as 'data' until 'end' / 'close' / 'error'.
function collect(stream) {
  return new Promise((resolve) => {
    const out = [];
    stream.on('data', (c) => out.push(c));
    const done = (ev) => (e) => resolve({ ev, out, err: e });
    stream.once('end', done('end'));
    stream.once('error', done('error'));
    stream.once('close', done('close'));
  });
}

// ---------------------------------------------------------------------------
// Running and comparing.

function fmtEntry(e) {
  return util.inspect(e, { depth: Infinity, breakLength: Infinity, compact: true, maxArrayLength: Infinity, maxStringLength: 200 });
}

function firstDivergence(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    try {
      assert.deepStrictEqual(a[i], b[i]);
    } catch {
      return i;
    }
  }
  return -1;
}

const BROKEN = new Set(['TIMEOUT', 'UNCAUGHT', 'SCENARIO-THREW', 'SCENARIO-REJECTED']);
const VERBOSE = process.env.SLUICE_DIFF_VERBOSE === '1';

async function compareReadable(name, scenario, options = {}) {
  const wrapped = (impl, log) => scenario(impl, extendLog(log));
  const nodeTrace = await trace.traceOf(nodeImpl, wrapped, options);
  const broken = nodeTrace.find((e) => BROKEN.has(e[0]));
  assert.ok(!broken,
    `scenario "${name}" is broken against node:stream itself (${fmtEntry(broken)}):\n${trace.formatTrace(nodeTrace)}`);
  if (options.expect) {
    const text = nodeTrace.map(fmtEntry).join('\n');
    for (const s of options.expect) {
      assert.ok(text.includes(s),
        `scenario "${name}" reference trace lacks ${JSON.stringify(s)}:\n${trace.formatTrace(nodeTrace)}`);
    }
  }
  if (options.check) options.check(nodeTrace);
  const impl = loadSluice();
  const sluiceTrace = await trace.traceOf(impl, wrapped, options);
  if (VERBOSE) {
    console.log(`--- ${name}: node\n${trace.formatTrace(nodeTrace)}\n--- ${name}: ${impl.name}\n${trace.formatTrace(sluiceTrace)}`);
  }
  const at = firstDivergence(sluiceTrace, nodeTrace);
  if (at !== -1) {
    const msg =
      `traces differ for "${name}" (first divergence at entry ${at})\n` +
      `  node  [${at}]: ${at < nodeTrace.length ? fmtEntry(nodeTrace[at]) : '<end of trace>'}\n` +
      `  ${impl.name} [${at}]: ${at < sluiceTrace.length ? fmtEntry(sluiceTrace[at]) : '<end of trace>'}\n` +
      `--- node trace:\n${trace.formatTrace(nodeTrace)}\n` +
      `--- ${impl.name} trace:\n${trace.formatTrace(sluiceTrace)}\n`;
    assert.deepStrictEqual(sluiceTrace, nodeTrace, msg);
  }
  return { nodeTrace, sluiceTrace };
}

// rdifferential(name, scenario[, options]) defines one node:test test.
// options: { expect: [substring...], check(nodeTrace), timeout, skip, only }
function rdifferential(name, scenario, options = {}) {
  const testOpts = { timeout: options.testTimeout || 20000 };
  if (options.skip) testOpts.skip = options.skip;
  if (options.todo) testOpts.todo = options.todo; // a known divergence: reported, not failing
  if (options.only) testOpts.only = true;
  return test(name, testOpts, () => compareReadable(name, scenario, options));
}

module.exports = {
  rdifferential,
  compareReadable,
  source,
  collect,
  rprops,
  READABLE_PROPS,
  loadSluice,
  nodeImpl,
};
