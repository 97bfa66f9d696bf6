'use strict';

// setEncoding(): multi-byte characters split across chunks, the supported
// encodings, setEncoding after data is buffered, readableEncoding.

const { rdifferential, source } = require('./helpers/rtrace');

function splitRun(name, enc, chunks, expect) {
  rdifferential(name, async (impl, log) => {
    const r = source(impl, log, { how: 'manual' });
    log('setEncoding-is-this', r.setEncoding(enc) === r, r.readableEncoding);
    r.on('data', (c) => log('data', typeof c, c, r.readableLength));
    await log.settle(1);
    for (const c of chunks) {
      log.push(r, c);
      log.marks(`after-${c.toString('hex')}`);
      await log.settle(1);
    }
    log.push(r, null);
    await log.waitFor(r, 'close');
  }, { expect });
}

const euro = Buffer.from('€', 'utf8'); // e2 82 ac
splitRun("utf8: '€' split 1+2 bytes is emitted as one character", 'utf8',
  [Buffer.from('a'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('b')])],
  ["'data', 'string', '€b'"]);

splitRun("utf8: '€' split 1+1+1 bytes, and a 4-byte emoji split 2+2", 'utf8',
  [euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2), Buffer.from('😀').subarray(0, 2), Buffer.from('😀').subarray(2)],
  ["'data', 'string', '€'", "'data', 'string', '😀'"]);

const u16 = Buffer.from('hé€', 'utf16le'); // 6 bytes
splitRun('utf16le: code units split at odd byte offsets', 'utf16le',
  [u16.subarray(0, 1), u16.subarray(1, 4), u16.subarray(4)],
  ["'data', 'string', 'hé'", "'data', 'string', '€'"]);

splitRun('latin1: every byte is one character', 'latin1',
  [Buffer.from([0x41, 0xe9]), Buffer.from([0xff])],
  ["'data', 'string', 'Aé'"]);

splitRun('base64: chunks split at non-multiples of 3 bytes', 'base64',
  [Buffer.from('abcd'), Buffer.from('ef'), Buffer.from('g')],
  ["'data', 'string', 'YWJj'"]);

splitRun('hex: two characters per byte', 'hex',
  [Buffer.from([0x00, 0xff]), Buffer.from([0x10])],
  ["'data', 'string', '00ff'"]);

rdifferential('utf8: an incomplete character at EOF is flushed as U+FFFD', async (impl, log) => {
  const r = source(impl, log, { how: 'manual', encoding: 'utf8' });
  log('readableEncoding', r.readableEncoding);
  r.on('data', (c) => log('data', c, c.length));
  log.push(r, Buffer.from([0x61, 0xe2, 0x82]));
  log.push(r, null);
  await log.waitFor(r, 'close');
}, { expect: ["'data', '\ufffd', 1", "'readableEncoding', 'utf8'"] });

rdifferential('setEncoding() after data is buffered re-decodes the buffered bytes; readableLength counts characters', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  log.push(r, Buffer.from('x€'));
  log.push(r, euro.subarray(0, 2));
  log.rsnap(r, 'bytes-buffered');
  r.setEncoding('utf8');
  log.rsnap(r, 'after-setEncoding');
  log.push(r, euro.subarray(2));
  log.rsnap(r, 'after-rest');
  log.read(r);
  await log.settle(2);
}, { expect: ["readableEncoding: 'utf8'"] });

rdifferential('readableEncoding: null by default, normalized name after setEncoding(UTF-8) and for the encoding option', async (impl, log) => {
  const a = source(impl, log, { how: 'manual', label: 'a' });
  log('a', a.readableEncoding);
  a.setEncoding('UTF-8');
  log('a', a.readableEncoding);
  a.setEncoding('ucs2');
  log('a', a.readableEncoding);
  a.setEncoding('binary');
  log('a', a.readableEncoding);
  const b = source(impl, log, { how: 'manual', label: 'b', encoding: 'Base64' });
  log('b', b.readableEncoding);
  log.rsnap(b, 'b');
}, { expect: ["'a', null", "'a', 'utf8'"] });

rdifferential('setEncoding() with an unknown encoding throws ERR_UNKNOWN_ENCODING', async (impl, log) => {
  const r = source(impl, log, { how: 'manual' });
  try {
    r.setEncoding('nope');
    log('no-throw');
  } catch (err) {
    log('threw', err);
  }
  log.rsnap(r, 'after');
  try {
    const bad = new impl.Readable({ encoding: 'nope', read() {} });
    log('ctor-no-throw', bad.readableEncoding);
  } catch (err) {
    log('ctor-threw', err);
  }
}, { expect: ['ERR_UNKNOWN_ENCODING'] });

rdifferential('read(n) with an encoding counts characters, not bytes', async (impl, log) => {
  const r = source(impl, log, { how: 'manual', encoding: 'utf8' });
  log.push(r, Buffer.from('€€€ab'));
  log.rsnap(r, 'buffered');
  log.read(r, 2);
  log.read(r, 2);
  log.read(r);
  await log.settle(2);
}, { expect: ["'read', [ 2 ], '€€'"] });

rdifferential('push(string) into a stream with a different encoding is re-encoded', async (impl, log) => {
  const r = source(impl, log, { how: 'manual', encoding: 'hex' });
  log.push(r, 'hi');
  log.push(r, 'aGk=', 'base64');
  log.push(r, Buffer.from('!'));
  log.read(r);
  await log.settle(2);
}, { expect: ["'read', [], '6869686921'"] });

rdifferential('async iteration with setEncoding yields strings', async (impl, log) => {
  const r = source(impl, log, { how: 'nextTick', chunks: [euro.subarray(0, 1), euro.subarray(1), Buffer.from('z')] });
  r.setEncoding('utf8');
  for await (const c of r) log('iter', typeof c, c);
  log.rsnap(r, 'done');
}, { expect: ["'iter', 'string', '€z'"] });
