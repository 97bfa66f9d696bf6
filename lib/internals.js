'use strict';
// What lib/readable.js and lib/writable.js share with the other modules of the package and
// nothing else: kept off the exported classes, so that `Readable`, `Writable` and the rest carry
// no statics Node's do not (Node's own stream test files compare them). Filled in by those two
// modules as they load; read at use (or after they loaded), never destructured before.

module.exports = {};
