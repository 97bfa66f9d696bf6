'use strict';
// Private state of sluice's stream state objects, under descriptive Symbols: out of the way of
// the fields Node's `_writableState` / `_readableState` have (code in the wild enumerates and
// assigns those), and named for what they hold.

module.exports = {
  /** The Rust core's external handle (the first argument of every wWrite/wOp/rPush/rRead/rOp). */
  kHandle: Symbol('sluice.handle'),
  /**
   * `Uint32Array` over the slab chunk that holds the shared block: the block's words (flags,
   * answer; protocol `U_*`) are at `kW + U_*`. One view per chunk, not per stream: a view is
   * ~100 B of heap and ~60 ns to make.
   */
  kWords: Symbol('sluice.words'),
  /** Index of the block's first word in kWords. */
  kW: Symbol('sluice.wordAt'),
  /** `Float64Array` over the same chunk: the block's slots (counters, statistics; protocol `S_*`) at `kS + S_*`. */
  kSlots: Symbol('sluice.slots'),
  /** Index of the block's first slot in kSlots. */
  kS: Symbol('sluice.slotAt'),
  /** The queued chunk values (Writable: write requests; Readable: chunks), oldest at kQueueHead. */
  kQueue: Symbol('sluice.queue'),
  /** Index of the oldest live entry of kQueue (entries before it are consumed, awaiting compaction). */
  kQueueHead: Symbol('sluice.queueHead'),
  /**
   * On a state whose core must stay in place once its stream closes (lib/slab.js retires the
   * others'): a native sink keeps the state's views for its own fast path.
   */
  kKeepCore: Symbol('sluice.keepCore'),
  /**
   * On a stream class's prototype: its writes with a callback take the core's path, not the
   * standing answer (the native sinks, whose own write paths account callbacks in the core).
   */
  kCallbacksThroughCore: Symbol('sluice.callbacksThroughCore'),
  /**
   * On a writable state: its queue holds runs of held writes (lib/sinks.js), so `buffered`
   * spreads them out. Set from the start on a native sink's state, so its shape never changes.
   */
  kHeldRuns: Symbol('sluice.heldRuns'),
  /**
   * On a native stream: how many native events it waits for (lib/native-events.js holds it
   * strongly while above 0). Set when the stream is made: added at its first wait, it changed
   * the stream's shape mid-run, a deoptimization of every write path that had seen it.
   */
  kHolds: Symbol('sluice.holds'),
  /** A synchronous completion of the last write not yet told to the core (protocol `ARG_SYNC_DONE*`). */
  kSyncDone: Symbol('sluice.syncDone'),
};
