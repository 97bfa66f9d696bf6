'use strict';

// Small factories shared by the differential scenarios. Everything here is
// implementation-agnostic: it only uses the `impl` handed to the scenario.

// Completion strategies for _write/_writev callbacks.
//   'sync'      call back synchronously
//   'nextTick'  process.nextTick(cb)
//   'microtask' queueMicrotask(cb)
//   'immediate' setImmediate(cb)
//   'hold'      keep the callback in w.$pending until the scenario releases it
//   <number>    setTimeout(cb, n)
function complete(how, cb, pending) {
  if (how === 'sync') cb();
  else if (how === 'nextTick') process.nextTick(cb);
  else if (how === 'microtask') queueMicrotask(() => cb());
  else if (how === 'immediate') setImmediate(cb);
  else if (how === 'hold') pending.push(cb);
  else if (typeof how === 'number') setTimeout(cb, how);
  else throw new Error(`unknown completion ${how}`);
}

// A tracked Writable whose _write (and optionally _writev) log what they
// receive, including writableLength as seen from inside the call.
//   opts: Writable options (passed through), plus
//     how:      completion strategy (default 'sync')
//     writev:   true to also implement _writev
//     label:    trace label (default 'w')
//     quiet:    do not log every _write (for long runs)
function sink(impl, log, opts = {}) {
  const { how = 'sync', writev = false, label = 'w', quiet = false, ...options } = opts;
  const pending = [];
  const streamOpts = {
    ...options,
    write(chunk, encoding, cb) {
      if (!quiet) log('_write', label, chunk, encoding, this.writableLength);
      complete(how, cb, pending);
    },
  };
  if (writev) {
    streamOpts.writev = function (chunks, cb) {
      log('_writev', label, chunks.map((c) => [c.chunk, c.encoding]), this.writableLength);
      complete(how, cb, pending);
    };
  }
  const w = new impl.Writable(streamOpts);
  log.track(w, label);
  w.$pending = pending;
  // Release the oldest held callback (optionally with an error).
  w.$release = (err) => {
    const cb = pending.shift();
    if (!cb) throw new Error('nothing pending');
    if (err === undefined) cb();
    else cb(err);
  };
  return w;
}

// Seed 001: "SlowConsumer" — setTimeout(callback, delayMs) in _write, hwm 32.
function makeSlowConsumer(impl, delayMs, _label = 'slow') {
  class SlowConsumer extends impl.Writable {
    constructor(d) {
      super({ highWaterMark: 32 });
      this.delayMs = d;
      this.consumed = 0;
      this.drainCount = 0;
    }

    _write(chunk, encoding, callback) {
      this.consumed++;
      setTimeout(callback, this.delayMs);
    }
  }
  return new SlowConsumer(delayMs);
}

// Seed 001: "MemoryTracker" — records the max writableLength seen in _write.
function makeMemoryTracker(impl, delayMs = 1) {
  class MemoryTracker extends impl.Writable {
    constructor() {
      super({ highWaterMark: 16 });
      this.maxBuffered = 0;
      this.writeCount = 0;
    }

    _write(chunk, encoding, callback) {
      this.writeCount++;
      if (this.writableLength > this.maxBuffered) {
        this.maxBuffered = this.writableLength;
      }
      setTimeout(callback, delayMs);
    }
  }
  return new MemoryTracker();
}

// Seed 001: writeWithBackpressure.
async function writeWithBackpressure(writable, items) {
  let backpressureCount = 0;
  for (const item of items) {
    const ok = writable.write(item);
    if (!ok) {
      backpressureCount++;
      await new Promise((resolve) => writable.once('drain', resolve));
    }
  }
  writable.end();
  await new Promise((resolve, reject) => {
    writable.on('finish', resolve);
    writable.on('error', reject);
  });
  return backpressureCount;
}

module.exports = {
  complete,
  sink,
  makeSlowConsumer,
  makeMemoryTracker,
  writeWithBackpressure,
};
