// index.d.ts and promises.d.ts compile under `tsc --strict` with a typed example.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

test('a typed example compiles under tsc --strict against index.d.ts and promises.d.ts', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const root = path.join(__dirname, '..');
  const out = execFileSync(
    process.execPath,
    [tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', path.join(__dirname, 'fixtures', 'typed-example.ts')],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(out.trim(), '');
});
