'use strict';

// Nothing handed to a file sink is lost at exit: child processes write lines into a sluice
// file sink and then end by process.exit(), by an uncaught exception, or by letting the loop
// run dry; every line must be in the file afterwards, in order. Node's fs.createWriteStream
// loses them in the first two cases (shown beside, as the reason this exists).

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-exit-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lines(n, tag = 'line') {
  let s = '';
  for (let i = 0; i < n; i++) s += `${tag} ${i} ${'x'.repeat(80)}\n`;
  return s;
}

// Runs `body` in a child with `ws` a write stream on `file` made by `make`.
function child(file, make, body, extra = '') {
  const script = `
    const sluice = require(${JSON.stringify(ROOT)});
    const fs = require('node:fs');
    const ws = ${make}(${JSON.stringify(file)}${extra});
    const line = (i, tag = 'line') => tag + ' ' + i + ' ' + 'x'.repeat(80) + '\\n';
    ${body}
  `;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
}

for (const [how, end, code] of [
  ['process.exit()', 'process.exit(0);', 0],
  ['an uncaught exception', "throw new Error('boom');", 1],
  ['process.exit() from a timer, with a backlog past the mark', 'setTimeout(() => process.exit(3), 1);', 3],
]) {
  test(`100,000 lines written and then ${how}: every line is in the file, in order`, (t) => {
    const dir = tmpdir(t);
    const file = path.join(dir, 'out.log');
    const r = child(file, 'sluice.createWriteStream', `for (let i = 0; i < 100000; i++) ws.write(line(i)); ${end}`);
    assert.strictEqual(r.status, code, r.stderr);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), lines(100000));
  });
}

test('exit while part of the lines is already written: the file holds each line once, in order', (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.log');
  const r = child(file, 'sluice.createWriteStream', `
    for (let i = 0; i < 50000; i++) ws.write(line(i));
    ws.once('open', () => setTimeout(() => { for (let i = 50000; i < 100000; i++) ws.write(line(i)); process.exit(0); }, 20));
  `);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), lines(100000));
});

test("exit with { start } and { flush: true }: positioned bytes land where they belong", (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.log');
  fs.writeFileSync(file, '#'.repeat(10));
  const r = child(file, 'sluice.createWriteStream', `for (let i = 0; i < 20000; i++) ws.write(line(i)); process.exit(0);`, ", { flags: 'r+', start: 4, flush: true }");
  assert.strictEqual(r.status, 0, r.stderr);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), '####' + lines(20000));
});

test('the loop running dry: the process stays until the sink has written everything', (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.log');
  const r = child(file, 'sluice.createWriteStream', 'for (let i = 0; i < 100000; i++) ws.write(line(i));');
  assert.strictEqual(r.status, 0, r.stderr);
  assert.strictEqual(fs.readFileSync(file, 'utf8'), lines(100000));
});

test("for comparison: fs.createWriteStream loses what it was handed when process.exit() comes first", (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'out.log');
  const r = child(file, 'fs.createWriteStream', 'for (let i = 0; i < 100000; i++) ws.write(line(i)); process.exit(0);');
  assert.strictEqual(r.status, 0, r.stderr);
  const kept = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length : 0; // often not even created
  assert.ok(kept < lines(100000).length, 'node:fs kept everything: the comparison no longer holds');
});
