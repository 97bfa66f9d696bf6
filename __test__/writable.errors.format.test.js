'use strict';

// Values embedded in error messages are formatted as Node formats them: '%s' templates through
// util.format (an object shows as `{}`, not `[object Object]`; -0, bigints and symbols as
// written), invalid argument values inspected and cut after 128 characters, large integers in
// range errors with digit separators. (Node's own test-stream-writable-change-default-encoding.js
// checks the `{}` case.)

const { differential } = require('./helpers/trace');

const VALUES = [{}, { a: 1 }, [], [1, 2], 5, -0, 5n, Symbol('s'), 'x'.repeat(200), null, true,
  function foo() {}, new Map([[1, 2]]), Object.create(null), new (class K {})()];

differential('ERR_UNKNOWN_ENCODING shows the value as Node formats it (setDefaultEncoding, defaultEncoding, write)', async (impl, log) => {
  for (const v of VALUES) {
    const w = new impl.Writable({ write(c, e, cb) { cb(); } });
    log.call('setDefaultEncoding', () => w.setDefaultEncoding(v));
    log.call('ctor', () => new impl.Writable({ defaultEncoding: v }));
    log.call('write', () => w.write('a', v));
  }
}, { expect: ['Unknown encoding: {}', 'Unknown encoding: Symbol(s)', 'Unknown encoding: -0'] });

differential('ERR_INVALID_ARG_VALUE for highWaterMark shows the value inspected, cut after 128 characters', async (impl, log) => {
  for (const v of ['x'.repeat(200), { a: { b: { c: {} } } }, -1, 1.5, NaN, [1, 2, 3], 5n]) {
    log.call('hwm', () => new impl.Writable({ highWaterMark: v }));
    log.call('writableHighWaterMark', () => new impl.Writable({ writableHighWaterMark: v }));
  }
}, { expect: ['xxx...'] });

differential('ERR_STREAM_DESTROYED and ERR_STREAM_ALREADY_FINISHED name the method', async (impl, log) => {
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  w.end(log.cb('end1'));
  await new Promise((r) => w.on('finish', r));
  w.end(log.cb('end2'));
  const w2 = new impl.Writable({ write(c, e, cb) { cb(); } });
  w2.on('error', () => {});
  w2.destroy();
  w2.write('x', log.cb('write'));
  w2.end(log.cb('end3'));
  await log.settle(2);
}, { expect: ['Cannot call end after a stream was finished', 'Cannot call write after a stream was destroyed'] });

// A thrown error's stack starts at the stream method that threw, as Node's do: no frame of the
// error's own constructor (a tool that shows an error's first frame, or a test that matches the
// stack, saw sluice's `new NodeError` there).
differential('a thrown stream error\'s stack starts at the frame that threw, not in its constructor', async (impl, log) => {
  const grab = (tag, fn) => {
    try {
      fn();
      log(tag, 'no throw');
    } catch (e) {
      const lines = e.stack.split('\n');
      log(tag, lines[0], lines.slice(1).some((l) => /NodeError/.test(l)), /^ {4}at /.test(lines[1]));
    }
  };
  const w = new impl.Writable({ write(c, e, cb) { cb(); } });
  grab('null', () => w.write(null));
  grab('number', () => w.write(1));
  grab('encoding', () => w.setDefaultEncoding('nope'));
  grab('hwm', () => new impl.Readable({ highWaterMark: -1 }));
  grab('unimplemented', () => new impl.Writable().write('a'));
});
