'use strict';

// The "Backpressure" lesson's experiment (seed 001), run against node:stream and sluice
// through experiments/sections/*: the lesson's counts hold for both, and sluice's equal node's.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'experiments', 'sections');
const s1 = require(path.join(dir, '01-seeing-backpressure'));
const s2 = require(path.join(dir, '02-manual-backpressure'));
const s3 = require(path.join(dir, '03-without-vs-with'));
const s4 = require(path.join(dir, '04-hwm-tuning'));
const s5 = require(path.join(dir, '05-object-mode'));

const IMPLS = { node: require('node:stream'), sluice: require('..') };

// Run a section against each implementation in turn (not concurrently, so that one's timers
// cannot interleave with the other's).
async function both(section) {
  const node = await section.run(IMPLS.node);
  const sluice = await section.run(IMPLS.sluice);
  return { node, sluice };
}

test('experiments: the sections run against both implementations', async (t) => {
  await t.test('1. Seeing Backpressure', async () => {
    const r = await both(s1);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.produced, 20, `${name} produced`);
      assert.equal(x.consumed, 20, `${name} consumed`);
      assert.ok(x.drains > 0, `${name} drains > 0 (got ${x.drains})`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('2. Manual Backpressure', async () => {
    const r = await both(s2);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.items, 30, `${name} items`);
      assert.ok(x.pauses > 0, `${name} pauses > 0 (got ${x.pauses})`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('3. What Happens WITHOUT Backpressure', async () => {
    const r = await both(s3);
    for (const [name, x] of Object.entries(r)) {
      assert.ok(x.withMaxBuffered < x.withoutMaxBuffered, `${name}: ${x.withMaxBuffered} < ${x.withoutMaxBuffered}`);
      assert.ok(x.withMaxBuffered <= 16 + 101, `${name}: with backpressure bounded (got ${x.withMaxBuffered})`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('4. highWaterMark Tuning (timings only, not compared)', async () => {
    const r = await both(s4);
    for (const x of Object.values(r)) {
      assert.deepEqual(x.results.map((e) => e.hwm), [64, 1024, 16384, 65536]);
      for (const e of x.results) {
        assert.equal(e.bytes, 1000 * 1024);
        assert.ok(Number.isFinite(e.ms) && e.ms >= 0);
      }
    }
  });

  await t.test('5. Object Mode Backpressure', async () => {
    const r = await both(s5);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.produced, 10, `${name} produced`);
      assert.equal(x.consumed, 10, `${name} consumed`);
    }
    assert.deepEqual(r.sluice, r.node);
  });
});
