'use strict';
// The behaviours of node:stream that differ between the Node versions sluice supports (20–26),
// in one table. The running version is read once, at load; every other module asks `since.X`
// (a boolean) and never compares version numbers itself.
//
// Each row: the behaviour's name, the first version that has it, and (for behaviours a later
// Node dropped again) the first version that no longer has it. A row is added only with a
// differential test that pins it (named in the comment) under the versions on both sides.
// Versions are pinned to what was observed on the binaries the test matrix runs
// (scripts/node-versions.sh): where the change landed inside a release line, the row names the
// line's first version.

/** [major, minor, patch] of the running Node. */
const RUNNING = process.versions.node.split('.').map(Number);

/** `a >= b` for [major, minor, patch] triples. */
function atLeast(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/**
 * name → [from, until?] ("x.y.z" strings). Keep sorted by version, then name.
 * @type {Record<string, [string, string?]>}
 */
const TABLE = {
  // Default byte highWaterMark 64 KiB instead of 16 KiB (read from node:stream itself, lib/hwm.js;
  // listed for the record). Pinned by readable.push "default byte highWaterMark".
  DEFAULT_HWM_64K: ['22.0.0'],
  // `stream.Readable.prototype.asIndexedPairs` was removed.
  NO_AS_INDEXED_PAIRS: ['22.0.0'],
  // --- Writable (keep this block together) ---
  // The consumed head of the write queue (nulls before `_writableState.bufferedIndex`) is
  // spliced off after a pass only once it is at least half the array (before: as soon as it
  // passes 256 entries). Pinned by state.fields "_writableState.buffered keeps consumed slots".
  WRITABLE_QUEUE_COMPACTS_HALF: ['24.0.0'],
  // `write(string, 'buffer')` throws ERR_UNKNOWN_ENCODING even with `decodeStrings: false`
  // (before, the string went to `_write` with encoding 'buffer'). Pinned by writable.encoding
  // "write(string, 'buffer') and unknown encodings with decodeStrings: false".
  WRITE_STRING_BUFFER_ENCODING_THROWS: ['24.0.0'],
  // `_readableState` has `fastChunk`, `pipeOnData`, `pipePause` (own fields of Node 26's
  // flowing/pipe fast path; sluice keeps them as plain assignable fields). Pinned by
  // state.fields "every field of Node <version>'s Readable state exists on sluice's and is
  // assignable as in Node" (and its Duplex readable side twin).
  READABLE_STATE_PIPE_FAST_FIELDS: ['26.0.0'],
};

/** `since.NAME` is true when the running Node has the behaviour NAME. */
const since = {};
for (const [name, [from, until]] of Object.entries(TABLE)) {
  const f = from.split('.').map(Number);
  const u = until ? until.split('.').map(Number) : null;
  since[name] = atLeast(RUNNING, f) && !(u && atLeast(RUNNING, u));
}
Object.freeze(since);

module.exports = { since, TABLE, RUNNING };
