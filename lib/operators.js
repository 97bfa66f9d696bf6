'use strict';
// The Readable operators (map, filter, flatMap, drop, take, asIndexedPairs on Node 20; forEach,
// toArray, some, find, every, reduce), on sluice's own async iterator. The stream-returning ones
// hand an async generator to sluice's `Readable.from`, so what they return is a sluice Readable
// (objectMode, highWaterMark 1, as Node's); the others return promises.
//
// Observable behaviour follows node:stream: `map` calls `fn` in source order as chunks arrive,
// keeps at most `concurrency` calls pending and at most `concurrency + highWaterMark` results
// queued (default highWaterMark `concurrency - 1`), yields results in source order; a failing
// `fn` or an aborted signal stops the pull from the source, and the source is destroyed when the
// iteration over it ends early (the async iterator's own `return`).

const util = require('util');
const NodeStream = require('stream');
const { since } = require('./node-version');
const {
  AbortError,
  abortErrorOf,
  ERR_MISSING_ARGS,
  ERR_OUT_OF_RANGE,
  ERR_ILLEGAL_CONSTRUCTOR,
  validateFunction,
  validateInteger,
  validateOptions,
} = require('./validate');

const SKIP = Symbol('skip'); // a map result that yields nothing (filter's misses, forEach)
const END = Symbol('end'); // the source ran out

function map(fn, options) {
  validateFunction(fn, 'fn');
  validateOptions(options);
  const concurrency = options?.concurrency != null ? Math.floor(options.concurrency) : 1;
  const extra = options?.highWaterMark != null ? Math.floor(options.highWaterMark) : concurrency - 1;
  validateInteger(concurrency, 'options.concurrency', 1);
  validateInteger(extra, 'options.highWaterMark', 0);
  const limit = concurrency + extra; // results held before the pull from the source pauses
  const source = this;
  const outerSignal = options?.signal;

  return (async function* map() {
    // `fn` gets a signal of its own that follows options.signal, as Node's does.
    const signal = AbortSignal.any(outerSignal ? [outerSignal] : []);
    const fnOptions = { signal };
    const results = []; // promises, in source order, or END
    let pending = 0; // fn calls not settled yet
    let stopped = false;
    let wakeConsumer = null;
    let wakeProducer = null;

    const poke = (which) => {
      if (which === 'consumer' && wakeConsumer) {
        const w = wakeConsumer;
        wakeConsumer = null;
        w();
      } else if (which === 'producer' && wakeProducer && !stopped && pending < concurrency && results.length < limit) {
        const w = wakeProducer;
        wakeProducer = null;
        w();
      }
    };
    const settled = () => {
      pending--;
      poke('producer');
    };
    const failed = () => {
      stopped = true;
      settled();
    };
    const enqueue = (promise) => {
      pending++;
      promise.then(settled, failed);
      results.push(promise);
      poke('consumer');
    };

    (async () => {
      try {
        for await (const chunk of source) {
          if (stopped) return;
          if (signal.aborted) throw new AbortError();
          let result;
          try {
            result = fn(chunk, fnOptions);
            if (result === SKIP) continue;
            result = Promise.resolve(result);
          } catch (err) {
            result = Promise.reject(err);
          }
          enqueue(result);
          if (!stopped && (results.length >= limit || pending >= concurrency)) {
            await new Promise((resolve) => {
              wakeProducer = resolve;
            });
          }
        }
        results.push(END);
      } catch (err) {
        enqueue(Promise.reject(err));
      } finally {
        stopped = true;
        poke('consumer');
      }
    })();

    try {
      for (;;) {
        while (results.length > 0) {
          const value = await results[0];
          if (value === END) return;
          if (signal.aborted) throw new AbortError();
          if (value !== SKIP) yield value;
          results.shift();
          poke('producer');
        }
        await new Promise((resolve) => {
          wakeConsumer = resolve;
        });
      }
    } finally {
      stopped = true;
      if (wakeProducer) {
        const w = wakeProducer;
        wakeProducer = null;
        w();
      }
    }
  }).call(this);
}

function filter(fn, options) {
  validateFunction(fn, 'fn');
  return map.call(this, async (value, opts) => ((await fn(value, opts)) ? value : SKIP), options);
}

function flatMap(fn, options) {
  const mapped = map.call(this, fn, options);
  return (async function* flatMap() {
    for await (const inner of mapped) yield* inner;
  }).call(this);
}

/** Node's count argument of drop/take: a number, NaN as 0, negative refused. */
function countOf(number) {
  const n = Number(number);
  if (Number.isNaN(n)) return 0;
  if (n < 0) throw new ERR_OUT_OF_RANGE('number', '>= 0', n);
  return n;
}

function drop(number, options = undefined) {
  validateOptions(options);
  let left = countOf(number);
  return (async function* drop() {
    if (options?.signal?.aborted) throw new AbortError();
    for await (const chunk of this) {
      if (options?.signal?.aborted) throw new AbortError();
      if (left-- <= 0) yield chunk;
    }
  }).call(this);
}

function take(number, options = undefined) {
  validateOptions(options);
  let left = countOf(number);
  return (async function* take() {
    if (options?.signal?.aborted) throw new AbortError();
    for await (const chunk of this) {
      if (options?.signal?.aborted) throw new AbortError();
      if (left-- > 0) yield chunk;
      if (left <= 0) return; // no further pull once the count is reached
    }
  }).call(this);
}

function asIndexedPairs(options = undefined) {
  validateOptions(options);
  return (async function* asIndexedPairs() {
    let i = 0;
    for await (const chunk of this) {
      if (options?.signal?.aborted) throw abortErrorOf(options.signal);
      yield [i++, chunk];
    }
  }).call(this);
}

async function some(fn, options = undefined) {
  // eslint-disable-next-line no-unused-vars
  for await (const _ of filter.call(this, fn, options)) return true;
  return false;
}

async function every(fn, options = undefined) {
  validateFunction(fn, 'fn');
  return !(await some.call(this, async (...args) => !(await fn(...args)), options));
}

async function find(fn, options) {
  for await (const found of filter.call(this, fn, options)) return found;
  return undefined;
}

async function forEach(fn, options) {
  validateFunction(fn, 'fn');
  const each = async (value, opts) => {
    await fn(value, opts);
    return SKIP;
  };
  // eslint-disable-next-line no-unused-vars
  for await (const _ of map.call(this, each, options));
}

async function toArray(options) {
  validateOptions(options);
  const out = [];
  for await (const chunk of this) {
    if (options?.signal?.aborted) throw abortErrorOf(options.signal);
    out.push(chunk);
  }
  return out;
}

function emptyReduceError() {
  const err = new ERR_MISSING_ARGS('reduce');
  err.message = 'Reduce of an empty stream requires an initial value';
  return err;
}

async function reduce(reducer, initialValue, options) {
  validateFunction(reducer, 'reducer');
  validateOptions(options);
  let acc = initialValue;
  let hasAcc = arguments.length > 1;
  const outer = options?.signal;
  if (outer?.aborted) {
    const err = abortErrorOf(outer);
    this.once('error', () => {}); // the rejection carries it
    await new Promise((resolve) => NodeStream.finished(this.destroy(err), () => resolve()));
    throw err;
  }
  const ac = new AbortController();
  let onAbort;
  if (outer) {
    onAbort = () => ac.abort();
    outer.addEventListener('abort', onAbort, { once: true });
  }
  let any = false;
  try {
    for await (const chunk of this) {
      any = true;
      if (outer?.aborted) throw new AbortError();
      if (!hasAcc) {
        acc = chunk;
        hasAcc = true;
      } else {
        acc = await reducer(acc, chunk, { signal: ac.signal });
      }
    }
    if (!any && !hasAcc) throw emptyReduceError();
  } finally {
    ac.abort();
    if (onAbort) outer.removeEventListener('abort', onAbort);
  }
  return acc;
}

// name → [implementation, length] in Node's order of definition on the prototype.
const STREAM_RETURNING = { drop: [drop, 1], filter: [filter, 2], flatMap: [flatMap, 2], map: [map, 2], take: [take, 1] };
if (!since.NO_AS_INDEXED_PAIRS) {
  STREAM_RETURNING.asIndexedPairs = [
    util.deprecate(asIndexedPairs, 'readable.asIndexedPairs will be removed in a future version.'), 0];
}
const PROMISE_RETURNING = {
  every: [every, 1], forEach: [forEach, 2], reduce: [reduce, 3], toArray: [toArray, 1], some: [some, 1], find: [find, 2],
};

function named(fn, name, length) {
  Object.defineProperty(fn, 'name', { value: name });
  Object.defineProperty(fn, 'length', { value: length });
  return fn;
}

/** The prototype methods, bound to `Readable` (sluice's) for the stream-returning ones. */
function operatorMethods(Readable) {
  const methods = {};
  for (const [key, [op, length]] of Object.entries(STREAM_RETURNING)) {
    methods[key] = named(function (...args) {
      if (new.target) throw new ERR_ILLEGAL_CONSTRUCTOR();
      return Readable.from(op.apply(this, args));
    }, key, length);
  }
  for (const [key, [op, length]] of Object.entries(PROMISE_RETURNING)) {
    methods[key] = named(function (...args) {
      if (new.target) throw new ERR_ILLEGAL_CONSTRUCTOR();
      return op.apply(this, args);
    }, key, length);
  }
  return methods;
}

module.exports = { operatorMethods, STREAM_RETURNING, PROMISE_RETURNING };
