'use strict';
// The slabs of stream cores (src/binding/slab.rs): a stream's core is an index, and its shared
// block a slot of a chunk — one ArrayBuffer per SLAB_CHUNK streams, allocated here, lent to
// the addon and kept alive by this module for the environment's life (each worker thread loads
// it anew, with its own slabs). A stream then costs no N-API object of its own: one call, two
// indices into the chunk's typed-array views (shared by the chunk's streams).
//
// Born without a core. Most streams never call into their core (every step of their lives a
// standing answer), so a new stream gets a block of a birth tomb (zeroed memory of this
// module's, as a new core's block would be: see `template`) and no core; its first call
// resumes one over that block, in place (`coreOf`). One that never calls costs no core, no
// sweep and no retirement; one that does is then a stream made since the last sweep like any
// other (below), whose retirement copies nothing.
//
// How a core goes back. Most streams are short-lived: made, used and closed within one turn of
// the loop. A FinalizationRegistry entry for each (~75 B of weak cell, and a collection's work
// to find it dead) cost more than the rest of such a stream's making, so a stream is not
// registered when it is made. Once the turn's ticks have run (the sweep, below), each stream
// made since is either
//  - retired, if it has closed: its views move to a block of a tomb (memory of this module's,
//    SLAB_TOMB_BYTES, which goes with the last of its streams: no registry needed), and the
//    addon copies its block there as it gives its core back to the slab (one call per tomb
//    for all of a turn's, and the next streams reuse the same, warm, slots); or
//  - retired in the same way at the late look if it is still open (never ended, or finished
//    without autoDestroy), unless the core holds more than its block (it answers so); a
//    registry entry keeps its target through every scavenge until a full collection, so a
//    stream dropped unclosed cost some 1 µs of GC when registered (3-10x a Node stream); or
//  - registered: its core goes back when its state is collected. That is for a core that
//    refused, and for a stream retired before and resumed since (it is in use: it keeps the
//    core it was resumed with instead of a copy and a resume per turn).
// A retired stream keeps answering from its block (every field, every getter); a call into
// its core (a write after destroy, an assignment, `_undestroy()`; for an open one, any step
// its standing answers do not cover) first resumes a core over the tomb block as it stands
// (`coreOf`), which then counts as a new stream for the next sweep. Views are only ever
// changed by the sweep, which runs as a microtask or a tick of its own (never with facade code
// on the stack), so no facade code holding a view in a local sees them change.

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { Buffer } = require('node:buffer');
const native = require('./native');
const protocol = require('./protocol');
const { kHandle, kWords, kW, kSlots, kS, kKeepCore } = require('./symbols');

const { SLAB_CHUNK, SLAB_SHIFT, SLAB_MASK, SLAB_FULL, SLAB_NOT_RETIRED, SLAB_NO_COPY, SLAB_RELOCATE, SLAB_TOMB_BYTES, SLAB_STOCK } = protocol.addon;
const WORDS_PER_SLOT = Float64Array.BYTES_PER_ELEMENT / Uint32Array.BYTES_PER_ELEMENT;
// Word 0 of the shared block is the flags word in both cores (protocol.rs checks it).
const { U_FLAGS } = protocol.writable;

/** The state constructors' last argument from the Duplex constructor (see registerPair). */
const PAIRED = Symbol('sluice.paired');
/**
 * Where a state's block is: IN_SLAB (its core's slot), BORN (a birth tomb, no core yet), BORN_CORE
 * (a birth tomb, with the core its first call resumed there), RESUMED (a tomb, with a core
 * resumed after a sweep retired it: in use). Out of the slab a retirement copies nothing.
 */
const kInTomb = Symbol('sluice.inTomb');
const IN_SLAB = Symbol('sluice.inSlab');
const BORN = Symbol('sluice.born');
const BORN_CORE = Symbol('sluice.bornWithCore');
const RESUMED = Symbol('sluice.resumed');

// When the sweep runs. Not in a macrotask of its own: an extra turn of the loop is observable
// (after an uncaught exception in a tick, the ticks left over run at the next macrotask, and
// one of ours would run them earlier than Node does). First in a microtask queued when the
// first stream of a turn is made: by then every tick of the turn has run, and a stream whose
// whole life is ticks (made, written, ended, finished, destroyed, closed) has closed. Those
// still open get a second look in a tick queued from there, once the microtasks have drained
// (a close after a promise: `Readable.from`'s iterator, an async `_destroy`); the ones still
// open then are registered.
let sweepScheduled = false;
let lateScheduled = false;
function scheduleSweep() {
  if (!sweepScheduled) {
    sweepScheduled = true;
    queueMicrotask(sweepEarly);
  }
}
function sweepEarly() {
  sweepScheduled = false;
  sweep(false);
}
function sweepLate() {
  lateScheduled = false;
  sweep(true);
}
function scheduleLate() {
  if (!lateScheduled) {
    lateScheduled = true;
    queueMicrotask(lateTick);
  }
}
// The late sweep's tick is queued from a microtask of its own, behind the microtasks queued
// before it: the reactions of promises settled during the turn's ticks (`Readable.from`'s
// `_destroy` calls back in a tick queued from one), whose ticks then run before it.
function lateTick() {
  process.nextTick(sweepLate);
}

// The sweep's index lists are kept between sweeps up to this length (grown for a burst, then
// given back).
const BATCH_KEPT = 4096;

function slab(fns, ns, closing) {
  const { create, adopt, free, retire, resume, stock } = fns;
  const { S_COUNT, S_HWM, CLOSED, OBJECT_MODE, MADE_FROM_OPTIONS } = ns;
  const blockBytes = S_COUNT * Float64Array.BYTES_PER_ELEMENT;
  // Blocks per tomb (and per retirement call).
  const TOMB = Math.floor(SLAB_TOMB_BYTES / blockBytes);
  // Per lent chunk, its two views: [words, slots].
  const chunks = [];
  function lend() {
    const ab = new ArrayBuffer(blockBytes * SLAB_CHUNK);
    if (!adopt(ab)) throw new Error('sluice: the addon refused a slab chunk');
    chunks.push([new Uint32Array(ab), new Float64Array(ab)]);
  }
  // The addon answers how many chunks stay lent: trailing ones with no core left are given
  // back, and their ArrayBuffers dropped here (no view of them is left: every state that had
  // one was collected or retired).
  function shrinkTo(lent) {
    if (lent < chunks.length) chunks.length = lent;
  }
  function release(idx) {
    shrinkTo(free(idx));
  }
  const cores = new FinalizationRegistry(release);
  /** Leaves `state`'s core to the registry: it goes back when the state is collected. */
  function register(state) {
    cores.register(state, state[kHandle]);
  }
  // States made (or resumed) since the last sweep, not registered: the sweep decides; those
  // the early sweep left open, for the late one.
  let young = [];
  let older = [];
  // States born since the last sweep, and those the early sweep passed to the late look: a
  // born stream still open then leaves its birth tomb for a dense one (moveOut), so that a
  // long-lived stream born among short-lived ones does not keep their tomb (32 KiB) alive.
  let newborn = [];
  let olderBorn = [];

  // A stream is born retired: most streams never call into their core (every step of their
  // lives a standing answer), so a new stream of the usual options (the stock's base) gets no
  // core at all, only a block of a birth tomb holding what a new core's block would (a stocked
  // core's block, retired once into `template`, given this stream's options as the stock path
  // gives them) and the key a retirement answered for it. Its first call into the core resumes
  // one over that block, in place (coreOf), and from there it is a stream like any other. One
  // that never calls costs no core, no sweep and no retirement. A birth tomb is zeroed memory,
  // and a template is only its words that are not zero (in practice the flags word alone; the
  // mark is each stream's own).
  let template = null; // [word index, value, word index, value, ...]
  let templateKey = 0;
  let templateTried = false;
  let birth = null;
  let birthNext = TOMB;
  /** Makes `template` from a stocked core (one call to make it, one to retire it). */
  function makeTemplate() {
    // Tried once: a failure (no core could be made, or it would not retire) leaves every stream
    // to the stock, as before, rather than a core made per stream.
    if (templateTried) return false;
    templateTried = true;
    const one = new Uint32Array(1);
    if (stock(one, 1, stockBase) === 0) {
      lend();
      if (stock(one, 1, stockBase) === 0) return false;
    }
    const ab = new ArrayBuffer(blockBytes);
    const at = new Uint32Array(1);
    const idx = one[0];
    shrinkTo(retire(one, 0, 1, at, ab));
    if (one[0] === SLAB_NOT_RETIRED) {
      // (a new core always retires; if it did not, it goes back)
      release(idx);
      return false;
    }
    templateKey = one[0];
    const words = new Uint32Array(ab);
    const hwmAt = S_HWM * WORDS_PER_SLOT;
    const nonZero = [];
    for (let i = 0; i < words.length; i++) {
      if (words[i] !== 0 && i !== hwmAt && i !== hwmAt + 1) nonZero.push(i, words[i]);
    }
    template = nonZero;
    return true;
  }

  /**
   * Makes the core of `state` (or, born retired, its block: see `template`) and gives it its
   * handle and views; with `paired` (PAIRED) the caller hands it to registerPair with its
   * Duplex peer's instead.
   */
  function attach(state, objectMode, hwm, options, paired) {
    const base = options & ~MADE_FROM_OPTIONS;
    // The first stream's base is every stream's in practice (see the stock below): the first
    // stream is born retired too.
    if (stockBase === -1) stockBase = base;
    if (base === stockBase && (template !== null || makeTemplate())) {
      if (birthNext === TOMB) {
        const ab = new ArrayBuffer(blockBytes * TOMB); // zeroed
        birth = [new Uint32Array(ab), new Float64Array(ab)];
        birthNext = 0;
      }
      const at = birthNext++ * S_COUNT;
      const words = birth[0];
      const slots = birth[1];
      const w = at * WORDS_PER_SLOT;
      for (let i = 0; i < template.length; i += 2) words[w + template[i]] = template[i + 1];
      words[w + U_FLAGS] |= (options & MADE_FROM_OPTIONS) | (objectMode ? OBJECT_MODE : 0);
      slots[at + S_HWM] = hwm;
      state[kHandle] = -1 - templateKey;
      state[kInTomb] = BORN;
      state[kWords] = words;
      state[kW] = w;
      state[kSlots] = slots;
      state[kS] = at;
      newborn.push(state);
      scheduleSweep();
      return;
    }
    let idx;
    let views;
    let at;
    if (base === stockBase && (stockN > 0 || restock())) {
      // A stocked core, given this stream's options as the core would have made it
      // (protocol MADE_FROM_OPTIONS): no call.
      idx = stocked[--stockN];
      stockUsed++;
      views = chunks[idx >>> SLAB_SHIFT];
      at = (idx & SLAB_MASK) * S_COUNT;
      views[0][at * WORDS_PER_SLOT + U_FLAGS] |= (options & MADE_FROM_OPTIONS) | (objectMode ? OBJECT_MODE : 0);
      views[1][at + S_HWM] = hwm;
    } else {
      idx = create(objectMode ? 1 : 0, hwm, options);
      if (idx === SLAB_FULL) {
        lend();
        idx = create(objectMode ? 1 : 0, hwm, options);
      }
      views = chunks[idx >>> SLAB_SHIFT];
      at = (idx & SLAB_MASK) * S_COUNT;
    }
    if (stockBase === -1) stockBase = base;
    state[kHandle] = idx;
    state[kInTomb] = IN_SLAB;
    state[kWords] = views[0];
    state[kW] = at * WORDS_PER_SLOT;
    state[kSlots] = views[1];
    state[kS] = at;
    if (paired !== PAIRED) {
      young.push(state);
      scheduleSweep();
    }
  }

  // Cores made with the defaults and the options word's other bits `stockBase` (the first
  // stream's: the Readable's version switches, the same for every stream), handed out by
  // attach. A turn's stock goes back at its sweep (with the retirements, one call), so that
  // no stocked core keeps a chunk lent past the turn: a refill makes twice the last one (up to
  // SLAB_STOCK) and a turn starts with as many as the last one used.
  const stocked = new Uint32Array(SLAB_STOCK);
  let stockN = 0;
  let stockBase = -1;
  let stockNext = 1;
  let stockUsed = 0;
  /** Refills the stock (one call); false if the first stream's base has not been seen yet. */
  function restock() {
    if (stockBase === -1) return false;
    const want = stockNext;
    stockNext = Math.min(SLAB_STOCK, want * 2);
    stockN = stock(stocked, want, stockBase);
    if (stockN === 0) {
      lend();
      stockN = stock(stocked, want, stockBase);
    }
    return stockN > 0;
  }

  /** The core of `state`, resumed over its tomb block first if it was retired. */
  function coreOf(state) {
    const h = state[kHandle];
    if (h >= 0) return h;
    const slots = state[kSlots];
    const off = state[kS] * Float64Array.BYTES_PER_ELEMENT;
    let idx = resume(slots.buffer, off, -1 - h);
    if (idx === SLAB_FULL) {
      lend();
      idx = resume(slots.buffer, off, -1 - h);
    }
    state[kHandle] = idx;
    state[kInTomb] = state[kInTomb] === BORN ? BORN_CORE : RESUMED;
    young.push(state);
    scheduleSweep();
    return idx;
  }

  // The sweep's candidates for retirement, in the order of `batch`; `copies[i]`: the tomb block
  // candidate i's block goes to (SLAB_NO_COPY: it is in a tomb already, or a stocked core);
  // `handles[i]`: its index (batch[i] becomes the key to resume it with).
  let batch = new Uint32Array(256);
  let copies = new Uint32Array(256);
  let handles = new Uint32Array(256);
  // Fresh arrays each sweep (young, like the states they hold: a kept, old array written with
  // young states is a remembered-set entry per write for the next scavenge).
  let cand = [];
  let candPaired = [];
  let nCand = 0;
  // Where the sweep's candidates went: from candidate segFrom[k] on, into tomb segTomb[k].
  let segFrom = [];
  let segTomb = [];
  // The tomb blocks are handed out from: [words, slots, ArrayBuffer] of TOMB blocks, and the
  // next.
  let tomb = null;
  let tombNext = TOMB;
  // The key the addon answered last (the same for every core of a kind in practice): a
  // candidate's handle is set to it when offered, and only the candidates answered otherwise
  // are visited again after the call.
  let lastKey = 0;

  /** Whether `state` may retire: closed (`_destroy` called back), and not pinned. */
  function retirable(state) {
    return (state[kWords][state[kW] + U_FLAGS] & CLOSED) !== 0 && state[kKeepCore] !== true;
  }

  /**
   * Whether `state`, still open at the late sweep, retires all the same: not pinned, and never
   * resumed (a stream whose core was called after an earlier retirement is in use, and is
   * registered as before).
   */
  function retirableOpen(state) {
    return state[kKeepCore] !== true && state[kInTomb] !== RESUMED;
  }

  /**
   * Makes `state` a candidate of this sweep, and moves its views to the tomb block its block
   * will be copied into by the retirement (in this sweep, before any facade code runs: the
   * addon copies from the slab's chunk, not through the views).
   */
  function offer(state, paired, late = false) {
    if (nCand === batch.length) {
      batch = grown(batch, nCand);
      copies = grown(copies, nCand);
      handles = grown(handles, nCand);
    }
    const idx = state[kHandle];
    batch[nCand] = idx;
    handles[nCand] = idx;
    const where = state[kInTomb];
    // A born stream still open at the late look leaves its birth tomb (below): copied, and
    // moved even if its core cannot retire (RELOCATE).
    const moveOut = late && where === BORN_CORE && (state[kWords][state[kW] + U_FLAGS] & CLOSED) === 0;
    if (where !== IN_SLAB && !moveOut) {
      copies[nCand] = SLAB_NO_COPY;
    } else {
      const block = toTomb(state);
      if (segTomb.length === 0 || segTomb[segTomb.length - 1] !== tomb[2]) {
        segFrom.push(nCand);
        segTomb.push(tomb[2]);
      }
      copies[nCand] = moveOut ? block + SLAB_RELOCATE : block;
    }
    state[kHandle] = -1 - lastKey;
    cand.push(state);
    candPaired.push(paired);
    nCand++;
  }

  /**
   * Moves `state`'s views to the next block of the current tomb (a new tomb when it is full)
   * and answers that block's number; what fills the block is the caller's.
   */
  function toTomb(state) {
    if (tombNext === TOMB) {
      // Not zeroed (Buffer's unpooled allocation): every block is written whole.
      const ab = Buffer.allocUnsafeSlow(blockBytes * TOMB).buffer;
      tomb = [new Uint32Array(ab), new Float64Array(ab), ab];
      tombNext = 0;
    }
    const at = tombNext * S_COUNT;
    state[kWords] = tomb[0];
    state[kW] = at * WORDS_PER_SLOT;
    state[kSlots] = tomb[1];
    state[kS] = at;
    return tombNext++;
  }

  /** `arr` twice as long (or as long as `need`), its first `n` elements kept. */
  function grown(arr, n, need = 0) {
    const b = new Uint32Array(Math.max(2 * arr.length, need));
    b.set(arr.subarray(0, n));
    return b;
  }

  /**
   * Retires the candidates (a call per tomb they went to: the addon copies each block into
   * it, then frees the core); puts back the few it kept, and registers the single ones.
   */
  function settle() {
    const n = nCand;
    const back = stockN;
    stockN = 0;
    stockNext = Math.max(1, Math.min(SLAB_STOCK, stockUsed));
    stockUsed = 0;
    if (n === 0 && back === 0) return;
    const total = n + back;
    if (batch.length < total) {
      batch = grown(batch, n, total);
      copies = grown(copies, n, total);
    }
    // The stock left goes back with the retirements (fresh cores always retire).
    for (let i = 0; i < back; i++) {
      batch[n + i] = stocked[i];
      copies[n + i] = SLAB_NO_COPY;
    }
    let lent = chunks.length;
    const segs = segTomb.length;
    if (segs === 0) {
      lent = retire(batch, 0, total, copies, undefined);
    } else {
      for (let k = 0; k < segs; k++) {
        // The first segment from 0: what comes before its first copy is in tombs already.
        const from = k === 0 ? 0 : segFrom[k];
        const to = k + 1 < segs ? segFrom[k + 1] : total;
        lent = retire(batch, from, to - from, copies, segTomb[k]);
      }
    }
    const key = lastKey;
    for (let i = 0; i < n; i++) {
      if (batch[i] !== key) putBack(i);
    }
    shrinkTo(lent);
    if (batch.length > BATCH_KEPT) {
      // A burst's lists go with it (the late sweep offers every stream a burst left open).
      batch = new Uint32Array(BATCH_KEPT);
      copies = new Uint32Array(BATCH_KEPT);
      handles = new Uint32Array(BATCH_KEPT);
    }
    cand = [];
    candPaired = [];
    segFrom = [];
    segTomb = [];
    nCand = 0;
  }

  /** After the call, candidate `i` answered another key than offered, or was kept. */
  function putBack(i) {
    const state = cand[i];
    const key = batch[i];
    if (key !== SLAB_NOT_RETIRED) {
      state[kHandle] = -1 - key;
      lastKey = key;
      return;
    }
    // Kept: its core and block stay in the slab (unless it was in a tomb already).
    const idx = handles[i];
    state[kHandle] = idx;
    // (a relocated core moved its block to the tomb block the views went to)
    if (copies[i] !== SLAB_NO_COPY && copies[i] < SLAB_RELOCATE) {
      const views = chunks[idx >>> SLAB_SHIFT];
      const at = (idx & SLAB_MASK) * S_COUNT;
      state[kWords] = views[0];
      state[kW] = at * WORDS_PER_SLOT;
      state[kSlots] = views[1];
      state[kS] = at;
    }
    if (!candPaired[i]) register(state);
  }

  /**
   * The sweep's first step for single streams: offers each closed one, and registers the open
   * ones (`late`) or keeps them for the late sweep. Returns whether it kept any.
   */
  function gather(late) {
    const list = late ? older : young;
    if (late) older = [];
    else young = [];
    for (let i = 0; i < list.length; i++) {
      const state = list[i];
      if (retirable(state)) offer(state, false);
      else if (!late) older.push(state);
      else if (retirableOpen(state)) offer(state, false, true);
      else register(state);
    }
    return older.length > 0;
  }

  /**
   * The sweep's look at the born streams (see `newborn`), by birth tomb (the list is in birth
   * order): only where few of a tomb's streams are still open and core-less are those moved out
   * of it, so that a tomb full of live streams (a burst kept open) stays as it is, dense already,
   * and one with a few left among the dead gives them up. The early sweep decides each tomb's
   * streams at once, and passes on to the late look (answering that it did) only those of a tomb
   * where some may close within the turn (`closing`: ended or destroyed, or for a Readable
   * flowing; the early sweep can run before the turn's ticks, when the streams were made in a
   * microtask, or before a close that comes after a promise), which the late look may find
   * closed. A turn whose open streams are all born ones then queues
   * no late tick (Node's own tests count the ticks a turn makes: a Writable kept open across
   * turns made one more than Node's). (One that got a core is in the young lists since; a closed
   * one goes with its tomb; a pinned one keeps its views.)
   */
  function gatherBorn(late) {
    const list = late ? olderBorn : newborn;
    if (late) olderBorn = [];
    else newborn = [];
    let passed = false;
    let i = 0;
    while (i < list.length) {
      const words = list[i][kWords];
      let end = i;
      let open = 0;
      let nClosing = 0;
      while (end < list.length && list[end][kWords] === words) {
        const state = list[end];
        if (stays(state)) {
          open++;
          if ((state[kWords][state[kW] + U_FLAGS] & closing) !== 0) nClosing++;
        }
        end++;
      }
      if (open > 0 && 2 * open <= end - i) {
        for (let k = i; k < end; k++) if (stays(list[k])) moveOut(list[k]);
      } else if (!late && nClosing > 0) {
        for (let k = i; k < end; k++) olderBorn.push(list[k]);
        passed = true;
      }
      i = end;
    }
    return passed;
  }

  /** A born state still in its birth tomb, open, without a core, and not pinned. */
  function stays(state) {
    return state[kInTomb] === BORN && state[kKeepCore] !== true && (state[kWords][state[kW] + U_FLAGS] & CLOSED) === 0;
  }

  /** Copies a born, core-less state's block into a tomb block and moves its views there. */
  function moveOut(state) {
    const src = state[kWords];
    const from = state[kW];
    toTomb(state);
    // Word by word (a Float64Array copy could change the bits of a NaN-shaped pair of words).
    const dst = state[kWords];
    const to = state[kW];
    for (let k = 0; k < S_COUNT * WORDS_PER_SLOT; k++) dst[to + k] = src[from + k];
  }

  /** Leaves `state` (made with PAIRED, its peer born retired) to this slab's sweep as a single stream. */
  function adoptYoung(state) {
    young.push(state);
    scheduleSweep();
  }

  return { attach, coreOf, retirable, retirableOpen, offer, settle, gather, gatherBorn, register, release, adoptYoung };
}

// `closing`: the flags of a stream whose close may come within the turn (see gatherBorn).
const W = slab({ create: native.wCreate, adopt: native.wAdopt, free: native.wFree, retire: native.wRetire, resume: native.wResume, stock: native.wStock }, protocol.writable,
  protocol.writable.ENDING | protocol.writable.DESTROYED);
const R = slab({ create: native.rCreate, adopt: native.rAdopt, free: native.rFree, retire: native.rRetire, resume: native.rResume, stock: native.rStock }, protocol.readable,
  protocol.readable.ENDED | protocol.readable.DESTROYED | protocol.readable.FLOWING | protocol.readable.RESUME_SCHEDULED);

// A Duplex's two cores go back together, when its readable state is collected: one
// FinalizationRegistry entry per Duplex, not two. The writable state then holds the readable
// one (kPeer), so it cannot outlive it and never sees its core go. Holdings: [writable index,
// readable index]. At the sweep a closed Duplex retires both cores (or the one that can: the
// other is then registered on its own). Until then the sweep's lists hold the two states side
// by side ([ws, rs, ws, rs, ...]): the peer is only set on a pair that is registered (a
// property added to every Duplex's state was a shape change each time, ~40 ns).
const kPeer = Symbol('sluice.peer');
const pairs = new FinalizationRegistry((h) => {
  W.release(h[0]);
  R.release(h[1]);
});
/** Leaves a Duplex's two cores to the registry, as one entry (see above). */
function registerBoth(ws, rs) {
  ws[kPeer] = rs;
  pairs.register(rs, [ws[kHandle], rs[kHandle]]);
}
let youngPairs = [];
let olderPairs = [];

/**
 * Registers the cores of a Duplex's states (both made with PAIRED) as one entry. A side born
 * retired has no core (its first call resumes one, a single stream's from there); the other,
 * if it has one, goes as a single stream.
 */
function registerPair(ws, rs) {
  const wCore = ws[kHandle] >= 0;
  const rCore = rs[kHandle] >= 0;
  if (wCore && rCore) {
    youngPairs.push(ws, rs);
    scheduleSweep();
  } else if (wCore) {
    W.adoptYoung(ws);
  } else if (rCore) {
    R.adoptYoung(rs);
  }
}

function sweep(late) {
  let kept = W.gatherBorn(late);
  kept = R.gatherBorn(late) || kept;
  kept = W.gather(late) || kept;
  kept = R.gather(late) || kept;
  const list = late ? olderPairs : youngPairs;
  if (late) olderPairs = [];
  else youngPairs = [];
  const offered = [];
  for (let i = 0; i < list.length; i += 2) {
    const ws = list[i];
    const rs = list[i + 1];
    if ((W.retirable(ws) && R.retirable(rs)) || (late && W.retirableOpen(ws) && R.retirableOpen(rs))) {
      W.offer(ws, true, late);
      R.offer(rs, true, late);
      offered.push(ws, rs);
    } else if (late) {
      registerBoth(ws, rs);
    } else {
      olderPairs.push(ws, rs);
      kept = true;
    }
  }
  if (kept && !late) scheduleLate();
  W.settle();
  R.settle();
  for (let i = 0; i < offered.length; i += 2) {
    const ws = offered[i];
    const rs = offered[i + 1];
    const wKept = ws[kHandle] >= 0;
    const rKept = rs[kHandle] >= 0;
    if (wKept && rKept) registerBoth(ws, rs);
    else if (wKept) W.register(ws);
    else if (rKept) R.register(rs);
  }
}

module.exports = {
  attachWritable: W.attach,
  attachReadable: R.attach,
  /** A writable state's core index, resumed first if the stream was retired. */
  writableCore: W.coreOf,
  /** A readable state's core index, resumed first if the stream was retired. */
  readableCore: R.coreOf,
  registerPair,
  PAIRED,
};
