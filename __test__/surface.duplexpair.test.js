'use strict';

// duplexPair(): two of the module's Duplexes back to back; writes on one are reads on the other,
// a write completes when the other side reads, ending ends the other's readable side; from Node
// 24 destroying one side closes the other.

const { kinds } = require('./helpers/surface');
const { ddifferential: sdifferential } = require('./helpers/dtrace');

sdifferential('duplexPair: both sides the module\'s Duplex; what one writes the other reads', async (impl, log) => {
  const [a, b] = impl.Stream.duplexPair();
  log.track(a, 'a');
  log.track(b, 'b');
  log('kinds', kinds(impl, a), kinds(impl, b));
  log('w', a.write('to-b', log.cb('a-write')));
  log('w-empty', a.write(Buffer.alloc(0), log.cb('a-write-empty')));
  b.write('to-a');
  await log.settle(2);
  log.read(b);
  log.read(a);
  await log.settle(2);
  a.end();
  b.resume();
  await log.settle(3);
  b.end();
  a.resume();
  await log.waitFor(a, ['close']);
  await log.waitFor(b, ['close']);
}, { expect: ["'cb', 'a-write', 1, null"] });

sdifferential('duplexPair(options): objectMode / marks on both sides', async (impl, log) => {
  const [a, b] = impl.Stream.duplexPair({ objectMode: true, highWaterMark: 2 });
  log('marks', a.readableHighWaterMark, b.writableHighWaterMark, a.readableObjectMode);
  a.write({ x: 1 });
  b.on('data', (c) => log('b-data', c));
  await log.settle(2);
  a.destroy();
  b.destroy();
}, { expect: ["'b-data', { x: 1 }"] });

sdifferential('duplexPair: destroying one side (with and without an error)', async (impl, log) => {
  const [a, b] = impl.Stream.duplexPair();
  log.track(a, 'a');
  log.track(b, 'b');
  b.resume();
  a.destroy();
  await log.settle(4);
  log.dsnap(b, 'b-after-a-destroyed');
  const [c, d] = impl.Stream.duplexPair();
  log.track(c, 'c');
  log.track(d, 'd');
  c.destroy(new Error('c broke'));
  await log.settle(4);
  log.dsnap(d, 'd-after-c-errored');
  b.destroy();
  d.destroy();
  await log.settle(2);
}, { expect: ['c broke'] });
