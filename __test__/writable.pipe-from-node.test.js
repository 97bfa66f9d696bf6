'use strict';

// A node:stream Readable piping into a sluice Writable behaves as piping into a node:stream
// Writable. Node 26 added a fast path for that pipe (the source calls `writeKnownBuffer(dest,
// chunk)` — `_write` directly, no 'data' emit — when the destination's state is an idle Node
// one): for a sluice destination it declines (it answers "use write()") and the source emits
// 'data' to pipe's listener, which calls write(). The difference is invisible unless the source's
// `emit` itself is patched, so the source is observed here through listeners, not by tracking
// its `emit`; the destination is tracked fully.

const { differential } = require('./helpers/trace');

function source(impl, log, chunks, how) {
  const r = new impl.Readable({
    highWaterMark: 4,
    read() {
      const c = chunks.shift();
      const go = () => this.push(c === undefined ? null : Buffer.from(c));
      if (how === 'sync') go();
      else process.nextTick(go);
    },
  });
  for (const ev of ['pause', 'resume', 'end', 'close']) r.on(ev, () => log('src', ev, r.readableLength, r.readableFlowing));
  return r;
}

for (const how of ['sync', 'nextTick']) {
  for (const sinkHow of ['sync', 'nextTick', 'hold']) {
    differential(`a Node Readable (${how} pushes) piping into a Writable completing ${sinkHow}: writes, backpressure, end`, async (impl, log) => {
      const held = [];
      const w = new impl.Writable({
        highWaterMark: 3,
        write(chunk, enc, cb) {
          log('_write', chunk, enc, this.writableLength, this.writableNeedDrain);
          if (sinkHow === 'sync') cb();
          else if (sinkHow === 'nextTick') process.nextTick(cb);
          else held.push(cb);
        },
      });
      log.track(w, 'w');
      const r = source(impl, log, ['ab', 'cdef', 'g', 'hij', 'k'], how);
      r.pipe(w);
      for (let i = 0; i < 40 && !w.writableFinished; i++) {
        await log.immediate0();
        if (held.length) held.shift()();
      }
      await log.waitFor(w, ['close', 'finish']);
      log.snap(w, 'end');
    }, { expect: ["'_write'", "'finish'"] });
  }
}
