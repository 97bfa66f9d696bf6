'use strict';
// Leak run (issue 8): create, use and destroy many streams, JS-backed and native, and check
// that RSS and native memory come back flat. Prints a markdown summary.
//
//   node --expose-gc scripts/leak.js [--count 1000000] [--native 100000]

const sluice = require('..');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const COUNT = arg('count', 1000000);
const NATIVE = arg('native', 100000);

const gc = globalThis.gc || (() => {});
async function settle() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  gc();
}
const mb = (n) => (n / 1048576).toFixed(1);
function mem() {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

async function phase(name, n, body) {
  await settle();
  const before = mem();
  const t0 = Date.now();
  const BATCH = 1000;
  for (let i = 0; i < n; i += BATCH) {
    const ps = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) ps.push(body(j));
    await Promise.all(ps);
  }
  await settle();
  // A second round: memory that is really leaked grows again; allocator slack does not.
  const mid = mem();
  for (let i = 0; i < n; i += BATCH) {
    const ps = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) ps.push(body(j));
    await Promise.all(ps);
  }
  await settle();
  const after = mem();
  return { name, n, seconds: (Date.now() - t0) / 1000, before, mid, after };
}

const chunk = Buffer.alloc(64, 1);

async function main() {
  const rows = [];
  rows.push(
    await phase('Writable: write, end, finish', COUNT, () => {
      const w = new sluice.Writable({ write(c, e, cb) { cb(); } });
      w.write(chunk);
      return new Promise((r) => w.end(r));
    }),
  );
  rows.push(
    await phase('Writable: write, destroy (unended)', COUNT, () => {
      const w = new sluice.Writable({ write(c, e, cb) { setImmediate(cb); } });
      w.write(chunk);
      w.write(chunk);
      w.destroy();
      return Promise.resolve();
    }),
  );
  rows.push(
    await phase('Readable: push, consume, end', COUNT, () => {
      const r = new sluice.Readable({ read() { this.push(chunk); this.push(null); } });
      return new Promise((res) => { r.on('end', res); r.resume(); });
    }),
  );
  rows.push(
    await phase('Transform: write, read, end', COUNT / 4, () => {
      const t = new sluice.PassThrough();
      t.resume();
      return new Promise((res) => t.end(chunk, res));
    }),
  );
  rows.push(
    await phase('NullSink (native): write, end, close', NATIVE, () => {
      const s = new sluice.NullSink();
      s.write(chunk);
      return new Promise((res) => { s.on('close', res); s.end(); });
    }),
  );
  rows.push(
    await phase('NullSink (native): created, never used, dropped', NATIVE, () => {
      new sluice.NullSink(); // eslint-disable-line no-new
      return Promise.resolve();
    }),
  );
  console.log(`# leak run — ${new Date().toISOString()}, node ${process.version}`);
  console.log('\nRSS / native (external) memory in MiB after a forced GC: before, after one round, after a second round.\n');
  console.log('| scenario | streams per round | seconds | RSS before → 1 → 2 | external before → 1 → 2 |');
  console.log('| --- | ---: | ---: | --- | --- |');
  let ok = true;
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.n.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${mb(r.before.rss)} → ${mb(r.mid.rss)} → ${mb(r.after.rss)} | ${mb(r.before.external)} → ${mb(r.mid.external)} → ${mb(r.after.external)} |`,
    );
    // Flat: the second round adds less than 32 MiB of RSS and 4 MiB of external memory.
    if (r.after.rss - r.mid.rss > 32 * 1048576 || r.after.external - r.mid.external > 4 * 1048576) ok = false;
  }
  console.log(`\n${ok ? 'flat' : 'GROWING'}: second rounds ${ok ? 'did not grow' : 'grew'} beyond the allowance (32 MiB RSS, 4 MiB external).`);
  process.exitCode = ok ? 0 : 1;
}

main();
