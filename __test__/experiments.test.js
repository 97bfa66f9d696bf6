'use strict';

// The "Backpressure" lesson's experiment (seed 001), run against node:stream and sluice
// through experiments/sections/*: the lesson's counts hold for both, and sluice's equal node's.
// Sections 6-8 are the lesson's challenges, at small sizes; the SVG plots are parsed.

const D = require('node:stream').getDefaultHighWaterMark(false); // the running Node's default mark
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const dir = path.join(__dirname, '..', 'experiments', 'sections');
const s1 = require(path.join(dir, '01-seeing-backpressure'));
const s2 = require(path.join(dir, '02-manual-backpressure'));
const s3 = require(path.join(dir, '03-without-vs-with'));
const s4 = require(path.join(dir, '04-hwm-tuning'));
const s5 = require(path.join(dir, '05-object-mode'));
const s6 = require(path.join(dir, '06-challenge-large-file'));
const s7 = require(path.join(dir, '07-challenge-throttle'));
const s8 = require(path.join(dir, '08-challenge-tiny-hwm'));
const runJs = path.join(__dirname, '..', 'experiments', 'run.js');
const { parseArgs } = require(runJs);

const IMPLS = { node: require('node:stream'), sluice: require('..') };
const MiB = 1024 * 1024;

// Run a section against each implementation in turn (not concurrently, so that one's timers
// cannot interleave with the other's).
async function both(section, opts) {
  const node = await section.run(IMPLS.node, opts);
  const sluice = await section.run(IMPLS.sluice, opts);
  return { node, sluice };
}

// The rows marked `compare` must be equal for both implementations.
function assertCountsAgree(section, r) {
  const a = section.rows(r.node);
  const b = section.rows(r.sluice);
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    if (typeof x !== 'string' && x.compare) assert.equal(b[i].value, x.value, `${x.label.trim()}: sluice ${b[i].value}, node ${x.value}`);
  });
}

// A small well-formedness check (an XML parser would do the same): every tag closes, in order,
// attributes are quoted, text has no stray '<' or '&'. Returns the root { name, attrs, children }.
function parseXml(text) {
  let i = 0;
  const root = { name: '#document', attrs: {}, children: [] };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const attr = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    assert.ok(!/&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)/.test(chunk), `stray '&' in text at ${i}`);
    if (lt === -1) { assert.equal(chunk.trim(), '', 'text after the root element'); break; }
    if (text.startsWith('<!--', lt)) { i = text.indexOf('-->', lt) + 3; assert.ok(i > 2, 'unclosed comment'); continue; }
    if (text.startsWith('<?', lt)) { i = text.indexOf('?>', lt) + 2; assert.ok(i > 1, 'unclosed <?'); continue; }
    tag.lastIndex = lt;
    const m = tag.exec(text);
    assert.ok(m, `malformed tag at ${lt}: ${text.slice(lt, lt + 60)}`);
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      assert.equal(open.name, name, `</${name}> closes <${open.name}>`);
    } else {
      const el = { name, attrs: {}, children: [] };
      for (const a of attrText.matchAll(attr)) el.attrs[a[1]] = a[2] !== undefined ? a[2] : a[3];
      stack[stack.length - 1].children.push(el);
      if (!selfClose) stack.push(el);
    }
    i = tag.lastIndex;
  }
  assert.equal(stack.length, 1, `unclosed <${stack[stack.length - 1].name}>`);
  assert.equal(root.children.length, 1, 'one root element');
  return root.children[0];
}

function* walk(el) {
  yield el;
  for (const c of el.children) yield* walk(c);
}

// The series drawn: one <path> per series inside each Vega line-mark group; its aria-label
// names the series ("...; run: with backpressure").
function lineSeries(svgText) {
  assert.ok(svgText.startsWith('<svg'), 'starts with <svg');
  assert.ok(svgText.trimEnd().endsWith('</svg>'), 'ends with </svg>');
  const root = parseXml(svgText);
  assert.equal(root.name, 'svg');
  const out = [];
  for (const el of walk(root)) {
    if (el.name === 'g' && /\bmark-line\b/.test(el.attrs.class || '')) {
      for (const p of el.children.filter((c) => c.name === 'path')) {
        assert.ok((p.attrs.d || '').startsWith('M'), 'a line path has a d attribute');
        out.push((/run: (.*)$/.exec(p.attrs['aria-label'] || '') || [])[1]);
      }
    }
  }
  return out;
}

const tmpOut = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-lab-test-'));

test('experiments: the sections run against both implementations', async (t) => {
  await t.test('1. Seeing Backpressure', async () => {
    const r = await both(s1);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.produced, 20, `${name} produced`);
      assert.equal(x.consumed, 20, `${name} consumed`);
      assert.ok(x.drains > 0, `${name} drains > 0 (got ${x.drains})`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('2. Manual Backpressure', async () => {
    const r = await both(s2);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.items, 30, `${name} items`);
      assert.ok(x.pauses > 0, `${name} pauses > 0 (got ${x.pauses})`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('3. What Happens WITHOUT Backpressure (and its plot)', async () => {
    const r = await both(s3);
    for (const [name, x] of Object.entries(r)) {
      assert.ok(x.withMaxBuffered < x.withoutMaxBuffered, `${name}: ${x.withMaxBuffered} < ${x.withoutMaxBuffered}`);
      assert.ok(x.withMaxBuffered <= 16 + 101, `${name}: with backpressure bounded (got ${x.withMaxBuffered})`);
      // The timeline also samples after each write(): without backpressure all 100 writes are
      // buffered at once; with it, never more than the mark plus one write.
      assert.ok(Math.max(...x.timeline.with.map((p) => p.buffered)) <= 16 + 101);
      assert.equal(Math.max(...x.timeline.without.map((p) => p.buffered)), 100 * 101);
    }
    // Same counts, and the same buffered bytes at every step (only the times may differ).
    const levels = (x) => ({ ...x, timeline: { with: x.timeline.with.map((p) => p.buffered), without: x.timeline.without.map((p) => p.buffered) } });
    assert.deepEqual(levels(r.sluice), levels(r.node));

    const out = tmpOut();
    try {
      const [file] = await s3.plot(r, out);
      assert.equal(path.dirname(file), out);
      const series = lineSeries(fs.readFileSync(file, 'utf8'));
      assert.equal(series.length, 4, 'without/with x node/sluice');
      assert.deepEqual([...new Set(series)].sort(), ['with backpressure', 'without backpressure']);
      // The terminal chart: node beside sluice.
      const lines = s3.chart(r);
      assert.match(lines[0], /node: buffered.*sluice: buffered/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  await t.test('4. highWaterMark Tuning (timings only, not compared)', async () => {
    const r = await both(s4);
    for (const x of Object.values(r)) {
      assert.deepEqual(x.results.map((e) => e.hwm), [64, 1024, 16384, 65536]);
      for (const e of x.results) {
        assert.equal(e.bytes, 1000 * 1024);
        assert.ok(Number.isFinite(e.ms) && e.ms >= 0);
      }
    }
  });

  await t.test('5. Object Mode Backpressure', async () => {
    const r = await both(s5);
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.produced, 10, `${name} produced`);
      assert.equal(x.consumed, 10, `${name} consumed`);
    }
    assert.deepEqual(r.sluice, r.node);
  });

  await t.test('6. Challenge 1: large file to a slow destination (8 MiB; and its plot)', async () => {
    const fileBytes = 8 * MiB;
    // The ThrottleSink at an eighth of the section's rate: "without backpressure the buffer
    // grows" needs the file read faster than the sink drains, which a loaded 2-core machine
    // did not always do at 200 MiB/s (one chunk buffered, the read being the slow side), nor
    // once at 50 MiB/s (node's side: two chunks).
    const r = await both(s6, { fileBytes, bytesPerSecond: 25 * MiB });
    const CHUNK = r.node.chunk;
    for (const [name, x] of Object.entries(r)) {
      const variants = name === 'sluice' ? ['with', 'without', 'native', 'native-without'] : ['with', 'without'];
      assert.deepEqual(Object.keys(x.runs), variants);
      for (const v of variants) {
        const run = x.runs[v];
        assert.equal(run.bytes, fileBytes, `${name} ${v}: every byte reached the destination`);
        assert.ok(run.samples.length >= 2, `${name} ${v}: sampled`);
        assert.ok(run.samples.every((s) => s.rss > 0 && s.buffered >= 0));
      }
      const { with: w, without: wo, native, 'native-without': nwo } = x.runs;
      // Bounded with backpressure: one chunk; much larger without.
      assert.equal(w.peakBuffered, CHUNK, `${name}: with backpressure, max buffered is one chunk`);
      assert.equal(w.chunks, fileBytes / CHUNK);
      assert.equal(w.writeFalse, w.chunks);
      assert.ok(w.drains > 0);
      assert.ok(wo.peakBuffered >= 4 * w.peakBuffered, `${name}: without backpressure ${wo.peakBuffered} >= 4 x ${w.peakBuffered}`);
      if (native) {
        assert.ok(native.peakBuffered <= CHUNK, `sluice ThrottleSink with backpressure: ${native.peakBuffered} <= ${CHUNK}`);
        assert.ok(nwo.peakBuffered >= 4 * CHUNK, `sluice ThrottleSink without: ${nwo.peakBuffered} >= 4 x ${CHUNK}`);
        assert.equal(w.stats.peakBuffered, w.peakBuffered, 'the numbers come from stats()');
      }
    }
    assertCountsAgree(s6, r);

    const out = tmpOut();
    try {
      const [file] = await s6.plot(r, out);
      assert.equal(path.basename(file), '06-challenge-1-memory.svg');
      const series = lineSeries(fs.readFileSync(file, 'utf8'));
      // Buffered and RSS rows, each: node 2 series, sluice 4.
      assert.equal(series.length, 2 * (2 + 4));
      assert.deepEqual([...new Set(series)].sort(), ['ThrottleSink, with', 'ThrottleSink, without', 'with backpressure', 'without backpressure']);
      const lines = s6.chart(r);
      assert.ok(lines.some((l) => /node: buffered.*sluice: buffered/.test(l)));
      assert.ok(lines.some((l) => /node: RSS.*sluice: RSS/.test(l)));
      assert.match(s6.explain(r.sluice).join('\n'), /write\(\) returned false \d+ times, \d+ drains, peak buffered \d+ bytes.*ms under backpressure/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  await t.test('7. Challenge 2: throttled Transform (256 KiB at 1 MiB/s)', async () => {
    const N = 1 * MiB;
    const r = await both(s7, { size: 0.25, bytesPerSecond: N });
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.bytes, 256 * 1024, `${name} bytes`);
      assert.equal(x.transformCalls, 16, `${name} _transform calls`);
      assert.ok(x.achieved > 0, `${name} achieved ${x.achieved}`);
      assert.ok(x.achieved <= 1.5 * N, `${name}: achieved ${x.achieved} B/s <= 1.5 x ${N}`);
    }
    assert.ok(r.sluice.stats.producer.pushFalse > 0, 'backpressure reached the producer');
    assertCountsAgree(s7, r);
  });

  await t.test('8. Challenge 3: tiny-highWaterMark Transform (2048 chunks)', async () => {
    const r = await both(s8, { size: 1 / 16 });
    const chunks = 2048;
    const sha = r.node.results[0].sha256;
    for (const [name, x] of Object.entries(r)) {
      assert.equal(x.chunks, chunks);
      assert.ok(x.sameOutput, `${name}: the same output with every mark`);
      assert.deepEqual(x.results.map((e) => `${e.mode} ${e.hwm}`), ['sync 1', `sync ${D}`, 'async 1', `async ${D}`]);
      for (const e of x.results) {
        assert.equal(e.transformCalls, chunks, `${name} ${e.mode} ${e.hwm}: _transform calls`);
        assert.equal(e.bytes, chunks * 128);
        assert.equal(e.sha256, sha, `${name} ${e.mode} ${e.hwm}: identical output`);
        assert.ok(e.mibPerSec > 0);
      }
      const [syncTiny, syncDefault, asyncTiny, asyncDefault] = x.results;
      assert.equal(syncTiny.writeFalse, 0, 'a synchronous stage never reports backpressure');
      assert.equal(syncDefault.writeFalse, 0);
      assert.equal(asyncTiny.writeFalse, chunks, 'mark 1: every write() returns false');
      assert.ok(asyncDefault.writeFalse < chunks / 8, `default mark: ${asyncDefault.writeFalse} false returns`);
    }
    assertCountsAgree(s8, r);
  });
});

test('experiments: run.js options and the JSON output', async (t) => {
  await t.test('parseArgs', () => {
    assert.deepEqual(parseArgs(['--only', '3,6']).only, [3, 6]);
    assert.equal(parseArgs(['--size', '64M']).fileBytes, 64 * MiB);
    assert.equal(parseArgs(['--size', '64M']).size, 1);
    assert.equal(parseArgs(['--size=0.5']).size, 0.5);
    assert.equal(parseArgs(['--size=0.5']).fileBytes, null);
    assert.equal(parseArgs(['--impl', 'node']).impl, 'node');
    assert.equal(parseArgs(['--out', 'x']).out, path.resolve('x'));
    assert.throws(() => parseArgs(['--only', '9']), /no section 9/);
    assert.throws(() => parseArgs(['--impl', 'rust']), /bad --impl/);
    assert.throws(() => parseArgs(['--size', '-1']), /--size/);
  });

  await t.test('sluice-lab --only 3,5 --json --out DIR', async () => {
    const out = tmpOut();
    try {
      const stdout = await new Promise((resolve, reject) => {
        execFile(process.execPath, [runJs, '--only', '3,5', '--json', '--out', out], (err, so, se) => (err ? reject(new Error(`${err.message}\n${se}`)) : resolve(so)));
      });
      const json = JSON.parse(stdout);
      assert.deepEqual(Object.keys(json.sections), ['3', '5']);
      assert.equal(json.failed, 0);
      assert.equal(json.summary.differ, 0);
      const [plot] = json.sections['3'].plots;
      assert.equal(plot, path.join(out, '03-without-vs-with-buffered.svg'));
      assert.equal(lineSeries(fs.readFileSync(plot, 'utf8')).length, 4);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
