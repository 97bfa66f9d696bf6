'use strict'
// Disk benchmarks: cases and contenders of the `file` suite (file-sink.js) and the
// `copy` suite (file-copy.js), shared by the one-trial scripts and run.js.

const DEFAULT_MIB = 1024

// file suite: one case = chunk size + the stream's highWaterMark (undefined = the
// contender's default: 16 KiB for fs/sluice, Bun's own default for bun).
const FILE_CASES = {
  '1k': {
    chunk: 1024,
    hwm: undefined,
    describe: '1 KiB chunks, default options'
  },
  '1k-hwm64k': {
    chunk: 1024,
    hwm: 65536,
    describe: '1 KiB chunks, highWaterMark 64 KiB (fs, sluice, bun)'
  },
  '64k': {
    chunk: 65536,
    hwm: undefined,
    describe: '64 KiB chunks, default options'
  }
}

// file suite contenders, in display order. `cases`: the cases it runs (default all).
// `limit`: a reference for the practical maximum, not a stream (ignores chunk/hwm).
// `runtime: 'bun'`: the trial is file-sink-bun.js run by the bun binary.
const FILE_CONTENDERS = {
  fs: { describe: 'fs.createWriteStream(path, { highWaterMark })' },
  sluice: { describe: "require('sluice').createWriteStream(path, { highWaterMark })" },
  // Only with SLUICE_BEFORE=/path/to/another/checkout (built): before/after ratios in one run.
  ...(process.env.SLUICE_BEFORE ? { 'sluice-before': { describe: `sluice's createWriteStream from ${process.env.SLUICE_BEFORE}` } } : {}),
  'sonic-boom': {
    cases: ['1k', '64k'],
    describe: "new SonicBoom({ dest, minLength: 0, sync: false, contentMode: 'buffer', append: false })"
  },
  'sonic-boom-4k': {
    cases: ['1k', '64k'],
    describe: "new SonicBoom({ dest, minLength: 4096, sync: false, contentMode: 'buffer', append: false })"
  },
  bun: { runtime: 'bun', describe: 'Bun.file(path).writer({ highWaterMark }) (FileSink), run by the bun binary' },
  writeSync: { limit: true, describe: 'fs.writeSync loop of 1 MiB buffers (blocks the loop; practical limit)' },
  dd: { limit: true, describe: 'dd if=/dev/zero of=… bs=1M count=S (another process; practical limit)' }
}

// copy suite: a single case.
const COPY_CASES = {
  copy: { describe: 'copy a file of S MiB (made once, random-ish content)' }
}

const COPY_CONTENDERS = {
  fs: { describe: 'pipeline(fs.createReadStream(a), fs.createWriteStream(b))' },
  sluice: { describe: "pipeline(fs.createReadStream(a), require('sluice').createWriteStream(b))" },
  // Not in the original brief: both ends native (sluice's createReadStream piped into its
  // WriteStream may copy natively, without JS per chunk). n/a if createReadStream is missing.
  'sluice-native': { describe: "pipeline(require('sluice').createReadStream(a), require('sluice').createWriteStream(b)) (extra: both ends sluice)" },
  cp: { limit: true, describe: 'cp a b (another process)' },
  copyFileSync: { limit: true, describe: 'fs.copyFileSync(a, b) (blocks the loop)' },
  bun: { runtime: 'bun', describe: 'await Bun.write(Bun.file(b), Bun.file(a)), run by the bun binary' }
}

module.exports = { DEFAULT_MIB, FILE_CASES, FILE_CONTENDERS, COPY_CASES, COPY_CONTENDERS }
