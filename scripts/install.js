#!/usr/bin/env node
'use strict';
// npm's `install` hook. For a consumer of the published package: if the addon loads (the
// prebuilt binary of this platform's package, an optionalDependency that `napi pre-publish`
// adds at release, or a binary already next to the loader), there is nothing to do; otherwise
// the addon is built from source with cargo (a Rust toolchain is then required). In a clone of
// the repository (a .git folder here) this does nothing: `prepare` builds the addon there.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
if (fs.existsSync(path.join(root, '.git'))) process.exit(0);

try {
  require(path.join(root, 'binding.js'));
  process.exit(0);
} catch {
  // No binary for this platform: build one below.
}

// The name the generated loader looks for next to itself (napi's platform suffix).
function platformSuffix() {
  const { platform, arch } = process;
  if (platform !== 'linux') return `${platform}-${arch}`;
  const report = process.report && process.report.getReport ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
}

console.error('sluice: no prebuilt binary for this platform; building from source with cargo');
const r = spawnSync('cargo', ['build', '--release', '--lib'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('sluice: `cargo build --release` failed (is a Rust toolchain installed? https://rustup.rs)');
  process.exit(1);
}
const lib = { darwin: 'libsluice.dylib', win32: 'sluice.dll' }[process.platform] || 'libsluice.so';
fs.copyFileSync(path.join(root, 'target', 'release', lib), path.join(root, `sluice.${platformSuffix()}.node`));
