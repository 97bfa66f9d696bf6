#!/usr/bin/env node
'use strict';
// npm run experiments — runs the "Backpressure" lesson's experiment sections against node:stream
// and sluice and prints them side by side, marking counts that must agree as agree / DIFFER.
//
//   node experiments/run.js [--only 1,3] [--impl sluice|node|both] [--json] [--size N]

const path = require('path');
const { printSection } = require('./lib');

const SECTIONS = [
  require('./sections/01-seeing-backpressure'),
  require('./sections/02-manual-backpressure'),
  require('./sections/03-without-vs-with'),
  require('./sections/04-hwm-tuning'),
  require('./sections/05-object-mode'),
];

const IMPLS = {
  node: () => require('node:stream'),
  sluice: () => require(path.join(__dirname, '..')),
};

const SECTION_TIMEOUT_MS = 30_000;

function usage(msg) {
  if (msg) console.error(`experiments: ${msg}`);
  console.error('usage: node experiments/run.js [--only 1,3] [--impl sluice|node|both] [--json] [--size N]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { only: null, impl: 'both', json: false, size: 1 };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let val;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) { val = a.slice(eq + 1); a = a.slice(0, eq); }
    const next = () => (val !== undefined ? val : (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`)));
    switch (a) {
      case '--only': {
        args.only = next().split(',').filter(Boolean).map(Number);
        for (const n of args.only) if (!Number.isInteger(n) || n < 1 || n > SECTIONS.length) usage(`no section ${n}`);
        break;
      }
      case '--impl': {
        args.impl = next();
        if (!['sluice', 'node', 'both'].includes(args.impl)) usage(`bad --impl ${args.impl}`);
        break;
      }
      case '--size': {
        args.size = Number(next());
        if (!Number.isFinite(args.size) || args.size <= 0) usage('--size must be a positive number');
        break;
      }
      case '--json': args.json = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown option ${a}`);
    }
  }
  return args;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runOne(section, implName, opts) {
  try {
    return { ok: true, result: await withTimeout(section.run(IMPLS[implName](), opts), SECTION_TIMEOUT_MS, `${section.title} (${implName})`) };
  } catch (err) {
    return { ok: false, error: err && err.stack ? err.stack : String(err) };
  }
}

const fmt = (row) => `${row.value}${row.suffix ? ' ' + row.suffix : ''}`;

// Print one section side by side; returns { agree, differ }.
function printSideBySide(section, node, sluice) {
  console.log(`=== ${section.title} ===`);
  for (const [name, r] of [['node', node], ['sluice', sluice]]) {
    if (!r.ok) console.log(`  !! ${name} failed: ${r.error}`);
  }
  if (!node.ok || !sluice.ok) return { agree: 0, differ: 0 };
  const a = section.rows(node.result);
  const b = section.rows(sluice.result);
  // Width of the node column, so the '|' lines up within a section.
  const w = Math.max(4, ...a.filter((x) => typeof x !== 'string').map((x) => fmt(x).length));
  console.log(`${''.padEnd(LABEL_WIDTH)} ${'node'.padEnd(w)} | sluice\n`);
  let agree = 0, differ = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (typeof x === 'string') {
      console.log(x === y ? x : `${x} | ${y}`);
      continue;
    }
    let mark = '';
    if (x.compare) {
      if (x.value === y.value) { agree++; mark = '   agree'; } else { differ++; mark = '   DIFFER'; }
    }
    console.log(`${x.label.padEnd(LABEL_WIDTH)} ${fmt(x).padEnd(w)} | ${fmt(y)}${mark}`);
  }
  return { agree, differ };
}
const LABEL_WIDTH = 30;

function compareCounts(section, node, sluice) {
  const out = [];
  if (!node.ok || !sluice.ok) return out;
  const a = section.rows(node.result), b = section.rows(sluice.result);
  a.forEach((x, i) => {
    if (typeof x !== 'string' && x.compare) out.push({ label: x.label.trim(), node: x.value, sluice: b[i].value, agree: x.value === b[i].value });
  });
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const impls = args.impl === 'both' ? ['node', 'sluice'] : [args.impl];
  const picked = (args.only || SECTIONS.map((_, i) => i + 1)).map((n) => [n, SECTIONS[n - 1]]);
  const opts = { size: args.size };

  let agree = 0, differ = 0, failed = 0;
  const json = { size: args.size, impls, sections: {} };

  for (const [n, section] of picked) {
    const res = {};
    for (const name of impls) {
      res[name] = await runOne(section, name, opts);
      if (!res[name].ok) failed++;
    }

    if (args.json) {
      const entry = { title: section.title };
      for (const name of impls) entry[name] = res[name].ok ? res[name].result : { error: res[name].error };
      if (impls.length === 2) {
        entry.counts = compareCounts(section, res.node, res.sluice);
        for (const c of entry.counts) c.agree ? agree++ : differ++;
      }
      json.sections[n] = entry;
      continue;
    }

    if (impls.length === 2) {
      const c = printSideBySide(section, res.node, res.sluice);
      agree += c.agree; differ += c.differ;
    } else {
      const r = res[impls[0]];
      if (r.ok) printSection(section, r.result);
      else console.log(`=== ${section.title} ===\n\n  !! ${impls[0]} failed: ${r.error}`);
    }
    console.log('');
  }

  if (args.json) {
    if (impls.length === 2) json.summary = { agree, differ };
    json.failed = failed;
    console.log(JSON.stringify(json, null, 2));
  } else if (impls.length === 2) {
    console.log(`${agree} counts agree, ${differ} differ${failed ? `, ${failed} runs failed` : ''}`);
  } else if (failed) {
    console.log(`${failed} runs failed`);
  }
  // Differences are findings, not failures; only a crashed/hung run makes the exit code non-zero.
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
