#!/usr/bin/env node
'use strict';

// Long differential fuzzing run (issue 8): node:stream vs sluice over many
// generated operation sequences, spread over worker processes.
//
//   node fuzz/run.js [--count 100000] [--kind writable|readable|duplex|transform|all]
//                    [--seed S] [--workers 2] [--no-shrink] [--self] [--verbose]
//                    [--findings DIR] [--quiet]
//   node fuzz/run.js --replay fuzz/findings/<seed>.json     re-run a saved finding's
//                                                            minimal sequence, print both traces
//
// Sequence i (0 <= i < count) has seed S+i; with --kind all its kind is
// KINDS[seed mod 4], so `--seed X --count 1 --kind all` replays seed X.
// Every divergence is shrunk (ops removed one at a time while it persists) and
// saved to <findings>/<seed>.json. See fuzz/README.md.

const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { fork } = require('node:child_process');

const HELPERS = path.join(__dirname, '..', '__test__', 'helpers');

function parseArgs(argv) {
  const o = {
    count: 100000, kind: 'all', seed: undefined, workers: Math.min(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length) || 1,
    shrink: true, self: false, verbose: false, quiet: false,
    findings: path.join(__dirname, 'findings'), replay: null, worker: false,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--count': case '-n': o.count = Number(val()); break;
      case '--kind': case '-k': o.kind = val(); break;
      case '--seed': case '-s': o.seed = Number(val()); break;
      case '--workers': case '-j': o.workers = Math.max(1, Number(val())); break;
      case '--findings': o.findings = path.resolve(val()); break;
      case '--no-shrink': o.shrink = false; break;
      case '--self': o.self = true; break;
      case '--verbose': case '-v': o.verbose = true; break;
      case '--quiet': case '-q': o.quiet = true; break;
      case '--replay': o.replay = val(); break;
      case '--worker': o.worker = true; break;
      case '--help': case '-h':
        console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(3, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${a} (try --help)`);
    }
  }
  if (!Number.isInteger(o.count) || o.count < 0) throw new Error('--count must be a non-negative integer');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new Error('--seed must be an integer');
  return o;
}

const KINDS = ['writable', 'readable', 'duplex', 'transform'];
// A worker silent this long is killed (a shrink re-runs at most ~400 sequences).
const HANG_MS = Number(process.env.SLUICE_FUZZ_HANG_MS) || 60000;

function kindOf(kind, seed) {
  if (kind !== 'all') return kind;
  return KINDS[((seed % 4) + 4) % 4];
}

// Group divergences by what differs: the first differing entry's type (and
// event / error code) on each side.
function entrySig(e) {
  if (e === undefined || typeof e === 'string') return String(e);
  const [type] = e;
  const code = (x) => (x && typeof x === 'object' && x.error ? `${x.name}:${x.code || x.message}` : JSON.stringify(x));
  switch (type) {
    case 'emit': return `emit ${e[1]} ${e[2]}${e[2] === 'error' ? ` ${code(e[3])}` : ''}`;
    case 'cb': return `cb ${String(e[1]).replace(/^\d+:/, '')}${e[3] ? ` ${code(e[3])}` : ''}`;
    case 'ret': case 'threw': return `${type} ${String(e[1]).replace(/^\d+:/, '')}${type === 'threw' ? ` ${code(e[2])}` : ''}`;
    case 'step': return `step ${e[2]}`;
    case 'st': case 'snap': case 'final': case 'final-peer': return type;
    case 'UNCAUGHT': return `UNCAUGHT ${code(e[1])}`;
    default: return `${type}${typeof e[1] === 'string' ? ` ${e[1]}` : ''}`;
  }
}

function signature(f) {
  return `${f.kind} | node: ${entrySig(f.node)} | sluice: ${entrySig(f.sluice)}`;
}

// ---------------------------------------------------------------------------
// Worker: runs sequences offset, offset+stride, ... < count.

async function worker() {
  if (process.env.SLUICE_FUZZ_SELF === '1') process.env.SLUICE_DIFF_SELF = '1';
  const fuzz = require(path.join(HELPERS, 'fuzz.js'));
  let current = -1;
  process.on('uncaughtException', (err) => {
    // An exception escaping after a run's trace was closed (late activity).
    process.send({ t: 'stray', i: current, err: String((err && err.stack) || err) });
  });
  const job = await new Promise((resolve) => process.once('message', resolve));
  const { count, base, kind, offset, stride, shrink } = job;
  let done = 0;
  for (let i = offset; i < count; i += stride) {
    current = i;
    const seed = base + i;
    const k = kindOf(kind, seed);
    const r = await fuzz.diffSpec(fuzz.generate(k, seed));
    done++;
    // One message per sequence: the parent must know the last completed
    // sequence to name the culprit if this process crashes or hangs.
    process.send({ t: 'progress', i, done });
    if (r.diverged) {
      process.send({ t: 'shrinking', i });
      const f = await fuzz.fuzzOne(k, seed, { shrink });
      if (f) {
        f.signature = signature(f);
        f.report = fuzz.fmtFinding(f);
        process.send({ t: 'finding', i, f });
      }
    }
  }
  process.send({ t: 'progress', i: count, done, finished: true }, () => process.exit(0));
}

// ---------------------------------------------------------------------------
// Main.

async function main(o) {
  const base = o.seed !== undefined ? o.seed : (Date.now() % 1e9);
  const workers = Math.min(o.workers, Math.max(1, o.count));
  const label = o.kind === 'all' ? 'all kinds (kind = seed mod 4)' : o.kind;
  console.log(`sluice differential fuzzing: ${o.count} sequences, ${label}, seeds ${base}..${base + o.count - 1}, ` +
    `${workers} worker process(es)${o.self ? ', SELF (node:stream on both sides)' : ''}`);
  fs.mkdirSync(o.findings, { recursive: true });
  const { generate } = require(path.join(HELPERS, 'fuzz.js'));

  const t0 = Date.now();
  const state = []; // per worker: { done, last, child, offset }
  const findings = [];
  const problems = []; // crashes / hangs / stray exceptions
  const bySig = new Map();

  function save(f) {
    let file = path.join(o.findings, `${f.seed}.json`);
    if (fs.existsSync(file)) {
      try {
        const prev = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (prev.kind !== f.kind) file = path.join(o.findings, `${f.seed}-${f.kind}.json`);
      } catch {
        // overwrite an unreadable file
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(f, null, 1)}\n`);
    return file;
  }

  function onFinding(f) {
    findings.push(f);
    const file = save(f);
    const list = bySig.get(f.signature) || [];
    list.push(f);
    bySig.set(f.signature, list);
    if (!o.quiet && (o.verbose || list.length <= 3)) {
      console.log(`\n${f.report}\n  saved: ${path.relative(process.cwd(), file)}\n`);
    } else if (!o.quiet) {
      console.log(`divergence: ${f.kind} seed ${f.seed} (${f.signature}; ${list.length} so far) -> ${path.relative(process.cwd(), file)}`);
    }
  }

  const totalDone = () => state.reduce((n, s) => n + s.doneBefore + s.done, 0);

  function start(w, offset, doneBefore) {
    const env = { ...process.env };
    if (o.self) env.SLUICE_FUZZ_SELF = '1';
    const child = fork(__filename, ['--worker'], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const s = { child, offset, done: 0, doneBefore, lastI: offset - workers, lastMsg: Date.now(), finished: false, shrinking: null };
    state[w] = s;
    child.send({ count: o.count, base, kind: o.kind, offset, stride: workers, shrink: o.shrink });
    child.on('message', (m) => {
      s.lastMsg = Date.now();
      if (m.t === 'progress') {
        s.done = m.done;
        s.lastI = m.i;
        if (m.finished) s.finished = true;
      } else if (m.t === 'shrinking') {
        s.shrinking = m.i;
      } else if (m.t === 'finding') {
        s.shrinking = null;
        onFinding(m.f);
      } else if (m.t === 'stray') {
        const seed = m.i >= 0 ? base + m.i : null;
        problems.push({ type: 'stray-exception', seed, err: m.err });
        if (!o.quiet) console.log(`stray exception after a run (around seed ${seed}): ${m.err.split('\n')[0]}`);
      }
    });
    return new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (s.finished) return resolve();
        // Crashed (or killed by the watchdog): the culprit is the sequence after
        // the last one reported done; note it and carry on after it.
        const next = s.lastI + workers;
        const seed = base + (s.shrinking != null ? s.shrinking : next);
        const why = s.killed ? `no progress for ${HANG_MS / 1000}s` : `exit code ${code} signal ${signal}`;
        const problem = { type: s.killed ? 'hang' : 'crash', seed, kind: kindOf(o.kind, seed), why };
        problems.push(problem);
        const file = save({ ...problem, minimal: generate(problem.kind, seed), note: 'not shrunk (the worker died); replay with --replay' });
        console.log(`worker ${w} ${s.killed ? 'hung' : 'crashed'} (${why}) at or after seed ${seed}; saved ${path.relative(process.cwd(), file)}; restarting after it`);
        // s.done counted up to lastI; the culprit counts as run.
        const carried = s.doneBefore + s.done + (s.shrinking != null ? 0 : 1);
        if (next + workers < o.count) start(w, next + workers, carried).then(resolve);
        else {
          s.doneBefore = carried;
          s.done = 0;
          s.finished = true;
          resolve();
        }
      });
    });
  }

  const runs = [];
  for (let w = 0; w < workers; w++) runs.push(start(w, w, 0));

  const ticker = setInterval(() => {
    const now = Date.now();
    for (const s of state) {
      if (s && !s.finished && !s.killed && now - s.lastMsg > HANG_MS) {
        s.killed = true;
        s.child.kill('SIGKILL');
      }
    }
    if (!o.quiet) {
      const n = totalDone();
      const secs = (now - t0) / 1000;
      console.log(`[${secs.toFixed(1)}s] ${n}/${o.count} sequences (${(n / secs).toFixed(0)}/s), ${findings.length} divergences`);
    }
  }, 5000);

  await Promise.all(runs);
  clearInterval(ticker);
  const secs = (Date.now() - t0) / 1000;
  const n = totalDone();

  if (bySig.size) {
    console.log('\ndivergences by first differing entry:');
    for (const [sig, list] of [...bySig].sort((a, b) => b[1].length - a[1].length)) {
      const smallest = list.reduce((a, b) => (b.minimal.ops.length < a.minimal.ops.length ? b : a));
      console.log(`  ${String(list.length).padStart(5)}  ${sig}\n         seeds: ${list.slice(0, 12).map((f) => f.seed).join(', ')}${list.length > 12 ? ', …' : ''}` +
        ` (smallest: seed ${smallest.seed}, ${smallest.minimal.ops.length} ops)`);
    }
  }
  for (const p of problems) console.log(`problem: ${JSON.stringify(p)}`);
  const fatal = problems.filter((p) => p.type !== 'stray-exception').length;
  console.log(`\nthroughput: ${(n / secs).toFixed(0)} sequences/s over ${secs.toFixed(1)} s with ${workers} worker(s)`);
  if (fatal) console.log(`(${findings.length} trace divergences + ${fatal} worker crashes/hangs)`);
  console.log(`${n} sequences, ${findings.length + fatal} divergences`);
  process.exitCode = findings.length || fatal ? 1 : 0;
}

// Re-run a saved finding (or one seed with --count 1 --verbose) and print both traces.
async function replay(o) {
  if (o.self) process.env.SLUICE_DIFF_SELF = '1';
  const fuzz = require(path.join(HELPERS, 'fuzz.js'));
  const { formatTrace } = require(path.join(HELPERS, 'trace.js'));
  let spec;
  if (o.replay) {
    const f = JSON.parse(fs.readFileSync(o.replay, 'utf8'));
    spec = f.minimal || f;
  } else {
    spec = fuzz.generate(kindOf(o.kind, o.seed), o.seed);
  }
  const r = await fuzz.diffSpec(spec);
  console.log(fuzz.fmtSpec(spec));
  console.log(`--- node trace:\n${formatTrace(r.nodeTrace)}\n--- sluice trace:\n${formatTrace(r.sluiceTrace)}`);
  if (r.diverged) {
    console.log(`\nfirst divergence at entry ${r.at}:\n  node   ${fuzz.fmtEntry(r.nodeTrace[r.at])}\n  sluice ${fuzz.fmtEntry(r.sluiceTrace[r.at])}`);
    if (!o.replay && o.shrink) {
      const f = await fuzz.fuzzOne(spec.kind, spec.seed);
      console.log(`\n${fuzz.fmtFinding(f)}`);
    }
  } else {
    console.log('\nno divergence');
  }
  console.log(`1 sequences, ${r.diverged ? 1 : 0} divergences`);
  process.exitCode = r.diverged ? 1 : 0;
}

const opts = parseArgs(process.argv);
if (opts.worker) {
  worker();
} else if (opts.replay || (opts.verbose && opts.count === 1 && opts.seed !== undefined)) {
  replay(opts);
} else {
  main(opts);
}
