'use strict';
// The slabs of stream cores (src/binding/slab.rs): a stream's core is an index, and its shared
// block a slot of a chunk — one ArrayBuffer per SLAB_CHUNK streams, allocated here, lent to
// the addon and kept alive by this module for the environment's life (each worker thread loads
// it anew, with its own slabs). A stream then costs no N-API object of its own: one call, two
// indices into the chunk's typed-array views (shared by the chunk's streams), and a
// FinalizationRegistry entry that gives the core back when the state object is collected.

const native = require('./native');
const protocol = require('./protocol');
const { kHandle, kWords, kW, kSlots, kS } = require('./symbols');

const { SLAB_CHUNK, SLAB_SHIFT, SLAB_MASK, SLAB_FULL } = protocol.addon;
const WORDS_PER_SLOT = Float64Array.BYTES_PER_ELEMENT / Uint32Array.BYTES_PER_ELEMENT;

/** The state constructors' last argument from the Duplex constructor (see registerPair). */
const PAIRED = Symbol('sluice.paired');

function slab(create, adopt, free, ns) {
  const { S_COUNT } = ns;
  const blockBytes = S_COUNT * Float64Array.BYTES_PER_ELEMENT;
  // Per lent chunk, its two views: [words, slots].
  const chunks = [];
  // The addon answers how many chunks stay lent: trailing ones with no core left are given
  // back, and their ArrayBuffers dropped here (no view of them is left: every state that had
  // one was collected).
  function release(idx) {
    const lent = free(idx);
    if (lent < chunks.length) chunks.length = lent;
  }
  const cores = new FinalizationRegistry(release);
  /**
   * Makes the core of `state` and gives it its handle and views; with `paired` (PAIRED) the
   * caller registers it with its Duplex peer's (registerPair) instead of on its own.
   */
  function attach(state, objectMode, hwm, options, paired) {
    let idx = create(objectMode ? 1 : 0, hwm, options);
    if (idx === SLAB_FULL) {
      const ab = new ArrayBuffer(blockBytes * SLAB_CHUNK);
      if (!adopt(ab)) throw new Error('sluice: the addon refused a slab chunk');
      chunks.push([new Uint32Array(ab), new Float64Array(ab)]);
      idx = create(objectMode ? 1 : 0, hwm, options);
    }
    const views = chunks[idx >>> SLAB_SHIFT];
    const at = (idx & SLAB_MASK) * S_COUNT;
    state[kHandle] = idx;
    state[kWords] = views[0];
    state[kW] = at * WORDS_PER_SLOT;
    state[kSlots] = views[1];
    state[kS] = at;
    if (paired !== PAIRED) cores.register(state, idx);
  }
  return { attach, release };
}

const W = slab(native.wCreate, native.wAdopt, native.wFree, protocol.writable);
const R = slab(native.rCreate, native.rAdopt, native.rFree, protocol.readable);

// A Duplex's two cores go back together, when its readable state is collected: one
// FinalizationRegistry entry per Duplex, not two (an entry is ~75 B and the costliest part of
// making a stream). The writable state holds the readable one (kPeer), so it cannot outlive it
// and never sees its core go. Holdings: [writable index, readable index].
const kPeer = Symbol('sluice.peer');
const pairs = new FinalizationRegistry((h) => {
  W.release(h[0]);
  R.release(h[1]);
});

/** Registers the cores of a Duplex's states (both made with PAIRED) as one entry. */
function registerPair(ws, rs) {
  ws[kPeer] = rs;
  pairs.register(rs, [ws[kHandle], rs[kHandle]]);
}

module.exports = {
  attachWritable: W.attach,
  attachReadable: R.attach,
  registerPair,
  PAIRED,
};
