'use strict';
// `readable.pipe(dest[, options])` and `readable.unpipe([dest])` of a sluice Readable, as the
// running Node pipes: 'data' into `dest.write()`, pausing on a false return until every
// destination that owes a 'drain' has drained; from Node 24 a throwing `dest.write()` destroys
// the destination (PIPE_CATCHES_WRITE_THROW); on Node 26 the only destination is also written
// straight by the flowing fast loop (FLOW_SYNC: `pipeOnData`/`pipePause`).

// Node's global `process` is an accessor (a getter call on every use): its streams hold the object.
const process = require('node:process');
const { since } = require('./node-version');
const { errorOrDestroy } = require('./destroy');

const FLOW_SYNC = since.FLOW_SYNC;
const PIPE_CATCHES_WRITE_THROW = since.PIPE_CATCHES_WRITE_THROW;
const UNPIPE_DRAIN_UNCONDITIONAL = since.UNPIPE_DRAIN_UNCONDITIONAL;

function pipe(dest, pipeOpts) {
  const src = this;
  const state = this._readableState;

  if (state.pipes.length === 1) {
    if (!state.multiAwaitDrain) {
      state.multiAwaitDrain = true;
      state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
    }
  }
  state.pipes.push(dest);

  const doEnd = (!pipeOpts || pipeOpts.end !== false) && dest !== process.stdout && dest !== process.stderr;
  const endFn = doEnd ? onend : unpipe;
  if (state.endEmitted) process.nextTick(endFn);
  else src.once('end', endFn);

  dest.on('unpipe', onunpipe);
  function onunpipe(readable, unpipeInfo) {
    if (readable === src) {
      if (unpipeInfo && unpipeInfo.hasUnpiped === false) {
        unpipeInfo.hasUnpiped = true;
        cleanup();
      }
    }
  }

  function onend() {
    dest.end();
  }

  let ondrain;
  let cleanedUp = false;
  function cleanup() {
    dest.removeListener('close', onclose);
    dest.removeListener('finish', onfinish);
    if (ondrain) dest.removeListener('drain', ondrain);
    dest.removeListener('error', onerror);
    dest.removeListener('unpipe', onunpipe);
    src.removeListener('end', onend);
    src.removeListener('end', unpipe);
    src.removeListener('data', ondata);
    cleanedUp = true;
    if (ondrain && state.awaitDrainWriters && (UNPIPE_DRAIN_UNCONDITIONAL || !dest._writableState || dest._writableState.needDrain)) ondrain();
  }

  function pause() {
    if (!cleanedUp) {
      if (state.pipes.length === 1 && state.pipes[0] === dest) {
        state.awaitDrainWriters = dest;
        state.multiAwaitDrain = false;
      } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
        state.awaitDrainWriters.add(dest);
      }
      src.pause();
    }
    if (!ondrain) {
      ondrain = pipeOnDrain(src, dest);
      dest.on('drain', ondrain);
    }
  }

  src.on('data', ondata);
  if (FLOW_SYNC) {
    // The fast loop writes to a single destination without emitting 'data'.
    if (state.pipes.length === 1) {
      state.pipeOnData = ondata;
      state.pipePause = pause;
    } else {
      state.pipeOnData = null;
      state.pipePause = null;
    }
  }
  function ondata(chunk) {
    if (PIPE_CATCHES_WRITE_THROW) {
      try {
        if (dest.write(chunk) === false) pause();
      } catch (error) {
        dest.destroy(error);
      }
      return;
    }
    const ret = dest.write(chunk);
    if (ret === false) pause();
  }

  function onerror(er) {
    unpipe();
    dest.removeListener('error', onerror);
    if (dest.listenerCount('error') === 0) {
      const s = dest._writableState || dest._readableState;
      if (s && !s.errorEmitted) errorOrDestroy(dest, er);
      else dest.emit('error', er);
    }
  }
  prependListener(dest, 'error', onerror);

  function onclose() {
    dest.removeListener('finish', onfinish);
    unpipe();
  }
  dest.once('close', onclose);
  function onfinish() {
    dest.removeListener('close', onclose);
    unpipe();
  }
  dest.once('finish', onfinish);

  function unpipe() {
    src.unpipe(dest);
  }

  dest.emit('pipe', src);

  if (dest.writableNeedDrain === true) {
    pause();
  } else if (state.flowing !== true) {
    src.resume();
  }
  return dest;
}

function prependListener(emitter, event, fn) {
  if (typeof emitter.prependListener === 'function') return emitter.prependListener(event, fn);
  if (!emitter._events || !emitter._events[event]) emitter.on(event, fn);
  else if (Array.isArray(emitter._events[event])) emitter._events[event].unshift(fn);
  else emitter._events[event] = [fn, emitter._events[event]];
}

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) {
      state.awaitDrainWriters = null;
    } else if (state.multiAwaitDrain) {
      state.awaitDrainWriters.delete(dest);
    }
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && src.listenerCount('data')) {
      src.resume();
    }
  };
}

function unpipe(dest) {
  const state = this._readableState;
  const unpipeInfo = { hasUnpiped: false };
  if (state.pipes.length === 0) return this;
  if (!dest) {
    const dests = state.pipes;
    state.pipes = [];
    state.pipeOnData = null;
    state.pipePause = null;
    this.pause();
    for (let i = 0; i < dests.length; i++) dests[i].emit('unpipe', this, { hasUnpiped: false });
    return this;
  }
  const index = state.pipes.indexOf(dest);
  if (index === -1) return this;
  state.pipes.splice(index, 1);
  state.pipeOnData = null;
  state.pipePause = null;
  if (state.pipes.length === 0) this.pause();
  dest.emit('unpipe', this, unpipeInfo);
  return this;
}

/** Statistics counted by the core (always on): pushes, bytes, false returns, `_read` calls, peak. */

module.exports = { pipe, unpipe };
