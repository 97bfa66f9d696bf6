'use strict';
// The JS/Rust protocol is defined once (crates/sluice-core/src/protocol.rs) and generated into
// lib/protocol.js. These tests pin the three ways it could still go wrong: a binary built from
// other definitions than the committed module, a name lib/ takes that the module does not have
// (destructuring it would silently give undefined), and a protocol number written by hand again.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const native = require('../lib/native');
const protocol = require('../lib/protocol');

const LIB = path.join(__dirname, '..', 'lib');
const libFiles = () =>
  fs
    .readdirSync(LIB)
    .filter((f) => f.endsWith('.js') && f !== 'protocol.js')
    .map((f) => [f, fs.readFileSync(path.join(LIB, f), 'utf8')]);

test('the loaded addon speaks the protocol of lib/protocol.js, name for name', () => {
  const fromBinary = JSON.parse(native.protocolJson());
  assert.deepStrictEqual(Object.keys(fromBinary), Object.keys(protocol));
  for (const ns of Object.keys(protocol)) {
    assert.deepStrictEqual({ ...protocol[ns] }, fromBinary[ns], `namespace ${ns}`);
  }
});

test('every protocol name lib/ destructures exists in its namespace', () => {
  let checked = 0;
  for (const [file, src] of libFiles()) {
    const re = /const \{([^}]*)\} = require\('\.\/protocol'\)\.(\w+);/g;
    for (let m = re.exec(src); m !== null; m = re.exec(src)) {
      const ns = protocol[m[2]];
      assert.ok(ns, `${file}: no namespace ${m[2]}`);
      for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        assert.ok(Object.hasOwn(ns, name), `${file}: ${m[2]}.${name} is not in the protocol`);
        checked++;
      }
    }
  }
  assert.ok(checked > 200, `only ${checked} names found: has the import form changed?`);
});

test('lib/ writes no protocol number by hand', () => {
  // Tunables of the JS side, not numbers the core shares.
  const tunables = new Set(['TICK_BUDGET', 'TICK_TIME_MS', 'TICK_CHECK', 'STAGE_SIZE', 'EXIT_WAIT_MS', 'EXIT_LINGER_MS', 'MAX_BATCH', 'BATCH_KEPT']);
  for (const [file, src] of libFiles()) {
    for (const [i, line] of src.split('\n').entries()) {
      const m = /^const ([A-Z][A-Z0-9_]*) = [\d(]/.exec(line);
      if (m) assert.ok(tunables.has(m[1]), `${file}:${i + 1}: ${m[1]} is a number written by hand`);
      // The shared block is indexed by name (U_* / S_*), never by a bare offset.
      assert.doesNotMatch(line, /\[(kWords|kSlots)\]\[\d/, `${file}:${i + 1}: bare shared-block offset`);
      assert.doesNotMatch(line, /\b(wWrite|wOp|rPush|rRead|rOp)\([^)]*\* \d/, `${file}:${i + 1}: packing by hand`);
    }
  }
});

test('the two cores keep their own numbering in separate namespaces', () => {
  // DESTROYED is a different bit in each core; a facade importing from the wrong namespace
  // would test the wrong bit. Each facade imports from its own (checked above); this pins that
  // the namespaces are distinct objects with the core-specific values.
  assert.notStrictEqual(protocol.writable.DESTROYED, protocol.readable.DESTROYED);
  assert.strictEqual(protocol.writable.U_FLAGS, protocol.readable.U_FLAGS);
  assert.ok(Object.isFrozen(protocol.writable) && Object.isFrozen(protocol.readable));
});
