'use strict';
// Load run (issue 8): 1,000 native file sinks and 1,000 JS-subclassed Writables open at once,
// writing concurrently; every byte verified afterwards.
//
//   node scripts/load.js [--streams 1000] [--kib 256]

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const sluice = require('..');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const N = arg('streams', 1000);
const KIB = arg('kib', 256);

function content(i) {
  // Distinct, reproducible bytes per stream.
  return crypto.createHash('sha256').update(`stream ${i}`).digest();
}

class Collector extends sluice.Writable {
  constructor() {
    super({ highWaterMark: 4096 });
    this.hash = crypto.createHash('sha256');
    this.bytes = 0;
  }
  _write(chunk, enc, cb) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    setImmediate(cb);
  }
}

async function pump(w, i) {
  const unit = content(i);
  const chunk = Buffer.concat(Array(32).fill(unit)); // 1 KiB
  const expected = crypto.createHash('sha256');
  for (let k = 0; k < KIB; k++) {
    expected.update(chunk);
    if (!w.write(chunk)) await w.drained();
  }
  await new Promise((resolve, reject) => {
    w.once('error', reject);
    w.end(resolve);
  });
  return expected.digest('hex');
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-load-'));
  const t0 = Date.now();
  const files = [];
  const jobs = [];
  for (let i = 0; i < N; i++) {
    const f = path.join(dir, `${i}.bin`);
    files.push(f);
    const ws = sluice.createWriteStream(f);
    jobs.push(pump(ws, i).then((digest) => ({ kind: 'file', i, f, digest })));
    const c = new Collector();
    jobs.push(pump(c, i).then((digest) => ({ kind: 'js', i, c, digest })));
  }
  const results = await Promise.all(jobs);
  // Let the file sinks close.
  await new Promise((r) => setTimeout(r, 200));
  let bad = 0;
  let bytes = 0;
  for (const r of results) {
    if (r.kind === 'file') {
      const data = fs.readFileSync(r.f);
      bytes += data.length;
      if (data.length !== KIB * 1024 || crypto.createHash('sha256').update(data).digest('hex') !== r.digest) bad++;
    } else {
      bytes += r.c.bytes;
      if (r.c.bytes !== KIB * 1024 || r.c.hash.digest('hex') !== r.digest) bad++;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const s = (Date.now() - t0) / 1000;
  console.log(`# load run — ${new Date().toISOString()}, node ${process.version}`);
  console.log(`${N} native file sinks + ${N} JS Writables at once, ${KIB} KiB each: ${(bytes / 1048576).toFixed(0)} MiB verified in ${s.toFixed(1)} s, ${bad} streams with wrong bytes`);
  process.exitCode = bad ? 1 : 0;
}

main();
