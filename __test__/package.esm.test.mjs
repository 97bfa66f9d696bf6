// The package loads both ways: named ESM imports and require().
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable, pipeline, promises } from 'sluice';
import * as stream from 'node:stream';

const require = createRequire(import.meta.url);

test('named ESM imports give the same classes as require()', () => {
  const cjs = require('sluice');
  assert.equal(Writable, cjs.Writable);
  assert.equal(pipeline, cjs.pipeline);
  assert.equal(typeof promises.pipeline, 'function');
});

test('a sluice Writable is an instance of stream.Writable and of its own class', async () => {
  const chunks = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  assert.ok(w instanceof stream.Writable);
  assert.ok(w instanceof Writable);
  await promises.pipeline(stream.Readable.from(['a', 'b', 'c']), w);
  assert.equal(Buffer.concat(chunks).toString(), 'abc');
});

test('Writable is callable without new, as Node allows', () => {
  const w = Writable({ write(_c, _e, cb) { cb(); } });
  assert.ok(w instanceof Writable);
  assert.equal(w.writableHighWaterMark, stream.getDefaultHighWaterMark(false));
});

test('every named ESM export of node:stream is a named ESM export of sluice', async () => {
  const sluiceEsm = await import('sluice');
  const missing = Object.keys(stream).filter((k) => !(k in sluiceEsm));
  assert.deepEqual(missing, []);
  assert.equal(sluiceEsm.compose, require('sluice').compose);
  assert.equal(sluiceEsm.duplexPair, require('sluice').duplexPair);
});
