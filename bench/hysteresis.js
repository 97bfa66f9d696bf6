'use strict';
// Drain hysteresis (sluice's opt-in `lowWaterMark`): what it does to throughput and to the
// number of pause/resume cycles of a producer using the canonical write()/drain loop.
//
//   node bench/hysteresis.js [--mib 8] [--chunk 1024]
//
// Consumers: sluice's ThrottleSink (a slow native sink, bytesPerSecond), and a JS Writable that
// completes each write after setImmediate (slow-ish, latency-bound). For each, lowWaterMark =
// 0 (Node's behaviour), hwm/4, hwm/2, 3*hwm/4.

const sluice = require('..');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const MIB = arg('mib', 8);
const CHUNK = arg('chunk', 1024);
const HWM = 16384;

async function produce(w, total) {
  const chunk = Buffer.alloc(CHUNK, 97);
  let sent = 0;
  let pauses = 0;
  const t0 = process.hrtime.bigint();
  while (sent < total) {
    sent += CHUNK;
    if (!w.write(chunk)) {
      pauses++;
      await w.drained();
    }
  }
  await new Promise((resolve) => w.end(resolve));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, pauses, mibPerSec: total / 1048576 / (ms / 1000), stats: w.stats() };
}

async function main() {
  const total = MIB * 1048576;
  const rows = [];
  const consumers = {
    'ThrottleSink 64 MiB/s': (lwm) =>
      new sluice.ThrottleSink({ highWaterMark: HWM, lowWaterMark: lwm || undefined, bytesPerSecond: 64 * 1048576 }),
    'JS sink, setImmediate per write': (lwm) =>
      new sluice.Writable({ highWaterMark: HWM, lowWaterMark: lwm || undefined, write(c, e, cb) { setImmediate(cb); } }),
  };
  for (const [name, make] of Object.entries(consumers)) {
    for (const lwm of [0, HWM / 4, HWM / 2, (3 * HWM) / 4]) {
      const r = await produce(make(lwm), name.startsWith('JS') ? total / 8 : total);
      rows.push({ consumer: name, lowWaterMark: lwm, ...r });
    }
  }
  console.log(`# drain hysteresis — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${require('os').cpus().length} cores`);
  console.log(`\n${MIB} MiB as ${CHUNK} B chunks (the JS sink: ${MIB / 8} MiB), highWaterMark ${HWM}\n`);
  console.log('| consumer | lowWaterMark | MiB/s | pauses (write() false) | drains | time under backpressure |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.consumer} | ${r.lowWaterMark} | ${r.mibPerSec.toFixed(1)} | ${r.pauses} | ${r.stats.drains} | ${(r.stats.pressureMs / r.ms * 100).toFixed(0)}% |`,
    );
  }
}

main();
