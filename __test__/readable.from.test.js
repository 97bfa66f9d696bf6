'use strict';

// Readable.from over sync iterables: plain values are read with a loop (no promise per _read)
// until the first thenable value, then the async path. The order, the ticks of the events, and
// the errors must stay Node's across that switch.

const { sdifferential, collect, err } = require('./helpers/surface');

function* items(list, throwAt = -1) {
  for (let i = 0; i < list.length; i++) {
    if (i === throwAt) throw new Error('boom at ' + i);
    yield list[i];
  }
}

async function consume(log, r) {
  const { ev, out, err: e } = await collect(r);
  log('done', ev, out, e ? err(e) : null);
}

sdifferential('Readable.from: sync values, then a promise, then values and a promise, in order', async (impl, log) => {
  const r = log.track(impl.Readable.from(items(['a', 'b', Promise.resolve('c'), 'd', Promise.resolve('e'), 'f'])), 'r');
  await consume(log, r);
});

sdifferential('Readable.from: a generator that throws after two values destroys the stream with its error', async (impl, log) => {
  const r = log.track(impl.Readable.from(items(['a', 'b', 'c'], 2)), 'r');
  await consume(log, r);
});

sdifferential('Readable.from: a null value errors with ERR_STREAM_NULL_VALUES (before and after a promise)', async (impl, log) => {
  await consume(log, log.track(impl.Readable.from(['a', null, 'b']), 'r1'));
  await consume(log, log.track(impl.Readable.from([Promise.resolve('a'), null, 'b']), 'r2'));
});

sdifferential("Readable.from: read() one item at a time from 'readable', a promise in the middle", async (impl, log) => {
  const r = log.track(impl.Readable.from(items(['a', Promise.resolve('b'), 'c'])), 'r');
  await new Promise((resolve) => {
    r.on('readable', () => {
      let v;
      while ((v = r.read()) !== null) log('read', v);
    });
    r.on('end', resolve);
  });
});

sdifferential('Readable.from: a large array in flowing mode with a small mark, and its length on the way', async (impl, log) => {
  const list = Array.from({ length: 40 }, (_, i) => 'v' + i);
  const r = impl.Readable.from(list, { highWaterMark: 2 });
  r.on('data', (v) => log('data', v, r.readableLength));
  await new Promise((resolve) => r.on('end', resolve));
  log('end');
});
