'use strict';
// Streams used after they closed, in later turns of the loop: by then sluice has retired their
// cores (lib/slab.js: the block copied out, the core given back, its slot reused by the next
// streams) and resumes one on the first call that needs it. Each scenario runs on node:stream
// and on sluice, and the traces (answers, events, callbacks, properties) must be equal.

const { test } = require('node:test');
const assert = require('node:assert');
const nodeStream = require('node:stream');
const sluice = require('..');

// Past the sweep: it runs in an immediate of the turn after the one the streams closed in.
const laterTurn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
const ticks = () => new Promise((resolve) => setTimeout(resolve, 5));

function wProps(w) {
  return [w.destroyed, w.writable, w.writableEnded, w.writableFinished, w.writableLength, w.writableNeedDrain, w.writableCorked, w.closed, w.errored && w.errored.code, w.writableHighWaterMark, w.writableObjectMode];
}
function rProps(r) {
  return [r.destroyed, r.readable, r.readableEnded, r.readableFlowing, r.readableLength, r.closed, r.errored && r.errored.code, r.readableHighWaterMark, r.readableObjectMode, r.isPaused()];
}
function record(s, log, name, events) {
  for (const e of events) s.on(e, (x) => log.push([name, e, x && x.code ? x.code : typeof x === 'object' && x !== null ? 'obj' : x === undefined ? 'u' : String(x)]));
}

const scenarios = {
  async 'closed Writables written, ended, undestroyed and reused after the sweep'(S, log) {
    const ws = [];
    for (let i = 0; i < 40; i++) {
      const w = new S.Writable({ highWaterMark: 3 + i, write(c, e, cb) { log.push(['write', i, String(c)]); cb(); } });
      record(w, log, i, ['finish', 'close', 'error', 'drain']);
      w.write(`a${i}`);
      if (i % 4 === 0) w.destroy();
      else if (i % 4 === 1) w.destroy(new Error('boom'));
      else w.end();
      ws.push(w);
    }
    await ticks();
    await laterTurn();
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      log.push(['props', i, ...wProps(w)]);
      log.push(['write', i, w.write('late', (e) => log.push(['cb', i, e && e.code]))]);
      w.end((e) => log.push(['end cb', i, e && e.code]));
      w.cork();
      w.uncork();
      w.setDefaultEncoding('hex');
      log.push(['props2', i, ...wProps(w)]);
    }
    await ticks();
    for (let i = 0; i < ws.length; i += 3) {
      const w = ws[i];
      w._undestroy();
      log.push(['undestroyed', i, ...wProps(w)]);
      log.push(['write again', i, w.write('6869')]);
      w.end('7a');
    }
    await ticks();
    await laterTurn();
    for (let i = 0; i < ws.length; i++) log.push(['final', i, ...wProps(ws[i])]);
  },

  async 'closed streams whose cores stay (data still buffered, a lowWaterMark) among retired ones keep answering from their cores'(S, log) {
    // Offered with the others at the sweep, these are refused by the core (it holds more than
    // its block): their views must go back to their slots, which the core keeps updating.
    const made = [];
    for (let i = 0; i < 120; i++) {
      const kind = i % 4;
      if (kind === 0) {
        const r = new S.Readable({ read() {} });
        r.push(`kept${i}`);
        r.push(`more${i}`);
        r.destroy();
        made.push([i, kind, r]);
      } else if (kind === 1) {
        const w = new S.Writable({ lowWaterMark: 1, highWaterMark: 4, write(c, e, cb) { cb(); } });
        w.write('ab');
        w.end();
        made.push([i, kind, w]);
      } else if (kind === 2) {
        const p = new S.PassThrough();
        p.write(`pt${i}`);
        p.destroy();
        made.push([i, kind, p]);
      } else {
        const w = new S.Writable({ write(c, e, cb) { cb(); } });
        w.end('z');
        made.push([i, kind, w]);
      }
    }
    await ticks();
    await laterTurn();
    for (const [i, kind, s] of made) {
      log.push(['closed', i, ...(kind === 0 ? rProps(s) : kind === 2 ? [...rProps(s), ...wProps(s)] : wProps(s))]);
      s._undestroy();
      if (kind === 0 || kind === 2) {
        const c = s.read();
        log.push(['read', i, c === null ? null : String(c), s.readableLength, s.read() === null ? null : 'more', s.readableLength]);
      } else {
        log.push(['write', i, s.write('cd'), s.writableLength]);
        s.end();
      }
    }
    await ticks();
    await laterTurn();
    for (const [i, kind, s] of made) log.push(['final', i, ...(kind === 0 ? rProps(s) : kind === 2 ? [...rProps(s), ...wProps(s)] : wProps(s))]);
  },

  async 'retired streams keep their state while new streams reuse the slots'(S, log) {
    const old = [];
    // Some open streams among them, so that no chunk of the slab empties and goes back: the
    // closed ones' slots are then reused in place.
    const open = [];
    for (let i = 0; i < 600; i++) {
      if (i % 10 === 0) open.push(new S.Writable({ write(c, e, cb) { cb(); } }), new S.Readable({ read() {} }));
      const w = new S.Writable({ highWaterMark: i % 7, write(c, e, cb) { cb(); } });
      w.write('x');
      w.end();
      old.push(w);
      const r = new S.Readable({ read() {} });
      r.push(`y${i}`);
      r.push(null);
      r.resume();
      old.push(r);
    }
    await ticks();
    await laterTurn();
    // New streams in every state, on the slots the old ones had.
    const fresh = [];
    for (let i = 0; i < 600; i++) {
      const w = new S.Writable({ highWaterMark: 5, write(c, e, cb) { setTimeout(cb, 1); } });
      for (let j = 0; j < i % 4; j++) w.write('abc');
      if (i % 5 === 0) w.cork();
      fresh.push(w);
      const r = new S.Readable({ read() {} });
      for (let j = 0; j < i % 3; j++) r.push('zz');
      fresh.push(r);
    }
    for (let i = 0; i < old.length; i++) log.push(['old', i, ...(i % 2 ? rProps(old[i]) : wProps(old[i]))]);
    for (let i = 0; i < fresh.length; i++) log.push(['fresh', i, ...(i % 2 ? rProps(fresh[i]) : wProps(fresh[i]))]);
    for (const s of fresh) s.destroy();
    for (const s of open) s.destroy();
    await ticks();
  },

  async 'closed Readables pushed, read, resumed, piped and undestroyed after the sweep'(S, log) {
    const rs = [];
    for (let i = 0; i < 20; i++) {
      const r = new S.Readable({ read() {} });
      record(r, log, i, ['end', 'close', 'error', 'data', 'readable', 'pause', 'resume']);
      r.push(`c${i}`);
      if (i % 3 === 0) r.destroy();
      else { r.push(null); r.resume(); }
      rs.push(r);
    }
    await ticks();
    await laterTurn();
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      log.push(['props', i, ...rProps(r)]);
      log.push(['push', i, r.push('late')]);
      log.push(['read', i, r.read()]);
      r.pause();
      r.resume();
      r.setEncoding('utf8');
      log.push(['props2', i, ...rProps(r)]);
    }
    const sink = new S.Writable({ write(c, e, cb) { log.push(['piped', String(c)]); cb(); } });
    rs[1].pipe(sink);
    await ticks();
    for (let i = 0; i < rs.length; i += 4) {
      const r = rs[i];
      r._undestroy();
      log.push(['undestroyed', i, ...rProps(r)]);
      r.push('again');
      r.push(null);
      r.resume();
    }
    await ticks();
    for (let i = 0; i < rs.length; i++) log.push(['final', i, ...rProps(rs[i])]);
  },

  async 'closed Duplexes, Transforms and PassThroughs used after the sweep'(S, log) {
    const list = [];
    for (let i = 0; i < 12; i++) {
      const kind = i % 3;
      const d = kind === 0
        ? new S.Duplex({ read() {}, write(c, e, cb) { cb(); } })
        : kind === 1
          ? new S.Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } })
          : new S.PassThrough();
      record(d, log, i, ['end', 'finish', 'close', 'error', 'data']);
      if (kind === 0) { d.push(null); d.resume(); d.end('w'); }
      else { d.resume(); d.end(`t${i}`); }
      if (i >= 9) d.destroy();
      list.push(d);
    }
    // One half-open Duplex (its readable side still open): not closed, not retired.
    const half = new S.Duplex({ read() {}, write(c, e, cb) { cb(); } });
    record(half, log, 'half', ['end', 'finish', 'close', 'error', 'data']);
    half.end('x');
    list.push(half);
    await ticks();
    await laterTurn();
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      log.push(['props', i, ...wProps(d), ...rProps(d)]);
      log.push(['write', i, d.write('late', (e) => log.push(['cb', i, e && e.code]))]);
      log.push(['push', i, d.push('late')]);
      d.destroy();
      log.push(['props2', i, ...wProps(d), ...rProps(d)]);
    }
    await ticks();
  },

  // Streams still open once their first turn is over are retired too (their blocks copied
  // out, their slots reused), unless their core holds more than its block. Left for a few
  // turns in every open state (idle, corked, mid-write, paused with data, flowing, half-ended,
  // finished without autoDestroy), then used in every way: each must carry on as Node's does.
  async 'streams left open past their first turn carry on after their cores were retired'(S, log) {
    const made = [];
    const pending = [];
    for (let i = 0; i < 96; i++) {
      const kind = i % 8;
      let s;
      if (kind === 0) {
        // (a lowWaterMark on every other one: its core holds more than its block, and stays)
        const lowWaterMark = i % 16 === 0 ? 1 : undefined;
        s = new S.Writable({ highWaterMark: 4, lowWaterMark, write(c, e, cb) { log.push(['w', i, String(c)]); cb(); } });
      } else if (kind === 1) {
        s = new S.Writable({ write(c, e, cb) { log.push(['w', i, String(c)]); cb(); } });
        s.cork();
        s.write('corked');
      } else if (kind === 2) {
        // A write in flight: its callback is called in a later turn.
        s = new S.Writable({ highWaterMark: 2, write(c, e, cb) { log.push(['w', i, String(c)]); pending.push(cb); } });
        log.push(['first', i, s.write('abc'), s.write('buffered')]);
      } else if (kind === 3) {
        s = new S.Readable({ read() {} });
        s.push(`p${i}`);
        if (i % 16 === 3) s.push(`q${i}`);
      } else if (kind === 4) {
        s = new S.Readable({ highWaterMark: 2, read() {} });
        s.on('data', (c) => log.push(['data', i, String(c)]));
      } else if (kind === 5) {
        s = new S.PassThrough();
        s.write(`half${i}`);
      } else if (kind === 6) {
        s = new S.Writable({ autoDestroy: false, write(c, e, cb) { cb(); } });
        s.end('done');
      } else {
        s = new S.Duplex({ objectMode: true, write(c, e, cb) { log.push(['dw', i, c]); cb(); }, read() {} });
        s.write({ n: i });
      }
      record(s, log, i, ['finish', 'end', 'close', 'error', 'drain', 'readable']);
      made.push([i, kind, s]);
    }
    for (let turn = 0; turn < 3; turn++) {
      await laterTurn();
      for (const [i, kind, s] of made) {
        log.push(['turn', turn, i, ...(kind === 3 || kind === 4 ? [] : wProps(s)), ...(kind < 3 || kind === 6 ? [] : rProps(s))]);
      }
    }
    for (const cb of pending.splice(0)) cb();
    await ticks();
    for (const [i, kind, s] of made) {
      if (kind === 0) {
        log.push(['write', i, s.write('later'), s.write('more!'), s.writableLength]);
        s.end('end');
      } else if (kind === 1) {
        s.uncork();
        s.end();
      } else if (kind === 2) {
        log.push(['write', i, s.write('x', (e) => log.push(['cb', i, e && e.code]))]);
      } else if (kind === 3) {
        log.push(['read', i, String(s.read()), s.read(), s.readableLength]);
        s.push(null);
        s.resume();
      } else if (kind === 4) {
        log.push(['push', i, s.push('aa'), s.push('bb'), s.readableLength]);
        s.push(null);
      } else if (kind === 5) {
        s.on('data', (c) => log.push(['data', i, String(c)]));
        s.end('tail');
      } else if (kind === 6) {
        log.push(['write', i, s.write('x', (e) => log.push(['cb', i, e && e.code]))]);
        s.destroy();
      } else {
        log.push(['push', i, s.push({ back: i }), s.read()]);
        s.destroy(new Error('late'));
      }
    }
    await ticks();
    for (const cb of pending.splice(0)) cb();
    await ticks();
    await laterTurn();
    for (const [i, kind, s] of made) {
      log.push(['final', i, ...(kind === 3 || kind === 4 ? [] : wProps(s)), ...(kind < 3 || kind === 6 ? [] : rProps(s))]);
    }
  },

  // Cores come from a stock made with the defaults; each stream writes its own options into
  // its block. Made in bulk in one turn with every combination interleaved (so the stock is
  // refilled and a turn's leftover goes back), and again in a later turn (reused slots), each
  // stream must keep exactly its own options: marks, modes, emitClose, autoDestroy.
  async 'streams made from the stock each keep their own options'(S, log) {
    const combos = [];
    for (const objectMode of [false, true]) {
      for (const emitClose of [true, false]) {
        for (const autoDestroy of [true, false]) combos.push({ objectMode, emitClose, autoDestroy });
      }
    }
    for (const turn of [0, 1]) {
      const made = [];
      for (let i = 0; i < 150; i++) {
        const o = { ...combos[i % combos.length], highWaterMark: i % 5 === 0 ? undefined : i + turn };
        const kind = i % 4;
        let s;
        if (kind === 0) s = new S.Writable({ ...o, write(c, e, cb) { cb(); } });
        else if (kind === 1) s = new S.Readable({ ...o, read() {} });
        else if (kind === 2) s = new S.Duplex({ ...o, readableObjectMode: i % 3 === 0, write(c, e, cb) { cb(); }, read() {} });
        else s = new S.PassThrough({ ...o, writableHighWaterMark: i % 7 === 0 ? 2 : undefined });
        made.push([i, kind, s]);
      }
      for (const [i, kind, s] of made) {
        record(s, log, `${turn}:${i}`, ['finish', 'end', 'close']);
        const w = kind === 1 ? [] : [s.writableHighWaterMark, s.writableObjectMode];
        const r = kind === 0 ? [] : [s.readableHighWaterMark, s.readableObjectMode];
        log.push(['made', turn, i, ...w, ...r]);
        if (kind !== 1) s.end(kind === 0 || !s.writableObjectMode ? 'x' : { x: 1 });
        if (kind !== 0) {
          s.resume();
          if (kind === 1) s.push(null);
        }
      }
      await ticks();
      for (const [i, kind, s] of made) log.push(['after', turn, i, ...(kind === 1 ? [] : wProps(s)), ...(kind === 0 ? [] : rProps(s))]);
      await laterTurn();
    }
  },
};

// Streams are born in a birth tomb; one still open at the late look leaves it for a dense
// tomb: copied by the facade when it has no core, moved by the addon with its core when the
// core cannot retire (a write in flight and writes queued: RELOCATE). Every kind, left open
// across turns in every such state among streams closed in their first turn, then used.
scenarios['born streams still open at the late look move out of their birth tomb and carry on'] = async (S, log) => {
  const held = [];
  const pending = [];
  for (let i = 0; i < 30; i++) {
    const kind = i % 5;
    let s;
    if (kind === 0) s = new S.Writable({ write(c, e, cb) { log.push(['w', i, String(c)]); cb(); } });
    else if (kind === 1) {
      s = new S.Writable({ highWaterMark: 4, write(c, e, cb) { log.push(['w', i, String(c)]); pending.push(cb); } });
      s.write('ab');
      log.push(['ret', i, s.write('cdef'), s.writableLength, s.writableNeedDrain]);
    } else if (kind === 2) {
      s = new S.Readable({ read() {} });
      s.push('r');
    } else if (kind === 3) {
      s = new S.PassThrough();
      s.write('p');
    } else {
      s = new S.Writable({ write(c, e, cb) { cb(); } });
      s.cork();
      s.uncork();
    }
    record(s, log, i, ['finish', 'end', 'close', 'drain', 'data']);
    held.push([i, kind, s]);
    for (let k = 0; k < 40; k++) new S.Writable({ write(c, e, cb) { cb(); } }).end('x');
  }
  await ticks();
  await laterTurn();
  await laterTurn();
  for (const [i, kind, s] of held) log.push(['held', i, ...(kind === 2 ? rProps(s) : wProps(s))]);
  while (pending.length) pending.shift()();
  await ticks();
  for (const [i, kind, s] of held) {
    if (kind === 2) {
      s.push('s');
      s.push(null);
      s.resume();
    } else if (kind === 3) {
      s.end('q');
      s.resume();
    } else {
      s.end(`end${i}`);
    }
  }
  while (pending.length) pending.shift()();
  await ticks();
  while (pending.length) pending.shift()();
  await ticks();
  for (const [i, kind, s] of held) log.push(['done', i, ...(kind === 2 ? rProps(s) : wProps(s))]);
};

for (const [name, scenario] of Object.entries(scenarios)) {
  test(name, async () => {
    const run = async (S) => {
      const log = [];
      await scenario(S, log);
      return log;
    };
    const expected = await run(nodeStream);
    const actual = await run(sluice);
    assert.deepStrictEqual(actual, expected);
  });
}

test('worker threads retire and resume their own streams, and exit or are terminated with streams retired', async () => {
  const { Worker } = require('node:worker_threads');
  const root = JSON.stringify(require('node:path').join(__dirname, '..'));
  const src = `
    const s = require(${root});
    const { parentPort } = require('node:worker_threads');
    const ws = [];
    for (let i = 0; i < 3000; i++) {
      const w = new s.Writable({ write(c, e, cb) { cb(); } });
      w.on('error', () => {});
      w.end('x');
      ws.push(w);
      const p = new s.PassThrough();
      p.resume();
      p.end('y');
    }
    setTimeout(() => {
      let errs = 0;
      for (const w of ws.slice(0, 100)) w.write('late', (e) => { if (e) errs++; });
      setTimeout(() => { parentPort.postMessage(errs); if (process.env.HANG) setInterval(() => {}, 1000); }, 10);
    }, 10);
  `;
  for (const hang of [false, true]) {
    const w = new Worker(src, { eval: true, env: hang ? { ...process.env, HANG: '1' } : process.env });
    // Listening for 'exit' from the start: a worker that ends right after its message may exit
    // before a listener added after the message would be.
    const exited = new Promise((resolve) => w.once('exit', resolve));
    const errs = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    assert.strictEqual(errs, 100, 'each late write fails with write-after-end');
    if (hang) await w.terminate();
    await exited;
  }
  // The main thread's own streams are untouched.
  const got = [];
  const w = new sluice.Writable({ write(c, e, cb) { got.push(String(c)); cb(); } });
  await new Promise((resolve) => w.end('main', resolve));
  await laterTurn();
  assert.deepStrictEqual(got, ['main']);
  w.write('again', () => {});
  w.on('error', () => {});
});

// Streams are born retired (lib/slab.js: no core until their first call needs one). Which of
// them hold a core after the late sweep decides what the garbage collector must do for them
// (a registered core keeps its state through every scavenge), so it is pinned here.
test('a stream born without a core gets one on its first call, and gives it back at the late look if still open; one resumed after a retirement keeps it', async () => {
  const { kHandle } = require('../lib/symbols');
  const hasCore = (s) => s._writableState[kHandle] >= 0;
  const fresh = new sluice.Writable({ write(c, e, cb) { cb(); } });
  // (the first stream of a process is made the slab's way: this one is born)
  const w = new sluice.Writable({ write(c, e, cb) { cb(); } });
  assert.strictEqual(hasCore(w), false, 'born without a core');
  w.cork(); // a step with no standing answer: the core is resumed over the born block
  assert.strictEqual(hasCore(w), true, 'the first call resumed one');
  w.uncork();
  w.write('x');
  await laterTurn();
  await ticks();
  assert.strictEqual(hasCore(w), false, 'open at the late look: retired (no registry entry)');
  w.cork(); // resumed after that retirement: in use from now on
  w.uncork();
  assert.strictEqual(hasCore(w), true);
  await laterTurn();
  await ticks();
  assert.strictEqual(hasCore(w), true, 'resumed after a retirement: it keeps its core');
  const got = [];
  w._write = (c, e, cb) => { got.push(String(c)); cb(); };
  await new Promise((resolve) => w.end('y', resolve));
  assert.deepStrictEqual(got, ['y']);
  fresh.destroy();
});
