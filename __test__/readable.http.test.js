// A sluice Readable piped into a real http.ServerResponse on loopback: the download matches
// byte for byte, and the response's backpressure reaches the source.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const crypto = require('node:crypto');
const { Readable } = require('..');

test('sluice Readable piped into http.ServerResponse downloads intact', async () => {
  const chunks = [];
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    const b = Buffer.alloc(4096 + (i % 7) * 100);
    for (let j = 0; j < b.length; j++) b[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    chunks.push(b);
  }
  const expected = Buffer.concat(chunks);
  let reads = 0;
  const server = http.createServer((req, res) => {
    let i = 0;
    const src = new Readable({
      highWaterMark: 8192,
      read() {
        reads++;
        this.push(i < chunks.length ? chunks[i++] : null);
      },
    });
    src.pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const body = await new Promise((resolve, reject) => {
      http.get(`http://127.0.0.1:${server.address().port}/`, (res) => {
        const got = [];
        res.on('data', (d) => got.push(d));
        res.on('end', () => resolve(Buffer.concat(got)));
        res.on('error', reject);
      }).on('error', reject);
    });
    assert.equal(body.length, expected.length);
    assert.equal(crypto.createHash('sha256').update(body).digest('hex'), crypto.createHash('sha256').update(expected).digest('hex'));
    assert.equal(reads, chunks.length + 1, 'one _read per chunk plus the end');
  } finally {
    server.close();
  }
});
