'use strict';

// Native sinks in worker threads: each Node environment (the main thread, every worker) gets
// its own event delivery, so a sink's events reach the environment that created it, and one
// environment's teardown leaves the others' sinks alone. Every byte is verified.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const sluice = require('..');

const WORKER = path.join(__dirname, 'fixtures', 'sink-worker.js');

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-workers-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function expected(tag, lines) {
  let s = '';
  for (let i = 0; i < lines; i++) s += `${tag} ${i}\n`;
  return s;
}

// Writes `lines` lines into a sink on this thread; resolves with the events once closed.
function mainSink(file, tag, lines) {
  const ws = sluice.createWriteStream(file);
  const events = [];
  for (const e of ['open', 'ready', 'finish', 'close']) ws.on(e, () => events.push(e));
  ws.on('error', (err) => events.push(`error ${err.code} ${err.syscall} ${err.message}`));
  for (let i = 0; i < lines; i++) ws.write(`${tag} ${i}\n`);
  ws.end();
  return new Promise((resolve) => ws.on('close', () => resolve(events)));
}

function runWorker(workerData) {
  const w = new Worker(WORKER, { workerData });
  return new Promise((resolve, reject) => {
    let result = null;
    w.on('message', (m) => (result = m));
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(result) : reject(new Error(`worker exit ${code}`))));
  });
}

test('a sink in a worker after one in the main thread emits finish and close in the worker; the main thread still works after the worker exits', async (t) => {
  const dir = tmpdir(t);
  assert.deepStrictEqual(await mainSink(path.join(dir, 'm1'), 'm1', 1000), ['open', 'ready', 'finish', 'close']);
  const r = await runWorker({ file: path.join(dir, 'w1'), lines: 1000, tag: 'w1' });
  assert.deepStrictEqual(r.events, ['open', 'ready', 'finish', 'close']);
  assert.strictEqual(fs.readFileSync(path.join(dir, 'w1'), 'utf8'), expected('w1', 1000));
  assert.deepStrictEqual(await mainSink(path.join(dir, 'm2'), 'm2', 1000), ['open', 'ready', 'finish', 'close']);
  assert.strictEqual(fs.readFileSync(path.join(dir, 'm2'), 'utf8'), expected('m2', 1000));
});

test('sinks in four worker threads at once beside the main thread: every byte in place', async (t) => {
  const dir = tmpdir(t);
  const lines = 20000;
  const workers = [0, 1, 2, 3].map((i) => runWorker({ file: path.join(dir, `w${i}`), lines, tag: `w${i}` }));
  const mains = [0, 1].map((i) => mainSink(path.join(dir, `m${i}`), `m${i}`, lines));
  for (const r of await Promise.all(workers)) assert.deepStrictEqual(r.events, ['open', 'ready', 'finish', 'close']);
  for (const ev of await Promise.all(mains)) assert.deepStrictEqual(ev, ['open', 'ready', 'finish', 'close']);
  for (const tag of ['w0', 'w1', 'w2', 'w3', 'm0', 'm1']) {
    assert.strictEqual(fs.readFileSync(path.join(dir, tag), 'utf8'), expected(tag, lines), tag);
  }
});

test('a worker terminated in mid-write: what it wrote is a prefix of its lines; the main thread keeps working', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'hang');
  const w = new Worker(WORKER, { workerData: { file, tag: 'h', hang: true } });
  await new Promise((resolve) => w.on('message', (m) => m.writing > 5000 && resolve()));
  await w.terminate();
  // The numbers the worker's descriptors had are free again: files opened now get them. Nothing
  // of the terminated worker's sink may land in them (its task wrote out what it had accepted
  // before Node closed the worker's descriptors).
  const mine = [];
  for (let i = 0; i < 8; i++) {
    const f = path.join(dir, `mine${i}`);
    const fd = fs.openSync(f, 'w');
    mine.push([f, fd]);
  }
  await new Promise((r) => setTimeout(r, 50));
  for (const [f, fd] of mine) {
    fs.writeSync(fd, 'mine\n');
    fs.closeSync(fd);
    assert.strictEqual(fs.readFileSync(f, 'utf8'), 'mine\n', `${f} holds only its own bytes`);
  }
  // The terminated environment's sinks write out what they had accepted, off the JS thread:
  // whatever is in the file at any moment is a prefix of the lines, in order.
  const text = fs.readFileSync(file, 'utf8');
  const got = text.split('\n');
  const tail = got.pop();
  assert.ok(got.length > 0, 'some lines reached the file');
  got.forEach((line, i) => assert.strictEqual(line, `h ${i}`));
  assert.ok(`h ${got.length}`.startsWith(tail), 'the last partial line is a prefix of the next');
  assert.deepStrictEqual(await mainSink(path.join(dir, 'after'), 'a', 5000), ['open', 'ready', 'finish', 'close']);
  assert.strictEqual(fs.readFileSync(path.join(dir, 'after'), 'utf8'), expected('a', 5000));
});

test("a worker's sinks and sources close their descriptors through fs.close: the worker's exit closes nothing of the main thread's (Node closes a worker's leftover fs.open descriptors)", async (t) => {
  const dir = tmpdir(t);
  const w = new Worker(path.join(__dirname, 'fixtures', 'sink-worker-close.js'), { workerData: { file: path.join(dir, 'w') } });
  const { fd, srcFd } = await new Promise((resolve) => w.once('message', resolve));
  assert.strictEqual(typeof fd, 'number');
  assert.strictEqual(typeof srcFd, 'number');
  // The lowest free numbers are the ones the worker's streams just gave back: take them here.
  const mine = [fs.openSync(path.join(dir, 'm1'), 'w'), fs.openSync(path.join(dir, 'm2'), 'w')];
  const exited = new Promise((resolve) => w.on('exit', resolve));
  w.postMessage('exit');
  await exited;
  for (const m of mine) {
    fs.writeSync(m, 'still mine\n'); // EBADF here if the worker's exit closed it
    fs.closeSync(m);
  }
  assert.strictEqual(fs.readFileSync(path.join(dir, 'w'), 'utf8'), 'written in a worker\n');
});

test('a worker terminated in mid-write: every write whose callback had run is in the file (none waits in a JS-side block)', async (t) => {
  const dir = tmpdir(t);
  const file = path.join(dir, 'acked');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const sluice = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const ws = sluice.createWriteStream(workerData.file);
    let acked = 0;
    let i = 0;
    // Small writes with callbacks, and between them small ones without (staged), for ever.
    function more() {
      for (let k = 0; k < 50; k++) {
        const n = i++;
        ws.write('cb ' + n + '\\n', () => { acked = n + 1; });
        ws.write('x\\n');
      }
      parentPort.postMessage(acked);
      setImmediate(more);
    }
    ws.on('ready', more);`;
  const w = new Worker(code, { eval: true, workerData: { file } });
  let acked = 0;
  await new Promise((resolve) => w.on('message', (m) => { acked = m; if (m > 3000) resolve(); }));
  await w.terminate();
  await new Promise((r) => setTimeout(r, 100));
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('cb '));
  assert.ok(lines.length >= acked, `${lines.length} callback lines in the file, ${acked} acknowledged`);
  lines.forEach((l, k) => assert.strictEqual(l, `cb ${k}`));
});
