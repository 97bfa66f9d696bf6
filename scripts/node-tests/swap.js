'use strict';
// Preload: make require/import of 'stream', 'node:stream', 'stream/promises',
// 'node:stream/promises' return sluice (/work/main). Requests that come from
// inside /work/main itself (sluice wraps node's own stream) are passed through.
const Module = require('module');
const SLUICE = process.env.SLUICE_DIR || require('path').resolve(__dirname, '..', '..');
const sluice = require(SLUICE);
const sluicePromises = require(SLUICE + '/promises');
const map = {
  'stream': sluice, 'node:stream': sluice,
  'stream/promises': sluicePromises, 'node:stream/promises': sluicePromises,
};
// sluice's own modules: its entry points, lib/ and its dependencies (not its tests' programs,
// __test__/fixtures/programs, which swap like any user's).
const OWN = ['/lib/', '/node_modules/'];
const ENTRIES = ['index.js', 'index.mjs', 'promises.js', 'promises.mjs', 'binding.js'].map((f) => SLUICE + '/' + f);
const inSluice = (f) => typeof f === 'string' && (f === SLUICE || ENTRIES.includes(f) || OWN.some((d) => f.startsWith(SLUICE + d)));
const origLoad = Module._load;
Module._load = function(request, parent, _isMain) {
  if (Object.prototype.hasOwnProperty.call(map, request) && !inSluice(parent && parent.filename)) {
    return map[request];
  }
  return origLoad.apply(this, arguments);
};
// ESM: redirect `import ... from 'stream'` to sluice's ESM entry points.
const { pathToFileURL } = require('url');
const esmMap = {
  'stream': pathToFileURL(SLUICE + '/index.mjs').href,
  'node:stream': pathToFileURL(SLUICE + '/index.mjs').href,
  'stream/promises': pathToFileURL(SLUICE + '/promises.mjs').href,
  'node:stream/promises': pathToFileURL(SLUICE + '/promises.mjs').href,
};
const sluiceURLs = ENTRIES.map((f) => pathToFileURL(f).href).concat(OWN.map((d) => pathToFileURL(SLUICE).href + d));
if (typeof Module.registerHooks === 'function') {
  Module.registerHooks({
    resolve(specifier, context, next) {
      const isImport = !context.conditions || context.conditions.includes('import');
      if (isImport && Object.prototype.hasOwnProperty.call(esmMap, specifier) &&
          !sluiceURLs.some((u) => (context.parentURL || '').startsWith(u))) {
        return { url: esmMap[specifier], format: 'module', shortCircuit: true };
      }
      return next(specifier, context);
    },
  });
} else if (typeof Module.register === 'function') {
  const src = `
    const esmMap = ${JSON.stringify(esmMap)};
    const sluiceURLs = ${JSON.stringify(sluiceURLs)};
    export async function resolve(specifier, context, next) {
      if (Object.prototype.hasOwnProperty.call(esmMap, specifier) &&
          !sluiceURLs.some((u) => (context.parentURL || '').startsWith(u))) {
        return { url: esmMap[specifier], format: 'module', shortCircuit: true };
      }
      return next(specifier, context);
    }`;
  Module.register('data:text/javascript,' + encodeURIComponent(src));
}
