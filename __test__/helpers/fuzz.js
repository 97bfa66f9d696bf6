'use strict';

// Differential fuzzing (issue 8): random operation sequences from a seed, run
// against node:stream and against sluice through trace.js's `traceOf` (same
// logger, shapes, uncaught-exception capture and timeout as the hand-written
// scenarios), and compared entry by entry.
//
//   generate(kind, seed)         -> spec (plain JSON: stream configs + ops)
//   interpret(spec, impl, log)   -> the scenario: runs the ops, logging a trace
//   traceSpec(spec, impl)        -> trace (array of entries)
//   diffSpec(spec)               -> { diverged, at, nodeTrace, sluiceTrace }
//   shrinkSpec(spec)             -> a smaller spec that still diverges
//   fuzzOne(kind, seed)          -> null, or a finding (seed, minimal spec, first
//                                   differing entry, context)
//
// kind: 'writable' | 'readable' | 'duplex' | 'transform'.
//
// Everything random is drawn at generation time, from the seed: the ops, their
// arguments, the tick awaited after each op, and the behaviour of every hook
// call (the n-th _write of a stream completes as spec.<stream>.writes[n] says,
// the n-th _read as .reads[n], ...). The interpreter draws nothing, so a spec
// replays identically (SLUICE_DIFF_SELF=1 checks that: both sides node:stream).
//
// Same environment switches as trace.js / rtrace.js (SLUICE_DIFF_SELF,
// SLUICE_DIFF_IMPL, SLUICE_DIFF_TIMEOUT).

const util = require('node:util');
const trace = require('./trace');
const { nodeImpl, loadSluice, READABLE_PROPS } = require('./rtrace');
const { DUPLEX_PROPS } = require('./dtrace');

const KINDS = ['writable', 'readable', 'duplex', 'transform'];
const MAX_OPS = 25;

// ---------------------------------------------------------------------------
// Seeded PRNG (mulberry32 over a 32-bit state; seeds are any integers).

function mix(seed) {
  // Spread consecutive seeds apart (splitmix-style finaliser, 32-bit).
  let h = (Number(seed) >>> 0) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  constructor(seed) {
    this.s = mix(seed);
  }

  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n) { return Math.floor(this.next() * n); }
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  bool(p = 0.5) { return this.next() < p; }
  pick(arr) { return arr[this.int(arr.length)]; }

  // table: { name: weight, ... } or [[value, weight], ...]
  weighted(table) {
    const entries = Array.isArray(table) ? table : Object.entries(table);
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.next() * total;
    for (const [v, w] of entries) {
      if ((x -= w) < 0) return v;
    }
    return entries[entries.length - 1][0];
  }
}

// ---------------------------------------------------------------------------
// Chunk descriptors (JSON) and their materialisation (fresh values per run).

function mat(d) {
  switch (d.t) {
    case 'buf': return Buffer.from(d.hex, 'hex');
    case 'u8': return new Uint8Array(Buffer.from(d.hex, 'hex'));
    case 'str': return d.s;
    case 'rep': return d.c.repeat(d.n); // large printable string
    case 'bigbuf': return Buffer.alloc(d.n, d.c);
    case 'obj': return JSON.parse(d.json);
    case 'num': return d.v;
    case 'bool': return d.v;
    case 'null': return null;
    case 'undef': return undefined;
    default: throw new Error(`unknown chunk descriptor ${JSON.stringify(d)}`);
  }
}

function fmtChunk(d) {
  switch (d.t) {
    case 'buf': return `buf(${d.hex.length / 2}:${d.hex.slice(0, 16)}${d.hex.length > 16 ? '…' : ''})`;
    case 'u8': return `u8(${d.hex.length / 2}:${d.hex.slice(0, 16)}${d.hex.length > 16 ? '…' : ''})`;
    case 'str': return JSON.stringify(d.s.length > 24 ? `${d.s.slice(0, 24)}…` : d.s);
    case 'rep': return `'${d.c}'×${d.n}`;
    case 'bigbuf': return `buf('${d.c}'×${d.n})`;
    case 'obj': return d.json;
    case 'num': case 'bool': return String(d.v);
    case 'null': return 'null';
    case 'undef': return 'undefined';
    default: return '?';
  }
}

const TEXT = 'abcxyz0129 \n';
const WIDE = ['é', '€', '😀', 'ß', 'ü'];

function text(rng, n, wide = 0.15) {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.bool(wide) ? rng.pick(WIDE) : rng.pick(TEXT);
  return s;
}

function bytesHex(rng, n) {
  // Mostly printable (readable traces), sometimes arbitrary bytes or a
  // multi-byte UTF-8 sequence (to split across chunks under setEncoding).
  const out = [];
  const mode = rng.weighted({ printable: 6, utf8: 3, binary: 1 });
  while (out.length < n) {
    if (mode === 'binary') out.push(rng.int(256));
    else if (mode === 'utf8' && rng.bool(0.3)) out.push(...Buffer.from(rng.pick(WIDE)));
    else out.push(TEXT.charCodeAt(rng.int(TEXT.length)));
  }
  return Buffer.from(out.slice(0, n)).toString('hex');
}

function sizeFor(rng, hwm) {
  const h = hwm === undefined ? 16384 : hwm;
  const big = h <= 64 || rng.bool(0.1); // large chunks vs the default hwm: rarely
  return rng.weighted([
    [0, 2], [1, 5], [2, 4], [3, 4], [5, 4], [8, 3],
    [Math.max(0, h - 1), big ? 3 : 0], [h, big ? 3 : 0], [h + 1, big ? 3 : 0], [2 * h + 3, big ? 2 : 0],
  ]);
}

function bytesChunk(rng, n, t) {
  if (n > 64) return { t: 'bigbuf', n, c: rng.pick(['a', 'b', 'z']) };
  return { t, hex: bytesHex(rng, n) };
}

// A string valid (mostly) for `enc`.
function stringFor(rng, enc, n) {
  switch (enc) {
    case 'hex': {
      let s = '';
      for (let i = 0; i < n * 2; i++) s += rng.pick('0123456789abcdef');
      if (rng.bool(0.1)) s += 'f'; // odd length: Node truncates
      return s;
    }
    case 'base64': case 'base64url':
      return Buffer.from(bytesHex(rng, n), 'hex').toString(enc);
    case 'latin1': case 'binary': case 'ascii':
      return text(rng, n, 0.05);
    default:
      return text(rng, n);
  }
}

const ENCODINGS = [
  ['utf8', 6], ['hex', 2], ['base64', 2], ['latin1', 2], ['utf16le', 2], ['ascii', 1],
  ['ucs2', 1], ['binary', 1], ['base64url', 1], ['UTF-8', 1], ['bogus', 1],
];

// A chunk for write()/push()/unshift()/end(), with an optional encoding argument.
//   ctx: { objectMode, hwm, allowInvalid }
function genChunk(rng, { objectMode, hwm, allowInvalid = true }) {
  if (objectMode) {
    const t = rng.weighted({ obj: 5, str: 3, num: 2, buf: 2, arr: 1, falsy: 1, empty: 1, undef: allowInvalid ? 1 : 0, null: allowInvalid ? 1 : 0 });
    switch (t) {
      case 'obj': return { chunk: { t: 'obj', json: JSON.stringify({ n: rng.int(100) }) } };
      case 'arr': return { chunk: { t: 'obj', json: JSON.stringify([rng.int(9), 'x']) } };
      case 'str': return { chunk: { t: 'str', s: text(rng, rng.range(1, 6)) } };
      case 'num': return { chunk: { t: 'num', v: rng.int(1000) } };
      case 'buf': return { chunk: bytesChunk(rng, rng.range(1, 5), 'buf') };
      case 'falsy': return { chunk: rng.pick([{ t: 'num', v: 0 }, { t: 'bool', v: false }]) };
      case 'empty': return { chunk: rng.pick([{ t: 'str', s: '' }, { t: 'buf', hex: '' }]) };
      case 'undef': return { chunk: { t: 'undef' } };
      default: return { chunk: { t: 'null' } };
    }
  }
  const t = rng.weighted({ buf: 5, str: 6, u8: 2, empty: 2, invalid: allowInvalid ? 1 : 0 });
  const n = sizeFor(rng, hwm);
  switch (t) {
    case 'buf': return { chunk: bytesChunk(rng, n, 'buf'), enc: rng.bool(0.15) ? rng.weighted(ENCODINGS) : undefined };
    case 'u8': return { chunk: bytesChunk(rng, n, 'u8') };
    case 'empty': return { chunk: rng.pick([{ t: 'str', s: '' }, { t: 'buf', hex: '' }, { t: 'u8', hex: '' }]) };
    case 'invalid':
      return { chunk: rng.pick([{ t: 'num', v: 42 }, { t: 'obj', json: '{"a":1}' }, { t: 'null' }, { t: 'undef' }, { t: 'bool', v: true }]) };
    default: {
      const enc = rng.bool(0.5) ? rng.weighted(ENCODINGS) : undefined;
      if (n > 64) return { chunk: { t: 'rep', c: rng.pick(['a', 'q']), n }, enc: enc === 'utf16le' || enc === 'ucs2' ? enc : undefined };
      return { chunk: { t: 'str', s: stringFor(rng, enc, n) }, enc };
    }
  }
}

// ---------------------------------------------------------------------------
// Hook behaviours (drawn per call at generation time).

const WRITE_BEHAVIOURS = {
  sync: 30, nextTick: 14, immediate: 12, microtask: 10,
  'err-sync': 4, 'err-nextTick': 4, never: 4, twice: 1,
};
const FINAL_BEHAVIOURS = {
  sync: 6, nextTick: 4, immediate: 4, microtask: 3, 'err-sync': 2, 'err-nextTick': 2, never: 1,
};
const READ_BEHAVIOURS = {
  noop: 8, 'push-sync': 10, 'push-nextTick': 5, 'push-immediate': 4, 'push-microtask': 3,
  'push2-sync': 3, 'eof-sync': 2, 'eof-nextTick': 2, 'push-eof-sync': 2, 'err-destroy': 1,
};
const TRANSFORM_BEHAVIOURS = {
  'pass-sync': 20, 'none-sync': 3, 'push2-sync': 3, 'pass-nextTick': 8, 'pass-immediate': 6,
  'pass-microtask': 5, 'upper-sync': 3, 'empty-sync': 2, 'err-sync': 2, 'err-nextTick': 2, never: 2,
  twice: 1,
};
const FLUSH_BEHAVIOURS = {
  sync: 5, 'data-sync': 4, 'push-then-cb': 2, nextTick: 3, 'data-immediate': 2, 'err-sync': 1,
  'err-nextTick': 1, never: 1,
};
const CONSTRUCT_BEHAVIOURS = { sync: 3, nextTick: 3, immediate: 3, 'err-nextTick': 1 };
const DESTROY_HOOKS = { 'pass-sync': 3, 'pass-nextTick': 3, swallow: 1, replace: 1 };

function behaviours(rng, table, min, max) {
  const n = rng.range(min, max);
  const out = [];
  for (let i = 0; i < n; i++) out.push(rng.weighted(table));
  return out;
}

function genHwm(rng, dflt = 0.15) {
  return rng.bool(dflt) ? undefined : rng.weighted([[0, 2], [1, 3], [2, 2], [4, 3], [8, 2], [16, 3], [64, 1]]);
}

function maybe(rng, p, f) {
  return rng.bool(p) ? f() : undefined;
}

function clean(o) {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// Writable-side configuration (hooks + options).
function genWritableCfg(rng, { objectMode } = {}) {
  const hwm = genHwm(rng);
  return clean({
    highWaterMark: hwm,
    objectMode: objectMode !== undefined ? objectMode : (rng.bool(0.15) || undefined),
    decodeStrings: maybe(rng, 0.1, () => false),
    defaultEncoding: maybe(rng, 0.08, () => rng.pick(['hex', 'latin1', 'utf16le', 'base64'])),
    emitClose: maybe(rng, 0.08, () => false),
    autoDestroy: maybe(rng, 0.1, () => false),
    writev: maybe(rng, 0.4, () => true),
    final: maybe(rng, 0.5, () => rng.weighted(FINAL_BEHAVIOURS)),
    construct: maybe(rng, 0.08, () => rng.weighted(CONSTRUCT_BEHAVIOURS)),
    destroyHook: maybe(rng, 0.12, () => rng.weighted(DESTROY_HOOKS)),
    writes: behaviours(rng, WRITE_BEHAVIOURS, 0, 12),
  });
}

function genReadableCfg(rng, { objectMode } = {}) {
  const om = objectMode !== undefined ? objectMode : (rng.bool(0.15) || undefined);
  const hwm = genHwm(rng);
  const chunks = [];
  const nChunks = rng.range(0, 6);
  for (let i = 0; i < nChunks; i++) chunks.push(genChunk(rng, { objectMode: om, hwm, allowInvalid: false }).chunk);
  return clean({
    highWaterMark: hwm,
    objectMode: om,
    // objectMode + encoding is legal but odd (a non-string chunk makes push()
    // throw from the decoder): keep it, rarely.
    encoding: maybe(rng, om ? 0.02 : 0.08, () => rng.pick(['utf8', 'hex', 'latin1', 'base64'])),
    emitClose: maybe(rng, 0.08, () => false),
    autoDestroy: maybe(rng, 0.1, () => false),
    construct: maybe(rng, 0.08, () => rng.weighted(CONSTRUCT_BEHAVIOURS)),
    destroyHook: maybe(rng, 0.12, () => rng.weighted(DESTROY_HOOKS)),
    reads: behaviours(rng, READ_BEHAVIOURS, 0, 8),
    chunks,
  });
}

function genDuplexCfg(rng) {
  const w = genWritableCfg(rng);
  const r = genReadableCfg(rng);
  const cfg = { ...w, ...r, writes: w.writes, reads: r.reads };
  delete cfg.objectMode;
  delete cfg.highWaterMark;
  const om = rng.weighted({ none: 6, both: 2, readable: 1, writable: 1 });
  if (om === 'both') cfg.objectMode = true;
  if (om === 'readable') cfg.readableObjectMode = true;
  if (om === 'writable') cfg.writableObjectMode = true;
  const hw = rng.weighted({ none: 3, both: 3, split: 2 });
  if (hw === 'both') cfg.highWaterMark = genHwm(rng, 0);
  if (hw === 'split') {
    cfg.readableHighWaterMark = genHwm(rng, 0);
    cfg.writableHighWaterMark = genHwm(rng, 0);
  }
  if (rng.bool(0.3)) cfg.allowHalfOpen = false;
  return clean(cfg);
}

function genTransformCfg(rng) {
  const cfg = genDuplexCfg(rng);
  delete cfg.reads; // Transform's _read is its own
  delete cfg.chunks;
  delete cfg.writes;
  delete cfg.writev;
  delete cfg.final;
  cfg.passThrough = rng.bool(0.15) || undefined;
  if (!cfg.passThrough) {
    cfg.transforms = behaviours(rng, TRANSFORM_BEHAVIOURS, 0, 12);
    cfg.flush = maybe(rng, 0.5, () => rng.weighted(FLUSH_BEHAVIOURS));
    cfg.final = maybe(rng, 0.1, () => rng.weighted(FINAL_BEHAVIOURS));
  }
  return clean(cfg);
}

// Stream sides by kind.
const SIDES = {
  writable: { w: true, r: false },
  readable: { w: false, r: true },
  duplex: { w: true, r: true },
  transform: { w: true, r: true },
};

const LABEL = { writable: 'w', readable: 'r', duplex: 'd', transform: 't' };

const TICKS = { none: 40, nextTick: 20, microtask: 20, immediate: 20 };

const OP_WEIGHTS = {
  writable: {
    write: 30, cork: 6, uncork: 6, end: 8, destroy: 2, setDefaultEncoding: 2, snap: 3,
    release: 4, once: 6, pipe: 2, unpipe: 2,
  },
  readable: {
    push: 25, read: 15, pause: 5, resume: 6, on: 11, off: 3, unshift: 4, setEncoding: 3,
    destroy: 2, snap: 3, once: 6, pipe: 4, unpipe: 2,
  },
  duplex: {
    write: 18, push: 14, read: 10, end: 6, cork: 3, uncork: 4, pause: 3, resume: 4, on: 6,
    off: 2, unshift: 2, setEncoding: 2, destroy: 2, snap: 2, release: 3, once: 5, pipe: 4, unpipe: 2,
  },
  transform: {
    write: 25, end: 8, read: 10, pause: 3, resume: 5, on: 7, off: 2, setEncoding: 2, cork: 3,
    uncork: 3, destroy: 2, snap: 2, release: 4, once: 5, pipe: 4, unpipe: 2, push: 2, unshift: 1,
  },
};

// Ops a `once` listener may run from inside an event.
const SUB_OPS = {
  writable: { write: 5, end: 3, destroy: 1, cork: 1, uncork: 1 },
  readable: { push: 4, read: 3, pause: 2, resume: 2, unshift: 1, destroy: 1 },
  duplex: { write: 3, end: 2, push: 3, read: 2, pause: 1, resume: 1, destroy: 1 },
  transform: { write: 3, end: 2, read: 2, pause: 1, resume: 1, destroy: 1 },
};

const ONCE_EVENTS = {
  writable: { drain: 4, finish: 3, prefinish: 1, close: 1, error: 2, pipe: 1, unpipe: 1 },
  readable: { data: 4, end: 3, readable: 2, pause: 1, resume: 1, close: 1, error: 2 },
  duplex: { drain: 2, finish: 2, data: 3, end: 2, readable: 1, close: 1, error: 1 },
  transform: { drain: 2, finish: 2, prefinish: 1, data: 3, end: 2, readable: 1, close: 1, error: 1 },
};

function writeSideOM(cfg) {
  return !!(cfg.objectMode || cfg.writableObjectMode);
}
function readSideOM(cfg) {
  return !!(cfg.objectMode || cfg.readableObjectMode);
}

function genOp(rng, kind, cfg, name, nested = false) {
  const wctx = { objectMode: writeSideOM(cfg), hwm: cfg.writableHighWaterMark ?? cfg.highWaterMark };
  const rctx = { objectMode: readSideOM(cfg), hwm: cfg.readableHighWaterMark ?? cfg.highWaterMark };
  switch (name) {
    case 'write': {
      const { chunk, enc } = genChunk(rng, wctx);
      return clean({ op: 'write', chunk, enc: enc ?? maybe(rng, 0.05, () => rng.pick([null, 'buffer'])), cb: rng.bool(0.5) || undefined });
    }
    case 'end': {
      const form = rng.weighted({ plain: 4, cb: 3, chunk: 2, 'chunk-cb': 2 });
      const op = { op: 'end' };
      if (form === 'chunk' || form === 'chunk-cb') Object.assign(op, genChunk(rng, wctx));
      if (form === 'cb' || form === 'chunk-cb') op.cb = true;
      return clean(op);
    }
    case 'cork': case 'uncork': case 'pause': case 'resume': case 'snap':
      return { op: name };
    case 'setDefaultEncoding':
      return { op: name, enc: rng.weighted(ENCODINGS) };
    case 'destroy':
      return clean({
        op: 'destroy',
        err: rng.weighted({ none: 3, plain: 3, coded: 1, nul: 1 }),
        cb: rng.bool(0.15) || undefined,
      });
    case 'release':
      return clean({ op: 'release', err: rng.bool(0.25) || undefined });
    case 'push': {
      const kindOf = rng.weighted({ data: 8, null: 2, invalid: 1 });
      if (kindOf === 'null') return { op: 'push', chunk: { t: 'null' } };
      if (kindOf === 'invalid' && !rctx.objectMode) {
        return { op: 'push', chunk: rng.pick([{ t: 'num', v: 7 }, { t: 'obj', json: '{"a":1}' }, { t: 'undef' }]) };
      }
      const { chunk, enc } = genChunk(rng, { ...rctx, allowInvalid: false });
      return clean({ op: 'push', chunk, enc });
    }
    case 'unshift': {
      const { chunk, enc } = genChunk(rng, { ...rctx, allowInvalid: rng.bool(0.1) });
      return clean({ op: 'unshift', chunk, enc });
    }
    case 'read':
      return clean({
        op: 'read',
        n: rng.weighted([[undefined, 8], [0, 3], [1, 3], [2, 2], [3, 2], [5, 2], [16, 2], [100, 2], [-1, 1], [0x40000001, 0.3]]),
      });
    case 'on': {
      const ev = rng.weighted({ data: 5, readable: 5 });
      const h = ev === 'data'
        ? rng.weighted({ none: 6, pause: 2, 'pause-resume-immediate': 1 })
        : rng.weighted({ loop: 5, one: 3, none: 2, readN: 2 });
      return { op: 'on', ev, h };
    }
    case 'off':
      return { op: 'off', ev: rng.weighted({ data: 1, readable: 1 }) };
    case 'setEncoding':
      return { op: 'setEncoding', enc: rng.weighted([['utf8', 4], ['hex', 2], ['base64', 2], ['latin1', 1], ['utf16le', 1], [undefined, 1], ['bogus', 0.5]]) };
    case 'once': {
      const ev = rng.weighted(ONCE_EVENTS[kind]);
      const subName = rng.weighted(SUB_OPS[kind]);
      return { op: 'once', ev, sub: genOp(rng, kind, cfg, subName, true) };
    }
    case 'pipe': {
      // dir 'out': primary.pipe(peer Writable); dir 'in': peer Readable.pipe(primary).
      const sides = SIDES[kind];
      const dir = sides.r && sides.w ? rng.pick(['in', 'out']) : sides.r ? 'out' : 'in';
      const peer = dir === 'out'
        ? genWritableCfg(rng, { objectMode: rng.bool(0.8) ? readSideOM(cfg) || undefined : undefined })
        : genReadableCfg(rng, { objectMode: rng.bool(0.8) ? writeSideOM(cfg) || undefined : undefined });
      if (dir === 'out') delete peer.construct; // keep peers simple
      return clean({ op: 'pipe', dir, peer, end: rng.bool(0.15) ? false : undefined });
    }
    case 'unpipe': {
      const sides = SIDES[kind];
      const dir = sides.r && sides.w ? rng.pick(['in', 'out']) : sides.r ? 'out' : 'in';
      return clean({ op: 'unpipe', dir, all: rng.bool(0.3) || undefined });
    }
    default:
      throw new Error(`genOp: unknown op ${name} (nested=${nested})`);
  }
}

function generate(kind, seed) {
  if (!KINDS.includes(kind)) throw new Error(`unknown kind ${kind}`);
  const rng = new Rng(seed);
  const cfg = kind === 'writable' ? genWritableCfg(rng)
    : kind === 'readable' ? genReadableCfg(rng)
      : kind === 'duplex' ? genDuplexCfg(rng)
        : genTransformCfg(rng);
  const n = rng.range(1, MAX_OPS);
  const ops = [];
  const piped = new Set();
  const on = { data: 0, readable: 0 };
  const holds = [cfg.final, cfg.construct, ...(cfg.writes || []), ...(cfg.transforms || [])].includes('never');
  for (let i = 0; i < n; i++) {
    // Terminal ops are likelier late in the sequence, so that most sequences
    // do something before they end or destroy the stream.
    const late = 0.25 + 1.5 * (i / n);
    const weights = Object.entries(OP_WEIGHTS[kind]).map(([name, w]) => {
      if (name === 'setEncoding' && readSideOM(cfg)) return [name, w * 0.2];
      if (name === 'end' || name === 'destroy') return [name, w * late];
      if (name === 'unpipe') return [name, piped.size ? w : 0];
      if (name === 'off') return [name, on.data + on.readable ? w : 0];
      if (name === 'release') return [name, holds || piped.has('out') ? w : 0];
      return [name, w];
    });
    const op = genOp(rng, kind, cfg, rng.weighted(weights));
    if (op.op === 'pipe') piped.add(op.dir);
    if (op.op === 'unpipe' && !piped.has(op.dir)) op.dir = [...piped][0];
    if (op.op === 'on') on[op.ev]++;
    op.tick = rng.weighted(TICKS);
    ops.push(op);
  }
  return { kind, seed, cfg, ops };
}

// ---------------------------------------------------------------------------
// Interpretation.

const immediate = () => new Promise((resolve) => setImmediate(resolve));
const nextTick = () => new Promise((resolve) => process.nextTick(resolve));

function mkErr(tag) {
  return new Error(`fuzz:${tag}`);
}

// Run `fn` now or later, per the behaviour's timing part.
function later(how, fn) {
  if (how === 'sync') fn();
  else if (how === 'nextTick') process.nextTick(fn);
  else if (how === 'microtask') queueMicrotask(fn);
  else if (how === 'immediate') setImmediate(fn);
  else throw new Error(`later: ${how}`);
}

class Ctx {
  constructor(spec, impl, log) {
    this.spec = spec;
    this.impl = impl;
    this.log = log;
    this.activity = 0;
    this.held = []; // callbacks of 'never' behaviours, released by the 'release' op
    this.handlers = { data: [], readable: [] };
    this.peers = {}; // in: peer Readable, out: peer Writable
  }

  rec(...values) {
    this.activity++;
    this.log(...values);
  }

  track(stream, label) {
    this.log.track(stream, label);
    const traced = stream.emit;
    const ctx = this;
    stream.emit = function countedEmit() {
      ctx.activity++;
      return traced.apply(this, arguments);
    };
    return stream;
  }

  // The n-th call of a hook: its behaviour from `list` (default `dflt`).
  static nth(list, n, dflt) {
    return list && n < list.length ? list[n] : dflt;
  }
}

// _write / _writev / _final callback completion.
function completeCb(ctx, how, cb, tag) {
  switch (how) {
    case 'sync': case 'nextTick': case 'microtask': case 'immediate':
      later(how, () => cb());
      return;
    case 'err-sync':
      cb(mkErr(tag));
      return;
    case 'err-nextTick':
      process.nextTick(() => cb(mkErr(tag)));
      return;
    case 'never':
      ctx.held.push({ tag, cb });
      return;
    case 'twice':
      cb();
      try {
        cb();
      } catch (err) {
        ctx.rec('cb-twice-threw', tag, err);
      }
      return;
    default:
      throw new Error(`unknown completion ${how}`);
  }
}

function addHooks(ctx, opts, cfg, label, sides) {
  const counts = { write: 0, writev: 0, final: 0, read: 0, transform: 0 };
  let next = 0; // next source chunk for _read
  if (sides.w && cfg.writes !== undefined) {
    opts.write = function (chunk, encoding, cb) {
      const n = counts.write++;
      ctx.rec('_write', label, n, chunk, encoding, this.writableLength);
      completeCb(ctx, Ctx.nth(cfg.writes, n + counts.writev, 'sync'), cb, `${label}._write#${n}`);
    };
    if (cfg.writev) {
      opts.writev = function (chunks, cb) {
        const n = counts.writev++;
        ctx.rec('_writev', label, n, chunks.map((c) => [c.chunk, c.encoding]), this.writableLength);
        completeCb(ctx, Ctx.nth(cfg.writes, n + counts.write, 'sync'), cb, `${label}._writev#${n}`);
      };
    }
  }
  if (cfg.final) {
    opts.final = function (cb) {
      const n = counts.final++;
      ctx.rec('_final', label, n, this.writableLength);
      completeCb(ctx, cfg.final, cb, `${label}._final`);
    };
  }
  if (sides.r && cfg.reads !== undefined) {
    opts.read = function (size) {
      const n = counts.read++;
      ctx.rec('_read', label, n, size, this.readableLength);
      const how = Ctx.nth(cfg.reads, n, 'noop');
      const chunks = cfg.chunks || [];
      const push = (v) => {
        let ret;
        try {
          ret = this.push(v);
        } catch (err) {
          ctx.rec('_read-push-threw', label, err);
          return;
        }
        ctx.rec('_read-push', label, v, ret);
      };
      const pushNext = () => {
        if (next < chunks.length) push(mat(chunks[next++]));
      };
      switch (how) {
        case 'noop': return;
        case 'push-sync': pushNext(); return;
        case 'push-nextTick': process.nextTick(pushNext); return;
        case 'push-immediate': setImmediate(pushNext); return;
        case 'push-microtask': queueMicrotask(pushNext); return;
        case 'push2-sync': pushNext(); pushNext(); return;
        case 'eof-sync': push(null); return;
        case 'eof-nextTick': process.nextTick(() => push(null)); return;
        case 'push-eof-sync': pushNext(); push(null); return;
        case 'err-destroy': this.destroy(mkErr(`${label}._read#${n}`)); return;
        default: throw new Error(`unknown read behaviour ${how}`);
      }
    };
  }
  if (cfg.transforms !== undefined) {
    opts.transform = function (chunk, encoding, cb) {
      const n = counts.transform++;
      ctx.rec('_transform', label, n, chunk, encoding, this.writableLength, this.readableLength);
      const how = Ctx.nth(cfg.transforms, n, 'pass-sync');
      const tag = `${label}._transform#${n}`;
      const [what, when] = how.split('-');
      switch (what) {
        case 'pass': later(when, () => cb(null, chunk)); return;
        case 'none': cb(); return;
        case 'push2': {
          ctx.rec('t-push', label, this.push(chunk), this.push(chunk));
          cb();
          return;
        }
        case 'upper': cb(null, typeof chunk === 'string' ? chunk.toUpperCase() : String(chunk).toUpperCase()); return;
        case 'empty': cb(null, ''); return;
        case 'err': completeCb(ctx, how, cb, tag); return;
        case 'never': case 'twice': completeCb(ctx, how, cb, tag); return;
        default: throw new Error(`unknown transform behaviour ${how}`);
      }
    };
  }
  if (cfg.flush) {
    opts.flush = function (cb) {
      ctx.rec('_flush', label, this.readableLength);
      const tag = `${label}._flush`;
      switch (cfg.flush) {
        case 'sync': case 'nextTick': completeCb(ctx, cfg.flush, cb, tag); return;
        case 'data-sync': cb(null, 'flushed'); return;
        case 'data-immediate': setImmediate(() => cb(null, 'flushed')); return;
        case 'push-then-cb': ctx.rec('flush-push', label, this.push('tail')); cb(); return;
        default: completeCb(ctx, cfg.flush, cb, tag);
      }
    };
  }
  if (cfg.construct) {
    opts.construct = function (cb) {
      ctx.rec('_construct', label);
      completeCb(ctx, cfg.construct, cb, `${label}._construct`);
    };
  }
  if (cfg.destroyHook) {
    opts.destroy = function (err, cb) {
      ctx.rec('_destroy', label, err);
      switch (cfg.destroyHook) {
        case 'pass-sync': cb(err); return;
        case 'pass-nextTick': process.nextTick(() => cb(err)); return;
        case 'swallow': cb(); return;
        case 'replace': cb(mkErr(`${label}._destroy`)); return;
        default: throw new Error(`unknown destroy hook ${cfg.destroyHook}`);
      }
    };
  }
}

const OPTION_KEYS = [
  'highWaterMark', 'objectMode', 'decodeStrings', 'defaultEncoding', 'emitClose', 'autoDestroy',
  'encoding', 'readableObjectMode', 'writableObjectMode', 'readableHighWaterMark',
  'writableHighWaterMark', 'allowHalfOpen',
];

function makeStream(ctx, klass, cfg, label, sides) {
  const opts = {};
  for (const k of OPTION_KEYS) if (cfg[k] !== undefined) opts[k] = cfg[k];
  addHooks(ctx, opts, cfg, label, sides);
  const s = new ctx.impl[klass](opts);
  return ctx.track(s, label);
}

function makePrimary(ctx) {
  const { kind, cfg } = ctx.spec;
  const label = LABEL[kind];
  if (kind === 'writable') return makeStream(ctx, 'Writable', { writes: [], ...cfg }, label, SIDES.writable);
  if (kind === 'readable') return makeStream(ctx, 'Readable', { reads: [], ...cfg }, label, SIDES.readable);
  if (kind === 'duplex') return makeStream(ctx, 'Duplex', { writes: [], reads: [], ...cfg }, label, SIDES.duplex);
  if (cfg.passThrough) {
    const c = { ...cfg };
    delete c.transforms;
    delete c.flush;
    delete c.final;
    return makeStream(ctx, 'PassThrough', c, label, { w: false, r: false });
  }
  return makeStream(ctx, 'Transform', { transforms: [], ...cfg }, label, { w: false, r: false });
}

function peerOf(ctx, dir, cfg) {
  if (!ctx.peers[dir]) {
    ctx.peers[dir] = dir === 'out'
      ? makeStream(ctx, 'Writable', { writes: [], ...cfg }, 'pw', SIDES.writable)
      : makeStream(ctx, 'Readable', { reads: [], ...cfg }, 'pr', SIDES.readable);
  }
  return ctx.peers[dir];
}

// Small state after every op.
function mini(ctx, s) {
  const { kind } = ctx.spec;
  const out = [];
  const get = (p) => {
    try {
      return s[p];
    } catch (err) {
      return `threw:${err && err.code}`;
    }
  };
  if (SIDES[kind].w) out.push(get('writableLength'), get('writableNeedDrain'), get('writableEnded'), get('writableFinished'), get('writableCorked'));
  if (SIDES[kind].r) out.push(get('readableLength'), get('readableFlowing'), get('readableEnded'));
  out.push(get('destroyed'));
  return out;
}

function fullProps(ctx, s) {
  const { kind } = ctx.spec;
  const list = kind === 'writable' ? trace.WRITABLE_PROPS : kind === 'readable' ? READABLE_PROPS : DUPLEX_PROPS;
  const out = trace.props(s, list);
  if (SIDES[kind].r) {
    try {
      out.isPaused = s.isPaused();
    } catch (err) {
      out.isPaused = { threw: trace.shape(err) };
    }
  }
  return out;
}

function dataHandler(ctx, s, h) {
  return function onData(chunk) {
    if (h === 'none') return;
    ctx.rec('h-data', h, chunk);
    s.pause();
    if (h === 'pause-resume-immediate') setImmediate(() => s.resume());
  };
}

function readableHandler(ctx, s, h) {
  return function onReadable() {
    const read = (...args) => {
      let ret;
      try {
        ret = s.read(...args);
      } catch (err) {
        ctx.rec('h-read-threw', err);
        return null;
      }
      ctx.rec('h-read', args, ret, s.readableLength);
      return ret;
    };
    if (h === 'none') return;
    if (h === 'one') read();
    else if (h === 'readN') read(2);
    else {
      let guard = 0;
      while (read() !== null && ++guard < 50);
    }
  };
}

function chunkArgs(op) {
  const args = [];
  if ('chunk' in op) args.push(mat(op.chunk));
  if ('enc' in op) args.push(op.enc);
  return args;
}

function runOp(ctx, s, op, tag) {
  const { log } = ctx;
  const call = (fn) => {
    ctx.activity++;
    return log.call(tag, fn);
  };
  switch (op.op) {
    case 'write': {
      const args = chunkArgs(op);
      if (op.cb) args.push(log.cb(tag));
      call(() => s.write(...args));
      break;
    }
    case 'end': {
      const args = chunkArgs(op);
      if (op.cb) args.push(log.cb(tag));
      call(() => s.end(...args));
      break;
    }
    case 'cork': call(() => s.cork()); break;
    case 'uncork': call(() => s.uncork()); break;
    case 'pause': call(() => s.pause()); break;
    case 'resume': call(() => s.resume()); break;
    case 'setDefaultEncoding': call(() => s.setDefaultEncoding(op.enc)); break;
    case 'setEncoding': call(() => s.setEncoding(op.enc)); break;
    case 'snap': ctx.rec('snap', tag, fullProps(ctx, s)); break;
    case 'destroy': {
      const args = [];
      if (op.err === 'plain') args.push(mkErr(tag));
      else if (op.err === 'coded') args.push(Object.assign(mkErr(tag), { code: 'EFUZZ' }));
      else if (op.err === 'nul') args.push(null);
      if (op.cb) {
        if (!args.length) args.push(undefined);
        args.push(log.cb(tag));
      }
      call(() => s.destroy(...args));
      break;
    }
    case 'release': {
      const h = ctx.held.shift();
      if (!h) {
        ctx.rec('release', tag, 'nothing-held');
        break;
      }
      ctx.rec('release', tag, h.tag);
      call(() => (op.err ? h.cb(mkErr(`release:${h.tag}`)) : h.cb()));
      break;
    }
    case 'push': call(() => s.push(...chunkArgs(op))); break;
    case 'unshift': call(() => s.unshift(...chunkArgs(op))); break;
    case 'read': call(() => ('n' in op ? s.read(op.n) : s.read())); break;
    case 'on': {
      const f = op.ev === 'data' ? dataHandler(ctx, s, op.h) : readableHandler(ctx, s, op.h);
      ctx.handlers[op.ev].push(f);
      call(() => s.on(op.ev, f));
      break;
    }
    case 'off': {
      const f = ctx.handlers[op.ev].pop();
      if (!f) {
        ctx.rec('off', tag, 'no-handler');
        break;
      }
      call(() => s.removeListener(op.ev, f));
      break;
    }
    case 'once': {
      const { sub } = op;
      call(() => s.once(op.ev, (...args) => {
        ctx.rec('once-fired', tag, op.ev, args.length);
        runOp(ctx, s, sub, `${tag}/${sub.op}`);
      }));
      break;
    }
    case 'pipe': {
      const peer = peerOf(ctx, op.dir, op.peer);
      const pipeOpts = op.end === false ? [{ end: false }] : [];
      if (op.dir === 'out') call(() => s.pipe(peer, ...pipeOpts));
      else call(() => peer.pipe(s, ...pipeOpts));
      break;
    }
    case 'unpipe': {
      const peer = ctx.peers[op.dir];
      if (!peer) {
        ctx.rec('unpipe', tag, 'no-peer');
        break;
      }
      const [src, dst] = op.dir === 'out' ? [s, peer] : [peer, s];
      call(() => (op.all ? src.unpipe() : src.unpipe(dst)));
      break;
    }
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

async function awaitTick(kind) {
  if (kind === 'nextTick') await nextTick();
  else if (kind === 'microtask') await null;
  else if (kind === 'immediate') await immediate();
}

const SETTLE_QUIET = 3; // setImmediate turns without any activity
const SETTLE_MAX = 40;

// The scenario: build the stream(s), run the ops (each followed by its tick),
// settle, snapshot everything.
async function interpret(spec, impl, log) {
  const ctx = new Ctx(spec, impl, log);
  let s;
  try {
    s = makePrimary(ctx);
  } catch (err) {
    ctx.rec('ctor-threw', err);
    return;
  }
  ctx.rec('created', mini(ctx, s));
  for (let i = 0; i < spec.ops.length; i++) {
    const op = spec.ops[i];
    const tag = `${i}:${op.op}`;
    ctx.rec('step', i, op.op);
    runOp(ctx, s, op, tag);
    ctx.rec('st', i, mini(ctx, s));
    await awaitTick(op.tick);
  }
  ctx.rec('ops-done');
  let quiet = 0;
  for (let turn = 0; turn < SETTLE_MAX && quiet < SETTLE_QUIET; turn++) {
    const before = ctx.activity;
    await immediate();
    quiet = ctx.activity === before ? quiet + 1 : 0;
  }
  ctx.rec('final', fullProps(ctx, s));
  for (const dir of ['in', 'out']) {
    const p = ctx.peers[dir];
    if (p) ctx.rec('final-peer', dir, trace.props(p, dir === 'in' ? READABLE_PROPS : trace.WRITABLE_PROPS));
  }
  ctx.rec('held', ctx.held.map((h) => h.tag));
}

// ---------------------------------------------------------------------------
// Running and comparing.

const RUN_OPTS = { timeout: Number(process.env.SLUICE_DIFF_TIMEOUT) || 2000 };

function traceSpec(spec, impl) {
  return trace.traceOf(impl, (im, log) => interpret(spec, im, log), RUN_OPTS);
}

function fmtEntry(e) {
  return util.inspect(e, { depth: Infinity, breakLength: Infinity, compact: true, maxArrayLength: 50, maxStringLength: 120 });
}

function firstDivergence(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.length || i >= b.length) return i;
    if (!util.isDeepStrictEqual(a[i], b[i])) return i;
  }
  return -1;
}

async function diffSpec(spec) {
  const nodeTrace = await traceSpec(spec, nodeImpl);
  const sluiceTrace = await traceSpec(spec, loadSluice());
  const at = firstDivergence(nodeTrace, sluiceTrace);
  return { diverged: at !== -1, at, nodeTrace, sluiceTrace };
}

// Shrink: drop ops one at a time (then simplify what is left) while the traces
// still diverge. Deterministic; bounded by `budget` re-runs.
async function shrinkSpec(spec, { budget = 400 } = {}) {
  let cur = spec;
  let runs = 0;
  const still = async (cand) => {
    runs++;
    return (await diffSpec(cand)).diverged;
  };
  const attempt = async (cand) => {
    if (runs >= budget) return false;
    if (await still(cand)) {
      cur = cand;
      return true;
    }
    return false;
  };
  let changed = true;
  while (changed && runs < budget) {
    changed = false;
    for (let i = cur.ops.length - 1; i >= 0 && runs < budget; i--) {
      if (i >= cur.ops.length) continue;
      if (await attempt({ ...cur, ops: cur.ops.filter((_, j) => j !== i) })) changed = true;
    }
  }
  // Simplify the survivors: ticks to 'none', `once` to its bare sub-op.
  for (let i = 0; i < cur.ops.length && runs < budget; i++) {
    if (cur.ops[i].tick !== 'none') {
      const ops = cur.ops.slice();
      ops[i] = { ...ops[i], tick: 'none' };
      await attempt({ ...cur, ops });
    }
  }
  // Drop optional config (hooks, options) that the divergence does not need.
  for (const key of Object.keys(cur.cfg)) {
    if (runs >= budget) break;
    const cfg = { ...cur.cfg };
    delete cfg[key];
    await attempt({ ...cur, cfg });
  }
  // Truncate the per-call behaviour lists.
  for (const key of ['writes', 'reads', 'transforms', 'chunks']) {
    while (Array.isArray(cur.cfg[key]) && cur.cfg[key].length && runs < budget) {
      const cfg = { ...cur.cfg, [key]: cur.cfg[key].slice(0, -1) };
      if (!(await attempt({ ...cur, cfg }))) break;
    }
  }
  return { spec: cur, runs };
}

// Human-readable op list.
function fmtOp(op) {
  const a = [];
  switch (op.op) {
    case 'write': case 'end': case 'push': case 'unshift':
      if (op.chunk) a.push(fmtChunk(op.chunk));
      if ('enc' in op) a.push(op.enc === undefined ? 'undefined' : JSON.stringify(op.enc));
      if (op.cb) a.push('cb');
      break;
    case 'destroy':
      if (op.err !== 'none') a.push(op.err === 'nul' ? 'null' : `Error${op.err === 'coded' ? '{code}' : ''}`);
      if (op.cb) a.push('cb');
      break;
    case 'read': if ('n' in op) a.push(String(op.n)); break;
    case 'setEncoding': case 'setDefaultEncoding': a.push(op.enc === undefined ? 'undefined' : JSON.stringify(op.enc)); break;
    case 'on': a.push(op.ev, op.h); break;
    case 'off': a.push(op.ev); break;
    case 'release': if (op.err) a.push('Error'); break;
    case 'once': a.push(op.ev, `=> ${fmtOp({ ...op.sub, tick: 'none' })}`); break;
    case 'pipe': a.push(op.dir, JSON.stringify(op.peer)); if (op.end === false) a.push('{end:false}'); break;
    case 'unpipe': a.push(op.dir); if (op.all) a.push('all'); break;
    default: break;
  }
  return `${op.op}(${a.join(', ')})${op.tick && op.tick !== 'none' ? ` ~${op.tick}` : ''}`;
}

function fmtSpec(spec) {
  return [
    `${spec.kind} seed=${spec.seed} cfg=${JSON.stringify(spec.cfg)}`,
    ...spec.ops.map((op, i) => `  ${String(i).padStart(2)} ${fmtOp(op)}`),
  ].join('\n');
}

function fmtContext(nodeTrace, sluiceTrace, at, before = 4) {
  const lines = [];
  for (let i = Math.max(0, at - before); i < at; i++) lines.push(`      [${i}] ${fmtEntry(nodeTrace[i])}`);
  lines.push(`  node   [${at}] ${at < nodeTrace.length ? fmtEntry(nodeTrace[at]) : '<end of trace>'}`);
  lines.push(`  sluice [${at}] ${at < sluiceTrace.length ? fmtEntry(sluiceTrace[at]) : '<end of trace>'}`);
  return lines.join('\n');
}

// Run one seed; on divergence shrink and return a finding.
async function fuzzOne(kind, seed, { shrink = true, budget } = {}) {
  const spec = generate(kind, seed);
  const r = await diffSpec(spec);
  if (!r.diverged) return null;
  let min = spec;
  let runs = 0;
  if (shrink) ({ spec: min, runs } = await shrinkSpec(spec, { budget }));
  const m = min === spec ? r : await diffSpec(min);
  return {
    kind,
    seed,
    original: { ops: spec.ops.length, at: r.at, node: r.nodeTrace[r.at], sluice: r.sluiceTrace[r.at] },
    minimal: min,
    shrinkRuns: runs,
    at: m.at,
    node: m.at < m.nodeTrace.length ? m.nodeTrace[m.at] : '<end of trace>',
    sluice: m.at < m.sluiceTrace.length ? m.sluiceTrace[m.at] : '<end of trace>',
    context: fmtContext(m.nodeTrace, m.sluiceTrace, m.at),
    nodeTrace: m.nodeTrace,
    sluiceTrace: m.sluiceTrace,
  };
}

function fmtFinding(f) {
  return [
    `divergence: ${f.kind} seed ${f.seed} (original ${f.original.ops} ops, shrunk to ${f.minimal.ops.length} in ${f.shrinkRuns} runs)`,
    fmtSpec(f.minimal),
    `first differing entry (index ${f.at}):`,
    f.context,
  ].join('\n');
}

module.exports = {
  KINDS,
  MAX_OPS,
  Rng,
  generate,
  interpret,
  traceSpec,
  diffSpec,
  shrinkSpec,
  fuzzOne,
  fmtSpec,
  fmtOp,
  fmtEntry,
  fmtFinding,
  firstDivergence,
};
