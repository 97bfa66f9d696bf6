'use strict';

// pino, the logger, writing into sluice's file sink as its destination: a burst that never
// waits for 'drain' (as pino does), every line present and in order; and pino.final-style
// exits (process.exit() right after logging) keep every line.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const pino = require('pino');
const sluice = require('..');

const ROOT = path.resolve(__dirname, '..');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pino-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function checkLines(file, n) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.strictEqual(lines.pop(), '');
  assert.strictEqual(lines.length, n);
  lines.forEach((l, i) => {
    const o = JSON.parse(l);
    assert.strictEqual(o.i, i);
    assert.strictEqual(o.msg, 'burst');
  });
}

test('pino logging a 100,000-line burst into a sluice file sink: every line, in order', async (t) => {
  const file = path.join(tmpdir(t), 'app.log');
  const dest = sluice.createWriteStream(file);
  const log = pino({ base: null, timestamp: false }, dest);
  for (let i = 0; i < 100000; i++) log.info({ i }, 'burst');
  await new Promise((resolve, reject) => dest.on('error', reject).end(resolve));
  checkLines(file, 100000);
});

test('pino into a sluice file sink, then process.exit(): every line is on disk', (t) => {
  const file = path.join(tmpdir(t), 'app.log');
  const script = `
    const pino = require('pino');
    const sluice = require(${JSON.stringify(ROOT)});
    const log = pino({ base: null, timestamp: false }, sluice.createWriteStream(${JSON.stringify(file)}));
    for (let i = 0; i < 100000; i++) log.info({ i }, 'burst');
    process.exit(0);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  assert.strictEqual(r.status, 0, r.stderr);
  checkLines(file, 100000);
});
