'use strict';

// Differential trace harness: runs one scenario against node:stream's Writable
// and against sluice's Writable, records a trace of everything observable
// (return values, emitted events, callback invocations, property snapshots,
// tick boundaries) and asserts both traces are deepStrictEqual.
//
// Environment switches:
//   SLUICE_DIFF_SELF=1      both sides use node:stream (validates the harness:
//                           every scenario must be deterministic).
//   SLUICE_DIFF_TIMEOUT=ms  per-run timeout (default 2000 ms). A run that does
//                           not resolve in time records ['TIMEOUT'] and the
//                           trace comparison shows where it stalled.
//   SLUICE_DIFF_VERBOSE=1   print both traces for every test, not only on
//                           mismatch.
//   SLUICE_DIFF_IMPL=path   load the "sluice" side from another module path
//                           (e.g. a deliberately broken mutant, to check that
//                           the suite notices).

const path = require('node:path');
const util = require('node:util');
const assert = require('node:assert');
const { test } = require('node:test');
const nodeStream = require('node:stream');

const SELF = process.env.SLUICE_DIFF_SELF === '1';
const RUN_TIMEOUT_MS = Number(process.env.SLUICE_DIFF_TIMEOUT) || 2000;
const VERBOSE = process.env.SLUICE_DIFF_VERBOSE === '1';
const PACKAGE_ROOT = process.env.SLUICE_DIFF_IMPL
  ? path.resolve(process.env.SLUICE_DIFF_IMPL)
  : path.resolve(__dirname, '..', '..');

const nodeImpl = Object.freeze({
  name: 'node',
  Writable: nodeStream.Writable,
  Readable: nodeStream.Readable,
});

let sluiceImpl = null;

// Loaded lazily so that a broken package makes each test fail with a clear
// message instead of failing to load the test file.
function loadSluice() {
  if (SELF) {
    return Object.freeze({
      name: 'sluice(SLUICE_DIFF_SELF=1 -> node:stream)',
      Writable: nodeStream.Writable,
      Readable: nodeStream.Readable,
    });
  }
  if (sluiceImpl) return sluiceImpl;
  let mod;
  try {
    mod = require(PACKAGE_ROOT);
  } catch (err) {
    throw new Error(
      `failed to load the sluice package root (require(${JSON.stringify(PACKAGE_ROOT)})): ` +
      `${(err && err.stack) || err}`);
  }
  if (!mod || typeof mod.Writable !== 'function') {
    throw new Error(
      'the sluice package root does not export a Writable class; exports: ' +
      util.inspect(mod && Object.keys(mod)));
  }
  // Sources stay node:stream Readables: the contract is "sluice Writable in a
  // Node stream graph".
  sluiceImpl = Object.freeze({ name: 'sluice', Writable: mod.Writable, Readable: nodeStream.Readable });
  return sluiceImpl;
}

// ---------------------------------------------------------------------------
// Shapes: deterministic, comparable descriptions of values.

const labels = new WeakMap(); // tracked stream -> label

function isPrintable(buf) {
  for (const b of buf) {
    if (b !== 0x0a && (b < 0x20 || b > 0x7e)) return false;
  }
  return true;
}

function bytes(buf) {
  return isPrintable(buf) ? JSON.stringify(buf.toString('latin1')) : `hex:${buf.toString('hex')}`;
}

function shape(v, depth = 0, seen = new Set()) {
  if (v === null || v === undefined) return v;
  const t = typeof v;
  if (t === 'number') return Number.isNaN(v) ? 'NaN' : v;
  if (t === 'string' || t === 'boolean') return v;
  if (t === 'bigint') return `bigint:${v}`;
  if (t === 'symbol') return `symbol:${v.description}`;
  // Function names are implementation details (Node's internal `nop`, ...).
  if (t === 'function') return 'fn';
  if (labels.has(v)) return `stream:${labels.get(v)}`;
  if (v instanceof Error) {
    const e = { error: true, name: v.name, code: v.code, message: v.message };
    if ('cause' in v && depth < 4) e.cause = shape(v.cause, depth + 1, seen);
    if (Array.isArray(v.errors) && depth < 4) e.errors = v.errors.map((x) => shape(x, depth + 1, seen));
    return e;
  }
  if (Buffer.isBuffer(v)) return `buf:${bytes(v)}`;
  if (ArrayBuffer.isView(v)) {
    const u8 = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return `${v.constructor.name}:${bytes(u8)}`;
  }
  if (typeof v.pipe === 'function' || typeof v.write === 'function') return 'stream:<untracked>';
  if (seen.has(v) || depth > 5) return '<circular-or-deep>';
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => shape(x, depth + 1, seen));
    const proto = Object.getPrototypeOf(v);
    const out = {};
    if (proto !== Object.prototype && proto !== null) {
      out.$class = (proto.constructor && proto.constructor.name) || '<anon>';
    }
    for (const k of Object.keys(v)) out[k] = shape(v[k], depth + 1, seen);
    return out;
  } finally {
    seen.delete(v);
  }
}

const WRITABLE_PROPS = [
  'writable', 'writableLength', 'writableHighWaterMark', 'writableNeedDrain',
  'writableObjectMode', 'writableCorked', 'writableEnded', 'writableFinished',
  'destroyed', 'closed', 'errored',
];

function props(stream, list = WRITABLE_PROPS) {
  const out = {};
  for (const p of list) {
    try {
      out[p] = shape(stream[p]);
    } catch (err) {
      out[p] = { threw: shape(err) };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Scheduling helpers.

const immediate = () => new Promise((resolve) => setImmediate(resolve));
async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await immediate();
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// The per-run logger handed to scenarios as `log`.

const emittedEvents = new WeakMap(); // tracked stream -> Set of event names seen

function makeLog(record) {
  // log(...values): append one entry (array of shapes).
  function log(...values) {
    record(values.map((v) => shape(v)));
  }

  // Track a stream: hook its emit generically (every string-named event with
  // argument shapes) and always attach a no-op 'error' listener so that an
  // emitted 'error' never crashes the test process.
  log.track = (stream, label = 'w') => {
    labels.set(stream, label);
    const seen = new Set();
    emittedEvents.set(stream, seen);
    const origEmit = stream.emit;
    stream.emit = function tracedEmit(ev, ...args) {
      if (typeof ev === 'string' && ev !== 'newListener' && ev !== 'removeListener') {
        seen.add(ev);
        record(['emit', label, ev, ...args.map((a) => shape(a))]);
      }
      return origEmit.apply(this, arguments);
    };
    stream.on('error', () => {});
    return stream;
  };

  // Snapshot of the Writable properties.
  log.snap = (stream, tag = '', list) => {
    record(['snap', tag, props(stream, list)]);
  };

  // A callback that logs its invocation and the shapes of all its arguments
  // (so null vs undefined vs no argument is visible).
  log.cb = (tag) => function tracedCallback(...args) {
    record(['cb', tag, args.length, ...args.map((a) => shape(a))]);
  };

  // Run fn(); log its return value or what it threw.
  log.call = (tag, fn) => {
    try {
      const ret = fn();
      record(['ret', tag, shape(ret)]);
      return ret;
    } catch (err) {
      record(['threw', tag, shape(err)]);
      return undefined;
    }
  };

  // Tick-boundary markers scheduled from the current point.
  log.marks = (tag = '') => {
    process.nextTick(() => record(['nextTick', tag]));
    queueMicrotask(() => record(['microtask', tag]));
    setImmediate(() => record(['immediate', tag]));
  };
  log.nextTick = (tag = '') => process.nextTick(() => record(['nextTick', tag]));
  log.immediate = (tag = '') => setImmediate(() => record(['immediate', tag]));

  // Promise resolving on the first of `events` (default close) of `stream`.
  // For a tracked stream, an event that was already emitted resolves at once
  // (on a microtask), so scenarios cannot hang on an event they missed.
  log.waitFor = (stream, events = ['close']) => new Promise((resolve) => {
    const evs = Array.isArray(events) ? events : [events];
    const seen = emittedEvents.get(stream);
    const already = seen && evs.find((e) => seen.has(e));
    if (already) {
      resolve(already);
      return;
    }
    const done = (ev) => () => {
      for (const e of evs) stream.removeListener(e, handlers[e]);
      resolve(ev);
    };
    const handlers = {};
    for (const e of evs) {
      handlers[e] = done(e);
      stream.on(e, handlers[e]);
    }
  });

  log.settle = settle;
  log.sleep = sleep;
  log.immediate0 = immediate;
  log.shape = shape;
  log.props = props;
  return log;
}

// ---------------------------------------------------------------------------
// Running a scenario.

async function traceOf(impl, scenario, { timeout = RUN_TIMEOUT_MS } = {}) {
  const entries = [];
  let open = true;
  const record = (entry) => {
    if (open) entries.push(entry);
  };
  const log = makeLog(record);

  // Capture exceptions that escape to the event loop (an implementation bug
  // would otherwise take down the test file) and record them in the trace.
  let captureInstalled = false;
  try {
    process.setUncaughtExceptionCaptureCallback((err) => record(['UNCAUGHT', shape(err)]));
    captureInstalled = true;
  } catch {
    // Someone else owns the capture callback; fall back to the runner's handling.
  }

  let timer;
  try {
    // Start from a fresh macrotask so that nextTick-vs-microtask ordering of
    // the synchronous part is the same for both implementations.
    await immediate();
    const run = new Promise((resolve) => {
      setImmediate(() => {
        let p;
        try {
          p = scenario(impl, log);
        } catch (err) {
          record(['SCENARIO-THREW', shape(err)]);
        }
        record(['sync-end']);
        process.nextTick(() => record(['nextTick', 'after-sync']));
        Promise.resolve(p).then(
          () => resolve(),
          (err) => {
            record(['SCENARIO-REJECTED', shape(err)]);
            resolve();
          });
      });
    });
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => {
        record(['TIMEOUT', `scenario did not resolve within ${timeout} ms`]);
        resolve();
      }, timeout);
    });
    await Promise.race([run, timedOut]);
    clearTimeout(timer);
    record(['resolved']);
    await settle(5);
  } finally {
    clearTimeout(timer);
    open = false;
    if (captureInstalled) process.setUncaughtExceptionCaptureCallback(null);
  }
  return entries;
}

function fmtEntry(e) {
  return util.inspect(e, { depth: Infinity, breakLength: Infinity, compact: true, maxArrayLength: Infinity, maxStringLength: 200 });
}

function formatTrace(trace) {
  return trace.map((e, i) => `${String(i).padStart(3)} ${fmtEntry(e)}`).join('\n');
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

// expect: substrings that must occur in the reference (node) trace, to make
// sure the scenario really exercises the behaviour it is named after.
function checkExpect(name, trace, expect) {
  if (!expect) return;
  const text = trace.map(fmtEntry).join('\n');
  for (const s of expect) {
    assert.ok(text.includes(s),
      `scenario "${name}" reference trace lacks ${JSON.stringify(s)}:\n${formatTrace(trace)}`);
  }
}

const BROKEN = new Set(['TIMEOUT', 'UNCAUGHT', 'SCENARIO-THREW', 'SCENARIO-REJECTED']);

async function compare(name, scenario, options = {}) {
  const nodeTrace = await traceOf(nodeImpl, scenario, options);
  const broken = nodeTrace.find((e) => BROKEN.has(e[0]));
  assert.ok(!broken,
    `scenario "${name}" is broken against node:stream itself (${fmtEntry(broken)}):\n${formatTrace(nodeTrace)}`);
  checkExpect(name, nodeTrace, options.expect);
  if (options.check) options.check(nodeTrace);
  const impl = loadSluice();
  const sluiceTrace = await traceOf(impl, scenario, options);
  if (VERBOSE) {
    console.log(`--- ${name}: node\n${formatTrace(nodeTrace)}\n--- ${name}: ${impl.name}\n${formatTrace(sluiceTrace)}`);
  }
  const at = firstDivergence(sluiceTrace, nodeTrace);
  if (at !== -1) {
    const msg =
      `traces differ for "${name}" (first divergence at entry ${at})\n` +
      `  node  [${at}]: ${at < nodeTrace.length ? fmtEntry(nodeTrace[at]) : '<end of trace>'}\n` +
      `  ${impl.name} [${at}]: ${at < sluiceTrace.length ? fmtEntry(sluiceTrace[at]) : '<end of trace>'}\n` +
      `--- node trace:\n${formatTrace(nodeTrace)}\n` +
      `--- ${impl.name} trace:\n${formatTrace(sluiceTrace)}\n`;
    assert.deepStrictEqual(sluiceTrace, nodeTrace, msg);
  }
  return { nodeTrace, sluiceTrace };
}

// differential(name, scenario[, options]) defines one node:test test.
// options: { expect: [substring...], check(nodeTrace), timeout, skip, only }
function differential(name, scenario, options = {}) {
  const testOpts = { timeout: options.testTimeout || 20000 };
  if (options.skip) testOpts.skip = options.skip;
  if (options.todo) testOpts.todo = options.todo; // a known divergence: reported, not failing
  if (options.only) testOpts.only = true;
  return test(name, testOpts, () => compare(name, scenario, options));
}

module.exports = {
  differential,
  traceOf,
  compare,
  shape,
  props,
  settle,
  sleep,
  formatTrace,
  loadSluice,
  nodeImpl,
  WRITABLE_PROPS,
  SELF,
};
