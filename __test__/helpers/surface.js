'use strict';

// Helpers for the surface differential tests (__test__/surface.*.test.js): the same scenario on
// node:stream and on sluice (rtrace.js's rdifferential), with the module at `impl.Stream` (both
// modules are their legacy Stream constructor), class membership and error logging.

const { rdifferential, source, collect } = require('./rtrace');

/** Which of the module's own classes `s` is an instance of (the other module's don't count). */
function kinds(impl, s) {
  const out = {};
  for (const c of ['Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']) out[c] = s instanceof impl[c];
  return out;
}

/** An error as the trace compares it: class name, code, first line of the message, cause. */
function err(e) {
  if (!(e instanceof Error)) return e;
  const out = { name: e.name, code: e.code, message: String(e.message).split('\n')[0] };
  if (e.cause !== undefined) out.cause = err(e.cause);
  return out;
}

/** Run fn(): log what it returned (as `kinds`, for streams), threw, or its promise settled to. */
async function attempt(impl, log, tag, fn) {
  let ret;
  try {
    ret = fn();
  } catch (e) {
    log('threw', tag, err(e));
    return undefined;
  }
  if (ret && typeof ret.then === 'function') {
    try {
      const v = await ret;
      log('resolved', tag, v);
      return v;
    } catch (e) {
      log('rejected', tag, err(e));
      return undefined;
    }
  }
  if (ret && typeof ret.on === 'function') log('returned', tag, kinds(impl, ret));
  else log('returned', tag, ret);
  return ret;
}

/** `ms` milliseconds on a timer. */
const delay = (ms, v) => new Promise((resolve) => setTimeout(() => resolve(v), ms));

module.exports = { sdifferential: rdifferential, source, collect, kinds, err, attempt, delay };
