'use strict';

// Whole programs, written as a user of node:stream writes them (`require('stream')`, mixed
// with readline, child processes, zlib, http, net, fs, worker threads, web streams, events),
// run twice in child processes: on plain Node, and with `stream` and `stream/promises`
// swapped for sluice by the preload that runs Node's own tests (scripts/node-tests/swap.js;
// the children they spawn swap too). Everything a program prints (events, their order, return
// values, error codes and messages, the bytes that arrived) and its exit status must be the
// same. Each program prints only what does not depend on timing between processes.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const SWAP = path.join(ROOT, 'scripts', 'node-tests', 'swap.js');
const DIR = path.join(__dirname, 'fixtures', 'programs');

function run(file, swap) {
  return new Promise((resolve, reject) => {
    const args = swap ? ['-r', SWAP, file] : [file];
    const child = spawn(process.execPath, args, { cwd: DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

for (const name of fs.readdirSync(DIR).filter((f) => f.endsWith('.js') || f.endsWith('.mjs')).sort()) {
  test(`program ${name} prints the same on sluice as on node:stream`, async () => {
    const file = path.join(DIR, name);
    const [node, sluice] = await Promise.all([run(file, false), run(file, true)]);
    assert.strictEqual(node.code, 0, `on node:stream the program failed:\n${node.err}`);
    assert.ok(node.out.length > 0, 'the program printed nothing');
    assert.deepStrictEqual(
      { code: sluice.code, signal: sluice.signal, out: sluice.out, err: sluice.err },
      { code: node.code, signal: node.signal, out: node.out, err: node.err });
  });
}
