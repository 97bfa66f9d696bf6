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
  // --- Readable (lib/readable.js; the core's switches `sw` in src/core/readable.rs). Each row is
  // pinned by the test of the same name in __test__/readable.versions.test.js.
  // The read-more step is not started while a `_read` is pending.
  READ_MORE_WAITS_FOR_READ: ['22.0.0'],
  // read(n) with a decoder that ends in a later chunk takes exactly n characters. Node 20
  // compared n with the buffer list's slot count instead of that chunk's length (taking the
  // whole chunk when equal, else leaving an empty string queued at a chunk's end).
  READ_N_STRING_EXACT: ['22.0.0'],
  // The end step is scheduled at most once at a time (the flag clears when it runs).
  END_SCHEDULED_ONCE: ['24.0.0'],
  // push(null) inside `_read` with nobody observing (not flowing, no 'readable' wanted, no
  // listener) skips the 'readable' step; a 'readable' listener added later redeems it.
  EOF_READABLE_ON_DEMAND: ['24.0.0'],
  // The async iterator's cleanup leaves a half-open Duplex (readable side ended cleanly,
  // writable side open) undestroyed; Node 26 destroys it again.
  ITER_PRESERVES_HALF_OPEN: ['24.0.0', '26.0.0'],
  // `pipe()` destroys the destination with an error thrown by its `write()` (nodejs/node#55270).
  PIPE_CATCHES_WRITE_THROW: ['24.0.0'],
  // `setEncoding()` on an ended stream also flushes the new decoder's tail.
  SET_ENCODING_FLUSHES_ENDED: ['24.0.0'],
  // The flowing fast loop (`flowSync`): the next chunk's `_read` runs before 'data' for the
  // current one, with the pushed buffer parked outside the buffer list; a single pipe
  // destination that is idle is written without a 'data' event.
  FLOW_SYNC: ['26.0.0'],
  // The async iterator is a plain object (not an async generator): next() resolves from a
  // buffered chunk at once; requests made while one waits are queued.
  ITER_NOT_GENERATOR: ['26.0.0'],
  // `pause()` and `resume()` do nothing on a destroyed stream.
  NO_PAUSE_RESUME_DESTROYED: ['26.0.0'],
  // `read()` without a size in byte mode without a decoder takes one chunk, not all
  // (nodejs/node#60441).
  READ_ONE_CHUNK: ['26.0.0'],
  // pipe's cleanup calls its drain handler whenever it awaits a drain, not only when the
  // destination still needs one (nodejs/node#53185).
  UNPIPE_DRAIN_UNCONDITIONAL: ['26.0.0'],
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
