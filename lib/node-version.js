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

  // --- The stream surface (lib/surface.js and the modules it attaches), pinned by the
  // differential tests in __test__/surface.*.test.js.
  // `readable[Symbol.asyncDispose]` / `writable[...]` are async functions (resolve undefined, a
  // tick later) instead of returning a promise of null. surface.dispose "Readable asyncDispose of
  // an ended stream: no error".
  ASYNC_DISPOSE_ASYNC_FUNCTION: ['22.0.0'],
  // validateFunction words a non-function "of type function" (Node 20: "of type function or an
  // instance of AsyncFunction"). surface.operators "argument validation: the running Node's codes,
  // classes and messages".
  VALIDATE_FUNCTION_PLAIN: ['22.0.0'],
  // compose() reads a Node-stream tail with 'data' + pause/resume (not 'readable' + read()), and
  // ends on a web tail's `done` before pushing. surface.compose "compose with web streams at the
  // ends", "backpressure: a slow tail reader holds the head".
  COMPOSE_READS_TAIL_BY_DATA: ['24.0.0'],
  // duplexPair sides: destroying one ends (or, with an error, destroys) the other.
  // surface.duplexpair "duplexPair: destroying one side (with and without an error)".
  DUPLEX_PAIR_DESTROY_CLOSES_PEER: ['24.0.0'],
  // Duplex.from(async fn): returning before the input was all taken destroys the Duplex; destroy
  // aborts the fn's signal with the error and ends a source waiting for input; a { readable }
  // error destroys the writable. surface.from "Duplex.from(async function) that returns before
  // taking all input (destroyed from 24)".
  DUPLEXIFY_EARLY_RETURN_DESTROYS: ['24.0.0'],
  // Readable.from(iterable, { destroy }) runs the `destroy` option before closing the iterator
  // (lib/readable.js's `from`, and Duplex.from(fn)). readable.versions "Readable.from(iterable,
  // { destroy }) runs the destroy option ...", surface.from "Duplex.from(function) destroyed while
  // the function waits for input".
  FROM_CALLS_DESTROY_OPTION: ['24.0.0'],
  // Readable.prototype.compose is its own method returning the composed Duplex (before: a
  // stream-returning operator, Readable.from(compose(this, stream)), refusing a non-writable
  // stream with ERR_INVALID_ARG_VALUE 'stream'). surface.compose "readable.compose(stream): ...".
  READABLE_COMPOSE_DIRECT: ['24.0.0'],
  // Readable.prototype[Symbol.for('Stream.toAsyncStreamable')] (throws without
  // --experimental-stream-iter). surface.shape "version-dependent keys ...", surface.statics
  // "toAsyncStreamable where the running Node has it ...".
  TO_ASYNC_STREAMABLE: ['24.0.0'],
  // readable.wrap(old) proxies every own method of `old` (before: all but the first own key).
  // surface.wrap "wrap proxies the old stream's own methods ...".
  WRAP_PROXIES_FIRST_KEY: ['24.0.0'],
  // Readable.fromWeb / Duplex.fromWeb refuse a bad encoding naming 'options.encoding' (before:
  // name and value swapped in the message). surface.web "fromWeb argument checks".
  WEB_ENCODING_ERROR_NAMED: ['24.0.0'],
  // Writable.writeKnownBuffer(stream, chunk). surface.statics "Writable.writeKnownBuffer(stream,
  // chunk) where the running Node has it".
  WRITE_KNOWN_BUFFER: ['26.0.0'],

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

  // --- Readable (lib/readable.js; the core's switches `sw` in crates/sluice-core/src/readable.rs). Each row is
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
