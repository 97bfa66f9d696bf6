'use strict';
// Small helpers shared by the section files and run.js.

// Scale one of the lesson's counts by opts.size (a multiplier; default 1 = the lesson's numbers).
function scaled(count, opts) {
  const size = opts && opts.size != null ? Number(opts.size) : 1;
  if (!Number.isFinite(size) || size <= 0) throw new RangeError(`size must be a positive number, got ${opts.size}`);
  return Math.max(1, Math.round(count * size));
}

// Print a section's rows the way the lesson does (single implementation).
function printSection(section, result) {
  console.log(`=== ${section.title} ===\n`);
  for (const row of section.rows(result)) {
    if (typeof row === 'string') console.log(row);
    else console.log(`${row.label} ${row.value}${row.suffix ? ' ' + row.suffix : ''}`);
  }
}

// `node experiments/sections/0X-....js` runs that section against sluice and prints it.
function runDirectly(section) {
  const impl = require('..'); // sluice (package root, /work/main)
  section.run(impl, {}).then(
    (result) => printSection(section, result),
    (err) => { console.error(err); process.exitCode = 1; },
  );
}

module.exports = { scaled, printSection, runDirectly };
