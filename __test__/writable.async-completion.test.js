'use strict';

// Writes whose `_write` calls back later (on a tick, a promise, an immediate) while more writes
// queue behind the one in flight: each completion hands the oldest queued write to `_write`
// (`bufferProcessing` true while it runs), the length falls by the completed write's, and
// 'drain' waits for an empty buffer. sluice carries these steps out on the core's standing
// answers (no call into the core per write), so the traces pin what user code can see at each
// step: the counts inside `_write`, write()'s answers, the callbacks and events in order.

const { differential } = require('./helpers/trace');

const DEFER = {
  tick: (cb) => process.nextTick(cb),
  promise: (cb) => Promise.resolve().then(cb),
  immediate: (cb) => setImmediate(cb),
};

// What `_write` can see of the state.
function inside(w) {
  const s = w._writableState;
  return [s.length, s.writelen, s.bufferProcessing, s.bufferedRequestCount, s.pendingcb, w.writableNeedDrain, s.writing, s.bufferedIndex, w.writableBuffer.length, s.buffered.length];
}

// A tracked Writable whose `_write` logs what it sees and calls back `defer`red.
function laterSink(impl, log, options, defer) {
  const w = new impl.Writable({
    ...options,
    write(c, e, cb) {
      log('_write', c, ...inside(this));
      defer(cb);
    },
  });
  return log.track(w, 'w');
}

for (const [how, defer] of Object.entries(DEFER)) {
  for (const objectMode of [false, true]) {
    const chunk = (s) => (objectMode ? { s } : s);
    const tag = `(${how}, objectMode: ${objectMode})`;

    differential(`writes completing later drain the queue one by one, 'drain' once it is empty, then end() finishes ${tag}`, async (impl, log) => {
      const w = laterSink(impl, log, { highWaterMark: objectMode ? 3 : 6, objectMode }, defer);
      const rets = [];
      for (const s of ['ab', 'cd', 'ef', 'gh', 'i']) rets.push(w.write(chunk(s)));
      log('writes', rets, ...inside(w));
      await log.waitFor(w, 'drain');
      log('after drain', ...inside(w));
      rets.length = 0;
      for (const s of ['jk', 'l']) rets.push(w.write(chunk(s)));
      log('writes', rets);
      w.end(log.cb('end'));
      log.marks('m');
      await log.waitFor(w, 'close');
    });

    differential(`callbacks of writes completing later come in order, each after its completion ${tag}`, async (impl, log) => {
      const w = laterSink(impl, log, { highWaterMark: 100, objectMode }, defer);
      w.write(chunk('a'), log.cb('a'));
      w.write(chunk('b'));
      w.write(chunk('c'), log.cb('c'));
      w.write(chunk('d'), log.cb('d'));
      w.write(chunk('e'));
      log.marks('m');
      await log.settle(4);
      log('idle', ...inside(w));
      w.write(chunk('f'), log.cb('f'));
      w.end();
      await log.waitFor(w, 'close');
    });

    differential(`a write that completes at once after some that completed later, with entries queued ${tag}`, async (impl, log) => {
      let n = 0;
      const w = new impl.Writable({
        highWaterMark: 4,
        objectMode,
        write(c, e, cb) {
          log('_write', c, ...inside(this));
          if (n++ % 3 === 1) cb();
          else defer(cb);
        },
      });
      log.track(w, 'w');
      const rets = [];
      for (let i = 0; i < 8; i++) rets.push(w.write(chunk(String.fromCharCode(97 + i)), i % 2 ? log.cb(`cb${i}`) : undefined));
      log('writes', rets);
      await log.waitFor(w, 'drain');
      w.end(chunk('z'));
      await log.waitFor(w, 'close');
    });

    differential(`a write from inside _write as the queue is handed out, and cork() there ${tag}`, async (impl, log) => {
      let n = 0;
      const w = new impl.Writable({
        highWaterMark: 5,
        objectMode,
        write(c, e, cb) {
          log('_write', c, ...inside(this));
          n++;
          if (n === 2) log('inner write', this.write(chunk('x')));
          if (n === 3) this.cork();
          defer(cb);
          if (n === 3) defer(() => { log('uncork'); this.uncork(); });
        },
      });
      log.track(w, 'w');
      for (const s of ['a', 'b', 'c', 'd']) log('write', s, w.write(chunk(s)));
      await log.settle(6);
      w.end();
      await log.waitFor(w, 'close');
    });

    differential(`destroy() from a write callback while entries are queued ${tag}`, async (impl, log) => {
      const w = laterSink(impl, log, { highWaterMark: 10, objectMode }, defer);
      w.write(chunk('a'), log.cb('a'));
      w.write(chunk('b'), (err) => {
        log('b', err && err.code);
        w.destroy();
      });
      w.write(chunk('c'), log.cb('c'));
      w.write(chunk('d'), log.cb('d'));
      await log.waitFor(w, 'close');
      log('after', ...inside(w));
    });

    differential(`a _writev stream takes a lone queued entry through _write, several through _writev ${tag}`, async (impl, log) => {
      const w = new impl.Writable({
        highWaterMark: 100,
        objectMode,
        write(c, e, cb) {
          log('_write', c, ...inside(this));
          defer(cb);
        },
        writev(chunks, cb) {
          log('_writev', chunks.map((x) => x.chunk), ...inside(this));
          defer(cb);
        },
      });
      log.track(w, 'w');
      w.write(chunk('a'));
      w.write(chunk('b'));
      await log.settle(3);
      w.write(chunk('c'));
      w.write(chunk('d'));
      w.write(chunk('e'), log.cb('e'));
      w.end();
      await log.waitFor(w, 'close');
    });

    differential(`an error from a write completing later, with entries queued ${tag}`, async (impl, log) => {
      let n = 0;
      const w = new impl.Writable({
        highWaterMark: 10,
        objectMode,
        write(c, e, cb) {
          log('_write', c, ...inside(this));
          const err = ++n === 2 ? new Error('boom') : null;
          defer(() => cb(err));
        },
      });
      log.track(w, 'w');
      for (const s of ['a', 'b', 'c']) w.write(chunk(s), log.cb(s));
      await log.waitFor(w, 'close');
      log('after', ...inside(w));
    });
  }
}

for (const objectMode of [false, true]) {
  const chunk = (s) => (objectMode ? { s } : s);
  differential(`a pass over the queue of writes completing at once, begun by a completion that came later: what _write sees of the queue (objectMode: ${objectMode})`, async (impl, log) => {
    const w = new impl.Writable({
      highWaterMark: 100,
      objectMode,
      write(c, e, cb) {
        log('_write', c, ...inside(this));
        if (String(objectMode ? c.s : c) === 'a') setImmediate(cb);
        else cb();
      },
    });
    log.track(w, 'w');
    for (const s of ['a', 'b', 'c', 'd']) w.write(chunk(s));
    await log.settle(3);
    log('after', ...inside(w));
    w.end();
    await log.waitFor(w, 'close');
  });

  differential(`uncork() hands the queue to a _write that completes at once, and a write from inside it joins the pass (objectMode: ${objectMode})`, async (impl, log) => {
    let n = 0;
    const w = new impl.Writable({
      highWaterMark: 100,
      objectMode,
      write(c, e, cb) {
        log('_write', c, ...inside(this));
        if (++n === 2) log('inner', this.write(chunk('x')));
        cb();
      },
    });
    log.track(w, 'w');
    w.cork();
    for (const s of ['a', 'b', 'c']) w.write(chunk(s));
    w.uncork();
    log('after', ...inside(w));
    await log.settle(2);
    w.end();
    await log.waitFor(w, 'close');
  });
}
