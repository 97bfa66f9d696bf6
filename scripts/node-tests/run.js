'use strict';
// Node's own stream test files against sluice (see README "Tests"): the extracted test/ tree of
// a Node release (extract.py pulls test/common, test/fixtures and test/parallel/test-stream* out
// of a git directory, e.g. a fetched copy of denoland/node_test), each file run with and without
// swap.js (the preload that makes stream, node:stream and stream/promises sluice). Not part of
// npm test: it needs that tree, which is not in this repository. Usage:
//   node run.js --node BIN --tests DIR [--only PATTERN] [--jobs 2] [--timeout 30]
//               [--out results-VERSION.md] [--list FILE] [--sluice DIR (default: this checkout)]
//               [--node-flags "--no-webstorage"]  (extra node flags for both runs)   (FILE: one test basename per line)
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const NODE = opt('node', process.execPath);
const TESTS = path.resolve(opt('tests', '.'));
const ONLY = opt('only');
const JOBS = +opt('jobs', 2);
const TIMEOUT = +opt('timeout', 30) * 1000;
const LIST = opt('list');
const EXTRA = (opt('node-flags', '') || '').split(/\s+/).filter(Boolean); // added to both runs
const SWAP = path.join(__dirname, 'swap.js');
const SLUICE = path.resolve(opt('sluice', path.resolve(__dirname, '..', '..')));
let sluiceRev = '';
try { sluiceRev = fs.readFileSync(path.join(SLUICE, 'COMMIT'), 'utf8').split('\n')[0]; } catch {
  try { sluiceRev = execFileSync('git', ['-C', SLUICE, 'rev-parse', '--short', 'HEAD']).toString().trim(); } catch {} }
const version = execFileSync(NODE, ['-p', 'process.version']).toString().trim();
const OUT = opt('out', path.join(__dirname, `results-${version}.md`));
const testsLabel = path.basename(TESTS);

const dir = path.join(TESTS, 'test', 'parallel');
let files = fs.readdirSync(dir).filter((f) => /^test-stream.*\.(js|mjs|cjs)$/.test(f)).sort();
if (ONLY) { const re = new RegExp(ONLY); files = files.filter((f) => re.test(f)); }
if (LIST) { const want = new Set(fs.readFileSync(LIST, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean)); files = files.filter((f) => want.has(f)); }

function flagsOf(file) {
  const src = fs.readFileSync(file, 'utf8').split('\n').slice(0, 40);
  const flags = [];
  for (const line of src) {
    const m = /^\/\/\s*Flags:\s*(.*)$/.exec(line);
    if (m) flags.push(...m[1].trim().split(/\s+/).filter(Boolean));
  }
  return flags;
}

function runOne(file, swapped, slot) {
  return new Promise((resolve) => {
    const flags = flagsOf(file);
    const argv = [...EXTRA, ...flags, ...(swapped ? ['-r', SWAP] : []), file];
    const env = { ...process.env, TEST_THREAD_ID: String(slot + (swapped ? 10 : 0)) };
    delete env.NODE_OPTIONS;
    if (swapped) { env.NODE_OPTIONS = `--require=${SWAP}`; env.SLUICE_DIR = SLUICE; } // so spawned child node processes swap too
    const t0 = Date.now();
    const child = spawn(NODE, argv, { cwd: TESTS, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', timedOut = false;
    child.stdout.on('data', (d) => { if (out.length < 20000) out += d; });
    child.stderr.on('data', (d) => { if (err.length < 20000) err += d; });
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, TIMEOUT);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch {}
      resolve({ code, signal, timedOut, ms: Date.now() - t0, flags, stderr: err, stdout: out });
    });
  });
}

const ok = (r) => r.code === 0 && !r.timedOut;
const status = (r) => r.timedOut ? 'TIMEOUT' : r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
const noise = (l) => /ExperimentalWarning: localStorage|Use `node --trace-warnings/.test(l);
const head = (s, n = 15) => s.split('\n').filter((l) => !noise(l)).slice(0, n).join('\n');
const report = (r) => { const e = head(r.stderr).trim(); const o = head(r.stdout, 8).trim();
  return (e ? e : '(stderr empty)') + (o ? `\n--- stdout ---\n${o}` : ''); };

(async () => {
  const results = {};
  let next = 0;
  async function worker(slot) {
    while (next < files.length) {
      const f = files[next++];
      const file = path.join(dir, f);
      const base = await runOne(file, false, slot);
      const swap = await runOne(file, true, slot);
      results[f] = { base, swap };
      const tag = ok(base) ? (ok(swap) ? 'pass' : 'SLUICE-FAIL') : 'baseline-fail';
      process.stderr.write(`[${version}] ${f}: base ${status(base)}, swap ${status(swap)} -> ${tag}\n`);
    }
  }
  await Promise.all(Array.from({ length: JOBS }, (_, i) => worker(i)));

  const names = Object.keys(results).sort();
  const basePass = names.filter((n) => ok(results[n].base));
  const sluiceFail = basePass.filter((n) => !ok(results[n].swap));
  const baseFail = names.filter((n) => !ok(results[n].base));
  const swapOnlyPass = baseFail.filter((n) => ok(results[n].swap));
  let md = `# sluice vs Node's own stream tests — Node ${version}\n\n`;
  md += `Tests: ${TESTS} (${testsLabel}); node: ${NODE}; swap: ${SWAP}; sluice: ${SLUICE} @ ${sluiceRev}; timeout ${TIMEOUT / 1000}s;${EXTRA.length ? ` extra node flags: ${EXTRA.join(' ')};` : ''} ${new Date().toISOString()}\n\n`;
  md += `- files run: ${names.length}\n- baseline pass: ${basePass.length}\n- baseline pass but fail with sluice: ${sluiceFail.length}\n`;
  md += `- baseline fail: ${baseFail.length}${swapOnlyPass.length ? ` (of which pass with sluice: ${swapOnlyPass.join(', ')})` : ''}\n\n`;
  md += `## Failing with sluice (baseline passed)\n\n`;
  for (const n of sluiceFail) {
    const r = results[n].swap;
    md += `### ${n}\n\n${status(r)}${r.flags.length ? `, flags: ${r.flags.join(' ')}` : ''}, ${r.ms} ms\n\n\`\`\`\n${report(r)}\n\`\`\`\n\n`;
  }
  md += `## Baseline failures (not counted)\n\n`;
  for (const n of baseFail) {
    const r = results[n].base;
    md += `- ${n}: ${status(r)} — ${((r.stderr + '\n' + r.stdout).split('\n').filter((l) => !noise(l)).find((l) => /Error|error|skip|Mismatched/.test(l)) || '').trim().slice(0, 200)}\n`;
  }
  md += `\n## All\n\n| test | baseline | sluice |\n|---|---|---|\n`;
  for (const n of names) md += `| ${n} | ${status(results[n].base)} | ${status(results[n].swap)} |\n`;
  fs.writeFileSync(OUT, md);
  fs.writeFileSync(OUT.replace(/\.md$/, '.json'), JSON.stringify(results, null, 1));
  console.log(`${version}: ${names.length} run, ${basePass.length} baseline pass, ${sluiceFail.length} fail with sluice -> ${OUT}`);
})();
