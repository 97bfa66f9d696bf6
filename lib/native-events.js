'use strict';
// Native events on the JS side: the routing of worker events (src/binding/events.rs delivers
// them in batches, one wake-up per batch, to the environment that created the sink or source)
// to the stream they belong to, by id, and the holds that keep a stream alive while it waits
// or its worker writes.
// One table per JS environment (the main thread and each worker thread load this module anew).

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { nsInit, nsShutdown } = require('./native');

// id -> WeakRef(stream), for streams with a native handle that has not closed yet. Weak: a
// stream dropped by its user is collected, and its handle's finalizer winds the native side
// down (writing what it had taken); its remaining events are then ignored.
const live = new Map();
const forget = new FinalizationRegistry((id) => live.delete(id));
// Streams waiting for a native event (room, flush, close, data, copy) are held strongly until
// it arrives, and a sink whose worker has bytes to write until it is idle (lib/sinks.js, busy),
// so that their listeners still hear them even if the user kept no reference (as Node's pending
// fs requests hold their streams).
const held = new Map();
const { kHolds } = require('./symbols');

function hold(stream) {
  stream[kHolds] = (stream[kHolds] || 0) + 1;
  held.set(stream, true);
}

function release(stream) {
  if (stream[kHolds] > 0 && --stream[kHolds] === 0) held.delete(stream);
}

let initialized = false;

/** Creates this environment's native event channel, once. */
function ensureInit() {
  if (!initialized) {
    nsInit(dispatch);
    initialized = true;
    // Past 'exit' nothing can be delivered any more: tell the workers before Node tears down.
    process.once('exit', nsShutdown);
  }
}

// Event kinds (protocol `native::kind`, generated from crates/sluice-core/src/protocol.rs).
const {
  ROOM, FLUSHED, FAILED, IDLE, CLOSED, DATA, COPIED,
} = require('./protocol').native;

// Worker events, delivered in batches on the JS thread, routed to the stream's handler.
function dispatch(id, kind, errno, extra) {
  const ref = live.get(id);
  const s = ref === undefined ? undefined : ref.deref();
  if (s === undefined) return;
  // Every kind but these two answers a wait that held the stream.
  if (kind !== FAILED && kind !== IDLE) release(s);
  switch (kind) {
    case ROOM:
      s._nativeRoom();
      break;
    case FLUSHED:
      s._nativeFlushed(errno);
      break;
    case FAILED:
      s._nativeFailed(errno, extra);
      break;
    case IDLE:
      if (s._nativeIdle !== undefined) s._nativeIdle();
      break;
    case CLOSED:
      live.delete(id);
      s._nativeClosed(errno);
      break;
    case DATA:
      s._nativeData();
      break;
    case COPIED:
      s._nativeCopied(errno, extra);
      break;
    default:
      break;
  }
}

/** Routes a native handle's events (by id) to `stream` until it reports closed. */
function register(id, stream) {
  ensureInit();
  live.set(id, new WeakRef(stream));
  forget.register(stream, id);
}

module.exports = { ensureInit, register, hold, release };
