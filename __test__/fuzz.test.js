'use strict';

// Differential fuzzing, fixed seeds (issue 8): for each stream kind, a few
// hundred generated operation sequences run against node:stream and against
// sluice (see helpers/fuzz.js); the traces must be identical. On divergence
// the test fails with the seed, the shrunk op sequence and the first differing
// trace entry. The long run is `node fuzz/run.js` (fuzz/README.md).
//
//   SLUICE_FUZZ_COUNT=n   sequences per kind (default 1000)
//   SLUICE_FUZZ_SEED=s    first seed (default 1): kind k runs seeds s .. s+n-1
//   SLUICE_DIFF_SELF=1    both sides node:stream (checks the interpreter is
//                         deterministic: must pass with 0 divergences)

const { test } = require('node:test');
const assert = require('node:assert');
const fuzz = require('./helpers/fuzz');
const { formatTrace } = require('./helpers/trace');

const COUNT = Number(process.env.SLUICE_FUZZ_COUNT) || 1000;
const BASE = Number(process.env.SLUICE_FUZZ_SEED) || 1;
const SHRINK_AT_MOST = 2; // shrink the first few divergent seeds of a kind, list the rest

for (const kind of fuzz.KINDS) {
  test(`fuzz: ${COUNT} random ${kind} sequences behave as node:stream's (seeds ${BASE}..${BASE + COUNT - 1})`, { timeout: 120000 }, async () => {
    const divergent = [];
    for (let seed = BASE; seed < BASE + COUNT; seed++) {
      const r = await fuzz.diffSpec(fuzz.generate(kind, seed));
      if (r.diverged) divergent.push(seed);
    }
    // No list of known divergences: every divergence fails the test.
    const unexpected = divergent;
    if (!unexpected.length) return;
    const findings = [];
    for (const seed of unexpected.slice(0, SHRINK_AT_MOST)) findings.push(await fuzz.fuzzOne(kind, seed));
    assert.fail(
      `${unexpected.length}/${COUNT} ${kind} sequences diverge from node:stream; seeds: ${unexpected.join(', ')}\n` +
      `(replay: node fuzz/run.js --kind ${kind} --seed <seed> --count 1 --verbose)\n\n` +
      `${findings.map(fuzz.fmtFinding).join('\n\n')}\n\n` +
      `--- shrunk seed ${findings[0].seed}, node trace:\n${formatTrace(findings[0].nodeTrace)}\n` +
      `--- shrunk seed ${findings[0].seed}, sluice trace:\n${formatTrace(findings[0].sluiceTrace)}\n`);
  });
}
