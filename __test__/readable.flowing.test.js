'use strict';

// Flowing mode: 'data' listeners, resume()/pause()/isPaused()/readableFlowing,
// 'pause'/'resume' events and their ticks.

const { rdifferential, source } = require('./helpers/rtrace');

const ABC = ['a1', 'b2', 'c3'];

rdifferential('a fresh Readable is neither flowing nor paused: readableFlowing null, isPaused() false', async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  log.rsnap(r, 'fresh');
  await log.settle(2);
  log.rsnap(r, 'settled');
  log('reads', r.$reads);
}, { expect: ['readableFlowing: null', 'isPaused: false', "'reads', 0"] });

rdifferential("attaching a 'data' listener starts flowing: readableFlowing true at once, resume and data on later ticks", async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.on('data', (c) => log('data', c, r.readableLength));
  log.rsnap(r, 'after-on-data');
  log.marks('m');
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ['readableFlowing: true', "'emit', 'r', 'resume'"] });

rdifferential("resume() returns this, emits 'resume' on the next tick and sets readableFlowing; without 'data' the chunks are discarded but 'end' comes", async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.on('end', () => log.rsnap(r, 'in-end'));
  log('resume-is-this', r.resume() === r);
  log.rsnap(r, 'after-resume');
  log.marks('m');
  await log.waitFor(r, 'close');
  log('reads', r.$reads);
}, { expect: ["'resume-is-this', true", "'emit', 'r', 'end'"] });

rdifferential("pause() returns this, emits 'pause' synchronously, sets readableFlowing false and isPaused() true", async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  log('pause-is-this', r.pause() === r);
  log.rsnap(r, 'after-pause');
  log('pause-again-is-this', r.pause() === r);
  log.marks('m');
  await log.settle(3);
  log('reads', r.$reads);
}, { expect: ["'emit', 'r', 'pause'", 'readableFlowing: false', 'isPaused: true'] });

rdifferential("pause() inside a 'data' handler stops the flow after that chunk; resume() continues from the buffer", async (impl, log) => {
  const r = source(impl, log, { highWaterMark: 16, chunks: ['one', 'two', 'three', 'four'] });
  let n = 0;
  r.on('data', (c) => {
    log('data', c);
    if (++n === 2) {
      r.pause();
      log.rsnap(r, 'paused-in-data');
    }
  });
  await log.settle(4);
  log.rsnap(r, 'while-paused');
  r.resume();
  log.marks('after-resume');
  await log.waitFor(r, 'close');
}, { expect: ["'rsnap', 'while-paused'", "'emit', 'r', 'pause'"] });

rdifferential('pause() then resume() in the same tick: no data is lost, events in order', async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.on('data', (c) => log('data', c));
  r.pause();
  r.resume();
  log.rsnap(r, 'after-pause-resume');
  log.marks('m');
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'buf:\"c3\"'"] });

rdifferential("after an explicit pause(), attaching a 'data' listener does not start flowing", async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.pause();
  r.on('data', (c) => log('data', c));
  log.rsnap(r, 'after-on-data');
  await log.settle(3);
  log.rsnap(r, 'settled');
  r.resume();
  await log.waitFor(r, 'close');
}, { expect: ["'rsnap', 'settled'"] });

rdifferential("removing the only 'data' listener does not pause the stream: chunks are dropped, 'end' still comes", async (impl, log) => {
  const r = source(impl, log, { chunks: ['x1', 'x2', 'x3', 'x4'], how: 'immediate' });
  const onData = (c) => {
    log('data', c);
    r.removeListener('data', onData);
    log.rsnap(r, 'after-remove');
  };
  r.on('data', onData);
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'rsnap', 'after-remove'", "'emit', 'r', 'end'"] });

rdifferential('resume() after the stream ended is harmless', async (impl, log) => {
  const r = source(impl, log, { chunks: ['z'] });
  r.on('data', (c) => log('data', c));
  await log.waitFor(r, 'close');
  log('resume-is-this', r.resume() === r);
  log('pause-is-this', r.pause() === r);
  log.rsnap(r, 'after');
  await log.settle(2);
}, { expect: ["'resume-is-this', true"] });

rdifferential("pushing from inside a 'data' handler while flowing (re-entrancy)", async (impl, log) => {
  const r = source(impl, log, { objectMode: true, how: 'manual' });
  let n = 0;
  r.on('data', (c) => {
    log('data', c, r.readableLength);
    if (n < 3) log.push(r, `inner-${n++}`);
    else if (n === 3) {
      n++;
      log.push(r, null);
    }
  });
  await log.settle(1);
  log.push(r, 'outer');
  await log.waitFor(r, 'close');
}, { expect: ["'data', 'inner-2'"] });

rdifferential('two data listeners both see every chunk in registration order', async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.on('data', (c) => log('data-1', c));
  r.on('data', (c) => log('data-2', c));
  await log.waitFor(r, 'close');
}, { expect: ["'data-2', 'buf:\"c3\"'"] });

rdifferential('pause() while the source pushes asynchronously: the buffer fills to the mark and _read stops', async (impl, log) => {
  const chunks = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const r = source(impl, log, { highWaterMark: 9, how: 'nextTick', chunks });
  r.on('data', (c) => {
    log('data', c);
    if (c.toString() === 'c01') r.pause();
  });
  await log.settle(4);
  log.rsnap(r, 'paused-full');
  log('reads', r.$reads);
  r.resume();
  await log.waitFor(r, 'close');
  log('reads', r.$reads);
}, { expect: ["'rsnap', 'paused-full'"] });

rdifferential("once('data') takes one chunk; the stream keeps flowing", async (impl, log) => {
  const r = source(impl, log, { chunks: ABC });
  r.once('data', (c) => log('once-data', c));
  await log.waitFor(r, 'close');
  log.rsnap(r, 'closed');
}, { expect: ["'once-data', 'buf:\"a1\"'"] });
