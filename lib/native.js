'use strict';
// The compiled addon, loaded through the loader the napi CLI generates (binding.js). Kept in
// one place so every class gets the same instance.

function load() {
  try {
    return require('../binding.js');
  } catch (cause) {
    // Under Node's permission model (`--permission`) loading an addon needs `--allow-addons`;
    // the generated loader reports that refusal as a missing binary, so it is said plainly.
    // (Asked only on failure: Node 20's model answers has('addon') false even when allowed.)
    const permission = process.permission;
    if (permission !== null && typeof permission === 'object' && typeof permission.has === 'function' && !permission.has('addon')) {
      const err = new Error('sluice: its native addon cannot be loaded under --permission without --allow-addons', { cause });
      err.code = 'ERR_DLOPEN_DISABLED';
      throw err;
    }
    throw cause;
  }
}

module.exports = load();
