'use strict';
// `sluice/promises`: the promise forms of pipeline and finished (node:stream's, which work
// unmodified with sluice streams).
const { pipeline, finished } = require('stream/promises');

module.exports = { pipeline, finished };
