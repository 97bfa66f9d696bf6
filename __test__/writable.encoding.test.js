'use strict';

// String chunks and encodings: decodeStrings, defaultEncoding,
// setDefaultEncoding, unknown encodings.

const { differential } = require('./helpers/trace');
const { sink } = require('./helpers/sinks');

const SAMPLES = {
  'utf8': 'héllo €',
  'utf-8': 'naïve ✓',
  'ucs2': 'hé€',
  'utf16le': 'ab€',
  'latin1': 'é\u00ffA',
  'binary': 'bin\u00e9',
  'base64': 'aGk/Pz4+',
  'base64url': 'aGk_Pz4-',
  'hex': 'deadBEEF0',
  'ascii': 'hi\u00ff\u20ac',
};

for (const [enc, str] of Object.entries(SAMPLES)) {
  differential(`write(string, '${enc}') reaches _write as a Buffer with encoding 'buffer' (and writableLength counts bytes)`, async (impl, log) => {
    const w = sink(impl, log, { how: 'nextTick' });
    log('write', w.write(str, enc, log.cb('w1')));
    log('len', w.writableLength);
    log('write-upper', w.write(str, enc.toUpperCase(), log.cb('w2')));
    log('len', w.writableLength);
    w.end(str, enc, log.cb('end'));
    await log.waitFor(w, 'close');
  }, { expect: ["'buffer'"] });
}

differential('decodeStrings: false keeps string chunks with their encoding for every encoding', async (impl, log) => {
  const w = sink(impl, log, { decodeStrings: false, how: 'sync' });
  for (const [enc, str] of Object.entries(SAMPLES)) {
    log('write', enc, w.write(str, enc), w.writableLength);
  }
  log('write-no-enc', w.write('plain'));
  log('write-buffer', w.write(Buffer.from('buf')));
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'hex'", "'base64url'"] });

differential('decodeStrings: false: writableLength counts string length in UTF-16 code units, not bytes', async (impl, log) => {
  const w = sink(impl, log, { decodeStrings: false, how: 'hold', highWaterMark: 6 });
  log('write', w.write('€€€'), w.writableLength);
  log('write', w.write('deadbeef', 'hex'), w.writableLength);
  log('write', w.write('😀'), w.writableLength);
  log.snap(w, 'held');
  while (w.$pending.length) {
    w.$release();
    await log.settle(1);
  }
  w.end();
  await log.waitFor(w, 'close');
});

differential('defaultEncoding option is used for strings written without an encoding', async (impl, log) => {
  const w = sink(impl, log, { defaultEncoding: 'hex', how: 'sync' });
  log('write', w.write('6869'));
  log('write-explicit', w.write('hi', 'utf8'));
  w.end('2121');
  await log.waitFor(w, 'close');
}, { expect: ['buf:"hi"', 'buf:"!!"'] });

differential('defaultEncoding with decodeStrings: false is passed to _write', async (impl, log) => {
  const w = sink(impl, log, { defaultEncoding: 'base64', decodeStrings: false, how: 'sync' });
  w.write('aGk=');
  w.write('aGk=', 'utf8');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ["'base64'"] });

differential('invalid defaultEncoding option throws ERR_UNKNOWN_ENCODING from the constructor', async (impl, log) => {
  log.call('ctor-bogus', () => new impl.Writable({ defaultEncoding: 'bogus', write(c, e, cb) { cb(); } }));
  log.call('ctor-utf-8', () => typeof new impl.Writable({ defaultEncoding: 'utf-8', write(c, e, cb) { cb(); } }));
  log.call('ctor-null', () => typeof new impl.Writable({ defaultEncoding: null, write(c, e, cb) { cb(); } }));
  log.call('ctor-UPPER', () => typeof new impl.Writable({ defaultEncoding: 'HEX', write(c, e, cb) { cb(); } }));
}, { expect: ['ERR_UNKNOWN_ENCODING'] });

differential('setDefaultEncoding lower-cases, returns this and affects later writes', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('set-HEX', () => w.setDefaultEncoding('HEX'));
  w.write('4142');
  log.call('set-latin1', () => w.setDefaultEncoding('latin1'));
  w.write('é');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['buf:"AB"', "'ret', 'set-HEX', 'stream:w'"] });

differential('setDefaultEncoding with an invalid encoding throws ERR_UNKNOWN_ENCODING and keeps the old default', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  w.setDefaultEncoding('hex');
  log.call('set-bogus', () => w.setDefaultEncoding('bogus'));
  log.call('set-number', () => w.setDefaultEncoding(42));
  log.call('set-undefined', () => w.setDefaultEncoding());
  log.call('set-buffer', () => w.setDefaultEncoding('buffer'));
  w.write('4142');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_UNKNOWN_ENCODING'] });

differential('write with an unknown encoding throws ERR_UNKNOWN_ENCODING synchronously; nothing is buffered', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('write-bogus', () => w.write('abc', 'bogus', log.cb('never')));
  log.call('write-bogus-buffer-chunk', () => w.write(Buffer.from('abc'), 'bogus'));
  log.call('end-bogus', () => w.end('abc', 'bogus'));
  log.snap(w, 'after');
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['ERR_UNKNOWN_ENCODING'] });

differential("write(string, 'buffer') and unknown encodings with decodeStrings: false", async (impl, log) => {
  const w = sink(impl, log, { how: 'sync' });
  log.call('write-enc-buffer', () => w.write('abc', 'buffer'));
  const w2 = sink(impl, log, { how: 'sync', decodeStrings: false, label: 'w2' });
  log.call('w2-write-enc-buffer', () => w2.write('abc', 'buffer'));
  log.call('w2-write-bogus', () => w2.write('abc', 'bogus'));
  w.end();
  w2.end();
  await log.waitFor(w2, 'close');
  await log.settle(1);
});

differential('Buffer chunks ignore the encoding argument and arrive with encoding buffer', async (impl, log) => {
  const w = sink(impl, log, { how: 'sync', decodeStrings: false });
  w.write(Buffer.from('ab'), 'hex');
  w.write(Buffer.from('cd'), 'utf16le');
  w.end();
  await log.waitFor(w, 'close');
});

differential('empty string and empty buffer writes still call _write with length 0', async (impl, log) => {
  const w = sink(impl, log, { how: 'nextTick', highWaterMark: 1 });
  log('write', w.write(''), w.writableLength);
  log('write', w.write(Buffer.alloc(0)), w.writableLength);
  log('write', w.write('', 'hex', log.cb('empty-hex')), w.writableLength);
  w.end();
  await log.waitFor(w, 'close');
}, { expect: ['buf:""'] });
