#!/usr/bin/env node
'use strict';
// npm run experiments — runs the "Backpressure" lesson's experiment sections
// and its three challenges against node:stream and sluice and prints them side by side, marking
// counts that must agree as agree / DIFFER. Sections 3 and 6 also draw charts: in the terminal,
// and as SVG files in --out.
//
//   node experiments/run.js [--only 3,6] [--impl sluice|node|both] [--size N|64M]
//                           [--out DIR] [--json]

const path = require('path');
const { parseByteSize, makeProgress, DEFAULT_OUT } = require('./lib');

const SECTIONS = [
  require('./sections/01-seeing-backpressure'),
  require('./sections/02-manual-backpressure'),
  require('./sections/03-without-vs-with'),
  require('./sections/04-hwm-tuning'),
  require('./sections/05-object-mode'),
  require('./sections/06-challenge-large-file'),
  require('./sections/07-challenge-throttle'),
  require('./sections/08-challenge-tiny-hwm'),
];

const IMPLS = {
  node: () => require('node:stream'),
  sluice: () => require(path.join(__dirname, '..')),
};

const SECTION_TIMEOUT_MS = 30_000;

const USAGE = `usage: npm run experiments -- [options]   (= node experiments/run.js [options])

  --only 3,6        run only these sections (1-8; 6-8 are the lesson's challenges)
  --impl WHICH      sluice, node or both (default both: side by side)
  --size N|BYTES    N multiplies the lesson's counts (default 1; fractions allowed) and
                    challenge 1's 256 MiB file; a size with a unit (64M, 512k, 1G) sets
                    challenge 1's file size and leaves the other sections at 1
  --out DIR         where the SVG plots go (default experiments/out/)
  --json            print one JSON object with every result instead of text
  -h, --help        this text`;

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { only: null, impl: 'both', json: false, size: 1, fileBytes: null, out: DEFAULT_OUT, help: false };
  const fail = (msg) => { throw new UsageError(msg); };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let val;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) { val = a.slice(eq + 1); a = a.slice(0, eq); }
    const next = () => (val !== undefined ? val : (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value`)));
    switch (a) {
      case '--only': {
        args.only = next().split(',').filter(Boolean).map(Number);
        for (const n of args.only) if (!Number.isInteger(n) || n < 1 || n > SECTIONS.length) fail(`no section ${n}`);
        break;
      }
      case '--impl': {
        args.impl = next();
        if (!['sluice', 'node', 'both'].includes(args.impl)) fail(`bad --impl ${args.impl}`);
        break;
      }
      case '--size': {
        const text = next();
        const bytes = parseByteSize(text);
        if (bytes !== null) { args.fileBytes = bytes; args.size = 1; break; }
        args.size = Number(text);
        args.fileBytes = null;
        if (!Number.isFinite(args.size) || args.size <= 0) fail('--size must be a positive number or a size like 64M');
        break;
      }
      case '--out': args.out = path.resolve(next()); break;
      case '--json': args.json = true; break;
      case '-h': case '--help': args.help = true; break;
      default: fail(`unknown option ${a}`);
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
  const limit = section.timeoutMs ? section.timeoutMs(opts) : SECTION_TIMEOUT_MS;
  try {
    return { ok: true, result: await withTimeout(section.run(IMPLS[implName](), opts), limit, `${section.title} (${implName})`) };
  } catch (err) {
    return { ok: false, error: err && err.stack ? err.stack : String(err) };
  } finally {
    if (opts.progress) opts.progress.done();
  }
}

const fmt = (row) => `${row.value}${row.suffix ? ' ' + row.suffix : ''}`;
const LABEL_WIDTH = 30;

// Print one section's rows side by side; returns { agree, differ }.
function printSideBySide(section, node, sluice) {
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

// The lesson's own output (one implementation).
function printRows(section, result) {
  for (const row of section.rows(result)) {
    if (typeof row === 'string') console.log(row);
    else console.log(`${row.label} ${fmt(row)}`);
  }
}

function compareCounts(section, node, sluice) {
  const out = [];
  if (!node.ok || !sluice.ok) return out;
  const a = section.rows(node.result), b = section.rows(sluice.result);
  a.forEach((x, i) => {
    if (typeof x !== 'string' && x.compare) out.push({ label: x.label.trim(), node: x.value, sluice: b[i].value, agree: x.value === b[i].value });
  });
  return out;
}

// Explanations, terminal chart, SVG plots: whatever the section offers. Returns plot paths.
async function printExtras(section, res, impls, args) {
  const ok = {};
  for (const name of impls) if (res[name].ok) ok[name] = res[name].result;
  if (!Object.keys(ok).length) return [];
  if (!args.json) {
    if (section.explain) {
      const lines = impls.filter((n) => ok[n]).flatMap((n) => section.explain(ok[n]));
      if (lines.length) console.log(`\n${lines.join('\n')}`);
    }
    if (section.chart) {
      const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
      console.log(`\n${section.chart(ok, { color }).join('\n')}`);
    }
  }
  let plots = [];
  if (section.plot) {
    try {
      plots = await section.plot(ok, args.out);
      if (!args.json) for (const p of plots) console.log(`\nPlot: ${path.relative(process.cwd(), p) || p}`);
    } catch (err) {
      if (!args.json) console.log(`\n  !! plot failed: ${err && err.stack ? err.stack : err}`);
      plots = [{ error: String(err) }];
    }
  }
  return plots;
}

async function main(argv = process.argv.slice(2)) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`experiments: ${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) { console.log(USAGE); return; }

  const impls = args.impl === 'both' ? ['node', 'sluice'] : [args.impl];
  const picked = (args.only || SECTIONS.map((_, i) => i + 1)).map((n) => [n, SECTIONS[n - 1]]);
  // Progress lines go to stdout with text output; with --json, to stderr if it is a terminal.
  const progressStream = args.json ? (process.stderr.isTTY ? process.stderr : null) : process.stdout;
  const opts = { size: args.size, fileBytes: args.fileBytes, progress: makeProgress(progressStream, !!progressStream) };

  let agree = 0, differ = 0, failed = 0;
  const json = { size: args.size, fileBytes: args.fileBytes, impls, out: args.out, sections: {} };

  for (const [n, section] of picked) {
    if (!args.json) console.log(`=== ${section.title} ===\n`);
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
        for (const c of entry.counts) {
          if (c.agree) agree++;
          else differ++;
        }
      }
      const plots = await printExtras(section, res, impls, args);
      if (plots.length) entry.plots = plots;
      json.sections[n] = entry;
      continue;
    }

    if (impls.length === 2) {
      const c = printSideBySide(section, res.node, res.sluice);
      agree += c.agree; differ += c.differ;
    } else {
      const r = res[impls[0]];
      if (r.ok) printRows(section, r.result);
      else console.log(`  !! ${impls[0]} failed: ${r.error}`);
    }
    await printExtras(section, res, impls, args);
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

// `node experiments/sections/0X-....js [options]` runs that section the way
// `node experiments/run.js --only X --impl sluice [options]` does (options as main's; e.g.
// `--impl both` for the side-by-side view). A section calls this only when it is the main
// module, so run.js and the sections never require each other while loading.
function runDirectly(section) {
  // On the next turn: the section's module has then finished loading (run.js's SECTIONS holds it).
  setImmediate(() => {
    const n = SECTIONS.indexOf(section) + 1;
    main(['--only', String(n), '--impl', 'sluice', ...process.argv.slice(2)]).catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
  });
}

module.exports = { SECTIONS, main, parseArgs, USAGE, runDirectly };

if (require.main === module) main().catch((err) => { console.error(err); process.exitCode = 1; });
